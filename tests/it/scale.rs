//! A generated site of a few thousand items stays light: no page grows with the site, no list
//! page holds more than a page of rows, item pages stay small; with a hospital group's
//! hundreds of channels and modules, and in a commission's tree, no page is over 300 KB and
//! everything is still reachable.

#[path = "../../benches/synth/mod.rs"]
pub mod synth;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::snapshot;

/// Rows on one list page (`qinglian::plan::PAGE_SIZE`).
const PAGE_SIZE: usize = qinglian::plan::PAGE_SIZE;

#[test]
fn a_large_site_has_small_pages_and_short_lists() {
    let dir = tempfile::tempdir().unwrap();
    synth::write_qinglian(dir.path(), 3000);
    let out = dir.path().join("public");
    let files = build(dir.path());
    let mut lists = 0;
    for (name, bytes) in &files {
        if !name.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let is_item = name.contains("/item-");
        let bound = if is_item { 30 * 1024 } else { 64 * 1024 };
        assert!(bytes.len() <= bound, "{name} is {} bytes", bytes.len());
        if is_item {
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

/// No page of a site, however large the site, is over this.
const PAGE_LIMIT: usize = 300 * 1024;

/// Builds the site (or commission's tree) under `root` into `root/public`; its files by path.
pub fn build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let run = crate::common::run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--now",
        "2026-11-23",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (snapshot(&root.join("public")).into_iter())
        .map(|(path, bytes)| (path.to_string_lossy().replace('\\', "/"), bytes))
        .collect()
}

/// The largest page of `files`, and its size.
fn largest(files: &BTreeMap<String, Vec<u8>>) -> (&str, usize) {
    (files.iter())
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(name, bytes)| (name.as_str(), bytes.len()))
        .max_by_key(|(_, len)| *len)
        .unwrap()
}

/// The site's addresses a page links (without `#…`, and without the scheme and host of the
/// generated sites' `base_url`, which a commission's links to its units carry).
fn links(html: &str) -> BTreeSet<&str> {
    (html.split("href=\"").skip(1))
        .filter_map(|rest| rest.split('"').next())
        .map(|url| url.split('#').next().unwrap_or(url))
        .map(|url| url.strip_prefix("https://bench.example.cn").unwrap_or(url))
        .filter(|url| url.starts_with('/'))
        .collect()
}

/// The page file of an address: `/report/` → `report/index.html`.
fn file_of(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// Every page reached from `start` through links that stay under one of `within`, and every
/// address those pages link: what a reader finds from `start` without leaving the section.
fn reach(
    files: &BTreeMap<String, Vec<u8>>,
    start: &str,
    within: &[&str],
) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut seen = BTreeSet::from([start.to_owned()]);
    let mut linked = BTreeSet::new();
    let mut todo = vec![start.to_owned()];
    while let Some(url) = todo.pop() {
        let Some(bytes) = files.get(&file_of(&url)) else {
            panic!("{url} is linked but missing");
        };
        for link in links(&String::from_utf8_lossy(bytes)) {
            linked.insert(link.to_owned());
            if within.iter().any(|w| link.starts_with(w)) && seen.insert(link.to_owned()) {
                todo.push(link.to_owned());
            }
        }
    }
    (seen, linked)
}

/// The pages of `files` whose path matches `folder/<name>/index.html` (one level), as
/// addresses.
fn pages_in(files: &BTreeMap<String, Vec<u8>>, folder: &str, skip: &[&str]) -> BTreeSet<String> {
    (files.keys())
        .filter_map(|name| {
            let rest = name.strip_prefix(folder)?.strip_suffix("/index.html")?;
            (!rest.contains('/') && !skip.contains(&rest)).then(|| format!("/{folder}{rest}/"))
        })
        .collect()
}

#[test]
fn no_page_grows_with_the_hospital_groups_channels_and_modules() {
    // A thousand items with a hospital group's 300 reporting channels (a quarter at five
    // places, the rest everywhere) and 600 more study modules: the report page with every
    // channel inline, each place's poster and the study record with every module were over
    // the limit here, and the posters' index listed every channel.
    let dir = tempfile::tempdir().unwrap();
    synth::write_qinglian(dir.path(), 1000);
    synth::write_channels(dir.path(), 300);
    synth::write_modules(dir.path(), 600);
    let files = build(dir.path());
    let (name, size) = largest(&files);
    assert!(size <= PAGE_LIMIT, "{name} is {size} bytes");
    // Every list stays paged: no page links more than a page of channels (their pages or
    // posters) or modules.
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for folder in ["/channels/", "/modules/"] {
            let rows: BTreeSet<&str> = (links(&html).into_iter())
                .filter_map(|l| l.strip_prefix(folder)?.split('/').next())
                .filter(|item| !["", "record", "page"].contains(item))
                .collect();
            assert!(
                rows.len() <= PAGE_SIZE,
                "{name} lists {} {folder}",
                rows.len()
            );
        }
    }
    // Every channel in service is a tap from the report page or the lists it links, its
    // number a tap to dial there.
    let channels = pages_in(&files, "channels/", &[]);
    let (_, linked) = reach(&files, "/report/", &["/report/"]);
    let (posters, poster_links) = reach(&files, "/report/poster/", &["/report/poster/"]);
    let report = reach(&files, "/report/", &["/report/"]).0;
    let unreached: Vec<_> = channels.iter().filter(|c| !linked.contains(*c)).collect();
    assert!(
        channels.len() > 300 && unreached.is_empty(),
        "{unreached:?}"
    );
    let phones = report.iter().filter(|u| u.starts_with("/report/phone/"));
    assert!(
        phones.count() >= 2,
        "the phones' own list, paged: {report:?}"
    );
    let list = String::from_utf8_lossy(&files["report/phone/page/2/index.html"]);
    assert!(list.contains("href=\"tel:0000"), "{list}");
    // Every poster is in the posters' index (paged), every part of a place's poster a tap
    // from its first.
    for c in &channels {
        let poster = format!("{c}poster/");
        let printed = files.contains_key(&file_of(&poster));
        assert_eq!(printed, poster_links.contains(&poster), "{poster}");
    }
    let parts: Vec<&String> = (files.keys())
        .filter(|n| n.starts_with("report/poster/") && n.contains("/page/"))
        .collect();
    assert!(parts.len() > 10, "{parts:?}");
    for part in parts {
        let url = format!("/{}", part.trim_end_matches("index.html"));
        assert!(
            posters.contains(&url),
            "{url} is not reached from the index"
        );
    }
    // The case lists link each year's casebook once; its parts link each other.
    let cases = String::from_utf8_lossy(&files["cases/index.html"]);
    let books: Vec<&str> = (links(&cases).into_iter())
        .filter(|l| l.starts_with("/cases/casebook/"))
        .collect();
    assert!(
        books.iter().all(|b| b.matches('/').count() == 4),
        "{books:?}"
    );
    let (parts, _) = reach(&files, books[0], &["/cases/casebook/"]);
    let built = (files.keys()).filter(|n| n.starts_with(&books[0][1..]) && n.ends_with(".html"));
    assert!(parts.len() > 1 && parts.len() == built.count(), "{parts:?}");
    // Every module is on a page of the study record.
    let modules = pages_in(&files, "modules/", &["record", "page"]);
    let (_, on_record) = reach(&files, "/modules/record/", &["/modules/record/"]);
    let missing: Vec<_> = modules.iter().filter(|m| !on_record.contains(*m)).collect();
    assert!(modules.len() > 600 && missing.is_empty(), "{missing:?}");
}

