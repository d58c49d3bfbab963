//! A generated site of a few thousand items stays light: no page grows with the site, no list
//! page holds more than a page of rows, item pages stay small.

#[path = "../../benches/synth/mod.rs"]
pub mod synth;

use crate::common::snapshot;

/// Rows on one list page (`qinglian::plan::PAGE_SIZE`).
const PAGE_SIZE: usize = qinglian::plan::PAGE_SIZE;

#[test]
fn a_large_site_has_small_pages_and_short_lists() {
    let dir = tempfile::tempdir().unwrap();
    synth::write_qinglian(dir.path(), 3000);
    let out = dir.path().join("public");
    let run = crate::common::run(&[
        "build",
        "--root",
        dir.path().to_str().unwrap(),
        "--now",
        "2026-11-23",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = snapshot(&out);
    let mut lists = 0;
    for (path, bytes) in &files {
        let name = path.to_string_lossy();
        if !name.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let is_item = name.contains("/item-");
        let bound = if is_item { 30 * 1024 } else { 64 * 1024 };
        assert!(bytes.len() <= bound, "{name} is {} bytes", bytes.len());
        // The study record is one printed sheet of every module: not a list to page.
        if is_item || name == "modules/record/index.html" {
            continue;
        }
        for folder in ["cases", "policies", "disclosures", "modules", "quizzes"] {
            let rows = html.matches(&format!("href=\"/{folder}/item-")).count();
            assert!(rows <= PAGE_SIZE, "{name} lists {rows} {folder}");
            lists += usize::from(rows > 0);
        }
    }
    assert!(lists > 30, "only {lists} list pages");
    assert!(out.join("cases/page/2/index.html").is_file());
    let menu = std::fs::read_to_string(out.join("index.html")).unwrap();
    let nav = &menu[menu.find("<nav class=\"site-nav\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(
        nav.matches("<li>").count() < 20,
        "the menu lists sections, not every page: {nav}"
    );
}
