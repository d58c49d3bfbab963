//! Load stage: walk `content/`, read each file, split front matter from body, keep line offsets.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Severity};
use crate::error::Result;
use crate::fsio;
use crate::types::{HashMap, HashSet};

/// Markdown files larger than this are refused: no real page is this long, and every later
/// stage's cost grows with it.
pub const MAX_MARKDOWN_BYTES: u64 = 4 * 1024 * 1024;

/// A Markdown file under `content/`, decoded and split.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to `content/`, `/`-separated: `cases/2024/x.md`.
    pub rel: String,
    /// Path relative to the site root, as diagnostics show it: `content/cases/2024/x.md`.
    pub shown: String,
    /// The whole text, BOM removed, CRLF turned into LF.
    pub text: String,
    /// Byte range of the front matter (between the `---` lines) in `text`.
    pub front: std::ops::Range<usize>,
    /// Byte offset of the body in `text`.
    pub body_start: usize,
    /// Byte offset of the start of every line, for O(log n) line lookups: found the first
    /// time a line is asked for (a diagnostic, a question bank), which most files never are.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

/// Files are the same when their paths and texts are (whether lines were looked up is not
/// part of a file).
impl PartialEq for SourceFile {
    fn eq(&self, other: &Self) -> bool {
        (self.rel == other.rel && self.shown == other.shown && self.text == other.text)
            && (self.front == other.front && self.body_start == other.body_start)
    }
}

impl Eq for SourceFile {}

impl SourceFile {
    pub fn front_matter(&self) -> &str {
        self.text.get(self.front.clone()).unwrap_or("")
    }

    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }

    /// Drops the text, as a one-off build does once nothing is left to read it (see
    /// [`crate::pipeline::Reuse::let_go_of_texts`]): the file is then empty.
    pub fn forget_text(&mut self) {
        self.text = String::new();
        self.line_starts = std::sync::OnceLock::new();
        (self.front, self.body_start) = (0..0, 0);
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let lines = self.text.bytes().filter(|&b| b == b'\n').count() + 1;
            let mut starts = Vec::with_capacity(lines);
            starts.push(0);
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// The item id: the path without `.md`.
    pub fn id(&self) -> String {
        self.rel.trim_end_matches(".md").to_owned()
    }

    /// The 1-based file line on which the front matter's first line sits.
    pub fn front_line(&self) -> usize {
        2
    }

    /// The 1-based file line of byte `offset` in `text`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&s| s <= offset).max(1)
    }

    /// The text of 1-based line `line` (without its newline), if there is one.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let starts = self.line_starts();
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts
            .get(line)
            .map_or(self.text.len(), |&e| e.saturating_sub(1));
        self.text.get(start..end.max(start))
    }

    /// A diagnostic at a file line and column.
    pub fn diag(
        &self,
        severity: Severity,
        line: usize,
        col: usize,
        msg: impl Into<crate::messages::Msg>,
    ) -> Diagnostic {
        Diagnostic::on_line(severity, &self.shown, self.line_text(line), line, col, msg)
    }

    /// An error at a 1-based line and column of the front matter.
    pub fn front_diag(
        &self,
        line: usize,
        col: usize,
        msg: impl Into<crate::messages::Msg>,
    ) -> Diagnostic {
        self.diag(Severity::Error, line + self.front_line() - 1, col, msg)
    }

    /// The line and column of top-level or nested key `key` in the front matter, as file
    /// positions; the opening `---` line when the key is absent.
    pub fn key_pos(&self, key: &str) -> (usize, usize) {
        match crate::yaml::find_key(self.front_matter(), key) {
            Some((line, col)) => (line + self.front_line() - 1, col),
            None => (1, 1),
        }
    }

    /// An error located at `key` in the front matter.
    pub fn key_error(&self, key: &str, msg: impl Into<crate::messages::Msg>) -> Diagnostic {
        let (line, col) = self.key_pos(key);
        self.diag(Severity::Error, line, col, msg)
    }

    /// A warning located at `key` in the front matter.
    pub fn key_warning(&self, key: &str, msg: impl Into<crate::messages::Msg>) -> Diagnostic {
        let (line, col) = self.key_pos(key);
        self.diag(Severity::Warning, line, col, msg)
    }
}

/// A file that is not Markdown, copied as is (PDF, image, QR picture).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub rel: String,
    pub abs: PathBuf,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<Arc<SourceFile>>,
    pub assets: Vec<Asset>,
    /// `content/site.yaml`, when present and readable as UTF-8: (shown path, text).
    pub config: Option<(String, String)>,
}

