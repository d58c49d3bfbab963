//! Measurements on a synthetic site of 10,000 pages of Chinese text (1–3 KB each), ignored by
//! default: `cargo test --release --lib search::measure -- --ignored --nocapture`.
//! Prints build time (all threads and one), index size, shard size distribution and the bytes
//! typical 2–4 character queries load.

use std::time::Instant;

use super::fixture::fixture;
use super::query::Reader;
use super::{SearchDoc, build, kinds};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Picks ranks with probability ∝ 1/(rank+1): the shape of word frequencies.
struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize) -> Zipf {
        let mut acc = 0.0;
        Zipf(
            (0..n)
                .map(|r| {
                    acc += 1.0 / (r as f64 + 1.0);
                    acc
                })
                .collect(),
        )
    }
    fn pick(&self, rng: &mut Rng) -> usize {
        let x = rng.unit() * self.0.last().copied().unwrap_or(1.0);
        self.0.partition_point(|&c| c < x).min(self.0.len() - 1)
    }
}

/// Text made of a 40,000-word vocabulary over ~3,800 characters (both Zipf-distributed) mixed
/// with phrases of the fixture pages, numbers, dates and a few Latin words.
struct Corpus {
    rng: Rng,
    words: Vec<String>,
    word_zipf: Zipf,
    phrases: Vec<String>,
}

impl Corpus {
    /// A corpus whose vocabulary has `vocabulary` words.
    fn new(vocabulary: usize) -> Corpus {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let f = fixture();
        let text: String = f.docs.iter().map(|d| d.body.as_str()).collect();
        let mut chars: Vec<char> = text
            .chars()
            .filter(|c| ('\u{4E00}'..='\u{9FA5}').contains(c))
            .collect();
        chars.sort_unstable();
        chars.dedup();
        while chars.len() < 3800 {
            chars.push(char::from_u32(0x4E00 + rng.below(0x51A6) as u32).unwrap_or('中'));
        }
        let char_zipf = Zipf::new(chars.len());
        let words = (0..vocabulary)
            .map(|_| {
                let len = [2, 2, 2, 3, 3, 4][rng.below(6)];
                (0..len).map(|_| chars[char_zipf.pick(&mut rng)]).collect()
            })
            .collect();
        let phrases = text
            .split(['，', '。', '；', '、', '：', '“', '”', '（', '）', ' '])
            .filter(|p| p.chars().count() >= 2)
            .map(str::to_owned)
            .collect();
        Corpus {
            rng,
            words,
            word_zipf: Zipf::new(vocabulary),
            phrases,
        }
    }

    fn token(&mut self) -> String {
        let r = &mut self.rng;
        match r.below(100) {
            0..=89 => self.words[self.word_zipf.pick(r)].clone(),
            90..=93 => self.phrases[r.below(self.phrases.len())].clone(),
            94..=95 => format!(
                "{}年{}月{}日",
                2015 + r.below(11),
                1 + r.below(12),
                1 + r.below(28)
            ),
            96..=98 => format!("{}", r.below(100_000)),
            _ => ["DRG", "CT", "ICU", "DIP", "HIS"][r.below(5)].to_owned(),
        }
    }

    fn sentence(&mut self) -> String {
        let n = 4 + self.rng.below(10);
        let mut s = String::new();
        for i in 0..n {
            s.push_str(&self.token());
            if i + 1 < n && self.rng.below(4) == 0 {
                s.push('，');
            }
        }
        s.push('。');
        s
    }

    fn doc(&mut self, i: usize) -> SearchDoc {
        let all: Vec<&str> = kinds().collect();
        let kind = all[self.rng.below(all.len())];
        let target = 1000 + self.rng.below(2000);
        let mut body = String::new();
        while body.len() < target {
            body.push_str(&self.sentence());
        }
        let title: String = (0..2 + self.rng.below(4)).map(|_| self.token()).collect();
        let headings = (0..self.rng.below(5))
            .map(|_| (0..2 + self.rng.below(2)).map(|_| self.token()).collect())
            .collect();
        SearchDoc {
            url: format!("/{kind}/{i}/"),
            kind: kind.into(),
            title,
            headings,
            body,
            date: Some(format!("20{:02}-0{}-1{}", 15 + i % 11, 1 + i % 9, i % 10)),
        }
    }
}

