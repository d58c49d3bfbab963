//! What the study pages share: a module as the study scripts know it, the pass mark, and
//! "my study record" (every module, a page of them at a time, filled in from the browser's
//! own progress).

use serde::Serialize;

use super::lists::{Pager, slice};
use super::{Env, Layout, Reader, script_json};
use crate::built::PageRef;
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::module::Module;
use crate::kinds::quiz::QuizBank;
use crate::plan::{page_count, page_url};
use crate::site::Link;

/// Pass mark when neither the module nor its bank sets one.
pub const DEFAULT_PASS: u8 = 60;

/// What the study scripts know about a module.
#[derive(Serialize)]
pub struct StudyModule<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    order: Option<i32>,
    minutes: Option<u32>,
    pass: u8,
    quiz: Option<QuizLink<'a>>,
    readings: Vec<Link>,
}

#[derive(Serialize)]
struct QuizLink<'a> {
    id: &'a str,
    title: &'a str,
    /// The bank's page, with `?module=` so the score counts for this module.
    url: String,
}

pub fn study_module<'a>(r: &Reader<'a>, p: &PageRef<'a, Module>) -> StudyModule<'a> {
    let m = p.data;
    let quiz = m.quiz.as_deref().and_then(|id| r.page::<QuizBank>(id));
    StudyModule {
        id: &p.item.id,
        title: &p.item.meta.title,
        url: p.url,
        order: m.order,
        minutes: m.minutes,
        pass: pass_mark(m, quiz.map(|q| q.data)),
        quiz: quiz.map(|q| QuizLink {
            id: &q.item.id,
            title: &q.item.meta.title,
            url: format!("{}?module={}", q.url, p.item.id),
        }),
        readings: m.readings.iter().filter_map(|id| r.link_to(id)).collect(),
    }
}

/// A module's pass mark: its own `pass`, else its bank's, else [`DEFAULT_PASS`].
pub fn pass_mark(module: &Module, bank: Option<&QuizBank>) -> u8 {
    module
        .pass
        .or(bank.and_then(|b| b.settings.pass))
        .unwrap_or(DEFAULT_PASS)
}

/// Page `page` of "my study record": the modules of that page (a site with many has several
/// pages, each printing its own sheet), filled in from the browser's own progress.
pub fn record(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct RecordCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        modules: Vec<StudyModule<'a>>,
        data_json: String,
        pager: Pager,
    }
    let first = crate::plan::record_url(r);
    let (ids, pages) = (
        r.order(Kind::Module),
        page_count(r.order(Kind::Module).len()),
    );
    let mut title = env.r.strings.get("record.title");
    if page > 1 {
        let n = env.r.strings.get_fmt("pager.page_n", &page.to_string());
        title = format!("{title} · {n}");
    }
    let modules: Vec<StudyModule> = (r.pages_of::<Module>(slice(ids, page)).iter())
        .map(|m| study_module(r, m))
        .collect();
    let data_json = script_json(&modules);
    let ctx = RecordCtx {
        layout: Layout::new(env.view, &title, None, &page_url(&first, page)),
        modules,
        data_json,
        pager: Pager::new(&first, page, pages),
    };
    env.emit("record.html", &ctx)
}
