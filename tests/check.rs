//! `cxbook check` on small handbooks broken in one way each: the real binary
//! runs, and each diagnostic's code, file, line, column and hint are
//! compared with what the file says.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const GOOD_MAP: &str = "---
title: Checkout
persona: busy-parent
reviewed: 2026-05-04
stages:
  - name: Purchase
    touchpoints:
      - name: Basket
        emotion: 1
---
Body.
";

const PERSONA: &str = "---\nname: Busy parent\n---\n";

/// Writes `files` (path under the root, contents) into a temp project.
fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    for (path, body) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    dir
}

/// Runs `cxbook check --format json` and returns (exit code, report).
fn check(root: &Path) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_cxbook"))
        .args(["check", "--format", "json", "--root"])
        .arg(root)
        .env("CXBOOK_TODAY", "2026-11-23")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), report)
}

/// One expected diagnostic.
struct Want {
    code: &'static str,
    file: &'static str,
    line: u64,
    column: u64,
    hint: Option<&'static str>,
}

fn want(
    code: &'static str,
    file: &'static str,
    line: u64,
    column: u64,
    hint: Option<&'static str>,
) -> Want {
    Want {
        code,
        file,
        line,
        column,
        hint,
    }
}

fn assert_reports(files: &[(&str, &[u8])], exit: i32, wants: &[Want]) {
    let dir = project(files);
    let (code, report) = check(dir.path());
    let diags = report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(code, exit, "exit status; report: {report:#}");
    for w in wants {
        let found = diags.iter().find(|d| {
            // Line 0 in a `Want` accepts any position.
            d["code"] == w.code
                && d["file"] == w.file
                && (w.line == 0 || (d["line"] == w.line && d["column"] == w.column))
        });
        let d = found.unwrap_or_else(|| {
            panic!(
                "no `{}` at {}:{}:{}: {report:#}",
                w.code, w.file, w.line, w.column
            )
        });
        if let Some(h) = w.hint {
            let hint = d["hint"].as_str().unwrap_or("");
            assert!(
                hint.contains(h),
                "hint of `{}` should contain {h:?}: {d:#}",
                w.code
            );
        }
        assert!(!d["message"].as_str().unwrap_or("").is_empty());
    }
}

fn map_with(touchpoint_extra: &str) -> String {
    format!(
        "---\ntitle: T\nstages:\n  - name: S\n    touchpoints:\n      - name: P\n{touchpoint_extra}---\n"
    )
}

#[test]
fn a_valid_handbook_has_no_problems() {
    let dir = project(&[
        ("content/checkout.md", GOOD_MAP.as_bytes()),
        ("content/personas/busy-parent.md", PERSONA.as_bytes()),
    ]);
    let (code, report) = check(dir.path());
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["errors"], 0);
    assert_eq!(report["version"], 1);
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let m = map_with("        emotoin: 1\n");
    assert_reports(
        &[("content/m.md", m.as_bytes())],
        1,
        &[want(
            "unknown-key",
            "content/m.md",
            7,
            9,
            Some("did you mean `emotion`?"),
        )],
    );
}

#[test]
fn emotion_outside_the_scale_gives_the_range() {
    let m = map_with("        emotion: 7\n");
    assert_reports(
        &[("content/m.md", m.as_bytes())],
        1,
        &[want(
            "emotion-out-of-scale",
            "content/m.md",
            7,
            18,
            Some("from -2 to 2"),
        )],
    );
}

#[test]
fn a_map_scale_overrides_the_site_scale() {
    let m = "---\ntitle: T\nemotion: { min: 1, max: 5 }\nstages:\n  - name: S\n    touchpoints:\n      - name: P\n        emotion: 0\n---\n";
    assert_reports(
        &[("content/m.md", m.as_bytes())],
        1,
        &[want(
            "emotion-out-of-scale",
            "content/m.md",
            8,
            18,
            Some("from 1 to 5"),
        )],
    );
    let ok = m.replace("emotion: 0", "emotion: 5");
    assert_reports(&[("content/m.md", ok.as_bytes())], 0, &[]);
}

