//! Atom 1.0 feeds: of disclosures (all of them, and one per category) and of each kind that
//! has one (the news); the latest entries of each.

use serde::Serialize;

use super::{Env, Reader};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::Meta;
use crate::kinds::disclosure::Disclosure;
use crate::plan;
use crate::types::Date;

/// Entries in one feed: feed readers only look at the latest.
pub const FEED_ENTRIES: usize = 50;

#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    url: String,
    published: String,
    updated: String,
    summary: Option<&'a str>,
    category: &'a str,
    content_html: &'a str,
}

#[derive(Serialize)]
struct FeedCtx<'a> {
    title: String,
    feed_url: String,
    page_url: String,
    updated: String,
    author: &'a str,
    entries: Vec<Entry<'a>>,
}

/// The feed of all disclosures, or of one category.
pub fn render(env: &Env, r: &Reader, category: Option<&str>) -> Result<Vec<u8>, Diagnostic> {
    let s = r;
    let ids = match category {
        Some(c) => r.in_category(c),
        None => r.order(Kind::Disclosure),
    };
    let items = r.pages_of::<Disclosure>(&ids[..ids.len().min(FEED_ENTRIES)]);
    let entries = items
        .iter()
        .map(|p| entry(r, &p.item.meta, p.url, p.html, &p.data.category))
        .collect();
    let section = env.r.strings.get("nav.disclosures");
    let title = match category {
        Some(c) => format!("{} · {section} · {c}", s.config().title),
        None => format!("{} · {section}", s.config().title),
    };
    let feed_url = plan::feed_url(s, category).unwrap_or_default();
    emit(env, r, title, &feed_url, Kind::Disclosure, entries)
}

/// The feed of a kind's latest items (the news), each under its first tag.
pub fn kind(env: &Env, r: &Reader, kind: Kind) -> Result<Vec<u8>, Diagnostic> {
    let s = r;
    let ids = r.order(kind);
    let entries = (ids.iter().take(FEED_ENTRIES))
        .filter_map(|id| r.view(id))
        .map(|p| {
            let tag = p.meta.tags.first().map_or("", String::as_str);
            entry(r, p.meta, p.url, p.html, tag)
        })
        .collect();
    let section = env.r.strings.get(&format!("nav.{}", kind.folder()));
    let title = format!("{} · {section}", s.config().title);
    let url = plan::kind_feed_url(s, kind).unwrap_or_default();
    emit(env, r, title, &url, kind, entries)
}

fn stamp(r: &Reader, d: Option<Date>) -> String {
    rfc3339(d.unwrap_or(r.today()), &r.config().timezone)
}

fn entry<'a>(r: &Reader, m: &'a Meta, url: &str, html: &'a str, category: &'a str) -> Entry<'a> {
    Entry {
        title: &m.title,
        url: r.absolute(url),
        published: stamp(r, m.date),
        updated: stamp(r, m.updated.or(m.date)),
        summary: m.summary.as_deref().or(m.description.as_deref()),
        category,
        content_html: html,
    }
}

fn emit(
    env: &Env,
    r: &Reader,
    title: String,
    feed_url: &str,
    kind: Kind,
    entries: Vec<Entry>,
) -> Result<Vec<u8>, Diagnostic> {
    let s = r;
    let newest = entries.iter().map(|e| e.updated.as_str()).max();
    let updated = newest.map_or_else(|| stamp(r, None), str::to_owned);
    let ctx = FeedCtx {
        title,
        feed_url: s.absolute(feed_url),
        page_url: s.absolute(&s.section_url(kind)),
        updated,
        author: &s.config().hospital,
        entries,
    };
    env.emit("atom.xml", &ctx)
}

/// Midnight of `date` in the site's time zone, as RFC 3339 (`2025-01-01T00:00:00+08:00`).
fn rfc3339(date: Date, timezone: &str) -> String {
    let tz = jiff::tz::TimeZone::get(timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let offset = tz.to_offset(
        date.0
            .to_datetime(jiff::civil::Time::midnight())
            .to_zoned_datetime(tz.clone())
            .map_or(jiff::Timestamp::UNIX_EPOCH, |z| z.timestamp()),
    );
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let (h, m) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
    format!("{date}T00:00:00{sign}{h:02}:{m:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_dates_carry_the_site_offset() {
        let d = Date::parse("2025-01-01").unwrap();
        assert_eq!(rfc3339(d, "Asia/Shanghai"), "2025-01-01T00:00:00+08:00");
        assert_eq!(rfc3339(d, "UTC"), "2025-01-01T00:00:00+00:00");
    }
}
