//! What can go wrong making a document, with a stable code per kind.

use rembug_core::CoreError;
use rembug_core::bindings::code_list;
use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A template failed to compile or lay out: a bug in Rembug, never in
    /// the meeting's data, since data reaches Typst only as values.
    #[error("document layout failed: {0}")]
    Layout(String),
    #[error("PDF export failed: {0}")]
    Pdf(String),
    #[error("spreadsheet export failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Only the berita acara, daftar hadir and daftar usulan are printed
    /// for signing.
    #[error("this document is not signed")]
    NotSigned,
}

impl DocsError {
    pub fn code(&self) -> &'static str {
        let code = match self {
            DocsError::Core(core) => return core.code(),
            DocsError::Layout(_) => DocsErrorCode::DocumentLayoutFailed,
            DocsError::Pdf(_) => DocsErrorCode::DocumentPdfFailed,
            DocsError::Xlsx(_) => DocsErrorCode::DocumentXlsxFailed,
            DocsError::Corrupt(_) => DocsErrorCode::Corrupt,
            DocsError::Io(_) => DocsErrorCode::Io,
            DocsError::NotSigned => DocsErrorCode::DocumentNotSigned,
        };
        code.into()
    }
}

/// The code of each error of the documents' own, as the app and the CLI
/// report it (the core's errors keep the core's codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, IntoStaticStr, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DocsErrorCode {
    DocumentLayoutFailed,
    DocumentPdfFailed,
    DocumentXlsxFailed,
    Corrupt,
    Io,
    DocumentNotSigned,
}

/// The TypeScript declarations of the documents' codes, for
/// `ui/src/lib/bindings.ts` (see `rembug_core::bindings`).
pub fn typescript_declarations() -> Vec<String> {
    vec![DocsErrorCode::decl(&ts_rs::Config::new()), code_list::<DocsErrorCode>("DOCUMENT_ERROR_CODES")]
}

impl From<&DocsError> for rembug_core::error::ErrorReply {
    /// The stable code and the fields at fault: what the window translates.
    fn from(error: &DocsError) -> Self {
        let fields = match error {
            DocsError::Core(core) => core.field_errors().to_vec(),
            _ => Vec::new(),
        };
        rembug_core::error::ErrorReply { code: error.code().to_owned(), fields }
    }
}
