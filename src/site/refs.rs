//! References: ids in front matter and `@/` links, resolved against the published items,
//! with located errors that name the nearest ids when a target does not exist.

use crate::messages::Msg;
use crate::msg;

use super::index::basis_id;
use super::{Exclusion, Link, Linked};
use crate::config::LoadedConfig;
use crate::diag::{Diagnostic, Severity};
use crate::kinds::{Item, Kind, References, principle};
use crate::types::HashMap;

/// Why a reference does not lead to a published page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// No such file; the nearest ids, best first.
    Missing(Vec<String>),
    /// The file exists but could not be read (reported already): say nothing more.
    Failed,
    /// The target exists but this build leaves it out.
    Excluded(Exclusion),
    /// A section link whose section has nothing published in this build.
    EmptySection,
}

/// What an `@/` link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Item(String),
    Section(String),
    Asset(String),
    /// A commission's item a unit does not publish, on the commission's site.
    Elsewhere,
}

impl Linked {
    /// Resolves an item id to a published item.
    pub fn resolve_id(&self, id: &str, from: &str) -> Result<&Item, Unresolved> {
        if self.entries.contains_key(id) {
            return Ok(&self.items[id]);
        }
        if let Some(why) = self.excluded.get(id) {
            return Err(Unresolved::Excluded(*why));
        }
        if self.failed.contains(id) {
            return Err(Unresolved::Failed);
        }
        let _ = from;
        Err(Unresolved::Missing(Vec::new()))
    }

    /// Fills in the nearest ids of a missing target (costs a scan of every id and file).
    pub fn suggest(&self, u: Unresolved, target: &str, from: &str) -> Unresolved {
        match u {
            Unresolved::Missing(_) => {
                let generated = self.generated_pages();
                let near = match target.strip_suffix(".md") {
                    _ if target.ends_with('/') => {
                        let pages = generated.iter().map(String::as_str);
                        nearest_ids(target, from, pages)
                    }
                    Some(id) => nearest_ids(id, from, self.items.keys().map(String::as_str)),
                    None if target.contains('.') => {
                        nearest_ids(target, from, self.assets.keys().map(String::as_str))
                    }
                    None => nearest_ids(target, from, self.items.keys().map(String::as_str)),
                };
                Unresolved::Missing(near)
            }
            other => other,
        }
    }

    /// Resolves an `@/` link target (without `@/` and `#fragment`) to its URL and target.
    pub fn resolve_link(&self, target: &str, from: &str) -> Result<(String, Target), Unresolved> {
        if let Some(page) = target.strip_suffix('/') {
            return self.generated_link(page);
        }
        if let Some(id) = target.strip_suffix(".md") {
            if let Some(section) = section_key(id) {
                return self.section_link(section);
            }
            let item = match self.resolve_id(id, from) {
                Err(Unresolved::Missing(_)) if self.upper.contains_key(id) => {
                    return Ok((self.upper[id].clone(), Target::Elsewhere));
                }
                other => other?,
            };
            return Ok((
                self.entries[&item.id].url.clone(),
                Target::Item(item.id.clone()),
            ));
        }
        if self.assets.contains_key(target) {
            return Ok((
                format!("{}{target}", self.base_path),
                Target::Asset(target.to_owned()),
            ));
        }
        Err(Unresolved::Missing(Vec::new()))
    }

