//! Link stage: apply drafts, schedule and audience, give every item its URL, resolve every
//! reference and `@/` link, render bodies, and build the reverse indexes.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::config::{Config, LoadedConfig};
use crate::diag::{Diagnostic, Severity};
use crate::frontmatter::{Audience, Date};
use crate::kinds::{self, Item, Kind, Parsed};
use crate::markdown::{self, Resolve};
use crate::source::Asset;

/// What a build is for: which day it is, and what may be published.
#[derive(Debug, Clone)]
pub struct Options {
    pub today: Date,
    pub drafts: bool,
    pub audience: Audience,
    /// Replaces `base_url` from `site.yaml` (`--base-url`).
    pub base_url: Option<String>,
}

/// Why an item is left out of this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    Draft,
    Scheduled(Date),
    Staff,
}

impl Exclusion {
    fn explain(self) -> String {
        match self {
            Exclusion::Draft => "is a draft (`draft: true`), so it is not published".into(),
            Exclusion::Scheduled(d) => {
                format!("is scheduled for {d} (`publish:`), so it is not published yet")
            }
            Exclusion::Staff => {
                "is for staff only (`audience: staff`) and this is a public build".into()
            }
        }
    }
}

/// An item that will be published: its URL, output path and rendered body.
#[derive(Debug, Clone)]
pub struct Page<K> {
    pub item: Item<K>,
    /// Site path including the base path: `/qinglian/cases/2024/x/`.
    pub url: String,
    /// Output file relative to the output folder: `cases/2024/x/index.html`.
    pub out: String,
    pub html: String,
}

/// A link to another page, as templates show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// The resolved site: everything the render stage needs, and nothing excluded.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub base_path: String,
    /// `base_url` with one trailing slash, for absolute addresses.
    pub base_url: String,
    pub options: Options,
    pub home: Option<Page<kinds::page::Page>>,
    pub sections: HashMap<Kind, Page<kinds::page::Page>>,
    pub principles: Vec<Page<kinds::principle::Principle>>,
    pub policies: Vec<Page<kinds::policy::Policy>>,
    pub cases: Vec<Page<kinds::case::Case>>,
    pub channels: Vec<Page<kinds::channel::Channel>>,
    pub disclosures: Vec<Page<kinds::disclosure::Disclosure>>,
    pub modules: Vec<Page<kinds::module::Module>>,
    pub pages: Vec<Page<kinds::page::Page>>,
    pub quizzes: Vec<Page<kinds::quiz::QuizBank>>,
    /// Each bank's questions with links resolved, by bank id.
    pub questions: HashMap<String, Vec<LinkedQuestion>>,
    pub assets: Vec<Asset>,
    pub nav: Vec<Link>,
    pub footer_html: String,
    /// Every published item's link, by id.
    pub links: HashMap<String, Link>,
    /// Reverse indexes: principle number → cases and modules that cite it.
    pub cases_by_principle: BTreeMap<u8, Vec<usize>>,
    pub modules_by_principle: BTreeMap<u8, Vec<usize>>,
    /// Principle number → (bank index, how many of its questions cite the principle).
    pub quizzes_by_principle: BTreeMap<u8, Vec<(usize, usize)>>,
    /// Policy id → the policies it replaced.
    pub replaced_by_policy: HashMap<String, Vec<usize>>,
}

impl Site {
    /// The URL of a kind's list page.
    pub fn section_url(&self, kind: Kind) -> String {
        section_url(&self.base_path, kind)
    }
}

pub fn section_url(base: &str, kind: Kind) -> String {
    match kind {
        Kind::Channel => format!("{base}report/"),
        Kind::Page => base.to_owned(),
        k => format!("{base}{}/", k.folder()),
    }
}

/// One entry of the id index: where an item lives and whether it is published.
#[derive(Debug, Clone)]
struct Target {
    kind: Kind,
    url: String,
    title: String,
    excluded: Option<Exclusion>,
}

