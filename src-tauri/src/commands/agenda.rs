//! The notulen: the agenda items of a meeting, autosaved while the notulis
//! types.

use rembug_core::agenda::{AgendaItem, AgendaItemForm};
use tauri::State;

use super::{Reply, reply};
use crate::state::AppState;

#[tauri::command(async)]
pub fn list_agenda(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<AgendaItem>> {
    reply(state.store()?.agenda(&meeting_id))
}

#[tauri::command(async)]
pub fn add_agenda_item(state: State<'_, AppState>, meeting_id: String, title: String) -> Reply<AgendaItem> {
    reply(state.store()?.add_agenda_item(&meeting_id, &title))
}

#[tauri::command(async)]
pub fn save_agenda_item(state: State<'_, AppState>, id: String, form: AgendaItemForm) -> Reply<AgendaItem> {
    reply(state.store()?.save_agenda_item(&id, &form))
}

#[tauri::command(async)]
pub fn move_agenda_item(state: State<'_, AppState>, id: String, position: u32) -> Reply<Vec<AgendaItem>> {
    reply(state.store()?.move_agenda_item(&id, position))
}

#[tauri::command(async)]
pub fn delete_agenda_item(state: State<'_, AppState>, id: String) -> Reply<Vec<AgendaItem>> {
    reply(state.store()?.delete_agenda_item(&id))
}
