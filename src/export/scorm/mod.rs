//! SCORM 1.2 packages for the hospital's learning platform (LMS): one zip per study module,
//! holding the module page, its readings and its self-test as a staff build renders them
//! (through [`crate::pipeline::render_all`], links relative as in `build --relative`), the
//! theme files and attachments they use, a launch page that keeps one LMS session while the
//! learner moves between those pages, the script that talks to the LMS, and `imsmanifest.xml`.

pub mod links;
pub mod manifest;
pub mod package;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use crate::built::Site;
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::kinds::module::Module;
use crate::kinds::quiz::QuizBank;
use crate::pipeline::{self, Prepared};
use crate::plan::Output;
use crate::render::Content;

pub use package::Package;

/// One module to package: what it is, its pages and where its zip goes.
#[derive(Debug, Clone)]
pub struct Unit {
    /// `modules/01-nine-principles`.
    pub id: String,
    pub title: String,
    /// The zip's file name: `01-nine-principles.zip`.
    pub name: String,
    /// The pass mark, when the module has a self-test.
    pub pass: Option<u8>,
    /// Ids of the packaged pages: the module first, its readings, its self-test.
    pub pages: Vec<String>,
    /// The site addresses of the readings, as the study script records opened pages.
    pub readings: Vec<String>,
}

/// The modules to package: all published ones in order, or the one `wanted` names
/// (`modules/x`, `x`, `x.md` or `content/modules/x.md`).
pub fn select(site: &Site, wanted: Option<&str>) -> Result<Vec<Unit>> {
    let all: Vec<Unit> = site
        .ordered::<Module>()
        .map(|p| unit(site, p.item.id.as_str()))
        .collect();
    if all.is_empty() {
        return Err(Error::usage(crate::msg!("scorm.no_modules")));
    }
    let Some(wanted) = wanted else {
        return Ok(names_made_unique(all));
    };
    let id = crate::kinds::typed_id(wanted);
    let id = if id.starts_with("modules/") {
        id
    } else {
        format!("modules/{id}")
    };
    match all.into_iter().find(|u| u.id == id) {
        Some(u) => Ok(vec![u]),
        None => {
            let known: Vec<String> = site
                .ordered::<Module>()
                .map(|p| p.item.id.to_string())
                .collect();
            Err(Error::usage(crate::msg!(
                "scorm.no_module",
                module = wanted,
                list = known.join(", ")
            )))
        }
    }
}

fn unit(site: &Site, id: &str) -> Unit {
    let page = site.page::<Module>(id);
    let module = page.map(|p| p.data);
    let bank = module
        .and_then(|m| m.quiz.as_deref())
        .filter(|q| site.page::<QuizBank>(q).is_some());
    let mut pages = vec![id.to_owned()];
    let mut readings = Vec::new();
    for reading in module.map_or(&[][..], |m| m.readings.as_slice()) {
        if let Some(entry) = site.entries.get(reading.as_str()) {
            readings.push(entry.url.clone());
            if !pages.contains(reading) {
                pages.push(reading.clone());
            }
        }
    }
    if let Some(bank) = bank.filter(|b| !pages.iter().any(|p| p == b)) {
        pages.push(bank.to_owned());
    }
    let pass = module.filter(|_| bank.is_some()).map(|m| {
        let data = bank.and_then(|b| site.page::<QuizBank>(b)).map(|b| b.data);
        crate::render::study::pass_mark(m, data)
    });
    Unit {
        id: id.to_owned(),
        title: page.map_or_else(String::new, |p| p.item.meta.title.clone()),
        name: zip_name(id),
        pass,
        pages,
        readings,
    }
}

/// `modules/a/b` → `a-b.zip`, with characters Windows forbids in names replaced.
fn zip_name(id: &str) -> String {
    let stem: String = id
        .strip_prefix("modules/")
        .unwrap_or(id)
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => '-',
            c => c,
        })
        .collect();
    format!("{stem}.zip")
}

/// Gives `-2`, `-3`… to zip names that two modules would share.
fn names_made_unique(mut units: Vec<Unit>) -> Vec<Unit> {
    let mut taken = BTreeSet::new();
    for u in &mut units {
        let stem = u.name.trim_end_matches(".zip").to_owned();
        let mut n = 1;
        while !taken.insert(u.name.to_lowercase()) {
            n += 1;
            u.name = format!("{stem}-{n}.zip");
        }
    }
    units
}

/// The rendered files the packages draw on, by output path: the packaged pages, every theme
/// file under `static/`, and every attachment (kept as its path until packed).
pub struct Rendered {
    pub files: BTreeMap<String, Content>,
    /// Output paths of the pages, by id.
    pub pages: BTreeMap<String, String>,
}

/// Renders the pages of `units` and the theme's and site's files through the pipeline, as a
/// staff build with relative links would write them; template mistakes are diagnostics.
pub fn render(prepared: &mut Prepared, units: &[Unit]) -> Result<(Rendered, Vec<Diagnostic>)> {
    let wanted: BTreeSet<&str> = units
        .iter()
        .flat_map(|u| u.pages.iter().map(String::as_str))
        .collect();
    std::sync::Arc::make_mut(&mut prepared.plan).retain(|p| match &p.output {
        Output::Item(id) => wanted.contains(id.as_str()),
        Output::Static(_) => true,
        Output::Asset(rel) => !crate::plan::is_active(rel),
        _ => false,
    });
    let pages = prepared
        .plan
        .iter()
        .filter_map(|p| match &p.output {
            Output::Item(id) => Some((id.to_string(), p.path.clone())),
            _ => None,
        })
        .collect();
    let files = Mutex::new(BTreeMap::new());
    let sink = |rel: &str, content: &Content| {
        if let Ok(mut files) = files.lock() {
            files.insert(rel.to_owned(), content.clone());
        }
        Ok(())
    };
    let diags = pipeline::render_all(prepared, &sink)?;
    let files = files.into_inner().unwrap_or_default();
    Ok((Rendered { files, pages }, diags))
}

/// Renders and packs every unit; template mistakes stop it as diagnostics.
pub fn build(prepared: &mut Prepared, units: &[Unit]) -> Result<(Vec<Package>, Vec<Diagnostic>)> {
    let (rendered, diags) = render(prepared, units)?;
    if !diags.is_empty() {
        return Ok((Vec::new(), diags));
    }
    let mut packages = Vec::new();
    for unit in units {
        match package::assemble(
            &prepared.env(),
            &rendered,
            unit,
            prepared.site.options.today,
        )? {
            Ok(p) => packages.push(p),
            Err(d) => return Ok((Vec::new(), vec![d])),
        }
    }
    Ok((packages, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_names_are_plain_and_unique() {
        assert_eq!(zip_name("modules/01-nine"), "01-nine.zip");
        assert_eq!(zip_name("modules/a/b:c"), "a-b-c.zip");
        let unit = |name: &str| Unit {
            id: String::new(),
            title: String::new(),
            name: name.into(),
            pass: None,
            pages: Vec::new(),
            readings: Vec::new(),
        };
        let named = names_made_unique(vec![unit("a-b.zip"), unit("a-b.zip"), unit("A-B.zip")]);
        let names: Vec<&str> = named.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["a-b.zip", "a-b-2.zip", "A-B-3.zip"]);
    }
}
