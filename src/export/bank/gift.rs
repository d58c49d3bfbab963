//! Moodle's GIFT text format. Choices become multiple choice (several right answers share
//! 100% and each wrong one is −100%, so a wrong pick scores 0 and a partial pick part of the
//! mark); 判断 becomes true/false; a one-blank 填空 becomes short answer in missing-word form.
//! GIFT cannot hold several blanks in one question, so each blank of such a question is
//! written as a short-answer question of its own. Explanations travel as general feedback.

use super::{ExportBank, Written, feedback, has_own_id, name, share, short_answer};
use crate::kinds::quiz::{Answer, Question, blank_spans};

/// Writes the bank as GIFT text (UTF-8, no BOM).
pub fn write(bank: &ExportBank) -> Written {
    let mut out = format!(
        "// {}（由 qinglian quiz export 从 {} 生成）\n// 多选题：答对的选项平分 100%，每个错误选项 -100%（错选不得分，少选得部分分）。\n\n$CATEGORY: $course$/top/{}\n\n",
        one_line_comment(&bank.title),
        one_line_comment(&bank.source),
        one_line_comment(&bank.title).replace('/', "//")
    );
    let mut count = 0;
    let mut split = 0;
    for q in &bank.questions {
        let blocks = question(bank, q);
        if blocks.len() > 1 {
            split += 1;
        }
        count += blocks.len();
        for block in blocks {
            out.push_str(&block);
            out.push('\n');
        }
    }
    let mut notes = Vec::new();
    if split > 0 {
        notes.push(crate::msg!("export.note.gift_split", count = split));
    }
    Written {
        bytes: out.into_bytes(),
        count,
        notes,
    }
}

/// One question as GIFT blocks: one, or one per blank.
fn question(bank: &ExportBank, q: &Question) -> Vec<String> {
    let general = feedback(bank, q)
        .map(|f| format!("####[markdown]{}", escape(&f)))
        .unwrap_or_default();
    let head = |suffix: &str| {
        let id = if has_own_id(q) {
            let id = one_line_comment(&q.id).replace(']', "\\]");
            format!("// [id:{id}{suffix}]\n")
        } else {
            String::new()
        };
        format!("{id}::{}{suffix}::", escape(&one_line_comment(&name(q))))
    };
    match &q.answer {
        Answer::Choices(right) => {
            vec![format!(
                "{}{}{{\n{}{}\n}}\n",
                head(""),
                with_format(text(&q.stem)),
                choices(&q.options, right),
                indent(&general)
            )]
        }
        Answer::Truth(truth) => {
            let answer = if *truth { "TRUE" } else { "FALSE" };
            vec![format!(
                "{}{}{{{answer}{general}}}\n",
                head(""),
                with_format(text(&q.stem))
            )]
        }
        Answer::Blanks(blanks) if blanks.len() == 1 => {
            vec![format!("{}{}\n", head(""), missing_word(q, 0, &general))]
        }
        Answer::Blanks(blanks) => (0..blanks.len())
            .map(|i| {
                let suffix = format!(" 第{}空", i + 1);
                format!("{}{}\n", head(&suffix), missing_word(q, i, &general))
            })
            .collect(),
    }
}

fn indent(general: &str) -> String {
    if general.is_empty() {
        String::new()
    } else {
        format!("\n\t{general}")
    }
}

/// `=right` / `~wrong` for one right answer; `~%50%` / `~%-100%` when several are right. An
/// option that starts with `%` always gets its weight, which keeps its `%` from being read as
/// one (GIFT has no escape for `%`).
fn choices(options: &[String], right: &[usize]) -> String {
    let share = share(right.len());
    let lines: Vec<String> = options
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let is_right = right.contains(&i);
            let mark = match (right.len(), is_right) {
                (1, true) if text.starts_with('%') => "~%100%".to_owned(),
                (1, false) if text.starts_with('%') => "~%0%".to_owned(),
                (1, true) => "=".to_owned(),
                (1, false) => "~".to_owned(),
                (_, true) => format!("~%{share}%"),
                (_, false) => "~%-100%".to_owned(),
            };
            format!("\t{mark}{}", with_format(self::text(text)))
        })
        .collect();
    lines.join("\n")
}

/// The stem with blank `which` replaced by `{=answer =alternative ####feedback}`; Moodle shows
/// it as `_____`. Other blanks keep their marker.
fn missing_word(q: &Question, which: usize, general: &str) -> String {
    let Answer::Blanks(blanks) = &q.answer else {
        return String::new();
    };
    let alternatives: Vec<String> = blanks[which]
        .iter()
        .map(|a| {
            let answer = with_format(escape(&short_answer(a)));
            format!("={}{answer}", weight_if_needed(a))
        })
        .collect();
    let answer = format!("{{{}{general}}}", alternatives.join(" "));
    let spans = blank_spans(&q.stem);
    match spans.get(which) {
        Some(span) => format!(
            "{}{answer}{}",
            with_format(text(&q.stem[..span.start])),
            text(&q.stem[span.end..])
        ),
        None => format!("{}{answer}", with_format(text(&q.stem))),
    }
}

/// `%100%` before an answer that starts with `%`, which GIFT readers would otherwise take for
/// the start of a weight (`%5%以内`); GIFT has no escape for `%`.
fn weight_if_needed(answer: &str) -> &'static str {
    if answer.starts_with('%') { "%100%" } else { "" }
}

/// A stem or an option as GIFT text in Moodle's default format: `& < >` as character
/// references, so the text is shown as written and never read as HTML; then escaped.
fn text(plain: &str) -> String {
    let html = plain
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    escape(&html)
}

