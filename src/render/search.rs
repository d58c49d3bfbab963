//! The search page and the search index: one document per published page, from the
//! cross-kind view, with the facts that live in front matter (a policy's number, a
//! channel's number and hours) added to the text so they can be found too.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::layout::Layout;
use super::reader::Reader;
use super::{Content, Env, Strings, kinds};
use crate::bodies::Body;
use crate::built::{PageView, Site};
use crate::diag::Diagnostic;
use crate::kinds::{Item, Kind};
use crate::search::{self, SearchDoc};
use crate::site::Link;

pub use crate::site::urls::search_url;

/// `search/index.html`: the form, the results list, and the strings the script shows.
pub fn page(env: &Env, reader: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct SearchCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        search_base: String,
        index_form: &'static str,
        sections: &'a [Link],
        search_json: String,
    }
    let title = env.r.strings.get("search.title");
    let url = search_url(reader);
    for &kind in crate::kinds::Kind::ALL {
        reader.order(kind);
    }
    let ctx = SearchCtx {
        layout: Layout::new(env.view, &title, None, &url),
        search_base: url.clone(),
        index_form: match search::shard::Form::of(reader.options().relative) {
            search::shard::Form::Data => "json",
            search::shard::Form::Scripts => "js",
        },
        sections: &env.view.nav,
        search_json: search::page_data(env.r.strings.prefixed("search.")),
    };
    env.emit("search.html", &ctx)
}

/// The index files (`search/meta.json`, `search/t/*.json`, `search/d/*.json`, or `.js` in a
/// `--relative` build) of every published page; it reads everything.
pub fn index(env: &Env, reader: &Reader) -> Content {
    let site = reader.everything();
    index_files(site, docs(site, &env.r.strings))
}

/// Hands the index files of every published page to `emit` as each is made (a build writes
/// them straight out instead of holding them all), making each page's document only when
/// the index asks for it.
pub fn write_index(env: &Env, reader: &Reader, emit: &search::Emit) -> crate::error::Result<()> {
    let site = reader.everything();
    let pages = PageDocs {
        site,
        pages: site.pages().collect(),
        sections: sections(site, &env.r.strings),
        t: &env.r.strings,
    };
    let form = search::shard::Form::of(site.options.relative);
    let publish = |path: String, bytes: Vec<u8>| {
        let (path, bytes) = form.publish(path, bytes);
        emit(path, bytes)
    };
    let built = search::build_into(pages, &publish)?;
    debug_assert!(built.problems.is_empty(), "{:?}", built.problems);
    Ok(())
}

/// The published pages as search documents, each made when asked for, then the sections'
/// documents (few and short: made already).
struct PageDocs<'a> {
    site: &'a Site,
    pages: Vec<PageView<'a>>,
    sections: Vec<SearchDoc>,
    t: &'a Strings,
}

impl search::Docs for PageDocs<'_> {
    fn count(&self) -> usize {
        self.pages.len() + self.sections.len()
    }

    fn doc(&self, i: usize) -> std::borrow::Cow<'_, SearchDoc> {
        match self.pages.get(i) {
            Some(p) => std::borrow::Cow::Owned(doc(self.site, p, self.t)),
            None => std::borrow::Cow::Borrowed(&self.sections[i - self.pages.len()]),
        }
    }

    fn outline(&self, i: usize) -> Option<search::Outline> {
        outline(self.site, self.pages.get(i)?, self.t)
    }
}

/// What [`doc`] would give the index's first pass, with the page's text measured and not
/// made: `None` when the body holds a `<` or is cut (then the document is made and checked).
fn outline(site: &Site, p: &PageView, t: &Strings) -> Option<search::Outline> {
    let text = search::measure(p.html);
    let facts = facts(site, p, t);
    let summary = p.meta.summary.as_deref().unwrap_or("");
    let lt = |s: &str| s.contains('<');
    if text.has_lt || lt(summary) || facts.iter().any(|f| lt(f)) {
        return None;
    }
    // As `doc` joins them: the facts by spaces, then the summary and the text, each after a
    // space when something comes before it.
    let mut body = facts.iter().map(String::len).sum::<usize>() + facts.len().saturating_sub(1);
    for len in [summary.len(), text.text] {
        body += usize::from(body > 0 && len > 0) + len;
    }
    (body <= BODY_BYTES).then(|| search::Outline {
        url: result_link(site, p.url),
        kind: p.kind.name().to_owned(),
        title_blank: p.meta.title.trim().is_empty(),
        lengths: [p.meta.title.len(), text.headings, body],
    })
}

