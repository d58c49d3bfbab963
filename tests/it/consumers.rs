//! The third-party programs that read our exports, for the tests that check the exports
//! against them: `scorm-again` (an LMS's SCORM 1.2 runtime), `gift-pegjs` (a GIFT parser) and
//! `@learninglocker/xapi-validation` (an xAPI statement validator), from npm at the versions
//! `.ci/run` pins, installed under `target/consumers/` (or the folder `QINGLIAN_CONSUMERS`
//! names), and run by `node`. Without them a test is skipped with the reason, unless CI=true.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The `node_modules` folder the programs are installed in.
fn modules() -> PathBuf {
    std::env::var_os("QINGLIAN_CONSUMERS")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/consumers"),
            PathBuf::from,
        )
        .join("node_modules")
}

/// Says why a test cannot run; fails it under CI=true.
fn skip(why: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{why}; CI=true requires it (.ci/run installs it)"
    );
    eprintln!("skipped: {why}");
}

/// The file `rel` of an installed package (`scorm-again/dist/scorm12.min.js`), if it is there.
pub fn file(rel: &str) -> Option<PathBuf> {
    let path = modules().join(rel);
    if path.is_file() {
        return Some(path);
    }
    let package = rel
        .split('/')
        .take(if rel.starts_with('@') { 2 } else { 1 });
    skip(&format!(
        "{} not found: `npm install --prefix target/consumers {}` adds it",
        path.display(),
        package.collect::<Vec<_>>().join("/")
    ));
    None
}

/// Whether `node` runs and `package` is installed (said and skipped when not).
pub fn node_with(package: &str) -> bool {
    node_runs() && file(&format!("{package}/package.json")).is_some()
}

/// Whether `node` runs (said and skipped when not).
pub fn node_runs() -> bool {
    let runs = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !runs {
        skip("node is not installed (apt-get install nodejs)");
    }
    runs
}

/// Runs the JavaScript `script` in node with the packages on its module path and `input` on
/// its standard input; returns its standard output (a failing script fails the test).
pub fn node(script: &str, input: &str) -> String {
    let mut child = Command::new("node")
        .args(["-e", script])
        .env("NODE_PATH", modules())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "node failed: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}
