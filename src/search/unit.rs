//! One unit of work's postings, kept by term until the term files are written: all units
//! together are the largest thing an index build holds, so a term is written once per unit
//! and each posting takes two bytes.

use std::ops::Range;

use super::posting::{doc_of, key_of, pack, val_of};

/// The postings of a unit of documents (at most 256, from `first` on), as runs: each run is
/// one term's postings, documents ascending, and runs come in order of their term's first
/// posting as given. A run's term is the low 32 bits of its key; its tag (2 bits) and length
/// (14) share 16 bits; each posting is the document's place in the unit (8 bits) and its value
/// (6). [`Unit::iter`] and [`Unit::posting`] give postings back in their packed `u64` form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unit {
    /// The unit's first document.
    first: u32,
    terms: Vec<u32>,
    runs: Vec<u16>,
    rest: Vec<u16>,
}

/// The most postings one run holds: a longer list of one term (which the counting never
/// makes: a term has one posting per document) goes on in a run of the same term.
const MAX_RUN: usize = (1 << 14) - 1;

impl Unit {
    /// The packed `postings` of documents `first` to `first + 255`, grouped by term (a
    /// counting sort over `numbers`, a table reused from unit to unit).
    pub fn of(first: u32, postings: &[u64], numbers: &mut Numbers) -> Unit {
        // Most postings are of terms seen before: the table starts small and grows.
        let numbered = numbers.number_each(postings, key_of, postings.len() / 64);
        let mut unit = Unit {
            first,
            terms: Vec::with_capacity(numbered.counts.len()),
            runs: Vec::with_capacity(numbered.counts.len()),
            rest: vec![0; postings.len()],
        };
        for (key, &count) in numbers.keys().zip(&numbered.counts) {
            unit.push_runs(key, count as usize);
        }
        // Each posting straight to its place (a counting sort).
        let mut next = numbered.starts();
        for (&p, &n) in postings.iter().zip(&numbered.numbers) {
            let at = &mut next[n as usize];
            unit.rest[*at as usize] = unit.rest_of(p);
            *at += 1;
        }
        unit
    }

    /// Postings, in order.
    pub fn len(&self) -> usize {
        self.rest.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Runs, in order.
    pub fn run_count(&self) -> usize {
        self.runs.len()
    }

    /// Every posting, packed, run after run.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        (self.runs_from(0..self.run_count(), 0))
            .flat_map(move |(key, postings)| postings.map(move |i| self.posting(key, i)))
    }

