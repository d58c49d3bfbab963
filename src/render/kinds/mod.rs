//! Each kind's pages, one module per kind: its list and item pages, what it adds to the
//! principle pages, the home page and the search index. The modules plug in through the
//! registry's render side (`kind_pages!`, from the one line per kind in [`crate::kinds`]);
//! shared helpers live in the modules above this one and never import a kind's module.

use serde::Serialize;

use super::{Env, Reader, Strings};
use crate::bodies::LinkedQuestion;
use crate::built::{PageView, Site};
use crate::diag::Diagnostic;
use crate::kinds::{Data, Kind, KindData};
use crate::site::Link;
use crate::types::Date;

/// What a kind's render module provides. Every method past the pages has a default that
/// adds nothing.
pub trait KindPages {
    /// The kind's own fields.
    type Data: KindData;
    /// The interface string the kind's list is titled with (`nav.cases`); `None` for a kind
    /// without a list.
    const TITLE: Option<&'static str>;
    /// The theme's templates the module's pages use (a test checks the theme has them and
    /// that the module uses no other).
    const TEMPLATES: &'static [&'static str];
    /// Page `page` of the kind's list.
    fn list(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic>;
    /// Item `id`'s page.
    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic>;
    /// What an item shows from its front matter that a reader may search for.
    fn facts(p: &PageView, data: &Self::Data, cx: &Facts) -> Vec<String> {
        let _ = (p, data, cx);
        Vec::new()
    }
    /// Whether an item can be made into a WeChat article (`export wechat`).
    const ARTICLE: bool = false;
    /// What an article of the item shows above its text.
    fn article(p: &PageView, data: &Self::Data, cx: &Facts) -> ArticleHead {
        let _ = (p, data, cx);
        ArticleHead::default()
    }
    /// A section on principle `n`'s page: the kind's items that cite it.
    fn on_principle(env: &Env, r: &Reader, n: u8) -> Option<Related> {
        let _ = (env, r, n);
        None
    }
    /// A section on the home page: the kind's latest items.
    fn on_home(env: &Env, r: &Reader) -> Option<Related> {
        let _ = (env, r);
        None
    }
}

/// What [`KindPages::facts`] and [`KindPages::article`] may use besides the item.
pub struct Facts<'a> {
    pub t: &'a Strings,
    pub today: Date,
    /// A bank's questions with their links resolved (empty for other kinds).
    pub questions: &'a [LinkedQuestion],
    /// The site, for the titles of what the item cites.
    pub site: &'a Site,
}

impl<'a> Facts<'a> {
    /// The facts of page `id` of `site`.
    pub fn of(site: &'a Site, t: &'a Strings, id: &str) -> Self {
        Facts {
            t,
            today: site.options.today,
            questions: site.bodies.get(id).map_or(&[], |b| b.questions.as_slice()),
            site,
        }
    }

    /// Principles `numbers` as `第8条 共建和谐关系……`, joined by `；` (published ones only).
    pub fn principles(&self, numbers: &[u8]) -> Option<String> {
        let titles: Vec<String> = (numbers.iter())
            .filter_map(|n| {
                let id = self.site.index.principle_ids.get(n)?;
                let p = self.site.page::<crate::kinds::principle::Principle>(id)?;
                let number = self.t.get_fmt("principle_number", &n.to_string());
                Some(format!("{number} {}", p.item.meta.title))
            })
            .collect();
        (!titles.is_empty()).then(|| titles.join("；"))
    }
}

/// What a WeChat article shows above the item's text: the line under its title, its facts
/// (label, plain text) and a picture under `content/` with what it shows.
#[derive(Debug, Default)]
pub struct ArticleHead {
    pub kicker: Vec<String>,
    pub facts: Vec<(String, String)>,
    pub picture: Option<(String, String)>,
}

impl ArticleHead {
    /// Adds the fact `label` (an interface string) when `value` says something.
    pub fn fact(&mut self, t: &Strings, label: &str, value: Option<String>) {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            self.facts.push((t.get(label), v));
        }
    }
}

/// A section one kind adds to another page: a heading, links with a date and a line each,
/// and the way to the rest.
#[derive(Debug, Serialize)]
pub struct Related {
    /// The section's anchor (`related-examples`).
    pub anchor: String,
    pub heading: String,
    pub rows: Vec<RelatedRow>,
    pub more: Option<Link>,
}

/// One item in a [`Related`] section.
#[derive(Debug, Serialize)]
pub struct RelatedRow {
    pub title: String,
    pub url: String,
    pub date: Option<Date>,
    /// What the list shows after the date (a department, a count).
    pub meta: Option<String>,
}

impl RelatedRow {
    /// An item as a row with nothing after its title.
    pub fn link(link: Link) -> Self {
        RelatedRow {
            title: link.title,
            url: link.url,
            date: None,
            meta: None,
        }
    }
}

impl Related {
    /// A section of `kind`'s items titled by the interface string `heading`, anchored by the
    /// kind's folder and `place` (`principle`, `home`).
    pub fn of(kind: Kind, place: &str, heading: String, rows: Vec<RelatedRow>) -> Option<Self> {
        (!rows.is_empty()).then(|| Related {
            anchor: format!("{place}-{}", kind.folder()),
            heading,
            rows,
            more: None,
        })
    }
}

