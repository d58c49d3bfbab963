//! Write stage: build into a temporary folder beside the output, then swap it in; refuse any
//! output folder whose replacement could destroy something that is not ours.

use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::error::{Error, Result};
use crate::fsio;
use crate::types::HashSet;

/// The file that marks a folder as qinglian's output (safe to replace).
pub const MARKER: &str = ".qinglian-output";

/// An output folder that passed [`Target::check`]: its real, normalised path, safe to replace.
/// Only a `Target` can be staged into, so nothing is created before the check.
#[derive(Debug, Clone)]
pub struct Target {
    path: PathBuf,
}

/// A temporary output folder being filled; dropped without [`Staging::commit`], it is removed.
#[derive(Debug)]
pub struct Staging {
    tmp: PathBuf,
    out: PathBuf,
    committed: bool,
    /// The folders made so far (relative, as written), so each is made once and not asked
    /// for again per file.
    made: Mutex<HashSet<String>>,
}

impl Target {
    /// Resolves `out` (absolute, `.` and `..` gone, symlinks followed; nothing created) and
    /// refuses a folder that is, holds or lies inside the site's own files, a file, or a
    /// non-empty folder we did not write.
    pub fn check(root: &Path, out: &Path) -> Result<Target> {
        let root = fsio::resolve(root)?;
        let path = fsio::resolve(out)?;
        let content = fsio::resolve(&root.join("content"))?;
        let themes = fsio::resolve(&root.join("themes"))?;
        let shown = shown(out, &path);
        for protected in [&root, &content, &themes] {
            if protected.starts_with(&path) {
                return Err(Error::usage(crate::msg!(
                    "output.would_replace",
                    out = &shown,
                    what = protected.display()
                )));
            }
        }
        if path.starts_with(&content) || path.starts_with(&themes) {
            return Err(Error::usage(crate::msg!("output.inside", out = &shown)));
        }
        if path.parent().is_none() {
            return Err(Error::usage(crate::msg!("output.no_parent")));
        }
        replaceable(&path)?;
        Ok(Target { path })
    }

    /// The resolved output folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The resolved path, and what was asked for when that differs (`public/../content`).
fn shown(asked: &Path, resolved: &Path) -> String {
    if asked == resolved {
        resolved.display().to_string()
    } else {
        format!("{} (--out {})", resolved.display(), asked.display())
    }
}

/// Refuses to replace a file, or a non-empty folder without our marker.
fn replaceable(path: &Path) -> Result<()> {
    if !fsio::lexists(path) {
        return Ok(());
    }
    if !fsio::is_real_dir(path) {
        return Err(Error::usage(crate::msg!(
            "output.is_file",
            out = path.display()
        )));
    }
    if fsio::dir_has_entries(path)? && !is_ours(path) {
        return Err(Error::usage(crate::msg!(
            "output.foreign",
            out = path.display(),
            marker = MARKER
        )));
    }
    Ok(())
}

/// A real folder carrying our marker file.
fn is_ours(path: &Path) -> bool {
    fsio::is_real_dir(path) && path.join(MARKER).is_file()
}

/// A free name `OUT.<tag>-<pid>` (or `-<pid>-<n>`) beside `out`. A leftover folder of that
/// name is removed only when it is ours or empty; anything else is left alone and skipped.
fn sibling(out: &Path, tag: &str) -> Result<PathBuf> {
    let parent = out.parent().unwrap_or(out);
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let pid = std::process::id();
    for n in 0..100 {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let path = parent.join(format!("{name}.{tag}-{pid}{suffix}"));
        if !fsio::lexists(&path) {
            return Ok(path);
        }
        if is_ours(&path) || (fsio::is_real_dir(&path) && !fsio::dir_has_entries(&path)?) {
            fsio::remove_dir_all(&path)?;
            return Ok(path);
        }
    }
    Err(Error::usage(crate::msg!(
        "output.no_temp_name",
        out = out.display(),
        name = name,
        tag = tag
    )))
}

impl Staging {
    /// Creates `OUT.tmp-<pid>` (marked as ours) beside the checked target; fails (exit 2) when
    /// the parent is not writable.
    pub fn create(target: &Target) -> Result<Staging> {
        let out = target.path.clone();
        if let Some(parent) = out.parent() {
            fsio::create_dir_all(parent)?;
        }
        let tmp = sibling(&out, "tmp")?;
        fsio::create_dir(&tmp)?;
        let staging = Staging {
            tmp,
            out,
            committed: false,
            made: Mutex::default(),
        };
        fsio::write(
            &staging.tmp.join(MARKER),
            b"This folder is written by qinglian build and replaced on every build.\n",
        )?;
        Ok(staging)
    }

