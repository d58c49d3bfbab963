//! The site every sequence starts from: each kind, section introductions, attachments, and
//! references between them (citations, replacements, readings, 依据, body links, a cover).

use std::collections::BTreeMap;

use super::model::{CATEGORIES, Doc, Model, Para, Point, SiteYaml, V};
use crate::common::Lcg;

pub fn s(x: &str) -> V {
    V::S(x.into())
}

pub fn q(x: &str) -> V {
    V::Q(x.into())
}

pub fn id(x: &str) -> V {
    V::Id(x.into())
}

pub fn text(x: &str) -> Para {
    Para::Text(x.into())
}

pub fn link(text: &str, target: &str) -> Para {
    Para::Link(text.into(), target.into())
}

pub fn question(stem: &str, basis: Option<&str>) -> Para {
    Para::Question {
        stem: stem.into(),
        basis: basis.map(str::to_owned),
    }
}

pub fn point(risk: &str, level: &'static str, principles: &[&str], policies: &[&str]) -> Point {
    Point {
        risk: risk.into(),
        level,
        principles: principles.iter().map(|x| x.to_string()).collect(),
        policies: policies.iter().map(|x| x.to_string()).collect(),
    }
}

/// A PNG header and some bytes: enough for a picture the build copies.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\npicture";

/// A document from `key: value` lines (references and lists typed by their key) and a body.
pub fn doc(front: &str, body: Vec<Para>) -> Doc {
    let typed = |key: &str, v: &str| {
        let list = || {
            let inner = v.trim_start_matches('[').trim_end_matches(']');
            inner
                .split(", ")
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        };
        match key {
            "superseded_by" | "quiz" | "cover" | "qr_image" => V::Id(v.into()),
            "readings" => V::Ids(list()),
            "principles" | "roles" => V::L(list()),
            _ => V::S(v.into()),
        }
    };
    let front = (front.lines())
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_owned(), typed(k, v)))
        .collect();
    Doc { front, body }
}

type Docs = BTreeMap<String, Doc>;

fn put(docs: &mut Docs, path: &str, front: &str, body: Vec<Para>) {
    docs.insert(path.into(), doc(front, body));
}

/// The fixture site; `rng` picks its base path.
pub fn site(rng: &mut Lcg) -> Model {
    let mut docs = Docs::new();
    intros(&mut docs);
    principles_and_policies(&mut docs);
    cases_and_channels(&mut docs);
    disclosures_and_study(&mut docs);
    pages_news_and_risks(&mut docs);
    reminders_and_pledges(&mut docs);
    let mut assets = BTreeMap::new();
    assets.insert("news/2026/会场.png".to_owned(), PNG.to_vec());
    assets.insert("cases/2024/file.pdf".to_owned(), b"%PDF-1.4 test".to_vec());
    let base_url = match rng.next(3) {
        0 => "https://example.test/sub/",
        _ => "https://example.test/",
    };
    Model {
        docs,
        assets,
        site: SiteYaml {
            title: "测试站点".into(),
            hospital: "测试医院".into(),
            base_url: base_url.into(),
            description: None,
            footer: Some(("纪检监察室　地址：清河路 88 号".into(), None)),
            nav: None,
            more: BTreeMap::new(),
        },
        broken: None,
        theme: BTreeMap::new(),
        moved: Vec::new(),
        serial: 0,
    }
}

fn intros(docs: &mut Docs) {
    for (path, title) in [
        ("_index.md", "首页"),
        ("principles/_index.md", "九项准则"),
        ("cases/_index.md", "警示案例"),
        ("policies/_index.md", "制度文件"),
        ("news/_index.md", "工作动态"),
        ("risks/_index.md", "廉洁风险点"),
    ] {
        docs.insert(
            path.into(),
            doc(&format!("title: {title}"), vec![text("栏目介绍。")]),
        );
    }
}

