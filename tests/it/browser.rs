//! Browser tests in real headless Chromium: the larger-text switch, keyboard use, layout on a
//! 360 px phone, the self-test, and moving the study record by export and import. Skipped
//! (with a message) when no browser is installed, unless CI=true.

use std::path::Path;

use crate::static_server;

use crate::common::Site;
use crate::webdriver::Browser;

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
        "modules/record/",
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

/// A list of many pages numbers its pages in a row of boxes a thumb can hit, not one bullet a
/// line, and on a 360 px phone they fit beside nothing wider than the screen.
#[test]
fn page_numbers_are_a_row_of_tappable_boxes_on_a_phone() {
    let Some(b) = Browser::start(360, 740) else {
        return;
    };
    let site = Site::small();
    for i in 0..260 {
        let text = format!("---\ntitle: 制度{i}\nissued: 2024-01-02\n---\n正文。\n");
        site.write(&format!("content/policies/p{i:03}.md"), &text);
    }
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = static_server::serve(&site.path("public"));
    b.goto(&format!("{base}/policies/page/2/"));
    let boxes = b.eval(
        "var out = []; var e = document.querySelectorAll('.pages li a, .pages li [aria-current]'); \
         for (var i = 0; i < e.length; i++) { var r = e[i].getBoundingClientRect(); \
         out.push([Math.round(r.top), r.height, r.width, getComputedStyle(e[i].parentNode).listStyleType]); } \
         return out;",
    );
    let boxes = boxes.as_array().expect("page numbers");
    assert!(boxes.len() >= 5, "{boxes:?}");
    let mut rows: Vec<i64> = boxes.iter().map(|b| b[0].as_i64().unwrap()).collect();
    rows.dedup();
    assert_eq!(rows.len(), 1, "the numbers are one row: {boxes:?}");
    for b in boxes {
        let (h, w) = (b[1].as_f64().unwrap(), b[2].as_f64().unwrap());
        assert!(h >= 44.0 && w >= 44.0, "a box a thumb can hit: {b:?}");
        assert_eq!(b[3].as_str(), Some("none"), "no bullets: {b:?}");
    }
    let widths = b.eval("return [document.documentElement.scrollWidth, window.innerWidth];");
    assert!(
        widths[0].as_f64() <= widths[1].as_f64().map(|w| w + 1.0),
        "{widths:?}"
    );
}

const BANK: &str = "---\ntitle: 红包自测\npass: 75\n---\n## 【单选】收到患者红包应当？\n编号：q-single\nA. 收下\nB. 婉拒，无法拒绝的按时上交\nC. 转交同事\n答案：B\n解析：应当婉拒。\n依据：@/principles/08.md\n\n## 【多选】以下哪些违反准则？\n编号：q-multi\nA. 收受回扣\nB. 收受红包\nC. 按劳取酬\n答案：AB\n\n## 【判断】金额小的红包可以收。\n编号：q-tf\n答案：错\n\n## 【填空】无法拒绝的红包应在（ ）小时内上交。\n编号：q-blank\n答案：24|二十四\n";

/// A site with one module whose self-test is `BANK`, built and served.
fn served_quiz_site() -> (Site, String) {
    let site = Site::small();
    site.write("content/quizzes/red.md", BANK);
    site.write("content/modules/m1.md", "---\ntitle: 模块一\norder: 1\nreadings: [principles/08, cases/2024/red]\nquiz: quizzes/red\npass: 75\n---\n学习。\n");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = static_server::serve(&site.path("public"));
    (site, base)
}

