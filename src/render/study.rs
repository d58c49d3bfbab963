//! Study pages: modules, self-test banks and "my study record", with the data their scripts use.

use serde::Serialize;

use super::items::item_layout;
use super::views::{self, ItemView, ModuleRow};
use super::{Env, Layout, Reader, Strings, script_json};
use crate::bodies::LinkedQuestion;
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::module::Module;
use crate::kinds::quiz::{QuestionType, QuizBank, QuizSettings};
use crate::site::{Link, PageRef};

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

fn study_module<'a>(r: &Reader<'a>, p: &PageRef<'a, Module>) -> StudyModule<'a> {
    let m = p.data;
    let quiz = m.quiz.as_deref().and_then(|id| r.page::<QuizBank>(id));
    StudyModule {
        id: &p.item.id,
        title: &p.item.meta.title,
        url: p.url,
        order: m.order,
        minutes: m.minutes,
        pass: pass_mark(m, quiz.map(|q| q.data)),
        quiz: quiz.map(|q| QuizLink {
            id: &q.item.id,
            title: &q.item.meta.title,
            url: format!("{}?module={}", q.url, p.item.id),
        }),
        readings: m.readings.iter().filter_map(|id| r.link_to(id)).collect(),
    }
}

/// A module's pass mark: its own `pass`, else its bank's, else [`DEFAULT_PASS`].
pub fn pass_mark(module: &Module, bank: Option<&QuizBank>) -> u8 {
    module
        .pass
        .or(bank.and_then(|b| b.settings.pass))
        .unwrap_or(DEFAULT_PASS)
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

/// The modules list.
pub fn modules(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ListCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        intro_html: &'a str,
        modules: Vec<ModuleRow<'a>>,
        record_url: String,
        data_json: String,
        pager: super::lists::Pager,
    }
    let url = crate::plan::page_url(&env.site.section_url(Kind::Module), page);
    let (layout, intro_html) = super::lists::section(env, r, Kind::Module, "nav.modules", &url);
    let (ids, pager) = super::lists::paged_ids(r, Kind::Module, page);
    let shown = r.pages_of::<Module>(ids);
    let study: Vec<StudyModule> = shown.iter().map(|m| study_module(r, m)).collect();
    let list = ListCtx {
        layout,
        intro_html,
        modules: shown.iter().map(views::module_row).collect(),
        record_url: crate::plan::record_url(env.site),
        data_json: script_json(&study),
        pager,
    };
    env.emit("modules.html", &list)
}

/// A module's page.
pub fn module(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        page: ItemView<'a>,
        module: &'a Module,
        row: ModuleRow<'a>,
        study: StudyModule<'a>,
        principles: Vec<Link>,
        record_url: String,
        data_json: String,
    }
    let Some(p) = r.page::<Module>(id) else {
        return Ok(Vec::new());
    };
    let study = study_module(r, &p);
    let data_json = script_json(&[&study]);
    let ctx = ItemCtx {
        layout: item_layout(env, r, &p),
        page: ItemView::of(&p),
        module: p.data,
        row: views::module_row(&p),
        study,
        principles: views::principle_links(r, &p.data.principles, &env.r.strings),
        record_url: crate::plan::record_url(env.site),
        data_json,
    };
    env.emit("module.html", &ctx)
}

/// A bank's page: every question with its answer in plain HTML, and the self-test data.
pub fn quiz(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct ItemCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        page: ItemView<'a>,
        settings: &'a QuizSettings,
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
    let t = &env.r.strings;
    let Some(p) = r.page::<QuizBank>(id) else {
        return Ok(Vec::new());
    };
    let settings = &p.data.settings;
    let questions: &[LinkedQuestion] = env
        .site
        .bodies
        .get(id)
        .map_or(&[], |b| b.questions.as_slice());
    let pass = settings.pass.unwrap_or(DEFAULT_PASS);
    let users = r.pages_of::<Module>(r.quiz_users(id));
    let data = Data {
        id: &p.item.id,
        pass,
        draw: settings.draw,
        shuffle: settings.shuffle.unwrap_or(true),
        time_limit: settings.time_limit,
        questions,
        modules: users.iter().map(|m| study_module(r, m)).collect(),
        strings: t.prefixed("quiz."),
    };
    let ctx = ItemCtx {
        layout: item_layout(env, r, &p),
        page: ItemView::of(&p),
        settings,
        pass,
        questions: questions
            .iter()
            .enumerate()
            .map(|(i, q)| question_view(i + 1, q, t))
            .collect(),
        modules: users.iter().map(views::link).collect(),
        data_json: script_json(&data),
    };
    env.emit("quiz.html", &ctx)
}

/// "My study record": every module, filled in from the browser's own progress.
pub fn record(env: &Env, r: &Reader) -> Result<Vec<u8>, Diagnostic> {
    #[derive(Serialize)]
    struct RecordCtx<'a> {
        #[serde(flatten)]
        layout: Layout<'a>,
        modules: Vec<StudyModule<'a>>,
        data_json: String,
    }
    let url = crate::plan::record_url(env.site);
    let title = env.r.strings.get("record.title");
    let modules: Vec<StudyModule> = r
        .ordered::<Module>()
        .iter()
        .map(|m| study_module(r, m))
        .collect();
    let data_json = script_json(&modules);
    let ctx = RecordCtx {
        layout: Layout::new(env.site, env.view, &title, None, &url),
        modules,
        data_json,
    };
    env.emit("record.html", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_written_out() {
        let q = LinkedQuestion {
            id: "q".into(),
            kind: QuestionType::Multiple,
            stem: "题".into(),
            options: vec!["甲".into(), "乙".into(), "丙".into()],
            answer: crate::kinds::quiz::Answer::Choices(vec![0, 2]),
            explanation_html: String::new(),
            basis: None,
            principle: None,
        };
        assert_eq!(answer_text(&q, &Strings::default()), "A. 甲；C. 丙");
    }
}
