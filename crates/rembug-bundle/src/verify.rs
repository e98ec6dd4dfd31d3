//! Verifying a bundle before anything of it is stored: the archive's shape,
//! the manifest's version and signature, every size and hash, then the
//! meeting against the domain's rules. Opening the personal part needs the
//! office's secret key when it is encrypted.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read, Seek, Write};
use std::path::Path;

use ed25519_dalek::{Signature, VerifyingKey};
use rembug_core::device::device_id_of;
use rembug_core::hex;
use rembug_core::record::{PersonalRecord, PublicRecord};
use rembug_core::wire;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::archive::{Archive, Entry};
use crate::crypto::PersonalKeys;
use crate::digest::copy_hashing;
use crate::error::{BundleError, Result};
use crate::format::{
    ATTACHMENTS_DIR, Device, FORMAT, FORMAT_VERSION, FileKind, MANIFEST, MAX_BUNDLE_BYTES, MAX_JSON_BYTES,
    MAX_MANIFEST_BYTES, MEETING, Manifest, ManifestHead, PERSONAL, PERSONAL_DIR, PERSONAL_ENCRYPTED, SIGNATURE,
    attachment_path, bundle_id, is_sha256_hex, personal_attachment_path,
};
use crate::validate::{check_personal, check_public, check_strings};

/// A bundle that passed every check, with its table of contents for reading
/// its entries afterwards.
#[derive(Debug)]
pub struct VerifiedBundle {
    pub manifest: Manifest,
    pub record: PublicRecord,
    /// `meeting.json` exactly as verified: what an import keeps, so it still
    /// hashes to the manifest's `content_hash`.
    pub meeting_json: String,
    /// Present when the personal part is not encrypted.
    pub personal: Option<PersonalRecord>,
    archive: Archive,
}

/// A verified bundle file with the SHA-256 of its bytes.
#[derive(Debug)]
pub struct VerifiedFile {
    pub bundle: VerifiedBundle,
    pub sha256: String,
    pub size: u64,
}

pub fn verify_file(path: &Path) -> Result<VerifiedFile> {
    let mut file = BufReader::new(open_bundle(path)?);
    // The archive's shape first, from its tail and headers, so a file that is
    // no bundle at all is refused before all of it is read.
    Archive::read(&mut file)?;
    file.rewind()?;
    let (sha256, size) = copy_hashing(&mut file, &mut std::io::sink())?;
    let bundle = verify(&mut file)?;
    Ok(VerifiedFile { bundle, sha256, size })
}

/// Opens a bundle file for reading, refusing anything but a regular file of
/// at most [`MAX_BUNDLE_BYTES`] before a byte is read. Opened without
/// blocking: a FIFO named `x.rembug` would otherwise wait for a writer
/// forever.
pub(crate) fn open_bundle(path: &Path) -> Result<File> {
    let mut options = File::options();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(BundleError::BundleNotAFile);
    }
    if metadata.len() > MAX_BUNDLE_BYTES {
        return Err(BundleError::BundleTooLarge);
    }
    Ok(file)
}

