//! Measuring and wrapping text for SVG: advance widths per character
//! (CJK at 1 em) and UAX #14 line breaking.
