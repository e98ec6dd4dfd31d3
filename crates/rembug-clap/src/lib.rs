//! clap's own words in Indonesian, for every Rembug command line (`rembug`,
//! `rembug-office`): the help's headings, notes on choices and defaults, the
//! help and version flags, and a refused command line said plainly with the
//! usage of the command it was meant for. The commands' own help is their
//! doc comments, already in Indonesian.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, ArgMatches, Command};

/// `command` and every command under it with clap's headings, flags and
/// notes in Indonesian, and a `-V/--version` flag.
pub fn in_indonesian(command: Command) -> Command {
    let version = Arg::new("version").short('V').long("version").action(ArgAction::Version).help("Tampilkan versi");
    with_indonesian_help(command.disable_version_flag(true).arg(version))
}

fn with_indonesian_help(command: Command) -> Command {
    let help = Arg::new("help").short('h').long("help").action(ArgAction::Help).help("Tampilkan bantuan ini");
    command
        .help_template("{about-with-newline}\nPemakaian: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("Perintah")
        .subcommand_value_name("PERINTAH")
        .disable_help_flag(true)
        .arg(help)
        .mut_args(arg_in_indonesian)
        .mut_subcommands(with_indonesian_help)
}

/// clap would add "[possible values: …]" and "[default: …]" in English: the
/// same facts go into the help text instead.
fn arg_in_indonesian(arg: Arg) -> Arg {
    let heading = if arg.is_positional() { "Argumen" } else { "Opsi" };
    let arg = arg.help_heading(heading);
    if !arg.get_action().takes_values() {
        return arg;
    }
    let mut notes = Vec::new();
    let choices: Vec<String> = arg.get_possible_values().iter().map(|value| value.get_name().to_owned()).collect();
    if !choices.is_empty() {
        notes.push(format!("pilihan: {}", choices.join(", ")));
    }
    let defaults: Vec<String> =
        arg.get_default_values().iter().map(|value| value.to_string_lossy().into_owned()).collect();
    if !defaults.is_empty() {
        notes.push(format!("bawaan: {}", defaults.join(", ")));
    }
    if notes.is_empty() {
        return arg;
    }
    let help = match arg.get_help() {
        Some(help) => format!("{help} ({})", notes.join("; ")),
        None => format!("({})", notes.join("; ")),
    };
    arg.help(help).hide_possible_values(true).hide_default_value(true)
}

/// Matches `words` (the program name first) against `command`; a refusal
/// carries the usage of the command it was meant for, which clap leaves out
/// for a value outside the choices.
pub fn matches<I, T>(command: &mut Command, words: I) -> Result<ArgMatches, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let words: Vec<OsString> = words.into_iter().map(Into::into).collect();
    command.try_get_matches_from_mut(&words).map_err(|mut error| {
        let named =
            words.iter().skip(1).filter_map(|word| word.to_str()).find(|word| command.find_subcommand(word).is_some());
        if error.get(ContextKind::Usage).is_none()
            && let Some(subcommand) = named.map(str::to_owned).and_then(|name| command.find_subcommand_mut(name))
        {
            error.insert(ContextKind::Usage, ContextValue::StyledStr(subcommand.render_usage()));
        }
        error
    })
}

/// What `--help` or `--version` prints.
pub fn answer_text(answer: &clap::Error) -> String {
    let mut text = in_indonesian_usage(&answer.render().to_string());
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// clap marks optional options "[OPTIONS]" in a usage, with no setting to
/// say it otherwise.
fn in_indonesian_usage(text: &str) -> String {
    text.replace("[OPTIONS]", "[OPSI]")
}

/// A refused command line of `program` said in Indonesian, with the usage of
/// the command it was meant for and where to read more.
pub fn error_message(error: &clap::Error, program: &str) -> String {
    let context = |kind: ContextKind| error.get(kind).map(ContextValue::to_string).unwrap_or_default();
    let problem = match error.kind() {
        ErrorKind::InvalidSubcommand => format!("perintah tidak dikenal: {}", context(ContextKind::InvalidSubcommand)),
        ErrorKind::UnknownArgument => format!("argumen tidak dikenal: {}", context(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue => format!(
            "nilai tidak dikenal untuk {}: {} (pilihan: {})",
            context(ContextKind::InvalidArg),
            context(ContextKind::InvalidValue),
            context(ContextKind::ValidValue)
        ),
        // A value parser's own reason (already in Indonesian) says why.
        ErrorKind::ValueValidation => match std::error::Error::source(error) {
            Some(reason) => format!("nilai tidak valid untuk {}: {reason}", context(ContextKind::InvalidArg)),
            None => format!(
                "nilai tidak valid untuk {}: {}",
                context(ContextKind::InvalidArg),
                context(ContextKind::InvalidValue)
            ),
        },
        ErrorKind::MissingRequiredArgument => {
            format!("argumen wajib belum diberikan: {}", context(ContextKind::InvalidArg))
        }
        ErrorKind::ArgumentConflict => format!(
            "{} tidak bisa dipakai bersama {}",
            context(ContextKind::InvalidArg),
            context(ContextKind::PriorArg)
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "perintah belum diberikan".to_owned()
        }
        // Rarer refusals keep clap's own first line.
        _ => {
            let rendered = error.render().to_string();
            let first_line = rendered.lines().next().unwrap_or_default();
            format!("argumen tidak valid: {}", first_line.trim_start_matches("error: "))
        }
    };
    let usage = in_indonesian_usage(&context(ContextKind::Usage));
    let usage = usage.trim().strip_prefix("Usage:").unwrap_or(usage.trim()).trim().to_owned();
    let usage = if usage.is_empty() { format!("{program} [OPSI] <PERINTAH>") } else { usage };
    format!(
        "{problem}\n\nPemakaian: {usage}\n\nKetik '{program} --help' atau '{program} PERINTAH --help' untuk penjelasan."
    )
}
