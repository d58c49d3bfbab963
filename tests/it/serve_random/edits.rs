//! The random edits a clerk might save: each picks what it changes, changes the model, and
//! says what it did. An edit that takes an item away (delete, rename, draft, staff-only, a
//! later publish date) mostly fixes the references to it too, as `check` would ask; when it
//! does not, the build fails and the sequence goes back to the last good site.

use std::collections::BTreeMap;

use super::fixture::{PNG, id, point, q, question, s, text};
use super::model::{Doc, Model, NOW, Para, V, folder_of, id_of, is_intro};
use crate::common::Lcg;

type Edit = fn(&mut Model, &mut Lcg) -> Option<String>;

const EDITS: &[Edit] = &[
    retitle,
    reslug,
    redate,
    toggle_draft,
    republish,
    toggle_audience,
    delete,
    rename,
    rename_folder,
    add_item,
    recategorize,
    channel,
    readings,
    reminder,
    department,
    risk_points,
    body_link,
    body_text,
    basis,
    questions,
    cite,
    supersede,
    menu,
    cover,
    attachment,
    intro,
    site_yaml,
    theme,
    field,
    field,
    renumber,
    mistake,
    rectification,
];

/// One random edit of `m`; what it did.
fn one(m: &mut Model, rng: &mut Lcg) -> String {
    loop {
        if let Some(what) = EDITS[rng.next(EDITS.len())](m, rng) {
            return what;
        }
    }
}

/// One save: mostly one edit, sometimes several at once (a checkout, a copied folder).
pub fn save(m: &mut Model, rng: &mut Lcg) -> String {
    let n = match chance(rng, 10) {
        true => 2 + rng.next(3),
        false => 1,
    };
    let all: Vec<String> = (0..n).map(|_| one(m, rng)).collect();
    all.join("; and ")
}

fn pick<T: Clone>(rng: &mut Lcg, xs: &[T]) -> Option<T> {
    (!xs.is_empty()).then(|| xs[rng.next(xs.len())].clone())
}

fn chance(rng: &mut Lcg, percent: usize) -> bool {
    rng.next(100) < percent
}

const WORDS: &[&str] = &[
    "廉洁",
    "红包",
    "回扣",
    "整改",
    "学习",
    "A&B",
    "<提醒>",
    "“引号”",
    "采购",
    "警示",
    "it's",
];

fn title(rng: &mut Lcg) -> String {
    let a = pick(rng, WORDS).unwrap();
    let b = pick(rng, WORDS).unwrap();
    format!("{a}{b}{}", rng.next(100))
}

/// A date in 2022–2027.
fn date(rng: &mut Lcg) -> String {
    let year = 2022 + rng.next(6);
    let (month, day) = (1 + rng.next(12), 1 + rng.next(28));
    format!("{year}-{month:02}-{day:02}")
}

/// Dates on both sides of today, and today.
const NEAR: &[&str] = &[
    "2026-10-01",
    "2026-11-01",
    "2026-11-20",
    "2026-11-22",
    NOW,
    "2026-11-24",
    "2026-11-30",
    "2026-12-25",
    "2027-01-03",
];

/// A random file of `folder` (any folder when `None`), introductions too when `intros`.
fn doc_path(m: &Model, rng: &mut Lcg, folder: Option<&str>, intros: bool) -> Option<String> {
    let paths: Vec<String> = (m.docs.keys())
        .filter(|p| (intros || !is_intro(p)) && folder.is_none_or(|f| folder_of(p) == f))
        .cloned()
        .collect();
    pick(rng, &paths)
}

fn doc<'m>(m: &'m mut Model, path: &str) -> &'m mut Doc {
    m.docs.get_mut(path).unwrap()
}

