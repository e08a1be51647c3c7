//! The emotion curve: touchpoints in order along x, stage bands behind
//! them, the map's scale along y with its neutral line and labels, and a
//! monotone curve through every rated touchpoint.
//!
//! The curve is a monotone cubic (the slopes of d3's `curveMonotoneX`,
//! after Steffen 1990): it passes exactly through every point and, between
//! two points, never goes above the higher or below the lower one, so it
//! cannot leave the plot. A touchpoint without an emotion breaks it.

use super::labels::Labels;
use super::layout::{Cell, CellRole, Flow, LegendItem, Shape, TextLine, legend};
use super::style::{ShapeStyle, TextStyle};
use super::write::{PIECE, Run, Svg, escape_into, hundredths, is_plain, push_hundredths, push_num};
use super::{grid, push_value, scope_into};
use crate::config::Language;
use crate::model::{Map, Scale};
use std::cmp::Ordering;

/// Outer margin.
pub const MARGIN: f64 = 20.0;
/// Height of the plot for a scale without many labels.
pub const PLOT_MIN_H: f64 = 240.0;
/// Radius of a point.
pub const POINT_R: f64 = 5.5;

/// The scale's area: `max` at `y`, `min` at `y + h`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plot {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub min: f64,
    pub max: f64,
}

impl Plot {
    /// Where `v` (on this plot's scale) is drawn.
    pub fn y_of(&self, v: f64) -> f64 {
        self.y + (self.max - v) / (self.max - self.min) * self.h
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
}

/// A rated touchpoint on the curve.
#[derive(Clone, Debug, PartialEq)]
pub struct Point<'a> {
    pub x: f64,
    pub y: f64,
    /// As written, on its own map's scale.
    pub value: f64,
    /// Position among its map's touchpoints.
    pub index: usize,
    pub name: &'a str,
    pub label: Option<&'a str>,
    pub moment_of_truth: bool,
    pub lowest: bool,
    /// Its name holds nothing that XML escaping changes (found when its
    /// x label was measured): written as it is.
    pub plain_name: bool,
}

/// One unbroken run of the curve: from `start`, cubic Béziers
/// `[c1x, c1y, c2x, c2y, x, y]`, one per pair of neighbouring points.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub start: (f64, f64),
    pub segments: Vec<[f64; 6]>,
}

/// A map's points and curves.
#[derive(Clone, Debug, PartialEq)]
pub struct Series<'a> {
    pub points: Vec<Point<'a>>,
    pub curves: Vec<Curve>,
    /// Indexes of touchpoints without an emotion.
    pub gaps: Vec<usize>,
}

/// The emotion curve as plain data.
#[derive(Clone, Debug)]
pub struct EmotionLayout<'a> {
    pub scope: String,
    pub lang: Language,
    pub width: f64,
    pub height: f64,
    pub title: String,
    pub desc: String,
    /// Nothing in `desc` is changed by XML escaping (see [`describe`]):
    /// it is written as it is.
    pub desc_plain: bool,
    pub plot: Plot,
    /// Values with a tick, and their y.
    pub ticks: Vec<(f64, f64)>,
    pub neutral_y: f64,
    pub primary: Series<'a>,
    /// The compared map, its values brought onto this map's scale.
    pub compare: Option<Series<'a>>,
    /// Every cell but the touchpoints' names under the plot, which
    /// [`Self::cells`] rebuilds from `starts` and `names`: nothing in
    /// the writer reads the cells.
    pub(super) head: Vec<Cell>,
    /// Where the lines of each touchpoint's name start; each ends where
    /// the next starts, the last with `lines`.
    pub(super) starts: Vec<u32>,
    /// Top and bottom of the names' cells.
    names: (f64, f64),
    pub lines: Vec<TextLine<'a>>,
    /// The text the layout made (tags, values), which some lines are
    /// slices of: see [`Self::text`].
    pub made: String,
    /// Under the curves.
    pub shapes: Vec<Shape>,
    /// Over the curves, under the text.
    pub markers: Vec<Shape>,
}

impl<'a> EmotionLayout<'a> {
    /// Every cell, in the order laid: the title, the legend's items, the
    /// stages, the tick labels, the point labels, then the touchpoints'
    /// names.
    pub fn cells(&self) -> Vec<Cell> {
        let n = self.starts.len();
        let (_, col_w) = grid(n);
        let (top, bottom) = self.names;
        let start = |k: usize| self.starts.get(k).map_or(self.lines.len(), |&s| s as usize);
        let mut out = self.head.clone();
        out.extend((0..n).map(|i| Cell {
            x: self.plot.x + f64::from(i as u32) * col_w,
            y: top,
            w: col_w,
            h: bottom - top,
            pad: 6.0,
            lines: start(i)..start(i + 1),
            role: CellRole::XLabel,
        }));
        out
    }

    pub fn lines_of(&self, cell: &Cell) -> &[TextLine<'a>] {
        &self.lines[cell.lines.clone()]
    }

    /// The text of one of this layout's lines.
    pub fn text<'s>(&'s self, line: &TextLine<'a>) -> &'s str {
        line.text.get(&self.made)
    }
}

/// Tick values of a scale: every integer when there are at most 11, else
/// a round step; plus both ends, the neutral value and every labelled
/// value.
pub fn tick_values(scale: &Scale) -> Vec<f64> {
    tick_pairs(scale).into_iter().map(|(v, _)| v).collect()
}

/// [`tick_values`], each with a y to be set: the layout's ticks, made in
/// their own vector rather than copied from another.
fn tick_pairs(scale: &Scale) -> Vec<(f64, f64)> {
    let mut v = Vec::new();
    tick_pairs_into(&mut v, scale);
    v
}

/// [`tick_pairs`] into `v` (a layout's kept vector, emptied).
fn tick_pairs_into(v: &mut Vec<(f64, f64)>, scale: &Scale) {
    let span = scale.max - scale.min;
    let step = if span < 2.0 {
        [0.1, 0.2, 0.25, 0.5, 1.0]
            .into_iter()
            .find(|s| span / s <= 10.0)
            .unwrap_or(1.0)
    } else {
        let mut mag = 1.0;
        loop {
            if let Some(s) = [1.0, 2.0, 5.0]
                .into_iter()
                .map(|m| m * mag)
                .find(|s| span / s <= 10.0)
            {
                break s;
            }
            mag *= 10.0;
        }
    };
    v.reserve(16);
    let mut k = (scale.min / step).ceil();
    while k * step <= scale.max + 1e-9 {
        v.push((k * step, 0.0));
        k += 1.0;
    }
    v.push((scale.min, 0.0));
    v.push((scale.max, 0.0));
    v.push((scale.neutral(), 0.0));
    v.extend(scale.labels.iter().map(|(k, _)| (*k, 0.0)));
    v.retain(|(x, _)| scale.contains(*x) || (x - scale.max).abs() < 1e-9);
    v.sort_by(|a, b| b.0.total_cmp(&a.0));
    v.dedup_by(|a, b| (a.0 - b.0).abs() < 1e-9);
}

/// Bézier segments of a monotone cubic through `pts` (x increasing).
pub fn monotone(pts: &[(f64, f64)]) -> Vec<[f64; 6]> {
    let mut out = Vec::with_capacity(pts.len().saturating_sub(1));
    monotone_into(pts.len(), |i| pts[i], &mut out);
    out
}

