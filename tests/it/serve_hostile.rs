//! `qinglian serve` under attack: requests for another host (DNS rebinding) and from other
//! sites, heads without end, idle and half-sent connections by the thousand, requests that
//! could be read two ways, attachments swapped for links out of `content/`, many open tabs,
//! and what `--bind` and `--open` say and do.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common::Site;
use crate::serve::{Server, wait_true};

/// Status, head (as sent) and body of the first reply in `reply`.
fn split(reply: &[u8]) -> (u16, String, Vec<u8>) {
    let Some(end) = reply.windows(4).position(|w| w == b"\r\n\r\n") else {
        panic!("no reply head in {:?}", String::from_utf8_lossy(reply));
    };
    let head = String::from_utf8_lossy(&reply[..end]).into_owned();
    let status = head.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
    (status, head, reply[end + 4..].to_vec())
}

/// The first reply to `request` (`{host}` stands for the server's own address).
fn ask(server: &Server, request: &str) -> (u16, String, Vec<u8>) {
    let request = request.replace("{host}", &server.address);
    split(&server.raw(request.as_bytes()))
}

/// `GET path` for `host`, with `extra` header lines (each ending in `\r\n`).
fn get_as(server: &Server, path: &str, host: &str, extra: &str) -> (u16, String, Vec<u8>) {
    ask(
        server,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"),
    )
}

const PATHS: [&str; 5] = [
    "/cases/2024/red/",
    "/no-such-page/",
    "/static/qinglian.css",
    "/__qinglian/version",
    "/__qinglian/events?v=0",
];

#[test]
fn only_requests_for_the_address_served_are_answered() {
    let site = Site::small();
    let server = Server::start(&site);
    let port = server.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
    ] {
        let (status, _, body) = get_as(&server, "/cases/2024/red/", &host, "");
        assert_eq!(status, 200, "{host}");
        assert!(String::from_utf8_lossy(&body).contains("收受红包案"));
    }
    let foreign = [
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("127.0.0.2:{port}"),
        format!("[::1]:{port}"),
        format!("0.0.0.0:{port}"),
        format!("2130706433:{port}"),
        format!("127.1:{port}"),
        format!("localhost:{port}@evil.example"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "127.0.0.1".to_owned(),
        "localhost".to_owned(),
        format!("127.0.0.1:0{port}"),
        format!("127.0.0.1:{port} evil.example"),
    ];
    for host in &foreign {
        for path in PATHS {
            let (status, _, body) = get_as(&server, path, host, "");
            assert_eq!(status, 421, "Host: {host} {path}");
            let body = String::from_utf8_lossy(&body);
            assert!(
                body.len() < 200 && !body.contains('<') && !body.contains("收受红包案"),
                "nothing of the site for {host}: {body}"
            );
        }
    }
    for request in [
        "GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: {host}\r\nHost: evil.example\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: evil.example\r\nHost: {host}\r\n\r\n",
    ] {
        assert_eq!(ask(&server, request).0, 400, "{request}");
    }
    assert_eq!(ask(&server, "GET / HTTP/1.1\r\nHost:\r\n\r\n").0, 421);
}

