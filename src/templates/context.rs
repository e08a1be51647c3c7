//! The typed context of every template. Each page context flattens
//! [`Common`] (what `base.html` needs) and adds its own fields; the README
//! lists them. Every `href` is already relative to the page (it starts with
//! `root` or is a fragment), every `*_html`/`*_svg` field is trusted markup
//! to print with `| safe`, and everything else is plain text that Tera
//! escapes.

use crate::i18n::Labels;
use crate::markdown::Heading;
use serde::Serialize;

/// The handbook as a whole.
#[derive(Clone, Debug, Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub description: String,
    /// `<html lang>`: `en`, `zh-Hant` or `zh-Hans`.
    pub lang: String,
    /// `[build] base-url`, always ending with `/`.
    pub base_url: String,
    pub generator: String,
}

/// What every page has.
#[derive(Clone, Debug, Serialize)]
pub struct Common<'a> {
    pub site: &'a SiteInfo,
    pub labels: &'static Labels,
    /// From this page to the site root: `""`, `"../"`, `"../../"`…
    pub root: String,
    /// The `<title>` of the page (without the site title).
    pub page_title: String,
    /// Full URL path for `<link rel="canonical">` (base-url based).
    pub canonical: String,
    /// What kind of page: `index`, `section`, `map`, `persona`, `personas`,
    /// `tag`, `tags`, `pains`, `backlog`, `page`, `404`.
    pub kind: &'static str,
    /// The folder-tree navigation, current branch only.
    pub nav: Vec<NavEntry>,
    /// Previous and next item in navigation order.
    pub prev: Option<Link>,
    pub next: Option<Link>,
    /// Inline CSS (404 only, where relative links cannot reach the assets).
    pub inline_css: Option<String>,
}

/// A link with its text.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    pub href: String,
}

/// One line of the navigation tree.
#[derive(Clone, Debug, Serialize)]
pub struct NavEntry {
    pub title: String,
    pub href: String,
    /// 0 for the top level.
    pub depth: usize,
    /// `section`, `map`, `page` or `more` (a link to the whole section when
    /// only part of a long one is shown).
    pub kind: &'static str,
    /// This is the page being shown.
    pub current: bool,
    /// A section on the way to the current page (shown open).
    pub open: bool,
}

/// A map as a card (index, sections, tags, personas).
#[derive(Clone, Debug, Serialize)]
pub struct MapCard {
    pub id: String,
    pub title: String,
    pub href: String,
    pub state: String,
    pub state_label: String,
    pub persona: Option<String>,
    pub owner: Option<String>,
    pub touchpoints: usize,
    /// The small curve (trusted SVG).
    pub sparkline_svg: String,
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CardGroup {
    pub title: String,
    pub href: Option<String>,
    pub maps: Vec<MapCard>,
}

/// `index.html`.
#[derive(Serialize)]
pub struct IndexContext<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    /// `content/_index.md` rendered.
    pub intro_html: String,
    /// Every map, grouped by top-level section (the root's own maps first).
    pub groups: Vec<CardGroup>,
    pub map_count: usize,
    pub personas: Vec<Link>,
    pub pages: Vec<Link>,
}

/// `<dir>/index.html`: a folder of the content tree.
#[derive(Serialize)]
pub struct SectionContext<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub title: String,
    pub intro_html: String,
    pub subsections: Vec<Link>,
    pub maps: Vec<MapCard>,
    pub pages: Vec<Link>,
}

/// A map's page.
#[derive(Serialize)]
pub struct MapContext<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub map: MapView<'a>,
}

#[derive(Serialize)]
pub struct MapView<'a> {
    pub id: String,
    pub title: String,
    pub state: String,
    pub state_label: String,
    pub persona: Option<Link>,
    pub compare: Option<Link>,
    pub compared_by: Vec<Link>,
    pub owner: Option<String>,
    pub reviewed: Option<String>,
    /// `reviewed` is older than `[check] stale-after-days`.
    pub stale: bool,
    pub tags: Vec<Link>,
    pub swimlane_svg: String,
    pub emotion_svg: String,
    /// The natural widths of the two SVGs in px (from their `width`), so
    /// the theme can keep text readable and scroll instead of shrinking.
    pub swimlane_width: u32,
    pub emotion_width: u32,
    pub swimlane_href: String,
    pub emotion_href: String,
    pub body_html: String,
    pub headings: Vec<Heading>,
    pub stages: Vec<StageView>,
    /// The data table of the default theme, written in Rust from `stages`.
    pub data_table_html: String,
    /// How many columns the data table has.
    pub columns: Vec<String>,
    pub scale_min: String,
    pub scale_max: String,
    /// The map's `extra:` as written.
    pub extra: &'a serde_json::Value,
}

#[derive(Serialize)]
pub struct StageView {
    pub name: String,
    pub description: Option<String>,
    pub touchpoints: Vec<TouchpointView>,
}