    /// The runs at `runs`, whose first posting is posting `at`: each run's term key and the
    /// places of its postings.
    pub fn runs_from(
        &self,
        runs: Range<usize>,
        at: usize,
    ) -> impl Iterator<Item = (u64, Range<usize>)> + '_ {
        let mut next = at;
        (self.terms[runs.clone()].iter().zip(&self.runs[runs])).map(move |(&term, &run)| {
            let len = usize::from(run & MAX_RUN as u16);
            let postings = next..next + len;
            next += len;
            (u64::from(run >> 14) << 32 | u64::from(term), postings)
        })
    }

    /// The documents and values of the postings at `places`, in order (a term's file needs
    /// no more of them).
    pub fn docs_and_values(&self, places: Range<usize>) -> impl Iterator<Item = (u32, u8)> + '_ {
        (self.rest[places].iter()).map(|&r| (self.first + u32::from(r >> 6), (r & 63) as u8))
    }

    /// Posting `i`, of the term `key`, packed.
    pub fn posting(&self, key: u64, i: usize) -> u64 {
        let r = self.rest[i];
        pack(key, self.first + u32::from(r >> 6), (r & 63) as u8)
    }

    /// The runs whose term key `keep` says yes to, in order.
    pub fn filtered(&self, keep: impl Fn(u64) -> bool) -> Unit {
        let runs = self.runs_from(0..self.run_count(), 0);
        let kept: Vec<u32> = (runs.enumerate())
            .filter(|(_, (key, _))| keep(*key))
            .map(|(r, _)| r as u32)
            .collect();
        self.reordered(&kept)
    }

    /// The runs listed in `order` (by their place), in that order.
    pub fn reordered(&self, order: &[u32]) -> Unit {
        let starts: Vec<u32> = (self.runs_from(0..self.run_count(), 0))
            .map(|(_, p)| p.start as u32)
            .collect();
        let mut out = Unit {
            first: self.first,
            terms: Vec::with_capacity(order.len()),
            runs: Vec::with_capacity(order.len()),
            rest: Vec::new(),
        };
        let len = |r: usize| usize::from(self.runs[r] & MAX_RUN as u16);
        out.rest
            .reserve_exact(order.iter().map(|&r| len(r as usize)).sum());
        for &r in order {
            let r = r as usize;
            out.terms.push(self.terms[r]);
            out.runs.push(self.runs[r]);
            let start = starts[r] as usize;
            out.rest
                .extend_from_slice(&self.rest[start..start + len(r)]);
        }
        out
    }

    /// Gives the terms of the runs tagged `tag` new numbers: term `t` becomes `new[t]`.
    pub fn renumber(&mut self, tag: u64, new: &[u32]) {
        for (term, &run) in self.terms.iter_mut().zip(&self.runs) {
            if u64::from(run >> 14) == tag {
                *term = new.get(*term as usize).copied().unwrap_or(0);
            }
        }
    }

    /// Adds runs of term `key` for `count` postings.
    fn push_runs(&mut self, key: u64, mut count: usize) {
        while count > 0 {
            let len = count.min(MAX_RUN);
            self.terms.push(key as u32);
            self.runs.push(((key >> 32) as u16) << 14 | len as u16);
            count -= len;
        }
    }

    /// A packed posting's place and value, as the unit keeps them.
    fn rest_of(&self, posting: u64) -> u16 {
        let place = doc_of(posting).wrapping_sub(self.first);
        debug_assert!(place < 256, "{place}");
        (place as u16 & 0xFF) << 6 | u16::from(val_of(posting))
    }
}

/// Numbers term keys in order of first appearance: an open-addressing table that grows with
/// the terms, not the postings (on a large site most postings are of a few common terms),
/// emptied and reused from one unit or shard to the next.
#[derive(Default)]
pub struct Numbers {
    /// Each slot's key and that key's number, as `key << NUMBER_BITS | number` (a key takes
    /// 34 bits), in one word so a probe reads one place; `u64::MAX`: empty.
    slots: Vec<u64>,
    /// The keys numbered so far, in order.
    keys: Vec<u64>,
    /// How far a key's hash is shifted to give a slot: 64 less the bits of a slot's place.
    shift: u32,
}

/// Items grouped by key ([`Numbers::group`]): each key's count, in the order of
/// [`Numbers::keys`], and each item's place in the grouped order.
pub struct Grouped {
    pub counts: Vec<u32>,
    pub places: Vec<u32>,
}

/// Items numbered by key ([`Numbers::number_each`]): each key's count, in the order of
/// [`Numbers::keys`], and each item's key number.
pub struct Numbered {
    pub counts: Vec<u32>,
    pub numbers: Vec<u32>,
}

impl Numbered {
    /// Where each key's items start in the grouped order.
    pub fn starts(&self) -> Vec<u32> {
        (self.counts.iter())
            .scan(0, |start, &count| {
                Some(std::mem::replace(start, *start + count))
            })
            .collect()
    }
}

/// Bits for a term's number in a [`Numbers`] slot: far more terms than one unit's documents
/// (at most 256 × 256 KB of text) or one shard can hold.
const NUMBER_BITS: u32 = 30;
const EMPTY: u64 = u64::MAX;

impl Numbers {
    /// Empties the table, with room for about `terms` terms.
    pub fn clear(&mut self, terms: usize) {
        self.keys.clear();
        self.empty_table((terms * 2).clamp(1024, 1 << 16));
    }

    /// Groups items by their `keys` (a counting sort): keys in order of first appearance,
    /// each key's items in their order. Numbers the keys afresh, with room for about `terms`.
    pub fn group(&mut self, keys: impl Iterator<Item = u64>, terms: usize) -> Grouped {
        let keys: Vec<u64> = keys.collect();
        let numbered = self.number_each(&keys, |key| key, terms);
        let mut next = numbered.starts();
        let places = (numbered.numbers.iter())
            .map(|&n| {
                let at = &mut next[n as usize];
                *at += 1;
                *at - 1
            })
            .collect();
        Grouped {
            counts: numbered.counts,
            places,
        }
    }

