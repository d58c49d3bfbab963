//! Finds the bank `quiz export BANK` names the way a clerk names it: its id
//! (`quizzes/廉洁知识题库`, with or without `content/` and `.md`), its file name without `.md`
//! (`廉洁知识题库`) or its `title:`. A name two banks share is refused with both ids; a name
//! no bank has gets the nearest banks' ids, each written so it works pasted back as BANK.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::messages::Msg;
use crate::source;

/// The folder banks live in, under `content/`.
const FOLDER: &str = "quizzes";

/// How many banks a did-you-mean lists.
const NEAREST: usize = 5;

/// A bank of the site, as a clerk may name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// `quizzes/2024/廉洁知识题库`.
    pub id: String,
    /// The front matter's `title:` (empty when it has none).
    pub title: String,
}

impl Known {
    /// The file name without `.md`.
    fn stem(&self) -> &str {
        self.id.rsplit('/').next().unwrap_or(&self.id)
    }
}

/// The path under `content/` (`quizzes/x.md`) of the bank `wanted` names in the site whose
/// `content/` folder is `content`.
pub fn find(content: &Path, wanted: &str) -> Result<String> {
    if let Some(rel) = by_id(content, wanted) {
        return Ok(rel);
    }
    let banks = banks(content)?;
    let name = wanted.trim();
    let name = name.strip_suffix(".md").unwrap_or(name);
    let matches: Vec<&Known> = banks
        .iter()
        .filter(|b| b.stem() == name || b.title.trim() == name)
        .collect();
    match matches.as_slice() {
        [one] => Ok(format!("{}.md", one.id)),
        [] => Err(Error::usage(not_found(wanted, &banks))),
        several => Err(Error::usage(crate::msg!(
            "export.bank_ambiguous",
            bank = wanted,
            count = several.len(),
            list = listing(several.iter().copied())
        ))),
    }
}

/// An id written out: `content/<id>.md`, or `content/quizzes/<id>.md` for an id given without
/// its folder (`2024/廉洁知识题库`).
fn by_id(content: &Path, wanted: &str) -> Option<String> {
    let id = crate::kinds::typed_id(wanted.trim());
    if !id.contains('/') {
        return None;
    }
    [format!("{id}.md"), format!("{FOLDER}/{id}.md")]
        .into_iter()
        .find(|rel| content.join(rel).is_file())
}

/// Every bank under `content/quizzes/`, in file-name order (files `check` skips are left out).
pub fn banks(content: &Path) -> Result<Vec<Known>> {
    let folder = content.join(FOLDER);
    if !crate::fsio::is_real_dir(&folder) {
        return Ok(Vec::new());
    }
    let (loaded, _) = source::load(&folder)?;
    Ok(loaded
        .files
        .iter()
        .filter(|f| f.rel.ends_with(".md"))
        .map(|f| Known {
            id: format!("{FOLDER}/{}", f.id()),
            title: title(f.front_matter()),
        })
        .collect())
}

fn title(front_matter: &str) -> String {
    serde_yaml::from_str::<serde_yaml::Value>(front_matter)
        .ok()
        .and_then(|v| v.get("title")?.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// No bank by that name: the nearest ones, or that the site has none.
fn not_found(wanted: &str, banks: &[Known]) -> Msg {
    let what = crate::msg!(
        "export.no_bank",
        bank = wanted,
        folder = source::shown(&format!("{FOLDER}/"))
    );
    if banks.is_empty() {
        return crate::msg!("export.no_banks").sub("what", what);
    }
    crate::msg!(
        "export.no_bank_near",
        list = listing(nearest(wanted, banks))
    )
    .sub("what", what)
}

/// The banks whose id, file name or title is nearest to `wanted` (by edit distance), at most
/// [`NEAREST`] of them.
fn nearest<'a>(wanted: &str, banks: &'a [Known]) -> impl Iterator<Item = &'a Known> {
    let wanted = crate::kinds::typed_id(wanted.trim());
    let mut scored: Vec<(usize, &Known)> = banks
        .iter()
        .map(|b| {
            let d = [b.id.as_str(), b.stem(), b.title.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| strsim::levenshtein(&wanted, s))
                .min()
                .unwrap_or(usize::MAX);
            (d, b)
        })
        .collect();
    scored.sort_by_key(|(d, _)| *d);
    scored.into_iter().take(NEAREST).map(|(_, b)| b)
}