impl Model {
    /// Points every reference to `old` (an id or an attachment's path) at `new`, or drops it.
    pub fn retarget(&mut self, old: &str, new: Option<&str>) {
        for d in self.docs.values_mut() {
            d.front.retain_mut(|(_, v)| match v {
                V::Id(x) if x == old => new.map(|n| *x = n.into()).is_some(),
                V::Ids(xs) => {
                    map_list(xs, old, new);
                    true
                }
                V::Risks(points) => {
                    (points.iter_mut()).for_each(|p| map_list(&mut p.policies, old, new));
                    true
                }
                _ => true,
            });
            d.body.retain_mut(|p| match p {
                Para::Link(_, t) if t == old => new.map(|n| *t = n.into()).is_some(),
                Para::Question { basis, .. } if basis.as_deref() == Some(old) => {
                    *basis = new.map(Into::into);
                    true
                }
                _ => true,
            });
        }
        if let Some((_, link)) = &mut self.site.footer
            && link.as_deref() == Some(old)
        {
            *link = new.map(str::to_owned);
        }
        if let Some(nav) = &mut self.site.nav {
            let url = format!("@/{old}.md");
            nav.retain_mut(|(_, u)| match *u == url {
                true => new.map(|n| *u = format!("@/{n}.md")).is_some(),
                false => true,
            });
        }
    }

    /// Changes every citation of principle `old` to `new`, or drops it.
    fn renumber(&mut self, old: &str, new: Option<&str>) {
        for d in self.docs.values_mut() {
            for (key, v) in &mut d.front {
                match v {
                    V::L(xs) if *key == "principles" => map_list(xs, old, new),
                    V::Risks(points) => points
                        .iter_mut()
                        .for_each(|p| map_list(&mut p.principles, old, new)),
                    _ => {}
                }
            }
        }
    }

    /// Mostly (as `check` asks) drops the references to a file that stops being published.
    fn unpublished(&mut self, rng: &mut Lcg, path: &str) -> &'static str {
        if !chance(rng, 75) {
            return ", references left";
        }
        self.retarget(id_of(path), None);
        if let Some(n) = self.docs.get(path).and_then(|d| d.scalar("number")) {
            let n = n.to_owned();
            self.renumber(&n, None);
        }
        ", references dropped"
    }
}

/// Maps `old` to `new` in a list, or drops it.
fn map_list(xs: &mut Vec<String>, old: &str, new: Option<&str>) {
    match new {
        Some(n) => xs
            .iter_mut()
            .filter(|x| *x == old)
            .for_each(|x| *x = n.into()),
        None => xs.retain(|x| x != old),
    }
}

fn retitle(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, None, true)?;
    let t = title(rng);
    doc(m, &path).set("title", V::Q(t.clone()));
    Some(format!("retitle {path} to {t}"))
}

fn reslug(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, None, false)?;
    if doc(m, &path).get("slug").is_some() && chance(rng, 40) {
        doc(m, &path).unset("slug");
        return Some(format!("drop the slug of {path}"));
    }
    let slug = match chance(rng, 50) {
        true => m.fresh_name("slug-"),
        false => pick(rng, &["a", "红包", "new-name", "x-1"]).unwrap().into(),
    };
    doc(m, &path).set("slug", s(&slug));
    Some(format!("give {path} the slug {slug}"))
}

fn redate(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, None, false)?;
    let key = match folder_of(&path) {
        "cases" | "news" | "disclosures" | "exemplars" => pick(rng, &["date", "date", "updated"]),
        "policies" => pick(rng, &["issued", "effective", "updated"]),
        _ => pick(rng, &["date", "updated"]),
    }?;
    let dated = ["cases", "news", "disclosures", "exemplars"];
    let required = key == "date" && dated.contains(&folder_of(&path));
    if !required && doc(m, &path).get(key).is_some() && chance(rng, 30) {
        doc(m, &path).unset(key);
        return Some(format!("drop {key} of {path}"));
    }
    let d = date(rng);
    doc(m, &path).set(key, s(&d));
    Some(format!("set {key} of {path} to {d}"))
}

/// Takes a file out of the build with `key` (a draft, staff-only, a later publish date), or
/// puts it back; mostly drops the references to it when it goes.
fn exclude(m: &mut Model, rng: &mut Lcg, key: &'static str, values: &[&str]) -> Option<String> {
    let path = doc_path(m, rng, None, true)?;
    if doc(m, &path).get(key).is_some() && chance(rng, 40) {
        doc(m, &path).unset(key);
        return Some(format!("drop {key} of {path}"));
    }
    let value = pick(rng, values)?;
    doc(m, &path).set(key, s(value));
    let refs = match (key, value) {
        ("draft", "false") | ("audience", "public") => "",
        ("publish", d) if d <= NOW => "",
        _ => m.unpublished(rng, &path),
    };
    Some(format!("set {key} of {path} to {value}{refs}"))
}

