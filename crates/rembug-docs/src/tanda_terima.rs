//! The tanda terima: the city office's receipt of one bundle, on one A4 page,
//! with a QR code of the receipt itself so anyone can check the paper against
//! the office's signature. It is made from what the receipt says and the
//! meeting it is for, not from a stored meeting's record, so the app (once
//! its outbox keeps receipts) and the office can both print it.

use chrono::{DateTime, NaiveDate};
use qrcodegen::{QrCode, QrCodeEcc};
use rembug_core::meeting::{Meeting, Stage};
use rembug_core::outbox::OutboxState;
use rembug_core::settings::StageNames;
use rembug_core::tanggal::instant_in;
use rembug_core::text::area_number_text;
use rembug_core::trust::Receipt;
use rembug_core::{CoreError, Store};
use serde::Serialize;

use crate::error::DocsError;
use crate::format::{meeting_title, stage_name};
use crate::render;
use crate::terbilang::{date_in_words, long_date, short_date};

const TEMPLATE: &str = "tanda-terima.typ";

/// Blank modules around the QR code, as its standard asks, so a phone finds
/// it whatever is printed beside it.
const QR_QUIET_ZONE: i32 = 4;

/// What a tanda terima shows, in plain values: the office, the meeting, the
/// bundle and the receipt as the office signed it.
#[derive(Debug, Clone, PartialEq)]
pub struct TandaTerima {
    /// "Bappelitbangda Kota Cimahi".
    pub office_name: String,
    /// "Cimahi": where the receipt is dated.
    pub office_city: String,
    /// The meeting the bundle holds, as recorded (`Store::get_meeting`, or
    /// the meeting of a verified bundle's record).
    pub meeting: Meeting,
    /// The city's own names for the stages (the settings'); the usual names
    /// where they give none.
    pub stage_names: StageNames,
    pub bundle_id: String,
    /// The bundle file's SHA-256, lower-case hex.
    pub sha256: String,
    /// When the office received the bundle: UTC, RFC 3339.
    pub received_at_utc: String,
    /// The fingerprint of the office key that signed the receipt.
    pub office_key_id: String,
    /// The receipt as the office sent it (its JSON, signature included):
    /// what the QR code holds.
    pub receipt_text: String,
}

/// The tanda terima as a one-page A4 PDF.
pub fn render_tanda_terima(receipt: &TandaTerima) -> Result<Vec<u8>, DocsError> {
    let data = TandaTerimaData::new(receipt)?;
    render::pdf(TEMPLATE, &data, render::Inputs::bytes("qr", qr_svg(&receipt.receipt_text)?.into_bytes()))
}

/// The same page as PNG at `pixels_per_point`, for the app's preview.
pub(crate) fn preview_tanda_terima(receipt: &TandaTerima, pixels_per_point: f32) -> Result<Vec<Vec<u8>>, DocsError> {
    let data = TandaTerimaData::new(receipt)?;
    let qr = render::Inputs::bytes("qr", qr_svg(&receipt.receipt_text)?.into_bytes());
    render::png_pages(TEMPLATE, &data, qr, pixels_per_point)
}

/// The tanda terima of a meeting this device delivered, from its outbox
/// entry's receipt (checked against the office's key when it arrived) and
/// the enrolled office's name; `not_found` while the meeting has no
/// receipt, or when the device is now enrolled with another office than
/// the one that signed it.
pub(crate) fn stored_tanda_terima(store: &Store, meeting_id: &str) -> Result<TandaTerima, DocsError> {
    let meeting = store.get_meeting(meeting_id)?;
    let not_found = || DocsError::Core(CoreError::NotFound { entity: "receipt" });
    let entry = store.outbox_entry(meeting_id)?.ok_or_else(not_found)?;
    let signed = entry.receipt.filter(|_| entry.state == OutboxState::Delivered).ok_or_else(not_found)?;
    let receipt: Receipt = serde_json::from_str(&signed.body)
        .map_err(|_| DocsError::Corrupt(format!("the receipt of meeting {meeting_id} is unreadable")))?;
    let office =
        store.enrollment()?.map(|enrollment| enrollment.office).filter(|office| office.key_id == receipt.office_key_id);
    let office = office.ok_or_else(not_found)?;
    Ok(TandaTerima {
        office_name: office.name,
        office_city: office.city,
        meeting,
        stage_names: store.settings()?.recording.stage_names,
        bundle_id: receipt.bundle_id,
        sha256: receipt.sha256,
        received_at_utc: receipt.received_at,
        office_key_id: receipt.office_key_id,
        receipt_text: serde_json::to_string(&signed).expect("a signed envelope serializes"),
    })
}

