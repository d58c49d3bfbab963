//! What every page's layout shows: the site's name, the menu, the report entry, the footer.
//! Computed once per build; when it changes, every page changes.

use std::collections::hash_map::Entry;

use serde::Serialize;

use super::{Renderer, Strings};
use crate::built::Site;
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::page::Page;
use crate::kinds::reminder::{Reminder, When};
use crate::site::Link;
use crate::types::{Audience, Date, HashMap};

/// The layout shared by every page of a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteView {
    pub title: String,
    pub hospital: String,
    pub description: Option<String>,
    pub lang: String,
    pub base: String,
    /// `base_url` with one trailing slash, for absolute addresses.
    pub base_url: String,
    pub static_base: String,
    pub report_url: String,
    pub search_url: String,
    pub nav: Vec<Link>,
    pub footer_html: String,
    pub year: i16,
    pub staff_build: bool,
    /// Festival reminders current on the build's today: a banner on every page.
    pub reminders: Vec<Banner>,
    /// The page header for each way the menu can mark a page (set by [`Headers::render`]).
    #[serde(skip)]
    pub headers: Headers,
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
            base_url: site.base_url.clone(),
            static_base: format!("{}static/", site.base_path),
            report_url: site.section_url(Kind::Channel),
            search_url: crate::site::urls::search_url(site),
            nav: site.nav.clone().unwrap_or_else(|| default_nav(site, t)),
            footer_html: site.bodies.footer_html.clone(),
            year: site.options.today.year(),
            staff_build: site.options.audience == Audience::Staff,
            reminders: banners(site),
            headers: Headers::default(),
        }
    }
}

/// A current reminder as the banner on every page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Banner {
    /// Stable per reminder and dates, so dismissing one does not hide the next.
    pub key: String,
    pub title: String,
    pub summary: Option<String>,
    pub url: String,
    pub until: Date,
}

/// The reminders current on the build's today, newest first.
fn banners(site: &Site) -> Vec<Banner> {
    let today = site.options.today;
    site.ordered::<Reminder>()
        .filter(|p| p.data.when(today) == When::Current)
        .map(|p| Banner {
            key: format!("{}@{}", p.item.id, p.data.from),
            title: p.item.meta.title.clone(),
            summary: p.item.meta.summary.clone(),
            url: p.url.to_owned(),
            until: p.data.until,
        })
        .collect()
}

/// The sections that have published content, then the free pages that ask for a place
/// (`menu: true`, by `weight`): never every page.
fn default_nav(site: &Site, t: &Strings) -> Vec<Link> {
    let mut sections: Vec<(u8, Kind)> = (Kind::ALL.iter())
        .filter_map(|k| Some((k.menu()?, *k)))
        .collect();
    sections.sort_unstable();
    let mut nav: Vec<Link> = (sections.into_iter().map(|(_, k)| k))
        .filter(|k| site.has_section(*k))
        .map(|k| section_link(site, t, k))
        .collect();
    // A commission's site: its units directory, after the sections.
    if !site.options.units.is_empty() {
        nav.push(Link {
            title: t.get("units.title"),
            url: crate::site::urls::units_url(&**site, 1),
        });
    }
    let mut pages: Vec<_> = site.ordered::<Page>().filter(|p| p.data.menu).collect();
    pages.sort_by(|a, b| {
        a.data
            .weight
            .cmp(&b.data.weight)
            .then(a.item.id.cmp(&b.item.id))
    });
    pages.truncate(crate::kinds::page::MAX_MENU_PAGES);
    nav.extend(pages.into_iter().map(|p| Link {
        title: p.item.meta.title.clone(),
        url: p.url.to_owned(),
    }));
    nav
}

