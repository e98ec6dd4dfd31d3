//! Full-text search over notulen, usulan and attendees' names.

use rembug_core::store::search::SearchHit;
use tauri::State;

use super::{Reply, reply};
use crate::state::AppState;

pub fn search(state: State<'_, AppState>, text: String, limit: u32) -> Reply<Vec<SearchHit>> {
    reply(state.store()?.search(&text, limit as usize))
}
