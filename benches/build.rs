//! The build benchmark: generates synthetic sites of 1,000 and 10,000 pages on tmpfs and
//! times `qinglian build` (and Hugo, when it is on the PATH, on the same content) as whole
//! processes: wall time over several runs, CPU time, peak memory, files written, page sizes
//! and the largest page (its path and size: no page should grow with the site).
//!
//! `cargo bench --bench build` (set `QINGLIAN_BENCH_RUNS` for more runs, `QINGLIAN_BENCH_SIZES`
//! such as `1000,10000` for other sizes, `QINGLIAN_BENCH_KEEP=1` to keep the sites and output).

mod synth;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// One run of a command: wall time, user+system CPU time, peak resident memory.
struct Sample {
    wall: Duration,
    cpu: Duration,
    max_rss_kb: i64,
}

/// Runs `cmd` and measures it through `wait4`, which reports the child's own resources.
fn measure(cmd: &mut Command) -> Sample {
    let started = Instant::now();
    // wait4 below reaps the child, which clippy cannot see.
    #[allow(clippy::zombie_processes)]
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the command");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; `pid` is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed"
    );
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Sample {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        max_rss_kb: usage.ru_maxrss,
    }
}

/// Files written under `dir`, HTML pages among them, their average and largest size, and
/// which page is the largest (its path under `dir`).
struct Output {
    files: usize,
    pages: usize,
    avg_page: u64,
    max_page: u64,
    largest: String,
}

fn survey(dir: &Path) -> Output {
    let mut out = Output {
        files: 0,
        pages: 0,
        avg_page: 0,
        max_page: 0,
        largest: String::new(),
    };
    let mut total = 0;
    for entry in walk(dir) {
        out.files += 1;
        if entry.extension().is_some_and(|e| e == "html") {
            let len = std::fs::metadata(&entry).map_or(0, |m| m.len());
            out.pages += 1;
            total += len;
            if len > out.max_page {
                out.max_page = len;
                let rel = entry.strip_prefix(dir).unwrap_or(&entry);
                out.largest = rel.to_string_lossy().into_owned();
            }
        }
    }
    out.avg_page = total / out.pages.max(1) as u64;
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 2], v[v.len() - 1])
}

/// Runs one tool `runs` times on a fresh output folder each time and prints its row; returns
/// the median wall time in seconds.
fn row(
    tool: &str,
    n: usize,
    runs: usize,
    mut command: impl FnMut(&Path) -> Command,
    scratch: &Path,
) -> f64 {
    let mut samples = Vec::new();
    let mut last_out = scratch.join("none");
    for i in 0..runs {
        let out = scratch.join(format!("{tool}-{n}-out-{i}"));
        samples.push(measure(&mut command(&out)));
        if i + 1 < runs {
            let _ = std::fs::remove_dir_all(&out);
        }
        last_out = out;
    }
    let o = survey(&last_out);
    let (lo, mid, hi) = median(samples.iter().map(|s| s.wall.as_secs_f64()).collect());
    let (_, cpu, _) = median(samples.iter().map(|s| s.cpu.as_secs_f64()).collect());
    let rss = samples.iter().map(|s| s.max_rss_kb).max().unwrap_or(0) as f64 / 1024.0;
    println!(
        "| {tool:<8} | {n:>6} | {mid:>7.3} s ({lo:.3}–{hi:.3}) | {cpu:>6.2} s | {rss:>7.1} MB | {:>6} | {:>6} | {:>6.1} KB | {:>6.1} KB | {} |",
        o.files,
        o.pages,
        o.avg_page as f64 / 1024.0,
        o.max_page as f64 / 1024.0,
        o.largest
    );
    if std::env::var_os("QINGLIAN_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&last_out);
    }
    mid
}

