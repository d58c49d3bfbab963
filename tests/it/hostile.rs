//! Regression tests for the hostile-input review: attachments never take a generated page's
//! place, links in configuration are as safe as links in bodies, audience and drafts apply to
//! section introductions and attachments, names from content make distinct and safe file
//! names, and hostile input costs little and is reported, not obeyed.

use crate::common::Site;

fn page_linking(site: &Site, target: &str) {
    site.write(
        "content/pages/files.md",
        &format!("---\ntitle: 下载\n---\n[文件]({target})\n"),
    );
}

#[test]
fn an_attachment_never_replaces_a_generated_file() {
    let site = Site::small();
    site.write(
        "content/site.yaml",
        &format!(
            "{}attachments: {{allow_active: true}}\n",
            crate::common::SITE_YAML
        ),
    );
    site.write("content/static/qinglian.js", "alert('forged')");
    page_linking(&site, "@/static/qinglian.js");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("the attachment content/static/qinglian.js and the generated static/qinglian.js would both be written to static/qinglian.js"),
        "{}",
        run.stderr
    );
    assert!(!site.path("public").exists(), "nothing is published");

    let site = Site::small();
    site.write("content/robots.txt", "User-agent: *\nDisallow: /\n");
    page_linking(&site, "@/robots.txt");
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("would both be written to robots.txt"),
        "{}",
        run.stderr
    );
}

#[test]
fn active_attachments_need_the_opt_in_and_unlinked_ones_are_not_published() {
    let site = Site::small();
    site.write(
        "content/report/index.html",
        "<h1>举报电话 0000-00000000</h1>",
    );
    page_linking(&site, "@/report/index.html");
    site.write("content/cases/2024/unlinked.pdf", "%PDF-1.4");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/report/index.html")
            && run.stderr.contains("could run script")
            && run.stderr.contains("attachments: {allow_active: true}"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(site.path("content/report/index.html")).unwrap();
    std::fs::remove_file(site.path("content/pages/files.md")).unwrap();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path("public/cases/2024/unlinked.pdf").exists());
}

