//! Front matter: the YAML is read into a mapping (lines that break the YAML are reported and
//! set aside), then every key is checked on its own, so one `check` names every mistake in a
//! file: unknown keys, wrong types, bad dates and enumerations, missing keys.

use crate::messages::Msg;
use crate::msg;
use std::collections::BTreeSet;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

use crate::diag::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::types::{Audience, Date};

/// Front matter larger than this is refused: it would only ever be a mistake.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// How many broken lines are set aside before a file's front matter is given up on.
const MAX_RECOVERIES: usize = 16;

/// The keys every kind shares.
#[derive(Debug, Clone, Serialize, PartialEq)]
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
    /// Values the author checked and that may be published although they look like
    /// personal data.
    pub privacy_ok: Vec<String>,
    /// Whether a commission shares the item with its units (`share:`); the kind's default
    /// when absent (see [`crate::units`]).
    pub share: Option<bool>,
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
    "privacy_ok",
    "share",
];

/// A kind's own front matter keys, read one by one from [`Fields`].
pub trait FrontMatter: Sized {
    /// The kind's own keys (besides [`COMMON_KEYS`]).
    const KEYS: &'static [&'static str];
    /// Takes the kind's keys; `None` when one of them is wrong (already reported).
    fn from_fields(f: &mut Fields) -> Option<Self>;
    /// Checks that need several keys at once (a range, a pair of dates).
    fn check(&self, _file: &SourceFile, _meta: &Meta) -> Vec<Diagnostic> {
        Vec::new()
    }
}

/// A dated kind's `date` is required: the error when it is absent, with the kind's `hint`.
pub fn require_date(file: &SourceFile, meta: &Meta, hint: Msg) -> Option<Diagnostic> {
    meta.date.is_none().then(|| {
        file.diag(
            Severity::Error,
            1,
            1,
            msg!("front.missing_key", key = "date"),
        )
        .with_hint(hint)
    })
}

/// Declares a kind's fields once: the struct (serializable, for templates) and its
/// [`FrontMatter`] reader. `field: Type = default` gives a default when the key is absent;
/// `Option` fields are optional; any other field is required.
#[macro_export]
macro_rules! front_matter {
    ($(#[$doc:meta])* $kind:ident { $($(#[$attr:meta])* $field:ident : $ty:ty $(= $default:expr)?),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        pub struct $kind { $($(#[$attr])* pub $field: $ty,)* }

        impl $kind {
            fn read_fields(f: &mut $crate::kinds::front::Fields) -> Option<Self> {
                $(let $field = $crate::front_matter!(@take f, $field, $ty $(, $default)?);)*
                Some($kind { $($field: $field?,)* })
            }
        }
    };
    (@take $f:ident, $field:ident, $ty:ty) => { $f.take::<$ty>(stringify!($field)) };
    (@take $f:ident, $field:ident, $ty:ty, $default:expr) => {
        $f.take_or::<$ty>(stringify!($field), || $default)
    };
}

/// The keys of one file's front matter, taken one at a time; every problem is collected.
pub struct Fields<'a> {
    file: &'a SourceFile,
    map: Mapping,
    /// The front matter's lines, as repaired.
    lines: Vec<String>,
    /// Each top-level key's own lines (`key: value` and what is indented under it), so a
    /// value is read as written: `value: 0571` stays the text `0571`. Made from `lines` the
    /// first time a value cannot be read from `map`.
    entries: Option<std::collections::HashMap<String, String>>,
    /// Required keys that are absent; reported at the end unless an unknown key is a
    /// misspelling of one (then only the misspelling is reported).
    missing: Vec<String>,
    /// Keys whose lines broke the YAML (reported already): not checked, not "missing".
    set_aside: BTreeSet<String>,
    diags: Vec<Diagnostic>,
    failed: bool,
}

