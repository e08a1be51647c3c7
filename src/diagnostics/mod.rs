//! Problems found in a handbook, each with a file, a line and a column.
//!
//! Validation produces many [`Diagnostic`]s at once (as a compiler does);
//! [`render`] prints them as `human` (a rustc-like code frame), `json` (a
//! stable schema, documented in the README) or `github` (workflow commands
//! that annotate a pull request).

mod render;

pub use render::{Format, render, render_one_human, summary};

use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at one place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable kebab-case name of the rule (`unknown-key`, `emotion-out-of-scale`).
    pub code: &'static str,
    /// The file, as given to the loader (relative to the project root).
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Characters to underline from `column` (at least 1).
    pub width: usize,
    pub message: String,
    /// How to fix it, where we can tell.
    pub hint: Option<String>,
    /// The text of `line`, for the code frame.
    #[serde(skip)]
    pub source_line: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: PathBuf::new(),
            line: 1,
            column: 1,
            width: 1,
            message: message.into(),
            hint: None,
            source_line: String::new(),
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Places the diagnostic in `file` at a 1-based line and column,
    /// underlining `width` characters; the line's text is taken from `text`.
    pub fn at(mut self, file: &Path, text: &str, line: usize, column: usize, width: usize) -> Self {
        self.file = file.to_path_buf();
        self.line = line.max(1);
        self.column = column.max(1);
        self.width = width.max(1);
        self.source_line = text
            .lines()
            .nth(self.line - 1)
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string();
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a
/// plausible typo (Damerau–Levenshtein distance at most a third of the
/// length, and at most 3).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions
/// and swaps of neighbours each cost one.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut prev2 = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_words_only() {
        let keys = ["emotion", "evidence", "owner", "name"];
        assert_eq!(did_you_mean("emotoin", keys), Some("emotion"));
        assert_eq!(did_you_mean("emoton", keys), Some("emotion"));
        assert_eq!(did_you_mean("owners", keys), Some("owner"));
        assert_eq!(did_you_mean("banana", keys), None);
        assert_eq!(edit_distance("ab", "ba"), 1);
    }
}
