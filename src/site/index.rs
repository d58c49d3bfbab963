//! Each kind's order and the reverse indexes ("which cases cite principle 8", "which policies
//! did this one replace"), over published items only, as lists of ids.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::Linked;
use crate::kinds::{Item, Kind, compare, disclosure, module, policy, principle, quiz};
use crate::types::{HashMap, Id, IndexMap};

/// One list of the reverse indexes, by what it is keyed on (an output that read it is
/// rendered again when it changes).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndexKey {
    /// The items of a kind citing a principle.
    Citing(Kind, u8),
    /// The banks testing a principle.
    QuizCounts(u8),
    /// The disclosures of a category.
    Category(String),
    /// The policies a policy replaced.
    Replaced(Id),
    /// The modules using a bank.
    QuizUsers(Id),
    /// The cases of some year (a year's casebook, the years that have one).
    CaseYears,
}

/// Orders and reverse indexes of one build. Every list holds ids in its kind's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Indexes {
    /// Each kind's published items in list order.
    pub order: HashMap<Kind, Vec<Id>>,
    /// Published principle number → its id.
    pub principle_ids: BTreeMap<u8, Id>,
    /// (kind, principle number) → the published items of that kind citing it in front matter.
    pub by_principle: HashMap<(Kind, u8), Vec<Id>>,
    /// Principle number → question banks testing it (through `依据`), with how many questions.
    pub quiz_counts: BTreeMap<u8, Vec<(Id, usize)>>,
    /// Policy id → the published policies it replaced.
    pub replaced: HashMap<Id, Vec<Id>>,
    /// Bank id → the published modules that use it as their self-test.
    pub quiz_users: HashMap<Id, Vec<Id>>,
    /// Disclosure category (trimmed) → its published disclosures; categories in the order of
    /// their first disclosure in the list.
    pub by_category: IndexMap<String, Vec<Id>>,
    /// Year → the published dated cases of that year, in list order.
    pub case_years: BTreeMap<i16, Vec<Id>>,
}

impl Indexes {
    /// Each list of the reverse indexes that differs between `self` and `other`, by its key:
    /// a new index is diffed here, beside its field.
    pub fn changed(&self, other: &Indexes, out: &mut dyn FnMut(IndexKey)) {
        differing(
            &self.by_principle,
            &other.by_principle,
            |&(k, n)| IndexKey::Citing(k, n),
            out,
        );
        differing(
            &self.quiz_counts,
            &other.quiz_counts,
            |&n| IndexKey::QuizCounts(n),
            out,
        );
        let category = |name: &String| IndexKey::Category(name.clone());
        differing(&self.by_category, &other.by_category, category, out);
        differing(
            &self.replaced,
            &other.replaced,
            |id| IndexKey::Replaced(id.clone()),
            out,
        );
        differing(
            &self.quiz_users,
            &other.quiz_users,
            |id| IndexKey::QuizUsers(id.clone()),
            out,
        );
        if self.case_years != other.case_years {
            out(IndexKey::CaseYears);
        }
    }

    pub fn build(site: &Linked) -> Indexes {
        let mut ix = Indexes::default();
        // Sorted with the items at hand: looking each up by id costs a hash per comparison.
        let mut by_kind: HashMap<Kind, Vec<(&Id, &Item)>> = HashMap::default();
        for (id, item) in site.items.iter() {
            if site.entries.contains_key(id) {
                by_kind.entry(item.kind).or_default().push((id, item));
            }
        }
        // Each kind sorted on its own, side by side (a large site's cases alone are thousands).
        let by_kind: Vec<(Kind, Vec<(&Id, &Item)>)> = by_kind.into_iter().collect();
        let sorted: Vec<(Kind, Vec<(&Id, &Item)>)> = (by_kind.into_par_iter())
            .map(|(kind, mut items)| {
                items.par_sort_by(|a, b| compare(a.1, b.1));
                (kind, items)
            })
            .collect();
        ix.fill_reverse(site, &sorted);
        let cases = sorted.iter().filter(|(kind, _)| *kind == Kind::Case);
        for (id, item) in cases.flat_map(|(_, items)| items) {
            if let Some(date) = item.meta.date {
                ix.case_years
                    .entry(date.year())
                    .or_default()
                    .push((*id).clone());
            }
        }
        ix.order = (sorted.into_iter())
            .map(|(kind, items)| (kind, items.into_iter().map(|(id, _)| id.clone()).collect()))
            .collect();
        ix
    }

