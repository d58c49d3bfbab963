//! Integration tests for the rest of the integrity column: news with its feed, the risk
//! register, festival reminders and pledges; their errors, audience and drafts, and (in
//! headless Chromium) the register's filter, the reminder's close button and the printed
//! pledge.

use crate::common::Site;
use crate::static_server;
use crate::webdriver::{Browser, pdf_pages};

/// The small site with two news items (one staff-only, one draft besides), a risk file, two
/// reminders and a pledge that a module reads.
fn column_site() -> Site {
    let site = Site::small();
    site.write("content/news/2025/meeting.md", "---\ntitle: 召开警示教育大会\ndate: 2025-03-12\nsummary: 通报典型案例。\ntags: [警示教育]\nprinciples: [8]\n---\n会上通报了[收受红包案](@/cases/2024/red.md)。\n");
    site.write(
        "content/news/2025/internal.md",
        "---\ntitle: 内部通报会\ndate: 2025-04-01\naudience: staff\n---\n仅限职工。\n",
    );
    site.write(
        "content/news/2025/draft.md",
        "---\ntitle: 未完成的动态\ndate: 2025-05-01\ndraft: true\n---\n草稿。\n",
    );
    site.write("content/risks/procurement.md", "---\ntitle: 药品耗材采购\ndepartment: 采购中心\npost: 采购员\nrisks:\n  - risk: 收受供应商回扣\n    level: 高\n    controls: [集中带量采购]\n    principles: [9]\n    policies: [policies/new]\n  - risk: 验收不严\n    level: 低\n---\n");
    site.write("content/risks/finance.md", "---\ntitle: 财务报销\ndepartment: 财务科\nrisks:\n  - risk: 虚假报销\n    level: 中\n    controls: [双人审核]\n---\n");
    site.write(
        "content/risks/secret.md",
        "---\ntitle: 内部岗位\ndepartment: 保密科\naudience: staff\nrisks:\n  - {risk: 泄密, level: 高, controls: [专人保管]}\n---\n",
    );
    site.write("content/reminders/mid-autumn.md", "---\ntitle: 中秋国庆廉洁提醒\nfrom: 2025-09-25\nuntil: 2025-10-08\nsummary: 不收月饼购物卡。\n---\n正文。\n");
    site.write(
        "content/reminders/staff-only.md",
        "---\ntitle: 内部提醒\nfrom: 2025-09-20\nuntil: 2025-10-10\naudience: staff\n---\n",
    );
    site.write("content/pledges/staff.md", "---\ntitle: 医务人员廉洁从业承诺书\nroles: [全体医务人员]\nrecipient: 纪检监察室\n---\n本人承诺：不收红包，不拿回扣。\n");
    site.write("content/modules/m1.md", "---\ntitle: 模块一\norder: 1\nprinciples: [8]\nreadings: [principles/08, cases/2024/red, pledges/staff]\n---\n学习。\n");
    site
}