pub const CONFIG_FILE: &str = "site.yaml";

/// Reads the whole `content/` folder. I/O failures on the folder itself are errors (exit 2);
/// problems with individual files are diagnostics.
pub fn load(content: &Path) -> Result<(Loaded, Vec<Diagnostic>)> {
    load_reusing(content, &mut Reuse::one_off())
}

/// What an earlier load found and read, for `serve`: Markdown files are taken again when
/// their size and time are the same and the watcher did not name them. While the watcher has
/// lost nothing since the last load, the last walk is patched with the paths it named instead
/// of walking `content/` again, and unnamed files are taken without a look.
#[derive(Debug, Default, Clone)]
pub struct Reuse {
    files: HashMap<String, (Stamp, Arc<SourceFile>)>,
    listing: Option<Listing>,
    /// Paths the watcher named since the last load, relative to `content/`.
    changed: HashSet<String>,
    /// `changed` names every path that changed since the last load.
    complete: bool,
    /// A single load keeps nothing for a next one (see [`Reuse::one_off`]).
    one_off: bool,
}

impl Reuse {
    /// For a single load: files are read and not filed for a next load.
    pub fn one_off() -> Reuse {
        Reuse {
            one_off: true,
            ..Reuse::default()
        }
    }

    /// Notes paths (relative to `content/`) the watcher named; `complete` is false when it
    /// may have missed some (an error, an overflowing queue), so the next load walks again.
    pub fn note<S: Into<String>>(&mut self, paths: impl IntoIterator<Item = S>, complete: bool) {
        self.changed.extend(paths.into_iter().map(Into::into));
        self.complete &= complete;
    }

    /// The last listing with the named paths applied, when the watcher lost nothing and no
    /// walk is needed (see [`patch`]); the listing is taken either way.
    fn take_patched(&mut self, root: &Path) -> Option<Listing> {
        let last = self.listing.take().filter(|_| self.complete)?;
        patch(root, last, &self.changed)
    }
}

/// Every file a walk found, in walk order, and the files it refused with why.
#[derive(Debug, Clone)]
struct Listing {
    found: Vec<Found>,
    refused: Vec<(String, Diagnostic)>,
}

/// A file's size and modification time.
type Stamp = (u64, Option<std::time::SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    std::fs::symlink_metadata(path).ok().as_ref().map(stamp_of)
}

fn stamp_of(m: &std::fs::Metadata) -> Stamp {
    (m.len(), m.modified().ok())
}

/// Like [`load`], reusing unchanged Markdown files of `reuse`, which it then updates.
pub fn load_reusing(content: &Path, reuse: &mut Reuse) -> Result<(Loaded, Vec<Diagnostic>)> {
    let root = fsio::canonicalize(content)?;
    let patched = reuse.take_patched(&root);
    let trusted = patched.is_some();
    let listing = match patched {
        Some(l) => l,
        None => walk(&root)?,
    };
    let read: Vec<_> = listing
        .found
        .par_iter()
        .with_max_len(crate::types::ITEMS_PER_TASK)
        .map(|(rel, abs)| read_reusing(reuse, trusted, rel, abs))
        .collect();
    let mut diags: Vec<Diagnostic> = listing.refused.iter().map(|(_, d)| d.clone()).collect();
    let mut loaded = Loaded::default();
    let mut files = filed_before(reuse, trusted);
    for item in read {
        let (entry, stamp) = item?;
        let (file, fresh) = match entry {
            Entry::Markdown(Ok(file)) => (Arc::new(file), true),
            Entry::Reused(file) => (file, !trusted),
            Entry::Markdown(Err(d)) => {
                diags.push(d);
                continue;
            }
            Entry::Config(text) => {
                loaded.config = Some((shown(CONFIG_FILE), text));
                continue;
            }
            Entry::Asset(asset) => {
                loaded.assets.push(asset);
                continue;
            }
        };
        if let (Some(stamp), false, true) = (stamp, reuse.one_off, fresh) {
            files.insert(file.rel.clone(), (stamp, Arc::clone(&file)));
        }
        loaded.files.push(file);
    }
    reuse.files = files;
    reuse.listing = (!reuse.one_off).then_some(listing);
    reuse.changed.clear();
    reuse.complete = true;
    Ok((loaded, diags))
}