#[test]
fn nan_and_infinity_are_refused() {
    let m = map_with("        emotion: .nan\n        metrics: { NPS: .inf }\n");
    assert_reports(
        &[("content/m.md", m.as_bytes())],
        1,
        &[
            want("not-finite", "content/m.md", 7, 18, None),
            want("not-finite", "content/m.md", 8, 25, None),
        ],
    );
}

#[test]
fn quoted_numbers_are_text() {
    let m = map_with("        emotion: \"1\"\n");
    assert_reports(
        &[("content/m.md", m.as_bytes())],
        1,
        &[want(
            "wrong-type",
            "content/m.md",
            7,
            18,
            Some("remove the quotes"),
        )],
    );
}

#[test]
fn unknown_words_list_the_allowed_ones() {
    let m = map_with(
        "        evidence: asumption\n        pains:\n          - text: Slow\n            kind: proces\n            severity: huge\n        opportunities:\n          - text: Faster\n            priority: urgent\n            status: doing\n",
    );
    assert_reports(
        &[("content/m.md", m.as_bytes())],
        1,
        &[
            want(
                "unknown-value",
                "content/m.md",
                7,
                19,
                Some("did you mean `assumption`?"),
            ),
            want(
                "unknown-value",
                "content/m.md",
                10,
                19,
                Some("did you mean `process`?"),
            ),
            want(
                "unknown-value",
                "content/m.md",
                11,
                23,
                Some("low, medium, high"),
            ),
            want(
                "unknown-value",
                "content/m.md",
                14,
                23,
                Some("low, medium, high"),
            ),
            want(
                "unknown-value",
                "content/m.md",
                15,
                21,
                Some("idea, planned, in-progress, done, dropped"),
            ),
        ],
    );
}

#[test]
fn lanes_and_state_take_known_words() {
    let m = "---\ntitle: T\nstate: futur\nlanes: [actions, emotoins]\nstages:\n  - name: S\n    touchpoints:\n      - name: P\n---\n";
    assert_reports(
        &[("content/m.md", m.as_bytes())],
        1,
        &[
            want(
                "unknown-value",
                "content/m.md",
                3,
                8,
                Some("did you mean `future`?"),
            ),
            want(
                "unknown-value",
                "content/m.md",
                4,
                18,
                Some("did you mean `emotions`?"),
            ),
        ],
    );
}

#[test]
fn missing_persona_suggests_the_nearest_id() {
    let m = GOOD_MAP.replace("busy-parent", "busy-parnet");
    assert_reports(
        &[
            ("content/m.md", m.as_bytes()),
            ("content/personas/busy-parent.md", PERSONA.as_bytes()),
        ],
        1,
        &[want(
            "unknown-persona",
            "content/m.md",
            3,
            10,
            Some("did you mean `busy-parent`?"),
        )],
    );
}

#[test]
fn compare_must_name_another_existing_map() {
    let me = GOOD_MAP.replace("persona: busy-parent", "compare: retail/m");
    let other = GOOD_MAP.replace("persona: busy-parent", "compare: retail/nope");
    assert_reports(
        &[
            ("content/retail/m.md", me.as_bytes()),
            ("content/retail/o.md", other.as_bytes()),
        ],
        1,
        &[
            want("compare-self", "content/retail/m.md", 3, 10, None),
            want("unknown-map", "content/retail/o.md", 3, 10, None),
        ],
    );
}

