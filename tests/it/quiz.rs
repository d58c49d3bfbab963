//! Integration tests for question banks: import from spreadsheets, bank pages, module links,
//! reverse links from principles, and located errors in malformed banks.

use crate::common::Site;

const BANK: &str = "---\ntitle: 红包自测\npass: 75\n---\n开始前请先阅读第八条。\n\n## 【单选】收到患者红包应当？\nA. 收下\nB. 婉拒，无法拒绝的按时上交\n答案：B\n解析：应当婉拒，无法拒绝的按规定上交。\n依据：@/principles/08.md\n\n## 【多选】以下哪些违反准则？\nA. 收受回扣\nB. 收受红包\nC. 按劳取酬\n答案：AB\n依据：@/principles/08.md\n\n## 【判断】金额小的红包可以收。\n答案：错\n\n## 【填空】无法拒绝的红包应在（ ）小时内上交。\n答案：24|二十四\n";

fn quiz_site() -> Site {
    let site = Site::small();
    site.write("content/quizzes/red.md", BANK);
    site.write("content/modules/m1.md", "---\ntitle: 模块一\norder: 1\nprinciples: [8]\nreadings: [principles/08, cases/2024/red]\nquiz: quizzes/red\npass: 80\n---\n学习。\n");
    site
}

#[test]
fn bank_page_lists_every_question_with_answers_in_plain_html() {
    let site = quiz_site();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/quizzes/red/index.html");
    assert_eq!(html.matches(r#"<li class="question""#).count(), 4);
    assert!(
        html.contains("开始前请先阅读第八条"),
        "the introduction is rendered"
    );
    assert!(
        html.contains("B. 婉拒，无法拒绝的按时上交"),
        "the answer is written out for readers without JS"
    );
    assert!(html.contains("24 / 二十四"));
    assert!(
        html.contains(r#"<a href="/principles/08/">"#),
        "依据 links the rule"
    );
    assert!(
        html.contains("答案和解析就在本页中"),
        "the page says it is a self-test"
    );
    assert!(html.contains(r#"<script type="application/json" id="quiz-data">"#));
    assert!(
        html.contains(r#"<label for="#) || html.contains("<label><input"),
        "inputs are labelled"
    );
    assert!(site.path("public/static/quiz.js").is_file());
}

#[test]
fn modules_link_their_self_test_and_principles_count_questions() {
    let site = quiz_site();
    assert_eq!(site.build().code, 0);
    let module = site.read("public/modules/m1/index.html");
    assert!(
        module.contains(r#"href="/quizzes/red/?module=modules/m1""#),
        "{module}"
    );
    assert!(
        module.contains("80%"),
        "the module's pass mark overrides the bank's"
    );
    let principle = site.read("public/principles/08/index.html");
    assert!(
        principle.contains(r#"href="/quizzes/red/""#) && principle.contains("2 道题"),
        "{principle}"
    );
    let record = site.read("public/modules/record/index.html");
    assert!(record.contains(r#"data-module="modules/m1""#) && record.contains("打印学习记录"));
    assert!(
        record.contains(r#"id="record-transfer" aria-labelledby="record-transfer-title" hidden"#)
            && record.contains("导出学习记录")
            && record.contains(r#"<label for="record-import">"#),
        "export and import are there for the script to show, hidden without it"
    );
}

#[test]
fn malformed_questions_fail_the_build_with_lines() {
    let site = quiz_site();
    site.write("content/quizzes/bad.md", "---\ntitle: 坏题库\n---\n## 【单选】题一\nA. 甲\nB. 乙\n答案：C\n\n## 【判断】题二\n答案：对\n依据：@/principles/05.md\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/quizzes/bad.md:7:1")
            && run.stderr.contains("answer C has no option"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/quizzes/bad.md:11:4") && run.stderr.contains("`依据`"),
        "{}",
        run.stderr
    );
}

#[test]
fn module_quiz_must_exist() {
    let site = quiz_site();
    site.write(
        "content/modules/m2.md",
        "---\ntitle: 模块二\nquiz: quizzes/none\n---\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/modules/m2.md:3:7"),
        "{}",
        run.stderr
    );
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/quiz/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn import_xlsx_and_csv_banks_that_build() {
    for (name, count) in [
        ("bank.xlsx", 15),
        ("bank-gbk.csv", 10),
        ("bank-utf8-bom.csv", 6),
    ] {
        let site = Site::small();
        for n in 1..=7 {
            site.write(
                &format!("content/principles/0{n}.md"),
                &format!("---\ntitle: 第{n}条\nnumber: {n}\n---\n"),
            );
        }
        let out = site.path("content/quizzes/imported.md");
        let run = crate::common::run(&[
            "quiz",
            "import",
            &fixture(name),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("wrote {count} questions")),
            "{name}: {}",
            run.stderr
        );
        let text = site.read("content/quizzes/imported.md");
        assert_eq!(text.matches("\n## ").count(), count, "{name}");
        let build = site.build();
        assert_eq!(build.code, 0, "{name} does not build: {}", build.stderr);
        assert!(site.path("public/quizzes/imported/index.html").is_file());
    }
}

#[test]
fn gbk_csv_is_decoded() {
    let run = crate::common::run(&["quiz", "import", &fixture("bank-gbk.csv"), "-o", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("## 【单选】") && run.stdout.contains("答案："),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains('\u{FFFD}'),
        "no replacement characters"
    );
}

#[test]
fn bad_rows_are_reported_by_sheet_row_and_column() {
    let run = crate::common::run(&["quiz", "import", &fixture("bank-bad.xlsx"), "-o", "-"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("help: the 答案 column says E, but this row has only options A–D"),
        "the hint speaks spreadsheet: {}",
        run.stderr
    );
    for expected in [
        "sheet 题库, row 4, column J (答案): answer E has no option",
        "sheet 题库, row 8, column C (题干): the question has no text",
        "sheet 题库, row 11, column B (题型): unknown question type",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing `{expected}` in\n{}",
            run.stderr
        );
    }
    assert_eq!(
        run.stdout.matches("\n## ").count(),
        9,
        "the good rows are still converted"
    );
}

#[test]
fn import_never_overwrites_and_rejects_unknown_files() {
    let site = Site::small();
    let out = site.path("content/pages/about.md");
    let run = crate::common::run(&[
        "quiz",
        "import",
        &fixture("bank.xlsx"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(site.read("content/pages/about.md").contains("关于本站"));
    assert_eq!(
        crate::common::run(&["quiz", "import", "notes.docx"]).code,
        2
    );
}

#[test]
fn import_writes_into_the_site_and_replaces_only_with_force() {
    let site = Site::small();
    let input = site.path("九项准则题库.xlsx");
    std::fs::copy(fixture("bank.xlsx"), &input).unwrap();
    let inside = site.path("content/cases");
    let import = |extra: &[&str]| {
        let mut args = vec!["quiz", "import", input.to_str().unwrap()];
        args.extend(extra);
        crate::common::run_in(&inside, &args)
    };
    let first = import(&[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let bank = site.path("content/quizzes/九项准则题库.md");
    assert!(
        first
            .stderr
            .contains(&format!("wrote 15 questions to {}", bank.display())),
        "{}",
        first.stderr
    );
    std::fs::write(&bank, "changed by hand").unwrap();
    let again = import(&[]);
    assert_eq!(again.code, 2);
    assert!(
        again
            .stderr
            .contains("already exists and was not replaced: add --force"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(&bank).unwrap(), "changed by hand");
    let forced = import(&["--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(std::fs::read_to_string(&bank).unwrap().contains("## 【"));

    let empty = site.path("empty.csv");
    std::fs::write(&empty, "题型,题干,答案\n单选,,A\n").unwrap();
    let none = crate::common::run_in(&inside, &["quiz", "import", empty.to_str().unwrap()]);
    assert_eq!(none.code, 1, "{}", none.stderr);
    assert!(
        none.stderr.contains("nothing was written"),
        "{}",
        none.stderr
    );
    assert!(!site.path("content/quizzes/empty.md").exists());
}
