//! The stages in order, shared by `build`, `check` and `serve`: load → parse → link → bodies
//! → lint → plan, then render each planned output through one function.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::built::Site;
use crate::diag::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::plan::{self, Planned};
use crate::render::{self, Content, Env, Renderer, SiteView, Theme};
use crate::site::{self};
use crate::types::{Audience, Date};
use crate::{bodies, config, kinds, lint, source, units};

/// The options `build`, `check` and `serve` share.
#[derive(Debug, Clone)]
pub struct SiteArgs {
    pub root: PathBuf,
    pub drafts: bool,
    /// `YYYY-MM-DD`; today in the site's time zone when absent.
    pub now: Option<String>,
    pub audience: Audience,
    pub base_url: Option<String>,
    pub strict: bool,
    /// Links relative to each page (`--relative`), for a site opened from disk.
    pub relative: bool,
    /// The language messages are printed in.
    pub lang: crate::messages::Lang,
    /// The unit of a commission's tree to build (`--unit`), with the commission's shared
    /// layer; `None` builds the site at `root` itself.
    pub unit: Option<String>,
    /// The tree's units as the commission's units directory shows them (a tree's build
    /// fills it once its units are built).
    pub units: std::sync::Arc<Vec<units::UnitCard>>,
}

/// A site ready to render: linked, with bodies, its theme and its plan.
pub struct Prepared {
    pub site: Site,
    pub renderer: Renderer,
    pub view: SiteView,
    pub plan: std::sync::Arc<Vec<Planned>>,
    /// A unit's diagnostic paths, from the tree's root.
    pub relocate: units::Relocate,
    /// A unit's build: what the commission's units directory shows of it, and how it meets
    /// the commission's requirements.
    pub card: Option<units::UnitCard>,
}

impl Prepared {
    pub fn env(&self) -> Env<'_> {
        Env {
            r: &self.renderer,
            view: &self.view,
        }
    }
}

/// Lets go of the text of every source file and of the items the bodies were made from, for
/// a build ([`Reuse::let_go_of_texts`]): once the lint of the built site is done nothing
/// reads them (later stages make their diagnostics from paths; rendering takes items'
/// fields and bodies), and on a large site the texts are about a third of what a build
/// holds. A file still shared elsewhere (a commission's, in a unit's build) keeps its text.
fn let_go_of_texts(site: &mut Site) {
    if let Some(bodies) = std::sync::Arc::get_mut(&mut site.bodies) {
        bodies.forget_sources();
    }
    // Ten thousand texts take milliseconds to free: on every thread.
    let items = std::sync::Arc::get_mut(&mut site.linked.items);
    let mut items: Vec<&mut std::sync::Arc<kinds::Item>> =
        items.into_iter().flat_map(|i| i.values_mut()).collect();
    let tasks = items
        .par_iter_mut()
        .with_max_len(crate::types::ITEMS_PER_TASK);
    tasks.for_each(|item| {
        let item = std::sync::Arc::get_mut(item);
        if let Some(file) = item.and_then(|i| std::sync::Arc::get_mut(&mut i.file)) {
            file.forget_text();
        }
    });
}

/// Runs every stage up to the plan; collects every diagnostic. `None` when a stage could
/// not go on (no configuration, a broken theme).
pub fn prepare(args: &SiteArgs) -> Result<(Option<Prepared>, Vec<Diagnostic>)> {
    prepare_with(args, &mut Reuse::one_off())
}

/// What an earlier run read, parsed and rendered, taken again where nothing changed.
#[derive(Debug, Default, Clone)]
pub struct Reuse {
    pub files: source::Reuse,
    pub parsed: kinds::ParseCache,
    /// The bodies of the last good build.
    pub bodies: std::sync::Arc<bodies::Bodies>,
    /// Each page's lint findings.
    pub lint: lint::Cache,
    /// The last link, kept while saves change only bodies (`None`: a one-off run keeps none).
    pub link: Option<site::LinkCache>,
    pub plan: plan::Memo,
    /// In a unit's build, the commission's shared layer.
    pub shared: units::LayerReuse,
    /// A build's: the texts of the site's files are let go of once the last stage that
    /// reads them is done, before the plan (see [`let_go_of_texts`]).
    pub let_go_of_texts: bool,
}

impl SiteArgs {
    /// The same options for unit `unit` of the tree at `root`.
    pub fn of_unit(&self, unit: &units::Unit) -> SiteArgs {
        SiteArgs {
            unit: Some(unit.name.clone()),
            ..self.clone()
        }
    }
}

