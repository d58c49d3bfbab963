//! A commission's tree: the commission's site at the root and one unit per folder
//! `units/<name>/`, each holding a `content/` like any site. A unit's build reads its own
//! files and the commission's shared layer (the items whose kind is shared by default, or
//! that say `share: true`), its own items overriding shared ones of the same id; its
//! diagnostics name its own files from the root (`units/<name>/content/…`).

pub mod assess;
pub mod card;

pub use crate::kinds::Elsewhere;
pub use card::{FOLDER, Finding, PER_PAGE, UnitCard};

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::kinds::{Item, Parsed};
use crate::source::{self, Asset, Loaded};

/// Names a unit cannot take: the units directory's own pages are under `units/page/`, and
/// the assessment table is `units/assessment/`.
const RESERVED: &[&str] = &["page", "assessment"];

/// The longest unit name, in bytes.
const MAX_NAME: usize = 40;

/// One unit of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Its folder's name, also its place in the output: `units/<name>/`.
    pub name: String,
    /// Its folder, `units/<name>` under the tree's root.
    pub root: PathBuf,
}

impl Unit {
    /// The folder's path from the tree's root, as diagnostics show it: `units/<name>/`.
    pub fn shown(&self) -> String {
        format!("{FOLDER}/{}/", self.name)
    }

    /// Its `content/` folder.
    pub fn content(&self) -> PathBuf {
        self.root.join("content")
    }
}

/// Whether `name` can name a unit: lower-case letters, digits and `-`, starting with a
/// letter or digit (it is a folder of the output and a part of addresses).
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && name.len() <= MAX_NAME
        && !RESERVED.contains(&name)
}

/// Every unit of the tree at `root`, by name, and what is wrong with the folders that are
/// not units (a name that cannot be an address, no `content/site.yaml`).
pub fn find(root: &Path) -> Result<(Vec<Unit>, Vec<Diagnostic>)> {
    let folder = root.join(FOLDER);
    let mut units = Vec::new();
    let mut diags = Vec::new();
    if !folder.is_dir() {
        return Ok((units, diags));
    }
    for entry in crate::fsio::read_dir(&folder)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        // A unit is a real folder: a link could lead the build anywhere.
        if source::is_hidden(&name) || !crate::fsio::is_real_dir(&path) {
            continue;
        }
        let shown = format!("{FOLDER}/{name}/");
        if !path.join("content").join(source::CONFIG_FILE).is_file() {
            let d = Diagnostic::file(Severity::Warning, &shown, crate::msg!("units.no_site"));
            diags.push(d.with_hint(crate::msg!("units.no_site.hint", name = &name)));
        } else if !valid_name(&name) {
            let d = Diagnostic::file(Severity::Error, &shown, crate::msg!("units.bad_name"));
            diags.push(d.with_hint(crate::msg!("units.bad_name.hint")));
        } else {
            units.push(Unit { name, root: path });
        }
    }
    units.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((units, diags))
}

/// The `content/` folder a build reads as its own, from the tree's root: `content`, or
/// `units/<name>/content` for unit `name`.
pub fn own_content(unit: Option<&str>) -> PathBuf {
    match unit {
        Some(name) => Path::new(FOLDER).join(name).join("content"),
        None => PathBuf::from("content"),
    }
}

/// When `folder` is a unit of a tree (`<tree>/units/<name>`, the tree holding
/// `content/site.yaml`): the tree's root and the unit's name.
pub fn tree_of(folder: &Path) -> Option<(PathBuf, String)> {
    let name = folder.file_name()?.to_str()?.to_owned();
    let units = folder
        .parent()
        .filter(|p| p.file_name() == Some(FOLDER.as_ref()))?;
    let tree = units.parent()?;
    let is_site = |dir: &Path| dir.join("content").join(source::CONFIG_FILE).is_file();
    (valid_name(&name) && is_site(folder) && is_site(tree)).then(|| (tree.to_path_buf(), name))
}

/// The unit `name` of the tree at `root`, or a usage error listing the units there are.
pub fn named(root: &Path, name: &str) -> Result<Unit> {
    let folder = root.join(FOLDER).join(name);
    let is_site = folder.join("content").join(source::CONFIG_FILE).is_file();
    if valid_name(name) && crate::fsio::is_real_dir(&folder) && is_site {
        return Ok(Unit {
            name: name.to_owned(),
            root: folder,
        });
    }
    let (units, _) = find(root)?;
    if let Some(unit) = units.iter().find(|u| u.name == name) {
        return Ok(unit.clone());
    }
    let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
    let m = match crate::yaml::closest_key(name, &names) {
        Some(near) => crate::msg!("units.unknown_near", name = name, near = near),
        None if names.is_empty() => crate::msg!("units.none", name = name),
        None => crate::msg!("units.unknown", name = name, names = names.join(", ")),
    };
    Err(Error::usage(m))
}

/// Whether a build of the commission's site has the assessment table: a staff build of a
/// tree whose commission states requirements.
pub fn assessed(options: &crate::site::Options) -> bool {
    options.audience == crate::types::Audience::Staff
        && options.units.iter().any(|u| !u.findings.is_empty())
}

