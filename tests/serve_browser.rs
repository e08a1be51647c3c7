//! `cxbook serve` in a real browser: headless Chromium (Debian's
//! `chromium`) driven by `tests/browser/serve.mjs` through playwright-core.
//! An open map page reloads after a save, shows the overlay after a broken
//! save and loses it after the fix.
//!
//! Needs `node`, `/usr/bin/chromium` (or `$CHROMIUM`) and `npm ci` in
//! `tests/browser`. Under CI (`CI=true`) a missing piece fails the test;
//! locally it is skipped with a message.

mod serve_support;

use serve_support::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `Some(reason)` when the browser test cannot run here.
fn missing() -> Option<String> {
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

#[test]
fn an_open_page_reloads_after_a_save_and_shows_the_overlay_after_a_broken_one() {
    if let Some(why) = missing() {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "the serve browser test cannot run under CI: {why}"
        );
        eprintln!("skipping the serve browser test: {why}");
        return;
    }
    let (dir, file) = handbook();
    let s = Serve::start(dir.path(), &[]);
    let config = serde_json::json!({
        "url": format!("{}retail/checkout/", s.url),
        "file": file,
        "steps": {
            "edit": map("Checkout after a save", "1"),
            "broken": map("Checkout, broken", "9"),
            "fixed": map("Checkout after the fix", "2"),
        },
        "expect": {
            "first": "Checkout journey",
            "edit": "Checkout after a save",
            "location": "content/retail/checkout.md:7:18",
            "source": "emotion: 9",
            "fixed": "Checkout after the fix",
        },
    });
    let config_file = dir.path().join("serve-browser.json");
    std::fs::write(&config_file, config.to_string()).unwrap();
    let out = Command::new("node")
        .arg(manifest().join("tests/browser/serve.mjs"))
        .arg(&config_file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{stdout}\n{stderr}\nserve said:\n{}",
        s.stderr()
    );
    eprintln!("{stdout}");
}
