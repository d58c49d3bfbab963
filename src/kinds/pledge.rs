//! Integrity pledges (`content/pledges/`, 廉洁从业承诺书): the text a post signs, printed on
//! one A4 page with the name, department and date typed in and lines for signatures.

use super::front::{Fields, FrontMatter};

crate::front_matter! {
    /// A pledge (承诺书).
    Pledge {
        /// Who signs it: 全体职工, 科室主任, 采购岗位…
        roles: Vec<String> = Vec::new(),
        /// Who receives the signed copy (shown under the signature lines).
        recipient: Option<String>,
    }
}

impl FrontMatter for Pledge {
    const KEYS: &'static [&'static str] = &["roles", "recipient"];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Pledge::read_fields(f)
    }
}

impl super::KindDef for Pledge {
    const DRAFT: Option<(&'static str, &'static str)> = Some(("staff", "示例：医务人员廉洁从业承诺书"));
    const SHARED: bool = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testutil::{only, parse_text};

    #[test]
    fn pledge_takes_roles() {
        let (p, d) = parse_text(
            "pledges/staff.md",
            "---\ntitle: 医务人员廉洁从业承诺书\nroles: [全体医务人员]\n---\n本人承诺：",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(only::<Pledge>(&p).roles, ["全体医务人员"]);
        let (_, d) = parse_text("pledges/a.md", "---\ntitle: 承诺\nroles: 全体\n---\n");
        assert_eq!(d[0].line, 3, "{d:?}");
    }
}
