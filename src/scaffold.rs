//! `cxbook init` and `cxbook new`: starting a handbook and adding files.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Creates `book.toml`, a sample map and a sample persona in `dir`.
/// Refuses to overwrite anything. Returns the files written.
pub fn init(_dir: &Path) -> Result<Vec<PathBuf>> {
    Err(Error::Usage("`init` is not built yet".into()))
}

/// Adds a map from a template; returns its path.
pub fn new_map(_root: &Path, _title: &str) -> Result<PathBuf> {
    Err(Error::Usage("`new map` is not built yet".into()))
}

/// Adds a persona from a template; returns its path.
pub fn new_persona(_root: &Path, _name: &str) -> Result<PathBuf> {
    Err(Error::Usage("`new persona` is not built yet".into()))
}
