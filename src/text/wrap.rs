//! Line breaking by UAX #14 (the `unicode-linebreak` crate), greedy, with
//! measured widths.
//!
//! - Chinese and Japanese break between characters; Latin at spaces and
//!   after hyphens; a newline in the text always breaks.
//! - A word wider than the whole line is broken between characters, with
//!   no hyphen added, rather than allowed to overflow.
//! - Lines are byte ranges of the input, so nothing is copied and nothing
//!   is lost: trailing spaces are left out of a line (SVG would not draw
//!   them) but every other character lands in exactly one line.
//! - Latin text and text of Chinese and Japanese characters alone take
//!   fast paths (`wrap_ascii`, `wrap_simple`, `wrap_wide`) that property
//!   tests hold to the general one.

use super::measure::{
    Font, UNIT, ascii_table, em_width, is_wide_script, latin1_advances, non_ascii_sum,
};
use unicode_linebreak::{BreakClass, BreakOpportunity, break_property, linebreaks};

/// One wrapped line: `text[start..end]`, `width` px wide.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub width: f64,
}

/// Wraps `text` (surrounding whitespace ignored) into lines no wider than
/// `max_width` px in `font`, appending them to `out`. Empty text gives no
/// line. A line is wider than `max_width` only when a single character is.
///
/// Returns whether the text is *plain*: free of every byte that XML
/// escaping changes (`& < > " '`, controls but tab and line breaks,
/// U+FFFE, U+FFFF), so that a writer may copy its lines as they are.
/// It is found on the pass that measures the text; `false` means "not
/// known to be plain" (long texts are not checked).
pub fn wrap(text: &str, font: Font, max_width: f64, out: &mut Vec<Line>) -> bool {
    wrap_into(text, font, max_width, out)
}

/// Where [`wrap_into`] puts the lines it finds, one by one.
pub trait LineSink {
    fn line(&mut self, line: Line);
}

impl LineSink for Vec<Line> {
    #[inline]
    fn line(&mut self, line: Line) {
        self.push(line);
    }
}

/// [`wrap`], handing each line to `out` as it is found, so that a caller
/// building its own records of lines needs no vector in between.
///
/// The common case, a short text that fits on one line, is decided by
/// [`look`] (inlined into the caller, with `out`'s method); the rest is in
/// [`More::wrap`], which sees `out` as a `dyn LineSink`.
#[inline]
pub fn wrap_into(text: &str, font: Font, max_width: f64, out: &mut impl LineSink) -> bool {
    match look(text, font, max_width) {
        Look::Blank => true,
        Look::One {
            body,
            base,
            width,
            plain,
        } => {
            out.line(Line {
                start: base,
                end: base + body.len(),
                width,
            });
            plain
        }
        Look::More(more) => {
            more.wrap(text, font, max_width, out);
            more.plain
        }
    }
}

/// What the first pass of [`wrap_into`] finds in a text.
pub(crate) enum Look<'t> {
    /// Nothing but whitespace: no line.
    Blank,
    /// One line, `body` (the text less surrounding whitespace, at `base`),
    /// `width` px wide. `plain` as [`wrap`] returns it.
    One {
        body: &'t str,
        base: usize,
        width: f64,
        plain: bool,
    },
    /// More than one line, or text too long to look at this way.
    More(More),
}

/// What [`look`] learnt of a text that needs the wrappers.
#[derive(Clone, Copy)]
pub(crate) struct More {
    /// The text less surrounding whitespace: `text[base..base + len]`.
    base: usize,
    len: usize,
    /// Which wrapper the text is for.
    kind: Kind,
    /// `em_width` of the body when it has no line break.
    whole_em: Option<f64>,
    pub plain: bool,
}

/// The wrappers [`More::wrap`] chooses from.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Nothing but ASCII, and no line break: [`wrap_ascii`], given the
    /// width of the whole body in table units (see [`ascii_table`]).
    AsciiLine { units: u32 },
    /// Nothing but ASCII, with line breaks: [`wrap_simple`].
    Ascii,
    /// Nothing but the wide characters [`wrap_wide`] handles.
    Wide,
    /// Anything else: [`wrap_more`].
    Other,
}

/// The first pass over `text` (see [`wrap_into`]): whether it is blank,
/// fits on one line, or needs [`More::wrap`]. Inlined, so that the usual
/// single line costs no call.
#[inline(always)]
pub(crate) fn look(text: &str, font: Font, max_width: f64) -> Look<'_> {
    let bytes = text.as_bytes();
    let graphic = |b: &u8| (0x21..0x7f).contains(b);
    let (body, base) = match (bytes.first(), bytes.last()) {
        // Nothing to trim (the usual case): skip the Unicode-aware trims.
        (Some(a), Some(z)) if graphic(a) && graphic(z) => (text, 0),
        (None, _) | (_, None) => return Look::Blank,
        _ => match unusual(text, font, max_width) {
            Ok(t) => t,
            Err(look) => return look,
        },
    };
    if body.len() >= 1 << 12 {
        return Look::More(More {
            base,
            len: body.len(),
            kind: Kind::Other,
            whole_em: None,
            plain: false,
        });
    }
    // One pass over the bytes: the width of the ASCII ones, and how many
    // are line breaks, markup or not ASCII (see `SUMS`).
    let table = if font.bold { &BOLD_SUMS } else { &REGULAR_SUMS };
    let sum: u64 = body.as_bytes().iter().map(|&b| table[usize::from(b)]).sum();
    if sum < 1 << BREAKS {
        // Most text: ASCII without line breaks or markup, told by one
        // comparison rather than a test of each count. Converted as a
        // signed number: one instruction, where `f64::from(sum as u32)`
        // took the unsigned 64-bit conversion's six.
        let em = sum as i64 as f64 * UNIT;
        if em <= max_width / font.size {
            return Look::One {
                body,
                base,
                width: em * font.size,
                plain: true,
            };
        }
        return Look::More(More {
            base,
            len: body.len(),
            kind: Kind::AsciiLine { units: sum as u32 },
            whole_em: Some(em),
            plain: true,
        });
    }
    // Short of U+FFFE and U+FFFF, looked for with the other characters
    // beyond ASCII (see `SUMS`).
    let mut plain = (sum >> MARKUP) & FIELD == 0;
    // The width of a text without line breaks, for `wrap_more`.
    let mut whole_em = None;
    if (sum >> BREAKS) & FIELD == 0 {
        // Most cells hold a short name, channel or tag that fits on one
        // line (tags often with a `·` or `→`, of which only the advances
        // are still to be added: `em_width`'s sum, in its order).
        let mut em = f64::from((sum & WIDTHS) as u32) * UNIT;
        if sum >> NON_ASCII != 0 {
            let (extra, nonchar) = non_ascii_sum(body, font.bold);
            em += extra;
            plain &= !nonchar;
        }
        if em <= max_width / font.size {
            return Look::One {
                body,
                base,
                width: em * font.size,
                plain,
            };
        }
        whole_em = Some(em);
    } else if sum >> NON_ASCII != 0 {
        // Paragraphs beyond ASCII, rare: looked at again.
        plain &= !has_nonchar(body);
    }
    Look::More(More {
        base,
        len: body.len(),
        kind: if sum >> NON_ASCII != 0 {
            Kind::Other
        } else if whole_em.is_some() {
            Kind::AsciiLine {
                units: (sum & WIDTHS) as u32,
            }
        } else {
            Kind::Ascii
        },
        whole_em,
        plain,
    })
}

