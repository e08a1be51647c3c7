//! Front matter parsing: the hand-written fast path (`content::yaml_fast`)
//! against serde-saphyr (`yaml::parse_saphyr`), on a map written by
//! `../shared/bench/gen-corpus.py` and on the example handbook's richest
//! map. Throughput is front-matter bytes per second of the thread's CPU time
//! (`CLOCK_THREAD_CPUTIME_ID`), so that other processes on a shared machine
//! do not inflate the figures.

#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::timed;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cxbook::content::{self, yaml, yaml_fast};
use std::hint::black_box;
use std::path::Path;

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