fn toggle_draft(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    exclude(m, rng, "draft", &["true", "true", "false"])
}

fn republish(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    exclude(m, rng, "publish", NEAR)
}

fn toggle_audience(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    exclude(m, rng, "audience", &["staff", "staff", "public"])
}

fn delete(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, None, true)?;
    let refs = match chance(rng, 85) {
        true => m.unpublished(rng, &path),
        false => ", references left",
    };
    m.docs.remove(&path);
    Some(format!("delete {path}{refs}"))
}

fn rename(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, None, false)?;
    let folder = folder_of(&path).to_owned();
    let name = m.fresh_name("renamed-");
    let to = match ["cases", "news"].contains(&folder.as_str()) && chance(rng, 50) {
        true => format!("{folder}/{}/{name}.md", 2022 + rng.next(6)),
        false => format!("{folder}/{name}.md"),
    };
    let d = m.docs.remove(&path)?;
    m.docs.insert(to.clone(), d);
    let refs = match chance(rng, 90) {
        true => {
            m.retarget(id_of(&path), Some(id_of(&to)));
            ", references follow"
        }
        false => ", references left",
    };
    Some(format!("rename {path} to {to}{refs}"))
}

fn rename_folder(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let folders: Vec<String> = (m.docs.keys().chain(m.assets.keys()))
        .filter_map(|p| p.rsplit_once('/').map(|(f, _)| f.to_owned()))
        .filter(|f| f.contains('/'))
        .collect();
    let from = pick(rng, &folders)?;
    let to = format!("{}/{}", folder_of(&from), m.fresh_name("folder-"));
    let prefix = format!("{from}/");
    let mut moved = move_under(&mut m.docs, &prefix, &to);
    moved.extend(move_under(&mut m.assets, &prefix, &to));
    for (path, now) in moved {
        m.retarget(id_of(&path), Some(id_of(&now)));
    }
    m.moved.push((from.clone(), to.clone()));
    Some(format!(
        "rename the folder {from} to {to}, references follow"
    ))
}

/// Moves the entries under `prefix` to the folder `to`; each path before and after.
fn move_under<T>(map: &mut BTreeMap<String, T>, prefix: &str, to: &str) -> Vec<(String, String)> {
    let paths: Vec<String> = (map.keys().filter(|p| p.starts_with(prefix)))
        .cloned()
        .collect();
    let mut moved = Vec::new();
    for path in paths {
        let now = format!("{to}/{}", &path[prefix.len()..]);
        let value = map.remove(&path).unwrap();
        map.insert(now.clone(), value);
        moved.push((path, now));
    }
    moved
}

fn add_item(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let folder = pick(rng, &super::model::KINDS)?;
    let (path, d) = super::fixture::new_item(m, rng, folder)?;
    let what = format!("add {path}: {}", d.text(&path).replace('\n', "⏎"));
    m.docs.insert(path, d);
    Some(what)
}

/// The pictures among the attachments.
fn pictures(m: &Model) -> Vec<String> {
    (m.assets.keys().filter(|p| p.ends_with(".png")))
        .cloned()
        .collect()
}

fn recategorize(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, Some("disclosures"), false)?;
    let c = pick(rng, super::model::CATEGORIES)?;
    doc(m, &path).set("category", s(c));
    Some(format!("move {path} to the category {c}"))
}

