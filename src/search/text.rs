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
    let mut out = Extract::default();
    let mut heading: Option<String> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&rest[..lt], heading.as_mut().unwrap_or(&mut out.text));
        rest = &rest[lt..];
        let Some(tag) = Tag::parse(rest) else {
            push_text("<", heading.as_mut().unwrap_or(&mut out.text));
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.len..];
        if !tag.closing && matches!(&*tag.name, "script" | "style") {
            rest = skip_raw(rest, &tag.name);
        } else if is_heading(&tag.name) {
            if tag.closing {
                finish_heading(&mut heading, &mut out.headings);
            } else if heading.is_none() {
                heading = Some(String::new());
            }
        } else if is_block(&tag.name) {
            separate(heading.as_mut().unwrap_or(&mut out.text));
        }
    }
    push_text(rest, heading.as_mut().unwrap_or(&mut out.text));
    finish_heading(&mut heading, &mut out.headings);
    out.text.truncate(out.text.trim_end().len());
    out
}

fn finish_heading(heading: &mut Option<String>, headings: &mut Vec<String>) {
    if let Some(h) = heading.take() {
        let h = h.trim();
        if !h.is_empty() {
            headings.push(h.to_owned());
        }
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

/// The offset of the `>` that ends a tag's attributes, skipping quoted values.
fn tag_end(s: &str) -> Option<usize> {
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

fn separate(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// Appends text with entities decoded and whitespace collapsed to single spaces. Runs of
/// ordinary characters are copied whole: only `&`, whitespace and the soft hyphen stop them.
fn push_text(raw: &str, out: &mut String) {
    let bytes = raw.as_bytes();
    let (mut at, mut run) = (0, 0);
    while at < bytes.len() {
        let (special, used) = match bytes[at] {
            b'&' => {
                let (c, used) = entity(&raw[at..]).unwrap_or(('&', 1));
                (Some(c), used)
            }
            b if b < 0x80 => {
                let c = char::from(b);
                (c.is_whitespace().then_some(c), 1)
            }
            // Every non-ASCII whitespace character and the soft hyphen start with one of these.
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = raw[at..].chars().next().unwrap_or(' ');
                let stops = c.is_whitespace() || c == '\u{AD}';
                (stops.then_some(c), c.len_utf8())
            }
            b => (None, utf8_len(b)),
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

/// One decoded character: whitespace as a single space, the soft hyphen dropped.
fn push_char(c: char, out: &mut String) {
    if c.is_whitespace() {
        separate(out);
    } else if c != '\u{AD}' {
        out.push(c);
    }
}

/// The length of the UTF-8 sequence a lead byte starts.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        _ => 2,
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
