//! `.xlsx` workbooks for `quiz import`, read by a small streaming reader: each part's size in
//! the zip's central directory is checked before it is unpacked, and it is unpacked through a
//! reader that stops at [`MAX_PART_MB`] whatever the directory said; only the cells the sheet
//! holds are kept (never its claimed dimension), and no count the file announces is trusted.

use std::io::{BufReader, Cursor, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::quiz_sheet::{
    Grid, MAX_CELL_CHARS, MAX_PART_MB, MAX_SHARED_STRINGS, Table, broken, not_xlsx, read_capped,
    workbook_limit,
};
use crate::error::{Error, Result};

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;
type Xml<'z, 'b> = quick_xml::Reader<BufReader<Capped<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>>>;

/// The sheet named 题库, else the first sheet, of the workbook at `path`.
pub fn read(path: &Path) -> Result<Table> {
    let bytes = read_capped(path)?;
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(|_| not_xlsx(path))?;
    let mut book = Book {
        path,
        zip: &mut zip,
    };
    let workbook = book.workbook_part()?;
    let (sheet, id) = book.pick_sheet(&workbook)?;
    let (sheet_part, strings_part) = book.targets(&workbook, &id)?;
    let strings = match strings_part {
        Some(part) => book.shared_strings(&part)?,
        None => Vec::new(),
    };
    let rows = book.cells(&sheet_part, &strings)?;
    Ok(Table {
        sheet: Some(sheet),
        rows,
    })
}

/// The open workbook and the name its messages give it.
struct Book<'p, 'z, 'b> {
    path: &'p Path,
    zip: &'z mut Zip<'b>,
}

impl<'b> Book<'_, '_, 'b> {
    /// The part the package's relationships name as the workbook (`xl/workbook.xml`).
    fn workbook_part(&mut self) -> Result<String> {
        let mut found = None;
        if self.index("_rels/.rels").is_some() {
            self.relationships("_rels/.rels", |_, kind, target| {
                if kind.ends_with("/officeDocument") && found.is_none() {
                    found = Some(resolve("", target));
                }
            })?;
        }
        Ok(found.unwrap_or_else(|| "xl/workbook.xml".into()))
    }

    /// The name and relationship id of the sheet named 题库, else of the first sheet.
    fn pick_sheet(&mut self, workbook: &str) -> Result<(String, String)> {
        let path = self.path;
        let mut xml = self.open(workbook)?.ok_or_else(|| broken(path))?;
        let mut buf = Vec::new();
        let mut first = None;
        loop {
            match next(&mut xml, &mut buf, path, workbook)? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                    let name = attribute(&e, "name").unwrap_or_default();
                    let id = attribute(&e, "id").unwrap_or_default();
                    if name.trim() == "题库" {
                        return Ok((name, id));
                    }
                    first.get_or_insert((name, id));
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        first.ok_or_else(|| Error::usage(crate::msg!("import.no_sheets", path = path.display())))
    }

    /// The parts of the sheet with relationship `id` and of the shared strings, from the
    /// workbook's relationships (the usual places when it has none).
    fn targets(&mut self, workbook: &str, id: &str) -> Result<(String, Option<String>)> {
        let dir = workbook.rsplit_once('/').map_or("", |(d, _)| d);
        let file = workbook.rsplit_once('/').map_or(workbook, |(_, f)| f);
        let rels = format!(
            "{}_rels/{file}.rels",
            if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            }
        );
        let (mut sheet, mut strings) = (None, None);
        if self.index(&rels).is_some() {
            self.relationships(&rels, |rel, kind, target| {
                if rel == id && sheet.is_none() {
                    sheet = Some(resolve(dir, target));
                } else if kind.ends_with("/sharedStrings") && strings.is_none() {
                    strings = Some(resolve(dir, target));
                }
            })?;
        }
        let sheet = sheet.unwrap_or_else(|| resolve(dir, "worksheets/sheet1.xml"));
        let strings = strings.or_else(|| Some(resolve(dir, "sharedStrings.xml")));
        let strings = strings.filter(|p| self.index(p).is_some());
        Ok((sheet, strings))
    }

