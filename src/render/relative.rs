//! Relative links for a site opened from disk (`build --relative`): every internal address in
//! a page's attributes is rewritten relative to the page, ending in `index.html` where a
//! folder is meant, so the pages navigate by file:// as mdBook's do. Absolute addresses with
//! a host (canonical, feeds, QR codes) stay as they are.

/// Attributes that hold addresses, and whether a folder address there means its `index.html`
/// (a link or a form does; the search script's index folder does not).
const ATTRIBUTES: &[(&str, bool)] = &[
    ("href", true),
    ("action", true),
    ("src", false),
    ("data-index", false),
];

/// `html` (a page written to `page`, relative to the output folder) with every address under
/// `base` in an address attribute made relative to the page.
pub fn rewrite(html: &str, page: &str, base: &str) -> String {
    let up = "../".repeat(page.matches('/').count());
    map_addresses(html, |value, index| relative(value, &up, base, index))
}

/// `html` with the value of every address attribute (`href`, `action`, `src`, `data-index`)
/// replaced by `f(value, index)`, where `index` says whether a folder there means its
/// `index.html`; everything else stays as it is. SCORM packages use it to rewrite links again.
pub fn map_addresses(html: &str, mut f: impl FnMut(&str, bool) -> String) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(eq) = rest.find("=\"") {
        let start = eq + 2;
        out.push_str(&rest[..start]);
        let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        let value = &rest[start..end];
        match attribute(&rest[..eq]) {
            Some(index) => out.push_str(&f(value, index)),
            None => out.push_str(value),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Whether the attribute whose name ends `before` holds an address, and if so whether a folder
/// there means its `index.html`.
fn attribute(before: &str) -> Option<bool> {
    let name_start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .map_or(0, |i| i + 1);
    let preceded_by_space = before[..name_start].ends_with(|c: char| c.is_ascii_whitespace());
    let name = &before[name_start..];
    ATTRIBUTES
        .iter()
        .find(|(a, _)| a.eq_ignore_ascii_case(name))
        .filter(|_| preceded_by_space)
        .map(|&(_, index)| index)
}

/// `value` relative to a page `up` folders below the site root, if it is an address under
/// `base`; otherwise `value` unchanged.
fn relative(value: &str, up: &str, base: &str, index: bool) -> String {
    let Some(rest) = value
        .strip_prefix(base)
        .filter(|_| !value.starts_with("//"))
    else {
        return value.to_owned();
    };
    let split = rest.find(['?', '#']).unwrap_or(rest.len());
    let (path, suffix) = rest.split_at(split);
    let file = if index && (path.is_empty() || path.ends_with('/')) {
        "index.html"
    } else {
        ""
    };
    let out = format!("{up}{path}{file}{suffix}");
    if out.is_empty() || out.starts_with(['?', '#']) {
        format!("./{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_become_relative_to_the_page() {
        let html = r#"<a href="/sub/cases/a/">案</a><link rel="stylesheet" href="/sub/static/q.css"><img src="/sub/cases/p.png" alt=""><form action="/sub/search/"></form><a href="/sub/#main">首页</a>"#;
        let out = rewrite(html, "cases/b/index.html", "/sub/");
        assert_eq!(
            out,
            r#"<a href="../../cases/a/index.html">案</a><link rel="stylesheet" href="../../static/q.css"><img src="../../cases/p.png" alt=""><form action="../../search/index.html"></form><a href="../../index.html#main">首页</a>"#
        );
    }

    #[test]
    fn other_addresses_and_text_stay() {
        let html = r#"<link rel="canonical" href="https://a.cn/sub/x/"><a href="//evil.cn/">x</a><a href="mailto:a@b.cn">m</a><p data-path="/sub/x/">href="/sub/"</p><a title="/sub/x/" href="tel:123">t</a>"#;
        assert_eq!(rewrite(html, "x/index.html", "/sub/"), html);
    }

    #[test]
    fn the_root_page_and_folder_attributes() {
        let out = rewrite(
            r#"<a href="/">h</a><script src="/static/s.js" data-index="/search/"></script>"#,
            "index.html",
            "/",
        );
        assert_eq!(
            out,
            r#"<a href="index.html">h</a><script src="static/s.js" data-index="search/"></script>"#
        );
        let out = rewrite(
            r#"<script data-index="/search/"></script><a href="/search/?q=1">s</a>"#,
            "search/index.html",
            "/",
        );
        assert_eq!(
            out,
            r#"<script data-index="../search/"></script><a href="../search/index.html?q=1">s</a>"#
        );
    }
}
