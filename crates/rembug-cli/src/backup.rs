//! `backup` and `restore`: a data folder copied whole to a folder (a USB
//! stick) and brought back, all the rules in the core's `backup` module.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use rembug_core::backup::{BackupManifest, back_up_store, check_backup, create_backup, restore_backup};
use rembug_core::data_dir::DATABASE_FILE;
use rembug_core::{CoreError, DataDir};
use serde::Serialize;

use crate::commands::{print, print_json};
use crate::error::CliError;

#[derive(Serialize)]
struct BackupSummary<'a> {
    path: &'a Path,
    created_at: &'a str,
    device_fingerprint: &'a str,
    files: usize,
    bytes: u64,
}

pub fn backup(data_dir: &Path, out: &Path, json: bool) -> Result<(), CliError> {
    if !data_dir.join(DATABASE_FILE).is_file() {
        return Err(CliError::NoDatabase(data_dir.to_owned()));
    }
    // With the folder free, the store remembers the backup for the app's
    // reminder; while the app has it open the backup is made all the same
    // (the app keeps writing), only not remembered.
    let folder = match DataDir::open(data_dir) {
        Ok(dir) => back_up_store(&dir.open_store()?, dir.path(), out, &mut |_| {})?,
        Err(CoreError::DataDirInUse) => create_backup(data_dir, out, &mut |_| {})?,
        Err(error) => return Err(error.into()),
    };
    if !json {
        return print(&format!("{}\n", folder.display()));
    }
    let manifest = check_backup(&folder)?;
    print_json(&BackupSummary {
        path: &folder,
        created_at: &manifest.created_at,
        device_fingerprint: &manifest.device_fingerprint,
        files: manifest.files.len(),
        bytes: manifest.files.iter().map(|file| file.size).sum(),
    })
}

/// Replaces the data folder by the backup in `from`: only with `--yes`, or
/// when someone at a terminal answers yes, since it replaces the data.
pub fn restore(data_dir: &Path, from: &Path, yes: bool) -> Result<(), CliError> {
    let manifest = check_backup(from)?;
    if !yes && !confirmed(data_dir, &manifest)? {
        return Err(CliError::RestoreNotConfirmed);
    }
    let restored = restore_backup(from, data_dir, &mut |_| {})?;
    // Every meeting the restored folder holds is in that backup.
    DataDir::open(data_dir)?.open_store()?.record_backup(&restored.manifest.created_at)?;
    let kept = match &restored.previous {
        Some(previous) => format!("Data lama disimpan di {}.\n", previous.display()),
        None => String::new(),
    };
    print(&format!("Cadangan {} dipulihkan ke {}.\n{kept}", restored.manifest.created_at, data_dir.display()))
}

/// Asks on the terminal; without one there is nobody to ask, so no.
fn confirmed(data_dir: &Path, manifest: &BackupManifest) -> Result<bool, CliError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Ok(false);
    }
    let mut stderr = std::io::stderr();
    write!(
        stderr,
        "Cadangan {} (perangkat {}) akan menggantikan data di {}.\n\
         Data yang ada sekarang disimpan di sebelahnya, tidak dihapus. Lanjutkan? [y/T] ",
        manifest.created_at,
        manifest.device_fingerprint,
        data_dir.display()
    )
    .and_then(|()| stderr.flush())
    .map_err(CliError::Output)?;
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer).map_err(CliError::Output)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "ya" | "Ya" | "yes"))
}
