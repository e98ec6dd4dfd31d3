//! Sealing a locked meeting into a bundle: deterministic (the same revision
//! gives the same bytes), streamed (attachments pass through in pieces), and
//! written atomically (a temporary file, flushed, then renamed).

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rembug_core::atomic::AtomicFile;
use rembug_core::device::DeviceIdentity;
use rembug_core::hex;
use rembug_core::{CoreError, Store};
use sha2::{Digest, Sha256};

use crate::archive_writer::{ArchiveWriter, EntryShape};
use crate::crypto::PersonalKeys;
use crate::digest::{HashingWriter, sha256_hex};
use crate::error::{BundleError, Result};
use crate::format::{
    Device, FORMAT, FORMAT_VERSION, FileKind, MANIFEST, MEETING, Manifest, ManifestFile, PERSONAL, PERSONAL_ENCRYPTED,
    PersonalPart, SIGNATURE, Supersedes, attachment_path, bundle_id, personal_attachment_path,
};
use crate::progress::{Reporter, SealProgress};
use crate::writeback::EarlyWriteback;

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
    let frozen = store.frozen_record(meeting_id).map_err(|error| match error {
        CoreError::MeetingNotLocked => BundleError::MeetingNotLocked,
        other => other.into(),
    })?;
    let (public, personal) = (frozen.public()?, frozen.personal()?);
    let meeting = &public.meeting;
    let created_at = meeting.locked_at.clone().ok_or(BundleError::MeetingNotLocked)?;
    let supersedes = match &meeting.supersedes_id {
        Some(previous) => {
            Some(Supersedes { meeting_id: previous.clone(), content_hash: store.frozen_record(previous)?.content_hash })
        }
        None => None,
    };
    let meeting_json = frozen.meeting_json.as_bytes();
    let personal_json = frozen.personal_json.as_bytes();
    let keys = office_key
        .map(|recipient| {
            let context = [&recipient[..], sha256_hex(personal_json).as_bytes()].concat();
            PersonalKeys::for_sealing(device.derive_secret(EPHEMERAL_PURPOSE, &context), recipient)
        })
        .transpose()?;

    let attachments = Attachments { public: &public.attachments, personal: &personal.attachments };
    let payloads = payloads(store, attachments, meeting_json, personal_json, keys.as_ref())?;
    let mut reporter = Reporter::new(payloads.iter().map(|payload| payload.plain.size()).sum(), progress);

    let temp = AtomicFile::beside(out)?;
    let mut archive = ArchiveWriter::new(BufWriter::with_capacity(CHUNK_BYTES, EarlyWriteback::new(temp.file())));
    let files = write_payloads(&mut archive, &payloads, &mut reporter)?;
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        bundle_id: bundle_id(&frozen.content_hash, &device.device_id()),
        meeting_id: meeting.id.clone(),
        revision: meeting.revision,
        content_hash: frozen.content_hash.clone(),
        supersedes,
        stage: meeting.stage.clone(),
        kelurahan_code: meeting.kelurahan.code.clone(),
        rw: meeting.rw,
        planning_year: meeting.planning_year,
        device: Device {
            id: device.device_id(),
            public_key: hex::encode(&device.public_key()),
            fingerprint: device.fingerprint(),
        },
        created_at,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        personal: PersonalPart {
            encrypted: keys.is_some(),
            recipient: keys.as_ref().map(|keys| hex::encode(&keys.recipient)),
            ephemeral_key: keys.as_ref().map(|keys| hex::encode(&keys.ephemeral_public)),
        },
        files,
    };
    let (sha256, size) = finish_signed(archive, &manifest, device)?;
    temp.commit(out)?;
    reporter.finish();
    Ok(Sealed { path: out.to_owned(), sha256, size, manifest })
}

