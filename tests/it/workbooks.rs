//! Hostile spreadsheets for the import tests and the fuzz loop: `.xlsx` workbooks built part by
//! part (with parts that lie about their size, and deflate bombs made without unpacking them),
//! and `qinglian quiz import` run in a child whose peak memory is measured through `wait4`,
//! under an address-space limit so a regression fails the test instead of the machine.

use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// How a part is stored in a workbook.
pub enum Part {
    /// Deflated by the zip writer.
    Text(String),
    /// A deflate stream unpacking to `prefix`, `pattern` repeated `count` times, then `suffix`;
    /// the central directory says it unpacks to `declared` bytes.
    Bomb {
        prefix: String,
        pattern: String,
        count: u64,
        suffix: String,
        declared: u64,
    },
}

pub const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#;
pub const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
pub const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="题库" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
pub const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
pub const SHEET: &str = "xl/worksheets/sheet1.xml";
pub const STRINGS: &str = "xl/sharedStrings.xml";

/// A worksheet part holding `rows` (`<row>` elements) in its sheet data.
pub fn sheet(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    )
}

/// An inline-string cell.
pub fn cell(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The header row 题干, 答案 and one question under it, as rows 1 and 2.
pub fn bank_rows() -> String {
    format!(
        r#"<row r="1">{}{}</row><row r="2">{}{}</row>"#,
        cell("A1", "题干"),
        cell("B1", "答案"),
        cell("A2", "《九项准则》共有（ ）条。"),
        cell("B2", "九")
    )
}

/// The parts every workbook here has besides its sheet and shared strings.
pub const USUAL: [&str; 4] = [
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
];

/// A workbook of the [`USUAL`] parts plus `parts` (the sheet, shared strings); every part but
/// bombs deflated.
pub fn workbook(parts: Vec<(&str, Part)>) -> Vec<u8> {
    let texts = [CONTENT_TYPES, RELS, WORKBOOK, WORKBOOK_RELS];
    let mut all: Vec<(&str, Part)> = (USUAL.iter().zip(texts))
        .map(|(name, text)| (*name, Part::Text(text.into())))
        .collect();
    all.extend(parts);
    if all.iter().any(|(_, p)| matches!(p, Part::Bomb { .. })) {
        return raw_zip(&all);
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (name, part) in &all {
        if let Part::Text(text) = part {
            zip.start_file(*name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
    }
    zip.finish().unwrap().into_inner()
}

/// A zip written by hand: text parts stored, bombs as their deflate stream with the size
/// they declare; local headers, central directory and its end.
fn raw_zip(parts: &[(&str, Part)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, part) in parts {
        let (method, data, crc, size) = match part {
            Part::Text(t) => (
                0u16,
                t.as_bytes().to_vec(),
                crc32(t.as_bytes(), (b"", 0), b""),
                t.len() as u64,
            ),
            Part::Bomb {
                prefix,
                pattern,
                count,
                suffix,
                declared,
            } => {
                let parts = [prefix.as_bytes(), pattern.as_bytes(), suffix.as_bytes()];
                let size = (parts[0].len() + parts[2].len()) as u64 + parts[1].len() as u64 * count;
                // A checksum for parts read to their end; bombs are refused long before.
                let crc = match size < 100 << 20 {
                    true => crc32(parts[0], (parts[1], *count), parts[2]),
                    false => 0,
                };
                let data = deflate_run(parts[0], parts[1], *count, parts[2]);
                (8, data, crc, *declared)
            }
        };
        let offset = out.len() as u32;
        let fields = |head: &mut Vec<u8>| {
            head.extend(20u16.to_le_bytes()); // version needed
            head.extend(0u16.to_le_bytes()); // flags
            head.extend(method.to_le_bytes());
            head.extend([0u8; 4]); // time and date
            head.extend(crc.to_le_bytes());
            head.extend((data.len() as u32).to_le_bytes());
            head.extend((size.min(u64::from(u32::MAX)) as u32).to_le_bytes());
            head.extend((name.len() as u16).to_le_bytes());
            head.extend(0u16.to_le_bytes()); // extra field length
        };
        out.extend(b"PK\x03\x04");
        fields(&mut out);
        out.extend(name.as_bytes());
        out.extend(&data);
        central.extend(b"PK\x01\x02");
        central.extend(20u16.to_le_bytes()); // version made by
        fields(&mut central);
        central.extend([0u8; 8]); // comment length, disk, internal and external attributes
        central.extend([0u8; 2]);
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let start = out.len() as u32;
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]); // disk numbers
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// A deflate stream (one block, fixed codes) of `prefix`, `pattern` × `count`, `suffix`: the
/// run is the pattern once and then matches of 258 bytes reaching back one pattern, 13 to 16
/// bits each, so a gigabyte costs a few megabytes and no time to make.
pub fn deflate_run(prefix: &[u8], pattern: &[u8], count: u64, suffix: &[u8]) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.put(1, 1); // the last block
    bits.put(1, 2); // fixed codes
    let literal = |bits: &mut Bits, b: u8| match b {
        0..=143 => bits.code(0x30 + u32::from(b), 8),
        _ => bits.code(0x190 + u32::from(b) - 144, 9),
    };
    for &b in prefix {
        literal(&mut bits, b);
    }
    if count > 0 {
        for &b in pattern {
            literal(&mut bits, b);
        }
        let p = pattern.len() as u64;
        let mut left = p * (count - 1);
        while left >= 258 {
            bits.code(0xC5, 8); // length 258
            bits.distance(pattern.len() as u32);
            left -= 258;
        }
        let done = p * (count - 1) - left;
        for i in 0..left {
            literal(&mut bits, pattern[((done + i) % p) as usize]);
        }
    }
    for &b in suffix {
        literal(&mut bits, b);
    }
    bits.code(0, 7); // end of block
    bits.bytes
}

/// Bits packed least significant first, as deflate reads them.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    /// Bits used of the last byte, 0 to 7 (0: a new byte is needed).
    used: u32,
}

impl Bits {
    /// `n` bits of `value`, lowest first (header fields).
    fn put(&mut self, value: u32, n: u32) {
        for i in 0..n {
            if self.used == 0 {
                self.bytes.push(0);
            }
            let bit = ((value >> i) & 1) as u8;
            *self.bytes.last_mut().unwrap() |= bit << self.used;
            self.used = (self.used + 1) % 8;
        }
    }

    /// Distance `d` (1 to 32768): its 5-bit code, then its extra bits.
    fn distance(&mut self, d: u32) {
        if d <= 4 {
            return self.code(d - 1, 5);
        }
        let extra = (d - 1).ilog2() - 1;
        self.code(2 * extra + 2 + (((d - 1) >> extra) & 1), 5);
        self.put((d - 1) & ((1 << extra) - 1), extra);
    }

    /// A Huffman code of `n` bits, highest first.
    fn code(&mut self, code: u32, n: u32) {
        let reversed = (0..n).fold(0, |r, i| (r << 1) | ((code >> i) & 1));
        self.put(reversed, n);
    }
}

/// The CRC-32 of `head`, the pattern repeated, and `tail`, as zip checks it.
fn crc32(head: &[u8], (pattern, count): (&[u8], u64), tail: &[u8]) -> u32 {
    let table: Vec<u32> = (0..256u32)
        .map(|n| {
            (0..8).fold(n, |c, _| match c & 1 {
                1 => (c >> 1) ^ 0xEDB8_8320,
                _ => c >> 1,
            })
        })
        .collect();
    let step = |crc: u32, b: &u8| table[((crc ^ u32::from(*b)) & 0xFF) as usize] ^ (crc >> 8);
    let mut crc = head.iter().fold(!0u32, step);
    for _ in 0..count {
        crc = pattern.iter().fold(crc, step);
    }
    !tail.iter().fold(crc, step)
}

/// How a measured run of the binary ended.
pub struct Measured {
    /// The exit code, or `None` when a signal ended it (an allocation refused by the limit).
    pub code: Option<i32>,
    pub stderr: String,
    /// Peak resident memory, from `wait4`.
    pub max_rss_mb: f64,
}

/// The address space a measured run may use: far above what import needs (under 100 MB), far
/// below what the attacks cost before they were closed (gigabytes).
pub const ADDRESS_SPACE: u64 = 1 << 30;

/// Runs `qinglian quiz import FILE -o -` in English, limited to [`ADDRESS_SPACE`] and a minute
/// of CPU time, and measures its peak memory.
pub fn import_measured(file: &Path) -> Measured {
    import_measured_in(file, "en")
}

pub fn import_measured_in(file: &Path, lang: &str) -> Measured {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qinglian"));
    cmd.args([
        "quiz",
        "import",
        file.to_str().unwrap(),
        "-o",
        "-",
        "--lang",
        lang,
    ])
    .env("NO_COLOR", "1")
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe and touches only the child being started.
    unsafe {
        cmd.pre_exec(|| {
            let limit = |resource, value| {
                let l = libc::rlimit {
                    rlim_cur: value,
                    rlim_max: value,
                };
                libc::setrlimit(resource, &l)
            };
            limit(libc::RLIMIT_AS, ADDRESS_SPACE as libc::rlim_t);
            limit(libc::RLIMIT_CPU, 60);
            Ok(())
        });
    }
    // wait4 below reaps the child, which clippy cannot see.
    #[allow(clippy::zombie_processes)]
    let mut child = cmd.spawn().expect("start qinglian");
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).map(|_| text)
    });
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; the pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    Measured {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        stderr: reader.join().unwrap().unwrap_or_default(),
        max_rss_mb: usage.ru_maxrss as f64 / 1024.0,
    }
}

