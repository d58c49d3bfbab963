//! A clerk's second day: 我要举报 never leads nowhere in any build mode, pictures and files
//! written beside the Markdown are published like attachments, generated pages are link
//! targets, and the shared-folder and server builds keep to folders of their own.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::common::{Site, snapshot};

/// Every `href`/`src` value in `html`.
fn addresses(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            out.push(part.split('"').next().unwrap_or("").replace("&amp;", "&"));
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(n)) => {
                out.push(n);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// The file an internal address of page `page` (a path in `out`) leads to, or `None` for an
/// address that leaves the site (another scheme, another host).
fn target(out: &Path, page: &str, address: &str, base_path: &str) -> Option<PathBuf> {
    let address = address.split(['#', '?']).next().unwrap_or("");
    if address.is_empty() || address.contains(':') || address.starts_with("//") {
        return None;
    }
    let path = match address.strip_prefix(base_path) {
        Some(rest) if address.starts_with('/') => rest.to_owned(),
        _ if address.starts_with('/') => return None,
        _ => {
            let mut parts: Vec<&str> = page.split('/').collect();
            parts.pop();
            for seg in address.split('/') {
                match seg {
                    "." | "" => {}
                    ".." => drop(parts.pop()),
                    s => parts.push(s),
                }
            }
            let mut joined = parts.join("/");
            if address.ends_with('/') {
                joined.push('/');
            }
            joined
        }
    };
    let path = percent_decode(&path);
    let path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    Some(out.join(path))
}

/// Follows every address of every page under `out` that leads to the report page (or to
/// the generated pages a body links), and asserts the file is there; returns how many.
fn follow_report_links(out: &Path, base_path: &str) -> usize {
    let mut followed = 0;
    for (rel, bytes) in snapshot(out) {
        let page = rel.to_string_lossy().replace('\\', "/");
        if !page.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for address in addresses(&html) {
            let decoded = percent_decode(&address);
            if !decoded.contains("report/") && !decoded.contains("search/") {
                continue;
            }
            let Some(file) = target(out, &page, &address, base_path) else {
                continue;
            };
            assert!(
                file.is_file(),
                "{page}: `{address}` leads nowhere ({file:?})"
            );
            followed += 1;
        }
    }
    followed
}

/// The small site plus a body linking generated pages, a staff-only channel and a draft one.
fn report_site() -> Site {
    let site = Site::small();
    site.write(
        "content/pages/how.md",
        "---\ntitle: 怎样举报\n---\n见[我要举报](@/report/)、[搜索](@/search/)、[整改](@/disclosures/整改公示/)、[记录](@/modules/record/)。\n",
    );
    site.write(
        "content/channels/inner.md",
        "---\ntitle: 内部举报邮箱\nkind: 邮箱\nvalue: jw@example.test\naudience: staff\n---\n",
    );
    site.write(
        "content/channels/draft.md",
        "---\ntitle: 草稿电话\nkind: phone\nvalue: 0000-1\ndraft: true\n---\n",
    );
    site
}

/// In every build mode every page's 我要举报 entry and every generated text that mentions the
/// report page point at a page that exists.
#[test]
fn every_report_link_leads_to_a_page_in_every_build_mode() {
    let site = report_site();
    let modes: &[&[&str]] = &[
        &[],
        &["--audience", "staff"],
        &["--relative"],
        &["--drafts"],
        &["--drafts", "--audience", "staff", "--relative"],
    ];
    for (i, mode) in modes.iter().enumerate() {
        let out = site.outer().join(format!("out-{i}"));
        let out_arg = out.to_str().unwrap().to_owned();
        let mut args = vec!["build", "--now", "2026-11-23", "--out", &out_arg];
        args.extend_from_slice(mode);
        let run = site.run(&args);
        assert_eq!(run.code, 0, "{mode:?}: {}", run.stderr);
        let followed = follow_report_links(&out, "/");
        assert!(
            followed > 20,
            "{mode:?}: only {followed} report links followed"
        );
        let how = std::fs::read_to_string(out.join("how/index.html")).unwrap();
        for generated in ["report/", "search/", "modules/record/"] {
            assert!(
                how.contains(&format!("{generated}\""))
                    || how.contains(&format!("{generated}index.html\"")),
                "{mode:?}: {generated} in {how}"
            );
        }
    }
}

/// A public build in which no channel is published is an error naming content/channels/,
/// whatever the reason; a staff build with a staff-only channel has its report page.
#[test]
fn a_public_build_without_a_published_channel_stops_and_says_how_to_publish_one() {
    let site = Site::small();
    site.write(
        "content/channels/hotline.md",
        "---\ntitle: 举报电话\nkind: phone\nvalue: 0000-81234567\ndraft: true\n---\n",
    );
    site.write(
        "content/channels/old.md",
        "---\ntitle: 旧电话\nkind: phone\nvalue: 0000-2\nvalid_until: 2020-01-01\n---\n",
    );
    site.write(
        "content/channels/inner.md",
        "---\ntitle: 内部邮箱\nkind: email\nvalue: jw@example.test\naudience: staff\n---\n",
    );
    for command in ["check", "build"] {
        let run = site.run(&[command, "--now", "2026-11-23"]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("error: no reporting channel is published (1 drafts or not due yet, 1 past `valid_until`, 1 staff-only (`audience: staff`), left out of the public edition)")
                && run.stderr.contains("--> content/channels/")
                && run.stderr.contains("`qinglian new channel 纪检监察举报电话`"),
            "{command}: {}",
            run.stderr
        );
    }
    assert!(!site.path("public").exists(), "nothing was written");
    let zh = site.run(&["check", "--now", "2026-11-23", "--lang", "zh-CN"]);
    assert!(zh.stderr.contains("错误: 举报渠道一个也没有发布（1 个是草稿或还没到发布日期、1 个已过 `valid_until` 停用、1 个仅限职工"), "{}", zh.stderr);
    let staff = site.run(&["build", "--now", "2026-11-23", "--audience", "staff"]);
    assert_eq!(staff.code, 0, "{}", staff.stderr);
    assert!(
        site.read("public/report/index.html")
            .contains("jw@example.test")
    );
    // No channel written at all.
    for f in ["hotline", "old", "inner"] {
        std::fs::remove_file(site.path(&format!("content/channels/{f}.md"))).unwrap();
    }
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: no reporting channel is published: the 我要举报 entry"),
        "{}",
        run.stderr
    );
}