/// [`look`] of text that starts or ends with something other than a
/// visible ASCII character: what `look` finds of Chinese or Japanese
/// (see [`look_wide`]) or blank text, or else the text less surrounding
/// whitespace and where that starts, for `look` to go on with. Out of
/// line: most text starts and ends with a letter.
#[inline(never)]
fn unusual(text: &str, font: Font, max_width: f64) -> Result<(&str, usize), Look<'_>> {
    if let Some(look) = look_wide(text, font, max_width) {
        return Err(look);
    }
    let trimmed = text.trim_end();
    let body = trimmed.trim_start();
    if body.is_empty() {
        return Err(Look::Blank);
    }
    Ok((body, trimmed.len() - body.len()))
}

impl More {
    /// Wraps the text [`look`] was given, whose lines it found would not
    /// fit on one. Generic over `out` for [`wrap_ascii`], the usual path,
    /// so that `out`'s method is inlined into it; the others see a `dyn`.
    pub(crate) fn wrap<S: LineSink>(&self, text: &str, font: Font, max_width: f64, out: &mut S) {
        let limit = match self.kind {
            Kind::AsciiLine { .. } => line_limit(font, max_width),
            _ => None,
        };
        self.wrap_at(text, font, max_width, limit, out);
    }

    /// [`More::wrap`], given [`line_limit`] of `font` and `max_width` by
    /// a caller that keeps it from text to text (its divisions and checks
    /// were a tenth of what `wrap_ascii` costs).
    pub(crate) fn wrap_at<S: LineSink>(
        &self,
        text: &str,
        font: Font,
        max_width: f64,
        limit: Option<u32>,
        out: &mut S,
    ) {
        // Most text that wraps has nothing to trim: the whole of it, with
        // none of the slice's checks.
        let body = if self.base == 0 && self.len == text.len() {
            text
        } else {
            &text[self.base..self.base + self.len]
        };
        match self.kind {
            // ASCII too wide for one line.
            Kind::AsciiLine { units } => {
                wrap_ascii(body, self.base, units, font, max_width, limit, out);
            }
            // ASCII with line breaks.
            Kind::Ascii => wrap_simple(body, self.base, font, max_width, out),
            Kind::Wide => {
                // As `wrap_more`: in px the text may fit after all.
                let em = self.whole_em.unwrap_or(f64::INFINITY);
                if em * font.size <= max_width {
                    out.line(Line {
                        start: self.base,
                        end: self.base + self.len,
                        width: em * font.size,
                    });
                } else {
                    wrap_wide(body, self.base, font.size, max_width / font.size, out);
                }
            }
            Kind::Other => wrap_more(body, self.base, font, max_width, self.whole_em, out),
        }
    }
}

/// [`look`] for text of nothing but the wide characters [`wide_class`]
/// knows (most Chinese and Japanese): what `look` would find, from one
/// pass that checks the characters and counts them, each 1 em. `None`
/// for any other text, which `look` goes on with.
#[inline]
fn look_wide(text: &str, font: Font, max_width: f64) -> Option<Look<'_>> {
    let (chars, rest) = text.as_bytes().as_chunks::<3>();
    if !rest.is_empty() || text.len() >= 1 << 12 {
        return None;
    }
    for c in chars {
        wide_class(c)?;
    }
    // Plain: XML escaping changes no character taken here. None is ASCII,
    // and U+FFFE and U+FFFF, the only others it replaces, are not wide
    // (a test holds `wide_class` to that). The full-width forms do start
    // with `0xEF`, as those two do, but `escape_into` writes them as they
    // are; marked not plain, every line of Chinese with a `，` took the
    // writer's slow path.
    let plain = true;
    // `em_width` adds up 1 em per character, exactly; none is a space.
    let em = chars.len() as f64;
    Some(if em <= max_width / font.size {
        Look::One {
            body: text,
            base: 0,
            width: em * font.size,
            plain,
        }
    } else {
        Look::More(More {
            base: 0,
            len: text.len(),
            kind: Kind::Wide,
            whole_em: Some(em),
            plain,
        })
    })
}

/// What a wide character is to UAX #14, for [`wrap_wide`]: [`ID`] for
/// ideographs and kana, between which a line may break; [`OPENS`] for
/// opening brackets, after which it may not; [`CLOSES`] for closing
/// brackets, stops, commas, `！ ？ ： ；`, small kana and `ー`, before which it
/// may not (LB13, LB14, LB21; no other rule of UAX #14 applies between
/// these). `None` for anything else, and for characters not exactly 1 em
/// wide. `c` is a character's UTF-8: all of these take three bytes.
#[inline(always)]
fn wide_class(c: &[u8; 3]) -> Option<u8> {
    if (0xe5..=0xe9).contains(&c[0]) || (c[0] == 0xe4 && c[1] >= 0xb8) {
        // U+4E00..=U+9FFF, all CJK Unified Ideographs (`一 下 不 了` and
        // others of the most common start with `E4 B8`).
        return Some(ID);
    }
    if !(0xe3..=0xef).contains(&c[0]) {
        return None;
    }
    let cp =
        (u32::from(c[0] & 0x0f) << 12) | (u32::from(c[1] & 0x3f) << 6) | u32::from(c[2] & 0x3f);
    // The punctuation and kana of U+3000..=U+30FF and the full-width
    // forms of U+FF00..=U+FFFF (`，` `。` `「` `」` `？`, a few in every
    // sentence), from a table of what `wide_class_of` finds for them.
    let at = match cp {
        0x3000..=0x30ff => cp - 0x3000,
        0xff00..=0xffff => cp - 0xff00 + 0x100,
        _ => return wide_class_of(cp),
    };
    let class = WIDE_PUNCTUATION[at as usize];
    (class != NOT_WIDE).then_some(class)
}

/// [`wide_class_of`] of U+3000..=U+30FF, then U+FF00..=U+FFFF, with
/// [`NOT_WIDE`] for `None`.
static WIDE_PUNCTUATION: std::sync::LazyLock<[u8; 0x200]> = std::sync::LazyLock::new(|| {
    std::array::from_fn(|k| {
        let cp = if k < 0x100 {
            0x3000 + k
        } else {
            0xff00 + k - 0x100
        };
        wide_class_of(cp as u32).unwrap_or(NOT_WIDE)
    })
});
const NOT_WIDE: u8 = u8::MAX;

/// [`wide_class`] of a code point from U+3000 on, by UAX #14.
fn wide_class_of(cp: u32) -> Option<u8> {
    if !is_wide_script(cp) {
        return None;
    }
    match break_property(cp) {
        BreakClass::Ideographic => Some(ID),
        BreakClass::OpenPunctuation => Some(OPENS),
        BreakClass::ClosePunctuation
        | BreakClass::CloseParenthesis
        | BreakClass::Exclamation
        | BreakClass::InfixSeparator
        | BreakClass::NonStarter
        | BreakClass::ConditionalJapaneseStarter => Some(CLOSES),
        _ => None,
    }
}

const ID: u8 = 0;
const CLOSES: u8 = 1;

