//! Typst as a library: one engine per process with the templates compiled
//! into the binary and only the embedded fonts (no system fonts, no network,
//! no file system). The meeting reaches Typst as JSON bytes, and images
//! (signature PNGs, the tanda terima's QR code as SVG) as bytes in
//! `sys.inputs`, never as markup.

use std::sync::OnceLock;

use serde::Serialize;
use typst::foundations::{Bytes, Dict, IntoValue};
use typst::utils::Scalar;
use typst_as_lib::TypstEngine;
use typst_as_lib::typst_kit_options::TypstKitFontOptions;
use typst_layout::PagedDocument;
use typst_render::RenderOptions;

use crate::error::DocsError;
use crate::model::Signatures;

/// Every template, by the name the others import it with.
const TEMPLATES: [(&str, &str); 7] = [
    ("common.typ", include_str!("../templates/common.typ")),
    ("berita-acara.typ", include_str!("../templates/berita-acara.typ")),
    ("daftar-hadir.typ", include_str!("../templates/daftar-hadir.typ")),
    ("usulan.typ", include_str!("../templates/usulan.typ")),
    ("notulen.typ", include_str!("../templates/notulen.typ")),
    ("tanda-terima.typ", include_str!("../templates/tanda-terima.typ")),
    ("rekap.typ", include_str!("../templates/rekap.typ")),
];

/// What a template reads from `sys.inputs` beside its `data`: bytes by name.
#[derive(Default)]
pub struct Inputs(Dict);

impl Inputs {
    /// The drawn signatures by hash, as `sys.inputs.signatures`.
    pub fn signatures(signatures: Signatures) -> Inputs {
        let mut by_hash = Dict::new();
        for (hash, png) in signatures {
            by_hash.insert(hash.as_str().into(), Bytes::new(png).into_value());
        }
        let mut inputs = Dict::new();
        inputs.insert("signatures".into(), by_hash.into_value());
        Inputs(inputs)
    }

    /// One file's bytes as `sys.inputs.<name>`.
    pub fn bytes(name: &str, bytes: Vec<u8>) -> Inputs {
        Inputs::default().with(name, bytes)
    }

    /// These inputs and one file's bytes as `sys.inputs.<name>`.
    pub fn with(self, name: &str, bytes: Vec<u8>) -> Inputs {
        let Inputs(mut inputs) = self;
        inputs.insert(name.into(), Bytes::new(bytes).into_value());
        Inputs(inputs)
    }
}

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
pub fn pdf(template: &str, data: &impl Serialize, inputs: Inputs) -> Result<Vec<u8>, DocsError> {
    let document = layout(template, data, inputs)?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|diagnostics| {
        DocsError::Pdf(diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("; "))
    })
}

/// Lays out `template` with `data` and answers each page as a PNG at
/// `pixels_per_point`: the same layout as the PDF, for a preview on screen.
pub fn png_pages(
    template: &str,
    data: &impl Serialize,
    inputs: Inputs,
    pixels_per_point: f32,
) -> Result<Vec<Vec<u8>>, DocsError> {
    let document = layout(template, data, inputs)?;
    let options = RenderOptions { pixel_per_pt: Scalar::new(f64::from(pixels_per_point)), ..RenderOptions::default() };
    document
        .pages()
        .iter()
        .map(|page| {
            typst_render::render(page, &options).encode_png().map_err(|error| DocsError::Pdf(error.to_string()))
        })
        .collect()
}

fn layout(template: &str, data: &impl Serialize, inputs: Inputs) -> Result<PagedDocument, DocsError> {
    let json = serde_json::to_vec(data).map_err(|error| DocsError::Layout(error.to_string()))?;
    let Inputs(mut inputs) = inputs;
    inputs.insert("data".into(), Bytes::new(json).into_value());

    engine().compile_with_input(template, inputs).output.map_err(|error| DocsError::Layout(error.to_string()))
}
