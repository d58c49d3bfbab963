//! Integration tests for `quiz export`: spreadsheet round trips through `quiz import`, Moodle
//! XML read back with a real XML parser, GIFT read back by a real GIFT parser (gift-pegjs),
//! Aiken read by Moodle's rules, how a bank is named, and where output goes.

use std::path::{Path, PathBuf};

use qinglian::kinds::quiz::{Answer, Question, blank_spans};
use serde_json::Value;

use crate::common::{Run, Site, run, run_in};
use crate::consumers;

/// One question of each type (the 填空 one with two blanks), citing a rule of the site.
const BANK: &str = "---\ntitle: 红包自测\npass: 75\n---\n## 【单选】收到患者红包应当？\n编号：HB-1\nA. 收下\nB. 婉拒，无法拒绝的按时上交\n答案：B\n解析：应当婉拒，无法拒绝的按规定上交。\n依据：@/principles/08.md\n\n## 【多选】以下哪些违反准则？\nA. 收受回扣\nB. 收受红包\nC. 按劳取酬\n答案：AB\n\n## 【判断】金额小的红包可以收。\n答案：错\n解析：金额大小不改变性质。\n\n## 【填空】无法拒绝的红包应在（ ）小时内上交（ ）。\n答案：24|二十四；纪检监察室\n";

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/quiz/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn bank_site() -> Site {
    let site = Site::small();
    site.write("content/quizzes/red.md", BANK);
    site
}

/// `qinglian quiz export <bank> --format <format> -o <out> --root <site>`.
fn export(site: &Site, bank: &str, format: &str, out: &Path, extra: &[&str]) -> Run {
    export_in(site.root(), bank, format, out, extra)
}

/// The same, in the site at `root`.
fn export_in(root: &Path, bank: &str, format: &str, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "quiz",
        "export",
        bank,
        "--format",
        format,
        "-o",
        out.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ];
    args.extend(extra);
    run(&args)
}

fn import(input: &Path, out: &Path) {
    let r = run(&[
        "quiz",
        "import",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "import {}: {}", input.display(), r.stderr);
}

/// A bank file's questions as JSON (id, type, stem, options, answer, explanation, basis).
fn questions(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    let file = qinglian::source::split("quizzes/x.md".into(), bytes.as_slice()).unwrap();
    let (parsed, diags) = qinglian::kinds::quiz::parse_bank(&file);
    assert!(diags.is_empty(), "{diags:?}");
    serde_json::to_value(parsed.unwrap().1.questions).unwrap()
}

#[test]
fn spreadsheets_round_trip_through_import() {
    for (input, count) in [
        ("bank.xlsx", 15),
        ("bank-utf8-bom.csv", 6),
        ("bank-gbk.csv", 10),
    ] {
        let site = Site::new();
        let first = site.path("content/quizzes/first.md");
        import(Path::new(&fixture(input)), &first);
        let before = questions(&first);
        assert_eq!(before.as_array().unwrap().len(), count);
        for (format, name, extra) in [
            ("xlsx", "out.xlsx", &[][..]),
            ("csv", "out.csv", &[][..]),
            ("csv", "out-gbk.csv", &["--encoding", "gbk"][..]),
        ] {
            let out = site.path(name);
            let r = export(&site, "quizzes/first", format, &out, extra);
            assert_eq!(r.code, 0, "{input} → {name}: {}", r.stderr);
            assert!(
                r.stderr.contains(&format!("wrote {count} questions to")),
                "{}",
                r.stderr
            );
            let again = site.path(&format!("content/quizzes/again-{name}.md"));
            import(&out, &again);
            assert_eq!(questions(&again), before, "{input} → {name} → import");
        }
    }
}

#[test]
fn exported_sheets_use_the_import_layout() {
    let site = bank_site();
    let csv = site.path("red.csv");
    assert_eq!(export(&site, "quizzes/red", "csv", &csv, &[]).code, 0);
    let bytes = std::fs::read(&csv).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with BOM for Excel"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.starts_with(
            "编号,题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,选项G,选项H,答案,解析,依据\r\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("HB-1,单选题,收到患者红包应当？,收下,婉拒，无法拒绝的按时上交,,,,,,,B,"),
        "{text}"
    );
    assert!(
        text.contains(
            ",填空题,无法拒绝的红包应在（ ）小时内上交（ ）。,,,,,,,,,24|二十四；纪检监察室,,"
        ),
        "{text}"
    );
    let gbk = site.path("red-gbk.csv");
    assert_eq!(
        export(&site, "quizzes/red", "csv", &gbk, &["--encoding", "gbk"]).code,
        0
    );
    let bytes = std::fs::read(&gbk).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "GBK is not UTF-8");
    let (decoded, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad && decoded.starts_with("编号,题型"), "{decoded}");
}

