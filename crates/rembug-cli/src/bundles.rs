//! `export`, `verify`, `import` and `imported`: sealing a locked meeting
//! into a bundle, checking one, storing another device's meeting read-only
//! (with the `rembug-bundle` crate doing every check), and listing the
//! bundles stored so.

use std::path::Path;

use rembug_bundle::{BundleError, VerifiedFile, verify_file};
use rembug_core::device::{DeviceIdentity, office_key};
use rembug_core::imported::{Correction, DeviceTrust, ImportedMeeting};
use rembug_core::text::area_number_text;
use rembug_core::{DataDir, Store};
use serde::Serialize;

use crate::commands::{print, print_json};
use crate::error::CliError;
use crate::table;

/// Seals a locked meeting; without an office key only with
/// `--tanpa-enkripsi` (`allow_unencrypted`), checked before anything is
/// written.
pub fn export(dir: &Path, meeting_id: &str, out: &Path, allow_unencrypted: bool) -> Result<(), CliError> {
    let data_dir = DataDir::open(dir)?;
    let store = data_dir.open_store()?;
    let device = DeviceIdentity::load_or_create(data_dir.path())?;
    let office = rembug_bundle::sealing_key(office_key(data_dir.path())?, allow_unencrypted)?;
    let sealed = rembug_bundle::seal(&store, &device, meeting_id, office, out)?;
    let protection = if sealed.manifest.personal.encrypted {
        "daftar hadir dan tanda tangan terenkripsi untuk kantor kota"
    } else {
        "TIDAK terenkripsi (--tanpa-enkripsi): kunci kantor kota belum diatur"
    };
    print(&format!("{}\nSHA-256: {}\nData pribadi: {protection}\n", sealed.path.display(), sealed.sha256))
}

/// What `verify --json` prints: a stable contract for scripts.
#[derive(Serialize)]
struct VerifyJson<'a> {
    ok: bool,
    sha256: &'a str,
    size: u64,
    format_version: u64,
    bundle_id: &'a str,
    meeting_id: &'a str,
    revision: u32,
    stage: &'a str,
    kelurahan_code: &'a str,
    rw: Option<u16>,
    planning_year: i32,
    device_fingerprint: &'a str,
    personal_encrypted: bool,
    usulan: usize,
    attendees: u32,
}

#[derive(Serialize)]
struct RefusalJson<'a> {
    ok: bool,
    code: &'a str,
    message: String,
    fields: &'a [rembug_core::FieldError],
}

pub fn verify(file: &Path, json: bool) -> Result<(), CliError> {
    match verify_file(file) {
        Ok(verified) if json => print_json(&summary(&verified)),
        Ok(verified) => print(&describe(&verified)),
        Err(error) if json && !matches!(error, BundleError::Io(_)) => {
            print_json(&RefusalJson {
                ok: false,
                code: error.code(),
                message: error.to_string(),
                fields: error.field_errors(),
            })?;
            Err(CliError::Bundle(error))
        }
        Err(error) => Err(error.into()),
    }
}

fn summary(verified: &VerifiedFile) -> VerifyJson<'_> {
    let manifest = &verified.bundle.manifest;
    VerifyJson {
        ok: true,
        sha256: &verified.sha256,
        size: verified.size,
        format_version: manifest.format_version,
        bundle_id: &manifest.bundle_id,
        meeting_id: &manifest.meeting_id,
        revision: manifest.revision,
        stage: &manifest.stage,
        kelurahan_code: &manifest.kelurahan_code,
        rw: manifest.rw,
        planning_year: manifest.planning_year,
        device_fingerprint: &manifest.device.fingerprint,
        personal_encrypted: manifest.personal.encrypted,
        usulan: verified.bundle.record.usulan.len(),
        attendees: verified.bundle.record.counts.total,
    }
}

fn describe(verified: &VerifiedFile) -> String {
    let summary = summary(verified);
    let meeting = &verified.bundle.record.meeting;
    let rw = summary.rw.map(|rw| format!(" RW {}", area_number_text(rw))).unwrap_or_default();
    format!(
        "Bundel sah.\n\
         Musyawarah: {} {}{rw}, {} (revisi {})\n\
         Perangkat: {}\n\
         {} usulan, {} hadir; data pribadi {}\n\
         SHA-256: {}\n",
        meeting.kelurahan.name,
        meeting.date,
        meeting.id,
        summary.revision,
        summary.device_fingerprint,
        summary.usulan,
        summary.attendees,
        if summary.personal_encrypted { "terenkripsi" } else { "tidak terenkripsi" },
        summary.sha256,
    )
}

pub fn import(dir: &Path, file: &Path) -> Result<(), CliError> {
    let data_dir = DataDir::open(dir)?;
    let store = data_dir.open_store()?;
    let report = rembug_bundle::import_any_file(&store, file)?;
    let said = match (&report.signed_pages, report.already_imported) {
        (Some(pages), false) => format!(
            "Foto lembar bertanda tangan diimpor: {} foto baru ({} foto daftar hadir tidak disimpan).",
            pages.added, pages.personal_skipped
        ),
        (Some(_), true) => "Foto lembar bertanda tangan ini sudah pernah diimpor; tidak ada yang berubah.".to_owned(),
        (None, false) => "Bundel diimpor.".to_owned(),
        (None, true) => "Bundel ini sudah pernah diimpor; tidak ada yang berubah.".to_owned(),
    };
    print(&format!("{said}\n{}", describe_imported(&report.meeting)))
}

