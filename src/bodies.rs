//! Bodies stage: each published item's Markdown rendered to HTML (pure and parallel), with
//! the items and attachments its `@/` links lead to. From those links come every item's
//! backlinks and the attachments this build publishes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::kinds::quiz::{Answer, QuestionType, QuizBank};
use crate::kinds::{Item, principle};
use crate::markdown::{self, Resolve};
use crate::site::{Exclusion, Link, Linked};
use crate::site::{Target, Unresolved};
use crate::source::SourceFile;
use crate::types::{Audience, HashMap, Id, IndexMap};

/// An item's rendered body and what its links lead to.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub html: String,
    /// Published items the body links to (for backlinks), in order, once each.
    pub links: Vec<Id>,
    /// Attachments the body links to or shows.
    pub assets: Vec<String>,
    /// A bank's questions with explanations rendered and `依据` resolved.
    pub questions: Vec<LinkedQuestion>,
    /// Broken or downgraded links, located in the item's file.
    pub diags: Vec<Diagnostic>,
    /// Every `@/` target with what it resolved to: the body is reused only while all of
    /// them resolve the same way.
    deps: Vec<(String, Result<String, Unresolved>)>,
    /// The item the body was rendered from (let go of by a one-off build: see
    /// [`Bodies::forget_sources`]).
    source: Option<Arc<Item>>,
}

/// A question ready for its page: explanation rendered, `依据` resolved to a link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkedQuestion {
    pub id: String,
    pub kind: QuestionType,
    pub stem: String,
    pub options: Vec<String>,
    pub answer: Answer,
    pub explanation_html: String,
    pub basis: Option<Link>,
    /// The principle the question cites through `依据`, if any.
    pub principle: Option<u8>,
}

/// Every published body of a site, and what follows from their links.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    pub by_id: HashMap<Id, Arc<Body>>,
    /// The footer from `site.yaml`.
    pub footer_html: String,
    /// Attachments the footer links to.
    footer_assets: Vec<String>,
    /// Attachments linked from something this build publishes.
    pub published_assets: BTreeSet<String>,
    /// Item id → the published items whose bodies link to it.
    pub backlinks: Arc<HashMap<Id, Vec<Id>>>,
    /// The addresses of the site the links were resolved against: while a later site has the
    /// very same (kept by [`crate::site::link_reusing`]), every link still resolves the same.
    linked: Arc<HashMap<Id, crate::site::Entry>>,
    /// The items and introductions the bodies were rendered from (`serve` tells by them which
    /// items were read again; a one-off build lets go of them, see [`Bodies::forget_sources`]).
    items: Arc<IndexMap<Id, Arc<Item>>>,
    intros: BTreeMap<String, Arc<Item>>,
    /// The ids of the bodies with diagnostics, in order.
    said: Vec<Id>,
}

impl Bodies {
    pub fn html(&self, id: &str) -> &str {
        self.by_id.get(id).map_or("", |b| b.html.as_str())
    }

    pub fn get(&self, id: &str) -> Option<&Body> {
        self.by_id.get(id).map(Arc::as_ref)
    }

    /// Lets go of the items the bodies were rendered from, which only `serve` needs (to tell
    /// whether a body still holds): then a one-off build holds each item once.
    pub fn forget_sources(&mut self) {
        for body in self.by_id.values_mut().filter_map(Arc::get_mut) {
            body.source = None;
        }
        (self.items, self.intros) = Default::default();
    }
}

/// Renders every published body (items and section introductions), reusing a body from
/// `cache` while its item and the targets of its links are unchanged. A run that renders
/// only `once` (a build) keeps nothing a next run would check a body by.
pub fn render(site: &Linked, cache: &Bodies, once: bool) -> (Bodies, Vec<Diagnostic>) {
    let links_kept = Arc::ptr_eq(&cache.linked, &site.entries);
    let made = match renewed(site, cache, links_kept) {
        Some(renewed) => patched(site, cache, &renewed),
        None => gathered(site, cache, links_kept, once),
    };
    // Under the same link, bodies rendered again that lead where they led before leave the
    // backlinks and the published attachments as they were.
    let same_links = links_kept
        && made.by_id.len() == cache.by_id.len()
        && made.fresh.iter().all(|(id, body)| {
            (cache.by_id.get(id)).is_some_and(|b| b.links == body.links && b.assets == body.assets)
        });
    let (footer_html, footer_assets, mut diags) = footer(site);
    let same_links = same_links && footer_assets == cache.footer_assets;
    let said = made.said.iter().filter_map(|id| made.by_id.get(id));
    diags.extend(said.flat_map(|body| body.diags.iter().cloned()));
    let mut bodies = Bodies {
        by_id: made.by_id,
        footer_html,
        footer_assets,
        linked: Arc::clone(&site.entries),
        items: if once {
            Default::default()
        } else {
            Arc::clone(&site.items)
        },
        intros: if once {
            Default::default()
        } else {
            site.intros.clone()
        },
        said: made.said,
        ..Bodies::default()
    };
    if same_links {
        bodies.published_assets = cache.published_assets.clone();
        bodies.backlinks = Arc::clone(&cache.backlinks);
    } else {
        bodies.published_assets = published_assets(site, &bodies);
        bodies.backlinks = Arc::new(backlinks(site, &bodies));
    }
    (bodies, diags)
}