/// One bank a line: its id as it may be pasted, then its title.
fn listing<'a>(banks: impl Iterator<Item = &'a Known>) -> String {
    banks
        .map(|b| {
            let id = pasteable(&b.id);
            if b.title.trim().is_empty() {
                format!("\n  {id}")
            } else {
                format!("\n  {id}    {}", crate::export::bank::one_line(&b.title))
            }
        })
        .collect()
}

/// `text` as one shell word: as it is when it holds nothing a shell reads, else quoted (double
/// quotes, which both Windows and Unix shells take, unless it holds one).
pub fn pasteable(text: &str) -> String {
    let special = |c: char| c.is_whitespace() || "'\"`$&|;<>()*?[]{}!#~\\%^".contains(c);
    if !text.contains(special) {
        text.to_owned()
    } else if text.contains(['"', '$', '`', '\\']) {
        format!("'{}'", text.replace('\'', r"'\''"))
    } else {
        format!("\"{text}\"")
    }
}

/// The site folder above `root` (a subfolder works too), else `root` itself.
pub fn site_of(root: &Path) -> PathBuf {
    super::site_root(root).unwrap_or_else(|_| root.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let path = dir.path().join("content").join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const A: &str = "---\ntitle: 廉洁知识题库\n---\n";
    const B: &str = "---\ntitle: 九项准则自测\n---\n";

    #[test]
    fn a_bank_is_found_by_id_file_name_or_title() {
        let dir = site(&[("quizzes/lianjie.md", A), ("quizzes/2024/九项准则.md", B)]);
        let content = dir.path().join("content");
        for (wanted, rel) in [
            ("quizzes/lianjie", "quizzes/lianjie.md"),
            ("content/quizzes/lianjie.md", "quizzes/lianjie.md"),
            ("lianjie", "quizzes/lianjie.md"),
            ("lianjie.md", "quizzes/lianjie.md"),
            ("廉洁知识题库", "quizzes/lianjie.md"),
            (" 廉洁知识题库 ", "quizzes/lianjie.md"),
            ("2024/九项准则", "quizzes/2024/九项准则.md"),
            ("九项准则", "quizzes/2024/九项准则.md"),
            ("九项准则自测", "quizzes/2024/九项准则.md"),
        ] {
            assert_eq!(find(&content, wanted).unwrap(), rel, "{wanted}");
        }
    }

    #[test]
    fn a_shared_name_lists_every_bank_that_has_it() {
        let dir = site(&[
            ("quizzes/2023/题库.md", A),
            ("quizzes/2024/题库.md", A),
            ("quizzes/other.md", B),
        ]);
        let content = dir.path().join("content");
        for wanted in ["题库", "廉洁知识题库"] {
            let e = find(&content, wanted).unwrap_err().to_string();
            assert!(
                e.contains("names 2 banks")
                    && e.contains("\n  quizzes/2023/题库    廉洁知识题库")
                    && e.contains("\n  quizzes/2024/题库"),
                "{e}"
            );
            assert!(!e.contains("other"), "{e}");
        }
    }

    #[test]
    fn an_unknown_name_gets_the_nearest_banks() {
        let dir = site(&[
            ("quizzes/lianjie.md", A),
            ("quizzes/nine.md", B),
            ("quizzes/_draft.md", B),
        ]);
        let content = dir.path().join("content");
        let e = find(&content, "廉洁知识").unwrap_err().to_string();
        assert!(e.contains("no bank `廉洁知识`"), "{e}");
        let first = e.find("quizzes/lianjie").unwrap();
        assert!(
            first < e.find("quizzes/nine").unwrap(),
            "nearest first: {e}"
        );
        assert!(!e.contains("_draft"), "{e}");
        let empty = site(&[("site.yaml", "title: t\n")]);
        let e = find(&empty.path().join("content"), "x").unwrap_err();
        assert!(e.to_string().contains("no banks yet"), "{e}");
    }

    #[test]
    fn ids_are_written_to_be_pasted() {
        assert_eq!(pasteable("quizzes/廉洁知识题库"), "quizzes/廉洁知识题库");
        assert_eq!(pasteable("quizzes/a b"), "\"quizzes/a b\"");
        assert_eq!(pasteable("quizzes/a$b"), "'quizzes/a$b'");
        assert_eq!(pasteable("quizzes/it's"), "\"quizzes/it's\"");
    }
}