/// The search index of each synthetic site, built in process from the prepared site as a
/// server build publishes it (JSON data): time (median of 3, all threads) and its share of
/// the whole build's wall time (`build_secs`, by size), files, size, and the bytes each of
/// the measured queries loads in a browser, `search.js` included, with their median.
fn search_table(sizes: &[usize], scratch: &Path, build_secs: &[(usize, f64)]) {
    use qinglian::search::query::{MEASURED, bytes_per_query, median as median_bytes};
    let script = std::fs::metadata(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/static/search.js"
    ))
    .map_or(0, |m| m.len() as usize);
    let queries: String = MEASURED.iter().map(|q| format!(" {q} |")).collect();
    println!("\n| pages | index build | share of build | files | index size |{queries} median |");
    println!(
        "|------:|------------:|---------------:|------:|-----------:|{}-------:|",
        "-----:|".repeat(MEASURED.len())
    );
    for &n in sizes {
        let Some(p) = synth::prepare(&scratch.join(format!("site-{n}"))) else {
            println!("| {n} | (site did not prepare) |");
            continue;
        };
        let mut times = Vec::new();
        let mut files = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            files = synth::search_index(&p);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        let size: usize = files.iter().map(|(_, b)| b.len()).sum();
        let loads = bytes_per_query(&files, script, &MEASURED);
        let kb = |b: usize| format!(" {:.1} KB |", b as f64 / 1024.0);
        let ms = median(times).1;
        let share = build_secs
            .iter()
            .find(|(size, _)| *size == n)
            .map_or("–".to_owned(), |(_, s)| {
                format!("{:.0}%", ms / (s * 1000.0) * 100.0)
            });
        println!(
            "| {n} | {ms:.0} ms | {share} | {} | {:.1} MB |{}{}",
            files.len(),
            size as f64 / 1_048_576.0,
            loads.iter().map(|&b| kb(b)).collect::<String>(),
            kb(median_bytes(&loads)),
        );
    }
    println!(
        "(bytes a query loads: search.js ({script} B), meta, its term files and one file per result shown; the median of an even count is the greater middle one. Share: the index built alone, as a part of the whole build's median wall time)"
    );
}

