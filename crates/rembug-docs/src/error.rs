//! What can go wrong making a document, with a stable code per kind.

use rembug_core::CoreError;

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
}

impl DocsError {
    pub fn code(&self) -> &'static str {
        match self {
            DocsError::Core(core) => core.code(),
            DocsError::Layout(_) => "document_layout_failed",
            DocsError::Pdf(_) => "document_pdf_failed",
            DocsError::Xlsx(_) => "document_xlsx_failed",
            DocsError::Corrupt(_) => "corrupt",
            DocsError::Io(_) => "io",
        }
    }
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
