//! The office's OPD list and stage settings (migration 0006), sent to
//! devices in their answers.

use rembug_core::trust::DelegateRange;

use super::Transaction;
use super::staff::audit;
use crate::store::{AuditEntry, StageSettings, StoreError, StoreResult};

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

pub(super) fn stage_settings(transaction: &mut Transaction) -> StoreResult<Option<StageSettings>> {
    let row = transaction
        .query_opt("SELECT women_target_percent, delegates_min, delegates_max FROM stage_settings WHERE id = 1", &[])?;
    let small = |row: &postgres::Row, column: &str| -> StoreResult<u8> {
        let value: i32 = row.try_get(column)?;
        u8::try_from(value).map_err(|_| StoreError::OutOfRange(column.into()))
    };
    row.map(|row| {
        Ok(StageSettings {
            women_target_percent: small(&row, "women_target_percent")?,
            delegates: DelegateRange { min: small(&row, "delegates_min")?, max: small(&row, "delegates_max")? },
        })
    })
    .transpose()
}

pub(super) fn set_stage_settings(
    transaction: &mut Transaction,
    settings: &StageSettings,
    entry: &AuditEntry,
) -> StoreResult<()> {
    let values = [settings.women_target_percent, settings.delegates.min, settings.delegates.max].map(i32::from);
    transaction.execute(
        "INSERT INTO stage_settings (id, women_target_percent, delegates_min, delegates_max) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET women_target_percent = excluded.women_target_percent,
            delegates_min = excluded.delegates_min, delegates_max = excluded.delegates_max",
        &[&values[0], &values[1], &values[2]],
    )?;
    audit(transaction, entry)
}
