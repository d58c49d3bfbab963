//! YAML with located errors: typed parsing of whole documents (`site.yaml`, i18n files), key
//! positions found by scanning the text (serde_yaml keeps no spans for values), and plain
//! explanations of serde_yaml's messages.

pub mod flat;
mod words;

pub use words::{plain_message, plain_value_message, syntax_hint, syntax_message};

use crate::messages::Msg;
use crate::msg;
use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Severity};

/// A YAML mistake placed in the text it came from (1-based line and column; line 0 means
/// the whole document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub line: usize,
    pub column: usize,
    pub message: Msg,
    pub hint: Option<Msg>,
}

/// Parses a whole YAML document (such as `site.yaml`) as `T`, locating mistakes in `text`.
pub fn parse<T: DeserializeOwned>(shown: &str, text: &str) -> Result<T, Diagnostic> {
    let doc = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(doc).map_err(|e| {
        let l = explain(text, &e, &[]);
        let d = Diagnostic::at(
            Severity::Error,
            shown,
            text,
            l.line.max(1),
            l.column,
            l.message,
        );
        match l.hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    })
}

/// Turns a serde_yaml error into a located, plain message; lines relative to `text`.
/// `extra_keys` are offered as did-you-mean candidates for unknown keys.
pub fn explain(text: &str, e: &serde_yaml::Error, extra_keys: &[&str]) -> Located {
    let raw = e.to_string();
    let message = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_owned(),
        None => raw.clone(),
    };
    let located = raw.contains(" at line ");
    let (mut line, mut column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let ticks = backticked(&message);
    if let Some(field) = message_field(&message, "unknown field `") {
        if let Some(pos) = find_key(text, &field) {
            (line, column) = pos;
        }
        let mut known: Vec<&str> = ticks.iter().skip(1).map(String::as_str).collect();
        known.extend_from_slice(extra_keys);
        return Located {
            line,
            column,
            message: msg!("front.unknown_key", key = &field),
            hint: Some(key_hint(&field, &known)),
        };
    }
    if let Some(field) = message_field(&message, "missing field `") {
        return Located {
            line: 0,
            column: 1,
            message: msg!("front.missing_key", key = &field),
            hint: Some(msg!("front.missing_key.hint", key = &field)),
        };
    }
    if let Some(field) = message_field(&message, "duplicate field `") {
        if let Some(pos) = key_positions(text, &field).last() {
            (line, column) = pos;
        }
        return Located {
            line,
            column,
            message: msg!("front.twice", key = &field),
            hint: Some(msg!("front.twice.hint")),
        };
    }
    if !located && let Some(pos) = ticks.first().and_then(|v| find_text(text, v)) {
        (line, column) = pos;
    }
    let hint = syntax_hint(&message);
    Located {
        line,
        column,
        message: plain_message(&message),
        hint,
    }
}

fn message_field(message: &str, prefix: &str) -> Option<String> {
    let start = message.find(prefix)? + prefix.len();
    let end = message[start..].find('`')? + start;
    Some(message[start..end].to_owned())
}

fn backticked(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// Keys clerks write in Chinese, and their English names.
const CHINESE: &[(&str, &str)] = &[
    ("标题", "title"),
    ("日期", "date"),
    ("摘要", "summary"),
    ("文号", "doc_no"),
    ("状态", "status"),
    ("发文机关", "issuer"),
    ("科室", "unit"),
    ("类别", "category"),
    ("草稿", "draft"),
    ("标签", "tags"),
];

/// A hint for an unknown key: the Chinese key's English name, else the closest known key,
/// else the list of allowed keys.
pub fn key_hint(field: &str, known: &[&str]) -> Msg {
    if let Some((_, en)) = CHINESE.iter().find(|(zh, _)| *zh == field) {
        return msg!("front.hint.english_key", key = en);
    }
    match closest_key(field, known) {
        Some(k) => msg!("front.hint.did_you_mean", key = k),
        None => {
            let mut all: Vec<&str> = known.to_vec();
            all.sort_unstable();
            all.dedup();
            msg!("front.hint.allowed", keys = all.join(", "))
        }
    }
}

/// The known key an unknown key most likely misspells.
pub fn closest_key<'a>(field: &str, known: &[&'a str]) -> Option<&'a str> {
    if let Some((_, en)) = CHINESE.iter().find(|(zh, _)| *zh == field) {
        return known.iter().copied().find(|k| k == en);
    }
    known
        .iter()
        .map(|k| (strsim::levenshtein(field, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// Line and column (1-based) of the first `key:` in `text`, at any depth or list item.
pub fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    key_positions(text, key).next()
}

/// Every `key:` in `text`, at any depth or list item, as 1-based (line, column).
pub fn key_positions<'a>(text: &'a str, key: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    text.lines().enumerate().filter_map(move |(i, line)| {
        let trimmed = line.trim_start();
        let trimmed = trimmed.strip_prefix("- ").map_or(trimmed, str::trim_start);
        let rest = trimmed.strip_prefix(key)?;
        rest.trim_start().starts_with(':').then(|| {
            let col = line[..line.len() - trimmed.len()].chars().count() + 1;
            (i + 1, col)
        })
    })
}

/// Line and column (1-based) of the first occurrence of `needle` in `text`.
pub fn find_text(text: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    text.lines().enumerate().find_map(|(i, line)| {
        line.find(needle)
            .map(|b| (i + 1, line[..b].chars().count() + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        number: Option<u8>,
    }

    #[test]
    fn unknown_keys_get_line_and_did_you_mean() {
        let d = parse::<Doc>("x.yaml", "title: a\nnumbr: 3\n").unwrap_err();
        assert_eq!((d.line, d.column), (2, 1));
        assert_eq!(d.hint.as_deref(), Some("did you mean `number`?"));
    }

    #[test]
    fn type_mistakes_are_in_plain_words() {
        let d = parse::<Doc>("x.yaml", "title: a\nnumber: 七\n").unwrap_err();
        assert_eq!(d.line, 2);
        assert!(d.message.contains("a whole number"), "{}", d.message);
    }

    #[test]
    fn chinese_key_hint() {
        assert!(key_hint("标签", &["tags"]).contains("`tags`"));
    }

    #[test]
    fn key_positions_see_list_items() {
        let text = "a: 1\nlist:\n  - kind: x\n    level: y\n";
        assert_eq!(find_key(text, "level"), Some((4, 5)));
        assert_eq!(find_key(text, "kind"), Some((3, 5)));
        assert_eq!(find_key(text, "none"), None);
    }
}
