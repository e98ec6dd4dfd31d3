use serde::Serialize;
use ts_rs::TS;

/// One refused field: `field` names the input field, `code` is a stable key the
/// UI translates (`error.field.<code>`), never a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str) -> Self {
        Self { field: field.to_owned(), code: code.to_owned() }
    }
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
    #[error("wilayah CSV line {line}: {reason}")]
    WilayahCsv { line: usize, reason: String },
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
}

impl CoreError {
    /// A stable code the UI and the CLI translate; it never changes with wording.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Validation(_) => "validation",
            CoreError::NotFound { .. } => "not_found",
            CoreError::MeetingLocked => "meeting_locked",
            CoreError::SchemaTooNew { .. } => "schema_too_new",
            CoreError::DataDirInUse => "data_dir_in_use",
            CoreError::WilayahCsv { .. } => "wilayah_csv",
            CoreError::Database(_) => "database",
            CoreError::Io(_) => "io",
            CoreError::Corrupt(_) => "corrupt",
            CoreError::DemoNeedsEmptyStore => "demo_needs_empty_store",
            CoreError::NotReadyToLock(_) => "not_ready_to_lock",
            CoreError::MeetingNotLocked => "meeting_not_locked",
            CoreError::AlreadyRevised => "already_revised",
            CoreError::AlreadyCheckedIn => "already_checked_in",
            CoreError::KelurahanMeetingExists { .. } => "kelurahan_meeting_exists",
            CoreError::NoRwResults => "no_rw_results",
            CoreError::BackupInvalid => "backup_invalid",
            CoreError::BackupDamaged { .. } => "backup_damaged",
            CoreError::BackupForeign => "backup_foreign",
            CoreError::BackupTooNew => "backup_too_new",
        }
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