fn visible_questions(b: &Browser) -> Vec<String> {
    let v = b.eval("var out = []; var li = document.querySelectorAll('.question'); for (var i = 0; i < li.length; i++) { if (li[i].style.display !== 'none') { out.push(li[i].getAttribute('data-id')); } } return out;");
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

fn pick(b: &Browser, question: &str, value: &str) {
    b.click(&b.find(&format!("input[name='{question}'][value='{value}']")));
}

#[test]
fn a_module_is_studied_and_its_self_test_taken_end_to_end() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let (_site, base) = served_quiz_site();

    // Open one reading from the module page: it is marked as read.
    b.goto(&format!("{base}/modules/m1/"));
    b.click(&b.find("a[data-reading='/principles/08/']"));
    b.goto(&format!("{base}/modules/m1/"));
    assert!(
        b.displayed(&b.find("[data-reading-done='/principles/08/']")),
        "reading marked as read"
    );
    assert!(!b.displayed(&b.find("[data-reading-done='/cases/2024/red/']")));

    // Take the self-test through the module's link.
    b.click(&b.find("a[href='/quizzes/red/?module=modules/m1']"));
    assert_eq!(visible_questions(&b).len(), 4);
    let answers = b.find("#q-q-single details");
    assert!(!b.displayed(&answers), "answers are hidden while answering");
    assert_eq!(
        b.eval("return document.getElementById('quiz-status').textContent;")
            .as_str(),
        Some(""),
        "no countdown without time_limit"
    );

    // Submitting with nothing answered warns inline instead of scoring.
    b.click(&b.find("#quiz-submit"));
    let warning = b.find("#quiz-warning");
    assert!(b.displayed(&warning));
    assert!(
        b.eval("return document.getElementById('quiz-warning').textContent;")
            .as_str()
            .unwrap()
            .contains('4')
    );
    assert!(!b.displayed(&b.find("#quiz-result")));

    // Three right, the true/false one wrong.
    pick(&b, "q-single", "1");
    pick(&b, "q-multi", "0");
    pick(&b, "q-multi", "1");
    pick(&b, "q-tf", "true");
    b.send_keys(&b.find("input[name='q-blank-0']"), "２４");
    b.click(&b.find("#quiz-submit"));
    assert!(b.displayed(&b.find("#quiz-result")));
    let score = b.eval("return document.getElementById('quiz-score').textContent;");
    assert!(score.as_str().unwrap().contains("75%"), "{score}");
    assert_eq!(
        b.eval("return document.activeElement.id;").as_str(),
        Some("quiz-result"),
        "focus moves to the result"
    );
    assert_eq!(
        b.attr(&b.find("#q-q-tf"), "class").as_deref(),
        Some("question wrong")
    );
    assert_eq!(
        b.attr(&b.find("#q-q-single"), "class").as_deref(),
        Some("question right")
    );
    assert!(
        b.displayed(&b.find("#q-q-tf details")),
        "the review shows every answer"
    );
    let review = b.eval("return document.querySelector('#q-q-single .answer-text').textContent;");
    assert!(review.as_str().unwrap().contains("婉拒"), "{review}");
    assert!(
        b.displayed(&b.find("#q-q-single .basis a")),
        "the explanation cites the rule"
    );

    // Retry the wrong one only, and get it right.
    b.click(&b.find("#quiz-retry-wrong"));
    assert_eq!(visible_questions(&b), ["q-tf"]);
    pick(&b, "q-tf", "false");
    b.click(&b.find("#quiz-submit"));
    let score = b.eval("return document.getElementById('quiz-score').textContent;");
    assert!(score.as_str().unwrap().contains("100%"), "{score}");

    // The study record, after a reload, knows the module is done.
    b.goto(&format!("{base}/modules/record/"));
    let row = b.eval("var r = document.querySelector(\"tr[data-module='modules/m1']\"); return [r.querySelector('.record-readings').textContent, r.querySelector('.record-best').textContent, r.querySelector('.record-status').textContent];");
    assert_eq!(row[0].as_str(), Some("1 / 2"));
    assert_eq!(row[1].as_str(), Some("100%"));
    assert_eq!(row[2].as_str(), Some("已完成"));
    let name = b.find("#record-name");
    b.send_keys(&name, "李某");
    assert_eq!(
        b.eval("return document.getElementById('record-name-out').textContent;")
            .as_str(),
        Some("李某")
    );
    let pasted = b.eval("var n = document.getElementById('record-name'); n.value = '王某（粘贴）'; n.dispatchEvent(new Event('input')); return document.getElementById('record-name-out').textContent;");
    assert_eq!(
        pasted.as_str(),
        Some("王某（粘贴）"),
        "a pasted name prints too"
    );
    b.goto(&format!("{base}/modules/"));
    let status = b.eval(
        "return document.querySelector(\"[data-module-status='/modules/m1/']\").textContent;",
    );
    assert!(status.as_str().unwrap().contains("已完成"), "{status}");
}

#[test]
fn draws_shuffles_and_counts_down_when_asked() {
    let Some(b) = Browser::start(360, 740) else {
        return;
    };
    let site = Site::small();
    let mut bank = BANK.replace("pass: 75\n", "pass: 75\ndraw: 3\ntime_limit: 5\n");
    bank.push_str("\n## 【判断】第五题。\n答案：对\n");
    site.write("content/quizzes/red.md", &bank);
    assert_eq!(site.build().code, 0);
    let base = static_server::serve(&site.path("public"));
    b.goto(&format!("{base}/quizzes/red/"));
    assert_eq!(visible_questions(&b).len(), 3, "draw: 3");
    let status = b.eval("return document.getElementById('quiz-status').textContent;");
    assert!(
        status.as_str().unwrap().contains("剩余时间 5:00")
            || status.as_str().unwrap().contains("剩余时间 4:5"),
        "{status}"
    );
    let letters = b.eval("var l = document.querySelectorAll('#q-q-single .letter'); var o = []; for (var i = 0; i < l.length; i++) { o.push(l[i].textContent); } return o.join('');");
    assert_eq!(
        letters.as_str(),
        Some("A.B.C."),
        "shuffled options are relettered in order"
    );
    let widths = b.eval("return [document.documentElement.scrollWidth, window.innerWidth];");
    assert!(
        widths[0].as_f64() <= widths[1].as_f64(),
        "fits a 360 px phone: {widths}"
    );
}

