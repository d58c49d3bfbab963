//! The build benchmark: generates synthetic sites of 1,000, 10,000 and 100,000 pages on tmpfs
//! and times `qinglian build` (beside the floor of any build of those pages, `floor.rs`, and
//! Hugo and Zola on the same content when they are on the PATH) as whole processes, in rounds
//! that take every command once (see [`rows`]): wall time over several runs, CPU time, peak
//! memory, files written, page sizes and the largest page (its path and size: no page should
//! grow with the site); then the search index, a commission's tree and `serve`, and last every
//! target of the scale work, met or not.
//!
//! `cargo bench --bench build` (set `QINGLIAN_BENCH_RUNS` for more or fewer runs than five,
//! `QINGLIAN_BENCH_SIZES` such as `1000,10000` for other sizes, `QINGLIAN_BENCH_TABLES` such
//! as `build,search` for some of the tables (`build`, `tree`, `search`, `serve`),
//! `QINGLIAN_BENCH_KEEP=1` to keep the output).
//! Generated sites are kept in `qinglian-bench-sites` on tmpfs between runs (the 100,000-page
//! site takes about a minute to write) and written again when the generator changes.

mod floor;
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

/// What one tool's row measured: median wall time in seconds, the most memory a run took,
/// and the largest page.
#[derive(Clone, Copy, Default)]
struct Measured {
    wall: f64,
    rss_mb: f64,
    max_page_kb: f64,
}

/// A command to time: the tool, the pages it builds, and how to run it into an output folder.
struct Planned<'a> {
    tool: &'a str,
    n: usize,
    command: Box<dyn Fn(&Path) -> Command + 'a>,
}

impl<'a> Planned<'a> {
    fn new(tool: &'a str, n: usize, command: impl Fn(&Path) -> Command + 'a) -> Self {
        Planned {
            tool,
            n,
            command: Box::new(command),
        }
    }
}

/// Runs every planned command once a round for `runs` rounds, each time on a fresh output
/// folder, then prints their rows in the order given. The rounds interleave the rows: this
/// machine's speed drifts by 10–25% over minutes, and a row timed in one stretch and the next
/// row in another would carry that drift into the ratios the targets compare (the 100k build
/// against the 10k one, ours against Zola's); interleaved, each row samples every stretch.
fn rows(planned: &[Planned], runs: usize, scratch: &Path) -> Vec<Measured> {
    let mut samples: Vec<Vec<Sample>> = planned.iter().map(|_| Vec::new()).collect();
    let mut outputs: Vec<Option<Output>> = planned.iter().map(|_| None).collect();
    let keep = std::env::var_os("QINGLIAN_BENCH_KEEP").is_some();
    for round in 0..runs {
        let last = round + 1 == runs;
        for (i, p) in planned.iter().enumerate() {
            let out = scratch.join(format!("{}-{}-out", p.tool.replace(' ', "-"), p.n));
            samples[i].push(measure(&mut (p.command)(&out)));
            if last {
                outputs[i] = Some(survey(&out));
            }
            if !(last && keep) {
                let _ = std::fs::remove_dir_all(&out);
            }
        }
    }
    (planned.iter().zip(samples).zip(outputs))
        .map(|((p, samples), output)| row(p, &samples, &output.expect("a last round")))
        .collect()
}

/// Prints one planned command's row from its samples and its last output.
fn row(p: &Planned, samples: &[Sample], o: &Output) -> Measured {
    let (lo, mid, hi) = median(samples.iter().map(|s| s.wall.as_secs_f64()).collect());
    let (_, cpu, _) = median(samples.iter().map(|s| s.cpu.as_secs_f64()).collect());
    let rss = samples.iter().map(|s| s.max_rss_kb).max().unwrap_or(0) as f64 / 1024.0;
    let (tool, n) = (p.tool, p.n);
    println!(
        "| {tool:<8} | {n:>6} | {mid:>7.3} s ({lo:.3}–{hi:.3}) | {cpu:>6.2} s | {rss:>7.1} MB | {:>6} | {:>6} | {:>6.1} KB | {:>6.1} KB | {} |",
        o.files,
        o.pages,
        o.avg_page as f64 / 1024.0,
        o.max_page as f64 / 1024.0,
        o.largest
    );
    Measured {
        wall: mid,
        rss_mb: rss,
        max_page_kb: o.max_page as f64 / 1024.0,
    }
}

