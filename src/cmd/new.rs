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
    pub lang: crate::messages::Lang,
}

/// Writes the new file and returns its path; never overwrites.
pub fn run(args: &NewArgs) -> Result<PathBuf> {
    let kind = Kind::from_name(&args.kind).ok_or_else(|| unknown_kind(&args.kind))?;
    let root = super::site_root(&args.root)?;
    let today = match &args.now {
        Some(s) => {
            crate::types::Date::parse(s)
                .ok_or_else(|| Error::usage(crate::msg!("usage.now", now = s)))?
                .0
        }
        None => jiff::ZonedDateTime::now().date(),
    };
    let theme = Theme::load(&root, "default")?;
    let text = from_archetype(&theme, kind, &args.title, today, &doc_prefix(&root))?;
    let text = kind.from_title(text, &args.title);
    let folder = root.join("content").join(kind.folder());
    let path = match &args.name {
        Some(name) => folder.join(format!("{}.md", check_name(name)?)),
        None => free_name(&folder, &name_of_title(&args.title, today)),
    };
    fsio::write_new(&path, text.as_bytes())?;
    crate::messages::say(
        args.lang,
        &crate::msg!("new.created", path = path.display()),
    );
    Ok(path)
}

/// An unknown kind: the kinds there are, with their Chinese names, and the nearest.
fn unknown_kind(typed: &str) -> Error {
    let names: Vec<String> = (Kind::ALL.iter())
        .map(|k| format!("{}（{}）", k.name(), k.chinese_names()[0]))
        .collect();
    let m = crate::msg!("new.unknown_kind", kind = typed, kinds = names.join("、"));
    match Kind::nearest(typed) {
        Some(k) => Error::usage(m).with_hint(crate::msg!("new.kind_hint", kind = k.name())),
        None => Error::usage(m),
    }
}

/// The abbreviation in the site's document numbers (`doc_prefix: 青一医` in site.yaml), or a
/// placeholder asking for it.
pub fn doc_prefix(root: &Path) -> String {
    let yaml = fsio::read(&root.join("content/site.yaml")).unwrap_or_default();
    let yaml = String::from_utf8_lossy(&yaml);
    serde_yaml::from_str::<serde_yaml::Value>(&yaml)
        .ok()
        .and_then(|v| v.get("doc_prefix")?.as_str().map(str::to_owned))
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "（待填写：发文机关代字）".into())
}

/// A new file of `kind` from the theme's archetype, with its title, dates and document prefix.
pub fn from_archetype(
    theme: &Theme,
    kind: Kind,
    title: &str,
    today: jiff::civil::Date,
    doc_prefix: &str,
) -> Result<String> {
    let archetype = theme
        .get(&format!("archetypes/{}.md", kind.name()))
        .ok_or_else(|| Error::usage(crate::msg!("new.no_archetype", kind = kind.name())))?;
    Ok(String::from_utf8_lossy(&archetype.bytes)
        .replace("{{ title }}", &yaml_string(title))
        .replace("{{ date }}", &today.to_string())
        .replace("{{ year }}", &today.year().to_string())
        .replace("{{ doc_prefix }}", doc_prefix))
}

/// A title as a YAML scalar that survives any punctuation.
fn yaml_string(s: &str) -> String {
    serde_yaml::to_string(s).map_or_else(|_| format!("{s:?}"), |y| y.trim_end().to_owned())
}

/// A file name, or a path of plain names inside the kind's folder (`2025/x`), each part a
/// name the build accepts in an address.
fn check_name(name: &str) -> Result<&str> {
    let name = name.trim().trim_end_matches(".md");
    let problem = name.split('/').find_map(|part| {
        if part.is_empty() || part == ".." || part.starts_with(['.', '_']) {
            return Some(crate::msg!("new.name_part"));
        }
        crate::kinds::segment_problem(part)
    });
    match problem {
        None => Ok(name),
        Some(why) => {
            let m = crate::msg!("new.bad_name", name = name).sub("why", why);
            Err(Error::usage(m).with_hint(crate::msg!("new.bad_name.hint")))
        }
    }
}

/// A file name from the title, as the clerk will recognise it in the folder: characters an
/// address cannot hold become `-`, cut to the build's length; the date when nothing is left.
fn name_of_title(title: &str, today: jiff::civil::Date) -> String {
    let mut name = String::new();
    for c in title.trim().chars() {
        let bad = c.is_whitespace() || c.is_control() || "/\\?#%<>\"':*|.&".contains(c);
        let c = if bad { '-' } else { c };
        if name.len() + c.len_utf8() > MAX_NAME_BYTES || c == '-' && name.ends_with('-') {
            continue;
        }
        name.push(c);
    }
    let name = name.trim_matches(['-', '_']);
    match name.is_empty() {
        true => today.to_string(),
        false => name.to_owned(),
    }
}