/// Writes the manifest and the device's signature over its exact bytes as
/// the archive's last two entries, then finishes and flushes the archive;
/// answers the file's SHA-256 and size. The caller then renames it into place.
pub(crate) fn finish_signed<W: Write>(
    mut archive: ArchiveWriter<BufWriter<W>>,
    manifest: &impl serde::Serialize,
    device: &DeviceIdentity,
) -> Result<(String, u64)> {
    let manifest_json = to_json(manifest)?;
    let signature = device.sign(&manifest_json);
    for (name, bytes) in [(MANIFEST, &manifest_json[..]), (SIGNATURE, &signature[..])] {
        archive.entry(name, shape_of(bytes), |data| Ok(data.write_all(bytes)?))?;
    }
    let (writer, sha256, size) = archive.finish()?;
    writer.into_inner().map_err(|error| error.into_error())?;
    Ok((sha256, size))
}

fn to_json(value: &impl serde::Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|error| BundleError::RecordInvalid(error.to_string()))
}

/// Pieces in which attachments are read and written.
pub(crate) const CHUNK_BYTES: usize = 256 * 1024;
/// How many payloads are measured ahead of the one being written.
const MEASURED_AHEAD: usize = 8;

/// One payload entry, and where its bytes come from.
pub(crate) struct Payload<'a> {
    pub(crate) path: String,
    pub(crate) kind: FileKind,
    pub(crate) plain: Plain<'a>,
    /// Present for the personal part of a bundle encrypted to the office.
    pub(crate) keys: Option<&'a PersonalKeys>,
}

pub(crate) enum Plain<'a> {
    Bytes(&'a [u8]),
    /// An attachment in the store, named by the SHA-256 of its bytes.
    Stored {
        sha256: &'a str,
        file: PathBuf,
        size: u64,
    },
}

impl Plain<'_> {
    pub(crate) fn size(&self) -> u64 {
        match self {
            Plain::Bytes(bytes) => bytes.len() as u64,
            Plain::Stored { size, .. } => *size,
        }
    }

    fn open(&self) -> Result<Box<dyn Read + '_>> {
        Ok(match self {
            Plain::Bytes(bytes) => Box::new(*bytes),
            Plain::Stored { file, .. } => Box::new(File::open(file)?),
        })
    }
}

/// The attachments a frozen record names, public and personal, each sorted.
#[derive(Clone, Copy)]
struct Attachments<'a> {
    public: &'a [String],
    personal: &'a [String],
}

/// The payload entries in archive order (`docs/bundle-format.md`, section 1).
fn payloads<'a>(
    store: &Store,
    attachments: Attachments<'a>,
    meeting_json: &'a [u8],
    personal_json: &'a [u8],
    keys: Option<&'a PersonalKeys>,
) -> Result<Vec<Payload<'a>>> {
    let encrypted = keys.is_some();
    let stored = |sha256: &'a String| -> Result<Plain<'a>> {
        store.attachment(sha256)?;
        let file = store.attachment_path(sha256)?;
        Ok(Plain::Stored { sha256, size: fs::metadata(&file)?.len(), file })
    };
    let mut payloads = vec![
        Payload { path: MEETING.to_owned(), kind: FileKind::Meeting, plain: Plain::Bytes(meeting_json), keys: None },
        Payload {
            path: if encrypted { PERSONAL_ENCRYPTED } else { PERSONAL }.to_owned(),
            kind: FileKind::Personal,
            plain: Plain::Bytes(personal_json),
            keys,
        },
    ];
    let mut readable: Vec<&String> = attachments.public.iter().collect();
    if !encrypted {
        readable.extend(attachments.personal);
        readable.sort_unstable();
        readable.dedup();
    }
    for sha256 in readable {
        let plain = stored(sha256)?;
        payloads.push(Payload { path: attachment_path(sha256), kind: FileKind::Attachment, plain, keys: None });
    }
    if encrypted {
        for (index, sha256) in attachments.personal.iter().enumerate() {
            let (path, plain) = (personal_attachment_path(index), stored(sha256)?);
            payloads.push(Payload { path, kind: FileKind::PersonalAttachment, plain, keys });
        }
    }
    Ok(payloads)
}

