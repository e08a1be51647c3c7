//! Front matter parsing: the hand-written fast path (`content::yaml_fast`)
//! against serde-saphyr (`yaml::parse_saphyr`), on a map written by
//! `../shared/bench/gen-corpus.py` and on the example handbook's richest
//! map. Throughput is front-matter bytes per second of the thread's CPU time
//! (`CLOCK_THREAD_CPUTIME_ID`), so that other processes on a shared machine
//! do not inflate the figures.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cxbook::content::{self, yaml, yaml_fast};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// The time this thread spent on a CPU, in ns.
fn cpu_ns() -> Option<u64> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    u64::try_from(t.tv_sec)
        .ok()?
        .checked_mul(1_000_000_000)?
        .checked_add(u64::try_from(t.tv_nsec).ok()?)
}

/// Runs `f` `iters` times and returns the CPU time it took (wall time
/// where the CPU clock cannot be read).
fn timed<T>(iters: u64, mut f: impl FnMut() -> T) -> Duration {
    let (c0, t0) = (cpu_ns(), Instant::now());
    for _ in 0..iters {
        black_box(f());
    }
    let wall = t0.elapsed();
    match (c0, cpu_ns()) {
        (Some(a), Some(b)) if b > a => Duration::from_nanos(b - a),
        _ => wall,
    }
}

/// The front matter of a file under the crate root.
fn front(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = content::decode(&path, std::fs::read(&path).unwrap()).unwrap();
    let split = content::split(&path, &text).unwrap().unwrap();
    split.front.to_string()
}

fn bench(c: &mut Criterion) {
    let files = [
        (
            "generated map",
            "tests/fixtures/yaml/generated/insurance--onboarding--renewing-a-loyalty-card-00116.md",
        ),
        ("example map", "content/retail/grocery-first-order.md"),
    ];
    // The slow path needs a deep stack only for hostile input; these maps
    // are not.
    let mut group = c.benchmark_group("front matter");
    for (name, rel) in files {
        let text = front(rel);
        assert!(
            yaml_fast::parse(&text).is_some(),
            "{rel} is not in the subset"
        );
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("fast path, {name}"), |b| {
            b.iter_custom(|n| timed(n, || yaml_fast::parse(black_box(&text))))
        });
        group.bench_function(format!("serde-saphyr, {name}"), |b| {
            b.iter_custom(|n| timed(n, || yaml::parse_saphyr(black_box(&text))))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
