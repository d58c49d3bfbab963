//! Bad input never panics: every example file, cut and spliced with awkward characters, goes
//! through parse, link and render without a panic (mistakes become diagnostics).

use std::sync::Arc;

use qinglian::frontmatter::{Audience, Date};
use qinglian::{config, kinds, render, site, source};

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

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

#[test]
fn mutated_example_files_never_panic() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let content = repo.join("content");
    let site_yaml = std::fs::read_to_string(content.join("site.yaml")).unwrap();
    let config = config::parse(Some(&("content/site.yaml".into(), site_yaml))).unwrap();
    let theme = render::Theme::load(std::path::Path::new("/nonexistent"), "default").unwrap();
    let renderer = render::prepare(theme, "zh-CN")
        .map_err(|d| format!("{d:?}"))
        .unwrap();
    let mut rng = Lcg(0x5eed);
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry
            .path()
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with(".md") {
            files.push((rel, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    assert!(files.len() > 40);
    let mut runs = 0;
    for (rel, text) in &files {
        for _ in 0..60 {
            let bytes = mutate(text, &mut rng);
            let loaded: Vec<Arc<source::SourceFile>> = match source::split(rel.clone(), &bytes) {
                Ok(file) => vec![Arc::new(file)],
                Err(_) => continue,
            };
            let (parsed, _) = kinds::parse(&loaded);
            let options = site::Options {
                today: Date::parse("2026-11-23").unwrap(),
                drafts: rng.next(2) == 0,
                audience: Audience::Staff,
                base_url: None,
            };
            let (site, _) = site::link(&config, parsed, Vec::new(), options);
            let discard = |_: &str, _: &[u8]| Ok(());
            render::render_all(&site, &renderer, &discard).unwrap();
            let _ = qinglian::privacy::lint(&site);
            runs += 1;
        }
    }
    assert!(runs > 800, "only {runs} runs");
}
