//! Linking again after a save that changed only Markdown bodies, the usual save while
//! previewing (a wording fixed): nothing `link` reads changed, so the last link's addresses,
//! orders, reverse indexes and menu are kept and only the new items are put in.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Linked, Options, link};
use crate::config::LoadedConfig;
use crate::diag::Diagnostic;
use crate::kinds::{Item, Parsed};
use crate::source::Asset;
use crate::types::{Id, IndexMap};

/// What the last link was made from and what it made, for `serve`.
#[derive(Debug, Default, Clone)]
pub struct LinkCache {
    last: Option<Last>,
}

#[derive(Debug, Clone)]
struct Last {
    /// The linked site, without bodies.
    site: Linked,
    /// Every parsed introduction, published or not.
    intros: BTreeMap<String, Arc<Item>>,
    /// A unit's commission items elsewhere, as last linked.
    elsewhere: Option<Arc<crate::kinds::Elsewhere>>,
    config_text: String,
    diags: Vec<Diagnostic>,
}

/// Like [`link`], taking the last link's structure again (the very same `entries`, `excluded`
/// and `index`) when nothing it was made from changed but Markdown bodies. `cache` is
/// updated either way.
pub fn link_reusing(
    config: &LoadedConfig,
    parsed: Parsed,
    assets: &[Asset],
    options: Options,
    cache: &mut LinkCache,
) -> (Linked, Vec<Diagnostic>) {
    let last = cache
        .last
        .take()
        .filter(|last| unchanged(last, config, &parsed, assets, &options));
    let intros = parsed.intros.clone();
    let parsed_elsewhere = parsed.elsewhere.clone();
    let (site, diags) = match last {
        Some(last) => (with_items(last.site, parsed), last.diags),
        None => link(config, parsed, assets, options),
    };
    cache.last = Some(Last {
        site: site.clone(),
        intros,
        elsewhere: parsed_elsewhere,
        config_text: config.text.clone(),
        diags: diags.clone(),
    });
    (site, diags)
}

/// The last site with the new items (and published introductions) put in.
fn with_items(last: Linked, parsed: Parsed) -> Linked {
    let intros = (last.intros.keys())
        .filter_map(|key| Some((key.clone(), Arc::clone(parsed.intros.get(key)?))))
        .collect();
    Linked {
        items: Arc::new(parsed.items),
        shared: Arc::new(parsed.shared),
        intros,
        ..last
    }
}

/// Whether linking `parsed` would give the last site again: the same configuration, options,
/// attachments and failed files, and the same items in the same order, each the very same
/// or differing only after its front matter.
fn unchanged(
    last: &Last,
    config: &LoadedConfig,
    parsed: &Parsed,
    assets: &[Asset],
    options: &Options,
) -> bool {
    let site = &last.site;
    last.config_text == config.text
        && site.options == *options
        && site.failed == parsed.failed
        && *site.shared == parsed.shared
        && (last.elsewhere.as_deref()) == parsed.elsewhere.as_deref()
        && site.assets.len() == assets.len()
        && assets.iter().all(|a| site.assets.get(&a.rel) == Some(a))
        && same_items(site.items.iter(), parsed.items.iter())
        && same_items(last.intros.iter(), parsed.intros.iter())
}

fn same_items<'a, K: PartialEq + 'a>(
    a: impl ExactSizeIterator<Item = (&'a K, &'a Arc<Item>)>,
    b: impl ExactSizeIterator<Item = (&'a K, &'a Arc<Item>)>,
) -> bool {
    a.len() == b.len()
        && a.zip(b)
            .all(|((ka, a), (kb, b))| ka == kb && (Arc::ptr_eq(a, b) || same_but_body(a, b)))
}

/// Whether two items differ at most in their Markdown body: what linking reads (fields,
/// file names, the front matter that diagnostics point into) is the same.
fn same_but_body(a: &Item, b: &Item) -> bool {
    a.id == b.id
        && a.kind == b.kind
        && a.meta == b.meta
        && a.data == b.data
        && a.file.rel == b.file.rel
        && a.file.shown == b.file.shown
        && a.file.front == b.file.front
        && a.file.front_matter() == b.file.front_matter()
}

