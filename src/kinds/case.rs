//! Warning cases (`content/cases/`): who (masked), what, which principles, and the sanctions.

use serde::{Deserialize, Serialize};

use super::front::{Fields, FrontMatter, Meta};
use crate::diag::Diagnostic;
use crate::source::SourceFile;
use crate::types::Date;

crate::labeled_enum! {
    /// Where a case comes from.
    CaseOrigin { ThisHospital = "this-hospital" | "本院", HigherAuthority = "higher-authority" | "上级通报" }
}

/// An amount in yuan, or a text such as "3.2万元".
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Amount {
    Yuan(f64),
    Text(String),
}

/// One sanction imposed in a case.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sanction {
    /// 党纪处分, 政务处分, 组织处理, …
    pub kind: String,
    /// 警告, 记过, 暂停处方权六个月, …
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub authority: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
}

crate::front_matter! {
    /// A warning case (警示案例).
    Case {
        unit: Option<String>,
        /// The person, masked: surname + 某.
        subject: Option<String>,
        role: Option<String>,
        /// The principle numbers breached.
        principles: Vec<u8> = Vec::new(),
        amount: Option<Amount>,
        sanctions: Vec<Sanction> = Vec::new(),
        lessons: Option<String>,
        origin: Option<CaseOrigin>,
    }
}

impl FrontMatter for Case {
    const KEYS: &'static [&'static str] = &[
        "unit",
        "subject",
        "role",
        "principles",
        "amount",
        "sanctions",
        "lessons",
        "origin",
    ];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Case::read_fields(f)
    }
    fn check(&self, file: &SourceFile, meta: &Meta) -> Vec<Diagnostic> {
        let mut diags = Vec::from_iter(super::front::require_date(
            file,
            meta,
            crate::msg!("case.date.hint"),
        ));
        if let Some(Amount::Yuan(y)) = self.amount
            && (y < 0.0 || !y.is_finite())
        {
            diags.push(file.key_error("amount", crate::msg!("case.amount", amount = y)));
        }
        diags
    }
}

impl super::KindDef for Case {
    /// Newest first.
    fn compare(a: (&Meta, &Self), b: (&Meta, &Self)) -> std::cmp::Ordering {
        b.0.date.cmp(&a.0.date)
    }
    const PAGED: bool = true;
    const MENU: Option<u8> = Some(4);
    fn principles(&self) -> std::borrow::Cow<'_, [u8]> {
        std::borrow::Cow::Borrowed(&self.principles)
    }
    fn references(&self, r: &mut dyn super::References) {
        r.principles("principles", &self.principles);
    }
    const DRAFT: Option<(&'static str, &'static str)> = Some(("example-case", "示例：收受患者红包案"));
    const SHARED: bool = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testutil::{only, parse_text};

    #[test]
    fn full_case_parses() {
        let text = "---\ntitle: 收受红包案\ndate: 2024-03-02\nunit: 骨科\nsubject: 王某\nprinciples: [8]\namount: 5000\nsanctions:\n  - {kind: 党纪处分, level: 警告, authority: 院纪委, date: 2024-03-02}\norigin: 本院\n---\n";
        let (p, d) = parse_text("cases/2024/a.md", text);
        assert!(d.is_empty(), "{d:?}");
        assert!(p.items.contains_key("cases/2024/a"));
        let c = only::<Case>(&p);
        assert_eq!(c.origin, Some(CaseOrigin::ThisHospital));
        assert_eq!(c.sanctions[0].level.as_deref(), Some("警告"));
    }

    #[test]
    fn date_is_required() {
        let (_, d) = parse_text("cases/a.md", "---\ntitle: 案\n---\n");
        assert_eq!(d[0].message, "missing required key `date`");
    }

    #[test]
    fn sanction_keys_are_checked() {
        let (_, d) = parse_text(
            "cases/a.md",
            "---\ntitle: 案\ndate: 2024-01-01\nsanctions:\n  - kind: 处分\n    levle: 警告\n---\n",
        );
        assert_eq!(d[0].line, 6, "{d:?}");
        assert!(d[0].hint.as_deref().unwrap().contains("level"));
    }
}
