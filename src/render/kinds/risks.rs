//! The risk register (廉洁风险防控台账): one table of every risk of every post, to filter by
//! department and level and to print on A4 landscape; and each post's own page.

use serde::Serialize;

use crate::render::items::{get, item_layout};
use crate::render::lists::section;
use crate::render::views::ItemView;
use super::KindPages;
use crate::render::{Env, Layout, Reader, Strings};
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::risk::{Level, Risk, RiskPoint};
use crate::site::Link;
use crate::built::{PageRef, PageView};

pub struct Pages;

/// One risk as a row of the register.
#[derive(Serialize)]
pub struct RiskRow<'a> {
    pub department: &'a str,
    /// The post's page.
    pub title: &'a str,
    pub url: &'a str,
    pub place: String,
    pub risk: &'a str,
    pub level: &'static str,
    pub level_label: String,
    pub controls: &'a [String],
    pub owner: Option<&'a str>,
    pub principles: Vec<Link>,
    pub policies: Vec<Link>,
}

/// How many risks of one level the rows hold.
#[derive(Serialize)]
pub struct LevelCount {
    pub level: &'static str,
    pub label: String,
    pub count: usize,
}

fn row<'a>(
    r: &Reader<'a>,
    p: &PageRef<'a, Risk>,
    point: &'a RiskPoint,
    t: &Strings,
) -> RiskRow<'a> {
    RiskRow {
        department: p.data.department.trim(),
        title: &p.item.meta.title,
        url: p.url,
        place: p.data.place(),
        risk: &point.risk,
        level: point.level.token(),
        level_label: t.label("risk_level", point.level.token()),
        controls: &point.controls,
        owner: point.owner.as_deref(),
        principles: point
            .principles
            .iter()
            .filter_map(|&n| r.principle(n))
            .map(|p| Link {
                title: t.get_fmt("principle_number", &p.data.number.to_string()),
                url: p.url.to_owned(),
            })
            .collect(),
        policies: point
            .policies
            .iter()
            .filter_map(|id| r.link_to(id))
            .collect(),
    }
}

fn level_counts(rows: &[RiskRow], t: &Strings) -> Vec<LevelCount> {
    Level::ALL
        .iter()
        .map(|l| LevelCount {
            level: l.token(),
            label: t.label("risk_level", l.token()),
            count: rows.iter().filter(|r| r.level == l.token()).count(),
        })
        .collect()
}

/// The register: every published post's risks, by department.
fn register(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct RegisterCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        intro_html: &'a str,
        rows: Vec<RiskRow<'a>>,
        departments: Vec<&'a str>,
        levels: Vec<LevelCount>,
        posts: usize,
    }
    let t = &env.r.strings;
    let url = r.section_url(Kind::Risk);
    let (layout, intro_html) = section(env, r, Kind::Risk, "nav.risks", &url);
    let posts = r.ordered::<Risk>();
    let mut rows = Vec::new();
    let mut departments: Vec<&str> = Vec::new();
    for p in &posts {
        let department = p.data.department.trim();
        if !departments.contains(&department) {
            departments.push(department);
        }
        rows.extend(p.data.risks.iter().map(|point| row(r, p, point, t)));
    }
    let ctx = RegisterCtx {
        layout,
        intro_html,
        levels: level_counts(&rows, t),
        rows,
        departments,
        posts: posts.len(),
    };
    env.emit("risks.html", &ctx)
}

/// One post's page: its risks and controls.
fn post(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        page: ItemView<'a>,
        risk: &'a Risk,
        place: String,
        rows: Vec<RiskRow<'a>>,
        levels: Vec<LevelCount>,
        register_url: String,
    }
    let t = &env.r.strings;
    let p = get::<Risk>(r, id)?;
    let rows: Vec<RiskRow> = p
        .data
        .risks
        .iter()
        .map(|point| row(r, &p, point, t))
        .collect();
    let ctx = ItemCtx {
        layout: item_layout(env, r, &p),
        page: ItemView::of(&p),
        risk: p.data,
        place: p.data.place(),
        levels: level_counts(&rows, t),
        rows,
        register_url: r.section_url(Kind::Risk),
    };
    env.emit("risk.html", &ctx)
}

impl KindPages for Pages {
    type Data = Risk;
    const TITLE: Option<&'static str> = Some("nav.risks");
    const TEMPLATES: &'static [&'static str] = &["risks.html", "risk.html"];

    fn list(env: &Env, r: &Reader, _page: usize) -> Result<Vec<u8>, Diagnostic> {
        register(env, r)
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        post(env, r, id)
    }

    /// The department and post, then each risk with its controls and owner.
    fn facts(_p: &PageView, r: &Risk, _cx: &super::Facts) -> Vec<String> {
        let mut out = vec![r.department.clone()];
        out.extend([&r.post, &r.process].into_iter().flatten().cloned());
        for point in &r.risks {
            out.push(point.risk.clone());
            out.extend(point.controls.iter().cloned());
            out.extend(point.owner.iter().cloned());
        }
        out
    }

    fn on_principle(env: &Env, r: &Reader, n: u8) -> Option<super::Related> {
        let ids = r.citing(Kind::Risk, n);
        let rows = (ids.iter().take(crate::render::items::CITING_SHOWN))
            .filter_map(|id| r.link_to(id))
            .map(super::RelatedRow::link)
            .collect();
        super::Related::of(Kind::Risk, "citing", env.r.strings.get("risk.citing"), rows)
    }
}
