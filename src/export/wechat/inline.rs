//! A rendered body in the form the WeChat editor keeps when pasted: every element styled
//! inline (the editor drops classes, `<style>` and scripts), links turned into numbered notes
//! (it drops outside links), pictures pointed at the copies beside the article and captioned,
//! so whoever pastes knows where to upload each.

/// The inline style of each element the Markdown renderer writes.
pub fn style_of(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "p" => "margin:0 0 16px;text-align:justify;",
        "h1" | "h2" => {
            "margin:24px 0 12px;padding-left:8px;border-left:4px solid #9e1b1b;font-size:18px;font-weight:bold;color:#9e1b1b;"
        }
        "h3" | "h4" | "h5" | "h6" => {
            "margin:20px 0 10px;font-size:16px;font-weight:bold;color:#333;"
        }
        "ul" | "ol" => "margin:0 0 16px;padding-left:24px;",
        "li" => "margin:0 0 6px;",
        "blockquote" => {
            "margin:16px 0;padding:8px 12px;background:#f7f2f2;border-left:3px solid #c9a0a0;color:#555;"
        }
        "table" => "width:100%;margin:0 0 16px;border-collapse:collapse;font-size:14px;",
        "th" => "padding:6px 8px;border:1px solid #ddd;background:#f7f2f2;font-weight:bold;",
        "td" => "padding:6px 8px;border:1px solid #ddd;",
        "strong" | "b" => "font-weight:bold;color:#7a1414;",
        "code" => "font-family:monospace;background:#f5f5f5;padding:0 4px;",
        "pre" => "margin:0 0 16px;padding:8px;background:#f5f5f5;white-space:pre-wrap;",
        "hr" => "margin:24px 0;border:0;border-top:1px solid #ddd;",
        "img" => "display:block;max-width:100%;height:auto;margin:12px auto 4px;",
        "sup" => "font-size:12px;color:#9e1b1b;",
        "em" | "i" | "del" | "s" | "thead" | "tbody" | "tr" | "br" | "span" => "",
        _ => return None,
    })
}

/// What an element is turned into.
pub trait Sink {
    /// The note number of a link to `href` (an address of any kind) whose text is `text`.
    fn note(&mut self, href: &str, text: &str) -> usize;
    /// The local copy of a picture at `src` with its description, and its figure number.
    fn picture(&mut self, src: &str, alt: &str) -> Option<(String, usize)>;
    /// The caption under picture number `n`.
    fn caption(&self, n: usize, alt: &str) -> String;
}

