//! Writing SVG by hand: escaping, fast numbers, and the pieces both
//! diagrams share (root element, text lines, shapes).
//!
//! The SVG is written as bytes, a piece at a time, and each piece is
//! checked to be UTF-8 as it is moved onto the `String` (see
//! [`push_checked`]): a number is then eight bytes stored at once and cut
//! to length, where pushing its digits onto a `String` costs a call to
//! `memcpy` and UTF-8 boundary checks per piece, and the check runs over
//! a kilobyte or two just written, still in the nearest cache, rather
//! than over the whole SVG at the end.

use super::layout::{Anchor, Shape, TextLine};
use super::style::{self, ShapeStyle, TextStyle};
use crate::config::Language;
use crate::text::wrap::escaped_in_xml;
use std::cell::Cell;

/// An SVG being written.
pub(crate) struct Svg<'s> {
    /// The SVG written so far.
    out: String,
    pub scope: &'s str,
    /// What it uses while it is written, behind one pointer: moved in
    /// from the thread's spare and back as one word, where the tables
    /// held in place (some 400 bytes) took a call to `memcpy` each way.
    s: Box<Scratch>,
}

/// What an [`Svg`] uses while it is written, but for the SVG itself:
/// kept for the next SVG written on the thread ([`SPARE`]), as making it
/// anew (six allocations of some kilobytes, freed after) took more than
/// clearing it. Only allocations are kept: the tables are emptied, so
/// that an SVG is written as fast whether others came before it or not.
struct Scratch {
    /// Bytes written since the last move onto `out` (see [`Svg::spill`]).
    buf: Vec<u8>,
    /// ` class="{scope}-`, written before every class.
    class_prefix: Vec<u8>,
    /// Outlines written by [`Svg::shapes`] lately.
    outlines: Outlines,
    /// Numbers written lately, by the bits of the `f64`.
    by_value: Box<Memo>,
    /// Moves between the shapes of a path written lately.
    moves: Box<Moves>,
}

thread_local! {
    /// The [`Scratch`] of the last SVG written on this thread.
    static SPARE: Cell<Option<Box<Scratch>>> = const { Cell::new(None) };
}

impl Scratch {
    /// The thread's spare, emptied, or a new one.
    fn take() -> Box<Scratch> {
        match SPARE.take() {
            Some(mut s) => {
                s.buf.clear();
                s.class_prefix.clear();
                s.outlines.clear();
                s.by_value.clear();
                s.moves.clear();
                s
            }
            None => Box::new(Scratch {
                buf: Vec::with_capacity(PENDING),
                class_prefix: Vec::with_capacity(32),
                outlines: Outlines::new(),
                by_value: Memo::new(),
                moves: Moves::new(),
            }),
        }
    }
}

impl<'s> Svg<'s> {
    /// An SVG of about `capacity` bytes.
    pub fn new(capacity: usize, scope: &'s str) -> Self {
        let mut s = Scratch::take();
        s.class_prefix.extend_from_slice(b" class=\"");
        s.class_prefix.extend_from_slice(scope.as_bytes());
        s.class_prefix.push(b'-');
        Svg {
            out: String::with_capacity(capacity),
            scope,
            s,
        }
    }

