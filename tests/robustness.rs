//! Hostile and unusual input to `cxbook check` (issue 2): each case builds a
//! small project in a temporary folder, runs the real binary with
//! `--format json` under a time limit, and checks the exit status and where
//! the diagnostic points. No input may panic or hang.

use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small valid map; cases change one thing in it.
const MAP: &str = "---
title: Robust map
stages:
  - name: Start
    touchpoints:
      - name: Tap
        emotion: 1
---

Body text.
";

/// Generous: debug builds on a loaded 2-core machine. A hang is minutes.
const LIMIT: Duration = Duration::from_secs(60);

struct Run {
    status: i32,
    json: Value,
    stdout: String,
    stderr: String,
}

impl Run {
    fn diagnostics(&self) -> &[Value] {
        self.json["diagnostics"]
            .as_array()
            .map_or(&[], Vec::as_slice)
    }

    /// The first error, or a panic that shows the whole report.
    fn error(&self) -> &Value {
        self.diagnostics()
            .iter()
            .find(|d| d["severity"] == "error")
            .unwrap_or_else(|| panic!("no error reported: {}\n{}", self.stdout, self.stderr))
    }

    fn errors_count(&self) -> u64 {
        self.json["errors"].as_u64().unwrap_or(0)
    }
}

/// A project folder: `book.toml` (optional) and files under `content/`.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        Project { dir }
    }

    fn with(self, rel: &str, bytes: impl AsRef<[u8]>) -> Self {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `cxbook check --root DIR --format json`, killed after [`LIMIT`].
    fn check(&self) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cxbook"))
            .args(["check", "--format", "json", "--root"])
            .arg(self.path())
            .env("CXBOOK_TODAY", "2026-11-23")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run cxbook");
        // Read both pipes on threads so a big report cannot block the child.
        let mut out_pipe = child.stdout.take().unwrap();
        let mut err_pipe = child.stderr.take().unwrap();
        let out_thread = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = out_pipe.read_to_string(&mut s);
            s
        });
        let err_thread = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err_pipe.read_to_string(&mut s);
            s
        });
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("cxbook check did not finish within {LIMIT:?}: a hang");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = out_thread.join().unwrap();
        let stderr = err_thread.join().unwrap();
        let status = status.code().expect("killed by a signal (a crash)");
        assert!(!stderr.contains("panicked"), "cxbook panicked:\n{stderr}");
        let json: Value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
        // Shown with `--nocapture`: what each case observed.
        let first = json["diagnostics"].get(0).map_or(String::new(), |d| {
            format!(
                "{}:{}:{} [{}] {}",
                d["file"].as_str().unwrap_or(""),
                d["line"],
                d["column"],
                d["code"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or("")
            )
        });
        eprintln!("observed: exit {status} {first}");
        Run {
            status,
            json,
            stdout,
            stderr,
        }
    }
}

fn map_with(front_extra: &str) -> String {
    MAP.replacen(
        "title: Robust map\n",
        &format!("title: Robust map\n{front_extra}"),
        1,
    )
}

/// Asserts the error's file, line, column and code.
#[track_caller]
fn assert_at(run: &Run, file: &str, line: u64, column: u64, code: &str) {
    let e = run.error();
    assert_eq!(e["file"], file, "{e:#}");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(line), Some(column)),
        "{e:#}"
    );
    assert_eq!(e["code"], code, "{e:#}");
    assert!(
        !e["message"].as_str().unwrap_or("").is_empty(),
        "an error needs a message: {e:#}"
    );
}

#[test]
fn a_valid_map_passes() {
    let run = Project::new().with("content/a.md", MAP).check();
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.json["version"], 1);
    assert_eq!(run.errors_count(), 0);
}

#[test]
fn invalid_utf8_is_an_error_at_the_bad_byte() {
    let mut bytes = MAP.as_bytes().to_vec();
    // "title: Robust map" -> "title: Rob\xffst map"
    let i = MAP.find("ust map").unwrap();
    bytes[i] = 0xff;
    let run = Project::new().with("content/a.md", bytes).check();
    assert_eq!(run.status, 1);
    assert_at(&run, "content/a.md", 2, 11, "not-utf8");
    assert!(run.error()["hint"].as_str().unwrap().contains("UTF-8"));
}

