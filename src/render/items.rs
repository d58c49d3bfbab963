//! Item pages: each published item on its own page, with what cites it.

use serde::Serialize;

use super::views::{self, CaseRow, ItemView, PolicyRow};
use super::{Env, Layout, Reader};
use crate::diag::Diagnostic;
use crate::kinds::case::Case;
use crate::kinds::disclosure::{self, Disclosure};
use crate::kinds::page::Page;
use crate::kinds::policy::Policy;
use crate::kinds::principle::Principle;
use crate::kinds::quiz::QuizBank;
use crate::kinds::{Kind, KindData};
use crate::site::{Link, PageRef};

/// At most this many citing items are listed on an item page; the rest are a link away.
pub const CITING_SHOWN: usize = 20;

/// Renders item `id` with its kind's template.
pub fn render(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    let kind = r.item(id).map(|i| i.kind);
    match kind {
        Some(Kind::Principle) => principle(env, r, id),
        Some(Kind::Policy) => policy(env, r, id),
        Some(Kind::Case) => case(env, r, id),
        Some(Kind::Channel) => super::report::channel(env, r, id),
        Some(Kind::Disclosure) => disclosure(env, r, id),
        Some(Kind::Module) => super::study::module(env, r, id),
        Some(Kind::Quiz) => super::study::quiz(env, r, id),
        Some(Kind::Page) => page(env, r, id),
        Some(Kind::News) => super::news::item(env, r, id),
        Some(Kind::Risk) => super::risks::item(env, r, id),
        Some(Kind::Reminder) => super::reminders::item(env, r, id),
        Some(Kind::Pledge) => super::pledges::item(env, r, id),
        None => Ok(Vec::new()),
    }
}

/// The item's page layout, with the news that mention the item.
pub fn item_layout<'a, K>(env: &'a Env, r: &Reader, p: &PageRef<'_, K>) -> Layout<'a> {
    let m = &p.item.meta;
    let description = m.description.as_deref().or(m.summary.as_deref());
    let mut layout = Layout::new(env.site, env.view, &m.title, description, p.url);
    layout.mentions = super::news::mentions(r, &p.item.id);
    layout
}

pub(super) fn get<'a, K: KindData>(r: &Reader<'a>, id: &str) -> Result<PageRef<'a, K>, Diagnostic> {
    r.page::<K>(id).ok_or_else(|| {
        Diagnostic::file(
            crate::diag::Severity::Error,
            id,
            "internal: the item vanished while rendering",
        )
    })
}

fn principle(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        page: ItemView<'a>,
        number: u8,
        cases: Vec<CaseRow<'a>>,
        cases_count: usize,
        cases_url: String,
        modules: Vec<Link>,
        quizzes: Vec<QuizRef<'a>>,
        news: Vec<super::news::NewsRow<'a>>,
        risks: Vec<Link>,
        prev: Option<Link>,
        next: Option<Link>,
    }
    let t = &env.r.strings;
    let p = get::<Principle>(r, id)?;
    let n = p.data.number;
    let citing = r.citing(Kind::Case, n);
    let shown = &citing[..citing.len().min(CITING_SHOWN)];
    let order = r.order(Kind::Principle);
    let at = order.iter().position(|x| x == id).unwrap_or(0);
    let neighbour = |i: Option<usize>| i.and_then(|i| order.get(i)).and_then(|x| r.link_to(x));
    let ctx = ItemCtx {
        layout: item_layout(env, r, &p),
        page: ItemView::of(&p),
        number: n,
        cases: r
            .pages_of::<Case>(shown)
            .iter()
            .map(|c| views::case_row(c, t))
            .collect(),
        cases_count: citing.len(),
        cases_url: crate::plan::citing_url(env.site, n),
        modules: links(r, r.citing(Kind::Module, n)),
        quizzes: r
            .quiz_counts(n)
            .iter()
            .filter_map(|(bank, count)| {
                let q = r.page::<QuizBank>(bank)?;
                Some(QuizRef {
                    title: &q.item.meta.title,
                    url: q.url,
                    count: *count,
                })
            })
            .collect(),
        news: super::news::rows(r, r.citing(Kind::News, n), CITING_SHOWN),
        risks: links(r, r.citing(Kind::Risk, n)),
        prev: neighbour(at.checked_sub(1)),
        next: neighbour(Some(at + 1)),
    };
    env.emit("principle.html", &ctx)
}

/// A bank that tests a principle, with how many of its questions cite it.
#[derive(Serialize)]
struct QuizRef<'a> {
    title: &'a str,
    url: &'a str,
    count: usize,
}

/// Up to [`CITING_SHOWN`] published items as links.
fn links(r: &Reader, ids: &[String]) -> Vec<Link> {
    ids.iter()
        .take(CITING_SHOWN)
        .filter_map(|id| r.link_to(id))
        .collect()
}

fn policy(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        page: ItemView<'a>,
        policy: PolicyRow<'a>,
        successor: Option<Link>,
        replaced: Vec<Link>,
    }
    let p = get::<Policy>(r, id)?;
    let ctx = ItemCtx {
        layout: item_layout(env, r, &p),
        page: ItemView::of(&p),
        policy: views::policy_row(&p, &env.r.strings),
        successor: p.data.superseded_by.as_deref().and_then(|s| r.link_to(s)),
        replaced: links(r, r.replaced(id)),
    };
    env.emit("policy.html", &ctx)
}

fn case(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
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
        amount: p.data.amount.as_ref().map(|a| views::amount_text(a, t)),
        principles: views::principle_links(r, &p.data.principles, t),
    };
    env.emit("case.html", &ctx)
}

fn disclosure(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        page: ItemView<'a>,
        disclosure: &'a Disclosure,
        row: views::DisclosureRow<'a>,
        done: usize,
        open: usize,
    }
    let p = get::<Disclosure>(r, id)?;
    let items = &p.data.items;
    let done = items
        .iter()
        .filter(|i| i.status == disclosure::ItemStatus::Done)
        .count();
    let mut layout = item_layout(env, r, &p);
    layout.feeds = super::lists::feed_links(env, std::iter::once(p.data.category.trim()));
    let ctx = ItemCtx {
        layout,
        page: ItemView::of(&p),
        disclosure: p.data,
        row: views::disclosure_row(&p, env.site.options.today),
        done,
        open: items.len() - done,
    };
    env.emit("disclosure.html", &ctx)
}

fn page(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        page: ItemView<'a>,
    }
    let p = get::<Page>(r, id)?;
    env.emit(
        "page.html",
        &ItemCtx {
            layout: item_layout(env, r, &p),
            page: ItemView::of(&p),
        },
    )
}
