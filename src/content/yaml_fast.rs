//! A fast path for the YAML that front matter actually uses.
//!
//! Loading a large handbook used to be dominated by YAML parsing: serde-saphyr
//! reads front matter at about 12 MB/s per core, a third of a cold build of
//! 10,000 maps. Real front matter uses a small part of YAML (block mappings
//! and sequences, one-line scalars, one-line flow collections, comments), so
//! this module reads that part by hand, in one pass over the bytes, and
//! builds the same [`Node`] tree directly.
//!
//! **The equivalence rule.** [`parse`] either returns exactly the tree that
//! [`super::yaml::parse_saphyr`] returns for the same text, every value and
//! every [`Pos`] (line, column in characters, byte offset and byte length)
//! included, or it returns `None` and the caller runs serde-saphyr. It may
//! decline anything; it must never accept and differ. So it declines
//! whatever it does not fully understand: tabs, `\r` and unusual control or
//! separator characters anywhere, anchors, aliases, tags, directives,
//! document markers, `?` keys, block scalars, multi-line scalars and flow
//! collections, empty sequence entries, plain scalars whose type it is not
//! sure of (`yes`, `On`, `0x1F`, `1_000`, `+1`, `.5`, `1e3`, `.inf`, `Null`,
//! `007`, ...), and any text near a budget of the slow path (nesting depth,
//! key length, node count, size). Errors are never reported from here: a
//! broken file is declined and serde-saphyr words the message as before.
//! `tests/yaml_fast.rs` holds the differential tests that keep this true.
//!
//! The slow path's conventions, found by experiment and pinned by those
//! tests: a block mapping starts at its first key, with length 0; a block
//! sequence starts at its first `-`, or at its first entry's content when it
//! is not indented under its key (`key:\n- a`), with length 0; a flow
//! collection starts at its bracket, with length 1; a scalar's span covers
//! its text as written (quotes included); an empty mapping value is a null
//! at the `:`, with length 0.

use super::yaml::{Node, Pos, Value};

/// Deepest nesting taken on. The slow path refuses past 64 levels; real
/// front matter nests about six.
const MAX_DEPTH: usize = 32;
/// Largest text taken on, in bytes, so that the slow path's budgets (64 MiB
/// of scalar text, 4,000,000 events) are never in reach.
const MAX_TEXT: usize = 4 << 20;
/// Most nodes taken on; the slow path refuses more than 2,000,000.
const MAX_NODES: usize = 500_000;
/// Longest implicit key taken on, in bytes; the YAML scanner gives up on a
/// key after 1,024 characters.
const MAX_KEY: usize = 512;

/// Parses `text` if it is in the subset this module understands, returning
/// the same tree serde-saphyr would; `None` means "not handled here".
pub fn parse(text: &str) -> Option<Node> {
    if text.len() > MAX_TEXT || !plain_characters(text.as_bytes()) {
        return None;
    }
    let mut p = Parser {
        src: text,
        b: text.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        next: None,
        nodes: 0,
    };
    p.next = p.content_line();
    let indent = p.next?;
    let root = if p.at_seq_entry() {
        p.block_seq(indent, 1, false)?
    } else {
        p.block_map(indent, 1)?
    };
    // Anything left over (a less indented line, a stray entry) is for
    // serde-saphyr to judge.
    match p.next {
        None => Some(root),
        Some(_) => None,
    }
}

/// False when the text holds a character whose handling the fast path does
/// not want to guess: control characters other than `\n` (tabs and `\r`
/// included), C1 controls, the Unicode line and paragraph separators, byte
/// order marks and the non-characters U+FFFE and U+FFFF. `text` is UTF-8.
fn plain_characters(b: &[u8]) -> bool {
    // Blocks of printable ASCII, the usual case, are checked without
    // branches; a block with anything else is looked at byte by byte.
    const BLOCK: usize = 32;
    b.chunks(BLOCK).enumerate().all(|(k, block)| {
        let ascii = block.iter().fold(true, |ok, &c| {
            ok & ((0x20..0x7f).contains(&c) | (c == b'\n'))
        });
        ascii || (k * BLOCK..k * BLOCK + block.len()).all(|i| plain_character(b, i))
    })
}

