//! Mainland mobile numbers: eleven digits starting 13–19, plain or grouped 3-4-4, with or
//! without +86.

use super::{Allowed, FindingKind, Span, all_digits};

pub(super) fn mobiles(chars: &[char], allowed: &Allowed) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        // A number starts with a digit or `+`: the rest of a line is passed over cheaply.
        if !(chars[i].is_ascii_digit() || chars[i] == '+') {
            i += 1;
            continue;
        }
        let after_digit = i > 0 && chars[i - 1].is_ascii_digit();
        match mobile_at(chars, i).filter(|_| !after_digit) {
            Some((end, digits)) => {
                if !allowed.has_phone(&digits) {
                    spans.push(Span {
                        kind: FindingKind::Mobile,
                        start: i,
                        end,
                    });
                }
                i = end;
            }
            None => i += 1,
        }
    }
    spans
}

/// A mobile number starting at `start`, with or without a +86 / 86 prefix: its end and its
/// eleven national digits.
fn mobile_at(chars: &[char], start: usize) -> Option<(usize, String)> {
    let number = country_code_end(chars, start)
        .and_then(|body| mobile_number(chars, body))
        .or_else(|| mobile_number(chars, start))?;
    let (end, digits) = number;
    let followed_by_digit = chars.get(end).is_some_and(char::is_ascii_digit);
    (!followed_by_digit).then_some((end, digits))
}

/// Where the national number begins after "+86" or "86" and an optional space or '-'.
fn country_code_end(chars: &[char], start: usize) -> Option<usize> {
    let rest = chars.get(start..)?;
    let after_code = match rest {
        ['+', '8', '6', ..] => start + 3,
        ['8', '6', ..] => start + 2,
        _ => return None,
    };
    let separated = chars
        .get(after_code)
        .is_some_and(|&c| is_group_separator(c));
    Some(after_code + usize::from(separated))
}

/// Eleven digits at `start`, contiguous or in 3-4-4 groups: their end and the digits.
fn mobile_number(chars: &[char], start: usize) -> Option<(usize, String)> {
    let (end, digits) =
        grouped_digits(chars, start, &[11]).or_else(|| grouped_digits(chars, start, &[3, 4, 4]))?;
    let mut d = digits.chars();
    let is_mobile = d.next() == Some('1') && d.next().is_some_and(|c| ('3'..='9').contains(&c));
    is_mobile.then_some((end, digits))
}

/// Digit groups of the given sizes, separated by a single space or '-'.
fn grouped_digits(chars: &[char], start: usize, groups: &[usize]) -> Option<(usize, String)> {
    let mut pos = start;
    let mut digits = String::new();
    for (index, &size) in groups.iter().enumerate() {
        if index > 0 {
            chars.get(pos).filter(|&&c| is_group_separator(c))?;
            pos += 1;
        }
        let group = chars.get(pos..pos + size)?;
        if !all_digits(group) {
            return None;
        }
        digits.extend(group);
        pos += size;
    }
    Some((pos, digits))
}

fn is_group_separator(c: char) -> bool {
    c == ' ' || c == '-'
}

#[cfg(test)]
mod tests {
    use crate::lint::privacy::testutil::*;
    use crate::lint::privacy::{Allowed, FindingKind, scan};

    #[test]
    fn mobile_plain_is_flagged_with_char_column() {
        let found = scan("联系电话：13812345678", &Allowed::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FindingKind::Mobile);
        assert_eq!((found[0].column, found[0].len), (6, 11));
    }

    #[test]
    fn mobile_grouped_forms_are_flagged() {
        for text in ["138 1234 5678", "138-1234-5678", "138 1234-5678"] {
            assert_eq!(flagged(text, FindingKind::Mobile), vec![text.to_string()]);
        }
    }

    #[test]
    fn mobile_with_country_code_is_flagged_whole() {
        for text in [
            "+8613812345678",
            "+86 13812345678",
            "+86-138-1234-5678",
            "8613812345678",
            "86 138 1234 5678",
        ] {
            assert_eq!(flagged(text, FindingKind::Mobile), vec![text.to_string()]);
        }
    }

    #[test]
    fn mobile_second_digit_must_be_3_to_9() {
        assert!(kinds("12812345678").is_empty());
        assert!(kinds("10012345678").is_empty());
        assert_eq!(flagged("19912345678", FindingKind::Mobile).len(), 1);
    }

    #[test]
    fn mobile_inside_longer_digit_run_is_not_flagged() {
        assert!(kinds("138123456789").is_empty());
        assert!(kinds("213812345678").is_empty());
        assert!(kinds("138-1234-56789").is_empty());
        assert!(kinds("订单号20240113812345678").is_empty());
    }

    #[test]
    fn mobile_bad_grouping_is_not_flagged() {
        assert!(kinds("138  1234 5678").is_empty());
        assert!(kinds("1381 234 5678").is_empty());
    }

    #[test]
    fn landlines_and_hotlines_are_not_mobiles() {
        assert!(kinds("举报电话：0571-81234567，0000-81234567，12388").is_empty());
        assert!(kinds("(0571) 8123 4567").is_empty());
    }

    #[test]
    fn allowed_mobile_is_not_flagged_in_any_format() {
        let allowed = allowed(&["+86 138-1234-5678"]);
        for text in [
            "13812345678",
            "138 1234 5678",
            "+86 13812345678",
            "8613812345678",
        ] {
            assert!(scan(text, &allowed).is_empty(), "{text}");
        }
        assert_eq!(scan("13912345678", &allowed).len(), 1);
    }
}
