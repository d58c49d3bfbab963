//! Bad input never panics: every example file, cut and spliced with awkward characters, goes
//! through parse, link and render without a panic (mistakes become diagnostics).

use std::sync::Arc;

use qinglian::types::{Audience, Date};
use qinglian::{config, kinds, render, site, source};

pub(crate) use crate::common::Lcg;

const SPLICES: &[&str] = &[
    "：",
    "\u{0}",
    "【",
    "】",
    "\n---\n",
    "\n",
    "@/",
    "（ ）",
    "## ",
    "答案：",
    "A. ",
    "\r",
    "😀",
    "[x](@/",
    "]",
    "`",
    "- ",
    ": ",
    "\t",
    "\u{FEFF}",
    "依据：@/nowhere.md\n",
    "principles: [0]\n",
    "slug: ../..\n",
    "date: 2024-02-30\n",
];

fn mutate(text: &str, rng: &mut Lcg) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    match rng.next(3) {
        0 => bytes.truncate(rng.next(bytes.len() + 1)),
        1 => {
            let at = rng.next(bytes.len() + 1);
            let splice = SPLICES[rng.next(SPLICES.len())].as_bytes();
            bytes.splice(at..at, splice.iter().copied());
        }
        _ => {
            let at = rng.next(bytes.len().max(1));
            if at < bytes.len() {
                bytes[at] = rng.next(256) as u8;
            }
        }
    }
    bytes
}

/// How long to fuzz: `QINGLIAN_FUZZ_SECONDS` (for long runs), else a bounded count of inputs.
pub(crate) fn budget() -> (Option<std::time::Duration>, usize) {
    match std::env::var("QINGLIAN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(secs) => (Some(std::time::Duration::from_secs(secs)), usize::MAX),
        None => (None, 60),
    }
}