/// What a save read again, under a link kept whole: the published items and the section
/// introductions that are not the very ones `items` and `intros` (a last run's) held.
pub struct Renewed<'s> {
    pub items: Vec<&'s Arc<Item>>,
    pub intros: Vec<&'s Arc<Item>>,
}

impl Linked {
    /// The published items and introductions of `self` that a save read again since the run
    /// that saw `items` and `intros`, told by where they are rather than by what they hold (at
    /// 100,000 items that is all a save costs); `None` when the items or introductions are not
    /// the same ones in the same order. The caller knows the link was kept.
    pub fn renewed_since<'s>(
        &'s self,
        items: &IndexMap<Id, Arc<Item>>,
        intros: &BTreeMap<String, Arc<Item>>,
    ) -> Option<Renewed<'s>> {
        let same_keys = items.len() == self.items.len() && intros.keys().eq(self.intros.keys());
        if !same_keys {
            return None;
        }
        let mut renewed = Renewed {
            items: Vec::new(),
            intros: Vec::new(),
        };
        for ((was_id, was), (id, item)) in items.iter().zip(self.items.iter()) {
            if Arc::ptr_eq(was, item) {
                continue;
            }
            if was_id != id {
                return None;
            }
            if self.entries.contains_key(id) {
                renewed.items.push(item);
            }
        }
        let pairs = intros.values().zip(self.intros.values());
        renewed.intros = (pairs.filter(|(was, now)| !Arc::ptr_eq(was, now)))
            .map(|(_, now)| now)
            .collect();
        Some(renewed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testutil::{SITE, parsed_of};
    use crate::types::Audience;

    const CASE: &str = "---\ntitle: 案\ndate: 2024-01-02\nprinciples: [8]\n---\n案情。\n";
    const PRINCIPLE: &str = "---\ntitle: 第八条\nnumber: 8\n---\n正文\n";

    /// Links with `case` as the case, checks the result against a fresh link, and tells
    /// whether the last structure was kept.
    fn relink(cache: &mut LinkCache, case: &str) -> (Linked, bool) {
        let before = cache.last.as_ref().map(|l| Arc::clone(&l.site.entries));
        let files = [("principles/08.md", PRINCIPLE), ("cases/a.md", case)];
        let (config, parsed, _) = parsed_of(SITE, &files);
        let options = crate::site::testutil::options(Audience::Public);
        let (site, diags) = link_reusing(&config, parsed.clone(), &[], options.clone(), cache);
        let kept = before.is_some_and(|b| Arc::ptr_eq(&b, &site.entries));
        let (fresh, fresh_diags) = link(&config, parsed, &[], options);
        assert_eq!(diags, fresh_diags);
        assert_eq!(*site.entries, *fresh.entries);
        assert_eq!(*site.excluded, *fresh.excluded);
        assert_eq!(site.intros, fresh.intros);
        assert_eq!(site.items, fresh.items);
        assert_eq!(site.nav, fresh.nav);
        (site, kept)
    }

    #[test]
    fn a_body_edit_keeps_the_structure_and_a_front_matter_edit_links_again() {
        let mut cache = LinkCache::default();
        let (first, kept) = relink(&mut cache, CASE);
        assert!(!kept, "nothing to keep yet");
        let (edited, kept) = relink(&mut cache, &CASE.replace("案情", "新的案情"));
        assert!(kept);
        assert!(Arc::ptr_eq(&first.entries, &edited.entries));
        assert!(edited.items["cases/a"].file.body().contains("新的案情"));
        let (_, kept) = relink(&mut cache, &CASE.replace("title: 案", "title: 新案"));
        assert!(!kept, "the title is front matter");
        let (_, kept) = relink(&mut cache, &CASE.replace("案情", "\n\n案情"));
        assert!(!kept, "back to the first title");
        let (_, kept) = relink(&mut cache, &CASE.replace("案情", "\n\n案情"));
        assert!(kept);
    }
}