/// The bodies of a site as [`render`] makes them, before what follows from their links.
struct Made {
    by_id: HashMap<Id, Arc<Body>>,
    /// The bodies rendered now, when they are to be compared with the last ones (under the
    /// same link).
    fresh: Vec<(Id, Arc<Body>)>,
    /// The ids of the bodies with diagnostics, in order.
    said: Vec<Id>,
}

/// Under the same link, the published items and introductions that are not the very ones
/// `cache` was rendered from (a save read them again); `None` when the items are not the
/// same ones in the same order, or the link is another.
fn renewed<'s>(site: &'s Linked, cache: &Bodies, links_kept: bool) -> Option<Vec<Page<'s>>> {
    if !links_kept {
        return None;
    }
    let renewed = site.renewed_since(&cache.items, &cache.intros)?;
    let pages = renewed.items.into_iter().chain(renewed.intros);
    Some(pages.map(|item| (&item.id, item)).collect())
}

/// An item (or introduction) with a body, by id.
type Page<'s> = (&'s Id, &'s Arc<Item>);

/// The bodies of `cache` with those of the `renewed` items made again (or kept, when their
/// item reads the same).
fn patched(site: &Linked, cache: &Bodies, renewed: &[Page]) -> Made {
    let again: Vec<Rendered1> = (renewed.par_iter())
        .map(|(id, item)| one(site, (id, item), cache.by_id.get(*id), (true, false)))
        .collect();
    let mut made = Made {
        by_id: cache.by_id.clone(),
        fresh: Vec::new(),
        said: cache.said.clone(),
    };
    for (id, body, fresh, says) in again {
        match (made.said.binary_search(&id), says) {
            (Ok(at), false) => drop(made.said.remove(at)),
            (Err(at), true) => made.said.insert(at, id.clone()),
            _ => {}
        }
        if fresh {
            made.fresh.push((id.clone(), Arc::clone(&body)));
        }
        made.by_id.insert(id, body);
    }
    made
}

/// Every published body, each reused from `cache` or rendered (see [`gather`]).
fn gathered(site: &Linked, cache: &Bodies, links_kept: bool, once: bool) -> Made {
    let rendered = gather(site, cache, links_kept, once);
    let mut said: Vec<Id> = (rendered.iter())
        .filter(|(_, _, _, says)| *says)
        .map(|(id, ..)| id.clone())
        .collect();
    said.sort_unstable();
    // Compared only under the same link (a first or one-off build renders them all).
    let fresh = (rendered.iter())
        .filter(|(_, _, fresh, _)| links_kept && *fresh)
        .map(|(id, body, ..)| (id.clone(), Arc::clone(body)))
        .collect();
    let by_id = rendered.into_iter().map(|(id, b, _, _)| (id, b)).collect();
    Made { by_id, fresh, said }
}

/// The body of `item`: `kept` when it still holds (under the same link: `links_kept`), else
/// rendered now (`once`: see [`render_one`]); whether it was rendered, and whether it has
/// diagnostics.
fn one(
    site: &Linked,
    (id, item): Page,
    kept: Option<&Arc<Body>>,
    (links_kept, once): (bool, bool),
) -> Rendered1 {
    let (body, fresh) = match kept {
        Some(b) if b.still_valid(site, item, links_kept) => (Arc::clone(b), false),
        _ => (Arc::new(render_one(site, item, once)), true),
    };
    let says = !body.diags.is_empty();
    (id.clone(), body, fresh, says)
}

