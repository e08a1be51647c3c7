//! The `cxbook` command: parses arguments, calls the library, prints
//! diagnostics and turns the outcome into an exit status (0 success,
//! 1 content errors, 2 usage or configuration errors).

use clap::{Parser, Subcommand};
use cxbook::diagnostics::{self, Format};
use cxbook::{Error, Project};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Turn customer journey maps written in Markdown into a browsable CX handbook.
#[derive(Parser, Debug)]
#[command(name = "cxbook", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Scaffold book.toml and content/ with a sample map and persona.
    Init {
        /// Folder to create the handbook in (default: the current folder).
        dir: Option<PathBuf>,
    },
    /// Add a map or a persona from a template.
    New {
        #[command(subcommand)]
        what: NewWhat,
        /// Project root (default: the current folder).
        #[arg(long, global = true, default_value = ".")]
        root: PathBuf,
    },
    /// Build the site into the output folder.
    Build {
        /// Project root (default: the current folder).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: [build] output-dir, "public").
        #[arg(long)]
        out: Option<PathBuf>,
        /// Path prefix the site is served under, e.g. /cx/.
        #[arg(long)]
        base_url: Option<String>,
        /// No progress bar and no summary.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Build, serve over HTTP and rebuild with live reload on every change.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port (default: [serve] port, 3000).
        #[arg(long)]
        port: Option<u16>,
        /// Address to bind.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Validate every file and report all errors and warnings.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format: human, json or github.
        #[arg(long, default_value = "human")]
        format: Format,
    },
    /// Write one map's swimlane.svg and emotion.svg, without a site.
    Render {
        /// The map's Markdown file.
        file: PathBuf,
        /// Folder to write the SVGs into (default: the current folder).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum NewWhat {
    /// A journey map: content/<slug>.md
    Map { title: String },
    /// A persona: content/personas/<slug>.md
    Persona { name: String },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 0 for --help/--version and 2 for usage errors.
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            report(&err);
            ExitCode::from(err.exit_code())
        }
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn report(err: &Error) {
    match err {
        Error::Content(diags) => eprint!("{}", diagnostics::render(diags, Format::Human, color())),
        Error::Config(d) => eprintln!("{}", diagnostics::render_one_human(d, color())),
        other => eprintln!("error: {other}"),
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Init { dir } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("."));
            for f in cxbook::scaffold::init(&dir)? {
                println!("created {}", f.display());
            }
            println!("next: cd {} && cxbook serve --open", dir.display());
        }
        Command::New { what, root } => {
            let path = match what {
                NewWhat::Map { title } => cxbook::scaffold::new_map(&root, &title)?,
                NewWhat::Persona { name } => cxbook::scaffold::new_persona(&root, &name)?,
            };
            println!("{}", path.display());
        }
        Command::Build {
            root,
            out,
            base_url,
            quiet,
        } => {
            let opts = cxbook::site::BuildOptions {
                out,
                base_url,
                quiet,
            };
            // Nothing changed since the last build: do not even load.
            let report = match cxbook::site::up_to_date(&root, &opts) {
                Some(report) => report,
                None => {
                    let project = load(&root, quiet)?;
                    let report = cxbook::site::build(&project, &opts);
                    // The process ends here: freeing a handbook of 10,000
                    // maps piece by piece would only cost time.
                    std::mem::forget(project);
                    report?
                }
            };
            if !quiet {
                eprintln!("{report}");
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => {
            cxbook::serve::serve(&cxbook::serve::ServeOptions {
                root,
                port,
                bind,
                open,
            })?;
        }
        Command::Check { root, format } => {
            let project = Project::load(&root).map_err(|e| match e {
                // In json/github formats a config error is a diagnostic too.
                Error::Config(d) if format != Format::Human => {
                    print!("{}", diagnostics::render(&[*d], format, false));
                    Error::Usage("book.toml has an error".into())
                }
                other => other,
            })?;
            let use_color = format == Format::Human && std::io::stdout().is_terminal();
            print!(
                "{}",
                diagnostics::render(&project.diagnostics, format, use_color)
            );
            let failed = project.has_errors();
            // The process ends here: no need to free the handbook.
            std::mem::forget(project);
            if failed {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Render { file, out } => {
            for f in cxbook::site::render_one(&file, out.as_deref())? {
                println!("wrote {}", f.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads a project for `build`: warnings are printed, errors stop it.
fn load(root: &Path, quiet: bool) -> Result<Project, Error> {
    cxbook::timing::mark("start");
    let project = Project::load(root)?;
    project.ensure_valid()?;
    let warnings: Vec<_> = project
        .diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .cloned()
        .collect();
    if !warnings.is_empty() && !quiet {
        eprint!("{}", diagnostics::render(&warnings, Format::Human, color()));
    }
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
