//! The bundles' figures (`bundle_figures`, `bundle_usulan`): kept with the
//! bundle's row, read by the summary, the exports and the recap.

use postgres::Row;
use postgres::types::ToSql;

use super::bundles::{BUNDLE_FROM, bundle_from_row, filter_parameters, parameter_values};
use super::{StoreError, Transaction, rw, rw_param};
use crate::store::figures::{FIGURES_COLUMNS, FIGURES_INSERT, USULAN_COLUMNS, USULAN_INSERT, with_usulan};
use crate::store::{
    BUNDLE_INSERT, BUNDLE_LIST_COLUMNS, Bundle, BundleFilter, FigureSums, Figures, LATEST_REVISION, PLACE_SUMS,
    StoreResult, SumFilter, SyntheticLoad, UsulanFigures, UsulanSums, place_sums, usulan_sums,
};

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
    stage: &str,
    figures: &Figures,
) -> StoreResult<()> {
    let usulan = i32::try_from(figures.usulan.len()).map_err(|_| StoreError::OutOfRange("usulan".into()))?;
    transaction.execute(
        &format!(
            "INSERT INTO {FIGURES_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        ),
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
            &planning_year,
            &kelurahan_code,
            &stage,
            &usulan,
            &figures.biaya(),
        ],
    )?;
    let insert_usulan = format!(
        "INSERT INTO {USULAN_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)"
    );
    for (position, usulan) in figures.usulan.iter().enumerate() {
        let position = i32::try_from(position).map_err(|_| StoreError::OutOfRange("position".into()))?;
        transaction.execute(
            &insert_usulan,
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
                &usulan.penerima_manfaat,
                &usulan.keterangan,
                &usulan.latitude,
                &usulan.longitude,
                &count_param(usulan.photos, "photos")?,
                &stage,
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
            penerima_manfaat: row.try_get("penerima_manfaat")?,
            keterangan: row.try_get("keterangan")?,
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
        "SELECT {BUNDLE_LIST_COLUMNS}, {FIGURES_COLUMNS} FROM {BUNDLE_FROM} \
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

pub(super) fn figure_sums(transaction: &mut Transaction, filter: &SumFilter) -> StoreResult<FigureSums> {
    let ([places, by_bidang, by_opd], values) = filter.queries(|n| format!("${n}"));
    let values = parameter_values(values);
    let parameters: Vec<&(dyn ToSql + Sync)> = values.iter().map(|value| value.as_ref()).collect();
    let places = transaction
        .query(&places, &parameters)?
        .iter()
        .map(|row| {
            let names = ["kecamatan_code", "kecamatan_name", "kelurahan_code", "kelurahan_name"];
            let names =
                [row.try_get(names[0])?, row.try_get(names[1])?, row.try_get(names[2])?, row.try_get(names[3])?];
            let mut sums = [0i64; 9];
            for (sum, column) in sums.iter_mut().zip(PLACE_SUMS) {
                *sum = row.try_get(column)?;
            }
            place_sums(row.try_get("planning_year")?, names, sums)
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let mut usulan = |sql: &str| -> StoreResult<Vec<UsulanSums>> {
        transaction
            .query(sql, &parameters)?
            .iter()
            .map(|row| {
                usulan_sums(
                    row.try_get("planning_year")?,
                    row.try_get("key")?,
                    row.try_get("usulan")?,
                    row.try_get("biaya")?,
                )
            })
            .collect()
    };
    let by_bidang = usulan(&by_bidang)?;
    Ok(FigureSums { places, by_bidang, by_opd: usulan(&by_opd)? })
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
    let Some(row) = transaction.query_opt(
        "SELECT planning_year, kelurahan_code, stage FROM bundle WHERE sha256 = $1 FOR UPDATE",
        &[&sha256],
    )?
    else {
        return Ok(());
    };
    let held = transaction.query_opt("SELECT 1 FROM bundle_figures WHERE bundle_sha256 = $1", &[&sha256])?;
    if held.is_some() {
        return Ok(());
    }
    let (year, kelurahan, stage): (i32, String, String) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    insert_figures(transaction, sha256, year, &kelurahan, &stage, figures)
}

/// One row of COPY's text format: fields `None` for NULL.
fn copy_row(out: &mut String, fields: &[Option<String>]) {
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            out.push('\t');
        }
        match field {
            None => out.push_str("\\N"),
            Some(text) => {
                for c in text.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
        }
    }
    out.push('\n');
}

/// Runs `COPY target FROM STDIN` with the rows written.
fn copy(transaction: &mut Transaction, target: &str, rows: &str) -> StoreResult<()> {
    let mut writer = transaction.copy_in(&format!("COPY {target} FROM STDIN"))?;
    std::io::Write::write_all(&mut writer, rows.as_bytes())?;
    writer.finish()?;
    Ok(())
}

fn text(value: impl ToString) -> Option<String> {
    Some(value.to_string())
}

/// A synthetic year's batch through COPY: devices and RW counts through
/// temporary tables (those already held are kept), bundles, figures and
/// usulan straight into their tables.
pub(super) fn load_synthetic(transaction: &mut Transaction, load: &SyntheticLoad) -> StoreResult<()> {
    let mut rows = String::new();
    for d in &load.devices {
        let row = [
            text(&d.device_id),
            text(&d.public_key),
            text(&d.fingerprint),
            text(&d.kelurahan_code),
            d.rw.map(text).unwrap_or_default(),
            text(&d.enrolled_at),
            d.revoked_at.as_ref().and_then(text),
        ];
        copy_row(&mut rows, &row);
    }
    transaction.batch_execute(
        "CREATE TEMPORARY TABLE synthetic_device (LIKE device) ON COMMIT DROP;
         CREATE TEMPORARY TABLE synthetic_rw_count (LIKE kelurahan_rw_count) ON COMMIT DROP;",
    )?;
    copy(transaction, "synthetic_device", &rows)?;
    rows.clear();
    for (kelurahan, count) in &load.rw_counts {
        copy_row(&mut rows, &[text(kelurahan), text(count)]);
    }
    copy(transaction, "synthetic_rw_count", &rows)?;
    transaction.batch_execute(
        "INSERT INTO device SELECT * FROM synthetic_device ON CONFLICT DO NOTHING;
         INSERT INTO kelurahan_rw_count SELECT * FROM synthetic_rw_count ON CONFLICT DO NOTHING;",
    )?;
    let (mut bundles, mut figures, mut usulan) = (String::new(), String::new(), String::new());
    for b in &load.bundles {
        let row = [
            text(&b.sha256),
            text(&b.bundle_id),
            text(b.size),
            text(&b.device_id),
            text(&b.kelurahan_code),
            b.rw.map(text).unwrap_or_default(),
            text(&b.stage),
            text(b.planning_year),
            text(&b.meeting_id),
            text(b.revision),
            text(&b.content_hash),
            b.replaces.as_ref().and_then(text),
            text(&b.received_at),
            text(&b.receipt_body),
            text(&b.receipt_signature),
        ];
        copy_row(&mut bundles, &row);
        let f = &b.figures;
        let row = [
            text(&b.sha256),
            text(&f.kelurahan_name),
            text(&f.kecamatan_code),
            text(&f.kecamatan_name),
            text(f.attendees),
            text(f.women),
            text(f.youth),
            text(f.disability),
            text(f.women_target_percent),
            text(f.women_target_met),
            text(b.planning_year),
            text(&b.kelurahan_code),
            text(&b.stage),
            text(f.usulan.len()),
            text(f.biaya()),
        ];
        copy_row(&mut figures, &row);
        for (position, u) in f.usulan.iter().enumerate() {
            let row = [
                text(&b.sha256),
                text(position),
                text(b.planning_year),
                text(&b.kelurahan_code),
                text(&u.usulan_id),
                text(u.rank),
                u.rw.map(text).unwrap_or_default(),
                text(&u.rt_list),
                text(&u.alamat),
                text(&u.permasalahan),
                text(&u.kegiatan),
                text(u.volume),
                text(&u.satuan),
                text(u.biaya),
                text(&u.bidang),
                text(&u.opd_tujuan),
                u.penerima_manfaat.map(text).unwrap_or_default(),
                text(&u.keterangan),
                u.latitude.map(text).unwrap_or_default(),
                u.longitude.map(text).unwrap_or_default(),
                text(u.photos),
                text(&b.stage),
            ];
            copy_row(&mut usulan, &row);
        }
    }
    copy(transaction, BUNDLE_INSERT, &bundles)?;
    copy(transaction, FIGURES_INSERT, &figures)?;
    copy(transaction, USULAN_INSERT, &usulan)
}
