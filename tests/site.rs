//! `cxbook build` end to end: the bundled example and the fixtures under
//! `tests/fixtures/site/` are built into temporary folders by the real
//! binary, and the output is read back: every page of SPEC section 4, every
//! relative link resolving, escaping, languages, theme overrides, and the
//! safety rules of SPEC section 6.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    manifest().join("tests/fixtures/site").join(name)
}

/// Copies a folder tree (the fixture) into `to`.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A fixture copied into a fresh temporary folder (the tests may change it).
fn project(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    copy_tree(&fixture(name), &root);
    (dir, root)
}

/// Runs `cxbook build` and returns (success, stderr).
fn build(root: &Path, out: &Path, extra: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cxbook"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn build_ok(root: &Path, out: &Path, extra: &[&str]) {
    let (ok, stderr) = build(root, out, extra);
    assert!(ok, "build failed:\n{stderr}");
}

/// Every file of a built site, by `/`-separated path.
fn read_site(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(out).unwrap();
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

fn text<'a>(site: &'a BTreeMap<String, Vec<u8>>, path: &str) -> &'a str {
    let bytes = site
        .get(path)
        .unwrap_or_else(|| panic!("no `{path}` in {:#?}", site.keys().collect::<Vec<_>>()));
    std::str::from_utf8(bytes).unwrap()
}