/// The search index of each synthetic site, built in process from the prepared site as a
/// server build publishes it (JSON data): time (median of 3, all threads) and its share of
/// the whole build's wall time (`build_secs`, by size), files, size, and the bytes each of
/// the measured queries loads in a browser, `search.js` included, with their median; returns
/// that median by size.
fn search_table(sizes: &[usize], sites: &Path, build_secs: &[(usize, f64)]) -> Vec<(usize, usize)> {
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
    let mut medians = Vec::new();
    for &n in sizes {
        let Some(p) = synth::prepare(&sites.join(format!("site-{n}"))) else {
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
        medians.push((n, median_bytes(&loads)));
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
    medians
}

/// `qinglian serve` on each synthetic site: the time from saving an edited case to the new
/// version reaching a showing page's reload event stream (debounce included), over 20 edits, and the server's memory after
/// the first edit and after 100; returns them by size (median ms, MB after 1 and after 100).
fn serve_table(sizes: &[usize], sites: &Path, bin: &str) -> Vec<(usize, f64, f64, f64)> {
    println!(
        "\n| pages | edit → reload: median (min–max) | memory after 1 edit | after 100 edits |"
    );
    println!("|------:|-------------------------------:|-------------------:|----------------:|");
    let mut measured = Vec::new();
    for &n in sizes {
        let site = sites.join(format!("site-{n}"));
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
        measured.push((n, mid, rss[0], rss[1]));
    }
    measured
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
/// pages as the tree's build writes (every unit publishes the shared pages as its own);
/// returns both rows' figures.
fn tree_table(
    runs: usize,
    sites: &Path,
    scratch: &Path,
    bin: &str,
) -> Option<(Measured, Measured)> {
    let units: usize = std::env::var("QINGLIAN_BENCH_UNITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    if units == 0 {
        return None;
    }
    let tree = kept(sites, &format!("tree-{units}"), |r| {
        synth::write_tree(r, 500, units, 50)
    });
    let build = |root: PathBuf| our_build(bin, root);
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
    let site = kept(sites, &format!("site-{pages}"), |r| {
        synth::write_qinglian(r, pages)
    });
    let planned = [
        Planned::new("tree", units * 50 + 500, build(tree)),
        Planned::new("one site", pages, build(site)),
    ];
    match rows(&planned, runs.min(3), scratch)[..] {
        [whole, site] => Some((whole, site)),
        _ => None,
    }
}

/// A generated site kept under `sites` as `name`, written by `write` unless a copy made by
/// this version of the generator is there already.
fn kept(sites: &Path, name: &str, write: impl FnOnce(&Path)) -> PathBuf {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let dir = sites.join(name);
    let mut h = DefaultHasher::new();
    include_str!("synth/mod.rs").hash(&mut h);
    let stamp = format!("{:x}", h.finish());
    let stamp_file = dir.join(".generated-by");
    if std::fs::read_to_string(&stamp_file).is_ok_and(|s| s == stamp) {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    write(&dir);
    std::fs::write(&stamp_file, stamp).expect("stamp the generated site");
    dir
}

/// Says what else is in `base` (tmpfs) besides the generated sites and this run's scratch
/// folder. Every file there keeps an entry in the kernel's cache of names, and every file a
/// build creates looks its name up among them: with 1.2 million files left in /dev/shm, that
/// lookup took 5.3% of our 10k build's samples, against 3.4% without them (we write more
/// files than Hugo or Zola, so it costs us the most).
fn warn_of_others(base: &Path, sites: &Path) {
    let ours = |p: &Path| {
        p == sites
            || p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("qinglian-bench-"))
    };
    let others: Vec<String> = (std::fs::read_dir(base).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| !ours(p))
        .map(|p| p.display().to_string())
        .collect();
    if !others.is_empty() {
        println!(
            "note: {} also holds {}: files left there slow the creation of every file a build writes; delete what you do not need for steadier figures\n",
            base.display(),
            others.join(", ")
        );
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// One tool's rows by size.
type BySize = Vec<(usize, Measured)>;

/// The row of `rows` at `n` pages, if it was measured.
fn at(rows: &[(usize, Measured)], n: usize) -> Option<Measured> {
    rows.iter().find(|(k, _)| *k == n).map(|r| r.1)
}

/// The targets of the scale work, each with what this run measured and whether it is met.
#[derive(Default)]
struct Targets(Vec<(String, String, bool)>);

impl Targets {
    fn check(&mut self, target: &str, measured: String, met: bool) {
        self.0.push((target.to_owned(), measured, met));
    }

    fn print(&self) {
        println!("\n| target | measured | met |");
        println!("|--------|----------|-----|");
        for (target, measured, met) in &self.0 {
            let met = if *met { "yes" } else { "**no**" };
            println!("| {target} | {measured} | {met} |");
        }
    }

    /// The build rows' targets: no page over 300 KB at any size, 100k within 11× the 10k
    /// time and under 600 MB, 10k at 0.15× Zola's time and under 80 MB.
    fn of_builds(&mut self, ours: &[(usize, Measured)], zola: &[(usize, Measured)]) {
        for (n, m) in ours {
            let kb = m.max_page_kb;
            self.check(
                &format!("{n} pages: largest page ≤ 300 KB"),
                format!("{kb:.1} KB"),
                kb <= 300.0,
            );
        }
        if let (Some(small), Some(big)) = (at(ours, 10_000), at(ours, 100_000)) {
            let x = big.wall / small.wall;
            self.check(
                "100k build ≤ 11× the 10k build",
                format!("{x:.1}× ({:.2} s / {:.3} s)", big.wall, small.wall),
                x <= 11.0,
            );
            self.check(
                "100k build under 600 MB",
                format!("{:.0} MB", big.rss_mb),
                big.rss_mb < 600.0,
            );
        }
        if let Some(small) = at(ours, 10_000) {
            self.check(
                "10k build under 80 MB",
                format!("{:.1} MB", small.rss_mb),
                small.rss_mb < 80.0,
            );
            match at(zola, 10_000) {
                Some(z) => {
                    let x = small.wall / z.wall;
                    self.check(
                        "10k build ≤ 0.15× Zola's time",
                        format!("{x:.2}× ({:.3} s / {:.3} s)", small.wall, z.wall),
                        x <= 0.15,
                    );
                }
                None => self.check(
                    "10k build ≤ 0.15× Zola's time",
                    "zola is not on the PATH".into(),
                    false,
                ),
            }
        }
    }

    /// Query bytes: at most 40 KB at 10k pages and 60 KB at 100k.
    fn of_search(&mut self, medians: &[(usize, usize)]) {
        for &(n, bytes) in medians {
            let limit = match n {
                10_000 => 40.0,
                100_000 => 60.0,
                _ => continue,
            };
            let kb = bytes as f64 / 1024.0;
            self.check(
                &format!("{n} pages: a query loads ≤ {limit} KB (median)"),
                format!("{kb:.1} KB"),
                kb <= limit,
            );
        }
    }

    /// Serve: a save reaches the page within 100 ms at 10k and 300 ms at 100k, and memory
    /// after 100 saves stays within a tenth of that after the first.
    fn of_serve(&mut self, rows: &[(usize, f64, f64, f64)]) {
        for &(n, ms, first, hundredth) in rows {
            let limit = match n {
                10_000 => 100.0,
                100_000 => 300.0,
                _ => continue,
            };
            self.check(
                &format!("serve at {n}: edit → reload < {limit} ms"),
                format!("{ms:.0} ms"),
                ms < limit,
            );
            self.check(
                &format!("serve at {n}: memory flat over 100 saves"),
                format!("{first:.0} → {hundredth:.0} MB"),
                hundredth <= first * 1.1,
            );
        }
    }

    /// A commission's tree: within 1.2× one site of as many pages, under 250 MB.
    fn of_tree(&mut self, tree: Option<(Measured, Measured)>) {
        let Some((tree, site)) = tree else { return };
        let x = tree.wall / site.wall;
        self.check(
            "tree ≤ 1.2× one site of as many pages",
            format!("{x:.2}×"),
            x <= 1.2,
        );
        self.check(
            "tree under 250 MB",
            format!("{:.1} MB", tree.rss_mb),
            tree.rss_mb < 250.0,
        );
    }
}

/// How to run `qinglian build` of the site at `root` into an output folder.
fn our_build(bin: &str, root: PathBuf) -> impl Fn(&Path) -> Command + '_ {
    move |out| {
        let mut c = Command::new(bin);
        c.args(["build", "--now", "2026-11-23", "--root"])
            .arg(&root)
            .arg("--out")
            .arg(out);
        c
    }
}

/// The build rows' commands at every size: ours, the floor, then Hugo and Zola where they
/// are on the PATH (each site generated first, if it is not kept already).
fn plan_builds<'a>(sizes: &[usize], sites: &Path, bin: &'a str) -> Vec<Planned<'a>> {
    let (hugo, zola) = (on_path("hugo"), on_path("zola"));
    let mut planned = Vec::new();
    for &n in sizes {
        let site = kept(sites, &format!("site-{n}"), |r| synth::write_qinglian(r, n));
        let floor_site = site.clone();
        planned.push(Planned::new("qinglian", n, our_build(bin, site)));
        planned.push(Planned::new("floor", n, move |out| {
            let mut c = Command::new(std::env::current_exe().expect("the benchmark's path"));
            c.env(floor::MODE, "1").arg(&floor_site).arg(out);
            c
        }));
        if hugo {
            let hsite = kept(sites, &format!("hugo-{n}"), |r| synth::write_hugo(r, n));
            planned.push(Planned::new("hugo", n, move |out| {
                let mut c = Command::new("hugo");
                c.args(["--quiet", "--source"])
                    .arg(&hsite)
                    .arg("--destination")
                    .arg(out);
                c
            }));
        }
        if zola {
            let zsite = kept(sites, &format!("zola-{n}"), |r| synth::write_zola(r, n));
            planned.push(Planned::new("zola", n, move |out| {
                let mut c = Command::new("zola");
                c.arg("--root")
                    .arg(&zsite)
                    .args(["build", "--force", "--output-dir"])
                    .arg(out);
                c
            }));
        }
    }
    planned
}

/// The build rows: ours, then Hugo's and Zola's on the same content where they are on the
/// PATH, at every size, timed in interleaved rounds; returns ours and Zola's figures by size.
fn build_table(
    sizes: &[usize],
    runs: usize,
    sites: &Path,
    scratch: &Path,
    bin: &str,
) -> (BySize, BySize) {
    println!(
        "| tool     |  pages |  wall: median (min–max) |    CPU |    peak RSS |  files |  pages |  avg page |  max page | largest page |"
    );
    println!(
        "|----------|-------:|------------------------:|-------:|------------:|-------:|-------:|----------:|----------:|--------------|"
    );
    let planned = plan_builds(sizes, sites, bin);
    let measured = rows(&planned, runs, scratch);
    let of = |tool: &str| -> BySize {
        (planned.iter().zip(&measured))
            .filter(|(p, _)| p.tool == tool)
            .map(|(p, m)| (p.n, *m))
            .collect()
    };
    let (ours, floor, zola) = (of("qinglian"), of("floor"), of("zola"));
    print_floor_multiples(&floor, &ours, &zola);
    (ours, zola)
}

/// Prints each build's time as a multiple of the floor's, at every size.
fn print_floor_multiples(floor: &[(usize, Measured)], ours: &BySize, zola: &BySize) {
    let sizes: Vec<String> = (floor.iter())
        .map(|&(n, f)| {
            let of_tools =
                [("ours", ours), ("Zola", zola)]
                    .into_iter()
                    .filter_map(|(tool, rows)| {
                        Some(format!("{tool} {:.1}×", at(rows, n)?.wall / f.wall))
                    });
            format!("at {n} pages {}", of_tools.collect::<Vec<_>>().join(", "))
        })
        .collect();
    println!(
        "\n(floor: every page's Markdown read, rendered and written, nothing else (benches/floor.rs); each build's time as a multiple of the floor's: {})",
        sizes.join("; ")
    );
}

/// Whether `QINGLIAN_BENCH_TABLES` (such as `build,serve`; every table when unset) asks for
/// the table `name` (the build table is always made: the others use its sites).
fn table(name: &str) -> bool {
    std::env::var("QINGLIAN_BENCH_TABLES").map_or(true, |t| t.split(',').any(|t| t.trim() == name))
}

fn main() {
    if std::env::var_os(floor::MODE).is_some() {
        let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
        let [root, out] = &args[..] else {
            panic!("{} needs a site and an output folder", floor::MODE);
        };
        return floor::build(root, out);
    }
    let runs: usize = std::env::var("QINGLIAN_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let sizes: Vec<usize> = std::env::var("QINGLIAN_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let sites = base.join("qinglian-bench-sites");
    let scratch = base.join(format!("qinglian-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let bin = env!("CARGO_BIN_EXE_qinglian");
    println!(
        "build benchmark on {} ({runs} runs each, output on {})\n",
        base.display(),
        base.display()
    );
    warn_of_others(&base, &sites);
    let mut targets = Targets::default();
    let (ours, zola) = build_table(&sizes, runs, &sites, &scratch, bin);
    targets.of_builds(&ours, &zola);
    if table("tree") {
        targets.of_tree(tree_table(runs, &sites, &scratch, bin));
    }
    if table("search") {
        let build_secs: Vec<(usize, f64)> = ours.iter().map(|(n, m)| (*n, m.wall)).collect();
        targets.of_search(&search_table(&sizes, &sites, &build_secs));
    }
    if table("serve") {
        targets.of_serve(&serve_table(&sizes, &sites, bin));
    }
    targets.print();
    if std::env::var_os("QINGLIAN_BENCH_KEEP").is_some() {
        println!("\nkept {}", scratch.display());
    } else {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    println!(
        "\ngenerated sites are kept in {} (delete it to free the memory)",
        sites.display()
    );
    for (tool, how) in [
        ("hugo", "`apt-get install hugo`"),
        (
            "zola",
            "Zola 0.22 (`cargo install --locked zola` or a release binary)",
        ),
    ] {
        if !on_path(tool) {
            println!("({tool} is not on the PATH: {how} adds its column)");
        }
    }
}
