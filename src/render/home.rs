//! The home page: the integrity message, the Nine Principles at a glance, the latest news,
//! disclosures and cases, the study modules, and the way to report.

use serde::Serialize;

use super::kinds::cases::{self, CaseRow};
use super::kinds::disclosures::{self, DisclosureRow};
use super::kinds::modules::{ModuleRow, module_rows};
use super::kinds::news::{self, NewsRow};
use super::kinds::{self as pages, Related};
use super::views::{self, PrincipleCard};
use super::{Env, Layout, Reader};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::channel::Channel;

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
        news: Vec<NewsRow<'a>>,
        /// What other kinds add (their latest items), in registry order.
        related: Vec<Related>,
        /// Sections the menu leaves out (reminders, pledges), when they have content.
        more_sections: Vec<crate::site::Link>,
        report_text: String,
    }
    let s = r;
    let t = &env.r.strings;
    let ctx = HomeCtx {
        layout: Layout::new(env.view, &s.config().title, None, s.base_path()),
        message_html: r.intro("").map_or("", |(_, html)| html),
        principles: views::principle_cards(r),
        disclosures: disclosures::latest(r, LATEST_DISCLOSURES),
        cases: cases::latest(r, t, LATEST_CASES),
        modules: module_rows(r, MODULES),
        news: news::rows(r, r.order(Kind::News), LATEST_NEWS),
        related: pages::on_home(env, r),
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
    let today = r.today();
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
