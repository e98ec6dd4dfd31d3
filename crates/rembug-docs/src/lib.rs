//! Rembug's official documents: the berita acara, daftar hadir, daftar
//! usulan prioritas and notulen of a meeting as print-ready PDF, the tanda
//! terima (the city office's receipt of a bundle), the office's recap of a
//! kecamatan, and XLSX exports for the kelurahan and city office. Never depends on Tauri.
//!
//! The layout lives in Typst templates compiled into the binary; the
//! meeting's text reaches them only as data, so nothing a resident typed can
//! change the document's markup.

mod error;
mod format;
mod model;
mod rekap;
mod render;
mod tanda_terima;
pub mod terbilang;
mod xlsx;

use rembug_core::meeting::MeetingStatus;
use rembug_core::record::MeetingRecord;
use rembug_core::signing::signing_code;
use rembug_core::{CoreError, Store};

pub use error::{DocsError, DocsErrorCode, typescript_declarations};
pub use rekap::{RekapBidang, RekapKecamatan, RekapKelurahan, render_rekap};
pub use rembug_core::atomic::write_atomically;
pub use tanda_terima::{TandaTerima, render_tanda_terima};
pub use xlsx::{kelurahan_year_xlsx, meeting_xlsx};

/// The printed documents of a meeting. The window names one by its slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    BeritaAcara,
    DaftarHadir,
    Usulan,
    Notulen,
    /// The office's receipt of the meeting's bundle, once delivered.
    TandaTerima,
    /// A daftar hadir printed before the meeting: numbered empty rows.
    DaftarHadirKosong,
    /// A daftar hadir printed before the meeting with the RW's residents
    /// from the directory (never their phone numbers), then empty rows for
    /// newcomers: the door's backup when the laptop's battery dies.
    DaftarHadirWarga,
}

impl DocumentKind {
    /// The papers every meeting has, draft or locked.
    pub const MEETING_PAPERS: [DocumentKind; 4] =
        [DocumentKind::BeritaAcara, DocumentKind::DaftarHadir, DocumentKind::Usulan, DocumentKind::Notulen];

    /// The papers signed in the hall, printed for signing before the lock.
    pub const SIGNED_PAPERS: [DocumentKind; 3] =
        [DocumentKind::BeritaAcara, DocumentKind::DaftarHadir, DocumentKind::Usulan];

    /// The meeting's papers, the tanda terima and the daftar hadir to print
    /// before the meeting.
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::BeritaAcara,
        DocumentKind::DaftarHadir,
        DocumentKind::Usulan,
        DocumentKind::Notulen,
        DocumentKind::TandaTerima,
        DocumentKind::DaftarHadirKosong,
        DocumentKind::DaftarHadirWarga,
    ];

    /// The name used on the command line and in file names.
    pub fn slug(self) -> &'static str {
        match self {
            DocumentKind::BeritaAcara => "berita-acara",
            DocumentKind::DaftarHadir => "daftar-hadir",
            DocumentKind::Usulan => "usulan",
            DocumentKind::Notulen => "notulen",
            DocumentKind::TandaTerima => "tanda-terima",
            DocumentKind::DaftarHadirKosong => "daftar-hadir-kosong",
            DocumentKind::DaftarHadirWarga => "daftar-hadir-warga",
        }
    }

    pub fn from_slug(slug: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|kind| kind.slug() == slug)
    }

    /// The template of a meeting's own papers; none for the tanda terima,
    /// which is made from the office's receipt (`tanda_terima.rs`).
    fn template(self) -> Option<&'static str> {
        match self {
            DocumentKind::BeritaAcara => Some("berita-acara.typ"),
            DocumentKind::DaftarHadir | DocumentKind::DaftarHadirKosong | DocumentKind::DaftarHadirWarga => {
                Some("daftar-hadir.typ")
            }
            DocumentKind::Usulan => Some("usulan.typ"),
            DocumentKind::Notulen => Some("notulen.typ"),
            DocumentKind::TandaTerima => None,
        }
    }
}

/// Preview pages are drawn at 1.5 pixels per point: an A4 page is 893 × 1263
/// pixels, sharp on a laptop screen and a few hundred KB as PNG.
const PREVIEW_PIXELS_PER_POINT: f32 = 1.5;