#[test]
fn keyboard_alone_answers_and_submits() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let (_site, base) = served_quiz_site();
    b.goto(&format!("{base}/quizzes/red/"));
    let blank = b.find("input[name='q-blank-0']");
    b.send_keys(&blank, "24");
    b.send_keys(&blank, "\u{E007}");
    assert!(
        b.displayed(&b.find("#quiz-warning")),
        "Enter in a field submits, and the warning shows"
    );
    b.send_keys(&blank, "\u{E007}");
    assert!(
        b.displayed(&b.find("#quiz-result")),
        "a second Enter submits anyway"
    );
}

/// Every kind of channel's poster, however long its value, prints on exactly one A4 page.
#[test]
fn every_channel_poster_prints_on_one_a4_page() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let site = Site::small();
    let add = |i: usize, kind: &str, value: &str| {
        site.write(&format!("content/channels/c{i}.md"), &format!("---\ntitle: 渠道{i}\nkind: {kind}\nvalue: {value}\nhours: 工作日 8:00–12:00，14:30–17:30\nscope: 医务人员收受“红包”、回扣，违反九项准则的其他行为\nanonymous: true\nverified: 2026-11-01\nlocation: 门诊楼一楼大厅东侧\n---\n"));
    };
    add(1, "email", "jijian-jubao@qinglan-first-hospital.example.cn");
    add(
        2,
        "web",
        "https://example.test/report/form/anonymous/index.html",
    );
    add(
        3,
        "box",
        "门诊楼一楼大厅东侧、住院部一楼电梯厅、行政楼三楼纪检监察室门口各设一个",
    );
    add(4, "visit", "青岚市清河路 88 号 行政楼三楼 302 室");
    add(5, "sms", "0000-81234568");
    add(6, "wechat", "https://example.test/wechat/");
    assert_eq!(site.build().code, 0);
    let base = static_server::serve(&site.path("public"));
    for i in 1..=6 {
        b.goto(&format!("{base}/channels/c{i}/poster/"));
        let pdf = b.print_pdf();
        assert!(pdf.starts_with(b"%PDF"), "a PDF came back");
        assert_eq!(
            crate::webdriver::pdf_pages(&pdf),
            1,
            "channel {i}: one A4 page"
        );
    }
    b.goto(&format!("{base}/report/poster/%E9%97%A8%E8%AF%8A%E6%A5%BC%E4%B8%80%E6%A5%BC%E5%A4%A7%E5%8E%85%E4%B8%9C%E4%BE%A7/"));
    let sheets = b.eval("return document.querySelectorAll('.poster-page').length;");
    let pages = crate::webdriver::pdf_pages(&b.print_pdf());
    assert_eq!(
        serde_json::json!(pages),
        sheets,
        "each sheet of a location's poster one page"
    );
}

/// Single and multiple-choice questions whose right options end in 对 and wrong ones in 错;
/// `答案：DB` is written out of order on purpose.
const PRINT_BANK: &str = "---\ntitle: 打印自测\n---\n## 【单选】第一题？\n编号：s1\nA. 甲错\nB. 乙对\nC. 丙错\nD. 丁错\n答案：B\n\n## 【单选】第二题？\n编号：s2\nA. 子错\nB. 丑错\nC. 寅错\nD. 卯对\n答案：D\n\n## 【单选】第三题？\n编号：s3\nA. 春对\nB. 夏错\nC. 秋错\nD. 冬错\n答案：A\n\n## 【多选】第四题？\n编号：m1\nA. 金对\nB. 木错\nC. 水对\nD. 火错\nE. 土对\n答案：ACE\n\n## 【多选】第五题？\n编号：m2\nA. 东错\nB. 南对\nC. 西错\nD. 北对\nE. 中错\n答案：DB\n\n## 【多选】第六题？\n编号：m3\nA. 一对\nB. 二对\nC. 三错\nD. 四对\n答案：A、B、D\n\n## 【判断】第七题。\n编号：tf\n答案：对\n";

/// What each printed choice question shows, read with print media emulated: its options as
/// (letter, text) in print order, its entry in the printed key (答案与解析, after the paper),
/// whether the key shows and the paper does not, and whether the options moved.
fn printed_questions(b: &Browser) -> Vec<serde_json::Value> {
    let v = b.eval(
        "var out = []; var qs = document.querySelectorAll('.question');
         var keys = document.querySelectorAll('#quiz-key li[data-key]'), order = [];
         for (var k = 0; k < keys.length; k++) { if (getComputedStyle(keys[k]).display !== 'none') { order.push(keys[k].getAttribute('data-key')); } }
         var paper = [];
         for (var p = 0; p < qs.length; p++) { if (getComputedStyle(qs[p]).display !== 'none') { paper.push(qs[p].getAttribute('data-id')); } }
         for (var i = 0; i < qs.length; i++) {
           var q = qs[i];
           if (getComputedStyle(q).display === 'none' || !q.querySelector('.letter')) { continue; }
           var opts = []; var lis = q.querySelectorAll('.options li'); var moved = false;
           for (var j = 0; j < lis.length; j++) {
             opts.push([lis[j].querySelector('.letter').innerText, lis[j].querySelector('.option-text').innerText]);
             if (lis[j].querySelector('input').value !== String(j)) { moved = true; }
           }
           var key = document.querySelector('#quiz-key li[data-key=\"' + q.getAttribute('data-id') + '\"] .key-answer');
           var inline = q.querySelector('.answer-text').getBoundingClientRect().height > 0;
           out.push({id: q.getAttribute('data-id'), options: opts, answer: key.innerText,
                     shown: key.getBoundingClientRect().height > 0 && !inline, moved: moved,
                     same_order: order.join() === paper.join()});
         }
         return out;",
    );
    v.as_array().unwrap().clone()
}

