//! `qinglian serve`: the site built into memory (never into `public/`), served on this
//! computer with tiny_http under the path of `base_url`, rebuilt on every save; open pages
//! reload, and a failed build shows its mistakes over the last good site.

pub mod http;
pub mod incremental;
pub mod inject;
pub mod live;
pub mod watch;

use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cmd::Outcome;
use crate::error::{Error, Result};
use crate::messages::{self, Lang};
use crate::pipeline::{self, SiteArgs};
use live::{Live, Served};

#[derive(Debug, Clone)]
pub struct ServeArgs {
    pub site: SiteArgs,
    pub port: u16,
    pub bind: String,
    /// Open the address in the default browser.
    pub open: bool,
}

/// Builds, serves and watches until interrupted (Ctrl-C ends it with exit code 0).
pub fn run(args: &ServeArgs) -> Result<Outcome> {
    let root = pipeline::root(&args.site.root)?;
    let site = SiteArgs {
        root: root.clone(),
        ..args.site.clone()
    };
    let lang = site.lang;
    let live = Arc::new(Live::default());
    let mut session = incremental::Session::new(site.clone());
    let base = rebuild(&mut session, &site, &live, &[])?;
    let server = bind(args)?;
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    let address = format!("http://{}:{port}{base}", display_host(&args.bind));
    announce(&address, &args.bind, lang);
    stop_on_interrupt();
    if args.open {
        open_browser(&address);
    }
    let mut watcher = watch::start(&root)?;
    let server = Arc::new(server);
    {
        let (server, live) = (server.clone(), live.clone());
        std::thread::spawn(move || accept(&server, &live, &base, lang));
    }
    while let Ok(first) = watcher.batches.recv() {
        if let Err(e) = watcher.watch_themes(&root) {
            eprintln!("{}", e.render(lang));
        }
        let mut batch = watch::Batch {
            complete: true,
            ..Default::default()
        };
        // Whatever else came in while the last rebuild ran is taken in the same rebuild.
        for result in std::iter::once(first).chain(watcher.batches.try_iter()) {
            if let Err(errors) = &result {
                for e in errors {
                    let cause = crate::serve::watch::notify_cause(e);
                    messages::say(lang, &crate::msg!("serve.watch_error").sub("cause", cause));
                }
            }
            batch.merge(watch::changed(&root, &result));
        }
        session.note(&batch.touched, batch.complete);
        if !batch.worth.is_empty()
            && let Err(e) = rebuild(&mut session, &site, &live, &batch.worth)
        {
            eprintln!("{}", e.render(lang));
        }
    }
    Ok(Outcome::Clean)
}

/// Builds into memory, prints what happened, publishes; returns the base path to serve under.
fn rebuild(
    session: &mut incremental::Session,
    site: &SiteArgs,
    live: &Live,
    changed: &[std::path::PathBuf],
) -> Result<String> {
    let started = Instant::now();
    let incremental::Rebuilt {
        files,
        diags,
        rendered,
        index_pending,
    } = session.rebuild(changed)?;
    pipeline::print_human(&diags, site.lang);
    let ms = started.elapsed().as_millis();
    let what = changed
        .iter()
        .take(3)
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let line = match (&files, changed.is_empty()) {
        (Some(f), true) => crate::msg!("serve.built", files = f.len(), ms = ms),
        (Some(f), false) => crate::msg!(
            "serve.rebuilt",
            what = what,
            rendered = rendered,
            files = f.len(),
            ms = ms
        ),
        (None, _) => crate::msg!("serve.failed", ms = ms),
    };
    messages::say(site.lang, &line);
    live.publish(files, diags, !index_pending);
    if let Some(files) = session.finish_index() {
        live.settle(files);
    }
    // A day of previewing does not grow the server.
    crate::pipeline::give_back_memory();
    Ok(base_path(site))
}

