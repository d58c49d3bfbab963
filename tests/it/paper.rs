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

/// A case with a picture, a table and links inside the site and out, and a news item with a
/// cover: what the WeChat article needs to show them.
fn wechat_site() -> Site {
    let site = Site::small();
    site.write(
        "content/cases/2024/red.md",
        "---\ntitle: 收受红包案\ndate: 2024-05-06\nunit: 骨科\nsubject: 王某\nrole: 主治医师\nprinciples: [8]\nsanctions:\n  - {kind: 党纪处分, level: 警告}\nlessons: 红包一律拒收。\norigin: 本院\n---\n## 案情\n\n见[上交办法](@/policies/new.md)和[国家卫健委](https://www.nhc.gov.cn/)。\n\n![登记单](登记单.png)\n\n| 时间 | 事项 |\n|---|---|\n| 4月 | 收受 |\n\n> 引用\n",
    );
    site.write_bytes("content/cases/2024/登记单.png", b"\x89PNG\r\n\x1a\nslip");
    site.write("content/news/meeting.md", "---\ntitle: 召开警示教育大会\ndate: 2026-03-01\nsummary: 全院参加。\ncover: news/会场.png\ncover_alt: 大会会场\n---\n正文。\n");
    site.write_bytes("content/news/会场.png", b"\x89PNG\r\n\x1a\nhall");
    site.write(
        "content/cases/2024/inner.md",
        "---\ntitle: 内部案\ndate: 2024-01-01\naudience: staff\n---\n内部。\n",
    );
    site
}

/// The article inside the exported page (what the copy button copies).
fn fragment(page: &str) -> &str {
    let start = page.find("<div id=\"article\">").unwrap() + "<div id=\"article\">".len();
    let end = page.rfind("</div>\n</div>").unwrap();
    &page[start..end]
}

