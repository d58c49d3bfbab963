//! One context struct per template, and the function that fills and renders it.

use rayon::prelude::*;
use serde::Serialize;

use super::views::{self, CaseRow, DisclosureRow, ItemView, ModuleRow, PolicyRow, PrincipleCard};
use super::{Layout, Renderer, Sink, SiteView};
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::kinds::{Kind, case, policy};
use crate::site::{Link, Page, Site};

/// Everything a page renderer needs; each method renders one template.
pub struct Env<'a> {
    pub site: &'a Site,
    pub r: &'a Renderer,
    pub view: &'a SiteView<'a>,
    pub sink: &'a Sink<'a>,
}

pub(super) type Found = Result<Vec<Diagnostic>, Error>;

impl<'a> Env<'a> {
    pub fn all(&self) -> Found {
        let mut diags = Vec::new();
        for part in [
            self.home(),
            self.principles(),
            self.policies(),
            self.cases(),
            self.report(),
            self.posters(),
            self.disclosures(),
            self.feeds(),
            self.modules(),
            self.quizzes(),
            self.record(),
            self.free_pages(),
            self.extras(),
        ] {
            diags.extend(part?);
        }
        Ok(diags)
    }

    pub(super) fn layout(
        &self,
        title: &str,
        description: Option<&'a str>,
        path: &str,
    ) -> Layout<'a> {
        let rel = path
            .strip_prefix(self.site.base_path.as_str())
            .unwrap_or(path);
        Layout {
            site: self.view,
            title: title.to_owned(),
            description: description.or(self.view.description),
            canonical: format!("{}{rel}", self.site.base_url),
            path: path.to_owned(),
            feeds: Vec::new(),
        }
    }

    pub(super) fn item_layout<K>(&self, p: &'a Page<K>) -> Layout<'a> {
        let m = &p.item.meta;
        self.layout(
            &m.title,
            m.description.as_deref().or(m.summary.as_deref()),
            &p.url,
        )
    }

    /// A kind's list page layout and intro from its `_index.md`, if any.
    pub(super) fn section(&self, kind: Kind, default_title: &str) -> (Layout<'a>, &'a str, String) {
        let url = self.site.section_url(kind);
        let out = format!("{}index.html", &url[self.site.base_path.len()..]);
        match self.site.sections.get(&kind) {
            Some(s) => (self.item_layout(s), s.html.as_str(), out),
            None => (
                self.layout(&self.r.strings.get(default_title), None, &url),
                "",
                out,
            ),
        }
    }

    pub(super) fn one<C: Serialize>(&self, template: &str, out: &str, ctx: &C) -> Found {
        Ok(self
            .r
            .emit(template, out, ctx, self.sink)?
            .into_iter()
            .collect())
    }

    /// Renders one template per item, in parallel.
    pub(super) fn each<K: Sync, C: Serialize>(
        &self,
        template: &str,
        pages: &'a [Page<K>],
        ctx: impl Fn(&'a Page<K>) -> C + Sync,
    ) -> Found {
        let found: Result<Vec<Option<Diagnostic>>, Error> = pages
            .par_iter()
            .map(|p| self.r.emit(template, &p.out, &ctx(p), self.sink))
            .collect();
        Ok(found?.into_iter().flatten().collect())
    }

    fn home(&self) -> Found {
        #[derive(Serialize)]
        struct HomeCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            message_html: &'a str,
            principles: Vec<PrincipleCard<'a>>,
            disclosures: Vec<DisclosureRow<'a>>,
            cases: Vec<CaseRow<'a>>,
            modules: Vec<ModuleRow<'a>>,
        }
        let s = self.site;
        let t = &self.r.strings;
        let ctx = HomeCtx {
            layout: self.layout(&s.config.title, None, &s.base_path),
            message_html: s.home.as_ref().map_or("", |h| h.html.as_str()),
            principles: views::principle_cards(s),
            disclosures: s
                .disclosures
                .iter()
                .take(5)
                .map(|d| views::disclosure_row(d, s.options.today))
                .collect(),
            cases: s
                .cases
                .iter()
                .take(3)
                .map(|c| views::case_row(c, t))
                .collect(),
            modules: s.modules.iter().map(views::module_row).collect(),
        };
        self.one("home.html", "index.html", &ctx)
    }

    fn principles(&self) -> Found {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            principles: Vec<PrincipleCard<'a>>,
        }
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            number: u8,
            cases: Vec<CaseRow<'a>>,
            modules: Vec<Link>,
            quizzes: Vec<QuizRef<'a>>,
            prev: Option<Link>,
            next: Option<Link>,
        }
        let s = self.site;
        let t = &self.r.strings;
        let (layout, intro_html, out) = self.section(Kind::Principle, "nav.principles");
        let mut found = self.one(
            "principles.html",
            &out,
            &ListCtx {
                layout,
                intro_html,
                principles: views::principle_cards(s),
            },
        )?;
        let neighbour = |i: Option<usize>| {
            i.and_then(|i| s.principles.get(i)).map(|p| Link {
                title: p.item.meta.title.clone(),
                url: p.url.clone(),
            })
        };
        found.extend(self.each("principle.html", &s.principles, |p| {
            let n = p.item.data.number;
            let i = s
                .principles
                .iter()
                .position(|q| q.item.id == p.item.id)
                .unwrap_or(0);
            ItemCtx {
                layout: self.item_layout(p),
                page: ItemView::of(p),
                number: n,
                cases: indexed(&s.cases_by_principle, n)
                    .map(|i| views::case_row(&s.cases[i], t))
                    .collect(),
                modules: indexed(&s.modules_by_principle, n)
                    .map(|i| link(&s.modules[i]))
                    .collect(),
                quizzes: s
                    .quizzes_by_principle
                    .get(&n)
                    .into_iter()
                    .flatten()
                    .map(|&(i, count)| QuizRef {
                        title: &s.quizzes[i].item.meta.title,
                        url: &s.quizzes[i].url,
                        count,
                    })
                    .collect(),
                prev: neighbour(i.checked_sub(1)),
                next: neighbour(Some(i + 1)),
            }
        })?);
        Ok(found)
    }

    fn policies(&self) -> Found {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            policies: Vec<PolicyRow<'a>>,
        }
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            policy: PolicyRow<'a>,
            successor: Option<Link>,
            replaced: Vec<Link>,
        }
        let s = self.site;
        let t = &self.r.strings;
        let (layout, intro_html, out) = self.section(Kind::Policy, "nav.policies");
        let rows = s.policies.iter().map(|p| views::policy_row(p, t)).collect();
        let mut found = self.one(
            "policies.html",
            &out,
            &ListCtx {
                layout,
                intro_html,
                policies: rows,
            },
        )?;
        found.extend(
            self.each("policy.html", &s.policies, |p: &'a Page<policy::Policy>| {
                ItemCtx {
                    layout: self.item_layout(p),
                    page: ItemView::of(p),
                    policy: views::policy_row(p, t),
                    successor: p
                        .item
                        .data
                        .superseded_by
                        .as_ref()
                        .and_then(|id| s.links.get(id).cloned()),
                    replaced: s
                        .replaced_by_policy
                        .get(&p.item.id)
                        .into_iter()
                        .flatten()
                        .map(|&i| link(&s.policies[i]))
                        .collect(),
                }
            })?,
        );
        Ok(found)
    }

    fn cases(&self) -> Found {
        #[derive(Serialize)]
        struct Year<'a> {
            year: i16,
            cases: Vec<CaseRow<'a>>,
        }
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            years: Vec<Year<'a>>,
            principles: Vec<PrincipleCard<'a>>,
        }
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            case: &'a case::Case,
            origin: Option<String>,
            amount: Option<String>,
            principles: Vec<Link>,
        }
        let s = self.site;
        let t = &self.r.strings;
        let mut years: Vec<Year> = Vec::new();
        for c in &s.cases {
            let year = c.item.meta.date.map_or(0, |d| d.year());
            match years.last_mut() {
                Some(y) if y.year == year => y.cases.push(views::case_row(c, t)),
                _ => years.push(Year {
                    year,
                    cases: vec![views::case_row(c, t)],
                }),
            }
        }
        let (layout, intro_html, out) = self.section(Kind::Case, "nav.cases");
        let principles = views::principle_cards(s);
        let mut found = self.one(
            "cases.html",
            &out,
            &ListCtx {
                layout,
                intro_html,
                years,
                principles,
            },
        )?;
        found.extend(self.each("case.html", &s.cases, |p: &'a Page<case::Case>| {
            ItemCtx {
                layout: self.item_layout(p),
                page: ItemView::of(p),
                case: &p.item.data,
                origin: p.item.data.origin.map(|o| t.label("origin", o.token())),
                amount: p
                    .item
                    .data
                    .amount
                    .as_ref()
                    .map(|a| views::amount_text(a, t)),
                principles: views::principle_links(s, &p.item.data.principles, t),
            }
        })?);
        Ok(found)
    }

    fn free_pages(&self) -> Found {
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
        }
        self.each("page.html", &self.site.pages, |p| ItemCtx {
            layout: self.item_layout(p),
            page: ItemView::of(p),
        })
    }

    /// 404 page, sitemap and robots.txt.
    fn extras(&self) -> Found {
        #[derive(Serialize)]
        struct NotFoundCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
        }
        #[derive(Serialize)]
        struct SitemapCtx {
            urls: Vec<SitemapUrl>,
        }
        #[derive(Serialize)]
        struct RobotsCtx<'a> {
            sitemap: String,
            staff_build: bool,
            site: &'a SiteView<'a>,
        }
        let s = self.site;
        let title = self.r.strings.get("not_found.title");
        let mut found = self.one(
            "404.html",
            "404.html",
            &NotFoundCtx {
                layout: self.layout(&title, None, &format!("{}404.html", s.base_path)),
            },
        )?;
        found.extend(self.one(
            "sitemap.xml",
            "sitemap.xml",
            &SitemapCtx {
                urls: sitemap_urls(s),
            },
        )?);
        let robots = RobotsCtx {
            sitemap: format!("{}sitemap.xml", s.base_url),
            staff_build: self.view.staff_build,
            site: self.view,
        };
        found.extend(self.one("robots.txt", "robots.txt", &robots)?);
        Ok(found)
    }
}

