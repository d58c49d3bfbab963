//! A 360×640 phone in headless Chromium over every page of a site that has every kind of page
//! (home, each list and item, report, posters, search, record, 404, a rectification list, a
//! bank with long options, a current reminder): nothing sticks out sideways except inside a
//! table's scrolling wrapper, the header (menu, search box, 我要举报, larger-text switch and
//! the reminder banner) takes at most a quarter of the screen, table cells keep room for
//! words, quiz text stays in its box, breadcrumbs keep clear of the header, the footer keeps
//! its lines and reaches the bottom of short pages. Set `QINGLIAN_SCREENSHOTS` to a folder to
//! keep a screenshot of each page (the first screen and the whole page).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::Site;
use crate::static_server;
use crate::webdriver::Browser;

const LONG_WORD: &str = "Pneumonoultramicroscopicsilicovolcanoconiosis";
const LONG_URL: &str = "https://www.example-hospital.gov.cn/integrity/notices/2026/very-long-path/index.html?id=1234567890";

/// A site with one of each kind of page, and the text that breaks phone layouts: long Latin
/// words, bare URLs, long options, a Markdown table, a many-line footer.
fn phone_site() -> Site {
    let site = Site::small();
    site.write("content/site.yaml", &format!("{}footer: |\n  青岚市第一人民医院 纪检监察室\n  地址：青岚市清河路 88 号　邮编：000000\n  网址：{LONG_URL}\n", crate::common::SITE_YAML));
    site.write(
        "content/principles/_index.md",
        "---\ntitle: 九项准则\nsummary: 逐条释义。\n---\n栏目介绍。\n",
    );
    site.write("content/cases/2024/long.md", &format!("---\ntitle: 收受回扣案（{LONG_WORD}）\ndate: 2024-03-01\nunit: 医学装备部\nsubject: 李某\nprinciples: [9]\nsanctions:\n  - {{kind: 政务处分, level: 记过, authority: 市纪委监委驻市卫生健康委纪检监察组, date: 2024-03-01}}\nlessons: 不收回扣。\n---\n详见 {LONG_URL} 与 {LONG_WORD}。\n"));
    site.write(
        "content/channels/web.md",
        &format!(
            "---\ntitle: 网上举报平台\nkind: web\nvalue: \"{LONG_URL}\"\nhours: 全天24小时\n---\n"
        ),
    );
    site.write("content/channels/email.md", "---\ntitle: 纪检监察举报邮箱\nkind: email\nvalue: jijian-jiancha-jubao-xinxiang@qinglian-first-hospital.example.cn\nlocation: 行政楼三楼\n---\n");
    site.write("content/disclosures/rectify.md", &rectification());
    site.write("content/quizzes/long.md", &long_bank());
    site.write("content/modules/m1.md", "---\ntitle: 模块一\norder: 1\nprinciples: [8]\nreadings: [principles/08, cases/2024/red]\nquiz: quizzes/long\n---\n学习。\n");
    site.write("content/news/n1.md", "---\ntitle: 医院召开警示教育大会\ndate: 2026-06-03\nsummary: 全院职工参加。\nprinciples: [8]\n---\n会议要求……\n");
    site.write("content/risks/buy.md", "---\ntitle: 药品耗材采购\ndepartment: 药学部\npost: 采购员\nprocess: 遴选与采购\nrisks:\n  - risk: 与供应商私下接触并接受宴请、礼品、购物卡或者其他不正当利益\n    level: 高\n    controls: [集体决策, 全程留痕, 定期轮岗]\n    owner: 药学部主任\n    principles: [9]\n---\n说明。\n");
    site.write("content/reminders/now.md", "---\ntitle: 中秋国庆廉洁提醒\nfrom: 2026-11-01\nuntil: 2026-12-31\nsummary: 节日期间请守住廉洁底线：不收红包礼品，不接受企业宴请，不违规发放福利，不公车私用。\n---\n提醒正文。\n");
    site.write(
        "content/pledges/staff.md",
        "---\ntitle: 医务人员廉洁从业承诺书\nroles: [全体医务人员]\n---\n本人郑重承诺。\n",
    );
    site.write("content/pages/about.md", &format!("---\ntitle: 关于本站\nmenu: true\n---\n见[第八条](@/principles/08.md)。\n\n| 栏目 | 主办部门 | 联系电话 | 更新频率 | 备注说明 |\n|---|---|---|---|---|\n| 信息公开 | 纪检监察室 | 0000-81234567 | 每月 | {LONG_WORD} |\n| 警示案例 | 宣传中心 | 0000-81234568 | 每季度 | 案例均已隐去姓名 |\n\n原文：{LONG_URL}\n"));
    site
}

