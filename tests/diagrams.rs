//! The swimlane and emotion-curve SVGs: geometry checked as numbers on the
//! layouts, the written SVG parsed as XML, and snapshots.

#[path = "fixtures/diagrams/maps.rs"]
mod maps;

use cxbook::config::Language;
use cxbook::diagrams::emotion::{self, EmotionLayout};
use cxbook::diagrams::swimlane::{self, SwimlaneLayout};
use cxbook::diagrams::{self, Cell, TextLine};
use cxbook::model::{Map, Scale};
use cxbook::text::text_width;
use std::collections::HashSet;

const LANGS: [Language; 3] = [Language::En, Language::ZhHant, Language::ZhHans];
const EPS: f64 = 1e-6;

/// Set `CXBOOK_DIAGRAMS_OUT=dir` to write every fixture's SVGs there, to
/// look at them in a browser.
#[test]
fn dump_fixture_svgs_when_asked() {
    let Ok(dir) = std::env::var("CXBOOK_DIAGRAMS_OUT") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (m, c) in maps::all() {
        let name = m.id.replace(['/', '<', '>'], "_");
        for lang in [Language::En, Language::ZhHant] {
            let l = lang.as_str();
            let sl = diagrams::swimlane(&m, lang);
            let em = diagrams::emotion(&m, c.as_ref(), lang);
            std::fs::write(dir.join(format!("{name}-{l}-swimlane.svg")), sl).unwrap();
            std::fs::write(dir.join(format!("{name}-{l}-emotion.svg")), em).unwrap();
        }
        std::fs::write(
            dir.join(format!("{name}-spark.svg")),
            diagrams::sparkline(&m),
        )
        .unwrap();
    }
    // Every measured line, to compare with a browser's own measurement.
    let mut json = Vec::new();
    for (m, c) in fixtures() {
        let s = swimlane::layout(&m, Language::En);
        let e = emotion::layout(&m, c.as_ref(), Language::En);
        let lines = s.lines.iter().map(|l| (l, s.text(l)));
        for (l, text) in lines.chain(e.lines.iter().map(|l| (l, e.text(l)))) {
            let f = l.style.font();
            json.push(serde_json::json!([text, f.size, f.bold, l.width]));
        }
    }
    let json = serde_json::to_string(&json).unwrap();
    std::fs::write(dir.join("widths.json"), json).unwrap();
}

/// Every line inside its cell (less the cell's padding left and right),
/// measured honestly, every cell inside the picture, every line in a cell.
/// `made` is the layout's own text (see [`diagrams::Text`]).
fn check_cells(
    what: &str,
    width: f64,
    height: f64,
    cells: &[Cell],
    lines: &[TextLine<'_>],
    made: &str,
) {
    let mut covered = vec![false; lines.len()];
    for c in cells {
        assert!(
            c.x >= -EPS && c.y >= -EPS && c.x + c.w <= width + EPS && c.y + c.h <= height + EPS,
            "{what}: cell {c:?} outside the {width}x{height} picture"
        );
        for (i, l) in lines[c.lines.clone()].iter().enumerate() {
            covered[c.lines.start + i] = true;
            let text = l.text.get(made);
            let measured = text_width(text, l.style.font());
            assert!(
                (measured - l.width).abs() < EPS,
                "{what}: {l:?} measured {measured}"
            );
            assert!(
                l.x >= c.x + c.pad - EPS && l.x + l.width <= c.x + c.w - c.pad + EPS,
                "{what}: line {:?} ({}..{}) overflows cell {:?} ({}..{})",
                text,
                l.x,
                l.x + l.width,
                c.role,
                c.x + c.pad,
                c.x + c.w - c.pad
            );
            assert!(
                l.top() >= c.y - EPS && l.bottom() <= c.y + c.h + EPS,
                "{what}: line {:?} ({}..{}) leaves cell {:?} vertically ({}..{})",
                text,
                l.top(),
                l.bottom(),
                c.role,
                c.y,
                c.y + c.h
            );
        }
    }
    for (i, l) in lines.iter().enumerate() {
        assert!(covered[i], "{what}: line {l:?} is in no cell");
    }
}

fn fixtures() -> Vec<(Map, Option<Map>)> {
    let mut all = maps::all();
    all.extend(example_maps().into_iter().map(|m| (m, None)));
    all
}

/// The example maps under `content/`, once the project has them.
fn example_maps() -> Vec<Map> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "md")
            && let Ok((m, _, _)) = cxbook::project::load_map_file(p)
        {
            out.push(m);
        }
    }
    assert!(
        !root.is_dir() || out.len() >= 3,
        "the example maps in content/ did not load"
    );
    out
}

