//! Watching the project: a debounced native watcher (or polling where
//! native events fail), and [`Layout::classify`], a pure function that sorts
//! each changed path into content, theme, config or noise.
//!
//! We watch `content/` and `themes/<theme>/` recursively and the project
//! root without recursion, never `book.toml` itself: editors such as vim
//! save by writing a new file and renaming it over the old one, which ends
//! a watch on the file (Zola #2266). The debouncer folds the burst of
//! events of one save (`4913`, `file~`, rename, write) into one batch.

use super::poll::Poller;
use crate::config::Config;
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer_opt};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// What a changed path means for the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Editor temporaries, hidden files, the output folder, anything else.
    Ignored,
    Content,
    Theme,
    /// `book.toml`: may move the content folder, the theme or the base path.
    Config,
}

/// Where the watched things are, from `book.toml` (defaults when it is
/// broken). All paths absolute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub root: PathBuf,
    pub content: PathBuf,
    pub theme: PathBuf,
    pub config: PathBuf,
}

impl Layout {
    /// Reads the layout of the project at `root` (made absolute).
    pub fn load(root: &Path) -> Layout {
        let root = std::fs::canonicalize(root)
            .or_else(|_| std::path::absolute(root))
            .unwrap_or_else(|_| root.to_path_buf());
        let config = Config::load(&root).unwrap_or_default();
        Layout::new(root, &config)
    }

    pub fn new(root: PathBuf, config: &Config) -> Layout {
        Layout {
            content: root.join(&config.build.content_dir),
            theme: root.join("themes").join(&config.build.theme),
            config: root.join("book.toml"),
            root,
        }
    }

    /// Sorts one changed path.
    pub fn classify(&self, path: &Path) -> ChangeKind {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if is_editor_temp(name) {
            return ChangeKind::Ignored;
        }
        if path == self.config {
            return ChangeKind::Config;
        }
        let hidden_below = |dir: &Path| {
            path.strip_prefix(dir).is_ok_and(|rest| {
                rest.components()
                    .any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.')))
            })
        };
        if path.starts_with(&self.content) {
            if hidden_below(&self.content) {
                return ChangeKind::Ignored;
            }
            return ChangeKind::Content;
        }
        if path.starts_with(&self.theme) && !hidden_below(&self.theme) {
            return ChangeKind::Theme;
        }
        ChangeKind::Ignored
    }

    /// The folders to watch: recursive ones that exist, then the root.
    pub fn targets(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut out: Vec<_> = [&self.content, &self.theme]
            .into_iter()
            .filter(|d| d.is_dir())
            .map(|d| (d.clone(), RecursiveMode::Recursive))
            .collect();
        out.push((self.root.clone(), RecursiveMode::NonRecursive));
        out
    }
}

/// Files that editors write beside the real one while saving: vim's swap
/// files, backups and its `4913` probe, Emacs' locks and autosaves,
/// JetBrains' safe-write copies, and the usual `.tmp`.
pub fn is_editor_temp(name: &str) -> bool {
    name.is_empty()
        || name == "4913"
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".orig",
            ".crdownload",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
        || name == ".DS_Store"
}

/// Native file events, or polling.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WatchMode {
    /// inotify, FSEvents or ReadDirectoryChanges; falls back to polling
    /// when they cannot start.
    #[default]
    Native,
    /// Scans the folders every [`POLL_INTERVAL`]: for network drives, WSL2
    /// `/mnt/c` and containers where native events never arrive.
    Poll,
    /// No watching (tests that trigger rebuilds themselves).
    Off,
}

/// How long the debouncer waits for a burst of events to settle. Editors
/// finish a save within a few milliseconds.
pub const DEBOUNCE: Duration = Duration::from_millis(25);
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Poller),
}

/// A running watcher; batches of changed paths go to `tx`.
pub struct FileWatcher {
    inner: Inner,
    watched: BTreeSet<PathBuf>,
}

impl FileWatcher {
    /// Starts watching `layout`; falls back to polling when native events
    /// cannot start (and says so).
    pub fn start(
        layout: &Layout,
        mode: WatchMode,
        tx: Sender<Vec<PathBuf>>,
    ) -> notify::Result<Self> {
        if mode == WatchMode::Native {
            match FileWatcher::with(native(tx.clone()), layout) {
                Ok(w) => return Ok(w),
                Err(e) => eprintln!("native file events unavailable ({e}); polling instead"),
            }
        }
        FileWatcher::with(poll(tx, layout), layout)
    }

    fn with(inner: notify::Result<Inner>, layout: &Layout) -> notify::Result<Self> {
        let mut w = FileWatcher {
            inner: inner?,
            watched: BTreeSet::new(),
        };
        w.update(layout, &[])?;
        Ok(w)
    }

    pub fn is_polling(&self) -> bool {
        matches!(self.inner, Inner::Poll(_))
    }

