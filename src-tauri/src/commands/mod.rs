//! The body of each IPC command, one module per area of the app: parse, call
//! the core, map the error. The commands themselves (their names, arguments
//! and answers) are declared once in `table.rs`, which `crate::ipc` expands
//! into the functions Tauri calls.

pub mod agenda;
pub mod app;
pub mod attendance;
pub mod bundles;
pub mod consolidation;
pub mod documents;
pub mod meetings;
pub mod ranking;
pub mod search;
pub mod settings;
pub mod usulan;

use rembug_core::CoreError;
use rembug_core::error::ErrorReply;

pub(crate) type Reply<T> = Result<T, ErrorReply>;

pub(crate) fn reply<T>(result: Result<T, CoreError>) -> Reply<T> {
    result.map_err(|error| ErrorReply::from(&error))
}

/// The field codes the shell makes itself; every other code comes from the
/// core, the bundle or the documents crate. Exported to TypeScript
/// (`ShellFieldCode` in ui/src/lib/commands.ts) so the UI's catalogue test
/// finds a message for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ts_rs::TS)]
#[ts(rename_all = "snake_case")]
pub enum ShellFieldCode {
    /// The office key file could not be read, or is larger than a key file.
    OfficeKeyInvalid,
}

impl ShellFieldCode {
    #[cfg(test)]
    pub const ALL: [ShellFieldCode; 1] = [ShellFieldCode::OfficeKeyInvalid];

    pub fn code(self) -> &'static str {
        match self {
            ShellFieldCode::OfficeKeyInvalid => "office_key_invalid",
        }
    }
}

#[cfg(test)]
mod tests {
    use ts_rs::{Config, TS};

    use super::ShellFieldCode;

    #[test]
    fn each_shell_field_code_is_listed_and_named_as_typescript_names_it() {
        let quoted: Vec<String> = ShellFieldCode::ALL.iter().map(|code| format!("\"{}\"", code.code())).collect();
        assert_eq!(ShellFieldCode::inline(&Config::new()), quoted.join(" | "));
    }
}