/// Resolves references for one referring item.
struct Resolver<'a> {
    targets: &'a HashMap<String, Target>,
    assets: &'a HashMap<&'a str, String>,
    sections: &'a HashMap<String, String>,
    /// Whether the referrer is published (only then do unpublished targets matter).
    strict: bool,
}

impl Resolver<'_> {
    fn target(&self, id: &str) -> Result<&Target, String> {
        let t = self.targets.get(id).ok_or_else(|| {
            let near = crate::site::nearest(id, self.targets.keys().map(String::as_str));
            match near {
                Some(n) => format!("no content file `content/{id}.md` (did you mean `{n}`?)"),
                None => format!("no content file `content/{id}.md`"),
            }
        })?;
        match t.excluded {
            Some(why) if self.strict => Err(format!("`{id}` {}", why.explain())),
            _ => Ok(t),
        }
    }
}

impl Resolve for Resolver<'_> {
    fn resolve(&self, target: &str) -> Result<String, String> {
        if let Some(id) = target.strip_suffix(".md") {
            if let Some(url) = self.sections.get(id) {
                return Ok(url.clone());
            }
            return self.target(id).map(|t| t.url.clone());
        }
        self.assets
            .get(target)
            .cloned()
            .ok_or_else(|| format!("no file `content/{target}`"))
    }
}

/// The closest id to `id`, for did-you-mean hints.
pub fn nearest<'a>(id: &str, ids: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    ids.map(|k| (strsim::levenshtein(id, k), k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

/// Every item's place: its URL, whether it is published, and what the addresses are.
struct Index<'a> {
    targets: HashMap<String, Target>,
    sections: HashMap<String, String>,
    assets: HashMap<&'a str, String>,
}

impl Index<'_> {
    fn resolver(&self, strict: bool) -> Resolver<'_> {
        Resolver {
            targets: &self.targets,
            assets: &self.assets,
            sections: &self.sections,
            strict,
        }
    }
}

/// Items with their publication decided, before their bodies are rendered.
type Placed<K> = Vec<(Item<K>, Option<Exclusion>)>;

