//! `qinglian build`: check everything, render into a temporary folder, swap it in.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::Outcome;
use super::pipeline::{self, SiteArgs};
use crate::error::Result;
use crate::output::{Staging, Target};
use crate::render;

#[derive(Debug, Clone)]
pub struct BuildArgs {
    pub site: SiteArgs,
    /// Defaults to `public/` under the root.
    pub out: Option<PathBuf>,
}

pub fn run(args: &BuildArgs) -> Result<Outcome> {
    let started = Instant::now();
    let root = pipeline::root(&args.site.root)?;
    let target = Target::check(
        &root,
        &args.out.clone().unwrap_or_else(|| root.join("public")),
    )?;
    let out = target.path();
    let site_args = SiteArgs {
        root,
        ..args.site.clone()
    };
    let prepared = pipeline::prepare(&site_args)?;
    pipeline::print_human(&prepared.diags);
    let (Some((site, renderer)), false) = (&prepared.site, prepared.has_errors()) else {
        eprintln!(
            "build stopped: nothing was written; {} is unchanged",
            out.display()
        );
        return Ok(Outcome::ContentErrors);
    };
    let staging = Staging::create(&target)?;
    let written = AtomicUsize::new(0);
    let sink = |rel: &str, bytes: &[u8]| {
        written.fetch_add(1, Ordering::Relaxed);
        staging.write(rel, bytes)
    };
    let diags = render::render_all(site, renderer, &sink)?;
    for asset in &site.assets {
        staging.copy(&asset.abs, &asset.rel)?;
        written.fetch_add(1, Ordering::Relaxed);
    }
    if !diags.is_empty() {
        pipeline::print_human(&diags);
        eprintln!(
            "build stopped: nothing was written; {} is unchanged",
            out.display()
        );
        return Ok(Outcome::ContentErrors);
    }
    staging.commit()?;
    eprintln!(
        "built {} files into {} in {} ms",
        written.load(Ordering::Relaxed),
        out.display(),
        started.elapsed().as_millis()
    );
    Ok(Outcome::Clean)
}
