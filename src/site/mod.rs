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
pub mod inputs;
pub mod lazy;
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

/// What a build did, for the summary line.
#[derive(Clone, Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub maps: usize,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub warnings: usize,
    /// Nothing changed since the last build: nothing was written.
    pub up_to_date: bool,
    pub seconds: f64,
}

impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.up_to_date {
            return write!(
                f,
                "{} is up to date: nothing changed since the last build ({:.2} s)",
                self.out.display(),
                self.seconds
            );
        }
        write!(
            f,
            "built {} maps, {} pages ({} files, {:.1} MB) into {} in {:.2} s",
            self.maps,
            self.pages,
            self.files,
            self.bytes as f64 / 1e6,
            self.out.display(),
            self.seconds
        )?;
        if self.warnings > 0 {
            write!(
                f,
                ", {} warning{}",
                self.warnings,
                if self.warnings == 1 { "" } else { "s" }
            )?;
        }
        Ok(())
    }
}

/// The fingerprint of what a build of `root` would read, and the output
/// folder's report if it already holds a site built from exactly that
/// (then there is nothing to do, and the project need not even be loaded).
pub fn up_to_date(root: &std::path::Path, opts: &BuildOptions) -> Option<BuildReport> {
    let started = std::time::Instant::now();
    let config = crate::config::Config::load(root).ok()?;
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| root.join(&config.build.output_dir));
    let fp = inputs::fingerprint(root, &config, opts, crate::model::Date::today());
    let manifest = output::is_up_to_date(&out, fp)?;
    Some(BuildReport {
        out,
        maps: 0,
        pages: manifest.pages(),
        files: manifest.files.len(),
        bytes: manifest.bytes(),
        warnings: 0,
        up_to_date: true,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Renders and writes the site. The output folder is checked before
/// anything is rendered; pages are written as they are rendered, into a
/// folder beside the output that replaces it only once the whole site is
/// written. A progress bar shows on builds that take more than a second,
/// unless `quiet`.
pub fn build(project: &Project, opts: &BuildOptions) -> Result<BuildReport> {
    let started = std::time::Instant::now();
    let out = output_dir(project, opts);
    output::check(&out, &protected(project))?;
    let fp = inputs::fingerprint(&project.root, &project.config, opts, project.today);
    let hb = &project.handbook;
    let expected = (hb.maps.len() * 3 + hb.personas.len() + hb.pages.len() + 16) as u64;
    let progress = Progress::new(expected, opts.quiet);
    let manifest = output::update(&out, Some(fp), |writer| {
        build::render_to(
            project,
            opts,
            &Disk {
                writer,
                progress: &progress,
            },
        )
    })?;
    progress.finish();
    Ok(BuildReport {
        out,
        maps: hb.maps.len(),
        pages: manifest.pages(),
        files: manifest.files.len(),
        bytes: manifest.bytes(),
        warnings: project.diagnostics.iter().filter(|d| !d.is_error()).count(),
        up_to_date: false,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Writes rendered files into the new output folder.
struct Disk<'w> {
    writer: &'w output::Writer,
    progress: &'w Progress,
}

impl build::Sink for Disk<'_> {
    fn file(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.writer.write(&path, &bytes)?;
        self.progress.inc();
        Ok(())
    }

    fn stream(
        &self,
        path: String,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        self.writer.stream(&path, fill)?;
        self.progress.inc();
        Ok(())
    }
}

/// A progress bar that appears only once a build has run for a second
/// (short builds stay quiet) and only on a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    fn new(len: u64, quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(len),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} building [{bar:30}] {pos}/{len} files {elapsed}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Progress {
            bar,
            started: std::time::Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn inc(&self) {
        use std::sync::atomic::Ordering;
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if bar.position() > bar.length().unwrap_or(0) {
                bar.set_length(bar.position());
            }
            if self.started.elapsed().as_secs() >= 1 && !self.shown.swap(true, Ordering::Relaxed) {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `cxbook render`: writes `swimlane.svg` and `emotion.svg` of one map file
/// into `out` (the current folder when `None`). Returns the files written.
pub fn render_one(file: &std::path::Path, out: Option<&std::path::Path>) -> Result<Vec<PathBuf>> {
    let (map, config, _warnings) = crate::project::load_map_file(file)?;
    let out = out.map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf);
    std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
    let lang = config.book.language;
    // The compared map is overlaid when its file can be found: its id is
    // its path under the content folder, so look for it from each folder
    // above this file (with or without a book.toml around it).
    let compare = map.compare.as_deref().and_then(|id| {
        file.ancestors()
            .skip(1)
            .map(|dir| dir.join(format!("{id}.md")))
            .find(|p| p.is_file())
            .and_then(|p| crate::project::load_map_file(&p).ok())
            .map(|(m, _, _)| m)
    });
    let mut written = Vec::new();
    for (name, svg) in [
        ("swimlane.svg", crate::diagrams::swimlane(&map, lang)),
        (
            "emotion.svg",
            crate::diagrams::emotion(&map, compare.as_ref(), lang),
        ),
    ] {
        let path = out.join(name);
        std::fs::write(&path, svg).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