/// Links the parsed items into a [`Site`]; every problem found is a diagnostic.
pub fn link(
    config: &LoadedConfig,
    parsed: Parsed,
    assets: Vec<Asset>,
    options: Options,
) -> (Site, Vec<Diagnostic>) {
    let mut cfg = config.config.clone();
    if let Some(url) = &options.base_url {
        cfg.base_url = url.clone();
    }
    let base_path = cfg.base_path();
    let mut diags = Vec::new();
    let (mut taken, sections) = reserved_addresses(&base_path);
    let asset_urls = assets
        .iter()
        .map(|a| (a.rel.as_str(), format!("{base_path}{}", a.rel)))
        .collect();
    let mut index = Index {
        targets: HashMap::new(),
        sections,
        assets: asset_urls,
    };

    let mut ctx = Ctx {
        base_path: &base_path,
        options: &options,
        targets: &mut index.targets,
        taken: &mut taken,
        diags: &mut diags,
    };
    let principles = ctx.place(parsed.principles, Kind::Principle);
    let policies = ctx.place(parsed.policies, Kind::Policy);
    let cases = ctx.place(parsed.cases, Kind::Case);
    let channels = ctx.place(parsed.channels, Kind::Channel);
    let disclosures = ctx.place(parsed.disclosures, Kind::Disclosure);
    let modules = ctx.place(parsed.modules, Kind::Module);
    let pages = ctx.place(parsed.pages, Kind::Page);
    let quizzes = ctx.place(parsed.quizzes, Kind::Quiz);
    let numbers = Numbers::of(&principles, &parsed.failed);
    add_failed(&mut index.targets, &parsed.failed, &base_path);

    check_principle_numbers(&principles, &mut diags);
    for (case, ex) in &cases {
        check_numbers(
            case,
            "principles",
            &case.data.principles,
            &numbers,
            ex.is_none(),
            &mut diags,
        );
    }
    check_modules(&modules, &numbers, &index, &mut diags);
    check_successors(&policies, &index, &mut diags);
    check_qr_images(&channels, &index, &mut diags);

    // Bodies, in parallel.
    let raw = cfg.markdown.raw_html;
    let render = |file: &crate::source::SourceFile, text: &str| -> (String, Vec<Diagnostic>) {
        let r = markdown::render(text, raw, &index.resolver(true));
        let d = r.broken.iter().map(|b| broken_link(file, b)).collect();
        (r.html, d)
    };
    let mut finish = FinishCtx {
        base_path: &base_path,
        diags: &mut diags,
        render: &render,
    };
    let home = parsed.home.map(|h| finish.page(h, base_path.clone()));
    let sections: HashMap<Kind, Page<kinds::page::Page>> = parsed
        .sections
        .into_iter()
        .map(|(kind, s)| (kind, finish.page(s, section_url(&base_path, kind))))
        .collect();
    let principles = finish.pages(Kind::Principle, principles, |a, b| {
        a.data.number.cmp(&b.data.number)
    });
    let policies = finish.pages(Kind::Policy, policies, |a, b| {
        b.data.issued.cmp(&a.data.issued).then(a.id.cmp(&b.id))
    });
    let cases = finish.pages(Kind::Case, cases, |a, b| {
        b.meta.date.cmp(&a.meta.date).then(a.id.cmp(&b.id))
    });
    let channels = finish.pages(Kind::Channel, channels, |a, b| {
        (a.data.kind as u8)
            .cmp(&(b.data.kind as u8))
            .then(a.id.cmp(&b.id))
    });
    let disclosures = finish.pages(Kind::Disclosure, disclosures, |a, b| {
        b.meta.date.cmp(&a.meta.date).then(a.id.cmp(&b.id))
    });
    let modules = finish.pages(Kind::Module, modules, |a, b| {
        a.data.order.cmp(&b.data.order).then(a.id.cmp(&b.id))
    });
    let pages = finish.pages(Kind::Page, pages, |a, b| a.id.cmp(&b.id));
    let quizzes = finish.pages(Kind::Quiz, quizzes, |a, b| a.id.cmp(&b.id));
    let questions = link_questions(
        &quizzes,
        &principles,
        raw,
        &index.resolver(true),
        &mut diags,
    );

    let nav = nav_links(config, &cfg, &base_path, &index.resolver(true), &mut diags);
    let footer_html = cfg.footer.as_deref().map_or_else(String::new, |f| {
        markdown::render(f, raw, &index.resolver(true)).html
    });
    let links = published_links(&index.targets);
    let mut site = Site {
        base_url: cfg.base_url_slash(),
        config: cfg,
        base_path,
        options,
        home,
        sections,
        principles,
        policies,
        cases,
        channels,
        disclosures,
        modules,
        pages,
        quizzes,
        questions,
        assets,
        nav,
        footer_html,
        links,
        cases_by_principle: BTreeMap::new(),
        modules_by_principle: BTreeMap::new(),
        quizzes_by_principle: BTreeMap::new(),
        replaced_by_policy: HashMap::new(),
    };
    reverse_indexes(&mut site);
    (site, diags)
}

/// Addresses no item may take (list pages, the study record) and the section ids that
/// `@/<folder>/_index.md` links resolve to.
fn reserved_addresses(base_path: &str) -> (HashMap<String, String>, HashMap<String, String>) {
    let mut taken = HashMap::new();
    let mut sections = HashMap::new();
    for kind in Kind::ALL {
        let url = section_url(base_path, kind);
        sections.insert(format!("{}/_index", kind.folder()), url.clone());
        if kind != Kind::Page {
            taken.insert(url, format!("the {} list", kind.name()));
        }
    }
    sections.insert("_index".into(), base_path.to_owned());
    taken.insert(
        format!("{}record/", section_url(base_path, Kind::Module)),
        "the study record page".into(),
    );
    (taken, sections)
}

