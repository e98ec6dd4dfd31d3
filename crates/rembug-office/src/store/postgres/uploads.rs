//! Uploads in progress, and the cleanup of old nonces and wrong codes.

use postgres::Row;

use super::{Transaction, count, signed, unsigned};
use crate::store::{CreateUploadOutcome, StoreResult, Upload};

const UPLOAD_COLUMNS: &str = "upload_id, device_id, sha256, size, received";

fn upload_from_row(row: &Row) -> StoreResult<Upload> {
    Ok(Upload {
        upload_id: row.try_get("upload_id")?,
        device_id: row.try_get("device_id")?,
        sha256: row.try_get("sha256")?,
        size: unsigned(row, "size")?,
        received: unsigned(row, "received")?,
    })
}

/// The device's row is locked first, so two servers creating uploads for
/// one device count each other's.
pub(super) fn create_upload(
    transaction: &mut Transaction,
    upload: &Upload,
    max_per_device: u32,
    now: i64,
) -> StoreResult<CreateUploadOutcome> {
    transaction.execute("SELECT 1 FROM device WHERE device_id = $1 FOR UPDATE", &[&upload.device_id])?;
    let inserted = transaction.execute(
        "INSERT INTO upload (upload_id, device_id, sha256, size, received, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (device_id, sha256) DO NOTHING",
        &[&upload.upload_id, &upload.device_id, &upload.sha256, &signed(upload.size), &signed(upload.received), &now],
    )?;
    let sql = format!("SELECT {UPLOAD_COLUMNS} FROM upload WHERE device_id = $1 AND sha256 = $2");
    let stored = upload_from_row(&transaction.query_one(&sql, &[&upload.device_id, &upload.sha256])?)?;
    if inserted == 0 {
        return Ok(CreateUploadOutcome::Existing(stored));
    }
    let open = count(
        &transaction
            .query_one("SELECT count(*) FROM upload WHERE device_id = $1 AND received < size", &[&upload.device_id])?,
    )?;
    if open > max_per_device {
        transaction.execute("DELETE FROM upload WHERE upload_id = $1", &[&upload.upload_id])?;
        return Ok(CreateUploadOutcome::TooMany);
    }
    Ok(CreateUploadOutcome::Created(stored))
}

pub(super) fn upload(transaction: &mut Transaction, upload_id: &str) -> StoreResult<Option<Upload>> {
    let sql = format!("SELECT {UPLOAD_COLUMNS} FROM upload WHERE upload_id = $1");
    transaction.query_opt(&sql, &[&upload_id])?.as_ref().map(upload_from_row).transpose()
}

pub(super) fn set_received(transaction: &mut Transaction, upload_id: &str, received: u64, now: i64) -> StoreResult<()> {
    transaction.execute(
        "UPDATE upload SET received = $1, updated_at = $2 WHERE upload_id = $3",
        &[&signed(received), &now, &upload_id],
    )?;
    Ok(())
}

pub(super) fn delete_upload(transaction: &mut Transaction, upload_id: &str) -> StoreResult<()> {
    transaction.execute("DELETE FROM upload WHERE upload_id = $1", &[&upload_id])?;
    Ok(())
}

pub(super) fn uploads(transaction: &mut Transaction) -> StoreResult<Vec<Upload>> {
    let sql = format!("SELECT {UPLOAD_COLUMNS} FROM upload ORDER BY created_at, upload_id");
    transaction.query(&sql, &[])?.iter().map(upload_from_row).collect()
}

pub(super) fn remove_stale_uploads(transaction: &mut Transaction, before: i64) -> StoreResult<Vec<String>> {
    let rows = transaction.query("DELETE FROM upload WHERE updated_at < $1 RETURNING upload_id", &[&before])?;
    Ok(rows.iter().map(|row| row.try_get("upload_id")).collect::<Result<_, _>>()?)
}

pub(super) fn prune(transaction: &mut Transaction, before: i64) -> StoreResult<()> {
    transaction.execute("DELETE FROM request_nonce WHERE seen_at < $1", &[&before])?;
    transaction.execute("DELETE FROM enroll_attempt WHERE at < $1", &[&before])?;
    Ok(())
}