/// Whether a commission shares `item` with its units: `share:` when it says, else its kind's
/// default.
pub fn shares(item: &Item) -> bool {
    item.meta.share.unwrap_or_else(|| item.kind.shared())
}

/// The commission's items as its units see them, read and parsed once for every unit.
#[derive(Debug, Default)]
pub struct SharedLayer {
    /// The shared items and the introductions of shared sections.
    pub parsed: Parsed,
    /// Every attachment of the commission (only those a unit's pages use are published).
    pub assets: Vec<Asset>,
    /// What reading and parsing the shared items found.
    pub diags: Vec<Diagnostic>,
    /// The shown paths of the commission's files, which a unit's diagnostics keep as they are.
    pub shown: Arc<HashSet<String>>,
    /// What the commission's `site.yaml` requires of every unit (its mistakes are the
    /// commission's own check's to report).
    pub requirements: Vec<crate::config::Requirement>,
    /// The commission's items it does not share.
    pub elsewhere: Arc<Elsewhere>,
}

impl SharedLayer {
    /// The shared part of the commission's loaded and parsed `content/`.
    pub fn of(loaded: &Loaded, parsed: Parsed, parse_diags: Vec<Diagnostic>) -> SharedLayer {
        let shared_section = |key: &str| {
            crate::kinds::Kind::from_folder(key).is_some_and(crate::kinds::Kind::shared)
        };
        let (items, kept): (crate::types::IndexMap<_, _>, crate::types::IndexMap<_, _>) =
            (parsed.items.into_iter()).partition(|(_, item)| shares(item));
        let intros = (parsed.intros.into_iter())
            .filter(|(key, _)| shared_section(key))
            .collect();
        let taken: HashSet<&str> = items.values().map(|i| i.file.shown.as_str()).collect();
        let diags = (parse_diags.into_iter())
            .filter(|d| taken.contains(d.path.as_str()))
            .collect();
        let shown = (loaded.files.iter().map(|f| f.shown.clone()))
            .chain(loaded.assets.iter().map(|a| source::shown(&a.rel)))
            .collect();
        let config = crate::config::parse(loaded.config.as_ref()).ok();
        let elsewhere = Elsewhere {
            base_url: (config.as_ref()).map_or_else(String::new, |c| c.config.base_url_slash()),
            items: kept.into_values().collect(),
        };
        SharedLayer {
            parsed: Parsed {
                items,
                intros,
                failed: parsed.failed,
                ..Parsed::default()
            },
            assets: loaded.assets.clone(),
            diags,
            shown: Arc::new(shown),
            requirements: config.map(|c| c.config.requirements).unwrap_or_default(),
            elsewhere: Arc::new(elsewhere),
        }
    }
}

/// The commission's layer for a unit's builds: given once for a whole tree's build, or read
/// again (reusing what did not change) for each of `serve`'s rebuilds.
#[derive(Debug, Default, Clone)]
pub struct LayerReuse {
    given: Option<Arc<SharedLayer>>,
    files: source::Reuse,
    parsed: crate::kinds::ParseCache,
}

impl LayerReuse {
    /// For a single build: read once, nothing kept for a next one.
    pub fn one_off() -> LayerReuse {
        LayerReuse {
            given: None,
            files: source::Reuse::one_off(),
            parsed: crate::kinds::ParseCache::one_off(),
        }
    }

    /// The layer every unit of a tree's build shares, read once.
    pub fn given(layer: Arc<SharedLayer>) -> LayerReuse {
        LayerReuse {
            given: Some(layer),
            ..LayerReuse::one_off()
        }
    }

    /// Notes paths under the commission's `content/` that the watcher named.
    pub fn note<S: Into<String>>(&mut self, paths: impl IntoIterator<Item = S>, complete: bool) {
        self.files.note(paths, complete);
    }

    /// The layer of the tree at `root`.
    pub fn layer(&mut self, root: &Path) -> Result<Arc<SharedLayer>> {
        if let Some(layer) = &self.given {
            return Ok(Arc::clone(layer));
        }
        let (loaded, mut diags) = source::load_reusing(&root.join("content"), &mut self.files)?;
        let (parsed, parse_diags) = crate::kinds::parse_reusing(&loaded.files, &mut self.parsed);
        diags.extend(parse_diags);
        Ok(Arc::new(SharedLayer::of(&loaded, parsed, diags)))
    }
}

/// Reads the commission's shared layer of the tree at `root` once.
pub fn read_layer(root: &Path) -> Result<Arc<SharedLayer>> {
    LayerReuse::one_off().layer(root)
}

