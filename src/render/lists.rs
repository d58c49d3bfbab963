//! List pages: each kind's list (numbered pages where a list can grow long), the cases citing
//! one principle, and one disclosure category; every page carries a pager.

use serde::Serialize;

use super::views::{self, CaseRow, DisclosureRow, ModuleRow, PolicyRow, PrincipleCard};
use super::{Env, Layout, Reader};
use crate::diag::Diagnostic;
use crate::kinds::{
    Kind, case::Case, disclosure::Disclosure, module::Module, policy::Policy, quiz::QuizBank,
};
use crate::plan::{self, PAGE_SIZE, page_count, page_url};
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
        let show = |n: usize| pages <= 12 || n <= 2 || n + 1 >= pages || n.abs_diff(page) <= 2;
        let mut numbers = Vec::new();
        let mut last = 0;
        for n in (1..=pages).filter(|&n| show(n)) {
            numbers.push(PageNumber {
                number: n,
                url: page_url(first, n),
                current: n == page,
                gap: n > last + 1,
            });
            last = n;
        }
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| page_url(first, page - 1)),
            next: (page < pages).then(|| page_url(first, page + 1)),
            numbers,
        }
    }
}

/// The rows of page `page` of `ids`.
pub(super) fn slice(ids: &[Id], page: usize) -> &[Id] {
    let start = (page.saturating_sub(1) * PAGE_SIZE).min(ids.len());
    &ids[start..(start + PAGE_SIZE).min(ids.len())]
}

/// Rows grouped under year headings, in list order.
#[derive(Serialize)]
pub struct Year<R> {
    pub year: i16,
    pub rows: Vec<R>,
}