/// Exports the red-envelope case and the news item into `wx/` beside the site; the case's
/// page and the folder.
fn exported(site: &Site) -> (String, std::path::PathBuf) {
    let out = site.outer().join("wx");
    let out_arg = out.to_str().unwrap().to_owned();
    let args = [
        "export",
        "wechat",
        "cases/2024/red",
        "meeting",
        "--now",
        "2026-11-23",
        "-o",
    ];
    let run = site.run(&[&args[..], &[out_arg.as_str()]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    (std::fs::read_to_string(out.join("red.html")).unwrap(), out)
}

/// The article keeps to what the WeChat editor keeps: styles inline only, no class, id,
/// `<style>`, script or link.
#[test]
fn a_wechat_article_keeps_to_what_the_editor_keeps() {
    let site = wechat_site();
    let (page, _) = exported(&site);
    let article = fragment(&page);
    for banned in [
        "class=",
        " id=",
        "<style",
        "<script",
        "<a ",
        "<link",
        "javascript:",
        "<svg",
    ] {
        assert!(
            !article.contains(banned),
            "the article holds `{banned}`: {article}"
        );
    }
    for tag in article.split('<').skip(1) {
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let bare = ["", "em", "thead", "tbody", "tr", "br", "del"].contains(&name.as_str());
        assert!(
            bare || tag.starts_with('/') || tag.contains("style=\""),
            "<{name}> unstyled"
        );
    }
}

/// Links become numbered notes at the end with full addresses; pictures are copied beside
/// the page with their descriptions and listed for upload; the case's facts, the hotline and
/// a QR code of the report page are in it.
#[test]
fn a_wechat_article_notes_its_links_and_lists_its_pictures() {
    let site = wechat_site();
    let (page, out) = exported(&site);
    let article = fragment(&page);
    assert!(
        article.contains("上交办法<sup") && article.contains("国家卫健委<sup"),
        "{article}"
    );
    assert!(
        article.contains("[1] 上交办法：https://example.test/policies/new/"),
        "{article}"
    );
    assert!(
        article.contains("[2] 国家卫健委：https://www.nhc.gov.cn/"),
        "{article}"
    );
    assert!(article.contains("0000-81234567"), "the hotline");
    assert!(
        article.contains("骨科") && article.contains("第8条"),
        "the case's facts"
    );
    let images: Vec<&str> = article
        .split("<img src=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(
        images.len(),
        2,
        "the picture and the report QR code: {images:?}"
    );
    for (i, img) in images.iter().enumerate() {
        assert!(out.join(img).is_file(), "{img} is beside the page");
        assert!(
            page.contains(&format!("<li><a href=\"{img}\">图{}</a>", i + 1)),
            "{img} listed"
        );
    }
    assert_eq!(
        std::fs::read(out.join(images[0])).unwrap(),
        b"\x89PNG\r\n\x1a\nslip"
    );
    assert!(
        std::fs::read(out.join(images[1]))
            .unwrap()
            .starts_with(b"\x89PNG"),
        "the QR code"
    );
    let news = std::fs::read_to_string(out.join("meeting.html")).unwrap();
    assert!(fragment(&news).contains("alt=\"大会会场\""), "the cover");
}

/// A staff-only item, another kind, or a mistyped name: refused, with a did-you-mean.
#[test]
fn a_wechat_export_refuses_what_is_not_public() {
    let site = wechat_site();
    let out_arg = site.outer().join("wx").to_str().unwrap().to_owned();
    let staff = site.run(&[
        "export",
        "wechat",
        "cases/2024/inner",
        "--now",
        "2026-11-23",
        "-o",
        &out_arg,
    ]);
    assert_eq!(staff.code, 2, "{}", staff.stderr);
    assert!(
        staff.stderr.contains("is not in the public edition"),
        "{}",
        staff.stderr
    );
    let module = site.run(&["export", "wechat", "modules/m1", "-o", &out_arg]);
    assert!(
        module
            .stderr
            .contains("cannot be exported as a WeChat article"),
        "{}",
        module.stderr
    );
    let typo = site.run(&["export", "wechat", "cases/2024/rde", "-o", &out_arg]);
    assert!(
        typo.stderr.contains("did you mean `cases/2024/red`?"),
        "{}",
        typo.stderr
    );
}

/// Opened in a browser, the copy button selects the article, and only the article.
#[test]
fn the_copy_button_selects_the_article() {
    let Some(b) = Browser::start(800, 900) else {
        return;
    };
    let site = wechat_site();
    let out = site.outer().join("wx");
    let run = site.run(&[
        "export",
        "wechat",
        "red",
        "--now",
        "2026-11-23",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    b.goto(&format!("file://{}", out.join("red.html").display()));
    b.click(&b.find("#copy"));
    let selected = b.eval("return window.getSelection().toString();");
    let selected = selected.as_str().unwrap();
    assert!(
        selected.contains("收受红包案") && selected.contains("0000-81234567"),
        "{selected}"
    );
    assert!(
        !selected.contains("复制文章") && !selected.contains("需要上传的图片"),
        "{selected}"
    );
}

/// Each word of page `page` (1-based) of `pdf` with its height in points, from poppler's
/// `pdftotext -bbox`.
fn word_heights(pdf: &[u8], page: usize) -> Vec<(String, f64)> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.pdf");
    std::fs::write(&file, pdf).unwrap();
    let n = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-bbox", "-f", &n, "-l", &n])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |w: &str, name: &str| -> f64 {
        let at = w.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        w[at..].split('"').next().unwrap().parse().unwrap()
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let text = w
                .split('>')
                .nth(1)
                .unwrap_or("")
                .split('<')
                .next()
                .unwrap_or("");
            (text.to_owned(), attr(w, "yMax") - attr(w, "yMin"))
        })
        .collect()
}

/// A channel's poster is one A4 page: the hotline in type read from three metres (a cap
/// height of 15 mm and more), the mailbox's with a QR code of 30 mm and more; the poster of a
/// location holds its channels; the report page says which poster is which.
#[test]
fn each_poster_is_one_a4_page_read_from_three_metres() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let site = Site::small();
    site.write("content/channels/hotline.md", "---\ntitle: 纪检监察举报电话\nkind: phone\nvalue: 0571-81234567\nhours: 工作日 8:00–17:30\nscope: 收受红包、回扣\nanonymous: true\nlocation: 行政楼\n---\n");
    site.write("content/channels/mail.md", "---\ntitle: 纪检监察举报邮箱\nkind: email\nvalue: jjjc@example.test\nlocation: 行政楼\n---\n");
    site.write("content/channels/visit.md", "---\ntitle: 来访接待\nkind: visit\nvalue: 青岚市清河路 88 号行政楼三楼 302 室医院纪检监察室\n---\n");
    assert_eq!(site.build().code, 0);
    let base = static_server::serve(&site.path("public"));
    let report = site.read("public/report/index.html");
    assert!(
        report.contains("打印“纪检监察举报电话”的海报（A4）"),
        "the report page names each poster"
    );
    assert!(report.contains("贴在行政楼的海报"), "and each location's");
    for (path, number) in [
        ("channels/hotline/poster/", "0571-81234567"),
        ("channels/mail/poster/", "jjjc@example.test"),
    ] {
        b.goto(&format!("{base}/{path}"));
        let pdf = b.print_pdf();
        assert_eq!(pdf_pages(&pdf), 1, "{path}: one A4 page");
        if pdf_text(&pdf).is_none() {
            return;
        }
        let words = word_heights(&pdf, 1);
        let (_, height) = (words.iter())
            .find(|(w, _)| w.contains(&number[..8]))
            .unwrap_or_else(|| panic!("{path}: {number} in {words:?}"));
        // The line box of Noto Sans CJK is about 1.45 of its size, a cap height about 0.73.
        let cap_mm = height / 1.45 * 0.73 * 25.4 / 72.0;
        assert!(
            cap_mm >= 15.0,
            "{path}: {number}'s cap height is {cap_mm:.1} mm"
        );
    }
    b.emulate_media("print");
    let qr_mm = b.eval("var s = document.querySelector('.poster-qr svg'); return s.getBoundingClientRect().width * 25.4 / 96;");
    assert!(qr_mm.as_f64().unwrap() >= 30.0, "the QR code is {qr_mm} mm");
    let margin = b.eval("var m = ''; for (var i = 0; i < document.styleSheets.length; i++) { var r = document.styleSheets[i].cssRules; for (var j = 0; j < r.length; j++) if (r[j].type === 6 && r[j].selectorText === 'poster') m = r[j].style.margin; } return m;");
    assert_eq!(
        margin,
        serde_json::json!("0px"),
        "no margin: the browser prints no header or footer"
    );
    b.emulate_media("");
    b.goto(&format!("{base}/report/poster/行政楼/"));
    let pdf = b.print_pdf();
    let Some(pages) = pdf_text(&pdf) else { return };
    let sheets = b.eval("return document.querySelectorAll('.poster-page').length;");
    assert_eq!(
        serde_json::json!(pages.len()),
        sheets,
        "each sheet one page"
    );
    assert!(pages.len() <= 2, "three channels on at most two sheets");
    let text = squeeze(&pages.concat());
    for value in ["0571-81234567", "jjjc@example.", "行政楼三楼302室"] {
        assert!(
            text.contains(value),
            "{value} on the location's poster: {text}"
        );
    }
}

