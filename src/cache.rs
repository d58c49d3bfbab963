//! Per-key results kept between runs of `serve` (a file's parse, a page's lint findings, a
//! page's search document): each is made again only when it no longer holds, and keys no
//! longer asked for are dropped.

use rayon::prelude::*;

use crate::types::{HashMap, HashSet};

/// Entries by key, kept between runs; or, in a one-off run ([`Store::one_off`]), made and
/// handed out without being filed by key, since no later run will look for them.
#[derive(Debug, Clone)]
pub struct Store<V> {
    by_key: HashMap<String, V>,
    keep: bool,
    /// A one-off run's entries, in the order of the keys asked for.
    once: Vec<V>,
}

impl<V> Default for Store<V> {
    fn default() -> Self {
        Store {
            by_key: HashMap::default(),
            keep: true,
            once: Vec::new(),
        }
    }
}

impl<V> Store<V> {
    /// A store for a single run: nothing is filed (a build of 10,000 pages would file, and
    /// then free, 10,000 entries per store for nothing).
    pub fn one_off() -> Self {
        Store {
            keep: false,
            ..Store::default()
        }
    }

    /// Whether entries are kept for a next run (see [`Store::one_off`]).
    pub fn keeps(&self) -> bool {
        self.keep
    }

    /// Files `value` under `key` (in a one-off run, nothing).
    pub fn put(&mut self, key: &str, value: V) {
        if self.keep {
            self.by_key.insert(key.to_owned(), value);
        }
    }

    pub fn clear(&mut self) {
        self.by_key.clear();
        self.once.clear();
    }

    /// Lets go of a one-off run's entries once their results are taken: they hold the site's
    /// files and items, whose texts a build frees before it renders
    /// ([`crate::pipeline::Reuse::let_go_of_texts`]) only when nothing else holds them.
    pub fn end_run(&mut self) {
        self.once = Vec::new();
    }

    #[cfg(test)]
    pub fn get(&self, key: &str) -> Option<&V> {
        self.by_key.get(key)
    }

    /// Entries filed, by key (none in a one-off run).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// Brings `cache` up to date for `keys` and returns their entries in the order of `keys`.
/// `holds(i, entry)` says whether the kept entry of `keys[i]` is still right; `make(i)` makes
/// it again (in parallel).
pub fn refresh<'c, V: Send + Sync>(
    cache: &'c mut Store<V>,
    keys: &[&str],
    holds: impl Fn(usize, &V) -> bool + Sync,
    make: impl Fn(usize) -> V + Sync,
) -> Vec<&'c V> {
    let tasks = (0..keys.len()).into_par_iter();
    let tasks = tasks.with_max_len(crate::types::ITEMS_PER_TASK);
    if !cache.keep {
        cache.once = tasks.map(&make).collect();
        return cache.once.iter().collect();
    }
    let by_key = &mut cache.by_key;
    let fresh: Vec<Option<V>> = tasks
        .map(|i| match by_key.get(keys[i]) {
            Some(kept) if holds(i, kept) => None,
            _ => Some(make(i)),
        })
        .collect();
    for (key, made) in keys.iter().zip(fresh) {
        if let Some(made) = made {
            by_key.insert((*key).to_owned(), made);
        }
    }
    if by_key.len() != keys.len() {
        let asked: HashSet<&str> = keys.iter().copied().collect();
        by_key.retain(|key, _| asked.contains(key.as_str()));
    }
    let by_key: &'c HashMap<String, V> = by_key;
    // A lookup per key, on every thread: at 100,000 keys one thread took milliseconds.
    let tasks = keys.par_iter().with_max_len(crate::types::ITEMS_PER_TASK);
    tasks.filter_map(|key| by_key.get(*key)).collect()
}

/// Like [`refresh`], giving what `pick` takes of each entry rather than the entry: each key
/// is then looked up once (at 100,000 keys a second lookup took as long as the first).
pub fn refresh_picked<V: Send + Sync, W: Send>(
    cache: &mut Store<V>,
    keys: &[&str],
    holds: impl Fn(usize, &V) -> bool + Sync,
    make: impl Fn(usize) -> V + Sync,
    pick: impl Fn(&V) -> W + Sync,
) -> Vec<W> {
    let tasks = (0..keys.len()).into_par_iter();
    let tasks = tasks.with_max_len(crate::types::ITEMS_PER_TASK);
    if !cache.keep {
        return tasks.map(|i| pick(&make(i))).collect();
    }
    let by_key = &mut cache.by_key;
    let looked: Vec<(W, Option<V>)> = tasks
        .map(|i| match by_key.get(keys[i]) {
            Some(kept) if holds(i, kept) => (pick(kept), None),
            _ => {
                let made = make(i);
                (pick(&made), Some(made))
            }
        })
        .collect();
    let mut picked = Vec::with_capacity(keys.len());
    for (key, (taken, made)) in keys.iter().zip(looked) {
        if let Some(made) = made {
            by_key.insert((*key).to_owned(), made);
        }
        picked.push(taken);
    }
    if by_key.len() != keys.len() {
        let asked: HashSet<&str> = keys.iter().copied().collect();
        by_key.retain(|key, _| asked.contains(key.as_str()));
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn only_entries_that_no_longer_hold_are_made_again_and_gone_keys_leave() {
        let made = AtomicUsize::new(0);
        let mut cache = Store::default();
        let mut run = |keys: &[&str], stale: &str| -> Vec<String> {
            refresh(
                &mut cache,
                keys,
                |i, kept: &String| keys[i] != stale && kept.starts_with(keys[i]),
                |i| {
                    made.fetch_add(1, Ordering::Relaxed);
                    format!("{}!", keys[i])
                },
            )
            .into_iter()
            .cloned()
            .collect()
        };
        assert_eq!(run(&["a", "b", "c"], ""), ["a!", "b!", "c!"]);
        assert_eq!(made.load(Ordering::Relaxed), 3);
        assert_eq!(run(&["c", "a"], "a"), ["c!", "a!"]);
        assert_eq!(
            made.load(Ordering::Relaxed),
            4,
            "only the stale one is made again"
        );
        assert_eq!(cache.len(), 2, "a key no longer asked for leaves");
    }

    #[test]
    fn picking_makes_and_keeps_as_refreshing_does() {
        let mut cache = Store::default();
        let made = AtomicUsize::new(0);
        let mut run = |keys: &[&str], stale: &str| -> Vec<usize> {
            refresh_picked(
                &mut cache,
                keys,
                |i, _: &String| keys[i] != stale,
                |i| {
                    made.fetch_add(1, Ordering::Relaxed);
                    keys[i].repeat(2)
                },
                String::len,
            )
        };
        assert_eq!(run(&["a", "bb"], ""), [2, 4]);
        assert_eq!(run(&["bb", "a", "ccc"], "a"), [4, 2, 6]);
        assert_eq!(made.load(Ordering::Relaxed), 4, "the stale and the new one");
        assert_eq!(run(&["ccc"], ""), [6]);
        assert_eq!(cache.len(), 1, "keys no longer asked for leave");
    }

    #[test]
    fn a_one_off_store_makes_every_entry_and_files_none() {
        let mut store = Store::one_off();
        let keys = ["a", "b"];
        let made = refresh(&mut store, &keys, |_, _| true, |i| keys[i].repeat(2));
        assert_eq!(made, [&"aa".to_owned(), &"bb".to_owned()]);
        assert!(store.is_empty() && store.get("a").is_none());
    }
}
