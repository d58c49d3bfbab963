//! Plain text from rendered body HTML: headings apart, entities decoded, scripts and styles
//! dropped, block elements separated by a space so words and CJK runs do not run together.

/// The text of a page body: its headings (h1–h6) and the rest of its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extract {
    pub headings: Vec<String>,
    pub text: String,
}

/// Strips tags from `html` (our own rendered Markdown, but any input is safe): the text of
/// h1–h6 goes to `headings` (and not to `text`), `<script>` and `<style>` content and comments
/// are dropped, entities are decoded, and whitespace is collapsed.
pub fn plain_text(html: &str) -> Extract {
    let mut headings = Vec::new();
    let mut text: String = extract(html, |h: String| {
        let h = h.trim();
        if !h.is_empty() {
            headings.push(h.to_owned());
        }
    });
    text.truncate(text.trim_end().len());
    Extract { headings, text }
}

/// What [`plain_text`] gives, measured without being made: the bytes of all headings and of
/// the text, and whether the text holds a `<`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lengths {
    pub headings: usize,
    pub text: usize,
    pub has_lt: bool,
}

/// The [`Lengths`] of `plain_text(html)`, at the cost of reading `html` only.
pub fn measure(html: &str) -> Lengths {
    let mut headings = 0;
    let text: Measure = extract(html, |h: Measure| headings += h.trimmed());
    Lengths {
        headings,
        text: text.trimmed(),
        has_lt: text.has_lt,
    }
}

/// Reads `html` into a text sink, handing each heading's own sink to `heading` as it ends.
fn extract<S: Sink>(html: &str, mut heading_done: impl FnMut(S)) -> S {
    let mut text = S::for_html(html.len());
    let mut heading: Option<S> = None;
    let mut rest = html;
    // memchr's SIMD search: the standard library's looks at a word at a time.
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        push_text(&rest[..lt], heading.as_mut().unwrap_or(&mut text));
        rest = &rest[lt..];
        let Some(tag) = Tag::parse(rest) else {
            push_text("<", heading.as_mut().unwrap_or(&mut text));
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.len..];
        if !tag.closing && matches!(&*tag.name, "script" | "style") {
            rest = skip_raw(rest, &tag.name);
        } else if is_heading(&tag.name) {
            if tag.closing {
                heading.take().map(&mut heading_done);
            } else if heading.is_none() {
                heading = Some(S::default());
            }
        } else if is_block(&tag.name) {
            separate(heading.as_mut().unwrap_or(&mut text));
        }
    }
    push_text(rest, heading.as_mut().unwrap_or(&mut text));
    heading.take().map(heading_done);
    text
}

/// Where extracted text goes: a `String`, or a [`Measure`] that only counts. Whitespace is
/// only ever a single space, never first (see [`separate`]), so trimming takes at most the
/// last byte.
trait Sink: Default {
    /// An empty sink for the text of `html_bytes` bytes of HTML (the text is never longer).
    fn for_html(html_bytes: usize) -> Self;
    fn push_str(&mut self, s: &str);
    fn push(&mut self, c: char);
    fn is_empty(&self) -> bool;
    fn ends_with_space(&self) -> bool;
}

impl Sink for String {
    fn for_html(html_bytes: usize) -> Self {
        // Room for it all at once: grown from nothing, a page's text was copied ten times.
        String::with_capacity(html_bytes)
    }

    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }

    fn push(&mut self, c: char) {
        String::push(self, c);
    }

    fn is_empty(&self) -> bool {
        String::is_empty(self)
    }

    fn ends_with_space(&self) -> bool {
        self.ends_with(' ')
    }
}

/// The length of the text a [`String`] sink would hold, its last byte, and whether it holds
/// a `<`.
#[derive(Default)]
struct Measure {
    len: usize,
    last_space: bool,
    has_lt: bool,
}

impl Measure {
    /// The length once trimmed.
    fn trimmed(&self) -> usize {
        self.len - usize::from(self.last_space)
    }
}

