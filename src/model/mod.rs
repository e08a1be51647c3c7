//! The typed handbook: maps, personas and plain pages, after validation.
//!
//! Nothing here knows about HTML or SVG. Values are already checked: an
//! emotion is finite and inside the map's scale, ids of personas and
//! compared maps exist, dates are real dates. [`validate`] turns the YAML
//! tree of one file into these types and reports every problem it finds.

pub mod date;
pub mod validate;

pub use date::Date;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// The emotion scale a map is drawn against: `min < max`, both finite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    pub min: f64,
    pub max: f64,
    /// Names for points of the scale, sorted by value (`-2 => "Angry"`).
    pub labels: Vec<(f64, String)>,
}

impl Default for Scale {
    fn default() -> Self {
        Scale {
            min: -2.0,
            max: 2.0,
            labels: Vec::new(),
        }
    }
}

impl Scale {
    /// The value drawn as the neutral line: 0 when it lies strictly inside
    /// the scale, else the middle (1..5 has its neutral at 3, 0..10 at 5).
    pub fn neutral(&self) -> f64 {
        if self.min < 0.0 && self.max > 0.0 {
            0.0
        } else {
            (self.min + self.max) / 2.0
        }
    }

    pub fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.min && v <= self.max
    }

    /// The label for an exact point of the scale, if one was given.
    pub fn label(&self, v: f64) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| (*k - v).abs() < 1e-9)
            .map(|(_, l)| l.as_str())
    }
}

/// `state:` of a map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MapState {
    #[default]
    Current,
    Future,
    DayInTheLife,
}

impl MapState {
    pub const ALL: [(&'static str, MapState); 3] = [
        ("current", MapState::Current),
        ("future", MapState::Future),
        ("day-in-the-life", MapState::DayInTheLife),
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            MapState::Current => "current",
            MapState::Future => "future",
            MapState::DayInTheLife => "day-in-the-life",
        }
    }
}

/// A swimlane row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lane {
    Actions,
    Touchpoints,
    Channels,
    Thoughts,
    Emotions,
    Pains,
    Opportunities,
    Owners,
    Metrics,
}

impl Lane {
    /// Every lane in the default order.
    pub const ALL: [Lane; 9] = [
        Lane::Actions,
        Lane::Touchpoints,
        Lane::Channels,
        Lane::Thoughts,
        Lane::Emotions,
        Lane::Pains,
        Lane::Opportunities,
        Lane::Owners,
        Lane::Metrics,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Lane::Actions => "actions",
            Lane::Touchpoints => "touchpoints",
            Lane::Channels => "channels",
            Lane::Thoughts => "thoughts",
            Lane::Emotions => "emotions",
            Lane::Pains => "pains",
            Lane::Opportunities => "opportunities",
            Lane::Owners => "owners",
            Lane::Metrics => "metrics",
        }
    }
    pub fn parse(s: &str) -> Option<Lane> {
        Lane::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// `evidence:` of a touchpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    Research,
    Partial,
    Assumption,
}

impl Evidence {
    pub const ALL: [(&'static str, Evidence); 3] = [
        ("research", Evidence::Research),
        ("partial", Evidence::Partial),
        ("assumption", Evidence::Assumption),
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Research => "research",
            Evidence::Partial => "partial",
            Evidence::Assumption => "assumption",
        }
    }
}

/// `severity:` of a pain, `priority:` of an opportunity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Low,
    Medium,
    High,
}

impl Level {
    pub const ALL: [(&'static str, Level); 3] = [
        ("low", Level::Low),
        ("medium", Level::Medium),
        ("high", Level::High),
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
        }
    }
}

/// `kind:` of a pain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PainKind {
    Process,
    Product,
    Emotional,
    Support,
}

impl PainKind {
    pub const ALL: [(&'static str, PainKind); 4] = [
        ("process", PainKind::Process),
        ("product", PainKind::Product),
        ("emotional", PainKind::Emotional),
        ("support", PainKind::Support),
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            PainKind::Process => "process",
            PainKind::Product => "product",
            PainKind::Emotional => "emotional",
            PainKind::Support => "support",
        }
    }
}

