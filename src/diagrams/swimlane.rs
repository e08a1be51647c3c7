//! The swimlane: touchpoint columns grouped under stage headers, one row
//! per lane, every cell growing to fit its wrapped text.

use super::labels::Labels;
use super::layout::{Cell, CellRole, Flow, LegendItem, Shape, Tag, TextLine, legend};
use super::style::{ShapeStyle, TextStyle};
use super::write::Svg;
use super::{grid, push_value, scope_into};
use crate::config::Language;
use crate::model::{Evidence, Lane, Map, Metric, Touchpoint};
use std::fmt::Write as _;

/// Outer margin.
pub const MARGIN: f64 = 20.0;
/// Padding inside every cell, left and right.
pub const CELL_PAD: f64 = 10.0;
/// Padding inside every cell, top and bottom.
pub const CELL_PAD_Y: f64 = 10.0;
/// Height of a row with little in it.
pub const ROW_MIN: f64 = 44.0;
// An empty cell's padding fits in any row (see `layout`).
const _: () = assert!(2.0 * CELL_PAD_Y < ROW_MIN);
/// Indent of a pain or opportunity after its bullet.
const BULLET_INDENT: f64 = 14.0;

/// A touchpoint column.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub x: f64,
    pub w: f64,
    /// Index of its stage in `map.stages`.
    pub stage: usize,
    pub moment_of_truth: bool,
    pub evidence: Option<Evidence>,
}

/// A lane row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub lane: Lane,
    pub y: f64,
    pub h: f64,
}

/// The swimlane as plain data.
#[derive(Clone, Debug)]
pub struct SwimlaneLayout<'a> {
    pub scope: String,
    pub lang: Language,
    pub width: f64,
    pub height: f64,
    pub title: String,
    pub desc: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Top and bottom of the lane rows.
    pub grid_top: f64,
    pub grid_bottom: f64,
    /// The title's, the legend's and the stages' cells; the others (a
    /// lane title and a body cell per touchpoint in every row) are
    /// rebuilt from the rows, the columns and `starts` by
    /// [`Self::cells`]: nothing in the writer reads them, and building
    /// them here cost some 6 k instructions and 20 KB of stores a render.
    pub(super) head: Vec<Cell>,
    /// Row by row, where the lines of the lane title and of each body
    /// cell start; each ends where the next starts, the last with
    /// `lines`.
    pub(super) starts: Vec<u32>,
    pub lines: Vec<TextLine<'a>>,
    /// The text the layout made (tags, values), which some lines are
    /// slices of: see [`Self::text`].
    pub made: String,
    /// In drawing order within each layer of [`super::style::ShapeStyle::layer`],
    /// all under the text.
    pub shapes: Vec<Shape>,
}

