//! What the server knows at one moment, swapped in one step.
//!
//! A [`Snapshot`] holds the last good site, the current build error (if the
//! latest build failed) and a generation number that grows with every
//! build. Request threads clone the `Arc` and never wait for a build; the
//! rebuild thread replaces the whole snapshot under a short write lock and
//! only then tells the open pages ([`Hub`]), so a reload never sees a
//! half-built site (mdBook #383, Zola #2626).

use super::build::{BuildFailure, Built, Pages};
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// The server's state after one build.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// 0 before the first build, then one more per build (good or not).
    pub generation: u64,
    /// The path the site is served under (`/` until a build says otherwise).
    pub base: String,
    /// The last site that built without errors.
    pub site: Option<Arc<dyn Pages>>,
    /// Why the latest build failed; `None` after a good one.
    pub failure: Option<Arc<BuildFailure>>,
}

/// Shared by the request threads, the rebuild thread and the SSE clients.
#[derive(Default)]
pub struct State {
    snapshot: RwLock<Arc<Snapshot>>,
    /// The generation last published, to wait on.
    published: Mutex<u64>,
    changed: Condvar,
    pub hub: Hub,
}

impl State {
    pub fn new() -> Self {
        State {
            snapshot: RwLock::new(Arc::new(Snapshot {
                base: "/".to_string(),
                ..Snapshot::default()
            })),
            ..State::default()
        }
    }

    /// The current snapshot (cheap: an `Arc` clone under a read lock).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Swaps in a good build, then tells every open page.
    pub fn publish_site(&self, built: Built) -> Arc<Snapshot> {
        self.publish(|old| Snapshot {
            generation: old.generation + 1,
            base: built.base_url,
            site: Some(built.site),
            failure: None,
        })
    }

    /// Keeps the last good site and records why this build failed.
    pub fn publish_failure(&self, failure: BuildFailure) -> Arc<Snapshot> {
        self.publish(|old| Snapshot {
            generation: old.generation + 1,
            base: failure.base_url.clone().unwrap_or_else(|| old.base.clone()),
            site: old.site.clone(),
            failure: Some(Arc::new(failure)),
        })
    }

    fn publish(&self, next: impl FnOnce(&Snapshot) -> Snapshot) -> Arc<Snapshot> {
        let (snap, old) = {
            let mut guard = self
                .snapshot
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            let snap = Arc::new(next(&guard));
            let old = std::mem::replace(&mut *guard, snap.clone());
            (snap, old)
        };
        self.hub.broadcast(&super::reload::event(&snap));
        *self
            .published
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = snap.generation;
        self.changed.notify_all();
        // Freeing the old site (a whole handbook) takes tens of ms: not
        // under the lock, not before the pages hear, not on this thread.
        let _ = std::thread::Builder::new()
            .name("cxbook-free".into())
            .spawn(move || drop(old));
        snap
    }

    /// Waits until the generation is at least `generation`; returns the
    /// snapshot then, or `None` after `timeout`.
    pub fn wait_for(&self, generation: u64, timeout: Duration) -> Option<Arc<Snapshot>> {
        let deadline = Instant::now() + timeout;
        let mut published = self
            .published
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while *published < generation {
            let left = deadline.checked_duration_since(Instant::now())?;
            published = self
                .changed
                .wait_timeout(published, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        drop(published);
        Some(self.snapshot())
    }
}

type Client = Box<dyn Write + Send>;

/// The open event streams. Writing is quick (a few hundred bytes into a
/// socket buffer); a client whose write fails has gone and is dropped.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Client>>,
}

impl Hub {
    /// Adds a client after sending it `first` (its view of the state now).
    /// The lock is held so that no broadcast slips between the two.
    pub fn add(&self, mut client: Client, first: impl FnOnce() -> Vec<u8>) {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        if send(&mut client, &first()) {
            clients.push(client);
        }
    }

    /// Sends `message` to every client, dropping those that have gone.
    pub fn broadcast(&self, message: &[u8]) {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        clients.retain_mut(|c| send(c, message));
    }

    pub fn len(&self) -> usize {
        self.clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every client (on shutdown).
    pub fn clear(&self) {
        self.clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

fn send(client: &mut Client, message: &[u8]) -> bool {
    client
        .write_all(message)
        .and_then(|()| client.flush())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::build::Problem;
    use crate::site::Site;
    use std::collections::BTreeMap;

    fn built(page: &str) -> Built {
        let files = BTreeMap::from([("index.html".to_string(), page.as_bytes().to_vec())]);
        Built {
            site: Arc::new(Site { files }),
            base_url: "/cx/".to_string(),
            ..Built::default()
        }
    }

    fn page(snap: &Snapshot) -> Vec<u8> {
        snap.site
            .as_ref()
            .unwrap()
            .get("index.html")
            .unwrap()
            .unwrap()
    }

    #[test]
    fn a_failure_keeps_the_last_good_site_and_a_fix_clears_it() {
        let state = State::new();
        assert_eq!(state.snapshot().generation, 0);
        state.publish_site(built("one"));
        let failure = BuildFailure {
            problems: vec![Problem::default()],
            base_url: None,
        };
        let snap = state.publish_failure(failure);
        assert_eq!(snap.generation, 2);
        assert_eq!(snap.base, "/cx/");
        assert!(snap.failure.is_some());
        assert_eq!(page(&snap), b"one");
        let snap = state.publish_site(built("two"));
        assert!(snap.failure.is_none());
        assert_eq!(page(&snap), b"two");
    }

    #[test]
    fn waiting_returns_once_the_generation_is_published() {
        let state = Arc::new(State::new());
        let s = state.clone();
        let t = std::thread::spawn(move || s.wait_for(1, Duration::from_secs(5)));
        state.publish_site(built("x"));
        assert_eq!(t.join().unwrap().unwrap().generation, 1);
        assert!(state.wait_for(9, Duration::from_millis(10)).is_none());
    }

    /// A client whose socket has gone.
    struct Gone;
    impl Write for Gone {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_hub_drops_clients_that_have_gone() {
        let hub = Hub::default();
        hub.add(Box::new(Vec::new()), || b"hello".to_vec());
        hub.add(Box::new(Gone), || b"hello".to_vec());
        assert_eq!(hub.len(), 1);
        hub.broadcast(b"event");
        assert_eq!(hub.len(), 1);
    }
}
