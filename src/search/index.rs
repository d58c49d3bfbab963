//! Counting the terms of every document into postings, in parallel. A posting is one `u64`
//! (`tag:2 | term:32 | doc:24 | value:6`): CJK characters and bigrams of the Basic
//! Multilingual Plane are packed into the term bits directly; words and rarer characters are
//! interned, and their ids take the term bits. `terms.rs` turns postings into shard files.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::SearchDoc;
use super::tokenize;
use super::unit::{Numbers, Unit};

/// Documents beyond this many are not indexed (the posting format has 24 bits for them).
pub const MAX_DOCS: usize = 1 << 24;
/// Only this much of a body is indexed (and the rest is reported as a problem).
pub const MAX_INDEXED_BYTES: usize = 256 * 1024;
/// Documents per unit of parallel work.
const CHUNK_DOCS: usize = 256;

/// BM25F: field weights and length normalization for title, headings and body, and `k1`.
const WEIGHT: [f64; 3] = [2.5, 1.5, 1.0];
const B: [f64; 3] = [0.3, 0.3, 0.75];
const K1: f64 = 2.0;

pub use super::posting::{TAG_CHAR, TAG_OTHER, TAG_PAIR, doc_of, key_of, pack, val_of};

/// All postings, in the units of work that produced them, and the interned terms.
pub struct Inverted {
    pub chunks: Vec<Unit>,
    /// Interned terms by id, and the hash of each (which picks its shard).
    pub other_terms: Vec<String>,
    pub other_hash: Vec<u32>,
    pub postings: usize,
}

/// The first `max` bytes of `s`, cut at a character boundary.
pub fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A fast hasher for short strings we wrote ourselves (no untrusted keys: no need for SipHash).
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Interned terms: ids in order of first appearance.
#[derive(Default)]
struct Dict {
    ids: FxMap<String, u32>,
}

impl Dict {
    fn id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(term.to_owned(), id);
        id
    }

    /// The terms by id.
    fn into_terms(self) -> Vec<String> {
        let mut terms = vec![String::new(); self.ids.len()];
        for (term, id) in self.ids {
            terms[id as usize] = term;
        }
        terms
    }
}

/// One unit of work's output: postings, with interned terms under the unit's own ids.
#[derive(Default)]
struct Chunk {
    postings: Vec<u64>,
    dict: Dict,
    /// Postings of interned terms: document, the unit's term id, value.
    others: Vec<(u32, u32, u8)>,
}

/// A unit's output once its terms are listed by its ids.
struct Done {
    /// With interned terms under the unit's ids.
    postings: Unit,
    terms: Vec<String>,
}

/// Inverts `docs` (document `i` gets id `i`), in parallel.
#[cfg(test)]
pub fn invert(docs: &[SearchDoc]) -> Inverted {
    let doc = |i: usize| std::borrow::Cow::Borrowed(&docs[i]);
    invert_units(docs.len(), averages(docs), doc, |_, _| Ok(())).expect("nothing to fail")
}

