//! Aiken: the simplest text format Moodle imports, for single-choice questions only. Each
//! question is its stem on one line, options `A. …`, and `ANSWER: B`; it has no names, no
//! explanations and no other question types, so those are left out with a note.
//!
//! Moodle reads a line that starts with a capital letter, `.` or `)` and a space or tab as an
//! option, and one that starts with `ANSWER:` as the answer. A stem that starts like an option
//! (`A. B. C 三类人员…`) gets a no-break space after its first letter instead, which reads the
//! same and is no option to Moodle; a stem that starts with `ANSWER:` is left out with a note.
//! Every line break and control character in a stem or option becomes a space, so no text
//! starts a line of its own; a question whose text is then empty is left out with a note.

use super::{ExportBank, Written, count_by_type, one_line};
use crate::kinds::quiz::{Answer, Question, QuestionType};

const LETTERS: &[u8] = b"ABCDEFGH";

/// Writes the bank's single-choice questions as Aiken text (UTF-8, no BOM).
pub fn write(bank: &ExportBank) -> Written {
    let mut out = String::new();
    let mut skipped: Vec<&Question> = Vec::new();
    let (mut answer_stems, mut blank) = (0, 0);
    let mut count = 0;
    for q in &bank.questions {
        match (&q.answer, q.kind) {
            (Answer::Choices(right), QuestionType::Single) if right.len() == 1 => match lines(q) {
                Ok((stem, options)) => {
                    out.push_str(&question(&stem, &options, right[0]));
                    count += 1;
                }
                Err(Unreadable::AnswerLine) => answer_stems += 1,
                Err(Unreadable::Blank) => blank += 1,
            },
            _ => skipped.push(q),
        }
    }
    let mut notes = Vec::new();
    if !skipped.is_empty() {
        notes.push(
            crate::msg!("export.note.aiken_left_out", count = skipped.len())
                .sub("types", count_by_type(&skipped)),
        );
    }
    if answer_stems > 0 {
        notes.push(crate::msg!(
            "export.note.aiken_answer_stem",
            count = answer_stems
        ));
    }
    if blank > 0 {
        notes.push(crate::msg!("export.note.aiken_blank", count = blank));
    }
    if bank
        .questions
        .iter()
        .any(|q| q.explanation.is_some() || q.basis.is_some())
    {
        notes.push(crate::msg!("export.note.aiken_no_feedback"));
    }
    Written {
        bytes: out.into_bytes(),
        count,
        notes,
    }
}

/// Why a question cannot be written so that Aiken reads it back.
enum Unreadable {
    /// Its stem would read as the answer line.
    AnswerLine,
    /// Its stem or an option is empty, or the stem a single letter (which readers skip).
    Blank,
}

/// The stem and the options, each on one line that reads back as what it is.
fn lines(q: &Question) -> Result<(String, Vec<String>), Unreadable> {
    let stem = stem_line(&q.stem)?;
    let options: Vec<String> = q.options.iter().map(|o| aiken_line(o)).collect();
    match options.iter().any(String::is_empty) {
        true => Err(Unreadable::Blank),
        false => Ok((stem, options)),
    }
}

/// Text on one line: a line break of any kind (`\r`, U+2028 … as well as `\n`) or another
/// control character splits it like a line break, and the pieces are joined with a space.
fn aiken_line(text: &str) -> String {
    let breaks = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    one_line(&text.replace(breaks, "\n"))
}

/// The stem on one line, written so no reader takes it for an option: a stem that starts like
/// one (`A. B. C 三类人员…`) gets a no-break space after its first letter instead of the space.
fn stem_line(stem: &str) -> Result<String, Unreadable> {
    let line = aiken_line(stem);
    let b = line.as_bytes();
    let answer = line
        .get(..6)
        .is_some_and(|w| w.eq_ignore_ascii_case("answer"));
    if answer && matches!(line[6..].trim_start().chars().next(), Some(':' | '：')) {
        return Err(Unreadable::AnswerLine);
    }
    if b.len() < 2 {
        return Err(Unreadable::Blank);
    }
    let like_option = b.len() >= 3
        && b[0].is_ascii_alphabetic()
        && matches!(b[1], b'.' | b')')
        && matches!(b[2], b' ' | b'\t');
    if like_option {
        return Ok(format!("{}\u{a0}{}", &line[..2], &line[3..]));
    }
    Ok(line)
}

