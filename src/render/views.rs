//! Small serializable views every kind's pages share: the item header, the principle cards
//! and links, an item as a link.

use serde::Serialize;

use super::{Reader, Strings};
use crate::built::PageRef;
use crate::kinds::{Kind, principle};
use crate::site::Link;
use crate::types::Date;

/// What every item page shows about its item.
#[derive(Serialize)]
pub struct ItemView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub summary: Option<&'a str>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub tags: &'a [String],
    pub html: &'a str,
}

impl<'a> ItemView<'a> {
    pub fn of<K>(p: &PageRef<'a, K>) -> Self {
        let m = &p.item.meta;
        ItemView {
            id: &p.item.id,
            title: &m.title,
            url: p.url,
            summary: m.summary.as_deref().or(m.description.as_deref()),
            date: m.date,
            updated: m.updated,
            tags: &m.tags,
            html: p.html,
        }
    }
}

#[derive(Serialize)]
pub struct PrincipleCard<'a> {
    pub number: u8,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub url: &'a str,
    /// How many published cases cite it, and the list of them.
    pub cases: usize,
    pub cases_url: String,
}

pub fn principle_cards<'a>(r: &Reader<'a>) -> Vec<PrincipleCard<'a>> {
    r.ordered::<principle::Principle>()
        .into_iter()
        .map(|p| PrincipleCard {
            number: p.data.number,
            title: &p.item.meta.title,
            summary: p.item.meta.summary.as_deref(),
            url: p.url,
            cases: r.citing(Kind::Case, p.data.number).len(),
            cases_url: crate::plan::citing_url(r, p.data.number),
        })
        .collect()
}

/// The principles a list of numbers cites, as links (unpublished numbers are left out).
pub fn principle_links(r: &Reader, numbers: &[u8], t: &Strings) -> Vec<Link> {
    numbers
        .iter()
        .filter_map(|&n| r.principle(n))
        .map(|p| Link {
            title: format!(
                "{} {}",
                t.get_fmt("principle_number", &p.data.number.to_string()),
                p.item.meta.title
            ),
            url: p.url.to_owned(),
        })
        .collect()
}

/// A published item as a link.
pub fn link<K>(p: &PageRef<'_, K>) -> Link {
    Link {
        title: p.item.meta.title.clone(),
        url: p.url.to_owned(),
    }
}
