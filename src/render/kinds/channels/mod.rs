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
use crate::built::{ChannelGroup, PageRef, PageView};
use crate::render::lists::Pager;
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

/// Light modules around a QR code, as the standard asks.
const QUIET_ZONE: usize = 4;

/// An inline SVG QR code for `text`, labelled for screen readers, at least 150 px wide. It is
/// drawn in modules (one unit each), every row's run of dark modules one rectangle: under half
/// the bytes of a square per module, which matters on a page of posters.
pub fn qr_svg(text: &str, label: &str) -> Option<String> {
    use std::fmt::Write as _;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let size = width + 2 * QUIET_ZONE;
    let px = size * 150usize.div_ceil(size);
    let mut d = String::with_capacity(width * width);
    for (y, row) in code.to_colors().chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            let run = row[x..].iter().take_while(|c| **c == qrcode::Color::Dark).count();
            if run > 0 {
                let (left, top) = (x + QUIET_ZONE, y + QUIET_ZONE);
                let _ = write!(d, "M{left} {top}h{run}v1h-{run}z");
            }
            x += run.max(1);
        }
    }
    let label = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    Some(format!(
        "<svg role=\"img\" aria-label=\"{label}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{px}\" height=\"{px}\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{d}\"/></svg>"
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

/// Active channels of one kind under the kind's label: the first few, and the list of all
/// of them when there are more.
#[derive(Serialize)]
struct KindGroup<'a> {
    kind: &'static str,
    label: String,
    channels: Vec<ChannelView<'a>>,
    more: Option<MoreChannels>,
}

/// The list of every channel of a kind, and how many there are.
#[derive(Serialize)]
struct MoreChannels {
    url: String,
    count: usize,
}

/// The report page's groups of one side (the site's own, or the commission's), each showing
/// its first [`plan::CHANNELS_SHOWN`] channels; and those channels, for the contact points.
fn shown_groups<'a>(
    site: &Reader,
    groups: &[ChannelGroup<'a>],
    upper: bool,
    t: &Strings,
) -> (Vec<KindGroup<'a>>, Vec<PageRef<'a, Channel>>) {
    let mut shown = Vec::new();
    let mut views = Vec::new();
    for g in groups.iter().filter(|g| g.upper == upper) {
        let first = &g.channels[..g.channels.len().min(plan::CHANNELS_SHOWN)];
        shown.extend_from_slice(first);
        let more = (g.channels.len() > first.len()).then(|| MoreChannels {
            url: plan::channel_list_url(site, upper, g.kind.token(), 1),
            count: g.channels.len(),
        });
        views.push(KindGroup {
            kind: g.kind.token(),
            label: t.label("channel_kind", g.kind.token()),
            channels: first.iter().map(|c| channel_card(site, c, t)).collect(),
            more,
        });
    }
    (views, shown)
}

/// The channels in service on the report page's day, grouped as it shows them.
fn active_groups<'a>(r: &Reader<'a>) -> Vec<ChannelGroup<'a>> {
    let today = r.today();
    let active = (r.ordered::<Channel>().into_iter()).filter(|c| c.data.active_on(today));
    plan::channel_groups(active, |id| r.from_commission(id))
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
    const TEMPLATES: &'static [&'static str] = &["report.html", "channel.html", "channel_card.html", "channels.html", "poster.html", "posters.html"];

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

/// Units whose report pages the commission's report page links; the units directory has all.
const UNIT_REPORTS_SHOWN: usize = 20;

/// Poster locations the report page links; the index of posters has all.
const POSTER_LOCATIONS_SHOWN: usize = 10;

/// The report page: each kind of channel with its first few (phones first), the rest a tap
/// away on the kind's own list; what happens after a report.
fn report(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        intro_html: &'a str,
        groups: Vec<KindGroup<'a>>,
        /// In a unit's site, the commission's channels (上级举报渠道), after its own.
        upper_groups: Vec<KindGroup<'a>>,
        /// On a commission's site, each unit's report page (the first few).
        unit_reports: Vec<Link>,
        /// The units directory, when it has more units than shown.
        units_more: Option<MoreChannels>,
        report: &'a Report,
        poster_url: Option<String>,
        poster_locations: Vec<Link>,
        json_ld: String,
    }
    let s = r;
    let t = &env.r.strings;
    let all = active_groups(r);
    let (groups, own) = shown_groups(r, &all, false, t);
    let (upper_groups, upper) = shown_groups(r, &all, true, t);
    let url = s.section_url(Kind::Channel);
    let (layout, intro_html) = section(env, r, Kind::Channel, "nav.report", &url);
    let any_poster = s.poster_channels().into_iter().next().is_some();
    let mut unit_reports = crate::render::units::report_links(r);
    let units_more = (unit_reports.len() > UNIT_REPORTS_SHOWN).then(|| MoreChannels {
        url: plan::units_url(r, 1),
        count: unit_reports.len(),
    });
    unit_reports.truncate(UNIT_REPORTS_SHOWN);
    let mut poster_locations = posters::report_links(s, t);
    poster_locations.truncate(POSTER_LOCATIONS_SHOWN);
    let ctx = ListCtx {
        layout,
        intro_html,
        groups,
        upper_groups,
        unit_reports,
        units_more,
        report: &s.config().report,
        poster_url: any_poster.then(|| plan::poster_url(s, None)).flatten(),
        poster_locations,
        json_ld: contact_points(s, &[own, upper].concat()),
    };
    env.emit("report.html", &ctx)
}