/// The PDF of one document of a meeting, draft or locked; a draft's pages
/// carry a "DRAF" watermark.
/// The tanda terima is the office's receipt of the delivered bundle
/// (`not_found` before it arrives).
pub fn render_pdf(store: &Store, meeting_id: &str, kind: DocumentKind) -> Result<Vec<u8>, DocsError> {
    let Some(template) = kind.template() else {
        return render_tanda_terima(&tanda_terima::stored_tanda_terima(store, meeting_id)?);
    };
    let (data, inputs) = document_data(store, meeting_id, kind)?;
    render::pdf(template, &data, inputs)
}

/// A draft's paper printed for signing in the hall: no "DRAF" watermark,
/// and every page's footer carries the code of the record as printed, which
/// the store remembers so that locking can warn when the record changed
/// since. Only the papers that are signed (berita acara, daftar hadir,
/// daftar usulan) of a draft (`meeting_locked` otherwise: a locked
/// meeting's papers print without the watermark anyway).
pub fn render_for_signing(store: &Store, meeting_id: &str, kind: DocumentKind) -> Result<PrintedForSigning, DocsError> {
    let template =
        kind.template().filter(|_| DocumentKind::SIGNED_PAPERS.contains(&kind)).ok_or(DocsError::NotSigned)?;
    let record = store.meeting_record(meeting_id)?;
    if record.public.meeting.status != MeetingStatus::Draft {
        return Err(CoreError::MeetingLocked.into());
    }
    let code = signing_code(&record)?;
    let (mut data, inputs) = document_inputs(store, &record, kind)?;
    data.draft = false;
    data.signing_code = Some(code.clone());
    let pdf = render::pdf(template, &data, inputs)?;
    store.remember_signing_print(meeting_id, &code)?;
    Ok(PrintedForSigning { pdf, code })
}

/// A paper printed for signing and the code in its footer.
#[derive(Debug)]
pub struct PrintedForSigning {
    pub pdf: Vec<u8>,
    pub code: String,
}

/// The same document's pages as PNG images, for a preview in the app.
pub fn render_preview(store: &Store, meeting_id: &str, kind: DocumentKind) -> Result<Vec<Vec<u8>>, DocsError> {
    let Some(template) = kind.template() else {
        let receipt = tanda_terima::stored_tanda_terima(store, meeting_id)?;
        return tanda_terima::preview_tanda_terima(&receipt, PREVIEW_PIXELS_PER_POINT);
    };
    let (data, inputs) = document_data(store, meeting_id, kind)?;
    render::png_pages(template, &data, inputs, PREVIEW_PIXELS_PER_POINT)
}

/// What a template lays out, and the images it draws: the daftar hadir's
/// signatures, and the kop's logo.
fn document_data(
    store: &Store,
    meeting_id: &str,
    kind: DocumentKind,
) -> Result<(model::DocumentData, render::Inputs), DocsError> {
    document_inputs(store, &store.meeting_record(meeting_id)?, kind)
}

fn document_inputs(
    store: &Store,
    record: &MeetingRecord,
    kind: DocumentKind,
) -> Result<(model::DocumentData, render::Inputs), DocsError> {
    let mut data = model::DocumentData::new(store, record)?;
    let residents = match kind {
        DocumentKind::DaftarHadirKosong => Some(Vec::new()),
        DocumentKind::DaftarHadirWarga => Some(match record.public.meeting.rw {
            Some(rw) => store.rw_residents(&record.public.meeting.kelurahan.code, rw)?,
            None => Vec::new(),
        }),
        _ => None,
    };
    if let Some(residents) = residents {
        data.prepare_before_meeting(&residents);
    }
    let signatures = match kind {
        DocumentKind::DaftarHadir => model::read_signatures(store, record)?,
        _ => model::Signatures::new(),
    };
    let mut inputs = render::Inputs::signatures(signatures);
    if let Some(logo) = model::read_kop_logo(store, &record.public.meeting)? {
        inputs = inputs.with("logo", logo);
    }
    Ok((data, inputs))
}

#[cfg(test)]
mod tests {
    use super::DocumentKind;

    #[test]
    fn the_window_names_each_document_by_its_slug() {
        for kind in DocumentKind::ALL {
            let named: DocumentKind = serde_json::from_value(serde_json::json!(kind.slug())).unwrap();
            assert_eq!(named, kind);
        }
    }
}