/// Inverts the documents `doc(0)` to `doc(count - 1)` (document `i` gets id `i`) a unit of
/// [`CHUNK_DOCS`] at a time, in parallel, with `avg` the average field lengths of them all.
/// Each unit's documents are made, counted, handed to `unit_done` with the id of the first,
/// and dropped: on a large site the text of all its pages never exists at once.
pub fn invert_units<'d>(
    count: usize,
    avg: [f64; 3],
    doc: impl Fn(usize) -> Cow<'d, SearchDoc> + Sync,
    unit_done: impl Fn(usize, &[Cow<'d, SearchDoc>]) -> crate::error::Result<()> + Sync,
) -> crate::error::Result<Inverted> {
    let chunks: Vec<Done> = (0..count.div_ceil(CHUNK_DOCS))
        .into_par_iter()
        .with_max_len(1)
        .map_init(Scratch::default, |scratch, n| {
            let first = n * CHUNK_DOCS;
            let part: Vec<Cow<SearchDoc>> =
                (first..count.min(first + CHUNK_DOCS)).map(&doc).collect();
            let bytes: usize = part
                .iter()
                .map(|d| d.body.len().min(MAX_INDEXED_BYTES))
                .sum();
            let mut chunk = Chunk {
                postings: Vec::with_capacity(bytes / 2),
                ..Chunk::default()
            };
            for (i, d) in part.iter().enumerate() {
                scratch.add_doc(d, (first + i) as u32, &avg, &mut chunk);
            }
            unit_done(first, &part)?;
            drop(part);
            // Interned terms under the unit's own ids until `intern` gives them global ones.
            let others = chunk.others.iter();
            (chunk.postings)
                .extend(others.map(|&(d, t, v)| pack(TAG_OTHER << 32 | u64::from(t), d, v)));
            Ok(Done {
                postings: Unit::of(first as u32, &chunk.postings, &mut scratch.numbers),
                terms: chunk.dict.into_terms(),
            })
        })
        .collect::<crate::error::Result<_>>()?;
    Ok(intern(chunks))
}

/// Gives interned terms global ids (in order of first appearance, unit by unit, so builds
/// are reproducible), in place of each unit's own.
fn intern(mut chunks: Vec<Done>) -> Inverted {
    let mut ids: FxMap<&str, u32> = FxMap::default();
    let mut first: Vec<(usize, usize)> = Vec::new();
    let mut global: Vec<Vec<u32>> = Vec::with_capacity(chunks.len());
    for (c, chunk) in chunks.iter().enumerate() {
        let mut map = Vec::with_capacity(chunk.terms.len());
        for (l, term) in chunk.terms.iter().enumerate() {
            let next = first.len() as u32;
            let id = *ids.entry(term.as_str()).or_insert(next);
            if id == next {
                first.push((c, l));
            }
            map.push(id);
        }
        global.push(map);
    }
    drop(ids);
    let other_terms: Vec<String> = first
        .iter()
        .map(|&(c, l)| std::mem::take(&mut chunks[c].terms[l]))
        .collect();
    let out: Vec<Unit> = chunks
        .into_par_iter()
        .zip(global)
        .map(|(chunk, global)| {
            let mut postings = chunk.postings;
            postings.renumber(TAG_OTHER, &global);
            postings
        })
        .collect();
    let other_hash = other_terms.par_iter().map(|t| tokenize::hash(t)).collect();
    let postings = out.iter().map(Unit::len).sum();
    Inverted {
        chunks: out,
        other_terms,
        other_hash,
        postings,
    }
}

/// The average byte length of title, headings and body over all documents.
#[cfg(test)]
fn averages(docs: &[SearchDoc]) -> [f64; 3] {
    averages_of(docs.iter().map(lengths))
}

/// The average of field lengths (see [`lengths`]).
pub fn averages_of(lengths: impl ExactSizeIterator<Item = [f64; 3]>) -> [f64; 3] {
    let n = lengths.len().max(1) as f64;
    let mut sum = [0f64; 3];
    for len in lengths {
        for f in 0..3 {
            sum[f] += len[f];
        }
    }
    sum.map(|s| s / n)
}

/// The byte lengths of a document's title, headings and (indexed part of its) body.
pub fn lengths(d: &SearchDoc) -> [f64; 3] {
    let headings: usize = d.headings.iter().map(String::len).sum();
    let body = d.body.len().min(MAX_INDEXED_BYTES);
    [d.title.len() as f64, headings as f64, body as f64]
}

/// The value of a term in a document from its counts per field: the BM25F saturation
/// `tf / (tf + k1)` scaled to 1–31, plus 32 when the term is in the title.
fn value(counts: [u16; 3], norms: [f64; 3]) -> u8 {
    let tf: f64 = (0..3)
        .map(|f| WEIGHT[f] * f64::from(counts[f]) * norms[f])
        .sum();
    let q = (tf / (tf + K1) * 31.0).ceil().clamp(1.0, 31.0) as u8;
    q | if counts[0] > 0 { 32 } else { 0 }
}

/// A per-thread scratch space, reused for every document: counts per field of each BMP
/// character (a direct table) and of each BMP bigram `a << 16 | b` (open addressing, never
/// 0), with the lists of those seen; interned terms in a short list. The counts of a
/// character or bigram are [`Counts`].
#[derive(Default)]
struct Scratch {
    chars: Vec<Counts>,
    /// The characters seen, in the first `chars_len` places (room for a whole document).
    chars_seen: Vec<u16>,
    chars_len: usize,
    pairs: Vec<Slot>,
    pairs_seen: Vec<u32>,
    shift: u32,
    /// Words and rarer characters: the chunk's term id and counts, in order of appearance,
    /// and where each id is in that list.
    others: Vec<(u32, [u16; 3])>,
    others_at: FxMap<u32, usize>,
    word: String,
    /// The characters in `word`.
    word_chars: usize,
    /// The table that groups a unit's postings by term.
    numbers: Numbers,
}

/// A bigram's slot: its key (0: empty) and its counts. Eight bytes, so a page's table stays
/// in the first-level cache.
#[derive(Clone, Copy, Default)]
struct Slot {
    key: u32,
    counts: Counts,
}

/// A term's count in each field, a byte each (title, headings, body from the low byte up),
/// saturating at 255: BM25 has saturated long before. One word, so a new term is one test.
type Counts = u32;

/// `counts` with one more in field `F`.
#[inline(always)]
fn bump<const F: usize>(counts: Counts) -> Counts {
    let full = (counts >> (8 * F)) & 0xFF == 0xFF;
    counts + if full { 0 } else { 1 << (8 * F) }
}

/// The counts, a number a field.
fn unpack(counts: Counts) -> [u16; 3] {
    [0, 8, 16].map(|shift| (counts >> shift & 0xFF) as u16)
}

impl Scratch {
    fn add_doc(&mut self, d: &SearchDoc, id: u32, avg: &[f64; 3], chunk: &mut Chunk) {
        let body = cut(&d.body, MAX_INDEXED_BYTES);
        self.reset(d.title.len() + d.headings.iter().map(String::len).sum::<usize>() + body.len());
        self.feed(&d.title, 0, &mut chunk.dict);
        for h in &d.headings {
            self.feed(h, 1, &mut chunk.dict);
        }
        self.feed(body, 2, &mut chunk.dict);
        let len = lengths(d);
        let norms: [f64; 3] = std::array::from_fn(|f| {
            if avg[f] > 0.0 {
                1.0 / (1.0 - B[f] + B[f] * len[f] / avg[f])
            } else {
                1.0
            }
        });
        // Most terms occur a few times in the body only: their values come from a table.
        let body_only: [u8; 8] = std::array::from_fn(|n| value([0, 0, n as u16], norms));
        let val = |c: Counts| match c & !(7 << 16) {
            0 => body_only[(c >> 16) as usize],
            _ => value(unpack(c), norms),
        };
        // Extended from slices, the list makes room once for each.
        let chars = &mut self.chars;
        let seen = self.chars_seen[..self.chars_len].iter();
        chunk.postings.extend(seen.map(|&c| {
            let counts = std::mem::take(&mut chars[usize::from(c)]);
            pack(TAG_CHAR << 32 | u64::from(c), id, val(counts))
        }));
        let pairs = &self.pairs;
        chunk.postings.extend(self.pairs_seen.iter().map(|&i| {
            let slot = pairs[i as usize];
            pack(TAG_PAIR << 32 | u64::from(slot.key), id, val(slot.counts))
        }));
        for &(term, counts) in &self.others {
            chunk.others.push((id, term, value(counts, norms)));
        }
    }

    /// Empties the tables and makes room for the bigrams of `bytes` bytes of text: a CJK
    /// character takes three bytes and starts at most one bigram, so `bytes` slots keep the
    /// table at most a third full.
    fn reset(&mut self, bytes: usize) {
        if self.chars.is_empty() {
            self.chars = vec![0; 1 << 16];
        }
        self.chars_len = 0;
        if self.chars_seen.len() < bytes / 3 + 1 {
            self.chars_seen.resize(bytes / 3 + 1, 0);
        }
        for &slot in &self.pairs_seen {
            self.pairs[slot as usize].key = 0;
        }
        self.pairs_seen.clear();
        self.others.clear();
        self.others_at.clear();
        let need = (bytes + 64).next_power_of_two();
        if need > self.pairs.len() {
            self.pairs = vec![Slot::default(); need];
            self.shift = 32 - need.trailing_zeros();
        }
    }

    /// Counts the terms of `text` in `field`: the same terms as [`tokenize::index_terms`]
    /// (a test checks it), without building the runs.
    fn feed(&mut self, text: &str, field: usize, dict: &mut Dict) {
        match field {
            0 => self.feed_in::<0>(text, dict),
            1 => self.feed_in::<1>(text, dict),
            _ => self.feed_in::<2>(text, dict),
        }
    }

    /// [`Scratch::feed`] in field `F`, with the common ideographs read straight from their
    /// three bytes ([`common_ideograph`]) and ASCII classed by itself; every other character is
    /// decoded and classed. The previous character of a CJK run is `prev` (0: none).
    fn feed_in<const F: usize>(&mut self, text: &str, dict: &mut Dict) {
        let bytes = text.as_bytes();
        let (mut prev, mut at) = (0u32, 0);
        while let Some(&lead) = bytes.get(at) {
            if let Some(u) = common_ideograph(lead, bytes, at) {
                self.end_word(F, dict);
                self.add_char::<F>(u, dict);
                self.add_pair::<F>(prev, u, dict);
                (at, prev) = self.ideograph_run::<F>(bytes, at + 3, u as u16);
                continue;
            }
            let (c, class, len) = match lead {
                0..0x80 => (char::from(lead.to_ascii_lowercase()), ascii_class(lead), 1),
                _ => {
                    let c = three_bytes(lead, bytes, at)
                        .or_else(|| text.get(at..).and_then(|t| t.chars().next()))
                        .unwrap_or(' ');
                    let (folded, class) = tokenize::fold_class(c);
                    (folded, class, c.len_utf8())
                }
            };
            at += len;
            let before = std::mem::replace(&mut prev, 0);
            match class {
                tokenize::Class::Cjk => {
                    self.end_word(F, dict);
                    self.add_char::<F>(c as u32, dict);
                    self.add_pair::<F>(before, c as u32, dict);
                    prev = c as u32;
                }
                tokenize::Class::Word => {
                    if self.word.len() < 4 * tokenize::MAX_WORD
                        && self.word_chars < tokenize::MAX_WORD
                    {
                        self.word.push(c);
                        self.word_chars += 1;
                    }
                }
                tokenize::Class::Sep => self.end_word(F, dict),
            }
        }
        self.end_word(F, dict);
    }

    /// Counts the word read so far, if any. Called at every ideograph: inlined, with the
    /// counting itself out of line.
    #[inline(always)]
    fn end_word(&mut self, field: usize, dict: &mut Dict) {
        if !self.word.is_empty() {
            self.count_word(field, dict);
        }
    }

    fn count_word(&mut self, field: usize, dict: &mut Dict) {
        let id = dict.id(&self.word);
        self.add_other(id, field);
        self.word.clear();
        self.word_chars = 0;
    }

    /// Counts the rest of a run of common ideographs, from `at` on, after `last`: each
    /// character and its bigram with the one before, with no other test in the loop. Gives
    /// where the run ends and its last character.
    #[inline(always)]
    fn ideograph_run<const F: usize>(
        &mut self,
        bytes: &[u8],
        mut at: usize,
        mut last: u16,
    ) -> (usize, u32) {
        while let Some(u) = bytes
            .get(at)
            .and_then(|&lead| common_ideograph(lead, bytes, at))
        {
            let u = u as u16;
            self.add_bmp_char::<F>(u);
            self.add::<F>(u32::from(last) << 16 | u32::from(u));
            last = u;
            at += 3;
        }
        (at, u32::from(last))
    }

    /// Counts the CJK character `c`.
    #[inline(always)]
    fn add_char<const F: usize>(&mut self, c: u32, dict: &mut Dict) {
        match u16::try_from(c) {
            Ok(u) => self.add_bmp_char::<F>(u),
            Err(_) => self.add_other(dict.id(&string_of(&[c])), F),
        }
    }

    /// Counts the CJK character `u` of the Basic Multilingual Plane.
    #[inline(always)]
    fn add_bmp_char<const F: usize>(&mut self, u: u16) {
        // Without a branch: the list always takes the character, and keeps it if new.
        let counts = &mut self.chars[usize::from(u)];
        let fresh = *counts == 0;
        *counts = bump::<F>(*counts);
        match self.chars_seen.get_mut(self.chars_len) {
            Some(at) => *at = u,
            None => self.chars_seen.push(u),
        }
        self.chars_len += usize::from(fresh);
    }

    /// Counts the CJK bigram of `a` and `b`, when `a` is a character (not 0).
    #[inline(always)]
    fn add_pair<const F: usize>(&mut self, a: u32, b: u32, dict: &mut Dict) {
        match (a, u16::try_from(a), u16::try_from(b)) {
            (0, _, _) => {}
            (_, Ok(a), Ok(b)) => self.add::<F>(u32::from(a) << 16 | u32::from(b)),
            _ => self.add_other(dict.id(&string_of(&[a, b])), F),
        }
    }

    fn add_other(&mut self, term: u32, field: usize) {
        let at = *self.others_at.entry(term).or_insert_with(|| {
            self.others.push((term, [0; 3]));
            self.others.len() - 1
        });
        let c = &mut self.others[at].1[field];
        *c = c.saturating_add(1);
    }

    /// Counts bigram `key` (never 0) in `field`; [`Scratch::reset`] made sure there is room.
    #[inline(always)]
    fn add<const F: usize>(&mut self, key: u32) {
        let mask = self.pairs.len() - 1;
        let mut i = (key.wrapping_mul(0x9E37_79B1) >> self.shift) as usize;
        loop {
            let slot = &mut self.pairs[i];
            if slot.key == key {
                slot.counts = bump::<F>(slot.counts);
                return;
            }
            if slot.key == 0 {
                slot.key = key;
                slot.counts = 1 << (8 * F);
                self.pairs_seen.push(i as u32);
                return;
            }
            i = (i + 1) & mask;
        }
    }
}

/// The character at `at`, led by the byte `lead`, when it is an ideograph of U+4E00–U+9FFF
/// (most of a Chinese text): three bytes led by E4–E9 that decode to U+4E00 or more.
#[inline(always)]
fn common_ideograph(lead: u8, bytes: &[u8], at: usize) -> Option<u32> {
    if !(0xE4..=0xE9).contains(&lead) {
        return None;
    }
    three_byte_code(lead, bytes, at).filter(|&u| u >= 0x4E00)
}

/// The character at `at` when the byte `lead` there starts a three-byte one (U+0800–U+FFFF:
/// CJK punctuation, full-width forms), decoded from its bytes; `None` for any other.
#[inline(always)]
fn three_bytes(lead: u8, bytes: &[u8], at: usize) -> Option<char> {
    if lead & 0xF0 != 0xE0 {
        return None;
    }
    three_byte_code(lead, bytes, at).and_then(char::from_u32)
}

/// The code point of the three-byte UTF-8 sequence at `at` (`lead` its first byte, which the
/// caller has checked leads one; the text is a `str`, so the rest is well formed).
#[inline(always)]
fn three_byte_code(lead: u8, bytes: &[u8], at: usize) -> Option<u32> {
    let &[_, b1, b2] = bytes.get(at..at + 3)? else {
        return None;
    };
    Some(u32::from(lead & 0x0F) << 12 | u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F))
}

