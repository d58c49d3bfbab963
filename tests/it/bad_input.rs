//! Integration tests: every kind of content mistake exits 1, names its file and line, and
//! leaves the previous output exactly as it was.

use crate::common::{Site, snapshot};

/// Builds a good site, plants `bad` at `rel`, and asserts the build and check both fail with
/// `expect` (a `path:line` or other text) in stderr while `public/` stays byte-for-byte the same.
fn assert_rejected(rel: &str, bad: &[u8], expect: &[&str]) {
    let site = Site::small();
    let first = site.build();
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = snapshot(&site.path("public"));
    site.write_bytes(rel, bad);
    for run in [site.build(), site.check()] {
        assert_eq!(run.code, 1, "exit code for {rel}:\n{}", run.stderr);
        for e in expect {
            assert!(run.stderr.contains(e), "expected `{e}` in:\n{}", run.stderr);
        }
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    assert_eq!(
        before,
        snapshot(&site.path("public")),
        "the previous output changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().contains(".tmp-")),
        "{leftovers:?}"
    );
}

#[test]
fn broken_yaml() {
    assert_rejected(
        "content/pages/x.md",
        b"---\ntitle: a\ntags: [x, y\n---\n",
        &["content/pages/x.md:"],
    );
}

#[test]
fn missing_front_matter() {
    assert_rejected(
        "content/pages/x.md",
        "# 标题\n正文\n".as_bytes(),
        &["content/pages/x.md:1:1", "missing front matter"],
    );
}

#[test]
fn unterminated_front_matter() {
    assert_rejected(
        "content/pages/x.md",
        b"---\ntitle: a\n\nbody\n",
        &["content/pages/x.md:1:1", "not closed"],
    );
}

#[test]
fn unknown_key_with_did_you_mean() {
    assert_rejected(
        "content/pages/x.md",
        b"---\ntitle: a\nsumary: b\n---\n",
        &[
            "content/pages/x.md:3:1",
            "unknown key `sumary`",
            "did you mean `summary`?",
        ],
    );
}

#[test]
fn missing_required_field() {
    assert_rejected(
        "content/channels/x.md",
        "---\ntitle: 电话\nkind: phone\n---\n".as_bytes(),
        &["content/channels/x.md:1:1", "missing required key `value`"],
    );
}

#[test]
fn wrong_type() {
    assert_rejected(
        "content/principles/07.md",
        "---\ntitle: 七\nnumber: 第七条\n---\n".as_bytes(),
        &["content/principles/07.md:3:", "number"],
    );
}

#[test]
fn bad_date() {
    assert_rejected(
        "content/cases/x.md",
        b"---\ntitle: a\ndate: 2024-02-30\n---\n",
        &["content/cases/x.md:3:7", "the date `2024-02-30` is wrong"],
    );
}

#[test]
fn principle_number_out_of_range() {
    assert_rejected(
        "content/principles/10.md",
        b"---\ntitle: a\nnumber: 10\n---\n",
        &["content/principles/10.md:3:1", "outside 1"],
    );
    assert_rejected(
        "content/cases/x.md",
        b"---\ntitle: a\ndate: 2024-01-01\nprinciples: [8, 0]\n---\n",
        &["content/cases/x.md:4:17"],
    );
}

#[test]
fn unknown_reference() {
    assert_rejected(
        "content/modules/x.md",
        b"---\ntitle: a\nreadings:\n  - principles/08\n  - cases/2024/blue\n---\n",
        &["content/modules/x.md:5:5", "cases/2024/blue"],
    );
    assert_rejected(
        "content/modules/y.md",
        b"---\ntitle: a\nquiz: quizzes/none\n---\n",
        &["content/modules/y.md:3:7"],
    );
    assert_rejected(
        "content/policies/x.md",
        b"---\ntitle: a\nstatus: repealed\nsuperseded_by: policies/nowhere\n---\n",
        &["content/policies/x.md:4:16"],
    );
}

#[test]
fn duplicate_slug_and_principle_number() {
    assert_rejected(
        "content/pages/y.md",
        b"---\ntitle: a\nslug: about\n---\n",
        &["content/pages/y.md:3:1", "already used"],
    );
    assert_rejected(
        "content/principles/eight.md",
        b"---\ntitle: a\nnumber: 8\n---\n",
        &["content/principles/eight.md:3:1", "also defined"],
    );
}

#[test]
fn broken_internal_link() {
    assert_rejected(
        "content/pages/x.md",
        "---\ntitle: a\n---\n第一段。\n\n见[案例](@/cases/2024/blue.md)。\n".as_bytes(),
        &["content/pages/x.md:6:7", "broken link"],
    );
}

#[test]
fn non_utf8_file() {
    assert_rejected(
        "content/pages/x.md",
        b"---\ntitle: \xC1\xAE\xBD\xE0\n---\n",
        &["content/pages/x.md:2", "UTF-8"],
    );
}

#[test]
fn empty_file() {
    assert_rejected("content/pages/x.md", b"", &["content/pages/x.md", "empty"]);
}

#[test]
fn full_width_colon() {
    assert_rejected(
        "content/pages/x.md",
        "---\ntitle：关于\n---\n".as_bytes(),
        &["content/pages/x.md:2:6", "full-width colon"],
    );
}

#[test]
fn unknown_enumeration_value() {
    assert_rejected(
        "content/policies/x.md",
        "---\ntitle: a\nstatus: 作废\n---\n".as_bytes(),
        &["content/policies/x.md:3:9", "已废止"],
    );
}

#[test]
fn file_outside_content_folders() {
    assert_rejected(
        "content/notes.md",
        b"---\ntitle: a\n---\n",
        &["content/notes.md", "not in a content folder"],
    );
}

#[test]
fn bad_template_override() {
    assert_rejected(
        "themes/default/templates/page.html",
        b"{% if %}",
        &["page.html", "template error"],
    );
}

#[test]
fn missing_site_yaml_is_a_content_error() {
    let site = Site::small();
    std::fs::remove_file(site.path("content/site.yaml")).unwrap();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/site.yaml"));
    assert!(!site.path("public").exists());
}

#[test]
fn every_mistake_is_reported_not_just_the_first() {
    let site = Site::small();
    site.write("content/pages/a.md", "---\ntitle: a\ntitel: b\n---\n");
    site.write(
        "content/cases/b.md",
        "---\ntitle: b\ndate: yesterday\n---\n",
    );
    site.write(
        "content/pages/c.md",
        "---\ntitle: c\n---\n[x](@/pages/none.md)\n",
    );
    site.write(
        "content/site.yaml",
        &format!("{}timezone: Mars/Olympus\n", crate::common::SITE_YAML),
    );
    let run = site.check();
    assert_eq!(run.code, 1);
    for e in [
        "content/pages/a.md:3:1",
        "content/cases/b.md:3:7",
        "content/site.yaml:4:1",
    ] {
        assert!(run.stderr.contains(e), "missing {e} in\n{}", run.stderr);
    }
    let json = site.run(&["check", "--now", "2026-11-23", "--format", "json"]);
    assert_eq!(json.code, 1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    assert_eq!(v["errors"], 3, "{}", json.stdout);
    assert_eq!(v["diagnostics"][0]["path"], "content/cases/b.md");
}

#[test]
fn usage_errors_exit_2() {
    let site = Site::small();
    assert_eq!(site.run(&["build", "--now", "tomorrow"]).code, 2);
    assert_eq!(
        crate::common::run(&["build", "--root", "/nonexistent-qinglian"]).code,
        2
    );
    assert_eq!(crate::common::run(&["frobnicate"]).code, 2);
}

#[test]
fn refused_output_folders_exit_2_and_touch_nothing() {
    let site = Site::small();
    site.write("notes/keep.txt", "keep me");
    for out in [".", "content", "themes", "notes", ".."] {
        let target = site.path(out);
        let run = site.run(&["build", "--out", target.to_str().unwrap()]);
        assert_eq!(run.code, 2, "--out {out}: {}", run.stderr);
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    }
    assert_eq!(site.read("notes/keep.txt"), "keep me");
    assert!(site.path("content/site.yaml").is_file());
}

#[test]
fn symlink_out_of_content_is_refused() {
    let site = Site::small();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "---\ntitle: 机密\n---\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path("content/pages/secret.md"),
    )
    .unwrap();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/pages/secret.md") && run.stderr.contains("outside content/"),
        "{}",
        run.stderr
    );
}

