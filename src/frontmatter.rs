//! Front matter: the keys every item shares, typed parsing with located diagnostics, and the
//! macros each kind uses to declare its own keys.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::diag::Diagnostic;
use crate::source::SourceFile;

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let ok_shape = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
        ok_shape.then(|| s.parse().ok().map(Date)).flatten()
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = serde_yaml::Value::deserialize(d)?;
        let text = match &raw {
            serde_yaml::Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_owned(),
        };
        Date::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid date `{text}`: dates are written YYYY-MM-DD, e.g. 2024-03-01"
            ))
        })
    }
}

/// Declares an enumeration that accepts an English token or a Chinese label, and always
/// serializes as the token (templates turn it into the theme's label).
#[macro_export]
macro_rules! labeled_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $token:literal | $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub fn token(self) -> &'static str {
                match self { $($name::$variant => $token),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s.trim() { $($token | $label => Some($name::$variant),)+ _ => None }
            }
            fn expected() -> String {
                [$(concat!("`", $token, "` / `", $label, "`")),+].join(", ")
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.token())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| serde::de::Error::custom(format!(
                    "unknown value `{s}`: expected one of {}", Self::expected()
                )))
            }
        }
    };
}

labeled_enum! {
    /// Who may see an item: `public` builds leave `staff` items out of everything.
    Audience { Public = "public" | "公开", Staff = "staff" | "内部" }
}

// The enum comes from `labeled_enum!`, which cannot carry `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for Audience {
    fn default() -> Self {
        Audience::Public
    }
}

/// The keys every kind shares.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub title: String,
    pub slug: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub publish: Option<Date>,
    pub audience: Audience,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
}

/// The keys shared by every kind, for did-you-mean hints.
pub const COMMON_KEYS: &[&str] = &[
    "title",
    "slug",
    "date",
    "updated",
    "draft",
    "publish",
    "audience",
    "tags",
    "summary",
    "description",
];

/// A kind's front matter: deserialized with `deny_unknown_fields`, then split into the shared
/// [`Meta`] and the kind's own fields.
pub trait FrontMatter: DeserializeOwned {
    type Kind;
    fn split(self) -> (Meta, Self::Kind);
}