    /// A page the site generates, by its address under the base (`report`, `search`,
    /// `modules/record`, `report/poster`, `disclosures/整改公示`, or a section's folder).
    fn generated_link(&self, page: &str) -> Result<(String, Target), Unresolved> {
        use super::urls;
        let section = |kind: Kind| match self.has_section(kind) {
            true => Ok(self.section_url(kind)),
            false => Err(Unresolved::EmptySection),
        };
        let url = match page.split('/').collect::<Vec<_>>()[..] {
            ["report"] => section(Kind::Channel),
            ["search"] => Ok(urls::search_url(self)),
            ["report", "poster"] => {
                let today = self.options.today;
                let channels = self.published::<crate::kinds::channel::Channel>();
                match channels.into_iter().any(|(_, c)| c.on_poster(today)) {
                    true => Ok(format!("{}poster/", self.section_url(Kind::Channel))),
                    false => Err(Unresolved::EmptySection),
                }
            }
            ["modules", "record"] => section(Kind::Module).map(|_| urls::record_url(self)),
            ["disclosures", category] => match self.index.by_category.contains_key(category) {
                true => urls::category_url(self, category, 1).ok_or(Unresolved::EmptySection),
                false => Err(Unresolved::Missing(Vec::new())),
            },
            [folder] => match Kind::from_folder(folder).filter(|k| k.listed()) {
                Some(kind) => section(kind),
                None => Err(Unresolved::Missing(Vec::new())),
            },
            _ => Err(Unresolved::Missing(Vec::new())),
        }?;
        Ok((url, Target::Section(page.to_owned())))
    }

    /// Every generated page an `@/…/` link can name in this build.
    fn generated_pages(&self) -> Vec<String> {
        let mut pages: Vec<String> = ["report/", "search/"].map(String::from).into();
        if self.has_section(Kind::Module) {
            pages.push("modules/record/".into());
        }
        let sections = Kind::ALL
            .iter()
            .filter(|k| k.listed() && self.has_section(**k));
        pages.extend(sections.map(|k| format!("{}/", k.folder())));
        let categories = self.index.by_category.keys();
        pages.extend(categories.map(|c| format!("disclosures/{c}/")));
        pages
    }

    fn section_link(&self, section: &str) -> Result<(String, Target), Unresolved> {
        if section.is_empty() {
            return Ok((self.base_path.clone(), Target::Section(String::new())));
        }
        let Some(kind) = Kind::from_folder(section) else {
            return Err(Unresolved::Missing(Vec::new()));
        };
        if !kind.listed() || !self.has_section(kind) {
            return Err(Unresolved::EmptySection);
        }
        Ok((self.section_url(kind), Target::Section(section.to_owned())))
    }
}

/// `cases/_index` → `cases`; `_index` → `` (the home page).
fn section_key(id: &str) -> Option<&str> {
    if id == "_index" {
        return Some("");
    }
    id.strip_suffix("/_index").filter(|s| !s.contains('/'))
}

impl Unresolved {
    /// The message for a reference to `what` (an id or a path) that does not resolve.
    pub fn message(&self, what: &str) -> Msg {
        match self {
            Unresolved::Missing(_) if what.ends_with('/') => msg!("ref.no_page", what = what),
            Unresolved::Missing(_) if what.ends_with(".md") || !what.contains('.') => {
                msg!("ref.missing", what = what, file = with_md(what))
            }
            Unresolved::Missing(_) => msg!("ref.missing", what = what, file = what),
            Unresolved::Failed => msg!("ref.failed", what = what),
            Unresolved::Excluded(why) => {
                msg!("ref.excluded", what = what).sub("why", why.explain())
            }
            Unresolved::EmptySection => msg!("ref.empty_section", what = what),
        }
    }

    /// `message` (a link's message, naming it as written) with why `target`, the path under
    /// `content/` it leads to, does not resolve.
    pub fn link_message(&self, message: Msg, target: &str) -> Msg {
        match self {
            Unresolved::Missing(_) if !target.ends_with('/') => {
                let file = match target.contains('.') && !target.ends_with(".md") {
                    true => target.to_owned(),
                    false => with_md(target),
                };
                message.sub("why", msg!("ref.no_file", file = file))
            }
            _ => message.sub("why", self.message(target)),
        }
    }

    /// A hint: the nearest ids, or how references are written.
    pub fn hint(&self, what: &str) -> Option<Msg> {
        match self {
            Unresolved::Missing(near) if !near.is_empty() => {
                let list: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
                Some(msg!("ref.hint.nearest", ids = list.join(" / ")))
            }
            Unresolved::Missing(_) if what.ends_with('/') => Some(msg!("ref.hint.pages")),
            Unresolved::Missing(_) if what.starts_with("@/") || what.starts_with("content/") => {
                Some(msg!("ref.hint.by_id"))
            }
            Unresolved::Missing(_) => Some(msg!("ref.hint.check_name")),
            Unresolved::Excluded(Exclusion::Staff) => Some(msg!("ref.hint.staff")),
            Unresolved::Excluded(_) => Some(msg!("ref.hint.publish")),
            _ => None,
        }
    }
}

