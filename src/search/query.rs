//! Querying a built index from its files, step for step as `search.js` does it (keep the two
//! in step): tokens → their shards → posting lists → intersection → BM25 score with a title
//! bonus → the first page's documents → exact-phrase bonus → the first page re-sorted.

use std::collections::HashMap;

use serde_json::Value;

use super::shard::{self, Posting};
use super::{tier, tokenize};

/// Results shown at once; only their document files are loaded.
pub const PAGE: usize = 10;
/// The queries whose cost the benchmark prints and a test bounds (issue 29): a word in many
/// titles, a word only in titles, two four-character phrases of three pairs each, a word on
/// nearly every page, a Latin word.
pub const MEASURED: [&str; 6] = ["红包", "回扣", "举报电话", "过度诊疗", "廉洁", "DRG"];
pub use super::shard::TITLE_BONUS;
/// Added (times the summed idf) on the first page when the phrase is in the title…
pub const PHRASE_TITLE: f64 = 10.0;
/// …or else in the stored text.
pub const PHRASE_TEXT: f64 = 3.0;

/// A built index, read from its files.
pub struct Reader<'a> {
    files: HashMap<&'a str, &'a [u8]>,
    docs: u32,
    shards: u32,
    kinds: Vec<(String, u32, u32)>,
    /// The size of the meta file.
    meta_bytes: usize,
}

/// A document file's contents.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub url: String,
    pub title: String,
    pub date: Option<String>,
    pub text: String,
}

/// One match. `doc` is loaded for the first page only.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: u32,
    pub kind: String,
    pub score: f64,
    pub doc: Option<Doc>,
}

/// The matches of a query, best first, and the files the query loaded (meta, term shards and
/// the first page's documents) with their bytes, as the browser would fetch them (not
/// counting `search.js`).
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub bytes: usize,
    /// The paths of the files loaded, in order.
    pub files: Vec<String>,
}

