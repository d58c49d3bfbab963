//! The Nine Principles (`content/principles/`): one file per principle, numbered 1 to 9.

use super::Item;
use crate::diag::Diagnostic;

crate::front_matter! {
    /// One of the Nine Principles; `title` is its official wording.
    Principle, PrincipleFront {
        number: u8,
    }
}

/// Principle numbers run from 1 to 9.
pub fn valid_number(n: u8) -> bool {
    (1..=9).contains(&n)
}

pub fn check(item: &Item<Principle>) -> Vec<Diagnostic> {
    if valid_number(item.data.number) {
        return vec![];
    }
    vec![
        item.key_error(
            "number",
            format!("principle number {} is outside 1–9", item.data.number),
        )
        .with_hint("the Nine Principles are numbered 1 to 9"),
    ]
}

impl super::Body for Principle {}

#[cfg(test)]
mod tests {
    use crate::kinds::testutil::parse_text;

    #[test]
    fn number_is_required_and_in_range() {
        let (p, d) = parse_text(
            "principles/08.md",
            "---\ntitle: 共建和谐关系\nnumber: 8\n---\n",
        );
        assert!(d.is_empty());
        assert_eq!(p.principles[0].data.number, 8);
        let (_, d) = parse_text("principles/10.md", "---\ntitle: x\nnumber: 10\n---\n");
        assert_eq!(
            (d[0].line, d[0].message.as_str()),
            (3, "principle number 10 is outside 1–9")
        );
        let (_, d) = parse_text("principles/x.md", "---\ntitle: x\n---\n");
        assert_eq!(d[0].message, "missing required key `number`");
    }
}
