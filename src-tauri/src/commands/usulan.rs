//! Usulan of a meeting: the form, photos, and carrying forward last year's
//! usulan that were not accommodated.

use rembug_core::CoreError;
use rembug_core::error::FieldError;
use rembug_core::rupiah::{format_rupiah, parse_rupiah};
use rembug_core::store::usulan::{CarriedOrigin, CarryForwardCandidate};
use rembug_core::usulan::{Usulan, UsulanForm, UsulanPhoto};
use tauri::State;
use tauri::ipc::Request;

use super::{Reply, header, raw_body, reply};
use crate::state::AppState;

#[tauri::command(async)]
pub fn list_usulan(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<Usulan>> {
    reply(state.store()?.usulan_list(&meeting_id))
}

/// The form that would store the usulan unchanged: the edit form starts here,
/// written the way the core reads it back ("2,5", "12.500.000").
#[tauri::command(async)]
pub fn usulan_form(state: State<'_, AppState>, id: String) -> Reply<UsulanForm> {
    reply(state.store()?.get_usulan(&id).map(|usulan| usulan.to_form()))
}

#[tauri::command(async)]
pub fn add_usulan(state: State<'_, AppState>, meeting_id: String, form: UsulanForm) -> Reply<Usulan> {
    reply(state.store()?.add_usulan(&meeting_id, &form))
}

#[tauri::command(async)]
pub fn update_usulan(state: State<'_, AppState>, id: String, form: UsulanForm) -> Reply<Usulan> {
    reply(state.store()?.update_usulan(&id, &form))
}

#[tauri::command(async)]
pub fn delete_usulan(state: State<'_, AppState>, id: String) -> Reply<()> {
    reply(state.store()?.delete_usulan(&id))
}

/// The perkiraan biaya as typed, shown back the way it is stored and printed
/// ("Rp 12.500.000"), or the field's refusal.
#[tauri::command(async)]
pub fn format_biaya(biaya: String) -> Reply<String> {
    reply(
        parse_rupiah(&biaya)
            .map(format_rupiah)
            .map_err(|code| CoreError::Validation(vec![FieldError::new("biaya", code)])),
    )
}

/// Body: the photo file's bytes. Headers: `x-usulan-id`, and
/// `x-keep-original: 1` to keep the file as imported beside a downscaled copy.
#[tauri::command(async)]
pub fn add_usulan_photo(state: State<'_, AppState>, request: Request<'_>) -> Reply<UsulanPhoto> {
    let keep_original = header(&request, "x-keep-original") == "1";
    reply(state.store()?.add_usulan_photo(header(&request, "x-usulan-id"), raw_body(&request), keep_original))
}

#[tauri::command(async)]
pub fn remove_usulan_photo(state: State<'_, AppState>, usulan_id: String, position: u8) -> Reply<Vec<UsulanPhoto>> {
    reply(state.store()?.remove_usulan_photo(&usulan_id, position))
}

#[tauri::command(async)]
pub fn carry_forward_candidates(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<CarryForwardCandidate>> {
    reply(state.store()?.carry_forward_candidates(&meeting_id))
}

#[tauri::command(async)]
pub fn carry_forward(state: State<'_, AppState>, meeting_id: String, usulan_ids: Vec<String>) -> Reply<Vec<Usulan>> {
    reply(state.store()?.carry_forward(&meeting_id, &usulan_ids))
}

#[tauri::command(async)]
pub fn carried_origins(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<CarriedOrigin>> {
    reply(state.store()?.carried_origins(&meeting_id))
}
