//! Markdown bodies: pulldown-cmark with `@/` internal links, heading anchors and safe HTML.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::types::HashMap;

/// Resolves the link targets of a body found at byte `offset` of its Markdown: `Some(url)`,
/// or `None` to show the link's text without a link (the resolver reports why).
pub trait Resolve {
    /// An `@/` target, without the `@/` and the `#fragment`: a path under `content/`.
    fn resolve(&mut self, target: &str, offset: usize) -> Option<String>;

    /// A path written relative to the Markdown file (`大会现场.png`, `附件/通知.pdf`,
    /// `../cases/x.md`), percent-decoded, without its `#fragment`; `written` is how the
    /// author wrote it, to name in a message.
    fn relative(&mut self, path: &str, written: &str, offset: usize) -> Option<String>;

    /// Text at `offset` that was meant as a link or picture but is not one, because its
    /// address has a space (`![会场](大会 现场.png)`); `written` is the address.
    fn not_a_link(&mut self, written: &str, offset: usize) {
        let _ = (written, offset);
    }
}

/// Renders `body` to HTML; raw HTML is escaped and script links dropped unless `raw_html`.
/// Tables come in a `.table-wrap` box, which scrolls sideways on a phone.
pub fn render(body: &str, raw_html: bool, links: &mut dyn Resolve) -> String {
    render_as(body, raw_html, false, links)
}

/// Like [`render`], keeping each line of a paragraph on a line of its own (a `footer: |` in
/// `site.yaml` is written line by line, as it should show).
pub fn render_lines(body: &str, raw_html: bool, links: &mut dyn Resolve) -> String {
    render_as(body, raw_html, true, links)
}

fn render_as(body: &str, raw_html: bool, lines: bool, links: &mut dyn Resolve) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut events: Vec<(Event, usize)> = Parser::new_ext(body, options)
        .into_offset_iter()
        .map(|(e, r)| (e, r.start))
        .collect();
    add_heading_ids(&mut events);
    let mut dropped_links = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    let mut texts = TextRuns::for_body(body);
    for (event, offset) in events {
        texts.see(&event, offset, links);
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = safe_dest(&dest_url, offset, raw_html, links);
                dropped_links.push(dest.is_none());
                let Some(dest) = dest else { continue };
                let dest_url = dest.into();
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Link) if dropped_links.pop().unwrap_or(false) => continue,
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = safe_dest(&dest_url, offset, raw_html, links).unwrap_or_default();
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest_url.into(),
                    title,
                    id,
                })
            }
            Event::Html(html) | Event::InlineHtml(html) if !raw_html => Event::Text(html),
            other => other,
        };
        push_shaped(&mut out, event, lines);
    }
    texts.finish(links);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // Kept for the whole build: a site's bodies are tens of megabytes, so the guess's slack counts.
    html.shrink_to_fit();
    html
}

/// A link's destination through the resolver, script addresses dropped unless `raw_html`.
fn safe_dest(dest: &str, offset: usize, raw_html: bool, links: &mut dyn Resolve) -> Option<String> {
    rewrite(dest, offset, links).filter(|d| raw_html || !is_script_url(d))
}

/// Runs of plain text, gathered to find `](address with a space)` Markdown left as text;
/// only for a body whose source has such a `](…)` (most have none).
struct TextRuns {
    on: bool,
    run: Option<(String, usize)>,
}

impl TextRuns {
    fn for_body(body: &str) -> TextRuns {
        // memchr's SIMD search: std's `match_indices` costs several instructions a byte.
        let on = memchr::memmem::find_iter(body.as_bytes(), b"](").any(|i| {
            let rest = &body.as_bytes()[i + 2..];
            let dest = memchr::memchr(b')', rest).map_or(rest, |end| &rest[..end]);
            memchr::memchr(b' ', dest).is_some()
        });
        TextRuns { on, run: None }
    }

    fn see(&mut self, event: &Event, offset: usize, links: &mut dyn Resolve) {
        if !self.on {
            return;
        }
        match (event, &mut self.run) {
            (Event::Text(t), Some((run, _))) => run.push_str(t),
            (Event::Text(t), None) => self.run = Some((t.to_string(), offset)),
            _ => self.finish(links),
        }
    }

    fn finish(&mut self, links: &mut dyn Resolve) {
        if let Some((text, at)) = self.run.take() {
            spaced_links(&text, at, links);
        }
    }
}

