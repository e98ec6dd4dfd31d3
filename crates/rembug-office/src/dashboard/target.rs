//! The office's women's target and delegate range, for admins. Once set,
//! they replace each device's own (its recording settings) on the device's
//! next sync, through the signed answers; setting them is logged.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rembug_core::settings::DELEGATES_LIMIT;
use rembug_core::trust::DelegateRange;

use super::{Form, PageResult, Session, blocking, csrf_field, page, redirect, session};
use crate::html::e;
use crate::server::AppState;
use crate::store::StageSettings;

pub(super) async fn target_page(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let session = session(&state, &headers).await?;
    session.require_city_admin()?;
    let store = state.office.store.clone();
    let held = blocking(move || Ok(store.stage_settings()?)).await?;
    let values = held.map_or([String::new(), String::new(), String::new()], |held| {
        [held.women_target_percent, held.delegates.min, held.delegates.max].map(|value| value.to_string())
    });
    Ok(form_page(&session, StatusCode::OK, &values, None))
}

fn form_page(session: &Session, status: StatusCode, values: &[String; 3], message: Option<&str>) -> Response {
    let message = message.map(|m| format!("<p class=\"galat\" role=\"alert\">{}</p>", e(m))).unwrap_or_default();
    let body = format!(
        "{message}<p>Target keterwakilan perempuan dan jumlah delegasi setiap musyawarah. Setelah disimpan, nilai \
         ini menggantikan pengaturan di setiap laptop kelurahan pada sinkronisasi berikutnya.</p>\
         <form method=\"post\" action=\"/target\">{}\
         <label for=\"perempuan\">Target keterwakilan perempuan (persen, 0 sampai 100)</label>\
         <input id=\"perempuan\" name=\"perempuan\" inputmode=\"numeric\" value=\"{}\" required>\
         <label for=\"delegasi_min\">Delegasi paling sedikit (1 sampai {DELEGATES_LIMIT})</label>\
         <input id=\"delegasi_min\" name=\"delegasi_min\" inputmode=\"numeric\" value=\"{}\" required>\
         <label for=\"delegasi_maks\">Delegasi paling banyak (1 sampai {DELEGATES_LIMIT})</label>\
         <input id=\"delegasi_maks\" name=\"delegasi_maks\" inputmode=\"numeric\" value=\"{}\" required>\
         <p><button type=\"submit\">Simpan target</button></p></form>",
        csrf_field(session),
        e(&values[0]),
        e(&values[1]),
        e(&values[2])
    );
    page(status, "Target musyawarah", Some(session), &body)
}

pub(super) async fn save_target(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> PageResult {
    let session = session(&state, &headers).await?;
    let form = Form::parse(&body);
    form.check_csrf(&session.csrf)?;
    session.require_city_admin()?;
    let values = ["perempuan", "delegasi_min", "delegasi_maks"].map(|name| form.get(name).to_owned());
    let settings = match parse_target(&values) {
        Ok(settings) => settings,
        Err(message) => return Ok(form_page(&session, StatusCode::BAD_REQUEST, &values, Some(&message))),
    };
    let detail = format!(
        "perempuan {}%, delegasi {}-{}",
        settings.women_target_percent, settings.delegates.min, settings.delegates.max
    );
    let entry = session.audit("atur_target_musyawarah", "target", &detail);
    let store = state.office.store.clone();
    blocking(move || Ok(store.set_stage_settings(&settings, &entry)?)).await?;
    Ok(redirect("/target", None))
}

/// The women's target (0 to 100) and the delegate range (1 to
/// [`DELEGATES_LIMIT`], the least at most the most), as typed.
fn parse_target([women, least, most]: &[String; 3]) -> Result<StageSettings, String> {
    let women_target_percent = women
        .parse()
        .ok()
        .filter(|percent| *percent <= 100)
        .ok_or("Target keterwakilan perempuan harus angka 0 sampai 100.".to_owned())?;
    let delegate =
        |raw: &str| raw.parse::<u8>().ok().filter(|count| (1..=DELEGATES_LIMIT).contains(&usize::from(*count)));
    let (Some(min), Some(max)) = (delegate(least), delegate(most)) else {
        return Err(format!("Jumlah delegasi harus angka 1 sampai {DELEGATES_LIMIT}."));
    };
    let delegates = DelegateRange { min, max };
    if !delegates.is_valid() {
        return Err("Delegasi paling sedikit tidak boleh lebih dari delegasi paling banyak.".to_owned());
    }
    Ok(StageSettings { women_target_percent, delegates })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(women: &str, least: &str, most: &str) -> Result<StageSettings, String> {
        parse_target(&[women.to_owned(), least.to_owned(), most.to_owned()])
    }

    #[test]
    fn the_target_is_a_percent_and_the_range_runs_upward_within_the_limit() {
        let range = DelegateRange { min: 3, max: 7 };
        assert_eq!(parse("40", "3", "7"), Ok(StageSettings { women_target_percent: 40, delegates: range }));
        assert_eq!(parse("101", "3", "7"), Err("Target keterwakilan perempuan harus angka 0 sampai 100.".to_owned()));
        assert_eq!(parse("", "3", "7"), Err("Target keterwakilan perempuan harus angka 0 sampai 100.".to_owned()));
        assert_eq!(parse("30", "0", "7"), Err("Jumlah delegasi harus angka 1 sampai 20.".to_owned()));
        assert_eq!(parse("30", "3", "21"), Err("Jumlah delegasi harus angka 1 sampai 20.".to_owned()));
        assert_eq!(
            parse("30", "8", "7"),
            Err("Delegasi paling sedikit tidak boleh lebih dari delegasi paling banyak.".to_owned())
        );
    }
}
