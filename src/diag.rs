//! Diagnostics: a content mistake with its file, line, column, snippet and hint; human and JSON output.

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::messages::{Lang, Msg};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Something a reviewer should see, not a mistake (never fails a build).
    Note,
}

/// One mistake in the content, located in a file under the site root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators (`content/cases/x.md`).
    pub path: String,
    /// 1-based line; 0 when the mistake concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    pub message: Msg,
    pub hint: Option<Msg>,
    /// The text of the offending line (a window of it when the line is long), for the snippet.
    pub snippet: Option<String>,
    /// How many characters of the line were cut before `snippet` starts.
    #[serde(skip)]
    pub snippet_start: usize,
    /// How many characters to underline from `column`; to the end of the word when absent.
    #[serde(skip)]
    pub len: Option<usize>,
}

impl Diagnostic {
    /// A diagnostic at `line`/`column` of `text`, the contents of the file at `path`.
    pub fn at(
        severity: Severity,
        path: &str,
        text: &str,
        line: usize,
        column: usize,
        message: impl Into<Msg>,
    ) -> Self {
        let line_text = line.checked_sub(1).and_then(|i| text.lines().nth(i));
        Diagnostic::on_line(severity, path, line_text, line, column, message)
    }

    /// A diagnostic on a line whose text is given; a long line keeps only a window around
    /// `column`, so a diagnostic never copies a whole huge line.
    pub fn on_line(
        severity: Severity,
        path: &str,
        line_text: Option<&str>,
        line: usize,
        column: usize,
        message: impl Into<Msg>,
    ) -> Self {
        let (snippet, snippet_start) = match line_text {
            Some(text) => {
                let (window, start) = snippet_window(text, column);
                (Some(window), start)
            }
            None => (None, 0),
        };
        Diagnostic {
            severity,
            path: path.to_owned(),
            line,
            column,
            message: message.into(),
            hint: None,
            snippet,
            snippet_start,
            len: None,
        }
    }

    /// A diagnostic about a whole file (or a file that could not be read as text).
    pub fn file(severity: Severity, path: &str, message: impl Into<Msg>) -> Self {
        Diagnostic::at(severity, path, "", 0, 0, message)
    }

    pub fn with_hint(mut self, hint: impl Into<Msg>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Underlines `len` characters from the column.
    pub fn with_len(mut self, len: usize) -> Self {
        self.len = Some(len);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Lines longer than this many characters are shown as a window around the column.
const SNIPPET_CHARS: usize = 160;

fn snippet_window(text: &str, column: usize) -> (String, usize) {
    let count = text.chars().count();
    if count <= SNIPPET_CHARS {
        return (text.to_owned(), 0);
    }
    let start = column
        .saturating_sub(SNIPPET_CHARS / 4)
        .min(count - SNIPPET_CHARS);
    (
        text.chars().skip(start).take(SNIPPET_CHARS).collect(),
        start,
    )
}

/// At most this many diagnostics are shown per file; the rest are counted.
pub const MAX_PER_FILE: usize = 50;

/// Sorts diagnostics by file and position, drops exact repeats, and keeps at most
/// [`MAX_PER_FILE`] per file, saying how many more were left out.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity).cmp(&(&b.path, b.line, b.column, b.severity))
    });
    diags.dedup();
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    let mut rest = std::mem::take(diags).into_iter().peekable();
    while let Some(first) = rest.next() {
        let path = first.path.clone();
        let mut file = vec![first];
        while let Some(d) = rest.next_if(|d| d.path == path) {
            file.push(d);
        }
        if file.len() > MAX_PER_FILE {
            let hidden = file.split_off(MAX_PER_FILE);
            let worst = hidden
                .iter()
                .map(|d| d.severity)
                .min()
                .unwrap_or(Severity::Warning);
            let note = Diagnostic::file(worst, &path, crate::msg!("diag.more", n = hidden.len()));
            file.push(note.with_hint(crate::msg!("diag.more.hint")));
        }
        kept.extend(file);
    }
    *diags = kept;
}

/// Counts of errors and warnings, after `--strict` has promoted warnings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(diags: &[Diagnostic]) -> Tally {
        let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
        Tally {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
        }
    }
}

/// Turns every warning into an error (`--strict`).
pub fn promote_warnings(diags: &mut [Diagnostic]) {
    for d in diags.iter_mut().filter(|d| d.severity == Severity::Warning) {
        d.severity = Severity::Error;
    }
}

