//! Cadangkan and Pulihkan: a backup of the whole data folder written to a
//! folder the cadre picks (a USB stick) while the app keeps working, and a
//! backup brought back after the cadre saw what it replaces. Every path
//! comes from a native dialog; the folder picked to restore from waits in
//! the shell's state until the cadre confirms.

use rembug_core::CoreError;
use rembug_core::backup::{RestorePlan, back_up_store, plan_restore, restore_backup};
use rembug_core::store::backups::BackupReminder;
use rembug_core::transfer::ExportProgress;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use super::{Reply, reply};
use crate::dialogs::{self, Dialog};
use crate::state::AppState;

/// Asks for a folder and writes a backup into it, reporting progress on
/// `on_progress`; answers where the backup went, or null when cancelled.
pub fn back_up(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
    on_progress: Channel<ExportProgress>,
) -> Reply<Option<String>> {
    let Some(folder) = dialogs::pick_folder(&app, Dialog { title: &title, filter: None, file_name: None }) else {
        return Ok(None);
    };
    // Held for reading only: the other commands go on while it copies.
    let opened = state.store()?;
    let (store, _, data_dir) = opened.parts();
    let made = reply(back_up_store(store, data_dir, &folder, &mut |progress| {
        // A closed window only stops the progress bar, not the backup.
        let _ = on_progress.send(ExportProgress { done_bytes: progress.done_bytes, total_bytes: progress.total_bytes });
    }))?;
    Ok(Some(made.display().to_string()))
}

/// Locked meetings no backup holds yet, for the home screen's reminder.
pub fn backup_reminder(state: State<'_, AppState>) -> Reply<BackupReminder> {
    reply(state.store()?.locked_not_backed_up())
}

/// Asks for a backup folder, checks it whole, and says what restoring it
/// would replace; nothing changes until [`restore`]. Null when cancelled.
pub fn choose_backup(app: AppHandle, state: State<'_, AppState>, title: String) -> Reply<Option<RestorePlan>> {
    state.pending().restore_from = None;
    let Some(folder) = dialogs::pick_folder(&app, Dialog { title: &title, filter: None, file_name: None }) else {
        return Ok(None);
    };
    let plan = {
        let opened = state.store()?;
        let (store, device, _) = opened.parts();
        reply(plan_restore(store, device, &folder))?
    };
    state.pending().restore_from = Some(folder);
    Ok(Some(plan))
}

/// Restores the backup chosen with [`choose_backup`], after the cadre
/// confirmed: waits for the commands under way, closes the store, swaps the
/// data folder (the old one is kept beside it), and opens it again. The
/// window then reloads everything it shows.
pub fn restore(state: State<'_, AppState>, on_progress: Channel<ExportProgress>) -> Reply<()> {
    let from = state.pending().restore_from.take().ok_or(CoreError::NotFound { entity: "backup" });
    let from = reply(from)?;
    let restored = state.closed_while(|data_dir| {
        restore_backup(&from, data_dir, &mut |progress| {
            let _ =
                on_progress.send(ExportProgress { done_bytes: progress.done_bytes, total_bytes: progress.total_bytes });
        })
    })?;
    // Every meeting the restored folder holds is in that backup.
    reply(state.store()?.record_backup(&restored.manifest.created_at))
}
