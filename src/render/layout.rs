//! What every page's layout shows: the site's name, the menu, the report entry, the footer.
//! Computed once per build; when it changes, every page changes.

use serde::Serialize;

use super::Strings;
use crate::kinds::Kind;
use crate::kinds::page::Page;
use crate::site::{Link, Site};
use crate::types::Audience;

/// The layout shared by every page of a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteView {
    pub title: String,
    pub hospital: String,
    pub description: Option<String>,
    pub lang: String,
    pub base: String,
    pub static_base: String,
    pub report_url: String,
    pub search_url: String,
    pub nav: Vec<Link>,
    pub footer_html: String,
    pub year: i16,
    pub staff_build: bool,
    /// Festival reminders current on the build's today: a banner on every page.
    pub reminders: Vec<super::reminders::Banner>,
}

impl SiteView {
    pub fn of(site: &Site, t: &Strings) -> Self {
        let c = &site.config;
        SiteView {
            title: c.title.clone(),
            hospital: c.hospital.clone(),
            description: c.description.clone(),
            lang: c.language.clone(),
            base: site.base_path.clone(),
            static_base: format!("{}static/", site.base_path),
            report_url: site.section_url(Kind::Channel),
            search_url: super::search::search_url(site),
            nav: site.nav.clone().unwrap_or_else(|| default_nav(site, t)),
            footer_html: site.bodies.footer_html.clone(),
            year: site.options.today.year(),
            staff_build: site.options.audience == Audience::Staff,
            reminders: super::reminders::banners(site),
        }
    }
}

/// The sections that have published content, then the free pages that ask for a place
/// (`menu: true`, by `weight`): never every page.
fn default_nav(site: &Site, t: &Strings) -> Vec<Link> {
    let sections = [
        Kind::News,
        Kind::Principle,
        Kind::Module,
        Kind::Case,
        Kind::Policy,
        Kind::Risk,
        Kind::Disclosure,
    ];
    let mut nav: Vec<Link> = sections
        .into_iter()
        .filter(|k| site.has_section(*k))
        .map(|k| section_link(site, t, k))
        .collect();
    let mut pages: Vec<_> = site.ordered::<Page>().filter(|p| p.data.menu).collect();
    pages.sort_by(|a, b| {
        a.data
            .weight
            .cmp(&b.data.weight)
            .then(a.item.id.cmp(&b.item.id))
    });
    nav.extend(pages.into_iter().map(|p| Link {
        title: p.item.meta.title.clone(),
        url: p.url.to_owned(),
    }));
    nav
}

/// A link to a kind's section, titled as the menu titles it.
pub fn section_link(site: &Site, t: &Strings, kind: Kind) -> Link {
    Link {
        title: t.get(&format!("nav.{}", kind.folder())),
        url: site.section_url(kind),
    }
}

/// The part of every page's context that changes from page to page (the site's layout is
/// in the templates' global context as `site`).
#[derive(Serialize)]
pub struct Layout<'a> {
    #[serde(skip)]
    pub site: &'a SiteView,
    pub title: String,
    pub description: Option<String>,
    /// The page's absolute address.
    pub canonical: String,
    /// The page's site path, to mark the current nav entry.
    pub path: String,
    /// Atom feeds to announce in the page's head.
    pub feeds: Vec<Link>,
    /// News that mention the page's item.
    pub mentions: Vec<Link>,
}

impl<'a> Layout<'a> {
    /// The layout of the page at site path `path`.
    pub fn new(
        site: &Site,
        view: &'a SiteView,
        title: &str,
        description: Option<&str>,
        path: &str,
    ) -> Self {
        Layout {
            site: view,
            title: title.to_owned(),
            description: description
                .map(str::to_owned)
                .or_else(|| view.description.clone()),
            canonical: site.absolute(path),
            path: path.to_owned(),
            feeds: Vec::new(),
            mentions: Vec::new(),
        }
    }
}
