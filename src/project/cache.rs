//! A cache of validated files, keyed by a hash of their bytes.
//!
//! Parsing YAML is most of the time spent loading a large handbook, so a
//! file whose bytes did not change is not parsed again: `serve` keeps the
//! cache in memory between rebuilds, `build` keeps it on disk in
//! `.cxbook-cache/` under the project root. Only files that validated
//! without a single diagnostic are cached; the cache is dropped as a whole
//! when anything it depends on besides the file changes (the site's scale,
//! `[check]`, today's date, the cxbook version).

use crate::model::validate::{Item, Refs};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// Folder under the project root that holds the on-disk cache.
pub const CACHE_DIR: &str = ".cxbook-cache";
const CACHE_FILE: &str = "load-v1.json";

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LoadCache {
    /// What every entry depends on besides its file.
    key: u64,
    files: HashMap<PathBuf, Entry>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    pub hash: u64,
    pub item: Item,
    pub refs: Refs,
}

impl LoadCache {
    /// Reads the on-disk cache of `root`; an absent or unreadable cache is
    /// an empty one (it is only ever a shortcut).
    pub fn read(root: &Path) -> LoadCache {
        std::fs::File::open(root.join(CACHE_DIR).join(CACHE_FILE))
            .ok()
            .and_then(|f| serde_json::from_reader(std::io::BufReader::new(f)).ok())
            .unwrap_or_default()
    }

    /// Writes the cache under `root`, best effort: a read-only checkout
    /// still builds, only without the shortcut.
    pub fn write(&self, root: &Path) {
        let dir = root.join(CACHE_DIR);
        if std::fs::create_dir_all(&dir).is_err() {
            return;
        }
        let _ = std::fs::write(dir.join(".gitignore"), "*\n");
        // Streamed, not built in memory first: for 10,000 maps the JSON is
        // hundreds of megabytes.
        let tmp = dir.join(format!("{CACHE_FILE}.tmp"));
        let written = std::fs::File::create(&tmp).map_err(|_| ()).and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            serde_json::to_writer(&mut w, self).map_err(|_| ())?;
            std::io::Write::flush(&mut w).map_err(|_| ())
        });
        if written.is_ok() {
            let _ = std::fs::rename(&tmp, dir.join(CACHE_FILE));
        }
    }

    /// Empties the cache unless it was made under the same `key`.
    pub fn prepare(&mut self, key: u64) {
        if self.key != key {
            self.files.clear();
            self.key = key;
        }
    }

    pub fn get(&self, path: &Path, hash: u64) -> Option<&Entry> {
        self.files.get(path).filter(|e| e.hash == hash)
    }

    /// Takes the entry of `path` out of the cache (to put it back with
    /// [`LoadCache::replace`] without copying it).
    pub fn take(&mut self, path: &Path) -> Option<Entry> {
        self.files.remove(path)
    }

    /// Replaces the entries with those of the files just loaded, so that
    /// deleted files do not linger.
    pub fn replace(&mut self, entries: Vec<(PathBuf, Entry)>) {
        self.files = entries.into_iter().collect();
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A fast, deterministic hash of bytes (SipHash with fixed keys).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// The cache key: what every cached result depends on besides its file.
pub fn key(parts: &[&str]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    parts.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Project;

    const MAP: &str = "---\ntitle: Original\nstages:\n  - name: S\n    touchpoints:\n      - name: P\n        emotion: 1\n---\n";

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/m.md"), MAP).unwrap();
        dir
    }

    #[test]
    fn unchanged_files_come_from_the_cache_and_changed_ones_do_not() {
        let dir = project();
        let mut cache = LoadCache::default();
        let first = Project::load_cached(dir.path(), Some(&mut cache)).unwrap();
        assert_eq!(cache.len(), 1);
        // Tamper with the cached result: if the next load shows it, the
        // file was not parsed again.
        for e in cache.files.values_mut() {
            if let Item::Map(m) = &mut e.item {
                std::sync::Arc::make_mut(m).title = "From the cache".into();
            }
        }
        let second = Project::load_cached(dir.path(), Some(&mut cache)).unwrap();
        assert_eq!(second.handbook.maps[0].title, "From the cache");
        std::fs::write(
            dir.path().join("content/m.md"),
            MAP.replace("Original", "Edited"),
        )
        .unwrap();
        let third = Project::load_cached(dir.path(), Some(&mut cache)).unwrap();
        assert_eq!(third.handbook.maps[0].title, "Edited");
        assert_eq!(first.handbook.maps[0].title, "Original");
    }

    #[test]
    fn files_with_problems_are_not_cached_and_the_disk_cache_round_trips() {
        let dir = project();
        std::fs::write(dir.path().join("content/bad.md"), "---\ntitle: x\n").unwrap();
        let mut cache = LoadCache::default();
        let p = Project::load_cached(dir.path(), Some(&mut cache)).unwrap();
        assert!(p.has_errors());
        assert_eq!(cache.len(), 1, "only the clean file is cached");
        cache.write(dir.path());
        let back = LoadCache::read(dir.path());
        assert_eq!(back.len(), 1);
        let again = Project::load_cached(dir.path(), Some(&mut back.clone())).unwrap();
        assert_eq!(again.handbook.maps, p.handbook.maps);
        assert_eq!(
            again.diagnostics, p.diagnostics,
            "errors are reported again"
        );
    }
}
