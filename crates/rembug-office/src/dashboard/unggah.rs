//! Bundles that come on a USB stick: staff (admin or staf, inside their
//! kecamatan) upload a `.rembug` file; it goes through the sync's own
//! commit (`server::commit_upload`: verification, the device's scope, the
//! revision rules, one bundle per SHA-256), attributed to the enrolled
//! device that signed it. A bundle the office holds already shows its first
//! receipt. Staff then save the receipt as a small file
//! (`trust::ReceiptFile`) that the cadre opens in the app.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rembug_core::hex;
use rembug_core::meeting::Timezone;
use rembug_core::tanggal::instant_in;
use rembug_core::text::area_number_text;
use rembug_core::trust::{ReceiptFile, Signed};
use rembug_sync::SyncErrorCode;
use sha2::{Digest, Sha256};

use super::ekspor::download;
use super::multipart::{Multipart, MultipartError, boundary};
use super::{PageResult, Refusal, Session, blocking, bundle_in_scope, csrf_field, page, same, session, stage_label};
use crate::html::e;
use crate::server::{AppState, commit_upload};
use crate::store::{Bundle, CreateUploadOutcome, Upload};

/// The upload form.
pub(super) async fn upload_page(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let session = session(&state, &headers).await?;
    session.require_reviewer()?;
    Ok(form_page(&session, StatusCode::OK, None))
}

fn form_page(session: &Session, status: StatusCode, error: Option<&str>) -> Response {
    let error = error.map(|error| format!("<p class=\"galat\" role=\"alert\">{}</p>", e(error))).unwrap_or_default();
    let body = format!(
        "{error}<p>Untuk kader yang tidak dapat mengirim lewat jaringan: unggah berkas bundel <code>.rembug</code> \
         dari flashdisk. Bundel diperiksa sama seperti kiriman lewat jaringan dan dicatat atas nama perangkat yang \
         menandatanganinya. Setelah itu, simpan berkas tanda terimanya ke flashdisk kader.</p>\
         <form method=\"post\" action=\"/unggah\" enctype=\"multipart/form-data\">{}\
         <label for=\"berkas\">Berkas bundel (.rembug)</label>\
         <input id=\"berkas\" name=\"berkas\" type=\"file\" accept=\".rembug\" required>\
         <p><button type=\"submit\">Unggah dan periksa</button></p></form>",
        csrf_field(session)
    );
    page(status, "Unggah bundel dari flashdisk", Some(session), &body)
}

/// Receives the form: its token first, then the file, streamed to
/// `uploads/` and flushed; then checked and stored as a sync commit is.
pub(super) async fn upload(State(state): State<AppState>, headers: HeaderMap, body: Body) -> PageResult {
    let session = session(&state, &headers).await?;
    let refused = |message: &str| Ok(form_page(&session, StatusCode::UNPROCESSABLE_ENTITY, Some(message)));
    let boundary = boundary(&headers).ok_or_else(|| Refusal::BadRequest("Formulir tidak dikenal.".into()))?;
    let mut form = Multipart::new(body, &boundary, state.limits.body_idle);
    // The token comes before the file: nothing of a forged form is written.
    let token = match form.next_part().await {
        Ok(Some(head)) if head.name == "csrf" => form.text().await.unwrap_or_default(),
        _ => String::new(),
    };
    if session.csrf.is_empty() || !same(&token, &session.csrf) {
        return Err(Refusal::Forbidden("Formulir tidak sah atau kedaluwarsa. Muat ulang halaman lalu coba lagi."));
    }
    session.require_reviewer()?;
    match form.next_part().await {
        Ok(Some(head)) if head.name == "berkas" => {}
        _ => return refused("Pilih berkas bundel (.rembug) yang akan diunggah."),
    }
    let upload_id = uuid::Uuid::now_v7().simple().to_string();
    let path = state.office.upload_path(&upload_id);
    let received = receive_file(&mut form, &path, state.limits.max_bundle_bytes).await;
    let (sha256, size) = match received {
        Ok(received) => received,
        Err(error) => {
            let _ = std::fs::remove_file(&path);
            return match error {
                Received::TooLarge => refused("Berkas ini lebih besar dari batas bundel kantor."),
                Received::Cut => refused("Unggahan terputus. Coba lagi."),
                Received::Empty => refused("Pilih berkas bundel (.rembug) yang akan diunggah."),
                Received::Io(error) => Err(error.into()),
            };
        }
    };
    let shared = state.clone();
    let staff = session.staff.clone();
    let audit = session.audit("unggah_bundel", &sha256, "flashdisk");
    let stored = blocking(move || {
        let result = store_upload(&shared, &staff, &upload_id, &path, &sha256, size);
        if result.is_err() {
            // Refused before the commit took the file over: nothing is kept.
            let _ = std::fs::remove_file(&path);
        }
        let (bundle, new) = result?;
        shared.office.store.audit(&crate::store::AuditEntry { detail: audit_detail(new), ..audit })?;
        Ok((bundle, new))
    })
    .await;
    match stored {
        Ok((bundle, new)) => Ok(receipt_page(&session, &bundle, new)),
        Err(Refusal::BadRequest(message)) => refused(&message),
        Err(other) => Err(other),
    }
}

