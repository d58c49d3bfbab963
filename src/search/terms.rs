//! Term shard files from postings: grouped by the shard their term's hash names, then by term,
//! each shard written as `QL_SEARCH.add("t<n>", {"term": "postings", …})`.

use std::ops::Range;

use rayon::prelude::*;

use super::Emit;
use super::index::{Inverted, TAG_CHAR, TAG_PAIR};
use super::shard;
use super::tier::LongList;
use super::tokenize;
use super::unit::{Numbers, Unit};
use crate::error::Result;

/// A posting list longer than this many bytes gets a file of its own (`t<n>_<k>`), and its
/// shard holds the number `k` in its place: a query loads the long lists it needs, and never
/// the long lists of other terms that share its shard. Such a file holds the list in its
/// tiered form when that is shorter (see [`tier`]).
pub const OWN_FILE_BYTES: usize = 1024;

/// How many term shards an index of `postings` postings gets at first, so a shard averages
/// about `target` bytes (on a large site a posting takes a little over two bytes with its
/// share of the keys; small sites have more keys per posting, which [`term_files`] corrects).
pub fn shard_count(postings: usize, target: usize) -> u32 {
    let bytes = postings as f64 * 2.6;
    (bytes / target as f64).ceil().clamp(1.0, 65_535.0) as u32
}

/// Runs ordered by shard, per unit of work, with where each shard's runs and postings start.
type Grouped = Vec<(Unit, Vec<Start>)>;

/// Where a shard's part of a unit starts: its first run, and that run's first posting.
#[derive(Clone, Copy, Default)]
struct Start {
    run: u32,
    posting: u32,
}

/// Writes the term shard files `search/t/<n>.js` through `emit`, about `target` bytes each on
/// average, and returns their count. The count estimated from the postings is corrected when
/// it is far off either way: too few shards make files a query loads whole for one term; too
/// many make thousands of tiny files, as on a large site, whose long lists have files of their
/// own and leave the shards nearly empty (see [`measured_count`]). The postings are then
/// grouped once, by the count chosen, and each shard's files handed over as they are made.
pub fn term_files(inv: Inverted, target: usize, emit: &Emit) -> Result<u32> {
    let Inverted {
        chunks,
        other_terms,
        other_hash,
        postings,
    } = inv;
    let first = shard_count(postings, target);
    let better = measured_count(&chunks, first, &other_hash, &other_terms, target);
    let grouped = group_all(chunks, better, &other_hash);
    (0..better)
        .into_par_iter()
        .map_init(Grouper::default, |grouper, n| {
            let files = shard_files(grouper, &grouped, n, &other_terms, Own::Made);
            files.into_iter().try_for_each(|(p, b)| emit(p, b))
        })
        .collect::<Result<()>>()?;
    Ok(better)
}

/// The shard count to use instead of the estimate `first`: the terms whose hash falls in the
/// first shards of `first` (all of them on a small index, the first [`SAMPLE_EVERY`]th on a
/// large one) are encoded as those shards and measured.
fn measured_count(
    chunks: &[Unit],
    first: u32,
    other_hash: &[u32],
    other_terms: &[String],
    target: usize,
) -> u32 {
    let part = match first < SAMPLE_FROM {
        true => first,
        false => first / SAMPLE_EVERY,
    };
    let sample: Vec<Unit> = (chunks.par_iter())
        .map(|c| c.filtered(|k| u32::from(shard_of_key(k, first, other_hash)) < part))
        .collect();
    let grouped = group_all(sample, first, other_hash);
    let bytes: usize = (0..part)
        .into_par_iter()
        .map_init(Grouper::default, |grouper, n| {
            main_bytes(&shard_files(
                grouper,
                &grouped,
                n,
                other_terms,
                Own::Numbered,
            ))
        })
        .sum();
    corrected(bytes, part, first, target)
}

/// From this many shards on, the shard count is corrected from a sample of the terms.
const SAMPLE_FROM: u32 = 64;
/// The sample is this fraction of the terms (by hash).
const SAMPLE_EVERY: u32 = 16;

/// The bytes of the shard files proper (not the lists with files of their own) in `files`.
fn main_bytes(files: &[(String, Vec<u8>)]) -> usize {
    let main = files.iter().filter(|(p, _)| !p.contains('_'));
    main.map(|(_, b)| b.len()).sum()
}

