//! `qinglian quiz import FILE`: a question bank from an exam system's spreadsheet export
//! (`.xlsx`, or `.csv` in UTF-8 or GBK), written in the bank line format.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::fsio;
use crate::kinds::quiz;
use crate::messages::Msg;

use super::Outcome;
use super::quiz_sheet::{self, Table, column_letter};

#[derive(Debug, Clone)]
pub struct ImportArgs {
    pub input: PathBuf,
    /// Where to write the bank: `-` for standard output; `content/quizzes/<file name>.md` of
    /// the site when absent.
    pub output: Option<PathBuf>,
    /// The bank's title; the file name when absent.
    pub title: Option<String>,
    /// Replace an existing bank.
    pub force: bool,
    /// Where to look for the site when `output` is absent.
    pub root: PathBuf,
    pub lang: crate::messages::Lang,
}

/// The columns the importer understands, and the header names exam systems give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Type,
    Stem,
    Option(u8),
    Answer,
    Explanation,
    Basis,
}

fn column_of(header: &str) -> Option<Column> {
    let h: String = header
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let col = match h.as_str() {
        "编号" | "题号" | "试题编号" | "id" => Column::Id,
        "题型" | "题目类型" | "试题类型" | "类型" | "type" => Column::Type,
        "题干" | "题目" | "试题内容" | "题目内容" | "问题" | "stem" | "question" => {
            Column::Stem
        }
        "答案" | "正确答案" | "标准答案" | "参考答案" | "answer" => Column::Answer,
        "解析" | "答案解析" | "试题解析" | "explanation" => Column::Explanation,
        "依据" | "出处" | "basis" => Column::Basis,
        _ => {
            let letter = h
                .strip_prefix("选项")
                .or_else(|| h.strip_prefix("option"))
                .unwrap_or(&h);
            let mut chars = letter.chars();
            match (chars.next(), chars.next()) {
                (Some(c @ 'a'..='h'), None) => Column::Option(c as u8 - b'a'),
                _ => return None,
            }
        }
    };
    Some(col)
}

/// Runs the import; bad rows are reported and left out, and make the exit code 1.
pub fn run(args: &ImportArgs) -> Result<Outcome> {
    let title = args.title.clone().unwrap_or_else(|| {
        args.input
            .file_stem()
            .map_or_else(|| "题库".into(), |s| s.to_string_lossy().into_owned())
    });
    let (text, diags) = convert_file(&args.input, &title)?;
    crate::pipeline::print_human(&diags, args.lang);
    let count = text.matches("\n## ").count();
    if count == 0 {
        crate::messages::say(args.lang, &crate::msg!("import.nothing"));
        return Ok(Outcome::ContentErrors);
    }
    write_bank(args, &text, count)?;
    let left_out: Vec<Msg> = (diags.iter())
        .filter(|d| d.is_error() && d.line > 0)
        .map(|d| Msg::from(d.line.to_string()))
        .collect();
    if left_out.is_empty() {
        return Ok(Outcome::Clean);
    }
    let m = crate::msg!("import.left_out", n = left_out.len()).list("rows", left_out);
    crate::messages::say(args.lang, &m);
    Ok(Outcome::ContentErrors)
}

/// Writes the bank where `args` say: standard output, the `-o` file, or the site's
/// `content/quizzes/<file name>.md`; replaces a file only with `--force`.
fn write_bank(args: &ImportArgs, text: &str, count: usize) -> Result<()> {
    let path = match &args.output {
        Some(p) if p.as_os_str() == "-" => {
            print!("{text}");
            return Ok(());
        }
        Some(p) => p.clone(),
        None => {
            let stem = args.input.file_stem().unwrap_or_default().to_string_lossy();
            let name = stem.trim().trim_start_matches(['.', '_']).to_owned();
            let name = if name.is_empty() {
                "imported".into()
            } else {
                name
            };
            let root = super::site_root(&args.root)?;
            root.join("content/quizzes").join(format!("{name}.md"))
        }
    };
    let exists = std::fs::symlink_metadata(&path).is_ok();
    if exists && !(args.force && path.is_file()) {
        return Err(Error::usage(crate::msg!(
            "import.exists",
            path = path.display()
        )));
    }
    if exists {
        fsio::write(&path, text.as_bytes())?;
    } else {
        fsio::write_new(&path, text.as_bytes())?;
    }
    let wrote = crate::msg!("import.wrote", count = count, path = path.display());
    crate::messages::say(args.lang, &wrote);
    Ok(())
}

/// The bank text converted from the spreadsheet at `input`, and the problems of its rows
/// (each row the bank parser rejects is reported and left out).
pub fn convert_file(input: &Path, title: &str) -> Result<(String, Vec<Diagnostic>)> {
    let table = read_table(input)?;
    Ok(convert(&table, &input.display().to_string(), title))
}

fn read_table(path: &Path) -> Result<Table> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => super::quiz_xlsx::read(path),
        "csv" | "txt" => quiz_sheet::read_csv(path),
        _ => Err(Error::usage(crate::msg!(
            "import.file_type",
            path = path.display()
        ))),
    }
}

