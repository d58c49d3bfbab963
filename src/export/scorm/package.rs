//! One module's package: its pages with every address kept inside the package (or made
//! absolute), the SCORM marker added to each page, the files they use, the launch page, the
//! manifest, all packed into a zip.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;

use serde::Serialize;

use super::{Rendered, Unit, links, manifest};
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::render::{Content, Env, script_json};

/// The page the LMS opens: it keeps the LMS session and shows the module in a frame.
pub const LAUNCH: &str = "launch.html";
/// The script that talks to the LMS, in the package and in the theme.
pub const SCRIPT: &str = "static/scorm.js";
const THEME_SCRIPT: &str = "scorm/scorm.js";
const MANIFEST: &str = "imsmanifest.xml";

/// A finished package.
#[derive(Debug, Clone)]
pub struct Package {
    /// The zip's file name.
    pub name: String,
    pub id: String,
    pub pass: Option<u8>,
    /// Every file in the zip, by path.
    pub files: Vec<String>,
    pub bytes: Vec<u8>,
}

/// What the packaged pages' script knows about the module (the marker of a packaged page).
#[derive(Serialize)]
struct Config<'a> {
    module: &'a str,
    title: &'a str,
    pass: Option<u8>,
    quiz: bool,
    readings: &'a [String],
    launch: bool,
    strings: BTreeMap<&'a str, &'a str>,
}

/// Builds the package of `unit` from the rendered files; a template mistake in the launch
/// page is a diagnostic.
pub fn assemble(
    env: &Env,
    rendered: &Rendered,
    unit: &Unit,
    today: crate::types::Date,
) -> Result<std::result::Result<Package, Diagnostic>> {
    let pages: Vec<&str> = unit
        .pages
        .iter()
        .filter_map(|id| rendered.pages.get(id).map(String::as_str))
        .collect();
    let members = members(&pages, rendered);
    let config = Config {
        module: &unit.id,
        title: &unit.title,
        pass: unit.pass,
        quiz: unit.pass.is_some(),
        readings: &unit.readings,
        launch: false,
        strings: env.r.strings.prefixed("scorm."),
    };
    let mut files = BTreeMap::new();
    for path in &members {
        let bytes = match rendered.files.get(path) {
            Some(Content::Bytes(b)) => b.clone(),
            Some(Content::Copy(from)) => crate::fsio::read(from)?,
            _ => continue,
        };
        let bytes = if pages.contains(&path.as_str()) {
            page(&bytes, path, &members, env.view.base_url.as_str(), &config)
        } else {
            bytes
        };
        files.insert(path.clone(), bytes);
    }
    let script = env.r.theme.get(THEME_SCRIPT);
    files.insert(
        SCRIPT.into(),
        script.map_or_else(Vec::new, |f| f.bytes.to_vec()),
    );
    let start = pages.first().copied().unwrap_or_default();
    let launch = Config {
        launch: true,
        ..config
    };
    match launch_page(env, unit, start, &launch) {
        Ok(bytes) => files.insert(LAUNCH.into(), bytes),
        Err(d) => return Ok(Err(d)),
    };
    let bytes = pack(unit, &files, today)?;
    Ok(Ok(Package {
        name: unit.name.clone(),
        id: unit.id.clone(),
        pass: unit.pass,
        files: std::iter::once(MANIFEST.to_owned())
            .chain(files.into_keys())
            .collect(),
        bytes,
    }))
}

/// The pages and every theme file or attachment they (or the stylesheets they load) use.
fn members(pages: &[&str], rendered: &Rendered) -> BTreeSet<String> {
    let is_page: BTreeSet<&str> = rendered.pages.values().map(String::as_str).collect();
    let mut inside: BTreeSet<String> = pages.iter().map(|p| (*p).to_owned()).collect();
    let mut queue: Vec<String> = inside.iter().cloned().collect();
    while let Some(path) = queue.pop() {
        let Some(Content::Bytes(bytes)) = rendered.files.get(&path) else {
            continue;
        };
        for target in links::used(&path, bytes) {
            let known = rendered.files.contains_key(&target) && !is_page.contains(target.as_str());
            if known && inside.insert(target.clone()) {
                queue.push(target);
            }
        }
    }
    inside
}

/// A packaged page: addresses leaving the package made absolute, then the module's settings
/// and the LMS script added before `</body>` (nothing of it is in a normal build).
fn page(
    bytes: &[u8],
    path: &str,
    members: &BTreeSet<String>,
    base_url: &str,
    config: &Config,
) -> Vec<u8> {
    let html = String::from_utf8_lossy(bytes);
    let inside = |p: &str| members.contains(p);
    let html = links::rewrite(&html, path, &inside, base_url);
    let up = "../".repeat(path.matches('/').count());
    let marker = format!(
        "<script type=\"application/json\" id=\"qinglian-scorm\">{}</script>\n<script src=\"{up}{SCRIPT}\"></script>\n",
        script_json(config)
    );
    let at = html.rfind("</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + marker.len());
    out.push_str(&html[..at]);
    out.push_str(&marker);
    out.push_str(&html[at..]);
    out.into_bytes()
}

/// The launch page, from the theme's `scorm.html`.
fn launch_page(
    env: &Env,
    unit: &Unit,
    start: &str,
    config: &Config,
) -> std::result::Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct LaunchCtx<'a> {
        title: &'a str,
        start: &'a str,
        script: &'a str,
        config_json: String,
    }
    let ctx = LaunchCtx {
        title: &unit.title,
        start,
        script: SCRIPT,
        config_json: script_json(config),
    };
    env.emit("scorm.html", &ctx)
}

/// The zip: the manifest first, then every file, compressed, dated `today` (so the same site
/// on the same day gives the same bytes).
fn pack(
    unit: &Unit,
    files: &BTreeMap<String, Vec<u8>>,
    today: crate::types::Date,
) -> Result<Vec<u8>> {
    let listed: Vec<&str> = files.keys().map(String::as_str).collect();
    let text = manifest::write(&manifest::Manifest {
        id: &unit.id,
        title: &unit.title,
        mastery: unit.pass,
        launch: LAUNCH,
        files: listed,
    });
    let zip_err = |e: &(dyn std::error::Error + 'static)| {
        Error::usage(crate::msg!("scorm.zip").sub("cause", crate::error::cause_of(e)))
    };
    let d = today.0;
    let date = zip::DateTime::from_date_and_time(
        u16::try_from(d.year()).unwrap_or(1980),
        u8::try_from(d.month()).unwrap_or(1),
        u8::try_from(d.day()).unwrap_or(1),
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(date)
        .unix_permissions(0o644);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let entries = std::iter::once((MANIFEST, text.as_bytes()))
        .chain(files.iter().map(|(k, v)| (k.as_str(), v.as_slice())));
    for (name, bytes) in entries {
        w.start_file(name, options).map_err(|e| zip_err(&e))?;
        w.write_all(bytes).map_err(|e| zip_err(&e))?;
    }
    let cursor = w.finish().map_err(|e| zip_err(&e))?;
    Ok(cursor.into_inner())
}