/// The cases list links each year's casebook by its full title; a year of more cases than a
/// booklet holds says after the title how many parts it comes in.
#[test]
fn the_cases_list_names_each_casebook_with_its_parts() {
    let site = Site::small();
    // A booklet holds 20 cases: 41 make three parts.
    for i in 0..41 {
        let date = format!("2025-{:02}-{:02}", 1 + i / 28, 1 + i % 28);
        let text = format!("---\ntitle: 案例{i}\ndate: {date}\n---\n案情。\n");
        site.write(&format!("content/cases/c{i:02}.md"), &text);
    }
    site.write(
        "content/cases/old.md",
        "---\ntitle: 旧案\ndate: 2024-05-01\n---\n案情。\n",
    );
    assert_eq!(site.build().code, 0);
    let list = site.read("public/cases/index.html");
    assert!(
        list.contains(">2025年警示教育案例汇编（共3册）</a></li>"),
        "{list}"
    );
    assert!(list.contains(">2024年警示教育案例汇编</a></li>"), "{list}");
    // A list of links under its own heading, as the other filters are: a run-on paragraph
    // of titles wrapped in the middle of links on a phone.
    let nav = list
        .split("<nav class=\"filter\" aria-label=\"打印案例汇编\">")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .expect("the casebooks' own nav");
    assert!(nav.contains("<h2>打印案例汇编</h2>"), "{nav}");
    assert_eq!(nav.matches("<li><a href=").count(), 2, "{nav}");
}