    /// Numbers `items` by their keys (`key` of each), in order of first appearance, and counts
    /// each key's items. Numbers the keys afresh, with room for about `terms`.
    pub fn number_each<T: Copy>(
        &mut self,
        items: &[T],
        key: impl Fn(T) -> u64,
        terms: usize,
    ) -> Numbered {
        self.clear(terms);
        let mut counts: Vec<u32> = Vec::new();
        let mut numbers = vec![0u32; items.len()];
        let mut at = 0;
        while at < items.len() {
            at += self.number_known(&items[at..], &key, &mut numbers[at..], &mut counts);
            // The key of the item there (if any) is new.
            if let Some(&item) = items.get(at) {
                numbers[at] = self.number(key(item));
                counts.push(1);
                at += 1;
            }
        }
        Numbered { counts, numbers }
    }

    /// Numbers and counts the first `items` whose keys have numbers, up to one whose key is
    /// new; returns how many. Most keys have numbers (most postings are of terms seen
    /// before): looked up here with the table held still, its fields kept at hand.
    fn number_known<T: Copy>(
        &self,
        items: &[T],
        key: &impl Fn(T) -> u64,
        numbers: &mut [u32],
        counts: &mut [u32],
    ) -> usize {
        let (slots, shift) = (&self.slots[..], self.shift);
        let mask = slots.len() - 1;
        for (done, (&item, number)) in items.iter().zip(numbers).enumerate() {
            let key = key(item);
            let mut i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize;
            let n = loop {
                match slots[i] {
                    EMPTY => return done,
                    slot if slot >> NUMBER_BITS == key => break slot & ((1 << NUMBER_BITS) - 1),
                    _ => i = (i + 1) & mask,
                }
            };
            *number = n as u32;
            counts[n as usize] += 1;
        }
        items.len()
    }

