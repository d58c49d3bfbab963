//! Personal-data detection for published content: resident ID numbers, mobile numbers,
//! personal e-mail addresses and unmasked names in warning cases and disclosures.
//!
//! A pure library: text in, [`Finding`]s out. Matching is hand-written over `char`s, so
//! columns count characters and no input can split a multi-byte character.

use std::collections::BTreeSet;

use rayon::prelude::*;

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
    pub fn message(self) -> &'static str {
        match self {
            FindingKind::IdNumber => "looks like a resident ID number",
            FindingKind::Mobile => "looks like a personal mobile phone number",
            FindingKind::Email => "looks like a personal e-mail address",
            FindingKind::UnmaskedName => "subject is a full name, not a masked one",
        }
    }

    /// A hint on how to fix it.
    pub fn hint(self) -> &'static str {
        match self {
            FindingKind::IdNumber => {
                "mask it (e.g. 3301**********1234) or remove it; personal data must not be published"
            }
            FindingKind::Mobile => {
                "mask it (e.g. 138****5678) or remove it; only published reporting-channel numbers may appear in full"
            }
            FindingKind::Email => {
                "remove it or use the institution's published reporting address; personal data must not be published"
            }
            FindingKind::UnmaskedName => {
                "mask the given name with 某 (e.g. 王某 or 欧阳某); personal data must not be published"
            }
        }
    }
}

/// Numbers and addresses that belong to published reporting channels and so are allowed.
#[derive(Debug, Clone, Default)]
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

    fn has_phone(&self, digits: &str) -> bool {
        self.phones.contains(digits)
    }

    fn has_email(&self, address: &str) -> bool {
        self.emails.contains(&address.to_ascii_lowercase())
    }
}

/// Scans free text (Markdown body or a front matter value) for ID numbers, mobile numbers
/// and personal e-mail addresses.
pub fn scan(text: &str, allowed: &Allowed) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        // Every pattern needs an ASCII digit or an `@`: most lines of prose have neither.
        if !line.bytes().any(|b| b.is_ascii_digit() || b == b'@') {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        for span in scan_line(&chars, allowed) {
            findings.push(span.into_finding(&chars, index + 1));
        }
    }
    findings.sort_by_key(|f| (f.line, f.column));
    findings
}

/// Checks a case's `subject` (the person): returns a finding (line 1, column of the name)
/// when it is a full Chinese name instead of a masked one.
pub fn check_subject(subject: &str) -> Option<Finding> {
    let name = subject.trim();
    if name.contains('某') {
        return None;
    }
    let len = name.chars().count();
    let all_han = name.chars().all(is_han);
    if !(2..=4).contains(&len) || !all_han {
        return None;
    }
    Some(Finding {
        kind: FindingKind::UnmaskedName,
        line: 1,
        column: 1,
        len,
        text: name.to_owned(),
    })
}

/// A match within one line, in char indices (`end` exclusive).
#[derive(Debug, Clone, Copy)]
struct Span {
    kind: FindingKind,
    start: usize,
    end: usize,
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
    let addresses = email_addresses(chars);
    let mut spans: Vec<Span> = addresses
        .iter()
        .filter(|address| address.is_personal() && !allowed.has_email(&address.text))
        .map(|address| address.span)
        .collect();
    let numbers = id_numbers(chars).into_iter().chain(mobiles(chars, allowed));
    spans.extend(numbers.filter(|n| !addresses.iter().any(|a| a.span.overlaps(n))));
    spans
}

// ---------------------------------------------------------------------------------------
// Resident ID numbers (GB 11643)

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

fn id_numbers(chars: &[char]) -> Vec<Span> {
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

// ---------------------------------------------------------------------------------------
// Mobile numbers

fn mobiles(chars: &[char], allowed: &Allowed) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
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

// ---------------------------------------------------------------------------------------
// E-mail addresses

const PERSONAL_MAIL_DOMAINS: [&str; 17] = [
    "qq.com",
    "foxmail.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "sina.cn",
    "sohu.com",
    "139.com",
    "189.cn",
    "aliyun.com",
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
];

/// An e-mail address found in a line.
struct EmailAddress {
    span: Span,
    text: String,
    local: String,
    domain: String,
}

impl EmailAddress {
    /// At a personal mail provider (or one of its subdomains, like vip.163.com), or a
    /// QQ-number style address whose local part is all digits.
    fn is_personal(&self) -> bool {
        let domain = self.domain.to_ascii_lowercase();
        let at_provider = PERSONAL_MAIL_DOMAINS.iter().any(|provider| {
            domain
                .strip_suffix(provider)
                .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
        });
        at_provider || self.local.chars().all(|c| c.is_ascii_digit())
    }
}

fn email_addresses(chars: &[char]) -> Vec<EmailAddress> {
    let mut addresses = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match email_around(chars, i) {
            Some(address) => {
                i = address.span.end;
                addresses.push(address);
            }
            None => i += 1,
        }
    }
    addresses
}

