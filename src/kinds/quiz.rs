//! Question banks (`content/quizzes/`): front matter settings plus questions in the plain
//! line format office staff already use for paper exams (`## 【单选】…`, `A. …`, `答案：B`).

use crate::messages::Msg;
use crate::msg;

use serde::Serialize;

use super::front::{self, Fields, FrontMatter, Meta};
use crate::diag::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::types::HashMap;

crate::front_matter! {
    /// A bank's settings: pass mark (percent), questions drawn per attempt, shuffling, time limit.
    QuizSettings {
        pass: Option<u8>,
        draw: Option<u32>,
        shuffle: Option<bool>,
        /// Minutes; no countdown when absent.
        time_limit: Option<u32>,
    }
}

impl FrontMatter for QuizSettings {
    const KEYS: &'static [&'static str] = &["pass", "draw", "shuffle", "time_limit"];
    fn from_fields(f: &mut Fields) -> Option<Self> {
        QuizSettings::read_fields(f)
    }
    fn check(&self, file: &SourceFile, _meta: &Meta) -> Vec<Diagnostic> {
        check_settings(file, self)
    }
}

crate::labeled_enum! {
    /// The four question types of Chinese exam papers.
    QuestionType { Single = "single" | "单选", Multiple = "multiple" | "多选", TrueFalse = "truefalse" | "判断", Blank = "blank" | "填空" }
}

/// A question bank: its settings, an optional introduction, and its questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuizBank {
    pub settings: QuizSettings,
    pub intro: String,
    pub questions: Vec<Question>,
}

/// One question as written, with the file line of each part for diagnostics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// Stable id: `编号:` when given, else a hash of the stem.
    pub id: String,
    pub kind: QuestionType,
    pub stem: String,
    pub options: Vec<String>,
    pub answer: Answer,
    /// Markdown.
    pub explanation: Option<String>,
    /// The `依据:` link, `@/…` as written.
    pub basis: Option<String>,
    #[serde(skip)]
    pub line: usize,
    #[serde(skip)]
    pub basis_line: usize,
}

/// The right answer: option indexes, true/false, or accepted texts for each blank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Choices(Vec<usize>),
    Truth(bool),
    Blanks(Vec<Vec<String>>),
}

/// Parses a bank file on its own (for `quiz import` and `quiz export`).
pub fn parse_bank(file: &SourceFile) -> (Option<(Meta, QuizBank)>, Vec<Diagnostic>) {
    <QuizBank as super::Parse>::parse(file)
}

impl super::Parse for QuizBank {
    /// Front matter settings, then the questions in the body.
    fn parse(file: &SourceFile) -> (Option<(Meta, Self)>, Vec<Diagnostic>) {
        let (settings, mut diags) = front::parse::<QuizSettings>(file);
        let Some((meta, settings)) = settings else {
            return (None, diags);
        };
        let (intro, questions, body_diags) = parse_body(file);
        diags.extend(body_diags);
        if questions.is_empty() && diags.is_empty() {
            diags.push(
                file.diag(
                    Severity::Error,
                    file.line_of(file.body_start),
                    1,
                    msg!("quiz.no_questions"),
                )
                .with_hint(msg!("quiz.no_questions.hint")),
            );
        }
        let bank = QuizBank {
            settings,
            intro,
            questions,
        };
        (Some((meta, bank)), diags)
    }
}

fn check_settings(file: &SourceFile, s: &QuizSettings) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if s.pass.is_some_and(|p| p > 100) {
        diags.push(
            file.key_error("pass", msg!("quiz.pass_above"))
                .with_hint(msg!("quiz.pass_above.hint")),
        );
    }
    if s.draw == Some(0) {
        diags.push(
            file.key_error("draw", msg!("quiz.draw_zero"))
                .with_hint(msg!("quiz.draw_zero.hint")),
        );
    }
    if s.time_limit == Some(0) {
        diags.push(
            file.key_error("time_limit", msg!("quiz.time_zero"))
                .with_hint(msg!("quiz.time_zero.hint")),
        );
    }
    diags
}

