//! Bundles that come on a USB stick: staff (admin or staf, inside their
//! kecamatan) upload a `.rembug` file; it goes through the sync's own
//! commit (`server::commit_upload`: verification, the device's scope, the
//! revision rules, one bundle per SHA-256), attributed to the enrolled
//! device that signed it. A bundle the office holds already shows its first
//! receipt. Staff then save the receipt as a small file
//! (`trust::ReceiptFile`) that the cadre opens in the app.
//!
//! The photos of a locked revision's signed pages come the same way, as a
//! signed-pages file (`docs/bundle-format.md`, section 10): told apart by
//! its manifest, stored through the sync's own `server::commit_signed_pages`
//! (verified; signed by the device that delivered the revision, which the
//! office must hold first), with a receipt file of their own.

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
use rembug_core::wilayah::Kelurahan;
use rembug_sync::SyncErrorCode;
use sha2::{Digest, Sha256};

use super::ekspor::download;
use super::multipart::{Multipart, MultipartError, boundary};
use super::{
    PageResult, Refusal, Session, blocking, bundle_in_scope, code_line, csrf_field, page, same, session, stage_label,
};
use crate::html::e;
use crate::server::{AppState, commit_signed_pages, commit_upload};
use crate::store::{Bundle, CreateUploadOutcome, Device, SignedPagesBundle, Upload};

/// The upload form.
pub(super) async fn upload_page(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let session = session(&state, &headers).await?;
    session.require_reviewer()?;
    Ok(form_page(&session, StatusCode::OK, None))
}

/// Why a file was refused (the failed check's code, for support, when a
/// check refused it), and the file's name as the browser sent it.
struct Refused<'a> {
    message: &'a str,
    code: Option<&'a str>,
    file_name: &'a str,
}

