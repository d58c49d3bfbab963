//! Site search: an index built from the published pages into small `.js` shards that
//! `search.js` loads with `<script>` tags, so search works over http under any subpath and
//! from a shared folder opened by double-click (file://), on IE11 as on phones.
//!
//! # Using it (the integrator's side)
//!
//! ```ignore
//! let docs: Vec<SearchDoc> = site.pages().map(|p| {
//!     let x = search::plain_text(&p.html);
//!     SearchDoc { url, kind, title, headings: x.headings, body: facts + &x.text, date }
//! }).collect();
//! let index = search::build(&docs);
//! report(index.problems());                            // as build warnings
//! index.check_published(|url| written.contains(url))?; // in tests at least
//! for (path, bytes) in index.into_files() { sink(&path, &bytes)?; }
//! // and search/index.html from templates/search.html, with `search_json` = page_data(…)
//! ```
//!
//! **Pass only what this build publishes.** Take the documents from the linked site's
//! published pages (after audience, drafts and schedule are applied), never from parsed
//! items: whatever is passed here becomes readable text in `search/d/*.js`. The index keeps
//! the URL of every document ([`SearchIndex::urls`]) and [`SearchIndex::check_published`]
//! names every URL that is not a page of the build, so a test (or the build itself) can prove
//! nothing unpublished got in. Documents that cannot be indexed correctly are not dropped
//! silently: each is named in [`SearchIndex::problems`].
//!
//! `url` is the link the search page puts in a result, as it must be written on the search
//! page itself (`/base/cases/x/`, or `../cases/x/index.html` in a `--relative` build, where the
//! search page is `search/index.html`). `body` is plain text ([`plain_text`] of the rendered
//! body), never HTML; facts that live in front matter and not in the body (a policy's `doc_no`,
//! a channel's number and hours, a case's unit and lessons) are only found if they are put in
//! the title, headings or body text.
//!
//! # Ranking
//!
//! Every query token (a CJK bigram, a lone CJK character, a word) must be in a document.
//! Each posting carries the term's BM25F weight in the document (title 2.5, headings 1.5,
//! body 1, length-normalized, saturated with k1 = 2, quantized to 1–31) and whether the term
//! is in the title; the score is the sum of idf × weight, plus 10 × Σidf when every token is
//! in the title, plus (among the ten shown) 10 × Σidf when the whole query is in the title or
//! 3 × Σidf when it is in the stored text.
//!
//! # Files
//!
//! What a query loads stays small at any size of site (about 29 KB at 10,000 pages with the
//! script, under 50 KB at 100,000): the term files of its tokens and one small file for each
//! result shown.
//!
//! `search/meta.js` (format version, document count, shard count, each kind's range of
//! document ids), `search/t/<n>.js` (the posting lists of the terms whose hash falls in shard
//! `n`; a list longer than 1 KB is in `search/t/<n>_<k>.js` and the shard holds `k`; such a
//! list is kept [tiered](tier) when that is shorter: every document, and the values of only
//! the best postings), `search/d/<i / 1000>/<i % 1000>.js` (document `i` alone: url, title,
//! date and the first 500 characters of its text, from which the result's snippet is cut).
//! Each calls `QL_SEARCH.add(name, payload)`. [`query`] reads them back and ranks exactly as
//! the script does, so the ranking is tested on the built files.

pub mod index;
pub mod posting;
pub mod query;
pub mod shard;
pub mod terms;
pub mod text;
pub mod tier;
pub mod tokenize;
pub mod unit;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod measure;

use std::borrow::Cow;

use serde::Deserialize;

pub use text::{Extract, Lengths, measure, plain_text};

/// One published page, as the search index sees it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchDoc {
    /// The result link, exactly as written on the search page (see the module docs).
    pub url: String,
    /// A kind token: one of [`kinds`] (others are accepted if they are `[a-z][a-z0-9-]*`).
    pub kind: String,
    pub title: String,
    /// The body's h1–h6 texts.
    #[serde(default)]
    pub headings: Vec<String>,
    /// The body as plain text.
    #[serde(default)]
    pub body: String,
    /// `YYYY-MM-DD`, shown beside the result.
    #[serde(default)]
    pub date: Option<String>,
}

/// The kinds in the order results group by (the script shows the kind filters in this
/// order): the registry's.
pub fn kinds() -> impl Iterator<Item = &'static str> {
    crate::kinds::Kind::ALL.iter().map(|k| k.name())
}

