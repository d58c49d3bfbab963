//! `qinglian quiz export BANK --format …`: a bank, given as its file or by its id, file name or
//! title in the site, written in a format an exam system imports (see [`crate::export::bank`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Outcome;
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::export::bank::{self, Encoding, ExportBank, Format};
use crate::fsio;
use crate::kinds::quiz;
use crate::source;

#[derive(Debug, Clone)]
pub struct ExportArgs {
    /// The bank's Markdown file, or its id, file name or title in the site at `root`.
    pub bank: PathBuf,
    pub root: PathBuf,
    pub format: Format,
    /// Where to write; `-` is standard output; `<bank stem>.<ext>` in the current folder when absent.
    pub output: Option<PathBuf>,
    /// csv only.
    pub encoding: Encoding,
    /// Replace an existing output file.
    pub force: bool,
    pub lang: crate::messages::Lang,
}

/// Where the bank file is, and how diagnostics and ids name it.
struct Located {
    path: PathBuf,
    /// Path under `content/` (`quizzes/x.md`), which gives the id.
    rel: String,
    /// The path diagnostics show.
    shown: String,
    /// The site's `content/` folder, when the bank is in one: `依据` titles are read from it.
    content: Option<PathBuf>,
}

/// Where the export goes.
enum Output {
    Stdout,
    File(PathBuf),
}

/// Runs the export: a bank with errors is reported (exit code 1) and nothing is written.
pub fn run(args: &ExportArgs) -> Result<Outcome> {
    if args.encoding == Encoding::Gbk && args.format != Format::Csv {
        return Err(Error::usage(crate::msg!("export.gbk_csv_only")));
    }
    let located = locate(&args.bank, &args.root)?;
    let output = output(args, &located)?;
    let bytes = fsio::read(&located.path)?;
    let Some(export) = parse(&located, &bytes, args.lang) else {
        return Ok(Outcome::ContentErrors);
    };
    let written = bank::write(&export, args.format, args.encoding)?;
    for note in &written.notes {
        crate::messages::say(
            args.lang,
            &crate::msg!("export.note").sub("note", note.clone()),
        );
    }
    match output {
        Output::Stdout => {
            use std::io::Write as _;
            std::io::stdout().write_all(&written.bytes).map_err(|e| {
                let m = crate::msg!("export.stdout").sub("cause", crate::error::io_cause(&e));
                Error::usage(m)
            })?;
        }
        Output::File(path) => {
            if args.force {
                fsio::write(&path, &written.bytes)?;
            } else {
                fsio::write_new(&path, &written.bytes)?;
            }
            let wrote = if written.count == 1 {
                crate::msg!("import.wrote_one", path = path.display())
            } else {
                crate::msg!("import.wrote", count = written.count, path = path.display())
            };
            crate::messages::say(args.lang, &wrote);
        }
    }
    Ok(Outcome::Clean)
}

/// `-o -` is standard output (text formats only); no `-o` is `<bank file stem>.<ext>` in the
/// current folder. An existing file is refused unless `--force`, before any work is done.
fn output(args: &ExportArgs, located: &Located) -> Result<Output> {
    let path = match &args.output {
        Some(p) if p.as_os_str() == "-" => {
            return if args.format.is_text() {
                Ok(Output::Stdout)
            } else {
                Err(Error::usage(crate::msg!("export.xlsx_stdout")))
            };
        }
        Some(p) => p.clone(),
        None => {
            let stem = located
                .path
                .file_stem()
                .map_or_else(|| "bank".into(), |s| s.to_string_lossy().into_owned());
            PathBuf::from(format!("{stem}.{}", args.format.extension()))
        }
    };
    if path.exists() && !args.force {
        return Err(Error::usage(crate::msg!(
            "export.exists",
            path = path.display()
        )));
    }
    Ok(Output::File(path))
}

