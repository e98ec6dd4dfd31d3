//! `rembug`: the command-line tool over a Rembug data folder, sharing the
//! core with the desktop app. Output speaks Indonesian; `--json` output is a
//! stable contract for scripts. Errors go to stderr with a non-zero exit code:
//! 1 when the work failed, 2 when the command line itself was wrong.

mod answers;
mod args;
mod backup;
mod bundles;
mod catalogue;
mod commands;
mod documents;
mod error;
mod lock;
mod office;
mod receipt;
mod sync;
mod table;

use std::process::ExitCode;

/// The exit code of a command line that could not be understood.
const USAGE_EXIT_CODE: u8 = 2;

fn main() -> ExitCode {
    let cli = match args::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(refused) if refused.use_stderr() => {
            eprintln!("rembug: {}", args::error_message(&refused));
            return ExitCode::from(USAGE_EXIT_CODE);
        }
        // `--help` and `--version` are answers, not errors.
        Err(answer) => {
            return match commands::print(&args::answer_text(&answer)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => fail(&error),
            };
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

fn fail(error: &error::CliError) -> ExitCode {
    eprintln!("rembug: {error}");
    ExitCode::FAILURE
}
