//! Free pages (`content/pages/`): about, FAQ. Also the shape of section indexes and the home page.

crate::front_matter! {
    /// A free page has only the shared keys.
    Page, PageFront {}
}

impl super::Body for Page {}

#[cfg(test)]
mod tests {
    use crate::kinds::testutil::parse_text;

    #[test]
    fn page_takes_only_shared_keys() {
        let (p, d) = parse_text(
            "pages/about.md",
            "---\ntitle: 关于\nsummary: 简介\n---\n正文",
        );
        assert!(d.is_empty());
        assert_eq!(p.pages[0].meta.summary.as_deref(), Some("简介"));
        let (_, d) = parse_text("pages/about.md", "---\ntitle: 关于\nnumber: 3\n---\n");
        assert_eq!(d[0].message, "unknown key `number`");
    }
}