    /// Adds watches on folders that appeared (or were replaced: `changed`
    /// names them) and drops those on folders that went away.
    pub fn update(&mut self, layout: &Layout, changed: &[PathBuf]) -> notify::Result<()> {
        let targets = layout.targets();
        if let Inner::Poll(p) = &self.inner {
            p.set_targets(targets);
            return Ok(());
        }
        let stale: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|w| !targets.iter().any(|(t, _)| t == *w) || changed.contains(w))
            .cloned()
            .collect();
        for path in stale {
            let _ = self.unwatch(&path);
            self.watched.remove(&path);
        }
        for (path, mode) in targets {
            if !self.watched.contains(&path) {
                self.watch(&path, mode)?;
                self.watched.insert(path);
            }
        }
        Ok(())
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.inner {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(_) => Ok(()),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match &mut self.inner {
            Inner::Native(d) => d.unwatch(path),
            Inner::Poll(_) => Ok(()),
        }
    }
}

fn native(tx: Sender<Vec<PathBuf>>) -> notify::Result<Inner> {
    let d = new_debouncer_opt(
        DEBOUNCE,
        Some(Duration::from_millis(5)),
        handler(tx),
        RecommendedCache::new(),
        notify::Config::default(),
    )?;
    Ok(Inner::Native(d))
}

fn poll(tx: Sender<Vec<PathBuf>>, layout: &Layout) -> notify::Result<Inner> {
    Ok(Inner::Poll(Poller::start(
        POLL_INTERVAL,
        layout.targets(),
        tx,
    )?))
}

/// Sends every changed path of a debounced batch. When events may have
/// been lost (the kernel's queue overflowed, or an error), sends an empty
/// batch: a rebuild that reads everything again, since a rebuild after a
/// save reads only the files named.
fn handler(tx: Sender<Vec<PathBuf>>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result: DebounceEventResult| match result {
        Ok(events) if events.iter().any(|e| e.event.need_rescan()) => {
            let _ = tx.send(Vec::new());
        }
        Ok(events) => {
            // Reading a file is an event too (inotify's open and close):
            // a full rebuild reads every file, so these must not count.
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths)
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
        Err(errors) => {
            for e in errors {
                eprintln!("watch error: {e}");
            }
            let _ = tx.send(Vec::new());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        let mut config = Config::default();
        config.build.theme = "acme".into();
        Layout::new(PathBuf::from("/p"), &config)
    }

    #[test]
    fn classifies_changed_paths() {
        use ChangeKind::*;
        let table = [
            ("/p/content/retail/checkout.md", Content),
            ("/p/content/personas/busy-parent.md", Content),
            ("/p/content/retail", Content),
            ("/p/content", Content),
            ("/p/content/img/logo.png", Content),
            ("/p/book.toml", Config),
            ("/p/themes/acme/templates/map.html", Theme),
            ("/p/themes/acme/style.css", Theme),
            ("/p/themes/other/style.css", Ignored),
            ("/p/content/retail/.checkout.md.swp", Ignored),
            ("/p/content/retail/checkout.md.swx", Ignored),
            ("/p/content/retail/checkout.md~", Ignored),
            ("/p/content/retail/4913", Ignored),
            ("/p/content/retail/.#checkout.md", Ignored),
            ("/p/content/retail/#checkout.md#", Ignored),
            ("/p/content/retail/checkout.md___jb_tmp___", Ignored),
            ("/p/content/retail/checkout.md___jb_old___", Ignored),
            ("/p/content/.git/index", Ignored),
            ("/p/content/.hidden/a.md", Ignored),
            ("/p/content/.DS_Store", Ignored),
            ("/p/book.toml~", Ignored),
            ("/p/.book.toml.swp", Ignored),
            ("/p/4913", Ignored),
            ("/p/README.md", Ignored),
            ("/p/public/index.html", Ignored),
            ("/p/contents/a.md", Ignored),
            ("/elsewhere/content/a.md", Ignored),
        ];
        let l = layout();
        for (path, want) in table {
            assert_eq!(l.classify(Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn lost_events_ask_for_a_full_rebuild() {
        use notify::event::{Flag, ModifyKind};
        use notify_debouncer_full::DebouncedEvent;
        let (tx, rx) = std::sync::mpsc::channel();
        let mut handle = handler(tx);
        let at = std::time::Instant::now();
        let save = notify::Event::new(EventKind::Modify(ModifyKind::Any))
            .add_path(PathBuf::from("/p/content/a.md"));
        handle(Ok(vec![DebouncedEvent::new(save.clone(), at)]));
        assert_eq!(rx.try_recv(), Ok(vec![PathBuf::from("/p/content/a.md")]));
        // The kernel's queue overflowed: some saves went unseen.
        let rescan = notify::Event::new(EventKind::Other).set_flag(Flag::Rescan);
        handle(Ok(vec![
            DebouncedEvent::new(save, at),
            DebouncedEvent::new(rescan, at),
        ]));
        assert_eq!(rx.try_recv(), Ok(Vec::new()));
        handle(Err(vec![notify::Error::generic("watch lost")]));
        assert_eq!(rx.try_recv(), Ok(Vec::new()));
    }

    #[test]
    fn watches_the_root_without_recursion() {
        let targets = layout().targets();
        assert_eq!(
            targets,
            vec![(PathBuf::from("/p"), RecursiveMode::NonRecursive)]
        );
    }
}
