//! Integration tests for the public side: the report page, posters, disclosures and feeds,
//! channel expiry and verification warnings, and the personal-data check.

use crate::common::Site;

fn channel(site: &Site, name: &str, body: &str) {
    site.write(
        &format!("content/channels/{name}.md"),
        &format!("---\n{body}---\n"),
    );
}

fn report_site() -> Site {
    let site = Site::small();
    site.write(
        "content/site.yaml",
        &format!("{}report:\n  acceptance_days: 15\n  feedback_days: 10\n  out_of_scope:\n    - {{title: 医疗纠纷, contact: 医患办 0000-81234570}}\n", crate::common::SITE_YAML),
    );
    channel(
        &site,
        "hotline",
        "title: 举报电话\nkind: phone\nvalue: 0000-81234567\nhours: 工作日\nanonymous: true\nverified: 2026-11-01\nlocation: 门诊楼\n",
    );
    channel(
        &site,
        "mail",
        "title: 举报邮箱\nkind: email\nvalue: jjjc@example.cn\nverified: 2026-11-01\n",
    );
    channel(
        &site,
        "web",
        "title: 网上举报\nkind: web\nvalue: https://example.test/report/\nverified: 2026-11-01\n",
    );
    channel(
        &site,
        "old",
        "title: 旧热线\nkind: phone\nvalue: 0000-80000000\nvalid_until: 2025-12-31\nverified: 2025-06-01\n",
    );
    channel(
        &site,
        "stale",
        "title: 意见箱\nkind: box\nvalue: 住院部一楼\nverified: 2025-01-01\nposter: false\n",
    );
    site
}