/// The files filed for the next load that stay filed: after a walk none (each is filed
/// again), else all but those the watcher named (at 100,000 files, filing every one again took
/// longer than the rest of the load).
fn filed_before(reuse: &mut Reuse, trusted: bool) -> HashMap<String, (Stamp, Arc<SourceFile>)> {
    if !trusted {
        return HashMap::with_capacity_and_hasher(reuse.files.len(), Default::default());
    }
    let mut kept = std::mem::take(&mut reuse.files);
    for rel in &reuse.changed {
        kept.remove(rel);
    }
    kept
}

/// One file of the listing: the earlier read when it still holds (unnamed by the watcher and,
/// unless `trusted`, of the same size and time), else read now.
fn read_reusing(
    reuse: &Reuse,
    trusted: bool,
    rel: &str,
    abs: &Path,
) -> Result<(Entry, Option<Stamp>)> {
    let known = reuse
        .files
        .get(rel)
        .filter(|_| !reuse.changed.contains(rel));
    // A file read for the first time is stamped as it is opened, not looked up twice.
    let Some((then, file)) = known else {
        return classify(rel.to_owned(), abs.to_path_buf());
    };
    if trusted || Some(then) == stamp(abs).as_ref() {
        return Ok((Entry::Reused(Arc::clone(file)), Some(*then)));
    }
    classify(rel.to_owned(), abs.to_path_buf())
}

/// The last listing with the named paths applied, or `None` when only a walk can tell: a
/// folder came, went or moved, a link or special file appeared, a refused file changed.
fn patch(root: &Path, listing: Listing, changed: &HashSet<String>) -> Option<Listing> {
    let Listing { mut found, refused } = listing;
    for rel in changed {
        if rel.is_empty() || refused.iter().any(|(r, _)| r == rel) {
            return None;
        }
        if rel.split('/').any(is_hidden) {
            continue;
        }
        let abs = root.join(rel);
        let at = found.binary_search_by(|(r, _)| Path::new(r).cmp(Path::new(rel)));
        match (std::fs::symlink_metadata(&abs), at) {
            (Ok(m), Err(i)) if m.file_type().is_file() => found.insert(i, (rel.clone(), abs)),
            (Ok(m), Ok(_)) if m.file_type().is_file() => {}
            (Err(e), Ok(i)) if e.kind() == std::io::ErrorKind::NotFound => {
                found.remove(i);
            }
            (Err(e), Err(i)) if e.kind() == std::io::ErrorKind::NotFound => {
                let was_folder = found
                    .get(i)
                    .is_some_and(|(r, _)| Path::new(r).starts_with(rel));
                if was_folder {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(Listing { found, refused })
}

/// A file found under `content/`: (relative path, absolute path).
type Found = (String, PathBuf);

/// Every regular file under `root` that is not hidden, in the order of their paths.
fn walk(root: &Path) -> Result<Listing> {
    let mut found = Vec::new();
    let mut refused = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name().to_string_lossy().as_ref()));
    // The folders above the entry at hand, as `a/b/`: each entry's relative path is that and
    // its own name (the walk lists a folder before what it holds).
    let mut folders = RelFolders::default();
    for entry in walker {
        let entry = entry.map_err(|e| crate::error::Error::Io {
            action: "walk",
            path: e
                .path()
                .map_or_else(|| root.to_path_buf(), Path::to_path_buf),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("loop in folders")),
        })?;
        if entry.file_type().is_dir() {
            folders.enter(&entry);
            continue;
        }
        let rel = folders.rel(&entry);
        if let Some(d) = refuse(root, &entry, &rel) {
            refused.push((rel, d));
            continue;
        }
        found.push((rel, entry.into_path()));
    }
    Ok(Listing { found, refused })
}

/// Symbolic links out of `content/` are errors; FIFOs, sockets and devices are skipped with
/// a warning (reading one could hang the build forever).
fn refuse(root: &Path, entry: &walkdir::DirEntry, rel: &str) -> Option<Diagnostic> {
    if entry.path_is_symlink() {
        return match std::fs::canonicalize(entry.path()) {
            Ok(target) if target.starts_with(root) && target.is_file() => None,
            Ok(target) if target.starts_with(root) => Some(special_file(rel)),
            _ => Some(
                Diagnostic::file(
                    Severity::Error,
                    &shown(rel),
                    crate::msg!("source.symlink_out"),
                )
                .with_hint(crate::msg!("source.symlink_out.hint")),
            ),
        };
    }
    (!entry.file_type().is_file()).then(|| special_file(rel))
}

fn special_file(rel: &str) -> Diagnostic {
    Diagnostic::file(
        Severity::Warning,
        &shown(rel),
        crate::msg!("source.special"),
    )
    .with_hint(crate::msg!("source.special.hint"))
}

/// Names beginning with `.` or `_` are skipped, except section indexes (`_index.md`).
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || (name.starts_with('_') && name != "_index.md")
}

