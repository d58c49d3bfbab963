//! The spreadsheet layout `quiz import` reads, as `.xlsx` (sheet 题库) or `.csv`: one row per
//! question under the header 编号, 题型, 题干, 选项A…选项H, 答案, 解析, 依据, so a bank
//! exported here and imported again is the same bank.

use super::{Encoding, ExportBank, Written, has_own_id, type_name};
use crate::error::{Error, Result};
use crate::kinds::quiz::{Answer, Question};

/// The header row, in column order.
pub const HEADER: [&str; 14] = [
    "编号", "题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "选项G", "选项H",
    "答案", "解析", "依据",
];

/// The sheet's rows: the header, then one row per question.
pub fn rows(bank: &ExportBank) -> Vec<Vec<String>> {
    let mut rows = vec![HEADER.iter().map(|h| (*h).to_owned()).collect()];
    rows.extend(bank.questions.iter().map(row));
    rows
}

fn row(q: &Question) -> Vec<String> {
    let mut cells = Vec::with_capacity(HEADER.len());
    cells.push(if has_own_id(q) {
        q.id.clone()
    } else {
        String::new()
    });
    cells.push(type_name(q.kind).to_owned());
    cells.push(q.stem.clone());
    for i in 0..8 {
        cells.push(q.options.get(i).cloned().unwrap_or_default());
    }
    cells.push(answer(&q.answer));
    cells.push(q.explanation.clone().unwrap_or_default());
    cells.push(q.basis.clone().unwrap_or_default());
    cells
}

/// `ABD`, `正确` / `错误`, `九|9；医院`: answers as Chinese exam systems write them.
pub fn answer(answer: &Answer) -> String {
    match answer {
        Answer::Choices(idx) => idx.iter().map(|&i| (b'A' + i as u8) as char).collect(),
        Answer::Truth(true) => "正确".into(),
        Answer::Truth(false) => "错误".into(),
        Answer::Blanks(blanks) => blanks
            .iter()
            .map(|alts| alts.join("|"))
            .collect::<Vec<_>>()
            .join("；"),
    }
}

/// The bank as a workbook with one sheet, 题库; every cell is text, so `001` stays `001`.
pub fn xlsx(bank: &ExportBank) -> Result<Written> {
    use rust_xlsxwriter::{DocProperties, Format, FormatAlign, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| {
        Error::usage(crate::msg!("export.workbook").sub("cause", crate::error::cause_of(&e)))
    };
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_title(bank.title.as_str()));
    let sheet = book.add_worksheet();
    sheet.set_name("题库").map_err(fail)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (r, cells) in rows(bank).iter().enumerate() {
        for (c, text) in cells.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
            let format = if r == 0 { &bold } else { &wrap };
            sheet
                .write_string_with_format(r as u32, c as u16, text, format)
                .map_err(fail)?;
        }
    }
    for (c, width) in [
        (0u16, 10.0),
        (1, 8.0),
        (2, 50.0),
        (11, 10.0),
        (12, 40.0),
        (13, 24.0),
    ] {
        sheet.set_column_width(c, width).map_err(fail)?;
    }
    for c in 3..11u16 {
        sheet.set_column_width(c, 16.0).map_err(fail)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    Ok(Written {
        bytes: book.save_to_buffer().map_err(fail)?,
        count: bank.questions.len(),
        notes: long_cells(bank),
    })
}

/// Characters in one cell: `quiz import` reads no longer cells.
pub const MAX_CELL_CHARS: usize = 4_000;

/// A note when cells are longer than `quiz import` reads, so this file would not import again.
fn long_cells(bank: &ExportBank) -> Vec<crate::messages::Msg> {
    let rows = rows(bank);
    let cells = rows.iter().flatten();
    let long = cells.filter(|c| c.chars().count() > MAX_CELL_CHARS).count();
    match long {
        0 => Vec::new(),
        n => vec![crate::msg!(
            "export.note.long_cells",
            count = n,
            max = MAX_CELL_CHARS
        )],
    }
}

/// The bank as CSV with CRLF line ends: UTF-8 with a BOM, or GB18030 (GBK for every character
/// GBK has; a note names any character old GBK-only software may show wrongly).
pub fn csv(bank: &ExportBank, encoding: Encoding) -> Written {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for cells in rows(bank) {
        // Writing to memory cannot fail.
        let _ = writer.write_record(cells.iter().map(|c| csv_cell(c).into_owned()));
    }
    let text = writer
        .into_inner()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let mut notes = long_cells(bank);
    let bytes = match encoding {
        Encoding::Utf8 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Gbk => {
            let outside = outside_gbk(&text);
            if !outside.is_empty() {
                notes.push(crate::msg!("export.note.outside_gbk", chars = outside));
            }
            encoding_rs::GB18030.encode(&text).0.into_owned()
        }
    };
    Written {
        bytes,
        count: bank.questions.len(),
        notes,
    }
}

