//! cxbook turns a folder of customer journey maps (Markdown with YAML front
//! matter) into a static CX handbook.
//!
//! The pipeline, one module a step:
//! 1. [`config`] reads `book.toml`.
//! 2. [`content`] walks `content/`, splits front matter from the body and
//!    parses the YAML into a tree that keeps every value's position (a
//!    hand-written fast path for the usual subset, serde-saphyr for the rest).
//! 3. [`model::validate`] turns each tree into a [`model::Map`],
//!    [`model::Persona`] or [`model::Page`], collecting [`Diagnostic`]s;
//!    [`project::Project`] ties it together and checks cross-references.
//! 4. [`diagrams`] lays out and writes the swimlane and emotion-curve SVGs.
//! 5. [`site`] renders pages with the theme's templates and writes the site
//!    (all or nothing); [`serve`] keeps it in memory and live-reloads.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod diagrams;
pub mod error;
pub mod i18n;
pub mod markdown;
pub mod model;
pub mod project;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod templates;
pub mod text;
pub mod timing;

pub use config::Config;
pub use diagnostics::{Diagnostic, Severity};
pub use error::{Error, Result};
pub use project::Project;
