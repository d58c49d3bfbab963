//! Free pages (`content/pages/`): about, FAQ. Also the shape of section introductions and the
//! home page.

use super::front::{Fields, FrontMatter};

/// Free pages the default menu holds at most: more would not fit a phone's menu, and every
/// page carries the menu.
pub const MAX_MENU_PAGES: usize = 8;

crate::front_matter! {
    /// A free page: the shared keys, and whether it asks for a place in the default menu.
    Page {
        /// List the page in the default menu.
        menu: bool = false,
        /// Menu order: lower first.
        weight: i32 = 0,
    }
}

impl FrontMatter for Page {
    const KEYS: &'static [&'static str] = &["menu", "weight"];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Page::read_fields(f)
    }
}

impl super::KindDef for Page {
    const DRAFT: Option<(&'static str, &'static str)> = Some(("about", "关于本站"));
    /// Free pages have no list; they sit at the top of the site.
    const LISTED: bool = false;
    const LIST_AT: Option<&'static str> = Some("");
    const AT_TOP: bool = true;
}

#[cfg(test)]
mod tests {
    use super::Page;
    use crate::kinds::testutil::{only, parse_text};

    #[test]
    fn page_takes_shared_keys_and_menu() {
        let (p, d) = parse_text(
            "pages/about.md",
            "---\ntitle: 关于\nsummary: 简介\nmenu: true\nweight: 2\n---\n正文",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p.items["pages/about"].meta.summary.as_deref(), Some("简介"));
        assert_eq!(
            only::<Page>(&p),
            &Page {
                menu: true,
                weight: 2
            }
        );
        let (_, d) = parse_text("pages/about.md", "---\ntitle: 关于\nnumber: 3\n---\n");
        assert_eq!(d[0].message, "unknown key `number`");
    }
}
