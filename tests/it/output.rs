//! The output folder can never eat the site: every route to content/, themes/, the site root
//! or a folder we did not write (through `..`, through symlinks, to folders not yet there) is
//! refused with exit 2, before anything is created; normal builds and rebuilds still work.

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::common::{Run, Site, entries, snapshot};

/// A nested small site with a theme override, a foreign folder, and links beside it:
/// `outer/to-root -> site`, `outer/into-content -> site/content`, `site/content-link -> content/pages`.
fn guarded_site() -> Site {
    let site = Site::small_nested();
    site.write("themes/default/static/extra.css", "body { color: #111; }\n");
    site.write("notes/keep.txt", "keep me");
    symlink(site.root(), site.outer().join("to-root")).unwrap();
    symlink(site.path("content"), site.outer().join("into-content")).unwrap();
    symlink(site.path("content/pages"), site.path("content-link")).unwrap();
    site
}

fn build_into(site: &Site, out: &Path) -> Run {
    site.run(&[
        "build",
        "--now",
        "2026-11-23",
        "--out",
        out.to_str().unwrap(),
    ])
}

/// Builds into `out` and asserts it is refused with nothing touched and nothing created.
fn assert_refused(site: &Site, out: &Path) {
    let content = snapshot(&site.path("content"));
    let themes = snapshot(&site.path("themes"));
    let notes = snapshot(&site.path("notes"));
    let before = entries(site.outer());
    let run = build_into(site, out);
    let shown = out.display();
    assert_eq!(run.code, 2, "--out {shown}: {}", run.stderr);
    assert!(
        run.stderr.contains("refusing"),
        "--out {shown}: {}",
        run.stderr
    );
    assert_eq!(snapshot(&site.path("content")), content, "--out {shown}");
    assert_eq!(snapshot(&site.path("themes")), themes, "--out {shown}");
    assert_eq!(snapshot(&site.path("notes")), notes, "--out {shown}");
    assert_eq!(
        entries(site.outer()),
        before,
        "--out {shown} created something"
    );
}

#[test]
fn routes_through_dot_dot_to_the_site_are_refused() {
    let site = guarded_site();
    let root = site.root();
    for route in [
        "public/../content",
        "public/../themes",
        "public/../themes/default",
        "public/../content/pages/out",
        "x/..",
        "x/../..",
        "x/y/../../../site",
        "./public/./../notes",
        "notes/../public/../notes",
    ] {
        assert_refused(&site, &root.join(route));
    }
    assert!(!site.path("public").exists() && !site.path("x").exists());
}

#[test]
fn routes_through_symlinks_to_the_site_are_refused() {
    let site = guarded_site();
    let outer = site.outer();
    for out in [
        outer.join("to-root"),
        outer.join("to-root/public/../content"),
        outer.join("to-root/public/.."),
        outer.join("into-content"),
        outer.join("into-content/new/out"),
        outer.join("into-content/.."),
        site.path("content-link/out"),
        site.path("content-link/../../themes"),
    ] {
        assert_refused(&site, &out);
    }
}

#[test]
fn an_output_link_that_points_at_the_root_is_refused() {
    let site = guarded_site();
    symlink(site.root(), site.path("public")).unwrap();
    assert_refused(&site, &site.path("public"));
    symlink(site.outer(), site.path("up")).unwrap();
    assert_refused(&site, &site.path("up"));
    assert_refused(&site, &site.path("up/site"));
}

#[test]
fn builds_rebuilds_and_fresh_nested_outputs_still_work() {
    let site = guarded_site();
    let content = snapshot(&site.path("content"));
    for _ in 0..2 {
        let run = site.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(site.path("public/index.html").is_file());
        assert!(site.path("public/.qinglian-output").is_file());
    }
    let nested = site.outer().join("x/../deep/er/out");
    for _ in 0..2 {
        let run = build_into(&site, &nested);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(site.outer().join("deep/er/out/index.html").is_file());
    assert!(
        !site.outer().join("x").exists(),
        "only the resolved path is created"
    );
    assert_eq!(snapshot(&site.path("content")), content);
    let beside: Vec<_> = entries(site.root())
        .into_iter()
        .chain(entries(&site.outer().join("deep/er")))
        .filter(|p| p.to_string_lossy().contains(".tmp-") || p.to_string_lossy().contains(".old-"))
        .collect();
    assert!(beside.is_empty(), "temp folders left: {beside:?}");
}
