//! Paper: what the propaganda centre prints, printed by headless Chromium to PDF and read
//! back with poppler's `pdftotext`, as a person would look at the sheets: the self-test paper
//! and its key.

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::common::Site;
use crate::static_server;
use crate::webdriver::{Browser, pdf_pages};

/// The text of each page of `pdf` (poppler's `pdftotext`, pages split at form feeds), or
/// `None` (said, and failed under CI=true) when poppler is not installed.
pub fn pdf_text(pdf: &[u8]) -> Option<Vec<String>> {
    let child = Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        let why = "pdftotext is not installed (apt-get install poppler-utils)";
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{why}; CI=true requires it"
        );
        eprintln!("skipped: {why}");
        return None;
    };
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(pages)
}

/// Text without any white space, for finding phrases pdftotext may have spaced or wrapped.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Ten single-choice questions; the right option's text ends in 对, each explanation says
/// 解析甲…, so the paper pages can be checked for both.
fn ten_questions() -> String {
    let mut bank = String::from("---\ntitle: 十题自测\ndraw: 10\nshuffle: true\n---\n");
    for i in 1..=10 {
        bank.push_str(&format!(
            "## 【单选】第{i}题：下列哪一项做法符合医务人员廉洁从业的要求？\n编号：q{i}\n\
             A. 第{i}题甲项错\nB. 第{i}题乙项对\nC. 第{i}题丙项错\nD. 第{i}题丁项错\n答案：B\n\
             解析：解析{i}号，说明乙项为何正确。\n依据：@/principles/08.md\n\n"
        ));
    }
    bank
}

/// Printed, a self-test is a paper to hand out and then its key: ten questions on two A4
/// pages with no answers and no buttons, the key from a new page, its letters the paper's.
#[test]
fn a_self_test_prints_as_a_paper_then_its_key() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let site = Site::small();
    site.write("content/quizzes/ten.md", &ten_questions());
    assert_eq!(site.build().code, 0);
    let base = static_server::serve(&site.path("public"));
    b.goto(&format!("{base}/quizzes/ten/"));
    let pdf = b.print_pdf();
    let Some(pages) = pdf_text(&pdf) else { return };
    assert_eq!(pages.len(), pdf_pages(&pdf));
    let key_at = (pages.iter())
        .position(|p| p.contains("答案与解析"))
        .expect("a key");
    assert_eq!(
        key_at, 2,
        "ten questions fit two A4 pages, the key starts the third"
    );
    let paper = squeeze(&pages[..key_at].join("\n"));
    let key = squeeze(&pages[key_at..].join("\n"));
    for word in ["解析", "答案：", "交卷", "显示答案", "自测题库"] {
        assert!(!paper.contains(word), "the paper shows `{word}`");
    }
    for field in ["姓名", "科室", "得分"] {
        assert!(paper.contains(field), "a line for {field}");
    }
    for i in 1..=10 {
        let right = format!("第{i}题乙项对");
        let letter = ["A.", "B.", "C.", "D."]
            .into_iter()
            .find(|l| paper.contains(&format!("{l}{right}")))
            .unwrap_or_else(|| panic!("question {i}'s option on the paper: {paper}"));
        assert!(
            key.contains(&format!("{letter}{right}")),
            "the key gives {letter} for {i}"
        );
        assert!(key.contains(&format!("解析{i}号")), "the key explains {i}");
        // A question never splits: its stem and its last option are on one page.
        let stem = format!("第{i}题：");
        let page = pages.iter().find(|p| squeeze(p).contains(&stem)).unwrap();
        let options = ["甲", "乙", "丙", "丁"].map(|o| format!("第{i}题{o}项"));
        assert!(
            options.iter().all(|o| squeeze(page).contains(o)),
            "question {i} splits"
        );
    }
    assert!(key.contains("依据"), "the key cites the rule");
}

/// On screen, a staff member prints a freshly drawn and shuffled set; its key follows it.
#[test]
fn a_fresh_set_prints_with_its_own_key() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let site = Site::small();
    site.write(
        "content/quizzes/ten.md",
        &ten_questions().replace("draw: 10", "draw: 5"),
    );
    assert_eq!(site.build().code, 0);
    let base = static_server::serve(&site.path("public"));
    b.goto(&format!("{base}/quizzes/ten/"));
    let shown = |b: &Browser| {
        b.eval(
            "var ids = []; var qs = document.querySelectorAll('.question');
             for (var i = 0; i < qs.length; i++) if (qs[i].style.display !== 'none') ids.push(qs[i].getAttribute('data-id'));
             return ids.join();",
        )
    };
    let before = shown(&b);
    b.eval("window.print = function () { window.printed = (window.printed || 0) + 1; };");
    let mut changed = false;
    for _ in 0..5 {
        b.click(&b.find("#paper-fresh"));
        changed |= shown(&b) != before;
    }
    assert_eq!(b.eval("return window.printed;"), serde_json::json!(5));
    assert!(changed, "a new set was drawn");
    let pdf = b.print_pdf();
    let Some(pages) = pdf_text(&pdf) else { return };
    let key_at = pages.iter().position(|p| p.contains("答案与解析")).unwrap();
    let paper = squeeze(&pages[..key_at].join("\n"));
    let key = squeeze(&pages[key_at..].join("\n"));
    let ids = shown(&b);
    let ids: Vec<&str> = ids.as_str().unwrap().split(',').collect();
    assert_eq!(ids.len(), 5);
    for id in ids {
        let i: usize = id.trim_start_matches('q').parse().unwrap();
        let right = format!("第{i}题乙项对");
        let letter = ["A.", "B.", "C.", "D."]
            .into_iter()
            .find(|l| paper.contains(&format!("{l}{right}")))
            .expect("on the paper");
        assert!(
            key.contains(&format!("{letter}{right}")),
            "{id}: the key has its letter"
        );
    }
}
