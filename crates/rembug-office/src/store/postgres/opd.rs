//! The office's OPD list (migration 0006), sent to devices in their answers.

use super::Transaction;
use super::staff::audit;
use crate::store::{AuditEntry, StoreError, StoreResult};

pub(super) fn opd_list(transaction: &mut Transaction) -> StoreResult<Vec<String>> {
    let rows = transaction.query("SELECT name FROM opd ORDER BY position", &[])?;
    rows.iter().map(|row| Ok(row.try_get("name")?)).collect()
}

pub(super) fn replace_opd_list(transaction: &mut Transaction, names: &[String], entry: &AuditEntry) -> StoreResult<()> {
    transaction.execute("DELETE FROM opd", &[])?;
    for (position, name) in names.iter().enumerate() {
        let position = i32::try_from(position).map_err(|_| StoreError::OutOfRange("opd position".into()))?;
        transaction.execute("INSERT INTO opd (position, name) VALUES ($1, $2)", &[&position, name])?;
    }
    audit(transaction, entry)
}
