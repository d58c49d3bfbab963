//! A question bank in the formats exam systems import: the spreadsheet layout `quiz import`
//! reads (xlsx, csv), Moodle's GIFT and Moodle XML, and Aiken. Each writer takes the parsed
//! bank and returns the file's bytes plus notes on what the format could not carry.

pub mod aiken;
pub mod gift;
pub mod moodle;
pub mod sheet;

use std::collections::BTreeMap;

use crate::error::Result;
use crate::kinds::quiz::{self, Question, QuestionType};
use crate::messages::Msg;

/// The formats `quiz export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
    Gift,
    Aiken,
    MoodleXml,
}

impl Format {
    /// The file name ending used when no output is named. GIFT and Aiken end in `.txt`
    /// because Moodle's file picker accepts text files by that extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Gift => "gift.txt",
            Format::Aiken => "aiken.txt",
            Format::MoodleXml => "xml",
        }
    }

    /// Whether the output is text that may go to standard output.
    pub fn is_text(self) -> bool {
        self != Format::Xlsx
    }
}

/// The character encoding of a csv file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 with a BOM, so Excel opens Chinese text correctly.
    Utf8,
    /// GB18030, which is byte-for-byte GBK for every character GBK has (old Chinese Excel).
    Gbk,
}

/// A parsed bank, as the writers need it.
#[derive(Debug, Clone)]
pub struct ExportBank {
    pub title: String,
    /// The bank's file name, for the comment at the top of text formats.
    pub source: String,
    pub shuffle: bool,
    pub questions: Vec<Question>,
    /// Titles of the items `依据` links point at, by link as written (`@/principles/08.md`).
    pub basis_titles: BTreeMap<String, String>,
}

/// A written export: the bytes, how many questions they hold, and what was left out or changed.
#[derive(Debug, Clone)]
pub struct Written {
    pub bytes: Vec<u8>,
    pub count: usize,
    pub notes: Vec<Msg>,
}

/// Writes `bank` in `format`; `encoding` applies to csv only.
pub fn write(bank: &ExportBank, format: Format, encoding: Encoding) -> Result<Written> {
    match format {
        Format::Xlsx => sheet::xlsx(bank),
        Format::Csv => Ok(sheet::csv(bank, encoding)),
        Format::Gift => Ok(gift::write(bank)),
        Format::Aiken => Ok(aiken::write(bank)),
        Format::MoodleXml => Ok(moodle::write(bank)),
    }
}

/// Whether the question has its own `编号` (otherwise its id is a hash of the stem).
pub fn has_own_id(q: &Question) -> bool {
    q.id != quiz::stem_id(&q.stem)
}

/// A question's name in an exam system: its `编号`, else the start of its stem.
pub fn name(q: &Question) -> String {
    if has_own_id(q) {
        return q.id.clone();
    }
    const MAX: usize = 20;
    let flat = one_line(&q.stem);
    let mut name: String = flat.chars().take(MAX).collect();
    if flat.chars().count() > MAX {
        name.push('…');
    }
    name
}

/// Lines joined with a space: for formats whose text must stay on one line.
pub fn one_line(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The general feedback: the explanation (Markdown), then `依据：` and the rule's title.
pub fn feedback(bank: &ExportBank, q: &Question) -> Option<String> {
    let basis = q.basis.as_ref().map(|link| {
        let title = bank
            .basis_titles
            .get(link)
            .cloned()
            .unwrap_or_else(|| link_path(link));
        format!("依据：{title}")
    });
    match (q.explanation.as_deref(), basis) {
        (Some(e), Some(b)) => Some(format!("{e}\n\n{b}")),
        (Some(e), None) => Some(e.to_owned()),
        (None, b) => b,
    }
}

/// `@/principles/08.md` → `principles/08`, for a rule whose title is unknown.
fn link_path(link: &str) -> String {
    let path = link.trim().trim_start_matches("@/");
    let path = path.split('#').next().unwrap_or(path);
    path.strip_suffix(".md").unwrap_or(path).to_owned()
}

/// The Chinese name of a question type, as exam systems and `quiz import` write it.
pub fn type_name(kind: QuestionType) -> &'static str {
    match kind {
        QuestionType::Single => "单选题",
        QuestionType::Multiple => "多选题",
        QuestionType::TrueFalse => "判断题",
        QuestionType::Blank => "填空题",
    }
}

