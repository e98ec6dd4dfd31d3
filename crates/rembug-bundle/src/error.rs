//! Every reason a bundle is refused, each with a stable code the app, the CLI
//! and the office server report.

use rembug_core::{CoreError, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("not a ZIP archive")]
    NotAZip,
    #[error("the archive is cut short or its parts overlap")]
    Truncated,
    #[error("a ZIP feature bundles never use: {0}")]
    ZipUnsupported(&'static str),
    #[error("entries of the archive share bytes")]
    EntriesOverlap,
    #[error("entry name is not valid: {0:?}")]
    NameInvalid(String),
    #[error("entry name is an absolute path: {0:?}")]
    AbsolutePath(String),
    #[error("entry name climbs out of the bundle: {0:?}")]
    PathTraversal(String),
    #[error("entry appears twice: {0:?}")]
    DuplicateEntry(String),
    #[error("entry is a symbolic link: {0:?}")]
    Symlink(String),
    #[error("entry is not a regular file: {0:?}")]
    NotAFile(String),
    #[error("entry is not listed in the manifest: {0:?}")]
    UnexpectedEntry(String),
    #[error("entry listed in the manifest is missing: {0:?}")]
    MissingEntry(String),
    #[error("entry's size differs from the one declared: {0:?}")]
    SizeMismatch(String),
    #[error("entry is larger than a bundle allows: {0:?}")]
    EntryTooLarge(String),
    #[error("the bundle is larger than allowed")]
    BundleTooLarge,
    #[error("the bundle has more entries than allowed")]
    TooManyEntries,
    #[error("the manifest is larger than allowed")]
    ManifestTooLarge,
    #[error("entry is compressed; bundle entries are stored: {0:?}")]
    CompressionUnsupported(String),
    #[error("entry's compression ratio is that of a zip bomb: {0:?}")]
    ZipBomb(String),
    #[error("entry is encrypted with ZIP encryption: {0:?}")]
    ZipEncrypted(String),
    #[error("bundle format version {found} is newer than this app reads ({supported})")]
    FutureVersion { found: u64, supported: u64 },
    #[error("the manifest is not valid: {0}")]
    ManifestInvalid(String),
    #[error("the device signature over the manifest does not verify")]
    SignatureInvalid,
    #[error("the device id does not belong to the manifest's public key")]
    DeviceIdMismatch,
    #[error("entry's SHA-256 differs from the manifest: {0:?}")]
    HashMismatch(String),
    #[error("the meeting data is not valid: {0}")]
    RecordInvalid(String),
    #[error("the meeting data breaks the domain's rules: {0:?}")]
    MeetingInvalid(Vec<FieldError>),
    #[error("only a locked meeting can be sealed into a bundle")]
    MeetingNotLocked,
    #[error("the personal part is encrypted and no office key was given")]
    OfficeKeyNeeded,
    #[error("the personal part could not be decrypted with this key")]
    DecryptionFailed,
    #[error("the stored attachment {0} does not match its name")]
    AttachmentCorrupt(String),
    #[error("the bundle is not a regular file")]
    BundleNotAFile,
    #[error("the archive has a comment; bundles have none")]
    ArchiveComment,
    #[error("entry's CRC-32 differs from its data: {0:?}")]
    CrcMismatch(String),
    #[error("entries are not in the documented order")]
    EntryOrder,
    #[error("entry name is not printable ASCII: {0:?}")]
    NameNotAscii(String),
    #[error("the bundle id is not derived from the content hash and device")]
    BundleIdMismatch,
    #[error("the manifest is not in its canonical form (compact, keys in order)")]
    ManifestNotCanonical,
    #[error("the JSON of {0} is not in its canonical form (compact, keys in order)")]
    RecordNotCanonical(String),
    #[error("an encrypted file ends in an empty chunk after a full one")]
    EmptyFinalChunk,
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl BundleError {
    /// A stable code; it never changes with wording.
    pub fn code(&self) -> &'static str {
        match self {
            BundleError::NotAZip => "not_a_zip",
            BundleError::Truncated => "truncated",
            BundleError::ZipUnsupported(_) => "zip_unsupported",
            BundleError::EntriesOverlap => "entries_overlap",
            BundleError::NameInvalid(_) => "name_invalid",
            BundleError::AbsolutePath(_) => "absolute_path",
            BundleError::PathTraversal(_) => "path_traversal",
            BundleError::DuplicateEntry(_) => "duplicate_entry",
            BundleError::Symlink(_) => "symlink",
            BundleError::NotAFile(_) => "not_a_file",
            BundleError::UnexpectedEntry(_) => "unexpected_entry",
            BundleError::MissingEntry(_) => "missing_entry",
            BundleError::SizeMismatch(_) => "size_mismatch",
            BundleError::EntryTooLarge(_) => "entry_too_large",
            BundleError::BundleTooLarge => "bundle_too_large",
            BundleError::TooManyEntries => "too_many_entries",
            BundleError::ManifestTooLarge => "manifest_too_large",
            BundleError::CompressionUnsupported(_) => "compression_unsupported",
            BundleError::ZipBomb(_) => "zip_bomb",
            BundleError::ZipEncrypted(_) => "zip_encrypted",
            BundleError::FutureVersion { .. } => "future_version",
            BundleError::ManifestInvalid(_) => "manifest_invalid",
            BundleError::SignatureInvalid => "signature_invalid",
            BundleError::DeviceIdMismatch => "device_id_mismatch",
            BundleError::HashMismatch(_) => "hash_mismatch",
            BundleError::RecordInvalid(_) => "record_invalid",
            BundleError::MeetingInvalid(_) => "meeting_invalid",
            BundleError::MeetingNotLocked => "meeting_not_locked",
            BundleError::OfficeKeyNeeded => "office_key_needed",
            BundleError::DecryptionFailed => "decryption_failed",
            BundleError::AttachmentCorrupt(_) => "attachment_corrupt",
            BundleError::BundleNotAFile => "bundle_not_a_file",
            BundleError::ArchiveComment => "archive_comment",
            BundleError::CrcMismatch(_) => "crc_mismatch",
            BundleError::EntryOrder => "entry_order",
            BundleError::NameNotAscii(_) => "name_not_ascii",
            BundleError::BundleIdMismatch => "bundle_id_mismatch",
            BundleError::ManifestNotCanonical => "manifest_not_canonical",
            BundleError::RecordNotCanonical(_) => "record_not_canonical",
            BundleError::EmptyFinalChunk => "empty_final_chunk",
            BundleError::Io(_) => "io",
            BundleError::Core(error) => error.code(),
        }
    }

    /// The fields of the meeting data that broke a rule, when that is why.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            BundleError::MeetingInvalid(errors) => errors,
            BundleError::Core(error) => error.field_errors(),
            _ => &[],
        }
    }
}

pub type Result<T, E = BundleError> = std::result::Result<T, E>;

impl From<&BundleError> for rembug_core::error::ErrorReply {
    /// The stable code and the fields at fault: what the window translates.
    /// The message itself may name paths and stays out of the reply.
    fn from(error: &BundleError) -> Self {
        rembug_core::error::ErrorReply { code: error.code().to_owned(), fields: error.field_errors().to_vec() }
    }
}
