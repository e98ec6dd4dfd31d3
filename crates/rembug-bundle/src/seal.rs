//! Sealing a locked meeting into a bundle: deterministic (the same revision
//! gives the same bytes), streamed (attachments pass through in pieces), and
//! written atomically (a temporary file, flushed, then renamed).

use std::fs::{self, File};
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use rembug_core::Store;
use rembug_core::device::{DeviceIdentity, hex};
use rembug_core::meeting::MeetingStatus;
use rembug_core::record::MeetingRecord;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::crypto::PersonalKeys;
use crate::digest::{HashingWriter, copy_hashing, sha256_hex};
use crate::error::{BundleError, Result};
use crate::format::{
    Device, FORMAT, FORMAT_VERSION, FileKind, MANIFEST, MEETING, Manifest, ManifestFile, PERSONAL, PERSONAL_ENCRYPTED,
    PersonalPart, SIGNATURE, Supersedes, attachment_path, personal_attachment_path,
};
use crate::progress::{Reporter, SealProgress};

const EPHEMERAL_PURPOSE: &str = "rembug-bundle-v1 ephemeral";

/// A bundle written to disk.
#[derive(Debug)]
pub struct Sealed {
    pub path: PathBuf,
    /// Of the whole file: the bundle's identity for deduplication.
    pub sha256: String,
    pub size: u64,
    pub manifest: Manifest,
}

/// Seals a locked meeting into `out`, its personal part encrypted to
/// `office_key` when one is given.
pub fn seal(
    store: &Store,
    device: &DeviceIdentity,
    meeting_id: &str,
    office_key: Option<[u8; 32]>,
    out: &Path,
) -> Result<Sealed> {
    seal_with_progress(store, device, meeting_id, office_key, out, &mut |_| {})
}

/// [`seal`], telling `progress` how many payload bytes are sealed: about
/// every MiB, and `done_bytes == total_bytes` once the bundle is on disk.
pub fn seal_with_progress(
    store: &Store,
    device: &DeviceIdentity,
    meeting_id: &str,
    office_key: Option<[u8; 32]>,
    out: &Path,
    progress: &mut dyn FnMut(SealProgress),
) -> Result<Sealed> {
    let record = store.meeting_record(meeting_id)?;
    let meeting = &record.public.meeting;
    let created_at = match (meeting.status, &meeting.locked_at) {
        (MeetingStatus::Locked, Some(locked_at)) => locked_at.clone(),
        _ => return Err(BundleError::MeetingNotLocked),
    };
    let supersedes = match &meeting.supersedes_id {
        Some(previous) => Some(Supersedes {
            meeting_id: previous.clone(),
            content_hash: sha256_hex(&public_json(&store.meeting_record(previous)?)?),
        }),
        None => None,
    };
    let meeting_json = public_json(&record)?;
    let personal_json = to_json(&record.personal)?;
    let keys = office_key
        .map(|recipient| {
            let context = [&recipient[..], sha256_hex(&personal_json).as_bytes()].concat();
            PersonalKeys::for_sealing(device.derive_secret(EPHEMERAL_PURPOSE, &context), recipient)
        })
        .transpose()?;

    let mut readable = record.public.attachments.clone();
    if keys.is_none() {
        readable.extend(record.personal.attachments.iter().cloned());
        readable.sort_unstable();
        readable.dedup();
    }
    let encrypted: &[String] = if keys.is_some() { &record.personal.attachments } else { &[] };
    let mut total = (meeting_json.len() + personal_json.len()) as u64;
    for sha256 in readable.iter().chain(encrypted) {
        total += fs::metadata(store.attachment_path(sha256)?)?.len();
    }
    let mut reporter = Reporter::new(total, progress);

    let temp = TempFile::beside(out)?;
    let mut zip = ZipWriter::new(BufWriter::new(temp.file.try_clone()?));
    let mut files = Vec::new();
    add_bytes(&mut zip, &mut files, MEETING, FileKind::Meeting, &meeting_json)?;
    reporter.advance(meeting_json.len() as u64);
    match &keys {
        None => add_bytes(&mut zip, &mut files, PERSONAL, FileKind::Personal, &personal_json)?,
        Some(keys) => add_written(&mut zip, &mut files, PERSONAL_ENCRYPTED, FileKind::Personal, |target| {
            keys.encrypt(PERSONAL_ENCRYPTED, &mut &personal_json[..], target).map(drop)
        })?,
    }
    reporter.advance(personal_json.len() as u64);
    for sha256 in &readable {
        add_written(&mut zip, &mut files, &attachment_path(sha256), FileKind::Attachment, |target| {
            let mut source = Counted { inner: store.open_attachment(sha256)?, reporter: &mut reporter };
            let (found, _) = copy_hashing(&mut source, target)?;
            check_attachment(sha256, found)
        })?;
    }
    if let Some(keys) = &keys {
        for (index, sha256) in encrypted.iter().enumerate() {
            let path = personal_attachment_path(index);
            add_written(&mut zip, &mut files, &path, FileKind::PersonalAttachment, |target| {
                let mut source = Counted { inner: store.open_attachment(sha256)?, reporter: &mut reporter };
                let mut plain = HashingWriter::new(std::io::sink());
                // Hash the plaintext as it is encrypted, to catch a damaged store.
                let mut tee = TeeReader { inner: &mut source, copy: &mut plain };
                keys.encrypt(&path, &mut tee, target)?;
                check_attachment(sha256, plain.finish().0)
            })?;
        }
    }

    let manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        bundle_id: sha256_hex(format!("{}:{}", sha256_hex(&meeting_json), device.device_id()).as_bytes())[..32]
            .to_owned(),
        meeting_id: meeting.id.clone(),
        revision: meeting.revision,
        content_hash: sha256_hex(&meeting_json),
        supersedes,
        stage: meeting.stage.as_str().to_owned(),
        kelurahan_code: meeting.kelurahan.code.clone(),
        rw: meeting.rw,
        planning_year: meeting.planning_year,
        device: Device {
            id: device.device_id(),
            public_key: hex(&device.public_key()),
            fingerprint: device.fingerprint(),
        },
        created_at,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        personal: PersonalPart {
            encrypted: keys.is_some(),
            recipient: keys.as_ref().map(|keys| hex(&keys.recipient)),
            ephemeral_key: keys.as_ref().map(|keys| hex(&keys.ephemeral_public)),
        },
        files,
    };
    let manifest_json = to_json(&manifest)?;
    start(&mut zip, MANIFEST)?;
    zip.write_all(&manifest_json)?;
    start(&mut zip, SIGNATURE)?;
    zip.write_all(&device.sign(&manifest_json))?;
    let mut writer = zip.finish().map_err(zip_error)?;
    writer.flush()?;
    drop(writer);
    let (sha256, size) = temp.commit(out)?;
    reporter.finish();
    Ok(Sealed { path: out.to_owned(), sha256, size, manifest })
}

