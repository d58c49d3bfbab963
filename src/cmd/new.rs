//! `qinglian new KIND TITLE`: a new content file from the theme's archetype for that kind.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsio;
use crate::kinds::Kind;
use crate::render::Theme;

#[derive(Debug, Clone)]
pub struct NewArgs {
    pub root: PathBuf,
    pub kind: String,
    pub title: String,
    /// File name without `.md`; from the date when absent.
    pub name: Option<String>,
    /// `YYYY-MM-DD`, for reproducible names and dates.
    pub now: Option<String>,
}

/// Writes the new file and returns its path; never overwrites.
pub fn run(args: &NewArgs) -> Result<PathBuf> {
    let kind = Kind::from_name(&args.kind)
        .filter(|k| *k != Kind::Quiz)
        .ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL
                .iter()
                .filter(|k| **k != Kind::Quiz)
                .map(|k| k.name())
                .collect();
            Error::usage(format!(
                "unknown kind `{}`: use one of {}",
                args.kind,
                names.join(", ")
            ))
        })?;
    let today = match &args.now {
        Some(s) => {
            crate::types::Date::parse(s)
                .ok_or_else(|| Error::usage(format!("--now `{s}` is not a date")))?
                .0
        }
        None => jiff::ZonedDateTime::now().date(),
    };
    let theme = Theme::load(&args.root, "default")?;
    let archetype = theme
        .get(&format!("archetypes/{}.md", kind.name()))
        .ok_or_else(|| Error::usage(format!("the theme has no archetype for `{}`", kind.name())))?;
    let text = String::from_utf8_lossy(&archetype.bytes)
        .replace("{{ title }}", &yaml_string(&args.title))
        .replace("{{ date }}", &today.to_string());
    let folder = args.root.join("content").join(kind.folder());
    let path = match &args.name {
        Some(name) => folder.join(format!("{}.md", check_name(name)?)),
        None => free_name(&folder, &today.to_string()),
    };
    fsio::write_new(&path, text.as_bytes())?;
    eprintln!("created {}", path.display());
    Ok(path)
}

/// A title as a YAML scalar that survives any punctuation.
fn yaml_string(s: &str) -> String {
    serde_yaml::to_string(s).map_or_else(|_| format!("{s:?}"), |y| y.trim_end().to_owned())
}

fn check_name(name: &str) -> Result<&str> {
    let name = name.trim_end_matches(".md");
    let ok = !name.is_empty()
        && !name.starts_with(['.', '_'])
        && !name.contains(['/', '\\'])
        && name != "..";
    if ok {
        Ok(name)
    } else {
        Err(Error::usage(format!(
            "--name `{name}` must be a plain file name"
        )))
    }
}

/// `2026-11-22-1.md`, `-2`, … — the first name not yet taken.
fn free_name(folder: &Path, date: &str) -> PathBuf {
    (1..)
        .map(|n| folder.join(format!("{date}-{n}.md")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| folder.join(format!("{date}.md")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(root: &Path, kind: &str, name: Option<&str>) -> NewArgs {
        NewArgs {
            root: root.into(),
            kind: kind.into(),
            title: "收受\"红包\"案: 示例".into(),
            name: name.map(Into::into),
            now: Some("2026-11-22".into()),
        }
    }

    #[test]
    fn names_from_date_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let first = run(&args(dir.path(), "case", None)).unwrap();
        assert!(first.ends_with("content/cases/2026-11-22-1.md"));
        let second = run(&args(dir.path(), "case", None)).unwrap();
        assert!(second.ends_with("content/cases/2026-11-22-2.md"));
        run(&args(dir.path(), "case", Some("x"))).unwrap();
        assert!(run(&args(dir.path(), "case", Some("x"))).is_err());
    }

    #[test]
    fn every_archetype_parses_as_its_kind() {
        let dir = tempfile::tempdir().unwrap();
        for kind in Kind::ALL.iter().filter(|k| **k != Kind::Quiz) {
            let path = run(&args(dir.path(), kind.name(), Some("t"))).unwrap();
            let rel = format!("{}/t.md", kind.folder());
            let file = crate::source::split(rel, &std::fs::read(&path).unwrap()).unwrap();
            let (_, diags) = crate::kinds::parse(&[std::sync::Arc::new(file)]);
            assert!(diags.iter().all(|d| !d.is_error()), "{kind:?}: {diags:?}");
        }
    }

    #[test]
    fn rejects_unknown_kind_and_bad_names() {
        let dir = tempfile::tempdir().unwrap();
        assert!(run(&args(dir.path(), "poem", None)).is_err());
        assert!(run(&args(dir.path(), "case", Some("../x"))).is_err());
    }
}