impl<'a> Reader<'a> {
    /// Reads `search/meta.js` (or `meta.json`) among `files`; `None` if it is missing or not an
    /// index.
    pub fn open(files: &'a [(String, Vec<u8>)]) -> Option<Reader<'a>> {
        let files: HashMap<&str, &[u8]> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let mut r = Reader {
            files,
            docs: 0,
            shards: 1,
            kinds: Vec::new(),
            meta_bytes: 0,
        };
        let (meta, size, _) = r.load("meta")?;
        if meta["v"].as_u64()? != u64::from(shard::VERSION) {
            return None;
        }
        r.meta_bytes = size;
        r.docs = u32::try_from(meta["n"].as_u64()?).ok()?;
        r.shards = u32::try_from(meta["s"].as_u64()?).ok()?.max(1);
        r.kinds = meta["k"]
            .as_array()?
            .iter()
            .filter_map(|k| {
                Some((
                    k[0].as_str()?.to_owned(),
                    k[1].as_u64()? as u32,
                    k[2].as_u64()? as u32,
                ))
            })
            .collect();
        Some(r)
    }

    /// The payload of the file registering `name` (in either published form), its size in
    /// bytes and its path.
    fn load(&self, name: &str) -> Option<(Value, usize, String)> {
        let script = shard::path_of(name);
        let (json, size, path) = match self.files.get(script.as_str()) {
            Some(bytes) => (shard::unwrap(bytes)?.1, bytes.len(), script),
            None => {
                let path = shard::Form::Data.path(&script);
                let bytes = self.files.get(path.as_str())?;
                (std::str::from_utf8(bytes).ok()?, bytes.len(), path)
            }
        };
        Some((serde_json::from_str(json).ok()?, size, path))
    }

    /// Loads `name` into `loaded` (once), counting its bytes; `Null` when it cannot be read.
    fn fetch<'l>(&self, name: &str, loaded: &'l mut Loaded) -> &'l Value {
        if !loaded.values.contains_key(name) {
            let value = match self.load(name) {
                Some((value, size, path)) => {
                    loaded.bytes += size;
                    loaded.files.push(path);
                    value
                }
                None => Value::Null,
            };
            loaded.values.insert(name.to_owned(), value);
        }
        &loaded.values[name]
    }

    /// The kind of document `id`, from the kind ranges.
    pub fn kind_of(&self, id: u32) -> &str {
        self.kinds
            .iter()
            .find(|(_, start, end)| (*start..*end).contains(&id))
            .map_or("page", |(k, _, _)| k.as_str())
    }

    /// Searches, optionally within one kind.
    pub fn search(&self, query: &str, kind: Option<&str>) -> Results {
        let mut loaded = Loaded {
            bytes: self.meta_bytes,
            ..Loaded::default()
        };
        let tokens = tokenize::query_tokens(query);
        let mut lists = Vec::with_capacity(tokens.len());
        for t in &tokens {
            let name = format!("t{}", shard::shard_of_hash(tokenize::hash(t), self.shards));
            let mut entry = self.fetch(&name, &mut loaded)[t].clone();
            if let Some(k) = entry.as_u64() {
                // A long list, in a file of its own.
                entry = self.fetch(&format!("{name}_{k}"), &mut loaded).clone();
            }
            lists.push(tier::decode(&entry).unwrap_or_default());
        }
        let mut hits = self.rank(&lists, kind);
        self.first_page(&mut hits, &tokenize::phrase(query), &lists, &mut loaded);
        Results {
            hits,
            bytes: loaded.bytes,
            files: loaded.files,
        }
    }

    /// Documents holding every token, scored and sorted.
    fn rank(&self, lists: &[Vec<Posting>], kind: Option<&str>) -> Vec<Hit> {
        if lists.is_empty() || lists.iter().any(Vec::is_empty) {
            return Vec::new();
        }
        let idf: Vec<f64> = lists.iter().map(|l| self.idf(l.len())).collect();
        let mut order: Vec<usize> = (0..lists.len()).collect();
        order.sort_by_key(|&i| (lists[i].len(), i));
        let first = order[0];
        let mut cand: Vec<(u32, f64, usize)> = lists[first]
            .iter()
            .map(|p| {
                (
                    p.doc,
                    idf[first] * f64::from(p.val & 31),
                    usize::from(p.val >= 32),
                )
            })
            .collect();
        for &i in &order[1..] {
            cand = intersect(&cand, &lists[i], idf[i]);
        }
        let sum_idf: f64 = idf.iter().sum();
        let mut hits: Vec<Hit> = cand
            .into_iter()
            .map(|(id, score, in_title)| Hit {
                id,
                kind: self.kind_of(id).to_owned(),
                score: if in_title == lists.len() {
                    score + TITLE_BONUS * sum_idf
                } else {
                    score
                },
                doc: None,
            })
            .filter(|h| kind.is_none_or(|k| h.kind == k))
            .collect();
        sort(&mut hits);
        hits
    }

    fn idf(&self, df: usize) -> f64 {
        let (n, df) = (f64::from(self.docs), df as f64);
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// Loads the first page's documents, adds the phrase bonus and re-sorts the page.
    fn first_page(
        &self,
        hits: &mut [Hit],
        phrase: &str,
        lists: &[Vec<Posting>],
        loaded: &mut Loaded,
    ) {
        let sum_idf: f64 = lists.iter().map(|l| self.idf(l.len())).sum();
        let page = hits.len().min(PAGE);
        for hit in &mut hits[..page] {
            let v = self.fetch(&format!("d{}", hit.id), loaded);
            if v.is_null() {
                continue;
            }
            let text = |k: &str| v[k].as_str().unwrap_or("").to_owned();
            let doc = Doc {
                url: text("u"),
                title: text("t"),
                date: v["d"].as_str().map(str::to_owned),
                text: text("x"),
            };
            if !phrase.is_empty() && tokenize::fold_text(&doc.title).contains(phrase) {
                hit.score += PHRASE_TITLE * sum_idf;
            } else if !phrase.is_empty() && tokenize::fold_text(&doc.text).contains(phrase) {
                hit.score += PHRASE_TEXT * sum_idf;
            }
            hit.doc = Some(doc);
        }
        sort(&mut hits[..page]);
    }
}

/// The files a query has loaded, by name, with their bytes and paths.
#[derive(Default)]
struct Loaded {
    values: HashMap<String, Value>,
    bytes: usize,
    files: Vec<String>,
}