/// Each published body, reused from `cache` or rendered, on every thread. Under the same
/// link (`links_kept`) the published items are those `cache` has a body for: the items are
/// taken in their order and each looked up once, in `cache` (at 100,000 items, looking each up
/// among the addresses first took as long again).
fn gather(site: &Linked, cache: &Bodies, links_kept: bool, once: bool) -> Vec<Rendered1> {
    let one = |id: &Id, item: &Arc<Item>, kept: Option<&Arc<Body>>| {
        one(site, (id, item), kept, (links_kept, once))
    };
    let intros: Vec<(&Id, &Arc<Item>)> = site.intros.values().map(|i| (&i.id, i)).collect();
    let intros = intros.into_par_iter();
    let intros = intros.map(|(id, item)| one(id, item, cache.by_id.get(id)));
    let (items, keys): (Vec<(&Id, &Arc<Item>)>, _) = match links_kept {
        true => (site.items.iter().collect(), Vec::new()),
        false => (Vec::new(), site.entries.keys().collect::<Vec<&Id>>()),
    };
    let kept = (items
        .into_par_iter()
        .with_max_len(crate::types::ITEMS_PER_TASK))
    .filter_map(|(id, item)| match cache.by_id.get(id) {
        Some(b) => Some(one(id, item, Some(b))),
        None => site.entries.contains_key(id).then(|| one(id, item, None)),
    });
    let looked_up = (keys
        .into_par_iter()
        .with_max_len(crate::types::ITEMS_PER_TASK))
    .filter_map(|id| site.items.get_key_value(id))
    .map(|(id, item)| one(id, item, cache.by_id.get(id)));
    kept.chain(looked_up).chain(intros).collect()
}

/// A body as [`render`] gathers them: its item's id, the body, whether it was rendered now
/// (not reused) and whether it has diagnostics.
type Rendered1 = (Id, Arc<Body>, bool, bool);

impl Body {
    /// Whether the body of `item` is still this one: made from the same item, with every link
    /// resolving as it did and every `依据` showing what it did (which `links_kept` vouches
    /// for without a look: then no front matter changed).
    fn still_valid(&self, site: &Linked, item: &Arc<Item>, links_kept: bool) -> bool {
        (self.source.as_ref()).is_some_and(|s| Arc::ptr_eq(s, item) || **s == **item)
            && (links_kept
                || (self.deps.iter()).all(|(target, was)| resolve(site, target, &item.id) == *was)
                    && self.bases_hold(site, item))
    }

    /// Whether every question's `依据` still shows the same title, address and principle
    /// (a retitled or renumbered target changes what the bank's page shows, not its body).
    fn bases_hold(&self, site: &Linked, item: &Item) -> bool {
        let Some(bank) = item.get::<QuizBank>() else {
            return true;
        };
        (bank.questions.iter().zip(&self.questions)).all(|(q, linked)| {
            let (basis, principle) = basis_of(site, q);
            basis == linked.basis && principle == linked.principle
        })
    }
}

fn resolve(site: &Linked, target: &str, from: &str) -> Result<String, Unresolved> {
    site.resolve_link(target, from).map(|(url, _)| url)
}

/// Renders one item's body (and a bank's questions); with what a next run checks it by,
/// unless it is rendered `once`.
fn render_one(site: &Linked, item: &Arc<Item>, once: bool) -> Body {
    let mut links = BodyLinks::new(site, item, item.file.body_start);
    let html = markdown::render(item.markdown(), site.config.markdown.raw_html, &mut links);
    let questions = match item.get::<QuizBank>() {
        Some(bank) => link_questions(site, item, bank, &mut links),
        None => Vec::new(),
    };
    Body {
        html,
        links: links.items,
        assets: links.assets,
        questions,
        diags: links.diags,
        deps: if once { Vec::new() } else { links.deps },
        source: (!once).then(|| Arc::clone(item)),
    }
}

/// Collects what a body's links lead to and reports the ones that lead nowhere.
struct BodyLinks<'a> {
    site: &'a Linked,
    file: &'a SourceFile,
    from: &'a str,
    /// Where the Markdown being rendered starts in the file (`None`: place on `line`).
    base: Option<usize>,
    line: usize,
    items: Vec<Id>,
    assets: Vec<String>,
    diags: Vec<Diagnostic>,
    deps: Vec<(String, Result<String, Unresolved>)>,
    suggested: usize,
}

impl<'a> BodyLinks<'a> {
    fn new(site: &'a Linked, item: &'a Item, base: usize) -> Self {
        BodyLinks {
            site,
            file: &item.file,
            from: &item.id,
            base: Some(base),
            line: 1,
            items: Vec::new(),
            assets: Vec::new(),
            diags: Vec::new(),
            deps: Vec::new(),
            suggested: 0,
        }
    }

