//! The recap of one kecamatan and planning year as a PDF
//! (`/ekspor/rekap.pdf?kecamatan=..&tahun=..`), laid out by `rembug-docs`:
//! per kelurahan the RWs whose Rembug Warga reached the office and those
//! missing, with their usulan and estimated cost, then the usulan by bidang.
//! Figures come from the latest revision of each Rembug Warga as the index
//! keeps them (`store::Figures`), summed by the database
//! (`OfficeStore::figure_sums`), and its RW from the bundle rows; no bundle
//! file is opened. Inside the account's kecamatan; every role may read it
//! and each download is logged.

use std::collections::BTreeMap;

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use chrono::Utc;
use rembug_core::meeting::Timezone;
use rembug_core::wilayah::Kelurahan;
use rembug_docs::{RekapBidang, RekapKecamatan, RekapKelurahan, render_rekap};

use super::ekspor::{bidang_label, download};
use super::{PageResult, Refusal, blocking, latest_revisions, query, session};
use crate::server::AppState;
use crate::store::{BundleFilter, SumFilter};

/// `rekap.pdf` of the kecamatan and year the query names; an account
/// limited to a kecamatan gets its own when none is named.
pub(super) async fn recap_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let session = session(&state, &headers).await?;
    let form = query(raw);
    let kecamatan = match (form.get("kecamatan"), &session.staff.kecamatan_code) {
        ("", Some(own)) => own.clone(),
        (named, _) => named.to_owned(),
    };
    let places: Vec<Kelurahan> =
        state.office.wilayah.clone().iter().filter(|k| k.kecamatan_code == kecamatan).cloned().collect();
    let Some(first) = places.first() else {
        return Err(Refusal::BadRequest("Kecamatan tidak dikenal.".into()));
    };
    if !session.covers(&first.code) {
        return Err(Refusal::Forbidden("Kecamatan ini di luar kecamatan Anda."));
    }
    let year = form.get("tahun").parse().map_err(|_| Refusal::BadRequest("Tahun perencanaan tidak dikenal.".into()))?;
    // The latest revision of each Rembug Warga: its RW from the bundle rows,
    // its usulan and cost summed by the database.
    let filter = BundleFilter {
        planning_year: Some(year),
        wilayah: Some(kecamatan.clone()),
        stage: Some("rembug_warga".into()),
        ..BundleFilter::default()
    };
    let sum_filter = SumFilter {
        planning_year: filter.planning_year,
        wilayah: filter.wilayah.clone(),
        stage: filter.stage.clone(),
        ..SumFilter::default()
    };
    let store = state.office.store.clone();
    let (bundles, sums, counts) = blocking(move || {
        Ok((
            store.bundles_where(&filter)?,
            store.figure_sums(&sum_filter)?,
            store.rw_counts(filter.wilayah.as_deref())?,
        ))
    })
    .await?;
    let counts: BTreeMap<String, u16> = counts.into_iter().collect();
    let latest = latest_revisions(&bundles);

    let mut bidang: BTreeMap<&str, RekapBidang> = BTreeMap::new();
    for row in &sums.by_bidang {
        let label = bidang_label(&row.key);
        let sum = bidang.entry(label).or_insert_with(|| RekapBidang { bidang: label.to_owned(), usulan: 0, biaya: 0 });
        sum.usulan += row.usulan;
        sum.biaya += row.biaya;
    }
    let mut kelurahan = Vec::new();
    for place in &places {
        let mut row = RekapKelurahan {
            name: place.name.clone(),
            rw_count: counts.get(&place.code).copied(),
            rw_received: Vec::new(),
            usulan: 0,
            biaya: 0,
        };
        for bundle in latest.iter().filter(|bundle| bundle.kelurahan_code == place.code) {
            row.rw_received.extend(bundle.rw.filter(|rw| !row.rw_received.contains(rw)));
        }
        for sums in sums.places.iter().filter(|sums| sums.kelurahan_code == place.code) {
            row.usulan += sums.usulan;
            row.biaya += sums.biaya;
        }
        row.rw_received.sort_unstable();
        kelurahan.push(row);
    }
    let rekap = RekapKecamatan {
        kota_name: first.kota_name.clone(),
        office_name: state.office.identity.name.clone(),
        office_city: state.office.identity.city.clone(),
        kecamatan_name: first.kecamatan_name.clone(),
        planning_year: year,
        printed_on: Utc::now().with_timezone(&Timezone::for_kemendagri_code(&first.code).offset()).date_naive(),
        kelurahan,
        bidang: bidang.into_values().collect(),
    };
    let detail = format!("{} usulan", rekap.kelurahan.iter().map(|row| row.usulan).sum::<u32>());
    let pdf = blocking(move || Ok(render_rekap(&rekap)?)).await?;
    let stem = format!("rekap-{kecamatan}-{year}");
    let entry = session.audit("ekspor_rekap", &format!("{stem} pdf"), &detail);
    let store = state.office.store.clone();
    blocking(move || Ok(store.audit(&entry)?)).await?;
    download(pdf, "application/pdf", &format!("{stem}.pdf"))
}
