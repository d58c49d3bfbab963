//! Personal-data detection for published content: resident ID numbers, mobile numbers,
//! personal e-mail addresses and unmasked names, one file per pattern. Findings are errors
//! unless the author acknowledged exactly that value with `privacy_ok:`.
//!
//! Matching is hand-written over `char`s, so columns count characters and no input can
//! split a multi-byte character.

mod email;
mod id_number;
mod mobile;
mod name;

pub use name::check_subject;

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Severity};
use crate::kinds::case::Case;
use crate::site::Linked;
use crate::source::SourceFile;

/// What kind of personal datum a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    IdNumber,
    Mobile,
    Email,
    UnmaskedName,
}

/// One suspected personal datum, located in the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    /// 1-based line within the scanned text.
    pub line: usize,
    /// 1-based column in characters (not bytes).
    pub column: usize,
    /// Length in characters of the matched text.
    pub len: usize,
    /// The matched text as it appears.
    pub text: String,
}

impl FindingKind {
    /// A short English message, e.g. "looks like a resident ID number".
    pub fn message(self) -> crate::messages::Msg {
        match self {
            FindingKind::IdNumber => crate::msg!("privacy.id_number"),
            FindingKind::Mobile => crate::msg!("privacy.mobile"),
            FindingKind::Email => crate::msg!("privacy.email"),
            FindingKind::UnmaskedName => crate::msg!("privacy.name"),
        }
    }

    /// A hint on how to fix it.
    pub fn hint(self) -> crate::messages::Msg {
        match self {
            FindingKind::IdNumber => crate::msg!("privacy.id_number.hint"),
            FindingKind::Mobile => crate::msg!("privacy.mobile.hint"),
            FindingKind::Email => crate::msg!("privacy.email.hint"),
            FindingKind::UnmaskedName => crate::msg!("privacy.name.hint"),
        }
    }
}

/// Numbers and addresses that belong to published reporting channels and so are allowed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowed {
    /// Phone numbers as bare digits, without a +86 / 86 prefix.
    phones: BTreeSet<String>,
    /// E-mail addresses in lowercase.
    emails: BTreeSet<String>,
}

impl Allowed {
    /// Adds a channel's value (phone number in any format, or e-mail address).
    pub fn add(&mut self, value: &str) {
        let value = value.trim();
        if value.contains('@') {
            self.emails.insert(value.to_ascii_lowercase());
            return;
        }
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        let digits = match digits.strip_prefix("86") {
            Some(national) if digits.len() == 13 => national.to_owned(),
            _ => digits,
        };
        if !digits.is_empty() {
            self.phones.insert(digits);
        }
    }

    pub(super) fn has_phone(&self, digits: &str) -> bool {
        self.phones.contains(digits)
    }

    pub(super) fn has_email(&self, address: &str) -> bool {
        self.emails.contains(&address.to_ascii_lowercase())
    }
}

/// Scans free text (Markdown body or a front matter value) for ID numbers, mobile numbers
/// and personal e-mail addresses.
pub fn scan(text: &str, allowed: &Allowed) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (number, line) in candidate_lines(text) {
        let chars: Vec<char> = line.chars().collect();
        for span in scan_line(&chars, allowed) {
            findings.push(span.into_finding(&chars, number));
        }
    }
    findings.sort_by_key(|f| (f.line, f.column));
    findings
}

/// The fewest ASCII digits a line holds for a number on it to be reported: a mobile number
/// has eleven, a resident ID fifteen or eighteen (seventeen and a check letter).
const FEWEST_DIGITS: usize = 11;

/// The lines of `text` (numbered from 1) that hold an `@`, or three ASCII digits in a row and
/// [`FEWEST_DIGITS`] in all: every pattern needs one or the other, and most lines of prose
/// (a date, a 文号, 2024年) have neither. Chinese text is passed over eight bytes at a time
/// (no byte of a CJK character is ASCII).
fn candidate_lines(text: &str) -> Vec<(usize, &str)> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let (mut at, mut start, mut number) = (0, 0, 1);
    // Digits in the current run and on the line; whether the line has an `@` or a long run.
    let (mut run, mut all, mut at_sign, mut long_run) = (0, 0, false, false);
    while at < bytes.len() {
        let word = bytes
            .get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok());
        if word.is_some_and(|w| u64::from_le_bytes(w) & HIGH == HIGH) {
            (at, run) = (at + 8, 0);
            continue;
        }
        match bytes[at] {
            b'\n' => {
                if at_sign || long_run && all >= FEWEST_DIGITS {
                    lines.push((number, &text[start..at]));
                }
                (start, number) = (at + 1, number + 1);
                (run, all, at_sign, long_run) = (0, 0, false, false);
            }
            b'0'..=b'9' => {
                (run, all) = (run + 1, all + 1);
                long_run |= run >= 3;
            }
            b'@' => (run, at_sign) = (0, true),
            _ => run = 0,
        }
        at += 1;
    }
    if at_sign || long_run && all >= FEWEST_DIGITS {
        lines.push((number, &text[start..]));
    }
    lines
}