#[test]
fn every_text_line_fits_inside_its_cell() {
    for (m, c) in fixtures() {
        for lang in LANGS {
            let s: SwimlaneLayout<'_> = swimlane::layout(&m, lang);
            check_cells(
                &format!("{} swimlane {lang:?}", m.id),
                s.width,
                s.height,
                &s.cells(),
                &s.lines,
                &s.made,
            );
            let e: EmotionLayout<'_> = emotion::layout(&m, c.as_ref(), lang);
            check_cells(
                &format!("{} emotion {lang:?}", m.id),
                e.width,
                e.height,
                &e.cells(),
                &e.lines,
                &e.made,
            );
        }
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn no_character_of_the_authors_text_is_lost() {
    for (m, _) in fixtures() {
        let s = swimlane::layout(&m, Language::En);
        let all = squeeze(&s.lines.iter().map(|l| s.text(l)).collect::<String>());
        let lanes = m.visible_lanes();
        let mut texts: Vec<&str> = vec![&m.title];
        for st in &m.stages {
            texts.push(&st.name);
            texts.extend(st.description.as_deref());
            for t in &st.touchpoints {
                use cxbook::model::Lane;
                let has = |l| lanes.contains(&l);
                if has(Lane::Touchpoints) {
                    texts.push(&t.name);
                }
                if has(Lane::Actions) {
                    texts.extend(t.action.as_deref());
                }
                if has(Lane::Thoughts) {
                    texts.extend(t.thought.as_deref());
                }
                if has(Lane::Channels) {
                    texts.extend(t.channel.as_deref());
                }
                if has(Lane::Owners) {
                    texts.extend(t.owner.as_deref());
                }
                if has(Lane::Pains) {
                    texts.extend(t.pains.iter().map(|p| p.text.as_str()));
                }
                if has(Lane::Opportunities) {
                    texts.extend(t.opportunities.iter().map(|p| p.text.as_str()));
                }
                if has(Lane::Metrics) {
                    texts.extend(t.metrics.iter().map(|p| p.name.as_str()));
                }
            }
        }
        for t in texts {
            assert!(
                all.contains(&squeeze(t)),
                "{}: {t:?} is not drawn in full",
                m.id
            );
        }
        let e = emotion::layout(&m, None, Language::En);
        let all = squeeze(&e.lines.iter().map(|l| e.text(l)).collect::<String>());
        for t in m.touchpoints() {
            assert!(
                all.contains(&squeeze(&t.name)),
                "{}: {:?} missing under the curve",
                m.id,
                t.name
            );
        }
    }
}

#[test]
fn every_point_sits_on_its_value_inside_the_plot() {
    for (m, c) in fixtures() {
        let e = emotion::layout(&m, c.as_ref(), Language::En);
        let p = e.plot;
        let (left, col) = (p.x, p.w / m.touchpoints().count() as f64);
        let rated: Vec<(usize, f64)> = m
            .touchpoints()
            .enumerate()
            .filter_map(|(i, t)| t.emotion.map(|v| (i, v)))
            .collect();
        assert_eq!(e.primary.points.len(), rated.len(), "{}", m.id);
        for (pt, (i, v)) in e.primary.points.iter().zip(&rated) {
            let want = p.y + (m.scale.max - v) / (m.scale.max - m.scale.min) * p.h;
            assert!((pt.y - want).abs() < 1e-9, "{}: {pt:?} not at {want}", m.id);
            assert!((pt.x - (left + (*i as f64 + 0.5) * col)).abs() < 1e-9);
            assert!(
                pt.y >= p.y - EPS && pt.y <= p.bottom() + EPS && pt.x > p.x && pt.x < p.right()
            );
        }
        for series in std::iter::once(&e.primary).chain(e.compare.as_ref()) {
            for pt in &series.points {
                assert!(
                    pt.y >= p.y - EPS && pt.y <= p.bottom() + EPS,
                    "{}: {pt:?} off the plot",
                    m.id
                );
                assert!(
                    pt.x > p.x && pt.x < p.right(),
                    "{}: {pt:?} off the plot",
                    m.id
                );
            }
            check_curves_pass_through_points(&m.id, series);
        }
    }
}

/// Each curve starts at a point, each segment ends at the next point, and
/// between two points stays between their heights (no overshoot).
fn check_curves_pass_through_points(id: &str, s: &emotion::Series<'_>) {
    let on_point = |x: f64, y: f64| {
        s.points
            .iter()
            .any(|p| (p.x - x).abs() < 1e-9 && (p.y - y).abs() < 1e-9)
    };
    let mut drawn = 0;
    for c in &s.curves {
        assert!(
            on_point(c.start.0, c.start.1),
            "{id}: curve starts off a point"
        );
        let mut from = c.start;
        for seg in &c.segments {
            assert!(on_point(seg[4], seg[5]), "{id}: segment ends off a point");
            check_no_overshoot(from, seg);
            from = (seg[4], seg[5]);
        }
        drawn += c.segments.len() + 1;
    }
    // Points not on a curve are the ones alone between two gaps.
    assert!(drawn <= s.points.len());
}

fn check_no_overshoot(from: (f64, f64), seg: &[f64; 6]) {
    let (lo, hi) = (from.1.min(seg[5]), from.1.max(seg[5]));
    let (xlo, xhi) = (from.0, seg[4]);
    for k in 0..=100 {
        let t = f64::from(k) / 100.0;
        let u = 1.0 - t;
        let b = |a: f64, b: f64, c: f64, d: f64| {
            u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d
        };
        let x = b(from.0, seg[0], seg[2], seg[4]);
        let y = b(from.1, seg[1], seg[3], seg[5]);
        assert!(
            y >= lo - 1e-9 && y <= hi + 1e-9,
            "overshoot: {y} outside {lo}..{hi}"
        );
        assert!(
            x >= xlo - 1e-9 && x <= xhi + 1e-9,
            "x goes back: {x} outside {xlo}..{xhi}"
        );
    }
}

mod monotone {
    use super::check_no_overshoot;
    use cxbook::diagrams::emotion::monotone;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_overshoots_and_hits_every_point(ys in proptest::collection::vec(-100.0f64..100.0, 2..30), gaps in proptest::collection::vec(1.0f64..50.0, 30)) {
            let mut x = 0.0;
            let pts: Vec<(f64, f64)> = ys.iter().zip(&gaps).map(|(y, g)| { x += g; (x, *y) }).collect();
            let segs = monotone(&pts);
            prop_assert_eq!(segs.len(), pts.len() - 1);
            for (i, s) in segs.iter().enumerate() {
                prop_assert_eq!((s[4], s[5]), pts[i + 1]);
                check_no_overshoot(pts[i], s);
            }
        }
    }
}

#[test]
fn a_missing_emotion_breaks_the_line() {
    let m = maps::gaps();
    let e = emotion::layout(&m, None, Language::En);
    assert_eq!(e.primary.gaps, vec![0, 3, 5]);
    // Runs: 1-2, 4 alone, 6-7.
    assert_eq!(e.primary.curves.len(), 2);
    assert_eq!(e.primary.curves[0].segments.len(), 1);
    assert_eq!(e.primary.curves[1].segments.len(), 1);
}

#[test]
fn ticks_follow_any_scale() {
    let s = |min, max| Scale {
        min,
        max,
        labels: Vec::new(),
    };
    assert_eq!(
        emotion::tick_values(&s(-2.0, 2.0)),
        [2.0, 1.0, 0.0, -1.0, -2.0]
    );
    assert_eq!(
        emotion::tick_values(&s(1.0, 5.0)),
        [5.0, 4.0, 3.0, 2.0, 1.0]
    );
    assert_eq!(emotion::tick_values(&s(0.0, 10.0)).len(), 11);
    assert_eq!(emotion::tick_values(&s(0.0, 100.0)).len(), 11);
    let mut l = s(1.0, 4.0);
    l.labels = vec![(1.5, "Meh".into())];
    assert_eq!(emotion::tick_values(&l), [4.0, 3.0, 2.5, 2.0, 1.5, 1.0]);
}

#[test]
fn lanes_follow_the_map_and_empty_lanes_are_left_out() {
    use cxbook::model::Lane;
    let m = maps::chinese_hans();
    let s = swimlane::layout(&m, Language::ZhHans);
    let lanes: Vec<Lane> = s.rows.iter().map(|r| r.lane).collect();
    assert_eq!(
        lanes,
        [
            Lane::Actions,
            Lane::Touchpoints,
            Lane::Emotions,
            Lane::Pains,
            Lane::Owners
        ]
    );
    let h = maps::hostile();
    let s = swimlane::layout(&h, Language::En);
    assert_eq!(
        s.rows.iter().map(|r| r.lane).collect::<Vec<_>>(),
        h.lanes.clone().unwrap()
    );
}

fn all_svgs(m: &Map, c: Option<&Map>) -> Vec<String> {
    LANGS
        .iter()
        .flat_map(|&l| [diagrams::swimlane(m, l), diagrams::emotion(m, c, l)])
        .collect()
}

#[test]
fn svgs_are_standalone_accessible_xml() {
    for (m, c) in fixtures() {
        for svg in all_svgs(&m, c.as_ref()) {
            let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{}: {e}", m.id));
            let root = doc.root_element();
            assert_eq!(root.tag_name().name(), "svg");
            assert_eq!(root.attribute("role"), Some("img"));
            let kids: Vec<_> = root.children().filter(|n| n.is_element()).collect();
            assert_eq!(kids[0].tag_name().name(), "title");
            assert_eq!(kids[1].tag_name().name(), "desc");
            assert!(
                !kids[0].text().unwrap_or("").is_empty()
                    && !kids[1].text().unwrap_or("").is_empty()
            );
            let labelled = root.attribute("aria-labelledby").unwrap();
            for id in labelled.split(' ') {
                assert!(
                    doc.descendants().any(|n| n.attribute("id") == Some(id)),
                    "{id}"
                );
            }
            for n in doc.descendants() {
                for a in n.attributes() {
                    assert!(
                        !a.name().contains("href"),
                        "{}: external reference {a:?}",
                        m.id
                    );
                }
            }
            let style = doc
                .descendants()
                .find(|n| n.has_tag_name("style"))
                .unwrap()
                .text()
                .unwrap();
            assert!(!style.contains("url(") && !style.contains("@import"));
            assert!(
                style.contains("Noto Sans CJK")
                    && style.contains("Microsoft JhengHei")
                    && style.contains("PingFang")
            );
        }
        let spark = diagrams::sparkline(&m);
        let doc = roxmltree::Document::parse(&spark).unwrap();
        assert!(
            doc.descendants()
                .all(|n| n.attribute("id").is_none() && n.attribute("class").is_none())
        );
    }
}

#[test]
fn ids_and_classes_never_collide_between_diagrams_on_one_page() {
    let mut seen_ids = HashSet::new();
    let mut scopes = HashSet::new();
    for (m, c) in maps::all() {
        for svg in [
            diagrams::swimlane(&m, Language::En),
            diagrams::emotion(&m, c.as_ref(), Language::En),
        ] {
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let scope = doc.root_element().attribute("class").unwrap().to_string();
            assert!(scopes.insert(scope.clone()), "scope {scope} used twice");
            for n in doc.descendants() {
                if let Some(id) = n.attribute("id") {
                    assert!(seen_ids.insert(id.to_string()), "duplicate id {id}");
                    assert!(id.starts_with(&scope));
                }
                if let Some(class) = n.attribute("class") {
                    assert!(class.starts_with(&scope), "{class} outside {scope}");
                }
            }
            let style = doc
                .descendants()
                .find(|n| n.has_tag_name("style"))
                .unwrap()
                .text()
                .unwrap();
            for rule in style.split('}').filter(|r| !r.is_empty()) {
                assert!(
                    rule.starts_with(&format!(".{scope}")),
                    "unscoped CSS rule {rule}"
                );
            }
        }
    }
}

#[test]
fn output_is_byte_identical_for_the_same_input() {
    for (m, c) in maps::all() {
        assert_eq!(
            all_svgs(&m, c.as_ref()),
            all_svgs(&m.clone(), c.clone().as_ref())
        );
    }
}

/// A thread keeps a layout's vectors for the next diagram it draws: what
/// it drew before must not show in what it draws next. Every diagram drawn
/// after all the others on this thread, against the same diagram drawn
/// first on a thread of its own.
#[test]
fn diagrams_do_not_depend_on_those_drawn_before_on_the_thread() {
    let all = maps::all();
    for (m, c) in all.iter().rev() {
        all_svgs(m, c.as_ref());
    }
    let alone = |draw: &(dyn Fn() -> String + Sync)| {
        std::thread::scope(|s| s.spawn(draw).join().expect("drawn"))
    };
    for (m, c) in &all {
        let first: Vec<String> = LANGS
            .iter()
            .flat_map(|&l| {
                [
                    alone(&|| diagrams::swimlane(m, l)),
                    alone(&|| diagrams::emotion(m, c.as_ref(), l)),
                ]
            })
            .collect();
        assert!(all_svgs(m, c.as_ref()) == first, "{}", m.id);
    }
}

#[test]
fn authors_text_is_escaped_and_kept_whole() {
    let m = maps::hostile();
    for (i, svg) in all_svgs(&m, None).iter().enumerate() {
        let doc = roxmltree::Document::parse(svg).unwrap();
        assert!(
            !doc.descendants()
                .any(|n| n.has_tag_name("script") || n.has_tag_name("b"))
        );
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("title"))
            .unwrap()
            .text()
            .unwrap();
        assert!(
            title.starts_with("Title with # hash: colon & <script>alert('x')</script>"),
            "{title}"
        );
        let texts: String = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        let texts = squeeze(&texts);
        assert!(texts.contains("<script>alert(1)</script>"));
        if i % 2 == 1 {
            continue; // the curve shows names only
        }
        assert!(texts.contains(&squeeze("Issue #42: \"why?\" & 'how?'")));
        assert!(texts.contains(&squeeze("Fee: hidden # until the end")));
    }
}