pub fn verify<R: Read + Seek>(reader: &mut R) -> Result<VerifiedBundle> {
    let archive = Archive::read(reader)?;
    let (manifest_bytes, manifest) = read_manifest(reader, &archive)?;
    let signature = check_signature(reader, &archive, &manifest.device, &manifest_bytes)?;
    for (name, bytes) in [(MANIFEST, &manifest_bytes[..]), (SIGNATURE, &signature[..])] {
        check_crc(&archive, name, crc32fast::hash(bytes))?;
    }
    if manifest.bundle_id != bundle_id(&manifest.content_hash, &manifest.device.id) {
        return Err(BundleError::BundleIdMismatch);
    }
    check_entries(&archive, &manifest)?;
    check_order(&archive, &manifest)?;
    for file in &manifest.files {
        let entry = archive.entry(&file.path).expect("every listed file was found in the archive");
        let mut crc = Crc32Writer(crc32fast::Hasher::new());
        let (sha256, _) = copy_hashing(&mut archive.open(reader, entry)?, &mut crc)?;
        if sha256 != file.sha256 {
            return Err(BundleError::HashMismatch(file.path.clone()));
        }
        check_crc(&archive, &file.path, crc.0.finalize())?;
    }
    let (meeting_json, record): (_, wire::v1::PublicRecord) = read_json(reader, &archive, MEETING)?;
    refuse_breaches(check_strings(&record, ""))?;
    let record = PublicRecord::try_from(record).map_err(|error| BundleError::RecordInvalid(error.to_string()))?;
    refuse_breaches(check_public(&record))?;
    check_record_matches(&manifest, &record)?;
    let personal = if manifest.personal.encrypted {
        None
    } else {
        let (_, personal) = read_json(reader, &archive, PERSONAL)?;
        Some(checked_personal(personal, &record)?)
    };
    let meeting_json = String::from_utf8(meeting_json).expect("meeting.json parsed as JSON, so it is UTF-8");
    let bundle = VerifiedBundle { manifest, record, meeting_json, personal, archive };
    check_attachments_present(&bundle)?;
    Ok(bundle)
}

impl VerifiedBundle {
    /// The personal part: as read, or decrypted with the office's secret key.
    pub fn personal_record<R: Read + Seek>(
        &self,
        reader: &mut R,
        office_secret: Option<[u8; 32]>,
    ) -> Result<PersonalRecord> {
        if let Some(personal) = &self.personal {
            return Ok(personal.clone());
        }
        let keys = self.opening_keys(office_secret)?;
        let mut plain = Vec::new();
        let entry = self.entry(PERSONAL_ENCRYPTED)?;
        keys.decrypt(PERSONAL_ENCRYPTED, &mut self.archive.open(reader, entry)?, &mut plain)?;
        checked_personal(canonical_json(PERSONAL_ENCRYPTED, &plain)?, &self.record)
    }

    /// Streams one attachment, public or personal, into `target`; a personal
    /// one of an encrypted bundle needs the office's secret key.
    pub fn read_attachment<R: Read + Seek>(
        &self,
        reader: &mut R,
        office_secret: Option<[u8; 32]>,
        sha256: &str,
        target: &mut impl Write,
    ) -> Result<()> {
        let readable = attachment_path(sha256);
        let found = if let Some(entry) = self.archive.entry(&readable) {
            copy_hashing(&mut self.archive.open(reader, entry)?, target)?.0
        } else {
            let personal = self.personal_record(reader, office_secret)?;
            let index = personal
                .attachments
                .binary_search_by(|known| known.as_str().cmp(sha256))
                .map_err(|_| BundleError::MissingEntry(readable))?;
            let path = personal_attachment_path(index);
            let keys = self.opening_keys(office_secret)?;
            let mut hashing = crate::digest::HashingWriter::new(target);
            keys.decrypt(&path, &mut self.archive.open(reader, self.entry(&path)?)?, &mut hashing)?;
            hashing.finish().0
        };
        if found != sha256 {
            return Err(BundleError::HashMismatch(sha256.to_owned()));
        }
        Ok(())
    }

    /// Opens a readable attachment (under `attachments/`) for streaming;
    /// the caller checks the hash of what it reads.
    pub fn open_attachment<'r, R: Read + Seek>(&self, reader: &'r mut R, sha256: &str) -> Result<impl Read + 'r> {
        self.archive.open(reader, self.entry(&attachment_path(sha256))?)
    }

    fn opening_keys(&self, office_secret: Option<[u8; 32]>) -> Result<PersonalKeys> {
        let secret = office_secret.ok_or(BundleError::OfficeKeyNeeded)?;
        let ephemeral = self.manifest.personal.ephemeral_key.as_deref().and_then(hex::decode32);
        let ephemeral = ephemeral.ok_or_else(|| BundleError::ManifestInvalid("no ephemeral key".into()))?;
        let keys = PersonalKeys::for_opening(secret, ephemeral)?;
        if self.manifest.personal.recipient.as_deref().and_then(hex::decode32) != Some(keys.recipient) {
            return Err(BundleError::DecryptionFailed);
        }
        Ok(keys)
    }

    fn entry(&self, name: &str) -> Result<&Entry> {
        self.archive.entry(name).ok_or_else(|| BundleError::MissingEntry(name.to_owned()))
    }
}

