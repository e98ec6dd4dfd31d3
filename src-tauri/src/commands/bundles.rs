//! Moving meetings between devices: this device's identity and the office
//! key, exporting a locked meeting as a bundle to a folder the user picks,
//! and importing another device's bundle, verified before anything is kept.
//! Every path comes from a native dialog, never from the window.

use rembug_bundle::{BundleError, export_signed_pages_to_folder, export_to_folder, import_any_file, sealing_key};
use std::path::Path;

use rembug_core::Store;
use rembug_core::device::{DeviceIdentity, office_key, read_key_file};
use rembug_core::error::ErrorReply;
use rembug_core::imported::{ImportedMeeting, ImportedRecord};
use rembug_core::meeting::MeetingStatus;
use rembug_core::signed_pages::{PageKind, SignedPage, SignedPagesSending};
use rembug_core::transfer::{
    DeviceSummary, ExportProgress, ExportedBundle, ImportReport, OfficeKeyChoice, OfficeKeyOutcome,
    choose_office_key as choose, replace_office_key,
};
use rembug_core::{CoreError, FieldCode, FieldError};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use super::{Reply, reply};
use crate::dialogs::{self, Dialog};
use crate::state::AppState;

fn bundle_reply<T>(result: Result<T, BundleError>) -> Reply<T> {
    result.map_err(|error| ErrorReply::from(&error))
}

pub fn device_summary(state: State<'_, AppState>) -> Reply<DeviceSummary> {
    let opened = state.store()?;
    let (_, device, data_dir) = opened.parts();
    reply(DeviceSummary::read(data_dir, device))
}

/// Asks for the city office's key file and keeps it when no key is set;
/// a different key waits for [`confirm_office_key`] after the window showed
/// both fingerprints. Null when the user cancelled the dialog.
pub fn choose_office_key(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
    filter_label: String,
) -> Reply<Option<OfficeKeyChoice>> {
    state.pending().office_key = None;
    let Some(path) = dialogs::pick_file(
        &app,
        Dialog { title: &title, filter: Some((&filter_label, &["key", "txt"])), file_name: None },
    ) else {
        return Ok(None);
    };
    // A file that cannot be read is no key file, whatever the reason.
    let Some(text) = read_key_file(&path).ok().flatten() else {
        return Err(ErrorReply::from(&CoreError::Validation(vec![FieldError::new(
            "office_key",
            FieldCode::OfficeKeyInvalid,
        )])));
    };
    let opened = state.store()?;
    let (_, device, data_dir) = opened.parts();
    let choice = reply(choose(data_dir, device, &text))?;
    if choice.outcome == OfficeKeyOutcome::NeedsConfirmation {
        state.pending().office_key = Some(text);
    }
    Ok(Some(choice))
}

/// Replaces the office key by the one [`choose_office_key`] read, once the
/// cadre confirmed it by its fingerprint.
pub fn confirm_office_key(state: State<'_, AppState>, fingerprint: String) -> Reply<DeviceSummary> {
    let text = state.pending().office_key.take();
    let text = reply(text.ok_or(CoreError::NotFound { entity: "office key" }))?;
    let opened = state.store()?;
    let (_, device, data_dir) = opened.parts();
    reply(replace_office_key(data_dir, device, &text, &fingerprint))
}

/// Asks for a folder (a USB stick) and seals the locked meeting into it,
/// reporting progress on `on_progress`; null when the user cancelled.
/// Without an office key it refuses (`unencrypted_not_confirmed`) unless
/// the cadre agreed that the daftar hadir travels readable
/// (`allow_unencrypted`).
pub fn export_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    title: String,
    allow_unencrypted: bool,
    on_progress: Channel<ExportProgress>,
) -> Reply<Option<ExportedBundle>> {
    let ready = |store: &Store| {
        if reply(store.get_meeting(&id))?.status != MeetingStatus::Locked {
            return Err(ErrorReply::from(&BundleError::MeetingNotLocked));
        }
        Ok(())
    };
    export_to_picked_folder(&app, &state, &title, allow_unencrypted, ready, |store, device, office, folder| {
        let sealed = bundle_reply(export_to_folder(store, device, &id, office, folder, &mut |progress| {
            // A closed window only stops the progress bar, not the export.
            let _ =
                on_progress.send(ExportProgress { done_bytes: progress.done_bytes, total_bytes: progress.total_bytes });
        }))?;
        Ok(exported(&sealed.path, sealed.sha256, sealed.size, sealed.manifest.personal.encrypted))
    })
}

