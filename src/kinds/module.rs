//! Study modules (`content/modules/`): readings in order, minutes, roles, and a self-test.

use super::Item;
use crate::diag::Diagnostic;

crate::front_matter! {
    /// A study module (学习模块).
    Module, ModuleFront {
        order: Option<i32>,
        minutes: Option<u32>,
        #[serde(default)] roles: Vec<String>,
        #[serde(default)] principles: Vec<u8>,
        /// Ids of the items to read, in order.
        #[serde(default)] readings: Vec<String>,
        /// The id of the self-test bank (`quizzes/x`).
        quiz: Option<String>,
        /// Pass mark in percent; overrides the bank's.
        pass: Option<u8>,
    }
}

pub fn check(item: &Item<Module>) -> Vec<Diagnostic> {
    match item.data.pass {
        Some(p) if p > 100 => vec![
            item.key_error("pass", format!("pass mark {p} is above 100"))
                .with_hint("`pass` is a percentage from 0 to 100"),
        ],
        _ => vec![],
    }
}

impl super::Body for Module {}

#[cfg(test)]
mod tests {
    use crate::kinds::testutil::parse_text;

    #[test]
    fn module_parses_and_checks_pass() {
        let (p, d) = parse_text(
            "modules/m1.md",
            "---\ntitle: 模块\norder: 1\nreadings: [principles/08]\npass: 80\n---\n",
        );
        assert!(d.is_empty());
        assert_eq!(p.modules[0].data.readings, ["principles/08"]);
        let (_, d) = parse_text("modules/m1.md", "---\ntitle: 模块\npass: 120\n---\n");
        assert_eq!(d[0].line, 3);
    }
}