/// Pushes `event`, a table inside a `.table-wrap` box and, for `lines`, a soft break as a
/// line break.
fn push_shaped<'a>(out: &mut Vec<Event<'a>>, event: Event<'a>, lines: bool) {
    match event {
        Event::SoftBreak if lines => out.push(Event::HardBreak),
        Event::Start(Tag::Table(align)) => {
            out.push(Event::Html(CowStr::Borrowed(
                "<div class=\"table-wrap\">\n",
            )));
            out.push(Event::Start(Tag::Table(align)));
        }
        Event::End(TagEnd::Table) => {
            out.push(Event::End(TagEnd::Table));
            out.push(Event::Html(CowStr::Borrowed("</div>\n")));
        }
        other => out.push(other),
    }
}

/// An `@/` destination or a path relative to the file through the resolver (keeping its
/// fragment); addresses with a scheme, site paths and fragments as written.
fn rewrite(dest: &str, offset: usize, links: &mut dyn Resolve) -> Option<String> {
    let split = |t: &'_ str| {
        t.split_once('#').map_or((t.to_owned(), None), |(p, f)| {
            (p.to_owned(), Some(f.to_owned()))
        })
    };
    let (url, fragment) = if let Some(target) = dest.strip_prefix("@/") {
        let (path, fragment) = split(target);
        (links.resolve(&path, offset)?, fragment)
    } else if is_relative_path(dest) {
        let (path, fragment) = split(dest);
        let decoded = crate::site::urls::percent_decode(&path).unwrap_or(path);
        (
            links.relative(&decoded.replace('\\', "/"), dest, offset)?,
            fragment,
        )
    } else {
        return Some(dest.to_owned());
    };
    Some(match fragment {
        Some(f) => format!("{url}#{f}"),
        None => url,
    })
}

/// Reports each `](address with a space)` left as text in `text` (which starts at `at`).
fn spaced_links(text: &str, at: usize, links: &mut dyn Resolve) {
    for (i, _) in text.match_indices("](") {
        let rest = &text[i + 2..];
        let Some(end) = rest.find(')') else { continue };
        let dest = &rest[..end];
        if dest.contains(char::is_whitespace) && !dest.contains("://") && !dest.trim().is_empty() {
            links.not_a_link(dest, at);
        }
    }
}

/// The destinations written in `](…)` in Markdown source (a quick look, without parsing:
/// what a page that is not rendered links to).
pub fn destinations(body: &str) -> impl Iterator<Item = &str> {
    memchr::memmem::find_iter(body.as_bytes(), b"](").filter_map(move |i| {
        let rest = &body[i + 2..];
        let end = rest.find([')', '\n'])?;
        let dest = rest[..end].trim();
        let dest = dest.trim_start_matches('<').trim_end_matches('>');
        Some(dest.split(['#', ' ']).next().unwrap_or(dest))
    })
}

/// Whether a link destination names a file by its path from the Markdown file: not an
/// address with a scheme (`https:`, `mailto:`), not a site path (`/x`), a query or a fragment.
pub fn is_relative_path(dest: &str) -> bool {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with(['/', '#', '?']) {
        return false;
    }
    let scheme = dest.split_once(':').map(|(s, _)| s);
    !scheme.is_some_and(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

fn is_script_url(dest: &str) -> bool {
    // The longest scheme below is 14 characters: no need to lower-case a whole address.
    let mut lower = String::with_capacity(16);
    for c in (dest.trim().chars())
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
    {
        match c.is_ascii() {
            true => lower.push(c.to_ascii_lowercase()),
            false => lower.extend(c.to_lowercase()),
        }
    }
    [
        "javascript:",
        "vbscript:",
        "data:text/html",
        "data:image/svg",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Gives every heading without an explicit id one made from its text, unique in the body.
fn add_heading_ids(events: &mut [(Event, usize)]) {
    let mut seen: HashMap<String, usize> = HashMap::default();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { id: None, .. }) = &events[i].0 else {
            continue;
        };
        let text: String = events[i + 1..]
            .iter()
            .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_))))
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let base = anchor(&text);
        let n = seen.entry(base.clone()).or_insert(0);
        let id = if *n == 0 { base } else { format!("{base}-{n}") };
        *n += 1;
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
            *slot = Some(CowStr::from(id));
        }
    }
}