impl Unresolved {
    /// The nearest targets written as the link they stand for was (`@/cases/x.md`, `@/news/a.png`,
    /// or relative to the linking file's `folder` when the link was relative), so that a
    /// suggestion pasted in place of the link works.
    pub fn written_like(self, written: &str, folder: &str) -> Unresolved {
        let Unresolved::Missing(near) = self else {
            return self;
        };
        let md = written.split('#').next().unwrap_or("").ends_with(".md");
        let as_path = |n: String| match md && !n.ends_with(".md") {
            true => format!("{n}.md"),
            false => n,
        };
        let relative = !written.starts_with("@/");
        let near = (near.into_iter().map(as_path))
            .map(|n| {
                let inside = match folder {
                    "" => Some(n.as_str()),
                    f => n.strip_prefix(f).and_then(|r| r.strip_prefix('/')),
                };
                match inside.filter(|_| relative) {
                    Some(rel) => rel.to_owned(),
                    None => format!("@/{n}"),
                }
            })
            .collect();
        Unresolved::Missing(near)
    }
}

/// The folder of an item's file under `content/` (`news/2026` for `news/2026/x`, `` for a
/// file at the top).
pub fn folder_of(id: &str) -> &str {
    id.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// `path` taken from `folder` (both under `content/`), with `.` and `..` worked out (a
/// trailing `/` kept: a generated page); `None` when it climbs out of `content/`.
pub fn join_relative(folder: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let slash = if path.ends_with('/') { "/" } else { "" };
    (!parts.is_empty()).then(|| parts.join("/") + slash)
}

fn with_md(id: &str) -> String {
    if id.ends_with(".md") {
        id.to_owned()
    } else {
        format!("{id}.md")
    }
}

/// The ids nearest to `id` (at most three, best first), never `from` itself; an id written
/// without its folder (`gift-2025`) finds `policies/gift-2025`.
pub fn nearest_ids<'a>(id: &str, from: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let id = id.trim_end_matches(".md");
    let last = |s: &str| s.rsplit('/').next().unwrap_or(s).to_owned();
    let wanted_last = last(id);
    let mut scored: Vec<(usize, &str)> = ids
        .filter(|c| *c != from)
        .filter_map(|c| {
            let whole = strsim::levenshtein(id, c);
            let tail = strsim::levenshtein(&wanted_last, &last(c));
            let score = if id.contains('/') { whole } else { tail };
            (score <= 3.max(id.chars().count() / 4)).then_some((score, c))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_owned())
        .collect()
}

/// Suggestions cost a scan of every id: give them for this many unresolved references per
/// file, then stop (the rest are reported without suggestions).
pub const SUGGESTIONS_PER_FILE: usize = 20;

/// Checks every reference written in front matter (and the banks' `依据` lines).
pub fn check(site: &Linked) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let mut diags = check_principle_numbers(site);
    let complete = !site.failed.iter().any(|id| id.starts_with("principles/"));
    let items: Vec<&Item> = site.items.values().map(|i| &**i).collect();
    let found: Vec<Vec<Diagnostic>> = (items.par_iter())
        .with_max_len(crate::types::ITEMS_PER_TASK)
        .map(|item| {
            let mut diags = Vec::new();
            let mut r = Referrer {
                site,
                item,
                strict: site.entries.contains_key(&item.id),
                diags: &mut diags,
                suggested: 0,
                complete,
            };
            r.check_item();
            diags
        })
        .collect();
    diags.extend(found.into_iter().flatten());
    diags
}

