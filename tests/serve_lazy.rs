//! The lazy site `cxbook serve` answers from: every file `cxbook build`
//! writes, byte for byte, with a page rendered only once it is asked for.

mod serve_support;

use cxbook::Project;
use cxbook::site::BuildOptions;
use cxbook::site::lazy::LazySite;
use std::path::Path;

fn example() -> Project {
    Project::load(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the example loads")
}

/// A copy of the example with an image and a hidden file under `content/`.
fn example_with_files(to: &Path) -> Project {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(from.join("book.toml"), to.join("book.toml")).unwrap();
    for dir in ["content", "themes"] {
        for entry in walkdir::WalkDir::new(from.join(dir)) {
            let entry = entry.unwrap();
            let dest = to.join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
    }
    std::fs::create_dir_all(to.join("content/img")).unwrap();
    std::fs::write(to.join("content/img/a.png"), b"\x89PNG fake").unwrap();
    std::fs::create_dir_all(to.join("content/.drafts")).unwrap();
    std::fs::write(to.join("content/.drafts/b.txt"), b"secret").unwrap();
    Project::load(to).expect("the copy loads")
}

#[test]
fn serves_every_file_a_build_writes_with_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("book");
    std::fs::create_dir_all(&root).unwrap();
    let out = tmp.path().join("site");
    let opts = BuildOptions {
        out: Some(out.clone()),
        quiet: true,
        ..BuildOptions::default()
    };
    cxbook::site::build(&example_with_files(&root), &opts).unwrap();
    let project = || Project::load(&root).unwrap();
    let lazy = LazySite::new(project(), BuildOptions::default()).unwrap();
    let mut n = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&out).unwrap();
        let key = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if key == cxbook::site::output::MARKER {
            continue;
        }
        assert!(lazy.contains(&key), "{key} is not served");
        // A fresh site, that has rendered nothing yet, knows the path too.
        let fresh = LazySite::new(project(), BuildOptions::default()).unwrap();
        assert!(fresh.contains(&key), "{key} is not known before rendering");
        let served = lazy.get(&key).unwrap().unwrap_or_else(|| panic!("{key}"));
        assert!(
            served == std::fs::read(entry.path()).unwrap(),
            "{key} differs from the build"
        );
        n += 1;
    }
    assert!(n > 20, "only {n} files");
    assert!(lazy.contains("img/a.png"));
    let fresh = LazySite::new(project(), BuildOptions::default()).unwrap();
    fresh.get("maps.json").unwrap().unwrap();
    assert_eq!(fresh.renders(), 2, "the site-wide files render together");
    fresh.get("sitemap.xml").unwrap().unwrap();
    assert_eq!(fresh.renders(), 2);
    let fresh = LazySite::new(project(), BuildOptions::default()).unwrap();
    assert!(!fresh.contains("favicon.ico"));
    assert_eq!(fresh.renders(), 1, "an unknown path renders nothing");
    for missing in [
        "nope.html",
        "retail/nope/index.html",
        "content/x.md",
        ".drafts/b.txt",
        "img/../book.toml",
    ] {
        assert!(!lazy.contains(missing), "{missing}");
        assert_eq!(lazy.get(missing).unwrap(), None, "{missing}");
    }
}

#[test]
fn renders_only_the_pages_asked_for() {
    let project = example();
    let ids: Vec<String> = project.handbook.maps.iter().map(|m| m.id.clone()).collect();
    let lazy = LazySite::new(project, BuildOptions::default()).unwrap();
    // The home page, as a check of the templates.
    assert_eq!(lazy.renders(), 1);
    for id in &ids {
        assert!(lazy.contains(&format!("{id}/index.html")));
        assert!(lazy.contains(&format!("{id}/swimlane.svg")));
    }
    assert_eq!(lazy.renders(), 1, "contains renders nothing");
    let page = lazy
        .get(&format!("{}/index.html", ids[0]))
        .unwrap()
        .unwrap();
    assert!(String::from_utf8(page).unwrap().contains("<html"));
    assert_eq!(lazy.renders(), 2);
    // The map's SVGs came with its page; asking again renders nothing.
    lazy.get(&format!("{}/swimlane.svg", ids[0]))
        .unwrap()
        .unwrap();
    lazy.get(&format!("{}/index.html", ids[0]))
        .unwrap()
        .unwrap();
    lazy.get("index.html").unwrap().unwrap();
    assert_eq!(lazy.renders(), 2);
    lazy.get(&format!("{}/emotion.svg", ids[1]))
        .unwrap()
        .unwrap();
    assert_eq!(lazy.renders(), 3);
}

#[test]
fn a_broken_template_fails_when_the_site_is_made() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"T\"\n\n[build]\ntheme = \"mine\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    let tpl = root.join("themes/mine/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("index.html"), "{{ nope.nothing }}").unwrap();
    let project = Project::load(root).unwrap();
    assert!(LazySite::new(project, BuildOptions::default()).is_err());
}

