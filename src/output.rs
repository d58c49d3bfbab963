//! Write stage: build into a temporary folder beside the output, then swap it in; refuse any
//! output folder whose replacement could destroy something that is not ours.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsio;

/// The file that marks a folder as qinglian's output (safe to replace).
pub const MARKER: &str = ".qinglian-output";

/// A temporary output folder being filled; dropped without [`Staging::commit`], it is removed.
#[derive(Debug)]
pub struct Staging {
    tmp: PathBuf,
    out: PathBuf,
    committed: bool,
}

/// Refuses output folders that are, or contain, the site's own files, or that hold files we
/// did not write.
pub fn check_target(root: &Path, out: &Path) -> Result<()> {
    let root = fsio::absolute(root)?;
    let out = fsio::absolute(out)?;
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let out = canonical_or_self(&out);
    for protected in [root.clone(), root.join("content"), root.join("themes")] {
        if out == protected || protected.starts_with(&out) {
            return Err(Error::usage(format!(
                "refusing to write the site into {}: it would replace {}",
                out.display(),
                protected.display()
            )));
        }
    }
    if out.starts_with(root.join("content")) || out.starts_with(root.join("themes")) {
        return Err(Error::usage(format!(
            "refusing to write the site inside content/ or themes/: {}",
            out.display()
        )));
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(Error::usage(format!(
                "output path {} is a file, not a folder",
                out.display()
            )));
        }
        if fsio::dir_has_entries(&out)? && !out.join(MARKER).is_file() {
            return Err(Error::usage(format!(
                "refusing to replace {}: it is not empty and was not written by qinglian (no {MARKER} file); choose another --out or empty it yourself",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Resolves symlinks in the longest existing prefix, so `out/../x` comparisons are honest.
fn canonical_or_self(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => canonical_or_self(parent).join(name),
        _ => path.to_path_buf(),
    }
}

impl Staging {
    /// Creates `OUT.tmp-<pid>` beside `out`; fails (exit 2) when the parent is not writable.
    pub fn create(out: &Path) -> Result<Staging> {
        let out = fsio::absolute(out)?;
        let parent = out
            .parent()
            .ok_or_else(|| Error::usage("the output folder has no parent folder"))?;
        fsio::create_dir_all(parent)?;
        let name = out
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let tmp = parent.join(format!("{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            fsio::remove_dir_all(&tmp)?;
        }
        fsio::create_dir(&tmp)?;
        Ok(Staging {
            tmp,
            out,
            committed: false,
        })
    }

    /// Writes one output file at a path relative to the output folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        fsio::write(&self.tmp.join(safe_relative(rel)?), bytes)
    }

    /// Copies a file from the site (an attachment) to a path relative to the output folder.
    pub fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        fsio::copy(from, &self.tmp.join(safe_relative(rel)?))
    }

    /// Marks the new folder as ours and swaps it in place of the old output.
    pub fn commit(mut self) -> Result<()> {
        fsio::write(
            &self.tmp.join(MARKER),
            b"This folder is written by qinglian build and replaced on every build.\n",
        )?;
        let old = self.out.with_file_name(format!(
            "{}.old-{}",
            self.out
                .file_name()
                .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_old = self.out.exists();
        if had_old {
            fsio::rename(&self.out, &old)?;
        }
        if let Err(e) = fsio::rename(&self.tmp, &self.out) {
            if had_old {
                let _ = std::fs::rename(&old, &self.out);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            fsio::remove_dir_all(&old)?;
        }
        Ok(())
    }
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
        Err(Error::usage(format!(
            "refusing to write outside the output folder: `{rel}`"
        )))
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

    #[test]
    fn protected_targets_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_target(root, root).is_err());
        assert!(check_target(root, &root.join("content")).is_err());
        assert!(check_target(root, &root.join("themes")).is_err());
        assert!(check_target(root, root.parent().unwrap()).is_err());
        assert!(check_target(root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/keep.txt"), "x").unwrap();
        assert!(check_target(root, &root.join("docs")).is_err());
    }

    #[test]
    fn staging_swaps_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::create(&out).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        let s = Staging::create(&out).unwrap();
        s.write("b.html", b"two").unwrap();
        drop(s);
        assert!(
            out.join("a/index.html").exists(),
            "an abandoned build leaves the old output"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp folder left behind"
        );
    }
}
