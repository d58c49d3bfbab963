//! Disclosures (信息公开): the list by category (the latest of each, by year), each
//! category's own numbered pages, each disclosure's page with its items' progress, and the
//! feeds of them all and of each category.

use serde::Serialize;

use super::KindPages;
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::disclosure::{self, Disclosure};
use crate::plan::{self, page_count, page_url};
use crate::render::items::{get, item_layout};
use crate::render::lists::{Pager, Year, by_year, section, slice};
use crate::render::views::ItemView;
use crate::render::{Env, Layout, Reader};
use crate::site::Link;
use crate::built::{PageRef, PageView};
use crate::types::Date;

pub struct Pages;

/// Disclosures shown per category on the disclosures page; the rest on the category's own
/// pages.
const PER_CATEGORY: usize = 10;

/// A disclosure as lists show it.
#[derive(Serialize)]
pub struct DisclosureRow<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub category: &'a str,
    pub doc_no: Option<&'a str>,
    pub date: Option<Date>,
    pub valid_until: Option<Date>,
    pub expired: bool,
}

pub fn disclosure_row<'a>(p: &PageRef<'a, Disclosure>, today: Date) -> DisclosureRow<'a> {
    let d = p.data;
    DisclosureRow {
        title: &p.item.meta.title,
        url: p.url,
        category: &d.category,
        doc_no: d.doc_no.as_deref(),
        date: p.item.meta.date,
        valid_until: d.valid_until,
        expired: d.expired_on(today),
    }
}

/// The first `n` disclosures' rows, for the home page.
pub fn latest<'a>(r: &Reader<'a>, n: usize) -> Vec<DisclosureRow<'a>> {
    let ids = r.order(Kind::Disclosure);
    let today = r.today();
    (r.pages_of::<Disclosure>(&ids[..ids.len().min(n)]).iter())
        .map(|d| disclosure_row(d, today))
        .collect()
}

/// Rows by year, in list order.
fn years<'a>(r: &Reader, rows: &[PageRef<'a, Disclosure>]) -> Vec<Year<DisclosureRow<'a>>> {
    let today = r.today();
    by_year(rows.iter().map(|d| {
        let year = d.item.meta.date.map(|x| x.year());
        (year, disclosure_row(d, today))
    }))
}

#[derive(Serialize)]
struct Category<'a> {
    name: String,
    anchor: String,
    url: String,
    feed: String,
    count: usize,
    more: bool,
    years: Vec<Year<DisclosureRow<'a>>>,
}

impl KindPages for Pages {
    type Data = Disclosure;
    const TITLE: Option<&'static str> = Some("nav.disclosures");
    const TEMPLATES: &'static [&'static str] = &["disclosures.html", "disclosure.html", "category.html"];

    fn list(env: &Env, r: &Reader, _page: usize) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            categories: Vec<Category<'a>>,
            feed: String,
        }
        let s = r;
        let categories = categories(r);
        let url = s.section_url(Kind::Disclosure);
        let (mut layout, intro_html) = section(env, r, Kind::Disclosure, "nav.disclosures", &url);
        layout.feeds = feed_links(env, r, categories.iter().map(|c| c.name.as_str()));
        let ctx = ListCtx {
            layout,
            intro_html,
            categories,
            feed: plan::feed_url(s, None).unwrap_or_default(),
        };
        env.emit("disclosures.html", &ctx)
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            disclosure: &'a Disclosure,
            row: DisclosureRow<'a>,
            done: usize,
            open: usize,
        }
        let p = get::<Disclosure>(r, id)?;
        let items = &p.data.items;
        let done = (items.iter())
            .filter(|i| i.status == disclosure::ItemStatus::Done)
            .count();
        let mut layout = item_layout(env, r, &p);
        layout.feeds = feed_links(env, r, std::iter::once(p.data.category.trim()));
        let ctx = ItemCtx {
            layout,
            page: ItemView::of(&p),
            disclosure: p.data,
            row: disclosure_row(&p, r.today()),
            done,
            open: items.len() - done,
        };
        env.emit("disclosure.html", &ctx)
    }

    fn facts(_p: &PageView, d: &Disclosure, _cx: &super::Facts) -> Vec<String> {
        let mut out = vec![d.category.clone()];
        out.extend(d.doc_no.iter().cloned());
        out
    }
}

/// Each category with its latest disclosures, by year.
fn categories<'a>(r: &Reader<'a>) -> Vec<Category<'a>> {
    let s = r;
    // The categories and their counts come from every disclosure: the page reads the list.
    r.order(Kind::Disclosure);
    let mut categories = Vec::new();
    for plan::Category { name, count, .. } in s.categories() {
        let ids = r.in_category(&name);
        let rows = r.pages_of::<Disclosure>(&ids[..ids.len().min(PER_CATEGORY)]);
        categories.push(Category {
            anchor: crate::site::urls::segment(&name).unwrap_or_default(),
            url: plan::category_url(s, &name, 1).unwrap_or_default(),
            feed: plan::feed_url(s, Some(&name)).unwrap_or_default(),
            more: count > PER_CATEGORY,
            count,
            years: years(r, &rows),
            name,
        });
    }
    categories
}

/// The feed of all disclosures, then one per category, as `<link rel=alternate>` targets.
pub fn feed_links<'a>(env: &Env, r: &Reader, categories: impl Iterator<Item = &'a str>) -> Vec<Link> {
    let t = &env.r.strings;
    let mut links = vec![Link {
        title: t.get("feed.all"),
        url: plan::feed_url(r, None).unwrap_or_default(),
    }];
    links.extend(categories.filter_map(|c| {
        Some(Link {
            title: format!("{} · {c}", t.get("nav.disclosures")),
            url: plan::feed_url(r, Some(c))?,
        })
    }));
    links
}

/// One disclosure category, by year, in numbered pages.
pub fn category(env: &Env, r: &Reader, name: &str, page: usize) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct CategoryCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        name: &'a str,
        years: Vec<Year<DisclosureRow<'a>>>,
        feed: String,
        all_url: String,
        pager: Pager,
    }
    let s = r;
    let ids = r.in_category(name);
    let first = plan::category_url(s, name, 1).unwrap_or_default();
    let url = page_url(&first, page);
    let title = format!("{} · {name}", env.r.strings.get("nav.disclosures"));
    let mut layout = Layout::new(env.view, &title, None, &url);
    layout.feeds = feed_links(env, r, std::iter::once(name));
    let rows = r.pages_of::<Disclosure>(slice(ids, page));
    let ctx = CategoryCtx {
        layout,
        name,
        years: years(r, &rows),
        feed: plan::feed_url(s, Some(name)).unwrap_or_default(),
        all_url: s.section_url(Kind::Disclosure),
        pager: Pager::new(&first, page, page_count(ids.len())),
    };
    env.emit("category.html", &ctx)
}
