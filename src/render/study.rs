//! Study pages: modules, self-test banks and "my study record", with the data their scripts use.

use serde::Serialize;

use super::pages::{Env, Found, link};
use super::views::{self, ItemView, ModuleRow};
use super::{Layout, Strings};
use crate::kinds::quiz::{QuestionType, QuizBank};
use crate::kinds::{Kind, module};
use crate::site::{Link, LinkedQuestion, Page, Site};

/// Pass mark when neither the module nor its bank sets one.
pub const DEFAULT_PASS: u8 = 60;

/// What the study scripts know about a module.
#[derive(Serialize)]
pub struct StudyModule<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    order: Option<i32>,
    minutes: Option<u32>,
    pass: u8,
    quiz: Option<QuizLink<'a>>,
    readings: Vec<Link>,
}

#[derive(Serialize)]
struct QuizLink<'a> {
    id: &'a str,
    title: &'a str,
    /// The bank's page, with `?module=` so the score counts for this module.
    url: String,
}

fn bank<'a>(site: &'a Site, id: &str) -> Option<&'a Page<QuizBank>> {
    site.quizzes.iter().find(|q| q.item.id == id)
}

fn study_module<'a>(site: &'a Site, p: &'a Page<module::Module>) -> StudyModule<'a> {
    let m = &p.item.data;
    let quiz = m.quiz.as_deref().and_then(|id| bank(site, id));
    StudyModule {
        id: &p.item.id,
        title: &p.item.meta.title,
        url: &p.url,
        order: m.order,
        minutes: m.minutes,
        pass: m
            .pass
            .or(quiz.and_then(|q| q.item.data.settings.pass))
            .unwrap_or(DEFAULT_PASS),
        quiz: quiz.map(|q| QuizLink {
            id: &q.item.id,
            title: &q.item.meta.title,
            url: format!("{}?module={}", q.url, p.item.id),
        }),
        readings: m
            .readings
            .iter()
            .filter_map(|id| site.links.get(id).cloned())
            .collect(),
    }
}

/// JSON for a `<script type="application/json">`: no `<`, `>` or `&` can end the element.
pub fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A question as the page prints it (the script reads the same facts from JSON).
#[derive(Serialize)]
struct QuestionView<'a> {
    number: usize,
    q: &'a LinkedQuestion,
    kind_label: String,
    /// The stem cut at its blanks, so each blank gets its own labelled input.
    parts: Vec<&'a str>,
    answer_text: String,
}

fn question_view<'a>(number: usize, q: &'a LinkedQuestion, t: &Strings) -> QuestionView<'a> {
    let mut parts = Vec::new();
    let mut last = 0;
    if q.kind == QuestionType::Blank {
        for span in crate::kinds::quiz::blank_spans(&q.stem) {
            parts.push(&q.stem[last..span.start]);
            last = span.end;
        }
    }
    parts.push(&q.stem[last..]);
    QuestionView {
        number,
        q,
        kind_label: t.label("quiz.type", q.kind.token()),
        parts,
        answer_text: answer_text(q, t),
    }
}

/// The right answer in words: `B. 收受红包`, `对`, `九 / 9；医院`.
fn answer_text(q: &LinkedQuestion, t: &Strings) -> String {
    use crate::kinds::quiz::Answer;
    match &q.answer {
        Answer::Choices(idx) => idx
            .iter()
            .map(|&i| {
                format!(
                    "{}. {}",
                    (b'A' + i as u8) as char,
                    q.options.get(i).map_or("", String::as_str)
                )
            })
            .collect::<Vec<_>>()
            .join("；"),
        Answer::Truth(b) => t.get(if *b { "quiz.true" } else { "quiz.false" }),
        Answer::Blanks(blanks) => blanks
            .iter()
            .map(|alts| alts.join(" / "))
            .collect::<Vec<_>>()
            .join("；"),
    }
}

