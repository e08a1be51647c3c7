//! Tera setup: the built-in theme embedded in the binary, a project's own
//! theme over it, and the typed context each template receives.
//!
//! The built-in templates are registered under the reserved prefix
//! `__cxbook/` and also reachable by their plain names (Tera's fallback
//! prefixes). A project theme (`themes/<name>/templates/*.html`) adds
//! templates under plain names, so its `map.html` replaces the built-in one
//! everywhere; to change one block only it writes
//! `{% extends "__cxbook/map.html" %}{% block map_header %}…{% endblock %}`.
//! Files under `themes/<name>/static/` are copied to the site root over the
//! built-in ones (`assets/cxbook.css`, `assets/cxbook.js`).

pub mod context;

use crate::error::{Error, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The reserved prefix of built-in templates.
pub const BUILTIN_PREFIX: &str = "__cxbook/";

/// The default theme's templates: (name, source).
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "card.html",
        include_str!("../../themes/default/templates/card.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "section.html",
        include_str!("../../themes/default/templates/section.html"),
    ),
    (
        "map.html",
        include_str!("../../themes/default/templates/map.html"),
    ),
    (
        "persona.html",
        include_str!("../../themes/default/templates/persona.html"),
    ),
    (
        "personas.html",
        include_str!("../../themes/default/templates/personas.html"),
    ),
    (
        "tag.html",
        include_str!("../../themes/default/templates/tag.html"),
    ),
    (
        "tags.html",
        include_str!("../../themes/default/templates/tags.html"),
    ),
    (
        "pains.html",
        include_str!("../../themes/default/templates/pains.html"),
    ),
    (
        "backlog.html",
        include_str!("../../themes/default/templates/backlog.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
];

/// The default theme's static files: (path in the site, bytes).
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    (
        "assets/cxbook.css",
        include_bytes!("../../themes/default/static/assets/cxbook.css"),
    ),
    (
        "assets/cxbook.js",
        include_bytes!("../../themes/default/static/assets/cxbook.js"),
    ),
];

/// The built-in stylesheet, inlined where relative links cannot be used (404).
pub fn builtin_css() -> &'static str {
    include_str!("../../themes/default/static/assets/cxbook.css")
}

/// A theme ready to render: templates parsed, static files read.
pub struct Templates {
    tera: tera::Tera,
    /// Static files to copy to the site root, project theme over built-in.
    pub statics: Vec<(String, Vec<u8>)>,
    /// The stylesheet the 404 page inlines (the theme's, when it has one).
    pub css: String,
    /// Templates the project's theme replaces with a different text.
    custom: std::collections::HashSet<String>,
}

impl Templates {
    /// The built-in theme only.
    pub fn builtin() -> Result<Templates> {
        Templates::load(None)
    }

    /// The built-in theme with the project's `themes/<theme>/` over it.
    /// `theme = "default"` without such a folder is the built-in theme; any
    /// other name must exist.
    pub fn for_project(root: &Path, theme: &str) -> Result<Templates> {
        let dir = root.join("themes").join(theme);
        if dir.is_dir() {
            Templates::load(Some(&dir))
        } else if theme == "default" {
            Templates::builtin()
        } else {
            Err(Error::Usage(format!(
                "theme `{theme}` not found: `{}` does not exist (set [build] theme in book.toml, or remove it to use the built-in theme)",
                dir.display()
            )))
        }
    }

    fn load(theme_dir: Option<&Path>) -> Result<Templates> {
        let mut tera = tera::Tera::default();
        tera.set_fallback_prefixes([BUILTIN_PREFIX])
            .map_err(template_error)?;
        let mut all: Vec<(String, String)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(name, src)| (format!("{BUILTIN_PREFIX}{name}"), (*src).to_string()))
            .collect();
        let mut statics: Vec<(String, Vec<u8>)> = BUILTIN_STATIC
            .iter()
            .map(|(p, b)| ((*p).to_string(), b.to_vec()))
            .collect();
        let mut custom = std::collections::HashSet::new();
        if let Some(dir) = theme_dir {
            for (rel, path) in files_under(&dir.join("templates"))? {
                let src = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                if !BUILTIN_TEMPLATES.contains(&(rel.as_str(), src.as_str())) {
                    custom.insert(rel.clone());
                }
                all.push((rel, src));
            }
            for (rel, path) in files_under(&dir.join("static"))? {
                let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
                statics.retain(|(p, _)| *p != rel);
                statics.push((rel, bytes));
            }
        }
        tera.add_raw_templates(all).map_err(template_error)?;
        let css = statics
            .iter()
            .find(|(p, _)| p == "assets/cxbook.css")
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        Ok(Templates {
            tera,
            statics,
            css,
            custom,
        })
    }

    /// Whether template `name` is the built-in one (the project's theme
    /// does not replace it, or replaces it with the same text).
    pub fn is_builtin(&self, name: &str) -> bool {
        !self.custom.contains(name)
    }

    /// Renders template `name` (a plain name such as `map.html`) with `ctx`.
    pub fn render<T: Serialize>(&self, name: &str, ctx: &T) -> Result<String> {
        let ctx = tera::Context::from_serialize(ctx).map_err(template_error)?;
        self.tera.render(name, &ctx).map_err(template_error)
    }
}

/// Tera's error with its causes, on one line each.
fn template_error(e: tera::Error) -> Error {
    let mut msg = e.to_string();
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        msg.push_str("\n  caused by: ");
        msg.push_str(&c.to_string());
        cause = c.source();
    }
    Error::Template(msg)
}

/// Every file under `dir` (none if it does not exist), as (`/`-separated
/// relative path, full path), sorted.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(path, std::io::Error::other(e.to_string()))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if rel.split('/').any(|s| s.starts_with('.')) {
            continue;
        }
        out.push((rel, entry.path().to_path_buf()));
    }
    Ok(out)
}