/// The greedy wrapping of [`Wrapper`] for text [`look_wide`] accepted, in
/// whole em: every character is 1 em wide, so every width `Wrapper` adds
/// up in `f64` is a small whole number, and the same here counted as an
/// integer. A line may break between two characters unless the first
/// opens or the second closes (see [`wide_class`]); a run wider than a
/// line is broken between characters, as `Wrapper::break_word` does.
fn wrap_wide(text: &str, base: usize, size: f64, max_em: f64, out: &mut dyn LineSink) {
    let (chars, _) = text.as_bytes().as_chunks::<3>();
    let mut push = |s: usize, e: usize, n: u32| {
        out.line(Line {
            start: base + s,
            end: base + e,
            width: f64::from(n) * size,
        });
    };
    // The line so far: `text[line_start..line_end]`, `line_n` em; empty
    // while `line_end` is not past `line_start`.
    let (mut line_start, mut line_end, mut line_n) = (0usize, 0usize, 0u32);
    // The run since the last break opportunity: from `pos`, `n` em.
    let (mut pos, mut n) = (0usize, 0u32);
    // No break before the first character.
    let mut prev = OPENS;
    for k in 0..=chars.len() {
        let class = chars.get(k).map_or(ID, |c| wide_class(c).unwrap_or(ID));
        if k < chars.len() && (prev == OPENS || class == CLOSES) {
            (prev, n) = (class, n + 1);
            continue;
        }
        prev = class;
        let idx = 3 * k;
        if idx > pos {
            // The run `text[pos..idx]` ends at a break opportunity: added
            // as `Wrapper::run` adds a segment.
            if line_end > line_start && f64::from(line_n + n) > max_em {
                push(line_start, line_end, line_n);
                (line_start, line_n) = (pos, 0);
            }
            if f64::from(n) > max_em {
                // `Wrapper::break_word`, on an empty line.
                let mut acc = 0u32;
                for at in (pos..idx).step_by(3) {
                    if f64::from(acc + 1) > max_em && at > line_start {
                        push(line_start, at, acc);
                        line_start = at;
                        acc = 0;
                    }
                    acc += 1;
                }
                line_n = acc;
            } else {
                line_n += n;
            }
            line_end = idx;
        }
        (pos, n) = (idx, 1);
    }
    if line_end > line_start {
        push(line_start, line_end, line_n);
    }
}

/// What [`wrap_into`] leaves to the general paths: text with characters
/// beyond ASCII that needs more than one line, and long text. `whole_em`
/// is `em_width(body)` when the caller knows it and `body` has no line
/// break.
fn wrap_more(
    body: &str,
    base: usize,
    font: Font,
    max_width: f64,
    whole_em: Option<f64>,
    out: &mut dyn LineSink,
) {
    // Tags with `·` and no-break spaces that take two lines come here. A
    // line-at-a-time wrapper for them, as `wrap_ascii` with two-byte
    // Latin-1, was tried and cost more than `wrap_simple` (1,100 against
    // 1,030 instructions a tag): the no-break spaces glue the words of a
    // tag into a few long pieces, which `wrap_simple` passes in a few
    // steps, while looking back from where a line overflows crossed them
    // byte by byte, twice.
    if all_simple(body) {
        wrap_simple(body, base, font, max_width, out);
        return;
    }
    // Kept from before the fast path, which compares `em` with
    // `max_width / size`: in px the text may fit after all.
    let em = whole_em.or_else(|| (!body.contains('\n')).then(|| em_width(body, font.bold)));
    if let Some(em) = em
        && em * font.size <= max_width
    {
        out.line(Line {
            start: base,
            end: base + body.len(),
            width: em * font.size,
        });
        return;
    }
    let mut w = Wrapper {
        text: body,
        base,
        bold: font.bold,
        size: font.size,
        max_em: max_width / font.size,
        out,
        line_start: 0,
        line_em: 0.0,
        line_trim_em: 0.0,
        line_trim_end: 0,
    };
    w.run();
}

/// What [`wrap`] adds up for each byte, in four fields of a `u64`: the
/// advance width of an ASCII character (as [`ascii_table`]) in the low
/// [`BREAKS`] bits, then one count each of line breaks, of bytes XML
/// escaping changes (but `0xEF`, see [`escaped_in_xml`]: `look` finds
/// U+FFFE and U+FFFF among the characters beyond ASCII, told apart from
/// the full-width punctuation of Chinese that starts with the same byte),
/// and of bytes that are not ASCII. A text shorter than
/// 4096 bytes cannot carry from one field into the next (4095 × 1015 <
/// 2²⁴).
static REGULAR_SUMS: [u64; 256] = sums(ascii_table(false));
static BOLD_SUMS: [u64; 256] = sums(ascii_table(true));

const BREAKS: u32 = 24;
const MARKUP: u32 = 36;
const NON_ASCII: u32 = 48;
const FIELD: u64 = (1 << 12) - 1;
const WIDTHS: u64 = (1 << BREAKS) - 1;

/// Bytes that XML escaping changes: `& < > " '`, controls XML 1.0 cannot
/// carry (all but tab, newline and carriage return), and `0xEF`, the lead
/// byte of U+FFFE and U+FFFF (which are not XML characters either), for
/// the writer to look at (most characters it starts are written as they
/// are).
pub(crate) const fn escaped_in_xml(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xef)
        || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
}

/// Whether `s` holds U+FFFE or U+FFFF (see [`escaped_in_xml`]), for
/// [`look`] of text with line breaks and characters beyond ASCII.
#[inline(never)]
fn has_nonchar(s: &str) -> bool {
    s.as_bytes().contains(&0xef) && s.contains(['\u{fffe}', '\u{ffff}'])
}

const fn sums(widths: &[u16; 128]) -> [u64; 256] {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = if b >= 0x80 {
            1 << NON_ASCII
        } else if b == b'\n' as usize || b == b'\r' as usize {
            1 << BREAKS
        } else {
            widths[b] as u64
        };
        if escaped_in_xml(b as u8) && b != 0xef {
            t[b] += 1 << MARKUP;
        }
        b += 1;
    }
    t
}

/// The lines of `text` as a new vector (see [`wrap`]).
pub fn wrap_lines(text: &str, font: Font, max_width: f64) -> Vec<Line> {
    let mut out = Vec::new();
    let _ = wrap(text, font, max_width, &mut out);
    out
}

/// Characters [`wrap_simple`] handles: ASCII, and letters and symbols
/// that UAX #14 classes as alphabetic (or as glue, which never breaks),
/// so that no break is ever allowed next to them except after a space.
/// That covers Latin text with accents and the separators, arrows and
/// triangles the diagrams add to tags.
const fn simple(c: char) -> bool {
    c.is_ascii()
        || (matches!(c, '\u{a0}'..='\u{24f}')
            && !matches!(
                c,
                '\u{a1}' | '\u{ab}' | '\u{ad}' | '\u{b4}' | '\u{bb}' | '\u{bf}'
            ))
        || matches!(c, '→' | '▲' | '▼')
}

