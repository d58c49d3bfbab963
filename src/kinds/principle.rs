//! The Nine Principles (`content/principles/`): one file per principle, numbered 1 to 9.

use super::front::{Fields, FrontMatter, Meta};
use crate::diag::Diagnostic;
use crate::source::SourceFile;

crate::front_matter! {
    /// One of the Nine Principles; `title` is its official wording.
    Principle {
        number: u8,
    }
}

impl FrontMatter for Principle {
    const KEYS: &'static [&'static str] = &["number"];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        Principle::read_fields(f)
    }
    fn check(&self, file: &SourceFile, _meta: &Meta) -> Vec<Diagnostic> {
        check(file, self)
    }
}

/// Principle numbers run from 1 to 9.
pub fn valid_number(n: u8) -> bool {
    (1..=9).contains(&n)
}

fn check(file: &SourceFile, p: &Principle) -> Vec<Diagnostic> {
    if valid_number(p.number) {
        return vec![];
    }
    vec![
        file.key_error("number", crate::msg!("ref.principle_range", n = p.number))
            .with_hint(crate::msg!("principle.range.hint")),
    ]
}

impl super::KindDef for Principle {
    fn compare(a: (&Meta, &Self), b: (&Meta, &Self)) -> std::cmp::Ordering {
        a.1.number.cmp(&b.1.number)
    }
    const MENU: Option<u8> = Some(2);
    const SHARED: bool = true;
}

#[cfg(test)]
mod tests {
    use super::Principle;
    use crate::kinds::testutil::{only, parse_text};

    #[test]
    fn number_is_required_and_in_range() {
        let (p, d) = parse_text(
            "principles/08.md",
            "---\ntitle: 共建和谐关系\nnumber: 8\n---\n",
        );
        assert!(d.is_empty());
        assert_eq!(only::<Principle>(&p).number, 8);
        let (_, d) = parse_text("principles/10.md", "---\ntitle: x\nnumber: 10\n---\n");
        assert_eq!(
            (d[0].line, d[0].message.as_str()),
            (3, "principle number 10 is outside 1–9")
        );
        let (_, d) = parse_text("principles/x.md", "---\ntitle: x\n---\n");
        assert_eq!(d[0].message, "missing required key `number`");
    }
}