fn percentile(sorted: &[usize], p: f64) -> usize {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(0)
}

fn distribution(mut sizes: Vec<usize>) -> String {
    sizes.sort_unstable();
    format!(
        "n={} median={} p90={} p99={} max={}",
        sizes.len(),
        percentile(&sizes, 0.5),
        percentile(&sizes, 0.9),
        percentile(&sizes, 0.99),
        sizes.last().copied().unwrap_or(0)
    )
}

fn best_of(runs: usize, f: impl Fn()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .fold(f64::MAX, f64::min)
}

#[test]
#[ignore]
fn measure_10k() {
    measure(40_000);
}

/// The same with five times the vocabulary: more distinct terms, shorter lists.
#[test]
#[ignore]
fn measure_10k_large_vocabulary() {
    measure(200_000);
}

fn measure(vocabulary: usize) {
    let mut corpus = Corpus::new(vocabulary);
    let docs: Vec<SearchDoc> = (0..10_000).map(|i| corpus.doc(i)).collect();
    let text: usize = docs.iter().map(|d| d.body.len() + d.title.len()).sum();
    println!(
        "corpus: {} docs, {:.1} MB of text, {vocabulary} words",
        docs.len(),
        text as f64 / 1e6
    );
    let all = best_of(5, || drop(build(&docs)));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = pool.install(|| best_of(3, || drop(build(&docs))));
    let cpu = process_cpu_ms(|| {
        for _ in 0..10 {
            drop(build(&docs));
        }
    }) / 10.0;
    println!(
        "build: {all:.1} ms on {} threads (best of 5; {cpu:.0} ms of CPU each over all threads, idle spinning included), {one:.1} ms on one",
        rayon::current_num_threads()
    );
    phases(&docs);
    let idx = build(&docs);
    let s = idx.stats();
    println!(
        "index: {:.2} MB in {} files; {} postings, {} distinct terms, {} term shards",
        s.bytes as f64 / 1e6,
        idx.files().len(),
        s.postings,
        distinct_terms(&idx),
        s.term_shards
    );
    let sizes = |keep: &dyn Fn(&str) -> bool| -> Vec<usize> {
        idx.files()
            .iter()
            .filter(|(p, _)| keep(p))
            .map(|(_, b)| b.len())
            .collect()
    };
    let shards = sizes(&|p| p.starts_with("search/t/") && !p.contains('_'));
    let own = sizes(&|p| p.contains('_'));
    let total = |v: &[usize]| v.iter().sum::<usize>() as f64 / 1e6;
    println!(
        "term shards: {} (total {:.2} MB)",
        distribution(shards.clone()),
        total(&shards)
    );
    println!(
        "long lists, own files: {} (total {:.2} MB)",
        distribution(own.clone()),
        total(&own)
    );
    println!(
        "doc files: {}",
        distribution(sizes(&|p| p.starts_with("search/d/")))
    );
    measure_queries(&idx, &docs);
}

/// Terms in all shards.
fn distinct_terms(idx: &super::SearchIndex) -> usize {
    idx.files()
        .iter()
        .filter(|(p, _)| p.starts_with("search/t/") && !p.contains('_'))
        .filter_map(|(_, b)| {
            let (_, json) = super::shard::unwrap(b)?;
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json).ok()
        })
        .map(|m| m.len())
        .sum()
}