#[test]
fn other_sites_cannot_read_the_preview() {
    let site = Site::small();
    let server = Server::start(&site);
    let host = server.address.clone();
    let port = server.port();
    let refused = [
        // <script src> or <img> on another website
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors\r\nSec-Fetch-Dest: script\r\n"
            .to_owned(),
        // fetch() from a page of another port of this computer
        "Sec-Fetch-Site: same-site\r\nSec-Fetch-Mode: cors\r\nSec-Fetch-Dest: empty\r\nOrigin: http://127.0.0.1:8080\r\n".to_owned(),
        // the preview in another site's frame
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: iframe\r\n"
            .to_owned(),
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: cors\r\nSec-Fetch-Dest: empty\r\n"
            .to_owned(),
        "Origin: http://evil.example\r\n".to_owned(),
        "Origin: null\r\n".to_owned(),
        format!("Origin: http://127.0.0.1:{}\r\n", port.wrapping_add(1)),
        format!("Origin: https://{host}\r\n"),
        format!("Origin: http://{host}.evil.example\r\n"),
        "Sec-Fetch-Site: same-origin\r\nOrigin: http://evil.example\r\n".to_owned(),
        format!("Origin: http://{host}\r\nOrigin: http://evil.example\r\n"),
    ];
    for extra in &refused {
        for path in PATHS {
            let (status, _, body) = get_as(&server, path, &host, extra);
            assert!(status == 403 || status == 400, "{extra} {path}: {status}");
            let body = String::from_utf8_lossy(&body);
            assert!(body.len() < 200 && !body.contains('<'), "{extra}: {body}");
        }
    }
    let allowed = [
        // an address typed or a bookmark
        "Sec-Fetch-Site: none\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: document\r\nSec-Fetch-User: ?1\r\n".to_owned(),
        // the site's own pages
        "Sec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: no-cors\r\nSec-Fetch-Dest: script\r\n"
            .to_owned(),
        format!("Sec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: cors\r\nOrigin: http://{host}\r\n"),
        // a link to the preview followed from another site opens it (that site reads nothing)
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: document\r\n"
            .to_owned(),
        // a browser that says nothing
        String::new(),
    ];
    for extra in &allowed {
        let (status, _, _) = get_as(&server, "/cases/2024/red/", &host, extra);
        assert_eq!(status, 200, "{extra}");
    }
}

#[test]
fn every_answer_says_no_referrer_and_nosniff() {
    let site = Site::small();
    let server = Server::start(&site);
    let version = server.version();
    let requests = [
        "GET /cases/2024/red/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".to_owned(),
        "GET /static/qinglian.css HTTP/1.0\r\nHost: {host}\r\n\r\n".to_owned(),
        "GET /no-such-page/ HTTP/1.0\r\nHost: {host}\r\n\r\n".to_owned(),
        "GET /cases HTTP/1.0\r\nHost: {host}\r\n\r\n".to_owned(),
        "GET /%2e%2e/etc/passwd HTTP/1.0\r\nHost: {host}\r\n\r\n".to_owned(),
        "GET / HTTP/1.0\r\nHost: evil.example\r\n\r\n".to_owned(),
        "GET / HTTP/1.0\r\nHost: {host}\r\nOrigin: http://evil.example\r\n\r\n".to_owned(),
        "POST / HTTP/1.0\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n".to_owned(),
        "HEAD / HTTP/1.0\r\nHost: {host}\r\n\r\n".to_owned(),
        "GET /__qinglian/version HTTP/1.0\r\nHost: {host}\r\n\r\n".to_owned(),
        format!(
            "GET /__qinglian/events?v={} HTTP/1.0\r\nHost: {{host}}\r\n\r\n",
            version - 1
        ),
        format!(
            "GET / HTTP/1.1\r\nHost: {{host}}\r\nX-Long: {}\r\n\r\n",
            "a".repeat(20_000)
        ),
    ];
    for request in &requests {
        let (status, head, _) = ask(&server, request);
        let head = head.to_ascii_lowercase();
        assert!(
            head.contains("\r\nreferrer-policy: no-referrer")
                && head.contains("\r\nx-content-type-options: nosniff"),
            "{status} to {}: {head}",
            request.lines().next().unwrap()
        );
    }
}

/// Raises this process's limit of open files to what the test needs, as far as the system
/// allows; the number of connections the test may open.
#[cfg(unix)]
fn connections_allowed(want: u64) -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain calls with a pointer to a local struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 0;
        }
        if limit.rlim_cur < want + 500 {
            limit.rlim_cur = limit.rlim_max.min(want + 500);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        }
    }
    // Other tests of this binary run at the same time and need files too. (`rlim_t` is not
    // `u64` on every system.)
    #[allow(clippy::unnecessary_cast)]
    (limit.rlim_cur as u64).saturating_sub(500).min(want)
}

/// Opens up to `n` connections to the server that send nothing, or half a request head.
fn idle_connections(server: &Server, n: u64) -> Vec<TcpStream> {
    let address = server.address.parse().unwrap();
    let mut idle = Vec::new();
    for i in 0..n {
        // The system's queue of connections not yet taken is full: as many as it holds.
        let Ok(mut s) = TcpStream::connect_timeout(&address, Duration::from_secs(2)) else {
            break;
        };
        if i % 2 == 1 {
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        }
        idle.push(s);
    }
    idle
}

