//! The swimlane and emotion-curve diagrams, as standalone SVG.
//! Layout first (plain data that tests can check), then one pass of writing.

use crate::config::Language;
use crate::model::Map;

/// The swimlane SVG of `map`.
pub fn swimlane(_map: &Map, _lang: Language) -> String {
    String::new()
}

/// The emotion-curve SVG of `map`, with `compare` overlaid when given.
pub fn emotion(_map: &Map, _compare: Option<&Map>, _lang: Language) -> String {
    String::new()
}

/// A small curve for index cards (no text).
pub fn sparkline(_map: &Map) -> String {
    String::new()
}
