//! `qinglian check`: every stage but writing; reports all mistakes as text or JSON.

use super::Outcome;
use crate::diag::{self, Diagnostic};
use crate::error::Result;
use crate::pipeline::{self, SiteArgs};
use crate::units;

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
    let site_args = pipeline::located(&args.site)?;
    let (units, tree_diags) = match site_args.unit {
        Some(_) => Default::default(),
        None => units::find(&site_args.root)?,
    };
    let mut groups = Vec::new();
    let mut cards = Vec::new();
    if !units.is_empty() {
        let layer = units::read_layer(&site_args.root)?;
        for unit in &units {
            let reuse = pipeline::Reuse::over(std::sync::Arc::clone(&layer));
            let (card, diags) = check_site(&site_args.of_unit(unit), reuse)?;
            cards.extend(card);
            groups.push((Some(unit.name.clone()), diags));
        }
    }
    let site_args = SiteArgs {
        units: std::sync::Arc::new(cards),
        ..site_args
    };
    let (_, mut diags) = check_site(&site_args, pipeline::Reuse::one_off())?;
    diags.extend(tree_diags);
    diag::sort(&mut diags);
    groups.insert(0, (site_args.unit.clone(), diags));
    let groups = once_each(groups);
    report(args, &groups, &site_args.units);
    let all = groups.iter().flat_map(|(_, d)| d);
    Ok(if all.clone().any(Diagnostic::is_error) {
        Outcome::ContentErrors
    } else {
        Outcome::Clean
    })
}

/// Every stage of one site but writing; a unit's card when it prepared.
fn check_site(
    args: &SiteArgs,
    mut reuse: pipeline::Reuse,
) -> Result<(Option<units::UnitCard>, Vec<Diagnostic>)> {
    let (prepared, mut diags) = pipeline::prepare_with(args, &mut reuse)?;
    let Some(prepared) = prepared else {
        return Ok((None, diags));
    };
    let card = prepared.card.clone();
    if !diags.iter().any(Diagnostic::is_error) {
        let discard = |_: &str, _: &crate::render::Content| Ok(());
        diags.extend(pipeline::render_all(&prepared, &discard)?);
    }
    pipeline::free_elsewhere(prepared);
    Ok((card, diags))
}

/// A unit's diagnostics without those of the commission's shared items the commission's
/// own check reports already (the commission's group comes first).
fn once_each(
    groups: Vec<(Option<String>, Vec<Diagnostic>)>,
) -> Vec<(Option<String>, Vec<Diagnostic>)> {
    let mut reported = diag::Reported::default();
    (groups.into_iter())
        .map(|(unit, diags)| (unit, reported.new_ones(diags)))
        .collect()
}

/// Prints every group: as JSON (all diagnostics, and each unit's), or as text under a line
/// naming each unit that has any.
fn report(
    args: &CheckArgs,
    groups: &[(Option<String>, Vec<Diagnostic>)],
    cards: &[units::UnitCard],
) {
    let lang = args.site.lang;
    let all: Vec<Diagnostic> = groups.iter().flat_map(|(_, d)| d.iter().cloned()).collect();
    if args.format == Format::Json {
        let findings = |name: &str| {
            let card = cards.iter().find(|c| c.name == name);
            card.map_or(&[][..], |c| c.findings.as_slice())
        };
        let units: Vec<diag::UnitReport> = (groups.iter())
            .filter_map(|(unit, d)| {
                Some((unit.as_deref()?, d.as_slice(), findings(unit.as_deref()?)))
            })
            .collect();
        println!("{}", diag::render_json_units(&all, &units));
        return;
    }
    for (unit, diags) in groups {
        if let (Some(name), false) = (unit, diags.is_empty()) {
            crate::messages::say(lang, &crate::msg!("check.unit", name = name));
        }
        pipeline::print_human(diags, lang);
    }
    if !all.iter().any(|d| d.severity != diag::Severity::Note) {
        crate::messages::say(lang, &crate::msg!("check.clean"));
    }
}