    /// Calls `each(id, type, target)` for every relationship in the part `name`.
    fn relationships(&mut self, name: &str, mut each: impl FnMut(&str, &str, &str)) -> Result<()> {
        let path = self.path;
        let mut xml = self.open(name)?.ok_or_else(|| broken(path))?;
        let mut buf = Vec::new();
        loop {
            match next(&mut xml, &mut buf, path, name)? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                    let get = |key: &str| attribute(&e, key).unwrap_or_default();
                    each(&get("Id"), &get("Type"), &get("Target"));
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
            buf.clear();
        }
    }

    /// The shared-strings table: the text of each `<si>`, phonetic runs left out.
    fn shared_strings(&mut self, part: &str) -> Result<Vec<String>> {
        let path = self.path;
        let Some(mut xml) = self.open(part)? else {
            return Ok(Vec::new());
        };
        let mut buf = Vec::new();
        let mut strings = Vec::new();
        let mut text = Text::default();
        loop {
            let event = next(&mut xml, &mut buf, path, part)?;
            match &event {
                Event::Start(e) if e.local_name().as_ref() == "si" => text = Text::default(),
                Event::End(e) if e.local_name().as_ref() == "si" => {
                    if strings.len() == MAX_SHARED_STRINGS {
                        return Err(workbook_limit(path, None));
                    }
                    strings.push(excel_unescape(&std::mem::take(&mut text.value)));
                }
                Event::Empty(e) if e.local_name().as_ref() == "si" => {
                    if strings.len() == MAX_SHARED_STRINGS {
                        return Err(workbook_limit(path, None));
                    }
                    strings.push(String::new());
                }
                Event::Eof => return Ok(strings),
                _ => text.take(&event, path)?,
            }
            buf.clear();
        }
    }

    /// The cells of the sheet part `part`, in a grid that refuses any beyond the limits.
    fn cells(&mut self, part: &str, strings: &[String]) -> Result<Vec<Vec<String>>> {
        let path = self.path;
        let mut xml = self.open(part)?.ok_or_else(|| broken(path))?;
        let mut grid = Grid::new(path);
        let mut at = Position::default();
        let mut cell: Option<Cell> = None;
        let mut buf = Vec::new();
        loop {
            let event = next(&mut xml, &mut buf, path, part)?;
            match &event {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "row" => {
                    at.start_row(attribute(e, "r").as_deref());
                }
                Event::Start(e) if e.local_name().as_ref() == "c" => {
                    let (row, column) = at.start_cell(attribute(e, "r").as_deref());
                    let kind = attribute(e, "t").unwrap_or_default();
                    cell = Some(Cell {
                        row,
                        column,
                        kind,
                        text: Text::default(),
                    });
                }
                Event::Empty(e) if e.local_name().as_ref() == "c" => {
                    at.start_cell(attribute(e, "r").as_deref());
                }
                Event::End(e) if e.local_name().as_ref() == "c" => {
                    if let Some(c) = cell.take() {
                        let (row, column) = (c.row, c.column);
                        let value = c.value(strings).ok_or_else(|| broken(path))?;
                        grid.put(row, column, value)?;
                    }
                }
                Event::Eof => return Ok(grid.into_rows()),
                _ => {
                    if let Some(c) = &mut cell {
                        c.text.take(&event, path)?;
                        grid.check_length(c.row, c.column, &c.text.value)?;
                    }
                }
            }
            buf.clear();
        }
    }

    /// The index of the part `name`, matched exactly or else ignoring case (as Excel does).
    fn index(&self, name: &str) -> Option<usize> {
        self.zip.index_for_name(name).or_else(|| {
            let mut names = self.zip.file_names();
            names.position(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
        })
    }

    /// The part `name` as XML events, unpacked through a reader that stops at the limit;
    /// `None` when the workbook has no such part.
    fn open(&mut self, name: &str) -> Result<Option<Xml<'_, 'b>>> {
        let Some(index) = self.index(name) else {
            return Ok(None);
        };
        let path = self.path;
        let file = self.zip.by_index(index).map_err(|_| broken(path))?;
        if file.size() > MAX_PART_MB << 20 {
            return Err(workbook_limit(path, Some(name)));
        }
        let capped = Capped {
            inner: file,
            left: MAX_PART_MB << 20,
        };
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(capped));
        let config = xml.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        Ok(Some(xml))
    }
}