    /// About how many bytes an SVG with this text and these shapes takes,
    /// a little more rather than less (growing the buffer copies it).
    pub fn size_hint(title: &str, desc: &str, lines: &[TextLine<'_>], shapes: usize) -> usize {
        let text: usize = lines.iter().map(|l| l.text.len()).sum();
        // The style sheet, text with its markup and some escaping, shapes
        // (a rounded rectangle is about 70 bytes, a bullet 30).
        5000 + 2 * (title.len() + desc.len()) + text + text / 8 + lines.len() * 36 + shapes * 56
    }

    /// The SVG written.
    pub fn finish(mut self) -> String {
        self.spill();
        let Svg { out, s, .. } = self;
        SPARE.set(Some(s));
        out
    }

    /// Moves the bytes written piece by piece onto the SVG.
    #[inline(always)]
    fn spill(&mut self) {
        push_checked(&mut self.out, &self.s.buf);
        self.s.buf.clear();
    }

    /// Markup: ASCII only.
    #[inline(always)]
    pub fn raw(&mut self, s: &str) {
        debug_assert!(s.is_ascii());
        self.s.buf.extend_from_slice(s.as_bytes());
    }

    /// Markup with author's text already escaped (by [`escape_into`]):
    /// checked to be UTF-8 with the rest when moved onto the SVG.
    #[inline(always)]
    pub fn escaped(&mut self, b: &[u8]) {
        self.s.buf.extend_from_slice(b);
    }

    /// Author's text, escaped for both text and attribute values.
    pub fn text(&mut self, s: &str) {
        escape_into(&mut self.s.buf, s);
    }

    /// `v` as [`push_num`] writes it.
    #[inline(always)]
    pub fn num(&mut self, v: f64) {
        self.s.by_value.num(&mut self.s.buf, v);
    }

    /// `v` as [`Svg::num`] writes it, for a number that is unlikely to
    /// come again (a point of the curve): not looked up nor remembered.
    #[inline(always)]
    pub fn fresh(&mut self, v: f64) {
        push_hundredths(&mut self.s.buf, hundredths(v));
    }

    /// ` class="{scope}-{class}"`
    #[inline(always)]
    pub fn class(&mut self, class: &str) {
        self.s.buf.extend_from_slice(&self.s.class_prefix);
        self.s.buf.extend_from_slice(class.as_bytes());
        self.s.buf.push(b'"');
    }

    /// ` name="v"` for a number.
    #[inline(always)]
    pub fn attr(&mut self, name: &str, v: f64) {
        self.s.buf.push(b' ');
        self.s.buf.extend_from_slice(name.as_bytes());
        self.s.buf.extend_from_slice(b"=\"");
        self.num(v);
        self.s.buf.push(b'"');
    }

    /// `<svg …>` with `<title>`, `<desc>` and `<style>`, and the
    /// background.
    pub fn open(&mut self, w: f64, h: f64, lang: Language, title: &str, desc: &str) {
        self.open_as(w, h, lang, title, desc, false);
    }

    /// [`Svg::open`], the `<desc>` copied as it is when `desc_plain`: its
    /// maker knows that XML escaping would change nothing in it (a
    /// kilobyte or two to escape otherwise).
    pub fn open_as(
        &mut self,
        w: f64,
        h: f64,
        lang: Language,
        title: &str,
        desc: &str,
        desc_plain: bool,
    ) {
        debug_assert!(
            !desc_plain || {
                let mut escaped = Vec::new();
                escape_into(&mut escaped, desc);
                escaped == desc.as_bytes()
            }
        );
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
        if desc_plain {
            self.escaped(desc.as_bytes());
        } else {
            self.text(desc);
        }
        self.raw("</desc><style>");
        style::write_css(&mut self.s.buf, scope, lang);
        self.raw("</style>\n");
        self.background(&background_of(w, h));
    }

    /// What [`Svg::shapes`] writes for `bg` alone, written directly: a
    /// call to `shapes` for one shape cost several times the shape
    /// (ordering the shapes, a chunk on the stack). Its outline is made
    /// as for any shape (written number by number, it cost twice as
    /// much).
    fn background(&mut self, bg: &Shape) {
        let ((ax, ay), size) = anchor(bg, &mut { NO_Y });
        let slot = self.s.outlines.find(size[0], size[1], size[2], size[3]);
        if slot.from == slot.to {
            return;
        }
        self.raw("<path");
        self.class(bg.style().class());
        self.raw(" d=\"M");
        push_hundredths(&mut self.s.buf, ax + slot.start.0);
        self.s.buf.push(b',');
        push_hundredths(&mut self.s.buf, ay + slot.start.1);
        let text = &self.s.outlines.text[slot.from as usize..slot.to as usize];
        self.s.buf.extend_from_slice(text);
        self.raw("\"/>\n");
    }

    pub fn close(&mut self) {
        self.raw("</svg>\n");
    }

    /// Writes every line (the text a layout made being in `made`),
    /// grouped by style and anchor so that each group carries its class
    /// once (text never overlaps, so order is free).
    pub fn lines(&mut self, lines: &[TextLine<'_>], made: &str) {
        const KEYS: usize = TextStyle::ALL.len() * 3;
        const NONE: u32 = u32::MAX;
        let key = |l: &TextLine<'_>| l.style as usize * 3 + l.anchor as usize;
        // Each line is linked to the next of its key, so that the groups
        // are written in the order of their keys and of the lines within
        // a key without sorting the lines: a store or two per line. The
        // links are kept where `shapes` keeps its drawing order, which
        // is not needed meanwhile (one allocation fewer).
        let mut next = std::mem::take(&mut self.s.outlines.order);
        next.clear();
        next.resize(lines.len(), NONE);
        let (mut first, mut last) = ([NONE; KEYS], [NONE; KEYS]);
        for (i, l) in lines.iter().enumerate() {
            let k = key(l);
            match next.get_mut(last[k] as usize) {
                Some(n) => *n = i as u32,
                None => first[k] = i as u32,
            }
            last[k] = i as u32;
        }
        self.spill();
        let memo = &mut *self.s.by_value;
        let class_prefix = &self.s.class_prefix[..];
        let (out, slow) = (&mut self.out, &mut self.s.buf);
        // The bytes gathered on the stack (see [`CHUNK`]), and how many.
        let mut buf = [0u8; CHUNK];
        let mut pos = 0;
        let group = Head::new(b"<g", class_prefix);
        for &head in &first {
            let Some(l0) = lines.get(head as usize) else {
                continue;
            };
            let class = l0.style.class().as_bytes();
            if pos + 96 + class_prefix.len() + class.len() > CHUNK {
                push_checked(out, &buf[..pos]);
                pos = 0;
            }
            // `<g class="{scope}-{class}` and what follows the class, as
            // pieces of fixed length (a call to `memcpy` each otherwise).
            match (group.len, l0.style.class_bytes()) {
                (1..=32, (c, n)) => {
                    buf[pos..pos + 32].copy_from_slice(&group.text);
                    pos += group.len;
                    buf[pos..pos + 4].copy_from_slice(&c);
                    pos += n;
                }
                _ => {
                    put(&mut buf, &mut pos, b"<g");
                    put(&mut buf, &mut pos, class_prefix);
                    put(&mut buf, &mut pos, class);
                }
            }
            let (tail, n) = &GROUP_TAILS[l0.anchor as usize];
            buf[pos..pos + 32].copy_from_slice(tail);
            pos += n;
            let mut i = head;
            while let Some(l) = lines.get(i as usize) {
                i = next[i as usize];
                let text = l.text.get(made);
                if text.is_empty() {
                    continue;
                }
                if l.plain && text.len() <= SHORT_LINE {
                    if pos + LINE_ROOM > CHUNK {
                        push_checked(out, &buf[..pos]);
                        pos = 0;
                    }
                    // Checked while it was measured: nothing to escape.
                    debug_assert!({
                        let mut escaped = Vec::new();
                        escape_into(&mut escaped, text);
                        escaped == text.as_bytes()
                    });
                    pos += line_in(window(&mut buf, pos), memo, l.anchor_x(), l.y, text);
                    continue;
                }
                if !l.plain || text.len() > CHUNK / 4 {
                    // Escaped text takes at most six times as much
                    // (`&quot;` for `"`).
                    if l.plain || 6 * text.len() > CHUNK / 4 {
                        line_slowly(slow, memo, l.anchor_x(), l.y, text, l.plain);
                        put_slow(out, &mut buf, &mut pos, slow);
                    } else {
                        if pos + LINE_MARKUP + 6 * text.len() > CHUNK {
                            push_checked(out, &buf[..pos]);
                            pos = 0;
                        }
                        pos = line_escaped(&mut buf, pos, memo, l.anchor_x(), l.y, text);
                    }
                    continue;
                }
                if pos + LINE_MARKUP + text.len() > CHUNK {
                    push_checked(out, &buf[..pos]);
                    pos = 0;
                }
                put(&mut buf, &mut pos, b"<text x=\"");
                put_num(&mut buf, &mut pos, memo, l.anchor_x());
                put(&mut buf, &mut pos, b"\" y=\"");
                put_num(&mut buf, &mut pos, memo, l.y);
                put(&mut buf, &mut pos, b"\">");
                // Checked while it was measured: nothing to escape.
                debug_assert!({
                    let mut escaped = Vec::new();
                    escape_into(&mut escaped, text);
                    escaped == text.as_bytes()
                });
                put_text(&mut buf, &mut pos, text.as_bytes());
                put(&mut buf, &mut pos, b"</text>\n");
            }
            if pos + 5 > CHUNK {
                push_checked(out, &buf[..pos]);
                pos = 0;
            }
            put(&mut buf, &mut pos, b"</g>\n");
        }
        push_checked(out, &buf[..pos]);
        self.s.outlines.order = next;
    }

    /// Draws `shapes` layer by layer ([`ShapeStyle::layer`]), in order
    /// within a layer, each run of one style as a single `<path>`: every
    /// shape is a start point and an outline relative to it, and shapes
    /// of one size (every gauge, bullet or grid line of a swimlane) share
    /// one outline, formatted once. Layers follow the order in which the
    /// layouts draw shapes that overlap, so the picture is the same as
    /// drawing them one by one in order.
    pub fn shapes(&mut self, shapes: &[Shape]) {
        let mut order = std::mem::take(&mut self.s.outlines.order);
        let starts = layer_order(shapes, &mut order);
        // Shapes are gathered on the stack (see [`CHUNK`]), their
        // length kept in a register.
        self.spill();
        let (out, slow) = (&mut self.out, &mut self.s.buf);
        let mut buf = [0u8; CHUNK];
        let mut pos = 0;
        let outlines = &mut self.s.outlines;
        // The outline of the shape before, and its text unless it is
        // long (few are), copied as a piece of fixed length and cut.
        let mut slot = Outlines::NONE;
        let mut text = [0u8; LONG];
        // After the first shape of a path, each shape starts with a move
        // relative to the end of the one before, whose steps (a column's
        // width, a row's height) repeat, most often those of the move
        // before: its text is kept at hand (`step_len` 0 when it is
        // long), others are looked up in `moves`.
        let head = Head::new(b"<path", &self.s.class_prefix);
        let moves = &mut *self.s.moves;
        let mut step = (i64::MIN, i64::MIN);
        // The y converted last (see `anchor`).
        let mut last_y = NO_Y;
        let (mut step_text, mut step_len) = ([0u8; 16], 0usize);
        let mut rest = &order[..];
        while let Some(&first) = rest.first() {
            // A run of one style: the rest of its layer but for the
            // styles that share one.
            let style = shapes[first as usize].style();
            let layer_end = starts[style.layer() + 1] as usize - (order.len() - rest.len());
            let len = match style.shares_layer() {
                true => rest
                    .iter()
                    .position(|&k| shapes[k as usize].style() != style)
                    .unwrap_or(rest.len()),
                false => layer_end,
            };
            let (run, next) = rest.split_at(len.min(rest.len()));
            rest = next;
            // Whether the path is open, and where its pen is.
            let mut open = false;
            let (mut px, mut py) = (0i64, 0i64);
            for &k in run {
                if pos + SHAPE_ROOM > CHUNK {
                    push_checked(out, &buf[..pos]);
                    pos = 0;
                }
                let shape = &shapes[k as usize];
                let ((ax, ay), size) = anchor(shape, &mut last_y);
                if !same_size(&slot.size, &size) {
                    slot = outlines.find(size[0], size[1], size[2], size[3]);
                    if let Some(t) = outlines.text.get(slot.from as usize..)
                        && let Some(t) = t.first_chunk::<LONG>()
                    {
                        text = *t;
                    }
                }
                if slot.from == slot.to {
                    continue;
                }
                let (x, y) = (ax.wrapping_add(slot.start.0), ay.wrapping_add(slot.start.1));
                if open {
                    let d = (x - px, y - py);
                    if d != step {
                        step = d;
                        (step_text, step_len) = moves.find(d.0, d.1);
                    }
                    if step_len != 0 {
                        buf[pos..pos + 16].copy_from_slice(&step_text);
                        pos += step_len;
                    } else {
                        push_move(slow, d.0, d.1);
                        put_slow(out, &mut buf, &mut pos, slow);
                    }
                } else {
                    // `<path class="{scope}-{class}" d="M{x},{y}`, as
                    // pieces of fixed length unless a number or the
                    // scope is long.
                    if let (1..=32, Some((xd, xn)), Some((yd, yn))) =
                        (head.len, short8(x), short8(y))
                    {
                        let (c, cn) = style.class_then_d();
                        buf[pos..pos + 32].copy_from_slice(&head.text);
                        pos += head.len;
                        buf[pos..pos + 8].copy_from_slice(&c);
                        pos += cn;
                        buf[pos..pos + 8].copy_from_slice(&xd);
                        buf[pos + xn] = b',';
                        pos += xn + 1;
                        buf[pos..pos + 8].copy_from_slice(&yd);
                        pos += yn;
                    } else {
                        open_path(slow, head.class_prefix, style, x, y);
                        put_slow(out, &mut buf, &mut pos, slow);
                    }
                    open = true;
                }
                let len = (slot.to - slot.from) as usize;
                if len <= SHORT {
                    buf[pos..pos + SHORT].copy_from_slice(&text[..SHORT]);
                    pos += len;
                } else if len <= LONG {
                    buf[pos..pos + LONG].copy_from_slice(&text);
                    pos += len;
                } else {
                    push_checked(out, &buf[..pos]);
                    pos = 0;
                    push_checked(out, &outlines.text[slot.from as usize..slot.to as usize]);
                }
                (px, py) = (x + slot.end.0, y + slot.end.1);
            }
            if open {
                if pos + 4 > CHUNK {
                    push_checked(out, &buf[..pos]);
                    pos = 0;
                }
                buf[pos..pos + 4].copy_from_slice(b"\"/>\n");
                pos += 4;
            }
        }
        push_checked(out, &buf[..pos]);
        self.s.outlines.order = order;
    }

    /// A run of markup gathered on the stack, as [`Svg::lines`] and
    /// [`Svg::shapes`] gather theirs, for a caller that writes many
    /// pieces of its own (the emotion curve's paths and points): written
    /// onto the `Vec` piece by piece, each piece loads and stores its
    /// length and checks its room, and one of unknown length calls
    /// `memcpy`.
    pub fn run(&mut self) -> Run<'_, 's> {
        self.spill();
        Run {
            svg: self,
            buf: [0u8; CHUNK],
            pos: 0,
        }
    }
}

/// Markup being gathered on the stack (see [`Svg::run`]), moved onto the
/// SVG by [`Run::finish`].
#[must_use]
pub(crate) struct Run<'a, 's> {
    svg: &'a mut Svg<'s>,
    buf: [u8; CHUNK],
    pos: usize,
}

impl Run<'_, '_> {
    /// Moves what was gathered onto the SVG.
    pub fn finish(self) {
        push_checked(&mut self.svg.out, &self.buf[..self.pos]);
    }

    /// Moves what was gathered onto the SVG unless there is room for
    /// `n` bytes more.
    #[inline(always)]
    fn room(&mut self, n: usize) {
        if self.pos + n > CHUNK {
            push_checked(&mut self.svg.out, &self.buf[..self.pos]);
            self.pos = 0;
        }
    }

    /// A curve as a path of class `class`: from `start`, cubic Béziers
    /// `[c1x, c1y, c2x, c2y, x, y]`, each written into one window of the
    /// chunk (one bounds check for its six numbers and their separators).
    /// The control points' x are written as [`Svg::fresh`] writes them
    /// when `FRESH_X`, the other numbers as [`Svg::num`] does.
    pub fn curve<const FRESH_X: bool>(
        &mut self,
        class: &str,
        start: (f64, f64),
        segments: &[[f64; 6]],
    ) {
        let Run { svg, buf, pos } = self;
        let memo = &mut *svg.s.by_value;
        let (out, slow) = (&mut svg.out, &mut svg.s.buf);
        // The opening, once per curve: piece by piece.
        slow.extend_from_slice(b"<path");
        slow.extend_from_slice(&svg.s.class_prefix);
        slow.extend_from_slice(class.as_bytes());
        slow.extend_from_slice(b"\" d=\"M");
        memo.num(slow, start.0);
        slow.push(b',');
        memo.num(slow, start.1);
        put_slow(out, buf, pos, slow);
        let x_in = |w: &mut [u8; SEGMENT_ROOM], at: usize, memo: &mut Memo, v: f64| match FRESH_X {
            true => fresh_in(w, at, v),
            false => num_in(w, at, memo, v),
        };
        for &[c1x, c1y, c2x, c2y, x, y] in segments {
            if *pos + SEGMENT_ROOM > CHUNK {
                push_checked(out, &buf[..*pos]);
                *pos = 0;
            }
            let w = window::<SEGMENT_ROOM>(buf, *pos);
            w[0] = b'C';
            let at = x_in(w, 1, memo, c1x);
            w[at] = b',';
            let at = num_in(w, at + 1, memo, c1y);
            w[at] = b' ';
            let at = x_in(w, at + 1, memo, c2x);
            w[at] = b',';
            let at = num_in(w, at + 1, memo, c2y);
            w[at] = b' ';
            let at = num_in(w, at + 1, memo, x);
            w[at] = b',';
            *pos += num_in(w, at + 1, memo, y);
        }
        if *pos + 4 > CHUNK {
            push_checked(out, &buf[..*pos]);
            *pos = 0;
        }
        buf[*pos..*pos + 4].copy_from_slice(b"\"/>\n");
        *pos += 4;
    }

    /// Markup of the pieces `head`, `mid` and `tail` of `text` around a
    /// number and a name: `{head}{x}{mid}{name}{tail}`, the number as
    /// [`Svg::fresh`] writes it when `fresh`, else as [`Svg::num`] does,
    /// the name copied as it is when `plain` (nothing to escape), else
    /// escaped. The emotion curve's points, each written into one window
    /// of the chunk when its pieces and name are short (at most
    /// [`PIECE`] bytes) and `text` holds [`PIECE`] bytes from the start
    /// of each piece on, so that each piece is copied as one of fixed
    /// length.
    #[allow(clippy::too_many_arguments)]
    pub fn point(
        &mut self,
        text: &[u8],
        [head, mid, tail]: [std::ops::Range<usize>; 3],
        x: f64,
        fresh: bool,
        name: &str,
        plain: bool,
    ) {
        let (h, m, t) = (head.start, mid.start, tail.start);
        let lens = (head.len(), mid.len(), tail.len(), name.len());
        if let (Some(hp), Some(mp), Some(tp)) = (
            text.get(h..h + PIECE),
            text.get(m..m + PIECE),
            text.get(t..t + PIECE),
        ) && plain
            && lens.0 <= PIECE
            && lens.1 <= PIECE
            && lens.2 <= PIECE
            && lens.3 <= PIECE
        {
            self.room(POINT_ROOM);
            let Run { svg, buf, pos } = self;
            debug_assert!({
                let mut escaped = Vec::new();
                escape_into(&mut escaped, name);
                escaped == name.as_bytes()
            });
            let w = window::<POINT_ROOM>(buf, *pos);
            w[..PIECE].copy_from_slice(hp);
            let at = lens.0;
            let at = match fresh {
                true => fresh_in(w, at, x),
                false => num_in(w, at, &mut svg.s.by_value, x),
            };
            w[at..at + PIECE].copy_from_slice(mp);
            let at = short_in(w, at + lens.1, name.as_bytes());
            w[at..at + PIECE].copy_from_slice(tp);
            *pos += at + lens.2;
            return;
        }
        self.point_slowly(text, [head, mid, tail], x, fresh, name, plain);
    }

    /// [`Run::point`] piece by piece, for long pieces or a name to
    /// escape.
    #[cold]
    #[allow(clippy::too_many_arguments)]
    fn point_slowly(
        &mut self,
        text: &[u8],
        [head, mid, tail]: [std::ops::Range<usize>; 3],
        x: f64,
        fresh: bool,
        name: &str,
        plain: bool,
    ) {
        let Run { svg, buf, pos } = self;
        let (out, slow) = (&mut svg.out, &mut svg.s.buf);
        slow.extend_from_slice(&text[head]);
        match fresh {
            true => push_hundredths(slow, hundredths(x)),
            false => svg.s.by_value.num(slow, x),
        }
        slow.extend_from_slice(&text[mid]);
        match plain {
            true => slow.extend_from_slice(name.as_bytes()),
            false => escape_into(slow, name),
        }
        slow.extend_from_slice(&text[tail]);
        put_slow(out, buf, pos, slow);
    }
}

/// The longest piece [`Run::point`] copies as one of fixed length.
pub(crate) const PIECE: usize = 64;

/// What [`Run::point`] may take: its head, the number (pieces of 24
/// bytes at most 31 bytes on), the piece after it, the name and the
/// tail.
const POINT_ROOM: usize = PIECE + 32 + PIECE + PIECE + PIECE;

/// What a segment of [`Run::curve`] may take: `C` and six numbers, each
/// a piece of 24 bytes at most 31 bytes on, and the separators.
const SEGMENT_ROOM: usize = 1 + 6 * 32;

/// `v` as [`Svg::fresh`] writes it, into `w` from `at` on, and where it
/// ends: at most 31 bytes on, as [`num_in`].
#[inline(always)]
fn fresh_in<const N: usize>(w: &mut [u8; N], at: usize, v: f64) -> usize {
    let n = hundredths(v);
    if let Some((b, len)) = short8(n) {
        w[at..at + 8].copy_from_slice(&b);
        at + (len & 15)
    } else {
        let (b, len) = digits24(n);
        w[at..at + 24].copy_from_slice(&b);
        at + (len & 31)
    }
}

/// `t` (at most 64 bytes) into `w` from `at` on, and where it ends: as
/// two pieces of fixed length that overlap, as in `put_text`, each read
/// whole before either is stored (written as copies of slices, the
/// compiler merged the second copies of every length into one call to
/// `memcpy` of the length that differs).
#[inline(always)]
fn short_in<const N: usize>(w: &mut [u8; N], at: usize, t: &[u8]) -> usize {
    let n = t.len();
    debug_assert!(n <= 64);
    if let (Some(a), Some(b)) = (t.first_chunk::<32>(), t.last_chunk::<32>()) {
        let (a, b) = (*a, *b);
        w[at..at + 32].copy_from_slice(&a);
        w[at + n - 32..at + n].copy_from_slice(&b);
    } else if let (Some(a), Some(b)) = (t.first_chunk::<16>(), t.last_chunk::<16>()) {
        let (a, b) = (u128::from_le_bytes(*a), u128::from_le_bytes(*b));
        w[at..at + 16].copy_from_slice(&a.to_le_bytes());
        w[at + n - 16..at + n].copy_from_slice(&b.to_le_bytes());
    } else if let (Some(a), Some(b)) = (t.first_chunk::<8>(), t.last_chunk::<8>()) {
        let (a, b) = (u64::from_le_bytes(*a), u64::from_le_bytes(*b));
        w[at..at + 8].copy_from_slice(&a.to_le_bytes());
        w[at + n - 8..at + n].copy_from_slice(&b.to_le_bytes());
    } else if let (Some(a), Some(b)) = (t.first_chunk::<4>(), t.last_chunk::<4>()) {
        let (a, b) = (u32::from_le_bytes(*a), u32::from_le_bytes(*b));
        w[at..at + 4].copy_from_slice(&a.to_le_bytes());
        w[at + n - 4..at + n].copy_from_slice(&b.to_le_bytes());
    } else {
        for (d, &b) in w[at..at + n.min(4)].iter_mut().zip(t) {
            *d = b;
        }
    }
    at + n.min(64)
}

/// The rounded rectangle behind an SVG `w` by `h`, inside its edges.
fn background_of(w: f64, h: f64) -> Shape {
    Shape::Rect {
        x: 0.5,
        y: 0.5,
        w: w - 1.0,
        h: h - 1.0,
        rx: 10.0,
        style: ShapeStyle::Background,
    }
}

/// Puts the indices of `shapes` in `order` layer by layer
/// ([`ShapeStyle::layer`]), in order within a layer (a counting sort),
/// and returns where each layer starts, and the end.
fn layer_order(shapes: &[Shape], order: &mut Vec<u32>) -> [u32; ShapeStyle::LAYERS + 1] {
    const N: usize = ShapeStyle::LAYERS;
    let mut starts = [0u32; N + 1];
    for s in shapes {
        starts[s.style().layer() + 1] += 1;
    }
    for k in 0..N {
        starts[k + 1] += starts[k];
    }
    order.clear();
    order.resize(shapes.len(), 0);
    let mut next = starts;
    for (i, s) in shapes.iter().enumerate() {
        let k = s.style().layer();
        order[next[k] as usize] = i as u32;
        next[k] += 1;
    }
    starts
}

/// A text line that needs escaping, written into `buf` from `pos` on
/// (which has room for [`LINE_MARKUP`] and six times the text), and
/// where it ends: as a line that does not, rather than piece by piece
/// onto a `Vec` and then copied (a Chinese map's lines often need it:
/// see [`escape_into`] on fullwidth punctuation).
#[cold]
#[inline(never)]
fn line_escaped(
    buf: &mut [u8; CHUNK],
    pos: usize,
    memo: &mut Memo,
    x: f64,
    y: f64,
    text: &str,
) -> usize {
    let mut pos = pos;
    put(buf, &mut pos, b"<text x=\"");
    put_num(buf, &mut pos, memo, x);
    put(buf, &mut pos, b"\" y=\"");
    put_num(buf, &mut pos, memo, y);
    put(buf, &mut pos, b"\">");
    pos = escape_at(buf, pos, text);
    put(buf, &mut pos, b"</text>\n");
    pos
}

/// A text line written piece by piece onto `out`, for lines that are
/// long.
#[cold]
fn line_slowly(out: &mut Vec<u8>, memo: &mut Memo, x: f64, y: f64, text: &str, plain: bool) {
    out.extend_from_slice(b"<text x=\"");
    memo.num(out, x);
    out.extend_from_slice(b"\" y=\"");
    memo.num(out, y);
    out.extend_from_slice(b"\">");
    if plain {
        out.extend_from_slice(text.as_bytes());
    } else {
        escape_into(out, text);
    }
    out.extend_from_slice(b"</text>\n");
}

/// Moves `b` onto `out`, checked to be UTF-8 (as it always is: only
/// `&str` and ASCII are written). The check is `simdutf8`'s, which takes
/// 64 bytes at a step (with AVX2) where `std`'s takes 16, and runs on
/// pieces of a kilobyte or two just written; on the error that cannot
/// happen, the text is kept as well as it can be rather than panicking.
#[inline(always)]
fn push_checked(out: &mut String, b: &[u8]) {
    match simdutf8::basic::from_utf8(b) {
        Ok(s) => out.push_str(s),
        Err(_) => push_lossy(out, b),
    }
}

#[cold]
fn push_lossy(out: &mut String, b: &[u8]) {
    out.push_str(&String::from_utf8_lossy(b));
}

/// Room made at first for the bytes written piece by piece between two
/// moves onto the SVG (see [`Svg::spill`]): the root element and its
/// style sheet, or the emotion curve's paths and points.
const PENDING: usize = 8192;

/// Text lines and shapes are gathered in a buffer of this size on the
/// stack and moved onto the SVG two kilobytes at a time: a piece written
/// there is a bounds check and a store, where pushing it onto the `Vec`
/// also loads and stores the vector's length and checks its room. Each
/// move costs a call to check it and one to copy it, about a hundred
/// instructions more than the bytes take: half as many moves as with one
/// kilobyte saved half a percent of a render. Four kilobytes did worse
/// (the buffer is zeroed at each use).
const CHUNK: usize = 2048;

/// The most a text line's markup and numbers take: `<text x="` and
/// `" y="`, two numbers of at most 24 bytes, `">` and `</text>` with its
/// newline.
const LINE_MARKUP: usize = 9 + 24 + 5 + 24 + 2 + 8;

/// What a slow path wrote onto `slow`, put after the chunk: into it when
/// there is room for it and [`LONG`] bytes more (a shape's outline, which
/// follows its opening or move), as most such pieces are a line or two of
/// text and moving each onto the SVG would check each on its own;
/// otherwise moved onto `out` after the chunk. Leaves `slow` empty.
#[cold]
fn put_slow(out: &mut String, buf: &mut [u8; CHUNK], pos: &mut usize, slow: &mut Vec<u8>) {
    if *pos + slow.len() + LONG <= CHUNK {
        buf[*pos..*pos + slow.len()].copy_from_slice(slow);
        *pos += slow.len();
    } else {
        push_checked(out, &buf[..*pos]);
        *pos = 0;
        push_checked(out, slow);
    }
    slow.clear();
}

#[inline(always)]
fn put(buf: &mut [u8; CHUNK], pos: &mut usize, b: &[u8]) {
    buf[*pos..*pos + b.len()].copy_from_slice(b);
    *pos += b.len();
}

/// The longest text [`line_in`] writes: most lines of both diagrams
/// are shorter (a column is some thirty characters wide).
const SHORT_LINE: usize = 64;

/// What [`line_in`] may take: `<text x="` and `" y="`, two numbers of at
/// most 32 bytes (pieces of 24), `">`, the text and `</text>` with its
/// newline.
const LINE_ROOM: usize = 9 + 32 + 5 + 32 + 2 + SHORT_LINE + 8;

/// `N` bytes of `buf` from `at` on: pieces written into it at offsets
/// the compiler can bound take no bounds check each.
#[inline(always)]
fn window<const N: usize>(buf: &mut [u8; CHUNK], at: usize) -> &mut [u8; N] {
    (&mut buf[at..at + N])
        .try_into()
        .expect("a slice of the window's length")
}

/// A text line of plain text of at most [`SHORT_LINE`] bytes, written
/// from the first byte of `w`, and how many bytes it takes: each piece
/// stored at an offset known to be in `w`, so that one bounds check
/// (the window's) serves the whole line.
#[inline(always)]
fn line_in(w: &mut [u8; LINE_ROOM], memo: &mut Memo, x: f64, y: f64, text: &str) -> usize {
    w[..9].copy_from_slice(b"<text x=\"");
    let at = num_in(w, 9, memo, x);
    w[at..at + 5].copy_from_slice(b"\" y=\"");
    let at = num_in(w, at + 5, memo, y);
    w[at..at + 2].copy_from_slice(b"\">");
    let at = at + 2;
    debug_assert!(text.len() <= SHORT_LINE);
    // As two pieces of fixed length that overlap (see `short_in`).
    let at = short_in(w, at, text.as_bytes());
    w[at..at + 8].copy_from_slice(b"</text>\n");
    at + 8
}

/// `v` as [`Memo::num`] writes it, into `w` from `at` on, and where it
/// ends: at most 31 bytes on (a number takes at most 21), so that the
/// pieces after it are known to be in `w`.
#[inline(always)]
fn num_in<const N: usize>(w: &mut [u8; N], at: usize, memo: &mut Memo, v: f64) -> usize {
    if let Some((b, len)) = memo.digits(v) {
        w[at..at + 8].copy_from_slice(&b);
        at + (len & 15)
    } else {
        let (b, len) = digits24(hundredths(v));
        w[at..at + 24].copy_from_slice(&b);
        at + (len & 31)
    }
}

/// A line's text, at most `CHUNK / 4` bytes: up to 64 as [`short_in`]
/// copies it (a line is a few dozen bytes, and calling `memcpy` for it
/// costs more than the copy), longer ones at once.
#[inline(always)]
fn put_text(buf: &mut [u8; CHUNK], pos: &mut usize, t: &[u8]) {
    if t.len() <= 64 {
        *pos = short_in(buf, *pos, t);
    } else {
        buf[*pos..*pos + t.len()].copy_from_slice(t);
        *pos += t.len();
    }
}

/// `v` as [`Memo::num`] writes it.
#[inline(always)]
fn put_num(buf: &mut [u8; CHUNK], pos: &mut usize, memo: &mut Memo, v: f64) {
    if let Some((b, len)) = memo.digits(v) {
        buf[*pos..*pos + 8].copy_from_slice(&b);
        *pos += len;
    } else {
        let (b, len) = digits24(hundredths(v));
        buf[*pos..*pos + 24].copy_from_slice(&b);
        *pos += len;
    }
}

/// `<path class="{scope}-` or `<g class="{scope}-` (see
/// `Svg::class_prefix`), as one piece of fixed length with what follows
/// it when it is short (a scope of the usual length: see
/// [`super::scope`]).
struct Head<'p> {
    class_prefix: &'p [u8],
    text: [u8; 32],
    /// 0 when it is long.
    len: usize,
}

impl<'p> Head<'p> {
    fn new(element: &[u8], class_prefix: &'p [u8]) -> Self {
        let mut text = [0u8; 32];
        let len = element.len() + class_prefix.len();
        if let Some(t) = text.get_mut(..len) {
            let (e, c) = t.split_at_mut(element.len());
            e.copy_from_slice(element);
            c.copy_from_slice(class_prefix);
        }
        Head {
            class_prefix,
            text,
            len: if len <= text.len() { len } else { 0 },
        }
    }
}

/// What follows a group's class, by [`Anchor`], in 32 bytes, and how
/// many of them it takes.
const GROUP_TAILS: [([u8; 32], usize); 3] = {
    const fn tail(s: &[u8]) -> ([u8; 32], usize) {
        let mut b = [0u8; 32];
        let mut i = 0;
        while i < s.len() {
            b[i] = s[i];
            i += 1;
        }
        (b, s.len())
    }
    let t = [
        tail(b"\">\n"),
        tail(b"\" text-anchor=\"middle\">\n"),
        tail(b"\" text-anchor=\"end\">\n"),
    ];
    assert!(Anchor::Start as usize == 0 && Anchor::Middle as usize == 1);
    assert!(Anchor::End as usize == 2);
    t
};

/// `<path class=… d="M{x},{y}`, piece by piece: the first shape of a run
/// whose numbers or scope are long.
#[cold]
fn open_path(out: &mut Vec<u8>, class_prefix: &[u8], style: ShapeStyle, x: i64, y: i64) {
    out.extend_from_slice(b"<path");
    out.extend_from_slice(class_prefix);
    out.extend_from_slice(style.class().as_bytes());
    out.extend_from_slice(b"\" d=\"M");
    push_hundredths(out, x);
    out.push(b',');
    push_hundredths(out, y);
}

/// How many moves [`Moves`] keeps: a swimlane makes some forty
/// different ones, which in 64 slots took each other's place (a
/// collision costs formatting the move again, some hundred
/// instructions), nine times a render; 256 slots, two kilobytes of keys
/// cleared per SVG, took 0.9 k instructions off a render, 128 half that.
const MOVES: usize = 256;

/// Moves `m{dx},{dy}` between the shapes of a path written lately, by
/// their steps: a swimlane's steps (a column's width, a row's height)
/// repeat, if not always right after each other.
struct Moves {
    /// The keys ([`Moves::key`]) inverted, so that a table of zeros is
    /// empty (no key is `u64::MAX`).
    keys: [u64; MOVES],
    text: [[u8; 16]; MOVES],
    len: [u8; MOVES],
}

impl Moves {
    fn new() -> Box<Moves> {
        Box::new(Moves {
            keys: [0; MOVES],
            text: [[0; 16]; MOVES],
            len: [0; MOVES],
        })
    }

