//! Rebuilding only what an edit touched: the site is prepared again (reusing every Markdown
//! body that is still valid), the keys whose data changed are found by comparing the two
//! linked sites, and only the outputs that read one of them, moved, or are new are rendered
//! again, to find any mistake and record what they read (pages are served by rendering them
//! when asked for; theme files and attachments are kept). A change to a theme file or
//! `site.yaml`, or to the menu, renders everything. The search index is made after the
//! reload ([`super::indexing`]).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::indexing::Indexing;
use super::live::{Files, Pages, Paths, Served};
use crate::built::Site;
use crate::diag::Diagnostic;
use crate::error::Result;
use crate::kinds::{Item, Kind};
use crate::pipeline::{self, Prepared, SiteArgs};
use crate::plan::{Output, Planned};
use crate::render::reader::{self, Key, KeySet};
use crate::render::{self, Content};
use crate::types::{Date, HashMap, HashSet, Id};

/// What one rebuild produced.
pub struct Rebuilt {
    /// The whole served site, when the build had no errors.
    pub files: Option<Files>,
    pub diags: Vec<Diagnostic>,
    /// How many outputs were rendered.
    pub rendered: usize,
    /// The search index still has to be made again ([`Session::index_ready`]).
    pub index_pending: bool,
}

impl Rebuilt {
    fn failed(diags: Vec<Diagnostic>) -> Rebuilt {
        Rebuilt {
            files: None,
            diags,
            rendered: 0,
            index_pending: false,
        }
    }
}

/// The last good build and what each of its outputs read and wrote.
struct Last {
    prepared: Arc<Prepared>,
    reads: HashMap<Output, Vec<Key>>,
    written: HashMap<Output, Vec<String>>,
    files: Files,
}

/// A preview session: the site's options, its last good build, and the files, parses and
/// bodies to reuse.
pub struct Session {
    args: SiteArgs,
    last: Option<Last>,
    reuse: pipeline::Reuse,
    indexing: Indexing,
    /// How many builds succeeded: the number of the last.
    builds: u64,
    /// A theme file or `site.yaml` changed since the last good build (a save that did not
    /// build does not lose it).
    global: bool,
}

impl Session {
    pub fn new(args: SiteArgs) -> Session {
        Session {
            args,
            last: None,
            reuse: pipeline::Reuse {
                link: Some(crate::site::LinkCache::default()),
                ..pipeline::Reuse::default()
            },
            indexing: Indexing::default(),
            builds: 0,
            global: false,
        }
    }

    /// Notes paths the watcher named (relative to the site root); `complete` is false when it
    /// may have missed some, so the next rebuild walks `content/` again.
    pub fn note(&mut self, paths: &[PathBuf], complete: bool) {
        let under = |folder: PathBuf| {
            (paths.iter())
                .filter_map(move |p| Some(p.strip_prefix(&folder).ok()?.to_string_lossy()))
                .map(|p| p.replace('\\', "/"))
        };
        self.reuse.files.note(under(self.own_content()), complete);
        if self.args.unit.is_some() {
            // The commission's shared layer, which a unit's preview reads too.
            self.reuse
                .shared
                .note(under(PathBuf::from("content")), complete);
        }
    }

    /// The site's own `content/` from the root: `content`, or `units/<name>/content` when
    /// previewing a unit of a commission's tree.
    fn own_content(&self) -> PathBuf {
        crate::units::own_content(self.args.unit.as_deref())
    }

