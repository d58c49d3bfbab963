//! `qinglian build`: check everything, render into a temporary folder, swap it in.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::Outcome;
use crate::diag::Diagnostic;
use crate::error::Result;
use crate::output::{Staging, Target};
use crate::pipeline::{self, SiteArgs};
use crate::render::Content;
use crate::units;

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
    let relative =
        relative_flag || crate::config::read(&root.join("content")).is_some_and(|c| c.relative);
    root.join(if relative {
        "public-relative"
    } else {
        "public"
    })
}

pub fn run(args: &BuildArgs) -> Result<Outcome> {
    let started = Instant::now();
    let lang = args.site.lang;
    let located = pipeline::located(&args.site)?;
    let root = located.root.clone();
    let target = Target::check(
        &root,
        &(args.out.clone()).unwrap_or_else(|| default_out(&root, args.site.relative)),
    )?;
    let out = target.path();
    let (units, unit_diags) = match located.unit {
        Some(_) => Default::default(),
        None => units::find(&root)?,
    };
    pipeline::print_human(&unit_diags, lang);
    let mut run = Run {
        staging: Staging::create(&target)?,
        written: AtomicUsize::new(0),
        ok: AtomicBool::new(!unit_diags.iter().any(Diagnostic::is_error)),
        printed: Default::default(),
    };
    let site_args = located;
    let cards = build_units(&mut run, &site_args, &units)?;
    let site_args = SiteArgs {
        units: std::sync::Arc::new(cards),
        ..site_args
    };
    let (built, diags) = run.site(&site_args, pipeline::Reuse::one_off(), "")?;
    run.print(diags, lang);
    let Some((options, _)) = built.filter(|_| run.ok.load(Ordering::Relaxed)) else {
        return stopped(out, lang);
    };
    let written = run.written.load(Ordering::Relaxed);
    run.staging.commit()?;
    let done = crate::msg!(
        "build.done",
        files = written,
        out = out.display(),
        ms = started.elapsed().as_millis()
    );
    crate::messages::say(lang, &done);
    // Its index is in scripts, which a page of another website could include.
    if options.relative && options.audience == crate::types::Audience::Staff {
        crate::messages::say(lang, &crate::msg!("build.relative_staff"));
    }
    Ok(Outcome::Clean)
}

/// Builds every unit of a tree into `units/<name>/` of the staging folder and prints their
/// diagnostics in the units' order; returns the cards of those that built.
fn build_units(
    run: &mut Run,
    site_args: &SiteArgs,
    units: &[units::Unit],
) -> Result<Vec<units::UnitCard>> {
    let mut cards = Vec::new();
    if !units.is_empty() {
        let layer = units::read_layer(&site_args.root)?;
        // As many side by side as there are threads, each on the threads the others leave,
        // and only that many: a thread waiting inside one unit would otherwise start the
        // next, and memory would grow with the tree.
        for batch in units.chunks(rayon::current_num_threads().max(1)) {
            let built: Vec<(Option<Built>, Vec<Diagnostic>)> = (batch.par_iter())
                .with_max_len(1)
                .map(|unit| {
                    let reuse = pipeline::Reuse::over(std::sync::Arc::clone(&layer));
                    let prefix = format!("{}/{}/", units::FOLDER, unit.name);
                    run.site(&site_args.of_unit(unit), reuse, &prefix)
                })
                .collect::<Result<_>>()?;
            for (built, diags) in built {
                run.print(diags, site_args.lang);
                cards.extend(built.and_then(|(_, card)| card));
            }
        }
    }
    Ok(cards)
}

/// What the build of one site leaves: its options, and a unit's card.
type Built = (crate::site::Options, Option<units::UnitCard>);

/// One build of a site, or of a commission's tree (its units, then the commission), into
/// one staging folder: nothing is swapped in unless every site built.
struct Run {
    staging: Staging,
    written: AtomicUsize,
    /// No site so far had an error.
    ok: AtomicBool,
    /// The diagnostics printed so far: a shared item's mistake is printed once, not once
    /// for every unit that shows it.
    printed: crate::diag::Reported,
}

impl Run {
    /// Prepares one site and, while no site had an error, renders it under `prefix`;
    /// returns its options and a unit's card (`None` when it had errors), and its
    /// diagnostics.
    fn site(
        &self,
        args: &SiteArgs,
        mut reuse: pipeline::Reuse,
        prefix: &str,
    ) -> Result<(Option<Built>, Vec<Diagnostic>)> {
        reuse.let_go_of_texts = true;
        let (prepared, mut diags) = pipeline::prepare_with(args, &mut reuse)?;
        let Some(prepared) = prepared.filter(|_| !diags.iter().any(Diagnostic::is_error)) else {
            self.ok.store(false, Ordering::Relaxed);
            return Ok((None, diags));
        };
        let built = (prepared.site.options.clone(), prepared.card.clone());
        if !self.ok.load(Ordering::Relaxed) {
            // The build stops anyway: the rest is only checked, to report every mistake.
            pipeline::free_elsewhere(prepared);
            return Ok((Some(built), diags));
        }
        pipeline::give_back_memory();
        let rendered = self.render(&prepared, prefix)?;
        pipeline::free_elsewhere(prepared);
        if !rendered.is_empty() {
            self.ok.store(false, Ordering::Relaxed);
        }
        diags.extend(rendered);
        Ok((Some(built), diags))
    }

    fn render(&self, prepared: &pipeline::Prepared, prefix: &str) -> Result<Vec<Diagnostic>> {
        let at = |rel: &str| format!("{prefix}{rel}");
        let sink = |rel: &str, content: &Content| match content {
            Content::Bytes(bytes) => {
                self.written.fetch_add(1, Ordering::Relaxed);
                self.staging.write(&at(rel), bytes)
            }
            Content::Copy(from) => {
                self.written.fetch_add(1, Ordering::Relaxed);
                self.staging.copy(from, &at(rel))
            }
            Content::Files(files) => {
                self.written.fetch_add(files.len(), Ordering::Relaxed);
                (files.par_iter()).try_for_each(|(rel, bytes)| self.staging.write(&at(rel), bytes))
            }
        };
        pipeline::render_all(prepared, &sink)
    }

    fn print(&mut self, diags: Vec<Diagnostic>, lang: crate::messages::Lang) {
        pipeline::print_human(&self.printed.new_ones(diags), lang);
    }
}

fn stopped(out: &std::path::Path, lang: crate::messages::Lang) -> Result<Outcome> {
    let m = crate::msg!("build.stopped", out = out.display());
    crate::messages::say(lang, &m);
    Ok(Outcome::ContentErrors)
}
