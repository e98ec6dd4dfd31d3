//! The bundles' figures (`bundle_figures`, `bundle_usulan`): kept with the
//! bundle's row, read by the summary, the exports and the recap.

use postgres::types::ToSql;
use postgres::{Row, Transaction};

use super::bundles::{BUNDLE_COLUMNS, BUNDLE_FROM, bundle_from_row, filter_parameters};
use super::{StoreError, rw, rw_param};
use crate::store::figures::{FIGURES_COLUMNS, FIGURES_INSERT, USULAN_COLUMNS, USULAN_INSERT, with_usulan};
use crate::store::{Bundle, BundleFilter, Figures, LATEST_REVISION, StoreResult, UsulanFigures};

fn count(row: &Row, column: &str) -> StoreResult<u32> {
    let value: i32 = row.try_get(column)?;
    u32::try_from(value).map_err(|_| StoreError::OutOfRange(column.to_owned()))
}

fn count_param(value: u32, column: &str) -> StoreResult<i32> {
    i32::try_from(value).map_err(|_| StoreError::OutOfRange(column.to_owned()))
}

/// Keeps a bundle's figures and its usulan rows.
pub(super) fn insert_figures(
    transaction: &mut Transaction,
    sha256: &str,
    planning_year: i32,
    kelurahan_code: &str,
    figures: &Figures,
) -> StoreResult<()> {
    transaction.execute(
        &format!("INSERT INTO {FIGURES_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
        &[
            &sha256,
            &figures.kelurahan_name,
            &figures.kecamatan_code,
            &figures.kecamatan_name,
            &count_param(figures.attendees, "attendees")?,
            &count_param(figures.women, "women")?,
            &count_param(figures.youth, "youth")?,
            &count_param(figures.disability, "disability")?,
            &i16::from(figures.women_target_percent),
            &figures.women_target_met,
        ],
    )?;
    let statement = transaction.prepare(&format!(
        "INSERT INTO {USULAN_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
    ))?;
    for (position, usulan) in figures.usulan.iter().enumerate() {
        let position = i32::try_from(position).map_err(|_| StoreError::OutOfRange("position".into()))?;
        transaction.execute(
            &statement,
            &[
                &sha256,
                &position,
                &planning_year,
                &kelurahan_code,
                &usulan.usulan_id,
                &count_param(usulan.rank, "rank")?,
                &rw_param(usulan.rw),
                &usulan.rt_list,
                &usulan.alamat,
                &usulan.permasalahan,
                &usulan.kegiatan,
                &usulan.volume,
                &usulan.satuan,
                &usulan.biaya,
                &usulan.bidang,
                &usulan.opd_tujuan,
                &usulan.latitude,
                &usulan.longitude,
                &count_param(usulan.photos, "photos")?,
            ],
        )?;
    }
    Ok(())
}

fn figures_from_row(row: &Row) -> StoreResult<Figures> {
    let target: i16 = row.try_get("women_target_percent")?;
    Ok(Figures {
        kelurahan_name: row.try_get("kelurahan_name")?,
        kecamatan_code: row.try_get("kecamatan_code")?,
        kecamatan_name: row.try_get("kecamatan_name")?,
        attendees: count(row, "attendees")?,
        women: count(row, "women")?,
        youth: count(row, "youth")?,
        disability: count(row, "disability")?,
        women_target_percent: u8::try_from(target)
            .map_err(|_| StoreError::OutOfRange("women_target_percent".into()))?,
        women_target_met: row.try_get("women_target_met")?,
        usulan: Vec::new(),
    })
}

fn usulan_from_row(row: &Row) -> StoreResult<(String, UsulanFigures)> {
    Ok((
        row.try_get("bundle_sha256")?,
        UsulanFigures {
            usulan_id: row.try_get("usulan_id")?,
            rank: count(row, "rank")?,
            rw: rw(row, "rw")?,
            rt_list: row.try_get("rt_list")?,
            alamat: row.try_get("alamat")?,
            permasalahan: row.try_get("permasalahan")?,
            kegiatan: row.try_get("kegiatan")?,
            volume: row.try_get("volume")?,
            satuan: row.try_get("satuan")?,
            biaya: row.try_get("biaya")?,
            bidang: row.try_get("bidang")?,
            opd_tujuan: row.try_get("opd_tujuan")?,
            latitude: row.try_get("latitude")?,
            longitude: row.try_get("longitude")?,
            photos: count(row, "photos")?,
        },
    ))
}

pub(super) fn figures_where(
    transaction: &mut Transaction,
    filter: &BundleFilter,
) -> StoreResult<Vec<(Bundle, Figures)>> {
    let (conditions, values) = filter_parameters(filter);
    let parameters: Vec<&(dyn ToSql + Sync)> = values.iter().map(|value| value.as_ref()).collect();
    let sql = format!(
        "SELECT {BUNDLE_COLUMNS}, {FIGURES_COLUMNS} FROM {BUNDLE_FROM} \
         JOIN bundle_figures f ON f.bundle_sha256 = b.sha256 \
         WHERE {conditions} AND {LATEST_REVISION} ORDER BY b.seq"
    );
    let bundles = transaction
        .query(&sql, &parameters)?
        .iter()
        .map(|row| Ok((bundle_from_row(row)?, figures_from_row(row)?)))
        .collect::<StoreResult<Vec<_>>>()?;
    let sql = format!(
        "SELECT {USULAN_COLUMNS} FROM bundle b JOIN bundle_usulan u ON u.bundle_sha256 = b.sha256 \
         WHERE {conditions} AND {LATEST_REVISION} ORDER BY u.bundle_sha256, u.position"
    );
    let usulan = transaction.query(&sql, &parameters)?.iter().map(usulan_from_row).collect::<StoreResult<Vec<_>>>()?;
    Ok(with_usulan(bundles, usulan))
}

pub(super) fn latest_planning_year(transaction: &mut Transaction) -> StoreResult<Option<i32>> {
    Ok(transaction.query_one("SELECT max(planning_year) FROM bundle", &[])?.try_get(0)?)
}

pub(super) fn bundles_without_figures(transaction: &mut Transaction) -> StoreResult<Vec<String>> {
    let rows = transaction.query(
        "SELECT sha256 FROM bundle b WHERE NOT EXISTS \
         (SELECT 1 FROM bundle_figures f WHERE f.bundle_sha256 = b.sha256) ORDER BY b.seq",
        &[],
    )?;
    rows.iter().map(|row| Ok(row.try_get(0)?)).collect()
}

/// Keeps the figures once: two servers backfilling together meet on the
/// row lock of the bundle, and the second finds the figures there.
pub(super) fn record_figures(transaction: &mut Transaction, sha256: &str, figures: &Figures) -> StoreResult<()> {
    let Some(row) = transaction
        .query_opt("SELECT planning_year, kelurahan_code FROM bundle WHERE sha256 = $1 FOR UPDATE", &[&sha256])?
    else {
        return Ok(());
    };
    let held = transaction.query_opt("SELECT 1 FROM bundle_figures WHERE bundle_sha256 = $1", &[&sha256])?;
    if held.is_some() {
        return Ok(());
    }
    let (year, kelurahan): (i32, String) = (row.try_get(0)?, row.try_get(1)?);
    insert_figures(transaction, sha256, year, &kelurahan, figures)
}