    /// Line and column of a link at `offset` of the Markdown, and the column of the target
    /// as the author wrote it.
    fn place(&self, written: &str, offset: usize) -> (usize, usize) {
        let Some(base) = self.base else {
            return (self.line, 1);
        };
        let at = (base + offset).min(self.file.text.len());
        let line = self.file.line_of(at);
        let text = self.file.line_text(line).unwrap_or("");
        let col = text
            .find(written)
            .map_or(1, |i| text[..i].chars().count() + 1);
        (line, col)
    }

    /// Reports a link that leads nowhere: `target` is its path under `content/`, `written`
    /// how the author wrote it (`@/cases/x.md`, `附件/通知.pdf`).
    fn report(&mut self, target: &str, written: &str, offset: usize, u: Unresolved) {
        if u == Unresolved::Failed || self.diags.len() >= 2 * crate::diag::MAX_PER_FILE {
            return;
        }
        let (line, col) = self.place(written, offset);
        let staff = u == Unresolved::Excluded(Exclusion::Staff);
        let d = if staff {
            let m = u.link_message(crate::msg!("link.as_text", target = written), target);
            (self.file.diag(Severity::Warning, line, col, m))
                .with_hint(crate::msg!("link.as_text.hint"))
        } else {
            self.suggested += 1;
            let u = if self.suggested <= crate::site::SUGGESTIONS_PER_FILE {
                let near = self.site.suggest(u, target, self.from);
                near.written_like(written, crate::site::folder_of(self.from))
            } else {
                u
            };
            let m = u.link_message(crate::msg!("link.broken", target = written), target);
            let d = self.file.diag(Severity::Error, line, col, m);
            match u.hint(target) {
                Some(h) => d.with_hint(h),
                None => d,
            }
        };
        self.diags.push(d.with_len(written.chars().count()));
    }

    /// Follows a link to `target`, a path under `content/` written as `written`.
    fn follow(&mut self, target: &str, written: &str, offset: usize) -> Option<String> {
        let result = self.site.resolve_link(target, self.from);
        let dep = result
            .as_ref()
            .map(|(u, _)| u.clone())
            .map_err(Clone::clone);
        self.deps.push((target.to_owned(), dep));
        match result {
            Ok((url, Target::Item(id))) => {
                if !self.items.contains(&id) {
                    self.items.push(id);
                }
                Some(url)
            }
            Ok((url, Target::Asset(rel))) => {
                self.assets.push(rel);
                Some(url)
            }
            Ok((url, Target::Section(_) | Target::Elsewhere)) => Some(url),
            Err(u) => {
                self.report(target, written, offset, u);
                None
            }
        }
    }
}

impl Resolve for BodyLinks<'_> {
    fn resolve(&mut self, target: &str, offset: usize) -> Option<String> {
        self.follow(target, &format!("@/{target}"), offset)
    }

    fn not_a_link(&mut self, written: &str, offset: usize) {
        if self.diags.len() >= 2 * crate::diag::MAX_PER_FILE {
            return;
        }
        let (line, col) = self.place(written, offset);
        let m = crate::msg!("link.spaces", target = written);
        let d = self.file.diag(Severity::Warning, line, col, m);
        let hint = crate::msg!("link.spaces.hint", target = written.trim());
        self.diags
            .push(d.with_len(written.chars().count()).with_hint(hint));
    }

    fn relative(&mut self, path: &str, written: &str, offset: usize) -> Option<String> {
        match crate::site::join_relative(crate::site::folder_of(self.from), path) {
            Some(target) => self.follow(&target, written, offset),
            None => {
                if self.diags.len() < 2 * crate::diag::MAX_PER_FILE {
                    let (line, col) = self.place(written, offset);
                    let m = crate::msg!("link.outside", target = written);
                    let d = self.file.diag(Severity::Error, line, col, m);
                    let d = d.with_hint(crate::msg!("link.outside.hint"));
                    self.diags.push(d.with_len(written.chars().count()));
                }
                None
            }
        }
    }
}