/// A connection on which `request` (`{host}` for the server's address) has been sent, read
/// with a timeout of eight seconds.
fn send(server: &Server, request: &str) -> TcpStream {
    let mut s = TcpStream::connect(&server.address).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
    let request = request.replace("{host}", &server.address);
    s.write_all(request.as_bytes()).unwrap();
    s
}

/// `GET /` answered with 200 while the server is under attack (a client that waits long
/// enough for it, but not for idle connections to run out their time).
fn answers(server: &Server) -> bool {
    let mut s = send(server, "GET / HTTP/1.0\r\nHost: {host}\r\n\r\n");
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    all.starts_with(b"HTTP/1.1 200") || all.starts_with(b"HTTP/1.0 200")
}

/// A thousand idle and half-sent connections neither stop the server nor keep a person's
/// request waiting: with the files it may open plenty (the server's cap on connections) and
/// scarce (the system refuses it more, and the listener must not die of that).
#[cfg(unix)]
#[test]
fn a_thousand_idle_connections_leave_the_server_answering() {
    let n = connections_allowed(1000);
    if n < 200 {
        eprintln!("skipped: this process may open only {n} more files");
        return;
    }
    let site = Site::small();
    for fds in [Some(60), None] {
        let server = Server::start_with(&site, &[], fds, &[]);
        let idle = idle_connections(&server, n);
        assert!(idle.len() > 100, "{fds:?}: only {} connections", idle.len());
        assert!(
            answers(&server),
            "{fds:?}: no answer with {} idle",
            idle.len()
        );
        drop(idle);
        assert!(answers(&server), "{fds:?}: no answer afterwards");
        let again = idle_connections(&server, n);
        assert!(answers(&server), "{fds:?}: no answer the second time");
        drop(again);
    }
}

/// Writes `head` and then `tail` over and over (up to `most` bytes) on another thread, and
/// returns what the server answered meanwhile.
fn endless(server: &Server, head: &str, tail: &'static [u8], most: usize) -> Vec<u8> {
    let mut s = TcpStream::connect(&server.address).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut writer = s.try_clone().unwrap();
    let head = head.replace("{host}", &server.address);
    let feeding = std::thread::spawn(move || {
        let mut sent = writer.write(head.as_bytes()).unwrap_or(0);
        while sent < most {
            match writer.write(tail) {
                Ok(n) => sent += n,
                Err(_) => break,
            }
        }
        sent
    });
    let mut reply = Vec::new();
    let _ = s.read_to_end(&mut reply);
    let _ = s.shutdown(std::net::Shutdown::Both);
    let _ = feeding.join();
    reply
}

#[test]
fn heads_without_end_are_cut_off() {
    let site = Site::small();
    let server = Server::start(&site);
    const A: &[u8] = &[b'a'; 4096];
    const HEADER: &[u8] = b"X-Many: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    for (head, tail) in [
        // one header line that never ends
        ("GET / HTTP/1.1\r\nHost: {host}\r\nX-Long: ", A),
        // a request line that never ends
        ("GET /", A),
        // headers without number
        ("GET / HTTP/1.1\r\nHost: {host}\r\n", HEADER),
    ] {
        let reply = endless(&server, head, tail, 64 << 20);
        assert!(
            reply.starts_with(b"HTTP/1.1 431") || reply.starts_with(b"HTTP/1.1 414"),
            "{head}: {:?}",
            String::from_utf8_lossy(&reply[..reply.len().min(200)])
        );
    }
    assert!(answers(&server));
}

