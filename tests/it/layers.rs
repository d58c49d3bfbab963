//! The modules under `src/` import each other without cycles: a module may use its ancestors
//! (a child uses what its parent declares), never a module that imports it back, directly or
//! through others. Read from the `crate::` and `super::` paths of each file's non-test code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of the crate (`render::kinds::cases`), with its file's text before its tests.
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut mods = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into()).collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        if parts == ["lib"] || parts == ["main"] {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let code: Vec<&str> = code.lines().map(strip_comment).collect();
        mods.insert(parts.join("::"), code.join("\n"));
    }
    mods
}

/// A line without its `//` comment (an address in a string, `https://`, is kept).
fn strip_comment(line: &str) -> &str {
    let t = line.trim_start();
    if t.starts_with("//") { "" } else { line }
}

/// The paths a use tree starting at `text` names: `a::{b, c::d}` → `a::b`, `a::c::d`.
fn use_tree(text: &str) -> (Vec<String>, usize) {
    let mut paths = Vec::new();
    let mut prefix = String::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        prefix.push_str(&text[start..i]);
        // `a::{…}`, or a group right after the marker: `super::{tier, tokenize}`.
        let group =
            text[i..].starts_with("::{") || (prefix.is_empty() && text[i..].starts_with('{'));
        if group {
            i += if prefix.is_empty() { 1 } else { 3 };
            loop {
                while i < bytes.len() && (bytes[i] as char).is_whitespace() {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'}' {
                    break;
                }
                let (inner, used) = use_tree(&text[i..]);
                let joined = |p: String| match prefix.is_empty() {
                    true => p,
                    false => format!("{prefix}::{p}"),
                };
                paths.extend(inner.into_iter().map(joined));
                i += used.max(1);
                while i < bytes.len() && matches!(bytes[i], b',' | b' ' | b'\n') {
                    i += 1;
                }
            }
            return (paths, i + 1);
        }
        if text[i..].starts_with("::") && i > start {
            prefix.push_str("::");
            i += 2;
            continue;
        }
        paths.push(prefix.trim_end_matches("::").to_owned());
        return (paths, i);
    }
}

/// The longest module `path` starts with.
fn resolve<'a>(mods: &'a BTreeMap<String, String>, path: &str) -> Option<&'a str> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len()).rev().find_map(|n| {
        mods.get_key_value(&parts[..n].join("::"))
            .map(|(k, _)| k.as_str())
    })
}

/// Each module's imports of modules other than itself and its ancestors.
fn edges(mods: &BTreeMap<String, String>) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut edges = BTreeMap::new();
    for (m, code) in mods {
        let parent: Vec<&str> =
            m.split("::").collect::<Vec<_>>()[..m.matches("::").count()].to_vec();
        let mut deps = BTreeSet::new();
        for (marker, base) in [("crate::", Vec::new()), ("super::", parent)] {
            for (at, _) in code.match_indices(marker) {
                let before = code[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                for path in use_tree(&code[at + marker.len()..]).0 {
                    let full = base
                        .iter()
                        .copied()
                        .chain([path.as_str()])
                        .collect::<Vec<_>>();
                    if let Some(d) = resolve(mods, &full.join("::")) {
                        deps.insert(d);
                    }
                }
            }
        }
        deps.retain(|d| d != m && !m.starts_with(&format!("{d}::")));
        edges.insert(m.as_str(), deps);
    }
    edges
}

/// The groups of modules that import each other (Tarjan's strongly connected components).
fn cycles<'a>(edges: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Vec<Vec<&'a str>> {
    struct Walk<'a, 'e> {
        edges: &'e BTreeMap<&'a str, BTreeSet<&'a str>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(w: &mut Walk<'a, '_>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        for &d in w.edges.get(v).into_iter().flatten() {
            if !w.index.contains_key(d) {
                visit(w, d);
                let low = w.low[v].min(w.low[d]);
                w.low.insert(v, low);
            } else if w.stack.contains(&d) {
                let low = w.low[v].min(w.index[d]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let at = w.stack.iter().position(|&x| x == v).unwrap();
            let group: Vec<&str> = w.stack.split_off(at);
            if group.len() > 1 {
                w.found.push(group);
            }
        }
    }
    let mut w = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for &v in edges.keys() {
        if !w.index.contains_key(v) {
            visit(&mut w, v);
        }
    }
    w.found
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&src);
    assert!(
        mods.len() > 80,
        "the crate's modules are found: {}",
        mods.len()
    );
    let edges = edges(&mods);
    let render = &edges["render"];
    assert!(
        render.contains("plan") && render.contains("built"),
        "imports are read (render uses plan and built): {render:?}"
    );
    let found = cycles(&edges);
    let shown: Vec<String> = found
        .iter()
        .map(|group| {
            let lines: Vec<String> = (group.iter())
                .flat_map(|m| {
                    let inside = edges[m].iter().filter(|d| group.contains(d));
                    inside.map(move |d| format!("  {m} → {d}"))
                })
                .collect();
            format!("{}\n{}", group.join(", "), lines.join("\n"))
        })
        .collect();
    assert!(found.is_empty(), "import cycles:\n{}", shown.join("\n"));
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let mut mods = BTreeMap::new();
    mods.insert(
        "a".to_owned(),
        "use crate::b::{self, x::{y, z}};".to_owned(),
    );
    mods.insert("b".to_owned(), "use crate::c::Thing;".to_owned());
    mods.insert("c".to_owned(), "fn f() { super::a::go() }".to_owned());
    mods.insert(
        "c::d".to_owned(),
        "use super::Thing; use crate::c::e;".to_owned(),
    );
    mods.insert("c::e".to_owned(), "use super::{d, Other};".to_owned());
    let edges = edges(&mods);
    assert_eq!(
        edges["c::d"],
        BTreeSet::from(["c::e"]),
        "a parent is no edge"
    );
    assert_eq!(
        edges["c::e"],
        BTreeSet::from(["c::d"]),
        "a group right after super::"
    );
    let mut found = cycles(&edges);
    assert_eq!(found.len(), 2, "{found:?}");
    for group in &mut found {
        group.sort_unstable();
    }
    found.sort();
    assert_eq!(found, [vec!["a", "b", "c"], vec!["c::d", "c::e"]]);
}