    /// Rebuilds after `changed` (paths relative to the site root; empty for the first build),
    /// which [`Session::note`] has already been told of with every other path the watcher
    /// named. The search index is made here on the first build only; after that it is left
    /// for [`Session::index_ready`].
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt> {
        self.global |= changed
            .iter()
            .any(|p| p.starts_with("themes") || *p == self.own_content().join("site.yaml"));
        let (prepared, diags) = pipeline::prepare_with(&self.args, &mut self.reuse)?;
        let Some(prepared) = prepared.filter(|_| !diags.iter().any(Diagnostic::is_error)) else {
            return Ok(Rebuilt::failed(diags));
        };
        let todo = self.outputs_to_render(&prepared);
        if self.global {
            // The search documents carry the theme's words, in the site's language.
            self.indexing.forget_docs();
        }
        let index = todo.iter().any(|p| p.output == Output::SearchIndex);
        let results = render_batch(&prepared, &todo);
        let mut diags = diags;
        diags.extend(
            results
                .iter()
                .filter_map(|(_, r)| r.as_ref().err().cloned()),
        );
        if diags.iter().any(Diagnostic::is_error) {
            return Ok(Rebuilt::failed(diags));
        }
        let rendered = results.len() + usize::from(index);
        let first = self.last.is_none();
        let at = self.pages_at(&prepared);
        let (mut files, reads, written) = self.merge(&prepared, results);
        self.reuse.bodies = Arc::clone(&prepared.site.bodies);
        self.builds += 1;
        let prepared = Arc::new(prepared);
        files.set_pages(Pages::new(Arc::clone(&prepared), at));
        if index {
            self.indexing.want(self.builds, Arc::clone(&prepared));
        }
        self.last = Some(Last {
            prepared,
            reads,
            written,
            files,
        });
        if first {
            self.finish_index();
        }
        self.global = false;
        Ok(Rebuilt {
            files: self.last.as_ref().map(|l| l.files.clone()),
            diags,
            rendered,
            index_pending: self.indexing.busy(),
        })
    }

    /// Whether a search index is still to be made (then [`Session::index_ready`] is asked
    /// until it gives the site with it).
    pub fn indexing(&self) -> bool {
        self.indexing.busy()
    }

    /// The whole site with the search index, once the index of the last good build is made
    /// (without waiting: it is made on threads of its own, started here when needed).
    pub fn index_ready(&mut self) -> Option<Files> {
        let made = self.indexing.poll()?;
        self.with_index(made)
    }

    /// Makes the search index a rebuild left for later here and now; the whole site then, if
    /// it did.
    pub fn finish_index(&mut self) -> Option<Files> {
        let made = self.indexing.now()?;
        self.with_index(made)
    }

    fn with_index(&mut self, made: Paths) -> Option<Files> {
        let last = self.last.as_mut()?;
        last.files.set_search(made);
        Some(last.files.clone())
    }

    /// Every output on the first build or after a theme, configuration or menu change;
    /// otherwise those that read a changed key, are new, or moved.
    fn outputs_to_render<'p>(&self, prepared: &'p Prepared) -> Vec<&'p Planned> {
        let Some(last) = &self.last else {
            return prepared.plan.iter().collect();
        };
        if self.global || last.prepared.view != prepared.view {
            return prepared.plan.iter().collect();
        }
        let keys = changed_keys(&last.prepared.site, &prepared.site);
        let lists_too = keys
            .iter()
            .any(|k| !matches!(k, Key::Item(_) | Key::Backlinks(_)));
        let affected: HashSet<&Output> = reader::affected(&last.reads, &keys).into_iter().collect();
        // Mostly the plan is the very same: then nothing is new and nothing moved.
        let same = same_plan(&last.prepared.plan, &prepared.plan);
        let before: HashMap<&Output, &str> = match same {
            true => HashMap::default(),
            false => (last.prepared.plan.iter())
                .map(|p| (&p.output, p.path.as_str()))
                .collect(),
        };
        prepared
            .plan
            .iter()
            .filter(|p| {
                affected.contains(&p.output)
                    || (!same && before.get(&p.output) != Some(&p.path.as_str()))
                    || (lists_too
                        && !matches!(
                            p.output,
                            Output::Item(_) | Output::Static(_) | Output::Asset(_)
                        ))
            })
            .collect()
    }

    /// Where each page of `prepared` is in its plan: the last build's index while the plan is
    /// the same.
    fn pages_at(&self, prepared: &Prepared) -> Arc<HashMap<Arc<str>, usize>> {
        let last = (self.last.as_ref()).filter(|l| same_plan(&l.prepared.plan, &prepared.plan));
        match last.and_then(|l| l.files.pages()) {
            Some(pages) => Arc::clone(pages.at()),
            None => Arc::new(Pages::index(&prepared.plan, on_demand)),
        }
    }

    /// The last build's files and records with the new outputs put in and the outputs the
    /// plan no longer has taken out (a page's record only: pages are rendered when asked for).
    fn merge(&mut self, prepared: &Prepared, results: Vec<Result1>) -> Records {
        let (mut files, mut reads, mut written, same) = match self.last.take() {
            Some(l) => {
                let same = same_plan(&l.prepared.plan, &prepared.plan);
                pipeline::free_elsewhere(l.prepared);
                (l.files, l.reads, l.written, same)
            }
            None => Default::default(),
        };
        if !same {
            let planned: HashSet<&Output> = prepared.plan.iter().map(|p| &p.output).collect();
            written.retain(|output, paths| {
                let keep = planned.contains(output);
                if !keep {
                    paths.iter().for_each(|p| files.remove(p));
                }
                keep
            });
            reads.retain(|output, _| planned.contains(output));
        }
        for (p, result) in results {
            let Ok(r) = result else { continue };
            if on_demand(&p.output) {
                reads.insert(p.output.clone(), r.reads);
                continue;
            }
            for old in written.remove(&p.output).unwrap_or_default() {
                files.remove(&old);
            }
            let content = pipeline::relative_links(&prepared.site, &p.path, r.content);
            written.insert(p.output.clone(), insert(&mut files, &p.path, content));
            reads.insert(p.output.clone(), r.reads);
        }
        // The index reads every page; it is made apart from the pages (see `Indexing`).
        reads.insert(Output::SearchIndex, vec![Key::Everything]);
        files.settle_layers();
        (files, reads, written)
    }
}

