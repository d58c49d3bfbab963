//! Text left behind: placeholders from `qinglian new` (`（待填写：…）`) in a published page,
//! and, in a site that is not the example hospital's, the example site's name, addresses and
//! numbers.

use crate::diag::{Diagnostic, Severity};
use crate::site::Linked;

/// What `qinglian new` writes where the author must fill something in.
pub const PLACEHOLDER: &str = "待填写";

/// Text that only the example site has (its fictional hospital, city, address, numbers and
/// domain); a test keeps this list in step with `content/`.
pub const EXAMPLE_MARKS: &[&str] = &[
    "青岚市第一人民医院",
    "青岚市",
    "清风医苑",
    "清河路 88 号",
    "0000-8123",
    "example.cn",
];

/// At most this many leftovers are reported per file.
const PER_FILE: usize = 10;

/// Whether this is the example hospital's own site (then its names are not leftovers).
pub fn is_example(site: &Linked) -> bool {
    EXAMPLE_MARKS[..3]
        .iter()
        .any(|m| site.config.hospital.contains(m) || site.config.title.contains(m))
}

/// One warning per line that holds a placeholder or one of `marks`.
pub fn scan(path: &str, text: &str, marks: &[&str]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Most files hold none: one search of the whole text each, not one per line.
    if !text.contains(PLACEHOLDER) && !marks.iter().any(|m| text.contains(m)) {
        return out;
    }
    for (i, line) in text.lines().enumerate() {
        if out.len() == PER_FILE {
            break;
        }
        if let Some(col) = line.find(PLACEHOLDER) {
            let d = on(
                path,
                line,
                i,
                col,
                if path.ends_with("site.yaml") {
                    crate::msg!("leftover.placeholder_site")
                } else {
                    crate::msg!("leftover.placeholder")
                },
            );
            let d = d.with_len(PLACEHOLDER.chars().count());
            out.push(d.with_hint(crate::msg!("leftover.placeholder.hint")));
        } else if let Some((col, mark)) = marks.iter().find_map(|m| Some((line.find(m)?, m))) {
            let message = crate::msg!("leftover.example", mark = mark);
            let d = on(path, line, i, col, message).with_len(mark.chars().count());
            out.push(d.with_hint(crate::msg!("leftover.example.hint")));
        }
    }
    out
}

fn on(
    path: &str,
    line: &str,
    index: usize,
    byte: usize,
    message: impl Into<crate::messages::Msg>,
) -> Diagnostic {
    let column = line[..byte].chars().count() + 1;
    Diagnostic::on_line(
        Severity::Warning,
        path,
        Some(line),
        index + 1,
        column,
        message,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testutil::linked;
    use crate::types::Audience;

    #[test]
    fn every_mark_is_in_the_example_site() {
        let example: String = crate::theme::example_content()
            .iter()
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .collect();
        for mark in EXAMPLE_MARKS {
            assert!(example.contains(mark), "{mark} is not in content/ any more");
        }
        assert!(
            !example.contains(PLACEHOLDER),
            "the example has no placeholders"
        );
    }

    #[test]
    fn leftovers_and_placeholders_in_a_real_site_are_warned_with_their_line() {
        let site_yaml = "title: 廉洁网\nhospital: 某县人民医院\nbase_url: https://a.cn/\nfooter: 地址：青岚市清河路 88 号\n";
        let files = [
            (
                "pages/a.md",
                "---\ntitle: 关于\n---\n\n电话 0000-81234567。\n",
            ),
            (
                "pages/b.md",
                "---\ntitle: 草稿页\n---\n（待填写：页面正文。）\n",
            ),
        ];
        let (site, _) = linked(site_yaml, &files, Audience::Public);
        let diags = crate::lint::run(&site);
        let shown: Vec<(String, usize, usize)> = diags
            .iter()
            .filter(|d| d.path != "content/channels/")
            .map(|d| (d.path.clone(), d.line, d.column))
            .collect();
        assert_eq!(
            shown,
            [
                ("content/pages/a.md".into(), 5, 4),
                ("content/pages/b.md".into(), 4, 2),
                ("content/site.yaml".into(), 4, 12),
            ],
            "{diags:?}"
        );
        let example_yaml =
            "title: 清风医苑\nhospital: 青岚市第一人民医院\nbase_url: https://a.example.cn/\n";
        let (site, _) = linked(example_yaml, &files[..1], Audience::Public);
        let diags = crate::lint::run(&site);
        assert!(
            diags.iter().all(|d| d.path == "content/channels/"),
            "the example site itself is fine: {diags:?}"
        );
    }
}
