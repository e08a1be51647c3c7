//! The rebuild step behind a trait, so that tests can inject a fake site
//! and an incremental builder can replace [`ProjectBuilder`] without the
//! server noticing.

use crate::diagnostics::{self, Diagnostic};
use crate::error::Error;
use crate::project::incremental::IncrementalLoader;
use crate::site::lazy::LazySite;
use crate::site::{BuildOptions, Site};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The files of a site, as the server looks them up: a [`Site`] rendered
/// whole, or a [`LazySite`] that renders each page on its first request.
pub trait Pages: Send + Sync + std::fmt::Debug {
    /// Whether the site has a file at `path` (`retail/checkout/index.html`).
    fn contains(&self, path: &str) -> bool;
    /// The file's bytes, `None` if there is none; an error if rendering it
    /// failed.
    fn get(&self, path: &str) -> crate::error::Result<Option<Vec<u8>>>;
    /// How many files are known (a lazy site does not count the site-wide
    /// files it has not rendered yet).
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// How many pages have been rendered so far, when rendered on demand.
    fn rendered(&self) -> Option<usize> {
        None
    }
}

impl Pages for Site {
    fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }
    fn get(&self, path: &str) -> crate::error::Result<Option<Vec<u8>>> {
        Ok(self.files.get(path).cloned())
    }
    fn len(&self) -> usize {
        self.files.len()
    }
}

impl Pages for LazySite {
    fn contains(&self, path: &str) -> bool {
        LazySite::contains(self, path)
    }
    fn get(&self, path: &str) -> crate::error::Result<Option<Vec<u8>>> {
        LazySite::get(self, path)
    }
    fn len(&self) -> usize {
        LazySite::len(self)
    }
    fn rendered(&self) -> Option<usize> {
        Some(self.renders())
    }
}

/// What changed since the previous build. Empty when anything may have
/// changed (the first build, a forced one, events lost), which must load
/// everything again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Absolute paths of changed files and folders (content, theme, config).
    pub paths: Vec<PathBuf>,
}

/// A complete site, ready to be swapped in.
#[derive(Clone, Debug)]
pub struct Built {
    pub site: Arc<dyn Pages>,
    /// The path the site is served under (`/` or `/cx/`).
    pub base_url: String,
    /// Warnings found on the way (shown in the terminal, not the page).
    pub warnings: Vec<Diagnostic>,
    /// How long each step took (`load`, `render`), for the terminal.
    pub phases: Vec<(&'static str, Duration)>,
}

impl Default for Built {
    fn default() -> Self {
        Built {
            site: Arc::new(Site::default()),
            base_url: String::new(),
            warnings: Vec::new(),
            phases: Vec::new(),
        }
    }
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

/// The production builder: an [`IncrementalLoader`], then a [`LazySite`]
/// that renders each page when the browser asks for it. A save reads and
/// checks only the files that changed, and renders only the page that is
/// open.
#[derive(Debug)]
pub struct ProjectBuilder {
    root: PathBuf,
    loader: IncrementalLoader,
    /// The last build succeeded, its home page rendered with the theme.
    last_ok: bool,
}

impl ProjectBuilder {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        ProjectBuilder {
            loader: IncrementalLoader::new(&root),
            root,
            last_ok: false,
        }
    }
}

impl Builder for ProjectBuilder {
    fn build(&mut self, changes: &Changes) -> Result<Built, BuildFailure> {
        let last_ok = std::mem::replace(&mut self.last_ok, false);
        let started = Instant::now();
        let project = self
            .loader
            .load(&changes.paths)
            .map_err(|e| BuildFailure::from_error(&e, None))?;
        let base_url = project.config.build.base_url.clone();
        let fail = |e: Error| BuildFailure::from_error(&e, Some(base_url.clone()));
        project.ensure_valid().map_err(fail)?;
        let loaded = started.elapsed();
        let warnings = project
            .diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .cloned()
            .collect();
        // The home page tries the theme, unless only content changed since a
        // good build: then nothing the theme reads is new but the data.
        // Changed paths are absolute, from the canonical root (see `Layout`).
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let content = root.join(&project.config.build.content_dir);
        let content_only =
            !changes.paths.is_empty() && changes.paths.iter().all(|p| p.starts_with(&content));
        let site = if last_ok && content_only {
            LazySite::unchecked(project, BuildOptions::default())
        } else {
            LazySite::new(project, BuildOptions::default())
        }
        .map_err(fail)?;
        self.last_ok = true;
        Ok(Built {
            site: Arc::new(site),
            base_url,
            warnings,
            phases: vec![("load", loaded), ("index", started.elapsed() - loaded)],
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
