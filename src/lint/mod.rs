//! Lint stage: checks over the published pages that need the whole linked site: personal
//! data, channels that expired or were not verified lately, text left from `new` or from the
//! example site.

pub mod leftovers;
pub mod privacy;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::built::Site;
use crate::diag::Diagnostic;
use crate::kinds::channel::{self, Channel};
use crate::kinds::{Item, Kind};
use crate::site::Linked;
use crate::types::{HashMap, Id, IndexMap};

/// Every lint finding for this build.
pub fn run(site: &Site) -> Vec<Diagnostic> {
    let mut diags = run_reusing(site, &mut Cache::one_off());
    diags.extend(built(site));
    diags
}

/// Each page's own findings (personal data, leftovers), kept with the item they came from
/// and what they depend on besides it: `serve` checks again only the pages that changed.
#[derive(Debug, Default, Clone)]
pub struct Cache {
    allowed: privacy::Allowed,
    example: bool,
    by_id: crate::cache::Store<(Arc<Item>, Vec<Diagnostic>)>,
    /// What the last run checked, to tell which pages a save read again.
    last: Option<Checked>,
}

/// The pages a run checked, and the findings of those that had any, by id.
#[derive(Debug, Clone)]
struct Checked {
    items: Arc<IndexMap<Id, Arc<Item>>>,
    entries: Arc<HashMap<Id, crate::site::Entry>>,
    shared: Arc<BTreeSet<Id>>,
    intros: BTreeMap<String, Arc<Item>>,
    said: BTreeMap<Id, Vec<Diagnostic>>,
}

impl Cache {
    /// For a single run: every page checked, nothing filed.
    pub fn one_off() -> Cache {
        Cache {
            by_id: crate::cache::Store::one_off(),
            ..Cache::default()
        }
    }
}

/// The findings on the linked site (which needs no body, so it runs beside the bodies
/// stage), taking unchanged pages' findings from `cache`, which it then updates.
pub fn run_reusing(site: &Linked, cache: &mut Cache) -> Vec<Diagnostic> {
    let allowed = privacy::allowed(site);
    let example = leftovers::is_example(site);
    if cache.allowed != allowed || cache.example != example {
        cache.by_id.clear();
        cache.last = None;
    }
    let marks = if example {
        &[][..]
    } else {
        leftovers::EXAMPLE_MARKS
    };
    let check = |item: &Item, page: bool| own_findings(item, page, &allowed, marks);
    let last = cache.last.take();
    let said = match last.and_then(|last| rechecked(site, &mut cache.by_id, last, &check)) {
        Some(said) => said,
        None => checked(site, &mut cache.by_id, &check),
    };
    let mut diags: Vec<Diagnostic> = said.values().flatten().cloned().collect();
    cache.by_id.end_run();
    if cache.by_id.keeps() {
        cache.last = Some(Checked {
            items: Arc::clone(&site.items),
            entries: Arc::clone(&site.entries),
            shared: Arc::clone(&site.shared),
            intros: site.intros.clone(),
            said,
        });
    }
    (cache.allowed, cache.example) = (allowed, example);
    if !example {
        diags.extend(leftovers::scan(
            "content/site.yaml",
            &site.config_text,
            marks,
        ));
    }
    diags.extend(channel_warnings(site));
    diags.extend(no_report_channel(site));
    diags
}

/// A page's own findings: `(item, whether it is a page rather than an introduction)`.
type Check<'a> = dyn Fn(&Item, bool) -> Vec<Diagnostic> + Sync + 'a;