/// A match within one line, in char indices (`end` exclusive).
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub(super) kind: FindingKind,
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Span {
    fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    fn into_finding(self, chars: &[char], line: usize) -> Finding {
        Finding {
            kind: self.kind,
            line,
            column: self.start + 1,
            len: self.end - self.start,
            text: chars[self.start..self.end].iter().collect(),
        }
    }
}

/// All findings in one line. Numbers inside an e-mail address (flagged or allowed) are
/// left to the address, so `13812345678@qq.com` is reported once, as an e-mail.
fn scan_line(chars: &[char], allowed: &Allowed) -> Vec<Span> {
    let addresses = email::email_addresses(chars);
    let mut spans: Vec<Span> = addresses
        .iter()
        .filter(|address| address.is_personal() && !allowed.has_email(&address.text))
        .map(|address| address.span)
        .collect();
    let numbers = id_number::id_numbers(chars)
        .into_iter()
        .chain(mobile::mobiles(chars, allowed));
    spans.extend(numbers.filter(|n| !addresses.iter().any(|a| a.span.overlaps(n))));
    spans
}

pub(super) fn all_digits(chars: &[char]) -> bool {
    chars.iter().all(char::is_ascii_digit)
}

/// The value of a run of ASCII digits (callers check they are digits).
pub(super) fn number(chars: &[char]) -> u32 {
    chars
        .iter()
        .filter_map(|c| c.to_digit(10))
        .fold(0, |acc, d| acc.saturating_mul(10).saturating_add(d))
}

/// The values of the published channels: allowed wherever they appear.
pub fn allowed(site: &Linked) -> Allowed {
    let mut allowed = Allowed::default();
    for (_, c) in site.published::<crate::kinds::channel::Channel>() {
        allowed.add(&c.value);
    }
    allowed
}

/// At most this many findings are reported per file.
const MAX_FINDINGS: usize = 100;

/// One item's findings: errors, or notes for values listed in `privacy_ok`, and a warning
/// for each `privacy_ok` value that is no longer in the file.
pub fn lint_item(item: &crate::kinds::Item, allowed: &Allowed) -> Vec<Diagnostic> {
    let file = &item.file;
    let own = acknowledgement_lines(file);
    let mut findings: Vec<(Finding, usize)> = scan(&file.text, allowed)
        .into_iter()
        .filter(|f| !own.contains(&f.line))
        .take(MAX_FINDINGS)
        .map(|f| (f, 0))
        .collect();
    if let Some(subject) = item.get::<Case>().and_then(|c| c.subject.as_deref())
        && let Some(finding) = check_subject(subject)
    {
        // The finding is relative to the value: place it where the value sits on its line.
        let (line, key_col) = file.key_pos("subject");
        let text = file.line_text(line).unwrap_or("");
        let before = text
            .find(subject.trim())
            .map_or(key_col - 1, |b| text[..b].chars().count());
        findings.push((Finding { line, ..finding }, before));
    }
    let ok = &item.meta.privacy_ok;
    let mut diags: Vec<Diagnostic> = findings
        .iter()
        .map(|(f, offset)| located(file, f, *offset, ok.contains(&f.text)))
        .collect();
    for value in ok {
        if !findings.iter().any(|(f, _)| &f.text == value) {
            let d = file.key_warning(
                "privacy_ok",
                crate::msg!("privacy.stale", value = mask(value)),
            );
            diags.push(d.with_hint(crate::msg!("privacy.stale.hint")));
        }
    }
    diags
}

