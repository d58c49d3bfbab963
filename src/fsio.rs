//! File-system helpers: every call names the path it touches, so no error is anonymous.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Io {
        action,
        path,
        source,
    }
}

pub fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(io_err("read", path))
}

/// Checks that `path` is a file that can be opened for reading (a library about to read it
/// would name the problem in its own words).
pub fn open_check(path: &Path) -> Result<()> {
    let file = fs::File::open(path).map_err(io_err("read", path))?;
    let meta = file.metadata().map_err(io_err("read", path))?;
    match meta.is_dir() {
        true => Err(io_err("read", path)(io::Error::from(
            io::ErrorKind::IsADirectory,
        ))),
        false => Ok(()),
    }
}

/// Reads at most `limit` bytes of `path`, with the file's metadata as it was opened (when the
/// system gives it): `None` when the file is larger.
pub fn read_limited(path: &Path, limit: u64) -> Result<Option<(Vec<u8>, Option<fs::Metadata>)>> {
    use std::io::Read as _;
    let file = fs::File::open(path).map_err(io_err("read", path))?;
    let meta = file.metadata().ok();
    // Sized from the file, so a file is read in one call and not in growing pieces.
    let size = meta.as_ref().map_or(0, fs::Metadata::len).min(limit);
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err("read", path))?;
    Ok((bytes.len() as u64 <= limit).then_some((bytes, meta)))
}

/// Writes `bytes` to `path`, creating missing parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    write_file(path, bytes)
}

/// Writes `bytes` to `path`, whose folder exists.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(io_err("write", path))
}

/// Writes a new file, refusing to replace one that exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                Error::usage(crate::msg!("fsio.exists", path = path.display()))
            }
            _ => io_err("create", path)(e),
        })?;
    file.write_all(bytes).map_err(io_err("write", path))
}

/// Copies `from` to `to`, creating missing parent folders.
pub fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    fs::copy(from, to).map(|_| ()).map_err(io_err("copy", from))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).map_err(io_err("create folder", path))
}

pub fn create_dir(path: &Path) -> Result<()> {
    fs::create_dir(path).map_err(io_err("create folder", path))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    fs::remove_dir_all(path).map_err(io_err("remove", path))
}

/// Like [`remove_dir_all`], removing the folder's entries in parallel: an old output is tens
/// of thousands of files. Symbolic links are removed, never followed.
pub fn remove_tree(path: &Path) -> Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = fs::read_dir(path)
        .map_err(io_err("remove", path))?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()
        .map_err(io_err("remove", path))?;
    entries.par_iter().try_for_each(|entry| {
        if is_real_dir(entry) {
            remove_dir_all(entry)
        } else {
            fs::remove_file(entry).map_err(io_err("remove", entry))
        }
    })?;
    fs::remove_dir(path).map_err(io_err("remove", path))
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(io_err("move", from))
}

pub fn canonicalize(path: &Path) -> Result<PathBuf> {
    fs::canonicalize(path).map_err(io_err("resolve", path))
}

/// True when something (a file, a folder, even a dangling link) is at `path`; links are not
/// followed.
pub fn lexists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// True when `path` is itself a folder, not a link to one.
pub fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// True when `path` is itself a file, not a link to one.
pub fn is_real_file(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Whether the file at `path` begins with the bytes `magic` (a shorter file does not).
pub fn begins_with(path: &Path, magic: &[u8]) -> Result<bool> {
    use std::io::Read as _;
    let file = fs::File::open(path).map_err(io_err("read", path))?;
    let mut head = Vec::with_capacity(magic.len());
    file.take(magic.len() as u64)
        .read_to_end(&mut head)
        .map_err(io_err("read", path))?;
    Ok(head == magic)
}

/// Opens `path` for reading only if it really is a regular file inside the folder `inside`
/// (given resolved): every link on the way resolved first, the file itself opened without
/// following a link and without waiting on a FIFO, checked again once open. The file and
/// its length.
pub fn open_inside(path: &Path, inside: &Path) -> Result<(fs::File, u64)> {
    let refused = |kind: io::ErrorKind| io_err("read", path)(io::Error::from(kind));
    let real = fs::canonicalize(path).map_err(io_err("read", path))?;
    if !real.starts_with(inside) {
        return Err(refused(io::ErrorKind::PermissionDenied));
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(&real).map_err(io_err("read", path))?;
    let meta = file.metadata().map_err(io_err("read", path))?;
    if !meta.is_file() {
        return Err(refused(io::ErrorKind::InvalidInput));
    }
    // Where the open file really is: a folder on the way swapped for a link meanwhile shows.
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let at = fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()));
        if at.is_ok_and(|at| !at.starts_with(inside)) {
            return Err(refused(io::ErrorKind::PermissionDenied));
        }
    }
    Ok((file, meta.len()))
}

/// Reads an opened file of `len` bytes (named `path` in errors) to its end, at most `len`.
pub fn read_open(file: fs::File, path: &Path, len: u64) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(len)
        .read_to_end(&mut bytes)
        .map_err(io_err("read", path))?;
    Ok(bytes)
}

