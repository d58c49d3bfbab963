//! Addresses: which items this build publishes, and where each one lives.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Entry, Exclusion, Linked, Options};
use crate::diag::{Diagnostic, Severity};
use crate::kinds::{Item, Kind};
use crate::types::{Audience, HashMap};

/// What knows the site's base path, so it can make the site's addresses: the linked site,
/// the built site, a renderer's reader.
pub trait Based {
    /// The path of `base_url`, starting and ending with `/`.
    fn base_path(&self) -> &str;
}

impl Based for Linked {
    fn base_path(&self) -> &str {
        &self.base_path
    }
}

/// The list page of `kind` on a site based at `site`.
fn list_of(site: &(impl Based + ?Sized), kind: Kind) -> String {
    section_url(site.base_path(), kind)
}

/// The list page of a kind: `/base/cases/`; channels are listed on the report page
/// (`KindDef::LIST_AT`).
pub fn section_url(base: &str, kind: Kind) -> String {
    match kind.list_at() {
        "" => base.to_owned(),
        at => format!("{base}{at}/"),
    }
}

/// `/base/<folder>/<sub>/<slug>/`; free pages sit directly under the base.
pub fn item_url(base: &str, item: &Item) -> String {
    let folder = item.id.rsplit_once('/').map_or("", |(folder, _)| folder);
    // Free pages sit at the top: `pages/about/x` → `about/<slug>/`.
    let folder = match item.kind.at_top() {
        true => folder.split_once('/').map_or("", |(_, rest)| rest),
        false => folder,
    };
    let slug = item.slug();
    let mut url = String::with_capacity(base.len() + folder.len() + slug.len() + 2);
    url.push_str(base);
    if !folder.is_empty() {
        url.push_str(folder);
        url.push('/');
    }
    url.push_str(slug);
    url.push('/');
    url
}

/// A list's page `page` under `first` (the page-1 URL): `first` or `first/page/<n>/`.
pub fn page_url(first: &str, page: usize) -> String {
    if page <= 1 {
        first.to_owned()
    } else {
        format!("{first}page/{page}/")
    }
}

/// Page `page` of a commission's units directory (`units/`, where each unit's site is too).
pub fn units_url(site: &(impl Based + ?Sized), page: usize) -> String {
    page_url(
        &format!("{}{}/", site.base_path(), crate::units::card::FOLDER),
        page,
    )
}

/// Page `page` of the assessment table (`units/assessment/`).
pub fn assessment_url(site: &(impl Based + ?Sized), page: usize) -> String {
    page_url(
        &format!(
            "{}{}/assessment/",
            site.base_path(),
            crate::units::card::FOLDER
        ),
        page,
    )
}

/// The study record's address.
pub fn record_url(site: &(impl Based + ?Sized)) -> String {
    format!("{}record/", list_of(site, Kind::Module))
}

/// The list of cases citing principle `n`.
pub fn citing_url(site: &(impl Based + ?Sized), n: u8) -> String {
    format!("{}principle/{n}/", list_of(site, Kind::Case))
}

/// The index of posters (`None`), or the poster of one location (`None` when the location
/// cannot be an address).
pub fn poster_url(site: &(impl Based + ?Sized), location: Option<&str>) -> Option<String> {
    let base = format!("{}poster/", list_of(site, Kind::Channel));
    match location {
        None => Some(base),
        Some(l) => segment(l).map(|s| format!("{base}{s}/")),
    }
}

/// Page `page` of the report page's list of one kind of channel (`/report/phone/`), the
/// commission's channels of that kind on a unit's site under `upper/` (`/report/upper/phone/`).
pub fn channel_list_url(
    site: &(impl Based + ?Sized),
    upper: bool,
    kind: &str,
    page: usize,
) -> String {
    let from = if upper { "upper/" } else { "" };
    page_url(
        &format!("{}{from}{kind}/", list_of(site, Kind::Channel)),
        page,
    )
}

/// The poster of one channel, beside its page (`/channels/hotline/poster/`).
pub fn channel_poster_url(channel_url: &str) -> String {
    format!("{channel_url}poster/")
}

/// Part `part` of the casebook of `year`'s warning cases (`/cases/casebook/2024/`, then
/// `/cases/casebook/2024/2/`).
pub fn casebook_url(site: &(impl Based + ?Sized), year: i16, part: usize) -> String {
    let first = format!("{}casebook/{year}/", list_of(site, Kind::Case));
    match part {
        0 | 1 => first,
        n => format!("{first}{n}/"),
    }
}

/// The Nine Principles study handbook (`/principles/handbook/`).
pub fn handbook_url(site: &(impl Based + ?Sized)) -> String {
    format!("{}handbook/", list_of(site, Kind::Principle))
}

/// Page `page` of a disclosure category.
pub fn category_url(site: &(impl Based + ?Sized), name: &str, page: usize) -> Option<String> {
    segment(name).map(|s| page_url(&format!("{}{s}/", list_of(site, Kind::Disclosure)), page))
}

/// `/disclosures/atom.xml`, or `/disclosures/<category>/atom.xml`.
pub fn feed_url(site: &(impl Based + ?Sized), category: Option<&str>) -> Option<String> {
    let base = list_of(site, Kind::Disclosure);
    match category {
        None => Some(format!("{base}atom.xml")),
        Some(c) => segment(c).map(|s| format!("{base}{s}/atom.xml")),
    }
}