/// Resolves every question's `依据` and renders its explanation.
fn link_questions(
    site: &Linked,
    item: &Item,
    bank: &QuizBank,
    links: &mut BodyLinks,
) -> Vec<LinkedQuestion> {
    bank.questions
        .iter()
        .map(|q| {
            links.base = None;
            links.line = q.line;
            let explanation = q.explanation.as_deref().unwrap_or("");
            let explanation_html =
                markdown::render(explanation, site.config.markdown.raw_html, links);
            let target = q.basis.as_deref().and_then(crate::site::basis_id);
            let (basis, principle) = basis_of(site, q);
            if let Some(id) = target.filter(|id| site.entries.contains_key(*id) && *id != item.id) {
                links.deps.push((
                    format!("{id}.md"),
                    resolve(site, &format!("{id}.md"), &item.id),
                ));
                if !links.items.iter().any(|i| i == id) {
                    links.items.push(id.to_owned());
                }
            }
            LinkedQuestion {
                id: q.id.clone(),
                kind: q.kind,
                stem: q.stem.clone(),
                options: q.options.clone(),
                answer: q.answer.clone(),
                explanation_html,
                basis,
                principle,
            }
        })
        .collect()
}

/// What a question shows of its `依据`: the target's title and address, and the number of
/// the principle it is (when published).
fn basis_of(site: &Linked, q: &crate::kinds::quiz::Question) -> (Option<Link>, Option<u8>) {
    let target = q.basis.as_deref().and_then(crate::site::basis_id);
    let basis = target.and_then(|id| site.link_to(id));
    let principle = target
        .filter(|id| site.entries.contains_key(*id))
        .and_then(|id| site.items.get(id))
        .and_then(|t| t.get::<principle::Principle>())
        .map(|p| p.number);
    (basis, principle)
}

/// The footer's Markdown, with its `@/` links checked like a body's (placed on the `footer`
/// line of `site.yaml`).
fn footer(site: &Linked) -> (String, Vec<String>, Vec<Diagnostic>) {
    let Some(text) = site.config.footer.as_deref() else {
        return (String::new(), Vec::new(), Vec::new());
    };
    let mut links = FooterLinks {
        site,
        diags: Vec::new(),
        assets: Vec::new(),
    };
    let html = markdown::render_lines(text, site.config.markdown.raw_html, &mut links);
    (html, links.assets, links.diags)
}

struct FooterLinks<'a> {
    site: &'a Linked,
    diags: Vec<Diagnostic>,
    assets: Vec<String>,
}

impl FooterLinks<'_> {
    /// Follows a footer link to `target` (a path under `content/`), written as `written`.
    fn follow(&mut self, target: &str, written: &str) -> Option<String> {
        let u = match self.site.resolve_link(target, "") {
            Ok((url, Target::Asset(rel))) => {
                self.assets.push(rel);
                return Some(url);
            }
            Ok((url, _)) => return Some(url),
            Err(u) => u,
        };
        let staff = u == Unresolved::Excluded(Exclusion::Staff);
        if staff && self.site.options.audience == Audience::Public {
            let m = u.link_message(crate::msg!("link.footer_as_text", target = written), target);
            let d = footer_diag(self.site, Severity::Warning, m);
            self.diags
                .push(d.with_hint(crate::msg!("link.as_text.hint")));
            return None;
        }
        let u = (self.site.suggest(u, target, "")).written_like(written, "");
        let m = u.link_message(crate::msg!("link.footer", target = written), target);
        let d = footer_diag(self.site, Severity::Error, m);
        self.diags.push(match u.hint(target) {
            Some(h) => d.with_hint(h),
            None => d,
        });
        None
    }
}

impl Resolve for FooterLinks<'_> {
    fn resolve(&mut self, target: &str, _offset: usize) -> Option<String> {
        self.follow(target, &format!("@/{target}"))
    }

    fn relative(&mut self, path: &str, written: &str, _offset: usize) -> Option<String> {
        match crate::site::join_relative("", path) {
            Some(target) => self.follow(&target, written),
            None => {
                let m = crate::msg!("link.outside", target = written);
                let d = footer_diag(self.site, Severity::Error, m);
                self.diags
                    .push(d.with_hint(crate::msg!("link.outside.hint")));
                None
            }
        }
    }
}

fn footer_diag(site: &Linked, severity: Severity, message: crate::messages::Msg) -> Diagnostic {
    let text = &site.config_text;
    let (line, col) = crate::yaml::find_key(text, "footer").unwrap_or((1, 1));
    Diagnostic::at(severity, "content/site.yaml", text, line, col, message)
}

