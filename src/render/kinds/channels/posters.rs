//! The posters to hang in the buildings: one A4 portrait page per channel, the number in type
//! read from three metres (cap height 15 mm and more) with its QR code, hours, scope and
//! anonymity; one per `location` with that place's channels; and an index of them all.

use serde::Serialize;

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
        Poster::Index => index(env, r),
        Poster::Channel(id) => one_channel(env, r, id),
        Poster::Location(location) => location_poster(env, r, location),
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
fn height_mm(site: &Reader, p: &PageRef<Channel>) -> f64 {
    let lines = break_value(&p.data.value, p.data.kind);
    let value = value_size(&lines, p.data.kind, 3) * 1.15 * lines.len() as f64;
    let facts = [p.data.hours.is_some(), p.data.anonymous == Some(true)];
    let facts = 8.0 * facts.iter().filter(|f| **f).count() as f64;
    let (svg, image) = super::qr_code(site, p);
    let qr = if svg.is_some() || image.is_some() {
        42.0
    } else {
        0.0
    };
    22.0 + value + facts + qr
}

/// The room for channels on a sheet, below the heading and above the footer.
const SHEET_HEIGHT_MM: f64 = 185.0;

/// The channels in sheets, in order, each sheet holding what fits (at least one).
fn into_sheets<'a>(
    site: &Reader,
    channels: Vec<PageRef<'a, Channel>>,
) -> Vec<Vec<PageRef<'a, Channel>>> {
    let mut sheets: Vec<(f64, Vec<PageRef<Channel>>)> = Vec::new();
    for c in channels {
        let h = height_mm(site, &c);
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
    };
    env.emit("poster.html", &ctx)
}

/// The channels of one place (and those without a place), a few to an A4 page.
fn location_poster(env: &Env, r: &Reader, location: &str) -> Result<Vec<u8>, Diagnostic> {
    let s = r;
    let t = &env.r.strings;
    // Every channel may join or leave this poster (its `location`, `poster`, dates).
    r.ordered::<Channel>();
    let here: Vec<PageRef<Channel>> = s.poster_channels().into_iter()
        .filter(|c| (c.data.location.as_deref()).is_none_or(|l| l.trim() == location))
        .collect();
    let sheets: Vec<Vec<PosterChannel>> = into_sheets(s, here)
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
    let title = format!("{} · {location}", t.get("poster.title"));
    let url = plan::poster_url(s, Some(location)).unwrap_or_default();
    let ctx = SheetCtx {
        layout: Layout::new(env.view, &title, None, &url),
        location: Some(location),
        sheets,
        report: &s.config().report,
        report_address: s.absolute(&s.section_url(crate::kinds::Kind::Channel)),
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

/// The posters there are: one per channel, one per location.
fn index(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct IndexCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        channels: Vec<PosterLink>,
        locations: Vec<PosterLink>,
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
    let title = t.get("poster.index_title");
    let url = plan::poster_url(s, None).unwrap_or_default();
    let ctx = IndexCtx {
        layout: Layout::new(env.view, &title, None, &url),
        channels,
        locations,
    };
    env.emit("posters.html", &ctx)
}

/// Each `location` of a poster channel with its poster, labelled with the place.
fn location_links(site: &Reader, t: &Strings) -> Vec<PosterLink> {
    let mut seen: Vec<PosterLink> = Vec::new();
    for c in site.poster_channels().into_iter() {
        let Some(loc) = (c.data.location.as_deref())
            .map(str::trim)
            .filter(|l| !l.is_empty())
        else {
            continue;
        };
        if seen.iter().any(|l| l.title == loc) {
            continue;
        }
        if let Some(url) = plan::poster_url(site, Some(loc)) {
            let detail = t.get_fmt("poster.location_detail", loc);
            seen.push(PosterLink {
                title: loc.to_owned(),
                detail,
                url,
            });
        }
    }
    seen.sort_by(|a, b| a.title.cmp(&b.title));
    seen
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
