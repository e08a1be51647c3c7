//! `cxbook init` and `cxbook new`: starting a handbook and adding files.
//!
//! The templates are files under `src/scaffold/`, embedded in the binary.
//! Nothing here ever overwrites a file:
//! - `init` checks every file it would write first, and refuses (writing
//!   nothing) when one of them exists;
//! - `new map` / `new persona` pick the next free name (`slug-2.md`,
//!   `slug-3.md`, ...) when `slug.md` is taken.
//!
//! Titles and names given on the command line are written as YAML
//! double-quoted strings, so `a: b # c` or `"quoted"` survive as typed.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Date;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

const BOOK_TOML: &str = include_str!("scaffold/book.toml");
const INDEX_MD: &str = include_str!("scaffold/index.md");
const SAMPLE_MAP: &str = include_str!("scaffold/sample-map.md");
const SAMPLE_PERSONA: &str = include_str!("scaffold/sample-persona.md");
const MAP_TEMPLATE: &str = include_str!("scaffold/map.md");
const PERSONA_TEMPLATE: &str = include_str!("scaffold/persona.md");

/// Longest slug, in characters: long titles make unwieldy file names.
const MAX_SLUG_CHARS: usize = 80;

/// Creates `book.toml`, `content/_index.md`, a sample map and a sample
/// persona in `dir` (created if needed). Refuses to overwrite anything: if
/// any of those files exists, nothing is written. Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    let today = Date::today().to_string();
    let files: [(&str, String); 4] = [
        ("book.toml", BOOK_TOML.to_string()),
        ("content/_index.md", INDEX_MD.to_string()),
        (
            "content/first-order.md",
            SAMPLE_MAP.replace("{{today}}", &today),
        ),
        (
            "content/personas/first-time-customer.md",
            SAMPLE_PERSONA.to_string(),
        ),
    ];
    let targets: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|(rel, text)| (dir.join(rel), text))
        .collect();
    if let Some((existing, _)) = targets.iter().find(|(p, _)| p.symlink_metadata().is_ok()) {
        return Err(Error::Usage(format!(
            "`{}` already exists; `cxbook init` never overwrites files (nothing was written)",
            existing.display()
        )));
    }
    let mut written = Vec::new();
    for (path, text) in targets {
        write_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// Adds a map from a template as `content/<slug>.md` (`-2`, `-3`, ... when
/// taken); returns its path. The template's emotion sits at the neutral
/// point of the project's scale.
pub fn new_map(root: &Path, title: &str) -> Result<PathBuf> {
    let title = non_empty(title, "map title")?;
    let (config, content) = project_content_dir(root)?;
    let scale = config.scale();
    let text = MAP_TEMPLATE
        .replace("{{neutral}}", &number(scale.neutral()))
        .replace("{{min}}", &number(scale.min))
        .replace("{{max}}", &number(scale.max))
        .replace("{{title}}", &yaml_quote(title));
    create_unique(&content, &slug(title, "map"), &text)
}

/// Adds a persona from a template as `content/personas/<slug>.md` (`-2`,
/// `-3`, ... when taken); returns its path.
pub fn new_persona(root: &Path, name: &str) -> Result<PathBuf> {
    let name = non_empty(name, "persona name")?;
    let (_, content) = project_content_dir(root)?;
    let text = PERSONA_TEMPLATE.replace("{{name}}", &yaml_quote(name));
    create_unique(&content.join("personas"), &slug(name, "persona"), &text)
}

/// A file name (without `.md`) for a title:
/// - letters and digits of every script are kept (CJK included) and
///   lower-cased;
/// - every run of anything else (spaces, punctuation, the characters
///   Windows forbids in names `<>:"/\|?*`, control characters) becomes one
///   `-`, and `-` is trimmed from both ends;
/// - at most 80 characters; names Windows reserves (`con`, `nul`, `com1`,
///   ...) get `-{fallback}` appended; an empty result is `fallback`.
///
/// ```
/// use cxbook::scaffold::slug;
/// assert_eq!(slug("First Online Order!", "map"), "first-online-order");
/// assert_eq!(slug("開立數位帳戶：第一次", "map"), "開立數位帳戶-第一次");
/// assert_eq!(slug("???", "map"), "map");
/// ```
pub fn slug(title: &str, fallback: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if out.chars().count() > MAX_SLUG_CHARS {
        out = out.chars().take(MAX_SLUG_CHARS).collect();
        out.truncate(out.trim_end_matches('-').len());
    }
    if out.is_empty() {
        return fallback.to_string();
    }
    if is_windows_reserved(&out) {
        out.push('-');
        out.push_str(fallback);
    }
    out
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM1`-`COM9`, `LPT1`-`LPT9`: not usable as
/// file names on Windows, whatever the extension.
fn is_windows_reserved(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(n.as_str(), "con" | "prn" | "aux" | "nul")
        || ((n.starts_with("com") || n.starts_with("lpt"))
            && n.len() == 4
            && n.as_bytes()[3].is_ascii_digit()
            && n.as_bytes()[3] != b'0')
}

/// `s` as a YAML double-quoted scalar: backslash, double quote and every
/// control or invisible line-breaking character escaped, everything else
/// (CJK, emoji, `:` and `#`) kept as is.
pub fn yaml_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{85}') => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn non_empty<'a>(s: &'a str, what: &str) -> Result<&'a str> {
    let t = s.trim();
    if t.is_empty() {
        Err(Error::Usage(format!("the {what} must not be empty")))
    } else {
        Ok(t)
    }
}

/// The project's configuration and content folder. A folder with neither
/// `book.toml` nor a content folder is not a handbook: refuse rather than
/// scatter files in the wrong place.
fn project_content_dir(root: &Path) -> Result<(Config, PathBuf)> {
    let config = Config::load(root).map_err(Error::Config)?;
    let content = root.join(&config.build.content_dir);
    if !content.is_dir() && !root.join("book.toml").is_file() {
        return Err(Error::Usage(format!(
            "`{}` is not a cxbook project (no book.toml, no {} folder); run `cxbook init` first or pass --root",
            root.display(),
            config.build.content_dir
        )));
    }
    Ok((config, content))
}

/// `12.0` -> `12`, `0.5` -> `0.5`.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Writes `dir/<stem>.md`, or `<stem>-2.md`, `<stem>-3.md`, ... when taken.
fn create_unique(dir: &Path, stem: &str, text: &str) -> Result<PathBuf> {
    for n in 1..10_000u32 {
        let name = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{n}.md")
        };
        let path = dir.join(name);
        match write_new(&path, text) {
            Ok(()) => return Ok(path),
            Err(Error::Io { err, .. }) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(Error::Usage(format!(
        "too many files named `{stem}-N.md` in `{}`",
        dir.display()
    )))
}

/// Creates `path` (and its folders) with `text`; fails with
/// `AlreadyExists` rather than overwrite.
fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_cjk_and_drop_what_windows_forbids() {
        assert_eq!(
            slug("Opening a Bank Account", "map"),
            "opening-a-bank-account"
        );
        assert_eq!(slug("宽带故障报修", "map"), "宽带故障报修");
        assert_eq!(slug("a<b>c:d\"e/f\\g|h?i*j", "map"), "a-b-c-d-e-f-g-h-i-j");
        assert_eq!(slug("  --Hello,   World--  ", "map"), "hello-world");
        assert_eq!(slug("", "persona"), "persona");
        assert_eq!(slug("「」！？", "map"), "map");
        assert_eq!(slug("CON", "map"), "con-map");
        assert_eq!(slug("com1", "map"), "com1-map");
        assert_eq!(slug("com10", "map"), "com10");
        assert_eq!(slug(&"長".repeat(200), "map").chars().count(), 80);
        assert_eq!(slug("Café Öl", "map"), "café-öl");
    }

    #[test]
    fn quoting_escapes_only_what_yaml_needs() {
        assert_eq!(yaml_quote("a: b # c"), "\"a: b # c\"");
        assert_eq!(
            yaml_quote("say \"hi\" \\ now"),
            "\"say \\\"hi\\\" \\\\ now\""
        );
        assert_eq!(yaml_quote("a\nb\u{7}"), "\"a\\nb\\u0007\"");
        assert_eq!(yaml_quote("開戶"), "\"開戶\"");
    }

    #[test]
    fn numbers_print_without_a_needless_fraction() {
        assert_eq!(number(0.0), "0");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(-0.5), "-0.5");
    }
}