/// Every printed answer letter names the option printed under that letter, the key lists
/// exactly the right options, in ascending letter order.
fn assert_key_matches_paper(questions: &[serde_json::Value]) {
    for q in questions {
        let id = q["id"].as_str().unwrap();
        let options: Vec<(String, String)> = q["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o[0].as_str().unwrap().into(), o[1].as_str().unwrap().into()))
            .collect();
        let key = q["answer"].as_str().unwrap();
        assert_eq!(
            q["shown"].as_bool(),
            Some(true),
            "{id}: in the key, not on the paper"
        );
        assert_eq!(
            q["same_order"].as_bool(),
            Some(true),
            "the key follows the paper"
        );
        let mut letters = Vec::new();
        let mut texts = Vec::new();
        for part in key.split('；') {
            let (letter, text) = part.split_once(' ').unwrap_or((part, ""));
            let printed = options.iter().find(|(l, _)| l == letter);
            assert_eq!(
                printed.map(|(_, t)| t.as_str()),
                Some(text),
                "{id}: key `{key}` names {letter} but {letter} on paper is {printed:?}; options {options:?}"
            );
            letters.push(letter.to_owned());
            texts.push(text.to_owned());
        }
        let mut sorted = letters.clone();
        sorted.sort();
        assert_eq!(letters, sorted, "{id}: key `{key}` in display order");
        let right: Vec<&str> = options
            .iter()
            .filter(|(_, t)| t.ends_with('对'))
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(texts, right, "{id}: key `{key}` lists the right options");
    }
}

#[test]
fn the_printed_answer_key_names_the_printed_letters() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let site = Site::small();
    site.write("content/quizzes/print.md", PRINT_BANK);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = static_server::serve(&site.path("public"));
    b.goto(&format!("{base}/quizzes/print/"));
    b.emulate_media("print");
    let printed = printed_questions(&b);
    assert_eq!(printed.len(), 6, "every choice question prints");
    assert!(
        printed.iter().any(|q| q["moved"] == true),
        "the script shuffled the options"
    );
    assert_key_matches_paper(&printed);
    // For a look by eye: QINGLIAN_PRINT_PDF=DIR keeps the printed page as DIR/quiz-print.pdf.
    if let Ok(dir) = std::env::var("QINGLIAN_PRINT_PDF") {
        std::fs::write(Path::new(&dir).join("quiz-print.pdf"), b.print_pdf()).unwrap();
    }

    // Answer wrongly, retry the wrong ones (redrawn and reshuffled): the key follows.
    b.emulate_media("");
    pick(&b, "s1", "0");
    pick(&b, "m1", "1");
    b.click(&b.find("#quiz-submit"));
    b.click(&b.find("#quiz-submit"));
    b.emulate_media("print");
    assert_key_matches_paper(&printed_questions(&b));
    b.emulate_media("");
    b.click(&b.find("#quiz-retry-wrong"));
    b.emulate_media("print");
    let retried = printed_questions(&b);
    assert_eq!(
        retried.len(),
        6,
        "every choice question was wrong or unanswered"
    );
    assert_key_matches_paper(&retried);
}

/// Polls `f` until it gives a value, for up to ten seconds.
fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

