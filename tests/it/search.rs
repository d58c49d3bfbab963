//! Site search in headless Chromium: the index of the search fixture (tests/fixtures/search)
//! with the theme's search.js and the real search.html template, over http under a subpath and
//! from file://. Checks the script ranks exactly as the Rust reader, highlights matches, moves
//! by keyboard, and tokenizes and hashes exactly as the Rust tokenizer.

use std::path::Path;
use std::time::{Duration, Instant};

use qinglian::search::query::Reader;
use qinglian::search::{self, SearchDoc, tokenize};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::static_server;
use crate::webdriver::Browser;

#[derive(Deserialize)]
struct Fixture {
    queries: Vec<Expect>,
    docs: Vec<SearchDoc>,
}

#[derive(Deserialize)]
struct Expect {
    q: String,
    first: Option<String>,
}

fn manifest(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn fixture() -> Fixture {
    let text = std::fs::read_to_string(manifest("tests/fixtures/search/docs.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// The search page rendered from the theme's templates with a test context.
fn page(static_base: &str, search_base: &str, form: &str) -> String {
    let read =
        |rel: &str| std::fs::read_to_string(manifest(&format!("themes/default/{rel}"))).unwrap();
    let strings: serde_json::Map<String, Value> =
        serde_yaml::from_str(&read("i18n/zh-CN.yaml")).unwrap();
    let prefixed = strings
        .iter()
        .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)));
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html"]);
    tera.add_raw_templates([
        ("base.html", read("templates/base.html")),
        ("search.html", read("templates/search.html")),
        ("search_box.html", read("templates/search_box.html")),
        ("header.html", read("templates/header.html")),
    ])
    .unwrap();
    let mut ctx = json!({
        "site": {"lang": "zh-CN", "title": "测试站点", "hospital": "测试医院", "base": "/sub/",
                 "static_base": static_base, "report_url": "/sub/report/", "nav": [],
                 "search_url": "/sub/search/",
                 "footer_html": "", "year": 2025, "staff_build": false, "reminders": []},
        "title": "站内搜索", "canonical": "https://example.test/sub/search/", "path": "/sub/search/",
        "feeds": [], "mentions": [], "t": strings,
        "search_base": search_base,
        "index_form": form,
        "sections": [{"title": "警示案例", "url": "/sub/cases/"}, {"title": "制度文件", "url": "/sub/policies/"}],
        "search_json": search::page_data(prefixed),
        "menu": [], "home_current": false,
    });
    let header = tera
        .render("header.html", &tera::Context::from_serialize(&ctx).unwrap())
        .unwrap();
    ctx["header_html"] = Value::String(header);
    tera.render("search.html", &tera::Context::from_serialize(&ctx).unwrap())
        .unwrap()
}

/// A site folder with the fixture's index under `sub/` in both forms: `search/index.html`
/// (relative links, scripts), `search/abs.html` (absolute links under /sub/, JSON read over
/// HTTP), `search/own.html` (search.js beside the
/// index, finding it from its own address); returns the folder and the built files.
fn site() -> (tempfile::TempDir, Vec<(String, Vec<u8>)>) {
    site_of(&fixture().docs)
}

/// [`site`] with the index of `docs`.
fn site_of(docs: &[SearchDoc]) -> (tempfile::TempDir, Vec<(String, Vec<u8>)>) {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    let files = search::build(docs).into_files();
    // Both forms: scripts for pages opened from disk, JSON data read over HTTP.
    for (rel, bytes) in &files {
        let data = search::shard::Form::Data.publish(rel.clone(), bytes.clone());
        for (rel, bytes) in [(rel.clone(), bytes.clone()), data] {
            let path = sub.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
    std::fs::create_dir_all(sub.join("static")).unwrap();
    for name in ["search.js", "qinglian.css"] {
        std::fs::copy(
            manifest(&format!("themes/default/static/{name}")),
            sub.join("static").join(name),
        )
        .unwrap();
    }
    std::fs::copy(
        manifest("themes/default/static/search.js"),
        sub.join("search/search.js"),
    )
    .unwrap();
    std::fs::write(
        sub.join("search/index.html"),
        page("../static/", "./", "js"),
    )
    .unwrap();
    std::fs::write(
        sub.join("search/abs.html"),
        page("/sub/static/", "/sub/search/", "json"),
    )
    .unwrap();
    let own = page("../static/", "./", "js").replace(
        "<script src=\"../static/search.js\" data-index=\"./\" data-form=\"js\"></script>",
        "<script src=\"search.js\"></script>",
    );
    assert!(own.contains("<script src=\"search.js\">"));
    std::fs::write(sub.join("search/own.html"), own).unwrap();
    (dir, files)
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What the page shows, once the search for `q` has settled (the URL holds it and the status
/// is no longer the loading message): status, result hrefs, marks in the first result, kinds.
fn settled(b: &Browser, q: &str) -> Value {
    let script = format!(
        "var s = document.getElementById('search-status').textContent, a = document.querySelectorAll('#search-results li > a');
         var first = document.querySelector('#search-results li');
         return {{status: s, search: location.search, value: document.getElementById('search-q').value,
           hrefs: Array.prototype.map.call(a, function (x) {{ return x.getAttribute('href'); }}),
           marks: first ? first.getElementsByTagName('mark').length : 0,
           kinds: Array.prototype.map.call(document.querySelectorAll('.search-kind'), function (x) {{ return x.textContent; }}),
           none: !document.getElementById('search-none').hasAttribute('hidden'),
           want: {:?}}};",
        format!("?q={}", encode(q))
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        // Pressing Enter in the header box navigates: a look taken meanwhile is taken again.
        let Some(v) = b.eval_polling(&script) else {
            assert!(
                Instant::now() < deadline,
                "search for {q:?} kept navigating"
            );
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let status = v["status"].as_str().unwrap_or("");
        let done = status.starts_with("找到") && !v["hrefs"].as_array().is_none_or(Vec::is_empty)
            || status.starts_with("没有找到")
            || status.contains("未能加载");
        if done && v["value"] == q && v["search"] == v["want"] {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "search for {q:?} did not settle: {v}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The first page of results the Rust reader gives on the same files.
fn rust_page(files: &[(String, Vec<u8>)], q: &str) -> Vec<String> {
    let r = Reader::open(files).unwrap();
    let res = r.search(q, None);
    res.hits
        .iter()
        .filter_map(|h| Some(h.doc.as_ref()?.url.clone()))
        .collect()
}

#[test]
fn search_over_http_ranks_as_the_index_does() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (dir, files) = site();
    let base = static_server::serve(dir.path());
    for e in fixture().queries {
        b.goto(&format!("{base}/sub/search/abs.html?q={}", encode(&e.q)));
        let v = settled(&b, &e.q);
        let first = v["hrefs"][0].as_str().map(str::to_owned);
        assert_eq!(first, e.first, "{}: {v}", e.q);
        assert_eq!(
            v["hrefs"],
            json!(rust_page(&files, &e.q)),
            "script and reader agree on {}",
            e.q
        );
        if first.is_some() {
            assert!(
                v["marks"].as_u64().unwrap_or(0) > 0,
                "{}: the match is marked: {v}",
                e.q
            );
        } else {
            assert_eq!(v["none"], true, "{}: the no-results block shows: {v}", e.q);
        }
    }
}

/// 12,000 short pages of two kinds: 红包 on three in five (a bitmap below its tier), 回扣 on
/// one in eight (gaps below its tier), weights varying with how often each is said.
fn many_docs() -> Vec<SearchDoc> {
    (0..12_000u32)
        .map(|i| {
            let mut body = format!("第{i}号 正文");
            for (every, word) in [(5, "红包"), (8, "回扣")] {
                let say = i * 7 % every;
                if word == "红包" && say < 3 || word == "回扣" && say == 0 {
                    body.push_str(&format!(" {word}").repeat(1 + (i % 13) as usize));
                }
            }
            SearchDoc {
                url: format!("/p/{i}/"),
                kind: if i % 3 == 0 { "case" } else { "policy" }.into(),
                title: if i % 97 == 0 {
                    format!("红包{i}")
                } else {
                    format!("文件{i}")
                },
                body,
                ..SearchDoc::default()
            }
        })
        .collect()
}

/// The script decodes tiered lists as the reader does: on an index whose common terms are
/// kept tiered (as bitmap and as gaps), it shows the same count and first page for one
/// term, for two, and within a kind.
#[test]
fn tiered_lists_rank_in_the_browser_as_in_the_reader() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (dir, files) = site_of(&many_docs());
    let own: Vec<Value> = (files.iter())
        .filter(|(p, _)| p.contains('_'))
        .map(|(_, b)| serde_json::from_str(search::shard::unwrap(b).unwrap().1).unwrap())
        .collect();
    assert!(own.iter().any(|v| v.get("m").is_some()), "a bitmap");
    assert!(own.iter().any(|v| v.get("g").is_some()), "gaps");
    let base = static_server::serve(dir.path());
    let r = Reader::open(&files).unwrap();
    for q in ["红包", "回扣", "红包 回扣", "回扣 正文"] {
        b.goto(&format!("{base}/sub/search/abs.html?q={}", encode(q)));
        let v = settled(&b, q);
        let res = r.search(q, None);
        assert_eq!(
            v["status"],
            format!("找到 {} 条结果", res.hits.len()),
            "{q}"
        );
        assert_eq!(v["hrefs"], json!(rust_page(&files, q)), "{q}");
    }
    b.eval("var s = document.getElementById('search-kinds'); s.value = 'case'; s.onchange();");
    let v = settled(&b, "回扣 正文");
    let cases = r.search("回扣 正文", Some("case"));
    let page: Vec<&str> = (cases.hits.iter())
        .filter_map(|h| Some(h.doc.as_ref()?.url.as_str()))
        .collect();
    assert_eq!(v["status"], format!("找到 {} 条结果", cases.hits.len()));
    assert_eq!(v["hrefs"], json!(page));
}

#[test]
fn results_as_you_type_with_keyboard_use() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (dir, _files) = site();
    let target = dir.path().join("principles/09/index.html");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, "<!DOCTYPE html><title>09</title>").unwrap();
    let base = static_server::serve(dir.path());
    b.goto(&format!("{base}/sub/search/index.html"));
    let input = b.find("#search-q");
    b.send_keys(&input, "红包");
    let v = settled(&b, "红包");
    assert_eq!(v["hrefs"][0], "/principles/08/", "{v}");
    assert_eq!(
        v["search"],
        format!("?q={}", encode("红包")),
        "the address follows the query"
    );
    assert!(v["hrefs"].as_array().unwrap().len() > 3);
    let active =
        || b.eval("var a = document.activeElement; return a.getAttribute('href') || a.id;");
    b.press("\u{E015}"); // ArrowDown
    assert_eq!(active(), "/principles/08/");
    b.press("\u{E015}");
    let second = v["hrefs"][1].clone();
    assert_eq!(active(), second);
    b.press("\u{E013}"); // ArrowUp
    b.press("\u{E013}");
    assert_eq!(active(), "search-q");
    b.press("\u{E00C}"); // Escape
    let cleared = b.eval("return [document.getElementById('search-q').value, document.querySelectorAll('#search-results li').length, location.search];");
    assert_eq!(cleared, json!(["", 0, ""]));

    b.send_keys(&input, "回扣");
    let v = settled(&b, "回扣");
    assert_eq!(v["hrefs"][0], "/principles/09/");
    b.press("\u{E015}");
    assert_eq!(active(), "/principles/09/");
    b.press("\u{E007}"); // Enter opens the result
    let deadline = Instant::now() + Duration::from_secs(5);
    while b.eval("return location.pathname;") != "/principles/09/" {
        assert!(Instant::now() < deadline, "Enter did not open the result");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn kind_filter_and_no_results_block() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (dir, _files) = site();
    let base = static_server::serve(dir.path());
    b.goto(&format!(
        "{base}/sub/search/index.html?q={}",
        encode("红包")
    ));
    let all = settled(&b, "红包");
    assert!(
        all["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k == "九项准则")
    );
    let options = b.eval("return Array.prototype.map.call(document.getElementById('search-kinds').options, function (o) { return o.value; });");
    assert!(
        options.as_array().unwrap().contains(&json!("case")),
        "{options}"
    );
    b.eval("var s = document.getElementById('search-kinds'); s.value = 'case'; s.onchange();");
    let cases = settled(&b, "红包");
    let kinds = cases["kinds"].as_array().unwrap();
    assert!(
        !kinds.is_empty() && kinds.iter().all(|k| k == "警示案例"),
        "{cases}"
    );
    assert_eq!(cases["status"], format!("找到 {} 条结果", kinds.len()));

    b.goto(&format!(
        "{base}/sub/search/index.html?q={}",
        encode("量子纠缠")
    ));
    let none = settled(&b, "量子纠缠");
    assert_eq!(none["none"], true);
    let report = b.eval("return document.querySelector('#search-none a').getAttribute('href');");
    assert_eq!(report, "/sub/report/");
}

#[test]
fn markup_in_content_stays_text() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (dir, _files) = site();
    let base = static_server::serve(dir.path());
    b.goto(&format!(
        "{base}/sub/search/index.html?q={}",
        encode("脚本测试")
    ));
    let v = settled(&b, "脚本测试");
    assert_eq!(v["hrefs"][0], "/notes/markup/");
    let seen = b.eval(
        "var r = document.getElementById('search-results');
         return [r.getElementsByTagName('img').length + r.getElementsByTagName('script').length + r.getElementsByTagName('b').length,
                 typeof window.pwned, r.textContent.indexOf('<img src=x') >= 0, r.textContent.indexOf('标记<b>说明</b>') >= 0];",
    );
    assert_eq!(seen, json!([0, "undefined", true, true]));
}

#[test]
fn search_works_from_file_urls() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (dir, _files) = site();
    let folder = dir.path().join("sub/search");
    b.goto(&format!(
        "file://{}/index.html?q={}",
        folder.display(),
        encode("红包")
    ));
    let v = settled(&b, "红包");
    assert_eq!(v["hrefs"][0], "/principles/08/", "{v}");
    assert!(v["marks"].as_u64().unwrap_or(0) > 0);
    b.goto(&format!(
        "file://{}/own.html?q={}",
        folder.display(),
        encode("0000-81234567")
    ));
    let v = settled(&b, "0000-81234567");
    assert_eq!(
        v["hrefs"][0], "/channels/hotline/",
        "found from search.js's own address: {v}"
    );
}

#[test]
fn a_missing_index_file_is_reported_not_hung() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let (dir, _files) = site();
    std::fs::remove_dir_all(dir.path().join("sub/search/t")).unwrap();
    let base = static_server::serve(dir.path());
    b.goto(&format!(
        "{base}/sub/search/index.html?q={}",
        encode("红包")
    ));
    let v = settled(&b, "红包");
    assert!(v["status"].as_str().unwrap().contains("未能加载"), "{v}");
}

/// Strings that exercise every class of character, and deterministic mixtures of them.
fn samples() -> Vec<String> {
    let long = "x".repeat(40);
    let parts = [
        "红包",
        "一段简单",
        "九项准则",
        "〔2024〕",
        "12号",
        "０００0-８１２３４５６７",
        "ＤＲＧ",
        "　",
        " ",
        "DRG付费",
        "Café",
        "ÉCOLE",
        "×÷",
        "Ωμέγα",
        "Привет",
        "ひらがな",
        "カタカナ・ー",
        "한국어",
        "𠀀𠀁",
        "😀",
        "\u{0301}",
        "\t\n",
        "，。！？",
        "々〇",
        "Ａｂｃ",
        "ｚ",
        "～",
        "\u{3000}\u{3000}",
        "a1b2",
        "_",
        &long,
    ];
    let mut out: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..200 {
        let mut s = String::new();
        for _ in 0..1 + seed % 5 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push_str(parts[(seed % parts.len() as u64) as usize]);
        }
        out.push(s);
    }
    out
}

#[test]
fn the_script_tokenizes_and_hashes_as_rust_does() {
    let Some(b) = Browser::start(800, 600) else {
        return;
    };
    let (dir, _files) = site();
    let base = static_server::serve(dir.path());
    b.goto(&format!("{base}/sub/search/index.html"));
    let samples = samples();
    let script = format!(
        "var Q = window.QL_SEARCH;
         return {}.map(function (s) {{ var t = Q.tokenize(s); return [t, t.map(Q.hash), Q.phrase(s)]; }});",
        serde_json::to_string(&samples).unwrap()
    );
    let got = b.eval(&script);
    for (s, g) in samples.iter().zip(got.as_array().unwrap()) {
        let tokens = tokenize::query_tokens(s);
        let hashes: Vec<u32> = tokens.iter().map(|t| tokenize::hash(t)).collect();
        assert_eq!(g[0], json!(tokens), "tokens of {s:?}");
        assert_eq!(g[1], json!(hashes), "hashes of {s:?}");
        assert_eq!(g[2], json!(tokenize::phrase(s)), "phrase of {s:?}");
    }
}

/// Every file under `dir/search/`, by path relative to `dir`.
fn built_index(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir.join("search"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let ext = e.path().extension();
            e.file_type().is_file() && ext.is_some_and(|x| x == "js" || x == "json")
        })
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let rel = rel.to_str().unwrap().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Builds the example site for `audience` into a temp folder; returns it.
fn example_build(audience: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = crate::common::run(&[
        "build",
        "--root",
        manifest("").to_str().unwrap(),
        "--out",
        public.to_str().unwrap(),
        "--now",
        "2026-11-23",
        "--audience",
        audience,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}

#[test]
fn the_example_site_is_searchable_and_indexes_only_what_it_publishes() {
    let out = example_build("public");
    let public = out.path().join("public");
    let files = built_index(&public);
    assert!(Reader::open(&files).is_some(), "the built index opens");
    let hits = rust_page(&files, "红包");
    assert!(
        hits[..3].contains(&"/principles/08/".to_owned()),
        "{hits:?}"
    );
    for (q, first) in [
        ("举报电话", "/channels/hotline/"),
        ("0000-81234567", "/channels/hotline/"),
        ("青一医〔2024〕12号", "/policies/gift-handover-2024/"),
    ] {
        let hits = rust_page(&files, q);
        assert_eq!(
            hits.first().map(String::as_str),
            Some(first),
            "{q}: {hits:?}"
        );
    }
    assert!(rust_page(&files, "量子纠缠").is_empty());
    let index_html = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        index_html.contains("action=\"/search/\""),
        "header search box"
    );
    assert!(public.join("search/index.html").is_file());
    let urls: Vec<String> = files
        .iter()
        .filter(|(rel, _)| rel.starts_with("search/d/"))
        .flat_map(|(rel, bytes)| {
            assert!(
                rel.ends_with(".json"),
                "{rel}: data, not a script, on a server"
            );
            let json = std::str::from_utf8(bytes).expect("a document file");
            let doc: Value = serde_json::from_str(json).unwrap();
            doc["u"].as_str().map(str::to_owned)
        })
        .collect();
    assert!(urls.len() > 30, "{urls:?}");
    for url in &urls {
        let page = public.join(url.trim_start_matches('/')).join("index.html");
        assert!(page.is_file(), "indexed {url} is a page of the build");
    }
    let staff_case = "/cases/2024/dept-donation-internal/";
    assert!(
        !urls.iter().any(|u| u == staff_case),
        "staff-only case left out"
    );
    let text: String = files
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!text.contains("dept-donation-internal"));

    let staff = example_build("staff");
    let staff_files = built_index(&staff.path().join("public"));
    let text: String = staff_files
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        text.contains(staff_case),
        "the staff build finds staff pages"
    );
}

/// The URL of every document of a built index, by document id (from its document files,
/// `search/d/<id / 1000>/<id % 1000>.json`).
fn urls_by_id(files: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut urls = Vec::new();
    for (rel, bytes) in files {
        let Some((folder, n)) = rel
            .strip_prefix("search/d/")
            .and_then(|f| f.strip_suffix(".json"))
            .and_then(|f| f.split_once('/'))
        else {
            continue;
        };
        let per_folder = search::shard::DOCS_PER_FOLDER as usize;
        let id = folder.parse::<usize>().unwrap() * per_folder + n.parse::<usize>().unwrap();
        let json = std::str::from_utf8(bytes).expect("a document file");
        let doc: Value = serde_json::from_str(json).unwrap();
        if urls.len() <= id {
            urls.resize(id + 1, String::new());
        }
        urls[id] = doc["u"].as_str().unwrap().to_owned();
    }
    urls
}

/// What a clerk types on her own site: the section's name finds the section first and every
/// principle (each titled with its own wording, never with the section's name), and a word
/// that only a question's explanation (解析) holds finds the self-test.
#[test]
fn the_example_site_finds_the_section_name_and_words_of_explanations() {
    let out = example_build("public");
    let files = built_index(&out.path().join("public"));
    let r = Reader::open(&files).unwrap();
    let by_id = urls_by_id(&files);
    let found = |q: &str| -> Vec<String> {
        let hits = r.search(q, None).hits;
        hits.iter().map(|h| by_id[h.id as usize].clone()).collect()
    };
    let section = found("九项准则");
    assert_eq!(
        section.first().map(String::as_str),
        Some("/principles/"),
        "{section:?}"
    );
    for n in 1..=9 {
        let url = format!("/principles/{n:02}/");
        assert!(section.contains(&url), "九项准则 finds {url}: {section:?}");
    }
    let explanation = "先试用后报批";
    assert!(
        !std::fs::read_to_string(manifest("content/quizzes/nine-principles.md"))
            .unwrap()
            .lines()
            .any(|l| l.contains(explanation) && !l.starts_with("解析")),
        "only an explanation says {explanation}"
    );
    assert_eq!(found(explanation), ["/quizzes/nine-principles/"]);
}

/// The search page's own form submits to the page itself, served or opened from a folder: it
/// has no `action` (the Nu HTML checker refuses an empty one).
#[test]
fn the_search_form_submits_to_its_own_page_without_an_empty_action() {
    let site = crate::common::Site::small();
    for extra in [None, Some("--relative")] {
        let out = site.path("out");
        let mut args = vec![
            "build",
            "--now",
            "2026-11-23",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let run = site.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let html = std::fs::read_to_string(out.join("search/index.html")).unwrap();
        let form = &html[html.find("<form id=\"search-form\"").expect("the form")..];
        let form = &form[..form.find('>').unwrap()];
        assert!(!form.contains("action"), "{extra:?}: {form}");
        assert!(form.contains("method=\"get\""), "{form}");
    }
}

#[test]
fn the_header_box_searches_a_built_site() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let small = crate::common::Site::small();
    let run = small.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = static_server::serve(&small.path("public"));
    b.goto(&format!("{base}/cases/"));
    let boxed = b.find("#site-search-q");
    b.send_keys(&boxed, "红包");
    b.press("\u{E007}"); // Enter
    let v = settled(&b, "红包");
    let files = built_index(&small.path("public"));
    assert_eq!(v["hrefs"], json!(rust_page(&files, "红包")), "{v}");
    assert_eq!(v["hrefs"].as_array().map(Vec::len), Some(2), "{v}");
    assert!(v["marks"].as_u64().unwrap_or(0) > 0, "{v}");
    if let Ok(dir) = std::env::var("QINGLIAN_SCREENSHOTS") {
        b.screenshot(&Path::new(&dir).join("search.png"));
    }
}

/// Another website cannot read a staff site's index: a page of another origin includes every
/// index file of the deployed staff build as a script (with a `QL_SEARCH` of its own to catch
/// what registers) and asks for each over XMLHttpRequest, and learns nothing of a staff page.
#[test]
fn another_website_cannot_read_a_staff_sites_index() {
    let Some(b) = Browser::start(1024, 800) else {
        return;
    };
    let out = example_build("staff");
    let public = out.path().join("public");
    let files = built_index(&public);
    let staff = search_text_of_staff_page(&files);
    let site = static_server::serve(&public);
    let attacker = tempfile::tempdir().unwrap();
    let mut tags = String::new();
    let mut names = Vec::new();
    for (rel, _) in &files {
        let stem = rel.trim_end_matches(".json").trim_end_matches(".js");
        for name in [format!("{stem}.js"), format!("{stem}.json")] {
            tags.push_str(&format!("<script src=\"{site}/{name}\"></script>\n"));
            names.push(format!("\"{site}/{name}\""));
        }
    }
    let page = format!(
        "<!doctype html><meta charset=utf-8><script>var stolen = [], done = 0;
         window.onerror = function () {{ return true; }};
         window.QL_SEARCH = {{ add: function (n, d) {{ stolen.push(JSON.stringify(d)); }} }};</script>
         {tags}<script>var urls = [{}];
         urls.forEach(function (u) {{ var x = new XMLHttpRequest();
           x.onloadend = function () {{ if (x.responseText) stolen.push(x.responseText); done++; }};
           x.open('GET', u, true); x.send(); }});</script>",
        names.join(",")
    );
    std::fs::write(attacker.path().join("index.html"), page).unwrap();
    let evil = static_server::serve(attacker.path());
    assert_ne!(evil, site, "two origins");
    b.goto(&format!("{evil}/index.html"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while b.eval("return done;") != json!(names.len()) {
        assert!(Instant::now() < deadline, "the requests did not end");
        std::thread::sleep(Duration::from_millis(50));
    }
    let stolen = b.eval("return stolen.join('\\n');");
    let stolen = stolen.as_str().unwrap();
    assert!(
        !stolen.contains(&staff),
        "another website read the staff page's text: {stolen:.300}"
    );
    assert!(
        stolen.is_empty(),
        "another website read the index: {stolen:.300}"
    );
}

/// A phrase of the example site's staff-only case as the index holds it.
fn search_text_of_staff_page(files: &[(String, Vec<u8>)]) -> String {
    let all: String = files
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    let phrase = "dept-donation-internal";
    assert!(
        all.contains(phrase),
        "the staff build indexes its staff case"
    );
    phrase.to_owned()
}

/// The bytes each measured query loads on a generated site of `pages` pages, as the benchmark
/// measures them: the index built in process as a server build publishes it, `search.js`
/// and every file the first page of results needs, snippets included.
fn bytes_per_query_on(pages: usize) -> Vec<usize> {
    use crate::scale::synth;
    use qinglian::search::query::{MEASURED, bytes_per_query};
    let dir = tempfile::tempdir().unwrap();
    synth::write_qinglian(dir.path(), pages);
    let prepared = synth::prepare(dir.path()).expect("the generated site prepares");
    let files = synth::search_index(&prepared);
    let script = std::fs::metadata(manifest("themes/default/static/search.js")).unwrap();
    bytes_per_query(&files, script.len() as usize, &MEASURED)
}

/// A query on a site of 10,000 pages loads at most 40 KB (the median of the measured queries;
/// issue 29). Ten results each loaded a file of eight documents' text: 128 KB.
#[test]
fn a_query_on_ten_thousand_pages_loads_at_most_40_kb() {
    let loads = bytes_per_query_on(10_000);
    let median = search::query::median(&loads);
    assert!(median <= 40 * 1024, "{median} bytes: {loads:?}");
}

/// The same at 100,000 pages: at most 60 KB. Ignored by default (it generates and indexes
/// the whole site): `cargo test --release --test it search::a_query_on_a_hundred -- --ignored`.
#[test]
#[ignore]
fn a_query_on_a_hundred_thousand_pages_loads_at_most_60_kb() {
    let loads = bytes_per_query_on(100_000);
    let median = search::query::median(&loads);
    assert!(median <= 60 * 1024, "{median} bytes: {loads:?}");
}
