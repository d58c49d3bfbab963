//! A deterministic generator of synthetic integrity sites: N items across every kind, mostly
//! Chinese text of realistic length, `@/` links and references between items, about a tenth
//! free pages, some staff-only and draft items. Writes our format, and (for the benchmark's
//! peer columns) the same content as a Hugo site and as a Zola site; prepares ours and makes its search index in
//! process, as the benchmark and the search budget test measure it.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator, so every run writes the same site.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

const SENTENCES: &[&str] = &[
    "医务人员应当坚持以患者为中心，恪守职业道德，廉洁行医。",
    "不得索取、收受患者及其亲友的“红包”、礼品和有价证券。",
    "对于确实无法拒绝的礼金，应当在二十四小时内交到医院纪检监察室登记。",
    "科室主任要履行“一岗双责”，对本科室的行风建设负直接责任。",
    "医院定期开展药品、耗材使用情况的监测，对异常增长及时预警。",
    "严禁接受医药企业以学术会议、考察旅游等名义提供的不正当利益。",
    "发现违规行为的，可以通过举报电话、电子邮箱或意见箱反映。",
    "纪检监察室对举报人的信息严格保密，严禁打击报复。",
    "合理检查、合理用药、合理治疗是每一位医务人员的基本要求。",
    "过度诊疗不仅增加患者负担，也损害医院的公信力。",
    "医保基金是人民群众的“救命钱”，任何人不得以任何形式骗取。",
    "按照DRG付费改革的要求，各临床科室应当规范病案首页填写。",
    "本次检查共抽查病历三百余份，发现问题十二项，已督促整改。",
    "廉洁文化进科室活动通过案例警示、专题党课等形式开展。",
    "新入职职工须完成九项准则学习，并通过自测后方可上岗。",
    "采购部门在设备招标中要严格执行回避制度，公开透明。",
    "对涉及人事、财务、基建等重点岗位人员定期开展廉洁谈话。",
    "患者隐私受法律保护，未经同意不得泄露其病情和个人信息。",
    "医务人员不得违规转介患者到院外机构谋取利益。",
    "党委会研究决定，对相关责任人予以诫勉谈话并通报批评。",
    "各支部要结合实际，组织学习上级通报的典型案例，以案促改。",
    "节假日期间，严禁收受管理服务对象赠送的购物卡和土特产。",
    "整改完成后，由纪检监察室组织复查，确保问题真改实改。",
    "信息公开内容包括收费标准、药品价格和投诉处理流程。",
    "医院设立廉洁意见箱，每周由两名纪检干部共同开箱登记。",
];

const TITLES: &[&str] = &[
    "收受患者家属红包",
    "违规收受医药代表回扣",
    "过度检查增加患者负担",
    "违规转介患者",
    "泄露患者隐私",
    "插队加号收取好处费",
    "虚记医保费用",
    "违规接受企业宴请",
    "采购环节收受好处",
    "利用职务之便谋取私利",
];

const UNITS: &[&str] = &[
    "骨科",
    "心内科",
    "影像科",
    "康复科",
    "产科",
    "药剂科",
    "检验科",
    "采购中心",
    "信息科",
    "急诊科",
];
const CATEGORIES: &[&str] = &[
    "院务公开",
    "案件通报",
    "整改公示",
    "服务承诺",
    "收受红包礼品上交情况",
];

/// The kinds in the mix, with their share in thousandths.
const MIX: &[(&str, usize)] = &[
    ("policies", 100),
    ("cases", 450),
    ("disclosures", 300),
    ("modules", 20),
    ("quizzes", 20),
    ("pages", 100),
    ("channels", 2),
];

/// One generated item: its folder, file name, front matter lines and body.
pub struct Item {
    pub folder: &'static str,
    pub name: String,
    pub front: Vec<(String, String)>,
    pub body: String,
}

impl Item {
    pub fn id(&self) -> String {
        format!("{}/{}", self.folder, self.name)
    }
}