impl Sink for Measure {
    fn for_html(_: usize) -> Self {
        Measure::default()
    }

    fn push_str(&mut self, s: &str) {
        if let Some(&last) = s.as_bytes().last() {
            self.len += s.len();
            self.last_space = last == b' ';
            self.has_lt |= memchr::memchr(b'<', s.as_bytes()).is_some();
        }
    }

    fn push(&mut self, c: char) {
        self.len += c.len_utf8();
        self.last_space = c == ' ';
        self.has_lt |= c == '<';
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn ends_with_space(&self) -> bool {
        self.last_space
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "thead"
            | "tbody"
            | "blockquote"
            | "pre"
            | "hr"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "figure"
            | "figcaption"
            | "details"
            | "summary"
            | "caption"
            | "img"
    )
}

/// A tag, comment or declaration at the start of the input.
struct Tag<'a> {
    /// Lower-cased element name (borrowed from the input when it is lower case already, as
    /// in our own HTML); empty for comments and declarations.
    name: std::borrow::Cow<'a, str>,
    closing: bool,
    /// Bytes the tag takes, through its `>` (or to the end of the input).
    len: usize,
}

impl<'a> Tag<'a> {
    /// Parses `<…>` at the start of `s`; `None` when the `<` does not open a tag (`a < b`).
    fn parse(s: &'a str) -> Option<Tag<'a>> {
        let after = &s[1..];
        if let Some(body) = after.strip_prefix("!--") {
            let len = body.find("-->").map_or(s.len(), |i| 4 + i + 3);
            return Some(Tag::other(len));
        }
        if after.starts_with(['!', '?']) {
            return Some(Tag::other(after.find('>').map_or(s.len(), |i| i + 2)));
        }
        let closing = after.starts_with('/');
        let name_start = usize::from(closing);
        let named = &after[name_start..];
        let len = named
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(named.len());
        let name = &named[..len];
        let name = match name.bytes().any(|b| b.is_ascii_uppercase()) {
            true => std::borrow::Cow::Owned(name.to_ascii_lowercase()),
            false => std::borrow::Cow::Borrowed(name),
        };
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let attrs = 1 + name_start + name.len();
        let len = tag_end(&s[attrs..]).map_or(s.len(), |i| attrs + i + 1);
        Some(Tag { name, closing, len })
    }

    fn other(len: usize) -> Tag<'a> {
        Tag {
            name: std::borrow::Cow::Borrowed(""),
            closing: false,
            len,
        }
    }
}

/// The offset of the `>` that ends a tag's attributes, skipping quoted values (each found
/// whole by memchr).
fn tag_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'>' => return Some(at),
            b'"' | b'\'' => at += 1 + memchr::memchr(b, &bytes[at + 1..])?,
            _ => {}
        }
        at += 1;
    }
    None
}

/// Skips the raw content of a script or style element through its closing tag.
fn skip_raw<'a>(s: &'a str, name: &str) -> &'a str {
    let lower = s.to_ascii_lowercase();
    let close = format!("</{name}");
    match lower.find(&close) {
        Some(i) => {
            let after = &s[i..];
            let end = after.find('>').map_or(after.len(), |j| j + 1);
            &after[end..]
        }
        None => "",
    }
}

fn separate(out: &mut impl Sink) {
    if !out.is_empty() && !out.ends_with_space() {
        out.push(' ');
    }
}