fn principles_and_policies(docs: &mut Docs) {
    let p1 = "title: 合法按劳取酬，不接受商业提成\nnumber: 1";
    put(docs, "principles/01.md", p1, vec![text("释义一。")]);
    let p8 = "title: 共建和谐关系，不收受患方“红包”\nnumber: 8\nsummary: 不收红包。";
    let body = vec![text("释义八。"), link("案例", "cases/2024/red")];
    put(docs, "principles/08.md", p8, body);
    let p9 = "title: 恪守交往底线，不收受企业回扣\nnumber: 9";
    put(docs, "principles/09.md", p9, vec![text("释义九。")]);
    let old = "title: 旧办法\ndoc_no: 测〔2019〕1号\nissued: 2019-03-01\nstatus: 已废止\nsuperseded_by: policies/new";
    put(docs, "policies/old.md", old, vec![text("旧文。")]);
    let new = "title: 新办法\ndoc_no: 测〔2024〕2号\nissued: 2024-01-02\neffective: 2024-02-01";
    put(docs, "policies/new.md", new, vec![text("新文。")]);
    let gift = "title: 礼品上交办法\ndoc_no: 测〔2025〕3号\nissued: 2025-06-01";
    let body = vec![text("上交。"), link("新办法", "policies/new")];
    put(docs, "policies/gift.md", gift, body);
}

fn cases_and_channels(docs: &mut Docs) {
    let red = "title: 收受红包案\ndate: 2024-05-06\nsubject: 王某\nprinciples: [8]\namount: 5000\norigin: 本院";
    let body = vec![text("案情。"), link("附件", "cases/2024/file.pdf")];
    let mut red = doc(red, body);
    let sanctions = "  - {kind: 党纪处分, level: 警告, authority: 院纪委, date: 2024-05-06}\n";
    red.set("sanctions", V::Raw(sanctions.into()));
    docs.insert("cases/2024/red.md".into(), red);
    let kick = "title: 回扣案\ndate: 2023-09-10\nprinciples: [9, 1]\norigin: 上级通报";
    let body = vec![text("回扣。"), link("第九条", "principles/09")];
    put(docs, "cases/2023/kick.md", kick, body);
    let queue = "title: 插号案\ndate: 2025-02-03\nunit: 门诊部";
    put(docs, "cases/2025/queue.md", queue, vec![text("插号。")]);
    for (name, front) in [
        (
            "hotline",
            "title: 举报电话\nkind: phone\nvalue: 0000-81234567\nanonymous: true\nverified: 2026-11-01\nlocation: 门诊楼",
        ),
        (
            "box",
            "title: 意见箱\nkind: box\nvalue: 门诊大厅\nlocation: 门诊楼\nvalid_until: 2027-12-31\nverified: 2026-10-01",
        ),
        (
            "email",
            "title: 举报邮箱\nkind: email\nvalue: jiwei@example.cn\nvalid_from: 2024-01-01\nvalid_until: 2026-12-31\nverified: 2026-11-01",
        ),
        (
            "visit",
            "title: 来访接待\nkind: visit\nvalue: 行政楼三楼\nhours: 工作日\nlocation: 住院部\nposter: false\nverified: 2026-11-01",
        ),
    ] {
        put(
            docs,
            &format!("channels/{name}.md"),
            front,
            vec![text("渠道说明。")],
        );
    }
}

