//! Fonts, colours and the CSS classes of both diagrams.
//!
//! Every text colour is listed with the backgrounds it is drawn on in
//! [`TEXT_ON`], and a test holds each pair to WCAG AA (4.5:1).

use crate::config::Language;
use crate::text::Font;
use std::sync::OnceLock;

/// Latin fonts first (their metrics are what [`crate::text::measure`]
/// assumes), then a CJK font for every OS. `system-ui` is left out on
/// purpose: on Linux it is often a wide font our measurements do not cover.
pub fn font_stack(lang: Language) -> &'static str {
    match lang {
        Language::ZhHans => {
            "'Segoe UI','Helvetica Neue',Helvetica,Arial,'Liberation Sans',Arimo,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC','Noto Sans SC','PingFang TC','Microsoft JhengHei','Noto Sans CJK TC','WenQuanYi Micro Hei',sans-serif"
        }
        _ => {
            "'Segoe UI','Helvetica Neue',Helvetica,Arial,'Liberation Sans',Arimo,'PingFang TC','Hiragino Sans','Microsoft JhengHei','Noto Sans CJK TC','Source Han Sans TC','Noto Sans TC','PingFang SC','Microsoft YaHei','Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif"
        }
    }
}

/// Every kind of text the diagrams draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextStyle {
    Title,
    Subtitle,
    Legend,
    Stage,
    StageNote,
    Lane,
    Name,
    Body,
    Thought,
    Channel,
    PainTag,
    OppTag,
    MotBadge,
    AssumptionBadge,
    PartialBadge,
    MetricValue,
    MetricNote,
    EmotionValue,
    Axis,
    AxisLabel,
    XLabel,
    XNote,
    MotLabel,
    LowLabel,
}

impl TextStyle {
    pub const ALL: [TextStyle; 24] = [
        TextStyle::Title,
        TextStyle::Subtitle,
        TextStyle::Legend,
        TextStyle::Stage,
        TextStyle::StageNote,
        TextStyle::Lane,
        TextStyle::Name,
        TextStyle::Body,
        TextStyle::Thought,
        TextStyle::Channel,
        TextStyle::PainTag,
        TextStyle::OppTag,
        TextStyle::MotBadge,
        TextStyle::AssumptionBadge,
        TextStyle::PartialBadge,
        TextStyle::MetricValue,
        TextStyle::MetricNote,
        TextStyle::EmotionValue,
        TextStyle::Axis,
        TextStyle::AxisLabel,
        TextStyle::XLabel,
        TextStyle::XNote,
        TextStyle::MotLabel,
        TextStyle::LowLabel,
    ];

    /// Size, weight, italics, colour, and whether it gets a white halo.
    const fn spec(self) -> (f64, bool, bool, &'static str, bool) {
        use TextStyle::*;
        match self {
            Title => (20.0, true, false, INK, false),
            Subtitle => (13.0, false, false, MUTED, false),
            Legend => (12.0, false, false, TEXT, false),
            Stage => (14.0, true, false, INK, false),
            StageNote => (12.0, false, false, TEXT_2, false),
            Lane => (13.0, true, false, TEXT, false),
            Name => (14.0, true, false, INK, false),
            Body => (13.0, false, false, TEXT, false),
            Thought => (13.0, false, true, TEXT_2, false),
            Channel => (13.0, false, false, "#1d4ed8", false),
            PainTag => (11.0, true, false, "#991b1b", false),
            OppTag => (11.0, true, false, "#166534", false),
            MotBadge => (11.0, true, false, "#92400e", false),
            AssumptionBadge => (11.0, true, false, "#5b21b6", false),
            PartialBadge => (11.0, true, false, "#075985", false),
            MetricValue => (13.0, true, false, INK, false),
            MetricNote => (11.0, false, false, MUTED, false),
            EmotionValue => (12.0, false, false, TEXT, false),
            Axis => (12.0, true, false, TEXT_2, false),
            AxisLabel => (11.0, false, false, MUTED, false),
            XLabel => (12.0, false, false, TEXT, false),
            XNote => (11.0, false, true, MUTED, false),
            MotLabel => (11.0, true, false, "#92400e", true),
            LowLabel => (11.0, true, false, "#991b1b", true),
        }
    }

