//! The YAML reader's and serde's own words for a mistake, in ours: every message libyaml and
//! serde_yaml give is turned into one of the catalogue's, and the place inside a value
//! (`sanctions[0].date`) into words; no library text reaches a clerk.

use crate::messages::Msg;
use crate::msg;

/// A mistake serde or libyaml reported (without its ` at line …`), in plain words.
pub fn plain_message(message: &str) -> Msg {
    plain_value_message(None, message)
}

/// Like [`plain_message`], for the value of front matter key `key`: a place that starts at
/// that key (`sanctions[0].date`) is said from there on (`第 1 项 date`).
pub fn plain_value_message(key: Option<&str>, message: &str) -> Msg {
    let (path, rest) = split_path(message);
    let mut parts = path.as_slice();
    if let (Some(key), Some(Part::Key(first))) = (key, parts.first())
        && *first == key
    {
        parts = &parts[1..];
    }
    let prefix = match parts {
        [] => Msg::from(""),
        parts => {
            let words = parts.iter().map(Part::words).collect();
            msg!("yaml.path").joined("path", words, "yaml.path.separator")
        }
    };
    value_message(rest)
        .unwrap_or_else(|| syntax_message(rest))
        .sub("prefix", prefix)
}

/// One step of a place inside a value: a key or a list item (0-based).
#[derive(Debug, PartialEq)]
enum Part<'a> {
    Key(&'a str),
    Item(usize),
}

impl Part<'_> {
    fn words(&self) -> Msg {
        match self {
            Part::Key(k) => msg!("yaml.path.key", key = k),
            Part::Item(n) => msg!("yaml.path.item", n = n + 1),
        }
    }
}

/// serde's place at the start of a message (`sanctions[0].date: …`) and the rest.
fn split_path(message: &str) -> (Vec<Part<'_>>, &str) {
    let Some((path, rest)) = message.split_once(": ") else {
        return (Vec::new(), message);
    };
    let plain = |c: char| c.is_alphanumeric() || "_-.[]".contains(c);
    if path.is_empty() || !path.chars().all(plain) {
        return (Vec::new(), message);
    }
    let mut parts = Vec::new();
    for piece in path.split('.') {
        let (key, items) = piece.split_once('[').map_or((piece, ""), |(k, i)| (k, i));
        if !key.is_empty() {
            parts.push(Part::Key(key));
        }
        for item in items.split('[') {
            match item.trim_end_matches(']').parse::<usize>() {
                Ok(n) => parts.push(Part::Item(n)),
                Err(_) if item.is_empty() => {}
                Err(_) => return (Vec::new(), message),
            }
        }
    }
    (parts, rest)
}

/// serde's messages about a value (a wrong type, our own date and enumeration messages), with
/// `{prefix}` still to fill; `None` for a syntax message.
fn value_message(message: &str) -> Option<Msg> {
    if let Some(m) = our_own(message) {
        return Some(m);
    }
    let wrong = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "));
    if let Some(rest) = wrong {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return Some(
            msg!("yaml.wrong_type")
                .sub("found", describe_found(found))
                .sub("expected", describe_expected(expected)),
        );
    }
    if message.starts_with("invalid length ") {
        return Some(msg!("yaml.wrong_length"));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, list) = rest.split_once("`, expected ").unwrap_or((rest, ""));
        let list = list.trim_start_matches("one of ");
        return Some(msg!("value.unknown", value = value, list = list));
    }
    let generic = [
        "data did not match",
        "untagged",
        "expected a",
        "unknown field",
    ];
    generic
        .iter()
        .any(|g| message.contains(g))
        .then(|| msg!("yaml.wrong_value"))
}

/// The messages our own types give serde (a date, an enumeration), in the reader's language.
fn our_own(message: &str) -> Option<Msg> {
    if let Some(rest) = message.strip_prefix("unknown value `") {
        let (value, why) = rest.split_once("`: ")?;
        let list = why.strip_prefix("expected one of ")?;
        let list = list.split("; nearest `").next().unwrap_or(list);
        return Some(msg!("value.unknown", value = value, list = list));
    }
    let rest = message.strip_prefix("invalid date `")?;
    let (value, why) = rest.split_once("`: ")?;
    let why = if let Some(m) = why.strip_prefix("there is no month ") {
        msg!("date.no_month", month = m)
    } else if let Some(rest) = why.strip_prefix("month ") {
        let (month, day) = rest.split_once(" has no day ")?;
        msg!("date.no_day", month = month, day = day)
    } else {
        msg!("date.shape")
    };
    Some(msg!("date.invalid", value = value).sub("why", why))
}

