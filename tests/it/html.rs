//! Every page the example site publishes, and a WeChat article, passes the Nu HTML checker
//! (vnu, the W3C's validator; `.ci/run` installs it and Java), errors only.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::snapshot;

/// The checker's jar: in `target/vnu/` (`.ci/run` puts it there) or where `QINGLIAN_VNU`
/// says; `None` (said, and failed under CI=true) without it or without Java.
fn vnu() -> Option<PathBuf> {
    let jar = std::env::var_os("QINGLIAN_VNU").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
        },
        PathBuf::from,
    );
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if jar.is_file() && java {
        return Some(jar);
    }
    let why = "the Nu HTML checker is not installed (npm install --prefix target/vnu vnu-jar; apt-get install default-jre-headless)";
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{why}; CI=true requires it"
    );
    eprintln!("skipped: {why}");
    None
}

#[test]
fn every_published_page_passes_the_nu_html_checker() {
    let Some(jar) = vnu() else { return };
    let out = tempfile::tempdir().unwrap();
    let repo = env!("CARGO_MANIFEST_DIR");
    let mut files = Vec::new();
    for (edition, extra) in [
        ("public", &[][..]),
        ("staff", &["--audience", "staff", "--relative"][..]),
    ] {
        let dir = out.path().join(edition);
        let dir_arg = dir.to_str().unwrap().to_owned();
        let mut args = vec![
            "build",
            "--root",
            repo,
            "--now",
            "2026-11-23",
            "--out",
            &dir_arg,
        ];
        args.extend_from_slice(extra);
        let run = crate::common::run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        files.extend(
            snapshot(&dir)
                .into_keys()
                .filter(|p| p.extension().is_some_and(|e| e == "html"))
                .map(|p| dir.join(p)),
        );
    }
    let wechat = out.path().join("wechat");
    let wechat_arg = wechat.to_str().unwrap().to_owned();
    let run = crate::common::run(&[
        "export",
        "wechat",
        "ortho-red-envelope",
        "principles/08",
        "--root",
        repo,
        "--now",
        "2026-11-23",
        "-o",
        &wechat_arg,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    files.extend([
        wechat.join("ortho-red-envelope.html"),
        wechat.join("08.html"),
    ]);
    assert!(files.len() > 150, "only {} pages", files.len());
    let check = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu"])
        .args(&files)
        .output()
        .unwrap();
    let errors = String::from_utf8_lossy(&check.stderr).into_owned()
        + &String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success() && errors.trim().is_empty(),
        "the Nu HTML checker:\n{errors}"
    );
}