/// A file on disk, else a bank of the site at `root` named by its id, file name or title
/// (see [`super::find_bank`]).
fn locate(bank: &Path, root: &Path) -> Result<Located> {
    if bank.is_file() {
        let abs = fsio::canonicalize(bank)?;
        let content = content_folder(&abs);
        let rel = content
            .as_ref()
            .and_then(|c| abs.strip_prefix(c).ok())
            .map(slash_path)
            .unwrap_or_else(|| {
                let name = abs.file_name().unwrap_or_default().to_string_lossy();
                format!("quizzes/{name}")
            });
        return Ok(Located {
            path: abs,
            rel,
            shown: bank.display().to_string(),
            content,
        });
    }
    let content = super::find_bank::site_of(root).join("content");
    let rel = super::find_bank::find(&content, &bank.to_string_lossy())?;
    Ok(Located {
        path: content.join(&rel),
        shown: source::shown(&rel),
        rel,
        content: Some(content),
    })
}

/// A relative path with `/` separators.
fn slash_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The nearest folder named `content` above `path`.
fn content_folder(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|a| a.file_name().is_some_and(|n| n == "content"))
        .map(Path::to_path_buf)
}

/// Parses the bank as `check` would; prints its diagnostics; `None` when it has errors.
fn parse(located: &Located, bytes: &[u8], lang: crate::messages::Lang) -> Option<ExportBank> {
    let file = match source::split(located.rel.clone(), bytes) {
        Ok(mut file) => {
            file.shown = located.shown.clone();
            file
        }
        Err(d) => {
            crate::pipeline::print_human(
                &[Diagnostic {
                    path: located.shown.clone(),
                    ..d
                }],
                lang,
            );
            return None;
        }
    };
    let (parsed, diags) = quiz::parse_bank(&file);
    crate::pipeline::print_human(&diags, lang);
    let (meta, bank) = parsed.filter(|_| !diags.iter().any(Diagnostic::is_error))?;
    let questions = bank.questions;
    Some(ExportBank {
        basis_titles: basis_titles(located.content.as_deref(), &questions),
        title: meta.title,
        source: located
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        shuffle: bank.settings.shuffle.unwrap_or(true),
        questions,
    })
}

/// The `title:` of each item a `依据` link names, read from the site's `content/` folder;
/// links that cannot be read are left out (the export then shows the path).
fn basis_titles(content: Option<&Path>, questions: &[quiz::Question]) -> BTreeMap<String, String> {
    let Some(content) = content else {
        return BTreeMap::new();
    };
    let mut titles = BTreeMap::new();
    for link in questions.iter().filter_map(|q| q.basis.as_ref()) {
        if titles.contains_key(link) {
            continue;
        }
        let rel = link.trim().trim_start_matches("@/");
        let rel = rel.split('#').next().unwrap_or(rel);
        if let Some(title) = title_of(&content.join(rel)) {
            titles.insert(link.clone(), title);
        }
    }
    titles
}

fn title_of(path: &Path) -> Option<String> {
    let bytes = fsio::read(path).ok()?;
    let file = source::split(String::new(), bytes).ok()?;
    let value: serde_yaml::Value = serde_yaml::from_str(file.front_matter()).ok()?;
    value.get("title")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banks_are_found_by_file_or_id() {
        let dir = tempfile::tempdir().unwrap();
        let bank = dir.path().join("content/quizzes/red.md");
        std::fs::create_dir_all(bank.parent().unwrap()).unwrap();
        std::fs::write(&bank, "---\ntitle: t\n---\n").unwrap();
        for id in ["quizzes/red", "quizzes/red.md", "content/quizzes/red.md"] {
            let l = locate(Path::new(id), dir.path()).unwrap();
            assert_eq!(
                (l.rel.as_str(), l.shown.as_str()),
                ("quizzes/red.md", "content/quizzes/red.md"),
                "{id}"
            );
        }
        let l = locate(&bank, Path::new("/nonexistent")).unwrap();
        assert_eq!(l.rel, "quizzes/red.md");
        assert!(l.content.unwrap().ends_with("content"));
        assert!(locate(Path::new("quizzes/none"), dir.path()).is_err());
    }

    #[test]
    fn rule_titles_are_read_from_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let principle = dir.path().join("principles/08.md");
        std::fs::create_dir_all(principle.parent().unwrap()).unwrap();
        std::fs::write(&principle, "---\ntitle: 不收受红包\nnumber: 8\n---\n").unwrap();
        let bank = crate::export::bank::testutil::bank(crate::export::bank::testutil::ALL_TYPES);
        let titles = basis_titles(Some(dir.path()), &bank.questions);
        assert_eq!(
            titles.get("@/principles/08.md").map(String::as_str),
            Some("不收受红包")
        );
    }
}
