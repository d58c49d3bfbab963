//! Plan stage: the outputs a site has (home, each list page, each item, each poster and feed,
//! sitemap, robots, 404, static files, attachments), each with its path; two outputs that
//! would share a path are a located error. And the outputs a set of changed keys touches.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::built::Site;
pub use crate::built::{channel_groups, poster_channels};
use crate::diag::{Diagnostic, Severity};
use crate::kinds::Kind;
use crate::kinds::channel::ChannelKind;
use crate::site::Entry;
pub use crate::site::urls::{
    assessment_url, casebook_url, category_url, channel_list_url, channel_poster_url, citing_url,
    feed_url, handbook_url, kind_feed_url, page_url, poster_url, record_url, search_url, units_url,
};
use crate::theme::Theme;
use crate::types::{HashMap, HashSet, Id};

/// Rows on one list page.
pub const PAGE_SIZE: usize = 50;

/// One file the site publishes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Output {
    Home,
    /// Page `page` (1-based) of a kind's list.
    List {
        kind: Kind,
        page: usize,
    },
    /// Page `page` of the cases citing principle `principle`.
    Citing {
        principle: u8,
        page: usize,
    },
    /// Page `page` of one disclosure category.
    Category {
        name: String,
        page: usize,
    },
    Item(Id),
    /// Page `page` of "my study record".
    Record(usize),
    /// Page `page` of the report page's list of one kind of channel, the site's own or (on
    /// a unit's site, `upper`) the commission's: the kinds with more than [`CHANNELS_SHOWN`].
    Channels {
        upper: bool,
        kind: ChannelKind,
        page: usize,
    },
    /// A printable A4 poster, or the index of them.
    Poster(Poster),
    /// A booklet to print: a year's casebook, the principles handbook.
    Booklet(Booklet),
    /// The Atom feed of all disclosures (`None`) or of one category.
    Feed(Option<String>),
    /// The Atom feed of a kind that has one (the news).
    KindFeed(Kind),
    Sitemap,
    Robots,
    NotFound,
    /// Page `page` of a commission's units directory.
    Units(usize),
    /// Page `page` of the table of units against the commission's requirements (staff).
    Assessment(usize),
    /// The search page.
    Search,
    /// The search index: `search/meta.js` and the shards beside it.
    SearchIndex,
    /// A theme file under `static/`.
    Static(String),
    /// An attachment under `content/`.
    Asset(String),
}

/// The posters: page `n` of their index, one per channel, and part `n` of the poster of each
/// `location` (a place with many channels gets several, [`CHANNELS_PER_POSTER`] each).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Poster {
    Index(usize),
    Channel(Id),
    Location(String, usize),
}

/// Channels of one kind shown on the report page; the rest are on that kind's own list.
pub const CHANNELS_SHOWN: usize = 4;

/// Channels on one part of a location's poster (six A4 sheets of three at most): a place
/// with more gets further parts.
pub const CHANNELS_PER_POSTER: usize = 18;

/// The booklets printed from the site: the warning cases of one year (警示教育案例汇编),
/// and the Nine Principles study handbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Booklet {
    /// Part `part` (1-based) of a year's casebook: a large year's comes in several.
    Casebook(i16, usize),
    Handbook,
}

/// Cases in one part of a casebook: a booklet to hand out, not a book.
pub const CASES_PER_BOOKLET: usize = 20;

/// Where an output comes from, for collision messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// An item's page, or a page made from one of its keys (a poster's `location`).
    Item { id: Id, key: Option<&'static str> },
    /// An attachment.
    Asset(String),
    /// A page the generator makes for the site as a whole.
    Generated,
}

/// An output and the path it is written to, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub output: Output,
    pub path: String,
    pub origin: Origin,
}

/// Whether a kind's list comes in numbered pages (principles, the report page, reminders and
/// pledges are short; disclosures are paged by category; the risk register is one table to
/// print).
pub fn paged(kind: Kind) -> bool {
    kind.paged()
}

/// How many list pages `count` rows need (at least one).
pub fn page_count(count: usize) -> usize {
    count.div_ceil(PAGE_SIZE).max(1)
}