/// Renders `todo` in parallel, all but the search index: to find any mistake and record
/// what each output reads; a page's content is dropped (it is rendered again when asked for).
fn render_batch<'p>(prepared: &'p Prepared, todo: &[&'p Planned]) -> Vec<Result1<'p>> {
    let env = prepared.env();
    let outputs = todo.iter().filter(|p| p.output != Output::SearchIndex);
    let outputs: Vec<&&Planned> = outputs.collect();
    let tasks = outputs
        .par_iter()
        .with_max_len(crate::types::ITEMS_PER_TASK);
    tasks
        .map(|p| {
            let mut rendered = render::render(&env, &prepared.site, &p.output, true);
            if let (Ok(r), true) = (&mut rendered, on_demand(&p.output)) {
                r.content = Content::Bytes(Vec::new());
            }
            (**p, rendered)
        })
        .collect()
}

/// Whether an output is a page, rendered when asked for rather than kept (see [`Files`]):
/// all but theme files, attachments and the search index.
fn on_demand(output: &Output) -> bool {
    !matches!(
        output,
        Output::Static(_) | Output::Asset(_) | Output::SearchIndex
    )
}

/// Whether two plans have the same outputs on the same paths, in the same order.
fn same_plan(a: &Arc<Vec<Planned>>, b: &Arc<Vec<Planned>>) -> bool {
    Arc::ptr_eq(a, b)
        || a.len() == b.len()
            && a.iter()
                .zip(b.iter())
                .all(|(x, y)| x.output == y.output && x.path == y.path)
}

/// One output and how rendering it went.
type Result1<'p> = (
    &'p Planned,
    std::result::Result<render::Rendered, Diagnostic>,
);

/// The served files, what each output read, and the paths each output wrote.
type Records = (
    Files,
    HashMap<Output, Vec<Key>>,
    HashMap<Output, Vec<String>>,
);

/// Puts one output's content into `files`; the paths it wrote.
fn insert(files: &mut Files, path: &str, content: Content) -> Vec<String> {
    match content {
        Content::Bytes(b) => {
            files.insert(path, Served::Bytes(b.into()));
            vec![path.to_owned()]
        }
        Content::Copy(from) => {
            files.insert(path, Served::File(from));
            vec![path.to_owned()]
        }
        Content::Files(many) => many
            .into_iter()
            .map(|(rel, b)| {
                files.insert(&rel, Served::Bytes(b.into()));
                rel
            })
            .collect(),
    }
}