/// The relative path of the folder a walk is in, kept as the walk goes (no path taken
/// apart per file): `a/b/` and where each level ends.
#[derive(Default)]
struct RelFolders {
    path: String,
    ends: Vec<usize>,
}

impl RelFolders {
    /// Goes down into folder `entry` (the walk's root is depth 0 and adds nothing).
    fn enter(&mut self, entry: &walkdir::DirEntry) {
        self.climb_to(entry.depth());
        if entry.depth() > 0 {
            self.path.push_str(&entry.file_name().to_string_lossy());
            self.path.push('/');
            self.ends.push(self.path.len());
        }
    }

    /// The relative path of file `entry`, `/`-separated, each part as lossy UTF-8.
    fn rel(&mut self, entry: &walkdir::DirEntry) -> String {
        self.climb_to(entry.depth());
        format!("{}{}", self.path, entry.file_name().to_string_lossy())
    }

    /// Leaves the folders deeper than an entry at `depth` holds.
    fn climb_to(&mut self, depth: usize) {
        self.ends.truncate(depth.saturating_sub(1));
        self.path.truncate(self.ends.last().copied().unwrap_or(0));
    }
}

pub fn shown(rel: &str) -> String {
    format!("content/{rel}")
}

enum Entry {
    Markdown(std::result::Result<SourceFile, Diagnostic>),
    /// A file read by an earlier load and unchanged since.
    Reused(Arc<SourceFile>),
    Config(String),
    Asset(Asset),
}

/// Reads a file the listing found, as what it is: Markdown (stamped as it was opened, for the
/// next load to compare), the configuration or an asset (read when copied).
fn classify(rel: String, abs: PathBuf) -> Result<(Entry, Option<Stamp>)> {
    if rel == CONFIG_FILE {
        let Some((bytes, _)) = fsio::read_limited(&abs, 1024 * 1024)? else {
            return Ok((Entry::Markdown(Err(too_large(&rel, 1024 * 1024))), None));
        };
        let entry = match decode(&shown(&rel), bytes) {
            Ok(text) => Entry::Config(text),
            Err(d) => Entry::Markdown(Err(d)),
        };
        return Ok((entry, None));
    }
    if !rel.ends_with(".md") {
        return Ok((Entry::Asset(Asset { rel, abs }), None));
    }
    let Some((bytes, meta)) = fsio::read_limited(&abs, MAX_MARKDOWN_BYTES)? else {
        let too_large = too_large(&rel, MAX_MARKDOWN_BYTES);
        return Ok((Entry::Markdown(Err(too_large)), None));
    };
    let entry = Entry::Markdown(split(rel, bytes));
    Ok((entry, meta.as_ref().map(stamp_of)))
}

fn too_large(rel: &str, limit: u64) -> Diagnostic {
    Diagnostic::file(
        Severity::Error,
        &shown(rel),
        crate::msg!("source.too_large", kb = limit / 1024),
    )
    .with_hint(crate::msg!("source.too_large.hint"))
}

/// Decodes UTF-8 (with or without BOM, CRLF or LF); anything else is a diagnostic. The text
/// takes over the bytes read (a copy of every file would double the load stage's churn).
pub fn decode(shown: &str, bytes: impl Into<Vec<u8>>) -> std::result::Result<String, Diagnostic> {
    let mut bytes = bytes.into();
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // The fast check first; std's tells where a file goes wrong.
    if let Err(e) = simdutf8::basic::from_utf8(&bytes).or_else(|_| std::str::from_utf8(&bytes)) {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Diagnostic {
            line,
            column: 0,
            ..Diagnostic::file(Severity::Error, shown, crate::msg!("source.not_utf8"))
        }
        .with_hint(crate::msg!("source.not_utf8.hint")));
    }
    // SAFETY: the bytes were checked to be UTF-8 just above.
    let text = unsafe { String::from_utf8_unchecked(bytes) };
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

