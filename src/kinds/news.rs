//! News of the work (`content/news/`, 工作动态): dated reports of meetings, campaigns and
//! progress, with an optional cover picture and the principles they concern.

use super::front::{Fields, FrontMatter, Meta};
use crate::diag::Diagnostic;
use crate::source::SourceFile;

crate::front_matter! {
    /// A news item (工作动态).
    News {
        /// A picture under `content/` shown above the text (`news/2025/meeting.jpg`).
        cover: Option<String>,
        /// What the picture shows, for readers who cannot see it.
        cover_alt: Option<String>,
        /// The principle numbers the news concerns.
        principles: Vec<u8> = Vec::new(),
    }
}

impl FrontMatter for News {
    const KEYS: &'static [&'static str] = &["cover", "cover_alt", "principles"];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        News::read_fields(f)
    }
    fn check(&self, file: &SourceFile, meta: &Meta) -> Vec<Diagnostic> {
        let mut diags = Vec::from_iter(super::front::require_date(
            file,
            meta,
            crate::msg!("news.date.hint"),
        ));
        if self.cover.is_some()
            && self
                .cover_alt
                .as_deref()
                .is_none_or(|a| a.trim().is_empty())
        {
            diags.push(
                file.key_warning("cover", crate::msg!("news.cover_alt"))
                    .with_hint(crate::msg!("news.cover_alt.hint")),
            );
        }
        diags
    }
}

impl News {
    /// The cover's path under `content/` (`@/` and a leading `/` are allowed and dropped).
    pub fn cover_rel(&self) -> Option<&str> {
        let c = self.cover.as_deref()?.trim();
        Some(c.trim_start_matches("@/").trim_start_matches('/'))
    }
}

impl super::KindDef for News {
    /// Newest first.
    fn compare(a: (&Meta, &Self), b: (&Meta, &Self)) -> std::cmp::Ordering {
        b.0.date.cmp(&a.0.date)
    }
    const PAGED: bool = true;
    const MENU: Option<u8> = Some(1);
    const FEED: bool = true;
    fn principles(&self) -> std::borrow::Cow<'_, [u8]> {
        std::borrow::Cow::Borrowed(&self.principles)
    }
    fn attachments(&self) -> Vec<(&'static str, &str)> {
        self.cover_rel().map(|c| ("cover", c)).into_iter().collect()
    }
    fn references(&self, r: &mut dyn super::References) {
        r.principles("principles", &self.principles);
        if let Some(cover) = &self.cover {
            r.attachment("cover", cover, crate::msg!("news.cover.hint"));
        }
    }
    const DRAFT: Option<(&'static str, &'static str)> = Some(("example-news", "示例：召开警示教育大会"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testutil::{only, parse_text};

    #[test]
    fn news_parses_with_cover_and_principles() {
        let text = "---\ntitle: 召开警示教育大会\ndate: 2025-03-12\ncover: \"@/news/2025/meeting.jpg\"\ncover_alt: 会场\nprinciples: [8, 9]\ntags: [警示教育]\n---\n正文";
        let (p, d) = parse_text("news/2025/meeting.md", text);
        assert!(d.is_empty(), "{d:?}");
        let n = only::<News>(&p);
        assert_eq!(n.cover_rel(), Some("news/2025/meeting.jpg"));
        assert_eq!(n.principles, [8, 9]);
    }

    #[test]
    fn date_is_required_and_a_cover_wants_words() {
        let (_, d) = parse_text("news/a.md", "---\ntitle: 动态\n---\n");
        assert_eq!(d[0].message, "missing required key `date`");
        let (_, d) = parse_text(
            "news/a.md",
            "---\ntitle: 动态\ndate: 2025-01-01\ncover: a.jpg\n---\n",
        );
        assert_eq!(
            (d[0].line, d[0].severity),
            (4, crate::diag::Severity::Warning),
            "{d:?}"
        );
        let (_, d) = parse_text(
            "news/a.md",
            "---\ntitle: 动态\ndate: 2025-01-01\nprinciples: [八]\n---\n",
        );
        assert_eq!(d[0].line, 4, "{d:?}");
    }
}
