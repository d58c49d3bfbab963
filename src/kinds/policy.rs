//! Policy documents (`content/policies/`): 文号, issuer, dates, and whether still in force.

use super::front::{Fields, FrontMatter, Meta};
use crate::diag::Diagnostic;
use crate::source::SourceFile;
use crate::types::Date;

crate::labeled_enum! {
    /// Whether a policy still applies.
    PolicyStatus { InForce = "in-force" | "现行有效", Amended = "amended" | "已修订", Repealed = "repealed" | "已废止" }
}

crate::front_matter! {
    /// A policy document (制度/文件).
    Policy {
        doc_no: Option<String>,
        issuer: Option<String>,
        issued: Option<Date>,
        effective: Option<Date>,
        status: PolicyStatus = PolicyStatus::InForce,
        /// The id of the policy that replaces this one (`policies/x`).
        superseded_by: Option<String>,
    }
}

impl FrontMatter for Policy {
    const KEYS: &'static [&'static str] = &[
        "doc_no",
        "issuer",
        "issued",
        "effective",
        "status",
        "superseded_by",
    ];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Policy::read_fields(f)
    }
    fn check(&self, file: &SourceFile, _meta: &Meta) -> Vec<Diagnostic> {
        check(file, self)
    }
}

fn check(file: &SourceFile, p: &Policy) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if p.superseded_by.is_some() && p.status == PolicyStatus::InForce {
        diags.push(
            file.key_warning("superseded_by", crate::msg!("policy.successor"))
                .with_hint(crate::msg!("policy.successor.hint")),
        );
    }
    if let (Some(issued), Some(effective)) = (p.issued, p.effective)
        && effective < issued
    {
        diags.push(file.key_error(
            "effective",
            crate::msg!(
                "policy.effective_before",
                effective = effective,
                issued = issued
            ),
        ));
    }
    diags
}

impl super::KindDef for Policy {
    /// Newest first by the date issued.
    fn compare(a: (&Meta, &Self), b: (&Meta, &Self)) -> std::cmp::Ordering {
        b.1.issued.cmp(&a.1.issued)
    }
    const PAGED: bool = true;
    const MENU: Option<u8> = Some(5);
    fn references(&self, r: &mut dyn super::References) {
        if let Some(next) = &self.superseded_by {
            r.id("superseded_by", next, Some(super::Kind::Policy));
        }
    }
    const DRAFT: Option<(&'static str, &'static str)> =
        Some(("gift-handover", "示例：收受红包礼品登记上交办法"));
    const SHARED: bool = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testutil::{only, parse_text};

    #[test]
    fn status_accepts_chinese_label() {
        let (p, d) = parse_text(
            "policies/a.md",
            "---\ntitle: 制度\nstatus: 已废止\nsuperseded_by: policies/b\n---\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(only::<Policy>(&p).status, PolicyStatus::Repealed);
    }

    #[test]
    fn default_status_is_in_force_and_successor_warns() {
        let (p, d) = parse_text(
            "policies/a.md",
            "---\ntitle: 制度\nsuperseded_by: policies/b\n---\n",
        );
        assert_eq!(only::<Policy>(&p).status, PolicyStatus::InForce);
        assert_eq!(d[0].severity, crate::diag::Severity::Warning);
        assert_eq!(d[0].line, 3);
    }

    #[test]
    fn effective_before_issued_is_an_error() {
        let (_, d) = parse_text(
            "policies/a.md",
            "---\ntitle: 制度\nissued: 2024-05-01\neffective: 2024-04-01\n---\n",
        );
        assert_eq!(d[0].line, 4);
    }
}
