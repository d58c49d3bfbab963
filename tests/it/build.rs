//! Integration tests: build fixture sites and assert on the pages, links and indexes written.

use crate::common::{Site, assert_no_external_requests, snapshot};

#[test]
fn small_site_builds_every_page() {
    let site = Site::small();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "public/index.html",
        "public/principles/index.html",
        "public/principles/08/index.html",
        "public/policies/old/index.html",
        "public/cases/index.html",
        "public/cases/2024/red/index.html",
        "public/report/index.html",
        "public/channels/hotline/index.html",
        "public/disclosures/d1/index.html",
        "public/modules/m1/index.html",
        "public/about/index.html",
        "public/404.html",
        "public/sitemap.xml",
        "public/robots.txt",
        "public/static/qinglian.css",
        "public/static/qinglian.js",
    ] {
        assert!(site.path(page).is_file(), "missing {page}");
    }
}

#[test]
fn links_and_reverse_indexes_resolve() {
    let site = Site::small();
    assert_eq!(site.build().code, 0);
    let principle = site.read("public/principles/08/index.html");
    assert!(
        principle.contains(r#"href="/cases/2024/red/""#),
        "body link and case list"
    );
    assert!(
        principle.contains("收受红包案"),
        "the principle lists the case citing it"
    );
    assert!(
        principle.contains(r#"href="/modules/m1/""#),
        "the principle lists the module citing it"
    );
    let case = site.read("public/cases/2024/red/index.html");
    assert!(case.contains(r#"href="/principles/08/""#));
    assert!(case.contains("5,000 元"));
    let old = site.read("public/policies/old/index.html");
    assert!(
        old.contains("已废止") && old.contains(r#"href="/policies/new/""#),
        "repealed policy links its successor"
    );
    let new = site.read("public/policies/new/index.html");
    assert!(
        new.contains(r#"href="/policies/old/""#),
        "successor lists what it replaced"
    );
    let about = site.read("public/about/index.html");
    assert!(
        about.contains(r#"href="/disclosures/""#),
        "section links resolve"
    );
    let module = site.read("public/modules/m1/index.html");
    assert!(
        module.contains(r#"href="/cases/2024/red/""#),
        "readings are linked"
    );
    let report = site.read("public/report/index.html");
    assert!(report.contains(r#"href="tel:000081234567""#));
    let d = site.read("public/disclosures/d1/index.html");
    assert!(
        d.contains("已完成 1") && d.contains("整改中 1"),
        "rectification counts"
    );
}

#[test]
fn every_page_has_the_report_entry_and_accessibility_basics() {
    let site = Site::small();
    assert_eq!(site.build().code, 0);
    for (path, bytes) in snapshot(&site.path("public")) {
        let html = String::from_utf8_lossy(&bytes);
        // Posters and booklets are sheets to print, without the site's header and menu.
        let is_poster =
            html.contains("class=\"poster-body\"") || html.contains("class=\"booklet-body\"");
        if path.extension().is_some_and(|e| e == "html") {
            // Launch parameters in an address (an xAPI token) never go to another site.
            let html = String::from_utf8_lossy(&bytes);
            assert!(
                html.contains(r#"<meta name="referrer" content="no-referrer">"#),
                "{path:?}"
            );
        }
        if path.extension().is_some_and(|e| e == "html") && !is_poster {
            let html = String::from_utf8(bytes).unwrap();
            assert!(html.contains(r#"<html lang="zh-CN">"#), "{path:?}");
            assert!(
                html.contains(r#"href="/report/""#) && html.contains("我要举报"),
                "{path:?}"
            );
            assert!(
                html.contains(r##"<a class="skip" href="#main">"##),
                "{path:?}"
            );
            assert!(
                html.contains("<main") && html.contains("<nav") && html.contains("<footer"),
                "{path:?}"
            );
        }
    }
}

#[test]
fn drafts_and_scheduled_items_are_left_out_unless_asked() {
    let site = Site::small();
    site.write(
        "content/cases/draft.md",
        "---\ntitle: 草稿案例\ndate: 2024-01-01\ndraft: true\n---\n",
    );
    site.write(
        "content/cases/later.md",
        "---\ntitle: 定时案例\ndate: 2024-01-01\npublish: 2027-01-01\n---\n",
    );
    assert_eq!(site.build().code, 0);
    assert!(!site.path("public/cases/draft/index.html").exists());
    assert!(!site.path("public/cases/later/index.html").exists());
    assert!(!site.read("public/cases/index.html").contains("草稿案例"));
    assert!(!site.read("public/sitemap.xml").contains("draft"));
    let run = site.run(&["build", "--now", "2027-01-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.path("public/cases/later/index.html").exists(),
        "published on its date"
    );
    assert_eq!(
        site.run(&["build", "--now", "2026-11-23", "--drafts"]).code,
        0
    );
    assert!(site.path("public/cases/draft/index.html").exists());
}

#[test]
fn staff_items_stay_off_the_public_build() {
    let site = Site::small();
    site.write(
        "content/cases/internal.md",
        "---\ntitle: 内部通报案例\ndate: 2024-01-01\naudience: staff\nprinciples: [9]\n---\n",
    );
    assert_eq!(site.build().code, 0);
    assert!(!site.path("public/cases/internal/index.html").exists());
    for rel in [
        "public/cases/index.html",
        "public/principles/09/index.html",
        "public/sitemap.xml",
    ] {
        assert!(
            !site.read(rel).contains("internal"),
            "{rel} mentions the staff case"
        );
    }
    let run = site.run(&["build", "--now", "2026-11-23", "--audience", "staff"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.read("public/principles/09/index.html")
            .contains("内部通报案例")
    );
    assert!(site.read("public/robots.txt").contains("Disallow: /"));
}

#[test]
fn public_page_linking_to_staff_item_shows_plain_text_with_a_warning() {
    let site = Site::small();
    site.write(
        "content/cases/internal.md",
        "---\ntitle: 内部\ndate: 2024-01-01\naudience: staff\n---\n",
    );
    site.write(
        "content/pages/leak.md",
        "---\ntitle: 泄露\n---\n\n见[内部通报](@/cases/internal.md)\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/pages/leak.md:5:") && run.stderr.contains("warning"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("staff only"), "{}", run.stderr);
    let page = site.read("public/leak/index.html");
    assert!(
        page.contains("见内部通报") && !page.contains("cases/internal"),
        "{page}"
    );
    let staff = site.run(&["build", "--now", "2026-11-23", "--audience", "staff"]);
    assert_eq!(staff.code, 0, "{}", staff.stderr);
    assert!(
        site.read("public/leak/index.html")
            .contains(r#"href="/cases/internal/""#)
    );
}

#[test]
fn hostile_text_is_escaped() {
    let site = Site::small();
    site.write(
        "content/cases/x.md",
        "---\ntitle: \"<script>alert(1)</script>\"\ndate: 2024-01-01\nsubject: <img src=x onerror=alert(1)>\n---\n<script>alert(2)</script>\n\n[点我](javascript:alert(3))\n",
    );
    assert_eq!(site.build().code, 0);
    for rel in ["public/cases/x/index.html", "public/cases/index.html"] {
        let html = site.read(rel);
        assert!(!html.contains("<script>alert"), "{rel}");
        assert!(!html.contains("<img src=x"), "{rel}");
        assert!(!html.contains("javascript:"), "{rel}");
    }
    assert!(
        site.read("public/cases/x/index.html")
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
}

#[test]
fn base_url_path_prefixes_every_internal_link() {
    let site = Site::small();
    let run = site.run(&[
        "build",
        "--now",
        "2026-11-23",
        "--base-url",
        "https://intranet/qinglian/",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/principles/08/index.html");
    assert!(html.contains(r#"href="/qinglian/cases/2024/red/""#));
    assert!(html.contains(r#"href="/qinglian/static/qinglian.css""#));
    assert!(!html.contains(r#"href="/cases/"#));
    assert!(
        site.read("public/sitemap.xml")
            .contains("<loc>https://intranet/qinglian/principles/08/</loc>")
    );
}

#[test]
fn no_page_loads_anything_from_outside_the_site() {
    let site = Site::small();
    site.write(
        "content/pages/ext.md",
        "---\ntitle: 外链\n---\n[国家监委](https://www.ccdi.gov.cn/)\n",
    );
    assert_eq!(site.build().code, 0);
    assert_no_external_requests(&site.path("public"), "https://example.test/");
}

#[test]
fn attachments_are_copied_and_linkable() {
    let site = Site::small();
    site.write_bytes("content/policies/files/rules.pdf", b"%PDF-1.4 test");
    site.write(
        "content/pages/files.md",
        "---\ntitle: 附件\n---\n[下载](@/policies/files/rules.pdf)\n",
    );
    assert_eq!(site.build().code, 0);
    assert_eq!(
        std::fs::read(site.path("public/policies/files/rules.pdf")).unwrap(),
        b"%PDF-1.4 test"
    );
    assert!(
        site.read("public/files/index.html")
            .contains(r#"href="/policies/files/rules.pdf""#)
    );
}

#[test]
fn site_theme_file_overrides_the_embedded_one() {
    let site = Site::small();
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}自定义404{% endblock content %}",
    );
    assert_eq!(site.build().code, 0);
    assert!(site.read("public/404.html").contains("自定义404"));
    assert!(
        site.read("public/index.html").contains("我要举报"),
        "other templates fall back to the embedded copy"
    );
}

#[test]
fn english_interface_with_one_line() {
    let site = Site::small();
    site.write(
        "content/site.yaml",
        &format!("{}language: en\n", crate::common::SITE_YAML),
    );
    assert_eq!(site.build().code, 0);
    let html = site.read("public/index.html");
    assert!(html.contains("Report misconduct") && html.contains(r#"<html lang="en">"#));
}

#[test]
fn the_example_site_builds_and_stays_inside() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("public");
    let run = crate::common::run(&[
        "build",
        "--root",
        repo.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--now",
        "2026-11-23",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.is_empty() || !run.stderr.contains("warning"),
        "{}",
        run.stderr
    );
    let files = snapshot(&out_dir);
    let pages = files
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert!(pages >= 45, "only {pages} pages");
    for n in 1..=9 {
        assert!(
            out_dir
                .join(format!("principles/0{n}/index.html"))
                .is_file()
        );
    }
    assert_no_external_requests(&out_dir, "https://lianjie.example.cn/");
}

#[test]
fn init_then_build_and_new() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let run = crate::common::run(&["init", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = crate::common::run(&[
        "build",
        "--root",
        dir.to_str().unwrap(),
        "--now",
        "2026-11-23",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.join("public/principles/08/index.html").is_file());
    assert_eq!(
        crate::common::run(&["init", dir.to_str().unwrap()]).code,
        2,
        "init refuses a non-empty folder"
    );

    let new = |name: &str| {
        crate::common::run(&[
            "new",
            "case",
            "新的案例",
            "--name",
            name,
            "--root",
            dir.to_str().unwrap(),
            "--now",
            "2026-11-22",
        ])
    };
    assert_eq!(new("fresh").code, 0);
    let text = std::fs::read_to_string(dir.join("content/cases/fresh.md")).unwrap();
    assert!(
        text.contains("title: 新的案例") && text.contains("date: 2026-11-22"),
        "{text}"
    );
    assert_eq!(new("fresh").code, 2, "new never overwrites");
    let run = crate::common::run(&[
        "check",
        "--root",
        dir.to_str().unwrap(),
        "--now",
        "2026-11-23",
    ]);
    assert_eq!(
        run.code, 0,
        "a new file from the archetype passes check: {}",
        run.stderr
    );
}

#[test]
fn check_finds_nothing_in_the_example_site() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let run = crate::common::run(&["check", "--root", repo, "--now", "2026-11-23", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("no problems found"), "{}", run.stderr);
}

/// The blank site's channel is a draft: 我要举报 would lead nowhere, so nothing is built until
/// the hospital's own channel is filled in and published, which this does as a clerk would.
fn publish_the_blank_channel(root: &std::path::Path) {
    let root_arg = root.to_str().unwrap();
    for command in ["check", "build"] {
        let run = crate::common::run(&[command, "--root", root_arg]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("error: no reporting channel is published (1 drafts or not due yet)")
                && run.stderr.contains(" --> content/channels/\n")
                && run.stderr.contains("delete the line `draft: true`"),
            "{command}: {}",
            run.stderr
        );
    }
    assert!(!root.join("public").exists());
    let hotline = root.join("content/channels/hotline.md");
    let text = std::fs::read_to_string(&hotline)
        .unwrap()
        .replace("draft: true\n", "")
        .replace("示例：", "")
        .replace("0000-00000000", "0571-12345678");
    std::fs::write(&hotline, text).unwrap();
}

#[test]
fn a_blank_site_checks_and_builds_with_nothing_fictional_published() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let init = crate::common::run(&["init", root.to_str().unwrap(), "--blank"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let root_arg = root.to_str().unwrap();
    publish_the_blank_channel(&root);
    let check = crate::common::run(&["check", "--root", root_arg]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("site.yaml still has a placeholder to fill in\n --> content/site.yaml:3:"),
        "{}",
        check.stderr
    );
    let build = crate::common::run(&["build", "--root", root_arg]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let public = root.join("public");
    assert!(public.join("principles/08/index.html").is_file());
    assert!(public.join("channels/hotline/index.html").is_file());
    assert!(public.join("report/index.html").is_file());
    for draft in [
        "cases/example-case",
        "policies/gift-handover",
        "quizzes/nine-principles",
        "about",
    ] {
        assert!(!public.join(draft).exists(), "{draft} is a draft");
    }
    let all = crate::common::snapshot(&public);
    for (rel, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        for mark in ["青岚", "清风医苑", "example.cn", "示例："] {
            assert!(!text.contains(mark), "{} has {mark}", rel.display());
        }
    }

    // A published page with a placeholder left, made with `new` from inside content/.
    let new = crate::common::run_in(
        &root.join("content/cases"),
        &["new", "case", "收受回扣案", "--name", "2026/kickback"],
    );
    assert_eq!(new.code, 0, "{}", new.stderr);
    let path = root.join("content/cases/2026/kickback.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("draft: true\n", "");
    std::fs::write(&path, text).unwrap();
    let check = crate::common::run(&["check", "--root", root_arg]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("this page still has a placeholder from `qinglian new`\n --> content/cases/2026/kickback.md:"),
        "{}",
        check.stderr
    );
}

/// The menu marks the entries a page is under (the header is made once per way of marking,
/// so every page must still get its own): none on the 404 page, the home entry on the home
/// page, a section's entry on its items, and both of two nested entries on the inner page.
#[test]
fn the_menu_marks_the_entries_a_page_is_under() {
    let site = Site::small();
    site.write(
        "content/pages/about.md",
        "---\ntitle: 关于本站\nmenu: true\nweight: 1\n---\n关于。\n",
    );
    site.write(
        "content/pages/about/team.md",
        "---\ntitle: 编辑团队\nmenu: true\nweight: 2\n---\n团队。\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let marked = |page: &str| -> Vec<String> {
        let html = site.read(page);
        let nav = &html[html.find("<nav class=\"site-nav\"").unwrap()..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        nav.split("<li>")
            .filter(|li| li.contains("aria-current=\"page\""))
            .map(|li| li[li.find('>').unwrap() + 1..li.find("</a>").unwrap()].to_owned())
            .collect()
    };
    assert_eq!(marked("public/index.html"), ["首页"]);
    assert_eq!(marked("public/cases/2024/red/index.html"), ["警示案例"]);
    assert_eq!(marked("public/cases/index.html"), ["警示案例"]);
    assert_eq!(marked("public/about/index.html"), ["关于本站"]);
    assert_eq!(
        marked("public/about/team/index.html"),
        ["关于本站", "编辑团队"]
    );
    assert!(marked("public/404.html").is_empty());
}