fn read_manifest<R: Read + Seek>(reader: &mut R, archive: &Archive) -> Result<(Vec<u8>, Manifest)> {
    read_manifest_of(reader, archive, FORMAT, FORMAT_VERSION)
}

/// A manifest of the given format and version, in its canonical form only:
/// present, at most [`MAX_MANIFEST_BYTES`], its format, a version not from
/// the future (`future_version`), parsed, and written again the same.
pub(crate) fn read_manifest_of<T: DeserializeOwned + Serialize, R: Read + Seek>(
    reader: &mut R,
    archive: &Archive,
    format: &str,
    version: u64,
) -> Result<(Vec<u8>, T)> {
    let entry = archive.entry(MANIFEST).ok_or_else(|| BundleError::MissingEntry(MANIFEST.to_owned()))?;
    if entry.size > MAX_MANIFEST_BYTES {
        return Err(BundleError::ManifestTooLarge);
    }
    let mut bytes = Vec::with_capacity(entry.size as usize);
    archive.open(reader, entry)?.read_to_end(&mut bytes)?;
    let invalid = |error: serde_json::Error| BundleError::ManifestInvalid(error.to_string());
    let head: ManifestHead = serde_json::from_slice(&bytes).map_err(invalid)?;
    if head.format != format {
        return Err(BundleError::ManifestInvalid(format!("format {:?}", head.format)));
    }
    if head.format_version > version {
        return Err(BundleError::FutureVersion { found: head.format_version, supported: version });
    }
    if head.format_version != version {
        return Err(BundleError::ManifestInvalid(format!("format version {}", head.format_version)));
    }
    let manifest: T = serde_json::from_slice(&bytes).map_err(invalid)?;
    if serde_json::to_vec(&manifest).map_err(invalid)? != bytes {
        return Err(BundleError::ManifestNotCanonical);
    }
    Ok((bytes, manifest))
}

pub(crate) fn check_signature<R: Read + Seek>(
    reader: &mut R,
    archive: &Archive,
    device: &Device,
    manifest_bytes: &[u8],
) -> Result<[u8; 64]> {
    let entry = archive.entry(SIGNATURE).ok_or_else(|| BundleError::MissingEntry(SIGNATURE.to_owned()))?;
    let mut signature = [0u8; 64];
    if entry.size != 64 {
        return Err(BundleError::SignatureInvalid);
    }
    archive.open(reader, entry)?.read_exact(&mut signature)?;
    let public_key = hex::decode32(&device.public_key)
        .filter(|_| device.public_key.bytes().all(|b| !b.is_ascii_uppercase()))
        .ok_or_else(|| BundleError::ManifestInvalid("device public key".into()))?;
    let key = VerifyingKey::from_bytes(&public_key).map_err(|_| BundleError::SignatureInvalid)?;
    key.verify_strict(manifest_bytes, &Signature::from_bytes(&signature)).map_err(|_| BundleError::SignatureInvalid)?;
    if device.id != device_id_of(&public_key) || device.fingerprint != rembug_core::device::fingerprint_of(&public_key)
    {
        return Err(BundleError::DeviceIdMismatch);
    }
    Ok(signature)
}

/// An entry's declared CRC-32 is that of its data: a ZIP tool that checks it
/// agrees with the hashes, and no second form of the archive passes.
pub(crate) fn check_crc(archive: &Archive, name: &str, crc32: u32) -> Result<()> {
    let entry = archive.entry(name).ok_or_else(|| BundleError::MissingEntry(name.to_owned()))?;
    if entry.crc32 != crc32 {
        return Err(BundleError::CrcMismatch(name.to_owned()));
    }
    Ok(())
}