fn child<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> roxmltree::Node<'a, 'a> {
    n.children()
        .find(|c| c.has_tag_name(name))
        .unwrap_or_else(|| panic!("no <{name}> in <{}>", n.tag_name().name()))
}

fn text_in<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    child(child(n, name), "text").text().unwrap_or("")
}

#[test]
fn moodle_xml_has_every_type_with_fractions_and_feedback() {
    let site = bank_site();
    let out = site.path("red.xml");
    let r = export(&site, "quizzes/red", "moodle-xml", &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = site.read("red.xml");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "quiz");
    let qs: Vec<_> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("question"))
        .collect();
    let kinds: Vec<_> = qs.iter().map(|q| q.attribute("type").unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "category",
            "multichoice",
            "multichoice",
            "truefalse",
            "cloze"
        ]
    );
    assert_eq!(text_in(qs[0], "category"), "$course$/top/红包自测");
    for q in &qs[1..] {
        let answers: Vec<f64> = q
            .children()
            .filter(|a| a.has_tag_name("answer"))
            .map(|a| a.attribute("fraction").unwrap().parse().unwrap())
            .collect();
        let right: f64 = answers.iter().filter(|&&f| f > 0.0).sum();
        match q.attribute("type").unwrap() {
            "cloze" => assert!(answers.is_empty()),
            _ => assert!((right - 100.0).abs() < 0.001, "{answers:?}"),
        }
    }
    let single = qs[1];
    assert_eq!(text_in(single, "name"), "HB-1");
    assert_eq!(child(single, "single").text(), Some("true"));
    assert_eq!(
        text_in(single, "generalfeedback"),
        "应当婉拒，无法拒绝的按规定上交。\n\n依据：共建和谐关系，不收受患方“红包”",
        "the explanation and the rule's title travel as general feedback"
    );
    let multi = qs[2];
    assert_eq!(child(multi, "single").text(), Some("false"));
    let fractions: Vec<_> = multi
        .children()
        .filter(|a| a.has_tag_name("answer"))
        .map(|a| a.attribute("fraction").unwrap())
        .collect();
    assert_eq!(fractions, ["50", "50", "-100"]);
    let tf = qs[3];
    let right: Vec<_> = tf
        .children()
        .filter(|a| a.has_tag_name("answer") && a.attribute("fraction") == Some("100"))
        .map(|a| child(a, "text").text().unwrap())
        .collect();
    assert_eq!(right, ["false"]);
    assert_eq!(text_in(tf, "generalfeedback"), "金额大小不改变性质。");
    assert_eq!(
        text_in(qs[4], "questiontext"),
        "<p>无法拒绝的红包应在{1:SHORTANSWER:=24~=二十四}小时内上交{1:SHORTANSWER:=纪检监察室}。</p>"
    );
}

