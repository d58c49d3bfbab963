//! Booklets to print: a year's warning cases (警示教育案例汇编, every department studies it)
//! and the Nine Principles study handbook — a cover, contents, each entry from a new page,
//! page numbers in the page margin (CSS paged media).

use serde::Serialize;

use super::lists::Pager;
use super::views::{self, ItemView};
use super::{Env, Layout, Reader};
use crate::built::PageRef;
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::case::{Case, Sanction};
use crate::kinds::policy::Policy;
use crate::kinds::principle::Principle;
use crate::plan::{self, Booklet};
use crate::site::Link;

/// Cases and policies shown under each principle in the handbook (the site lists them all).
const HANDBOOK_SHOWN: usize = 5;

/// A body with its heading anchors prefixed by its place in the booklet, so the entries'
/// anchors (each body has its own 条文释义) stay unique on the one page.
fn own_anchors(html: &str, i: usize) -> String {
    html.replace(" id=\"", &format!(" id=\"e{}-", i + 1))
}

/// A booklet: the casebook of a year or the handbook.
pub fn booklet(env: &Env, r: &Reader, which: Booklet) -> Result<Vec<u8>, Diagnostic> {
    match which {
        Booklet::Casebook(year, part) => casebook(env, r, year, part),
        Booklet::Handbook => handbook(env, r),
    }
}

/// One entry of a booklet: a case or a principle, with what it shows.
#[derive(Serialize)]
struct Entry<'a> {
    page: ItemView<'a>,
    /// The body, its heading anchors made unique in the booklet (`e3-条文释义`).
    html: String,
    /// The line under the title: unit and role, or the principle's number.
    kicker: String,
    facts: Vec<(String, String)>,
    sanctions: &'a [Sanction],
    lessons: Option<&'a str>,
    /// Principles the case breaks, or the policies and cases tied to a principle.
    links: Vec<(String, Vec<Link>)>,
}

#[derive(Serialize)]
struct BookletCtx<'a> {
    #[serde(flatten)]
    layout: Layout<'a>,
    kind: &'static str,
    /// The cover's title and line under it.
    heading: String,
    subheading: String,
    entries: Vec<Entry<'a>>,
    /// The parts of a year's casebook, when it has several.
    pager: Option<Pager>,
}

/// The published cases of `year`, oldest first, as part `part` of the year's casebook (a
/// staff build has its staff-only cases too, as the site has).
fn casebook(env: &Env, r: &Reader, year: i16, part: usize) -> Result<Vec<u8>, Diagnostic> {
    let s = r;
    let t = &env.r.strings;
    let ids = r.cases_of_year(year);
    let parts = ids.len().div_ceil(plan::CASES_PER_BOOKLET);
    let start = (part.max(1) - 1) * plan::CASES_PER_BOOKLET;
    let oldest_first = ids.iter().rev().skip(start).take(plan::CASES_PER_BOOKLET);
    let cases: Vec<_> = oldest_first.filter_map(|id| r.page::<Case>(id)).collect();
    let entries = (cases.iter())
        .enumerate()
        .map(|(i, c)| {
            let d = c.data;
            let kicker = [d.unit.as_deref(), d.role.as_deref(), d.subject.as_deref()];
            let kicker: Vec<&str> = kicker.into_iter().flatten().collect();
            let mut facts = Vec::new();
            if let Some(date) = c.item.meta.date {
                facts.push((t.get("date"), date.to_string()));
            }
            if let Some(a) = &d.amount {
                facts.push((t.get("amount"), super::kinds::cases::amount_text(a, t)));
            }
            if let Some(o) = d.origin {
                facts.push((t.get("origin"), t.label("origin", o.token())));
            }
            let principles = views::principle_links(r, &d.principles, t);
            Entry {
                page: ItemView::of(c),
                html: own_anchors(c.html, i),
                kicker: kicker.join(" · "),
                facts,
                sanctions: &d.sanctions,
                lessons: d.lessons.as_deref(),
                links: vec![(t.get("principles_breached"), principles)],
            }
        })
        .collect();
    let mut title = t.get_fmt("booklet.casebook_title", &year.to_string());
    if parts > 1 {
        title = format!("{title}{}", t.get_fmt("booklet.part", &part.to_string()));
    }
    let url = plan::casebook_url(s, year, part);
    let ctx = BookletCtx {
        layout: Layout::new(env.view, &title, None, &url),
        kind: "casebook",
        heading: title.clone(),
        subheading: s.config().hospital.clone(),
        entries,
        pager: (parts > 1).then(|| Pager::at(part, parts, |n| plan::casebook_url(s, year, n))),
    };
    env.emit("booklet.html", &ctx)
}

/// The policies tied to principle `p` in the handbook: those its own text links, then those
/// its study modules read, once each, at most [`HANDBOOK_SHOWN`].
fn principle_policies(r: &Reader, p: &PageRef<Principle>) -> Vec<Link> {
    let mut policies: Vec<Link> = Vec::new();
    let mut add = |id: &str| {
        if r.page::<Policy>(id).is_some()
            && let Some(link) = r.link_to(id)
            && !policies.contains(&link)
        {
            policies.push(link);
        }
    };
    r.backlinks(&p.item.id);
    for id in r.links_of(&p.item.id) {
        add(id);
    }
    let n = p.data.number;
    for module in r.pages_of::<crate::kinds::module::Module>(r.citing(Kind::Module, n)) {
        module.data.readings.iter().for_each(|id| add(id));
    }
    policies.truncate(HANDBOOK_SHOWN);
    policies
}

/// The cases citing principle `n` in the handbook: the first [`HANDBOOK_SHOWN`], then a link
/// to all of them when there are more.
fn principle_cases(env: &Env, r: &Reader, n: u8) -> Vec<Link> {
    let citing = r.citing(Kind::Case, n);
    let mut cases: Vec<Link> = (citing.iter())
        .take(HANDBOOK_SHOWN)
        .filter_map(|id| r.link_to(id))
        .collect();
    if citing.len() > HANDBOOK_SHOWN {
        cases.push(Link {
            title: (env.r.strings).get_fmt("booklet.more_cases", &citing.len().to_string()),
            url: plan::citing_url(r, n),
        });
    }
    cases
}

/// The Nine Principles, each with its interpretation and the policies and cases tied to it:
/// the policies its own text links and those its study modules read, the cases citing it.
fn handbook(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    let s = r;
    let t = &env.r.strings;
    let entries = r
        .ordered::<Principle>()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let n = p.data.number;
            let (policies, cases) = (principle_policies(r, p), principle_cases(env, r, n));
            Entry {
                page: ItemView::of(p),
                html: own_anchors(p.html, i),
                kicker: t.get_fmt("principle_number", &n.to_string()),
                facts: Vec::new(),
                sanctions: &[],
                lessons: None,
                links: vec![
                    (t.get("booklet.policies"), policies),
                    (t.get("booklet.cases"), cases),
                ],
            }
        })
        .collect();
    let title = t.get("booklet.handbook_title");
    let url = plan::handbook_url(s);
    let ctx = BookletCtx {
        layout: Layout::new(env.view, &title, None, &url),
        kind: "handbook",
        heading: title.clone(),
        subheading: s.config().hospital.clone(),
        entries,
        pager: None,
    };
    env.emit("booklet.html", &ctx)
}
