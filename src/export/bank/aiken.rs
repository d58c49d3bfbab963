//! Aiken: the simplest text format Moodle imports, for single-choice questions only. Each
//! question is its stem on one line, options `A. …`, and `ANSWER: B`; it has no names, no
//! explanations and no other question types, so those are left out with a note.
//!
//! Moodle reads a line that starts with a capital letter, `.` or `)` and a space or tab as an
//! option, and one that starts with `ANSWER:` as the answer. A stem that starts like an option
//! (`A. B. C 三类人员…`) gets a no-break space after its first letter instead, which reads the
//! same and is no option to Moodle; a stem that starts with `ANSWER:` is left out with a note.

use super::{ExportBank, Written, count_by_type, one_line};
use crate::kinds::quiz::{Answer, Question, QuestionType};

const LETTERS: &[u8] = b"ABCDEFGH";

/// Writes the bank's single-choice questions as Aiken text (UTF-8, no BOM).
pub fn write(bank: &ExportBank) -> Written {
    let mut out = String::new();
    let mut skipped: Vec<&Question> = Vec::new();
    let mut answer_stems = 0;
    let mut count = 0;
    for q in &bank.questions {
        match (&q.answer, q.kind) {
            (Answer::Choices(right), QuestionType::Single) if right.len() == 1 => {
                let Some(stem) = stem_line(&q.stem) else {
                    answer_stems += 1;
                    continue;
                };
                out.push_str(&question(&stem, q, right[0]));
                count += 1;
            }
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

/// The stem on one line, written so Moodle does not read it as an option; `None` when it
/// would read as the answer line.
fn stem_line(stem: &str) -> Option<String> {
    let line = one_line(stem);
    if line.starts_with("ANSWER:") {
        return None;
    }
    let b = line.as_bytes();
    let like_option = b.len() >= 3
        && b[0].is_ascii_uppercase()
        && matches!(b[1], b'.' | b')')
        && matches!(b[2], b' ' | b'\t');
    if like_option {
        return Some(format!("{}\u{a0}{}", &line[..2], &line[3..]));
    }
    Some(line)
}

fn question(stem: &str, q: &Question, right: usize) -> String {
    let mut out = stem.to_owned();
    out.push('\n');
    for (i, option) in q.options.iter().enumerate() {
        out.push_str(&format!("{}. {}\n", LETTERS[i] as char, one_line(option)));
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
