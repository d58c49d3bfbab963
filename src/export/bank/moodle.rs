//! Moodle XML. 单选 and 多选 become `multichoice` (several right answers share 100% and each
//! wrong one is −100%: a wrong pick scores 0, a partial pick part of the mark); 判断 becomes
//! `truefalse`; a one-blank 填空 becomes `shortanswer`, a several-blank one a `cloze` question
//! with `{1:SHORTANSWER:=answer~=alternative}` at each blank. Explanations travel as general
//! feedback (Markdown), with the rule the question cites.

use super::{ExportBank, Written, feedback, has_own_id, name, share, short_answer};
use crate::kinds::quiz::{Answer, Question, blank_spans};

/// Writes the bank as a Moodle XML `<quiz>` (UTF-8).
pub fn write(bank: &ExportBank) -> Written {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<!-- {}（由 qinglian quiz export 从 {} 生成） -->\n<quiz>\n",
        comment(&bank.title),
        comment(&bank.source)
    ));
    out.push_str(&format!(
        "  <question type=\"category\">\n    <category><text>{}</text></category>\n  </question>\n",
        xml(&format!("$course$/top/{}", bank.title.replace('/', "//")))
    ));
    for q in &bank.questions {
        out.push_str(&question(bank, q));
    }
    out.push_str("</quiz>\n");
    Written {
        bytes: out.into_bytes(),
        count: bank.questions.len(),
        notes: Vec::new(),
    }
}

fn question(bank: &ExportBank, q: &Question) -> String {
    let (kind, text, body) = match &q.answer {
        Answer::Choices(right) => ("multichoice", html(&q.stem), choices(bank, q, right)),
        Answer::Truth(truth) => ("truefalse", html(&q.stem), truefalse(*truth)),
        Answer::Blanks(blanks) if blanks.len() == 1 => {
            ("shortanswer", html(&q.stem), shortanswer(&blanks[0]))
        }
        Answer::Blanks(blanks) => ("cloze", cloze_text(&q.stem, blanks), String::new()),
    };
    let mut out = format!("  <question type=\"{kind}\">\n");
    out.push_str(&format!(
        "    <name><text>{}</text></name>\n",
        xml(&name(q))
    ));
    out.push_str(&format!(
        "    <questiontext format=\"html\"><text>{}</text></questiontext>\n",
        xml(&text)
    ));
    let general = feedback(bank, q).unwrap_or_default();
    out.push_str(&format!(
        "    <generalfeedback format=\"markdown\"><text>{}</text></generalfeedback>\n",
        xml(&general)
    ));
    let penalty = if kind == "truefalse" {
        "1"
    } else {
        "0.3333333"
    };
    if kind != "cloze" {
        out.push_str("    <defaultgrade>1</defaultgrade>\n");
    }
    out.push_str(&format!(
        "    <penalty>{penalty}</penalty>\n    <hidden>0</hidden>\n"
    ));
    if has_own_id(q) {
        out.push_str(&format!("    <idnumber>{}</idnumber>\n", xml(&q.id)));
    }
    out.push_str(&body);
    out.push_str("  </question>\n");
    out
}

fn choices(bank: &ExportBank, q: &Question, right: &[usize]) -> String {
    let single = right.len() == 1;
    let share = share(right.len());
    let mut out = format!(
        "    <single>{single}</single>\n    <shuffleanswers>{}</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n",
        bank.shuffle
    );
    for (i, option) in q.options.iter().enumerate() {
        let fraction = match (right.contains(&i), single) {
            (true, true) => "100",
            (true, false) => share.as_str(),
            (false, true) => "0",
            (false, false) => "-100",
        };
        out.push_str(&answer(fraction, "html", &html_inline(option)));
    }
    out
}

fn truefalse(truth: bool) -> String {
    let (t, f) = if truth { ("100", "0") } else { ("0", "100") };
    answer(t, "moodle_auto_format", "true") + &answer(f, "moodle_auto_format", "false")
}

fn shortanswer(alternatives: &[String]) -> String {
    let mut out = String::from("    <usecase>0</usecase>\n");
    for a in alternatives {
        out.push_str(&answer("100", "moodle_auto_format", &short_answer(a)));
    }
    out
}

fn answer(fraction: &str, format: &str, text: &str) -> String {
    format!(
        "    <answer fraction=\"{fraction}\" format=\"{format}\">\n      <text>{}</text>\n      <feedback format=\"html\"><text></text></feedback>\n    </answer>\n",
        xml(text)
    )
}