/// The address whose '@' is at `at`, if the text around it forms one.
fn email_around(chars: &[char], at: usize) -> Option<EmailAddress> {
    if chars.get(at) != Some(&'@') {
        return None;
    }
    let start = local_part_start(chars, at);
    let end = domain_end(chars, at + 1);
    let local: String = chars[start..at].iter().collect();
    let domain: String = chars[at + 1..end].iter().collect();
    if local.is_empty() || !is_mail_domain(&domain) {
        return None;
    }
    Some(EmailAddress {
        span: Span {
            kind: FindingKind::Email,
            start,
            end,
        },
        text: chars[start..end].iter().collect(),
        local,
        domain,
    })
}

/// Walks back from the '@' over local-part characters, dropping leading punctuation.
fn local_part_start(chars: &[char], at: usize) -> usize {
    let mut start = at;
    while start > 0 && is_local_char(chars[start - 1]) {
        start -= 1;
    }
    while start < at && matches!(chars[start], '.' | '-' | '+' | '%') {
        start += 1;
    }
    start
}

/// Walks forward over domain characters, dropping trailing '.' or '-' (end of sentence).
fn domain_end(chars: &[char], from: usize) -> usize {
    let mut end = from;
    while end < chars.len() && is_domain_char(chars[end]) {
        end += 1;
    }
    while end > from && matches!(chars[end - 1], '.' | '-') {
        end -= 1;
    }
    end
}

/// At least two non-empty labels, the last one a top-level domain of two or more letters.
fn is_mail_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    labels.len() >= 2
        && labels.iter().all(|label| !label.is_empty())
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

// ---------------------------------------------------------------------------------------
// Shared helpers

fn all_digits(chars: &[char]) -> bool {
    chars.iter().all(char::is_ascii_digit)
}

/// The value of a run of ASCII digits (callers check they are digits).
fn number(chars: &[char]) -> u32 {
    chars
        .iter()
        .filter_map(|c| c.to_digit(10))
        .fold(0, |acc, d| acc.saturating_mul(10).saturating_add(d))
}

/// CJK Unified Ideographs, the block that holds common Chinese names.
fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Warns about personal data in the published cases and disclosures of `site`: ID numbers,
/// mobile numbers and personal e-mail addresses anywhere in their files, and case subjects
/// that are full names. Numbers and addresses of reporting channels are allowed.
pub fn lint(site: &crate::site::Site) -> Vec<crate::diag::Diagnostic> {
    let mut allowed = Allowed::default();
    for c in &site.channels {
        allowed.add(&c.item.data.value);
    }
    let files = site
        .cases
        .iter()
        .map(|c| &c.item.file)
        .chain(site.disclosures.iter().map(|d| &d.item.file));
    let files: Vec<_> = files.collect();
    let mut diags: Vec<_> = files
        .par_iter()
        .flat_map_iter(|f| {
            scan(&f.text, &allowed)
                .into_iter()
                .map(move |x| warn(f, x, 0))
        })
        .collect();
    for case in &site.cases {
        let Some(subject) = case.item.data.subject.as_deref() else {
            continue;
        };
        if let Some(finding) = check_subject(subject) {
            // The finding is relative to the value: place it where the value sits on its line.
            let file = &case.item.file;
            let (line, key_col) = file.key_pos("subject");
            let text = file.text.lines().nth(line - 1).unwrap_or("");
            let before = text
                .find(subject.trim())
                .map_or(key_col - 1, |b| text[..b].chars().count());
            diags.push(warn(file, Finding { line, ..finding }, before));
        }
    }
    diags
}

