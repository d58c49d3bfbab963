//! The home page: the integrity message, the Nine Principles at a glance, the latest news,
//! disclosures and cases, the study modules, and the way to report.

use serde::Serialize;

use super::views::{self, CaseRow, DisclosureRow, ModuleRow, PrincipleCard};
use super::{Env, Layout, Reader};
use crate::diag::Diagnostic;
use crate::kinds::case::Case;
use crate::kinds::channel::Channel;
use crate::kinds::disclosure::Disclosure;
use crate::kinds::{Kind, KindData};

/// How many of the latest items the home page shows.
const LATEST_DISCLOSURES: usize = 5;
const LATEST_CASES: usize = 3;
const MODULES: usize = 6;
const LATEST_NEWS: usize = 5;

pub fn render(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct HomeCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        message_html: &'a str,
        principles: Vec<PrincipleCard<'a>>,
        disclosures: Vec<DisclosureRow<'a>>,
        cases: Vec<CaseRow<'a>>,
        modules: Vec<ModuleRow<'a>>,
        news: Vec<super::news::NewsRow<'a>>,
        /// Sections the menu leaves out (reminders, pledges), when they have content.
        more_sections: Vec<crate::site::Link>,
        report_text: String,
    }
    let s = env.site;
    let t = &env.r.strings;
    let today = s.options.today;
    let ctx = HomeCtx {
        layout: Layout::new(s, env.view, &s.config.title, None, &s.base_path),
        message_html: r.intro("").map_or("", |(_, html)| html),
        principles: views::principle_cards(r),
        disclosures: latest::<Disclosure>(r, LATEST_DISCLOSURES)
            .iter()
            .map(|d| views::disclosure_row(d, today))
            .collect(),
        cases: latest::<Case>(r, LATEST_CASES)
            .iter()
            .map(|c| views::case_row(c, t))
            .collect(),
        modules: super::lists::module_rows(r, MODULES),
        news: super::news::rows(r, r.order(Kind::News), LATEST_NEWS),
        more_sections: [Kind::Reminder, Kind::Pledge]
            .into_iter()
            .filter(|k| !r.order(*k).is_empty())
            .map(|k| super::layout::section_link(s, t, k))
            .collect(),
        report_text: report_text(r, t),
    };
    env.emit("home.html", &ctx)
}

/// The report box's sentence, naming the ways to report this site has (电话、电子邮件…).
fn report_text(r: &Reader, t: &super::Strings) -> String {
    let today = r.site().options.today;
    let mut kinds = Vec::new();
    for c in r.ordered::<Channel>() {
        if c.data.active_on(today) && !kinds.contains(&c.data.kind) {
            kinds.push(c.data.kind);
        }
    }
    if kinds.is_empty() {
        return t.get("home.report_text_none");
    }
    let labels: Vec<String> = kinds
        .iter()
        .map(|k| t.label("channel_kind", k.token()))
        .collect();
    t.get_fmt("home.report_text", &labels.join(&t.get("list_separator")))
}

/// The first `n` items of a kind's list.
fn latest<'a, K: KindData>(r: &Reader<'a>, n: usize) -> Vec<crate::site::PageRef<'a, K>> {
    let ids = r.order(K::KIND);
    r.pages_of::<K>(&ids[..ids.len().min(n)])
}
