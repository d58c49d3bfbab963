//! The public side: the report page and its printable QR posters, disclosures by category and
//! year, and their Atom feeds.

use std::collections::BTreeMap;

use serde::Serialize;

use super::pages::{Env, Found};
use super::study::script_json;
use super::views::{self, ChannelView, DisclosureRow, ItemView};
use super::{Layout, Strings};
use crate::config::Report;
use crate::kinds::channel::{Channel, ChannelKind};
use crate::kinds::{Kind, disclosure};
use crate::site::{Link, Page, Site};

/// Channels on a poster page; more go onto further A4 pages.
pub const POSTER_CHANNELS_PER_PAGE: usize = 6;

/// A path segment from free text (a category or location): no separators, no spaces.
pub fn segment(text: &str) -> String {
    let cleaned: String = text
        .trim()
        .chars()
        .map(|c| {
            if c.is_whitespace() || "/\\?#%<>\"':*|.".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('-').to_owned();
    if cleaned.is_empty() {
        "other".into()
    } else {
        cleaned
    }
}

/// An inline SVG QR code for `text`, labelled for screen readers.
pub fn qr_svg(text: &str, label: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(150, 150)
        .quiet_zone(true)
        .build();
    let start = svg.find("<svg")?;
    let label = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    Some(svg[start..].replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{label}\""),
        1,
    ))
}

/// What a QR code on a poster should open: web and WeChat addresses, and e-mail.
fn qr_target(c: &Channel) -> Option<String> {
    match c.kind {
        ChannelKind::Web | ChannelKind::Wechat
            if c.value.starts_with("http://") || c.value.starts_with("https://") =>
        {
            Some(c.value.clone())
        }
        ChannelKind::Email => c.href(),
        _ => None,
    }
}

/// Active channels that go on posters, grouped under their kind's label.
#[derive(Serialize)]
struct KindGroup<'a> {
    kind: &'static str,
    label: String,
    channels: Vec<ChannelView<'a>>,
}

fn group_by_kind<'a>(
    channels: impl Iterator<Item = &'a Page<Channel>>,
    t: &Strings,
) -> Vec<KindGroup<'a>> {
    let mut groups: Vec<KindGroup> = Vec::new();
    for c in channels {
        let view = views::channel_view(c, t);
        match groups.last_mut() {
            Some(g) if g.kind == view.kind => g.channels.push(view),
            _ => groups.push(KindGroup {
                kind: view.kind,
                label: view.kind_label.clone(),
                channels: vec![view],
            }),
        }
    }
    groups
}

/// schema.org JSON-LD: the hospital and its reporting contact points.
fn contact_points(site: &Site, active: &[&Page<Channel>]) -> String {
    let points: Vec<serde_json::Value> = active
        .iter()
        .map(|p| {
            let c = &p.item.data;
            let mut v = serde_json::json!({
                "@type": "ContactPoint",
                "contactType": p.item.meta.title,
                "availableLanguage": "zh-CN",
            });
            match c.kind {
                ChannelKind::Phone | ChannelKind::Sms => v["telephone"] = c.value.clone().into(),
                ChannelKind::Email => v["email"] = c.value.clone().into(),
                ChannelKind::Web => v["url"] = c.value.clone().into(),
                _ => v["description"] = c.value.clone().into(),
            }
            if let Some(h) = &c.hours {
                v["hoursAvailable"] =
                    serde_json::json!({"@type": "OpeningHoursSpecification", "description": h});
            }
            if let Some(s) = &c.scope {
                v["areaServed"] = s.clone().into();
            }
            v
        })
        .collect();
    script_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Hospital",
        "name": site.config.hospital,
        "url": site.base_url,
        "contactPoint": points,
    }))
}

/// Channels for the posters: active, not `poster: false`, in report order.
fn poster_channels(site: &Site) -> impl Iterator<Item = &Page<Channel>> {
    let today = site.options.today;
    site.channels
        .iter()
        .filter(move |c| c.item.data.active_on(today) && c.item.data.poster != Some(false))
}