/// Room left in a name for `-2`…`-99` after the title: the build takes 100 bytes a name.
const MAX_NAME_BYTES: usize = 90;

/// `NAME.md`, else `NAME-2.md`, `NAME-3.md` … — the first name not yet taken.
fn free_name(folder: &Path, name: &str) -> PathBuf {
    let first = folder.join(format!("{name}.md"));
    std::iter::once(first)
        .chain((2..).map(|n| folder.join(format!("{name}-{n}.md"))))
        .find(|p| !fsio::lexists(p))
        .unwrap_or_else(|| folder.join(format!("{name}.md")))
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
            lang: crate::messages::Lang::En,
        }
    }

    /// A temp folder with a site in it.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/cases")).unwrap();
        std::fs::write(
            dir.path().join("content/site.yaml"),
            "title: 站\nhospital: 院\nbase_url: https://a.cn/\ndoc_prefix: 测医\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn names_from_the_title_and_never_overwrites() {
        let dir = site();
        let first = run(&args(dir.path(), "case", None)).unwrap();
        assert!(
            first.ends_with("content/cases/收受-红包-案-示例.md"),
            "{first:?}"
        );
        let second = run(&args(dir.path(), "案例", None)).unwrap();
        assert!(
            second.ends_with("content/cases/收受-红包-案-示例-2.md"),
            "{second:?}"
        );
        run(&args(dir.path(), "case", Some("x"))).unwrap();
        assert!(run(&args(dir.path(), "case", Some("x"))).is_err());
        let today = jiff::civil::date(2026, 11, 22);
        assert_eq!(name_of_title("  ?? ", today), "2026-11-22");
        assert_eq!(name_of_title("A楼 1层#举报箱", today), "A楼-1层-举报箱");
        let long = name_of_title(&"廉".repeat(80), today);
        assert!(long.len() <= MAX_NAME_BYTES && crate::kinds::segment_problem(&long).is_none());
    }

    /// A name made from any title is one the build accepts.
    #[test]
    fn names_from_titles_pass_the_build_rules() {
        let today = jiff::civil::date(2026, 11, 22);
        for title in [
            "a b",
            "x?y#z%w",
            "<b>\"c\"</b>",
            "..",
            "_x",
            "甲/乙\\丙",
            "一\n二\t三",
            "*|:",
        ] {
            let name = name_of_title(title, today);
            assert!(check_name(&name).is_ok(), "{title:?} → {name:?}");
        }
    }

    #[test]
    fn a_channel_takes_its_kind_from_the_title() {
        let dir = site();
        let mut a = args(dir.path(), "渠道", Some("mail"));
        a.title = "纪检监察举报邮箱".into();
        let path = run(&a).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("\nkind: email\n") && text.contains("value: jubao@"),
            "{text}"
        );
        let file = crate::source::split("channels/mail.md".into(), text.as_bytes()).unwrap();
        let (_, diags) = crate::kinds::parse(&[std::sync::Arc::new(file)]);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    }

    #[test]
    fn finds_the_site_from_a_subfolder_and_writes_into_subfolders() {
        let dir = site();
        let inside = dir.path().join("content/cases");
        let path = run(&args(&inside, "case", Some("2025/x"))).unwrap();
        assert_eq!(path, dir.path().join("content/cases/2025/x.md"));
        let outside = tempfile::tempdir().unwrap();
        let err = run(&args(outside.path(), "case", None)).unwrap_err();
        assert!(err.to_string().contains("not inside a site"), "{err}");
    }

    #[test]
    fn every_archetype_parses_as_a_draft_of_its_kind() {
        let dir = site();
        for kind in Kind::ALL {
            let path = run(&args(dir.path(), kind.name(), Some("t"))).unwrap();
            let rel = format!("{}/t.md", kind.folder());
            let file = crate::source::split(rel, std::fs::read(&path).unwrap()).unwrap();
            let (parsed, diags) = crate::kinds::parse(&[std::sync::Arc::new(file)]);
            assert!(diags.iter().all(|d| !d.is_error()), "{kind:?}: {diags:?}");
            let item = parsed.items.values().next().expect("parsed");
            assert!(item.meta.draft, "{kind:?} starts as a draft");
        }
        let policy = std::fs::read_to_string(dir.path().join("content/policies/t.md")).unwrap();
        assert!(
            policy.contains("doc_no: 测医〔2026〕（待填写：序号）号"),
            "{policy}"
        );
    }

    #[test]
    fn rejects_unknown_kind_and_bad_names() {
        let dir = site();
        assert!(run(&args(dir.path(), "poem", None)).is_err());
        for bad in [
            "../x", "a/../x", ".x", "a//b", "_index", "a b", "x?y", "50%", "a#b",
        ] {
            assert!(run(&args(dir.path(), "case", Some(bad))).is_err(), "{bad}");
        }
    }
}
