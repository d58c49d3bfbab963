//! The site as it is served: its files (pages rendered when asked for, theme files and the
//! search index in memory, attachments by path), the diagnostics of the last build, and a
//! version that goes up with each rebuild so open pages reload.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::diag::Diagnostic;
use crate::pipeline::Prepared;
use crate::plan::{Output, Planned};
use crate::types::HashMap;

/// One served file: rendered bytes, or an attachment read from disk when asked for.
#[derive(Debug, Clone)]
pub enum Served {
    Bytes(Arc<[u8]>),
    File(PathBuf),
}

/// Outputs by path.
pub type Paths = HashMap<Arc<str>, Served>;

/// Every output path of a build and what it holds. Pages are rendered when asked for (a
/// preview shows a few of 100,000, and keeping them all took most of its memory); theme files,
/// attachments and the search index are kept, in shared layers: each rebuild hands the server
/// the whole site, and copying one map of every path took tens of milliseconds of every save
/// (and as many to free the last one). A rebuild changes a few paths; they go into a layer of
/// their own over the last base, which takes them in once they are many. The search index,
/// made again as a whole after the pages, is a layer too.
#[derive(Debug, Clone, Default)]
pub struct Files {
    base: Arc<Paths>,
    /// Paths changed since `base` was made: what they hold now, `None` where taken out.
    changed: Arc<HashMap<Arc<str>, Option<Served>>>,
    /// The search index's files.
    search: Arc<Paths>,
    /// How many paths `base` and `changed` hold together.
    kept: usize,
    /// The pages, rendered when asked for.
    pages: Option<Pages>,
}

impl Files {
    /// What `path` holds: a page is rendered now.
    pub fn get(&self, path: &str) -> Option<Served> {
        if let Some(kept) = self.kept_at(path).or_else(|| self.search.get(path)) {
            return Some(kept.clone());
        }
        let page = self.pages.as_ref()?.render(path)?;
        Some(Served::Bytes(page.into()))
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.kept_at(path).is_some()
            || self.search.contains_key(path)
            || self.pages.as_ref().is_some_and(|p| p.at.contains_key(path))
    }

