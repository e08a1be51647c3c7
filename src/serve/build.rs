//! The rebuild step behind a trait, so that tests can inject a fake site
//! and an incremental builder can replace [`ProjectBuilder`] without the
//! server noticing.

use crate::diagnostics::{self, Diagnostic};
use crate::error::Error;
use crate::project::Project;
use crate::site::{self, Site};
use std::path::{Path, PathBuf};

/// What changed since the previous build. Empty on the first build, which
/// must build everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Absolute paths of changed files and folders (content, theme, config).
    pub paths: Vec<PathBuf>,
}

/// A complete site, ready to be swapped in.
#[derive(Clone, Debug, Default)]
pub struct Built {
    pub site: Site,
    /// The path the site is served under (`/` or `/cx/`).
    pub base_url: String,
    /// Warnings found on the way (shown in the terminal, not the page).
    pub warnings: Vec<Diagnostic>,
}

/// Why a build failed: the problems to show in the terminal and the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildFailure {
    pub problems: Vec<Problem>,
    /// The base path, when the configuration could be read.
    pub base_url: Option<String>,
}

/// One problem, ready to display.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problem {
    /// Relative to the project root; empty when the problem has no file.
    pub file: String,
    /// 1-based; 0 when unknown.
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The rustc-like frame (location, source line, caret, help), plain text.
    pub frame: String,
}

impl Problem {
    pub fn from_diagnostic(d: &Diagnostic) -> Problem {
        Problem {
            file: d.file.display().to_string().replace('\\', "/"),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            hint: d.hint.clone(),
            frame: diagnostics::render_one_human(d, false),
        }
    }

    /// A problem without a position (an I/O or template failure).
    pub fn message(file: &Path, message: String) -> Problem {
        Problem {
            file: file.display().to_string().replace('\\', "/"),
            frame: message.clone(),
            message,
            ..Problem::default()
        }
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> String {
        match (self.file.is_empty(), self.line) {
            (true, _) => String::new(),
            (false, 0) => self.file.clone(),
            (false, _) => format!("{}:{}:{}", self.file, self.line, self.column),
        }
    }
}

impl BuildFailure {
    /// The errors of a failed load or render (warnings are left out).
    pub fn from_error(err: &Error, base_url: Option<String>) -> BuildFailure {
        let problems = match err {
            Error::Config(d) => vec![Problem::from_diagnostic(d)],
            Error::Content(diags) => diags
                .iter()
                .filter(|d| d.is_error())
                .map(Problem::from_diagnostic)
                .collect(),
            Error::Io { path, err } => vec![Problem::message(path, err.to_string())],
            other => vec![Problem::message(Path::new(""), other.to_string())],
        };
        BuildFailure { problems, base_url }
    }

    /// All problems as plain text, for the terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for p in &self.problems {
            out.push_str(&p.frame);
            out.push_str("\n\n");
        }
        let n = self.problems.len();
        out.push_str(&format!(
            "build failed with {n} error{}; waiting for a fix",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

/// Builds the whole site in memory.
pub trait Builder: Send {
    /// Builds the site. `changes` lists what changed since the last call; a
    /// builder that caches may re-render only what depends on it.
    fn build(&mut self, changes: &Changes) -> Result<Built, BuildFailure>;
}

/// The production builder: [`Project::load`] then [`site::render`].
#[derive(Clone, Debug)]
pub struct ProjectBuilder {
    root: PathBuf,
}

impl ProjectBuilder {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ProjectBuilder { root: root.into() }
    }
}

impl Builder for ProjectBuilder {
    fn build(&mut self, _changes: &Changes) -> Result<Built, BuildFailure> {
        let project = Project::load(&self.root).map_err(|e| BuildFailure::from_error(&e, None))?;
        let base_url = project.config.build.base_url.clone();
        let fail = |e: Error| BuildFailure::from_error(&e, Some(base_url.clone()));
        project.ensure_valid().map_err(fail)?;
        let site = site::render(&project).map_err(fail)?;
        let warnings = project.diagnostics.into_iter().filter(|d| !d.is_error());
        Ok(Built {
            site,
            base_url,
            warnings: warnings.collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_keeps_positions_and_drops_warnings() {
        let text = "---\ntitle: x\nemotoin: 2\n";
        let err = Diagnostic::error("unknown-key", "unknown key `emotoin`")
            .at(Path::new("content/a.md"), text, 3, 1, 7)
            .with_hint("did you mean `emotion`?");
        let warn = Diagnostic::warning("stale", "old").at(Path::new("content/b.md"), "", 1, 1, 1);
        let f = BuildFailure::from_error(&Error::Content(vec![err, warn]), None);
        assert_eq!(f.problems.len(), 1);
        let p = &f.problems[0];
        assert_eq!(p.location(), "content/a.md:3:1");
        assert_eq!(p.hint.as_deref(), Some("did you mean `emotion`?"));
        assert!(p.frame.contains("3 | emotoin: 2"), "{}", p.frame);
        assert!(
            f.to_text()
                .ends_with("build failed with 1 error; waiting for a fix")
        );
    }

    #[test]
    fn an_error_without_position_still_reads_well() {
        let f = BuildFailure::from_error(&Error::Template("bad".into()), None);
        assert_eq!(f.problems[0].location(), "");
        assert_eq!(f.problems[0].message, "template error: bad");
    }
}