/// Files with broken front matter are reported already; links to them are not reported again.
fn add_failed(targets: &mut HashMap<String, Target>, failed: &[String], base_path: &str) {
    for id in failed {
        let kind = Kind::from_folder(id.split('/').next().unwrap_or("")).unwrap_or(Kind::Page);
        let t = Target {
            kind,
            url: format!("{base_path}{id}/"),
            title: id.clone(),
            excluded: None,
        };
        targets.entry(id.clone()).or_insert(t);
    }
}

fn published_links(targets: &HashMap<String, Target>) -> HashMap<String, Link> {
    targets
        .iter()
        .filter(|(_, t)| t.excluded.is_none())
        .map(|(id, t)| {
            (
                id.clone(),
                Link {
                    title: t.title.clone(),
                    url: t.url.clone(),
                },
            )
        })
        .collect()
}

/// A module's principles, readings and self-test must exist (and be published when it is).
fn check_modules(
    modules: &Placed<kinds::module::Module>,
    numbers: &Numbers,
    index: &Index,
    diags: &mut Vec<Diagnostic>,
) {
    for (module, ex) in modules {
        check_numbers(
            module,
            "principles",
            &module.data.principles,
            numbers,
            ex.is_none(),
            diags,
        );
        let r = index.resolver(ex.is_none());
        for reading in &module.data.readings {
            if let Err(problem) = r.target(reading) {
                diags.push(value_error(module, "readings", reading, problem));
            }
        }
        let Some(quiz) = &module.data.quiz else {
            continue;
        };
        match r.target(quiz) {
            Ok(t) if t.kind == Kind::Quiz => {}
            Ok(_) => diags.push(value_error(
                module,
                "quiz",
                quiz,
                format!("`{quiz}` is not a quiz bank in content/quizzes/"),
            )),
            Err(problem) => diags.push(value_error(module, "quiz", quiz, problem)),
        }
    }
}

/// `superseded_by` names another policy.
fn check_successors(
    policies: &Placed<kinds::policy::Policy>,
    index: &Index,
    diags: &mut Vec<Diagnostic>,
) {
    for (policy, ex) in policies {
        let Some(next) = &policy.data.superseded_by else {
            continue;
        };
        match index.resolver(ex.is_none()).target(next) {
            Ok(t) if t.kind == Kind::Policy && next != &policy.id => {}
            Ok(_) => diags.push(value_error(
                policy,
                "superseded_by",
                next,
                format!("`{next}` is not another policy"),
            )),
            Err(problem) => diags.push(value_error(policy, "superseded_by", next, problem)),
        }
    }
}

/// A channel's `qr_image` is a file under `content/`.
fn check_qr_images(
    channels: &Placed<kinds::channel::Channel>,
    index: &Index,
    diags: &mut Vec<Diagnostic>,
) {
    for (channel, _) in channels {
        let Some(image) = &channel.data.qr_image else {
            continue;
        };
        let rel = image.trim_start_matches("@/");
        if !index.assets.contains_key(rel) {
            diags.push(
                value_error(channel, "qr_image", image, format!("no file `content/{rel}`"))
                    .with_hint("put the QR picture under content/ and give its path, e.g. `channels/wechat-qr.png`"),
            );
        }
    }
}

/// Shared state while giving items their URLs.
struct Ctx<'a> {
    base_path: &'a str,
    options: &'a Options,
    targets: &'a mut HashMap<String, Target>,
    taken: &'a mut HashMap<String, String>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// Registers each item's URL and decides whether it is published.
    fn place<K>(&mut self, items: Vec<Item<K>>, kind: Kind) -> Vec<(Item<K>, Option<Exclusion>)> {
        let mut items = items;
        items.sort_by(|a, b| a.id.cmp(&b.id));
        items
            .into_iter()
            .map(|item| {
                let url = item_url(self.base_path, kind, &item);
                let excluded = exclusion(&item, self.options);
                if let Some(first) = self.taken.get(&url) {
                    let msg = format!("address {url} is already used by {first}");
                    let d = if item.meta.slug.is_some() {
                        item.key_error("slug", msg)
                    } else {
                        Diagnostic::file(Severity::Error, &item.file.shown, msg)
                    };
                    self.diags
                        .push(d.with_hint("give one of them a different file name or `slug:`"));
                } else {
                    self.taken.insert(url.clone(), item.file.shown.clone());
                }
                let t = Target {
                    kind,
                    url,
                    title: item.meta.title.clone(),
                    excluded,
                };
                self.targets.insert(item.id.clone(), t);
                (item, excluded)
            })
            .collect()
    }
}

