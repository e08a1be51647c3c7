//! Loading a project again after a save, reading only what changed (for
//! `cxbook serve`).
//!
//! [`IncrementalLoader`] keeps, for every Markdown file under `content/`,
//! what validating it on its own gave ([`Checked`]: the item, its
//! diagnostics, its references placed for their messages). Given the paths
//! the watcher reported, it reads and checks again only the Markdown files
//! among them, drops those deleted, then links everything again
//! ([`validate::link`]: the references across files, the sorted handbook),
//! which parses nothing and shares the maps instead of copying them.
//!
//! Anything it cannot follow file by file loads everything again: the
//! first load, an unknown change (no paths), `book.toml`, a folder that
//! appeared, went away or was renamed, a symbolic link, a new day (staleness
//! depends on the date), or a content folder whose walk met links or
//! unreadable folders. A full load still reuses the result of every file
//! whose text did not change. Either way the project is the one
//! [`Project::load`] gives for the same files (a test compares them after
//! every kind of edit).

use super::{Project, load_config, sort, timing};
use crate::config::Config;
use crate::content::{self, FileKind, Found, SourceFile};
use crate::diagnostics::Diagnostic;
use crate::error::Result;
use crate::model::Date;
use crate::model::validate::{self, Checked, Rules};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Loads a project, then loads it again after changes, reading only the
/// files that changed.
#[derive(Debug)]
pub struct IncrementalLoader {
    root: PathBuf,
    /// `None` before the first load, and after a load that failed.
    state: Option<State>,
    last: Reload,
}

/// How the last load went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reload {
    /// Every file listed and read again, for this reason.
    Full(&'static str),
    /// Only the changed files: how many were read, how many dropped.
    Files { read: usize, removed: usize },
}

#[derive(Debug)]
struct State {
    config: Config,
    rules: Rules,
    /// `root` joined with the content folder: how the walk names files.
    base: PathBuf,
    /// The content folder, the theme and `book.toml`, absolute and
    /// canonical: how the watcher names changed paths.
    content: PathBuf,
    theme: PathBuf,
    config_file: PathBuf,
    /// Why every load must list the files again, if it must.
    walk_again: Option<&'static str>,
    /// The walk's own diagnostics (folders it could not read, loops).
    walk_diags: Vec<Diagnostic>,
    /// Every Markdown file by its path relative to the root (the order of
    /// the walk).
    files: BTreeMap<PathBuf, Entry>,
}

#[derive(Debug)]
struct Entry {
    id: String,
    kind: FileKind,
    /// Validated on its own, or why it could not be read.
    checked: std::result::Result<Checked, Diagnostic>,
}

/// What a batch of changes asks for.
#[derive(Debug, Default)]
struct Plan {
    /// Markdown files to read again (or for the first time), as the walk
    /// names them.
    read: Vec<PathBuf>,
    /// Files that went away, relative to the root.
    remove: Vec<PathBuf>,
}

impl IncrementalLoader {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        IncrementalLoader {
            root: root.into(),
            state: None,
            last: Reload::Full("first load"),
        }
    }

    /// How the last load went.
    pub fn last(&self) -> &Reload {
        &self.last
    }

    /// Loads the project, given the absolute paths that changed since the
    /// last call; no paths means anything may have changed.
    ///
    /// `Err` as [`Project::load`]: only for what stops loading altogether.
    pub fn load(&mut self, changed: &[PathBuf]) -> Result<Project> {
        let started = Instant::now();
        let plan = match &self.state {
            None => Err("first load"),
            Some(_) if changed.is_empty() => Err("anything may have changed"),
            Some(state) => state.plan(&self.root, changed),
        };
        match plan {
            Ok(plan) => {
                let (read, removed) = (plan.read.len(), plan.remove.len());
                if let Some(state) = &mut self.state {
                    state.apply(&self.root, plan);
                }
                self.last = Reload::Files { read, removed };
            }
            Err(why) => {
                // A failed load leaves no state: the next one loads all.
                let old = self.state.take();
                self.state = Some(State::load(&self.root, old)?);
                self.last = Reload::Full(why);
            }
        }
        let read = started.elapsed();
        let state = self.state.as_ref().expect("loaded above");
        let project = state.project(&self.root);
        timing(&format!(
            "{}: read+check {:.1} ms, link {:.1} ms",
            match &self.last {
                Reload::Full(why) => format!("all files ({why})"),
                Reload::Files { read, removed } => format!("{read} read, {removed} removed"),
            },
            ms(read),
            ms(started.elapsed() - read)
        ));
        Ok(project)
    }
}