/// [`tokenize::class`] of an ASCII byte (folded, as the tokenizer folds it, to lower case).
#[inline(always)]
fn ascii_class(b: u8) -> tokenize::Class {
    match b.is_ascii_alphanumeric() {
        true => tokenize::Class::Word,
        false => tokenize::Class::Sep,
    }
}

/// The characters of `codes` (CJK characters) as a string.
fn string_of(codes: &[u32]) -> String {
    codes.iter().filter_map(|&c| char::from_u32(c)).collect()
}

#[cfg(test)]
mod tests {
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

    /// Term text -> postings, from the packed form.
    fn terms(inv: &Inverted) -> FxMap<String, Vec<(u32, u8)>> {
        let mut all: FxMap<String, Vec<(u32, u8)>> = FxMap::default();
        for p in inv.chunks.iter().flat_map(Unit::iter) {
            let key = key_of(p);
            let text = match key >> 32 {
                TAG_CHAR => char::from_u32(key as u32).unwrap().to_string(),
                TAG_PAIR => [key as u32 >> 16, key as u32 & 0xFFFF]
                    .iter()
                    .map(|&u| char::from_u32(u).unwrap())
                    .collect(),
                _ => inv.other_terms[key as u32 as usize].clone(),
            };
            all.entry(text).or_default().push((doc_of(p), val_of(p)));
        }
        all
    }

