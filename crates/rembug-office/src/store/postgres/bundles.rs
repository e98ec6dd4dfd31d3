//! Delivered bundles and their receipts.

use postgres::Row;
use postgres::types::ToSql;

use super::figures::insert_figures;
use super::{Transaction, insert_unless_unique, rw, rw_param, signed, unsigned};
use crate::store::{
    BUNDLE_COLUMNS, BUNDLE_INSERT, BUNDLE_LIST_COLUMNS, Bundle, BundleFacts, BundleFilter, FilterValue, NewBundle,
    NewSignedPages, RecordOutcome, SignedPagesBundle, SignedPagesOutcome, StoreError, StoreResult, revision_chain_sql,
};

pub(super) const BUNDLE_FROM: &str = "bundle b LEFT JOIN bundle r ON r.sha256 = b.replaces";

pub(super) fn bundle_from_row(row: &Row) -> StoreResult<Bundle> {
    let revision: i32 = row.try_get("revision")?;
    Ok(Bundle {
        facts: BundleFacts {
            bundle_id: row.try_get("bundle_id")?,
            sha256: row.try_get("sha256")?,
            size: unsigned(row, "size")?,
            device_id: row.try_get("device_id")?,
            kelurahan_code: row.try_get("kelurahan_code")?,
            rw: rw(row, "rw")?,
            stage: row.try_get("stage")?,
            planning_year: row.try_get("planning_year")?,
            meeting_id: row.try_get("meeting_id")?,
            revision: u32::try_from(revision).map_err(|_| StoreError::OutOfRange("revision".into()))?,
            content_hash: row.try_get("content_hash")?,
            received_at: row.try_get("received_at")?,
            receipt_body: row.try_get("receipt_body")?,
            receipt_signature: row.try_get("receipt_signature")?,
        },
        replaces: row.try_get("replaces_bundle_id")?,
        review_state: row.try_get("review_state")?,
        replaces_sha256: row.try_get("replaces_sha256")?,
    })
}

pub(super) fn bundle(transaction: &mut Transaction, sha256: &str) -> StoreResult<Option<Bundle>> {
    let sql = format!("SELECT {BUNDLE_COLUMNS} FROM {BUNDLE_FROM} WHERE b.sha256 = $1");
    transaction.query_opt(&sql, &[&sha256])?.as_ref().map(bundle_from_row).transpose()
}

pub(super) fn bundle_of_revision(
    transaction: &mut Transaction,
    meeting_id: &str,
    content_hash: &str,
) -> StoreResult<Option<Bundle>> {
    let sql = format!("SELECT {BUNDLE_COLUMNS} FROM {BUNDLE_FROM} WHERE b.meeting_id = $1 AND b.content_hash = $2");
    transaction.query_opt(&sql, &[&meeting_id, &content_hash])?.as_ref().map(bundle_from_row).transpose()
}

/// Records the bundle once. Two servers recording the same SHA-256 at once
/// meet on the primary key: the second waits for the first and gets its
/// record. A meeting revision, or a replaced revision, held by another
/// bundle is a conflict; PostgreSQL may report the same SHA-256 racing in
/// on one of those constraints too, so a refused insert looks again for the
/// SHA-256 (the first transaction has committed by then).
pub(super) fn record_bundle(
    transaction: &mut Transaction,
    new: &NewBundle,
    upload_id: &str,
) -> StoreResult<RecordOutcome> {
    let revision = i32::try_from(new.revision).map_err(|_| StoreError::OutOfRange("revision".into()))?;
    let inserted = insert_unless_unique(
        transaction,
        &format!(
            "INSERT INTO {BUNDLE_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             ON CONFLICT (sha256) DO NOTHING"
        ),
        &[
            &new.sha256,
            &new.bundle_id,
            &signed(new.size),
            &new.device_id,
            &new.kelurahan_code,
            &rw_param(new.rw),
            &new.stage,
            &new.planning_year,
            &new.meeting_id,
            &revision,
            &new.content_hash,
            &new.replaces,
            &new.received_at,
            &new.receipt_body,
            &new.receipt_signature,
        ],
    )?;
    let outcome = match (inserted, bundle(transaction, &new.sha256)?) {
        (Some(1), Some(recorded)) => {
            insert_figures(transaction, &new.sha256, new.planning_year, &new.kelurahan_code, &new.stage, &new.figures)?;
            RecordOutcome::Recorded(recorded)
        }
        (_, Some(held)) => RecordOutcome::Duplicate(held),
        (_, None) => return Ok(RecordOutcome::RevisionConflict),
    };
    transaction.execute("DELETE FROM upload WHERE upload_id = $1", &[&upload_id])?;
    Ok(outcome)
}

pub(super) fn bundles(transaction: &mut Transaction) -> StoreResult<Vec<Bundle>> {
    let sql = format!("SELECT {BUNDLE_COLUMNS} FROM {BUNDLE_FROM} ORDER BY b.seq");
    transaction.query(&sql, &[])?.iter().map(bundle_from_row).collect()
}