#[test]
fn requests_that_could_be_read_two_ways_are_refused() {
    let site = Site::small();
    let server = Server::start(&site);
    let inner = "GET /__qinglian/version HTTP/1.1\r\nHost: {host}\r\n\r\n";
    for framing in [
        format!("Content-Length: {}\r\n\r\n{inner}", inner.len()),
        format!(
            "Content-Length: 0\r\nContent-Length: {}\r\n\r\n{inner}",
            inner.len()
        ),
        format!("Content-Length: 0, {}\r\n\r\n{inner}", inner.len()),
        format!("Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n{inner}"),
        format!("Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n{inner}"),
        format!("Transfer-Encoding: identity\r\n\r\n{inner}"),
        format!("Content-Length: -1\r\n\r\n{inner}"),
        format!("Content-Length: +0\r\n\r\n{inner}"),
        format!("Content-Length: 99999999999999999999999999\r\n\r\n{inner}"),
        format!("Content-Length : 0\r\n\r\n{inner}"),
        format!("X-Folded: a\r\n b\r\n\r\n{inner}"),
    ] {
        let request = format!("GET / HTTP/1.1\r\nHost: {{host}}\r\n{framing}");
        let reply = server.raw(request.replace("{host}", &server.address).as_bytes());
        let (status, head, _) = split(&reply);
        assert_eq!(status, 400, "{framing}: {head}");
        let replies = reply.windows(9).filter(|w| w == b"HTTP/1.1 ").count();
        assert_eq!(
            replies, 1,
            "{framing}: what followed was taken as a request"
        );
    }
    for request in [
        "GET / HTTP/1.1\nHost: {host}\n\n",
        "GET / HTTP/1.1\r\nHost: {host}\nX: y\r\n\r\n",
        "GET / HTTP/2.0\r\nHost: {host}\r\n\r\n",
        "GET / HTTP/1.1 x\r\nHost: {host}\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: {host}\r\n\r\n",
        "GET http://evil.example/ HTTP/1.1\r\nHost: {host}\r\n\r\n",
        "GET * HTTP/1.1\r\nHost: {host}\r\n\r\n",
        "GET /\u{7f} HTTP/1.1\r\nHost: {host}\r\n\r\n",
        "GET /é HTTP/1.1\r\nHost: {host}\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: {host}\r\nX: a\u{0}b\r\n\r\n",
        "G\u{0}ET / HTTP/1.1\r\nHost: {host}\r\n\r\n",
        "\r\n\r\n\r\n",
    ] {
        let (status, head, _) = ask(&server, request);
        assert!(status == 400 || status == 505, "{request:?}: {head}");
    }
    assert!(answers(&server));
}

/// Ways out of the site spelled as the browser would not: none is answered with anything
/// but a refusal or the site's 404 page.
#[test]
fn path_tricks_find_nothing_outside_the_site() {
    let site = Site::small();
    let server = Server::start(&site);
    for path in [
        "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/cases/..;/..;/etc/passwd",
        "/__qinglian/../../etc/passwd",
        "/static/qinglian.css%00.html",
        "/static/qinglian.css/",
        "/cases/2024/red/index.html/",
        "/.qinglian-output",
        "/%2e/cases/",
        "/cases/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/cases//2024/red/",
        "/%E6%A1%88%E4%BE%8B%FF/",
    ] {
        let (status, _, body) = get_as(&server, path, &server.address, "");
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!String::from_utf8_lossy(&body).contains("root:"), "{path}");
    }
}