fn audit_detail(new: bool) -> String {
    if new { "flashdisk, diterima" } else { "flashdisk, sudah diterima sebelumnya" }.to_owned()
}

enum Received {
    TooLarge,
    Cut,
    Empty,
    Io(std::io::Error),
}

impl From<MultipartError> for Received {
    fn from(error: MultipartError) -> Received {
        match error {
            MultipartError::TooLarge => Received::TooLarge,
            MultipartError::Cut | MultipartError::Malformed => Received::Cut,
        }
    }
}

/// Writes the form's file to `path` (a MiB at a time, off the async
/// workers) and flushes it, answering its SHA-256 and size.
async fn receive_file(form: &mut Multipart, path: &Path, max: u64) -> Result<(String, u64), Received> {
    let mut file = File::options().write(true).create_new(true).open(path).map_err(Received::Io)?;
    let mut hasher = Sha256::new();
    let (mut size, mut pending) = (0u64, Vec::new());
    while let Some(piece) = form.chunk().await? {
        size += piece.len() as u64;
        if size > max {
            return Err(Received::TooLarge);
        }
        hasher.update(&piece);
        pending.extend_from_slice(&piece);
        if pending.len() >= 1 << 20 {
            file = write_off(file, std::mem::take(&mut pending), false).await?;
        }
    }
    if size == 0 {
        return Err(Received::Empty);
    }
    write_off(file, pending, true).await?;
    Ok((hex::encode(&hasher.finalize()), size))
}

/// Appends `bytes` to `file` on the blocking pool, flushing it to disk when `last`.
async fn write_off(mut file: File, bytes: Vec<u8>, last: bool) -> Result<File, Received> {
    let written = tokio::task::spawn_blocking(move || {
        file.write_all(&bytes)?;
        if last {
            file.sync_all()?;
        }
        Ok::<_, std::io::Error>(file)
    })
    .await;
    written.map_err(|error| Received::Io(std::io::Error::other(error)))?.map_err(Received::Io)
}

/// Checks a received file and stores it through the sync's commit: the
/// bundle's kelurahan inside the session's kecamatan, its device enrolled
/// and not revoked. The bundle and whether it is new.
fn store_upload(
    state: &crate::server::Shared,
    staff: &crate::store::Staff,
    upload_id: &str,
    path: &Path,
    sha256: &str,
    size: u64,
) -> Result<(Bundle, bool), Refusal> {
    let store = &state.office.store;
    let verified = rembug_bundle::verify_file(path).map_err(|error| {
        Refusal::BadRequest(format!(
            "Bundel ini tidak lolos pemeriksaan ({}): berkasnya rusak, terpotong, atau telah diubah. \
             Tidak ada yang disimpan. Minta kader mengekspor bundelnya lagi.",
            error.code()
        ))
    })?;
    let manifest = verified.bundle.manifest;
    let covered = staff
        .kecamatan_code
        .as_ref()
        .is_none_or(|kecamatan| manifest.kelurahan_code.starts_with(&format!("{kecamatan}.")));
    if !covered {
        return Err(Refusal::Forbidden("Bundel ini dari kelurahan di luar kecamatan Anda. Tidak ada yang disimpan."));
    }
    if let Some(held) = store.bundle(sha256)? {
        std::fs::remove_file(path)?;
        return Ok((held, false));
    }
    let device = match store.device(&manifest.device.id)? {
        None => {
            return Err(Refusal::BadRequest(format!(
                "Perangkat yang menandatangani bundel ini (sidik jari {}) tidak terdaftar di kantor. \
                 Daftarkan dulu perangkat kader dengan kode pendaftaran. Tidak ada yang disimpan.",
                manifest.device.fingerprint
            )));
        }
        Some(device) if device.revoked_at.is_some() => {
            return Err(Refusal::BadRequest(format!(
                "Perangkat yang menandatangani bundel ini (sidik jari {}) sudah dicabut pendaftarannya. \
                 Tidak ada yang disimpan.",
                device.fingerprint
            )));
        }
        Some(device) => device,
    };
    let upload = Upload {
        upload_id: upload_id.to_owned(),
        device_id: device.device_id.clone(),
        sha256: sha256.to_owned(),
        size,
        received: size,
    };
    let now = chrono::Utc::now().timestamp();
    let upload = match store.create_upload(&upload, state.limits.max_uploads_per_device, now)? {
        CreateUploadOutcome::Created(upload) => upload,
        CreateUploadOutcome::Existing(_) | CreateUploadOutcome::TooMany => {
            return Err(Refusal::BadRequest(
                "Perangkat ini sedang mengirim bundel yang sama lewat jaringan. Coba lagi beberapa menit lagi.".into(),
            ));
        }
    };
    match commit_upload(state, &device, &upload) {
        Ok((status, bundle)) => Ok((bundle, status == StatusCode::CREATED)),
        Err(error) => Err(Refusal::BadRequest(commit_refusal(error.code()))),
    }
}