fn exclusion<K>(item: &Item<K>, options: &Options) -> Option<Exclusion> {
    if item.meta.audience == Audience::Staff && options.audience == Audience::Public {
        return Some(Exclusion::Staff);
    }
    if options.drafts {
        return None;
    }
    if item.meta.draft {
        return Some(Exclusion::Draft);
    }
    item.meta
        .publish
        .filter(|&d| d > options.today)
        .map(Exclusion::Scheduled)
}

/// `/base/<folder>/<sub>/<slug>/`, pages directly under the base.
fn item_url<K>(base: &str, kind: Kind, item: &Item<K>) -> String {
    let mut parts: Vec<&str> = item.id.split('/').collect();
    parts.pop();
    if kind == Kind::Page {
        parts.remove(0);
    } else if kind == Kind::Channel {
        parts[0] = "channels";
    }
    parts.push(item.slug());
    format!("{base}{}/", parts.join("/"))
}

/// Shared state while rendering bodies and sorting.
struct FinishCtx<'a, R> {
    base_path: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    render: &'a R,
}

impl<R> FinishCtx<'_, R>
where
    R: Fn(&crate::source::SourceFile, &str) -> (String, Vec<Diagnostic>) + Sync,
{
    /// Renders a section index or the home page, published at `url`.
    fn page(&mut self, item: Item<kinds::page::Page>, url: String) -> Page<kinds::page::Page> {
        let (html, d) = (self.render)(&item.file, item.file.body());
        self.diags.extend(d);
        let out = format!("{}index.html", &url[self.base_path.len()..]);
        Page {
            url,
            out,
            html,
            item,
        }
    }

    /// Renders the published items' bodies in parallel and sorts them for lists.
    fn pages<K: kinds::Body + Send + Sync>(
        &mut self,
        kind: Kind,
        items: Vec<(Item<K>, Option<Exclusion>)>,
        order: impl Fn(&Item<K>, &Item<K>) -> std::cmp::Ordering,
    ) -> Vec<Page<K>> {
        let base = self.base_path;
        let render = self.render;
        let done: Vec<(Page<K>, Vec<Diagnostic>)> = items
            .into_par_iter()
            .filter(|(_, ex)| ex.is_none())
            .map(|(item, _)| {
                let (html, d) = render(&item.file, item.data.markdown(&item.file));
                let url = item_url(base, kind, &item);
                let out = format!("{}index.html", &url[base.len()..]);
                (
                    Page {
                        url,
                        out,
                        html,
                        item,
                    },
                    d,
                )
            })
            .collect();
        let mut pages = Vec::with_capacity(done.len());
        for (p, d) in done {
            self.diags.extend(d);
            pages.push(p);
        }
        pages.sort_by(|a, b| order(&a.item, &b.item));
        pages
    }
}

fn broken_link(file: &crate::source::SourceFile, b: &markdown::BrokenLink) -> Diagnostic {
    let offset = file.body_start + b.offset;
    let line = file.line_of(offset);
    let line_start = file.text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let col = file.text[line_start..].find(&b.target).map_or_else(
        || file.text[line_start..offset].chars().count() + 1,
        |i| file.text[line_start..line_start + i].chars().count() + 1,
    );
    file.diag(
        Severity::Error,
        line,
        col,
        format!("broken link `{}`: {}", b.target, b.problem),
    )
    .with_len(b.target.chars().count())
    .with_hint(
        "link to another file as `@/<folder>/<name>.md`, e.g. `@/cases/2024/red-envelope.md`",
    )
}

