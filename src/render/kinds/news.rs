//! News (工作动态): the list by year in numbered pages, each item's page with its cover, the
//! news citing a principle, and the latest on the home page.

use serde::Serialize;

use super::{KindPages, Related, RelatedRow};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::news::News;
use crate::render::items::{CITING_SHOWN, get, item_layout};
use crate::render::lists::{Pager, Year, YearLink, by_year, paged_ids, section_page, year_links};
use crate::render::views::{self, ItemView};
use crate::render::{Env, Layout, Reader};
use crate::site::Link;
use crate::built::{PageRef, PageView};
use crate::types::Date;

pub struct Pages;

/// One news item in a list.
#[derive(Serialize)]
pub struct NewsRow<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: Option<Date>,
    pub summary: Option<&'a str>,
    pub tags: &'a [String],
}

fn row<'a>(p: &PageRef<'a, News>) -> NewsRow<'a> {
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
    (r.pages_of::<News>(&ids[..ids.len().min(limit)]).iter())
        .map(row)
        .collect()
}

impl KindPages for Pages {
    type Data = News;
    const TITLE: Option<&'static str> = Some("nav.news");
    const TEMPLATES: &'static [&'static str] = &["news_list.html", "news.html"];

    fn list(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            years: Vec<Year<NewsRow<'a>>>,
            year_links: Vec<YearLink>,
            feed: String,
            pager: Pager,
        }
        let (layout, intro_html) = section_page(env, r, Kind::News, "nav.news", page);
        let (ids, pager) = paged_ids(r, Kind::News, page);
        let pages = r.pages_of::<News>(ids);
        let years = by_year(pages.iter().map(|p| (p.item.meta.date.map(|d| d.year()), row(p))));
        let first = r.section_url(Kind::News);
        let ctx = ListCtx {
            feed: layout.feeds.first().map(|f| f.url.clone()).unwrap_or_default(),
            layout,
            intro_html,
            years,
            year_links: year_links(r, r.order(Kind::News), &first),
            pager,
        };
        env.emit("news_list.html", &ctx)
    }

    /// One news item's page: cover, text, the principles it concerns.
    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
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
        let s = r;
        let cover = p.data.cover_rel().filter(|rel| s.asset(rel).is_some());
        let ctx = ItemCtx {
            layout: item_layout(env, r, &p),
            page: ItemView::of(&p),
            cover: cover.map(|rel| Cover {
                url: format!("{}{rel}", s.base_path()),
                alt: p.data.cover_alt.as_deref().unwrap_or(""),
            }),
            principles: views::principle_links(r, &p.data.principles, &env.r.strings),
            list_url: s.section_url(Kind::News),
        };
        env.emit("news.html", &ctx)
    }

    const ARTICLE: bool = true;

    /// The cover picture.
    fn article(_p: &PageView, n: &News, cx: &super::Facts) -> super::ArticleHead {
        let alt = n.cover_alt.clone().unwrap_or_default();
        super::ArticleHead {
            kicker: vec![cx.t.get("nav.news")],
            picture: n.cover_rel().map(|rel| (rel.to_owned(), alt)),
            ..Default::default()
        }
    }

    fn on_principle(env: &Env, r: &Reader, n: u8) -> Option<Related> {
        let rows = rows(r, r.citing(Kind::News, n), CITING_SHOWN)
            .into_iter()
            .map(|n| RelatedRow {
                title: n.title.to_owned(),
                url: n.url.to_owned(),
                date: n.date,
                meta: None,
            })
            .collect();
        Related::of(Kind::News, "citing", env.r.strings.get("news.citing"), rows)
    }
}
