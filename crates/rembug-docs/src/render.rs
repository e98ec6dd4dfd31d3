//! Typst as a library: one engine per process with the templates compiled
//! into the binary and only the embedded fonts (no system fonts, no network,
//! no file system). The meeting reaches Typst as JSON bytes and signature
//! PNGs as bytes in `sys.inputs`, never as markup.

use std::sync::OnceLock;

use typst::foundations::{Bytes, Dict, IntoValue};
use typst::utils::Scalar;
use typst_as_lib::TypstEngine;
use typst_as_lib::typst_kit_options::TypstKitFontOptions;
use typst_layout::PagedDocument;
use typst_render::RenderOptions;

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
    let document = layout(template, data, signatures)?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|diagnostics| {
        DocsError::Pdf(diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("; "))
    })
}

/// Lays out `template` with `data` and answers each page as a PNG at
/// `pixels_per_point`: the same layout as the PDF, for a preview on screen.
pub fn png_pages(
    template: &str,
    data: &DocumentData,
    signatures: Signatures,
    pixels_per_point: f32,
) -> Result<Vec<Vec<u8>>, DocsError> {
    let document = layout(template, data, signatures)?;
    let options = RenderOptions { pixel_per_pt: Scalar::new(f64::from(pixels_per_point)), ..RenderOptions::default() };
    document
        .pages()
        .iter()
        .map(|page| {
            typst_render::render(page, &options).encode_png().map_err(|error| DocsError::Pdf(error.to_string()))
        })
        .collect()
}

fn layout(template: &str, data: &DocumentData, signatures: Signatures) -> Result<PagedDocument, DocsError> {
    let json = serde_json::to_vec(data).map_err(|error| DocsError::Layout(error.to_string()))?;
    let mut signature_inputs = Dict::new();
    for (hash, png) in signatures {
        signature_inputs.insert(hash.as_str().into(), Bytes::new(png).into_value());
    }
    let mut inputs = Dict::new();
    inputs.insert("data".into(), Bytes::new(json).into_value());
    inputs.insert("signatures".into(), signature_inputs.into_value());

    engine().compile_with_input(template, inputs).output.map_err(|error| DocsError::Layout(error.to_string()))
}