    /// Forgets every move.
    fn clear(&mut self) {
        self.keys = [0; MOVES];
    }

    /// The steps as one number, for steps shorter than 10000 px (whose
    /// text is at most eight bytes each).
    #[inline(always)]
    fn key(dx: i64, dy: i64) -> Option<u64> {
        const R: i64 = 1_000_000;
        let short = |d: i64| d.wrapping_add(R - 1) as u64 <= 2 * (R - 1) as u64;
        (short(dx) && short(dy)).then(|| ((dx + R) as u64) << 32 | (dy + R) as u64)
    }

    /// The text of `m{dx},{dy}` (numbers in hundredths, as
    /// [`push_hundredths`] writes them) in the first of 16 bytes, and its
    /// length; a length of 0 for a move longer than that, which
    /// [`push_move`] writes.
    #[inline(always)]
    fn find(&mut self, dx: i64, dy: i64) -> ([u8; 16], usize) {
        let Some(key) = Moves::key(dx, dy) else {
            return ([0; 16], 0);
        };
        let slot =
            (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - MOVES.trailing_zeros())) as usize;
        if self.keys[slot] != !key {
            return self.keep(slot, key, dx, dy);
        }
        (self.text[slot], usize::from(self.len[slot]))
    }

    /// Remembers the move by `(dx, dy)`, with key `key`, in `slot`, unless
    /// it takes more than sixteen bytes (it may take eighteen).
    #[inline(never)]
    fn keep(&mut self, slot: usize, key: u64, dx: i64, dy: i64) -> ([u8; 16], usize) {
        let mut b = [0u8; 24];
        b[0] = b'm';
        // Both are short: see `Moves::key`. Most moves are along one
        // axis, and a step of 0 needs no formatting.
        let digits = |d: i64| match d {
            0 => (*b"0\0\0\0\0\0\0\0", 1),
            d => short8(d).unwrap_or_default(),
        };
        let ((x, xn), (y, yn)) = (digits(dx), digits(dy));
        b[1..9].copy_from_slice(&x);
        b[1 + xn] = b',';
        b[2 + xn..10 + xn].copy_from_slice(&y);
        let len = 2 + xn + yn;
        let Some(&text) = b.first_chunk::<16>() else {
            return ([0; 16], 0);
        };
        if len > 16 {
            return (text, 0);
        }
        self.keys[slot] = !key;
        self.text[slot] = text;
        self.len[slot] = len as u8;
        (text, len)
    }
}

