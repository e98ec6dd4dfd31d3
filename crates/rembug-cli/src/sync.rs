//! Sending to the city office: `enroll` registers this device with the
//! office (online with a code, or from an enrollment file), `sync` delivers
//! every locked meeting not yet delivered and keeps the office's answers,
//! `outbox` lists each locked meeting with where its bundle stands, how far
//! the photos of its signed pages got, and what the office answered (its
//! review, each usulan's outcome). The engine is rembug-sync's.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use rembug_core::DataDir;
use rembug_core::answers::{MeetingReview, UsulanOutcome};
use rembug_core::device::DeviceIdentity;
use rembug_core::outbox::{Enrollment, OutboxItem, OutboxState};
use rembug_core::sending::SendState;
use rembug_core::signed_pages::SignedPagesSending;
use rembug_core::store::AnswersSaved;
use rembug_core::text::area_number_text;
use rembug_core::trust::Scope;
use rembug_sync::enroll::{OfficeKeyChange, enroll_from_file, enroll_online};
use rembug_sync::outbox::{BundleOutcome, Outcome, RoundOptions, in_scope, sync_round};
use serde::Serialize;

use crate::answers::{OutcomeJson, outcome_lines, review_text};
use crate::commands::{open_for_reading, print, print_json};
use crate::error::CliError;
use crate::table;

/// How `enroll` finds its office.
pub enum EnrollFrom<'a> {
    Online { url: &'a str, code: &'a str },
    File(&'a Path),
}

/// The most an enrollment file may weigh: it is one short JSON document.
const ENROLLMENT_FILE_MAX_BYTES: u64 = 64 * 1024;

pub fn enroll(dir: &Path, from: EnrollFrom<'_>, yes: bool) -> Result<(), CliError> {
    let data_dir = DataDir::open(dir)?;
    let store = data_dir.open_store()?;
    let device = Arc::new(DeviceIdentity::load_or_create(data_dir.path())?);
    let mut confirm = |change: &OfficeKeyChange| yes || confirmed(change);
    let enrolled = match from {
        EnrollFrom::Online { url, code } => enroll_online(&store, data_dir.path(), device, url, code, &mut confirm)?,
        EnrollFrom::File(path) => {
            let text = read_small(path)?;
            enroll_from_file(&store, data_dir.path(), &text, &mut confirm)?
        }
    };
    let enrollment = &enrolled.enrollment;
    let completes = if enrollment.pending_code.is_some() {
        "Pendaftaran selesai saat perangkat ini pertama kali terhubung ke kantor (rembug sync).\n"
    } else {
        ""
    };
    print(&format!(
        "Terdaftar di kantor {} ({}).\n\
         Sidik jari kantor: {}\n\
         Cocokkan dengan sidik jari pada slip pendaftaran.\n\
         Cakupan: {}\n\
         Alamat: {}\n{completes}",
        enrollment.office.name,
        enrollment.office.city,
        enrollment.office.fingerprint()?,
        scope_text(&enrollment.scope),
        enrollment.office_url,
    ))
}

fn scope_text(scope: &Scope) -> String {
    match scope.rw {
        Some(rw) => format!("kelurahan {} RW {}", scope.kelurahan_code, area_number_text(rw)),
        None => format!("kelurahan {}", scope.kelurahan_code),
    }
}

fn read_small(path: &Path) -> Result<String, CliError> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(ENROLLMENT_FILE_MAX_BYTES + 1).read_to_string(&mut text))
        .map_err(|error| CliError::Core(error.into()))?;
    if text.len() as u64 > ENROLLMENT_FILE_MAX_BYTES {
        return Err(CliError::Sync(rembug_sync::outbox::SyncError::EnrollmentFileInvalid));
    }
    Ok(text)
}

/// Asks on the terminal; without one there is nobody to ask, so no.
fn confirmed(change: &OfficeKeyChange) -> bool {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return false;
    }
    let mut stderr = std::io::stderr();
    let asked = write!(
        stderr,
        "Kunci kantor akan berganti.\n  sekarang: {}\n  baru:     {}\nBundel berikutnya hanya bisa dibuka kantor yang baru. Lanjutkan? [y/T] ",
        change.current, change.new
    )
    .and_then(|()| stderr.flush());
    let mut answer = String::new();
    asked.is_ok()
        && stdin.lock().read_line(&mut answer).is_ok()
        && matches!(answer.trim(), "y" | "Y" | "ya" | "Ya" | "yes")
}

