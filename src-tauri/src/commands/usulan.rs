//! Usulan of a meeting: the form, photos, and carrying forward last year's
//! usulan that were not accommodated.

use rembug_core::CoreError;
use rembug_core::error::FieldError;
use rembug_core::rupiah::{format_rupiah, parse_rupiah};
use rembug_core::store::usulan::{CarriedOrigin, CarryForwardCandidate};
use rembug_core::usulan::{Usulan, UsulanForm, UsulanList, UsulanPhoto};
use tauri::State;

use super::{Reply, reply};
use crate::state::AppState;

pub fn list_usulan(state: State<'_, AppState>, meeting_id: String) -> Reply<UsulanList> {
    reply(state.store()?.usulan_list(&meeting_id).map(UsulanList::of))
}

/// The form that would store the usulan unchanged: the edit form starts here,
/// written the way the core reads it back ("2,5", "12.500.000").
pub fn usulan_form(state: State<'_, AppState>, id: String) -> Reply<UsulanForm> {
    reply(state.store()?.get_usulan(&id).map(|usulan| usulan.to_form()))
}

pub fn add_usulan(state: State<'_, AppState>, meeting_id: String, form: UsulanForm) -> Reply<Usulan> {
    reply(state.store()?.add_usulan(&meeting_id, &form))
}

pub fn update_usulan(state: State<'_, AppState>, id: String, form: UsulanForm) -> Reply<Usulan> {
    reply(state.store()?.update_usulan(&id, &form))
}

pub fn delete_usulan(state: State<'_, AppState>, id: String) -> Reply<()> {
    reply(state.store()?.delete_usulan(&id))
}

/// The perkiraan biaya as typed, shown back the way it is stored and printed
/// ("Rp 12.500.000"), or the field's refusal.
pub fn format_biaya(biaya: String) -> Reply<String> {
    reply(
        parse_rupiah(&biaya)
            .map(format_rupiah)
            .map_err(|code| CoreError::Validation(vec![FieldError::new("biaya", code)])),
    )
}

/// The photo file's bytes; `keep_original` "1" keeps the file as imported
/// beside a downscaled copy.
pub fn add_usulan_photo(
    state: State<'_, AppState>,
    usulan_id: &str,
    keep_original: &str,
    photo: &[u8],
) -> Reply<UsulanPhoto> {
    reply(state.store()?.add_usulan_photo(usulan_id, photo, keep_original == "1"))
}

pub fn remove_usulan_photo(state: State<'_, AppState>, usulan_id: String, position: u8) -> Reply<Vec<UsulanPhoto>> {
    reply(state.store()?.remove_usulan_photo(&usulan_id, position))
}

/// Marks a photo as one of the (at most three) that go to SIPD, or unmarks it.
pub fn set_usulan_photo_sipd(
    state: State<'_, AppState>,
    usulan_id: String,
    position: u8,
    untuk_sipd: bool,
) -> Reply<Vec<UsulanPhoto>> {
    reply(state.store()?.set_usulan_photo_sipd(&usulan_id, position, untuk_sipd))
}

pub fn carry_forward_candidates(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<CarryForwardCandidate>> {
    reply(state.store()?.carry_forward_candidates(&meeting_id))
}

pub fn carry_forward(state: State<'_, AppState>, meeting_id: String, usulan_ids: Vec<String>) -> Reply<Vec<Usulan>> {
    reply(state.store()?.carry_forward(&meeting_id, &usulan_ids))
}

pub fn carried_origins(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<CarriedOrigin>> {
    reply(state.store()?.carried_origins(&meeting_id))
}
