//! The files the index is made as: `.js` files that hand their payload to
//! `QL_SEARCH.add(name, data)` (so `<script>` can load them from file:// too), published as
//! such or as their JSON payload ([`Form`]), the posting list encoding, and the JSON string
//! writer they share.

/// 64 characters that need no escaping in a JSON string; a character's position is its value.
pub const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Added (times the query's summed idf) when every token is in the title: what a posting's
/// title bit is worth to the ranking (the query's and the tiered lists' alike).
pub const TITLE_BONUS: f64 = 10.0;

/// Where the index lives in the site output, and its file names.
pub const DIR: &str = "search";

/// Bumped when the file format changes; the script refuses an index of another version.
pub const VERSION: u32 = 3;

/// Document files per folder of `search/d/`: a folder never holds more than this many, so a
/// site of any size copies to a FAT32 stick (at most 65,534 entries a folder).
pub const DOCS_PER_FOLDER: u32 = 1000;

/// The path (relative to the site output) of the file that registers as `name`:
/// `meta` → `search/meta.js`, `t17` → `search/t/17.js`, `d12345` → `search/d/12/345.js`
/// (document 12345, in folder 12 of [`DOCS_PER_FOLDER`]).
pub fn path_of(name: &str) -> String {
    let doc = name.strip_prefix('d').and_then(|id| id.parse::<u32>().ok());
    match (doc, name.split_at_checked(1)) {
        (Some(id), _) => format!(
            "{DIR}/d/{}/{}.js",
            id / DOCS_PER_FOLDER,
            id % DOCS_PER_FOLDER
        ),
        (None, Some(("t", rest))) => format!("{DIR}/t/{rest}.js"),
        _ => format!("{DIR}/{name}.js"),
    }
}

/// The name and path of document `id`'s file (`d12345`, `search/d/12/345.js`), as
/// [`path_of`] gives the path from the name, made digit by digit (one a document of the site).
pub fn doc_file(id: u32) -> (String, String) {
    let mut name = String::with_capacity(11);
    name.push('d');
    push_decimal(&mut name, id);
    let mut path = String::with_capacity(DIR.len() + 18);
    path.push_str(DIR);
    path.push_str("/d/");
    push_decimal(&mut path, id / DOCS_PER_FOLDER);
    path.push('/');
    push_decimal(&mut path, id % DOCS_PER_FOLDER);
    path.push_str(".js");
    (name, path)
}

/// Appends `n` in decimal.
fn push_decimal(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// Wraps a JSON payload into the script that registers it.
pub fn wrap(name: &str, json: &str) -> Vec<u8> {
    let mut out = begin(name, json.len());
    out.extend_from_slice(json.as_bytes());
    end(out)
}

/// Starts the script that registers `name`; append the JSON payload, then call [`end`].
pub fn begin(name: &str, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity + name.len() + 24);
    out.extend_from_slice(b"QL_SEARCH.add(\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\",");
    out
}

/// Ends a script started by [`begin`], giving back the room it did not use (a large index
/// holds thousands of these).
pub fn end(mut out: Vec<u8>) -> Vec<u8> {
    out.extend_from_slice(b");\n");
    out.shrink_to_fit();
    out
}

/// How the index is published. A site on a server gets plain JSON data (`search/t/3.json`)
/// that the search page reads with XMLHttpRequest: another website's page may run a script
/// it includes from the site, but cannot read data it fetches from it, so the index of a staff
/// site cannot be read by other websites. A `--relative` build, opened from disk where
/// XMLHttpRequest cannot read files, gets the self-registering scripts (`search/t/3.js`); web
/// pages cannot load `file://` scripts at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Data,
    Scripts,
}

impl Form {
    /// The form of a build whose links are relative (`relative`) or not.
    pub fn of(relative: bool) -> Form {
        if relative { Form::Scripts } else { Form::Data }
    }

    /// The published path of a file the index made as `path` (`search/t/3.js`).
    pub fn path(self, path: &str) -> String {
        match (self, path.strip_suffix(".js")) {
            (Form::Data, Some(stem)) => [stem, ".json"].concat(),
            _ => path.to_owned(),
        }
    }

    /// A file the index made, as published: the script as it is, or its JSON payload.
    pub fn publish(self, path: String, mut bytes: Vec<u8>) -> (String, Vec<u8>) {
        if self == Form::Scripts {
            return (path, bytes);
        }
        if let Some(json) = payload(&bytes) {
            bytes.truncate(json.end);
            bytes.drain(..json.start);
        }
        (self.path(&path), bytes)
    }
}