/// Page `page` of the list of every channel of `kind` (the site's own, or on a unit's site
/// with `upper` the commission's): for the kinds the report page shows only the first few
/// of. The cards link each channel's page, where a WeChat channel's code is.
pub fn kind_list(
    env: &Env,
    r: &Reader,
    upper: bool,
    kind: ChannelKind,
    page: usize,
) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct KindListCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        upper: bool,
        count: usize,
        channels: Vec<ChannelView<'a>>,
        pager: Pager,
        json_ld: String,
    }
    let t = &env.r.strings;
    let all = active_groups(r);
    let Some(g) = all.iter().find(|g| g.upper == upper && g.kind == kind) else {
        return Ok(Vec::new());
    };
    let first = plan::channel_list_url(r, upper, kind.token(), 1);
    let start = (page.saturating_sub(1) * plan::PAGE_SIZE).min(g.channels.len());
    let rows = &g.channels[start..(start + plan::PAGE_SIZE).min(g.channels.len())];
    let label = t.label("channel_kind", kind.token());
    let mut title = match upper {
        true => format!("{} · {label}", t.get("report.upper")),
        false => label,
    };
    if page > 1 {
        title = format!("{title} · {}", t.get_fmt("pager.page_n", &page.to_string()));
    }
    let url = plan::channel_list_url(r, upper, kind.token(), page);
    let ctx = KindListCtx {
        layout: Layout::new(env.view, &title, None, &url),
        upper,
        count: g.channels.len(),
        channels: rows.iter().map(|c| channel_row(r, c, t)).collect(),
        pager: Pager::new(&first, page, plan::page_count(g.channels.len())),
        json_ld: contact_points(r, rows),
    };
    env.emit("channels.html", &ctx)
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
    let mut view = channel_row(site, p, t);
    if p.data.kind == ChannelKind::Wechat {
        (view.qr_svg, view.qr_image) = qr_code(site, p);
    }
    view
}

/// A channel as a kind's list shows it: its card without the code to scan (its own page and
/// poster have it), so a page of fifty stays light.
fn channel_row<'a>(site: &Reader, p: &PageRef<'a, Channel>, t: &Strings) -> ChannelView<'a> {
    let mut view = channel_view(p, t);
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

    /// The dark modules a code's path draws, row by row, quiet zone included.
    fn drawn(svg: &str, size: usize) -> Vec<bool> {
        let mut grid = vec![false; size * size];
        let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        for rect in d.split('z').filter(|r| !r.is_empty()) {
            let nums: Vec<usize> = (rect.split(|c: char| !c.is_ascii_digit()))
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            let (left, top, run) = (nums[0], nums[1], nums[2]);
            assert_eq!(rect, format!("M{left} {top}h{run}v1h-{run}"));
            for x in left..left + run {
                assert!(!grid[top * size + x], "drawn twice");
                grid[top * size + x] = true;
            }
        }
        grid
    }

    #[test]
    fn qr_codes_draw_exactly_the_codes_modules() {
        for text in ["https://lianjie.example.cn/report/", "mailto:jjjc@example.cn", &"长".repeat(120)] {
            let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
            let (width, size) = (code.width(), code.width() + 2 * QUIET_ZONE);
            let svg = qr_svg(text, "码").unwrap();
            assert!(svg.contains(&format!("viewBox=\"0 0 {size} {size}\"")), "{svg}");
            let px: usize = svg.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
            assert!(px >= 150 && px.is_multiple_of(size), "{px}");
            let grid = drawn(&svg, size);
            for (i, color) in code.to_colors().iter().enumerate() {
                let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
                assert_eq!(grid[y * size + x], *color == qrcode::Color::Dark, "{x},{y}");
            }
            let dark = grid.iter().filter(|d| **d).count();
            let modules = code.to_colors().iter().filter(|c| **c == qrcode::Color::Dark).count();
            assert_eq!(dark, modules, "nothing drawn in the quiet zone");
        }
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
}
