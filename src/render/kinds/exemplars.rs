//! Role models (先进典型): the list by year in numbered pages, each one's page with the photo,
//! who, department, deed, honour and the principles it honours; the role models honouring a
//! principle on its page, and the latest on the home page.

use serde::Serialize;

use super::{ArticleHead, Facts, KindPages, Related, RelatedRow};
use crate::built::{PageRef, PageView};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::exemplar::Exemplar;
use crate::render::items::{CITING_SHOWN, get, item_layout};
use crate::render::lists::{Pager, Year, YearLink, by_year, paged_ids, section_page, year_links};
use crate::render::views::{self, ItemView};
use crate::render::{Env, Layout, Reader};
use crate::site::Link;
use crate::types::Date;

pub struct Pages;

/// Role models on the home page.
const ON_HOME: usize = 3;

/// A role model in a list.
#[derive(Serialize)]
struct Row<'a> {
    title: &'a str,
    url: &'a str,
    date: Option<Date>,
    who: &'a str,
    department: &'a str,
    deed: &'a str,
}

fn row<'a>(p: &PageRef<'a, Exemplar>) -> Row<'a> {
    Row {
        title: &p.item.meta.title,
        url: p.url,
        date: p.item.meta.date,
        who: p.data.who.trim(),
        department: p.data.department.trim(),
        deed: p.data.deed.trim(),
    }
}

/// Rows for another page's section: the title, the date, who and where.
fn related_rows(r: &Reader, ids: &[String]) -> Vec<RelatedRow> {
    (r.pages_of::<Exemplar>(&ids[..ids.len().min(CITING_SHOWN)]).iter())
        .map(|p| RelatedRow {
            title: p.item.meta.title.clone(),
            url: p.url.to_owned(),
            date: p.item.meta.date,
            meta: Some(format!("{} · {}", p.data.who.trim(), p.data.department.trim())),
        })
        .collect()
}

impl KindPages for Pages {
    type Data = Exemplar;
    const TITLE: Option<&'static str> = Some("nav.exemplars");
    const TEMPLATES: &'static [&'static str] = &["exemplars.html", "exemplar.html"];

    fn list(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            years: Vec<Year<Row<'a>>>,
            year_links: Vec<YearLink>,
            feed: String,
            pager: Pager,
        }
        let (layout, intro_html) = section_page(env, r, Kind::Exemplar, "nav.exemplars", page);
        let (ids, pager) = paged_ids(r, Kind::Exemplar, page);
        let shown = r.pages_of::<Exemplar>(ids);
        let years = by_year(shown.iter().map(|p| (p.item.meta.date.map(|d| d.year()), row(p))));
        let first = r.section_url(Kind::Exemplar);
        let ctx = ListCtx {
            feed: layout.feeds.first().map(|f| f.url.clone()).unwrap_or_default(),
            layout,
            intro_html,
            years,
            year_links: year_links(r, r.order(Kind::Exemplar), &first),
            pager,
        };
        env.emit("exemplars.html", &ctx)
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            exemplar: &'a Exemplar,
            photo: Option<Photo<'a>>,
            principles: Vec<Link>,
            list_url: String,
        }
        #[derive(Serialize)]
        struct Photo<'a> {
            url: String,
            alt: &'a str,
        }
        let p = get::<Exemplar>(r, id)?;
        let s = r;
        let photo = p.data.photo_rel().filter(|rel| s.asset(rel).is_some());
        let ctx = ItemCtx {
            layout: item_layout(env, r, &p),
            page: ItemView::of(&p),
            exemplar: p.data,
            photo: photo.map(|rel| Photo {
                url: format!("{}{rel}", s.base_path()),
                alt: p.data.photo_alt.as_deref().unwrap_or(""),
            }),
            principles: views::principle_links(r, &p.data.principles, &env.r.strings),
            list_url: s.section_url(Kind::Exemplar),
        };
        env.emit("exemplar.html", &ctx)
    }

    /// Who, where, what they did and the honour, so a name or a department finds them.
    fn facts(_p: &PageView, e: &Exemplar, _cx: &Facts) -> Vec<String> {
        let mut out = vec![e.who.clone(), e.department.clone(), e.deed.clone()];
        out.extend(e.honour.iter().cloned());
        out
    }

    const ARTICLE: bool = true;

    /// Who, the department, the deed, the honour, the principles and the photo.
    fn article(_p: &PageView, e: &Exemplar, cx: &Facts) -> ArticleHead {
        let t = cx.t;
        let mut head = ArticleHead {
            kicker: vec![t.get("nav.exemplars")],
            picture: (e.photo_rel()).map(|rel| (rel.to_owned(), e.photo_alt.clone().unwrap_or_default())),
            ..Default::default()
        };
        head.fact(t, "exemplar.who", Some(e.who.clone()));
        head.fact(t, "exemplar.department", Some(e.department.clone()));
        head.fact(t, "exemplar.deed", Some(e.deed.clone()));
        head.fact(t, "exemplar.honour", e.honour.clone());
        head.fact(t, "exemplar.principles", cx.principles(&e.principles));
        head
    }

    fn on_principle(env: &Env, r: &Reader, n: u8) -> Option<Related> {
        let rows = related_rows(r, r.citing(Kind::Exemplar, n));
        let heading = env.r.strings.get("exemplar.citing");
        Related::of(Kind::Exemplar, "citing", heading, rows)
    }

    fn on_home(env: &Env, r: &Reader) -> Option<Related> {
        let ids = r.order(Kind::Exemplar);
        let rows = related_rows(r, &ids[..ids.len().min(ON_HOME)]);
        let t = &env.r.strings;
        let mut section = Related::of(Kind::Exemplar, "home", t.get("exemplar.latest"), rows)?;
        section.more = Some(Link {
            title: t.get("more"),
            url: r.section_url(Kind::Exemplar),
        });
        Some(section)
    }
}
