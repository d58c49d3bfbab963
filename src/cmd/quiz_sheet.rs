//! What `quiz import` reads: one sheet of text cells, from a `.csv` file here or an `.xlsx`
//! workbook ([`super::quiz_xlsx`]), bounded by what the file holds and never by what it
//! claims. Each limit below is named in the message that refuses a file beyond it.

use std::path::Path;

use crate::error::{Error, Result};
use crate::fsio;

/// The largest file import reads, `.xlsx` or `.csv`: a bank of [`MAX_ROWS`] questions of a
/// few hundred characters each fits in it.
pub const MAX_FILE_MB: u64 = 32;
/// The most a part of an `.xlsx` (a file inside its zip) may unpack to.
pub const MAX_PART_MB: u64 = 64;
/// Rows read, the header included.
pub const MAX_ROWS: usize = 20_000;
/// Columns read: the importer knows fewer than 20, and a sheet may carry a few of its own.
pub const MAX_COLUMNS: usize = 50;
/// Characters in one cell (the bank's spreadsheet format: [`crate::export::bank::sheet`]).
pub use crate::export::bank::sheet::MAX_CELL_CHARS;
/// Entries of a workbook's shared-strings table (one per distinct text).
pub const MAX_SHARED_STRINGS: usize = 1_000_000;
/// The text of all cells together, however often a workbook repeats one shared string.
pub const MAX_TEXT_MB: usize = 64;

/// A sheet read as text cells, with the name diagnostics use for it. Rows and columns are
/// the sheet's own (row 0 is row 1); a row holds its cells up to its last non-empty one.
pub struct Table {
    pub sheet: Option<String>,
    pub rows: Vec<Vec<String>>,
}

/// Cells collected into rows; a cell beyond the limits stops the reading with a message.
pub struct Grid<'a> {
    path: &'a Path,
    rows: Vec<Vec<String>>,
    bytes: usize,
}

