//! Exporting a locked meeting into a folder the user picked (a USB stick):
//! the bundle gets a name people can read on a file list, built from the
//! kelurahan, the RW, the date and the start of its SHA-256.

use std::fs;
use std::path::Path;

use rembug_core::Store;
use rembug_core::device::DeviceIdentity;
use rembug_core::meeting::Meeting;

use crate::error::{BundleError, Result};
use crate::progress::SealProgress;
use crate::seal::{Sealed, seal_with_progress};
use crate::signed_pages::{SealedPages, seal_signed_pages};

/// The bundle file extension.
pub const EXTENSION: &str = "rembug";

/// How many hex digits of the bundle's SHA-256 go into its name: enough to
/// tell two revisions of a meeting apart on one stick.
const SHORT_HASH: usize = 8;

/// The office key a bundle's personal part is sealed to. Without one the
/// daftar hadir, phone numbers and signatures would travel readable, so that
/// is allowed only when the user said so (`allow_unencrypted`: the app's
/// confirmation, the CLI's `--tanpa-enkripsi`); otherwise
/// [`BundleError::UnencryptedNotConfirmed`], before anything is written.
pub fn sealing_key(office_key: Option<[u8; 32]>, allow_unencrypted: bool) -> Result<Option<[u8; 32]>> {
    match office_key {
        None if !allow_unencrypted => Err(BundleError::UnencryptedNotConfirmed),
        key => Ok(key),
    }
}

/// Seals the meeting into `folder` under [`file_name`]. Sealing the same
/// revision again writes the same bytes under the same name.
pub fn export_to_folder(
    store: &Store,
    device: &DeviceIdentity,
    meeting_id: &str,
    office_key: Option<[u8; 32]>,
    folder: &Path,
    progress: &mut dyn FnMut(SealProgress),
) -> Result<Sealed> {
    let meeting = store.get_meeting(meeting_id)?;
    // The hash is known only once the bundle is written, so it is written
    // under a provisional name first; renaming within one folder is atomic.
    let provisional = folder.join(format!("{}.{EXTENSION}", meeting.file_stem()));
    let mut sealed = seal_with_progress(store, device, meeting_id, office_key, &provisional, progress)?;
    let named = folder.join(file_name(&meeting, &sealed.sha256));
    fs::rename(&sealed.path, &named)?;
    sync_folder(folder)?;
    sealed.path = named;
    Ok(sealed)
}

/// Seals a locked meeting's signed pages into `folder` as
/// `<file stem>-halaman-<short hash>.rembug`, beside its session bundle.
pub fn export_signed_pages_to_folder(
    store: &Store,
    device: &DeviceIdentity,
    meeting_id: &str,
    office_key: Option<[u8; 32]>,
    folder: &Path,
) -> Result<SealedPages> {
    let meeting = store.get_meeting(meeting_id)?;
    let provisional = folder.join(format!("{}-halaman.{EXTENSION}", meeting.file_stem()));
    let mut sealed = seal_signed_pages(store, device, meeting_id, office_key, &provisional)?;
    let short = &sealed.sha256[..SHORT_HASH.min(sealed.sha256.len())];
    let named = folder.join(format!("{}-halaman-{short}.{EXTENSION}", meeting.file_stem()));
    fs::rename(&sealed.path, &named)?;
    sync_folder(folder)?;
    sealed.path = named;
    Ok(sealed)
}

/// `melong-rw05-2026-11-08-3fa2b1c9.rembug` for a Rembug Warga,
/// `melong-kelurahan-2027-02-10-….rembug` for a Musrenbang Kelurahan.
pub fn file_name(meeting: &Meeting, sha256: &str) -> String {
    format!("{}-{}.{EXTENSION}", meeting.file_stem(), &sha256[..SHORT_HASH.min(sha256.len())])
}

#[cfg(unix)]
fn sync_folder(folder: &Path) -> Result<()> {
    Ok(fs::File::open(folder)?.sync_all()?)
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> Result<()> {
    Ok(())
}