/// Parses a file's front matter into the shared keys and the kind's own; `None` when any
/// error was found. Warnings come back either way.
pub fn parse<K: FrontMatter>(file: &SourceFile) -> (Option<(Meta, K)>, Vec<Diagnostic>) {
    let Some(mut f) = Fields::read(file) else {
        return (None, vec![too_large(file)]);
    };
    let meta = read_meta(&mut f);
    let own = K::from_fields(&mut f);
    let (mut diags, failed) = f.finish(K::KEYS);
    match (meta, own) {
        (Some(meta), Some(own)) if !failed => {
            diags.extend(own.check(file, &meta));
            if diags.iter().any(Diagnostic::is_error) {
                (None, diags)
            } else {
                (Some((meta, own)), diags)
            }
        }
        _ => (None, diags),
    }
}

fn too_large(file: &SourceFile) -> Diagnostic {
    file.diag(
        Severity::Error,
        1,
        1,
        msg!("front.too_long", kb = MAX_FRONT_MATTER_BYTES / 1024),
    )
    .with_hint(msg!("front.too_long.hint"))
}

fn read_meta(f: &mut Fields) -> Option<Meta> {
    let title = f.take::<String>("title");
    if title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        let d = f.file.key_error("title", msg!("front.empty_title"));
        f.push(d.with_hint(msg!("front.empty_title.hint")));
    }
    let slug = f.take::<Option<String>>("slug");
    let date = f.take::<Option<Date>>("date");
    let updated = f.take::<Option<Date>>("updated");
    let draft = f.take_or::<bool>("draft", || false);
    let publish = f.take::<Option<Date>>("publish");
    let audience = f.take_or::<Audience>("audience", Audience::default);
    let tags = f.take_or::<Vec<String>>("tags", Vec::new);
    let summary = f.take::<Option<String>>("summary");
    let description = f.take::<Option<String>>("description");
    let privacy_ok = f.take_or::<Vec<String>>("privacy_ok", Vec::new);
    let share = f.take::<Option<bool>>("share");
    Some(Meta {
        title: title?,
        slug: slug?,
        date: date?,
        updated: updated?,
        draft: draft?,
        publish: publish?,
        audience: audience?,
        tags: tags?,
        summary: summary?,
        description: description?,
        privacy_ok: privacy_ok?,
        share: share?,
    })
}

impl<'a> Fields<'a> {
    /// Reads the front matter of `file`; `None` when it is too large to read at all.
    pub fn read(file: &'a SourceFile) -> Option<Fields<'a>> {
        let text = file.front_matter();
        if text.len() > MAX_FRONT_MATTER_BYTES {
            return None;
        }
        let mut f = Fields {
            file,
            map: Mapping::new(),
            lines: Vec::new(),
            entries: None,
            missing: Vec::new(),
            set_aside: BTreeSet::new(),
            diags: Vec::new(),
            failed: false,
        };
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        f.repair_colons_and_tabs(&mut lines);
        f.map = f.parse_with_recovery(&mut lines);
        f.lines = lines;
        Some(f)
    }

    fn push(&mut self, d: Diagnostic) {
        self.failed |= d.is_error();
        self.diags.push(d);
    }

    /// Takes `key` as `T`. An absent key is read as empty (so `Option` fields are optional);
    /// when `T` needs a value, that is a "missing key" error.
    pub fn take<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        match self.map.remove(key) {
            Some(value) => self.convert(key, value),
            None if self.set_aside.contains(key) => None,
            None => match serde_yaml::from_value::<T>(Value::Null) {
                Ok(v) => Some(v),
                Err(_) => {
                    self.missing.push(key.to_owned());
                    self.failed = true;
                    None
                }
            },
        }
    }

    /// Takes `key` as `T`, or `default()` when it is absent.
    pub fn take_or<T: DeserializeOwned>(
        &mut self,
        key: &str,
        default: impl FnOnce() -> T,
    ) -> Option<T> {
        match self.map.remove(key) {
            Some(value) => self.convert(key, value),
            None if self.set_aside.contains(key) => None,
            None => Some(default()),
        }
    }

