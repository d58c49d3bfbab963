//! The floor of a build: what any generator of these pages must do at least. It reads every
//! Markdown file of a generated site, renders its body with pulldown-cmark and writes it as
//! `<path>/index.html`, in parallel, with no front matter read, no template, no list, no
//! search index and no check. The benchmark times it as a process of its own, beside ours.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// The variable that makes the benchmark's binary build the floor of `args[1]` into `args[2]`
/// instead of benchmarking.
pub const MODE: &str = "QINGLIAN_BENCH_FLOOR";

/// Builds the floor of the site at `root` into `out`.
pub fn build(root: &Path, out: &Path) {
    let content = root.join("content");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.par_iter().with_max_len(32).for_each(|file| {
        let rel = file.strip_prefix(&content).expect("under content");
        page(file, &out.join(rel.with_extension("")));
    });
}

/// Renders one Markdown file's body into `dir/index.html`.
fn page(file: &Path, dir: &Path) {
    let text = std::fs::read_to_string(file).expect("read a generated page");
    let body = match text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
    {
        Some((_, body)) => body,
        None => &text,
    };
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
    std::fs::create_dir_all(dir).expect("make a page's folder");
    std::fs::write(dir.join("index.html"), html).expect("write a page");
}
