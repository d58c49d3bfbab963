//! Warning cases (警示案例): the list by year in numbered pages, the cases breaking one
//! principle, each case's page, the yearly casebooks to print, and the latest on the home page.

use serde::Serialize;

use super::KindPages;
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::case::{self, Case};
use crate::plan::{self, page_count, page_url};
use crate::render::items::{get, item_layout};
use crate::render::lists::{Pager, Year, YearLink, by_year, section_page, slice, year_links};
use crate::render::views::{self, ItemView, PrincipleCard};
use crate::render::{Env, Layout, Reader, Strings};
use crate::site::Link;
use crate::built::{PageRef, PageView};
use crate::types::Date;

pub struct Pages;

/// A case as lists show it.
#[derive(Serialize)]
pub struct CaseRow<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: Option<Date>,
    pub unit: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub origin: Option<String>,
    pub principles: &'a [u8],
}

pub fn case_row<'a>(p: &PageRef<'a, Case>, t: &Strings) -> CaseRow<'a> {
    let c = p.data;
    CaseRow {
        title: &p.item.meta.title,
        url: p.url,
        date: p.item.meta.date,
        unit: c.unit.as_deref(),
        summary: p.item.meta.summary.as_deref(),
        origin: c.origin.map(|o| t.label("origin", o.token())),
        principles: &c.principles,
    }
}

/// The first `n` cases' rows, for the home page.
pub fn latest<'a>(r: &Reader<'a>, t: &Strings, n: usize) -> Vec<CaseRow<'a>> {
    let ids = r.order(Kind::Case);
    (r.pages_of::<Case>(&ids[..ids.len().min(n)]).iter())
        .map(|c| case_row(c, t))
        .collect()
}

/// A case's amount as readers see it: `36000` → `36,000 元`.
pub fn amount_text(amount: &case::Amount, t: &Strings) -> String {
    match amount {
        case::Amount::Text(s) => s.clone(),
        case::Amount::Yuan(y) => {
            let whole = y.trunc() as i64;
            let digits = whole.to_string();
            let mut grouped = String::new();
            for (i, ch) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    grouped.push(',');
                }
                grouped.push(ch);
            }
            let cents = ((y - y.trunc()) * 100.0).round() as i64;
            let num = if cents > 0 {
                format!("{grouped}.{cents:02}")
            } else {
                grouped
            };
            t.get_fmt("amount_yuan", &num)
        }
    }
}

impl KindPages for Pages {
    type Data = Case;
    const TITLE: Option<&'static str> = Some("nav.cases");
    const TEMPLATES: &'static [&'static str] = &["cases.html", "case.html"];

    fn list(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
        cases(env, r, None, page)
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            case: &'a Case,
            origin: Option<String>,
            amount: Option<String>,
            principles: Vec<Link>,
        }
        let t = &env.r.strings;
        let p = get::<Case>(r, id)?;
        let ctx = ItemCtx {
            layout: item_layout(env, r, &p),
            page: ItemView::of(&p),
            case: p.data,
            origin: p.data.origin.map(|o| t.label("origin", o.token())),
            amount: p.data.amount.as_ref().map(|a| amount_text(a, t)),
            principles: views::principle_links(r, &p.data.principles, t),
        };
        env.emit("case.html", &ctx)
    }

    const ARTICLE: bool = true;

    /// The case's unit, person and role, amount, sanctions, the principles it breaks and
    /// its lessons.
    fn article(_p: &PageView, c: &Case, cx: &super::Facts) -> super::ArticleHead {
        let t = cx.t;
        let mut head = super::ArticleHead {
            kicker: vec![t.get("nav.cases")],
            ..Default::default()
        };
        head.fact(t, "unit", c.unit.clone());
        head.fact(t, "subject", c.subject.clone());
        head.fact(t, "role", c.role.clone());
        head.fact(t, "amount", c.amount.as_ref().map(|a| amount_text(a, t)));
        let sanctions: Vec<String> = (c.sanctions.iter())
            .map(|s| {
                let parts = [Some(s.kind.as_str()), s.level.as_deref()];
                parts.into_iter().flatten().collect::<Vec<_>>().join("：")
            })
            .collect();
        let sanctions = (!sanctions.is_empty()).then(|| sanctions.join("；"));
        head.fact(t, "sanctions", sanctions);
        head.fact(t, "principles_breached", cx.principles(&c.principles));
        head.fact(t, "lessons", c.lessons.clone());
        head
    }

    fn facts(_p: &PageView, c: &Case, _cx: &super::Facts) -> Vec<String> {
        [&c.unit, &c.role, &c.lessons]
            .into_iter()
            .flatten()
            .cloned()
            .collect()
    }
}