    /// Reads a value from the parsed mapping; when that fails (`0571` parsed as a number for
    /// a text key, say), from the key's own lines as written, which also places the error.
    fn convert<T: DeserializeOwned>(&mut self, key: &str, value: Value) -> Option<T> {
        let read = match serde_yaml::from_value::<T>(value) {
            Ok(v) => Ok(Some(v)),
            Err(e) => match self
                .entries
                .get_or_insert_with(|| entries(&self.lines))
                .get(key)
            {
                Some(text) => serde_yaml::from_str::<std::collections::BTreeMap<String, T>>(text)
                    .map(|mut m| m.remove(key)),
                None => Err(e),
            },
        };
        match read {
            Ok(Some(v)) => Some(v),
            Ok(None) => None,
            Err(e) => {
                let d = self.value_error(key, &e.to_string());
                self.push(d);
                None
            }
        }
    }

    /// A key's value could not be read: place the error on the value (or the nested key it
    /// names) and explain it in plain words.
    fn value_error(&self, key: &str, raw: &str) -> Diagnostic {
        let file = self.file;
        let front = file.front_matter();
        let (key_line, key_col) = crate::yaml::find_key(front, key).unwrap_or((1, 1));
        let below: String = front
            .lines()
            .skip(key_line - 1)
            .collect::<Vec<_>>()
            .join("\n");
        let shift = |(l, c): (usize, usize)| (l + key_line - 1, c);
        if let Some(field) = between(raw, "unknown field `", "`") {
            let (line, col) =
                crate::yaml::find_key(&below, field).map_or((key_line, key_col), shift);
            let known: Vec<&str> = raw.split('`').skip(3).step_by(2).collect();
            return file
                .front_diag(
                    line,
                    col,
                    msg!("front.unknown_key_in", field = field, key = key),
                )
                .with_hint(crate::yaml::key_hint(field, &known));
        }
        if let Some(field) = between(raw, "missing field `", "`") {
            return file
                .front_diag(
                    key_line,
                    key_col,
                    msg!("front.entry_lacks", field = field, key = key),
                )
                .with_hint(msg!("front.entry_lacks.hint", field = field, key = key));
        }
        let line_text = front.lines().nth(key_line - 1).unwrap_or("");
        let value_col = value_column(line_text).unwrap_or(key_col);
        let (line, col) = between(raw, "`", "`")
            .and_then(|v| crate::yaml::find_text(&below, v).map(shift))
            .unwrap_or((key_line, value_col));
        let message = raw.split(" at line ").next().unwrap_or(raw);
        let d = file.front_diag(
            line,
            col,
            msg!("front.value", key = key).sub(
                "problem",
                crate::yaml::plain_value_message(Some(key), message),
            ),
        );
        match value_hint(line_text, message) {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }

    /// Reports keys nobody took; returns every diagnostic and whether the file failed.
    pub fn finish(mut self, own_keys: &[&str]) -> (Vec<Diagnostic>, bool) {
        let mut known: Vec<&str> = own_keys.to_vec();
        known.extend_from_slice(COMMON_KEYS);
        let left: Vec<String> = self.map.keys().map(key_text).collect();
        let mut missing = std::mem::take(&mut self.missing);
        missing.retain(|m| {
            !left
                .iter()
                .any(|k| crate::yaml::closest_key(k, &known) == Some(m.as_str()))
        });
        for key in missing {
            let d = self
                .file
                .diag(Severity::Error, 1, 1, msg!("front.missing_key", key = &key));
            self.push(d.with_hint(msg!("front.missing_key.hint", key = &key)));
        }
        for key in left {
            let (line, col) =
                crate::yaml::find_key(self.file.front_matter(), &key).unwrap_or((0, 1));
            let d = match line {
                0 => self
                    .file
                    .diag(Severity::Error, 1, 1, msg!("front.unknown_key", key = &key)),
                _ => self
                    .file
                    .front_diag(line, col, msg!("front.unknown_key", key = &key)),
            };
            self.push(d.with_hint(crate::yaml::key_hint(&key, &known)));
        }
        (self.diags, self.failed)
    }
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

/// The 1-based column where the value starts on a `key: value` line.
fn value_column(line: &str) -> Option<usize> {
    let colon = line.find(':')?;
    let after = &line[colon + 1..];
    let value = after.trim_start();
    (!value.is_empty()).then(|| line[..line.len() - value.len()].chars().count() + 1)
}

/// Hints for the mistakes clerks make most: Chinese commas in lists, text where a number
/// or a yes/no is needed.
fn value_hint(line: &str, message: &str) -> Option<Msg> {
    if line.contains('，') || line.contains('、') {
        return Some(msg!("front.hint.chinese_comma"));
    }
    if message.contains("expected a boolean") {
        return Some(msg!("yaml.hint.boolean"));
    }
    if message.contains("expected u8")
        || message.contains("expected u32")
        || message.contains("expected i32")
    {
        return Some(msg!("front.hint.digits"));
    }
    crate::yaml::syntax_hint(message)
}

impl Fields<'_> {
    /// `title：…` (full-width colon) and tabs in the indentation are reported, then read as if
    /// written correctly so the other keys are still checked.
    fn repair_colons_and_tabs(&mut self, lines: &mut [String]) {
        for (i, line) in lines.iter_mut().enumerate() {
            if let Some((key, col)) = full_width_colon(line) {
                let d = self
                    .file
                    .front_diag(i + 1, col, msg!("front.full_width_colon", key = &key))
                    .with_hint(msg!("front.full_width_colon.hint", key = &key));
                self.push(d);
                *line = line.replacen('：', ": ", 1);
            }
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            if line[..indent].contains('\t') {
                let d = self
                    .file
                    .front_diag(i + 1, 1, msg!("front.tab"))
                    .with_hint(msg!("front.tab.hint"));
                self.push(d);
                *line = format!("{}{}", line[..indent].replace('\t', "  "), &line[indent..]);
            }
        }
    }

    /// Parses the lines as a mapping; each line that breaks the YAML is reported and set
    /// aside (with the rest of its entry), and parsing goes on with the others.
    fn parse_with_recovery(&mut self, lines: &mut [String]) -> Mapping {
        for _ in 0..MAX_RECOVERIES {
            let text = lines.join("\n");
            if text.trim().is_empty() {
                return Mapping::new();
            }
            if let Some(m) = crate::yaml::flat::mapping(&text) {
                return m;
            }
            match serde_yaml::from_str::<Value>(&text) {
                Ok(Value::Mapping(m)) => return m,
                Ok(Value::Null) => return Mapping::new(),
                Ok(_) => {
                    let d = self.file.front_diag(1, 1, msg!("front.not_lines"));
                    self.push(d.with_hint(msg!("front.not_lines.hint")));
                    return Mapping::new();
                }
                Err(e) => {
                    if !self.set_aside_broken(lines, &e) {
                        return Mapping::new();
                    }
                }
            }
        }
        Mapping::new()
    }

    /// Reports a YAML error and blanks its lines; false when nothing more can be set aside.
    fn set_aside_broken(&mut self, lines: &mut [String], e: &serde_yaml::Error) -> bool {
        let raw = e.to_string();
        if let Some(key) = between(&raw, "duplicate entry with key \"", "\"") {
            let key = key.to_owned();
            let Some((line, col)) = crate::yaml::key_positions(&lines.join("\n"), &key).nth(1)
            else {
                return false;
            };
            let d = self
                .file
                .front_diag(line, col, msg!("front.twice", key = &key));
            self.push(d.with_hint(msg!("front.twice.hint")));
            lines[line - 1].clear();
            return true;
        }
        let last = lines
            .iter()
            .rposition(|l| !l.trim().is_empty())
            .map_or(1, |i| i + 1);
        let (err_line, err_col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let err_line = err_line.clamp(1, last);
        let opened = started_at(&raw);
        let entry = (1..=err_line)
            .rev()
            .find(|&l| is_top_level_key(&lines[l - 1]))
            .unwrap_or(err_line);
        let first = opened.map_or(entry, |(l, _)| l.min(entry)).max(1);
        let (line, col) = opened.unwrap_or((err_line, err_col));
        let d = self.file.front_diag(line, col, yaml_syntax_message(&raw));
        self.push(d.with_hint(yaml_syntax_hint(&raw)));
        let mut blanked = false;
        for l in &mut lines[first - 1..err_line] {
            if let Some(key) = top_level_key(l) {
                self.set_aside.insert(key);
            }
            blanked |= !l.is_empty();
            l.clear();
        }
        blanked
    }
}

/// Each top-level key's text: its line and the lines under it, up to the next key.
fn entries(lines: &[String]) -> std::collections::HashMap<String, String> {
    let mut out: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut current: Option<String> = None;
    for line in lines {
        if let Some(key) = top_level_key(line) {
            out.insert(key.clone(), String::new());
            current = Some(key);
        }
        if let Some(text) = current.as_ref().and_then(|k| out.get_mut(k)) {
            text.push_str(line);
            text.push('\n');
        }
    }
    out
}

/// `while parsing a flow sequence at line 2 column 7` → (2, 7).
fn started_at(raw: &str) -> Option<(usize, usize)> {
    let rest = raw.split("while ").nth(1)?;
    let rest = &rest[rest.find(" at line ")? + 9..];
    let (line, rest) = rest.split_once(" column ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

fn is_top_level_key(line: &str) -> bool {
    top_level_key(line).is_some()
}

fn top_level_key(line: &str) -> Option<String> {
    if line.starts_with([' ', '\t', '-', '#']) {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    let key = key.trim();
    (!key.is_empty()).then(|| key.trim_matches(['"', '\'']).to_owned())
}

fn yaml_syntax_message(raw: &str) -> Msg {
    crate::yaml::syntax_message(raw.split(" at line ").next().unwrap_or(raw))
}

fn yaml_syntax_hint(raw: &str) -> Msg {
    if raw.contains("mapping values") || raw.contains("cannot start any token") {
        msg!("front.hint.quote")
    } else if raw.contains("expected ',' or ']'") {
        msg!("front.hint.close_list")
    } else {
        msg!("front.hint.syntax")
    }
}

/// `title：…` at the start of a line with an ASCII key: (key, 1-based column of the colon).
fn full_width_colon(line: &str) -> Option<(String, usize)> {
    let trimmed = line.trim_start();
    let at = trimmed.find('：')?;
    let key = trimmed[..at].trim_end();
    let is_key = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !trimmed[..at].contains(':');
    is_key.then(|| {
        let col =
            line[..line.len() - trimmed.len()].chars().count() + trimmed[..at].chars().count() + 1;
        (key.to_owned(), col)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::split;

    crate::front_matter! {
        /// A test kind.
        Sample {
            number: Option<u8>,
            count: u32 = 0,
        }
    }

    impl FrontMatter for Sample {
        const KEYS: &'static [&'static str] = &["number", "count"];
        fn from_fields(f: &mut Fields) -> Option<Self> {
            Sample::read_fields(f)
        }
    }

    fn parse_sample(text: &str) -> Result<(Meta, Sample), Vec<Diagnostic>> {
        let file = split("t/x.md".into(), text.as_bytes()).unwrap();
        match parse::<Sample>(&file) {
            (Some(parsed), _) => Ok(parsed),
            (None, diags) => Err(diags),
        }
    }

    #[test]
    fn parses_shared_and_own_keys() {
        let (meta, s) =
            parse_sample("---\ntitle: 标题\ndate: 2024-03-01\nnumber: 3\n---\n").unwrap();
        assert_eq!(meta.title, "标题");
        assert_eq!(meta.date.unwrap().to_string(), "2024-03-01");
        assert_eq!((s.number, s.count), (Some(3), 0));
    }

    #[test]
    fn unknown_key_gets_line_and_did_you_mean() {
        let d = &parse_sample("---\ntitle: a\nnumbr: 3\n---\n").unwrap_err()[0];
        assert_eq!((d.line, d.column), (3, 1));
        assert_eq!(d.message, "unknown key `numbr`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `number`?"));
    }

    #[test]
    fn bad_date_points_at_its_value() {
        let d = &parse_sample("---\ntitle: a\n\ndate: 2024-02-30\n---\n").unwrap_err()[0];
        assert_eq!((d.line, d.column), (4, 7), "{d:?}");
        assert!(d.message.contains("month 2 has no day 30"), "{d:?}");
    }

    #[test]
    fn missing_title_points_at_opening_fence() {
        let d = &parse_sample("---\nnumber: 1\n---\n").unwrap_err()[0];
        assert_eq!(d.line, 1);
        assert_eq!(d.message, "missing required key `title`");
    }

    #[test]
    fn full_width_colon_is_reported_and_the_rest_still_checked() {
        let d = parse_sample("---\ntitle：九项准则\nnumber: 七\n---\n").unwrap_err();
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].line, d[0].column), (2, 6));
        assert!(d[0].hint.as_deref().unwrap().contains("title: "));
        assert_eq!(d[1].line, 3);
    }

    #[test]
    fn every_mistake_in_a_file_at_once() {
        let text = "---\ntitle：标题\ndate: 2025-02-30\nnumbr: 1\ncount: 多\ntags: [a, b\ndraft: 是\n---\n";
        let d = parse_sample(text).unwrap_err();
        let lines: Vec<usize> = d.iter().map(|d| d.line).collect();
        for line in [2, 3, 4, 5, 6] {
            assert!(lines.contains(&line), "line {line} missing: {d:#?}");
        }
        assert!(!d.iter().any(|d| d.message.contains("missing")), "{d:#?}");
    }

    #[test]
    fn broken_yaml_is_located_where_the_list_opens() {
        let d = parse_sample("---\ntitle: a\ntags: [x, y\n---\n").unwrap_err();
        assert_eq!((d[0].line, d[0].column), (3, 7), "{d:?}");
        assert!(d[0].message.contains("not closed"));
    }

    #[test]
    fn chinese_comma_in_a_list_gets_its_own_hint() {
        let d = &parse_sample("---\ntitle: a\ntags: [x]\nnumber: [8，9]\n---\n").unwrap_err()[0];
        assert_eq!(d.line, 4);
        assert!(
            d.hint.as_deref().unwrap().contains("Chinese comma"),
            "{d:?}"
        );
    }

    #[test]
    fn duplicate_keys_and_tabs() {
        let d = parse_sample("---\ntitle: a\ntitle: b\n---\n").unwrap_err();
        assert_eq!(d[0].line, 3, "{d:?}");
        let d = parse_sample("---\ntitle: a\n\tnumber: 1\n---\n").unwrap_err();
        assert_eq!(d[0].line, 3, "{d:?}");
    }

    #[test]
    fn values_are_read_as_written_and_misspellings_do_not_cascade() {
        let (meta, _) =
            parse_sample("---\ntitle: 2024\nsummary: 0571\ntags: [007, 八]\n---\n").unwrap();
        assert_eq!(
            (meta.title.as_str(), meta.summary.as_deref()),
            ("2024", Some("0571"))
        );
        assert_eq!(meta.tags, ["007", "八"]);
        let d = parse_sample("---\ntitel: a\n---\n").unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `title`?"));
        let d = parse_sample("---\n标题: a\n---\n").unwrap_err();
        assert_eq!(d.len(), 1, "{d:?}");
    }

    #[test]
    fn oversized_front_matter_is_refused() {
        let text = format!("---\ntitle: a\ntags: [{}\n---\n", "[".repeat(100_000));
        let d = parse_sample(&text).unwrap_err();
        assert!(d[0].message.contains("too long"), "{d:?}");
    }
}