fn paragraph(rng: &mut Lcg, sentences: usize) -> String {
    (0..sentences)
        .map(|_| SENTENCES[rng.next(SENTENCES.len())])
        .collect()
}

fn date(rng: &mut Lcg) -> String {
    format!(
        "{}-{:02}-{:02}",
        2015 + rng.next(11),
        1 + rng.next(12),
        1 + rng.next(28)
    )
}

/// The items of a site of about `n` pages.
pub fn items(n: usize) -> Vec<Item> {
    let mut rng = Lcg(n as u64 ^ 0x9e37);
    let mut out: Vec<Item> = (1..=9).map(|i| principle(i, &mut rng)).collect();
    for (folder, share) in MIX {
        let count = (n * share / 1000).max(if *folder == "channels" { 3 } else { 1 });
        let count = if *folder == "channels" {
            count.min(12)
        } else {
            count
        };
        for i in 0..count {
            out.push(item(folder, i, &mut rng, &out));
        }
    }
    out
}

fn principle(i: usize, rng: &mut Lcg) -> Item {
    Item {
        folder: "principles",
        name: format!("{i:02}"),
        front: vec![
            ("title".into(), format!("第{i}条 廉洁从业准则")),
            ("number".into(), i.to_string()),
        ],
        body: format!(
            "## 条文释义\n\n{}\n\n## 典型表现\n\n{}\n",
            paragraph(rng, 6),
            paragraph(rng, 5)
        ),
    }
}

/// A body of a few headings and paragraphs, with links to earlier items.
fn body(rng: &mut Lcg, earlier: &[Item]) -> String {
    let mut text = String::new();
    for h in 0..(2 + rng.next(3)) {
        let sentences = 4 + rng.next(6);
        let _ = write!(
            text,
            "## 第{}部分\n\n{}\n\n",
            h + 1,
            paragraph(rng, sentences)
        );
        if !earlier.is_empty() && rng.next(2) == 0 {
            let target = &earlier[rng.next(earlier.len())];
            if target
                .front
                .iter()
                .all(|(k, _)| k != "audience" && k != "draft")
            {
                let _ = write!(text, "详见[相关内容](@/{}.md)。\n\n", target.id());
            }
        }
    }
    text
}

fn item(folder: &'static str, i: usize, rng: &mut Lcg, earlier: &[Item]) -> Item {
    let mut front = vec![(
        "title".to_owned(),
        format!("{}（{}）", TITLES[rng.next(TITLES.len())], i + 1),
    )];
    let principles = format!("[{}]", 1 + rng.next(9));
    match folder {
        "policies" => {
            front.push((
                "doc_no".into(),
                format!("青一医〔{}〕{}号", 2015 + rng.next(11), i + 1),
            ));
            front.push(("issued".into(), date(rng)));
        }
        "cases" => {
            front.push(("date".into(), date(rng)));
            front.push(("unit".into(), UNITS[rng.next(UNITS.len())].into()));
            front.push(("subject".into(), "王某".into()));
            front.push(("principles".into(), principles));
        }
        "disclosures" => {
            front.push((
                "category".into(),
                CATEGORIES[rng.next(CATEGORIES.len())].into(),
            ));
            front.push(("date".into(), date(rng)));
        }
        "modules" => {
            front.push(("order".into(), (i + 1).to_string()));
            front.push(("principles".into(), principles));
            front.push(("readings".into(), "[principles/08]".into()));
        }
        "channels" => {
            front.push(("kind".into(), "phone".into()));
            front.push(("value".into(), format!("0000-8123{:04}", i)));
            front.push(("verified".into(), "2026-11-01".into()));
        }
        "pages" if i.is_multiple_of(50) => front.push(("menu".into(), "true".into())),
        _ => {}
    }
    if rng.next(20) == 0 {
        front.push(("audience".into(), "staff".into()));
    } else if rng.next(33) == 0 {
        front.push(("draft".into(), "true".into()));
    }
    let body = if folder == "quizzes" {
        quiz_body(rng)
    } else {
        body(rng, earlier)
    };
    Item {
        folder,
        name: format!("item-{i:05}"),
        front,
        body,
    }
}