fn channel(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, Some("channels"), false)?;
    let pictures = pictures(m);
    let d = doc(m, &path);
    let (key, value) = match rng.next(7) {
        6 => match pick(rng, &pictures).filter(|_| chance(rng, 60)) {
            Some(p) => {
                d.set("qr_image", id(&p));
                return Some(format!("{path}: QR picture {p}"));
            }
            None => ("qr_image", String::new()),
        },
        0 => (
            "location",
            pick(rng, &["门诊楼", "住院部", "行政楼", ""])?.to_owned(),
        ),
        1 => (
            "valid_until",
            pick(rng, &[NEAR, &[""]].concat())?.to_owned(),
        ),
        2 => (
            "valid_from",
            pick(rng, &["2020-01-01", NOW, "2026-12-01", ""])?.to_owned(),
        ),
        3 => ("poster", pick(rng, &["true", "false", ""])?.to_owned()),
        4 => (
            "verified",
            pick(rng, &["2024-01-01", "2026-11-01", NOW, ""])?.to_owned(),
        ),
        _ => ("value", format!("0000-8{:07}", rng.next(10_000_000))),
    };
    match value.as_str() {
        "" => d.unset(key),
        v if key == "location" || key == "value" => d.set(key, q(v)),
        v => d.set(key, s(v)),
    }
    Some(format!("set {key} of {path} to {value:?}"))
}

fn readings(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, Some("modules"), false)?;
    let targets = m.targets(None);
    let banks = m.targets(Some("quizzes"));
    let d = doc(m, &path);
    let mut list = match d.get("readings") {
        Some(V::Ids(xs)) => xs.clone(),
        _ => Vec::new(),
    };
    let what = match rng.next(5) {
        0 | 1 => {
            let t = pick(rng, &targets)?;
            list.insert(rng.next(list.len() + 1), t.clone());
            list.dedup();
            format!("add the reading {t}")
        }
        2 if !list.is_empty() => format!("drop the reading {}", list.remove(rng.next(list.len()))),
        2 => return None,
        3 => {
            list.reverse();
            "reverse the readings".into()
        }
        _ => match pick(rng, &banks).filter(|_| chance(rng, 70)) {
            Some(bank) => {
                d.set("quiz", id(&bank));
                return Some(format!("give {path} the quiz {bank}"));
            }
            None => {
                d.unset("quiz");
                return Some(format!("drop the quiz of {path}"));
            }
        },
    };
    d.set("readings", V::Ids(list));
    Some(format!("{path}: {what}"))
}

fn reminder(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, Some("reminders"), false)?;
    let (a, b) = match chance(rng, 70) {
        true => (pick(rng, NEAR)?.to_owned(), pick(rng, NEAR)?.to_owned()),
        false => (date(rng), date(rng)),
    };
    let (from, until) = (a.clone().min(b.clone()), a.max(b));
    let d = doc(m, &path);
    d.set("from", s(&from));
    d.set("until", s(&until));
    Some(format!("{path} runs from {from} until {until}"))
}

fn department(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, Some("risks"), false)?;
    let dept = pick(rng, &["采购中心", "医务部", "设备科", "药学部"])?;
    doc(m, &path).set("department", s(dept));
    Some(format!("move {path} to the department {dept}"))
}

fn risk_points(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, Some("risks"), false)?;
    let numbers = m.numbers();
    let policies = m.targets(Some("policies"));
    let Some(V::Risks(points)) = doc(m, &path).get("risks").cloned() else {
        return None;
    };
    let mut points = points;
    let what = match rng.next(4) {
        0 => {
            let (n, p) = (pick(rng, &numbers), pick(rng, &policies));
            let (n, p): (Vec<&str>, Vec<&str>) = (
                n.as_deref().into_iter().collect(),
                p.as_deref().into_iter().collect(),
            );
            points.push(point(&title(rng), "低", &n, &p));
            format!("add a risk citing {n:?} and {p:?}")
        }
        1 if points.len() > 1 => format!("drop risk {:?}", points.remove(0).risk),
        2 if !points.is_empty() => {
            let n = pick(rng, &numbers)?;
            points[0].principles = vec![n.clone()];
            format!("the first risk cites principle {n}")
        }
        _ if !points.is_empty() => {
            let p = pick(rng, &policies)?;
            let last = points.len() - 1;
            points[last].policies = vec![p.clone()];
            points[last].level = pick(rng, &["高", "中", "低"])?;
            format!("the last risk cites {p}")
        }
        _ => return None,
    };
    doc(m, &path).set("risks", V::Risks(points));
    Some(format!("{path}: {what}"))
}

