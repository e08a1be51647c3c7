//! `cxbook serve`: an HTTP server over the site in memory, a watcher that
//! rebuilds on change, and live reload.
//!
//! 1. [`server::bind`] takes the port (the next free one if it is busy).
//! 2. [`watch::FileWatcher`] starts before the first build, so that no save
//!    is missed while it runs.
//! 3. A [`Builder`] renders the site into memory; [`state::State`] swaps the
//!    new [`Snapshot`] in whole, or keeps the last good site and records the
//!    error.
//! 4. [`server::HttpServer`] answers from the current snapshot on a pool of
//!    threads, injecting [`reload`]'s script (and the error overlay) into
//!    HTML; open pages listen on `<base>__cxbook/events` and reload once the
//!    new site is in place.
//!
//! [`Server`] starts all of it and hands back a [`RunningServer`], so tests
//! can drive a server in process with a fake [`Builder`].

pub mod build;
mod poll;
pub mod reload;
pub mod route;
pub mod server;
pub mod state;
pub mod watch;

pub use build::{BuildFailure, Builder, Built, Changes, Problem, ProjectBuilder};
pub use state::Snapshot;
pub use watch::{ChangeKind, Layout, WatchMode};

use crate::config::Config;
use crate::error::{Error, Result};
use server::HttpServer;
use state::State;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use watch::FileWatcher;

/// Options of `cxbook serve` beyond `book.toml`.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// `None`: `[serve] port` from `book.toml` (3000). 0 picks a free port.
    pub port: Option<u16>,
    pub bind: String,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// Request threads. Event streams do not hold one (see [`server`]).
const WORKERS: usize = 8;

/// `cxbook serve`: starts the server, prints its URL as the first line of
/// standard output, and runs until Ctrl-C (or SIGTERM).
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let (stop_tx, stop_rx) = channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| Error::Usage(format!("cannot handle Ctrl-C: {e}")))?;
    let running = Server::new(opts).start()?;
    println!("Serving on {}", running.url());
    eprintln!("Watching for changes; press Ctrl-C to stop");
    if opts.open {
        open_browser(running.url());
    }
    let _ = stop_rx.recv();
    eprintln!("Stopping");
    running.shutdown();
    Ok(())
}

/// A server to start: options, the builder and the watch mode.
pub struct Server {
    opts: ServeOptions,
    builder: Box<dyn Builder>,
    watch: WatchMode,
}

impl Server {
    /// The production server: [`ProjectBuilder`], native events, polling
    /// when `CXBOOK_WATCH=poll`.
    pub fn new(opts: &ServeOptions) -> Server {
        let poll = std::env::var("CXBOOK_WATCH").is_ok_and(|v| v == "poll");
        Server {
            builder: Box::new(ProjectBuilder::new(&opts.root)),
            watch: if poll {
                WatchMode::Poll
            } else {
                WatchMode::Native
            },
            opts: opts.clone(),
        }
    }

    pub fn with_builder(mut self, builder: impl Builder + 'static) -> Server {
        self.builder = Box::new(builder);
        self
    }

    pub fn with_watch(mut self, mode: WatchMode) -> Server {
        self.watch = mode;
        self
    }

    /// Binds, starts watching, builds once, then serves.
    pub fn start(self) -> Result<RunningServer> {
        if !self.opts.root.is_dir() {
            return Err(Error::Usage(format!(
                "`{}` is not a folder: pass the handbook's folder with --root",
                self.opts.root.display()
            )));
        }
        let port = self
            .opts
            .port
            .unwrap_or_else(|| configured_port(&self.opts.root));
        let listener = server::bind(&self.opts.bind, port)?;
        let state = Arc::new(State::new());
        let (tx, rx) = channel();
        let layout = Layout::load(&self.opts.root);
        let watcher = match self.watch {
            WatchMode::Off => None,
            mode => Some(
                FileWatcher::start(&layout, mode, tx.clone())
                    .map_err(|e| Error::Usage(format!("cannot watch the project: {e}")))?,
            ),
        };
        let mut rebuilder = Rebuilder {
            builder: self.builder,
            state: state.clone(),
            layout,
            watcher,
        };
        let first = rebuilder.rebuild(&Changes::default());
        let http = HttpServer::start(listener, state.clone(), WORKERS)?;
        let stop = Arc::new(AtomicBool::new(false));
        let stop_r = stop.clone();
        let thread = std::thread::Builder::new()
            .name("cxbook-rebuild".into())
            .spawn(move || rebuilder.run(&rx, &stop_r))
            .map_err(|e| Error::Usage(format!("cannot start a thread: {e}")))?;
        Ok(RunningServer {
            url: url(http.addr(), &first.base),
            state,
            http,
            tx,
            stop,
            thread,
        })
    }
}

fn configured_port(root: &Path) -> u16 {
    Config::load(root).map_or(3000, |c| c.serve.port)
}

/// `http://127.0.0.1:3000/cx/`; an unspecified bind address (`0.0.0.0`)
/// is shown as `localhost`.
fn url(addr: SocketAddr, base: &str) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}{base}", addr.port())
    } else {
        format!("http://{addr}{base}")
    }
}