/// The values of every `attr="…"` in `html`, entities decoded.
fn attrs(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push(
            rest[..end]
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&#39;", "'"),
        );
        rest = &rest[end..];
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(hex) = std::str::from_utf8(&b[i + 1..i + 3])
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Resolves `href` (relative) against the folder of `page`.
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(
                    parts.pop().is_some(),
                    "`{href}` in `{page}` leaves the site"
                );
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Checks every `href` and `src` of every HTML page: relative ones resolve
/// to a file of the site (and `#fragment`s to an id of that page), nothing
/// is loaded from another host, and no link is absolute except in 404.html.
fn check_links(site: &BTreeMap<String, Vec<u8>>, base: &str) {
    let mut problems = Vec::new();
    for (page, bytes) in site {
        if !page.ends_with(".html") {
            continue;
        }
        let html = std::str::from_utf8(bytes).unwrap();
        // The canonical link is the one place a full path belongs.
        let html = &html.replace(
            "<link rel=\"canonical\" href=",
            "<link rel=\"canonical\" data-url=",
        );
        for (attr, is_load) in [("href", false), ("src", true)] {
            for url in attrs(html, attr) {
                if url.starts_with("http://")
                    || url.starts_with("https://")
                    || url.starts_with("//")
                {
                    if is_load {
                        problems.push(format!("{page}: loads `{url}` from another host"));
                    }
                    continue;
                }
                if url.starts_with("mailto:") || url.starts_with("data:") {
                    continue;
                }
                let (path, frag) = match url.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (url.as_str(), None),
                };
                let target = if path.is_empty() {
                    page.clone()
                } else if let Some(abs) = path.strip_prefix('/') {
                    if page != "404.html" {
                        problems.push(format!("{page}: absolute link `{url}`"));
                        continue;
                    }
                    let Some(rest) = ("/".to_string() + abs)
                        .strip_prefix(base)
                        .map(str::to_string)
                    else {
                        problems.push(format!("{page}: `{url}` is outside the base `{base}`"));
                        continue;
                    };
                    percent_decode(&rest)
                } else {
                    resolve(page, &percent_decode(path))
                };
                let Some(target_bytes) = site.get(&target) else {
                    problems.push(format!("{page}: `{url}` -> `{target}` does not exist"));
                    continue;
                };
                if let Some(frag) = frag.filter(|f| !f.is_empty())
                    && target.ends_with(".html")
                {
                    let t = std::str::from_utf8(target_bytes).unwrap();
                    let frag = percent_decode(frag);
                    if !t.contains(&format!("id=\"{frag}\"")) {
                        problems.push(format!("{page}: `{url}`: no id `{frag}` in `{target}`"));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} broken links:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn built(name: &str, extra: &[&str]) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let (dir, root) = project(name);
    let out = dir.path().join("site");
    build_ok(&root, &out, extra);
    let site = read_site(&out);
    (dir, site)
}

#[test]
fn the_example_builds_every_page_of_spec_section_4() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(manifest(), &out, &["--base-url", "/cx/"]);
    let site = read_site(&out);
    let project = cxbook::Project::load(manifest()).unwrap();
    let hb = &project.handbook;
    for m in &hb.maps {
        for f in ["index.html", "swimlane.svg", "emotion.svg"] {
            text(&site, &format!("{}/{f}", m.id));
        }
        let page = text(&site, &format!("{}/index.html", m.id));
        let escaped_title = m.title.replace('&', "&amp;").replace('<', "&lt;");
        assert!(page.contains(&escaped_title), "{}: title", m.id);
        for t in m.touchpoints() {
            assert!(
                page.contains(&format!("id=\"tp-{}\"", t.anchor)),
                "{}: row {}",
                m.id,
                t.anchor
            );
        }
        if let Some(p) = &m.persona {
            assert!(
                page.contains(&format!("personas/{p}/index.html")),
                "{}: persona link",
                m.id
            );
        }
        if let Some(c) = &m.compare {
            let c = c.rsplit('/').next().unwrap();
            assert!(
                page.contains(&format!("{c}/index.html")),
                "{}: compare link",
                m.id
            );
        }
    }
    for p in &hb.personas {
        text(&site, &format!("personas/{}/index.html", p.id));
    }
    for f in [
        "index.html",
        "404.html",
        "maps.json",
        "search-index.json",
        "search-index.js",
        "sitemap.xml",
        "tags/index.html",
        "personas/index.html",
        "reports/pains/index.html",
        "reports/opportunities/index.html",
        "guide/how-we-map/index.html",
        ".cxbook-generated",
    ] {
        text(&site, f);
    }
    let index = text(&site, "index.html");
    assert_eq!(
        index.matches("class=\"card ").count(),
        hb.maps.len(),
        "a card per map"
    );
    assert!(index.contains("<html lang=\"en\">"));
    let maps: serde_json::Value = serde_json::from_slice(&site["maps.json"]).unwrap();
    assert_eq!(maps.as_array().unwrap().len(), hb.maps.len());
    let sitemap = text(&site, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>/cx/retail/grocery-first-order/</loc>"),
        "{sitemap}"
    );
    // The pain-point report ranks each owner's rows by emotion, lowest first.
    let report = text(&site, "reports/pains/index.html");
    for group in report.split("<section class=\"report-group\"").skip(1) {
        let emotions: Vec<f64> = attrs(group, "data-level")
            .iter()
            .map(|l| l.parse().unwrap())
            .collect();
        assert!(emotions.windows(2).all(|w| w[0] <= w[1]), "{emotions:?}");
    }
    check_links(&site, "/cx/");
}

#[test]
fn a_chinese_handbook_under_a_sub_path_links_relatively() {
    let (_dir, site) = built("zh", &[]);
    let map = text(&site, "零售/結帳 流程/index.html");
    assert!(map.contains("<html lang=\"zh-Hant\">"));
    assert!(
        map.contains("泳道圖") && map.contains("情緒曲線"),
        "zh-Hant labels"
    );
    assert!(map.contains("<link rel=\"stylesheet\" href=\"../../assets/cxbook.css\">"));
    assert!(
        map.contains("<link rel=\"canonical\" href=\"/cx/零售/結帳%20流程/\">"),
        "canonical"
    );
    // Navigation follows the CJK folder tree and marks the current page.
    assert!(
        map.contains(
            "aria-current=\"page\">&lt;script&gt;alert(1)&lt;&#x2f;script&gt; 網購結帳</a>"
        ) || map
            .contains("aria-current=\"page\">&lt;script&gt;alert(1)&lt;/script&gt; 網購結帳</a>"),
        "current page marked"
    );
    assert!(map.contains("href=\"../index.html\""), "section link");
    check_links(&site, "/cx/");
    // 404 is served from any folder: links from the base path, CSS inline.
    let nf = text(&site, "404.html");
    assert!(nf.contains("<style>"), "404 inlines its CSS");
    assert!(
        !nf.contains("assets/cxbook.css\""),
        "404 does not link the CSS"
    );
    assert!(nf.contains("href=\"/cx/index.html\""));
    let sitemap = text(&site, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>/cx/零售/結帳%20流程/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("404"));
}

#[test]
fn content_text_is_escaped_and_raw_html_too_by_default() {
    let (_dir, site) = built("zh", &[]);
    for (path, bytes) in &site {
        if path.ends_with(".html") {
            let html = std::str::from_utf8(bytes).unwrap();
            assert!(
                !html.contains("<script>alert"),
                "{path} runs content as script"
            );
            assert!(
                !html.contains("<i>信</i>"),
                "{path}: touchpoint name not escaped"
            );
        }
    }
    let map = text(&site, "零售/結帳 流程/index.html");
    assert!(
        map.contains("&lt;b&gt;raw&lt;&#x2f;b&gt;") || map.contains("&lt;b&gt;raw&lt;/b&gt;"),
        "raw HTML shown as text"
    );
    let title = text(&site, "index.html");
    assert!(title.contains("Acme &lt;體驗&gt; 手冊"));
}

#[test]
fn markdown_extensions_headings_and_relative_links() {
    let (_dir, site) = built("zh", &[]);
    let map = text(&site, "零售/結帳 流程/index.html");
    assert!(map.contains("<table>"), "tables");
    assert!(map.contains("<del>"), "strikethrough");
    assert!(map.contains("type=\"checkbox\""), "task lists");
    assert!(map.contains("footnote-definition"), "footnotes");
    assert!(
        map.contains("<h2 id=\"發現\">") && map.contains("<h2 id=\"發現-1\">"),
        "heading anchors"
    );
    assert!(
        percent_decode(map).contains("href=\"../退貨/index.html\""),
        "a link to another map's .md file"
    );
    assert!(
        map.contains("src=\"../flow.svg\""),
        "images next to the map are copied"
    );
    text(&site, "零售/flow.svg");
}

#[test]
fn raw_html_is_sanitised_when_the_book_allows_it() {
    let (dir, root) = project("zh");
    let toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        format!("{toml}\n[markdown]\nunsafe-html = true\n"),
    )
    .unwrap();
    let out = dir.path().join("site");
    build_ok(&root, &out, &[]);
    let site = read_site(&out);
    let map = text(&site, "零售/結帳 流程/index.html");
    assert!(map.contains("<b>raw</b>"), "allowed HTML kept");
    assert!(
        !map.contains("alert(2)</script>") && !map.contains("<script>alert(2)"),
        "scripts removed"
    );
}

#[test]
fn reports_group_by_owner_rank_by_emotion_and_mark_overdue() {
    let (_dir, site) = built("zh", &[]);
    let report = text(&site, "reports/pains/index.html");
    for s in [
        "搜尋結果無法依尺寸篩選",
        "表單欄位太多，運費最後才出現",
        "一鍵結帳",
        "增加尺寸篩選器",
        "要列印標籤",
    ] {
        assert!(report.contains(s), "report lists `{s}`");
    }
    // Owners in code point order: 產品部 (U+7522) before 電商部 (U+96FB).
    let product = report.find(">產品部 <").expect("owner group");
    let ecommerce = report.find(">電商部 <").expect("owner group");
    assert!(product < ecommerce, "owners sorted");
    assert!(
        report.contains("href=\"../../零售/結帳%20流程/index.html#tp-"),
        "links to the touchpoint"
    );
    let backlog = text(&site, "reports/opportunities/index.html");
    assert_eq!(
        backlog.matches("class=\"is-overdue\"").count(),
        1,
        "one open opportunity is overdue"
    );
    let overdue = backlog.find("增加尺寸篩選器").unwrap();
    let done = backlog.find("超商代碼退貨").unwrap();
    assert!(overdue < done, "overdue first");
}

#[test]
fn personas_and_tags_list_their_maps() {
    let (_dir, site) = built("zh", &[]);
    let persona = text(&site, "personas/小美/index.html");
    assert!(persona.contains("上班族媽媽") && persona.contains("二十分鐘內完成採購"));
    assert!(persona.contains("退貨流程（未來）") && persona.contains("網購結帳"));
    assert!(persona.contains("src=\"../face.svg\""));
    let tag = text(&site, "tags/網購/index.html");
    assert_eq!(tag.matches("class=\"card ").count(), 2);
    text(&site, "tags/a-b/index.html");
    text(&site, "tags/mobile/index.html");
}

#[test]
fn search_index_is_json_and_a_script_with_touchpoint_anchors() {
    let (_dir, site) = built("zh", &[]);
    let json: serde_json::Value = serde_json::from_slice(&site["search-index.json"]).unwrap();
    let docs = json["docs"].as_array().unwrap();
    let map = docs
        .iter()
        .find(|d| d[0] == "零售/結帳%20流程/index.html")
        .expect("the map is indexed");
    let strings = json["strings"].as_array().unwrap();
    let s = |v: &serde_json::Value| strings[v.as_u64().unwrap() as usize].as_str().unwrap();
    let tps = map[4].as_array().unwrap();
    assert!(tps.iter().any(|t| {
        s(&t[1]) == "填寫運送資料"
            && t[2]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| s(x).contains("表單欄位太多"))
    }));
    let js = text(&site, "search-index.js");
    assert!(js.starts_with("window.cxbookSearch="));
    assert!(js.contains("搜尋結果無法依尺寸篩選"));
}

#[test]
fn a_theme_overrides_one_block_of_one_template() {
    let (dir, root) = project("zh");
    let t = root.join("themes/acme/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(
        t.join("map.html"),
        "{% extends \"__cxbook/map.html\" %}{% block map_header %}<h1 class=\"acme\">{{ map.title }}</h1>{% endblock map_header %}",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("themes/acme/static/assets")).unwrap();
    std::fs::write(root.join("themes/acme/static/assets/extra.css"), "body{}").unwrap();
    let toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        toml.replace("[build]", "[build]\ntheme = \"acme\""),
    )
    .unwrap();
    let out = dir.path().join("site");
    build_ok(&root, &out, &[]);
    let site = read_site(&out);
    let map = text(&site, "零售/結帳 流程/index.html");
    assert!(map.contains("<h1 class=\"acme\">"), "the block is replaced");
    assert!(
        map.contains("class=\"map-table\""),
        "the rest of the template stays"
    );
    assert!(!map.contains("class=\"facts\""), "the old block is gone");
    text(&site, "assets/extra.css");
    text(&site, "assets/cxbook.css");
}

