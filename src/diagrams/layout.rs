//! The plain data both diagrams are laid out into, and the flow that fills
//! a box with wrapped text.

use super::style::{ShapeStyle, TextStyle};
use crate::text::{self, Font};
use std::fmt;
use std::ops::Range;

/// How a line is anchored when written: the measured box is the same, but
/// centred and right-aligned text stays inside it even when the real font
/// is narrower than measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One line of text, measured: its box runs from `x` to `x + width`, and
/// from `y - ascent` to `y + descent` of its style.
#[derive(Clone, Debug, PartialEq)]
pub struct TextLine<'a> {
    /// Left edge of the measured box.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    pub width: f64,
    pub text: Text<'a>,
    pub style: TextStyle,
    pub anchor: Anchor,
    /// Known to hold nothing that XML escaping changes (found while the
    /// text was measured), so it is written as it is.
    pub plain: bool,
}

/// The text of a [`TextLine`]: a slice of the map's text or of the
/// labels, or of the text the layout made (tags, values, tick labels),
/// which all lives in one string of the layout's, `made`, rather than in
/// one allocation per line. Read it with [`Text::get`] (or the layout's
/// `text`).
///
/// Sixteen bytes and no reference count, so that a line is cheap to lay,
/// copy and drop.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Text<'a>(Repr<'a>);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Repr<'a> {
    Borrowed(&'a str),
    /// `made[start..end]`: a layout's text stays far below 4 GiB.
    Made(u32, u32),
}

impl<'a> Text<'a> {
    /// The text, given the string of the layout the line belongs to.
    pub fn get<'s>(&self, made: &'s str) -> &'s str
    where
        'a: 's,
    {
        match self.0 {
            Repr::Borrowed(s) => s,
            Repr::Made(start, end) => &made[start as usize..end as usize],
        }
    }

    /// Its length in bytes, known without the layout's string.
    pub fn len(&self) -> usize {
        match self.0 {
            Repr::Borrowed(s) => s.len(),
            Repr::Made(start, end) => (end - start) as usize,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `made[start..end]`.
    fn made(start: usize, end: usize) -> Self {
        debug_assert!(end <= u32::MAX as usize);
        Text(Repr::Made(start as u32, end as u32))
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Self {
        Text(Repr::Borrowed(s))
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Repr::Borrowed(s) => fmt::Debug::fmt(s, f),
            Repr::Made(start, end) => write!(f, "made[{start}..{end}]"),
        }
    }
}

/// Lines are pushed by the hundred per diagram: every byte counts.
const _: () = assert!(std::mem::size_of::<TextLine<'static>>() == 48);

impl TextLine<'_> {
    pub fn top(&self) -> f64 {
        self.y - self.style.ascent()
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.style.descent()
    }
    /// The x written into the SVG for this line's anchor.
    pub fn anchor_x(&self) -> f64 {
        match self.anchor {
            Anchor::Start => self.x,
            Anchor::Middle => self.x + self.width / 2.0,
            Anchor::End => self.x + self.width,
        }
    }
}

/// What a [`Cell`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellRole {
    Title,
    Legend,
    Stage,
    LaneTitle,
    /// A swimlane cell: lane row, touchpoint column.
    Body {
        row: usize,
        column: usize,
    },
    AxisLabel,
    XLabel,
    PointLabel,
}

/// A box and the text lines inside it. Every line lies inside the box
/// less `pad` on the left and right, and inside the box vertically.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub pad: f64,
    /// Indexes into the layout's `lines`.
    pub lines: Range<usize>,
    pub role: CellRole,
}

/// A shape. Shapes are drawn layer by layer (by style), in order within
/// a layer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        rx: f64,
        style: ShapeStyle,
    },
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        style: ShapeStyle,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
        style: ShapeStyle,
    },
    /// A five-pointed star of outer radius `r`.
    Star {
        cx: f64,
        cy: f64,
        r: f64,
        style: ShapeStyle,
    },
    Diamond {
        cx: f64,
        cy: f64,
        r: f64,
        style: ShapeStyle,
    },
    /// Pointing down: the lowest point.
    TriangleDown {
        cx: f64,
        cy: f64,
        r: f64,
        style: ShapeStyle,
    },
    Square {
        cx: f64,
        cy: f64,
        r: f64,
        style: ShapeStyle,
    },
}