/// Writes the bank text; every row the bank parser rejects is reported and left out.
fn convert(table: &Table, shown: &str, title: &str) -> (String, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some((header_row, columns)) = find_header(table) else {
        let d = Diagnostic::file(Severity::Error, shown, crate::msg!("import.no_header"))
            .with_hint(crate::msg!("import.no_header.hint"));
        return (String::new(), vec![d]);
    };
    let mut text = front_matter(title, shown);
    for (i, row) in table.rows.iter().enumerate().skip(header_row + 1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let block = question_block(row, &columns);
        let answered = (columns.iter().zip(row))
            .any(|(c, v)| *c == Some(Column::Answer) && !v.trim().is_empty());
        let checked = match answered {
            true => check_block(&block),
            false => Err((
                crate::msg!("import.empty_answer"),
                Some(crate::msg!("import.empty_answer.hint")),
                Column::Answer,
            )),
        };
        match checked {
            Ok(()) => {
                text.push('\n');
                text.push_str(&block.text);
            }
            Err((message, hint, column)) => {
                let hint = spreadsheet_hint(&message, row, &columns).or(hint);
                let at = columns.iter().position(|c| *c == Some(column)).unwrap_or(0);
                let name = table.rows[header_row].get(at).cloned().unwrap_or_default();
                diags.push(row_error(table, shown, (i + 1, at, &name), message, hint));
            }
        }
    }
    (text, diags)
}

/// A hint in the spreadsheet's terms where the bank parser's would speak of Markdown lines.
fn spreadsheet_hint(message: &str, row: &[String], columns: &[Option<Column>]) -> Option<Msg> {
    let letter = message
        .strip_prefix("answer ")?
        .strip_suffix(" has no option")?;
    let options = columns
        .iter()
        .zip(row)
        .filter(|(c, v)| matches!(c, Some(Column::Option(_))) && !v.trim().is_empty())
        .count();
    Some(match options {
        0 => crate::msg!("import.hint.no_options", letter = letter),
        n => crate::msg!(
            "import.hint.answer_beyond",
            letter = letter,
            last = char::from(b'A' + (n.min(26) as u8) - 1)
        ),
    })
}

/// The header among the sheet's first ten rows that hold anything.
fn find_header(table: &Table) -> Option<(usize, Vec<Option<Column>>)> {
    let used = table.rows.iter().enumerate().filter(|(_, r)| !r.is_empty());
    used.take(10).find_map(|(i, row)| {
        let cols: Vec<Option<Column>> = row.iter().map(|h| column_of(h)).collect();
        let has = |c: Column| cols.contains(&Some(c));
        (has(Column::Stem) && has(Column::Answer)).then_some((i, cols))
    })
}

fn front_matter(title: &str, source: &str) -> String {
    let quote = |s: &str| {
        serde_yaml::to_string(s).map_or_else(|_| format!("{s:?}"), |y| y.trim_end().to_owned())
    };
    let name = Path::new(source)
        .file_name()
        .map_or_else(|| source.to_owned(), |n| n.to_string_lossy().into_owned());
    format!(
        "---\n# 由 qinglian quiz import 从 {name} 生成\ntitle: {}\npass: 80\nshuffle: true\n---\n",
        quote(title)
    )
}

/// One row as a question in the line format, with the column each line came from.
fn question_block(row: &[String], columns: &[Option<Column>]) -> Block {
    let get = |want: Column| -> String {
        let cells = columns.iter().zip(row).filter(|(c, _)| **c == Some(want));
        let text = cells.map(|(_, v)| v.trim()).collect::<Vec<_>>().join(" ");
        text.replace(['\r', '\n'], " ")
    };
    let kind = type_token(&get(Column::Type));
    let mut block = Block::default();
    block.push(
        format!(
            "## {}{}",
            kind.map_or(String::new(), |k| format!("【{k}】")),
            get(Column::Stem)
        ),
        Column::Stem,
    );
    for n in 0..8 {
        let option = get(Column::Option(n));
        if !option.is_empty() {
            block.push(
                format!("{}. {option}", (b'A' + n) as char),
                Column::Option(n),
            );
        }
    }
    block.push(format!("答案：{}", get(Column::Answer)), Column::Answer);
    for (column, key) in [
        (Column::Explanation, "解析"),
        (Column::Basis, "依据"),
        (Column::Id, "编号"),
    ] {
        let value = get(column);
        if !value.is_empty() {
            block.push(format!("{key}：{value}"), column);
        }
    }
    block
}

/// A question's lines in the bank format, each with the spreadsheet column it came from.
#[derive(Default)]
struct Block {
    text: String,
    sources: Vec<Column>,
}

impl Block {
    fn push(&mut self, line: String, from: Column) {
        self.text.push_str(&line);
        self.text.push('\n');
        self.sources.push(from);
    }