/// Where the JSON payload lies in a file [`end`] finished, found from its ASCII frame alone:
/// the bytes were made here, so they need no UTF-8 check (as [`unwrap`] gives a reader).
fn payload(bytes: &[u8]) -> Option<std::ops::Range<usize>> {
    const START: &[u8] = b"QL_SEARCH.add(\"";
    let rest = bytes.strip_prefix(START)?;
    let name = memchr::memchr(b'"', rest)?;
    rest.get(name + 1).filter(|&&b| b == b',')?;
    let start = START.len() + name + 2;
    let end = bytes.len().checked_sub(3).filter(|&e| e >= start)?;
    (&bytes[end..] == b");\n").then_some(start..end)
}

/// The shard of a term whose [`hash`](super::tokenize::hash) is `h`, among `shards`:
/// `h * shards / 2^32`, which the script computes exactly in doubles.
pub fn shard_of_hash(h: u32, shards: u32) -> u32 {
    ((u64::from(h) * u64::from(shards)) >> 32) as u32
}

/// The JSON payload of a file written by [`wrap`], or `None` if it is not one.
pub fn unwrap(bytes: &[u8]) -> Option<(&str, &str)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix("QL_SEARCH.add(\"")?;
    let (name, rest) = rest.split_once("\",")?;
    let json = rest.trim_end().strip_suffix(");")?;
    Some((name, json))
}

/// Appends `s` as a JSON string literal that is also a valid ES5 string literal
/// (U+2028 and U+2029 are escaped: old engines reject them raw). Copies runs of plain bytes.
pub fn push_json_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    match has_control(bytes) {
        true => push_json_escaping(out, bytes),
        false => push_json_plain(out, bytes),
    }
}

/// [`push_json_str`] of any bytes, eight at a time while none needs a look.
fn push_json_escaping(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    let mut plain = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none of them needs a look.
        while let Some(word) = bytes.get(i..i + 8) {
            let v = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
            if needs_look(v) {
                break;
            }
            i += 8;
        }
        let Some(&b) = bytes.get(i) else { break };
        let line_sep = b == 0xE2
            && bytes.get(i + 1) == Some(&0x80)
            && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9));
        if b >= 0x20 && b != b'"' && b != b'\\' && !line_sep {
            i += 1;
            continue;
        }
        out.extend_from_slice(&bytes[plain..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0xE2 => out.extend_from_slice(if bytes[i + 2] == 0xA8 {
                b"\\u2028"
            } else {
                b"\\u2029"
            }),
            _ => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
        }
        i += if b == 0xE2 { 3 } else { 1 };
        plain = i;
    }
    out.extend_from_slice(&bytes[plain..]);
    out.push(b'"');
}

/// Whether `bytes` holds a control character (below U+0020): looked for a block at a time,
/// without stopping at the first, so that the compiler compares whole blocks at once.
fn has_control(bytes: &[u8]) -> bool {
    (bytes.chunks(64)).any(|block| block.iter().fold(false, |any, &b| any | (b < 0x20)))
}

/// [`push_json_str`] of bytes with no control character: only `"`, `\\` and the lead byte
/// 0xE2 of U+2028 and U+2029 are looked at, found by memchr's search for any of three bytes.
fn push_json_plain(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    let mut plain = 0;
    for at in memchr::memchr3_iter(b'"', b'\\', 0xE2, bytes) {
        let escaped: &[u8] = match (bytes[at], bytes.get(at + 1..at + 3)) {
            (b'"', _) => b"\\\"",
            (b'\\', _) => b"\\\\",
            (_, Some([0x80, 0xA8])) => b"\\u2028",
            (_, Some([0x80, 0xA9])) => b"\\u2029",
            _ => continue,
        };
        out.extend_from_slice(&bytes[plain..at]);
        out.extend_from_slice(escaped);
        plain = at + if bytes[at] == 0xE2 { 3 } else { 1 };
    }
    out.extend_from_slice(&bytes[plain..]);
    out.push(b'"');
}

/// Whether any of eight bytes is a control character, `"`, `\\` or 0xE2 (which starts
/// U+2028 and U+2029, but also “”…, so it is only a reason to look closer).
fn needs_look(v: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    let below_space = v.wrapping_sub(ONES * 0x20) & !v & HIGH != 0;
    below_space
        || zero_byte(v ^ (ONES * 0x22))
        || zero_byte(v ^ (ONES * 0x5C))
        || zero_byte(v ^ (ONES * 0xE2))
}