/// One search document per published page, in the cross-kind view's order, then one per
/// section list.
pub fn docs(site: &Site, t: &Strings) -> Vec<SearchDoc> {
    let pages: Vec<PageView> = site.pages().collect();
    let tasks = pages.par_iter().with_max_len(crate::types::ITEMS_PER_TASK);
    let mut docs: Vec<SearchDoc> = tasks.map(|p| doc(site, p, t)).collect();
    docs.extend(sections(site, t));
    docs
}

/// One document per section list page (a reader types a section's name, 九项准则, to find
/// it): titled as the list is, with its introduction's summary and text.
fn sections(site: &Site, t: &Strings) -> Vec<SearchDoc> {
    let listed = Kind::ALL.iter().filter(|&&k| site.has_section(k));
    listed
        .filter_map(|&kind| Some((kind, kinds::title(kind)?)))
        .map(|(kind, title)| {
            let intro = site.intro(kind.folder()).map(|i| &i.meta);
            let summary = intro.and_then(|m| m.summary.as_deref()).unwrap_or("");
            SearchDoc {
                url: result_link(site, &site.section_url(kind)),
                kind: kind.name().to_owned(),
                title: intro.map_or_else(|| t.get(title), |m| m.title.clone()),
                headings: Vec::new(),
                body: search::index::cut(summary, BODY_BYTES).to_owned(),
                date: None,
            }
        })
        .collect()
}

/// Each page's document with the item and body it was made from (shared with the site, not
/// copied), so `serve` makes again only the documents of pages that changed.
#[derive(Debug, Default)]
pub struct DocCache(crate::cache::Store<(Arc<Item>, Option<Arc<Body>>, SearchDoc)>);

/// Hands the index files of every published page to `emit`, as [`write_index`] does, taking
/// unchanged pages' documents from `cache` (which it then updates) and lending them to the
/// index rather than copying them.
pub fn index_reusing(
    site: &Site,
    t: &Strings,
    cache: &mut DocCache,
    emit: &search::Emit,
) -> crate::error::Result<()> {
    let pages: Vec<PageView> = site.pages().collect();
    let ids: Vec<&str> = pages.iter().map(|p| p.id).collect();
    let kept = crate::cache::refresh(
        &mut cache.0,
        &ids,
        |i, (item, body, d)| {
            let p = &pages[i];
            let html = body.as_ref().map_or("", |b| b.html.as_str());
            std::ptr::eq(&**item, p.item) && html == p.html && is_result_link(site, p.url, &d.url)
        },
        |i| {
            let p = &pages[i];
            let body = site.bodies.by_id.get(p.id).cloned();
            (Arc::clone(&site.items[p.id]), body, doc(site, p, t))
        },
    );
    let docs = KeptDocs {
        pages: kept.into_iter().map(|(_, _, d)| d).collect(),
        sections: sections(site, t),
    };
    let form = search::shard::Form::of(site.options.relative);
    let publish = |path: String, bytes: Vec<u8>| {
        let (path, bytes) = form.publish(path, bytes);
        emit(path, bytes)
    };
    search::build_into(docs, &publish).map(drop)
}

/// The pages' documents as kept between rebuilds, then the sections'.
struct KeptDocs<'a> {
    pages: Vec<&'a SearchDoc>,
    sections: Vec<SearchDoc>,
}

impl search::Docs for KeptDocs<'_> {
    fn count(&self) -> usize {
        self.pages.len() + self.sections.len()
    }

    fn doc(&self, i: usize) -> std::borrow::Cow<'_, SearchDoc> {
        match self.pages.get(i) {
            Some(d) => std::borrow::Cow::Borrowed(d),
            None => std::borrow::Cow::Borrowed(&self.sections[i - self.pages.len()]),
        }
    }
}

