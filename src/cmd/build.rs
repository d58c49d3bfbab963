//! `qinglian build`: check everything, render into a temporary folder, swap it in.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::Outcome;
use crate::diag::Diagnostic;
use crate::error::Result;
use crate::output::{Staging, Target};
use crate::pipeline::{self, SiteArgs};
use crate::render::Content;

#[derive(Debug, Clone)]
pub struct BuildArgs {
    pub site: SiteArgs,
    /// Defaults to `public/` under the root, or `public-relative/` for a build with links
    /// relative to each page (see [`default_out`]).
    pub out: Option<PathBuf>,
}

/// The output folder when `--out` is not given: `public/` for the web server, and
/// `public-relative/` for the shared-folder edition (`--relative` or `relative: true`), so
/// building one never replaces the other.
pub fn default_out(root: &std::path::Path, relative_flag: bool) -> PathBuf {
    let site_yaml = root.join("content").join(crate::source::CONFIG_FILE);
    let relative = relative_flag
        || (crate::fsio::read(&site_yaml).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| crate::config::parse(Some(&(String::new(), text))).ok())
            .is_some_and(|c| c.config.relative);
    root.join(if relative {
        "public-relative"
    } else {
        "public"
    })
}

pub fn run(args: &BuildArgs) -> Result<Outcome> {
    let started = Instant::now();
    let root = pipeline::root(&args.site.root)?;
    let target = Target::check(
        &root,
        &(args.out.clone()).unwrap_or_else(|| default_out(&root, args.site.relative)),
    )?;
    let out = target.path();
    let site_args = SiteArgs {
        root,
        ..args.site.clone()
    };
    let (prepared, diags) = pipeline::prepare(&site_args)?;
    pipeline::print_human(&diags, args.site.lang);
    let Some(prepared) = prepared.filter(|_| !diags.iter().any(Diagnostic::is_error)) else {
        return stopped(out, args.site.lang);
    };
    let prepared = prepared.without_sources();
    let options = prepared.site.options.clone();
    pipeline::give_back_memory();
    let staging = Staging::create(&target)?;
    let written = AtomicUsize::new(0);
    let sink = |rel: &str, content: &Content| match content {
        Content::Bytes(bytes) => {
            written.fetch_add(1, Ordering::Relaxed);
            staging.write(rel, bytes)
        }
        Content::Copy(from) => {
            written.fetch_add(1, Ordering::Relaxed);
            staging.copy(from, rel)
        }
        Content::Files(files) => {
            written.fetch_add(files.len(), Ordering::Relaxed);
            files
                .par_iter()
                .try_for_each(|(rel, bytes)| staging.write(rel, bytes))
        }
    };
    let diags = pipeline::render_all(&prepared, &sink)?;
    if !diags.is_empty() {
        pipeline::print_human(&diags, args.site.lang);
        return stopped(out, args.site.lang);
    }
    pipeline::free_elsewhere(prepared);
    staging.commit()?;
    let done = crate::msg!(
        "build.done",
        files = written.load(Ordering::Relaxed),
        out = out.display(),
        ms = started.elapsed().as_millis()
    );
    crate::messages::say(args.site.lang, &done);
    // Its index is in scripts, which a page of another website could include.
    if options.relative && options.audience == crate::types::Audience::Staff {
        crate::messages::say(args.site.lang, &crate::msg!("build.relative_staff"));
    }
    Ok(Outcome::Clean)
}

fn stopped(out: &std::path::Path, lang: crate::messages::Lang) -> Result<Outcome> {
    let m = crate::msg!("build.stopped", out = out.display());
    crate::messages::say(lang, &m);
    Ok(Outcome::ContentErrors)
}
