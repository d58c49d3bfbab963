//! Warning cases (`content/cases/`): who (masked), what, which principles, and the sanctions.

use serde::{Deserialize, Serialize};

use super::Item;
use crate::diag::Diagnostic;
use crate::frontmatter::Date;

crate::labeled_enum! {
    /// Where a case comes from.
    CaseOrigin { ThisHospital = "this-hospital" | "本院", HigherAuthority = "higher-authority" | "上级通报" }
}

/// An amount in yuan, or a text such as "3.2万元".
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Amount {
    Yuan(f64),
    Text(String),
}

/// One sanction imposed in a case.
#[derive(Debug, Clone, Deserialize, Serialize)]
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
    Case, CaseFront {
        unit: Option<String>,
        /// The person, masked: surname + 某.
        subject: Option<String>,
        role: Option<String>,
        /// The principle numbers breached.
        #[serde(default)] principles: Vec<u8>,
        amount: Option<Amount>,
        #[serde(default)] sanctions: Vec<Sanction>,
        lessons: Option<String>,
        origin: Option<CaseOrigin>,
    }
}

pub fn check(item: &Item<Case>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if item.meta.date.is_none() {
        diags.push(
            item.file
                .diag(
                    crate::diag::Severity::Error,
                    1,
                    1,
                    "missing required key `date`",
                )
                .with_hint("a case needs `date: YYYY-MM-DD`, the date of the decision"),
        );
    }
    if let Some(Amount::Yuan(y)) = item.data.amount
        && (y < 0.0 || !y.is_finite())
    {
        diags.push(item.key_error("amount", format!("amount {y} is not a sum of money")));
    }
    diags
}

impl super::Body for Case {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testutil::parse_text;

    #[test]
    fn full_case_parses() {
        let text = "---\ntitle: 收受红包案\ndate: 2024-03-02\nunit: 骨科\nsubject: 王某\nprinciples: [8]\namount: 5000\nsanctions:\n  - {kind: 党纪处分, level: 警告, authority: 院纪委, date: 2024-03-02}\norigin: 本院\n---\n";
        let (p, d) = parse_text("cases/2024/a.md", text);
        assert!(d.is_empty(), "{d:?}");
        let c = &p.cases[0];
        assert_eq!(c.id, "cases/2024/a");
        assert_eq!(c.data.origin, Some(CaseOrigin::ThisHospital));
        assert_eq!(c.data.sanctions[0].level.as_deref(), Some("警告"));
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
