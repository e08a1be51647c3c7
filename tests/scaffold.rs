//! `cxbook init`, `cxbook new map` and `cxbook new persona`, run through the
//! real binary (issue 4).

use cxbook::content::{self, yaml};
use cxbook::{Diagnostic, Project};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cxbook(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cxbook"))
        .args(args)
        .current_dir(cwd)
        .env("CXBOOK_TODAY", "2026-11-23")
        .env("NO_COLOR", "1")
        .output()
        .expect("run cxbook")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The path `new` printed on stdout.
fn printed_path(o: &Output) -> PathBuf {
    assert!(o.status.success(), "stderr: {}", stderr(o));
    PathBuf::from(stdout(o).trim())
}

/// The value of a top-level front-matter key, as the loader reads it.
fn front_matter_str(file: &Path, key: &str) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let split = content::split(file, &text).unwrap().expect("front matter");
    let node = yaml::parse(split.front).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    let yaml::Value::Map(entries) = node.value else {
        panic!("front matter is not a mapping:\n{text}")
    };
    entries
        .into_iter()
        .find_map(|(k, v)| match (k.value, v.value) {
            (yaml::Value::Str(k), yaml::Value::Str(v)) if k == key => Some(v),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no `{key}` text in:\n{text}"))
}

fn errors(project: &Project) -> Vec<&Diagnostic> {
    project
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect()
}

#[test]
fn init_scaffolds_a_valid_handbook_in_a_new_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cxbook(&["init", "handbook"], tmp.path());
    assert!(out.status.success(), "stderr: {}", stderr(&out));
    let dir = tmp.path().join("handbook");
    for f in [
        "book.toml",
        "content/_index.md",
        "content/first-order.md",
        "content/personas/first-time-customer.md",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
        assert!(stdout(&out).contains(&Path::new("handbook").join(f).display().to_string()));
    }
    let project = Project::load(&dir).unwrap();
    assert!(errors(&project).is_empty(), "{:#?}", project.diagnostics);
    let hb = &project.handbook;
    assert_eq!((hb.maps.len(), hb.personas.len()), (1, 1), "{hb:#?}");
    assert_eq!(
        hb.maps[0].persona.as_deref(),
        Some(hb.personas[0].id.as_str())
    );
    assert!(hb.pages.iter().any(|p| p.id == "_index"), "{:#?}", hb.pages);
    assert!(
        project.diagnostics.is_empty(),
        "the sample should not even warn: {:#?}",
        project.diagnostics
    );
    let check = cxbook(&["check", "--root", "handbook"], tmp.path());
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn init_in_the_current_folder_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cxbook(&["init"], tmp.path());
    assert!(out.status.success(), "stderr: {}", stderr(&out));
    assert!(tmp.path().join("book.toml").is_file());
    assert!(tmp.path().join("content/first-order.md").is_file());
}

#[test]
fn init_refuses_an_existing_book_toml_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("book.toml"), "# mine\n").unwrap();
    let out = cxbook(&["init", "."], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("book.toml"), "{}", stderr(&out));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("book.toml")).unwrap(),
        "# mine\n"
    );
    assert!(!tmp.path().join("content").exists(), "init wrote content/");
}

#[test]
fn init_refuses_an_existing_sample_map() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("content")).unwrap();
    std::fs::write(tmp.path().join("content/first-order.md"), "mine").unwrap();
    let out = cxbook(&["init"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("first-order.md"), "{}", stderr(&out));
    assert!(!tmp.path().join("book.toml").exists());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("content/first-order.md")).unwrap(),
        "mine"
    );
}

#[test]
fn new_map_with_a_chinese_title_keeps_it_in_the_file_name() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(cxbook(&["init"], tmp.path()).status.success());
    let title = "開立數位帳戶：第一次申辦";
    let out = cxbook(&["new", "map", title], tmp.path());
    let path = printed_path(&out);
    assert_eq!(
        path,
        Path::new(".").join("content/開立數位帳戶-第一次申辦.md")
    );
    let file = tmp.path().join(&path);
    assert_eq!(front_matter_str(&file, "title"), title);
    let project = Project::load(tmp.path()).unwrap();
    assert!(errors(&project).is_empty(), "{:#?}", project.diagnostics);
    let map = project
        .handbook
        .map("開立數位帳戶-第一次申辦")
        .expect("loaded as a map");
    assert_eq!(map.title, title);
}