/// Where a body link may lead: an item, a section, a generated page, an attachment.
fn link_target(m: &Model, rng: &mut Lcg) -> Option<String> {
    match rng.next(4) {
        0 | 1 => pick(rng, &m.targets(None)),
        2 => {
            let intros: Vec<String> = (m.docs.keys().filter(|p| is_intro(p)))
                .map(|p| id_of(p).to_owned())
                .collect();
            pick(rng, &intros)
        }
        _ => match chance(rng, 50) {
            true => pick(rng, &m.assets.keys().cloned().collect::<Vec<_>>()),
            false => pick(
                rng,
                &[
                    "report/",
                    "search/",
                    "cases/",
                    "disclosures/整改公示/",
                    "modules/record/",
                ],
            )
            .map(str::to_owned),
        },
    }
}

fn body_link(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, None, true).filter(|p| folder_of(p) != "quizzes")?;
    let links: Vec<usize> = (doc(m, &path).body.iter().enumerate())
        .filter(|(_, p)| matches!(p, Para::Link(..)))
        .map(|(i, _)| i)
        .collect();
    if !links.is_empty() && chance(rng, 35) {
        let at = links[rng.next(links.len())];
        let gone = doc(m, &path).body.remove(at);
        return Some(format!("{path}: remove the link {gone:?}"));
    }
    let target = link_target(m, rng)?;
    let words = title(rng);
    let body = &mut doc(m, &path).body;
    body.insert(rng.next(body.len() + 1), Para::Link(words, target.clone()));
    Some(format!("{path}: link {target}"))
}

fn body_text(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, None, true).filter(|p| folder_of(p) != "quizzes")?;
    let words = format!("{}，{}。", title(rng), title(rng));
    let body = &mut doc(m, &path).body;
    match body.iter_mut().find(|p| matches!(p, Para::Text(_))) {
        Some(p) => *p = text(&words),
        None => body.push(text(&words)),
    }
    Some(format!("{path}: body text {words}"))
}

fn basis(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, Some("quizzes"), false)?;
    let target = pick(rng, &m.targets(None)).filter(|_| chance(rng, 85));
    let body = &mut doc(m, &path).body;
    let n = rng.next(body.len());
    let Some(Para::Question { basis, .. }) = body.get_mut(n) else {
        return None;
    };
    *basis = target.clone();
    Some(format!("{path}: question {n} 依据 {target:?}"))
}

fn questions(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, Some("quizzes"), false)?;
    let stem = m.fresh_name("新题");
    let target = pick(rng, &m.targets(None));
    let body = &mut doc(m, &path).body;
    let at = rng.next(body.len());
    match rng.next(3) {
        0 => {
            body.insert(rng.next(body.len() + 1), question(&stem, target.as_deref()));
            Some(format!("{path}: add the question {stem} 依据 {target:?}"))
        }
        1 if body.len() > 1 => {
            let gone = body.remove(rng.next(body.len()));
            Some(format!("{path}: remove {gone:?}"))
        }
        _ => match body.get_mut(at) {
            Some(Para::Question { stem: old, .. }) => {
                let what = format!("{path}: restate {old} as {stem}");
                *old = stem;
                Some(what)
            }
            _ => None,
        },
    }
}

fn cite(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let folder = pick(rng, &["cases", "news", "modules", "exemplars"])?;
    let path = doc_path(m, rng, Some(folder), false)?;
    let numbers = m.numbers();
    let cited: Vec<String> = numbers.into_iter().filter(|_| chance(rng, 40)).collect();
    match cited.is_empty() {
        true => doc(m, &path).unset("principles"),
        false => doc(m, &path).set("principles", V::L(cited.clone())),
    }
    Some(format!("{path} cites principles {cited:?}"))
}