/// The next event of a part; a part unpacking beyond the limit, or one that is no XML, is
/// named in the catalogue's words.
fn next<'a>(
    xml: &mut Xml<'_, '_>,
    buf: &'a mut Vec<u8>,
    path: &Path,
    part: &str,
) -> Result<Event<'a>> {
    xml.read_event_into(buf).map_err(|e| match e {
        quick_xml::Error::Io(io) if io.get_ref().is_some_and(|r| r.is::<PartTooLarge>()) => {
            workbook_limit(path, Some(part))
        }
        _ => broken(path),
    })
}

/// The value of attribute `key` (its local name: `r:id` is `id`), unescaped.
fn attribute(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// `target` of a relationship, as a part name: relative to `dir`, or from the package's root
/// when it starts with `/`; `..` steps up.
fn resolve(dir: &str, target: &str) -> String {
    let (base, target) = match target.strip_prefix('/') {
        Some(rest) => ("", rest),
        None => (dir, target),
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// More bytes than [`MAX_CELL_CHARS`] characters can take (four bytes at most each), so text
/// this long is known to be too long without keeping the rest.
const ENOUGH: usize = 4 * MAX_CELL_CHARS;

/// The text of `<t>` elements (in a shared string or an inline string) or of `<v>`, with
/// phonetic runs (`<rPh>`) left out.
#[derive(Default)]
struct Text {
    value: String,
    inside: bool,
    phonetic: bool,
}

impl Text {
    fn take(&mut self, event: &Event<'_>, path: &Path) -> Result<()> {
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" | "v" => self.inside = !self.phonetic,
                "rPh" => self.phonetic = true,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" | "v" => self.inside = false,
                "rPh" => self.phonetic = false,
                _ => {}
            },
            // Text past `ENOUGH` bytes is longer than any cell import reads: it is not kept.
            _ if self.value.len() > ENOUGH => {}
            Event::Text(t) if self.inside => self.value.push_str(&t.xml10_content()),
            Event::CData(t) if self.inside => self.value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if self.inside => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                        .and_then(|s| s.chars().next()),
                };
                self.value.push(c.ok_or_else(|| broken(path))?);
            }
            _ => {}
        }
        Ok(())
    }
}

/// A cell being read: where it is, its type (`t`) and its text so far.
struct Cell {
    row: usize,
    column: usize,
    kind: String,
    text: Text,
}

impl Cell {
    /// The cell as text, as Excel shows it (without number formats); `None` for a
    /// shared-string index the table does not have.
    fn value(self, strings: &[String]) -> Option<String> {
        let text = self.text.value;
        Some(match self.kind.as_str() {
            "s" => strings.get(text.trim().parse::<usize>().ok()?)?.clone(),
            "inlineStr" => excel_unescape(&text),
            "b" => (text.trim() == "1").to_string(),
            "str" | "e" | "d" => text,
            _ => match text.trim().parse::<f64>() {
                Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
                Ok(f) if f.is_finite() => format!("{f}"),
                _ => text,
            },
        })
    }
}

/// Where the next cell goes when a `<row>` or `<c>` does not say (0-based).
#[derive(Default)]
struct Position {
    row: usize,
    next_row: usize,
    next_column: usize,
}

impl Position {
    fn start_row(&mut self, r: Option<&str>) {
        self.row = r
            .and_then(|r| number(r.trim()))
            .map_or(self.next_row, |n| n.saturating_sub(1));
        self.next_row = self.row.saturating_add(1);
        self.next_column = 0;
    }

    /// The cell's row and column: from its reference (`B7`), else the next in its row.
    fn start_cell(&mut self, r: Option<&str>) -> (usize, usize) {
        let (row, column) = r
            .and_then(reference)
            .unwrap_or((self.row, self.next_column));
        self.next_column = column.saturating_add(1);
        (row, column)
    }
}

