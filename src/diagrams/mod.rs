//! The swimlane and emotion-curve diagrams, as standalone SVG.
//!
//! Each diagram is made in two steps, so that tests can check the geometry
//! as numbers and the writer stays a single fast pass:
//! 1. `layout` turns a validated [`Map`] into plain data: boxes
//!    ([`Cell`]), wrapped and measured text ([`TextLine`]), shapes and, for
//!    the curve, points and Bézier segments;
//! 2. `write` serialises that data into one pre-sized string.
//!
//! The SVG is written by hand, not with the `svg` crate: building its node
//! tree (attribute maps, one allocation per node) alone costs more than
//! our whole budget of 35 µs for both diagrams of a 30-touchpoint map.
//!
//! Every SVG is standalone (fonts and colours in its own `<style>`), has
//! `role="img"`, `<title>` and `<desc>`, and scopes its classes and ids by
//! a prefix derived from the map id, so that any number of diagrams can
//! share one HTML page.

pub mod emotion;
pub mod labels;
mod layout;
mod spare;
pub mod style;
pub mod swimlane;
mod write;

pub use labels::Labels;
pub use layout::{Anchor, Cell, CellRole, Shape, Text, TextLine};
#[cfg(test)]
pub(crate) use write::escape_into;

use crate::config::Language;
use crate::model::Map;

/// The swimlane SVG of `map`.
pub fn swimlane(map: &Map, lang: Language) -> String {
    let l = swimlane::layout(map, lang);
    let svg = swimlane::write(&l);
    spare::Spare::keep(l.lines, l.head, l.starts, l.shapes, l.made);
    spare::SwimlaneSpare::keep(l.columns, l.rows, [l.title, l.desc, l.scope]);
    svg
}

/// The emotion-curve SVG of `map`, with `compare` overlaid when given.
pub fn emotion(map: &Map, compare: Option<&Map>, lang: Language) -> String {
    let l = emotion::layout(map, compare, lang);
    let svg = emotion::write(&l);
    spare::Spare::keep(l.lines, l.head, l.starts, l.shapes, l.made);
    spare::CurveSpare::keep(
        l.primary.points,
        l.primary.curves,
        l.ticks,
        l.markers,
        [l.title, l.desc, l.scope],
    );
    svg
}

/// A small curve for index cards (no text, no ids, hidden from screen
/// readers, since the card names the map).
pub fn sparkline(map: &Map) -> String {
    emotion::sparkline(map)
}

/// The prefix of every class and id in one diagram of `map`: `cx`, a hash
/// of the map id, and a letter for the kind of diagram. Short, valid as a
/// CSS class and an XML id, and different for every map and diagram.
pub fn scope(map_id: &str, kind: char) -> String {
    let mut s = String::new();
    scope_into(&mut s, map_id, kind);
    s
}

/// [`scope`] onto `s` (a layout's kept string, emptied).
pub(crate) fn scope_into(s: &mut String, map_id: &str, kind: char) {
    // FNV-1a: stable across Rust versions and platforms, unlike the
    // standard library's hasher.
    let mut h: u32 = 0x811c_9dc5;
    for b in map_id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    // `format!("cx{h:08x}{kind}")`, by hand: the formatting machinery
    // costs a thousand instructions here, a fair share of a diagram.
    s.reserve(10 + kind.len_utf8());
    s.push_str("cx");
    for k in (0..8).rev() {
        s.push(char::from(
            b"0123456789abcdef"[(h >> (4 * k) & 0xf) as usize],
        ));
    }
    s.push(kind);
}

/// Shared grid of both diagrams: the width of the left column (lane titles
/// or the curve's axis) and of each touchpoint column, so that the curve's
/// points sit right under the swimlane's columns.
pub(crate) fn grid(touchpoints: usize) -> (f64, f64) {
    const LEFT: f64 = 136.0;
    const MIN_COL: f64 = 184.0;
    const MAX_COL: f64 = 280.0;
    const MIN_INNER: f64 = 1060.0;
    let n = touchpoints.max(1) as f64;
    let col = (MIN_INNER - LEFT) / n;
    (LEFT, col.clamp(MIN_COL, MAX_COL).floor())
}

/// A number as authors write it: `4.1`, `-2`, `70`, never `70.0`: the
/// shortest text that reads back as the same number.
#[cfg(test)]
pub(crate) fn fmt_num(v: f64) -> String {
    let mut s = String::new();
    push_value(&mut s, v);
    s
}

