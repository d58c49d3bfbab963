//! The site as the random edits see it: files as front matter values and body paragraphs
//! (references kept apart, so that an edit can follow or drop them), `site.yaml`,
//! attachments and theme overrides, written out as the files of a site.

use std::collections::BTreeMap;

/// Today for every build: reminders, publish dates and expiries fall on both sides of it.
pub const NOW: &str = "2026-11-23";

/// The folders of the kinds.
pub const KINDS: [&str; 13] = [
    "principles",
    "policies",
    "cases",
    "channels",
    "disclosures",
    "modules",
    "quizzes",
    "pages",
    "news",
    "risks",
    "reminders",
    "pledges",
    "exemplars",
];

/// Disclosure categories.
pub const CATEGORIES: &[&str] = &["整改公示", "院务公开", "药品采购", "财务公开", "服务承诺"];

/// A front matter value.
#[derive(Clone, Debug)]
pub enum V {
    /// A scalar written as is (dates, numbers, booleans, words).
    S(String),
    /// Text, written quoted.
    Q(String),
    /// An item id or an attachment's path: a reference.
    Id(String),
    /// A flow list of words or numbers.
    L(Vec<String>),
    /// A flow list of item ids.
    Ids(Vec<String>),
    /// A block written as is (sanctions, rectification items).
    Raw(String),
    /// A post's risk points.
    Risks(Vec<Point>),
}

#[derive(Clone, Debug)]
pub struct Point {
    pub risk: String,
    pub level: &'static str,
    pub principles: Vec<String>,
    pub policies: Vec<String>,
}

/// A paragraph of a body.
#[derive(Clone, Debug)]
pub enum Para {
    Text(String),
    /// A link: to an item (`cases/x`), a generated page (`cases/`) or an attachment.
    Link(String, String),
    /// A question of a bank and its `依据`.
    Question {
        stem: String,
        basis: Option<String>,
    },
}

#[derive(Clone, Debug)]
pub struct Doc {
    pub front: Vec<(String, V)>,
    pub body: Vec<Para>,
}

impl Doc {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.front.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn set(&mut self, key: &str, value: V) {
        match self.front.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.front.push((key.to_owned(), value)),
        }
    }

    pub fn unset(&mut self, key: &str) {
        self.front.retain(|(k, _)| *k != key);
    }

    pub fn scalar(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            V::S(s) | V::Q(s) | V::Id(s) => Some(s),
            _ => None,
        }
    }

    /// The file's text, as the file at `path` (under `content/`) writes it.
    pub fn text(&self, path: &str) -> String {
        let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
        let mut out = String::from("---\n");
        for (key, value) in &self.front {
            out += &front_line(key, value);
        }
        out += "---\n";
        for para in &self.body {
            out += &para_text(para, folder);
            out += "\n";
        }
        out
    }
}

fn front_line(key: &str, value: &V) -> String {
    let list = |xs: &[String]| xs.join(", ");
    match value {
        V::S(s) | V::Id(s) => format!("{key}: {s}\n"),
        V::Q(s) => format!(
            "{key}: \"{}\"\n",
            s.replace('\\', "\\\\").replace('"', "\\\"")
        ),
        V::L(xs) | V::Ids(xs) => format!("{key}: [{}]\n", list(xs)),
        V::Raw(block) => format!("{key}:\n{block}"),
        V::Risks(points) => {
            let mut out = format!("{key}:\n");
            for p in points {
                out += &format!(
                    "  - {{risk: {}, level: {}, controls: [双人复核], principles: [{}], policies: [{}]}}\n",
                    p.risk,
                    p.level,
                    list(&p.principles),
                    list(&p.policies)
                );
            }
            out
        }
    }
}

fn para_text(para: &Para, folder: &str) -> String {
    match para {
        Para::Text(t) => format!("{t}\n"),
        Para::Link(text, target) if target.ends_with(".png") => {
            format!("![{text}]({})\n", link_dest(target, folder))
        }
        Para::Link(text, target) => format!("见[{text}]({})。\n", link_dest(target, folder)),
        Para::Question { stem, basis } => {
            let mut q = format!(
                "## 【单选】{stem}\nA. 拒收并上交\nB. 收下不说\n答案：A\n解析：{stem}，应当拒收。\n"
            );
            if let Some(b) = basis {
                q += &format!("依据：@/{b}.md\n");
            }
            q
        }
    }
}

/// How a body in `folder` writes a link to `target`: an attachment beside it by its name,
/// anything else from `@/`.
fn link_dest(target: &str, folder: &str) -> String {
    let (there, name) = target.rsplit_once('/').unwrap_or(("", target));
    match (target.ends_with('/'), name.contains('.')) {
        (false, true) if there == folder => name.to_owned(),
        (false, false) => format!("@/{target}.md"),
        _ => format!("@/{target}"),
    }
}