/// A commit's refusal, said to staff.
fn commit_refusal(code: &str) -> String {
    let why = match code.parse::<SyncErrorCode>().ok() {
        Some(SyncErrorCode::OutOfScope) => {
            "bundel ini dari kelurahan atau RW di luar cakupan pendaftaran perangkat yang menandatanganinya"
        }
        Some(SyncErrorCode::CorrectionInvalid) => {
            "revisi ini tidak menyebut revisi yang dipegang kantor, atau bukan dari perangkat yang sama atau RW yang sama"
        }
        Some(SyncErrorCode::RevisionConflict) => "kantor sudah menyimpan revisi musyawarah ini dari bundel lain",
        Some(SyncErrorCode::NotOwnBundle) => "bundel ini bukan milik perangkat yang menandatanganinya",
        _ => "bundel ini tidak lolos pemeriksaan kantor",
    };
    format!("Bundel ditolak: {why} ({code}). Tidak ada yang disimpan.")
}

fn receipt_page(session: &Session, bundle: &Bundle, new: bool) -> Response {
    let timezone = Timezone::for_kemendagri_code(&bundle.kelurahan_code);
    let said = if new {
        "Bundel diterima dan disimpan."
    } else {
        "Kantor sudah menerima bundel ini sebelumnya; tanda terimanya tetap yang pertama."
    };
    let rw = bundle.rw.map(|rw| format!(" RW {}", area_number_text(rw))).unwrap_or_default();
    let body = format!(
        "<p role=\"status\"><strong>{said}</strong></p>\
         <p>{} kelurahan {}{rw}, tahun perencanaan {}, revisi {}. Diterima {}.</p>\
         <p><a href=\"/bundel/{sha}/tanda-terima\" download>Unduh berkas tanda terima</a> lalu simpan ke flashdisk \
         kader. Di aplikasi Rembug, kader membukanya dengan \u{201c}Buka berkas tanda terima\u{201d} di layar Kirim ke \
         kantor.</p><p><a href=\"/bundel/{sha}\">Buka bundel</a> · <a href=\"/unggah\">Unggah bundel lain</a></p>",
        stage_label(&bundle.stage),
        e(&bundle.kelurahan_code),
        bundle.planning_year,
        bundle.revision,
        e(&instant_in(timezone, &bundle.received_at)),
        sha = e(&bundle.sha256),
    );
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    page(status, "Tanda terima bundel", Some(session), &body)
}

/// The receipt of a bundle the session may see, as the file the cadre's
/// device opens.
pub(super) async fn receipt_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(sha256): UrlPath<String>,
) -> PageResult {
    let session = session(&state, &headers).await?;
    let bundle = bundle_in_scope(&state, &session, &sha256).await?;
    let receipt = Signed { body: bundle.receipt_body.clone(), signature: bundle.receipt_signature.clone() };
    let file = ReceiptFile::new(state.office.identity.clone(), receipt);
    download(file.to_json(), "application/json", &ReceiptFile::file_name(&bundle.sha256))
}
