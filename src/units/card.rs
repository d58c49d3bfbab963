//! What a tree's build keeps of each unit for the commission's site (the units directory and
//! the assessment table): plain data, read by the commission's pages as a setting.

use serde::Serialize;

use crate::messages::Msg;

/// The folder under the root that holds the units.
pub const FOLDER: &str = "units";

/// Units on each page of the commission's units directory.
pub const PER_PAGE: usize = 40;

/// What the commission's units directory shows of a unit, taken from the unit's linked
/// site: addresses are relative to the unit's base (`disclosures/x/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitCard {
    pub name: String,
    pub title: String,
    pub hospital: String,
    /// The unit's `base_url`, with one trailing slash.
    pub base_url: String,
    /// Its report page, from its base.
    pub report: String,
    /// Its own telephone channels in service: (name, number, `tel:` link).
    pub phones: Vec<(String, String, String)>,
    /// Its latest disclosures and news: (title, address from its base, date).
    pub disclosures: Vec<(String, String, String)>,
    pub news: Vec<(String, String, String)>,
    /// The unit measured against the commission's requirements.
    pub findings: Vec<Finding>,
}

impl UnitCard {
    /// The address of `rel` (from the unit's base) as the commission links it: in a build
    /// with relative links, where the tree's build put it (`<base>units/<name>/…`, made
    /// relative later); else under the unit's own `base_url`.
    pub fn address(&self, rel: &str, commission_base: &str, relative: bool) -> String {
        if relative {
            format!("{commission_base}{FOLDER}/{}/{rel}", self.name)
        } else {
            format!("{}{rel}", self.base_url)
        }
    }
}

/// A unit measured against one of the commission's requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The requirement, in words.
    pub requirement: Msg,
    pub met: bool,
    /// Why it is met or not.
    pub reason: Msg,
    /// Where to look, from the unit's base (`report/`, `disclosures/x/`).
    pub link: Option<String>,
}