/// [`plain_characters`] for the byte at `i`, which may start a multi-byte
/// character.
fn plain_character(b: &[u8], i: usize) -> bool {
    let c = b.get(i).copied().unwrap_or(0);
    let control = !matches!(c, b'\n' | 0x20..=0x7e | 0x80..);
    let unusual = matches!(
        (c, b.get(i + 1), b.get(i + 2)),
        (0xc2, Some(0x80..=0x9f), _)
            | (0xe2, Some(0x80), Some(0xa8 | 0xa9))
            | (0xef, Some(0xbb), Some(0xbf))
            | (0xef, Some(0xbf), Some(0xbe | 0xbf))
    );
    !control && !unusual
}

/// How a plain scalar in block context ended.
#[derive(PartialEq)]
enum Stop {
    /// At the end of the line or a ` #` comment.
    Line,
    /// At a `:` followed by a space or the end of the line: it is a key.
    Colon,
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    /// The byte being looked at.
    pos: usize,
    /// 1-based line of `pos`.
    line: usize,
    /// Byte offset of the start of that line.
    line_start: usize,
    /// Between entries: the indentation of the next line with content
    /// (`pos` is on its first non-space byte), `None` at the end.
    next: Option<usize>,
    nodes: usize,
}

impl Parser<'_> {
    /// The byte at `i`, 0 past the end (the text holds no NUL byte).
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn byte(&self) -> u8 {
        self.at(self.pos)
    }

    /// The position of `offset` on the current line; columns count
    /// characters, as the slow path does.
    fn pos_at(&self, offset: usize, len: usize) -> Pos {
        let chars = self
            .b
            .get(self.line_start..offset)
            .map_or(0, |s| s.iter().filter(|&&c| c & 0xc0 != 0x80).count());
        Pos {
            line: self.line,
            column: chars + 1,
            offset,
            len,
        }
    }

    fn node(&mut self, value: Value, pos: Pos) -> Option<Node> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(Node { value, pos })
    }

    fn skip_spaces(&mut self) {
        while self.byte() == b' ' {
            self.pos += 1;
        }
    }

    /// Moves past the `\n` at `pos`.
    fn new_line(&mut self) {
        self.pos += 1;
        self.line += 1;
        self.line_start = self.pos;
    }

    /// From the start of a line, skips blank and comment-only lines and
    /// returns the indentation of the next line with content, leaving `pos`
    /// on its first non-space byte; `None` at the end of the text.
    fn content_line(&mut self) -> Option<usize> {
        loop {
            self.skip_spaces();
            match self.byte() {
                0 => return None,
                b'\n' => self.new_line(),
                b'#' => {
                    self.skip_comment();
                    if self.byte() == 0 {
                        return None;
                    }
                    self.new_line();
                }
                _ => return Some(self.pos - self.line_start),
            }
        }
    }

    /// Moves to the `\n` that ends the comment at `pos`, or to the end.
    fn skip_comment(&mut self) {
        self.pos = self
            .b
            .get(self.pos..)
            .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
            .map_or(self.b.len(), |n| self.pos + n);
    }

    /// After the last token of a line: allows trailing spaces and a
    /// comment, then finds the next line with content.
    fn end_line(&mut self) -> Option<()> {
        self.skip_spaces();
        match self.byte() {
            0 => {}
            b'\n' => self.new_line(),
            // A comment needs a space before it (`"a"#b` is an error).
            b'#' if self.pos > 0 && self.at(self.pos - 1) == b' ' => {
                self.skip_comment();
                if self.byte() == b'\n' {
                    self.new_line();
                }
            }
            _ => return None,
        }
        self.next = self.content_line();
        Some(())
    }

    /// `-` followed by a space or the end of the line, at `pos`.
    fn at_seq_entry(&self) -> bool {
        self.byte() == b'-' && matches!(self.at(self.pos + 1), b' ' | b'\n' | 0)
    }

    /// A block mapping whose keys sit at column `indent` (0-based, bytes:
    /// only spaces and `- ` come before them); `pos` is on the first key.
    fn block_map(&mut self, indent: usize, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos_at(self.pos, 0);
        let mut entries = Vec::new();
        loop {
            let key = self.block_key()?;
            let colon = self.pos_at(self.pos, 0);
            self.pos += 1;
            let value = self.block_value(indent, colon, depth)?;
            entries.push((key, value));
            match self.next {
                Some(i) if i == indent && !self.at_seq_entry() => {}
                Some(i) if i < indent => break,
                None => break,
                // More indented (a continuation line) or a `- ` entry at
                // the keys' column: not for the fast path.
                Some(_) => return None,
            }
        }
        self.node(Value::Map(entries), start)
    }

    /// A key of a block mapping, leaving `pos` on the `:` after it.
    fn block_key(&mut self) -> Option<Node> {
        let start = self.pos;
        let key = match self.byte() {
            b'"' | b'\'' => self.quoted()?,
            _ => {
                let (end, stop) = self.plain_block()?;
                // `key :` (a space before the colon) is declined.
                if stop != Stop::Colon || end != self.pos {
                    return None;
                }
                self.plain_node(start, end)?
            }
        };
        let after = self.at(self.pos + 1);
        (self.byte() == b':' && matches!(after, b' ' | b'\n' | 0) && self.pos - start <= MAX_KEY)
            .then_some(key)
    }

    /// The value after `key:` in a mapping at column `indent`; `pos` is
    /// just after the colon.
    fn block_value(&mut self, indent: usize, colon: Pos, depth: usize) -> Option<Node> {
        self.skip_spaces();
        match self.byte() {
            0 | b'\n' | b'#' => {
                self.end_line()?;
                match self.next {
                    Some(i) if i > indent => {
                        if self.at_seq_entry() {
                            self.block_seq(i, depth + 1, false)
                        } else {
                            self.block_map(i, depth + 1)
                        }
                    }
                    // `key:` then `- a` at the key's own column.
                    Some(i) if i == indent && self.at_seq_entry() => {
                        self.block_seq(i, depth + 1, true)
                    }
                    _ => self.node(Value::Null, colon),
                }
            }
            _ => self.inline_value(depth),
        }
    }

    /// A value that starts on the current line and must end on it.
    fn inline_value(&mut self, depth: usize) -> Option<Node> {
        let n = match self.byte() {
            b'[' | b'{' => self.flow_node(depth)?,
            b'"' | b'\'' => self.quoted()?,
            _ => {
                let start = self.pos;
                let (end, stop) = self.plain_block()?;
                if stop != Stop::Line {
                    return None;
                }
                self.plain_node(start, end)?
            }
        };
        self.end_line()?;
        Some(n)
    }

    /// A block sequence whose `-` sit at column `indent`; `pos` is on the
    /// first `-`. `indentless` is the form not indented under its key,
    /// which the slow path places at its first entry's content.
    fn block_seq(&mut self, indent: usize, depth: usize, indentless: bool) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut start = self.pos_at(self.pos, 0);
        let mut items = Vec::new();
        loop {
            self.pos += 1;
            // An empty entry (`-` alone, or before a comment) is declined:
            // the slow path places its null at the end of the line.
            self.skip_spaces();
            if matches!(self.byte(), 0 | b'\n' | b'#') {
                return None;
            }
            if indentless && items.is_empty() {
                start = self.pos_at(self.pos, 0);
            }
            items.push(self.seq_entry(depth)?);
            match self.next {
                Some(i) if i == indent && self.at_seq_entry() => {}
                Some(i) if i <= indent => break,
                None => break,
                Some(_) => return None,
            }
        }
        self.node(Value::Seq(items), start)
    }

    /// The content of a `- ` entry, on the same line as the dash.
    fn seq_entry(&mut self, depth: usize) -> Option<Node> {
        let start = self.pos;
        // A compact mapping (`- key: value`) has its keys at this column;
        // only spaces and the dash come before it, so bytes are columns.
        let column = start - self.line_start;
        match self.byte() {
            b'-' if matches!(self.at(start + 1), b' ' | b'\n' | 0) => None,
            b'[' | b'{' => self.inline_value(depth),
            b'"' | b'\'' => {
                self.quoted()?;
                if self.byte() == b':' {
                    self.pos = start;
                    self.block_map(column, depth + 1)
                } else {
                    self.pos = start;
                    self.inline_value(depth)
                }
            }
            _ => {
                let (_, stop) = self.plain_block()?;
                self.pos = start;
                if stop == Stop::Colon {
                    self.block_map(column, depth + 1)
                } else {
                    self.inline_value(depth)
                }
            }
        }
    }

    /// A one-line flow collection or scalar inside one, at `pos`. `depth`
    /// is that of the collection holding it.
    fn flow_node(&mut self, depth: usize) -> Option<Node> {
        match self.byte() {
            b'[' => self.flow_seq(depth + 1),
            b'{' => self.flow_map(depth + 1),
            b'"' | b'\'' => self.quoted(),
            _ => {
                let start = self.pos;
                let end = self.plain_flow()?;
                if self.byte() == b':' {
                    // `[a: b]`, a one-pair mapping: declined.
                    return None;
                }
                self.plain_node(start, end)
            }
        }
    }

    fn flow_seq(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos_at(self.pos, 1);
        self.pos += 1;
        self.skip_spaces();
        let mut items = Vec::new();
        if self.byte() == b']' {
            self.pos += 1;
        } else {
            loop {
                items.push(self.flow_node(depth)?);
                if self.flow_separator(b']')? {
                    break;
                }
            }
        }
        self.node(Value::Seq(items), start)
    }

    fn flow_map(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos_at(self.pos, 1);
        self.pos += 1;
        self.skip_spaces();
        let mut entries = Vec::new();
        if self.byte() == b'}' {
            self.pos += 1;
        } else {
            loop {
                let key_start = self.pos;
                let key = match self.byte() {
                    b'"' | b'\'' => self.quoted()?,
                    _ => {
                        let end = self.plain_flow()?;
                        if end != self.pos {
                            return None;
                        }
                        self.plain_node(key_start, end)?
                    }
                };
                if self.byte() != b':'
                    || self.at(self.pos + 1) != b' '
                    || self.pos - key_start > MAX_KEY
                {
                    return None;
                }
                self.pos += 1;
                self.skip_spaces();
                // `{ a: }` (a null value) is declined.
                if matches!(self.byte(), b',' | b'}') {
                    return None;
                }
                let value = self.flow_node(depth)?;
                entries.push((key, value));
                if self.flow_separator(b'}')? {
                    break;
                }
            }
        }
        self.node(Value::Map(entries), start)
    }

    /// After a flow entry: `, ` (then another entry; `false`) or the
    /// closing bracket (`true`). A trailing comma is declined.
    fn flow_separator(&mut self, close: u8) -> Option<bool> {
        self.skip_spaces();
        let c = self.byte();
        self.pos += 1;
        if c == close {
            return Some(true);
        }
        if c != b',' {
            return None;
        }
        self.skip_spaces();
        (self.byte() != close && self.byte() != b',').then_some(false)
    }

    /// Scans a plain scalar in block context from `pos`: returns the end of
    /// its text (trailing spaces trimmed) and how it ended. `pos` is left at
    /// the colon for [`Stop::Colon`], else at the end of the text.
    fn plain_block(&mut self) -> Option<(usize, Stop)> {
        let start = self.pos;
        if !plain_start(self.at(start), self.at(start + 1)) {
            return None;
        }
        let mut i = start;
        let stop = loop {
            match self.at(i) {
                0 | b'\n' => break Stop::Line,
                b':' if matches!(self.at(i + 1), b' ' | b'\n' | 0) => break Stop::Colon,
                b'#' if i > start && self.at(i - 1) == b' ' => break Stop::Line,
                _ => i += 1,
            }
        };
        let end = self.trim_end(start, i);
        self.pos = if stop == Stop::Colon { i } else { end };
        Some((end, stop))
    }

    /// Scans a plain scalar inside a flow collection, up to `,`, `]`, `}`
    /// or a `: ` (left at `pos`); returns the end of its text. Flow
    /// indicators, comments, other colons and line ends inside are declined.
    fn plain_flow(&mut self) -> Option<usize> {
        let start = self.pos;
        if !plain_start(self.at(start), self.at(start + 1)) {
            return None;
        }
        let mut i = start;
        loop {
            match self.at(i) {
                b',' | b']' | b'}' => break,
                b':' if self.at(i + 1) == b' ' => break,
                0 | b'\n' | b'[' | b'{' | b':' => return None,
                b'#' if i > start && self.at(i - 1) == b' ' => return None,
                _ => i += 1,
            }
        }
        let end = self.trim_end(start, i);
        self.pos = if self.at(i) == b':' { i } else { end };
        Some(end)
    }

    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start && self.at(end - 1) == b' ' {
            end -= 1;
        }
        end
    }

    /// The node for the plain scalar text `start..end`.
    fn plain_node(&mut self, start: usize, end: usize) -> Option<Node> {
        let text = self.src.get(start..end)?;
        let value = resolve(text)?;
        let pos = self.pos_at(start, end - start);
        self.node(value, pos)
    }

    /// A one-line quoted scalar at `pos`; leaves `pos` after the closing
    /// quote.
    fn quoted(&mut self) -> Option<Node> {
        let start = self.pos;
        let quote = self.byte();
        self.pos += 1;
        let mut text = String::new();
        // Text is copied in runs between escapes.
        let mut run = self.pos;
        loop {
            let c = self.byte();
            match c {
                0 | b'\n' => return None,
                b'\'' if quote == b'\'' => {
                    text.push_str(self.src.get(run..self.pos)?);
                    if self.at(self.pos + 1) == b'\'' {
                        text.push('\'');
                        self.pos += 2;
                        run = self.pos;
                    } else {
                        self.pos += 1;
                        break;
                    }
                }
                b'"' if quote == b'"' => {
                    text.push_str(self.src.get(run..self.pos)?);
                    self.pos += 1;
                    break;
                }
                b'\\' if quote == b'"' => {
                    text.push_str(self.src.get(run..self.pos)?);
                    self.pos += 1;
                    text.push(self.escape()?);
                    run = self.pos;
                }
                _ => self.pos += 1,
            }
        }
        let pos = self.pos_at(start, self.pos - start);
        self.node(Value::Str(text), pos)
    }

    /// A JSON-style escape after `\` in a double-quoted scalar; YAML's
    /// own escapes (`\0`, `\x41`, `\N`, ...) and line continuations are
    /// declined.
    fn escape(&mut self) -> Option<char> {
        let c = self.byte();
        self.pos += 1;
        Some(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                let code = match hi {
                    0xd800..=0xdbff => {
                        if self.byte() != b'\\' || self.at(self.pos + 1) != b'u' {
                            return None;
                        }
                        self.pos += 2;
                        let lo = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&lo) {
                            return None;
                        }
                        0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                    }
                    // Control characters written as escapes are declined.
                    0..=0x1f => return None,
                    _ => hi,
                };
                char::from_u32(code)?
            }
            _ => return None,
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.src.get(self.pos..self.pos + 4)?;
        if !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }
}

