//! Measuring and wrapping text for SVG: advance widths per character
//! (CJK at 1 em) and UAX #14 line breaking.
//!
//! Nothing here draws. [`measure`] estimates how wide a string is in a
//! given [`Font`], on the generous side so that a real font never draws
//! wider than we planned; [`wrap`] cuts a string into lines no wider than a
//! limit, breaking where UAX #14 allows (between CJK characters, at spaces)
//! and, for a word longer than the whole line, between characters. No line
//! ever gets a hyphen, and no character is ever dropped.

pub mod measure;
pub mod wrap;

pub use measure::{Font, text_width};
pub use wrap::{Line, LineSink, wrap, wrap_into};

/// A slug for ids and folder names: lower case, letters and digits of any
/// script kept (CJK included), every run of anything else folded into one
/// `-`, none at either end. Empty when `text` has no letter or digit;
/// callers pick their own fallback.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}
