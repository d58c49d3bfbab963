//! Study modules (学习模块): the list in numbered pages with each module's progress (filled
//! in by the study script), each module's page, the modules citing a principle, and the
//! first few on the home page.

use serde::Serialize;

use super::{KindPages, Related, RelatedRow};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::module::Module;
use crate::render::items::{CITING_SHOWN, item_layout};
use crate::render::lists::{Pager, paged_ids, section_page};
use crate::render::study::{StudyModule, study_module};
use crate::render::views::{self, ItemView};
use crate::render::{Env, Layout, Reader, script_json};
use crate::site::Link;
use crate::built::PageRef;

pub struct Pages;

/// A module as lists and cards show it.
#[derive(Serialize)]
pub struct ModuleRow<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub order: Option<i32>,
    pub minutes: Option<u32>,
    pub roles: &'a [String],
    pub summary: Option<&'a str>,
    pub readings: usize,
}

pub fn module_row<'a>(p: &PageRef<'a, Module>) -> ModuleRow<'a> {
    let m = p.data;
    ModuleRow {
        title: &p.item.meta.title,
        url: p.url,
        order: m.order,
        minutes: m.minutes,
        roles: &m.roles,
        summary: p.item.meta.summary.as_deref(),
        readings: m.readings.len(),
    }
}

/// The first `limit` modules' rows (for the home page).
pub fn module_rows<'a>(r: &Reader<'a>, limit: usize) -> Vec<ModuleRow<'a>> {
    let ids = r.order(Kind::Module);
    (r.pages_of::<Module>(&ids[..ids.len().min(limit)]).iter())
        .map(module_row)
        .collect()
}

impl KindPages for Pages {
    type Data = Module;
    const TITLE: Option<&'static str> = Some("nav.modules");
    const TEMPLATES: &'static [&'static str] = &["modules.html", "module.html"];

    fn list(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            modules: Vec<ModuleRow<'a>>,
            record_url: String,
            data_json: String,
            pager: Pager,
        }
        let (layout, intro_html) = section_page(env, r, Kind::Module, "nav.modules", page);
        let (ids, pager) = paged_ids(r, Kind::Module, page);
        let shown = r.pages_of::<Module>(ids);
        let study: Vec<StudyModule> = shown.iter().map(|m| study_module(r, m)).collect();
        let list = ListCtx {
            layout,
            intro_html,
            modules: shown.iter().map(module_row).collect(),
            record_url: crate::plan::record_url(r),
            data_json: script_json(&study),
            pager,
        };
        env.emit("modules.html", &list)
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            module: &'a Module,
            row: ModuleRow<'a>,
            study: StudyModule<'a>,
            principles: Vec<Link>,
            record_url: String,
            data_json: String,
        }
        let p = crate::render::items::get::<Module>(r, id)?;
        let study = study_module(r, &p);
        let data_json = script_json(&[&study]);
        let ctx = ItemCtx {
            layout: item_layout(env, r, &p),
            page: ItemView::of(&p),
            module: p.data,
            row: module_row(&p),
            study,
            principles: views::principle_links(r, &p.data.principles, &env.r.strings),
            record_url: crate::plan::record_url(r),
            data_json,
        };
        env.emit("module.html", &ctx)
    }

    fn on_principle(env: &Env, r: &Reader, n: u8) -> Option<Related> {
        let ids = r.citing(Kind::Module, n);
        let rows = (ids.iter().take(CITING_SHOWN))
            .filter_map(|id| r.link_to(id))
            .map(RelatedRow::link)
            .collect();
        Related::of(Kind::Module, "citing", env.r.strings.get("modules_citing"), rows)
    }
}