impl Reuse {
    /// For one unit of a tree's build, over the shared layer read once for them all.
    pub fn over(layer: std::sync::Arc<units::SharedLayer>) -> Reuse {
        Reuse {
            shared: units::LayerReuse::given(layer),
            ..Reuse::one_off()
        }
    }

    /// For a single run (`build`, `check`, the exports): nothing is filed for a next run.
    pub fn one_off() -> Reuse {
        Reuse {
            files: source::Reuse::one_off(),
            parsed: kinds::ParseCache::one_off(),
            lint: lint::Cache::one_off(),
            shared: units::LayerReuse::one_off(),
            ..Reuse::default()
        }
    }
}

/// Like [`prepare`], reusing unchanged files, parses and bodies from `reuse` (updated with
/// this run's files and parses).
pub fn prepare_with(
    args: &SiteArgs,
    reuse: &mut Reuse,
) -> Result<(Option<Prepared>, Vec<Diagnostic>)> {
    let now = parse_now(args.now.as_deref())?;
    let content = check_args(args)?;
    let (loaded, mut diags) = source::load_reusing(&content, &mut reuse.files)?;
    let (parsed, parse_diags) = kinds::parse_reusing(&loaded.files, &mut reuse.parsed);
    diags.extend(parse_diags);
    let (parsed, assets, layered) = match &args.unit {
        Some(name) => {
            let unit = units::named(&args.root, name)?;
            let layer = reuse.shared.layer(&args.root)?;
            let relocate = units::Relocate::new(&unit, &loaded, layer.shown.clone());
            let (parsed, assets, warnings) = units::overlay(parsed, loaded.assets, &layer);
            diags.extend(layer.diags.iter().cloned().chain(warnings));
            (parsed, assets, Some((unit, layer, relocate)))
        }
        None => (parsed, loaded.assets, None),
    };
    let parsed = (loaded.config, parsed, assets);
    // The items hold their files from here on (a build lets go of their texts).
    drop(loaded.files);
    let (prepared, diags) = prepare_parsed(args, now, parsed, reuse, diags)?;
    let Some((unit, layer, relocate)) = layered else {
        return Ok((prepared, finish(diags, args.strict)));
    };
    let mut diags = relocate.all(diags);
    let prepared = prepared.map(|p| {
        let measured = units::assess::Measured {
            site: &p.site,
            diags: &diags,
            prefix: &unit.shown(),
        };
        let findings = units::assess::assess(&layer.requirements, &measured);
        let card = units::card_of(&unit, &p.site, findings);
        Prepared {
            relocate,
            card: Some(card),
            ..p
        }
    });
    let unmet = prepared
        .iter()
        .flat_map(|p| p.card.iter().flat_map(|c| &c.findings));
    let unmet: Vec<Diagnostic> = unmet.filter_map(|f| f.diag(&unit.name)).collect();
    diags.extend(unmet);
    Ok((prepared, finish(diags, args.strict)))
}

/// The bodies, the lint of each item (which reads no body) and the theme, side by side (they
/// are independent), then the lint of the built site; a build then lets go of the texts.
fn bodies_and_lint(
    args: &SiteArgs,
    linked: site::Linked,
    reuse: &mut Reuse,
    diags: &mut Vec<Diagnostic>,
) -> (
    Site,
    Result<std::result::Result<render::Renderer, Vec<Diagnostic>>>,
) {
    let ((bodies, body_diags), (lint_diags, renderer)) = rayon::join(
        || bodies::render(&linked, &reuse.bodies, reuse.let_go_of_texts),
        || {
            rayon::join(
                || lint::run_reusing(&linked, &mut reuse.lint),
                || renderer_for(args, &linked),
            )
        },
    );
    let mut site = Site::new(linked, std::sync::Arc::new(bodies));
    diags.extend(body_diags);
    diags.extend(lint_diags);
    diags.extend(lint::built(&site));
    if reuse.let_go_of_texts {
        let_go_of_texts(&mut site);
        give_back_memory();
    }
    (site, renderer)
}

/// The stages after parsing: link, bodies, lint, theme and plan.
fn prepare_parsed(
    args: &SiteArgs,
    now: Option<Date>,
    (config, parsed, assets): (Option<(String, String)>, kinds::Parsed, Vec<source::Asset>),
    reuse: &mut Reuse,
    mut diags: Vec<Diagnostic>,
) -> Result<(Option<Prepared>, Vec<Diagnostic>)> {
    let config = match config::parse(config.as_ref()) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            return Ok((None, diags));
        }
    };
    let options = options_of(args, now, &config.config);
    let (linked, link_diags) = link(&config, parsed, &assets, options, &mut reuse.link);
    diags.extend(link_diags);
    let (site, renderer) = bodies_and_lint(args, linked, reuse, &mut diags);
    let renderer = match renderer? {
        Ok(r) => r,
        Err(d) => {
            diags.extend(d);
            return Ok((None, diags));
        }
    };
    let (plan, plan_diags) = plan::plan_reusing(&site, &renderer.theme, &mut reuse.plan);
    diags.extend(plan_diags);
    let (renderer, view) = match laid_out(&site, renderer) {
        Ok(laid_out) => laid_out,
        Err(d) => {
            diags.push(d);
            return Ok((None, diags));
        }
    };
    let prepared = Prepared {
        site,
        renderer,
        view,
        plan,
        relocate: units::Relocate::default(),
        card: None,
    };
    Ok((Some(prepared), diags))
}

