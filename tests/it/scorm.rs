//! `qinglian export scorm`: the packages' manifest, files and links (read back with the zip
//! crate and roxmltree), the output folder's safety, a normal build untouched, and in headless
//! Chromium scorm-again (a real LMS's SCORM 1.2 runtime, from npm) as the API of scripted
//! attempts, over several launches and with the LMS deciding passed/failed from the mastery
//! score, and an xAPI record store stub on 127.0.0.1 receiving the statements of a launched
//! self-test, each checked by Learning Locker's xAPI validator.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{Run, Site, snapshot};
use crate::consumers;
use crate::static_server;
use crate::webdriver::Browser;

const BANK: &str = "---\ntitle: 红包自测\npass: 75\n---\n## 【单选】收到患者红包应当？\n编号：q-single\nA. 收下\nB. 婉拒，无法拒绝的按时上交\nC. 转交同事\n答案：B\n解析：应当婉拒。\n依据：@/principles/08.md\n\n## 【多选】以下哪些违反准则？\n编号：q-multi\nA. 收受回扣\nB. 收受红包\nC. 按劳取酬\n答案：AB\n\n## 【判断】金额小的红包可以收。\n编号：q-tf\n答案：错\n\n## 【填空】无法拒绝的红包应在（ ）小时内上交。\n编号：q-blank\n答案：24|二十四\n";

/// The small site with a module with a self-test (m1), a module without one (m2: a reading
/// with an image and a PDF whose name has a space), and a staff-only module whose reading is a
/// staff-only case (m3).
fn site() -> Site {
    let site = Site::small();
    site.write("content/quizzes/red.md", BANK);
    site.write("content/modules/m1.md", "---\ntitle: 模块一\norder: 1\nreadings: [principles/08, cases/2024/red]\nquiz: quizzes/red\npass: 75\n---\n学习。\n");
    site.write(
        "content/modules/m2.md",
        "---\ntitle: 模块二\norder: 2\nreadings: [principles/09, policies/new]\n---\n只读材料。\n",
    );
    site.write("content/modules/m3.md", "---\ntitle: 内部模块\norder: 3\naudience: staff\nreadings: [cases/2024/inner]\n---\n内部学习。\n");
    site.write("content/cases/2024/inner.md", "---\ntitle: 内部通报案\ndate: 2024-06-01\nsubject: 张某\nprinciples: [9]\naudience: staff\norigin: 本院\n---\n内部通报。\n");
    site.write("content/policies/new.md", "---\ntitle: 新办法\ndoc_no: 测〔2024〕2号\nissued: 2024-01-02\n---\n新文，见[原文](<@/policies/新办法 原文.pdf>)。\n\n![印章](@/policies/seal.png)\n");
    site.write_bytes("content/policies/新办法 原文.pdf", b"%PDF-1.4 test\n");
    site.write_bytes("content/policies/seal.png", b"\x89PNG\r\n\x1a\nfake");
    site
}

fn export(site: &Site, out: &Path, extra: &[&str]) -> Run {
    let out = out.to_str().unwrap().to_owned();
    let mut args = vec!["export", "scorm", "-o", &out, "--now", "2026-11-23"];
    args.extend(extra);
    site.run(&args)
}

/// Every file of a zip by name.
fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(entry.name().unwrap().into_owned(), bytes);
    }
    files
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

const CP: &str = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
const ADLCP: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";

/// Checks the manifest against SCORM 1.2 and the zip; returns the mastery score.
fn check_manifest(name: &str, files: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    let text = std::str::from_utf8(&files["imsmanifest.xml"]).unwrap();
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{name}"
    );
    let doc = roxmltree::Document::parse(text).unwrap();
    let root = doc.root_element();
    assert_eq!(
        (root.tag_name().namespace(), root.tag_name().name()),
        (Some(CP), "manifest")
    );
    assert!(root.attribute("identifier").is_some_and(|i| !i.is_empty()));
    let all = |local: &str| -> Vec<roxmltree::Node> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == local && n.tag_name().namespace() == Some(CP))
            .collect()
    };
    let schema = all("schema");
    assert_eq!(schema.len(), 1, "{name}");
    assert_eq!(schema[0].text(), Some("ADL SCORM"));
    assert_eq!(all("schemaversion")[0].text(), Some("1.2"), "{name}");
    let (orgs, org) = (all("organizations"), all("organization"));
    assert_eq!((orgs.len(), org.len()), (1, 1), "{name}: one organization");
    assert_eq!(orgs[0].attribute("default"), org[0].attribute("identifier"));
    let items = all("item");
    assert_eq!(items.len(), 1, "{name}: one item");
    let resources = all("resource");
    assert_eq!(resources.len(), 1, "{name}: one SCO");
    let sco = resources[0];
    assert_eq!(
        items[0].attribute("identifierref"),
        sco.attribute("identifier")
    );
    assert_eq!(sco.attribute((ADLCP, "scormtype")), Some("sco"));
    assert_eq!(sco.attribute("type"), Some("webcontent"));
    let launch = sco.attribute("href").unwrap();
    let listed: BTreeSet<String> = sco
        .children()
        .filter(|n| n.tag_name().name() == "file")
        .map(|n| percent_decode(n.attribute("href").unwrap()))
        .collect();
    let zipped: BTreeSet<String> = files
        .keys()
        .filter(|k| *k != "imsmanifest.xml")
        .cloned()
        .collect();
    assert_eq!(listed, zipped, "{name}: listed files = zipped files");
    assert!(files.contains_key(launch), "{name}: launch file {launch}");
    items[0]
        .children()
        .find(|n| n.tag_name().name() == "masteryscore" && n.tag_name().namespace() == Some(ADLCP))
        .and_then(|n| n.text().map(str::to_owned))
}