/// The keys whose data differ between two linked sites: items (text, address, body, whether
/// published), each kind's order, and every reverse index entry.
pub fn changed_keys(old: &Site, new: &Site) -> KeySet {
    if Arc::ptr_eq(&old.entries, &new.entries) {
        return body_keys(old, new);
    }
    let mut keys = KeySet::default();
    let intros: BTreeSet<&str> = (old.intros.values().chain(new.intros.values()))
        .map(|i| i.id.as_str())
        .collect();
    let gone = old.items.keys().filter(|id| !new.items.contains_key(*id));
    let ids: Vec<&str> = (new.items.keys().chain(gone))
        .map(String::as_str)
        .chain(intros)
        .collect();
    let differ: Vec<&str> = ids
        .into_par_iter()
        .filter(|id| !same_item(old, new, id))
        .collect();
    for id in differ {
        keys.insert(Key::Item(id.to_owned()));
        let (a, b) = (old.items.get(id), new.items.get(id));
        if a.map(|i| grouping(i)) != b.map(|i| grouping(i)) {
            keys.extend(a.into_iter().chain(b).map(|i| Key::Order(i.kind)));
        }
        if address(old, id) != address(new, id) {
            keys.insert(Key::Addresses);
        }
    }
    for &kind in Kind::ALL {
        if !old.index.order(kind).eq(new.index.order(kind)) {
            keys.insert(Key::Order(kind));
        }
    }
    if old.index.principle_ids != new.index.principle_ids {
        keys.insert(Key::Order(Kind::Principle));
    }
    reverse_keys(old, new, &mut keys);
    if keys.iter().any(|k| matches!(k, Key::Order(_))) {
        keys.insert(Key::Addresses);
    }
    keys
}

/// The keys that differ between two sites of the same link (only bodies were edited, see
/// [`crate::site::link_reusing`]): the items whose text or body changed, and the backlinks
/// their links add or drop. Addresses, orders and the other reverse indexes are the same.
fn body_keys(old: &Site, new: &Site) -> KeySet {
    let mut keys = KeySet::default();
    let items = (old.items.iter().zip(new.items.iter())).map(|((id, a), (_, b))| (id, a, b));
    let intros = (old.intros.values().zip(new.intros.values())).map(|(a, b)| (&a.id, a, b));
    // Under the same link an item that is the very same kept its body too (a body is reused
    // while its item and where its links lead are the same): only the items read again are
    // looked at, not the bodies of the 100,000 others.
    let again = items.chain(intros).filter(|(_, a, b)| !Arc::ptr_eq(a, b));
    let differ: Vec<&Id> = again
        .filter(|(id, a, b)| !same_text_and_body(old, new, id, Some(a), Some(b)))
        .map(|(id, _, _)| id)
        .collect();
    for id in differ {
        keys.insert(Key::Item(id.clone()));
        let (was, is) = (old.bodies.by_id.get(id), new.bodies.by_id.get(id));
        for target in was.into_iter().chain(is).flat_map(|b| &b.links) {
            if old.bodies.backlinks.get(target) != new.bodies.backlinks.get(target) {
                keys.insert(Key::Backlinks(target.clone()));
            }
        }
    }
    keys
}

/// The keys of the reverse indexes (citations, quiz counts, replacements, quiz users:
/// [`crate::site::Indexes::changed`]) and of the backlinks whose lists differ.
fn reverse_keys(old: &Site, new: &Site, keys: &mut KeySet) {
    old.index.changed(&new.index, &mut |k| {
        keys.insert(k.into());
    });
    let backlinks = |id: &crate::types::Id| Key::Backlinks(id.clone());
    crate::site::differing(
        &*old.bodies.backlinks,
        &*new.bodies.backlinks,
        backlinks,
        &mut |k| {
            keys.insert(k);
        },
    );
}

/// What the sitemap shows of an item: its address and dates.
fn address<'s>(site: &'s Site, id: &str) -> Option<(&'s str, Option<Date>, Option<Date>)> {
    let item = site.items.get(id)?;
    let entry = site.entries.get(id)?;
    Some((&entry.url, item.meta.date, item.meta.updated))
}

/// The fields that place an item in a list's groups (its date's year) or in one of several
/// lists (a disclosure's category, a channel's poster): a change counts as a change of order.
fn grouping(item: &Item) -> String {
    format!("{:?}|{}", item.meta.date, item.data.grouping())
}

