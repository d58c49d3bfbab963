//! The site as one output's renderer sees it: every lookup is recorded as a [`Key`], so
//! `serve` knows which outputs to render again when something changes ([`affected`]).

use std::cell::RefCell;

use rayon::prelude::*;

use crate::built::{PageRef, Site};
use crate::kinds::channel::Channel;
use crate::kinds::principle::Principle;
use crate::kinds::{Item, Kind, KindData};
use crate::plan::Output;
use crate::site::IndexKey;
use crate::site::Link;
use crate::types::HashMap;
use crate::types::Id;

/// What an output reads from the site: serve re-renders an output when one of its keys
/// changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// An item (or a section introduction, by its id): its fields, address and body.
    Item(Id),
    /// The order (and membership) of a kind's list.
    Order(Kind),
    /// The items of a kind citing a principle.
    Citing(Kind, u8),
    /// The disclosures of a category (its membership and order).
    Category(String),
    /// The banks testing a principle.
    QuizCounts(u8),
    /// The policies a policy replaced.
    Replaced(Id),
    /// The modules using a bank.
    QuizUsers(Id),
    /// The items whose bodies link to an item.
    Backlinks(Id),
    /// Every published page's address and date, and which sections have one (the sitemap).
    Addresses,
    /// Every published page and attachment (the search index).
    Everything,
}

/// A set of keys, hashed fast: serve looks up every key every output read, on every save
/// (the keys are the site's own ids; a local preview has no hostile peer to fear).
pub type KeySet =
    std::collections::HashSet<Key, std::hash::BuildHasherDefault<crate::search::index::Fx>>;

impl From<IndexKey> for Key {
    fn from(k: IndexKey) -> Key {
        match k {
            IndexKey::Citing(kind, n) => Key::Citing(kind, n),
            IndexKey::QuizCounts(n) => Key::QuizCounts(n),
            IndexKey::Category(name) => Key::Category(name),
            IndexKey::Replaced(id) => Key::Replaced(id),
            IndexKey::QuizUsers(id) => Key::QuizUsers(id),
            IndexKey::CaseYears => Key::Order(Kind::Case),
        }
    }
}

/// The outputs to render again after `changed` keys changed: those that read one of them.
/// Outputs new to the plan are rendered by the caller anyway.
pub fn affected<'a>(reads: &'a HashMap<Output, Vec<Key>>, changed: &KeySet) -> Vec<&'a Output> {
    if changed.is_empty() {
        return Vec::new();
    }
    // A save changes a few keys while outputs read hundreds of thousands: comparing with a
    // few keys (a length check rejects most ids) is cheaper than hashing every key read.
    let few: Vec<&Key> = changed.iter().take(9).collect();
    let is_changed = |k: &Key| match few.len() {
        ..=8 => few.contains(&k),
        _ => changed.contains(k),
    };
    let mut out: Vec<&Output> = reads
        .par_iter()
        .filter(|(_, keys)| keys.iter().any(|k| *k == Key::Everything || is_changed(k)))
        .map(|(o, _)| o)
        .collect();
    out.sort();
    out
}

/// Read access to a site that remembers what was read (when asked to: a one-off build has
/// no use for it, and skips the cost).
pub struct Reader<'a> {
    site: &'a Site,
    reads: Option<RefCell<Vec<Key>>>,
}

impl<'a> Reader<'a> {
    /// A reader that records what is read when `record` is set.
    pub fn new(site: &'a Site, record: bool) -> Self {
        Reader {
            site,
            reads: record.then(|| RefCell::new(Vec::new())),
        }
    }

    /// Records the key `key` makes (made only when recording).
    fn read(&self, key: impl FnOnce() -> Key) {
        if let Some(reads) = &self.reads {
            reads.borrow_mut().push(key());
        }
    }

    /// Everything read so far, each key once (nothing when not recording).
    pub fn into_reads(self) -> Vec<Key> {
        let mut reads = self.reads.map(RefCell::into_inner).unwrap_or_default();
        reads.sort();
        reads.dedup();
        reads
    }

