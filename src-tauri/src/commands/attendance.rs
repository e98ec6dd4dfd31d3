//! The daftar hadir and the delegates: autocomplete, check-in (returning and
//! new residents), roles, signatures, photos of a paper sheet, live counts.
//! The women's target and the expected number of delegates come from the
//! settings, which the core reads itself, so the UI never sends them.

use rembug_core::attendance::{AttendanceCounts, AttendanceSheetPhoto, Attendee, Delegates, PersonSuggestion, Role};
use rembug_core::people::PersonForm;
use tauri::State;

use super::{Reply, reply};
use crate::state::AppState;

/// Suggestions shown under the attendance search field.
const SUGGESTIONS_MAX: usize = 8;

pub fn suggest_people(state: State<'_, AppState>, meeting_id: String, query: String) -> Reply<Vec<PersonSuggestion>> {
    reply(state.store()?.suggest_people(&query, &meeting_id, SUGGESTIONS_MAX))
}

pub fn list_attendees(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<Attendee>> {
    reply(state.store()?.attendees(&meeting_id))
}

pub fn check_in(state: State<'_, AppState>, meeting_id: String, person_id: String, role: Role) -> Reply<Attendee> {
    reply(state.store()?.check_in(&meeting_id, &person_id, role))
}

pub fn check_in_new(state: State<'_, AppState>, meeting_id: String, form: PersonForm, role: Role) -> Reply<Attendee> {
    reply(state.store()?.check_in_new(&meeting_id, &form, role))
}

pub fn remove_attendee(state: State<'_, AppState>, meeting_id: String, person_id: String) -> Reply<()> {
    reply(state.store()?.remove_attendee(&meeting_id, &person_id))
}

pub fn set_attendee_role(
    state: State<'_, AppState>,
    meeting_id: String,
    person_id: String,
    role: Role,
) -> Reply<Attendee> {
    reply(state.store()?.set_attendee_role(&meeting_id, &person_id, role))
}

/// The PNG drawn on screen.
pub fn set_signature(state: State<'_, AppState>, meeting_id: &str, person_id: &str, png: &[u8]) -> Reply<Attendee> {
    reply(state.store()?.set_signature(meeting_id, person_id, png))
}

/// A photo of a paper daftar hadir, as the file's bytes.
pub fn add_attendance_sheet_photo(
    state: State<'_, AppState>,
    meeting_id: &str,
    media_type: &str,
    photo: &[u8],
) -> Reply<AttendanceSheetPhoto> {
    reply(state.store()?.add_attendance_sheet_photo(meeting_id, photo, media_type))
}

pub fn attendance_sheet_photos(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<AttendanceSheetPhoto>> {
    reply(state.store()?.attendance_sheet_photos(&meeting_id))
}

pub fn attendance_counts(state: State<'_, AppState>, meeting_id: String) -> Reply<AttendanceCounts> {
    reply(state.store()?.attendance_counts(&meeting_id))
}

pub fn delegates(state: State<'_, AppState>, meeting_id: String) -> Reply<Delegates> {
    reply(state.store()?.delegates(&meeting_id))
}

pub fn set_delegates(state: State<'_, AppState>, meeting_id: String, person_ids: Vec<String>) -> Reply<Delegates> {
    reply(state.store()?.set_delegates(&meeting_id, &person_ids))
}
