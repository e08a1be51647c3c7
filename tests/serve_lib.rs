//! `serve` driven in process: the real server, watcher and reload, with a
//! small fake builder in place of the site pipeline, so that these tests
//! pin the server's behaviour whatever the templates do.
//!
//! The fake renders every `content/*.md` into `<stem>/index.html`, and
//! fails with a positioned diagnostic on a line containing `BROKEN`.

mod serve_support;

use cxbook::Diagnostic;
use cxbook::serve::{
    BuildFailure, Builder, Built, Changes, Problem, RunningServer, ServeOptions, Server, WatchMode,
};
use cxbook::site::Site;
use serve_support::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

struct Fake {
    root: PathBuf,
    builds: Arc<AtomicUsize>,
    /// What each build was told had changed.
    changes: Arc<Mutex<Vec<Changes>>>,
}

impl Builder for Fake {
    fn build(&mut self, changes: &Changes) -> Result<Built, BuildFailure> {
        self.builds.fetch_add(1, Ordering::SeqCst);
        self.changes.lock().unwrap().push(changes.clone());
        if let Ok(ms) = std::fs::read_to_string(self.root.join("delay-ms")) {
            std::thread::sleep(Duration::from_millis(ms.trim().parse().unwrap()));
        }
        let mut files = BTreeMap::new();
        let mut list = String::new();
        let mut names: Vec<_> = std::fs::read_dir(self.root.join("content"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        names.sort();
        for path in names {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let rel = path.strip_prefix(&self.root).unwrap();
            assert!(!text.contains("PANIC"), "a bug in the pipeline");
            if let Some(failure) = broken(rel, &text) {
                return Err(failure);
            }
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            let page = format!("<!DOCTYPE html><html><body><main>{text}</main></body></html>");
            files.insert(format!("{stem}/index.html"), page.into_bytes());
            files.insert(format!("{stem}/swimlane.svg"), b"<svg/>".to_vec());
            list.push_str(&format!("<a href=\"{stem}/\">{stem}</a>"));
        }
        let index = format!("<html><head></head><body>{list}</body></html>");
        files.insert("index.html".into(), index.into_bytes());
        let not_found = "<html><body>Lost? (custom 404)</body></html>";
        files.insert("404.html".into(), not_found.as_bytes().to_vec());
        files.insert("style.css".into(), b"body{}".to_vec());
        files.insert("maps.json".into(), b"[]".to_vec());
        Ok(Built {
            site: std::sync::Arc::new(Site { files }),
            base_url: "/cx/".into(),
            ..Built::default()
        })
    }
}

fn broken(rel: &Path, text: &str) -> Option<BuildFailure> {
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("BROKEN"))?;
    let column = line.find("BROKEN").unwrap() + 1;
    let d = Diagnostic::error("broken", "this map is <broken>")
        .at(rel, text, i + 1, column, 6)
        .with_hint("remove the word");
    Some(BuildFailure {
        problems: vec![Problem::from_diagnostic(&d)],
        base_url: Some("/cx/".into()),
    })
}

struct Fixture {
    dir: tempfile::TempDir,
    server: Option<RunningServer>,
    builds: Arc<AtomicUsize>,
    changes: Arc<Mutex<Vec<Changes>>>,
}

impl Fixture {
    fn start(maps: &[(&str, &str)], mode: WatchMode) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("book.toml"), "").unwrap();
        for (name, text) in maps {
            std::fs::write(dir.path().join("content").join(name), text).unwrap();
        }
        let builds = Arc::new(AtomicUsize::new(0));
        let changes = Arc::new(Mutex::new(Vec::new()));
        let fake = Fake {
            root: dir.path().to_path_buf(),
            builds: builds.clone(),
            changes: changes.clone(),
        };
        let opts = ServeOptions {
            root: dir.path().to_path_buf(),
            port: Some(0),
            bind: "127.0.0.1".into(),
            open: false,
        };
        let server = Server::new(&opts)
            .with_builder(fake)
            .with_watch(mode)
            .start()
            .unwrap();
        Fixture {
            dir,
            server: Some(server),
            builds,
            changes,
        }
    }

    fn server(&self) -> &RunningServer {
        self.server.as_ref().unwrap()
    }

    fn addr(&self) -> std::net::SocketAddr {
        self.server().addr()
    }

    fn content(&self, name: &str) -> PathBuf {
        self.dir.path().join("content").join(name)
    }

    fn events(&self) -> (Events, u64) {
        let mut events = Events::open(self.addr(), "/cx/__cxbook/events");
        let hello = events.next(WAIT).expect("a first event");
        (events, hello["generation"].as_u64().unwrap())
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown();
        }
    }
}