/// `3 多选题, 1 判断题`: how many questions of each type a list holds.
pub fn count_by_type(questions: &[&Question]) -> Msg {
    let mut list: Option<Msg> = None;
    for kind in [
        QuestionType::Single,
        QuestionType::Multiple,
        QuestionType::TrueFalse,
        QuestionType::Blank,
    ] {
        let n = questions.iter().filter(|q| q.kind == kind).count();
        if n > 0 {
            let part = crate::msg!("export.type_count", count = n, kind = type_name(kind));
            list = Some(match list {
                None => part,
                Some(first) => crate::msg!("export.type_list")
                    .sub("first", first)
                    .sub("next", part),
            });
        }
    }
    list.unwrap_or_else(|| Msg::from(String::new()))
}

/// Each right option's share of 100% when `right` options are right: `50`, `33.33333`.
/// These are all grades Moodle accepts (1/1 … 1/8 of the mark).
pub fn share(right: usize) -> String {
    let value = 100.0 / right.max(1) as f64;
    let text = format!("{value:.5}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A short-answer text: `*` is Moodle's wildcard, so a literal one is escaped.
pub fn short_answer(text: &str) -> String {
    text.replace('*', "\\*")
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// A bank parsed from its body, with the rule titles the tests expect.
    pub fn bank(body: &str) -> ExportBank {
        let text = format!("---\ntitle: 九项准则自测\n---\n{body}");
        let file = crate::source::split("quizzes/t.md".into(), text.as_bytes()).expect("split");
        let (parsed, diags) = quiz::parse_bank(&file);
        assert!(diags.is_empty(), "{diags:?}");
        let (meta, bank) = parsed.expect("bank");
        ExportBank {
            title: meta.title,
            source: "t.md".into(),
            shuffle: bank.settings.shuffle.unwrap_or(true),
            questions: bank.questions,
            basis_titles: [(
                "@/principles/08.md".to_owned(),
                "共建和谐关系，不收受患方“红包”".to_owned(),
            )]
            .into(),
        }
    }

    /// One question of each type, two blanks in the last, and characters GIFT must escape.
    pub const ALL_TYPES: &str = "## 【单选】下列哪一项属于《九项准则》禁止的行为？\n编号：LJ-001\nA. 按规定参加继续医学教育\nB. 收受患方“红包”\nC. 按劳取酬\n答案：B\n解析：第八条要求不收受患方“红包”。\n依据：@/principles/08.md\n\n## 【多选】以下哪些行为违反《九项准则》？\nA. 收受企业回扣\nB. 泄露患者隐私\nC. 参加廉洁培训\n答案：AB\n\n## 【判断】金额不大的企业回扣不算违规。\n答案：错\n\n## 【填空】《九项准则》共有（ ）条。\n答案：九|9\n\n## 【填空】红包应在（ ）小时内上交（ ）。\n答案：24|二十四；纪检监察室\n解析：比例 1:2 {示例} ~ # = 号\n";
}

#[cfg(test)]
mod tests {
    use super::testutil::{ALL_TYPES, bank};
    use super::*;

    #[test]
    fn names_come_from_ids_or_the_stem() {
        let b = bank(ALL_TYPES);
        assert_eq!(name(&b.questions[0]), "LJ-001");
        assert_eq!(name(&b.questions[1]), "以下哪些行为违反《九项准则》？");
        let long =
            bank("## 【判断】一二三四五六七八九十一二三四五六七八九十多出来的字。\n答案：对\n");
        assert_eq!(
            name(&long.questions[0]),
            "一二三四五六七八九十一二三四五六七八九十…"
        );
    }

    #[test]
    fn feedback_carries_explanation_and_rule() {
        let b = bank(ALL_TYPES);
        assert_eq!(
            feedback(&b, &b.questions[0]).as_deref(),
            Some("第八条要求不收受患方“红包”。\n\n依据：共建和谐关系，不收受患方“红包”")
        );
        assert_eq!(feedback(&b, &b.questions[1]), None);
        let mut q = b.questions[1].clone();
        q.basis = Some("@/policies/gift-2024.md".into());
        assert_eq!(
            feedback(&b, &q).as_deref(),
            Some("依据：policies/gift-2024")
        );
    }

    #[test]
    fn type_counts() {
        let b = bank(ALL_TYPES);
        let all: Vec<&Question> = b.questions.iter().collect();
        let counts = count_by_type(&all);
        assert_eq!(counts, "1 单选题, 1 多选题, 1 判断题, 2 填空题");
        assert_eq!(
            counts.render(crate::messages::Lang::Zh),
            "单选题 1 道、多选题 1 道、判断题 1 道、填空题 2 道"
        );
    }
}
