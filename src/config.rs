//! `content/site.yaml`: the site's name, address, language, navigation, footer and report facts.

use serde::Deserialize;

use crate::diag::{Diagnostic, Severity};
use crate::frontmatter::parse_yaml;
use crate::source::{CONFIG_FILE, shown};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's name (清风医苑).
    pub title: String,
    /// The hospital, shown in the header, posters and feeds.
    pub hospital: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Where the site is published; its path prefixes every internal link.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// The theme folder name under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub nav: Option<Vec<NavEntry>>,
    /// Markdown shown at the foot of every page.
    #[serde(default)]
    pub footer: Option<String>,
    #[serde(default)]
    pub report: Report,
    #[serde(default)]
    pub markdown: MarkdownOptions,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavEntry {
    pub title: String,
    /// `@/section/_index.md`, `@/pages/x.md`, a site path or an external address.
    pub url: String,
}

/// Facts the report page states; the report issue renders them in full.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    #[serde(default)]
    pub acceptance_days: Option<u32>,
    #[serde(default)]
    pub feedback_days: Option<u32>,
    #[serde(default)]
    pub gift_handover_hours: Option<u32>,
    #[serde(default)]
    pub out_of_scope: Vec<OutOfScope>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfScope {
    pub title: String,
    pub contact: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownOptions {
    /// Pass raw HTML in bodies through unescaped (trusted authors only).
    #[serde(default)]
    pub raw_html: bool,
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "zh-CN".into()
}
fn default_timezone() -> String {
    "Asia/Shanghai".into()
}
fn default_theme() -> String {
    "default".into()
}

/// The configuration and its source text (kept to locate later mistakes, such as a bad nav link).
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    pub text: String,
}

impl LoadedConfig {
    /// An error on the line of `key` in `site.yaml`.
    pub fn key_error(&self, key: &str, msg: impl Into<String>) -> Diagnostic {
        let (line, col) = crate::frontmatter::find_key(&self.text, key).unwrap_or((1, 1));
        Diagnostic::at(
            Severity::Error,
            &shown(CONFIG_FILE),
            &self.text,
            line,
            col,
            msg,
        )
    }
}

/// Parses `site.yaml`; a missing file is a content error naming the path.
pub fn parse(source: Option<&(String, String)>) -> Result<LoadedConfig, Diagnostic> {
    let Some((shown_path, text)) = source else {
        return Err(Diagnostic::file(Severity::Error, &shown(CONFIG_FILE), "site configuration is missing")
            .with_hint("create content/site.yaml with at least `title:` and `hospital:` (`qinglian init DIR` writes a complete example)"));
    };
    let config: Config = parse_yaml(shown_path, text)?;
    let loaded = LoadedConfig {
        config,
        text: text.clone(),
    };
    validate(&loaded)?;
    Ok(loaded)
}

fn validate(loaded: &LoadedConfig) -> Result<(), Diagnostic> {
    let c = &loaded.config;
    if !(c.base_url.starts_with("http://")
        || c.base_url.starts_with("https://")
        || c.base_url.starts_with('/'))
    {
        return Err(loaded
            .key_error(
                "base_url",
                format!(
                    "`base_url` must be an absolute address, not `{}`",
                    c.base_url
                ),
            )
            .with_hint("for example https://lianjie.example.cn/ or https://intranet/qinglian/"));
    }
    if jiff::tz::TimeZone::get(&c.timezone).is_err() {
        return Err(loaded
            .key_error("timezone", format!("unknown time zone `{}`", c.timezone))
            .with_hint("use an IANA name such as Asia/Shanghai"));
    }
    Ok(())
}

impl Config {
    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        base_path(&self.base_url)
    }

    /// `base_url` with exactly one trailing slash.
    pub fn base_url_slash(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    /// Today's date in the site's time zone.
    pub fn today(&self) -> jiff::civil::Date {
        let tz = jiff::tz::TimeZone::get(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
        jiff::Timestamp::now().to_zoned_datetime(tz).date()
    }
}

pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = if base_url.contains("://") {
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    } else {
        after_scheme
    };
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Result<LoadedConfig, Diagnostic> {
        parse(Some(&("content/site.yaml".into(), text.into())))
    }

    #[test]
    fn base_path_from_url() {
        assert_eq!(base_path("https://a.cn"), "/");
        assert_eq!(base_path("https://a.cn/"), "/");
        assert_eq!(base_path("https://intranet/qinglian"), "/qinglian/");
        assert_eq!(base_path("/x/y/"), "/x/y/");
    }

    #[test]
    fn minimal_config_has_defaults() {
        let c = cfg("title: 清风\nhospital: 某院\n").unwrap().config;
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.timezone, "Asia/Shanghai");
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn missing_file_and_bad_keys_are_located() {
        assert_eq!(parse(None).unwrap_err().path, "content/site.yaml");
        let d = cfg("title: 清风\nhospital: 某院\ntimezone: Mars/Base\n").unwrap_err();
        assert_eq!(d.line, 3);
        let d = cfg("title: 清风\nhospitl: 某院\n").unwrap_err();
        assert_eq!(d.line, 2);
        assert_eq!(d.hint.as_deref(), Some("did you mean `hospital`?"));
    }
}