/// GIFT text that starts with `[` after spaces gets Moodle's default format named before it,
/// so a text that starts `[html]` or `[markdown]` is not read as naming its format.
fn with_format(gift: String) -> String {
    match gift.trim_start().starts_with('[') {
        true => format!("[moodle]{gift}"),
        false => gift,
    }
}

/// Escapes GIFT's reserved characters (`\ ~ = # { } :`) and writes line breaks as `\n`,
/// as Moodle's own GIFT export does.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Text for a line of its own (a comment, the category): a line break of any kind, or another
/// control character, becomes a space, so nothing after it can start a line GIFT reads.
fn one_line_comment(text: &str) -> String {
    text.replace(
        |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'),
        " ",
    )
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{ALL_TYPES, bank};
    use super::*;

    fn gift(body: &str) -> (String, Written) {
        let w = write(&bank(body));
        (String::from_utf8(w.bytes.clone()).unwrap(), w)
    }

    #[test]
    fn every_type_is_written() {
        let (text, w) = gift(ALL_TYPES);
        assert!(
            text.contains("$CATEGORY: $course$/top/九项准则自测\n"),
            "{text}"
        );
        assert!(
            text.contains("// [id:LJ-001]\n::LJ-001::下列哪一项属于《九项准则》禁止的行为？{\n\t~按规定参加继续医学教育\n\t=收受患方“红包”\n\t~按劳取酬\n\t####[markdown]第八条要求不收受患方“红包”。\\n\\n依据：共建和谐关系，不收受患方“红包”\n}\n"),
            "{text}"
        );
        assert!(
            text.contains("::以下哪些行为违反《九项准则》？::以下哪些行为违反《九项准则》？{\n\t~%50%收受企业回扣\n\t~%50%泄露患者隐私\n\t~%-100%参加廉洁培训\n}\n"),
            "{text}"
        );
        assert!(
            text.contains("::金额不大的企业回扣不算违规。::金额不大的企业回扣不算违规。{FALSE}\n"),
            "{text}"
        );
        assert!(
            text.contains("::《九项准则》共有（ ）条。::《九项准则》共有{=九 =9}条。\n"),
            "{text}"
        );
        assert_eq!(w.count, 6, "the two-blank question is written twice");
        assert_eq!(w.notes.len(), 1);
        assert!(w.notes[0].contains("1 填空题 with several blanks"));
        assert!(
            w.notes[0]
                .render(crate::messages::Lang::Zh)
                .starts_with("1 道多空填空题按每空一道简答题导出")
        );
    }

    #[test]
    fn several_blanks_become_one_question_each_and_specials_are_escaped() {
        let (text, _) = gift(ALL_TYPES);
        let feedback = "####[markdown]比例 1\\:2 \\{示例\\} \\~ \\# \\= 号";
        assert!(
            text.contains(&format!("::红包应在（ ）小时内上交（ ）。 第1空::红包应在{{=24 =二十四{feedback}}}小时内上交（ ）。\n")),
            "{text}"
        );
        assert!(
            text.contains(&format!("::红包应在（ ）小时内上交（ ）。 第2空::红包应在（ ）小时内上交{{=纪检监察室{feedback}}}。\n")),
            "{text}"
        );
    }

    #[test]
    fn escapes_reserved_characters() {
        assert_eq!(
            escape("a~b=c#d{e}f:g\\h\ni"),
            "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
        );
        assert_eq!(short_answer("a*b"), "a\\*b");
        let (text, _) = gift("## 【单选】比例是 1:2 吗{注}？\nA. 是=对\nB. 否~错\n答案：A\n");
        assert!(
            text.contains("比例是 1\\:2 吗\\{注\\}？{\n\t=是\\=对\n\t~否\\~错\n}"),
            "{text}"
        );
    }

    #[test]
    fn a_leading_percent_sign_is_never_read_as_a_weight() {
        let (text, _) = gift(
            "## 【单选】比例？\nA. %5%以内\nB. %10%以上\nC. 一半\n答案：A\n\n## 【填空】比例在（ ）\n答案：%5%以内|5%\n",
        );
        assert!(
            text.contains("{\n\t~%100%%5%以内\n\t~%0%%10%以上\n\t~一半\n}"),
            "{text}"
        );
        assert!(text.contains("比例在{=%100%%5%以内 =5%}"), "{text}");
    }

    #[test]
    fn text_never_names_its_format_nor_turns_into_html() {
        let (text, _) = gift(
            "## 【单选】[html]<img src=x onerror=y> &amp;\nA.  [markdown]**甲**\nB. <b>乙</b>\n答案：A\n\n## 【填空】 [plain]（ ）后\n答案：[html]q\n",
        );
        assert!(
            text.contains("::[moodle][html]&lt;img src\\=x onerror\\=y&gt; &amp;amp;{\n\t=[moodle][markdown]**甲**\n\t~&lt;b&gt;乙&lt;/b&gt;\n}"),
            "{text}"
        );
        assert!(
            text.contains("::[moodle][plain]{=[moodle][html]q}后\n"),
            "{text}"
        );
    }

    #[test]
    fn questions_are_separated_by_blank_lines() {
        let (text, w) = gift(ALL_TYPES);
        let blocks: Vec<&str> = text.split("\n\n").filter(|b| b.contains("::")).collect();
        assert_eq!(
            blocks.len(),
            w.count,
            "a block per question written: {text}"
        );
        for block in blocks {
            assert_eq!(
                block.matches("::").count(),
                2,
                "one question per block: {block}"
            );
        }
    }
}