    /// The column behind a problem on block line `index` (0-based) at character `column`:
    /// on the heading, the type sits in `【】` after `## `, the stem at the start of the line.
    fn source(&self, index: usize, column: usize) -> Column {
        match self.sources.get(index).copied().unwrap_or(Column::Answer) {
            Column::Stem if column > 1 => Column::Type,
            other => other,
        }
    }
}

/// `单选题`, `单项选择题`, `判断题` … → the bank's type token; unknown text is kept so the
/// parser names it.
fn type_token(cell: &str) -> Option<String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    let token = match cell {
        "单项选择题" | "单项选择" | "单选题" => "单选",
        "多项选择题" | "多项选择" | "多选题" | "不定项选择题" => "多选",
        "判断题" | "是非题" => "判断",
        "填空题" => "填空",
        other => other,
    };
    Some(token.to_owned())
}

type BlockProblem = (Msg, Option<Msg>, Column);

/// Parses one generated question with the bank parser; its first problem names a column.
fn check_block(block: &Block) -> Result<(), BlockProblem> {
    const HEADER: &str = "---\ntitle: t\n---\n";
    let text = format!("{HEADER}{}", block.text);
    let file = crate::source::split("quizzes/import.md".into(), text.as_bytes())
        .map_err(|d| (d.message, d.hint, Column::Stem))?;
    let (_, diags) = quiz::parse_bank(&file);
    match diags.into_iter().find(Diagnostic::is_error) {
        None => Ok(()),
        Some(d) => {
            let index = d.line.saturating_sub(HEADER.lines().count() + 1);
            Err((d.message, d.hint, block.source(index, d.column)))
        }
    }
}

/// A bad row, placed by sheet, 1-based row, 0-based column and the column's header.
fn row_error(
    table: &Table,
    shown: &str,
    (row, column, name): (usize, usize, &str),
    message: Msg,
    hint: Option<Msg>,
) -> Diagnostic {
    let letter = column_letter(column);
    let place = match &table.sheet {
        Some(sheet) => crate::msg!(
            "import.place_sheet",
            sheet = sheet,
            row = row,
            letter = letter,
            name = name
        ),
        None => crate::msg!("import.place", row = row, letter = letter, name = name),
    };
    let message = crate::msg!("import.row")
        .sub("place", place)
        .sub("message", message);
    let d = Diagnostic {
        line: row,
        column: column + 1,
        ..Diagnostic::file(Severity::Error, shown, message)
    };
    d.with_hint(hint.unwrap_or_else(|| crate::msg!("import.hint.fix_row")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            sheet: Some("题库".into()),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
                .collect(),
        }
    }

    #[test]
    fn headers_and_aliases() {
        assert_eq!(column_of("试题内容"), Some(Column::Stem));
        assert_eq!(column_of("正确答案"), Some(Column::Answer));
        assert_eq!(column_of("答案解析"), Some(Column::Explanation));
        assert_eq!(column_of("选项 C"), Some(Column::Option(2)));
        assert_eq!(column_of("D"), Some(Column::Option(3)));
        assert_eq!(column_of("备注"), None);
    }

    #[test]
    fn rows_become_questions_and_bad_rows_are_located() {
        let t = table(&[
            &["编号", "题型", "题干", "选项A", "选项B", "答案", "解析"],
            &[
                "LJ-1",
                "单选题",
                "收到红包应当？",
                "收下",
                "上交",
                "B",
                "应当上交。",
            ],
            &["LJ-2", "判断题", "回扣金额小不算违规。", "", "", "错误", ""],
            &["LJ-3", "单选题", "题三", "甲", "乙", "E", ""],
        ]);
        let (text, diags) = convert(&t, "bank.xlsx", "题库");
        assert!(text.contains("## 【单选】收到红包应当？\nA. 收下\nB. 上交\n答案：B\n解析：应当上交。\n编号：LJ-1\n"), "{text}");
        assert!(text.contains("## 【判断】回扣金额小不算违规。\n答案：错误\n"));
        assert!(!text.contains("题三"));
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column), (4, 6));
        assert!(
            diags[0]
                .message
                .starts_with("sheet 题库, row 4, column F (答案): answer E has no option"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn output_parses_as_a_bank() {
        let t = table(&[&["题干", "答案"], &["《九项准则》共有（ ）条。", "九|9"]]);
        let (text, diags) = convert(&t, "x.csv", "标题: 含冒号");
        assert!(diags.is_empty(), "{diags:?}");
        let file = crate::source::split("quizzes/x.md".into(), text.as_bytes()).unwrap();
        let (bank, d) = quiz::parse_bank(&file);
        assert!(d.is_empty(), "{d:?}\n{text}");
        assert_eq!(bank.unwrap().0.title, "标题: 含冒号");
    }

    #[test]
    fn missing_header_is_reported() {
        let (_, d) = convert(&table(&[&["a", "b"], &["1", "2"]]), "x.csv", "t");
        assert!(d[0].message.contains("no header row"));
    }
}