/// The default theme writes its data table in Rust; a theme's own table
/// still gets every stage and touchpoint.
#[test]
fn a_theme_can_write_its_own_data_table_from_the_stages() {
    let (dir, root) = project("zh");
    let t = root.join("themes/acme/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(
        t.join("map.html"),
        "{% extends \"__cxbook/map.html\" %}{% block data_table %}<ol class=\"acme\">{% for s in map.stages %}<li>{{ s.name }}: {% for tp in s.touchpoints %}[{{ tp.name }}|{{ tp.emotion }}]{% endfor %}</li>{% endfor %}</ol><p>{{ map.columns | length }}</p>{% endblock data_table %}",
    )
    .unwrap();
    let toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        toml.replace("[build]", "[build]\ntheme = \"acme\""),
    )
    .unwrap();
    let out = dir.path().join("site");
    build_ok(&root, &out, &[]);
    let site = read_site(&out);
    let map = text(&site, "零售/結帳 流程/index.html");
    assert!(
        !map.contains("class=\"map-table\""),
        "the default table is replaced"
    );
    let acme = &map[map.find("<ol class=\"acme\">").expect("the theme's table")..];
    let items = acme[..acme.find("</ol>").unwrap()].matches("<li>").count();
    assert!(items >= 2, "every stage: {acme}");
    assert!(
        acme.contains('|') && acme.contains("]"),
        "touchpoints with emotions: {acme}"
    );
    assert!(map.contains("<p>9</p>"), "the columns");
}