fn disclosures_and_study(docs: &mut Docs) {
    let mut d1 = doc(
        "title: 整改公示\ncategory: 整改公示\ndate: 2025-01-01",
        vec![],
    );
    let items = "  - {problem: 问题一, status: 已完成}\n  - {problem: 问题二, status: open}\n";
    d1.set("items", V::Raw(items.into()));
    docs.insert("disclosures/d1.md".into(), d1);
    let d2 = "title: 院务公示\ncategory: 院务公开\ndate: 2026-03-01\ndoc_no: 测〔2026〕1号";
    put(docs, "disclosures/d2.md", d2, vec![text("公开。")]);
    let d3 = "title: 药品采购公示\ncategory: 药品采购\ndate: 2024-07-01\nvalid_until: 2025-01-01";
    put(docs, "disclosures/d3.md", d3, vec![text("采购。")]);
    let m1 = "title: 模块一\norder: 1\nminutes: 30\nprinciples: [8]\nreadings: [principles/08, cases/2024/red]\nquiz: quizzes/bank1\npass: 80";
    put(docs, "modules/m1.md", m1, vec![text("学习。")]);
    let m2 =
        "title: 模块二\norder: 2\nreadings: [policies/new, pledges/staff]\nquiz: quizzes/bank2";
    put(docs, "modules/m2.md", m2, vec![text("学习二。")]);
    let bank1 = vec![
        question("患者塞红包", Some("principles/08")),
        question("红包案的教训", Some("cases/2024/red")),
        question("新办法的规定", Some("policies/new")),
        question("没有依据的题", None),
    ];
    put(docs, "quizzes/bank1.md", "title: 自测一\npass: 80", bank1);
    let bank2 = vec![
        question("企业回扣", Some("cases/2023/kick")),
        question("商业提成", Some("principles/01")),
    ];
    put(docs, "quizzes/bank2.md", "title: 自测二", bank2);
}

fn pages_news_and_risks(docs: &mut Docs) {
    let body = vec![text("本站简介。"), link("第八条", "principles/08")];
    put(
        docs,
        "pages/about.md",
        "title: 关于本站\nmenu: true\nweight: 1",
        body,
    );
    let body = vec![link("公开", "disclosures/_index")];
    put(
        docs,
        "pages/faq.md",
        "title: 常见问题\nmenu: true\nweight: 2",
        body,
    );
    put(
        docs,
        "pages/contact.md",
        "title: 联系我们",
        vec![link("举报", "report/")],
    );
    let meeting = "title: 警示教育大会\ndate: 2026-03-01\ncover: news/2026/会场.png\ncover_alt: 会场\nprinciples: [8]";
    let body = vec![text("通报。"), link("红包案", "cases/2024/red")];
    put(docs, "news/2026/meeting.md", meeting, body);
    let start = "title: 廉洁文化月启动\ndate: 2025-06-03\nprinciples: [1]";
    put(docs, "news/2025/start.md", start, vec![text("启动。")]);
    for (name, front, point) in [
        (
            "buy",
            "title: 采购\ndepartment: 采购中心\npost: 采购员",
            point("回扣", "高", &["9"], &["policies/new"]),
        ),
        (
            "clinic",
            "title: 门诊\ndepartment: 医务部",
            point("过度检查", "中", &["1"], &[]),
        ),
    ] {
        let mut risk = doc(front, vec![text("风险说明。")]);
        risk.set("risks", V::Risks(vec![point]));
        docs.insert(format!("risks/{name}.md"), risk);
    }
}

fn reminders_and_pledges(docs: &mut Docs) {
    for (name, front) in [
        (
            "now",
            "title: 节日提醒\nfrom: 2026-11-20\nuntil: 2026-11-30",
        ),
        (
            "soon",
            "title: 元旦提醒\nfrom: 2026-12-25\nuntil: 2027-01-03",
        ),
        (
            "past",
            "title: 春节提醒\nfrom: 2026-01-20\nuntil: 2026-02-05",
        ),
    ] {
        put(
            docs,
            &format!("reminders/{name}.md"),
            front,
            vec![text("不收礼。")],
        );
    }
    let staff = "title: 医务人员承诺书\nroles: [全体医务人员]";
    put(docs, "pledges/staff.md", staff, vec![text("本人承诺。")]);
    let buy = "title: 采购岗位承诺书\nroles: [采购人员]\nrecipient: 纪检监察室";
    put(docs, "pledges/buy.md", buy, vec![text("不收回扣。")]);
    let doctor = "title: 退回红包的医生\ndate: 2025-04-16\nwho: 陈某\ndepartment: 普外科\ndeed: 上交红包\nprinciples: [8]";
    put(
        docs,
        "exemplars/2025/doctor.md",
        doctor,
        vec![text("事迹。")],
    );
    let team = "title: 采购组\ndate: 2026-08-28\nwho: 采购组\nteam: true\ndepartment: 采购中心\ndeed: 报告返点暗示";
    put(docs, "exemplars/2026/team.md", team, vec![text("事迹。")]);
}

