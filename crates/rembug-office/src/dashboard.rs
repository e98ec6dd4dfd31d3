//! The staff dashboard, served by the office itself: server-rendered HTML in
//! Bahasa Indonesia that works without JavaScript, laid out for a laptop and
//! a 360 px phone. Staff log in (argon2id, rate-limited per account and per
//! address), hold a session in an HttpOnly SameSite=Strict cookie (Secure
//! under TLS) whose id is new at each login, and every form carries the
//! session's CSRF token; a POST without it is refused. Roles: admin
//! (accounts, the audit log, phone numbers), staf (review, the daftar
//! hadir), pimpinan (the public record only), each optionally limited to one
//! kecamatan. Every staff action is written to the audit log by the store in
//! the transaction that makes it. Everything a bundle carries goes through
//! [`e`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path as UrlPath, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use rembug_core::hex;
use rembug_core::meeting::Timezone;
use rembug_core::rupiah::{format_rupiah, group_thousands};
use rembug_core::signed_pages::PageKind;
use rembug_core::tanggal::{instant_in, meeting_time};
use rembug_core::text::area_number_text;
use rembug_core::wilayah::Kelurahan;
use rembug_core::wire::v1::{PublicRecord, Usulan};
use sha2::{Digest, Sha256};

use crate::html::{e, url_value};
use crate::office::{Office, now_rfc3339};
use crate::password;
use crate::server::{AppState, Peer};
use crate::store::{AuditEntry, Bundle, BundleFilter, Review, Role, SignedPagesBundle, Staff, UsulanOutcome};

mod ekspor;
mod kata_sandi;
mod multipart;
mod opd;
mod perangkat;
mod rekapitulasi;
mod ringkasan;
mod target;
mod unggah;

const SESSION_COOKIE: &str = "rembug_sesi";
const LOGIN_COOKIE: &str = "rembug_masuk";
const SESSION_SECS: i64 = 8 * 3600;
/// Failed logins counted over this window.
const LOGIN_WINDOW_SECS: i64 = 15 * 60;
pub const LOGIN_FAILURES_PER_ACCOUNT: u32 = 5;
pub const LOGIN_FAILURES_PER_ADDRESS: u32 = 20;
const PASSWORD_MIN_CHARS: usize = 10;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(rekap))
        .route("/masuk", get(login_page).post(login))
        .route("/keluar", post(logout))
        .route("/rw", post(set_rw_count))
        .route("/bundel/{sha256}", get(bundle_page))
        .route("/bundel/{sha256}/daftar-hadir", get(daftar_hadir))
        .route("/bundel/{sha256}/foto/{photo}", get(photo))
        .route("/bundel/{sha256}/halaman/{pages}/{index}", get(signed_page))
        .route("/bundel/{sha256}/tinjau", post(review))
        .route("/bundel/{sha256}/usulan", post(usulan_outcome))
        .route("/bundel/{sha256}/tanda-terima", get(unggah::receipt_file))
        .route("/bundel/{sha256}/tanda-terima/{pages}", get(unggah::pages_receipt_file))
        .route("/unggah", get(unggah::upload_page).post(unggah::upload))
        .route("/ekspor", get(ekspor::export_page))
        .route("/ringkasan", get(ringkasan::overview))
        .route("/perangkat", get(perangkat::devices))
        .route("/opd", get(opd::opd_page).post(opd::save_opd))
        .route("/target", get(target::target_page).post(target::save_target))
        .route("/perangkat/cabut", post(perangkat::revoke))
        .route("/kata-sandi", get(kata_sandi::password_page).post(kata_sandi::change_password))
        .route("/ringkasan/musyawarah", get(ringkasan::meetings))
        .route("/ekspor/rekap.pdf", get(rekapitulasi::recap_pdf))
        .route("/ekspor/{berkas}", get(ekspor::export_file))
        .route("/akun", get(accounts).post(create_account))
        .route("/log", get(audit_log))
}

/// Why a page is not shown.
enum Refusal {
    /// No valid session: to the login page.
    Login,
    Forbidden(&'static str),
    NotFound,
    BadRequest(String),
    /// A file that failed a check: what staff read, in Indonesian, and the
    /// check's code, shown small only for support ([`code_line`]).
    Check {
        message: String,
        code: String,
    },
    Internal,
}

/// A check's code under its message, small and plain: for support, not
/// for staff to read.
fn code_line(code: &str) -> String {
    format!("<small class=\"kode\">kode: {}</small>", e(code))
}

impl<E: std::fmt::Display> From<E> for Refusal {
    fn from(error: E) -> Refusal {
        eprintln!("rembug-office: dashboard: {error}");
        Refusal::Internal
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            Refusal::Login => return redirect("/masuk", None),
            Refusal::Forbidden(message) => (StatusCode::FORBIDDEN, e(message)),
            Refusal::NotFound => (StatusCode::NOT_FOUND, "Halaman tidak ditemukan.".to_owned()),
            Refusal::BadRequest(message) => (StatusCode::BAD_REQUEST, e(&message)),
            Refusal::Check { message, code } => {
                (StatusCode::BAD_REQUEST, format!("{}<br>{}", e(&message), code_line(&code)))
            }
            Refusal::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "Terjadi kesalahan di server.".to_owned()),
        };
        page(
            status,
            "Tidak dapat dilanjutkan",
            None,
            &format!("<p class=\"galat\">{message}</p><p><a href=\"/\">Kembali</a></p>"),
        )
    }
}

type PageResult = Result<Response, Refusal>;

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, Refusal> + Send + 'static) -> Result<T, Refusal> {
    tokio::task::spawn_blocking(work).await?
}

/// The logged-in staff member of a request.
struct Session {
    staff: Staff,
    csrf: String,
    id_sha256: String,
}

impl Session {
    fn may_review(&self) -> bool {
        matches!(self.staff.role, Role::Admin | Role::Staf)
    }

    fn require_admin(&self) -> Result<(), Refusal> {
        if self.staff.role == Role::Admin { Ok(()) } else { Err(Refusal::Forbidden("Hanya untuk admin.")) }
    }

    /// The city's own lists (OPD, the meetings' targets) apply to every
    /// kecamatan: an admin limited to one may not change them.
    fn is_city_admin(&self) -> bool {
        self.staff.role == Role::Admin && self.staff.kecamatan_code.is_none()
    }

    fn require_city_admin(&self) -> Result<(), Refusal> {
        if self.is_city_admin() { Ok(()) } else { Err(Refusal::Forbidden("Hanya untuk admin seluruh kota.")) }
    }

    fn require_reviewer(&self) -> Result<(), Refusal> {
        if self.may_review() { Ok(()) } else { Err(Refusal::Forbidden("Peran Anda hanya dapat membaca.")) }
    }

    /// Whether this kelurahan is inside the account's kecamatan.
    fn covers(&self, kelurahan_code: &str) -> bool {
        self.staff.kecamatan_code.as_ref().is_none_or(|kecamatan| kelurahan_code.starts_with(&format!("{kecamatan}.")))
    }

    fn audit(&self, action: &str, target: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            at: now_rfc3339(),
            staff_name: self.staff.name.clone(),
            action: action.to_owned(),
            target: target.to_owned(),
            detail: detail.to_owned(),
        }
    }
}

fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

fn sha256_hex(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes()))
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    hex::encode(&bytes)
}

/// Equal without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn session(state: &AppState, headers: &HeaderMap) -> Result<Session, Refusal> {
    let id = cookie(headers, SESSION_COOKIE).filter(|id| id.len() == 64).ok_or(Refusal::Login)?;
    let id_sha256 = sha256_hex(id);
    let store = state.office.store.clone();
    let key = id_sha256.clone();
    let found = blocking(move || Ok(store.session(&key, Utc::now().timestamp())?)).await?;
    let (staff, csrf) = found.ok_or(Refusal::Login)?;
    Ok(Session { staff, csrf, id_sha256 })
}

