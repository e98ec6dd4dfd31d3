//! Each kelurahan's RW count, the review of bundles and usulan outcomes,
//! each change logged in its transaction.

use super::Transaction;
use super::staff::audit;
use crate::store::{AuditEntry, Review, StoreError, StoreResult, UsulanOutcome};

pub(super) fn rw_counts(transaction: &mut Transaction) -> StoreResult<Vec<(String, u16)>> {
    let rows = transaction.query("SELECT kelurahan_code, rw_count FROM kelurahan_rw_count", &[])?;
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

pub(super) fn usulan_outcomes(transaction: &mut Transaction, sha256: &str) -> StoreResult<Vec<UsulanOutcome>> {
    let rows = transaction.query(
        "SELECT usulan_id, outcome, detail, staff_name, at FROM usulan_review WHERE bundle_sha256 = $1",
        &[&sha256],
    )?;
    rows.iter()
        .map(|row| {
            Ok(UsulanOutcome {
                usulan_id: row.try_get("usulan_id")?,
                outcome: row.try_get("outcome")?,
                detail: row.try_get("detail")?,
                staff_name: row.try_get("staff_name")?,
                at: row.try_get("at")?,
            })
        })
        .collect()
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