impl<'a> SwimlaneLayout<'a> {
    /// Every cell, in the order laid: the title, the legend's items, the
    /// stages, then row by row the lane's title and a body cell per
    /// touchpoint.
    pub fn cells(&self) -> Vec<Cell> {
        let (left_w, _) = grid(self.columns.len());
        let per_row = self.columns.len() + 1;
        let start = |k: usize| self.starts.get(k).map_or(self.lines.len(), |&s| s as usize);
        let mut out = self.head.clone();
        out.reserve(self.rows.len() * per_row);
        for (ri, r) in self.rows.iter().enumerate() {
            let at = ri * per_row;
            out.push(Cell {
                x: MARGIN,
                y: r.y,
                w: left_w,
                h: r.h,
                pad: CELL_PAD,
                lines: start(at)..start(at + 1),
                role: CellRole::LaneTitle,
            });
            for (ci, c) in self.columns.iter().enumerate() {
                let k = at + 1 + ci;
                out.push(Cell {
                    x: c.x,
                    y: r.y,
                    w: c.w,
                    h: r.h,
                    pad: CELL_PAD,
                    lines: start(k)..start(k + 1),
                    role: CellRole::Body {
                        row: ri,
                        column: ci,
                    },
                });
            }
        }
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

/// Lays out the swimlane of `map`.
pub fn layout(map: &Map, lang: Language) -> SwimlaneLayout<'_> {
    let lb = Labels::get(lang);
    // `map.visible_lanes()`, on the stack rather than in a vector of its
    // own (a test holds it to that).
    let mut shown = Lane::ALL;
    let lanes: &[Lane] = match &map.lanes {
        Some(l) => l,
        None => {
            let mut k = 0;
            for lane in Lane::ALL {
                if map.touchpoints().any(|t| t.has_lane(lane)) {
                    shown[k] = lane;
                    k += 1;
                }
            }
            &shown[..k]
        }
    };
    let n = map.touchpoints().count();
    let (left_w, col_w) = grid(n);
    let grid_x = MARGIN + left_w;
    let width = grid_x + n as f64 * col_w + MARGIN;

    // What the touchpoints hold, for the room the vectors need: `items`
    // pains, opportunities and metrics, `metrics` of them metrics.
    let (mut items, mut metrics) = (0, 0);
    for t in map.touchpoints() {
        items += t.pains.len() + t.opportunities.len() + t.metrics.len();
        metrics += t.metrics.len();
    }
    // Room for the lines and the text made here (tags, values, notes), a
    // little more rather than less: growing copies what is there. A line
    // per lane and touchpoint, four more for what wraps, and three per
    // item (its text or value, and a tag or note). Made: the emotion's
    // value and label, a tag of at most 48 bytes per item, and a metric's
    // name, value and note another 48.
    let label = map.scale.labels.iter().map(|(_, l)| l.len()).max();
    let spare = super::spare::Spare::take();
    let mut lines: Vec<TextLine<'_>> = spare.lines;
    lines.reserve(16 + n * (lanes.len() + 4) + 3 * items);
    let mut made = spare.made;
    made.reserve(64 + n * (24 + label.unwrap_or(0)) + 48 * (items + metrics));
    let mut cells = spare.cells;
    cells.reserve(map.stages.len() + 4);
    // Sized once and filled by index, each row's through a slice of its
    // own: a push checked the room every time (10 instructions a cell).
    let mut starts = spare.starts;
    starts.resize(lanes.len() * (n + 1), 0);

    // What the layout keeps of its own: the vectors and strings of the
    // layout before on this thread, emptied (see `super::spare`).
    let kept = super::spare::SwimlaneSpare::take();

    // The columns, and their touchpoints for the lane rows.
    let mut columns = kept.columns;
    columns.reserve(n);
    let mut tps: Vec<&Touchpoint> = Vec::with_capacity(n);
    for (si, stage) in map.stages.iter().enumerate() {
        for tp in &stage.touchpoints {
            tps.push(tp);
            columns.push(Column {
                x: grid_x + columns.len() as f64 * col_w,
                w: col_w,
                stage: si,
                moment_of_truth: tp.moment_of_truth,
                evidence: tp.evidence,
            });
        }
    }

    // The shapes under the text of the cells (backgrounds, stage fills,
    // grid) come first but depend on the rows' heights, known only at the
    // end: their slots are kept here and filled then, so that the shapes
    // of the cells go straight after them, in one vector sized once.
    let mots = columns.iter().filter(|c| c.moment_of_truth).count();
    let outlined = columns
        .iter()
        .filter(|c| matches!(c.evidence, Some(Evidence::Assumption | Evidence::Partial)))
        .count();
    let stage_at = 1 + lanes.len() / 2 + mots;
    let grid_at = stage_at + 2 * map.stages.len();
    let back = grid_at + lanes.len() + 1 + n + 1 + outlined;
    // At most: a legend of three, two badges (and a star), a thought's
    // bar, the emotion gauge's three shapes, and a shape per pain or
    // opportunity and three per metric.
    let cell_shapes = 3 + 7 * n + items + 2 * metrics;
    let mut shapes = spare.shapes;
    shapes.reserve(back + cell_shapes);
    shapes.resize(back, PLACEHOLDER);

    // Title, subtitle and legend.
    let inner_w = width - 2.0 * MARGIN;
    let mut flow = Flow::new(MARGIN + 4.0, inner_w - 8.0, MARGIN, &mut lines, &mut made);
    let first = flow.lines.len();
    flow.text(&map.title, TextStyle::Title, 0.0);
    let mut subtitle = flow.tag();
    subtitle.push_str(lb.swimlane);
    subtitle.push_str(lb.sep);
    summary(subtitle.string(), map, lb);
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
    let mut y = flow.y + 8.0;
    let items = legend_items(map, lb);
    if items.iter().any(Option::is_some) {
        y = legend(
            items.into_iter().flatten(),
            (MARGIN + 4.0, y, inner_w - 8.0),
            &mut lines,
            &mut cells,
            &mut shapes,
        ) + 8.0;
    }
    y += 6.0;

    // Stage headers.
    let stage_y = y;
    let mut stage_h: f64 = 48.0;
    let stage_cells = cells.len();
    let mut flow = Flow::new(0.0, 0.0, 0.0, &mut lines, &mut made);
    let mut col = 0;
    for (si, stage) in map.stages.iter().enumerate() {
        let k = stage.touchpoints.len();
        let x0 = grid_x + col as f64 * col_w;
        let w = k as f64 * col_w;
        col += k;
        flow.x = x0 + CELL_PAD;
        flow.w = w - 2.0 * CELL_PAD;
        flow.y = stage_y + 12.0;
        let first = flow.lines.len();
        flow.text(&stage.name, TextStyle::Stage, 0.0);
        if let Some(d) = &stage.description {
            flow.gap(2.0);
            flow.text(d, TextStyle::StageNote, 0.0);
        }
        stage_h = stage_h.max(flow.y - stage_y + CELL_PAD_Y);
        cells.push(Cell {
            x: x0,
            y: stage_y,
            w,
            h: 0.0,
            pad: CELL_PAD,
            lines: first..flow.lines.len(),
            role: CellRole::Stage,
        });
        let i = (si % 6) as u8;
        shapes[stage_at + 2 * si] = Shape::Rect {
            x: x0,
            y: stage_y,
            w,
            h: 0.0,
            rx: 0.0,
            style: ShapeStyle::StageFill(i),
        };
        shapes[stage_at + 2 * si + 1] = Shape::Rect {
            x: x0,
            y: stage_y,
            w,
            h: 4.0,
            rx: 0.0,
            style: ShapeStyle::StageBar(i),
        };
    }
    for c in &mut cells[stage_cells..] {
        c.h = stage_h;
    }
    for s in shapes[stage_at..grid_at].iter_mut().step_by(2) {
        if let Shape::Rect { h, .. } = s {
            *h = stage_h;
        }
    }

    // Lane rows.
    let grid_top = stage_y + stage_h;
    let badge_row = lanes
        .iter()
        .position(|l| *l == Lane::Touchpoints)
        .unwrap_or(0);
    let mut rows = kept.rows;
    rows.reserve(lanes.len());
    let mut y = grid_top;
    let row_starts = starts.chunks_exact_mut(n + 1);
    for ((ri, &lane), row_starts) in lanes.iter().enumerate().zip(row_starts) {
        flow.x = MARGIN + CELL_PAD + 4.0;
        flow.w = left_w - 2.0 * CELL_PAD - 4.0;
        flow.y = y + CELL_PAD_Y;
        let first = flow.lines.len();
        flow.text(lb.lane(lane), TextStyle::Lane, 0.0);
        let row_h = (flow.y - y + CELL_PAD_Y).max(ROW_MIN);
        let Some((lane_start, out)) = row_starts.split_first_mut() else {
            continue;
        };
        *lane_start = first as u32;
        let (f, over) = (&mut flow, &mut shapes);
        let (cs, ts, row) = (&columns[..], &tps[..], (y, row_h));
        // The lane matched once per row rather than in every cell: a loop
        // of its own for each lane, with `fill` inlined into it for that
        // lane alone.
        macro_rules! by_lane {
            ($($l:ident),*) => {
                match lane {
                    $(Lane::$l => row_of(f, over, out, cs, ts, row, |f, o, tp| {
                        fill(f, o, Lane::$l, tp, map, lb)
                    }),)*
                }
            };
        }
        let row_h = if ri == badge_row {
            row_of(f, over, out, cs, ts, row, |f, o, tp| {
                badges(f, o, tp, lb);
                fill(f, o, lane, tp, map, lb);
            })
        } else {
            by_lane!(
                Touchpoints,
                Actions,
                Channels,
                Owners,
                Thoughts,
                Emotions,
                Pains,
                Opportunities,
                Metrics
            )
        };
        rows.push(Row { lane, y, h: row_h });
        y += row_h;
    }
    let grid_bottom = y;
    let height = grid_bottom + MARGIN;

    // Backgrounds, under everything else.
    // Every slot but the stage fills and bars, already in theirs.
    // By an index that skips them: cheaper than chained iterators.
    let mut slot = 0;
    let mut put = |s: Shape| {
        if slot == stage_at {
            slot = grid_at;
        }
        debug_assert!(slot < back, "more backgrounds than slots");
        if let Some(at) = shapes.get_mut(slot) {
            *at = s;
        }
        slot += 1;
    };
    put(Shape::Rect {
        x: MARGIN,
        y: grid_top,
        w: left_w,
        h: grid_bottom - grid_top,
        rx: 0.0,
        style: ShapeStyle::LaneBg,
    });
    for r in rows.iter().skip(1).step_by(2) {
        put(Shape::Rect {
            x: grid_x,
            y: r.y,
            w: n as f64 * col_w,
            h: r.h,
            rx: 0.0,
            style: ShapeStyle::Stripe,
        });
    }
    for c in columns.iter().filter(|c| c.moment_of_truth) {
        put(Shape::Rect {
            x: c.x,
            y: grid_top,
            w: c.w,
            h: grid_bottom - grid_top,
            rx: 0.0,
            style: ShapeStyle::MotTint,
        });
    }
    let right = grid_x + n as f64 * col_w;
    for r in &rows {
        put(Shape::Line {
            x1: MARGIN,
            y1: r.y,
            x2: right,
            y2: r.y,
            style: ShapeStyle::Grid,
        });
    }
    put(Shape::Line {
        x1: MARGIN,
        y1: grid_bottom,
        x2: right,
        y2: grid_bottom,
        style: ShapeStyle::Grid,
    });
    for i in 0..=n {
        // Through `u32`: `usize` to `f64` is the long unsigned conversion.
        let x = grid_x + f64::from(i as u32) * col_w;
        put(Shape::Line {
            x1: x,
            y1: if i < n && columns[i].stage == columns[i.saturating_sub(1)].stage && i > 0 {
                grid_top
            } else {
                stage_y
            },
            x2: x,
            y2: grid_bottom,
            style: ShapeStyle::Grid,
        });
    }
    for c in &columns {
        let style = match c.evidence {
            Some(Evidence::Assumption) => ShapeStyle::AssumptionOutline,
            Some(Evidence::Partial) => ShapeStyle::PartialOutline,
            _ => continue,
        };
        put(Shape::Rect {
            x: c.x + 3.0,
            y: grid_top + 3.0,
            w: c.w - 6.0,
            h: grid_bottom - grid_top - 6.0,
            rx: 6.0,
            style,
        });
    }
    debug_assert!(slot == back, "a slot left empty");

    let (mut title, mut desc, mut scope) = (kept.title, kept.desc, kept.scope);
    title.reserve(map.title.len() + 5 + lb.swimlane.len());
    title.push_str(&map.title);
    title.push_str(" — ");
    title.push_str(lb.swimlane);
    describe(&mut desc, map, lb);
    scope_into(&mut scope, &map.id, 's');
    SwimlaneLayout {
        scope,
        lang,
        width,
        height,
        title,
        desc,
        columns,
        rows,
        grid_top,
        grid_bottom,
        head: cells,
        starts,
        lines,
        made,
        shapes,
    }
}

/// What a slot of [`layout`]'s shapes holds until it is filled.
const PLACEHOLDER: Shape = Shape::Line {
    x1: 0.0,
    y1: 0.0,
    x2: 0.0,
    y2: 0.0,
    style: ShapeStyle::Grid,
};

/// `Current state · 30 touchpoints · 5 stages`.
fn summary(out: &mut String, map: &Map, lb: &Labels) {
    out.push_str(lb.state(map.state));
    out.push_str(lb.sep);
    push_value(out, map.touchpoints().count() as f64);
    out.push_str(lb.touchpoints_word);
    out.push_str(lb.sep);
    push_value(out, map.stages.len() as f64);
    out.push_str(lb.stages_word);
}

/// The legend: what of the moments of truth and the evidence outlines
/// the map has.
fn legend_items(map: &Map, lb: &'static Labels) -> [Option<LegendItem<'static>>; 3] {
    const STAR: &[Shape] = &[Shape::Star {
        cx: 0.0,
        cy: 0.0,
        r: 7.0,
        style: ShapeStyle::MotStar,
    }];
    const fn outline(style: ShapeStyle) -> Shape {
        Shape::Rect {
            x: -8.0,
            y: -7.0,
            w: 16.0,
            h: 14.0,
            rx: 3.0,
            style,
        }
    }
    const ASSUMPTION: &[Shape] = &[outline(ShapeStyle::AssumptionOutline)];
    const PARTIAL: &[Shape] = &[outline(ShapeStyle::PartialOutline)];
    let any = |f: &dyn Fn(&Touchpoint) -> bool| map.touchpoints().any(f);
    let evidence = |e, swatch| any(&|t| t.evidence == Some(e)).then(|| (swatch, lb.evidence(e)));
    [
        any(&|t| t.moment_of_truth).then_some((STAR, lb.moment_of_truth)),
        evidence(Evidence::Assumption, ASSUMPTION),
        evidence(Evidence::Partial, PARTIAL),
    ]
}

/// Moment-of-truth and evidence badges at the top of a touchpoint's cell.
fn badges<'a>(
    flow: &mut Flow<'_, 'a>,
    over: &mut Vec<Shape>,
    tp: &Touchpoint,
    lb: &'static Labels,
) {
    if tp.moment_of_truth {
        badge(
            flow,
            over,
            lb.moment_of_truth,
            TextStyle::MotBadge,
            ShapeStyle::MotBadge,
            true,
        );
    }
    match tp.evidence {
        Some(Evidence::Assumption) => badge(
            flow,
            over,
            lb.assumption,
            TextStyle::AssumptionBadge,
            ShapeStyle::AssumptionBadge,
            false,
        ),
        Some(Evidence::Partial) => badge(
            flow,
            over,
            lb.partial_evidence,
            TextStyle::PartialBadge,
            ShapeStyle::PartialBadge,
            false,
        ),
        _ => {}
    }
}