/// The default data table, written in Rust, is byte for byte what the
/// template loop it replaced made (kept as a theme in the fixtures), for
/// every map of the example handbook (every field, three languages' text)
/// and of the fixtures.
#[test]
fn the_rust_data_table_is_the_template_one() {
    let example = manifest().to_path_buf();
    for (from, lang) in [
        (example.clone(), None),
        (example, Some("zh-Hant")),
        (fixture("zh"), None),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("book");
        copy_tree(&from.join("content"), &root.join("content"));
        let mut toml = std::fs::read_to_string(from.join("book.toml")).unwrap();
        if let Some(lang) = lang {
            toml = toml.replace("language = \"en\"", &format!("language = \"{lang}\""));
        }
        std::fs::write(root.join("book.toml"), &toml).unwrap();
        build_ok(&root, &dir.path().join("rust"), &[]);
        let theme = root.join("themes/old-table/templates");
        std::fs::create_dir_all(&theme).unwrap();
        std::fs::copy(
            manifest().join("tests/fixtures/theme-table/map.html"),
            theme.join("map.html"),
        )
        .unwrap();
        let toml = if toml.contains("theme = ") {
            toml.replace("theme = \"default\"", "theme = \"old-table\"")
        } else {
            toml.replace("[build]", "[build]\ntheme = \"old-table\"")
        };
        assert!(toml.contains("old-table"));
        std::fs::write(root.join("book.toml"), toml).unwrap();
        build_ok(&root, &dir.path().join("template"), &[]);
        let (a, b) = (
            read_site(&dir.path().join("rust")),
            read_site(&dir.path().join("template")),
        );
        let mut maps = 0;
        for (path, bytes) in &a {
            let page = String::from_utf8_lossy(bytes);
            if path.ends_with("index.html") && page.contains("class=\"map-table\"") {
                maps += 1;
                assert!(
                    *bytes == b[path],
                    "{path} differs from the template's table ({lang:?})"
                );
            }
        }
        assert!(maps >= 2, "{maps} map pages compared");
    }
}

