//! `content/site.yaml`: the site's name, address, language, navigation, footer and report facts.

use crate::messages::Msg;
use serde::Deserialize;

use crate::diag::{Diagnostic, Severity};
use crate::source::{CONFIG_FILE, shown};
use crate::yaml;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's name (清风医苑).
    pub title: String,
    /// The hospital, shown in the header, posters and feeds.
    pub hospital: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Where the site is published (an absolute http(s) address); its path prefixes every
    /// internal link.
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
    #[serde(default)]
    pub attachments: AttachmentOptions,
    /// Write links relative to each page, so the site opens from a folder (`--relative`).
    #[serde(default)]
    pub relative: bool,
    /// The abbreviation in the hospital's document numbers (青一医), for `qinglian new policy`.
    #[serde(default)]
    pub doc_prefix: Option<String>,
    /// What a commission requires of its units' sites (its own `site.yaml` only).
    #[serde(default)]
    pub requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentOptions {
    /// Publish attachments that can run script on the site's address (`.html`, `.svg`,
    /// `.js`, …). Off by default: anyone who can add a file could forge a page.
    #[serde(default)]
    pub allow_active: bool,
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
    pub fn key_error(&self, key: &str, msg: impl Into<crate::messages::Msg>) -> Diagnostic {
        let (line, col) = yaml::find_key(&self.text, key).unwrap_or((1, 1));
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
        return Err(Diagnostic::file(
            Severity::Error,
            &shown(CONFIG_FILE),
            crate::msg!("config.missing"),
        )
        .with_hint(crate::msg!("config.missing.hint")));
    };
    let config: Config = yaml::parse(shown_path, text)?;
    let loaded = LoadedConfig {
        config,
        text: text.clone(),
    };
    validate(&loaded)?;
    Ok(loaded)
}

fn validate(loaded: &LoadedConfig) -> Result<(), Diagnostic> {
    let c = &loaded.config;
    if let Err(problem) = check_base_url(&c.base_url) {
        return Err(loaded
            .key_error(
                "base_url",
                crate::msg!("config.base_url").sub("problem", problem),
            )
            .with_hint(crate::msg!("config.base_url.hint")));
    }
    if jiff::tz::TimeZone::get(&c.timezone).is_err() {
        return Err(loaded
            .key_error(
                "timezone",
                crate::msg!("config.timezone", zone = &c.timezone),
            )
            .with_hint(crate::msg!("config.timezone.hint")));
    }
    if let Some(i) = c.requirements.iter().position(|r| !r.is_one()) {
        let line = list_item_line(&loaded.text, "requirements", i);
        let m = crate::msg!("config.requirement", n = i + 1);
        let d = Diagnostic::at(
            Severity::Error,
            &shown(CONFIG_FILE),
            &loaded.text,
            line,
            1,
            m,
        );
        return Err(d.with_hint(crate::msg!("config.requirement.hint")));
    }
    if crate::kinds::segment_problem(&c.theme).is_some() {
        return Err(loaded
            .key_error("theme", crate::msg!("config.theme", theme = &c.theme))
            .with_hint(crate::msg!("config.theme.hint")));
    }
    for entry in c.nav.iter().flatten() {
        if let Err(problem) = check_link(&entry.url) {
            return Err(loaded
                .key_error(
                    "nav",
                    crate::msg!("config.nav", url = &entry.url).sub("problem", problem),
                )
                .with_hint(crate::msg!("config.nav.hint")));
        }
    }
    Ok(())
}

