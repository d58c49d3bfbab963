//! Watching the site's files: `content/` (with `site.yaml`) and `themes/`, debounced, with
//! editors' temporary and swap files left out, so a save ends in one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::{Error, Result};

/// How long the watcher waits for more events on a path before it reports them: an editor's
/// save (write, or rename-on-save with its backup) takes a millisecond or two. Batches that
/// arrive while a rebuild runs are taken together ([`Batch::merge`]), so a long `git
/// checkout` costs a rebuild or two, not one per file.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// A running watcher and the batches it reports.
pub struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    themes_watched: bool,
    pub batches: Receiver<DebounceEventResult>,
}

/// Starts watching `root/content`, `root/themes` when it exists, and the root itself (not
/// below it) to see a `themes/` folder appear.
pub fn start(root: &Path, unit_content: Option<&Path>) -> Result<Watcher> {
    let (tx, rx) = std::sync::mpsc::channel();
    let debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(|e| watch_error(root, e))?;
    let mut w = Watcher {
        debouncer,
        themes_watched: false,
        batches: rx,
    };
    // A unit's preview watches its own content/ too.
    for content in std::iter::once(root.join("content")).chain(unit_content.map(Path::to_owned)) {
        w.debouncer
            .watch(&content, RecursiveMode::Recursive)
            .map_err(|e| watch_error(&content, e))?;
    }
    w.debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| watch_error(root, e))?;
    w.watch_themes(root)?;
    Ok(w)
}

impl Watcher {
    /// Watches `root/themes` once it exists.
    pub fn watch_themes(&mut self, root: &Path) -> Result<()> {
        let themes = root.join("themes");
        if !self.themes_watched && themes.is_dir() {
            self.debouncer
                .watch(&themes, RecursiveMode::Recursive)
                .map_err(|e| watch_error(&themes, e))?;
            self.themes_watched = true;
        }
        Ok(())
    }
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    let m = crate::msg!("serve.watch_failed", path = path.display());
    Error::usage(m.sub("cause", notify_cause(&e)))
}

/// Why watching failed, in our words.
pub fn notify_cause(e: &notify::Error) -> crate::messages::Msg {
    match &e.kind {
        notify::ErrorKind::Io(io) => crate::error::io_cause(io),
        notify::ErrorKind::PathNotFound => crate::msg!("io.not_found"),
        notify::ErrorKind::MaxFilesWatch => crate::msg!("io.too_many_watches"),
        _ => crate::msg!("io.other"),
    }
}

/// What one debounced batch named, relative to the site root.
#[derive(Debug, Default)]
pub struct Batch {
    /// Files worth a rebuild: editors' leftovers are not.
    pub worth: Vec<PathBuf>,
    /// Every path named under `content/` and `themes/`, leftovers included (a backup such as
    /// `red.md~` is still a file of the site).
    pub touched: Vec<PathBuf>,
    /// The watcher lost nothing: no error, no event asking for a rescan.
    pub complete: bool,
}

impl Batch {
    /// Adds what a later batch named.
    pub fn merge(&mut self, later: Batch) {
        for (mine, theirs) in [
            (&mut self.worth, later.worth),
            (&mut self.touched, later.touched),
        ] {
            mine.extend(theirs);
            mine.sort();
            mine.dedup();
        }
        self.complete &= later.complete;
    }
}

/// What `result` named under `root`.
pub fn changed(root: &Path, result: &DebounceEventResult) -> Batch {
    let units = Path::new(crate::units::FOLDER);
    let Ok(events) = result else {
        return Batch::default();
    };
    let mut touched: Vec<PathBuf> = events
        .iter()
        .filter(|e| !e.kind.is_access())
        .flat_map(|e| e.paths.iter())
        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
        .filter(|p| {
            let in_unit = p.strip_prefix(units).is_ok_and(|rest| {
                let mut parts = rest.components();
                parts.next().is_some() && parts.next().is_some_and(|c| c.as_os_str() == "content")
            });
            p.starts_with("content") || p.starts_with("themes") || in_unit
        })
        .collect();
    touched.sort();
    touched.dedup();
    let worth = touched.iter().filter(|p| !is_scratch(p)).cloned().collect();
    Batch {
        worth,
        touched,
        complete: !events.iter().any(|e| e.need_rescan()),
    }
}

/// Swap, backup and temporary files editors write beside the real one (`.x.md.swp`,
/// `x.md~`, vim's `4913`, `.#x.md`, `x.md.tmp`, `~$x.docx`).
pub fn is_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    let lower = name.to_ascii_lowercase();
    name == "4913"
        || name.ends_with('~')
        || name.starts_with(".#")
        || name.starts_with("~$")
        || name.starts_with(".goutputstream")
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".temp",
            ".bak",
            ".part",
            ".crdownload",
        ]
        .iter()
        .any(|ext| lower.ends_with(ext))
        || name == ".DS_Store"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_scratch_files_are_left_out() {
        for scratch in [
            ".red.md.swp",
            "red.md~",
            "4913",
            ".#red.md",
            "red.md.tmp",
            "~$bank.xlsx",
            ".goutputstream-ABC",
        ] {
            assert!(is_scratch(Path::new(scratch)), "{scratch}");
        }
        for real in ["red.md", "site.yaml", "qinglian.css", "poster.png"] {
            assert!(!is_scratch(Path::new(real)), "{real}");
        }
    }

    #[test]
    fn batches_taken_together_name_every_path_once_and_keep_a_loss() {
        let batch = |paths: &[&str], complete: bool| Batch {
            worth: paths.iter().map(PathBuf::from).collect(),
            touched: paths.iter().map(PathBuf::from).collect(),
            complete,
        };
        let mut all = batch(&["content/b.md", "content/a.md"], true);
        all.merge(batch(&["content/a.md", "themes/x.css"], true));
        assert_eq!(
            all.worth,
            ["content/a.md", "content/b.md", "themes/x.css"].map(PathBuf::from)
        );
        assert!(all.complete);
        all.merge(Batch::default());
        assert!(
            !all.complete,
            "a batch lost to an error makes the next load walk again"
        );
    }
}
