//! Operational errors: what stops a command before or after the content is
//! judged (I/O, configuration, output folder). Problems *in* the content are
//! [`Diagnostic`]s; an error may carry them too.

use crate::diagnostics::Diagnostic;
use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub enum Error {
    /// Reading or writing a file failed.
    Io { path: PathBuf, err: std::io::Error },
    /// `book.toml` is wrong (exit status 2).
    Config(Box<Diagnostic>),
    /// A usage problem: a bad argument, a refused output folder (exit status 2).
    Usage(String),
    /// The content has errors (exit status 1). Warnings may be included.
    Content(Vec<Diagnostic>),
    /// A theme template failed to parse or render.
    Template(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, err: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            err,
        }
    }

    /// The process exit status for this error: 1 for content errors, 2 for
    /// usage and configuration (SPEC section 5).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_) => 1,
            _ => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, err } => write!(f, "{}: {err}", path.display()),
            Error::Config(d) => write!(
                f,
                "{}:{}:{}: {}",
                d.file.display(),
                d.line,
                d.column,
                d.message
            ),
            Error::Usage(msg) => f.write_str(msg),
            Error::Content(diags) => {
                let n = diags.iter().filter(|d| d.is_error()).count();
                write!(
                    f,
                    "the content has {n} error{}",
                    if n == 1 { "" } else { "s" }
                )
            }
            Error::Template(msg) => write!(f, "template error: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
