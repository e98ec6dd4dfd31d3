//! Every reason a bundle is refused, each with a stable code the app, the CLI
//! and the office server report.

use rembug_core::bindings::code_list;
use rembug_core::{CoreError, FieldError};
use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};
use ts_rs::TS;

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
    #[error("no office key is set and sealing without encryption was not confirmed")]
    UnencryptedNotConfirmed,
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
    #[error("the meeting has no photographed signed page")]
    NoSignedPages,
    #[error("a signed page is not what its manifest says: {0}")]
    PageInvalid(String),
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl BundleError {
    /// A stable code; it never changes with wording.
    pub fn code(&self) -> &'static str {
        let code = match self {
            BundleError::NotAZip => BundleErrorCode::NotAZip,
            BundleError::Truncated => BundleErrorCode::Truncated,
            BundleError::ZipUnsupported(_) => BundleErrorCode::ZipUnsupported,
            BundleError::EntriesOverlap => BundleErrorCode::EntriesOverlap,
            BundleError::NameInvalid(_) => BundleErrorCode::NameInvalid,
            BundleError::AbsolutePath(_) => BundleErrorCode::AbsolutePath,
            BundleError::PathTraversal(_) => BundleErrorCode::PathTraversal,
            BundleError::DuplicateEntry(_) => BundleErrorCode::DuplicateEntry,
            BundleError::Symlink(_) => BundleErrorCode::Symlink,
            BundleError::NotAFile(_) => BundleErrorCode::NotAFile,
            BundleError::UnexpectedEntry(_) => BundleErrorCode::UnexpectedEntry,
            BundleError::MissingEntry(_) => BundleErrorCode::MissingEntry,
            BundleError::SizeMismatch(_) => BundleErrorCode::SizeMismatch,
            BundleError::EntryTooLarge(_) => BundleErrorCode::EntryTooLarge,
            BundleError::BundleTooLarge => BundleErrorCode::BundleTooLarge,
            BundleError::TooManyEntries => BundleErrorCode::TooManyEntries,
            BundleError::ManifestTooLarge => BundleErrorCode::ManifestTooLarge,
            BundleError::CompressionUnsupported(_) => BundleErrorCode::CompressionUnsupported,
            BundleError::ZipBomb(_) => BundleErrorCode::ZipBomb,
            BundleError::ZipEncrypted(_) => BundleErrorCode::ZipEncrypted,
            BundleError::FutureVersion { .. } => BundleErrorCode::FutureVersion,
            BundleError::ManifestInvalid(_) => BundleErrorCode::ManifestInvalid,
            BundleError::SignatureInvalid => BundleErrorCode::SignatureInvalid,
            BundleError::DeviceIdMismatch => BundleErrorCode::DeviceIdMismatch,
            BundleError::HashMismatch(_) => BundleErrorCode::HashMismatch,
            BundleError::RecordInvalid(_) => BundleErrorCode::RecordInvalid,
            BundleError::MeetingInvalid(_) => BundleErrorCode::MeetingInvalid,
            BundleError::MeetingNotLocked => BundleErrorCode::MeetingNotLocked,
            BundleError::OfficeKeyNeeded => BundleErrorCode::OfficeKeyNeeded,
            BundleError::UnencryptedNotConfirmed => BundleErrorCode::UnencryptedNotConfirmed,
            BundleError::DecryptionFailed => BundleErrorCode::DecryptionFailed,
            BundleError::AttachmentCorrupt(_) => BundleErrorCode::AttachmentCorrupt,
            BundleError::BundleNotAFile => BundleErrorCode::BundleNotAFile,
            BundleError::ArchiveComment => BundleErrorCode::ArchiveComment,
            BundleError::CrcMismatch(_) => BundleErrorCode::CrcMismatch,
            BundleError::EntryOrder => BundleErrorCode::EntryOrder,
            BundleError::NameNotAscii(_) => BundleErrorCode::NameNotAscii,
            BundleError::BundleIdMismatch => BundleErrorCode::BundleIdMismatch,
            BundleError::ManifestNotCanonical => BundleErrorCode::ManifestNotCanonical,
            BundleError::RecordNotCanonical(_) => BundleErrorCode::RecordNotCanonical,
            BundleError::EmptyFinalChunk => BundleErrorCode::EmptyFinalChunk,
            BundleError::NoSignedPages => BundleErrorCode::NoSignedPages,
            BundleError::PageInvalid(_) => BundleErrorCode::PageInvalid,
            BundleError::Io(_) => BundleErrorCode::Io,
            BundleError::Core(error) => return error.code(),
        };
        code.into()
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

/// The code of each refusal of the bundle's own, as the app, the CLI and the
/// office server report it (the core's errors keep the core's codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, IntoStaticStr, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum BundleErrorCode {
    NotAZip,
    Truncated,
    ZipUnsupported,
    EntriesOverlap,
    NameInvalid,
    AbsolutePath,
    PathTraversal,
    DuplicateEntry,
    Symlink,
    NotAFile,
    UnexpectedEntry,
    MissingEntry,
    SizeMismatch,
    EntryTooLarge,
    BundleTooLarge,
    TooManyEntries,
    ManifestTooLarge,
    CompressionUnsupported,
    ZipBomb,
    ZipEncrypted,
    FutureVersion,
    ManifestInvalid,
    SignatureInvalid,
    DeviceIdMismatch,
    HashMismatch,
    RecordInvalid,
    MeetingInvalid,
    MeetingNotLocked,
    OfficeKeyNeeded,
    UnencryptedNotConfirmed,
    DecryptionFailed,
    AttachmentCorrupt,
    BundleNotAFile,
    ArchiveComment,
    CrcMismatch,
    EntryOrder,
    NameNotAscii,
    BundleIdMismatch,
    ManifestNotCanonical,
    RecordNotCanonical,
    EmptyFinalChunk,
    NoSignedPages,
    PageInvalid,
    Io,
}

/// The TypeScript declarations of the bundle's codes, for
/// `ui/src/lib/bindings.ts` (see `rembug_core::bindings`).
pub fn typescript_declarations() -> Vec<String> {
    vec![BundleErrorCode::decl(&ts_rs::Config::new()), code_list::<BundleErrorCode>("BUNDLE_ERROR_CODES")]
}

pub type Result<T, E = BundleError> = std::result::Result<T, E>;

impl From<&BundleError> for rembug_core::error::ErrorReply {
    /// The stable code and the fields at fault: what the window translates.
    /// The message itself may name paths and stays out of the reply.
    fn from(error: &BundleError) -> Self {
        rembug_core::error::ErrorReply { code: error.code().to_owned(), fields: error.field_errors().to_vec() }
    }
}