/// Whether every character of `s` is [`simple`], as `s.chars().all(simple)`
/// finds (a test holds the two together), for [`wrap_more`]. Tags and
/// notes have one or two characters beyond ASCII between words, most of
/// them Latin-1 (`·`, the no-break space, accented letters): the bytes are
/// looked at eight at a time, and only the first bytes of characters
/// beyond ASCII (found as in `non_ascii_sum`) one by one, Latin-1 told from
/// its two bytes, other characters decoded.
fn all_simple(s: &str) -> bool {
    let b = s.as_bytes();
    let (words, tail) = b.as_chunks::<8>();
    for (k, w) in words.iter().enumerate() {
        if !leads_simple(s, u64::from_le_bytes(*w), 8 * k) {
            return false;
        }
    }
    if tail.is_empty() {
        return true;
    }
    let word = match b.last_chunk::<8>() {
        // The last eight bytes, less those already looked at.
        Some(last) => u64::from_le_bytes(*last) >> (8 * (8 - tail.len())),
        None => tail.iter().rev().fold(0, |w, &x| (w << 8) | u64::from(x)),
    };
    leads_simple(s, word, b.len() - tail.len())
}

/// For [`all_simple`]: whether the characters beyond ASCII whose first
/// bytes are among `word`'s, the eight bytes of `s` from `at`, are all
/// [`simple`].
#[inline(always)]
fn leads_simple(s: &str, word: u64, at: usize) -> bool {
    let b = s.as_bytes();
    let mut leads = word & (word << 1) & 0x8080_8080_8080_8080;
    while leads != 0 {
        let i = at + (leads.trailing_zeros() / 8) as usize;
        leads &= leads - 1;
        let taken = match (b[i], b.get(i + 1)) {
            // U+00C0..=U+00FF, all letters but `×` and `÷`: all simple.
            (0xc3, _) => true,
            // U+0080..=U+00BF.
            (0xc2, Some(&next)) => (SIMPLE_C2 >> (next & 0x3f)) & 1 != 0,
            _ => s[i..].chars().next().is_some_and(simple),
        };
        if !taken {
            return false;
        }
    }
    true
}

/// Which of U+0080..=U+00BF [`simple`] takes, one bit each, for
/// [`all_simple`].
const SIMPLE_C2: u64 = {
    let mut m = 0;
    let mut k = 0;
    while k < 64 {
        if let Some(c) = char::from_u32(0x80 + k)
            && simple(c)
        {
            m |= 1 << k;
        }
        k += 1;
    }
    m
};

/// The same greedy wrapping for "simple" text (see [`simple`]), in one
/// pass: most text in a journey map is Latin, and the general UAX #14
/// state machine costs ten times more per character.
///
/// It breaks only where UAX #14 allows a break (a property test holds it
/// to that): after spaces, unless what follows must not start a line
/// (`) ] } ! ? , . : ; /`) or what precedes must not end one (`( [ {`), and
/// after a hyphen between letters. Where UAX #14 would allow a break that
/// this leaves out (rare ASCII punctuation), a long line still never
/// overflows: the word is broken between characters instead.
fn wrap_simple(text: &str, base: usize, font: Font, max_width: f64, out: &mut dyn LineSink) {
    let b = text.as_bytes();
    let n = b.len();
    let table = ascii_table(font.bold);
    let pieces = if font.bold {
        &BOLD_PIECES
    } else {
        &REGULAR_PIECES
    };
    let latin1 = latin1_advances(font.bold);
    let size = font.size;
    // In em, as `em_width` sums them.
    let max = max_width / size;
    // A tab is as wide as a space.
    let space = f64::from(table[usize::from(b' ')]) * UNIT;
    let mut push = |s: usize, e: usize, em: f64| {
        out.line(Line {
            start: base + s,
            end: base + e.max(s),
            width: if e > s { em * size } else { 0.0 },
        });
    };
    // The line starts at `start`; `w` is the width up to `i`, trailing
    // spaces included; `end` and `w_end` leave those spaces out.
    let (mut start, mut w) = (0usize, 0.0f64);
    let (mut end, mut w_end) = (0usize, 0.0f64);
    // Which classes of character (see `START`) may not start a line at
    // the next piece: none after a hyphen, all at the start of a
    // paragraph, and after spaces what the word before them forbids.
    let mut forbid = ALL;
    // Last break opportunity on this line: (line end, its width, next
    // line start, width consumed up to there).
    let mut brk: Option<(usize, f64, usize, f64)> = None;
    let mut i = 0;
    while i < n {
        // A piece: up to the next space, or just after a hyphen between
        // letters, the two places a line may break.
        let ws = i;
        let mut units = 0u32;
        let mut extra = 0.0f64;
        let mut hyphen = false;
        loop {
            // The run of characters that neither end a piece nor need a
            // closer look: one table lookup each.
            while let Some(&c) = b.get(i) {
                let e = pieces[usize::from(c)];
                if e == STOP {
                    break;
                }
                units += u32::from(e);
                i += 1;
            }
            let Some(&c) = b.get(i) else {
                break;
            };
            if c < 0x80 {
                if c != b'-' {
                    // A space or a line break.
                    break;
                }
                units += u32::from(table[usize::from(c)]);
                i += 1;
                if i >= ws + 2
                    && b[i - 2].is_ascii_alphanumeric() | (b[i - 2] >= 0x80)
                    && b.get(i)
                        .is_some_and(|d| d.is_ascii_alphabetic() || *d >= 0x80)
                {
                    hyphen = true;
                    break;
                }
            } else if c <= 0xc3
                && let Some(&next) = b.get(i + 1)
            {
                // U+0080..=U+00FF (`·`, the no-break space, accented
                // letters): `advance_em` by table, from the two bytes.
                extra += latin1[usize::from(((c & 0x03) << 6) | (next & 0x3f))];
                i += 2;
            } else {
                let ch = text[i..].chars().next().unwrap_or(' ');
                extra += super::measure::advance_em(ch, font.bold);
                i += ch.len_utf8();
            }
        }
        let pw = f64::from(units) * UNIT + extra;
        if START[usize::from(b[ws])] & forbid == 0 {
            brk = Some((end, w_end, ws, w));
        }
        if w + pw > max
            && let Some((be, bwe, bn, bwn)) = brk.take()
        {
            push(start, be, bwe);
            start = bn;
            w -= bwn;
            if end > bn {
                w_end -= bwn;
            } else {
                (end, w_end) = (bn, 0.0);
            }
        }
        if w + pw > max {
            // Too wide for any line, or no break allowed before it: break
            // it between characters.
            for (k, ch) in text[ws..i].char_indices() {
                let at = ws + k;
                let cw = super::measure::advance_em(ch, font.bold);
                if w + cw > max && at > start {
                    push(start, end, w_end);
                    (start, w, brk) = (at, 0.0, None);
                }
                w += cw;
                (end, w_end) = (at + ch.len_utf8(), w);
            }
        } else {
            w += pw;
            (end, w_end) = (i, w);
        }
        if hyphen {
            // A letter follows: the next piece starts here.
            forbid = 0;
            continue;
        }
        forbid = AFTER_SPACE[usize::from(b[i - 1])];
        while let Some(b' ' | b'\t') = b.get(i) {
            w += space;
            i += 1;
        }
        if i < n && matches!(b[i], b'\n' | b'\r') {
            push(start, end, w_end);
            i += if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            (start, w, end, w_end, forbid, brk) = (i, 0.0, i, 0.0, ALL, None);
            // Blank lines and leading spaces of the next paragraph.
            while i < n && matches!(b[i], b' ' | b'\t') {
                w += space;
                i += 1;
            }
            while i < n && matches!(b[i], b'\n' | b'\r') {
                push(start, start, 0.0);
                i += if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                (start, w, end, w_end) = (i, 0.0, i, 0.0);
                while i < n && matches!(b[i], b' ' | b'\t') {
                    w += space;
                    i += 1;
                }
            }
        }
    }
    if end > start {
        push(start, end, w_end);
    }
}