fn quiz_body(rng: &mut Lcg) -> String {
    let mut text = String::new();
    for q in 0..10 {
        let _ = write!(
            text,
            "## 【单选】第{}题：{}\nA. 应当拒收\nB. 可以收下\nC. 视金额而定\n答案：A\n解析：{}\n依据：@/principles/0{}.md\n\n",
            q + 1,
            SENTENCES[rng.next(SENTENCES.len())],
            SENTENCES[rng.next(SENTENCES.len())],
            1 + rng.next(9)
        );
    }
    text
}

const SITE_YAML: &str =
    "title: 清风医苑（测试）\nhospital: 青岚市第一人民医院\nbase_url: https://bench.example.cn/\n";

/// Writes a site of about `n` pages in our format under `root`.
pub fn write_qinglian(root: &Path, n: usize) {
    let content = root.join("content");
    write(&content.join("site.yaml"), SITE_YAML);
    for item in items(n) {
        let mut text = String::from("---\n");
        for (k, v) in &item.front {
            let _ = writeln!(text, "{k}: {v}");
        }
        text.push_str("---\n");
        text.push_str(&item.body);
        write(
            &content.join(item.folder).join(format!("{}.md", item.name)),
            &text,
        );
    }
}

/// Places a commission's channels hang, for [`write_channels`].
const PLACES: &[&str] = &[
    "门诊楼一楼大厅",
    "住院部一楼电梯厅",
    "行政楼三楼",
    "急诊科",
    "医技楼二楼",
];

/// Writes `count` more reporting channels into the site under `root` (a commission's tree, or
/// a large group of hospitals, has hundreds): every other one a telephone, the rest of every
/// kind in turn; a quarter hang at one of a few places, the rest everywhere.
pub fn write_channels(root: &Path, count: usize) {
    const KINDS: &[&str] = &[
        "phone", "sms", "email", "mail", "box", "web", "wechat", "visit",
    ];
    for i in 0..count {
        let kind = if i % 2 == 0 {
            "phone"
        } else {
            KINDS[i / 2 % KINDS.len()]
        };
        let value = match kind {
            "phone" | "sms" => format!("0000-8{:07}", i),
            "email" => format!("jubao{i}@example.cn"),
            "web" | "wechat" => format!("https://bench.example.cn/jubao/{i}/"),
            _ => format!("{}{}号", UNITS[i % UNITS.len()], i),
        };
        let mut text = format!(
            "---\ntitle: {}举报渠道（{}）\nkind: {kind}\nvalue: \"{value}\"\nhours: 工作日 8:00-17:30\nscope: 医务人员收受红包、回扣等违规行为\nverified: 2026-11-01\n",
            UNITS[i % UNITS.len()],
            i + 1
        );
        if i % 4 == 0 {
            let _ = writeln!(text, "location: {}", PLACES[i / 4 % PLACES.len()]);
        }
        text.push_str("---\n受理后由纪检监察部门登记、核实和反馈。\n");
        write(
            &root.join(format!("content/channels/more-{i:05}.md")),
            &text,
        );
    }
}

/// Writes `count` more study modules into the site under `root` (a hospital group's whole
/// curriculum), each with a reading.
pub fn write_modules(root: &Path, count: usize) {
    for i in 0..count {
        let text = format!(
            "---\ntitle: 廉洁从业专题学习（{}）\norder: {}\nminutes: 20\nprinciples: [{}]\nreadings: [principles/0{}]\n---\n{}\n",
            i + 1,
            1000 + i,
            1 + i % 9,
            1 + i % 9,
            SENTENCES[i % SENTENCES.len()]
        );
        write(&root.join(format!("content/modules/more-{i:05}.md")), &text);
    }
}

