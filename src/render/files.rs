//! The site's own files: sitemap, robots.txt, the 404 page, the theme's static files and
//! the attachments.

use serde::Serialize;

use super::{Content, Env, Layout, Reader};
use crate::diag::Diagnostic;
use crate::kinds::Kind;

/// Every published page's absolute address, with its last change when known.
pub fn sitemap(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct SitemapUrl {
        loc: String,
        lastmod: Option<String>,
    }
    #[derive(Serialize)]
    struct SitemapCtx {
        urls: Vec<SitemapUrl>,
    }
    let pages = r.addresses();
    let mut urls = vec![SitemapUrl {
        loc: r.absolute(r.base_path()),
        lastmod: None,
    }];
    for &kind in Kind::ALL {
        if kind.listed() && r.has_section(kind) {
            urls.push(SitemapUrl {
                loc: r.absolute(&r.section_url(kind)),
                lastmod: None,
            });
        }
    }
    urls.extend(pages.map(|p| SitemapUrl {
        loc: r.absolute(p.url),
        lastmod: p.meta.updated.or(p.meta.date).map(|d| d.to_string()),
    }));
    env.emit("sitemap.xml", &SitemapCtx { urls })
}

pub fn robots(env: &Env) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct RobotsCtx {
        sitemap: String,
        staff_build: bool,
    }
    let ctx = RobotsCtx {
        sitemap: format!("{}sitemap.xml", env.view.base_url),
        staff_build: env.view.staff_build,
    };
    env.emit("robots.txt", &ctx)
}

pub fn not_found(env: &Env) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct NotFoundCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
    }
    let title = env.r.strings.get("not_found.title");
    let path = format!("{}404.html", env.view.base);
    let layout = Layout::new(env.view, &title, None, &path);
    env.emit("404.html", &NotFoundCtx { layout })
}

/// A theme file under `static/`, as it is.
pub fn theme_static(env: &Env, rel: &str) -> Content {
    let bytes = env
        .r
        .theme
        .get(&format!("static/{rel}"))
        .map_or_else(Vec::new, |f| f.bytes.to_vec());
    Content::Bytes(bytes)
}

/// An attachment, copied as it is.
pub fn asset(r: &Reader, rel: &str) -> Content {
    // Whether it is published depends on every page that could link it.
    r.everything();
    let path = r.asset(rel).map(|a| a.abs.clone()).unwrap_or_default();
    Content::Copy(path)
}
