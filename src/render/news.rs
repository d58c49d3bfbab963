//! News (工作动态): the list by year in numbered pages, each item's page with its cover, and
//! the rows the home page and the principle pages show.

use serde::Serialize;

use super::items::{get, item_layout};
use super::lists::{Pager, Year, YearLink, by_year, section, slice, year_links};
use super::views::{self, ItemView};
use super::{Env, Reader};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::news::News;
use crate::plan::{page_count, page_url};
use crate::site::{Link, PageRef};
use crate::types::Date;

/// One news item in a list.
#[derive(Serialize)]
pub struct NewsRow<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: Option<Date>,
    pub summary: Option<&'a str>,
    pub tags: &'a [String],
}

pub fn row<'a>(p: &PageRef<'a, News>) -> NewsRow<'a> {
    let m = &p.item.meta;
    NewsRow {
        title: &m.title,
        url: p.url,
        date: m.date,
        summary: m.summary.as_deref().or(m.description.as_deref()),
        tags: &m.tags,
    }
}

/// The rows of published news among `ids` (the first `limit`).
pub fn rows<'a>(r: &Reader<'a>, ids: &[String], limit: usize) -> Vec<NewsRow<'a>> {
    r.pages_of::<News>(&ids[..ids.len().min(limit)])
        .iter()
        .map(row)
        .collect()
}

/// Page `page` of the news list.
pub fn list(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: super::Layout<'a>,
        intro_html: &'a str,
        years: Vec<Year<NewsRow<'a>>>,
        year_links: Vec<YearLink>,
        feed: String,
        pager: Pager,
    }
    let t = &env.r.strings;
    let first = env.site.section_url(Kind::News);
    let ids = r.order(Kind::News);
    let (mut layout, intro_html) = section(env, r, Kind::News, "nav.news", &page_url(&first, page));
    if page > 1 {
        layout.title = format!(
            "{} · {}",
            layout.title,
            t.get_fmt("pager.page_n", &page.to_string())
        );
    }
    let feed = crate::plan::news_feed_url(env.site);
    layout.feeds = vec![Link {
        title: t.get("nav.news"),
        url: feed.clone(),
    }];
    let pages = r.pages_of::<News>(slice(ids, page));
    let years = by_year(
        pages
            .iter()
            .map(|p| (p.item.meta.date.map(|d| d.year()), row(p))),
    );
    let ctx = ListCtx {
        layout,
        intro_html,
        years,
        year_links: year_links(r, ids, &first),
        feed,
        pager: Pager::new(&first, page, page_count(ids.len())),
    };
    env.emit("news_list.html", &ctx)
}

/// One news item's page: cover, text, the principles it concerns.
pub fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: super::Layout<'a>,
        page: ItemView<'a>,
        cover: Option<Cover<'a>>,
        principles: Vec<Link>,
        list_url: String,
    }
    #[derive(Serialize)]
    struct Cover<'a> {
        url: String,
        alt: &'a str,
    }
    let p = get::<News>(r, id)?;
    let s = env.site;
    let cover = p.data.cover_rel().filter(|rel| s.assets.contains_key(*rel));
    let mut layout = item_layout(env, r, &p);
    layout.feeds = vec![Link {
        title: env.r.strings.get("nav.news"),
        url: crate::plan::news_feed_url(s),
    }];
    let ctx = ItemCtx {
        layout,
        page: ItemView::of(&p),
        cover: cover.map(|rel| Cover {
            url: format!("{}{rel}", s.base_path),
            alt: p.data.cover_alt.as_deref().unwrap_or(""),
        }),
        principles: views::principle_links(r, &p.data.principles, &env.r.strings),
        list_url: s.section_url(Kind::News),
    };
    env.emit("news.html", &ctx)
}

/// The published news whose bodies link to `id`, newest first, as links.
pub fn mentions(r: &Reader, id: &str) -> Vec<Link> {
    let mut news: Vec<PageRef<News>> = r
        .backlinks(id)
        .iter()
        .filter_map(|b| r.page::<News>(b))
        .collect();
    news.sort_by_key(|n| std::cmp::Reverse(n.item.meta.date));
    news.into_iter()
        .take(super::items::CITING_SHOWN)
        .map(|n| Link {
            title: n.item.meta.title.clone(),
            url: n.url.to_owned(),
        })
        .collect()
}