    /// The site's configuration (`site.yaml`). Settings are not item data: when they change,
    /// every output is rendered again, so reading them records nothing.
    pub fn config(&self) -> &'a crate::config::Config {
        &self.site.config
    }

    /// This build's options (audience, drafts, today, relative links): settings.
    pub fn options(&self) -> &'a crate::site::Options {
        &self.site.options
    }

    /// The path of `base_url` (`/` or `/sub/`): a setting.
    pub fn base_path(&self) -> &'a str {
        &self.site.base_path
    }

    /// The build's today: a setting.
    pub fn today(&self) -> crate::types::Date {
        self.site.options.today
    }

    /// The absolute address of a site path (`https://…/cases/`): a setting.
    pub fn absolute(&self, url: &str) -> String {
        self.site.absolute(url)
    }

    /// The address of a kind's list page: a setting.
    pub fn section_url(&self, kind: Kind) -> String {
        self.site.section_url(kind)
    }

    /// An attachment under `content/`. Every attachment a front matter names is checked by
    /// the link stage (a missing one fails the build), and one that comes or goes changes
    /// the plan, so this records nothing.
    pub fn asset(&self, rel: &str) -> Option<&'a crate::source::Asset> {
        self.site.assets.get(rel)
    }

    /// Whether `kind` has a list page (it has a published item, or is always listed).
    pub fn has_section(&self, kind: Kind) -> bool {
        self.read(|| Key::Order(kind));
        self.site.has_section(kind)
    }

    /// Each year with published cases, newest first, with how many (the casebooks).
    pub fn casebook_years(&self) -> Vec<(i16, usize)> {
        self.read(|| Key::Order(Kind::Case));
        crate::plan::casebook_years(self.site)
    }

    /// The published cases dated in `year`, in list order: a part of a year's casebook looks
    /// up only its own cases' pages (at 100,000 pages a year has thousands of cases).
    pub fn cases_of_year(&self, year: i16) -> &'a [Id] {
        self.read(|| Key::Order(Kind::Case));
        let ids = self.site.index.case_years.get(&year);
        ids.map_or(&[][..], Vec::as_slice)
    }

    /// The disclosure categories with their counts, in the order of the category index.
    pub fn categories(&self) -> Vec<crate::plan::Category> {
        self.read(|| Key::Order(Kind::Disclosure));
        crate::plan::categories(self.site)
    }

    /// The channels on the posters (in service, not `poster: false`), in report order.
    pub fn poster_channels(&self) -> Vec<PageRef<'a, Channel>> {
        self.read(|| Key::Order(Kind::Channel));
        let channels: Vec<PageRef<'a, Channel>> =
            crate::built::poster_channels(self.site).collect();
        for c in &channels {
            self.read(|| Key::Item(c.item.id.clone()));
        }
        channels
    }

    /// Whether item `id` came from the commission's shared layer (a unit's build): part of
    /// the item, recorded with it.
    pub fn from_commission(&self, id: &str) -> bool {
        self.read(|| Key::Item(id.to_owned()));
        self.site.shared.contains(id)
    }

    /// The units of a commission's tree (a setting: the tree's build gives them).
    pub fn units(&self) -> &'a [crate::units::UnitCard] {
        &self.site.options.units
    }

    /// Every published page's address and dates, and which sections have one (the sitemap).
    pub fn addresses(&self) -> impl Iterator<Item = crate::built::PageView<'a>> + 'a {
        self.read(|| Key::Addresses);
        self.site.pages()
    }

    /// The whole site, for an output that reads every published page and attachment (the
    /// search index): what it read is everything.
    pub fn everything(&self) -> &'a Site {
        self.read(|| Key::Everything);
        self.site
    }

    /// A published item, typed.
    pub fn page<K: KindData>(&self, id: &str) -> Option<PageRef<'a, K>> {
        self.read(|| Key::Item(id.to_owned()));
        self.site.page::<K>(id)
    }

    /// A published item of any kind.
    pub fn item(&self, id: &str) -> Option<&'a Item> {
        self.read(|| Key::Item(id.to_owned()));
        self.site.entries.get(id)?;
        self.site.items.get(id).map(AsRef::as_ref)
    }

    /// A published page of any kind, with its address and body.
    pub fn view(&self, id: &str) -> Option<crate::built::PageView<'a>> {
        self.read(|| Key::Item(id.to_owned()));
        self.site.view(id)
    }

    /// A published item as a link.
    pub fn link_to(&self, id: &str) -> Option<Link> {
        self.read(|| Key::Item(id.to_owned()));
        self.site.link_to(id)
    }

    /// A kind's published ids in list order (its membership and order).
    pub fn order(&self, kind: Kind) -> &'a [Id] {
        self.read(|| Key::Order(kind));
        self.site.index.order.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// A slice of a kind's list, typed.
    pub fn pages_of<K: KindData>(&self, ids: &[Id]) -> Vec<PageRef<'a, K>> {
        ids.iter().filter_map(|id| self.page::<K>(id)).collect()
    }

    /// A kind's whole list, typed.
    pub fn ordered<K: KindData>(&self) -> Vec<PageRef<'a, K>> {
        let ids = self.order(K::KIND);
        self.pages_of(ids)
    }

    /// The published items of `kind` citing principle `n`.
    pub fn citing(&self, kind: Kind, n: u8) -> &'a [Id] {
        self.read(|| Key::Citing(kind, n));
        self.site.index.citing(kind, n)
    }

    /// The published disclosures of category `name`, in list order.
    pub fn in_category(&self, name: &str) -> &'a [Id] {
        self.read(|| Key::Category(name.to_owned()));
        self.site.index.in_category(name)
    }

    /// The banks testing principle `n`, with how many questions.
    pub fn quiz_counts(&self, n: u8) -> &'a [(Id, usize)] {
        self.read(|| Key::QuizCounts(n));
        self.site
            .index
            .quiz_counts
            .get(&n)
            .map_or(&[], Vec::as_slice)
    }

    /// The published policies `id` replaced.
    pub fn replaced(&self, id: &str) -> &'a [Id] {
        self.read(|| Key::Replaced(id.to_owned()));
        self.site.index.replaced.get(id).map_or(&[], Vec::as_slice)
    }

    /// The published modules using bank `id`.
    pub fn quiz_users(&self, id: &str) -> &'a [Id] {
        self.read(|| Key::QuizUsers(id.to_owned()));
        self.site
            .index
            .quiz_users
            .get(id)
            .map_or(&[], Vec::as_slice)
    }

    /// The published items whose bodies link to `id`.
    pub fn backlinks(&self, id: &str) -> &'a [Id] {
        self.read(|| Key::Backlinks(id.to_owned()));
        self.site
            .bodies
            .backlinks
            .get(id)
            .map_or(&[], Vec::as_slice)
    }

    /// Bank `id`'s questions with their links resolved (their 依据 targets' titles and
    /// addresses are part of the bank's rendered body).
    pub fn questions(&self, id: &str) -> &'a [crate::bodies::LinkedQuestion] {
        self.read(|| Key::Item(id.to_owned()));
        self.site
            .bodies
            .get(id)
            .map_or(&[], |b| b.questions.as_slice())
    }

    /// The published items the body of `id` links to, in order.
    pub fn links_of(&self, id: &str) -> &'a [Id] {
        self.read(|| Key::Item(id.to_owned()));
        self.site.bodies.get(id).map_or(&[], |b| b.links.as_slice())
    }

    /// The year of a listed item's date: part of its list's order (a date places an item in
    /// a year's group), so it is recorded as the order of its kind.
    pub fn year(&self, id: &str) -> Option<i16> {
        let item = self.site.items.get(id)?;
        self.read(|| Key::Order(item.kind));
        item.meta.date.map(|d| d.year())
    }

    /// The published principle number `n`.
    pub fn principle(&self, n: u8) -> Option<PageRef<'a, Principle>> {
        self.read(|| Key::Order(Kind::Principle));
        let id = self.site.index.principle_ids.get(&n)?;
        self.page::<Principle>(id)
    }

    /// A section's introduction (`""` for the home page) and its rendered body.
    pub fn intro(&self, key: &str) -> Option<(&'a Item, &'a str)> {
        let id = if key.is_empty() {
            "_index".to_owned()
        } else {
            format!("{key}/_index")
        };
        self.read(|| Key::Item(id.clone()));
        let item = self.site.intro(key)?;
        Some((item, self.site.bodies.html(&id)))
    }
}