/// `base_url` (and `--base-url`) must be an absolute http(s) address with a plain host: no
/// credentials, backslashes, spaces or quotes, which could send every page's styles and
/// scripts to another host. Its path is plain too (letters, digits, `-._~/` and `%` escapes):
/// a site's folder never needs `&`, `;`, `$`, `!`, quotes or brackets, and an address that
/// holds them could run a command when it is handed to a shell (`serve --open`).
pub fn check_base_url(url: &str) -> Result<(), Msg> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| crate::msg!("url.scheme"))?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.find(']') {
        Some(end) if authority.starts_with('[') => {
            let port = &authority[end + 1..];
            (
                &authority[..=end],
                port.strip_prefix(':').or((!port.is_empty()).then_some("x")),
            )
        }
        _ => match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
    if !host_ok {
        return Err(crate::msg!("url.host", authority = authority));
    }
    if port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return Err(crate::msg!("url.port"));
    }
    if !is_plain_path(path) {
        return Err(crate::msg!("url.path_chars"));
    }
    if path.contains("/../") || path.ends_with("/..") || path.contains("//") {
        return Err(crate::msg!("url.path_climbs"));
    }
    Ok(())
}

/// Letters, digits, `-._~/`, and `%` followed by two hex digits.
fn is_plain_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
            {
                i += 3;
            }
            b if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) => i += 1,
            _ => return false,
        }
    }
    true
}

/// A link written in configuration: an `@/` reference, a site path, or an http(s),
/// `mailto:` or `tel:` address. Anything else (`javascript:`, `data:` …) is refused.
pub fn check_link(url: &str) -> Result<(), Msg> {
    if url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err(crate::msg!("url.spaces"));
    }
    if url.starts_with("@/") {
        return Ok(());
    }
    if url.starts_with('/') {
        return if url.starts_with("//") {
            Err(crate::msg!("url.double_slash"))
        } else {
            Ok(())
        };
    }
    let lower = url.to_ascii_lowercase();
    let allowed = ["https://", "http://", "mailto:", "tel:"];
    if allowed.iter().any(|p| lower.starts_with(p)) {
        Ok(())
    } else {
        Err(crate::msg!("url.kind"))
    }
}

/// The 1-based line of item `n` (0-based) of the top-level list `key`, or of `key` itself.
fn list_item_line(text: &str, key: &str, n: usize) -> usize {
    let Some((start, _)) = yaml::find_key(text, key) else {
        return 1;
    };
    let items = (text.lines().enumerate().skip(start))
        .take_while(|(_, l)| l.starts_with([' ', '-', '#']) || l.is_empty())
        .filter(|(_, l)| l.trim_start().starts_with("- "));
    let indent = |l: &str| l.len() - l.trim_start().len();
    let first = items.clone().next().map_or(0, |(_, l)| indent(l));
    (items.filter(|(_, l)| indent(l) == first).nth(n)).map_or(start, |(i, _)| i + 1)
}

/// The configuration in `content/site.yaml` under `content`, when it reads as a whole (its
/// mistakes are `check`'s to report; a command that only wants a setting takes `None`).
pub fn read(content: &std::path::Path) -> Option<Config> {
    let bytes = crate::fsio::read(&content.join(CONFIG_FILE)).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    parse(Some(&(String::new(), text))).ok().map(|c| c.config)
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

/// One requirement of `requirements:` in the commission's `site.yaml`: one key of these
/// each (`- disclosure: 整改公示`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// At least one of the unit's own channels of each of these kinds, in service.
    #[serde(default)]
    pub channels: Option<Vec<crate::kinds::channel::ChannelKind>>,
    /// With `channels`: each verified within this many days.
    #[serde(default)]
    pub verified_within_days: Option<u32>,
    /// One of the unit's own disclosures in this category, dated this year (整改公示).
    #[serde(default)]
    pub disclosure: Option<String>,
    /// A published study module with a self-test.
    #[serde(default)]
    pub study_module: bool,
    /// No possible personal data in the unit's own pages.
    #[serde(default)]
    pub no_privacy_findings: bool,
    /// A reminder showing on the day before each festival.
    #[serde(default)]
    pub festival_reminders: Option<Vec<Festival>>,
}

