//! Long posting lists in a form a query can afford at any size of site: every document that
//! holds the term, as gaps or as a bitmap (whichever is shorter), and the weights of only the
//! [`TIER`] best postings; the others count at one floor weight below them (`f`), never in the
//! title. A term on half the pages of a site of 100,000 takes about 17 KB so, where its plain
//! list takes 110 KB.
//!
//! The tier holds the postings a one-term query ranks first (highest weight plus the title
//! bonus, then lowest document) and the floor is below all of them, so such a query ranks its
//! first [`TIER`] results exactly as with the whole list; the matches, their count and their
//! kinds are exact for every query. Only documents below the tier of one of a query's terms
//! rank by the floor weight there, and then by id.
//!
//! `{"f":floor,"v":"tier","g":"gaps"}` or `{"f":floor,"v":"tier","o":first,"m":"bitmap"}`:
//! `v` is a plain posting list ([`shard::encode_postings`]); `g` each document's gap to the
//! one before as a varint; `m` six documents a character from document `o` on (bit `j` of
//! character `i`: document `o + 6i + j`).

use serde_json::Value;

use super::shard::{self, ALPHABET, Posting, TITLE_BONUS};

/// The postings whose values a tiered list keeps.
pub const TIER: usize = 512;

/// What a posting is worth to a query of its term alone, in units of the term's idf.
fn worth(p: &Posting) -> u32 {
    u32::from(p.val & 31) + TITLE_BONUS as u32 * u32::from(p.val >> 5)
}

/// A long list, gathered run by run (documents ascending, values of six bits) and measured
/// as it grows, then written as its own file holds it ([`LongList::push_to`]). Its room is
/// reused from list to list.
pub struct LongList {
    postings: Vec<Posting>,
    /// How many postings have each value.
    vals: [u32; 64],
    /// The tier as a plain posting list, and the documents as gaps or bitmap, as made.
    tier: Vec<u8>,
    docs: Vec<u8>,
    /// The bitmap a bit a document, before it is written six documents a character.
    words: Vec<u64>,
}

impl Default for LongList {
    fn default() -> LongList {
        LongList {
            postings: Vec::new(),
            vals: [0; 64],
            tier: Vec::new(),
            docs: Vec::new(),
            words: Vec::new(),
        }
    }
}

impl LongList {
    /// Empties the list.
    pub fn clear(&mut self) {
        self.postings.clear();
        self.vals = [0; 64];
    }

    /// How many postings it holds.
    pub fn len(&self) -> usize {
        self.postings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.postings.is_empty()
    }

    /// Adds the next postings, as documents and values: each document is after every one
    /// before.
    pub fn extend(&mut self, postings: impl Iterator<Item = (u32, u8)>) {
        let LongList {
            postings: list,
            vals,
            ..
        } = self;
        list.extend(postings.map(|(doc, val)| {
            debug_assert!(val < 64, "{doc} {val}");
            vals[usize::from(val & 63)] += 1;
            Posting { doc, val }
        }));
    }

    /// Appends the list as its own file holds it: in the tiered form when that is shorter
    /// than the plain one, else plain (a JSON string).
    pub fn push_to(&mut self, out: &mut Vec<u8>) {
        if !self.push_tiered(out, None) {
            out.push(b'"');
            shard::encode_postings(out, self.postings.iter().copied());
            out.push(b'"');
        }
    }