/// The shard count to use when `measured` shards out of `first` took `bytes` bytes: `first`
/// itself unless the count that meets `target` is more than 30% away.
fn corrected(bytes: usize, measured: u32, first: u32, target: usize) -> u32 {
    let total = bytes as f64 * f64::from(first) / f64::from(measured.max(1));
    let better = (total / target as f64).ceil().clamp(1.0, 65_535.0) as u32;
    let ratio = f64::from(better) / f64::from(first);
    if (1.0 / 1.3..=1.3).contains(&ratio) {
        first
    } else {
        better
    }
}

/// The term shard files for exactly `shards` shards (for tests).
#[cfg(test)]
pub fn term_files_in(inv: Inverted, shards: u32) -> Vec<(String, Vec<u8>)> {
    let grouped = group_all(inv.chunks, shards, &inv.other_hash);
    encode_all(&grouped, shards, &inv.other_terms)
}

/// Groups every unit's postings by shard, in parallel, freeing each unit once grouped.
fn group_all(units: Vec<Unit>, shards: u32, other_hash: &[u32]) -> Grouped {
    units
        .into_par_iter()
        .map(|entries| group(&entries, shards, other_hash))
        .collect()
}

/// Every shard's files, in parallel.
#[cfg(test)]
fn encode_all(grouped: &Grouped, shards: u32, other_terms: &[String]) -> Vec<(String, Vec<u8>)> {
    (0..shards)
        .into_par_iter()
        .map_init(Grouper::default, |grouper, n| {
            shard_files(grouper, grouped, n, other_terms, Own::Made)
        })
        .flatten()
        .collect()
}

/// Shard `n`'s files: its postings from every unit, grouped by term and encoded (the long
/// lists' own files as `own` says).
fn shard_files(
    grouper: &mut Grouper,
    grouped: &Grouped,
    n: u32,
    other_terms: &[String],
    own: Own,
) -> Vec<(String, Vec<u8>)> {
    let s = n as usize;
    let parts: Vec<Part> = (grouped.iter())
        .map(|(unit, starts)| {
            // A unit's starts end after its last shard with postings: past that, it has none.
            let at = |i: usize| starts.get(i).or(starts.last()).copied().unwrap_or_default();
            let (from, to) = (at(s), at(s + 1));
            Part {
                unit,
                runs: from.run as usize..to.run as usize,
                at: from.posting as usize,
                postings: (to.posting - from.posting) as usize,
            }
        })
        .collect();
    grouper.by_term(&parts);
    encode_shard(n, grouper, &parts, other_terms, own)
}

/// The shard of a term key.
fn shard_of_key(key: u64, shards: u32, other_hash: &[u32]) -> u16 {
    let term = key as u32;
    let h = match key >> 32 {
        TAG_CHAR => tokenize::hash1(term as u16),
        TAG_PAIR => tokenize::hash2((term >> 16) as u16, term as u16),
        _ => other_hash.get(term as usize).copied().unwrap_or(0),
    };
    shard::shard_of_hash(h, shards) as u16
}

/// Orders one unit's runs by shard (a stable counting sort); returns them and where each
/// shard starts, up to the end of the last shard it has postings in. (Not for every shard:
/// a large site's first estimate has tens of thousands, and its units hundreds, so starts
/// for all of them took more memory than the postings.)
fn group(unit: &Unit, shards: u32, other_hash: &[u32]) -> (Unit, Vec<Start>) {
    let of: Vec<(u16, u32)> = (unit.runs_from(0..unit.run_count(), 0))
        .map(|(key, postings)| (shard_of_key(key, shards, other_hash), postings.len() as u32))
        .collect();
    let last = of
        .iter()
        .map(|&(s, _)| usize::from(s) + 1)
        .max()
        .unwrap_or(0);
    let mut starts = vec![Start::default(); last + 1];
    for &(s, len) in &of {
        starts[s as usize + 1].run += 1;
        starts[s as usize + 1].posting += len;
    }
    for i in 1..starts.len() {
        starts[i].run += starts[i - 1].run;
        starts[i].posting += starts[i - 1].posting;
    }
    let mut next: Vec<u32> = starts.iter().map(|s| s.run).collect();
    let mut order = vec![0u32; of.len()];
    for (r, &(s, _)) in of.iter().enumerate() {
        order[next[s as usize] as usize] = r as u32;
        next[s as usize] += 1;
    }
    (unit.reordered(&order), starts)
}