/// What a shape's outline is made of: its kind and its size as the
/// layout gave it (the bits of the `f64`s), or for a line its steps in
/// hundredths. Shapes of one size have the same, so that the outline of
/// the shape before is found without converting its size again.
type Size = [u64; 4];

/// Whether two sizes are one, word by word: compared as one 32-byte
/// piece, the size just made is stored to the stack a word at a time and
/// loaded back at once, and that load waits for the stores to retire (a
/// load wider than the stores before it cannot take their data early):
/// a fifth of the time of writing shapes went there.
#[inline(always)]
fn same_size(a: &Size, b: &Size) -> bool {
    a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3]
}

/// How long an outline's text may be to be copied as a piece of fixed
/// length: a short one (a line, a plain rectangle, a diamond), and one
/// not long (a circle, a rounded rectangle of short numbers).
const SHORT: usize = 32;
/// The most one shape may take on the stack: a path's opening (pieces
/// stored up to 64 bytes on), a move (16) and an outline's text of at
/// most `LONG`.
const SHAPE_ROOM: usize = 64 + 16 + LONG;
const LONG: usize = 128;

/// Outlines written by [`Svg::shapes`], found by a hash of what they are
/// made of, and their texts.
struct Outlines {
    /// One more than the index in `slots` of the outline last made of
    /// sizes with this hash (0: none).
    index: [u8; 256],
    slots: Vec<Slot>,
    /// The texts, up to `end`, and after them room for one more of
    /// [`TEXT`] bytes and [`LONG`] bytes past it, so that each is written
    /// in place and read as a piece of fixed length. The room is kept
    /// rather than made for each text (zeroing it and cutting it back
    /// took a third of the time of making an outline); what it holds is
    /// of no matter.
    text: Vec<u8>,
    end: usize,
    /// The order in which `Svg::shapes` draws shapes, kept for the next.
    order: Vec<u32>,
}

/// Room made at first in [`Outlines::order`]: enough for the shapes of
/// most diagrams (a swimlane of 30 touchpoints has about 300), so that
/// it is allocated once per SVG rather than grown call by call (the
/// background, then the shapes, then an emotion curve's markers).
const ORDER: usize = 1024;

#[derive(Clone, Copy)]
struct Slot {
    size: Size,
    /// The step from the shape's anchor to its start point, and from the
    /// start point to where the pen ends ([`Outline::end`]).
    start: (i64, i64),
    end: (i64, i64),
    /// Where the text of the outline is in `Outlines::text`: none for a
    /// shape with nothing to draw.
    from: u32,
    to: u32,
}

impl Outlines {
    /// Made of nothing a shape is made of (no kind is `u64::MAX`).
    const NONE: Slot = Slot {
        size: [u64::MAX; 4],
        start: (0, 0),
        end: (0, 0),
        from: 0,
        to: 0,
    };

    fn new() -> Self {
        Outlines {
            index: [0; 256],
            slots: Vec::with_capacity(64),
            text: Vec::new(),
            end: 0,
            order: Vec::with_capacity(ORDER),
        }
    }

    /// Forgets every outline.
    fn clear(&mut self) {
        self.index = [0; 256];
        self.slots.clear();
        self.end = 0;
    }

    /// The outline of shapes made of `size` (`[kind, a, b, c]`), its text
    /// written unless it was already.
    ///
    /// The size comes word by word, in registers: as one array it is
    /// stored to memory for the call, for every shape, before it is
    /// known whether the call is made.
    #[inline(never)]
    fn find(&mut self, kind: u64, a: u64, b: u64, c: u64) -> Slot {
        let size = [kind, a, b, c];
        let h = size_hash(&size);
        if let Some(&slot) = self.slots.get(usize::from(self.index[h]).wrapping_sub(1))
            && slot.size == size
        {
            return slot;
        }
        if self.slots.len() >= usize::from(u8::MAX) || self.end > 1 << 16 {
            self.slots.clear();
            self.end = 0;
            self.index = [0; 256];
        }
        let slot = match outline_of(&size) {
            Some((start, o)) => {
                let from = self.end;
                if self.text.len() < from + TEXT + LONG {
                    self.grow(from);
                }
                // Written in place, in the room for the longest text of
                // short numbers.
                let room = self.text[from..].first_chunk_mut::<TEXT>();
                let to = match room.and_then(|b| o.text(b)) {
                    Some(n) => from + n,
                    None => self.write_long(from, o),
                };
                self.end = to;
                Slot {
                    size,
                    start,
                    end: o.end(0, 0),
                    from: from as u32,
                    to: to as u32,
                }
            }
            None => Slot {
                size,
                ..Outlines::NONE
            },
        };
        self.slots.push(slot);
        self.index[h] = self.slots.len() as u8;
        slot
    }

    /// Makes the room after `end` (see [`Outlines::text`]), and some more.
    #[cold]
    fn grow(&mut self, end: usize) {
        self.text.resize(end + TEXT + LONG + 4096, 0);
    }

    /// Writes the text of `o` (which has a long number) from `from` on,
    /// and returns where it ends.
    #[cold]
    fn write_long(&mut self, from: usize, o: Outline) -> usize {
        let mut t = Vec::new();
        o.write(&mut t);
        let to = from + t.len();
        if self.text.len() < to + TEXT + LONG {
            self.grow(to);
        }
        self.text[from..to].copy_from_slice(&t);
        to
    }
}