#[test]
fn drawn_points_match_their_values() {
    let m = maps::chinese_hant();
    let e = emotion::layout(&m, None, Language::En);
    let svg = emotion::write(&e);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let cys: Vec<f64> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle") && n.children().any(|k| k.has_tag_name("title")))
        .map(|n| n.attribute("cy").unwrap().parse().unwrap())
        .collect();
    let want: Vec<f64> = m
        .touchpoints()
        .filter_map(|t| t.emotion)
        .map(|v| e.plot.y_of(v))
        .collect();
    assert_eq!(cys.len(), want.len());
    for (a, b) in cys.iter().zip(&want) {
        assert!((a - b).abs() <= 0.005, "{a} vs {b}");
    }
}

#[test]
fn moments_of_truth_and_the_lowest_point_are_marked_with_shape_and_words() {
    let m = maps::chinese_hant();
    let e = emotion::layout(&m, None, Language::ZhHant);
    let words: Vec<&str> = e.lines.iter().map(|l| e.text(l)).collect();
    assert!(words.contains(&"關鍵時刻") && words.contains(&"最低點"));
    assert!(
        e.markers
            .iter()
            .any(|s| matches!(s, diagrams::Shape::Diamond { .. }))
    );
    assert!(
        e.markers
            .iter()
            .any(|s| matches!(s, diagrams::Shape::TriangleDown { .. }))
    );
    let s = swimlane::layout(&m, Language::ZhHant);
    let words: Vec<&str> = s.lines.iter().map(|l| s.text(l)).collect();
    assert!(words.contains(&"關鍵時刻") && words.contains(&"假設"));
}