/// Every output of `site`, or the located errors that stop the build.
pub fn plan(site: &Site, theme: &Theme) -> (Vec<Planned>, Vec<Diagnostic>) {
    let mut p = Planner {
        site,
        outputs: Vec::new(),
        diags: Vec::new(),
    };
    p.pages();
    p.public();
    p.statics(theme);
    p.assets();
    let mut diags = p.diags;
    diags.extend(collisions(site, &p.outputs));
    (p.outputs, diags)
}

/// The last plan and what it was made from: a save that kept the link (the very same
/// addresses, see [`crate::site::link_reusing`]), the attachments bodies publish and the
/// theme's static files has the very same plan.
#[derive(Debug, Default, Clone)]
pub struct Memo {
    last: Option<MemoEntry>,
}

#[derive(Debug, Clone)]
struct MemoEntry {
    entries: Arc<HashMap<Id, Entry>>,
    assets: BTreeSet<String>,
    statics: Vec<String>,
    planned: Arc<Vec<Planned>>,
    diags: Vec<Diagnostic>,
}

/// Like [`plan`], taking the last plan again when it would be the same.
pub fn plan_reusing(
    site: &Site,
    theme: &Theme,
    memo: &mut Memo,
) -> (Arc<Vec<Planned>>, Vec<Diagnostic>) {
    let statics: Vec<String> = theme.under("static").map(|(r, _)| r.to_owned()).collect();
    let assets = &site.bodies.published_assets;
    if let Some(last) = memo.last.as_ref().filter(|last| {
        Arc::ptr_eq(&last.entries, &site.entries)
            && last.assets == *assets
            && last.statics == statics
    }) {
        return (Arc::clone(&last.planned), last.diags.clone());
    }
    let (planned, diags) = plan(site, theme);
    let planned = Arc::new(planned);
    memo.last = Some(MemoEntry {
        entries: Arc::clone(&site.entries),
        assets: assets.clone(),
        statics,
        planned: Arc::clone(&planned),
        diags: diags.clone(),
    });
    (planned, diags)
}

struct Planner<'a> {
    site: &'a Site,
    outputs: Vec<Planned>,
    diags: Vec<Diagnostic>,
}

