//! Aiken: the simplest text format Moodle imports, for single-choice questions only. Each
//! question is its stem on one line, options `A. …`, and `ANSWER: B`; it has no names, no
//! explanations and no other question types, so those are left out with a note.

use super::{ExportBank, Written, count_by_type, one_line};
use crate::kinds::quiz::{Answer, Question, QuestionType};

const LETTERS: &[u8] = b"ABCDEFGH";

/// Writes the bank's single-choice questions as Aiken text (UTF-8, no BOM).
pub fn write(bank: &ExportBank) -> Written {
    let mut out = String::new();
    let mut skipped: Vec<&Question> = Vec::new();
    let mut count = 0;
    for q in &bank.questions {
        match (&q.answer, q.kind) {
            (Answer::Choices(right), QuestionType::Single) if right.len() == 1 => {
                out.push_str(&question(q, right[0]));
                count += 1;
            }
            _ => skipped.push(q),
        }
    }
    let mut notes = Vec::new();
    if !skipped.is_empty() {
        notes.push(format!(
            "{} questions left out ({}): Aiken holds single-choice questions only",
            skipped.len(),
            count_by_type(&skipped)
        ));
    }
    if bank
        .questions
        .iter()
        .any(|q| q.explanation.is_some() || q.basis.is_some())
    {
        notes.push("explanations and 依据 are not carried: Aiken has no feedback".into());
    }
    Written {
        bytes: out.into_bytes(),
        count,
        notes,
    }
}

fn question(q: &Question, right: usize) -> String {
    let mut out = one_line(&q.stem);
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
}
