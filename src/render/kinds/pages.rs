//! Free pages (页面): each on its own page; they have no list (the menu links those that ask).

use serde::Serialize;

use super::KindPages;
use crate::diag::Diagnostic;
use crate::kinds::page::Page;
use crate::render::items::{get, item_layout};
use crate::render::views::ItemView;
use crate::render::{Env, Layout, Reader};

pub struct Pages;

impl KindPages for Pages {
    type Data = Page;
    const TITLE: Option<&'static str> = None;
    const TEMPLATES: &'static [&'static str] = &["page.html"];

    /// Free pages have no list: the plan never asks for one.
    fn list(_env: &Env, _r: &Reader, _page: usize) -> Result<Vec<u8>, Diagnostic> {
        Ok(Vec::new())
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
        }
        let p = get::<Page>(r, id)?;
        let ctx = ItemCtx {
            layout: item_layout(env, r, &p),
            page: ItemView::of(&p),
        };
        env.emit("page.html", &ctx)
    }
}