/// [`monotone`] through the `n` points `at(0)`, `at(1)`, …, onto `out`,
/// in one pass: each point's tangent is made as its segment is, from the
/// secants on both sides (each made once), rather than all of them kept
/// in a vector first.
fn monotone_into(n: usize, at: impl Fn(usize) -> (f64, f64), out: &mut Vec<[f64; 6]>) {
    if n < 2 {
        return;
    }
    let secant = |p: (f64, f64), q: (f64, f64)| (q.1 - p.1) / (q.0 - p.0);
    // The tangent at the point `b` between `a` and `c`, with the secant
    // `s0` from `a` to `b` and `s1` from `b` to `c`.
    let inner = |a: (f64, f64), b: (f64, f64), c: (f64, f64), s0: f64, s1: f64| {
        let (h0, h1) = (b.0 - a.0, c.0 - b.0);
        let p = (s0 * h1 + s1 * h0) / (h0 + h1);
        (sign(s0) + sign(s1)) * s0.abs().min(s1.abs()).min(0.5 * p.abs())
    };
    let segment = |p0: (f64, f64), p1: (f64, f64), m0: f64, m1: f64| {
        let ((x0, y0), (x1, y1)) = (p0, p1);
        let h = (x1 - x0) / 3.0;
        [x0 + h, y0 + m0 * h, x1 - h, y1 - m1 * h, x1, y1]
    };
    let (mut p0, mut p1) = (at(0), at(1));
    let mut s = secant(p0, p1);
    if n == 2 {
        out.push(segment(p0, p1, s, s));
        return;
    }
    // The tangent at the second point, and from it the first's.
    let mut p2 = at(2);
    let mut s_next = secant(p1, p2);
    let mut m1 = inner(p0, p1, p2, s, s_next);
    let mut m0 = (3.0 * s - m1) / 2.0;
    for i in 0..n - 1 {
        out.push(segment(p0, p1, m0, m1));
        if i + 1 == n - 1 {
            break;
        }
        (p0, p1, s, m0) = (p1, p2, s_next, m1);
        if i + 2 < n - 1 {
            p2 = at(i + 3);
            s_next = secant(p1, p2);
            m1 = inner(p0, p1, p2, s, s_next);
        } else {
            m1 = (3.0 * s - m0) / 2.0;
        }
    }
}

fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Unbroken runs of `(x, y)` of a series (a gap ends a run).
fn curves(points: &[Point<'_>]) -> Vec<Curve> {
    let mut out = Vec::new();
    curves_into(points, &mut out);
    out
}

/// [`curves`] into `out`, whose curves (a layout's before, emptied: see
/// [`super::spare`]) are filled again, their segments' allocations kept:
/// a curve through thirty points is past the sizes the allocator keeps at
/// hand, and allocating and freeing it cost a few hundred instructions.
fn curves_into(points: &[Point<'_>], out: &mut Vec<Curve>) {
    let mut count = 0;
    let mut rest = points;
    while !rest.is_empty() {
        let len = 1 + rest
            .windows(2)
            .take_while(|w| w[1].index == w[0].index + 1)
            .count();
        let (run, next) = rest.split_at(len);
        if len >= 2 {
            let start = (run[0].x, run[0].y);
            match out.get_mut(count) {
                Some(c) => {
                    c.start = start;
                    c.segments.clear();
                    c.segments.reserve(len - 1);
                }
                None => out.push(Curve {
                    start,
                    segments: Vec::with_capacity(len - 1),
                }),
            }
            monotone_into(len, |i| (run[i].x, run[i].y), &mut out[count].segments);
            count += 1;
        }
        rest = next;
    }
    out.truncate(count);
}

/// Lays out the emotion curve of `map`, with `compare` overlaid.
pub fn layout<'a>(map: &'a Map, compare: Option<&'a Map>, lang: Language) -> EmotionLayout<'a> {
    let lb = Labels::get(lang);
    let n: usize = map.stages.iter().map(|s| s.touchpoints.len()).sum();
    let (left_w, col_w) = grid(n);
    let plot_x = MARGIN + left_w;
    let plot_w = n as f64 * col_w;
    let width = plot_x + plot_w + MARGIN;
    let inner_w = width - 2.0 * MARGIN;
    let scale = &map.scale;
    let span = scale.max - scale.min;

    // The points, in one pass over the touchpoints: their x is known now,
    // their y once the plot is placed (below).
    let x_of = |i: usize| plot_x + (f64::from(i as u32) + 0.5) * col_w;
    let kept = super::spare::CurveSpare::take();
    let mut primary = Series {
        points: kept.points,
        curves: kept.curves,
        gaps: Vec::new(),
    };
    primary.points.reserve(n);
    // The lowest point: the first of the lowest value (as `Map::lowest`).
    let mut lowest: Option<usize> = None;
    let mut mots = 0;
    for (i, tp) in map.touchpoints().enumerate() {
        match tp.emotion {
            Some(v) => {
                mots += usize::from(tp.moment_of_truth);
                // As `Map::lowest`: the first of equal values.
                let below = |k: usize| {
                    !matches!(
                        primary.points[k].value.partial_cmp(&v),
                        Some(Ordering::Less | Ordering::Equal)
                    )
                };
                if lowest.is_none_or(below) {
                    lowest = Some(primary.points.len());
                }
                primary.points.push(Point {
                    x: x_of(i),
                    y: 0.0,
                    value: v,
                    index: i,
                    name: &tp.name,
                    label: scale.label(v),
                    moment_of_truth: tp.moment_of_truth,
                    lowest: false,
                    plain_name: false,
                });
            }
            None => primary.gaps.push(i),
        }
    }
    if let Some(k) = lowest {
        primary.points[k].lowest = true;
    }

    let spare = super::spare::Spare::take();
    let mut lines: Vec<TextLine<'a>> = spare.lines;
    lines.reserve(n * 3 + 32);
    let mut made = spare.made;
    made.reserve(256);
    let mut cells = spare.cells;
    cells.reserve(n + map.stages.len() + 24);
    let mut starts = spare.starts;
    starts.reserve(n);
    let mut shapes = spare.shapes;
    shapes.reserve(n + 32);
    // The legend's (at most seven) and the plot's: few, so that their
    // allocation is a small one, which costs a fraction of a large one.
    let mut markers = kept.markers;
    markers.reserve(7 + mots + 1);

    // Title and legend.
    let mut flow = Flow::new(MARGIN + 4.0, inner_w - 8.0, MARGIN, &mut lines, &mut made);
    let first = flow.lines.len();
    flow.text(&map.title, TextStyle::Title, 0.0);
    // Whether the author's texts in the `<desc>` (see [`describe`]) are
    // plain, found as they are laid: the title, the stages' names and
    // the touchpoints'.
    let mut desc_plain = laid_plain(&flow.lines[first..], &map.title);
    let mut sub = flow.tag();
    sub.push_str(lb.emotion_curve);
    sub.push_str(lb.sep);
    sub.push_str(lb.scale_word);
    sub.push_str(lb.colon);
    push_value(sub.string(), scale.min);
    sub.push_str(lb.to);
    push_value(sub.string(), scale.max);
    if let Some(c) = compare {
        sub.push_str(lb.sep);
        sub.push_str(lb.compared_with);
        sub.push(' ');
        sub.push_str(&c.title);
    }
    flow.flush(TextStyle::Subtitle, 0.0);
    cells.push(Cell {
        x: MARGIN,
        y: MARGIN,
        w: inner_w,
        h: flow.y - MARGIN,
        pad: 4.0,
        lines: first..flow.lines.len(),
        role: CellRole::Title,
    });
    let y = flow.y + 8.0;
    let marks = (mots > 0, lowest.is_some(), !primary.gaps.is_empty());
    let items = legend_items(map, compare, marks, lb);
    let band_top = legend(
        items.into_iter().flatten(),
        (MARGIN + 4.0, y, inner_w - 8.0),
        flow.lines,
        &mut cells,
        &mut markers,
    ) + 14.0;

    // Stage names on top of their bands.
    let stage_cells = cells.len();
    let mut names_h: f64 = 0.0;
    let mut col = 0;
    for stage in &map.stages {
        let k = stage.touchpoints.len();
        let x0 = plot_x + col as f64 * col_w;
        col += k;
        flow.x = x0 + 10.0;
        flow.w = k as f64 * col_w - 20.0;
        flow.y = band_top + 10.0;
        let first = flow.lines.len();
        flow.text(&stage.name, TextStyle::Stage, 0.0);
        desc_plain &= laid_plain(&flow.lines[first..], &stage.name);
        names_h = names_h.max(flow.y - band_top + 6.0);
        cells.push(Cell {
            x: x0,
            y: band_top,
            w: k as f64 * col_w,
            h: 0.0,
            pad: 10.0,
            lines: first..flow.lines.len(),
            role: CellRole::Stage,
        });
    }
    for c in &mut cells[stage_cells..] {
        c.h = names_h;
    }

    // Tick labels, laid out at y = 0 and moved once the plot is placed:
    // their cells (the next ones) keep their lines and height meanwhile.
    let mut ticks = kept.ticks;
    tick_pairs_into(&mut ticks, scale);
    let axis = TextStyle::Axis;
    let label_w = left_w - 18.0;
    let tick_cells = cells.len();
    for &(v, _) in &ticks {
        let first = flow.lines.len();
        flow.x = MARGIN + 4.0;
        flow.w = label_w;
        flow.y = 0.0;
        push_value(flow.tag().string(), v);
        flow.flush_end(axis);
        let text = scale.label(v).or(if (v - scale.neutral()).abs() < 1e-9 {
            Some(lb.neutral)
        } else {
            None
        });
        if let Some(t) = text {
            flow.text_end(t, TextStyle::AxisLabel);
        }
        cells.push(Cell {
            x: MARGIN,
            y: 0.0,
            w: left_w - 10.0,
            h: flow.y,
            pad: 4.0,
            lines: first..flow.lines.len(),
            role: CellRole::AxisLabel,
        });
    }
    let half = axis.line_height() / 2.0;

    // Vertical scale: roomy enough that tick labels never overlap.
    let mut ppu = PLOT_MIN_H / span;
    for (pair, c) in ticks.windows(2).zip(&cells[tick_cells..]) {
        let need = c.h + 4.0;
        ppu = ppu.max(need / (pair[0].0 - pair[1].0));
    }
    let plot_h = ppu * span;

    // Room above and below the plot for the point labels. Each label is
    // the same text in the same width wherever it goes: measured once.
    let mark_w = col_w - 10.0;
    let mut mot_h = None;
    let mut low_h = None;
    let mut above: f64 = 14.0;
    let mut below: f64 = 14.0;
    for p in &primary.points {
        let v = p.value;
        let from_top = (scale.max - v) * ppu;
        let from_bottom = (v - scale.min) * ppu;
        if p.moment_of_truth {
            let h = *mot_h.get_or_insert_with(|| {
                block_height(lb.moment_of_truth, TextStyle::MotLabel, mark_w)
            });
            above = above.max(h + 16.0 - from_top);
        }
        if p.lowest {
            let h = *low_h
                .get_or_insert_with(|| block_height(lb.lowest_point, TextStyle::LowLabel, mark_w));
            below = below.max(h + 28.0 - from_bottom);
        }
    }
    let plot = Plot {
        x: plot_x,
        y: band_top + names_h + above,
        w: plot_w,
        h: plot_h,
        min: scale.min,
        max: scale.max,
    };
    for p in &mut primary.points {
        p.y = plot.y_of(p.value);
    }

    // Tick labels in place.
    let mut axis_bottom: f64 = 0.0;
    for ((v, y), c) in ticks.iter_mut().zip(&mut cells[tick_cells..]) {
        *y = plot.y_of(*v);
        let top = *y - half;
        for l in &mut flow.lines[c.lines.clone()] {
            l.y += top;
        }
        axis_bottom = axis_bottom.max(top + c.h);
        c.y = top;
    }

    curves_into(&primary.points, &mut primary.curves);
    let compare_map = compare;
    let mut compare = compare.map(|c| compare_series(map, c, &plot, col_w));

    // Marker labels: a moment of truth's above its point, the lowest
    // point's below.
    let mut label = |p: &Point<'_>, text: &'static str, style: TextStyle, top: f64, h: f64| {
        flow.x = p.x - mark_w / 2.0;
        flow.w = mark_w;
        flow.y = top;
        let first = flow.lines.len();
        flow.centred(text, style);
        cells.push(Cell {
            x: p.x - col_w / 2.0,
            y: top,
            w: col_w,
            h,
            pad: 5.0,
            lines: first..flow.lines.len(),
            role: CellRole::PointLabel,
        });
    };
    for p in &primary.points {
        if p.moment_of_truth
            && let Some(h) = mot_h
        {
            label(
                p,
                lb.moment_of_truth,
                TextStyle::MotLabel,
                p.y - 14.0 - h,
                h,
            );
        }
        if p.lowest
            && let Some(h) = low_h
        {
            label(p, lb.lowest_point, TextStyle::LowLabel, p.y + 26.0, h);
        }
    }

    // Touchpoint names under the plot.
    let names_top = plot.bottom() + below + 4.0;
    let mut names_bottom = names_top;
    // Every rated touchpoint has its point, in the same order.
    let mut points = primary.points.iter_mut();
    for (i, tp) in map.touchpoints().enumerate() {
        let x0 = plot.x + f64::from(i as u32) * col_w;
        flow.x = x0 + 6.0;
        flow.w = col_w - 12.0;
        flow.y = names_top + 6.0;
        let first = flow.lines.len();
        starts.push(first as u32);
        flow.centred(&tp.name, TextStyle::XLabel);
        let plain = laid_plain(&flow.lines[first..], &tp.name);
        desc_plain &= plain;
        if tp.emotion.is_none() {
            flow.centred(lb.not_rated, TextStyle::XNote);
        } else if let Some(p) = points.next() {
            p.plain_name = plain;
        }
        names_bottom = names_bottom.max(flow.y + 6.0);
    }
    // A compared touchpoint named as this map's in its place is as plain:
    // a compared map is most often this journey in another state.
    if let Some(c) = &mut compare {
        let mut mine = primary.points.iter().peekable();
        for q in &mut c.points {
            while mine.next_if(|p| p.index < q.index).is_some() {}
            q.plain_name = mine
                .peek()
                .is_some_and(|p| p.index == q.index && p.plain_name && p.name == q.name);
        }
    }
    let band_bottom = names_bottom + 4.0;
    let height = band_bottom.max(axis_bottom) + MARGIN;

    // Bands, grid, neutral line, gaps.
    let mut col = 0;
    for (si, stage) in map.stages.iter().enumerate() {
        let k = stage.touchpoints.len();
        let x0 = plot.x + col as f64 * col_w;
        col += k;
        shapes.push(Shape::Rect {
            x: x0,
            y: band_top,
            w: k as f64 * col_w,
            h: band_bottom - band_top,
            rx: 0.0,
            style: ShapeStyle::StageFill((si % 6) as u8),
        });
        shapes.push(Shape::Rect {
            x: x0,
            y: band_top,
            w: k as f64 * col_w,
            h: 4.0,
            rx: 0.0,
            style: ShapeStyle::StageBar((si % 6) as u8),
        });
        if si > 0 {
            shapes.push(Shape::Line {
                x1: x0,
                y1: band_top,
                x2: x0,
                y2: band_bottom,
                style: ShapeStyle::Grid,
            });
        }
    }
    let neutral_y = plot.y_of(scale.neutral());
    for &(v, y) in &ticks {
        if (v - scale.neutral()).abs() > 1e-9 {
            shapes.push(Shape::Line {
                x1: plot.x,
                y1: y,
                x2: plot.right(),
                y2: y,
                style: ShapeStyle::PlotGrid,
            });
        }
        shapes.push(Shape::Line {
            x1: plot.x - 6.0,
            y1: y,
            x2: plot.x,
            y2: y,
            style: ShapeStyle::Axis,
        });
    }
    shapes.push(Shape::Line {
        x1: plot.x,
        y1: plot.y,
        x2: plot.x,
        y2: plot.bottom(),
        style: ShapeStyle::Axis,
    });
    shapes.push(Shape::Line {
        x1: plot.x,
        y1: neutral_y,
        x2: plot.right(),
        y2: neutral_y,
        style: ShapeStyle::NeutralLine,
    });
    for &i in &primary.gaps {
        shapes.push(Shape::Line {
            x1: x_of(i),
            y1: plot.y,
            x2: x_of(i),
            y2: plot.bottom(),
            style: ShapeStyle::GapLine,
        });
    }

    // Markers of moments of truth and the lowest point, under the points.
    for p in &primary.points {
        if p.moment_of_truth {
            markers.push(Shape::Diamond {
                cx: p.x,
                cy: p.y,
                r: 11.0,
                style: ShapeStyle::MotMarker,
            });
        }
        if p.lowest {
            markers.push(Shape::TriangleDown {
                cx: p.x,
                cy: p.y + 16.0,
                r: 7.0,
                style: ShapeStyle::LowMarker,
            });
        }
    }

    let (mut title, mut desc, mut scope) = (kept.title, kept.desc, kept.scope);
    title.reserve(map.title.len() + 5 + lb.emotion_curve.len());
    title.push_str(&map.title);
    title.push_str(" — ");
    title.push_str(lb.emotion_curve);
    scope_into(&mut scope, &map.id, 'e');
    let desc_plain = describe(
        &mut desc,
        map,
        &primary,
        compare_map.zip(compare.as_ref()),
        lb,
        desc_plain,
    );
    EmotionLayout {
        scope,
        lang,
        width,
        height,
        title,
        desc,
        desc_plain,
        plot,
        ticks,
        neutral_y,
        primary,
        compare,
        head: cells,
        starts,
        names: (names_top, names_bottom),
        lines,
        made,
        shapes,
        markers,
    }
}

/// Whether `s`, laid as `lines`, is plain (XML escaping leaves it as it
/// is). Its lines are plain when the text between its surrounding
/// whitespace is: `s` is if it has none, as when its one line is all of
/// it, or when it starts and ends with a visible ASCII character (a text
/// with surrounding whitespace, or wrapped and not so bounded, counts as
/// one to escape).
fn laid_plain(lines: &[TextLine<'_>], s: &str) -> bool {
    let bounded = |s: &[u8]| {
        let graphic = |b: &u8| (0x21..0x7f).contains(b);
        s.first().is_some_and(graphic) && s.last().is_some_and(graphic)
    };
    match lines {
        [l] => l.plain && l.text.len() == s.len(),
        [l, ..] => l.plain && bounded(s.as_bytes()),
        [] => false,
    }
}

/// Height of `text` wrapped to `w` in `style` (`scratch` is for the
/// lines).
fn block_height(text: &str, style: TextStyle, w: f64) -> f64 {
    /// Counts lines without keeping them.
    struct Count(usize);
    impl crate::text::LineSink for Count {
        fn line(&mut self, _: crate::text::Line) {
            self.0 += 1;
        }
    }
    let mut n = Count(0);
    let _ = crate::text::wrap_into(text, style.font(), w, &mut n);
    n.0 as f64 * style.line_height()
}

/// The legend: the map's curve, the compared map's, and the markers and
/// gaps the plot shows (`marks`: whether it shows moments of truth, the
/// lowest point and gaps).
fn legend_items<'a>(
    map: &'a Map,
    compare: Option<&'a Map>,
    (mot, lowest, gaps): (bool, bool, bool),
    lb: &'static Labels,
) -> [Option<LegendItem<'a>>; 5] {
    const CURVE: &[Shape] = &[
        Shape::Line {
            x1: -11.0,
            y1: 0.0,
            x2: 11.0,
            y2: 0.0,
            style: ShapeStyle::LegendCurve,
        },
        Shape::Circle {
            cx: 0.0,
            cy: 0.0,
            r: POINT_R,
            style: ShapeStyle::PointNeutral,
        },
    ];
    const COMPARED: &[Shape] = &[
        Shape::Line {
            x1: -11.0,
            y1: 0.0,
            x2: 11.0,
            y2: 0.0,
            style: ShapeStyle::LegendCompare,
        },
        Shape::Square {
            cx: 0.0,
            cy: 0.0,
            r: 4.5,
            style: ShapeStyle::ComparePoint,
        },
    ];
    const MOT: &[Shape] = &[Shape::Diamond {
        cx: 0.0,
        cy: 0.0,
        r: 8.0,
        style: ShapeStyle::MotMarker,
    }];
    const LOWEST: &[Shape] = &[Shape::TriangleDown {
        cx: 0.0,
        cy: -1.0,
        r: 7.0,
        style: ShapeStyle::LowMarker,
    }];
    const GAP: &[Shape] = &[Shape::Line {
        x1: 0.0,
        y1: -8.0,
        x2: 0.0,
        y2: 8.0,
        style: ShapeStyle::GapLine,
    }];
    [
        Some((CURVE, map.title.as_str())),
        compare.map(|c| (COMPARED, c.title.as_str())),
        mot.then_some((MOT, lb.moment_of_truth)),
        lowest.then_some((LOWEST, lb.lowest_point)),
        gaps.then_some((GAP, lb.not_rated)),
    ]
}

/// The compared map's points. Its values are brought onto the primary
/// map's scale when the two differ. When every stage of the compared map
/// has a stage of the same name here, in the same order, its touchpoints
/// are spread over that stage's band; otherwise over the whole plot.
fn compare_series<'a>(map: &Map, c: &'a Map, plot: &Plot, col_w: f64) -> Series<'a> {
    let m = c.touchpoints().count();
    let mut xs = Vec::with_capacity(m);
    let mut bands = Vec::with_capacity(map.stages.len());
    let mut col = 0;
    for s in &map.stages {
        bands.push((s.name.as_str(), col, s.touchpoints.len()));
        col += s.touchpoints.len();
    }
    for s in &c.stages {
        let Some(&(_, start, k)) = bands.iter().find(|b| b.0 == s.name) else {
            xs.clear();
            break;
        };
        let x0 = plot.x + start as f64 * col_w;
        let w = k as f64 * col_w;
        let j = s.touchpoints.len() as f64;
        for t in 0..s.touchpoints.len() {
            xs.push(x0 + (t as f64 + 0.5) / j * w);
        }
    }
    if xs.len() != m || xs.windows(2).any(|w| w[1] <= w[0]) {
        xs = (0..m)
            .map(|j| plot.x + (j as f64 + 0.5) / m as f64 * plot.w)
            .collect();
    }
    let (a, b) = (&c.scale, plot);
    let same = (a.min - b.min).abs() < 1e-12 && (a.max - b.max).abs() < 1e-12;
    let to_plot = |v: f64| {
        if same {
            v
        } else {
            b.min + (v - a.min) / (a.max - a.min) * (b.max - b.min)
        }
    };
    let mut s = Series {
        points: Vec::with_capacity(m),
        curves: Vec::new(),
        gaps: Vec::new(),
    };
    for (i, tp) in c.touchpoints().enumerate() {
        match tp.emotion {
            Some(v) => s.points.push(Point {
                x: xs[i],
                y: plot.y_of(to_plot(v)),
                value: v,
                index: i,
                name: &tp.name,
                label: c.scale.label(v),
                moment_of_truth: tp.moment_of_truth,
                lowest: false,
                plain_name: false,
            }),
            None => s.gaps.push(i),
        }
    }
    s.curves = curves(&s.points);
    s
}

