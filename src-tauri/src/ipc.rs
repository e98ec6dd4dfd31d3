//! The IPC surface, expanded from the command table (`commands/table.rs`):
//! one `#[tauri::command]` per entry, which reads the window's arguments under
//! the table's names and hands them to `commands::<module>::<name>`, the
//! handler that routes an invoke to them, and the list of command names.

pub mod typescript;

use rembug_core::answers::{MeetingReview, OutcomeForm, UsulanOutcome};
use rembug_core::attendance::{AttendanceCounts, AttendanceSheetPhoto, Attendee, Delegates, PersonSuggestion, Role};
use rembug_core::backup::RestorePlan;
use rembug_core::consolidation::{Consolidation, KelurahanMeetingStarted};
use rembug_core::error::{ErrorReply, FieldError};
use rembug_core::imported::{ImportedMeeting, ImportedRecord};
use rembug_core::kop::KopSettingsForm;
use rembug_core::meeting::{Meeting, MeetingForm, MeetingView};
use rembug_core::notulen::{AgendaItem, AgendaItemForm};
use rembug_core::opd::Opd;
use rembug_core::people::PersonForm;
use rembug_core::ranking::{Criterion, CriterionForm, Ranking, RankingMethod};
use rembug_core::sending::{EnrollAnswer, OfficeSummary, OutboxView, ReceiptOpened};
use rembug_core::settings::{Language, RecordingSettingsForm, Settings};
use rembug_core::signatories::SignatorySettingsForm;
use rembug_core::signed_pages::{SignedPage, SignedPagesSending};
use rembug_core::signing::SigningCheck;
use rembug_core::similar::SimilarUsulan;
use rembug_core::store::backups::BackupReminder;
use rembug_core::store::meetings::{MeetingChange, MeetingFilter, MeetingList};
use rembug_core::store::search::SearchHit;
use rembug_core::store::usulan::{CarriedOrigin, CarryForwardCandidate};
use rembug_core::transfer::{DeviceSummary, ExportProgress, ExportedBundle, ImportReport, OfficeKeyChoice};
use rembug_core::usulan::{Usulan, UsulanForm, UsulanList, UsulanPhoto};
use rembug_core::wilayah::Kelurahan;
use rembug_docs::DocumentKind;
use tauri::ipc::{Channel, InvokeBody, Request};

use crate::commands::Reply;

/// What Tauri hands a command besides the window's arguments, by the name
/// the command table uses.
macro_rules! injected {
    (app) => { tauri::AppHandle };
    (state) => { tauri::State<'_, crate::state::AppState> };
}

/// One command function. JSON arguments become its parameters (Tauri reads
/// them under their camelCase names); a raw-bytes command reads its headers
/// and body here, so the function behind it never sees the request.
macro_rules! ipc_command {
    ($module:ident $name:ident [$($inject:ident)*] (raw $($header:literal),+) $answer:ty) => {
        #[tauri::command(async)]
        fn $name($($inject: injected!($inject),)* request: Request<'_>) -> Reply<$answer> {
            crate::commands::$module::$name($($inject,)* $(header(&request, $header),)+ raw_body(&request))
        }
    };
    ($module:ident $name:ident [$($inject:ident)*] ($($argument:ident : $type:ty),*) $answer:ty) => {
        #[tauri::command(async)]
        fn $name($($inject: injected!($inject),)* $($argument: $type),*) -> Reply<$answer> {
            crate::commands::$module::$name($($inject,)* $($argument),*)
        }
    };
}

macro_rules! ipc_commands {
    ($($module:ident { $($name:ident ($($inject:ident),* ; $($parameters:tt)*) -> $answer:ty;)* })*) => {
        $($(ipc_command!($module $name [$($inject)*] ($($parameters)*) $answer);)*)*

        /// Routes an invoke from the window to its command.
        pub(crate) fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($($name),*),*]
        }

        /// Every command's name, as the window invokes it.
        pub const COMMANDS: &[&str] = &[$($(stringify!($name)),*),*];
    };
}

with_commands!(ipc_commands);

/// A header of a raw-bytes command (the ids that travel beside a photo or a
/// signature), or "" when it is missing: the core then answers `not_found`.
fn header<'a>(request: &'a Request<'_>, name: &str) -> &'a str {
    request.headers().get(name).and_then(|value| value.to_str().ok()).unwrap_or_default()
}

/// The raw bytes the UI sent (a `Uint8Array`); anything else is no bytes, which
/// the core refuses as an unreadable image.
fn raw_body<'a>(request: &'a Request<'_>) -> &'a [u8] {
    match request.body() {
        InvokeBody::Raw(bytes) => bytes,
        InvokeBody::Json(_) => &[],
    }
}