/// Which of [`Outlines::index`] a size goes to.
#[inline(always)]
fn size_hash(s: &Size) -> usize {
    let k = s[0] ^ s[1] ^ s[2].rotate_left(21) ^ s[3].rotate_left(42);
    (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize
}

/// Where `s` is anchored, in hundredths, and what its outline is made of
/// ([`Size`]): its start point is a step from the anchor that depends
/// on the size only (see [`outline_of`]).
///
/// `last_y` is the y converted last, by its bits, and its hundredths:
/// shapes follow each other along a row (a row's cells, gauges, bullets)
/// at one y, which is then converted once per row rather than per shape
/// (a rounding and a saturating conversion, a dozen instructions); a
/// line along an axis likewise takes a step of 0 there without
/// converting its end.
#[inline(always)]
fn anchor(s: &Shape, last_y: &mut (u64, i64)) -> ((i64, i64), Size) {
    let mut y_of = |y: f64| match y.to_bits() == last_y.0 {
        true => last_y.1,
        false => {
            let n = hundredths(y);
            *last_y = (y.to_bits(), n);
            n
        }
    };
    match *s {
        Shape::Rect { x, y, w, h, rx, .. } => (
            (hundredths(x), y_of(y)),
            [0, w.to_bits(), h.to_bits(), rx.to_bits()],
        ),
        Shape::Square { cx, cy, r, .. } => {
            ((hundredths(cx - r), y_of(cy - r)), [1, r.to_bits(), 0, 0])
        }
        Shape::Line { x1, y1, x2, y2, .. } => {
            let (x, y) = (hundredths(x1), y_of(y1));
            let step = |to: f64, from: f64, h: i64| match to.to_bits() == from.to_bits() {
                true => 0,
                false => (hundredths(to) - h) as u64,
            };
            ((x, y), [2, step(x2, x1, x), step(y2, y1, y), 0])
        }
        Shape::Circle { cx, cy, r, .. } => ((hundredths(cx), y_of(cy)), [3, r.to_bits(), 0, 0]),
        Shape::Star { cx, cy, r, .. } => ((hundredths(cx), y_of(cy)), [4, r.to_bits(), 0, 0]),
        Shape::Diamond { cx, cy, r, .. } => ((hundredths(cx), y_of(cy)), [5, r.to_bits(), 0, 0]),
        Shape::TriangleDown { cx, cy, r, .. } => {
            ((hundredths(cx), y_of(cy)), [6, r.to_bits(), 0, 0])
        }
    }
}

/// The y [`anchor`] has converted last (none yet): the bits of a NaN,
/// whose hundredths are 0.
const NO_Y: (u64, i64) = (u64::MAX, 0);

/// Numbers written lately, by key: a swimlane writes each column's x and
/// each row's y dozens of times, and looking one up costs a third of
/// formatting it.
struct Memo {
    keys: [u64; 256],
    /// The text of each number in its first bytes (at most seven: see
    /// [`Memo::word`]) and its length in the last, so that a number found
    /// is one load rather than a load of its bytes and one of its length
    /// (from a table of their own, through a pointer of its own).
    text: [u64; 256],
}

impl Memo {
    /// No key is `u64::MAX`: not the bits of a number the layouts make
    /// (it is a NaN).
    const EMPTY: u64 = u64::MAX;

    fn new() -> Box<Memo> {
        Box::new(Memo {
            keys: [Memo::EMPTY; 256],
            text: [0; 256],
        })
    }

    /// Forgets every number.
    fn clear(&mut self) {
        self.keys = [Memo::EMPTY; 256];
    }

    #[inline(always)]
    fn slot(key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize
    }

    /// The text `b` of `len` bytes and its length as one word: the
    /// numbers kept are below 10000 (see [`Memo::digits`]), whose text
    /// takes at most seven bytes (`9999.99`), so the eighth is free.
    #[inline(always)]
    fn word(b: [u8; 8], len: usize) -> u64 {
        debug_assert!(len <= 7);
        u64::from_le_bytes(b) & (u64::MAX >> 8) | (len as u64) << 56
    }

    /// The text and length [`Memo::word`] put in `w`: the length's byte
    /// is left among the text's, past its end, where what is written next
    /// (or nothing, at the end) takes its place.
    #[inline(always)]
    fn unword(w: u64) -> ([u8; 8], usize) {
        (w.to_le_bytes(), (w >> 56) as usize)
    }

    /// Writes the number with key `key` if it is known.
    #[inline(always)]
    fn write(&self, key: u64, out: &mut Vec<u8>) -> bool {
        let slot = Memo::slot(key);
        if self.keys[slot] != key {
            return false;
        }
        let (b, len) = Memo::unword(self.text[slot]);
        push8(out, b, len);
        true
    }

    /// The text of `v` as [`push_num`] writes it, in eight bytes and how
    /// many of them it takes, remembered by its bits; `None` for numbers
    /// that take more (negative ones and those from 10000 up).
    #[inline(always)]
    fn digits(&mut self, v: f64) -> Option<([u8; 8], usize)> {
        let key = v.to_bits();
        let slot = Memo::slot(key);
        if self.keys[slot] == key {
            return Some(Memo::unword(self.text[slot]));
        }
        let n = hundredths(v);
        if (0..1_000_000).contains(&n) {
            let (b, len) = digits8(n as u32);
            self.keep(key, b, len);
            Some((b, len))
        } else {
            None
        }
    }

    /// Writes `v` as [`push_num`] does, remembering it by its bits.
    #[inline(always)]
    fn num(&mut self, out: &mut Vec<u8>, v: f64) {
        let key = v.to_bits();
        if self.write(key, out) {
            return;
        }
        let n = hundredths(v);
        if (0..1_000_000).contains(&n) {
            let (b, len) = digits8(n as u32);
            self.keep(key, b, len);
            push8(out, b, len);
        } else {
            push_long(out, n);
        }
    }

    #[inline(always)]
    fn keep(&mut self, key: u64, b: [u8; 8], len: usize) {
        let slot = Memo::slot(key);
        self.keys[slot] = key;
        self.text[slot] = Memo::word(b, len);
    }
}

/// `m{dx},{dy}` for long steps.
#[inline(never)]
fn push_move(out: &mut Vec<u8>, dx: i64, dy: i64) {
    out.push(b'm');
    push_hundredths(out, dx);
    out.push(b',');
    push_hundredths(out, dy);
}

/// The first `len` of `b`.
#[inline(always)]
fn push8(out: &mut Vec<u8>, b: [u8; 8], len: usize) {
    out.extend_from_slice(&b);
    out.truncate(out.len() - 8 + len);
}

/// A shape's outline relative to its start point, in hundredths of a px.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outline {
    /// Clockwise from the end of the top-left corner, as SVG draws a
    /// `<rect>` (so that dashes start where they would).
    Rect {
        w: i64,
        h: i64,
        rx: i64,
        ry: i64,
    },
    Line {
        dx: i64,
        dy: i64,
    },
    /// From the leftmost point, clockwise.
    Circle {
        r: i64,
    },
    /// From the top point, clockwise.
    Star {
        r: i64,
    },
    Diamond {
        r: i64,
    },
    /// From the top-left corner.
    TriangleDown {
        r: i64,
        up: i64,
    },
}

/// `v` in hundredths, rounded half away from zero (as [`push_num`]).
#[inline]
pub(crate) fn hundredths(v: f64) -> i64 {
    let x = v * 100.0;
    (x + 0.5f64.copysign(x)) as i64
}

/// Offsets of a star's ten points from its centre, in hundredths: outer
/// radius `r`, inner `0.45 r`, the first point straight up.
fn star_points(r: i64) -> [(i64, i64); 10] {
    let r = r as f64 / 100.0;
    let mut pts = [(0, 0); 10];
    for (i, (p, (sin, cos))) in pts.iter_mut().zip(STAR_SIN_COS).enumerate() {
        let rr = if i % 2 == 0 { r } else { r * 0.45 };
        *p = (hundredths(rr * sin), hundredths(-rr * cos));
    }
    pts
}

/// The sine and cosine of `i × 36°` for the ten points of a star (a test
/// checks them against `f64::sin_cos`).
const STAR_SIN_COS: [(f64, f64); 10] = [
    (0.0, 1.0),
    (0.5877852522924731, 0.8090169943749475),
    (0.9510565162951535, 0.30901699437494745),
    (0.9510565162951536, -0.30901699437494734),
    (0.5877852522924732, -0.8090169943749473),
    (1.2246467991473532e-16, -1.0),
    (-0.587785252292473, -0.8090169943749476),
    (-0.9510565162951535, -0.30901699437494756),
    (-0.9510565162951536, 0.30901699437494723),
    (-0.5877852522924734, 0.8090169943749473),
];

/// The outline of shapes made of `size` ([`anchor`]) and the step from
/// their anchor to their start point; `None` for shapes with nothing to
/// draw (a rectangle or circle of no size, which SVG would not draw
/// either). What `outline` finds from a shape, without its position.
fn outline_of(size: &Size) -> Option<((i64, i64), Outline)> {
    let r = f64::from_bits(size[1]);
    Some(match size[0] {
        0 => {
            let (w, h) = (hundredths(r), hundredths(f64::from_bits(size[2])));
            if w <= 0 || h <= 0 {
                return None;
            }
            // SVG clamps the radii to half the width and height.
            let r = hundredths(f64::from_bits(size[3])).max(0);
            let (rx, ry) = (r.min(w / 2), r.min(h / 2));
            let (rx, ry) = if rx == 0 || ry == 0 { (0, 0) } else { (rx, ry) };
            ((rx, 0), Outline::Rect { w, h, rx, ry })
        }
        1 => {
            let w = hundredths(2.0 * r);
            if w <= 0 {
                return None;
            }
            let (h, rx, ry) = (w, 0, 0);
            ((0, 0), Outline::Rect { w, h, rx, ry })
        }
        2 => {
            let (dx, dy) = (size[1] as i64, size[2] as i64);
            ((0, 0), Outline::Line { dx, dy })
        }
        3 => {
            let r = hundredths(r);
            if r <= 0 {
                return None;
            }
            ((r.wrapping_neg(), 0), Outline::Circle { r })
        }
        4 => {
            let r = hundredths(r);
            ((0, r.wrapping_neg()), Outline::Star { r })
        }
        5 => {
            let r = hundredths(r);
            ((0, r.wrapping_neg()), Outline::Diamond { r })
        }
        _ => {
            let (up, r) = (hundredths(r * 0.6), hundredths(r));
            let step = (r.wrapping_neg(), up.wrapping_neg());
            (step, Outline::TriangleDown { r, up })
        }
    })
}

/// Where `s` starts and its outline; `None` for a shape with nothing to
/// draw: the plain way, which the tests hold [`Svg::shapes`] to.
#[cfg(test)]
fn outline(s: &Shape) -> Option<((i64, i64), Outline)> {
    Some(match *s {
        Shape::Rect { x, y, w, h, rx, .. } => {
            let (w, h) = (hundredths(w), hundredths(h));
            if w <= 0 || h <= 0 {
                return None;
            }
            // SVG clamps the radii to half the width and height.
            let r = hundredths(rx).max(0);
            let (rx, ry) = (r.min(w / 2), r.min(h / 2));
            let (rx, ry) = if rx == 0 || ry == 0 { (0, 0) } else { (rx, ry) };
            (
                (hundredths(x) + rx, hundredths(y)),
                Outline::Rect { w, h, rx, ry },
            )
        }
        Shape::Square { cx, cy, r, .. } => {
            let (x, y, w) = (hundredths(cx - r), hundredths(cy - r), hundredths(2.0 * r));
            if w <= 0 {
                return None;
            }
            (
                (x, y),
                Outline::Rect {
                    w,
                    h: w,
                    rx: 0,
                    ry: 0,
                },
            )
        }
        Shape::Line { x1, y1, x2, y2, .. } => {
            let (x, y) = (hundredths(x1), hundredths(y1));
            (
                (x, y),
                Outline::Line {
                    dx: hundredths(x2) - x,
                    dy: hundredths(y2) - y,
                },
            )
        }
        Shape::Circle { cx, cy, r, .. } => {
            let r = hundredths(r);
            if r <= 0 {
                return None;
            }
            ((hundredths(cx) - r, hundredths(cy)), Outline::Circle { r })
        }
        Shape::Star { cx, cy, r, .. } => {
            let r = hundredths(r);
            ((hundredths(cx), hundredths(cy) - r), Outline::Star { r })
        }
        Shape::Diamond { cx, cy, r, .. } => {
            let r = hundredths(r);
            ((hundredths(cx), hundredths(cy) - r), Outline::Diamond { r })
        }
        Shape::TriangleDown { cx, cy, r, .. } => {
            let up = hundredths(r * 0.6);
            let r = hundredths(r);
            (
                (hundredths(cx) - r, hundredths(cy) - up),
                Outline::TriangleDown { r, up },
            )
        }
    })
}

impl Outline {
    /// Where the pen is after drawing this outline from `(x, y)`: back at
    /// the start for a closed shape (SVG's `z`), at the far end of a line.
    fn end(self, x: i64, y: i64) -> (i64, i64) {
        match self {
            Outline::Line { dx, dy } => (x + dx, y + dy),
            _ => (x, y),
        }
    }

