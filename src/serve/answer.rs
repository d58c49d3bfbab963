//! What the preview answers to a request it takes: the reload events and version, the site's
//! files (pages rendered as asked for, with the reload script; attachments streamed from
//! `content/` when they are still regular files inside it), its 404 page, and refusals.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::guard::{self, Names};
use super::http;
use super::inject;
use super::live::{Live, Served};
use super::wire::{Body, Head, Reply};
use crate::messages::Lang;

/// The site the server shows, and where it comes from.
pub struct Site {
    pub live: Arc<Live>,
    /// The path of `base_url` (`/` or `/sub/`).
    pub base: String,
    pub lang: Lang,
    /// `content/` (and, previewing a unit, the commission's too), resolved: attachments are
    /// served only from inside them.
    pub content: Vec<PathBuf>,
}

/// What to do with a request.
pub enum Answer {
    Reply(Reply),
    /// Hold an event stream for a page of this version.
    Events(u64),
}

/// HTML attachments larger than this are sent as they are, without the reload script.
const MAX_INJECTED: u64 = 4 << 20;

/// The answer to `head`, which reached this server at `local`.
pub fn answer(head: &Head, site: &Site, names: &Names, local: IpAddr) -> Answer {
    if let Err(refusal) = guard::check(head, names, local) {
        return Answer::Reply(Reply::text(refusal.status(), refusal.text()).closing());
    }
    if !matches!(head.method.as_str(), "GET" | "HEAD") {
        let reply = Reply::text(405, "method not allowed\n").with("Allow", "GET, HEAD");
        return Answer::Reply(reply.closing());
    }
    if super::wire::has_body(head) {
        return Answer::Reply(Reply::text(400, "bad request: a body\n").closing());
    }
    let path = head.path();
    let reply = match path {
        inject::EVENTS => return Answer::Events(query_version(&head.target)),
        inject::VERSION => Reply::text(200, &site.live.snapshot().version.to_string()),
        inject::SETTLED => {
            let snap = site.live.snapshot();
            Reply::text(200, &format!("{} {}", snap.version, snap.settled))
        }
        _ => match http::output_path(&head.target, &site.base) {
            Err(http::Refusal::Escapes) => Reply::text(400, "bad request\n").closing(),
            Err(http::Refusal::Elsewhere) if path == "/" => redirect(&site.base),
            Err(http::Refusal::Elsewhere) => not_found(site),
            Ok(rel) => file(site, &rel, &head.target),
        },
    };
    Answer::Reply(reply)
}

fn redirect(to: &str) -> Reply {
    Reply::text(302, "").with("Location", to)
}

/// An output of the site; HTML with the reload script (and the overlay after a failed build).
fn file(site: &Site, rel: &str, target: &str) -> Reply {
    let snap = site.live.snapshot();
    let Some(served) = snap.files.get(rel) else {
        let folder = format!("{rel}/index.html");
        if !rel.ends_with(".html") && snap.files.contains_key(folder.as_str()) {
            let (path, query) = target.split_once('?').unwrap_or((target, ""));
            let q = if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            };
            return redirect(&format!("{path}/{q}"));
        }
        return not_found(site);
    };
    let content_type = http::content_type(rel);
    let html = content_type.starts_with("text/html");
    let page = |bytes: &[u8]| inject::page(bytes, snap.version, &snap.diags, site.lang);
    match served {
        Served::Bytes(b) if html => Reply::new(200, content_type, Body::Owned(page(&b))),
        Served::Bytes(b) => Reply::new(200, content_type, Body::Shared(b)),
        Served::File(path) => match open_inside_any(&path, &site.content) {
            Ok((file, len)) if html && len <= MAX_INJECTED => {
                match crate::fsio::read_open(file, &path, len) {
                    Ok(bytes) => Reply::new(200, content_type, Body::Owned(page(&bytes))),
                    Err(_) => not_found(site),
                }
            }
            Ok((file, len)) => Reply::new(200, content_type, Body::File(file, len)),
            Err(_) => not_found(site),
        },
    }
}

/// Opens `path` when it is inside one of `folders` (where the build found it).
fn open_inside_any(path: &Path, folders: &[PathBuf]) -> crate::error::Result<(std::fs::File, u64)> {
    let inside = folders.iter().find(|f| path.starts_with(f));
    let folder = inside
        .or(folders.first())
        .map_or(Path::new(""), PathBuf::as_path);
    crate::fsio::open_inside(path, folder)
}

/// The site's own 404 page, with status 404.
fn not_found(site: &Site) -> Reply {
    let snap = site.live.snapshot();
    match snap.files.get("404.html") {
        Some(Served::Bytes(b)) => {
            let page = inject::page(&b, snap.version, &snap.diags, site.lang);
            Reply::new(404, "text/html; charset=utf-8", Body::Owned(page))
        }
        _ => Reply::text(404, "not found\n"),
    }
}

/// The `v=` of a query: the version of the page that asks.
fn query_version(target: &str) -> u64 {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("v="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_a_page_asks_with() {
        assert_eq!(query_version("/__qinglian/events?v=12"), 12);
        assert_eq!(query_version("/__qinglian/events?x=1&v=3"), 3);
        assert_eq!(query_version("/__qinglian/events?xv=3"), 0);
        assert_eq!(query_version("/__qinglian/events"), 0);
    }
}