/// `content/site.yaml`, as fields.
#[derive(Clone, Debug)]
pub struct SiteYaml {
    pub title: String,
    pub hospital: String,
    pub base_url: String,
    pub description: Option<String>,
    /// Markdown, and what it links to (an item, a generated page or an attachment).
    pub footer: Option<(String, Option<String>)>,
    pub nav: Option<Vec<(String, String)>>,
    /// Other top-level keys and the YAML after each (` true`, `\n  raw_html: true`).
    pub more: BTreeMap<&'static str, String>,
}

impl SiteYaml {
    pub fn text(&self) -> String {
        let mut out = format!(
            "title: {}\nhospital: {}\nbase_url: {}\n",
            self.title, self.hospital, self.base_url
        );
        if let Some(d) = &self.description {
            out += &format!("description: {d}\n");
        }
        if let Some((words, target)) = &self.footer {
            let link = target
                .as_ref()
                .map(|t| format!("　[相关]({})", link_dest(t, "")));
            out += &format!("footer: |\n  {words}{}\n", link.unwrap_or_default());
        }
        if let Some(nav) = &self.nav {
            out += "nav:\n";
            for (title, url) in nav {
                out += &format!("  - {{title: {title}, url: \"{url}\"}}\n");
            }
        }
        for (key, value) in &self.more {
            out += &format!("{key}:{value}\n");
        }
        out
    }
}

/// The whole site as the edits see it.
#[derive(Clone, Debug)]
pub struct Model {
    /// Markdown files by path under `content/`.
    pub docs: BTreeMap<String, Doc>,
    /// Attachments by path under `content/`.
    pub assets: BTreeMap<String, Vec<u8>>,
    pub site: SiteYaml,
    /// A file saved with a mistake in it, until the mistake is fixed or undone.
    pub broken: Option<String>,
    /// Theme files the site overrides, by path under the root (`themes/default/…`).
    pub theme: BTreeMap<String, Vec<u8>>,
    /// Folders renamed by this edit (paths under `content/`), as a file manager does.
    pub moved: Vec<(String, String)>,
    /// For names no file has had yet.
    pub serial: usize,
}

pub fn id_of(path: &str) -> &str {
    path.strip_suffix(".md").unwrap_or(path)
}

pub fn folder_of(path: &str) -> &str {
    path.split('/').next().unwrap_or("")
}

pub fn is_intro(path: &str) -> bool {
    path.ends_with("_index.md")
}

impl Model {
    /// Every file of the site: paths relative to the root, and bytes.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        files.insert(
            "content/site.yaml".to_owned(),
            self.site.text().into_bytes(),
        );
        for (path, doc) in &self.docs {
            let text = match self.broken.as_deref() == Some(path.as_str()) {
                true => doc.text(path).replacen("title: ", "title：", 1),
                false => doc.text(path),
            };
            files.insert(format!("content/{path}"), text.into_bytes());
        }
        for (path, bytes) in &self.assets {
            files.insert(format!("content/{path}"), bytes.clone());
        }
        files.extend(self.theme.clone());
        files
    }

    /// Paths of the items (not section introductions) in `folder`, or in every folder.
    pub fn items(&self, folder: Option<&str>) -> Vec<String> {
        (self.docs.keys())
            .filter(|p| !is_intro(p) && folder.is_none_or(|f| folder_of(p) == f))
            .cloned()
            .collect()
    }

    /// Ids of the items a published page may refer to, in `folder` or in every folder.
    pub fn targets(&self, folder: Option<&str>) -> Vec<String> {
        (self.items(folder).into_iter())
            .filter(|p| visible(&self.docs[p]))
            .map(|p| id_of(&p).to_owned())
            .collect()
    }

    /// The numbers of the principles that are published.
    pub fn numbers(&self) -> Vec<String> {
        (self.targets(Some("principles")).iter())
            .filter_map(|id| self.docs[&format!("{id}.md")].scalar("number"))
            .map(str::to_owned)
            .collect()
    }

    pub fn fresh_name(&mut self, stem: &str) -> String {
        self.serial += 1;
        format!("{stem}{}", self.serial)
    }
}

/// Whether a build without drafts, for the public, today, publishes `doc`.
pub fn visible(doc: &Doc) -> bool {
    doc.scalar("draft") != Some("true")
        && doc.scalar("audience") != Some("staff")
        && doc.scalar("publish").is_none_or(|d| d <= NOW)
}
