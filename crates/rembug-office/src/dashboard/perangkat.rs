//! The enrolled devices, for admins (inside their kecamatan): each device's
//! fingerprint, kelurahan and RW, when it enrolled, and whether it is
//! revoked; revoking one (`Office::revoke`, as `rembug-office revoke` does)
//! changes its kelurahan's roster and is logged.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use rembug_core::meeting::Timezone;
use rembug_core::tanggal::instant_in;
use rembug_core::text::area_number_text;

use super::{Form, PageResult, Refusal, blocking, csrf_field, page, redirect, session};
use crate::html::e;
use crate::server::AppState;

pub(super) async fn devices(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let session = session(&state, &headers).await?;
    session.require_admin()?;
    let store = state.office.store.clone();
    let devices = blocking(move || Ok(store.devices()?)).await?;
    let places = state.office.wilayah.clone();
    let mut rows = String::new();
    for device in devices.iter().filter(|device| session.covers(&device.kelurahan_code)) {
        let timezone = Timezone::for_kemendagri_code(&device.kelurahan_code);
        let place = places.iter().find(|k| k.code == device.kelurahan_code).map_or("", |k| k.name.as_str());
        let state = match &device.revoked_at {
            Some(at) => format!("Dicabut {}", e(&instant_in(timezone, at))),
            None => format!(
                "Aktif<form method=\"post\" action=\"/perangkat/cabut\">{}\
                 <input type=\"hidden\" name=\"perangkat\" value=\"{}\">\
                 <label><input type=\"checkbox\" name=\"yakin\" value=\"ya\" required> yakin</label> \
                 <button type=\"submit\">Cabut</button></form>",
                csrf_field(&session),
                e(&device.device_id)
            ),
        };
        rows.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{} <small>{}</small></td><td>{}</td><td>{}</td><td>{state}</td></tr>",
            e(&device.fingerprint),
            e(place),
            e(&device.kelurahan_code),
            device
                .rw
                .map(|rw| format!("RW {}", area_number_text(rw)))
                .unwrap_or_else(|| "seluruh kelurahan".to_owned()),
            e(&instant_in(timezone, &device.enrolled_at)),
        ));
    }
    let body = format!(
        "<p>Perangkat kader yang terdaftar. Perangkat yang dicabut tidak bisa lagi mengirim bundel, dan laptop \
         kelurahan mengetahuinya dari daftar perangkat berikutnya.</p><div class=\"tabel\"><table><tr>\
         <th>Sidik jari</th><th>Kelurahan</th><th>Cakupan</th><th>Terdaftar</th><th>Keadaan</th></tr>{rows}</table></div>"
    );
    Ok(page(StatusCode::OK, "Perangkat terdaftar", Some(&session), &body))
}

pub(super) async fn revoke(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> PageResult {
    let session = session(&state, &headers).await?;
    let form = Form::parse(&body);
    form.check_csrf(&session.csrf)?;
    session.require_admin()?;
    if form.get("yakin") != "ya" {
        return Err(Refusal::BadRequest("Centang \u{201c}yakin\u{201d} untuk mencabut perangkat.".into()));
    }
    let device_id = form.get("perangkat").to_owned();
    let store = state.office.store.clone();
    let key = device_id.clone();
    let device = blocking(move || Ok(store.device(&key)?)).await?.ok_or(Refusal::NotFound)?;
    if !session.covers(&device.kelurahan_code) {
        return Err(Refusal::Forbidden("Perangkat ini di luar kecamatan Anda."));
    }
    let detail = format!("{} {}", device.fingerprint, device.kelurahan_code);
    let entry = session.audit("cabut_perangkat", &device_id, &detail);
    let (office, store) = (state.office.clone(), state.office.store.clone());
    blocking(move || {
        office.revoke(&device_id)?;
        Ok(store.audit(&entry)?)
    })
    .await?;
    Ok(redirect("/perangkat", None))
}