impl Planner<'_> {
    fn add(&mut self, output: Output, path: String, origin: Origin) {
        self.outputs.push(Planned {
            output,
            path,
            origin,
        });
    }

    fn generated(&mut self, output: Output, url: &str) {
        let path = self.site.out_of(url);
        self.add(output, path, Origin::Generated);
    }

    fn pages(&mut self) {
        let s = self.site;
        self.generated(Output::Home, &s.base_path);
        for &kind in Kind::ALL {
            if !kind.listed() || !s.has_section(kind) {
                continue;
            }
            let count = s.index.order(kind).count();
            let pages = if paged(kind) { page_count(count) } else { 1 };
            for page in 1..=pages {
                self.generated(
                    Output::List { kind, page },
                    &page_url(&s.section_url(kind), page),
                );
            }
        }
        for &n in s.index.principle_ids.keys() {
            let count = s.index.citing(Kind::Case, n).len();
            if count == 0 {
                continue;
            }
            for page in 1..=page_count(count) {
                self.generated(
                    Output::Citing { principle: n, page },
                    &page_url(&citing_url(s, n), page),
                );
            }
        }
        // Thousands on a large site: made side by side.
        let ids: Vec<&Id> = s.index.order.values().flatten().collect();
        let items = ids.par_iter().with_max_len(crate::types::ITEMS_PER_TASK);
        self.outputs.par_extend(items.map(|&id| Planned {
            output: Output::Item(id.clone()),
            path: s.entries[id].out.clone(),
            origin: Origin::Item {
                id: id.clone(),
                key: None,
            },
        }));
        if s.has_section(Kind::Module) {
            let modules = s.index.order(Kind::Module).count();
            for page in 1..=page_count(modules) {
                self.generated(Output::Record(page), &page_url(&record_url(s), page));
            }
        }
        self.units();
        self.booklets();
        self.add(Output::NotFound, "404.html".into(), Origin::Generated);
        self.add(Output::Sitemap, "sitemap.xml".into(), Origin::Generated);
        self.add(Output::Robots, "robots.txt".into(), Origin::Generated);
        self.generated(Output::Search, &search_url(s));
        let form = crate::search::shard::Form::of(s.options.relative);
        let meta = form.path(&crate::search::shard::path_of("meta"));
        self.add(Output::SearchIndex, meta, Origin::Generated);
    }

    /// A commission's units directory and, in a staff build, its assessment table.
    fn units(&mut self) {
        let s = self.site;
        let units = s.options.units.len();
        for page in 1..=units.div_ceil(crate::units::PER_PAGE) {
            self.generated(Output::Units(page), &units_url(s, page));
            if crate::units::assessed(&s.options) {
                self.generated(Output::Assessment(page), &assessment_url(s, page));
            }
        }
    }

    /// A casebook for each year that has a case, and the principles handbook.
    fn booklets(&mut self) {
        let s = self.site;
        for (year, count) in casebook_years(s) {
            for part in 1..=count.div_ceil(CASES_PER_BOOKLET) {
                let output = Output::Booklet(Booklet::Casebook(year, part));
                self.generated(output, &casebook_url(s, year, part));
            }
        }
        if s.has_section(Kind::Principle) {
            self.generated(Output::Booklet(Booklet::Handbook), &handbook_url(s));
        }
    }

    /// Posters by location, the kinds' feeds, and disclosure categories with their feeds.
    fn public(&mut self) {
        let s = self.site;
        self.posters();
        self.channel_lists();
        for &kind in Kind::ALL {
            let url = kind_feed_url(s, kind).filter(|_| s.has_section(kind));
            if let Some(url) = url {
                self.add(
                    Output::KindFeed(kind),
                    file_path(s, &url),
                    Origin::Generated,
                );
            }
        }
        if !s.has_section(Kind::Disclosure) {
            return;
        }
        self.categories();
    }

    /// The lists of the kinds of channel the report page cannot show in full.
    fn channel_lists(&mut self) {
        let s = self.site;
        let today = s.options.today;
        let active = s.ordered::<crate::kinds::channel::Channel>();
        let active = active.filter(|c| c.data.active_on(today));
        for g in channel_groups(active, |id| s.shared.contains(id)) {
            if g.channels.len() <= CHANNELS_SHOWN {
                continue;
            }
            for page in 1..=page_count(g.channels.len()) {
                let url = channel_list_url(s, g.upper, g.kind.token(), page);
                let (upper, kind) = (g.upper, g.kind);
                self.generated(Output::Channels { upper, kind, page }, &url);
            }
        }
    }

    /// The index of posters (locations, then channels, paged), one poster per channel
    /// (beside the channel's page), and each location's.
    fn posters(&mut self) {
        let s = self.site;
        let channels: Vec<_> = poster_channels(s).collect();
        let places = places(&channels);
        if !channels.is_empty() {
            let all = poster_url(s, None).unwrap_or_default();
            let named = places.iter().filter(|p| poster_url(s, Some(p.0)).is_some());
            for page in 1..=page_count(channels.len() + named.count()) {
                self.generated(Output::Poster(Poster::Index(page)), &page_url(&all, page));
            }
        }
        for c in &channels {
            let id = c.item.id.clone();
            let path = s.out_of(&channel_poster_url(c.url));
            let origin = Origin::Item {
                id: id.clone(),
                key: None,
            };
            self.add(Output::Poster(Poster::Channel(id)), path, origin);
        }
        let everywhere = channels.iter().filter(|c| c.data.place().is_none()).count();
        for (location, here, first) in places {
            // A place that cannot be an address is one error, whatever its parts.
            let url = poster_url(s, Some(location));
            let parts = match url {
                Some(_) => (here + everywhere).div_ceil(CHANNELS_PER_POSTER),
                None => 1,
            };
            for part in 1..=parts {
                let url = url.as_deref().map(|url| page_url(url, part));
                let output = Output::Poster(Poster::Location(location.to_owned(), part));
                self.named(output, url, first, "location", location);
            }
        }
    }

    /// The feed of all disclosures, and each category's pages and feed.
    fn categories(&mut self) {
        let s = self.site;
        let all = feed_url(s, None).unwrap_or_default();
        self.add(Output::Feed(None), file_path(s, &all), Origin::Generated);
        for Category {
            name,
            count,
            first: id,
        } in categories(s)
        {
            for page in 1..=page_count(count) {
                let output = Output::Category {
                    name: name.clone(),
                    page,
                };
                self.named(output, category_url(s, &name, page), &id, "category", &name);
            }
            let feed = feed_url(s, Some(&name));
            self.named(
                Output::Feed(Some(name.clone())),
                feed,
                &id,
                "category",
                &name,
            );
        }
    }

    /// An output whose address comes from free text (a location, a category); text that
    /// cannot be an address is a located error.
    fn named(
        &mut self,
        output: Output,
        url: Option<String>,
        id: &str,
        key: &'static str,
        text: &str,
    ) {
        let Some(url) = url else {
            let item = &self.site.items[id];
            let d = item.key_error(key, crate::msg!("plan.bad_name", key = key, text = text));
            self.diags
                .push(d.with_hint(crate::msg!("plan.bad_name.hint")));
            return;
        };
        let path = if url.ends_with('/') {
            self.site.out_of(&url)
        } else {
            file_path(self.site, &url)
        };
        self.add(
            output,
            path,
            Origin::Item {
                id: id.to_owned(),
                key: Some(key),
            },
        );
    }

    fn statics(&mut self, theme: &Theme) {
        for (rel, _) in theme.under("static") {
            self.add(
                Output::Static(rel.to_owned()),
                format!("static/{rel}"),
                Origin::Generated,
            );
        }
    }

    /// Attachments linked from published pages; files that could run script on the site's
    /// address only with `attachments: {allow_active: true}`.
    fn assets(&mut self) {
        let s = self.site;
        for rel in &s.bodies.published_assets {
            if is_active(rel) && !s.config.attachments.allow_active {
                let d = Diagnostic::file(
                    Severity::Error,
                    &crate::source::shown(rel),
                    crate::msg!("plan.active"),
                );
                self.diags
                    .push(d.with_hint(crate::msg!("plan.active.hint")));
                continue;
            }
            self.add(
                Output::Asset(rel.clone()),
                rel.clone(),
                Origin::Asset(rel.clone()),
            );
        }
    }
}

