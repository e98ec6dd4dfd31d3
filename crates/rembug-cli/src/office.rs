//! The city office's keys by hand: `office-keygen` makes the pair,
//! `office-key` gives a device the public half (as Settings does in the
//! app), and `open-personal` opens a bundle's daftar hadir with the secret
//! half (an alias of `rembug-office open-personal`, which takes the key from
//! the office's data folder). Only the office runs the last one: it prints
//! residents' names.

use std::path::Path;

use rembug_bundle::office::{create_office_key_files, daftar_hadir_text};
use rembug_core::DataDir;
use rembug_core::device::{DeviceIdentity, fingerprint_of, read_key_file, set_office_key};

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

pub fn set_key(dir: &Path, file: &Path) -> Result<(), CliError> {
    let data_dir = DataDir::open(dir)?;
    DeviceIdentity::load_or_create(data_dir.path())?;
    let text = read_key_file(file).map_err(rembug_bundle::BundleError::Io)?;
    let key = set_office_key(data_dir.path(), text.as_deref().unwrap_or_default())?;
    print(&format!(
        "Kunci kantor terpasang (sidik jari {}). Bundel berikutnya dari perangkat ini terenkripsi untuk kantor.\n",
        fingerprint_of(&key)
    ))
}

pub fn open_personal(bundle: &Path, secret_file: &Path, json: bool) -> Result<(), CliError> {
    let personal = rembug_bundle::office::open_personal(bundle, secret_file)?;
    if json { print_json(&personal) } else { print(&daftar_hadir_text(&personal)) }
}
