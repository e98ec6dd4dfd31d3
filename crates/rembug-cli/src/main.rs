//! `rembug`: the command-line tool over a Rembug data folder, sharing the
//! core with the desktop app. Output speaks Indonesian; `--json` output is a
//! stable contract for scripts. Errors go to stderr with a non-zero exit code.

mod args;
mod backup;
mod bundles;
mod commands;
mod documents;
mod error;
mod office;
mod table;

use std::process::ExitCode;

fn main() -> ExitCode {
    let outcome = args::parse(pico_args::Arguments::from_env()).and_then(commands::run);
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rembug: {error}");
            error.exit_code()
        }
    }
}