fn supersede(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, Some("policies"), false)?;
    let others: Vec<String> = (m.targets(Some("policies")).into_iter())
        .filter(|p| *p != id_of(&path))
        .collect();
    let d = doc(m, &path);
    match rng.next(3) {
        0 => match pick(rng, &others).filter(|_| chance(rng, 70)) {
            Some(next) => {
                d.set("superseded_by", id(&next));
                Some(format!("{path} is superseded by {next}"))
            }
            None => {
                d.unset("superseded_by");
                Some(format!("{path} is superseded by nothing"))
            }
        },
        1 => {
            let status = pick(rng, &["现行有效", "已修订", "已废止", "repealed"])?;
            d.set("status", s(status));
            Some(format!("{path} is {status}"))
        }
        _ => {
            let issued = date(rng);
            d.set("issued", s(&issued));
            Some(format!("{path} was issued {issued}"))
        }
    }
}

fn menu(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, Some("pages"), false)?;
    let d = doc(m, &path);
    if chance(rng, 50) {
        let on = d.scalar("menu") != Some("true");
        d.set("menu", s(if on { "true" } else { "false" }));
        return Some(format!("{path}: menu {on}"));
    }
    let weight = rng.next(7) as i32 - 2;
    d.set("weight", s(&weight.to_string()));
    Some(format!("{path}: weight {weight}"))
}

fn cover(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let (folder, key, alt) = pick(
        rng,
        &[
            ("news", "cover", "cover_alt"),
            ("exemplars", "photo", "photo_alt"),
        ],
    )?;
    let path = doc_path(m, rng, Some(folder), false)?;
    let pictures = pictures(m);
    let d = doc(m, &path);
    match pick(rng, &pictures).filter(|_| chance(rng, 60)) {
        Some(p) => {
            d.set(key, id(&p));
            d.set(alt, q("封面"));
            Some(format!("{path}: {key} {p}"))
        }
        None => {
            d.unset(key);
            d.unset(alt);
            Some(format!("{path}: no {key}"))
        }
    }
}

fn attachment(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let existing: Vec<String> = m.assets.keys().cloned().collect();
    match rng.next(3) {
        0 => {
            let path = doc_path(m, rng, None, false).filter(|p| folder_of(p) != "quizzes")?;
            let folder = path.rsplit_once('/').map_or("", |(f, _)| f).to_owned();
            let ext = pick(rng, &["png", "pdf"])?;
            let asset = format!("{folder}/{}.{ext}", m.fresh_name("附件"));
            m.assets.insert(asset.clone(), PNG.to_vec());
            doc(m, &path)
                .body
                .push(Para::Link("附件".into(), asset.clone()));
            Some(format!("add {asset}, linked from {path}"))
        }
        1 => {
            let asset = pick(rng, &existing)?;
            m.assets.get_mut(&asset)?.push(b'!');
            Some(format!("change the bytes of {asset}"))
        }
        _ => {
            let asset = pick(rng, &existing)?;
            m.assets.remove(&asset);
            let refs = match chance(rng, 85) {
                true => {
                    m.retarget(&asset, None);
                    ", references dropped"
                }
                false => ", references left",
            };
            Some(format!("delete {asset}{refs}"))
        }
    }
}

fn intro(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let section = pick(
        rng,
        &[
            "",
            "principles/",
            "policies/",
            "cases/",
            "channels/",
            "disclosures/",
            "modules/",
            "news/",
            "risks/",
        ],
    )?;
    let path = format!("{section}_index.md");
    match m.docs.contains_key(&path) {
        true if chance(rng, 30) => {
            let refs = m.unpublished(rng, &path);
            m.docs.remove(&path);
            Some(format!("delete {path}{refs}"))
        }
        true => {
            let words = title(rng);
            doc(m, &path).body = vec![text(&words)];
            Some(format!("{path}: intro {words}"))
        }
        false => {
            let words = title(rng);
            let mut d = super::fixture::doc("", vec![text("介绍。")]);
            d.set("title", V::Q(words.clone()));
            m.docs.insert(path.clone(), d);
            Some(format!("add {path} titled {words}"))
        }
    }
}

