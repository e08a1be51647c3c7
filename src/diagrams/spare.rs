//! The largest vectors of a layout, kept for the next layout made on the
//! same thread: a site build renders every map's two diagrams on the
//! threads of its pool, and allocating and freeing these (tens of
//! kilobytes each, past what the allocator keeps at hand) cost more
//! than anything else a layout does once.
//!
//! Only the allocations are kept, emptied: a layout is made the same
//! whether others came before it or not.

use super::emotion::{Curve, Point};
use super::layout::{Cell, Shape, TextLine};
use super::swimlane::{Column, Row};

/// What one layout gives back.
pub(crate) struct Spare {
    pub lines: Vec<TextLine<'static>>,
    pub cells: Vec<Cell>,
    /// Where the lines of cells not kept start (see
    /// [`super::swimlane::SwimlaneLayout::cells`] and
    /// [`super::emotion::EmotionLayout::cells`]).
    pub starts: Vec<u32>,
    pub shapes: Vec<Shape>,
    pub made: String,
}

/// What the swimlane's layout gives back, besides a [`Spare`]: its
/// columns and rows, and its title, `<desc>` and scope (each an
/// allocation and a free a render otherwise).
pub(crate) struct SwimlaneSpare {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub title: String,
    pub desc: String,
    pub scope: String,
}

/// What the emotion curve's layout gives back, besides a [`Spare`]: its
/// points, its curves with their segments' allocations (see
/// [`super::emotion::layout`]), its ticks and markers, and its title,
/// `<desc>` and scope.
pub(crate) struct CurveSpare {
    pub points: Vec<Point<'static>>,
    pub curves: Vec<Curve>,
    pub ticks: Vec<(f64, f64)>,
    pub markers: Vec<Shape>,
    pub title: String,
    pub desc: String,
    pub scope: String,
}

thread_local! {
    static SPARE: std::cell::Cell<Option<Spare>> = const { std::cell::Cell::new(None) };
    static SWIMLANE: std::cell::Cell<Option<SwimlaneSpare>> = const { std::cell::Cell::new(None) };
    static CURVES: std::cell::Cell<Option<CurveSpare>> = const { std::cell::Cell::new(None) };
}

impl Spare {
    /// The thread's spare vectors, empty, or new ones.
    pub fn take() -> Spare {
        SPARE.take().unwrap_or_else(|| Spare {
            lines: Vec::new(),
            cells: Vec::new(),
            starts: Vec::new(),
            shapes: Vec::new(),
            made: String::new(),
        })
    }

    /// Keeps a layout's vectors for the next one, emptied.
    pub fn keep(
        lines: Vec<TextLine<'_>>,
        mut cells: Vec<Cell>,
        mut starts: Vec<u32>,
        mut shapes: Vec<Shape>,
        mut made: String,
    ) {
        cells.clear();
        starts.clear();
        shapes.clear();
        made.clear();
        SPARE.set(Some(Spare {
            lines: unborrow(lines),
            cells,
            starts,
            shapes,
            made,
        }));
    }
}

impl SwimlaneSpare {
    /// The thread's spare columns, rows and strings, empty, or new ones.
    pub fn take() -> SwimlaneSpare {
        SWIMLANE.take().unwrap_or_else(|| SwimlaneSpare {
            columns: Vec::new(),
            rows: Vec::new(),
            title: String::new(),
            desc: String::new(),
            scope: String::new(),
        })
    }

    /// Keeps a layout's columns, rows and strings for the next one,
    /// emptied.
    pub fn keep(mut columns: Vec<Column>, mut rows: Vec<Row>, strings: [String; 3]) {
        columns.clear();
        rows.clear();
        let [mut title, mut desc, mut scope] = strings;
        title.clear();
        desc.clear();
        scope.clear();
        SWIMLANE.set(Some(SwimlaneSpare {
            columns,
            rows,
            title,
            desc,
            scope,
        }));
    }
}

impl CurveSpare {
    /// The thread's spare points and curves, empty, or new ones.
    pub fn take() -> CurveSpare {
        CURVES.take().unwrap_or_else(|| CurveSpare {
            points: Vec::new(),
            curves: Vec::new(),
            ticks: Vec::new(),
            markers: Vec::new(),
            title: String::new(),
            desc: String::new(),
            scope: String::new(),
        })
    }

    /// Keeps a layout's points, ticks, markers and strings, emptied, and
    /// its curves (emptied by the next, which fills them again).
    pub fn keep(
        points: Vec<Point<'_>>,
        curves: Vec<Curve>,
        mut ticks: Vec<(f64, f64)>,
        mut markers: Vec<Shape>,
        strings: [String; 3],
    ) {
        ticks.clear();
        markers.clear();
        let [mut title, mut desc, mut scope] = strings;
        title.clear();
        desc.clear();
        scope.clear();
        CURVES.set(Some(CurveSpare {
            points: unborrow_points(points),
            curves,
            ticks,
            markers,
            title,
            desc,
            scope,
        }));
    }
}

/// `points` emptied, as [`unborrow`] empties lines.
#[expect(
    clippy::unnecessary_filter_map,
    reason = "`filter` cannot change the points' lifetime"
)]
fn unborrow_points(points: Vec<Point<'_>>) -> Vec<Point<'static>> {
    points.into_iter().filter_map(|_| None).collect()
}

/// `lines` emptied, as lines that borrow nothing: none is kept, and the
/// standard library collects a vector's own iterator in place, into the
/// same allocation (a test holds it to that).
#[expect(
    clippy::unnecessary_filter_map,
    reason = "`filter` cannot change the lines' lifetime"
)]
fn unborrow(lines: Vec<TextLine<'_>>) -> Vec<TextLine<'static>> {
    lines.into_iter().filter_map(|_| None).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_their_allocation() {
        let v: Vec<TextLine<'_>> = Vec::with_capacity(300);
        let (p, cap) = (v.as_ptr() as usize, v.capacity());
        let w = unborrow(v);
        assert_eq!((w.as_ptr() as usize, w.capacity(), w.len()), (p, cap, 0));
    }

    #[test]
    fn points_keep_their_allocation() {
        let v: Vec<Point<'_>> = Vec::with_capacity(30);
        let (p, cap) = (v.as_ptr() as usize, v.capacity());
        let w = unborrow_points(v);
        assert_eq!((w.as_ptr() as usize, w.capacity(), w.len()), (p, cap, 0));
    }
}