/// A pill with a label (and a star for moments of truth); the label wraps
/// inside the pill when the column is narrow. Inlined into the badges'
/// row loop (see `row_of`), where its label and styles are constants.
#[inline(always)]
fn badge<'a>(
    flow: &mut Flow<'_, 'a>,
    over: &mut Vec<Shape>,
    label: &'static str,
    text: TextStyle,
    pill: ShapeStyle,
    star: bool,
) {
    const PX: f64 = 7.0;
    let icon = if star { 15.0 } else { 0.0 };
    let top = flow.y;
    let first = flow.lines.len();
    flow.w -= PX;
    flow.y += 2.0;
    flow.text(label, text, PX + icon);
    flow.y += 2.0;
    flow.w += PX;
    // A comparison rather than `f64::max`, whose NaN handling cost more
    // than the rest: a measured width is never NaN.
    let mut text_w = 0.0;
    for l in &flow.lines[first..] {
        if l.width > text_w {
            text_w = l.width;
        }
    }
    over.push(Shape::Rect {
        x: flow.x,
        y: top,
        w: PX + icon + text_w + PX,
        h: flow.y - top,
        rx: 9.0,
        style: pill,
    });
    if star {
        over.push(Shape::Star {
            cx: flow.x + PX + 5.5,
            cy: top + (flow.y - top) / 2.0,
            r: 6.0,
            style: ShapeStyle::MotStar,
        });
    }
    flow.gap(6.0);
}