fn site_yaml(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let words = title(rng).replace(['<', '>', '&', '\'', '“', '”'], "");
    let site = &mut m.site;
    let what = match rng.next(7) {
        5 => return site_options(m, rng),
        6 => {
            let url = pick(
                rng,
                &[
                    "https://example.test/",
                    "https://other.test/",
                    "https://example.test/sub/",
                    "http://example.test/a/b/",
                ],
            )?;
            site.base_url = url.into();
            format!("base_url {url}")
        }
        0 => {
            site.title = words.clone();
            format!("site title {words}")
        }
        1 => {
            site.hospital = format!("{words}医院");
            format!("hospital {words}医院")
        }
        2 => {
            let target = link_target(m, rng).filter(|_| chance(rng, 50));
            let footer = (format!("**{words}**　邮编：000000"), target);
            m.site.footer = Some(footer).filter(|_| chance(rng, 80));
            format!("footer {:?}", m.site.footer)
        }
        3 => {
            site.description = Some(words).filter(|_| chance(rng, 70));
            format!("description {:?}", site.description)
        }
        _ => {
            let all = [
                ("案例", "@/cases/_index.md"),
                ("关于", "@/pages/about.md"),
                ("准则", "@/principles/_index.md"),
                ("举报", "@/report/"),
                ("外站", "https://example.org/"),
            ];
            let nav: Vec<(String, String)> = (all.iter().filter(|_| chance(rng, 50)))
                .map(|(t, u)| (t.to_string(), u.to_string()))
                .collect();
            site.nav = Some(nav).filter(|n| !n.is_empty());
            format!("nav {:?}", site.nav)
        }
    };
    Some(what)
}

/// The other keys of `site.yaml`: the report page's facts, relative links, the language,
/// raw HTML in bodies.
fn site_options(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let (key, values): (&'static str, &[&str]) = match rng.next(4) {
        0 => (
            "report",
            &[
                "\n  acceptance_days: 10\n  feedback_days: 20",
                "\n  gift_handover_hours: 48\n  out_of_scope:\n    - {title: 医疗纠纷, contact: 医务处 0000-0000000}",
            ],
        ),
        1 => ("relative", &[" true", " false"]),
        2 => ("language", &[" en", " zh-CN"]),
        _ => ("markdown", &["\n  raw_html: true"]),
    };
    match pick(rng, values).filter(|_| chance(rng, 75)) {
        Some(v) => {
            m.site.more.insert(key, v.into());
            Some(format!("site.yaml {key}:{v}"))
        }
        None => {
            m.site.more.remove(key);
            Some(format!("site.yaml without {key}"))
        }
    }
}

/// A theme file the site overrides (a template, a string, a style sheet), or an override
/// removed.
fn theme(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (path, from, to) = pick(
        rng,
        &[
            (
                "themes/default/templates/404.html",
                "<h1>",
                "<h1>（改过的模板）",
            ),
            (
                "themes/default/i18n/zh-CN.yaml",
                "report_entry: 我要举报",
                "report_entry: 我要反映问题",
            ),
            (
                "themes/default/static/qinglian.css",
                "body",
                "/* 改过 */ body",
            ),
        ],
    )?;
    if m.theme.contains_key(path) && chance(rng, 50) {
        m.theme.remove(path);
        return Some(format!("remove the override {path}"));
    }
    let text = std::fs::read_to_string(manifest.join(path)).unwrap();
    assert!(text.contains(from), "{path} has {from}");
    let serial = m.fresh_name("");
    let changed = text.replacen(from, &format!("{to}{serial}"), 1);
    m.theme.insert(path.to_owned(), changed.into_bytes());
    Some(format!("override {path}"))
}

/// One of the other fields of an item: a kind's own scalars, or the shared summary and tags.
fn field(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, None, false)?;
    let folder = folder_of(&path);
    let fields: Vec<&(&str, &str, &[&str])> = (FIELDS.iter())
        .filter(|(f, _, _)| f.is_empty() || *f == folder)
        .collect();
    let &(_, key, values) = pick(rng, &fields)?;
    let value = pick(rng, values)?;
    match value {
        "" => doc(m, &path).unset(key),
        v => doc(m, &path).set(key, s(v)),
    }
    Some(format!("set {key} of {path} to {value:?}"))
}

