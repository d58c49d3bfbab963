//! Each kind's pages, one module per kind: its list and item pages, what it adds to the
//! principle pages, the home page and the search index. The modules plug in through the
//! registry's render side (`kind_pages!`, from the one line per kind in [`crate::kinds`]);
//! shared helpers live in the modules above this one and never import a kind's module.

use serde::Serialize;

use super::{Env, Reader, Strings};
use crate::bodies::LinkedQuestion;
use crate::built::PageView;
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
    /// Page `page` of the kind's list.
    fn list(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic>;
    /// Item `id`'s page.
    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic>;
    /// What an item shows from its front matter that a reader may search for.
    fn facts(p: &PageView, data: &Self::Data, cx: &Facts) -> Vec<String> {
        let _ = (p, data, cx);
        Vec::new()
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

/// What [`KindPages::facts`] may use besides the item.
pub struct Facts<'a> {
    pub t: &'a Strings,
    pub today: Date,
    /// A bank's questions with their links resolved (empty for other kinds).
    pub questions: &'a [LinkedQuestion],
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

        /// What a page shows from its front matter that a reader may search for.
        pub fn facts(p: &PageView, cx: &Facts) -> Vec<String> {
            match &p.item.data {
                $(Data::$variant(d) => <$pages::Pages as KindPages>::facts(p, d, cx)),*
            }
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
