//! What the app reports while meetings move between devices as bundles: this
//! device's identity as people compare it, an export as it goes and when it
//! is done, and what an import did. The sealing and checking themselves live
//! in `rembug-bundle`; these are only the shapes the window sees.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::device::{DeviceIdentity, fingerprint_of, office_key, parse_office_key, set_office_key};
use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::imported::{ImportOutcome, ImportedMeeting};
use crate::signed_pages::SignedPagesImported;

/// This device as the settings screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeviceSummary {
    /// `ABCD-EF01-2345-6789`, for office staff to compare when enrolling.
    pub fingerprint: String,
    /// The fingerprint of the city office's key the personal part of every
    /// bundle is encrypted to; null until a key file was chosen.
    pub office_key_fingerprint: Option<String>,
}

impl DeviceSummary {
    pub fn read(data_dir: &Path, device: &DeviceIdentity) -> Result<DeviceSummary> {
        Ok(DeviceSummary {
            fingerprint: device.fingerprint(),
            office_key_fingerprint: office_key(data_dir)?.map(|key| fingerprint_of(&key)),
        })
    }
}

/// What choosing an office key file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OfficeKeyOutcome {
    /// No key was set: the chosen one is kept.
    Kept,
    /// The chosen key is the one set already: nothing changed.
    Unchanged,
    /// Another key is set: nothing was written; the cadre compares both
    /// fingerprints and confirms ([`replace_office_key`]).
    NeedsConfirmation,
}

/// The answer to choosing an office key file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OfficeKeyChoice {
    pub outcome: OfficeKeyOutcome,
    /// This device as it is now (the old key while a change waits).
    pub device: DeviceSummary,
    /// The fingerprint of the key in the chosen file.
    pub chosen_fingerprint: String,
}

/// Keeps the office key in `text` (a key file's contents) when no key is
/// set, changes nothing when it is the key set already, and writes nothing
/// when another key is set: replacing the key that seals every bundle's
/// personal part is confirmed first.
pub fn choose_office_key(data_dir: &Path, device: &DeviceIdentity, text: &str) -> Result<OfficeKeyChoice> {
    let chosen = parse_office_key(text)?;
    let outcome = match office_key(data_dir)? {
        None => {
            set_office_key(data_dir, text)?;
            OfficeKeyOutcome::Kept
        }
        Some(current) if current == chosen => OfficeKeyOutcome::Unchanged,
        Some(_) => OfficeKeyOutcome::NeedsConfirmation,
    };
    Ok(OfficeKeyChoice {
        outcome,
        device: DeviceSummary::read(data_dir, device)?,
        chosen_fingerprint: fingerprint_of(&chosen),
    })
}

/// Replaces the office key by the one in `text`, which the cadre confirmed
/// by its fingerprint `confirmed`; refused when `text` holds another key.
pub fn replace_office_key(
    data_dir: &Path,
    device: &DeviceIdentity,
    text: &str,
    confirmed: &str,
) -> Result<DeviceSummary> {
    if fingerprint_of(&parse_office_key(text)?) != confirmed {
        return Err(CoreError::Validation(vec![FieldError::new("office_key", FieldCode::OfficeKeyInvalid)]));
    }
    set_office_key(data_dir, text)?;
    DeviceSummary::read(data_dir, device)
}

/// How far an export is, in payload bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportProgress {
    #[ts(type = "number")]
    pub done_bytes: u64,
    #[ts(type = "number")]
    pub total_bytes: u64,
}

/// A bundle written to the folder the user picked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportedBundle {
    pub path: String,
    pub file_name: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub size: u64,
    /// False when the device knew no office key: the daftar hadir and the
    /// signatures are then readable by whoever holds the file.
    pub personal_encrypted: bool,
}

/// What importing a bundle did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportReport {
    /// The bundle, or another one of the same revision, was imported before;
    /// nothing changed.
    pub already_imported: bool,
    pub meeting: ImportedMeeting,
    /// Present when the file held the signed pages of that meeting rather
    /// than the meeting itself.
    pub signed_pages: Option<SignedPagesImported>,
}

impl From<ImportOutcome> for ImportReport {
    fn from(outcome: ImportOutcome) -> Self {
        match outcome {
            ImportOutcome::Imported(meeting) => ImportReport { already_imported: false, meeting, signed_pages: None },
            ImportOutcome::AlreadyImported(meeting) => {
                ImportReport { already_imported: true, meeting, signed_pages: None }
            }
        }
    }
}