#[test]
fn required_keys_are_named() {
    let no_title = "---\nstages:\n  - name: S\n    touchpoints:\n      - name: P\n---\n";
    let no_tp = "---\ntitle: T\nstages:\n  - name: S\n    touchpoints: []\n---\n";
    let no_stages = "---\ntitle: T\nstages: []\n---\n";
    let no_name =
        "---\ntitle: T\nstages:\n  - name: S\n    touchpoints:\n      - channel: web\n---\n";
    assert_reports(
        &[
            ("content/a.md", no_title.as_bytes()),
            ("content/b.md", no_tp.as_bytes()),
            ("content/c.md", no_stages.as_bytes()),
            ("content/d.md", no_name.as_bytes()),
            ("content/personas/p.md", b"---\nrole: x\n---\n"),
            ("content/page.md", b"---\nweight: 1\n---\n"),
        ],
        1,
        &[
            want("missing-key", "content/a.md", 2, 1, Some("add `title: …`")),
            want("no-touchpoints", "content/b.md", 5, 18, None),
            want("no-stages", "content/c.md", 3, 9, None),
            want("missing-key", "content/d.md", 6, 9, Some("add `name: …`")),
            want(
                "missing-key",
                "content/personas/p.md",
                2,
                1,
                Some("add `name: …`"),
            ),
            want(
                "missing-key",
                "content/page.md",
                2,
                1,
                Some("add `title: …`"),
            ),
        ],
    );
}

#[test]
fn dates_must_exist() {
    let m = GOOD_MAP.replace("2026-05-04", "2026-02-30");
    let due =
        map_with("        opportunities:\n          - text: X\n            due: 31/03/2026\n");
    assert_reports(
        &[
            ("content/m.md", m.as_bytes()),
            ("content/d.md", due.as_bytes()),
            ("content/personas/busy-parent.md", PERSONA.as_bytes()),
        ],
        1,
        &[
            want("bad-date", "content/m.md", 4, 11, Some("YYYY-MM-DD")),
            want("bad-date", "content/d.md", 9, 18, None),
        ],
    );
}

#[test]
fn duplicate_keys_name_the_first_line() {
    let m =
        "---\ntitle: A\ntitle: B\nstages:\n  - name: S\n    touchpoints:\n      - name: P\n---\n";
    assert_reports(
        &[("content/m.md", m.as_bytes())],
        1,
        &[want("duplicate-key", "content/m.md", 3, 1, Some("line 2"))],
    );
}

#[test]
fn metrics_need_a_value_and_numbers() {
    let m = map_with("        metrics:\n          nps: { target: 40 }\n          csat: high\n");
    assert_reports(
        &[("content/m.md", m.as_bytes())],
        1,
        &[
            want("missing-key", "content/m.md", 8, 16, Some("value")),
            want("wrong-type", "content/m.md", 9, 17, None),
        ],
    );
}

#[test]
fn yaml_syntax_errors_are_placed_in_the_file() {
    let m = "---\ntitle: T\nstages: [\n  - name: S\n---\n";
    let dir = project(&[("content/m.md", m.as_bytes())]);
    let (code, report) = check(dir.path());
    assert_eq!(code, 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "yaml-syntax");
    assert!(d["line"].as_u64().unwrap() >= 3, "{d:#}");
}

#[test]
fn files_that_cannot_be_read_as_markdown() {
    let deep = format!(
        "---\ntitle: deep\nx: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let mut bomb = String::from("---\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for (n, p) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "{n}: &{n} [{}]\n",
            vec![format!("*{p}"); 9].join(",")
        ));
    }
    bomb.push_str("---\n");
    let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    assert_reports(
        &[
            ("content/empty.md", b""),
            ("content/open.md", b"---\ntitle: never closed\n"),
            ("content/latin1.md", b"---\ntitle: Caf\xe9\n---\n"),
            ("content/binary.md", &binary),
            ("content/deep.md", deep.as_bytes()),
            ("content/bomb.md", bomb.as_bytes()),
            ("content/plain.md", b"# Just a heading\n"),
            ("content/blank-front.md", b"---\n---\nbody\n"),
        ],
        1,
        &[
            want("empty-file", "content/empty.md", 1, 1, None),
            want(
                "unclosed-front-matter",
                "content/open.md",
                1,
                1,
                Some("`---`"),
            ),
            want("not-utf8", "content/latin1.md", 2, 11, Some("UTF-8")),
            want("not-text", "content/binary.md", 1, 1, Some("extension")),
            want("yaml-syntax", "content/deep.md", 3, 68, Some("nests")),
            want("yaml-syntax", "content/bomb.md", 0, 0, Some("alias")),
            want("missing-front-matter", "content/plain.md", 1, 1, None),
            want("empty-front-matter", "content/blank-front.md", 1, 1, None),
        ],
    );
}

