//! Thread CPU time for the benchmarks: on a shared machine, wall time
//! mostly measures the other processes.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// The time this thread spent on a CPU, in ns.
pub fn cpu_ns() -> Option<u64> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    u64::try_from(t.tv_sec)
        .ok()?
        .checked_mul(1_000_000_000)?
        .checked_add(u64::try_from(t.tv_nsec).ok()?)
}

/// Runs `f` `iters` times and returns the CPU time it took (wall time
/// where the CPU clock cannot be read).
pub fn timed<T>(iters: u64, mut f: impl FnMut() -> T) -> Duration {
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
