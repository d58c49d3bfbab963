//! Small serializable views of items shared by several templates (rows, cards, item headers).

use serde::Serialize;

use super::{Reader, Strings};
use crate::kinds::{Kind, case, channel, disclosure, module, policy, principle};
use crate::site::{Link, PageRef};
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
            cases_url: crate::plan::citing_url(r.site(), p.data.number),
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

#[derive(Serialize)]
pub struct CaseRow<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: Option<Date>,
    pub unit: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub origin: Option<String>,
    pub principles: &'a [u8],
}

pub fn case_row<'a>(p: &PageRef<'a, case::Case>, t: &Strings) -> CaseRow<'a> {
    let c = p.data;
    CaseRow {
        title: &p.item.meta.title,
        url: p.url,
        date: p.item.meta.date,
        unit: c.unit.as_deref(),
        summary: p.item.meta.summary.as_deref(),
        origin: c.origin.map(|o| t.label("origin", o.token())),
        principles: &c.principles,
    }
}

/// A case's amount as readers see it: `36000` → `36,000 元`.
pub fn amount_text(amount: &case::Amount, t: &Strings) -> String {
    match amount {
        case::Amount::Text(s) => s.clone(),
        case::Amount::Yuan(y) => {
            let whole = y.trunc() as i64;
            let digits = whole.to_string();
            let mut grouped = String::new();
            for (i, ch) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    grouped.push(',');
                }
                grouped.push(ch);
            }
            let cents = ((y - y.trunc()) * 100.0).round() as i64;
            let num = if cents > 0 {
                format!("{grouped}.{cents:02}")
            } else {
                grouped
            };
            t.get_fmt("amount_yuan", &num)
        }
    }
}

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

pub fn policy_row<'a>(p: &PageRef<'a, policy::Policy>, t: &Strings) -> PolicyRow<'a> {
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

#[derive(Serialize)]
pub struct ChannelView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub kind: &'static str,
    pub kind_label: String,
    pub value: &'a str,
    pub href: Option<String>,
    pub hours: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub anonymous: Option<bool>,
    pub owner: Option<&'a str>,
    pub verified: Option<Date>,
    pub location: Option<&'a str>,
    pub html: &'a str,
    /// A WeChat channel's code to scan: an inline SVG, or the site's own image.
    pub qr_svg: Option<String>,
    pub qr_image: Option<String>,
    /// The channel's own A4 poster, when it has one.
    pub poster_url: Option<String>,
}

pub fn channel_view<'a>(p: &PageRef<'a, channel::Channel>, t: &Strings) -> ChannelView<'a> {
    let c = p.data;
    ChannelView {
        title: &p.item.meta.title,
        url: p.url,
        kind: c.kind.token(),
        kind_label: t.label("channel_kind", c.kind.token()),
        value: &c.value,
        href: c.href(),
        hours: c.hours.as_deref(),
        scope: c.scope.as_deref(),
        anonymous: c.anonymous,
        owner: c.owner.as_deref(),
        verified: c.verified,
        location: c.location.as_deref(),
        html: p.html,
        qr_svg: None,
        qr_image: None,
        poster_url: None,
    }
}

#[derive(Serialize)]
pub struct DisclosureRow<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub category: &'a str,
    pub doc_no: Option<&'a str>,
    pub date: Option<Date>,
    pub valid_until: Option<Date>,
    pub expired: bool,
}

pub fn disclosure_row<'a>(
    p: &PageRef<'a, disclosure::Disclosure>,
    today: Date,
) -> DisclosureRow<'a> {
    let d = p.data;
    DisclosureRow {
        title: &p.item.meta.title,
        url: p.url,
        category: &d.category,
        doc_no: d.doc_no.as_deref(),
        date: p.item.meta.date,
        valid_until: d.valid_until,
        expired: d.expired_on(today),
    }
}

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

pub fn module_row<'a>(p: &PageRef<'a, module::Module>) -> ModuleRow<'a> {
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

/// A published item as a link.
pub fn link<K>(p: &PageRef<'_, K>) -> Link {
    Link {
        title: p.item.meta.title.clone(),
        url: p.url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped() {
        let t = Strings::from_pairs(&[("amount_yuan", "{} 元")]);
        assert_eq!(amount_text(&case::Amount::Yuan(36000.0), &t), "36,000 元");
        assert_eq!(
            amount_text(&case::Amount::Yuan(1234567.5), &t),
            "1,234,567.50 元"
        );
        assert_eq!(
            amount_text(&case::Amount::Text("3.2万元".into()), &t),
            "3.2万元"
        );
    }
}