#[test]
fn every_language_has_its_labels_and_html_lang() {
    for (lang, word) in [
        ("en", "Swimlane"),
        ("zh-Hans", "泳道图"),
        ("zh-Hant", "泳道圖"),
    ] {
        let (dir, root) = project("zh");
        let toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
        std::fs::write(
            root.join("book.toml"),
            toml.replace("language = \"zh-Hant\"", &format!("language = \"{lang}\"")),
        )
        .unwrap();
        let out = dir.path().join("site");
        build_ok(&root, &out, &[]);
        let site = read_site(&out);
        let map = text(&site, "零售/結帳 流程/index.html");
        assert!(map.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        assert!(map.contains(word), "{lang}: {word}");
    }
}

#[test]
fn navigation_stays_small_with_many_maps() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    let content = root.join("content/big");
    std::fs::create_dir_all(&content).unwrap();
    let n = 400;
    for i in 0..n {
        std::fs::write(
            content.join(format!("m{i:04}.md")),
            format!("---\ntitle: Map {i:04}\nstages:\n  - name: S\n    touchpoints:\n      - name: T\n        emotion: 1\n---\n"),
        )
        .unwrap();
    }
    let out = dir.path().join("site");
    build_ok(&root, &out, &[]);
    let site = read_site(&out);
    let page = text(&site, "big/m0200/index.html");
    let entries = page.matches("<li class=\"nav-").count();
    assert!(entries < 40, "{entries} navigation entries for {n} maps");
    assert!(page.contains("aria-current=\"page\">Map 0200</a>"));
    let section = text(&site, "big/index.html");
    assert_eq!(
        section.matches("class=\"card ").count(),
        n,
        "the section lists all"
    );
    check_links(&site, "/");
}