    pub const fn font(self) -> Font {
        let (size, bold, ..) = self.spec();
        Font { size, bold }
    }

    pub const fn color(self) -> &'static str {
        self.spec().3
    }

    /// Height of one line of this style.
    pub fn line_height(self) -> f64 {
        (self.font().size * 1.4).round()
    }

    /// Where the baseline sits below the top of a line box.
    pub fn baseline(self) -> f64 {
        self.line_height() / 2.0 + 0.35 * self.font().size
    }

    /// Glyphs reach this far above the baseline and below it, for fonts
    /// of the stack (CJK ideographs included).
    pub fn ascent(self) -> f64 {
        0.95 * self.font().size
    }
    pub fn descent(self) -> f64 {
        0.25 * self.font().size
    }

    pub fn class(self) -> &'static str {
        TEXT_CLASSES[self as usize]
    }

    /// The class in four bytes and how many of them it takes, to be
    /// copied as a piece of fixed length.
    #[inline(always)]
    pub fn class_bytes(self) -> ([u8; 4], usize) {
        TEXT_CLASS_BYTES[self as usize]
    }

    fn css(self) -> String {
        let (size, bold, italic, color, halo) = self.spec();
        let mut s = format!("font-size:{size}px;fill:{color}");
        if bold {
            s.push_str(";font-weight:700");
        }
        if italic {
            s.push_str(";font-style:italic");
        }
        if halo {
            s.push_str(";paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round");
        }
        s
    }
}

const TEXT_CLASSES: [&str; 24] = [
    "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11", "t12", "t13", "t14",
    "t15", "t16", "t17", "t18", "t19", "t20", "t21", "t22", "t23",
];

const TEXT_CLASS_BYTES: [([u8; 4], usize); 24] = {
    let mut t = [([0u8; 4], 0usize); 24];
    let mut i = 0;
    while i < t.len() {
        let c = TEXT_CLASSES[i].as_bytes();
        assert!(c.len() <= 4);
        let mut k = 0;
        while k < c.len() {
            t[i].0[k] = c[k];
            k += 1;
        }
        t[i].1 = c.len();
        i += 1;
    }
    t
};

pub const INK: &str = "#111827";
pub const TEXT: &str = "#1f2937";
pub const TEXT_2: &str = "#374151";
pub const MUTED: &str = "#4b5563";

pub const WHITE: &str = "#ffffff";
pub const STRIPE: &str = "#f9fafb";
pub const LANE_BG: &str = "#f3f4f6";
pub const MOT_TINT: &str = "#fffbeb";

/// Light fill and strong accent of each stage, used in turn.
pub const STAGE_COLORS: [(&str, &str); 6] = [
    ("#eff6ff", "#3b82f6"),
    ("#f5f3ff", "#8b5cf6"),
    ("#ecfdf5", "#10b981"),
    ("#fff7ed", "#f97316"),
    ("#fdf2f8", "#ec4899"),
    ("#f0f9ff", "#0ea5e9"),
];

