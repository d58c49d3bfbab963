//! The preview's search index, made after the pages on threads of their own: at 100,000
//! pages it takes seconds, and a save that comes meanwhile is rebuilt and shown without
//! waiting for it. Those threads run at a lower priority than the rebuild's, an index whose
//! build a later one replaced stops at its next file, and the index of the latest build is
//! made once the threads are free.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};

use super::live::{Paths, Served};
use crate::pipeline::Prepared;
use crate::render::search::DocCache;

/// The search index of the latest build that needs one, and the job making one.
#[derive(Default)]
pub struct Indexing {
    /// The pages' documents, kept between indexes; with the job while one runs.
    docs: Option<DocCache>,
    /// The documents are of an earlier theme or language: made again, all of them.
    forget: bool,
    /// The build (its number, and the site) whose index is not made yet.
    wanted: Option<(u64, Arc<Prepared>)>,
    job: Option<Job>,
    threads: Option<Arc<rayon::ThreadPool>>,
}

/// An index being made for build `build`.
struct Job {
    build: u64,
    stop: Arc<AtomicBool>,
    done: Receiver<(DocCache, Option<Paths>)>,
}

impl Indexing {
    /// Asks for the index of build number `build`; a job for an earlier build is told to stop.
    pub fn want(&mut self, build: u64, prepared: Arc<Prepared>) {
        if let Some(job) = self.job.as_ref().filter(|j| j.build != build) {
            job.stop.store(true, Ordering::Relaxed);
        }
        self.wanted = Some((build, prepared));
    }

    /// Whether an index is wanted or being made.
    pub fn busy(&self) -> bool {
        self.wanted.is_some() || self.job.is_some()
    }

    /// The documents kept so far are dropped (the theme or the language changed).
    pub fn forget_docs(&mut self) {
        self.docs = None;
        // A job running has documents of the old ones: they are dropped when it ends.
        self.forget = self.job.is_some();
    }

    /// The wanted index once a job has made it, without waiting; starts the job the wanted
    /// index needs when none runs.
    pub fn poll(&mut self) -> Option<Paths> {
        let made = match self.job.as_ref().map(|j| j.done.try_recv()) {
            Some(Ok(done)) => self.finished(done),
            Some(Err(TryRecvError::Disconnected)) => {
                // The job ended without a word (it cannot, short of a bug): not started again.
                (self.job, self.wanted) = (None, None);
                None
            }
            Some(Err(TryRecvError::Empty)) => return None,
            None => None,
        };
        if made.is_none() && self.job.is_none() {
            self.start();
        }
        made
    }

    /// The wanted index, made here and now (after any job running ends): the first build's,
    /// and the tests'.
    pub fn now(&mut self) -> Option<Paths> {
        if let Some(job) = &self.job {
            let done = job.done.recv().unwrap_or_default();
            if let Some(made) = self.finished(done) {
                return Some(made);
            }
        }
        let (_, prepared) = self.wanted.take()?;
        let mut docs = self.docs.take().unwrap_or_default();
        let made = make(&prepared, &mut docs, &AtomicBool::new(false));
        self.docs = Some(docs);
        made
    }

    /// Takes what a job handed back: its documents, and its index when it is the wanted one.
    fn finished(&mut self, (docs, made): (DocCache, Option<Paths>)) -> Option<Paths> {
        let job = self.job.take()?;
        self.docs = (!std::mem::take(&mut self.forget)).then_some(docs);
        let wanted = self.wanted.as_ref().is_some_and(|(b, _)| *b == job.build);
        let made = made.filter(|_| wanted)?;
        self.wanted = None;
        Some(made)
    }

    /// Starts making the wanted index on the index threads.
    fn start(&mut self) {
        let Some((build, prepared)) = self.wanted.clone() else {
            return;
        };
        let threads = match &self.threads {
            Some(t) => Arc::clone(t),
            None => match index_threads() {
                Some(t) => Arc::clone(self.threads.insert(Arc::new(t))),
                None => return,
            },
        };
        let (sent, done) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let mut docs = self.docs.take().unwrap_or_default();
        let stopped = Arc::clone(&stop);
        threads.spawn(move || {
            let made = make(&prepared, &mut docs, &stopped);
            let _ = sent.send((docs, made));
        });
        self.job = Some(Job { build, stop, done });
    }
}

/// The search index of `prepared`, from the documents kept in `docs`; `None` when `stop` was
/// set before it was done.
fn make(prepared: &Prepared, docs: &mut DocCache, stop: &AtomicBool) -> Option<Paths> {
    let files = Mutex::new(Paths::default());
    let keep = |path: String, bytes: Vec<u8>| {
        if stop.load(Ordering::Relaxed) {
            return Err(stopped());
        }
        let mut files = files.lock().unwrap_or_else(PoisonError::into_inner);
        files.insert(path.into(), Served::Bytes(bytes.into()));
        Ok(())
    };
    let strings = &prepared.renderer.strings;
    let made = crate::render::search::index_reusing(&prepared.site, strings, docs, &keep);
    let files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    made.ok().map(|()| files)
}

/// Why a job stopped: never shown, the job's work is dropped.
fn stopped() -> crate::error::Error {
    crate::error::Error::Io {
        action: "write",
        path: "search".into(),
        source: std::io::ErrorKind::Interrupted.into(),
    }
}

/// The threads that make the index: as many as there are cores, each at a lower priority
/// than the rebuild's, so a save is not slowed by the index of the last one.
fn index_threads() -> Option<rayon::ThreadPool> {
    let threads = rayon::ThreadPoolBuilder::new()
        .thread_name(|_| "search-index".into())
        .start_handler(|_| lower_priority());
    threads.build().ok()
}

/// Lowers the priority of the calling thread (Linux sets it per thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: `setpriority` takes plain integers; `who == 0` is the calling thread on Linux.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site whose one case is `case`, prepared.
    fn prepared(dir: &std::path::Path, case: &str) -> Arc<Prepared> {
        let text = "---\ntitle: 案\ndate: 2024-01-02\n---\n案情。\n";
        let args = crate::serve::testutil::site_on_disk(dir, &[(case.into(), text.into())]);
        let (prepared, diags) = crate::pipeline::prepare(&args).unwrap();
        assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
        Arc::new(prepared.unwrap())
    }

    /// Whether some file of `index` names `text`.
    fn names(index: &Paths, text: &str) -> bool {
        index.values().any(|s| match s {
            Served::Bytes(b) => String::from_utf8_lossy(b).contains(text),
            Served::File(_) => false,
        })
    }

    #[test]
    fn the_index_of_a_build_replaced_while_it_was_made_is_not_given() {
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut indexing = Indexing::default();
        indexing.want(1, prepared(one.path(), "cases/first.md"));
        assert!(
            indexing.poll().is_none() && indexing.busy(),
            "started, not done"
        );
        indexing.want(2, prepared(two.path(), "cases/second.md"));
        let made = loop {
            if let Some(made) = indexing.poll() {
                break made;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        assert!(names(&made, "cases/second/") && !names(&made, "cases/first/"));
        assert!(!indexing.busy() && indexing.poll().is_none());
        indexing.want(3, prepared(one.path(), "cases/third.md"));
        let now = indexing.now().unwrap();
        assert!(names(&now, "cases/third/"));
    }
}