/// A question while its lines are being read.
#[derive(Default)]
struct Draft {
    line: usize,
    kind: Option<QuestionType>,
    stem: String,
    options: Vec<String>,
    answer: Option<(String, usize)>,
    explanation: Option<String>,
    basis: Option<(String, usize)>,
    id: Option<String>,
    /// The last keyed line, so continuation lines join it.
    last: Last,
}

#[derive(Default, PartialEq)]
enum Last {
    #[default]
    Stem,
    Option,
    Explanation,
    Other,
}

fn parse_body(file: &SourceFile) -> (String, Vec<Question>, Vec<Diagnostic>) {
    let first_line = file.line_of(file.body_start);
    let mut intro = String::new();
    let mut drafts: Vec<Draft> = Vec::new();
    let mut diags = Vec::new();
    let mut fence = false;
    for (i, raw) in file.body().lines().enumerate() {
        let line_no = first_line + i;
        let line = raw.trim();
        if line.starts_with("```") {
            fence = !fence;
        }
        if !fence && let Some(header) = line.strip_prefix("## ") {
            drafts.push(start_question(file, header, line_no, &mut diags));
            continue;
        }
        match drafts.last_mut() {
            None => {
                intro.push_str(raw);
                intro.push('\n');
            }
            Some(d) => read_line(file, d, line, line_no, &mut diags),
        }
    }
    let mut questions = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::default();
    for d in drafts {
        if let Some(q) = finish(file, d, &mut diags) {
            let key = normalize(&q.stem);
            match seen.get(&key).or_else(|| seen.get(&format!("id:{}", q.id))) {
                Some(first) => diags.push(
                    file.diag(
                        Severity::Error,
                        q.line,
                        1,
                        msg!("quiz.duplicate", line = first),
                    )
                    .with_hint(msg!("quiz.duplicate.hint")),
                ),
                None => {
                    seen.insert(key, q.line);
                    seen.insert(format!("id:{}", q.id), q.line);
                    questions.push(q);
                }
            }
        }
    }
    (intro, questions, diags)
}

/// Reads `## 【单选】题干` (or `## [single] stem`, or a stem with no type).
fn start_question(
    file: &SourceFile,
    header: &str,
    line: usize,
    diags: &mut Vec<Diagnostic>,
) -> Draft {
    let header = header.trim();
    let bracketed = header
        .strip_prefix('【')
        .and_then(|r| r.split_once('】'))
        .or_else(|| header.strip_prefix('[').and_then(|r| r.split_once(']')));
    let (kind, stem) = match bracketed {
        Some((token, stem)) => {
            let token = token.trim().trim_end_matches('题');
            let kind = QuestionType::parse(token);
            if kind.is_none() {
                let col = file
                    .text
                    .lines()
                    .nth(line - 1)
                    .and_then(|l| l.find(token).map(|b| l[..b].chars().count()))
                    .map_or(4, |n| n + 1);
                diags.push(
                    file.diag(
                        Severity::Error,
                        line,
                        col,
                        msg!("quiz.unknown_type", token = token),
                    )
                    .with_hint(msg!("quiz.unknown_type.hint"))
                    .with_len(token.chars().count()),
                );
            }
            (kind, stem.trim())
        }
        None => (None, header),
    };
    Draft {
        line,
        kind,
        stem: stem.to_owned(),
        ..Draft::default()
    }
}

/// Keys recognised inside a question, in both scripts and both colon widths.
fn keyed<'a>(line: &'a str, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|name| {
        let rest = line.strip_prefix(name)?;
        let rest = rest.trim_start();
        rest.strip_prefix('：')
            .or_else(|| rest.strip_prefix(':'))
            .map(str::trim)
    })
}

