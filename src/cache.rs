//! Per-key results kept between runs of `serve` (a file's parse, a page's lint findings, a
//! page's search document): each is made again only when it no longer holds, and keys no
//! longer asked for are dropped.

use rayon::prelude::*;

use crate::types::{HashMap, HashSet};

/// Brings `cache` up to date for `keys` and returns their entries in the order of `keys`.
/// `holds(i, entry)` says whether the kept entry of `keys[i]` is still right; `make(i)` makes
/// it again (in parallel).
pub fn refresh<'c, V: Send + Sync>(
    cache: &'c mut HashMap<String, V>,
    keys: &[&str],
    holds: impl Fn(usize, &V) -> bool + Sync,
    make: impl Fn(usize) -> V + Sync,
) -> Vec<&'c V> {
    let fresh: Vec<Option<V>> = keys
        .par_iter()
        .with_max_len(crate::types::ITEMS_PER_TASK)
        .enumerate()
        .map(|(i, key)| match cache.get(*key) {
            Some(kept) if holds(i, kept) => None,
            _ => Some(make(i)),
        })
        .collect();
    for (key, made) in keys.iter().zip(fresh) {
        if let Some(made) = made {
            cache.insert((*key).to_owned(), made);
        }
    }
    if cache.len() != keys.len() {
        let asked: HashSet<&str> = keys.iter().copied().collect();
        cache.retain(|key, _| asked.contains(key.as_str()));
    }
    let cache: &'c HashMap<String, V> = cache;
    keys.iter().filter_map(|key| cache.get(*key)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn only_entries_that_no_longer_hold_are_made_again_and_gone_keys_leave() {
        let made = AtomicUsize::new(0);
        let mut cache = HashMap::default();
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
}