/// Text colours and every background each is drawn on.
pub const TEXT_ON: &[(TextStyle, &[&str])] = &[
    (TextStyle::Title, &[WHITE]),
    (TextStyle::Subtitle, &[WHITE]),
    (TextStyle::Legend, &[WHITE]),
    (
        TextStyle::Stage,
        &[
            "#eff6ff", "#f5f3ff", "#ecfdf5", "#fff7ed", "#fdf2f8", "#f0f9ff",
        ],
    ),
    (
        TextStyle::StageNote,
        &[
            "#eff6ff", "#f5f3ff", "#ecfdf5", "#fff7ed", "#fdf2f8", "#f0f9ff",
        ],
    ),
    (TextStyle::Lane, &[LANE_BG]),
    (TextStyle::Name, &[WHITE, STRIPE, MOT_TINT]),
    (TextStyle::Body, &[WHITE, STRIPE, MOT_TINT]),
    (TextStyle::Thought, &[WHITE, STRIPE, MOT_TINT]),
    (TextStyle::Channel, &[WHITE, STRIPE, MOT_TINT]),
    (TextStyle::PainTag, &[WHITE, STRIPE, MOT_TINT]),
    (TextStyle::OppTag, &[WHITE, STRIPE, MOT_TINT]),
    (TextStyle::MotBadge, &["#fef3c7"]),
    (TextStyle::AssumptionBadge, &["#f5f3ff"]),
    (TextStyle::PartialBadge, &["#f0f9ff"]),
    (TextStyle::MetricValue, &[WHITE, STRIPE, MOT_TINT]),
    (TextStyle::MetricNote, &[WHITE, STRIPE, MOT_TINT]),
    (TextStyle::EmotionValue, &[WHITE, STRIPE, MOT_TINT]),
    (TextStyle::Axis, &[WHITE]),
    (TextStyle::AxisLabel, &[WHITE]),
    (
        TextStyle::XLabel,
        &[
            "#eff6ff", "#f5f3ff", "#ecfdf5", "#fff7ed", "#fdf2f8", "#f0f9ff",
        ],
    ),
    (
        TextStyle::XNote,
        &[
            WHITE, STRIPE, MOT_TINT, "#eff6ff", "#f5f3ff", "#ecfdf5", "#fff7ed", "#fdf2f8",
            "#f0f9ff",
        ],
    ),
    (
        TextStyle::MotLabel,
        &[
            WHITE, "#eff6ff", "#f5f3ff", "#ecfdf5", "#fff7ed", "#fdf2f8", "#f0f9ff",
        ],
    ),
    (
        TextStyle::LowLabel,
        &[
            WHITE, "#eff6ff", "#f5f3ff", "#ecfdf5", "#fff7ed", "#fdf2f8", "#f0f9ff",
        ],
    ),
];

/// Every kind of shape the diagrams draw, declared in the order of their
/// layers ([`ShapeStyle::layer`]), so that the layer is the variant's
/// index and costs nothing to find.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShapeStyle {
    Background,
    LaneBg,
    Stripe,
    MotTint,
    StageFill(u8),
    StageBar(u8),
    Grid,
    PlotGrid,
    Axis,
    NeutralLine,
    GapLine,
    AssumptionOutline,
    PartialOutline,
    MotBadge,
    AssumptionBadge,
    PartialBadge,
    MotStar,
    ThoughtBar,
    PainDot,
    OppDiamond,
    GaugeTrack,
    GaugeTick,
    GaugePos,
    GaugeNeg,
    GaugeNeutral,
    MetricTrack,
    MetricBar,
    MetricTarget,
    LegendCurve,
    LegendCompare,
    Curve,
    CompareCurve,
    PointPos,
    PointNeg,
    PointNeutral,
    ComparePoint,
    MotMarker,
    LowMarker,
}

impl ShapeStyle {
    /// How many layers [`ShapeStyle::layer`] has.
    pub const LAYERS: usize = 38;

    /// The layer a shape of this style is drawn in, bottom first (see
    /// `Svg::shapes`): the order in which both diagrams lay out
    /// overlapping shapes (stage bars
    /// over stage fills, the grid over stripes and tints, column outlines
    /// over the grid, a gauge's tick over its track and its dot over the
    /// tick, a metric's bar over its track and the target over the bar, a
    /// badge's star over its pill, legend points over legend lines).
    pub const fn layer(self) -> usize {
        use ShapeStyle::*;
        match self {
            Background => 0,
            LaneBg => 1,
            Stripe => 2,
            MotTint => 3,
            StageFill(_) => 4,
            StageBar(_) => 5,
            Grid => 6,
            PlotGrid => 7,
            Axis => 8,
            NeutralLine => 9,
            GapLine => 10,
            AssumptionOutline => 11,
            PartialOutline => 12,
            MotBadge => 13,
            AssumptionBadge => 14,
            PartialBadge => 15,
            MotStar => 16,
            ThoughtBar => 17,
            PainDot => 18,
            OppDiamond => 19,
            GaugeTrack => 20,
            GaugeTick => 21,
            GaugePos => 22,
            GaugeNeg => 23,
            GaugeNeutral => 24,
            MetricTrack => 25,
            MetricBar => 26,
            MetricTarget => 27,
            LegendCurve => 28,
            LegendCompare => 29,
            Curve => 30,
            CompareCurve => 31,
            PointPos => 32,
            PointNeg => 33,
            PointNeutral => 34,
            ComparePoint => 35,
            MotMarker => 36,
            LowMarker => 37,
        }
    }