macro_rules! pages_registry {
    ($($variant:ident $pages:ident),*) => {
        $(pub mod $pages;)*

        /// Page `page` of `kind`'s list.
        pub fn list(kind: Kind, env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
            match kind { $(Kind::$variant => <$pages::Pages as KindPages>::list(env, r, page)),* }
        }

        /// Item `id`'s page, by its kind's module (nothing when it is not published).
        pub fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
            let Some(item) = r.item(id) else {
                return Ok(Vec::new());
            };
            match item.kind { $(Kind::$variant => <$pages::Pages as KindPages>::item(env, r, id)),* }
        }

        /// The interface string `kind`'s list is titled with, if it has a list.
        pub fn title(kind: Kind) -> Option<&'static str> {
            match kind { $(Kind::$variant => <$pages::Pages as KindPages>::TITLE),* }
        }

        /// The templates `kind`'s pages use.
        pub fn templates(kind: Kind) -> &'static [&'static str] {
            match kind { $(Kind::$variant => <$pages::Pages as KindPages>::TEMPLATES),* }
        }

        /// The file of `kind`'s render module under `src/render/kinds/`, for the registry test.
        #[cfg(test)]
        fn module_name(kind: Kind) -> &'static str {
            match kind { $(Kind::$variant => stringify!($pages)),* }
        }

        /// What a page shows from its front matter that a reader may search for.
        pub fn facts(p: &PageView, cx: &Facts) -> Vec<String> {
            match &p.item.data {
                $(Data::$variant(d) => <$pages::Pages as KindPages>::facts(p, d, cx)),*
            }
        }

        /// What a WeChat article of page `p` shows above its text, when its kind makes
        /// articles.
        pub fn article(p: &PageView, cx: &Facts) -> Option<ArticleHead> {
            match &p.item.data {
                $(Data::$variant(d) => <$pages::Pages as KindPages>::ARTICLE
                    .then(|| <$pages::Pages as KindPages>::article(p, d, cx))),*
            }
        }

        /// Whether `kind`'s items can be made into WeChat articles.
        pub fn makes_articles(kind: Kind) -> bool {
            match kind { $(Kind::$variant => <$pages::Pages as KindPages>::ARTICLE),* }
        }

        /// The sections the kinds add to principle `n`'s page, in registry order.
        pub fn on_principle(env: &Env, r: &Reader, n: u8) -> Vec<Related> {
            let mut sections = Vec::new();
            $(sections.extend(<$pages::Pages as KindPages>::on_principle(env, r, n));)*
            sections
        }

        /// The sections the kinds add to the home page, in registry order.
        pub fn on_home(env: &Env, r: &Reader) -> Vec<Related> {
            let mut sections = Vec::new();
            $(sections.extend(<$pages::Pages as KindPages>::on_home(env, r));)*
            sections
        }
    };
}

kind_pages!(pages_registry);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{Lang, Msg};

    /// The theme's interface strings in `lang`.
    fn strings(lang: &str) -> std::collections::BTreeMap<String, String> {
        let file = crate::theme::embedded()
            .iter()
            .find(|(rel, _)| *rel == format!("i18n/{lang}.yaml"))
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default();
        serde_yaml::from_str(&file).unwrap_or_default()
    }

    /// The `"….html"` literals in a kind's render module (before its tests).
    fn templates_named(module: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render/kinds");
        let text = std::fs::read_to_string(dir.join(format!("{module}.rs")))
            .or_else(|_| std::fs::read_to_string(dir.join(module).join("mod.rs")))
            .unwrap_or_default();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let mut found = Vec::new();
        for (end, _) in code.match_indices(".html\"") {
            let before = &code[..end];
            let start = before.trim_end_matches(|c: char| c.is_ascii_lowercase() || c == '_');
            if start.ends_with('"') && start.len() < before.len() {
                found.push(format!("{}.html", &before[start.len()..]));
            }
        }
        found
    }

    /// Every registered kind has what the registry line promises: its templates in the
    /// theme (and no template its module does not declare), its interface strings in both
    /// languages, its archetype for `new`, and its name in the catalogues' help for `new`.
    #[test]
    fn every_kind_has_its_templates_strings_archetype_and_catalogue_entries() {
        let theme: Vec<&str> = crate::theme::embedded()
            .iter()
            .map(|(rel, _)| *rel)
            .collect();
        let (zh, en) = (strings("zh-CN"), strings("en"));
        assert!(
            zh.len() > 100 && en.len() > 100,
            "the theme's strings are read"
        );
        let mut missing = Vec::new();
        for &kind in Kind::ALL {
            for t in templates(kind) {
                if !theme.contains(&format!("templates/{t}").as_str()) {
                    missing.push(format!("{kind:?}: template {t}"));
                }
            }
            let named = templates_named(module_name(kind));
            assert!(!named.is_empty(), "{kind:?}: its module is read");
            for t in named
                .iter()
                .filter(|t| !templates(kind).contains(&t.as_str()))
            {
                missing.push(format!("{kind:?}: uses {t} without declaring it"));
            }
            let mut keys = vec![format!("search.kind.{}", kind.name())];
            keys.extend(title(kind).map(str::to_owned));
            // The menu and the feed name a section by its folder.
            if kind.menu().is_some() || kind.feed() {
                keys.push(format!("nav.{}", kind.folder()));
            }
            for (lang, s) in [("zh-CN", &zh), ("en", &en)] {
                for k in keys.iter().filter(|k| !s.contains_key(*k)) {
                    missing.push(format!("{kind:?}: i18n/{lang}.yaml has no {k}"));
                }
            }
            if !theme.contains(&format!("archetypes/{}.md", kind.name()).as_str()) {
                missing.push(format!("{kind:?}: archetypes/{}.md", kind.name()));
            }
            for lang in [Lang::Zh, Lang::En] {
                for key in ["cli.new", "cli.new.kind"] {
                    let text = Msg::lookup(lang, key).unwrap_or_default();
                    if !text.contains(kind.name()) {
                        missing.push(format!("{kind:?}: {lang:?} catalogue {key} omits it"));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }
}
