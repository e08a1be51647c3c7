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
pub use wrap::{Line, wrap};