#[test]
fn prints_a_url_under_the_base_path() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Off);
    let url = f.server().url();
    assert_eq!(url, format!("http://{}/cx/", f.addr()));
}

#[test]
fn serves_files_with_their_types_and_directory_urls() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Off);
    let a = f.addr();

    let page = get(a, "/cx/a/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.contains("<main>alpha</main>"), "{}", page.body);
    // The reload script is injected, relative to the page.
    assert!(
        page.body
            .contains("<script src=\"../__cxbook/reload.js\" data-cxbook-generation=\"1\""),
        "{}",
        page.body
    );
    assert!(
        page.body.ends_with("</script></body></html>"),
        "{}",
        page.body
    );

    let index = get(a, "/cx/");
    assert_eq!(index.status, 200);
    assert!(index.body.contains("<script src=\"__cxbook/reload.js\""));

    let table = [
        ("/cx/a/swimlane.svg", "image/svg+xml"),
        ("/cx/style.css", "text/css; charset=utf-8"),
        ("/cx/maps.json", "application/json; charset=utf-8"),
        ("/cx/__cxbook/reload.js", "text/javascript; charset=utf-8"),
        ("/cx/a/index.html", "text/html; charset=utf-8"),
    ];
    for (path, ty) in table {
        let r = get(a, path);
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some(ty)),
            "{path}"
        );
    }
    let svg = get(a, "/cx/a/swimlane.svg");
    assert_eq!(svg.body, "<svg/>", "only HTML gets the script");

    let r = get(a, "/cx/a");
    assert_eq!((r.status, r.header("location")), (302, Some("/cx/a/")));
    let r = get(a, "/cx/a?x=1");
    assert_eq!((r.status, r.header("location")), (302, Some("/cx/a/?x=1")));
    let r = get(a, "/");
    assert_eq!((r.status, r.header("location")), (302, Some("/cx/")));
    let r = get(a, "/cx");
    assert_eq!((r.status, r.header("location")), (302, Some("/cx/")));
}

#[test]
fn unknown_paths_get_the_sites_404_page() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Off);
    for path in [
        "/cx/nope",
        "/cx/a/nope.html",
        "/cx/deep/er/x/",
        "/other/",
        "/index.html",
    ] {
        let r = get(f.addr(), path);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.body.contains("Lost? (custom 404)"), "{path}: {}", r.body);
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    }
    // The 404 page reaches the reload script from any depth.
    let r = get(f.addr(), "/cx/deep/er/x/");
    assert!(
        r.body.contains("src=\"../../../__cxbook/reload.js\""),
        "{}",
        r.body
    );
}

#[test]
fn head_gets_headers_only_and_other_methods_are_refused() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Off);
    let r = request(f.addr(), "HEAD", "/cx/a/");
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "");
    let r = request(f.addr(), "POST", "/cx/a/");
    assert_eq!(r.status, 405);
    let r = request(f.addr(), "DELETE", "/cx/a/");
    assert_eq!(r.status, 405);
}

#[test]
fn never_serves_a_file_outside_the_site() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Off);
    std::fs::write(f.dir.path().join("secret.txt"), "TOP SECRET").unwrap();
    let attacks = [
        "/cx/../secret.txt",
        "/cx/../../../../etc/passwd",
        "/cx/%2e%2e/secret.txt",
        "/cx/%2E%2E/%2e%2e/etc/passwd",
        "/cx/a/..%2f..%2fsecret.txt",
        "/cx/a%2f..%2f..%2fsecret.txt",
        "/cx/..%5c..%5csecret.txt",
        "/cx/..\\..\\secret.txt",
        "/cx//etc/passwd",
        "/cx/%2fetc%2fpasswd",
        "/cx/C:%5cWindows%5cwin.ini",
        "/cx/content/a.md",
        "/cx/book.toml",
        "/../secret.txt",
        "/etc/passwd",
    ];
    for target in attacks {
        let raw = format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let r = send_raw(f.addr(), raw.as_bytes());
        assert_eq!(r.status, 404, "{target}");
        assert!(!r.body.contains("TOP SECRET"), "{target}");
        assert!(!r.body.contains("root:"), "{target}");
    }
}