/// The bytes a browser loads for each of `queries` on the index `files`: the search page's
/// script (`script` bytes) and every file [`Reader::search`] loads for the first page of
/// results. Empty when `files` is not an index.
pub fn bytes_per_query(files: &[(String, Vec<u8>)], script: usize, queries: &[&str]) -> Vec<usize> {
    let Some(reader) = Reader::open(files) else {
        return Vec::new();
    };
    queries
        .iter()
        .map(|q| script + reader.search(q, None).bytes)
        .collect()
}

/// The median of `bytes` (of an even count, the greater of the two middle ones), 0 if empty.
pub fn median(bytes: &[usize]) -> usize {
    let mut sorted = bytes.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied().unwrap_or(0)
}

/// Keeps the candidates that are in `list`, adding its score and title count.
fn intersect(cand: &[(u32, f64, usize)], list: &[Posting], idf: f64) -> Vec<(u32, f64, usize)> {
    let mut out = Vec::with_capacity(cand.len().min(list.len()));
    let mut j = 0;
    for &(doc, score, titles) in cand {
        while j < list.len() && list[j].doc < doc {
            j += 1;
        }
        if let Some(p) = list.get(j).filter(|p| p.doc == doc) {
            out.push((
                doc,
                score + idf * f64::from(p.val & 31),
                titles + usize::from(p.val >= 32),
            ));
        }
    }
    out
}

/// Best score first; equal scores by document id.
fn sort(hits: &mut [Hit]) {
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
}

#[cfg(test)]
mod tests {
    use super::super::{SearchDoc, build};
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

    fn urls(r: &Results) -> Vec<&str> {
        r.hits
            .iter()
            .filter_map(|h| Some(h.doc.as_ref()?.url.as_str()))
            .collect()
    }

    #[test]
    fn substrings_of_two_characters_match() {
        let idx = build(&[
            doc("/a/", "page", "说明", "这是一段简单的话"),
            doc("/b/", "page", "别的", "简单"),
        ]);
        let r = Reader::open(idx.files()).unwrap();
        assert_eq!(urls(&r.search("段简", None)), ["/a/"]);
        assert_eq!(urls(&r.search("一段简单", None)), ["/a/"]);
        assert_eq!(urls(&r.search("简单", None)).len(), 2);
        assert!(
            r.search("简单一段", None).hits.is_empty(),
            "一段 is there, 单一 is not"
        );
    }

    #[test]
    fn kind_filter_and_kind_ranges() {
        let idx = build(&[
            doc("/c/", "case", "红包案", "红包"),
            doc("/p/", "principle", "不收红包", "红包"),
        ]);
        let r = Reader::open(idx.files()).unwrap();
        assert_eq!(r.search("红包", None).hits.len(), 2);
        let cases = r.search("红包", Some("case"));
        assert_eq!(urls(&cases), ["/c/"]);
        assert_eq!(cases.hits[0].kind, "case");
    }

    #[test]
    fn long_lists_are_read_from_their_own_files() {
        let docs: Vec<SearchDoc> = (0..2000)
            .map(|i| {
                doc(
                    &format!("/{i}/"),
                    "page",
                    &format!("第{i}页"),
                    if i == 7 {
                        "常见词 罕见词"
                    } else {
                        "常见词"
                    },
                )
            })
            .collect();
        let idx = build(&docs);
        assert!(idx.files().iter().any(|(p, _)| p.contains('_')));
        let r = Reader::open(idx.files()).unwrap();
        assert_eq!(r.search("常见", None).hits.len(), 2000);
        assert_eq!(urls(&r.search("罕见 常见", None)), ["/7/"]);
    }

    #[test]
    fn garbage_files_and_queries_do_not_panic() {
        let files = vec![
            (
                "search/meta.js".to_owned(),
                b"QL_SEARCH.add(\"meta\",{\"v\":3,\"n\":5,\"s\":2,\"k\":[[\"x\",0,9]]});".to_vec(),
            ),
            (
                "search/t/0.js".to_owned(),
                b"QL_SEARCH.add(\"t0\",{\"a\":\"!!\",\"b\":7});".to_vec(),
            ),
            ("search/t/1.js".to_owned(), b"nonsense".to_vec()),
        ];
        let r = Reader::open(&files).unwrap();
        for q in ["a", "b", "红包", "", "  ", "\u{0}", "a b 红包 c"] {
            let _ = r.search(q, None);
        }
        assert!(Reader::open(&files[1..]).is_none());
    }
}
