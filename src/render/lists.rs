//! What every list page shares: the pager of numbered pages, rows under year headings with
//! links to each year, the section's layout from its introduction, and the kind's feed.

use serde::Serialize;

use super::{Env, Layout, Reader};
use crate::kinds::Kind;
use crate::plan::{PAGE_SIZE, page_count, page_url};
use crate::site::Link;
use crate::types::Id;

/// Links to the other pages of a list.
#[derive(Serialize)]
pub struct Pager {
    pub page: usize,
    pub pages: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The page numbers to show (all of them for short lists; else the ends and a window).
    pub numbers: Vec<PageNumber>,
}

#[derive(Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages were skipped before this one.
    pub gap: bool,
}

impl Pager {
    pub fn new(first: &str, page: usize, pages: usize) -> Self {
        Pager::at(page, pages, |n| page_url(first, n))
    }

    /// A pager whose page `n` is at `url(n)` (a casebook's parts: `/cases/casebook/2024/2/`).
    pub fn at(page: usize, pages: usize, url: impl Fn(usize) -> String) -> Self {
        let show = |n: usize| pages <= 12 || n <= 2 || n + 1 >= pages || n.abs_diff(page) <= 2;
        let mut numbers = Vec::new();
        let mut last = 0;
        for n in (1..=pages).filter(|&n| show(n)) {
            numbers.push(PageNumber {
                number: n,
                url: url(n),
                current: n == page,
                gap: n > last + 1,
            });
            last = n;
        }
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| url(page - 1)),
            next: (page < pages).then(|| url(page + 1)),
            numbers,
        }
    }
}

/// The rows of page `page` of `ids`.
pub fn slice(ids: &[Id], page: usize) -> &[Id] {
    let start = (page.saturating_sub(1) * PAGE_SIZE).min(ids.len());
    &ids[start..(start + PAGE_SIZE).min(ids.len())]
}

/// Rows grouped under year headings, in list order.
#[derive(Serialize)]
pub struct Year<R> {
    pub year: i16,
    pub rows: Vec<R>,
}

pub fn by_year<R>(rows: impl IntoIterator<Item = (Option<i16>, R)>) -> Vec<Year<R>> {
    let mut years: Vec<Year<R>> = Vec::new();
    for (year, row) in rows {
        let year = year.unwrap_or(0);
        match years.last_mut() {
            Some(y) if y.year == year => y.rows.push(row),
            _ => years.push(Year {
                year,
                rows: vec![row],
            }),
        }
    }
    years
}

/// Where each year starts in a dated list: the page and its anchor.
#[derive(Serialize)]
pub struct YearLink {
    pub year: i16,
    pub url: String,
}

pub fn year_links(r: &Reader, ids: &[Id], first: &str) -> Vec<YearLink> {
    // Dates that group a list are part of its order key (see serve's `changed_keys`), and a
    // dated list runs newest first: each year's start is found by bisection, not by a walk
    // over the whole list on each of its pages.
    let year = |id: &Id| r.year(id).unwrap_or(0);
    let mut links = Vec::new();
    let mut start = 0;
    while let Some(id) = ids.get(start) {
        let y = year(id);
        let url = format!("{}#year-{y}", page_url(first, start / PAGE_SIZE + 1));
        links.push(YearLink { year: y, url });
        start += ids[start..].partition_point(|id| year(id) >= y).max(1);
    }
    links
}

/// A section's layout (title and description from its introduction, if any) and intro HTML.
pub fn section<'a>(
    env: &'a Env,
    r: &Reader<'a>,
    kind: Kind,
    default_title: &str,
    url: &str,
) -> (Layout<'a>, &'a str) {
    let title = env.r.strings.get(default_title);
    let (mut layout, html) = match r.intro(kind.folder()) {
        Some((item, html)) => {
            let m = &item.meta;
            let description = m.description.as_deref().or(m.summary.as_deref());
            let layout = Layout::new(env.view, &m.title, description, url);
            (layout, html)
        }
        None => (Layout::new(env.view, &title, None, url), ""),
    };
    layout.feeds = kind_feed(env, r, kind);
    (layout, html)
}

/// A list's layout and introduction as [`section`] gives them, page `page` of its numbered
/// pages (`· 第 2 页` after the title past the first).
pub fn section_page<'a>(
    env: &'a Env,
    r: &Reader<'a>,
    kind: Kind,
    default_title: &str,
    page: usize,
) -> (Layout<'a>, &'a str) {
    let first = r.section_url(kind);
    let (mut layout, html) = section(env, r, kind, default_title, &page_url(&first, page));
    if page > 1 {
        let n = env.r.strings.get_fmt("pager.page_n", &page.to_string());
        layout.title = format!("{} · {n}", layout.title);
    }
    (layout, html)
}

/// The kind's own feed as a `<link rel=alternate>` target, when it has one.
pub fn kind_feed(env: &Env, r: &Reader, kind: Kind) -> Vec<Link> {
    let url = crate::site::urls::kind_feed_url(r, kind);
    url.map(|url| Link {
        title: env.r.strings.get(&format!("nav.{}", kind.folder())),
        url,
    })
    .into_iter()
    .collect()
}

/// The rows of page `page` of a kind's list, and the pager, for lists other modules build.
pub fn paged_ids<'a>(r: &Reader<'a>, kind: Kind, page: usize) -> (&'a [Id], Pager) {
    let first = r.section_url(kind);
    let ids = r.order(kind);
    (
        slice(ids, page),
        Pager::new(&first, page, page_count(ids.len())),
    )
}
