//! A staff member changes their own password: the current one is asked
//! (a wrong one counts as a failed login, so it is rate-limited the same
//! way), the new one is hashed with argon2id, and every other session of
//! the account ends, all logged in one transaction.

use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;

use super::{
    Form, LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOW_SECS, PASSWORD_MIN_CHARS, PageResult,
    Session, blocking, csrf_field, page, session,
};
use crate::html::e;
use crate::password;
use crate::server::{AppState, Peer};

pub(super) async fn password_page(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let session = session(&state, &headers).await?;
    Ok(form_page(&session, StatusCode::OK, None))
}

fn form_page(session: &Session, status: StatusCode, message: Option<&str>) -> Response {
    let message = message.map(|m| format!("<p class=\"galat\" role=\"alert\">{}</p>", e(m))).unwrap_or_default();
    let body = format!(
        "{message}<p>Setelah kata sandi diganti, sesi akun ini di peramban atau perangkat lain diakhiri.</p>\
         <form method=\"post\" action=\"/kata-sandi\">{}\
         <label for=\"sekarang\">Kata sandi sekarang</label>\
         <input id=\"sekarang\" name=\"sekarang\" type=\"password\" autocomplete=\"current-password\" required>\
         <label for=\"baru\">Kata sandi baru (minimal {PASSWORD_MIN_CHARS} karakter)</label>\
         <input id=\"baru\" name=\"baru\" type=\"password\" autocomplete=\"new-password\" required>\
         <label for=\"ulangi\">Ulangi kata sandi baru</label>\
         <input id=\"ulangi\" name=\"ulangi\" type=\"password\" autocomplete=\"new-password\" required>\
         <p><button type=\"submit\">Ganti kata sandi</button></p></form>",
        csrf_field(session)
    );
    page(status, "Ganti kata sandi", Some(session), &body)
}

pub(super) async fn change_password(
    State(state): State<AppState>,
    Extension(peer): Extension<Peer>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let session = session(&state, &headers).await?;
    let form = Form::parse(&body);
    form.check_csrf(&session.csrf)?;
    // Passwords are taken as typed, spaces included.
    let field = |name: &str| form.0.get(name).cloned().unwrap_or_default();
    let (current, new, again) = (field("sekarang"), field("baru"), field("ulangi"));
    let problem = if new.chars().count() < PASSWORD_MIN_CHARS {
        Some("Kata sandi baru terlalu pendek.")
    } else if new != again {
        Some("Kata sandi baru dan ulangannya tidak sama.")
    } else if new == current {
        Some("Kata sandi baru harus berbeda dari yang sekarang.")
    } else {
        None
    };
    if let Some(problem) = problem {
        return Ok(form_page(&session, StatusCode::BAD_REQUEST, Some(problem)));
    }
    let store = state.office.store.clone();
    let (name, stored, keep) =
        (session.staff.name.clone(), session.staff.password_hash.clone(), session.id_sha256.clone());
    let entry = session.audit("ganti_kata_sandi", &name, "sesi lain diakhiri");
    let address = peer.0.to_string();
    let refused = blocking(move || {
        let now = Utc::now().timestamp();
        let (by_account, by_address) = store.login_failures_since(&name, &address, now - LOGIN_WINDOW_SECS)?;
        if by_account >= LOGIN_FAILURES_PER_ACCOUNT || by_address >= LOGIN_FAILURES_PER_ADDRESS {
            return Ok(Some((
                StatusCode::TOO_MANY_REQUESTS,
                "Terlalu banyak percobaan yang salah. Coba lagi 15 menit lagi.",
            )));
        }
        if !password::verify(&current, &stored) {
            store.record_login_failure(&name, &address, now)?;
            return Ok(Some((StatusCode::UNAUTHORIZED, "Kata sandi sekarang salah.")));
        }
        store.change_password(&name, &password::hash(&new), &keep, &entry)?;
        Ok(None)
    })
    .await?;
    if let Some((status, message)) = refused {
        return Ok(form_page(&session, status, Some(message)));
    }
    let body = "<p role=\"status\"><strong>Kata sandi sudah diganti.</strong> Sesi lain akun ini sudah diakhiri.</p>\
                <p><a href=\"/\">Kembali ke rekap</a></p>";
    Ok(page(StatusCode::OK, "Kata sandi diganti", Some(&session), body))
}