/// The distinct `location`s of poster channels, each with its poster's address.
fn poster_locations(site: &Site) -> Vec<(String, Link)> {
    let poster = poster_url(site);
    let mut seen: BTreeMap<String, Link> = BTreeMap::new();
    for c in poster_channels(site) {
        if let Some(loc) = c
            .item
            .data
            .location
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let url = format!("{poster}{}/", segment(loc));
            seen.entry(loc.to_owned()).or_insert(Link {
                title: loc.to_owned(),
                url,
            });
        }
    }
    seen.into_iter().collect()
}

fn poster_url(site: &Site) -> String {
    format!("{}poster/", site.section_url(Kind::Channel))
}

#[derive(Serialize)]
struct PosterChannel<'a> {
    title: &'a str,
    kind: &'static str,
    kind_label: String,
    value: &'a str,
    hours: Option<&'a str>,
    anonymous: Option<bool>,
    qr_svg: Option<String>,
    qr_image: Option<String>,
}

fn poster_channel<'a>(site: &Site, p: &'a Page<Channel>, t: &Strings) -> PosterChannel<'a> {
    let c = &p.item.data;
    let qr_image = c
        .qr_image
        .as_deref()
        .map(|rel| format!("{}{}", site.base_path, rel.trim_start_matches("@/")));
    let qr_svg = if qr_image.is_some() {
        None
    } else {
        qr_target(c).and_then(|text| qr_svg(&text, &p.item.meta.title))
    };
    PosterChannel {
        title: &p.item.meta.title,
        kind: c.kind.token(),
        kind_label: t.label("channel_kind", c.kind.token()),
        value: &c.value,
        hours: c.hours.as_deref(),
        anonymous: c.anonymous,
        qr_svg,
        qr_image,
    }
}

