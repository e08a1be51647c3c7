//! The site pipeline: render every page into memory, then write the whole
//! site beside the output folder and swap it in (all or nothing).
//!
//! - [`build`](mod@build): the pages, rendered in parallel.
//! - [`tree`]: the folder tree and each page's navigation.
//! - [`views`], [`reports`]: from the model to template contexts.
//! - [`links`]: output paths and relative links.
//! - [`sitemap`]: writes `sitemap.xml`.
//! - [`output`]: the marker file, the refusals, the atomic swap.

pub mod build;
pub mod links;
pub mod output;
pub mod reports;
pub mod sitemap;
pub mod tree;
pub mod views;

use crate::error::{Error, Result};
use crate::project::Project;
use build::Ctx;
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

/// Renders every page of `project` into memory, with `book.toml`'s base URL.
pub fn render(project: &Project) -> Result<Site> {
    render_with(project, &BuildOptions::default())
}

/// Renders every page of `project` into memory; `opts.base_url` overrides
/// `[build] base-url` (`out` and `quiet` are not used here).
pub fn render_with(project: &Project, opts: &BuildOptions) -> Result<Site> {
    build::render_with(project, opts)
}

/// The output folder of a build: `--out`, else `[build] output-dir` under
/// the project root.
pub fn output_dir(project: &Project, opts: &BuildOptions) -> PathBuf {
    opts.out
        .clone()
        .unwrap_or_else(|| project.root.join(&project.config.build.output_dir))
}

/// The folders an output folder must stay away from.
fn protected(project: &Project) -> output::Protected {
    let root = &project.root;
    output::Protected {
        paths: vec![
            ("project root", root.clone()),
            (
                "content folder",
                root.join(&project.config.build.content_dir),
            ),
            (
                "theme folder",
                root.join("themes").join(&project.config.build.theme),
            ),
        ],
    }
}

/// Renders and writes the site; returns the output folder. The output
/// folder is checked before anything is rendered, and replaced only once
/// the whole site is written.
pub fn build(project: &Project, opts: &BuildOptions) -> Result<PathBuf> {
    let started = std::time::Instant::now();
    let out = output_dir(project, opts);
    output::check(&out, &protected(project))?;
    let site = render_with(project, opts)?;
    output::write(&site, &out)?;
    if !opts.quiet {
        let bytes: usize = site.files.values().map(Vec::len).sum();
        eprintln!(
            "built {} maps, {} files ({:.1} MB) into {} in {:.2} s",
            project.handbook.maps.len(),
            site.files.len(),
            bytes as f64 / 1e6,
            out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(out)
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