/// Renders diagnostics for a terminal, each with its snippet, then a summary line.
pub fn render_human(diags: &[Diagnostic], color: bool, lang: Lang) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diags {
        let message = d.message.render(lang);
        let hint = d.hint.as_ref().map(|h| h.render(lang));
        let labels = Labels::of(lang);
        out.push_str(&renderer.render(&report(d, &message, hint.as_deref(), &labels)));
        out.push_str("\n\n");
    }
    let tally = Tally::of(diags);
    if tally.errors + tally.warnings > 0 {
        let tally = crate::msg!(
            "diag.tally",
            errors = tally.errors,
            warnings = tally.warnings
        );
        let _ = writeln!(out, "{}", tally.render(lang));
    }
    out
}

/// The words before each message (`error`, `warning`, `note`, `help`) in the reader's language.
struct Labels {
    error: String,
    warning: String,
    note: String,
    help: String,
}

impl Labels {
    fn of(lang: Lang) -> Labels {
        let word = |m: Msg| m.render(lang);
        Labels {
            error: word(crate::msg!("diag.error")),
            warning: word(crate::msg!("diag.warning")),
            note: word(crate::msg!("diag.note")),
            help: word(crate::msg!("diag.help")),
        }
    }
}

fn report<'a>(
    d: &'a Diagnostic,
    message: &'a str,
    hint: Option<&'a str>,
    labels: &'a Labels,
) -> Vec<Group<'a>> {
    let level = match d.severity {
        Severity::Error => Level::ERROR.with_name(labels.error.as_str()),
        Severity::Warning => Level::WARNING.with_name(labels.warning.as_str()),
        Severity::Note => Level::NOTE.with_name(labels.note.as_str()),
    };
    let title = level.primary_title(message);
    let mut groups = vec![match &d.snippet {
        Some(line) if d.snippet_start > 0 => {
            // A window of a long line: name the true column, then show the window.
            let span = column_span(line, d.column.saturating_sub(d.snippet_start), d.len);
            title
                .element(
                    annotate_snippets::Origin::path(d.path.as_str())
                        .line(d.line)
                        .char_column(d.column),
                )
                .element(
                    Snippet::source(line.as_str())
                        .line_start(d.line.max(1))
                        .annotation(AnnotationKind::Primary.span(span)),
                )
        }
        Some(line) => {
            let span = column_span(line, d.column, d.len);
            title.element(
                Snippet::source(line.as_str())
                    .line_start(d.line.max(1))
                    .path(d.path.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        None if d.line > 0 => {
            title.element(annotate_snippets::Origin::path(d.path.as_str()).line(d.line))
        }
        None => title.element(annotate_snippets::Origin::path(d.path.as_str())),
    }];
    if let Some(hint) = hint {
        let help = Level::HELP.with_name(labels.help.as_str());
        groups.push(Group::with_title(help.secondary_title(hint)));
    }
    groups
}

/// Words underlined without a length end at most this many characters on: Chinese text has
/// no spaces to end a word at.
const WORD_CHARS: usize = 12;

/// The byte range to underline: from the 1-based character `column` to the end of its word.
fn column_span(line: &str, column: usize, len: Option<usize>) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let rest = &line[start..];
    if let Some(len) = len {
        let end = rest.char_indices().nth(len).map_or(rest.len(), |(i, _)| i);
        return start..start + end.max(1).min(rest.len());
    }
    let ends_word = |c: char| c.is_whitespace() || ":：，。、；！？（）,;()".contains(c);
    let mut len = rest.len();
    for (n, (i, c)) in rest.char_indices().enumerate() {
        if n == 0 && ends_word(c) {
            len = c.len_utf8();
            break;
        }
        if n == WORD_CHARS || n > 0 && ends_word(c) {
            len = i;
            break;
        }
    }
    start..start + len
}

/// Renders diagnostics as one JSON document: `{"errors": n, "warnings": n, "diagnostics": [...]}`.
pub fn render_json(diags: &[Diagnostic]) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        #[serde(flatten)]
        tally: Tally,
        diagnostics: &'a [Diagnostic],
    }
    let report = Report {
        tally: Tally::of(diags),
        diagnostics: diags,
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The diagnostics reported so far, so that each is reported once: a commission's shared
/// item's mistake is seen by every unit that shows the item.
#[derive(Debug, Default)]
pub struct Reported(std::collections::HashSet<String>);

impl Reported {
    /// Whether `d` is new (it is then counted as reported).
    fn first(&mut self, d: &Diagnostic) -> bool {
        let key = format!("{}:{}:{}:{:?}", d.path, d.line, d.column, d.message);
        self.0.insert(key)
    }

    /// The diagnostics of `diags` not reported before.
    pub fn new_ones(&mut self, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diags.into_iter().filter(|d| self.first(d)).collect()
    }
}

/// A unit's part of `check --format json`: its name, diagnostics and requirements.
pub type UnitReport<'a> = (&'a str, &'a [Diagnostic], &'a [crate::units::card::Finding]);

