//! What a site is built from, reduced to one number.
//!
//! A build whose inputs have the same fingerprint as the previous one, and
//! whose output is still intact, has nothing to do (see
//! [`super::output::is_up_to_date`]). The fingerprint covers every file
//! under `content/` and the project's theme (path, size and modification
//! time), `book.toml`'s text, the base URL, today's date (overdue marks and
//! staleness depend on it), the cxbook version and the program file itself.

use super::BuildOptions;
use crate::config::Config;
use crate::model::Date;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::UNIX_EPOCH;

pub fn fingerprint(root: &Path, config: &Config, opts: &BuildOptions, today: Date) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    // A rebuilt cxbook of the same version may render differently: the
    // program itself is an input too.
    if let Some(meta) = std::env::current_exe().ok().and_then(|p| p.metadata().ok()) {
        meta.len().hash(&mut h);
        meta.modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .hash(&mut h);
    }
    std::fs::read(root.join("book.toml"))
        .unwrap_or_default()
        .hash(&mut h);
    opts.base_url.hash(&mut h);
    today.to_string().hash(&mut h);
    for dir in [
        root.join(&config.build.content_dir),
        root.join("themes").join(&config.build.theme),
    ] {
        dir.hash(&mut h);
        if !dir.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    // A loop or an unreadable file: its path still counts.
                    e.path().hash(&mut h);
                    continue;
                }
            };
            entry.path().hash(&mut h);
            if let Ok(meta) = entry.metadata() {
                meta.len().hash(&mut h);
                meta.modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .hash(&mut h);
            }
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_with_content_config_and_options() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("content")).unwrap();
        std::fs::write(d.path().join("content/a.md"), "one").unwrap();
        let c = Config::default();
        let o = BuildOptions::default();
        let today = Date::parse("2026-11-23").unwrap();
        let a = fingerprint(d.path(), &c, &o, today);
        assert_eq!(a, fingerprint(d.path(), &c, &o, today), "stable");
        std::fs::write(d.path().join("content/a.md"), "two!").unwrap();
        let b = fingerprint(d.path(), &c, &o, today);
        assert_ne!(a, b, "content size changed");
        std::fs::write(d.path().join("book.toml"), "[book]\ntitle = \"x\"\n").unwrap();
        let c2 = fingerprint(d.path(), &c, &o, today);
        assert_ne!(b, c2, "book.toml");
        let o2 = BuildOptions {
            base_url: Some("/cx/".into()),
            ..o.clone()
        };
        assert_ne!(c2, fingerprint(d.path(), &c, &o2, today), "base url");
        let tomorrow = Date::parse("2026-11-24").unwrap();
        assert_ne!(c2, fingerprint(d.path(), &c, &o, tomorrow), "date");
        std::fs::create_dir_all(d.path().join("themes/default")).unwrap();
        std::fs::write(d.path().join("themes/default/style.css"), "x").unwrap();
        assert_ne!(c2, fingerprint(d.path(), &c, &o, today), "theme");
    }
}
