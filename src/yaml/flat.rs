//! Front matter that is only `key: value` lines, read without libyaml.
//!
//! Most front matter is a few lines of `title: …`, `date: 2024-05-01`, `principles: [3, 5]`.
//! serde_yaml spends some 50,000 instructions on such a block (libyaml's scanner, events,
//! then the value tree), a tenth of a 10,000-page build. [`mapping`] reads exactly that
//! shape and gives the [`Mapping`] serde_yaml would; anything it is not sure of (a comment,
//! an indented line, a quote, a `:` or `#` in a value, an ASCII value that is not a plain
//! word, a number or a date, a key given twice) makes it answer `None`, and serde_yaml reads
//! the block as before, with its located errors. A test compares the two on thousands of
//! generated blocks.

use serde_yaml::{Mapping, Number, Value};

/// The mapping of `text` when every line is blank or `key: value` (a flat mapping of plain
/// scalars and flow lists of them), the same as `serde_yaml::from_str::<Value>` gives;
/// `None` when `text` holds anything else.
pub fn mapping(text: &str) -> Option<Mapping> {
    let mut map = Mapping::new();
    for line in text.split('\n') {
        if line.bytes().all(|b| b == b' ') {
            continue;
        }
        let (key, rest) = line.split_once(':')?;
        if !is_key(key) {
            return None;
        }
        let value = match rest.trim_end_matches(' ') {
            "" => Value::Null,
            v => value(v.strip_prefix(' ')?.trim_start_matches(' '))?,
        };
        if map.insert(Value::String(key.to_owned()), value).is_some() {
            return None;
        }
    }
    Some(map)
}

/// A key of ASCII lowercase letters, digits and `_`, starting with a letter or `_`, that
/// YAML does not read as null or a boolean.
fn is_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'_'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
        && !matches!(key, "null" | "true" | "false")
}

/// A value after `key: `: a flow list `[a, b]` or one scalar.
fn value(v: &str) -> Option<Value> {
    match v.strip_prefix('[') {
        Some(list) => {
            let list = list.strip_suffix(']')?;
            if list.bytes().all(|b| b == b' ') {
                return Some(Value::Sequence(Vec::new()));
            }
            list.split(',')
                .map(|item| scalar(item.trim_matches(' ')))
                .collect::<Option<Vec<_>>>()
                .map(Value::Sequence)
        }
        None => scalar(v),
    }
}

/// A plain scalar as serde_yaml resolves it, for the scalars this reader is sure of.
fn scalar(s: &str) -> Option<Value> {
    let first = s.chars().next()?;
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || !s.chars().all(is_safe) {
        return None;
    }
    if !s.is_ascii() {
        // Null, booleans and numbers are ASCII: anything else is text.
        return Some(Value::String(s.to_owned()));
    }
    match s {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        "null" => Some(Value::Null),
        _ if is_word(s) || is_date(s) => Some(Value::String(s.to_owned())),
        _ if is_decimal(s) => s
            .parse::<u64>()
            .ok()
            .map(|n| Value::Number(Number::from(n))),
        _ => None,
    }
}

/// A character this reader takes inside a plain scalar, in a value or a flow list: printable
/// in YAML's sense, but not the next-line, line and paragraph separators (libyaml breaks
/// lines at them), the byte-order mark, a tab, `:`, `#`, `,`, brackets or braces.
fn is_safe(c: char) -> bool {
    match c {
        ':' | '#' | ',' | '[' | ']' | '{' | '}' => false,
        ' '..='~' => true,
        '\u{A0}'..='\u{D7FF}' => !matches!(c, '\u{2028}' | '\u{2029}'),
        '\u{E000}'..='\u{FFFD}' => c != '\u{FEFF}',
        '\u{10000}'..='\u{10FFFF}' => true,
        _ => false,
    }
}

/// A lowercase word (`staff`, `hotline`, `item-0371`): never a number, boolean or null
/// once those three words are taken out.
fn is_word(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
}

