//! Property test (issue 2): the loader never panics, whatever is done to a
//! real map. Each case takes one of the bundled example files, applies a
//! few random mutations (byte flips, deleted, duplicated or swapped lines,
//! inserted YAML fragments such as anchors, aliases, open brackets, `.nan`,
//! stray quotes and tabs) and runs it through every loading step: decode,
//! split, YAML, validation of the file alone and as a one-file handbook.
//!
//! `CXBOOK_FUZZ_CASES` sets the number of cases: 20,000 by default (under a
//! minute in a debug build), 100,000 when `CI` is set, as the issue asks.
//! `CXBOOK_FUZZ_SECONDS` (default 600) bounds the time either way:
//! `CXBOOK_FUZZ_CASES=100000 cargo test --test fuzz -- --nocapture`.

use cxbook::Config;
use cxbook::content::{self, FileKind, SourceFile, yaml};
use cxbook::model::{Date, validate};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// YAML that tends to break parsers and validators.
const FRAGMENTS: &[&str] = &[
    "&a ",
    "*a",
    "&a [1, 2]",
    "*a\n",
    "[[[[",
    "]]]]",
    "{{{{",
    "}",
    ".nan",
    ".inf",
    "-.inf",
    "\"",
    "'",
    "\t",
    "\t\t- ",
    ": ",
    " #",
    "---\n",
    "...\n",
    "- ",
    "? ",
    "!!binary ",
    "!custom ",
    "<<: *a\n",
    "|\n",
    ">-\n",
    "\\u0000",
    "\u{feff}",
    "\r",
    "1e999",
    "-0",
    "0x7fffffffffffffff",
    "99999999999999999999999",
    "2026-02-30",
    "0000-00-00",
    "null",
    "~",
    "yes",
    "emotion: ",
    "stages: ",
    "touchpoints:\n  - ",
    "pains:\n  - text: ",
    "metrics: { x: ",
    "\u{2028}",
    "開戶",
    "%YAML 1.2\n",
];

#[derive(Clone, Debug)]
enum Mutation {
    FlipBit { at: usize, bit: u8 },
    SetByte { at: usize, byte: u8 },
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Insert { at: usize, fragment: usize },
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::SetByte { at, byte }),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), 0..FRAGMENTS.len())
            .prop_map(|(at, fragment)| Mutation::Insert { at, fragment }),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn apply(mut bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    if bytes.is_empty() {
        return bytes;
    }
    let n = bytes.len();
    match *m {
        Mutation::FlipBit { at, bit } => bytes[at % n] ^= 1 << bit,
        Mutation::SetByte { at, byte } => bytes[at % n] = byte,
        Mutation::Insert { at, fragment } => {
            let at = at % (n + 1);
            bytes.splice(at..at, FRAGMENTS[fragment].bytes());
        }
        Mutation::Truncate(at) => bytes.truncate(at % n),
        Mutation::DeleteLine(i) | Mutation::DuplicateLine(i) | Mutation::SwapLines(i, _) => {
            let mut ls = lines(&bytes);
            let len = ls.len();
            let i = i % len;
            match *m {
                Mutation::DeleteLine(_) => {
                    ls.remove(i);
                }
                Mutation::DuplicateLine(_) => {
                    let l = ls[i].clone();
                    ls.insert(i, l);
                }
                Mutation::SwapLines(_, j) => ls.swap(i, j % len),
                _ => unreachable!(),
            }
            bytes = ls.concat();
        }
    }
    bytes
}

/// Every Markdown file of the bundled example handbook.
fn seeds() -> Vec<(String, FileKind, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
    {
        let under = entry.path().strip_prefix(root.join("content")).unwrap();
        let kind = if under.starts_with("personas") {
            FileKind::Persona
        } else {
            FileKind::Page
        };
        out.push((
            content::id_of(under),
            kind,
            std::fs::read(entry.path()).unwrap(),
        ));
    }
    assert!(out.len() >= 6, "the example handbook is missing: {out:?}");
    out
}