/// Fills a column of a cell with wrapped text from the top down.
pub(crate) struct Flow<'v, 'a> {
    /// Left edge and width available to text.
    pub x: f64,
    pub w: f64,
    /// Top of the next line box.
    pub y: f64,
    pub lines: &'v mut Vec<TextLine<'a>>,
    /// Text made by the layout, which its lines point into (see
    /// [`Text`]). What is past `mark` is being made for the next
    /// [`Flow::flush`] (see [`Flow::tag`]).
    made: &'v mut String,
    mark: usize,
    /// The last two made texts that needed more than one line, and which
    /// of them to replace next (see [`Flow::made_more`]).
    repeat: [Repeat; 2],
    older: usize,
    /// Made texts kept by a key of what they were made from (see
    /// [`Flow::again`]). A flow's caches are cleared by `memset` in every
    /// `Flow::new`: kept under 2 KB, past which glibc clears with `rep
    /// stosb`, counted a byte at a time (once 6 k instructions a render).
    kept: [[Kept; 2]; Kept::SETS],
    /// For each style, the last width available to a text that needed
    /// more than one line (as bits; `u64::MAX`, a NaN no arithmetic
    /// makes, for none yet) and its `line_limit`: the columns of a row
    /// are alike, so it is found once a row rather than once a text.
    limits: [(u64, Option<u32>); TextStyle::ALL.len()],
}

/// The lines the wrapper found for a text made by the layout (see
/// [`Flow::tag`]) that needed more than one, with what they depend on:
/// the text, its style and the width available. Tags repeat from cell to
/// cell (`Planned · Medium priority` under every opportunity planned at
/// that priority), and a tag too long for its column went through the
/// general wrapper each time, a thousand instructions for two lines; the
/// same text, style and width wrap the same way, so the lines found once
/// are laid again.
#[derive(Clone, Copy)]
struct Repeat {
    /// `text[..len]`: the text the lines are of (none while `len` is 0).
    text: [u8; Repeat::TEXT],
    len: usize,
    style: TextStyle,
    /// The width available, as bits, to be compared exactly.
    avail: u64,
    lines: [text::Line; Repeat::LINES],
    count: usize,
}

impl Repeat {
    /// Longer text, or text of more lines, is not kept: tags are short
    /// (the longest, with a status, priority, due date and owner, are
    /// some 70 bytes).
    const TEXT: usize = 96;
    const LINES: usize = 4;

    const NONE: Repeat = Repeat {
        text: [0; Repeat::TEXT],
        len: 0,
        style: TextStyle::Title,
        avail: 0,
        lines: [text::Line {
            start: 0,
            end: 0,
            width: 0.0,
        }; Repeat::LINES],
        count: 0,
    };

    /// The lines kept for `s` in `style` within `avail`, if these are they.
    fn of(&self, s: &str, style: TextStyle, avail: f64) -> Option<&[text::Line]> {
        (self.len > 0
            && self.style == style
            && self.avail == avail.to_bits()
            && self.text[..self.len] == *s.as_bytes())
        .then(|| &self.lines[..self.count])
    }
}

/// The one line a made text was laid as (see [`Flow::flush_laid`]), with
/// what else it depends on: its style and the width available. Laid
/// again with [`Flow::lay_again`], for the same text made again.
#[derive(Clone, Copy)]
struct Laid {
    /// `TextStyle::Title` in [`Kept::NONE`] (no made text has it).
    style: TextStyle,
    /// The width available, as bits, to be compared exactly.
    avail: u64,
    /// `made[start..end]`, `width` wide; nothing when `start == end` (the
    /// text was empty).
    start: u32,
    end: u32,
    width: f64,
    plain: bool,
}

/// A [`Laid`] line kept under a key the caller made of what the text was
/// made from (see [`Flow::again`]).
#[derive(Clone, Copy)]
struct Kept {
    key: u64,
    laid: Laid,
}

impl Kept {
    /// Two to a set (the one kept last first): the number of sets, a
    /// power of two.
    const SETS: usize = 8;

    const NONE: Kept = Kept {
        key: 0,
        laid: Laid {
            style: TextStyle::Title,
            avail: 0,
            start: 0,
            end: 0,
            width: 0.0,
            plain: false,
        },
    };

    /// The set of `key`.
    #[inline(always)]
    fn set(key: u64) -> usize {
        // Fibonacci hashing: the top bits of the product mix all of `key`.
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - Kept::SETS.trailing_zeros())) as usize
    }
}