    #[test]
    fn counting_sees_the_terms_the_tokenizer_names() {
        // Ideographs at both ends of the common block (一, 鿿), rarer ones on each side of it
        // (㶵 U+4DB5, 𠀀), hangul, and characters just outside (ꀀ U+A000, ䷀ U+4DC0).
        let text = "收受“红包”DRG付费，ＡＢＣ１２３　𠀀𠀁字 café-x 㶵一鿿㶵 𠀀一𠀀 한국ꀀ一 ䷀一"
            .repeat(3)
            + &"w".repeat(40);
        let mut scratch = Scratch::default();
        let mut dict = Dict::default();
        scratch.reset(text.len());
        scratch.feed(&text, 2, &mut dict);
        let mut counted: Vec<(String, u16)> = Vec::new();
        for &c in &scratch.chars_seen[..scratch.chars_len] {
            let n = unpack(scratch.chars[usize::from(c)])[2];
            counted.push((char::from_u32(u32::from(c)).unwrap().to_string(), n));
        }
        for &i in &scratch.pairs_seen {
            let s = scratch.pairs[i as usize];
            let pair = [s.key >> 16, s.key & 0xFFFF].map(|u| char::from_u32(u).unwrap());
            counted.push((pair.iter().collect(), unpack(s.counts)[2]));
        }
        let terms = dict.into_terms();
        for &(id, c) in &scratch.others {
            counted.push((terms[id as usize].clone(), c[2]));
        }
        counted.sort();
        let mut want: Vec<(String, u16)> = Vec::new();
        for t in tokenize::index_terms(&text) {
            match want.iter_mut().find(|(w, _)| *w == t) {
                Some((_, n)) => *n += 1,
                None => want.push((t, 1)),
            }
        }
        want.sort();
        assert_eq!(counted, want);
    }