    /// Writes one output file at a path relative to the output folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        fsio::write_file(&self.place(rel)?, bytes)
    }

    /// Copies a file from the site (an attachment) to a path relative to the output folder.
    pub fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        fsio::copy(from, &self.place(rel)?)
    }

    /// The path of `rel` in the temporary folder, with its folder made.
    fn place(&self, rel: &str) -> Result<PathBuf> {
        let path = self.tmp.join(safe_relative(rel)?);
        // Folders are known by their text (`rel` has only plain parts): hashing a `Path`
        // splits it into its parts first, once per file written.
        let (Some((folder, _)), Some(parent)) = (rel.rsplit_once('/'), path.parent()) else {
            return Ok(path);
        };
        let lock = || self.made.lock().unwrap_or_else(PoisonError::into_inner);
        if !lock().contains(folder) {
            fsio::create_dir_all(parent)?;
            lock().insert(folder.to_owned());
        }
        Ok(path)
    }

    /// Swaps the new folder in place of the old output, checking again that the old one is
    /// still ours to replace.
    pub fn commit(mut self) -> Result<()> {
        replaceable(&self.out)?;
        if !fsio::lexists(&self.out) {
            fsio::rename(&self.tmp, &self.out)?;
            self.committed = true;
            return Ok(());
        }
        let old = sibling(&self.out, "old")?;
        swap(&self.tmp, &self.out, &old, &fsio::rename)?;
        self.committed = true;
        fsio::remove_tree(&old).map_err(|e| {
            Error::usage(crate::msg!(
                "output.old_left",
                out = self.out.display(),
                old = old.display()
            ))
            .with_cause(&e)
        })
    }
}