#[test]
fn bom_and_crlf_are_accepted_and_positions_stay_right() {
    let crlf = map_with("        emotion: 9\n").replace('\n', "\r\n");
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(GOOD_MAP.as_bytes());
    assert_reports(
        &[
            ("content/crlf.md", crlf.as_bytes()),
            ("content/bom.md", &bom),
            ("content/personas/busy-parent.md", PERSONA.as_bytes()),
        ],
        1,
        &[want("emotion-out-of-scale", "content/crlf.md", 7, 18, None)],
    );
    let dir = project(&[
        ("content/bom.md", &bom),
        ("content/personas/busy-parent.md", PERSONA.as_bytes()),
    ]);
    assert_eq!(check(dir.path()).0, 0);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_not_followed_forever() {
    let dir = project(&[
        ("content/m.md", GOOD_MAP.as_bytes()),
        ("content/personas/busy-parent.md", PERSONA.as_bytes()),
    ]);
    std::fs::create_dir_all(dir.path().join("content/sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("content/sub/loop")).unwrap();
    let (code, report) = check(dir.path());
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["diagnostics"][0]["code"], "unreadable");
    assert_eq!(report["diagnostics"][0]["file"], "content/sub/loop");
}

#[test]
fn book_toml_errors_exit_2_with_a_position() {
    for (toml, line, col, hint) in [
        (
            "[book]\ntitle = \"x\"\ntitel = \"y\"\n",
            3,
            1,
            Some("did you mean `title`?"),
        ),
        ("[book]\ntitle = \n", 2, 9, None),
        ("[emotion]\nmin = 3\nmax = 1\n", 2, 1, None),
    ] {
        let dir = project(&[
            ("book.toml", toml.as_bytes()),
            ("content/m.md", map_with("").as_bytes()),
        ]);
        let (code, report) = check(dir.path());
        assert_eq!(code, 2, "{toml}: {report:#}");
        let d = &report["diagnostics"][0];
        assert_eq!(d["file"], "book.toml");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(line), Some(col)),
            "{toml}: {d:#}"
        );
        if let Some(h) = hint {
            assert_eq!(d["hint"], h);
        }
    }
}

#[test]
fn warnings_for_gaps_staleness_and_overdue_work() {
    let m = "---\ntitle: T\nreviewed: 2024-01-01\nstages:\n  - name: S\n    touchpoints:\n      - name: No feeling\n        opportunities:\n          - text: Late\n            status: planned\n            due: 2026-01-31\n          - text: Finished\n            status: done\n            due: 2026-01-31\n---\n";
    assert_reports(
        &[("content/m.md", m.as_bytes())],
        0,
        &[
            want("stale-map", "content/m.md", 3, 11, Some("reviewed")),
            want("missing-emotion", "content/m.md", 7, 15, None),
            want("overdue-opportunity", "content/m.md", 11, 18, None),
        ],
    );
    let dir = project(&[("content/m.md", m.as_bytes())]);
    let (_, report) = check(dir.path());
    assert_eq!(
        report["warnings"], 3,
        "the done opportunity is not overdue: {report:#}"
    );
}

#[test]
fn check_reports_every_error_in_the_tree() {
    let a = map_with("        emotion: 9\n        emotoin: 1\n");
    let b = map_with("        evidence: guess\n");
    let dir = project(&[
        ("content/a.md", a.as_bytes()),
        ("content/sub/b.md", b.as_bytes()),
    ]);
    let (code, report) = check(dir.path());
    assert_eq!(code, 1);
    assert_eq!(report["errors"], 3, "{report:#}");
}