#[test]
fn compared_map_is_overlaid_with_a_legend() {
    let m = maps::rich(12);
    let f = maps::future(12);
    let e = emotion::layout(&m, Some(&f), Language::En);
    let c = e.compare.as_ref().unwrap();
    assert_eq!(c.points.len(), 12);
    // Same stages and touchpoints: the compared points share the columns.
    for (a, b) in e.primary.points.iter().zip(&c.points) {
        assert!((a.x - b.x).abs() < 1e-9);
    }
    let legend: Vec<&str> = e.lines.iter().map(|l| e.text(l)).collect();
    assert!(legend.contains(&m.title.as_str()) && legend.contains(&f.title.as_str()));
    // A compared map on another scale is brought onto this one.
    let z = maps::chinese_hans();
    let t = maps::chinese_hant();
    let e = emotion::layout(&z, Some(&t), Language::En);
    for p in &e.compare.as_ref().unwrap().points {
        assert!(p.y >= e.plot.y - EPS && p.y <= e.plot.bottom() + EPS);
    }
}

#[test]
fn snapshot_hostile_swimlane() {
    insta::assert_snapshot!(diagrams::swimlane(&maps::hostile(), Language::En));
}

#[test]
fn snapshot_chinese_emotion_curve() {
    insta::assert_snapshot!(diagrams::emotion(
        &maps::chinese_hant(),
        None,
        Language::ZhHant
    ));
}

