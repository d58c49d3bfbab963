//! Integrity risk points (`content/risks/`, 廉洁风险点): one file per post or process, listing
//! its risks with a level, the controls that contain them, who owns them, and the principles
//! and policies they concern.

use serde::{Deserialize, Serialize};

use super::front::{Fields, FrontMatter, Meta};
use crate::diag::{Diagnostic, Severity};
use crate::source::SourceFile;

crate::labeled_enum! {
    /// How serious a risk is.
    Level { High = "high" | "高", Medium = "medium" | "中", Low = "low" | "低" }
}

/// One risk of a post.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RiskPoint {
    /// What could go wrong: 收受供应商回扣, 拆分采购规避招标…
    pub risk: String,
    pub level: Level,
    /// What contains the risk.
    #[serde(default)]
    pub controls: Vec<String>,
    /// Who answers for the controls.
    #[serde(default)]
    pub owner: Option<String>,
    /// The principle numbers the risk concerns.
    #[serde(default)]
    pub principles: Vec<u8>,
    /// Ids of the policies that govern it (`policies/procurement`).
    #[serde(default)]
    pub policies: Vec<String>,
}

crate::front_matter! {
    /// A post or process and its risks (廉洁风险点).
    Risk {
        /// 科室: the department the register is filtered by.
        department: String,
        /// 岗位: 采购员, 科室主任…
        post: Option<String>,
        /// 环节: 药品耗材采购, 设备招标…
        process: Option<String>,
        risks: Vec<RiskPoint> = Vec::new(),
    }
}

impl FrontMatter for Risk {
    const KEYS: &'static [&'static str] = &["department", "post", "process", "risks"];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Risk::read_fields(f)
    }
    fn check(&self, file: &SourceFile, _meta: &Meta) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        if self.department.trim().is_empty() {
            let d = file.key_error("department", crate::msg!("risk.department"));
            diags.push(d.with_hint(crate::msg!("risk.department.hint")));
        }
        if self.risks.is_empty() {
            let d = file.key_error("risks", crate::msg!("risk.none"));
            diags.push(d.with_hint(crate::msg!("risk.none.hint")));
        }
        diags.extend(uncontrolled(file, &self.risks));
        diags
    }
}

/// A high risk with no control is a warning, at the risk's own line when it can be found.
fn uncontrolled(file: &SourceFile, risks: &[RiskPoint]) -> Vec<Diagnostic> {
    let front = file.front_matter();
    let mut lines = crate::yaml::key_positions(front, "risk");
    let mut diags = Vec::new();
    for point in risks {
        let at = lines.next();
        if point.level != Level::High || point.controls.iter().any(|c| !c.trim().is_empty()) {
            continue;
        }
        let message = crate::msg!("risk.uncontrolled", risk = &point.risk);
        let d = match at {
            Some((line, col)) => Diagnostic {
                severity: Severity::Warning,
                ..file.front_diag(line, col, message)
            },
            None => file.key_warning("risks", message),
        };
        diags.push(d.with_hint(crate::msg!("risk.uncontrolled.hint")));
    }
    diags
}

impl Risk {
    /// Every principle the file's risks concern, each once, in order of first mention.
    pub fn principles(&self) -> Vec<u8> {
        let mut all = Vec::new();
        for n in self.risks.iter().flat_map(|r| &r.principles) {
            if !all.contains(n) {
                all.push(*n);
            }
        }
        all
    }

    /// The post and the process, as one line for lists (`采购员 · 药品耗材采购`).
    pub fn place(&self) -> String {
        let parts: Vec<&str> = [self.post.as_deref(), self.process.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        parts.join(" · ")
    }
}

impl super::KindDef for Risk {
    /// By department.
    fn compare(a: (&Meta, &Self), b: (&Meta, &Self)) -> std::cmp::Ordering {
        a.1.department.trim().cmp(b.1.department.trim())
    }
    const MENU: Option<u8> = Some(6);
    fn principles(&self) -> std::borrow::Cow<'_, [u8]> {
        std::borrow::Cow::Owned(Risk::principles(self))
    }
    /// The register groups by department.
    fn grouping(&self) -> String {
        self.department.clone()
    }
    fn references(&self, r: &mut dyn super::References) {
        for point in &self.risks {
            r.principles("risks", &point.principles);
            for policy in &point.policies {
                r.id("risks", policy, Some(super::Kind::Policy));
            }
        }
    }
    const DRAFT: Option<(&'static str, &'static str)> = Some(("example-post", "示例：药品耗材采购"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testutil::{only, parse_text};

    const GOOD: &str = "---\ntitle: 药品耗材采购\ndepartment: 采购中心\npost: 采购员\nprocess: 药品耗材采购\nrisks:\n  - risk: 收受供应商回扣\n    level: 高\n    controls: [集中带量采购, 廉洁购销合同]\n    owner: 采购中心主任\n    principles: [4]\n    policies: [policies/procurement]\n  - risk: 拆分采购规避招标\n    level: medium\n---\n";

    #[test]
    fn risks_parse_with_levels_in_either_language() {
        let (p, d) = parse_text("risks/procurement.md", GOOD);
        assert!(d.is_empty(), "{d:?}");
        let r = only::<Risk>(&p);
        assert_eq!(r.risks[0].level, Level::High);
        assert_eq!(r.risks[1].level, Level::Medium);
        assert_eq!(r.principles(), [4]);
        assert_eq!(r.place(), "采购员 · 药品耗材采购");
    }

    #[test]
    fn an_unknown_level_is_an_error_on_its_line() {
        let text = GOOD.replace("level: medium", "level: 较高");
        let (_, d) = parse_text("risks/a.md", &text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 14, "{d:?}");
        assert!(d[0].message.contains("较高"), "{d:?}");
    }

    #[test]
    fn a_high_risk_without_controls_is_a_warning_at_the_risk() {
        let text = GOOD.replace("level: medium", "level: high");
        let (p, d) = parse_text("risks/a.md", &text);
        assert!(p.items.contains_key("risks/a"));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].severity, d[0].line), (Severity::Warning, 13));
    }

    #[test]
    fn a_file_needs_a_department_and_risks() {
        let (_, d) = parse_text("risks/a.md", "---\ntitle: 岗位\n---\n");
        assert_eq!(d[0].message, "missing required key `department`");
        let (_, d) = parse_text("risks/a.md", "---\ntitle: 岗位\ndepartment: 财务科\n---\n");
        assert_eq!(d[0].line, 1, "{d:?}");
        let (_, d) = parse_text(
            "risks/a.md",
            "---\ntitle: 岗位\ndepartment: 财务科\nrisks:\n  - risk: 截留\n    levle: 高\n---\n",
        );
        assert_eq!(d[0].line, 6, "{d:?}");
    }
}
