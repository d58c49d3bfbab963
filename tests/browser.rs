//! Browser tests in real headless Chromium: the larger-text switch, keyboard use, and layout on
//! a 360 px phone. Skipped (with a message) when no browser is installed, unless CI=true.

mod common;
#[path = "support/static_server.rs"]
mod static_server;
#[path = "support/webdriver.rs"]
mod webdriver;

use common::Site;
use webdriver::Browser;

/// Builds the small fixture site and serves it; returns the site (kept alive) and its address.
fn served_site() -> (Site, String) {
    let site = Site::small();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = static_server::serve(&site.path("public"));
    (site, base)
}

#[test]
fn larger_text_switch_is_remembered_across_pages() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (_site, base) = served_site();
    b.goto(&format!("{base}/"));
    let button = b.find("#text-size");
    assert!(b.displayed(&button), "the switch appears once JS runs");
    assert_eq!(b.attr(&button, "aria-pressed").as_deref(), Some("false"));
    let normal = b.eval("return parseFloat(getComputedStyle(document.documentElement).fontSize);");
    b.click(&button);
    assert_eq!(b.attr(&button, "aria-pressed").as_deref(), Some("true"));
    let large = b.eval("return parseFloat(getComputedStyle(document.documentElement).fontSize);");
    assert!(large.as_f64() > normal.as_f64(), "{normal} -> {large}");

    b.goto(&format!("{base}/principles/08/"));
    let class = b.eval("return document.documentElement.className;");
    assert!(
        class.as_str().unwrap_or("").contains("large"),
        "remembered on the next page: {class}"
    );
    let button = b.find("#text-size");
    assert_eq!(b.attr(&button, "aria-pressed").as_deref(), Some("true"));
    b.send_keys(&button, "\u{E007}");
    assert_eq!(
        b.attr(&button, "aria-pressed").as_deref(),
        Some("false"),
        "Enter toggles it back"
    );
}

#[test]
fn first_tab_reaches_the_skip_link() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (_site, base) = served_site();
    b.goto(&format!("{base}/cases/2024/red/"));
    b.press("\u{E004}");
    let focused = b.eval("return document.activeElement.className + '|' + document.activeElement.getAttribute('href');");
    assert_eq!(focused.as_str(), Some("skip|#main"));
    let visible = b.eval("var r = document.activeElement.getBoundingClientRect(); return r.left >= 0 && r.width > 0;");
    assert_eq!(
        visible.as_bool(),
        Some(true),
        "the focused skip link is on screen"
    );
}

#[test]
fn pages_fit_a_360_px_phone() {
    let Some(b) = Browser::start(360, 740) else {
        return;
    };
    let (_site, base) = served_site();
    for page in [
        "",
        "principles/08/",
        "cases/2024/red/",
        "report/",
        "policies/",
        "disclosures/d1/",
    ] {
        b.goto(&format!("{base}/{page}"));
        let styled = b.eval(
            "return getComputedStyle(document.querySelector('.site-header')).backgroundColor;",
        );
        assert_eq!(
            styled.as_str(),
            Some("rgb(158, 27, 27)"),
            "{page}: the stylesheet loaded"
        );
        let widths = b.eval("return [document.documentElement.scrollWidth, window.innerWidth];");
        let (scroll, inner) = (widths[0].as_f64().unwrap(), widths[1].as_f64().unwrap());
        assert!(
            scroll <= inner + 1.0,
            "{page} overflows: {scroll} > {inner}"
        );
        let report = b.find(".report-entry");
        assert!(b.displayed(&report), "{page}: 我要举报 visible on a phone");
    }
}