/// One bundle (or one file of a meeting's signed pages) in `sync --json`:
/// a contract with scripts.
#[derive(Serialize)]
struct SyncedJson<'a> {
    meeting_id: &'a str,
    /// `delivered`, `duplicate` (the office held it already), `waiting` or `refused`.
    result: &'static str,
    /// The refusal's code, for `waiting` and `refused`.
    code: Option<&'a str>,
    sha256: Option<&'a str>,
    received_at: Option<&'a str>,
}

#[derive(Serialize)]
struct SyncJson<'a> {
    office: &'a str,
    office_fingerprint: String,
    bundles: Vec<SyncedJson<'a>>,
    already_delivered: usize,
    /// The office's answers (reviews, usulan outcomes) say something new
    /// since the last sync (`rembug outbox` shows them).
    answers_updated: bool,
    /// The files of signed-page photos tried in this sync, one per meeting,
    /// with the same keys as `bundles`.
    signed_pages: Vec<SyncedJson<'a>>,
}

impl<'a> SyncedJson<'a> {
    fn of(bundle: &'a BundleOutcome) -> Self {
        let (result, code, receipt) = match &bundle.outcome {
            Outcome::Delivered { receipt, new } => (if *new { "delivered" } else { "duplicate" }, None, Some(receipt)),
            Outcome::Waiting { code, .. } => ("waiting", Some(code.as_str()), None),
            Outcome::Refused { code } => ("refused", Some(code.as_str()), None),
        };
        SyncedJson {
            meeting_id: &bundle.meeting_id,
            result,
            code,
            sha256: receipt.map(|receipt| receipt.sha256.as_str()),
            received_at: receipt.map(|receipt| receipt.received_at.as_str()),
        }
    }
}

/// Delivers every locked meeting not yet delivered, then the photos of
/// their signed pages; fails (exit 1) when a meeting could not be, each
/// with its reason (photos not delivered are told, not counted).
pub fn sync(dir: &Path, json: bool) -> Result<(), CliError> {
    let data_dir = DataDir::open(dir)?;
    let store = data_dir.open_store()?;
    let device = Arc::new(DeviceIdentity::load_or_create(data_dir.path())?);
    let options = RoundOptions { force: true, ..RoundOptions::default() };
    let report = sync_round(&store, device, options, &mut |_| {})?;
    let failed = report.outcomes.iter().filter(|bundle| !matches!(bundle.outcome, Outcome::Delivered { .. })).count();
    let answers_updated = matches!(report.answers, Some(AnswersSaved::Stored { changed: true, .. }));
    if json {
        print_json(&SyncJson {
            office: &report.office.name,
            office_fingerprint: report.office.fingerprint()?,
            bundles: report.outcomes.iter().map(SyncedJson::of).collect(),
            already_delivered: report.already_delivered,
            answers_updated,
            signed_pages: report.signed_pages.iter().map(SyncedJson::of).collect(),
        })?;
    } else {
        let mut text = String::new();
        let lines = report.outcomes.iter().map(|bundle| ("", bundle));
        let pages = report.signed_pages.iter().map(|bundle| ("foto lembar bertanda tangan ", bundle));
        for (what, bundle) in lines.chain(pages) {
            // The office's time of receipt, in the meeting's own zone.
            let local = |utc: &str| match store.get_meeting(&bundle.meeting_id) {
                Ok(meeting) => meeting.timezone.local_text(utc),
                Err(_) => utc.to_owned(),
            };
            let line = match &bundle.outcome {
                Outcome::Delivered { receipt, new: true } => {
                    format!("terkirim, diterima {}", local(&receipt.received_at))
                }
                Outcome::Delivered { receipt, new: false } => {
                    format!("sudah ada di kantor, diterima {}", local(&receipt.received_at))
                }
                Outcome::Waiting { code, .. } => format!("belum terkirim: {} ({code})", reason(code)),
                Outcome::Refused { code } => format!("ditolak: {} ({code})", reason(code)),
            };
            text.push_str(&format!("{what}{}: {line}\n", bundle.meeting_id));
        }
        let delivered = report.outcomes.len() - failed;
        text.push_str(&format!(
            "Kantor {}: {delivered} terkirim sekarang, {} sudah terkirim sebelumnya, {failed} belum.\n",
            report.office.name, report.already_delivered
        ));
        if !report.signed_pages.is_empty() {
            let sent = report.signed_pages.iter().filter(|pages| matches!(pages.outcome, Outcome::Delivered { .. }));
            let sent = sent.count();
            text.push_str(&format!(
                "Foto lembar bertanda tangan: {sent} berkas terkirim sekarang, {} belum.\n",
                report.signed_pages.len() - sent
            ));
        }
        if answers_updated {
            text.push_str("Jawaban kantor diperbarui (tinjauan dan hasil usulan): lihat rembug outbox.\n");
        }
        print(&text)?;
    }
    if failed > 0 {
        return Err(CliError::NotAllDelivered(failed));
    }
    Ok(())
}