    /// Whether shapes of other styles may be in this style's layer (those
    /// of every stage colour are).
    pub const fn shares_layer(self) -> bool {
        matches!(self, ShapeStyle::StageFill(_) | ShapeStyle::StageBar(_))
    }

    pub fn class(self) -> &'static str {
        use ShapeStyle::*;
        match self {
            StageFill(i) => ["f0", "f1", "f2", "f3", "f4", "f5"][usize::from(i) % 6],
            StageBar(i) => ["b0", "b1", "b2", "b3", "b4", "b5"][usize::from(i) % 6],
            Background => "bg",
            Stripe => "st",
            LaneBg => "lb",
            Grid => "g",
            MotTint => "mt",
            MotStar => "ms",
            AssumptionOutline => "ao",
            PartialOutline => "po",
            MotBadge => "mb",
            AssumptionBadge => "ab",
            PartialBadge => "pb",
            PainDot => "pd",
            OppDiamond => "od",
            ThoughtBar => "tb",
            GaugeTrack => "gt",
            GaugePos => "gp",
            GaugeNeg => "gn",
            GaugeNeutral => "gz",
            GaugeTick => "gk",
            MetricTrack => "mk",
            MetricBar => "mr",
            MetricTarget => "mg",
            PlotGrid => "pg",
            NeutralLine => "nl",
            Axis => "ax",
            Curve => "cv",
            CompareCurve => "cc",
            PointPos => "pp",
            PointNeg => "pn",
            PointNeutral => "pz",
            ComparePoint => "cp",
            MotMarker => "mm",
            LowMarker => "lm",
            GapLine => "gl",
            LegendCurve => "lc",
            LegendCompare => "lk",
        }
    }
}

impl ShapeStyle {
    /// The class and the `" d="M` that follows it in a path's opening,
    /// in eight bytes, and how many of them it takes: a piece of fixed
    /// length (see `Svg::shapes`).
    #[inline(always)]
    pub fn class_then_d(self) -> ([u8; 8], usize) {
        match self {
            ShapeStyle::StageFill(i) => FILL_THEN_D[usize::from(i) % 6],
            ShapeStyle::StageBar(i) => BAR_THEN_D[usize::from(i) % 6],
            s => THEN_D[s.layer()],
        }
    }
}

/// `{class}" d="M` as [`ShapeStyle::class_then_d`] gives it.
const fn then_d(class: &str) -> ([u8; 8], usize) {
    let c = class.as_bytes();
    assert!(c.len() <= 2);
    let mut b = [0u8; 8];
    let mut i = 0;
    while i < c.len() {
        b[i] = c[i];
        i += 1;
    }
    let d = b"\" d=\"M";
    let mut k = 0;
    while k < d.len() {
        b[i + k] = d[k];
        k += 1;
    }
    (b, c.len() + d.len())
}

const FILL_THEN_D: [([u8; 8], usize); 6] = [
    then_d("f0"),
    then_d("f1"),
    then_d("f2"),
    then_d("f3"),
    then_d("f4"),
    then_d("f5"),
];
const BAR_THEN_D: [([u8; 8], usize); 6] = [
    then_d("b0"),
    then_d("b1"),
    then_d("b2"),
    then_d("b3"),
    then_d("b4"),
    then_d("b5"),
];
/// By layer, for the styles that have one to themselves.
const THEN_D: [([u8; 8], usize); ShapeStyle::LAYERS] = {
    let mut t = [([0u8; 8], 0usize); ShapeStyle::LAYERS];
    let mut i = 0;
    while i < SHAPE_CSS.len() {
        let (s, class, _) = SHAPE_CSS[i];
        t[s.layer()] = then_d(class);
        i += 1;
    }
    t
};

