//! The body of each IPC command, one module per area of the app: parse, call
//! the core, map the error. The commands themselves (their names, arguments
//! and answers) are declared once in `table.rs`, which `crate::ipc` expands
//! into the functions Tauri calls.

pub mod app;
pub mod attendance;
pub mod backup;
pub mod bundles;
pub mod consolidation;
pub mod documents;
pub mod meetings;
pub mod notulen;
pub mod ranking;
pub mod search;
pub mod settings;
pub mod sync;
pub mod usulan;

use rembug_core::CoreError;
use rembug_core::error::ErrorReply;

pub(crate) type Reply<T> = Result<T, ErrorReply>;

pub(crate) fn reply<T>(result: Result<T, CoreError>) -> Reply<T> {
    result.map_err(|error| ErrorReply::from(&error))
}