/// Writes the same content as a Hugo site under `root`, with minimal layouts that show the
/// same things a page of ours shows (title, menu, body, report link).
pub fn write_hugo(root: &Path, n: usize) {
    let base = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><header><a href=\"/\">{{ site.Title }}</a> <a href=\"/report/\">我要举报</a><nav><ul>{{ range site.Sections }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></nav></header><main>{{ block \"main\" . }}{{ end }}</main><footer>© 青岚市第一人民医院</footer></body></html>";
    let files = [
        (
            "hugo.toml",
            "baseURL = 'https://bench.example.cn/'\nlanguageCode = 'zh-CN'\ntitle = '清风医苑（测试）'\ndisableKinds = ['taxonomy', 'term', 'RSS']\n[markup.goldmark.renderer]\nunsafe = false\n",
        ),
        ("layouts/_default/baseof.html", base),
        (
            "layouts/_default/single.html",
            "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}",
        ),
        (
            "layouts/_default/list.html",
            "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages 50 }}<ul>{{ range $p.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"2006-01-02\" }}</li>{{ end }}</ul>{{ end }}",
        ),
        (
            "layouts/index.html",
            "{{ define \"main\" }}<h1>{{ site.Title }}</h1>{{ end }}",
        ),
    ];
    let front = |k: &str, v: &str| match k {
        "title" | "date" => Some(format!("{k}: \"{v}\"")),
        "draft" => Some(format!("draft: {v}")),
        _ => None,
    };
    let body = |b: &str| b.replace("](@/", "](/").replace(".md)", "/)");
    write_peer(root, n, &files, ("---", front), body);
}

/// Writes the same content as a Zola site under `root`, with templates that show what the
/// Hugo layouts show (title, menu, body, report link; lists paged by 50). Links stay `@/`
/// links, which Zola resolves and checks as we do.
pub fn write_zola(root: &Path, n: usize) {
    let menu = "{% set root = get_section(path=\"_index.md\", metadata_only=true) %}<nav><ul>{% for s in root.subsections %}<li><a href=\"{{ get_url(path=\"@/\" ~ s) }}\">{{ s }}</a></li>{% endfor %}</ul></nav>";
    let base = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{% block title %}}{{{{ config.title }}}}{{% endblock %}}</title></head><body><header><a href=\"/\">{{{{ config.title }}}}</a> <a href=\"/report/\">我要举报</a>{menu}</header><main>{{% block main %}}{{% endblock %}}</main><footer>© 青岚市第一人民医院</footer></body></html>"
    );
    let files = [
        (
            "config.toml",
            "base_url = 'https://bench.example.cn'\ntitle = '清风医苑（测试）'\ndefault_language = 'zh'\ncompile_sass = false\nbuild_search_index = false\ngenerate_feeds = false\n",
        ),
        ("templates/base.html", &base),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}{% block title %}{{ page.title }}{% endblock %}{% block main %}<article><h1>{{ page.title }}</h1>{{ page.content | safe }}</article>{% endblock %}",
        ),
        (
            "templates/section.html",
            "{% extends \"base.html\" %}{% block main %}<h1>{{ section.title }}</h1><ul>{% for p in paginator.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a> {% if p.date %}{{ p.date | date(format=\"%Y-%m-%d\") }}{% endif %}</li>{% endfor %}</ul>{% endblock %}",
        ),
        (
            "templates/index.html",
            "{% extends \"base.html\" %}{% block main %}<h1>{{ config.title }}</h1>{% endblock %}",
        ),
        ("content/_index.md", "+++\ntitle = '首页'\n+++\n"),
    ];
    for (folder, _) in MIX.iter().chain([&("principles", 0)]) {
        let index = format!("+++\ntitle = '{folder}'\nsort_by = 'title'\npaginate_by = 50\n+++\n");
        write(&root.join("content").join(folder).join("_index.md"), &index);
    }
    let front = |k: &str, v: &str| match k {
        "title" => Some(format!("title = \"{v}\"")),
        "date" | "draft" => Some(format!("{k} = {v}")),
        _ => None,
    };
    write_peer(root, n, &files, ("+++", front), str::to_owned);
}