/// A site whose news item shows a picture and links a file beside it, by relative path and by
/// `@/`, with Chinese names; a draft and a staff-only page each with a picture of their own.
fn picture_site() -> Site {
    let site = Site::small();
    site.write(
        "content/news/2026/大会.md",
        "---\ntitle: 召开警示教育大会\ndate: 2026-03-01\nsummary: 全院参加。\n---\n![会场](大会现场.png)\n\n[通知原文](附件/通知%20原文.pdf)、[制度](../../policies/new.md)、[图](@/news/2026/大会现场.png#top)\n",
    );
    site.write_bytes(
        "content/news/2026/大会现场.png",
        b"\x89PNG\r\n\x1a\npicture",
    );
    site.write_bytes("content/news/2026/附件/通知 原文.pdf", b"%PDF-1.4 notice\n");
    site.write(
        "content/news/draft.md",
        "---\ntitle: 草稿\ndate: 2026-03-02\ndraft: true\n---\n![草稿图](草稿图.png)\n",
    );
    site.write_bytes("content/news/草稿图.png", b"\x89PNG draft");
    site.write(
        "content/news/inner.md",
        "---\ntitle: 内部\ndate: 2026-03-03\naudience: staff\n---\n![内部图](内部图.png)\n",
    );
    site.write_bytes("content/news/内部图.png", b"\x89PNG inner");
    site
}

