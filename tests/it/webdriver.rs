//! A minimal WebDriver client over plain HTTP to a local chromedriver driving headless
//! Chromium (Debian's `chromium` and `chromium-driver`); no async runtime needed.
#![allow(dead_code)] // helpers used by some tests only

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A running chromedriver with one browser session; both end on drop.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

/// A found element, by its WebDriver reference.
#[derive(Clone)]
pub struct Element(String);

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// The narrowest window headless Chromium opens.
const MIN_WINDOW_WIDTH: u32 = 500;

impl Browser {
    /// Starts headless Chromium at `width`×`height`; `None` (after saying why) when no browser is
    /// installed, unless `CI=true`, where a missing browser fails the test.
    pub fn start(width: u32, height: u32) -> Option<Browser> {
        let driver = find_program(&["chromedriver"]);
        let chrome = find_program(&["chromium", "chromium-browser", "google-chrome"]);
        let (Some(driver), Some(chrome)) = (driver, chrome) else {
            let why = "browser test skipped: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)";
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{why}; CI=true requires them"
            );
            eprintln!("{why}");
            return None;
        };
        let browser = Browser::launch(&driver, &chrome, width, height);
        // A headless window is at least 500 px wide: a phone's width is emulated, or a test
        // "at 360 px" would look at 500.
        if width < MIN_WINDOW_WIDTH {
            browser.emulate_phone(width, height);
        }
        Some(browser)
    }

    fn launch(driver: &Path, chrome: &Path, width: u32, height: u32) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Browser {
            driver: child,
            port,
            session: String::new(),
            _profile: profile,
        };
        browser.wait_ready();
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--allow-file-access-from-files".into(),
            format!("--user-data-dir={}", browser._profile.path().display()),
            format!("--window-size={width},{height}"),
        ];
        let prefs = json!({
            "download.default_directory": browser.downloads(),
            "download.prompt_for_download": false,
        });
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chrome, "args": args, "prefs": prefs}
        }}});
        let v = browser.http("POST", "/session", Some(&caps));
        browser.session = v["sessionId"].as_str().expect("session id").to_owned();
        browser
    }

    /// The folder downloads land in, without asking.
    pub fn downloads(&self) -> PathBuf {
        self._profile.path().join("downloads")
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("chromedriver did not start");
    }

    /// One HTTP/1.1 exchange on its own connection; returns the `value` member.
    fn http(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        self.try_http(method, path, body)
            .unwrap_or_else(|e| panic!("webdriver {method} {path}: {e}"))
    }

    /// Like [`Browser::http`], with the error WebDriver answered (`"error" "message"`).
    fn try_http(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut stream =
            TcpStream::connect(("127.0.0.1", self.port)).expect("connect chromedriver");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let (head, body) = read_reply(&mut stream);
        let chunked = head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        let json = if chunked { dechunk(&body) } else { body };
        let v: Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("bad reply {e}: {head} {json}"));
        if let Some(err) = v["value"].get("error") {
            return Err(format!("{err} {}", v["value"]["message"]));
        }
        Ok(v.get("value").cloned().unwrap_or(v))
    }

    fn cmd(&self, method: &str, rel: &str, body: Option<Value>) -> Value {
        self.try_cmd(method, rel, body)
            .unwrap_or_else(|e| panic!("webdriver {method} {rel}: {e}"))
    }

    fn try_cmd(&self, method: &str, rel: &str, body: Option<Value>) -> Result<Value, String> {
        let path = format!("/session/{}{rel}", self.session);
        self.try_http(method, &path, body.as_ref())
    }

    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    /// Opens a new tab and returns its handle (the current tab stays current).
    pub fn new_tab(&self) -> String {
        let v = self.cmd("POST", "/window/new", Some(json!({"type": "tab"})));
        v["handle"].as_str().expect("a window handle").to_owned()
    }

    pub fn switch_to(&self, handle: &str) {
        self.cmd("POST", "/window", Some(json!({ "handle": handle })));
    }

    /// How long `goto` waits for a page to load before it fails.
    pub fn set_page_load_timeout(&self, ms: u64) {
        self.cmd("POST", "/timeouts", Some(json!({ "pageLoad": ms })));
    }

    pub fn find(&self, css: &str) -> Element {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        Element(
            v[ELEMENT_KEY]
                .as_str()
                .unwrap_or_else(|| panic!("no element {css}: {v}"))
                .to_owned(),
        )
    }

    pub fn click(&self, e: &Element) {
        self.cmd("POST", &format!("/element/{}/click", e.0), Some(json!({})));
    }

    /// Types into an element; `\u{E007}` is Enter.
    pub fn send_keys(&self, e: &Element, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({ "text": text })),
        );
    }

    /// Presses one key on the page (e.g. `\u{E004}` for Tab).
    pub fn press(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
        ]}]});
        self.cmd("POST", "/actions", Some(actions));
    }

    pub fn attr(&self, e: &Element, name: &str) -> Option<String> {
        self.cmd("GET", &format!("/element/{}/attribute/{name}", e.0), None)
            .as_str()
            .map(str::to_owned)
    }

    pub fn displayed(&self, e: &Element) -> bool {
        self.cmd("GET", &format!("/element/{}/displayed", e.0), None)
            .as_bool()
            .unwrap_or(false)
    }

    /// Like [`Browser::eval`], for a caller that polls: `None` when the page navigated away
    /// while the script ran (the caller asks again of the new page).
    pub fn eval_polling(&self, script: &str) -> Option<Value> {
        let body = json!({"script": script, "args": []});
        match self.try_cmd("POST", "/execute/sync", Some(body)) {
            Ok(v) => Some(v),
            Err(e) if e.contains("aborted by navigation") => None,
            Err(e) => panic!("webdriver POST /execute/sync: {e}"),
        }
    }

    /// Runs `script` (a function body) in the page and returns its result.
    pub fn eval(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Emulates a CSS media type (`"print"`, or `""` to stop) through the Chrome DevTools
    /// protocol, so computed styles and `innerText` show the page as it would print.
    pub fn emulate_media(&self, media: &str) {
        let params = json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": media}});
        self.cmd("POST", "/goog/cdp/execute", Some(params));
    }

    /// Makes the page a `width`×`height` phone screen (a headless window is at least 500 px
    /// wide): the layout viewport, the screen and `window.innerWidth` all take that size.
    pub fn emulate_phone(&self, width: u32, height: u32) {
        let metrics = json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": true,
            "screenWidth": width, "screenHeight": height});
        let params = json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": metrics});
        self.cmd("POST", "/goog/cdp/execute", Some(params));
    }

    /// Prints the page to an A4 PDF, as a person pressing Print would, and returns its bytes.
    pub fn print_pdf(&self) -> Vec<u8> {
        let params = json!({"page": {"width": 21.0, "height": 29.7}, "background": true, "shrinkToFit": false});
        let v = self.cmd("POST", "/print", Some(params));
        base64_decode::decode(v.as_str().unwrap_or(""))
    }

    /// A screenshot of the whole page, not only the window (through the DevTools protocol).
    pub fn screenshot_full(&self, path: &Path) {
        let size =
            self.eval("var d = document.documentElement; return [d.scrollWidth, d.scrollHeight];");
        let (w, h) = (
            size[0].as_f64().unwrap_or(1.0),
            size[1].as_f64().unwrap_or(1.0),
        );
        let clip = json!({"x": 0, "y": 0, "width": w, "height": h, "scale": 1});
        let params = json!({"cmd": "Page.captureScreenshot", "params": {"format": "png", "captureBeyondViewport": true, "clip": clip}});
        let v = self.cmd("POST", "/goog/cdp/execute", Some(params));
        std::fs::write(
            path,
            base64_decode::decode(v["data"].as_str().unwrap_or("")),
        )
        .unwrap();
    }

    pub fn screenshot(&self, path: &Path) {
        use base64_decode::decode;
        let v = self.cmd("GET", "/screenshot", None);
        std::fs::write(path, decode(v.as_str().unwrap_or(""))).unwrap();
    }
}

/// Reads the status line and headers, then the body by `Content-Length` (chromedriver keeps
/// connections open, so reading to the end would wait forever), or to the end if chunked.
fn read_reply(stream: &mut TcpStream) -> (String, String) {
    use std::io::BufRead;
    let mut reader = std::io::BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let length = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())?
    });
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body).unwrap();
        }
        None => {
            reader.read_to_end(&mut body).unwrap();
        }
    }
    (head, String::from_utf8_lossy(&body).into_owned())
}

/// Decodes an HTTP chunked body.
fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.http("DELETE", &path, None)
            }));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The number of pages in a PDF: its `/Type /Page` objects.
pub fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's')
        .count()
}

/// Standard base64, enough for screenshots and PDFs.
mod base64_decode {
    pub fn decode(text: &str) -> Vec<u8> {
        let value = |c: u8| match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        };
        let digits: Vec<u8> = text.bytes().filter_map(value).collect();
        let mut out = Vec::with_capacity(digits.len() * 3 / 4);
        for chunk in digits.chunks(4) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, d)| acc | (u32::from(*d) << (18 - 6 * i)));
            out.extend(n.to_be_bytes()[1..chunk.len()].iter());
        }
        out
    }
}
