//! Atom 1.0 feeds of disclosures: all of them, and one per category (the latest entries).

use serde::Serialize;

use super::{Env, Reader};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::disclosure::Disclosure;
use crate::plan;
use crate::types::Date;

/// Entries in one feed: feed readers only look at the latest.
pub const FEED_ENTRIES: usize = 50;

pub fn render(env: &Env, r: &Reader, category: Option<&str>) -> Result<Vec<u8>, Diagnostic> {
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
    let s = env.site;
    let ids: Vec<String> = r
        .order(Kind::Disclosure)
        .iter()
        .filter(|id| {
            category.is_none_or(|c| {
                r.item(id)
                    .and_then(|i| i.get::<Disclosure>())
                    .is_some_and(|d| d.category.trim() == c)
            })
        })
        .take(FEED_ENTRIES)
        .cloned()
        .collect();
    let items = r.pages_of::<Disclosure>(&ids);
    let stamp = |d: Option<Date>| rfc3339(d.unwrap_or(s.options.today), &s.config.timezone);
    let entries: Vec<Entry> = items
        .iter()
        .map(|p| {
            let m = &p.item.meta;
            Entry {
                title: &m.title,
                url: s.absolute(p.url),
                published: stamp(m.date),
                updated: stamp(m.updated.or(m.date)),
                summary: m.summary.as_deref().or(m.description.as_deref()),
                category: &p.data.category,
                content_html: p.html,
            }
        })
        .collect();
    let newest = items
        .iter()
        .filter_map(|p| p.item.meta.updated.or(p.item.meta.date))
        .max();
    let section = env.r.strings.get("nav.disclosures");
    let title = match category {
        Some(c) => format!("{} · {section} · {c}", s.config.title),
        None => format!("{} · {section}", s.config.title),
    };
    let ctx = FeedCtx {
        title,
        feed_url: s.absolute(&plan::feed_url(s, category).unwrap_or_default()),
        page_url: s.absolute(&s.section_url(Kind::Disclosure)),
        updated: stamp(newest),
        author: &s.config.hospital,
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
