//! Advance widths: how far the pen moves for each character.
//!
//! The diagrams name a font stack (Segoe UI, Helvetica Neue, Arial, then
//! the CJK fonts of each OS), so we cannot know the exact font that will
//! draw the text. We measure with Arial's advance widths for ASCII, scaled
//! up by [`LATIN_SAFETY`] so that the wider fonts of the stack (Segoe UI,
//! Helvetica Neue, Noto Sans) still fit, and with conservative constants for
//! everything else:
//! - wide and full-width characters (East Asian Width W/F, and the
//!   ambiguous ones, which CJK fonts draw full-width) are exactly 1 em,
//!   which is what every CJK font uses;
//! - other Latin, Greek and Cyrillic letters are taken as wide as a
//!   capital letter;
//! - combining marks and controls take no room.

use unicode_width::UnicodeWidthChar;

/// A font size and weight, which is all the measurement needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Font {
    /// In px (SVG user units).
    pub size: f64,
    pub bold: bool,
}

impl Font {
    pub const fn regular(size: f64) -> Font {
        Font { size, bold: false }
    }
    pub const fn bold(size: f64) -> Font {
        Font { size, bold: true }
    }
}

/// How much wider than Arial we assume Latin text may be drawn. Segoe UI
/// and Helvetica Neue run up to about 6% wider than Arial on running text;
/// the rest is headroom.
pub const LATIN_SAFETY: f64 = 1.10;

/// Arial advance widths of U+0020..=U+007E, in thousandths of an em.
#[rustfmt::skip]
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,      // p..~
];

/// Arial Bold advance widths of U+0020..=U+007E, in thousandths of an em.
#[rustfmt::skip]
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    1015, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// Advance widths of every ASCII byte (tab as a space, controls as
/// nothing), in thousandths of an em, before [`LATIN_SAFETY`].
pub(crate) const fn ascii_table(bold: bool) -> &'static [u16; 128] {
    if bold { &BOLD_ASCII } else { &REGULAR_ASCII }
}

/// From table units to em.
pub(crate) const UNIT: f64 = LATIN_SAFETY / 1000.0;

const fn widen(t: &[u16; 95]) -> [u16; 128] {
    let mut out = [0u16; 128];
    let mut i = 0;
    while i < 95 {
        out[i + 0x20] = t[i];
        i += 1;
    }
    out[b'\t' as usize] = 278;
    out
}

static REGULAR_ASCII: [u16; 128] = widen(&REGULAR);
static BOLD_ASCII: [u16; 128] = widen(&BOLD);

/// The advance of `c` in em, before the font size is applied.
#[inline]
pub fn advance_em(c: char, bold: bool) -> f64 {
    let cp = c as u32;
    if cp < 0x80 {
        // Tab as a space (SVG collapses whitespace), controls as nothing.
        return f64::from(ascii_table(bold)[cp as usize]) * UNIT;
    }
    if cp < 0xa0 {
        // C1 controls.
        return 0.0;
    }
    non_ascii_em(c, bold)
}

fn non_ascii_em(c: char, bold: bool) -> f64 {
    let cp = c as u32;
    // Most of a Chinese, Japanese or Korean text, and Latin-1: answered
    // without the Unicode width tables (tests hold both to them).
    if (0x4e00..=0x9fff).contains(&cp) {
        // The CJK Unified Ideographs, by far the most common.
        return 1.0;
    }
    if cp <= 0xff {
        return latin1_em(cp, bold);
    }
    if one_em(cp) {
        return 1.0;
    }
    // Latin-1 and Latin Extended, IPA, Greek, Cyrillic: proportional
    // letters no wider than a capital (a few, like Ш or Ŵ, are wider).
    let proportional = matches!(cp, 0xa0..=0x2ff | 0x370..=0x52f | 0x1e00..=0x1eff);
    match c.width_cjk() {
        Some(0) => 0.0,
        Some(2) if is_emoji(cp) => 1.25,
        Some(2) => 1.0,
        _ if proportional => {
            if cp == 0xa0 {
                0.278 * LATIN_SAFETY
            } else if bold {
                0.80
            } else {
                0.76
            }
        }
        // Everything else, ambiguous-width characters included (arrows,
        // bullets, curly quotes), may come from a CJK font that draws it
        // full-width: 1 em.
        _ => 1.0,
    }
}