/// What the template lays out.
#[derive(Debug, Serialize)]
struct TandaTerimaData {
    /// A receipt is never a draft (`common.typ`'s page asks).
    draft: bool,
    /// The office's name, in capitals, as the kop.
    kop: Vec<String>,
    kop_address: Option<String>,
    /// Always false: the office's receipt draws no logo.
    kop_logo: bool,
    /// Always none: a receipt is not signed in the hall.
    signing_code: Option<String>,
    office_name: String,
    office_city: String,
    meeting: MeetingLine,
    bundle_id: String,
    /// The SHA-256 in four groups of eight hex digits per line.
    sha256_lines: Vec<String>,
    /// "Senin, 7 Desember 2026 pukul 10.15 WIB": in the meeting's own zone.
    received_at: String,
    /// "7 Desember 2026", beside the office's city under the text.
    received_date: String,
    /// The office key's id, grouped like the SHA-256.
    office_key_lines: Vec<String>,
}

#[derive(Debug, Serialize)]
struct MeetingLine {
    /// "Rembug Warga RW 05 Kelurahan Melong".
    title: String,
    stage: String,
    /// "RW 05, Kelurahan Melong" or "Kelurahan Melong".
    wilayah: String,
    kecamatan: String,
    planning_year: i32,
    revision: u32,
    /// "Rabu, 8 November 2023".
    date_long: String,
    /// "hari Rabu tanggal delapan bulan November tahun dua ribu dua puluh tiga".
    date_words: String,
}

impl TandaTerimaData {
    fn new(receipt: &TandaTerima) -> Result<TandaTerimaData, DocsError> {
        let meeting = &receipt.meeting;
        let date = NaiveDate::parse_from_str(&meeting.date, "%Y-%m-%d")
            .map_err(|_| DocsError::Corrupt(format!("meeting {} has an unreadable date", meeting.id)))?;
        let received = DateTime::parse_from_rfc3339(&receipt.received_at_utc)
            .map_err(|_| DocsError::Corrupt(format!("a receipt's time {:?} is not RFC 3339", receipt.received_at_utc)))?
            .with_timezone(&meeting.timezone.offset());
        let stage = stage_name(meeting.stage, &receipt.stage_names);
        let kelurahan = &meeting.kelurahan.name;
        Ok(TandaTerimaData {
            draft: false,
            kop: vec![receipt.office_name.to_uppercase()],
            kop_address: None,
            kop_logo: false,
            signing_code: None,
            office_name: receipt.office_name.clone(),
            office_city: receipt.office_city.clone(),
            meeting: MeetingLine {
                title: meeting_title(&stage, meeting),
                wilayah: match (meeting.stage, meeting.rw) {
                    (Stage::RembugWarga, Some(rw)) => format!("RW {}, Kelurahan {kelurahan}", area_number_text(rw)),
                    _ => format!("Kelurahan {kelurahan}"),
                },
                stage,
                kecamatan: meeting.kelurahan.kecamatan_name.clone(),
                planning_year: meeting.planning_year,
                revision: meeting.revision,
                date_long: long_date(date),
                date_words: date_in_words(date),
            },
            bundle_id: receipt.bundle_id.clone(),
            sha256_lines: hex_lines(&receipt.sha256),
            received_at: instant_in(meeting.timezone, &receipt.received_at_utc),
            received_date: short_date(received.date_naive()),
            office_key_lines: hex_lines(&receipt.office_key_id),
        })
    }
}

/// A long hex string in lines of four groups of eight digits, easy to read
/// aloud and to compare: a SHA-256 is two such lines.
fn hex_lines(hex: &str) -> Vec<String> {
    let groups: Vec<&str> = hex.as_bytes().chunks(8).map(|group| std::str::from_utf8(group).unwrap_or("?")).collect();
    groups.chunks(4).map(|line| line.join(" ")).collect()
}

/// The QR code of `text` as an SVG image: one square per dark module (each
/// row's runs joined), on white with its quiet zone, so the PDF holds it as
/// sharp vector shapes at any print size.
fn qr_svg(text: &str) -> Result<String, DocsError> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium)
        .map_err(|_| DocsError::Layout(format!("a receipt of {} bytes is too long for a QR code", text.len())))?;
    let size = qr.size();
    let side = size + 2 * QR_QUIET_ZONE;
    let mut path = String::new();
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && qr.get_module(x, y) {
                x += 1;
            }
            let run = x - start;
            path.push_str(&format!("M{} {}h{run}v1h-{run}z", start + QR_QUIET_ZONE, y + QR_QUIET_ZONE));
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sha256_reads_as_two_lines_of_four_groups() {
        let sha = "0123456789abcdef".repeat(4);
        assert_eq!(hex_lines(&sha), ["01234567 89abcdef 01234567 89abcdef", "01234567 89abcdef 01234567 89abcdef"]);
    }
}
