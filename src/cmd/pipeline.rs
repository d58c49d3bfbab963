//! The stages shared by `build` and `check`: load → parse → link, and the renderer.

use std::path::{Path, PathBuf};

use crate::diag::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::frontmatter::{Audience, Date};
use crate::render::{self, Renderer, Theme};
use crate::site::{self, Site};
use crate::{config, kinds, source};

/// The options `build` and `check` share.
#[derive(Debug, Clone)]
pub struct SiteArgs {
    pub root: PathBuf,
    pub drafts: bool,
    /// `YYYY-MM-DD`; today in the site's time zone when absent.
    pub now: Option<String>,
    pub audience: Audience,
    pub base_url: Option<String>,
    pub strict: bool,
}

/// A site ready to render, or the diagnostics that stop it.
pub struct Prepared {
    pub site: Option<(Site, Renderer)>,
    pub diags: Vec<Diagnostic>,
}

impl Prepared {
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

/// Runs load, parse and link, and prepares the theme; collects every diagnostic.
pub fn prepare(args: &SiteArgs) -> Result<Prepared> {
    let now = parse_now(args.now.as_deref())?;
    let content = args.root.join("content");
    if !content.is_dir() {
        return Err(Error::usage(format!(
            "no content/ folder in {}: run qinglian in a site folder, pass --root DIR, or create one with `qinglian init DIR`",
            args.root.display()
        )));
    }
    let (loaded, mut diags) = source::load(&content)?;
    let (parsed, parse_diags) = kinds::parse(&loaded.files);
    diags.extend(parse_diags);
    let config = match config::parse(loaded.config.as_ref()) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            return Ok(finish(None, diags, args.strict));
        }
    };
    let options = site::Options {
        today: now.unwrap_or(Date(config.config.today())),
        drafts: args.drafts,
        audience: args.audience,
        base_url: args.base_url.clone(),
    };
    let (site, link_diags) = site::link(&config, parsed, loaded.assets, options);
    diags.extend(link_diags);
    diags.extend(lint(&site));
    let theme = Theme::load(&args.root, &site.config.theme)?;
    match render::prepare(theme, &site.config.language) {
        Ok(renderer) => Ok(finish(Some((site, renderer)), diags, args.strict)),
        Err(d) => {
            diags.extend(d);
            Ok(finish(None, diags, args.strict))
        }
    }
}

/// Warnings about published content: personal data, expired or unverified channels.
fn lint(site: &Site) -> Vec<Diagnostic> {
    let today = site.options.today;
    let mut diags = crate::privacy::lint(site);
    for c in &site.channels {
        diags.extend(crate::kinds::channel::warnings(&c.item, today));
    }
    diags
}

fn finish(site: Option<(Site, Renderer)>, mut diags: Vec<Diagnostic>, strict: bool) -> Prepared {
    if strict {
        diag::promote_warnings(&mut diags);
    }
    diag::sort(&mut diags);
    Prepared { site, diags }
}

fn parse_now(now: Option<&str>) -> Result<Option<Date>> {
    now.map(|s| {
        Date::parse(s)
            .ok_or_else(|| Error::usage(format!("--now `{s}` is not a date: write YYYY-MM-DD")))
    })
    .transpose()
}

/// Prints diagnostics to stderr, in colour when stderr is a terminal.
pub fn print_human(diags: &[Diagnostic]) {
    use std::io::IsTerminal;
    if diags.is_empty() {
        return;
    }
    eprint!(
        "{}",
        diag::render_human(diags, std::io::stderr().is_terminal())
    );
}

/// The site root as an absolute path.
pub fn root(root: &Path) -> Result<PathBuf> {
    crate::fsio::absolute(root)
}
