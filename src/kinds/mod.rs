//! Parse stage: turn each loaded file into a typed item of its kind, by folder.

pub mod case;
pub mod channel;
pub mod disclosure;
pub mod module;
pub mod page;
pub mod policy;
pub mod principle;
pub mod quiz;

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::frontmatter::{self, FrontMatter, Meta};
use crate::source::SourceFile;

/// A parsed content item: its id (path without `.md`), source, shared keys and own fields.
#[derive(Debug, Clone)]
pub struct Item<K> {
    pub id: String,
    pub file: Arc<SourceFile>,
    pub meta: Meta,
    pub data: K,
}

impl<K> Item<K> {
    /// The last path segment of the URL: `slug:` or the file name.
    pub fn slug(&self) -> &str {
        self.meta
            .slug
            .as_deref()
            .unwrap_or_else(|| self.id.rsplit('/').next().unwrap_or(&self.id))
    }

    pub fn key_error(&self, key: &str, msg: impl Into<String>) -> Diagnostic {
        self.file.key_error(key, msg)
    }

    pub fn key_warning(&self, key: &str, msg: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..self.file.key_error(key, msg)
        }
    }
}

/// What part of an item's file is its Markdown body (a bank's questions are not).
pub trait Body {
    fn markdown<'a>(&'a self, file: &'a SourceFile) -> &'a str {
        file.body()
    }
}

/// The content folders and what lives in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Principle,
    Policy,
    Case,
    Channel,
    Disclosure,
    Module,
    Quiz,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Principle,
        Kind::Policy,
        Kind::Case,
        Kind::Channel,
        Kind::Disclosure,
        Kind::Module,
        Kind::Quiz,
        Kind::Page,
    ];

    /// The folder under `content/`.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Principle => "principles",
            Kind::Policy => "policies",
            Kind::Case => "cases",
            Kind::Channel => "channels",
            Kind::Disclosure => "disclosures",
            Kind::Module => "modules",
            Kind::Quiz => "quizzes",
            Kind::Page => "pages",
        }
    }

    /// The singular name used by `qinglian new`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Principle => "principle",
            Kind::Policy => "policy",
            Kind::Case => "case",
            Kind::Channel => "channel",
            Kind::Disclosure => "disclosure",
            Kind::Module => "module",
            Kind::Quiz => "quiz",
            Kind::Page => "page",
        }
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == folder)
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == name || k.folder() == name)
    }
}

/// A section index (`content/<folder>/_index.md`) or the home page (`content/_index.md`).
pub type Section = Item<page::Page>;

/// Every typed item of the site, before links are resolved.
#[derive(Debug, Default)]
pub struct Parsed {
    pub home: Option<Section>,
    pub sections: Vec<(Kind, Section)>,
    pub principles: Vec<Item<principle::Principle>>,
    pub policies: Vec<Item<policy::Policy>>,
    pub cases: Vec<Item<case::Case>>,
    pub channels: Vec<Item<channel::Channel>>,
    pub disclosures: Vec<Item<disclosure::Disclosure>>,
    pub modules: Vec<Item<module::Module>>,
    pub pages: Vec<Item<page::Page>>,
    pub quizzes: Vec<Item<quiz::QuizBank>>,
    /// Ids of files whose front matter could not be read (already reported); references to
    /// them are not reported again.
    pub failed: Vec<String>,
}

enum One {
    Home(Section),
    Section(Kind, Section),
    Principle(Item<principle::Principle>),
    Policy(Item<policy::Policy>),
    Case(Item<case::Case>),
    Channel(Item<channel::Channel>),
    Disclosure(Item<disclosure::Disclosure>),
    Module(Item<module::Module>),
    Page(Item<page::Page>),
    Quiz(Item<quiz::QuizBank>),
    Failed(String),
}

/// Parses every file in parallel; returns the items and every diagnostic found.
pub fn parse(files: &[Arc<SourceFile>]) -> (Parsed, Vec<Diagnostic>) {
    let results: Vec<(Option<One>, Vec<Diagnostic>)> = files.par_iter().map(parse_one).collect();
    let mut parsed = Parsed::default();
    let mut diags = Vec::new();
    for (one, d) in results {
        diags.extend(d);
        match one {
            Some(One::Home(s)) => parsed.home = Some(s),
            Some(One::Section(k, s)) => parsed.sections.push((k, s)),
            Some(One::Principle(i)) => parsed.principles.push(i),
            Some(One::Policy(i)) => parsed.policies.push(i),
            Some(One::Case(i)) => parsed.cases.push(i),
            Some(One::Channel(i)) => parsed.channels.push(i),
            Some(One::Disclosure(i)) => parsed.disclosures.push(i),
            Some(One::Module(i)) => parsed.modules.push(i),
            Some(One::Page(i)) => parsed.pages.push(i),
            Some(One::Quiz(i)) => parsed.quizzes.push(i),
            Some(One::Failed(id)) => parsed.failed.push(id),
            None => {}
        }
    }
    (parsed, diags)
}