fn form_page(session: &Session, status: StatusCode, refused: Option<Refused>) -> Response {
    let error = refused
        .map(|Refused { message, code, file_name }| {
            let file = if file_name.is_empty() {
                String::new()
            } else {
                format!("<br><span>Berkas yang ditolak: <code>{}</code></span>", e(file_name))
            };
            let code = code.map(|code| format!("<br>{}", code_line(code))).unwrap_or_default();
            format!("<p class=\"galat\" role=\"alert\">{}{file}{code}</p>", e(message))
        })
        .unwrap_or_default();
    let body = format!(
        "{error}<p>Untuk kader yang tidak dapat mengirim lewat jaringan: unggah berkas bundel <code>.rembug</code> \
         dari flashdisk. Bundel diperiksa sama seperti kiriman lewat jaringan dan dicatat atas nama perangkat yang \
         menandatanganinya. Setelah itu, simpan berkas tanda terimanya ke flashdisk kader.</p>\
         <p>Foto lembar bertanda tangan (berkas <code>…-halaman-….rembug</code>) diunggah di sini juga, setelah \
         bundel musyawarahnya.</p>\
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
    let refused = |message: &str, code: Option<&str>, file_name: &str| {
        Ok(form_page(&session, StatusCode::UNPROCESSABLE_ENTITY, Some(Refused { message, code, file_name })))
    };
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
    let file_name = match form.next_part().await {
        Ok(Some(head)) if head.name == "berkas" => base_name(head.file_name.as_deref().unwrap_or_default()).to_owned(),
        _ => return refused("Pilih berkas bundel (.rembug) yang akan diunggah.", None, ""),
    };
    let upload_id = uuid::Uuid::now_v7().simple().to_string();
    let path = state.office.upload_path(&upload_id);
    let received = receive_file(&mut form, &path, state.limits.max_bundle_bytes).await;
    let (sha256, size) = match received {
        Ok(received) => received,
        Err(error) => {
            let _ = std::fs::remove_file(&path);
            return match error {
                Received::TooLarge => refused("Berkas ini lebih besar dari batas bundel kantor.", None, &file_name),
                Received::Cut => refused("Unggahan terputus. Coba lagi.", None, &file_name),
                Received::Empty => refused("Pilih berkas bundel (.rembug) yang akan diunggah.", None, &file_name),
                Received::Io(error) => Err(error.into()),
            };
        }
    };
    let shared = state.clone();
    let staff = session.staff.clone();
    let bundle_audit = session.audit("unggah_bundel", &sha256, "flashdisk");
    let pages_audit = session.audit("unggah_foto_lembar", &sha256, "flashdisk");
    let file = Arrived { upload_id, path, sha256, size };
    let stored = blocking(move || {
        let result = store_upload(&shared, &staff, &file);
        if result.is_err() {
            // Refused before the commit took the file over: nothing is kept.
            let _ = std::fs::remove_file(&file.path);
        }
        let stored = result?;
        let audit = match &stored {
            Stored::Bundle(_, new) => crate::store::AuditEntry { detail: audit_detail(*new), ..bundle_audit },
            Stored::Pages(_, _, new) => crate::store::AuditEntry { detail: audit_detail(*new), ..pages_audit },
        };
        shared.office.store.audit(&audit)?;
        Ok(stored)
    })
    .await;
    match stored {
        Ok(Stored::Bundle(bundle, new)) => Ok(receipt_page(&state, &session, &file_name, &bundle, None, new)),
        Ok(Stored::Pages(pages, revision, new)) => {
            Ok(receipt_page(&state, &session, &file_name, &revision, Some(&pages), new))
        }
        Err(Refusal::BadRequest(message)) => refused(&message, None, &file_name),
        Err(Refusal::Check { message, code }) => refused(&message, Some(&code), &file_name),
        Err(other) => Err(other),
    }
}

/// A file's name without the folders some browsers send with it.
fn base_name(file_name: &str) -> &str {
    file_name.rsplit(['/', '\\']).next().unwrap_or_default()
}

/// A file received whole in `uploads/` (flushed), as an upload's id.
struct Arrived {
    upload_id: String,
    path: std::path::PathBuf,
    sha256: String,
    size: u64,
}

/// What an upload stored, and whether it is new: a meeting's bundle, or
/// the signed pages of a revision with that revision's bundle.
enum Stored {
    Bundle(Bundle, bool),
    Pages(SignedPagesBundle, Bundle, bool),
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
/// and not revoked. A signed-pages file goes to [`store_pages`].
fn store_upload(state: &crate::server::Shared, staff: &crate::store::Staff, file: &Arrived) -> Result<Stored, Refusal> {
    let Arrived { path, sha256, .. } = file;
    // An archive that cannot be read is neither kind: said so, not as a bundle's fault.
    let pages = rembug_bundle::is_signed_pages_file(path).map_err(|error| {
        check(
            "Berkas ini tidak lolos pemeriksaan: isinya tidak dapat dibaca. Mungkin berkasnya terpotong \
             (flashdisk dicabut sebelum penyalinan selesai), rusak, atau bukan berkas dari aplikasi Rembug. \
             Tidak ada yang disimpan. Minta kader menyimpan berkasnya ke flashdisk lagi.",
            error.code(),
        )
    })?;
    if pages {
        return store_pages(state, staff, file);
    }
    let store = &state.office.store;
    let verified = rembug_bundle::verify_file(path).map_err(|error| {
        check(
            "Bundel ini tidak lolos pemeriksaan: berkasnya rusak, terpotong, atau telah diubah. \
             Tidak ada yang disimpan. Minta kader mengekspor bundelnya lagi.",
            error.code(),
        )
    })?;
    let manifest = verified.bundle.manifest;
    ensure_covered(
        staff,
        &manifest.kelurahan_code,
        "Bundel ini dari kelurahan di luar kecamatan Anda. Tidak ada yang disimpan.",
    )?;
    if let Some(held) = store.bundle(sha256)? {
        std::fs::remove_file(path)?;
        return Ok(Stored::Bundle(held, false));
    }
    let device = signer(state, &manifest.device.id, &manifest.device.fingerprint, "bundel ini")?;
    let upload = new_upload(state, &device, file)?;
    match commit_upload(state, &device, &upload) {
        Ok((status, bundle)) => Ok(Stored::Bundle(bundle, status == StatusCode::CREATED)),
        Err(error) => Err(check(&commit_refusal(error.code()), error.code())),
    }
}

/// The photos of a revision's signed pages, checked and stored as the
/// sync's commit stores them (`commit_signed_pages`): verified whole,
/// signed by the enrolled device that delivered the revision, which the
/// office holds already; each file once.
fn store_pages(state: &crate::server::Shared, staff: &crate::store::Staff, file: &Arrived) -> Result<Stored, Refusal> {
    let Arrived { path, sha256, .. } = file;
    let store = &state.office.store;
    let verified = rembug_bundle::verify_signed_pages_file(path).map_err(|error| {
        check(
            "Berkas foto lembar bertanda tangan ini tidak lolos pemeriksaan: berkasnya rusak, terpotong, \
             atau telah diubah. Tidak ada yang disimpan. Minta kader menyimpan foto ke flashdisk lagi.",
            error.code(),
        )
    })?;
    let manifest = verified.manifest;
    ensure_covered(
        staff,
        &manifest.kelurahan_code,
        "Foto ini dari kelurahan di luar kecamatan Anda. Tidak ada yang disimpan.",
    )?;
    let revision_of = |pages: &SignedPagesBundle| store.bundle(&pages.revision_sha256)?.ok_or(Refusal::NotFound);
    if let Some(held) = store.signed_pages(sha256)? {
        std::fs::remove_file(path)?;
        let revision = revision_of(&held)?;
        return Ok(Stored::Pages(held, revision, false));
    }
    let device = signer(state, &manifest.device.id, &manifest.device.fingerprint, "foto ini")?;
    let upload = new_upload(state, &device, file)?;
    match commit_signed_pages(state, &device, &upload) {
        Ok((status, pages)) => {
            let revision = revision_of(&pages)?;
            Ok(Stored::Pages(pages, revision, status == StatusCode::CREATED))
        }
        Err(error) => Err(check(&pages_refusal(error.code(), manifest.revision), error.code())),
    }
}

/// A file refused by a check: `message` for staff, the check's `code` for support.
fn check(message: &str, code: &str) -> Refusal {
    Refusal::Check { message: message.to_owned(), code: code.to_owned() }
}

/// Refuses a file from a kelurahan outside the session's kecamatan, with `refusal`.
fn ensure_covered(staff: &crate::store::Staff, kelurahan_code: &str, refusal: &'static str) -> Result<(), Refusal> {
    let covered =
        staff.kecamatan_code.as_ref().is_none_or(|kecamatan| kelurahan_code.starts_with(&format!("{kecamatan}.")));
    if covered { Ok(()) } else { Err(Refusal::Forbidden(refusal)) }
}

/// The enrolled, unrevoked device that signed `what` (its id and
/// fingerprint as the file names them).
fn signer(state: &crate::server::Shared, device_id: &str, fingerprint: &str, what: &str) -> Result<Device, Refusal> {
    match state.office.store.device(device_id)? {
        None => Err(Refusal::BadRequest(format!(
            "Perangkat yang menandatangani {what} (sidik jari {fingerprint}) tidak terdaftar di kantor. \
             Daftarkan dulu perangkat kader dengan kode pendaftaran. Tidak ada yang disimpan."
        ))),
        Some(device) if device.revoked_at.is_some() => Err(Refusal::BadRequest(format!(
            "Perangkat yang menandatangani {what} (sidik jari {}) sudah dicabut pendaftarannya. \
             Tidak ada yang disimpan.",
            device.fingerprint
        ))),
        Some(device) => Ok(device),
    }
}

/// The received file as a complete upload of `device`, as the sync's
/// commit takes it.
fn new_upload(state: &crate::server::Shared, device: &Device, file: &Arrived) -> Result<Upload, Refusal> {
    let upload = Upload {
        upload_id: file.upload_id.clone(),
        device_id: device.device_id.clone(),
        sha256: file.sha256.clone(),
        size: file.size,
        received: file.size,
    };
    let now = chrono::Utc::now().timestamp();
    match state.office.store.create_upload(&upload, state.limits.max_uploads_per_device, now)? {
        CreateUploadOutcome::Created(upload) => Ok(upload),
        CreateUploadOutcome::Existing(_) | CreateUploadOutcome::TooMany => Err(Refusal::BadRequest(
            "Perangkat ini sedang mengirim berkas yang sama lewat jaringan. Coba lagi beberapa menit lagi.".into(),
        )),
    }
}

/// A refusal of signed pages' commit, said to staff (its code goes beside it).
fn pages_refusal(code: &str, revision: u32) -> String {
    match code.parse::<SyncErrorCode>().ok() {
        Some(SyncErrorCode::RevisionUnknown) => format!(
            "Kantor belum menyimpan bundel musyawarah (revisi {revision}) yang difoto lembarnya ini. Unggah dulu \
             bundel musyawarahnya (berkas .rembug tanpa “halaman” pada namanya), lalu unggah \
             berkas foto ini lagi. Tidak ada yang disimpan."
        ),
        Some(SyncErrorCode::NotOwnBundle) => "Foto ditolak: foto ini ditandatangani perangkat lain, bukan perangkat \
                                               yang mengirim musyawarahnya. Tidak ada yang disimpan."
            .to_owned(),
        Some(SyncErrorCode::OutOfScope) => "Foto ditolak: musyawarahnya di luar cakupan pendaftaran perangkat yang \
                                             menandatanganinya. Tidak ada yang disimpan."
            .to_owned(),
        _ => "Berkas foto lembar bertanda tangan ini tidak lolos pemeriksaan: berkasnya rusak, terpotong, atau \
              telah diubah. Tidak ada yang disimpan."
            .to_owned(),
    }
}

/// A commit's refusal, said to staff (its code goes beside it).
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
    format!("Bundel ditolak: {why}. Tidak ada yang disimpan.")
}

/// What staff see once a file is stored: a meeting's `bundle`, or the
/// photos of its signed pages (`pages`), with its file's name, its
/// kelurahan by name (from the office's wilayah), the receipt file to save
/// for the cadre, and what to do next.
fn receipt_page(
    state: &AppState,
    session: &Session,
    file_name: &str,
    bundle: &Bundle,
    pages: Option<&SignedPagesBundle>,
    new: bool,
) -> Response {
    let timezone = Timezone::for_kemendagri_code(&bundle.kelurahan_code);
    let sha = e(&bundle.sha256);
    let (said, what, received_at, link, receipt_name, next, title) = match pages {
        None => (
            if new {
                "Bundel diterima dan disimpan."
            } else {
                "Kantor sudah menerima bundel ini sebelumnya; tanda terimanya tetap yang pertama."
            },
            String::new(),
            &bundle.received_at,
            format!("/bundel/{sha}/tanda-terima"),
            ReceiptFile::file_name(&bundle.sha256),
            format!(
                "<p>Bila kader juga membawa foto lembar bertanda tangan (berkas <code>…-halaman-….rembug</code>), \
                 unggah berkas itu sekarang.</p><p><a href=\"/bundel/{sha}\">Buka bundel</a> · \
                 <a href=\"/unggah\">Unggah berkas lain</a></p>"
            ),
            "Tanda terima bundel",
        ),
        Some(pages) => (
            if new {
                "Foto lembar bertanda tangan diterima dan disimpan."
            } else {
                "Kantor sudah menerima foto ini sebelumnya; tanda terimanya tetap yang pertama."
            },
            format!("{} foto lembar bertanda tangan untuk ", pages.page_count),
            &pages.received_at,
            format!("/bundel/{sha}/tanda-terima/{}", e(&pages.sha256)),
            ReceiptFile::pages_file_name(&pages.sha256),
            format!(
                "<p><a href=\"/bundel/{sha}\">Lihat fotonya di halaman musyawarah</a> · \
                 <a href=\"/unggah\">Unggah berkas lain</a></p>"
            ),
            "Tanda terima foto lembar bertanda tangan",
        ),
    };
    let rw = bundle.rw.map(|rw| format!(" RW {}", area_number_text(rw))).unwrap_or_default();
    let file =
        if file_name.is_empty() { String::new() } else { format!("<p>Berkas: <code>{}</code></p>", e(file_name)) };
    let body = format!(
        "<p role=\"status\"><strong>{said}</strong></p>{file}\
         <p>{what}{}{rw}, {}, tahun perencanaan {}, revisi {}. Diterima {}.</p>\
         <p><a class=\"unduh\" href=\"{link}\" download>Unduh berkas tanda terima</a></p>\
         <p>Simpan berkas tanda terima itu (<code>{}</code>) ke flashdisk kader. Di aplikasi Rembug, kader \
         membukanya dengan \u{201c}Buka berkas tanda terima\u{201d} di layar Kirim ke kantor.</p>{next}",
        stage_label(&bundle.stage),
        kelurahan_text(&state.office.wilayah, &bundle.kelurahan_code),
        bundle.planning_year,
        bundle.revision,
        e(&instant_in(timezone, received_at)),
        e(&receipt_name),
    );
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    page(status, title, Some(session), &body)
}

/// A kelurahan as staff know it: `Kelurahan <name>, Kecamatan <name>` with
/// its code small beside it, or its code alone when the office's wilayah
/// does not name it. Markup, escaped.
fn kelurahan_text(wilayah: &[Kelurahan], code: &str) -> String {
    match wilayah.iter().find(|kelurahan| kelurahan.code == code) {
        Some(kelurahan) => format!(
            "Kelurahan {}, Kecamatan {} <small>({})</small>",
            e(&kelurahan.name),
            e(&kelurahan.kecamatan_name),
            e(code)
        ),
        None => format!("kelurahan {}", e(code)),
    }
}

/// The receipt of a bundle the session may see, as the file the cadre's
/// device opens, `tanda-terima-….json`.
pub(super) async fn receipt_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(sha256): UrlPath<String>,
) -> PageResult {
    let session = session(&state, &headers).await?;
    let bundle = bundle_in_scope(&state, &session, &sha256).await?;
    receipt_download(
        &state,
        bundle.facts.receipt_body,
        bundle.facts.receipt_signature,
        &ReceiptFile::file_name(&sha256),
    )
}

