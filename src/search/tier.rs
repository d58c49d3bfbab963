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

/// Appends the tiered form of `postings` (documents ascending) when it is shorter than
/// `plain` bytes, the list's plain encoding; returns whether it did.
pub fn push_tiered(out: &mut Vec<u8>, postings: &[Posting], plain: usize) -> bool {
    if postings.len() <= TIER {
        return false;
    }
    let mut best: Vec<Posting> = postings.to_vec();
    let key = |p: &Posting| (std::cmp::Reverse(worth(p)), p.doc);
    best.select_nth_unstable_by_key(TIER - 1, key);
    let (tier, rest) = best.split_at_mut(TIER);
    let floor = floor(tier, rest);
    tier.sort_unstable_by_key(|p| p.doc);
    let mut json = format!("{{\"f\":{floor},\"v\":\"").into_bytes();
    shard::encode_postings(&mut json, tier.iter().copied());
    json.push(b'"');
    let docs = postings.iter().map(|p| p.doc);
    let (gaps, bits) = (gaps(docs.clone()), bitmap(docs));
    match (gaps, bits) {
        (g, Some((first, m))) if m.len() < g.len() => {
            json.extend_from_slice(format!(",\"o\":{first},\"m\":\"").as_bytes());
            json.extend_from_slice(&m);
        }
        (g, _) => {
            json.extend_from_slice(b",\"g\":\"");
            json.extend_from_slice(&g);
        }
    }
    json.extend_from_slice(b"\"}");
    if json.len() >= plain {
        return false;
    }
    out.extend_from_slice(&json);
    true
}

/// The weight the postings below the tier count at: the best weight among them, but below
/// the worth of every posting in the tier (so a one-term query ranks the tier first, as the
/// whole list does), and never in the title.
fn floor(tier: &[Posting], rest: &[Posting]) -> u32 {
    let below = rest
        .iter()
        .map(|p| u32::from(p.val & 31))
        .max()
        .unwrap_or(0);
    let lowest = tier.iter().map(worth).min().unwrap_or(1);
    below.min(lowest.saturating_sub(1))
}

/// Each document's gap to the one after the one before it, as varints.
fn gaps(docs: impl Iterator<Item = u32>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut next = 0u32;
    for doc in docs {
        shard::push_varint(&mut out, doc.saturating_sub(next));
        next = doc.saturating_add(1);
    }
    out
}

/// The documents as a bitmap from the first: six a character. `None` when there are none.
fn bitmap(mut docs: impl Iterator<Item = u32>) -> Option<(u32, Vec<u8>)> {
    let first = docs.next()?;
    let mut bits: Vec<u8> = vec![1];
    for doc in docs {
        let at = (doc - first) as usize;
        if bits.len() <= at / 6 {
            bits.resize(at / 6 + 1, 0);
        }
        bits[at / 6] |= 1 << (at % 6);
    }
    Some((
        first,
        bits.iter().map(|&b| ALPHABET[usize::from(b)]).collect(),
    ))
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

    fn plain(postings: &[Posting]) -> usize {
        let mut out = Vec::new();
        shard::encode_postings(&mut out, postings.iter().copied());
        out.len() + 2
    }

    fn tiered(postings: &[Posting]) -> Option<Value> {
        let mut out = Vec::new();
        push_tiered(&mut out, postings, plain(postings))
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
        assert!(!push_tiered(&mut out, &list(2000, 2), 100), "not shorter");
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
}
