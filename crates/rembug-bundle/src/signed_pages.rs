//! Signed-pages bundles (`docs/bundle-format.md`, section 10): the photos of
//! a locked revision's signed papers, taken after the lock, in a small
//! bundle of their own that names the revision by its content hash. The
//! container is the session bundle's canonical ZIP, signed by the same
//! device; the manifest is the record. The daftar hadir's pages are
//! personal: encrypted to the office when its key is known, and never kept
//! by a kelurahan laptop.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Cursor, Read, Seek, Write};
use std::path::{Path, PathBuf};

use rembug_core::atomic::AtomicFile;
use rembug_core::attendance::SHEET_PHOTO_MAX_BYTES;
use rembug_core::device::DeviceIdentity;
use rembug_core::hex;
use rembug_core::signed_pages::{PageKind, SIGNED_PAGES_PER_KIND, SignedPagesImported, SignedPagesOrigin};
use rembug_core::store::Attachment;
use rembug_core::{CoreError, Store};
use serde::{Deserialize, Serialize};

use crate::archive::Archive;
use crate::archive_writer::ArchiveWriter;
use crate::crypto::PersonalKeys;
use crate::digest::{copy_hashing, sha256_hex};
use crate::error::{BundleError, Result};
use crate::format::{
    ATTACHMENTS_DIR, Device, FileKind, MANIFEST, MAX_MANIFEST_BYTES, ManifestHead, PERSONAL_DIR, PersonalPart,
    SIGNATURE, attachment_path, is_sha256_hex, personal_attachment_path,
};
use crate::seal::{CHUNK_BYTES, Payload, Plain, finish_signed, write_payloads};
use crate::verify::{Crc32Writer, check_crc, check_signature, open_bundle, read_manifest_of};
use crate::writeback::EarlyWriteback;

pub const PAGES_FORMAT: &str = "rembug-signed-pages";
pub const PAGES_FORMAT_VERSION: u64 = 1;
const EPHEMERAL_PURPOSE: &str = "rembug-signed-pages-v1 ephemeral";
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_SIGNATURE: &[u8] = b"\xff\xd8\xff";

/// One photographed page, in archive order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFile {
    pub kind: PageKind,
    /// From 1 within its paper.
    pub position: u32,
    pub media_type: String,
    /// `attachments/<sha256>`, or `personal/NNNN.enc` for an encrypted
    /// daftar hadir page.
    pub path: String,
    /// Of the entry's bytes as stored.
    pub sha256: String,
    pub size: u64,
}

/// The manifest of a signed-pages bundle: where it goes and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagesManifest {
    pub format: String,
    pub format_version: u64,
    pub bundle_id: String,
    pub meeting_id: String,
    pub revision: u32,
    /// The `content_hash` of the revision the pages were signed for.
    pub content_hash: String,
    /// The `Kode cetak` printed in the papers' footer, when they were
    /// printed for signing.
    pub print_code: Option<String>,
    pub kelurahan_code: String,
    pub rw: Option<u16>,
    pub planning_year: i32,
    pub device: Device,
    /// When the last of its pages was added (UTC, RFC 3339).
    pub created_at: String,
    pub app_version: String,
    pub personal: PersonalPart,
    pub pages: Vec<PageFile>,
}

/// A signed-pages bundle written to disk.
#[derive(Debug)]
pub struct SealedPages {
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    pub manifest: PagesManifest,
}

/// A signed-pages bundle that passed every check.
#[derive(Debug)]
pub struct VerifiedPages {
    pub manifest: PagesManifest,
    pub sha256: String,
    archive: Archive,
}

/// `<first 16 bytes of SHA-256 of "signed-pages:<content_hash>:<device id>:<page hashes, comma-separated>">`.
pub fn pages_bundle_id(content_hash: &str, device_id: &str, pages: &[PageFile]) -> String {
    let hashes: Vec<&str> = pages.iter().map(|page| page.sha256.as_str()).collect();
    let mut id = sha256_hex(format!("signed-pages:{content_hash}:{device_id}:{}", hashes.join(",")).as_bytes());
    id.truncate(32);
    id
}