/// `B7` (or `$B$7`) → 0-based (row 6, column 1); numbers past any sheet's size saturate.
fn reference(r: &str) -> Option<(usize, usize)> {
    let r = r.trim().replace('$', "");
    let split = r.find(|c: char| !c.is_ascii_alphabetic())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() {
        return None;
    }
    let column = letters.bytes().fold(0usize, |n, b| {
        n.saturating_mul(26)
            .saturating_add(usize::from(b.to_ascii_uppercase() - b'A') + 1)
    });
    Some((number(digits)?.saturating_sub(1), column - 1))
}

/// Decimal digits as a number, saturating (no sheet has that many rows anyway).
fn number(digits: &str) -> Option<usize> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.bytes().fold(0usize, |n, b| {
        n.saturating_mul(10).saturating_add(usize::from(b - b'0'))
    }))
}

/// Excel's escapes for characters XML cannot hold: `_x000D_` is a UTF-16 unit (a pair makes a
/// character beyond the BMP), and `_x005F_` escapes the `_` of a literal `_x…_`.
fn excel_unescape(text: &str) -> String {
    if !text.contains("_x") {
        return text.to_owned();
    }
    let mut units: Vec<u16> = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("_x") {
        units.extend(rest[..at].encode_utf16());
        let code = rest
            .get(at + 2..at + 7)
            .filter(|c| c.ends_with('_') && c.as_bytes()[..4].iter().all(u8::is_ascii_hexdigit));
        match code.and_then(|c| u16::from_str_radix(&c[..4], 16).ok()) {
            Some(unit) => {
                units.push(unit);
                rest = &rest[at + 7..];
            }
            None => {
                units.extend("_x".encode_utf16());
                rest = &rest[at + 2..];
            }
        }
    }
    units.extend(rest.encode_utf16());
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// A part unpacked beyond [`MAX_PART_MB`].
#[derive(Debug)]
struct PartTooLarge;

impl std::fmt::Display for PartTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("part too large")
    }
}

impl std::error::Error for PartTooLarge {}

/// Reads `inner` until `left` bytes have come, then fails with [`PartTooLarge`].
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                self.left = left;
                Ok(n)
            }
            None => Err(std::io::Error::other(PartTooLarge)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_positions() {
        assert_eq!(reference("A1"), Some((0, 0)));
        assert_eq!(reference("$XFD$1048576"), Some((1_048_575, 16_383)));
        assert_eq!(reference("1A"), None);
        assert_eq!(reference("A"), None);
        assert!(reference("ZZZZZZZZZZZZZZZZZZZZ99999999999999999999999").is_some());
        let mut at = Position::default();
        at.start_row(None);
        assert_eq!(at.start_cell(None), (0, 0));
        assert_eq!(at.start_cell(Some("C1")), (0, 2));
        assert_eq!(at.start_cell(None), (0, 3));
        at.start_row(Some("5"));
        assert_eq!(at.start_cell(None), (4, 0));
        at.start_row(None);
        assert_eq!(at.start_cell(Some("bad")), (5, 0));
    }

    #[test]
    fn targets_resolve_like_paths() {
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl", "/xl/sharedStrings.xml"),
            "xl/sharedStrings.xml"
        );
        assert_eq!(
            resolve("xl/sub", "../worksheets/a.xml"),
            "xl/worksheets/a.xml"
        );
        assert_eq!(resolve("", "../../x"), "x");
    }

    #[test]
    fn excel_escapes() {
        assert_eq!(excel_unescape("a_x000D_b"), "a\rb");
        assert_eq!(excel_unescape("_x005F_x000D_"), "_x000D_");
        assert_eq!(excel_unescape("_xD83D__xDE00_"), "😀");
        assert_eq!(excel_unescape("_xD83D_"), "\u{FFFD}");
        assert_eq!(excel_unescape("_x12"), "_x12");
        assert_eq!(excel_unescape("变量_x名_"), "变量_x名_");
    }
}