#[test]
fn only_get_and_head_are_answered() {
    let site = Site::small();
    let server = Server::start(&site);
    let (status, head, body) = get_as(&server, "/", &server.address, "");
    assert_eq!(status, 200);
    let length = format!("content-length: {}", body.len());
    assert!(head.to_ascii_lowercase().contains(&length), "{head}");
    let reply = server.raw(
        format!(
            "HEAD / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.address
        )
        .as_bytes(),
    );
    let (status, head, body) = split(&reply);
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains(&length), "{head}");
    assert!(body.is_empty(), "HEAD sends no body");
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "BREW",
    ] {
        let (status, head, _) = ask(
            &server,
            &format!("{method} / HTTP/1.1\r\nHost: {{host}}\r\nContent-Length: 0\r\n\r\n"),
        );
        assert_eq!(status, 405, "{method}");
        assert!(head.contains("Allow: GET, HEAD"), "{method}: {head}");
    }
    // An absurd body is not waited for.
    let (status, _, _) = ask(
        &server,
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 1000000000000\r\n\r\n",
    );
    assert_eq!(status, 405);
    // Two requests in a row on one connection are answered in order.
    let host = &server.address;
    let reply = server.raw(
        format!("GET /__qinglian/version HTTP/1.1\r\nHost: {host}\r\n\r\nGET /__qinglian/settled HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    let text = String::from_utf8_lossy(&reply);
    assert_eq!(text.matches("HTTP/1.1 200").count(), 2, "{text}");
    assert!(text.trim_end().ends_with("true") || text.trim_end().ends_with("false"));
}

/// An attachment the last good build listed is served only while it is a regular file inside
/// `content/`: swapped for a link out (the rebuild refuses it and keeps the last good site),
/// a FIFO or a folder, it is not found.
#[cfg(unix)]
#[test]
fn an_attachment_swapped_after_a_good_build_is_not_served_from_the_old_list() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.pdf");
    std::fs::write(&secret, "%PDF-1.4 SECRET OUTSIDE CONTENT").unwrap();
    let site = Site::small();
    site.write_bytes("content/pages/file.pdf", b"%PDF-1.4 inside");
    site.write_bytes("content/pages/other.pdf", b"%PDF-1.4 the other one");
    site.write(
        "content/pages/faq.md",
        "---\ntitle: 问答\n---\n见[附件](@/pages/file.pdf)与[另一个](@/pages/other.pdf)。\n",
    );
    let server = Server::start(&site);
    assert_eq!(server.get("/pages/file.pdf").2, b"%PDF-1.4 inside");
    let file = site.path("content/pages/file.pdf");
    type Swap = Box<dyn Fn(&std::path::Path)>;
    let secret_link = secret.clone();
    let swaps: Vec<(&str, Swap)> = vec![
        (
            "a link out of content/",
            Box::new(move |p| std::os::unix::fs::symlink(&secret_link, p).unwrap()),
        ),
        (
            "a FIFO",
            Box::new(|p| {
                let path = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
                // SAFETY: a plain call with a NUL-terminated path.
                assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
            }),
        ),
        ("a folder", Box::new(|p| std::fs::create_dir(p).unwrap())),
    ];
    for (what, swap) in &swaps {
        server.after(|| {
            std::fs::remove_file(&file).unwrap();
            swap(&file);
        });
        let (status, _, body) = server.get("/pages/file.pdf");
        assert_eq!(status, 404, "{what}");
        assert!(!String::from_utf8_lossy(&body).contains("SECRET"), "{what}");
        assert_eq!(server.get("/pages/other.pdf").0, 200, "{what}");
        server.after(|| {
            let _ = std::fs::remove_file(&file);
            let _ = std::fs::remove_dir(&file);
            std::fs::write(&file, b"%PDF-1.4 inside").unwrap();
        });
        assert_eq!(
            server.get("/pages/file.pdf").2,
            b"%PDF-1.4 inside",
            "{what}"
        );
    }
    // A link to another file inside content/ is fine.
    server.after(|| {
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(site.path("content/pages/other.pdf"), &file).unwrap();
    });
    assert_eq!(server.get("/pages/file.pdf").2, b"%PDF-1.4 the other one");
}

/// The server's resident memory in KB.
#[cfg(target_os = "linux")]
fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap()
}

/// A 256 MB attachment is sent as it is read: the server does not hold it in memory, and it
/// answers other requests while a slow reader takes it.
#[cfg(target_os = "linux")]
#[test]
fn a_large_attachment_is_streamed() {
    let site = Site::small();
    let big = site.path("content/pages/big.pdf");
    site.write_bytes("content/pages/big.pdf", b"%PDF-1.4 big");
    // Sparse: it takes no room on disk.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(256 << 20)
        .unwrap();
    site.write(
        "content/pages/faq.md",
        "---\ntitle: 问答\n---\n见[附件](@/pages/big.pdf)。\n",
    );
    let server = Server::start(&site);
    let before = rss_kb(server.pid());
    let mut s = send(
        &server,
        "GET /pages/big.pdf HTTP/1.1\r\nHost: {host}\r\n\r\n",
    );
    let mut first = vec![0; 1 << 20];
    s.read_exact(&mut first).unwrap();
    let (status, head, body) = split(&first);
    assert_eq!(status, 200);
    assert!(
        head.contains(&format!("Content-Length: {}", 256 << 20)),
        "{head}"
    );
    assert!(body.starts_with(b"%PDF-1.4 big"));
    assert!(answers(&server), "other requests are answered meanwhile");
    let during = rss_kb(server.pid());
    assert!(
        during < before + 64 * 1024,
        "the server grew from {before} KB to {during} KB"
    );
}