/// `html` (a rendered body) with every element styled inline, links as notes and pictures
/// pointed at their copies; elements it does not know are left out, their text kept.
pub fn inline(html: &str, sink: &mut dyn Sink) -> String {
    let mut out = String::with_capacity(html.len() * 2);
    let mut rest = html;
    let mut link: Option<(String, String)> = None;
    while let Some(open) = rest.find('<') {
        text(&mut out, &rest[..open], &mut link);
        let Some(close) = rest[open..].find('>') else {
            text(&mut out, &rest[open..], &mut link);
            return out;
        };
        let tag = Tag::parse(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
        element(&mut out, &tag, &mut link, sink);
    }
    text(&mut out, rest, &mut link);
    out
}

fn text(out: &mut String, s: &str, link: &mut Option<(String, String)>) {
    out.push_str(s);
    if let Some((_, t)) = link {
        t.push_str(s);
    }
}

fn element(out: &mut String, tag: &Tag, link: &mut Option<(String, String)>, sink: &mut dyn Sink) {
    match (tag.name.as_str(), tag.closing) {
        ("a", false) => *link = Some((tag.attr("href").unwrap_or_default(), String::new())),
        ("a", true) => {
            if let Some((href, t)) = link.take().filter(|(h, _)| !h.starts_with('#')) {
                let n = sink.note(&href, strip_tags(&t).trim());
                out.push_str(&format!(
                    "<sup style=\"{}\">[{n}]</sup>",
                    style_of("sup").unwrap_or("")
                ));
            }
        }
        ("img", _) => {
            let (src, alt) = (
                tag.attr("src").unwrap_or_default(),
                tag.attr("alt").unwrap_or_default(),
            );
            if let Some((local, n)) = sink.picture(&src, &alt) {
                let style = style_of("img").unwrap_or("");
                out.push_str(&format!(
                    "<img src=\"{}\" alt=\"{}\" style=\"{style}\">",
                    escape(&local),
                    escape(&alt)
                ));
                let caption = escape(&sink.caption(n, &alt));
                out.push_str(&format!("<span style=\"display:block;text-align:center;font-size:13px;color:#888;\">{caption}</span>"));
            }
        }
        (name, closing) => match style_of(name) {
            Some(_) if closing => out.push_str(&format!("</{name}>")),
            Some("") => out.push_str(&format!("<{name}>")),
            Some(style) => out.push_str(&format!("<{name} style=\"{style}\">")),
            None => {}
        },
    }
}

/// An HTML tag as the renderer writes it: name, whether it closes, its attributes.
struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn parse(inner: &str) -> Tag {
        let inner = inner.trim().trim_end_matches('/');
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, inner),
        };
        let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
        let mut attrs = Vec::new();
        let mut rest = &inner[name_end..];
        while let Some(eq) = rest.find("=\"") {
            let key = rest[..eq].trim().to_owned();
            let Some(end) = rest[eq + 2..].find('"') else {
                break;
            };
            attrs.push((key, unescape(&rest[eq + 2..eq + 2 + end])));
            rest = &rest[eq + 2 + end + 1..];
        }
        Tag {
            name: inner[..name_end].to_ascii_lowercase(),
            closing,
            attrs,
        }
    }

    fn attr(&self, key: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// Text without tags (a link's words).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Notes(Vec<(String, String)>, Vec<String>);
    impl Sink for Notes {
        fn note(&mut self, href: &str, text: &str) -> usize {
            self.0.push((href.into(), text.into()));
            self.0.len()
        }
        fn picture(&mut self, src: &str, _alt: &str) -> Option<(String, usize)> {
            self.1.push(src.into());
            Some((format!("images/{}.png", self.1.len()), self.1.len()))
        }
        fn caption(&self, n: usize, alt: &str) -> String {
            format!("图{n} {alt}")
        }
    }

    #[test]
    fn elements_are_styled_links_become_notes_and_pictures_local() {
        let html = "<h2 id=\"x\">标题</h2>\n<p>见<a href=\"/cases/a/\">某<strong>案</strong></a>。</p>\n<div class=\"table-wrap\">\n<table><tr><td>甲</td></tr></table>\n</div>\n<p><img src=\"/news/a%20b.png\" alt=\"会场 &amp; 人\" /></p>";
        let mut notes = Notes::default();
        let out = inline(html, &mut notes);
        assert!(
            !out.contains("class=") && !out.contains("id=") && !out.contains("<a "),
            "{out}"
        );
        assert!(out.contains("<h2 style=\"margin:24px"), "{out}");
        assert!(
            out.contains("某<strong style=\"font-weight:bold;color:#7a1414;\">案</strong><sup"),
            "{out}"
        );
        assert_eq!(notes.0, [("/cases/a/".to_owned(), "某案".to_owned())]);
        assert_eq!(notes.1, ["/news/a%20b.png"]);
        assert!(
            out.contains("<img src=\"images/1.png\" alt=\"会场 &amp; 人\" style="),
            "{out}"
        );
        assert!(out.contains(">图1 会场 &amp; 人</span>"), "{out}");
        assert!(
            out.contains("<td style=\"padding:6px 8px;border:1px solid #ddd;\">甲</td>"),
            "{out}"
        );
    }
}