/// A rectification list of five items with long measures, as a disclosure carries them.
fn rectification() -> String {
    let mut text = String::from(
        "---\ntitle: 关于巡察反馈问题整改进展情况的公示\ncategory: 整改公示\ndoc_no: 测党〔2025〕45号\ndate: 2025-12-20\nstatus: 整改推进中\nitems:\n",
    );
    for i in 1..=5 {
        text.push_str(&format!("  - problem: 第{i}项问题：医药代表接待登记不完整，部分科室存在代表进入病区现象\n    measure: 启用医药代表预约接待系统，接待室安装录音录像设备，每月通报违规进入病区情况\n    owner: 药学部、医学装备部\n    deadline: 2025-09-30\n    status: {}\n", if i % 2 == 0 { "整改中" } else { "已完成" }));
    }
    text.push_str("---\n公示如下。\n");
    text
}

/// A bank whose stems and options hold long words, URLs and long sentences.
fn long_bank() -> String {
    format!(
        "---\ntitle: 长题自测\npass: 60\n---\n## 【单选】访问 {LONG_URL} 时发现医药代表提供的 {LONG_WORD} 资料附有购物卡，应当如何处理？\nA. 收下购物卡，资料照常使用，反正金额不大，也没有人知道，科室里其他同事也都是这样做的\nB. 当场拒绝，无法拒绝的在24小时内上交纪检监察室并登记\nC. {LONG_WORD}{LONG_WORD}\nD. {LONG_URL}\n答案：B\n解析：见 {LONG_URL}。\n\n## 【判断】{LONG_WORD} 金额小的红包可以收。\n答案：错\n\n## 【填空】无法拒绝的红包应在（ ）小时内上交，地址见 {LONG_URL}。\n答案：24\n"
    )
}

/// Every page of the built site, as paths to visit: each `index.html`'s folder, the 404 page,
/// and the search page with a query.
fn every_page(public: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(public).unwrap().to_str().unwrap();
            format!("/{}", rel.replace('\\', "/").trim_end_matches("index.html"))
        })
        .map(|p| match p.as_str() {
            "/search/" => "/search/?q=%E7%BA%A2%E5%8C%85".to_owned(),
            _ => p,
        })
        .collect();
    pages.sort();
    pages
}