/// Whether what an output may read of one item is the same in both sites: its text,
/// address, exclusion and body (the same `Arc`s when nothing changed, so this is cheap).
fn same_item(old: &Site, new: &Site, id: &str) -> bool {
    fn item<'s>(s: &'s Site, id: &str) -> Option<&'s Arc<Item>> {
        (s.items.get(id)).or_else(|| s.intros.values().find(|i| i.id == id))
    }
    same_text_and_body(old, new, id, item(old, id), item(new, id))
        && old.entries.get(id) == new.entries.get(id)
        && old.excluded.get(id) == new.excluded.get(id)
}

/// Whether item `id` (`a` in the old site, `b` in the new) has the same text and body in both.
fn same_text_and_body(
    old: &Site,
    new: &Site,
    id: &str,
    a: Option<&Arc<Item>>,
    b: Option<&Arc<Item>>,
) -> bool {
    same_arc(a, b, |a, b| a.file.text == b.file.text)
        && same_arc(
            old.bodies.by_id.get(id),
            new.bodies.by_id.get(id),
            |a, b| a.html == b.html && a.questions == b.questions,
        )
}

/// Whether two optional shared values are the same: both absent, the very same, or `equal`.
fn same_arc<T>(a: Option<&Arc<T>>, b: Option<&Arc<T>>, equal: impl Fn(&T, &T) -> bool) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => Arc::ptr_eq(a, b) || equal(a, b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testutil::{SITE, linked};
    use crate::types::Audience;

    const CASE: &str = "---\ntitle: 案\ndate: 2024-01-02\nprinciples: [8]\n---\n案情。\n";
    const PRINCIPLE: &str = "---\ntitle: 第八条\nnumber: 8\n---\n正文\n";

    fn site(files: &[(&str, &str)]) -> Site {
        let (site, diags) = linked(SITE, files, Audience::Public);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        site
    }

    /// What `serve` keeps between saves.
    #[derive(Default)]
    struct Kept {
        link: crate::site::LinkCache,
        bodies: crate::bodies::Bodies,
    }

    /// `files` linked and their bodies rendered as `serve` does, reusing what `kept` holds.
    fn relinked(kept: &mut Kept, files: &[(&str, &str)]) -> Site {
        use crate::site::testutil::{options, parsed_of};
        let (config, parsed, _) = parsed_of(SITE, files);
        let options = options(Audience::Public);
        let (site, _) = crate::site::link_reusing(&config, parsed, &[], options, &mut kept.link);
        let (bodies, _) = crate::bodies::render(&site, &kept.bodies, false);
        kept.bodies = bodies.clone();
        Site::new(site, Arc::new(bodies))
    }

    #[test]
    fn a_body_edit_under_a_kept_link_changes_what_a_fresh_link_would() {
        let linking = CASE.replace("案情。", "案情，见[第八条](@/principles/08.md)。");
        let steps = [
            CASE.to_owned(),
            CASE.replace("案情", "新案情"),
            linking,
            CASE.into(),
        ];
        let mut cache = Kept::default();
        let mut last: Option<(Site, Site)> = None;
        for case in &steps {
            let files = [
                ("principles/08.md", PRINCIPLE),
                ("cases/a.md", case.as_str()),
            ];
            let kept = relinked(&mut cache, &files);
            let fresh = site(&files);
            assert_eq!(*kept.bodies.backlinks, *fresh.bodies.backlinks);
            if let Some((kept_before, fresh_before)) = &last {
                assert!(Arc::ptr_eq(&kept_before.entries, &kept.entries));
                let want = changed_keys(fresh_before, &fresh);
                assert_eq!(changed_keys(kept_before, &kept), want);
                assert!(want.contains(&Key::Item("cases/a".into())));
            }
            last = Some((kept, fresh));
        }
        let backlinked = Key::Backlinks("principles/08".into());
        let (kept_before, _) = last.unwrap();
        let files = [
            ("principles/08.md", PRINCIPLE),
            ("cases/a.md", steps[2].as_str()),
        ];
        assert!(changed_keys(&kept_before, &relinked(&mut cache, &files)).contains(&backlinked));
    }

    /// A site of `cases` cases of 2024 (parts of 20 in its casebook) on disk, and a session
    /// that has built it.
    fn session_of(dir: &std::path::Path, cases: usize) -> Session {
        let mut files = vec![("principles/08.md".to_owned(), PRINCIPLE.to_owned())];
        for i in 0..cases {
            let case = CASE.replace("01-02", &format!("{:02}-{:02}", 1 + i / 28, 1 + i % 28));
            files.push((format!("cases/c{i:03}.md"), case));
        }
        let mut session = Session::new(crate::serve::testutil::site_on_disk(dir, &files));
        assert!(session.rebuild(&[]).unwrap().files.is_some());
        session
    }

    /// How many outputs a wording fix in the year's oldest case renders again.
    fn rendered_after_an_edit(cases: usize) -> usize {
        let dir = tempfile::tempdir().unwrap();
        let mut session = session_of(dir.path(), cases);
        let rel = PathBuf::from("content/cases/c000.md");
        let case = std::fs::read_to_string(dir.path().join(&rel)).unwrap();
        std::fs::write(dir.path().join(&rel), case.replace("案情", "新的案情")).unwrap();
        session.note(std::slice::from_ref(&rel), true);
        let rebuilt = session.rebuild(&[rel]).unwrap();
        assert!(rebuilt.files.is_some(), "{:?}", rebuilt.diags);
        rebuilt.rendered
    }

    #[test]
    fn a_case_edit_renders_one_part_of_its_years_casebook_again() {
        // A year of 40 cases has 2 parts, of 100 has 5: the edit renders as much in either.
        assert_eq!(rendered_after_an_edit(40), rendered_after_an_edit(100));
    }

    #[test]
    fn a_disclosure_that_moves_changes_both_categories_and_no_other() {
        let disclosure = |category: &str| {
            format!("---\ntitle: 公示\ncategory: {category}\ndate: 2024-01-02\n---\n内容。\n")
        };
        let (a, b) = (disclosure("药品采购"), disclosure("整改公示"));
        let other = disclosure("财务公开");
        let before = site(&[("disclosures/a.md", &a), ("disclosures/o.md", &other)]);
        let moved = site(&[("disclosures/a.md", &b), ("disclosures/o.md", &other)]);
        assert_eq!(moved.index.in_category("整改公示"), ["disclosures/a"]);
        assert!(moved.index.in_category("药品采购").is_empty());
        let keys = changed_keys(&before, &moved);
        assert!(keys.contains(&Key::Category("药品采购".into())));
        assert!(keys.contains(&Key::Category("整改公示".into())));
        assert!(!keys.contains(&Key::Category("财务公开".into())));
    }

    #[test]
    fn a_text_edit_changes_only_its_item_and_a_new_item_changes_the_lists() {
        let before = site(&[("principles/08.md", PRINCIPLE), ("cases/a.md", CASE)]);
        let edited = site(&[
            ("principles/08.md", PRINCIPLE),
            ("cases/a.md", &CASE.replace("案情", "新案情")),
        ]);
        let keys = changed_keys(&before, &edited);
        assert_eq!(keys, KeySet::from_iter([Key::Item("cases/a".into())]));
        let added = site(&[
            ("principles/08.md", PRINCIPLE),
            ("cases/a.md", CASE),
            ("cases/b.md", CASE),
        ]);
        let keys = changed_keys(&before, &added);
        assert!(keys.contains(&Key::Item("cases/b".into())));
        assert!(keys.contains(&Key::Order(Kind::Case)));
        assert!(keys.contains(&Key::Citing(Kind::Case, 8)));
        assert!(!keys.contains(&Key::Item("cases/a".into())));
        assert!(
            keys.contains(&Key::Addresses),
            "the sitemap lists the new case"
        );
        assert!(changed_keys(&before, &before).is_empty());
        let updated = site(&[
            ("principles/08.md", PRINCIPLE),
            (
                "cases/a.md",
                &CASE.replace("date:", "updated: 2024-03-04\ndate:"),
            ),
        ]);
        let keys = changed_keys(&before, &updated);
        let want = [Key::Item("cases/a".into()), Key::Addresses];
        assert_eq!(keys, KeySet::from_iter(want), "the sitemap shows the date");
    }
}