/// Appends text with entities decoded and whitespace collapsed to single spaces. Runs of
/// ordinary characters are copied whole: only `&`, whitespace and the soft hyphen stop them,
/// and the scan passes over any other character in one step (see [`STEP`]).
fn push_text(raw: &str, out: &mut impl Sink) {
    let bytes = raw.as_bytes();
    let (mut at, mut run) = (0, 0);
    while at < bytes.len() {
        let step = STEP[usize::from(bytes[at])];
        if step != 0 {
            at += usize::from(step);
            continue;
        }
        let (special, used) = match bytes[at] {
            b'&' => {
                let (c, used) = entity(&raw[at..]).unwrap_or(('&', 1));
                (Some(c), used)
            }
            b if b < 0x80 => (Some(char::from(b)), 1),
            _ => {
                let c = raw[at..].chars().next().unwrap_or(' ');
                let stops = c.is_whitespace() || c == '\u{AD}';
                (stops.then_some(c), c.len_utf8())
            }
        };
        if let Some(c) = special {
            out.push_str(&raw[run..at]);
            push_char(c, out);
            run = at + used;
        }
        at += used;
    }
    out.push_str(&raw[run..]);
}

/// For each byte that starts a character in text: 0 when the character may stop a run of
/// [`push_text`] (`&`, ASCII whitespace, and the lead bytes of every other whitespace
/// character and of the soft hyphen), else the character's length in bytes.
const STEP: [u8; 256] = {
    let mut step = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        step[b] = match b as u8 {
            b'&' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 0,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => 0,
            0x00..=0x7F => 1,
            0xF0.. => 4,
            0xE0.. => 3,
            _ => 2,
        };
        b += 1;
    }
    step
};

/// One decoded character: whitespace as a single space, the soft hyphen dropped.
fn push_char(c: char, out: &mut impl Sink) {
    if c.is_whitespace() {
        separate(out);
    } else if c != '\u{AD}' {
        out.push(c);
    }
}

/// Decodes the entity at the start of `s`: numeric ones and the named ones Markdown renderers
/// and Chinese text use. Returns the character and the bytes it took.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = 1 + s[1..].char_indices().take(32).find(|(_, c)| *c == ';')?.0;
    let name = &s[1..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code).filter(|c| *c != '\0')?
    } else {
        named(name)?
    };
    Some((c, end + 1))
}

fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "shy" => '\u{AD}',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "middot" => '·',
        "times" => '×',
        "divide" => '÷',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "yen" => '¥',
        "deg" => '°',
        "sect" => '§',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_apart_and_text_joined() {
        let e = plain_text(
            "<h2 id=\"a\">条文释义</h2>\n<p>不收受<strong>“红包”</strong>。</p><ul><li>一</li><li>二</li></ul>",
        );
        assert_eq!(e.headings, ["条文释义"]);
        assert_eq!(e.text, "不收受“红包”。 一 二");
    }

    #[test]
    fn entities_are_decoded() {
        let e = plain_text(
            "<p>A &amp; B &lt;x&gt; &#8220;引号&#x201D; &ldquo;好&rdquo;&nbsp;&bogus; &</p>",
        );
        assert_eq!(e.text, "A & B <x> “引号” “好” &bogus; &");
    }

    #[test]
    fn scripts_styles_and_comments_are_dropped() {
        let e = plain_text(
            "<p>前</p><script>var a = '<p>不要</p>';</script><style>p{}</style><!-- 注释 --><p>后</p><SCRIPT>x</SCRIPT>尾",
        );
        assert_eq!(e.text, "前 后 尾");
    }

    #[test]
    fn attributes_with_angle_brackets_are_skipped() {
        let e = plain_text("<a href=\"x\" title=\"a>b\">链接</a>文字 a < b");
        assert_eq!(e.text, "链接文字 a < b");
    }

    /// The first reading of a tag's end: a quote at a time, byte by byte.
    fn tag_end_slowly(s: &str) -> Option<usize> {
        let mut quote: Option<u8> = None;
        for (i, b) in s.bytes().enumerate() {
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'>') => return Some(i),
                _ => {}
            }
        }
        None
    }

    #[test]
    fn tags_end_where_a_byte_by_byte_reading_ends_them() {
        let pieces = ["a", " ", "=", "\"", "'", ">", "红", "<"];
        let mut seed = 11u64;
        for len in 0..2000 {
            let s: String = (0..len % 23)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    pieces[(seed >> 33) as usize % pieces.len()]
                })
                .collect();
            assert_eq!(tag_end(&s), tag_end_slowly(&s), "{s:?}");
        }
    }

    #[test]
    fn broken_html_does_not_panic() {
        for s in [
            "<",
            "<h2>未闭合",
            "</h2>",
            "<!--",
            "<script>",
            "&#xZZ;",
            "&#99999999;",
            "&",
            "<a",
            "<p title='",
            "&#0;",
            "é<",
            "<h1><h2>x</h1>",
            "<1>",
            "&amp",
        ] {
            let _ = plain_text(s);
        }
        assert_eq!(plain_text("<h2>未闭合").headings, ["未闭合"]);
        assert_eq!(plain_text("1 <2").text, "1 <2");
    }

    #[test]
    fn measure_gives_the_lengths_plain_text_makes() {
        const PIECES: &[&str] = &[
            "<h2 id=\"a\">",
            "</h2>",
            "<h3>",
            "</h3>",
            "<p>",
            "</p>",
            "<li>",
            "<br>",
            "廉洁",
            "行医",
            " ",
            "\u{3000}",
            "\u{00A0}",
            "\u{00AD}",
            "\n",
            "&amp;",
            "&lt;",
            "&nbsp;",
            "&#12288;",
            "&bogus;",
            "&",
            "<",
            "a < b",
            "<script>x<p></script>",
            "<!-- c -->",
            "<a title=\"a>b\">",
            "</a>",
            "😀",
            "\u{2028}",
            "<STYLE>p{}</STYLE>",
            "<1>",
            "é",
        ];
        let mut cases: Vec<String> = ["", "<h2>  </h2>", " <p> </p> ", "<p>廉洁</p>"]
            .map(String::from)
            .into();
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        for _ in 0..400 {
            let pieces = next(24);
            cases.push((0..pieces).map(|_| PIECES[next(PIECES.len())]).collect());
        }
        for html in &cases {
            let e = plain_text(html);
            let want = Lengths {
                headings: e.headings.iter().map(String::len).sum(),
                text: e.text.len(),
                has_lt: e.text.contains('<'),
            };
            assert_eq!(measure(html), want, "{html:?}");
        }
    }

    #[test]
    fn every_character_that_stops_a_run_starts_with_a_stopping_byte() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let mut lead = [0u8; 4];
            let lead = c.encode_utf8(&mut lead).as_bytes()[0];
            let step = STEP[usize::from(lead)];
            if c == '&' || c == '\u{AD}' || c.is_whitespace() {
                assert_eq!(step, 0, "{c:?}");
            } else if step != 0 {
                assert_eq!(usize::from(step), c.len_utf8(), "{c:?}");
            }
        }
    }

    /// The character-by-character reading `push_text` copies runs of.
    fn push_text_slowly(raw: &str, out: &mut String) {
        let mut rest = raw;
        while !rest.is_empty() {
            let (c, used) = if rest.starts_with('&') {
                entity(rest).unwrap_or(('&', 1))
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                (c, c.len_utf8())
            };
            rest = &rest[used..];
            push_char(c, out);
        }
    }

    #[test]
    fn runs_are_copied_as_characters_would_be() {
        let cases = [
            "廉洁\u{3000}行医\u{00A0}不收\u{00AD}红包",
            "a\u{2028}b\u{2029}c\u{202F}d\u{205F}e\u{1680}f\u{0085}g\u{2003}h",
            "  前后 \t\n\u{0B}\u{0C}空白  ",
            "😀表情&amp;符号&nbsp;&shy;&#12288;结束&",
            "é è « » ½ ¼ ±",
            "",
            "&",
            "ㄅㄆ、。〈〉「」",
        ];
        for raw in cases {
            let (mut fast, mut slow) = (String::from("x"), String::from("x"));
            push_text(raw, &mut fast);
            push_text_slowly(raw, &mut slow);
            assert_eq!(fast, slow, "{raw:?}");
        }
    }
}