/// The findings of every page that has any, each page checked again unless `kept` has its
/// findings on the very same item.
fn checked(
    site: &Linked,
    kept: &mut crate::cache::Store<(Arc<Item>, Vec<Diagnostic>)>,
    check: &Check,
) -> BTreeMap<Id, Vec<Diagnostic>> {
    // Published pages are checked for both; section introductions for personal data only.
    // A unit leaves the commission's shared items to the commission's own check.
    let own = |i: &&Arc<Item>| !site.shared.contains(&i.id);
    // Each published id looked up on every thread (at 100,000 pages, on one it took long).
    let published: Vec<&str> = (Kind::ALL.iter())
        .flat_map(|&k| site.index.order(k))
        .collect();
    let pages = (published
        .par_iter()
        .with_max_len(crate::types::ITEMS_PER_TASK))
    .filter_map(|id| site.items.get(*id))
    .filter(own)
    .map(|i| (i, true));
    let mut items: Vec<(&Arc<Item>, bool)> = pages.collect();
    items.extend(site.intros.values().map(|i| (i, false)));
    let ids: Vec<&str> = items.iter().map(|(i, _)| i.id.as_str()).collect();
    let found = crate::cache::refresh_picked(
        kept,
        &ids,
        |i, (was, _)| Arc::ptr_eq(was, items[i].0),
        |i| {
            let (item, page) = items[i];
            (Arc::clone(item), check(item, page))
        },
        |(_, d)| d.clone(),
    );
    let said = ids.into_iter().zip(found).filter(|(_, d)| !d.is_empty());
    said.map(|(id, d)| (id.to_owned(), d)).collect()
}

/// Under the same addresses and the same items in the same order, the findings of `last`
/// with the pages that are not the very ones it checked (a save read them again) checked
/// again; `None` otherwise.
fn rechecked(
    site: &Linked,
    kept: &mut crate::cache::Store<(Arc<Item>, Vec<Diagnostic>)>,
    last: Checked,
    check: &Check,
) -> Option<BTreeMap<Id, Vec<Diagnostic>>> {
    if !Arc::ptr_eq(&last.entries, &site.entries) || *last.shared != *site.shared {
        return None;
    }
    let renewed = site.renewed_since(&last.items, &last.intros)?;
    let own = |item: &&Arc<Item>| !site.shared.contains(&item.id);
    let pages = renewed.items.into_iter().filter(own).map(|i| (i, true));
    let again = pages.chain(renewed.intros.into_iter().map(|i| (i, false)));
    let mut said = last.said;
    for (item, page) in again {
        let found = check(item, page);
        kept.put(&item.id, (Arc::clone(item), found.clone()));
        match found.is_empty() {
            true => drop(said.remove(&item.id)),
            false => drop(said.insert(item.id.clone(), found)),
        }
    }
    Some(said)
}

/// The findings that need the rendered bodies: what a published body links.
pub fn built(site: &Site) -> Vec<Diagnostic> {
    staff_attachments_published(site)
}

/// What one item's own text shows: personal data, and (on a page) leftovers.
fn own_findings(
    item: &Item,
    page: bool,
    allowed: &privacy::Allowed,
    marks: &[&str],
) -> Vec<Diagnostic> {
    let mut d = privacy::lint_item(item, allowed);
    if page {
        d.extend(leftovers::scan(&item.file.shown, &item.file.text, marks));
    }
    d
}

/// Expired channels, and channels not verified lately.
fn channel_warnings(site: &Linked) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let today = site.options.today;
    // In list order (the diagnostics are sorted later): only the channels are looked at.
    let channels: Vec<_> = site.published::<Channel>().collect();
    diags.par_extend(
        channels
            .par_iter()
            .flat_map_iter(|(item, c)| channel::warnings(item, c, today)),
    );
    diags
}

