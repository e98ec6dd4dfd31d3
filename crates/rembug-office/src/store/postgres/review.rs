//! Each kelurahan's RW count, the review of bundles and usulan outcomes,
//! each change logged in its transaction.

use postgres::Row;
use postgres::types::ToSql;

use super::Transaction;
use super::bundles::filter_parameters;
use super::staff::audit;
use crate::store::{
    AuditEntry, BundleFilter, LATEST_REVISION, OUTCOME_COLUMNS, Review, StoreError, StoreResult, UsulanOutcome,
};

pub(super) fn rw_counts(transaction: &mut Transaction, wilayah: Option<&str>) -> StoreResult<Vec<(String, u16)>> {
    // The filter's conditions are over `b`'s kelurahan_code.
    let filter = BundleFilter { wilayah: wilayah.map(str::to_owned), ..BundleFilter::default() };
    let (conditions, values) = filter_parameters(&filter);
    let parameters: Vec<&(dyn ToSql + Sync)> = values.iter().map(|value| value.as_ref()).collect();
    let sql = format!("SELECT kelurahan_code, rw_count FROM kelurahan_rw_count b WHERE {conditions}");
    let rows = transaction.query(&sql, &parameters)?;
    rows.iter()
        .map(|row| {
            let count: i32 = row.try_get("rw_count")?;
            let count = u16::try_from(count).map_err(|_| StoreError::OutOfRange("rw_count".into()))?;
            Ok((row.try_get("kelurahan_code")?, count))
        })
        .collect()
}

pub(super) fn set_rw_count(
    transaction: &mut Transaction,
    kelurahan_code: &str,
    rw_count: u16,
    entry: &AuditEntry,
) -> StoreResult<()> {
    transaction.execute(
        "INSERT INTO kelurahan_rw_count (kelurahan_code, rw_count) VALUES ($1, $2)
         ON CONFLICT (kelurahan_code) DO UPDATE SET rw_count = excluded.rw_count",
        &[&kelurahan_code, &i32::from(rw_count)],
    )?;
    audit(transaction, entry)
}

pub(super) fn review(transaction: &mut Transaction, sha256: &str) -> StoreResult<Option<Review>> {
    let row = transaction.query_opt("SELECT review_state, review_note FROM bundle WHERE sha256 = $1", &[&sha256])?;
    row.map(|row| Ok(Review { state: row.try_get("review_state")?, note: row.try_get("review_note")? })).transpose()
}

pub(super) fn set_review(
    transaction: &mut Transaction,
    sha256: &str,
    review: &Review,
    entry: &AuditEntry,
) -> StoreResult<()> {
    transaction.execute(
        "UPDATE bundle SET review_state = $2, review_note = $3 WHERE sha256 = $1",
        &[&sha256, &review.state, &review.note],
    )?;
    audit(transaction, entry)
}

/// An usulan's outcome with its bundle's SHA-256.
fn outcome_from_row(row: &Row) -> StoreResult<(String, UsulanOutcome)> {
    let outcome = UsulanOutcome {
        usulan_id: row.try_get("usulan_id")?,
        outcome: row.try_get("outcome")?,
        detail: row.try_get("detail")?,
        staff_name: row.try_get("staff_name")?,
        at: row.try_get("at")?,
    };
    Ok((row.try_get("bundle_sha256")?, outcome))
}

pub(super) fn usulan_outcomes(transaction: &mut Transaction, sha256: &str) -> StoreResult<Vec<UsulanOutcome>> {
    let sql = format!("SELECT {OUTCOME_COLUMNS} FROM usulan_review o WHERE o.bundle_sha256 = $1");
    transaction.query(&sql, &[&sha256])?.iter().map(|row| Ok(outcome_from_row(row)?.1)).collect()
}

pub(super) fn usulan_outcomes_where(
    transaction: &mut Transaction,
    filter: &BundleFilter,
) -> StoreResult<Vec<(String, UsulanOutcome)>> {
    let (conditions, values) = filter_parameters(filter);
    let parameters: Vec<&(dyn ToSql + Sync)> = values.iter().map(|value| value.as_ref()).collect();
    let sql = format!(
        "SELECT {OUTCOME_COLUMNS} FROM bundle b JOIN usulan_review o ON o.bundle_sha256 = b.sha256 \
         WHERE {conditions} AND {LATEST_REVISION}"
    );
    transaction.query(&sql, &parameters)?.iter().map(outcome_from_row).collect()
}

pub(super) fn set_usulan_outcome(
    transaction: &mut Transaction,
    sha256: &str,
    outcome: &UsulanOutcome,
    entry: &AuditEntry,
) -> StoreResult<()> {
    transaction.execute(
        "INSERT INTO usulan_review (bundle_sha256, usulan_id, outcome, detail, staff_name, at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (bundle_sha256, usulan_id) DO UPDATE SET outcome = excluded.outcome,
             detail = excluded.detail, staff_name = excluded.staff_name, at = excluded.at",
        &[&sha256, &outcome.usulan_id, &outcome.outcome, &outcome.detail, &outcome.staff_name, &outcome.at],
    )?;
    audit(transaction, entry)
}