/// The generator's seed: `QINGLIAN_FUZZ_SEED`, else a fixed one.
pub(crate) fn seed() -> u64 {
    std::env::var("QINGLIAN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed)
}

fn example_files(content: &std::path::Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry
            .path()
            .strip_prefix(content)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with(".md") {
            files.push((rel, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    files.sort();
    files
}

/// Runs every stage after load over `sources`, rendering every planned output.
fn all_stages(
    config: &config::LoadedConfig,
    renderer: &mut render::Renderer,
    sources: &[Arc<source::SourceFile>],
    drafts: bool,
) {
    let (parsed, _) = kinds::parse(sources);
    let options = site::Options {
        units: Default::default(),
        today: Date::parse("2026-11-23").unwrap(),
        drafts,
        audience: Audience::Staff,
        base_url: None,
        relative: drafts,
    };
    let (linked, _) = site::link(config, parsed, &[], options);
    let (bodies, _) = qinglian::bodies::render(&linked, &Default::default(), true);
    let site = qinglian::built::Site::new(linked, std::sync::Arc::new(bodies));
    let _ = qinglian::lint::run(&site);
    let (plan, _) = qinglian::plan::plan(&site, &renderer.theme);
    let view = render::SiteView::of(&site, &renderer.strings);
    renderer.set_layout(&view);
    let env = render::Env {
        r: renderer,
        view: &view,
    };
    for p in &plan {
        if let Err(d) = render::render(&env, &site, &p.output, true) {
            panic!("a template failed on mutated input: {d:?}");
        }
    }
}

/// Bad input never panics: every example file, cut and spliced with awkward characters, goes
/// through every stage. The front matter splitter and parser and the quiz line parser see
/// every mutation. Set `QINGLIAN_FUZZ_SECONDS` to run for that long (it prints the count).
#[test]
fn mutated_example_files_never_panic() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let content = repo.join("content");
    let site_yaml = std::fs::read_to_string(content.join("site.yaml")).unwrap();
    let config = config::parse(Some(&("content/site.yaml".into(), site_yaml))).unwrap();
    let theme = render::Theme::load(std::path::Path::new("/nonexistent"), "default").unwrap();
    let mut renderer = render::prepare(theme, "zh-CN")
        .map_err(|d| format!("{d:?}"))
        .unwrap();
    let files = example_files(&content);
    assert!(files.len() > 40);
    let whole: Vec<Arc<source::SourceFile>> = files
        .iter()
        .map(|(rel, text)| Arc::new(source::split(rel.clone(), text.as_bytes()).unwrap()))
        .collect();
    let (deadline, rounds) = crate::common::budget("QINGLIAN_FUZZ_SECONDS", 60);
    let started = std::time::Instant::now();
    let mut rng = Lcg(seed());
    let mut runs = 0usize;
    'outer: for round in 0..rounds {
        for (i, (rel, text)) in files.iter().enumerate() {
            if deadline.is_some_and(|d| started.elapsed() > d) {
                break 'outer;
            }
            let bytes = mutate(text, &mut rng);
            let Ok(file) = source::split(rel.clone(), bytes.as_slice()) else {
                continue;
            };
            let mut sources = if round % 10 == 0 {
                whole.clone()
            } else {
                Vec::new()
            };
            match sources.get_mut(i) {
                Some(slot) => *slot = Arc::new(file),
                None => sources.push(Arc::new(file)),
            }
            all_stages(&config, &mut renderer, &sources, rng.next(2) == 0);
            runs += 1;
        }
    }
    eprintln!(
        "no_panic: {runs} mutated inputs through every stage in {:.1?}",
        started.elapsed()
    );
    assert!(runs > 800 || deadline.is_some(), "only {runs} runs");
}

/// What people type into the search box, and worse: full-width and CJK text, control and
/// format characters, combining marks, emoji sequences, operators other engines know.
const QUERY_SPLICES: &[&str] = &[
    "红包",
    "〔２０２４〕１２号",
    "\u{0}",
    "\u{FEFF}",
    "\u{301}",
    "\u{202E}",
    "👨\u{200D}👩\u{200D}👧",
    "\u{10FFFF}",
    "\"",
    "*",
    "AND",
    "-",
    "||",
    "  \t\n ",
    "%",
    "&",
    "<b>",
    "\\",
    "ＤＲＧ",
    "ß",
    "İ",
    "ﬁ",
    "\u{3000}",
    "·",
    "—",
    "0000-81234567",
    "__proto__",
    "hasOwnProperty",
];

fn mutate_query(query: &str, rng: &mut Lcg) -> String {
    let mut chars: Vec<char> = query.chars().collect();
    match rng.next(5) {
        0 => chars.truncate(rng.next(chars.len() + 1)),
        1 | 2 => {
            let at = rng.next(chars.len() + 1);
            let splice = QUERY_SPLICES[rng.next(QUERY_SPLICES.len())];
            chars.splice(at..at, splice.chars());
        }
        3 => {
            let at = rng.next(chars.len() + 1);
            let c = char::from_u32(rng.next(0x11_0000) as u32).unwrap_or('\u{FFFD}');
            chars.insert(at, c);
        }
        _ => {
            // Now and then up to 100,000 characters: a whole page pasted into the box.
            let times = 1 + rng.next(3000);
            let most = if rng.next(10) == 0 { 100_000 } else { 2_000 };
            let len = (chars.len() * times).min(most);
            chars = chars.iter().cycle().take(len).copied().collect();
        }
    }
    chars.into_iter().collect()
}

/// What the user types into the search box never panics the query parser or the reader:
/// the search fixture's queries, cut, spliced with awkward text and repeated thousands of
/// times, searched in every kind. Results are sorted, within the index, filtered by kind,
/// the first page's documents loaded, and the same twice. `QINGLIAN_FUZZ_SECONDS` runs it
/// for that long (it prints the count).
#[test]
fn mutated_search_queries_never_panic() {
    use qinglian::search::{self, query::Reader, tokenize};
    #[derive(serde::Deserialize)]
    struct Fixture {
        queries: Vec<serde_yaml::Value>,
        docs: Vec<search::SearchDoc>,
    }
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(repo.join("tests/fixtures/search/docs.yaml")).unwrap();
    let fixture: Fixture = serde_yaml::from_str(&text).unwrap();
    let files = search::build(&fixture.docs).into_files();
    let reader = Reader::open(&files).unwrap();
    let queries: Vec<String> = (fixture.queries.iter())
        .filter_map(|q| q["q"].as_str().map(str::to_owned))
        .collect();
    let kinds = [
        None,
        Some("principle"),
        Some("case"),
        Some("quiz"),
        Some("无此类"),
    ];
    let (deadline, rounds) = budget();
    let started = std::time::Instant::now();
    let mut rng = Lcg(seed());
    let mut runs = 0usize;
    let mut longest = 0usize;
    while runs < rounds.saturating_mul(5) && deadline.is_none_or(|d| started.elapsed() < d) {
        let base = &queries[rng.next(queries.len())];
        let mut query = mutate_query(base, &mut rng);
        for _ in 0..rng.next(3) {
            query = mutate_query(&query, &mut rng);
        }
        longest = longest.max(query.len());
        let tokens = tokenize::query_tokens(&query);
        assert!(tokens.len() <= tokenize::MAX_QUERY_TOKENS, "{query:?}");
        let phrase = tokenize::phrase(&query);
        assert!(!phrase.starts_with(' ') && !phrase.ends_with(' ') && !phrase.contains("  "));
        let kind = kinds[rng.next(kinds.len())];
        let found = reader.search(&query, kind);
        let hits = &found.hits;
        for pair in hits.windows(2) {
            assert!(pair[0].score >= pair[1].score, "{query:?}: not sorted");
        }
        for (i, hit) in hits.iter().enumerate() {
            assert!(hit.score.is_finite(), "{query:?}: {hit:?}");
            assert!((hit.id as usize) < fixture.docs.len(), "{query:?}: {hit:?}");
            assert!(kind.is_none_or(|k| hit.kind == k), "{query:?}: {hit:?}");
            assert_eq!(
                hit.doc.is_some(),
                i < qinglian::search::query::PAGE,
                "{query:?}"
            );
        }
        assert_eq!(reader.search(&query, kind).hits, found.hits, "{query:?}");
        runs += 1;
    }
    eprintln!(
        "no_panic: {runs} mutated queries (up to {longest} bytes) searched in {:.1?}",
        started.elapsed()
    );
    assert!(runs >= 300 || deadline.is_some(), "only {runs} runs");
}