/// Text being made (a tag, a value, a note) for [`Flow::flush`]: written
/// straight into the layout's `made`, after the text it has made so far,
/// where the lines will point, so that flushing copies nothing.
pub(crate) struct Tag<'m> {
    made: &'m mut String,
    start: usize,
}

impl Tag<'_> {
    pub fn push_str(&mut self, s: &str) {
        self.made.push_str(s);
    }

    pub fn push(&mut self, c: char) {
        self.made.push(c);
    }

    /// Whether nothing has been written yet.
    pub fn is_empty(&self) -> bool {
        self.made.len() == self.start
    }

    /// The string written to, for helpers that append to a `String`
    /// (numbers): only ever to be appended to.
    pub fn string(&mut self) -> &mut String {
        self.made
    }
}

impl std::fmt::Write for Tag<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.made.push_str(s);
        Ok(())
    }
}

/// Where the text of a [`Flow`]'s lines lives.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// In the map or the labels: lines are slices of it.
    Borrowed(&'a str),
    /// In `made` at this offset.
    Made(usize),
}

impl<'v, 'a> Flow<'v, 'a> {
    pub fn new(
        x: f64,
        w: f64,
        y: f64,
        lines: &'v mut Vec<TextLine<'a>>,
        made: &'v mut String,
    ) -> Self {
        let mark = made.len();
        Flow {
            x,
            w,
            y,
            lines,
            made,
            mark,
            repeat: [Repeat::NONE; 2],
            older: 0,
            kept: [[Kept::NONE; 2]; Kept::SETS],
            limits: [(u64::MAX, None); TextStyle::ALL.len()],
        }
    }