/// One referring item while its references are checked.
struct Referrer<'a> {
    site: &'a Linked,
    item: &'a Item,
    /// Whether the referrer is published (only then do unpublished targets matter).
    strict: bool,
    diags: &'a mut Vec<Diagnostic>,
    suggested: usize,
    /// Whether every principle file could be read (else a missing number may be in one).
    complete: bool,
}

impl<'a> Referrer<'a> {
    fn check_item(&mut self) {
        let item = self.item;
        item.data.references(self);
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn resolve(&mut self, id: &str) -> Result<&'a Item, Unresolved> {
        let site = self.site;
        site.resolve_id(id, &self.item.id).map_err(|u| {
            self.suggested += 1;
            if self.suggested <= SUGGESTIONS_PER_FILE {
                site.suggest(u, &format!("{id}.md"), &self.item.id)
            } else {
                u
            }
        })
    }

    fn number_problem(&self, n: u8) -> Option<Msg> {
        if self.site.index.principle_ids.contains_key(&n) {
            return None;
        }
        let defined = self.site.items.values().any(|i| {
            i.get::<principle::Principle>()
                .is_some_and(|p| p.number == n)
        });
        match (defined, self.complete) {
            (false, false) => None,
            (false, true) => Some(msg!("ref.principle_missing", n = n)),
            (true, _) if self.strict => Some(msg!("ref.principle_unpublished", n = n)),
            (true, _) => None,
        }
    }
}

impl References for Referrer<'_> {
    /// An id in front matter names a published item (of `kind`, when given), not the item
    /// itself when it names its successor.
    fn id(&mut self, key: &'static str, id: &str, kind: Option<Kind>) {
        if id == self.item.id && kind == Some(Kind::Policy) {
            self.push(at_value(self.item, key, id, msg!("ref.replaces_itself")));
            return;
        }
        match self.resolve(id) {
            Ok(t) if kind.is_none_or(|k| k == t.kind) => {}
            Ok(t) => {
                let want = kind.map_or("", Kind::folder);
                let m = msg!(
                    "ref.wrong_kind",
                    id = id,
                    folder = t.kind.folder(),
                    want = want
                );
                self.push(at_value(self.item, key, id, m));
            }
            Err(Unresolved::Failed) => {}
            Err(Unresolved::Excluded(_)) if !self.strict => {}
            Err(u) => {
                let d = at_value(self.item, key, id, u.message(id));
                self.push(with_hint(d, u.hint(id)));
            }
        }
    }

    /// Principle numbers: 1–9, each once, defined, and published when the item is.
    fn principles(&mut self, key: &'static str, cited: &[u8]) {
        let mut seen = Vec::new();
        for &n in cited {
            let problem = if !principle::valid_number(n) {
                Some(msg!("ref.principle_range", n = n))
            } else if seen.contains(&n) {
                Some(msg!("ref.principle_twice", n = n))
            } else {
                self.number_problem(n)
            };
            seen.push(n);
            if let Some(p) = problem {
                let d = at_nth_value(
                    self.item,
                    key,
                    &n.to_string(),
                    seen.iter().filter(|&&x| x == n).count(),
                    p,
                );
                self.push(d.with_hint(msg!("ref.principle.hint")));
            }
        }
    }

    /// A picture or file under `content/` (a channel's `qr_image`, a news `cover`).
    fn attachment(&mut self, key: &'static str, written: &str, hint: Msg) {
        let rel = written
            .trim()
            .trim_start_matches("@/")
            .trim_start_matches('/');
        if self.site.assets.contains_key(rel) {
            return;
        }
        let near = nearest_ids(rel, "", self.site.assets.keys().map(String::as_str));
        let m = msg!("ref.missing", what = written, file = rel);
        let d = at_value(self.item, key, written, m);
        let nearest = Unresolved::Missing(near).hint(rel);
        self.push(d.with_hint(nearest.unwrap_or(hint)));
    }

    /// A question's `依据` names a published item.
    fn basis(&mut self, line: usize, basis: &str) {
        let file = &self.item.file;
        let col = file
            .line_text(line)
            .and_then(|l| l.find(basis).map(|i| l[..i].chars().count() + 1))
            .unwrap_or(1);
        let problem = match basis_id(basis) {
            None => Some((msg!("ref.basis_not_link", basis = basis), None)),
            Some(id) => match self.resolve(id) {
                Ok(_) | Err(Unresolved::Failed) => None,
                Err(Unresolved::Excluded(_)) if !self.strict => None,
                Err(u) => Some((msg!("ref.basis").sub("problem", u.message(id)), u.hint(id))),
            },
        };
        if let Some((msg, hint)) = problem {
            let d = file
                .diag(Severity::Error, line, col, msg)
                .with_len(basis.chars().count());
            let hint = hint.unwrap_or_else(|| msg!("ref.basis.hint"));
            self.push(d.with_hint(hint));
        }
    }
}

