//! Writing SVG by hand: escaping, fast numbers, and the pieces both
//! diagrams share (root element, text lines, shapes).

use super::layout::{Anchor, Shape, TextLine};
use super::style::{self, ShapeStyle, TextStyle};
use crate::config::Language;

/// An SVG being written into one pre-sized string.
pub(crate) struct Svg<'s> {
    pub out: String,
    pub scope: &'s str,
    /// ` class="{scope}-`, written before every class.
    class_prefix: String,
}

impl<'s> Svg<'s> {
    pub fn new(capacity: usize, scope: &'s str) -> Self {
        Svg {
            out: String::with_capacity(capacity),
            scope,
            class_prefix: format!(" class=\"{scope}-"),
        }
    }

    #[inline(always)]
    pub fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Author's text, escaped for both text and attribute values.
    #[inline(always)]
    pub fn text(&mut self, s: &str) {
        escape_into(&mut self.out, s);
    }

    #[inline(always)]
    pub fn num(&mut self, v: f64) {
        push_num(&mut self.out, v);
    }

    /// ` class="{scope}-{class}"`
    #[inline(always)]
    pub fn class(&mut self, class: &str) {
        self.out.push_str(&self.class_prefix);
        self.out.push_str(class);
        self.out.push('"');
    }

    /// ` name="v"` for a number.
    #[inline(always)]
    pub fn attr(&mut self, name: &str, v: f64) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        push_num(&mut self.out, v);
        self.out.push('"');
    }

    /// `<svg …>` with `<title>`, `<desc>` and `<style>`, and the
    /// background.
    pub fn open(&mut self, w: f64, h: f64, lang: Language, title: &str, desc: &str) {
        let scope = self.scope;
        self.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"");
        self.raw(" viewBox=\"0 0 ");
        self.num(w);
        self.raw(" ");
        self.num(h);
        self.raw("\"");
        self.attr("width", w);
        self.attr("height", h);
        self.raw(" xml:lang=\"");
        self.raw(lang.as_str());
        self.raw("\" class=\"");
        self.raw(scope);
        self.raw("\" aria-labelledby=\"");
        self.raw(scope);
        self.raw("-title ");
        self.raw(scope);
        self.raw("-desc\"><title id=\"");
        self.raw(scope);
        self.raw("-title\">");
        self.text(title);
        self.raw("</title><desc id=\"");
        self.raw(scope);
        self.raw("-desc\">");
        self.text(desc);
        self.raw("</desc><style>");
        style::write_css(&mut self.out, scope, lang);
        self.raw("</style>\n");
        self.shape(&Shape::Rect {
            x: 0.5,
            y: 0.5,
            w: w - 1.0,
            h: h - 1.0,
            rx: 10.0,
            style: ShapeStyle::Background,
        });
    }

    pub fn close(&mut self) {
        self.raw("</svg>\n");
    }

    /// Writes every line, grouped by style and anchor so that each group
    /// carries its class once (text never overlaps, so order is free).
    pub fn lines(&mut self, lines: &[TextLine<'_>]) {
        const KEYS: usize = TextStyle::ALL.len() * 3;
        let key = |l: &TextLine<'_>| l.style as usize * 3 + l.anchor as usize;
        let mut starts = [0u32; KEYS + 1];
        for l in lines {
            starts[key(l) + 1] += 1;
        }
        for k in 0..KEYS {
            starts[k + 1] += starts[k];
        }
        let mut order = vec![0u32; lines.len()];
        let mut next = starts;
        for (i, l) in lines.iter().enumerate() {
            let k = key(l);
            order[next[k] as usize] = i as u32;
            next[k] += 1;
        }
        for k in 0..KEYS {
            let group = &order[starts[k] as usize..starts[k + 1] as usize];
            let Some(&first) = group.first() else {
                continue;
            };
            let l0 = &lines[first as usize];
            self.raw("<g");
            self.class(l0.style.class());
            match l0.anchor {
                Anchor::Start => {}
                Anchor::Middle => self.raw(" text-anchor=\"middle\""),
                Anchor::End => self.raw(" text-anchor=\"end\""),
            }
            self.raw(">\n");
            for &i in group {
                let l = &lines[i as usize];
                if l.text.is_empty() {
                    continue;
                }
                self.raw("<text x=\"");
                self.num(l.anchor_x());
                self.raw("\" y=\"");
                self.num(l.y);
                self.raw("\">");
                self.text(&l.text);
                self.raw("</text>\n");
            }
            self.raw("</g>\n");
        }
    }

    pub fn shape(&mut self, s: &Shape) {
        match *s {
            Shape::Rect {
                x,
                y,
                w,
                h,
                rx,
                style,
            } => {
                self.raw("<rect");
                self.class(style.class());
                self.attr("x", x);
                self.attr("y", y);
                self.attr("width", w);
                self.attr("height", h);
                if rx > 0.0 {
                    self.attr("rx", rx);
                }
                self.raw("/>\n");
            }
            Shape::Line {
                x1,
                y1,
                x2,
                y2,
                style,
            } => {
                self.raw("<line");
                self.class(style.class());
                self.attr("x1", x1);
                self.attr("y1", y1);
                self.attr("x2", x2);
                self.attr("y2", y2);
                self.raw("/>\n");
            }
            Shape::Circle { cx, cy, r, style } => {
                self.raw("<circle");
                self.class(style.class());
                self.attr("cx", cx);
                self.attr("cy", cy);
                self.attr("r", r);
                self.raw("/>\n");
            }
            Shape::Star { cx, cy, r, style } => {
                let mut pts = [(0.0, 0.0); 10];
                for (i, p) in pts.iter_mut().enumerate() {
                    let rr = if i % 2 == 0 { r } else { r * 0.45 };
                    let a = std::f64::consts::PI * (i as f64) / 5.0;
                    *p = (cx + rr * a.sin(), cy - rr * a.cos());
                }
                self.polygon(&pts, style);
            }
            Shape::Diamond { cx, cy, r, style } => {
                self.polygon(
                    &[(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)],
                    style,
                );
            }
            Shape::TriangleDown { cx, cy, r, style } => {
                self.polygon(
                    &[(cx - r, cy - r * 0.6), (cx + r, cy - r * 0.6), (cx, cy + r)],
                    style,
                );
            }
            Shape::Square { cx, cy, r, style } => {
                self.shape(&Shape::Rect {
                    x: cx - r,
                    y: cy - r,
                    w: 2.0 * r,
                    h: 2.0 * r,
                    rx: 0.0,
                    style,
                });
            }
        }
    }

    /// Draws `shapes` in order, joining runs of lines of one style into a
    /// single `<path>` (the swimlane's grid is over a hundred lines).
    pub fn shapes(&mut self, shapes: &[Shape]) {
        let mut i = 0;
        while i < shapes.len() {
            let Shape::Line { style, .. } = shapes[i] else {
                self.shape(&shapes[i]);
                i += 1;
                continue;
            };
            let run = shapes[i..]
                .iter()
                .take_while(|s| matches!(s, Shape::Line { style: t, .. } if *t == style))
                .count();
            if run == 1 {
                self.shape(&shapes[i]);
                i += 1;
                continue;
            }
            self.raw("<path");
            self.class(style.class());
            self.raw(" d=\"");
            for s in &shapes[i..i + run] {
                if let Shape::Line { x1, y1, x2, y2, .. } = *s {
                    self.raw("M");
                    self.num(x1);
                    self.raw(",");
                    self.num(y1);
                    if x1 == x2 {
                        self.raw("V");
                        self.num(y2);
                    } else if y1 == y2 {
                        self.raw("H");
                        self.num(x2);
                    } else {
                        self.raw("L");
                        self.num(x2);
                        self.raw(",");
                        self.num(y2);
                    }
                }
            }
            self.raw("\"/>\n");
            i += run;
        }
    }

    fn polygon(&mut self, pts: &[(f64, f64)], style: ShapeStyle) {
        self.raw("<polygon");
        self.class(style.class());
        self.raw(" points=\"");
        for (i, (x, y)) in pts.iter().enumerate() {
            if i > 0 {
                self.raw(" ");
            }
            self.num(*x);
            self.raw(",");
            self.num(*y);
        }
        self.raw("\"/>\n");
    }
}