/// Writes every payload in turn. A ZIP's local header holds the entry's
/// CRC-32 and size before its data, so each payload is produced twice: once
/// to measure it (its SHA-256 for the manifest, which for a stored
/// attachment is also the check of its name), on a second thread running a
/// few payloads ahead, then into the archive, where the whole file is
/// hashed. Each byte is hashed once per pass, and nothing seeks back.
pub(crate) fn write_payloads<W: Write>(
    archive: &mut ArchiveWriter<W>,
    payloads: &[Payload<'_>],
    reporter: &mut Reporter<'_>,
) -> Result<Vec<ManifestFile>> {
    std::thread::scope(|scope| {
        let (sender, measured) = mpsc::sync_channel(MEASURED_AHEAD);
        scope.spawn(move || {
            for payload in payloads {
                let result = measure(payload);
                let failed = result.is_err();
                if sender.send(result).is_err() || failed {
                    break;
                }
            }
        });
        payloads
            .iter()
            .map(|payload| {
                let (sha256, shape) = measured.recv().expect("a payload is measured unless an earlier one failed")?;
                archive.entry(&payload.path, shape, |data| {
                    produce(payload, &mut Counted { inner: payload.plain.open()?, reporter: &mut *reporter }, data)
                })?;
                Ok(ManifestFile { path: payload.path.clone(), kind: payload.kind, sha256, size: shape.size })
            })
            .collect()
    })
}

/// A payload's SHA-256, CRC-32 and size; a stored attachment whose bytes
/// do not match its name is refused.
fn measure(payload: &Payload<'_>) -> Result<(String, EntryShape)> {
    let mut source = payload.plain.open()?;
    let mut measuring = Measuring::new();
    // Unencrypted, the entry's bytes are the plain bytes: one hash serves.
    let plain_sha256 = match payload.keys {
        None => None,
        Some(_) => {
            let mut plain = HashingWriter::new(std::io::sink());
            produce(payload, &mut TeeReader { inner: &mut source, copy: &mut plain }, &mut measuring)?;
            Some(plain.finish().0)
        }
    };
    if plain_sha256.is_none() {
        produce(payload, &mut source, &mut measuring)?;
    }
    let (sha256, shape) = measuring.finish();
    if let Plain::Stored { sha256: name, .. } = payload.plain
        && *plain_sha256.as_ref().unwrap_or(&sha256) != name
    {
        return Err(BundleError::AttachmentCorrupt(name.to_owned()));
    }
    Ok((sha256, shape))
}

/// Writes a payload's entry bytes, from its plain bytes in `source`.
fn produce(payload: &Payload<'_>, source: &mut impl Read, target: &mut impl Write) -> Result<()> {
    match payload.keys {
        Some(keys) => keys.encrypt(&payload.path, source, target).map(drop),
        None => Ok(copy_in_chunks(source, target)?),
    }
}

/// Copies in pieces of [`CHUNK_BYTES`]: a few syscalls per photo, not one
/// per 8 KiB.
fn copy_in_chunks(source: &mut impl Read, target: &mut impl Write) -> std::io::Result<()> {
    let mut buffer = vec![0u8; CHUNK_BYTES];
    loop {
        match source.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(read) => target.write_all(&buffer[..read])?,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
}

fn shape_of(bytes: &[u8]) -> EntryShape {
    EntryShape { crc32: crc32fast::hash(bytes), size: bytes.len() as u64 }
}

/// Takes an entry's bytes without keeping them: its SHA-256, CRC-32 and size.
struct Measuring {
    sha256: Sha256,
    crc32: crc32fast::Hasher,
    size: u64,
}

impl Measuring {
    fn new() -> Self {
        Measuring { sha256: Sha256::new(), crc32: crc32fast::Hasher::new(), size: 0 }
    }

    fn finish(self) -> (String, EntryShape) {
        (hex::encode(&self.sha256.finalize()), EntryShape { crc32: self.crc32.finalize(), size: self.size })
    }
}

impl Write for Measuring {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.sha256.update(buffer);
        self.crc32.update(buffer);
        self.size += buffer.len() as u64;
        Ok(buffer.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Passes reads through and counts them as sealed.
struct Counted<'r, 'a, R> {
    inner: R,
    reporter: &'r mut Reporter<'a>,
}

impl<R: Read> Read for Counted<'_, '_, R> {
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

impl<R: Read, W: Write> Read for TeeReader<'_, R, W> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.copy.write_all(&buffer[..read])?;
        Ok(read)
    }
}
