//! Resident ID numbers (GB 11643): 18 characters with a MOD 11-2 check and a birth date, or
//! the old 15-digit form.

use super::{FindingKind, Span, all_digits, number};

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

pub(super) fn id_numbers(chars: &[char]) -> Vec<Span> {
    alphanumeric_runs(chars)
        .into_iter()
        .filter(|&(start, end)| is_resident_id(&chars[start..end]))
        .map(|(start, end)| Span {
            kind: FindingKind::IdNumber,
            start,
            end,
        })
        .collect()
}

/// Maximal runs of ASCII letters and digits, as `(start, end)` char indices.
fn alphanumeric_runs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().enumerate() {
        match (c.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, chars.len()));
    }
    runs
}

fn is_resident_id(run: &[char]) -> bool {
    match run.len() {
        18 => is_resident_id_18(run),
        15 => is_resident_id_15(run),
        _ => false,
    }
}

/// The current 18-character form: 17 digits, a MOD 11-2 check character, a birth date.
fn is_resident_id_18(run: &[char]) -> bool {
    let (body, check) = run.split_at(17);
    if !all_digits(body) {
        return false;
    }
    let birth_year = number(&body[6..10]);
    let valid_birth = (1900..=2099).contains(&birth_year)
        && is_date(birth_year, number(&body[10..12]), number(&body[12..14]));
    valid_birth && check[0].to_ascii_uppercase() == id_check_char(body)
}

/// The old 15-digit form: a region code starting 1–8 and a 19YYMMDD birth date.
fn is_resident_id_15(run: &[char]) -> bool {
    all_digits(run)
        && ('1'..='8').contains(&run[0])
        && is_date(
            1900 + number(&run[6..8]),
            number(&run[8..10]),
            number(&run[10..12]),
        )
}

fn id_check_char(body: &[char]) -> char {
    let sum: u32 = body
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(c, weight)| c.to_digit(10).unwrap_or(0) * weight)
        .sum();
    ID_CHECK_CHARS[(sum % 11) as usize]
}

fn is_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use crate::lint::privacy::testutil::*;
    use crate::lint::privacy::{Allowed, Finding, FindingKind, scan};

    #[test]
    fn id18_valid_sample_is_flagged() {
        let found = scan("身份证号11010519491231002X。", &Allowed::default());
        assert_eq!(
            found,
            vec![Finding {
                kind: FindingKind::IdNumber,
                line: 1,
                column: 5,
                len: 18,
                text: "11010519491231002X".into(),
            }]
        );
    }

    #[test]
    fn id18_lowercase_check_char_is_flagged() {
        assert_eq!(
            flagged("11010519491231002x", FindingKind::IdNumber).len(),
            1
        );
    }

    #[test]
    fn id18_with_digit_check_char_is_flagged() {
        assert_eq!(
            flagged("ID: 440304198506153216", FindingKind::IdNumber).len(),
            1
        );
    }

    #[test]
    fn id18_wrong_check_char_is_not_flagged() {
        assert!(kinds("110105194912310021").is_empty());
        assert!(kinds("110105194912310020").is_empty());
    }

    #[test]
    fn id18_random_number_is_not_flagged() {
        assert!(kinds("123456789012345678").is_empty());
    }

    #[test]
    fn id18_invalid_date_is_not_flagged_even_with_valid_check() {
        // Month 13; check digit computed to be valid.
        assert!(kinds("110105194913310021").is_empty());
        // 2024-02-30.
        assert!(kinds("330106202402301232").is_empty());
    }

    #[test]
    fn id18_leap_day_follows_leap_year_rules() {
        assert_eq!(
            flagged("330106200002291232", FindingKind::IdNumber).len(),
            1
        );
        // 1900 is not a leap year.
        assert!(kinds("330106190002291236").is_empty());
    }

    #[test]
    fn id18_inside_longer_alphanumeric_run_is_not_flagged() {
        assert!(kinds("A11010519491231002X").is_empty());
        assert!(kinds("11010519491231002X9").is_empty());
        assert!(kinds("911010519491231002X").is_empty());
        assert!(kinds("11010519491231002XY").is_empty());
    }

    #[test]
    fn id15_valid_is_flagged() {
        assert_eq!(
            flagged("旧身份证 110105491231002 已注销", FindingKind::IdNumber),
            vec!["110105491231002".to_string()]
        );
    }

    #[test]
    fn id15_bad_region_or_date_is_not_flagged() {
        assert!(kinds("910105491231002").is_empty()); // first digit 9
        assert!(kinds("010105491231002").is_empty()); // first digit 0
        assert!(kinds("123456789012345").is_empty()); // month 90
        assert!(kinds("110105490230002").is_empty()); // 1949-02-30
    }

    #[test]
    fn id15_inside_longer_run_is_not_flagged() {
        assert!(kinds("1101054912310021").is_empty());
        assert!(kinds("x110105491231002").is_empty());
    }
}