/// [`wrap_simple`] of ASCII text without line breaks (the usual action,
/// thought, pain or opportunity a little too long for its cell), a line
/// at a time rather than a word at a time: it adds up widths byte by byte
/// until the line overflows (or, when what is left is less than two lines,
/// takes them off from the end until it no longer does), and only then
/// looks back for where to end it. Most bytes thus cost a table lookup and
/// an addition, or are not looked at; the rules for breaking are looked at
/// a few times per line. The breaks are
/// `wrap_simple`'s (a property test holds the two together):
/// - A *piece* starts after spaces (or tabs), or after a hyphen between a
///   letter or digit and a letter. A line may break before a piece, unless
///   [`START`] and [`AFTER_SPACE`] forbid it (never after a hyphen).
/// - A line ends before the last piece that may start one (past the line's
///   own start) at or before the first piece that overflows the line; when
///   there is none, before the first character that overflows it.
/// - A line always keeps its first character.
///
/// `text` starts and ends with neither space nor tab, and `units` is its
/// width in table units (see [`ascii_table`]). Widths are added up in
/// those units, as [`look`] and `em_width` add them, so a line is exactly
/// as wide as `em_width` measures it (`wrap_simple` adds up its words in
/// `f64`, which may differ in the last bit).
fn wrap_ascii<S: LineSink>(
    text: &str,
    base: usize,
    units: u32,
    font: Font,
    max_width: f64,
    limit: Option<u32>,
    out: &mut S,
) {
    let b = text.as_bytes();
    let n = b.len();
    let table = if font.bold {
        &BOLD_BYTES
    } else {
        &REGULAR_BYTES
    };
    let t = |k: usize| u32::from(table[usize::from(b[k])]);
    let size = font.size;
    let Some(limit) = limit else {
        // Not even nothing fits (a negative width): the general walk.
        wrap_simple(text, base, font, max_width, out);
        return;
    };
    let mut push = |s: usize, e: usize, u: u32| {
        out.line(Line {
            start: base + s,
            end: base + e,
            width: f64::from(u) * UNIT * size,
        });
    };
    let space = |c: u8| matches!(c, b' ' | b'\t');
    // The line starts at `s` (never a space); `before` units come before.
    let (mut s, mut before) = (0usize, 0u32);
    loop {
        let rest = units - before;
        if rest <= limit {
            push(s, n, rest);
            return;
        }
        if n - s == 1 {
            // Only the line's first character overflows it, and it is the
            // last.
            push(s, n, rest);
            return;
        }
        // The first byte `i` past `s` at which the line overflows, `u`
        // units from `s` to it included. Counted from whichever end is
        // nearer: most text that wraps is a little too long for one line
        // (a last word or two over), and the overflow is found in a few
        // bytes from the end rather than a whole line from the start.
        let (u, i) = if rest - limit <= limit {
            overflow_from_end(b, table, s, rest, limit)
        } else {
            overflow_from_start(b, table, s, limit)
        };
        // The overflowing piece starts at `p` at the latest: at `i`, or
        // past the spaces `i` is in (the text does not end with spaces).
        let mut p = i;
        while space(b[p]) {
            p += 1;
        }
        // The last piece in `s + 1..=p` that may start a line: the line
        // ends at `e`, before the spaces, and the next starts at `next`.
        let mut j = p;
        let (e, next) = loop {
            if j <= s {
                // None: break between characters, before `p`.
                let mut e = p;
                while space(b[e - 1]) {
                    e -= 1;
                }
                break (e, p);
            }
            let prev = b[j - 1];
            if space(prev) {
                // `b[s]` is not a space: `k` stops at `s` at the latest.
                let mut k = j - 1;
                while space(b[k]) {
                    k -= 1;
                }
                if START[usize::from(b[j])] & AFTER_SPACE[usize::from(b[k])] == 0 {
                    break (k + 1, j);
                }
                j = k;
            } else if prev == b'-'
                && j >= 2
                && b[j - 2].is_ascii_alphanumeric()
                && b[j].is_ascii_alphabetic()
            {
                break (j, j);
            } else {
                j -= 1;
            }
        };
        // `e <= i`: the line's units are `u` less those of `b[e..=i]`.
        let w = u - (e..=i).map(t).sum::<u32>();
        push(s, e, w);
        before += w + (e..next).map(t).sum::<u32>();
        s = next;
    }
}

/// For [`wrap_ascii`]: the first byte `i` past `s` at which a line from
/// `s` grows wider than `limit` units, and its units from `s` to `i`
/// included, adding up from `s`: four bytes at a time while they fit,
/// then one. There is such a byte: the text from `s` is wider than
/// `limit`, and longer than one byte.
#[inline(always)]
fn overflow_from_start(b: &[u8], table: &[u16; 256], s: usize, limit: u32) -> (u32, usize) {
    let t = |k: usize| u32::from(table[usize::from(b[k])]);
    let (mut u, mut i) = (t(s), s + 1);
    let quads = b[i..].as_chunks::<4>().0;
    let mut k = 0;
    while let Some(quad) = quads.get(k) {
        let q: u32 = quad.iter().map(|&c| u32::from(table[usize::from(c)])).sum();
        if u + q > limit {
            break;
        }
        u += q;
        k += 1;
    }
    i += 4 * k;
    while i < b.len() {
        u += t(i);
        if u > limit {
            break;
        }
        i += 1;
    }
    (u, i)
}

/// [`overflow_from_start`], found from the end of the text: `rest` is
/// the units of `b[s..]`, which is wider than `limit`. Widths are never
/// negative, so the units up to a byte only fall going back: the first
/// byte that overflows is the last one going back (and no nearer `s`
/// than `s + 1`) whose units before it are still over `limit`.
#[inline(always)]
fn overflow_from_end(
    b: &[u8],
    table: &[u16; 256],
    s: usize,
    rest: u32,
    limit: u32,
) -> (u32, usize) {
    let t = |k: usize| u32::from(table[usize::from(b[k])]);
    // `u`: the units of `b[s..=i]`.
    let (mut u, mut i) = (rest, b.len() - 1);
    // Four bytes `i - 3..=i` at a time, none of them `s + 1` or before.
    for quad in b[s + 2..].as_rchunks::<4>().1.iter().rev() {
        let q: u32 = quad.iter().map(|&c| u32::from(table[usize::from(c)])).sum();
        if u - q <= limit {
            break;
        }
        u -= q;
        i -= 4;
    }
    while i > s + 1 {
        let ti = t(i);
        if u - ti <= limit {
            break;
        }
        u -= ti;
        i -= 1;
    }
    (u, i)
}

/// The most table units (see [`ascii_table`]) a line `max_width` px wide
/// holds in `font`: [`unit_limit`], for [`More::wrap_at`].
pub(crate) fn line_limit(font: Font, max_width: f64) -> Option<u32> {
    unit_limit(max_width / font.size)
}