/// Moves `out` aside to `old` and `tmp` into `out`; when the second move fails, moves `old`
/// back, and says whether that worked or where the previous output now is.
fn swap(tmp: &Path, out: &Path, old: &Path, mv: &dyn Fn(&Path, &Path) -> Result<()>) -> Result<()> {
    mv(out, old)?;
    let Err(cause) = mv(tmp, out) else {
        return Ok(());
    };
    let restored = mv(old, out).is_ok();
    Err(Error::Swap {
        out: out.to_path_buf(),
        previous: if restored { out } else { old }.to_path_buf(),
        restored,
        source: Box::new(cause),
    })
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// A relative output path made only of plain components: nothing can climb out.
pub fn safe_relative(rel: &str) -> Result<PathBuf> {
    let path = Path::new(rel);
    let ok = !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(path.to_path_buf())
    } else {
        Err(Error::usage(crate::msg!("output.outside", rel = rel)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        assert!(safe_relative("cases/a/index.html").is_ok());
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("a/../../b").is_err());
    }

    fn check(root: &Path, out: &Path) -> Result<Target> {
        Target::check(root, out)
    }

    #[test]
    fn protected_targets_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check(root, root).is_err());
        assert!(check(root, &root.join("content")).is_err());
        assert!(check(root, &root.join("themes")).is_err());
        assert!(check(root, root.parent().unwrap()).is_err());
        assert!(check(root, &root.join("public/../content")).is_err());
        assert!(check(root, &root.join("public/../themes/x")).is_err());
        assert!(check(root, &root.join("a/b/../../..")).is_err());
        assert!(check(root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/keep.txt"), "x").unwrap();
        assert!(check(root, &root.join("docs")).is_err());
        assert!(check(root, &root.join("public/../docs")).is_err());
        assert!(!root.join("public").exists(), "checking creates nothing");
    }

    #[test]
    fn the_checked_target_is_the_resolved_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        let target = check(&root, &root.join("x/./../new/../public")).unwrap();
        assert_eq!(target.path(), root.join("public"));
    }

    fn target(out: &Path) -> Target {
        Target {
            path: out.to_path_buf(),
        }
    }

    #[test]
    fn staging_swaps_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::create(&target(&out)).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        assert!(out.join(MARKER).is_file());
        let s = Staging::create(&target(&out)).unwrap();
        s.write("b.html", b"two").unwrap();
        drop(s);
        assert!(
            out.join("a/index.html").exists(),
            "an abandoned build leaves the old output"
        );
        let s = Staging::create(&target(&out)).unwrap();
        s.write("c.html", b"three").unwrap();
        s.commit().unwrap();
        assert!(out.join("c.html").exists() && !out.join("a").exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp folder left behind"
        );
    }

    #[test]
    fn leftover_temp_folders_not_ours_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let pid = std::process::id();
        let theirs = dir.path().join(format!("public.tmp-{pid}"));
        std::fs::create_dir_all(&theirs).unwrap();
        std::fs::write(theirs.join("keep.txt"), "mine").unwrap();
        let ours = dir.path().join(format!("public.tmp-{pid}-1"));
        std::fs::create_dir_all(&ours).unwrap();
        std::fs::write(ours.join(MARKER), "").unwrap();
        std::fs::write(ours.join("stale.html"), "").unwrap();
        let s = Staging::create(&target(&out)).unwrap();
        assert_eq!(s.tmp, ours, "ours is reused, theirs skipped");
        assert!(!ours.join("stale.html").exists());
        s.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(theirs.join("keep.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn commit_checks_again_before_replacing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::create(&target(&out)).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("keep.txt"), "appeared meanwhile").unwrap();
        assert!(matches!(s.commit(), Err(Error::Usage(_))));
        assert!(out.join("keep.txt").is_file());
    }

    /// A fake move that fails for the sources in `failing`, else renames.
    fn failing_mv(failing: Vec<PathBuf>) -> impl Fn(&Path, &Path) -> Result<()> {
        move |from: &Path, to: &Path| {
            if failing.iter().any(|f| f == from) {
                Err(Error::usage(format!("cannot move {}", from.display())))
            } else {
                fsio::rename(from, to)
            }
        }
    }

    fn swap_fixture() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let (tmp, out, old) = (
            dir.path().join("p.tmp"),
            dir.path().join("p"),
            dir.path().join("p.old"),
        );
        std::fs::create_dir_all(&tmp).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.html"), "previous").unwrap();
        (dir, tmp, out, old)
    }

    #[test]
    fn a_failed_swap_puts_the_previous_output_back() {
        let (_dir, tmp, out, old) = swap_fixture();
        let err = swap(&tmp, &out, &old, &failing_mv(vec![tmp.clone()])).unwrap_err();
        assert!(matches!(err, Error::Swap { restored: true, .. }), "{err}");
        assert!(err.to_string().contains("put back"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        assert!(!old.exists());
    }

    #[test]
    fn a_failed_swap_that_cannot_restore_says_where_the_output_is() {
        let (_dir, tmp, out, old) = swap_fixture();
        let mv = failing_mv(vec![tmp.clone(), old.clone()]);
        let err = swap(&tmp, &out, &old, &mv).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Swap {
                    restored: false,
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            err.to_string().contains(&old.display().to_string()),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(old.join("index.html")).unwrap(),
            "previous"
        );
    }
}