#[test]
fn a_save_rebuilds_then_tells_open_pages_to_reload() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Native);
    let (mut events, first) = f.events();
    std::fs::write(f.content("a.md"), "alpha two").unwrap();
    let e = events.next_after(first, WAIT).expect("a reload event");
    assert!(e["error"].is_null(), "{e}");
    assert_eq!(e["base"], "/cx/");
    // By the time the page hears of it, the new site is already served.
    let page = get(f.addr(), "/cx/a/");
    assert!(page.body.contains("alpha two"), "{}", page.body);
    let generation = e["generation"].as_u64().unwrap();
    assert_eq!(page_generation(&page.body), Some(generation));

    // A new map appears too.
    std::fs::write(f.content("b.md"), "bravo").unwrap();
    events.next_after(generation, WAIT).expect("a reload event");
    assert!(get(f.addr(), "/cx/b/").body.contains("bravo"));
}

#[test]
fn a_broken_save_keeps_the_last_good_site_and_shows_the_error() {
    let f = Fixture::start(&[("a.md", "alpha\nline two")], WatchMode::Native);
    let (mut events, first) = f.events();
    std::fs::write(f.content("a.md"), "alpha\nline BROKEN two").unwrap();
    let e = events.next_after(first, WAIT).expect("an error event");
    let overlay = e["error"].as_str().expect("an overlay");
    assert!(overlay.contains("content/a.md:2:6"), "{overlay}");
    assert!(overlay.contains("this map is &lt;broken&gt;"), "{overlay}");
    assert!(overlay.contains("help: remove the word"), "{overlay}");
    assert!(overlay.contains("2 | line BROKEN two"), "{overlay}");

    // The last good page is still served, with the overlay in it.
    let page = get(f.addr(), "/cx/a/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<main>alpha\nline two</main>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"cxbook-overlay\""), "{}", page.body);
    assert!(page.body.contains("content/a.md:2:6"));

    // A fix clears the error and reloads.
    let broken_at = e["generation"].as_u64().unwrap();
    std::fs::write(f.content("a.md"), "alpha\nline fixed").unwrap();
    let e = events.next_after(broken_at, WAIT).expect("a reload event");
    assert!(e["error"].is_null(), "{e}");
    let page = get(f.addr(), "/cx/a/");
    assert!(page.body.contains("line fixed"));
    assert!(!page.body.contains("cxbook-overlay"));
}

#[test]
fn a_first_build_that_fails_serves_the_error_then_recovers() {
    let f = Fixture::start(&[("a.md", "BROKEN")], WatchMode::Native);
    let r = get(f.addr(), "/cx/");
    assert_eq!(r.status, 500);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(r.body.contains("content/a.md:1:1"), "{}", r.body);
    assert!(r.body.contains("__cxbook/reload.js"), "{}", r.body);
    let r = get(f.addr(), "/cx/a/");
    assert!(
        r.body.contains("src=\"../__cxbook/reload.js\""),
        "{}",
        r.body
    );
    // Unsafe paths are still plain 404s.
    assert_eq!(get(f.addr(), "/cx/%2e%2e/secret").status, 404);

    let (mut events, first) = f.events();
    std::fs::write(f.content("a.md"), "alpha").unwrap();
    let e = events.next_after(first, WAIT).expect("a reload event");
    assert!(e["error"].is_null());
    let r = get(f.addr(), "/cx/a/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<main>alpha</main>"));
}

#[test]
fn a_panic_in_the_pipeline_is_an_error_and_the_server_goes_on() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Native);
    let (mut events, first) = f.events();
    std::fs::write(f.content("a.md"), "PANIC").unwrap();
    let e = events.next_after(first, WAIT).expect("an error event");
    let overlay = e["error"].as_str().expect("an overlay");
    assert!(overlay.contains("a bug in the pipeline"), "{overlay}");
    assert!(get(f.addr(), "/cx/a/").body.contains("<main>alpha</main>"));
    let at = e["generation"].as_u64().unwrap();
    std::fs::write(f.content("a.md"), "alpha again").unwrap();
    let e = events.next_after(at, WAIT).expect("a reload event");
    assert!(e["error"].is_null());
    assert!(get(f.addr(), "/cx/a/").body.contains("alpha again"));
}