/// In a public build, a news cover or a channel's QR picture that only staff-only pages link
/// (no published body does): the cover would quietly publish what those pages keep
/// in. An error at the key. Most sites show few such pictures: the staff-only pages are read
/// only when a published page shows one (and the diagnostics are sorted later, so the items
/// are taken in the order they are kept, not looked up in their lists' order).
fn staff_attachments_published(site: &Site) -> Vec<Diagnostic> {
    let shown: Vec<(&Arc<Item>, &'static str, &str)> = (site.items.values())
        .flat_map(|item| {
            own_attachment_keys(item)
                .into_iter()
                .map(move |(k, r)| (item, k, r))
        })
        .filter(|(item, _, _)| site.entries.contains_key(&item.id))
        .collect();
    if shown.is_empty() {
        return Vec::new();
    }
    let staff_uses = staff_uses(site);
    if staff_uses.is_empty() {
        return Vec::new();
    }
    let linked: crate::types::HashSet<&str> = (site.bodies.by_id.values())
        .flat_map(|b| b.assets.iter().map(String::as_str))
        .collect();
    let mut diags = Vec::new();
    for (item, key, rel) in shown {
        if staff_uses.contains(rel) && !linked.contains(rel) {
            let m = crate::msg!("lint.staff_attachment", key = key, file = rel);
            let hint = crate::msg!("lint.staff_attachment.hint");
            diags.push(item.key_error(key, m).with_hint(hint));
        }
    }
    diags
}

/// The attachments staff-only items show or link to.
fn staff_uses(site: &Site) -> crate::types::HashSet<String> {
    use crate::site::Exclusion;
    let staff_ids = (site.excluded.iter()).filter(|(_, why)| **why == Exclusion::Staff);
    let staff_items = staff_ids.filter_map(|(id, _)| site.items.get(id));
    let mut staff_uses: crate::types::HashSet<String> = Default::default();
    for item in staff_items {
        staff_uses.extend(own_attachments(item).map(str::to_owned));
        let folder = crate::site::folder_of(&item.id);
        for dest in crate::markdown::destinations(item.markdown()) {
            let rel = match dest.strip_prefix("@/") {
                Some(rel) => Some(rel.to_owned()),
                None if crate::markdown::is_relative_path(dest) => {
                    let decoded = crate::site::urls::percent_decode(dest);
                    crate::site::join_relative(folder, &decoded.unwrap_or_else(|| dest.into()))
                }
                None => None,
            };
            staff_uses.extend(rel);
        }
    }
    staff_uses
}

/// The attachments an item's page shows from its front matter (a news cover, a channel's QR
/// picture), by key.
fn own_attachment_keys(item: &Item) -> Vec<(&'static str, &str)> {
    item.data.attachments()
}

fn own_attachments(item: &Item) -> impl Iterator<Item = &str> {
    own_attachment_keys(item).into_iter().map(|(_, rel)| rel)
}

/// A build whose report page would list no channel: 我要举报 on every page would lead to an
/// empty page. The message says what the channels written are (drafts, expired, staff-only)
/// and the hint how to publish one.
fn no_report_channel(site: &Linked) -> Option<Diagnostic> {
    let today = site.options.today;
    if site.published::<Channel>().any(|(_, c)| c.active_on(today)) {
        return None;
    }
    let (mut drafts, mut staff, mut expired) = (0, 0, 0);
    for item in site.items.values() {
        let Some(c) = item.get::<Channel>() else {
            continue;
        };
        match site.excluded.get(&item.id) {
            Some(crate::site::Exclusion::Staff) => staff += 1,
            Some(_) => drafts += 1,
            None if !c.active_on(today) => expired += 1,
            None => {}
        }
    }
    let broken = (site.failed.iter())
        .filter(|id| id.starts_with("channels/"))
        .count();
    let why: Vec<crate::messages::Msg> = [
        (drafts > 0).then(|| crate::msg!("channel.none.drafts", n = drafts)),
        (expired > 0).then(|| crate::msg!("channel.none.expired", n = expired)),
        (staff > 0).then(|| crate::msg!("channel.none.staff", n = staff)),
        (broken > 0).then(|| crate::msg!("channel.none.broken", n = broken)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let message = match why.is_empty() {
        true => crate::msg!("channel.none"),
        false => crate::msg!("channel.none_published").list("why", why),
    };
    let d = Diagnostic::file(crate::diag::Severity::Error, "content/channels/", message);
    Some(d.with_hint(crate::msg!("channel.none.hint")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testutil::{SITE, linked};
    use crate::types::Audience;

    /// Findings other than the site-wide one about reporting channels.
    fn own(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diags
            .into_iter()
            .filter(|d| d.path != "content/channels/")
            .collect()
    }

    #[test]
    fn a_public_cover_that_only_staff_pages_use_is_an_error() {
        let inner =
            "---\ntitle: 内部通报\ndate: 2024-01-01\naudience: staff\n---\n![现场](现场.png)\n";
        let news = "---\ntitle: 动态\ndate: 2024-02-01\ncover: cases/2024/现场.png\ncover_alt: 现场\n---\n正文\n";
        let assets = [("cases/2024/现场.png", &b"png"[..])];
        let files = [("cases/2024/inner.md", inner), ("news/a.md", news)];
        let (site, _) =
            crate::site::testutil::linked_with_assets(SITE, &files, &assets, Audience::Public);
        let d: Vec<_> = own(run(&site))
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].path.as_str(), d[0].line),
            ("content/news/a.md", 4),
            "{d:?}"
        );
        assert!(d[0].message.contains("only staff-only pages use"), "{d:?}");
        let (site, _) =
            crate::site::testutil::linked_with_assets(SITE, &files, &assets, Audience::Staff);
        assert!(
            own(run(&site)).iter().all(|d| !d.is_error()),
            "the staff edition may show it"
        );
        let shown = news.replace("正文", "![现场](@/cases/2024/现场.png)");
        let files = [
            ("cases/2024/inner.md", inner),
            ("news/a.md", shown.as_str()),
        ];
        let (site, _) =
            crate::site::testutil::linked_with_assets(SITE, &files, &assets, Audience::Public);
        assert!(
            own(run(&site)).iter().all(|d| !d.is_error()),
            "shown in a public body: meant"
        );
    }

    #[test]
    fn no_published_channel_is_an_error_that_says_why() {
        let channel =
            |extra: &str| format!("---\ntitle: 电话\nkind: phone\nvalue: 0000-1\n{extra}---\n");
        let (draft, staff) = (channel("draft: true\n"), channel("audience: staff\n"));
        let files = [
            ("channels/a.md", draft.as_str()),
            ("channels/b.md", staff.as_str()),
        ];
        let (site, _) = linked(SITE, &files, Audience::Public);
        let d = no_report_channel(&site).expect("an error");
        assert!(d.is_error() && d.path == "content/channels/", "{d:?}");
        assert!(
            d.message.contains("1 drafts or not due yet, 1 staff-only"),
            "{d:?}"
        );
        let (site, _) = linked(SITE, &files, Audience::Staff);
        assert!(
            no_report_channel(&site).is_none(),
            "the staff edition has one"
        );
        let (site, _) = linked(SITE, &[], Audience::Public);
        let d = no_report_channel(&site).expect("an error");
        assert!(
            d.message.starts_with("no reporting channel is published:"),
            "{d:?}"
        );
    }

    #[test]
    fn the_cache_gives_what_a_fresh_run_gives() {
        let page = |text: &str| ("pages/a.md", text.to_owned());
        let (a, b) = (
            page("---\ntitle: 关于\n---\n手机 13812345678。\n"),
            page("---\ntitle: 关于\n---\n没有号码。\n"),
        );
        let mut cache = Cache::default();
        let (site, _) = linked(SITE, &[(a.0, a.1.as_str())], Audience::Public);
        let first = own(run_reusing(&site, &mut cache));
        assert_eq!(first.len(), 1, "{first:?}");
        assert_eq!(own(run_reusing(&site, &mut cache)), first, "reused");
        let (site, _) = linked(SITE, &[(b.0, b.1.as_str())], Audience::Public);
        assert!(
            own(run_reusing(&site, &mut cache)).is_empty(),
            "a changed page is checked again"
        );
    }

    #[test]
    fn under_a_kept_link_only_the_pages_read_again_are_checked_and_all_are_said() {
        use crate::site::testutil::{options, parsed_of};
        let phone = "手机 13812345678。";
        let page = |text: &str| format!("---\ntitle: 页\n---\n{text}\n");
        let saves = [
            [page(phone), page("没有号码。")],
            [page(phone), page(&format!("又有 {phone}"))],
            [page("已删。"), page(&format!("又有 {phone}"))],
            [page("已删。"), page("都没有。")],
        ];
        let (mut link, mut cache) = (crate::site::LinkCache::default(), Cache::default());
        let sorted = |mut d: Vec<Diagnostic>| {
            crate::diag::sort(&mut d);
            own(d)
        };
        for (i, [a, b]) in saves.iter().enumerate() {
            let files = [("pages/a.md", a.as_str()), ("pages/b.md", b.as_str())];
            let (config, parsed, _) = parsed_of(SITE, &files);
            let (site, _) = crate::site::link_reusing(
                &config,
                parsed,
                &[],
                options(Audience::Public),
                &mut link,
            );
            let kept = sorted(run_reusing(&site, &mut cache));
            assert_eq!(
                kept,
                sorted(run_reusing(&site, &mut Cache::default())),
                "save {i}"
            );
            assert_eq!(kept.len(), [1, 2, 1, 0][i], "save {i}: {kept:?}");
        }
    }
}