/// Attachments linked from a published body, published channels' QR pictures and
/// published news items' covers.
fn published_assets(site: &Linked, bodies: &Bodies) -> BTreeSet<String> {
    let mut assets: BTreeSet<String> = bodies
        .by_id
        .values()
        .flat_map(|b| b.assets.iter().cloned())
        .chain(bodies.footer_assets.iter().cloned())
        .collect();
    for item in site.published_items() {
        let own = item.data.attachments().into_iter();
        assets.extend(own.map(|(_, rel)| rel.to_owned()));
    }
    assets.retain(|a| site.assets.contains_key(a));
    assets
}

/// Each link target's linking items, in file order: every (target, source) pair gathered
/// side by side, sorted by target (a stable sort keeps each target's sources in file order),
/// and each target's list made on its own (a large site has tens of thousands of links).
fn backlinks(site: &Linked, bodies: &Bodies) -> HashMap<Id, Vec<Id>> {
    use rayon::slice::ParallelSliceMut;
    let sources: Vec<&Id> = (site.items.keys())
        .filter(|id| site.entries.contains_key(*id))
        .collect();
    let links_of = |id: &Id| bodies.by_id.get(id).map_or(&[][..], |b| b.links.as_slice());
    let mut links: Vec<(&Id, &Id)> = (sources.par_iter())
        .with_max_len(crate::types::ITEMS_PER_TASK)
        .flat_map_iter(|&id| links_of(id).iter().map(move |target| (target, id)))
        .collect();
    links.par_sort_by(|a, b| a.0.cmp(b.0));
    (links.par_chunk_by(|a, b| a.0 == b.0))
        .map(|run| {
            let sources = run.iter().map(|(_, source)| (*source).clone()).collect();
            (run[0].0.clone(), sources)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::site::testutil::{SITE, linked};
    use crate::types::Audience;

    #[test]
    fn backlinks_list_the_linking_items_in_file_order() {
        let link = |to: &str| format!("---\ntitle: t\n---\n见[甲](@/pages/{to}.md)。\n");
        let files = [
            ("pages/x.md", link("y")),
            ("pages/c.md", link("x")),
            ("pages/a.md", link("x")),
            (
                "pages/b.md",
                format!("{}又见[乙](@/pages/y.md)。\n", link("x")),
            ),
            ("pages/y.md", "---\ntitle: y\n---\n".to_owned()),
        ];
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let (site, diags) = linked(SITE, &files, Audience::Public);
        assert!(diags.is_empty(), "{diags:?}");
        let back = &site.bodies.backlinks;
        let order: Vec<&str> = site.items.keys().map(String::as_str).collect();
        let linking_x: Vec<&str> = order
            .iter()
            .copied()
            .filter(|id| ["pages/a", "pages/b", "pages/c"].contains(id))
            .collect();
        assert_eq!(back["pages/x"], linking_x, "file order");
        assert_eq!(back["pages/y"], ["pages/b", "pages/x"].map(String::from));
        assert_eq!(back.len(), 2);
    }

    #[test]
    fn staff_links_become_text_with_a_warning_in_public_builds() {
        let files = [
            (
                "cases/in.md",
                "---\ntitle: 内部\ndate: 2024-01-01\naudience: staff\n---\n",
            ),
            (
                "pages/p.md",
                "---\ntitle: 页\n---\n\n见[内部案例](@/cases/in.md)。\n",
            ),
        ];
        let (site, d) = linked(SITE, &files, Audience::Public);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line, d[0].column), (5, 9));
        assert_eq!(d[0].severity, crate::diag::Severity::Warning);
        let html = site.bodies.html("pages/p");
        assert!(
            html.contains("见内部案例。") && !html.contains("href"),
            "{html}"
        );
        let (site, d) = linked(SITE, &files, Audience::Staff);
        assert!(d.is_empty(), "{d:?}");
        assert!(site.bodies.html("pages/p").contains(r#"href="/cases/in/""#));
        assert_eq!(site.bodies.backlinks["cases/in"], ["pages/p"]);
    }

    #[test]
    fn broken_links_name_the_file_and_the_nearest_id() {
        let files = [
            ("cases/red.md", "---\ntitle: 案\ndate: 2024-01-01\n---\n"),
            ("pages/p.md", "---\ntitle: 页\n---\n[x](@/cases/rad.md)\n"),
        ];
        let (_, d) = linked(SITE, &files, Audience::Public);
        assert_eq!((d[0].line, d[0].column), (4, 5), "{d:?}");
        assert_eq!(
            d[0].message.as_str(),
            "broken link `@/cases/rad.md`: there is no file content/cases/rad.md"
        );
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `@/cases/red.md`?"));
    }
}
