//! Addresses in packaged pages: the files a page or stylesheet uses (so the theme files and
//! attachments it needs go into the package), and the page rewritten so that every address
//! either stays inside the package or, for a page left out of it, points at the site itself
//! under `base_url` (an absolute address never breaks, wherever the LMS unpacks the zip).

use crate::render::relative::map_addresses;

/// A relative address resolved against the file `from` (a path from the package root): the
/// target's path from the root, still percent-encoded, `.` and `..` resolved (never above the
/// root, as browsers do), a folder meaning its `index.html`; and the rest (`?…`, `#…`).
/// `None` for an address that is not relative: with a scheme (`https:`, `mailto:`), `//host`,
/// `/path`, or only a query or fragment.
pub fn resolve<'v>(from: &str, value: &'v str) -> Option<(String, &'v str)> {
    let split = value.find(['?', '#']).unwrap_or(value.len());
    let (path, rest) = value.split_at(split);
    let scheme = path.find(':').is_some_and(|c| !path[..c].contains('/'));
    if path.is_empty() || path.starts_with('/') || scheme {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut target = parts.join("/");
    let is_folder = matches!(path.rsplit('/').next(), Some("" | "." | ".."));
    if target.is_empty() || is_folder {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    Some((target, rest))
}

/// A percent-encoded path as the file name it names (`%20` → space); a path with a broken
/// escape stays as written.
pub fn decode(path: &str) -> String {
    crate::site::urls::percent_decode(path).unwrap_or_else(|| path.to_owned())
}

/// The files (paths from the package root, decoded) that `path` refers to by relative
/// addresses: the address attributes of a page, `url(…)` in a stylesheet.
pub fn used(path: &str, bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut found = Vec::new();
    if path.ends_with(".html") {
        map_addresses(&text, |value, _| {
            found.extend(resolve(path, value).map(|(target, _)| decode(&target)));
            value.to_owned()
        });
    } else if path.ends_with(".css") {
        for part in text.split("url(").skip(1) {
            let value = part.split(')').next().unwrap_or_default();
            let value = value.trim().trim_matches(['"', '\'']);
            found.extend(resolve(path, value).map(|(target, _)| decode(&target)));
        }
    }
    found
}

/// `html` (the page at `page`) with every address that leaves the package made absolute:
/// a relative one whose target `inside` does not hold points at that page under `base_url`
/// (`…/index.html` as its folder), and a root-relative `/x` at `x` on `base_url`'s host.
pub fn rewrite(html: &str, page: &str, inside: &dyn Fn(&str) -> bool, base_url: &str) -> String {
    map_addresses(html, |value, _| {
        if value.starts_with('/') && !value.starts_with("//") {
            return format!("{}{value}", origin(base_url));
        }
        match resolve(page, value) {
            Some((target, rest)) if !inside(&decode(&target)) => {
                format!("{base_url}{}{rest}", folder(&target))
            }
            _ => value.to_owned(),
        }
    })
}

/// `a/index.html` → `a/`, `index.html` → ``; other paths as they are.
fn folder(path: &str) -> &str {
    if path == "index.html" {
        ""
    } else {
        path.strip_suffix("index.html")
            .filter(|p| p.ends_with('/'))
            .unwrap_or(path)
    }
}

/// `https://host:8080/sub/` → `https://host:8080`.
fn origin(base_url: &str) -> &str {
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    match base_url[after_scheme..].find('/') {
        Some(slash) => &base_url[..after_scheme + slash],
        None => base_url.trim_end_matches('/'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_addresses_resolve_from_their_page() {
        let r = |value| resolve("modules/m1/index.html", value);
        assert_eq!(
            r("../../principles/08/index.html"),
            Some(("principles/08/index.html".into(), ""))
        );
        assert_eq!(
            r("../../quizzes/red/index.html?module=modules/m1"),
            Some(("quizzes/red/index.html".into(), "?module=modules/m1"))
        );
        assert_eq!(
            r("./#main"),
            Some(("modules/m1/index.html".into(), "#main"))
        );
        assert_eq!(
            r("../../../../x.pdf"),
            Some(("x.pdf".into(), "")),
            "clamped"
        );
        assert_eq!(r("../"), Some(("modules/index.html".into(), "")));
        for other in [
            "#main",
            "?q=1",
            "https://a.cn/x",
            "mailto:a@b.cn",
            "tel:1",
            "//h/x",
            "/x",
            "",
        ] {
            assert_eq!(r(other), None, "{other}");
        }
        assert_eq!(decode("files/%E5%88%B6%20a.pdf"), "files/制 a.pdf");
        assert_eq!(decode("100%"), "100%");
    }

    #[test]
    fn pages_and_stylesheets_name_what_they_use() {
        let html = br##"<link href="../../static/q.css"><img src="a%20b.png"><a href="https://x.cn/">x</a><a href="#top">t</a>"##;
        assert_eq!(
            used("cases/c/index.html", html),
            ["static/q.css", "cases/c/a b.png"]
        );
        let css = b"body{background:url(\"img/bg.png\")} .x{background:url( /abs.png )}";
        assert_eq!(used("static/q.css", css), ["static/img/bg.png"]);
    }

    #[test]
    fn addresses_leaving_the_package_become_absolute() {
        let html = r##"<a href="../../index.html">首页</a><a href="../../principles/08/index.html#x">八</a><a href="../../report/index.html">举报</a><form action="../../search/index.html"></form><link href="../../static/q.css"><a href="/other/">o</a><a href="tel:1">t</a>"##;
        let inside = |p: &str| p == "principles/08/index.html" || p == "static/q.css";
        let out = rewrite(html, "modules/m1/index.html", &inside, "https://h.cn/sub/");
        assert_eq!(
            out,
            r##"<a href="https://h.cn/sub/">首页</a><a href="../../principles/08/index.html#x">八</a><a href="https://h.cn/sub/report/">举报</a><form action="https://h.cn/sub/search/"></form><link href="../../static/q.css"><a href="https://h.cn/other/">o</a><a href="tel:1">t</a>"##
        );
    }
}