/// The stored start of each body, from which the script cuts a snippet around a match.
pub const EXCERPT_CHARS: usize = 500;
/// The size a term shard aims at on average: a query loads a whole shard for each of its
/// tokens (most of it other terms), so small, but not so small that a site has thousands.
pub const TARGET_SHARD_BYTES: usize = 2500;

/// A built index: its files, the URLs it holds and what could not be indexed as given.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    files: Vec<(String, Vec<u8>)>,
    urls: Vec<String>,
    problems: Vec<String>,
    stats: Stats,
}

/// Figures about an index, for measurements and logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub docs: usize,
    pub postings: usize,
    pub term_shards: usize,
    /// Bytes of all files together.
    pub bytes: usize,
}

impl SearchIndex {
    /// The files to write, by path relative to the site output (`search/meta.js`, …).
    pub fn files(&self) -> &[(String, Vec<u8>)] {
        &self.files
    }

    /// The files, without copying them.
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        self.files
    }

    /// The URL of every indexed document, in document-id order.
    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    /// Documents that were not indexed, or not as given, each with the reason.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// `Err` with every indexed URL for which `is_published` says no.
    pub fn check_published(&self, is_published: impl Fn(&str) -> bool) -> Result<(), Vec<String>> {
        let stray: Vec<String> = self
            .urls
            .iter()
            .filter(|u| !is_published(u))
            .cloned()
            .collect();
        if stray.is_empty() { Ok(()) } else { Err(stray) }
    }
}

/// Builds the index of `docs` (see the module docs for what to pass). Never panics; documents
/// that cannot be indexed as given are listed in [`SearchIndex::problems`].
#[must_use]
pub fn build(docs: &[SearchDoc]) -> SearchIndex {
    let (mut files, built) = build_collected(docs.to_vec());
    files.sort_unstable_by_key(|(path, _)| file_order(path));
    SearchIndex {
        files,
        urls: built.urls,
        problems: built.problems,
        stats: built.stats,
    }
}

/// Like [`build`], taking the documents and keeping the files in the order they were made.
pub fn build_collected(docs: Vec<SearchDoc>) -> (Vec<(String, Vec<u8>)>, Built) {
    let (files, built) = collecting(|emit| build_into(docs, emit));
    // Collecting never fails.
    (files, built.unwrap_or_default())
}

/// Runs `make` with an [`Emit`] that keeps every file: the files, and what `make` returned.
pub(crate) fn collecting<R>(make: impl FnOnce(&Emit) -> R) -> (Vec<(String, Vec<u8>)>, R) {
    use std::sync::{Mutex, PoisonError};
    let files = Mutex::new(Vec::new());
    let collect = |path: String, bytes: Vec<u8>| {
        let mut files = files.lock().unwrap_or_else(PoisonError::into_inner);
        files.push((path, bytes));
        Ok(())
    };
    let made = make(&collect);
    (
        files.into_inner().unwrap_or_else(PoisonError::into_inner),
        made,
    )
}

/// Where an index hands each file it makes (path relative to the site output, bytes), from
/// several threads at once.
pub type Emit<'a> = dyn Fn(String, Vec<u8>) -> crate::error::Result<()> + Sync + 'a;

/// What [`build_into`] reports once every file is handed over.
#[derive(Debug, Clone, Default)]
pub struct Built {
    /// The URL of every indexed document, in document-id order.
    pub urls: Vec<String>,
    pub problems: Vec<String>,
    pub stats: Stats,
}

/// Where an index takes its documents from: how many there are, and document `i`. Each is
/// asked for twice, once to check, measure and order them all (as an [`Outline`] when the
/// source can tell one) and once to index them a unit at a time, so a source that makes them
/// as asked (as a build does, from the rendered bodies) never holds the text of all its pages
/// at once.
pub trait Docs: Sync {
    fn count(&self) -> usize;
    fn doc(&self, i: usize) -> Cow<'_, SearchDoc>;

    /// Document `i` as the first pass sees it, when that can be told without making the
    /// document (its text measured, not made); `None` makes it.
    fn outline(&self, _i: usize) -> Option<Outline> {
        None
    }
}

