//! The daftar hadir and the delegates: autocomplete, check-in (returning and
//! new residents), roles, signatures, photos of a paper sheet, live counts.
//! The women's target and the expected number of delegates come from the
//! settings, which the core reads itself, so the UI never sends them.

use rembug_core::attendance::{AttendanceCounts, AttendanceSheetPhoto, Attendee, Delegates, PersonSuggestion, Role};
use rembug_core::people::PersonForm;
use tauri::State;
use tauri::ipc::Request;

use super::{Reply, header, raw_body, reply};
use crate::state::AppState;

/// Suggestions shown under the attendance search field.
const SUGGESTIONS_MAX: usize = 8;

#[tauri::command(async)]
pub fn suggest_people(state: State<'_, AppState>, meeting_id: String, query: String) -> Reply<Vec<PersonSuggestion>> {
    reply(state.store()?.suggest_people(&query, &meeting_id, SUGGESTIONS_MAX))
}

#[tauri::command(async)]
pub fn list_attendees(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<Attendee>> {
    reply(state.store()?.attendees(&meeting_id))
}

#[tauri::command(async)]
pub fn check_in(state: State<'_, AppState>, meeting_id: String, person_id: String, role: Role) -> Reply<Attendee> {
    reply(state.store()?.check_in(&meeting_id, &person_id, role))
}

#[tauri::command(async)]
pub fn check_in_new(state: State<'_, AppState>, meeting_id: String, form: PersonForm, role: Role) -> Reply<Attendee> {
    reply(state.store()?.check_in_new(&meeting_id, &form, role))
}

#[tauri::command(async)]
pub fn remove_attendee(state: State<'_, AppState>, meeting_id: String, person_id: String) -> Reply<()> {
    reply(state.store()?.remove_attendee(&meeting_id, &person_id))
}

#[tauri::command(async)]
pub fn set_attendee_role(
    state: State<'_, AppState>,
    meeting_id: String,
    person_id: String,
    role: Role,
) -> Reply<Attendee> {
    reply(state.store()?.set_attendee_role(&meeting_id, &person_id, role))
}

/// Body: the PNG drawn on screen. Headers: `x-meeting-id`, `x-person-id`.
#[tauri::command(async)]
pub fn set_signature(state: State<'_, AppState>, request: Request<'_>) -> Reply<Attendee> {
    let (meeting_id, person_id) = (header(&request, "x-meeting-id"), header(&request, "x-person-id"));
    reply(state.store()?.set_signature(meeting_id, person_id, raw_body(&request)))
}

/// Body: the photo's bytes. Headers: `x-meeting-id`, `x-media-type`.
#[tauri::command(async)]
pub fn add_attendance_sheet_photo(state: State<'_, AppState>, request: Request<'_>) -> Reply<AttendanceSheetPhoto> {
    let (meeting_id, media_type) = (header(&request, "x-meeting-id"), header(&request, "x-media-type"));
    reply(state.store()?.add_attendance_sheet_photo(meeting_id, raw_body(&request), media_type))
}

#[tauri::command(async)]
pub fn attendance_sheet_photos(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<AttendanceSheetPhoto>> {
    reply(state.store()?.attendance_sheet_photos(&meeting_id))
}

#[tauri::command(async)]
pub fn attendance_counts(state: State<'_, AppState>, meeting_id: String) -> Reply<AttendanceCounts> {
    reply(state.store()?.attendance_counts(&meeting_id))
}

#[tauri::command(async)]
pub fn delegates(state: State<'_, AppState>, meeting_id: String) -> Reply<Delegates> {
    reply(state.store()?.delegates(&meeting_id))
}

#[tauri::command(async)]
pub fn set_delegates(state: State<'_, AppState>, meeting_id: String, person_ids: Vec<String>) -> Reply<Delegates> {
    reply(state.store()?.set_delegates(&meeting_id, &person_ids))
}