/// The index files of `docs` as `site` publishes them.
pub fn index_files(site: &Site, docs: Vec<SearchDoc>) -> Content {
    let form = search::shard::Form::of(site.options.relative);
    let files = search::build_collected(docs).0;
    Content::Files(files.into_iter().map(|(p, b)| form.publish(p, b)).collect())
}

/// Whether `link` is [`result_link`] of `url`, without making it.
fn is_result_link(site: &Site, url: &str, link: &str) -> bool {
    match url.strip_prefix(site.base_path.as_str()) {
        Some(rest) if site.options.relative => {
            let inner = link
                .strip_prefix("../")
                .and_then(|l| l.strip_suffix("index.html"));
            inner == Some(rest)
        }
        _ => link == url,
    }
}

/// A result's link as written on the search page: the page's address, or in a `--relative`
/// build the path from `search/index.html` to the page's `index.html`.
fn result_link(site: &Site, url: &str) -> String {
    match url.strip_prefix(site.base_path.as_str()) {
        Some(rest) if site.options.relative => format!("../{rest}index.html"),
        _ => url.to_owned(),
    }
}

/// Bodies longer than this are cut before indexing (the index looks at no more anyway).
const BODY_BYTES: usize = search::index::MAX_INDEXED_BYTES;

fn doc(site: &Site, p: &PageView, t: &Strings) -> SearchDoc {
    let extract = search::plain_text(p.html);
    let facts = facts(site, p, t).join(" ");
    let parts = [
        &facts,
        p.meta.summary.as_deref().unwrap_or(""),
        &extract.text,
    ];
    // Made in one allocation of the right size: grown by pushes, the text was copied twice.
    let mut body = String::with_capacity(parts.iter().map(|s| s.len() + 1).sum());
    for text in parts {
        if !body.is_empty() && !text.is_empty() {
            body.push(' ');
        }
        body.push_str(text);
    }
    let cut = search::index::cut(&body, BODY_BYTES).len();
    if cut < body.len() {
        body.truncate(cut);
        body.shrink_to_fit();
    }
    SearchDoc {
        url: result_link(site, p.url),
        kind: p.kind.name().to_owned(),
        title: p.meta.title.clone(),
        headings: extract.headings,
        body,
        date: p.meta.date.map(|d| d.to_string()),
    }
}