fn record_row(b: &Browser) -> Vec<String> {
    let v = b.eval("var r = document.querySelector(\"tr[data-module='modules/m1']\"); return [r.querySelector('.record-readings').textContent, r.querySelector('.record-best').textContent, r.querySelector('.record-status').textContent];");
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

fn transfer_status(b: &Browser) -> String {
    b.eval("return document.getElementById('record-transfer-status').textContent;")
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn the_study_record_is_exported_and_imported_into_an_empty_browser() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let (site, base) = served_quiz_site();
    let record = format!("{base}/modules/record/");

    // Open one reading and pass the module's self-test.
    b.goto(&format!("{base}/principles/08/"));
    b.goto(&format!("{base}/quizzes/red/?module=modules/m1"));
    pick(&b, "q-single", "1");
    pick(&b, "q-multi", "0");
    pick(&b, "q-multi", "1");
    pick(&b, "q-tf", "false");
    b.send_keys(&b.find("input[name='q-blank-0']"), "24");
    b.click(&b.find("#quiz-submit"));
    b.goto(&record);
    assert_eq!(record_row(&b), ["1 / 2", "100%", "已完成"]);

    // Export: the file lands in the download folder.
    let export = b.find("#record-export");
    assert!(b.displayed(&export), "the script shows the export button");
    b.click(&export);
    // Chromium reserves the name with an empty file and renames the finished download over
    // it: the file counts once it has content and no `.crdownload` is left.
    let file = wait_for("the exported file", || {
        let paths: Vec<_> = std::fs::read_dir(b.downloads())
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        let busy = paths
            .iter()
            .any(|p| p.extension().is_some_and(|x| x == "crdownload"));
        let done = |p: &&std::path::PathBuf| std::fs::metadata(p).is_ok_and(|m| m.len() > 0);
        let json = paths
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "json"));
        json.filter(done).find(|_| !busy).cloned()
    });
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("学习记录-") && name.ends_with(".json"),
        "{name}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).expect("the record is JSON");
    assert_eq!(json["format"], "qinglian-study-record");
    assert_eq!(json["version"], 1);
    assert_eq!(json["site"], "测试站点");
    assert_eq!(json["exported"].as_str().unwrap().len(), 10);
    assert_eq!(json["data"]["quiz"]["quizzes/red"]["best"], 100);
    assert_eq!(json["data"]["modules"]["modules/m1"]["best"], 100);
    assert_eq!(json["data"]["visited"]["/principles/08/"], 1);
    assert!(
        transfer_status(&b).contains(&name),
        "{}",
        transfer_status(&b)
    );

    // A new browser profile, as on another computer: nothing is recorded.
    b.eval("window.localStorage.clear(); return 1;");
    b.goto(&record);
    assert_eq!(record_row(&b), ["0 / 2", "—", "未开始"]);

    // A file that is not a record is refused inline, and nothing changes.
    site.write(
        "not-a-record.json",
        "{\"format\": \"something-else\", \"data\": {}}",
    );
    let input = b.find("#record-import");
    b.send_keys(&input, site.path("not-a-record.json").to_str().unwrap());
    let refused = wait_for("the refusal", || {
        Some(transfer_status(&b)).filter(|s| !s.is_empty())
    });
    assert!(refused.contains("不是学习记录"), "{refused}");
    assert_eq!(
        b.attr(&b.find("#record-transfer-status"), "role")
            .as_deref(),
        Some("status")
    );
    assert_eq!(record_row(&b), ["0 / 2", "—", "未开始"]);

    // The exported file brings the score and the reading back.
    b.send_keys(&input, file.to_str().unwrap());
    let merged = wait_for("the import", || {
        Some(transfer_status(&b)).filter(|s| s.contains("已导入"))
    });
    assert!(
        merged.contains("1 个自测成绩、1 个学习模块成绩、1 篇已学材料有更新"),
        "{merged}"
    );
    assert_eq!(record_row(&b), ["1 / 2", "100%", "已完成"]);
    b.goto(&record);
    assert_eq!(
        record_row(&b),
        ["1 / 2", "100%", "已完成"],
        "kept after a reload"
    );

    // Importing it again changes nothing, and says so.
    b.send_keys(&b.find("#record-import"), file.to_str().unwrap());
    let again = wait_for("the second import", || {
        Some(transfer_status(&b)).filter(|s| !s.is_empty())
    });
    assert!(again.contains("没有变化"), "{again}");
}

#[test]
fn without_blob_the_record_is_shown_to_copy() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let (_site, base) = served_quiz_site();
    b.goto(&format!("{base}/principles/08/"));
    b.goto(&format!("{base}/modules/record/"));
    b.eval("window.Blob = undefined; return 1;");
    b.click(&b.find("#record-export"));
    assert!(b.displayed(&b.find("#record-export-text")));
    let text = b.eval("return document.getElementById('record-export-text').value;");
    let json: serde_json::Value = serde_json::from_str(text.as_str().unwrap()).unwrap();
    assert_eq!(json["format"], "qinglian-study-record");
    assert_eq!(json["data"]["visited"]["/principles/08/"], 1);
    assert!(
        transfer_status(&b).contains("复制"),
        "{}",
        transfer_status(&b)
    );
    assert_eq!(
        b.eval("return document.activeElement.id;").as_str(),
        Some("record-export-text")
    );
}

