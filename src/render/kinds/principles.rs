//! The Nine Principles: the list of cards with the handbook to print, and each principle's
//! page with its interpretation, the cases that break it (paged apart when many) and what
//! every other kind adds to it.

use serde::Serialize;

use super::cases::{CaseRow, case_row};
use super::{KindPages, Related};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::case::Case;
use crate::kinds::principle::Principle;
use crate::render::items::{CITING_SHOWN, get, item_layout};
use crate::render::lists::section;
use crate::render::views::{self, ItemView, PrincipleCard};
use crate::render::{Env, Layout, Reader};
use crate::built::PageView;
use crate::site::Link;

pub struct Pages;

impl KindPages for Pages {
    type Data = Principle;
    const TITLE: Option<&'static str> = Some("nav.principles");
    const TEMPLATES: &'static [&'static str] = &["principles.html", "principle.html"];

    fn list(env: &Env, r: &Reader, _page: usize) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            principles: Vec<PrincipleCard<'a>>,
            handbook_url: String,
        }
        let url = r.section_url(Kind::Principle);
        let (layout, intro_html) = section(env, r, Kind::Principle, "nav.principles", &url);
        let ctx = ListCtx {
            layout,
            intro_html,
            principles: views::principle_cards(r),
            handbook_url: crate::plan::handbook_url(r),
        };
        env.emit("principles.html", &ctx)
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            number: u8,
            cases: Vec<CaseRow<'a>>,
            cases_count: usize,
            cases_url: String,
            /// What the other kinds add: the modules, banks, news and risks citing it.
            related: Vec<Related>,
            prev: Option<Link>,
            next: Option<Link>,
        }
        let t = &env.r.strings;
        let p = get::<Principle>(r, id)?;
        let n = p.data.number;
        let citing = r.citing(Kind::Case, n);
        let shown = &citing[..citing.len().min(CITING_SHOWN)];
        let (prev, next) = neighbours(r, id);
        let ctx = ItemCtx {
            layout: item_layout(env, r, &p),
            page: ItemView::of(&p),
            number: n,
            cases: (r.pages_of::<Case>(shown).iter())
                .map(|c| case_row(c, t))
                .collect(),
            cases_count: citing.len(),
            cases_url: crate::plan::citing_url(r, n),
            related: super::on_principle(env, r, n),
            prev,
            next,
        };
        env.emit("principle.html", &ctx)
    }

    const ARTICLE: bool = true;

    fn article(_p: &PageView, d: &Principle, cx: &super::Facts) -> super::ArticleHead {
        let number = cx.t.get_fmt("principle_number", &d.number.to_string());
        super::ArticleHead {
            kicker: vec![cx.t.get("nav.principles"), number],
            ..Default::default()
        }
    }

    fn facts(_p: &PageView, d: &Principle, cx: &super::Facts) -> Vec<String> {
        vec![
            cx.t.get("nav.principles"),
            cx.t.get_fmt("principle_number", &d.number.to_string()),
        ]
    }
}

/// The principles before and after `id` in the list.
fn neighbours(r: &Reader, id: &str) -> (Option<Link>, Option<Link>) {
    let order = r.order(Kind::Principle);
    let at = order.iter().position(|x| x == id).unwrap_or(0);
    let neighbour = |i: Option<usize>| i.and_then(|i| order.get(i)).and_then(|x| r.link_to(x));
    (neighbour(at.checked_sub(1)), neighbour(Some(at + 1)))
}
