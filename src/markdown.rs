//! Markdown bodies: pulldown-cmark with `@/` internal links, heading anchors and safe HTML.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// A body rendered to HTML, with the internal links that did not resolve.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub broken: Vec<BrokenLink>,
}

/// An `@/` link that points nowhere, located by byte offset in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub offset: usize,
    pub target: String,
    pub problem: String,
}

/// Resolves `@/path.md` (without the `@/`) to a URL, or says why it cannot.
pub trait Resolve {
    fn resolve(&self, target: &str) -> Result<String, String>;
}

/// Renders `body`; raw HTML is escaped and script links dropped unless `raw_html`.
pub fn render(body: &str, raw_html: bool, links: &dyn Resolve) -> Rendered {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut events: Vec<(Event, usize)> = Parser::new_ext(body, options)
        .into_offset_iter()
        .map(|(e, r)| (e, r.start))
        .collect();
    add_heading_ids(&mut events);
    let mut broken = Vec::new();
    let mut dropped_links = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    for (event, offset) in events {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite(&dest_url, offset, links, &mut broken);
                let unsafe_link = !raw_html && is_script_url(&dest);
                dropped_links.push(unsafe_link);
                if unsafe_link {
                    continue;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Link) => {
                if dropped_links.pop().unwrap_or(false) {
                    continue;
                }
                Event::End(TagEnd::Link)
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite(&dest_url, offset, links, &mut broken);
                let dest = if !raw_html && is_script_url(&dest) {
                    String::new()
                } else {
                    dest
                };
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                })
            }
            Event::Html(html) | Event::InlineHtml(html) if !raw_html => Event::Text(html),
            other => other,
        };
        out.push(event);
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    Rendered { html, broken }
}

fn rewrite(dest: &str, offset: usize, links: &dyn Resolve, broken: &mut Vec<BrokenLink>) -> String {
    let Some(target) = dest.strip_prefix("@/") else {
        return dest.to_owned();
    };
    let (path, fragment) = target
        .split_once('#')
        .map_or((target, None), |(p, f)| (p, Some(f)));
    match links.resolve(path) {
        Ok(url) => match fragment {
            Some(f) => format!("{url}#{f}"),
            None => url,
        },
        Err(problem) => {
            broken.push(BrokenLink {
                offset,
                target: dest.to_owned(),
                problem,
            });
            "#".to_owned()
        }
    }
}

fn is_script_url(dest: &str) -> bool {
    let lower: String = dest
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    ["javascript:", "vbscript:", "data:text/html"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// Gives every heading without an explicit id one made from its text, unique in the body.
fn add_heading_ids(events: &mut [(Event, usize)]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
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
        if c.is_alphanumeric() {
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

    struct Links;
    impl Resolve for Links {
        fn resolve(&self, target: &str) -> Result<String, String> {
            match target {
                "cases/a.md" => Ok("/cases/a/".into()),
                _ => Err(format!("no content file `{target}`")),
            }
        }
    }

    #[test]
    fn internal_links_resolve_with_fragment() {
        let r = render("见[案例](@/cases/a.md#处理)", false, &Links);
        assert!(
            r.html.contains(r#"href="/cases/a/#%E5%A4%84%E7%90%86""#),
            "{}",
            r.html
        );
        assert!(r.broken.is_empty());
    }

    #[test]
    fn broken_links_are_reported_with_offset() {
        let r = render("第一行\n\n[坏](@/cases/b.md)", false, &Links);
        assert_eq!(r.broken[0].target, "@/cases/b.md");
        assert_eq!(
            &"第一行\n\n[坏](@/cases/b.md)"[r.broken[0].offset..][..1],
            "["
        );
    }

    #[test]
    fn raw_html_and_script_links_are_neutralised() {
        let r = render(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b>b</b>",
            false,
            &Links,
        );
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(!r.html.contains("javascript:"));
        assert!(!r.html.contains("<b>"));
        let r = render("<b>b</b>", true, &Links);
        assert!(r.html.contains("<b>b</b>"));
    }

    #[test]
    fn headings_get_unique_chinese_anchors() {
        let r = render(
            "## 条文释义\n\n## 条文释义\n\n## Case Study!",
            false,
            &Links,
        );
        assert!(r.html.contains(r#"<h2 id="条文释义">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="条文释义-1">"#));
        assert!(r.html.contains(r#"<h2 id="case-study">"#));
    }
}
