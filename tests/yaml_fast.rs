//! The YAML fast path (`content::yaml_fast`) against serde-saphyr.
//!
//! The rule under test: the fast path may decline any input, but whenever it
//! accepts one, its tree (values and every position) is exactly the one
//! `yaml::parse_saphyr` builds. Checked on every front matter of the example
//! handbook and the test fixtures, on random documents built from the subset,
//! and on random mutations of both. `tests/fixtures/yaml/subset.md` holds
//! every form of the subset; `tests/fixtures/yaml/generated/` holds a few
//! files of `gen-corpus.py --maps 200 --seed 7` (from `../shared/bench/`),
//! their paths under `content/` joined with `--`.
//!
//! `CXBOOK_YAML_FUZZ_CASES` sets the number of random cases (default 3,000,
//! a few seconds in a debug build); `CXBOOK_YAML_CORPUS=DIR` adds every
//! `.md` file under DIR to the corpus test, e.g. a generated 10,000-map
//! handbook.

use cxbook::content::{self, yaml, yaml_fast};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use std::path::{Path, PathBuf};

/// Runs `f` on a thread with the stack serde-saphyr needs for hostile input.
fn with_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(yaml::PARSE_STACK)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// `Err` when the fast path accepted `text` and built another tree than
/// serde-saphyr; `Ok(true)` when it accepted, `Ok(false)` when it declined.
fn differential(text: &str) -> Result<bool, String> {
    let Some(fast) = yaml_fast::parse(text) else {
        return Ok(false);
    };
    match yaml::parse_saphyr(text) {
        Ok(slow) if slow == fast => Ok(true),
        slow => Err(format!(
            "the fast path differs from serde-saphyr on\n{text:?}\nfast: {fast:#?}\nslow: {slow:#?}"
        )),
    }
}

