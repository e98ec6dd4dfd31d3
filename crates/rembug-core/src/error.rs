use std::fmt;

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};
use ts_rs::TS;

/// Why a field was refused: a stable key the UI translates
/// (`error.field.<code>`), never a sentence. Every code any crate puts in a
/// `FieldError` is listed here, so the UI's catalogue test sees them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS, IntoStaticStr, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FieldCode {
    // What the core's forms, parsers and store refuse.
    AgeGroupUnknown,
    AmountInvalid,
    AmountNegative,
    AmountNotWhole,
    AmountTooLarge,
    BidangUnknown,
    CoordinatesIncomplete,
    CoordinatesOutsideIndonesia,
    CriteriaCountInvalid,
    CriterionDuplicate,
    DateInvalid,
    DateOutOfRange,
    DelegateDuplicate,
    DelegateNotAttendee,
    DelegatesRangeInvalid,
    FileTooLarge,
    GenderUnknown,
    HandsOutOfRange,
    ImageInvalid,
    ImageTypeUnsupported,
    IsDelegate,
    KelurahanUnknown,
    KotaCodeInvalid,
    ManualOrderInvalid,
    NipInvalid,
    NoAttendees,
    NoDelegates,
    NoPimpinan,
    NoUsulan,
    NumberInvalid,
    NumberNegative,
    NumberOutOfRange,
    NumberTooLarge,
    OfficeKeyInvalid,
    OpdDuplicate,
    PageDuplicate,
    PagesFull,
    PhoneInvalid,
    PhoneLength,
    PhotoDimensionsTooLarge,
    PhotoFormatUnsupported,
    PhotoTooLarge,
    PhotoUnreadable,
    PositionOutOfRange,
    ProposerConflict,
    ProposerNotAttendee,
    Required,
    RtListInvalid,
    RtOutOfRange,
    RwCountOutOfRange,
    RwOutOfRange,
    ScoreOutOfRange,
    SignatureNotPng,
    SignerDuplicate,
    SignerUnknown,
    SignersEmpty,
    SipdPhotosFull,
    StageUnknown,
    TextInvalid,
    TimeInvalid,
    TooLong,
    TooManyPhotos,
    UnsurCountInvalid,
    UnsurDuplicate,
    UsulanNotCarryable,
    VolumeInvalid,
    VolumeNegative,
    VolumeTooLarge,
    WeightOutOfRange,
    YearInvalid,
    YearOutOfRange,
    // What rembug-bundle's validator finds wrong in a received record,
    // which carries the core's field errors beside its own.
    AttachmentInvalid,
    CountsInconsistent,
    DelegateCountInvalid,
    IdInvalid,
    KelurahanCodeInvalid,
    MeetingMismatch,
    MeetingNotLocked,
    MustBeNull,
    OfficeSecretInvalid,
    OriginInvalid,
    PhotoInvalid,
    PositionInvalid,
    RankInvalid,
    RevisionInvalid,
    ScoreInvalid,
    TimezoneMismatch,
}

impl FieldCode {
    /// The string it is sent as.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl fmt::Display for FieldCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Lets the CLI's scripts and the tests compare a code with the text sent.
impl PartialEq<&str> for FieldCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One refused field: `field` names the input field, `code` says why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
}

impl FieldError {
    pub fn new(field: &str, code: FieldCode) -> Self {
        Self { field: field.to_owned(), code }
    }
}