/// The bytes of meeting.json for a record.
pub fn public_json(record: &MeetingRecord) -> Result<Vec<u8>> {
    to_json(&record.public)
}

fn to_json(value: &impl serde::Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|error| BundleError::RecordInvalid(error.to_string()))
}

type Zip = ZipWriter<BufWriter<File>>;

/// Stored, dated 1980-01-01 00:00, mode 0644: nothing of the moment or the
/// machine that seals it.
fn start(zip: &mut Zip, name: &str) -> Result<()> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .large_file(false);
    zip.start_file(name, options).map_err(zip_error)
}

fn add_bytes(zip: &mut Zip, files: &mut Vec<ManifestFile>, path: &str, kind: FileKind, bytes: &[u8]) -> Result<()> {
    add_written(zip, files, path, kind, |target| Ok(target.write_all(bytes)?))
}

/// Starts an entry, lets `write` fill it, and lists it with the hash and
/// size of what was written.
fn add_written(
    zip: &mut Zip,
    files: &mut Vec<ManifestFile>,
    path: &str,
    kind: FileKind,
    write: impl FnOnce(&mut HashingWriter<&mut Zip>) -> Result<()>,
) -> Result<()> {
    start(zip, path)?;
    let mut hashing = HashingWriter::new(&mut *zip);
    write(&mut hashing)?;
    let (sha256, size) = hashing.finish();
    files.push(ManifestFile { path: path.to_owned(), kind, sha256, size });
    Ok(())
}

fn check_attachment(expected: &str, found: String) -> Result<()> {
    if found == expected { Ok(()) } else { Err(BundleError::AttachmentCorrupt(expected.to_owned())) }
}

fn zip_error(error: zip::result::ZipError) -> BundleError {
    match error {
        zip::result::ZipError::Io(error) => BundleError::Io(error),
        other => BundleError::Io(std::io::Error::other(other.to_string())),
    }
}

/// Passes reads through and counts them as sealed.
struct Counted<'r, 'a, R> {
    inner: R,
    reporter: &'r mut Reporter<'a>,
}

impl<R: std::io::Read> std::io::Read for Counted<'_, '_, R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.reporter.advance(read as u64);
        Ok(read)
    }
}

/// Passes reads through and copies them to `copy`.
struct TeeReader<'a, R, W> {
    inner: &'a mut R,
    copy: &'a mut W,
}

impl<R: std::io::Read, W: Write> std::io::Read for TeeReader<'_, R, W> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.copy.write_all(&buffer[..read])?;
        Ok(read)
    }
}

/// The bundle while it is written, beside its final name; removed unless
/// committed.
struct TempFile {
    path: PathBuf,
    file: File,
    committed: bool,
}

impl TempFile {
    fn beside(out: &Path) -> Result<TempFile> {
        let name = out.file_name().ok_or_else(|| std::io::Error::other("the bundle path names no file"))?;
        let path = out.with_file_name(format!(".{}.{}.partial", name.to_string_lossy(), uuid::Uuid::now_v7()));
        let file = File::options().read(true).write(true).create_new(true).open(&path)?;
        Ok(TempFile { path, file, committed: false })
    }

    /// Flushes the file to disk, renames it to `out` and answers its SHA-256
    /// and size.
    fn commit(mut self, out: &Path) -> Result<(String, u64)> {
        self.file.sync_all()?;
        self.file.rewind()?;
        let digest = copy_hashing(&mut self.file, &mut std::io::sink())?;
        fs::rename(&self.path, out)?;
        self.committed = true;
        #[cfg(unix)]
        File::open(out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")))?.sync_all()?;
        Ok(digest)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.path);
        }
    }
}