/// Opens an event stream as a page of `version` would, and returns it once its head is read.
fn event_stream(server: &Server, version: u64) -> (TcpStream, String) {
    let mut s = send(
        server,
        &format!(
            "GET /__qinglian/events?v={version} HTTP/1.1\r\nHost: {{host}}\r\nAccept: text/event-stream\r\nSec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: cors\r\nSec-Fetch-Dest: empty\r\n\r\n"
        ),
    );
    let mut got = Vec::new();
    let mut byte = [0; 1];
    while !got.ends_with(b"\r\n\r\n") && s.read(&mut byte).unwrap_or(0) == 1 {
        got.push(byte[0]);
    }
    (s, String::from_utf8_lossy(&got).into_owned())
}

/// Reads from an event stream until `want` appears, it ends, or eight seconds pass.
fn read_until(s: &mut TcpStream, want: &str) -> String {
    let mut got = Vec::new();
    let mut chunk = [0; 512];
    while !String::from_utf8_lossy(&got).contains(want) {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

/// Open pages wait for the next build on a few live event streams; the pages after those are
/// told at once to ask for the version from time to time instead, so a browser's six
/// connections to the preview are never all held, and a page loads meanwhile.
#[test]
fn pages_beyond_the_live_streams_are_told_to_poll() {
    let site = Site::small();
    let server = Server::start(&site);
    let version = server.version();
    let mut live = Vec::new();
    let told = loop {
        let (mut s, head) = event_stream(&server, version);
        assert!(head.contains("text/event-stream"), "{head}");
        let got = read_first_event(&mut s);
        if got.contains("event: poll") {
            break got;
        }
        live.push(s);
        assert!(
            live.len() < 6,
            "six pages hold streams: a browser would wait"
        );
    };
    assert!(!live.is_empty(), "the first page gets a live stream");
    assert!(told.contains("event: poll"), "{told}");
    assert_eq!(server.get("/cases/2024/red/").0, 200);
    let next = version + 1;
    server.after(|| {
        let text = site.read("content/cases/2024/red.md");
        site.write(
            "content/cases/2024/red.md",
            &text.replace("案情。", "新案情。"),
        );
    });
    for s in &mut live {
        let got = read_until(s, "\n\n");
        assert!(got.contains(&format!("data: {next}")), "{got}");
    }
    // Once a page has gone, its place is free again.
    drop(live);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (mut s, _) = event_stream(&server, next);
        if !read_first_event(&mut s).contains("event: poll") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the streams of closed pages stay"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The first event or comment of a stream (up to its blank line).
fn read_first_event(s: &mut TcpStream) -> String {
    read_until(s, "\n\n")
}

fn edit_the_case(site: &Site, text: &str) {
    let old = site.read("content/cases/2024/red.md");
    let body = old.rsplit("---\n").next().unwrap().to_owned();
    site.write(
        "content/cases/2024/red.md",
        &old.replace(&body, &format!("{text}\n")),
    );
}

/// Eight tabs of one preview (a browser opens at most six connections to it): the last
/// still loads at once, and reloads on the next save.
#[test]
fn the_eighth_tab_of_a_preview_loads_and_reloads() {
    let Some(b) = crate::webdriver::Browser::start(1024, 800) else {
        return;
    };
    let site = Site::small();
    let server = Server::start(&site);
    b.set_page_load_timeout(10_000);
    let pages = [
        "/",
        "/cases/",
        "/cases/2024/red/",
        "/principles/",
        "/policies/",
        "/pages/about/",
        "/disclosures/",
        "/principles/08/",
    ];
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            let tab = b.new_tab();
            b.switch_to(&tab);
        }
        b.goto(&format!("http://{}{page}", server.address));
    }
    b.eval("window.__before = 1; return true;");
    server.after(|| edit_the_case(&site, "第八个标签页。"));
    wait_true(
        &b,
        "the eighth tab to reload",
        "return !window.__before && document.readyState === 'complete';",
    );
}

/// Makes the page believe it was hidden (`true`) or shown again (`false`), as switching tabs
/// or minimising the window does.
fn set_hidden(b: &crate::webdriver::Browser, hidden: bool) {
    let state = if hidden { "hidden" } else { "visible" };
    b.eval(&format!(
        "Object.defineProperty(document, 'hidden', {{configurable: true, get: function () {{ return {hidden}; }}}});
         Object.defineProperty(document, 'visibilityState', {{configurable: true, get: function () {{ return '{state}'; }}}});
         document.dispatchEvent(new Event('visibilitychange')); return true;"
    ));
}

/// A hidden page lets its event stream go (it holds none of the browser's connections) and,
/// shown again, asks for the version and reloads when the site changed meanwhile; a page told
/// to poll still reloads on save.
#[test]
fn hidden_pages_let_go_and_catch_up_and_polling_pages_reload() {
    let Some(b) = crate::webdriver::Browser::start(1024, 800) else {
        return;
    };
    let site = Site::small();
    let server = Server::start(&site);
    b.goto(&format!("http://{}/cases/2024/red/", server.address));
    set_hidden(&b, true);
    b.eval("window.__before = 1; return true;");
    server.after(|| edit_the_case(&site, "藏起来时改的。"));
    // One more round trip to the page: a stream still open would have reloaded it by now.
    assert_eq!(server.get("/__qinglian/version").0, 200);
    assert_eq!(
        b.eval("return window.__before === 1;"),
        true,
        "a hidden page does not reload"
    );
    set_hidden(&b, false);
    wait_true(
        &b,
        "the shown page to catch up",
        "return !window.__before && document.body.textContent.indexOf('藏起来时改的。') >= 0;",
    );
    // Every live stream is taken: the next page is told to poll, and still reloads.
    let version = server.version();
    let mut held = Vec::new();
    loop {
        let (mut s, _) = event_stream(&server, version);
        if read_first_event(&mut s).contains("event: poll") {
            break;
        }
        held.push(s);
        assert!(held.len() < 16, "no cap on live streams");
    }
    b.goto(&format!("http://{}/cases/2024/red/", server.address));
    b.eval("window.__before = 1; return true;");
    server.after(|| edit_the_case(&site, "轮询时改的。"));
    wait_true(
        &b,
        "the polling page to reload",
        "return !window.__before && document.body.textContent.indexOf('轮询时改的。') >= 0;",
    );
    drop(held);
}

/// The address the server says is the one it serves, in the form a browser takes: another
/// loopback address is still this computer only; an IPv6 address is in brackets.
#[test]
fn the_address_said_is_the_address_served() {
    let site = Site::small();
    let mut binds = vec![("localhost", "localhost"), ("127.0.0.1", "127.0.0.1")];
    if std::net::TcpListener::bind("127.0.0.2:0").is_ok() {
        binds.push(("127.0.0.2", "127.0.0.2"));
    } else {
        eprintln!("127.0.0.2 skipped: this system has no such loopback address");
    }
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        binds.push(("::1", "[::1]"));
    } else {
        eprintln!("::1 skipped: this system has no IPv6 loopback");
    }
    for (bind, shown) in binds {
        let server = Server::start_with(&site, &["--bind", bind], None, &[]);
        let port = server.port();
        let said = server.said.join("\n");
        assert!(
            said.contains(&format!("serving the site at http://{shown}:{port}/")),
            "{bind}: {said}"
        );
        let rest = server.lines_until("Ctrl-C").join("\n");
        assert!(rest.contains("only this computer"), "{bind}: {rest}");
        assert!(!rest.contains("warning"), "{bind}: {rest}");
        let (status, _, _) = get_as(&server, "/", &format!("{shown}:{port}"), "");
        assert_eq!(status, 200, "{bind}");
    }
}

