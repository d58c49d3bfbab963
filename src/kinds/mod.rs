//! Parse stage: turn each loaded file into a typed item of its kind, by folder. The list of
//! kinds is written once, in [`kinds!`]; everything else loops over it.

pub mod front;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::types::{Id, IndexMap};
pub use front::Meta;

/// A parsed content item: its id (path without `.md`), kind, source, shared keys and own
/// fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: Id,
    pub kind: Kind,
    pub file: Arc<SourceFile>,
    pub meta: Meta,
    pub data: Data,
}

/// A kind's own data type, reachable from [`Data`] by type.
pub trait KindData: Sized + 'static {
    const KIND: Kind;
    fn of(data: &Data) -> Option<&Self>;
}

/// How a kind's files are read: by default, front matter only.
pub trait Parse: Sized {
    fn parse(file: &SourceFile) -> (Option<(Meta, Self)>, Vec<Diagnostic>);
}

impl<T: front::FrontMatter> Parse for T {
    fn parse(file: &SourceFile) -> (Option<(Meta, Self)>, Vec<Diagnostic>) {
        front::parse::<T>(file)
    }
}

/// What a content kind says of itself beyond its front matter: how its list is ordered and
/// paged, its place in the menu, the principles an item cites, what groups it in lists,
/// what its front matter refers to, the draft a blank site starts with, and whether a
/// commission shares it. Every method has the plain default; a kind states what differs.
pub trait KindDef: KindData + Parse + Serialize + std::fmt::Debug + Clone + PartialEq {
    /// Orders two items of the kind in its list (the caller breaks ties by id).
    fn compare(a: (&Meta, &Self), b: (&Meta, &Self)) -> std::cmp::Ordering {
        let _ = (a, b);
        std::cmp::Ordering::Equal
    }
    /// Whether the list comes in numbered pages.
    const PAGED: bool = false;
    /// The kind's place in the default menu (smaller first), if it has one.
    const MENU: Option<u8> = None;
    /// The principle numbers an item cites (each principle page lists them).
    fn principles(&self) -> std::borrow::Cow<'_, [u8]> {
        std::borrow::Cow::Borrowed(&[])
    }
    /// What places an item in its list's groups besides its date (a category, a department,
    /// a validity): `serve` renders the list again when it changes.
    fn grouping(&self) -> String {
        String::new()
    }
    /// Reports what the front matter refers to, for the link stage to check.
    fn references(&self, r: &mut dyn References) {
        let _ = r;
    }
    /// The files under `content/` the item's page shows from its front matter (a news cover,
    /// a channel's QR picture), by key: published with the page.
    fn attachments(&self) -> Vec<(&'static str, &str)> {
        Vec::new()
    }
    /// The draft a blank site starts with: its file name and title.
    const DRAFT: Option<(&'static str, &'static str)> = None;
    /// Whether a commission shares such items with its units by default.
    const SHARED: bool = false;
    /// Whether the kind's list has an Atom feed of its latest items (`<folder>/atom.xml`).
    const FEED: bool = false;
    /// Whether the kind has a list page (free pages have none).
    const LISTED: bool = true;
    /// Whether its list page exists even with no item (the report page: 我要举报 never
    /// leads nowhere).
    const ALWAYS_LISTED: bool = false;
    /// Where the list page is under the base, when not at the folder (`report`).
    const LIST_AT: Option<&'static str> = None;
    /// Whether items sit at the top of the site (`pages/about/x` → `/about/x/`) rather than
    /// under their folder.
    const AT_TOP: bool = false;
    /// The text of a new item made from the kind's archetype, given the title typed.
    fn from_title(text: String, title: &str) -> String {
        let _ = title;
        text
    }
    /// The Markdown of an item's body (`body` is the file's text after the front matter).
    fn markdown<'a>(&'a self, body: &'a str) -> &'a str {
        body
    }
}