fn question(stem: &str, options: &[String], right: usize) -> String {
    let mut out = stem.to_owned();
    out.push('\n');
    for (i, option) in options.iter().enumerate() {
        out.push_str(&format!("{}. {option}\n", LETTERS[i] as char));
    }
    out.push_str(&format!("ANSWER: {}\n\n", LETTERS[right] as char));
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{ALL_TYPES, bank};
    use super::*;

    #[test]
    fn single_choice_only_with_a_note_for_the_rest() {
        let w = write(&bank(ALL_TYPES));
        assert_eq!(
            String::from_utf8(w.bytes).unwrap(),
            "下列哪一项属于《九项准则》禁止的行为？\nA. 按规定参加继续医学教育\nB. 收受患方“红包”\nC. 按劳取酬\nANSWER: B\n\n"
        );
        assert_eq!(w.count, 1);
        assert_eq!(
            w.notes,
            [
                "4 questions left out (1 多选题, 1 判断题, 2 填空题): Aiken holds single-choice questions only",
                "explanations and 依据 are not carried: Aiken has no feedback"
            ]
        );
    }

    #[test]
    fn stems_on_several_lines_are_joined() {
        let w = write(&bank("## 【单选】第一行\n第二行\nA. 甲\nB. 乙\n答案：A\n"));
        assert!(
            String::from_utf8(w.bytes)
                .unwrap()
                .starts_with("第一行 第二行\nA. 甲\n")
        );
        assert!(w.notes.is_empty());
    }

    #[test]
    fn no_line_break_of_any_kind_starts_an_option_or_answer_line() {
        let mut b = bank("## 【单选】题一\nA. 甲\nB. 乙\n答案：A\n");
        let template = b.questions[0].clone();
        b.questions.clear();
        for (stem, option) in [
            ("题干\rB. 乙", "甲"),
            ("题干\u{2028}ANSWER: B", "甲"),
            ("题干\u{85}C) 丙", "甲\u{2029}D. 丁"),
            ("\u{0}A. 看似选项", "甲\u{b}ANSWER: A"),
            ("\u{c}answer : B", "甲"),
            ("x", "甲"),
            ("题干", "\u{0}\u{1}"),
        ] {
            let mut q = template.clone();
            q.stem = stem.into();
            q.options[0] = option.into();
            b.questions.push(q);
        }
        let w = write(&b);
        let text = String::from_utf8(w.bytes).unwrap();
        assert_eq!(
            text,
            "题干 B. 乙\nA. 甲\nB. 乙\nANSWER: A\n\n题干 ANSWER: B\nA. 甲\nB. 乙\nANSWER: A\n\n题干 C) 丙\nA. 甲 D. 丁\nB. 乙\nANSWER: A\n\nA.\u{a0}看似选项\nA. 甲 ANSWER: A\nB. 乙\nANSWER: A\n\n"
        );
        assert_eq!(w.count, 4);
        assert_eq!(
            w.notes,
            [
                "1 questions left out whose stem begins with `ANSWER:`, which Aiken reads as an answer line",
                "2 questions left out whose stem or an option is empty, or whose stem is a single letter, once line breaks and control characters are taken out: Aiken cannot hold them"
            ]
        );
    }

    #[test]
    fn a_stem_that_starts_like_an_option_stays_a_stem() {
        let w = write(&bank(
            "## 【单选】A. B. C 三类人员中，哪一类应当申报？\nA. 甲\nB. 乙\n答案：A\n\n## 【单选】ANSWER: 这是题干\nA. 甲\nB. 乙\n答案：B\n",
        ));
        let text = String::from_utf8(w.bytes).unwrap();
        assert_eq!(
            text,
            "A.\u{a0}B. C 三类人员中，哪一类应当申报？\nA. 甲\nB. 乙\nANSWER: A\n\n"
        );
        assert_eq!(w.count, 1);
        assert_eq!(
            w.notes,
            [
                "1 questions left out whose stem begins with `ANSWER:`, which Aiken reads as an answer line"
            ]
        );
    }
}