#[test]
fn human_format_shows_a_code_frame() {
    let m = map_with("        emotoin: 1\n");
    let dir = project(&[("content/m.md", m.as_bytes())]);
    let out = Command::new(env!("CARGO_BIN_EXE_cxbook"))
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    insta::assert_snapshot!(text, @r"
    error: unknown key `emotoin` in a touchpoint [unknown-key]
     --> content/m.md:7:9
      |
    7 |         emotoin: 1
      |         ^^^^^^^
      |
      = help: did you mean `emotion`?

    1 error, 0 warnings
    ");
}

#[test]
fn github_format_annotates_lines() {
    let m = map_with("        emotion: 9\n");
    let dir = project(&[("content/m.md", m.as_bytes())]);
    let out = Command::new(env!("CARGO_BIN_EXE_cxbook"))
        .args(["check", "--format", "github", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(
            "::error file=content/m.md,line=7,col=18,title=cxbook emotion-out-of-scale::"
        ),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_cxbook"))
        .args(["check", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cxbook"))
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "no content folder is a usage error"
    );
}

#[test]
fn scales_lanes_and_empty_values_are_checked() {
    let bad_scale = "---\ntitle: T\nemotion: { min: 5, max: 1 }\nstages:\n  - name: S\n    touchpoints:\n      - name: P\n---\n";
    let dup_lane = "---\ntitle: T\nlanes: [pains, pains]\nstages:\n  - name: S\n    touchpoints:\n      - name: P\n---\n";
    let empty_title =
        "---\ntitle: \"\"\nstages:\n  - name: S\n    touchpoints:\n      - name: P\n---\n";
    assert_reports(
        &[
            ("content/a.md", bad_scale.as_bytes()),
            ("content/b.md", dup_lane.as_bytes()),
            ("content/c.md", empty_title.as_bytes()),
        ],
        1,
        &[
            want("bad-scale", "content/a.md", 3, 17, Some("min: 1, max: 5")),
            want("duplicate-lane", "content/b.md", 3, 16, None),
            want("empty-value", "content/c.md", 2, 8, None),
        ],
    );
}

#[test]
fn render_refuses_a_file_that_is_not_a_map() {
    let dir = project(&[("content/page.md", b"---\ntitle: Just a page\n---\nText.\n")]);
    let out = Command::new(env!("CARGO_BIN_EXE_cxbook"))
        .arg("render")
        .arg(dir.path().join("content/page.md"))
        .arg("--out")
        .arg(dir.path().join("svg"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not-a-map") && err.contains("has no `stages`"),
        "{err}"
    );
    assert!(!dir.path().join("svg/swimlane.svg").exists());
}

#[test]
fn ids_written_with_md_get_a_plain_hint_and_extra_must_be_a_mapping() {
    let m = GOOD_MAP
        .replace(
            "persona: busy-parent",
            "persona: busy-parent.md\ncompare: other.md\nextra: 5\nweight: 1.5",
        )
        .replace("emotion: 1", "emotion: -.inf");
    let other = GOOD_MAP.replace("persona: busy-parent\n", "");
    let dir = project(&[
        ("content/m.md", m.as_bytes()),
        ("content/other.md", other.as_bytes()),
        ("content/personas/busy-parent.md", PERSONA.as_bytes()),
    ]);
    let (code, report) = check(dir.path());
    assert_eq!(code, 1);
    let text = report.to_string();
    assert!(
        text.contains("write `busy-parent`: an id has no `.md`"),
        "{report:#}"
    );
    assert!(
        text.contains("write `other`: an id has no `.md`"),
        "{report:#}"
    );
    assert!(!text.contains(".md.md"), "{report:#}");
    assert!(text.contains("`extra` must be a mapping"), "{report:#}");
    assert!(text.contains("found 1.5"), "{report:#}");
    assert!(text.contains("found -.inf"), "{report:#}");
}