fn value_error<K>(item: &Item<K>, key: &str, value: &str, problem: String) -> Diagnostic {
    at_value(item, key, value, problem).with_hint(
        "refer to other items by id: their path under content/ without `.md`, e.g. `policies/gift-handover-2024`",
    )
}

/// An error at `value` on or after the line of `key` (at the key when the value is not found).
fn at_value<K>(item: &Item<K>, key: &str, value: &str, problem: String) -> Diagnostic {
    let text = item.file.front_matter();
    let key_line = crate::frontmatter::find_key(text, key).map_or(1, |p| p.0);
    let pos = text
        .lines()
        .enumerate()
        .skip(key_line - 1)
        .find_map(|(i, l)| {
            let after_key = if i + 1 == key_line {
                l.find(':').map_or(0, |c| c + 1)
            } else {
                0
            };
            l[after_key..]
                .find(value)
                .map(|b| (i + 1, l[..after_key + b].chars().count() + 1))
        });
    let message = format!("`{key}`: {problem}");
    match pos {
        Some((line, col)) => item
            .file
            .front_diag(line, col, message)
            .with_len(value.chars().count()),
        None => item.key_error(key, message),
    }
}

fn check_principle_numbers(
    principles: &Placed<kinds::principle::Principle>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<u8, &str> = HashMap::new();
    for (p, _) in principles {
        if let Some(first) = seen.insert(p.data.number, &p.file.shown) {
            diags.push(
                p.key_error(
                    "number",
                    format!("principle {} is also defined in {first}", p.data.number),
                )
                .with_hint("each principle number appears in one file only"),
            );
        }
    }
}

/// The principle numbers defined, whether each is published, and whether every principle file
/// could be read (if not, a missing number may sit in the unreadable file).
struct Numbers {
    published: HashMap<u8, bool>,
    complete: bool,
}

impl Numbers {
    fn of(principles: &Placed<kinds::principle::Principle>, failed: &[String]) -> Numbers {
        Numbers {
            published: principles
                .iter()
                .map(|(i, ex)| (i.data.number, ex.is_none()))
                .collect(),
            complete: !failed.iter().any(|id| id.starts_with("principles/")),
        }
    }
}

fn check_numbers<K>(
    item: &Item<K>,
    key: &str,
    cited: &[u8],
    numbers: &Numbers,
    strict: bool,
    diags: &mut Vec<Diagnostic>,
) {
    for &n in cited {
        let problem = if !kinds::principle::valid_number(n) {
            Some(format!("principle number {n} is outside 1–9"))
        } else {
            match numbers.published.get(&n) {
                None if !numbers.complete => None,
                None => Some(format!(
                    "there is no principle number {n} in content/principles/"
                )),
                Some(false) if strict => {
                    Some(format!("principle {n} is not published in this build"))
                }
                _ => None,
            }
        };
        if let Some(p) = problem {
            let d = at_value(item, key, &n.to_string(), p);
            diags.push(d.with_hint("principles are cited by number, e.g. `principles: [8, 9]`"));
        }
    }
}

/// The navigation: from `site.yaml` when given, else one link per section that has content.
fn nav_links(
    config: &LoadedConfig,
    cfg: &Config,
    base: &str,
    r: &Resolver,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Link> {
    let Some(entries) = &cfg.nav else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|e| {
            let url = match e.url.strip_prefix("@/") {
                Some(target) => match r.resolve(target) {
                    Ok(u) => u,
                    Err(problem) => {
                        diags.push(
                            config.key_error("nav", format!("nav link `{}`: {problem}", e.url)),
                        );
                        return None;
                    }
                },
                None if e.url.starts_with('/') => {
                    format!("{base}{}", e.url.trim_start_matches('/'))
                }
                None => e.url.clone(),
            };
            Some(Link {
                title: e.title.clone(),
                url,
            })
        })
        .collect()
}

