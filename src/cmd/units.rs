//! `qinglian units` (the units of a commission's tree, for people and for scripts),
//! `qinglian new unit NAME` (a unit from the blank start) and the two example units of
//! `qinglian init --units`.

use std::path::Path;

use serde::Serialize;

use super::Outcome;
use crate::error::{Error, Result};
use crate::fsio;
use crate::kinds::Kind;
use crate::theme::Theme;
use crate::units::{self, FOLDER};

/// A unit as `qinglian units` lists it.
#[derive(Debug, Serialize)]
pub struct Listed {
    pub name: String,
    pub title: String,
    pub base_url: String,
    /// Its folder from the tree's root: `units/<name>/`.
    pub folder: String,
}

/// Lists the units of the tree at `root`: one line each, or JSON for a CI matrix.
pub fn list(root: &Path, json: bool, lang: crate::messages::Lang) -> Result<Outcome> {
    let root = super::site_root(root)?;
    let (found, diags) = units::find(&root)?;
    let listed: Vec<Listed> = found.iter().map(listed).collect();
    if json {
        let text = serde_json::to_string_pretty(&listed).unwrap_or_else(|_| "[]".into());
        println!("{text}");
        return Ok(Outcome::Clean);
    }
    crate::pipeline::print_human(&diags, lang);
    if listed.is_empty() {
        crate::messages::say(lang, &crate::msg!("units.list_none"));
    }
    for u in &listed {
        println!("{}\t{}\t{}\t{}", u.name, u.title, u.base_url, u.folder);
    }
    Ok(Outcome::Clean)
}

fn listed(unit: &units::Unit) -> Listed {
    let config = crate::config::read(&unit.content());
    let (title, base_url) = config.map_or_else(Default::default, |c| (c.title, c.base_url));
    Listed {
        name: unit.name.clone(),
        title,
        base_url,
        folder: unit.shown(),
    }
}

/// `site.yaml` of a new unit: `{name}` and `{base}` are filled in.
const UNIT_SITE_YAML: &str = "\
# 单位站点配置：把括号里要求填写的内容换成本单位的，然后在总站文件夹运行 qinglian check。
# 九项准则、制度、警示案例、学习模块、题库、廉洁提醒和承诺书由卫健委共享，不必复制到这里。
title: （待填写：本单位网站名称，如 东山县人民医院廉洁文化网）
hospital: （待填写：本单位全称）
# 本单位网站发布后的网址；和总站放在一起时就是下面这个
base_url: {base}
language: zh-CN
timezone: Asia/Shanghai
footer: |
  （待填写：本单位主办部门、地址、邮编）
report:
  acceptance_days: 15
  feedback_days: 15
  gift_handover_hours: 24
";

/// `qinglian new unit NAME`: `units/NAME/content/` with its `site.yaml` and a draft of each
/// kind a unit keeps for itself (its channels, disclosures, news, risks…).
pub fn add(root: &Path, name: &str, lang: crate::messages::Lang) -> Result<()> {
    let root = super::site_root(root)?;
    if !units::valid_name(name) {
        return Err(Error::usage(crate::msg!(
            "units.bad_name_given",
            name = name
        )));
    }
    let folder = root.join(FOLDER).join(name);
    if fsio::lexists(&folder) {
        let shown = format!("{FOLDER}/{name}/");
        return Err(Error::usage(crate::msg!("units.exists", folder = shown)));
    }
    let content = folder.join("content");
    let site_yaml = UNIT_SITE_YAML.replace("{base}", &unit_base_url(&root, name));
    fsio::write_new(&content.join("site.yaml"), site_yaml.as_bytes())?;
    let theme = Theme::load(&root, "default")?;
    let today = jiff::ZonedDateTime::now().date();
    let drafts = (Kind::ALL.iter())
        .filter(|k| !k.shared() || **k == Kind::Channel)
        .filter_map(|&k| Some((k, k.draft()?)));
    for (kind, (file, title)) in drafts {
        let text =
            super::new::from_archetype(&theme, kind, title, today, "（待填写：发文机关代字）")?;
        // Named after the unit: a draft called like a shared item would hide it.
        let path = content
            .join(kind.folder())
            .join(format!("{name}-{file}.md"));
        fsio::write_new(&path, text.as_bytes())?;
    }
    let shown = format!("{FOLDER}/{name}/content/site.yaml");
    crate::messages::say(lang, &crate::msg!("units.added", name = name, yaml = shown));
    Ok(())
}

