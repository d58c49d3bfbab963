//! The theme: one table of embedded files (templates, CSS, JS, i18n, archetypes), which a site
//! may override file by file from its own `themes/<name>/` folder.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::fsio;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The default theme's files, by path relative to the theme folder.
pub fn embedded() -> &'static [(&'static str, &'static [u8])] {
    THEME_FILES
}

/// The example site's `content/` files, for `qinglian init`.
pub fn example_content() -> &'static [(&'static str, &'static [u8])] {
    EXAMPLE_FILES
}

/// A theme file and where it came from (for diagnostics).
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub bytes: Cow<'static, [u8]>,
    /// `themes/default/templates/base.html`, or `(built-in) …` for the embedded copy.
    pub shown: String,
}

/// The theme's files by relative path: the embedded copy overlaid with the site's own files.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub files: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// Loads theme `name` for the site at `root`.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut theme = Theme::default();
        if name == "default" {
            for (rel, bytes) in THEME_FILES {
                let shown = format!("(built-in) themes/default/{rel}");
                theme.files.insert(
                    (*rel).to_owned(),
                    ThemeFile {
                        bytes: Cow::Borrowed(bytes),
                        shown,
                    },
                );
            }
        }
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            if name == "default" {
                return Ok(theme);
            }
            return Err(Error::usage(crate::msg!(
                "theme.missing",
                name = name,
                dir = dir.display()
            )));
        }
        for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::Io {
                action: "walk",
                path: dir.clone(),
                source: e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("loop in folders")),
            })?;
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.')
            {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = fsio::read(entry.path())?;
            let shown = format!("themes/{name}/{rel}");
            theme.files.insert(
                rel,
                ThemeFile {
                    bytes: Cow::Owned(bytes),
                    shown,
                },
            );
        }
        Ok(theme)
    }

    pub fn get(&self, rel: &str) -> Option<&ThemeFile> {
        self.files.get(rel)
    }

    /// Files under `prefix/`, with the prefix removed.
    pub fn under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a ThemeFile)> + 'a {
        self.files.iter().filter_map(move |(k, v)| {
            k.strip_prefix(prefix)?
                .strip_prefix('/')
                .map(|rest| (rest, v))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_has_templates_and_strings() {
        let t = Theme::load(Path::new("/nonexistent"), "default").unwrap();
        assert!(t.get("templates/base.html").is_some());
        assert!(t.get("i18n/zh-CN.yaml").is_some());
        assert!(t.get("i18n/en.yaml").is_some());
    }

    #[test]
    fn site_file_overrides_embedded_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("themes/default/templates/404.html");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "mine").unwrap();
        let t = Theme::load(dir.path(), "default").unwrap();
        assert_eq!(&*t.get("templates/404.html").unwrap().bytes, b"mine");
        assert!(
            t.get("templates/base.html")
                .unwrap()
                .shown
                .starts_with("(built-in)")
        );
    }

    #[test]
    fn every_language_has_the_same_strings() {
        let keys = |rel: &str| -> Vec<String> {
            let (_, bytes) = THEME_FILES.iter().find(|(r, _)| *r == rel).unwrap();
            let map: BTreeMap<String, String> = serde_yaml::from_slice(bytes).unwrap();
            map.into_keys().collect()
        };
        assert_eq!(keys("i18n/zh-CN.yaml"), keys("i18n/en.yaml"));
    }

    #[test]
    fn scripts_are_plain_es5_and_styles_avoid_what_ie11_lacks() {
        for (rel, bytes) in THEME_FILES {
            let text = String::from_utf8_lossy(bytes);
            if rel.ends_with(".js") {
                for token in [
                    "=>", "let ", "const ", "`", "class ", "async ", "await ", "...", "import ",
                ] {
                    assert!(
                        !text.contains(token),
                        "{rel} uses `{token}`, which old browsers lack"
                    );
                }
            }
            if rel.ends_with(".css") {
                assert!(!text.contains("var(--"), "{rel} uses CSS variables");
                assert!(
                    !text.contains("@import") && !text.contains("url("),
                    "{rel} loads something"
                );
            }
        }
    }

    #[test]
    fn unknown_theme_is_refused() {
        assert!(Theme::load(Path::new("/nonexistent"), "fancy").is_err());
    }
}