fn indexed(
    index: &std::collections::BTreeMap<u8, Vec<usize>>,
    n: u8,
) -> impl Iterator<Item = usize> + '_ {
    index.get(&n).into_iter().flatten().copied()
}

/// A bank that tests a principle, with how many of its questions cite it.
#[derive(Serialize)]
struct QuizRef<'a> {
    title: &'a str,
    url: &'a str,
    count: usize,
}

pub(super) fn link<K>(p: &Page<K>) -> Link {
    Link {
        title: p.item.meta.title.clone(),
        url: p.url.clone(),
    }
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

/// Every published page's absolute address, with its last change when known.
fn sitemap_urls(s: &Site) -> Vec<SitemapUrl> {
    let abs = |url: &str| {
        format!(
            "{}{}",
            s.base_url,
            url.strip_prefix(s.base_path.as_str()).unwrap_or(url)
        )
    };
    let mut urls = vec![SitemapUrl {
        loc: abs(&s.base_path),
        lastmod: None,
    }];
    for kind in [
        Kind::Principle,
        Kind::Policy,
        Kind::Case,
        Kind::Channel,
        Kind::Disclosure,
        Kind::Module,
        Kind::Quiz,
    ] {
        urls.push(SitemapUrl {
            loc: abs(&s.section_url(kind)),
            lastmod: None,
        });
    }
    let mut item = |url: &str, m: &crate::frontmatter::Meta| {
        urls.push(SitemapUrl {
            loc: abs(url),
            lastmod: m.updated.or(m.date).map(|d| d.to_string()),
        });
    };
    s.principles.iter().for_each(|p| item(&p.url, &p.item.meta));
    s.policies.iter().for_each(|p| item(&p.url, &p.item.meta));
    s.cases.iter().for_each(|p| item(&p.url, &p.item.meta));
    s.channels.iter().for_each(|p| item(&p.url, &p.item.meta));
    s.disclosures
        .iter()
        .for_each(|p| item(&p.url, &p.item.meta));
    s.modules.iter().for_each(|p| item(&p.url, &p.item.meta));
    s.pages.iter().for_each(|p| item(&p.url, &p.item.meta));
    s.quizzes.iter().for_each(|p| item(&p.url, &p.item.meta));
    urls
}
