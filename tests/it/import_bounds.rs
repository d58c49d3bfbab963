//! `quiz import` is bounded by what a spreadsheet holds, never by what it claims: a workbook
//! whose two cells span the whole sheet, zip bombs, a shared-strings count of 1e11, cells past
//! the limits, a gigabyte of CSV. Each is answered with a message naming the file and the
//! limit, by a child whose peak memory is measured (and capped, so a regression fails here).

use std::path::PathBuf;

use crate::common::Site;
use crate::workbooks::{
    Part, SHEET, STRINGS, bank_rows, bomb, cell, import_measured, import_measured_in, sheet,
    workbook,
};

/// Peak memory any of these files may cost: a small bank costs about 20 MB.
const BOUND_MB: f64 = 100.0;

fn file(site: &Site, name: &str, bytes: &[u8]) -> PathBuf {
    site.write_bytes(name, bytes);
    site.path(name)
}

#[test]
fn a_two_cell_workbook_reaching_xfd1048576_is_refused_in_bounded_memory() {
    let site = Site::new();
    let rows = format!(
        r#"<row r="1">{}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        cell("A1", "题干")
    );
    let bytes = workbook(vec![(SHEET, Part::Text(sheet(&rows)))]);
    assert!(bytes.len() < 1800, "{} bytes", bytes.len());
    let input = file(&site, "two-cells.xlsx", &bytes);
    let m = import_measured(&input);
    eprintln!(
        "two cells at A1 and XFD1048576 ({} bytes): exit {:?}, peak {:.0} MB",
        bytes.len(),
        m.code,
        m.max_rss_mb
    );
    assert_eq!(m.code, Some(2), "{}", m.stderr);
    assert!(
        m.stderr.contains(&format!(
            "{}: cell XFD1048576 lies beyond what import reads (at most 20000 rows and 50 columns)",
            input.display()
        )),
        "{}",
        m.stderr
    );
    assert!(m.max_rss_mb < BOUND_MB, "{:.0} MB", m.max_rss_mb);
    let zh = import_measured_in(&input, "zh-CN");
    assert!(
        zh.stderr
            .contains("单元格 XFD1048576 超出了导入读取的范围（最多 20000 行、50 列）"),
        "{}",
        zh.stderr
    );
}

/// A sheet part that unpacks to the bank's rows and then `count` spaces.
fn whitespace_sheet(count: u64, declared: Option<u64>) -> Part {
    let full = sheet(&bank_rows());
    let (head, tail) = full.split_at(full.find("</sheetData>").unwrap());
    bomb(head, " ", count, tail, declared)
}

#[test]
fn zip_bombs_cost_no_more_than_the_part_limit() {
    let site = Site::new();
    let gigabyte = 1u64 << 30;
    let strings = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#;
    for (name, part, bytes, says) in [
        (
            "sheet-bomb.xlsx",
            SHEET,
            workbook(vec![(SHEET, whitespace_sheet(gigabyte, None))]),
            "unpacks to more than 64 MB",
        ),
        (
            "lying-sheet-bomb.xlsx",
            SHEET,
            workbook(vec![(SHEET, whitespace_sheet(gigabyte, Some(100)))]),
            "cannot be read; the file may be damaged",
        ),
        (
            "strings-bomb.xlsx",
            STRINGS,
            workbook(vec![
                (SHEET, Part::Text(sheet(&bank_rows()))),
                (
                    STRINGS,
                    bomb(strings, "字", gigabyte / 3, "</t></si></sst>", None),
                ),
            ]),
            "unpacks to more than 64 MB",
        ),
    ] {
        let input = file(&site, name, &bytes);
        let m = import_measured(&input);
        eprintln!(
            "{name} ({:.1} MB, a part of 1 GB): exit {:?}, peak {:.0} MB",
            bytes.len() as f64 / 1048576.0,
            m.code,
            m.max_rss_mb
        );
        assert_eq!(m.code, Some(2), "{name}: {}", m.stderr);
        assert!(m.stderr.contains(says), "{name}: {}", m.stderr);
        if says.contains("64 MB") {
            assert!(
                m.stderr.contains(&format!("the part {part} ")),
                "{}",
                m.stderr
            );
        }
        assert!(m.max_rss_mb < BOUND_MB, "{name}: {:.0} MB", m.max_rss_mb);
    }
}

#[test]
fn a_part_just_under_the_limit_is_read_as_a_stream() {
    let site = Site::new();
    let bytes = workbook(vec![(SHEET, whitespace_sheet(60 << 20, None))]);
    let input = file(&site, "spaces.xlsx", &bytes);
    let m = import_measured(&input);
    eprintln!(
        "60 MB of spaces between rows: exit {:?}, peak {:.0} MB",
        m.code, m.max_rss_mb
    );
    assert_eq!(m.code, Some(0), "{}", m.stderr);
    assert!(m.max_rss_mb < 2.5 * 64.0, "{:.0} MB", m.max_rss_mb);
}