fn with_hint(d: Diagnostic, hint: Option<Msg>) -> Diagnostic {
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

fn check_principle_numbers(site: &Linked) -> Vec<Diagnostic> {
    let mut seen: HashMap<u8, &str> = HashMap::default();
    let mut diags = Vec::new();
    for item in site.items.values() {
        let Some(p) = item.get::<principle::Principle>() else {
            continue;
        };
        if let Some(first) = seen.insert(p.number, &item.file.shown) {
            diags.push(
                item.key_error(
                    "number",
                    msg!("ref.principle_defined_twice", n = p.number, first = first),
                )
                .with_hint(msg!("ref.principle_defined_twice.hint")),
            );
            seen.insert(p.number, first);
        }
    }
    diags
}

/// An error at `value` on or after the line of `key` (at the key when the value is not found).
pub fn at_value(item: &Item, key: &str, value: &str, problem: impl Into<Msg>) -> Diagnostic {
    at_nth_value(item, key, value, 1, problem)
}

/// Like [`at_value`], at the `nth` (1-based) occurrence of `value` after the key.
fn at_nth_value(
    item: &Item,
    key: &str,
    value: &str,
    nth: usize,
    problem: impl Into<Msg>,
) -> Diagnostic {
    let text = item.file.front_matter();
    let key_line = crate::yaml::find_key(text, key).map_or(1, |p| p.0);
    let mut found = text
        .lines()
        .enumerate()
        .skip(key_line - 1)
        .flat_map(|(i, l)| {
            let after_key = if i + 1 == key_line {
                l.find(':').map_or(0, |c| c + 1)
            } else {
                0
            };
            l[after_key..]
                .match_indices(value)
                .filter(move |(b, _)| is_whole(&l[after_key..], *b, value.len()))
                .map(move |(b, _)| (i + 1, l[..after_key + b].chars().count() + 1))
        });
    let message = msg!("front.value", key = key).sub("problem", problem);
    match found.nth(nth - 1) {
        Some((line, col)) => item
            .file
            .front_diag(line, col, message)
            .with_len(value.chars().count()),
        None => item.key_error(key, message),
    }
}

/// Whether `value` at byte `at` of `line` stands alone (not inside a longer number or id).
fn is_whole(line: &str, at: usize, len: usize) -> bool {
    let before = line[..at].chars().next_back();
    let after = line[at + len..].chars().next();
    let joins = |c: Option<char>| {
        c.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '-' || c == '_')
    };
    !joins(before) && !joins(after)
}

/// The menu from `site.yaml`: `@/` links resolved, site paths prefixed with the base path.
/// An entry whose target is not published in this build is left out with a warning.
/// The free pages asking for a place in the default menu beyond the first
/// [`MAX_MENU_PAGES`](crate::kinds::page::MAX_MENU_PAGES) (by `weight`, then id): a warning
/// at each one's `menu`, which is left out of the menu.
pub fn crowded_menu(site: &Linked) -> Vec<Diagnostic> {
    use crate::kinds::page::{MAX_MENU_PAGES, Page};
    let mut asking: Vec<(&Item, &Page)> =
        site.published::<Page>().filter(|(_, p)| p.menu).collect();
    if asking.len() <= MAX_MENU_PAGES {
        return Vec::new();
    }
    asking.sort_by(|a, b| a.1.weight.cmp(&b.1.weight).then(a.0.id.cmp(&b.0.id)));
    (asking.iter().skip(MAX_MENU_PAGES))
        .map(|(item, _)| {
            let d = item
                .file
                .key_warning("menu", msg!("nav.crowded", max = MAX_MENU_PAGES));
            d.with_hint(msg!("nav.crowded.hint"))
        })
        .collect()
}