#[test]
fn importing_keeps_the_better_score_on_each_side() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let (site, base) = served_quiz_site();
    b.goto(&format!("{base}/modules/record/"));
    b.eval("localStorage.setItem('qinglian.modules', JSON.stringify({'modules/m1': {best: 80, passed: true, at: '2026-11-01'}})); localStorage.setItem('qinglian.quiz', JSON.stringify({'quizzes/red': {best: 80, last: 80, attempts: 2, at: '2026-11-01'}})); return 1;");
    site.write(
        "older.json",
        r#"{"format": "qinglian-study-record", "version": 1, "exported": "2026-10-01", "site": "测试站点",
            "data": {"modules": {"modules/m1": {"best": 60, "passed": false, "at": "2026-10-01"}},
                     "quiz": {"quizzes/red": {"best": 95, "last": 95, "attempts": 5, "at": "2026-10-01"}, "quizzes/other": {"best": "<b>x</b>"}},
                     "visited": {"/cases/2024/red/": 1, "javascript:x": 1}}}"#,
    );
    b.goto(&format!("{base}/modules/record/"));
    b.send_keys(
        &b.find("#record-import"),
        site.path("older.json").to_str().unwrap(),
    );
    let status = wait_for("the import", || {
        Some(transfer_status(&b)).filter(|s| !s.is_empty())
    });
    assert!(
        status.contains("2026-10-01")
            && status.contains("1 个自测成绩、0 个学习模块成绩、1 篇已学材料"),
        "{status}"
    );
    assert_eq!(
        record_row(&b),
        ["1 / 2", "80%", "已完成"],
        "the module's 80 is kept"
    );
    let stored = b.eval("return [JSON.parse(localStorage.getItem('qinglian.quiz')), JSON.parse(localStorage.getItem('qinglian.visited'))];");
    let quiz = &stored[0]["quizzes/red"];
    assert_eq!(
        (&quiz["best"], &quiz["attempts"], &quiz["last"], &quiz["at"]),
        (&95.into(), &5.into(), &80.into(), &"2026-11-01".into()),
        "best and attempts are the larger; the last attempt is the later one"
    );
    assert!(
        stored[0].get("quizzes/other").is_none(),
        "a score that is not a number is ignored"
    );
    assert!(
        stored[1].get("javascript:x").is_none(),
        "only page paths are taken"
    );
}

/// Imports the file `name` (written with `text`) on the record page and returns what the
/// status line then says (cleared first, so the same message twice is still seen).
fn import_record(b: &Browser, site: &Site, name: &str, text: &str) -> String {
    site.write(name, text);
    b.eval("document.getElementById('record-transfer-status').textContent = ''; return 1;");
    b.send_keys(&b.find("#record-import"), site.path(name).to_str().unwrap());
    wait_for(name, || Some(transfer_status(b)).filter(|s| !s.is_empty()))
}

#[test]
fn any_json_is_imported_or_refused_inline_and_leaves_no_trace_on_objects() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let (site, base) = served_quiz_site();
    b.goto(&format!("{base}/modules/record/"));
    let head = r#""format": "qinglian-study-record", "version": 1, "exported": "2026-10-01""#;
    for (i, text) in [
        "[]".to_owned(),
        "\"qinglian-study-record\"".to_owned(),
        "42".to_owned(),
        "null".to_owned(),
        format!("{{{head}, \"data\": null}}"),
        format!("{{{head}, \"data\": [1]}}"),
        "{\"format\": {\"x\": 1}, \"version\": \"1\", \"data\": {}}".to_owned(),
    ]
    .iter()
    .enumerate()
    {
        let said = import_record(&b, &site, &format!("not-{i}.json"), text);
        assert!(said.contains("不是学习记录"), "{text}: {said}");
    }
    for (i, data) in [
        r#"{"quiz": "x", "modules": null, "visited": [["/principles/08/"]]}"#,
        r#"{"quiz": {"a": null, "b": [], "c": "s", "d": {"best": null}, "e": {"best": "90"}}, "modules": [1, 2], "visited": 7}"#,
        r#"{"quiz": {"quizzes/red": {"best": 1e400, "attempts": 1e308}}, "modules": {"modules/m1": {"best": -1e400}}, "name": {"toString": 1}}"#,
    ]
    .iter()
    .enumerate()
    {
        let text = format!("{{{head}, \"data\": {data}}}");
        let said = import_record(&b, &site, &format!("odd-{i}.json"), &text);
        assert!(said.contains("没有变化"), "{data}: {said}");
    }
    assert_eq!(record_row(&b), ["0 / 2", "—", "未开始"]);

    // Ids that are names of Object.prototype's members are ids like any other; "__proto__"
    // cannot be one and is left out.
    let data = r#"{"quiz": {"hasOwnProperty": {"best": 90}, "__proto__": {"best": 80, "polluted": true}, "constructor": {"best": 70}, "toString": {"best": 60, "at": {"x": 1}}, "valueOf": {"best": 50, "attempts": 1e308}},
                    "modules": {"modules/m1": {"best": 100, "passed": true, "hasOwnProperty": 1}},
                    "visited": {"hasOwnProperty": 1, "__proto__": 1, "/principles/08/": {"deep": [1]}, "/constructor": 1}}"#;
    let said = import_record(
        &b,
        &site,
        "names.json",
        &format!("{{{head}, \"data\": {data}}}"),
    );
    assert!(
        said.contains("4 个自测成绩、1 个学习模块成绩、1 篇已学材料有更新"),
        "{said}"
    );
    assert_eq!(record_row(&b), ["1 / 2", "100%", "已完成"]);
    let stored = b.eval("var q = JSON.parse(localStorage.getItem('qinglian.quiz')), v = JSON.parse(localStorage.getItem('qinglian.visited')); return [Object.keys(q).sort(), q.hasOwnProperty.best, Object.keys(v).sort(), ({}).best === undefined && ({}).polluted === undefined && typeof ({}).hasOwnProperty === 'function'];");
    assert_eq!(
        stored,
        serde_json::json!([
            ["constructor", "hasOwnProperty", "toString", "valueOf"],
            90,
            ["/constructor", "/modules/record/", "/principles/08/"],
            true
        ])
    );
    b.goto(&format!("{base}/modules/record/"));
    assert_eq!(
        record_row(&b),
        ["1 / 2", "100%", "已完成"],
        "the page still works"
    );
    let again = import_record(
        &b,
        &site,
        "names-again.json",
        &format!("{{{head}, \"data\": {data}}}"),
    );
    assert!(again.contains("没有变化"), "{again}");
}

