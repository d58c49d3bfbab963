//! Personal e-mail addresses: at personal mail providers, or QQ-number style all-digit names.

use super::{FindingKind, Span};

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
pub(super) struct EmailAddress {
    pub(super) span: Span,
    pub(super) text: String,
    local: String,
    domain: String,
}

impl EmailAddress {
    /// At a personal mail provider (or one of its subdomains, like vip.163.com), or a
    /// QQ-number style address whose local part is all digits.
    pub(super) fn is_personal(&self) -> bool {
        let domain = self.domain.to_ascii_lowercase();
        let at_provider = PERSONAL_MAIL_DOMAINS.iter().any(|provider| {
            domain
                .strip_suffix(provider)
                .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
        });
        at_provider || self.local.chars().all(|c| c.is_ascii_digit())
    }
}

pub(super) fn email_addresses(chars: &[char]) -> Vec<EmailAddress> {
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

#[cfg(test)]
mod tests {
    use crate::lint::privacy::testutil::*;
    use crate::lint::privacy::{Allowed, FindingKind, scan};

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
}