pub fn nav(site: &Linked, config: &LoadedConfig) -> (Option<Vec<Link>>, Vec<Diagnostic>) {
    let Some(entries) = &site.config.nav else {
        return (None, Vec::new());
    };
    let mut diags = Vec::new();
    let mut links = Vec::new();
    for e in entries {
        let url = match e.url.strip_prefix("@/") {
            Some(target) => match site.resolve_link(target, "") {
                Ok((url, _)) => url,
                Err(u @ (Unresolved::Excluded(_) | Unresolved::EmptySection)) => {
                    let d = config.key_error(
                        "nav",
                        msg!("nav.left_out", url = &e.url).sub("why", u.message(target)),
                    );
                    diags.push(Diagnostic {
                        severity: Severity::Warning,
                        ..d
                    });
                    continue;
                }
                Err(u) => {
                    let u = site.suggest(u, target, "");
                    let d = config.key_error(
                        "nav",
                        msg!("nav.broken", url = &e.url).sub("why", u.message(target)),
                    );
                    diags.push(with_hint(d, u.hint(target)));
                    continue;
                }
            },
            None if e.url.starts_with('/') => {
                format!("{}{}", site.base_path, e.url.trim_start_matches('/'))
            }
            None => e.url.clone(),
        };
        links.push(Link {
            title: e.title.clone(),
            url,
        });
    }
    (Some(links), diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testutil::{SITE, linked};
    use crate::types::Audience;

    #[test]
    fn nearest_ids_skip_the_referrer_and_find_a_missing_folder() {
        let ids = ["policies/gift-2025", "policies/gift-2024", "cases/a"];
        assert_eq!(
            nearest_ids("gift-2025", "x", ids.into_iter())[0],
            "policies/gift-2025"
        );
        assert!(
            nearest_ids("policies/gift-2025", "policies/gift-2025", ids.into_iter())
                .iter()
                .all(|n| n != "policies/gift-2025")
        );
    }

    #[test]
    fn duplicate_principles_and_unknown_readings_are_located() {
        let (_, d) = linked(
            SITE,
            &[
                ("principles/08.md", "---\ntitle: 八\nnumber: 8\n---\n"),
                (
                    "cases/a.md",
                    "---\ntitle: 案\ndate: 2024-01-01\nprinciples: [8, 8]\n---\n",
                ),
                (
                    "modules/m.md",
                    "---\ntitle: 模\nreadings: [gift-2025]\n---\n",
                ),
                ("policies/gift-2025.md", "---\ntitle: 制度\n---\n"),
            ],
            Audience::Public,
        );
        let twice = d
            .iter()
            .find(|d| d.message.contains("listed twice"))
            .expect("twice");
        assert_eq!((twice.line, twice.column), (4, 17), "{twice:?}");
        let missing = d
            .iter()
            .find(|d| d.message.contains("gift-2025"))
            .expect("missing");
        assert!(missing.message.contains("does not exist"), "{missing:?}");
        assert_eq!(
            missing.hint.as_deref(),
            Some("did you mean `policies/gift-2025`?")
        );
    }

    #[test]
    fn a_failed_target_is_not_reported_again() {
        let (_, d) = linked(
            SITE,
            &[
                ("policies/a.md", "---\ntitle: a\nstatus: 作废\n---\n"),
                (
                    "policies/b.md",
                    "---\ntitle: b\nstatus: 已废止\nsuperseded_by: policies/a\n---\n",
                ),
            ],
            Audience::Public,
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].path.as_str(), d[0].line),
            ("content/policies/a.md", 3),
            "only a's own status is reported, not b's reference to it: {d:?}"
        );
    }
}