/// Runs one input through every step of loading; a panic fails the case.
fn load(id: &str, kind: FileKind, bytes: Vec<u8>, config: &Config, today: Date) {
    let path = PathBuf::from(format!("content/{id}.md"));
    let Ok(text) = content::decode(&path, bytes) else {
        return;
    };
    if let Ok(Some(split)) = content::split(&path, &text) {
        let _ = yaml::parse(split.front);
    }
    let file = SourceFile {
        path,
        id: id.to_string(),
        kind,
        text,
    };
    let _ = validate::single_map(&file, config, today);
    let _ = validate::handbook(std::slice::from_ref(&file), config, today);
}

/// How many cases: `CXBOOK_FUZZ_CASES`, else 100,000 on CI (`CI` set) and
/// 20,000 on a developer's machine.
fn cases() -> u32 {
    env_number("CXBOOK_FUZZ_CASES").unwrap_or(if std::env::var_os("CI").is_some() {
        100_000
    } else {
        20_000
    })
}

/// The time bound: `CXBOOK_FUZZ_SECONDS`, default 600. Cases run in
/// batches; no batch starts after it, so a slow machine runs fewer cases
/// (and says so) rather than holding CI up.
fn time_limit() -> Duration {
    Duration::from_secs(env_number("CXBOOK_FUZZ_SECONDS").map_or(600, u64::from))
}

fn env_number(name: &str) -> Option<u32> {
    std::env::var(name).ok().and_then(|s| s.trim().parse().ok())
}

#[test]
fn mutated_maps_never_panic_the_loader() {
    // Hostile YAML recurses deeply: run where the loader runs, on a thread
    // with the parser's stack.
    std::thread::Builder::new()
        .stack_size(yaml::PARSE_STACK)
        .spawn(fuzz)
        .unwrap()
        .join()
        .unwrap();
}

fn fuzz() {
    const BATCH: u32 = 2_000;
    let seeds = seeds();
    let config = Config::default();
    let today = Date::parse("2026-11-23").unwrap();
    let (cases, limit) = (cases(), time_limit());
    let strategy = (0..seeds.len(), prop::collection::vec(mutation(), 1..6));
    let start = Instant::now();
    let mut done = 0;
    while done < cases && start.elapsed() < limit {
        let batch = BATCH.min(cases - done);
        // Each runner draws a fresh random seed; a failure prints the
        // shrunk input, which is all one needs to reproduce it.
        let mut runner = TestRunner::new(RunnerConfig {
            cases: batch,
            failure_persistence: None,
            max_shrink_iters: 2_000,
            ..RunnerConfig::default()
        });
        let result = runner.run(&strategy, |(seed, mutations)| {
            let (id, kind, bytes) = &seeds[seed];
            let bytes = mutations.iter().fold(bytes.clone(), apply);
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                load(id, *kind, bytes.clone(), &config, today)
            }))
            .map_err(|_| {
                TestCaseError::fail(format!(
                    "the loader panicked on a mutation of {id}:\n{}",
                    String::from_utf8_lossy(&bytes)
                ))
            })
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        done += batch;
    }
    eprintln!(
        "fuzz: {done} of {cases} cases over {} seed files in {:.1?}{}",
        seeds.len(),
        start.elapsed(),
        if done < cases {
            " (stopped at the time limit, CXBOOK_FUZZ_SECONDS)"
        } else {
            ""
        }
    );
}

#[test]
fn mutations_do_what_they_say() {
    let base = b"a\nb\nc\n".to_vec();
    assert_eq!(apply(base.clone(), &Mutation::DeleteLine(1)), b"a\nc\n");
    assert_eq!(
        apply(base.clone(), &Mutation::DuplicateLine(4)),
        b"a\nb\nb\nc\n"
    );
    assert_eq!(
        apply(base.clone(), &Mutation::SwapLines(0, 2)),
        b"c\nb\na\n"
    );
    assert_eq!(
        apply(base.clone(), &Mutation::Insert { at: 2, fragment: 1 }),
        b"a\n*ab\nc\n"
    );
    assert_eq!(apply(base, &Mutation::Truncate(3)), b"a\nb");
}
