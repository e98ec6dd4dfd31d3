//! Meetings: the kelurahan list, the meeting list and its filter, a meeting's
//! form, its change log, and locking and revising it.

use rembug_core::CoreError;
use rembug_core::error::FieldError;
use rembug_core::meeting::{Meeting, MeetingForm, MeetingView};
use rembug_core::store::meetings::{MeetingChange, MeetingFilter, MeetingList};
use rembug_core::wilayah::Kelurahan;
use tauri::State;

use super::{Reply, reply};
use crate::state::AppState;

pub fn list_kelurahan(state: State<'_, AppState>) -> Reply<Vec<Kelurahan>> {
    reply(state.store()?.list_kelurahan())
}

pub fn list_meetings(state: State<'_, AppState>, filter: Option<MeetingFilter>) -> Reply<MeetingList> {
    reply(state.store()?.list_meetings(&filter.unwrap_or_default()))
}

pub fn get_meeting(state: State<'_, AppState>, id: String) -> Reply<MeetingView> {
    reply(state.store()?.get_meeting(&id).map(MeetingView::of))
}

/// The form a new meeting starts from on `today` (`YYYY-MM-DD`, the
/// laptop's local date).
pub fn new_meeting_form(today: String) -> Reply<MeetingForm> {
    reply(MeetingForm::new_on_text(&today).map_err(CoreError::Validation))
}

/// The form that would save the meeting unchanged: the edit form starts here.
pub fn meeting_form(state: State<'_, AppState>, id: String) -> Reply<MeetingForm> {
    reply(state.store()?.get_meeting(&id).map(|meeting| meeting.to_form()))
}

pub fn create_meeting(state: State<'_, AppState>, form: MeetingForm) -> Reply<Meeting> {
    reply(state.store()?.create_meeting(&form))
}

pub fn update_meeting(state: State<'_, AppState>, id: String, form: MeetingForm) -> Reply<Meeting> {
    reply(state.store()?.update_meeting(&id, &form))
}

pub fn meeting_changes(state: State<'_, AppState>, id: String) -> Reply<Vec<MeetingChange>> {
    reply(state.store()?.meeting_changes(&id))
}

pub fn lock_blockers(state: State<'_, AppState>, id: String) -> Reply<Vec<FieldError>> {
    reply(state.store()?.lock_blockers(&id))
}

/// Locks the meeting and wakes the sender, which delivers its bundle to the
/// office when the device is enrolled.
pub fn lock_meeting(state: State<'_, AppState>, id: String) -> Reply<MeetingView> {
    let locked = state.store()?.lock_meeting(&id);
    if locked.is_ok() {
        state.meeting_locked();
    }
    reply(locked.map(MeetingView::of))
}

pub fn revise_meeting(state: State<'_, AppState>, id: String, reason: String) -> Reply<MeetingView> {
    reply(state.store()?.revise_meeting(&id, &reason).map(MeetingView::of))
}