    #[test]
    fn postings_name_documents_and_title_terms() {
        let docs = [doc("红包", "收受红包 DRG 𠀀𠀁"), doc("回扣", "回扣 drg")];
        let all = terms(&invert(&docs));
        assert_eq!(all["drg"].iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(all["𠀀𠀁"].len(), 1);
        assert_eq!(all["红包"][0].1 & 32, 32, "in the title");
        assert_eq!(all["回扣"][0].0, 1);
    }

    #[test]
    fn title_weighs_more_than_body() {
        let docs = [doc("红包", "其他内容"), doc("其他", "内容里有红包")];
        let all = terms(&invert(&docs));
        let list = &all["红包"];
        assert!(list[0].1 & 31 > list[1].1 & 31, "{list:?}");
    }

    #[test]
    fn interned_ids_follow_document_order() {
        let docs: Vec<SearchDoc> = (0..600)
            .map(|i| doc(&format!("t{i}"), &format!("w{} x{}", i % 7, i % 3)))
            .collect();
        let a = invert(&docs);
        let b = invert(&docs);
        assert_eq!(a.other_terms, b.other_terms);
        assert_eq!(a.chunks, b.chunks);
        assert_eq!(a.other_terms[..3], ["t0", "w0", "x0"]);
    }

    #[test]
    fn values_stay_in_range() {
        for counts in [[0, 0, 1], [u16::MAX; 3], [1, 0, 0], [0, 0, 0]] {
            for norm in [0.01, 1.0, 100.0] {
                let v = value(counts, [norm; 3]);
                assert!((1..=31).contains(&(v & 31)), "{counts:?} {v}");
            }
        }
    }
}
