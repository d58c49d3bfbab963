//! `qinglian serve`: the site built in memory (never into `public/`, each page rendered when
//! asked for), served on this computer by a small server of our own under the path of
//! `base_url`, rebuilt on every save; open pages reload, and a failed build shows its
//! mistakes over the last good site.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use crate::cmd::Outcome;
use crate::error::{Error, Result};
use crate::messages;
use crate::pipeline::{self, SiteArgs};
use crate::serve::live::Live;
use crate::serve::{address, answer, events, guard, incremental, server, watch};

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
    let site = unit_cards(pipeline::located(&args.site)?)?;
    let lang = site.lang;
    let live = Arc::new(Live::default());
    let mut session = incremental::Session::new(site.clone());
    let base = rebuild(&mut session, &site, &live, &[])?;
    let listener = bind(args)?;
    let local = listener.local_addr().map_err(|e| bind_error(args, &e))?;
    let address = format!(
        "http://{}:{}{base}",
        address::shown_host(&args.bind),
        local.port()
    );
    address::announce(&address, local, &site);
    stop_on_interrupt();
    if args.open {
        address::open_browser(&address);
    }
    let (watcher, content) = watch_content(&site)?;
    let names = guard::Names::new(&args.bind, local.port());
    let served = answer::Site {
        live: live.clone(),
        base,
        lang,
        content,
    };
    start_serving(listener, names, served);
    follow(watcher, &mut session, &site, &live);
    Ok(Outcome::Clean)
}

/// Starts watching the site's files: the folders its attachments are served from (its own
/// `content/` first, and the commission's too for a unit) and the watcher on them.
fn watch_content(site: &SiteArgs) -> Result<(watch::Watcher, Vec<std::path::PathBuf>)> {
    let own = site
        .root
        .join(crate::units::own_content(site.unit.as_deref()));
    let commission = site.root.join("content");
    let unit_content = site.unit.is_some().then_some(own.as_path());
    let watcher = watch::start(&site.root, unit_content)?;
    let mut content = vec![crate::fsio::canonicalize(&own)?];
    if site.unit.is_some() {
        content.push(crate::fsio::canonicalize(&commission)?);
    }
    Ok((watcher, content))
}

/// Rebuilds after every batch of saves until the watcher ends.
fn follow(
    mut watcher: watch::Watcher,
    session: &mut incremental::Session,
    site: &SiteArgs,
    live: &Live,
) {
    let (root, lang) = (&site.root, site.lang);
    while let Some(first) = next_batch(&watcher, session, live) {
        if let Err(e) = watcher.watch_themes(root) {
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
                    let cause = watch::notify_cause(e);
                    messages::say(lang, &crate::msg!("serve.watch_error").sub("cause", cause));
                }
            }
            batch.merge(watch::changed(root, &result));
        }
        session.note(&batch.touched, batch.complete);
        if !batch.worth.is_empty()
            && let Err(e) = rebuild(session, site, live, &batch.worth)
        {
            eprintln!("{}", e.render(lang));
        }
    }
}

/// How often a search index being made is looked in on between saves.
const INDEX_POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// Waits for the next batch of saves (`None` once the watcher ends); meanwhile the search
/// index of the last build goes in as soon as it is made, without a reload.
fn next_batch(
    watcher: &watch::Watcher,
    session: &mut incremental::Session,
    live: &Live,
) -> Option<notify_debouncer_full::DebounceEventResult> {
    use std::sync::mpsc::RecvTimeoutError;
    loop {
        if !session.indexing() {
            return watcher.batches.recv().ok();
        }
        match watcher.batches.recv_timeout(INDEX_POLL) {
            Ok(batch) => return Some(batch),
            Err(RecvTimeoutError::Disconnected) => return None,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if let Some(files) = session.index_ready() {
            live.settle(files);
            crate::pipeline::give_back_memory();
        }
    }
}

/// Previewing a commission's site: its units as its units directory shows them, read once
/// when the preview starts (a unit's own preview is `serve --unit`).
fn unit_cards(site: SiteArgs) -> Result<SiteArgs> {
    let (units, _) = match site.unit {
        Some(_) => Default::default(),
        None => crate::units::find(&site.root)?,
    };
    if units.is_empty() {
        return Ok(site);
    }
    let layer = crate::units::read_layer(&site.root)?;
    let mut cards = Vec::new();
    for unit in &units {
        let mut reuse = pipeline::Reuse::over(Arc::clone(&layer));
        let (prepared, _) = pipeline::prepare_with(&site.of_unit(unit), &mut reuse)?;
        cards.extend(prepared.and_then(|p| p.card));
    }
    Ok(SiteArgs {
        units: Arc::new(cards),
        ..site
    })
}

/// Answers connections on a thread of its own; when the listener is gone, says so and ends
/// the program with exit code 2 (a preview that no longer answers must not look alive).
fn start_serving(listener: TcpListener, names: guard::Names, site: answer::Site) {
    let lang = site.lang;
    let shared = Arc::new(server::Shared {
        site,
        names,
        connections: server::Connections::default(),
        streams: events::Streams::default(),
    });
    std::thread::spawn(move || {
        let gone = server::accept_all(&listener, &shared);
        let cause = crate::error::io_cause(&gone);
        messages::say(
            lang,
            &crate::msg!("serve.listener_gone").sub("cause", cause),
        );
        std::process::exit(2);
    });
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
    // The search index, when this build needs one, is started on threads of its own.
    if let Some(files) = session.index_ready() {
        live.settle(files);
    }
    // A day of previewing does not grow the server.
    crate::pipeline::give_back_memory();
    Ok(base_path(site))
}

/// The path part of the site's `base_url` (`/` or `/sub/`), read again after each build so a
/// site whose configuration is broken still has one.
fn base_path(site: &SiteArgs) -> String {
    let content = site
        .root
        .join(crate::units::own_content(site.unit.as_deref()));
    let url = site.base_url.clone().or_else(|| {
        let yaml = crate::fsio::read(&content.join(crate::source::CONFIG_FILE)).ok()?;
        serde_yaml::from_slice::<serde_yaml::Value>(&yaml)
            .ok()?
            .get("base_url")?
            .as_str()
            .map(str::to_owned)
    });
    crate::config::base_path(url.as_deref().unwrap_or("/"))
}

fn bind(args: &ServeArgs) -> Result<TcpListener> {
    let host = guard::bind_ip(&args.bind).map_or_else(|| args.bind.clone(), |ip| ip.to_string());
    TcpListener::bind((host.as_str(), args.port)).map_err(|e| bind_error(args, &e))
}

fn bind_error(args: &ServeArgs, e: &std::io::Error) -> Error {
    let m = if e.kind() == std::io::ErrorKind::AddrInUse {
        crate::msg!(
            "serve.port_taken",
            port = args.port,
            next = args.port.wrapping_add(1)
        )
    } else {
        crate::msg!("serve.bind_failed", bind = &args.bind, port = args.port)
            .sub("cause", crate::error::io_cause(e))
    };
    Error::usage(m)
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
