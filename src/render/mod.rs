//! Render stage: the tera environment over the theme, and one function per output family
//! that fills a typed context and renders it, returning the keys it read.

pub mod booklets;
pub mod feeds;
pub mod files;
pub mod home;
pub mod items;
pub mod kinds;
pub mod layout;
pub mod lists;
pub mod reader;
pub mod relative;
pub mod search;
pub mod study;
pub mod units;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::built::Site;
use crate::diag::{Diagnostic, Severity};
use crate::plan::Output;
pub use crate::theme::Theme;
pub use layout::{Headers, Layout, SiteView};
pub use reader::Key;
pub use reader::Reader;

/// The theme's interface strings for the site's language (`i18n/<lang>.yaml`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Strings(BTreeMap<String, String>);

impl Strings {
    /// The string for `key`, or the key itself so a missing string is visible, never fatal.
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| key.to_owned())
    }

    /// The string for `key` with `{}` replaced by `value`.
    pub fn get_fmt(&self, key: &str, value: &str) -> String {
        self.get(key).replace("{}", value)
    }

    /// The label of an enumeration token: `policy_status.in-force` → 现行有效.
    pub fn label(&self, group: &str, token: &str) -> String {
        self.get(&format!("{group}.{token}"))
    }

    /// The strings whose keys start with `prefix`, for scripts.
    pub fn prefixed(&self, prefix: &str) -> BTreeMap<&str, &str> {
        self.0
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    #[cfg(test)]
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Strings {
        Strings(
            pairs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
        )
    }
}

/// The template engine and strings, ready to render pages of one site.
pub struct Renderer {
    tera: tera::Tera,
    pub strings: Strings,
    pub theme: Theme,
}

/// Builds the renderer; theme mistakes (template syntax, a missing language) are diagnostics.
pub fn prepare(theme: Theme, language: &str) -> Result<Renderer, Vec<Diagnostic>> {
    let strings = load_strings(&theme, language).map_err(|d| vec![d])?;
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    // The interface strings are the same for every page: set once, not serialized per page.
    tera.global_context().insert("t", &strings);
    let templates: Vec<(String, String)> = theme
        .under("templates")
        .map(|(name, f)| {
            (
                name.to_owned(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    if let Err(e) = tera.add_raw_templates(templates) {
        return Err(vec![template_error(&theme, &e)]);
    }
    Ok(Renderer {
        tera,
        strings,
        theme,
    })
}

fn load_strings(theme: &Theme, language: &str) -> Result<Strings, Diagnostic> {
    let rel = format!("i18n/{language}.yaml");
    let Some(file) = theme.get(&rel) else {
        let m = crate::msg!("theme.no_language", language = language);
        let d = Diagnostic::file(Severity::Error, "content/site.yaml", m);
        return Err(d.with_hint(crate::msg!("theme.no_language.hint", rel = &rel)));
    };
    let text = String::from_utf8_lossy(&file.bytes);
    crate::yaml::parse::<BTreeMap<String, String>>(&file.shown, &text).map(Strings)
}

fn template_error(theme: &Theme, e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    let name = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            r.filename().to_owned()
        }
        _ => String::new(),
    };
    let shown = theme.get(&format!("templates/{name}")).map_or_else(
        || "themes/default/templates".to_owned(),
        |f| f.shown.clone(),
    );
    Diagnostic::file(
        Severity::Error,
        &shown,
        crate::msg!("template.error", detail = message),
    )
    .with_hint(crate::msg!("template.error.hint"))
}

/// What an output is made of: rendered bytes, or a file copied as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    Copy(PathBuf),
    /// Several files, by path relative to the output folder (the search index).
    Files(Vec<(String, Vec<u8>)>),
}

/// One rendered output and the keys its renderer read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub content: Content,
    pub reads: Vec<Key>,
}

/// What the output renderers share besides the site, which they read only through their
/// [`Reader`]: the template engine and strings, and the layout every page shares.
pub struct Env<'a> {
    pub r: &'a Renderer,
    pub view: &'a SiteView,
}

impl Renderer {
    /// Makes the site's layout available to every template as `site` (set once per build,
    /// not serialized with every page).
    pub fn set_layout(&mut self, view: &SiteView) {
        self.tera.global_context().insert("site", view);
    }
}

impl Renderer {
    /// Renders `template` with `ctx` (and the global `t` and `site`).
    pub fn emit<C: Serialize>(&self, template: &str, ctx: &C) -> Result<Vec<u8>, Diagnostic> {
        let context =
            tera::Context::from_serialize(ctx).map_err(|e| template_error(&self.theme, &e))?;
        // Straight into bytes: a `String` would check every page's UTF-8 once more.
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, &context, &mut out)
            .map_err(|e| template_error(&self.theme, &e))?;
        Ok(out)
    }
}

impl Env<'_> {
    /// Renders `template` with `ctx`.
    pub fn emit<C: Serialize>(&self, template: &str, ctx: &C) -> Result<Vec<u8>, Diagnostic> {
        self.r.emit(template, ctx)
    }
}

/// Renders one output of `site`, recording what it read when `record` is set (serve needs
/// it, a one-off build does not); a template mistake is a diagnostic.
pub fn render(
    env: &Env,
    site: &Site,
    output: &Output,
    record: bool,
) -> Result<Rendered, Diagnostic> {
    let reader = Reader::new(site, record);
    let content = match output {
        Output::Home => Content::Bytes(home::render(env, &reader)?),
        Output::List { kind, page } => Content::Bytes(kinds::list(*kind, env, &reader, *page)?),
        Output::Citing { principle, page } => {
            Content::Bytes(kinds::cases::citing(env, &reader, *principle, *page)?)
        }
        Output::Category { name, page } => {
            Content::Bytes(kinds::disclosures::category(env, &reader, name, *page)?)
        }
        Output::Item(id) => Content::Bytes(kinds::item(env, &reader, id)?),
        Output::Record(page) => Content::Bytes(study::record(env, &reader, *page)?),
        Output::Channels { upper, kind, page } => Content::Bytes(kinds::channels::kind_list(
            env, &reader, *upper, *kind, *page,
        )?),
        Output::Poster(poster) => {
            Content::Bytes(kinds::channels::posters::poster(env, &reader, poster)?)
        }
        Output::Booklet(b) => Content::Bytes(booklets::booklet(env, &reader, *b)?),
        Output::Feed(category) => Content::Bytes(feeds::render(env, &reader, category.as_deref())?),
        Output::KindFeed(kind) => Content::Bytes(feeds::kind(env, &reader, *kind)?),
        Output::Sitemap => Content::Bytes(files::sitemap(env, &reader)?),
        Output::Robots => Content::Bytes(files::robots(env)?),
        Output::NotFound => Content::Bytes(files::not_found(env)?),
        Output::Units(page) => Content::Bytes(units::directory(env, &reader, *page)?),
        Output::Assessment(page) => Content::Bytes(units::assessment(env, &reader, *page)?),
        Output::Search => Content::Bytes(search::page(env, &reader)?),
        Output::SearchIndex => search::index(env, &reader),
        Output::Static(rel) => files::theme_static(env, rel),
        Output::Asset(rel) => files::asset(&reader, rel),
    };
    Ok(Rendered {
        content,
        reads: reader.into_reads(),
    })
}

/// JSON for a `<script type="application/json">`: no `<`, `>` or `&` can end the element.
pub fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let json = script_json(&"</script><script>alert(1)</script>&");
        assert!(!json.contains('<') && !json.contains('&'));
        assert_eq!(
            serde_json::from_str::<String>(&json).unwrap(),
            "</script><script>alert(1)</script>&"
        );
    }
}