/// The body cells of the lane row at `y`, each laid by `fill` for its
/// touchpoint, the start of each one's lines put in `starts` (one a
/// column);
/// returns the row's height, at least `row_h`.
#[inline(always)]
fn row_of<'a>(
    flow: &mut Flow<'_, 'a>,
    over: &mut Vec<Shape>,
    starts: &mut [u32],
    columns: &[Column],
    tps: &[&'a Touchpoint],
    (y, mut row_h): (f64, f64),
    mut fill: impl FnMut(&mut Flow<'_, 'a>, &mut Vec<Shape>, &'a Touchpoint),
) -> f64 {
    for ((c, &tp), start) in columns.iter().zip(tps).zip(starts) {
        flow.x = c.x + CELL_PAD;
        flow.w = c.w - 2.0 * CELL_PAD;
        flow.y = y + CELL_PAD_Y;
        *start = flow.lines.len() as u32;
        fill(flow, over, tp);
        // Whether or not the cell holds anything: an empty one leaves
        // `flow.y` where it was, and its 2 * CELL_PAD_Y is below
        // ROW_MIN. A comparison rather than `f64::max`, whose NaN
        // handling cost more than the rest: `row_h` is never NaN, and a
        // NaN height is passed over by both.
        let h = flow.y - y + CELL_PAD_Y;
        if h > row_h {
            row_h = h;
        }
    }
    row_h
}

/// What one lane shows for one touchpoint.
#[inline(always)]
fn fill<'a>(
    flow: &mut Flow<'_, 'a>,
    over: &mut Vec<Shape>,
    lane: Lane,
    tp: &'a Touchpoint,
    map: &Map,
    lb: &'static Labels,
) {
    match lane {
        Lane::Touchpoints => {
            flow.text(&tp.name, TextStyle::Name, 0.0);
        }
        Lane::Actions => {
            if let Some(a) = &tp.action {
                flow.text(a, TextStyle::Body, 0.0);
            }
        }
        Lane::Channels => {
            if let Some(c) = &tp.channel {
                flow.text(c, TextStyle::Channel, 0.0);
            }
        }
        Lane::Owners => {
            if let Some(o) = &tp.owner {
                flow.text(o, TextStyle::Body, 0.0);
            }
        }
        Lane::Thoughts => {
            if let Some(t) = &tp.thought {
                let top = flow.y;
                flow.text(t, TextStyle::Thought, 10.0);
                over.push(Shape::Rect {
                    x: flow.x,
                    y: top + 2.0,
                    w: 3.0,
                    h: flow.y - top - 4.0,
                    rx: 1.5,
                    style: ShapeStyle::ThoughtBar,
                });
            }
        }
        Lane::Emotions => emotion_cell(flow, over, tp, map, lb),
        Lane::Pains => {
            for (i, p) in tp.pains.iter().enumerate() {
                if i > 0 {
                    flow.gap(6.0);
                }
                if let Some(b) = flow.text(&p.text, TextStyle::Body, BULLET_INDENT) {
                    over.push(Shape::Circle {
                        cx: flow.x + 4.0,
                        cy: b - 4.5,
                        r: 3.5,
                        style: ShapeStyle::PainDot,
                    });
                }
                // The tag is made of its kind and severity alone: made
                // once for each (see `Flow::again`).
                let key = option_key(p.kind.map(|k| k as u8), p.severity.map(|s| s as u8));
                if flow.again(key, TextStyle::PainTag, BULLET_INDENT) {
                    continue;
                }
                let mut tag = flow.tag();
                if let Some(k) = p.kind {
                    tag.push_str(lb.kind(k));
                }
                if let Some(s) = p.severity {
                    if !tag.is_empty() {
                        tag.push_str(lb.sep);
                    }
                    tag.push_str(lb.severity(s));
                }
                flow.flush_kept(key, TextStyle::PainTag, BULLET_INDENT);
            }
        }
        Lane::Opportunities => {
            for (i, o) in tp.opportunities.iter().enumerate() {
                if i > 0 {
                    flow.gap(6.0);
                }
                if let Some(b) = flow.text(&o.text, TextStyle::Body, BULLET_INDENT) {
                    over.push(Shape::Diamond {
                        cx: flow.x + 4.0,
                        cy: b - 4.5,
                        r: 4.5,
                        style: ShapeStyle::OppDiamond,
                    });
                }
                // Without a due date or an owner of its own, the tag is
                // made of its status and priority alone: made once for
                // each (see `Flow::again`).
                let owned = o
                    .owner
                    .as_ref()
                    .is_some_and(|w| tp.owner.as_ref() != Some(w));
                let key = (o.due.is_none() && !owned)
                    .then(|| option_key(o.status.map(|s| s as u8), o.priority.map(|p| p as u8)));
                if let Some(key) = key
                    && flow.again(key, TextStyle::OppTag, BULLET_INDENT)
                {
                    continue;
                }
                let mut tag = flow.tag();
                let sep = |tag: &mut Tag| {
                    if !tag.is_empty() {
                        tag.push_str(lb.sep);
                    }
                };
                if let Some(s) = o.status {
                    tag.push_str(lb.status(s));
                }
                if let Some(p) = o.priority {
                    sep(&mut tag);
                    tag.push_str(lb.priority(p));
                }
                if let Some(d) = o.due {
                    sep(&mut tag);
                    let _ = write!(tag, "{}\u{a0}{}", lb.due, d);
                }
                if let Some(owner) = &o.owner
                    && owned
                {
                    sep(&mut tag);
                    tag.push_str("→\u{a0}");
                    tag.push_str(owner);
                }
                match key {
                    Some(key) => flow.flush_kept(key, TextStyle::OppTag, BULLET_INDENT),
                    None => {
                        flow.flush(TextStyle::OppTag, BULLET_INDENT);
                    }
                }
            }
        }
        Lane::Metrics => {
            for (i, m) in tp.metrics.iter().enumerate() {
                if i > 0 {
                    flow.gap(8.0);
                }
                metric(flow, over, m, lb);
            }
        }
    }
}