/// A server that is running; [`RunningServer::shutdown`] stops it.
pub struct RunningServer {
    url: String,
    state: Arc<State>,
    http: HttpServer,
    tx: Sender<Vec<PathBuf>>,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl RunningServer {
    /// The site's URL, base path included.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn addr(&self) -> SocketAddr {
        self.http.addr()
    }

    /// What is served now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.state.snapshot()
    }

    /// Asks for a full rebuild, as if everything had changed.
    pub fn rebuild(&self) {
        let _ = self.tx.send(Vec::new());
    }

    /// Waits until build `generation` is published (or `timeout` passes).
    pub fn wait_for(&self, generation: u64, timeout: Duration) -> Option<Arc<Snapshot>> {
        self.state.wait_for(generation, timeout)
    }

    /// Stops watching and serving; returns once the threads have ended.
    pub fn shutdown(self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.tx.send(Vec::new());
        let _ = self.thread.join();
        self.http.shutdown();
    }
}

/// Owns the builder and the watcher; runs on its own thread.
struct Rebuilder {
    builder: Box<dyn Builder>,
    state: Arc<State>,
    layout: Layout,
    watcher: Option<FileWatcher>,
}

impl Rebuilder {
    /// Rebuilds once per batch of changes; batches that pile up during a
    /// build are folded into the next one. An empty batch forces a full
    /// build (anything may have changed), even when folded with others.
    fn run(mut self, rx: &Receiver<Vec<PathBuf>>, stop: &AtomicBool) {
        while let Ok(mut paths) = rx.recv() {
            let mut forced = paths.is_empty();
            while let Ok(more) = rx.try_recv() {
                forced |= more.is_empty();
                paths.extend(more);
            }
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let mut changes = self.relevant(paths);
            if forced {
                changes.paths.clear();
            }
            if forced || !changes.paths.is_empty() {
                self.rebuild(&changes);
            }
        }
    }

    /// Keeps the paths that matter; follows `book.toml` to new folders.
    fn relevant(&mut self, mut paths: Vec<PathBuf>) -> Changes {
        paths.sort();
        paths.dedup();
        paths.retain(|p| self.layout.classify(p) != ChangeKind::Ignored);
        if paths.contains(&self.layout.config) {
            self.layout = Layout::load(&self.layout.root);
        }
        if let Some(w) = &mut self.watcher
            && let Err(e) = w.update(&self.layout, &paths)
        {
            eprintln!("cannot watch a folder: {e}");
        }
        Changes { paths }
    }

    fn rebuild(&mut self, changes: &Changes) -> Arc<Snapshot> {
        let started = Instant::now();
        match self.build(changes) {
            Ok(built) => {
                let summary = summary(&built, started.elapsed());
                let snap = self.state.publish_site(built);
                eprintln!("{summary}{}", describe(&self.layout.root, changes));
                snap
            }
            Err(failure) => {
                eprintln!("{}", failure.to_text());
                self.state.publish_failure(failure)
            }
        }
    }

    /// Builds; a panic in the pipeline becomes a build error, so that one
    /// bad input does not stop the server from rebuilding.
    fn build(&mut self, changes: &Changes) -> Result<Built, BuildFailure> {
        let builder = &mut self.builder;
        std::panic::catch_unwind(AssertUnwindSafe(|| builder.build(changes))).unwrap_or_else(
            |panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let message = format!("cxbook crashed while building ({what}); please report it");
                Err(BuildFailure {
                    problems: vec![Problem::message(Path::new(""), message)],
                    base_url: None,
                })
            },
        )
    }
}

/// `built 45 files in 105 ms (load 20 ms, render 80 ms), 2 warnings …`;
/// a site rendered on request says `ready: 3012 pages, rendered on
/// request, in 95 ms (load 80 ms, index 15 ms)`.
fn summary(built: &Built, took: Duration) -> String {
    let mut out = match built.site.rendered() {
        Some(_) => format!(
            "ready: {} files, rendered on request, in {} ms",
            built.site.len(),
            took.as_millis()
        ),
        None => format!(
            "built {} files in {} ms",
            built.site.len(),
            took.as_millis()
        ),
    };
    if !built.phases.is_empty() {
        let phases: Vec<String> = built
            .phases
            .iter()
            .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
            .collect();
        out.push_str(&format!(" ({})", phases.join(", ")));
    }
    match built.warnings.len() {
        0 => {}
        1 => out.push_str(", 1 warning: run `cxbook check`"),
        n => out.push_str(&format!(", {n} warnings: run `cxbook check`")),
    }
    out
}

/// ` (content/a.md, content/b.md and 3 more)`, or nothing.
fn describe(root: &Path, changes: &Changes) -> String {
    let names: Vec<String> = changes
        .paths
        .iter()
        .take(2)
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    match changes.paths.len() {
        0 => String::new(),
        n if n <= 2 => format!(" ({})", names.join(", ")),
        n => format!(" ({} and {} more)", names.join(", "), n - 2),
    }
}

/// Opens `url` in the default browser; a failure is only reported.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/c", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match cmd.spawn() {
        // Reap the opener in the background so it leaves no zombie.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("cannot open a browser ({e}); open {url} yourself"),
    }
}