/// [`non_ascii_em`] of U+00A0..=U+00FF (accented letters, `·`, the
/// no-break space) without the Unicode width tables; a test holds the two
/// to the same answers.
const fn latin1_em(cp: u32, bold: bool) -> f64 {
    match cp {
        0xa0 => 0.278 * LATIN_SAFETY,
        // The soft hyphen is not drawn unless a line breaks at it.
        0xad => 0.0,
        // Symbols of East Asian Width "ambiguous", which a CJK font draws
        // full-width (the letters of that class are taken as Latin): `¡ ¤
        // § ® ° ± ² ³ ¶ · ¹ ¼ ½ ¾ ¿ × ÷`.
        0xa1 | 0xa4 | 0xa7 | 0xae | 0xb0 | 0xb1 | 0xb2 | 0xb3 | 0xb6 | 0xb7 | 0xb9 | 0xbc
        | 0xbd | 0xbe | 0xbf | 0xd7 | 0xf7 => 1.0,
        _ if bold => 0.80,
        _ => 0.76,
    }
}

/// Blocks that are wide (East Asian Width W or F) from end to end and hold
/// no emoji: CJK punctuation, kana, Hangul, the ideographs, full-width
/// forms.
pub(crate) fn is_wide_script(cp: u32) -> bool {
    matches!(
        cp,
        0x3000..=0x3029
            | 0x3041..=0x3096
            | 0x309b..=0x30ff
            | 0x3400..=0x4dbf
            | 0x4e00..=0x9fff
            | 0xac00..=0xd7a3
            | 0xff01..=0xff60
    )
}

/// Characters [`non_ascii_em`] finds 1 em wide whatever the width
/// tables say: the wide scripts, and arrows and geometric shapes (`→ ▲ ▼`
/// of tags), which have no character of no width and no emoji (a test
/// holds this to the tables).
fn one_em(cp: u32) -> bool {
    is_wide_script(cp) || matches!(cp, 0x2190..=0x21ff | 0x25a0..=0x25ff)
}

fn is_emoji(cp: u32) -> bool {
    matches!(cp, 0x1f000..=0x1faff | 0x2600..=0x27bf)
}

/// The width of `s` drawn in `font`, in px.
pub fn text_width(s: &str, font: Font) -> f64 {
    em_width(s, font.bold) * font.size
}

/// The width of `s` in em.
#[inline]
pub fn em_width(s: &str, bold: bool) -> f64 {
    if s.is_ascii() {
        let table = ascii_table(bold);
        let total: u32 = s
            .as_bytes()
            .iter()
            .map(|&b| u32::from(table[usize::from(b & 0x7f)]))
            .sum();
        return f64::from(total) * UNIT;
    }
    // ASCII advances are added up as integers, as above; only the other
    // characters are looked up one by one.
    let table = ascii_table(bold);
    let (mut units, mut extra) = (0u32, 0.0f64);
    for c in s.chars() {
        if c.is_ascii() {
            units += u32::from(table[c as usize]);
        } else {
            extra += advance_em(c, bold);
        }
    }
    f64::from(units) * UNIT + extra
}

/// The advances of the characters of `s` that are not ASCII, in em, added
/// up in order: what [`em_width`] adds to the width of the ASCII ones, for
/// a caller that already has that; and whether `s` holds U+FFFE or
/// U+FFFF, the only characters beyond ASCII that XML escaping changes.
/// They are looked for here, on the pass that looks at every such
/// character anyway, so that the wrapper can tell text with full-width
/// punctuation (which starts with the same byte, `0xEF`) plain.
// Out of line: inlined into `look`'s callers, it cost them more than the
// call saves.
#[inline(never)]
pub(crate) fn non_ascii_sum(s: &str, bold: bool) -> (f64, bool) {
    // Tags and notes have one or two characters beyond ASCII between
    // words: the bytes are looked at eight at a time, and only the lead
    // bytes of characters beyond ASCII (`0b11xx_xxxx`, found by a mask)
    // one by one, in order, so that the sum is `em_width`'s.
    let b = s.as_bytes();
    let latin1 = if bold { &BOLD_LATIN1 } else { &REGULAR_LATIN1 };
    let (mut extra, mut nonchar) = (0.0, false);
    let (words, tail) = b.as_chunks::<8>();
    for (k, w) in words.iter().enumerate() {
        let word = u64::from_le_bytes(*w);
        extra = add_leads(extra, &mut nonchar, s, word, 8 * k, latin1, bold);
    }
    if !tail.is_empty() {
        let word = match b.last_chunk::<8>() {
            // The last eight bytes, less those already looked at.
            Some(last) => u64::from_le_bytes(*last) >> (8 * (8 - tail.len())),
            None => tail.iter().rev().fold(0, |w, &x| (w << 8) | u64::from(x)),
        };
        let at = b.len() - tail.len();
        extra = add_leads(extra, &mut nonchar, s, word, at, latin1, bold);
    }
    (extra, nonchar)
}