#[test]
fn two_sources_for_one_output_file_fail_when_the_site_is_made() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    std::fs::create_dir_all(root.join("content/retail")).unwrap();
    // The page `retail` and the section of the folder `retail/` both want
    // `retail/index.html`.
    std::fs::write(root.join("content/retail.md"), "---\ntitle: R\n---\n").unwrap();
    std::fs::write(
        root.join("content/retail/m.md"),
        "---\ntitle: M\nstages:\n  - name: S\n    touchpoints:\n      - name: P\n        emotion: 1\n---\n",
    )
    .unwrap();
    let project = Project::load(root).unwrap();
    assert!(!project.has_errors());
    let err = LazySite::unchecked(project, BuildOptions::default()).unwrap_err();
    assert!(err.to_string().contains("`retail/index.html`"), "{err}");
}

/// A copy of the example in a temporary folder.
fn example_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("book");
    std::fs::create_dir_all(&root).unwrap();
    example_with_files(&root);
    (tmp, root)
}

/// `GET path`, with the bytes outside ASCII letters, digits and `/-_.`
/// percent-encoded; the status and the body.
fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let path: String = path
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    let reply = serve_support::get(addr, &path);
    (reply.status, reply.body)
}

#[test]
fn a_save_to_content_renders_nothing_until_a_page_is_asked_for() {
    use cxbook::serve::{Builder, Changes, ProjectBuilder};
    let (_tmp, root) = example_copy();
    let mut builder = ProjectBuilder::new(&root);
    let first = builder.build(&Changes::default()).unwrap();
    assert_eq!(
        first.site.rendered(),
        Some(1),
        "the home page tries the theme"
    );
    let map = Project::load(&root).unwrap().handbook.maps[0].clone();
    let source = std::fs::canonicalize(root.join(&map.source)).unwrap();
    let saved = Changes {
        paths: vec![source.clone()],
    };
    let second = builder.build(&saved).unwrap();
    assert_eq!(
        second.site.rendered(),
        Some(0),
        "a content save renders nothing"
    );
    let page = second.site.get(&format!("{}/index.html", map.id)).unwrap();
    assert!(page.is_some());
    assert_eq!(second.site.rendered(), Some(1), "only the page asked for");
    // A change to the theme or the configuration tries the theme again.
    let toml = std::fs::canonicalize(root.join("book.toml")).unwrap();
    let third = builder.build(&Changes { paths: vec![toml] }).unwrap();
    assert_eq!(third.site.rendered(), Some(1));
}

#[test]
fn the_server_renders_the_page_the_browser_asks_for_and_no_other() {
    use cxbook::serve::{ServeOptions, Server, WatchMode};
    let (_tmp, root) = example_copy();
    let ids: Vec<String> = Project::load(&root)
        .unwrap()
        .handbook
        .maps
        .iter()
        .map(|m| m.id.clone())
        .collect();
    let opts = ServeOptions {
        root: root.clone(),
        port: Some(0),
        bind: "127.0.0.1".into(),
        open: false,
    };
    let server = Server::new(&opts)
        .with_watch(WatchMode::Off)
        .start()
        .unwrap();
    assert!(
        server.snapshot().failure.is_none(),
        "{:?}",
        server.snapshot().failure
    );
    let site = || server.snapshot().site.clone().unwrap();
    assert_eq!(site().rendered(), Some(1));
    let base = server.snapshot().base.clone();
    let (status, body) = get(server.addr(), &format!("{base}{}/", ids[0]));
    assert_eq!(status, 200);
    assert!(body.contains("__cxbook/"), "the reload script is injected");
    assert_eq!(site().rendered(), Some(2));
    let (status, _) = get(server.addr(), &format!("{base}{}/swimlane.svg", ids[0]));
    assert_eq!(status, 200);
    assert_eq!(site().rendered(), Some(2), "the SVG came with its page");
    let (status, _) = get(server.addr(), &format!("{base}favicon.ico"));
    assert_eq!(status, 404);
    assert_eq!(site().rendered(), Some(3), "the 404 page, nothing else");
    server.shutdown();
}

#[test]
fn a_page_that_fails_to_render_answers_500_with_the_error() {
    use cxbook::serve::{ServeOptions, Server, WatchMode};
    let (_tmp, root) = example_copy();
    let tpl = root.join("themes/mine/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("map.html"), "{{ nope.nothing }}").unwrap();
    let toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        toml.replace("theme = \"default\"", "theme = \"mine\""),
    )
    .unwrap();
    let id = Project::load(&root).unwrap().handbook.maps[0].id.clone();
    let opts = ServeOptions {
        root: root.clone(),
        port: Some(0),
        bind: "127.0.0.1".into(),
        open: false,
    };
    let server = Server::new(&opts)
        .with_watch(WatchMode::Off)
        .start()
        .unwrap();
    let base = server.snapshot().base.clone();
    let (status, _) = get(server.addr(), &base);
    assert_eq!(status, 200, "the home page renders");
    let (status, body) = get(server.addr(), &format!("{base}{id}/"));
    assert_eq!(status, 500);
    assert!(body.contains("cannot render"), "{body}");
    server.shutdown();
}