/// One unit's part of a shard: its runs there, the first one's first posting, and how many
/// postings they hold.
struct Part<'a> {
    unit: &'a Unit,
    runs: Range<usize>,
    at: usize,
    postings: usize,
}

impl Part<'_> {
    fn runs(&self) -> impl Iterator<Item = (u64, Range<usize>)> + '_ {
        self.unit.runs_from(self.runs.clone(), self.at)
    }
}

/// Groups a shard's runs by term, keeping their order (documents ascending within each unit,
/// units in order), terms in order of first appearance: a counting sort of the units' runs
/// (not of their postings, which are read once, as they are encoded), with tables reused from
/// shard to shard.
#[derive(Default)]
struct Grouper {
    numbers: Numbers,
    /// Where each term's runs end in `runs`, by term number.
    ends: Vec<u32>,
    /// The runs, term after term.
    runs: Vec<RunAt>,
    /// Room for a long list, reused from list to list.
    long: LongList,
}

/// A run of one term's postings: its part, and the places of its postings in the part's unit.
#[derive(Clone, Copy, Default)]
struct RunAt {
    part: u32,
    start: u32,
    len: u32,
}

impl RunAt {
    /// The places of its postings.
    fn range(self) -> Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

impl Grouper {
    fn by_term(&mut self, parts: &[Part]) {
        let runs: usize = parts.iter().map(|p| p.runs.len()).sum();
        let keys = parts.iter().flat_map(Part::runs).map(|(key, _)| key);
        let grouped = self.numbers.group(keys, runs);
        self.ends.clear();
        self.ends
            .extend(grouped.counts.iter().scan(0, |end, &count| {
                *end += count;
                Some(*end)
            }));
        self.runs.clear();
        self.runs.resize(runs, RunAt::default());
        let mut places = grouped.places.iter();
        for (p, part) in parts.iter().enumerate() {
            for (_, postings) in part.runs() {
                let Some(&at) = places.next() else { break };
                self.runs[at as usize] = RunAt {
                    part: p as u32,
                    start: postings.start as u32,
                    len: postings.len() as u32,
                };
            }
        }
    }

    /// Each term's key and runs, in order.
    fn terms(&self) -> impl Iterator<Item = (u64, &[RunAt])> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        let ranges = starts.zip(self.ends.iter().copied());
        (self.numbers.keys()).zip(ranges.map(|(a, b)| &self.runs[a as usize..b as usize]))
    }
}

/// Whether a shard's long lists get their own files made, or are only numbered: a shard
/// measured for its count ([`measured_count`]) is measured without them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Own {
    Made,
    Numbered,
}

/// One shard's files: `t<n>` with `{"term":"postings" or k,…}`, then each `t<n>_<k>`, from
/// the runs `grouper` ordered by term.
fn encode_shard(
    n: u32,
    grouper: &mut Grouper,
    parts: &[Part],
    other_terms: &[String],
    own: Own,
) -> Vec<(String, Vec<u8>)> {
    let name = format!("t{n}");
    let postings: usize = parts.iter().map(|p| p.postings).sum();
    let mut out = shard::begin(&name, postings * 4 + 8);
    let mut files = vec![(shard::path_of(&name), Vec::new())];
    let (mut long, mut owned) = (std::mem::take(&mut grouper.long), 0);
    out.push(b'{');
    for (key, runs) in grouper.terms() {
        push_term(&mut out, key, other_terms);
        out.push(b':');
        let start = out.len();
        // A plain list takes at least two bytes a posting: one surely too long for the shard
        // is not encoded here.
        let count: usize = runs.iter().map(|r| r.len as usize).sum();
        if 2 * count + 2 <= OWN_FILE_BYTES {
            out.push(b'"');
            let postings = runs
                .iter()
                .flat_map(|&r| parts[r.part as usize].unit.docs_and_values(r.range()));
            encode_run(&mut out, postings);
            out.push(b'"');
            if out.len() - start <= OWN_FILE_BYTES {
                out.push(b',');
                continue;
            }
        }
        owned += 1;
        if own == Own::Made {
            gather(&mut long, runs, parts);
            files.push(own_file(&format!("t{n}_{owned}"), &mut long));
        }
        out.truncate(start);
        out.extend_from_slice(owned.to_string().as_bytes());
        out.push(b',');
    }
    grouper.long = long;
    if out.last() == Some(&b',') {
        out.pop();
    }
    out.push(b'}');
    files[0].1 = shard::end(out);
    files
}