pub(super) fn bundles_where(transaction: &mut Transaction, filter: &BundleFilter) -> StoreResult<Vec<Bundle>> {
    let (conditions, values) = filter_parameters(filter);
    let sql = format!("SELECT {BUNDLE_LIST_COLUMNS} FROM {BUNDLE_FROM} WHERE {conditions} ORDER BY b.seq");
    let parameters: Vec<&(dyn ToSql + Sync)> = values.iter().map(|value| value.as_ref()).collect();
    transaction.query(&sql, &parameters)?.iter().map(bundle_from_row).collect()
}

/// `filter`'s conditions over `b` with `$n` parameters, and their values.
pub(super) fn filter_parameters(filter: &BundleFilter) -> (String, Vec<Box<dyn ToSql + Sync>>) {
    let (conditions, values) = filter.conditions(|n| format!("${n}"));
    (conditions, parameter_values(values))
}

/// A filter's values as PostgreSQL parameters.
pub(super) fn parameter_values(values: Vec<FilterValue>) -> Vec<Box<dyn ToSql + Sync>> {
    values
        .into_iter()
        .map(|value| -> Box<dyn ToSql + Sync> {
            match value {
                FilterValue::Text(text) => Box::new(text),
                FilterValue::Integer(number) => Box::new(number),
            }
        })
        .collect()
}

pub(super) fn revision_chain(transaction: &mut Transaction, sha256: &str) -> StoreResult<Vec<Bundle>> {
    let sql = format!(
        "SELECT {BUNDLE_COLUMNS} FROM {BUNDLE_FROM} WHERE b.sha256 IN ({}) ORDER BY b.revision",
        revision_chain_sql("$1")
    );
    transaction.query(&sql, &[&sha256])?.iter().map(bundle_from_row).collect()
}

pub(super) fn bundle_exists(transaction: &mut Transaction, sha256: &str) -> StoreResult<bool> {
    let sql = "SELECT 1 FROM bundle WHERE sha256 = $1 UNION ALL SELECT 1 FROM signed_pages_bundle WHERE sha256 = $1";
    Ok(transaction.query_opt(&format!("{sql} LIMIT 1"), &[&sha256])?.is_some())
}

const SIGNED_PAGES_COLUMNS: &str =
    "sha256, bundle_id, size, device_id, revision_sha256, page_count, received_at, receipt_body, receipt_signature";

fn signed_pages_from_row(row: &Row) -> StoreResult<SignedPagesBundle> {
    let page_count: i32 = row.try_get("page_count")?;
    Ok(SignedPagesBundle {
        sha256: row.try_get("sha256")?,
        bundle_id: row.try_get("bundle_id")?,
        size: unsigned(row, "size")?,
        device: row.try_get("device_id")?,
        revision_sha256: row.try_get("revision_sha256")?,
        page_count: u32::try_from(page_count).map_err(|_| StoreError::OutOfRange("page_count".into()))?,
        received_at: row.try_get("received_at")?,
        receipt_body: row.try_get("receipt_body")?,
        receipt_signature: row.try_get("receipt_signature")?,
    })
}

pub(super) fn signed_pages(transaction: &mut Transaction, sha256: &str) -> StoreResult<Option<SignedPagesBundle>> {
    let sql = format!("SELECT {SIGNED_PAGES_COLUMNS} FROM signed_pages_bundle WHERE sha256 = $1");
    transaction.query_opt(&sql, &[&sha256])?.as_ref().map(signed_pages_from_row).transpose()
}

/// Records the signed-pages bundle once: two servers recording the same
/// SHA-256 at once meet on the primary key, and the second gets the first
/// record.
pub(super) fn record_signed_pages(
    transaction: &mut Transaction,
    new: &NewSignedPages,
    upload_id: &str,
) -> StoreResult<SignedPagesOutcome> {
    let page_count = i32::try_from(new.page_count).map_err(|_| StoreError::OutOfRange("page_count".into()))?;
    let inserted = transaction.execute(
        "INSERT INTO signed_pages_bundle (sha256, bundle_id, size, device_id, revision_sha256, page_count,
             received_at, receipt_body, receipt_signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (sha256) DO NOTHING",
        &[
            &new.sha256,
            &new.bundle_id,
            &signed(new.size),
            &new.device_id,
            &new.revision_sha256,
            &page_count,
            &new.received_at,
            &new.receipt_body,
            &new.receipt_signature,
        ],
    )?;
    let held = signed_pages(transaction, &new.sha256)?
        .ok_or_else(|| StoreError::OutOfRange("signed pages recorded but not found".into()))?;
    transaction.execute("DELETE FROM upload WHERE upload_id = $1", &[&upload_id])?;
    Ok(if inserted == 1 { SignedPagesOutcome::Recorded(held) } else { SignedPagesOutcome::Duplicate(held) })
}

pub(super) fn signed_pages_of(
    transaction: &mut Transaction,
    revision_sha256: &str,
) -> StoreResult<Vec<SignedPagesBundle>> {
    let sql = format!("SELECT {SIGNED_PAGES_COLUMNS} FROM signed_pages_bundle WHERE revision_sha256 = $1 ORDER BY seq");
    transaction.query(&sql, &[&revision_sha256])?.iter().map(signed_pages_from_row).collect()
}