/// Whether a plain scalar may start with `c` (followed by `next`) as far as
/// the fast path is concerned: no indicator, and `-` only before a digit
/// (a negative number).
fn plain_start(c: u8, next: u8) -> bool {
    match c {
        b'-' => next.is_ascii_digit(),
        0 | b' ' | b'\n' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*'
        | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' => false,
        _ => true,
    }
}

/// The type of a plain scalar, as serde-saphyr's untyped deserializer
/// decides it (null, then YAML 1.1 booleans, then integers, then floats,
/// then text), or `None` where the fast path is not certain to agree.
fn resolve(s: &str) -> Option<Value> {
    let b = s.as_bytes();
    let first = *b.first()?;
    match s {
        "~" | "null" => return Some(Value::Null),
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    let text = || Some(Value::Str(s.to_owned()));
    if first.is_ascii_alphabetic() {
        // YAML 1.1 booleans in any case (`yes`, `N`, `Off`), other
        // spellings of null, and words Rust's float parser knows.
        const SPECIAL: &[&str] = &[
            "y", "n", "yes", "no", "on", "off", "true", "false", "null", "inf", "infinity", "nan",
        ];
        return match s.len() <= 8 && SPECIAL.iter().any(|w| w.eq_ignore_ascii_case(s)) {
            true => None,
            false => text(),
        };
    }
    // Non-ASCII text (`開戶`, `é`) and a few harmless openings.
    if first >= 0x80 || first == b'(' || first == b'/' {
        return text();
    }
    if first != b'-' && !first.is_ascii_digit() {
        return None;
    }
    if let Some(v) = number(s) {
        return Some(v);
    }
    if first.is_ascii_digit() && !maybe_number(b) {
        return text();
    }
    None
}

/// False when text that starts with a digit cannot be read as a number in
/// any notation (`0x1F`, `1_000`, `1e-3`, `inf`): it holds a character no
/// number has (a space, `:`, `/`, `%`, non-ASCII), or a sign that is
/// neither first nor after an exponent's `e` (`2026-05-04`, `2027-Q2`).
fn maybe_number(b: &[u8]) -> bool {
    b.iter().enumerate().all(|(i, &c)| match c {
        b'+' | b'-' => i == 0 || matches!(b.get(i - 1), Some(b'e' | b'E')),
        _ => c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_'),
    })
}

/// A decimal integer (at most 18 digits, no leading zero, not `-0`) or a
/// decimal fraction `-?D.D`; anything else is `None`.
fn number(s: &str) -> Option<Value> {
    let (neg, unsigned) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let int_len = unsigned.bytes().take_while(u8::is_ascii_digit).count();
    let (int, rest) = unsigned.split_at_checked(int_len)?;
    if int.is_empty() || (int.len() > 1 && int.starts_with('0')) {
        return None;
    }
    if rest.is_empty() {
        if int.len() > 18 || (neg && int == "0") {
            return None;
        }
        let v: i64 = int.parse().ok()?;
        return Some(Value::Int(if neg { -v } else { v }));
    }
    let frac = rest.strip_prefix('.')?;
    if frac.is_empty() || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(Value::Float(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(text: &str) -> Node {
        parse(text).unwrap_or_else(|| panic!("declined: {text:?}"))
    }

    fn declines(text: &str) {
        assert!(parse(text).is_none(), "accepted: {text:?}");
    }

    #[test]
    fn reads_a_small_map() {
        let n = accepts("title: Hi\ntags: [a, b]\nstages:\n  - name: \"A\"\n    x: 1.5\n");
        let Value::Map(e) = &n.value else {
            panic!("{n:?}")
        };
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].1.value, Value::Str("Hi".into()));
        assert_eq!((e[0].1.pos.line, e[0].1.pos.column), (1, 8));
    }

    #[test]
    fn declines_what_it_does_not_know() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !tag x\n",
            "%YAML 1.2\n---\na: 1\n",
            "? a\n: b\n",
            "a: |\n  text\n",
            "a: >-\n  text\n",
            "a:\n\t- b\n",
            "a: b\t# c\n",
            "a: b\r\n",
            "a: b\n  continued\n",
            "a: \"b\n  c\"\n",
            "a: [b,\n  c]\n",
            "a: b\n---\nc: d\n",
            "a: b\n...\n",
            "a: yes\n",
            "a: On\n",
            "a: 0x1F\n",
            "a: 1_000\n",
            "a: +1\n",
            "a: .5\n",
            "a: 1e3\n",
            "a: .inf\n",
            "a: .nan\n",
            "a: Null\n",
            "a: TRUE\n",
            "a: 007\n",
            "a: -0\n",
            "a: 1.2.3\n",
            "a: 12345678901234567890\n",
            "a: \"\\x41\"\n",
            "a: \"\\ud83d\"\n",
            "s:\n  -\n  - b\n",
            "s:\n  - - a\n",
            "a: b: c\n",
            "a : b\n",
            "a: \"b\"#c\n",
            "[a, b]\n",
            "just text\n",
            "# only a comment\n",
            "a: [b, ]\n",
            "a: { b: }\n",
            "a: \u{feff}b\n",
            "a: b\u{2028}c\n",
        ] {
            declines(text);
        }
    }

    #[test]
    fn declines_deep_nesting() {
        let deep: String = (0..40).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        declines(&(deep + &" ".repeat(40) + "k: v\n"));
        declines(&format!("a: {}{}\n", "[".repeat(40), "]".repeat(40)));
    }

    #[test]
    fn types_plain_scalars() {
        for (s, v) in [
            ("x", Value::Str("x".into())),
            ("~", Value::Null),
            ("null", Value::Null),
            ("true", Value::Bool(true)),
            ("-2", Value::Int(-2)),
            ("0", Value::Int(0)),
            ("1.5", Value::Float(1.5)),
            ("-0.5", Value::Float(-0.5)),
            ("2026-10-14", Value::Str("2026-10-14".into())),
            ("25 minutes", Value::Str("25 minutes".into())),
            ("2027-Q2", Value::Str("2027-Q2".into())),
            ("12:30", Value::Str("12:30".into())),
            ("開戶", Value::Str("開戶".into())),
        ] {
            assert_eq!(resolve(s), Some(v), "{s}");
        }
        for s in [
            "yes", "Y", "off", "NULL", "1e3", "0x1", "1_0", "01", "-", "-x", ".5", "+1", "1e-3",
            "2e+5",
        ] {
            assert_eq!(resolve(s), None, "{s}");
        }
    }
}