/// What one requirement checks.
pub enum Check<'a> {
    Channels(&'a [crate::kinds::channel::ChannelKind], Option<u32>),
    Disclosure(&'a str),
    StudyModule,
    NoPrivacyFindings,
    FestivalReminders(&'a [Festival]),
}

impl Requirement {
    /// What it checks: `None` unless exactly one check is named (the configuration's check
    /// reports that).
    pub fn check(&self) -> Option<Check<'_>> {
        let checks = [
            (self.channels.as_deref()).map(|k| Check::Channels(k, self.verified_within_days)),
            self.disclosure.as_deref().map(Check::Disclosure),
            self.study_module.then_some(Check::StudyModule),
            self.no_privacy_findings.then_some(Check::NoPrivacyFindings),
            (self.festival_reminders.as_deref()).map(Check::FestivalReminders),
        ];
        let mut named = checks.into_iter().flatten();
        let first = named.next()?;
        named.next().is_none().then_some(first)
    }

    /// Whether the requirement names exactly one check.
    pub fn is_one(&self) -> bool {
        self.check().is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Festival {
    pub name: String,
    pub date: crate::types::Date,
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
        let c = cfg("title: 清风\nhospital: 某院\nbase_url: https://a.cn/\n")
            .unwrap()
            .config;
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.timezone, "Asia/Shanghai");
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn missing_file_and_bad_keys_are_located() {
        assert_eq!(parse(None).unwrap_err().path, "content/site.yaml");
        let d = cfg("title: 清风\nhospital: 某院\nbase_url: https://a.cn/\ntimezone: Mars/Base\n")
            .unwrap_err();
        assert_eq!(d.line, 4);
        let d = cfg("title: 清风\nhospitl: 某院\n").unwrap_err();
        assert_eq!(d.line, 2);
        assert_eq!(d.hint.as_deref(), Some("did you mean `hospital`?"));
    }

    #[test]
    fn base_urls_must_be_plain_http_addresses() {
        for good in [
            "https://a.cn/",
            "http://intranet:8080/qinglian/",
            "https://[::1]/x/",
            "https://a.cn/~lian/jie_2024.v2/",
            "https://a.cn/%E6%B8%85%e5%bb%89/",
        ] {
            assert!(check_base_url(good).is_ok(), "{good}");
        }
        for bad in [
            "/",
            "/\\evil.example/",
            "https://user:pw@a.cn/",
            "https://a.cn\\@evil/",
            "javascript:alert(1)//",
            "https://a.cn/x y/",
            "https://a.cn/\"onload=\"/",
            "https://a.cn/../x/",
            "https:///x/",
            // Shell and URL metacharacters no site folder needs.
            "https://a.cn/a&calc/",
            "https://a.cn/a;b/",
            "https://a.cn/a|b/",
            "https://a.cn/a^b/",
            "https://a.cn/a`b`/",
            "https://a.cn/a$(b)/",
            "https://a.cn/a'b/",
            "https://a.cn/a!b/",
            "https://a.cn/a*/",
            "https://a.cn/a<b>/",
            "https://a.cn/a,b=c+d@e:f/",
            "https://a.cn/a%zz/",
            "https://a.cn/a%2/",
            "https://a.cn/a?x=1",
            "https://a.cn/a#x",
            "https://a.cn/清廉/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn config_links_only_take_safe_schemes() {
        for good in [
            "@/pages/about.md",
            "/about/",
            "https://x.cn/",
            "mailto:a@b.cn",
            "tel:123",
            "HTTPS://X.CN",
        ] {
            assert!(check_link(good).is_ok(), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "&#106;avascript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "//evil.example/",
            "/\\evil.example/",
        ] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
        let d = cfg("title: 清风\nhospital: 某院\nbase_url: https://a.cn/\nnav:\n  - {title: x, url: \"javascript:alert(1)\"}\n")
            .unwrap_err();
        assert_eq!(d.line, 4);
        let d = cfg("title: 清风\nhospital: 某院\nbase_url: https://a.cn/\ntheme: ../content\n")
            .unwrap_err();
        assert_eq!(d.line, 4);
    }
}