/// `status:` of an opportunity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Idea,
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl Status {
    pub const ALL: [(&'static str, Status); 5] = [
        ("idea", Status::Idea),
        ("planned", Status::Planned),
        ("in-progress", Status::InProgress),
        ("done", Status::Done),
        ("dropped", Status::Dropped),
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Idea => "idea",
            Status::Planned => "planned",
            Status::InProgress => "in-progress",
            Status::Done => "done",
            Status::Dropped => "dropped",
        }
    }
    /// Done and dropped opportunities are closed: they are never overdue.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Done | Status::Dropped)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pain {
    pub text: String,
    pub kind: Option<PainKind>,
    pub severity: Option<Level>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    pub text: String,
    /// Already defaulted to the touchpoint's owner when not given.
    pub owner: Option<String>,
    pub priority: Option<Level>,
    pub status: Option<Status>,
    pub due: Option<Date>,
}

impl Opportunity {
    /// True when `due` has passed (before `today`) and the status is open.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.due.is_some_and(|d| d < today) && self.status.is_none_or(Status::is_open)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub name: String,
    pub value: f64,
    pub target: Option<f64>,
    pub previous: Option<f64>,
    pub unit: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Touchpoint {
    pub name: String,
    pub channel: Option<String>,
    pub action: Option<String>,
    pub thought: Option<String>,
    /// Finite and inside the map's scale.
    pub emotion: Option<f64>,
    pub pains: Vec<Pain>,
    pub opportunities: Vec<Opportunity>,
    pub owner: Option<String>,
    pub moment_of_truth: bool,
    pub evidence: Option<Evidence>,
    /// In the order written.
    pub metrics: Vec<Metric>,
    /// Slug unique inside the map, for `#tp-…` anchors.
    pub anchor: String,
    /// 1-based line of the touchpoint in its file.
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub name: String,
    pub description: Option<String>,
    pub touchpoints: Vec<Touchpoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Map {
    /// Path under `content/` without `.md`, with `/` separators.
    pub id: String,
    /// The file, relative to the project root.
    pub source: PathBuf,
    pub title: String,
    pub persona: Option<String>,
    pub state: MapState,
    pub compare: Option<String>,
    pub owner: Option<String>,
    pub reviewed: Option<Date>,
    pub tags: Vec<String>,
    pub weight: Option<i64>,
    /// The map's own scale, or the site's.
    pub scale: Scale,
    /// `lanes:` as written, if it was.
    pub lanes: Option<Vec<Lane>>,
    pub stages: Vec<Stage>,
    /// `extra:` as written, for templates.
    pub extra: serde_json::Value,
    /// Markdown after the front matter.
    pub body: String,
}

impl Map {
    /// The lanes to draw: `lanes:` as written, else the default order
    /// without lanes that have nothing in them.
    pub fn visible_lanes(&self) -> Vec<Lane> {
        if let Some(l) = &self.lanes {
            return l.clone();
        }
        Lane::ALL
            .into_iter()
            .filter(|lane| self.touchpoints().any(|t| t.has_lane(*lane)))
            .collect()
    }

    /// Every touchpoint in order, across stages.
    pub fn touchpoints(&self) -> impl Iterator<Item = &Touchpoint> {
        self.stages.iter().flat_map(|s| s.touchpoints.iter())
    }

    /// The touchpoint with the lowest emotion (the first of equals).
    pub fn lowest(&self) -> Option<&Touchpoint> {
        self.touchpoints().filter(|t| t.emotion.is_some()).fold(
            None,
            |best: Option<&Touchpoint>, t| match best {
                Some(b) if b.emotion <= t.emotion => Some(b),
                _ => Some(t),
            },
        )
    }
}

impl Touchpoint {
    /// Whether this touchpoint has anything to show in `lane`.
    pub fn has_lane(&self, lane: Lane) -> bool {
        match lane {
            Lane::Actions => self.action.is_some(),
            Lane::Touchpoints => true,
            Lane::Channels => self.channel.is_some(),
            Lane::Thoughts => self.thought.is_some(),
            Lane::Emotions => self.emotion.is_some(),
            Lane::Pains => !self.pains.is_empty(),
            Lane::Opportunities => !self.opportunities.is_empty(),
            Lane::Owners => self.owner.is_some(),
            Lane::Metrics => !self.metrics.is_empty(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Persona {
    /// File stem under `content/personas/`.
    pub id: String,
    pub source: PathBuf,
    pub name: String,
    pub role: Option<String>,
    pub quote: Option<String>,
    pub goals: Vec<String>,
    pub frustrations: Vec<String>,
    pub image: Option<String>,
    pub body: String,
}

/// A Markdown file without `stages` (and `_index.md` files).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// Path under `content/` without `.md`; `_index` for the home page,
    /// `dir/_index` for a section's own text.
    pub id: String,
    pub source: PathBuf,
    pub title: String,
    pub weight: Option<i64>,
    pub body: String,
}

/// Everything under `content/`, validated.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Handbook {
    /// Sorted by id. Shared: `serve` keeps the maps that did not change
    /// from one build to the next instead of copying them.
    pub maps: Vec<Arc<Map>>,
    /// Sorted by id.
    pub personas: Vec<Persona>,
    /// Plain pages sorted by id, `_index` pages included.
    pub pages: Vec<Page>,
}

impl Handbook {
    pub fn map(&self, id: &str) -> Option<&Map> {
        self.maps
            .binary_search_by(|m| m.id.as_str().cmp(id))
            .ok()
            .map(|i| &*self.maps[i])
    }
    pub fn persona(&self, id: &str) -> Option<&Persona> {
        self.personas
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.personas[i])
    }
    /// Maps grouped by tag, tags sorted.
    pub fn tags(&self) -> BTreeMap<&str, Vec<&Map>> {
        let mut out: BTreeMap<&str, Vec<&Map>> = BTreeMap::new();
        for m in &self.maps {
            for t in &m.tags {
                out.entry(t.as_str()).or_default().push(m);
            }
        }
        out
    }
}

/// Maps and touchpoints made in unit tests, with nothing but what a test
/// sets.
#[cfg(test)]
impl Map {
    /// A current-state map `id` of one stage holding `touchpoints`.
    pub(crate) fn of_one_stage(id: &str, touchpoints: Vec<Touchpoint>) -> Map {
        Map {
            id: id.into(),
            source: format!("content/{id}.md").into(),
            title: id.into(),
            persona: None,
            state: MapState::Current,
            compare: None,
            owner: None,
            reviewed: None,
            tags: Vec::new(),
            weight: None,
            scale: Scale::default(),
            lanes: None,
            stages: vec![Stage {
                name: "Stage".into(),
                description: None,
                touchpoints,
            }],
            extra: serde_json::Value::Null,
            body: String::new(),
        }
    }
}

#[cfg(test)]
impl Touchpoint {
    /// A touchpoint with a name and nothing else.
    pub(crate) fn named(name: &str, anchor: String) -> Touchpoint {
        Touchpoint {
            name: name.into(),
            channel: None,
            action: None,
            thought: None,
            emotion: None,
            pains: Vec::new(),
            opportunities: Vec::new(),
            owner: None,
            moment_of_truth: false,
            evidence: None,
            metrics: Vec::new(),
            anchor,
            line: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Scale;

    #[test]
    fn neutral_is_zero_inside_the_scale_else_the_middle() {
        let s = |min, max| Scale {
            min,
            max,
            labels: Vec::new(),
        };
        assert_eq!(s(-2.0, 2.0).neutral(), 0.0);
        assert_eq!(s(1.0, 5.0).neutral(), 3.0);
        assert_eq!(s(0.0, 10.0).neutral(), 5.0);
        assert_eq!(s(-10.0, 0.0).neutral(), -5.0);
    }
}
