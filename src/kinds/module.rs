//! Study modules (`content/modules/`): readings in order, minutes, roles, and a self-test.

use super::front::{Fields, FrontMatter, Meta};
use crate::diag::Diagnostic;
use crate::source::SourceFile;

crate::front_matter! {
    /// A study module (学习模块).
    Module {
        order: Option<i32>,
        minutes: Option<u32>,
        roles: Vec<String> = Vec::new(),
        principles: Vec<u8> = Vec::new(),
        /// Ids of the items to read, in order.
        readings: Vec<String> = Vec::new(),
        /// The id of the self-test bank (`quizzes/x`).
        quiz: Option<String>,
        /// Pass mark in percent; overrides the bank's.
        pass: Option<u8>,
    }
}

impl FrontMatter for Module {
    const KEYS: &'static [&'static str] = &[
        "order",
        "minutes",
        "roles",
        "principles",
        "readings",
        "quiz",
        "pass",
    ];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Module::read_fields(f)
    }
    fn check(&self, file: &SourceFile, _meta: &Meta) -> Vec<Diagnostic> {
        match self.pass {
            Some(p) if p > 100 => vec![
                file.key_error("pass", crate::msg!("quiz.pass_above"))
                    .with_hint(crate::msg!("quiz.pass_above.hint")),
            ],
            _ => vec![],
        }
    }
}

impl super::KindDef for Module {
    /// By `order`.
    fn compare(a: (&Meta, &Self), b: (&Meta, &Self)) -> std::cmp::Ordering {
        a.1.order.cmp(&b.1.order)
    }
    const PAGED: bool = true;
    const MENU: Option<u8> = Some(3);
    fn principles(&self) -> std::borrow::Cow<'_, [u8]> {
        std::borrow::Cow::Borrowed(&self.principles)
    }
    fn references(&self, r: &mut dyn super::References) {
        r.principles("principles", &self.principles);
        for reading in &self.readings {
            r.id("readings", reading, None);
        }
        if let Some(bank) = &self.quiz {
            r.id("quiz", bank, Some(super::Kind::Quiz));
        }
    }
    const DRAFT: Option<(&'static str, &'static str)> = Some(("nine-principles", "示例：九项准则学习"));
    const SHARED: bool = true;
}

#[cfg(test)]
mod tests {
    use super::Module;
    use crate::kinds::testutil::{only, parse_text};

    #[test]
    fn module_parses_and_checks_pass() {
        let (p, d) = parse_text(
            "modules/m1.md",
            "---\ntitle: 模块\norder: 1\nreadings: [principles/08]\npass: 80\n---\n",
        );
        assert!(d.is_empty());
        assert_eq!(only::<Module>(&p).readings, ["principles/08"]);
        let (_, d) = parse_text("modules/m1.md", "---\ntitle: 模块\npass: 120\n---\n");
        assert_eq!(d[0].line, 3);
    }
}