/// A kind's own feed, `/news/atom.xml`, when the kind has one.
pub fn kind_feed_url(site: &(impl Based + ?Sized), kind: Kind) -> Option<String> {
    kind.feed()
        .then(|| format!("{}atom.xml", list_of(site, kind)))
}

/// The search page's address.
pub fn search_url(site: &(impl Based + ?Sized)) -> String {
    format!("{}search/", site.base_path())
}

/// `%XX` decoded as UTF-8; `None` for a broken escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Why an item (or section introduction) is left out of a build with `options`, if it is.
pub fn exclusion(item: &Item, options: &Options) -> Option<Exclusion> {
    if item.meta.audience == Audience::Staff && options.audience == Audience::Public {
        return Some(Exclusion::Staff);
    }
    if options.drafts {
        return None;
    }
    if item.meta.draft {
        return Some(Exclusion::Draft);
    }
    item.meta
        .publish
        .filter(|&d| d > options.today)
        .map(Exclusion::Scheduled)
}

/// Decides what is published, gives each published item its address, and reports two items
/// that would share one.
pub fn place(site: &mut Linked, intros: &BTreeMap<String, Arc<Item>>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut excluded = HashMap::default();
    let placed = addresses(site);
    // Sized at once: grown step by step, these two tables were rehashed a dozen times.
    let mut entries = HashMap::with_capacity_and_hasher(placed.len(), Default::default());
    // The first item at an address keeps it; the others are reported and left out.
    let mut taken: HashMap<&str, &str> =
        HashMap::with_capacity_and_hasher(placed.len(), Default::default());
    let mut second = vec![false; placed.len()];
    for (i, (item, at)) in site.items.values().zip(&placed).enumerate() {
        let Ok(entry) = at else { continue };
        match taken.get(entry.url.as_str()) {
            Some(first) => {
                diags.push(duplicate(item, &entry.url, first));
                second[i] = true;
            }
            None => drop(taken.insert(entry.url.as_str(), &item.file.shown)),
        }
    }
    drop(taken);
    for ((id, at), second) in site.items.keys().zip(placed).zip(second) {
        match at {
            Ok(entry) if !second => drop(entries.insert(id.clone(), entry)),
            Ok(_) => {}
            Err(why) => drop(excluded.insert(id.clone(), why)),
        }
    }
    for (key, intro) in intros {
        match exclusion(intro, &site.options) {
            Some(why) => {
                excluded.insert(intro.id.clone(), why);
            }
            None => {
                site.intros.insert(key.clone(), Arc::clone(intro));
            }
        }
    }
    site.excluded = Arc::new(excluded);
    site.entries = Arc::new(entries);
    diags
}

/// Each item's address and output path, or why this build leaves it out; made side by side.
fn addresses(site: &Linked) -> Vec<Result<Entry, Exclusion>> {
    use rayon::prelude::*;
    let items: Vec<&Item> = site.items.values().map(|i| &**i).collect();
    let place = |item: &&Item| match exclusion(item, &site.options) {
        Some(why) => Err(why),
        None => {
            let url = item_url(&site.base_path, item);
            let out = site.out_of(&url);
            Ok(Entry { url, out })
        }
    };
    let tasks = items.par_iter().with_max_len(crate::types::ITEMS_PER_TASK);
    tasks.map(place).collect()
}

fn duplicate(item: &Item, url: &str, first: &str) -> Diagnostic {
    let msg = crate::msg!("urls.taken", url = url, first = first);
    let d = if item.meta.slug.is_some() {
        item.key_error("slug", msg)
    } else {
        Diagnostic::file(Severity::Error, &item.file.shown, msg)
    };
    d.with_hint(crate::msg!("urls.taken.hint"))
}

/// A path segment from free text (a category or a poster location), different for different
/// texts: separators and other characters an address cannot hold become `-`, and when that
/// changed anything, a short code of the original text is added so `A楼/1层` and `A楼 1层`
/// never share a folder. `None` when the text is empty or too long for an address.
pub fn segment(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().any(char::is_control) {
        return None;
    }
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_whitespace() || "/\\?#%<>\"':*|.&".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('-');
    let segment = if cleaned == text {
        cleaned.to_owned()
    } else {
        let base = if cleaned.is_empty() { "x" } else { cleaned };
        format!("{base}-{:04x}", fnv16(text))
    };
    (segment.len() <= crate::kinds::MAX_SEGMENT_BYTES).then_some(segment)
}

/// A small stable hash (FNV-1a folded to 16 bits), for telling cleaned names apart.
fn fnv16(text: &str) -> u16 {
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    ((h >> 16) ^ (h & 0xffff)) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_safe_and_tell_names_apart() {
        assert_eq!(segment("整改公示").as_deref(), Some("整改公示"));
        let a = segment("A楼/1层").unwrap();
        let b = segment("A楼 1层").unwrap();
        assert!(
            a.starts_with("A楼-1层-") && b.starts_with("A楼-1层-"),
            "{a} {b}"
        );
        assert_ne!(a, b);
        assert!(!segment("../..").unwrap().contains(".."));
        assert_eq!(segment("  "), None);
        assert_eq!(segment("院务\u{0}公开"), None);
        assert_eq!(segment(&"楼".repeat(40)), None);
    }
}
