//! The settings screen: the interface language, the recording settings
//! (stage names, criteria, women's target, unsur, delegates, photos) and the
//! kop of printed documents and who signs them, and the OPD list the usulan
//! form offers.

use rembug_core::kop::KopSettingsForm;
use rembug_core::opd::Opd;
use rembug_core::settings::{Language, RecordingSettingsForm, Settings};
use rembug_core::signatories::SignatorySettingsForm;
use tauri::State;

use super::{Reply, reply};
use crate::state::AppState;

pub fn get_settings(state: State<'_, AppState>) -> Reply<Settings> {
    reply(state.store()?.settings())
}

/// The recording settings as the settings screen edits them.
pub fn recording_settings_form(state: State<'_, AppState>) -> Reply<RecordingSettingsForm> {
    reply(state.store()?.settings().map(|settings| settings.recording.to_form()))
}

pub fn set_language(state: State<'_, AppState>, language: Language) -> Reply<Settings> {
    reply(state.store()?.set_language(language))
}

pub fn save_recording_settings(state: State<'_, AppState>, form: RecordingSettingsForm) -> Reply<Settings> {
    reply(state.store()?.save_recording_settings(&form))
}

pub fn save_kop_settings(state: State<'_, AppState>, form: KopSettingsForm) -> Reply<Settings> {
    reply(state.store()?.save_kop_settings(&form))
}

/// The government kop's logo, as the chosen file's bytes and media type.
pub fn set_kop_logo(state: State<'_, AppState>, media_type: &str, logo: &[u8]) -> Reply<Settings> {
    reply(state.store()?.set_kop_logo(logo, media_type))
}

pub fn remove_kop_logo(state: State<'_, AppState>) -> Reply<Settings> {
    reply(state.store()?.remove_kop_logo())
}

/// Who signs each stage's papers, as the settings screen edits it.
pub fn signatory_settings_form(state: State<'_, AppState>) -> Reply<SignatorySettingsForm> {
    reply(state.store()?.settings().map(|settings| settings.signatories.to_form()))
}

pub fn save_signatory_settings(state: State<'_, AppState>, form: SignatorySettingsForm) -> Reply<Settings> {
    reply(state.store()?.save_signatory_settings(&form))
}

/// The OPD the usulan form offers, by name.
pub fn opd_list(state: State<'_, AppState>) -> Reply<Vec<Opd>> {
    reply(state.store()?.opd_list())
}

pub fn add_opd(state: State<'_, AppState>, name: String) -> Reply<Vec<Opd>> {
    reply(state.store()?.add_opd(&name))
}

pub fn rename_opd(state: State<'_, AppState>, id: u32, name: String) -> Reply<Vec<Opd>> {
    reply(state.store()?.rename_opd(id, &name))
}

pub fn remove_opd(state: State<'_, AppState>, id: u32) -> Reply<Vec<Opd>> {
    reply(state.store()?.remove_opd(id))
}
