//! Reading `content/`: walking the tree, decoding each Markdown file and
//! splitting its YAML front matter from its body.
//!
//! Nothing here judges the content; problems that stop a file from being
//! read at all (not UTF-8, no closing `---`) become [`Diagnostic`]s.

pub mod yaml;
pub mod yaml_fast;

use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// What a file under `content/` is, by where it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// Anything under `content/personas/`.
    Persona,
    /// Any other Markdown file: a map if its front matter has `stages`.
    Page,
}

/// One Markdown file, read and decoded.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Relative to the project root, for messages (`content/retail/a.md`).
    pub path: PathBuf,
    /// Path under `content/` without `.md`, `/`-separated (`retail/a`).
    pub id: String,
    pub kind: FileKind,
    /// The text with a byte-order mark removed and CRLF turned into LF, so
    /// that lines and columns are those an editor shows.
    pub text: String,
}

/// A file split in two. `front` is the YAML between the `---` lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: &'a str,
    /// 0-based line of `front`'s first line in the file.
    pub front_line: usize,
    pub body: &'a str,
}

/// A Markdown file found under `content/`, not read yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Where to read it from.
    pub full: PathBuf,
    /// Relative to the project root, for messages (`content/retail/a.md`).
    pub path: PathBuf,
    /// Path under `content/` without `.md`, `/`-separated (`retail/a`).
    pub id: String,
    pub kind: FileKind,
}

impl Found {
    /// The file at `full`, under `base` (`root` joined with the content
    /// folder, as given to [`list`]).
    pub fn new(root: &Path, base: &Path, full: PathBuf) -> Found {
        let path = rel_to(root, &full);
        let under = full.strip_prefix(base).unwrap_or(&full);
        let id = id_of(under);
        let kind = if under
            .components()
            .next()
            .is_some_and(|c| c.as_os_str() == "personas")
        {
            FileKind::Persona
        } else {
            FileKind::Page
        };
        Found {
            full,
            path,
            id,
            kind,
        }
    }

    /// Reads and decodes the file.
    pub fn read(self) -> Result<SourceFile, Diagnostic> {
        match std::fs::read(&self.full) {
            Ok(bytes) => decode(&self.path, bytes).map(|text| SourceFile {
                path: self.path,
                id: self.id,
                kind: self.kind,
                text,
            }),
            Err(err) => Err(Diagnostic::error(
                "unreadable",
                format!("cannot read `{}`: {err}", self.path.display()),
            )
            .at(&self.path, "", 1, 1, 1)),
        }
    }
}

/// Walks `content_dir` (given relative to `root` for messages) and reads
/// every `.md` file, sorted by path. Unreadable files and loops become
/// diagnostics; the walk goes on.
pub fn walk(root: &Path, content_dir: &str) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let Listing {
        files: found,
        mut diags,
        ..
    } = list(root, content_dir);
    let mut files = Vec::new();
    for r in read_all(found) {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    (files, diags)
}

/// Reads files in parallel, in the order given: reading and decoding in
/// parallel halves a large handbook's load.
pub fn read_all(found: Vec<Found>) -> Vec<Result<SourceFile, Diagnostic>> {
    found.into_par_iter().map(Found::read).collect()
}

/// The Markdown files under `content/`, not read yet.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    /// Sorted by path.
    pub files: Vec<Found>,
    /// Folders that could not be read, and loops.
    pub diags: Vec<Diagnostic>,
    /// Whether a symbolic link was followed on the way (then one file may
    /// be found under two names).
    pub symlinks: bool,
}

/// Lists every `.md` file under `content_dir` (given relative to `root`
/// for messages), sorted by path, without reading them. Hidden files and
/// folders are left out; folders that cannot be read and loops become
/// diagnostics, and the walk goes on.
pub fn list(root: &Path, content_dir: &str) -> Listing {
    let base = root.join(content_dir);
    let mut diags = Vec::new();
    let mut found = Vec::new();
    let mut symlinks = false;
    let walker = WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().unwrap_or(&base);
                let rel = rel_to(root, path);
                let msg = if err.loop_ancestor().is_some() {
                    format!(
                        "symbolic link loop: `{}` points back to a folder that contains it",
                        rel.display()
                    )
                } else {
                    format!("cannot read `{}`: {}", rel.display(), err)
                };
                diags.push(
                    Diagnostic::error("unreadable", msg)
                        .at(&rel, "", 1, 1, 1)
                        .with_hint("remove the link or make it point outside content/"),
                );
                continue;
            }
        };
        symlinks |= entry.path_is_symlink();
        if !entry.file_type().is_file() || !is_markdown(entry.path()) {
            continue;
        }
        found.push(Found::new(root, &base, entry.into_path()));
    }
    Listing {
        files: found,
        diags,
        symlinks,
    }
}

