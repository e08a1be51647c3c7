//! `cxbook serve` in a real browser: headless Chromium (Debian's
//! `chromium`) driven by `tests/browser/serve.mjs` through playwright-core.
//! An open map page reloads after a save, shows the overlay after a broken
//! save and loses it after the fix.
//!
//! Needs `node`, `/usr/bin/chromium` (or `$CHROMIUM`) and `npm ci` in
//! `tests/browser`. Under CI (`CI=true`) a missing piece fails the test;
//! locally it is skipped with a message.

mod browser_support;
mod serve_support;

use browser_support::{manifest, missing};
use serve_support::*;
use std::process::Command;

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