/// Seals every signed page of a locked meeting into `out`: the daftar
/// hadir's pages encrypted to `office_key` when one is given. The same
/// pages give the same bytes.
pub fn seal_signed_pages(
    store: &Store,
    device: &DeviceIdentity,
    meeting_id: &str,
    office_key: Option<[u8; 32]>,
    out: &Path,
) -> Result<SealedPages> {
    let frozen = store.frozen_record(meeting_id).map_err(|error| match error {
        CoreError::MeetingNotLocked => BundleError::MeetingNotLocked,
        other => other.into(),
    })?;
    let public = frozen.public()?;
    let meeting = &public.meeting;
    let mut pages = store.signed_pages(meeting_id)?;
    if pages.is_empty() {
        return Err(BundleError::NoSignedPages);
    }
    let personal_hashes: Vec<&str> =
        pages.iter().filter(|page| page.kind.is_personal()).map(|page| page.sha256.as_str()).collect();
    let keys = match office_key {
        Some(recipient) if !personal_hashes.is_empty() => {
            let context = [&recipient[..], sha256_hex(personal_hashes.join("\n").as_bytes()).as_bytes()].concat();
            Some(PersonalKeys::for_sealing(device.derive_secret(EPHEMERAL_PURPOSE, &context), recipient)?)
        }
        _ => None,
    };
    // Archive order: the readable pages by entry name, then the encrypted
    // daftar hadir pages by number (their position).
    let encrypted = keys.is_some();
    pages.sort_by(|a, b| {
        let personal = |page: &rembug_core::signed_pages::SignedPage| encrypted && page.kind.is_personal();
        (personal(a), if personal(a) { String::new() } else { a.sha256.clone() }, a.position).cmp(&(
            personal(b),
            if personal(b) { String::new() } else { b.sha256.clone() },
            b.position,
        ))
    });
    let mut payloads = Vec::with_capacity(pages.len());
    let mut personal_count = 0;
    for page in &pages {
        let file = store.attachment_path(&page.sha256)?;
        let plain = Plain::Stored { sha256: &page.sha256, size: fs::metadata(&file)?.len(), file };
        let (path, kind, page_keys) = if encrypted && page.kind.is_personal() {
            personal_count += 1;
            (personal_attachment_path(personal_count - 1), FileKind::PersonalAttachment, keys.as_ref())
        } else {
            (attachment_path(&page.sha256), FileKind::Attachment, None)
        };
        payloads.push(Payload { path, kind, plain, keys: page_keys });
    }
    let total = payloads.iter().map(|payload| payload.plain.size()).sum();
    let mut no_progress = |_| {};
    let mut reporter = crate::progress::Reporter::new(total, &mut no_progress);
    let temp = AtomicFile::beside(out)?;
    let mut archive = ArchiveWriter::new(BufWriter::with_capacity(CHUNK_BYTES, EarlyWriteback::new(temp.file())));
    let files = write_payloads(&mut archive, &payloads, &mut reporter)?;
    let page_files: Vec<PageFile> = pages
        .iter()
        .zip(files)
        .map(|(page, file)| PageFile {
            kind: page.kind,
            position: page.position,
            media_type: page.media_type.clone(),
            path: file.path,
            sha256: file.sha256,
            size: file.size,
        })
        .collect();
    let device_id = device.device_id();
    let manifest = PagesManifest {
        format: PAGES_FORMAT.to_owned(),
        format_version: PAGES_FORMAT_VERSION,
        bundle_id: pages_bundle_id(&frozen.content_hash, &device_id, &page_files),
        meeting_id: meeting.id.clone(),
        revision: meeting.revision,
        content_hash: frozen.content_hash.clone(),
        print_code: store.signed_print_code(meeting_id)?,
        kelurahan_code: meeting.kelurahan.code.clone(),
        rw: meeting.rw,
        planning_year: meeting.planning_year,
        device: Device {
            id: device_id,
            public_key: hex::encode(&device.public_key()),
            fingerprint: device.fingerprint(),
        },
        created_at: pages.iter().map(|page| page.added_at.clone()).max().unwrap_or_default(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        personal: PersonalPart {
            encrypted,
            recipient: keys.as_ref().map(|keys| hex::encode(&keys.recipient)),
            ephemeral_key: keys.as_ref().map(|keys| hex::encode(&keys.ephemeral_public)),
        },
        pages: page_files,
    };
    let (sha256, size) = finish_signed(archive, &manifest, device)?;
    temp.commit(out)?;
    Ok(SealedPages { path: out.to_owned(), sha256, size, manifest })
}

/// Whether the file at `path` is a signed-pages bundle rather than a
/// session bundle: its archive's manifest says so. Nothing is verified.
pub fn is_signed_pages_file(path: &Path) -> Result<bool> {
    let mut file = BufReader::new(open_bundle(path)?);
    let archive = Archive::read(&mut file)?;
    let Some(entry) = archive.entry(MANIFEST).filter(|entry| entry.size <= MAX_MANIFEST_BYTES) else {
        return Ok(false);
    };
    let mut bytes = Vec::new();
    archive.open(&mut file, entry)?.read_to_end(&mut bytes)?;
    Ok(serde_json::from_slice::<ManifestHead>(&bytes).is_ok_and(|head| head.format == PAGES_FORMAT))
}

/// Verifies a signed-pages bundle file and hashes it whole.
pub fn verify_signed_pages_file(path: &Path) -> Result<VerifiedPages> {
    let mut file = BufReader::new(open_bundle(path)?);
    Archive::read(&mut file)?;
    file.rewind()?;
    let (sha256, _) = copy_hashing(&mut file, &mut std::io::sink())?;
    let (manifest, archive) = verify_pages(&mut file)?;
    Ok(VerifiedPages { manifest, sha256, archive })
}

/// The checks of section 10, in order: the archive, the manifest's format,
/// version and canonical form, the signature and device, the bundle id,
/// each page's shape and place, every entry's size, hash and CRC-32, and
/// the first bytes of each readable photo.
fn verify_pages<R: Read + Seek>(reader: &mut R) -> Result<(PagesManifest, Archive)> {
    let archive = Archive::read(reader)?;
    let (bytes, manifest): (_, PagesManifest) = read_manifest_of(reader, &archive, PAGES_FORMAT, PAGES_FORMAT_VERSION)?;
    let signature = check_signature(reader, &archive, &manifest.device, &bytes)?;
    for (name, data) in [(MANIFEST, &bytes[..]), (SIGNATURE, &signature[..])] {
        check_crc(&archive, name, crc32fast::hash(data))?;
    }
    if manifest.bundle_id != pages_bundle_id(&manifest.content_hash, &manifest.device.id, &manifest.pages) {
        return Err(BundleError::BundleIdMismatch);
    }
    check_routing(&manifest)?;
    check_page_shapes(&manifest)?;
    let names: Vec<&str> = archive.entries.iter().map(|entry| entry.name.as_str()).collect();
    let listed: Vec<&str> = manifest.pages.iter().map(|page| page.path.as_str()).collect();
    for entry in &archive.entries {
        if entry.name != MANIFEST && entry.name != SIGNATURE && !listed.contains(&entry.name.as_str()) {
            return Err(BundleError::UnexpectedEntry(entry.name.clone()));
        }
    }
    for page in &manifest.pages {
        let entry = archive.entry(&page.path).ok_or_else(|| BundleError::MissingEntry(page.path.clone()))?;
        if entry.size != page.size {
            return Err(BundleError::SizeMismatch(page.path.clone()));
        }
    }
    let in_order = names.len() == listed.len() + 2
        && names[..listed.len()] == listed[..]
        && names[listed.len()..] == [MANIFEST, SIGNATURE]
        && listed.windows(2).all(|pair| {
            let group = |path: &str| path.starts_with(PERSONAL_DIR);
            (group(pair[0]), pair[0]) < (group(pair[1]), pair[1])
        });
    if !in_order {
        return Err(BundleError::EntryOrder);
    }
    for page in &manifest.pages {
        let entry = archive.entry(&page.path).expect("every page was found in the archive");
        let mut crc = Crc32Writer(crc32fast::Hasher::new());
        let mut head = Vec::with_capacity(8);
        let mut source = archive.open(reader, entry)?;
        (&mut source).take(8).read_to_end(&mut head)?;
        let (sha256, _) = copy_hashing(&mut Cursor::new(&head).chain(source), &mut crc)?;
        if sha256 != page.sha256 {
            return Err(BundleError::HashMismatch(page.path.clone()));
        }
        check_crc(&archive, &page.path, crc.0.finalize())?;
        let magic = if page.media_type == "image/png" { PNG_SIGNATURE } else { JPEG_SIGNATURE };
        if page.path.starts_with(ATTACHMENTS_DIR) && !head.starts_with(magic) {
            return Err(BundleError::PageInvalid(format!("{} is no {}", page.path, page.media_type)));
        }
    }
    Ok((manifest, archive))
}

/// The routing fields are well formed (the revision they name is the
/// receiver's to find).
fn check_routing(manifest: &PagesManifest) -> Result<()> {
    let id_ok = !manifest.meeting_id.is_empty()
        && manifest.meeting_id.len() <= 64
        && manifest.meeting_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let code_ok = manifest.print_code.as_deref().is_none_or(|code| {
        code.len() == rembug_core::signing::SIGNING_CODE_LEN
            && code.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
    });
    let personal = &manifest.personal;
    let keys_ok = if personal.encrypted {
        [&personal.recipient, &personal.ephemeral_key]
            .iter()
            .all(|key| key.as_deref().and_then(hex::decode32).is_some_and(|_| key.as_deref().is_some_and(is_lower_hex)))
    } else {
        personal.recipient.is_none() && personal.ephemeral_key.is_none()
    };
    let ok = id_ok
        && manifest.revision >= 1
        && is_sha256_hex(&manifest.content_hash)
        && code_ok
        && has_shape(&manifest.kelurahan_code, "00.00.00.0000")
        && manifest.rw.is_none_or(|rw| (1..=999).contains(&rw))
        && (2000..=2100).contains(&manifest.planning_year)
        && has_shape(&manifest.created_at, "0000-00-00T00:00:00Z")
        && manifest.app_version.len() <= 64
        && manifest.app_version.bytes().all(|b| b.is_ascii_graphic())
        && keys_ok;
    if ok { Ok(()) } else { Err(BundleError::ManifestInvalid("routing fields".into())) }
}

/// Digits where `pattern` has `0`, the same byte elsewhere.
fn has_shape(text: &str, pattern: &str) -> bool {
    text.len() == pattern.len()
        && text.bytes().zip(pattern.bytes()).all(|(b, p)| if p == b'0' { b.is_ascii_digit() } else { b == p })
}

fn is_lower_hex(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// At least one page; each paper's pages numbered 1, 2, … in order; a
/// photo's media type JPEG or PNG and its size within the photo limit;
/// the daftar hadir under `personal/` exactly when encrypted, numbered in
/// order, every other page under `attachments/<its hash>`.
fn check_page_shapes(manifest: &PagesManifest) -> Result<()> {
    let invalid = |why: String| Err(BundleError::PageInvalid(why));
    if manifest.pages.is_empty() {
        return invalid("no page".into());
    }
    let mut personal_seen = 0;
    let mut kinds: Vec<(PageKind, u32)> = manifest.pages.iter().map(|page| (page.kind, page.position)).collect();
    kinds.sort();
    for (index, (kind, position)) in kinds.iter().enumerate() {
        let expected = if index > 0 && kinds[index - 1].0 == *kind { kinds[index - 1].1 + 1 } else { 1 };
        if *position != expected || *position > SIGNED_PAGES_PER_KIND {
            return invalid(format!("{} page {position}", kind.as_str()));
        }
    }
    for page in &manifest.pages {
        if !is_sha256_hex(&page.sha256) {
            return Err(BundleError::ManifestInvalid(format!("hash of {:?}", page.path)));
        }
        if page.media_type != "image/jpeg" && page.media_type != "image/png" {
            return invalid(format!("media type {:?}", page.media_type));
        }
        let encrypted_page = manifest.personal.encrypted && page.kind.is_personal();
        // Encryption adds 16 bytes per 64 KiB chunk.
        let limit = if encrypted_page {
            SHEET_PHOTO_MAX_BYTES + SHEET_PHOTO_MAX_BYTES / 4096 + 16
        } else {
            SHEET_PHOTO_MAX_BYTES
        };
        if page.size > limit {
            return Err(BundleError::EntryTooLarge(page.path.clone()));
        }
        let path_ok = if encrypted_page {
            personal_seen += 1;
            page.path == personal_attachment_path(personal_seen - 1)
        } else {
            page.path.strip_prefix(ATTACHMENTS_DIR) == Some(page.sha256.as_str())
        };
        if !path_ok {
            return Err(BundleError::ManifestInvalid(format!("file {:?}", page.path)));
        }
    }
    Ok(())
}

impl VerifiedPages {
    /// Streams the plain bytes of a page into `target`; an encrypted daftar
    /// hadir page needs the office's secret key.
    pub fn read_page<R: Read + Seek>(
        &self,
        reader: &mut R,
        page: &PageFile,
        office_secret: Option<[u8; 32]>,
        target: &mut impl Write,
    ) -> Result<String> {
        let entry = self.archive.entry(&page.path).ok_or_else(|| BundleError::MissingEntry(page.path.clone()))?;
        let mut source = self.archive.open(reader, entry)?;
        if !page.path.starts_with(PERSONAL_DIR) {
            return Ok(copy_hashing(&mut source, target)?.0);
        }
        let secret = office_secret.ok_or(BundleError::OfficeKeyNeeded)?;
        let personal = &self.manifest.personal;
        let ephemeral = personal.ephemeral_key.as_deref().and_then(hex::decode32);
        let keys = PersonalKeys::for_opening(secret, ephemeral.ok_or(BundleError::DecryptionFailed)?)?;
        if personal.recipient.as_deref().and_then(hex::decode32) != Some(keys.recipient) {
            return Err(BundleError::DecryptionFailed);
        }
        let mut hashing = crate::digest::HashingWriter::new(target);
        keys.decrypt(&page.path, &mut source, &mut hashing)?;
        Ok(hashing.finish().0)
    }
}

/// Verifies a signed-pages bundle and keeps its public pages beside the
/// imported revision they belong to (`Store::store_imported_signed_pages`):
/// the photos' files first, each hashed again as written, then their rows
/// in one transaction; on a refusal the files it wrote are removed.
pub fn import_signed_pages_file(store: &Store, path: &Path) -> Result<SignedPagesImported> {
    let verified = verify_signed_pages_file(path)?;
    let manifest = &verified.manifest;
    let origin = SignedPagesOrigin {
        bundle_sha256: verified.sha256.clone(),
        content_hash: manifest.content_hash.clone(),
        meeting_id: manifest.meeting_id.clone(),
        revision: manifest.revision,
        device_id: manifest.device.id.clone(),
    };
    let personal_skipped = manifest.pages.iter().filter(|page| page.kind.is_personal()).count() as u32;
    let mut created = Vec::new();
    let stored = write_public_pages(store, &verified, path, &mut created)
        .and_then(|pages| Ok(store.store_imported_signed_pages(&origin, &pages, personal_skipped)?));
    if stored.is_err() {
        store.remove_unrecorded_files(&created)?;
    }
    stored
}

fn write_public_pages(
    store: &Store,
    verified: &VerifiedPages,
    path: &Path,
    created: &mut Vec<String>,
) -> Result<Vec<(PageKind, u32, Attachment)>> {
    let mut reader = BufReader::new(open_bundle(path)?);
    let mut pages = Vec::new();
    for page in verified.manifest.pages.iter().filter(|page| !page.kind.is_personal()) {
        let entry = verified.archive.entry(&page.path).ok_or_else(|| BundleError::MissingEntry(page.path.clone()))?;
        let (attachment, new) =
            store.write_attachment_file(&mut verified.archive.open(&mut reader, entry)?, &page.media_type)?;
        if new {
            created.push(attachment.sha256.clone());
        }
        if attachment.sha256 != page.sha256 {
            return Err(BundleError::HashMismatch(page.path.clone()));
        }
        pages.push((page.kind, page.position, attachment));
    }
    Ok(pages)
}

/// Opens a signed-pages bundle file for reading its pages after
/// [`verify_signed_pages_file`].
pub fn open_pages_file(path: &Path) -> Result<BufReader<File>> {
    Ok(BufReader::new(open_bundle(path)?))
}