/// A long list's own file `name`, of the list gathered in `long`.
fn own_file(name: &str, long: &mut LongList) -> (String, Vec<u8>) {
    let mut bytes = shard::begin(name, 2 * long.len() + 2);
    long.push_to(&mut bytes);
    (shard::path_of(name), shard::end(bytes))
}

/// Gathers the postings of one term's `runs` into `long`, in order.
fn gather(long: &mut LongList, runs: &[RunAt], parts: &[Part]) {
    long.clear();
    for &r in runs {
        long.extend(parts[r.part as usize].unit.docs_and_values(r.range()));
    }
}

/// Appends one term's postings, given as document and value (documents ascending), as
/// [`shard::encode_postings`] does.
fn encode_run(out: &mut Vec<u8>, run: impl Iterator<Item = (u32, u8)>) {
    let mut next = 0u32;
    for (doc, val) in run {
        let gap = doc.saturating_sub(next);
        if gap < 32 {
            out.extend_from_slice(&[
                shard::ALPHABET[gap as usize],
                shard::ALPHABET[usize::from(val)],
            ]);
        } else {
            let mut digits = [0u8; 8];
            let len = shard::write_varint(&mut digits, gap);
            out.extend_from_slice(&digits[..len]);
            out.push(shard::ALPHABET[usize::from(val)]);
        }
        next = doc + 1;
    }
}