/// The most table units (see [`ascii_table`]) a line `max` em wide holds,
/// as [`look`] measures: `u` units fit exactly when `u <= limit`. `None`
/// when not even 0 fits.
fn unit_limit(max: f64) -> Option<u32> {
    let fits = |u: u32| f64::from(u) * UNIT <= max;
    if !fits(0) {
        return None;
    }
    // The quotient is off by one at most, where `max` is within rounding
    // of a whole number of units.
    let mut limit = (max / UNIT) as u32;
    if limit > 0 && !fits(limit) {
        limit -= 1;
    } else if limit < u32::MAX && fits(limit + 1) {
        limit += 1;
    }
    Some(limit)
}

/// For [`wrap_ascii`]: [`ascii_table`] for every value of a byte, which
/// thus indexes it as it is (only ASCII ever does).
static REGULAR_BYTES: [u16; 256] = bytes(ascii_table(false));
static BOLD_BYTES: [u16; 256] = bytes(ascii_table(true));

const fn bytes(widths: &[u16; 128]) -> [u16; 256] {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = widths[b];
        b += 1;
    }
    t
}

/// For [`wrap_simple`]: the advance of each ASCII byte, or [`STOP`] for
/// a byte that ends a piece or needs a closer look (spaces, line breaks,
/// `-`, and bytes that are not ASCII).
static REGULAR_PIECES: [u16; 256] = pieces(ascii_table(false));
static BOLD_PIECES: [u16; 256] = pieces(ascii_table(true));
const STOP: u16 = u16::MAX;

const fn pieces(widths: &[u16; 128]) -> [u16; 256] {
    let mut t = [STOP; 256];
    let mut b = 0;
    while b < 128 {
        if !matches!(b as u8, b' ' | b'\t' | b'\n' | b'\r' | b'-') {
            t[b] = widths[b];
        }
        b += 1;
    }
    t
}

/// What UAX #14 makes of a character around spaces, for
/// [`wrap_simple`]: the class of each byte as the first of a word (one
/// bit each), and for each byte ending a word, the classes that may not
/// follow it after spaces. LB18 SP ÷, but LB13 × CL CP EX IS SY, LB14 OP
/// SP* ×, LB15 QU SP* × OP. A byte beyond ASCII counts as a letter.
static START: [u8; 256] = {
    let mut t = [OTHER; 256];
    let no_start = b")]}!?,.:;/";
    let mut k = 0;
    while k < no_start.len() {
        t[no_start[k] as usize] = NO_START;
        k += 1;
    }
    t[b'(' as usize] = OPENS;
    t[b'[' as usize] = OPENS;
    t[b'{' as usize] = OPENS;
    t
};
static AFTER_SPACE: [u8; 256] = {
    let mut t = [NO_START; 256];
    // 0, the start of a paragraph; opening brackets must not end a line.
    t[0] = ALL;
    t[b'(' as usize] = ALL;
    t[b'[' as usize] = ALL;
    t[b'{' as usize] = ALL;
    t[b'"' as usize] = NO_START | OPENS;
    t[b'\'' as usize] = NO_START | OPENS;
    t
};
/// Must not start a line (closing punctuation, `/`).
const NO_START: u8 = 1;
/// Opening brackets.
const OPENS: u8 = 2;
/// Anything else.
const OTHER: u8 = 4;
const ALL: u8 = NO_START | OPENS | OTHER;

struct Wrapper<'t, 'o> {
    text: &'t str,
    base: usize,
    bold: bool,
    size: f64,
    max_em: f64,
    out: &'o mut dyn LineSink,
    line_start: usize,
    /// Width of `text[line_start..pos]`, trailing spaces included.
    line_em: f64,
    /// Width and end of the line without its trailing spaces.
    line_trim_em: f64,
    line_trim_end: usize,
}

impl Wrapper<'_, '_> {
    fn run(&mut self) {
        let text = self.text;
        let mut pos = 0;
        for (idx, opp) in linebreaks(text) {
            if idx <= pos {
                continue;
            }
            let seg = &text[pos..idx];
            let body = seg.trim_end();
            let body_em = em_width(body, self.bold);
            if self.line_trim_end > self.line_start && self.line_em + body_em > self.max_em {
                self.push();
                self.line_start = pos;
            }
            if body_em > self.max_em && !body.is_empty() {
                self.break_word(pos, pos + body.len());
            } else if !body.is_empty() {
                self.line_trim_em = self.line_em + body_em;
                self.line_trim_end = pos + body.len();
                self.line_em = self.line_trim_em;
            }
            if body.len() < seg.len() {
                self.line_em += em_width(&seg[body.len()..], self.bold);
            }
            pos = idx;
            if opp == BreakOpportunity::Mandatory && idx < text.len() {
                // A newline written by the author: keep it, even as an
                // empty line, so paragraphs stay apart.
                self.push();
                self.line_start = idx;
            }
        }
        if self.line_trim_end > self.line_start {
            self.push();
        }
    }

    /// Ends the current line at its last non-space character.
    fn push(&mut self) {
        let end = self.line_trim_end.max(self.line_start);
        self.out.line(Line {
            start: self.base + self.line_start,
            end: self.base + end,
            width: if end > self.line_start {
                self.line_trim_em * self.size
            } else {
                0.0
            },
        });
        self.line_em = 0.0;
        self.line_trim_em = 0.0;
        self.line_trim_end = 0;
    }