/// Writes a peer generator's site: its own files, then each item with the front matter
/// lines `front` makes of it (between `fence` lines) and its body as `body` makes it.
fn write_peer(
    root: &Path,
    n: usize,
    files: &[(&str, &str)],
    (fence, front): (&str, impl Fn(&str, &str) -> Option<String>),
    body: impl Fn(&str) -> String,
) {
    for (path, text) in files {
        write(&root.join(path), text);
    }
    for item in items(n) {
        let mut text = format!("{fence}\n");
        for line in item.front.iter().filter_map(|(k, v)| front(k, v)) {
            let _ = writeln!(text, "{line}");
        }
        let _ = write!(text, "{fence}\n{}", body(&item.body));
        let path = root.join("content").join(item.folder);
        write(&path.join(format!("{}.md", item.name)), &text);
    }
}

/// The site written under `root`, prepared as `qinglian build --now 2026-11-23` prepares it
/// for a server (messages in English); `None` if it does not prepare.
pub fn prepare(root: &Path) -> Option<qinglian::pipeline::Prepared> {
    let args = qinglian::pipeline::SiteArgs {
        unit: None,
        units: Default::default(),
        root: root.to_path_buf(),
        drafts: false,
        now: Some("2026-11-23".into()),
        audience: qinglian::types::Audience::Public,
        base_url: None,
        strict: false,
        relative: false,
        lang: qinglian::messages::Lang::En,
    };
    qinglian::pipeline::prepare(&args).ok()?.0
}

/// The search index of a prepared site, made in process as a server build publishes it
/// (JSON data), file by file.
pub fn search_index(p: &qinglian::pipeline::Prepared) -> Vec<(String, Vec<u8>)> {
    use qinglian::{render, search};
    let docs = render::search::docs(&p.site, &p.renderer.strings);
    let (files, _) = search::build_collected(docs);
    let form = search::shard::Form::Data;
    files.into_iter().map(|(p, b)| form.publish(p, b)).collect()
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(path, text).expect("write file");
}

/// Writes a commission's tree under `root`: the commission's site of about `shared` pages
/// (its principles, policies, cases, modules, banks, reminders and pledges are shared) and
/// `units` units of `own` pages each (two channels, a tenth disclosures, the rest news).
pub fn write_tree(root: &Path, shared: usize, units: usize, own: usize) {
    write_qinglian(root, shared);
    let mut rng = Lcg(0x7ee5);
    for u in 0..units {
        let content = root.join(format!("units/u{u:03}/content"));
        let yaml = format!(
            "title: 第{u}单位\nhospital: 青岚市第{u}医院\nbase_url: https://bench.example.cn/units/u{u:03}/\n"
        );
        write(&content.join("site.yaml"), &yaml);
        for i in 0..own {
            let (folder, front) = match i {
                0 => (
                    "channels",
                    format!("kind: phone\nvalue: 0000-7{u:03}{i:04}\nverified: 2026-11-01"),
                ),
                1 => (
                    "channels",
                    format!("kind: email\nvalue: jj{u}@bench.example.cn"),
                ),
                i if i % 10 == 2 => {
                    let category = CATEGORIES[rng.next(CATEGORIES.len())];
                    (
                        "disclosures",
                        format!("category: {category}\ndate: {}", date(&mut rng)),
                    )
                }
                _ => ("news", format!("date: {}", date(&mut rng))),
            };
            let title = TITLES[rng.next(TITLES.len())];
            let text = format!(
                "---\ntitle: {title}（第{u}单位 {i}）\n{front}\n---\n{}\n",
                paragraph(&mut rng, 5)
            );
            write(&content.join(folder).join(format!("u{i:04}.md")), &text);
        }
    }
}