/// `2024-05-01`: text to YAML 1.2 (serde_yaml has no timestamps).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// `0` or digits without a leading zero, short enough for a `u64`.
fn is_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    (b == b"0" || (b.len() <= 18 && b[0] != b'0')) && b.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Option<Mapping> {
        match serde_yaml::from_str::<Value>(text) {
            Ok(Value::Mapping(m)) => Some(m),
            Ok(Value::Null) => Some(Mapping::new()),
            _ => None,
        }
    }

    /// Both readers agree, in order; `None` from ours is always allowed.
    fn agrees(text: &str) -> bool {
        match mapping(text) {
            None => true,
            Some(ours) => yaml(text).is_some_and(|theirs| ours.iter().eq(theirs.iter())),
        }
    }

    #[test]
    fn reads_the_usual_front_matter() {
        let text = "title: 收受患者家属红包（4500）\ndate: 2016-10-18\nunit: 药剂科\n\
                    principles: [5, 8]\naudience: staff\ndraft: false\nweight: 3\nsummary:\n";
        let m = mapping(text).expect("flat front matter is read");
        assert_eq!(m.len(), 8);
        assert!(agrees(text));
        assert_eq!(m["principles"], Value::Sequence(vec![5.into(), 8.into()]));
        assert_eq!(m["summary"], Value::Null);
        assert_eq!(m["date"], Value::String("2016-10-18".into()));
    }

    #[test]
    fn leaves_everything_else_to_serde_yaml() {
        for text in [
            "title: a: b",
            "title: 标题 # 注释",
            "# comment\ntitle: x",
            "items:\n  - a",
            "title: \"引号\"",
            "title: x\ntitle: y",
            "weight: 007",
            "weight: 0x10",
            "weight: 1e3",
            "weight: -1",
            "draft: True",
            "title: Hello",
            "tags: [a, [b]]",
            "tags: [a,]",
            "title: 甲\u{2028}乙",
            "title:\t甲",
            "---",
            "null: x",
            "Title: x",
        ] {
            assert_eq!(mapping(text), None, "{text:?}");
        }
    }

    /// Keys and values that sit on both sides of every rule above.
    const KEYS: &[&str] = &[
        "title", "date", "a_b", "k9", "_x", "true", "Null", "y", "no",
    ];
    const VALUES: &[&str] = &[
        "",
        "staff",
        "true",
        "false",
        "null",
        "Null",
        "TRUE",
        "~",
        "0",
        "7",
        "42",
        "007",
        "-3",
        "+3",
        "1.5",
        "1e3",
        ".inf",
        "inf",
        "nan",
        "0x1f",
        "0o7",
        "0b1",
        "1_000",
        "2024-05-01",
        "2024-5-1",
        "12:30",
        "yes",
        "on",
        "item-0371",
        "a b",
        "a  b",
        "红包",
        "红包 ",
        " 红包",
        "甲：乙",
        "甲:乙",
        "甲: 乙",
        "甲 #乙",
        "甲#乙",
        "#甲",
        "[1, 2]",
        "[甲, 乙]",
        "[ 5 ]",
        "[]",
        "[ ]",
        "[1,2]",
        "[1,,2]",
        "[a, [b]]",
        "{a: 1}",
        "'引'",
        "\"引\"",
        "- 甲",
        "? 甲",
        "&a 甲",
        "*a",
        "!t 甲",
        "|",
        ">",
        "%甲",
        "@甲",
        "`甲",
        "甲,乙",
        "甲[乙]",
        "\u{3000}甲",
        "甲\u{85}乙",
        "\u{FEFF}甲",
        "甲\t乙",
        "e5",
        "E5",
        "1-2",
        "_a",
    ];
    /// Values ours reads, so that many blocks are read and compared.
    const USUAL: &[&str] = &[
        "staff",
        "红包",
        "2024-05-01",
        "42",
        "true",
        "[1, 2]",
        "甲 乙",
    ];

    /// A xorshift generator: the same draws in every run.
    struct Draw(u64);

    impl Draw {
        /// A number below `n`.
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick(&mut self, from: &[&'static str]) -> &'static str {
            from[self.below(from.len())]
        }
    }

    /// `count` blocks of one to four lines from those pieces: mostly `key: value`, some
    /// blank, indented or without the space after the colon.
    fn generated_blocks(count: usize) -> impl Iterator<Item = String> {
        let mut draw = Draw(0x2545_F491_4F6C_DD1D);
        (0..count).map(move |_| {
            let lines: Vec<String> = (0..1 + draw.below(4))
                .map(|_| match draw.below(12) {
                    0 => String::new(),
                    1 => format!("  {}: {}", draw.pick(KEYS), draw.pick(VALUES)),
                    2 => format!("{}:{}", draw.pick(KEYS), draw.pick(VALUES)),
                    3..=6 => format!("{}: {}", draw.pick(KEYS), draw.pick(USUAL)),
                    _ => format!("{}: {}", draw.pick(KEYS), draw.pick(VALUES)),
                })
                .collect();
            lines.join("\n")
        })
    }

    /// Thousands of generated blocks: each one ours reads must be what serde_yaml reads.
    #[test]
    fn agrees_with_serde_yaml_on_generated_blocks() {
        let mut read = 0;
        for text in generated_blocks(4000) {
            assert!(
                agrees(&text),
                "{text:?}: ours {:?}, serde_yaml {:?}",
                mapping(&text),
                yaml(&text)
            );
            read += usize::from(mapping(&text).is_some());
        }
        // The fast path is taken often enough for the comparison to mean something.
        assert!(read > 500, "only {read} blocks read");
    }
}