/// `qinglian serve` on each synthetic site: the time from saving an edited case to the new
/// version reaching a showing page's reload event stream (debounce included), over 20 edits, and the server's memory after
/// the first edit and after 100.
fn serve_table(sizes: &[usize], scratch: &Path, bin: &str) {
    println!(
        "\n| pages | edit → reload: median (min–max) | memory after 1 edit | after 100 edits |"
    );
    println!("|------:|-------------------------------:|-------------------:|----------------:|");
    for &n in sizes {
        let site = scratch.join(format!("site-{n}"));
        let Some(case) = walk(&site.join("content/cases"))
            .into_iter()
            .find(|p| p.extension().is_some_and(|e| e == "md"))
        else {
            continue;
        };
        let mut child = Command::new(bin)
            .args([
                "serve",
                "--port",
                "0",
                "--now",
                "2026-11-23",
                "--lang",
                "en",
                "--root",
            ])
            .arg(&site)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start serve");
        let address = serve_address(child.stderr.take().expect("stderr"));
        assert!(!version(&address).is_empty(), "serve answers the benchmark");
        let original = std::fs::read_to_string(&case).expect("read the case");
        let mut times = Vec::new();
        let mut rss = Vec::new();
        for i in 0..100 {
            let before = version(&address);
            // The showing page's event stream, open before the save, as a page's would be.
            let mut events = reload_events(&address, &before);
            let started = Instant::now();
            std::fs::write(&case, format!("{original}\n第 {i} 次修改。\n")).expect("edit");
            let mut heard = String::new();
            while !heard.contains("data: ") {
                assert!(
                    started.elapsed() < Duration::from_secs(60),
                    "serve stopped answering"
                );
                heard.push_str(&read_some(&mut events));
            }
            if i < 20 {
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            // The search index follows the pages; the next save comes after it, as a
            // person's would.
            while !fetch(&address, "/__qinglian/settled").ends_with("true") {
                std::thread::sleep(Duration::from_millis(2));
            }
            if i == 0 || i == 99 {
                rss.push(rss_mb(child.id()));
            }
        }
        std::fs::write(&case, original).expect("restore");
        let _ = child.kill();
        let _ = child.wait();
        let (lo, mid, hi) = median(times);
        println!(
            "| {n} | {mid:.0} ms ({lo:.0}–{hi:.0}) | {:.0} MB | {:.0} MB |",
            rss[0], rss[1]
        );
    }
}

fn serve_address(stderr: std::process::ChildStderr) -> String {
    use std::io::BufRead;
    for line in std::io::BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
    {
        if let Some(rest) = line.strip_prefix("serving the site at http://") {
            return rest.split('/').next().unwrap_or_default().to_owned();
        }
    }
    panic!("serve printed no address");
}

/// A reload event stream for a page of version `seen`, its head and first comment read.
fn reload_events(address: &str, seen: &str) -> std::net::TcpStream {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(address).expect("connect to serve");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    write!(
        s,
        "GET /__qinglian/events?v={seen} HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .expect("ask for events");
    let mut heard = String::new();
    while !heard.contains("\n\n") {
        let more = read_some(&mut s);
        assert!(!more.is_empty(), "serve gave no event stream");
        heard.push_str(&more);
    }
    s
}

/// What the stream says next (empty when it ended).
fn read_some(s: &mut std::net::TcpStream) -> String {
    use std::io::Read;
    let mut buf = [0; 1024];
    let n = s.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

fn version(address: &str) -> String {
    fetch(address, "/__qinglian/version")
}

/// The body of `GET path` from the server at `address` (empty when it does not answer).
fn fetch(address: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(address) else {
        return String::new();
    };
    let _ = write!(s, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n");
    let mut all = String::new();
    let _ = s.read_to_string(&mut all);
    all.rsplit("\r\n\r\n").next().unwrap_or_default().to_owned()
}

/// Resident memory of a process, from /proc.
fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A commission's tree (`QINGLIAN_BENCH_UNITS` units, 200 unless set; 0 leaves it out) of
/// 50 own pages each over a shared layer of 500, built as a whole, beside one site of as many
/// pages as the tree's build writes (every unit publishes the shared pages as its own).
fn tree_table(runs: usize, scratch: &Path, bin: &str) {
    let units: usize = std::env::var("QINGLIAN_BENCH_UNITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    if units == 0 {
        return;
    }
    let tree = scratch.join(format!("tree-{units}"));
    synth::write_tree(&tree, 500, units, 50);
    let build = |root: PathBuf| {
        move |out: &Path| {
            let mut c = Command::new(bin);
            c.args(["build", "--now", "2026-11-23", "--root"])
                .arg(&root)
                .arg("--out")
                .arg(out);
            c
        }
    };
    let probe = scratch.join("tree-probe");
    measure(&mut build(tree.clone())(&probe));
    let pages = survey(&probe).pages;
    let _ = std::fs::remove_dir_all(&probe);
    println!(
        "\ncommission's tree: {units} units × 50 own pages over a shared layer of 500, and one site of as many pages ({pages}); target: the tree within 1.2× the site's time, under 250 MB\n"
    );
    println!(
        "| tool     |  pages |  wall: median (min–max) |    CPU |    peak RSS |  files |  pages |  avg page |  max page | largest page |"
    );
    println!(
        "|----------|-------:|------------------------:|-------:|------------:|-------:|-------:|----------:|----------:|--------------|"
    );
    let runs = runs.min(3);
    row("tree", units * 50 + 500, runs, build(tree.clone()), scratch);
    let site = scratch.join(format!("site-{pages}"));
    if !site.is_dir() {
        synth::write_qinglian(&site, pages);
    }
    row("one site", pages, runs, build(site), scratch);
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

fn main() {
    let runs: usize = std::env::var("QINGLIAN_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let sizes: Vec<usize> = std::env::var("QINGLIAN_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let scratch = base.join(format!("qinglian-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let bin = env!("CARGO_BIN_EXE_qinglian");
    let hugo = on_path("hugo");
    println!(
        "build benchmark on {} ({runs} runs each, output on {})\n",
        base.display(),
        base.display()
    );
    println!(
        "| tool     |  pages |  wall: median (min–max) |    CPU |    peak RSS |  files |  pages |  avg page |  max page | largest page |"
    );
    println!(
        "|----------|-------:|------------------------:|-------:|------------:|-------:|-------:|----------:|----------:|--------------|"
    );
    let mut build_secs = Vec::new();
    for &n in &sizes {
        let site = scratch.join(format!("site-{n}"));
        synth::write_qinglian(&site, n);
        let secs = row(
            "qinglian",
            n,
            runs,
            |out| {
                let mut c = Command::new(bin);
                c.args(["build", "--now", "2026-11-23", "--root"])
                    .arg(&site)
                    .arg("--out")
                    .arg(out);
                c
            },
            &scratch,
        );
        build_secs.push((n, secs));
        if hugo {
            let hsite = scratch.join(format!("hugo-{n}"));
            synth::write_hugo(&hsite, n);
            row(
                "hugo",
                n,
                runs,
                |out| {
                    let mut c = Command::new("hugo");
                    c.args(["--quiet", "--source"])
                        .arg(&hsite)
                        .arg("--destination")
                        .arg(out);
                    c
                },
                &scratch,
            );
        }
    }
    tree_table(runs, &scratch, bin);
    search_table(&sizes, &scratch, &build_secs);
    serve_table(&sizes, &scratch, bin);
    if std::env::var_os("QINGLIAN_BENCH_KEEP").is_some() {
        println!("\nkept {}", scratch.display());
    } else {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    if !hugo {
        println!("\n(hugo is not on the PATH: `apt-get install hugo` adds its column)");
    }
}