/// What this run publishes, and how: from the command line, and from `site.yaml` where the
/// command line leaves it (today, relative links).
fn options_of(args: &SiteArgs, now: Option<Date>, config: &config::Config) -> site::Options {
    site::Options {
        today: now.unwrap_or(Date(config.today())),
        drafts: args.drafts,
        audience: args.audience,
        base_url: args.base_url.clone(),
        relative: args.relative || config.relative,
        units: args.units.clone(),
    }
}

/// The layout every page shares, set in the renderer, with its headers made (a mistake in
/// `header.html` is a diagnostic).
fn laid_out(
    site: &Site,
    mut renderer: Renderer,
) -> std::result::Result<(Renderer, SiteView), Diagnostic> {
    let mut view = SiteView::of(site, &renderer.strings);
    renderer.set_layout(&view);
    view.headers = render::Headers::render(&renderer, &view)?;
    Ok((renderer, view))
}

/// The link stage, through the last link when `cache` keeps one (`serve`).
fn link(
    config: &config::LoadedConfig,
    parsed: kinds::Parsed,
    assets: &[source::Asset],
    options: site::Options,
    cache: &mut Option<site::LinkCache>,
) -> (site::Linked, Vec<Diagnostic>) {
    match cache {
        Some(cache) => site::link_reusing(config, parsed, assets, options, cache),
        None => site::link(config, parsed, assets, options),
    }
}

/// Frees a prepared site on another thread: ten thousand items take tens of milliseconds to
/// free, and neither a reload nor the end of a build need wait for them (a process that ends
/// first simply takes them along).
pub fn free_elsewhere<T: Send + 'static>(spent: T) {
    let freeing = std::thread::Builder::new().name("free".into());
    // When no thread can be started the closure, and the site with it, is freed right here.
    let _ = freeing.spawn(move || drop(spent));
}

