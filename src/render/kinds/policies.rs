//! Policies (制度文件): the list in numbered pages with number, issuer, dates and status, and
//! each policy's page with what replaced it and what it replaced.

use serde::Serialize;

use super::KindPages;
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::policy::Policy;
use crate::render::items::{get, item_layout, links};
use crate::render::lists::{Pager, paged_ids, section_page};
use crate::render::views::ItemView;
use crate::render::{Env, Layout, Reader, Strings};
use crate::site::Link;
use crate::built::{PageRef, PageView};
use crate::types::Date;

pub struct Pages;

/// A policy as its list and its page show it.
#[derive(Serialize)]
pub struct PolicyRow<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub doc_no: Option<&'a str>,
    pub issuer: Option<&'a str>,
    pub issued: Option<Date>,
    pub effective: Option<Date>,
    pub status: &'static str,
    pub status_label: String,
}

pub fn policy_row<'a>(p: &PageRef<'a, Policy>, t: &Strings) -> PolicyRow<'a> {
    let d = p.data;
    PolicyRow {
        title: &p.item.meta.title,
        url: p.url,
        doc_no: d.doc_no.as_deref(),
        issuer: d.issuer.as_deref(),
        issued: d.issued,
        effective: d.effective,
        status: d.status.token(),
        status_label: t.label("policy_status", d.status.token()),
    }
}

impl KindPages for Pages {
    type Data = Policy;
    const TITLE: Option<&'static str> = Some("nav.policies");
    const TEMPLATES: &'static [&'static str] = &["policies.html", "policy.html"];

    fn list(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            policies: Vec<PolicyRow<'a>>,
            pager: Pager,
        }
        let (layout, intro_html) = section_page(env, r, Kind::Policy, "nav.policies", page);
        let (ids, pager) = paged_ids(r, Kind::Policy, page);
        let policies = (r.pages_of::<Policy>(ids).iter())
            .map(|p| policy_row(p, &env.r.strings))
            .collect();
        let ctx = ListCtx {
            layout,
            intro_html,
            policies,
            pager,
        };
        env.emit("policies.html", &ctx)
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
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
            policy: policy_row(&p, &env.r.strings),
            successor: p.data.superseded_by.as_deref().and_then(|s| r.link_to(s)),
            replaced: links(r, r.replaced(id)),
        };
        env.emit("policy.html", &ctx)
    }

    const ARTICLE: bool = true;

    /// The policy's number, issuer and status.
    fn article(_p: &PageView, d: &Policy, cx: &super::Facts) -> super::ArticleHead {
        let t = cx.t;
        let mut head = super::ArticleHead {
            kicker: vec![t.get("nav.policies")],
            ..Default::default()
        };
        head.fact(t, "doc_no", d.doc_no.clone());
        head.fact(t, "issuer", d.issuer.clone());
        head.fact(t, "status", Some(t.label("policy_status", d.status.token())));
        head
    }

    fn facts(_p: &PageView, d: &Policy, _cx: &super::Facts) -> Vec<String> {
        [&d.doc_no, &d.issuer].into_iter().flatten().cloned().collect()
    }
}