/// The path part of the site's `base_url` (`/` or `/sub/`).
fn base_path(site: &SiteArgs) -> String {
    let yaml = crate::fsio::read(&site.root.join("content/site.yaml")).unwrap_or_default();
    let url = site.base_url.clone().or_else(|| {
        serde_yaml::from_slice::<serde_yaml::Value>(&yaml)
            .ok()?
            .get("base_url")?
            .as_str()
            .map(str::to_owned)
    });
    let path = url
        .as_deref()
        .and_then(|u| u.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_else(|| "/".into());
    if path.ends_with('/') {
        path
    } else {
        format!("{path}/")
    }
}

fn bind(args: &ServeArgs) -> Result<tiny_http::Server> {
    tiny_http::Server::http((args.bind.as_str(), args.port)).map_err(|e| {
        let taken = e.to_string().to_ascii_lowercase().contains("in use");
        let m = if taken {
            crate::msg!(
                "serve.port_taken",
                port = args.port,
                next = args.port.wrapping_add(1)
            )
        } else {
            crate::msg!("serve.bind_failed", bind = &args.bind, port = args.port)
                .sub("cause", crate::error::cause_of(e.as_ref()))
        };
        Error::usage(m)
    })
}

fn display_host(bind: &str) -> &str {
    if bind == "0.0.0.0" || bind == "::" {
        "127.0.0.1"
    } else {
        bind
    }
}

fn announce(address: &str, bind: &str, lang: Lang) {
    messages::say(lang, &crate::msg!("serve.address", address = address));
    let local = bind == "127.0.0.1" || bind == "localhost" || bind == "::1";
    let m = if local {
        crate::msg!("serve.local_only")
    } else {
        crate::msg!("serve.shared", bind = bind)
    };
    messages::say(lang, &m);
}

/// Ctrl-C ends the preview cleanly, with exit code 0.
#[cfg(unix)]
fn stop_on_interrupt() {
    extern "C" fn stop(_: libc::c_int) {
        // Only async-signal-safe calls here: write(2) and _exit(2).
        let bye = b"\n";
        unsafe {
            libc::write(2, bye.as_ptr().cast(), bye.len());
            libc::_exit(0);
        }
    }
    let handler: extern "C" fn(libc::c_int) = stop;
    // SAFETY: `stop` only calls async-signal-safe functions.
    unsafe {
        libc::signal(libc::SIGINT, handler as libc::sighandler_t);
        libc::signal(libc::SIGTERM, handler as libc::sighandler_t);
    }
}

#[cfg(not(unix))]
fn stop_on_interrupt() {}

fn open_browser(address: &str) {
    let program = if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", address])
    } else if cfg!(target_os = "macos") {
        ("open", vec![address])
    } else {
        ("xdg-open", vec![address])
    };
    let _ = std::process::Command::new(program.0)
        .args(program.1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Answers each request on a thread of its own (reload events wait for the next build).
fn accept(server: &tiny_http::Server, live: &Arc<Live>, base: &str, lang: Lang) {
    for request in server.incoming_requests() {
        let live = live.clone();
        let base = base.to_owned();
        std::thread::spawn(move || {
            let _ = respond(request, &live, &base, lang);
        });
    }
}

fn respond(
    request: tiny_http::Request,
    live: &Live,
    base: &str,
    lang: Lang,
) -> std::io::Result<()> {
    use tiny_http::Method;
    if !matches!(request.method(), Method::Get | Method::Head) {
        return request.respond(text(405, "method not allowed"));
    }
    let url = request.url().to_owned();
    let path = url.split('?').next().unwrap_or("");
    if path == inject::EVENTS {
        let seen = query_version(&url);
        return request.respond(events(live, seen));
    }
    if path == inject::VERSION {
        return request.respond(text(200, &live.snapshot().version.to_string()));
    }
    if path == inject::SETTLED {
        let snap = live.snapshot();
        return request.respond(text(200, &format!("{} {}", snap.version, snap.settled)));
    }
    match http::output_path(&url, base) {
        Err(http::Refusal::Escapes) => request.respond(text(400, "bad request")),
        Err(http::Refusal::Elsewhere) if path == "/" => request.respond(redirect(base)),
        Err(http::Refusal::Elsewhere) => request.respond(not_found(live, lang)),
        Ok(rel) => request.respond(file(live, &rel, &url, lang)),
    }
}

type Reply = tiny_http::Response<Box<dyn Read + Send>>;

fn reply(status: u16, content_type: &str, body: Box<dyn Read + Send>, len: Option<usize>) -> Reply {
    let header = |k: &str, v: &str| tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).ok();
    let headers = [
        header("Content-Type", content_type),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
    ];
    tiny_http::Response::new(
        tiny_http::StatusCode(status),
        headers.into_iter().flatten().collect(),
        body,
        len,
        None,
    )
}

fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    let len = body.len();
    reply(
        status,
        content_type,
        Box::new(std::io::Cursor::new(body)),
        Some(len),
    )
}

fn text(status: u16, body: &str) -> Reply {
    bytes(
        status,
        "text/plain; charset=utf-8",
        body.as_bytes().to_vec(),
    )
}

fn redirect(to: &str) -> Reply {
    let mut r = text(302, "");
    if let Ok(h) = tiny_http::Header::from_bytes(&b"Location"[..], to.as_bytes()) {
        r.add_header(h);
    }
    r
}

/// An output of the site; HTML with the reload script (and the overlay after a failed build).
fn file(live: &Live, rel: &str, url: &str, lang: Lang) -> Reply {
    let snap = live.snapshot();
    let Some(served) = snap.files.get(rel) else {
        let folder = format!("{rel}/index.html");
        if !rel.ends_with(".html") && snap.files.contains_key(folder.as_str()) {
            let (path, query) = url.split_once('?').map_or((url, ""), |(p, q)| (p, q));
            let q = if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            };
            return redirect(&format!("{path}/{q}"));
        }
        return not_found(live, lang);
    };
    let content_type = http::content_type(rel);
    let body = match served {
        Served::Bytes(b) => b.to_vec(),
        Served::File(path) => match std::fs::read(path) {
            Ok(b) => b,
            Err(_) => return not_found(live, lang),
        },
    };
    let body = if content_type.starts_with("text/html") {
        inject::page(&body, snap.version, &snap.diags, lang)
    } else {
        body
    };
    bytes(200, content_type, body)
}

/// The site's own 404 page, with status 404.
fn not_found(live: &Live, lang: Lang) -> Reply {
    let snap = live.snapshot();
    match snap.files.get("404.html") {
        Some(Served::Bytes(b)) => {
            let page = inject::page(b, snap.version, &snap.diags, lang);
            bytes(404, "text/html; charset=utf-8", page)
        }
        _ => text(404, "not found"),
    }
}

fn query_version(url: &str) -> u64 {
    url.split_once("v=")
        .and_then(|(_, v)| v.split('&').next()?.parse().ok())
        .unwrap_or(0)
}

/// A Server-Sent Events stream of one event: the version after `seen` (at once if the site
/// is already newer), or a comment after a while; the browser then asks again.
fn events(live: &Live, seen: u64) -> Reply {
    let version = live.wait_past(seen, Duration::from_secs(20));
    let body = if version == seen {
        "retry: 300\n: still here\n\n".to_owned()
    } else {
        format!("retry: 300\ndata: {version}\n\n")
    };
    bytes(200, "text/event-stream", body.into_bytes())
}