#[derive(Serialize)]
pub struct TouchpointView {
    /// Without `tp-`: the row's id is `tp-{{ anchor }}`.
    pub anchor: String,
    pub name: String,
    pub channel: Option<String>,
    pub action: Option<String>,
    pub thought: Option<String>,
    pub emotion: Option<String>,
    pub emotion_label: Option<String>,
    pub pains: Vec<PainView>,
    pub opportunities: Vec<OpportunityView>,
    pub owner: Option<String>,
    pub moment_of_truth: bool,
    pub lowest: bool,
    pub evidence: Option<String>,
    pub evidence_label: Option<String>,
    pub metrics: Vec<MetricView>,
}

#[derive(Serialize)]
pub struct PainView {
    pub text: String,
    pub kind: Option<String>,
    pub severity: Option<String>,
}

#[derive(Serialize)]
pub struct OpportunityView {
    pub text: String,
    pub owner: Option<String>,
    pub priority: Option<String>,
    pub status: Option<String>,
    pub due: Option<String>,
    pub overdue: bool,
}

#[derive(Serialize)]
pub struct MetricView {
    pub name: String,
    /// Value with unit, and target / previous when given, as text.
    pub text: String,
}

/// `personas/<id>/index.html`.
#[derive(Serialize)]
pub struct PersonaContext<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub persona: PersonaView,
    pub maps: Vec<MapCard>,
}

#[derive(Serialize)]
pub struct PersonaView {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub quote: Option<String>,
    pub goals: Vec<String>,
    pub frustrations: Vec<String>,
    /// Relative URL of the image when it is a file of the handbook.
    pub image: Option<String>,
    pub body_html: String,
}

/// `personas/index.html`.
#[derive(Serialize)]
pub struct PersonasContext<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub personas: Vec<PersonaSummary>,
}

#[derive(Serialize)]
pub struct PersonaSummary {
    pub name: String,
    pub href: String,
    pub role: Option<String>,
    pub quote: Option<String>,
    pub map_count: usize,
}

/// `tags/<tag>/index.html`.
#[derive(Serialize)]
pub struct TagContext<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub tag: String,
    pub maps: Vec<MapCard>,
}

/// `tags/index.html`.
#[derive(Serialize)]
pub struct TagsContext<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub tags: Vec<TagSummary>,
}

#[derive(Serialize)]
pub struct TagSummary {
    pub tag: String,
    pub href: String,
    pub count: usize,
}

/// `reports/pains/index.html`.
#[derive(Serialize)]
pub struct PainsContext<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub groups: Vec<OwnerGroup>,
    pub pain_count: usize,
    pub opportunity_count: usize,
}

#[derive(Serialize)]
pub struct OwnerGroup {
    pub owner: String,
    /// An id for the owner's heading.
    pub id: String,
    /// How many rows the group has.
    pub count: usize,
    /// The rows as `<tr>` elements, escaped and ready to insert: a report
    /// of a large handbook has tens of thousands of rows, and writing them
    /// in Rust is about 20 times faster than a template loop.
    pub rows_html: String,
}

#[derive(Serialize)]
pub struct ReportRow {
    /// `pain` or `opportunity`.
    pub what: &'static str,
    pub what_label: String,
    pub text: String,
    pub emotion: Option<String>,
    /// The emotion's place in its map's scale, `0.000` (lowest) to `1.000`:
    /// the rows are ranked by it, since maps may use different scales.
    pub level: Option<String>,
    /// The map's own scale (`1…5`) when it is not the site's.
    pub scale: Option<String>,
    pub kind: Option<String>,
    pub severity: Option<String>,
    pub priority: Option<String>,
    pub status: Option<String>,
    pub map: Link,
    /// The touchpoint, linked to its row of the map page.
    pub touchpoint: Link,
}

/// `reports/opportunities/index.html`.
#[derive(Serialize)]
pub struct BacklogContext<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    /// How many rows there are.
    pub row_count: usize,
    /// The rows as `<tr>` elements, escaped and ready to insert (see
    /// [`OwnerGroup::rows_html`]).
    pub rows_html: String,
    pub overdue_count: usize,
    pub today: String,
}

#[derive(Serialize)]
pub struct BacklogRow {
    pub text: String,
    pub owner: Option<String>,
    pub priority: Option<String>,
    pub priority_label: Option<String>,
    pub status: Option<String>,
    pub status_label: Option<String>,
    pub due: Option<String>,
    pub overdue: bool,
    pub map: Link,
    pub touchpoint: Link,
}

/// A plain page.
#[derive(Serialize)]
pub struct PageContext<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
    pub title: String,
    pub body_html: String,
    pub headings: Vec<Heading>,
}

/// `404.html`.
#[derive(Serialize)]
pub struct NotFoundContext<'a> {
    #[serde(flatten)]
    pub common: Common<'a>,
}
