//! A site rendered on demand, for `cxbook serve`.
//!
//! [`LazySite::new`] loads the templates and lists every output path a
//! build would write, without rendering: a save in a 1,000-map handbook
//! then costs a load and this index, not a thousand pages. A page is
//! rendered the first time it is asked for ([`LazySite::get`]) and kept
//! until the next rebuild replaces the whole `LazySite`. The bytes are
//! those `cxbook build` writes: the same [`Ctx`] renders them.
//!
//! One context serves the whole site. Making it (the folder tree, tag
//! slugs, back-references) takes tens of milliseconds at 10,000 maps, so it
//! is made once per site, not once per request. A context borrows the
//! project, so it lives on a thread of the site's own, which lists the
//! output paths, then renders each requested page on a scoped thread (pages
//! render in parallel) until the site is dropped.
//!
//! Where a path comes from, in order:
//! 1. a page job (a map's job also yields its two SVGs);
//! 2. the theme's static files, as they are;
//! 3. a non-Markdown file under `content/`, read from disk;
//! 4. the site-wide files (`maps.json`, the search index, `sitemap.xml`),
//!    rendered together on the first request for one of them.

use super::BuildOptions;
use super::build::{Ctx, Files, Job};
use crate::error::{Error, Result};
use crate::project::Project;
use crate::templates::Templates;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

/// The site-wide files by path.
type SiteFiles = HashMap<String, Vec<u8>>;

/// Every output path of a site, rendered when first asked for.
pub struct LazySite {
    project: Arc<Project>,
    templates: Arc<Templates>,
    /// Output path -> index of its job in [`Ctx::jobs`].
    jobs: HashMap<String, usize>,
    /// Theme static path -> index in `templates.statics`.
    statics: HashMap<String, usize>,
    content_dir: PathBuf,
    /// Rendered jobs, by index.
    rendered: Mutex<HashMap<usize, Arc<Files>>>,
    /// The site-wide files, once rendered.
    site_files: Mutex<Option<Arc<SiteFiles>>>,
    /// Renders so far: page jobs, and the site-wide files as one.
    renders: AtomicUsize,
    /// To the thread that holds the context; dropping it ends the thread.
    renderer: Sender<Request>,
}

/// What the renderer thread is asked for; the answer goes back on the
/// channel given.
enum Request {
    Job(usize, Sender<Result<Files>>),
    SiteFiles(Sender<Result<Files>>),
}

/// What the renderer thread hands back once it has listed the site.
struct Index {
    jobs: HashMap<String, usize>,
    /// The home page, rendered when the theme is to be checked.
    home: Option<(usize, Files)>,
}

impl std::fmt::Debug for LazySite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazySite")
            .field("root", &self.project.root)
            .field("paths", &self.jobs.len())
            .field("renders", &self.renders())
            .finish_non_exhaustive()
    }
}

impl LazySite {
    /// Loads the templates and indexes every page's output paths. The home
    /// page is rendered at once, so that a broken theme fails here (and
    /// shows in the browser) rather than on the first request.
    pub fn new(project: Project, opts: BuildOptions) -> Result<LazySite> {
        LazySite::make(project, opts, true)
    }

    /// [`LazySite::new`] without rendering the home page: for a rebuild
    /// after a change to content only, when the theme is the one that
    /// rendered the last site. A page that fails answers with its error.
    pub fn unchecked(project: Project, opts: BuildOptions) -> Result<LazySite> {
        LazySite::make(project, opts, false)
    }