#[test]
fn gift_writes_each_type() {
    let site = bank_site();
    let out = site.path("red.gift.txt");
    let r = export(&site, "quizzes/red", "gift", &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("wrote 5 questions"), "{}", r.stderr);
    assert!(
        r.stderr.contains("note: 1 填空题 with several blanks"),
        "{}",
        r.stderr
    );
    let text = site.read("red.gift.txt");
    for expected in [
        "$CATEGORY: $course$/top/红包自测\n",
        "// [id:HB-1]\n::HB-1::收到患者红包应当？{\n\t~收下\n\t=婉拒，无法拒绝的按时上交\n\t####[markdown]应当婉拒，无法拒绝的按规定上交。\\n\\n依据：共建和谐关系，不收受患方“红包”\n}\n",
        "::以下哪些违反准则？::以下哪些违反准则？{\n\t~%50%收受回扣\n\t~%50%收受红包\n\t~%-100%按劳取酬\n}\n",
        "::金额小的红包可以收。::金额小的红包可以收。{FALSE####[markdown]金额大小不改变性质。}\n",
        "第1空::无法拒绝的红包应在{=24 =二十四}小时内上交（ ）。\n",
        "第2空::无法拒绝的红包应在（ ）小时内上交{=纪检监察室}。\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn aiken_keeps_single_choice_and_says_what_it_left_out() {
    let site = bank_site();
    let out = site.path("red.aiken.txt");
    let r = export(&site, "quizzes/red", "aiken", &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        site.read("red.aiken.txt"),
        "收到患者红包应当？\nA. 收下\nB. 婉拒，无法拒绝的按时上交\nANSWER: B\n\n"
    );
    assert!(
        r.stderr.contains("note: 3 questions left out (1 多选题, 1 判断题, 1 填空题): Aiken holds single-choice questions only"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("wrote 1 question to"), "{}", r.stderr);
}

#[test]
fn output_is_never_overwritten_without_force_and_defaults_to_the_current_folder() {
    let site = bank_site();
    let bank = site.path("content/quizzes/red.md");
    let bank = bank.to_str().unwrap();
    let r = run_in(site.root(), &["quiz", "export", bank, "--format", "gift"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("to red.gift.txt"),
        "says where: {}",
        r.stderr
    );
    site.write("red.gift.txt", "mine");
    let r = run_in(site.root(), &["quiz", "export", bank, "--format", "gift"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("already exists") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(site.read("red.gift.txt"), "mine");
    let r = run_in(
        site.root(),
        &["quiz", "export", bank, "--format", "gift", "--force"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.read("red.gift.txt").contains("::HB-1::"));
    let r = run(&["quiz", "export", bank, "--format", "aiken", "-o", "-"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            0,
            "收到患者红包应当？\nA. 收下\nB. 婉拒，无法拒绝的按时上交\nANSWER: B\n\n"
        )
    );
    let r = run(&["quiz", "export", bank, "--format", "xlsx", "-o", "-"]);
    assert_eq!(r.code, 2, "xlsx is not sent to a terminal");
    let r = run(&[
        "quiz",
        "export",
        "quizzes/none",
        "--format",
        "gift",
        "--root",
        site.root().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no bank `quizzes/none`"), "{}", r.stderr);
}

#[test]
fn a_bank_with_errors_is_reported_and_not_exported() {
    let site = bank_site();
    site.write(
        "content/quizzes/bad.md",
        "---\ntitle: 坏题库\n---\n## 【单选】题一\nA. 甲\nB. 乙\n答案：C\n",
    );
    let out = site.path("bad.xml");
    let r = export(&site, "quizzes/bad", "moodle-xml", &out, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/quizzes/bad.md:7:1")
            && r.stderr.contains("answer C has no option"),
        "{}",
        r.stderr
    );
    assert!(!out.exists(), "nothing is written");
}

/// The lines of a usage error that list banks (`  quizzes/x    title`): the ids as written.
fn listed_banks(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| l.trim().split("    ").next().unwrap().to_owned())
        .collect()
}

#[test]
fn a_bank_is_found_by_file_id_file_name_or_title() {
    let site = Site::small();
    let lianjie = BANK.replace("title: 红包自测", "title: 廉洁知识题库");
    site.write("content/quizzes/廉洁知识题库.md", &lianjie);
    site.write("content/quizzes/2024/red.md", BANK);
    let file = site.path("content/quizzes/廉洁知识题库.md");
    for (i, bank) in [
        file.to_str().unwrap(),
        "quizzes/廉洁知识题库",
        "content/quizzes/廉洁知识题库.md",
        "廉洁知识题库",
        "红包自测",
        "red",
        "2024/red",
    ]
    .into_iter()
    .enumerate()
    {
        let out = site.path(&format!("out-{i}.txt"));
        let r = export(&site, bank, "aiken", &out, &[]);
        assert_eq!(r.code, 0, "{bank}: {}", r.stderr);
        assert!(site.read(&format!("out-{i}.txt")).contains("ANSWER: B"));
    }
    // From inside content/, by title, with the default output name.
    let r = run_in(
        &site.path("content/quizzes"),
        &["quiz", "export", "红包自测", "--format", "gift"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.path("content/quizzes/red.gift.txt").is_file());
}

#[test]
fn an_unknown_bank_gets_the_nearest_ones_written_to_be_pasted_back() {
    let site = Site::small();
    site.write(
        "content/quizzes/廉洁知识题库.md",
        &BANK.replace("title: 红包自测", "title: 廉洁知识题库"),
    );
    site.write("content/quizzes/red bank.md", BANK);
    let out = site.path("out.txt");
    let r = export(&site, "廉洁知识", "gift", &out, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no bank `廉洁知识`"), "{}", r.stderr);
    let listed = listed_banks(&r.stderr);
    assert_eq!(
        listed,
        ["quizzes/廉洁知识题库", "\"quizzes/red bank\""],
        "nearest first: {}",
        r.stderr
    );
    for (i, pasted) in listed.iter().enumerate() {
        let word = pasted.trim_matches('"');
        let out = site.path(&format!("pasted-{i}.txt"));
        let r = export(&site, word, "gift", &out, &[]);
        assert_eq!(r.code, 0, "{pasted}: {}", r.stderr);
    }
    let zh = export(&site, "廉洁知识", "gift", &out, &["--lang", "zh-CN"]);
    assert!(
        zh.stderr.contains("找不到题库 `廉洁知识`") && zh.stderr.contains("最接近的题库"),
        "{}",
        zh.stderr
    );
    let empty = Site::small();
    let r = export(&empty, "廉洁知识", "gift", &out, &[]);
    assert!(r.stderr.contains("no banks yet"), "{}", r.stderr);
}

#[test]
fn a_name_two_banks_share_says_which_ones() {
    let site = Site::small();
    site.write("content/quizzes/2023/red.md", BANK);
    site.write("content/quizzes/2024/red.md", BANK);
    let out = site.path("out.txt");
    for name in ["red", "红包自测"] {
        let r = export(&site, name, "gift", &out, &[]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("names 2 banks"), "{}", r.stderr);
        assert_eq!(
            listed_banks(&r.stderr),
            ["quizzes/2023/red", "quizzes/2024/red"]
        );
        assert!(!out.exists());
    }
    let r = export(&site, "quizzes/2024/red", "gift", &out, &[]);
    assert_eq!(r.code, 0, "the id settles it: {}", r.stderr);
}

#[test]
fn notes_are_in_the_language_of_the_site() {
    let site = bank_site();
    let out = site.path("red.txt");
    let r = export(&site, "quizzes/red", "aiken", &out, &["--lang", "zh-CN"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "注意：3 道题没有导出（多选题 1 道、判断题 1 道、填空题 1 道）：Aiken 格式只能容纳单选题"
        ) && r.stderr.contains("注意：解析和依据没有导出"),
        "{}",
        r.stderr
    );
    let r = export(
        &site,
        "quizzes/red",
        "gift",
        &out,
        &["--lang", "zh-CN", "--force"],
    );
    assert!(
        r.stderr
            .contains("注意：1 道多空填空题按每空一道简答题导出"),
        "{}",
        r.stderr
    );
    site.write(
        "content/quizzes/emoji.md",
        "---\ntitle: 表情\n---\n## 【判断】😀 不在 GBK 中。\n答案：对\n",
    );
    let r = export(
        &site,
        "quizzes/emoji",
        "csv",
        &out,
        &["--lang", "zh-CN", "--force", "--encoding", "gbk"],
    );
    assert!(
        r.stderr.contains("注意：以下字符不在 GBK 字符集里") && r.stderr.contains("已写入 1 道题"),
        "{}",
        r.stderr
    );
}

/// The banks the readers below are tried on: the example site's banks, the fixture with every
/// question type and GIFT's reserved characters, and the hostile one (text that looks like
/// formulas, cloze blanks, format names, HTML, option and answer lines after line breaks of
/// every kind), each exported as `format` into the site's outer folder with the file ending
/// `ext`; (bank file, export) pairs.
fn exported(format: &str, ext: &str) -> (Site, Vec<(PathBuf, PathBuf)>) {
    let site = Site::small();
    for name in ["every-type.md", "hostile.md"] {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        site.write(&format!("content/quizzes/{name}"), &text);
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pairs = Vec::new();
    for (root, bank) in [
        (repo, "quizzes/nine-principles"),
        (repo, "quizzes/patient-relations"),
        (site.root(), "quizzes/every-type"),
        (site.root(), "quizzes/hostile"),
    ] {
        let out = site
            .outer()
            .join(format!("{}.{ext}", bank.replace('/', "-")));
        let r = export_in(root, bank, format, &out, &[]);
        assert_eq!(r.code, 0, "{bank}: {}", r.stderr);
        pairs.push((root.join("content").join(format!("{bank}.md")), out));
    }
    (site, pairs)
}

/// A bank file's questions, as the site reads them.
fn bank_questions(path: &Path) -> Vec<Question> {
    let bytes = std::fs::read(path).unwrap();
    let file = qinglian::source::split("quizzes/x.md".into(), bytes.as_slice()).unwrap();
    let (parsed, diags) = qinglian::kinds::quiz::parse_bank(&file);
    assert!(diags.is_empty(), "{}: {diags:?}", path.display());
    parsed.unwrap().1.questions
}

/// Parses each GIFT file with gift-pegjs; prints `{file: {ok: questions} | {error, location}}`.
const GIFT_PEGJS: &str = r#"
const fs = require('fs');
const parse = require('gift-pegjs').parse;
const out = {};
for (const f of JSON.parse(fs.readFileSync(0, 'utf8'))) {
  try { out[f] = {ok: parse(fs.readFileSync(f, 'utf8'))}; }
  catch (e) { out[f] = {error: e.message, location: e.location}; }
}
process.stdout.write(JSON.stringify(out));
"#;

/// The explanation and the rule the feedback must carry, when the question has them.
fn check_feedback(q: &Question, parsed: &Value) {
    let text = parsed["globalFeedback"]["text"].as_str();
    match (&q.explanation, &q.basis) {
        (None, None) => assert!(parsed["globalFeedback"].is_null(), "{parsed}"),
        (explanation, basis) => {
            let text = text.unwrap_or_else(|| panic!("no feedback: {parsed}"));
            assert_eq!(parsed["globalFeedback"]["format"], "markdown");
            let rest = match explanation {
                Some(e) => text
                    .strip_prefix(e.as_str())
                    .unwrap_or_else(|| panic!("feedback {text:?} does not carry {e:?}")),
                None => text,
            };
            if basis.is_some() {
                let rule = rest.trim_start_matches("\n\n").strip_prefix("依据：");
                assert!(rule.is_some_and(|r| !r.is_empty()), "{text:?}");
            } else {
                assert_eq!(rest, "", "{text:?}");
            }
        }
    }
}

/// A parsed text as Moodle shows it: in its default format (never one the text names, such as
/// `[html]`), with the character references GIFT export writes for `& < >` read back.
fn shown(text: &Value) -> String {
    assert_eq!(text["format"], "moodle", "{text}");
    let raw = text["text"].as_str().unwrap();
    raw.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text of each choice (as shown when `html`, else as written: short answers are compared,
/// not shown), and whether the reader counts it right (a positive weight, or `=`).
fn parsed_choices(parsed: &Value, html: bool) -> Vec<(String, bool)> {
    parsed["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let right = match c["weight"].as_f64() {
                Some(w) => w > 0.0,
                None => c["isCorrect"] == true,
            };
            let text = match html {
                true => shown(&c["text"]),
                false => c["text"]["text"].as_str().unwrap().to_owned(),
            };
            (text, right)
        })
        .collect()
}

/// Checks the parsed entries of one of our questions (one, or one per blank); returns how many.
fn check_gift_question(q: &Question, parsed: &[Value]) -> usize {
    let stem = |p: &Value| shown(&p["stem"]);
    match &q.answer {
        Answer::Choices(right) => {
            let p = &parsed[0];
            assert_eq!(p["type"], "MC", "{p}");
            assert_eq!(stem(p), q.stem);
            let want: Vec<(String, bool)> = (q.options.iter().enumerate())
                .map(|(i, o)| (o.clone(), right.contains(&i)))
                .collect();
            assert_eq!(parsed_choices(p, true), want, "{}", q.stem);
            check_feedback(q, p);
            1
        }
        Answer::Truth(truth) => {
            let p = &parsed[0];
            assert_eq!((&p["type"], &p["isTrue"]), (&"TF".into(), &(*truth).into()));
            assert_eq!(stem(p), q.stem);
            check_feedback(q, p);
            1
        }
        Answer::Blanks(blanks) => {
            let spans = blank_spans(&q.stem);
            for (i, (alternatives, span)) in blanks.iter().zip(&spans).enumerate() {
                let p = &parsed[i];
                assert_eq!(p["type"], "Short", "{p}");
                let at_end = q.stem[span.end..].trim().is_empty();
                let want = if at_end {
                    q.stem[..span.start].trim_end().to_owned()
                } else {
                    format!("{}_____{}", &q.stem[..span.start], &q.stem[span.end..])
                };
                let squeeze = |s: &str| s.split_whitespace().collect::<String>();
                assert_eq!(squeeze(&stem(p)), squeeze(&want), "blank {i}");
                let want: Vec<(String, bool)> = alternatives
                    .iter()
                    .map(|a| (qinglian::export::bank::short_answer(a), true))
                    .collect();
                assert_eq!(parsed_choices(p, false), want, "blank {i} of {}", q.stem);
                check_feedback(q, p);
            }
            blanks.len()
        }
    }
}

#[test]
fn a_gift_parser_reads_every_question_as_we_wrote_it() {
    if !consumers::node_with("gift-pegjs") {
        return;
    }
    let (_site, pairs) = exported("gift", "gift.txt");
    let files: Vec<&str> = pairs.iter().map(|(_, g)| g.to_str().unwrap()).collect();
    let out = consumers::node(GIFT_PEGJS, &serde_json::to_string(&files).unwrap());
    let parsed: Value = serde_json::from_str(&out).unwrap();
    for (bank, gift) in &pairs {
        let result = &parsed[gift.to_str().unwrap()];
        let entries = result["ok"]
            .as_array()
            .unwrap_or_else(|| panic!("gift-pegjs rejects {}: {result}", gift.display()));
        let title = qinglian::source::split(String::new(), std::fs::read(bank).unwrap()).unwrap();
        let title: Value = serde_yaml::from_str(title.front_matter()).unwrap();
        assert_eq!(entries[0]["type"], "Category");
        let title = title["title"].as_str().unwrap().replace(line_break, " ");
        assert_eq!(entries[0]["title"], format!("$course$/top/{title}"));
        let mut at = 1;
        for q in bank_questions(bank) {
            at += check_gift_question(&q, &entries[at..]);
        }
        assert_eq!(at, entries.len(), "{}: nothing more", gift.display());
        eprintln!("gift-pegjs read {} entries of {}", at, gift.display());
    }
}

#[test]
fn moodle_xml_of_every_bank_is_well_formed() {
    let (_site, pairs) = exported("moodle-xml", "xml");
    for (bank, xml) in &pairs {
        let text = std::fs::read_to_string(xml).unwrap();
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", xml.display()));
        let questions = doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("question") && n.attribute("type") != Some("category"))
            .count();
        assert_eq!(questions, bank_questions(bank).len(), "{}", xml.display());
    }
}

/// What some reader takes for the end of a line: any control character (`\n`, `\r`, `\x0B`,
/// `\x0C`, U+0085 …) or U+2028/U+2029, as Python's `splitlines` and JavaScript do.
fn line_break(c: char) -> bool {
    c.is_control() && c != '\t' || matches!(c, '\u{2028}' | '\u{2029}')
}

/// A bank in Aiken as Moodle reads it (question/format/aiken), and stricter: lines end at any
/// [`line_break`] (Moodle ends them at `\n` only). A line whose trimmed text starts with a
/// capital letter, `.` or `)` and a space or tab is an option, one that starts with `ANSWER:`
/// ends the question, any other line of two bytes or more starts a question.
fn moodle_aiken(text: &str) -> Vec<(String, Vec<String>, usize)> {
    let mut out = Vec::new();
    let (mut stem, mut options) = (String::new(), Vec::new());
    for line in text.split(line_break) {
        let line = line.trim_matches([' ', '\t', '\n', '\r', '\0', '\x0B']);
        let b = line.as_bytes();
        if b.len() < 2 {
            continue;
        }
        if b.len() > 2
            && b[0].is_ascii_uppercase()
            && matches!(b[1], b'.' | b')')
            && matches!(b[2], b' ' | b'\t')
        {
            options.push(line[2..].trim().to_owned());
        } else if let Some(answer) = line.strip_prefix("ANSWER:") {
            let letter = answer.trim().bytes().next().unwrap();
            out.push((
                stem.clone(),
                std::mem::take(&mut options),
                usize::from(letter - b'A'),
            ));
        } else {
            stem = line.to_owned();
        }
    }
    out
}

#[test]
fn moodles_aiken_rules_read_every_stem_option_and_answer() {
    let (_site, pairs) = exported("aiken", "aiken.txt");
    for (bank, aiken) in &pairs {
        let read = moodle_aiken(&std::fs::read_to_string(aiken).unwrap());
        let want: Vec<(String, Vec<String>, usize)> = bank_questions(bank)
            .into_iter()
            .filter_map(|q| match q.answer {
                Answer::Choices(r) if q.kind == qinglian::kinds::quiz::QuestionType::Single => {
                    let one_line =
                        |t: &str| qinglian::export::bank::one_line(&t.replace(line_break, "\n"));
                    let options = q.options.iter().map(|o| one_line(o)).collect();
                    Some((one_line(&q.stem), options, r[0]))
                }
                _ => None,
            })
            .collect();
        let read: Vec<_> = read
            .into_iter()
            .map(|(stem, o, r)| (stem.replace('\u{a0}', " "), o, r))
            .collect();
        assert_eq!(read, want, "{}", aiken.display());
        assert!(!want.is_empty());
    }
}

/// Cells a spreadsheet program would take for a formula, by their first character (after the
/// `'` that makes a cell text).
const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

#[test]
fn spreadsheet_cells_stay_text_and_import_gives_them_back() {
    let site = Site::new();
    let hostile = std::fs::read_to_string(fixture("hostile.md")).unwrap();
    site.write("content/quizzes/hostile.md", &hostile);
    let bank = site.path("content/quizzes/hostile.md");
    let want = questions(&bank);

    let csv_file = site.path("hostile.csv");
    let r = export(&site, "quizzes/hostile", "csv", &csv_file, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(&csv_file).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    for cell in &cells {
        assert!(!cell.starts_with(FORMULA_START), "a formula: {cell:?}");
    }
    for quoted in [
        "'=HYPERLINK(",
        "'+SUM(1,2)",
        "'-1",
        "'@cmd",
        "'=1+1 ",
        "''=已经有",
    ] {
        assert!(
            cells.iter().any(|c| c.starts_with(quoted)),
            "{quoted} in {cells:?}"
        );
    }

    let xlsx_file = site.path("hostile.xlsx");
    let r = export(&site, "quizzes/hostile", "xlsx", &xlsx_file, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx_file).unwrap()).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    let doc = roxmltree::Document::parse(&sheet).unwrap();
    let kinds: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("c"))
        .map(|c| c.attribute("t"))
        .collect();
    assert!(
        kinds.len() > 20 && kinds.iter().all(|t| *t == Some("s")),
        "{kinds:?}"
    );
    assert!(
        !doc.descendants().any(|n| n.has_tag_name("f")),
        "no formula"
    );

    for file in [&csv_file, &xlsx_file] {
        let again = site.path("content/quizzes/again.md");
        let _ = std::fs::remove_file(&again);
        import(file, &again);
        assert_eq!(questions(&again), want, "{} → import", file.display());
    }
}

/// Reads the question text of cloze questions as Moodle does
/// (question/type/multianswer/questiontype.php, `qtype_multianswer_extract_question`): its
/// regular expressions, entity decoding and `\}` `\#` unescaping. Prints, for each text, the
/// blanks' answers and the text left with `{#n}` in place of each blank.
const MOODLE_CLOZE: &str = r#"
const fs = require('fs');
const FRACTION = '=|%(-?[0-9]+(?:[.,][0-9]*)?)%';
const ANSWER = '.+?(?<!\\\\|&|&amp;)(?=[~#}]|$)';
const FEEDBACK = '.*?(?<!\\\\)(?=[~}]|$)';
const ALT = '(' + FRACTION + ')?(' + ANSWER + ')(#(' + FEEDBACK + '))?';
const TYPES = '(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|' +
  '(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)|(MULTICHOICE_S|MCS)|(MULTICHOICE_VS|MCVS)|' +
  '(MULTICHOICE_HS|MCHS)|(MULTIRESPONSE|MR)|(MULTIRESPONSE_H|MRH)|(MULTIRESPONSE_S|MRS)|' +
  '(MULTIRESPONSE_HS|MRHS)';
const QUESTION = new RegExp('\\{([0-9]*):(' + TYPES + '):(' + ALT + '(~' + ALT + ')*)\\}', 's');
const ALTERNATIVE = new RegExp('~?' + ALT, 's');
const NAMED = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'"};
function decode(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+|#39);/gi, function (m, e) {
    if (e[0] === '#') {
      return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
    return NAMED[e] !== undefined ? NAMED[e] : m;
  });
}
const out = [];
for (let text of JSON.parse(fs.readFileSync(0, 'utf8'))) {
  const blanks = [];
  let m;
  while ((m = QUESTION.exec(text))) {
    let rest = m[16], a, answers = [];
    while ((a = ALTERNATIVE.exec(rest))) {
      answers.push(decode(a[3]).split('\\}').join('}').split('\\#').join('#'));
      rest = rest.slice(rest.indexOf(a[0]) + a[0].length);
    }
    blanks.push(answers);
    const at = text.indexOf(m[0]);
    text = text.slice(0, at) + '{#' + blanks.length + '}' + text.slice(at + m[0].length);
  }
  out.push({blanks: blanks, text: text});
}
process.stdout.write(JSON.stringify(out));
"#;

#[test]
fn moodle_reads_each_cloze_blank_and_nothing_more() {
    if !consumers::node_runs() {
        return;
    }
    let (_site, pairs) = exported("moodle-xml", "xml");
    let mut texts = Vec::new();
    let mut wanted = Vec::new();
    for (bank, xml) in &pairs {
        let text = std::fs::read_to_string(xml).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let clozes = doc
            .descendants()
            .filter(|n| n.attribute("type") == Some("cloze"));
        let several = bank_questions(bank)
            .into_iter()
            .filter(|q| matches!(&q.answer, Answer::Blanks(b) if b.len() > 1));
        for (node, q) in clozes.zip(several) {
            texts.push(text_in(node, "questiontext").to_owned());
            wanted.push(q);
        }
    }
    assert!(
        wanted.iter().any(|q| q.stem.contains("{#1}")),
        "the hostile bank is among them"
    );
    let out = consumers::node(MOODLE_CLOZE, &serde_json::to_string(&texts).unwrap());
    let read: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(read.len(), wanted.len());
    for (r, q) in read.iter().zip(&wanted) {
        let Answer::Blanks(blanks) = &q.answer else {
            unreachable!()
        };
        let want: Vec<Vec<String>> = blanks
            .iter()
            .map(|alts| {
                (alts.iter())
                    .map(|a| qinglian::export::bank::short_answer(a))
                    .collect()
            })
            .collect();
        assert_eq!(r["blanks"], serde_json::json!(want), "{}", q.stem);
        let mut stem = String::new();
        let mut last = 0;
        for (i, span) in blank_spans(&q.stem).iter().enumerate() {
            stem.push_str(&q.stem[last..span.start]);
            stem.push_str(&format!("{{#{}}}", i + 1));
            last = span.end;
        }
        stem.push_str(&q.stem[last..]);
        let left = r["text"].as_str().unwrap();
        assert_eq!(
            left.matches("{#").count(),
            blanks.len(),
            "Moodle finds no blank of the stem's own: {left}"
        );
        let shown = left
            .trim_start_matches("<p>")
            .trim_end_matches("</p>")
            .replace("<br>", "\n")
            .replace("&#123;", "{")
            .replace("&#125;", "}")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        assert_eq!(shown, stem);
    }
}

#[test]
fn titles_that_close_markup_stay_text() {
    let site = Site::new();
    let hostile = std::fs::read_to_string(fixture("hostile.md")).unwrap();
    site.write("content/quizzes/hostile.md", &hostile);
    let title = "恶意题库 ]]> <!-- --> & <x> {1:SA:=a}\r\u{2028}$CATEGORY: 别处";
    let xml = site.path("hostile.xml");
    assert_eq!(
        export(&site, "quizzes/hostile", "moodle-xml", &xml, &[]).code,
        0
    );
    let text = std::fs::read_to_string(&xml).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let category = doc
        .descendants()
        .find(|n| n.attribute("type") == Some("category"))
        .unwrap();
    // XML reads a CR in text as a line feed.
    assert_eq!(
        text_in(category, "category"),
        format!("$course$/top/{}", title.replace('\r', "\n"))
    );
    let xlsx = site.path("hostile.xlsx");
    assert_eq!(export(&site, "quizzes/hostile", "xlsx", &xlsx, &[]).code, 0);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core)
        .unwrap();
    let doc = roxmltree::Document::parse(&core).unwrap();
    let dc_title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    // Excel writes a CR as `_x000D_`.
    assert_eq!(
        dc_title.text(),
        Some(title.replace('\r', "_x000D_").as_str())
    );
    let gift = site.path("hostile.gift.txt");
    assert_eq!(export(&site, "quizzes/hostile", "gift", &gift, &[]).code, 0);
    let text = std::fs::read_to_string(&gift).unwrap();
    let category: Vec<&str> = (text.split(line_break))
        .filter(|l| l.contains("$CATEGORY") && !l.starts_with("//"))
        .collect();
    assert_eq!(
        category,
        ["$CATEGORY: $course$/top/恶意题库 ]]> <!-- --> & <x> {1:SA:=a}  $CATEGORY: 别处"],
        "one line, whatever the title holds"
    );
}
