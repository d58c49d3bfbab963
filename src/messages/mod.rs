//! The command line's words, one catalogue per language (`en.yaml`, `zh-CN.yaml`, embedded):
//! diagnostics, hints, summaries and usage errors are [`Msg`]s — a key and named arguments —
//! written in the reader's language only when printed.

pub mod cli;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

/// The languages the command line speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `zh-CN`, `zh`, `zh_CN.UTF-8` → Chinese; anything else English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The language of the user's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| Lang::from_tag(&v))
    }
}

/// Prints `m` in `lang` on standard error (a closed standard error is not a reason to stop).
pub fn say(lang: Lang, m: &Msg) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "{}", m.render(lang));
}

/// The language to speak: `--lang` when given, else the `language` of the site that holds
/// `start` (or a folder above it), else the user's locale.
pub fn choose(flag: Option<&str>, start: &std::path::Path) -> Lang {
    if let Some(tag) = flag {
        return Lang::from_tag(tag);
    }
    let site_yaml = start
        .ancestors()
        .map(|d| d.join("content").join("site.yaml"))
        .find(|p| p.is_file());
    let language = site_yaml
        .and_then(|p| std::fs::read(p).ok())
        .map(|bytes| site_language(&String::from_utf8_lossy(&bytes)));
    language.map_or_else(Lang::from_env, |l| Lang::from_tag(&l))
}

/// The `language` of a site's `site.yaml` text, `zh-CN` when it names none; read line by
/// line when the file is not valid YAML (its mistakes are then reported in its language).
fn site_language(text: &str) -> String {
    if let Ok(v) = serde_yaml::from_str::<serde_yaml::Value>(text) {
        return (v.get("language").and_then(|l| l.as_str()))
            .unwrap_or("zh-CN")
            .to_owned();
    }
    let line = text.lines().find_map(|l| l.strip_prefix("language:"));
    let value = line.and_then(|v| v.split('#').next()).map(str::trim);
    let value = value.map(|v| v.trim_matches(['"', '\'']));
    value
        .filter(|v| !v.is_empty())
        .unwrap_or("zh-CN")
        .to_owned()
}

type Catalogue = BTreeMap<String, String>;

fn parse(text: &str) -> Catalogue {
    serde_yaml::from_str(text).expect("the embedded message catalogue is valid YAML")
}

static EN: LazyLock<Catalogue> = LazyLock::new(|| parse(include_str!("en.yaml")));
static ZH: LazyLock<Catalogue> = LazyLock::new(|| parse(include_str!("zh-CN.yaml")));

fn catalogue(lang: Lang) -> &'static Catalogue {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// A message: a catalogue key and its arguments, or text that has no translation. Its
/// English is kept, so code and tests read it as a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
    en: String,
}

/// An argument: text as it is, or a message of its own, translated with the one it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Arg {
    Text(String),
    Msg(Msg),
    /// Messages joined by a separator from the catalogue (its key).
    List(Vec<Msg>, &'static str),
}

impl Msg {
    /// The message `key` (a key of the catalogues) with no arguments yet.
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
            en: String::new(),
        }
        .english()
    }

    /// Adds the argument `{name}`.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Msg {
        self.args.push((name, Arg::Text(value.to_string())));
        self.english()
    }

    /// Adds the argument `{name}`: a message, shown in the same language.
    pub fn sub(mut self, name: &'static str, value: impl Into<Msg>) -> Msg {
        self.args.push((name, Arg::Msg(value.into())));
        self.english()
    }

    /// Adds the argument `{name}`: messages listed one after another in the same language.
    pub fn list(self, name: &'static str, items: Vec<Msg>) -> Msg {
        self.joined(name, items, "list.separator")
    }

    /// Adds the argument `{name}`: messages joined by the catalogue's `separator`.
    pub fn joined(mut self, name: &'static str, items: Vec<Msg>, separator: &'static str) -> Msg {
        self.args.push((name, Arg::List(items, separator)));
        self.english()
    }

    fn english(mut self) -> Msg {
        self.en = self.render(Lang::En);
        self
    }

    /// The message in `lang` (English where the catalogue has no entry).
    pub fn render(&self, lang: Lang) -> String {
        if self.key.is_empty() {
            return self.en.clone();
        }
        let template = catalogue(lang)
            .get(self.key)
            .or_else(|| EN.get(self.key))
            .map_or(self.key, String::as_str);
        fill(template, &self.args, lang)
    }

    /// The catalogue text of `key` in `lang`, if there is one.
    pub fn lookup(lang: Lang, key: &str) -> Option<String> {
        catalogue(lang).get(key).cloned()
    }

    pub fn as_str(&self) -> &str {
        &self.en
    }

    /// The catalogue key (empty for untranslated text).
    pub fn key(&self) -> &'static str {
        self.key
    }
}