#[test]
fn a_commissions_report_pages_stay_small_with_many_units_and_shared_channels() {
    // A commission sharing 48 channels (half of them telephones) with 21 units: each unit's report
    // page shows the commission's channels (上级举报渠道) a few of each kind, and the
    // commission's links the first units' report pages and the units directory.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("content/site.yaml"),
        "title: 青岚卫健清风\nhospital: 青岚市卫生健康委员会\nbase_url: https://bench.example.cn/\n",
    )
    .unwrap();
    synth::write_channels(root, 48);
    for u in 0..21 {
        let unit = root.join(format!("units/u-{u:02}/content"));
        std::fs::create_dir_all(unit.join("channels")).unwrap();
        std::fs::write(
            unit.join("site.yaml"),
            format!("title: 第{u}卫生院\nhospital: 青岚市第{u}卫生院\nbase_url: https://bench.example.cn/units/u-{u:02}/\n"),
        )
        .unwrap();
        std::fs::write(
            unit.join("channels/hotline.md"),
            format!("---\ntitle: 本院举报电话\nkind: phone\nvalue: \"0000-7{u:07}\"\nverified: 2026-11-01\n---\n"),
        )
        .unwrap();
    }
    let files = build(root);
    let (name, size) = largest(&files);
    assert!(size <= PAGE_LIMIT, "{name} is {size} bytes");
    let unit = String::from_utf8_lossy(&files["units/u-03/report/index.html"]);
    assert!(unit.contains("上级举报渠道") && unit.contains("href=\"tel:000070000003\""));
    assert!(
        unit.contains("href=\"/units/u-03/report/upper/phone/\""),
        "{unit}"
    );
    let (_, linked) = reach(&files, "/units/u-03/report/", &["/units/u-03/report/"]);
    let upper = pages_in(&files, "units/u-03/channels/", &[]);
    assert!(upper.len() == 49 && upper.iter().all(|c| linked.contains(c)));
    let commission = String::from_utf8_lossy(&files["report/index.html"]);
    let unit_reports = (links(&commission).into_iter())
        .filter(|l| l.starts_with("/units/u-") && l.ends_with("/report/"))
        .count();
    assert!(
        (1..=20).contains(&unit_reports),
        "{unit_reports} units' report pages"
    );
    assert!(
        commission.contains("href=\"/units/\""),
        "the units directory has them all"
    );
    let (_, directory) = reach(&files, "/units/", &["/units/page/"]);
    assert!((0..21).all(|u| directory.contains(&format!("/units/u-{u:02}/report/"))));
}