/// `v` and its unit, as a metric's value and note show them. Inlined: a
/// call of its own per number cost more than the number.
#[inline(always)]
fn with_unit(s: &mut String, v: f64, unit: Option<&str>) {
    push_value(s, v);
    if let Some(u) = unit {
        if u.chars().next().is_some_and(char::is_alphanumeric) {
            s.push(' ');
        }
        s.push_str(u);
    }
}

/// `NPS: 32`, a bullet bar of the value against its target, and
/// `target 40 · was 28`. Inlined, as `fill` is, into the row loops
/// (see `row_of`): the call cost more than a copy.
#[inline(always)]
fn metric<'a>(flow: &mut Flow<'_, 'a>, over: &mut Vec<Shape>, m: &Metric, lb: &'static Labels) {
    let unit = m.unit.as_deref();
    let mut value = flow.tag();
    value.push_str(&m.name);
    value.push_str(lb.colon);
    with_unit(value.string(), m.value, unit);
    flow.flush(TextStyle::MetricValue, 0.0);
    if let Some(t) = m.target {
        let top = m.value.max(t).max(m.previous.unwrap_or(0.0));
        if m.value >= 0.0 && t >= 0.0 && top > 0.0 {
            let y = flow.y + 3.0;
            let w = flow.w;
            over.push(Shape::Rect {
                x: flow.x,
                y,
                w,
                h: 6.0,
                rx: 3.0,
                style: ShapeStyle::MetricTrack,
            });
            over.push(Shape::Rect {
                x: flow.x,
                y,
                w: (m.value / top * w).max(3.0),
                h: 6.0,
                rx: 3.0,
                style: ShapeStyle::MetricBar,
            });
            let tx = flow.x + (t / top * w).clamp(1.0, w - 1.0);
            over.push(Shape::Line {
                x1: tx,
                y1: y - 3.0,
                x2: tx,
                y2: y + 9.0,
                style: ShapeStyle::MetricTarget,
            });
            flow.gap(14.0);
        }
    }
    let mut note = flow.tag();
    if let Some(t) = m.target {
        note.push_str(lb.target);
        note.push(' ');
        with_unit(note.string(), t, unit);
    }
    if let Some(p) = m.previous {
        if !note.is_empty() {
            note.push_str(lb.sep);
        }
        note.push_str(match m.value.partial_cmp(&p) {
            Some(std::cmp::Ordering::Greater) => "▲ ",
            Some(std::cmp::Ordering::Less) => "▼ ",
            _ => "",
        });
        note.push_str(lb.previous);
        note.push(' ');
        with_unit(note.string(), p, unit);
    }
    flow.flush(TextStyle::MetricNote, 0.0);
}

