//! Requests to paths in the site: the path under the site's base path, checked so nothing
//! outside the site can be named, and the content type of each kind of file.

/// Why a request path is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// It tries to leave the site (`..`, an encoded slash, a backslash, NUL).
    Escapes,
    /// It is not under the site's base path.
    Elsewhere,
}

/// The output path a request for `url` (path and query as sent) names, under `base` (the
/// base path, `/` or `/sub/`): `cases/x/index.html` for `/sub/cases/x/`.
pub fn output_path(url: &str, base: &str) -> Result<String, Refusal> {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let lower = raw.to_ascii_lowercase();
    if raw.contains('\\') || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")
    {
        return Err(Refusal::Escapes);
    }
    let path = crate::site::urls::percent_decode(raw).ok_or(Refusal::Escapes)?;
    if path.contains('\0') || path.contains('\\') {
        return Err(Refusal::Escapes);
    }
    let rest = if path == base.trim_end_matches('/') {
        ""
    } else {
        path.strip_prefix(base).ok_or(Refusal::Elsewhere)?
    };
    if rest.starts_with('/') || rest.split('/').any(|s| s == ".." || s == ".") {
        return Err(Refusal::Escapes);
    }
    if rest.is_empty() || rest.ends_with('/') {
        Ok(format!("{rest}index.html"))
    } else {
        Ok(rest.to_owned())
    }
}

/// The content type of an output by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_the_base_map_to_output_files() {
        assert_eq!(output_path("/", "/").unwrap(), "index.html");
        assert_eq!(
            output_path("/cases/x/?q=1", "/").unwrap(),
            "cases/x/index.html"
        );
        assert_eq!(
            output_path("/sub/static/q.css", "/sub/").unwrap(),
            "static/q.css"
        );
        assert_eq!(output_path("/sub", "/sub/").unwrap(), "index.html");
        assert_eq!(
            output_path("/%E6%A1%88%E4%BE%8B/", "/").unwrap(),
            "案例/index.html"
        );
        assert_eq!(output_path("/cases/", "/sub/"), Err(Refusal::Elsewhere));
    }

    #[test]
    fn every_way_out_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/cases/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc",
            "/cases%2f..%2f..",
            "/a\\..\\b",
            "/a%5c..",
            "/a%00.html",
            "//etc/passwd",
            "/./x",
            "/%zz",
        ] {
            assert_eq!(output_path(bad, "/"), Err(Refusal::Escapes), "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("x.PDF"), "application/pdf");
        assert_eq!(content_type("f.woff2"), "font/woff2");
    }
}