impl State {
    /// Lists and reads every file, reusing the results of `old` for files
    /// whose text did not change.
    fn load(root: &Path, old: Option<State>) -> Result<State> {
        let config = load_config(root)?;
        let rules = Rules::new(&config, Date::today());
        let base = root.join(&config.build.content_dir);
        let listing = content::list(root, &config.build.content_dir);
        let walk_again = if listing.symlinks {
            Some("a symbolic link under the content folder")
        } else if !listing.diags.is_empty() {
            Some("a folder under the content folder cannot be read")
        } else if base.file_name().is_some_and(content::is_hidden) {
            Some("the content folder is hidden")
        } else {
            None
        };
        let names: Vec<(String, FileKind)> = listing
            .files
            .iter()
            .map(|f| (f.id.clone(), f.kind))
            .collect();
        let paths: Vec<PathBuf> = listing.files.iter().map(|f| f.path.clone()).collect();
        let mut sources = Vec::new();
        let mut failed = BTreeMap::new();
        for (k, r) in content::read_all(listing.files).into_iter().enumerate() {
            match r {
                Ok(src) => sources.push(src),
                Err(d) => {
                    failed.insert(k, d);
                }
            }
        }
        let old = old.filter(|o| o.rules == rules);
        let checked = validate::check_all(&sources, &rules, |f, hash| old.as_ref()?.reuse(f, hash));
        let mut checked = checked.into_iter();
        let mut files = BTreeMap::new();
        for (k, ((id, kind), path)) in names.into_iter().zip(paths).enumerate() {
            let checked = match failed.remove(&k) {
                Some(d) => Err(d),
                None => Ok(checked.next().expect("one result per file read")),
            };
            files.insert(path, Entry { id, kind, checked });
        }
        let abs = std::fs::canonicalize(root)
            .or_else(|_| std::path::absolute(root))
            .unwrap_or_else(|_| root.to_path_buf());
        Ok(State {
            content: abs.join(&config.build.content_dir),
            theme: abs.join("themes").join(&config.build.theme),
            config_file: abs.join("book.toml"),
            walk_again,
            walk_diags: listing.diags,
            files,
            base,
            rules,
            config,
        })
    }

    /// The earlier result for the file, if its text is the same.
    fn reuse(&self, f: &SourceFile, hash: u64) -> Option<Checked> {
        match &self.files.get(&f.path)?.checked {
            Ok(c) if c.hash == hash => Some(c.clone()),
            _ => None,
        }
    }