fn read_line(
    file: &SourceFile,
    d: &mut Draft,
    line: &str,
    line_no: usize,
    diags: &mut Vec<Diagnostic>,
) {
    if line.is_empty() {
        return;
    }
    if let Some(v) = keyed(line, &["答案", "正确答案", "answer", "Answer"]) {
        d.answer = Some((v.to_owned(), line_no));
        d.last = Last::Other;
    } else if let Some(v) = keyed(line, &["解析", "答案解析", "explanation", "Explanation"]) {
        d.explanation = Some(v.to_owned());
        d.last = Last::Explanation;
    } else if let Some(v) = keyed(line, &["依据", "basis", "Basis"]) {
        d.basis = Some((v.to_owned(), line_no));
        d.last = Last::Other;
    } else if let Some(v) = keyed(line, &["编号", "id", "ID"]) {
        d.id = Some(v.to_owned());
        d.last = Last::Other;
    } else if let Some((letter, text)) = option_line(line) {
        let expected = (b'A' + d.options.len() as u8) as char;
        if letter != expected {
            diags.push(
                file.diag(
                    Severity::Error,
                    line_no,
                    1,
                    msg!("quiz.option_order", letter = letter, expected = expected),
                )
                .with_hint(msg!("quiz.option_order.hint")),
            );
        }
        d.options.push(text.to_owned());
        d.last = Last::Option;
    } else {
        continue_line(file, d, line, line_no, diags);
    }
}

/// A line with no key continues the stem (before options) or the explanation.
fn continue_line(
    file: &SourceFile,
    d: &mut Draft,
    line: &str,
    line_no: usize,
    diags: &mut Vec<Diagnostic>,
) {
    match d.last {
        Last::Stem => {
            d.stem.push('\n');
            d.stem.push_str(line);
        }
        Last::Explanation => {
            let e = d.explanation.get_or_insert_with(String::new);
            e.push('\n');
            e.push_str(line);
        }
        Last::Option | Last::Other => diags.push(
            file.diag(Severity::Error, line_no, 1, msg!("quiz.stray_line"))
                .with_hint(msg!("quiz.stray_line.hint")),
        ),
    }
}

/// `A. text`, `A、text`, `A．text`, `A) text`, `A）text`, `A：text`.
fn option_line(line: &str) -> Option<(char, &str)> {
    let mut chars = line.chars();
    let letter = chars.next()?.to_ascii_uppercase();
    if !('A'..='H').contains(&letter) {
        return None;
    }
    let rest = chars.as_str();
    let sep = rest.chars().next()?;
    if !matches!(sep, '.' | '、' | '．' | ')' | '）' | ':' | '：') {
        return None;
    }
    let text = rest[sep.len_utf8()..].trim();
    (!text.is_empty()).then_some((letter, text))
}

/// Turns a draft into a question, checking that its answer fits its type and options.
fn finish(file: &SourceFile, d: Draft, diags: &mut Vec<Diagnostic>) -> Option<Question> {
    if d.stem.trim().is_empty() {
        diags.push(
            file.diag(Severity::Error, d.line, 1, msg!("quiz.no_stem"))
                .with_hint(msg!("quiz.no_stem.hint")),
        );
        return None;
    }
    let Some((answer_text, answer_line)) = d.answer.clone() else {
        diags.push(
            file.diag(Severity::Error, d.line, 1, msg!("quiz.no_answer"))
                .with_hint(msg!("quiz.no_answer.hint")),
        );
        return None;
    };
    let kind = d
        .kind
        .unwrap_or_else(|| infer_type(&d.options, &answer_text));
    let at = |m: Msg, hint: Msg| {
        file.diag(Severity::Error, answer_line, 1, m)
            .with_hint(hint)
    };
    let answer = match parse_answer(kind, &answer_text, &d.options, &d.stem) {
        Ok(a) => a,
        Err((msg, hint)) => {
            diags.push(at(msg, hint));
            return None;
        }
    };
    let id = d.id.clone().unwrap_or_else(|| stem_id(&d.stem));
    let (basis, basis_line) = d.basis.map_or((None, 0), |(b, l)| (Some(b), l));
    Some(Question {
        id,
        kind,
        stem: d.stem,
        options: d.options,
        answer,
        explanation: d.explanation,
        basis,
        line: d.line,
        basis_line,
    })
}

fn infer_type(options: &[String], answer: &str) -> QuestionType {
    if !options.is_empty() {
        return if letters(answer).len() > 1 {
            QuestionType::Multiple
        } else {
            QuestionType::Single
        };
    }
    if truth(answer).is_some() {
        QuestionType::TrueFalse
    } else {
        QuestionType::Blank
    }
}

type Problem = (Msg, Msg);

