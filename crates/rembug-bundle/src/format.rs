//! The bundle format, version 1 (`docs/bundle-format.md`): entry names, the
//! manifest, and the limits a reader enforces.

pub use rembug_core::hex::is_sha256_hex;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "rembug-bundle";
pub const FORMAT_VERSION: u64 = 1;
pub const EXTENSION: &str = "rembug";

pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.sig";
pub const MEETING: &str = "meeting.json";
pub const PERSONAL: &str = "personal.json";
pub const PERSONAL_ENCRYPTED: &str = "personal.json.enc";
pub const ATTACHMENTS_DIR: &str = "attachments/";
pub const PERSONAL_DIR: &str = "personal/";

/// More than 100 usulan × 10 photos, 300 signatures and the sheet photos.
pub const MAX_ENTRIES: usize = 4096;
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;
/// meeting.json and personal.json (plain or encrypted).
pub const MAX_JSON_BYTES: u64 = 32 * 1024 * 1024;
/// A photo: the core stores none larger than 40 MB.
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// The whole file; no ZIP64, so every offset fits in 32 bits.
pub const MAX_BUNDLE_BYTES: u64 = u32::MAX as u64;
/// Uncompressed over compressed size beyond which a compressed entry is
/// reported as a zip bomb rather than merely as unsupported.
pub const ZIP_BOMB_RATIO: u64 = 20;

/// What a payload file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// meeting.json: the public record.
    Meeting,
    /// personal.json or personal.json.enc.
    Personal,
    /// attachments/<sha256>: a photo anyone may see, or, in a bundle whose
    /// personal part is not encrypted, a signature or sheet photo.
    Attachment,
    /// personal/<NNNN>.enc: an encrypted signature or sheet photo.
    PersonalAttachment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    pub path: String,
    pub kind: FileKind,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supersedes {
    pub meeting_id: String,
    /// The `content_hash` of the revision this one corrects.
    pub content_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    /// Lower-case hex SHA-256 of the public key.
    pub id: String,
    /// Ed25519, 64 lower-case hex digits.
    pub public_key: String,
    /// `ABCD-EF01-2345-6789`, for people to compare.
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalPart {
    pub encrypted: bool,
    /// The office's X25519 public key it is encrypted to (hex), if encrypted.
    pub recipient: Option<String>,
    /// The sealer's ephemeral X25519 public key (hex), if encrypted.
    pub ephemeral_key: Option<String>,
}

/// Where a bundle goes and what it holds; readable without any key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u64,
    pub bundle_id: String,
    pub meeting_id: String,
    pub revision: u32,
    /// SHA-256 of meeting.json: what this revision says, whoever sealed it.
    pub content_hash: String,
    pub supersedes: Option<Supersedes>,
    pub stage: String,
    pub kelurahan_code: String,
    pub rw: Option<u16>,
    pub planning_year: i32,
    pub device: Device,
    /// The meeting's `locked_at`, UTC RFC 3339: sealing again gives the same.
    pub created_at: String,
    pub app_version: String,
    pub personal: PersonalPart,
    /// In the order of the archive's entries.
    pub files: Vec<ManifestFile>,
}

/// Just enough of a manifest to tell its version, read before the rest so a
/// future format is reported as such rather than as a malformed manifest.
#[derive(Deserialize)]
pub(crate) struct ManifestHead {
    pub format: String,
    pub format_version: u64,
}

/// The entry name of a personal attachment, by its place in the personal
/// record's sorted list of attachments.
pub fn personal_attachment_path(index: usize) -> String {
    format!("{PERSONAL_DIR}{:04}.enc", index + 1)
}

pub fn attachment_path(sha256: &str) -> String {
    format!("{ATTACHMENTS_DIR}{sha256}")
}

/// The first 16 bytes of SHA-256 of `<content_hash>:<device id>`, in hex: the
/// same revision sealed by the same device always has the same id.
pub fn bundle_id(content_hash: &str, device_id: &str) -> String {
    let mut id = crate::digest::sha256_hex(format!("{content_hash}:{device_id}").as_bytes());
    id.truncate(32);
    id
}