/// The file lines of the `privacy_ok:` entry itself (its values are not findings).
fn acknowledgement_lines(file: &SourceFile) -> std::ops::Range<usize> {
    let front = file.front_matter();
    let Some((line, _)) = crate::yaml::find_key(front, "privacy_ok") else {
        return 0..0;
    };
    let more = front
        .lines()
        .skip(line)
        .take_while(|l| l.starts_with([' ', '\t', '-']))
        .count();
    let first = line + file.front_line() - 1;
    first..first + more + 1
}

fn located(file: &SourceFile, f: &Finding, column_offset: usize, acknowledged: bool) -> Diagnostic {
    let masked = mask(&f.text);
    let (severity, msg, hint) = if acknowledged {
        (
            Severity::Note,
            crate::msg!("privacy.acknowledged", value = &masked).sub("what", f.kind.message()),
            crate::msg!("privacy.acknowledged.hint"),
        )
    } else {
        (
            Severity::Error,
            crate::msg!("privacy.finding", value = &masked).sub("what", f.kind.message()),
            crate::msg!("privacy.finding.hint", value = &f.text).sub("fix", f.kind.hint()),
        )
    };
    file.diag(severity, f.line, f.column + column_offset, msg)
        .with_hint(hint)
        .with_len(f.len)
}

/// The datum with its middle hidden, so the warning itself does not repeat it whole.
fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let keep = (chars.len() / 4).clamp(1, 4);
    if chars.len() <= 2 {
        return format!("{}*", chars.first().map_or(String::new(), char::to_string));
    }
    let head: String = chars[..keep].iter().collect();
    let tail: String = chars[chars.len() - keep..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 2 * keep))
}

#[cfg(test)]
pub(super) mod testutil {
    use super::*;

    pub fn kinds(text: &str) -> Vec<(FindingKind, String)> {
        scan(text, &Allowed::default())
            .into_iter()
            .map(|f| (f.kind, f.text))
            .collect()
    }

    pub fn flagged(text: &str, kind: FindingKind) -> Vec<String> {
        scan(text, &Allowed::default())
            .into_iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.text)
            .collect()
    }

    pub fn allowed(values: &[&str]) -> Allowed {
        let mut allowed = Allowed::default();
        for value in values {
            allowed.add(value);
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_sorted_by_line_then_column() {
        let text = "邮箱 a@qq.com 电话 13812345678\n\n身份证 11010519491231002X";
        let found = scan(text, &Allowed::default());
        let positions: Vec<_> = found.iter().map(|f| (f.kind, f.line, f.column)).collect();
        assert_eq!(
            positions,
            vec![
                (FindingKind::Email, 1, 4),
                (FindingKind::Mobile, 1, 16),
                (FindingKind::IdNumber, 3, 5),
            ]
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "",
            "@",
            "+",
            "+8",
            "86",
            "86-",
            "a@",
            "@b.",
            "😀@😀.com",
            "１３８１２３４５６７８",
            "\r\n@\n",
        ] {
            let _ = scan(text, &Allowed::default());
            let _ = check_subject(text);
        }
        let mut allowed = Allowed::default();
        allowed.add("");
        allowed.add("  ");
        assert!(scan("13812345678", &allowed).len() == 1);
    }

    #[test]
    fn messages_and_hints_are_set() {
        for kind in [
            FindingKind::IdNumber,
            FindingKind::Mobile,
            FindingKind::Email,
            FindingKind::UnmaskedName,
        ] {
            assert!(!kind.message().is_empty());
            assert!(!kind.hint().is_empty());
        }
        assert_eq!(
            FindingKind::IdNumber.message(),
            "looks like a resident ID number"
        );
    }

    #[test]
    fn candidate_lines_are_those_with_an_at_or_enough_digits() {
        let text = "第一行没有\n电话 138 1234 5678\n12 与 34\nname@host\n2024年3月5日印发（青一医〔2024〕号）\n末行 13812345678";
        let found: Vec<(usize, &str)> = candidate_lines(text);
        assert_eq!(
            found,
            [
                (2, "电话 138 1234 5678"),
                (4, "name@host"),
                (6, "末行 13812345678")
            ]
        );
        // Eleven digits in runs of two are no number the scan reports.
        assert!(candidate_lines("12 34 56 78 90 12").is_empty());
        // Long CJK runs are skipped a word at a time without losing a line or a digit.
        let digits = format!("{}138{}12345678", "洁".repeat(41), "清".repeat(9));
        let long = format!("{}\n{digits}\n{}", "廉".repeat(40), "医".repeat(7));
        assert_eq!(candidate_lines(&long), [(2, digits.as_str())]);
    }
}