/// What a kind's front matter refers to, as the link stage checks it ([`crate::site`]).
pub trait References {
    /// Principle numbers, under `key`.
    fn principles(&mut self, key: &'static str, numbers: &[u8]);
    /// An item's id under `key`, of `kind` when given.
    fn id(&mut self, key: &'static str, id: &str, kind: Option<Kind>);
    /// A file under `content/` named under `key` as `written` (`@/` allowed), with the hint
    /// for when it is missing.
    fn attachment(&mut self, key: &'static str, written: &str, hint: crate::messages::Msg);
    /// A question's `依据` line (its line in the file and the text after `依据：`).
    fn basis(&mut self, line: usize, basis: &str);
}

/// Declares the content kinds once, one line each: the variant, its parse module and type,
/// its name, folder and Chinese names, and its render module (`render::kinds::<pages>`). From
/// the lines come the `Kind` and `Data` enums, the module declarations, every dispatch from a
/// kind to its definition, and `kind_pages!`, which hands the render side the same list.
macro_rules! kinds {
    (@define ($d:tt) $($variant:ident($module:ident::$ty:ident) = $name:literal, $folder:literal,
        [$($zh:literal),+] => $pages:ident;)*) => {
        $(pub mod $module;)*

        /// The content folders and what lives in them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum Kind { $($variant),* }

        /// A kind's own fields.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(untagged)]
        pub enum Data { $($variant($module::$ty)),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            /// The singular name used by `qinglian new` and in the search index.
            pub fn name(self) -> &'static str {
                match self { $(Kind::$variant => $name),* }
            }

            /// The folder under `content/`.
            pub fn folder(self) -> &'static str {
                match self { $(Kind::$variant => $folder),* }
            }

            /// The Chinese names a clerk may use for the kind (`new 案例 …`), the usual first.
            pub fn chinese_names(self) -> &'static [&'static str] {
                match self { $(Kind::$variant => &[$($zh),+]),* }
            }

            /// Whether the kind's list comes in numbered pages.
            pub fn paged(self) -> bool {
                match self { $(Kind::$variant => <$module::$ty as KindDef>::PAGED),* }
            }

            /// The kind's place in the default menu, if any.
            pub fn menu(self) -> Option<u8> {
                match self { $(Kind::$variant => <$module::$ty as KindDef>::MENU),* }
            }

            /// The draft a blank site starts with (file name and title), if any.
            pub fn draft(self) -> Option<(&'static str, &'static str)> {
                match self { $(Kind::$variant => <$module::$ty as KindDef>::DRAFT),* }
            }

            /// Whether a commission shares the kind's items by default.
            pub fn shared(self) -> bool {
                match self { $(Kind::$variant => <$module::$ty as KindDef>::SHARED),* }
            }

            /// Whether the kind's list has an Atom feed.
            pub fn feed(self) -> bool {
                match self { $(Kind::$variant => <$module::$ty as KindDef>::FEED),* }
            }

            /// Whether the kind has a list page.
            pub fn listed(self) -> bool {
                match self { $(Kind::$variant => <$module::$ty as KindDef>::LISTED),* }
            }

            /// Whether its list page exists even with no item.
            pub fn always_listed(self) -> bool {
                match self { $(Kind::$variant => <$module::$ty as KindDef>::ALWAYS_LISTED),* }
            }

            /// Where the list page is under the base: its own place, else the folder.
            pub fn list_at(self) -> &'static str {
                match self {
                    $(Kind::$variant => <$module::$ty as KindDef>::LIST_AT.unwrap_or($folder)),*
                }
            }

            /// Whether items sit at the top of the site rather than under their folder.
            pub fn at_top(self) -> bool {
                match self { $(Kind::$variant => <$module::$ty as KindDef>::AT_TOP),* }
            }

            /// The text of a new item made from the kind's archetype, given the title typed.
            pub fn from_title(self, text: String, title: &str) -> String {
                match self { $(Kind::$variant => <$module::$ty as KindDef>::from_title(text, title)),* }
            }

            fn parse(self, file: &SourceFile) -> (Option<(Meta, Data)>, Vec<Diagnostic>) {
                match self {
                    $(Kind::$variant => {
                        let (parsed, diags) = <$module::$ty as Parse>::parse(file);
                        (parsed.map(|(m, d)| (m, Data::$variant(d))), diags)
                    })*
                }
            }
        }

