//! Kelurahan consolidation: how many RWs a kelurahan has, which RW results
//! have arrived, starting the Musrenbang Kelurahan with their usulan merged,
//! and the look-alike usulan of different RWs.

use rembug_core::consolidation::{Consolidation, KelurahanMeetingStarted};
use rembug_core::meeting::MeetingForm;
use rembug_core::similar::SimilarUsulan;
use tauri::State;

use super::{Reply, reply};
use crate::state::AppState;

pub fn set_rw_count(state: State<'_, AppState>, kelurahan_code: String, rw_count: String) -> Reply<u16> {
    reply(state.store()?.set_rw_count(&kelurahan_code, &rw_count))
}

pub fn consolidation(state: State<'_, AppState>, kelurahan_code: String, planning_year: i32) -> Reply<Consolidation> {
    reply(state.store()?.consolidation(&kelurahan_code, planning_year))
}

pub fn start_kelurahan_meeting(
    state: State<'_, AppState>,
    form: MeetingForm,
    kelurahan_code: String,
    planning_year: i32,
) -> Reply<KelurahanMeetingStarted> {
    reply(state.store()?.start_kelurahan_meeting(&form, &kelurahan_code, planning_year))
}

pub fn similar_usulan(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<SimilarUsulan>> {
    reply(state.store()?.similar_usulan(&meeting_id))
}