#[test]
fn a_byte_order_mark_is_accepted_and_does_not_shift_columns() {
    let run = Project::new()
        .with("content/a.md", format!("\u{feff}{MAP}"))
        .check();
    assert_eq!(run.status, 0, "{}", run.stdout);
    // On line 1 a BOM must not count as a column.
    let run = Project::new()
        .with(
            "content/a.md",
            format!("\u{feff}---\ntitel: x\n{}", &MAP[4..]),
        )
        .check();
    assert_eq!(run.status, 1);
    assert_at(&run, "content/a.md", 2, 1, "unknown-key");
}

#[test]
fn crlf_line_endings_are_accepted_with_the_same_positions() {
    let crlf = MAP.replace('\n', "\r\n");
    let run = Project::new().with("content/a.md", &crlf).check();
    assert_eq!(run.status, 0, "{}", run.stdout);
    let bad = map_with("emotoin: 1\n").replace('\n', "\r\n");
    let run = Project::new().with("content/a.md", bad).check();
    assert_eq!(run.status, 1);
    assert_at(&run, "content/a.md", 3, 1, "unknown-key");
}

#[test]
fn an_empty_file_does_not_crash() {
    let run = Project::new()
        .with("content/a.md", MAP)
        .with("content/empty.md", "")
        .check();
    // An empty file has no title: a plain page without its required title.
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert_at(&run, "content/empty.md", 1, 1, "empty-file");
}

#[test]
fn front_matter_without_its_closing_line_is_an_error_at_the_opening() {
    let unclosed = MAP.replace("---\n\nBody text.\n", "\nBody text.\n");
    let run = Project::new().with("content/a.md", unclosed).check();
    assert_eq!(run.status, 1);
    assert_at(&run, "content/a.md", 1, 1, "unclosed-front-matter");
}