        impl Data {
            /// The principle numbers the item cites.
            pub fn principles(&self) -> std::borrow::Cow<'_, [u8]> {
                match self { $(Data::$variant(d) => <$module::$ty as KindDef>::principles(d)),* }
            }

            /// What groups the item in its list besides its date.
            pub fn grouping(&self) -> String {
                match self { $(Data::$variant(d) => <$module::$ty as KindDef>::grouping(d)),* }
            }

            /// Reports what the front matter refers to.
            pub fn references(&self, r: &mut dyn References) {
                match self { $(Data::$variant(d) => <$module::$ty as KindDef>::references(d, r)),* }
            }

            /// The files under `content/` the item's page shows, by front matter key.
            pub fn attachments(&self) -> Vec<(&'static str, &str)> {
                match self { $(Data::$variant(d) => <$module::$ty as KindDef>::attachments(d)),* }
            }

            /// The Markdown of the item's body, given the file's text after its front matter.
            pub fn markdown<'a>(&'a self, body: &'a str) -> &'a str {
                match self { $(Data::$variant(d) => <$module::$ty as KindDef>::markdown(d, body)),* }
            }
        }

        /// Orders two items of one kind in its list: by the kind's own order, then by id.
        pub fn compare(a: &Item, b: &Item) -> std::cmp::Ordering {
            let own = match &a.data {
                $(Data::$variant(x) => <$module::$ty as KindData>::of(&b.data).map_or(
                    std::cmp::Ordering::Equal,
                    |y| <$module::$ty as KindDef>::compare((&a.meta, x), (&b.meta, y)),
                )),*
            };
            own.then_with(|| a.id.cmp(&b.id))
        }

        $(impl KindData for $module::$ty {
            const KIND: Kind = Kind::$variant;
            fn of(data: &Data) -> Option<&Self> {
                #[allow(irrefutable_let_patterns)]
                if let Data::$variant(x) = data { Some(x) } else { None }
            }
        })*

        /// The registry's lines for the render side: `kind_pages!(callback)` calls
        /// `callback! { Variant pages, … }` ([`crate::render::kinds`]).
        macro_rules! kind_pages {
            ($d callback:ident) => { $d callback! { $($variant $pages),* } };
        }
    };
    ($($line:tt)*) => { kinds! { @define ($) $($line)* } };
}

kinds! {
    Principle(principle::Principle) = "principle", "principles", ["准则", "九项准则"] => principles;
    Policy(policy::Policy) = "policy", "policies", ["制度", "制度文件", "文件"] => policies;
    Case(case::Case) = "case", "cases", ["案例", "警示案例"] => cases;
    Channel(channel::Channel) = "channel", "channels", ["举报渠道", "渠道"] => channels;
    Disclosure(disclosure::Disclosure) = "disclosure", "disclosures", ["信息公开", "公开", "公示"] => disclosures;
    Module(module::Module) = "module", "modules", ["学习模块", "模块"] => modules;
    Quiz(quiz::QuizBank) = "quiz", "quizzes", ["自测题库", "题库", "自测"] => quizzes;
    Page(page::Page) = "page", "pages", ["页面", "普通页面"] => pages;
    News(news::News) = "news", "news", ["工作动态", "动态", "新闻"] => news;
    Risk(risk::Risk) = "risk", "risks", ["廉洁风险点", "风险点", "风险防控"] => risks;
    Reminder(reminder::Reminder) = "reminder", "reminders", ["廉洁提醒", "节日廉洁提醒", "提醒"] => reminders;
    Pledge(pledge::Pledge) = "pledge", "pledges", ["承诺书", "廉洁承诺书"] => pledges;
    Exemplar(exemplar::Exemplar) = "exemplar", "exemplars", ["先进典型", "典型", "榜样"] => exemplars;
}