/// Where a unit is published beside the commission: `<commission base_url>units/<name>/`.
fn unit_base_url(root: &Path, name: &str) -> String {
    let base = crate::config::read(&root.join("content")).map_or_else(
        || "https://lianjie.example.invalid/".to_owned(),
        |c| c.base_url_slash(),
    );
    format!("{base}{FOLDER}/{name}/")
}

/// The commission's `site.yaml` in `init --units`.
const COMMISSION_SITE_YAML: &str = "\
# 总站配置：青岚市卫生健康委员会（示例，机构与人物均为虚构）
# 各单位的网站在 units/ 下，每个单位一个文件夹；运行 qinglian units 可以列出它们。
title: 青岚卫健清风
hospital: 青岚市卫生健康委员会
description: 青岚市卫生健康系统清廉医院建设：九项准则、警示教育、各单位信息公开与举报渠道。
base_url: https://lianjie.example.cn/
language: zh-CN
timezone: Asia/Shanghai
footer: |
  青岚市卫生健康委员会 驻委纪检监察组 · 宣传处

  本站为示例站点，机构、人物与案例均为虚构。
report:
  acceptance_days: 15
  feedback_days: 15
  gift_handover_hours: 24
# 清廉建设专项考核：每个单位的网站要达到的要求。qinglian check 逐个单位报告没达到的，
# 职工版（qinglian build --audience staff）的“各单位”栏目下有一张考核表。
requirements:
  - channels: [电话, 邮箱]
    verified_within_days: 180
  - disclosure: 整改公示
  - disclosure: 服务承诺
  - no_privacy_findings: true
";