#[test]
fn links_in_configuration_are_checked_like_links_in_bodies() {
    for (nav, what) in [
        ("javascript:alert(1)", "is not an allowed kind of link"),
        ("JaVaScRiPt:alert(1)", "is not an allowed kind of link"),
        ("data:text/html,x", "is not an allowed kind of link"),
        ("vbscript:x", "is not an allowed kind of link"),
        ("//evil.example/", "starts with `//`"),
        ("java\tscript:x", "contains spaces"),
    ] {
        let site = Site::small();
        site.write(
            "content/site.yaml",
            &format!(
                "{}nav:\n  - {{title: 点我, url: \"{}\"}}\n",
                crate::common::SITE_YAML,
                nav.replace('\t', "\\t")
            ),
        );
        let run = site.check();
        assert_eq!(run.code, 1, "{nav}: {}", run.stderr);
        assert!(
            run.stderr.contains(what) && run.stderr.contains("content/site.yaml:4:"),
            "{nav}: {}",
            run.stderr
        );
    }
    let site = Site::small();
    site.write(
        "content/site.yaml",
        &format!(
            "{}footer: \"[旧制度](@/policies/gone.md)\"\n",
            crate::common::SITE_YAML
        ),
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("footer link `@/policies/gone.md`")
            && run.stderr.contains("content/site.yaml:4:"),
        "{}",
        run.stderr
    );

    for base in [
        "https://a.cn\\@evil.example/",
        "https://user:pw@a.cn/",
        "javascript:alert(1)//",
        "https://a.cn/a b/",
    ] {
        let site = Site::small();
        site.write(
            "content/site.yaml",
            &format!("title: 站\nhospital: 院\nbase_url: '{base}'\n"),
        );
        let run = site.check();
        assert_eq!(run.code, 1, "{base}: {}", run.stderr);
        assert!(run.stderr.contains("`base_url`"), "{base}: {}", run.stderr);
    }
    let site = Site::small();
    let run = site.run(&["build", "--base-url", "javascript:alert(1)"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    site.write(
        "content/site.yaml",
        &format!("{}theme: ../content\n", crate::common::SITE_YAML),
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`theme: ../content` is not a folder name"),
        "{}",
        run.stderr
    );
}

#[test]
fn staff_and_draft_introductions_and_their_attachments_stay_out_of_the_public_build() {
    let site = Site::small();
    site.write(
        "content/cases/_index.md",
        "---\ntitle: 警示案例\naudience: staff\n---\n内部导语：仅限职工。\n",
    );
    site.write(
        "content/policies/_index.md",
        "---\ntitle: 制度文件\ndraft: true\n---\n草稿导语。\n",
    );
    site.write_bytes("content/cases/2024/internal.pdf", b"%PDF-1.4 internal");
    site.write("content/cases/2024/internal.md", "---\ntitle: 内部案例\ndate: 2024-02-03\naudience: staff\n---\n[通报](@/cases/2024/internal.pdf)\n");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all: String = crate::common::snapshot(&site.path("public"))
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!all.contains("内部导语") && !all.contains("草稿导语") && !all.contains("内部案例"));
    assert!(
        !site.path("public/cases/2024/internal.pdf").exists(),
        "linked only from a staff page"
    );
    let staff = site.run(&["build", "--now", "2026-11-23", "--audience", "staff"]);
    assert_eq!(staff.code, 0, "{}", staff.stderr);
    assert!(site.path("public/cases/2024/internal.pdf").exists());
    assert!(site.read("public/cases/index.html").contains("内部导语"));
}

fn channel(site: &Site, name: &str, location: &str) {
    site.write(
        &format!("content/channels/{name}.md"),
        &format!("---\ntitle: {name}\nkind: box\nvalue: 意见箱\nlocation: \"{location}\"\nverified: 2026-11-01\n---\n"),
    );
}

#[test]
fn names_from_content_make_distinct_and_safe_file_names() {
    let site = Site::small();
    channel(&site, "a", "A楼/1层");
    channel(&site, "b", "A楼 1层");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let posters: Vec<String> = std::fs::read_dir(site.path("public/report/poster"))
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        posters.len() >= 3,
        "one poster per location and the index: {posters:?}"
    );

    let site = Site::small();
    channel(&site, "long", &"很长的位置".repeat(20));
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/channels/long.md:5:")
            && run.stderr.contains("cannot be used in an address"),
        "{}",
        run.stderr
    );

    let site = Site::small();
    site.write(
        "content/disclosures/nul.md",
        "---\ntitle: 公示\ncategory: \"整改\\0公示\"\ndate: 2025-01-02\n---\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/disclosures/nul.md:3:"),
        "{}",
        run.stderr
    );

    let site = Site::small();
    site.write("content/pages/sitemap.xml.md", "---\ntitle: 地图\n---\n");
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/pages/sitemap.xml.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn hostile_input_costs_little_and_is_reported_not_obeyed() {
    let site = Site::small();
    let mobiles: String = (0..10_000).map(|i| format!("139{:08} ", i)).collect();
    site.write(
        "content/pages/mobiles.md",
        &format!("---\ntitle: 号码\n---\n{mobiles}\n"),
    );
    let principles = vec!["8"; 5000].join(", ");
    site.write(
        "content/cases/2024/many.md",
        &format!("---\ntitle: 重复\ndate: 2024-01-01\nprinciples: [{principles}]\n---\n"),
    );
    site.write(
        "content/pages/brackets.md",
        &format!("---\ntitle: 括号\ntags: {}\n---\n", "[".repeat(100_000)),
    );
    let links: String = (0..100_000)
        .map(|i| format!("[x](@/nope/{i}.md) "))
        .collect();
    site.write(
        "content/pages/links.md",
        &format!("---\ntitle: 链接\n---\n{links}\n"),
    );
    let started = std::time::Instant::now();
    let run = site.check();
    let took = started.elapsed();
    assert_eq!(run.code, 1, "{}", &run.stderr[..run.stderr.len().min(2000)]);
    assert!(took < std::time::Duration::from_secs(60), "took {took:?}");
    assert!(
        run.stderr.len() < 2_000_000,
        "the report is bounded: {} bytes",
        run.stderr.len()
    );
    for file in ["mobiles.md", "many.md", "brackets.md", "links.md"] {
        assert!(run.stderr.contains(file), "{file} is named");
    }
    assert!(
        run.stderr
            .contains("more problem(s) in this file are not shown"),
        "capped per file"
    );
}

#[cfg(unix)]
#[test]
fn a_pipe_in_content_is_skipped_with_a_warning() {
    let site = Site::small();
    let fifo = site.path("content/pages/pipe.md");
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a plain mkfifo(3) call on a path we own.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
    let run = site.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/pages/pipe.md") && run.stderr.contains("not a regular file"),
        "{}",
        run.stderr
    );
}
