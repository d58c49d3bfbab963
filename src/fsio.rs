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

/// Reads at most `limit` bytes of `path`: `None` when the file is larger.
pub fn read_limited(path: &Path, limit: u64) -> Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let file = fs::File::open(path).map_err(io_err("read", path))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err("read", path))?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Writes `bytes` to `path`, creating missing parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
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
        .map_err(io_err("create", path))?;
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

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(io_err("move", from))
}

pub fn canonicalize(path: &Path) -> Result<PathBuf> {
    fs::canonicalize(path).map_err(io_err("resolve", path))
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