impl crate::site::urls::Based for Reader<'_> {
    fn base_path(&self) -> &str {
        &self.site.base_path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affected_outputs_are_those_that_read_a_changed_key() {
        let mut reads = HashMap::default();
        reads.insert(
            Output::Item("cases/a".into()),
            vec![Key::Item("cases/a".into())],
        );
        reads.insert(
            Output::List {
                kind: Kind::Case,
                page: 1,
            },
            vec![Key::Order(Kind::Case), Key::Item("cases/a".into())],
        );
        reads.insert(
            Output::Item("principles/08".into()),
            vec![
                Key::Item("principles/08".into()),
                Key::Citing(Kind::Case, 8),
            ],
        );
        reads.insert(Output::Sitemap, vec![Key::Addresses]);
        reads.insert(Output::SearchIndex, vec![Key::Everything]);
        reads.insert(Output::Robots, vec![]);
        let changed: KeySet = [Key::Item("cases/a".into())].into_iter().collect();
        let out = affected(&reads, &changed);
        assert_eq!(out.len(), 3, "{out:?}");
        assert!(out.contains(&&Output::SearchIndex) && !out.contains(&&Output::Sitemap));
        let changed: KeySet = [Key::Addresses].into_iter().collect();
        let out = affected(&reads, &changed);
        assert_eq!(out, [&Output::Sitemap, &Output::SearchIndex], "{out:?}");
        let changed: KeySet = [Key::Citing(Kind::Case, 8)].into_iter().collect();
        let out = affected(&reads, &changed);
        assert!(out.contains(&&Output::Item("principles/08".into())));
        assert!(affected(&reads, &KeySet::default()).is_empty());
    }
}
