//! The office's OPD list, for admins: one name per line in a textarea. The
//! list replaces the one each device keeps (its usulan form's OPD tujuan) on
//! the device's next sync, through the signed answers; replacing it is
//! logged. Usulan already saved keep the OPD text they were saved with.

use std::collections::HashSet;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rembug_core::error::FieldCode;
use rembug_core::opd::parse_opd_name;
use rembug_core::usulan::OPD_MAX_CHARS;

use super::{Form, PageResult, Session, blocking, csrf_field, page, redirect, session};
use crate::html::e;
use crate::server::AppState;

pub(super) async fn opd_page(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let session = session(&state, &headers).await?;
    session.require_city_admin()?;
    let store = state.office.store.clone();
    let names = blocking(move || Ok(store.opd_list()?)).await?;
    Ok(form_page(&session, StatusCode::OK, &names.join("\n"), None))
}

fn form_page(session: &Session, status: StatusCode, text: &str, message: Option<&str>) -> Response {
    let message = message.map(|m| format!("<p class=\"galat\" role=\"alert\">{}</p>", e(m))).unwrap_or_default();
    let body = format!(
        "{message}<p>Daftar OPD (perangkat daerah) yang ditawarkan formulir usulan di laptop kelurahan. Daftar ini \
         menggantikan daftar di setiap laptop pada sinkronisasi berikutnya; usulan yang sudah tersimpan tetap memakai \
         nama OPD-nya. Kosongkan daftar agar laptop tetap memakai daftarnya sendiri.</p>\
         <form method=\"post\" action=\"/opd\">{}\
         <label for=\"daftar\">Satu nama OPD per baris (paling banyak {OPD_MAX_CHARS} karakter)</label>\
         <textarea id=\"daftar\" name=\"daftar\" rows=\"20\" cols=\"80\">{}</textarea>\
         <p><button type=\"submit\">Simpan daftar OPD</button></p></form>",
        csrf_field(session),
        e(text)
    );
    page(status, "Daftar OPD", Some(session), &body)
}

pub(super) async fn save_opd(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> PageResult {
    let session = session(&state, &headers).await?;
    let form = Form::parse(&body);
    form.check_csrf(&session.csrf)?;
    session.require_city_admin()?;
    let text = form.get("daftar").to_owned();
    let names = match parse_list(&text) {
        Ok(names) => names,
        Err(message) => return Ok(form_page(&session, StatusCode::BAD_REQUEST, &text, Some(&message))),
    };
    let entry = session.audit("atur_daftar_opd", "opd", &format!("{} OPD", names.len()));
    let store = state.office.store.clone();
    blocking(move || Ok(store.replace_opd_list(&names, &entry)?)).await?;
    Ok(redirect("/opd", None))
}

/// The names of the textarea, one a line, trimmed; blank lines are skipped.
/// Refused with a message naming the line: a name over
/// [`OPD_MAX_CHARS`] characters, or one typed twice (ignoring case).
fn parse_list(text: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        let name = match parse_opd_name(line) {
            Ok(name) => name,
            Err(error) if error.code == FieldCode::Required => continue,
            Err(_) => return Err(format!("Nama OPD di baris {line_number} lebih dari {OPD_MAX_CHARS} karakter.")),
        };
        if !seen.insert(name.to_lowercase()) {
            return Err(format!("OPD \u{201c}{name}\u{201d} di baris {line_number} sudah ada di daftar."));
        }
        names.push(name);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_blank_ones_skipped_and_long_or_repeated_names_refused() {
        assert_eq!(
            parse_list("  Dinas Sosial \r\n\n Dinas Kesehatan\n"),
            Ok(vec!["Dinas Sosial".into(), "Dinas Kesehatan".into()])
        );
        assert_eq!(parse_list(" \n"), Ok(vec![]));
        assert_eq!(
            parse_list("Dinas Sosial\nDINAS SOSIAL"),
            Err("OPD \u{201c}DINAS SOSIAL\u{201d} di baris 2 sudah ada di daftar.".into())
        );
        assert_eq!(
            parse_list(&format!("Dinas Sosial\n{}", "x".repeat(OPD_MAX_CHARS + 1))),
            Err(format!("Nama OPD di baris 2 lebih dari {OPD_MAX_CHARS} karakter."))
        );
        assert!(parse_list(&"x".repeat(OPD_MAX_CHARS)).is_ok());
    }
}