/// Each place the poster channels name, in order of first mention, with how many channels
/// hang there and the first of them (the one an error about the place points at).
fn places<'a>(
    channels: &[crate::built::PageRef<'a, crate::kinds::channel::Channel>],
) -> Vec<(&'a str, usize, &'a str)> {
    let mut places: Vec<(&str, usize, &str)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::default();
    for c in channels {
        let Some(location) = c.data.place() else {
            continue;
        };
        match at.get(location) {
            Some(&i) => places[i].1 += 1,
            None => {
                at.insert(location, places.len());
                places.push((location, 1, &c.item.id));
            }
        }
    }
    places
}

/// Extensions a browser runs as a page or script when served from the site's address.
const ACTIVE: &[&str] = &[
    "html", "htm", "svg", "svgz", "xhtml", "xht", "xml", "xsl", "js", "mjs", "shtml",
];

pub fn is_active(rel: &str) -> bool {
    let ext = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    ACTIVE.contains(&ext.as_str())
}

/// Two outputs on one path (compared without case: sites are copied to Windows shares), or
/// a file where another output needs a folder.
fn collisions(site: &Site, outputs: &[Planned]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let lower: Vec<String> = (outputs.par_iter())
        .with_max_len(crate::types::ITEMS_PER_TASK)
        .map(|p| p.path.to_lowercase())
        .collect();
    let index = outputs.iter().find(|p| p.output == Output::SearchIndex);
    for (p, path) in outputs.iter().zip(&lower) {
        if let (Some(index), true) = (index, in_search_folders(path)) {
            diags.push(collision(site, index, p, &p.path));
        }
    }
    let mut files: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(outputs.len(), Default::default());
    for (i, path) in lower.iter().enumerate() {
        match files.get(path.as_str()) {
            Some(&first) => diags.push(collision(
                site,
                &outputs[first],
                &outputs[i],
                &outputs[i].path,
            )),
            None => drop(files.insert(path, i)),
        }
    }
    // Every folder an output is in, as the start of its (lowercased) path.
    let folders: HashSet<&str> = lower
        .iter()
        .flat_map(|path| path.match_indices('/').map(|(at, _)| &path[..at]))
        .collect();
    for folder in folders {
        if let Some(&i) = files.get(folder) {
            let inside = (outputs.iter().zip(&lower)).find(|(_, path)| {
                path.strip_prefix(folder)
                    .is_some_and(|r| r.starts_with('/'))
            });
            if let Some((inside, _)) = inside {
                diags.push(collision(site, inside, &outputs[i], folder));
            }
        }
    }
    diags
}

