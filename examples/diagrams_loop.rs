//! Renders both diagrams of the benchmark's maps in a loop, for a profiler:
//! `cargo build --release --example diagrams_loop`, then
//! `perf record target/release/examples/diagrams_loop typical 20000`
//! (cases: typical, varied, dense, compared, chinese; `typical:layout` or
//! `typical:write` loops over one step only).
//! `phases N ROUNDS` prints each step's thread CPU time (the fastest of
//! ROUNDS batches of N) for every case; `dump DIR` writes the SVGs.

#[path = "../tests/fixtures/diagrams/maps.rs"]
mod maps;

use cxbook::config::Language;
use cxbook::diagrams;
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let case = args.first().map_or("typical", String::as_str);
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let typical = maps::typical(30);
    let varied = maps::varied(30);
    let rich = maps::rich(30);
    let future = maps::future(30);
    let zh = {
        let mut m = maps::rich(30);
        for t in m.stages.iter_mut().flat_map(|s| s.touchpoints.iter_mut()) {
            t.action =
                Some("滑手機時看到朋友的貼文，點進去看了一下首頁，發現第一次下單有折扣。".into());
            t.thought = Some("「看起來很新鮮，可是會不會很貴？」".into());
        }
        m
    };
    let cases: [(
        &str,
        &cxbook::model::Map,
        Option<&cxbook::model::Map>,
        Language,
    ); 5] = [
        ("typical", &typical, None, Language::En),
        ("varied", &varied, None, Language::En),
        ("dense", &rich, None, Language::En),
        ("compared", &rich, Some(&future), Language::En),
        ("chinese", &zh, None, Language::ZhHant),
    ];
    if case == "dump" {
        let dir = std::path::PathBuf::from(args.get(1).map_or("/tmp/dl", String::as_str));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, m, c, lang) in cases {
            let l = diagrams::swimlane::layout(m, lang);
            eprintln!(
                "{name}: {} lines, {} text bytes, {} shapes, desc {}",
                l.lines.len(),
                l.lines.iter().map(|t| t.text.len()).sum::<usize>(),
                l.shapes.len(),
                l.desc.len()
            );
            let s = diagrams::swimlane(m, lang);
            let e = diagrams::emotion(m, c, lang);
            println!(
                "{name}: swimlane {} bytes (capacity {}), emotion {} bytes (capacity {})",
                s.len(),
                s.capacity(),
                e.len(),
                e.capacity()
            );
            std::fs::write(dir.join(format!("{name}-swimlane.svg")), s).unwrap();
            std::fs::write(dir.join(format!("{name}-emotion.svg")), e).unwrap();
        }
        return;
    }
    if case == "phases" {
        // `phases N ROUNDS`: the fastest of ROUNDS batches of N renders,
        // per phase (thread CPU time).
        let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
        for (name, m, c, lang) in cases {
            let t = |f: &mut dyn FnMut()| {
                (0..rounds)
                    .map(|_| {
                        let a = cpu_ns();
                        for _ in 0..n {
                            f();
                        }
                        (cpu_ns() - a) as f64 / n as f64 / 1000.0
                    })
                    .fold(f64::INFINITY, f64::min)
            };
            let sl = t(&mut || {
                black_box(diagrams::swimlane::layout(black_box(m), lang));
            });
            let lay = diagrams::swimlane::layout(m, lang);
            let sw = t(&mut || {
                black_box(diagrams::swimlane::write(black_box(&lay)));
            });
            let el = t(&mut || {
                black_box(diagrams::emotion::layout(black_box(m), c, lang));
            });
            let lay = diagrams::emotion::layout(m, c, lang);
            let ew = t(&mut || {
                black_box(diagrams::emotion::write(black_box(&lay)));
            });
            let both = t(&mut || {
                black_box(diagrams::swimlane(black_box(m), lang));
                black_box(diagrams::emotion(black_box(m), c, lang));
            });
            println!(
                "{name:9} swimlane layout {sl:5.1} write {sw:5.1} | emotion layout {el:5.1} write {ew:5.1} | both {both:6.1} µs"
            );
        }
        return;
    }
    let (case, part) = case.split_once(':').unwrap_or((case, "both"));
    let (_, m, c, lang) = cases
        .into_iter()
        .find(|k| k.0 == case)
        .expect("typical, varied, dense, compared, chinese, phases or dump");
    match part {
        "layout" => {
            for _ in 0..n {
                black_box(diagrams::swimlane::layout(black_box(m), lang));
                black_box(diagrams::emotion::layout(black_box(m), c, lang));
            }
            return;
        }
        "write" => {
            let s = diagrams::swimlane::layout(m, lang);
            let e = diagrams::emotion::layout(m, c, lang);
            for _ in 0..n {
                black_box(diagrams::swimlane::write(black_box(&s)));
                black_box(diagrams::emotion::write(black_box(&e)));
            }
            return;
        }
        _ => {}
    }
    for _ in 0..n {
        black_box(diagrams::swimlane(black_box(m), lang));
        black_box(diagrams::emotion(black_box(m), c, lang));
    }
}

fn cpu_ns() -> u64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64
}