/// One locked meeting in `outbox --json`.
#[derive(Serialize)]
struct OutboxJson<'a> {
    meeting_id: &'a str,
    kelurahan_code: &'a str,
    rw: Option<u16>,
    revision: u32,
    /// `pending`, `waiting`, `sending`, `delivered` or `refused`.
    state: &'static str,
    sha256: Option<&'a str>,
    size: Option<u64>,
    bytes_acknowledged: u64,
    attempts: u32,
    last_error: Option<&'a str>,
    next_attempt_at: Option<&'a str>,
    delivered_at: Option<&'a str>,
    /// The office's review: `diterima`, `perlu_perbaikan`, `disetujui`,
    /// `ditolak`; none before the office answered.
    review_state: Option<&'static str>,
    /// Perlu perbaikan's note or ditolak's reason.
    review_note: Option<&'a str>,
    /// What became of each usulan that has an outcome (the office's, else
    /// one recorded by hand).
    outcomes: Vec<OutcomeJson<'a>>,
    signed_pages: SignedPagesJson<'a>,
}

/// The photos of a meeting's signed pages in `outbox --json`.
#[derive(Serialize)]
struct SignedPagesJson<'a> {
    /// Photos attached, and how many of them the office acknowledged.
    pages: u32,
    delivered: u32,
    /// The file of all of them: `not_sent` (no photo, or not tried),
    /// `waiting`, `delivered` or `refused`.
    state: SendState,
    attempts: u32,
    last_error: Option<&'a str>,
    next_attempt_at: Option<&'a str>,
    delivered_at: Option<&'a str>,
}

impl<'a> SignedPagesJson<'a> {
    fn of(sending: &'a SignedPagesSending) -> Self {
        SignedPagesJson {
            pages: sending.page_count,
            delivered: sending.delivered_count,
            state: sending.state,
            attempts: sending.attempts,
            last_error: sending.last_error.as_deref(),
            next_attempt_at: sending.next_attempt_at.as_deref(),
            delivered_at: sending.delivered_at.as_deref(),
        }
    }
}

impl<'a> OutboxJson<'a> {
    /// `out_of_scope`: never sent, shown refused as the office would answer.
    fn of(
        item: &'a OutboxItem,
        out_of_scope: bool,
        review: Option<&'a MeetingReview>,
        outcomes: &'a [UsulanOutcome],
        signed_pages: &'a SignedPagesSending,
    ) -> Self {
        let entry = item.entry.as_ref();
        let state = match entry {
            _ if out_of_scope => OutboxState::Refused,
            Some(entry) => entry.state,
            None => OutboxState::Pending,
        };
        OutboxJson {
            meeting_id: &item.meeting.id,
            kelurahan_code: &item.meeting.kelurahan_code,
            rw: item.meeting.rw,
            revision: item.meeting.revision,
            state: state.as_str(),
            sha256: entry.map(|entry| entry.bundle_sha256.as_str()),
            size: entry.map(|entry| entry.bundle_size),
            bytes_acknowledged: entry.map_or(0, |entry| entry.bytes_acknowledged),
            attempts: entry.map_or(0, |entry| entry.attempts),
            last_error: if out_of_scope { Some(OUT_OF_SCOPE) } else { entry.and_then(|e| e.last_error.as_deref()) },
            next_attempt_at: entry.and_then(|entry| entry.next_attempt_at.as_deref()),
            delivered_at: entry.and_then(|entry| entry.delivered_at.as_deref()),
            review_state: review.map(|review| review.state.as_str()),
            review_note: review.and_then(|review| review.note.as_deref()),
            outcomes: outcomes.iter().map(OutcomeJson::of).collect(),
            signed_pages: SignedPagesJson::of(signed_pages),
        }
    }
}