/// What an export to a picked folder shares, whatever it seals: `ready`
/// and the office key are checked before the user picks a folder for
/// nothing (the store is not held while the dialog is open: a restore may be
/// waiting for it), then `seal` writes into the folder. Null when the user
/// cancelled.
fn export_to_picked_folder(
    app: &AppHandle,
    state: &AppState,
    title: &str,
    allow_unencrypted: bool,
    ready: impl FnOnce(&Store) -> Reply<()>,
    seal: impl FnOnce(&Store, &DeviceIdentity, Option<[u8; 32]>, &Path) -> Reply<ExportedBundle>,
) -> Reply<Option<ExportedBundle>> {
    let office = {
        let opened = state.store()?;
        let (store, _, data_dir) = opened.parts();
        ready(store)?;
        bundle_reply(sealing_key(reply(office_key(data_dir))?, allow_unencrypted))?
    };
    let Some(folder) = dialogs::pick_folder(app, Dialog { title, filter: None, file_name: None }) else {
        return Ok(None);
    };
    let opened = state.store()?;
    let (store, device, _) = opened.parts();
    seal(store, device, office, &folder).map(Some)
}

fn exported(path: &Path, sha256: String, size: u64, personal_encrypted: bool) -> ExportedBundle {
    ExportedBundle {
        path: path.display().to_string(),
        file_name: path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default(),
        sha256,
        size,
        personal_encrypted,
    }
}

/// Asks for a bundle file, verifies it and stores its meeting read-only, or,
/// for a signed-pages bundle, the public pages of a meeting imported
/// before; null when the user cancelled.
pub fn import_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
    filter_label: String,
) -> Reply<Option<ImportReport>> {
    let store = state.store()?;
    let filter = (filter_label.as_str(), &[rembug_bundle::EXTENSION][..]);
    let Some(path) = dialogs::pick_file(&app, Dialog { title: &title, filter: Some(filter), file_name: None }) else {
        return Ok(None);
    };
    bundle_reply(import_any_file(&store, &path)).map(Some)
}

pub fn imported_meetings(state: State<'_, AppState>) -> Reply<Vec<ImportedMeeting>> {
    reply(state.store()?.imported_meetings())
}

pub fn imported_meeting(state: State<'_, AppState>, bundle_sha256: String) -> Reply<ImportedRecord> {
    reply(state.store()?.imported_meeting(&bundle_sha256))
}

/// The cadre counts an imported result whose device the office's roster does
/// not vouch for.
pub fn confirm_imported(state: State<'_, AppState>, bundle_sha256: String) -> Reply<ImportedMeeting> {
    reply(state.store()?.confirm_imported(&bundle_sha256))
}

/// The signed pages imported for the revision of an imported bundle.
pub fn imported_signed_pages(state: State<'_, AppState>, bundle_sha256: String) -> Reply<Vec<SignedPage>> {
    reply(state.store()?.imported_signed_pages(&bundle_sha256))
}

/// Attaches a photo of a signed page (`x-page-kind`: berita_acara,
/// daftar_hadir or daftar_usulan) to a locked meeting.
pub fn add_signed_page(
    state: State<'_, AppState>,
    meeting_id: &str,
    page_kind: &str,
    media_type: &str,
    photo: &[u8],
) -> Reply<SignedPage> {
    let kind = PageKind::parse(page_kind)
        .ok_or_else(|| CoreError::Validation(vec![FieldError::new("kind", FieldCode::Required)]));
    let store = state.store()?;
    reply(kind.and_then(|kind| store.add_signed_page(meeting_id, kind, photo, media_type)))
}

pub fn signed_pages(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<SignedPage>> {
    reply(state.store()?.signed_pages(&meeting_id))
}

/// How many of a meeting's signed pages the office acknowledged (the
/// background sender delivers them after the meeting's own bundle).
pub fn signed_pages_sending(state: State<'_, AppState>, meeting_id: String) -> Reply<SignedPagesSending> {
    reply(state.store()?.signed_pages_sending(&meeting_id))
}

/// Asks for a folder (a USB stick) and seals the locked meeting's signed
/// pages into it; null when the user cancelled. Without an office key the
/// daftar hadir's pages travel readable only once the cadre agreed
/// (`allow_unencrypted`), as for the meeting's own bundle.
pub fn export_signed_pages(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    title: String,
    allow_unencrypted: bool,
) -> Reply<Option<ExportedBundle>> {
    let ready = |store: &Store| {
        if reply(store.signed_pages(&id))?.is_empty() {
            return Err(ErrorReply::from(&BundleError::NoSignedPages));
        }
        Ok(())
    };
    export_to_picked_folder(&app, &state, &title, allow_unencrypted, ready, |store, device, office, folder| {
        let sealed = bundle_reply(export_signed_pages_to_folder(store, device, &id, office, folder))?;
        Ok(exported(&sealed.path, sealed.sha256, sealed.size, sealed.manifest.personal.encrypted))
    })
}