/// `extra` plus the advances of the characters beyond ASCII whose lead
/// bytes are among `word`'s, the eight bytes of `s` from `at`, in order.
/// Latin-1 (`·` and the no-break space of tags, accented letters) is
/// measured from its UTF-8 by table, most Chinese characters by their
/// lead byte; the rest by [`wide_em`]. `nonchar` is set if one of them
/// is U+FFFE or U+FFFF.
#[inline(always)]
fn add_leads(
    mut extra: f64,
    nonchar: &mut bool,
    s: &str,
    word: u64,
    at: usize,
    latin1: &[f64; 256],
    bold: bool,
) -> f64 {
    let b = s.as_bytes();
    let mut leads = word & (word << 1) & 0x8080_8080_8080_8080;
    while leads != 0 {
        let i = at + (leads.trailing_zeros() / 8) as usize;
        leads &= leads - 1;
        extra += match (b[i], b.get(i + 1)) {
            // U+0080..=U+00FF.
            (lead @ ..=0xc3, Some(&next)) => {
                latin1[usize::from(((lead & 0x03) << 6) | (next & 0x3f))]
            }
            // U+5000..=U+9FFF, all CJK Unified Ideographs.
            (0xe5..=0xe9, _) => 1.0,
            // U+FFC0..=U+FFFF: rare, but U+FFFE and U+FFFF among them.
            (0xef, Some(0xbf)) => {
                *nonchar |= matches!(b.get(i + 2), Some(0xbe | 0xbf));
                wide_em(s, i, bold)
            }
            _ => wide_em(s, i, bold),
        };
    }
    extra
}

/// [`advance_em`] of the character at `s[i..]`, of three or four bytes
/// (or of two beyond Latin-1). Chinese and Japanese are measured from
/// their UTF-8 without decoding a `char` (tests hold the shortcuts to
/// `advance_em`).
fn wide_em(s: &str, i: usize, bold: bool) -> f64 {
    let b = s.as_bytes();
    let lead = b[i];
    if (0xe0..=0xef).contains(&lead)
        && let Some(&[b1, b2]) = b.get(i + 1..i + 3)
    {
        let cp =
            (u32::from(lead & 0x0f) << 12) | (u32::from(b1 & 0x3f) << 6) | u32::from(b2 & 0x3f);
        // As `non_ascii_em`, whose first shortcuts these are.
        return if (0x4e00..=0x9fff).contains(&cp) || one_em(cp) {
            1.0
        } else {
            char::from_u32(cp).map_or(0.0, |c| non_ascii_em(c, bold))
        };
    }
    let c = s[i..].chars().next().unwrap_or_default();
    advance_em(c, bold)
}

/// [`advance_em`] of U+0080..=U+00FF, by the low byte.
static REGULAR_LATIN1: [f64; 256] = latin1_table(false);
static BOLD_LATIN1: [f64; 256] = latin1_table(true);

/// [`advance_em`] of U+0080..=U+00FF, by the low byte, for a caller that
/// has the character's UTF-8 (a test holds the two to the same answers).
pub(crate) fn latin1_advances(bold: bool) -> &'static [f64; 256] {
    if bold { &BOLD_LATIN1 } else { &REGULAR_LATIN1 }
}

