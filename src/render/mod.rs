//! Render stage: the tera environment over the theme, and one context struct per template.

pub mod pages;
pub mod public;
pub mod study;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::error::Error;
use crate::site::{Link, Site};
pub use theme::Theme;

/// The theme's interface strings for the site's language (`i18n/<lang>.yaml`).
#[derive(Debug, Clone, Default, Serialize)]
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

/// Where rendered files go: the output folder in `build`, nowhere in `check`.
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> Result<(), Error> + Sync + 'a;

/// The template engine and strings, ready to render pages of one site.
pub struct Renderer {
    tera: tera::Tera,
    pub strings: Strings,
    theme: Theme,
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
        let d = Diagnostic::file(
            Severity::Error,
            "content/site.yaml",
            format!("the theme has no strings for language `{language}`"),
        );
        return Err(d.with_hint(format!(
            "add themes/default/{rel}, or use `language: zh-CN` or `language: en`"
        )));
    };
    let text = String::from_utf8_lossy(&file.bytes);
    crate::frontmatter::parse_yaml::<BTreeMap<String, String>>(&file.shown, &text).map(Strings)
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
        format!("template error: {message}"),
    )
    .with_hint("fix the theme template, or delete your copy to use the built-in one")
}

impl Renderer {
    /// Renders `template` with `ctx` and hands the result to `sink` as `out`.
    fn emit<C: Serialize>(
        &self,
        template: &str,
        out: &str,
        ctx: &C,
        sink: &Sink,
    ) -> Result<Option<Diagnostic>, Error> {
        let context = match tera::Context::from_serialize(ctx) {
            Ok(c) => c,
            Err(e) => return Ok(Some(template_error(&self.theme, &e))),
        };
        match self.tera.render(template, &context) {
            Ok(html) => sink(out, html.as_bytes()).map(|()| None),
            Err(e) => Ok(Some(template_error(&self.theme, &e))),
        }
    }

    /// Copies the theme's `static/` files into `static/` of the output.
    fn copy_static(&self, sink: &Sink) -> Result<(), Error> {
        for (rel, file) in self.theme.under("static") {
            sink(&format!("static/{rel}"), &file.bytes)?;
        }
        Ok(())
    }
}

/// What every page's layout needs about the site.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub hospital: &'a str,
    pub description: Option<&'a str>,
    pub lang: &'a str,
    pub base: &'a str,
    pub static_base: String,
    pub report_url: String,
    pub nav: Vec<Link>,
    pub footer_html: &'a str,
    pub year: i16,
    pub staff_build: bool,
}

impl<'a> SiteView<'a> {
    pub fn of(site: &'a Site, t: &Strings) -> Self {
        let c = &site.config;
        SiteView {
            title: &c.title,
            hospital: &c.hospital,
            description: c.description.as_deref(),
            lang: &c.language,
            base: &site.base_path,
            static_base: format!("{}static/", site.base_path),
            report_url: site.section_url(crate::kinds::Kind::Channel),
            nav: if site.nav.is_empty() {
                default_nav(site, t)
            } else {
                site.nav.clone()
            },
            footer_html: &site.footer_html,
            year: site.options.today.year(),
            staff_build: site.options.audience == crate::frontmatter::Audience::Staff,
        }
    }
}

/// One nav entry per section that has published content.
fn default_nav(site: &Site, t: &Strings) -> Vec<Link> {
    use crate::kinds::Kind;
    let present = [
        (Kind::Principle, !site.principles.is_empty()),
        (Kind::Module, !site.modules.is_empty()),
        (Kind::Case, !site.cases.is_empty()),
        (Kind::Policy, !site.policies.is_empty()),
        (Kind::Disclosure, !site.disclosures.is_empty()),
    ];
    let mut nav: Vec<Link> = present
        .into_iter()
        .filter(|(_, has)| *has)
        .map(|(k, _)| Link {
            title: t.get(&format!("nav.{}", k.folder())),
            url: site.section_url(k),
        })
        .collect();
    nav.extend(site.pages.iter().map(|p| Link {
        title: p.item.meta.title.clone(),
        url: p.url.clone(),
    }));
    nav
}

/// The part of every page's context shared by all templates.
#[derive(Serialize)]
pub struct Layout<'a> {
    pub site: &'a SiteView<'a>,
    pub title: String,
    pub description: Option<&'a str>,
    /// The page's absolute address.
    pub canonical: String,
    /// The page's site path, to mark the current nav entry.
    pub path: String,
    /// Atom feeds to announce in the page's head.
    pub feeds: Vec<Link>,
}

/// Renders every page of `site` into `sink`; template mistakes come back as diagnostics.
pub fn render_all(site: &Site, renderer: &Renderer, sink: &Sink) -> Result<Vec<Diagnostic>, Error> {
    let view = SiteView::of(site, &renderer.strings);
    let env = pages::Env {
        site,
        r: renderer,
        view: &view,
        sink,
    };
    let mut diags = env.all()?;
    renderer.copy_static(sink)?;
    diags.sort_by(|a, b| a.path.cmp(&b.path));
    diags.dedup();
    Ok(diags)
}