    /// How many files are served.
    pub fn len(&self) -> usize {
        self.kept + self.search.len() + self.pages.as_ref().map_or(0, |p| p.at.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every path and what it holds, in no order, the pages rendered (to compare with a build).
    pub fn all(&self) -> Vec<(Arc<str>, Served)> {
        let changed = (self.changed.iter()).filter_map(|(p, s)| Some((p, s.as_ref()?)));
        let kept = (self.base.iter()).filter(|(p, _)| !self.changed.contains_key(&***p));
        let stored = changed.chain(kept).chain(self.search.iter());
        let mut all: Vec<(Arc<str>, Served)> =
            stored.map(|(p, s)| (p.clone(), s.clone())).collect();
        for path in self.pages.iter().flat_map(|p| p.at.keys()) {
            all.extend(self.get(path).map(|page| (path.clone(), page)));
        }
        all
    }

    /// Keeps `served` at `path` (a theme file or an attachment).
    pub fn insert(&mut self, path: &str, served: Served) {
        self.kept += usize::from(self.kept_at(path).is_none());
        Arc::make_mut(&mut self.changed).insert(path.into(), Some(served));
    }

    /// Takes the file kept at `path` out.
    pub fn remove(&mut self, path: &str) {
        if self.kept_at(path).is_some() {
            self.kept -= 1;
            Arc::make_mut(&mut self.changed).insert(path.into(), None);
        }
    }

    /// The search index's files, in place of the last ones.
    pub fn set_search(&mut self, search: Paths) {
        self.search = Arc::new(search);
    }

    /// The pages of the build that made these files.
    pub fn set_pages(&mut self, pages: Pages) {
        self.pages = Some(pages);
    }

    pub fn pages(&self) -> Option<&Pages> {
        self.pages.as_ref()
    }

    fn kept_at(&self, path: &str) -> Option<&Served> {
        match self.changed.get(path) {
            Some(now) => now.as_ref(),
            None => self.base.get(path),
        }
    }

    /// Takes the changed paths into the base once they are an eighth of it: a save then
    /// copies a few paths, and every path is copied again only after many saves (or a change
    /// to the theme, which makes every file again).
    pub fn settle_layers(&mut self) {
        if self.changed.len() <= 64 + self.base.len() / 8 {
            return;
        }
        let changed = std::mem::take(&mut self.changed);
        let changed = Arc::try_unwrap(changed).unwrap_or_else(|shared| (*shared).clone());
        let base = Arc::make_mut(&mut self.base);
        for (path, now) in changed {
            match now {
                Some(served) => drop(base.insert(path, served)),
                None => drop(base.remove(&path)),
            }
        }
    }
}

/// The pages of a build (every output but theme files, attachments and the search index),
/// rendered when asked for, as the build would write them.
#[derive(Clone)]
pub struct Pages {
    prepared: Arc<Prepared>,
    /// Where each page is in the plan, by path.
    at: Arc<HashMap<Arc<str>, usize>>,
}

impl Pages {
    /// The pages of `prepared`; `at` from [`Pages::index`] of its plan, or of an equal one.
    pub fn new(prepared: Arc<Prepared>, at: Arc<HashMap<Arc<str>, usize>>) -> Pages {
        Pages { prepared, at }
    }

    /// Where each of the `pages` outputs of `plan` is in it, by path.
    pub fn index(plan: &[Planned], pages: impl Fn(&Output) -> bool) -> HashMap<Arc<str>, usize> {
        (plan.iter().enumerate())
            .filter(|(_, p)| pages(&p.output))
            .map(|(i, p)| (Arc::from(p.path.as_str()), i))
            .collect()
    }

    pub fn at(&self) -> &Arc<HashMap<Arc<str>, usize>> {
        &self.at
    }

    /// The page at `path`, rendered now: `None` when there is none, or when its template
    /// fails (it rendered when its build checked it, and nothing it reads changed since).
    fn render(&self, path: &str) -> Option<Vec<u8>> {
        let planned = self.prepared.plan.get(*self.at.get(path)?)?;
        let (env, site) = (self.prepared.env(), &self.prepared.site);
        let rendered = crate::render::render(&env, site, &planned.output, false).ok()?;
        match crate::pipeline::relative_links(site, &planned.path, rendered.content) {
            crate::render::Content::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pages({} paths)", self.at.len())
    }
}

/// What the server shows now.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The last site that built without errors.
    pub files: Files,
    /// The diagnostics of the last build (errors mean `files` is from an earlier build).
    pub diags: Arc<Vec<Diagnostic>>,
    pub version: u64,
    /// Everything of this version is in `files` (the search index comes after the pages).
    pub settled: bool,
}

impl Snapshot {
    pub fn failed(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

/// The shared, changing site: readers take snapshots, the watcher publishes new ones.
#[derive(Debug, Default)]
pub struct Live {
    now: Mutex<Snapshot>,
    changed: Condvar,
}

impl Live {
    pub fn snapshot(&self) -> Snapshot {
        self.now.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Publishes a build: new files when it succeeded, its diagnostics either way; open
    /// pages reload.
    pub fn publish(&self, files: Option<Files>, diags: Vec<Diagnostic>, settled: bool) {
        let mut spent = None;
        if let Ok(mut now) = self.now.lock() {
            if let Some(files) = files {
                spent = Some(std::mem::replace(&mut now.files, files));
            }
            now.diags = Arc::new(diags);
            now.version += 1;
            now.settled = settled;
        }
        self.changed.notify_all();
        if let Some(spent) = spent {
            crate::pipeline::free_elsewhere(spent);
        }
    }

    /// Puts in what a build made after its pages (the search index), without a reload.
    pub fn settle(&self, files: Files) {
        let mut spent = None;
        if let Ok(mut now) = self.now.lock() {
            spent = Some(std::mem::replace(&mut now.files, files));
            now.settled = true;
        }
        // The last index's files may be the last of them: freed on another thread.
        if let Some(spent) = spent {
            crate::pipeline::free_elsewhere(spent);
        }
    }

    /// Waits until the version is no longer `seen`, at most `timeout`; the version then.
    pub fn wait_past(&self, seen: u64, timeout: Duration) -> u64 {
        let Ok(now) = self.now.lock() else {
            return seen;
        };
        self.changed
            .wait_timeout_while(now, timeout, |s| s.version == seen)
            .map_or(seen, |(s, _)| s.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(files: &Files, path: &str) -> Option<Vec<u8>> {
        match files.get(path)? {
            Served::Bytes(b) => Some(b.to_vec()),
            Served::File(_) => None,
        }
    }

    #[test]
    fn a_files_copy_keeps_what_it_held_while_the_files_change_and_settle() {
        let mut files = Files::default();
        for i in 0..200 {
            files.insert(&format!("{i}.css"), Served::Bytes(Arc::from(&b"a"[..])));
        }
        files.settle_layers();
        let before = files.clone();
        files.insert("0.css", Served::Bytes(Arc::from(&b"b"[..])));
        files.insert("new.css", Served::Bytes(Arc::from(&b"c"[..])));
        files.remove("1.css");
        files.remove("gone.css");
        assert_eq!(bytes(&before, "0.css").as_deref(), Some(&b"a"[..]));
        assert!(before.contains_key("1.css") && !before.contains_key("new.css"));
        assert_eq!(before.len(), 200);
        for settled in [false, true] {
            if settled {
                (0..100).for_each(|i| files.insert(&format!("{i}.js"), Served::File("x".into())));
                files.settle_layers();
                assert!(files.changed.is_empty(), "many changes go into the base");
            }
            assert_eq!(bytes(&files, "0.css").as_deref(), Some(&b"b"[..]));
            assert!(files.contains_key("new.css") && !files.contains_key("1.css"));
            assert_eq!(files.len(), 200 + usize::from(settled) * 100);
            assert_eq!(files.all().len(), files.len());
        }
        let mut search = Paths::default();
        search.insert("search/meta.json".into(), Served::File("m".into()));
        files.set_search(search);
        assert!(files.contains_key("search/meta.json") && files.len() == 301);
    }
}
