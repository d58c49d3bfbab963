//! Sites written to disk for the preview's tests: a configuration, a reporting channel and
//! the files given, with the options a preview of them runs with.

use std::path::Path;
use std::sync::Arc;

use crate::pipeline::SiteArgs;

/// Writes `files` (content-relative path, text) under `dir/content`, with `site.yaml` and a
/// reporting channel; the options to preview them with.
pub fn site_on_disk(dir: &Path, files: &[(String, String)]) -> SiteArgs {
    let phone = "---\ntitle: 举报电话\nkind: phone\nvalue: 0000-81234567\n---\n";
    let given = files.iter().map(|(p, t)| (p.as_str(), t.as_str()));
    let site = [
        ("site.yaml", crate::site::testutil::SITE),
        ("channels/phone.md", phone),
    ];
    for (path, text) in site.into_iter().chain(given) {
        let path = dir.join("content").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    SiteArgs {
        root: dir.to_owned(),
        drafts: false,
        now: Some("2025-01-01".into()),
        audience: crate::types::Audience::Public,
        base_url: None,
        strict: false,
        relative: false,
        lang: crate::messages::Lang::En,
        unit: None,
        units: Arc::default(),
    }
}
