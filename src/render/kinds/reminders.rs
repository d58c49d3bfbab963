//! Festival reminders (节日廉洁提醒): the list of current, coming and past reminders, and
//! each reminder's page (the banner every page shows while one is current is the layout's).

use serde::Serialize;

use crate::render::items::{get, item_layout};
use crate::render::lists::section;
use crate::render::views::ItemView;
use super::KindPages;
use crate::render::{Env, Layout, Reader};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::reminder::{Reminder, When};
use crate::built::PageRef;

pub struct Pages;
use crate::types::Date;

#[derive(Serialize)]
struct ReminderRow<'a> {
    title: &'a str,
    url: &'a str,
    from: Date,
    until: Date,
    summary: Option<&'a str>,
}

fn row<'a>(p: &PageRef<'a, Reminder>) -> ReminderRow<'a> {
    ReminderRow {
        title: &p.item.meta.title,
        url: p.url,
        from: p.data.from,
        until: p.data.until,
        summary: p.item.meta.summary.as_deref(),
    }
}

fn list(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        intro_html: &'a str,
        groups: Vec<Group<'a>>,
    }
    #[derive(Serialize)]
    struct Group<'a> {
        /// `current`, `upcoming` or `past`.
        when: &'static str,
        heading: String,
        rows: Vec<ReminderRow<'a>>,
    }
    let today = r.today();
    let url = r.section_url(Kind::Reminder);
    let (layout, intro_html) = section(env, r, Kind::Reminder, "nav.reminders", &url);
    let all = r.ordered::<Reminder>();
    let of = |when: When| -> Vec<ReminderRow> {
        all.iter()
            .filter(|p| p.data.when(today) == when)
            .map(row)
            .collect()
    };
    let groups = [When::Current, When::Upcoming, When::Past]
        .into_iter()
        .map(|when| {
            let mut rows = of(when);
            if when == When::Upcoming {
                rows.reverse();
            }
            let heading = env.r.strings.label("reminder", when.token());
            Group {
                when: when.token(),
                heading,
                rows,
            }
        })
        .filter(|g| !g.rows.is_empty())
        .collect();
    let ctx = ListCtx {
        layout,
        intro_html,
        groups,
    };
    env.emit("reminders.html", &ctx)
}

fn reminder(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        page: ItemView<'a>,
        from: Date,
        until: Date,
        when_label: String,
        list_url: String,
    }
    let p = get::<Reminder>(r, id)?;
    let ctx = ItemCtx {
        layout: item_layout(env, r, &p),
        page: ItemView::of(&p),
        from: p.data.from,
        until: p.data.until,
        when_label: env
            .r
            .strings
            .label("reminder", p.data.when(r.today()).token()),
        list_url: r.section_url(Kind::Reminder),
    };
    env.emit("reminder.html", &ctx)
}

impl KindPages for Pages {
    type Data = Reminder;
    const TITLE: Option<&'static str> = Some("nav.reminders");
    const TEMPLATES: &'static [&'static str] = &["reminders.html", "reminder.html"];

    fn list(env: &Env, r: &Reader, _page: usize) -> Result<Vec<u8>, Diagnostic> {
        list(env, r)
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        reminder(env, r, id)
    }
}