/// A question ready for its page: explanation rendered, `依据` resolved to a link.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LinkedQuestion {
    pub id: String,
    pub kind: kinds::quiz::QuestionType,
    pub stem: String,
    pub options: Vec<String>,
    pub answer: kinds::quiz::Answer,
    pub explanation_html: String,
    pub basis: Option<Link>,
    /// The principle the question cites through `依据`, if any.
    pub principle: Option<u8>,
}

/// Resolves every question's `依据` and renders its explanation; problems are located on
/// the question's lines.
fn link_questions(
    quizzes: &[Page<kinds::quiz::QuizBank>],
    principles: &[Page<kinds::principle::Principle>],
    raw: bool,
    r: &Resolver,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<String, Vec<LinkedQuestion>> {
    let mut out = HashMap::new();
    for bank in quizzes {
        let file = &bank.item.file;
        let linked = bank.item.data.questions.iter().map(|q| {
            let basis = q.basis.as_deref().and_then(|b| match resolve_basis(b, r) {
                Ok(pair) => Some(pair),
                Err(problem) => {
                    let col = file
                        .text
                        .lines()
                        .nth(q.basis_line - 1)
                        .and_then(|l| l.find(b).map(|i| l[..i].chars().count()))
                        .map_or(1, |n| n + 1);
                    diags.push(
                        file.diag(
                            Severity::Error,
                            q.basis_line,
                            col,
                            format!("`依据` {problem}"),
                        )
                        .with_hint("`依据：` takes one link such as `@/principles/08.md`")
                        .with_len(b.chars().count()),
                    );
                    None
                }
            });
            let rendered = markdown::render(q.explanation.as_deref().unwrap_or(""), raw, r);
            for b in &rendered.broken {
                diags.push(file.diag(
                    Severity::Error,
                    q.line,
                    1,
                    format!("broken link `{}` in 解析: {}", b.target, b.problem),
                ));
            }
            let principle = basis
                .as_ref()
                .and_then(|(id, _)| principles.iter().find(|p| &p.item.id == id))
                .map(|p| p.item.data.number);
            LinkedQuestion {
                id: q.id.clone(),
                kind: q.kind,
                stem: q.stem.clone(),
                options: q.options.clone(),
                answer: q.answer.clone(),
                explanation_html: rendered.html,
                basis: basis.map(|(_, link)| link),
                principle,
            }
        });
        out.insert(bank.item.id.clone(), linked.collect());
    }
    out
}

/// `@/principles/08.md` → the target's id and link.
fn resolve_basis(basis: &str, r: &Resolver) -> Result<(String, Link), String> {
    let id = basis
        .strip_prefix("@/")
        .and_then(|t| t.strip_suffix(".md"))
        .ok_or_else(|| format!("`{basis}` is not an `@/…md` link"))?;
    let t = r.target(id)?;
    Ok((
        id.to_owned(),
        Link {
            title: t.title.clone(),
            url: t.url.clone(),
        },
    ))
}

/// Fills the reverse indexes from the published items.
fn reverse_indexes(site: &mut Site) {
    for (i, c) in site.cases.iter().enumerate() {
        for &n in &c.item.data.principles {
            site.cases_by_principle.entry(n).or_default().push(i);
        }
    }
    for (i, m) in site.modules.iter().enumerate() {
        for &n in &m.item.data.principles {
            site.modules_by_principle.entry(n).or_default().push(i);
        }
    }
    for (i, q) in site.quizzes.iter().enumerate() {
        let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
        for question in site.questions.get(&q.item.id).into_iter().flatten() {
            if let Some(n) = question.principle {
                *counts.entry(n).or_default() += 1;
            }
        }
        for (n, count) in counts {
            site.quizzes_by_principle
                .entry(n)
                .or_default()
                .push((i, count));
        }
    }
    for (i, p) in site.policies.iter().enumerate() {
        if let Some(next) = &p.item.data.superseded_by {
            site.replaced_by_policy
                .entry(next.clone())
                .or_default()
                .push(i);
        }
    }
}