/// What the first pass needs of a document whose body has no `<` and is no longer than
/// [`index::MAX_INDEXED_BYTES`] (a body with either is checked, so its document is made).
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    pub url: String,
    pub kind: String,
    /// The title is empty once trimmed.
    pub title_blank: bool,
    /// Bytes of the title, of all headings and of the body.
    pub lengths: [usize; 3],
}

impl Outline {
    /// The outline of a made document (for tests of sources that tell outlines).
    #[cfg(test)]
    pub fn of(d: &SearchDoc) -> Outline {
        Outline {
            url: d.url.clone(),
            kind: d.kind.clone(),
            title_blank: d.title.trim().is_empty(),
            lengths: index::lengths(d).map(|l| l as usize),
        }
    }
}

impl<D: Docs + ?Sized> Docs for &D {
    fn count(&self) -> usize {
        (**self).count()
    }

    fn doc(&self, i: usize) -> Cow<'_, SearchDoc> {
        (**self).doc(i)
    }
}

impl Docs for Vec<SearchDoc> {
    fn count(&self) -> usize {
        self.len()
    }

    fn doc(&self, i: usize) -> Cow<'_, SearchDoc> {
        Cow::Borrowed(&self[i])
    }
}

/// Like [`build`], handing each file to `emit` as soon as it is made instead of keeping them:
/// each unit's document files as its terms are counted, then the term shards. A unit's
/// documents are dropped once counted, so a large site's index never holds its text, its
/// postings and its files all at once.
pub fn build_into(docs: impl Docs, emit: &Emit) -> crate::error::Result<Built> {
    use rayon::prelude::*;
    let bytes = std::sync::atomic::AtomicUsize::new(0);
    let counted = |path: String, b: Vec<u8>| {
        bytes.fetch_add(b.len(), std::sync::atomic::Ordering::Relaxed);
        emit(path, b)
    };
    let briefs: Vec<Brief> = (0..docs.count())
        .into_par_iter()
        .with_max_len(crate::types::ITEMS_PER_TASK)
        .map(|i| match docs.outline(i) {
            Some(outline) => Brief::outlined(outline),
            None => Brief::of(&docs.doc(i)),
        })
        .collect();
    let (selected, problems) = select(&briefs);
    let kinds = kind_ranges(&selected);
    let avg = index::averages_of(selected.iter().map(|s| s.brief.lengths));
    let urls: Vec<String> = selected.iter().map(|s| s.brief.url.clone()).collect();
    let order: Vec<usize> = selected.iter().map(|s| s.at).collect();
    drop(selected);
    drop(briefs);
    let doc = |i: usize| docs.doc(order[i]);
    let unit_done = |first: usize, unit: &[Cow<SearchDoc>]| doc_files(first, unit, &counted);
    let inverted = index::invert_units(order.len(), avg, doc, unit_done)?;
    let postings = inverted.postings;
    let shards = terms::term_files(inverted, TARGET_SHARD_BYTES, &counted)?;
    counted(shard::path_of("meta"), meta(urls.len(), &kinds, shards))?;
    let stats = Stats {
        docs: urls.len(),
        postings,
        term_shards: shards as usize,
        bytes: bytes.into_inner(),
    };
    Ok(Built {
        urls,
        problems,
        stats,
    })
}

/// The order [`SearchIndex::files`] lists files in: `meta`, then each term shard followed by
/// its own-file lists, then the document files, each by number.
fn file_order(path: &str) -> (u8, u32, u32) {
    let name = path.trim_start_matches("search/").trim_end_matches(".js");
    let number = |s: &str| s.parse().unwrap_or(u32::MAX);
    match name.split_once('/') {
        Some(("t", rest)) => match rest.split_once('_') {
            Some((n, k)) => (1, number(n), number(k)),
            None => (1, number(rest), 0),
        },
        Some(("d", rest)) => match rest.split_once('/') {
            Some((folder, n)) => (2, number(folder), number(n)),
            None => (2, u32::MAX, 0),
        },
        _ => (0, 0, 0),
    }
}

/// What the first pass keeps of a document: all the index needs of it before its terms are
/// counted (not its text).
struct Brief {
    url: String,
    kind: String,
    /// Title, headings and body lengths, for BM25's averages.
    lengths: [f64; 3],
    checked: Result<Vec<&'static str>, &'static str>,
}