#[test]
fn report_page_groups_active_channels_with_working_links() {
    let site = report_site();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/report/index.html");
    assert!(html.contains(r#"<a href="tel:000081234567">0000-81234567</a>"#));
    assert!(html.contains(r#"<a href="mailto:jjjc@example.cn">"#));
    assert!(html.contains(r#"<a href="https://example.test/report/">"#));
    assert!(!html.contains("旧热线"), "expired channels drop off");
    assert!(
        html.contains(r#"<h3 class="kind-heading">电话</h3>"#)
            && html.contains(r#"<h3 class="kind-heading">意见箱</h3>"#)
    );
    assert!(html.contains("15 个工作日内") && html.contains("医患办 0000-81234570"));
    assert!(html.contains("严禁打击报复") && html.contains("诬告陷害"));
    let start = html.find(r#"<script type="application/ld+json">"#).unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "Hospital");
    let points = ld["contactPoint"].as_array().unwrap();
    assert_eq!(points.len(), 4, "active channels only");
    assert!(
        points
            .iter()
            .any(|p| p["@type"] == "ContactPoint" && p["telephone"] == "0000-81234567")
    );
    assert!(
        site.read("public/channels/old/index.html")
            .contains("该渠道已停用")
    );
}

#[test]
fn expired_and_unverified_channels_are_warnings_unless_strict() {
    let site = report_site();
    let run = site.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/channels/old.md:5:1")
            && run.stderr.contains("expired on 2025-12-31"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/channels/stale.md:5:1")
            && run.stderr.contains("more than 180 days"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "`0000-8123` is left from the example site\n --> content/channels/hotline.md:4:8"
        ),
        "the example's number is a leftover in a real site: {}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("hotline.md").count(),
        1,
        "{}",
        run.stderr
    );
    let strict = site.run(&["check", "--now", "2026-11-23", "--strict"]);
    assert_eq!(strict.code, 1);
}

#[test]
fn posters_print_qr_codes_and_respect_poster_false() {
    let site = report_site();
    assert_eq!(site.build().code, 0);
    let index = site.read("public/report/poster/index.html");
    for poster in [
        "/channels/hotline/poster/",
        "/channels/mail/poster/",
        "/channels/web/poster/",
    ] {
        assert!(
            index.contains(&format!("href=\"{poster}\"")),
            "{poster} in the index"
        );
    }
    assert!(
        !index.contains("/channels/stale/poster/"),
        "poster: false is left off"
    );
    assert!(
        !index.contains("旧热线"),
        "an expired channel has no poster"
    );
    assert!(!site.path("public/channels/stale/poster").exists());
    assert!(!site.path("public/channels/old/poster").exists());
    for (name, codes) in [("hotline", 0), ("mail", 1), ("web", 1)] {
        let poster = site.read(&format!("public/channels/{name}/poster/index.html"));
        assert_eq!(
            poster.matches(r#"<section class="poster-page"#).count(),
            1,
            "{name}"
        );
        assert_eq!(
            poster.matches("<svg role=\"img\"").count(),
            codes,
            "{name}'s QR code"
        );
    }
    let by_location = site.read("public/report/poster/门诊楼/index.html");
    assert!(by_location.contains("门诊楼") && by_location.contains("jjjc@example.cn"));
    assert!(
        !by_location.contains("住院部一楼"),
        "poster: false is left off"
    );
}

#[test]
fn a_missing_qr_image_is_an_error() {
    let site = report_site();
    channel(
        &site,
        "wechat",
        "title: 微信\nkind: wechat\nvalue: 清风医苑公众号\nqr_image: channels/wechat.png\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/channels/wechat.md:5:11"),
        "{}",
        run.stderr
    );
    site.write_bytes("content/channels/wechat.png", b"\x89PNG\r\n");
    assert_eq!(site.build().code, 0);
    assert!(
        site.read("public/channels/wechat/poster/index.html")
            .contains(r#"<img src="/channels/wechat.png""#)
    );
}

fn disclosure_site() -> Site {
    let site = Site::small();
    site.write("content/disclosures/d2.md", "---\ntitle: 2024年院务公开\ncategory: 院务公开\ndoc_no: 测〔2024〕9号\ndate: 2024-03-01\nvalid_until: 2024-12-31\nsummary: 年度公开。\n---\n正文 <b>粗</b> & 更多。\n");
    site.write(
        "content/disclosures/d3.md",
        "---\ntitle: 2025年院务公开\ncategory: 院务公开\ndate: 2025-03-01\n---\n正文\n",
    );
    site
}

#[test]
fn disclosures_by_category_and_year_keep_expired_ones() {
    let site = disclosure_site();
    assert_eq!(site.build().code, 0);
    let html = site.read("public/disclosures/index.html");
    assert!(
        html.contains(r#"<h2 id="院务公开">"#)
            && html.contains("<h3>2024</h3>")
            && html.contains("<h3>2025</h3>")
    );
    assert!(
        html.contains("2024年院务公开") && html.contains("已过期"),
        "expired disclosures are marked, not dropped"
    );
    assert!(html.contains("测〔2024〕9号"));
    assert!(
        site.read("public/disclosures/d2/index.html")
            .contains("已过期")
    );
    assert!(
        site.read("public/index.html").contains("2025年院务公开"),
        "the home page shows the latest"
    );
    assert!(html.contains(r#"<link rel="alternate" type="application/atom+xml""#));
}

#[test]
fn atom_feeds_are_valid_xml_with_every_entry() {
    let site = disclosure_site();
    assert_eq!(site.build().code, 0);
    let atom = "http://www.w3.org/2005/Atom";
    for (rel, entries) in [
        ("public/disclosures/atom.xml", 3),
        ("public/disclosures/院务公开/atom.xml", 2),
        ("public/disclosures/整改公示/atom.xml", 1),
    ] {
        let text = site.read(rel);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().namespace(), Some(atom), "{rel}");
        assert_eq!(feed.tag_name().name(), "feed");
        for required in ["id", "title", "updated", "author"] {
            assert!(
                feed.children().any(|c| c.has_tag_name((atom, required))),
                "{rel} lacks {required}"
            );
        }
        let list: Vec<_> = feed
            .children()
            .filter(|c| c.has_tag_name((atom, "entry")))
            .collect();
        assert_eq!(list.len(), entries, "{rel}");
        for e in list {
            let text_of = |name: &str| {
                e.children()
                    .find(|c| c.has_tag_name((atom, name)))
                    .and_then(|c| c.text())
                    .unwrap_or("")
                    .to_owned()
            };
            assert!(text_of("id").starts_with("https://example.test/disclosures/"));
            let updated = text_of("updated");
            assert!(
                updated.len() == 25 && updated.ends_with("+08:00"),
                "RFC 3339 with offset: {updated}"
            );
            assert!(
                e.children()
                    .any(|c| c.has_tag_name((atom, "link")) && c.attribute("href").is_some())
            );
        }
    }
    let all = site.read("public/disclosures/atom.xml");
    let doc = roxmltree::Document::parse(&all).unwrap();
    let content = doc
        .descendants()
        .filter(|n| n.has_tag_name((atom, "content")))
        .filter_map(|n| n.text())
        .find(|t| t.contains("正文 "));
    let content = content.expect("the entry carries its body");
    assert!(
        content.starts_with("<p>") && content.contains("&lt;b&gt;粗"),
        "HTML content, raw HTML neutralised: {content}"
    );
}

#[test]
fn personal_data_stops_the_build_until_acknowledged() {
    let site = Site::small();
    channel(
        &site,
        "sms",
        "title: 短信举报\nkind: sms\nvalue: 13900001111\nverified: 2026-11-01\n",
    );
    site.write(
        "content/cases/p.md",
        "---\ntitle: 隐私测试\ndate: 2024-01-01\nsubject: 张三\n---\n身份证号11010519491231002X，旧号码110105491231002。\n编号123456789012345678不是身份证。\n联系电话138-1234-5678，短信平台13900001111。\n邮箱zhangsan@qq.com，单位邮箱office@hospital.org.cn。\n",
    );
    site.write("content/disclosures/p.md", "---\ntitle: 公示\ncategory: 院务公开\ndate: 2024-01-01\n---\n联系人手机 +86 13712345678。\n");
    site.write(
        "content/pages/faq.md",
        "---\ntitle: 问答\n---\n值班手机 13612345678。\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "personal data is an error: {}", run.stderr);
    for expected in [
        "content/cases/p.md:4:10",
        "content/cases/p.md:6:5",
        "content/cases/p.md:6:27",
        "content/cases/p.md:8:5",
        "content/cases/p.md:9:3",
        "content/disclosures/p.md:6:7",
        "content/pages/faq.md:4:6",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected} in\n{}",
            run.stderr
        );
    }
    assert!(
        !run.stderr.contains("content/cases/p.md:7:"),
        "a random 18-digit number is not an ID"
    );
    assert!(
        !run.stderr.contains("content/cases/p.md:8:23"),
        "a channel's own number is allowed"
    );
    let titles: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert!(
        titles.iter().all(|l| !l.contains("11010519491231002X")),
        "messages mask the datum: {titles:?}"
    );
    let before = crate::common::snapshot(&site.path("public"));
    assert_eq!(site.build().code, 1, "the build stops");
    assert_eq!(before, crate::common::snapshot(&site.path("public")));

    site.write("content/pages/faq.md", "---\ntitle: 问答\nprivacy_ok: [\"13612345678\", \"13800000000\"]\n---\n值班手机 13612345678。\n");
    let run = site.check();
    assert!(
        run.stderr.contains("note:") && run.stderr.contains("content/pages/faq.md:5:6"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("published on purpose"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/pages/faq.md:3:1") && run.stderr.contains("not found"),
        "a stale value warns: {}",
        run.stderr
    );
    site.write(
        "content/cases/p.md",
        "---\ntitle: 隐私测试\ndate: 2024-01-01\nsubject: 张某\n---\n已处理。\n",
    );
    site.write(
        "content/disclosures/p.md",
        "---\ntitle: 公示\ncategory: 院务公开\ndate: 2024-01-01\n---\n联系人：纪委办。\n",
    );
    site.write(
        "content/pages/faq.md",
        "---\ntitle: 问答\nprivacy_ok: [\"13612345678\"]\n---\n值班手机 13612345678。\n",
    );
    let build = site.build();
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(site.read("public/faq/index.html").contains("13612345678"));
}

#[test]
fn the_home_page_names_the_ways_to_report_the_site_has_and_wechat_shows_its_code() {
    let site = Site::small();
    channel(
        &site,
        "wx",
        "title: 微信举报\nkind: wechat\nvalue: https://example.test/wx/\n",
    );
    channel(
        &site,
        "old",
        "title: 旧信箱\nkind: email\nvalue: old@example.test\nvalid_until: 2020-01-01\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = site.read("public/index.html");
    assert!(
        home.contains("您可以通过电话、微信向医院纪检监察部门举报"),
        "only the kinds the site has, expired ones left out"
    );
    for page in ["public/report/index.html", "public/channels/wx/index.html"] {
        let html = site.read(page);
        let card = &html[html.find("微信举报").unwrap()..];
        assert!(
            card.contains("class=\"channel-qr\"><svg role=\"img\" aria-label=\"微信举报\""),
            "{page}: the WeChat code shows"
        );
    }
    let hotline = site.read("public/channels/hotline/index.html");
    assert!(
        !hotline.contains("channel-qr"),
        "no code for a phone number"
    );
    assert!(home.contains(r#"<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">"#));
    assert!(site.path("public/static/favicon.svg").is_file());

    // A site with no channel at all is not published: 我要举报 would lead to an empty page.
    let none = Site::new();
    none.write(
        "content/principles/08.md",
        "---\ntitle: 第八条\nnumber: 8\n---\n正文\n",
    );
    let run = none.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("no reporting channel is published"),
        "{}",
        run.stderr
    );
}