fn parse_answer(
    kind: QuestionType,
    text: &str,
    options: &[String],
    stem: &str,
) -> Result<Answer, Problem> {
    match kind {
        QuestionType::Single | QuestionType::Multiple => choice_answer(kind, text, options),
        QuestionType::TrueFalse if !options.is_empty() => {
            Err((msg!("quiz.tf_options"), msg!("quiz.tf_options.hint")))
        }
        QuestionType::TrueFalse => truth(text).map(Answer::Truth).ok_or_else(|| {
            (
                msg!("quiz.not_truth", text = text),
                msg!("quiz.not_truth.hint"),
            )
        }),
        QuestionType::Blank if !options.is_empty() => {
            Err((msg!("quiz.blank_options"), msg!("quiz.blank_options.hint")))
        }
        QuestionType::Blank => blank_answer(text, stem),
    }
}

fn choice_answer(kind: QuestionType, text: &str, options: &[String]) -> Result<Answer, Problem> {
    if options.len() < 2 {
        return Err((msg!("quiz.two_options"), msg!("quiz.two_options.hint")));
    }
    let picked = letters(text);
    if picked.is_empty() {
        return Err((
            msg!("quiz.no_letters", text = text),
            msg!("quiz.no_letters.hint"),
        ));
    }
    if let Some(bad) = picked
        .iter()
        .find(|&&c| (c as usize - 'A' as usize) >= options.len())
    {
        return Err((
            msg!("quiz.answer_no_option", letter = bad),
            msg!("quiz.answer_no_option.hint"),
        ));
    }
    if kind == QuestionType::Single && picked.len() > 1 {
        return Err((
            msg!("quiz.single_many", n = picked.len()),
            msg!("quiz.single_many.hint"),
        ));
    }
    let mut idx: Vec<usize> = picked.iter().map(|&c| c as usize - 'A' as usize).collect();
    idx.sort_unstable();
    idx.dedup();
    Ok(Answer::Choices(idx))
}

/// Letters in `ABD`, `A,B,D`, `A、B、D`, `A B D`; `None`-like empty when anything else appears.
fn letters(text: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in text.chars() {
        match c {
            'A'..='Z' | 'a'..='z' => out.push(c.to_ascii_uppercase()),
            ',' | '，' | '、' | ' ' | '　' | ';' | '；' => {}
            _ => return Vec::new(),
        }
    }
    out
}

fn truth(text: &str) -> Option<bool> {
    match text.trim() {
        "对" | "√" | "✓" | "✔" | "正确" | "T" | "t" | "true" | "True" | "是" => {
            Some(true)
        }
        "错" | "×" | "✗" | "✘" | "错误" | "F" | "f" | "false" | "False" | "否" => {
            Some(false)
        }
        _ => None,
    }
}