/// A gauge of the scale with the value marked, and the value with its
/// label from `[emotion] labels`. Inlined, as `fill` is, into the row
/// loops (see `row_of`): the call cost more than a copy.
#[inline(always)]
fn emotion_cell<'a>(
    flow: &mut Flow<'_, 'a>,
    over: &mut Vec<Shape>,
    tp: &Touchpoint,
    map: &Map,
    lb: &'static Labels,
) {
    let Some(v) = tp.emotion else {
        flow.text(lb.not_rated, TextStyle::XNote, 0.0);
        return;
    };
    let s = &map.scale;
    let span = s.max - s.min;
    let at = |v: f64| flow.x + 6.0 + (v - s.min) / span * (flow.w - 12.0);
    let y = flow.y + 6.0;
    over.push(Shape::Rect {
        x: flow.x,
        y,
        w: flow.w,
        h: 6.0,
        rx: 3.0,
        style: ShapeStyle::GaugeTrack,
    });
    let nx = at(s.neutral());
    over.push(Shape::Line {
        x1: nx,
        y1: y - 3.0,
        x2: nx,
        y2: y + 9.0,
        style: ShapeStyle::GaugeTick,
    });
    let neutral = s.neutral();
    over.push(Shape::Circle {
        cx: at(v),
        cy: y + 3.0,
        r: 6.0,
        style: if v > neutral {
            ShapeStyle::GaugePos
        } else if v < neutral {
            ShapeStyle::GaugeNeg
        } else {
            ShapeStyle::GaugeNeutral
        },
    });
    flow.gap(20.0);
    // The value and its label are made of the value alone: made once for
    // each (see `Flow::again`).
    let key = v.to_bits();
    if flow.again(key, TextStyle::EmotionValue, 0.0) {
        return;
    }
    let mut value = flow.tag();
    push_value(value.string(), v);
    if let Some(l) = s.label(v) {
        value.push_str(lb.sep);
        value.push_str(l);
    }
    flow.flush_kept(key, TextStyle::EmotionValue, 0.0);
}

