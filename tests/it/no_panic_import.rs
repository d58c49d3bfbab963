//! Bad spreadsheets never panic `quiz import`, and never cost more than its limits: real
//! `.xlsx` and `.csv` files written by `quiz export` (and the fixtures from exam systems), cut
//! and spliced byte by byte, rebuilt part by part with hostile XML, and hostile workbooks made
//! from scratch (huge dimensions, bombs, broken XML), under the fuzz loop of [`crate::no_panic`].

use std::io::{Read as _, Write as _};
use std::path::Path;

use qinglian::cmd::quiz_sheet;
use qinglian::export::bank::{self, Encoding, ExportBank, Format};

use crate::no_panic::{Lcg, budget, seed};
use crate::workbooks::{self, Part};

/// XML an attacker or a broken program may put in a workbook's parts.
const XML_SPLICES: &[&str] = &[
    r#"<c r="XFD1048576"><v>1</v></c>"#,
    r#"<row r="1048577"><c r="A1048577" t="s"><v>0</v></c></row>"#,
    r#"<row r="99999999999999999999999">"#,
    r#"<c r="ZZZZZZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c>"#,
    r#"<c t="s"><v>4294967296</v></c>"#,
    r#"<c t="s"><v>-1</v></c>"#,
    r#"<c t="b"><v>2</v></c>"#,
    r#"<c><v>1e400</v></c>"#,
    r#"<c><v>NaN</v></c>"#,
    r#"<c t="e"><v>#N/A</v></c>"#,
    "&#0;",
    "&#xD800;",
    "&bogus;",
    "&",
    "<![CDATA[",
    "]]>",
    r#"<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>"#,
    "&b;",
    "_xD800_",
    "_x0000_",
    "_x005F_x000D_",
    r#"<t xml:space="preserve">"#,
    "</t>",
    "<rPh><t>ふり</t></rPh>",
    "</si>",
    "<si>",
    "</sheetData>",
    "<sheetData>",
    "<is>",
    "<r><t>",
    "\u{0}",
    "\u{FFFF}",
    "<c/>",
    "<row/>",
    r#" uniqueCount="100000000000""#,
    r#" r="""#,
    r#"<x:c r="B2" xmlns:x="urn:x" t="inlineStr"><x:is><x:t>ns</x:t></x:is></x:c>"#,
    r#"<sheet name="题库" r:id="rId9"/>"#,
    r#"<Relationship Id="rId1" Type="x/worksheet" Target="../../../etc/passwd"/>"#,
    r#"Target="/xl/worksheets/sheet1.xml""#,
];

/// What a CSV may hold that a careful reader must survive.
const CSV_SPLICES: &[&str] = &[
    "\"",
    ",",
    "\n",
    "\r\n",
    "\r",
    "'=1+1",
    "''=x",
    "\u{FEFF}",
    "\u{0}",
    "\"\"\"",
    "题干,答案\n",
];

/// The files `quiz export` writes for the example banks and the test banks, and the exam
/// systems' files of the fixtures: (file name ending, bytes).
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for bank_file in [
        "content/quizzes/nine-principles.md",
        "content/quizzes/patient-relations.md",
        "tests/fixtures/quiz/every-type.md",
        "tests/fixtures/quiz/hostile.md",
    ] {
        let bytes = std::fs::read(repo.join(bank_file)).unwrap();
        let file = qinglian::source::split("quizzes/x.md".into(), bytes.as_slice()).unwrap();
        let (meta, parsed) = qinglian::kinds::quiz::parse_bank(&file).0.unwrap();
        let bank = ExportBank {
            title: meta.title,
            source: bank_file.into(),
            shuffle: true,
            questions: parsed.questions,
            basis_titles: Default::default(),
        };
        for (format, encoding, ext) in [
            (Format::Xlsx, Encoding::Utf8, "xlsx"),
            (Format::Csv, Encoding::Utf8, "csv"),
            (Format::Csv, Encoding::Gbk, "csv"),
        ] {
            out.push((ext, bank::write(&bank, format, encoding).unwrap().bytes));
        }
    }
    for name in [
        "bank.xlsx",
        "bank-bad.xlsx",
        "bank-gbk.csv",
        "bank-utf8-bom.csv",
    ] {
        let bytes = std::fs::read(repo.join("tests/fixtures/quiz").join(name)).unwrap();
        let ext = if name.ends_with("xlsx") {
            "xlsx"
        } else {
            "csv"
        };
        out.push((ext, bytes));
    }
    out
}