/// Whether the walk reads the file at `path` as Markdown (by its name).
pub fn is_markdown(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()) == Some("md")
}

/// Whether the walk leaves out a file or folder of this name.
pub fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|s| s.starts_with('.') && s.len() > 1)
}

fn rel_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// `retail/a.md` -> `retail/a`, always with `/`.
pub fn id_of(under_content: &Path) -> String {
    let no_ext = under_content.with_extension("");
    no_ext
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Checks that `bytes` is UTF-8 text, drops a byte-order mark and turns
/// CRLF into LF.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    // Git's heuristic: a NUL byte early on means binary, whatever the name.
    if bytes[..bytes.len().min(8000)].contains(&0) {
        return Err(Diagnostic::error(
            "not-text",
            format!("`{}` is a binary file, not Markdown text", path.display()),
        )
        .at(path, "", 1, 1, 1)
        .with_hint("move it out of content/ or give it another extension than .md"));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let good = std::str::from_utf8(good).unwrap_or("");
            let line = good.matches('\n').count() + 1;
            let col = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(Diagnostic::error(
                "not-utf8",
                format!(
                    "`{}` is not UTF-8 text (invalid byte at line {line}, column {col})",
                    path.display()
                ),
            )
            .at(path, good, line, col, 1)
            .with_hint(
                "save the file as UTF-8; binary files do not belong under content/ with a .md name",
            ));
        }
    };
    if let Some(i) = text.find('\0') {
        let before = &text[..i];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        return Err(Diagnostic::error(
            "not-text",
            format!(
                "`{}` contains a NUL byte: it looks like a binary file, not Markdown",
                path.display()
            ),
        )
        .at(path, "", line, col, 1));
    }
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

/// Splits `---` front matter from the body. A file that does not start
/// with `---` has no front matter (`Ok(None)`); one that never closes it is
/// an error placed at the opening line.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Option<Split<'a>>, Diagnostic> {
    let Some(rest) = text.strip_prefix("---") else {
        return Ok(None);
    };
    let Some(rest) = rest
        .strip_prefix('\n')
        .or_else(|| rest.trim_start_matches([' ', '\t']).strip_prefix('\n'))
    else {
        if rest.trim().is_empty() {
            return Err(unclosed(path, text));
        }
        return Ok(None);
    };
    let start = text.len() - rest.len();
    let mut offset = start;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            let front = &text[start..offset];
            let body = &text[offset + line.len()..];
            return Ok(Some(Split {
                front,
                front_line: 1,
                body,
            }));
        }
        offset += line.len();
    }
    Err(unclosed(path, text))
}

fn unclosed(path: &Path, text: &str) -> Diagnostic {
    Diagnostic::error(
        "unclosed-front-matter",
        "front matter opened with `---` is never closed",
    )
    .at(path, text, 1, 1, 3)
    .with_hint("add a line with only `---` after the last YAML line")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let s = split(Path::new("a.md"), "---\ntitle: x\n---\nbody\n")
            .unwrap()
            .unwrap();
        assert_eq!(s.front, "title: x\n");
        assert_eq!(s.body, "body\n");
        assert!(split(Path::new("a.md"), "# no front\n").unwrap().is_none());
        let d = split(Path::new("a.md"), "---\ntitle: x\n").unwrap_err();
        assert_eq!(d.code, "unclosed-front-matter");
        let empty = split(Path::new("a.md"), "---\n---\n").unwrap().unwrap();
        assert_eq!(empty.front, "");
    }

    #[test]
    fn decodes_bom_crlf_and_refuses_binary() {
        let p = Path::new("a.md");
        assert_eq!(
            decode(p, b"\xef\xbb\xbf---\r\nx: 1\r\n".to_vec()).unwrap(),
            "---\nx: 1\n"
        );
        let d = decode(p, b"---\ntitle: \xff\n".to_vec()).unwrap_err();
        assert_eq!((d.line, d.column), (2, 8));
        assert!(decode(p, b"ab\0cd".to_vec()).is_err());
    }

    #[test]
    fn ids_use_slashes() {
        assert_eq!(id_of(Path::new("retail/checkout.md")), "retail/checkout");
    }
}