/// Escapes `& < > " '` and replaces characters XML 1.0 cannot carry
/// (controls other than tab and newline) by U+FFFD, so that the SVG stays
/// well-formed whatever the author wrote.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !SPECIAL[usize::from(b)] {
            i += 1;
            continue;
        }
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not XML characters.
            0xef => {
                if bytes.get(i + 1) == Some(&0xbf) && matches!(bytes.get(i + 2), Some(0xbe | 0xbf))
                {
                    out.push_str(&s[last..i]);
                    out.push('\u{fffd}');
                    i += 3;
                    last = i;
                } else {
                    i += 1;
                }
                continue;
            }
            _ => "\u{fffd}",
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        i += 1;
        last = i;
    }
    out.push_str(&s[last..]);
}

/// Bytes [`escape_into`] has to look at: markup, controls XML cannot
/// carry, and the lead byte of U+FFFE/U+FFFF.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = !matches!(b, 0x09 | 0x0a | 0x0d);
        b += 1;
    }
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[0xef] = true;
    t
};

/// `v` rounded to two decimals, without trailing zeros (`12`, `12.5`,
/// `-0.25`). Hand-written because `format!` of floats is several times
/// slower and the diagrams write thousands of numbers.
#[inline]
pub(crate) fn push_num(out: &mut String, v: f64) {
    let x = v * 100.0;
    // Round half away from zero without a libm call.
    let n = if x >= 0.0 {
        (x + 0.5) as i64
    } else {
        (x - 0.5) as i64
    };
    let neg = n < 0;
    let u = n.unsigned_abs();
    let int = u / 100;
    let frac = (u % 100) as usize;
    // Most coordinates are whole pixels below 10000: one copy from a
    // table, no digit loop.
    if int < 10_000 && !neg {
        let d = int as usize;
        let from = 4 * d + usize::from(d < 1000) + usize::from(d < 100) + usize::from(d < 10);
        out.push_str(&INTS[from..4 * d + 4]);
        if frac != 0 {
            let len = if frac.is_multiple_of(10) { 2 } else { 3 };
            out.push_str(&FRACS[3 * frac..3 * frac + len]);
        }
        return;
    }
    let mut buf = [0u8; 24];
    let mut i = buf.len();
    let mut u = int;
    if frac != 0 {
        if !frac.is_multiple_of(10) {
            i -= 2;
            buf[i] = DIGITS2[2 * frac];
            buf[i + 1] = DIGITS2[2 * frac + 1];
        } else {
            i -= 1;
            buf[i] = DIGITS2[2 * frac];
        }
        i -= 1;
        buf[i] = b'.';
    }
    while u >= 100 {
        let d = (u % 100) as usize;
        u /= 100;
        i -= 2;
        buf[i] = DIGITS2[2 * d];
        buf[i + 1] = DIGITS2[2 * d + 1];
    }
    let d = u as usize;
    if d >= 10 {
        i -= 2;
        buf[i] = DIGITS2[2 * d];
        buf[i + 1] = DIGITS2[2 * d + 1];
    } else {
        i -= 1;
        buf[i] = b'0' + d as u8;
    }
    if neg {
        i -= 1;
        buf[i] = b'-';
    }
    // Only ASCII digits, `.` and `-` were written.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// `0000` to `9999`, four digits each: whole numbers are sliced from here.
static INTS: &str = match std::str::from_utf8(&INT_BYTES) {
    Ok(s) => s,
    Err(_) => panic!("digits are ASCII"),
};
static INT_BYTES: [u8; 40_000] = {
    let mut t = [0u8; 40_000];
    let mut d = 0;
    while d < 10_000 {
        t[4 * d] = b'0' + (d / 1000) as u8;
        t[4 * d + 1] = b'0' + (d / 100 % 10) as u8;
        t[4 * d + 2] = b'0' + (d / 10 % 10) as u8;
        t[4 * d + 3] = b'0' + (d % 10) as u8;
        d += 1;
    }
    t
};

/// `.00` to `.99`, three bytes each: two decimals are sliced from here.
static FRACS: &str = match std::str::from_utf8(&FRAC_BYTES) {
    Ok(s) => s,
    Err(_) => panic!("digits are ASCII"),
};
static FRAC_BYTES: [u8; 300] = {
    let mut t = [0u8; 300];
    let mut d = 0;
    while d < 100 {
        t[3 * d] = b'.';
        t[3 * d + 1] = b'0' + (d / 10) as u8;
        t[3 * d + 2] = b'0' + (d % 10) as u8;
        d += 1;
    }
    t
};

static DIGITS2: [u8; 200] = *b"00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: f64) -> String {
        let mut s = String::new();
        push_num(&mut s, v);
        s
    }

    #[test]
    fn numbers_are_short_and_exact_to_two_decimals() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(-0.25), "-0.25");
        assert_eq!(num(0.004), "0");
        assert_eq!(num(1234.567), "1234.57");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(-12.5), "-12.5");
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(-0.05), "-0.05");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(9999.994), "9999.99");
        assert_eq!(num(9999.995), "10000");
        assert_eq!(num(10000.0), "10000");
        assert_eq!(num(123456.78), "123456.78");
        assert_eq!(num(-3.0), "-3");
        assert_eq!(num(7.05), "7.05");
        assert_eq!(num(0.9), "0.9");
        for k in -200_000i64..200_000 {
            let v = k as f64 / 100.0;
            let want = format!("{v:.2}");
            let want = want.trim_end_matches('0').trim_end_matches('.');
            assert_eq!(num(v), if want == "-0" { "0" } else { want }, "{k}");
        }
    }

    #[test]
    fn escaping_keeps_every_character_and_the_xml_valid() {
        let mut s = String::new();
        escape_into(&mut s, "<script>alert('x')</script> & \"#:\" \u{1}");
        assert_eq!(
            s,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;#:&quot; \u{fffd}"
        );
        let mut t = String::new();
        escape_into(&mut t, "中文\u{fffe}ｏ\u{ffff}");
        assert_eq!(t, "中文\u{fffd}ｏ\u{fffd}");
    }
}