/// Declares a kind's fields once and generates both the kind struct (serializable, for
/// templates) and its front matter struct (the shared keys plus these, unknown keys refused).
#[macro_export]
macro_rules! front_matter {
    ($(#[$doc:meta])* $kind:ident, $front:ident { $($(#[$attr:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, serde::Serialize)]
        pub struct $kind { $(pub $field: $ty,)* }

        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $front {
            pub title: String,
            #[serde(default)] pub slug: Option<String>,
            #[serde(default)] pub date: Option<$crate::frontmatter::Date>,
            #[serde(default)] pub updated: Option<$crate::frontmatter::Date>,
            #[serde(default)] pub draft: bool,
            #[serde(default)] pub publish: Option<$crate::frontmatter::Date>,
            #[serde(default)] pub audience: $crate::frontmatter::Audience,
            #[serde(default)] pub tags: Vec<String>,
            #[serde(default)] pub summary: Option<String>,
            #[serde(default)] pub description: Option<String>,
            $($(#[$attr])* pub $field: $ty,)*
        }

        impl $crate::frontmatter::FrontMatter for $front {
            type Kind = $kind;
            fn split(self) -> ($crate::frontmatter::Meta, $kind) {
                let meta = $crate::frontmatter::Meta {
                    title: self.title, slug: self.slug, date: self.date, updated: self.updated,
                    draft: self.draft, publish: self.publish, audience: self.audience,
                    tags: self.tags, summary: self.summary, description: self.description,
                };
                (meta, $kind { $($field: self.$field,)* })
            }
        }
    };
}

/// Parses a file's front matter as `F`, locating any mistake on the line of its key.
pub fn parse<F: FrontMatter>(file: &SourceFile) -> Result<(Meta, F::Kind), Vec<Diagnostic>> {
    let colons = full_width_colons(file);
    if !colons.is_empty() {
        return Err(colons);
    }
    let text = file.front_matter();
    let text = if text.trim().is_empty() { "{}" } else { text };
    match serde_yaml::from_str::<F>(text) {
        Ok(front) => {
            let (meta, kind) = front.split();
            if meta.title.trim().is_empty() {
                return Err(vec![
                    file.key_error("title", "`title` is empty")
                        .with_hint("give the item a title"),
                ]);
            }
            Ok((meta, kind))
        }
        Err(e) => Err(vec![yaml_error(file, &e)]),
    }
}

/// Parses any YAML document (such as `site.yaml`) as `T`, locating mistakes in `text`.
pub fn parse_yaml<T: DeserializeOwned>(shown: &str, text: &str) -> Result<T, Diagnostic> {
    let doc = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(doc).map_err(|e| {
        let (line, col, message, hint) = explain(text, &e, &[]);
        let d = Diagnostic::at(
            crate::diag::Severity::Error,
            shown,
            text,
            line.max(1),
            col,
            message,
        );
        match hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    })
}

fn yaml_error(file: &SourceFile, e: &serde_yaml::Error) -> Diagnostic {
    let (line, col, message, hint) = explain(file.front_matter(), e, COMMON_KEYS);
    // Line 0 means "the whole front matter": point at its opening `---`.
    let d = match line {
        0 => file.diag(crate::diag::Severity::Error, 1, 1, message),
        _ => file.front_diag(line, col, message),
    };
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// Turns a serde_yaml error into (line, column, message, hint), lines relative to `text`.
fn explain(
    text: &str,
    e: &serde_yaml::Error,
    extra_keys: &[&str],
) -> (usize, usize, String, Option<String>) {
    let raw = e.to_string();
    let message = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_owned(),
        None => raw.clone(),
    };
    let located = raw.contains(" at line ");
    let (mut line, mut col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let ticks = backticked(&message);
    if let Some(field) = message_field(&message, "unknown field `") {
        if let Some(pos) = find_key(text, &field) {
            (line, col) = pos;
        }
        let mut known: Vec<&str> = ticks.iter().skip(1).map(String::as_str).collect();
        known.extend_from_slice(extra_keys);
        return (
            line,
            col,
            format!("unknown key `{field}`"),
            Some(key_hint(&field, &known)),
        );
    }
    if let Some(field) = message_field(&message, "missing field `") {
        return (
            0,
            1,
            format!("missing required key `{field}`"),
            Some(format!("add a line `{field}: …` to the front matter")),
        );
    }
    if let Some(field) = message_field(&message, "duplicate field `") {
        if let Some(pos) = find_last_key(text, &field) {
            (line, col) = pos;
        }
        return (
            line,
            col,
            format!("key `{field}` appears twice"),
            Some("keep one of the two lines".into()),
        );
    }
    if !located && let Some(pos) = ticks.first().and_then(|v| find_text(text, v)) {
        (line, col) = pos;
    }
    let hint = if message.contains("invalid type: string") && message.contains("expected struct") {
        Some(
            "the front matter must be `key: value` lines; check for a missing space after `:`"
                .to_owned(),
        )
    } else if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
    {
        Some("YAML syntax: put a space after each `:` and quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!`, `@`".to_owned())
    } else if message.contains("expected a boolean") {
        Some("write `true` or `false`".to_owned())
    } else {
        None
    };
    (line, col, message, hint)
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

/// A hint for an unknown key: the closest known key, or the Chinese key's English name.
fn key_hint(field: &str, known: &[&str]) -> String {
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
    if let Some((_, en)) = CHINESE.iter().find(|(zh, _)| *zh == field) {
        return format!("keys are written in English: use `{en}`");
    }
    let best = known
        .iter()
        .map(|k| (strsim::levenshtein(field, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min();
    match best {
        Some((_, k)) => format!("did you mean `{k}`?"),
        None => {
            let mut all: Vec<&str> = known.to_vec();
            all.sort_unstable();
            all.dedup();
            format!("allowed keys: {}", all.join(", "))
        }
    }
}

/// Line and column (1-based) of the first `key:` in `text`, at any depth or list item.
pub fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    key_positions(text, key).next()
}

fn find_last_key(text: &str, key: &str) -> Option<(usize, usize)> {
    key_positions(text, key).last()
}

fn key_positions<'a>(text: &'a str, key: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
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

fn find_text(text: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    text.lines().enumerate().find_map(|(i, line)| {
        line.find(needle)
            .map(|b| (i + 1, line[..b].chars().count() + 1))
    })
}

/// `title：…` (full-width colon) is read by YAML as one long string; name it precisely.
fn full_width_colons(file: &SourceFile) -> Vec<Diagnostic> {
    file.front_matter()
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let trimmed = line.trim_start();
            let at = trimmed.find('：')?;
            let key = &trimmed[..at];
            let is_key = !key.is_empty()
                && key
                    .trim_end()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !key.contains(':');
            is_key.then(|| {
                let col =
                    line[..line.len() - trimmed.len()].chars().count() + key.chars().count() + 1;
                file.front_diag(
                    i + 1,
                    col,
                    format!("full-width colon `：` after key `{}`", key.trim_end()),
                )
                .with_hint(format!(
                    "write a half-width colon and a space: `{}: …`",
                    key.trim_end()
                ))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::split;

    crate::front_matter! {
        /// A test kind.
        Sample, SampleFront {
            #[serde(default)] number: Option<u8>,
        }
    }

    fn parse_sample(text: &str) -> Result<(Meta, Sample), Vec<Diagnostic>> {
        let file = split("t/x.md".into(), text.as_bytes()).unwrap();
        parse::<SampleFront>(&file)
    }

    #[test]
    fn parses_shared_and_own_keys() {
        let (meta, s) =
            parse_sample("---\ntitle: 标题\ndate: 2024-03-01\nnumber: 3\n---\n").unwrap();
        assert_eq!(meta.title, "标题");
        assert_eq!(meta.date.unwrap().to_string(), "2024-03-01");
        assert_eq!(s.number, Some(3));
    }

    #[test]
    fn unknown_key_gets_line_and_did_you_mean() {
        let d = &parse_sample("---\ntitle: a\nnumbr: 3\n---\n").unwrap_err()[0];
        assert_eq!((d.line, d.column), (3, 1));
        assert_eq!(d.message, "unknown key `numbr`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `number`?"));
        let d = &parse_sample("---\ntitle: a\nsumary: x\n---\n").unwrap_err()[0];
        assert_eq!(d.hint.as_deref(), Some("did you mean `summary`?"));
    }

    #[test]
    fn chinese_key_hint() {
        let d = &parse_sample("---\ntitle: a\n标签: [x]\n---\n").unwrap_err()[0];
        assert!(d.hint.as_deref().unwrap().contains("`tags`"), "{d:?}");
    }

    #[test]
    fn bad_date_points_at_its_line() {
        let d = &parse_sample("---\ntitle: a\n\ndate: 2024-13-01\n---\n").unwrap_err()[0];
        assert_eq!(d.line, 4, "{d:?}");
        assert!(d.message.contains("invalid date `2024-13-01`"));
    }

    #[test]
    fn wrong_type_is_located() {
        let d = &parse_sample("---\ntitle: a\nnumber: 七\n---\n").unwrap_err()[0];
        assert_eq!(d.line, 3);
        assert!(d.message.contains("number"), "{d:?}");
    }

    #[test]
    fn missing_title_points_at_opening_fence() {
        let d = &parse_sample("---\nnumber: 1\n---\n").unwrap_err()[0];
        assert_eq!(d.line, 1);
        assert_eq!(d.message, "missing required key `title`");
    }

    #[test]
    fn full_width_colon_has_its_own_hint() {
        let d = &parse_sample("---\ntitle：九项准则\n---\n").unwrap_err()[0];
        assert_eq!((d.line, d.column), (2, 6));
        assert!(d.hint.as_deref().unwrap().contains("title: "));
    }

    #[test]
    fn broken_yaml_is_located() {
        let d = &parse_sample("---\ntitle: a\ntags: [x, y\n---\n").unwrap_err()[0];
        assert!(d.line >= 3, "{d:?}");
    }

    #[test]
    fn enum_accepts_token_and_label() {
        assert_eq!(Audience::parse("staff"), Some(Audience::Staff));
        assert_eq!(Audience::parse("内部"), Some(Audience::Staff));
        let d = &parse_sample("---\ntitle: a\naudience: 员工\n---\n").unwrap_err()[0];
        assert_eq!(d.line, 3, "{d:?}");
        assert!(d.message.contains("`staff` / `内部`"), "{d:?}");
    }

    #[test]
    fn dates_reject_loose_shapes() {
        assert!(Date::parse("2024-3-1").is_none());
        assert!(Date::parse("2024-02-30").is_none());
        assert!(Date::parse("2024-02-29").is_some());
    }
}