impl<'a> Grid<'a> {
    pub fn new(path: &'a Path) -> Grid<'a> {
        Grid {
            path,
            rows: Vec::new(),
            bytes: 0,
        }
    }

    /// Puts `value` at the 0-based `row` and `column`; empty values are not kept.
    pub fn put(&mut self, row: usize, column: usize, value: String) -> Result<()> {
        if value.is_empty() {
            return Ok(());
        }
        if row >= MAX_ROWS || column >= MAX_COLUMNS {
            return Err(beyond(self.path, row, column));
        }
        self.check_length(row, column, &value)?;
        self.bytes += value.len();
        if self.bytes > MAX_TEXT_MB << 20 {
            let m = crate::msg!(
                "import.limit.text",
                path = self.path.display(),
                max = MAX_TEXT_MB
            );
            return Err(Error::usage(m).with_hint(limit_hint()));
        }
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        if cells.len() <= column {
            cells.resize_with(column + 1, String::new);
        }
        cells[column] = value;
        Ok(())
    }

    /// Refuses a cell of more than [`MAX_CELL_CHARS`] characters (text still being gathered
    /// may be checked too, so a huge cell stops early).
    pub fn check_length(&self, row: usize, column: usize, text: &str) -> Result<()> {
        let long = text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS;
        match long {
            false => Ok(()),
            true => {
                let m = crate::msg!(
                    "import.limit.cell",
                    path = self.path.display(),
                    cell = cell_name(row, column),
                    max = MAX_CELL_CHARS
                );
                Err(Error::usage(m).with_hint(crate::msg!("import.limit.cell.hint")))
            }
        }
    }

    pub fn into_rows(self) -> Vec<Vec<String>> {
        self.rows
    }
}

fn beyond(path: &Path, row: usize, column: usize) -> Error {
    let m = crate::msg!(
        "import.limit.place",
        path = path.display(),
        cell = cell_name(row, column),
        rows = MAX_ROWS,
        columns = MAX_COLUMNS
    );
    Error::usage(m).with_hint(limit_hint())
}

fn limit_hint() -> crate::messages::Msg {
    crate::msg!("import.limit.hint", rows = MAX_ROWS - 1)
}

/// A limit of the workbook's own structure: a part unpacking beyond [`MAX_PART_MB`]
/// (`part` names it), or more than [`MAX_SHARED_STRINGS`] shared strings.
pub fn workbook_limit(path: &Path, part: Option<&str>) -> Error {
    let m = match part {
        Some(part) => crate::msg!(
            "import.limit.part",
            path = path.display(),
            part = part,
            max = MAX_PART_MB
        ),
        None => crate::msg!(
            "import.limit.strings",
            path = path.display(),
            max = MAX_SHARED_STRINGS
        ),
    };
    Error::usage(m).with_hint(crate::msg!("import.broken.hint"))
}

/// The table in `path` cannot be read: a damaged file, or not the format its name says.
pub fn broken(path: &Path) -> Error {
    let m = crate::msg!("import.broken", path = path.display());
    Error::usage(m).with_hint(crate::msg!("import.broken.hint"))
}

/// `path` is no zip archive, so no `.xlsx` (often an old `.xls` or a WPS file renamed).
pub fn not_xlsx(path: &Path) -> Error {
    let m = crate::msg!("import.not_xlsx", path = path.display());
    Error::usage(m).with_hint(crate::msg!("import.broken.hint"))
}

/// The whole file, when it is no larger than [`MAX_FILE_MB`].
pub fn read_capped(path: &Path) -> Result<Vec<u8>> {
    match fsio::read_limited(path, MAX_FILE_MB << 20)? {
        Some((bytes, _)) => Ok(bytes),
        None => {
            let m = crate::msg!(
                "import.limit.file",
                path = path.display(),
                max = MAX_FILE_MB
            );
            Err(Error::usage(m).with_hint(limit_hint()))
        }
    }
}

/// CSV in UTF-8 (with or without BOM) or, when that fails, GB18030 (which covers GBK); the
/// `'` that `quiz export` puts before a formula-like cell is taken off.
pub fn read_csv(path: &Path) -> Result<Table> {
    let bytes = read_capped(path)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => encoding_rs::GB18030.decode(bytes).0,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Grid::new(path);
    let mut record = csv::StringRecord::new();
    for row in 0.. {
        match reader.read_record(&mut record) {
            Ok(true) => {
                for (column, field) in record.iter().enumerate() {
                    let text = crate::export::bank::sheet::csv_cell_text(field);
                    grid.put(row, column, text.to_owned())?;
                }
            }
            Ok(false) => break,
            Err(_) => return Err(broken(path)),
        }
    }
    Ok(Table {
        sheet: None,
        rows: grid.into_rows(),
    })
}

/// `B7`: a cell as the spreadsheet names it, from 0-based row and column.
pub fn cell_name(row: usize, column: usize) -> String {
    format!("{}{}", column_letter(column), row.saturating_add(1))
}

/// 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut n = index.saturating_add(1);
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push((b'A' + (n % 26) as u8) as char);
        n /= 26;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_and_cell_names() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
        assert_eq!(cell_name(usize::MAX, usize::MAX).len(), 34);
    }

    #[test]
    fn the_grid_keeps_used_cells_and_refuses_what_lies_beyond() {
        let path = Path::new("bank.xlsx");
        let mut grid = Grid::new(path);
        grid.put(0, 0, "题干".into()).unwrap();
        grid.put(2, 3, "x".into()).unwrap();
        grid.put(9, 9, String::new()).unwrap();
        assert_eq!(
            grid.rows,
            [
                vec!["题干".to_owned()],
                vec![],
                vec![String::new(), String::new(), String::new(), "x".into()]
            ]
        );
        let far = grid.put(1_048_575, 16_383, "1".into()).unwrap_err();
        assert_eq!(
            far.to_string(),
            "bank.xlsx: cell XFD1048576 lies beyond what import reads (at most 20000 rows and 50 columns)\n  help: split the bank into files of at most 19999 questions, and delete anything outside the bank's rows and columns"
        );
        let long = grid.put(1, 1, "字".repeat(MAX_CELL_CHARS + 1)).unwrap_err();
        assert!(
            long.to_string()
                .starts_with("bank.xlsx: cell B2 holds more than 4000 characters"),
            "{long}"
        );
        grid.put(1, 1, "字".repeat(MAX_CELL_CHARS)).unwrap();
    }

    #[test]
    fn repeated_text_counts_every_time() {
        let path = Path::new("bank.xlsx");
        let mut grid = Grid::new(path);
        let cell = "字".repeat(MAX_CELL_CHARS);
        let fits = (MAX_TEXT_MB << 20) / cell.len();
        for i in 0..fits {
            grid.put(i % 100, 0, cell.clone()).unwrap();
        }
        let over = grid.put(0, 0, cell).unwrap_err();
        assert!(
            over.to_string().contains("more than 64 MB of text"),
            "{over}"
        );
    }
}