/// A new item of the kind in `folder`, with a name no file has had, referring to what is
/// published; `None` when the kind has no room (all nine principles are there).
pub fn new_item(m: &mut Model, rng: &mut Lcg, folder: &str) -> Option<(String, Doc)> {
    let name = m.fresh_name("n");
    let year = 2022 + rng.next(6);
    let front = new_front(m, rng, folder, year)?;
    let any = m.targets(None);
    let mut body = vec![text("新内容。")];
    if let Some(t) = any.get(rng.next(any.len())).filter(|_| rng.next(2) == 0) {
        body.push(link("相关", t));
    }
    if folder == "quizzes" {
        let basis = any.get(rng.next(any.len())).map(String::as_str);
        body = vec![
            question(&format!("{name}题一"), basis),
            question(&format!("{name}题二"), None),
        ];
    }
    let mut d = doc(&format!("title: 新{name}\n{front}"), body);
    if folder == "risks" {
        let numbers = m.numbers();
        let cited: Vec<&str> = numbers.iter().take(1).map(String::as_str).collect();
        d.set("risks", V::Risks(vec![point("新风险", "中", &cited, &[])]));
    }
    let path = match folder {
        "cases" | "news" | "exemplars" => format!("{folder}/{year}/{name}.md"),
        _ => format!("{folder}/{name}.md"),
    };
    Some((path, d))
}

/// The front matter of a new item of `folder` dated in `year`, its title aside.
fn new_front(m: &Model, rng: &mut Lcg, folder: &str, year: usize) -> Option<String> {
    let date = format!("{year}-0{}-1{}", 1 + rng.next(9), rng.next(9));
    let cited = (m.numbers().into_iter().take(rng.next(3))).collect::<Vec<_>>();
    let cited = cited.join(", ");
    let serial = m.serial;
    let one_of = |rng: &mut Lcg, xs: &[&str]| xs[rng.next(xs.len())].to_owned();
    let pick = |rng: &mut Lcg, xs: Vec<String>| xs.get(rng.next(xs.len())).cloned();
    Some(match folder {
        "principles" => {
            let used: Vec<&str> = m.docs.values().filter_map(|d| d.scalar("number")).collect();
            let free = (1..=9)
                .map(|i| i.to_string())
                .find(|i| !used.contains(&i.as_str()))?;
            format!("number: {free}")
        }
        "policies" => format!("doc_no: 测〔{year}〕{serial}号\nissued: {date}"),
        "cases" => format!("date: {date}\nprinciples: [{cited}]\norigin: 本院"),
        "channels" => {
            let location = one_of(rng, &["门诊楼", "新楼"]);
            format!(
                "kind: phone\nvalue: 0000-8{serial:07}\nverified: 2026-11-01\nlocation: {location}"
            )
        }
        "disclosures" => format!("category: {}\ndate: {date}", one_of(rng, CATEGORIES)),
        "modules" => {
            let reading = pick(rng, m.targets(None)).unwrap_or_default();
            let quiz = pick(rng, m.targets(Some("quizzes"))).map(|b| format!("\nquiz: {b}"));
            let order = 3 + rng.next(5);
            format!(
                "order: {order}\nreadings: [{reading}]{}",
                quiz.unwrap_or_default()
            )
        }
        "pages" => format!("menu: {}", one_of(rng, &["true", "false"])),
        "news" => format!("date: {date}\nprinciples: [{cited}]"),
        "risks" => "department: 新科室".into(),
        "reminders" => format!(
            "from: 2026-11-01\nuntil: {}",
            one_of(rng, &["2026-11-25", "2026-11-22"])
        ),
        "pledges" => "roles: [新岗位]".into(),
        "exemplars" => format!(
            "date: {date}\nwho: 新人\ndepartment: {}\ndeed: 拒收礼品\nprinciples: [{cited}]",
            one_of(rng, &["心内科", "采购中心"])
        ),
        _ => String::new(),
    })
}