/// Appends a term as a JSON string (CJK characters need no escaping).
fn push_term(out: &mut Vec<u8>, key: u64, other_terms: &[String]) {
    let term = key as u32;
    let mut push_char = |u: u32| {
        let c = char::from_u32(u).unwrap_or('\u{FFFD}');
        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    };
    match key >> 32 {
        TAG_CHAR | TAG_PAIR => {
            push_char(u32::from(b'"'));
            if key >> 32 == TAG_PAIR {
                push_char(term >> 16);
            }
            push_char(term & 0xFFFF);
            push_char(u32::from(b'"'));
        }
        _ => shard::push_json_str(
            out,
            other_terms.get(term as usize).map_or("", String::as_str),
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::super::SearchDoc;
    use super::super::index::invert;
    use super::super::shard::Posting;
    use super::super::tier;
    use super::*;

    fn doc(title: &str, body: &str) -> SearchDoc {
        SearchDoc {
            url: format!("/{title}/"),
            kind: "page".into(),
            title: title.into(),
            body: body.into(),
            ..SearchDoc::default()
        }
    }

    /// A unit's shard starts end after the last shard it has postings in, not at the shard
    /// count: a large site's first estimate is tens of thousands of shards, over hundreds of
    /// units. Every shard still gets all its postings.
    #[test]
    fn a_units_starts_stop_at_its_last_shard() {
        let docs = [doc("红包", "拒收红包"), doc("回扣", "收受回扣")];
        let inv = invert(&docs);
        let shards = 1000;
        let grouped = group_all(inv.chunks.clone(), shards, &inv.other_hash);
        let (unit, starts) = &grouped[0];
        let used = (unit.runs_from(0..unit.run_count(), 0))
            .map(|(key, _)| shard_of_key(key, shards, &inv.other_hash))
            .max()
            .unwrap();
        assert_eq!(starts.len(), usize::from(used) + 2);
        assert!(
            starts.len() < shards as usize,
            "a few terms fill the last shards"
        );
        let files = encode_all(&grouped, shards, &inv.other_terms);
        let all = decode_all(&files);
        assert_eq!(all, decode_all(&term_files_in(inv, 7)));
    }

    fn files_of(docs: &[SearchDoc], shards: u32) -> Vec<(String, Vec<u8>)> {
        term_files_in(invert(docs), shards)
    }

    /// Every term of every shard, decoded: term -> postings.
    fn decode_all(files: &[(String, Vec<u8>)]) -> HashMap<String, Vec<Posting>> {
        let payload = |name: &str| -> serde_json::Value {
            let (_, bytes) = files
                .iter()
                .find(|(p, _)| *p == shard::path_of(name))
                .unwrap();
            serde_json::from_str(shard::unwrap(bytes).unwrap().1).unwrap()
        };
        let mut all = HashMap::new();
        for (path, bytes) in files.iter().filter(|(p, _)| !p.contains('_')) {
            let (name, _) = shard::unwrap(bytes).unwrap();
            assert_eq!(shard::path_of(name), *path);
            for (term, list) in payload(name).as_object().unwrap() {
                let list = match list.as_u64() {
                    Some(k) => payload(&format!("{name}_{k}")),
                    None => list.clone(),
                };
                all.insert(term.clone(), tier::decode(&list).unwrap());
            }
        }
        all
    }

    #[test]
    fn every_term_lands_in_the_shard_its_hash_names() {
        let files = files_of(
            &[doc("红包", "收受红包 DRG 𠀀𠀁"), doc("回扣", "回扣 drg")],
            7,
        );
        assert_eq!(files.len(), 7);
        for (_, bytes) in &files {
            let (name, json) = shard::unwrap(bytes).unwrap();
            let map: HashMap<String, String> = serde_json::from_str(json).unwrap();
            for term in map.keys() {
                let n = shard::shard_of_hash(tokenize::hash(term), 7);
                assert_eq!(format!("t{n}"), name, "{term}");
            }
        }
        let all = decode_all(&files);
        assert_eq!(all["drg"].iter().map(|p| p.doc).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(all["𠀀𠀁"].len(), 1);
        assert_eq!(all["红包"][0].val & 32, 32, "in the title");
    }

    #[test]
    fn long_lists_get_files_of_their_own() {
        let docs: Vec<SearchDoc> = (0..3000)
            .map(|i| doc(&format!("标题{i}"), "常见 罕见"))
            .collect();
        let files = files_of(&docs, 1);
        assert!(files.iter().any(|(p, _)| p == "search/t/0_1.js"));
        let all = decode_all(&files);
        assert_eq!(all["常见"].len(), 3000);
        assert_eq!(all["99"].len(), 1);
    }

    #[test]
    fn builds_are_reproducible() {
        let docs: Vec<SearchDoc> = (0..700)
            .map(|i| {
                doc(
                    &format!("标题{i}"),
                    &format!("正文 word{} 内容{}", i % 17, i % 5),
                )
            })
            .collect();
        assert_eq!(files_of(&docs, 5), files_of(&docs, 5));
    }

    #[test]
    fn small_sites_get_fewer_shards_than_the_estimate() {
        let docs: Vec<SearchDoc> = (0..40)
            .map(|i| doc(&format!("第{i}篇"), "一些不同的文字内容"))
            .collect();
        let inverted = invert(&docs);
        let (files, shards) = super::super::collecting(|e| term_files(inverted, 5000, e));
        let shards = shards.unwrap();
        assert_eq!(shards, 1);
        assert!(!files.is_empty());
        assert!(files.iter().all(|(p, _)| p.starts_with("search/t/")));
    }

    #[test]
    fn shards_that_long_lists_leave_nearly_empty_are_merged() {
        // Every term is in every document: each list has a file of its own, the shards hold
        // only numbers, and the estimate from the postings would make dozens of tiny files.
        // Measured whole (3,000 documents) and from a sample of shards (10,000).
        for n in [3000, 10_000] {
            let docs: Vec<SearchDoc> = (0..n)
                .map(|_| doc("红包回扣", "收受红包回扣礼品礼金"))
                .collect();
            let inverted = invert(&docs);
            let estimate = shard_count(inverted.postings, 5000);
            let (files, shards) = super::super::collecting(|e| term_files(inverted, 5000, e));
            assert!(estimate > 10, "{estimate}");
            assert_eq!(estimate >= SAMPLE_FROM, n > 3000, "{estimate}");
            assert_eq!(shards.unwrap(), 1);
            assert!(files.iter().any(|(p, _)| p == "search/t/0.js"));
            assert!(files.iter().any(|(p, _)| p.starts_with("search/t/0_")));
            assert!(!files.iter().any(|(p, _)| p.starts_with("search/t/1")));
        }
    }
}