/// [`render_json`] for a commission's tree: every diagnostic, and each unit's with its tally.
pub fn render_json_units(diags: &[Diagnostic], units: &[UnitReport]) -> String {
    #[derive(Serialize)]
    struct Unit<'a> {
        name: &'a str,
        #[serde(flatten)]
        tally: Tally,
        diagnostics: &'a [Diagnostic],
        requirements: &'a [crate::units::card::Finding],
    }
    #[derive(Serialize)]
    struct Report<'a> {
        #[serde(flatten)]
        tally: Tally,
        diagnostics: &'a [Diagnostic],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        units: Vec<Unit<'a>>,
    }
    let report = Report {
        tally: Tally::of(diags),
        diagnostics: diags,
        units: (units.iter())
            .map(|&(name, d, requirements)| Unit {
                name,
                tally: Tally::of(d),
                diagnostics: d,
                requirements,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_output_names_path_line_and_hint() {
        let d = Diagnostic::at(
            Severity::Error,
            "content/cases/x.md",
            "---\ntitel: 案例\n---\n",
            2,
            1,
            "unknown key `titel`",
        )
        .with_hint("did you mean `title`?");
        let text = render_human(&[d], false, Lang::En);
        assert!(text.contains("content/cases/x.md:2:1"), "{text}");
        assert!(text.contains("titel: 案例"), "{text}");
        assert!(text.contains("did you mean `title`?"), "{text}");
        assert!(text.contains("1 error(s), 0 warning(s)"), "{text}");
    }

    #[test]
    fn json_output_counts_and_lists() {
        let d = Diagnostic::file(Severity::Warning, "content/site.yaml", "old");
        let json: serde_json::Value = serde_json::from_str(&render_json(&[d])).unwrap();
        assert_eq!(json["warnings"], 1);
        assert_eq!(json["diagnostics"][0]["path"], "content/site.yaml");
    }

    #[test]
    fn long_lines_keep_a_window_and_files_a_bounded_count() {
        let line = "号".repeat(100_000);
        let d = Diagnostic::on_line(Severity::Error, "a.md", Some(&line), 1, 50_000, "x");
        assert_eq!(d.snippet.as_ref().unwrap().chars().count(), SNIPPET_CHARS);
        assert!(render_human(&[d], false, Lang::En).contains("a.md:1:50000"));
        let mut many: Vec<Diagnostic> = (1..=120)
            .map(|i| Diagnostic::at(Severity::Warning, "b.md", "", i, 1, "w"))
            .collect();
        sort(&mut many);
        assert_eq!(many.len(), MAX_PER_FILE + 1);
        assert!(
            many.last().unwrap().message.starts_with("70 more"),
            "{:?}",
            many.last()
        );
    }

    #[test]
    fn span_covers_a_word_in_chinese_text() {
        let line = "subject: 张三 ";
        let span = column_span(line, 10, None);
        assert_eq!(&line[span], "张三");
        let line = "见[案例](@/cases/x.md)。其余";
        assert_eq!(&line[column_span(line, 7, Some(14))], "@/cases/x.md)。");
        let line = "示例医院地址在某市某区某路一百二十三号院内东侧";
        assert_eq!(
            &line[column_span(line, 1, None)],
            "示例医院地址在某市某区某"
        );
        let line = "，后";
        assert_eq!(&line[column_span(line, 1, None)], "，");
    }

    /// A finding far along a long line of Chinese text without spaces: the window is cut at
    /// the left, and the carets stay under the finding instead of running to the window's end.
    #[test]
    fn carets_in_a_window_cut_at_the_left_stay_under_the_finding() {
        let line = format!("{}青岚{}", "廉洁".repeat(150), "从业".repeat(100));
        let column = 301;
        for len in [Some(2), None] {
            let mut d = Diagnostic::at(Severity::Warning, "a.md", &line, 1, column, "w");
            d.len = len;
            assert!(d.snippet_start > 0, "the window is cut at the left");
            let text = render_human(&[d], false, Lang::En);
            let carets: Vec<&str> = text.lines().filter(|l| l.contains('^')).collect();
            let widest = carets.iter().map(|l| l.matches('^').count()).max();
            assert!(widest <= Some(2 * WORD_CHARS), "{len:?}: {text}");
        }
    }
}