/// A link to a kind's section, titled as the menu titles it.
pub fn section_link(site: &impl crate::site::urls::Based, t: &Strings, kind: Kind) -> Link {
    Link {
        title: t.get(&format!("nav.{}", kind.folder())),
        url: crate::site::urls::section_url(site.base_path(), kind),
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
    /// The top of the page (`header.html`), rendered once for all pages marked alike.
    pub header_html: &'a str,
}

impl<'a> Layout<'a> {
    /// The layout of the page at site path `path`.
    pub fn new(view: &'a SiteView, title: &str, description: Option<&str>, path: &str) -> Self {
        let rel = path.strip_prefix(view.base.as_str()).unwrap_or(path);
        Layout {
            site: view,
            title: title.to_owned(),
            description: description
                .map(str::to_owned)
                .or_else(|| view.description.clone()),
            canonical: format!("{}{rel}", view.base_url),
            path: path.to_owned(),
            feeds: Vec::new(),
            mentions: Vec::new(),
            header_html: view.headers.get(view, path),
        }
    }
}

/// Which menu entries mark a page as theirs: first the home entry (the page is the home
/// page), then each entry of `site.nav` (the page's path starts with its URL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Marks(Vec<bool>);

impl Marks {
    fn of(view: &SiteView, path: &str) -> Marks {
        Marks::within(&view.base, &view.nav, path)
    }

    /// The marks of `path` on a site at `base` with menu `nav`.
    fn within(base: &str, nav: &[Link], path: &str) -> Marks {
        let mut marks = Vec::with_capacity(nav.len() + 1);
        marks.push(path == base);
        marks.extend(
            nav.iter()
                .map(|l| path.starts_with(&l.url) && l.url != base),
        );
        Marks(marks)
    }

    /// Paths that between them have every marks a page can have (see [`Headers`]).
    fn every<'a>(base: &'a str, nav: &'a [Link]) -> impl Iterator<Item = &'a str> {
        [base, ""]
            .into_iter()
            .chain(nav.iter().map(|l| l.url.as_str()))
    }
}

/// `header.html` rendered once for each way the menu can mark a page. A page other than the
/// home page is under exactly the entries whose URLs start the longest entry URL that starts
/// its path (all of them start its path, so each starts the longest): it is marked as that
/// URL, or as `""` when no URL starts it. So the home page, `""` and the entries' URLs give
/// every header a page can have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(HashMap<Marks, String>);

impl Headers {
    /// Renders the header for every way a page of `view` can be marked.
    pub fn render(r: &Renderer, view: &SiteView) -> Result<Headers, Diagnostic> {
        let mut headers = Headers::default();
        for path in Marks::every(&view.base, &view.nav) {
            if let Entry::Vacant(slot) = headers.0.entry(Marks::of(view, path)) {
                let html = header(r, view, slot.key())?;
                slot.insert(html);
            }
        }
        Ok(headers)
    }

    /// The header of the page at site path `path`.
    pub fn get(&self, view: &SiteView, path: &str) -> &str {
        let found = self.0.get(&Marks::of(view, path));
        debug_assert!(found.is_some() || self.0.is_empty(), "{path}");
        found.map_or("", String::as_str)
    }
}

/// `header.html` for pages marked `marks`.
fn header(r: &Renderer, view: &SiteView, marks: &Marks) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct HeaderCtx<'a> {
        menu: Vec<MenuEntry<'a>>,
        home_current: bool,
    }
    #[derive(Serialize)]
    struct MenuEntry<'a> {
        title: &'a str,
        url: &'a str,
        current: bool,
    }
    let (home, entries) = marks.0.split_first().unwrap_or((&false, &[]));
    let menu = view
        .nav
        .iter()
        .zip(entries)
        .map(|(l, &current)| MenuEntry {
            title: &l.title,
            url: &l.url,
            current,
        })
        .collect();
    let ctx = HeaderCtx {
        menu,
        home_current: *home,
    };
    let bytes = r.emit("header.html", &ctx)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(url: &str) -> Link {
        Link {
            title: url.to_owned(),
            url: url.to_owned(),
        }
    }

    #[test]
    fn every_page_is_marked_as_one_of_the_headers_made() {
        let base = "/site/";
        let nav: Vec<Link> = [
            "/site/cases/",
            "/site/pages/about/",
            "/site/pages/about/team/",
            "/site/pages/about/team/",
            "/site/",
            "/",
            "",
            "https://example.org/",
            "/site/pages/",
        ]
        .map(link)
        .to_vec();
        let made: std::collections::HashSet<Marks> = Marks::every(base, &nav)
            .map(|p| Marks::within(base, &nav, p))
            .collect();
        let pages = [
            "/site/",
            "/site/cases/",
            "/site/cases/2024/x/",
            "/site/pages/about/",
            "/site/pages/about/team/lead/",
            "/site/pages/aboutus/",
            "/site/pages/",
            "/site/404.html",
            "/site/search/",
            "/other/",
            "",
        ];
        for page in pages {
            let marks = Marks::within(base, &nav, page);
            assert!(made.contains(&marks), "{page}: {marks:?}");
        }
        // Nested entries both mark a page under the inner one.
        let deep = Marks::within(base, &nav, "/site/pages/about/team/lead/");
        assert_eq!(deep.0[2..5], [true, true, true]);
        assert!(!deep.0[0]);
    }
}
