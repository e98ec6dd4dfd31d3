//! One function per IPC command: parse, call the core, map the error.

use rembug_core::error::ErrorReply;
use rembug_core::error::FieldError;
use rembug_core::meeting::{Meeting, MeetingForm};
use rembug_core::settings::{Language, Settings};
use rembug_core::store::meetings::{MeetingChange, MeetingFilter, MeetingList};
use rembug_core::wilayah::Kelurahan;
use rembug_core::CoreError;
use tauri::State;

use crate::state::AppState;

type Reply<T> = Result<T, ErrorReply>;

fn reply<T>(result: Result<T, CoreError>) -> Reply<T> {
    result.map_err(|error| ErrorReply::from(&error))
}

#[tauri::command]
pub fn startup_error(state: State<'_, AppState>) -> Option<ErrorReply> {
    state.startup_error()
}

#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> Reply<Settings> {
    reply(state.store()?.settings())
}

#[tauri::command(async)]
pub fn set_language(state: State<'_, AppState>, language: Language) -> Reply<Settings> {
    reply(state.store()?.set_language(language))
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