impl<'a> Env<'a> {
    pub(super) fn modules(&self) -> Found {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            modules: Vec<ModuleRow<'a>>,
            record_url: String,
            data_json: String,
        }
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            module: &'a module::Module,
            row: ModuleRow<'a>,
            study: StudyModule<'a>,
            principles: Vec<Link>,
            record_url: String,
            data_json: String,
        }
        let s = self.site;
        let t = &self.r.strings;
        let record_url = format!("{}record/", s.section_url(Kind::Module));
        let (layout, intro_html, out) = self.section(Kind::Module, "nav.modules");
        let all: Vec<StudyModule> = s.modules.iter().map(|m| study_module(s, m)).collect();
        let list = ListCtx {
            layout,
            intro_html,
            modules: s.modules.iter().map(views::module_row).collect(),
            record_url: record_url.clone(),
            data_json: script_json(&all),
        };
        let mut found = self.one("modules.html", &out, &list)?;
        found.extend(
            self.each("module.html", &s.modules, |p: &'a Page<module::Module>| {
                let study = study_module(s, p);
                let data_json = script_json(&[&study]);
                ItemCtx {
                    layout: self.item_layout(p),
                    page: ItemView::of(p),
                    module: &p.item.data,
                    row: views::module_row(p),
                    study,
                    principles: views::principle_links(s, &p.item.data.principles, t),
                    record_url: record_url.clone(),
                    data_json,
                }
            })?,
        );
        Ok(found)
    }

    pub(super) fn quizzes(&self) -> Found {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            quizzes: Vec<BankRow<'a>>,
        }
        #[derive(Serialize)]
        struct BankRow<'a> {
            title: &'a str,
            url: &'a str,
            summary: Option<&'a str>,
            questions: usize,
        }
        let s = self.site;
        let (layout, intro_html, out) = self.section(Kind::Quiz, "nav.quizzes");
        let rows = s
            .quizzes
            .iter()
            .map(|q| BankRow {
                title: &q.item.meta.title,
                url: &q.url,
                summary: q
                    .item
                    .meta
                    .summary
                    .as_deref()
                    .or(q.item.meta.description.as_deref()),
                questions: q.item.data.questions.len(),
            })
            .collect();
        let mut found = self.one(
            "quizzes.html",
            &out,
            &ListCtx {
                layout,
                intro_html,
                quizzes: rows,
            },
        )?;
        found.extend(self.each("quiz.html", &s.quizzes, |p| self.quiz_ctx(p))?);
        Ok(found)
    }

    fn quiz_ctx(&self, p: &'a Page<QuizBank>) -> impl Serialize + 'a {
        #[derive(Serialize)]
        struct ItemCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            page: ItemView<'a>,
            settings: &'a crate::kinds::quiz::QuizSettings,
            pass: u8,
            questions: Vec<QuestionView<'a>>,
            modules: Vec<Link>,
            data_json: String,
        }
        #[derive(Serialize)]
        struct Data<'a> {
            id: &'a str,
            pass: u8,
            draw: Option<u32>,
            shuffle: bool,
            time_limit: Option<u32>,
            questions: &'a [LinkedQuestion],
            modules: Vec<StudyModule<'a>>,
            strings: std::collections::BTreeMap<&'a str, &'a str>,
        }
        let s = self.site;
        let t = &self.r.strings;
        let settings = &p.item.data.settings;
        let questions: &[LinkedQuestion] = s.questions.get(&p.item.id).map_or(&[], Vec::as_slice);
        let pass = settings.pass.unwrap_or(DEFAULT_PASS);
        let users: Vec<&Page<module::Module>> = s
            .modules
            .iter()
            .filter(|m| m.item.data.quiz.as_deref() == Some(p.item.id.as_str()))
            .collect();
        let data = Data {
            id: &p.item.id,
            pass,
            draw: settings.draw,
            shuffle: settings.shuffle.unwrap_or(true),
            time_limit: settings.time_limit,
            questions,
            modules: users.iter().map(|m| study_module(s, m)).collect(),
            strings: t.prefixed("quiz."),
        };
        ItemCtx {
            layout: self.item_layout(p),
            page: ItemView::of(p),
            settings,
            pass,
            questions: questions
                .iter()
                .enumerate()
                .map(|(i, q)| question_view(i + 1, q, t))
                .collect(),
            modules: users.iter().map(|m| link(m)).collect(),
            data_json: script_json(&data),
        }
    }

    /// "My study record": every module, filled in from the browser's own progress.
    pub(super) fn record(&self) -> Found {
        #[derive(Serialize)]
        struct RecordCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            modules: Vec<StudyModule<'a>>,
            data_json: String,
        }
        let s = self.site;
        if s.modules.is_empty() {
            return Ok(Vec::new());
        }
        let url = format!("{}record/", s.section_url(Kind::Module));
        let out = format!("{}index.html", &url[s.base_path.len()..]);
        let title = self.r.strings.get("record.title");
        let modules: Vec<StudyModule> = s.modules.iter().map(|m| study_module(s, m)).collect();
        let data_json = script_json(&modules);
        self.one(
            "record.html",
            &out,
            &RecordCtx {
                layout: self.layout(&title, None, &url),
                modules,
                data_json,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let json = script_json(&"</script><script>alert(1)</script>&");
        assert!(!json.contains('<') && !json.contains('&'));
        assert_eq!(
            serde_json::from_str::<String>(&json).unwrap(),
            "</script><script>alert(1)</script>&"
        );
    }
}