/// A key for [`Flow::again`] of two optional small numbers (variants).
fn option_key(a: Option<u8>, b: Option<u8>) -> u64 {
    let k = |x: Option<u8>| x.map_or(0, |x| u64::from(x) + 1);
    k(a) | (k(b) << 16)
}

/// The `<desc>`, onto `d`: what the swimlane shows, stage by stage.
fn describe(d: &mut String, map: &Map, lb: &Labels) {
    // Room for all of it, so that it is not copied as it grows: the names
    // with their separators, and the summary's hundred bytes or so.
    let names: usize = (map.stages.iter())
        .map(|s| {
            s.name.len()
                + 4
                + s.touchpoints
                    .iter()
                    .map(|t| t.name.len() + 2)
                    .sum::<usize>()
        })
        .sum();
    d.reserve(128 + map.title.len() + names);
    d.push_str(lb.swimlane);
    d.push_str(lb.colon);
    d.push_str(&map.title);
    d.push_str(lb.sep);
    summary(d, map, lb);
    for s in &map.stages {
        d.push_str(". ");
        d.push_str(&s.name);
        d.push_str(lb.colon);
        for (i, t) in s.touchpoints.iter().enumerate() {
            if i > 0 {
                d.push_str(", ");
            }
            d.push_str(&t.name);
        }
    }
}