/// Phrases of the YAML reader's messages, and our message for them.
type Plain = (&'static [&'static str], fn() -> Msg);

/// The YAML reader's words for a syntax mistake, in ours (with `{prefix}` still to fill):
/// libyaml's scanner, parser and reader messages and serde_yaml's own, each matched by a
/// phrase; anything not listed gets the general message.
pub fn syntax_message(message: &str) -> Msg {
    let plain: &[Plain] = &[
        (&["tab character"], || msg!("yaml.tab")),
        (&["mapping values are not allowed"], || {
            msg!("yaml.colon_in_value")
        }),
        (&["cannot start any token"], || msg!("yaml.bad_start")),
        (
            &["found unexpected end of stream", "document indicator"],
            || msg!("yaml.unclosed_quote"),
        ),
        (
            &[
                "did not find expected key",
                "expected '-' indicator",
                "block sequence entries are not allowed",
                "mapping keys are not allowed",
            ],
            || msg!("yaml.indentation"),
        ),
        (&["could not find expected ':'"], || msg!("yaml.no_colon")),
        (&["did not find expected node content"], || {
            msg!("yaml.missing_value")
        }),
        (&["expected ',' or ']'"], || msg!("yaml.unclosed_list")),
        (&["expected ',' or '}'"], || msg!("yaml.unclosed_group")),
        (&["escape", "hexdecimal", "hexadecimal"], || {
            msg!("yaml.escape")
        }),
        (&["indentation indicator", "comment or line break"], || {
            msg!("yaml.block_scalar")
        }),
        (
            &[
                "alphabetic or numeric",
                "anchor",
                "alias",
                "tag",
                "directive",
                "URI",
                "version",
            ],
            || msg!("yaml.special_value"),
        ),
        (
            &["UTF-8", "control character", "Unicode", "input is too long"],
            || msg!("yaml.bad_characters"),
        ),
        (&["more than one document", "document start"], || {
            msg!("yaml.many_documents")
        }),
        (&["recursion limit", "repetition limit"], || {
            msg!("yaml.too_deep")
        }),
    ];
    plain
        .iter()
        .find(|(phrases, _)| phrases.iter().any(|p| message.contains(p)))
        .map_or_else(|| msg!("yaml.syntax"), |(_, m)| m())
}

fn describe_found(found: &str) -> Msg {
    if let Some(s) = found.strip_prefix("string ") {
        return msg!("yaml.found.text", text = s);
    }
    let number = ["integer `", "floating point `"]
        .iter()
        .find_map(|p| found.strip_prefix(p));
    if let Some(n) = number {
        return msg!("yaml.found.number", number = n.trim_end_matches('`'));
    }
    if let Some(b) = found.strip_prefix("boolean `") {
        return msg!("yaml.found.boolean", value = b.trim_end_matches('`'));
    }
    match found {
        "sequence" => msg!("yaml.found.list"),
        "map" => msg!("yaml.found.group"),
        "unit value" | "null" => msg!("yaml.found.empty"),
        _ => msg!("yaml.found.other"),
    }
}

fn describe_expected(expected: &str) -> Msg {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "usize" => {
            msg!("yaml.expected.whole_number")
        }
        "f64" | "f32" => msg!("yaml.expected.number"),
        "a boolean" => msg!("yaml.expected.boolean"),
        "a string" | "a borrowed string" | "a character" => msg!("yaml.expected.text"),
        "a sequence" => msg!("yaml.expected.list"),
        other if other.starts_with("struct ") || other.contains("map") => {
            msg!("yaml.expected.lines")
        }
        _ => msg!("yaml.expected.other"),
    }
}