const OUT_OF_SCOPE: &str = "out_of_scope";

/// Each locked meeting and where its bundle stands; read-only, so it works
/// while the app is open. A meeting outside the enrolled scope is never
/// sent (`sync` skips it): it shows as refused.
pub fn outbox(dir: &Path, json: bool) -> Result<(), CliError> {
    let store = open_for_reading(dir)?;
    let items = store.outbox()?;
    let enrollment = store.enrollment()?;
    let out_of_scope = |item: &OutboxItem| {
        item.entry.is_none() && enrollment.as_ref().is_some_and(|enrolled| !in_scope(item, &enrolled.scope))
    };
    let reviews = store.meeting_reviews()?;
    let outcomes = items.iter().map(|item| store.usulan_outcomes(&item.meeting.id)).collect::<Result<Vec<_>, _>>()?;
    let pages = items.iter().map(|item| store.signed_pages_sending(&item.meeting.id)).collect::<Result<Vec<_>, _>>()?;
    if json {
        let rows: Vec<OutboxJson<'_>> = items
            .iter()
            .zip(&outcomes)
            .zip(&pages)
            .map(|((item, outcomes), pages)| {
                OutboxJson::of(item, out_of_scope(item), reviews.get(&item.meeting.id), outcomes, pages)
            })
            .collect();
        return print_json(&rows);
    }
    let enrolled = match &enrollment {
        Some(Enrollment { office, .. }) => format!("Kantor: {} ({})\n", office.name, office.fingerprint()?),
        None => "Perangkat ini belum terdaftar di kantor (rembug enroll).\n".to_owned(),
    };
    if items.is_empty() {
        return print(&format!("{enrolled}Belum ada musyawarah yang dikunci.\n"));
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|item| {
            let state = if out_of_scope(item) {
                format!("ditolak: {} ({OUT_OF_SCOPE})", reason(OUT_OF_SCOPE))
            } else {
                state_text(item)
            };
            vec![
                item.meeting.id.clone(),
                item.meeting.kelurahan_name.clone(),
                item.meeting.rw.map(area_number_text).unwrap_or_else(|| "-".into()),
                item.meeting.revision.to_string(),
                state,
            ]
        })
        .collect();
    let mut text = format!("{enrolled}{}", table::render(&["ID", "Kelurahan", "RW", "Revisi", "Status"], &rows));
    let with_photos: Vec<&SignedPagesSending> = pages.iter().filter(|pages| pages.page_count > 0).collect();
    if !with_photos.is_empty() {
        let count = |state: SendState| with_photos.iter().filter(|pages| pages.state == state).count();
        let waiting = with_photos.len() - count(SendState::Delivered) - count(SendState::Refused);
        text.push_str(&format!(
            "\nFoto lembar bertanda tangan: {waiting} berkas menunggu dikirim, {} terkirim, {} ditolak.\n",
            count(SendState::Delivered),
            count(SendState::Refused)
        ));
    }
    // Below the table, how far each meeting's photos got, and what became
    // of each meeting the office answered or the cadre recorded an outcome for.
    for ((item, outcomes), pages) in items.iter().zip(&outcomes).zip(&pages) {
        let review = reviews.get(&item.meeting.id);
        if review.is_none() && outcomes.is_empty() && pages.page_count == 0 {
            continue;
        }
        text.push_str(&format!("\n{}:\n", item.meeting.id));
        if pages.page_count > 0 {
            text.push_str(&format!("  Foto lembar bertanda tangan: {}\n", pages_text(item, pages)));
        }
        if let Some(review) = review {
            text.push_str(&format!("  Tinjauan kantor: {}\n", review_text(review)));
        }
        text.push_str(&outcome_lines(&store, &item.meeting.id, outcomes)?);
    }
    print(&text)
}

