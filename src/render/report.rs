//! The report page (every active channel, grouped by kind, with what happens after a
//! report), each channel's page, and the printable A4 QR posters.

use serde::Serialize;

use super::views::{self, ChannelView, ItemView};
use super::{Env, Layout, Reader, Strings, script_json};
use crate::config::Report;
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::channel::{Channel, ChannelKind};
use crate::plan;
use crate::site::{Link, PageRef, Site};

/// Channels on a poster page; more go onto further A4 pages.
pub const POSTER_CHANNELS_PER_PAGE: usize = 6;

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

/// Active channels grouped under their kind's label.
#[derive(Serialize)]
struct KindGroup<'a> {
    kind: &'static str,
    label: String,
    channels: Vec<ChannelView<'a>>,
}

fn group_by_kind<'a>(
    site: &Site,
    channels: &[PageRef<'a, Channel>],
    t: &Strings,
) -> Vec<KindGroup<'a>> {
    let mut groups: Vec<KindGroup> = Vec::new();
    for c in channels {
        let view = channel_card(site, c, t);
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
fn contact_points(site: &Site, active: &[PageRef<Channel>]) -> String {
    let points: Vec<serde_json::Value> = active
        .iter()
        .map(|p| {
            let c = p.data;
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

/// The report page.
pub fn report(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        intro_html: &'a str,
        groups: Vec<KindGroup<'a>>,
        report: &'a Report,
        poster_url: Option<String>,
        poster_locations: Vec<Link>,
        json_ld: String,
    }
    let s = env.site;
    let today = s.options.today;
    let active: Vec<PageRef<Channel>> = r
        .ordered::<Channel>()
        .into_iter()
        .filter(|c| c.data.active_on(today))
        .collect();
    let url = s.section_url(Kind::Channel);
    let (layout, intro_html) = super::lists::section(env, r, Kind::Channel, "nav.report", &url);
    let any_poster = plan::poster_channels(s).next().is_some();
    let ctx = ListCtx {
        layout,
        intro_html,
        groups: group_by_kind(env.site, &active, &env.r.strings),
        report: &s.config.report,
        poster_url: any_poster.then(|| plan::poster_url(s, None)).flatten(),
        poster_locations: poster_locations(s),
        json_ld: contact_points(s, &active),
    };
    env.emit("report.html", &ctx)
}

/// A channel's own page.
pub fn channel(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        page: ItemView<'a>,
        channel: ChannelView<'a>,
        expired: bool,
    }
    let Some(p) = r.page::<Channel>(id) else {
        return Ok(Vec::new());
    };
    let ctx = ItemCtx {
        layout: super::items::item_layout(env, r, &p),
        page: ItemView::of(&p),
        channel: channel_card(env.site, &p, &env.r.strings),
        expired: !p.data.active_on(env.site.options.today),
    };
    env.emit("channel.html", &ctx)
}

/// The distinct `location`s of poster channels, each with its poster's address.
fn poster_locations(site: &Site) -> Vec<Link> {
    let mut seen: Vec<Link> = Vec::new();
    for c in plan::poster_channels(site) {
        let Some(loc) = c
            .data
            .location
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        else {
            continue;
        };
        if seen.iter().any(|l| l.title == loc) {
            continue;
        }
        if let Some(url) = plan::poster_url(site, Some(loc)) {
            seen.push(Link {
                title: loc.to_owned(),
                url,
            });
        }
    }
    seen.sort_by(|a, b| a.title.cmp(&b.title));
    seen
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

fn poster_channel<'a>(site: &Site, p: &PageRef<'a, Channel>, t: &Strings) -> PosterChannel<'a> {
    let c = p.data;
    let (qr_svg, qr_image) = qr_code(site, p);
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

/// A channel's code to scan: its own image (`qr_image`) when it has one, else a code made
/// from its address.
fn qr_code(site: &Site, p: &PageRef<Channel>) -> (Option<String>, Option<String>) {
    let c = p.data;
    let image = c
        .qr_image
        .as_deref()
        .map(|rel| format!("{}{}", site.base_path, rel.trim_start_matches("@/")));
    if image.is_some() {
        return (None, image);
    }
    (
        qr_target(c).and_then(|text| qr_svg(&text, &p.item.meta.title)),
        None,
    )
}

/// A channel as the report page and its own page show it: a WeChat channel with its code.
fn channel_card<'a>(site: &Site, p: &PageRef<'a, Channel>, t: &Strings) -> ChannelView<'a> {
    let mut view = views::channel_view(p, t);
    if p.data.kind == ChannelKind::Wechat {
        (view.qr_svg, view.qr_image) = qr_code(site, p);
    }
    view
}

/// The A4 poster of all channels, or of one location (its channels and those without one).
pub fn poster(env: &Env, r: &Reader, location: Option<&str>) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct PosterCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        location: Option<&'a str>,
        pages: Vec<Vec<PosterChannel<'a>>>,
        report: &'a Report,
    }
    let s = env.site;
    let t = &env.r.strings;
    // Every channel may join or leave this poster (its `location`, `poster`, dates).
    r.ordered::<Channel>();
    let here = plan::poster_channels(s).filter(|c| {
        location.is_none()
            || c.data
                .location
                .as_deref()
                .is_none_or(|l| l.trim() == location.unwrap_or(""))
    });
    let cards: Vec<PosterChannel> = here
        .map(|c| {
            r.item(&c.item.id);
            poster_channel(s, &c, t)
        })
        .collect();
    let pages: Vec<Vec<PosterChannel>> = chunk(cards, POSTER_CHANNELS_PER_PAGE);
    let title = match location {
        Some(l) => format!("{} · {l}", t.get("poster.title")),
        None => t.get("poster.title"),
    };
    let url = plan::poster_url(s, location).unwrap_or_default();
    let ctx = PosterCtx {
        layout: Layout::new(s, env.view, &title, None, &url),
        location,
        pages,
        report: &s.config.report,
    };
    env.emit("poster.html", &ctx)
}

fn chunk<T>(items: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut pages: Vec<Vec<T>> = Vec::new();
    for item in items {
        match pages.last_mut() {
            Some(p) if p.len() < size => p.push(item),
            _ => pages.push(vec![item]),
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
