//! Shared helpers for integration tests: fixture sites in temp folders and the built binary.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A site folder in a temp dir, deleted when dropped.
pub struct Site {
    pub dir: tempfile::TempDir,
    root: PathBuf,
}

/// What a run of the binary printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub const SITE_YAML: &str =
    "title: 测试站点\nhospital: 测试医院\nbase_url: https://example.test/\n";

impl Site {
    /// An empty site with only `content/site.yaml`.
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        Site::at(dir, root)
    }

    /// Like [`Site::small`], but in `site/` inside a temp folder of its own, so the site's
    /// parent folder belongs to the test too ([`Site::outer`]).
    pub fn small_nested() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        let nested = Site::at(dir, root);
        let small = Site::small();
        for (rel, bytes) in snapshot(small.root()) {
            nested.write_bytes(rel.to_str().unwrap(), &bytes);
        }
        nested
    }

    fn at(dir: tempfile::TempDir, root: PathBuf) -> Site {
        let site = Site { dir, root };
        site.write("content/site.yaml", SITE_YAML);
        site
    }

    /// The temp folder that holds the site (the root itself unless nested).
    pub fn outer(&self) -> &Path {
        self.dir.path()
    }

    /// A small site with one item of each kind, cross-linked.
    pub fn small() -> Site {
        let site = Site::new();
        site.write(
            "content/_index.md",
            "---\ntitle: 首页\n---\n廉洁从业，从我做起。\n",
        );
        site.write("content/principles/08.md", "---\ntitle: 共建和谐关系，不收受患方“红包”\nnumber: 8\nsummary: 不收红包。\n---\n## 条文释义\n\n见[案例](@/cases/2024/red.md)。\n");
        site.write(
            "content/principles/09.md",
            "---\ntitle: 恪守交往底线，不收受企业回扣\nnumber: 9\n---\n正文\n",
        );
        site.write("content/policies/old.md", "---\ntitle: 旧办法\nstatus: 已废止\nsuperseded_by: policies/new\ndoc_no: 测〔2019〕1号\n---\n旧文\n");
        site.write(
            "content/policies/new.md",
            "---\ntitle: 新办法\ndoc_no: 测〔2024〕2号\nissued: 2024-01-02\n---\n新文\n",
        );
        site.write("content/cases/2024/red.md", "---\ntitle: 收受红包案\ndate: 2024-05-06\nsubject: 王某\nprinciples: [8]\namount: 5000\nsanctions:\n  - {kind: 党纪处分, level: 警告, authority: 院纪委, date: 2024-05-06}\norigin: 本院\n---\n案情。\n");
        site.write(
            "content/channels/hotline.md",
            "---\ntitle: 举报电话\nkind: phone\nvalue: 0000-81234567\nanonymous: true\n---\n",
        );
        site.write("content/disclosures/d1.md", "---\ntitle: 整改公示\ncategory: 整改公示\ndate: 2025-01-01\nitems:\n  - {problem: 问题, status: 已完成}\n  - {problem: 问题二, status: open}\n---\n");
        site.write("content/modules/m1.md", "---\ntitle: 模块一\norder: 1\nprinciples: [8]\nreadings: [principles/08, cases/2024/red]\n---\n学习。\n");
        site.write("content/pages/about.md", "---\ntitle: 关于本站\n---\n见[第八条](@/principles/08.md)与[公开](@/disclosures/_index.md)。\n");
        site
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Renames a file or folder of the site, as an editor or a file manager would.
    pub fn rename(&self, from: &str, to: &str) {
        std::fs::rename(self.path(from), self.path(to)).unwrap();
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Runs `qinglian <args> --root <site>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root().to_str().unwrap().to_owned();
        all.extend(["--root", &root]);
        run(&all)
    }

    pub fn build(&self) -> Run {
        self.run(&["build", "--now", "2026-11-23"])
    }

    pub fn check(&self) -> Run {
        self.run(&["check", "--now", "2026-11-23"])
    }
}

pub fn run(args: &[&str]) -> Run {
    run_in(Path::new("."), args)
}

/// Runs `qinglian <args>` with `dir` as the current folder.
/// Messages are asked for in English (`--lang en`) unless the test names a language.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut all: Vec<&str> = args.to_vec();
    if !args.iter().any(|a| a.starts_with("--lang")) {
        all.push("--lang");
        all.push("en");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_qinglian"))
        .args(&all)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run qinglian");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every file under `dir` with its bytes, for before/after comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Every entry under `dir` (files, folders, links), for "nothing was created" checks.
pub fn entries(dir: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// Asserts that every `src`/`href` in the HTML and CSS under `dir` stays inside the site.
pub fn assert_no_external_requests(dir: &Path, allowed_prefix: &str) {
    for (path, bytes) in snapshot(dir) {
        let name = path.to_string_lossy().into_owned();
        if !(name.ends_with(".html") || name.ends_with(".css") || name.ends_with(".js")) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        for attr in ["src=\"", "href=\"", "url(", "@import"] {
            for (i, _) in text.match_indices(attr) {
                let value: String = text[i + attr.len()..]
                    .chars()
                    .take_while(|c| *c != '"' && *c != ')')
                    .collect();
                let external = value.starts_with("//")
                    || value.starts_with("http://")
                    || value.starts_with("https://");
                let allowed = value.starts_with(allowed_prefix) || is_link_out(&text[..i]);
                assert!(!external || allowed, "{name} loads {value}");
            }
        }
    }
}

/// `<a href>` and `<link rel="canonical">` are navigation, not requests; anything else loads.
fn is_link_out(before: &str) -> bool {
    let tag_start = before.rfind('<').map_or("", |i| &before[i..]);
    tag_start.starts_with("<a ") || tag_start.contains("rel=\"canonical\"")
}

/// A small deterministic generator (the benchmark's), so randomized tests reproduce from a
/// seed.
pub use crate::scale::synth::Lcg;

/// How long a randomized test runs: the seconds the variable `var` says (for long runs),
/// else `count` rounds.
pub fn budget(var: &str, count: usize) -> (Option<std::time::Duration>, usize) {
    match std::env::var(var).ok().and_then(|s| s.parse().ok()) {
        Some(secs) => (Some(std::time::Duration::from_secs(secs)), usize::MAX),
        None => (None, count),
    }
}
