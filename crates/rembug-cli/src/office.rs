//! The city office's keys by hand: `office-keygen` makes the pair,
//! `office-key` gives a device the public half (as Settings does in the
//! app), and `open-personal` opens a bundle's daftar hadir with the secret
//! half (an alias of `rembug-office open-personal`, which takes the key from
//! the office's data folder). Only the office runs the last one: it prints
//! residents' names.

use std::path::Path;

use rembug_bundle::office::{create_office_key_files, daftar_hadir_text};
use rembug_core::DataDir;
use rembug_core::device::{DeviceIdentity, read_key_file};
use rembug_core::transfer::{OfficeKeyOutcome, choose_office_key, replace_office_key};

use crate::commands::{print, print_json};
use crate::error::CliError;

pub fn keygen(dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(rembug_bundle::BundleError::Io)?;
    let files = create_office_key_files(dir)?;
    print(&format!(
        "Kunci kantor dibuat (sidik jari {}).\n\
         Berikan kepada perangkat kader: {}\n\
         Simpan di kantor, jangan dibagikan: {}\n",
        files.fingerprint,
        files.public.display(),
        files.secret.display(),
    ))
}

/// Sets the office key; the same key again changes nothing, and a different
/// one replaces the key set only with `--ganti` (`replace`), else both
/// fingerprints are shown and nothing is written.
pub fn set_key(dir: &Path, file: &Path, replace: bool) -> Result<(), CliError> {
    let data_dir = DataDir::open(dir)?;
    let device = DeviceIdentity::load_or_create(data_dir.path())?;
    let text = read_key_file(file).map_err(rembug_bundle::BundleError::Io)?.unwrap_or_default();
    let choice = choose_office_key(data_dir.path(), &device, &text)?;
    let chosen = choice.chosen_fingerprint;
    match choice.outcome {
        OfficeKeyOutcome::Unchanged => {
            print(&format!("Kunci kantor ini (sidik jari {chosen}) sudah terpasang; tidak ada yang berubah.\n"))
        }
        OfficeKeyOutcome::NeedsConfirmation if !replace => Err(CliError::OfficeKeyDiffers {
            current: choice.device.office_key_fingerprint.unwrap_or_default(),
            chosen,
        }),
        OfficeKeyOutcome::Kept | OfficeKeyOutcome::NeedsConfirmation => {
            replace_office_key(data_dir.path(), &device, &text, &chosen)?;
            print(&format!(
                "Kunci kantor terpasang (sidik jari {chosen}). Bundel berikutnya dari perangkat ini terenkripsi untuk kantor.\n"
            ))
        }
    }
}

pub fn open_personal(bundle: &Path, secret_file: &Path, json: bool) -> Result<(), CliError> {
    let personal = rembug_bundle::office::open_personal(bundle, secret_file)?;
    if json { print_json(&personal) } else { print(&daftar_hadir_text(&personal)) }
}
