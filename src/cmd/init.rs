//! `qinglian init DIR`: a new site holding the embedded example content.

use std::path::Path;

use crate::error::{Error, Result};
use crate::fsio;
use crate::render::theme;

/// Writes the example site into `dir/content/`; refuses a folder that already has files.
pub fn run(dir: &Path) -> Result<()> {
    if dir.exists() && (!dir.is_dir() || fsio::dir_has_entries(dir)?) {
        return Err(Error::usage(format!(
            "refusing to initialise {}: it exists and is not an empty folder",
            dir.display()
        )));
    }
    for (rel, bytes) in theme::example_content() {
        let path = dir.join("content").join(crate::output::safe_relative(rel)?);
        fsio::write_new(&path, bytes)?;
    }
    eprintln!("created a new site in {}", dir.display());
    eprintln!(
        "next: cd {} && qinglian build   (the site is written to public/)",
        dir.display()
    );
    eprintln!("edit content/site.yaml first: the hospital's name and base_url");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_writes_site_yaml_and_refuses_non_empty() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        run(&site).unwrap();
        assert!(site.join("content/site.yaml").is_file());
        assert!(site.join("content/principles/08.md").is_file());
        assert!(run(&site).is_err());
    }
}
