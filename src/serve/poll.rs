//! Polling: for file systems where native events never arrive (network
//! drives, WSL2 `/mnt/c`, some containers; mdBook PR #2325).
//!
//! notify's own poller compares modification times in whole seconds, so a
//! second save within the same second goes unseen; this one compares the
//! full timestamp and the length. A change is reported only once two scans
//! in a row agree, so an editor caught halfway through a save (old file
//! renamed away, new one not written yet) does not give a rebuild with the
//! map missing.

use notify::RecursiveMode;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};
use walkdir::WalkDir;

/// What we compare between scans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    dir: bool,
}

type Scan = BTreeMap<PathBuf, Stamp>;
type Targets = Arc<Mutex<Vec<(PathBuf, RecursiveMode)>>>;

/// Scans the targets on a thread; stops when dropped.
pub struct Poller {
    targets: Targets,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Poller {
    /// Starts polling `targets` every `interval`; changed paths go to `tx`.
    /// The first scan, the baseline, is done before this returns.
    pub fn start(
        interval: Duration,
        targets: Vec<(PathBuf, RecursiveMode)>,
        tx: Sender<Vec<PathBuf>>,
    ) -> std::io::Result<Poller> {
        let baseline = scan(&targets);
        let targets: Targets = Arc::new(Mutex::new(targets));
        let stop = Arc::new(AtomicBool::new(false));
        let (t, s) = (targets.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("cxbook-poll".into())
            .spawn(move || run(&t, baseline, &s, interval, &tx))?;
        Ok(Poller {
            targets,
            stop,
            thread: Some(thread),
        })
    }

    /// Replaces the folders to scan; the next scan uses them.
    pub fn set_targets(&self, targets: Vec<(PathBuf, RecursiveMode)>) {
        *self.targets.lock().unwrap_or_else(PoisonError::into_inner) = targets;
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Sleeps in short steps so that a stop is noticed quickly.
fn nap(total: Duration, stop: &AtomicBool) -> bool {
    let step = Duration::from_millis(20);
    let mut slept = Duration::ZERO;
    while slept < total {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        std::thread::sleep(step.min(total - slept));
        slept += step;
    }
    !stop.load(Ordering::SeqCst)
}

fn run(
    targets: &Targets,
    mut last: Scan,
    stop: &AtomicBool,
    interval: Duration,
    tx: &Sender<Vec<PathBuf>>,
) {
    let snapshot = || {
        targets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    };
    let current = || scan(&snapshot());
    let mut scanned = snapshot();
    while nap(interval, stop) {
        // New targets (a new layout) are a new baseline, not a change:
        // whatever moved them has already asked for a rebuild.
        if snapshot() != scanned {
            scanned = snapshot();
            last = scan(&scanned);
            continue;
        }
        let mut now = current();
        if now == last {
            continue;
        }
        // Wait until two scans agree: the save is finished.
        loop {
            if !nap(Duration::from_millis(30), stop) {
                return;
            }
            let again = current();
            if again == now {
                break;
            }
            now = again;
        }
        let changed = diff(&last, &now);
        last = now;
        if !changed.is_empty() && tx.send(changed).is_err() {
            return;
        }
    }
}

fn scan(targets: &[(PathBuf, RecursiveMode)]) -> Scan {
    let mut out = Scan::new();
    for (root, mode) in targets {
        let depth = match mode {
            RecursiveMode::Recursive => usize::MAX,
            RecursiveMode::NonRecursive => 1,
        };
        let walker = WalkDir::new(root).follow_links(true).max_depth(depth);
        for entry in walker.into_iter().filter_map(Result::ok) {
            let Ok(meta) = entry.metadata() else { continue };
            let stamp = Stamp {
                modified: meta.modified().ok(),
                len: meta.len(),
                dir: meta.is_dir(),
            };
            out.insert(entry.into_path(), stamp);
        }
    }
    out
}

/// Paths added, removed or changed between two scans.
fn diff(old: &Scan, new: &Scan) -> Vec<PathBuf> {
    let changed = new
        .iter()
        .filter(|(p, s)| old.get(*p) != Some(s))
        .map(|(p, _)| p.clone());
    let removed = old.keys().filter(|p| !new.contains_key(*p)).cloned();
    changed.chain(removed).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_a_second_save_within_the_same_second() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "one").unwrap();
        let targets = vec![(dir.path().to_path_buf(), RecursiveMode::Recursive)];
        let before = scan(&targets);
        std::fs::write(&file, "two!").unwrap();
        let after = scan(&targets);
        assert_eq!(diff(&before, &after), vec![file.clone()]);
        std::fs::remove_file(&file).unwrap();
        // The folder changes too (its listing did).
        let gone = diff(&after, &scan(&targets));
        assert!(gone.contains(&file), "{gone:?}");
    }

    #[test]
    fn reports_changes_over_the_channel() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let other = tempfile::tempdir().unwrap();
        let targets = vec![(other.path().to_path_buf(), RecursiveMode::Recursive)];
        let poller = Poller::start(Duration::from_millis(50), targets, tx).unwrap();
        let file = other.path().join("a.md");
        std::fs::write(&file, "x").unwrap();
        let got = rx.recv_timeout(Duration::from_secs(5)).expect("a change");
        assert!(got.contains(&file), "{got:?}");

        poller.set_targets(vec![(dir.path().to_path_buf(), RecursiveMode::Recursive)]);
        std::thread::sleep(Duration::from_millis(200));
        assert!(rx.try_recv().is_err(), "a new target is no change");
        // Saves until one is seen (a slow machine may rebase late).
        let file = dir.path().join("b.md");
        let got = (0..50).find_map(|i| {
            std::fs::write(&file, "x".repeat(i + 1)).unwrap();
            rx.recv_timeout(Duration::from_millis(300)).ok()
        });
        let got = got.expect("a change");
        assert!(got.contains(&file), "{got:?}");
        drop(poller);
    }
}