impl Brief {
    fn outlined(o: Outline) -> Brief {
        Brief {
            checked: check_head(&o.url, &o.kind, o.title_blank),
            url: o.url,
            kind: o.kind,
            lengths: o.lengths.map(|l| l as f64),
        }
    }

    fn of(d: &SearchDoc) -> Brief {
        Brief {
            url: d.url.clone(),
            kind: d.kind.clone(),
            lengths: index::lengths(d),
            checked: check(d),
        }
    }
}

/// A document to index and the kind it is indexed as.
struct Selected<'a> {
    brief: &'a Brief,
    /// Its place among the documents given.
    at: usize,
    kind: &'a str,
    /// The kind's place in [`kinds`] (unknown kinds last).
    rank: usize,
}

/// The documents to index, ordered by kind then URL (so each kind is a range of ids), and the
/// problems found on the way.
fn select(docs: &[Brief]) -> (Vec<Selected<'_>>, Vec<String>) {
    use rayon::prelude::*;
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(docs.len());
    for (at, d) in docs.iter().enumerate() {
        match &d.checked {
            Err(why) => problems.push(format!("{:?} not indexed: {why}", d.url)),
            Ok(_) if !seen.insert(d.url.as_str()) => problems.push(format!(
                "{:?} not indexed again: the URL is already indexed",
                d.url
            )),
            Ok(warnings) => {
                problems.extend(warnings.iter().map(|w| format!("{:?}: {w}", d.url)));
                let kind = if valid_kind(&d.kind) {
                    d.kind.as_str()
                } else {
                    "page"
                };
                let rank = kinds().position(|k| k == kind).unwrap_or(usize::MAX);
                out.push(Selected {
                    brief: d,
                    at,
                    kind,
                    rank,
                });
            }
        }
    }
    // URLs are distinct by now, so the order is total.
    out.par_sort_unstable_by(|a, b| {
        (a.rank, a.kind, &a.brief.url).cmp(&(b.rank, b.kind, &b.brief.url))
    });
    if out.len() > index::MAX_DOCS {
        problems.push(format!(
            "{} documents not indexed: at most {} fit",
            out.len() - index::MAX_DOCS,
            index::MAX_DOCS
        ));
        out.truncate(index::MAX_DOCS);
    }
    (out, problems)
}

/// `Err` if the document cannot be indexed; otherwise what is wrong but indexable.
fn check(d: &SearchDoc) -> Result<Vec<&'static str>, &'static str> {
    let mut warnings = check_head(&d.url, &d.kind, d.title.trim().is_empty())?;
    let tags = ["</p>", "<p>", "</div>", "</a>", "<br"];
    if d.body.contains('<') && tags.iter().any(|t| d.body.contains(t)) {
        warnings.push("its body looks like HTML: pass plain_text(html).text");
    }
    if d.body.len() > index::MAX_INDEXED_BYTES {
        warnings.push("its body is longer than 256 KB: only the start is indexed");
    }
    Ok(warnings)
}

/// What [`check`] finds in a document's URL, kind and title.
fn check_head(url: &str, kind: &str, title_blank: bool) -> Result<Vec<&'static str>, &'static str> {
    let url = url.trim().to_ascii_lowercase();
    if url.is_empty() {
        return Err("its URL is empty");
    }
    if ["javascript:", "data:", "vbscript:"]
        .iter()
        .any(|s| url.starts_with(s))
    {
        return Err("its URL is a script, not a page");
    }
    let mut warnings = Vec::new();
    if !valid_kind(kind) {
        warnings.push("unknown kind token, indexed as `page`");
    }
    if title_blank {
        warnings.push("its title is empty");
    }
    Ok(warnings)
}