/// A hint for a syntax or type mistake, when there is a usual cause.
pub fn syntax_hint(message: &str) -> Option<Msg> {
    if message.contains("invalid type: string") && message.contains("expected struct") {
        Some(msg!("yaml.hint.lines"))
    } else if message.contains("tab character") {
        Some(msg!("yaml.hint.tab"))
    } else if message.contains("did not find expected")
        || message.contains("could not find expected")
        || message.contains("mapping values are not allowed")
        || message.contains("are not allowed in this context")
    {
        Some(msg!("yaml.hint.syntax"))
    } else if message.contains("expected a boolean") {
        Some(msg!("yaml.hint.boolean"))
    } else if message.contains("found character that cannot start any token") {
        Some(msg!("yaml.hint.tabs"))
    } else if let Some((_, near)) = message.split_once("; nearest `") {
        let near = near.trim_end_matches('`');
        Some(msg!("front.hint.did_you_mean_value", value = near))
    } else if message.contains("escape") {
        Some(msg!("yaml.hint.escape"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message libyaml's scanner, parser and reader and serde_yaml can give (as their
    /// sources spell them) comes out in the catalogue's words, in both languages.
    #[test]
    fn no_library_words_reach_a_clerk() {
        let library = [
            "found a tab character that violates indentation",
            "found a tab character where an indentation space is expected",
            "mapping values are not allowed in this context",
            "block sequence entries are not allowed in this context",
            "mapping keys are not allowed in this context",
            "could not find expected ':'",
            "found unexpected end of stream",
            "found unexpected document indicator",
            "found unknown escape character",
            "did not find expected hexdecimal number",
            "found invalid Unicode character escape code",
            "found character that cannot start any token",
            "did not find expected alphabetic or numeric character",
            "did not find expected whitespace or line break",
            "did not find expected tag URI",
            "found an indentation indicator equal to 0",
            "did not find expected comment or line break",
            "invalid leading UTF-8 octet",
            "control characters are not allowed",
            "did not find expected <document start>",
            "did not find expected node content",
            "did not find expected key",
            "did not find expected '-' indicator",
            "did not find expected ',' or ']'",
            "did not find expected ',' or '}'",
            "found undefined tag handle",
            "found duplicate %YAML directive",
            "deserializing from YAML containing more than one document is not supported",
            "recursion limit exceeded",
            "repetition limit exceeded",
            "unknown anchor",
            "something new in a later version",
            "invalid type: integer `5`, expected a string",
            "invalid type: floating point `1.5`, expected u8",
            "invalid type: boolean `true`, expected a sequence",
            "invalid type: unit value, expected struct Sanction",
            "invalid value: integer `300`, expected u8",
            "invalid length 3, expected a tuple of size 2",
            "unknown variant `x`, expected `a` or `b`",
            "data did not match any variant of untagged enum Answer",
            "sanctions[0].date: invalid date `2024-13-01`: there is no month 13",
            "principles[0]: invalid type: string \"八\", expected u8",
            "risks[2].level: unknown value `很高`: expected one of `high` / `高`; nearest `高`",
        ];
        for raw in library {
            let m = plain_message(raw);
            for lang in [crate::messages::Lang::En, crate::messages::Lang::Zh] {
                let text = m.render(lang);
                let library = [
                    "did not find",
                    "not allowed",
                    "invalid type",
                    "invalid value",
                    "variant",
                    "[0]",
                    "[2]",
                    "u8",
                    "struct",
                    "token",
                    "octet",
                    "stream",
                    "sequence",
                    "mapping",
                    "scalar",
                    "anchor",
                    "document start",
                    "limit exceeded",
                    "escape",
                ];
                for word in library {
                    assert!(!text.contains(word), "{raw:?} → {text:?}");
                }
                for name in [
                    "{prefix}",
                    "{path}",
                    "{found}",
                    "{expected}",
                    "{value}",
                    "{why}",
                ] {
                    assert!(!text.contains(name), "{raw:?} → {text:?}: {name} left");
                }
            }
        }
    }

    #[test]
    fn places_inside_a_value_are_said_in_words() {
        let raw = "sanctions[0].date: invalid date `2024-13-01`: there is no month 13";
        let zh = plain_value_message(Some("sanctions"), raw).render(crate::messages::Lang::Zh);
        assert_eq!(zh, "第 1 项 `date`：日期 `2024-13-01` 不对：没有 13 月");
        let en = plain_message(raw).render(crate::messages::Lang::En);
        assert!(en.starts_with("`sanctions`, item 1, `date`: "), "{en}");
    }
}
