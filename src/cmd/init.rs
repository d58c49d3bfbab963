//! `qinglian init DIR`: a new site holding the embedded example content, or with `--blank`
//! the hospital's own site from scratch: a commented `site.yaml`, the Nine Principles, and one
//! draft of each other kind to copy from.

use std::path::Path;

use crate::error::{Error, Result};
use crate::fsio;
use crate::kinds::Kind;
use crate::theme::{self, Theme};

/// `site.yaml` of a blank site: every value the office must give is marked 待填写.
const BLANK_SITE_YAML: &str = "\
# 站点配置：把括号里要求填写的内容换成本院的，然后运行 qinglian check。
title: 廉洁文化网
hospital: （待填写：医院全称）
description: （待填写：一句话介绍本站，如 本院廉洁文化建设网站）
# 本站发布后的网址。放在子路径下时写全，如 https://www.本院域名.cn/lianjie/
base_url: https://lianjie.hospital.invalid/  # 待填写：本站的网址
language: zh-CN
timezone: Asia/Shanghai
# 本院发文代字，qinglian new policy 用它生成文号，如 某医〔2026〕号。
# doc_prefix: 某医
footer: |
  （待填写：主办部门、地址、邮编）
report:
  acceptance_days: 15
  feedback_days: 15
  gift_handover_hours: 24
";

/// Writes the example site (or a blank one) into `dir/content/`; refuses a folder that
/// already has files.
pub fn run(dir: &Path, blank: bool, units: bool, lang: crate::messages::Lang) -> Result<()> {
    if dir.exists() && (!dir.is_dir() || fsio::dir_has_entries(dir)?) {
        return Err(Error::usage(crate::msg!(
            "init.not_empty",
            dir = dir.display()
        )));
    }
    if blank {
        write_blank(dir)?;
    } else {
        for (rel, bytes) in theme::example_content() {
            let path = dir.join("content").join(crate::output::safe_relative(rel)?);
            fsio::write_new(&path, bytes)?;
        }
    }
    if units {
        super::units::write_example_tree(dir)?;
    }
    let say = |m| crate::messages::say(lang, &m);
    say(crate::msg!("init.created", dir = dir.display()));
    say(crate::msg!("init.edit_first"));
    if blank {
        say(crate::msg!("init.drafts"));
    }
    if units {
        say(crate::msg!("init.units"));
    }
    say(crate::msg!("init.next", dir = dir.display()));
    Ok(())
}

/// `site.yaml`, the Nine Principles, and a draft of each other kind.
fn write_blank(dir: &Path) -> Result<()> {
    let content = dir.join("content");
    fsio::write_new(&content.join("site.yaml"), BLANK_SITE_YAML.as_bytes())?;
    for (rel, bytes) in theme::example_content() {
        if let Some(name) = rel.strip_prefix("principles/") {
            let text = unlinked(&String::from_utf8_lossy(bytes));
            fsio::write_new(&content.join("principles").join(name), text.as_bytes())?;
        }
    }
    let theme = Theme::load(dir, "default")?;
    let today = jiff::ZonedDateTime::now().date();
    let prefix = "（待填写：发文机关代字）";
    // One draft of each kind that has one (`KindDef::DRAFT`), in the registry's order.
    let drafts = Kind::ALL.iter().filter_map(|&k| Some((k, k.draft()?)));
    for (kind, (name, title)) in drafts {
        let text = super::new::from_archetype(&theme, kind, title, today, prefix)?;
        let path = content.join(kind.folder()).join(format!("{name}.md"));
        fsio::write_new(&path, text.as_bytes())?;
    }
    Ok(())
}

/// A principle's text without the example site's cases: sentences that point to a case go,
/// other links keep their words.
fn unlinked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let kept: String = line
            .split_inclusive('。')
            .filter(|sentence| !sentence.contains("](@/cases/"))
            .collect();
        out.push_str(&link_text(&kept));
    }
    out
}

/// `[words](@/…)` → `words`.
fn link_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(mid) = rest.find("](@/") {
        let Some(open) = rest[..mid].rfind('[') else {
            break;
        };
        let Some(close) = rest[mid..].find(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..mid]);
        rest = &rest[mid + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_writes_site_yaml_and_refuses_non_empty() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        run(&site, false, false, crate::messages::Lang::En).unwrap();
        assert!(site.join("content/site.yaml").is_file());
        assert!(site.join("content/principles/08.md").is_file());
        assert!(run(&site, false, false, crate::messages::Lang::En).is_err());
    }

    #[test]
    fn principles_keep_their_words_but_not_the_example_cases() {
        let text = "见[举报电话](@/channels/hotline.md)反映。典型案例见[某案](@/cases/2023/x.md)。\n## 条文\n";
        assert_eq!(unlinked(text), "见举报电话反映。\n## 条文\n");
    }
}
