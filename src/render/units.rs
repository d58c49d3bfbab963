//! The commission's units directory (`units/`): every unit with its hotline (tap to dial),
//! its site, its report page and its latest disclosures and news, paged; and the units'
//! report pages as the commission's report page links them.

use serde::Serialize;

use super::lists::Pager;
use super::{Env, Layout, Reader};
use crate::diag::Diagnostic;
use crate::site::Link;
use crate::units::{PER_PAGE, UnitCard};

/// A unit as the directory shows it, with addresses as the commission links them.
#[derive(Serialize)]
struct UnitView<'a> {
    title: &'a str,
    hospital: &'a str,
    home: String,
    report: String,
    phones: Vec<Phone<'a>>,
    disclosures: Vec<Dated<'a>>,
    news: Vec<Dated<'a>>,
}

#[derive(Serialize)]
struct Phone<'a> {
    name: &'a str,
    number: &'a str,
    href: &'a str,
}

#[derive(Serialize)]
struct Dated<'a> {
    title: &'a str,
    url: String,
    date: &'a str,
}

fn view<'a>(r: &Reader, card: &'a UnitCard) -> UnitView<'a> {
    let at = |rel: &str| card.address(rel, r.base_path(), r.options().relative);
    let dated = |list: &'a [(String, String, String)]| {
        (list.iter())
            .map(|(title, rel, date)| Dated {
                title,
                url: at(rel),
                date,
            })
            .collect()
    };
    UnitView {
        title: &card.title,
        hospital: &card.hospital,
        home: at(""),
        report: at(&card.report),
        phones: (card.phones.iter())
            .map(|(name, number, href)| Phone { name, number, href })
            .collect(),
        disclosures: dated(&card.disclosures),
        news: dated(&card.news),
    }
}

/// Page `page` of the units directory.
pub fn directory(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct UnitsCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        units: Vec<UnitView<'a>>,
        pager: Pager,
        /// A staff build's assessment table.
        assessment_url: Option<String>,
    }
    let all = r.units();
    let pages = all.len().div_ceil(PER_PAGE).max(1);
    let first = crate::plan::units_url(r, 1);
    let url = crate::plan::units_url(r, page);
    let title = env.r.strings.get("units.title");
    let shown = all.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE);
    let ctx = UnitsCtx {
        layout: Layout::new(env.view, &title, None, &url),
        units: shown.map(|card| view(r, card)).collect(),
        pager: Pager::new(&first, page, pages),
        assessment_url: (crate::units::assessed(r.options()))
            .then(|| crate::plan::assessment_url(r, 1)),
    };
    env.emit("units.html", &ctx)
}

/// Each unit's report page, for the commission's report page.
pub fn report_links(r: &Reader) -> Vec<Link> {
    (r.units().iter())
        .map(|card| Link {
            title: card.title.clone(),
            url: card.address(&card.report, r.base_path(), r.options().relative),
        })
        .collect()
}

/// A unit's row of the assessment table.
#[derive(Serialize)]
struct Row<'a> {
    title: &'a str,
    home: String,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Cell {
    met: bool,
    reason: String,
    link: Option<String>,
}

/// Page `page` of the table of every unit against every requirement (a staff page the
/// commission prints).
pub fn assessment<'a>(env: &Env, r: &Reader<'a>, page: usize) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct AssessmentCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        requirements: Vec<String>,
        rows: Vec<Row<'a>>,
        met: usize,
        pager: Pager,
    }
    let lang = crate::messages::Lang::from_tag(&r.config().language);
    let all = r.units();
    let requirements = (all.iter().find(|u| !u.findings.is_empty()))
        .map(|u| {
            u.findings
                .iter()
                .map(|f| f.requirement.render(lang))
                .collect()
        })
        .unwrap_or_default();
    let row = |card: &'a UnitCard| -> Row<'a> {
        Row {
            title: &card.title,
            home: card.address("", r.base_path(), r.options().relative),
            cells: (card.findings.iter())
                .map(|f| Cell {
                    met: f.met,
                    reason: f.reason.render(lang),
                    link: (f.link.as_deref())
                        .map(|l| card.address(l, r.base_path(), r.options().relative)),
                })
                .collect(),
        }
    };
    let title = env.r.strings.get("assessment.title");
    let url = crate::plan::assessment_url(r, page);
    let pages = all.len().div_ceil(PER_PAGE).max(1);
    let ctx = AssessmentCtx {
        layout: Layout::new(env.view, &title, None, &url),
        requirements,
        rows: (all.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE))
            .map(row)
            .collect(),
        met: all
            .iter()
            .filter(|u| u.findings.iter().all(|f| f.met))
            .count(),
        pager: Pager::new(&crate::plan::assessment_url(r, 1), page, pages),
    };
    env.emit("assessment.html", &ctx)
}
