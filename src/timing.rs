//! `CXBOOK_TIMINGS=1`: a log of where a build's wall time goes, printed to
//! stderr as `timing: …` lines. Silent (and nearly free) without the
//! variable.

use std::sync::OnceLock;
use std::time::Instant;

fn start() -> Option<Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    *START.get_or_init(|| std::env::var_os("CXBOOK_TIMINGS").map(|_| Instant::now()))
}

/// Whether timings are printed.
pub fn enabled() -> bool {
    start().is_some()
}

/// Prints `what` with the wall time since the first call in this process.
pub fn mark(what: &str) {
    if let Some(t) = start() {
        eprintln!(
            "timing: at {:>8.1} ms  {what}",
            t.elapsed().as_secs_f64() * 1e3
        );
    }
}
