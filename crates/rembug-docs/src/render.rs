//! Typst as a library: one engine per process with the templates compiled
//! into the binary and only the embedded fonts (no system fonts, no network,
//! no file system). The meeting reaches Typst as JSON bytes and signature
//! PNGs as bytes in `sys.inputs`, never as markup.

use std::sync::OnceLock;

use typst::foundations::{Bytes, Dict, IntoValue};
use typst_as_lib::TypstEngine;
use typst_as_lib::typst_kit_options::TypstKitFontOptions;
use typst_layout::PagedDocument;

use crate::error::DocsError;
use crate::model::{DocumentData, Signatures};

/// Every template, by the name the others import it with.
const TEMPLATES: [(&str, &str); 5] = [
    ("common.typ", include_str!("../templates/common.typ")),
    ("berita-acara.typ", include_str!("../templates/berita-acara.typ")),
    ("daftar-hadir.typ", include_str!("../templates/daftar-hadir.typ")),
    ("usulan.typ", include_str!("../templates/usulan.typ")),
    ("notulen.typ", include_str!("../templates/notulen.typ")),
];

fn engine() -> &'static TypstEngine {
    static ENGINE: OnceLock<TypstEngine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .with_static_source_file_resolver(TEMPLATES)
            .search_fonts_with(TypstKitFontOptions::new().include_system_fonts(false).include_embedded_fonts(true))
            .build()
    })
}

/// Lays out `template` with `data` and answers the PDF's bytes.
pub fn pdf(template: &str, data: &DocumentData, signatures: Signatures) -> Result<Vec<u8>, DocsError> {
    let json = serde_json::to_vec(data).map_err(|error| DocsError::Layout(error.to_string()))?;
    let mut signature_inputs = Dict::new();
    for (hash, png) in signatures {
        signature_inputs.insert(hash.as_str().into(), Bytes::new(png).into_value());
    }
    let mut inputs = Dict::new();
    inputs.insert("data".into(), Bytes::new(json).into_value());
    inputs.insert("signatures".into(), signature_inputs.into_value());

    let document: PagedDocument =
        engine().compile_with_input(template, inputs).output.map_err(|error| DocsError::Layout(error.to_string()))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|diagnostics| {
        DocsError::Pdf(diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("; "))
    })
}