    /// Lays `text[from..to]`, a word too wide for any line, character by
    /// character, starting on the current (empty) line.
    fn break_word(&mut self, from: usize, to: usize) {
        let mut acc = 0.0;
        for (i, c) in self.text[from..to].char_indices() {
            let w = super::measure::advance_em(c, self.bold);
            let at = from + i;
            if acc + w > self.max_em && at > self.line_start {
                self.line_trim_em = acc;
                self.line_trim_end = at;
                self.push();
                self.line_start = at;
                acc = 0.0;
            }
            acc += w;
        }
        self.line_em = acc;
        self.line_trim_em = acc;
        self.line_trim_end = to;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::measure::text_width;

    const F: Font = Font::regular(10.0);

    fn lines(text: &str, max: f64) -> Vec<&str> {
        wrap_lines(text, F, max)
            .iter()
            .map(|l| &text[l.start..l.end])
            .collect()
    }

    #[test]
    fn latin_breaks_at_spaces() {
        let w = text_width("Scrolls past", F);
        assert_eq!(
            lines("Scrolls past a friend's post", w + 0.1),
            ["Scrolls past", "a friend's", "post"]
        );
    }

    #[test]
    fn chinese_breaks_between_characters_without_hyphens() {
        let got = lines("結帳時才看到運費，覺得被騙了", 50.0);
        assert_eq!(got, ["結帳時才看", "到運費，覺", "得被騙了"]);
        assert!(got.iter().all(|l| !l.contains('-')));
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // UAX #14: a full-width comma stays with the character before it.
        let got = lines("看到運費，覺得", 40.0);
        assert!(got.iter().all(|l| !l.starts_with('，')), "{got:?}");
    }

    #[test]
    fn an_over_long_word_is_broken_not_overflowing() {
        let word = "x".repeat(60);
        let got = wrap_lines(&word, F, 100.0);
        assert!(got.len() > 1);
        assert!(got.iter().all(|l| l.width <= 100.0));
        let joined: String = got.iter().map(|l| &word[l.start..l.end]).collect();
        assert_eq!(joined, word);
    }

    #[test]
    fn every_line_fits_and_nothing_is_lost() {
        let text = "Fee: 12 € #hidden <script>alert(1)</script> 運費在最後一步才出現 and a https://example.com/a/very/long/path/that/keeps/going";
        for max in [30.0, 55.0, 80.0, 200.0] {
            let got = wrap_lines(text, F, max);
            for l in &got {
                assert!(l.width <= max + 1e-9, "{max}: {l:?}");
                let m = text_width(&text[l.start..l.end], F);
                assert!((m - l.width).abs() < 1e-6);
            }
            let joined: String = got.iter().map(|l| &text[l.start..l.end]).collect();
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert_eq!(squeeze(&joined), squeeze(text));
        }
    }

    #[test]
    fn ascii_and_general_paths_agree_on_plain_text() {
        let text =
            "Scrolls past a friend's post about a well-known brand (and its fees), then leaves.";
        for max in [40.0, 70.0, 120.0, 300.0] {
            let fast = wrap_lines(text, F, max);
            let mut slow = Vec::new();
            let mut w = Wrapper {
                text,
                base: 0,
                bold: false,
                size: F.size,
                max_em: max / F.size,
                out: &mut slow,
                line_start: 0,
                line_em: 0.0,
                line_trim_em: 0.0,
                line_trim_end: 0,
            };
            w.run();
            let a: Vec<&str> = fast.iter().map(|l| &text[l.start..l.end]).collect();
            let b: Vec<&str> = slow.iter().map(|l| &text[l.start..l.end]).collect();
            assert_eq!(a, b, "at {max}");
            for (x, y) in fast.iter().zip(&slow) {
                assert!((x.width - y.width).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn plain_text_is_told_apart_from_text_with_markup() {
        let plain = |t: &str| wrap(t, F, 80.0, &mut Vec::new());
        for t in [
            "Fee up front",
            "a fairly long line of text that wraps twice over",
            "運費",
            "運費，",
            " x\n y ",
        ] {
            assert!(plain(t), "{t:?}");
        }
        for t in [
            "a & b",
            "<b>",
            "it's",
            "\"q\"",
            "x\u{1}",
            "a > b wraps over lines and lines",
            "\u{fffe}",
        ] {
            assert!(!plain(t), "{t:?}");
        }
        for b in 0..=255u8 {
            let t = [b'a', b, b'z'];
            if let Ok(t) = std::str::from_utf8(&t) {
                assert_eq!(plain(t), !escaped_in_xml(b), "{b:#x}");
            }
        }
    }

    #[test]
    fn newlines_break_and_blank_text_gives_nothing() {
        assert_eq!(lines("one\ntwo\n", 500.0), ["one", "two"]);
        assert_eq!(lines("one\n\ntwo", 500.0), ["one", "", "two"]);
        assert!(lines("  \n ", 500.0).is_empty());
    }

    /// Every character [`wrap_wide`] takes is 1 em wide, is no space (so
    /// nothing is trimmed) and has a class of UAX #14 whose rules between
    /// one another are the two `wide_class` tells of.
    #[test]
    fn wide_characters_are_1_em_of_known_classes() {
        use unicode_linebreak::BreakClass as C;
        let mut taken = 0;
        for cp in 0x800..=0xffff {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut utf8 = [0; 4];
            let bytes: [u8; 3] = c.encode_utf8(&mut utf8).as_bytes().try_into().unwrap();
            let Some(class) = wide_class(&bytes) else {
                continue;
            };
            taken += 1;
            // Written as it is (see `look_wide`).
            let mut escaped = Vec::new();
            crate::diagrams::escape_into(&mut escaped, c.encode_utf8(&mut utf8));
            assert_eq!(escaped, c.encode_utf8(&mut utf8).as_bytes(), "U+{cp:04X}");
            for bold in [false, true] {
                assert_eq!(crate::text::measure::advance_em(c, bold), 1.0, "U+{cp:04X}");
            }
            assert!(!c.is_whitespace(), "U+{cp:04X}");
            let want = match break_property(cp) {
                C::Ideographic => ID,
                C::OpenPunctuation => OPENS,
                C::ClosePunctuation
                | C::CloseParenthesis
                | C::Exclamation
                | C::InfixSeparator
                | C::NonStarter
                | C::ConditionalJapaneseStarter => CLOSES,
                other => panic!("U+{cp:04X} is {other:?}"),
            };
            assert_eq!(class, want, "U+{cp:04X}");
        }
        // The ideographs, kana and CJK punctuation.
        assert!(taken > 20_000, "{taken}");
        for t in ["運費 fee", "運費\n", "한국어", "運費…", "\u{3000}運費"] {
            assert!(look_wide(t, F, 1000.0).is_none(), "{t:?}");
        }
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;
    use unicode_linebreak::{BreakOpportunity, linebreaks};

    proptest! {
        #![proptest_config(ProptestConfig {
            // Many random texts have a run too wide for a narrow line and
            // are set aside by `prop_assume!`; that is not a failure.
            max_global_rejects: 1_000_000,
            ..ProptestConfig::default()
        })]

        /// Where no word is too long for a line, the simple path starts
        /// lines only where UAX #14 allows a break.
        #[test]
        fn ascii_breaks_are_uax14_breaks(
            words in proptest::collection::vec("[a-zé→▲·]{1,6}([-/.,:;!?()\"'#&\u{a0}]?[a-z]{0,3})?", 1..20),
            // An opening bracket or quote is followed directly by a word:
            // `( word` would glue `(` and `word` across the space (UAX #14
            // LB14), a run the splitting below cannot see.
            seps in proptest::collection::vec("[ ]{1,2}|[ ]?[(\"']", 20),
            max in 60.0f64..300.0,
        ) {
            let mut text = String::new();
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    text.push_str(&seps[i]);
                }
                text.push_str(w);
            }
            let text = text.trim().to_string();
            let font = Font::regular(10.0);
            let allowed: Vec<usize> = linebreaks(&text)
                .filter(|(_, o)| *o == BreakOpportunity::Allowed)
                .map(|(i, _)| i)
                .collect();
            // The widest run UAX #14 cannot break (it may span spaces, as
            // in `( ▲`): when one is wider than a line, the wrapper must
            // break it between characters, which is not a UAX #14 break.
            let mut cuts = vec![0];
            cuts.extend(&allowed);
            cuts.push(text.len());
            let longest = cuts
                .windows(2)
                .map(|c| crate::text::text_width(&text[c[0]..c[1]], font))
                .fold(0.0, f64::max);
            let longest_word = text
                .split(' ')
                .map(|w| crate::text::text_width(w, font))
                .fold(0.0, f64::max);
            prop_assume!(longest < max && longest_word * 2.0 < max);
            let lines = wrap_lines(&text, font, max);
            for l in lines.iter().skip(1) {
                // A line that does not follow a space or hyphen is a word
                // broken because no break was allowed: not a UAX #14 break.
                if !matches!(text[..l.start].chars().last(), Some(' ' | '-')) {
                    continue;
                }
                prop_assert!(allowed.contains(&l.start), "{:?} breaks at {} in {:?}", text, l.start, lines);
            }
            for l in &lines {
                prop_assert!(l.width <= max);
            }
        }
    }

    proptest! {
        /// `all_simple`, which looks at Latin-1 by its bytes, is
        /// `chars().all(simple)`, wherever the characters fall in its
        /// eight-byte words.
        #[test]
        fn all_simple_is_every_char_simple(
            parts in proptest::collection::vec(
                prop_oneof![
                    8 => "[a-z -]",
                    4 => "[\u{a0}-\u{ff}]",
                    1 => "[\u{80}-\u{9f}\u{100}-\u{260}→▲▼←運，😀]",
                ],
                0..40,
            ),
        ) {
            let text: String = parts.concat();
            prop_assert_eq!(all_simple(&text), text.chars().all(simple), "{:?}", text);
        }
    }

    proptest! {
        /// The line-at-a-time path for ASCII lays the lines `wrap_simple`
        /// lays, as wide (to the last bit or so: see `wrap_ascii`), over
        /// every byte its break rules look at, narrow lines and bold.
        #[test]
        fn ascii_line_path_is_wrap_simple(
            text in "[a-zA-Z0-9 \t()\\[\\]{}!?,.:;/\"'#&<>*@\x0b\x01-]{1,80}",
            max in 0.0f64..200.0,
            bold: bool,
        ) {
            let text = text.trim_matches([' ', '\t']);
            prop_assume!(!text.is_empty());
            let font = if bold { Font::bold(10.0) } else { Font::regular(10.0) };
            let table = ascii_table(bold);
            let units = text.bytes().map(|b| u32::from(table[usize::from(b)])).sum();
            let mut fast = Vec::new();
            wrap_ascii(text, 3, units, font, max, line_limit(font, max), &mut fast);
            let mut simple = Vec::new();
            wrap_simple(text, 3, font, max, &mut simple);
            let ends = |v: &[Line]| v.iter().map(|l| (l.start, l.end)).collect::<Vec<_>>();
            prop_assert_eq!(ends(&fast), ends(&simple), "{:?} at {}", text, max);
            for (a, b) in fast.iter().zip(&simple) {
                prop_assert!((a.width - b.width).abs() <= 1e-9 * a.width.max(1.0));
            }
        }
    }

    proptest! {
        /// `look` measures as `em_width` does, on its fast path for ASCII
        /// without markup or line breaks as on the others: one line
        /// exactly when `em_width` fits in `max / size`, as wide to the
        /// bit; ASCII without markup is plain, and when it does not fit
        /// it goes to `wrap_ascii` with the body's units and width.
        #[test]
        fn look_fast_path_is_em_width(
            text in "[a-zA-Z0-9 \t()!?,.:;/'&<\n·→-]{1,60}",
            max in 0.0f64..300.0,
            bold: bool,
        ) {
            let font = if bold { Font::bold(11.0) } else { Font::regular(11.0) };
            let body = text.trim();
            let em = em_width(body, bold);
            let simple = body.bytes().all(|b| (0x20..0x7f).contains(&b) && !escaped_in_xml(b));
            match look(&text, font, max) {
                Look::Blank => prop_assert!(body.is_empty()),
                Look::One { body: got, width, plain, .. } => {
                    prop_assert_eq!(got, body);
                    prop_assert!(!body.contains('\n'));
                    prop_assert!(em <= max / font.size);
                    prop_assert_eq!(width.to_bits(), (em * font.size).to_bits());
                    if simple {
                        prop_assert!(plain);
                    }
                }
                Look::More(more) => {
                    prop_assert!(body.contains('\n') || em > max / font.size);
                    if simple {
                        prop_assert!(more.plain);
                        prop_assert_eq!(more.whole_em.map(f64::to_bits), Some(em.to_bits()));
                        let table = ascii_table(bold);
                        let units = body.bytes().map(|b| u32::from(table[usize::from(b)])).sum();
                        let want = Kind::AsciiLine { units };
                        prop_assert!(more.kind == want);
                    }
                }
            }
        }
    }

    proptest! {
        /// The overflowing byte `wrap_ascii` finds from the end of a line
        /// is the one it finds from the start, with the same width, from
        /// any start and for any limit the line is wider than.
        #[test]
        fn overflow_from_either_end_is_the_same(
            text in "[a-zA-Z0-9 ()'.\x01-]{2,60}",
            start in any::<proptest::sample::Index>(),
            cut in 0.0f64..1.0,
            bold: bool,
        ) {
            let b = text.as_bytes();
            let table = if bold { &BOLD_BYTES } else { &REGULAR_BYTES };
            let s = start.index(b.len() - 1);
            let rest: u32 = b[s..].iter().map(|&c| u32::from(table[usize::from(c)])).sum();
            prop_assume!(rest > 0);
            // Any limit below the width, down to 0.
            let limit = ((f64::from(rest) * cut) as u32).min(rest - 1);
            prop_assert_eq!(
                overflow_from_end(b, table, s, rest, limit),
                overflow_from_start(b, table, s, limit),
                "{:?} from {} at {}", text, s, limit
            );
        }
    }

    proptest! {
        /// `unit_limit` is the most units that fit, near whole numbers of
        /// units too.
        #[test]
        fn unit_limit_is_the_most_that_fits(
            u in 0u32..100_000,
            nudge in -4i64..=4,
            frac in prop_oneof![Just(0.0), 0.0f64..1.0],
        ) {
            let exact = f64::from(u) * UNIT;
            let max = f64::from_bits((exact.to_bits() as i64 + nudge) as u64) + frac * UNIT;
            prop_assume!(max >= 0.0);
            let fits = |u: u32| f64::from(u) * UNIT <= max;
            let limit = unit_limit(max).unwrap();
            prop_assert!(fits(limit), "{} at {}", limit, max);
            prop_assert!(!fits(limit + 1), "{} at {}", limit, max);
        }
    }

    /// Wide characters of every class `wrap_wide` knows, some of each.
    fn wide_chars() -> Vec<char> {
        let mut pool: Vec<char> = (0x3000..=0x30ffu32)
            .chain(0xff00..=0xff60)
            .filter_map(char::from_u32)
            .filter(|c| {
                let mut utf8 = [0; 4];
                let b: [u8; 3] = c.encode_utf8(&mut utf8).as_bytes().try_into().unwrap();
                wide_class(&b).is_some()
            })
            .collect();
        pool.extend("結帳時才看到運費覺得被騙了㐀䶵".chars());
        pool
    }

    proptest! {
        /// The fast path for Chinese and Japanese lays the same lines, as
        /// wide, as the general UAX #14 path, opening and closing
        /// punctuation included.
        #[test]
        fn wide_path_is_the_general_path(
            picks in proptest::collection::vec(any::<proptest::sample::Index>(), 1..60),
            max in 5.0f64..160.0,
            bold: bool,
        ) {
            let pool = wide_chars();
            let text: String = picks.iter().map(|i| pool[i.index(pool.len())]).collect();
            let font = if bold { Font::bold(10.0) } else { Font::regular(10.0) };
            prop_assert!(look_wide(&text, font, max).is_some());
            let mut general = Vec::new();
            wrap_more(&text, 0, font, max, None, &mut general);
            let fast = wrap_lines(&text, font, max);
            let key = |l: &Line| (l.start, l.end, l.width.to_bits());
            prop_assert_eq!(
                fast.iter().map(key).collect::<Vec<_>>(),
                general.iter().map(key).collect::<Vec<_>>(),
                "{:?} at {}", text, max
            );
        }
    }
}
