//! Printing diagnostics for people (`human`), programs (`json`) and GitHub
//! Actions (`github`).

use super::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "human" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            "github" => Ok(Format::Github),
            _ => Err(format!("unknown format `{s}`: use human, json or github")),
        }
    }
}

/// Renders every diagnostic in `format`. `color` only affects `human`.
pub fn render(diags: &[Diagnostic], format: Format, color: bool) -> String {
    match format {
        Format::Human => {
            let mut out = String::new();
            for d in diags {
                out.push_str(&render_one_human(d, color));
                out.push_str("\n\n");
            }
            out.push_str(&summary(diags));
            out.push('\n');
            out
        }
        Format::Json => render_json(diags),
        Format::Github => diags.iter().map(github_line).collect(),
    }
}

/// "2 errors, 1 warning" (or "no problems found").
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if diags.is_empty() {
        return "no problems found".to_string();
    }
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// One diagnostic as a rustc-like code frame:
///
/// ```text
/// error[unknown-key]: unknown key `emotoin`
///  --> content/retail/checkout.md:14:9
///    |
/// 14 |         emotoin: 2
///    |         ^^^^^^^
///    = help: did you mean `emotion`?
/// ```
pub fn render_one_human(d: &Diagnostic, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let title = format!("{} [{}]", d.message, d.code);
    let path = d.file.display().to_string();
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    // The frame shows only the offending line, so its span is local to it.
    let line = &d.source_line;
    let start = char_to_byte(line, d.column - 1);
    let end = char_to_byte(line, d.column - 1 + d.width).max(start);
    let mut group = level.primary_title(title).element(
        Snippet::source(line.as_str())
            .line_start(d.line)
            .path(path.as_str())
            .annotation(AnnotationKind::Primary.span(start..end)),
    );
    if let Some(h) = &d.hint {
        group = group.element(Level::HELP.message(h.as_str()));
    }
    let text = renderer.render(&[group]).to_string();
    // annotate-snippets reports the column of the span start, which is ours.
    text
}

fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// The JSON schema (version 1), documented in the README:
/// `{ "version": 1, "errors": N, "warnings": N, "diagnostics": [ { severity,
/// code, file, line, column, width, message, hint } ] }`.
fn render_json(diags: &[Diagnostic]) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        version: u32,
        errors: usize,
        warnings: usize,
        diagnostics: &'a [Diagnostic],
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let report = Report {
        version: 1,
        errors,
        warnings: diags.len() - errors,
        diagnostics: diags,
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}

/// `::error file=…,line=…,col=…,title=…::message` (GitHub workflow command).
fn github_line(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut msg = d.message.clone();
    if let Some(h) = &d.hint {
        msg.push_str(" (");
        msg.push_str(h);
        msg.push(')');
    }
    format!(
        "::{kind} file={},line={},col={},title={}::{}\n",
        escape_property(&d.file.display().to_string().replace('\\', "/")),
        d.line,
        d.column,
        escape_property(&format!("cxbook {}", d.code)),
        escape_data(&msg)
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sample() -> Diagnostic {
        let text = "---\ntitle: x\nstages:\n  - name: A\n    touchpoints:\n      - name: B\n        emotoin: 2\n";
        Diagnostic::error("unknown-key", "unknown key `emotoin` in a touchpoint")
            .at(Path::new("content/a.md"), text, 7, 9, 7)
            .with_hint("did you mean `emotion`?")
    }

    #[test]
    fn human_shows_the_line_and_a_caret_under_the_column() {
        let out = render_one_human(&sample(), false);
        assert!(out.contains("content/a.md:7:9"), "{out}");
        assert!(out.contains("7 |         emotoin: 2"), "{out}");
        assert!(out.contains("  |         ^^^^^^^"), "{out}");
        assert!(out.contains("did you mean `emotion`?"), "{out}");
    }

    #[test]
    fn github_lines_are_workflow_commands() {
        let out = render(&[sample()], Format::Github, false);
        assert_eq!(
            out,
            "::error file=content/a.md,line=7,col=9,title=cxbook unknown-key::unknown key `emotoin` in a touchpoint (did you mean `emotion`?)\n"
        );
    }

    #[test]
    fn json_has_a_versioned_schema() {
        let v: serde_json::Value =
            serde_json::from_str(&render(&[sample()], Format::Json, false)).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["errors"], 1);
        assert_eq!(v["diagnostics"][0]["line"], 7);
        assert_eq!(v["diagnostics"][0]["column"], 9);
        assert_eq!(v["diagnostics"][0]["hint"], "did you mean `emotion`?");
    }
}