fn valid_kind(kind: &str) -> bool {
    kind.starts_with(|c: char| c.is_ascii_lowercase())
        && kind
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Each kind's range of document ids, `[kind, first, end)`, of documents ordered by kind.
fn kind_ranges(docs: &[Selected]) -> Vec<(String, usize, usize)> {
    let mut start = 0;
    let mut out = Vec::new();
    for run in docs.chunk_by(|a, b| a.kind == b.kind) {
        out.push((run[0].kind.to_owned(), start, start + run.len()));
        start += run.len();
    }
    out
}

/// `search/meta.js`: format version, document count, shard count, and the id range
/// (`[kind, first, end)`) of each kind.
fn meta(docs: usize, kinds: &[(String, usize, usize)], shards: u32) -> Vec<u8> {
    let mut json = format!(
        "{{\"v\":{},\"n\":{docs},\"s\":{shards},\"k\":[",
        shard::VERSION
    );
    for (i, (kind, first, end)) in kinds.iter().enumerate() {
        let comma = if i > 0 { "," } else { "" };
        let kind = serde_json::to_string(kind).unwrap_or_default();
        json.push_str(&format!("{comma}[{kind},{first},{end}]"));
    }
    json.push_str("]}");
    shard::wrap("meta", &json)
}

/// `search/d/…/<id>.js` for each document: its url, title, date and the start of its body,
/// all a result shows. One file a document, so a query loads exactly what its results show:
/// grouped by id, each result loaded its neighbours' text as well (ten results at 10,000
/// pages loaded 110 KB of it), and no grouping keeps the results of every query together.
fn doc_files(first: usize, docs: &[Cow<SearchDoc>], emit: &Emit) -> crate::error::Result<()> {
    for (i, d) in docs.iter().enumerate() {
        let (name, path) = shard::doc_file((first + i) as u32);
        let mut out = shard::begin(&name, 3 * EXCERPT_CHARS + 200);
        push_doc(&mut out, d);
        emit(path, shard::end(out))?;
    }
    Ok(())
}

fn push_doc(out: &mut Vec<u8>, d: &SearchDoc) {
    let excerpt = first_chars(&d.body, EXCERPT_CHARS);
    let date = d.date.as_deref().map(|date| (&b",\"d\":"[..], date));
    let fields = [
        (&b"{\"u\":"[..], d.url.as_str()),
        (b",\"t\":", &d.title),
        (b",\"x\":", excerpt),
    ];
    for (key, value) in fields.into_iter().chain(date) {
        out.extend_from_slice(key);
        shard::push_json_str(out, value);
    }
    out.push(b'}');
}

/// The first `n` characters of `s`. Characters are counted eight bytes at a time (a byte
/// starts a character unless it is `10xxxxxx`) up to the word that holds the end.
fn first_chars(s: &str, n: usize) -> &str {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = s.as_bytes();
    let (mut at, mut chars) = (0, 0);
    while let Some(word) = bytes.get(at..at + 8) {
        let w = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        // Each byte's top bit set when it starts a character; the product adds them up.
        let starts = (!w | w << 1) & HIGH;
        let count = ((starts >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize;
        if chars + count > n {
            break;
        }
        (at, chars) = (at + 8, chars + count);
    }
    for (i, &b) in bytes.iter().enumerate().skip(at) {
        if b & 0xC0 != 0x80 {
            if chars == n {
                return &s[..i];
            }
            chars += 1;
        }
    }
    s
}

/// The JSON for the search page's `<script type="application/json" id="search-data">`: the
/// interface strings whose keys start with `search.`, without that prefix. Safe inside a
/// `<script>` element (no `<`, `>` or `&`).
pub fn page_data<'a>(strings: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let strings: std::collections::BTreeMap<&str, &str> = strings
        .into_iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("search.")?, v)))
        .collect();
    serde_json::to_string(&serde_json::json!({ "strings": strings }))
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, kind: &str, title: &str, body: &str) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            kind: kind.into(),
            title: title.into(),
            body: body.into(),
            ..SearchDoc::default()
        }
    }

    #[test]
    fn kinds_are_id_ranges_in_a_fixed_order() {
        let idx = build(&[
            doc("/p/", "page", "关于", ""),
            doc("/c/b/", "case", "案例乙", ""),
            doc("/x/", "principle", "准则", ""),
            doc("/c/a/", "case", "案例甲", ""),
        ]);
        assert_eq!(idx.urls(), ["/x/", "/c/a/", "/c/b/", "/p/"]);
        let (_, meta) = shard::unwrap(&idx.files()[0].1).unwrap();
        assert_eq!(
            meta,
            format!(
                "{{\"v\":3,\"n\":4,\"s\":1,\"k\":[[\"principle\",0,1],[\"case\",1,3],[\"page\",3,4]]}}"
            )
        );
    }

    #[test]
    fn problems_are_named_not_swallowed() {
        let idx = build(&[
            doc("", "page", "无地址", ""),
            doc("/a/", "page", "甲", ""),
            doc("/a/", "page", "甲again", ""),
            doc("javascript:alert(1)", "page", "坏", ""),
            doc("/b/", "Bad Kind", "", "<p>HTML</p>"),
        ]);
        assert_eq!(idx.urls(), ["/a/", "/b/"]);
        let all = idx.problems().join("\n");
        for what in [
            "URL is empty",
            "already indexed",
            "a script",
            "unknown kind",
            "title is empty",
            "looks like HTML",
        ] {
            assert!(all.contains(what), "{what} in {all}");
        }
    }

    #[test]
    fn check_published_names_strays() {
        let idx = build(&[
            doc("/a/", "page", "甲", ""),
            doc("/staff/", "page", "内部", ""),
        ]);
        assert_eq!(
            idx.check_published(|u| u == "/a/"),
            Err(vec!["/staff/".to_owned()])
        );
        assert_eq!(idx.check_published(|_| true), Ok(()));
    }

    #[test]
    fn doc_files_hold_the_excerpt() {
        let long = "字".repeat(EXCERPT_CHARS + 50);
        let mut d = doc("/a/", "case", "标题\"引号\"", &long);
        d.date = Some("2024-01-02".into());
        let idx = build(&[d]);
        let (_, bytes) = idx
            .files()
            .iter()
            .find(|(p, _)| p == "search/d/0/0.js")
            .unwrap();
        let (name, json) = shard::unwrap(bytes).unwrap();
        assert_eq!(name, "d0");
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["u"], "/a/");
        assert_eq!(v["t"], "标题\"引号\"");
        assert_eq!(v["d"], "2024-01-02");
        assert_eq!(v["x"].as_str().unwrap().chars().count(), EXCERPT_CHARS);
    }

    /// Each document is a file of its own, in folders of a thousand, and a query loads the
    /// files of the results it shows and no other.
    #[test]
    fn each_document_has_a_file_of_its_own_in_folders_of_a_thousand() {
        let docs: Vec<SearchDoc> = (0..2003)
            .map(|i| {
                let body = if i % 100 == 7 {
                    "正文 罕见"
                } else {
                    "正文"
                };
                doc(&format!("/p{i:04}/"), "page", &format!("第{i}号文件"), body)
            })
            .collect();
        let idx = build(&docs);
        let doc_files: Vec<&str> = (idx.files().iter())
            .filter(|(p, _)| p.starts_with("search/d/"))
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(doc_files.len(), 2003);
        assert_eq!(
            [
                doc_files[0],
                doc_files[999],
                doc_files[1000],
                doc_files[2002]
            ],
            [
                "search/d/0/0.js",
                "search/d/0/999.js",
                "search/d/1/0.js",
                "search/d/2/2.js"
            ]
        );
        let reader = query::Reader::open(idx.files()).unwrap();
        for i in [0, 7, 999, 1000, 2002] {
            let hits = reader.search(&format!("第{i}号"), None).hits;
            let doc = hits[0].doc.as_ref().unwrap();
            assert_eq!(doc.url, format!("/p{i:04}/"));
        }
        let res = reader.search("罕见", None);
        assert_eq!(res.hits.len(), 20);
        let shown: Vec<String> = (res.hits.iter())
            .filter(|h| h.doc.is_some())
            .map(|h| shard::path_of(&format!("d{}", h.id)))
            .collect();
        assert_eq!(shown.len(), query::PAGE);
        let loaded: Vec<&String> = res
            .files
            .iter()
            .filter(|f| f.starts_with("search/d/"))
            .collect();
        assert_eq!(loaded.len(), query::PAGE, "{loaded:?}");
        assert!(loaded.iter().all(|f| shown.contains(f)), "{loaded:?}");
    }

    /// Documents made afresh on each request, as a build makes them from its pages.
    struct Made {
        docs: Vec<SearchDoc>,
        asked: std::sync::atomic::AtomicUsize,
    }

    impl Docs for Made {
        fn count(&self) -> usize {
            self.docs.len()
        }

        fn doc(&self, i: usize) -> Cow<'_, SearchDoc> {
            self.asked
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Cow::Owned(self.docs[i].clone())
        }
    }

    #[test]
    fn documents_made_when_asked_index_as_documents_given() {
        let docs: Vec<SearchDoc> = (0..700)
            .map(|i| {
                let kind = ["case", "policy", "page"][i % 3];
                doc(
                    &format!("/x/{i}/"),
                    kind,
                    &format!("标题{i}"),
                    &format!("正文 红包{}", i % 9),
                )
            })
            .collect();
        let given = build_collected(docs.clone());
        let made = Made {
            docs,
            asked: Default::default(),
        };
        let (files, built) = collecting(|emit| build_into(&made, emit));
        let mut files = files;
        let mut expected = given.0;
        files.sort();
        expected.sort();
        assert_eq!(files, expected);
        assert_eq!(built.unwrap().urls, given.1.urls);
        assert_eq!(
            made.asked.into_inner(),
            2 * 700,
            "each document is made twice"
        );
    }

    #[test]
    fn excerpts_end_where_their_characters_do() {
        let pieces = ["a", "é", "红", "😀", "\u{2028}"];
        for len in 0..300 {
            let s: String = (0..len)
                .map(|i| pieces[(i * 7 + len) % pieces.len()])
                .collect();
            for n in [0, 1, 2, 7, 8, 9, 64, 100, 299, 500] {
                let want = match s.char_indices().nth(n) {
                    Some((end, _)) => &s[..end],
                    None => &s[..],
                };
                assert_eq!(first_chars(&s, n), want, "{s:?} {n}");
            }
        }
    }

    #[test]
    fn an_empty_site_has_a_working_index() {
        let idx = build(&[]);
        assert_eq!(idx.stats().docs, 0);
        assert!(idx.files().iter().any(|(p, _)| p == "search/meta.js"));
        assert!(idx.files().iter().any(|(p, _)| p == "search/t/0.js"));
    }

    /// Strings from a palette of awkward characters, deterministic.
    fn soup(seed: &mut u64, len: usize) -> String {
        const PALETTE: &[&str] = &[
            "红",
            "包",
            "〔",
            "２",
            "Ａ",
            "a",
            "Z",
            "9",
            " ",
            "\u{3000}",
            "\n",
            "\t",
            "\u{0}",
            "\u{1f}",
            "\"",
            "\\",
            "<",
            ">",
            "&",
            "&amp;",
            "&#x",
            ";",
            "\u{2028}",
            "\u{2029}",
            "\u{FEFF}",
            "\u{0301}",
            "𠀀",
            "😀",
            "é",
            "Ω",
            "ж",
            "ー",
            "・",
            "한",
            "\u{FFFD}",
            "\u{10FFFF}",
            "<p>",
        ];
        let mut out = String::new();
        for _ in 0..len {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            out.push_str(PALETTE[(*seed % PALETTE.len() as u64) as usize]);
        }
        out
    }

    #[test]
    fn awkward_input_builds_valid_files_and_never_panics() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let docs: Vec<SearchDoc> = (0..300)
            .map(|i| SearchDoc {
                url: format!("/{i}/{}", soup(&mut seed, 3)),
                kind: ["case", "policy", "", "Weird Kind", "news"][i % 5].into(),
                title: soup(&mut seed, 1 + i % 9),
                headings: vec![soup(&mut seed, 4), plain_text(&soup(&mut seed, 12)).text],
                body: soup(&mut seed, i * 7 % 700),
                date: (i % 3 == 0).then(|| soup(&mut seed, 2)),
            })
            .collect();
        let idx = build(&docs);
        for (path, bytes) in idx.files() {
            let (_, json) = shard::unwrap(bytes).unwrap_or_else(|| panic!("{path} is not a shard"));
            assert!(
                serde_json::from_str::<serde_json::Value>(json).is_ok(),
                "{path}"
            );
            let text = std::str::from_utf8(bytes).unwrap();
            assert!(
                !text.contains('\u{2028}') && !text.contains('\u{2029}'),
                "{path}"
            );
        }
        let reader = query::Reader::open(idx.files()).unwrap();
        for n in 0..300 {
            let q = soup(&mut seed, 1 + n % 6);
            for hit in reader.search(&q, None).hits {
                assert!(hit.doc.is_none() || hit.score.is_finite());
            }
        }
    }

    #[test]
    fn page_data_is_safe_in_a_script_element() {
        let json = page_data([("search.found", "找到 {} 条</script>"), ("other", "x")]);
        assert!(!json.contains('<'));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["strings"]["found"], "找到 {} 条</script>");
        assert!(v["strings"].get("other").is_none());
    }
}