impl Kind {
    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.folder() == folder)
    }

    /// The kind named `name`: its English name or folder (any case), or a Chinese name.
    pub fn from_name(name: &str) -> Option<Kind> {
        let name = name.trim();
        let lower = name.to_ascii_lowercase();
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.name() == lower || k.folder() == lower || k.chinese_names().contains(&name))
    }

    /// The kind a mistyped name most likely means (`cass`, `案列`).
    pub fn nearest(name: &str) -> Option<Kind> {
        let names = Kind::ALL.iter().flat_map(|k| {
            let english = [k.name(), k.folder()].into_iter();
            english
                .chain(k.chinese_names().iter().copied())
                .map(move |n| (*k, n))
        });
        let lower = name.trim().to_ascii_lowercase();
        (names.map(|(k, n)| (crate::types::nearness(&lower, n), k)))
            .filter(|(score, _)| score.is_some())
            .min_by_key(|(score, _)| *score)
            .map(|(_, k)| k)
    }
}

/// An id as a person types it on the command line (`content\\modules\\x.md`,
/// `./modules/x.md`, `modules/x`): slashes forward, without `./`, `content/` and `.md`.
pub fn typed_id(text: &str) -> String {
    let id = text.replace('\\', "/");
    let id = id.trim_start_matches("./").trim_start_matches("content/");
    id.trim_end_matches(".md").to_owned()
}

impl Item {
    /// The last path segment of the URL: `slug:` or the file name.
    pub fn slug(&self) -> &str {
        self.meta
            .slug
            .as_deref()
            .unwrap_or_else(|| self.id.rsplit('/').next().unwrap_or(&self.id))
    }

    /// The item's own fields as kind `K`.
    pub fn get<K: KindData>(&self) -> Option<&K> {
        K::of(&self.data)
    }

    pub fn key_error(&self, key: &str, msg: impl Into<crate::messages::Msg>) -> Diagnostic {
        self.file.key_error(key, msg)
    }

    pub fn key_warning(&self, key: &str, msg: impl Into<crate::messages::Msg>) -> Diagnostic {
        self.file.key_warning(key, msg)
    }

    /// The Markdown of the item's body (a bank's questions are not Markdown).
    pub fn markdown(&self) -> &str {
        self.data.markdown(self.file.body())
    }
}

/// A file's place in the site: an item, a section's introduction (`<folder>/_index.md`, or
/// `_index.md` for the home page), or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed1 {
    Item(Arc<Item>),
    /// The section key (`""` for home, else the folder) and the introduction.
    Intro(String, Arc<Item>),
    /// The file's front matter could not be read (reported); its id still exists, so
    /// references to it are not reported again.
    Failed(Id),
    /// The file is not content (reported).
    Rejected,
}

/// Every typed item of the site, keyed by id, before links are resolved.
#[derive(Debug, Default, Clone)]
pub struct Parsed {
    pub items: IndexMap<Id, Arc<Item>>,
    /// Section introductions by section key (`""` for the home page).
    pub intros: BTreeMap<String, Arc<Item>>,
    /// Ids of files whose front matter could not be read (already reported).
    pub failed: BTreeSet<Id>,
    /// In a unit's build, the items taken from the commission's shared layer
    /// ([`crate::units`]); empty otherwise.
    pub shared: BTreeSet<Id>,
    /// In a unit's build, the commission's items it does not publish, which its shared items
    /// may still link to (on the commission's site).
    pub elsewhere: Option<Arc<Elsewhere>>,
}

/// In a unit's build ([`crate::units`]): the commission's items the unit does not publish,
/// and where the commission publishes them.
#[derive(Debug, Default, PartialEq)]
pub struct Elsewhere {
    /// The commission's `base_url`, with one trailing slash.
    pub base_url: String,
    pub items: Vec<Arc<Item>>,
}