    fn make(project: Project, opts: BuildOptions, check: bool) -> Result<LazySite> {
        let t = Instant::now();
        let templates = Arc::new(Templates::for_project(
            &project.root,
            &project.config.build.theme,
        )?);
        timing(&format!("templates {:.1} ms", ms(t.elapsed())));
        let project = Arc::new(project);
        let (renderer, requests) = channel();
        let (index_tx, index_rx) = channel();
        let (p, tm) = (project.clone(), templates.clone());
        std::thread::Builder::new()
            .name("cxbook-pages".into())
            .spawn(move || render_site(&p, &opts, &tm, check, &index_tx, requests))
            .map_err(|e| Error::Usage(format!("cannot start a thread: {e}")))?;
        let index = index_rx
            .recv()
            .map_err(|_| crashed("listing the pages"))??;
        let statics = templates
            .statics
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.clone(), i))
            .collect();
        let rendered: HashMap<usize, Arc<Files>> = index
            .home
            .into_iter()
            .map(|(k, files)| (k, Arc::new(files)))
            .collect();
        Ok(LazySite {
            content_dir: project.root.join(&project.config.build.content_dir),
            project,
            templates,
            jobs: index.jobs,
            statics,
            renders: AtomicUsize::new(rendered.len()),
            rendered: Mutex::new(rendered),
            site_files: Mutex::new(None),
            renderer,
        })
    }

    /// The project this site is rendered from.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// How many page paths are known without rendering (the site-wide
    /// files and copied content files are not counted).
    pub fn len(&self) -> usize {
        self.jobs.len() + self.statics.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many renders so far: page jobs (a map's page and its SVGs are
    /// one), and the site-wide files as one.
    pub fn renders(&self) -> usize {
        self.renders.load(Ordering::Relaxed)
    }

    /// Whether the site has a file at `path` (`/`-separated, relative to
    /// the output root). A path that is no page may render the site-wide
    /// files to find out.
    pub fn contains(&self, path: &str) -> bool {
        if self.jobs.contains_key(path)
            || self.statics.contains_key(path)
            || self.content_file(path).is_some()
        {
            return true;
        }
        if !self.may_be_site_wide(path) {
            return false;
        }
        // A failure to render says yes: `get` then reports the error.
        self.site_files().map_or(true, |f| f.contains_key(path))
    }

    /// The bytes of the file at `path`, rendering it if needed; `None` when
    /// the site has no such file.
    pub fn get(&self, path: &str) -> Result<Option<Vec<u8>>> {
        if let Some(&k) = self.jobs.get(path) {
            let files = self.job(k)?;
            return Ok(files
                .iter()
                .find(|(p, _, _)| p == path)
                .map(|(_, b, _)| b.clone()));
        }
        if let Some(&i) = self.statics.get(path) {
            return Ok(Some(self.templates.statics[i].1.clone()));
        }
        if let Some(file) = self.content_file(path) {
            return std::fs::read(&file)
                .map(Some)
                .map_err(|e| Error::io(&file, e));
        }
        if !self.may_be_site_wide(path) {
            return Ok(None);
        }
        Ok(self.site_files()?.get(path).cloned())
    }

    /// The files of job `k`, rendered once.
    fn job(&self, k: usize) -> Result<Arc<Files>> {
        if let Some(f) = self.lock_rendered().get(&k) {
            return Ok(f.clone());
        }
        // Rendered outside the lock, so that other pages need not wait;
        // two requests for one new page may both render it (same bytes).
        let files = Arc::new(self.ask(|reply| Request::Job(k, reply))?);
        self.renders.fetch_add(1, Ordering::Relaxed);
        Ok(self.lock_rendered().entry(k).or_insert(files).clone())
    }

    /// Asks the renderer thread and waits for its answer.
    fn ask(&self, request: impl FnOnce(Sender<Result<Files>>) -> Request) -> Result<Files> {
        let (reply, answer) = channel();
        self.renderer
            .send(request(reply))
            .map_err(|_| crashed("rendering"))?;
        answer.recv().map_err(|_| crashed("rendering"))?
    }

    fn lock_rendered(&self) -> std::sync::MutexGuard<'_, HashMap<usize, Arc<Files>>> {
        self.rendered.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `path` may be one of the site-wide files. Until they are
    /// rendered, only their names are known: asking for any other path (a
    /// browser's `favicon.ico`) must not cost rendering them all. The names
    /// follow [`Ctx::site_files`]; a test checks every file a build writes.
    fn may_be_site_wide(&self, path: &str) -> bool {
        let rendered = self
            .site_files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        rendered
            || matches!(path, "maps.json" | "sitemap.xml")
            || (path.starts_with("search-index") && !path.contains('/'))
    }

    /// The site-wide files, rendered on first use.
    fn site_files(&self) -> Result<Arc<SiteFiles>> {
        let mut guard = self
            .site_files
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(f) = &*guard {
            return Ok(f.clone());
        }
        let files: HashMap<String, Vec<u8>> = self
            .ask(Request::SiteFiles)?
            .into_iter()
            .map(|(p, b, _)| (p, b))
            .collect();
        let files = Arc::new(files);
        self.renders.fetch_add(1, Ordering::Relaxed);
        *guard = Some(files.clone());
        Ok(files)
    }

    /// The file under `content/` that a build copies to `path`: not
    /// Markdown, no hidden folder or file on the way.
    fn content_file(&self, path: &str) -> Option<PathBuf> {
        let mut file = self.content_dir.clone();
        for part in path.split('/') {
            if part.is_empty() || part.starts_with('.') || part.contains('\\') {
                return None;
            }
            file.push(part);
        }
        if file.extension().is_some_and(|e| e == "md") || !file.is_file() {
            return None;
        }
        Some(file)
    }
}

/// The renderer thread: makes the context, lists the site's output paths
/// (and renders the home page when `check`), sends that back on `index`,
/// then answers requests until the site is dropped.
fn render_site(
    project: &Project,
    opts: &BuildOptions,
    templates: &Templates,
    check: bool,
    index: &Sender<Result<Index>>,
    requests: Receiver<Request>,
) {
    let t = Instant::now();
    let ctx = Ctx::new(project, opts, templates);
    let t_ctx = t.elapsed();
    let jobs = ctx.jobs();
    let listed = catch(|| list(&ctx, &jobs, check));
    timing(&format!(
        "context {:.1} ms, index and home page {:.1} ms",
        ms(t_ctx),
        ms(t.elapsed() - t_ctx)
    ));
    let ok = listed.is_ok();
    if index.send(listed).is_err() || !ok {
        return;
    }
    std::thread::scope(|s| {
        for request in requests {
            let (ctx, jobs) = (&ctx, &jobs);
            // A thread that cannot start drops the request, and so its
            // answer channel: the page then answers with an error.
            let _ = std::thread::Builder::new()
                .name("cxbook-page".into())
                .spawn_scoped(s, move || answer(ctx, jobs, request));
        }
    });
}

/// The output paths of every job, and the home page when `check`.
fn list(ctx: &Ctx<'_>, jobs: &[Job<'_>], check: bool) -> Result<Index> {
    // A map has three files, other pages one.
    let mut paths: HashMap<String, usize> = HashMap::with_capacity(3 * jobs.len());
    for (k, job) in jobs.iter().enumerate() {
        for path in ctx.outputs(*job) {
            match paths.entry(path) {
                Entry::Vacant(v) => {
                    v.insert(k);
                }
                Entry::Occupied(o) => {
                    return Err(Error::Usage(format!(
                        "two sources want the output file `{}`; rename one of them",
                        o.key()
                    )));
                }
            }
        }
    }
    let home = match check {
        true => {
            let k = jobs
                .iter()
                .position(|j| matches!(j, Job::Index))
                .unwrap_or_default();
            Some((k, ctx.render_job(jobs[k])?))
        }
        false => None,
    };
    Ok(Index { jobs: paths, home })
}

fn answer(ctx: &Ctx<'_>, jobs: &[Job<'_>], request: Request) {
    let t = Instant::now();
    match request {
        Request::Job(k, reply) => {
            let files = catch(|| match jobs.get(k) {
                Some(job) => ctx.render_job(*job),
                None => Err(Error::Usage(format!("no page job {k}"))),
            });
            timing(&format!("job {k}: render {:.1} ms", ms(t.elapsed())));
            let _ = reply.send(files);
        }
        Request::SiteFiles(reply) => {
            let files = catch(|| ctx.site_files());
            timing(&format!("site-wide files {:.1} ms", ms(t.elapsed())));
            let _ = reply.send(files);
        }
    }
}

/// Runs `f`, turning a panic into an error: one page that cannot render
/// must not take the others down.
fn catch<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(crashed(&what))
    })
}

fn crashed(what: &str) -> Error {
    Error::Template(format!(
        "cxbook crashed while rendering ({what}); please report it"
    ))
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Prints a timing line to stderr when `CXBOOK_TIMINGS` is set.
fn timing(line: &str) {
    if std::env::var_os("CXBOOK_TIMINGS").is_some() {
        eprintln!("timing: lazy site      {line}");
    }
}
