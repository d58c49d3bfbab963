//! Link stage: decide what this build publishes (audience, drafts, schedule), give every
//! published item its address, check every reference, and build each kind's order and the
//! reverse indexes. Cheap enough to rerun on every edit: no Markdown is rendered here.

mod index;
mod refs;
mod relink;
pub mod urls;

pub use relink::{LinkCache, Renewed, link_reusing};

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;

pub use self::index::{IndexKey, Indexes, basis_id, differing};
pub use self::refs::{
    SUGGESTIONS_PER_FILE, Target, Unresolved, at_value, folder_of, join_relative, nearest_ids,
};
use crate::config::{Config, LoadedConfig};
use crate::diag::Diagnostic;
use crate::kinds::{Item, Kind, KindData, Parsed};
use crate::source::Asset;
use crate::types::{Audience, Date, HashMap, Id, IndexMap};

/// What a build is for: which day it is, and what may be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub today: Date,
    pub drafts: bool,
    pub audience: Audience,
    /// Replaces `base_url` from `site.yaml` (`--base-url`).
    pub base_url: Option<String>,
    /// Links relative to each page (`--relative`).
    pub relative: bool,
    /// The units of a commission's tree, for its units directory (empty elsewhere).
    pub units: Arc<Vec<crate::units::card::UnitCard>>,
}

/// Why an item is left out of this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    Draft,
    Scheduled(Date),
    Staff,
}

impl Exclusion {
    pub fn explain(self) -> crate::messages::Msg {
        match self {
            Exclusion::Draft => crate::msg!("excluded.draft"),
            Exclusion::Scheduled(d) => crate::msg!("excluded.scheduled", date = d),
            Exclusion::Staff => crate::msg!("excluded.staff"),
        }
    }
}

/// A link to another page, as templates show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// Where a published item lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Linked path including the base path: `/qinglian/cases/2024/x/`.
    pub url: String,
    /// Output file relative to the output folder: `cases/2024/x/index.html`.
    pub out: String,
}

/// The linked site: every item by id, what this build publishes and where, each kind's
/// order and the reverse indexes. Its bodies are rendered next ([`crate::built::Site`]).
#[derive(Debug, Clone)]
pub struct Linked {
    pub config: Config,
    /// The text of `site.yaml`, to locate mistakes found later (a footer link).
    pub config_text: Arc<str>,
    pub options: Options,
    /// The path of `base_url`, starting and ending with `/`.
    pub base_path: String,
    /// `base_url` with one trailing slash, for absolute addresses.
    pub base_url: String,
    /// Every parsed item, published or not, by id.
    pub items: Arc<IndexMap<Id, Arc<Item>>>,
    /// Files whose front matter failed (reported already); references to them stay quiet.
    pub failed: BTreeSet<Id>,
    /// Published section introductions by section key (`""` is the home page).
    pub intros: BTreeMap<String, Arc<Item>>,
    /// Items (and introductions, by id) this build leaves out, and why.
    pub excluded: Arc<HashMap<Id, Exclusion>>,
    /// Published items' addresses.
    pub entries: Arc<HashMap<Id, Entry>>,
    pub index: Arc<Indexes>,
    /// Every attachment under `content/`, by path.
    pub assets: BTreeMap<String, Asset>,
    /// The menu from `site.yaml`, resolved; `None` means the default menu.
    pub nav: Option<Vec<Link>>,
    /// In a unit's build, the items taken from the commission (its channels are 上级举报渠道).
    pub shared: Arc<BTreeSet<Id>>,
    /// In a unit's build, the commission's items it does not publish, at their addresses on
    /// the commission's site: a shared item's `@/` link to one leads there.
    pub upper: Arc<HashMap<Id, String>>,
}

/// Links the parsed items into a [`Linked`] site; every problem found is a diagnostic.
pub fn link(
    config: &LoadedConfig,
    parsed: Parsed,
    assets: &[Asset],
    options: Options,
) -> (Linked, Vec<Diagnostic>) {
    let Parsed {
        items,
        intros,
        failed,
        shared,
        elsewhere,
    } = parsed;
    let mut cfg = config.config.clone();
    if let Some(url) = &options.base_url {
        cfg.base_url = url.clone();
    }
    let base_path = cfg.base_path();
    let upper = (elsewhere.as_deref()).map(|e| upper_links(e, &options, &base_path));
    let mut site = Linked {
        base_url: cfg.base_url_slash(),
        config: cfg,
        config_text: Arc::from(config.text.as_str()),
        options,
        base_path,
        items: Arc::new(items),
        failed,
        shared: Arc::new(shared),
        upper: Arc::new(upper.unwrap_or_default()),
        intros: BTreeMap::new(),
        excluded: Arc::default(),
        entries: Arc::default(),
        index: Arc::default(),
        assets: assets.iter().map(|a| (a.rel.clone(), a.clone())).collect(),
        nav: None,
    };
    let mut diags = urls::place(&mut site, &intros);
    site.index = Arc::new(Indexes::build(&site));
    diags.extend(refs::check(&site));
    let (nav, nav_diags) = refs::nav(&site, config);
    site.nav = nav;
    diags.extend(nav_diags);
    if site.nav.is_none() {
        diags.extend(refs::crowded_menu(&site));
    }
    (site, diags)
}