/// The entries of folder `path`, in no particular order.
pub fn read_dir(path: &Path) -> Result<Vec<fs::DirEntry>> {
    let entries = fs::read_dir(path).map_err(io_err("list", path))?;
    entries
        .collect::<io::Result<Vec<_>>>()
        .map_err(io_err("list", path))
}

/// True when `path` is a folder with at least one entry.
pub fn dir_has_entries(path: &Path) -> Result<bool> {
    let mut entries = fs::read_dir(path).map_err(io_err("list", path))?;
    Ok(entries.next().is_some())
}

/// Makes `path` absolute against the current directory without touching the disk.
pub fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(io_err("resolve", path))
}

/// Where `path` really points, without creating anything: made absolute, `.` dropped, and
/// every existing component replaced by its real path (symlinks followed), so that `..`
/// climbs out of the folder a link really names. Once a component does not exist, the rest
/// is normalised lexically (`missing/..` cancels out, and the walk goes back on disk).
/// A dangling symlink, or a component that is a file, is an error naming the path.
pub fn resolve(path: &Path) -> Result<PathBuf> {
    use std::path::Component;
    let abs = absolute(path)?;
    let mut real = PathBuf::new();
    let mut missing: Vec<&std::ffi::OsStr> = Vec::new();
    for component in abs.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => real.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                if missing.pop().is_none() {
                    real.pop();
                }
            }
            Component::Normal(name) if missing.is_empty() => {
                match resolve_step(&real.join(name))? {
                    Some(next) => real = next,
                    None => missing.push(name),
                }
            }
            Component::Normal(name) => missing.push(name),
        }
    }
    real.extend(missing);
    Ok(real)
}

/// The real path of `path` whose parent is already real, or `None` when nothing is there.
fn resolve_step(path: &Path) -> Result<Option<PathBuf>> {
    match fs::canonicalize(path) {
        Ok(real) => Ok(Some(real)),
        Err(e) if e.kind() == io::ErrorKind::NotFound && fs::symlink_metadata(path).is_err() => {
            Ok(None)
        }
        Err(e) => Err(io_err("resolve", path)(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_normalises_and_follows_links_without_creating_anything() {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(base.join("site/content/pages")).unwrap();
        let r = |rel: &str| resolve(&base.join(rel)).unwrap();
        assert_eq!(r("site/public/../content"), base.join("site/content"));
        assert_eq!(r("site/./a/b/../../themes"), base.join("site/themes"));
        assert_eq!(r("site/x/../.."), base.clone());
        assert_eq!(r("site/new/deeper/out"), base.join("site/new/deeper/out"));
        assert_eq!(r("site/content/pages/../.."), base.join("site"));
        assert!(!base.join("site/public").exists(), "nothing is created");
        assert!(!base.join("site/x").exists(), "nothing is created");

        std::os::unix::fs::symlink(base.join("site/content/pages"), base.join("link")).unwrap();
        assert_eq!(r("link"), base.join("site/content/pages"));
        assert_eq!(
            r("link/../x"),
            base.join("site/content/x"),
            "`..` after a link is physical"
        );
        assert_eq!(r("link/missing/../.."), base.join("site/content"));

        std::os::unix::fs::symlink(base.join("gone"), base.join("dangling")).unwrap();
        assert!(
            resolve(&base.join("dangling/out")).is_err(),
            "a dangling link"
        );
        fs::write(base.join("file"), "x").unwrap();
        assert!(
            resolve(&base.join("file/out")).is_err(),
            "a file on the way"
        );
    }

    #[test]
    fn only_regular_files_inside_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        let content = base.join("content");
        fs::create_dir_all(content.join("pages")).unwrap();
        fs::write(content.join("pages/a.pdf"), "inside").unwrap();
        fs::write(base.join("secret"), "outside").unwrap();
        std::os::unix::fs::symlink(content.join("pages/a.pdf"), content.join("in.pdf")).unwrap();
        std::os::unix::fs::symlink(base.join("secret"), content.join("out.pdf")).unwrap();
        std::os::unix::fs::symlink(&base, content.join("up")).unwrap();
        let open = |rel: &str| open_inside(&content.join(rel), &content).map(|(_, n)| n);
        assert_eq!(open("pages/a.pdf").unwrap(), 6);
        assert_eq!(open("in.pdf").unwrap(), 6, "a link to a file inside");
        for bad in [
            "out.pdf",
            "up/secret",
            "pages",
            "pages/../../secret",
            "missing.pdf",
        ] {
            assert!(open(bad).is_err(), "{bad}");
        }
        let fifo = std::ffi::CString::new(content.join("fifo").to_str().unwrap()).unwrap();
        // SAFETY: a plain call with a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        assert!(
            open("fifo").is_err(),
            "a FIFO is refused without waiting for a writer"
        );
    }

    #[test]
    fn resolve_makes_relative_paths_absolute() {
        let resolved = resolve(Path::new("no-such-folder/../also-missing")).unwrap();
        assert!(resolved.is_absolute());
        assert!(resolved.ends_with("also-missing"));
        assert!(!resolved.to_string_lossy().contains(".."));
    }
}