/// Bytes cut, spliced or changed at random.
fn mutate_bytes(bytes: &[u8], splices: &[&str], rng: &mut Lcg) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    for _ in 0..1 + rng.next(3) {
        match rng.next(4) {
            0 => bytes.truncate(rng.next(bytes.len() + 1)),
            1 | 2 => {
                let at = rng.next(bytes.len() + 1);
                let splice = splices[rng.next(splices.len())].as_bytes();
                bytes.splice(at..at, splice.iter().copied());
            }
            _ => {
                if !bytes.is_empty() {
                    let at = rng.next(bytes.len());
                    bytes[at] = rng.next(256) as u8;
                }
            }
        }
    }
    bytes
}

/// The parts of a zip archive (none when it is no archive).
fn parts_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Vec::new();
    };
    (0..zip.len())
        .filter_map(|i| {
            let mut file = zip.by_index(i).ok()?;
            let mut data = Vec::new();
            file.read_to_end(&mut data).ok()?;
            Some((file.name().ok()?.into_owned(), data))
        })
        .collect()
}

/// The parts zipped again, deflated or stored.
fn zip_parts(parts: &[(String, Vec<u8>)], rng: &mut Lcg) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = match rng.next(2) {
        0 => zip::CompressionMethod::Deflated,
        _ => zip::CompressionMethod::Stored,
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, data) in parts {
        if zip.start_file(name.as_str(), options).is_ok() {
            let _ = zip.write_all(data);
        }
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// A workbook changed part by part: one part's XML spliced, renamed, dropped, doubled, or
/// swapped for a bomb that tells the truth about its size or lies about it.
fn mutate_parts(bytes: &[u8], rng: &mut Lcg) -> Vec<u8> {
    let mut parts = parts_of(bytes);
    if parts.is_empty() {
        return bytes.to_vec();
    }
    let i = rng.next(parts.len());
    match rng.next(8) {
        0 => parts[i].0 = parts[i].0.to_uppercase(),
        1 => {
            parts.remove(i);
        }
        2 => parts.push(parts[i].clone()),
        3 => {
            let name = parts[i].0.as_str();
            let others: Vec<(&str, Part)> = (parts.iter())
                .filter(|(n, _)| n != name && !workbooks::USUAL.contains(&n.as_str()))
                .map(|(n, d)| {
                    (
                        n.as_str(),
                        Part::Text(String::from_utf8_lossy(d).into_owned()),
                    )
                })
                .collect();
            return bomb_instead(name, others, rng);
        }
        _ => {
            let text = mutate_bytes(&parts[i].1, XML_SPLICES, rng);
            parts[i].1 = text;
        }
    }
    zip_parts(&parts, rng)
}

/// A workbook of `others` and a bomb called `name`: up to 200 MB of spaces or shared
/// strings, declaring its true size, less, or more.
fn bomb_instead<'a>(name: &'a str, mut others: Vec<(&'a str, Part)>, rng: &mut Lcg) -> Vec<u8> {
    let count = 1u64 << (20 + rng.next(8));
    let pattern = ["  ", "<si/>", "<row/>", "<c/>"][rng.next(4)];
    let size = count * pattern.len() as u64;
    let declared = match rng.next(3) {
        0 => None,
        1 => Some(rng.next(1000) as u64),
        _ => Some(size * 4),
    };
    let full = workbooks::sheet("");
    let (head, tail) = full.split_at(full.find("</sheetData>").unwrap());
    others.push((name, workbooks::bomb(head, pattern, count, tail, declared)));
    workbooks::workbook(others)
}

/// A workbook made from scratch: random cells at random (often huge) places, of random types,
/// with text from the splices.
fn generated(rng: &mut Lcg) -> Vec<u8> {
    let mut rows = String::new();
    for _ in 0..1 + rng.next(40) {
        let row = match rng.next(4) {
            0 => 1 + rng.next(1_048_576),
            _ => 1 + rng.next(30),
        };
        let column = match rng.next(4) {
            0 => rng.next(16_384),
            _ => rng.next(20),
        };
        let reference = format!("{}{row}", quiz_sheet::column_letter(column));
        let kind = ["s", "inlineStr", "n", "b", "e", "str", "d", "x"][rng.next(8)];
        let text = XML_SPLICES[rng.next(XML_SPLICES.len())].replace(['<', '>', '&'], "_");
        rows.push_str(&format!(
            r#"<row r="{row}"><c r="{reference}" t="{kind}"><v>{}</v><is><t>{text}</t></is></c></row>"#,
            rng.next(10)
        ));
    }
    let strings = format!(
        r#"<sst uniqueCount="{}"><si><t>题干</t></si><si><t>答案</t></si></sst>"#,
        rng.next(usize::MAX)
    );
    workbooks::workbook(vec![
        (workbooks::SHEET, Part::Text(workbooks::sheet(&rows))),
        (workbooks::STRINGS, Part::Text(strings)),
    ])
}

/// Imports `path` in this process: the bank text parses, and a failure is a catalogue message.
fn import_in_process(path: &Path) {
    match qinglian::cmd::quiz::convert_file(path, "题库") {
        Ok((text, _diags)) => {
            if !text.is_empty() {
                let file = qinglian::source::split("quizzes/x.md".into(), text.as_bytes());
                let file = file.unwrap_or_else(|d| panic!("{d:?}\n{text}"));
                let _ = qinglian::kinds::quiz::parse_bank(&file);
            }
        }
        Err(qinglian::Error::Usage(m)) => {
            assert!(
                m.key().starts_with("import.") || m.key() == "error.hinted",
                "{m}"
            );
            assert!(m.contains(&*path.to_string_lossy()), "{m}");
        }
        Err(other) => panic!("not a catalogue message: {other}"),
    }
}

/// Peak memory any run may reach: a bomb stops at 64 MB of one part.
const BOUND_MB: f64 = 200.0;

/// Every input through `quiz import` in this process (no panic, a catalogue message), and
/// every 20th, each generated one and each bomb also in a child whose peak memory is measured
/// (bounded, ended by no signal). `QINGLIAN_FUZZ_SECONDS` runs it for that long.
#[test]
fn mutated_and_hostile_spreadsheets_never_panic() {
    let seeds = seeds();
    let dir = tempfile::tempdir().unwrap();
    let (deadline, rounds) = budget();
    let started = std::time::Instant::now();
    let mut rng = Lcg(seed());
    let (mut runs, mut children, mut peak) = (0usize, 0usize, 0f64);
    while runs < rounds.saturating_mul(4) && deadline.is_none_or(|d| started.elapsed() < d) {
        let (ext, original) = &seeds[rng.next(seeds.len())];
        let how = rng.next(10);
        let (ext, bytes) = match (*ext, how) {
            ("xlsx", 0..=3) => ("xlsx", mutate_parts(original, &mut rng)),
            ("xlsx", 4) => ("xlsx", generated(&mut rng)),
            ("xlsx", _) => ("xlsx", mutate_bytes(original, XML_SPLICES, &mut rng)),
            (_, _) => ("csv", mutate_bytes(original, CSV_SPLICES, &mut rng)),
        };
        let path = dir.path().join(format!("input-{runs}.{ext}"));
        std::fs::write(&path, &bytes).unwrap();
        let outcome = std::panic::catch_unwind(|| import_in_process(&path));
        if let Err(panic) = outcome {
            let kept =
                Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/fuzz-{runs}.{ext}"));
            let _ = std::fs::write(&kept, &bytes);
            eprintln!("input kept in {} (seed {})", kept.display(), seed());
            std::panic::resume_unwind(panic);
        }
        let big = bytes.len() > 1 << 20 || how == 4;
        if runs % 20 == 0 || big {
            let m = workbooks::import_measured(&path);
            assert!(
                matches!(m.code, Some(0..=2)) && !m.stderr.contains("panicked"),
                "{}: exit {:?}\n{}",
                path.display(),
                m.code,
                m.stderr
            );
            assert!(
                m.max_rss_mb < BOUND_MB,
                "{}: {:.0} MB",
                path.display(),
                m.max_rss_mb
            );
            peak = peak.max(m.max_rss_mb);
            children += 1;
        }
        let _ = std::fs::remove_file(&path);
        runs += 1;
    }
    eprintln!(
        "no_panic: {runs} mutated and hostile spreadsheets imported in {:.1?} ({children} in a child, peak {peak:.0} MB)",
        started.elapsed()
    );
    assert!(runs >= 240 || deadline.is_some(), "only {runs} runs");
}