/// Every `href`, `src` and `action` value in `html`.
fn addresses(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\"", " action=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            out.push(rest[..rest.find('"').unwrap()].to_owned());
        }
    }
    out
}

/// No address in a packaged page leaves the package: none starts with `/`, and every relative
/// one names a file in the zip.
fn check_links(name: &str, files: &BTreeMap<String, Vec<u8>>, base_url: &str) {
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = std::str::from_utf8(bytes).unwrap();
        for value in addresses(html) {
            assert!(!value.starts_with('/'), "{name} {path}: {value}");
            let is_other = value.starts_with('#')
                || value.starts_with('?')
                || value.contains(':') && !value.split(':').next().unwrap().contains('/');
            if is_other {
                let ok = value.starts_with(base_url)
                    || ["#", "tel:", "mailto:", "https://"]
                        .iter()
                        .any(|p| value.starts_with(p));
                assert!(ok, "{name} {path}: {value}");
                continue;
            }
            let target = value.split(['?', '#']).next().unwrap();
            let mut parts: Vec<&str> = path.split('/').collect();
            parts.pop();
            for seg in target.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => {
                        assert!(parts.pop().is_some(), "{name} {path}: {value} climbs out");
                    }
                    s => parts.push(s),
                }
            }
            let file = percent_decode(&parts.join("/"));
            assert!(
                files.contains_key(&file),
                "{name} {path}: {value} -> {file} is not in the package"
            );
        }
    }
}

#[test]
fn packages_have_a_valid_manifest_and_no_link_leaves_them() {
    let site = site();
    let out = site.outer().join("packages");
    let run = export(&site, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("m1.zip") && run.stderr.contains("passed at 75%"),
        "{}",
        run.stderr
    );
    let m1 = unzip(&out.join("m1.zip"));
    assert_eq!(check_manifest("m1", &m1).as_deref(), Some("75"));
    check_links("m1", &m1, "https://example.test/");
    for file in [
        "launch.html",
        "modules/m1/index.html",
        "principles/08/index.html",
        "cases/2024/red/index.html",
        "quizzes/red/index.html",
        "static/qinglian.css",
        "static/quiz.js",
        "static/scorm.js",
    ] {
        assert!(m1.contains_key(file), "m1 has {file}: {:?}", m1.keys());
    }
    assert!(
        !m1.contains_key("principles/09/index.html"),
        "only the module's pages"
    );
    let module = String::from_utf8_lossy(&m1["modules/m1/index.html"]);
    assert!(
        module.contains("href=\"https://example.test/report/\""),
        "links out are absolute"
    );
    assert!(
        module.contains("id=\"qinglian-scorm\""),
        "packaged pages carry the marker"
    );

    let m2 = unzip(&out.join("m2.zip"));
    assert_eq!(
        check_manifest("m2", &m2),
        None,
        "no self-test, no mastery score"
    );
    check_links("m2", &m2, "https://example.test/");
    assert!(
        m2.contains_key("policies/新办法 原文.pdf"),
        "{:?}",
        m2.keys()
    );
    assert!(m2.contains_key("policies/seal.png"));
    assert!(!m2.contains_key("quizzes/red/index.html"));
    let m3 = unzip(&out.join("m3.zip"));
    check_manifest("m3", &m3);
    assert!(
        m3.contains_key("cases/2024/inner/index.html"),
        "a staff build"
    );
    let manifest = String::from_utf8_lossy(&m2["imsmanifest.xml"]);
    assert!(manifest.contains("%E6%96%B0%E5%8A%9E%E6%B3%95%20%E5%8E%9F%E6%96%87.pdf"));
}