    /// Appends the tiered form when there are more than [`TIER`] postings and it is shorter
    /// than `plain` bytes (by default, the list's plain form); returns whether it did.
    ///
    /// The documents as gaps take a byte each at least, and the plain form two a posting: the
    /// gaps are only measured (a pass over the list) when those bounds do not decide.
    fn push_tiered(&mut self, out: &mut Vec<u8>, plain: Option<usize>) -> bool {
        let Some((lowest, at_lowest)) = self.tier_edge() else {
            return false;
        };
        let n = self.postings.len();
        let (first, last) = (self.postings[0].doc, self.postings[n - 1].doc);
        let bits = (last - first) as usize / 6 + 1;
        let gaps = (bits >= n).then(|| self.gaps_len());
        // Every document, as gaps or as a bitmap, whichever is shorter: only that one is made.
        let as_bitmap = gaps.is_none_or(|gaps| bits < gaps);
        let head = match as_bitmap {
            true => format!(",\"o\":{first},\"m\":\""),
            false => ",\"g\":\"".to_owned(),
        };
        let below = self.select(lowest, at_lowest);
        let floor = format!("{{\"f\":{},\"v\":\"", below.min(lowest.saturating_sub(1)));
        let docs = if as_bitmap {
            bits
        } else {
            gaps.unwrap_or(bits)
        };
        let len = floor.len() + self.tier.len() + 1 + head.len() + docs + 2;
        let longer = match plain {
            Some(plain) => len >= plain,
            None => len >= 2 * n + 2 && len >= gaps.unwrap_or_else(|| self.gaps_len()) + n + 2,
        };
        if longer {
            return false;
        }
        match as_bitmap {
            true => self.make_bitmap(bits),
            false => self.make_gaps(),
        }
        out.reserve(len);
        out.extend_from_slice(floor.as_bytes());
        out.extend_from_slice(&self.tier);
        out.push(b'"');
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(&self.docs);
        out.extend_from_slice(b"\"}");
        true
    }

    /// The lowest worth in the tier (the [`TIER`] postings a one-term query ranks first:
    /// highest worth, then lowest document) and how many postings of that worth it takes, from
    /// the count of each value; `None` when every posting is in it.
    fn tier_edge(&self) -> Option<(u32, u32)> {
        if self.postings.len() <= TIER {
            return None;
        }
        let mut worths = [0u32; 64];
        for (val, &count) in (0u8..).zip(&self.vals) {
            worths[worth(&Posting { doc: 0, val }) as usize] += count;
        }
        let (mut lowest, mut above) = (worths.len() - 1, 0);
        while above + worths[lowest] < TIER as u32 {
            above += worths[lowest];
            lowest -= 1;
        }
        Some((lowest as u32, TIER as u32 - above))
    }

    /// Encodes the tier: the postings above its `lowest` worth and the first `at_lowest` of
    /// that worth, taken in one pass in document order (so unsorted). Returns the best weight
    /// among the others: of the values no posting in the tier has, from their count, and of
    /// the postings of the lowest worth left out.
    fn select(&mut self, lowest: u32, mut at_lowest: u32) -> u32 {
        // 2: above the lowest worth, 1: of it, 0: below it.
        let class: [u8; 64] = std::array::from_fn(|val| {
            let w = worth(&Posting {
                doc: 0,
                val: val as u8,
            });
            u8::from(w >= lowest) + u8::from(w > lowest)
        });
        let outside = (0..64).filter(|&v| class[v] == 0 && self.vals[v] > 0);
        let mut below = outside.map(|v| v as u32 & 31).max().unwrap_or(0);
        let mut next = 0u32;
        self.tier.clear();
        for p in &self.postings {
            match class[usize::from(p.val & 63)] {
                1 if at_lowest == 0 => below = below.max(u32::from(p.val & 31)),
                0 => {}
                class => {
                    at_lowest -= u32::from(class == 1);
                    shard::push_varint(&mut self.tier, p.doc.saturating_sub(next));
                    self.tier.push(ALPHABET[usize::from(p.val & 63)]);
                    next = p.doc.saturating_add(1);
                }
            }
        }
        below
    }

    /// The documents as a bitmap of `len` characters, six documents a character, into `docs`.
    fn make_bitmap(&mut self, len: usize) {
        let first = self.postings[0].doc;
        self.words.clear();
        self.words.resize(len * 6 / 64 + 2, 0);
        for p in &self.postings {
            let at = (p.doc - first) as usize;
            self.words[at >> 6] |= 1 << (at & 63);
        }
        let words = &self.words;
        let six = (0..len).map(|i| {
            let (w, shift) = ((6 * i) >> 6, (6 * i) & 63);
            let bits = words[w] >> shift | words[w + 1] << (63 - shift) << 1;
            ALPHABET[(bits & 63) as usize]
        });
        self.docs.clear();
        self.docs.extend(six);
    }