#[test]
fn a_yaml_alias_bomb_is_refused_quickly() {
    let mut bomb = String::from(
        "---\ntitle: Bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let (prev, name) = (w[0], w[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    bomb.push_str("---\n");
    let start = Instant::now();
    let run = Project::new().with("content/bomb.md", bomb).check();
    assert_eq!(run.status, 1);
    let e = run.error();
    assert_eq!(e["file"], "content/bomb.md");
    assert_eq!(e["code"], "yaml-syntax");
    assert!(e["line"].as_u64().unwrap() >= 2, "{e:#}");
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn nesting_ten_thousand_levels_deep_is_refused() {
    let flow = format!(
        "---\ntitle: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    // Block style: `- - - ... x`, a list in a list, 10,000 times.
    let block = format!("---\n{}x\n---\n", "- ".repeat(10_000));
    let run = Project::new()
        .with("content/flow.md", flow)
        .with("content/block.md", block)
        .check();
    assert_eq!(run.status, 1);
    let files: Vec<&str> = run
        .diagnostics()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"content/flow.md"), "{files:?}");
    assert!(files.contains(&"content/block.md"), "{files:?}");
    for d in run.diagnostics() {
        assert_eq!(d["code"], "yaml-syntax", "{d:#}");
        assert!(d["line"].as_u64().unwrap() >= 2, "{d:#}");
    }
}

#[test]
fn a_ten_megabyte_file_is_read_and_accepted() {
    let line =
        "The customer waits on hold and listens to the same song again. 顧客在電話中等候。\n";
    let mut big = String::from(MAP);
    while big.len() < 10 * 1024 * 1024 {
        big.push_str(line);
    }
    let start = Instant::now();
    let run = Project::new().with("content/big.md", big).check();
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn ten_megabytes_of_front_matter_are_read_and_accepted() {
    // About 100,000 touchpoints: under the parser's value budget, so valid.
    let mut big = String::from("---\ntitle: Huge\nstages:\n");
    let mut i = 0;
    while big.len() < 10 * 1024 * 1024 {
        if i % 100 == 0 {
            big.push_str(&format!("  - name: Stage {}\n    touchpoints:\n", i / 100));
        }
        big.push_str(&format!(
            "      - name: Touchpoint number {i} with a fairly long name\n        emotion: {}\n        channel: web\n",
            i % 5 - 2
        ));
        i += 1;
    }
    big.push_str("---\nbody\n");
    let run = Project::new().with("content/huge.md", big).check();
    assert_eq!(run.status, 0, "{}", run.stdout);
}

#[test]
fn a_binary_file_with_an_md_name_is_an_error() {
    // The start of a PNG file: NUL bytes and bytes that are not UTF-8.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";
    let run = Project::new()
        .with("content/a.md", MAP)
        .with("content/image.md", png)
        .check();
    assert_eq!(run.status, 1);
    assert_at(&run, "content/image.md", 1, 1, "not-text");
    // Valid UTF-8 with NUL bytes is binary too (git's rule: a NUL in the
    // first 8,000 bytes), reported for the whole file.
    let run = Project::new()
        .with(
            "content/data.md",
            b"---\ntitle: x\n---\nab\0\0\0cd".as_slice(),
        )
        .check();
    assert_eq!(run.status, 1);
    assert_at(&run, "content/data.md", 1, 1, "not-text");
    // A NUL further down a text file is placed where it is.
    let text = format!(
        "---\ntitle: x\n---\n{}ab\0cd\n",
        format!("{}\n", "a".repeat(99)).repeat(90)
    );
    let run = Project::new().with("content/late.md", text).check();
    assert_eq!(run.status, 1);
    assert_at(&run, "content/late.md", 94, 3, "not-text");
}

#[test]
fn nan_and_infinity_are_not_emotions_or_metrics() {
    for (value, label) in [
        (".nan", "nan"),
        (".inf", "inf"),
        ("-.inf", "-inf"),
        (".NaN", "NaN"),
    ] {
        let text = MAP.replace("emotion: 1", &format!("emotion: {value}"));
        let run = Project::new().with("content/a.md", text).check();
        assert_eq!(run.status, 1, "{label}: {}", run.stdout);
        // `        emotion: .nan`: the value starts at column 18.
        assert_at(&run, "content/a.md", 7, 18, "not-finite");
    }
    let text = MAP.replace(
        "emotion: 1",
        "emotion: 1\n        metrics: { NPS: .inf, CSAT: { value: .nan } }",
    );
    let run = Project::new().with("content/a.md", text).check();
    assert_eq!(run.status, 1, "{}", run.stdout);
    let lines: Vec<u64> = run
        .diagnostics()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [8, 8], "both metrics are reported: {}", run.stdout);
}

#[test]
fn duplicate_keys_are_an_error_at_the_second_one() {
    let text = map_with("tags: [a]\ntitle: Again\n");
    let run = Project::new().with("content/a.md", text).check();
    assert_eq!(run.status, 1);
    assert_at(&run, "content/a.md", 4, 1, "duplicate-key");
    assert!(
        run.error()["message"].as_str().unwrap().contains("title"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_date_that_does_not_exist_is_an_error_at_the_value() {
    let run = Project::new()
        .with("content/a.md", map_with("reviewed: 2026-02-30\n"))
        .check();
    assert_eq!(run.status, 1);
    assert_at(&run, "content/a.md", 3, 11, "bad-date");
    let msg = run.error()["message"].as_str().unwrap();
    assert!(msg.contains("2026-02-30"), "{msg}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_under_content_is_reported_not_followed_forever() {
    let project = Project::new().with("content/retail/a.md", MAP);
    std::os::unix::fs::symlink("..", project.path().join("content/retail/loop")).unwrap();
    let run = project.check();
    assert_eq!(run.status, 1, "{}", run.stdout);
    let e = run.error();
    assert_eq!(e["code"], "unreadable");
    assert!(
        e["file"]
            .as_str()
            .unwrap()
            .starts_with("content/retail/loop"),
        "{e:#}"
    );
    assert!(e["message"].as_str().unwrap().contains("loop"), "{e:#}");
}

#[test]
fn a_book_toml_syntax_error_is_a_configuration_error() {
    let run = Project::new()
        .with("content/a.md", MAP)
        .with("book.toml", "[book]\ntitle = \"Unclosed\n")
        .check();
    assert_eq!(run.status, 2);
    let e = run.error();
    assert_eq!(e["file"], "book.toml");
    assert_eq!(e["code"], "config");
    assert_eq!(e["line"], 2, "{e:#}");
}

#[test]
fn a_book_toml_unknown_key_is_a_configuration_error_with_a_hint() {
    let run = Project::new()
        .with("content/a.md", MAP)
        .with(
            "book.toml",
            "[book]\ntitle = \"X\"\n\n[check]\nstale-after-dayz = 30\n",
        )
        .check();
    assert_eq!(run.status, 2);
    assert_at(&run, "book.toml", 5, 1, "config");
    assert_eq!(run.error()["hint"], "did you mean `stale-after-days`?");
}