#[test]
fn the_example_sites_packages_are_valid() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let run = crate::common::run(&[
        "export",
        "scorm",
        "--root",
        repo.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--now",
        "2026-11-23",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let zips: Vec<PathBuf> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(zips.len(), 3, "{zips:?}");
    for zip in zips {
        let name = zip.file_name().unwrap().to_string_lossy().into_owned();
        let files = unzip(&zip);
        assert_eq!(check_manifest(&name, &files).as_deref(), Some("80"));
        check_links(&name, &files, "https://lianjie.example.cn/");
    }
}

#[test]
fn one_module_by_name_and_the_output_folder_is_guarded() {
    let site = site();
    let out = site.outer().join("lms");
    let run = export(&site, &out, &["--module", "m2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names: Vec<String> = snapshot(&out)
        .keys()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(names, ["m2.zip"]);
    let first = std::fs::read(out.join("m2.zip")).unwrap();
    let again = export(&site, &out, &["--module", "content/modules/m2.md"]);
    assert_eq!(
        again.code, 0,
        "an earlier package is replaced: {}",
        again.stderr
    );
    assert_eq!(
        std::fs::read(out.join("m2.zip")).unwrap(),
        first,
        "same day, same bytes"
    );

    let none = export(&site, &out, &["--module", "m9"]);
    assert_eq!(none.code, 2);
    assert!(
        none.stderr.contains("modules/m1, modules/m2, modules/m3"),
        "{}",
        none.stderr
    );

    std::fs::write(out.join("m1.zip"), "my notes").unwrap();
    let refused = export(&site, &out, &[]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("not a zip file"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read_to_string(out.join("m1.zip")).unwrap(),
        "my notes"
    );

    let inside = export(&site, &site.path("content/packages"), &[]);
    assert_eq!(inside.code, 2, "{}", inside.stderr);
    assert!(!site.path("content/packages").exists());
    let zh = site.run(&["export", "scorm", "--module", "m9", "--lang", "zh-CN"]);
    assert!(zh.stderr.contains("找不到学习模块"), "{}", zh.stderr);
}

#[test]
fn a_normal_build_has_no_scorm_marker() {
    let site = site();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (path, bytes) in snapshot(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("qinglian-scorm"), "{}", path.display());
        assert!(!path.ends_with("scorm.js"), "{}", path.display());
    }
}

/// Waits until `js` (a function body) returns something truthy; returns it. A frame that is
/// not there yet (a script error) is waited for too.
fn wait_for(b: &Browser, js: &str, what: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    let js = format!("try {{ {js} }} catch (e) {{ return false; }}");
    loop {
        let v = b.eval(&js);
        let truthy = !(v.is_null() || v == Value::Bool(false) || v == 0 || v == "");
        if truthy {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A page that plays the LMS with scorm-again: `launch(settings, data)` makes its `Scorm12API`
/// with `settings`, loads `data` (what the LMS kept of the learner, `cmi.` left out) and
/// makes it the `window.API` the package finds, then opens the package's launch page in a
/// frame. Every call the package makes is in `window.calls` (`[name, element, value]`, as
/// scorm-again's events give them) and every error scorm-again logs in `window.errors`;
/// `launchWithoutApi()` opens the frame with no API.
const HARNESS: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script src="scorm12.min.js"></script>
<script>
window.calls = [];
window.errors = [];
function frame() {
  var f = document.createElement("iframe");
  f.id = "sco"; f.src = "launch.html"; f.style.width = "1000px"; f.style.height = "800px";
  document.body.appendChild(f);
}
function launch(settings, data) {
  settings.logLevel = 4;
  settings.onLogMessage = function (level, message) { window.errors.push(String(message)); };
  var api = new Scorm12API(settings);
  api.loadFromJSON(data);
  ["LMSInitialize", "LMSFinish", "LMSCommit", "LMSGetValue", "LMSSetValue"].forEach(function (name) {
    api.on(name, function (element, value) {
      var c = [name];
      if (element !== undefined && element !== null) { c.push(element); }
      if (value !== undefined) { c.push(String(value)); }
      window.calls.push(c);
    });
  });
  window.API = api;
  frame();
}
function launchWithoutApi() { frame(); }
</script></head><body></body></html>"#;

/// The document shown inside the launch page, as JavaScript.
const INNER: &str = "document.getElementById('sco').contentWindow.document.getElementById('qinglian-scorm-frame').contentWindow";

/// A package unpacked with the LMS page and scorm-again beside it, served on 127.0.0.1.
struct Served {
    _dir: tempfile::TempDir,
    base: String,
    /// `adlcp:masteryscore` of the package's manifest.
    mastery: Option<String>,
}

/// Unpacks `zip` with the LMS page and `runtime` (scorm-again's script) beside it and serves
/// it.
fn served_package(zip: &Path, runtime: &Path) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let files = unzip(zip);
    let mastery = check_manifest("package", &files);
    for (name, bytes) in files {
        let path = dir.path().join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    std::fs::write(dir.path().join("harness.html"), HARNESS).unwrap();
    std::fs::copy(runtime, dir.path().join("scorm12.min.js")).unwrap();
    let base = static_server::serve(dir.path());
    Served {
        _dir: dir,
        base,
        mastery,
    }
}

fn calls(b: &Browser) -> Vec<Vec<String>> {
    let v = b.eval("return JSON.stringify(window.calls);");
    serde_json::from_str(v.as_str().unwrap()).unwrap()
}

fn set_value<'a>(calls: &'a [Vec<String>], key: &str) -> Vec<&'a str> {
    calls
        .iter()
        .filter(|c| c[0] == "LMSSetValue" && c[1] == key)
        .map(|c| c[2].as_str())
        .collect()
}

fn position(calls: &[Vec<String>], name: &str) -> usize {
    calls
        .iter()
        .position(|c| c[0] == name)
        .unwrap_or_else(|| panic!("no {name}: {calls:?}"))
}

/// Follows the module page's link to its self-test in the launch frame, and waits until the
/// test page is loaded and `ready` (a script expression over the frame's window `w`) holds.
fn open_self_test(b: &Browser, ready: &str) {
    wait_for(
        b,
        &format!(
            "var w = {INNER}; return w.document.readyState === 'complete' && !!w.document.querySelector(\"a[href*='quizzes/red/']\");"
        ),
        "the module page",
    );
    b.eval(&format!(
        "{INNER}.document.querySelector(\"a[href*='quizzes/red/']\").click();"
    ));
    wait_for(
        b,
        &format!(
            "var w = {INNER}; return w.location.pathname.indexOf('/quizzes/red/') === 0 && w.document.readyState === 'complete' && {ready};"
        ),
        "the self-test page",
    );
}

/// Opens the self-test from the module page in the launch frame and answers it: every
/// question right, or none at all (then "submit anyway").
fn take_self_test(b: &Browser, right: bool) {
    open_self_test(b, "!!w.QinglianScorm");
    let answer = if right {
        "var d = w.document; var data = JSON.parse(d.getElementById('quiz-data').textContent);
         data.questions.forEach(function (q) {
           if (q.kind === 'blank') { d.querySelector(\"input[name='\" + q.id + \"-0']\").value = q.answer[0][0]; return; }
           var want = q.kind === 'truefalse' ? [String(q.answer)] : q.answer.map(String);
           want.forEach(function (v) { d.querySelector(\"input[name='\" + q.id + \"'][value='\" + v + \"']\").click(); });
         });"
    } else {
        "var d = w.document; d.getElementById('quiz-submit').click();"
    };
    b.eval(&format!(
        "var w = {INNER}; {answer} d.getElementById('quiz-submit').click();"
    ));
}

fn scorm_package() -> Option<(Browser, Site, PathBuf)> {
    let b = Browser::start(1100, 900)?;
    let site = site();
    let out = site.outer().join("packages");
    let run = export(&site, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    Some((b, site, out))
}

/// The browser, the packages and scorm-again's SCORM 1.2 runtime, when all are installed.
fn lms() -> Option<(Browser, Site, PathBuf, PathBuf)> {
    let runtime = consumers::file("scorm-again/dist/scorm12.min.js")?;
    let (b, site, out) = scorm_package()?;
    Some((b, site, out, runtime))
}

/// What scorm-again holds after a session: its calls, its errors and its CMI data.
struct Recorded {
    calls: Vec<Vec<String>>,
    cmi: Value,
}

impl Recorded {
    fn core(&self, key: &str) -> &str {
        self.cmi["core"][key].as_str().unwrap_or("")
    }

    fn score(&self) -> &str {
        self.cmi["core"]["score"]["raw"].as_str().unwrap_or("")
    }

    /// The status and the score the LMS holds.
    fn result(&self) -> (&str, &str) {
        (self.core("lesson_status"), self.score())
    }

    /// What an LMS keeps of the learner for the next launch, with its own settings.
    fn kept(&self, lms: &Value) -> Value {
        let mut data = lms.clone();
        data["core"]["lesson_status"] = self.cmi["core"]["lesson_status"].clone();
        data["core"]["score"] = self.cmi["core"]["score"].clone();
        data["core"]["entry"] = "resume".into();
        data
    }
}

/// The learner as an LMS sets it up before a first launch: credit, and the mastery score from
/// the package's manifest (as `student_data.mastery_score`).
fn learner(mastery: Option<&str>) -> Value {
    let mut data = serde_json::json!({
        "core": {"student_id": "u-001", "student_name": "李医生", "credit": "credit", "lesson_mode": "normal"}
    });
    if let Some(m) = mastery {
        data["student_data"] = serde_json::json!({"mastery_score": m});
    }
    data
}

/// Launches the package under scorm-again with `settings` and `data`, takes the self-test
/// (all right or all wrong) and returns what scorm-again recorded once the session ended.
fn attempt(b: &Browser, served: &Served, settings: &Value, data: &Value, right: bool) -> Recorded {
    b.goto(&format!("{}/harness.html", served.base));
    b.eval(&format!("launch({settings}, {data});"));
    take_self_test(b, right);
    wait_for(
        b,
        "return window.calls.some(function (c) { return c[0] === 'LMSFinish'; });",
        "LMSFinish",
    );
    let recorded = finished(b);
    eprintln!(
        "scorm-again after a {} attempt: status {}, score {}, calls {:?}",
        if right { "right" } else { "wrong" },
        recorded.core("lesson_status"),
        recorded.score(),
        recorded.calls
    );
    recorded
}

/// What scorm-again holds now; it logged no error.
fn finished(b: &Browser) -> Recorded {
    let errors = b.eval("return window.errors;");
    assert_eq!(errors, Value::Array(Vec::new()), "scorm-again's errors");
    let cmi = b.eval("return JSON.stringify(window.API.renderCMIToJSONObject().cmi);");
    Recorded {
        calls: calls(b),
        cmi: serde_json::from_str(cmi.as_str().unwrap()).unwrap(),
    }
}

/// A SCORM 1.2 time span, `HHHH:MM:SS.SS`.
fn is_timespan(t: &str) -> bool {
    let t = t.as_bytes();
    t.len() == 13
        && [4, 7, 10]
            .iter()
            .all(|&i| t[i] == if i == 10 { b'.' } else { b':' })
        && t.iter()
            .enumerate()
            .all(|(i, ch)| [4, 7, 10].contains(&i) || ch.is_ascii_digit())
}

fn note(b: &Browser) -> String {
    let note = b.eval(&format!(
        "return {INNER}.document.getElementById('scorm-note').textContent;"
    ));
    note.as_str().unwrap().to_owned()
}

#[test]
fn scorm_again_records_a_pass_and_a_later_failure_keeps_it() {
    let Some((b, _site, out, runtime)) = lms() else {
        return;
    };
    let served = served_package(&out.join("m1.zip"), &runtime);
    let settings = serde_json::json!({"mastery_override": false});
    let data = learner(served.mastery.as_deref());
    let first = attempt(&b, &served, &settings, &data, true);
    let c = &first.calls;
    assert_eq!(c[0], ["LMSInitialize"]);
    assert_eq!(
        c.iter().filter(|x| x[0] == "LMSInitialize").count(),
        1,
        "one session: {c:?}"
    );
    assert_eq!(set_value(c, "cmi.core.score.raw"), ["100"]);
    assert_eq!(set_value(c, "cmi.core.score.min"), ["0"]);
    assert_eq!(set_value(c, "cmi.core.score.max"), ["100"]);
    assert_eq!(
        set_value(c, "cmi.core.lesson_status"),
        ["incomplete", "passed"]
    );
    let time = set_value(c, "cmi.core.session_time");
    assert!(time.len() == 1 && is_timespan(time[0]), "{c:?}");
    let (commit, finish) = (position(c, "LMSCommit"), position(c, "LMSFinish"));
    assert!(commit < finish && finish == c.len() - 1, "{c:?}");
    assert_eq!(first.result(), ("passed", "100"));
    assert!(!first.core("session_time").is_empty(), "{}", first.cmi);
    assert!(note(&b).contains("已报送"), "{}", note(&b));

    // A second attempt in the same session is not reported, and the page says so.
    let count = c.len();
    b.eval(&format!(
        "{INNER}.document.getElementById('quiz-restart').click();"
    ));
    take_self_test_again(&b);
    assert_eq!(calls(&b).len(), count, "nothing after LMSFinish");
    assert!(note(&b).contains("没有报送"), "{}", note(&b));

    // A new launch, where the LMS gives back what it kept, that fails the test.
    let second = attempt(&b, &served, &settings, &first.kept(&data), false);
    assert_eq!(
        second.result(),
        ("passed", "100"),
        "the pass and the best score stay: {:?}",
        second.calls
    );
    assert!(set_value(&second.calls, "cmi.core.score.raw").is_empty());
    assert!(set_value(&second.calls, "cmi.core.lesson_status").is_empty());
    assert_eq!(set_value(&second.calls, "cmi.core.session_time").len(), 1);
    assert_eq!(second.calls.last().unwrap(), &["LMSFinish"]);
    assert!(note(&b).contains("保留您此前更好的成绩"), "{}", note(&b));
}

#[test]
fn an_lms_that_sets_passed_from_the_mastery_score_keeps_the_pass_too() {
    let Some((b, _site, out, runtime)) = lms() else {
        return;
    };
    let served = served_package(&out.join("m1.zip"), &runtime);
    assert_eq!(served.mastery.as_deref(), Some("75"));
    let settings = serde_json::json!({"mastery_override": true});
    let data = learner(served.mastery.as_deref());
    let failed = attempt(&b, &served, &settings, &data, false);
    assert_eq!(failed.result(), ("failed", "0"));
    let passed = attempt(&b, &served, &settings, &failed.kept(&data), true);
    assert_eq!(passed.result(), ("passed", "100"));
    let again = attempt(&b, &served, &settings, &passed.kept(&data), false);
    assert_eq!(
        again.result(),
        ("passed", "100"),
        "the LMS decides from the score it holds, the best one: {:?}",
        again.calls
    );
}

fn take_self_test_again(b: &Browser) {
    b.eval(&format!("var d = {INNER}.document; d.getElementById('quiz-submit').click(); d.getElementById('quiz-submit').click();"));
    wait_for(
        b,
        &format!(
            "return {INNER}.document.getElementById('scorm-note').textContent.indexOf('没有') >= 0;"
        ),
        "the note",
    );
}

#[test]
fn a_module_without_a_test_is_completed_once_its_readings_are_opened() {
    let Some((b, _site, out, runtime)) = lms() else {
        return;
    };
    let served = served_package(&out.join("m2.zip"), &runtime);
    assert_eq!(served.mastery, None);
    b.goto(&format!("{}/harness.html", served.base));
    b.eval(&format!(
        "launch({{}}, {});",
        learner(served.mastery.as_deref())
    ));
    for reading in ["principles/09/", "policies/new/"] {
        wait_for(
            &b,
            &format!(
                "var w = {INNER}; return w.document.readyState === 'complete' && !!w.document.querySelector(\"a[data-reading]\");"
            ),
            "the module page",
        );
        let so_far = calls(&b);
        let done = set_value(&so_far, "cmi.core.lesson_status");
        assert_eq!(done, ["incomplete"], "not completed before {reading}");
        b.eval(&format!(
            "{INNER}.document.querySelector(\"a[href*='{reading}']\").click();"
        ));
        wait_for(
            &b,
            &format!(
                "var w = {INNER}; return w.location.pathname.indexOf('/{reading}') === 0 && w.document.readyState === 'complete';"
            ),
            reading,
        );
        b.eval(&format!("{INNER}.history.back();"));
    }
    wait_for(
        &b,
        &format!(
            "var w = {INNER}; return w.location.pathname.indexOf('/modules/m2/') === 0 && w.document.readyState === 'complete';"
        ),
        "back on the module page",
    );
    let c = calls(&b);
    assert_eq!(
        set_value(&c, "cmi.core.lesson_status"),
        ["incomplete", "completed"],
        "{c:?}"
    );
    assert!(
        !c.iter().any(|x| x[0] == "LMSFinish"),
        "the session goes on: {c:?}"
    );
    // Leaving the package ends the session.
    b.eval("document.getElementById('sco').src = 'about:blank';");
    wait_for(
        &b,
        "return window.calls.some(function (c) { return c[0] === 'LMSFinish'; });",
        "LMSFinish on leaving",
    );
    let done = finished(&b);
    eprintln!("scorm-again, readings only: {:?}", done.calls);
    assert_eq!(set_value(&done.calls, "cmi.core.session_time").len(), 1);
    assert!(set_value(&done.calls, "cmi.core.score.raw").is_empty());
    assert_eq!(done.calls.last().unwrap(), &["LMSFinish"]);
    assert_eq!(done.result(), ("completed", ""));
}

#[test]
fn without_an_api_a_package_behaves_as_the_site() {
    let Some((b, _site, out, runtime)) = lms() else {
        return;
    };
    let served = served_package(&out.join("m1.zip"), &runtime);
    b.goto(&format!("{}/harness.html", served.base));
    b.eval("launchWithoutApi();");
    take_self_test_without_api(&b);
    let notice = b.eval(&format!(
        "return {INNER}.document.querySelector('.quiz-page .notice').textContent;"
    ));
    assert!(
        notice.as_str().unwrap().contains("不会上传"),
        "the site's own notice: {notice}"
    );
    let note = b.eval(&format!(
        "return !!{INNER}.document.getElementById('scorm-note');"
    ));
    assert_eq!(note, Value::Bool(false));
    assert_eq!(b.eval("return window.calls.length;"), Value::from(0));
}

fn take_self_test_without_api(b: &Browser) {
    open_self_test(b, "!!w.document.getElementById('quiz-submit')");
    b.eval(&format!("var d = {INNER}.document; d.getElementById('quiz-submit').click(); d.getElementById('quiz-submit').click();"));
    wait_for(
        b,
        &format!("return !{INNER}.document.getElementById('quiz-result').hasAttribute('hidden');"),
        "the result",
    );
}

/// What the record store stub received: method, path, headers (lower-case names), body.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: String,
}

/// A learning record store stub on 127.0.0.1: answers CORS preflights, records every
/// request, and stops by itself after two minutes. Returns its endpoint and the record.
fn record_store() -> (String, std::sync::Arc<std::sync::Mutex<Vec<Received>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        let stop = Instant::now() + Duration::from_secs(120);
        while Instant::now() < stop {
            match listener.accept() {
                Ok((stream, _)) => {
                    let record = record.clone();
                    std::thread::spawn(move || store_exchange(stream, &record));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    (format!("http://127.0.0.1:{port}/xapi/"), seen)
}

/// One request to the record store stub: recorded, and answered with CORS headers (`["ok"]`
/// to a POST) on a connection then closed.
fn store_exchange(stream: std::net::TcpStream, record: &std::sync::Mutex<Vec<Received>>) {
    use std::io::{BufRead, Write};
    let _ = stream.set_nonblocking(false);
    let mut reader = std::io::BufReader::new(&stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut words = line.split_whitespace();
    let method = words.next().unwrap_or_default().to_owned();
    let path = words.next().unwrap_or_default().to_owned();
    let mut headers = BTreeMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).map_or(true, |n| n == 0) || header == "\r\n" {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length = (headers.get("content-length")).map_or(0, |v| v.parse().unwrap_or(0));
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let body = String::from_utf8_lossy(&body).into_owned();
    let text = if method == "POST" { "[\"ok\"]" } else { "" };
    record.lock().unwrap().push(Received {
        method,
        path,
        headers,
        body,
    });
    let _ = write!(
        &stream,
        "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: POST, PUT, GET, OPTIONS\r\nAccess-Control-Allow-Headers: Authorization, Content-Type, X-Experience-API-Version\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Answers the fixture bank on the open page: everything right but the true/false one.
fn answer_three_of_four(b: &Browser) {
    wait_for(
        b,
        "return document.readyState === 'complete' && !!document.getElementById('quiz-submit');",
        "the self-test",
    );
    for (name, value) in [
        ("q-single", "1"),
        ("q-multi", "0"),
        ("q-multi", "1"),
        ("q-tf", "true"),
    ] {
        b.click(&b.find(&format!("input[name='{name}'][value='{value}']")));
    }
    b.send_keys(&b.find("input[name='q-blank-0']"), "24");
    b.click(&b.find("#quiz-submit"));
}

const ACTOR: &str = r#"{"objectType":"Agent","name":"李医生","mbox":"mailto:li@example.test"}"#;
const REGISTRATION: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

#[test]
fn a_launched_self_test_sends_xapi_statements_and_nothing_without_launch_parameters() {
    let Some(b) = Browser::start(1024, 900) else {
        return;
    };
    let site = site();
    assert_eq!(site.build().code, 0);
    let base = static_server::serve(&site.path("public"));
    let (endpoint, seen) = record_store();

    // Without launch parameters nothing is sent.
    b.goto(&format!("{base}/quizzes/red/?module=modules/m1"));
    answer_three_of_four(&b);
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );

    let activity = "https://lms.example.test/activities/red";
    let url = format!(
        "{base}/quizzes/red/?module=modules/m1&endpoint={}&auth={}&actor={}&registration={REGISTRATION}&activity_id={}",
        enc(&endpoint),
        enc("Basic dGVzdDpzZWNyZXQ="),
        enc(ACTOR),
        enc(activity)
    );
    b.goto(&url);
    answer_three_of_four(&b);
    let posts = || -> Vec<Received> {
        seen.lock()
            .unwrap()
            .iter()
            .filter(|r| r.method == "POST")
            .cloned()
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while posts().len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let posts = posts();
    assert_eq!(posts.len(), 2, "attempted, then the results: {posts:?}");
    let mut statements = Vec::new();
    for p in &posts {
        assert_eq!(p.path, "/xapi/statements");
        assert_eq!(
            p.headers.get("authorization").map(String::as_str),
            Some("Basic dGVzdDpzZWNyZXQ=")
        );
        assert_eq!(
            p.headers
                .get("x-experience-api-version")
                .map(String::as_str),
            Some("1.0.3")
        );
        assert!(
            p.headers
                .get("content-type")
                .is_some_and(|c| c.starts_with("application/json"))
        );
        match serde_json::from_str::<Value>(&p.body).unwrap() {
            Value::Array(a) => statements.extend(a),
            one => statements.push(one),
        }
    }
    eprintln!(
        "xAPI statements: {}",
        serde_json::to_string_pretty(&statements).unwrap()
    );
    check_statements(&statements, activity);
    validate_statements(&statements);

    let stored = b.eval("return JSON.stringify(window.localStorage) + document.cookie;");
    assert!(
        !stored.as_str().unwrap().contains("dGVzdDpzZWNyZXQ"),
        "credentials are never stored"
    );
    let notice = b.eval("return document.querySelector('.quiz-page .notice').textContent;");
    assert!(notice.as_str().unwrap().contains("学习平台"), "{notice}");

    // Without activity_id, the object is the page's own address.
    seen.lock().unwrap().clear();
    b.goto(&url.replace(&format!("&activity_id={}", enc(activity)), ""));
    wait_for(&b, "return document.readyState === 'complete';", "the page");
    let deadline = Instant::now() + Duration::from_secs(10);
    while seen.lock().unwrap().iter().all(|r| r.method != "POST") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let first = seen
        .lock()
        .unwrap()
        .iter()
        .find(|r| r.method == "POST")
        .cloned()
        .unwrap();
    let attempted: Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(attempted["object"]["id"], format!("{base}/quizzes/red/"));
    validate_statements(&[attempted]);
}

/// Validates each statement with Learning Locker's validator; prints its warnings.
const XAPI_VALIDATION: &str = r#"
const validate = require('@learninglocker/xapi-validation').default;
const statements = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(statements.map(function (s) {
  return validate(s).map(function (w) { return w.path.join('.') + ': ' + (w.constructor.name) + ' ' + JSON.stringify(w.data); });
})));
"#;

/// Every statement passes a real xAPI validator (skipped with the reason when it is missing).
fn validate_statements(statements: &[Value]) {
    if !consumers::node_with("@learninglocker/xapi-validation") {
        return;
    }
    let out = consumers::node(XAPI_VALIDATION, &serde_json::to_string(statements).unwrap());
    let warnings: Vec<Vec<String>> = serde_json::from_str(&out).unwrap();
    eprintln!("xapi-validation warnings per statement: {warnings:?}");
    assert_eq!(warnings.len(), statements.len());
    for (s, w) in statements.iter().zip(&warnings) {
        assert!(w.is_empty(), "{w:?} in {s}");
    }
}

fn check_statements(statements: &[Value], activity: &str) {
    let verbs: Vec<&str> = statements
        .iter()
        .map(|s| {
            s["verb"]["id"]
                .as_str()
                .unwrap()
                .trim_start_matches("http://adlnet.gov/expapi/verbs/")
        })
        .collect();
    assert_eq!(
        verbs,
        [
            "attempted",
            "answered",
            "answered",
            "answered",
            "answered",
            "passed",
            "completed"
        ]
    );
    let actor: Value = serde_json::from_str(ACTOR).unwrap();
    for s in statements {
        assert_eq!(s["actor"], actor);
        assert_eq!(s["context"]["registration"], REGISTRATION);
        assert!(s["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')));
    }
    assert_eq!(statements[0]["object"]["id"], activity);
    let answered: BTreeMap<&str, &Value> = statements[1..5]
        .iter()
        .map(|s| (s["object"]["id"].as_str().unwrap(), &s["result"]))
        .collect();
    let q = |id: &str| answered[format!("{activity}#{id}").as_str()];
    assert_eq!(q("q-single")["response"], "1");
    assert_eq!(q("q-multi")["response"], "0[,]1");
    assert_eq!(q("q-tf")["response"], "true");
    assert_eq!(q("q-tf")["success"], false);
    assert_eq!(q("q-blank")["response"], "24");
    assert_eq!(q("q-blank")["success"], true);
    assert_eq!(
        statements[1]["context"]["contextActivities"]["parent"][0]["id"],
        activity
    );
    let passed = &statements[5]["result"];
    assert_eq!(passed["score"]["scaled"], 0.75);
    assert_eq!(passed["score"]["raw"], 75);
    assert_eq!(
        (&passed["score"]["min"], &passed["score"]["max"]),
        (&Value::from(0), &Value::from(100))
    );
    assert_eq!(passed["success"], true);
    let duration = passed["duration"].as_str().unwrap();
    assert!(
        duration.starts_with("PT") && duration.ends_with('S'),
        "{duration}"
    );
    assert_eq!(statements[6]["object"]["id"], activity);
}

/// xAPI statements never go to a plain-http record store from an https page (the learner's
/// credentials would travel unencrypted): quiz.js's own rule, run by node.
#[test]
fn xapi_to_plain_http_from_an_https_page_is_refused() {
    if !crate::consumers::node_with("@learninglocker/xapi-validation") {
        return;
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/quiz.js");
    let src = std::fs::read_to_string(path).unwrap();
    let start = src.find("function xapiEndpoint(").expect("the rule");
    let end = start + src[start..].find("\n  }\n").unwrap() + 4;
    let script = format!(
        "{}\nprocess.stdout.write([
          xapiEndpoint('https:', 'http://lrs.example/xapi/'),
          xapiEndpoint('https:', 'HTTP://lrs.example/'),
          xapiEndpoint('https:', 'https://lrs.example/xapi/'),
          xapiEndpoint('http:', 'http://lrs.example/xapi/'),
          xapiEndpoint('file:', 'https://lrs.example/'),
          xapiEndpoint('https:', 'javascript:alert(1)'),
          xapiEndpoint('http:', '//lrs.example/')].join(','));",
        &src[start..end]
    );
    let out = crate::consumers::node(&script, "");
    assert_eq!(out, "insecure,insecure,ok,ok,ok,no,no");
    let zh = include_str!("../../themes/default/i18n/zh-CN.yaml");
    assert!(zh.contains("quiz.xapi_insecure: "), "the page says why");
}