impl Parsed {
    /// Gathers per-file results (in any order) into the site's items, sorted by id.
    pub fn gather(results: impl IntoIterator<Item = Parsed1>) -> Parsed {
        let results = results.into_iter();
        let mut parsed = Parsed::default();
        parsed.items.reserve(results.size_hint().0);
        for one in results {
            match one {
                Parsed1::Item(item) => {
                    parsed.items.insert(item.id.clone(), item);
                }
                Parsed1::Intro(key, item) => {
                    parsed.intros.insert(key, item);
                }
                Parsed1::Failed(id) => {
                    parsed.failed.insert(id);
                }
                Parsed1::Rejected => {}
            }
        }
        // Files come in path order, which is mostly id order already: sorting makes the
        // map's index again, which at 100,000 items is worth sparing.
        if !parsed.items.keys().is_sorted() {
            parsed.items.sort_keys();
        }
        parsed
    }
}

/// Parses every file in parallel; returns the items and every diagnostic found.
pub fn parse(files: &[Arc<SourceFile>]) -> (Parsed, Vec<Diagnostic>) {
    parse_reusing(files, &mut ParseCache::one_off())
}

/// Each file's parse by path, kept with the file it came from: a file that is the very same
/// (`Arc`) as last time is not parsed again.
#[derive(Debug, Default, Clone)]
pub struct ParseCache {
    by_rel: crate::cache::Store<(Arc<SourceFile>, Parsed1, Vec<Diagnostic>)>,
}

impl ParseCache {
    /// For a single run: every file parsed, nothing filed.
    pub fn one_off() -> ParseCache {
        ParseCache {
            by_rel: crate::cache::Store::one_off(),
        }
    }
}

/// Like [`parse`], taking unchanged files' results from `cache`, which it then updates.
pub fn parse_reusing(
    files: &[Arc<SourceFile>],
    cache: &mut ParseCache,
) -> (Parsed, Vec<Diagnostic>) {
    let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    let kept = crate::cache::refresh(
        &mut cache.by_rel,
        &rels,
        |i, (was, _, _)| Arc::ptr_eq(was, &files[i]),
        |i| {
            let (one, d) = parse_file(&files[i]);
            (Arc::clone(&files[i]), one, d)
        },
    );
    let mut diags = Vec::new();
    let mut ones = Vec::with_capacity(kept.len());
    for (_, one, d) in kept {
        diags.extend(d.iter().cloned());
        ones.push(one.clone());
    }
    cache.by_rel.end_run();
    (Parsed::gather(ones), diags)
}

/// Parses one file (pure: the same file always gives the same result).
pub fn parse_file(file: &Arc<SourceFile>) -> (Parsed1, Vec<Diagnostic>) {
    let id = file.id();
    let folder = file.rel.split('/').next().unwrap_or("");
    if file.rel == "_index.md" {
        return intro(file, id, String::new(), Kind::Page);
    }
    let Some(kind) = Kind::from_folder(folder).filter(|_| file.rel.contains('/')) else {
        let folders: Vec<&str> = Kind::ALL.iter().map(|k| k.folder()).collect();
        let d = Diagnostic::file(Severity::Error, &file.shown, crate::msg!("kinds.no_folder"))
            .with_hint(crate::msg!(
                "kinds.no_folder.hint",
                folders = folders.join(", ")
            ));
        return (Parsed1::Rejected, vec![d]);
    };
    if file.rel.ends_with("/_index.md") {
        if file.rel.matches('/').count() > 1 {
            let d = Diagnostic::file(
                Severity::Error,
                &file.shown,
                crate::msg!("kinds.deep_index"),
            )
            .with_hint(crate::msg!("kinds.deep_index.hint", folder = folder));
            return (Parsed1::Rejected, vec![d]);
        }
        return intro(file, id, folder.to_owned(), kind);
    }
    let (parsed, mut diags) = kind.parse(file);
    let Some((meta, data)) = parsed else {
        return (Parsed1::Failed(id), diags);
    };
    let item = Item {
        id,
        kind,
        file: Arc::clone(file),
        meta,
        data,
    };
    diags.extend(check_slug(&item));
    (Parsed1::Item(Arc::new(item)), diags)
}

fn intro(file: &Arc<SourceFile>, id: Id, key: String, kind: Kind) -> (Parsed1, Vec<Diagnostic>) {
    match front::parse::<page::Page>(file) {
        (Some((meta, data)), diags) => {
            let item = Item {
                id,
                kind,
                file: Arc::clone(file),
                meta,
                data: Data::Page(data),
            };
            (Parsed1::Intro(key, Arc::new(item)), diags)
        }
        (None, diags) => (Parsed1::Rejected, diags),
    }
}