/// The stem as HTML with `{1:SHORTANSWER:=a~=b}` at each blank (each blank worth one mark).
/// Moodle reads every `{n:TYPE:…}` in the text as a blank, so the stem's own `{` `}` are
/// written as character references, which it shows as the characters and never reads so.
fn cloze_text(stem: &str, blanks: &[Vec<String>]) -> String {
    let text = |s: &str| html_inline(s).replace('{', "&#123;").replace('}', "&#125;");
    let mut out = String::from("<p>");
    let mut last = 0;
    for (span, alternatives) in blank_spans(stem).into_iter().zip(blanks) {
        out.push_str(&text(&stem[last..span.start]));
        let answers: Vec<String> = alternatives
            .iter()
            .map(|a| format!("={}", cloze_answer(a)))
            .collect();
        out.push_str(&format!("{{1:SHORTANSWER:{}}}", answers.join("~")));
        last = span.end;
    }
    out.push_str(&text(&stem[last..]));
    out.push_str("</p>");
    out
}

/// An answer inside cloze markup. Moodle ends an answer at the first `~ # }` that follows
/// none of `\\`, `&` or `&amp;`, then decodes character references and turns `\\}` and `\\#`
/// into `}` and `#`. So `{ } ~ # \\ &` are written as character references (`&#35;`: a `#`
/// after `&` ends nothing), a `\\` that Moodle's `\\}` or `\\#` would eat is doubled, and `*`
/// is escaped as the short-answer wildcard it would be.
fn cloze_answer(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '~' => out.push_str("&#126;"),
            '#' => out.push_str("&#35;"),
            '&' => out.push_str("&#38;"),
            '\\' if matches!(chars.peek(), Some('}' | '#')) => out.push_str("&#92;&#92;"),
            '\\' => out.push_str("&#92;"),
            '*' => out.push_str("\\*"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// Plain text as one HTML paragraph; line breaks become `<br>`.
fn html(text: &str) -> String {
    format!("<p>{}</p>", html_inline(text))
}

fn html_inline(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', "<br>")
}

/// Escapes text for XML element content and attribute values.
fn xml(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\t' || c == '\n' || c == '\r' || c >= ' ')
        .fold(String::with_capacity(text.len()), |mut out, c| {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                _ => out.push(c),
            }
            out
        })
}

/// Text inside `<!-- -->`, which may not contain `--` (nor end in `-`): a space goes between
/// two hyphens in a row.
fn comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in xml(text).chars() {
        if c == '-' && out.ends_with('-') {
            out.push(' ');
        }
        out.push(c);
    }
    if out.ends_with('-') {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{ALL_TYPES, bank};
    use super::*;

    fn parsed(text: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn child<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> roxmltree::Node<'a, 'a> {
        n.children()
            .find(|c| c.has_tag_name(name))
            .unwrap_or_else(|| panic!("no <{name}>"))
    }

    fn text_of<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
        child(child(n, name), "text").text().unwrap_or("")
    }

    #[test]
    fn titles_with_hyphens_make_a_well_formed_comment() {
        for title in ["难题 --- 特殊字符", "a--b", "----", "结尾-", "-->"] {
            let mut b = bank(ALL_TYPES);
            b.title = title.into();
            b.source = format!("{title}.md");
            let text = String::from_utf8(write(&b).bytes).unwrap();
            parsed(&text);
        }
    }

    #[test]
    fn shares_are_grades_moodle_accepts() {
        let shares: Vec<String> = (1..=8).map(share).collect();
        assert_eq!(
            shares,
            [
                "100", "50", "33.33333", "25", "20", "16.66667", "14.28571", "12.5"
            ]
        );
    }

    #[test]
    fn every_type_parses_with_its_answers() {
        let w = write(&bank(ALL_TYPES));
        let text = String::from_utf8(w.bytes).unwrap();
        let doc = parsed(&text);
        let questions: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("question"))
            .collect();
        let kinds: Vec<&str> = questions
            .iter()
            .map(|q| q.attribute("type").unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "category",
                "multichoice",
                "multichoice",
                "truefalse",
                "shortanswer",
                "cloze"
            ]
        );
        assert_eq!(w.count, 5);
        let single = questions[1];
        assert_eq!(text_of(single, "name"), "LJ-001");
        assert_eq!(child(single, "single").text(), Some("true"));
        assert_eq!(child(single, "idnumber").text(), Some("LJ-001"));
        assert!(text_of(single, "generalfeedback").contains("依据：共建和谐关系"));
        assert_eq!(
            text_of(single, "questiontext"),
            "<p>下列哪一项属于《九项准则》禁止的行为？</p>"
        );
        let blank = questions[4];
        let alternatives: Vec<_> = blank
            .children()
            .filter(|c| c.has_tag_name("answer"))
            .map(|a| {
                (
                    a.attribute("fraction").unwrap(),
                    child(a, "text").text().unwrap_or("").to_owned(),
                )
            })
            .collect();
        assert_eq!(
            alternatives,
            [("100", "九".to_owned()), ("100", "9".to_owned())]
        );
    }

    fn fractions(q: roxmltree::Node) -> Vec<f64> {
        q.children()
            .filter(|c| c.has_tag_name("answer"))
            .map(|a| a.attribute("fraction").unwrap().parse().unwrap())
            .collect()
    }

    #[test]
    fn multiple_choice_fractions_sum_to_100_and_wrong_ones_are_negative() {
        let text = String::from_utf8(
            write(&bank(
                "## 【多选】哪些违规？\nA. 甲\nB. 乙\nC. 丙\nD. 丁\n答案：ABD\n",
            ))
            .bytes,
        )
        .unwrap();
        let doc = parsed(&text);
        let q = doc
            .descendants()
            .find(|n| n.attribute("type") == Some("multichoice"))
            .unwrap();
        assert_eq!(child(q, "single").text(), Some("false"));
        let f = fractions(q);
        let right: f64 = f.iter().filter(|&&x| x > 0.0).sum();
        assert!((right - 100.0).abs() < 0.001, "{f:?}");
        assert_eq!(f[2], -100.0);
        let tf = String::from_utf8(write(&bank("## 【判断】说法\n答案：对\n")).bytes).unwrap();
        let doc = parsed(&tf);
        let q = doc
            .descendants()
            .find(|n| n.attribute("type") == Some("truefalse"))
            .unwrap();
        assert_eq!(fractions(q), [100.0, 0.0]);
    }

    #[test]
    fn cloze_marks_each_blank_and_escapes() {
        let text = String::from_utf8(
            write(&bank(
                "## 【填空】红包应在（ ）小时内上交给___ <科室>。\n答案：24|二十四；纪检}监察#室\n",
            ))
            .bytes,
        )
        .unwrap();
        let doc = parsed(&text);
        let q = doc
            .descendants()
            .find(|n| n.attribute("type") == Some("cloze"))
            .unwrap();
        assert_eq!(
            text_of(q, "questiontext"),
            "<p>红包应在{1:SHORTANSWER:=24~=二十四}小时内上交给{1:SHORTANSWER:=纪检&#125;监察&#35;室} &lt;科室&gt;。</p>"
        );
    }

    #[test]
    fn a_cloze_stem_or_answer_cannot_open_a_blank_of_its_own() {
        let b = bank(
            "## 【填空】{1:MULTICHOICE:=甲~乙} 与 {#1} 在（ ）里，另一空（ ）。\n答案：a}b|c#d~e|R&|x\\；\\}|{2:SA:=z}\n",
        );
        let text = cloze_text(
            &b.questions[0].stem,
            match &b.questions[0].answer {
                Answer::Blanks(blanks) => blanks,
                _ => unreachable!(),
            },
        );
        assert_eq!(text.matches('{').count(), 2, "{text}");
        assert_eq!(text.matches("{1:SHORTANSWER:=").count(), 2, "{text}");
        assert_eq!(text.matches('}').count(), 2, "{text}");
        assert!(
            text.contains("&#123;1:MULTICHOICE:=甲~乙&#125; 与 &#123;#1&#125;"),
            "{text}"
        );
        assert!(
            text.contains("{1:SHORTANSWER:=a&#125;b~=c&#35;d&#126;e~=R&#38;~=x&#92;}"),
            "no answer ends in `&` or `\\`, which would hide the closing brace: {text}"
        );
        assert!(
            text.contains("{1:SHORTANSWER:=&#92;&#92;&#125;~=&#123;2:SA:=z&#125;}"),
            "a `\\` before a closing brace is doubled, as Moodle turns `\\}}` into `}}`: {text}"
        );
    }
}