#[test]
fn a_record_too_large_to_keep_is_refused_and_the_old_one_stays() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let (site, base) = served_quiz_site();
    b.goto(&format!("{base}/modules/record/"));
    b.eval("localStorage.setItem('qinglian.quiz', JSON.stringify({'quizzes/red': {best: 80, last: 80, attempts: 2, at: '2026-11-01'}})); localStorage.setItem('qinglian.visited', JSON.stringify({'/principles/08/': 1})); localStorage.setItem('filler', new Array(2500001).join('x')); return 1;");
    b.goto(&format!("{base}/modules/record/"));
    let before = b.eval("return [localStorage.getItem('qinglian.quiz'), localStorage.getItem('qinglian.modules'), localStorage.getItem('qinglian.visited')];");
    // Better scores (which would be kept) and 3 MB of pages: more than the storage has left.
    let mut visited = String::from("\"/cases/2024/red/\": 1");
    for i in 0..1500 {
        visited.push_str(&format!(", \"/p/{i}/{}\": 1", "x".repeat(1990)));
    }
    let text = format!(
        r#"{{"format": "qinglian-study-record", "version": 1, "exported": "2026-10-01", "data": {{"quiz": {{"quizzes/red": {{"best": 100}}}}, "modules": {{"modules/m1": {{"best": 100, "passed": true}}}}, "visited": {{{visited}}}}}}}"#
    );
    assert!(text.len() > 3_000_000 && text.len() < 5_000_000);
    let said = import_record(&b, &site, "large.json", &text);
    assert!(said.contains("存不下"), "{said}");
    let status = b.find("#record-transfer-status");
    assert!(
        b.attr(&status, "class")
            .unwrap_or_default()
            .contains("error"),
        "shown as a problem"
    );
    let after = b.eval("return [localStorage.getItem('qinglian.quiz'), localStorage.getItem('qinglian.modules'), localStorage.getItem('qinglian.visited')];");
    assert_eq!(after, before, "what was kept before is kept");
    assert_eq!(record_row(&b), ["1 / 2", "80%", "已完成"]);

    // A file larger than any record is not even read.
    let huge = format!(
        "{{\"format\": \"qinglian-study-record\", \"pad\": \"{}\"}}",
        "x".repeat(5_100_000)
    );
    let said = import_record(&b, &site, "huge.json", &huge);
    assert!(said.contains("存不下"), "{said}");
    b.eval("localStorage.removeItem('filler'); return 1;");
}