/// An anchor from heading text: letters (Chinese included) and digits, words joined by `-`.
pub fn anchor(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            // The common CJK ideographs have no case: no need to look them up.
            out.push(c);
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !out.ends_with('-')
            && !out.is_empty()
        {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_schemes_are_seen_in_any_case_and_spacing() {
        for url in [
            "javascript:alert(1)",
            " JaVa\tScRiPt:alert(1)",
            "java\u{0}script:x",
            "VBScript:x",
            "DATA:TEXT/HTML,<b>x</b>",
            "data:image/svg+xml,<svg/>",
        ] {
            assert!(is_script_url(url), "{url:?}");
        }
        for url in [
            "/cases/a/",
            "https://example.cn/javascript:",
            "data:image/png;base64,AAAA",
            "javascript",
            "脚本javascript:x",
        ] {
            assert!(!is_script_url(url), "{url:?}");
        }
    }

    /// Resolves `cases/a.md`, drops `cases/staff.md`, and records the rest as broken.
    #[derive(Default)]
    struct Links {
        broken: Vec<(usize, String)>,
    }
    impl Resolve for Links {
        fn resolve(&mut self, target: &str, offset: usize) -> Option<String> {
            match target {
                "cases/a.md" => Some("/cases/a/".into()),
                _ => {
                    self.broken.push((offset, target.to_owned()));
                    None
                }
            }
        }

        fn relative(&mut self, path: &str, written: &str, offset: usize) -> Option<String> {
            match path {
                "大会 现场.png" => Some("/news/大会 现场.png".into()),
                _ => {
                    self.broken.push((offset, written.to_owned()));
                    None
                }
            }
        }
    }

    #[test]
    fn relative_paths_go_to_the_resolver_decoded_and_addresses_stay() {
        let h = html("![现场](%E5%A4%A7%E4%BC%9A%20现场.png#top)", false);
        assert!(
            h.contains(r#"src="/news/%E5%A4%A7%E4%BC%9A%20%E7%8E%B0%E5%9C%BA.png#top""#),
            "{h}"
        );
        let mut links = Links::default();
        let h = render(
            "[a](附件/通知.pdf) [b](https://x.cn/a.pdf) [c](mailto:a@b.cn) [d](/abs/) [e](#x)",
            false,
            &mut links,
        );
        assert_eq!(links.broken, [(0, "附件/通知.pdf".to_owned())], "{h}");
        for kept in ["https://x.cn/a.pdf", "mailto:a@b.cn", "/abs/", "#x"] {
            assert!(h.contains(&format!("href=\"{kept}\"")), "{kept}: {h}");
        }
        for (dest, relative) in [
            ("a.png", true),
            ("../cases/x.md", true),
            ("www.example.cn", true),
            ("tel:0000", false),
            ("C++.pdf", true),
            ("?q=1", false),
        ] {
            assert_eq!(is_relative_path(dest), relative, "{dest}");
        }
    }

    fn html(body: &str, raw: bool) -> String {
        render(body, raw, &mut Links::default())
    }

    #[test]
    fn internal_links_resolve_with_fragment() {
        let h = html("见[案例](@/cases/a.md#处理)", false);
        assert!(h.contains(r#"href="/cases/a/#%E5%A4%84%E7%90%86""#), "{h}");
    }

    #[test]
    fn unresolved_links_keep_their_text_and_report_the_offset() {
        let body = "第一行\n\n[坏](@/cases/b.md)";
        let mut links = Links::default();
        let h = render(body, false, &mut links);
        assert!(h.contains("<p>坏</p>"), "{h}");
        assert_eq!(links.broken[0].1, "cases/b.md");
        assert_eq!(&body[links.broken[0].0..][..1], "[");
    }

    #[test]
    fn tables_come_in_a_scrolling_box_and_footer_lines_stay_lines() {
        let h = html(
            "前\n\n| 栏目 | 部门 |\n|---|---|\n| 公开 | 纪委 |\n\n后",
            false,
        );
        let wrapped = h.split("<div class=\"table-wrap\">\n<table>").nth(1);
        assert!(
            wrapped.is_some_and(|rest| rest.contains("</table>\n</div>\n<p>后")),
            "{h}"
        );
        let footer = "纪检监察室\n地址：清河路 88 号\n\n邮编";
        let lines = render_lines(footer, false, &mut Links::default());
        assert_eq!(
            lines,
            "<p>纪检监察室<br />\n地址：清河路 88 号</p>\n<p>邮编</p>\n"
        );
        assert!(
            !html(footer, false).contains("<br"),
            "bodies keep soft breaks"
        );
    }

    #[test]
    fn raw_html_and_script_links_are_neutralised() {
        let h = html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b>b</b> [y](JaVa\tScRiPt:alert(2))",
            false,
        );
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"));
        assert!(!h.to_lowercase().contains("javascript:"), "{h}");
        assert!(!h.contains("<b>"));
        assert!(html("<b>b</b>", true).contains("<b>b</b>"));
    }

    #[test]
    fn headings_get_unique_chinese_anchors() {
        let h = html("## 条文释义\n\n## 条文释义\n\n## Case Study!", false);
        assert!(h.contains(r#"<h2 id="条文释义">"#), "{h}");
        assert!(h.contains(r#"<h2 id="条文释义-1">"#));
        assert!(h.contains(r#"<h2 id="case-study">"#));
    }
}