/// Appends `n` in base 32, most significant digit first; every digit but the last is marked
/// by adding 32 (so it reads back without separators).
pub fn push_varint(out: &mut Vec<u8>, n: u32) {
    let mut shift = 0;
    while shift < 30 && n >> (shift + 5) > 0 {
        shift += 5;
    }
    while shift > 0 {
        out.push(ALPHABET[(32 + ((n >> shift) & 31)) as usize]);
        shift -= 5;
    }
    out.push(ALPHABET[(n & 31) as usize]);
}

/// Writes `n` as [`push_varint`] does into the start of `buf` (seven bytes are enough);
/// returns the bytes written.
pub fn write_varint(buf: &mut [u8], n: u32) -> usize {
    let mut digits = 1;
    while digits < 7 && n >> (5 * digits) > 0 {
        digits += 1;
    }
    for (i, b) in buf.iter_mut().take(digits).enumerate() {
        let d = (n >> (5 * (digits - 1 - i))) & 31;
        *b = ALPHABET[(d + if i + 1 < digits { 32 } else { 0 }) as usize];
    }
    digits
}

/// The value of an alphabet character, or `None`.
pub fn digit(b: u8) -> Option<u32> {
    let v = match b {
        b'0'..=b'9' => b - b'0',
        b'A'..=b'Z' => b - b'A' + 10,
        b'a'..=b'z' => b - b'a' + 36,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// One posting: a document and its value (bit 5: the term is in the title; bits 0–4: the
/// term's quantized BM25F weight in the document, 1–31).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub val: u8,
}

/// Appends a posting list, documents ascending: the gap to the previous document (minus one)
/// as a varint, then the value as one character.
pub fn encode_postings(out: &mut Vec<u8>, postings: impl IntoIterator<Item = Posting>) {
    let mut next = 0u32;
    for p in postings {
        push_varint(out, p.doc.saturating_sub(next));
        out.push(ALPHABET[usize::from(p.val & 63)]);
        next = p.doc.saturating_add(1);
    }
}

/// Reads a posting list back; `None` if it is malformed.
pub fn decode_postings(s: &str) -> Option<Vec<Posting>> {
    let mut out = Vec::with_capacity(s.len() / 2);
    let mut bytes = s.bytes();
    let mut next = 0u32;
    while let Some(first) = bytes.next() {
        let mut d = digit(first)?;
        let mut gap = 0u32;
        while d >= 32 {
            gap = gap.checked_mul(32)?.checked_add(d - 32)?;
            d = digit(bytes.next()?)?;
        }
        gap = gap.checked_mul(32)?.checked_add(d)?;
        let doc = next.checked_add(gap)?;
        let val = digit(bytes.next()?)? as u8;
        out.push(Posting { doc, val });
        next = doc.checked_add(1)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_written_in_place_match() {
        for n in [0, 1, 31, 32, 1023, 1024, 70000, 16_777_215, u32::MAX] {
            let mut pushed = Vec::new();
            push_varint(&mut pushed, n);
            let mut buf = [0u8; 8];
            let len = write_varint(&mut buf, n);
            assert_eq!(&buf[..len], &pushed[..], "{n}");
        }
    }

    #[test]
    fn postings_round_trip() {
        let list: Vec<Posting> = [0, 1, 2, 40, 1100, 1101, 70000, 16_777_215]
            .into_iter()
            .enumerate()
            .map(|(i, doc)| Posting {
                doc,
                val: (i * 9 % 64) as u8,
            })
            .collect();
        let mut s = Vec::new();
        encode_postings(&mut s, list.iter().copied());
        let s = String::from_utf8(s).unwrap();
        assert_eq!(decode_postings(&s).unwrap(), list);
        assert!(s.starts_with("00"), "first doc 0: gap 0");
    }

    #[test]
    fn dense_lists_take_two_characters_a_posting() {
        let mut s = Vec::new();
        encode_postings(&mut s, (0..1000).map(|doc| Posting { doc, val: 1 }));
        assert_eq!(s.len(), 2000);
    }

    #[test]
    fn malformed_lists_are_refused() {
        for s in ["0", "W", "zzzzzzzzzz00", "!0", "0!"] {
            assert_eq!(decode_postings(s), None, "{s}");
        }
        assert_eq!(decode_postings(""), Some(vec![]));
    }

    #[test]
    fn long_strings_escape_like_short_ones() {
        let many = "\\".repeat(17) + "x";
        for s in [
            "abcdefghijklmnopq\"rs",
            "一二三四五六七八九十\n“引号”\u{2028}尾巴尾巴",
            &many,
        ] {
            let mut out = Vec::new();
            push_json_str(&mut out, s);
            let back: String = serde_json::from_slice(&out).unwrap();
            assert_eq!(back, s);
            assert!(!String::from_utf8(out).unwrap().contains('\u{2028}'));
        }
    }

    /// Text with no control character is escaped by the search for three bytes exactly as
    /// by the look at every byte.
    #[test]
    fn plain_text_escapes_as_any_text() {
        const PIECES: &[&str] = &[
            "红包", "“", "”", "\"", "\\", "\u{2028}", "\u{2029}", "\u{2027}", "â", "a", " ",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for len in 0..400 {
            let text: String = (0..len % 97)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    PIECES[(seed % PIECES.len() as u64) as usize]
                })
                .collect();
            assert!(!has_control(text.as_bytes()));
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            push_json_plain(&mut fast, text.as_bytes());
            push_json_escaping(&mut slow, text.as_bytes());
            assert_eq!(fast, slow, "{text:?}");
        }
        assert!(has_control(
            &[b'a'; 100].iter().chain(b"\n").copied().collect::<Vec<_>>()
        ));
    }

    #[test]
    fn doc_files_are_named_as_their_paths_say() {
        for id in [0, 7, 999, 1000, 12_345, 999_999, 16_777_215, u32::MAX] {
            let name = format!("d{id}");
            assert_eq!(doc_file(id), (name.clone(), path_of(&name)));
        }
    }

    #[test]
    fn strings_are_valid_json_and_es5() {
        let mut s = Vec::new();
        push_json_str(&mut s, "a\"b\\c\n\u{1}\u{2028}红\u{2029}\u{2027}");
        let s = String::from_utf8(s).unwrap();
        assert_eq!(s, "\"a\\\"b\\\\c\\n\\u0001\\u2028红\\u2029\u{2027}\"");
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "a\"b\\c\n\u{1}\u{2028}红\u{2029}\u{2027}");
    }

    /// Published as data, a file is its payload as [`unwrap`] reads it; anything else (not a
    /// file of the index) is left as it is.
    #[test]
    fn data_is_the_payload_of_the_script() {
        let payloads = ["{\"a\":\"00\"}", "{\"x\":\"“红包”\\\"\"}", "", "\"\",x"];
        for (name, json) in [
            ("t3", payloads[0]),
            ("d12345", payloads[1]),
            ("meta", payloads[2]),
        ]
        .into_iter()
        .chain(payloads.map(|p| ("t0_1", p)))
        {
            let script = wrap(name, json);
            let (path, data) = Form::Data.publish(path_of(name), script.clone());
            assert_eq!(path, Form::Data.path(&path_of(name)));
            assert_eq!(
                Some((name, std::str::from_utf8(&data).unwrap())),
                unwrap(&script)
            );
            let kept = Form::Scripts.publish(path_of(name), script.clone());
            assert_eq!(kept, (path_of(name), script));
        }
        for odd in [
            &b"QL_SEARCH.add(\"t1\");\n"[..],
            b"QL_SEARCH.add(\"",
            b"x",
            b"",
        ] {
            let (_, data) = Form::Data.publish("search/t/1.js".into(), odd.to_vec());
            assert_eq!(data, odd);
        }
    }

    #[test]
    fn files_wrap_and_unwrap() {
        let bytes = wrap("t3", "{\"a\":\"00\"}");
        assert_eq!(unwrap(&bytes), Some(("t3", "{\"a\":\"00\"}")));
        assert_eq!(path_of("t3"), "search/t/3.js");
        assert_eq!(path_of("d12"), "search/d/0/12.js");
        assert_eq!(path_of("d12345"), "search/d/12/345.js");
        assert_eq!(path_of("d1000"), "search/d/1/0.js");
        assert_eq!(path_of("meta"), "search/meta.js");
        assert_eq!(shard_of_hash(u32::MAX, 7), 6);
        assert_eq!(shard_of_hash(0, 7), 0);
        assert_eq!(unwrap(b"alert(1)"), None);
    }
}
