//! Disclosures (`content/disclosures/`): what the hospital makes public, by category, with validity.

use serde::{Deserialize, Serialize};

use super::front::{Fields, FrontMatter, Meta};
use crate::diag::Diagnostic;
use crate::source::SourceFile;
use crate::types::Date;

crate::labeled_enum! {
    /// Progress of one rectification item.
    ItemStatus { Open = "open" | "整改中", Done = "done" | "已完成" }
}

/// One line of a rectification list (整改公示).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RectificationItem {
    pub problem: String,
    #[serde(default)]
    pub measure: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub deadline: Option<Date>,
    pub status: ItemStatus,
}

crate::front_matter! {
    /// A disclosure (公开).
    Disclosure {
        /// 院务公开, 案件通报, 整改公示, 服务承诺, …
        category: String,
        doc_no: Option<String>,
        valid_until: Option<Date>,
        status: Option<String>,
        items: Vec<RectificationItem> = Vec::new(),
    }
}

impl FrontMatter for Disclosure {
    const KEYS: &'static [&'static str] = &["category", "doc_no", "valid_until", "status", "items"];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Disclosure::read_fields(f)
    }
    fn check(&self, file: &SourceFile, meta: &Meta) -> Vec<Diagnostic> {
        check(file, meta, self)
    }
}

impl Disclosure {
    pub fn expired_on(&self, today: Date) -> bool {
        self.valid_until.is_some_and(|d| d < today)
    }
}

fn check(file: &SourceFile, meta: &Meta, d: &Disclosure) -> Vec<Diagnostic> {
    let mut diags = Vec::from_iter(super::front::require_date(
        file,
        meta,
        crate::msg!("disclosure.date.hint"),
    ));
    if d.category.trim().is_empty() {
        diags.push(
            file.key_error("category", crate::msg!("disclosure.category"))
                .with_hint(crate::msg!("disclosure.category.hint")),
        );
    }
    diags
}

impl super::KindDef for Disclosure {
    /// Newest first.
    fn compare(a: (&Meta, &Self), b: (&Meta, &Self)) -> std::cmp::Ordering {
        b.0.date.cmp(&a.0.date)
    }
    const MENU: Option<u8> = Some(7);
    /// Lists group by category.
    fn grouping(&self) -> String {
        self.category.clone()
    }
    const DRAFT: Option<(&'static str, &'static str)> =
        Some(("example-disclosure", "示例：红包礼品上交情况公示"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testutil::{only, parse_text};

    #[test]
    fn rectification_items_parse() {
        let text = "---\ntitle: 整改公示\ncategory: 整改公示\ndate: 2024-06-01\nitems:\n  - {problem: 问题, measure: 措施, owner: 医务处, deadline: 2024-09-30, status: 已完成}\n  - {problem: 问题二, status: open}\n---\n";
        let (p, d) = parse_text("disclosures/a.md", text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(only::<Disclosure>(&p).items[1].status, ItemStatus::Open);
    }

    #[test]
    fn date_and_category_required() {
        let (_, d) = parse_text(
            "disclosures/a.md",
            "---\ntitle: 公开\ncategory: 院务公开\n---\n",
        );
        assert_eq!(d[0].message, "missing required key `date`");
        let (_, d) = parse_text(
            "disclosures/a.md",
            "---\ntitle: 公开\ndate: 2024-01-01\n---\n",
        );
        assert_eq!(d[0].message, "missing required key `category`");
    }
}