pub(super) fn by_year<R>(rows: impl IntoIterator<Item = (Option<i16>, R)>) -> Vec<Year<R>> {
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

pub(super) fn year_links(r: &Reader, ids: &[Id], first: &str) -> Vec<YearLink> {
    // Dates that group a list are part of its order key (see serve's `changed_keys`), and a
    // dated list runs newest first: each year's start is found by bisection, not by a walk
    // over the whole list on each of its pages.
    let items = &r.site().items;
    let year = |id: &Id| {
        items
            .get(id)
            .and_then(|i| i.meta.date)
            .map_or(0, |d| d.year())
    };
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

/// A kind's list page.
pub fn render(env: &Env, r: &Reader, kind: Kind, page: usize) -> Result<Vec<u8>, Diagnostic> {
    match kind {
        Kind::Principle => principles(env, r),
        Kind::Policy => policies(env, r, page),
        Kind::Case => cases(env, r, None, page),
        Kind::Channel => super::report::report(env, r),
        Kind::Disclosure => disclosures(env, r),
        Kind::Module => super::study::modules(env, r, page),
        Kind::Quiz => quizzes(env, r, page),
        Kind::Page => Ok(Vec::new()),
        Kind::News => super::news::list(env, r, page),
        Kind::Risk => super::risks::register(env, r),
        Kind::Reminder => super::reminders::list(env, r),
        Kind::Pledge => super::pledges::list(env, r),
    }
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
    match r.intro(kind.folder()) {
        Some((item, html)) => {
            let m = &item.meta;
            let description = m.description.as_deref().or(m.summary.as_deref());
            (
                Layout::new(env.site, env.view, &m.title, description, url),
                html,
            )
        }
        None => (Layout::new(env.site, env.view, &title, None, url), ""),
    }
}

fn principles(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        intro_html: &'a str,
        principles: Vec<PrincipleCard<'a>>,
        handbook_url: String,
    }
    let url = env.site.section_url(Kind::Principle);
    let (layout, intro_html) = section(env, r, Kind::Principle, "nav.principles", &url);
    let principles = views::principle_cards(r);
    env.emit(
        "principles.html",
        &ListCtx {
            layout,
            intro_html,
            principles,
            handbook_url: plan::handbook_url(env.site),
        },
    )
}

fn policies(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        intro_html: &'a str,
        policies: Vec<PolicyRow<'a>>,
        pager: Pager,
    }
    let t = &env.r.strings;
    let first = env.site.section_url(Kind::Policy);
    let ids = r.order(Kind::Policy);
    let (layout, intro_html) = section(
        env,
        r,
        Kind::Policy,
        "nav.policies",
        &page_url(&first, page),
    );
    let policies = r
        .pages_of::<Policy>(slice(ids, page))
        .iter()
        .map(|p| views::policy_row(p, t))
        .collect();
    let pager = Pager::new(&first, page, page_count(ids.len()));
    env.emit(
        "policies.html",
        &ListCtx {
            layout,
            intro_html,
            policies,
            pager,
        },
    )
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

/// The cases list, or (with `principle`) the cases citing one principle.
fn cases(env: &Env, r: &Reader, principle: Option<u8>, page: usize) -> Result<Vec<u8>, Diagnostic> {
    let t = &env.r.strings;
    let all_url = env.site.section_url(Kind::Case);
    let (ids, first) = match principle {
        Some(n) => (r.citing(Kind::Case, n), plan::citing_url(env.site, n)),
        None => (r.order(Kind::Case), all_url.clone()),
    };
    let url = page_url(&first, page);
    let (mut layout, intro_html) = match principle {
        Some(n) => {
            let title = match r.principle(n) {
                Some(p) => format!(
                    "{} · {}",
                    t.get_fmt("cases.citing_title", &n.to_string()),
                    p.item.meta.title
                ),
                None => t.get_fmt("cases.citing_title", &n.to_string()),
            };
            (Layout::new(env.site, env.view, &title, None, &url), "")
        }
        None => section(env, r, Kind::Case, "nav.cases", &url),
    };
    if page > 1 {
        layout.title = format!(
            "{} · {}",
            layout.title,
            t.get_fmt("pager.page_n", &page.to_string())
        );
    }
    let rows = r.pages_of::<Case>(slice(ids, page));
    let years = by_year(
        rows.iter()
            .map(|c| (c.item.meta.date.map(|d| d.year()), views::case_row(c, t))),
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

/// Each year's casebook (each part of a large year's), newest first, titled by its year.
fn casebook_links(env: &Env, r: &Reader) -> Vec<Link> {
    r.order(Kind::Case);
    let t = &env.r.strings;
    let mut links = Vec::new();
    for (year, count) in plan::casebook_years(env.site) {
        let parts = count.div_ceil(plan::CASES_PER_BOOKLET);
        for part in 1..=parts {
            let mut title = year.to_string();
            if parts > 1 {
                title.push_str(&t.get_fmt("booklet.part", &part.to_string()));
            }
            let url = plan::casebook_url(env.site, year, part);
            links.push(Link { title, url });
        }
    }
    links
}

/// The cases citing principle `n`.
pub fn citing(env: &Env, r: &Reader, n: u8, page: usize) -> Result<Vec<u8>, Diagnostic> {
    cases(env, r, Some(n), page)
}

/// Disclosures shown per category on the disclosures page; the rest on the category's own
/// pages.
const PER_CATEGORY: usize = 10;

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

fn disclosures(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        intro_html: &'a str,
        categories: Vec<Category<'a>>,
        feed: String,
    }
    let s = env.site;
    // The categories and their counts come from every disclosure: the page reads the list.
    r.order(Kind::Disclosure);
    let mut categories = Vec::new();
    for plan::Category { name, count, .. } in plan::categories(s) {
        let ids = r.in_category(&name);
        let rows = r.pages_of::<Disclosure>(&ids[..ids.len().min(PER_CATEGORY)]);
        let years = by_year(rows.iter().map(|d| {
            (
                d.item.meta.date.map(|x| x.year()),
                views::disclosure_row(d, s.options.today),
            )
        }));
        categories.push(Category {
            anchor: crate::site::urls::segment(&name).unwrap_or_default(),
            url: plan::category_url(s, &name, 1).unwrap_or_default(),
            feed: plan::feed_url(s, Some(&name)).unwrap_or_default(),
            more: count > PER_CATEGORY,
            count,
            name,
            years,
        });
    }
    let url = s.section_url(Kind::Disclosure);
    let (mut layout, intro_html) = section(env, r, Kind::Disclosure, "nav.disclosures", &url);
    layout.feeds = feed_links(env, categories.iter().map(|c| c.name.as_str()));
    let feed = plan::feed_url(s, None).unwrap_or_default();
    env.emit(
        "disclosures.html",
        &ListCtx {
            layout,
            intro_html,
            categories,
            feed,
        },
    )
}

/// The feed of all disclosures, then one per category, as `<link rel=alternate>` targets.
pub fn feed_links<'a>(
    env: &Env,
    categories: impl Iterator<Item = &'a str>,
) -> Vec<crate::site::Link> {
    let t = &env.r.strings;
    let mut links = vec![crate::site::Link {
        title: t.get("feed.all"),
        url: plan::feed_url(env.site, None).unwrap_or_default(),
    }];
    links.extend(categories.filter_map(|c| {
        Some(crate::site::Link {
            title: format!("{} · {c}", t.get("nav.disclosures")),
            url: plan::feed_url(env.site, Some(c))?,
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
    let s = env.site;
    let ids = r.in_category(name);
    let first = plan::category_url(s, name, 1).unwrap_or_default();
    let url = page_url(&first, page);
    let title = format!("{} · {name}", env.r.strings.get("nav.disclosures"));
    let mut layout = Layout::new(s, env.view, &title, None, &url);
    layout.feeds = feed_links(env, std::iter::once(name));
    let rows = r.pages_of::<Disclosure>(slice(ids, page));
    let years = by_year(rows.iter().map(|d| {
        (
            d.item.meta.date.map(|x| x.year()),
            views::disclosure_row(d, s.options.today),
        )
    }));
    let ctx = CategoryCtx {
        layout,
        name,
        years,
        feed: plan::feed_url(s, Some(name)).unwrap_or_default(),
        all_url: s.section_url(Kind::Disclosure),
        pager: Pager::new(&first, page, page_count(ids.len())),
    };
    env.emit("category.html", &ctx)
}

fn quizzes(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        intro_html: &'a str,
        quizzes: Vec<BankRow<'a>>,
        pager: Pager,
    }
    #[derive(Serialize)]
    struct BankRow<'a> {
        title: &'a str,
        url: &'a str,
        summary: Option<&'a str>,
        questions: usize,
    }
    let first = env.site.section_url(Kind::Quiz);
    let ids = r.order(Kind::Quiz);
    let (layout, intro_html) = section(env, r, Kind::Quiz, "nav.quizzes", &page_url(&first, page));
    let pager = Pager::new(&first, page, page_count(ids.len()));
    let quizzes = r
        .pages_of::<QuizBank>(slice(ids, page))
        .into_iter()
        .map(|q| BankRow {
            title: &q.item.meta.title,
            url: q.url,
            summary: q
                .item
                .meta
                .summary
                .as_deref()
                .or(q.item.meta.description.as_deref()),
            questions: q.data.questions.len(),
        })
        .collect();
    env.emit(
        "quizzes.html",
        &ListCtx {
            layout,
            intro_html,
            quizzes,
            pager,
        },
    )
}

/// The first `limit` modules' rows (for the home page).
pub fn module_rows<'a>(r: &Reader<'a>, limit: usize) -> Vec<ModuleRow<'a>> {
    let ids = r.order(Kind::Module);
    r.pages_of::<Module>(&ids[..ids.len().min(limit)])
        .iter()
        .map(views::module_row)
        .collect()
}

/// The rows of page `page` of a kind's list, and the pager, for lists other modules build.
pub fn paged_ids<'a>(r: &Reader<'a>, kind: Kind, page: usize) -> (&'a [Id], Pager) {
    let first = r.site().section_url(kind);
    let ids = r.order(kind);
    (
        slice(ids, page),
        Pager::new(&first, page, page_count(ids.len())),
    )
}