/// A unit's own items over the shared layer: an own item replaces the shared one of the same
/// id (a warning at the unit's file says so); own attachments replace shared ones of the same
/// path. Returns the items, the attachments and the warnings.
pub fn overlay(
    own: Parsed,
    own_assets: Vec<Asset>,
    layer: &SharedLayer,
) -> (Parsed, Vec<Asset>, Vec<Diagnostic>) {
    let mut parsed = own;
    let mut diags = Vec::new();
    for (id, item) in &layer.parsed.items {
        match parsed.items.get(id) {
            Some(mine) => diags.push(overrides(mine, id)),
            None if parsed.failed.contains(id) => {}
            None => {
                parsed.items.insert(id.clone(), Arc::clone(item));
                parsed.shared.insert(id.clone());
            }
        }
    }
    for (key, intro) in &layer.parsed.intros {
        parsed
            .intros
            .entry(key.clone())
            .or_insert_with(|| Arc::clone(intro));
    }
    parsed.failed.extend(layer.parsed.failed.iter().cloned());
    parsed.items.sort_keys();
    parsed.elsewhere = Some(Arc::clone(&layer.elsewhere));
    let own_rels: HashSet<&str> = own_assets.iter().map(|a| a.rel.as_str()).collect();
    let shared_assets = (layer.assets.iter())
        .filter(|a| !own_rels.contains(a.rel.as_str()))
        .cloned()
        .collect::<Vec<_>>();
    let mut assets = own_assets;
    assets.extend(shared_assets);
    (parsed, assets, diags)
}

fn overrides(mine: &Item, id: &str) -> Diagnostic {
    mine.file
        .diag(
            Severity::Warning,
            1,
            1,
            crate::msg!("units.overrides", id = id),
        )
        .with_hint(crate::msg!("units.overrides.hint"))
}

/// Rewrites a unit build's diagnostic paths from the tree's root: the unit's files (and any
/// path that is not one of the commission's files) become `units/<name>/content/…`; the
/// commission's files stay `content/…`.
#[derive(Debug, Clone, Default)]
pub struct Relocate {
    /// `units/<name>/`; empty outside a unit's build (nothing moves).
    prefix: String,
    own: HashSet<String>,
    commission: Arc<HashSet<String>>,
}

impl Relocate {
    /// For unit `unit`, whose own files were `own`, over the commission's files.
    pub fn new(unit: &Unit, own: &Loaded, commission: Arc<HashSet<String>>) -> Relocate {
        let own = (own.files.iter().map(|f| f.shown.clone()))
            .chain(own.assets.iter().map(|a| source::shown(&a.rel)))
            .chain(own.config.iter().map(|(shown, _)| shown.clone()))
            .collect();
        Relocate {
            prefix: unit.shown(),
            own,
            commission,
        }
    }

    /// The diagnostic's path from the tree's root.
    pub fn apply(&self, mut d: Diagnostic) -> Diagnostic {
        let keep = self.prefix.is_empty()
            || (!self.own.contains(&d.path) && self.commission.contains(&d.path));
        if !keep {
            d.path = format!("{}{}", self.prefix, d.path);
        }
        d
    }

    pub fn all(&self, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diags.into_iter().map(|d| self.apply(d)).collect()
    }
}

/// How many disclosures and news items of each unit the directory shows.
const LATEST: usize = 3;

/// What the commission's units directory shows of `unit`, from its linked site.
pub fn card_of(unit: &Unit, site: &crate::site::Linked, findings: Vec<Finding>) -> UnitCard {
    use crate::kinds::{Kind, channel::Channel, disclosure::Disclosure, news::News};
    let rel = |id: &str| {
        let url = site.entries.get(id).map_or("", |e| e.url.as_str());
        url.strip_prefix(site.base_path.as_str())
            .unwrap_or(url)
            .to_owned()
    };
    let dated = |item: &Item| {
        let date = item.meta.date.map(|d| d.to_string()).unwrap_or_default();
        (item.meta.title.clone(), rel(&item.id), date)
    };
    let today = site.options.today;
    let phones = (site.published::<Channel>())
        .filter(|(item, c)| !site.shared.contains(&item.id) && c.active_on(today))
        .filter_map(|(item, c)| {
            let href = c.href().filter(|h| h.starts_with("tel:"))?;
            Some((item.meta.title.clone(), c.value.clone(), href))
        })
        .collect();
    let section = site.section_url(Kind::Channel);
    UnitCard {
        name: unit.name.clone(),
        title: site.config.title.clone(),
        hospital: site.config.hospital.clone(),
        base_url: site.base_url.clone(),
        report: section
            .strip_prefix(site.base_path.as_str())
            .unwrap_or(&section)
            .to_owned(),
        phones,
        disclosures: (site.published::<Disclosure>())
            .filter(|(item, _)| !site.shared.contains(&item.id))
            .take(LATEST)
            .map(|(i, _)| dated(i))
            .collect(),
        news: (site.published::<News>())
            .filter(|(item, _)| !site.shared.contains(&item.id))
            .take(LATEST)
            .map(|(i, _)| dated(i))
            .collect(),
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names_are_address_parts() {
        for good in ["dongshan", "no-3-hospital", "2y"] {
            assert!(valid_name(good), "{good}");
        }
        for bad in [
            "",
            "Dongshan",
            "东山",
            "a b",
            "-a",
            "page",
            "../x",
            &"a".repeat(41),
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