/// Bytes loaded by 300 queries cut from the pages' own text (2–4 CJK characters), and by a
/// few common words.
fn measure_queries(idx: &super::SearchIndex, docs: &[SearchDoc]) {
    let r = Reader::open(idx.files()).unwrap();
    let mut rng = Rng(7);
    let mut bytes = Vec::new();
    let mut hits = Vec::new();
    while bytes.len() < 300 {
        let d = &docs[rng.below(docs.len())];
        let chars: Vec<char> = d.body.chars().collect();
        let len = 2 + rng.below(3);
        let at = rng.below(chars.len().saturating_sub(len));
        let q: String = chars[at..at + len].iter().collect();
        if !q.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
            continue;
        }
        let t = Instant::now();
        let res = r.search(&q, None);
        let _ = t.elapsed();
        bytes.push(res.bytes);
        hits.push(res.hits.len());
    }
    println!("2–4 char queries, bytes loaded: {}", distribution(bytes));
    println!("2–4 char queries, matches: {}", distribution(hits));
    for q in [
        "红包",
        "回扣",
        "医院",
        "举报电话",
        "九项准则",
        "的",
        "DRG",
        "2024",
    ] {
        let res = r.search(q, None);
        println!("  {q}: {} matches, {} bytes", res.hits.len(), res.bytes);
    }
}

/// The documents the index takes, in its order.
fn selected(docs: &[SearchDoc]) -> Vec<SearchDoc> {
    let briefs: Vec<super::Brief> = docs.iter().map(super::Brief::of).collect();
    let (selected, _) = super::select(&briefs);
    selected.iter().map(|s| docs[s.at].clone()).collect()
}

/// The document files of `docs`, in order.
fn doc_files(docs: &[SearchDoc]) -> (Vec<(String, Vec<u8>)>, crate::error::Result<()>) {
    let cows: Vec<std::borrow::Cow<SearchDoc>> =
        docs.iter().map(std::borrow::Cow::Borrowed).collect();
    super::collecting(|e| super::doc_files(0, &cows, e))
}

/// Time of each stage of the build, to see where it goes.
fn phases(docs: &[SearchDoc]) {
    use super::index;
    let t = Instant::now();
    let owned = selected(docs);
    let select = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let inv = index::invert(&owned);
    let invert = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let (files, _) =
        super::collecting(|e| super::terms::term_files(inv, super::TARGET_SHARD_BYTES, e));
    let terms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let (d, _) = doc_files(&owned);
    let doc_files = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "phases: select {select:.1} ms, invert {invert:.1} ms, term files {terms:.1} ms ({} shards), doc files {doc_files:.1} ms ({})",
        files.len(),
        d.len()
    );
}

/// Milliseconds of CPU the whole process spends in `f` (user and system, all threads; the
/// kernel counts in ticks of 10 ms, so run `f` long enough).
fn process_cpu_ms(f: impl FnOnce()) -> f64 {
    let ticks = || -> u64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        // `after` starts at field 3 (the state); utime and stime are fields 14 and 15.
        let fields: Vec<&str> = after.split_whitespace().collect();
        let field = |n: usize| {
            fields
                .get(n - 3)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        field(14) + field(15)
    };
    let before = ticks();
    f();
    (ticks() - before) as f64 * 10.0
}

/// Nanoseconds this thread has run on a CPU (not waiting for one): timings that hold up on a
/// machine shared with others.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The stages of one build on one thread, in CPU milliseconds.
fn stages(docs: &[SearchDoc]) -> [f64; 5] {
    use super::index;
    let mut marks = [0u64; 6];
    marks[0] = thread_cpu_ns();
    let owned = selected(docs);
    marks[1] = thread_cpu_ns();
    let inv = index::invert(&owned);
    marks[2] = thread_cpu_ns();
    let (files, _) =
        super::collecting(|e| super::terms::term_files(inv, super::TARGET_SHARD_BYTES, e));
    marks[3] = thread_cpu_ns();
    let (d, _) = doc_files(&owned);
    marks[4] = thread_cpu_ns();
    drop((files, d));
    marks[5] = thread_cpu_ns();
    std::array::from_fn(|i| (marks[i + 1] - marks[i]) as f64 / 1e6)
}