/// What is wrong with the page at hand on a phone (the checks are in the page's script).
pub fn phone_problems(b: &Browser) -> Vec<String> {
    let v = b.eval(CHECKS);
    v.as_array()
        .unwrap_or_else(|| panic!("checks ran: {v}"))
        .iter()
        .map(|p| p.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The checks, as a script returning a list of problems.
const CHECKS: &str = r#"
var out = [], W = screen.width, H = screen.height, root = document.documentElement;
function box(e) { return e.getBoundingClientRect(); }
function name(e) { return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className.split(' ').join('.') : '') + ' "' + (e.textContent || '').replace(/\s+/g, ' ').slice(0, 30) + '"'; }
function inside(e, sel) { for (var p = e; p; p = p.parentElement) { if (p.matches && p.matches(sel)) { return p; } } return null; }
if (root.scrollWidth > root.clientWidth) { out.push('page is ' + root.scrollWidth + ' px wide'); }
var all = document.body.getElementsByTagName('*');
for (var i = 0; i < all.length; i++) {
  var e = all[i], r = box(e);
  if (r.width === 0 || r.height === 0 || !e.checkVisibility() || inside(e, '.skip, .visually-hidden, .table-wrap')) { continue; }
  if (r.left < -0.5 || r.right > W + 0.5) { out.push('sticks out ' + Math.round(r.left) + '..' + Math.round(r.right) + ': ' + name(e)); }
}
var wraps = document.querySelectorAll('.table-wrap');
for (var i = 0; i < wraps.length; i++) { var r = box(wraps[i]); if (r.left < -0.5 || r.right > W + 0.5) { out.push('table wrapper sticks out: ' + name(wraps[i])); } }
var cells = document.querySelectorAll('th, td');
for (var i = 0; i < cells.length; i++) {
  var c = cells[i], r = box(c), em = parseFloat(getComputedStyle(c).fontSize);
  if (r.width > 0 && r.height > 0 && c.textContent.replace(/\s/g, '').length > 3 && r.width < 4 * em) { out.push('cell ' + Math.round(r.width) + ' px wide: ' + name(c)); }
}
var fields = document.querySelectorAll('.question fieldset');
for (var i = 0; i < fields.length; i++) {
  var f = box(fields[i]), inner = fields[i].getElementsByTagName('*');
  for (var j = 0; j < inner.length; j++) { var r = box(inner[j]); if (r.width > 0 && (r.left < f.left - 0.5 || r.right > f.right + 0.5)) { out.push('crosses its question box: ' + name(inner[j])); } }
}
var top = document.querySelectorAll('.site-header, .staff-notice, .reminder-banner'), bottom = 0;
for (var i = 0; i < top.length; i++) { var r = box(top[i]); if (r.height > 0) { bottom = Math.max(bottom, r.bottom + window.pageYOffset); } }
if (bottom > H / 4) { out.push('header and banners take ' + Math.round(bottom) + ' of ' + H + ' px'); }
var crumbs = document.querySelector('.kicker');
if (crumbs && box(crumbs).top + window.pageYOffset < bottom + 8) { out.push('breadcrumbs touch the header: ' + Math.round(box(crumbs).top + window.pageYOffset) + ' < ' + Math.round(bottom) + ' + 8'); }
var foot = document.querySelector('.site-footer');
if (foot) {
  var end = box(foot).bottom + window.pageYOffset;
  if (end < H - 1 || end < root.scrollHeight - 1) { out.push('footer ends at ' + Math.round(end) + ', the page at ' + Math.max(H, root.scrollHeight)); }
}
return out;"#;

/// Saves the first screen and the whole page as `phone-<name>.png` and `phone-<name>-full.png`.
fn keep_screenshots(b: &Browser, dir: &Path, page: &str) {
    let name: String = page
        .trim_matches('/')
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let name = if name.is_empty() { "home".into() } else { name };
    b.screenshot(&dir.join(format!("phone-{name}.png")));
    b.screenshot_full(&dir.join(format!("phone-{name}-full.png")));
}

/// A 360×640 phone (a headless window is at least 500 px wide: the screen is emulated) and
/// the phone site, built and served: the browser, the site (kept alive) and its address.
fn phone_and_site() -> Option<(Browser, Site, String)> {
    let b = Browser::start(500, 640)?;
    b.emulate_phone(360, 640);
    let site = phone_site();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = static_server::serve(&site.path("public"));
    Some((b, site, base))
}

#[test]
fn every_page_fits_a_360_px_phone() {
    let Some((b, site, base)) = phone_and_site() else {
        return;
    };
    let public = site.path("public");
    let shots = std::env::var_os("QINGLIAN_SCREENSHOTS").map(PathBuf::from);
    let pages = every_page(&public);
    for kind in [
        "/report/poster/",
        "/disclosures/rectify/",
        "/quizzes/long/",
        "/modules/record/",
        "/404.html",
        "/reminders/now/",
    ] {
        assert!(pages.iter().any(|p| p == kind), "{kind} among {pages:?}");
    }
    b.goto(&format!("{base}/"));
    let size = b.eval("return [window.innerWidth, window.innerHeight];");
    assert_eq!(size, serde_json::json!([360, 640]), "a 360×640 screen");
    let mut problems = Vec::new();
    for page in &pages {
        b.goto(&format!("{base}{page}"));
        problems.extend(
            phone_problems(&b)
                .into_iter()
                .map(|p| format!("{page}: {p}")),
        );
        if let Some(dir) = &shots {
            keep_screenshots(&b, dir, page);
        }
    }
    assert!(
        problems.is_empty(),
        "on a 360 px phone:\n{}",
        problems.join("\n")
    );
}

/// The footer's `footer: |` lines stay lines; the menu folds behind a labelled button that
/// opens by keyboard; the larger-text switch still works and the header still fits.
#[test]
fn the_phone_header_folds_its_menu_and_the_footer_keeps_its_lines() {
    let Some((b, _site, base)) = phone_and_site() else {
        return;
    };
    b.goto(&format!("{base}/cases/"));
    let footer = b.eval("return document.querySelector('.site-footer').innerText;");
    assert!(
        footer
            .as_str()
            .unwrap_or("")
            .contains("纪检监察室\n地址：青岚市清河路 88 号　邮编：000000\n网址："),
        "one line each: {footer}"
    );
    let link_shown = "return document.querySelector('.site-nav a').checkVisibility();";
    assert_eq!(b.eval(link_shown), Value::Bool(false), "the menu is folded");
    let toggle = b.find(".menu-toggle");
    assert!(b.displayed(&toggle), "the menu button shows");
    let label =
        b.eval("return document.querySelector('.menu-toggle').textContent.replace(/\\s+/g, '');");
    assert_eq!(label.as_str(), Some("栏目"), "labelled as the menu is");
    b.eval("document.querySelector('.menu-toggle').focus(); return true;");
    b.press("\u{E007}"); // Enter
    assert_eq!(
        b.eval(link_shown),
        Value::Bool(true),
        "Enter opens the menu"
    );
    if let Some(dir) = std::env::var_os("QINGLIAN_SCREENSHOTS") {
        b.screenshot(&Path::new(&dir).join("phone-menu-open.png"));
    }
    let current =
        b.eval("return document.querySelector('.site-nav [aria-current=page]').checkVisibility();");
    assert_eq!(
        current,
        Value::Bool(true),
        "the current section shows in it"
    );
    b.press("\u{E007}");
    assert_eq!(b.eval(link_shown), Value::Bool(false), "and closes it");

    let button = b.find("#text-size");
    assert!(
        b.displayed(&button),
        "the larger-text switch shows on a phone"
    );
    b.click(&button);
    assert_eq!(b.attr(&button, "aria-pressed").as_deref(), Some("true"));
    for page in ["/", "/disclosures/rectify/", "/quizzes/long/", "/about/"] {
        b.goto(&format!("{base}{page}"));
        let large = b.eval("return document.documentElement.className;");
        assert!(
            large.as_str().unwrap_or("").contains("large"),
            "{page}: {large}"
        );
        if let Some(dir) = std::env::var_os("QINGLIAN_SCREENSHOTS") {
            keep_screenshots(&b, Path::new(&dir), &format!("large{page}"));
        }
        let problems = phone_problems(&b);
        assert!(
            problems.is_empty(),
            "{page} with larger text:\n{}",
            problems.join("\n")
        );
    }
}

/// With more telephones than the report page shows, the report page and the telephones' own
/// list (each of its pages) fit the phone and every number on them is a link that dials, large
/// enough to tap, within the screen.
#[test]
fn many_numbers_stay_a_tap_to_dial() {
    let Some(b) = Browser::start(500, 640) else {
        return;
    };
    b.emulate_phone(360, 640);
    let site = Site::small();
    for i in 0..60 {
        site.write(
            &format!("content/channels/p{i:02}.md"),
            &format!("---\ntitle: 第{i}分院举报电话\nkind: phone\nvalue: 0000-8{i:07}\nhours: 工作日 8:00-17:30\n---\n"),
        );
    }
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = static_server::serve(&site.path("public"));
    let numbers = "var out = []; var links = document.querySelectorAll('.channel-value a'); for (var i = 0; i < links.length; i++) { var r = links[i].getBoundingClientRect(); out.push([links[i].getAttribute('href'), r.left, r.right, r.height, links[i].checkVisibility()]); } return out;";
    let mut problems = Vec::new();
    for (page, count) in [
        ("/report/", 4),
        ("/report/phone/", 50),
        ("/report/phone/page/2/", 11),
    ] {
        b.goto(&format!("{base}{page}"));
        problems.extend(
            phone_problems(&b)
                .into_iter()
                .map(|p| format!("{page}: {p}")),
        );
        if let Some(dir) = std::env::var_os("QINGLIAN_SCREENSHOTS") {
            keep_screenshots(&b, Path::new(&dir), page);
        }
        let links = b.eval(numbers);
        let links = links.as_array().unwrap();
        assert_eq!(links.len(), count, "{page}: {links:?}");
        for l in links {
            let href = l[0].as_str().unwrap_or_default();
            let (left, right, height) = (
                l[1].as_f64().unwrap(),
                l[2].as_f64().unwrap(),
                l[3].as_f64().unwrap(),
            );
            assert!(href.starts_with("tel:0000"), "{page}: {href}");
            assert!(
                l[4] == Value::Bool(true) && left >= 0.0 && right <= 360.0,
                "{page}: {l}"
            );
            assert!(height >= 24.0, "{page}: {href} is {height} px tall");
        }
    }
    b.goto(&format!("{base}/report/"));
    let more = b.eval("var a = document.querySelector('.more-channels a'); return [a.getAttribute('href'), a.textContent];");
    assert_eq!(more[0].as_str(), Some("/report/phone/"), "{more}");
    assert!(more[1].as_str().unwrap_or("").contains("61"), "{more}");
    assert!(
        problems.is_empty(),
        "on a 360 px phone:\n{}",
        problems.join("\n")
    );
}
