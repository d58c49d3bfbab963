//! Accessibility: axe-core over every kind of page of the example site, in headless Chromium.
//! axe-core comes from npm (`.ci/run` installs it under `target/axe/`, or set `QINGLIAN_AXE`
//! to an `axe.min.js`); without it the test is skipped with a message, unless CI=true.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::static_server;
use crate::webdriver::Browser;

/// `axe.min.js`, if it is installed.
pub fn axe_source() -> Option<String> {
    let path = std::env::var_os("QINGLIAN_AXE").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/axe/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    );
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) => {
            let why = format!(
                "axe-core not found at {} ({e}): `npm install --prefix target/axe axe-core` adds it",
                path.display()
            );
            assert!(std::env::var("CI").as_deref() != Ok("true"), "{why}");
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// The violations axe finds on the page at hand (WCAG 2.1 A and AA rules and best practices).
pub fn violations(b: &Browser, axe: &str) -> Vec<Value> {
    b.eval(&format!("{axe}\n;window.__axe = null; axe.run(document, {{resultTypes: ['violations']}}, function (e, r) {{ window.__axe = e ? {{error: String(e)}} : r; }}); return true;"));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v = b.eval("return window.__axe && (window.__axe.error ? window.__axe : window.__axe.violations.map(function (x) { return {id: x.id, help: x.help, nodes: x.nodes.map(function (n) { return n.target.join(' ') + ' :: ' + n.failureSummary; })}; }));");
        if let Some(list) = v.as_array() {
            return list.clone();
        }
        assert!(v.is_null(), "axe failed: {v}");
        assert!(Instant::now() < deadline, "axe did not finish");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Adds the violations axe finds on the page at hand to `found`, each named by `page`.
fn collect(b: &Browser, axe: &str, page: &str, found: &mut Vec<String>) {
    for v in violations(b, axe) {
        found.push(format!(
            "{page}: {} ({}): {}",
            v["id"], v["help"], v["nodes"]
        ));
    }
}

/// A page of each kind, and the pages with forms and scripts; built on a day a festival
/// reminder is current, so every page carries its banner.
const PAGES: &[&str] = &[
    "/",
    "/principles/",
    "/principles/08/",
    "/cases/",
    "/cases/2023/ortho-red-envelope/",
    "/policies/",
    "/policies/gift-handover-2024/",
    "/channels/",
    "/channels/wechat/",
    "/disclosures/",
    "/disclosures/2024-gift-handover-annual/",
    "/modules/",
    "/modules/01-nine-principles/",
    "/modules/record/",
    "/quizzes/nine-principles/",
    "/search/?q=%E7%BA%A2%E5%8C%85",
    "/faq/",
    "/404.html",
    "/news/",
    "/news/2026-warning-education-conference/",
    "/risks/",
    "/risks/drug-consumables-procurement/",
    "/reminders/",
    "/reminders/2026-new-year/",
    "/pledges/",
    "/pledges/staff/",
    "/report/",
    "/report/poster/",
    "/channels/hotline/poster/",
    "/cases/casebook/2024/",
    "/principles/handbook/",
];

#[test]
fn no_axe_violations_on_any_kind_of_page() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let Some(axe) = axe_source() else { return };
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let root = env!("CARGO_MANIFEST_DIR");
    let run = crate::common::run(&[
        "build",
        "--root",
        root,
        "--out",
        public.to_str().unwrap(),
        "--now",
        "2026-12-28",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = static_server::serve(&public);
    let mut found = Vec::new();
    for page in PAGES {
        b.goto(&format!("{base}{page}"));
        std::thread::sleep(Duration::from_millis(300));
        collect(&b, &axe, page, &mut found);
    }
    // With the larger-text switch on.
    b.eval("localStorage.setItem('qinglian.large', '1'); return true;");
    for page in [
        "/",
        "/channels/",
        "/quizzes/nine-principles/",
        "/modules/record/",
        "/risks/",
        "/pledges/staff/",
    ] {
        b.goto(&format!("{base}{page}"));
        std::thread::sleep(Duration::from_millis(300));
        collect(&b, &axe, &format!("{page} (larger text)"), &mut found);
    }
    // On a 360 px phone: the folded menu (and opened), tables as cards, the cut reminder.
    b.eval("localStorage.removeItem('qinglian.large'); return true;");
    b.emulate_phone(360, 640);
    for page in [
        "/",
        "/disclosures/2025-rectification/",
        "/policies/",
        "/risks/",
        "/modules/record/",
        "/quizzes/nine-principles/",
    ] {
        b.goto(&format!("{base}{page}"));
        b.eval("document.getElementById('site-menu').open = true; return true;");
        std::thread::sleep(Duration::from_millis(300));
        collect(&b, &axe, &format!("{page} (phone)"), &mut found);
    }
    assert!(found.is_empty(), "axe violations:\n{}", found.join("\n"));
}

/// The pages a large site pages: a kind's list of channels, the posters' index, a place's
/// poster in parts and the study record, each past its first page.
#[test]
fn no_axe_violations_on_the_pages_of_a_large_sites_lists() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let Some(axe) = axe_source() else { return };
    let dir = tempfile::tempdir().unwrap();
    crate::scale::synth::write_qinglian(dir.path(), 20);
    crate::scale::synth::write_channels(dir.path(), 120);
    crate::scale::synth::write_modules(dir.path(), 60);
    let files = crate::scale::build(dir.path());
    let public = dir.path().join("public");
    let base = static_server::serve(&public);
    let mut found = Vec::new();
    for page in [
        "/report/",
        "/report/phone/",
        "/report/phone/page/2/",
        "/report/email/",
        "/report/poster/page/2/",
        "/report/poster/急诊科/page/2/",
        "/modules/record/page/2/",
    ] {
        assert!(
            files.contains_key(&format!("{}index.html", &page[1..])),
            "{page} is built"
        );
        b.goto(&format!("{base}{page}"));
        std::thread::sleep(Duration::from_millis(300));
        collect(&b, &axe, page, &mut found);
    }
    assert!(found.is_empty(), "axe violations:\n{}", found.join("\n"));
}
