//! `qinglian check`: every stage but writing; reports all mistakes as text or JSON.

use super::Outcome;
use super::pipeline::{self, SiteArgs};
use crate::diag::{self, Diagnostic};
use crate::error::Result;
use crate::render;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone)]
pub struct CheckArgs {
    pub site: SiteArgs,
    pub format: Format,
}

pub fn run(args: &CheckArgs) -> Result<Outcome> {
    let site_args = SiteArgs {
        root: pipeline::root(&args.site.root)?,
        ..args.site.clone()
    };
    let prepared = pipeline::prepare(&site_args)?;
    let clean = !prepared.has_errors();
    let mut diags: Vec<Diagnostic> = prepared.diags;
    if let (Some((site, renderer)), true) = (&prepared.site, clean) {
        let discard = |_: &str, _: &[u8]| Ok(());
        diags.extend(render::render_all(site, renderer, &discard)?);
    }
    match args.format {
        Format::Json => println!("{}", diag::render_json(&diags)),
        Format::Human if diags.is_empty() => eprintln!("no problems found"),
        Format::Human => pipeline::print_human(&diags),
    }
    Ok(if diags.iter().any(Diagnostic::is_error) {
        Outcome::ContentErrors
    } else {
        Outcome::Clean
    })
}