/// What a page shows from its front matter that a reader may search for, as its kind's
/// module says ([`kinds::KindPages::facts`]).
fn facts(site: &Site, p: &PageView, t: &Strings) -> Vec<String> {
    kinds::facts(p, &kinds::Facts::of(site, t, p.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testutil::{SITE, linked};
    use crate::types::Audience;

    #[test]
    fn front_matter_facts_are_searchable_and_drafts_are_not_indexed() {
        let files = [
            (
                "policies/gift.md",
                "---\ntitle: 礼品管理办法\ndoc_no: 院廉〔2024〕12号\nissuer: 纪检监察室\n---\n正文。\n",
            ),
            (
                "channels/tel.md",
                "---\ntitle: 举报电话\nkind: phone\nvalue: 0571-81234567\nhours: 工作日\n---\n",
            ),
            (
                "channels/old.md",
                "---\ntitle: 旧电话\nkind: phone\nvalue: 0571-1\nvalid_until: 2020-01-01\n---\n",
            ),
            (
                "cases/draft.md",
                "---\ntitle: 草稿案例\ndate: 2024-01-01\ndraft: true\n---\n不应出现。\n",
            ),
            (
                "cases/staff.md",
                "---\ntitle: 内部案例\ndate: 2024-01-01\naudience: staff\n---\n仅限职工。\n",
            ),
        ];
        let (site, diags) = linked(SITE, &files, Audience::Public);
        assert!(diags.is_empty(), "{diags:?}");
        let t = Strings::from_pairs(&[
            ("channel_kind.phone", "电话"),
            ("channel.expired", "该渠道已停用。"),
        ]);
        let docs = docs(&site, &t);
        let policy = docs.iter().find(|d| d.kind == "policy").unwrap();
        assert!(
            policy.body.starts_with("院廉〔2024〕12号 纪检监察室 正文"),
            "{}",
            policy.body
        );
        let channel = docs.iter().find(|d| d.title == "举报电话").unwrap();
        assert!(channel.body.contains("0571-81234567") && channel.body.contains("工作日"));
        assert!(!channel.body.contains("已停用"), "{}", channel.body);
        let old = docs.iter().find(|d| d.title == "旧电话").unwrap();
        assert!(
            old.body.starts_with("该渠道已停用。 电话 0571-1"),
            "as its page: {}",
            old.body
        );
        let urls: Vec<&str> = docs.iter().map(|d| d.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "/policies/gift/",
                "/channels/old/",
                "/channels/tel/",
                "/policies/",
                "/report/"
            ],
            "no draft, no staff-only page, and no section of theirs alone"
        );
    }

    /// A clerk types the section's name or a word of an explanation: a principle's document
    /// names its section and number, a bank's holds its explanations (as text), and each
    /// section list has a document titled as the list is, with its introduction's summary.
    #[test]
    fn principles_name_their_section_and_banks_hold_their_explanations() {
        let files = [
            (
                "principles/08.md",
                "---\ntitle: 共建和谐关系，不收受患方“红包”\nnumber: 8\n---\n释义。\n",
            ),
            (
                "principles/_index.md",
                "---\ntitle: 廉洁从业九项准则\nsummary: 逐条释义。\n---\n本栏目的介绍。\n",
            ),
            (
                "quizzes/q.md",
                "---\ntitle: 自测\n---\n## 【判断】红包可以收。\n答案：错\n解析：见[第八条](@/principles/08.md)，**先试用后报批**也不行。\n",
            ),
        ];
        let (site, diags) = linked(SITE, &files, Audience::Public);
        assert!(diags.is_empty(), "{diags:?}");
        let t = Strings::from_pairs(&[
            ("nav.principles", "九项准则"),
            ("nav.quizzes", "自测题库"),
            ("principle_number", "第{}条"),
        ]);
        let docs = docs(&site, &t);
        let body = |url: &str| {
            let d = docs.iter().find(|d| d.url == url).unwrap();
            (d.title.as_str(), d.body.as_str(), d.kind.as_str())
        };
        assert_eq!(body("/principles/08/").1, "九项准则 第8条 释义。");
        assert_eq!(
            body("/quizzes/q/").1,
            "红包可以收。 见第八条，先试用后报批也不行。"
        );
        assert_eq!(
            body("/principles/"),
            ("廉洁从业九项准则", "逐条释义。", "principle")
        );
        assert_eq!(body("/quizzes/"), ("自测题库", "", "quiz"));
    }

    #[test]
    fn an_outline_is_what_the_made_document_gives_or_none() {
        let files = [
            (
                "policies/gift.md",
                "---\ntitle: 礼品管理办法\ndoc_no: 院廉〔2024〕12号\nsummary: 收受礼品的规定\n---\n## 第一条\n\n正文&nbsp;内容。\n\n- 一\n- 二\n",
            ),
            (
                "channels/tel.md",
                "---\ntitle: 举报电话\nkind: phone\nvalue: 0571-81234567\n---\n",
            ),
            (
                "pages/code.md",
                "---\ntitle: 代码\n---\n写成 `<p>` 的段落。\n",
            ),
            (
                "pages/angle.md",
                "---\ntitle: 比较\nsummary: a <b\n---\n正文\n",
            ),
        ];
        let (site, diags) = linked(SITE, &files, Audience::Public);
        assert!(diags.is_empty(), "{diags:?}");
        let t = Strings::from_pairs(&[("channel_kind.phone", "电话")]);
        let pages: Vec<PageView> = site.pages().collect();
        let mut told = Vec::new();
        for p in &pages {
            let made = search::Outline::of(&doc(&site, p, &t));
            match outline(&site, p, &t) {
                Some(o) => assert_eq!(o, made, "{}", p.id),
                None => told.push(p.id),
            }
        }
        told.sort_unstable();
        assert_eq!(
            told,
            ["pages/angle", "pages/code"],
            "pages with a `<` are made"
        );
    }
}
