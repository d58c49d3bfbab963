//! Pledges (承诺书): the list, and each pledge's page with fields to type a name, department
//! and date (kept in the browser only) that prints as one A4 page with signature lines.

use serde::Serialize;

use crate::render::items::{get, item_layout};
use crate::render::lists::section;
use crate::render::views::ItemView;
use super::KindPages;
use crate::render::{Env, Layout, Reader};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::pledge::Pledge;
use crate::built::PageView;

pub struct Pages;

#[derive(Serialize)]
struct PledgeRow<'a> {
    title: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    roles: &'a [String],
}

fn list(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        intro_html: &'a str,
        pledges: Vec<PledgeRow<'a>>,
    }
    let url = r.section_url(Kind::Pledge);
    let (layout, intro_html) = section(env, r, Kind::Pledge, "nav.pledges", &url);
    let pledges = r
        .ordered::<Pledge>()
        .into_iter()
        .map(|p| PledgeRow {
            title: &p.item.meta.title,
            url: p.url,
            summary: p.item.meta.summary.as_deref(),
            roles: &p.data.roles,
        })
        .collect();
    env.emit(
        "pledges.html",
        &ListCtx {
            layout,
            intro_html,
            pledges,
        },
    )
}

fn pledge(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        page: ItemView<'a>,
        pledge: &'a Pledge,
    }
    let p = get::<Pledge>(r, id)?;
    let ctx = ItemCtx {
        layout: item_layout(env, r, &p),
        page: ItemView::of(&p),
        pledge: p.data,
    };
    env.emit("pledge.html", &ctx)
}

impl KindPages for Pages {
    type Data = Pledge;
    const TITLE: Option<&'static str> = Some("nav.pledges");
    const TEMPLATES: &'static [&'static str] = &["pledges.html", "pledge.html"];

    fn list(env: &Env, r: &Reader, _page: usize) -> Result<Vec<u8>, Diagnostic> {
        list(env, r)
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        pledge(env, r, id)
    }

    fn facts(_p: &PageView, p: &Pledge, _cx: &super::Facts) -> Vec<String> {
        p.roles.clone()
    }
}