    /// The bytes [`LongList::make_gaps`] makes.
    fn gaps_len(&self) -> usize {
        let mut next = 0u32;
        let gaps = self.postings.iter().map(|p| {
            let gap = p.doc.saturating_sub(next);
            next = p.doc.saturating_add(1);
            if gap < 32 { 1 } else { varint_len(gap) }
        });
        gaps.sum()
    }

    /// Each document's gap to the one after the one before it, as varints, into `docs`.
    fn make_gaps(&mut self) {
        let mut next = 0u32;
        self.docs.clear();
        for p in &self.postings {
            shard::push_varint(&mut self.docs, p.doc.saturating_sub(next));
            next = p.doc.saturating_add(1);
        }
    }
}

/// The digits [`shard::push_varint`] writes for `n`.
fn varint_len(n: u32) -> usize {
    1 + usize::from(n >= 1 << 5)
        + usize::from(n >= 1 << 10)
        + usize::from(n >= 1 << 15)
        + usize::from(n >= 1 << 20)
        + usize::from(n >= 1 << 25)
        + usize::from(n >= 1 << 30)
}

/// A long list as its own file holds it (plain or tiered), read back as postings: the
/// documents below the tier get the floor value. `None` if it is malformed.
pub fn decode(list: &Value) -> Option<Vec<Posting>> {
    let o = match list {
        Value::String(s) => return shard::decode_postings(s),
        Value::Object(o) => o,
        _ => return None,
    };
    let floor = u8::try_from(o.get("f")?.as_u64()?)
        .ok()
        .filter(|f| *f < 32)?;
    let tier = shard::decode_postings(o.get("v")?.as_str()?)?;
    let docs = match (o.get("g"), o.get("m")) {
        (Some(g), None) => decode_gaps(g.as_str()?)?,
        (None, Some(m)) => decode_bitmap(u32::try_from(o.get("o")?.as_u64()?).ok()?, m.as_str()?)?,
        _ => return None,
    };
    let mut tier = tier.into_iter().peekable();
    let out = docs.into_iter().map(|doc| {
        while tier.next_if(|p| p.doc < doc).is_some() {}
        let val = tier.next_if(|p| p.doc == doc).map_or(floor, |p| p.val);
        Posting { doc, val }
    });
    Some(out.collect())
}

fn decode_gaps(s: &str) -> Option<Vec<u32>> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    let mut next = 0u32;
    while let Some(first) = bytes.next() {
        let mut d = shard::digit(first)?;
        let mut gap = 0u32;
        while d >= 32 {
            gap = gap.checked_mul(32)?.checked_add(d - 32)?;
            d = shard::digit(bytes.next()?)?;
        }
        let doc = next.checked_add(gap.checked_mul(32)?.checked_add(d)?)?;
        out.push(doc);
        next = doc.checked_add(1)?;
    }
    Some(out)
}