/// The example units of `init --units`: (path under `units/`, text).
const EXAMPLE_UNITS: &[(&str, &str)] = &[
    (
        "dongshan/content/site.yaml",
        "# 单位站点配置：东山县人民医院（示例，医院与人物均为虚构）
title: 东山县人民医院廉洁文化网
hospital: 东山县人民医院
base_url: https://lianjie.example.cn/units/dongshan/
language: zh-CN
timezone: Asia/Shanghai
footer: |
  东山县人民医院 纪检监察科　地址：东山县人民路 12 号
report:
  acceptance_days: 15
  feedback_days: 15
  gift_handover_hours: 24
",
    ),
    (
        "dongshan/content/channels/dongshan-phone.md",
        "---
title: 东山县人民医院纪检监察科举报电话
kind: phone
value: \"0000-62345678\"
hours: \"工作日 8:00–12:00，14:30–17:30\"
scope: 反映本院职工收受红包、回扣，违规收费，泄露患者隐私等问题。
anonymous: true
owner: 东山县人民医院纪检监察科
valid_from: 2024-01-01
verified: 2026-11-20
location: 行政楼二楼
---

请说明被反映人所在科室和事情经过，可以不报姓名。
",
    ),
    (
        "dongshan/content/channels/dongshan-email.md",
        "---
title: 东山县人民医院纪检监察科举报邮箱
kind: email
value: jjk@dongshan.example.cn
hours: 全天接收，工作日处理
scope: 各类廉洁从业问题举报，可附证明材料。
anonymous: true
owner: 东山县人民医院纪检监察科
valid_from: 2024-01-01
verified: 2026-11-20
---

邮件标题请注明“举报”。
",
    ),
    (
        "dongshan/content/disclosures/2026-rectification.md",
        "---
title: 东山县人民医院2026年清廉医院建设专项检查整改情况公示
category: 整改公示
date: 2026-09-15
status: 整改推进中
summary: 公示专项检查发现的两个问题的整改措施、责任科室和时限。
items:
  - problem: 耗材二级库出入库登记不全
    measure: 上线耗材扫码出入库，每月由财务科抽查对账
    owner: 医学装备科、财务科
    deadline: 2026-10-31
    status: 已完成
  - problem: 个别科室接待医药代表未登记
    measure: 医药代表一律到接待室按预约接待，纪检监察科每月通报
    owner: 药剂科
    deadline: 2026-12-31
    status: 整改中
---

对公示内容有意见的，请通过本院举报电话或举报邮箱反映。
",
    ),
    (
        "dongshan/content/news/2026-warning-meeting.md",
        "---
title: 东山县人民医院召开警示教育大会
date: 2026-10-12
summary: 全院中层干部和重点岗位人员学习卫健委通报的警示案例，逐科签订廉洁承诺书。
principles: [8, 9]
---

10月12日，医院召开警示教育大会，组织学习卫健委通报的典型案例，要求各科室对照九项准则开展自查。
",
    ),
    (
        "xihu/content/site.yaml",
        "# 单位站点配置：西湖街道社区卫生服务中心（示例，机构与人物均为虚构）
title: 西湖社区卫生清风
hospital: 青岚市西湖街道社区卫生服务中心
base_url: https://lianjie.example.cn/units/xihu/
language: zh-CN
timezone: Asia/Shanghai
footer: |
  西湖街道社区卫生服务中心 办公室　地址：青岚市西湖路 301 号
report:
  acceptance_days: 15
  feedback_days: 15
  gift_handover_hours: 24
",
    ),
    (
        "xihu/content/channels/xihu-phone.md",
        "---
title: 西湖街道社区卫生服务中心监督电话
kind: phone
value: \"0000-83456789\"
hours: \"工作日 8:30–17:00\"
scope: 反映本中心职工收受红包、违规收费、服务态度等问题。
anonymous: true
owner: 中心办公室
valid_from: 2025-01-01
verified: 2026-11-18
location: 中心一楼服务台旁
---

也可以拨打卫健委的举报电话，见本页“上级举报渠道”。
",
    ),
    (
        "dongshan/content/disclosures/2026-service-commitment.md",
        "---
title: 东山县人民医院2026年便民服务承诺
category: 服务承诺
date: 2026-02-20
summary: 本院向患者公开的五项便民和廉洁服务承诺。
---

1. 不收受患者及家属的红包、礼品，确实无法拒收的24小时内上交；
2. 收费项目和价格在门诊大厅和网上公示；
3. 检查检验结果按约定时间出具；
4. 对投诉在5个工作日内答复；
5. 医务人员不向患者推荐院外购药。
",
    ),
    (
        "xihu/content/channels/xihu-email.md",
        "---
title: 西湖街道社区卫生服务中心监督邮箱
kind: email
value: jiandu@xihu.example.cn
hours: 全天接收，工作日处理
scope: 反映本中心职工廉洁从业问题和意见建议。
anonymous: true
owner: 中心办公室
valid_from: 2025-01-01
verified: 2026-11-18
---

邮件标题请注明“举报”或“建议”。
",
    ),
    (
        "xihu/content/disclosures/2026-service-commitment.md",
        "---
title: 西湖街道社区卫生服务中心2026年服务承诺
category: 服务承诺
date: 2026-03-01
summary: 本中心向辖区居民公开的六项服务承诺。
---

1. 不收受患者及家属的红包、礼品；
2. 不推销药品、保健品；
3. 收费项目和价格公示在一楼大厅；
4. 家庭医生签约服务按约定上门；
5. 预约检查当日告知结果领取时间；
6. 对投诉在5个工作日内答复。
",
    ),
];

/// Writes the commission's `site.yaml` and the example units under `dir` (the example site
/// is already in `dir/content/`).
pub fn write_example_tree(dir: &Path) -> Result<()> {
    fsio::write(
        &dir.join("content").join(crate::source::CONFIG_FILE),
        COMMISSION_SITE_YAML.as_bytes(),
    )?;
    for (rel, text) in EXAMPLE_UNITS {
        fsio::write_new(&dir.join(FOLDER).join(rel), text.as_bytes())?;
    }
    Ok(())
}