const SHAPE_CSS: &[(ShapeStyle, &str, &str)] = &[
    (ShapeStyle::Background, "bg", "fill:#fff;stroke:#d1d5db"),
    (ShapeStyle::Stripe, "st", "fill:#f9fafb"),
    (ShapeStyle::LaneBg, "lb", "fill:#f3f4f6"),
    (ShapeStyle::Grid, "g", "stroke:#e5e7eb;stroke-width:1"),
    (ShapeStyle::MotTint, "mt", "fill:#fffbeb"),
    (
        ShapeStyle::MotStar,
        "ms",
        "fill:#f59e0b;stroke:#b45309;stroke-width:1;stroke-linejoin:round",
    ),
    (
        ShapeStyle::AssumptionOutline,
        "ao",
        "fill:none;stroke:#7c3aed;stroke-width:1.5;stroke-dasharray:6 4",
    ),
    (
        ShapeStyle::PartialOutline,
        "po",
        "fill:none;stroke:#0284c7;stroke-width:1.5;stroke-dasharray:1.5 3;stroke-linecap:round",
    ),
    (
        ShapeStyle::MotBadge,
        "mb",
        "fill:#fef3c7;stroke:#f59e0b;stroke-width:1",
    ),
    (
        ShapeStyle::AssumptionBadge,
        "ab",
        "fill:#f5f3ff;stroke:#7c3aed;stroke-width:1;stroke-dasharray:3 2",
    ),
    (
        ShapeStyle::PartialBadge,
        "pb",
        "fill:#f0f9ff;stroke:#0284c7;stroke-width:1;stroke-dasharray:1 2",
    ),
    (ShapeStyle::PainDot, "pd", "fill:#dc2626"),
    (ShapeStyle::OppDiamond, "od", "fill:#16a34a"),
    (ShapeStyle::ThoughtBar, "tb", "fill:#cbd5e1"),
    (ShapeStyle::GaugeTrack, "gt", "fill:#e5e7eb"),
    (
        ShapeStyle::GaugePos,
        "gp",
        "fill:#16a34a;stroke:#fff;stroke-width:1.5",
    ),
    (
        ShapeStyle::GaugeNeg,
        "gn",
        "fill:#dc2626;stroke:#fff;stroke-width:1.5",
    ),
    (
        ShapeStyle::GaugeNeutral,
        "gz",
        "fill:#6b7280;stroke:#fff;stroke-width:1.5",
    ),
    (
        ShapeStyle::GaugeTick,
        "gk",
        "stroke:#6b7280;stroke-width:1.5",
    ),
    (ShapeStyle::MetricTrack, "mk", "fill:#e5e7eb"),
    (ShapeStyle::MetricBar, "mr", "fill:#2563eb"),
    (
        ShapeStyle::MetricTarget,
        "mg",
        "stroke:#111827;stroke-width:2",
    ),
    (ShapeStyle::PlotGrid, "pg", "stroke:#e5e7eb;stroke-width:1"),
    (
        ShapeStyle::NeutralLine,
        "nl",
        "stroke:#6b7280;stroke-width:1.5;stroke-dasharray:6 4",
    ),
    (ShapeStyle::Axis, "ax", "stroke:#9ca3af;stroke-width:1"),
    (
        ShapeStyle::Curve,
        "cv",
        "fill:none;stroke:#2563eb;stroke-width:3;stroke-linecap:round;stroke-linejoin:round",
    ),
    (
        ShapeStyle::CompareCurve,
        "cc",
        "fill:none;stroke:#c2410c;stroke-width:2.5;stroke-dasharray:8 5;stroke-linecap:round",
    ),
    (
        ShapeStyle::PointPos,
        "pp",
        "fill:#16a34a;stroke:#fff;stroke-width:2",
    ),
    (
        ShapeStyle::PointNeg,
        "pn",
        "fill:#dc2626;stroke:#fff;stroke-width:2",
    ),
    (
        ShapeStyle::PointNeutral,
        "pz",
        "fill:#6b7280;stroke:#fff;stroke-width:2",
    ),
    (
        ShapeStyle::ComparePoint,
        "cp",
        "fill:#fff;stroke:#c2410c;stroke-width:2",
    ),
    (
        ShapeStyle::MotMarker,
        "mm",
        "fill:#fde68a;stroke:#b45309;stroke-width:2;stroke-linejoin:round",
    ),
    (
        ShapeStyle::LowMarker,
        "lm",
        "fill:#fecaca;stroke:#b91c1c;stroke-width:2;stroke-linejoin:round",
    ),
    (
        ShapeStyle::GapLine,
        "gl",
        "stroke:#9ca3af;stroke-width:1.5;stroke-dasharray:2 4",
    ),
    (
        ShapeStyle::LegendCurve,
        "lc",
        "fill:none;stroke:#2563eb;stroke-width:3;stroke-linecap:round",
    ),
    (
        ShapeStyle::LegendCompare,
        "lk",
        "fill:none;stroke:#c2410c;stroke-width:2.5;stroke-dasharray:8 5",
    ),
];