    /// The keys numbered, in order.
    pub fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.keys.iter().copied()
    }

    /// The number of `key`, given in order of first appearance; the table doubles when half
    /// full.
    #[inline]
    pub fn number(&mut self, key: u64) -> u32 {
        debug_assert!(key < 1 << 34, "{key:#x}");
        let i = self.slot(key);
        match self.slots[i] {
            EMPTY => self.add(i, key),
            slot => (slot & ((1 << NUMBER_BITS) - 1)) as u32,
        }
    }

    /// Numbers `key`, not seen before, whose slot is `i`. Rare (most postings are of terms
    /// seen before), so kept out of line.
    #[cold]
    fn add(&mut self, i: usize, key: u64) -> u32 {
        let n = self.keys.len() as u32;
        self.slots[i] = key << NUMBER_BITS | u64::from(n);
        self.keys.push(key);
        if self.keys.len() * 2 > self.slots.len() {
            self.empty_table(self.slots.len() * 2);
            for (n, &k) in self.keys.iter().enumerate() {
                let i = self.slot(k);
                self.slots[i] = k << NUMBER_BITS | n as u64;
            }
        }
        n
    }

    /// An empty table of `size` slots (rounded up to a power of two).
    fn empty_table(&mut self, size: usize) {
        self.slots.clear();
        self.slots.resize(size.next_power_of_two(), EMPTY);
        self.shift = 64 - self.slots.len().trailing_zeros();
    }

    /// The slot of `key`, or the empty slot where it would go.
    fn slot(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        while self.slots[i] != EMPTY && self.slots[i] >> NUMBER_BITS != key {
            i = (i + 1) & mask;
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::posting::{TAG_CHAR, TAG_OTHER, TAG_PAIR};

    const FIRST: u32 = 3 * 256;

    fn given() -> Vec<u64> {
        vec![
            pack(TAG_CHAR << 32 | 0x7EA2, FIRST, 1),
            pack(TAG_PAIR << 32 | u64::from(u32::MAX), FIRST + 255, 63),
            pack(TAG_CHAR << 32 | 0x7EA2, FIRST + 17, 32 | 5),
            pack(TAG_OTHER << 32 | 12_345, FIRST + 17, 2),
        ]
    }

    #[test]
    fn a_unit_gives_back_its_postings_by_term_in_order_of_first_appearance() {
        let g = given();
        let unit = Unit::of(FIRST, &g, &mut Numbers::default());
        assert_eq!(unit.iter().collect::<Vec<_>>(), [g[0], g[2], g[1], g[3]]);
        assert_eq!((unit.len(), unit.run_count()), (4, 3));
        let runs: Vec<_> = unit.runs_from(1..3, 2).collect();
        assert_eq!(runs, [(key_of(g[1]), 2..3), (key_of(g[3]), 3..4)]);
        assert_eq!(unit.posting(key_of(g[1]), 2), g[1]);
    }

    #[test]
    fn runs_can_be_kept_reordered_and_renumbered() {
        let g = given();
        let unit = Unit::of(FIRST, &g, &mut Numbers::default());
        let no_pairs = unit.filtered(|key| key >> 32 != TAG_PAIR);
        assert_eq!(no_pairs.iter().collect::<Vec<_>>(), [g[0], g[2], g[3]]);
        let reversed = unit.reordered(&[2, 1, 0]);
        assert_eq!(
            reversed.iter().collect::<Vec<_>>(),
            [g[3], g[1], g[0], g[2]]
        );
        let mut renumbered = unit.clone();
        let mut new = vec![0; 12_346];
        new[12_345] = 7;
        renumbered.renumber(TAG_OTHER, &new);
        let last = renumbered.iter().last().map(key_of);
        assert_eq!(last, Some(TAG_OTHER << 32 | 7));
        assert_eq!(renumbered.iter().next(), Some(g[0]), "other tags stay");
    }

    #[test]
    fn a_long_list_of_one_term_goes_on_in_another_run() {
        let key = TAG_CHAR << 32 | 0x4E00;
        let many: Vec<u64> = (0..MAX_RUN + 10)
            .map(|i| pack(key, FIRST + (i % 256) as u32, 1))
            .collect();
        let unit = Unit::of(FIRST, &many, &mut Numbers::default());
        assert_eq!(unit.run_count(), 2);
        assert_eq!(unit.iter().collect::<Vec<_>>(), many);
    }

    #[test]
    fn grouping_keeps_first_appearance_and_item_order() {
        let grouped = Numbers::default().group([5, 3, 5, 7, 3].into_iter(), 0);
        assert_eq!(grouped.counts, [2, 2, 1]);
        assert_eq!(grouped.places, [0, 2, 1, 4, 3]);
    }

    /// Through the table's growth, new keys among known ones: numbers by first appearance,
    /// and counts.
    #[test]
    fn items_are_numbered_by_first_appearance_of_their_keys() {
        let keys: Vec<u64> = (0..6000u64).map(|i| (i * 7919 % 1501) * 977).collect();
        let numbered = Numbers::default().number_each(&keys, |k| k, 0);
        let mut first: Vec<u64> = Vec::new();
        for (&key, &n) in keys.iter().zip(&numbered.numbers) {
            let want = first.iter().position(|&k| k == key).unwrap_or_else(|| {
                first.push(key);
                first.len() - 1
            });
            assert_eq!(n as usize, want, "{key}");
        }
        let count = |n: usize| {
            numbered
                .numbers
                .iter()
                .filter(|&&m| m as usize == n)
                .count()
        };
        assert_eq!(numbered.counts.len(), first.len());
        assert!((0..first.len()).all(|n| numbered.counts[n] as usize == count(n)));
    }

    #[test]
    fn numbers_follow_first_appearance_through_growth() {
        let mut numbers = Numbers::default();
        numbers.clear(0);
        for k in 0..5000u64 {
            assert_eq!(numbers.number(k * 7919), k as u32);
        }
        assert_eq!(numbers.number(7919 * 3), 3);
        assert_eq!(numbers.keys().nth(4999), Some(4999 * 7919));
        numbers.clear(0);
        assert_eq!(numbers.number(42), 0);
        let last = TAG_OTHER << 32 | u64::from(u32::MAX);
        assert_eq!((numbers.number(last), numbers.number(0)), (1, 2));
        assert_eq!((numbers.number(last), numbers.number(42)), (1, 0));
    }
}
