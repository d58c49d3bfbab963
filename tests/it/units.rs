//! A commission's tree: the shared layer and overrides, report pages with both layers,
//! references across the boundary, the assessment, `--unit` builds, audience and drafts
//! across layers, the units command, `init --units`, serve with a shared-layer edit, and the
//! units directory on a phone.

use crate::common::{Site, snapshot};

/// A commission with one item of most kinds, and units `east` and `west`.
fn tree() -> Site {
    let site = Site::new();
    site.write(
        "content/site.yaml",
        "title: 卫健清风\nhospital: 测试市卫生健康委员会\nbase_url: https://wjw.test/\nrequirements:\n  - channels: [电话]\n    verified_within_days: 365\n  - disclosure: 整改公示\n",
    );
    site.write(
        "content/principles/08.md",
        "---\ntitle: 不收受患方红包\nnumber: 8\n---\n释义。\n",
    );
    site.write(
        "content/policies/gift.md",
        "---\ntitle: 委红包上交办法\ndoc_no: 测卫〔2025〕1号\n---\n全文。\n",
    );
    site.write(
        "content/policies/inner.md",
        "---\ntitle: 委机关内部规定\nshare: false\n---\n只在委网站。\n",
    );
    site.write(
        "content/policies/staff.md",
        "---\ntitle: 委职工须知\naudience: staff\n---\n职工看。\n",
    );
    site.write(
        "content/policies/draft.md",
        "---\ntitle: 委草稿办法\ndraft: true\n---\n草稿。\n",
    );
    site.write("content/cases/2025/red.md", "---\ntitle: 某院收受红包案\ndate: 2025-05-06\nsubject: 王某\nprinciples: [8]\norigin: 上级通报\n---\n见[办法](@/policies/gift.md)。\n");
    site.write(
        "content/news/2026/meeting.md",
        "---\ntitle: 委召开警示大会\ndate: 2026-03-01\n---\n会议。\n",
    );
    site.write(
        "content/news/2026/all.md",
        "---\ntitle: 全系统廉洁月\ndate: 2026-04-01\nshare: true\n---\n各单位都发。\n",
    );
    site.write(
        "content/channels/wjw-phone.md",
        "---\ntitle: 委纪检监察组举报电话\nkind: phone\nvalue: 0000-11112222\n---\n",
    );
    unit(&site, "east", "东院");
    unit(&site, "west", "西院");
    site.write("units/east/content/disclosures/fix.md", "---\ntitle: 东院整改公示\ncategory: 整改公示\ndate: 2026-06-01\nitems:\n  - {problem: 问题, status: 已完成}\n---\n");
    site.write("units/east/content/cases/own.md", "---\ntitle: 东院案例\ndate: 2026-02-02\nsubject: 李某\nprinciples: [8]\norigin: 本院\n---\n依据[委办法](@/policies/gift.md)处理。\n");
    site.write(
        "units/east/content/news/2026/east.md",
        "---\ntitle: 东院开展自查\ndate: 2026-05-05\n---\n自查。\n",
    );
    site
}

fn unit(site: &Site, name: &str, title: &str) {
    site.write(
        &format!("units/{name}/content/site.yaml"),
        &format!(
            "title: {title}清风\nhospital: {title}\nbase_url: https://wjw.test/units/{name}/\n"
        ),
    );
    site.write(
        &format!("units/{name}/content/channels/phone.md"),
        &format!("---\ntitle: {title}举报电话\nkind: phone\nvalue: 0000-3333{}\nverified: 2026-10-01\n---\n", name.len()),
    );
}

fn build(site: &Site, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["build", "--now", "2026-11-23"];
    args.extend_from_slice(extra);
    if !extra.contains(&"--lang") {
        args.extend(["--lang", "zh-CN"]);
    }
    // In the tree's folder, so `--out` names a folder there.
    crate::common::run_in(site.root(), &args)
}