/// Asserts that one save gave exactly one build and one event.
fn assert_one_rebuild(f: &Fixture, save: impl FnOnce(&Path)) {
    let (mut events, first) = f.events();
    let before = f.builds.load(Ordering::SeqCst);
    save(&f.content("a.md"));
    let e = events.next_after(first, WAIT).expect("a reload event");
    assert!(e["error"].is_null(), "{e}");
    assert!(get(f.addr(), "/cx/a/").body.contains("saved"));
    // Nothing else comes: the temporaries and renames were one change.
    assert!(events.next(Duration::from_millis(600)).is_none());
    assert_eq!(f.builds.load(Ordering::SeqCst), before + 1);
    assert_eq!(get(f.addr(), "/cx/a/").status, 200);
    // The build is told of the saved file alone, so that the real builder
    // reads only that file again.
    let saved = std::fs::canonicalize(f.content("a.md")).unwrap();
    let last = f.changes.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last.paths, vec![saved]);
}

#[test]
fn a_vim_save_is_one_rebuild() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Native);
    assert_one_rebuild(&f, |p| save_like_vim(p, "saved by vim"));
}

#[test]
fn a_jetbrains_save_is_one_rebuild() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Native);
    assert_one_rebuild(&f, |p| save_like_jetbrains(p, "saved by an IDE"));
}

#[test]
fn a_forced_rebuild_says_anything_may_have_changed() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Native);
    let (mut events, first) = f.events();
    f.changes.lock().unwrap().clear();
    f.server().rebuild();
    events.next_after(first, WAIT).expect("a reload event");
    // No paths: the real builder then loads everything again.
    let changes = f.changes.lock().unwrap().clone();
    assert_eq!(changes, vec![Changes::default()]);
}

#[test]
fn editor_temporaries_alone_rebuild_nothing() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Native);
    let (mut events, _) = f.events();
    let before = f.builds.load(Ordering::SeqCst);
    for name in [
        ".a.md.swp",
        "a.md~",
        "4913",
        ".#a.md",
        "#a.md#",
        "x___jb_tmp___",
    ] {
        std::fs::write(f.content(name), "tmp").unwrap();
    }
    std::fs::write(f.dir.path().join("notes.txt"), "not watched").unwrap();
    assert!(events.next(Duration::from_millis(600)).is_none());
    assert_eq!(f.builds.load(Ordering::SeqCst), before);
}

#[test]
fn replacing_book_toml_rebuilds_every_time() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Native);
    let (mut events, mut last) = f.events();
    let config = f.dir.path().join("book.toml");
    for i in 0..3 {
        // vim replaces the file: a watch on the file itself would die here.
        save_like_vim(&config, &format!("# edit {i}\n"));
        let e = events.next_after(last, WAIT).expect("a rebuild per edit");
        last = e["generation"].as_u64().unwrap();
    }
}

#[test]
fn polling_sees_saves_too() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Poll);
    let (mut events, first) = f.events();
    std::fs::write(f.content("a.md"), "alpha polled").unwrap();
    events.next_after(first, WAIT).expect("a reload event");
    assert!(get(f.addr(), "/cx/a/").body.contains("alpha polled"));
}

#[test]
fn serves_a_hundred_clients_while_a_rebuild_runs() {
    let f = Fixture::start(&[("a.md", "alpha")], WatchMode::Off);
    // Open pages hold event streams; they must not take the workers.
    let streams: Vec<Events> = (0..30)
        .map(|_| Events::open(f.addr(), "/cx/__cxbook/events"))
        .collect();
    std::fs::write(f.dir.path().join("delay-ms"), "3000").unwrap();
    let started = Instant::now();
    f.server().rebuild();
    let addr = f.addr();
    let clients: Vec<_> = (0..100)
        .map(|i| {
            std::thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/cx/a/"
                } else {
                    "/cx/style.css"
                };
                get(addr, path).status
            })
        })
        .collect();
    for c in clients {
        assert_eq!(c.join().unwrap(), 200);
    }
    let served_in = started.elapsed();
    assert_eq!(
        f.server().snapshot().generation,
        1,
        "the rebuild still runs"
    );
    assert!(served_in < Duration::from_secs(3), "{served_in:?}");
    assert!(f.server().wait_for(2, WAIT).is_some());
    drop(streams);
}

#[test]
fn a_busy_port_moves_to_the_next_free_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let fake = Fake {
        root: dir.path().to_path_buf(),
        builds: Arc::default(),
        changes: Arc::default(),
    };
    let opts = ServeOptions {
        root: dir.path().to_path_buf(),
        port: Some(port),
        bind: "127.0.0.1".into(),
        open: false,
    };
    let server = Server::new(&opts)
        .with_builder(fake)
        .with_watch(WatchMode::Off)
        .start()
        .unwrap();
    let got = server.addr().port();
    assert!(got > port && got <= port + 10, "{port} -> {got}");
    server.shutdown();
}
