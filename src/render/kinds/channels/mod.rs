//! Reporting channels (举报渠道): the report page (every active channel, grouped by how it is
//! reached, with what happens after a report), each channel's page, and the printable A4
//! posters ([`posters`]).

pub mod posters;

use serde::Serialize;

use super::KindPages;
use crate::config::Report;
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::channel::{Channel, ChannelKind};
use crate::plan;
use crate::render::items::item_layout;
use crate::render::lists::section;
use crate::render::views::ItemView;
use crate::render::{Env, Layout, Reader, Strings, script_json};
use crate::site::Link;
use crate::built::{PageRef, PageView};
use crate::types::Date;

pub struct Pages;

/// A channel as the report page and its own page show it.
#[derive(Serialize)]
pub struct ChannelView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub kind: &'static str,
    pub kind_label: String,
    pub value: &'a str,
    pub href: Option<String>,
    pub hours: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub anonymous: Option<bool>,
    pub owner: Option<&'a str>,
    pub verified: Option<Date>,
    pub location: Option<&'a str>,
    pub html: &'a str,
    /// A WeChat channel's code to scan: an inline SVG, or the site's own image.
    pub qr_svg: Option<String>,
    pub qr_image: Option<String>,
    /// The channel's own A4 poster, when it has one.
    pub poster_url: Option<String>,
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

/// Active channels grouped under their kind's label.
#[derive(Serialize)]
struct KindGroup<'a> {
    kind: &'static str,
    label: String,
    channels: Vec<ChannelView<'a>>,
}

fn group_by_kind<'a>(
    site: &Reader,
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
fn contact_points(site: &Reader, active: &[PageRef<Channel>]) -> String {
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
        "name": site.config().hospital,
        "url": site.absolute(site.base_path()),
        "contactPoint": points,
    }))
}

impl KindPages for Pages {
    type Data = Channel;
    const TITLE: Option<&'static str> = Some("nav.report");
    const TEMPLATES: &'static [&'static str] = &["report.html", "channel.html", "channel_card.html", "poster.html", "posters.html"];

    fn list(env: &Env, r: &Reader, _page: usize) -> Result<Vec<u8>, Diagnostic> {
        report(env, r)
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        channel(env, r, id)
    }

    /// An expired channel's page says so first; so does its result.
    fn facts(_p: &PageView, c: &Channel, cx: &super::Facts) -> Vec<String> {
        let expired = (!c.active_on(cx.today)).then(|| cx.t.get("channel.expired"));
        let mut out: Vec<String> = expired.into_iter().collect();
        out.extend([cx.t.label("channel_kind", c.kind.token()), c.value.clone()]);
        out.extend([&c.hours, &c.scope, &c.location].into_iter().flatten().cloned());
        out
    }
}

/// The report page.
fn report(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        intro_html: &'a str,
        groups: Vec<KindGroup<'a>>,
        /// In a unit's site, the commission's channels (上级举报渠道), after its own.
        upper_groups: Vec<KindGroup<'a>>,
        /// On a commission's site, each unit's report page.
        unit_reports: Vec<Link>,
        report: &'a Report,
        poster_url: Option<String>,
        poster_locations: Vec<Link>,
        json_ld: String,
    }
    let s = r;
    let today = s.today();
    let active: Vec<PageRef<Channel>> = r
        .ordered::<Channel>()
        .into_iter()
        .filter(|c| c.data.active_on(today))
        .collect();
    let (upper, active): (Vec<_>, Vec<_>) = (active.into_iter())
        .partition(|c| r.from_commission(&c.item.id));
    let url = s.section_url(Kind::Channel);
    let (layout, intro_html) = section(env, r, Kind::Channel, "nav.report", &url);
    let any_poster = s.poster_channels().into_iter().next().is_some();
    let ctx = ListCtx {
        layout,
        intro_html,
        groups: group_by_kind(r, &active, &env.r.strings),
        upper_groups: group_by_kind(r, &upper, &env.r.strings),
        unit_reports: crate::render::units::report_links(r),
        report: &s.config().report,
        poster_url: any_poster.then(|| plan::poster_url(s, None)).flatten(),
        poster_locations: posters::report_links(s, &env.r.strings),
        json_ld: contact_points(s, &[active, upper].concat()),
    };
    env.emit("report.html", &ctx)
}

/// A channel's own page.
fn channel(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
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
        layout: item_layout(env, r, &p),
        page: ItemView::of(&p),
        channel: channel_card(r, &p, &env.r.strings),
        expired: !p.data.active_on(r.today()),
    };
    env.emit("channel.html", &ctx)
}

/// A channel's code to scan: its own image (`qr_image`) when it has one, else a code made
/// from its address.
fn qr_code(site: &Reader, p: &PageRef<Channel>) -> (Option<String>, Option<String>) {
    let c = p.data;
    let image = c
        .qr_image
        .as_deref()
        .map(|rel| format!("{}{}", site.base_path(), rel.trim_start_matches("@/")));
    if image.is_some() {
        return (None, image);
    }
    (
        qr_target(c).and_then(|text| qr_svg(&text, &p.item.meta.title)),
        None,
    )
}

/// A channel as the report page and its own page show it: a WeChat channel with its code.
fn channel_card<'a>(site: &Reader, p: &PageRef<'a, Channel>, t: &Strings) -> ChannelView<'a> {
    let mut view = channel_view(p, t);
    if p.data.kind == ChannelKind::Wechat {
        (view.qr_svg, view.qr_image) = qr_code(site, p);
    }
    let on_poster = p.data.active_on(site.today()) && p.data.poster != Some(false);
    view.poster_url = on_poster.then(|| plan::channel_poster_url(p.url));
    view
}

fn channel_view<'a>(p: &PageRef<'a, Channel>, t: &Strings) -> ChannelView<'a> {
    let c = p.data;
    ChannelView {
        title: &p.item.meta.title,
        url: p.url,
        kind: c.kind.token(),
        kind_label: t.label("channel_kind", c.kind.token()),
        value: &c.value,
        href: c.href(),
        hours: c.hours.as_deref(),
        scope: c.scope.as_deref(),
        anonymous: c.anonymous,
        owner: c.owner.as_deref(),
        verified: c.verified,
        location: c.location.as_deref(),
        html: p.html,
        qr_svg: None,
        qr_image: None,
        poster_url: None,
    }
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