/// Writes the laid-out swimlane as SVG.
pub fn write(l: &SwimlaneLayout<'_>) -> String {
    let cap = Svg::size_hint(&l.title, &l.desc, &l.lines, l.shapes.len());
    let mut svg = Svg::new(cap, &l.scope);
    svg.open(l.width, l.height, l.lang, &l.title, &l.desc);
    svg.shapes(&l.shapes);
    svg.lines(&l.lines, &l.made);
    svg.close();
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Level, Opportunity, Pain, PainKind, Scale, Status};

    /// A map whose touchpoints' emotions, tags and metrics are drawn from
    /// small pools, so that many repeat and many differ from another in
    /// one thing only (the value, the unit, the target).
    fn repeating(n: usize) -> Map {
        let tp = |i: usize| {
            let levels = [None, Some(Level::Low), Some(Level::High)];
            let metric = |k: usize| Metric {
                name: ["NPS", "completion-rate"][k % 2].into(),
                value: [32.0, 32.5, 41.0][k / 2 % 3],
                unit: [None, Some("%"), Some("pts")][k / 3 % 3].map(String::from),
                target: [None, Some(40.0), Some(70.0)][k / 5 % 3],
                previous: [None, Some(28.0), Some(32.0), Some(32.5), Some(41.0)][k / 7 % 5],
            };
            Touchpoint {
                emotion: [-2.0, -1.0, 0.0, 0.5, 1.0, 2.0, 1.5][i % 7].into(),
                pains: vec![Pain {
                    text: "Fee".into(),
                    kind: [None, Some(PainKind::Process), Some(PainKind::Support)][i % 3],
                    severity: levels[i % 2 * 2],
                }],
                opportunities: vec![Opportunity {
                    text: "Show the fee".into(),
                    owner: [None, Some("Design"), Some("Ops")][i % 3].map(String::from),
                    priority: levels[i % 3],
                    status: [None, Some(Status::Planned)][i % 2],
                    due: i.is_multiple_of(5).then_some(Date {
                        year: 2026,
                        month: 3,
                        day: 31,
                    }),
                }],
                owner: i.is_multiple_of(4).then(|| "Ops".into()),
                metrics: vec![metric(i), metric(i / 2 + 1)],
                ..Touchpoint::named(&format!("Touchpoint {i}"), format!("t{i}"))
            }
        };
        Map {
            scale: Scale {
                min: -2.0,
                max: 2.0,
                labels: vec![(-2.0, "Angry".into()), (0.0, "Neutral".into())],
            },
            ..Map::of_one_stage("repeating", (0..n).map(tp).collect())
        }
    }

    /// The lines of the body cell of `lane` in `column`: text, style,
    /// x and width exactly, and y from the cell's top.
    fn cell_lines(
        l: &SwimlaneLayout<'_>,
        lane: Lane,
        column: usize,
    ) -> Vec<(String, f64, f64, f64)> {
        let row = l.rows.iter().position(|r| r.lane == lane).unwrap();
        let cells = l.cells();
        let cell = cells
            .iter()
            .find(|c| c.role == CellRole::Body { row, column })
            .unwrap();
        l.lines_of(cell)
            .iter()
            .map(|t| {
                (
                    format!("{:?} {}", t.style, l.text(t)),
                    t.x,
                    t.width,
                    t.y - cell.y,
                )
            })
            .collect()
    }

    /// Tags and values laid again as made before (`Flow::again`) are
    /// laid as in a map where no other touchpoint has
    /// any to make them of.
    #[test]
    fn text_laid_again_is_laid_as_made_alone() {
        let n = 24;
        let map = repeating(n);
        let all = layout(&map, Language::En);
        for i in 0..n {
            let mut alone = map.clone();
            for (k, t) in alone.stages[0].touchpoints.iter_mut().enumerate() {
                if k != i {
                    (t.emotion, t.pains, t.opportunities, t.metrics) =
                        (None, Vec::new(), Vec::new(), Vec::new());
                }
            }
            let one = layout(&alone, Language::En);
            for lane in [
                Lane::Emotions,
                Lane::Pains,
                Lane::Opportunities,
                Lane::Metrics,
            ] {
                let (got, want) = (cell_lines(&all, lane, i), cell_lines(&one, lane, i));
                assert_eq!(got.len(), want.len(), "{lane:?} {i}: {got:?}");
                for (g, w) in got.iter().zip(&want) {
                    assert_eq!(
                        (&g.0, g.1.to_bits(), g.2.to_bits()),
                        (&w.0, w.1.to_bits(), w.2.to_bits())
                    );
                    assert!((g.3 - w.3).abs() < 1e-9, "{lane:?} {i}: {g:?} {w:?}");
                }
            }
        }
    }
}
