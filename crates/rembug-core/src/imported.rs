//! Meetings imported from another device's session bundle: read-only, each
//! with its origin, kept apart from the meetings recorded on this device.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::meeting::Stage;
use crate::record::PublicRecord;

/// Where a verified bundle came from, as its signed manifest says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleOrigin {
    /// SHA-256 of the bundle file's bytes: its identity.
    pub bundle_sha256: String,
    /// SHA-256 of its meeting.json: what the revision says.
    pub content_hash: String,
    pub supersedes_content_hash: Option<String>,
    pub device_id: String,
    pub device_fingerprint: String,
    pub personal_encrypted: bool,
}

/// An imported meeting as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportedMeeting {
    pub bundle_sha256: String,
    /// The meeting's id on the device that recorded it.
    pub meeting_id: String,
    pub revision: u32,
    pub content_hash: String,
    /// The content hash of the revision this one corrects, if any.
    pub supersedes_content_hash: Option<String>,
    /// The bundle of an imported newer revision that corrects this one.
    pub superseded_by: Option<String>,
    pub stage: Stage,
    pub kelurahan_code: String,
    pub kelurahan_name: String,
    pub rw: Option<u16>,
    pub planning_year: i32,
    /// Local date of the meeting, `YYYY-MM-DD`.
    pub date: String,
    pub device_id: String,
    /// The origin device's fingerprint, for people to compare.
    pub device_fingerprint: String,
    /// The daftar hadir and signatures travelled encrypted to the city office
    /// and were not imported; otherwise they were left out all the same.
    pub personal_encrypted: bool,
    /// UTC, RFC 3339.
    pub imported_at: String,
}

/// An imported meeting with everything its public part says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportedRecord {
    pub meeting: ImportedMeeting,
    pub record: PublicRecord,
}

/// What importing a bundle did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported(ImportedMeeting),
    /// This bundle, or another one of the same revision, was imported
    /// before; nothing changed.
    AlreadyImported(ImportedMeeting),
}

impl ImportOutcome {
    pub fn meeting(&self) -> &ImportedMeeting {
        match self {
            ImportOutcome::Imported(meeting) | ImportOutcome::AlreadyImported(meeting) => meeting,
        }
    }
}
