//! A YAML value tree that remembers where every value came from.
//!
//! Front matter is first read into [`Node`]s rather than straight into the
//! model: validation then walks the tree, reports *every* problem with the
//! line and column of the offending value, and never stops at the first one
//! as a derived `Deserialize` would.

use super::yaml_fast;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, NonFiniteFloatPolicy, Spanned};
use std::fmt;

/// A position inside the YAML text: 1-based line and column, plus the byte
/// offset and length of the value (for code frames).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    pub len: usize,
}

/// One YAML value and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in document order; duplicates are kept so validation can name both.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// A short English name of the value's type, for "expected X, found Y".
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a true/false value",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Stack size for threads that call [`parse`]. The YAML deserializer
/// recurses once per nesting level and alias replay; its frames are large in
/// debug builds, so a test thread's 2 MiB is not enough for hostile input
/// that the budget below still refuses cleanly.
pub const PARSE_STACK: usize = 16 * 1024 * 1024;

/// Parses YAML text into a [`Node`] tree.
///
/// The common subset of YAML that front matter uses is read by
/// [`yaml_fast::parse`], about ten times faster; anything else, and every
/// error, goes to serde-saphyr ([`parse_saphyr`]), which gives the same
/// tree for what both read.
///
/// Resource limits guard against alias bombs and deep nesting; an error
/// carries the position the parser stopped at, relative to `text`.
pub fn parse(text: &str) -> Result<Node, (String, Pos)> {
    match yaml_fast::parse(text) {
        Some(node) => Ok(node),
        None => parse_saphyr(text),
    }
}

/// [`parse`] through serde-saphyr alone: the reference the fast path is
/// tested against, and the path for everything it declines.
pub fn parse_saphyr(text: &str) -> Result<Node, (String, Pos)> {
    let budget = serde_saphyr::budget! {
        max_depth: 64,
        flow_nesting_limit: 64,
        max_aliases: 10_000,
        max_nodes: 2_000_000,
        max_events: 4_000_000,
    };
    let options = serde_saphyr::options! {
        budget: budget,
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        non_finite_float_policy: NonFiniteFloatPolicy::PassThrough,
        with_snippet: false,
        // A "billion laughs" bomb replays millions of events; real maps
        // that reuse a block with `*alias` replay a few hundred.
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 16,
        },
    };
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            pos: Pos {
                line: 1,
                column: 1,
                ..Pos::default()
            },
        });
    }
    match serde_saphyr::from_str_with_options::<Spanned<Value>>(text, options) {
        Ok(spanned) => Ok(node_from(spanned)),
        Err(err) => {
            let pos = err.location().map(pos_from).unwrap_or(Pos {
                line: 1,
                column: 1,
                ..Pos::default()
            });
            Err((plain_message(&err.without_snippet().to_string()), pos))
        }
    }
}

/// Says what a parser error means in plain words.
fn plain_message(msg: &str) -> String {
    let m = clean_message(msg);
    if !m.contains("budget") && !m.contains("recursion limit") && !m.contains("alias replay") {
        return m;
    }
    let what = if m.contains("recursion") || m.contains("Depth") || m.contains("depth") {
        "it nests more than 64 levels deep"
    } else if m.contains("Alias")
        || m.contains("alias")
        || m.contains("Anchor")
        || m.contains("Nodes")
        || m.contains("replay")
    {
        "it expands to too many values (aliases that repeat large blocks, as in a \"billion laughs\" attack, or more than 2,000,000 values)"
    } else {
        "it is too large to read safely"
    };
    format!("the front matter was refused: {what}")
}

/// Strips the parser's own " at line X column Y" suffix: our diagnostics
/// print positions themselves, already shifted to the file.
fn clean_message(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg).trim();
    let cut = first.find(" at line ").unwrap_or(first.len());
    let s = first[..cut].trim_end_matches([',', ':', ' ']);
    if s.is_empty() {
        first.to_string()
    } else {
        s.to_string()
    }
}

fn pos_from(loc: serde_saphyr::Location) -> Pos {
    let span = loc.span();
    Pos {
        line: loc.line().max(1) as usize,
        column: loc.column().max(1) as usize,
        offset: span.byte_offset().unwrap_or(0) as usize,
        len: span.byte_len().unwrap_or(0) as usize,
    }
}

fn node_from(s: Spanned<Value>) -> Node {
    Node {
        value: s.value,
        pos: pos_from(s.referenced),
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(node_from(item));
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Value>>()? {
            let value = map.next_value::<Spanned<Value>>()?;
            entries.push((node_from(key), node_from(value)));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_point_at_values() {
        let n = parse("title: Hi\nstages:\n  - name: \"A\"\n    x: 1.5\n").unwrap();
        let Value::Map(entries) = &n.value else {
            panic!("{n:?}")
        };
        assert_eq!(entries[0].1.pos.line, 1);
        assert_eq!(entries[0].1.pos.column, 8);
        let Value::Seq(stages) = &entries[1].1.value else {
            panic!()
        };
        let Value::Map(st) = &stages[0].value else {
            panic!()
        };
        assert_eq!(st[0].1.value, Value::Str("A".into()));
        assert_eq!((st[0].1.pos.line, st[0].1.pos.column), (3, 11));
        assert_eq!(st[1].1.value, Value::Float(1.5));
        assert_eq!((st[1].1.pos.line, st[1].1.pos.column), (4, 8));
    }

    #[test]
    fn duplicate_keys_are_kept() {
        let n = parse("a: 1\na: 2\n").unwrap();
        let Value::Map(entries) = &n.value else {
            panic!()
        };
        assert_eq!(entries.len(), 2);
    }

    #[test]
    fn quoted_numbers_stay_text_and_nan_passes() {
        let n = parse("a: \"1\"\nb: .nan\nc: 2026-02-30\n").unwrap();
        let Value::Map(e) = &n.value else { panic!() };
        assert_eq!(e[0].1.value, Value::Str("1".into()));
        assert!(matches!(e[1].1.value, Value::Float(f) if f.is_nan()));
        assert_eq!(e[2].1.value, Value::Str("2026-02-30".into()));
    }

    #[test]
    fn alias_bomb_and_deep_nesting_are_refused() {
        // The loader parses on threads with `PARSE_STACK` bytes of stack; do the same.
        std::thread::Builder::new()
            .stack_size(PARSE_STACK)
            .spawn(bombs)
            .unwrap()
            .join()
            .unwrap();
    }

    fn bombs() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (i, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!("{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        assert!(parse(&bomb).is_err());
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse(&deep).is_err());
        let deep_block: String = (0..10_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert!(parse(&deep_block).is_err());
    }
}