    /// A kind's published ids in list order.
    pub fn order(&self, kind: Kind) -> impl Iterator<Item = &str> + '_ {
        self.order
            .get(&kind)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// The published items of `kind` that cite principle `n`.
    pub fn citing(&self, kind: Kind, n: u8) -> &[Id] {
        self.by_principle.get(&(kind, n)).map_or(&[], Vec::as_slice)
    }

    /// The published disclosures of category `name`, in list order.
    pub fn in_category(&self, name: &str) -> &[Id] {
        self.by_category.get(name).map_or(&[], Vec::as_slice)
    }

    /// Fills the reverse indexes from each kind's items in list order (`sorted`), kinds in
    /// the registry's order.
    fn fill_reverse(&mut self, site: &Linked, sorted: &[(Kind, Vec<(&Id, &Item)>)]) {
        for &kind in Kind::ALL {
            let items = sorted.iter().filter(|(k, _)| *k == kind);
            for &(id, item) in items.flat_map(|(_, items)| items) {
                self.add(site, id, item);
            }
        }
    }

    fn add(&mut self, site: &Linked, id: &Id, item: &Item) {
        let mut cite = |numbers: &[u8]| {
            let mut seen = Vec::new();
            for &n in numbers {
                if !seen.contains(&n) {
                    seen.push(n);
                    self.by_principle
                        .entry((item.kind, n))
                        .or_default()
                        .push(id.clone());
                }
            }
        };
        cite(&item.data.principles());
        if let Some(m) = item.get::<module::Module>() {
            if let Some(bank) = m.quiz.as_ref().filter(|b| site.entries.contains_key(*b)) {
                self.quiz_users
                    .entry(bank.clone())
                    .or_default()
                    .push(id.clone());
            }
        } else if let Some(p) = item.get::<policy::Policy>() {
            if let Some(next) = p.superseded_by.as_ref() {
                self.replaced
                    .entry(next.clone())
                    .or_default()
                    .push(id.clone());
            }
        } else if let Some(p) = item.get::<principle::Principle>() {
            self.principle_ids
                .entry(p.number)
                .or_insert_with(|| id.clone());
        } else if let Some(bank) = item.get::<quiz::QuizBank>() {
            self.count_questions(site, id, bank);
        } else if let Some(d) = item.get::<disclosure::Disclosure>() {
            (self.by_category.entry(d.category.trim().to_owned()))
                .or_default()
                .push(id.clone());
        }
    }

    /// Banks test the principles their questions' `依据` links name.
    fn count_questions(&mut self, site: &Linked, id: &Id, bank: &quiz::QuizBank) {
        let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
        for q in &bank.questions {
            let target = q.basis.as_deref().and_then(basis_id);
            let number = target
                .and_then(|t| site.items.get(t))
                .filter(|t| site.entries.contains_key(&t.id))
                .and_then(|t| t.get::<principle::Principle>())
                .map(|p| p.number);
            if let Some(n) = number {
                *counts.entry(n).or_default() += 1;
            }
        }
        for (n, count) in counts {
            self.quiz_counts
                .entry(n)
                .or_default()
                .push((id.clone(), count));
        }
    }
}

/// `@/principles/08.md` → `principles/08`.
pub fn basis_id(basis: &str) -> Option<&str> {
    basis.trim().strip_prefix("@/")?.strip_suffix(".md")
}

/// Hands `key(k)` to `out` for every entry that differs between two maps.
pub fn differing<K, V, M, T>(old: &M, new: &M, key: impl Fn(&K) -> T, out: &mut dyn FnMut(T))
where
    K: Eq + std::hash::Hash,
    V: PartialEq,
    for<'a> &'a M: IntoIterator<Item = (&'a K, &'a V)>,
{
    let old: HashMap<&K, &V> = old.into_iter().collect();
    let new: HashMap<&K, &V> = new.into_iter().collect();
    for (k, v) in &old {
        if new.get(k) != Some(v) {
            out(key(k));
        }
    }
    for k in new.keys() {
        if !old.contains_key(k) {
            out(key(k));
        }
    }
}
