//! The site as it is served: every output in memory (attachments by path), the diagnostics
//! of the last build, and a version that goes up with each rebuild so open pages reload.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::diag::Diagnostic;
use crate::types::HashMap;

/// One served file: rendered bytes, or an attachment read from disk when asked for.
#[derive(Debug, Clone)]
pub enum Served {
    Bytes(Arc<[u8]>),
    File(PathBuf),
}

/// Every output path of a build and what it holds. Paths are shared, not owned: each rebuild
/// hands the server a copy of the map, and at ten thousand pages copying owned paths took
/// milliseconds of every save.
pub type Files = HashMap<Arc<str>, Served>;

/// What the server shows now.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The last site that built without errors.
    pub files: Arc<Files>,
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
        if let Ok(mut now) = self.now.lock() {
            if let Some(files) = files {
                now.files = Arc::new(files);
            }
            now.diags = Arc::new(diags);
            now.version += 1;
            now.settled = settled;
        }
        self.changed.notify_all();
    }

    /// Puts in what a build made after its pages (the search index), without a reload.
    pub fn settle(&self, files: Files) {
        if let Ok(mut now) = self.now.lock() {
            now.files = Arc::new(files);
            now.settled = true;
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