/// The receipt of a revision's signed pages (`pages`, a file the office
/// holds for the bundle `sha256` the session may see), as the file the
/// cadre's device opens, `tanda-terima-foto-….json`.
pub(super) async fn pages_receipt_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath((sha256, pages)): UrlPath<(String, String)>,
) -> PageResult {
    let session = session(&state, &headers).await?;
    bundle_in_scope(&state, &session, &sha256).await?;
    if !hex::is_sha256_hex(&pages) {
        return Err(Refusal::NotFound);
    }
    let store = state.office.store.clone();
    let held = blocking(move || Ok(store.signed_pages(&pages)?.filter(|held| held.revision_sha256 == sha256))).await?;
    let held = held.ok_or(Refusal::NotFound)?;
    receipt_download(&state, held.receipt_body, held.receipt_signature, &ReceiptFile::pages_file_name(&held.sha256))
}

/// A stored receipt with the office's identity, as the file `file_name`.
fn receipt_download(state: &AppState, body: String, signature: String, file_name: &str) -> PageResult {
    let file = ReceiptFile::new(state.office.identity.clone(), Signed { body, signature });
    download(file.to_json(), "application/json", file_name)
}

#[cfg(test)]
mod tests {
    use super::base_name;

    #[test]
    fn a_file_is_named_without_the_folders_a_browser_may_send() {
        assert_eq!(base_name("rapat-halaman-3fa2b1c9.rembug"), "rapat-halaman-3fa2b1c9.rembug");
        assert_eq!(base_name("C:\\Users\\kader\\rapat.rembug"), "rapat.rembug");
        assert_eq!(base_name("/media/flashdisk/rapat.rembug"), "rapat.rembug");
        assert_eq!(base_name(""), "");
    }
}
