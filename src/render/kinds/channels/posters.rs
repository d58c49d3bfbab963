//! The posters to hang in the buildings: one A4 portrait page per channel, the number in type
//! read from three metres (cap height 15 mm and more) with its QR code, hours, scope and
//! anonymity; one per `location` with that place's channels (in parts when there are many);
//! and an index of them all, paged.

use serde::Serialize;

use crate::render::lists::Pager;
use crate::render::{Env, Layout, Reader, Strings};
use crate::config::Report;
use crate::diag::Diagnostic;
use crate::kinds::channel::{Channel, ChannelKind};
use crate::plan::{self, Poster};
use crate::site::Link;
use crate::built::PageRef;

/// Channels on one location poster at most; more go onto further A4 pages.
pub const CHANNELS_PER_SHEET: usize = 3;

/// A printable A4 poster, or the index of them.
pub fn poster(env: &Env, r: &Reader, which: &Poster) -> Result<Vec<u8>, Diagnostic> {
    match which {
        Poster::Index(page) => index(env, r, *page),
        Poster::Channel(id) => one_channel(env, r, id),
        Poster::Location(location, part) => location_poster(env, r, location, *part),
    }
}

/// A channel as a poster shows it.
#[derive(Serialize)]
struct PosterChannel<'a> {
    title: &'a str,
    kind: &'static str,
    /// 举报电话, 举报邮箱 …
    label: String,
    /// The value broken where it may break, each line as large as the sheet allows.
    value_lines: Vec<String>,
    /// The value's font size in millimetres.
    value_mm: u32,
    hours: Option<&'a str>,
    scope: Option<&'a str>,
    location: Option<&'a str>,
    anonymous: Option<bool>,
    qr_svg: Option<String>,
    qr_image: Option<String>,
}

/// The widest line a sheet's text may take, in millimetres (A4 less the margins).
const SHEET_WIDTH_MM: f64 = 176.0;

fn poster_channel<'a>(
    site: &Reader,
    p: &PageRef<'a, Channel>,
    t: &Strings,
    on_sheet: usize,
) -> PosterChannel<'a> {
    let c = p.data;
    let (qr_svg, qr_image) = super::qr_code(site, p);
    let value_lines = break_value(&c.value, c.kind);
    let value_mm = value_size(&value_lines, c.kind, on_sheet);
    PosterChannel {
        title: &p.item.meta.title,
        kind: c.kind.token(),
        label: t.label("poster_label", c.kind.token()),
        value_lines,
        value_mm: value_mm as u32,
        hours: c.hours.as_deref(),
        scope: c.scope.as_deref(),
        location: c
            .location
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty()),
        anonymous: c.anonymous,
        qr_svg,
        qr_image,
    }
}

/// The value's type size in millimetres: a number or mailbox as large as the sheet allows (on
/// a sheet of one channel up to 36 mm, a cap height of about 26 mm; of three 24 mm, about
/// 17 mm); an address to visit or write to, or a web address beside its QR code, smaller.
fn value_size(lines: &[String], kind: ChannelKind, on_sheet: usize) -> f64 {
    let longest = lines.iter().map(|l| ems(l)).fold(1.0, f64::max);
    let most = small_type(kind).unwrap_or(match on_sheet {
        0 | 1 => 36.0,
        2 => 30.0,
        _ => 24.0,
    });
    (SHEET_WIDTH_MM / longest).min(most).floor()
}

/// The type size of the values that are not read from afar: a web address beside its QR
/// code, an address to visit or write to.
fn small_type(kind: ChannelKind) -> Option<f64> {
    match kind {
        ChannelKind::Web | ChannelKind::Wechat => Some(11.0),
        ChannelKind::Mail | ChannelKind::Box | ChannelKind::Visit => Some(13.0),
        _ => None,
    }
}

/// About how tall a channel stands on a sheet of three, in millimetres: its label, value,
/// lines and QR code; sheets are filled up to [`SHEET_HEIGHT_MM`].
fn height_mm(p: &PageRef<Channel>) -> f64 {
    let lines = break_value(&p.data.value, p.data.kind);
    let value = value_size(&lines, p.data.kind, 3) * 1.15 * lines.len() as f64;
    let facts = [p.data.hours.is_some(), p.data.anonymous == Some(true)];
    let facts = 8.0 * facts.iter().filter(|f| **f).count() as f64;
    // Whether it has a code to scan, without drawing the code.
    let has_code = p.data.qr_image.is_some() || super::qr_target(p.data).is_some();
    let qr = if has_code { 42.0 } else { 0.0 };
    22.0 + value + facts + qr
}