/// A part that unpacks to `prefix`, `pattern` × `count` and `suffix`, declaring `declared`
/// bytes (its true size when `None`).
pub fn bomb(prefix: &str, pattern: &str, count: u64, suffix: &str, declared: Option<u64>) -> Part {
    let size = (prefix.len() + suffix.len()) as u64 + pattern.len() as u64 * count;
    Part::Bomb {
        prefix: prefix.into(),
        pattern: pattern.into(),
        count,
        suffix: suffix.into(),
        declared: declared.unwrap_or(size),
    }
}

#[test]
fn a_deflate_run_unpacks_to_what_it_says() {
    use std::io::Read as _;
    for (pattern, count) in [
        (" ", 100_000),
        ("<si/>", 77_777),
        ("<si></si>", 3),
        ("ab", 1),
    ] {
        let bytes = workbook(vec![("x.xml", bomb("<a>", pattern, count, "</a>", None))]);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut file = zip.by_name("x.xml").unwrap();
        let want = format!("<a>{}</a>", pattern.repeat(count as usize));
        assert_eq!(file.size(), want.len() as u64);
        // The part carries no true CRC, so reading ends in an error; the bytes are there.
        let mut read = Vec::new();
        let _ = file.read_to_end(&mut read);
        assert!(read == want.as_bytes(), "{pattern} × {count}");
    }
    let gigabyte = deflate_run(b"", b" ", 1 << 30, b"");
    assert!(gigabyte.len() < 7 << 20, "{}", gigabyte.len());
}
