//! One function per IPC command: parse, call the core, map the error. This
//! file holds the meeting commands; each other area of the app has its own
//! module.

pub mod agenda;
pub mod attendance;
pub mod bundles;
pub mod consolidation;
pub mod documents;
pub mod ranking;
pub mod search;
pub mod settings;
pub mod usulan;

use rembug_core::CoreError;
use rembug_core::error::ErrorReply;
use rembug_core::error::FieldError;
use rembug_core::meeting::{Meeting, MeetingForm};
use rembug_core::store::meetings::{MeetingChange, MeetingFilter, MeetingList};
use rembug_core::wilayah::Kelurahan;
use tauri::State;
use tauri::ipc::{InvokeBody, Request};

use crate::state::AppState;

pub(crate) type Reply<T> = Result<T, ErrorReply>;

pub(crate) fn reply<T>(result: Result<T, CoreError>) -> Reply<T> {
    result.map_err(|error| ErrorReply::from(&error))
}

/// A header of a raw-bytes command (the ids that travel beside a photo or a
/// signature), or "" when it is missing: the core then answers `not_found`.
pub(crate) fn header<'a>(request: &'a Request<'_>, name: &str) -> &'a str {
    request.headers().get(name).and_then(|value| value.to_str().ok()).unwrap_or_default()
}

/// The raw bytes the UI sent (a `Uint8Array`); anything else is no bytes, which
/// the core refuses as an unreadable image.
pub(crate) fn raw_body<'a>(request: &'a Request<'_>) -> &'a [u8] {
    match request.body() {
        InvokeBody::Raw(bytes) => bytes,
        InvokeBody::Json(_) => &[],
    }
}

#[tauri::command]
pub fn startup_error(state: State<'_, AppState>) -> Option<ErrorReply> {
    state.startup_error()
}

/// Ends the app: the way out of the startup error screen, whose window can do
/// nothing else.
#[tauri::command]
pub fn quit_app(app: tauri::AppHandle) {
    app.exit(0);
}

#[tauri::command(async)]
pub fn list_kelurahan(state: State<'_, AppState>) -> Reply<Vec<Kelurahan>> {
    reply(state.store()?.list_kelurahan())
}

#[tauri::command(async)]
pub fn list_meetings(state: State<'_, AppState>, filter: Option<MeetingFilter>) -> Reply<MeetingList> {
    reply(state.store()?.list_meetings(&filter.unwrap_or_default()))
}

#[tauri::command(async)]
pub fn get_meeting(state: State<'_, AppState>, id: String) -> Reply<Meeting> {
    reply(state.store()?.get_meeting(&id))
}

#[tauri::command(async)]
pub fn create_meeting(state: State<'_, AppState>, form: MeetingForm) -> Reply<Meeting> {
    reply(state.store()?.create_meeting(&form))
}

#[tauri::command(async)]
pub fn update_meeting(state: State<'_, AppState>, id: String, form: MeetingForm) -> Reply<Meeting> {
    reply(state.store()?.update_meeting(&id, &form))
}

#[tauri::command(async)]
pub fn meeting_changes(state: State<'_, AppState>, id: String) -> Reply<Vec<MeetingChange>> {
    reply(state.store()?.meeting_changes(&id))
}

#[tauri::command(async)]
pub fn lock_blockers(state: State<'_, AppState>, id: String) -> Reply<Vec<FieldError>> {
    reply(state.store()?.lock_blockers(&id))
}

#[tauri::command(async)]
pub fn lock_meeting(state: State<'_, AppState>, id: String) -> Reply<Meeting> {
    reply(state.store()?.lock_meeting(&id))
}

#[tauri::command(async)]
pub fn revise_meeting(state: State<'_, AppState>, id: String, reason: String) -> Reply<Meeting> {
    reply(state.store()?.revise_meeting(&id, &reason))
}