/// The `<desc>`: the scale, then every touchpoint's emotion in order;
/// and whether XML escaping changes nothing in it, so that the writer
/// copies it as it is rather than escaping a kilobyte or two.
///
/// Written piece by piece with `push_str` (the `format!` machinery costs
/// several times more per piece), the values and labels taken from the
/// series already laid out rather than looked up again. Whether it is
/// plain is found from its pieces: the labels are (a test holds them to
/// it), numbers are, `map`'s title and the names of its stages and
/// touchpoints are when `laid_plain` (found as they were laid out); the
/// scale's labels and the compared map's texts are looked at, which
/// costs a fraction of escaping the whole.
fn describe(
    d: &mut String,
    map: &Map,
    primary: &Series<'_>,
    compare: Option<(&Map, &Series<'_>)>,
    lb: &Labels,
    laid_plain: bool,
) -> bool {
    d.reserve(
        desc_size(map, lb) + compare.map_or(0, |(c, _)| desc_size(c, lb) + c.title.len() + 16),
    );
    d.push_str(lb.emotion_curve);
    d.push_str(lb.colon);
    d.push_str(&map.title);
    let mut plain = laid_plain;
    d.push_str(lb.sep);
    d.push_str(lb.scale_word);
    d.push_str(lb.colon);
    push_value(d, map.scale.min);
    d.push_str(lb.to);
    push_value(d, map.scale.max);
    plain &= list_emotions::<false>(d, map, primary, lb);
    if let Some(p) = primary.points.iter().find(|p| p.lowest) {
        d.push_str(". ");
        d.push_str(lb.lowest_point);
        d.push_str(lb.colon);
        d.push_str(p.name);
    }
    let mut mots = map.touchpoints().filter(|t| t.moment_of_truth);
    if let Some(first) = mots.next() {
        d.push_str(". ");
        d.push_str(lb.moment_of_truth);
        d.push_str(lb.colon);
        d.push_str(&first.name);
        for t in mots {
            d.push_str(", ");
            d.push_str(&t.name);
        }
    }
    if let Some((c, s)) = compare {
        d.push_str(". ");
        d.push_str(lb.compared_with);
        d.push(' ');
        d.push_str(&c.title);
        plain &= is_plain(&c.title);
        plain &= list_emotions::<true>(d, c, s, lb);
    }
    plain
}

/// About how long [`describe`] makes the part of `map`, a little more
/// rather than less (growing the string copies it).
fn desc_size(map: &Map, lb: &Labels) -> usize {
    let label = map
        .scale
        .labels
        .iter()
        .map(|(_, l)| l.len())
        .max()
        .unwrap_or(0);
    // A value, its label in parentheses or "not rated", and ", ".
    let per_tp = 12 + (label + 3).max(lb.not_rated.len());
    let stages: usize = map
        .stages
        .iter()
        .map(|s| {
            s.name.len()
                + 2
                + lb.colon.len()
                + s.touchpoints
                    .iter()
                    .map(|t| 2 * t.name.len() + per_tp)
                    .sum::<usize>()
        })
        .sum();
    128 + 2 * map.title.len() + stages
}

/// `. stage: name value (label), …` for every stage of `map`; `series` is
/// `map`'s, its points in touchpoint order. Whether the labels it wrote
/// are plain, and when `LOOK` the names too (see [`describe`]).
#[inline(never)]
fn list_emotions<const LOOK: bool>(
    d: &mut String,
    map: &Map,
    series: &Series<'_>,
    lb: &Labels,
) -> bool {
    let mut texts = ValueTexts {
        known: [(0, 0, 0); 12],
        len: 0,
        plain: true,
    };
    let mut plain = true;
    let mut points = series.points.iter();
    for s in &map.stages {
        d.push_str(". ");
        d.push_str(&s.name);
        if LOOK {
            plain &= is_plain(&s.name);
        }
        d.push_str(lb.colon);
        for (i, t) in s.touchpoints.iter().enumerate() {
            if i > 0 {
                d.push_str(", ");
            }
            d.push_str(&t.name);
            // Every rated touchpoint has its point, in the same order.
            match t.emotion.and_then(|_| points.next()) {
                Some(p) => {
                    if LOOK {
                        plain &= p.plain_name || is_plain(&t.name);
                    }
                    texts.push(d, p);
                }
                None => {
                    if LOOK {
                        plain &= is_plain(&t.name);
                    }
                    d.push(' ');
                    d.push_str(lb.not_rated);
                }
            }
        }
    }
    plain && texts.plain
}

/// The text of a point's value in the `<desc>`, ` 4.5 (label)`, made
/// once per value and copied after: a map rates its touchpoints with the
/// few values of its scale, and copying a text costs a fraction of making
/// it.
struct ValueTexts {
    /// The bits of a value and where its text is in the `<desc>`.
    known: [(u64, u32, u32); 12],
    len: usize,
    /// Whether every text made is plain (see [`describe`]).
    plain: bool,
}

impl ValueTexts {
    #[inline(always)]
    fn push(&mut self, d: &mut String, p: &Point<'_>) {
        let key = p.value.to_bits();
        if let Some(&(_, a, b)) = self.known[..self.len].iter().find(|k| k.0 == key) {
            d.extend_from_within(a as usize..b as usize);
            return;
        }
        let start = d.len();
        d.push(' ');
        push_value(d, p.value);
        if let Some(l) = p.label {
            d.push_str(" (");
            d.push_str(l);
            d.push(')');
            self.plain &= is_plain(l);
        }
        if self.len < self.known.len()
            && let (Ok(a), Ok(b)) = (u32::try_from(start), u32::try_from(d.len()))
        {
            self.known[self.len] = (key, a, b);
            self.len += 1;
        }
    }
}

/// Writes the laid-out curve as SVG.
pub fn write(l: &EmotionLayout<'_>) -> String {
    write_as::<false>(l)
}

/// [`write`], its curves and points written piece by piece when
/// `PLAINLY`: the plain way, which the tests hold the other to.
fn write_as<const PLAINLY: bool>(l: &EmotionLayout<'_>) -> String {
    let points = l.primary.points.len() + l.compare.as_ref().map_or(0, |c| c.points.len());
    let segments: usize = [Some(&l.primary), l.compare.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(|s| &s.curves)
        .map(|c| c.segments.len())
        .sum();
    // A point is a circle with a title of its name; a segment six numbers.
    let cap = Svg::size_hint(
        &l.title,
        &l.desc,
        &l.lines,
        l.shapes.len() + l.markers.len(),
    ) + points * 120
        + segments * 48;
    let mut svg = Svg::new(cap, &l.scope);
    let desc_plain = l.desc_plain && !PLAINLY;
    svg.open_as(l.width, l.height, l.lang, &l.title, &l.desc, desc_plain);
    svg.shapes(&l.shapes);
    if PLAINLY {
        if let Some(c) = &l.compare {
            write_curves::<false>(&mut svg, c, ShapeStyle::CompareCurve);
            write_curves::<false>(&mut svg, &l.primary, ShapeStyle::Curve);
        } else {
            write_curves::<true>(&mut svg, &l.primary, ShapeStyle::Curve);
        }
    } else {
        let mut run = svg.run();
        if let Some(c) = &l.compare {
            curves_in::<false>(&mut run, c, ShapeStyle::CompareCurve);
            curves_in::<false>(&mut run, &l.primary, ShapeStyle::Curve);
        } else {
            curves_in::<true>(&mut run, &l.primary, ShapeStyle::Curve);
        }
        run.finish();
    }
    svg.shapes(&l.markers);
    if PLAINLY {
        each_point(l, |p, square, k, parts| {
            point(&mut svg, p, square, k, parts)
        });
    } else {
        let mut run = svg.run();
        each_point(l, |p, square, k, parts| {
            point_in(&mut run, p, square, k, parts)
        });
        run.finish();
    }
    svg.lines(&l.lines, &l.made);
    svg.close();
    svg.finish()
}

/// Calls `each` for every point, the compared map's first, with whether
/// it is a square, the head it opens with and the parts of its series.
#[inline(always)]
fn each_point(
    l: &EmotionLayout<'_>,
    mut each: impl FnMut(&Point<'_>, bool, usize, &mut PointParts),
) {
    if let Some(c) = &l.compare {
        let mut parts = PointParts::new(&l.scope, &[ShapeStyle::ComparePoint], true);
        for p in &c.points {
            each(p, true, 0, &mut parts);
        }
    }
    let neutral = l.neutral_y;
    let styles = [
        ShapeStyle::PointPos,
        ShapeStyle::PointNeg,
        ShapeStyle::PointNeutral,
    ];
    let mut parts = PointParts::new(&l.scope, &styles, false);
    for p in &l.primary.points {
        let k = if p.y < neutral - 1e-9 {
            0
        } else if p.y > neutral + 1e-9 {
            1
        } else {
            2
        };
        each(p, false, k, &mut parts);
    }
}

/// The curves of a series as paths. Their control points' y are written
/// with the memo (a flat tangent puts them on a point's y, which the
/// scale's few values make common). Their x are a third of the way
/// between two points, and come again only on the curve of a compared map
/// whose points fall on this one's (stages of the same names and sizes):
/// for a `LONE` curve, drawn without another, they are written without
/// looking them up or remembering them. Each segment is written into one
/// window of the chunk (see [`Run::curve`]).
#[inline(never)]
fn curves_in<const LONE: bool>(run: &mut Run<'_, '_>, s: &Series<'_>, style: ShapeStyle) {
    for c in &s.curves {
        run.curve::<LONE>(style.class(), c.start, &c.segments);
    }
}

/// [`curves_in`] piece by piece: the plain way, which the tests hold it
/// to.
fn write_curves<const LONE: bool>(svg: &mut Svg<'_>, s: &Series<'_>, style: ShapeStyle) {
    for c in &s.curves {
        svg.raw("<path");
        svg.class(style.class());
        svg.raw(" d=\"M");
        svg.num(c.start.0);
        svg.raw(",");
        svg.num(c.start.1);
        for &[c1x, c1y, c2x, c2y, x, y] in &c.segments {
            svg.raw("C");
            if LONE {
                svg.fresh(c1x);
            } else {
                svg.num(c1x);
            }
            svg.raw(",");
            svg.num(c1y);
            svg.raw(" ");
            if LONE {
                svg.fresh(c2x);
            } else {
                svg.num(c2x);
            }
            svg.raw(",");
            svg.num(c2y);
            svg.raw(" ");
            svg.num(x);
            svg.raw(",");
            svg.num(y);
        }
        svg.raw("\"/>\n");
    }
}

/// A point with its name and value as a tooltip: a square for the
/// compared map, else a circle, opening with head `k` of `parts`. What
/// follows its x is taken from `parts` too, and only its x and its name
/// are written for it alone. A circle's x is written with the memo, which
/// has it from the end of a segment of the curve through it, written just
/// before; a square's is its x less its half-size, which nothing else
/// writes. Its name is copied as it is when its x label found it plain,
/// rather than looked at again. Written into one window of the chunk
/// (see [`Run::point`]).
fn point_in(run: &mut Run<'_, '_>, p: &Point<'_>, square: bool, k: usize, parts: &mut PointParts) {
    let (mid, tail) = parts.get(p, square);
    let head = parts.heads[k]..parts.heads[k + 1];
    let x = if square { p.x - 4.5 } else { p.x };
    let pieces = [head, mid..tail.start, tail];
    run.point(&parts.text, pieces, x, square, p.name, p.plain_name);
}

/// [`point_in`] piece by piece: the plain way, which the tests hold it
/// to.
fn point(svg: &mut Svg<'_>, p: &Point<'_>, square: bool, k: usize, parts: &mut PointParts) {
    let (mid, tail) = parts.get(p, square);
    svg.escaped(&parts.text[parts.heads[k]..parts.heads[k + 1]]);
    if square {
        svg.fresh(p.x - 4.5);
    } else {
        svg.num(p.x);
    }
    svg.escaped(&parts.text[mid..tail.start]);
    if p.plain_name {
        svg.escaped(p.name.as_bytes());
    } else {
        svg.text(p.name);
    }
    svg.escaped(&parts.text[tail]);
}

/// The markup of a series' points but for their numbers and names, in
/// one allocation: the heads, each point's opening up to its x, one per
/// style; and the texts between a point's x and its name (its y, its size
/// and the opening of its title) and after its name (its value, its label
/// and the closing tags), made once per value and y and copied after: a
/// map rates its touchpoints with the few values of its scale, and
/// copying the two texts costs a fraction of making them (a number, the
/// label escaped).
struct PointParts {
    /// The bits of a value and its y, and where its two texts start and
    /// end in `text`.
    known: [(u64, u64, usize, usize, usize); 12],
    len: usize,
    /// Where the heads start in `text`, and where the last ends.
    heads: [usize; 4],
    /// Where the heads end and the other texts start in `text`.
    base: usize,
    /// The texts, up to `end`, and [`PIECE`] bytes past it (of no
    /// matter), so that each piece can be read as one of that length
    /// (see [`Run::point`]).
    text: Vec<u8>,
    end: usize,
}

impl PointParts {
    /// With the heads of `styles` (at most three) in the diagram `scope`.
    fn new(scope: &str, styles: &[ShapeStyle], square: bool) -> Self {
        // Room for the heads and the texts of the values of most scales
        // (some forty bytes a value, and its label); grown if need be.
        // More room did worse (a larger allocation costs more).
        let mut text = Vec::with_capacity(640);
        let mut heads = [0; 4];
        for (k, style) in styles.iter().take(3).enumerate() {
            text.extend_from_slice(if square { b"<rect" } else { b"<circle" });
            text.extend_from_slice(b" class=\"");
            text.extend_from_slice(scope.as_bytes());
            text.push(b'-');
            text.extend_from_slice(style.class().as_bytes());
            text.extend_from_slice(if square { b"\" x=\"" } else { b"\" cx=\"" });
            heads[k + 1] = text.len();
        }
        let base = text.len();
        text.extend_from_slice(&[0; PIECE]);
        PointParts {
            known: [(0, 0, 0, 0, 0); 12],
            len: 0,
            heads,
            base,
            text,
            end: base,
        }
    }

    /// Where `p`'s two texts are in `text`: the one after its x starts at
    /// the first, the one after its name is the range.
    fn get(&mut self, p: &Point<'_>, square: bool) -> (usize, std::ops::Range<usize>) {
        let key = (p.value.to_bits(), p.y.to_bits());
        if let Some(&(_, _, a, b, c)) = self.known[..self.len].iter().find(|k| (k.0, k.1) == key) {
            return (a, b..c);
        }
        if self.len == self.known.len() {
            // Many values: made anew from here on.
            self.len = 0;
            self.end = self.base;
        }
        let t = &mut self.text;
        t.truncate(self.end);
        let a = t.len();
        if square {
            t.extend_from_slice(b"\" y=\"");
            push_hundredths(t, hundredths(p.y - 4.5));
            t.extend_from_slice(b"\" width=\"9\" height=\"9\"><title>");
        } else {
            t.extend_from_slice(b"\" cy=\"");
            push_hundredths(t, hundredths(p.y));
            t.extend_from_slice(POINT_TAIL.as_bytes());
        }
        let b = t.len();
        // As `Svg::num` writes it, a negative value with its sign.
        t.extend_from_slice(b": ");
        push_hundredths(t, hundredths(p.value));
        if let Some(l) = p.label {
            t.extend_from_slice(b" (");
            escape_into(t, l);
            t.push(b')');
        }
        t.extend_from_slice(if square {
            b"</title></rect>\n"
        } else {
            b"</title></circle>\n"
        });
        let c = t.len();
        t.extend_from_slice(&[0; PIECE]);
        self.end = c;
        self.known[self.len] = (key.0, key.1, a, b, c);
        self.len += 1;
        (a, b..c)
    }
}

/// What follows a circle's `cy`: its radius, [`POINT_R`] (a test holds
/// the two together), and the opening of its title.
const POINT_TAIL: &str = "\" r=\"5.5\"><title>";

/// The card curve: 200 × 50, no text, no ids.
pub fn sparkline(map: &Map) -> String {
    const W: f64 = 200.0;
    const H: f64 = 50.0;
    const P: f64 = 5.0;
    let n = map.touchpoints().count().max(1);
    let plot = Plot {
        x: P,
        y: P,
        w: W - 2.0 * P,
        h: H - 2.0 * P,
        min: map.scale.min,
        max: map.scale.max,
    };
    let lowest = map.lowest().map(|t| t as *const _);
    let points: Vec<Point<'_>> = map
        .touchpoints()
        .enumerate()
        .filter_map(|(i, t)| {
            t.emotion.map(|v| Point {
                x: plot.x + (i as f64 + 0.5) / n as f64 * plot.w,
                y: plot.y_of(v),
                value: v,
                index: i,
                name: &t.name,
                label: None,
                moment_of_truth: t.moment_of_truth,
                lowest: lowest == Some(t as *const _),
                plain_name: false,
            })
        })
        .collect();
    let mut out = String::with_capacity(600 + points.len() * 60);
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 50\" width=\"200\" height=\"50\" aria-hidden=\"true\" focusable=\"false\">");
    let ny = plot.y_of(map.scale.neutral());
    out.push_str("<line x1=\"5\" x2=\"195\" y1=\"");
    push_num(&mut out, ny);
    out.push_str("\" y2=\"");
    push_num(&mut out, ny);
    out.push_str("\" stroke=\"#9ca3af\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>");
    for c in curves(&points) {
        out.push_str("<path fill=\"none\" stroke=\"#2563eb\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" d=\"M");
        push_num(&mut out, c.start.0);
        out.push(',');
        push_num(&mut out, c.start.1);
        for seg in &c.segments {
            out.push('C');
            for (k, v) in seg.iter().enumerate() {
                if k > 0 {
                    out.push(if k % 2 == 1 { ',' } else { ' ' });
                }
                push_num(&mut out, *v);
            }
        }
        out.push_str("\"/>");
    }
    for (i, p) in points.iter().enumerate() {
        let alone = (i == 0 || points[i - 1].index + 1 != p.index)
            && points.get(i + 1).is_none_or(|q| q.index != p.index + 1);
        if !(alone || p.lowest) {
            continue;
        }
        out.push_str("<circle cx=\"");
        push_num(&mut out, p.x);
        out.push_str("\" cy=\"");
        push_num(&mut out, p.y);
        out.push_str(if p.lowest {
            "\" r=\"3\" fill=\"#dc2626\"/>"
        } else {
            "\" r=\"2.5\" fill=\"#2563eb\"/>"
        });
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Stage, Touchpoint};
    use proptest::prelude::*;

    /// A map of one stage whose touchpoints have these names and, every
    /// third one but the first, no emotion.
    fn map_of(names: &[String]) -> Map {
        let touchpoints = names
            .iter()
            .enumerate()
            .map(|(i, name)| Touchpoint {
                emotion: (i % 3 != 2).then_some((i % 5) as f64 - 2.0),
                ..Touchpoint::named(name, format!("tp-{i}"))
            })
            .collect();
        Map::of_one_stage("names", touchpoints)
    }

    /// Pieces of names: words short and long, spaces and breaks, markup,
    /// controls, CJK, and U+FFFE.
    const PIECES: [&str; 14] = [
        "Sign",
        " ",
        "up",
        "<b>",
        "&",
        "'",
        "\"",
        "\u{b}",
        "\t",
        "\n",
        "瀏覽網站",
        "Supercalifragilisticexpialidocious",
        "\u{fffe}",
        "·",
    ];

    proptest! {
        /// A name copied as plain is written as the escaping writes it.
        #[test]
        fn plain_names_are_written_as_escaped_ones(
            names in proptest::collection::vec(proptest::collection::vec(0..PIECES.len(), 1..8), 1..8),
        ) {
            let names: Vec<String> = names
                .iter()
                .map(|n| n.iter().map(|&k| PIECES[k]).collect())
                .collect();
            let m = map_of(&names);
            // Compared: every other name as here, the others another's.
            let others: Vec<String> = (0..names.len())
                .map(|i| names[if i % 2 == 0 { i } else { (i + 1) % names.len() }].clone())
                .collect();
            let c = map_of(&others);
            for compare in [None, Some(&c)] {
                let l = layout(&m, compare, Language::En);
                let mut general = l.clone();
                let compared = general.compare.iter_mut().flat_map(|s| &mut s.points);
                for p in general.primary.points.iter_mut().chain(compared) {
                    p.plain_name = false;
                }
                prop_assert_eq!(write(&l), write(&general));
            }
        }
    }

    /// Labels of a scale's values: none, short, escaped, and longer than
    /// a piece that `Run::point` copies whole.
    const LABELS: [&str; 4] = [
        "Calm",
        "<b>Fish & chips</b>",
        "A label long enough to take more than sixty-four bytes of its tail",
        "很不滿意",
    ];

    /// A map titled `texts[0]` of two stages named `texts[1]` and
    /// `texts[2]`, whose touchpoints have these names and emotions (in
    /// hundredths), some of them moments of truth, and a scale with
    /// labels of some of its values.
    fn rated(
        texts: &[String; 3],
        names: &[String],
        emotions: &[Option<i32>],
        labels: usize,
    ) -> Map {
        let touchpoints = names
            .iter()
            .zip(emotions)
            .enumerate()
            .map(|(i, (name, &e))| Touchpoint {
                emotion: e.map(|e| f64::from(e) / 100.0),
                moment_of_truth: i % 4 == 1,
                ..Touchpoint::named(name, format!("tp-{i}"))
            })
            .collect();
        let mut m = Map::of_one_stage("rated", touchpoints);
        m.title = texts[0].clone();
        m.stages[0].name = texts[1].clone();
        let half = m.stages[0].touchpoints.len() / 2;
        let rest = m.stages[0].touchpoints.split_off(half);
        m.stages.push(Stage {
            name: texts[2].clone(),
            description: None,
            touchpoints: rest,
        });
        m.scale.labels = [-2.0, -0.5, 0.0, 1.25]
            .into_iter()
            .zip(LABELS.iter().cycle().skip(labels))
            .map(|(v, l)| (v, l.to_string()))
            .collect();
        m
    }

    proptest! {
        /// Curves and points written into one window of the chunk each,
        /// and a `<desc>` found plain copied as it is, read as written
        /// piece by piece and escaped: names long and short, plain and
        /// not, values with and without labels (more than `PointParts`
        /// keeps), gaps, curves long enough to fill the chunk and to reach
        /// x of 10000 and more, and titles and stage names plain and not.
        #[test]
        fn curves_and_points_read_as_written_piece_by_piece(
            tps in proptest::collection::vec(
                (
                    proptest::collection::vec(0..PIECES.len(), 1..6),
                    proptest::option::weighted(0.9, -200..=200i32),
                    proptest::option::weighted(0.9, -200..=200i32),
                ),
                1..90,
            ),
            texts in proptest::collection::vec(proptest::collection::vec(0..PIECES.len(), 1..4), 6),
            labels in 0..LABELS.len(),
            lang in 0..3usize,
            plain_only in any::<bool>(),
        ) {
            // Words that need no escaping, for maps whose texts all are
            // plain (as far as the layout can tell: a text that is wrapped
            // and starts or ends with other than ASCII is not found so).
            const PLAIN: [usize; 3] = [0, 2, 11];
            let piece = |k: usize| PIECES[if plain_only { PLAIN[k % PLAIN.len()] } else { k }];
            let text = |k: &[usize]| -> String { k.iter().map(|&k| piece(k)).collect() };
            let names: Vec<String> = tps.iter().map(|(n, _, _)| text(n)).collect();
            let emotions: Vec<_> = tps.iter().map(|t| t.1).collect();
            let others: Vec<_> = tps.iter().map(|t| t.2).collect();
            let mine = [text(&texts[0]), text(&texts[1]), text(&texts[2])];
            let theirs = [text(&texts[3]), text(&texts[4]), text(&texts[5])];
            let m = rated(&mine, &names, &emotions, labels);
            let c = rated(&theirs, &names, &others, labels + 1);
            let lang = [Language::En, Language::ZhHant, Language::ZhHans][lang];
            for compare in [None, Some(&c)] {
                let l = layout(&m, compare, lang);
                if l.desc_plain {
                    let mut escaped = Vec::new();
                    escape_into(&mut escaped, &l.desc);
                    prop_assert_eq!(&escaped, l.desc.as_bytes());
                }
                prop_assert_eq!(write(&l), write_as::<true>(&l));
            }
        }
    }

    /// The labels [`describe`] writes are plain in every language, as it
    /// takes them to be.
    #[test]
    fn the_labels_of_the_desc_are_plain() {
        for lang in [Language::En, Language::ZhHant, Language::ZhHans] {
            let lb = Labels::get(lang);
            for s in [
                lb.emotion_curve,
                lb.colon,
                lb.sep,
                lb.scale_word,
                lb.to,
                lb.lowest_point,
                lb.moment_of_truth,
                lb.compared_with,
                lb.not_rated,
            ] {
                let mut escaped = Vec::new();
                escape_into(&mut escaped, s);
                assert_eq!(escaped, s.as_bytes(), "{s:?}");
            }
        }
    }

    /// Plain texts make a plain `<desc>`; one to escape anywhere, one to
    /// escape.
    #[test]
    fn the_desc_is_plain_when_its_texts_are() {
        let names: Vec<String> = ["Sign up", "Pay", "Wait"].map(String::from).to_vec();
        let plain = ["Title", "First", "Second"].map(String::from);
        let m = rated(&plain, &names, &[Some(100), None, Some(-200)], 0);
        assert!(layout(&m, None, Language::En).desc_plain);
        assert!(layout(&m, None, Language::ZhHant).desc_plain);
        for k in 0..3 {
            let mut texts = plain.clone();
            texts[k].push_str(" & more");
            let other = rated(&texts, &names, &[Some(100), None, Some(-200)], 0);
            assert!(!layout(&other, None, Language::En).desc_plain);
            assert!(!layout(&m, Some(&other), Language::En).desc_plain);
        }
        for k in 0..3 {
            let mut names = names.clone();
            names[k].push('<');
            let other = rated(&plain, &names, &[Some(100), None, Some(-200)], 0);
            assert!(!layout(&other, None, Language::En).desc_plain);
            assert!(!layout(&m, Some(&other), Language::En).desc_plain);
        }
        // The second label escaped.
        let other = rated(&plain, &names, &[Some(100), None, Some(-200)], 1);
        assert!(!layout(&other, None, Language::En).desc_plain);
    }

    #[test]
    fn names_wrapped_or_not_are_found_plain() {
        let names = [
            "Sign up".to_string(),
            "A name long enough to take two or three lines".to_string(),
            "Not rated".to_string(),
            "瀏覽網站".to_string(),
            "Fish & chips".to_string(),
            "Not rated".to_string(),
            " Spaced ".to_string(),
        ];
        let m = map_of(&names);
        let l = layout(&m, None, Language::En);
        let plain: Vec<bool> = l.primary.points.iter().map(|p| p.plain_name).collect();
        assert_eq!(plain, [true, true, true, false, false]);
        // The second name is wrapped.
        let xlabels = l.lines.iter().filter(|t| t.style == TextStyle::XLabel);
        assert!(xlabels.count() > 7);
        // A compared touchpoint is plain where its name is this map's.
        let mut others = names.clone();
        others[1] = "Another long name that takes two or three lines".into();
        let c = map_of(&others);
        let l = layout(&m, Some(&c), Language::En);
        let c = l.compare.as_ref().unwrap();
        let plain: Vec<bool> = c.points.iter().map(|p| p.plain_name).collect();
        assert_eq!(plain, [true, false, true, false, false]);
    }

    #[test]
    fn the_point_tail_carries_the_point_radius() {
        let r = super::super::fmt_num(POINT_R);
        assert_eq!(POINT_TAIL, format!("\" r=\"{r}\"><title>"));
    }
    /// Points at `y`, one per touchpoint rated (`Some`), at its index.
    fn points_of(ys: &[Option<f64>]) -> Vec<Point<'static>> {
        (ys.iter().enumerate())
            .filter_map(|(i, y)| {
                y.map(|y| Point {
                    x: 10.0 * i as f64,
                    y,
                    value: y,
                    index: i,
                    name: "",
                    label: None,
                    moment_of_truth: false,
                    lowest: false,
                    plain_name: true,
                })
            })
            .collect()
    }

    proptest! {
        /// Curves made into the curves of another series (a layout's
        /// before, kept: see `super::super::spare`) are those made anew,
        /// whether there were more runs before or fewer.
        #[test]
        fn curves_made_into_others_are_made_anew(
            before in proptest::collection::vec(proptest::option::of(-2.0f64..2.0), 0..40),
            now in proptest::collection::vec(proptest::option::of(-2.0f64..2.0), 0..40),
        ) {
            let now = points_of(&now);
            let mut out = curves(&points_of(&before));
            curves_into(&now, &mut out);
            prop_assert_eq!(out, curves(&now));
        }
    }
}