/// Hands memory freed so far back to the system (an allocator otherwise keeps freed pages
/// for later, where they may not fit what comes next): after a rebuild in `serve`, and
/// before a build renders, so its peak holds neither the parse's leftovers nor the last
/// rebuild's. The binary allocates with jemalloc (see `main.rs`); glibc's heap is trimmed
/// too, for a program that links the library with the system allocator.
pub fn give_back_memory() {
    #[cfg(unix)]
    // SAFETY: "arena.4096.purge" (4096 is jemalloc's "every arena") reads and writes no
    // value, so every pointer is null; it only returns pages that hold no allocation.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arena.4096.purge".as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        );
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free heap pages; no live allocation is touched.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The site's theme, loaded and its templates compiled; theme mistakes are diagnostics.
fn renderer_for(
    args: &SiteArgs,
    site: &site::Linked,
) -> Result<std::result::Result<render::Renderer, Vec<Diagnostic>>> {
    let theme = Theme::load(&args.root, &site.config.theme)?;
    Ok(render::prepare(theme, &site.config.language))
}

/// Renders every planned output in parallel and hands each to `sink` with its path;
/// template mistakes come back as diagnostics.
pub fn render_all(
    prepared: &Prepared,
    sink: &(dyn Fn(&str, &Content) -> Result<()> + Sync),
) -> Result<Vec<Diagnostic>> {
    let env = prepared.env();
    // The search index takes longest: started first, it is not left to run alone at the end.
    let mut todo: Vec<&Planned> = prepared.plan.iter().collect();
    todo.sort_by_key(|p| p.output != plan::Output::SearchIndex);
    let found: Vec<Option<Diagnostic>> = todo
        .into_par_iter()
        .with_max_len(crate::types::ITEMS_PER_TASK)
        .map(|p| match p.output {
            // Its files go out as each is made: together they weigh as much as the site.
            plan::Output::SearchIndex => {
                let emit = |path: String, bytes: Vec<u8>| sink(&path, &Content::Bytes(bytes));
                let reader = render::Reader::new(&prepared.site, false);
                render::search::write_index(&env, &reader, &emit).map(|()| None)
            }
            _ => match render::render(&env, &prepared.site, &p.output, false) {
                Ok(rendered) => {
                    let content = relative_links(&prepared.site, &p.path, rendered.content);
                    sink(&p.path, &content).map(|()| None)
                }
                Err(d) => Ok(Some(d)),
            },
        })
        .collect::<Result<_>>()?;
    let found = found.into_iter().flatten().collect();
    let mut diags = prepared.relocate.all(found);
    diag::sort(&mut diags);
    Ok(diags)
}

/// `--base-url` and the `content/` folder, checked before anything is read; the folder.
fn check_args(args: &SiteArgs) -> Result<std::path::PathBuf> {
    if let Some(url) = &args.base_url {
        config::check_base_url(url).map_err(|problem| {
            Error::usage(crate::msg!("usage.base_url", url = url).sub("problem", problem))
        })?;
    }
    if let Some(name) = &args.unit {
        return Ok(units::named(&args.root, name)?.content());
    }
    let content = args.root.join("content");
    if !content.is_dir() {
        return Err(Error::usage(crate::msg!(
            "usage.no_content",
            root = args.root.display()
        )));
    }
    Ok(content)
}

/// A page with its links made relative to it, in a `--relative` build.
pub fn relative_links(site: &Site, path: &str, content: Content) -> Content {
    match content {
        Content::Bytes(bytes) if site.options.relative && path.ends_with(".html") => {
            let html = String::from_utf8_lossy(&bytes);
            let html = render::relative::rewrite(&html, path, &site.base_path);
            Content::Bytes(html.into_bytes())
        }
        other => other,
    }
}

fn finish(mut diags: Vec<Diagnostic>, strict: bool) -> Vec<Diagnostic> {
    if strict {
        diag::promote_warnings(&mut diags);
    }
    diag::sort(&mut diags);
    diags
}

fn parse_now(now: Option<&str>) -> Result<Option<Date>> {
    now.map(|s| Date::parse(s).ok_or_else(|| Error::usage(crate::msg!("usage.now", now = s))))
        .transpose()
}

/// Prints diagnostics to stderr in `lang`, in colour when stderr is a terminal.
pub fn print_human(diags: &[Diagnostic], lang: crate::messages::Lang) {
    use std::io::IsTerminal;
    if diags.is_empty() {
        return;
    }
    let text = diag::render_human(diags, std::io::stderr().is_terminal(), lang);
    let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
}

/// The site root as an absolute path.
pub fn root(root: &Path) -> Result<PathBuf> {
    crate::fsio::absolute(root)
}

/// `args` with an absolute root; a root that is a unit's folder of a commission's tree
/// (`units/<name>`, run from there) becomes the tree's root with `--unit <name>`, so the unit
/// is built with the commission's shared layer, not as a site of its own.
pub fn located(args: &SiteArgs) -> Result<SiteArgs> {
    let root = root(&args.root)?;
    let tree = (args.unit.is_none())
        .then(|| units::tree_of(&root))
        .flatten();
    Ok(match tree {
        Some((tree, name)) => SiteArgs {
            root: tree,
            unit: Some(name),
            ..args.clone()
        },
        None => SiteArgs {
            root,
            ..args.clone()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build frees every item's text before it plans and renders (at 100,000 pages they
    /// are 170 MB): no stage's one-off cache may keep a file or an item past its stage.
    #[test]
    fn a_one_off_run_lets_go_of_every_text_before_rendering() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("policies")).unwrap();
        std::fs::write(
            content.join("site.yaml"),
            "title: 测试\nhospital: 测试医院\nbase_url: https://a.example.cn/\n",
        )
        .unwrap();
        let policy = "---\ntitle: 制度\n---\n正文。\n";
        std::fs::write(content.join("policies/a.md"), policy).unwrap();
        let args = SiteArgs {
            unit: None,
            units: Default::default(),
            root: dir.path().to_path_buf(),
            drafts: false,
            now: Some("2026-11-23".into()),
            audience: crate::types::Audience::Public,
            base_url: None,
            strict: false,
            relative: false,
            lang: crate::messages::Lang::En,
        };
        // Held, as a build holds it, until the site is rendered.
        let mut reuse = Reuse {
            let_go_of_texts: true,
            ..Reuse::one_off()
        };
        let (prepared, diags) = prepare_with(&args, &mut reuse).unwrap();
        let prepared = prepared.unwrap_or_else(|| panic!("{diags:?}"));
        let item = &prepared.site.linked.items["policies/a"];
        assert_eq!(item.file.text, "", "the text is still held");
        drop(reuse);
    }
}
