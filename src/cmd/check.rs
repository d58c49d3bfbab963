//! `qinglian check`: every stage but writing; reports all mistakes as text or JSON.

use super::Outcome;
use crate::diag::{self, Diagnostic};
use crate::error::Result;
use crate::pipeline::{self, SiteArgs};

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
    let (prepared, mut diags) = pipeline::prepare(&site_args)?;
    if let Some(prepared) = prepared.filter(|_| !diags.iter().any(Diagnostic::is_error)) {
        let discard = |_: &str, _: &crate::render::Content| Ok(());
        diags.extend(pipeline::render_all(&prepared, &discard)?);
        pipeline::free_elsewhere(prepared);
    }
    let problems = diags.iter().any(|d| d.severity != diag::Severity::Note);
    match args.format {
        Format::Json => println!("{}", diag::render_json(&diags)),
        Format::Human if !problems => {
            pipeline::print_human(&diags, args.site.lang);
            crate::messages::say(args.site.lang, &crate::msg!("check.clean"));
        }
        Format::Human => pipeline::print_human(&diags, args.site.lang),
    }
    Ok(if diags.iter().any(Diagnostic::is_error) {
        Outcome::ContentErrors
    } else {
        Outcome::Clean
    })
}