/// `template` with each `{name}` replaced by its argument.
fn fill(template: &str, args: &[(&'static str, Arg)], lang: Lang) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        let value = match value {
            Arg::Text(text) => text.clone(),
            Arg::Msg(m) => m.render(lang),
            Arg::List(items, separator) => {
                let separator = Msg::new(separator).render(lang);
                let items: Vec<String> = items.iter().map(|m| m.render(lang)).collect();
                items.join(&separator)
            }
        };
        out = out.replace(&format!("{{{name}}}"), &value);
    }
    out
}

impl From<String> for Msg {
    fn from(text: String) -> Msg {
        Msg {
            key: "",
            args: Vec::new(),
            en: text,
        }
    }
}

impl From<&str> for Msg {
    fn from(text: &str) -> Msg {
        Msg::from(text.to_owned())
    }
}

impl std::ops::Deref for Msg {
    type Target = str;
    fn deref(&self) -> &str {
        &self.en
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl PartialEq<&str> for Msg {
    fn eq(&self, other: &&str) -> bool {
        self.en == *other
    }
}

impl serde::Serialize for Msg {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.en)
    }
}

/// `msg!("key", name = value, …)`: a catalogue message with named arguments.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::Msg::new($key)$(.arg(stringify!($name), $value))*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{name}` placeholders of a template, sorted.
    fn placeholders(template: &str) -> Vec<&str> {
        let mut out: Vec<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn both_catalogues_have_the_same_keys_and_placeholders() {
        let en: Vec<&String> = EN.keys().collect();
        let zh: Vec<&String> = ZH.keys().collect();
        assert_eq!(en, zh, "the same keys in en.yaml and zh-CN.yaml");
        for (key, template) in EN.iter() {
            assert_eq!(
                placeholders(template),
                placeholders(&ZH[key]),
                "{key}: the same placeholders"
            );
        }
    }

    #[test]
    fn every_key_used_in_the_code_is_in_the_catalogue() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let own = std::path::Path::new(file!()).file_name();
        let mut found = 0;
        for entry in walkdir::WalkDir::new(&src)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.path().file_name() == own
                && entry
                    .path()
                    .parent()
                    .is_some_and(|p| p.ends_with("messages"))
            {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let uses = ["msg!(\"", "Msg::new(\""].map(|call| text.split(call).skip(1));
            for part in uses.into_iter().flatten() {
                let key = part.split('"').next().unwrap_or_default();
                assert!(
                    EN.contains_key(key),
                    "{}: `{key}` is not in en.yaml",
                    entry.path().display()
                );
                found += 1;
            }
        }
        assert!(
            found > 300,
            "the scan found only {found} uses of the catalogue"
        );
    }

    #[test]
    fn messages_render_in_either_language() {
        let m = crate::msg!("front.unknown_key", key = "sumary");
        assert_eq!(m.as_str(), "unknown key `sumary`");
        assert_eq!(m.render(Lang::Zh), "不认识的键 `sumary`");
        assert_eq!(Msg::from("plain").render(Lang::Zh), "plain");
        assert_eq!(Lang::from_tag("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(Lang::from_tag("en_US"), Lang::En);
    }
}