/// Binding to every address of this computer says so and, with staff pages or drafts, warns
/// that they are on the network; the names this computer answers to are its own.
#[test]
fn staff_pages_on_the_network_are_warned_about() {
    let site = Site::small();
    for (extra, warned) in [
        (&["--audience", "staff"][..], &["staff"][..]),
        (&["--drafts"][..], &["drafts"][..]),
        (
            &["--audience", "staff", "--drafts"][..],
            &["staff", "drafts"][..],
        ),
        (&[][..], &[][..]),
    ] {
        let args: Vec<&str> = ["--bind", "0.0.0.0"].iter().chain(extra).copied().collect();
        let server = Server::start_with(&site, &args, None, &[]);
        let said = server.lines_until("Ctrl-C").join("\n");
        assert!(said.contains("other computers"), "{extra:?}: {said}");
        let warnings: Vec<&str> = said.lines().filter(|l| l.contains("warning")).collect();
        assert_eq!(warnings.len(), warned.len(), "{extra:?}: {said}");
        for w in warned {
            assert!(warnings.iter().any(|l| l.contains(w)), "{extra:?}: {said}");
        }
        let port = server.port();
        assert_eq!(
            get_as(&server, "/", &format!("127.0.0.1:{port}"), "").0,
            200
        );
        assert_eq!(
            get_as(&server, "/", &format!("evil.example:{port}"), "").0,
            421
        );
        if let Ok(name) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
            let host = format!("{}:{port}", name.trim());
            assert_eq!(get_as(&server, "/", &host, "").0, 200, "{host}");
        }
    }
    let local = Server::start_with(&site, &["--audience", "staff"], None, &[]);
    let said = local.lines_until("Ctrl-C").join("\n");
    assert!(!said.contains("warning"), "{said}");
}