fn decode_bitmap(first: u32, s: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    for (i, b) in s.bytes().enumerate() {
        let bits = shard::digit(b)?;
        for j in (0..6).filter(|j| bits >> j & 1 == 1) {
            out.push(first.checked_add(u32::try_from(i * 6 + j).ok()?)?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of `n` postings, one document in `every`, values cycling through 1–31 with
    /// every seventh in the title.
    fn list(n: u32, every: u32) -> Vec<Posting> {
        (0..n)
            .map(|i| Posting {
                doc: 3 + i * every,
                val: (1 + i * 7 % 31) as u8 | if i % 7 == 0 { 32 } else { 0 },
            })
            .collect()
    }

    /// `postings` gathered into `list`, then tiered as [`LongList::push_tiered`] does.
    fn push_tiered(
        out: &mut Vec<u8>,
        postings: &[Posting],
        plain: usize,
        list: &mut LongList,
    ) -> bool {
        gather(postings, list);
        list.push_tiered(out, Some(plain))
    }

    fn gather(postings: &[Posting], list: &mut LongList) {
        list.clear();
        list.extend(postings.iter().map(|p| (p.doc, p.val)));
    }

    fn plain(postings: &[Posting]) -> usize {
        let mut out = Vec::new();
        shard::encode_postings(&mut out, postings.iter().copied());
        out.len() + 2
    }

    fn tiered(postings: &[Posting]) -> Option<Value> {
        let mut out = Vec::new();
        push_tiered(
            &mut out,
            postings,
            plain(postings),
            &mut LongList::default(),
        )
        .then(|| serde_json::from_slice(&out).unwrap())
    }

    #[test]
    fn dense_lists_are_bitmaps_and_sparse_ones_gaps() {
        let dense = tiered(&list(6000, 2)).unwrap();
        assert!(
            dense.get("m").is_some() && dense.get("g").is_none(),
            "{dense:.80}"
        );
        assert_eq!(dense["o"], 3);
        let sparse = tiered(&list(3000, 40)).unwrap();
        assert!(sparse.get("g").is_some() && sparse.get("m").is_none());
        for v in [&dense, &sparse] {
            let tier = shard::decode_postings(v["v"].as_str().unwrap()).unwrap();
            assert_eq!(tier.len(), TIER);
        }
    }

    #[test]
    fn short_lists_stay_plain() {
        assert_eq!(tiered(&list(TIER as u32, 2)), None);
        let mut out = Vec::new();
        assert!(
            !push_tiered(&mut out, &list(2000, 2), 100, &mut LongList::default()),
            "not shorter"
        );
        assert!(out.is_empty());
    }

    #[test]
    fn every_document_comes_back_and_the_tier_with_its_values() {
        for every in [1, 2, 5, 40, 1000] {
            let given = list(3000, every);
            let back = decode(&tiered(&given).unwrap()).unwrap();
            assert_eq!(back.len(), given.len(), "{every}");
            let exact = back.iter().zip(&given).filter(|(b, g)| b == g).count();
            assert!(exact >= TIER, "{every}: {exact}");
            for (b, g) in back.iter().zip(&given) {
                assert_eq!(b.doc, g.doc);
                assert!(
                    b.val == g.val || b.val < 32,
                    "below the tier, never in the title"
                );
            }
        }
    }

    #[test]
    fn the_tier_is_what_a_one_term_query_ranks_first() {
        let given = list(5000, 3);
        let back = decode(&tiered(&given).unwrap()).unwrap();
        let ranked = |l: &[Posting]| {
            let mut by: Vec<(u32, u32)> = l.iter().map(|p| (worth(p), p.doc)).collect();
            by.sort_by_key(|&(w, doc)| (std::cmp::Reverse(w), doc));
            by.into_iter().map(|(_, doc)| doc).collect::<Vec<_>>()
        };
        assert_eq!(ranked(&back)[..TIER], ranked(&given)[..TIER]);
    }

    #[test]
    fn malformed_lists_are_refused() {
        for bad in [
            r#"{"f":3,"v":"00"}"#,
            r#"{"f":40,"v":"00","g":"0"}"#,
            r#"{"f":3,"v":"0","g":"0"}"#,
            r#"{"f":3,"v":"00","g":"W"}"#,
            r#"{"f":3,"v":"00","m":"1"}"#,
            r#"{"f":3,"v":"00","o":4294967295,"m":"3"}"#,
            r#"{"f":3,"v":"00","o":0,"m":"!"}"#,
            r#"{"f":3,"v":"00","g":"0","o":0,"m":"1"}"#,
            "7",
        ] {
            let v: Value = serde_json::from_str(bad).unwrap();
            assert_eq!(decode(&v), None, "{bad}");
        }
        let v: Value = serde_json::from_str(r#"{"f":3,"v":"11","o":5,"m":"3"}"#).unwrap();
        let docs: Vec<u32> = decode(&v).unwrap().iter().map(|p| p.doc).collect();
        assert_eq!(docs, [5, 6]);
    }

    /// The tiered form as it was first written: a selection of the tier by sorting, both
    /// encodings of the documents made and the shorter kept, the whole measured against
    /// `plain` once made.
    fn tiered_by_sorting(postings: &[Posting], plain: usize) -> Option<Vec<u8>> {
        if postings.len() <= TIER {
            return None;
        }
        let mut best: Vec<Posting> = postings.to_vec();
        best.select_nth_unstable_by_key(TIER - 1, |p| (std::cmp::Reverse(worth(p)), p.doc));
        let (tier, rest) = best.split_at_mut(TIER);
        let below = rest.iter().map(|p| u32::from(p.val & 31)).max();
        let lowest = tier.iter().map(worth).min().unwrap_or(1);
        let floor = below.unwrap_or(0).min(lowest.saturating_sub(1));
        tier.sort_unstable_by_key(|p| p.doc);
        let mut json = format!("{{\"f\":{floor},\"v\":\"").into_bytes();
        shard::encode_postings(&mut json, tier.iter().copied());
        json.push(b'"');
        let (mut gaps, mut next) = (Vec::new(), 0);
        for p in postings {
            shard::push_varint(&mut gaps, p.doc - next);
            next = p.doc + 1;
        }
        let first = postings[0].doc;
        let mut bits: Vec<u8> = vec![1];
        for p in &postings[1..] {
            let at = (p.doc - first) as usize;
            if bits.len() <= at / 6 {
                bits.resize(at / 6 + 1, 0);
            }
            bits[at / 6] |= 1 << (at % 6);
        }
        let bits: Vec<u8> = bits.iter().map(|&b| ALPHABET[usize::from(b)]).collect();
        if bits.len() < gaps.len() {
            json.extend_from_slice(format!(",\"o\":{first},\"m\":\"").as_bytes());
            json.extend_from_slice(&bits);
        } else {
            json.extend_from_slice(b",\"g\":\"");
            json.extend_from_slice(&gaps);
        }
        json.extend_from_slice(b"\"}");
        (json.len() < plain).then_some(json)
    }

    /// Lists of every density and spread of values (ties at the tier's edge, titles, long
    /// gaps), each against thresholds around its tiered length: the same bytes, or none, as
    /// the selection by sorting gave.
    #[test]
    fn the_tier_is_chosen_as_a_sort_would_choose_it() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut scratch = LongList::default();
        for case in 0..300 {
            let n = TIER as u64 - 2 + next(4000);
            let (spread, values) = (1 + next([2, 7, 64, 5000][case % 4]), 1 + next(63));
            let mut doc = next(100_000) as u32;
            let list: Vec<Posting> = (0..n)
                .map(|_| {
                    doc += 1 + next(spread) as u32;
                    let val = (1 + next(values)) as u8 & 63;
                    Posting { doc, val }
                })
                .collect();
            let mut own = Vec::new();
            gather(&list, &mut scratch);
            scratch.push_to(&mut own);
            let mut whole = b"\"".to_vec();
            shard::encode_postings(&mut whole, list.iter().copied());
            whole.push(b'"');
            let want = tiered_by_sorting(&list, whole.len()).unwrap_or(whole);
            assert_eq!(own, want, "case {case}: the list as its own file holds it");
            let made = tiered_by_sorting(&list, usize::MAX).map_or(0, |j| j.len());
            for plain in [usize::MAX, made + 1, made, made.saturating_sub(1), 10] {
                let mut out = b"before".to_vec();
                let done = push_tiered(&mut out, &list, plain, &mut scratch);
                let want = tiered_by_sorting(&list, plain);
                assert_eq!(done, want.is_some(), "case {case}, plain {plain}");
                let want = [&b"before"[..], want.as_deref().unwrap_or_default()].concat();
                assert_eq!(out, want, "case {case}, plain {plain}");
            }
        }
    }
}