    /// The path commands after the start point, as [`Outline::write`]
    /// writes them, into `b`, and how many bytes they take: each piece is
    /// stored whole and the length moved on, without the growth checks
    /// of a `Vec`. `None` when a number takes more than eight bytes (a
    /// step of 10000 px or more), which `write` does.
    fn text(self, b: &mut [u8; TEXT]) -> Option<usize> {
        let mut t = Text { b, n: 0 };
        match self {
            // The digits of a width once, for the way back as well.
            Outline::Rect { w, h, rx: 0, .. } if w > 0 => {
                let (wd, wn) = short8(w)?;
                t.put(b'h');
                t.put8(wd, wn);
                t.cmd(b'v', h)?;
                t.put(b'h');
                t.put(b'-');
                t.put8(wd, wn);
            }
            Outline::Rect { w, h, rx: 0, .. } => {
                t.cmd(b'h', w)?;
                t.cmd(b'v', h)?;
                t.cmd(b'h', -w)?;
            }
            Outline::Rect { w, h, rx, ry } => {
                let (iw, ih) = (w - 2 * rx, h - 2 * ry);
                // A corner's arc up to its end point, and the end point's
                // digits (radii are positive: see `outline`), those of a
                // round corner (most are) found once.
                let (rxd, rxn) = short8(rx)?;
                let (ryd, ryn) = if ry == rx { (rxd, rxn) } else { short8(ry)? };
                let mut arc = [0u8; 32];
                arc[0] = b'a';
                arc[1..9].copy_from_slice(&rxd);
                arc[1 + rxn] = b',';
                arc[2 + rxn..10 + rxn].copy_from_slice(&ryd);
                arc[2 + rxn + ryn..9 + rxn + ryn].copy_from_slice(b" 0 0 1 ");
                let arc_n = 9 + rxn + ryn;
                // The end point down, `{rx},{ry}`, and up, `{rx},-{ry}`,
                // each as one piece (the sign of x goes before it).
                let mut ends = [0u8; 40];
                ends[..8].copy_from_slice(&rxd);
                ends[rxn] = b',';
                ends[rxn + 1..rxn + 9].copy_from_slice(&ryd);
                ends[16..24].copy_from_slice(&rxd);
                ends[16 + rxn..18 + rxn].copy_from_slice(b",-");
                ends[18 + rxn..26 + rxn].copy_from_slice(&ryd);
                let end_n = rxn + 1 + ryn;
                let (down, up) = ends.split_at(16);
                // The sides' digits, for both ways (drawn when positive).
                let side = |v: i64| if v > 0 { short8(v) } else { Some(([0; 8], 0)) };
                let (iwd, ihd) = (side(iw)?, side(ih)?);
                // The four corners, clockwise from the top right.
                for (k, (sx, end, n)) in [
                    (false, down, end_n),
                    (true, down, end_n),
                    (true, up, end_n + 1),
                    (false, up, end_n + 1),
                ]
                .into_iter()
                .enumerate()
                {
                    let (side, len, (d, dn)) = match k % 2 == 0 {
                        true => (b'h', iw, iwd),
                        false => (b'v', ih, ihd),
                    };
                    if len > 0 {
                        // Along x then down, back, up: the sign of the
                        // corner that follows.
                        t.put(side);
                        if k >= 2 {
                            t.put(b'-');
                        }
                        t.put8(d, dn);
                    }
                    t.put32(&arc, arc_n);
                    if sx {
                        t.put(b'-');
                    }
                    if let Some(end) = end.first_chunk::<16>() {
                        t.put16(end, n);
                    }
                }
            }
            Outline::Line { dx, dy } => {
                if dx == 0 {
                    t.cmd(b'v', dy)?;
                } else if dy == 0 {
                    t.cmd(b'h', dx)?;
                } else {
                    t.cmd(b'l', dx)?;
                    t.cmd(b',', dy)?;
                }
                return Some(t.n);
            }
            Outline::Circle { r } => {
                let (rd, rn) = short8(r)?;
                for d in [2 * r, -2 * r] {
                    t.put(b'a');
                    t.put8(rd, rn);
                    t.put(b',');
                    t.put8(rd, rn);
                    t.put8(*b" 0 1 1 \0", 7);
                    t.num(d)?;
                    t.put8(*b",0\0\0\0\0\0\0", 2);
                }
            }
            Outline::Star { r } => {
                let pts = star_points(r);
                t.put(b'l');
                for k in 1..10 {
                    if k > 1 {
                        t.put(b' ');
                    }
                    t.num(pts[k].0 - pts[k - 1].0)?;
                    t.cmd(b',', pts[k].1 - pts[k - 1].1)?;
                }
            }
            Outline::Diamond { r } => {
                t.put(b'l');
                for (k, (dx, dy)) in [(r, r), (-r, r), (-r, -r)].into_iter().enumerate() {
                    if k > 0 {
                        t.put(b' ');
                    }
                    t.num(dx)?;
                    t.cmd(b',', dy)?;
                }
            }
            Outline::TriangleDown { r, up } => {
                t.cmd(b'h', 2 * r)?;
                t.cmd(b'l', -r)?;
                t.cmd(b',', r + up)?;
            }
        }
        t.put(b'z');
        Some(t.n)
    }

    /// The path commands after the start point.
    pub(crate) fn write(self, out: &mut Vec<u8>) {
        let n = |out: &mut Vec<u8>, v: i64| push_hundredths(out, v);
        match self {
            Outline::Rect { w, h, rx: 0, .. } => {
                out.push(b'h');
                n(out, w);
                out.push(b'v');
                n(out, h);
                out.push(b'h');
                n(out, -w);
                out.push(b'z');
            }
            Outline::Rect { w, h, rx, ry } => {
                let (iw, ih) = (w - 2 * rx, h - 2 * ry);
                // The radii's digits, found once for the four corners
                // (radii are positive: see `outline`).
                let (rxd, rxn) = digits24(rx);
                let (ryd, ryn) = digits24(ry);
                // The four corners, clockwise from the top right.
                for (k, (sx, sy)) in [(false, false), (true, false), (true, true), (false, true)]
                    .into_iter()
                    .enumerate()
                {
                    let (side, len) = if k % 2 == 0 { (b'h', iw) } else { (b'v', ih) };
                    if len > 0 {
                        out.push(side);
                        // Along x then down, back, up: the sign of the
                        // corner that follows.
                        n(out, if k < 2 { len } else { -len });
                    }
                    out.push(b'a');
                    push24(out, &rxd, rxn);
                    out.push(b',');
                    push24(out, &ryd, ryn);
                    out.extend_from_slice(b" 0 0 1 ");
                    if sx {
                        out.push(b'-');
                    }
                    push24(out, &rxd, rxn);
                    out.push(b',');
                    if sy {
                        out.push(b'-');
                    }
                    push24(out, &ryd, ryn);
                }
                out.push(b'z');
            }
            Outline::Line { dx, dy } => {
                if dx == 0 {
                    out.push(b'v');
                    n(out, dy);
                } else if dy == 0 {
                    out.push(b'h');
                    n(out, dx);
                } else {
                    out.push(b'l');
                    n(out, dx);
                    out.push(b',');
                    n(out, dy);
                }
            }
            Outline::Circle { r } => {
                for d in [2 * r, -2 * r] {
                    out.push(b'a');
                    n(out, r);
                    out.push(b',');
                    n(out, r);
                    out.extend_from_slice(b" 0 1 1 ");
                    n(out, d);
                    out.extend_from_slice(b",0");
                }
                out.push(b'z');
            }
            Outline::Star { r } => {
                let pts = star_points(r);
                out.push(b'l');
                for k in 1..10 {
                    if k > 1 {
                        out.push(b' ');
                    }
                    n(out, pts[k].0 - pts[k - 1].0);
                    out.push(b',');
                    n(out, pts[k].1 - pts[k - 1].1);
                }
                out.push(b'z');
            }
            Outline::Diamond { r } => {
                out.push(b'l');
                for (k, (dx, dy)) in [(r, r), (-r, r), (-r, -r)].into_iter().enumerate() {
                    if k > 0 {
                        out.push(b' ');
                    }
                    n(out, dx);
                    out.push(b',');
                    n(out, dy);
                }
                out.push(b'z');
            }
            Outline::TriangleDown { r, up } => {
                out.push(b'h');
                n(out, 2 * r);
                out.push(b'l');
                n(out, -r);
                out.push(b',');
                n(out, r + up);
                out.push(b'z');
            }
        }
    }
}

/// Room for an outline's text in [`Outline::text`]: at most 213 bytes
/// (a rounded rectangle of eight-byte numbers) and the eight bytes of a
/// piece stored whole past its end.
const TEXT: usize = 256;

/// An outline's text being written by [`Outline::text`].
struct Text<'b> {
    b: &'b mut [u8; TEXT],
    n: usize,
}

impl Text<'_> {
    #[inline(always)]
    fn put(&mut self, c: u8) {
        self.b[self.n] = c;
        self.n += 1;
    }

    /// The first `len` of `b`, stored whole.
    #[inline(always)]
    fn put8(&mut self, b: [u8; 8], len: usize) {
        self.b[self.n..self.n + 8].copy_from_slice(&b);
        self.n += len;
    }

    #[inline(always)]
    fn put16(&mut self, b: &[u8; 16], len: usize) {
        self.b[self.n..self.n + 16].copy_from_slice(b);
        self.n += len;
    }

    #[inline(always)]
    fn put32(&mut self, b: &[u8; 32], len: usize) {
        self.b[self.n..self.n + 32].copy_from_slice(b);
        self.n += len;
    }

    /// `n / 100` as [`push_hundredths`] writes it, if it takes at most
    /// eight bytes.
    #[inline(always)]
    fn num(&mut self, n: i64) -> Option<()> {
        let (b, len) = short8(n)?;
        self.put8(b, len);
        Some(())
    }

    /// A command and its number.
    #[inline(always)]
    fn cmd(&mut self, c: u8, n: i64) -> Option<()> {
        self.put(c);
        self.num(n)
    }
}

/// Escapes `& < > " '` and replaces characters XML 1.0 cannot carry
/// (controls other than tab and newline) by U+FFFD, so that the SVG stays
/// well-formed whatever the author wrote.
pub(crate) fn escape_into(out: &mut Vec<u8>, s: &str) {
    // A text of eight to sixteen bytes (a point's name, a label) is
    // looked at whole at once, as its first eight bytes and its last
    // eight: most have nothing to escape, and it is then copied as it is
    // rather than looked at byte by byte.
    let b = s.as_bytes();
    if let (Some(head), Some(tail), true) =
        (b.first_chunk::<8>(), b.last_chunk::<8>(), b.len() <= 16)
        && !head
            .iter()
            .chain(tail)
            .fold(false, |a, &c| a | SPECIAL[usize::from(c)])
    {
        out.extend_from_slice(b);
        return;
    }
    escape_pieces(s, |p| out.extend_from_slice(p));
}

/// Whether [`escape_into`] surely leaves `s` as it is: no byte of it
/// needs a look ([`escaped_in_xml`]; a character from `0xEF` on, which
/// it would leave, counts as one that does). Sixteen bytes at a time,
/// as [`escape_pieces`] looks.
pub(crate) fn is_plain(s: &str) -> bool {
    let mut chunks = s.as_bytes().chunks_exact(16);
    for c in &mut chunks {
        if c.iter().fold(false, |a, &b| a | SPECIAL[usize::from(b)]) {
            return false;
        }
    }
    !chunks
        .remainder()
        .iter()
        .fold(false, |a, &b| a | SPECIAL[usize::from(b)])
}

/// What [`escape_into`] writes, into `out` from `at` on, and where it
/// ends; `out` has room for six times the length of `s` (`&quot;` for
/// `"`).
fn escape_at(out: &mut [u8; CHUNK], at: usize, s: &str) -> usize {
    let mut n = at;
    escape_pieces(s, |p| {
        out[n..n + p.len()].copy_from_slice(p);
        n += p.len();
    });
    n
}

/// `s` escaped as [`escape_into`] says, handed to `put` piece by piece.
#[inline(always)]
fn escape_pieces(s: &str, mut put: impl FnMut(&[u8])) {
    let bytes = s.as_bytes();
    // Bytes before `last` are written, those before `from` looked at.
    let (mut last, mut from) = (0, 0);
    loop {
        // Sixteen bytes at a time while none needs a closer look (most
        // text has nothing to escape): lookups without a branch each.
        while let Some(chunk) = bytes.get(from..from + 16)
            && !chunk
                .iter()
                .fold(false, |a, &b| a | SPECIAL[usize::from(b)])
        {
            from += 16;
        }
        let Some(k) = bytes[from..].iter().position(|&b| SPECIAL[usize::from(b)]) else {
            break;
        };
        let i = from + k;
        // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not XML characters;
        // other characters from 0xEF on stay, looked past without being
        // written yet: most are the fullwidth punctuation of CJK text
        // (`，` is EF BC 8C), and writing up to each cost the diagrams of
        // a Chinese map 3% of their writing.
        let nonchar =
            bytes.get(i + 1) == Some(&0xbf) && matches!(bytes.get(i + 2), Some(0xbe | 0xbf));
        let (rep, len): (&[u8], usize) = match bytes[i] {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'"' => (b"&quot;", 1),
            b'\'' => (b"&#39;", 1),
            0xef if nonchar => ("\u{fffd}".as_bytes(), 3),
            0xef => {
                from = i + 1;
                continue;
            }
            _ => ("\u{fffd}".as_bytes(), 1),
        };
        put(&bytes[last..i]);
        put(rep);
        last = i + len;
        from = last;
    }
    put(&bytes[last..]);
}

/// Bytes [`escape_into`] has to look at (see [`escaped_in_xml`]).
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = escaped_in_xml(b as u8);
        b += 1;
    }
    t
};