/// The front matter of every `.md` file under `dir`.
fn front_matters(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
    {
        let path = entry.path().to_path_buf();
        let Ok(text) = content::decode(&path, std::fs::read(&path).unwrap()) else {
            continue;
        };
        if let Ok(Some(split)) = content::split(&path, &text) {
            out.push((path.clone(), split.front.to_string()));
        }
    }
    out
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn fast_path_agrees_on_every_fixture() {
    with_stack(|| {
        let mut dirs = vec![root().join("content"), root().join("tests/fixtures")];
        if let Some(extra) = std::env::var_os("CXBOOK_YAML_CORPUS") {
            dirs.push(PathBuf::from(extra));
        }
        let (mut files, mut accepted) = (0, 0);
        for dir in dirs {
            for (path, front) in front_matters(&dir) {
                files += 1;
                match differential(&front) {
                    Ok(a) => accepted += usize::from(a),
                    Err(e) => panic!("{}: {e}", path.display()),
                }
            }
        }
        eprintln!("fast path: accepted {accepted} of {files} front matters");
        assert!(files > 20, "fixtures missing: {files}");
    });
}

/// Without this, the optimisation could silently do nothing.
#[test]
fn fast_path_reads_the_example_handbook_and_generated_maps() {
    let mut dirs = vec![root().join("content"), root().join("tests/fixtures/yaml")];
    dirs.extend(std::env::var_os("CXBOOK_YAML_CORPUS").map(PathBuf::from));
    for dir in dirs {
        let fronts = front_matters(&dir);
        assert!(!fronts.is_empty(), "{}", dir.display());
        for (path, front) in fronts {
            assert!(
                yaml_fast::parse(&front).is_some(),
                "the fast path declined {}",
                path.display()
            );
        }
    }
}

/// The slow path's conventions, one small document each; all of them are
/// in the subset, so each must be accepted and agree.
#[test]
fn fast_path_agrees_on_the_conventions() {
    with_stack(|| {
        let long_key = format!("{}: v\n", "k".repeat(500));
        let long_value = format!(
            "a: {}\nb: '{}'\n",
            "word ".repeat(500).trim(),
            "x".repeat(3000)
        );
        let cases = [
            // Block mappings start at their first key, sequences at the dash.
            "a:\n  b: c\n  d:\n    - e\n",
            "- a: 1\n  b: 2\n- c: 3\n",
            // A sequence not indented under its key starts at its first
            // entry's content, whatever that is.
            "top:\n-   a\n-  [b]\n- 'q'\nz: 1\n",
            "top:\n- k: v\n  m: w\n- x\nz: 1\n",
            "top:\n  # c\n\n- \"a\"\n",
            "- a:\n  - x\n  b: 1\n",
            // An empty value is a null at the colon.
            "e:\nf:    \ng: # c\nh:\n  # only a comment\ni: 1\nj:",
            // Flow collections start at the bracket; spaces inside.
            "f: []\ng: {}\nh: [ ]\ni: { a: 1 , b: [x, z], c: {d: -1} }\n",
            // Columns count characters, offsets and lengths bytes.
            "開戶: x\né: \"開\"\nx: '開 x' # 開\n",
            // Quoted spans include the quotes; escapes and surrogate pairs.
            "a: \"\\u958b\\u6236 \\ud83d\\ude00 \\/ \\\" \\\\ \\t\"\nb: 'it''s'\n",
            // Typed keys and values.
            "1: a\ntrue: b\nnull: c\n~: d\n2.5: e\n-3: f\n\"4\": g\n",
            "a: 9223372036\nb: -0.25\nc: 2026-10-14\nd: 12:30\ne: 2027-Q2\nf: 3 kids\n",
            // Comments, blank lines, `#` inside text, duplicate keys.
            "# head\n\na: b # c\nb: c#d\n\n\n   # indented\nb: again\n",
            // Unicode spaces are text, not separators.
            "a: 開 戶\u{3000}\nb: x\u{a0}\nc: \u{3000}x\n",
            // Indented root, no final newline.
            "  a: 1\n  b: 2",
            &long_key,
            &long_value,
        ];
        for text in cases {
            assert_eq!(differential(text), Ok(true), "{text:?}");
        }
    });
}

/// A small deterministic generator, seeded by proptest.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Scalars that front matter really holds, all in the fast path's subset.
const TAME: &[&str] = &[
    "name",
    "title",
    "Instagram ad",
    "Scrolls past a friend's post",
    "Looks fresh, is it pricey?",
    "a, b. (c) / d - e",
    "c#d",
    "http://x.y/z?q=1#f",
    "R&D!",
    "50%",
    "3 kids",
    "2026-10-14",
    "2027-Q2",
    "12:30",
    "開戶 流程",
    "é",
    "x\u{a0}y",
    "\u{3000}x",
    "😀 emoji",
    "0",
    "1",
    "-2",
    "42",
    "1.5",
    "-1.5",
    "0.25",
    "123456789012345678",
    "true",
    "false",
    "null",
    "~",
    "moment-of-truth",
    "CSAT",
];

/// Scalars at and beyond the edge of the subset: other YAML types, odd
/// spellings, indicators, characters that end or break a scalar.
const WILD: &[&str] = &[
    "",
    "-",
    "--",
    "---",
    "...",
    "-x",
    "- x",
    "?x",
    "? x",
    ":x",
    "x:",
    "a:b",
    "a: b",
    "a #b",
    "#x",
    "!x",
    "&x",
    "*x",
    "%x",
    "@x",
    "`x",
    "|",
    ">",
    "[x]",
    "x]",
    "{x}",
    "x}",
    "a,b",
    "\"",
    "'",
    "\\",
    "<<",
    "=",
    "a\"b",
    "a'b",
    "a  b",
    " lead",
    "trail ",
    "a\tb",
    "yes",
    "Yes",
    "NO",
    "on",
    "Off",
    "y",
    "Y",
    "n",
    "True",
    "TRUE",
    "FALSE",
    "Null",
    "NULL",
    "-0",
    "007",
    "+1",
    "1.",
    ".5",
    "1e3",
    "1E3",
    "1.5e3",
    "1e-3",
    "1_000",
    "0x1F",
    "0o17",
    "0b11",
    "9223372036854775807",
    "9223372036854775808",
    "1234567890123456789",
    "-9223372036854775808",
    ".inf",
    "-.inf",
    ".nan",
    "inf",
    "nan",
    "NaN",
    "Infinity",
    "1.2.3",
    "0.",
    "00.5",
    "1:2:3",
    "\u{feff}",
    "\u{2028}",
    "\u{85}",
    "x\ry",
];

/// How a generated document is written: with `wild` at 0 it keeps to the
/// subset (so the fast path accepts most of them); otherwise `wild` is the
/// percentage of choices that go beyond it.
struct Gen {
    rng: Rng,
    wild: usize,
    out: String,
}

impl Gen {
    fn scalar_text(&mut self) -> String {
        if self.rng.chance(self.wild) {
            let s = self.rng.pick(WILD);
            return if self.rng.chance(3) {
                s.repeat(600)
            } else {
                s.to_string()
            };
        }
        let s = self.rng.pick(TAME).to_string();
        if self.rng.chance(2) { s.repeat(100) } else { s }
    }

    /// A scalar, plain or quoted.
    fn scalar(&mut self) -> String {
        let s = self.scalar_text();
        match self.rng.below(10) {
            0 | 1 => format!("'{}'", s.replace('\'', "''")),
            2 => serde_json::to_string(&s).unwrap(),
            3 => {
                // JSON with every non-ASCII character escaped, as Python's
                // json.dumps writes it.
                let mut q = String::from("\"");
                for c in s.chars() {
                    match c {
                        '"' => q.push_str("\\\""),
                        '\\' => q.push_str("\\\\"),
                        ' '..='~' => q.push(c),
                        _ => {
                            for u in c.encode_utf16(&mut [0; 2]) {
                                q.push_str(&format!("\\u{u:04x}"));
                            }
                        }
                    }
                }
                q.push('"');
                q
            }
            4 if self.rng.chance(self.wild * 3) => format!(
                "\"{s}{}\"",
                self.rng.pick(&[
                    "\\x41", "\\0", "\\N", "\\e", "\\ud83d", "\\u00", "\\/", "\\t"
                ])
            ),
            _ if s.is_empty() || s.starts_with(' ') => format!("'{s}'"),
            _ => s,
        }
    }

    fn flow(&mut self, depth: usize) -> String {
        let sp = |g: &mut Gen| " ".repeat(g.rng.below(3));
        let n = self.rng.below(4);
        let mut items = Vec::new();
        let map = self.rng.chance(50);
        for _ in 0..n {
            let value = if depth < 3 && self.rng.chance(15) {
                self.flow(depth + 1)
            } else {
                self.scalar()
            };
            items.push(if map {
                format!("{}: {value}", self.scalar())
            } else {
                value
            });
        }
        let comma = if self.rng.chance(self.wild) {
            ","
        } else {
            ", "
        };
        let (open, close) = if map { ("{", "}") } else { ("[", "]") };
        format!("{open}{}{}{}{close}", sp(self), items.join(comma), sp(self))
    }

    /// Blank lines and comments between entries.
    fn filler(&mut self) {
        while self.rng.chance(15) {
            let indent = " ".repeat(self.rng.below(6));
            match self.rng.below(3) {
                0 => self.out.push('\n'),
                1 => self.out.push_str(&format!("{indent}\n")),
                _ => self
                    .out
                    .push_str(&format!("{indent}# a comment: [x] \"y\"\n")),
            }
        }
    }

    fn end_of_line(&mut self) {
        if self.rng.chance(10) {
            self.out
                .push_str(self.rng.pick(&[" # comment", "   # c: d", "  "]));
        } else if self.rng.chance(self.wild) {
            // A comment without a space before it, or trailing text.
            self.out
                .push_str(self.rng.pick(&["#c", " x", ":", " : x", "]", ","]));
        }
        self.out.push('\n');
    }

    /// A block mapping at `indent`; its first key goes after `prefix`
    /// (a `- ` entry) when one is given.
    fn map(&mut self, indent: usize, depth: usize, prefix: Option<String>) {
        let n = 1 + self.rng.below(4);
        let mut prefix = prefix;
        for _ in 0..n {
            match prefix.take() {
                Some(p) => self.out.push_str(&p),
                None => {
                    self.filler();
                    self.out.push_str(&" ".repeat(indent));
                }
            }
            let key = self.scalar();
            self.out.push_str(&key);
            if self.rng.chance(self.wild) {
                self.out.push_str(self.rng.pick(&[" :", "::", ":\t"]));
            } else {
                self.out.push(':');
            }
            self.value(indent, depth);
        }
    }

    /// What follows `key:`.
    fn value(&mut self, indent: usize, depth: usize) {
        let nested = depth < 6;
        match self.rng.below(10) {
            0 if nested => {
                self.end_of_line();
                let step = 1 + self.rng.below(4);
                self.map(indent + step, depth + 1, None);
            }
            1 | 2 if nested => {
                self.end_of_line();
                let step = if self.rng.chance(40) {
                    0
                } else {
                    1 + self.rng.below(4)
                };
                self.seq(indent + step, depth + 1);
            }
            3 => {
                let f = self.flow(0);
                self.out.push(' ');
                self.out.push_str(&f);
                self.end_of_line();
            }
            4 if self.rng.chance(30) => self.end_of_line(),
            _ => {
                let s = self.scalar();
                self.out.push(' ');
                self.out.push_str(&s);
                self.end_of_line();
            }
        }
    }

    fn seq(&mut self, indent: usize, depth: usize) {
        let n = 1 + self.rng.below(4);
        for _ in 0..n {
            self.filler();
            let dash = format!(
                "{}-{}",
                " ".repeat(indent),
                " ".repeat(1 + usize::from(self.rng.chance(15)) * self.rng.below(3))
            );
            match self.rng.below(10) {
                0..=3 if depth < 6 => {
                    let column = dash.len();
                    self.map(column, depth + 1, Some(dash));
                }
                4 => {
                    let f = self.flow(0);
                    self.out.push_str(&dash);
                    self.out.push_str(&f);
                    self.end_of_line();
                }
                5 if self.rng.chance(self.wild * 3) => {
                    self.out.push_str(&dash);
                    self.end_of_line();
                }
                _ => {
                    let s = self.scalar();
                    self.out.push_str(&dash);
                    self.out.push_str(&s);
                    self.end_of_line();
                }
            }
        }
    }
}

/// A random document: a block mapping (sometimes a sequence) at the root.
fn document(seed: u64, tame: bool) -> String {
    let mut rng = Rng(seed | 1);
    let wild = if tame {
        0
    } else {
        [2, 5, 15, 30][rng.below(4)]
    };
    let mut g = Gen {
        rng,
        wild,
        out: String::new(),
    };
    if g.rng.chance(10) {
        g.seq(0, 1);
    } else {
        g.map(0, 1, None);
    }
    g.filler();
    if g.rng.chance(10) {
        g.out.pop();
    }
    g.out
}

/// YAML fragments for mutations: indicators, markers, odd characters.
const FRAGMENTS: &[&str] = &[
    " ",
    "  ",
    "\n",
    "- ",
    ": ",
    ":",
    " #",
    "#",
    "'",
    "\"",
    "\\",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!t ",
    "? ",
    "|\n",
    ">-\n",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "\t",
    "\r",
    "~",
    "yes",
    "1e3",
    ".5",
    "-",
    "開",
    "\u{a0}",
    "\u{feff}",
    "\u{2028}",
    "\\u00e9",
];

#[derive(Clone, Debug)]
enum Mutation {
    SetByte { at: usize, byte: u8 },
    DeleteByte(usize),
    Insert { at: usize, fragment: usize },
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Indent(usize),
    Dedent(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (
            any::<usize>(),
            prop::sample::select(b" -:#'\"[]{},&*!?|>%@`~.+0a\n".to_vec())
        )
            .prop_map(|(at, byte)| Mutation::SetByte { at, byte }),
        any::<usize>().prop_map(Mutation::DeleteByte),
        (any::<usize>(), 0..FRAGMENTS.len())
            .prop_map(|(at, fragment)| Mutation::Insert { at, fragment }),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::Indent),
        any::<usize>().prop_map(Mutation::Dedent),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(text: String, m: &Mutation) -> String {
    let mut bytes = text.into_bytes();
    if bytes.is_empty() {
        return String::new();
    }
    let n = bytes.len();
    let mut lines: Vec<Vec<u8>> = bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let nl = lines.len();
    match *m {
        Mutation::SetByte { at, byte } => bytes[at % n] = byte,
        Mutation::DeleteByte(at) => {
            bytes.remove(at % n);
        }
        Mutation::Insert { at, fragment } => {
            let at = at % (n + 1);
            bytes.splice(at..at, FRAGMENTS[fragment].bytes());
        }
        Mutation::Truncate(at) => bytes.truncate(at % n),
        Mutation::DeleteLine(i) => {
            lines.remove(i % nl);
            bytes = lines.concat();
        }
        Mutation::DuplicateLine(i) => {
            let l = lines[i % nl].clone();
            lines.insert(i % nl, l);
            bytes = lines.concat();
        }
        Mutation::SwapLines(i, j) => {
            lines.swap(i % nl, j % nl);
            bytes = lines.concat();
        }
        Mutation::Indent(i) => {
            lines[i % nl].insert(0, b' ');
            bytes = lines.concat();
        }
        Mutation::Dedent(i) => {
            if lines[i % nl].first() == Some(&b' ') {
                lines[i % nl].remove(0);
            }
            bytes = lines.concat();
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn env_number(name: &str) -> Option<u32> {
    std::env::var(name).ok().and_then(|s| s.trim().parse().ok())
}

/// Random documents of the subset and beyond, and random mutations of them
/// and of real front matter: whenever the fast path accepts, it agrees.
#[test]
fn fast_path_agrees_on_random_documents() {
    with_stack(|| {
        let mut real: Vec<String> = front_matters(&root().join("content"))
            .into_iter()
            .chain(front_matters(&root().join("tests/fixtures/yaml")))
            .map(|(_, front)| front)
            .collect();
        real.sort();
        let cases = env_number("CXBOOK_YAML_FUZZ_CASES").unwrap_or(3_000);
        let mut runner = TestRunner::new(RunnerConfig {
            cases,
            failure_persistence: None,
            max_shrink_iters: 4_000,
            ..RunnerConfig::default()
        });
        let strategy = (
            any::<u64>(),
            0..4usize,
            0..real.len(),
            prop::collection::vec(mutation(), 0..4),
        );
        let accepted = std::cell::Cell::new(0u32);
        let result = runner.run(&strategy, |(seed, source, file, mutations)| {
            let base = match source {
                0 => real[file].clone(),
                1 => document(seed, false),
                _ => document(seed, true),
            };
            let text = mutations.iter().fold(base, apply);
            match differential(&text) {
                Ok(a) => {
                    accepted.set(accepted.get() + u32::from(a));
                    Ok(())
                }
                Err(e) => Err(TestCaseError::fail(e)),
            }
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        eprintln!(
            "fast path: accepted {} of {cases} random documents",
            accepted.get()
        );
        // Most tame documents are accepted; if almost none are, this test
        // checks nothing.
        assert!(
            accepted.get() >= cases / 5,
            "the fast path accepted only {} of {cases} random documents",
            accepted.get()
        );
    });
}

#[test]
fn generated_documents_are_mostly_in_the_subset() {
    let accepted = (1..=200u64)
        .filter(|&seed| yaml_fast::parse(&document(seed * 7919, true)).is_some())
        .count();
    assert!(accepted >= 150, "accepted {accepted} of 200 tame documents");
}