    /// The text for the next [`Flow::flush`], to write to.
    pub fn tag(&mut self) -> Tag<'_> {
        Tag {
            start: self.mark,
            made: self.made,
        }
    }

    /// Wraps what was written through [`Flow::tag`] since the last flush,
    /// at `indent` from the left edge; returns the baseline of the first
    /// line, if any.
    // Inlined where its style and indent are known (the swimlane's tags,
    // values and notes): the call and its arguments cost more than the
    // code it repeats.
    #[inline]
    pub fn flush(&mut self, style: TextStyle, indent: f64) -> Option<f64> {
        self.made_here(style, indent, Anchor::Start)
    }

    /// Lays again, at `indent`, the made text flushed last under `key` in
    /// `style` (see [`Flow::flush_kept`]) if it was one line (or none)
    /// with as much room as now: whether it did. A caller that makes the
    /// same text of the same things (a pain's kind and severity, an
    /// emotion's value) thus makes it once, rather than every time.
    ///
    /// `key` must tell apart the texts made in `style` for the caller:
    /// the same key, the same text.
    #[inline]
    pub fn again(&mut self, key: u64, style: TextStyle, indent: f64) -> bool {
        let Some(k) = self.kept[Kept::set(key)]
            .iter()
            .find(|k| k.key == key && k.laid.style == style)
        else {
            return false;
        };
        let laid = k.laid;
        self.lay_again(&laid, indent)
    }

    /// [`Flow::flush`], keeping the line the text is laid as under `key`
    /// for [`Flow::again`] (unless it takes more than one).
    pub fn flush_kept(&mut self, key: u64, style: TextStyle, indent: f64) {
        if let Some(laid) = self.flush_laid(style, indent) {
            let set = &mut self.kept[Kept::set(key)];
            set[1] = set[0];
            set[0] = Kept { key, laid };
        }
    }

    /// [`Flow::flush`], and the line the text was laid as, for
    /// [`Flow::lay_again`]: `None` if it took more than one.
    #[inline(never)]
    fn flush_laid(&mut self, style: TextStyle, indent: f64) -> Option<Laid> {
        let first = self.lines.len();
        self.flush(style, indent);
        let (start, end, width, plain) = match &self.lines[first..] {
            [] => (0, 0, 0.0, true),
            [l] => {
                let Repr::Made(start, end) = l.text.0 else {
                    unreachable!("the lines of made text are made")
                };
                (start, end, l.width, l.plain)
            }
            _ => return None,
        };
        let avail = (self.w - indent).to_bits();
        Some(Laid {
            style,
            avail,
            start,
            end,
            width,
            plain,
        })
    }

    /// Lays `laid` again at `indent`, if there is as much room for it as
    /// when it was laid: whether it did.
    #[inline]
    fn lay_again(&mut self, laid: &Laid, indent: f64) -> bool {
        if laid.avail != (self.w - indent).to_bits() {
            return false;
        }
        if laid.start < laid.end {
            let text = Text(Repr::Made(laid.start, laid.end));
            self.one(
                text,
                laid.width,
                laid.plain,
                laid.style,
                indent,
                Anchor::Start,
            );
        }
        true
    }

    /// Like [`Flow::flush`], right-aligned.
    pub fn flush_end(&mut self, style: TextStyle) -> Option<f64> {
        self.made_here(style, 0.0, Anchor::End)
    }

    /// Wraps borrowed text at `indent` from the left edge; returns the
    /// baseline of the first line, if any.
    // Inlined into the cells of the swimlane, where most text is laid: the
    // call cost more there than the code it repeats.
    #[inline]
    pub fn text(&mut self, s: &'a str, style: TextStyle, indent: f64) -> Option<f64> {
        self.borrowed(s, style, indent, Anchor::Start)
    }

    /// Centred lines.
    pub fn centred(&mut self, s: &'a str, style: TextStyle) -> Option<f64> {
        self.borrowed(s, style, 0.0, Anchor::Middle)
    }

    /// Right-aligned lines.
    pub fn text_end(&mut self, s: &'a str, style: TextStyle) -> Option<f64> {
        self.borrowed(s, style, 0.0, Anchor::End)
    }

    /// Wraps text in the map or the labels, whose lines are slices of it,
    /// and adds its lines. The usual single line is laid here; longer
    /// text goes to [`Flow::wrapped_more`].
    #[inline(always)]
    fn borrowed(
        &mut self,
        s: &'a str,
        style: TextStyle,
        indent: f64,
        anchor: Anchor,
    ) -> Option<f64> {
        let m = &METRICS[style as usize];
        let avail = self.w - indent;
        match text::wrap::look(s, m.font, avail) {
            text::wrap::Look::One {
                body, width, plain, ..
            } => Some(self.one(Text::from(body), width, plain, style, indent, anchor)),
            text::wrap::Look::Blank => None,
            text::wrap::Look::More(more) => {
                self.wrapped_more(s, Source::Borrowed(s), more, style, indent, anchor)
            }
        }
    }

    /// [`Flow::borrowed`] of the text made since the last flush, in
    /// `made`, whose lines are ranges of it. The usual single line needs
    /// `made` only to be measured; longer text has it taken out while its
    /// lines are laid, and put back (taking it for every text cost a dozen
    /// instructions a flush).
    #[inline(always)]
    fn made_here(&mut self, style: TextStyle, indent: f64, anchor: Anchor) -> Option<f64> {
        let at = self.mark;
        if self.made.len() == at {
            // Nothing written: a pain or opportunity without a tag.
            return None;
        }
        let m = &METRICS[style as usize];
        let avail = self.w - indent;
        let first = match text::wrap::look(&self.made[at..], m.font, avail) {
            text::wrap::Look::One {
                body,
                base,
                width,
                plain,
            } => {
                let text = Text::made(at + base, at + base + body.len());
                Some(self.one(text, width, plain, style, indent, anchor))
            }
            // Blank text written (a space).
            text::wrap::Look::Blank => None,
            text::wrap::Look::More(more) => {
                let made = std::mem::take(self.made);
                let first = self.made_more(&made[at..], at, more, style, indent, anchor);
                *self.made = made;
                first
            }
        };
        self.mark = self.made.len();
        first
    }

    /// Lays `text`, one line `width` wide; returns its baseline.
    #[inline(always)]
    fn one(
        &mut self,
        text: Text<'a>,
        width: f64,
        plain: bool,
        style: TextStyle,
        indent: f64,
        anchor: Anchor,
    ) -> f64 {
        let m = &METRICS[style as usize];
        let avail = self.w - indent;
        let top = self.y;
        self.lines.push(TextLine {
            x: match anchor {
                Anchor::Start => self.x + indent,
                Anchor::Middle => self.x + indent + (avail - width) / 2.0,
                Anchor::End => self.x + self.w - width,
            },
            y: top + m.baseline,
            width,
            text,
            style,
            anchor,
            plain,
        });
        self.y = top + m.line_height;
        top + m.baseline
    }

    /// [`Flow::wrapped_more`] of made text, `made[at..]` (here `s`), laid
    /// as the same text was if it is one of the last two such (see
    /// [`Repeat`]), and else kept in place of the older of them.
    #[inline(never)]
    fn made_more(
        &mut self,
        s: &str,
        at: usize,
        more: text::wrap::More,
        style: TextStyle,
        indent: f64,
        anchor: Anchor,
    ) -> Option<f64> {
        let avail = self.w - indent;
        let [a, b] = &self.repeat;
        if let Some(lines) = a.of(s, style, avail).or_else(|| b.of(s, style, avail)) {
            // Copied out of `self` for the call: at most four lines.
            let (mut copy, n) = (Repeat::NONE.lines, lines.len());
            copy[..n].copy_from_slice(lines);
            let replay = |placer: &mut Placer<'_, 'a>, _, _| {
                for &l in &copy[..n] {
                    text::LineSink::line(placer, l);
                }
            };
            return self.lay(Source::Made(at), more.plain, style, indent, anchor, replay);
        }
        let first = self.lines.len();
        let baseline = self.wrapped_more(s, Source::Made(at), more, style, indent, anchor);
        let laid = &self.lines[first..];
        let r = &mut self.repeat[self.older];
        self.older ^= 1;
        r.len = 0;
        if laid.len() <= Repeat::LINES && s.len() <= Repeat::TEXT {
            for (kept, l) in r.lines.iter_mut().zip(laid) {
                let Repr::Made(start, end) = l.text.0 else {
                    unreachable!("the lines of made text are made")
                };
                *kept = text::Line {
                    start: start as usize - at,
                    end: end as usize - at,
                    width: l.width,
                };
            }
            r.text[..s.len()].copy_from_slice(s.as_bytes());
            (r.len, r.style, r.avail, r.count) = (s.len(), style, avail.to_bits(), laid.len());
        }
        baseline
    }

    /// [`Flow::borrowed`] or [`Flow::made_more`] of text that needs more
    /// than one line, each laid as the wrapper finds it.
    // A hint to inline, once taken in the swimlane's row loops, where the
    // style and indent are constants (fewer instructions per text than the
    // call, for some 6 KB more code); since the line limit is kept per
    // style, they call it (50 times a render of the typical map).
    #[inline]
    fn wrapped_more(
        &mut self,
        s: &str,
        source: Source<'a>,
        more: text::wrap::More,
        style: TextStyle,
        indent: f64,
        anchor: Anchor,
    ) -> Option<f64> {
        let avail = self.w - indent;
        let (key, limit) = &mut self.limits[style as usize];
        if *key != avail.to_bits() {
            let font = METRICS[style as usize].font;
            (*key, *limit) = (avail.to_bits(), text::wrap::line_limit(font, avail));
        }
        let limit = *limit;
        let wrap = |placer: &mut Placer<'_, 'a>, font, avail| {
            more.wrap_at(s, font, avail, limit, placer);
        };
        self.lay(source, more.plain, style, indent, anchor, wrap)
    }

    /// Lays the lines `wrap` hands a [`Placer`] (given the font and the
    /// width available), from the top of the flow down.
    #[inline(always)]
    fn lay(
        &mut self,
        source: Source<'a>,
        plain: bool,
        style: TextStyle,
        indent: f64,
        anchor: Anchor,
        wrap: impl FnOnce(&mut Placer<'_, 'a>, Font, f64),
    ) -> Option<f64> {
        let m = &METRICS[style as usize];
        let avail = self.w - indent;
        let first = self.lines.len();
        let mut placer = Placer {
            lines: self.lines,
            count: 0,
            x: match anchor {
                Anchor::Start | Anchor::Middle => self.x + indent,
                Anchor::End => self.x + self.w,
            },
            avail,
            top: self.y,
            line_height: m.line_height,
            baseline: m.baseline,
            source,
            style,
            anchor,
        };
        wrap(&mut placer, m.font, avail);
        let k = placer.count;
        if !plain {
            for l in &mut self.lines[first..] {
                l.plain = false;
            }
        }
        let top = self.y;
        self.y = top + f64::from(k) * m.line_height;
        (k > 0).then_some(top + m.baseline)
    }

    pub fn gap(&mut self, h: f64) {
        self.y += h;
    }
}

