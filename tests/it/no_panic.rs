//! Bad input never panics: every example file, cut and spliced with awkward characters, goes
//! through parse, link and render without a panic (mistakes become diagnostics).

use std::sync::Arc;

use qinglian::types::{Audience, Date};
use qinglian::{config, kinds, render, site, source};

use crate::common::Lcg;

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
        today: Date::parse("2026-11-23").unwrap(),
        drafts,
        audience: Audience::Staff,
        base_url: None,
        relative: drafts,
    };
    let (mut site, _) = site::link(config, parsed, &[], options);
    let (bodies, _) = qinglian::bodies::render(&site, &Default::default());
    site.bodies = std::sync::Arc::new(bodies);
    let _ = qinglian::lint::run(&site);
    let (plan, _) = qinglian::plan::plan(&site, &renderer.theme);
    let view = render::SiteView::of(&site, &renderer.strings);
    renderer.set_layout(&view);
    let env = render::Env {
        site: &site,
        r: renderer,
        view: &view,
    };
    for p in &plan {
        if let Err(d) = render::render(&env, &p.output, true) {
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
    let seed = std::env::var("QINGLIAN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed);
    let mut rng = Lcg(seed);
    let mut runs = 0usize;
    'outer: for round in 0..rounds {
        for (i, (rel, text)) in files.iter().enumerate() {
            if deadline.is_some_and(|d| started.elapsed() > d) {
                break 'outer;
            }
            let bytes = mutate(text, &mut rng);
            let Ok(file) = source::split(rel.clone(), &bytes) else {
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