/// The code of each `CoreError`, as the UI and the CLI receive it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, IntoStaticStr, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    NotFound,
    MeetingLocked,
    SchemaTooNew,
    DataDirInUse,
    WilayahCsv,
    Database,
    Io,
    Corrupt,
    DemoNeedsEmptyStore,
    NotReadyToLock,
    MeetingNotLocked,
    AlreadyRevised,
    AlreadyCheckedIn,
    KelurahanMeetingExists,
    NoRwResults,
    BackupInvalid,
    BackupDamaged,
    BackupForeign,
    BackupTooNew,
    SchemaTooOld,
    OfficeDocumentInvalid,
    PracticeNotSent,
    SignedPagesRevisionUnknown,
    SignedPagesOtherDevice,
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("input refused: {0:?}")]
    Validation(Vec<FieldError>),
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    #[error("meeting is locked and cannot be edited")]
    MeetingLocked,
    #[error("database schema version {found} is newer than this app supports ({supported})")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("the data folder is already in use by another Rembug window")]
    DataDirInUse,
    #[error("wilayah CSV line {line}: {problem}")]
    WilayahCsv { line: usize, problem: crate::wilayah::WilayahProblem },
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    #[error("demo data can only fill a data folder that has no meetings yet")]
    DemoNeedsEmptyStore,
    /// What a meeting still lacks before it can be locked, one entry each.
    #[error("the meeting is not ready to be locked: {0:?}")]
    NotReadyToLock(Vec<FieldError>),
    #[error("only a locked meeting can be corrected with a new revision")]
    MeetingNotLocked,
    #[error("this revision has already been corrected by a newer one")]
    AlreadyRevised,
    #[error("this person is already on the meeting's attendance list")]
    AlreadyCheckedIn,
    #[error("a Musrenbang Kelurahan for this kelurahan and year already exists: {meeting_id}")]
    KelurahanMeetingExists { meeting_id: String },
    #[error("no RW of this kelurahan has a Rembug Warga result for this year yet")]
    NoRwResults,
    #[error("this folder is not a Rembug backup, or its manifest cannot be read")]
    BackupInvalid,
    #[error("the backup is damaged: {file} does not match its manifest")]
    BackupDamaged { file: String },
    #[error("the backup's device key is not the device its manifest names")]
    BackupForeign,
    #[error("the backup was made by a newer version of Rembug")]
    BackupTooNew,
    /// A read-only open never migrates: the app upgrades the data first.
    #[error("database schema version {found} is older than this app's ({supported}); open the Rembug app first")]
    SchemaTooOld { found: i64, supported: i64 },
    /// A receipt, roster or enrollment file that is malformed or not signed
    /// by the office's key.
    #[error("this {document} is not a valid document signed by the office")]
    OfficeDocumentInvalid { document: &'static str },
    /// The practice folder's demo meetings never go to the office: a
    /// device is not enrolled while practising.
    #[error("practice data is never sent to the office")]
    PracticeNotSent,
    /// Signed pages for a revision this laptop has not imported: its
    /// session bundle is imported first.
    #[error("the meeting revision these signed pages belong to has not been imported")]
    SignedPagesRevisionUnknown,
    /// Signed pages sealed by another device than the revision they name.
    #[error("these signed pages were sealed by another device than their meeting revision")]
    SignedPagesOtherDevice,
}

impl CoreError {
    /// A stable code the UI and the CLI translate; it never changes with wording.
    pub fn code(&self) -> &'static str {
        let code = match self {
            CoreError::Validation(_) => ErrorCode::Validation,
            CoreError::NotFound { .. } => ErrorCode::NotFound,
            CoreError::MeetingLocked => ErrorCode::MeetingLocked,
            CoreError::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            CoreError::DataDirInUse => ErrorCode::DataDirInUse,
            CoreError::WilayahCsv { .. } => ErrorCode::WilayahCsv,
            CoreError::Database(_) => ErrorCode::Database,
            CoreError::Io(_) => ErrorCode::Io,
            CoreError::Corrupt(_) => ErrorCode::Corrupt,
            CoreError::DemoNeedsEmptyStore => ErrorCode::DemoNeedsEmptyStore,
            CoreError::NotReadyToLock(_) => ErrorCode::NotReadyToLock,
            CoreError::MeetingNotLocked => ErrorCode::MeetingNotLocked,
            CoreError::AlreadyRevised => ErrorCode::AlreadyRevised,
            CoreError::AlreadyCheckedIn => ErrorCode::AlreadyCheckedIn,
            CoreError::KelurahanMeetingExists { .. } => ErrorCode::KelurahanMeetingExists,
            CoreError::NoRwResults => ErrorCode::NoRwResults,
            CoreError::BackupInvalid => ErrorCode::BackupInvalid,
            CoreError::BackupDamaged { .. } => ErrorCode::BackupDamaged,
            CoreError::BackupForeign => ErrorCode::BackupForeign,
            CoreError::BackupTooNew => ErrorCode::BackupTooNew,
            CoreError::SchemaTooOld { .. } => ErrorCode::SchemaTooOld,
            CoreError::OfficeDocumentInvalid { .. } => ErrorCode::OfficeDocumentInvalid,
            CoreError::PracticeNotSent => ErrorCode::PracticeNotSent,
            CoreError::SignedPagesRevisionUnknown => ErrorCode::SignedPagesRevisionUnknown,
            CoreError::SignedPagesOtherDevice => ErrorCode::SignedPagesOtherDevice,
        };
        code.into()
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            CoreError::Validation(errors) | CoreError::NotReadyToLock(errors) => errors,
            _ => &[],
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

/// What the UI receives when a command fails: a stable code it translates and,
/// for refused input, the fields to mark. Never a Rust debug string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ErrorReply {
    pub code: String,
    pub fields: Vec<FieldError>,
}

impl From<&CoreError> for ErrorReply {
    fn from(error: &CoreError) -> Self {
        ErrorReply { code: error.code().to_owned(), fields: error.field_errors().to_vec() }
    }
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use super::*;

    /// The IPC JSON carries the same strings as `code()` and the catalogue.
    #[test]
    fn codes_serialize_as_their_strings() {
        for code in FieldCode::iter() {
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{code}\""));
        }
        for code in ErrorCode::iter() {
            let text: &str = code.into();
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{text}\""));
        }
        let reply =
            ErrorReply::from(&CoreError::Validation(vec![FieldError::new("rt_list", FieldCode::RtListInvalid)]));
        assert_eq!(
            serde_json::to_string(&reply).unwrap(),
            r#"{"code":"validation","fields":[{"field":"rt_list","code":"rt_list_invalid"}]}"#
        );
    }
}