impl<'a> Env<'a> {
    pub(super) fn report(&self) -> Found {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            groups: Vec<KindGroup<'a>>,
            report: &'a Report,
            poster_url: String,
            poster_locations: Vec<Link>,
            json_ld: String,
        }
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            channel: ChannelView<'a>,
            expired: bool,
        }
        let s = self.site;
        let t = &self.r.strings;
        let today = s.options.today;
        let active: Vec<&Page<Channel>> = s
            .channels
            .iter()
            .filter(|c| c.item.data.active_on(today))
            .collect();
        let (layout, intro_html, out) = self.section(Kind::Channel, "nav.report");
        let ctx = ListCtx {
            layout,
            intro_html,
            groups: group_by_kind(active.iter().copied(), t),
            report: &s.config.report,
            poster_url: poster_url(s),
            poster_locations: poster_locations(s).into_iter().map(|(_, l)| l).collect(),
            json_ld: contact_points(s, &active),
        };
        let mut found = self.one("report.html", &out, &ctx)?;
        found.extend(self.each("channel.html", &s.channels, |p| ItemCtx {
            layout: self.item_layout(p),
            page: ItemView::of(p),
            channel: views::channel_view(p, t),
            expired: !p.item.data.active_on(today),
        })?);
        Ok(found)
    }

    /// The A4 poster of all channels, and one per location.
    pub(super) fn posters(&self) -> Found {
        let s = self.site;
        let all: Vec<&Page<Channel>> = poster_channels(s).collect();
        if all.is_empty() {
            return Ok(Vec::new());
        }
        let mut found = self.poster(&poster_url(s), None, &all)?;
        for (location, link) in poster_locations(s) {
            let here: Vec<&Page<Channel>> = all
                .iter()
                .copied()
                .filter(|c| {
                    c.item
                        .data
                        .location
                        .as_deref()
                        .is_none_or(|l| l.trim() == location)
                })
                .collect();
            found.extend(self.poster(&link.url, Some(&location), &here)?);
        }
        Ok(found)
    }

    fn poster(&self, url: &str, location: Option<&str>, channels: &[&'a Page<Channel>]) -> Found {
        #[derive(Serialize)]
        struct PosterCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            location: Option<&'a str>,
            pages: Vec<Vec<PosterChannel<'a>>>,
            report: &'a Report,
        }
        let s = self.site;
        let t = &self.r.strings;
        let cards: Vec<PosterChannel> = channels.iter().map(|c| poster_channel(s, c, t)).collect();
        let mut pages: Vec<Vec<PosterChannel>> = Vec::new();
        for card in cards {
            match pages.last_mut() {
                Some(p) if p.len() < POSTER_CHANNELS_PER_PAGE => p.push(card),
                _ => pages.push(vec![card]),
            }
        }
        let title = match location {
            Some(l) => format!("{} · {l}", t.get("poster.title")),
            None => t.get("poster.title"),
        };
        let out = format!("{}index.html", &url[s.base_path.len()..]);
        let ctx = PosterCtx {
            layout: self.layout(&title, None, url),
            location,
            pages,
            report: &s.config.report,
        };
        self.one("poster.html", &out, &ctx)
    }

    pub(super) fn disclosures(&self) -> Found {
        #[derive(Serialize)]
        struct Year<'a> {
            year: i16,
            disclosures: Vec<DisclosureRow<'a>>,
        }
        #[derive(Serialize)]
        struct Category<'a> {
            name: &'a str,
            anchor: String,
            feed: String,
            years: Vec<Year<'a>>,
        }
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            categories: Vec<Category<'a>>,
            feed: String,
        }
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            disclosure: &'a disclosure::Disclosure,
            row: DisclosureRow<'a>,
            done: usize,
            open: usize,
        }
        let s = self.site;
        let today = s.options.today;
        let mut categories: Vec<Category> = Vec::new();
        for d in &s.disclosures {
            let name = d.item.data.category.as_str();
            let i = match categories.iter().position(|c| c.name == name) {
                Some(i) => i,
                None => {
                    let anchor = segment(name);
                    categories.push(Category {
                        name,
                        feed: self.feed_url(Some(name)),
                        anchor,
                        years: Vec::new(),
                    });
                    categories.len() - 1
                }
            };
            let year = d.item.meta.date.map_or(0, |x| x.year());
            let years = &mut categories[i].years;
            let row = views::disclosure_row(d, today);
            match years.iter_mut().find(|y| y.year == year) {
                Some(y) => y.disclosures.push(row),
                None => years.push(Year {
                    year,
                    disclosures: vec![row],
                }),
            }
        }
        let (mut layout, intro_html, out) = self.section(Kind::Disclosure, "nav.disclosures");
        layout.feeds = self.feed_links(&categories.iter().map(|c| c.name).collect::<Vec<_>>());
        let feed = self.feed_url(None);
        let mut found = self.one(
            "disclosures.html",
            &out,
            &ListCtx {
                layout,
                intro_html,
                categories,
                feed,
            },
        )?;
        found.extend(self.each(
            "disclosure.html",
            &s.disclosures,
            |p: &'a Page<disclosure::Disclosure>| {
                let items = &p.item.data.items;
                let done = items
                    .iter()
                    .filter(|i| i.status == disclosure::ItemStatus::Done)
                    .count();
                let mut layout = self.item_layout(p);
                layout.feeds = self.feed_links(&[p.item.data.category.as_str()]);
                ItemCtx {
                    layout,
                    page: ItemView::of(p),
                    disclosure: &p.item.data,
                    row: views::disclosure_row(p, today),
                    done,
                    open: items.len() - done,
                }
            },
        )?);
        Ok(found)
    }

    /// `/disclosures/atom.xml`, or `/disclosures/<category>/atom.xml`.
    fn feed_url(&self, category: Option<&str>) -> String {
        let base = self.site.section_url(Kind::Disclosure);
        match category {
            Some(c) => format!("{base}{}/atom.xml", segment(c)),
            None => format!("{base}atom.xml"),
        }
    }

    /// The feed of all disclosures, then one per category, as `<link rel=alternate>` targets.
    fn feed_links(&self, categories: &[&str]) -> Vec<Link> {
        let t = &self.r.strings;
        let mut links = vec![Link {
            title: t.get("feed.all"),
            url: self.feed_url(None),
        }];
        links.extend(categories.iter().map(|c| Link {
            title: format!("{} · {c}", t.get("nav.disclosures")),
            url: self.feed_url(Some(c)),
        }));
        links
    }

    /// Atom 1.0 feeds: all disclosures, and one per category.
    pub(super) fn feeds(&self) -> Found {
        let s = self.site;
        let mut names: Vec<&str> = s
            .disclosures
            .iter()
            .map(|d| d.item.data.category.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        let mut found = self.feed(None, s.disclosures.iter().collect())?;
        for name in names {
            let items = s
                .disclosures
                .iter()
                .filter(|d| d.item.data.category == name)
                .collect();
            found.extend(self.feed(Some(name), items)?);
        }
        Ok(found)
    }

    fn feed(&self, category: Option<&str>, items: Vec<&'a Page<disclosure::Disclosure>>) -> Found {
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
        let s = self.site;
        let abs = |url: &str| {
            format!(
                "{}{}",
                s.base_url,
                url.strip_prefix(s.base_path.as_str()).unwrap_or(url)
            )
        };
        let stamp = |d: Option<crate::frontmatter::Date>| {
            rfc3339(d.unwrap_or(s.options.today), &s.config.timezone)
        };
        let entries: Vec<Entry> = items
            .iter()
            .map(|p| {
                let m = &p.item.meta;
                Entry {
                    title: &m.title,
                    url: abs(&p.url),
                    published: stamp(m.date),
                    updated: stamp(m.updated.or(m.date)),
                    summary: m.summary.as_deref().or(m.description.as_deref()),
                    category: &p.item.data.category,
                    content_html: &p.html,
                }
            })
            .collect();
        let newest = items
            .iter()
            .filter_map(|p| p.item.meta.updated.or(p.item.meta.date))
            .max();
        let url = self.feed_url(category);
        let title = match category {
            Some(c) => format!(
                "{} · {} · {c}",
                s.config.title,
                self.r.strings.get("nav.disclosures")
            ),
            None => format!(
                "{} · {}",
                s.config.title,
                self.r.strings.get("nav.disclosures")
            ),
        };
        let ctx = FeedCtx {
            title,
            feed_url: abs(&url),
            page_url: abs(&s.section_url(Kind::Disclosure)),
            updated: stamp(newest),
            author: &s.config.hospital,
            entries,
        };
        self.one("atom.xml", &url[s.base_path.len()..], &ctx)
    }
}

/// Midnight of `date` in the site's time zone, as RFC 3339 (`2025-01-01T00:00:00+08:00`).
fn rfc3339(date: crate::frontmatter::Date, timezone: &str) -> String {
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
    fn segments_are_safe_path_parts() {
        assert_eq!(segment("整改公示"), "整改公示");
        assert_eq!(segment(" 门诊楼 / 一楼 "), "门诊楼---一楼");
        assert_eq!(segment("../.."), "other");
    }

    #[test]
    fn qr_codes_are_inline_labelled_svg() {
        let svg = qr_svg("https://lianjie.example.cn/report/", "网上举报").unwrap();
        assert!(
            svg.starts_with("<svg role=\"img\" aria-label=\"网上举报\""),
            "{}",
            &svg[..80]
        );
        assert!(!svg.contains("<?xml"));
    }

    #[test]
    fn feed_dates_carry_the_site_offset() {
        let d = crate::frontmatter::Date::parse("2025-01-01").unwrap();
        assert_eq!(rfc3339(d, "Asia/Shanghai"), "2025-01-01T00:00:00+08:00");
        assert_eq!(rfc3339(d, "UTC"), "2025-01-01T00:00:00+00:00");
    }
}
