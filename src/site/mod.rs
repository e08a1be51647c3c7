//! The site pipeline: render every page into memory, then write the whole
//! site beside the output folder and swap it in (all or nothing).

use crate::error::{Error, Result};
use crate::project::Project;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Options of `cxbook build` beyond `book.toml`.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Output folder; `[build] output-dir` under the root when `None`.
    pub out: Option<PathBuf>,
    /// Overrides `[build] base-url`.
    pub base_url: Option<String>,
    /// No progress bar, no summary.
    pub quiet: bool,
}

/// A rendered site in memory: `/`-separated paths relative to the output
/// root (`retail/checkout/index.html`) to their bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Renders every page of `project` into memory.
pub fn render(_project: &Project) -> Result<Site> {
    Err(Error::Usage("`build` is not built yet".into()))
}

/// Renders and writes the site; returns the output folder.
pub fn build(_project: &Project, _opts: &BuildOptions) -> Result<PathBuf> {
    Err(Error::Usage("`build` is not built yet".into()))
}

/// `cxbook render`: writes `swimlane.svg` and `emotion.svg` of one map file
/// into `out` (the current folder when `None`). Returns the files written.
pub fn render_one(file: &std::path::Path, out: Option<&std::path::Path>) -> Result<Vec<PathBuf>> {
    let (map, config, _warnings) = crate::project::load_map_file(file)?;
    let out = out.map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf);
    std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
    let lang = config.book.language;
    let mut written = Vec::new();
    for (name, svg) in [
        ("swimlane.svg", crate::diagrams::swimlane(&map, lang)),
        ("emotion.svg", crate::diagrams::emotion(&map, None, lang)),
    ] {
        let path = out.join(name);
        std::fs::write(&path, svg).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