fn describe_imported(meeting: &ImportedMeeting) -> String {
    let rw = meeting.rw.map(|rw| format!(" RW {}", area_number_text(rw))).unwrap_or_default();
    let corrects = meeting
        .supersedes_content_hash
        .as_ref()
        .map(|older| format!("Mengoreksi revisi sebelumnya (isi {older})\n"))
        .unwrap_or_default();
    let superseded = meeting
        .superseded_by
        .as_ref()
        .map(|newer| format!("Sudah dikoreksi oleh revisi yang lebih baru (bundel {newer})\n"))
        .unwrap_or_default();
    format!(
        "Musyawarah: {}{rw}, {} (revisi {})\n\
         Perangkat asal: {}\n\
         {corrects}{superseded}SHA-256: {}\n",
        meeting.kelurahan_name, meeting.date, meeting.revision, meeting.device_fingerprint, meeting.bundle_sha256,
    )
}

/// One bundle in `imported --json`: the CLI's own contract for scripts, kept
/// apart from the app's `ImportedMeeting` so either can change on its own.
#[derive(Serialize)]
struct ImportedJson<'a> {
    bundle_id: String,
    bundle_sha256: &'a str,
    /// SHA-256 of its meeting.json: what the revision says.
    content_hash: &'a str,
    meeting_id: &'a str,
    revision: u32,
    /// The content hash of the revision it corrects, if any.
    supersedes_content_hash: Option<&'a str>,
    /// The bundle of an imported newer revision that corrects it, if any.
    superseded_by: Option<&'a str>,
    stage: &'static str,
    kelurahan_code: &'a str,
    kelurahan_name: &'a str,
    rw: Option<u16>,
    planning_year: i32,
    date: &'a str,
    device_id: &'a str,
    device_fingerprint: &'a str,
    personal_encrypted: bool,
    /// UTC, RFC 3339.
    imported_at: &'a str,
    /// What the office's roster says of its device: `registered`,
    /// `unknown`, `other_rw` or `revoked`.
    trust: DeviceTrust,
    /// When the cadre confirmed a result from an unregistered device.
    confirmed_at: Option<&'a str>,
    /// For a revision above 1: whether it replaces the one it names.
    correction: Option<&'a Correction>,
    /// Whether consolidation merges it (unless a newer revision replaces it).
    counts: bool,
}

impl<'a> From<&'a ImportedMeeting> for ImportedJson<'a> {
    fn from(m: &'a ImportedMeeting) -> Self {
        ImportedJson {
            bundle_id: rembug_bundle::format::bundle_id(&m.content_hash, &m.device_id),
            bundle_sha256: &m.bundle_sha256,
            content_hash: &m.content_hash,
            meeting_id: &m.meeting_id,
            revision: m.revision,
            supersedes_content_hash: m.supersedes_content_hash.as_deref(),
            superseded_by: m.superseded_by.as_deref(),
            stage: m.stage.as_str(),
            kelurahan_code: &m.kelurahan_code,
            kelurahan_name: &m.kelurahan_name,
            rw: m.rw,
            planning_year: m.planning_year,
            date: &m.date,
            device_id: &m.device_id,
            device_fingerprint: &m.device_fingerprint,
            personal_encrypted: m.personal_encrypted,
            imported_at: &m.imported_at,
            trust: m.trust.device,
            confirmed_at: m.trust.confirmed_at.as_deref(),
            correction: m.correction.as_ref(),
            counts: m.counts(),
        }
    }
}

/// The bundles this data folder imported, by kelurahan, year, RW and revision.
pub fn imported(store: &Store, json: bool) -> Result<(), CliError> {
    let meetings = store.imported_meetings()?;
    let rows: Vec<ImportedJson<'_>> = meetings.iter().map(ImportedJson::from).collect();
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        return print("Belum ada bundel yang diimpor. Impor dengan: rembug import BERKAS.rembug\n");
    }
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let status = match (row.correction, row.superseded_by) {
                (Some(Correction::Refused { .. }), _) => "koreksi ditolak",
                (_, Some(_)) => "dikoreksi",
                (_, None) => "terbaru",
            };
            let device = match (row.trust, row.confirmed_at) {
                (_, Some(_)) => "dikonfirmasi kader",
                (DeviceTrust::Registered, None) => "terdaftar",
                (DeviceTrust::OtherRw, None) => "terdaftar untuk RW lain",
                (DeviceTrust::Revoked, None) => "dicabut",
                (DeviceTrust::Unknown, None) => "tidak dikenal",
            };
            vec![
                row.kelurahan_code.to_owned(),
                row.kelurahan_name.to_owned(),
                row.rw.map(area_number_text).unwrap_or_else(|| "-".into()),
                row.planning_year.to_string(),
                row.date.to_owned(),
                format!("{} ({status})", row.revision),
                format!("{} ({device})", row.device_fingerprint),
                row.bundle_id.clone(),
                row.bundle_sha256.to_owned(),
                row.imported_at.to_owned(),
            ]
        })
        .collect();
    print(&table::render(
        &[
            "Kode",
            "Kelurahan",
            "RW",
            "Tahun",
            "Tanggal",
            "Revisi",
            "Perangkat",
            "ID bundel",
            "SHA-256",
            "Diimpor (UTC)",
        ],
        &lines,
    ))
}
