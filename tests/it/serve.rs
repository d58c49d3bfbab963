//! `qinglian serve`: the real binary on a free port, asked over plain HTTP: pages under the
//! base path, refusals, the site's 404, rebuilds on save, and the served site byte for byte
//! what `build` writes after a scripted series of edits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Site;

/// A running `qinglian serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `host:port` as the server printed it.
    pub address: String,
    /// The lines it printed before its address.
    pub said: Vec<String>,
    /// The lines it prints from then on.
    lines: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(site: &Site) -> Server {
        Server::start_with(site, &[], None, &[])
    }

    /// `serve` with `extra` arguments, at most `fds` open files when given (unix), and `env`.
    // The child is killed and reaped in `Drop`.
    #[allow(clippy::zombie_processes)]
    pub fn start_with(
        site: &Site,
        extra: &[&str],
        fds: Option<u64>,
        env: &[(&str, String)],
    ) -> Server {
        let mut command = serve_command(fds);
        command
            .args([
                "serve",
                "--port",
                "0",
                "--now",
                "2026-11-23",
                "--lang",
                "en",
            ])
            .args(extra)
            .arg("--root")
            .arg(site.root())
            .env("NO_COLOR", "1")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start qinglian serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut said = Vec::new();
        loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("serve prints its address; it said {said:?}"));
            if let Some(rest) = line.strip_prefix("serving the site at http://") {
                let address = rest.split('/').next().unwrap().to_owned();
                said.push(line);
                return Server {
                    child,
                    address,
                    said,
                    lines: rx,
                };
            }
            said.push(line);
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.address.rsplit(':').next().unwrap().parse().unwrap()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The lines printed after the address, up to the first that contains `needle` (waiting
    /// up to ten seconds for it).
    pub fn lines_until(&self, needle: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut lines = Vec::new();
        loop {
            let line = self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("serve never said `{needle}`; it said {lines:?}"));
            let done = line.contains(needle);
            lines.push(line);
            if done {
                return lines;
            }
        }
    }

    /// Everything the server answers to `request`, sent as it is on a connection of its own
    /// (read until the server closes it, or for at most ten seconds).
    pub fn raw(&self, request: &[u8]) -> Vec<u8> {
        let mut s = TcpStream::connect(&self.address).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        // The server may answer and close before it has read everything: that is no failure.
        let _ = s.write_all(request);
        let mut all = Vec::new();
        let _ = s.read_to_end(&mut all);
        all
    }

    /// Status, headers and body of `GET path`.
    pub fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(&self.address).unwrap();
        let host = &self.address;
        write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&all[..split]).into_owned();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head, all[split + 4..].to_vec())
    }

    pub fn version(&self) -> u64 {
        String::from_utf8(self.get("/__qinglian/version").2)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    /// Runs `edit`, then waits until the server has rebuilt.
    pub fn after(&self, edit: impl FnOnce()) {
        self.after_step("the edit", edit);
    }

    fn after_step(&self, step: &str, edit: impl FnOnce()) {
        let before = self.version();
        edit();
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.version() == before {
            assert!(Instant::now() < deadline, "no rebuild after {step}");
            std::thread::sleep(Duration::from_millis(50));
        }
        // The search index follows the pages: wait until it is in too.
        while !String::from_utf8(self.get("/__qinglian/settled").2)
            .unwrap()
            .ends_with("true")
        {
            assert!(
                Instant::now() < deadline,
                "the rebuild after {step} never settled"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// `qinglian`, or when `fds` is given, `qinglian` run with at most that many open files
/// (through the shell's `ulimit`, which every unix system has).
fn serve_command(fds: Option<u64>) -> Command {
    let bin = env!("CARGO_BIN_EXE_qinglian");
    let Some(fds) = fds else {
        return Command::new(bin);
    };
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("ulimit -n {fds} && exec \"$0\" \"$@\""))
        .arg(bin);
    sh
}

fn subpath_site() -> Site {
    let site = Site::small();
    site.write(
        "content/site.yaml",
        "title: 测试站点\nhospital: 测试医院\nbase_url: https://example.test/sub/\n",
    );
    site
}

#[test]
fn serves_under_the_base_path_and_refuses_every_way_out() {
    let site = subpath_site();
    let server = Server::start(&site);
    let (status, head, body) = server.get("/sub/");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("text/html; charset=utf-8"));
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("<!--qinglian-serve--><script>") && html.contains("/__qinglian/events"));
    assert!(html.contains("href=\"/sub/static/qinglian.css\""));
    let (status, head, _) = server.get("/sub/static/qinglian.css");
    assert!(status == 200 && head.contains("text/css"), "{head}");
    let (status, head, _) = server.get("/");
    assert!(status == 302 && head.contains("Location: /sub/"), "{head}");
    let (status, head, _) = server.get("/sub/cases");
    assert!(
        status == 302 && head.contains("Location: /sub/cases/"),
        "{head}"
    );
    for bad in [
        "/sub/../etc/passwd",
        "/sub/%2e%2e/%2e%2e/etc/passwd",
        "/sub/cases%2f..%2f..",
        "/sub/a%00",
        "/sub/a\\..\\b",
    ] {
        assert_eq!(server.get(bad).0, 400, "{bad}");
    }
    let (status, _, body) = server.get("/sub/no-such-page/");
    assert_eq!(status, 404);
    assert!(
        String::from_utf8(body).unwrap().contains("<title>"),
        "the site's own 404 page"
    );
    assert!(!site.path("public").exists(), "serve never writes public/");
}

/// A picture with a Chinese name beside the Markdown is served at the address the page gives
/// it (percent-encoded, as browsers send it).
#[test]
fn pictures_with_chinese_names_are_served_where_the_page_points() {
    let site = subpath_site();
    site.write(
        "content/news/大会.md",
        "---\ntitle: 大会\ndate: 2026-03-01\n---\n![会场](<大会 现场.png>)\n",
    );
    site.write_bytes("content/news/大会 现场.png", b"\x89PNG\r\n\x1a\npicture");
    let server = Server::start(&site);
    let (status, _, body) = server.get(&encode("/sub/news/大会/"));
    assert_eq!(status, 200);
    let html = String::from_utf8(body).unwrap();
    let src = html
        .split("<img src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(src, encode("/sub/news/大会 现场.png").replace(' ', "%20"));
    let (status, head, body) = server.get(src);
    assert!(status == 200 && head.contains("image/png"), "{head}");
    assert_eq!(body, b"\x89PNG\r\n\x1a\npicture");
}

#[test]
fn a_save_rebuilds_and_a_mistake_shows_over_the_last_good_site() {
    let site = Site::small();
    let server = Server::start(&site);
    let (_, _, events) = server.get(&format!("/__qinglian/events?v={}", server.version() - 1));
    assert!(
        String::from_utf8(events).unwrap().contains("data: "),
        "an older page reloads at once"
    );
    server.after(|| {
        let text = site
            .read("content/cases/2024/red.md")
            .replace("案情。", "案情已更新。");
        site.write(
            "content/cases/2024/red.md",
            &text.replace("收受红包案", "收受红包案（更新）"),
        );
    });
    let page = String::from_utf8(server.get("/cases/2024/red/").2).unwrap();
    assert!(page.contains("案情已更新。"));
    let list = String::from_utf8(server.get("/cases/").2).unwrap();
    assert!(
        list.contains("收受红包案（更新）"),
        "the list shows the change"
    );

    server.after(|| site.write("content/cases/2024/red.md", "---\ntitle：坏\n---\n"));
    let page = String::from_utf8(server.get("/cases/2024/red/").2).unwrap();
    assert!(page.contains("案情已更新。"), "the last good page stays");
    assert!(
        page.contains("role=\"alertdialog\"") && page.contains("content/cases/2024/red.md:2:6")
    );

    server.after(|| {
        site.write(
            "content/cases/2024/red.md",
            "---\ntitle: 好\ndate: 2024-05-06\n---\n好了。\n",
        )
    });
    let page = String::from_utf8(server.get("/cases/2024/red/").2).unwrap();
    assert!(
        page.contains("好了。") && !page.contains("alertdialog"),
        "the overlay clears"
    );
}

/// A named edit of the scripted sequence.
type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);

/// Every file `build` writes is served with the same bytes (the reload script aside).
fn assert_same_as_build(site: &Site, server: &Server, step: &str) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = crate::common::run(&[
        "build",
        "--now",
        "2026-11-23",
        "--root",
        site.root().to_str().unwrap(),
        "--out",
        public.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{step}: {}", run.stderr);
    for (rel, built) in crate::common::snapshot(&public) {
        let rel = rel.to_str().unwrap().replace('\\', "/");
        if rel == ".qinglian-output" {
            continue;
        }
        let (status, _, served) = server.get(&format!("/{}", encode(&rel)));
        assert_eq!(status, 200, "{step}: {rel}");
        let served = qinglian::serve::inject::strip(&served);
        assert!(served == built, "{step}: {rel} differs from the build");
    }
}

fn encode(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn after_a_series_of_edits_the_served_site_is_what_build_writes() {
    let site = Site::small();
    let server = Server::start(&site);
    let case = "---\ntitle: 新案例\ndate: 2025-03-04\nprinciples: [8]\n---\n新案情。\n";
    let steps: Vec<Step> = vec![
        (
            "create a case",
            Box::new(|| site.write("content/cases/2025/new.md", case)),
        ),
        (
            "change it",
            Box::new(|| {
                site.write(
                    "content/cases/2025/new.md",
                    &case.replace("新案情", "改过的案情"),
                )
            }),
        ),
        (
            "rename it",
            Box::new(|| site.rename("content/cases/2025/new.md", "content/cases/2025/renamed.md")),
        ),
        (
            "delete it",
            Box::new(|| std::fs::remove_file(site.path("content/cases/2025/renamed.md")).unwrap()),
        ),
        (
            "renumber a principle",
            Box::new(|| {
                site.write(
                    "content/principles/09.md",
                    "---\ntitle: 第七条\nnumber: 7\n---\n正文\n",
                )
            }),
        ),
        (
            "add a newer policy",
            Box::new(|| {
                site.write(
                    "content/policies/newer.md",
                    "---\ntitle: 更新的办法\ndoc_no: 测〔2025〕3号\n---\n更新\n",
                )
            }),
        ),
        (
            "supersede a policy",
            Box::new(|| {
                site.write("content/policies/new.md", "---\ntitle: 新办法\ndoc_no: 测〔2024〕2号\nissued: 2024-01-02\nstatus: 已废止\nsuperseded_by: policies/newer\n---\n新文\n")
            }),
        ),
        (
            "add another case",
            Box::new(|| site.write("content/cases/2025/internal.md", case)),
        ),
        (
            "make it staff-only",
            Box::new(|| {
                let staff = case.replacen("---\n", "---\naudience: staff\n", 1);
                site.write("content/cases/2025/internal.md", &staff);
            }),
        ),
        (
            "make a page a draft",
            Box::new(|| {
                let t = site.read("content/pages/about.md");
                site.write(
                    "content/pages/about.md",
                    &t.replacen("---\n", "---\ndraft: true\n", 1),
                );
            }),
        ),
        (
            "add a disclosure in another category",
            Box::new(|| {
                site.write(
                    "content/disclosures/d2.md",
                    "---\ntitle: 院务公示\ncategory: 院务公开\ndate: 2025-02-01\n---\n",
                )
            }),
        ),
        (
            "move the first disclosure to that category",
            Box::new(|| {
                let t = site.read("content/disclosures/d1.md");
                site.write(
                    "content/disclosures/d1.md",
                    &t.replace("category: 整改公示", "category: 院务公开"),
                );
            }),
        ),
        (
            "add a channel with a poster location",
            Box::new(|| {
                site.write(
                    "content/channels/box.md",
                    "---\ntitle: 意见箱\nkind: box\nvalue: 门诊大厅\nlocation: A楼\nverified: 2026-11-01\n---\n",
                )
            }),
        ),
        (
            "move the hotline onto that poster",
            Box::new(|| {
                let t = site.read("content/channels/hotline.md");
                site.write(
                    "content/channels/hotline.md",
                    &t.replacen("---\n", "---\nlocation: A楼\n", 1),
                );
            }),
        ),
        (
            "change a template",
            Box::new(|| {
                site.write("themes/default/templates/404.html", "{% extends \"base.html\" %}{% block content %}<h1>找不到这一页（改过的模板）</h1>{% endblock content %}")
            }),
        ),
        (
            "change an interface string",
            Box::new(|| {
                let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
                let yaml = std::fs::read_to_string(manifest.join("themes/default/i18n/zh-CN.yaml"))
                    .unwrap();
                let changed = yaml.replace("report_entry: 我要举报", "report_entry: 我要反映问题");
                assert_ne!(yaml, changed, "the string to change is there");
                site.write("themes/default/i18n/zh-CN.yaml", &changed);
            }),
        ),
        (
            "add news that cite a principle and link a case",
            Box::new(|| {
                site.write(
                    "content/news/2026/meeting.md",
                    "---\ntitle: 警示教育大会\ndate: 2026-03-01\nprinciples: [8]\n---\n通报了[红包案](@/cases/2024/red.md)。\n",
                )
            }),
        ),
        (
            "add a reminder current today",
            Box::new(|| {
                site.write(
                    "content/reminders/r.md",
                    "---\ntitle: 节日提醒\nfrom: 2026-11-20\nuntil: 2026-11-30\n---\n不收礼。\n",
                )
            }),
        ),
        (
            "end it yesterday",
            Box::new(|| {
                site.write(
                    "content/reminders/r.md",
                    "---\ntitle: 节日提醒\nfrom: 2026-11-20\nuntil: 2026-11-22\n---\n不收礼。\n",
                )
            }),
        ),
        (
            "add a post's risks, then move it to another department",
            Box::new(|| {
                let risk = "---\ntitle: 采购\ndepartment: 采购中心\nrisks:\n  - {risk: 回扣, level: 高, controls: [集采], principles: [8]}\n---\n";
                site.write("content/risks/buy.md", risk);
                site.write("content/risks/buy.md", &risk.replace("采购中心", "设备科"));
            }),
        ),
        (
            "add a folder with a case in it",
            Box::new(|| site.write("content/cases/old/a.md", case)),
        ),
        (
            "rename the folder",
            Box::new(|| site.rename("content/cases/old", "content/cases/older")),
        ),
        (
            "leave an editor's backup beside a case, then remove the folder",
            Box::new(|| {
                site.write("content/cases/older/a.md~", case);
                std::fs::remove_dir_all(site.path("content/cases/older")).unwrap();
            }),
        ),
        (
            "remove the news",
            Box::new(|| std::fs::remove_file(site.path("content/news/2026/meeting.md")).unwrap()),
        ),
        (
            "add an attachment",
            Box::new(|| {
                site.write_bytes("content/cases/2024/file.pdf", b"%PDF-1.4 test");
                site.write(
                    "content/pages/faq.md",
                    "---\ntitle: 问答\n---\n见[附件](@/cases/2024/file.pdf)。\n",
                );
            }),
        ),
        (
            "remove it",
            Box::new(|| {
                std::fs::remove_file(site.path("content/cases/2024/file.pdf")).unwrap();
                std::fs::remove_file(site.path("content/pages/faq.md")).unwrap();
            }),
        ),
    ];
    for (step, edit) in &steps {
        server.after_step(step, edit);
        assert_same_as_build(&site, &server, step);
    }
    assert_same_as_build(&site, &server, "after every step");
    let home = String::from_utf8(server.get("/").2).unwrap();
    assert!(
        home.contains("我要反映问题"),
        "the changed string is served"
    );
    assert_eq!(
        server.get("/cases/2025/renamed/").0,
        404,
        "a deleted case is gone"
    );
    for gone in ["/cases/old/a/", "/cases/older/a/"] {
        assert_eq!(server.get(gone).0, 404, "{gone}: its folder is gone");
    }
    assert_eq!(
        server.get("/cases/2024/file.pdf").0,
        404,
        "a removed attachment is gone"
    );
}

/// Polls `script` in the page until it returns true, for up to ten seconds (a page that
/// reloads meanwhile is asked again).
pub fn wait_true(b: &crate::webdriver::Browser, what: &str, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while b.eval_polling(script) != Some(serde_json::Value::Bool(true)) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_open_page_reloads_on_save_and_shows_mistakes_until_they_are_fixed() {
    let Some(b) = crate::webdriver::Browser::start(1024, 800) else {
        return;
    };
    let site = Site::small();
    let server = Server::start(&site);
    b.goto(&format!("http://{}/cases/2024/red/", server.address));
    b.eval("window.__before = 1; return true;");
    server.after(|| site.write("content/cases/2024/red.md", "---\ntitle：坏\n---\n"));
    wait_true(
        &b,
        "the overlay",
        "return !window.__before && !!document.getElementById('qinglian-overlay');",
    );
    let overlay = b.eval("var o = document.getElementById('qinglian-overlay'); return [o.getAttribute('role'), o.textContent.indexOf('content/cases/2024/red.md:2:6') >= 0, document.activeElement.id];");
    assert_eq!(
        overlay,
        serde_json::json!(["alertdialog", true, "qinglian-overlay-close"])
    );
    b.press("\u{E00C}"); // Escape
    assert_eq!(
        b.eval("return !!document.getElementById('qinglian-overlay');"),
        false,
        "Escape dismisses it"
    );
    b.eval("window.__before = 1; return true;");
    server.after(|| {
        site.write(
            "content/cases/2024/red.md",
            "---\ntitle: 好\ndate: 2024-05-06\n---\n改好了。\n",
        )
    });
    wait_true(
        &b,
        "the fixed page",
        "return !window.__before && document.body.textContent.indexOf('改好了。') >= 0;",
    );
    assert_eq!(
        b.eval("return !!document.getElementById('qinglian-overlay');"),
        false
    );
}
