//! Both diagrams of a 30-touchpoint map: the budget is 35 µs (release) for
//! swimlane and emotion curve together. The map is as dense as the example
//! in SPEC section 2 (every lane filled, one pain, opportunity and metric
//! per touchpoint), once as `maps::typical` and once with no text or
//! value repeated between touchpoints, as in a map written by hand; a
//! denser one (long text, two metrics, more tags) and a Chinese one are
//! measured too. Times are the thread's CPU time
//! (`CLOCK_THREAD_CPUTIME_ID`): on a shared machine, wall time mostly
//! measures the other processes.

#[path = "../tests/fixtures/diagrams/maps.rs"]
mod maps;

#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::timed;
use criterion::{Criterion, criterion_group, criterion_main};
use cxbook::config::Language;
use cxbook::diagrams;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let typical = maps::typical(30);
    let varied = maps::varied(30);
    let map = maps::rich(30);
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
    c.bench_function("both diagrams, 30 touchpoints", |b| {
        b.iter_custom(|n| {
            timed(n, || {
                let s = diagrams::swimlane(black_box(&typical), Language::En);
                let e = diagrams::emotion(black_box(&typical), None, Language::En);
                (s, e)
            })
        })
    });
    c.bench_function("both diagrams, 30 touchpoints, nothing repeated", |b| {
        b.iter_custom(|n| {
            timed(n, || {
                let s = diagrams::swimlane(black_box(&varied), Language::En);
                let e = diagrams::emotion(black_box(&varied), None, Language::En);
                (s, e)
            })
        })
    });
    c.bench_function("both diagrams, 30 dense touchpoints", |b| {
        b.iter_custom(|n| {
            timed(n, || {
                let s = diagrams::swimlane(black_box(&map), Language::En);
                let e = diagrams::emotion(black_box(&map), None, Language::En);
                (s, e)
            })
        })
    });
    c.bench_function("both diagrams, 30 touchpoints, compared", |b| {
        b.iter_custom(|n| {
            timed(n, || {
                let s = diagrams::swimlane(black_box(&map), Language::En);
                let e = diagrams::emotion(black_box(&map), Some(&future), Language::En);
                (s, e)
            })
        })
    });
    c.bench_function("both diagrams, 30 touchpoints, Chinese", |b| {
        b.iter_custom(|n| {
            timed(n, || {
                let s = diagrams::swimlane(black_box(&zh), Language::ZhHant);
                let e = diagrams::emotion(black_box(&zh), None, Language::ZhHant);
                (s, e)
            })
        })
    });
    c.bench_function("swimlane, 30 touchpoints", |b| {
        b.iter_custom(|n| timed(n, || diagrams::swimlane(black_box(&map), Language::En)))
    });
    c.bench_function("emotion curve, 30 touchpoints", |b| {
        b.iter_custom(|n| timed(n, || diagrams::emotion(black_box(&map), None, Language::En)))
    });
    c.bench_function("sparkline, 30 touchpoints", |b| {
        b.iter_custom(|n| timed(n, || diagrams::sparkline(black_box(&map))))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
