//! A project: `book.toml` plus everything under `content/`, loaded and
//! validated, with every diagnostic found on the way.

pub mod incremental;

use crate::config::Config;
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::model::{Date, Handbook, Map, validate};
use std::path::{Path, PathBuf};

/// A loaded handbook. Maps, personas and pages with errors are left out of
/// `handbook`; their problems are in `diagnostics`.
#[derive(Clone, Debug)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub handbook: Handbook,
    /// Errors and warnings, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The day `check` measures staleness and overdue dates against.
    pub today: Date,
}

impl Project {
    /// Loads and validates the project in `root`.
    ///
    /// `Err` only for what stops loading altogether (a bad `book.toml`, a
    /// missing content folder); content problems are in `diagnostics`.
    pub fn load(root: &Path) -> Result<Project> {
        let config = load_config(root)?;
        let today = Date::today();
        let t = std::time::Instant::now();
        let (files, mut diagnostics) = content::walk(root, &config.build.content_dir);
        let walked = t.elapsed();
        crate::timing::mark("content walked and read");
        let (handbook, more) = validate::handbook(&files, &config, today);
        crate::timing::mark("content parsed and validated");
        if std::env::var_os("CXBOOK_TIMINGS").is_some() {
            eprintln!(
                "timing: load             walk+read {:.1} ms, validate {:.1} ms",
                walked.as_secs_f64() * 1e3,
                (t.elapsed() - walked).as_secs_f64() * 1e3
            );
            if let Some(hwm) = peak_memory() {
                eprintln!("timing: peak memory after load {hwm}");
            }
        }
        diagnostics.extend(more);
        sort(&mut diagnostics);
        Ok(Project {
            root: root.to_path_buf(),
            config,
            handbook,
            diagnostics,
            today,
        })
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// `Err(Error::Content)` with every diagnostic when there are errors.
    pub fn ensure_valid(&self) -> Result<()> {
        if self.has_errors() {
            Err(Error::Content(self.diagnostics.clone()))
        } else {
            Ok(())
        }
    }
}

/// `book.toml`, once the content folder it names is known to exist.
fn load_config(root: &Path) -> Result<Config> {
    let config = Config::load(root).map_err(Error::Config)?;
    let content_dir = root.join(&config.build.content_dir);
    if !content_dir.is_dir() {
        return Err(Error::Usage(format!(
            "no content folder: `{}` does not exist (run `cxbook init` to start a handbook)",
            content_dir.display()
        )));
    }
    Ok(config)
}

/// Sorts diagnostics by file, line and column, keeping the order of equals.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
}

/// Prints a timing line to stderr when `CXBOOK_TIMINGS` is set.
fn timing(line: &str) {
    if std::env::var_os("CXBOOK_TIMINGS").is_some() {
        eprintln!("timing: load             {line}");
    }
}

/// The process's peak resident memory so far, as the kernel words it
/// (`123456 kB`), for `CXBOOK_TIMINGS`; Linux only.
pub fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.trim_start_matches("VmHWM:").trim().to_string())
}

/// Loads one map file on its own (for `cxbook render`): the `book.toml` of
/// the nearest folder above it that has one supplies the scale, else the
/// defaults. Cross-references (`persona`, `compare`) are not checked.
pub fn load_map_file(file: &Path) -> Result<(Map, Config, Vec<Diagnostic>)> {
    let config = file
        .ancestors()
        .skip(1)
        .find(|d| d.join("book.toml").is_file())
        .map(Config::load)
        .transpose()
        .map_err(Error::Config)?
        .unwrap_or_default();
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let text = content::decode(file, bytes).map_err(|d| Error::Content(vec![d]))?;
    let id = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = content::SourceFile {
        path: file.to_path_buf(),
        id,
        kind: content::FileKind::Page,
        text,
    };
    let (map, diags) = validate::single_map(&source, &config, Date::today());
    match map {
        Some(m) if !diags.iter().any(Diagnostic::is_error) => Ok((m, config, diags)),
        _ => Err(Error::Content(diags)),
    }
}