/// The room for channels on a sheet, below the heading and above the footer.
const SHEET_HEIGHT_MM: f64 = 185.0;

/// The channels in sheets, in order, each sheet holding what fits (at least one).
fn into_sheets<'a>(channels: Vec<PageRef<'a, Channel>>) -> Vec<Vec<PageRef<'a, Channel>>> {
    let mut sheets: Vec<(f64, Vec<PageRef<Channel>>)> = Vec::new();
    for c in channels {
        let h = height_mm(&c);
        match sheets.last_mut() {
            Some((used, sheet))
                if *used + h <= SHEET_HEIGHT_MM && sheet.len() < CHANNELS_PER_SHEET =>
            {
                *used += h;
                sheet.push(c);
            }
            _ => sheets.push((h, vec![c])),
        }
    }
    sheets.into_iter().map(|(_, sheet)| sheet).collect()
}

/// How wide `line` is in type sizes: a Chinese character one, a Latin letter or digit about
/// 0.58.
fn ems(line: &str) -> f64 {
    line.chars()
        .map(|c| if c >= '\u{2E80}' { 1.0 } else { 0.58 })
        .sum()
}

/// A channel's value in lines short enough for large type (about nine type sizes wide: 15
/// digits or letters, 9 Chinese characters): an address is broken after its `@` and its
/// host's dots, a text at spaces and commas, a word longer than a line anywhere.
fn break_value(value: &str, kind: ChannelKind) -> Vec<String> {
    // Addresses set smaller (see `value_size`) take the sheet's width at their size.
    let line_ems = match small_type(kind) {
        Some(mm) => SHEET_WIDTH_MM / mm,
        None => 9.0,
    };
    let value = value.trim();
    if ems(value) <= line_ems {
        return vec![value.to_owned()];
    }
    let breaks: &[char] = match kind {
        ChannelKind::Email | ChannelKind::Web => &['@', '/', '.', '-'],
        _ => &[' ', '，', '、'],
    };
    let mut lines: Vec<String> = vec![String::new()];
    for piece in value.split_inclusive(breaks) {
        let width = |lines: &[String]| lines.last().map_or(0.0, |l| ems(l));
        if width(&lines) > 0.0 && width(&lines) + ems(piece) > line_ems {
            lines.push(String::new());
        }
        for c in piece.chars() {
            if width(&lines) + ems(&c.to_string()) > line_ems {
                lines.push(String::new());
            }
            if let Some(line) = lines.last_mut() {
                line.push(c);
            }
        }
    }
    lines
        .iter()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[derive(Serialize)]
struct SheetCtx<'a> {
    #[serde(flatten)]
    layout: Layout<'a>,
    location: Option<&'a str>,
    sheets: Vec<Vec<PosterChannel<'a>>>,
    report: &'a Report,
    report_address: String,
    /// The parts of a location's poster, when it has several.
    pager: Option<Pager>,
}

/// One channel on one A4 page.
fn one_channel(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    let s = r;
    let Some(p) = r.page::<Channel>(id) else {
        return Ok(Vec::new());
    };
    let title = format!(
        "{} · {}",
        p.item.meta.title,
        env.r.strings.get("poster.title")
    );
    let url = plan::channel_poster_url(p.url);
    let card = poster_channel(s, &p, &env.r.strings, 1);
    let ctx = SheetCtx {
        layout: Layout::new(env.view, &title, None, &url),
        location: card.location,
        sheets: vec![vec![card]],
        report: &s.config().report,
        report_address: s.absolute(&s.section_url(crate::kinds::Kind::Channel)),
        pager: None,
    };
    env.emit("poster.html", &ctx)
}