/// A form's fields; the first value of each name.
struct Form(BTreeMap<String, String>);

impl Form {
    fn parse(body: &[u8]) -> Form {
        let mut fields = BTreeMap::new();
        for (key, value) in form_urlencoded::parse(body) {
            fields.entry(key.into_owned()).or_insert_with(|| value.into_owned());
        }
        Form(fields)
    }

    fn get(&self, name: &str) -> &str {
        self.0.get(name).map(|value| value.trim()).unwrap_or("")
    }

    /// Refuses a form without the session's token (an empty one is none).
    fn check_csrf(&self, expected: &str) -> Result<(), Refusal> {
        if !expected.is_empty() && same(self.get("csrf"), expected) {
            Ok(())
        } else {
            Err(Refusal::Forbidden("Formulir tidak sah atau kedaluwarsa. Muat ulang halaman lalu coba lagi."))
        }
    }
}

fn query(raw: Option<String>) -> Form {
    Form::parse(raw.unwrap_or_default().as_bytes())
}

fn redirect(to: &str, set_cookie: Option<String>) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response();
    if let Some(value) = set_cookie.and_then(|value| HeaderValue::from_str(&value).ok()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Strict always, Secure when served over TLS.
fn cookie_value(tls: bool, name: &str, value: &str, path: &str, max_age: i64) -> String {
    let secure = if tls { "; Secure" } else { "" };
    format!("{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}")
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f6f6f4}\
header{background:#1f4e5f;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}\
header a,header button{color:#fff}header nav{display:flex;flex-wrap:wrap;gap:.75rem;flex:1}\
header form{margin:0}header button{background:none;border:1px solid #fff;border-radius:4px;padding:.2rem .6rem}\
main{padding:1rem;max-width:1300px;margin:auto}h1{font-size:1.35rem}h2{font-size:1.1rem;margin-top:1.5rem}\
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top}\
.tabel{overflow-x:auto}.rw{display:inline-block;min-width:3.2rem;margin:.1rem;padding:.15rem .3rem;border-radius:4px;font-size:.85rem;text-align:center}\
.masuk{background:#d8efd8}.perbaikan{background:#fde9b8}.belum{background:#f6d0d0}.ditolak{background:#ddd}\
.galat{color:#a40000;font-weight:bold}.kode{color:#555;font-weight:normal}.grafik{width:100%;max-width:760px;height:auto;display:block;margin:.5rem 0}label{display:block;margin:.4rem 0 .1rem}input,select,textarea{font-size:1rem;max-width:100%}\
.sebaris{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}code{overflow-wrap:anywhere}pre{white-space:pre-wrap;word-break:break-all;background:#fff;padding:.5rem}\
.halaman{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}.halaman li{width:200px}\
.halaman img,.halaman .pribadi{display:block;box-sizing:border-box;width:100%;aspect-ratio:210/297;object-fit:contain;border:1px solid #ccc;background:#fff;margin-bottom:.25rem}\
.halaman .pribadi{display:flex;flex-direction:column;justify-content:center;text-align:center;background:#e8eef0}\
a.unduh{display:inline-block;padding:.45rem .9rem;border-radius:4px;background:#1f4e5f;color:#fff;font-weight:bold;text-decoration:none}\
@media (max-width:480px){main{padding:.5rem}td,th{padding:.2rem}header nav{flex-basis:100%}.halaman li{width:calc(50% - .5rem)}}";

/// A whole page. `body` is markup the handlers built, every outside text in it escaped.
fn page(status: StatusCode, title: &str, session: Option<&Session>, body: &str) -> Response {
    let nav = match session {
        Some(session) => {
            let upload = if session.may_review() { "<a href=\"/unggah\">Unggah bundel</a>" } else { "" };
            let admin = if session.staff.role == Role::Admin {
                "<a href=\"/akun\">Akun</a><a href=\"/perangkat\">Perangkat</a><a href=\"/log\">Log audit</a>"
            } else {
                ""
            };
            let city = if session.is_city_admin() {
                "<a href=\"/opd\">Daftar OPD</a><a href=\"/target\">Target musyawarah</a>"
            } else {
                ""
            };
            format!(
                "<nav><a href=\"/\">Rekap pengiriman</a><a href=\"/ringkasan\">Ringkasan kota</a><a href=\"/ekspor\">Ekspor</a>{upload}{admin}{city}<a href=\"/kata-sandi\">Kata sandi</a></nav><span>{} ({})</span>\
                 <form method=\"post\" action=\"/keluar\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
                 <button type=\"submit\">Keluar</button></form>",
                e(&session.staff.name),
                session.staff.role.as_str(),
                e(&session.csrf)
            )
        }
        None => "<nav><strong>Rembug: kantor</strong></nav>".to_owned(),
    };
    let html = format!(
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} · Rembug kantor</title>\
         <style>{STYLE}</style></head><body><header>{nav}</header><main><h1>{}</h1>{body}</main></body></html>",
        e(title),
        e(title)
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

fn csrf_field(session: &Session) -> String {
    format!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", e(&session.csrf))
}

// ---- logging in and out ----

async fn login_page(State(state): State<AppState>) -> Response {
    login_form(&state, StatusCode::OK, None)
}

/// The login form with a fresh token, also set as a cookie for the POST to match.
fn login_form(state: &AppState, status: StatusCode, error: Option<&str>) -> Response {
    let token = random_token();
    let error = error.map(|error| format!("<p class=\"galat\" role=\"alert\">{}</p>", e(error))).unwrap_or_default();
    let body = format!(
        "{error}<form method=\"post\" action=\"/masuk\"><input type=\"hidden\" name=\"csrf\" value=\"{token}\">\
         <label for=\"nama\">Nama akun</label><input id=\"nama\" name=\"nama\" autocomplete=\"username\" required>\
         <label for=\"kata_sandi\">Kata sandi</label>\
         <input id=\"kata_sandi\" name=\"kata_sandi\" type=\"password\" autocomplete=\"current-password\" required>\
         <p><button type=\"submit\">Masuk</button></p></form>"
    );
    let mut response = page(status, "Masuk", None, &body);
    if let Ok(value) = HeaderValue::from_str(&cookie_value(state.tls, LOGIN_COOKIE, &token, "/masuk", 3600)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

async fn login(
    State(state): State<AppState>,
    Extension(peer): Extension<Peer>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let form = Form::parse(&body);
    form.check_csrf(cookie(&headers, LOGIN_COOKIE).unwrap_or("-"))?;
    let (name, given) = (form.get("nama").to_owned(), form.0.get("kata_sandi").cloned().unwrap_or_default());
    let address = peer.0.to_string();
    let store = state.office.store.clone();
    let outcome = blocking(move || {
        let now = Utc::now().timestamp();
        let (by_account, by_address) = store.login_failures_since(&name, &address, now - LOGIN_WINDOW_SECS)?;
        if by_account >= LOGIN_FAILURES_PER_ACCOUNT || by_address >= LOGIN_FAILURES_PER_ADDRESS {
            return Ok(Err("Terlalu banyak percobaan masuk yang salah. Coba lagi 15 menit lagi."));
        }
        let staff = store.staff(&name)?;
        let verified = match &staff {
            Some(staff) => password::verify(&given, &staff.password_hash),
            // As slow as a real check, so a name's existence does not show.
            None => !password::verify(&given, &password::hash("-")),
        };
        let Some(staff) = staff.filter(|_| verified) else {
            store.record_login_failure(&name, &address, now)?;
            return Ok(Err("Nama akun atau kata sandi salah."));
        };
        if password::needs_rehash(&staff.password_hash) {
            store.set_password_hash(&staff.name, &password::hash(&given))?;
        }
        let id = random_token();
        store.create_session(&sha256_hex(&id), &staff.name, &random_token(), now, now + SESSION_SECS)?;
        Ok(Ok(id))
    })
    .await?;
    match outcome {
        Ok(id) => Ok(redirect("/", Some(cookie_value(state.tls, SESSION_COOKIE, &id, "/", SESSION_SECS)))),
        Err(message) => {
            let status =
                if message.starts_with("Terlalu") { StatusCode::TOO_MANY_REQUESTS } else { StatusCode::UNAUTHORIZED };
            Ok(login_form(&state, status, Some(message)))
        }
    }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> PageResult {
    let session = session(&state, &headers).await?;
    Form::parse(&body).check_csrf(&session.csrf)?;
    let store = state.office.store.clone();
    let entry = session.audit("keluar", "", "");
    blocking(move || {
        store.delete_session(&session.id_sha256)?;
        Ok(store.audit(&entry)?)
    })
    .await?;
    Ok(redirect("/masuk", Some(cookie_value(state.tls, SESSION_COOKIE, "", "/", 0))))
}

// ---- who has submitted ----

/// Where one RW of a kelurahan stands for a planning year.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RwState<'b> {
    Received(&'b Bundle),
    CorrectionPending(&'b Bundle),
    Missing,
}

impl RwState<'_> {
    fn filter_name(&self) -> &'static str {
        match self {
            RwState::Received(_) => "masuk",
            RwState::CorrectionPending(_) => "perbaikan",
            RwState::Missing => "belum",
        }
    }
}

/// The bundles among `bundles` that no correction among them replaces: the
/// latest revision of each meeting (a revision is a meeting of its own id
/// that names the bundle it replaces).
fn latest_revisions(bundles: &[Bundle]) -> Vec<&Bundle> {
    let replaced: Vec<&str> = bundles.iter().filter_map(|bundle| bundle.replaces_sha256.as_deref()).collect();
    bundles.iter().filter(|bundle| !replaced.contains(&bundle.sha256.as_str())).collect()
}

/// RW `rw`'s state from the latest revisions of its kelurahan's Rembug Warga.
fn rw_state<'b>(latest: &[&'b Bundle], rw: u16) -> RwState<'b> {
    let newest = latest.iter().filter(|bundle| bundle.rw == Some(rw)).max_by(|a, b| a.received_at.cmp(&b.received_at));
    match newest {
        None => RwState::Missing,
        Some(bundle) if bundle.review_state == "perlu_perbaikan" => RwState::CorrectionPending(bundle),
        Some(bundle) => RwState::Received(bundle),
    }
}

fn review_label(state: &str) -> &'static str {
    match state {
        "perlu_perbaikan" => "Perlu perbaikan",
        "disetujui" => "Disetujui",
        "ditolak" => "Ditolak",
        _ => "Diterima",
    }
}

async fn rekap(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> PageResult {
    let session = session(&state, &headers).await?;
    let filters = query(raw);
    let asked_year: Option<i32> = filters.get("tahun").parse().ok();
    let chosen_kecamatan = filters.get("kecamatan");
    let chosen_state = filters.get("status");
    let reference = state.office.wilayah.clone();
    let in_scope: Vec<&Kelurahan> = reference.iter().filter(|kelurahan| session.covers(&kelurahan.code)).collect();
    // A province's or the country's wilayah is too large for one page: the
    // grid then shows one kota/kabupaten at a time.
    let mut kota: Vec<(&str, &str)> = in_scope.iter().map(|k| (k.kota_code.as_str(), k.kota_name.as_str())).collect();
    kota.dedup();
    let chosen_kota = match (filters.get("kota"), kota.as_slice()) {
        ("", [(only, _)]) => *only,
        ("", _) => chosen_kecamatan.get(..5).unwrap_or_default(),
        (chosen, _) => chosen,
    };
    let kelurahan: Vec<&Kelurahan> = in_scope.iter().copied().filter(|k| k.kota_code == chosen_kota).collect();
    // One kota's bundles, of the year asked or (to find the latest year) of all years.
    let filter =
        BundleFilter { wilayah: Some(chosen_kota.to_owned()), planning_year: asked_year, ..BundleFilter::default() };
    let area = chosen_kota.to_owned();
    let store = state.office.store.clone();
    let (bundles, counts) =
        blocking(move || Ok((store.bundles_where(&filter)?, store.rw_counts(Some(&area))?))).await?;
    let counts: BTreeMap<String, u16> = counts.into_iter().collect();
    let year = asked_year.unwrap_or_else(|| bundles.iter().map(|bundle| bundle.planning_year).max().unwrap_or(2028));
    let mut kecamatan: Vec<(&str, &str)> =
        kelurahan.iter().map(|k| (k.kecamatan_code.as_str(), k.kecamatan_name.as_str())).collect();
    kecamatan.dedup();
    let kota_field = if kota.len() > 1 {
        format!(
            "<div><label for=\"kota\">Kota/kabupaten</label><select id=\"kota\" name=\"kota\">\
             <option value=\"\">Pilih</option>{}</select></div>",
            kota.iter()
                .map(|(code, name)| {
                    let selected = if *code == chosen_kota { " selected" } else { "" };
                    format!("<option value=\"{}\"{selected}>{}</option>", e(code), e(name))
                })
                .collect::<String>()
        )
    } else {
        String::new()
    };

    let mut body = format!(
        "<form method=\"get\" action=\"/\" class=\"sebaris\"><div><label for=\"tahun\">Tahun perencanaan</label>\
         <input id=\"tahun\" name=\"tahun\" type=\"number\" min=\"2000\" max=\"2100\" value=\"{year}\"></div>{kota_field}\
         <div><label for=\"kecamatan\">Kecamatan</label><select id=\"kecamatan\" name=\"kecamatan\"><option value=\"\">Semua</option>{}</select></div>\
         <div><label for=\"status\">Keadaan</label><select id=\"status\" name=\"status\">{}</select></div>\
         <div><button type=\"submit\">Tampilkan</button></div></form>\
         <p><span class=\"rw masuk\">masuk</span> <span class=\"rw perbaikan\">perlu perbaikan</span> \
         <span class=\"rw belum\">belum masuk</span></p>",
        kecamatan
            .iter()
            .map(|(code, name)| {
                let selected = if *code == chosen_kecamatan { " selected" } else { "" };
                format!("<option value=\"{}\"{selected}>{}</option>", e(code), e(name))
            })
            .collect::<String>(),
        [("", "Semua"), ("masuk", "Sudah masuk"), ("perbaikan", "Perlu perbaikan"), ("belum", "Belum masuk")]
            .iter()
            .map(|(value, label)| {
                let selected = if *value == chosen_state { " selected" } else { "" };
                format!("<option value=\"{value}\"{selected}>{label}</option>")
            })
            .collect::<String>()
    );
    if kelurahan.is_empty() {
        body.push_str("<p>Pilih kota/kabupaten untuk melihat rekap pengirimannya.</p>");
        return Ok(page(StatusCode::OK, &format!("Rekap pengiriman {year}"), Some(&session), &body));
    }
    body.push_str(
        "<div class=\"tabel\"><table><thead><tr><th>Kecamatan</th><th>Kelurahan</th><th>RW (Rembug Warga)</th>\
         <th>Musrenbang Kelurahan</th></tr></thead><tbody>",
    );
    for kelurahan in kelurahan.iter().filter(|k| chosen_kecamatan.is_empty() || k.kecamatan_code == chosen_kecamatan) {
        let of_kelurahan: Vec<Bundle> = bundles
            .iter()
            .filter(|bundle| bundle.kelurahan_code == kelurahan.code && bundle.planning_year == year)
            .cloned()
            .collect();
        let warga: Vec<Bundle> = of_kelurahan.iter().filter(|b| b.stage == "rembug_warga").cloned().collect();
        let latest = latest_revisions(&warga);
        let rw_count = counts.get(&kelurahan.code).copied();
        let highest_received = latest.iter().filter_map(|bundle| bundle.rw).max().unwrap_or(0);
        let shown_rws = rw_count.unwrap_or(0).max(highest_received);
        let mut cells = String::new();
        for rw in 1..=shown_rws {
            let rw_state = rw_state(&latest, rw);
            if !chosen_state.is_empty() && rw_state.filter_name() != chosen_state {
                continue;
            }
            cells.push_str(&match rw_state {
                RwState::Missing => {
                    format!("<span class=\"rw belum\" title=\"belum masuk\">RW {}</span>", area_number_text(rw))
                }
                RwState::CorrectionPending(bundle) => format!(
                    "<a class=\"rw perbaikan\" href=\"/bundel/{}\" title=\"perlu perbaikan\">RW {}</a>",
                    e(&bundle.sha256),
                    area_number_text(rw)
                ),
                RwState::Received(bundle) => format!(
                    "<a class=\"rw {}\" href=\"/bundel/{}\" title=\"{}\">RW {} {}</a>",
                    if bundle.review_state == "ditolak" { "ditolak" } else { "masuk" },
                    e(&bundle.sha256),
                    review_label(&bundle.review_state),
                    area_number_text(rw),
                    review_label(&bundle.review_state)
                ),
            });
        }
        if rw_count.is_none() {
            cells.push_str("<small> Jumlah RW belum diatur.</small>");
        }
        if session.may_review() {
            cells.push_str(&format!(
                "<form method=\"post\" action=\"/rw\" class=\"sebaris\">{}<input type=\"hidden\" name=\"kelurahan\" value=\"{}\">\
                 <label>Jumlah RW <input name=\"jumlah\" type=\"number\" min=\"1\" max=\"999\" value=\"{}\" style=\"width:5rem\"></label>\
                 <button type=\"submit\">Simpan</button></form>",
                csrf_field(&session),
                e(&kelurahan.code),
                rw_count.map(|count| count.to_string()).unwrap_or_default()
            ));
        }
        let kelurahan_meetings: String = latest_revisions(
            &of_kelurahan.iter().filter(|b| b.stage == "musrenbang_kelurahan").cloned().collect::<Vec<_>>(),
        )
        .iter()
        .map(|bundle| {
            format!(
                "<a href=\"/bundel/{}\">Revisi {} · {}</a> ",
                e(&bundle.sha256),
                bundle.revision,
                review_label(&bundle.review_state)
            )
        })
        .collect();
        body.push_str(&format!(
            "<tr><td>{}</td><td>{} <small>{}</small></td><td>{cells}</td><td>{}</td></tr>",
            e(&kelurahan.kecamatan_name),
            e(&kelurahan.name),
            e(&kelurahan.code),
            if kelurahan_meetings.is_empty() { "belum masuk".to_owned() } else { kelurahan_meetings }
        ));
    }
    body.push_str("</tbody></table></div>");
    Ok(page(StatusCode::OK, &format!("Rekap pengiriman {year}"), Some(&session), &body))
}

async fn set_rw_count(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> PageResult {
    let session = session(&state, &headers).await?;
    let form = Form::parse(&body);
    form.check_csrf(&session.csrf)?;
    session.require_reviewer()?;
    let code = form.get("kelurahan").to_owned();
    if !state.office.wilayah.clone().iter().any(|k| k.code == code) || !session.covers(&code) {
        return Err(Refusal::Forbidden("Kelurahan ini di luar wilayah Anda."));
    }
    let count: u16 = form
        .get("jumlah")
        .parse()
        .ok()
        .filter(|count| (1..=999).contains(count))
        .ok_or_else(|| Refusal::BadRequest("Jumlah RW harus 1 sampai 999.".into()))?;
    let entry = session.audit("atur_jumlah_rw", &code, &count.to_string());
    let store = state.office.store.clone();
    blocking(move || Ok(store.set_rw_count(&code, count, &entry)?)).await?;
    Ok(redirect("/", None))
}

// ---- a bundle ----

/// A bundle the session may see, with its public record read from the verified file.
async fn visible_bundle(state: &AppState, session: &Session, sha256: &str) -> Result<(Bundle, PublicRecord), Refusal> {
    let bundle = bundle_in_scope(state, session, sha256).await?;
    let path = state.office.bundle_path(sha256);
    let record = blocking(move || public_record(&path)).await?;
    Ok((bundle, record))
}

/// The bundle's row, if it is inside the session's kecamatan.
async fn bundle_in_scope(state: &AppState, session: &Session, sha256: &str) -> Result<Bundle, Refusal> {
    if !hex::is_sha256_hex(sha256) {
        return Err(Refusal::NotFound);
    }
    let store = state.office.store.clone();
    let key = sha256.to_owned();
    let bundle = blocking(move || Ok(store.bundle(&key)?)).await?.ok_or(Refusal::NotFound)?;
    if !session.covers(&bundle.kelurahan_code) {
        return Err(Refusal::Forbidden("Bundel ini di luar kecamatan Anda."));
    }
    Ok(bundle)
}

/// An usulan's photo from the bundle: only a photo its public record lists
/// (never a signature or a sheet of the daftar hadir), as PNG, JPEG or WebP.
async fn photo(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath((sha256, photo)): UrlPath<(String, String)>,
) -> PageResult {
    let session = session(&state, &headers).await?;
    bundle_in_scope(&state, &session, &sha256).await?;
    let path = state.office.bundle_path(&sha256);
    let bytes = blocking(move || {
        let verified = rembug_bundle::verify_file(&path)?;
        let record: PublicRecord = serde_json::from_str(&verified.bundle.meeting_json)?;
        let listed = record.usulan.iter().flat_map(|ranked| &ranked.usulan.photos).any(|p| p.sha256 == photo);
        if !listed {
            return Err(Refusal::NotFound);
        }
        let mut bytes = Vec::new();
        let mut reader = std::io::BufReader::new(std::fs::File::open(&path)?);
        verified.bundle.read_attachment(&mut reader, None, &photo, &mut bytes)?;
        Ok(bytes)
    })
    .await?;
    image_response(bytes, "private, max-age=3600")
}

/// A photo read from a bundle, as PNG, JPEG or WebP by its first bytes
/// (anything else is not served), never sniffed by the browser.
fn image_response(bytes: Vec<u8>, cache_control: &'static str) -> PageResult {
    let media_type = match &bytes[..] {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xFF, 0xD8, ..] => "image/jpeg",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        _ => return Err(Refusal::NotFound),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    Ok(response)
}

/// "Foto lembar bertanda tangan": the pages of the revision's latest
/// signed-pages bundle (each holds every page attached before it), shown to
/// staff who review in the papers' order; the pimpinan role reads only
/// that they arrived. A daftar hadir page is personal data: it is not shown
/// with the others but opened on purpose, like the daftar hadir itself, and
/// each opening is logged.
async fn signed_pages_section(
    state: &AppState,
    session: &Session,
    sha256: &str,
    latest: Option<&SignedPagesBundle>,
) -> Result<String, Refusal> {
    let mut section = String::from("<h2>Foto lembar bertanda tangan</h2>");
    let Some(latest) = latest else {
        section.push_str("<p>Belum ada foto lembar bertanda tangan untuk revisi ini.</p>");
        return Ok(section);
    };
    if !session.may_review() {
        section.push_str(&format!(
            "<p>{} foto diterima; hanya admin dan staf yang dapat membukanya.</p>",
            latest.page_count
        ));
        return Ok(section);
    }
    let path = state.office.bundle_path(&latest.sha256);
    let manifest = blocking(move || Ok(rembug_bundle::verify_signed_pages_file(&path)?.manifest)).await?;
    let timezone = Timezone::for_kemendagri_code(&manifest.kelurahan_code);
    section.push_str(&format!(
        "<p>{} foto, diterima {}. Klik foto untuk melihatnya dalam ukuran penuh.</p>",
        latest.page_count,
        e(&instant_in(timezone, &latest.received_at))
    ));
    if let Some(code) = &manifest.print_code {
        section.push_str(&format!("<p>Kode cetak pada lembar: <strong>{}</strong></p>", e(code)));
    }
    // The file keeps the personal pages last; staff read the papers in order.
    let mut pages: Vec<_> = manifest.pages.iter().enumerate().collect();
    pages.sort_by_key(|(_, page)| (page.kind, page.position));
    section.push_str("<ul class=\"halaman\">");
    for (index, page) in pages {
        let label = e(&format!("{} halaman {}", page_kind_label(page.kind), page.position));
        let href = format!("/bundel/{}/halaman/{}/{index}", e(sha256), e(&latest.sha256));
        section.push_str(&if page.kind.is_personal() {
            format!(
                "<li><a class=\"pribadi\" href=\"{href}\" aria-label=\"Buka foto {label} (data pribadi)\">Buka foto<br>\
                 <small>data pribadi</small></a><span>{label}</span></li>"
            )
        } else {
            format!("<li><a href=\"{href}\"><img src=\"{href}\" alt=\"{label}\" loading=\"lazy\"></a><span>{label}</span></li>")
        });
    }
    section.push_str(
        "</ul><p>Foto daftar hadir memuat data pribadi warga (nama dan tanda tangan), jadi tidak ditampilkan \
         langsung. Buka hanya bila perlu; setiap pembukaannya dicatat di log audit.</p>",
    );
    section.push_str(&format!(
        "<p><a class=\"unduh\" href=\"/bundel/{}/tanda-terima/{}\" download>Unduh berkas tanda terima foto</a></p>\
         <p>Untuk kader yang membawa fotonya dengan flashdisk: simpan berkas itu ke flashdisk kader, lalu kader \
         membukanya dengan \u{201c}Buka berkas tanda terima\u{201d} di layar Kirim ke kantor.</p>",
        e(sha256),
        e(&latest.sha256)
    ));
    Ok(section)
}

fn page_kind_label(kind: PageKind) -> &'static str {
    match kind {
        PageKind::BeritaAcara => "Berita acara",
        PageKind::DaftarHadir => "Daftar hadir",
        PageKind::DaftarUsulan => "Daftar usulan",
    }
}

/// One photographed signed page, for staff who review: from a signed-pages
/// bundle of this revision, verified again as it is read; a daftar hadir
/// page is decrypted with the office's key and its viewing logged.
async fn signed_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath((sha256, pages, index)): UrlPath<(String, String, usize)>,
) -> PageResult {
    let session = session(&state, &headers).await?;
    session.require_reviewer()?;
    bundle_in_scope(&state, &session, &sha256).await?;
    let store = state.office.store.clone();
    let (path, secret) = (state.office.bundle_path(&pages), state.office.secret_key_file());
    let entry = session.audit("lihat_lembar_daftar_hadir", &pages, &index.to_string());
    let bytes = blocking(move || {
        let held = store.signed_pages(&pages)?.filter(|held| held.revision_sha256 == sha256);
        held.ok_or(Refusal::NotFound)?;
        let verified = rembug_bundle::verify_signed_pages_file(&path)?;
        let page = verified.manifest.pages.get(index).ok_or(Refusal::NotFound)?;
        let office_secret = if page.kind.is_personal() {
            store.audit(&entry)?;
            Some(rembug_bundle::office::read_office_secret(&secret)?)
        } else {
            None
        };
        let mut bytes = Vec::new();
        let mut reader = rembug_bundle::signed_pages::open_pages_file(&path)?;
        verified.read_page(&mut reader, page, office_secret, &mut bytes)?;
        Ok(bytes)
    })
    .await?;
    image_response(bytes, "private, no-store")
}

/// The public record of a stored bundle, verified again as it is read.
fn public_record(path: &std::path::Path) -> Result<PublicRecord, Refusal> {
    let verified = rembug_bundle::verify_file(path)?;
    Ok(serde_json::from_str::<PublicRecord>(&verified.bundle.meeting_json)?)
}

/// Fields that differ on every revision by construction (ids, times, the
/// revision number, the change history), left out of a comparison.
fn compared(key: &str) -> bool {
    !(key == "id" || key.ends_with("_id") || key.ends_with("_at") || key == "revision" || key == "history")
}

/// `value`'s fields as `path = text`, e.g. `usulan[0].usulan.biaya`.
fn flatten(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match value {
        serde_json::Value::Object(fields) => {
            for (key, field) in fields.iter().filter(|(key, _)| compared(key)) {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, field, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{index}]"), item, out);
            }
        }
        serde_json::Value::String(text) => {
            out.insert(prefix.to_owned(), text.clone());
        }
        serde_json::Value::Null => {
            out.insert(prefix.to_owned(), String::new());
        }
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}

/// What changed from `before` to `after`, field by field: (field, before, after).
fn changes(before: &PublicRecord, after: &PublicRecord) -> Vec<(String, String, String)> {
    let (mut old, mut new) = (BTreeMap::new(), BTreeMap::new());
    flatten("", &serde_json::to_value(before).unwrap_or_default(), &mut old);
    flatten("", &serde_json::to_value(after).unwrap_or_default(), &mut new);
    let fields: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    fields
        .into_iter()
        .filter_map(|field| {
            let (was, is) = (old.get(field).cloned().unwrap_or_default(), new.get(field).cloned().unwrap_or_default());
            (was != is).then(|| (field.clone(), was, is))
        })
        .collect()
}

fn stage_label(stage: &str) -> &'static str {
    match stage {
        "musrenbang_kelurahan" => "Musrenbang Kelurahan",
        _ => "Rembug Warga",
    }
}

fn outcome_label(outcome: &str) -> &'static str {
    match outcome {
        "diakomodir" => "Diakomodir",
        "tidak_diakomodir" => "Tidak diakomodir",
        _ => "Dialihkan",
    }
}

async fn bundle_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(sha256): UrlPath<String>,
) -> PageResult {
    let session = session(&state, &headers).await?;
    let (bundle, record) = visible_bundle(&state, &session, &sha256).await?;
    let store = state.office.store.clone();
    let key = sha256.clone();
    let (review, outcomes, chain, signed_pages) = blocking(move || {
        let review = store.review(&key)?.ok_or(Refusal::NotFound)?;
        Ok((review, store.usulan_outcomes(&key)?, store.revision_chain(&key)?, store.signed_pages_of(&key)?))
    })
    .await?;
    // Times in the meeting's own zone, as the cadre and the papers say them.
    let timezone = Timezone::for_kemendagri_code(&record.meeting.kelurahan.code);
    let revisions: String = chain
        .iter()
        .map(|other| {
            let label = format!(
                "Revisi {} (diterima {}, {})",
                other.revision,
                instant_in(timezone, &other.received_at),
                review_label(&other.review_state)
            );
            if other.sha256 == bundle.sha256 {
                format!("<li><strong>{}</strong></li>", e(&label))
            } else {
                format!("<li><a href=\"/bundel/{}\">{}</a></li>", e(&other.sha256), e(&label))
            }
        })
        .collect();
    let meeting = &record.meeting;
    let counts = &record.counts;
    let rw = meeting.rw.map(|rw| format!("RW {}, ", area_number_text(rw))).unwrap_or_default();
    let mut body = format!(
        "<p><strong>{}</strong>, {rw}Kelurahan {}, Kecamatan {} · tahun perencanaan {}</p>\
         <p>{} · Tempat: {} · Fasilitator: {} · Revisi {}</p>\
         <p>Keadaan tinjauan: <strong>{}</strong>{}</p>",
        stage_label(&meeting.stage),
        e(&meeting.kelurahan.name),
        e(&meeting.kelurahan.kecamatan_name),
        meeting.planning_year,
        e(&meeting_time(timezone, &meeting.date, &meeting.start_time)),
        e(&meeting.place),
        e(&meeting.facilitator),
        meeting.revision,
        review_label(&review.state),
        review.note.as_deref().map(|note| format!(": {}", e(note))).unwrap_or_default()
    );
    body.push_str(&format!("<h2>Revisi</h2><ul>{revisions}</ul>"));
    if let Some(replaced) = bundle.replaces_sha256.clone() {
        let path = state.office.bundle_path(&replaced);
        let earlier = blocking(move || public_record(&path)).await?;
        body.push_str("<h3>Perubahan dari revisi sebelumnya</h3><div class=\"tabel\"><table><tr><th>Isian</th><th>Sebelumnya</th><th>Sekarang</th></tr>");
        for (field, was, is) in changes(&earlier, &record) {
            body.push_str(&format!("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", e(&field), e(&was), e(&is)));
        }
        body.push_str("</table></div>");
    }
    body.push_str(&format!(
        "<h2>Kehadiran</h2><div class=\"tabel\"><table><tr><th>Jumlah</th><th>Perempuan</th><th>Laki-laki</th>\
         <th>Disabilitas</th><th>Pemuda</th><th>Keterwakilan perempuan</th></tr>\
         <tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{},{:02}% (target {}%: {})</td></tr></table></div>",
        counts.total,
        counts.women,
        counts.men,
        counts.disability,
        counts.youth,
        counts.women_share_basis_points / 100,
        counts.women_share_basis_points % 100,
        counts.women_target_percent,
        if counts.women_target_met { "tercapai" } else { "belum tercapai" }
    ));
    if !counts.by_unsur.is_empty() {
        body.push_str("<p>Per unsur: ");
        body.push_str(
            &counts.by_unsur.iter().map(|u| format!("{} {}", e(&u.unsur), u.count)).collect::<Vec<_>>().join(", "),
        );
        body.push_str("</p>");
    }
    if session.may_review() {
        body.push_str(&format!("<p><a href=\"/bundel/{}/daftar-hadir\">Buka daftar hadir</a></p>", e(&sha256)));
    }
    body.push_str(&signed_pages_section(&state, &session, &sha256, signed_pages.last()).await?);

    body.push_str("<h2>Usulan menurut peringkat</h2><div class=\"tabel\"><table><tr><th>Peringkat</th><th>Usulan</th><th>Lokasi</th><th>Perkiraan biaya</th><th>Hasil</th></tr>");
    let mut by_rank: Vec<_> = record.usulan.iter().collect();
    by_rank.sort_by_key(|ranked| ranked.rank);
    for ranked in by_rank {
        let usulan = &ranked.usulan;
        let photos: String = usulan
            .photos
            .iter()
            .map(|photo| {
                format!(
                    "<br><a href=\"/bundel/{0}/foto/{1}\"><img src=\"/bundel/{0}/foto/{1}\" alt=\"Foto usulan {2}{3}\" \
                     width=\"120\" loading=\"lazy\"></a>{4}",
                    e(&sha256),
                    e(&photo.sha256),
                    photo.position,
                    if photo.untuk_sipd { " (untuk SIPD)" } else { "" },
                    if photo.untuk_sipd { " <small>untuk SIPD</small>" } else { "" }
                )
            })
            .collect();
        let outcome = outcomes.iter().find(|outcome| outcome.usulan_id == usulan.id);
        let mut result = outcome
            .map(|o| format!("<strong>{}</strong>: {}", outcome_label(&o.outcome), e(&o.detail)))
            .unwrap_or_else(|| "belum ditentukan".to_owned());
        if session.may_review() {
            result.push_str(&format!(
                "<form method=\"post\" action=\"/bundel/{}/usulan\">{}<input type=\"hidden\" name=\"usulan\" value=\"{}\">\
                 <select name=\"hasil\" aria-label=\"Hasil usulan\"><option value=\"diakomodir\">Diakomodir</option>\
                 <option value=\"tidak_diakomodir\">Tidak diakomodir</option><option value=\"dialihkan\">Dialihkan</option></select>\
                 <input name=\"keterangan\" placeholder=\"Program/OPD, alasan, atau saluran lain\" aria-label=\"Keterangan\" required>\
                 <button type=\"submit\">Simpan</button></form>",
                e(&sha256),
                csrf_field(&session),
                e(&usulan.id)
            ));
        }
        body.push_str(&format!(
            "<tr><td>{}</td><td><strong>{}</strong><br>{}<br><small>{} · {} {}</small>{}{photos}</td><td>{} RT {}</td><td>{}</td><td>{result}</td></tr>",
            ranked.rank,
            e(&usulan.kegiatan),
            e(&usulan.permasalahan),
            e(&usulan.bidang),
            usulan.volume,
            e(&usulan.satuan),
            usulan_details(usulan),
            e(&usulan.alamat),
            e(&usulan.rt_list),
            format_rupiah(usulan.biaya)
        ));
    }
    body.push_str("</table></div><h2>Delegasi</h2><ul>");
    for delegate in &record.delegates {
        body.push_str(&format!("<li>{} ({}, {})</li>", e(&delegate.name), e(&delegate.unsur), e(&delegate.role)));
    }
    body.push_str("</ul><h2>Notulen</h2>");
    for item in &record.agenda {
        body.push_str(&format!(
            "<h3>{}. {}</h3><p>{}</p><p><em>Kesepakatan:</em> {}</p>",
            item.position,
            e(&item.title),
            e(&item.discussion),
            e(&item.decisions)
        ));
    }
    body.push_str(&format!(
        "<h2>Tanda terima</h2><p>Diterima {} dari perangkat <code>{}</code></p><pre>{}</pre>\
         <p><a class=\"unduh\" href=\"/bundel/{}/tanda-terima\" download>Unduh berkas tanda terima bundel</a></p>\
         <p>Untuk kader yang membawa bundelnya dengan flashdisk: simpan berkas itu ke flashdisk kader.</p>",
        e(&instant_in(timezone, &bundle.received_at)),
        e(&bundle.device_id),
        e(&bundle.receipt_body),
        e(&sha256)
    ));
    if session.may_review() {
        body.push_str(&format!(
            "<h2>Tinjauan</h2><form method=\"post\" action=\"/bundel/{}/tinjau\">{}\
             <label for=\"keadaan\">Keadaan</label><select id=\"keadaan\" name=\"keadaan\">\
             <option value=\"perlu_perbaikan\">Perlu perbaikan</option><option value=\"disetujui\">Disetujui</option>\
             <option value=\"ditolak\">Ditolak</option></select>\
             <label for=\"catatan\">Catatan atau alasan (wajib untuk perlu perbaikan dan ditolak)</label>\
             <textarea id=\"catatan\" name=\"catatan\" rows=\"3\" cols=\"40\"></textarea>\
             <p><button type=\"submit\">Simpan tinjauan</button></p></form>",
            e(&sha256),
            csrf_field(&session)
        ));
    }
    let title = format!("{} {}", stage_label(&meeting.stage), meeting.kelurahan.name);
    Ok(page(StatusCode::OK, &title, Some(&session), &body))
}

/// What else the usulan form recorded, each part only when given: OPD
/// tujuan, penerima manfaat and swadaya on one line, the keterangan below.
fn usulan_details(usulan: &Usulan) -> String {
    let parts: Vec<String> = [
        usulan.opd_tujuan.as_deref().map(|opd| format!("OPD tujuan: {}", e(opd))),
        usulan
            .penerima_manfaat
            .map(|count| format!("Penerima manfaat: {} orang", group_thousands(count.unsigned_abs()))),
        usulan.swadaya.as_deref().map(|swadaya| format!("Swadaya: {}", e(swadaya))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut details = String::new();
    if !parts.is_empty() {
        details.push_str(&format!("<br><small>{}</small>", parts.join(" · ")));
    }
    if let Some(keterangan) = &usulan.keterangan {
        details.push_str(&format!("<br><small>Keterangan: {}</small>", e(keterangan)));
    }
    details
}

async fn daftar_hadir(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(sha256): UrlPath<String>,
) -> PageResult {
    let session = session(&state, &headers).await?;
    session.require_reviewer()?;
    let (bundle, record) = visible_bundle(&state, &session, &sha256).await?;
    let (path, secret): (PathBuf, PathBuf) = (state.office.bundle_path(&sha256), state.office.secret_key_file());
    let store = state.office.store.clone();
    let entry = session.audit("lihat_daftar_hadir", &bundle.sha256, "");
    let personal = blocking(move || {
        let personal = rembug_bundle::office::open_personal(&path, &secret)?;
        store.audit(&entry)?;
        Ok(personal)
    })
    .await?;
    let phones = session.staff.role == Role::Admin;
    let mut body = format!(
        "<p>{} orang hadir. Tampilan ini dicatat di log audit.</p><div class=\"tabel\"><table><tr><th>No</th><th>Nama</th>\
         <th>Jenis kelamin</th><th>Unsur</th><th>RT/RW</th>{}</tr>",
        personal.attendees.len(),
        if phones { "<th>Telepon</th>" } else { "" }
    );
    for (number, attendee) in personal.attendees.iter().enumerate() {
        let rt_rw = format!(
            "{}/{}",
            attendee.rt.map(|rt| rt.to_string()).unwrap_or_default(),
            attendee.rw.map(|rw| rw.to_string()).unwrap_or_default()
        );
        let phone =
            if phones { format!("<td>{}</td>", e(attendee.phone.as_deref().unwrap_or(""))) } else { String::new() };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{rt_rw}</td>{phone}</tr>",
            number + 1,
            e(&attendee.name),
            <&str>::from(attendee.gender),
            e(&attendee.unsur)
        ));
    }
    body.push_str(&format!("</table></div><p><a href=\"/bundel/{}\">Kembali ke bundel</a></p>", e(&sha256)));
    let title = format!("Daftar hadir {}", record.meeting.kelurahan.name);
    Ok(page(StatusCode::OK, &title, Some(&session), &body))
}

/// A review form's session (a reviewer's, with its token) and the bundle it is about.
async fn reviewer_form(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    sha256: &str,
) -> Result<(Session, Form, Bundle, PublicRecord), Refusal> {
    let session = session(state, headers).await?;
    let form = Form::parse(body);
    form.check_csrf(&session.csrf)?;
    session.require_reviewer()?;
    let (bundle, record) = visible_bundle(state, &session, sha256).await?;
    Ok((session, form, bundle, record))
}

async fn review(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(sha256): UrlPath<String>,
    body: Bytes,
) -> PageResult {
    let (session, form, bundle, _) = reviewer_form(&state, &headers, &body, &sha256).await?;
    let review_state = form.get("keadaan").to_owned();
    let note = form.get("catatan").to_owned();
    match review_state.as_str() {
        "perlu_perbaikan" | "ditolak" if note.is_empty() => {
            return Err(Refusal::BadRequest("Tulis catatan perbaikan atau alasan penolakan.".into()));
        }
        "perlu_perbaikan" | "ditolak" | "disetujui" => {}
        _ => return Err(Refusal::BadRequest("Keadaan tinjauan tidak dikenal.".into())),
    }
    let entry = session.audit(&format!("tinjau_{review_state}"), &bundle.sha256, &note);
    let review = Review { state: review_state, note: (!note.is_empty()).then_some(note) };
    let store = state.office.store.clone();
    blocking(move || Ok(store.set_review(&bundle.sha256, &review, &entry)?)).await?;
    Ok(redirect(&format!("/bundel/{sha256}"), None))
}

async fn usulan_outcome(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(sha256): UrlPath<String>,
    body: Bytes,
) -> PageResult {
    let (session, form, bundle, record) = reviewer_form(&state, &headers, &body, &sha256).await?;
    let usulan_id = form.get("usulan").to_owned();
    if !record.usulan.iter().any(|ranked| ranked.usulan.id == usulan_id) {
        return Err(Refusal::BadRequest("Usulan ini tidak ada di bundel.".into()));
    }
    let outcome = form.get("hasil").to_owned();
    let detail = form.get("keterangan").to_owned();
    if !["diakomodir", "tidak_diakomodir", "dialihkan"].contains(&outcome.as_str()) || detail.is_empty() {
        return Err(Refusal::BadRequest("Pilih hasil dan tulis program/OPD, alasan, atau saluran lain.".into()));
    }
    let entry = session.audit(&format!("usulan_{outcome}"), &format!("{}/{usulan_id}", bundle.sha256), &detail);
    let outcome =
        UsulanOutcome { usulan_id, outcome, detail, staff_name: session.staff.name.clone(), at: entry.at.clone() };
    let store = state.office.store.clone();
    blocking(move || Ok(store.set_usulan_outcome(&bundle.sha256, &outcome, &entry)?)).await?;
    Ok(redirect(&format!("/bundel/{sha256}"), None))
}

// ---- accounts and the audit log ----

async fn accounts(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let session = session(&state, &headers).await?;
    session.require_admin()?;
    let store = state.office.store.clone();
    let staff = blocking(move || Ok(store.staff_list()?)).await?;
    Ok(accounts_page(&state.office, &session, &staff, StatusCode::OK, None))
}

fn accounts_page(
    office: &Office,
    session: &Session,
    staff: &[Staff],
    status: StatusCode,
    message: Option<&str>,
) -> Response {
    let mut kecamatan: Vec<(String, String)> =
        office.wilayah.clone().iter().map(|k| (k.kecamatan_code.clone(), k.kecamatan_name.clone())).collect();
    kecamatan.dedup();
    let mut body = message.map(|m| format!("<p class=\"galat\" role=\"alert\">{}</p>", e(m))).unwrap_or_default();
    body.push_str("<div class=\"tabel\"><table><tr><th>Nama</th><th>Peran</th><th>Kecamatan</th></tr>");
    for account in staff {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&account.name),
            account.role.as_str(),
            e(account.kecamatan_code.as_deref().unwrap_or("seluruh kota"))
        ));
    }
    body.push_str(&format!(
        "</table></div><h2>Akun baru</h2><form method=\"post\" action=\"/akun\">{}\
         <label for=\"nama\">Nama akun</label><input id=\"nama\" name=\"nama\" required>\
         <label for=\"kata_sandi\">Kata sandi (minimal {PASSWORD_MIN_CHARS} karakter)</label>\
         <input id=\"kata_sandi\" name=\"kata_sandi\" type=\"password\" autocomplete=\"new-password\" required>\
         <label for=\"peran\">Peran</label><select id=\"peran\" name=\"peran\"><option value=\"staf\">staf (meninjau)</option>\
         <option value=\"pimpinan\">pimpinan (hanya membaca)</option><option value=\"admin\">admin</option></select>\
         <label for=\"kecamatan\">Kecamatan</label><select id=\"kecamatan\" name=\"kecamatan\"><option value=\"\">Seluruh kota</option>{}</select>\
         <p><button type=\"submit\">Buat akun</button></p></form>",
        csrf_field(session),
        kecamatan.iter().map(|(code, name)| format!("<option value=\"{}\">{}</option>", e(code), e(name))).collect::<String>()
    ));
    page(status, "Akun petugas", Some(session), &body)
}

async fn create_account(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> PageResult {
    let session = session(&state, &headers).await?;
    let form = Form::parse(&body);
    form.check_csrf(&session.csrf)?;
    session.require_admin()?;
    let name = form.get("nama").to_owned();
    let given = form.0.get("kata_sandi").cloned().unwrap_or_default();
    let kecamatan = form.get("kecamatan").to_owned();
    let problem = if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        Some("Nama akun harus 1 sampai 60 karakter biasa.")
    } else if given.chars().count() < PASSWORD_MIN_CHARS {
        Some("Kata sandi terlalu pendek.")
    } else if !kecamatan.is_empty() && !state.office.wilayah.clone().iter().any(|k| k.kecamatan_code == kecamatan) {
        Some("Kecamatan tidak dikenal.")
    } else {
        None
    };
    let role = Role::parse(form.get("peran"));
    let store = state.office.store.clone();
    let (Some(role), None) = (role, problem) else {
        let staff = blocking(move || Ok(store.staff_list()?)).await?;
        let message = problem.unwrap_or("Peran tidak dikenal.");
        return Ok(accounts_page(&state.office, &session, &staff, StatusCode::BAD_REQUEST, Some(message)));
    };
    let by = session.staff.name.clone();
    let staff = Staff {
        name,
        password_hash: String::new(),
        role,
        kecamatan_code: (!kecamatan.is_empty()).then_some(kecamatan),
    };
    let (created, staff) = blocking(move || {
        let staff = Staff { password_hash: password::hash(&given), ..staff };
        Ok((store.create_staff(&staff, &by, &now_rfc3339())?, store.staff_list()?))
    })
    .await?;
    if !created {
        return Ok(accounts_page(
            &state.office,
            &session,
            &staff,
            StatusCode::CONFLICT,
            Some("Nama akun itu sudah dipakai."),
        ));
    }
    Ok(redirect("/akun", None))
}

async fn audit_log(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let session = session(&state, &headers).await?;
    session.require_admin()?;
    let store = state.office.store.clone();
    let entries = blocking(move || Ok(store.audit_log(500)?)).await?;
    let mut body = String::from(
        "<div class=\"tabel\"><table><tr><th>Waktu</th><th>Petugas</th><th>Tindakan</th><th>Sasaran</th><th>Rincian</th></tr>",
    );
    for entry in &entries {
        let target = if hex::is_sha256_hex(&entry.target) {
            format!("<a href=\"/bundel/{}\">{}</a>", url_value(&entry.target), e(&entry.target[..12]))
        } else {
            e(&entry.target)
        };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{target}</td><td>{}</td></tr>",
            e(&entry.at),
            e(&entry.staff_name),
            e(&entry.action),
            e(&entry.detail)
        ));
    }
    body.push_str("</table></div>");
    Ok(page(StatusCode::OK, "Log audit", Some(&session), &body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::BundleFacts;

    fn bundle(meeting_id: &str, rw: u16, revision: u32, received_at: &str, review_state: &str) -> Bundle {
        Bundle {
            facts: BundleFacts {
                bundle_id: format!("{meeting_id}-{revision}"),
                sha256: format!("{meeting_id}{revision}"),
                size: 1,
                device_id: "d".into(),
                kelurahan_code: "32.77.01.1001".into(),
                rw: Some(rw),
                stage: "rembug_warga".into(),
                planning_year: 2028,
                meeting_id: meeting_id.into(),
                revision,
                content_hash: String::new(),
                received_at: received_at.into(),
                receipt_body: String::new(),
                receipt_signature: String::new(),
            },
            replaces: None,
            review_state: review_state.into(),
            replaces_sha256: None,
        }
    }

    #[test]
    fn an_rw_is_received_pending_a_correction_or_missing_by_its_latest_revision() {
        let mut bundles = vec![
            bundle("a", 1, 1, "2026-12-01T00:00:00Z", "perlu_perbaikan"),
            bundle("a2", 1, 2, "2026-12-03T00:00:00Z", "baru"),
            bundle("b", 2, 1, "2026-12-02T00:00:00Z", "perlu_perbaikan"),
            // A second meeting of RW 3, received later, decides its state.
            bundle("c", 3, 1, "2026-12-01T00:00:00Z", "disetujui"),
            bundle("d", 3, 1, "2026-12-04T00:00:00Z", "ditolak"),
            bundle("a3", 1, 3, "2026-12-02T12:00:00Z", "baru"),
        ];
        // Revision 2 replaces 1, and 3 (received out of order) replaces 2.
        bundles[1].replaces_sha256 = Some(bundles[0].sha256.clone());
        bundles[5].replaces_sha256 = Some(bundles[1].sha256.clone());
        let latest = latest_revisions(&bundles);
        assert_eq!(latest.len(), 4);
        assert_eq!(rw_state(&latest, 1), RwState::Received(&bundles[5]), "the correction arrived");
        assert_eq!(rw_state(&latest, 2), RwState::CorrectionPending(&bundles[2]));
        assert_eq!(rw_state(&latest, 3), RwState::Received(&bundles[4]));
        assert_eq!(rw_state(&latest, 4), RwState::Missing);
        assert_eq!(rw_state(&latest, 4).filter_name(), "belum");
    }

    #[test]
    fn cookies_forms_and_scopes_read_as_sent() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; rembug_sesi=abc; b=2"));
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, LOGIN_COOKIE), None);
        let form = Form::parse(b"csrf=t0k&catatan=%3Cb%3E+x&csrf=other");
        assert_eq!((form.get("csrf"), form.get("catatan"), form.get("none")), ("t0k", "<b> x", ""));
        assert!(form.check_csrf("t0k").is_ok());
        assert!(form.check_csrf("t0K").is_err());
        assert!(Form::parse(b"csrf=").check_csrf("").is_err(), "an empty login cookie is no token");
        let staff = Staff {
            name: "s".into(),
            password_hash: String::new(),
            role: Role::Staf,
            kecamatan_code: Some("32.77.01".into()),
        };
        let session = Session { staff, csrf: String::new(), id_sha256: String::new() };
        assert_eq!(
            cookie_value(true, SESSION_COOKIE, "x", "/", 60),
            "rembug_sesi=x; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure"
        );
        assert!(!cookie_value(false, SESSION_COOKIE, "x", "/", 60).contains("Secure"));
        assert!(session.covers("32.77.01.1001") && !session.covers("32.77.02.1001") && !session.covers("32.77.011.1"));
    }
}
