//! `cxbook serve`: an HTTP server over the site in memory, a watcher that
//! rebuilds on change, and live reload.

use crate::error::{Error, Result};
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: Option<u16>,
    pub bind: String,
    pub open: bool,
}

pub fn serve(_opts: &ServeOptions) -> Result<()> {
    Err(Error::Usage("`serve` is not built yet".into()))
}
