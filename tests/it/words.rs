//! Every message in the catalogue, none raw: YAML, spreadsheet, I/O and command-line mistakes
//! in the clerk's language with what to do; kinds named in Chinese; the READMEs quote only
//! messages that exist.

use std::process::Command;

use crate::common::{Run, Site};

/// Runs the binary with no `--lang` and an English locale, so the site decides the language.
fn run_plain(site: &Site, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_qinglian"))
        .args(args)
        .current_dir(site.root())
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Words only a library says: none may reach the clerk.
const LIBRARY_WORDS: &[&str] = &[
    "os error",
    "Xlsx error",
    "Zip error",
    "I/O error",
    "violates indentation",
    "while scanning",
    "invalid type",
    "[0]",
    "error:",
    "Usage:",
    "tip:",
];

fn assert_plain_chinese(what: &str, text: &str) {
    for word in LIBRARY_WORDS {
        assert!(!text.contains(word), "{what}: `{word}` in\n{text}");
    }
    assert!(text.contains("错误"), "{what}: not Chinese:\n{text}");
}

/// A tab in site.yaml: the site's language is still read (Chinese), and libyaml's words are
/// ours.
#[test]
fn a_broken_site_yaml_is_explained_in_the_sites_language() {
    let site = Site::small();
    site.write(
        "content/site.yaml",
        "title: 测试站点\n\thospital: 测试医院\nbase_url: https://example.test/\n",
    );
    let run = run_plain(&site, &["check", "--now", "2026-11-23"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_plain_chinese("tab", &run.stderr);
    assert!(
        run.stderr.contains("制表符") && run.stderr.contains("content/site.yaml:2:"),
        "{}",
        run.stderr
    );
    site.write("content/site.yaml", "title: 测试站点\nhospital: 测试医院\nbase_url: https://example.test/\nlanguage: en\ndescription: \"unclosed\n");
    let run = run_plain(&site, &["check", "--now", "2026-11-23"]);
    assert!(
        run.stderr.contains("error: a quotation mark is not closed"),
        "{}",
        run.stderr
    );
}

/// Places inside a value are said in words, not as serde's `sanctions[0].date`.
#[test]
fn a_mistake_inside_a_list_is_placed_in_words() {
    let site = Site::small();
    site.write("content/cases/2024/red.md", "---\ntitle: 收受红包案\ndate: 2024-05-06\nsubject: 王某\nprinciples: [8]\nsanctions:\n  - {kind: 党纪处分, level: 警告, authority: 院纪委, date: 2024-13-06}\norigin: 本院\n---\n案情。\n");
    let run = run_plain(&site, &["check", "--now", "2026-11-23"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("错误: `sanctions`：第 1 项：日期 `2024-13-06` 不对：没有 13 月"),
        "{}",
        run.stderr
    );
    assert_plain_chinese("sanctions", &run.stderr);
}

/// A channel kind written in Chinese is taken; a near miss gets a did-you-mean.
#[test]
fn channel_kinds_in_chinese_and_near_misses() {
    let site = Site::small();
    site.write(
        "content/channels/mail.md",
        "---\ntitle: 举报邮箱\nkind: 邮箱\nvalue: jw@example.test\n---\n",
    );
    assert_eq!(site.check().code, 0, "{}", site.check().stderr);
    site.write(
        "content/channels/mail.md",
        "---\ntitle: 举报邮箱\nkind: 电邮\nvalue: jw@example.test\n---\n",
    );
    let run = run_plain(&site, &["check", "--now", "2026-11-23"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("改法: 是不是想写 `电子邮件`？"),
        "{}",
        run.stderr
    );
}

/// Spreadsheet and file mistakes are named with the file, in Chinese, without the library's
/// words; an empty answer says so; rows left out are listed after the bank is written.
#[test]
fn import_mistakes_are_plain_and_rows_left_out_are_listed() {
    let site = Site::small();
    let run = run_plain(&site, &["quiz", "import", "没有这个文件.xlsx"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_plain_chinese("missing xlsx", &run.stderr);
    assert!(
        run.stderr.contains("没有这个文件.xlsx") && run.stderr.contains("它不存在"),
        "{}",
        run.stderr
    );
    site.write("坏的.xlsx", "这不是表格");
    let run = run_plain(&site, &["quiz", "import", "坏的.xlsx"]);
    assert_plain_chinese("broken xlsx", &run.stderr);
    assert!(
        run.stderr.contains("不是 Excel 工作簿") && run.stderr.contains("另存为"),
        "{}",
        run.stderr
    );
    site.write(
        "题库.csv",
        "题型,题干,选项A,选项B,答案\n单选,第一题？,甲,乙,\n单选,第二题？,甲,乙,A\n判断,第三题,,,\n",
    );
    site.write("content/quizzes/题库.md", "---\ntitle: 旧\n---\n");
    let run = run_plain(&site, &["quiz", "import", "题库.csv", "--force"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("第 2 行，E 列（答案）：答案是空的"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("有 2 行因为上面的错误没有导入（第 2、4 行）"),
        "{}",
        run.stderr
    );
    assert!(site.read("content/quizzes/题库.md").contains("第二题"));
}

/// Command-line mistakes list what is allowed and point at the command's own help, in the
/// site's language; the Chinese help uses full-width colons only.
#[test]
fn command_line_mistakes_say_what_is_allowed() {
    let site = Site::small();
    for (args, says) in [
        (
            &["check", "--format", "yaml"][..],
            "--format 不能写 `yaml`：只能写 `human`、`json`\n运行 qinglian check --help",
        ),
        (
            &["serve", "--port", "abc"][..],
            "端口 `abc` 不对：要写 1 到 65535 之间的数字",
        ),
        (
            &["quiz", "export", "x", "--format", "docx"][..],
            "`moodle-xml`\n运行 qinglian quiz export --help",
        ),
        (&["new"][..], "缺少栏目（如 case 或 案例）、标题"),
        (
            &["new", "poem", "诗"][..],
            "不认识的栏目 `poem`：可以写 principle（准则）",
        ),
        (&["new", "案列", "诗"][..], "是不是想写 `case`？"),
        (&["frobnicate"][..], "没有 `frobnicate` 这个命令"),
    ] {
        let run = run_plain(&site, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert_plain_chinese(&format!("{args:?}"), &run.stderr);
    }
    for args in [
        &["--help"][..],
        &["new", "--help"],
        &["quiz", "export", "--help"],
    ] {
        let help = run_plain(&site, args).stdout;
        assert!(help.contains("用法："), "{args:?}: {help}");
        let half_width: Vec<&str> = help
            .lines()
            .filter(|l| l.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
            .filter(|l| l.trim_end().ends_with(':'))
            .collect();
        assert!(half_width.is_empty(), "{args:?}: {half_width:?}");
    }
}

/// `new` takes Chinese kind names, infers a channel's kind from its title, and names the file
/// after the title, within the build's rules.
#[test]
fn new_understands_chinese_and_names_files_after_their_title() {
    let site = Site::small();
    let run = run_plain(&site, &["new", "案例", "收受回扣案"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.path("content/cases/收受回扣案.md").is_file(),
        "{}",
        run.stderr
    );
    let run = run_plain(&site, &["new", "channel", "纪检监察举报邮箱"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = site.read("content/channels/纪检监察举报邮箱.md");
    assert!(text.contains("\nkind: email\n"), "{text}");
    let run = run_plain(&site, &["new", "page", "关于 本站?#1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("content/pages/关于-本站-1.md").is_file());
    let run = run_plain(&site, &["new", "page", "x", "--name", "a b"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--name `a b` 不能用作文件名"),
        "{}",
        run.stderr
    );
    assert_eq!(
        site.check().code,
        0,
        "what new wrote passes check: {}",
        site.check().stderr
    );
}

/// The catalogue's templates of `lang` as patterns: `{name}` matches anything.
fn templates(lang: &str) -> Vec<String> {
    let path = format!("{}/src/messages/{lang}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let map: std::collections::BTreeMap<String, String> = serde_yaml::from_str(&text).unwrap();
    map.into_values().collect()
}

/// Whether `quote` is a piece of some template, reading each `{name}` as any text.
fn in_catalogue(quote: &str, templates: &[String]) -> bool {
    templates.iter().any(|t| {
        let pieces: Vec<&str> = t
            .split('{')
            .map(|p| p.split_once('}').map_or(p, |(_, rest)| rest))
            .collect();
        pieces.iter().any(|p| p.contains(quote)) || t.contains(quote)
    })
}

/// The Chinese README's FAQ quotes (“…” in bold) are messages the program prints, and the
/// READMEs' sample of a mistake is what `check` prints for it.
#[test]
fn the_readmes_quote_only_messages_that_exist() {
    let readme =
        std::fs::read_to_string(format!("{}/README.zh-CN.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let faq = readme.split("## 常见问题").nth(1).expect("the FAQ");
    let zh = templates("zh-CN");
    let quotes: Vec<&str> = faq
        .split("**“")
        .skip(1)
        .filter_map(|q| q.split("”").next())
        .collect();
    assert!(quotes.len() >= 5, "{quotes:?}");
    for q in quotes {
        assert!(
            in_catalogue(q, &zh),
            "README.zh-CN.md quotes “{q}”, which no message says"
        );
    }
    let site = Site::small();
    site.write("content/cases/2024/red-envelope.md", "---\ntitle: 红包案\ndate: 2024-06-28\nsubject: 王某\nprinciples: [8]\nsumary: 收受患者家属红包\n---\n");
    for (file, lang) in [("README.zh-CN.md", "zh-CN"), ("README.md", "en")] {
        let text =
            std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let start = text
            .find(if lang == "en" {
                "\nerror: unknown key `sumary`"
            } else {
                "\n错误: 不认识的键 `sumary`"
            })
            .expect("the sample");
        let sample = &text[start + 1..];
        let sample = &sample[..sample.find("```").unwrap()];
        let run = site.run(&["check", "--now", "2026-11-23", "--lang", lang]);
        assert!(
            run.stderr.contains(sample),
            "{file}: the sample\n{sample}\nis not what check prints:\n{}",
            run.stderr
        );
    }
}