/// `v` rounded to two decimals, without trailing zeros (`12`, `12.5`,
/// `-0.25`). Hand-written because `format!` of floats is several times
/// slower and the diagrams write thousands of numbers.
pub(crate) fn push_num(out: &mut String, v: f64) {
    let n = hundredths(v);
    if (0..1_000_000).contains(&n) {
        let (bytes, len) = digits8(n as u32);
        // ASCII digits: pushed as they are, without checking them as UTF-8.
        out.extend(bytes[..len].iter().map(|&b| char::from(b)));
    } else {
        let mut buf = [0u8; 24];
        out.push_str(std::str::from_utf8(long_digits(n, &mut buf)).unwrap_or_default());
    }
}

/// The text of `n / 100` (as [`push_hundredths`] writes it) in eight
/// bytes, and how many of them it takes, for `n` between -1000000 and
/// 1000000 (exclusive).
#[inline(always)]
fn short8(n: i64) -> Option<([u8; 8], usize)> {
    if (0..1_000_000).contains(&n) {
        Some(digits8(n as u32))
    } else if (-999_999..0).contains(&n) {
        // At most seven bytes and a sign (the steps between shapes of a
        // path go back as often as forward).
        let (b, len) = digits8(n.unsigned_abs() as u32);
        Some((
            (u64::from_le_bytes(b) << 8 | u64::from(b'-')).to_le_bytes(),
            len + 1,
        ))
    } else {
        None
    }
}

/// The text of `n / 100` (as [`push_hundredths`] writes it) from the
/// first of 24 bytes, and how many there are.
#[inline(always)]
fn digits24(n: i64) -> ([u8; 24], usize) {
    let mut b = [0u8; 24];
    if (0..1_000_000).contains(&n) {
        let (d, len) = digits8(n as u32);
        b[..8].copy_from_slice(&d);
        (b, len)
    } else {
        let len = long_digits(n, &mut b).len();
        b.copy_within(24 - len.., 0);
        (b, len)
    }
}

/// The first `len` of `b`, pushed at once and cut to length (where a
/// slice of unknown length is a call to `memcpy`).
#[inline(always)]
fn push24(out: &mut Vec<u8>, b: &[u8; 24], len: usize) {
    out.extend_from_slice(b);
    out.truncate(out.len() - 24 + len);
}

/// `n / 100` with at most two decimals and no trailing zeros.
#[inline(always)]
pub(crate) fn push_hundredths(out: &mut Vec<u8>, n: i64) {
    // Below 10000 (most coordinates): all eight bytes at once, then cut
    // to length.
    if let Some((b, len)) = short8(n) {
        push8(out, b, len);
    } else {
        push_long(out, n);
    }
}

/// The digits of `n / 100` (`n < 1_000_000`) from the first byte, and
/// how many there are: `1066.5` is `b"1066.5"` and 6. The bytes after
/// them are of no matter.
#[inline(always)]
fn digits8(n: u32) -> ([u8; 8], usize) {
    let (int, frac) = ((n / 100) as usize, (n % 100) as usize);
    let (hi, lo) = (int / 100, int % 100);
    // Little-endian: the first digit in the lowest byte. The fraction's
    // point, digits and how many of them to keep come from one table
    // (worked out here, they took a third of the instructions).
    let f = FRACTIONS[frac];
    let word = u64::from(PAIRS[hi]) | u64::from(PAIRS[lo]) << 16 | f;
    // Leading zeros of the whole part: `int < 1000`, `< 100` and `< 10`.
    let lead = usize::from(LEAD[hi]) + usize::from(int < 10);
    (
        (word >> (8 * lead)).to_le_bytes(),
        4 - lead + (f >> 56) as usize,
    )
}

/// For `00` to `99` hundredths: `.` and the two digits from the fifth
/// byte of a little-endian `u64` on, and in its last byte how many of the
/// three are written (none for `00`, two for `50`, three for `05`).
static FRACTIONS: [u64; 100] = {
    let mut t = [0u64; 100];
    let mut i = 0;
    while i < 100 {
        let keep = if i == 0 {
            0
        } else if i % 10 == 0 {
            2
        } else {
            3
        };
        t[i] = (b'.' as u64) << 32 | (PAIRS[i] as u64) << 40 | keep << 56;
        i += 1;
    }
    t
};

/// How many of the whole part's four digits are leading zeros, by its
/// hundreds (`int / 100`), but for one more when it is below 10.
static LEAD: [u8; 100] = {
    let mut t = [0u8; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = if i == 0 {
            2
        } else if i < 10 {
            1
        } else {
            0
        };
        i += 1;
    }
    t
};

/// `00` to `99` as two ASCII bytes in a little-endian `u16`.
static PAIRS: [u16; 100] = {
    let mut t = [0u16; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = (b'0' + (i / 10) as u8) as u16 | ((b'0' + (i % 10) as u8) as u16) << 8;
        i += 1;
    }
    t
};

/// [`push_hundredths`] for negative numbers and numbers from 10000 up.
#[cold]
fn push_long(out: &mut Vec<u8>, n: i64) {
    let mut buf = [0u8; 24];
    out.extend_from_slice(long_digits(n, &mut buf));
}