/// On a phone a casebook is read on screen: its text takes the screen's width, not the
/// column the sheet's print margins would leave (about 220 px of 360), and nothing scrolls
/// sideways.
#[test]
fn a_casebook_reads_across_a_phone() {
    let Some(b) = Browser::start(360, 740) else {
        return;
    };
    let site = Site::small();
    let text = format!(
        "---\ntitle: 甲案\ndate: 2025-03-01\n---\n{}\n",
        "案情经过。".repeat(40)
    );
    site.write("content/cases/2025/a.md", &text);
    assert_eq!(site.build().code, 0);
    let base = static_server::serve(&site.path("public"));
    b.goto(&format!("{base}/cases/casebook/2025/"));
    let widths = b.eval(
        "var p = document.querySelector('.booklet-entry p'); \
         return [p.getBoundingClientRect().width, document.documentElement.scrollWidth, window.innerWidth];",
    );
    let w = |i: usize| widths[i].as_f64().unwrap_or(0.0);
    assert!(
        w(0) >= 300.0,
        "a case's text is as wide as the phone: {widths:?}"
    );
    assert!(w(1) <= w(2) + 1.0, "nothing scrolls sideways: {widths:?}");
}

/// A year's casebook prints as a booklet: a cover with the hospital and the year, contents,
/// each case from a new page with its unit, role, sanctions and lessons, page numbers at the
/// foot; the staff edition's has its staff-only cases. The principles handbook too.
#[test]
fn the_casebook_and_the_handbook_print_as_booklets() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let site = Site::small();
    let case = |name: &str, title: &str, extra: &str| {
        site.write(&format!("content/cases/2025/{name}.md"), &format!("---\ntitle: {title}\ndate: 2025-03-0{}\nunit: 骨科\nrole: 主治医师\nsubject: 王某\nprinciples: [8]\nsanctions:\n  - {{kind: 党纪处分, level: 警告}}\nlessons: {title}的教训。\norigin: 本院\n{extra}---\n{}\n", name.len(), "案情经过。".repeat(40)));
    };
    case("a", "甲案", "");
    case("bb", "乙案", "");
    case("ccc", "丙案", "audience: staff\n");
    assert_eq!(site.build().code, 0);
    assert!(
        site.read("public/cases/index.html")
            .contains("href=\"/cases/casebook/2025/\"")
    );
    assert!(
        site.read("public/principles/index.html")
            .contains("href=\"/principles/handbook/\"")
    );
    let base = static_server::serve(&site.path("public"));
    b.goto(&format!("{base}/cases/casebook/2025/"));
    let pdf = b.print_pdf();
    let Some(pages) = pdf_text(&pdf) else { return };
    assert!(
        pages[0].contains("2025年警示教育案例汇编") && pages[0].contains("测试医院"),
        "cover"
    );
    assert!(squeeze(&pages[1]).contains("目录"), "contents");
    for (title, n) in [("甲案", 1), ("乙案", 2)] {
        let at = (pages.iter())
            .position(|p| squeeze(p).starts_with(&format!("{n}.骨科")))
            .unwrap_or_else(|| panic!("{title} starts a page"));
        let page = squeeze(&pages[at]);
        for fact in [title, "主治医师", "党纪处分", &format!("{title}的教训")] {
            assert!(page.contains(fact), "{fact} with {title}");
        }
    }
    assert!(
        !squeeze(&pages.concat()).contains("丙案"),
        "the public edition has no staff case"
    );
    for (i, page) in pages.iter().enumerate().skip(1) {
        let last = page
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        assert_eq!(
            last.trim(),
            (i + 1).to_string(),
            "page {} is numbered",
            i + 1
        );
    }
    let staff = site.run(&["build", "--now", "2026-11-23", "--audience", "staff"]);
    assert_eq!(staff.code, 0);
    assert!(
        site.read("public/cases/casebook/2025/index.html")
            .contains("丙案")
    );
    b.goto(&format!("{base}/principles/handbook/"));
    let Some(pages) = pdf_text(&b.print_pdf()) else {
        return;
    };
    let starts = |title: &str| {
        pages.iter().map(|p| squeeze(p)).any(|p| {
            let head = p.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
            head.starts_with("第") && p.contains(title)
        })
    };
    assert!(
        starts("共建和谐关系") && starts("恪守交往底线"),
        "each principle starts a page"
    );
}
