//! Lint stage: checks over the published pages that need the whole linked site: personal
//! data, channels that expired or were not verified lately, text left from `new` or from the
//! example site.

pub mod leftovers;
pub mod privacy;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::kinds::channel::{self, Channel};
use crate::site::Site;

/// Every lint finding for this build.
pub fn run(site: &Site) -> Vec<Diagnostic> {
    let mut diags = privacy::lint(site);
    diags.extend(leftovers::lint(site));
    let today = site.options.today;
    let channels: Vec<_> = site
        .items
        .values()
        .filter(|i| site.entries.contains_key(&i.id))
        .filter_map(|i| i.get::<Channel>().map(|c| (i, c)))
        .collect();
    diags.par_extend(
        channels
            .par_iter()
            .flat_map_iter(|(item, c)| channel::warnings(item, c, today)),
    );
    diags
}
