//! WeChat official-account articles (公众号): an item of a kind that makes articles (a case,
//! a news item, a principle, a policy: `KindPages::ARTICLE`) as an HTML file whose article pastes into the account's editor as it looks — styles inline,
//! links as numbered notes at the end, pictures copied beside it and listed for upload, and
//! the hospital's hotline and a QR code of the report page at the end.

mod inline;
mod png;

use crate::built::Site;
use crate::kinds::channel::{Channel, ChannelKind};
use crate::kinds::{Item, Kind};
use crate::pipeline::Prepared;
use crate::render::{Strings, kinds};
pub use inline::{escape, strip_tags};

/// An article: the page to open (the article and, around it, the copy button and the list of
/// pictures to upload) and the files to write beside it, by path from the page's folder.
pub struct Article {
    pub html: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub pictures: usize,
    pub notes: usize,
}

/// The folder beside the page that holds its pictures (`<name>-图片`).
pub fn pictures_folder(name: &str, t: &Strings) -> String {
    format!("{name}-{}", t.get("wechat.pictures_folder"))
}

/// The article of published item `item`, named `name` (its page is `<name>.html`).
pub fn article(prepared: &Prepared, item: &Item, name: &str) -> Article {
    let site = &prepared.site;
    let t = &prepared.renderer.strings;
    let mut parts = Parts {
        site,
        t,
        folder: pictures_folder(name, t),
        notes: Vec::new(),
        pictures: Vec::new(),
        files: Vec::new(),
    };
    let mut body = header(&mut parts, item);
    body.push_str(&inline::inline(site.bodies.html(&item.id), &mut parts));
    body.push_str(&parts.notes_html());
    body.push_str(&parts.report_footer());
    let fragment = format!("<section style=\"{ARTICLE}\">{body}</section>");
    let html = page(&fragment, &parts, &item.meta.title);
    Article {
        html,
        files: parts.files,
        pictures: parts.pictures.len(),
        notes: parts.notes.len(),
    }
}

/// The article's own style: the editor's default body text.
const ARTICLE: &str = "font-size:16px;line-height:1.75;color:#333;letter-spacing:0.5px;";
const TITLE: &str = "margin:0 0 8px;font-size:22px;font-weight:bold;line-height:1.4;color:#9e1b1b;";
const META: &str = "margin:0 0 20px;font-size:14px;color:#888;";
const FACTS: &str =
    "margin:0 0 20px;padding:10px 14px;background:#f7f2f2;border-radius:4px;font-size:15px;";
const FACT: &str = "margin:0 0 4px;";

/// What the article collects while it is written: its notes, pictures and the files to copy.
struct Parts<'a> {
    site: &'a Site,
    t: &'a Strings,
    folder: String,
    notes: Vec<(String, String)>,
    pictures: Vec<(String, String)>,
    files: Vec<(String, Vec<u8>)>,
}

impl inline::Sink for Parts<'_> {
    fn note(&mut self, href: &str, text: &str) -> usize {
        self.notes.push((text.to_owned(), self.absolute(href)));
        self.notes.len()
    }

    fn picture(&mut self, src: &str, alt: &str) -> Option<(String, usize)> {
        let path = src.strip_prefix(self.site.base_path.as_str())?;
        let rel = crate::site::urls::percent_decode(path)?;
        let asset = self.site.assets.get(&rel)?;
        let bytes = crate::fsio::read(&asset.abs).ok()?;
        let n = self.pictures.len() + 1;
        let file_name = rel.rsplit('/').next().unwrap_or(&rel);
        let local = format!("{}/{n:02}-{file_name}", self.folder);
        self.files.push((local.clone(), bytes));
        self.pictures.push((local.clone(), alt.to_owned()));
        Some((local, n))
    }

    fn caption(&self, n: usize, alt: &str) -> String {
        self.t.get_fmt("wechat.figure", &n.to_string()) + " " + alt
    }
}