/// [`fmt_num`] into `out`, without allocating for whole numbers.
pub(crate) fn push_value(out: &mut String, v: f64) {
    // Two decimals at most (`70`, `4.1`, `-1.25`) below 10¹²: no shorter
    // text reads back as `v` (numbers 0.01 apart are many steps of an
    // `f64` apart there), so this is what `{v}` writes, without the
    // general algorithm. Whole numbers below 10¹² always pass, so they
    // need no test of their own (`f64::trunc` is a call into the maths
    // library where the CPU has no rounding instruction).
    if v.abs() < 1e12 {
        // Whole numbers (most values) first, without the division below:
        // it takes longer than all the rest of this test.
        let i = v as i64;
        if i as f64 == v {
            // Below 100 (most values: scores, percentages), its digits
            // straight away, without going through hundredths (a call,
            // a multiplication and a division back).
            let u = i.unsigned_abs();
            if u < 100 {
                if i < 0 {
                    out.push('-');
                }
                push_digits(out, u as usize);
                return;
            }
            push_hundredths(out, i * 100);
            return;
        }
        let n = write::hundredths(v);
        if n as f64 / 100.0 == v {
            push_hundredths(out, n);
            return;
        }
    } else if v.abs() < 1e15 && (v as i64) as f64 == v {
        // Whole (converting to `i64` and back keeps it).
        write::push_num(out, v);
        return;
    }
    use std::fmt::Write as _;
    let _ = write!(out, "{v}");
}

/// `n / 100` as [`write::push_num`] writes it, for the layouts' strings:
/// pushed in pieces of one or two digits whose length the compiler
/// knows, since a `&str` of computed length is a call to `memcpy`, and
/// a `char` a check of its UTF-8 length.
fn push_hundredths(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let u = n.unsigned_abs();
    let int = u / 100;
    if int < 100 {
        push_digits(out, int as usize);
    } else if int < 10_000 {
        push_digits(out, (int / 100) as usize);
        out.push_str(pair(int as usize % 100));
    } else {
        use std::fmt::Write as _;
        let _ = write!(out, "{int}");
    }
    let frac = (u % 100) as usize;
    if frac != 0 {
        out.push('.');
        if frac.is_multiple_of(10) {
            out.push_str(&pair(frac)[..1]);
        } else {
            out.push_str(pair(frac));
        }
    }
}

/// `d` (below 100) without a leading zero.
#[inline(always)]
fn push_digits(out: &mut String, d: usize) {
    if d < 10 {
        out.push_str(&pair(d)[1..]);
    } else {
        out.push_str(pair(d));
    }
}

/// `d` (below 100) as two digits.
#[inline(always)]
fn pair(d: usize) -> &'static str {
    const PAIRS: &str = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
    &PAIRS[2 * d..2 * d + 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_rust_writes_them() {
        let mut values: Vec<f64> = (-200_000i64..200_000)
            .flat_map(|k| {
                [
                    k as f64 / 100.0,
                    k as f64 * 0.01,
                    k as f64 / 1000.0,
                    k as f64 / 3.0,
                ]
            })
            .collect();
        values.extend([
            0.1 + 0.2,
            1e11 + 0.25,
            123_456_789.07,
            1e-7,
            -0.0,
            2.5e13,
            1.0 / 3.0,
            123_456_789.25,
            1e15 + 0.5,
            4.35,
            2.675,
        ]);
        for v in values {
            let mut s = String::new();
            push_value(&mut s, v);
            let want = if v == 0.0 {
                "0".to_owned()
            } else {
                format!("{v}")
            };
            assert_eq!(s, want, "{v}");
        }
    }

    #[test]
    fn scopes_differ_per_map_and_kind() {
        assert_ne!(scope("a/b", 's'), scope("a-b", 's'));
        assert_eq!(scope("", 's'), "cx811c9dc5s");
        assert_ne!(scope("a/b", 's'), scope("a/b", 'e'));
        assert_eq!(scope("a/b", 's'), scope("a/b", 's'));
        for id in ["", "a/b", "journeys/onboarding", "中文/路徑"] {
            let mut h: u32 = 0x811c_9dc5;
            for b in id.bytes() {
                h ^= u32::from(b);
                h = h.wrapping_mul(0x0100_0193);
            }
            assert_eq!(scope(id, 'e'), format!("cx{h:08x}e"));
        }
        assert!(
            scope("中文/路徑", 'e')
                .chars()
                .all(|c| c.is_ascii_alphanumeric())
        );
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(fmt_num(70.0), "70");
        assert_eq!(fmt_num(-2.0), "-2");
        assert_eq!(fmt_num(4.1), "4.1");
        assert_eq!(fmt_num(0.125), "0.125");
        assert_eq!(fmt_num(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(fmt_num(-0.0), "0");
    }
}