fn warn(
    file: &crate::source::SourceFile,
    f: Finding,
    column_offset: usize,
) -> crate::diag::Diagnostic {
    let masked = mask(&f.text);
    let msg = format!("`{masked}` {}", f.kind.message());
    file.diag(
        crate::diag::Severity::Warning,
        f.line,
        f.column + column_offset,
        msg,
    )
    .with_hint(f.kind.hint())
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
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(FindingKind, String)> {
        scan(text, &Allowed::default())
            .into_iter()
            .map(|f| (f.kind, f.text))
            .collect()
    }

    fn flagged(text: &str, kind: FindingKind) -> Vec<String> {
        scan(text, &Allowed::default())
            .into_iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.text)
            .collect()
    }

    fn allowed(values: &[&str]) -> Allowed {
        let mut allowed = Allowed::default();
        for value in values {
            allowed.add(value);
        }
        allowed
    }

    // --- 18-character resident ID numbers

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

    // --- 15-digit resident ID numbers

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

    // --- Mobile numbers

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

    // --- E-mail addresses

    #[test]
    fn email_at_personal_provider_is_flagged() {
        let found = scan("邮箱：zhangsan@qq.com。", &Allowed::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FindingKind::Email);
        assert_eq!(found[0].text, "zhangsan@qq.com");
        assert_eq!(found[0].column, 4);
    }

    #[test]
    fn email_providers_match_case_insensitively_and_subdomains() {
        assert_eq!(flagged("ZhangSan@QQ.COM", FindingKind::Email).len(), 1);
        assert_eq!(
            flagged("li.si@vip.163.com.", FindingKind::Email),
            vec!["li.si@vip.163.com".to_string()]
        );
        assert_eq!(flagged("a_b@gmail.com", FindingKind::Email).len(), 1);
    }

    #[test]
    fn email_with_digit_local_part_is_flagged() {
        assert_eq!(
            flagged("12345678@hospital.org.cn", FindingKind::Email).len(),
            1
        );
    }

    #[test]
    fn institutional_email_is_not_flagged() {
        assert!(kinds("来信请寄 jjjc@example.cn 或 office@hospital.org.cn").is_empty());
        assert!(kinds("a@myqq.com").is_empty());
        assert!(kinds("a@qq.com.cn.example").is_empty());
    }

    #[test]
    fn malformed_email_is_not_flagged() {
        assert!(kinds("@qq.com").is_empty());
        assert!(kinds("user@qq").is_empty());
        assert!(kinds("user@.com").is_empty());
        assert!(kinds("user@qq.c0m").is_empty());
    }

    #[test]
    fn allowed_email_is_not_flagged_case_insensitively() {
        let allowed = allowed(&["JuBao@163.com"]);
        assert!(scan("jubao@163.COM", &allowed).is_empty());
        assert_eq!(scan("other@163.com", &allowed).len(), 1);
    }

    #[test]
    fn number_inside_email_is_reported_once_as_email() {
        assert_eq!(
            kinds("13812345678@qq.com"),
            vec![(FindingKind::Email, "13812345678@qq.com".to_string())]
        );
        let allowed = allowed(&["13812345678@qq.com"]);
        assert!(scan("13812345678@qq.com", &allowed).is_empty());
    }

    // --- Positions, order and robustness

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

    // --- Subjects

    #[test]
    fn masked_subjects_are_fine() {
        for subject in ["王某", "欧阳某", "王某某", "李某（主任医师）", " 王某 "]
        {
            assert_eq!(check_subject(subject), None, "{subject}");
        }
    }

    #[test]
    fn full_names_are_flagged() {
        let finding = check_subject(" 张三 ").expect("flagged");
        assert_eq!(
            finding,
            Finding {
                kind: FindingKind::UnmaskedName,
                line: 1,
                column: 1,
                len: 2,
                text: "张三".into(),
            }
        );
        assert_eq!(check_subject("欧阳娜娜").map(|f| f.len), Some(4));
    }

    #[test]
    fn other_subjects_are_not_names() {
        for subject in [
            "",
            "   ",
            "张",
            "某科室医生",
            "心血管内科副主任医师",
            "Zhang San",
            "张3",
            "张三（医生）",
        ] {
            assert_eq!(check_subject(subject), None, "{subject}");
        }
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
}