#[test]
fn snapshot_sparkline() {
    insta::assert_snapshot!(diagrams::sparkline(&maps::gaps()));
}

/// The swimlane's rows are the map's visible lanes, in order (the layout
/// finds them on the stack, not through `Map::visible_lanes`).
#[test]
fn rows_are_the_visible_lanes() {
    let mut maps: Vec<Map> = fixtures().into_iter().map(|(m, _)| m).collect();
    let mut chosen = maps::typical(5);
    chosen.lanes = Some(vec![
        cxbook::model::Lane::Metrics,
        cxbook::model::Lane::Actions,
    ]);
    maps.push(chosen);
    for m in maps {
        let s = swimlane::layout(&m, Language::En);
        let rows: Vec<_> = s.rows.iter().map(|r| r.lane).collect();
        assert_eq!(rows, m.visible_lanes(), "{}", m.id);
    }
}

/// The lane rows' cells (rebuilt by `cells()` from where each one's lines
/// start) hold every line laid after the title, legend and stage cells,
/// each once and in order: cells given their neighbours' lines (checked
/// by shifting every range by one cell) or missing some fail here.
#[test]
fn the_lane_rows_cells_share_out_their_lines() {
    use cxbook::diagrams::CellRole;
    for (m, _) in fixtures() {
        for lang in [Language::En, Language::ZhHant] {
            let s = swimlane::layout(&m, lang);
            let cells = s.cells();
            let rows: Vec<&Cell> = cells
                .iter()
                .filter(|c| matches!(c.role, CellRole::LaneTitle | CellRole::Body { .. }))
                .collect();
            assert_eq!(rows.len(), s.rows.len() * (s.columns.len() + 1), "{}", m.id);
            let head_end = cells
                .iter()
                .filter(|c| !matches!(c.role, CellRole::LaneTitle | CellRole::Body { .. }))
                .map(|c| c.lines.end)
                .max()
                .unwrap_or(0);
            let Some(first) = rows.first() else { continue };
            assert_eq!(first.lines.start, head_end, "{}", m.id);
            let mut at = first.lines.start;
            for c in &rows {
                assert_eq!(c.lines.start, at, "{} {:?}", m.id, c.role);
                at = c.lines.end;
            }
            assert_eq!(at, s.lines.len(), "{}", m.id);
        }
    }
}