impl Parts<'_> {
    /// An address as a reader outside the site needs it: the site's own pages in full.
    fn absolute(&self, href: &str) -> String {
        match href.starts_with('/') && !href.starts_with("//") {
            true => self.site.absolute(href),
            false => href.to_owned(),
        }
    }

    fn notes_html(&self) -> String {
        if self.notes.is_empty() {
            return String::new();
        }
        let items: String = (self.notes.iter().enumerate())
            .map(|(i, (text, href))| {
                let (text, href) = (escape(text), escape(href));
                format!(
                    "<p style=\"margin:0 0 4px;word-break:break-all;\">[{}] {text}：{href}</p>",
                    i + 1
                )
            })
            .collect();
        let heading = escape(&self.t.get("wechat.notes"));
        format!(
            "<p style=\"margin:24px 0 8px;font-size:14px;font-weight:bold;color:#888;\">{heading}</p><section style=\"font-size:13px;color:#888;\">{items}</section>"
        )
    }

    /// The hotline (the first active public phone channel, else any) and a QR code of the
    /// report page, as a picture to upload.
    fn report_footer(&mut self) -> String {
        let today = self.site.options.today;
        let channels: Vec<_> = (self.site.ordered::<Channel>())
            .filter(|c| c.data.active_on(today))
            .collect();
        let hotline = (channels.iter())
            .find(|c| c.data.kind == ChannelKind::Phone)
            .or(channels.first());
        let mut out =
            String::from("<hr style=\"margin:28px 0 16px;border:0;border-top:1px solid #ddd;\">");
        let report = escape(&self.t.get("report_entry"));
        out.push_str(&format!("<p style=\"margin:0 0 8px;font-size:18px;font-weight:bold;color:#9e1b1b;text-align:center;\">{report}</p>"));
        if let Some(c) = hotline {
            let label = escape(&self.t.label("channel_kind", c.data.kind.token()));
            let value = escape(&c.data.value);
            let hours = c
                .data
                .hours
                .as_deref()
                .map(|h| format!("<br>{}", escape(h)))
                .unwrap_or_default();
            out.push_str(&format!("<p style=\"margin:0 0 8px;text-align:center;\">{label}：<strong style=\"font-size:20px;color:#9e1b1b;\">{value}</strong>{hours}</p>"));
        }
        let url = self.site.absolute(&self.site.section_url(Kind::Channel));
        if let Some(png) = png::qr_png(&url, 8) {
            let n = self.pictures.len() + 1;
            let local = format!(
                "{}/{n:02}-{}.png",
                self.folder,
                self.t.get("wechat.qr_file")
            );
            let alt = self.t.get("wechat.qr_alt");
            self.files.push((local.clone(), png));
            self.pictures.push((local.clone(), alt.clone()));
            out.push_str(&format!(
                "<img src=\"{}\" alt=\"{}\" style=\"display:block;width:160px;height:160px;margin:8px auto 4px;\"><span style=\"display:block;text-align:center;font-size:13px;color:#888;\">{}</span>",
                escape(&local),
                escape(&alt),
                escape(&self.caption_of(n, &alt))
            ));
        }
        let hospital = escape(&self.site.config.hospital);
        out.push_str(&format!("<p style=\"margin:12px 0 0;text-align:center;font-size:14px;color:#888;\">{hospital}</p>"));
        out
    }

    fn caption_of(&self, n: usize, alt: &str) -> String {
        inline::Sink::caption(self, n, alt)
    }
}