/// `--open` hands the address to the system's opener as one argument, through no shell.
#[cfg(unix)]
#[test]
fn open_hands_the_address_over_as_one_argument() {
    use std::os::unix::fs::PermissionsExt;
    let bin = tempfile::tempdir().unwrap();
    let record = bin.path().join("opened");
    for name in ["xdg-open", "open"] {
        let script = bin.path().join(name);
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$#\" \"$@\" > '{}'\n",
                record.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let site = Site::small();
    site.write(
        "content/site.yaml",
        "title: 测试站点\nhospital: 测试医院\nbase_url: https://example.test/sub/\n",
    );
    let server = Server::start_with(&site, &["--open"], None, &[("PATH", path)]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !record.exists() {
        assert!(Instant::now() < deadline, "the opener was not run");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(100));
    let opened = std::fs::read_to_string(&record).unwrap();
    assert_eq!(opened, format!("1\nhttp://{}/sub/\n", server.address));
}

/// An address with a shell's or a URL's special characters is refused before anything is
/// built, served or opened, from `site.yaml` (located, with a hint) and from `--base-url`.
#[test]
fn base_urls_with_shell_characters_are_refused() {
    let site = Site::small();
    for bad in [
        "https://example.test/a&calc/",
        "https://example.test/a;rm/",
        "https://example.test/a|b/",
        "https://example.test/a^b/",
        "https://example.test/a`b`/",
        "https://example.test/a$(b)/",
        "https://example.test/a'b/",
        "https://example.test/a%zzb/",
        "https://example.test/a!b/",
        "https://example.test/a<b>/",
    ] {
        site.write(
            "content/site.yaml",
            &format!("title: 测试站点\nhospital: 测试医院\nbase_url: \"{bad}\"\n"),
        );
        let run = site.check();
        assert_eq!(run.code, 1, "{bad}: {}", run.stderr);
        assert!(
            run.stderr.contains("content/site.yaml:3"),
            "{bad}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("base_url"), "{bad}: {}", run.stderr);
        assert!(
            run.stderr.contains("https://lianjie.example.cn/"),
            "the hint: {}",
            run.stderr
        );
        site.write("content/site.yaml", crate::common::SITE_YAML);
        // `build` checks `--base-url` as `serve` does, before anything else.
        let build = site.run(&["build", "--base-url", bad]);
        assert_eq!(build.code, 2, "{bad}: {}", build.stderr);
        assert!(
            build.stderr.contains("--base-url"),
            "{bad}: {}",
            build.stderr
        );
    }
}