/// Shared strings 题干, 答案, a stem and its answer, under `sst_attributes`, and a sheet
/// using them.
fn shared_string_book(sst_attributes: &str, extra: &str) -> Vec<u8> {
    let strings = format!(
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" {sst_attributes}><si><t>题干</t></si><si><t>答案</t></si><si><r><t>《九项准则》共有</t></r><r><t>（ ）条。</t></r><rPh><t>ふりがな</t></rPh></si><si><t>九</t></si>{extra}</sst>"#
    );
    let s = |r: &str, i: usize| format!(r#"<c r="{r}" t="s"><v>{i}</v></c>"#);
    let rows = format!(
        r#"<row r="1">{}{}</row><row r="2">{}{}</row>"#,
        s("A1", 0),
        s("B1", 1),
        s("A2", 2),
        s("B2", 3)
    );
    workbook(vec![
        (SHEET, Part::Text(sheet(&rows))),
        (STRINGS, Part::Text(strings)),
    ])
}

#[test]
fn a_claimed_shared_string_count_reserves_nothing() {
    let site = Site::new();
    let bytes = shared_string_book(r#"count="100000000000" uniqueCount="100000000000""#, "");
    let input = file(&site, "claims.xlsx", &bytes);
    let m = import_measured(&input);
    eprintln!(
        "uniqueCount=\"1e11\": exit {:?}, peak {:.0} MB",
        m.code, m.max_rss_mb
    );
    assert_eq!(m.code, Some(0), "{}", m.stderr);
    assert!(m.max_rss_mb < BOUND_MB, "{:.0} MB", m.max_rss_mb);
    let run = crate::common::run(&["quiz", "import", input.to_str().unwrap(), "-o", "-"]);
    assert!(
        run.stdout
            .contains("## 《九项准则》共有（ ）条。\n答案：九\n"),
        "rich text joined, phonetic runs left out: {}",
        run.stdout
    );
}

#[test]
fn more_shared_strings_than_the_limit_are_refused() {
    let site = Site::new();
    let head = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="4">"#;
    let bytes = workbook(vec![
        (SHEET, Part::Text(sheet(&bank_rows()))),
        (STRINGS, bomb(head, "<si/>", 1_000_001, "</sst>", None)),
    ]);
    let input = file(&site, "strings.xlsx", &bytes);
    let m = import_measured(&input);
    assert_eq!(m.code, Some(2), "{}", m.stderr);
    assert!(
        m.stderr.contains(
            "the workbook lists more than 1000000 different texts, the most import reads"
        ),
        "{}",
        m.stderr
    );
    assert!(m.max_rss_mb < BOUND_MB, "{:.0} MB", m.max_rss_mb);
}

#[test]
fn cells_past_the_row_column_and_length_limits_are_named() {
    let site = Site::new();
    let long = "字".repeat(4001);
    for (name, rows, says) in [
        (
            "rows.xlsx",
            format!(
                r#"{}<row r="20001">{}</row>"#,
                bank_rows(),
                cell("A20001", "多")
            ),
            "cell A20001 lies beyond what import reads (at most 20000 rows and 50 columns)",
        ),
        (
            "columns.xlsx",
            format!(r#"<row r="1">{}</row>{}"#, cell("AY1", "备注"), bank_rows()),
            "cell AY1 lies beyond what import reads",
        ),
        (
            "long.xlsx",
            format!(r#"<row r="2">{}</row>"#, cell("B2", &long)),
            "cell B2 holds more than 4000 characters, the most import reads in one cell",
        ),
        (
            "unnamed.xlsx",
            format!(
                r#"<row><c t="inlineStr"><is><t>题干</t></is></c><c/><c t="inlineStr"><is><t>{long}</t></is></c></row>"#
            ),
            "cell C1 holds more than 4000 characters",
        ),
    ] {
        let bytes = workbook(vec![(SHEET, Part::Text(sheet(&rows)))]);
        let m = import_measured(&file(&site, name, &bytes));
        assert_eq!(m.code, Some(2), "{name}: {}", m.stderr);
        assert!(m.stderr.contains(says), "{name}: {}", m.stderr);
    }
    let fits = format!(
        r#"<row r="1">{}{}{}</row><row r="2">{}{}</row><row r="20000">{}{}{}</row>"#,
        cell("A1", "题干"),
        cell("B1", "答案"),
        cell("AX1", "备注"),
        cell("A2", &format!("{}（ ）", "字".repeat(3997))),
        cell("B2", "九"),
        cell("A20000", "最后一题（ ）"),
        cell("B20000", "末"),
        cell("AX20000", "最后一格")
    );
    let bytes = workbook(vec![(SHEET, Part::Text(sheet(&fits)))]);
    let m = import_measured(&file(&site, "fits.xlsx", &bytes));
    assert_eq!(m.code, Some(0), "at the limits: {}", m.stderr);
}

#[test]
fn a_csv_is_bounded_by_size_rows_and_fields() {
    let site = Site::new();
    let huge = site.path("huge.csv");
    // A sparse file: a gigabyte that takes no disk.
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let m = import_measured(&huge);
    eprintln!("a 1 GB csv: exit {:?}, peak {:.0} MB", m.code, m.max_rss_mb);
    assert_eq!(m.code, Some(2), "{}", m.stderr);
    assert!(
        m.stderr.contains(&format!(
            "{} is larger than 32 MB, the most import reads",
            huge.display()
        )),
        "{}",
        m.stderr
    );
    assert!(m.max_rss_mb < BOUND_MB, "{:.0} MB", m.max_rss_mb);

    let mut rows = String::from("题干,答案\n");
    for i in 1..=20_000 {
        rows.push_str(&format!("第{i}题（ ）,{i}\n"));
    }
    let wide = format!("题干,答案{}x\n", ",".repeat(49));
    let long = format!("题干,答案\n题（ ）,{}\n", "字".repeat(4001));
    for (name, text, says) in [
        (
            "rows.csv",
            rows,
            "cell A20001 lies beyond what import reads",
        ),
        ("wide.csv", wide, "cell AY1 lies beyond what import reads"),
        ("long.csv", long, "cell B2 holds more than 4000 characters"),
    ] {
        let m = import_measured(&file(&site, name, text.as_bytes()));
        assert_eq!(m.code, Some(2), "{name}: {}", m.stderr);
        assert!(m.stderr.contains(says), "{name}: {}", m.stderr);
    }
}