/// What [`Flow`] needs of a style, worked out once for all styles rather
/// than on every call (a test holds it to [`TextStyle`]'s own methods).
struct Metrics {
    font: Font,
    line_height: f64,
    baseline: f64,
}

static METRICS: [Metrics; TextStyle::ALL.len()] = {
    const fn of(style: TextStyle) -> Metrics {
        let font = style.font();
        let line_height = (font.size * 1.4).round();
        Metrics {
            font,
            line_height,
            baseline: line_height / 2.0 + 0.35 * font.size,
        }
    }
    let mut out = [const { of(TextStyle::Title) }; TextStyle::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = of(TextStyle::ALL[i]);
        i += 1;
    }
    out
};

/// Lays the lines of one text in a [`Flow`] as the wrapper finds them.
struct Placer<'l, 'a> {
    lines: &'l mut Vec<TextLine<'a>>,
    /// Lines laid so far.
    count: u32,
    /// Where lines start (`Start`, `Middle`) or end (`End`).
    x: f64,
    /// Width available, for centring.
    avail: f64,
    top: f64,
    line_height: f64,
    baseline: f64,
    source: Source<'a>,
    style: TextStyle,
    anchor: Anchor,
}

impl text::LineSink for Placer<'_, '_> {
    // Into `wrap_ascii`, which is generic over its sink for that: a call
    // per line, and the fields loaded again each time, cost half of it.
    #[inline(always)]
    fn line(&mut self, l: text::Line) {
        let k = self.count;
        self.count += 1;
        self.lines.push(TextLine {
            x: match self.anchor {
                Anchor::Start => self.x,
                Anchor::Middle => self.x + (self.avail - l.width) / 2.0,
                Anchor::End => self.x - l.width,
            },
            y: self.top + f64::from(k) * self.line_height + self.baseline,
            width: l.width,
            text: match self.source {
                Source::Borrowed(all) => Text::from(&all[l.start..l.end]),
                Source::Made(at) => Text::made(at + l.start, at + l.end),
            },
            style: self.style,
            anchor: self.anchor,
            // Marked by `Flow::lay` once the whole text is known not
            // to be.
            plain: true,
        });
    }
}