/// Copies the repository's example site (content only) into a temp folder.
fn example_copy() -> Site {
    let site = Site::new();
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for (rel, bytes) in snapshot(&content) {
        site.write_bytes(&format!("content/{}", rel.display()), &bytes);
    }
    site
}

fn replace_in(site: &Site, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} has no `{from}`");
    site.write(rel, &text.replacen(from, to, 1));
}

#[test]
fn ten_planted_mistakes_in_the_example_site_are_all_named() {
    let site = example_copy();
    assert_eq!(
        site.check().code,
        0,
        "the example site is clean to start with"
    );
    replace_in(&site, "content/principles/01.md", "title:", "titel:");
    replace_in(&site, "content/principles/02.md", "number: 2", "number: 12");
    replace_in(
        &site,
        "content/cases/2023/ortho-red-envelope.md",
        "principles: [8]",
        "principles: [8, 10]",
    );
    replace_in(
        &site,
        "content/policies/gift-handover-2019.md",
        "superseded_by: policies/gift-handover-2024",
        "superseded_by: policies/gift-handover-2099",
    );
    replace_in(&site, "content/channels/box.md", "kind: box", "kind: fax");
    replace_in(
        &site,
        "content/disclosures/2026-q1-gift-handover.md",
        "draft: true",
        "draft: 是",
    );
    site.write("content/pages/broken.md", "没有前言的页面\n");
    site.write("content/pages/colon.md", "---\ntitle：关于\n---\n");
    site.write_bytes(
        "content/pages/gbk.md",
        b"---\ntitle: \xC1\xAE\xBD\xE0\n---\n",
    );
    site.write(
        "content/pages/link.md",
        "---\ntitle: 链接\n---\n见[不存在的案例](@/cases/nope.md)。\n",
    );
    let run = site.run(&["check", "--now", "2026-11-23", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}:{}", d["path"].as_str().unwrap(), d["line"]))
        .collect();
    for expected in [
        "content/principles/01.md:2",
        "content/principles/02.md:3",
        "content/cases/2023/ortho-red-envelope.md:7",
        "content/policies/gift-handover-2019.md:8",
        "content/channels/box.md:3",
        "content/disclosures/2026-q1-gift-handover.md:5",
        "content/pages/broken.md:1",
        "content/pages/colon.md:2",
        "content/pages/gbk.md:2",
        "content/pages/link.md:4",
    ] {
        assert!(
            found.contains(&expected.to_owned()),
            "missing {expected} in {found:?}"
        );
    }
    assert_eq!(
        v["errors"], 10,
        "exactly the ten planted mistakes, no cascades: {found:?}"
    );
}

#[test]
fn a_chinese_site_is_told_its_mistakes_in_chinese() {
    let site = Site::small();
    site.write(
        "content/cases/bad.md",
        "---\ntitle：收受红包案\ndate: 2025-02-30\nsumary: 示例\nprinciples: [8，9]\n标签: [红包]\n---\n正文\n",
    );
    // No --lang: the site's language (zh-CN by default) decides.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qinglian"))
        .args(["check", "--now", "2026-11-23", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for expected in [
        "错误: 键 `title` 后面用了中文冒号 `：`\n --> content/cases/bad.md:2:6",
        "错误: `date`：日期 `2025-02-30` 不对：2 月没有 30 日\n --> content/cases/bad.md:3:7",
        "错误: 不认识的键 `sumary`\n --> content/cases/bad.md:4:1",
        "改法: 是不是想写 `summary`？",
        "改法: 用了中文逗号 `，` 或顿号 `、`：列表各项之间请改用英文逗号 `,`",
        "改法: 键要用英文写：请写 `tags`",
        "5 个错误",
    ] {
        assert!(
            stderr.contains(expected),
            "missing `{expected}` in\n{stderr}"
        );
    }
    assert!(!stderr.contains("unknown key"), "no English left: {stderr}");

    let english = site.check();
    assert!(
        english.stderr.contains("error: unknown key `sumary`"),
        "{}",
        english.stderr
    );

    let help = crate::common::run(&["--lang", "zh-CN", "build", "--help"]);
    assert!(
        help.stdout.contains("用法：qinglian build")
            && help.stdout.contains("网站文件夹（里面有 content/）"),
        "{}",
        help.stdout
    );
    let typo = crate::common::run(&["--lang", "zh-CN", "biuld"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("错误：没有 `biuld` 这个命令")
            && typo.stderr.contains("是不是想输入：build"),
        "{}",
        typo.stderr
    );
    let missing = crate::common::run(&["--lang", "zh-CN", "build", "--root", "/nonexistent/site"]);
    assert!(
        missing.stderr.contains("没有 content/ 文件夹"),
        "{}",
        missing.stderr
    );
}