/// Fields [`field`] sets: folder (empty for any), key, values (empty to remove the key).
const FIELDS: &[(&str, &str, &[&str])] = &[
    ("", "summary", &["摘要。", "新的摘要：红包", ""]),
    ("", "tags", &["[红包]", "[回扣, 红包]", "[]", ""]),
    ("", "description", &["页面说明", ""]),
    ("cases", "origin", &["本院", "上级通报", ""]),
    ("cases", "amount", &["5000", "20000", ""]),
    ("cases", "subject", &["王某", "李某", ""]),
    ("cases", "unit", &["门诊部", "药剂科", ""]),
    ("cases", "lessons", &["守住底线。", ""]),
    ("channels", "kind", &["phone", "box", "visit"]),
    ("channels", "anonymous", &["true", "false", ""]),
    ("channels", "hours", &["工作日", "全天", ""]),
    ("channels", "scope", &["红包回扣", ""]),
    ("disclosures", "status", &["已公开", ""]),
    ("disclosures", "doc_no", &["测〔2026〕9号", ""]),
    (
        "disclosures",
        "valid_until",
        &["2026-11-22", "2026-11-24", "2030-01-01", ""],
    ),
    ("modules", "order", &["1", "2", "5", ""]),
    ("modules", "minutes", &["10", "45", ""]),
    ("modules", "pass", &["60", "90", ""]),
    (
        "modules",
        "roles",
        &["[全体医务人员]", "[采购人员, 医生]", ""],
    ),
    ("quizzes", "pass", &["60", "100", ""]),
    ("quizzes", "draw", &["1", "2", ""]),
    ("quizzes", "shuffle", &["true", "false", ""]),
    ("quizzes", "time_limit", &["10", ""]),
    ("policies", "issuer", &["院办", ""]),
    ("policies", "doc_no", &["测〔2020〕7号", ""]),
    ("pledges", "recipient", &["纪检监察室", ""]),
    ("pledges", "roles", &["[医生]", "[采购人员, 医生]"]),
    ("risks", "post", &["采购员", ""]),
    ("risks", "process", &["招标", ""]),
    ("pages", "weight", &["-1", "3", ""]),
    ("exemplars", "department", &["心内科", "采购中心"]),
    ("exemplars", "honour", &["院级廉洁标兵", ""]),
    ("exemplars", "team", &["true", "false", ""]),
    ("exemplars", "deed", &["上交红包", "报告回扣"]),
];

fn renumber(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let a = doc_path(m, rng, Some("principles"), false)?;
    let n = |m: &Model, p: &str| m.docs[p].scalar("number").map(str::to_owned);
    let old = n(m, &a)?;
    if chance(rng, 50) {
        let b = doc_path(m, rng, Some("principles"), false).filter(|b| *b != a)?;
        let other = n(m, &b)?;
        doc(m, &a).set("number", s(&other));
        doc(m, &b).set("number", s(&old));
        return Some(format!("swap the numbers of {a} and {b}"));
    }
    let used: Vec<String> = (m.docs.values().filter_map(|d| d.scalar("number")))
        .map(str::to_owned)
        .collect();
    let free: Vec<String> = ((1..=9).map(|i| i.to_string()))
        .filter(|i| !used.contains(i))
        .collect();
    let new = pick(rng, &free)?;
    doc(m, &a).set("number", s(&new));
    m.renumber(&old, Some(&new));
    Some(format!(
        "renumber {a} from {old} to {new}, citations follow"
    ))
}

fn mistake(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, None, true)?;
    m.broken = Some(path.clone());
    Some(format!("save {path} with a mistake (title：)"))
}

fn rectification(m: &mut Model, rng: &mut Lcg) -> Option<String> {
    let path = doc_path(m, rng, Some("disclosures"), false)?;
    let mut items = String::new();
    for i in 0..=rng.next(3) {
        let status = pick(rng, &["已完成", "整改中", "open", "done"])?;
        items += &format!("  - {{problem: 问题{i}, status: {status}}}\n");
    }
    doc(m, &path).set("items", V::Raw(items.clone()));
    Some(format!(
        "{path}: rectification items {}",
        items.replace('\n', " ")
    ))
}
