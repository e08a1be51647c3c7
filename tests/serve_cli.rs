//! `cxbook serve` as a user runs it: the real binary on a temporary
//! handbook, on a free port, edited, broken and fixed while a client
//! listens to the reload events.

mod serve_support;

use serve_support::*;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

#[test]
fn prints_the_url_and_serves_the_site_under_the_base_path() {
    let (dir, _) = handbook();
    let s = Serve::start(dir.path(), &[]);
    assert_eq!(s.url, format!("http://{}/cx/", s.addr));
    let index = get(s.addr, "/cx/");
    assert_eq!(index.status, 200, "{}", s.stderr());
    assert!(index.body.contains("Checkout journey"));
    let page = get(s.addr, "/cx/retail/checkout/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.contains("Checkout journey"));
    assert!(page.body.contains("../../__cxbook/reload.js"));
    let svg = get(s.addr, "/cx/retail/checkout/swimlane.svg");
    assert_eq!(
        (svg.status, svg.header("content-type")),
        (200, Some("image/svg+xml"))
    );
    let r = get(s.addr, "/cx/retail/checkout");
    assert_eq!(
        (r.status, r.header("location")),
        (302, Some("/cx/retail/checkout/"))
    );
    let r = get(s.addr, "/cx/no/such/page");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("<html"), "the site's 404 page: {}", r.body);
    assert_eq!(get(s.addr, "/").header("location"), Some("/cx/"));
}

#[test]
fn edit_break_and_fix_a_map_while_a_page_listens() {
    let (dir, file) = handbook();
    let s = Serve::start(dir.path(), &[]);
    let mut events = Events::open(s.addr, "/cx/__cxbook/events");
    let hello = events.next(WAIT).unwrap();
    let first = hello["generation"].as_u64().unwrap();

    // Edit: the page hears of it only once the new site is served.
    std::fs::write(&file, map("Checkout, take two", "1")).unwrap();
    let e = events.next_after(first, WAIT).expect("a reload event");
    assert!(e["error"].is_null(), "{e}\n{}", s.stderr());
    let page = get(s.addr, "/cx/retail/checkout/");
    assert!(page.body.contains("Checkout, take two"));
    let edited = e["generation"].as_u64().unwrap();

    // Break: an emotion outside the scale (line 7, column 18).
    std::fs::write(&file, map("Checkout, broken", "9")).unwrap();
    let e = events.next_after(edited, WAIT).expect("an error event");
    let overlay = e["error"].as_str().expect("an overlay");
    assert!(
        overlay.contains("content/retail/checkout.md:7:18"),
        "{overlay}"
    );
    assert!(overlay.contains("emotion: 9"), "the source line: {overlay}");
    let page = get(s.addr, "/cx/retail/checkout/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Checkout, take two"),
        "the last good page"
    );
    assert!(page.body.contains("id=\"cxbook-overlay\""));
    assert!(page.body.contains("content/retail/checkout.md:7:18"));
    let broken = e["generation"].as_u64().unwrap();

    // Fix: the overlay goes and the page reloads.
    std::fs::write(&file, map("Checkout, fixed", "2")).unwrap();
    let e = events.next_after(broken, WAIT).expect("a reload event");
    assert!(e["error"].is_null(), "{e}");
    let page = get(s.addr, "/cx/retail/checkout/");
    assert!(page.body.contains("Checkout, fixed"));
    assert!(!page.body.contains("cxbook-overlay"));
    // The terminal says what happened too.
    let err = s.stderr();
    assert!(err.contains("content/retail/checkout.md:7:18"), "{err}");
}

#[test]
fn a_broken_book_toml_shows_its_error_until_fixed() {
    let (dir, _) = handbook();
    let config = dir.path().join("book.toml");
    std::fs::write(&config, "[build]\nbase-url = \"/cx/\"\nthme = \"x\"\n").unwrap();
    let s = Serve::start(dir.path(), &[]);
    let r = get(s.addr, "/");
    assert_eq!(r.status, 500);
    assert!(r.body.contains("book.toml:3:1"), "{}", r.body);
    assert!(r.body.contains("__cxbook/reload.js"));
    save_like_vim(&config, BOOK);
    let page = eventually(WAIT, || {
        let r = get(s.addr, "/cx/retail/checkout/");
        (r.status == 200).then_some(r)
    })
    .unwrap_or_else(|| panic!("never recovered:\n{}", s.stderr()));
    assert!(page.body.contains("Checkout journey"));
}

#[test]
fn a_missing_content_folder_recovers_once_created() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.toml"), BOOK).unwrap();
    let s = Serve::start(dir.path(), &[]);
    let r = get(s.addr, "/cx/");
    assert_eq!(r.status, 500);
    assert!(r.body.contains("content"), "{}", r.body);
    std::fs::create_dir_all(dir.path().join("content/retail")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let file = dir.path().join("content/retail/checkout.md");
    std::fs::write(&file, map("Late journey", "0")).unwrap();
    let page = eventually(WAIT, || {
        let r = get(s.addr, "/cx/retail/checkout/");
        (r.status == 200).then_some(r)
    })
    .unwrap_or_else(|| panic!("never recovered:\n{}", s.stderr()));
    assert!(page.body.contains("Late journey"));
}

#[test]
fn files_outside_the_site_are_never_served() {
    let (dir, _) = handbook();
    let s = Serve::start(dir.path(), &[]);
    for target in [
        "/cx/../book.toml",
        "/cx/%2e%2e/book.toml",
        "/cx/..%2fbook.toml",
        "/cx/retail%2f..%2f..%2fbook.toml",
        "/cx/..%5cbook.toml",
        "/cx/..\\book.toml",
        "/cx/content/retail/checkout.md",
        "/cx//etc/passwd",
        "/cx/%2fetc%2fpasswd",
        "/../../../../etc/passwd",
    ] {
        let raw = format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let r = send_raw(s.addr, raw.as_bytes());
        assert_eq!(r.status, 404, "{target}");
        assert!(!r.body.contains("base-url"), "{target}");
        assert!(!r.body.contains("root:x:0"), "{target}");
    }
}

#[test]
fn the_reload_script_is_never_in_build_output() {
    let (dir, _) = handbook();
    let out = dir.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_cxbook"))
        .args(["build", "--quiet", "--root"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("__cxbook"), "{}", entry.path().display());
        }
    }
}

#[test]
fn a_busy_port_is_said_out_loud() {
    let (dir, _) = handbook();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxbook"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let _ = child.kill();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let _ = child.wait();
    assert!(
        err.contains(&format!("port {port} is in use; serving on port")),
        "{err}"
    );
    assert!(first.starts_with("Serving on http://127.0.0.1:"), "{first}");
    assert!(!first.contains(&format!(":{port}/")), "{first}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_cleanly() {
    let (dir, _) = handbook();
    let mut s = Serve::start(dir.path(), &[]);
    let _events = Events::open(s.addr, "/cx/__cxbook/events");
    let pid = s.child.id().to_string();
    let killed = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(killed.success());
    let status = eventually(Duration::from_secs(10), || s.child.try_wait().unwrap())
        .expect("serve stops within 10 s of Ctrl-C");
    assert!(status.success(), "{status:?}\n{}", s.stderr());
    assert!(s.stdout.try_recv().is_err(), "nothing more on stdout");
}

#[test]
fn a_missing_root_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cxbook"))
        .args(["serve", "--port", "0", "--root"])
        .arg(dir.path().join("nope"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a folder"), "{err}");
}