/// The archive holds the listed files in the manifest's order, then the
/// manifest and its signature; the files are meeting.json, the personal
/// part, the readable attachments by hash, then the encrypted ones by number.
fn check_order(archive: &Archive, manifest: &Manifest) -> Result<()> {
    let names: Vec<&str> = archive.entries.iter().map(|entry| entry.name.as_str()).collect();
    let listed: Vec<&str> = manifest.files.iter().map(|file| file.path.as_str()).collect();
    let group = |path: &str| match path {
        MEETING => 0,
        PERSONAL | PERSONAL_ENCRYPTED => 1,
        _ if path.starts_with(ATTACHMENTS_DIR) => 2,
        _ => 3,
    };
    let in_order = names.len() == listed.len() + 2
        && names[..listed.len()] == listed[..]
        && names[listed.len()..] == [MANIFEST, SIGNATURE]
        && listed.windows(2).all(|pair| (group(pair[0]), pair[0]) < (group(pair[1]), pair[1]));
    if in_order { Ok(()) } else { Err(BundleError::EntryOrder) }
}

/// Writes nowhere; keeps the CRC-32 of what passes.
pub(crate) struct Crc32Writer(pub(crate) crc32fast::Hasher);

impl Write for Crc32Writer {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.0.update(buffer);
        Ok(buffer.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The archive holds exactly the manifest, its signature and the files the
/// manifest lists, each of the size it declares and of a known shape.
fn check_entries(archive: &Archive, manifest: &Manifest) -> Result<()> {
    let mut listed = HashSet::new();
    let mut total = 0u64;
    for file in &manifest.files {
        if !listed.insert(file.path.as_str()) || !has_expected_shape(&file.path, file.kind, manifest) {
            return Err(BundleError::ManifestInvalid(format!("file {:?}", file.path)));
        }
        if !is_sha256_hex(&file.sha256) {
            return Err(BundleError::ManifestInvalid(format!("hash of {:?}", file.path)));
        }
        let entry = archive.entry(&file.path).ok_or_else(|| BundleError::MissingEntry(file.path.clone()))?;
        if entry.size != file.size {
            return Err(BundleError::SizeMismatch(file.path.clone()));
        }
        total += file.size;
    }
    for required in [MEETING, if manifest.personal.encrypted { PERSONAL_ENCRYPTED } else { PERSONAL }] {
        if !listed.contains(required) {
            return Err(BundleError::MissingEntry(required.to_owned()));
        }
    }
    if total > archive.file_size {
        return Err(BundleError::SizeMismatch("total".to_owned()));
    }
    for entry in &archive.entries {
        if entry.name != MANIFEST && entry.name != SIGNATURE && !listed.contains(entry.name.as_str()) {
            return Err(BundleError::UnexpectedEntry(entry.name.clone()));
        }
    }
    for file in &manifest.files {
        if let Some(sha256) = file.path.strip_prefix(ATTACHMENTS_DIR)
            && sha256 != file.sha256
        {
            return Err(BundleError::HashMismatch(file.path.clone()));
        }
    }
    Ok(())
}

fn has_expected_shape(path: &str, kind: FileKind, manifest: &Manifest) -> bool {
    let encrypted = manifest.personal.encrypted;
    match kind {
        FileKind::Meeting => path == MEETING,
        FileKind::Personal => path == if encrypted { PERSONAL_ENCRYPTED } else { PERSONAL },
        FileKind::Attachment => path.strip_prefix(ATTACHMENTS_DIR).is_some_and(is_sha256_hex),
        FileKind::PersonalAttachment => {
            encrypted
                && path.strip_prefix(PERSONAL_DIR).and_then(|name| name.strip_suffix(".enc")).is_some_and(|number| {
                    number.len() == 4
                        && number.parse::<usize>().is_ok_and(|n| n >= 1 && personal_attachment_path(n - 1) == path)
                })
        }
    }
}

/// An entry's bytes and what they say, in their canonical form only.
fn read_json<T: DeserializeOwned + Serialize, R: Read + Seek>(
    reader: &mut R,
    archive: &Archive,
    name: &str,
) -> Result<(Vec<u8>, T)> {
    let entry = archive.entry(name).ok_or_else(|| BundleError::MissingEntry(name.to_owned()))?;
    if entry.size > MAX_JSON_BYTES {
        return Err(BundleError::EntryTooLarge(name.to_owned()));
    }
    let mut bytes = Vec::with_capacity(entry.size as usize);
    archive.open(reader, entry)?.read_to_end(&mut bytes)?;
    let value = canonical_json(name, &bytes)?;
    Ok((bytes, value))
}

/// Parses a record and refuses any bytes but the ones its writer gives for
/// it (compact, keys in order, no unknown key, numbers as written): one
/// content, one byte string, one hash.
fn canonical_json<T: DeserializeOwned + Serialize>(name: &str, bytes: &[u8]) -> Result<T> {
    let invalid = |error: serde_json::Error| BundleError::RecordInvalid(format!("{name}: {error}"));
    let value: T = serde_json::from_slice(bytes).map_err(invalid)?;
    if serde_json::to_vec(&value).map_err(invalid)? != bytes {
        return Err(BundleError::RecordNotCanonical(name.to_owned()));
    }
    Ok(value)
}

/// A personal record in format version 1, converted and checked.
fn checked_personal(personal: wire::v1::PersonalRecord, public: &PublicRecord) -> Result<PersonalRecord> {
    refuse_breaches(check_strings(&personal, "personal."))?;
    let personal = PersonalRecord::try_from(personal).map_err(|error| BundleError::RecordInvalid(error.to_string()))?;
    refuse_breaches(check_personal(&personal, public))?;
    Ok(personal)
}

/// The manifest routes by what meeting.json says; they must agree.
fn check_record_matches(manifest: &Manifest, record: &PublicRecord) -> Result<()> {
    let meeting = &record.meeting;
    let content_hash = manifest.files.iter().find(|file| file.path == MEETING).map(|file| file.sha256.as_str());
    let agrees = manifest.meeting_id == meeting.id
        && manifest.revision == meeting.revision
        && Some(manifest.content_hash.as_str()) == content_hash
        && manifest.supersedes.as_ref().map(|s| s.meeting_id.as_str()) == meeting.supersedes_id.as_deref()
        // Checked here, not left to the store's constraints: a refusal with
        // the verifier's code, before anything is stored.
        && manifest.supersedes.as_ref().is_none_or(|s| is_sha256_hex(&s.content_hash))
        && manifest.stage == meeting.stage.as_str()
        && manifest.kelurahan_code == meeting.kelurahan.code
        && manifest.rw == meeting.rw
        && manifest.planning_year == meeting.planning_year
        && Some(manifest.created_at.as_str()) == meeting.locked_at.as_deref();
    if agrees { Ok(()) } else { Err(BundleError::ManifestInvalid("differs from meeting.json".into())) }
}

/// Every attachment the readable records name is in the archive, and the
/// archive holds no attachment they do not name.
fn check_attachments_present(bundle: &VerifiedBundle) -> Result<()> {
    let mut named: HashMap<String, ()> =
        bundle.record.attachments.iter().map(|sha256| (attachment_path(sha256), ())).collect();
    if let Some(personal) = &bundle.personal {
        named.extend(personal.attachments.iter().map(|sha256| (attachment_path(sha256), ())));
    }
    for path in named.keys() {
        if bundle.archive.entry(path).is_none() {
            return Err(BundleError::MissingEntry(path.clone()));
        }
    }
    for file in &bundle.manifest.files {
        if file.kind == FileKind::Attachment && !named.contains_key(&file.path) {
            return Err(BundleError::UnexpectedEntry(file.path.clone()));
        }
    }
    Ok(())
}

fn refuse_breaches(errors: Vec<rembug_core::FieldError>) -> Result<()> {
    if errors.is_empty() { Ok(()) } else { Err(BundleError::MeetingInvalid(errors)) }
}
