//! The notulen: the agenda items of a meeting, autosaved while the notulis
//! types.

use rembug_core::notulen::{AgendaItem, AgendaItemForm};
use tauri::State;

use super::{Reply, reply};
use crate::state::AppState;

pub fn list_agenda(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<AgendaItem>> {
    reply(state.store()?.agenda(&meeting_id))
}

pub fn add_agenda_item(state: State<'_, AppState>, meeting_id: String, title: String) -> Reply<AgendaItem> {
    reply(state.store()?.add_agenda_item(&meeting_id, &title))
}

pub fn save_agenda_item(state: State<'_, AppState>, id: String, form: AgendaItemForm) -> Reply<AgendaItem> {
    reply(state.store()?.save_agenda_item(&id, &form))
}

pub fn move_agenda_item(state: State<'_, AppState>, id: String, position: u32) -> Reply<Vec<AgendaItem>> {
    reply(state.store()?.move_agenda_item(&id, position))
}

pub fn delete_agenda_item(state: State<'_, AppState>, id: String) -> Reply<Vec<AgendaItem>> {
    reply(state.store()?.delete_agenda_item(&id))
}