/// The title, the line under it, and what the item's kind shows above its text (a case's
/// facts, a news item's cover: [`kinds::KindPages::article`]).
fn header(parts: &mut Parts, item: &Item) -> String {
    let t = parts.t;
    let title = escape(&item.meta.title);
    let date = item.meta.date.map(|d| d.to_string());
    let head = (parts.site.view(&item.id))
        .and_then(|p| kinds::article(&p, &kinds::Facts::of(parts.site, t, &item.id)))
        .unwrap_or_default();
    let meta: Vec<String> = (head.kicker.into_iter().chain(date))
        .map(|m| escape(&m))
        .collect();
    let mut out = format!(
        "<h1 style=\"{TITLE}\">{title}</h1><p style=\"{META}\">{}</p>",
        meta.join(" · ")
    );
    if let Some(summary) = &item.meta.summary {
        out.push_str(&format!(
            "<p style=\"margin:0 0 16px;color:#555;\">{}</p>",
            escape(summary)
        ));
    }
    let mut facts: Vec<(String, String)> = (head.facts.into_iter())
        .map(|(k, v)| (k, escape(&v)))
        .collect();
    if let Some((rel, alt)) = head.picture {
        facts.extend(picture(parts, &rel, &alt));
    }
    if !facts.is_empty() {
        let rows: String = (facts.iter())
            .map(|(k, v)| {
                format!(
                    "<p style=\"{FACT}\"><strong style=\"font-weight:bold;\">{}</strong>：{v}</p>",
                    escape(k)
                )
            })
            .collect();
        out.push_str(&format!("<section style=\"{FACTS}\">{rows}</section>"));
    }
    out
}

/// A picture above the text (a news item's cover), copied beside the article.
fn picture(parts: &mut Parts, rel: &str, alt: &str) -> Option<(String, String)> {
    let src = format!("{}{rel}", parts.site.base_path);
    let (local, no) = inline::Sink::picture(parts, &src, alt)?;
    let img = format!(
        "<img src=\"{}\" alt=\"{}\" style=\"display:block;max-width:100%;height:auto;margin:4px auto;\">{}",
        escape(&local),
        escape(alt),
        escape(&parts.caption_of(no, alt))
    );
    Some((parts.t.get("wechat.cover"), img))
}

/// The page around the article: how to paste it, the copy button, the pictures to upload.
fn page(fragment: &str, parts: &Parts, title: &str) -> String {
    let t = parts.t;
    let pictures: String = (parts.pictures.iter().enumerate())
        .map(|(i, (file, alt))| {
            format!(
                "<li><a href=\"{}\">{}</a> — {}</li>",
                escape(file),
                escape(&t.get_fmt("wechat.figure", &(i + 1).to_string())),
                escape(alt)
            )
        })
        .collect();
    let copied = crate::render::script_json(&t.get("wechat.copied"));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>{title}</title>\n</head>\n<body style=\"margin:0;background:#eee;font-family:sans-serif;\">\n<div style=\"max-width:680px;margin:0 auto;padding:16px;background:#fff;\">\n<p style=\"font-size:15px;\">{how}</p>\n<p><button type=\"button\" id=\"copy\" style=\"font:inherit;font-size:16px;padding:8px 16px;background:#9e1b1b;color:#fff;border:0;border-radius:4px;cursor:pointer;\">{button}</button> <span id=\"copy-status\" role=\"status\"></span></p>\n<h2 style=\"font-size:16px;\">{upload}</h2>\n<ol>{pictures}</ol>\n<hr>\n<div id=\"article\">{fragment}</div>\n</div>\n<script>(function(){{var b=document.getElementById('copy'),a=document.getElementById('article'),s=document.getElementById('copy-status');\nb.onclick=function(){{var r=document.createRange();r.selectNodeContents(a);var sel=window.getSelection();sel.removeAllRanges();sel.addRange(r);var ok=false;try{{ok=document.execCommand('copy');}}catch(e){{}}s.textContent=ok?{copied}:'';}};}})();</script>\n</body>\n</html>\n",
        lang = escape(&parts.site.config.language),
        title = escape(title),
        how = escape(&t.get("wechat.how")),
        button = escape(&t.get("wechat.copy")),
        upload = escape(&t.get("wechat.upload")),
    )
}
