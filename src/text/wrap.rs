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

use super::measure::{Font, em_width};
use unicode_linebreak::{BreakOpportunity, linebreaks};

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
pub fn wrap(text: &str, font: Font, max_width: f64, out: &mut Vec<Line>) {
    let trimmed = text.trim_end();
    let body = trimmed.trim_start();
    if body.is_empty() {
        return;
    }
    let base = trimmed.len() - body.len();
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

/// The lines of `text` as a new vector (see [`wrap`]).
pub fn wrap_lines(text: &str, font: Font, max_width: f64) -> Vec<Line> {
    let mut out = Vec::new();
    wrap(text, font, max_width, &mut out);
    out
}

struct Wrapper<'t, 'o> {
    text: &'t str,
    base: usize,
    bold: bool,
    size: f64,
    max_em: f64,
    out: &'o mut Vec<Line>,
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
            self.line_em += em_width(&seg[body.len()..], self.bold);
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
        self.out.push(Line {
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
    fn newlines_break_and_blank_text_gives_nothing() {
        assert_eq!(lines("one\ntwo\n", 500.0), ["one", "two"]);
        assert_eq!(lines("one\n\ntwo", 500.0), ["one", "", "two"]);
        assert!(lines("  \n ", 500.0).is_empty());
    }
}