const fn latin1_table(bold: bool) -> [f64; 256] {
    let mut t = [0.0; 256];
    let mut cp = 0xa0;
    while cp < 0x100 {
        t[cp as usize] = latin1_em(cp, bold);
        cp += 1;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_one_em_and_latin_is_proportional() {
        let f = Font::regular(10.0);
        assert_eq!(text_width("中文字", f), 30.0);
        assert_eq!(text_width("，。", f), 20.0);
        assert!(text_width("iiii", f) < text_width("MMMM", f));
        assert!((text_width("a", f) - 5.56 * LATIN_SAFETY).abs() < 1e-9);
    }

    #[test]
    fn bold_is_never_narrower() {
        for c in ' '..='~' {
            assert!(advance_em(c, true) >= advance_em(c, false), "{c}");
        }
    }

    #[test]
    fn ascii_fast_path_matches_per_char() {
        let s = "Checkout: 12 fields & a fee #1";
        let slow: f64 = s.chars().map(|c| advance_em(c, false)).sum();
        assert!((em_width(s, false) - slow).abs() < 1e-9);
    }

    /// [`non_ascii_em`] without its shortcuts.
    fn by_tables(c: char, bold: bool) -> f64 {
        let cp = c as u32;
        let proportional = matches!(cp, 0xa0..=0x2ff | 0x370..=0x52f | 0x1e00..=0x1eff);
        match c.width_cjk() {
            Some(0) => 0.0,
            Some(2) if is_emoji(cp) => 1.25,
            Some(2) => 1.0,
            _ if proportional && cp == 0xa0 => 0.278 * LATIN_SAFETY,
            _ if proportional => {
                if bold {
                    0.80
                } else {
                    0.76
                }
            }
            _ => 1.0,
        }
    }

    #[test]
    fn latin1_agrees_with_the_width_tables() {
        let bad: Vec<(char, f64)> = ('\u{a0}'..='\u{ff}')
            .filter(|&c| {
                [false, true]
                    .iter()
                    .any(|&b| latin1_em(c as u32, b) != by_tables(c, b))
            })
            .map(|c| (c, by_tables(c, false)))
            .collect();
        assert!(bad.is_empty(), "{bad:?}");
    }

    #[test]
    fn wide_scripts_agree_with_the_width_tables() {
        for cp in 0x3000..=0xffff {
            if let Some(c) = char::from_u32(cp)
                && is_wide_script(cp)
            {
                assert_eq!(c.width_cjk(), Some(2), "U+{cp:04X}");
                assert!(!is_emoji(cp), "U+{cp:04X}");
            }
        }
        for c in ('\u{2190}'..='\u{21ff}').chain('\u{25a0}'..='\u{25ff}') {
            assert!(one_em(c as u32));
            assert_eq!(by_tables(c, false), 1.0, "{c}");
            assert_eq!(by_tables(c, true), 1.0, "{c}");
        }
    }

    #[test]
    fn non_ascii_sum_is_em_width_less_the_ascii() {
        for s in [
            "",
            "abc",
            "é",
            "a\u{a0}· b",
            "Target 40\u{a0}· ▲ Previous 28",
            "運費在最後一步才出現，覺得被騙了 ok",
        ] {
            let ascii: u32 = s
                .bytes()
                .filter(u8::is_ascii)
                .map(|b| u32::from(REGULAR_ASCII[usize::from(b)]))
                .sum();
            assert_eq!(
                f64::from(ascii) * UNIT + non_ascii_sum(s, false).0,
                em_width(s, false),
                "{s:?}"
            );
        }
    }

    #[test]
    fn non_ascii_sum_measures_every_character_as_advance_em() {
        let chars = (0x80..=0x3_0000).filter_map(char::from_u32);
        for c in chars {
            for bold in [false, true] {
                let s = format!("x{c}yz{c}");
                let want = 0.0 + advance_em(c, bold) + advance_em(c, bold);
                assert_eq!(
                    non_ascii_sum(&s, bold).0.to_bits(),
                    want.to_bits(),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn latin1_advances_are_advance_em() {
        for bold in [false, true] {
            for cp in 0x80..=0xffu8 {
                let want = advance_em(char::from(cp), bold);
                let got = latin1_advances(bold)[usize::from(cp)];
                assert_eq!(got.to_bits(), want.to_bits(), "U+{cp:04X}");
            }
        }
    }

    /// Characters of one, two, three and four bytes at every place
    /// relative to the eight-byte words, and next to one another.
    #[test]
    fn non_ascii_sum_finds_characters_wherever_they_are() {
        let chars = [
            'é', '\u{a0}', '·', '→', '運', '，', '😀', '\u{301}', '\u{85}', '\u{fffe}', '\u{ffff}',
            '\u{ffbf}', '\u{ffc0}', '\u{fffd}',
        ];
        for bold in [false, true] {
            for before in 0..20 {
                for (k, &c) in chars.iter().enumerate() {
                    let d = chars[(k + 3) % chars.len()];
                    for gap in ["", "a", "abcdefghij"] {
                        let s = format!("{}{c}{gap}{d}{}", "x".repeat(before), "y".repeat(k));
                        let want = 0.0 + advance_em(c, bold) + advance_em(d, bold);
                        let (em, nonchar) = non_ascii_sum(&s, bold);
                        assert_eq!(em.to_bits(), want.to_bits(), "{s:?}");
                        let odd = |c| matches!(c, '\u{fffe}' | '\u{ffff}');
                        assert_eq!(nonchar, odd(c) || odd(d), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn marks_and_controls_take_no_room() {
        assert_eq!(em_width("\u{301}\n", false), 0.0);
        assert!(em_width("é", false) > em_width("e", false));
    }
}