/// The hrefs of the header's nav and the 我要举报 entry, as written in the page.
fn header_links(b: &Browser) -> Vec<String> {
    let v = b.eval("var a = document.querySelectorAll('.site-nav a, .report-entry'), out = []; for (var i = 0; i < a.length; i++) { out.push(a[i].getAttribute('href')); } return out;");
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

/// Whether the page at hand is a styled page of the site (the stylesheet loaded).
fn styled_page(b: &Browser) -> bool {
    b.eval("var h = document.querySelector('.site-header'); return !!h && getComputedStyle(h).backgroundColor !== 'rgba(0, 0, 0, 0)';")
        .as_bool()
        .unwrap_or(false)
}

#[test]
fn a_relative_build_works_from_a_folder_by_file_url() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let site = Site::small();
    site.write(
        "content/site.yaml",
        &format!(
            "{}base_url: https://example.test/lian/\n",
            crate::common::SITE_YAML.replace("base_url: https://example.test/\n", "")
        ),
    );
    site.write("content/quizzes/red.md", BANK);
    site.write("content/modules/m1.md", "---\ntitle: 模块一\norder: 1\nreadings: [principles/08, cases/2024/red]\nquiz: quizzes/red\npass: 75\n---\n学习。\n");
    let run = site.run(&["build", "--now", "2026-11-23", "--relative"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = format!(
        "file://{}",
        site.path("public-relative/index.html").display()
    );
    b.goto(&home);
    assert!(styled_page(&b), "the stylesheet loads from disk");
    let links = header_links(&b);
    assert!(links.len() >= 5, "{links:?}");
    for href in &links {
        assert!(href.ends_with("index.html"), "{href}");
        b.goto(&home);
        b.click(&b.find(&format!(".site-header a[href='{href}']")));
        let url = b.eval("return location.href;");
        let url = url.as_str().unwrap();
        assert!(
            url.starts_with("file://") && url.ends_with("/index.html"),
            "{url}"
        );
        assert!(styled_page(&b), "{url} is a styled page of the site");
    }

    // The study path: a module's reading, then its self-test, all from disk.
    b.goto(&format!(
        "file://{}",
        site.path("public-relative/modules/m1/index.html").display()
    ));
    b.click(&b.find("a[data-reading='/lian/principles/08/']"));
    assert!(styled_page(&b));
    b.goto(&format!(
        "file://{}",
        site.path("public-relative/modules/m1/index.html").display()
    ));
    assert!(
        b.displayed(&b.find("[data-reading-done='/lian/principles/08/']")),
        "the reading opened from disk counts as read"
    );
    b.click(&b.find("a[href='../../quizzes/red/index.html?module=modules/m1']"));
    pick(&b, "q-single", "1");
    pick(&b, "q-multi", "0");
    pick(&b, "q-multi", "1");
    pick(&b, "q-tf", "false");
    b.send_keys(&b.find("input[name='q-blank-0']"), "24");
    b.click(&b.find("#quiz-submit"));
    let score = b.eval("return document.getElementById('quiz-score').textContent;");
    assert!(score.as_str().unwrap().contains("100%"), "{score}");

    // Search from the header box, then follow the first result.
    b.goto(&home);
    b.send_keys(&b.find("#site-search-q"), "红包");
    b.press("\u{E007}");
    let first = wait_for("search results", || {
        let v = b.eval("var a = document.querySelector('#search-results li > a'); return a ? a.getAttribute('href') : null;");
        v.as_str().map(str::to_owned)
    });
    assert!(
        first.starts_with("../") && first.ends_with("/index.html"),
        "{first}"
    );
    b.click(&b.find("#search-results li > a"));
    assert!(styled_page(&b), "the result opens from disk");
}

/// Passes the self-test `BANK` on the page at hand (opened with `?module=modules/m1`).
fn pass_bank(b: &Browser) {
    pick(b, "q-single", "1");
    pick(b, "q-multi", "0");
    pick(b, "q-multi", "1");
    pick(b, "q-tf", "false");
    b.send_keys(&b.find("input[name='q-blank-0']"), "24");
    b.click(&b.find("#quiz-submit"));
    let score = b.eval("return document.getElementById('quiz-score').textContent;");
    assert!(score.as_str().unwrap().contains("100%"), "{score}");
}

/// With more modules than a page holds, the study record comes in pages: a module on the
/// second is filled in there from the browser's progress, over http and from disk, and that
/// page prints as its own sheet marked as the second of two.
#[test]
fn a_paged_study_record_fills_in_its_second_page_over_http_and_from_disk() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let site = Site::small();
    site.write("content/quizzes/red.md", BANK);
    site.write("content/modules/m1.md", "---\ntitle: 模块一\norder: 100\nreadings: [principles/08, cases/2024/red]\nquiz: quizzes/red\npass: 75\n---\n学习。\n");
    for i in 0..55 {
        site.write(
            &format!("content/modules/f{i:02}.md"),
            &format!("---\ntitle: 专题{i}\norder: {i}\nreadings: [principles/09]\n---\n学习。\n"),
        );
    }
    assert_eq!(site.build().code, 0);
    let run = site.run(&["build", "--now", "2026-11-23", "--relative"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !site
            .read("public/modules/record/index.html")
            .contains("modules/m1")
    );
    let base = static_server::serve(&site.path("public"));
    b.goto(&format!("{base}/quizzes/red/?module=modules/m1"));
    pass_bank(&b);
    b.goto(&format!("{base}/modules/record/page/2/"));
    assert_eq!(record_row(&b), ["0 / 2", "100%", "已完成"]);
    let sheet = b.eval("return document.getElementById('record-sheet-title').textContent;");
    assert!(
        sheet.as_str().unwrap().contains("第 2 页，共 2 页"),
        "{sheet}"
    );
    assert!(
        b.displayed(&b.find("#record-print")),
        "the script runs on page 2"
    );

    let disk = |rel: &str| {
        format!(
            "file://{}",
            site.path(&format!("public-relative/{rel}")).display()
        )
    };
    b.goto(&disk("quizzes/red/index.html?module=modules/m1"));
    pass_bank(&b);
    b.goto(&disk("modules/record/index.html"));
    b.click(&b.find("nav.pager a[rel='next']"));
    let url = b.eval("return location.href;");
    assert!(
        url.as_str()
            .unwrap()
            .ends_with("/modules/record/page/2/index.html"),
        "{url}"
    );
    assert_eq!(record_row(&b), ["0 / 2", "100%", "已完成"]);
}
