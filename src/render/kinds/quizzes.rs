//! Self-test banks (自测题库): the list in numbered pages, and each bank's page with every
//! question and its answer in plain HTML (the self-test script draws from the same data),
//! which prints as a test paper and its key.

use serde::Serialize;

use super::{KindPages, Related, RelatedRow};
use crate::bodies::LinkedQuestion;
use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::kinds::module::Module;
use crate::kinds::quiz::{QuestionType, QuizBank, QuizSettings};
use crate::render::items::{get, item_layout};
use crate::render::lists::{Pager, paged_ids, section_page};
use crate::render::study::{DEFAULT_PASS, StudyModule, study_module};
use crate::render::views::{self, ItemView};
use crate::render::{Env, Layout, Reader, Strings, script_json};
use crate::site::Link;
use crate::built::PageView;

pub struct Pages;

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

/// A bank in the list.
#[derive(Serialize)]
struct BankRow<'a> {
    title: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    questions: usize,
}

impl KindPages for Pages {
    type Data = QuizBank;
    const TITLE: Option<&'static str> = Some("nav.quizzes");
    const TEMPLATES: &'static [&'static str] = &["quizzes.html", "quiz.html"];

    fn list(env: &Env, r: &Reader, page: usize) -> Result<Vec<u8>, Diagnostic> {
        #[derive(Serialize)]
        struct ListCtx<'a> {
            #[serde(flatten)]
            layout: Layout<'a>,
            intro_html: &'a str,
            quizzes: Vec<BankRow<'a>>,
            pager: Pager,
        }
        let (layout, intro_html) = section_page(env, r, Kind::Quiz, "nav.quizzes", page);
        let (ids, pager) = paged_ids(r, Kind::Quiz, page);
        let quizzes = (r.pages_of::<QuizBank>(ids).into_iter())
            .map(|q| {
                let m = &q.item.meta;
                BankRow {
                    title: &m.title,
                    url: q.url,
                    summary: m.summary.as_deref().or(m.description.as_deref()),
                    questions: q.data.questions.len(),
                }
            })
            .collect();
        let ctx = ListCtx {
            layout,
            intro_html,
            quizzes,
            pager,
        };
        env.emit("quizzes.html", &ctx)
    }

    fn item(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
        quiz(env, r, id)
    }

    /// A bank's stems, then its explanations (as text).
    fn facts(_p: &PageView, bank: &QuizBank, cx: &super::Facts) -> Vec<String> {
        let mut out: Vec<String> = bank.questions.iter().map(|q| q.stem.clone()).collect();
        let explained = cx.questions.iter().filter(|q| !q.explanation_html.is_empty());
        out.extend(explained.map(|q| crate::search::plain_text(&q.explanation_html).text));
        out
    }

    /// The first banks testing the principle, with how many of their questions cite it, and
    /// the way to every bank when there are more.
    fn on_principle(env: &Env, r: &Reader, n: u8) -> Option<Related> {
        let t = &env.r.strings;
        let banks = r.quiz_counts(n);
        let rows = (banks.iter().take(crate::render::items::CITING_SHOWN))
            .filter_map(|(bank, count)| {
                let mut row = RelatedRow::link(r.link_to(bank)?);
                row.meta = Some(t.get_fmt("quiz.citing_count", &count.to_string()));
                Some(row)
            })
            .collect();
        let mut section = Related::of(Kind::Quiz, "citing", t.get("quiz.citing"), rows)?;
        section.more = (banks.len() > crate::render::items::CITING_SHOWN).then(|| Link {
            title: t.get_fmt("quiz.citing_more", &banks.len().to_string()),
            url: r.section_url(Kind::Quiz),
        });
        Some(section)
    }
}

/// A bank's page: every question with its answer in plain HTML, and the self-test data.
fn quiz(env: &Env, r: &Reader, id: &str) -> Result<Vec<u8>, Diagnostic> {
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
    let p = get::<QuizBank>(r, id)?;
    let settings = &p.data.settings;
    let questions = r.questions(id);
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
        questions: (questions.iter().enumerate())
            .map(|(i, q)| question_view(i + 1, q, t))
            .collect(),
        modules: users.iter().map(views::link).collect(),
        data_json: script_json(&data),
    };
    env.emit("quiz.html", &ctx)
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
