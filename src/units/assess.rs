//! The commission's special assessment (清廉建设专项考核): what its `site.yaml` requires of
//! every unit's site (`requirements:`), checked against each unit's build. An unmet
//! requirement is a warning at the unit (an error with `--strict`); a staff build of the
//! commission's site prints the table of every unit against every requirement.

use super::Finding;
use crate::config::{Check, Festival, Requirement};
use crate::diag::{Diagnostic, Severity};
use crate::kinds::Kind;
use crate::kinds::channel::{Channel, ChannelKind};
use crate::kinds::disclosure::Disclosure;
use crate::kinds::module::Module;
use crate::kinds::reminder::Reminder;
use crate::site::Linked;

/// What a unit's site needs to be measured: its linked site and its own diagnostics.
pub struct Measured<'a> {
    pub site: &'a Linked,
    /// The unit's diagnostics, paths from the tree's root.
    pub diags: &'a [Diagnostic],
    /// `units/<name>/`: diagnostics under it are the unit's own.
    pub prefix: &'a str,
}

/// Measures a unit against every requirement, in the order the commission lists them.
pub fn assess(requirements: &[Requirement], unit: &Measured) -> Vec<Finding> {
    (requirements.iter())
        .filter_map(Requirement::check)
        .map(|check| one(&check, unit))
        .collect()
}

fn one(check: &Check, unit: &Measured) -> Finding {
    match *check {
        Check::Channels(kinds, within) => channels(unit.site, kinds, within),
        Check::Disclosure(category) => disclosure(unit.site, category),
        Check::StudyModule => study_module(unit.site),
        Check::NoPrivacyFindings => privacy(unit),
        Check::FestivalReminders(festivals) => reminders(unit.site, festivals),
    }
}

/// The address of item `id` from the unit's base.
fn rel(site: &Linked, id: &str) -> Option<String> {
    let url = &site.entries.get(id)?.url;
    Some(
        url.strip_prefix(site.base_path.as_str())
            .unwrap_or(url)
            .to_owned(),
    )
}

fn section(site: &Linked, kind: Kind) -> Option<String> {
    let url = site.section_url(kind);
    Some(
        url.strip_prefix(site.base_path.as_str())
            .unwrap_or(&url)
            .to_owned(),
    )
}

fn channels(site: &Linked, kinds: &[ChannelKind], within: Option<u32>) -> Finding {
    let names: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
    let requirement = crate::msg!("assess.channels", kinds = names.join("、"));
    let today = site.options.today;
    let own: Vec<&Channel> = (site.published::<Channel>())
        .filter(|(item, c)| !site.shared.contains(&item.id) && c.active_on(today))
        .map(|(_, c)| c)
        .collect();
    let unmet = kinds.iter().find_map(|&kind| {
        let of_kind: Vec<&&Channel> = own.iter().filter(|c| c.kind == kind).collect();
        if of_kind.is_empty() {
            return Some(crate::msg!("assess.channels.none", kind = kind.label()));
        }
        let days = within?;
        let fresh = |c: &&&Channel| {
            c.verified
                .is_some_and(|v| v.days_until(today) <= days as i32)
        };
        let latest = of_kind.iter().filter_map(|c| c.verified).max();
        (!of_kind.iter().any(fresh)).then(|| match latest {
            Some(v) => crate::msg!(
                "assess.channels.stale",
                kind = kind.label(),
                verified = v,
                days = days
            ),
            None => crate::msg!("assess.channels.unverified", kind = kind.label()),
        })
    });
    Finding {
        requirement,
        met: unmet.is_none(),
        reason: unmet.unwrap_or_else(|| crate::msg!("assess.channels.met", count = own.len())),
        link: section(site, Kind::Channel),
    }
}

fn disclosure(site: &Linked, category: &str) -> Finding {
    let year = site.options.today.year();
    let requirement = crate::msg!("assess.disclosure", category = category, year = year);
    let found = (site.published::<Disclosure>()).find(|(item, d)| {
        !site.shared.contains(&item.id)
            && d.category.trim() == category.trim()
            && item.meta.date.is_some_and(|date| date.year() == year)
    });
    match found {
        Some((item, _)) => Finding {
            requirement,
            met: true,
            reason: crate::msg!("assess.found", title = &item.meta.title),
            link: rel(site, &item.id),
        },
        None => Finding {
            requirement,
            met: false,
            reason: crate::msg!("assess.disclosure.none", category = category, year = year),
            link: section(site, Kind::Disclosure),
        },
    }
}

fn study_module(site: &Linked) -> Finding {
    let found = (site.published::<Module>()).find(|(_, m)| m.quiz.is_some());
    Finding {
        requirement: crate::msg!("assess.study"),
        met: found.is_some(),
        reason: found.map_or_else(
            || crate::msg!("assess.study.none"),
            |(item, _)| crate::msg!("assess.found", title = &item.meta.title),
        ),
        link: found.and_then(|(item, _)| rel(site, &item.id)),
    }
}

fn privacy(unit: &Measured) -> Finding {
    let found = (unit.diags.iter())
        .filter(|d| d.path.starts_with(unit.prefix) && d.message.key().starts_with("privacy."))
        .count();
    Finding {
        requirement: crate::msg!("assess.privacy"),
        met: found == 0,
        reason: match found {
            0 => crate::msg!("assess.privacy.met"),
            n => crate::msg!("assess.privacy.found", count = n),
        },
        link: None,
    }
}

fn reminders(site: &Linked, festivals: &[Festival]) -> Finding {
    let names: Vec<&str> = festivals.iter().map(|f| f.name.as_str()).collect();
    let requirement = crate::msg!("assess.reminders", festivals = names.join("、"));
    let shows_before = |f: &Festival| {
        (site.published::<Reminder>())
            .find(|(_, r)| r.from.days_until(f.date) >= 1 && r.until.days_until(f.date) <= 1)
    };
    let missing: Vec<&Festival> = festivals
        .iter()
        .filter(|f| shows_before(f).is_none())
        .collect();
    let reason = match missing.first() {
        None => crate::msg!("assess.reminders.met"),
        Some(f) => crate::msg!("assess.reminders.none", festival = &f.name, date = f.date),
    };
    Finding {
        requirement,
        met: missing.is_empty(),
        reason,
        link: section(site, Kind::Reminder),
    }
}

impl Finding {
    /// The warning `check` gives for an unmet requirement, at the unit's folder of the kind
    /// that would meet it (made an error by `--strict`).
    pub fn diag(&self, unit: &str) -> Option<Diagnostic> {
        if self.met {
            return None;
        }
        let m = crate::msg!("assess.unmet", unit = unit)
            .sub("requirement", self.requirement.clone())
            .sub("reason", self.reason.clone());
        let shown = format!("{}/{unit}/", super::FOLDER);
        Some(
            Diagnostic::file(Severity::Warning, &shown, m)
                .with_hint(crate::msg!("assess.unmet.hint")),
        )
    }
}