/// Builds the synthetic site's index ten times on one thread (for a profiler too) and prints
/// the best CPU time of each stage.
#[test]
#[ignore]
fn profile_build() {
    let mut corpus = Corpus::new(40_000);
    let docs: Vec<SearchDoc> = (0..10_000).map(|i| corpus.doc(i)).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let best = pool.install(|| {
        (0..10).map(|_| stages(&docs)).fold([f64::MAX; 5], |a, b| {
            std::array::from_fn(|i| a[i].min(b[i]))
        })
    });
    let total = pool.install(|| {
        (0..5)
            .map(|_| {
                let t = thread_cpu_ns();
                drop(build(&docs));
                (thread_cpu_ns() - t) as f64 / 1e6
            })
            .fold(f64::MAX, f64::min)
    });
    println!(
        "one thread, CPU ms (best of 10): select {:.1}, invert {:.1}, term files {:.1}, doc files {:.1}, free {:.1}; whole build {total:.1}",
        best[0], best[1], best[2], best[3], best[4]
    );
}

/// Peak memory of a build: run alone (`--exact`), as the figure is the process's high-water mark.
#[test]
#[ignore]
fn peak_memory() {
    let status = |key: &str| -> u64 {
        let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        s.lines()
            .find_map(|l| {
                l.strip_prefix(key)?
                    .trim()
                    .strip_suffix(" kB")?
                    .trim()
                    .parse()
                    .ok()
            })
            .unwrap_or(0)
    };
    let mut corpus = Corpus::new(40_000);
    let docs: Vec<SearchDoc> = (0..10_000).map(|i| corpus.doc(i)).collect();
    let before = status("VmHWM:");
    let idx = build(&docs);
    let after = status("VmHWM:");
    println!(
        "peak memory: {} MB with the corpus, {} MB more for the build ({:.1} MB of files)",
        before / 1024,
        after.saturating_sub(before) / 1024,
        idx.stats().bytes as f64 / 1e6
    );
}

/// The bytes each measured query loads on a site already built into the folder
/// `QINGLIAN_SEARCH_OUT` (its `static/search.js` included), and what they are made of:
/// `QINGLIAN_SEARCH_OUT=public cargo test --lib search::measure::built_site -- --ignored --nocapture`.
#[test]
#[ignore]
fn built_site() {
    let Some(out) = std::env::var_os("QINGLIAN_SEARCH_OUT") else {
        return println!("set QINGLIAN_SEARCH_OUT to a built site's folder");
    };
    let out = std::path::Path::new(&out);
    let mut files = Vec::new();
    let mut stack = vec![out.join("search")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(out).unwrap().to_str().unwrap();
                files.push((rel.replace('\\', "/"), std::fs::read(&p).unwrap()));
            }
        }
    }
    let script = std::fs::metadata(out.join("static/search.js")).map_or(0, |m| m.len() as usize);
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!(
        "index: {} files, {:.2} MB; search.js {script} B",
        files.len(),
        total as f64 / 1e6
    );
    let size = |f: &str| {
        files
            .iter()
            .find(|(p, _)| p == f)
            .map_or(0, |(_, b)| b.len())
    };
    let r = Reader::open(&files).unwrap();
    for q in super::query::MEASURED {
        let res = r.search(q, None);
        let of = |dir: &str| -> usize {
            let loaded = res.files.iter().filter(|f| f.starts_with(dir));
            loaded.map(|f| size(f)).sum()
        };
        println!(
            "  {q}: {} matches, {} B with search.js (terms {} B, documents {} B)",
            res.hits.len(),
            res.bytes + script,
            of("search/t/"),
            of("search/d/")
        );
    }
    let loads = super::query::bytes_per_query(&files, script, &super::query::MEASURED);
    println!("median: {} B", super::query::median(&loads));
}