/// Writes the `<style>` body for one diagram into `out`, every selector
/// under `scope`. The rules are built once per language: for a scope of
/// the usual length (see [`super::scope`]) as one text copied at once with
/// the scope then written into its holes, otherwise as pieces between
/// which the scope goes.
pub fn write_css(out: &mut Vec<u8>, scope: &str, lang: Language) {
    static PIECES: [OnceLock<Vec<String>>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    static FILLED: [OnceLock<Holed>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let pieces = PIECES[lang as usize].get_or_init(|| {
        css(SCOPE_MARK, lang)
            .split(SCOPE_MARK)
            .map(str::to_string)
            .collect()
    });
    if let Ok(&scope) = <&[u8; SCOPE_LEN]>::try_from(scope.as_bytes()) {
        let t = FILLED[lang as usize].get_or_init(|| Holed::new(pieces));
        let at = out.len();
        out.extend_from_slice(&t.text);
        let body = &mut out[at..];
        // The scope as two words that overlap, kept in registers.
        let [a, b, c, d, e, f, g, h, i, j, k] = scope;
        let (head, tail) = ([a, b, c, d, e, f, g, h], [h, i, j, k]);
        for &at in &t.holes {
            let at = at as usize;
            if let Some(hole) = body.get_mut(at..at + SCOPE_LEN) {
                hole[..8].copy_from_slice(&head);
                hole[7..].copy_from_slice(&tail);
            }
        }
        return;
    }
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(scope.as_bytes());
        }
        out.extend_from_slice(p.as_bytes());
    }
}

/// The length of a scope as [`super::scope`] makes it: `cx`, eight hex
/// digits and a letter.
const SCOPE_LEN: usize = 11;

/// The style sheet with room for a scope of [`SCOPE_LEN`] bytes at each of
/// `holes`.
struct Holed {
    text: Vec<u8>,
    /// As `u32`, so that the end of a hole cannot overflow.
    holes: Vec<u32>,
}

impl Holed {
    fn new(pieces: &[String]) -> Holed {
        let mut text = Vec::with_capacity(pieces.iter().map(|p| p.len() + SCOPE_LEN).sum());
        let mut holes = Vec::with_capacity(pieces.len());
        for (i, p) in pieces.iter().enumerate() {
            if i > 0 {
                holes.push(text.len() as u32);
                text.extend_from_slice(&[b'_'; SCOPE_LEN]);
            }
            text.extend_from_slice(p.as_bytes());
        }
        Holed { text, holes }
    }
}

const SCOPE_MARK: &str = "\u{1}";