fn blank_answer(text: &str, stem: &str) -> Result<Answer, Problem> {
    let blanks: Vec<Vec<String>> = text
        .split(['；', ';'])
        .map(|b| {
            b.split('|')
                .map(|alt| alt.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect::<Vec<_>>()
        })
        .collect();
    if blanks.iter().any(Vec::is_empty) {
        return Err((msg!("quiz.blank_empty"), msg!("quiz.blank_empty.hint")));
    }
    let markers = count_blanks(stem);
    if markers == 0 {
        return Err((msg!("quiz.no_blank"), msg!("quiz.no_blank.hint")));
    }
    if markers != blanks.len() {
        return Err((
            msg!("quiz.blank_count", blanks = markers, answers = blanks.len()),
            msg!("quiz.blank_count.hint"),
        ));
    }
    Ok(Answer::Blanks(blanks))
}

/// Blank markers: `（ ）`, `（）`, `( )` and runs of three or more underscores.
pub fn count_blanks(stem: &str) -> usize {
    blank_spans(stem).len()
}

/// Byte ranges of the blank markers in `stem`, in order.
pub fn blank_spans(stem: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < stem.len() {
        let rest = &stem[i..];
        let len = paren_blank(rest).or_else(|| underscore_blank(rest));
        match len {
            Some(n) => {
                spans.push(i..i + n);
                i += n;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    spans
}

fn paren_blank(s: &str) -> Option<usize> {
    let (open, close) = if s.starts_with('（') {
        ('（', '）')
    } else if s.starts_with('(') {
        ('(', ')')
    } else {
        return None;
    };
    let inner_start = open.len_utf8();
    let end = s[inner_start..].find(close)?;
    let inner = &s[inner_start..inner_start + end];
    let blank = inner.chars().all(|c| c == ' ' || c == '　');
    let ok = blank && (open == '（' || !inner.is_empty());
    ok.then_some(inner_start + end + close.len_utf8())
}

fn underscore_blank(s: &str) -> Option<usize> {
    let n = s.bytes().take_while(|&b| b == b'_').count();
    (n >= 3).then_some(n)
}

fn normalize(stem: &str) -> String {
    stem.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A stable id from the stem: FNV-1a 64 of its non-space characters, 12 hex digits.
pub fn stem_id(stem: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in normalize(stem).bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("q{:012x}", hash >> 16)
}

impl super::KindDef for QuizBank {
    const PAGED: bool = true;
    fn references(&self, r: &mut dyn super::References) {
        for q in &self.questions {
            if let Some(basis) = &q.basis {
                r.basis(q.basis_line, basis);
            }
        }
    }
    const DRAFT: Option<(&'static str, &'static str)> = Some(("nine-principles", "示例：九项准则自测"));
    const SHARED: bool = true;
    /// A bank's questions are not Markdown: its introduction is.
    fn markdown<'a>(&'a self, _body: &'a str) -> &'a str {
        &self.intro
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testutil::parse_text;

    fn bank(body: &str) -> (Option<QuizBank>, Vec<Diagnostic>) {
        let (p, d) = parse_text(
            "quizzes/t.md",
            &format!("---\ntitle: 自测\npass: 80\n---\n{body}"),
        );
        let bank = p
            .items
            .values()
            .next()
            .and_then(|i| i.get::<QuizBank>().cloned());
        (bank, d)
    }

    fn one(body: &str) -> Question {
        let (b, d) = bank(body);
        assert!(d.is_empty(), "{d:?}");
        b.unwrap().questions.remove(0)
    }

    fn error(body: &str) -> Diagnostic {
        let (_, d) = bank(body);
        assert!(!d.is_empty(), "expected an error for {body}");
        d[0].clone()
    }

    #[test]
    fn design_example_parses() {
        let (b, d) = bank(
            "## 【单选】下列哪一项属于禁止的行为？\nA. 参加继续教育\nB. 收受患方“红包”\nC. 按劳取酬\n答案：B\n解析：第八条。\n依据：@/principles/08.md\n\n## 【多选】以下哪些违规？\nA、收受回扣\nB、泄露隐私\nC、参加培训\n答案：A,B\n\n## 【判断】金额不大的回扣不算违规。\n答案：错\n\n## 【填空】《九项准则》共有（ ）条。\n答案：九|9\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let q = b.unwrap().questions;
        assert_eq!(q.len(), 4);
        assert_eq!(q[0].answer, Answer::Choices(vec![1]));
        assert_eq!(q[0].basis.as_deref(), Some("@/principles/08.md"));
        assert_eq!(q[0].line, 5);
        assert_eq!(q[1].answer, Answer::Choices(vec![0, 1]));
        assert_eq!(q[2].answer, Answer::Truth(false));
        assert_eq!(
            q[3].answer,
            Answer::Blanks(vec![vec!["九".into(), "9".into()]])
        );
    }

    #[test]
    fn every_option_marker_and_answer_notation() {
        for marker in [".", "、", "．", ")", "）"] {
            let q = one(&format!(
                "## 【多选】题\nA{marker} 甲\nB{marker} 乙\nC{marker} 丙\nD{marker} 丁\n答案：ABD\n"
            ));
            assert_eq!(q.options, ["甲", "乙", "丙", "丁"]);
        }
        for answer in ["ABD", "A,B,D", "A、B、D", "a b d", "A，B，D"] {
            let q = one(&format!(
                "## 【多选】题\nA. 甲\nB. 乙\nC. 丙\nD. 丁\n答案: {answer}\n"
            ));
            assert_eq!(q.answer, Answer::Choices(vec![0, 1, 3]), "{answer}");
        }
    }

    #[test]
    fn true_false_notations_and_english_aliases() {
        for (text, truth) in [
            ("对", true),
            ("√", true),
            ("正确", true),
            ("T", true),
            ("错", false),
            ("×", false),
            ("错误", false),
            ("F", false),
        ] {
            assert_eq!(
                one(&format!("## [truefalse] 说法\nanswer: {text}\n")).answer,
                Answer::Truth(truth),
                "{text}"
            );
        }
        assert_eq!(
            one("## [single] 题\nA. x\nB. y\nanswer: A\n").kind,
            QuestionType::Single
        );
        assert_eq!(
            one("## 【单选题】题\nA. x\nB. y\n答案：A\n").kind,
            QuestionType::Single
        );
    }

    #[test]
    fn blanks_markers_and_several_answers() {
        let q = one(
            "## 【填空】红包应在（ ）小时内上交___，由( )登记。\n答案：24|二十四；医院；纪检监察室\n",
        );
        assert_eq!(
            q.answer,
            Answer::Blanks(vec![
                vec!["24".into(), "二十四".into()],
                vec!["医院".into()],
                vec!["纪检监察室".into()]
            ])
        );
        assert_eq!(count_blanks("（）与（　）"), 2);
        assert_eq!(count_blanks("(注) 不是空"), 0);
    }

    #[test]
    fn missing_type_is_inferred() {
        assert_eq!(
            one("## 题\nA. x\nB. y\n答案：AB\n").kind,
            QuestionType::Multiple
        );
        assert_eq!(
            one("## 题\nA. x\nB. y\n答案：B\n").kind,
            QuestionType::Single
        );
        assert_eq!(one("## 说法\n答案：对\n").kind, QuestionType::TrueFalse);
        assert_eq!(one("## 共（ ）条\n答案：九\n").kind, QuestionType::Blank);
    }

    #[test]
    fn explanation_continues_over_lines_and_ids() {
        let q = one("## 【判断】说法\n答案：对\n解析：第一行\n第二行\n编号：LJ-001\n");
        assert_eq!(q.explanation.as_deref(), Some("第一行\n第二行"));
        assert_eq!(q.id, "LJ-001");
        let a = one("## 【判断】同 一 题\n答案：对\n");
        let b = one("## 【判断】同一题\n答案：错\n");
        assert_eq!(a.id, b.id, "ids ignore spacing");
        assert_eq!(a.id, stem_id("同一题"), "ids are stable");
    }

    #[test]
    fn every_malformed_question_is_located() {
        let d = error("## 【单选】题\nA. x\nB. y\n答案：E\n");
        assert_eq!((d.line, d.message.as_str()), (8, "answer E has no option"));
        let d = error("## 【单选】题\nA. x\nB. y\n答案：AB\n");
        assert_eq!(
            (d.line, d.message.as_str()),
            (8, "a 单选 question has 2 answers")
        );
        let d = error("\n## 【单选】题\nA. x\nB. y\n");
        assert_eq!(
            (d.line, d.message.as_str()),
            (6, "the question has no answer")
        );
        let d = error("## 【填空】共（ ）条，（ ）类\n答案：九\n");
        assert_eq!(d.line, 6);
        assert!(d.message.contains("2 blank(s) but 1 answer(s)"));
        let d = error("## 【问答】谈谈体会\n答案：略\n");
        assert_eq!((d.line, d.column), (5, 5));
        assert!(d.message.contains("unknown question type `问答`"));
        let d = error("## 【判断】说法\n答案：对\n\n## 【判断】说法\n答案：错\n");
        assert_eq!(
            (d.line, d.message.as_str()),
            (8, "duplicate question: the same as line 5")
        );
        let d = error("## 【判断】说法\n答案：也许\n");
        assert_eq!(d.line, 6);
        let d = error("## 【单选】题\nA. x\nC. y\n答案：A\n");
        assert_eq!(d.line, 7);
        let d = error("## 【单选】题\nA. x\nB. y\n答案：A\n多余的一行\n");
        assert_eq!(d.line, 9);
    }

    #[test]
    fn empty_bank_and_bad_settings() {
        let d = error("没有题目。\n");
        assert!(d.message.contains("no questions"));
        let (_, d) = parse_text(
            "quizzes/t.md",
            "---\ntitle: t\npass: 120\ndraw: 0\n---\n## 【判断】x\n答案：对\n",
        );
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].line, 3);
    }
}