#[test]
fn pictures_and_files_beside_the_markdown_are_published_like_attachments() {
    let site = picture_site();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/news/2026/大会/index.html");
    assert!(
        html.contains(
            r#"<img src="/news/2026/%E5%A4%A7%E4%BC%9A%E7%8E%B0%E5%9C%BA.png" alt="会场""#
        ),
        "{html}"
    );
    assert!(html.contains(r#"href="/policies/new/""#), "{html}");
    assert!(html.contains("%E5%8E%9F%E6%96%87.pdf\""), "{html}");
    assert!(site.path("public/news/2026/大会现场.png").is_file());
    assert!(site.path("public/news/2026/附件/通知 原文.pdf").is_file());
    assert!(
        !site.path("public/news/草稿图.png").exists(),
        "a draft's picture stays out"
    );
    assert!(
        !site.path("public/news/内部图.png").exists(),
        "a staff page's picture stays out of the public build"
    );
    let staff = site.run(&[
        "build",
        "--now",
        "2026-11-23",
        "--audience",
        "staff",
        "--drafts",
    ]);
    assert_eq!(staff.code, 0, "{}", staff.stderr);
    assert!(
        site.path("public/news/内部图.png").is_file()
            && site.path("public/news/草稿图.png").is_file()
    );

    // --relative: the same files, addressed from the page.
    let run = site.run(&["build", "--now", "2026-11-23", "--relative"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = site.path("public-relative");
    let html = std::fs::read_to_string(out.join("news/2026/大会/index.html")).unwrap();
    assert!(
        html.contains(r#"src="../../../news/2026/%E5%A4%A7%E4%BC%9A%E7%8E%B0%E5%9C%BA.png""#),
        "{html}"
    );
    for address in addresses(&html) {
        if let Some(file) = target(&out, "news/2026/大会/index.html", &address, "/") {
            assert!(
                file.exists(),
                "`{address}` leads nowhere from the shared-folder build"
            );
        }
    }
}

/// A missing picture or file is an error at its line, with a did-you-mean that, pasted in
/// place of what was written, makes `check` pass; an active file needs `allow_active`.
#[test]
fn a_missing_picture_is_named_at_its_line_with_a_suggestion_that_works() {
    let site = picture_site();
    let path = "content/news/2026/大会.md";
    let good = site.read(path);
    let cases = [
        ("](大会现场.png)", "大会现埸.png", "大会现场.png", 6),
        (
            "](@/news/2026/大会现场.png#",
            "@/news/2026/大会现埸.png",
            "@/news/2026/大会现场.png",
            8,
        ),
        (
            "](../../policies/new.md)",
            "../../policies/nwe.md",
            "@/policies/new.md",
            8,
        ),
    ];
    for (original, wrong, right, line) in cases {
        let bad = good.replacen(
            original,
            &format!("]({wrong}{}", &original[original.len() - 1..]),
            1,
        );
        site.write(path, &bad);
        let run = site.check();
        assert_eq!(run.code, 1, "{wrong}: {}", run.stderr);
        let hint = format!("help: did you mean `{right}`");
        assert!(run.stderr.contains(&hint), "{wrong}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("--> {path}:{line}:")),
            "{wrong}: {}",
            run.stderr
        );
        site.write(path, &bad.replace(wrong, right));
        let fixed = site.check();
        assert_eq!(
            fixed.code, 0,
            "pasting `{right}` fixes it: {}",
            fixed.stderr
        );
    }
}

/// An address with a space (not a link for Markdown) is said so with the form that works; a
/// path out of content/ is an error; an active file needs `allow_active`.
#[test]
fn spaced_escaping_and_active_addresses_are_named() {
    let site = picture_site();
    let path = "content/news/2026/大会.md";
    let good = site.read(path);
    site.write_bytes("content/news/2026/大会 现场.png", b"\x89PNG spaced");
    site.write(path, &good.replace("](大会现场.png)", "](大会 现场.png)"));
    let run = site.check();
    assert!(
        run.stderr.contains("warning: this was meant as a link or picture, but its address `大会 现场.png` has a space")
            && run.stderr.contains("help: put the address in angle brackets, `(<大会 现场.png>)`"),
        "{}",
        run.stderr
    );
    site.write(path, &good.replace("](大会现场.png)", "](<大会 现场.png>)"));
    let run = site.check();
    assert!(
        run.code == 0 && !run.stderr.contains("angle brackets"),
        "{}",
        run.stderr
    );
    site.write(
        path,
        &good.replace("](大会现场.png)", "](../../../etc/passwd)"),
    );
    let run = site.check();
    assert!(
        run.stderr
            .contains("error: link `../../../etc/passwd` leads out of content/"),
        "{}",
        run.stderr
    );
    site.write(path, &good.replace("](大会现场.png)", "](图.svg)"));
    site.write_bytes(
        "content/news/2026/图.svg",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("could run script"), "{}", run.stderr);
}

/// Chinese file names reach the SCORM zip (as the package's pages address them) and the
/// search index (a page whose file name is Chinese is found at its address).
#[test]
fn chinese_file_names_work_in_packages_and_search() {
    let site = picture_site();
    site.write("content/cases/2024/红包案.md", "---\ntitle: 骨科红包案\ndate: 2024-05-06\nsubject: 王某\nprinciples: [8]\norigin: 本院\n---\n![登记单](登记单.png)\n");
    site.write_bytes("content/cases/2024/登记单.png", b"\x89PNG slip");
    site.write(
        "content/modules/m1.md",
        "---\ntitle: 模块一\norder: 1\nreadings: [cases/2024/红包案]\n---\n学习。\n",
    );
    let out = site.outer().join("scorm");
    let run = site.run(&[
        "export",
        "scorm",
        "-o",
        out.to_str().unwrap(),
        "--now",
        "2026-11-23",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = std::fs::File::open(out.join("m1.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().into_owned())
        .collect();
    assert!(
        names.contains(&"cases/2024/登记单.png".to_owned()),
        "{names:?}"
    );
    assert!(
        names.contains(&"cases/2024/红包案/index.html".to_owned()),
        "{names:?}"
    );
    let mut page = String::new();
    zip.by_name("cases/2024/红包案/index.html")
        .unwrap()
        .read_to_string(&mut page)
        .unwrap();
    assert!(page.contains("%E7%99%BB%E8%AE%B0%E5%8D%95.png"), "{page}");

    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index: String = snapshot(&site.path("public/search"))
        .into_values()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    assert!(
        index.contains("骨科红包案"),
        "the Chinese-named page is indexed"
    );
    assert!(
        index.contains("/cases/2024/红包案/")
            || index.contains("/cases/2024/%E7%BA%A2%E5%8C%85%E6%A1%88/"),
        "its address is in the index"
    );
}

/// The shared-folder build and the server build go to folders of their own, so one never
/// replaces the other; `relative: true` in site.yaml picks the shared-folder folder too.
#[test]
fn the_shared_folder_and_server_builds_do_not_overwrite_each_other() {
    let site = Site::small();
    assert_eq!(site.build().code, 0);
    let run = site.run(&["build", "--now", "2026-11-23", "--relative"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = site.read("public/index.html");
    let shared = site.read("public-relative/index.html");
    assert!(
        server.contains("href=\"/report/\""),
        "the server build links from the root"
    );
    assert!(
        shared.contains("href=\"report/index.html\""),
        "the shared build links relatively"
    );
    site.write(
        "content/site.yaml",
        &format!("{}relative: true\n", crate::common::SITE_YAML),
    );
    assert_eq!(site.build().code, 0);
    assert_eq!(site.read("public/index.html"), server, "public/ untouched");
    assert!(run.stderr.contains("public-relative"), "{}", run.stderr);
}

/// A news cover that a staff-only case also shows is no leak when a public body shows it
/// too: the check reads the rendered bodies (it used to run before them and see none, so
/// `check` refused a site whose public page shows the picture).
#[test]
fn a_cover_a_public_body_shows_is_not_kept_in_by_a_staff_page() {
    let site = Site::small();
    site.write_bytes("content/cases/2024/现场.png", b"\x89PNG\r\n\x1a\n");
    site.write(
        "content/cases/2024/inner.md",
        "---\ntitle: 内部通报\ndate: 2024-01-01\naudience: staff\n---\n![现场](现场.png)\n",
    );
    let news = "---\ntitle: 动态\ndate: 2024-02-01\ncover: cases/2024/现场.png\ncover_alt: 现场\n---\n正文\n";
    site.write("content/news/a.md", news);
    let run = site.check();
    assert!(
        run.code == 1 && run.stderr.contains("content/news/a.md:4"),
        "only the staff page shows it: {}",
        run.stderr
    );
    site.write(
        "content/pages/scene.md",
        "---\ntitle: 现场\n---\n![现场](@/cases/2024/现场.png)\n",
    );
    let run = site.check();
    assert_eq!(run.code, 0, "a public page shows it: {}", run.stderr);
}