#[derive(Serialize)]
struct CasesCtx<'a> {
    #[serde(flatten)]
    layout: Layout<'a>,
    intro_html: &'a str,
    years: Vec<Year<CaseRow<'a>>>,
    year_links: Vec<YearLink>,
    principles: Vec<PrincipleCard<'a>>,
    /// The principle the list is filtered by, if any.
    principle: Option<u8>,
    all_url: String,
    pager: Pager,
    /// Each year's casebook to print.
    casebooks: Vec<Link>,
}

/// The cases citing principle `n`, page `page`.
pub fn citing(env: &Env, r: &Reader, n: u8, page: usize) -> Result<Vec<u8>, Diagnostic> {
    cases(env, r, Some(n), page)
}

/// The cases list, or (with `principle`) the cases citing one principle.
fn cases(env: &Env, r: &Reader, principle: Option<u8>, page: usize) -> Result<Vec<u8>, Diagnostic> {
    let t = &env.r.strings;
    let all_url = r.section_url(Kind::Case);
    let (ids, first) = match principle {
        Some(n) => (r.citing(Kind::Case, n), plan::citing_url(r, n)),
        None => (r.order(Kind::Case), all_url.clone()),
    };
    let (layout, intro_html) = match principle {
        Some(n) => (citing_layout(env, r, n, &first, page), ""),
        None => section_page(env, r, Kind::Case, "nav.cases", page),
    };
    let rows = r.pages_of::<Case>(slice(ids, page));
    let years = by_year(
        rows.iter()
            .map(|c| (c.item.meta.date.map(|d| d.year()), case_row(c, t))),
    );
    let ctx = CasesCtx {
        layout,
        intro_html,
        years,
        year_links: year_links(r, ids, &first),
        principles: views::principle_cards(r),
        principle,
        all_url,
        pager: Pager::new(&first, page, page_count(ids.len())),
        casebooks: casebook_links(env, r),
    };
    env.emit("cases.html", &ctx)
}

/// The layout of page `page` of the cases citing principle `n`, titled by the principle.
fn citing_layout<'a>(env: &'a Env, r: &Reader, n: u8, first: &str, page: usize) -> Layout<'a> {
    let t = &env.r.strings;
    let heading = t.get_fmt("cases.citing_title", &n.to_string());
    let mut title = match r.principle(n) {
        Some(p) => format!("{heading} · {}", p.item.meta.title),
        None => heading,
    };
    if page > 1 {
        let n = t.get_fmt("pager.page_n", &page.to_string());
        title = format!("{title} · {n}");
    }
    Layout::new(env.view, &title, None, &page_url(first, page))
}

/// Each year's casebook, newest first, by its full title (2024年警示教育案例汇编, with how
/// many parts a large year's comes in after it: each part links the others, so the list stays
/// one link a year).
fn casebook_links(env: &Env, r: &Reader) -> Vec<Link> {
    r.order(Kind::Case);
    let t = &env.r.strings;
    let mut links = Vec::new();
    for (year, count) in r.casebook_years() {
        let parts = count.div_ceil(plan::CASES_PER_BOOKLET);
        let mut title = t.get_fmt("booklet.casebook_title", &year.to_string());
        if parts > 1 {
            title.push_str(&t.get_fmt("booklet.parts", &parts.to_string()));
        }
        let url = plan::casebook_url(r, year, 1);
        links.push(Link { title, url });
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped() {
        let t = Strings::from_pairs(&[("amount_yuan", "{} 元")]);
        assert_eq!(amount_text(&case::Amount::Yuan(36000.0), &t), "36,000 元");
        assert_eq!(
            amount_text(&case::Amount::Yuan(1234567.5), &t),
            "1,234,567.50 元"
        );
        assert_eq!(
            amount_text(&case::Amount::Text("3.2万元".into()), &t),
            "3.2万元"
        );
    }
}