/// Each item this build may link to, by id, at its address on the commission's site: its
/// full address, or in a build with relative links, where a tree's build puts it (two
/// folders above the unit's base, which the relative pass then makes relative).
fn upper_links(
    elsewhere: &crate::kinds::Elsewhere,
    options: &Options,
    unit_base: &str,
) -> crate::types::HashMap<String, String> {
    (elsewhere.items.iter())
        .filter(|item| urls::exclusion(item, options).is_none())
        .map(|item| {
            let rel = urls::item_url("", item);
            let url = match options.relative {
                true => format!("{unit_base}../../{rel}"),
                false => format!("{}{rel}", elsewhere.base_url),
            };
            (item.id.clone(), url)
        })
        .collect()
}

impl Linked {
    /// The URL of a kind's list page.
    pub fn section_url(&self, kind: Kind) -> String {
        urls::section_url(&self.base_path, kind)
    }

    /// Whether `kind` has a list page: when it has a published item; the report page (the
    /// channels' list) always, so 我要举报 never leads nowhere.
    pub fn has_section(&self, kind: Kind) -> bool {
        kind.always_listed() || self.index.order(kind).next().is_some()
    }

    /// The output path of a site path: `/base/cases/` → `cases/index.html`.
    pub fn out_of(&self, url: &str) -> String {
        let rel = url.strip_prefix(self.base_path.as_str()).unwrap_or(url);
        format!("{rel}index.html")
    }

    /// An absolute address for a site path.
    pub fn absolute(&self, url: &str) -> String {
        let rel = url.strip_prefix(self.base_path.as_str()).unwrap_or(url);
        format!("{}{rel}", self.base_url)
    }

    /// A kind's published items in list order, with their own fields (no page yet: the
    /// bodies are rendered later, [`crate::built::Site`]).
    pub fn published<K: KindData>(&self) -> impl Iterator<Item = (&Item, &K)> + '_ {
        (self.index.order(K::KIND))
            .filter_map(|id| self.items.get(id))
            .filter_map(|item| Some((&**item, item.get::<K>()?)))
    }

    /// Every published item, of every kind, in kind order then list order.
    pub fn published_items(&self) -> impl Iterator<Item = &Arc<Item>> + '_ {
        (Kind::ALL.iter())
            .flat_map(move |&k| self.index.order(k))
            .filter_map(|id| self.items.get(id))
    }

    /// The published item `id` as a link.
    pub fn link_to(&self, id: &str) -> Option<Link> {
        let item = self.items.get(id)?;
        let entry = self.entries.get(id)?;
        Some(Link {
            title: item.meta.title.clone(),
            url: entry.url.clone(),
        })
    }

    /// A published section introduction (`""` for the home page).
    pub fn intro(&self, key: &str) -> Option<&Item> {
        self.intros.get(key).map(Arc::as_ref)
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// Parses `files` (content-relative path, text) and links them with `site_yaml`.
    pub fn linked(
        site_yaml: &str,
        files: &[(&str, &str)],
        audience: Audience,
    ) -> (crate::built::Site, Vec<Diagnostic>) {
        linked_with_assets(site_yaml, files, &[], audience)
    }

    /// Like [`linked`], with attachments at these paths under `content/` (their bytes are not
    /// read).
    pub fn linked_with_assets(
        site_yaml: &str,
        files: &[(&str, &str)],
        assets: &[(&str, &[u8])],
        audience: Audience,
    ) -> (crate::built::Site, Vec<Diagnostic>) {
        let (config, parsed, mut diags) = parsed_of(site_yaml, files);
        let assets: Vec<crate::source::Asset> = (assets.iter())
            .map(|(rel, _)| crate::source::Asset {
                rel: (*rel).to_owned(),
                abs: std::path::PathBuf::from("/nonexistent").join(rel),
            })
            .collect();
        let (site, d) = link(&config, parsed, &assets, options(audience));
        diags.extend(d);
        let (bodies, d) = crate::bodies::render(&site, &Default::default(), false);
        diags.extend(d);
        (crate::built::Site::new(site, Arc::new(bodies)), diags)
    }

    /// `site_yaml` and `files` (content-relative path, text) parsed, with the diagnostics.
    pub fn parsed_of(
        site_yaml: &str,
        files: &[(&str, &str)],
    ) -> (LoadedConfig, crate::kinds::Parsed, Vec<Diagnostic>) {
        let sources: Vec<Arc<crate::source::SourceFile>> = files
            .iter()
            .map(|(rel, text)| {
                Arc::new(crate::source::split((*rel).into(), text.as_bytes()).expect("split"))
            })
            .collect();
        let (parsed, diags) = crate::kinds::parse(&sources);
        let config = crate::config::parse(Some(&("content/site.yaml".into(), site_yaml.into())))
            .expect("config");
        (config, parsed, diags)
    }

    /// A build for `audience` on 2026-11-23.
    pub fn options(audience: Audience) -> Options {
        Options {
            units: Default::default(),
            today: Date::parse("2026-11-23").expect("date"),
            drafts: false,
            audience,
            base_url: None,
            relative: false,
        }
    }

    pub const SITE: &str = "title: 站\nhospital: 院\nbase_url: https://a.cn/\n";
}