    /// Sorts the changed paths into files to read and files to drop, or
    /// says why everything must be loaded again.
    fn plan(&self, root: &Path, changed: &[PathBuf]) -> std::result::Result<Plan, &'static str> {
        if let Some(why) = self.walk_again {
            return Err(why);
        }
        if Date::today() != self.rules.today {
            return Err("a new day");
        }
        let mut plan = Plan::default();
        for path in changed {
            if *path == self.config_file {
                return Err("book.toml changed");
            }
            let Ok(under) = path.strip_prefix(&self.content) else {
                // The theme is no part of the loaded project.
                if path.starts_with(&self.theme) {
                    continue;
                }
                return Err("a file outside the content folder changed");
            };
            if under
                .components()
                .any(|c| content::is_hidden(c.as_os_str()))
            {
                continue;
            }
            let full = self.base.join(under);
            match std::fs::symlink_metadata(path) {
                Ok(meta) if meta.is_file() => {
                    if content::is_markdown(path) {
                        plan.read.push(full);
                    }
                }
                Ok(meta) if meta.is_dir() => return Err("a folder changed"),
                Ok(_) => return Err("a symbolic link changed"),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let rel = Found::new(root, &self.base, full).path;
                    if self.files.contains_key(&rel) {
                        plan.remove.push(rel);
                    } else if self
                        .files
                        .range(rel.clone()..)
                        .next()
                        .is_some_and(|(p, _)| p.starts_with(&rel))
                    {
                        return Err("a folder was removed or renamed");
                    }
                }
                Err(_) => return Err("a changed file cannot be inspected"),
            }
        }
        plan.read.sort();
        plan.read.dedup();
        Ok(plan)
    }

    /// Reads and checks the planned files, and drops the deleted ones.
    fn apply(&mut self, root: &Path, plan: Plan) {
        for rel in &plan.remove {
            self.files.remove(rel);
        }
        let mut sources = Vec::new();
        for full in plan.read {
            let found = Found::new(root, &self.base, full);
            let (path, id, kind) = (found.path.clone(), found.id.clone(), found.kind);
            let exists = found.full.exists();
            match found.read() {
                Ok(src) => sources.push(src),
                // Gone since it was reported: its deletion is on its way.
                Err(_) if !exists => {
                    self.files.remove(&path);
                }
                Err(d) => {
                    let checked = Err(d);
                    self.files.insert(path, Entry { id, kind, checked });
                }
            }
        }
        let checked = validate::check_all(&sources, &self.rules, |f, hash| self.reuse(f, hash));
        for (src, checked) in sources.into_iter().zip(checked) {
            let entry = Entry {
                id: src.id,
                kind: src.kind,
                checked: Ok(checked),
            };
            self.files.insert(src.path, entry);
        }
    }

    /// The project these files make.
    fn project(&self, root: &Path) -> Project {
        let mut diagnostics = self.walk_diags.clone();
        diagnostics.extend(
            self.files
                .values()
                .filter_map(|e| e.checked.as_ref().err().cloned()),
        );
        let (handbook, more) = validate::link(self.files.iter().filter_map(|(path, e)| {
            let checked = e.checked.as_ref().ok()?;
            Some((path.as_path(), e.id.as_str(), e.kind, checked))
        }));
        diagnostics.extend(more);
        sort(&mut diagnostics);
        Project {
            root: root.to_path_buf(),
            config: self.config.clone(),
            handbook,
            diagnostics,
            today: self.rules.today,
        }
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const PERSONA: &str = "---\nname: Ana\n---\nAna's story.\n";

    fn map(title: &str, persona: &str, extra: &str) -> String {
        format!(
            "---\ntitle: {title}\npersona: {persona}\n{extra}reviewed: 2020-01-01\nstages:\n  - name: Find\n    touchpoints:\n      - name: Search\n        emotion: 1\n      - name: Read\n---\nBody of {title}.\n"
        )
    }

    /// A handbook in a temporary folder, and the loader under test.
    struct Book {
        _dir: tempfile::TempDir,
        root: PathBuf,
        /// The canonical root, as the watcher names changed paths.
        abs: PathBuf,
        loader: IncrementalLoader,
    }

    impl Book {
        fn new() -> Book {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().to_path_buf();
            let abs = fs::canonicalize(&root).unwrap();
            let mut book = Book {
                loader: IncrementalLoader::new(&root),
                _dir: dir,
                root,
                abs,
            };
            book.write("book.toml", "[book]\ntitle = \"T\"\n");
            book.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
            book.write("content/personas/ana.md", PERSONA);
            book.write("content/personas/bo.md", "---\nname: Bo\n---\n");
            book.write("content/a.md", &map("A", "ana", ""));
            book.write("content/b.md", &map("B", "ana", "compare: a\n"));
            book.write("content/retail/c.md", &map("C", "bo", ""));
            book.write("content/retail/_index.md", "---\ntitle: Retail\n---\n");
            book.write("content/guide.md", "---\ntitle: Guide\n---\nText.\n");
            book.write("content/img/logo.png", "\u{89}PNG");
            book.step(&[], Some(Reload::Full("first load")));
            book
        }

        fn write(&self, rel: &str, text: &str) {
            let path = self.root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }

        fn path(&self, rel: &str) -> PathBuf {
            self.abs.join(rel)
        }

        /// Loads with the given paths reported changed, checks the result
        /// against a full load of the same files, and how it was loaded.
        fn step(&mut self, changed: &[&str], want: Option<Reload>) -> Project {
            let changed: Vec<PathBuf> = changed.iter().map(|r| self.path(r)).collect();
            let got = self.loader.load(&changed).unwrap();
            let full = Project::load(&self.root).unwrap();
            assert_same(&got, &full, &changed);
            if let Some(want) = want {
                assert_eq!(self.loader.last(), &want, "after {changed:?}");
            }
            got
        }
    }

    fn assert_same(got: &Project, full: &Project, changed: &[PathBuf]) {
        let ids = |p: &Project| -> Vec<String> {
            let hb = &p.handbook;
            let maps = hb.maps.iter().map(|m| format!("map {}", m.id));
            let personas = hb.personas.iter().map(|p| format!("persona {}", p.id));
            let pages = hb.pages.iter().map(|p| format!("page {}", p.id));
            maps.chain(personas).chain(pages).collect()
        };
        assert_eq!(ids(got), ids(full), "after {changed:?}");
        assert_eq!(got.diagnostics, full.diagnostics, "after {changed:?}");
        assert_eq!(format!("{got:?}"), format!("{full:?}"), "after {changed:?}");
    }

    /// The codes of the errors (the maps also have warnings).
    fn codes(p: &Project) -> Vec<&str> {
        p.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn every_edit_gives_what_a_full_load_gives() {
        let mut book = Book::new();
        let files = |read| Some(Reload::Files { read, removed: 0 });

        // Change a map, break it, fix it.
        book.write("content/a.md", &map("A2", "ana", ""));
        let p = book.step(&["content/a.md"], files(1));
        assert_eq!(p.handbook.map("a").unwrap().title, "A2");
        book.write("content/a.md", "---\ntitle: [A\n---\n");
        let p = book.step(&["content/a.md"], files(1));
        assert_eq!(codes(&p), ["yaml-syntax"]);
        assert!(p.handbook.map("a").is_none() && p.handbook.map("b").is_some());
        book.write("content/a.md", &map("A3", "ana", ""));
        let p = book.step(&["content/a.md"], files(1));
        assert!(!p.has_errors());

        // Add a map, delete one.
        book.write(
            "content/retail/d.md",
            &map("D", "bo", "compare: retail/c\n"),
        );
        let p = book.step(&["content/retail/d.md"], files(1));
        assert!(p.handbook.map("retail/d").is_some());
        fs::remove_file(book.root.join("content/retail/c.md")).unwrap();
        let p = book.step(
            &["content/retail/c.md"],
            Some(Reload::Files {
                read: 0,
                removed: 1,
            }),
        );
        assert_eq!(codes(&p), ["unknown-map"], "d compares with c");
        assert!(p.handbook.map("retail/d").is_none());
        book.write("content/retail/c.md", &map("C", "bo", ""));
        let p = book.step(&["content/retail/c.md"], files(1));
        assert!(!p.has_errors());

        // A persona referenced by maps changes its id (a rename), then back.
        fs::rename(
            book.root.join("content/personas/ana.md"),
            book.root.join("content/personas/anna.md"),
        )
        .unwrap();
        let p = book.step(
            &["content/personas/ana.md", "content/personas/anna.md"],
            Some(Reload::Files {
                read: 1,
                removed: 1,
            }),
        );
        assert_eq!(codes(&p), ["unknown-persona", "unknown-persona"]);
        assert_eq!(
            p.diagnostics[0].hint.as_deref(),
            Some("did you mean `anna`?")
        );
        fs::rename(
            book.root.join("content/personas/anna.md"),
            book.root.join("content/personas/ana.md"),
        )
        .unwrap();
        book.step(
            &["content/personas/anna.md", "content/personas/ana.md"],
            None,
        );
        // A map names a persona that does not exist, then one that does.
        book.write("content/a.md", &map("A", "nobody", ""));
        book.step(&["content/a.md"], files(1));
        book.write("content/a.md", &map("A", "bo", ""));
        book.step(&["content/a.md"], files(1));

        // `compare`: itself, a plain page, a missing map, then a map.
        for target in ["b", "guide", "retail/nope", "a"] {
            book.write(
                "content/b.md",
                &map("B", "ana", &format!("compare: {target}\n")),
            );
            book.step(&["content/b.md"], files(1));
        }
        // The compared map breaks: the comparing one stays.
        book.write("content/a.md", "---\ntitle: A\nstages: 3\n---\n");
        let p = book.step(&["content/a.md"], files(1));
        assert!(p.handbook.map("b").is_some());
        book.write("content/a.md", &map("A", "ana", ""));
        book.step(&["content/a.md"], files(1));

        // A persona breaks and is fixed.
        book.write("content/personas/bo.md", "---\nrole: x\n---\n");
        let p = book.step(&["content/personas/bo.md"], files(1));
        assert_eq!(codes(&p), ["missing-key"], "bo is broken, not missing");
        book.write("content/personas/bo.md", "---\nname: Bo\n---\n");
        book.step(&["content/personas/bo.md"], files(1));

        // A file that is not text, then text again.
        fs::write(
            book.root.join("content/guide.md"),
            b"---\ntitle: \xff\n---\n",
        )
        .unwrap();
        let p = book.step(&["content/guide.md"], files(1));
        assert_eq!(codes(&p), ["not-utf8"]);
        book.write("content/guide.md", "---\ntitle: Guide\n---\n");
        book.step(&["content/guide.md"], files(1));

        // Saved without a change; editor files; an image; the theme.
        book.step(&["content/a.md"], files(1));
        book.write("content/.a.md.swp", "x");
        book.write("content/.hidden/e.md", &map("E", "ana", ""));
        book.step(&["content/.a.md.swp", "content/.hidden/e.md"], files(0));
        book.write("content/img/logo.png", "\u{89}PNG2");
        book.step(&["content/img/logo.png"], files(0));
        book.step(&["themes/default/templates/map.html"], files(0));
        // Created and deleted before the event arrives.
        book.step(&["content/gone.md"], files(0));
    }

    #[test]
    fn what_cannot_be_followed_file_by_file_loads_everything() {
        let mut book = Book::new();
        let full = |why| Some(Reload::Full(why));
        // A new folder with a map in it (reported as the folder).
        book.write("content/banking/x.md", &map("X", "ana", ""));
        book.step(
            &["content/banking", "content/banking/x.md"],
            full("a folder changed"),
        );
        // A folder renamed.
        fs::rename(
            book.root.join("content/banking"),
            book.root.join("content/bank"),
        )
        .unwrap();
        book.step(
            &["content/banking", "content/bank"],
            full("a folder was removed or renamed"),
        );
        // A folder removed.
        fs::remove_dir_all(book.root.join("content/bank")).unwrap();
        book.step(&["content/bank"], full("a folder was removed or renamed"));
        // book.toml: a new scale makes an emotion invalid.
        book.write("book.toml", "[emotion]\nmin = 2\nmax = 5\n");
        let p = book.step(&["book.toml"], full("book.toml changed"));
        assert!(p.has_errors());
        book.write("book.toml", "[book]\ntitle = \"T\"\n");
        book.step(&["book.toml"], full("book.toml changed"));
        // An unknown change.
        book.step(&[], full("anything may have changed"));
        book.step(
            &["elsewhere.md"],
            full("a file outside the content folder changed"),
        );
        // Still incremental afterwards.
        book.write("content/a.md", &map("A9", "ana", ""));
        book.step(
            &["content/a.md"],
            Some(Reload::Files {
                read: 1,
                removed: 0,
            }),
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_under_content_loads_everything_every_time() {
        let mut book = Book::new();
        book.write("shared/s.md", &map("S", "ana", ""));
        std::os::unix::fs::symlink(book.root.join("shared"), book.root.join("content/linked"))
            .unwrap();
        book.step(
            &["content/linked"],
            Some(Reload::Full("a symbolic link changed")),
        );
        // An edit through the link is seen under the link's name too.
        book.write("shared/s.md", &map("S2", "ana", ""));
        let p = book.step(
            &["content/a.md"],
            Some(Reload::Full("a symbolic link under the content folder")),
        );
        assert_eq!(p.handbook.map("linked/s").unwrap().title, "S2");
    }

    #[test]
    fn a_failed_load_is_followed_by_a_full_one() {
        let mut book = Book::new();
        book.write("book.toml", "[book\n");
        assert!(book.loader.load(&[book.path("book.toml")]).is_err());
        // Only content is reported next, but book.toml is read again.
        book.write("book.toml", "[book]\ntitle = \"Fixed\"\n");
        let p = book.step(&["content/a.md"], Some(Reload::Full("first load")));
        assert_eq!(p.config.book.title, "Fixed");
    }
}