/// What makes a spreadsheet program read a cell as a formula when it comes first (full-width
/// forms too: an East Asian Excel may take `＝` for `=`).
const FORMULA_START: &[char] = &[
    '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// A cell as CSV writes it so spreadsheet programs show it as text: one that would read as a
/// formula (one of [`FORMULA_START`] first, after any `'`) gets one more `'` in front, which
/// the programs show as "this is text"; [`csv_cell_text`] takes exactly that `'` off again.
pub fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.trim_start_matches('\'').starts_with(FORMULA_START) {
        true => format!("'{cell}").into(),
        false => cell.into(),
    }
}

/// A cell of a CSV file as the bank holds it: the `'` [`csv_cell`] put before a formula-like
/// cell is taken off, and nothing else.
pub fn csv_cell_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// The distinct characters of `text` that GBK cannot encode, in order of appearance.
fn outside_gbk(text: &str) -> String {
    let mut out = String::new();
    let mut buf = [0u8; 4];
    for c in text.chars().filter(|c| !c.is_ascii()) {
        let (_, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
        if unmappable && !out.contains(c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{ALL_TYPES, bank};
    use super::*;

    #[test]
    fn rows_follow_the_import_layout() {
        let r = rows(&bank(ALL_TYPES));
        assert_eq!(r[0], HEADER);
        assert_eq!(r.len(), 6);
        assert_eq!(
            &r[1][..4],
            [
                "LJ-001",
                "单选题",
                "下列哪一项属于《九项准则》禁止的行为？",
                "按规定参加继续医学教育"
            ]
        );
        assert_eq!(
            &r[1][11..],
            ["B", "第八条要求不收受患方“红包”。", "@/principles/08.md"]
        );
        assert_eq!(
            r[2][0], "",
            "a hashed id is not written: import computes it again"
        );
        assert_eq!(r[2][11], "AB");
        assert_eq!(r[3][11], "错误");
        assert_eq!(r[5][11], "24|二十四；纪检监察室");
    }

    #[test]
    fn csv_has_a_bom_or_is_gbk() {
        let b = bank(ALL_TYPES);
        let utf8 = csv(&b, Encoding::Utf8).bytes;
        assert!(
            utf8.starts_with(b"\xEF\xBB\xBF\xE7\xBC\x96\xE5\x8F\xB7,"),
            "BOM, then 编号"
        );
        assert!(String::from_utf8_lossy(&utf8).contains("\r\n"));
        let gbk = csv(&b, Encoding::Gbk);
        assert!(std::str::from_utf8(&gbk.bytes).is_err(), "not UTF-8");
        assert!(
            gbk.bytes.starts_with(&[0xB1, 0xE0, 0xBA, 0xC5, b',']),
            "编号 in GBK"
        );
        let (decoded, _, bad) = encoding_rs::GBK.decode(&gbk.bytes);
        assert!(!bad);
        assert!(decoded.contains("收受患方“红包”"));
        assert!(gbk.notes.is_empty());
    }

    #[test]
    fn characters_outside_gbk_are_named() {
        let b = bank("## 【判断】😀 表情不在 GBK 中。\n答案：对\n");
        let w = csv(&b, Encoding::Gbk);
        assert_eq!(w.notes.len(), 1);
        assert!(w.notes[0].ends_with(": 😀"), "{}", w.notes[0]);
        let back = encoding_rs::GB18030.decode(&w.bytes).0;
        assert!(back.contains("😀"), "GB18030 keeps it");
    }

    #[test]
    fn formula_like_cells_get_a_quote_that_import_takes_off() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("＝1+1", "'＝1+1"),
            ("'=x", "''=x"),
            ("''", "''"),
            ("'a", "'a"),
            ("a=b", "a=b"),
            (" =x", " =x"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell), written, "{cell:?}");
            assert_eq!(csv_cell_text(written), cell, "{written:?}");
        }
    }

    #[test]
    fn cells_longer_than_import_reads_are_noted() {
        let mut b = bank(ALL_TYPES);
        b.questions[0].explanation = Some("长".repeat(4001));
        let note = "1 cells hold more than 4000 characters, more than `quiz import` reads in one cell: shorten them before importing this file again";
        assert_eq!(csv(&b, Encoding::Utf8).notes, [note]);
        assert_eq!(xlsx(&b).unwrap().notes, [note]);
        assert!(csv(&bank(ALL_TYPES), Encoding::Utf8).notes.is_empty());
    }

    #[test]
    fn xlsx_is_a_zip_with_the_sheet() {
        let w = xlsx(&bank(ALL_TYPES)).unwrap();
        assert!(w.bytes.starts_with(b"PK"));
        assert_eq!(w.count, 5);
    }
}