/// The folders whose files the search index names by itself (`search/t/3.js`), for a
/// lowercased path.
fn in_search_folders(lower: &str) -> bool {
    let Some(rest) = lower.strip_prefix(crate::search::shard::DIR) else {
        return false;
    };
    ["/t/", "/d/"].iter().any(|f| rest.starts_with(f))
}

fn collision(site: &Site, first: &Planned, second: &Planned, path: &str) -> Diagnostic {
    let what = |p: &Planned| match &p.origin {
        Origin::Item { id, key: Some(key) } => {
            crate::msg!(
                "plan.from_key",
                key = key,
                file = &site.items[id].file.shown
            )
        }
        Origin::Item { id, key: None } => {
            crate::msg!("plan.page_of", file = &site.items[id].file.shown)
        }
        Origin::Asset(rel) => crate::msg!("plan.attachment", file = crate::source::shown(rel)),
        Origin::Generated => crate::msg!("plan.generated", path = &p.path),
    };
    let message = crate::msg!("plan.collision", path = path)
        .sub("second", what(second))
        .sub("first", what(first));
    let hint = crate::msg!("plan.collision.hint");
    let d = match (&second.origin, &first.origin) {
        (Origin::Item { id, key: Some(key) }, _) | (_, Origin::Item { id, key: Some(key) }) => {
            site.items[id].key_error(key, message)
        }
        (Origin::Item { id, .. }, _) | (_, Origin::Item { id, .. }) => {
            Diagnostic::file(Severity::Error, &site.items[id].file.shown, message)
        }
        (Origin::Asset(rel), _) | (_, Origin::Asset(rel)) => {
            Diagnostic::file(Severity::Error, &crate::source::shown(rel), message)
        }
        _ => Diagnostic::file(Severity::Error, "themes", message),
    };
    d.with_hint(hint)
}

/// The output path of a file's URL (`/base/disclosures/atom.xml` → `disclosures/atom.xml`).
fn file_path(site: &Site, url: &str) -> String {
    url.strip_prefix(site.base_path.as_str())
        .unwrap_or(url)
        .to_owned()
}

/// The years of the published cases, newest first, with how many cases each has (each year
/// has a casebook, in parts of [`CASES_PER_BOOKLET`]).
pub fn casebook_years(site: &Site) -> Vec<(i16, usize)> {
    (site.index.case_years.iter().rev())
        .map(|(year, ids)| (*year, ids.len()))
        .collect()
}

/// The disclosure categories with how many published disclosures each has, the category of
/// the newest disclosure first (the order of the category index).
pub fn categories(site: &Site) -> Vec<Category> {
    (site.index.by_category.iter())
        .filter_map(|(name, ids)| {
            Some(Category {
                name: name.clone(),
                count: ids.len(),
                first: ids.first()?.clone(),
            })
        })
        .collect()
}

/// A disclosure category, with how many published disclosures it has and the first of them
/// in list order.
pub struct Category {
    pub name: String,
    pub count: usize,
    pub first: Id,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_attachments_are_recognised() {
        assert!(
            is_active("report/index.html")
                && is_active("x/logo.SVG")
                && is_active("static/qinglian.js")
        );
        assert!(
            !is_active("policies/rules.pdf")
                && !is_active("channels/qr.png")
                && !is_active("README")
        );
    }

    #[test]
    fn pages_count_and_addresses() {
        assert_eq!((page_count(0), page_count(50), page_count(51)), (1, 1, 2));
        assert_eq!(page_url("/cases/", 1), "/cases/");
        assert_eq!(page_url("/cases/", 3), "/cases/page/3/");
    }
}