#[test]
fn new_map_title_with_colon_hash_and_quotes_survives() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(cxbook(&["init"], tmp.path()).status.success());
    for title in [
        "Checkout: step 2 # of 3",
        "a: b # c",
        "\"Quoted\" and \\back\\slashed",
        "- [ ] not a list & not *an alias",
        "{{title}} {{neutral}}",
    ] {
        // `--` lets a title start with `-`.
        let out = cxbook(&["new", "map", "--root", ".", "--", title], tmp.path());
        let file = tmp.path().join(printed_path(&out));
        assert_eq!(
            front_matter_str(&file, "title"),
            title,
            "{}",
            file.display()
        );
    }
    let names: Vec<String> = std::fs::read_dir(tmp.path().join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.contains(&"checkout-step-2-of-3.md".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"a-b-c.md".to_string()), "{names:?}");
    let project = Project::load(tmp.path()).unwrap();
    assert!(errors(&project).is_empty(), "{:#?}", project.diagnostics);
}

#[test]
fn new_map_never_overwrites_and_numbers_the_next_one() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(cxbook(&["init"], tmp.path()).status.success());
    let first = printed_path(&cxbook(&["new", "map", "Claim"], tmp.path()));
    std::fs::write(tmp.path().join(&first), "edited").unwrap();
    let second = printed_path(&cxbook(&["new", "map", "Claim"], tmp.path()));
    assert_eq!(first, Path::new(".").join("content/claim.md"));
    assert_eq!(second, Path::new(".").join("content/claim-2.md"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(&first)).unwrap(),
        "edited"
    );
}

#[test]
fn new_map_without_a_usable_name_falls_back_to_map() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(cxbook(&["init"], tmp.path()).status.success());
    let path = printed_path(&cxbook(&["new", "map", "<>:\"/\\|?*"], tmp.path()));
    assert_eq!(path, Path::new(".").join("content/map.md"));
    assert_eq!(
        front_matter_str(&tmp.path().join(&path), "title"),
        "<>:\"/\\|?*"
    );
}

#[test]
fn new_map_uses_the_neutral_point_of_the_project_scale() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("book.toml"),
        "[emotion]\nmin = 1\nmax = 5\n",
    )
    .unwrap();
    let path = printed_path(&cxbook(&["new", "map", "Survey scale"], tmp.path()));
    let text = std::fs::read_to_string(tmp.path().join(path)).unwrap();
    assert!(text.contains("emotion: 3 "), "{text}");
    let project = Project::load(tmp.path()).unwrap();
    assert!(errors(&project).is_empty(), "{:#?}", project.diagnostics);
}

#[test]
fn new_persona_goes_to_content_personas() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(cxbook(&["init"], tmp.path()).status.success());
    let path = printed_path(&cxbook(&["new", "persona", "小王: 退休教師"], tmp.path()));
    assert_eq!(
        path,
        Path::new(".").join("content/personas/小王-退休教師.md")
    );
    assert_eq!(
        front_matter_str(&tmp.path().join(&path), "name"),
        "小王: 退休教師"
    );
    let project = Project::load(tmp.path()).unwrap();
    assert!(errors(&project).is_empty(), "{:#?}", project.diagnostics);
}

#[test]
fn new_outside_a_project_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cxbook(&["new", "map", "Lost"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cxbook init"), "{}", stderr(&out));
    assert!(!tmp.path().join("content").exists());
}

#[test]
fn new_refuses_an_empty_title() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(cxbook(&["init"], tmp.path()).status.success());
    let out = cxbook(&["new", "map", "   "], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("must not be empty"),
        "{}",
        stderr(&out)
    );
}
