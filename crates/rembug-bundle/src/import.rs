//! Importing a bundle from another device: verified first, then its public
//! part stored read-only with its origin. The personal part is never
//! imported: other RWs' residents do not belong in this device's directory.

use std::io::{BufReader, Cursor, Read};
use std::path::Path;

use rembug_core::Store;
use rembug_core::imported::{BundleOrigin, ImportOutcome};
use rembug_core::photos::photo_media_type;

use crate::error::{BundleError, Result};
use crate::verify::{open_bundle, verify_file};

/// For a file that is not a photo the app knows; it is stored all the same,
/// since the record names it by hash.
const UNKNOWN_MEDIA_TYPE: &str = "application/octet-stream";

/// Verifies the bundle at `path` and stores its meeting, read-only. A bundle
/// already imported, or another one of the same revision, changes nothing.
pub fn import_file(store: &Store, path: &Path) -> Result<ImportOutcome> {
    let verified = verify_file(path)?;
    let bundle = verified.bundle;
    let manifest = &bundle.manifest;
    if let Some(existing) = store.find_imported(&verified.sha256, &manifest.content_hash)? {
        return Ok(ImportOutcome::AlreadyImported(existing));
    }
    // Read again from the file; each photo's hash is checked as it is stored,
    // so a file changed since its verification cannot slip anything in.
    let mut reader = BufReader::new(open_bundle(path)?);
    for sha256 in &bundle.record.attachments {
        let mut entry = bundle.open_attachment(&mut reader, sha256)?;
        let mut head = Vec::with_capacity(8);
        (&mut entry).take(8).read_to_end(&mut head)?;
        let media_type = photo_media_type(&head).unwrap_or(UNKNOWN_MEDIA_TYPE);
        let stored = store.put_attachment(&mut Cursor::new(head).chain(entry), media_type)?;
        if stored.sha256 != *sha256 {
            return Err(BundleError::HashMismatch(sha256.clone()));
        }
    }
    let origin = BundleOrigin {
        bundle_sha256: verified.sha256,
        content_hash: manifest.content_hash.clone(),
        supersedes_content_hash: manifest.supersedes.as_ref().map(|supersedes| supersedes.content_hash.clone()),
        device_id: manifest.device.id.clone(),
        device_fingerprint: manifest.device.fingerprint.clone(),
        personal_encrypted: manifest.personal.encrypted,
    };
    // `verify` reads format version 1 only, so this meeting.json is one.
    Ok(store.store_imported(&origin, rembug_core::wire::v1::FORMAT_VERSION, &bundle.meeting_json)?)
}