#[test]
fn rendering_twice_gives_the_same_bytes() {
    let (_dir, root) = project("zh");
    let p = cxbook::Project::load(&root).unwrap();
    let a = cxbook::site::render(&p).unwrap();
    let b = cxbook::site::render(&p).unwrap();
    assert_eq!(a, b);
    let c = cxbook::site::render_with(
        &p,
        &cxbook::site::BuildOptions {
            base_url: Some("/other/".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        std::str::from_utf8(&c.files["sitemap.xml"])
            .unwrap()
            .contains("/other/")
    );
}

// ---- Safety (SPEC section 6) ----

#[test]
fn refuses_the_project_root_content_theme_and_their_ancestors() {
    let (dir, root) = project("zh");
    std::fs::create_dir_all(root.join("themes/default/templates")).unwrap();
    // Nothing in the project may change.
    let sources = |root: &Path| read_site(root);
    for out in [
        root.clone(),
        root.join("content"),
        root.join("content/零售"),
        root.join("themes/default"),
        root.join("themes"),
        dir.path().to_path_buf(),
    ] {
        let before = sources(&root);
        let (ok, stderr) = build(&root, &out, &[]);
        assert!(!ok, "built into {}", out.display());
        assert!(stderr.contains("refusing"), "{stderr}");
        assert!(
            before == sources(&root),
            "something changed for {}",
            out.display()
        );
    }
}

#[test]
fn refuses_a_non_empty_folder_it_did_not_create() {
    let (dir, root) = project("zh");
    let out = dir.path().join("docs");
    std::fs::create_dir_all(out.join(".git")).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let (ok, stderr) = build(&root, &out, &[]);
    assert!(!ok);
    assert!(stderr.contains("cxbook did not create it"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(out.join(".git").is_dir());
    // An empty folder is fine, and a generated one is replaced.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    build_ok(&root, &empty, &[]);
    build_ok(&root, &empty, &[]);
    assert!(empty.join(".cxbook-generated").is_file());
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let (dir, root) = project("zh");
    let out = dir.path().join("site");
    build_ok(&root, &out, &[]);
    let before = read_site(&out);
    // A theme whose template does not parse makes the next build fail.
    let t = root.join("themes/broken/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(
        t.join("map.html"),
        "{% extends \"__cxbook/map.html\" %}{% block map_header %}{{ oops(",
    )
    .unwrap();
    let toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        toml.replace("[build]", "[build]\ntheme = \"broken\""),
    )
    .unwrap();
    let (ok, stderr) = build(&root, &out, &[]);
    assert!(!ok, "the broken theme must fail");
    assert!(stderr.contains("template"), "{stderr}");
    assert!(before == read_site(&out), "the previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".cxbook"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_status_without_a_priority_is_not_led_by_a_separator() {
    let (_dir, root) = project("zh");
    let out = root.join("public");
    build_ok(&root, &out, &[]);
    let site = read_site(&out);
    let pains = text(&site, "reports/pains/index.html");
    assert!(
        pains.contains("<td>已完成</td>"),
        "the opportunity with only a status"
    );
    assert!(
        !pains.contains("<td> · "),
        "no cell starts with a separator"
    );
}

#[test]
fn a_rebuilt_program_is_an_input_of_the_build() {
    // The fingerprint covers the program file: a newer cxbook of the same
    // version must not call an old output up to date.
    let (dir, root) = project("zh");
    let out = root.join("public");
    build_ok(&root, &out, &[]);
    let marker = std::fs::read_to_string(out.join(".cxbook-generated")).unwrap();
    let exe = std::path::PathBuf::from(env!("CARGO_BIN_EXE_cxbook"));
    let copy = dir.path().join("cxbook-copy");
    std::fs::copy(&exe, &copy).unwrap();
    let status = std::process::Command::new(&copy)
        .args(["build", "--quiet", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let again = std::fs::read_to_string(out.join(".cxbook-generated")).unwrap();
    assert_ne!(marker, again, "a different program file rebuilt the site");
}