/// The text of `n / 100`, written at the end of `buf`.
fn long_digits(n: i64, buf: &mut [u8; 24]) -> &[u8] {
    let neg = n < 0;
    let u = n.unsigned_abs();
    let int = u / 100;
    let frac = (u % 100) as usize;
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
    &buf[i..]
}

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
    fn the_star_table_is_the_sines_and_cosines() {
        for (i, &(sin, cos)) in STAR_SIN_COS.iter().enumerate() {
            let a = std::f64::consts::PI * (i as f64) / 5.0;
            assert!((a.sin() - sin).abs() < 1e-15 && (a.cos() - cos).abs() < 1e-15);
        }
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
    fn remembered_numbers_read_as_fresh_ones() {
        let values: Vec<f64> = (-3000i64..3000)
            .map(|k| k as f64 * 3.7)
            .chain([0.0, -0.0, 0.004, 9999.995, 123_456.78, f64::NAN])
            .collect();
        let mut svg = Svg::new(0, "s");
        let mut want = String::new();
        for _ in 0..2 {
            for (&v, &w) in values.iter().zip(values.iter().rev()) {
                svg.num(v);
                svg.raw(" ");
                // A move as `Svg::shapes` writes it: kept whole when
                // short, number by number otherwise.
                let (dx, dy) = (hundredths(v), hundredths(-w / 3.0));
                match svg.s.moves.find(dx, dy) {
                    (_, 0) => push_move(&mut svg.s.buf, dx, dy),
                    (b, len) => {
                        svg.s.buf.extend_from_slice(&b[..len]);
                    }
                }
                svg.raw(" ");
                push_num(&mut want, v);
                want.push_str(" m");
                push_num(&mut want, v);
                want.push(',');
                push_num(&mut want, -w / 3.0);
                want.push(' ');
            }
        }
        assert_eq!(svg.finish(), want);
    }

    /// Every short number's digits, from their tables, read as the
    /// digits of the long way (`long_digits`, digit by digit).
    #[test]
    fn digits_from_tables_read_as_written_digit_by_digit() {
        let mut buf = [0u8; 24];
        for n in 0..1_000_000u32 {
            let (b, len) = digits8(n);
            assert_eq!(&b[..len], long_digits(i64::from(n), &mut buf), "{n}");
        }
    }

    /// Numbers found in the memo as one word, their text and length
    /// together (see `Memo::word`), read as fresh ones, the first time
    /// and when found again, up to the longest kept (`9999.99`).
    #[test]
    fn remembered_digits_read_as_fresh_ones() {
        let values: Vec<f64> = (0i64..30_000)
            .map(|k| k as f64 * 0.37)
            .chain([0.0, 0.004, 0.005, 9999.99, 9999.994, 9999.995])
            .collect();
        let mut memo = Memo::new();
        for _ in 0..2 {
            for &v in &values {
                let mut w = [b'#'; 40];
                let end = num_in(&mut w, 3, &mut memo, v);
                let mut want = String::new();
                push_num(&mut want, v);
                assert_eq!(&w[3..end], want.as_bytes(), "{v}");
            }
        }
    }

    /// Follows the pen through the `d` of a path written by
    /// [`Svg::shapes`] and returns where each shape starts, in hundredths.
    fn starts_of(d: &str) -> Vec<(i64, i64)> {
        let num = |t: &str| hundredths(t.parse::<f64>().unwrap());
        let mut starts = Vec::new();
        let (mut pen, mut sub) = ((0, 0), (0, 0));
        let mut rest = d;
        while let Some(c) = rest.chars().next() {
            let end = rest[1..]
                .find(|ch: char| ch.is_ascii_alphabetic())
                .map_or(rest.len(), |k| k + 1);
            let args: Vec<i64> = rest[1..end]
                .split([',', ' '])
                .filter(|t| !t.is_empty())
                .map(num)
                .collect();
            match c {
                'M' | 'm' => {
                    let base = if c == 'M' { (0, 0) } else { pen };
                    pen = (base.0 + args[0], base.1 + args[1]);
                    sub = pen;
                    starts.push(pen);
                }
                'h' => pen.0 += args[0],
                'v' => pen.1 += args[0],
                'l' => {
                    for p in args.chunks(2) {
                        pen = (pen.0 + p[0], pen.1 + p[1]);
                    }
                }
                'a' => pen = (pen.0 + args[5], pen.1 + args[6]),
                'z' => pen = sub,
                _ => panic!("unexpected {c} in {d}"),
            }
            rest = &rest[end..];
        }
        starts
    }

    /// What [`Svg::shapes`] writes, the plain way: every shape's outline
    /// formatted anew, every move written number by number.
    fn shapes_plainly(shapes: &[Shape], scope: &str) -> String {
        let mut order: Vec<&Shape> = shapes.iter().collect();
        order.sort_by_key(|s| s.style().layer());
        let mut out = Vec::new();
        let mut current = None;
        let mut pen = None;
        for s in order {
            if current != Some(s.style()) {
                if pen.take().is_some() {
                    out.extend_from_slice(b"\"/>\n");
                }
                current = Some(s.style());
            }
            let Some(((x, y), o)) = outline(s) else {
                continue;
            };
            match pen {
                None => {
                    out.extend_from_slice(b"<path class=\"");
                    out.extend_from_slice(scope.as_bytes());
                    out.push(b'-');
                    out.extend_from_slice(s.style().class().as_bytes());
                    out.extend_from_slice(b"\" d=\"M");
                    push_hundredths(&mut out, x);
                    out.push(b',');
                    push_hundredths(&mut out, y);
                }
                Some((px, py)) => {
                    out.push(b'm');
                    push_hundredths(&mut out, x - px);
                    out.push(b',');
                    push_hundredths(&mut out, y - py);
                }
            }
            o.write(&mut out);
            pen = Some(o.end(x, y));
        }
        if pen.is_some() {
            out.extend_from_slice(b"\"/>\n");
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn shapes_read_as_written_one_by_one() {
        use ShapeStyle::*;
        let mut shapes = Vec::new();
        // Sizes that repeat, alternate, round alike or to nothing, are
        // negative or huge; steps short and long (a move may take more
        // than sixteen bytes), far from the origin either way.
        let sizes = [
            6.0, 6.0, 6.001, 5.999, 6.004, 0.0, -3.0, 0.004, 12345.678, 6.0, 1.5, 3.25,
        ];
        let places = [
            0.0, 184.0, 368.0, -5656.25, 9999.995, -10000.0, 123_456.78, 0.5, -0.004, 7.125,
        ];
        for (i, &a) in sizes.iter().enumerate() {
            for (j, &p) in places.iter().enumerate() {
                let (b, q) = (
                    sizes[(i + j) % sizes.len()],
                    places[(i * 3 + j) % places.len()],
                );
                let style = [Grid, StageFill(1), StageFill(2), PainDot, MotStar][(i + j) % 5];
                shapes.extend([
                    Shape::Rect {
                        x: p,
                        y: q,
                        w: a * 7.0,
                        h: b,
                        rx: [0.0, 3.0, a, -1.0][j % 4],
                        style,
                    },
                    Shape::Line {
                        x1: p,
                        y1: q,
                        x2: p + a * 100.0,
                        y2: [q, q + b, q - 0.005][j % 3],
                        style,
                    },
                    Shape::Circle {
                        cx: q,
                        cy: p,
                        r: a,
                        style,
                    },
                    Shape::Star {
                        cx: p,
                        cy: p,
                        r: b,
                        style: MotStar,
                    },
                    Shape::Diamond {
                        cx: q,
                        cy: q,
                        r: a,
                        style: OppDiamond,
                    },
                    Shape::TriangleDown {
                        cx: p,
                        cy: q,
                        r: b,
                        style: LowMarker,
                    },
                    Shape::Square {
                        cx: q,
                        cy: p,
                        r: a,
                        style: if j % 2 == 0 { LowMarker } else { PainDot },
                    },
                ]);
            }
        }
        // Twice: the second time with outlines and moves remembered. A
        // scope short, of the usual length, and too long for a path's
        // head to be one piece.
        let usual = super::super::scope("m", 's');
        for scope in ["s", &usual, "a-scope-of-thirty-bytes-or-more"] {
            let mut svg = Svg::new(0, scope);
            svg.shapes(&shapes);
            svg.shapes(&shapes);
            let want = shapes_plainly(&shapes, scope);
            assert_eq!(svg.finish(), [want.as_str(), &want].concat(), "{scope}");
        }
    }

    /// Shapes along rows, each row's y converted once (see `anchor`), and
    /// lines along either axis, whose step of 0 is not converted, read as
    /// written one by one: rows of every kind of shape at one y, at ys
    /// equal in value but not in bits (`0.0` and `-0.0`), at the NaN
    /// whose bits stand for "none yet", and back at a y left before.
    #[test]
    fn shapes_along_rows_read_as_written_one_by_one() {
        use ShapeStyle::*;
        let none = f64::from_bits(u64::MAX);
        let mut shapes = Vec::new();
        for (row, &y) in [12.5, 12.5, 0.0, -0.0, none, 40.004, 12.5, 9999.995, -7.25]
            .iter()
            .enumerate()
        {
            for k in 0..4 {
                let x = 184.0 * k as f64 + row as f64 * 0.37;
                let style = [Grid, StageFill(1), PainDot][k % 3];
                shapes.extend([
                    Shape::Rect {
                        x,
                        y,
                        w: 150.0,
                        h: 6.0,
                        rx: 3.0,
                        style,
                    },
                    Shape::Line {
                        x1: x,
                        y1: y,
                        x2: x,
                        y2: y + 12.0,
                        style,
                    },
                    Shape::Line {
                        x1: x,
                        y1: y,
                        x2: x + 100.0,
                        y2: y,
                        style,
                    },
                    Shape::Line {
                        x1: x,
                        y1: y,
                        x2: -x,
                        y2: none,
                        style,
                    },
                    Shape::Circle {
                        cx: x,
                        cy: y,
                        r: 6.0,
                        style,
                    },
                    Shape::Square {
                        cx: x,
                        cy: y,
                        r: 4.5,
                        style,
                    },
                    Shape::Diamond {
                        cx: x,
                        cy: y,
                        r: 4.5,
                        style: OppDiamond,
                    },
                ]);
            }
        }
        let mut svg = Svg::new(0, "s");
        svg.shapes(&shapes);
        svg.shapes(&shapes);
        let want = shapes_plainly(&shapes, "s");
        assert_eq!(svg.finish(), [want.as_str(), &want].concat());
    }

    #[test]
    fn outline_text_in_place_reads_as_written_piece_by_piece() {
        // Numbers around every length of text, the last short one and
        // the first long one, either sign.
        let mut values = vec![0i64, 1, 5, 10, 50, 99, 100, 101, 150, 999_999, 1_000_000];
        for k in 1..=6 {
            let p = 10i64.pow(k);
            values.extend([p - 1, p, p + 1, p + 7, 3 * p + 45]);
        }
        let values: Vec<i64> = values.iter().flat_map(|&v| [v, -v]).collect();
        let mut outlines = Vec::new();
        for &a in &values {
            outlines.extend([
                Outline::Line { dx: a, dy: 0 },
                Outline::Line { dx: 0, dy: a },
                Outline::Circle { r: a },
                Outline::Star { r: a },
                Outline::Diamond { r: a },
                Outline::TriangleDown { r: a, up: a / 3 },
                Outline::Rect {
                    w: a,
                    h: 7,
                    rx: 0,
                    ry: 0,
                },
            ]);
            for &b in values.iter().step_by(3) {
                outlines.push(Outline::Line { dx: a, dy: b });
                if a > 0 && b > 0 {
                    for r in [1, 50, 150, 999_999] {
                        let (rx, ry) = (r.min(a / 2), r.min(b / 2));
                        if rx > 0 && ry > 0 {
                            outlines.push(Outline::Rect { w: a, h: b, rx, ry });
                        }
                    }
                }
            }
        }
        let mut short = 0;
        for o in outlines {
            let mut want = Vec::new();
            o.write(&mut want);
            let mut b = [0u8; TEXT];
            match o.text(&mut b) {
                Some(n) => {
                    assert_eq!(&b[..n], &want[..], "{o:?}");
                    short += 1;
                }
                // Only for a number of 10000 or more (which may take
                // more than eight bytes).
                None => assert!(
                    String::from_utf8(want)
                        .unwrap()
                        .split(|c: char| !c.is_ascii_digit() && c != '.')
                        .any(|n| n.parse::<f64>().is_ok_and(|v| v >= 10000.0)),
                    "{o:?}"
                ),
            }
        }
        assert!(short > 1000, "{short}");
    }

    #[test]
    fn the_background_reads_as_drawn_among_shapes() {
        let sizes = [
            (5696.0, 742.0),
            (1.0, 1.0),
            (0.5, 30.0),
            (21.0, 1.004),
            (123_456.78, 9_999.995),
            (20.0, 7.3),
        ];
        for (w, h) in sizes {
            let bg = background_of(w, h);
            let mut alone = Svg::new(0, "s");
            alone.background(&bg);
            let mut among = Svg::new(0, "s");
            among.shapes(&[bg]);
            assert_eq!(alone.finish(), among.finish(), "{w} {h}");
        }
    }

    #[test]
    fn relative_moves_land_every_shape_where_it_starts() {
        let style = ShapeStyle::Grid;
        let mut shapes = Vec::new();
        for i in 0..12 {
            let f = i as f64;
            shapes.push(Shape::Line {
                x1: 20.0 + f * 3.7,
                y1: 166.0 + f * 57.25,
                x2: 900.5 - f,
                y2: 166.0 + f * 57.25,
                style,
            });
            shapes.push(Shape::Rect {
                x: 1000.0 - f * 91.33,
                y: 5.0 + f * 0.5,
                w: 16.0 + f,
                h: 14.0,
                rx: if i % 2 == 0 { 3.0 } else { 0.0 },
                style,
            });
            shapes.push(Shape::Circle {
                cx: 50.0 + f * 184.0,
                cy: 431.55 - f * 30.0,
                r: 6.0,
                style,
            });
            shapes.push(Shape::Star {
                cx: 12.0 * f,
                cy: -4.0 + f,
                r: 7.0,
                style,
            });
        }
        let mut svg = Svg::new(0, "s");
        svg.shapes(&shapes);
        let out = svg.finish();
        let d = &out[out.find(" d=\"").unwrap() + 4..out.rfind('"').unwrap()];
        let want: Vec<(i64, i64)> = shapes.iter().filter_map(outline).map(|o| o.0).collect();
        assert_eq!(starts_of(d), want, "{d}");
    }

    #[test]
    fn escaping_keeps_every_character_and_the_xml_valid() {
        let mut s = Vec::new();
        escape_into(&mut s, "<script>alert('x')</script> & \"#:\" \u{1}");
        assert_eq!(
            String::from_utf8(s).unwrap(),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;#:&quot; \u{fffd}"
        );
        // Markup at every place around the sixteen-byte steps.
        let naive = |s: &str| {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect::<String>()
        };
        for len in 0..50 {
            for at in 0..len {
                for mark in ['&', '<', '\''] {
                    let text: String = (0..len)
                        .map(|k| {
                            if k == at || k == len - 1 - at / 2 {
                                mark
                            } else {
                                'é'
                            }
                        })
                        .collect();
                    let mut out = Vec::new();
                    escape_into(&mut out, &text);
                    assert_eq!(String::from_utf8(out).unwrap(), naive(&text));
                }
            }
        }
        let mut t = Vec::new();
        escape_into(&mut t, "中文\u{fffe}ｏ\u{ffff}");
        assert_eq!(String::from_utf8(t).unwrap(), "中文\u{fffd}ｏ\u{fffd}");
    }

    #[test]
    fn short_texts_read_as_escaped_one_by_one() {
        let naive = |s: &str| -> String {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    '\u{fffe}' | '\u{ffff}' => "\u{fffd}".to_string(),
                    c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                        "\u{fffd}".to_string()
                    }
                    c => c.to_string(),
                })
                .collect()
        };
        // Texts of every length around the eight to sixteen bytes looked
        // at whole, with one character of every kind at every place, or
        // none.
        let marks = [
            '&', '<', '>', '"', '\'', '\u{1}', '\t', '\u{fffe}', '，', 'é', 'x',
        ];
        for n in 0..20 {
            for at in 0..n.max(1) {
                for m in marks {
                    let text: String = (0..n).map(|k| if k == at { m } else { 'x' }).collect();
                    let mut out = Vec::new();
                    escape_into(&mut out, &text);
                    assert_eq!(String::from_utf8(out).unwrap(), naive(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn fullwidth_punctuation_stays_around_what_is_escaped() {
        for n in 0..40 {
            for (text, want) in [
                ("！\u{fffe}「ａ」\u{ffff}", "！\u{fffd}「ａ」\u{fffd}"),
                ("＆&，'", "＆&amp;，&#39;"),
                ("\u{ffef}\u{ffbf}", "\u{ffef}\u{ffbf}"),
            ] {
                let text = "，中".repeat(n) + text;
                let mut out = Vec::new();
                escape_into(&mut out, &text);
                assert_eq!(String::from_utf8(out).unwrap(), "，中".repeat(n) + want);
            }
        }
    }

    /// `Svg::lines` as a plain loop: groups in key order, lines in order
    /// within a group, every number and text formatted on its own.
    fn lines_plainly(lines: &[TextLine<'_>]) -> String {
        let mut out = String::new();
        for style in TextStyle::ALL {
            for anchor in [Anchor::Start, Anchor::Middle, Anchor::End] {
                let group: Vec<_> = lines
                    .iter()
                    .filter(|l| l.style == style && l.anchor == anchor)
                    .collect();
                if group.is_empty() {
                    continue;
                }
                out.push_str("<g class=\"s-");
                out.push_str(style.class());
                out.push_str(match anchor {
                    Anchor::Start => "\">\n",
                    Anchor::Middle => "\" text-anchor=\"middle\">\n",
                    Anchor::End => "\" text-anchor=\"end\">\n",
                });
                for l in group.into_iter().filter(|l| !l.text.is_empty()) {
                    let mut text = Vec::new();
                    escape_into(&mut text, l.text.get(""));
                    out.push_str(&format!(
                        "<text x=\"{}\" y=\"{}\">{}</text>\n",
                        num(l.anchor_x()),
                        num(l.y),
                        String::from_utf8(text).unwrap()
                    ));
                }
                out.push_str("</g>\n");
            }
        }
        out
    }

    #[test]
    fn lines_read_as_written_one_by_one() {
        // Enough lines to fill the stack buffer many times over, text
        // from nothing to longer than the buffer, text to escape (marked
        // and not), and numbers far out and negative.
        let long = "word ".repeat(1000);
        let texts: Vec<String> = (0..600)
            .map(|i| match i % 9 {
                0 => String::new(),
                1 => "<b> & \"quoted\" 'text'".to_string(),
                2 => long.clone(),
                3 => "x".repeat(i % 200),
                4 => "中文的一行".repeat(i % 7 + 1),
                _ => format!("Line {i}"),
            })
            // Every length around the pieces a short line's text is
            // copied as (4, 8, 16 and 32 bytes) and the longest short
            // line, in ASCII and not.
            .chain((0..=80).map(|n| "y".repeat(n)))
            .chain((0..=30).map(|n| "é".repeat(n)))
            .collect();
        let lines: Vec<TextLine<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| TextLine {
                x: [12.5, -40.25, 123_456.78, 0.0, 9_999.995][i % 5] + i as f64,
                y: 3.0 * i as f64 - 100.0,
                width: 10.0,
                text: t.as_str().into(),
                style: TextStyle::ALL[i * 7 % TextStyle::ALL.len()],
                anchor: [Anchor::Start, Anchor::Middle, Anchor::End][i % 3],
                plain: !t.bytes().any(escaped_in_xml) && (i % 4 != 0 || i >= 600),
            })
            .collect();
        let mut svg = Svg::new(0, "s");
        svg.lines(&lines, "");
        assert_eq!(svg.finish(), lines_plainly(&lines));
    }
}
