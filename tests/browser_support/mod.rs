//! What the browser tests need, shared by `tests/browser.rs` and
//! `tests/serve_browser.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `Some(reason)` when the browser test cannot run here.
pub fn missing() -> Option<String> {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.exists() {
        return Some(format!("no Chromium at {}", chromium.display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("no node".into());
    }
    let playwright = manifest().join("tests/browser/node_modules/playwright-core");
    if !playwright.is_dir() {
        // `cargo test` alone runs every test: install the pinned
        // playwright-core (it downloads no browser) on first use.
        let _ = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(manifest().join("tests/browser"))
            .status();
    }
    if !playwright.is_dir() {
        return Some("playwright-core not installed (run `npm ci` in tests/browser)".into());
    }
    None
}