impl Shape {
    pub fn style(&self) -> ShapeStyle {
        match *self {
            Shape::Rect { style, .. }
            | Shape::Line { style, .. }
            | Shape::Circle { style, .. }
            | Shape::Star { style, .. }
            | Shape::Diamond { style, .. }
            | Shape::TriangleDown { style, .. }
            | Shape::Square { style, .. } => style,
        }
    }

    /// The same shape moved by `(dx, dy)`.
    pub fn moved(&self, dx: f64, dy: f64) -> Shape {
        let mut s = *self;
        match &mut s {
            Shape::Rect { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Shape::Line { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
            Shape::Circle { cx, cy, .. }
            | Shape::Star { cx, cy, .. }
            | Shape::Diamond { cx, cy, .. }
            | Shape::TriangleDown { cx, cy, .. }
            | Shape::Square { cx, cy, .. } => {
                *cx += dx;
                *cy += dy;
            }
        }
        s
    }
}

/// Width of a legend swatch and the gap after it.
const SWATCH: f64 = 26.0;
const ITEM_GAP: f64 = 20.0;

/// One item of a [`legend`]: its swatch, shapes drawn around `(0, 0)`
/// (the same for every map, so static), and its label.
pub(crate) type LegendItem<'a> = (&'static [Shape], &'a str);

/// Lays legend items left to right from `(x, y)`, wrapping to a new row
/// when an item does not fit in `w`, and an item's text when it is wider
/// than a whole row. Each swatch is moved to its place. Returns the bottom
/// of the legend.
///
/// The items come on the stack and the lines go straight into `lines`,
/// placed once the item's row is known: a legend allocates nothing.
pub(crate) fn legend<'a>(
    items: impl IntoIterator<Item = LegendItem<'a>>,
    (x, y, w): (f64, f64, f64),
    lines: &mut Vec<TextLine<'a>>,
    cells: &mut Vec<Cell>,
    shapes: &mut Vec<Shape>,
) -> f64 {
    /// Adds an item's lines, with their text and width; [`legend`] places
    /// them.
    struct Label<'l, 'a> {
        lines: &'l mut Vec<TextLine<'a>>,
        label: &'a str,
        width: f64,
    }
    impl text::LineSink for Label<'_, '_> {
        fn line(&mut self, l: text::Line) {
            self.width = self.width.max(l.width);
            self.lines.push(TextLine {
                x: 0.0,
                y: 0.0,
                width: l.width,
                text: Text::from(&self.label[l.start..l.end]),
                style: TextStyle::Legend,
                anchor: Anchor::Start,
                plain: true,
            });
        }
    }
    let style = TextStyle::Legend;
    let lh = style.line_height();
    let mut cx = x;
    let mut row_top = y;
    let mut row_bottom = y;
    for (swatch, label) in items {
        let first = lines.len();
        let mut sink = Label {
            lines,
            label,
            width: 0.0,
        };
        let plain = text::wrap_into(label, style.font(), w - SWATCH, &mut sink);
        let item_w = SWATCH + sink.width;
        if cx > x && cx + item_w > x + w {
            cx = x;
            row_top = row_bottom + 4.0;
        }
        let mut ty = row_top;
        for l in &mut lines[first..] {
            l.x = cx + SWATCH;
            l.y = ty + style.baseline();
            l.plain = plain;
            ty += lh;
        }
        for s in swatch {
            shapes.push(s.moved(cx + SWATCH / 2.0 - 3.0, row_top + lh / 2.0));
        }
        cells.push(Cell {
            x: cx,
            y: row_top,
            w: item_w,
            h: ty - row_top,
            pad: 0.0,
            lines: first..lines.len(),
            role: CellRole::Legend,
        });
        row_bottom = row_bottom.max(ty);
        cx += item_w + ITEM_GAP;
    }
    row_bottom
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_the_styles_own() {
        for style in TextStyle::ALL {
            let m = &METRICS[style as usize];
            assert_eq!(m.font, style.font(), "{style:?}");
            assert_eq!(m.line_height, style.line_height(), "{style:?}");
            assert_eq!(m.baseline, style.baseline(), "{style:?}");
        }
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of tags: words, separators and owners as the layouts write
    /// them, long and short, Latin and Chinese.
    const PIECES: [&str; 10] = [
        "Planned",
        "\u{a0}· ",
        "Medium priority",
        "due\u{a0}2026-03-31",
        "→\u{a0}Design system",
        "已規劃",
        "・",
        "優先度中",
        "a-very-long-word-that-breaks-between-characters",
        " it's <b> ",
    ];

    proptest! {
        /// The wrapper finds a text plain exactly when XML escaping would
        /// leave it as it is (so the writer may copy its lines): for
        /// markup, controls, full-width punctuation (which starts with
        /// `0xEF`, as U+FFFE and U+FFFF do, the only characters beyond
        /// ASCII escaping replaces) and the other characters around them,
        /// on one line or many, with line breaks or not.
        #[test]
        fn plain_is_what_escaping_leaves_alone(
            s in "[a-z &<>\"'\u{1}\t\n\r·→運一，：？！（）「」\u{ff61}\u{ffbf}\u{ffc0}\u{fffd}\u{fffe}\u{ffff}\u{a0}]{0,40}",
            width in 10.0f64..300.0,
            bold in any::<bool>(),
        ) {
            let font = Font { size: 10.0, bold };
            let mut lines = Vec::new();
            let plain = text::wrap_into(&s, font, width, &mut lines);
            let body = s.trim();
            let mut escaped = Vec::new();
            super::super::write::escape_into(&mut escaped, body);
            prop_assert_eq!(plain, escaped == body.as_bytes(), "{:?}", s);
        }

        /// Made text laid again by its key (`Flow::again`) is laid as a
        /// fresh flow lays it, line for line, as the texts (empty ones
        /// too) repeat, change style, width and indent, and come back.
        #[test]
        fn made_text_again_is_laid_as_new(
            texts in proptest::collection::vec(proptest::collection::vec(0..PIECES.len(), 0..6), 1..4),
            steps in proptest::collection::vec((0usize..4, 0usize..3, 0usize..4, any::<bool>()), 1..24),
        ) {
            let (mut lines, mut made) = (Vec::new(), String::new());
            let mut flow = Flow::new(10.0, 100.0, 5.0, &mut lines, &mut made);
            for (t, style, w, indented) in steps {
                let t = t % texts.len();
                let text: String = texts[t].iter().map(|&p| PIECES[p]).collect();
                let style = [TextStyle::OppTag, TextStyle::PainTag, TextStyle::EmotionValue][style];
                let w = [30.0, 64.5, 100.0, 150.0][w];
                let indent = if indented { 14.0 } else { 0.0 };
                flow.w = w;
                let (x, y) = (flow.x, flow.y);
                let first = flow.lines.len();
                if !flow.again(t as u64, style, indent) {
                    flow.tag().push_str(&text);
                    flow.flush_kept(t as u64, style, indent);
                }
                let (mut fresh_lines, mut fresh_made) = (Vec::new(), String::new());
                let mut fresh = Flow::new(x, w, y, &mut fresh_lines, &mut fresh_made);
                fresh.tag().push_str(&text);
                fresh.flush(style, indent);
                prop_assert_eq!(flow.y.to_bits(), fresh.y.to_bits());
                let key = |l: &TextLine<'_>| (l.x.to_bits(), l.y.to_bits(), l.width.to_bits(), l.style, l.anchor, l.plain);
                let got: Vec<_> = flow.lines[first..].iter().map(key).collect();
                let want: Vec<_> = fresh.lines.iter().map(key).collect();
                let got_text: Vec<String> =
                    flow.lines[first..].iter().map(|l| l.text.get(flow.made).to_string()).collect();
                let want_text: Vec<String> =
                    fresh.lines.iter().map(|l| l.text.get(fresh.made).to_string()).collect();
                prop_assert_eq!(got, want, "{:?}", text);
                prop_assert_eq!(got_text, want_text, "{:?}", text);
            }
        }

        /// Made text laid again as kept (`Repeat`) is laid as a fresh flow
        /// lays it, line for line, as the texts repeat, change style and
        /// width, and come back.
        #[test]
        fn repeated_made_text_is_laid_as_new(
            texts in proptest::collection::vec(proptest::collection::vec(0..PIECES.len(), 1..6), 1..4),
            // Few texts, styles and widths, so that they come back.
            steps in proptest::collection::vec((0usize..4, 0usize..3, 0usize..4, 0usize..3), 1..24),
        ) {
            let (mut lines, mut made) = (Vec::new(), String::new());
            let mut flow = Flow::new(10.0, 100.0, 5.0, &mut lines, &mut made);
            for (t, style, w, how) in steps {
                let text: String = texts[t % texts.len()].iter().map(|&p| PIECES[p]).collect();
                let style = [TextStyle::OppTag, TextStyle::PainTag, TextStyle::MetricNote][style];
                let w = [30.0, 64.5, 100.0, 150.0][w];
                flow.w = w;
                let (x, y) = (flow.x, flow.y);
                let first = flow.lines.len();
                flow.tag().push_str(&text);
                let got_first = match how {
                    0 => flow.flush(style, 0.0),
                    1 => flow.flush(style, 14.0),
                    _ => flow.flush_end(style),
                };
                let (mut fresh_lines, mut fresh_made) = (Vec::new(), String::new());
                let mut fresh = Flow::new(x, w, y, &mut fresh_lines, &mut fresh_made);
                fresh.tag().push_str(&text);
                let want_first = match how {
                    0 => fresh.flush(style, 0.0),
                    1 => fresh.flush(style, 14.0),
                    _ => fresh.flush_end(style),
                };
                prop_assert_eq!(got_first, want_first);
                prop_assert_eq!(flow.y.to_bits(), fresh.y.to_bits());
                let got: Vec<_> = flow.lines[first..]
                    .iter()
                    .map(|l| (l.x.to_bits(), l.y.to_bits(), l.width.to_bits(), l.style, l.anchor, l.plain))
                    .collect();
                let got_text: Vec<String> = flow.lines[first..]
                    .iter()
                    .map(|l| l.text.get(flow.made).to_string())
                    .collect();
                let want: Vec<_> = fresh.lines
                    .iter()
                    .map(|l| (l.x.to_bits(), l.y.to_bits(), l.width.to_bits(), l.style, l.anchor, l.plain))
                    .collect();
                let want_text: Vec<String> =
                    fresh.lines.iter().map(|l| l.text.get(fresh.made).to_string()).collect();
                prop_assert_eq!(got, want, "{:?}", text);
                prop_assert_eq!(got_text, want_text, "{:?}", text);
            }
        }
    }
}