fn build_on(site: &Site, day: &str, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["build", "--now", day];
    args.extend_from_slice(extra);
    let run = site.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

#[test]
fn news_are_listed_fed_and_shown_where_they_cite() {
    let site = column_site();
    build_on(&site, "2025-06-01", &[]);
    let list = site.read("public/news/index.html");
    assert!(list.contains("召开警示教育大会") && list.contains("通报典型案例"));
    assert!(
        !list.contains("内部通报会") && !list.contains("未完成的动态"),
        "{list}"
    );
    assert!(list.contains("news/atom.xml"));
    let atom = "http://www.w3.org/2005/Atom";
    let text = site.read("public/news/atom.xml");
    let doc = roxmltree::Document::parse(&text).expect("valid Atom");
    let entries: Vec<_> = doc
        .root_element()
        .children()
        .filter(|c| c.has_tag_name((atom, "entry")))
        .collect();
    assert_eq!(entries.len(), 1, "only the published news: {text}");
    assert!(site.read("public/index.html").contains("召开警示教育大会"));
    let principle = site.read("public/principles/08/index.html");
    assert!(principle.contains("citing-news") && principle.contains("召开警示教育大会"));
    let case = site.read("public/cases/2024/red/index.html");
    assert!(case.contains("class=\"mentions\"") && case.contains("/news/2025/meeting/"));
    assert!(!site.read("public/sitemap.xml").contains("internal"));

    build_on(&site, "2025-06-01", &["--audience", "staff"]);
    let list = site.read("public/news/index.html");
    assert!(list.contains("内部通报会") && !list.contains("未完成的动态"));
    let text = site.read("public/news/atom.xml");
    assert_eq!(text.matches("<entry>").count(), 2, "{text}");
}

#[test]
fn news_mistakes_are_located() {
    let site = column_site();
    site.write(
        "content/news/bad.md",
        "---\ntitle: 动态\ndate: 2025-01-01\nprinciples: [12]\ncover: news/none.jpg\ncover_alt: 会场\n---\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/news/bad.md:4:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/news/bad.md:5:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("news/none.jpg"), "{}", run.stderr);
}

#[test]
fn the_risk_register_lists_every_published_risk_and_checks_levels_and_references() {
    let site = column_site();
    build_on(&site, "2025-06-01", &[]);
    let register = site.read("public/risks/index.html");
    assert_eq!(
        register.matches("<tr data-department=").count(),
        3,
        "{register}"
    );
    assert!(register.contains("data-department=\"采购中心\" data-level=\"high\""));
    assert!(
        !register.contains("泄密"),
        "staff-only risks stay out of a public build"
    );
    assert!(register.contains("risks.js") && register.contains("id=\"risk-filter\""));
    let principle = site.read("public/principles/09/index.html");
    assert!(principle.contains("citing-risks") && principle.contains("药品耗材采购"));
    build_on(&site, "2025-06-01", &["--audience", "staff"]);
    assert!(site.read("public/risks/index.html").contains("泄密"));

    site.write("content/risks/bad.md", "---\ntitle: 基建\ndepartment: 基建科\nrisks:\n  - risk: 围标串标\n    level: 很高\n    controls: [公开招标]\n  - risk: 设计变更\n    level: 高\n    policies: [policies/nowhere]\n---\n");
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    assert!(
        err.contains("content/risks/bad.md:6:") && err.contains("很高"),
        "{err}"
    );
    site.write("content/risks/bad.md", "---\ntitle: 基建\ndepartment: 基建科\nrisks:\n  - risk: 围标串标\n    level: 中\n    controls: [公开招标]\n  - risk: 设计变更\n    level: 高\n    policies: [policies/nowhere]\n---\n");
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    assert!(
        err.contains("content/risks/bad.md:10:") && err.contains("policies/nowhere"),
        "{err}"
    );
    assert!(
        err.contains("content/risks/bad.md:8:") && err.contains("设计变更"),
        "warning: {err}"
    );
}

#[test]
fn a_reminder_shows_on_every_page_only_within_its_dates() {
    let site = column_site();
    for (day, shown) in [
        ("2025-09-24", false),
        ("2025-09-25", true),
        ("2025-10-08", true),
        ("2025-10-09", false),
    ] {
        build_on(&site, day, &[]);
        for page in [
            "index.html",
            "cases/index.html",
            "pledges/staff/index.html",
            "404.html",
        ] {
            let html = site.read(&format!("public/{page}"));
            assert_eq!(html.contains("中秋国庆廉洁提醒"), shown, "{day} {page}");
            assert!(
                !html.contains("内部提醒"),
                "staff-only reminders stay out: {page}"
            );
        }
    }
    let list = site.read("public/reminders/index.html");
    assert!(
        list.contains("reminders-past") && list.contains("中秋国庆廉洁提醒"),
        "{list}"
    );
    build_on(&site, "2025-09-30", &["--audience", "staff"]);
    assert!(site.read("public/index.html").contains("内部提醒"));

    site.write(
        "content/reminders/bad.md",
        "---\ntitle: 提醒\nfrom: 2025-10-08\nuntil: 2025-09-25\n---\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/reminders/bad.md:4:"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_pledge_is_a_reading_with_fields_and_signature_lines() {
    let site = column_site();
    build_on(&site, "2025-06-01", &[]);
    let pledge = site.read("public/pledges/staff/index.html");
    for part in [
        "id=\"pledge-name\"",
        "id=\"pledge-name-out\"",
        "纪检监察室",
        "pledge.js",
    ] {
        assert!(pledge.contains(part), "{part}");
    }
    let module = site.read("public/modules/m1/index.html");
    assert!(
        module.contains("data-reading=\"/pledges/staff/\""),
        "{module}"
    );
    assert!(
        site.read("public/pledges/index.html")
            .contains("全体医务人员")
    );
}

/// Serves the column site built on a day its reminder is current.
fn served() -> (Site, String) {
    let site = column_site();
    build_on(&site, "2025-09-30", &[]);
    let base = static_server::serve(&site.path("public"));
    (site, base)
}

#[test]
fn the_register_filters_by_department_and_level_in_a_browser() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (_site, base) = served();
    b.goto(&format!("{base}/risks/"));
    let visible = "return Array.prototype.filter.call(document.querySelectorAll('#risk-table tbody tr'), function (r) { return r.offsetParent !== null; }).length;";
    assert_eq!(b.eval(visible).as_u64(), Some(3));
    assert!(
        b.displayed(&b.find("#risk-filter")),
        "the filter appears once JS runs"
    );
    b.eval(
        "var s = document.getElementById('risk-department'); s.value = '采购中心'; s.onchange();",
    );
    assert_eq!(b.eval(visible).as_u64(), Some(2));
    b.eval("var s = document.getElementById('risk-level'); s.value = 'high'; s.onchange();");
    assert_eq!(b.eval(visible).as_u64(), Some(1));
    let count = b.eval("return document.getElementById('risk-count').textContent;");
    assert!(count.as_str().unwrap_or("").contains('1'), "{count}");
    b.goto(&format!("{base}/risks/?level=low"));
    assert_eq!(
        b.eval(visible).as_u64(),
        Some(1),
        "a filter in the address applies"
    );
    b.emulate_media("print");
    let width =
        b.eval("return document.querySelector('.register-table').getBoundingClientRect().width;");
    assert!(width.as_f64().unwrap_or(0.0) > 0.0);
    b.emulate_media("");
}

#[test]
fn a_reminder_closes_for_the_session_and_the_report_entry_stays_put() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (_site, base) = served();
    b.goto(&format!("{base}/"));
    let report_top = "return document.querySelector('.report-entry').getBoundingClientRect().top + window.pageYOffset;";
    let before = b.eval(report_top);
    let banner = b.find(".reminder-banner");
    assert!(b.displayed(&banner));
    let close = b.find(".reminder-close");
    assert!(b.displayed(&close), "the close button appears once JS runs");
    b.send_keys(&close, "\u{E007}");
    assert!(
        !b.displayed(&b.find(".reminder-banner")),
        "closed by keyboard"
    );
    assert_eq!(b.eval(report_top), before, "the report entry does not move");
    assert_eq!(
        b.eval("return document.activeElement.id;").as_str(),
        Some("main"),
        "focus goes to the content"
    );
    b.goto(&format!("{base}/cases/"));
    assert!(
        !b.displayed(&b.find(".reminder-banner")),
        "still closed on the next page"
    );
}

#[test]
fn a_pledge_prints_on_one_page_with_the_name_typed_in() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (_site, base) = served();
    b.goto(&format!("{base}/pledges/staff/"));
    let name = b.find("#pledge-name");
    b.send_keys(&name, "李某某");
    b.send_keys(&b.find("#pledge-department"), "骨科");
    let shown = b.eval("return document.getElementById('pledge-name-out').textContent;");
    assert_eq!(shown.as_str(), Some("李某某"));
    b.goto(&format!("{base}/pledges/staff/"));
    let kept = b.eval("return document.getElementById('pledge-department-out').textContent;");
    assert_eq!(kept.as_str(), Some("骨科"), "kept in this browser");
    b.emulate_media("print");
    let hidden =
        b.eval("return getComputedStyle(document.querySelector('.pledge-screen')).display;");
    assert_eq!(hidden.as_str(), Some("none"), "the form does not print");
    b.emulate_media("");
    assert_eq!(pdf_pages(&b.print_pdf()), 1, "one A4 page");
}

/// The small site with three role models: a doctor with a photo (public), a team (staff-only)
/// and a draft.
fn exemplar_site() -> Site {
    let site = Site::small();
    site.write_bytes("content/exemplars/2025/陈医生.png", b"\x89PNG\r\n\x1a\n");
    site.write("content/exemplars/2025/chen.md", "---\ntitle: 退回病历夹里的红包\ndate: 2025-04-16\nwho: 陈卫东\ndepartment: 普外科\ndeed: 上交患者家属塞在病历夹里的 2000 元\nhonour: 清风医者\nprinciples: [8]\nphoto: exemplars/2025/陈医生.png\nphoto_alt: 陈医生在病房\n---\n事迹：见[红包案](@/cases/2024/red.md)的反面。\n");
    site.write("content/exemplars/2026/team.md", "---\ntitle: 当天报告返点暗示\ndate: 2026-08-28\nwho: 耗材采购组\nteam: true\ndepartment: 采购中心\ndeed: 当天报告供应商的返点暗示\nprinciples: [9]\naudience: staff\n---\n事迹。\n");
    site.write("content/exemplars/2026/draft.md", "---\ntitle: 未写完的典型\ndate: 2026-01-01\nwho: 某某\ndepartment: 某科\ndeed: 某事\ndraft: true\n---\n");
    site
}

/// Role models (the 13th kind, added through the registry alone) are listed by year, fed,
/// shown on their own pages with the photo, on the principles they honour, on the home page,
/// in search and the sitemap, and keep to audience and drafts like every kind.
#[test]
fn role_models_are_listed_fed_and_shown_where_they_honour_a_principle() {
    let site = exemplar_site();
    build_on(&site, "2026-10-01", &[]);
    let list = site.read("public/exemplars/index.html");
    assert!(list.contains("退回病历夹里的红包") && list.contains("陈卫东 · 普外科"));
    assert!(list.contains("id=\"year-2025\"") && list.contains("exemplars/atom.xml"));
    assert!(
        !list.contains("当天报告返点暗示") && !list.contains("未写完"),
        "{list}"
    );
    let page = site.read("public/exemplars/2025/chen/index.html");
    assert!(page.contains("src=\"/exemplars/2025/陈医生.png\" alt=\"陈医生在病房\""));
    assert!(page.contains("清风医者") && page.contains("href=\"/principles/08/\""));
    assert!(
        site.path("public/exemplars/2025/陈医生.png").exists(),
        "the photo is published"
    );
    let principle = site.read("public/principles/08/index.html");
    assert!(principle.contains("citing-exemplars") && principle.contains("退回病历夹里的红包"));
    let home = site.read("public/index.html");
    assert!(home.contains("home-exemplars") && home.contains("/exemplars/2025/chen/"));
    assert!(
        home.contains("href=\"/exemplars/\""),
        "in the menu and the section's more link"
    );
    let feed = site.read("public/exemplars/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 1, "{feed}");
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("/exemplars/2025/chen/") && !sitemap.contains("team"));
    let docs: String = (crate::common::snapshot(&site.path("public/search/d")).into_values())
        .map(|bytes| String::from_utf8(bytes).unwrap())
        .collect();
    assert!(
        docs.contains("普外科") && !docs.contains("耗材采购组"),
        "search holds it"
    );

    build_on(&site, "2026-10-01", &["--audience", "staff", "--drafts"]);
    let list = site.read("public/exemplars/index.html");
    assert!(list.contains("当天报告返点暗示") && list.contains("未写完的典型"));
    let principle = site.read("public/principles/09/index.html");
    assert!(principle.contains("当天报告返点暗示"));
}

/// A role model without who, department or deed, or without a date, cannot be published;
/// its photo needs words and must exist.
#[test]
fn a_role_model_missing_its_facts_is_an_error_where_written() {
    let site = Site::small();
    site.write("content/exemplars/x.md", "---\ntitle: 典型\ndate: 2026-01-01\nwho: 张某\ndepartment: ''\ndeed: 上交红包\nphoto: 没有.png\n---\n");
    let run = site.run(&["check", "--lang", "en"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/exemplars/x.md:5"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`department` is empty"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/exemplars/x.md:7"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no `photo_alt`"), "{}", run.stderr);
}