/// The `<style>` body for one diagram, every selector under `scope`.
pub fn css(scope: &str, lang: Language) -> String {
    let mut s = String::with_capacity(4096);
    s.push('.');
    s.push_str(scope);
    s.push_str("{font-family:");
    s.push_str(font_stack(lang));
    s.push('}');
    // Text is drawn where we measured it: no spacing from a page's CSS.
    s.push('.');
    s.push_str(scope);
    s.push_str(" text{letter-spacing:normal;word-spacing:normal}");
    for t in TextStyle::ALL {
        rule(&mut s, scope, t.class(), &t.css());
    }
    for (i, (fill, bar)) in STAGE_COLORS.iter().enumerate() {
        rule(&mut s, scope, &format!("f{i}"), &format!("fill:{fill}"));
        rule(&mut s, scope, &format!("b{i}"), &format!("fill:{bar}"));
    }
    for (_, class, body) in SHAPE_CSS {
        rule(&mut s, scope, class, body);
    }
    s
}

fn rule(s: &mut String, scope: &str, class: &str, body: &str) {
    s.push('.');
    s.push_str(scope);
    s.push('-');
    s.push_str(class);
    s.push('{');
    s.push_str(body);
    s.push('}');
}

/// WCAG relative luminance of `#rrggbb`.
pub fn luminance(hex: &str) -> f64 {
    let c = |i: usize| {
        let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
}

/// WCAG contrast ratio of two `#rrggbb` colours.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_colour_meets_wcag_aa_on_its_backgrounds() {
        for t in TextStyle::ALL {
            let Some((_, bgs)) = TEXT_ON.iter().find(|(s, _)| *s == t) else {
                panic!("{t:?} has no background listed in TEXT_ON");
            };
            for bg in *bgs {
                let c = contrast(t.color(), bg);
                assert!(c >= 4.5, "{t:?} {} on {bg}: {c:.2}", t.color());
            }
        }
    }

    #[test]
    fn the_style_sheet_is_the_same_for_every_scope_length() {
        for lang in [Language::En, Language::ZhHant, Language::ZhHans] {
            for scope in [
                super::super::scope("m", 's'),
                "x".into(),
                "cx0123456é".into(),
            ] {
                let mut out = Vec::new();
                write_css(&mut out, &scope, lang);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    css(&scope, lang),
                    "{scope}"
                );
            }
        }
    }

    #[test]
    fn every_shape_style_has_a_class() {
        let mut seen = std::collections::HashSet::new();
        for (s, c, _) in SHAPE_CSS {
            assert!(seen.insert(*c), "duplicate class {c} ({s:?})");
        }
        assert_eq!(ShapeStyle::StageFill(7).class(), "f1");
        for (s, c, _) in SHAPE_CSS {
            assert_eq!(s.class(), *c);
        }
    }

    #[test]
    fn a_path_opens_with_its_class() {
        let all = SHAPE_CSS
            .iter()
            .map(|(s, _, _)| *s)
            .chain((0..=255).flat_map(|i| [ShapeStyle::StageFill(i), ShapeStyle::StageBar(i)]));
        for s in all {
            let (b, n) = s.class_then_d();
            assert_eq!(
                &b[..n],
                format!("{}\" d=\"M", s.class()).as_bytes(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn every_shape_style_has_its_own_layer() {
        let mut seen = std::collections::HashSet::new();
        for (s, _, _) in SHAPE_CSS {
            assert!(s.layer() < ShapeStyle::LAYERS);
            assert!(seen.insert(s.layer()), "{s:?} shares a layer");
        }
        assert_eq!(seen.len() + 2, ShapeStyle::LAYERS, "StageFill, StageBar");
        let all: Vec<ShapeStyle> = SHAPE_CSS
            .iter()
            .map(|(s, _, _)| *s)
            .chain((0..12).flat_map(|i| [ShapeStyle::StageFill(i), ShapeStyle::StageBar(i)]))
            .collect();
        for a in &all {
            for b in &all {
                if a != b && a.layer() == b.layer() {
                    assert!(a.shares_layer() && b.shares_layer(), "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn text_classes_follow_the_enum() {
        for (i, t) in TextStyle::ALL.iter().enumerate() {
            assert_eq!(*t as usize, i);
        }
    }
}