fn state_text(item: &OutboxItem) -> String {
    let Some(entry) = &item.entry else { return "belum dikirim".into() };
    let code = entry.last_error.as_deref().unwrap_or_default();
    match entry.state {
        OutboxState::Pending => "belum dikirim".into(),
        OutboxState::Waiting => format!(
            "menunggu jaringan: {} ({code}); dicoba lagi {}",
            reason(code),
            entry.next_attempt_at.as_deref().unwrap_or("segera")
        ),
        OutboxState::Sending => {
            format!("mengirim ({} dari {} bita)", entry.bytes_acknowledged, entry.bundle_size)
        }
        OutboxState::Delivered => {
            format!("terkirim {}", item.meeting.timezone.local_text(entry.delivered_at.as_deref().unwrap_or_default()))
        }
        OutboxState::Refused => format!("ditolak: {} ({code})", reason(code)),
    }
}

/// How far the photos of a meeting's signed pages got.
fn pages_text(item: &OutboxItem, pages: &SignedPagesSending) -> String {
    let count = pages.page_count;
    let code = pages.last_error.as_deref().unwrap_or_default();
    match pages.state {
        SendState::Delivered => format!(
            "{count} foto terkirim {}",
            item.meeting.timezone.local_text(pages.delivered_at.as_deref().unwrap_or_default())
        ),
        SendState::Waiting => format!(
            "{count} foto menunggu: {} ({code}); dicoba lagi {}",
            reason(code),
            pages.next_attempt_at.as_deref().unwrap_or("segera")
        ),
        SendState::Refused => {
            format!("{count} foto ditolak: {} ({code}); dicoba lagi dengan rembug sync", reason(code))
        }
        SendState::NotSent | SendState::Sending if item.is_delivered() => {
            format!("{count} foto belum dikirim ({} sudah diterima kantor)", pages.delivered_count)
        }
        SendState::NotSent | SendState::Sending => format!("{count} foto dikirim setelah bundel musyawarahnya"),
    }
}

/// Why a bundle is not delivered, and what to do, in Indonesian.
pub fn reason(code: &str) -> &'static str {
    match code {
        "network" => "kantor tidak terjangkau; periksa jaringan",
        "not_the_office" => "yang menjawab bukan kantor (mungkin halaman login wifi)",
        "receipt_invalid" => "tanda terima kantor tidak sah",
        "internal" => "kantor sedang bermasalah; dicoba lagi nanti",
        "too_many_uploads" => "terlalu banyak kiriman sekaligus; dicoba lagi nanti",
        "device_revoked" => "perangkat ini dicabut oleh kantor; hubungi kantor",
        "device_unknown" => "kantor tidak mengenal perangkat ini; daftar ulang (rembug enroll)",
        "out_of_scope" => "musyawarah di luar wilayah perangkat ini",
        "not_own_bundle" => "bundel ini ditandatangani perangkat lain",
        "revision_conflict" => "kantor sudah menerima revisi ini dengan isi lain; buat revisi perbaikan",
        "correction_invalid" => "perbaikan tidak mengikuti aturan revisi",
        "too_large" => "bundel melebihi batas ukuran kantor",
        "revision_unknown" => "kantor belum menyimpan bundel musyawarahnya; kirim bundelnya dulu",
        "code_invalid" => "kode pendaftaran tidak dikenal kantor",
        "code_expired" => "kode pendaftaran sudah kedaluwarsa; minta kode baru ke kantor",
        "code_used" => "kode pendaftaran sudah dipakai perangkat lain; minta kode baru ke kantor",
        "too_many_attempts" => "terlalu banyak kode salah; tunggu sepuluh menit",
        "office_unknown" | "office_url_invalid" => "alamat atau kunci kantor tidak dikenal; daftar ulang",
        _ => "bundel ditolak pemeriksaan kantor",
    }
}