/// The longest path segment an item may make, in bytes (file systems allow 255; copies to
/// shared folders and USB sticks need room to spare).
pub const MAX_SEGMENT_BYTES: usize = 100;

/// A slug is one safe path segment: it can never climb out of the output folder.
fn check_slug(item: &Item) -> Vec<Diagnostic> {
    let slug = item.slug();
    let mut problems = Vec::new();
    for segment in item.id.split('/').chain(std::iter::once(slug)) {
        if let Some(p) = segment_problem(segment) {
            problems.push(p);
        }
    }
    let Some(problem) = problems.into_iter().next() else {
        return vec![];
    };
    let d = if item.meta.slug.is_some() && segment_problem(slug).is_some() {
        item.key_error(
            "slug",
            crate::msg!("kinds.slug", slug = slug).sub("problem", problem),
        )
    } else {
        Diagnostic::file(
            Severity::Error,
            &item.file.shown,
            crate::msg!("kinds.file_name").sub("problem", problem),
        )
    };
    vec![d.with_hint(crate::msg!("kinds.segment.hint"))]
}

/// Why `segment` cannot be part of an address, if it cannot.
pub fn segment_problem(segment: &str) -> Option<crate::messages::Msg> {
    if segment.is_empty() || segment.starts_with('.') {
        return Some(crate::msg!("segment.empty"));
    }
    if segment.len() > MAX_SEGMENT_BYTES {
        return Some(crate::msg!("segment.long"));
    }
    let bad = segment.chars().any(|c| {
        matches!(
            c,
            '/' | '\\' | '?' | '#' | '%' | '<' | '>' | '"' | ':' | '*' | '|'
        ) || c.is_control()
            || c.is_whitespace()
    });
    bad.then(|| crate::msg!("segment.chars"))
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// Parses `text` as if it were `content/<rel>`.
    pub fn parse_text(rel: &str, text: &str) -> (Parsed, Vec<Diagnostic>) {
        let file = crate::source::split(rel.into(), text.as_bytes()).expect("split");
        parse(&[Arc::new(file)])
    }

    /// The only item of `parsed`, as kind `K`.
    pub fn only<K: KindData>(parsed: &Parsed) -> &K {
        let item = parsed.items.values().next().expect("an item");
        item.get::<K>().expect("the kind")
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::parse_text;

    #[test]
    fn files_outside_content_folders_are_named() {
        let (_, d) = parse_text("notes/x.md", "---\ntitle: x\n---\n");
        assert!(d[0].message.contains("not in a content folder"));
        assert!(d[0].hint.as_deref().unwrap().contains("principles"));
    }

    #[test]
    fn slugs_cannot_escape_or_grow_too_long() {
        let (_, d) = parse_text("pages/a.md", "---\ntitle: x\nslug: ../../etc\n---\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 3);
        let (_, d) = parse_text("pages/a.md", "---\ntitle: x\nslug: about-us\n---\n");
        assert!(d.is_empty());
        let long = format!("pages/{}.md", "长".repeat(40));
        let (_, d) = parse_text(&long, "---\ntitle: x\n---\n");
        assert!(d[0].message.contains("too long"), "{d:?}");
    }

    #[test]
    fn sections_and_home_are_recognised() {
        let (p, d) = parse_text("_index.md", "---\ntitle: 首页\n---\n欢迎");
        assert!(d.is_empty() && p.intros.contains_key(""));
        let (p, _) = parse_text("cases/_index.md", "---\ntitle: 警示案例\n---\n");
        assert!(p.intros.contains_key("cases"));
    }

    #[test]
    fn failed_files_keep_their_id() {
        let (p, d) = parse_text("cases/x.md", "---\ntitle: a\ndate: 昨天\n---\n");
        assert_eq!(d.len(), 1);
        assert!(p.failed.contains("cases/x"));
    }
}
