//! `qinglian export wechat ITEM…`: cases, news, principles and policies as articles for the
//! hospital's WeChat official account (see [`crate::export::wechat`]), each an HTML page to
//! open and copy from, its pictures beside it. Made from the public edition: a staff-only or
//! draft item is refused, as it would be on the website.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::export::wechat;
use crate::fsio;
use crate::kinds::Kind;
use crate::messages::{Lang, say};
use crate::pipeline::{self, Prepared, SiteArgs};
use crate::types::Audience;

#[derive(Debug, Clone)]
pub struct WechatArgs {
    pub root: PathBuf,
    /// The items: ids (`cases/2024/x`), files (`content/cases/2024/x.md`) or file names.
    pub items: Vec<String>,
    /// The folder for the articles; `wechat/` under the site root when absent.
    pub output: Option<PathBuf>,
    pub now: Option<String>,
    pub lang: Lang,
}

/// What marks a page this command wrote (so it may be written again).
const MARK: &str = "<meta name=\"generator\" content=\"qinglian export wechat\">";

/// Checks the site as a public build does, then writes one article per item; nothing is
/// written when a name does not lead to a published case, news item, principle or policy.
pub fn run(args: &WechatArgs) -> Result<Outcome> {
    let root = super::site_root(&args.root)?;
    let out = super::export::output_folder(&root, args.output.as_deref(), "wechat")?;
    let site = SiteArgs {
        root,
        drafts: false,
        now: args.now.clone(),
        audience: Audience::Public,
        base_url: None,
        strict: false,
        relative: false,
        lang: args.lang,
        unit: None,
        units: Default::default(),
    };
    let (prepared, diags) = pipeline::prepare(&site)?;
    pipeline::print_human(&diags, args.lang);
    let Some(prepared) = prepared.filter(|_| !diags.iter().any(Diagnostic::is_error)) else {
        say(args.lang, &crate::msg!("wechat.stopped"));
        return Ok(Outcome::ContentErrors);
    };
    let ids: Vec<String> = (args.items.iter())
        .map(|name| find(&prepared, name))
        .collect::<Result<_>>()?;
    for id in &ids {
        let name = id.rsplit('/').next().unwrap_or(id);
        let article = wechat::article(&prepared, &prepared.site.items[id], name);
        write(&out, name, &article)?;
        let path = out.join(format!("{name}.html"));
        let m = crate::msg!(
            "wechat.wrote",
            path = path.display(),
            pictures = article.pictures
        );
        say(args.lang, &m);
    }
    Ok(Outcome::Clean)
}

/// The published item a clerk named: by id, file or file name; one of the article kinds.
fn find(prepared: &Prepared, name: &str) -> Result<String> {
    let site = &prepared.site;
    let typed = crate::kinds::typed_id(name);
    let by_stem = || {
        let matches: Vec<&String> = (site.items.keys())
            .filter(|id| id.rsplit('/').next() == Some(typed.as_str()))
            .collect();
        (matches.len() == 1).then(|| matches[0].clone())
    };
    let Some(id) = site
        .items
        .get(&typed)
        .map(|i| i.id.clone())
        .or_else(by_stem)
    else {
        let near = crate::site::nearest_ids(&typed, "", site.items.keys().map(String::as_str));
        let m = crate::msg!("wechat.unknown", name = name);
        let hint = match near.first() {
            Some(n) => crate::msg!("new.kind_hint", kind = n),
            None => kinds(),
        };
        return Err(Error::usage(m).with_hint(hint));
    };
    let kind = site.items[&id].kind;
    if !crate::render::kinds::makes_articles(kind) {
        return Err(Error::usage(crate::msg!("wechat.wrong_kind", name = name)).with_hint(kinds()));
    }
    if !site.entries.contains_key(&id) {
        let why = site.excluded.get(&id).map(|e| e.explain());
        let m = crate::msg!("wechat.unpublished", name = name);
        return Err(Error::usage(
            m.sub("why", why.unwrap_or_else(|| crate::msg!("excluded.draft"))),
        ));
    }
    Ok(id)
}

/// What can be made into an article, by the kinds' names (`案例（case）、…`).
fn kinds() -> crate::messages::Msg {
    let names: Vec<String> = (Kind::ALL.iter())
        .filter(|&&k| crate::render::kinds::makes_articles(k))
        .map(|k| format!("{}（{}）", k.chinese_names()[0], k.name()))
        .collect();
    crate::msg!("wechat.kinds", kinds = names.join("、"))
}

/// Writes the page and its pictures; refuses to replace a page it did not write.
fn write(out: &Path, name: &str, article: &wechat::Article) -> Result<()> {
    let page = out.join(format!("{name}.html"));
    if fsio::lexists(&page) {
        let ours = fsio::read(&page).is_ok_and(|b| String::from_utf8_lossy(&b).contains(MARK));
        if !ours {
            return Err(Error::usage(crate::msg!(
                "wechat.not_ours",
                path = page.display()
            )));
        }
    }
    for (rel, bytes) in &article.files {
        fsio::write(&out.join(rel), bytes)?;
    }
    let html = article.html.replacen(
        "<meta charset=\"utf-8\">",
        &format!("<meta charset=\"utf-8\">\n{MARK}"),
        1,
    );
    fsio::write(&page, html.as_bytes())
}
