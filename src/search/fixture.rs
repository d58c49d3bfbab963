//! Ranking quality on ~30 realistic pages (`tests/fixtures/search/docs.yaml`): for each query
//! in the table, the page that must come first and the pages it must find, asserted on the
//! built index's files.

use serde::Deserialize;

use super::query::Reader;
use super::{SearchDoc, build};

#[derive(Deserialize)]
pub struct Fixture {
    pub queries: Vec<Expect>,
    pub docs: Vec<SearchDoc>,
}

#[derive(Deserialize)]
pub struct Expect {
    pub q: String,
    pub first: Option<String>,
    /// Pages among the results (anywhere, not only on the first page).
    #[serde(default)]
    pub finds: Vec<String>,
}

pub fn fixture() -> Fixture {
    serde_yaml::from_str(include_str!("../../tests/fixtures/search/docs.yaml"))
        .expect("the search fixture parses")
}

/// The first page's URLs and scores, for failure messages.
fn top(r: &Reader, q: &str) -> Vec<String> {
    r.search(q, None)
        .hits
        .iter()
        .filter_map(|h| Some(format!("{} {:.2}", h.doc.as_ref()?.url, h.score)))
        .collect()
}

#[test]
fn every_query_finds_its_page_first() {
    let f = fixture();
    assert!(f.docs.len() >= 30);
    let idx = build(&f.docs);
    assert!(idx.problems().is_empty(), "{:?}", idx.problems());
    let r = Reader::open(idx.files()).unwrap();
    let mut wrong = Vec::new();
    for e in &f.queries {
        let res = r.search(&e.q, None);
        let first = res
            .hits
            .first()
            .and_then(|h| h.doc.as_ref())
            .map(|d| d.url.clone());
        if first != e.first {
            wrong.push(format!(
                "{}: want {:?}, got {:?}",
                e.q,
                e.first,
                top(&r, &e.q)
            ));
        }
        let found: Vec<&str> = res
            .hits
            .iter()
            .map(|h| idx.urls()[h.id as usize].as_str())
            .collect();
        for url in e.finds.iter().filter(|u| !found.contains(&u.as_str())) {
            wrong.push(format!("{}: {url} not found among {found:?}", e.q));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn number_queries_find_document_numbers() {
    let idx = build(&fixture().docs);
    let r = Reader::open(idx.files()).unwrap();
    let urls = |q: &str| -> Vec<String> {
        let hits = r.search(q, None).hits;
        hits.iter()
            .filter_map(|h| Some(h.doc.as_ref()?.url.clone()))
            .collect()
    };
    assert!(urls("2024").contains(&"/policies/commercial-bribery-2024/".to_owned()));
    assert_eq!(urls("81234567"), ["/channels/hotline/"]);
    assert_eq!(urls("ＤＲＧ")[0], "/policies/drg-coding-2025/");
}

#[test]
fn one_character_queries_find_every_page_with_it() {
    let f = fixture();
    let idx = build(&f.docs);
    let r = Reader::open(idx.files()).unwrap();
    let want: std::collections::BTreeSet<&str> = (f.docs.iter())
        .filter(|d| d.title.contains('箱') || d.body.contains('箱'))
        .map(|d| d.url.as_str())
        .collect();
    assert!(want.len() >= 2, "the fixture has pages with 箱: {want:?}");
    let hits = r.search("箱", None).hits;
    let found = (hits.iter().filter_map(|h| h.doc.as_ref()))
        .map(|d| d.url.as_str())
        .collect();
    assert_eq!(want, found, "every page with 箱, and no other");
}

/// Prints the first results of every query: `cargo test --lib search::fixture -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_rankings() {
    let f = fixture();
    let idx = build(&f.docs);
    let r = Reader::open(idx.files()).unwrap();
    for e in &f.queries {
        let res = r.search(&e.q, None);
        println!(
            "{} [{} hits, {} B]: {:?}",
            e.q,
            res.hits.len(),
            res.bytes,
            top(&r, &e.q).into_iter().take(4).collect::<Vec<_>>()
        );
    }
}
