//! Importing a bundle from another device: verified first, then its public
//! part stored read-only with its origin, all or nothing. The personal part is never
//! imported: other RWs' residents do not belong in this device's directory.

use std::io::{BufReader, Cursor, Read};
use std::path::Path;

use rembug_core::Store;
use rembug_core::imported::{BundleOrigin, ImportOutcome};
use rembug_core::photos::photo_media_type;
use rembug_core::store::Attachment;

use rembug_core::transfer::ImportReport;

use crate::error::{BundleError, Result};
use crate::signed_pages::{import_signed_pages_file, is_signed_pages_file};
use crate::verify::{VerifiedBundle, open_bundle, verify_file};

/// For a file that is not a photo the app knows; it is stored all the same,
/// since the record names it by hash.
const UNKNOWN_MEDIA_TYPE: &str = "application/octet-stream";

/// Imports a session bundle or a signed-pages bundle, whichever the file
/// is: the one way the app and the CLI import a `.rembug` file.
pub fn import_any_file(store: &Store, path: &Path) -> Result<ImportReport> {
    if !is_signed_pages_file(path)? {
        return Ok(import_file(store, path)?.into());
    }
    let pages = import_signed_pages_file(store, path)?;
    let meeting = store
        .find_imported(&pages.bundle_sha256, "")?
        .ok_or(BundleError::Core(rembug_core::CoreError::NotFound { entity: "imported bundle" }))?;
    Ok(ImportReport { already_imported: pages.added == 0, meeting, signed_pages: Some(pages) })
}

/// Verifies the bundle at `path` and stores its meeting, read-only. A bundle
/// already imported, or another one of the same revision, changes nothing.
pub fn import_file(store: &Store, path: &Path) -> Result<ImportOutcome> {
    let verified = verify_file(path)?;
    let bundle = verified.bundle;
    let manifest = &bundle.manifest;
    if let Some(existing) = store.find_imported(&verified.sha256, &manifest.content_hash)? {
        return Ok(ImportOutcome::AlreadyImported(existing));
    }
    let origin = BundleOrigin {
        bundle_sha256: verified.sha256,
        content_hash: manifest.content_hash.clone(),
        supersedes_content_hash: manifest.supersedes.as_ref().map(|supersedes| supersedes.content_hash.clone()),
        device_id: manifest.device.id.clone(),
        device_fingerprint: manifest.device.fingerprint.clone(),
        personal_encrypted: manifest.personal.encrypted,
    };
    // The photos' files first, then their rows and the record in one
    // transaction; should either fail, the files this import wrote and no
    // row names are removed, so nothing of a refused import is left.
    let mut created = Vec::new();
    let stored = write_attachments(store, &bundle, path, &mut created).and_then(|attachments| {
        // `verify` reads format version 1 only, so this meeting.json is one.
        let version = rembug_core::wire::v1::FORMAT_VERSION;
        Ok(store.store_imported(&origin, version, &bundle.meeting_json, &attachments)?)
    });
    if stored.is_err() {
        store.remove_unrecorded_files(&created)?;
    }
    stored
}

/// Writes the files of the photos the record names, read again from the
/// bundle: each one's hash is checked as it is written, so a file changed
/// since its verification cannot slip anything in. The hashes of files it
/// wrote that were not there before go to `created`.
fn write_attachments(
    store: &Store,
    bundle: &VerifiedBundle,
    path: &Path,
    created: &mut Vec<String>,
) -> Result<Vec<Attachment>> {
    let mut reader = BufReader::new(open_bundle(path)?);
    let mut attachments = Vec::with_capacity(bundle.record.attachments.len());
    for sha256 in &bundle.record.attachments {
        let mut entry = bundle.open_attachment(&mut reader, sha256)?;
        let mut head = Vec::with_capacity(8);
        (&mut entry).take(8).read_to_end(&mut head)?;
        let media_type = photo_media_type(&head).unwrap_or(UNKNOWN_MEDIA_TYPE);
        let (attachment, new) = store.write_attachment_file(&mut Cursor::new(head).chain(entry), media_type)?;
        if new {
            created.push(attachment.sha256.clone());
        }
        if attachment.sha256 != *sha256 {
            return Err(BundleError::HashMismatch(sha256.clone()));
        }
        attachments.push(attachment);
    }
    Ok(attachments)
}
