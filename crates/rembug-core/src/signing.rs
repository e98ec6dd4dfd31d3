//! "Cetak untuk ditandatangani": the berita acara, daftar hadir and daftar
//! usulan are signed in the hall before the meeting is locked. Pages printed
//! for signing carry no "DRAF" watermark; their footer carries a short code
//! of exactly what was printed, the first eight hex digits of the SHA-256 of
//! the record (its public and personal parts, as a bundle would carry them),
//! and the store remembers each code (`store/signing.rs`, table
//! `signing_print`). Before locking, the app compares the last code printed
//! with the record's code now: if they differ, the signed paper no longer
//! matches what is locked, and the cadre is warned to print and sign again.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::hex;
use crate::record::{FrozenRecord, MeetingRecord};

/// Hex digits of the code printed in the footer.
pub const SIGNING_CODE_LEN: usize = 8;

/// The code of what `record` says now, in upper case: `3F9A0C1B`.
pub fn signing_code(record: &MeetingRecord) -> Result<String> {
    let frozen = FrozenRecord::freeze(record).map_err(|error| CoreError::Corrupt(error.to_string()))?;
    let mut hasher = Sha256::new();
    hasher.update(frozen.meeting_json.as_bytes());
    hasher.update(b"\n");
    hasher.update(frozen.personal_json.as_bytes());
    let digest = hex::encode(&hasher.finalize());
    Ok(digest[..SIGNING_CODE_LEN].to_uppercase())
}

/// One printing of a draft's papers for signing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SigningPrint {
    pub code: String,
    /// UTC, RFC 3339.
    pub printed_at: String,
}

/// What the Kunci tab says of the signed papers before locking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SigningCheck {
    /// The last printing for signing, if the papers were printed.
    pub last_print: Option<SigningPrint>,
    /// The code the record would print now.
    pub current_code: String,
    /// Printed for signing, and the record changed since: the signed paper
    /// no longer matches what would be locked.
    pub changed_since_print: bool,
}