/// Part `part` of the poster of one place: its channels and those without a place, a few to
/// an A4 page, [`plan::CHANNELS_PER_POSTER`] to a part.
fn location_poster(
    env: &Env,
    r: &Reader,
    location: &str,
    part: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let s = r;
    let t = &env.r.strings;
    // Every channel may join or leave this poster (its `location`, `poster`, dates).
    r.ordered::<Channel>();
    let here: Vec<PageRef<Channel>> = s.poster_channels().into_iter()
        .filter(|c| c.data.on_location_poster(location))
        .collect();
    let parts = here.len().div_ceil(plan::CHANNELS_PER_POSTER).max(1);
    let start = (part.saturating_sub(1) * plan::CHANNELS_PER_POSTER).min(here.len());
    let end = (start + plan::CHANNELS_PER_POSTER).min(here.len());
    let sheets: Vec<Vec<PosterChannel>> = into_sheets(here[start..end].to_vec())
        .into_iter()
        .map(|sheet| {
            let n = sheet.len();
            (sheet.iter())
                .map(|c| {
                    r.item(&c.item.id);
                    poster_channel(s, c, t, n)
                })
                .collect()
        })
        .collect();
    let mut title = format!("{} · {location}", t.get("poster.title"));
    if parts > 1 {
        let of = t.get("poster.part").replace("{part}", &part.to_string());
        title = format!("{title} · {}", of.replace("{parts}", &parts.to_string()));
    }
    let first = plan::poster_url(s, Some(location)).unwrap_or_default();
    let ctx = SheetCtx {
        layout: Layout::new(env.view, &title, None, &plan::page_url(&first, part)),
        location: Some(location),
        sheets,
        report: &s.config().report,
        report_address: s.absolute(&s.section_url(crate::kinds::Kind::Channel)),
        pager: (parts > 1).then(|| Pager::new(&first, part, parts)),
    };
    env.emit("poster.html", &ctx)
}

/// One line of the index: a poster, what it holds, where it is.
#[derive(Serialize)]
struct PosterLink {
    title: String,
    detail: String,
    url: String,
}

/// Page `page` of the posters there are: one per location, then one per channel.
fn index(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct IndexCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        channels: Vec<PosterLink>,
        locations: Vec<PosterLink>,
        pager: Pager,
    }
    let s = r;
    let t = &env.r.strings;
    r.ordered::<Channel>();
    let channels: Vec<PosterLink> = s.poster_channels().into_iter()
        .map(|c| {
            r.item(&c.item.id);
            PosterLink {
                title: c.item.meta.title.clone(),
                detail: format!(
                    "{}：{}",
                    t.label("poster_label", c.data.kind.token()),
                    c.data.value
                ),
                url: plan::channel_poster_url(c.url),
            }
        })
        .collect();
    let locations = location_links(s, t);
    let mut title = t.get("poster.index_title");
    if page > 1 {
        title = format!("{title} · {}", t.get_fmt("pager.page_n", &page.to_string()));
    }
    let first = plan::poster_url(s, None).unwrap_or_default();
    // One list, locations first, cut into pages.
    let (start, count) = (page.saturating_sub(1) * plan::PAGE_SIZE, locations.len());
    let take = |list: Vec<PosterLink>, from: usize, rows: usize| -> Vec<PosterLink> {
        list.into_iter().skip(from).take(rows).collect()
    };
    let shown_locations = take(locations, start, plan::PAGE_SIZE);
    let rest = plan::PAGE_SIZE - shown_locations.len();
    let pages = plan::page_count(count + channels.len());
    let ctx = IndexCtx {
        layout: Layout::new(env.view, &title, None, &plan::page_url(&first, page)),
        channels: take(channels, start.saturating_sub(count), rest),
        locations: shown_locations,
        pager: Pager::new(&first, page, pages),
    };
    env.emit("posters.html", &ctx)
}

/// Each `location` of a poster channel with its poster, labelled with the place.
fn location_links(site: &Reader, t: &Strings) -> Vec<PosterLink> {
    let channels = site.poster_channels();
    let places: std::collections::BTreeSet<&str> =
        channels.iter().filter_map(|c| c.data.place()).collect();
    (places.into_iter())
        .filter_map(|loc| {
            Some(PosterLink {
                title: loc.to_owned(),
                detail: t.get_fmt("poster.location_detail", loc),
                url: plan::poster_url(site, Some(loc))?,
            })
        })
        .collect()
}

/// The posters' addresses as the report page links them, each labelled with what it holds.
pub fn report_links(site: &Reader, t: &Strings) -> Vec<Link> {
    location_links(site, t)
        .into_iter()
        .map(|l| Link {
            title: l.detail,
            url: l.url,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_break_where_they_may_and_never_run_long() {
        assert_eq!(
            break_value("0000-81234567", ChannelKind::Phone),
            ["0000-81234567"]
        );
        assert_eq!(
            break_value("jijian@qinglan-hospital.cn", ChannelKind::Email),
            ["jijian@qinglan-", "hospital.cn"]
        );
        assert_eq!(
            break_value("jjjc@example.cn", ChannelKind::Email),
            ["jjjc@example.cn"]
        );
        let long = break_value(&"行政楼".repeat(20), ChannelKind::Box);
        assert!(
            long.iter().all(|l| ems(l) <= SHEET_WIDTH_MM / 13.0),
            "{long:?}"
        );
        assert_eq!(long.concat(), "行政楼".repeat(20));
    }
}