/// Splits a Markdown file into front matter and body.
pub fn split(
    rel: String,
    bytes: impl Into<Vec<u8>>,
) -> std::result::Result<SourceFile, Diagnostic> {
    let shown = shown(&rel);
    let text = decode(&shown, bytes)?;
    if text.trim().is_empty() {
        return Err(
            Diagnostic::file(Severity::Error, &shown, crate::msg!("source.empty"))
                .with_hint(crate::msg!("source.empty.hint")),
        );
    }
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "---" {
        let m = crate::msg!("source.no_front");
        return Err(Diagnostic::at(Severity::Error, &shown, &text, 1, 1, m)
            .with_hint(crate::msg!("source.no_front.hint")));
    }
    let front_start = first.len() + 1;
    let Some((front_end, body_start)) = closing_fence(&text, front_start) else {
        return Err(Diagnostic::at(
            Severity::Error,
            &shown,
            &text,
            1,
            1,
            crate::msg!("source.not_closed"),
        )
        .with_hint(crate::msg!("source.not_closed.hint")));
    };
    Ok(SourceFile {
        rel,
        shown,
        front: front_start.min(front_end)..front_end,
        body_start,
        text,
        line_starts: std::sync::OnceLock::new(),
    })
}

/// Finds the closing `---` line after `from`; returns (end of front matter, start of body).
fn closing_fence(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut offset = from.min(text.len());
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_its_text_reads_as_empty() {
        let mut f = split("cases/a.md".into(), b"---\ntitle: x\n---\n# body\n").unwrap();
        f.forget_text();
        assert_eq!((f.front_matter(), f.body(), f.line_text(2)), ("", "", None));
        assert_eq!(f.line_of(10), 1);
        assert_eq!(f.rel, "cases/a.md");
    }

    #[test]
    fn splits_front_matter_and_body() {
        let f = split("cases/a.md".into(), b"---\ntitle: x\n---\n# body\n").unwrap();
        assert_eq!(f.front_matter(), "title: x\n");
        assert_eq!(f.body(), "# body\n");
        assert_eq!(f.line_of(f.body_start), 4);
        assert_eq!(f.line_of(0), 1);
        assert_eq!(f.line_text(2), Some("title: x"));
        assert_eq!(f.line_text(4), Some("# body"));
        assert_eq!(f.line_text(9), None);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let f = split("a.md".into(), b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\nbody").unwrap();
        assert_eq!(f.front_matter(), "title: x\n");
        assert_eq!(f.body(), "body");
        assert_eq!(f.line_text(4), Some("body"));
    }

    #[test]
    fn rejects_gbk_with_hint_and_line() {
        // "廉洁" in GBK on line 2.
        let d = split("a.md".into(), b"---\ntitle: \xC1\xAE\xBD\xE0\n---\n").unwrap_err();
        assert_eq!(d.line, 2);
        assert!(d.hint.unwrap().contains("UTF-8"));
    }

    #[test]
    fn reports_missing_unterminated_and_empty() {
        let message = |b: &[u8]| split("a.md".into(), b).unwrap_err().message;
        assert!(message(b"title: x\n").contains("missing front matter"));
        assert!(message(b"---\ntitle: x\n").contains("not closed"));
        assert!(message(b"  \n").contains("empty"));
    }

    #[test]
    fn empty_front_matter_is_allowed_here() {
        let f = split("a.md".into(), b"---\n---\nbody").unwrap();
        assert_eq!(f.front_matter(), "");
    }

    #[test]
    fn hidden_names_are_skipped_but_section_index_is_not() {
        assert!(is_hidden(".git"));
        assert!(is_hidden("_draft.md"));
        assert!(!is_hidden("_index.md"));
    }

    #[test]
    fn the_walk_names_files_by_their_path_under_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("content");
        for rel in [
            "site.yaml",
            "cases/2024/a.md",
            "cases/2024/deep/b.md",
            "cases/c.md",
            "cases/.hidden/d.md",
            "news/e.md",
            "z.md",
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let listing = walk(&root).unwrap();
        let rels: Vec<&str> = listing.found.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "cases/2024/a.md",
                "cases/2024/deep/b.md",
                "cases/c.md",
                "news/e.md",
                "site.yaml",
                "z.md"
            ]
        );
        for (rel, abs) in &listing.found {
            assert_eq!(abs, &root.join(rel));
        }
    }

    #[test]
    fn special_files_are_skipped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("pages")).unwrap();
        std::fs::write(content.join("pages/a.md"), "---\ntitle: a\n---\n").unwrap();
        let fifo = content.join("pages/pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here
        }
        let (loaded, diags) = load(&content).unwrap();
        assert_eq!(loaded.files.len(), 1);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].severity, Severity::Warning);
        assert!(diags[0].path.ends_with("pipe.md"));
    }

    #[test]
    fn lines_are_found_when_first_asked_for_and_do_not_tell_files_apart() {
        let text = b"---\ntitle: x\n---\nbody\nmore";
        let (a, b) = (
            split("a.md".into(), text).unwrap(),
            split("a.md".into(), text).unwrap(),
        );
        assert_eq!(a.line_of(a.body_start), 4);
        assert_eq!((a.line_text(5), a.line_text(6)), (Some("more"), None));
        assert_eq!(a, b, "one file's lines were looked up, the other's not");
    }

    #[test]
    fn a_file_is_taken_again_while_its_size_and_time_hold() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("pages")).unwrap();
        let write = |rel: &str, body: &str| {
            let text = format!("---\ntitle: t\n---\n{body}\n");
            std::fs::write(content.join(rel), text).unwrap();
        };
        write("pages/a.md", "a");
        write("pages/b.md", "b");
        let mut reuse = Reuse::default();
        let (first, _) = load_reusing(&content, &mut reuse).unwrap();
        write("pages/b.md", "b, longer");
        // Nothing named and the watcher may have missed some: each file's stamp decides.
        reuse.note(Vec::<String>::new(), false);
        let (again, _) = load_reusing(&content, &mut reuse).unwrap();
        assert!(Arc::ptr_eq(&first.files[0], &again.files[0]), "a kept");
        assert!(
            !Arc::ptr_eq(&first.files[1], &again.files[1]),
            "b read again"
        );
        assert_eq!(again.files[1].body(), "b, longer\n");
    }

    /// Loads `content` reusing `reuse` after `named` changed, and checks the result is what a
    /// fresh load finds; returns whether the walk was skipped.
    fn same_as_fresh(content: &Path, reuse: &mut Reuse, named: &[&str]) -> bool {
        reuse.note(named.iter().copied(), true);
        let root = fsio::canonicalize(content).unwrap();
        let patched = reuse.clone().take_patched(&root);
        let (again, _) = load_reusing(content, reuse).unwrap();
        let (fresh, _) = load(content).unwrap();
        let rels = |l: &Loaded| l.files.iter().map(|f| f.rel.clone()).collect::<Vec<_>>();
        assert_eq!(rels(&again), rels(&fresh), "after {named:?}");
        assert_eq!(again.files, fresh.files, "after {named:?}");
        assert_eq!(again.assets, fresh.assets, "after {named:?}");
        patched.is_some()
    }

    #[test]
    fn named_files_patch_the_last_walk_and_folders_walk_again() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        let write = |rel: &str, title: &str| {
            let path = content.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, format!("---\ntitle: {title}\n---\nbody\n")).unwrap();
        };
        write("cases/b.md", "b");
        write("cases/2024/a.md", "a");
        write("pages/z.md", "z");
        let mut reuse = Reuse::default();
        load_reusing(&content, &mut reuse).unwrap();
        write("cases/b.md", "b2");
        assert!(same_as_fresh(&content, &mut reuse, &["cases/b.md"]));
        write("cases/a.md", "new");
        std::fs::write(content.join("cases/a.md~"), "backup").unwrap();
        assert!(same_as_fresh(
            &content,
            &mut reuse,
            &["cases/a.md", "cases/a.md~", "cases/4913"]
        ));
        std::fs::rename(content.join("cases/b.md"), content.join("cases/c.md")).unwrap();
        assert!(same_as_fresh(
            &content,
            &mut reuse,
            &["cases/b.md", "cases/c.md"]
        ));
        write("cases/.c.md.swp", "swap");
        assert!(same_as_fresh(&content, &mut reuse, &["cases/.c.md.swp"]));
        std::fs::rename(content.join("cases/2024"), content.join("cases/2025")).unwrap();
        assert!(!same_as_fresh(
            &content,
            &mut reuse,
            &["cases/2024", "cases/2025"]
        ));
        std::fs::remove_dir_all(content.join("pages")).unwrap();
        assert!(!same_as_fresh(&content, &mut reuse, &["pages"]));
        write("cases/2025/d.md", "d");
        reuse.note(["cases/2025/d.md"], false);
        assert!(
            !same_as_fresh(&content, &mut reuse, &[]),
            "a lost event walks again"
        );
    }
}
