//! Festival reminders (节日廉洁提醒): the banner every page shows while a reminder is current,
//! the list of current, coming and past reminders, and each reminder's page.

use serde::Serialize;

use super::items::{get, item_layout};
use super::lists::section;
use super::views::ItemView;
use super::{Env, Reader};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::reminder::{Reminder, When};
use crate::site::{PageRef, Site};
use crate::types::Date;

/// A current reminder as the banner on every page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Banner {
    /// Stable per reminder and dates, so dismissing one does not hide the next.
    pub key: String,
    pub title: String,
    pub summary: Option<String>,
    pub url: String,
    pub until: Date,
}

/// The reminders current on the build's today, newest first.
pub fn banners(site: &Site) -> Vec<Banner> {
    let today = site.options.today;
    site.ordered::<Reminder>()
        .filter(|p| p.data.when(today) == When::Current)
        .map(|p| Banner {
            key: format!("{}@{}", p.item.id, p.data.from),
            title: p.item.meta.title.clone(),
            summary: p.item.meta.summary.clone(),
            url: p.url.to_owned(),
            until: p.data.until,
        })
        .collect()
}

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

pub fn list(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: super::Layout<'a>,
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
    let today = env.site.options.today;
    let url = env.site.section_url(Kind::Reminder);
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

pub fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: super::Layout<'a>,
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
            .label("reminder", p.data.when(env.site.options.today).token()),
        list_url: env.site.section_url(Kind::Reminder),
    };
    env.emit("reminder.html", &ctx)
}
