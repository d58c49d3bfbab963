//! `qinglian export scorm`: every study module (or one) as a SCORM 1.2 zip for the hospital's
//! learning platform, built as the staff site shows it (see [`crate::export::scorm`]). Zips go
//! into one folder (default `scorm/` in the site) and replace only earlier zips of the same name.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::export::scorm::{self, Package};
use crate::fsio;
use crate::messages::{Lang, say};
use crate::pipeline::{self, SiteArgs};
use crate::types::Audience;

#[derive(Debug, Clone)]
pub struct ScormArgs {
    pub root: PathBuf,
    /// One module (`modules/x` or `x`); all when absent.
    pub module: Option<String>,
    /// The folder for the zips; `scorm/` under the site root when absent.
    pub output: Option<PathBuf>,
    pub now: Option<String>,
    /// Where links to pages outside a package point (default: `base_url` of site.yaml).
    pub base_url: Option<String>,
    pub lang: Lang,
}

/// The first bytes of every zip file.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Builds the packages and writes them; content mistakes are reported (exit 1) and nothing is
/// written; an existing file that is not a zip is never replaced.
pub fn run(args: &ScormArgs) -> Result<Outcome> {
    let root = super::site_root(&args.root)?;
    let out = output_folder(&root, args.output.as_deref(), "scorm")?;
    let site = SiteArgs {
        root: root.clone(),
        drafts: false,
        now: args.now.clone(),
        audience: Audience::Staff,
        base_url: args.base_url.clone(),
        strict: false,
        relative: true,
        lang: args.lang,
        unit: None,
        units: Default::default(),
    };
    let (prepared, diags) = pipeline::prepare(&site)?;
    pipeline::print_human(&diags, args.lang);
    let Some(mut prepared) = prepared.filter(|_| !diags.iter().any(Diagnostic::is_error)) else {
        return stopped(args.lang);
    };
    let units = scorm::select(&prepared.site, args.module.as_deref())?;
    let (packages, diags) = scorm::build(&mut prepared, &units)?;
    if !diags.is_empty() {
        pipeline::print_human(&diags, args.lang);
        return stopped(args.lang);
    }
    for p in &packages {
        replaceable(&out.join(&p.name))?;
    }
    for p in &packages {
        write(&out, p)?;
        say(args.lang, &wrote(&out, p));
    }
    let done = crate::msg!("scorm.done", count = packages.len(), out = out.display());
    say(args.lang, &done);
    Ok(Outcome::Clean)
}

/// An export's output folder, resolved: `default` in the site when none is asked for; never
/// the site's own `content/` or `themes/` (a file there would be published with the site),
/// never a file.
pub fn output_folder(root: &Path, asked: Option<&Path>, default: &str) -> Result<PathBuf> {
    let asked = asked.map_or_else(|| root.join(default), Path::to_path_buf);
    let out = fsio::resolve(&asked)?;
    for protected in ["content", "themes"] {
        let protected = fsio::resolve(&root.join(protected))?;
        if out.starts_with(&protected) {
            return Err(Error::usage(crate::msg!(
                "export.out_protected",
                out = out.display(),
                what = protected.display()
            )));
        }
    }
    if fsio::lexists(&out) && !fsio::is_real_dir(&out) {
        return Err(Error::usage(crate::msg!(
            "export.out_file",
            out = out.display()
        )));
    }
    Ok(out)
}

/// Refuses to replace anything at `path` but a zip file (a package written earlier).
fn replaceable(path: &Path) -> Result<()> {
    if !fsio::lexists(path) {
        return Ok(());
    }
    if fsio::is_real_file(path) && fsio::begins_with(path, ZIP_MAGIC)? {
        return Ok(());
    }
    Err(Error::usage(crate::msg!(
        "scorm.not_zip",
        path = path.display()
    )))
}

/// Writes the zip beside its final name, then moves it there, so a failed write never leaves
/// half a package under the real name.
fn write(out: &Path, p: &Package) -> Result<()> {
    let target = out.join(&p.name);
    let tmp = out.join(format!(".{}.tmp-{}", p.name, std::process::id()));
    fsio::write(&tmp, &p.bytes)?;
    fsio::rename(&tmp, &target)
}

fn wrote(out: &Path, p: &Package) -> crate::messages::Msg {
    let path = out.join(&p.name);
    match p.pass {
        Some(pass) => crate::msg!(
            "scorm.wrote",
            path = path.display(),
            files = p.files.len(),
            pass = pass
        ),
        None => crate::msg!(
            "scorm.wrote_readings",
            path = path.display(),
            files = p.files.len()
        ),
    }
}

fn stopped(lang: Lang) -> Result<Outcome> {
    say(lang, &crate::msg!("scorm.stopped"));
    Ok(Outcome::ContentErrors)
}