#[test]
fn units_see_the_shared_layer_as_their_own_and_keep_their_own() {
    let site = tree();
    let run = build(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = |rel: &str| site.path("public").join(rel);
    for shared in [
        "principles/08/index.html",
        "policies/gift/index.html",
        "cases/2025/red/index.html",
        "news/2026/all/index.html",
    ] {
        assert!(
            out(&format!("units/east/{shared}")).is_file(),
            "{shared} is shared"
        );
    }
    for kept in ["policies/inner/index.html", "news/2026/meeting/index.html"] {
        assert!(out(kept).is_file(), "{kept} on the commission's site");
        assert!(
            !out(&format!("units/east/{kept}")).exists(),
            "{kept} stays on the commission's site"
        );
    }
    assert!(
        !out("units/west/disclosures/fix/index.html").exists(),
        "a unit's items are its own"
    );
    assert!(
        !out("cases/own/index.html").exists(),
        "a unit's items stay off the commission's site"
    );
    let own_case = site.read("public/units/east/cases/own/index.html");
    assert!(
        own_case.contains("/units/east/policies/gift/"),
        "a unit case cites the commission's policy on its own site"
    );
}

#[test]
fn a_unit_item_with_a_shared_id_replaces_it_with_a_warning() {
    let site = tree();
    site.write(
        "units/west/content/policies/gift.md",
        "---\ntitle: 西院红包上交细则\n---\n本院细则。\n",
    );
    let run = build(&site, &["--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("units/west/content/policies/gift.md:1:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("same id as the commission's shared `policies/gift`"),
        "{}",
        run.stderr
    );
    assert!(
        site.read("public/units/west/policies/gift/index.html")
            .contains("西院红包上交细则")
    );
    assert!(
        site.read("public/units/east/policies/gift/index.html")
            .contains("委红包上交办法")
    );
}

#[test]
fn report_pages_show_both_layers_and_the_commission_links_each_units() {
    let site = tree();
    assert_eq!(build(&site, &[]).code, 0);
    let report = site.read("public/units/east/report/index.html");
    let own = report.find("东院举报电话").expect("the unit's own channel");
    let upper = report
        .find("上级举报渠道")
        .expect("the commission's channels under their heading");
    let wjw = report
        .find("委纪检监察组举报电话")
        .expect("the commission's channel");
    assert!(
        own < upper && upper < wjw,
        "own channels first, then the higher authority's"
    );
    let commission = site.read("public/report/index.html");
    assert!(commission.contains("各单位举报渠道"), "{commission}");
    assert!(
        commission.contains("https://wjw.test/units/east/report/"),
        "{commission}"
    );
    assert!(
        !commission.contains("上级举报渠道"),
        "the commission has no higher layer"
    );
    let directory = site.read("public/units/index.html");
    assert!(
        directory.contains("href=\"tel:000033334\""),
        "tap to dial: {directory}"
    );
    assert!(
        directory.contains("东院整改公示") && directory.contains("东院开展自查"),
        "latest disclosures and news"
    );
    assert!(
        site.read("public/index.html").contains("href=\"/units/\""),
        "the menu has the units directory"
    );
}

#[test]
fn references_across_the_boundary_are_checked() {
    let site = tree();
    // A unit's item and a shared one may link the commission's unshared items: on the
    // commission's site (relative to it in a build for a folder).
    site.write("units/east/content/cases/also.md", "---\ntitle: 东院另案\ndate: 2026-02-03\nsubject: 赵某\nprinciples: [8]\norigin: 本院\n---\n见[委内部规定](@/policies/inner.md)。\n");
    site.write(
        "content/policies/gift.md",
        "---\ntitle: 委红包上交办法\n---\n见[委会议](@/news/2026/meeting.md)。\n",
    );
    assert_eq!(build(&site, &[]).code, 0);
    let also = site.read("public/units/east/cases/also/index.html");
    assert!(
        also.contains("href=\"https://wjw.test/policies/inner/\""),
        "{also}"
    );
    let gift = site.read("public/units/west/policies/gift/index.html");
    assert!(
        gift.contains("href=\"https://wjw.test/news/2026/meeting/\""),
        "{gift}"
    );
    assert_eq!(build(&site, &["--relative", "--out", "rel"]).code, 0);
    let gift = site.read("rel/units/west/policies/gift/index.html");
    assert!(
        gift.contains("href=\"../../../../news/2026/meeting/index.html\""),
        "{gift}"
    );
    assert!(
        site.path("rel/news/2026/meeting/index.html").is_file(),
        "where that leads"
    );
    // What does not exist anywhere is a mistake; the commission cannot depend on a unit.
    site.write("units/east/content/cases/bad.md", "---\ntitle: 东院又一案\ndate: 2026-02-04\nsubject: 孙某\nprinciples: [8]\norigin: 本院\n---\n见[没有的规定](@/policies/none.md)。\n");
    site.write("content/cases/2025/up.md", "---\ntitle: 委案例\ndate: 2025-07-01\nsubject: 钱某\nprinciples: [8]\norigin: 上级通报\n---\n见[东院公示](@/disclosures/fix.md)。\n");
    let run = site.run(&["check", "--now", "2026-11-23", "--lang", "en"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("units/east/content/cases/bad.md:8"),
        "{}",
        run.stderr
    );
    let up = "content/cases/2025/up.md:8";
    assert!(
        run.stderr.contains(up),
        "the commission cannot depend on a unit: {}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches(up).count(),
        1,
        "a shared item's mistake is reported once: {}",
        run.stderr
    );
    let before = snapshot(site.root());
    assert_eq!(build(&site, &[]).code, 1);
    assert_eq!(
        snapshot(site.root()),
        before,
        "nothing written, the last output untouched"
    );
}

#[test]
fn requirements_are_met_or_not_by_date_and_strict_makes_them_errors() {
    let site = tree();
    let check = |now: &str, extra: &[&str]| {
        let mut args = vec!["check", "--now", now, "--lang", "en"];
        args.extend_from_slice(extra);
        site.run(&args)
    };
    let run = check("2026-11-23", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("unit west does not meet"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("unit east does not meet"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("—— unit west (units/west/) ——"),
        "grouped per unit: {}",
        run.stderr
    );
    let next_year = check("2027-01-10", &[]);
    assert!(
        next_year.stderr.contains("unit east does not meet"),
        "last year's disclosure does not count: {}",
        next_year.stderr
    );
    assert!(
        next_year
            .stderr
            .contains("no disclosure in “整改公示” in 2027"),
        "{}",
        next_year.stderr
    );
    let late = check("2027-12-01", &[]);
    assert!(
        late.stderr.contains("last verified on 2026-10-01"),
        "verified too long ago: {}",
        late.stderr
    );
    assert_eq!(check("2026-11-23", &["--strict"]).code, 1);
    let json = check("2026-11-23", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let west = (v["units"].as_array().unwrap().iter())
        .find(|u| u["name"] == "west")
        .unwrap();
    let met: Vec<bool> = (west["requirements"].as_array().unwrap().iter())
        .map(|r| r["met"].as_bool().unwrap())
        .collect();
    assert_eq!(met, [true, false], "{west}");
}

#[test]
fn only_a_staff_build_of_the_commission_has_the_assessment_table() {
    let site = tree();
    assert_eq!(build(&site, &[]).code, 0);
    assert!(
        !site.path("public/units/assessment").exists(),
        "nothing of it in a public build"
    );
    assert!(!site.read("public/units/index.html").contains("assessment"));
    assert_eq!(
        build(&site, &["--audience", "staff", "--out", "staff"]).code,
        0
    );
    let table = std::fs::read_to_string(site.path("staff/units/assessment/index.html")).unwrap();
    assert!(
        table.contains("东院清风") && table.contains("西院清风"),
        "{table}"
    );
    assert_eq!(
        table.matches("class=\"unmet\"").count(),
        1,
        "west lacks its 整改公示: {table}"
    );
    assert!(
        table.contains("2026 年还没有“整改公示”类的信息公开"),
        "{table}"
    );
    assert!(
        table.contains("https://wjw.test/units/east/disclosures/fix/"),
        "a link to what meets it"
    );
}

#[test]
fn a_unit_build_is_the_units_part_of_the_whole_build() {
    let site = tree();
    assert_eq!(build(&site, &[]).code, 0);
    let run = build(&site, &["--unit", "east", "--out", "east-only"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let whole = snapshot(&site.path("public/units/east"));
    let alone = snapshot(&site.path("east-only"));
    let names = |m: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        m.keys()
            .filter(|k| !k.ends_with(".qinglian-output"))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&whole), names(&alone));
    for (rel, bytes) in &whole {
        if !rel.ends_with(".qinglian-output") {
            assert!(alone[rel] == *bytes, "{} differs", rel.display());
        }
    }
    let unknown = site.run(&["build", "--unit", "eats", "--lang", "en"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("did you mean east?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn audience_and_drafts_cross_the_layers() {
    let site = tree();
    assert_eq!(build(&site, &[]).code, 0);
    assert!(!site.path("public/units/east/policies/staff").exists());
    assert!(!site.path("public/units/east/policies/draft").exists());
    assert_eq!(
        build(&site, &["--audience", "staff", "--drafts", "--out", "all"]).code,
        0
    );
    assert!(
        site.path("all/units/east/policies/staff/index.html")
            .is_file()
    );
    assert!(
        site.path("all/units/east/policies/draft/index.html")
            .is_file()
    );
}

#[test]
fn units_are_listed_for_scripts_and_added_from_the_blank_start() {
    let site = tree();
    let run = site.run(&["units", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v[0]["name"], "east");
    assert_eq!(v[0]["title"], "东院清风");
    assert_eq!(v[0]["base_url"], "https://wjw.test/units/east/");
    assert_eq!(v[1]["folder"], "units/west/");
    let bad = site.run(&["new", "unit", "North Side", "--lang", "en"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    // The commission's hotline has the file name a blank draft channel has.
    site.write(
        "content/channels/hotline.md",
        "---\ntitle: 委举报热线\nkind: phone\nvalue: 0000-11113333\nverified: 2026-11-01\n---\n",
    );
    let added = site.run(&["new", "unit", "north", "--lang", "en"]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    let yaml = site.read("units/north/content/site.yaml");
    assert!(
        yaml.contains("base_url: https://wjw.test/units/north/"),
        "{yaml}"
    );
    let check = site.run(&[
        "check",
        "--unit",
        "north",
        "--now",
        "2026-11-23",
        "--lang",
        "en",
    ]);
    assert!(
        !check.stderr.contains("same id as the commission's shared"),
        "a new unit's drafts hide nothing shared: {}",
        check.stderr
    );
    assert!(
        site.path("units/north/content/channels").is_dir(),
        "a draft channel to copy"
    );
    assert!(
        !site.path("units/north/content/principles").exists(),
        "principles come from the commission"
    );
    let listed = site.run(&["units"]);
    assert_eq!(listed.stdout.lines().count(), 3, "{}", listed.stdout);
    site.write("units/Bad Name/content/site.yaml", crate::common::SITE_YAML);
    let check = site.run(&["check", "--now", "2026-11-23", "--lang", "en"]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains("units/Bad Name/"), "{}", check.stderr);
}

#[test]
fn init_units_makes_a_portal_and_two_units_and_check_finds_the_missing_rectification() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("卫健委");
    let tree_s = tree.to_str().unwrap();
    assert_eq!(crate::common::run(&["init", "--units", tree_s]).code, 0);
    let check = crate::common::run(&[
        "check",
        "--root",
        tree_s,
        "--now",
        "2026-11-23",
        "--lang",
        "zh-CN",
    ]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let unmet: Vec<&str> = check
        .stderr
        .lines()
        .filter(|l| l.contains("未达到考核要求"))
        .collect();
    assert_eq!(unmet.len(), 1, "{}", check.stderr);
    assert!(
        unmet[0].contains("单位 xihu") && unmet[0].contains("整改公示"),
        "{unmet:?}"
    );
    let build = crate::common::run(&["build", "--root", tree_s, "--now", "2026-11-23"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    for unit in ["dongshan", "xihu"] {
        let report =
            std::fs::read_to_string(tree.join(format!("public/units/{unit}/report/index.html")))
                .unwrap();
        assert!(report.contains("上级举报渠道"), "{unit}");
        for shared in [
            "principles/08/index.html",
            "modules/index.html",
            "cases/index.html",
        ] {
            assert!(
                tree.join(format!("public/units/{unit}/{shared}")).is_file(),
                "{unit}: {shared}"
            );
        }
    }
    assert!(tree.join("public/units/index.html").is_file());
    // A new unit's check speaks of its own files, not again of the commission's.
    let added = crate::common::run(&["new", "unit", "chengbei", "--root", tree_s]);
    assert_eq!(added.code, 0, "{}", added.stderr);
    let check = crate::common::run(&["check", "--root", tree_s, "--now", "2026-11-23"]);
    let units_part = &check.stderr[check.stderr.find("—— unit").unwrap()..];
    assert!(!units_part.contains(" --> content/"), "{units_part}");
}

/// A save in the commission's shared layer reloads a unit's preview.
#[test]
fn serve_unit_rebuilds_on_a_shared_layer_edit() {
    let site = tree();
    let server = crate::serve::Server::start_with(&site, &["--unit", "east"], None, &[]);
    let (status, _, page) = server.get("/units/east/principles/08/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("不收受患方红包"));
    server.after(|| {
        site.write(
            "content/principles/08.md",
            "---\ntitle: 不收受患方红包（修订）\nnumber: 8\n---\n释义。\n",
        )
    });
    let (_, _, page) = server.get("/units/east/principles/08/");
    assert!(String::from_utf8_lossy(&page).contains("不收受患方红包（修订）"));
    server.after(|| {
        site.write(
            "units/east/content/news/2026/east.md",
            "---\ntitle: 东院开展第二次自查\ndate: 2026-05-05\n---\n自查。\n",
        )
    });
    let (_, _, page) = server.get("/units/east/news/2026/east/");
    assert!(String::from_utf8_lossy(&page).contains("东院开展第二次自查"));
    drop(server);
    // The commission's own preview has its units directory.
    let server = crate::serve::Server::start(&site);
    let (status, _, page) = server.get("/units/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("东院清风"));
}

/// The units directory on a 360 px phone: no sideways scrolling, every hotline a large
/// tap-to-dial link.
#[test]
fn the_units_directory_fits_a_phone() {
    // A headless window is at least 500 px wide: the phone's screen is emulated.
    let Some(b) = crate::webdriver::Browser::start(500, 740) else {
        return;
    };
    b.emulate_phone(360, 740);
    let site = tree();
    assert_eq!(build(&site, &["--relative", "--out", "rel"]).code, 0);
    let page = site.path("rel/units/index.html");
    b.goto(&format!("file://{}", page.display()));
    let problems = crate::phone::phone_problems(&b);
    assert!(problems.is_empty(), "on a 360 px phone: {problems:?}");
    if let Some(dir) = std::env::var_os("QINGLIAN_SCREENSHOTS") {
        b.screenshot_full(&std::path::Path::new(&dir).join("phone-units.png"));
    }
    let taps = b.eval(
        "var a = document.querySelectorAll('a.tel'), out = [];\
         for (var i = 0; i < a.length; i++) { var r = a[i].getBoundingClientRect(); out.push([a[i].getAttribute('href'), r.height]); }\
         return out;",
    );
    let taps = taps.as_array().unwrap();
    assert_eq!(taps.len(), 2, "{taps:?}");
    for t in taps {
        assert!(t[0].as_str().unwrap().starts_with("tel:"));
        assert!(
            t[1].as_f64().unwrap() >= 24.0,
            "a finger-sized target: {t:?}"
        );
    }
    let east = b.eval("return document.querySelector('.unit h2 a').href;");
    let east = east.as_str().unwrap();
    assert!(
        east.ends_with("/rel/units/east/index.html"),
        "relative links reach the unit from a folder: {east}"
    );
    b.goto(east);
    let title = b.eval("return document.title;");
    assert!(title.as_str().unwrap().contains("东院清风"), "{title}");
}

/// The pages a tree adds pass axe: the units directory, the assessment table and both report
/// pages.
#[test]
fn the_trees_own_pages_have_no_axe_violations() {
    let Some(b) = crate::webdriver::Browser::start(1024, 900) else {
        return;
    };
    let Some(axe) = crate::a11y::axe_source() else {
        return;
    };
    let site = tree();
    let run = build(&site, &["--audience", "staff", "--out", "staff"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = crate::static_server::serve(&site.path("staff"));
    let mut found = Vec::new();
    for page in [
        "/units/",
        "/units/assessment/",
        "/report/",
        "/units/east/report/",
    ] {
        b.goto(&format!("{base}{page}"));
        for v in crate::a11y::violations(&b, &axe) {
            found.push(format!(
                "{page}: {} ({}): {}",
                v["id"], v["help"], v["nodes"]
            ));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Run from inside a unit's folder, the commands work on that unit with the commission's
/// shared layer, as `--unit` does, not on the folder as a site of its own.
#[test]
fn commands_run_in_a_units_folder_work_on_that_unit() {
    let site = tree();
    let east = site.path("units/east");
    let check = crate::common::run_in(&east, &["check", "--now", "2026-11-23"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("—— unit east"), "{}", check.stderr);
    assert!(
        !check.stderr.contains("unit west"),
        "one unit, not the tree: {}",
        check.stderr
    );
    let build = crate::common::run_in(&east, &["build", "--now", "2026-11-23", "--out", "out"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let principle = std::fs::read_to_string(east.join("out/principles/08/index.html")).unwrap();
    assert!(
        principle.contains("不收受患方红包"),
        "the shared layer is there"
    );
}