fn parse_one(file: &Arc<SourceFile>) -> (Option<One>, Vec<Diagnostic>) {
    let id = file.rel.trim_end_matches(".md").to_owned();
    let folder = file.rel.split('/').next().unwrap_or("");
    if file.rel == "_index.md" {
        return typed::<page::PageFront, _>(file, id, |_| vec![], One::Home);
    }
    let Some(kind) = Kind::from_folder(folder).filter(|_| file.rel.contains('/')) else {
        let folders: Vec<&str> = Kind::ALL.iter().map(|k| k.folder()).collect();
        let d = Diagnostic::file(
            Severity::Error,
            &file.shown,
            "file is not in a content folder",
        )
        .with_hint(format!("move it into one of: {}", folders.join(", ")));
        return (None, vec![d]);
    };
    if file.rel.ends_with("/_index.md") {
        if file.rel.matches('/').count() > 1 {
            let d = Diagnostic::file(
                Severity::Error,
                &file.shown,
                "`_index.md` is only read at the top of a content folder",
            )
            .with_hint(format!(
                "move it to content/{folder}/_index.md or rename it"
            ));
            return (None, vec![d]);
        }
        return typed::<page::PageFront, _>(file, id, |_| vec![], |s| One::Section(kind, s));
    }
    match kind {
        Kind::Principle => {
            typed::<principle::PrincipleFront, _>(file, id, principle::check, One::Principle)
        }
        Kind::Policy => typed::<policy::PolicyFront, _>(file, id, policy::check, One::Policy),
        Kind::Case => typed::<case::CaseFront, _>(file, id, case::check, One::Case),
        Kind::Channel => typed::<channel::ChannelFront, _>(file, id, channel::check, One::Channel),
        Kind::Disclosure => {
            typed::<disclosure::DisclosureFront, _>(file, id, disclosure::check, One::Disclosure)
        }
        Kind::Module => typed::<module::ModuleFront, _>(file, id, module::check, One::Module),
        Kind::Page => typed::<page::PageFront, _>(file, id, |_| vec![], One::Page),
        Kind::Quiz => match quiz::parse(file, id.clone()) {
            (Some(item), mut diags) => {
                diags.extend(check_slug(&item));
                (Some(One::Quiz(item)), diags)
            }
            (None, diags) => (Some(One::Failed(id)), diags),
        },
    }
}

/// Parses one file as front matter `F`, runs the kind's own checks and wraps the item.
fn typed<F: FrontMatter, W>(
    file: &Arc<SourceFile>,
    id: String,
    check: fn(&Item<F::Kind>) -> Vec<Diagnostic>,
    wrap: W,
) -> (Option<One>, Vec<Diagnostic>)
where
    W: FnOnce(Item<F::Kind>) -> One,
{
    match frontmatter::parse::<F>(file) {
        Ok((meta, data)) => {
            let item = Item {
                id,
                file: Arc::clone(file),
                meta,
                data,
            };
            let mut diags = check_slug(&item);
            diags.extend(check(&item));
            (Some(wrap(item)), diags)
        }
        Err(diags) => (Some(One::Failed(id)), diags),
    }
}

/// A slug is one safe path segment: it can never climb out of the output folder.
fn check_slug<K>(item: &Item<K>) -> Vec<Diagnostic> {
    let slug = item.slug();
    let bad = slug.is_empty()
        || slug.starts_with('.')
        || slug.chars().any(|c| {
            matches!(
                c,
                '/' | '\\' | '?' | '#' | '%' | '<' | '>' | '"' | ':' | '*' | '|'
            ) || c.is_control()
                || c.is_whitespace()
        });
    if !bad {
        return vec![];
    }
    let d = if item.meta.slug.is_some() {
        item.key_error(
            "slug",
            format!("slug `{slug}` cannot be used in an address"),
        )
    } else {
        Diagnostic::file(
            Severity::Error,
            &item.file.shown,
            format!("file name `{slug}` cannot be used in an address"),
        )
    };
    vec![d.with_hint("use letters, digits and `-`, e.g. `red-envelope-2024`")]
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// Parses `text` as if it were `content/<rel>`.
    pub fn parse_text(rel: &str, text: &str) -> (Parsed, Vec<Diagnostic>) {
        let file = crate::source::split(rel.into(), text.as_bytes()).expect("split");
        parse(&[Arc::new(file)])
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::parse_text;

    #[test]
    fn files_outside_content_folders_are_named() {
        let (_, d) = parse_text("notes/x.md", "---\ntitle: x\n---\n");
        assert!(d[0].message.contains("not in a content folder"));
        assert!(d[0].hint.as_deref().unwrap().contains("principles"));
    }

    #[test]
    fn slugs_cannot_escape() {
        let (_, d) = parse_text("pages/a.md", "---\ntitle: x\nslug: ../../etc\n---\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 3);
        let (_, d) = parse_text("pages/a.md", "---\ntitle: x\nslug: about-us\n---\n");
        assert!(d.is_empty());
    }

    #[test]
    fn sections_and_home_are_recognised() {
        let (p, d) = parse_text("_index.md", "---\ntitle: 首页\n---\n欢迎");
        assert!(d.is_empty() && p.home.is_some());
        let (p, _) = parse_text("cases/_index.md", "---\ntitle: 警示案例\n---\n");
        assert_eq!(p.sections.len(), 1);
    }
}
