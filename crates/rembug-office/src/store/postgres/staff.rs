//! Staff accounts, their sessions, failed logins and the audit log.

use postgres::Row;

use super::{Transaction, count, insert_unless_unique};
use crate::store::{AuditEntry, Role, Staff, StoreResult};

const STAFF_COLUMNS: &str = "name, password_hash, role, kecamatan_code";

fn staff_from_row(row: &Row) -> StoreResult<Staff> {
    let role: String = row.try_get("role")?;
    Ok(Staff {
        name: row.try_get("name")?,
        password_hash: row.try_get("password_hash")?,
        // The table's check allows these three only.
        role: Role::parse(&role).unwrap_or(Role::Pimpinan),
        kecamatan_code: row.try_get("kecamatan_code")?,
    })
}

pub(super) fn audit(transaction: &mut Transaction, entry: &AuditEntry) -> StoreResult<()> {
    transaction.execute(
        "INSERT INTO audit_log (at, staff_name, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
        &[&entry.at, &entry.staff_name, &entry.action, &entry.target, &entry.detail],
    )?;
    Ok(())
}

pub(super) fn staff(transaction: &mut Transaction, name: &str) -> StoreResult<Option<Staff>> {
    let sql = format!("SELECT {STAFF_COLUMNS} FROM staff WHERE name = $1");
    transaction.query_opt(&sql, &[&name])?.as_ref().map(staff_from_row).transpose()
}

pub(super) fn staff_list(transaction: &mut Transaction) -> StoreResult<Vec<Staff>> {
    let sql = format!("SELECT {STAFF_COLUMNS} FROM staff ORDER BY name");
    transaction.query(&sql, &[])?.iter().map(staff_from_row).collect()
}

pub(super) fn create_staff(transaction: &mut Transaction, account: &Staff, by: &str, now: &str) -> StoreResult<bool> {
    let inserted = insert_unless_unique(
        transaction,
        "INSERT INTO staff (name, password_hash, role, kecamatan_code, created_at) VALUES ($1, $2, $3, $4, $5)",
        &[&account.name, &account.password_hash, &account.role.as_str(), &account.kecamatan_code, &now],
    )?;
    if inserted.is_none() {
        return Ok(false);
    }
    let detail = format!("{} {}", account.role.as_str(), account.kecamatan_code.as_deref().unwrap_or("kota"));
    let entry = AuditEntry {
        at: now.to_owned(),
        staff_name: by.to_owned(),
        action: "buat_akun".into(),
        target: account.name.clone(),
        detail,
    };
    audit(transaction, &entry)?;
    Ok(true)
}

pub(super) fn set_password_hash(transaction: &mut Transaction, name: &str, password_hash: &str) -> StoreResult<()> {
    transaction.execute("UPDATE staff SET password_hash = $2 WHERE name = $1", &[&name, &password_hash])?;
    Ok(())
}

pub(super) fn change_password(
    transaction: &mut Transaction,
    name: &str,
    password_hash: &str,
    keep_session: &str,
    entry: &AuditEntry,
) -> StoreResult<()> {
    set_password_hash(transaction, name, password_hash)?;
    transaction
        .execute("DELETE FROM staff_session WHERE staff_name = $1 AND id_sha256 <> $2", &[&name, &keep_session])?;
    audit(transaction, entry)
}

pub(super) fn create_session(
    transaction: &mut Transaction,
    id_sha256: &str,
    account: &str,
    csrf_token: &str,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    transaction.execute("DELETE FROM staff_session WHERE expires_at <= $1", &[&now])?;
    transaction.execute(
        "INSERT INTO staff_session (id_sha256, staff_name, csrf_token, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[&id_sha256, &account, &csrf_token, &now, &expires_at],
    )?;
    let at = chrono::DateTime::from_timestamp(now, 0).map(crate::office::rfc3339).unwrap_or_default();
    let entry = AuditEntry {
        at,
        staff_name: account.to_owned(),
        action: "masuk".into(),
        target: String::new(),
        detail: String::new(),
    };
    audit(transaction, &entry)
}

pub(super) fn session(
    transaction: &mut Transaction,
    id_sha256: &str,
    now: i64,
) -> StoreResult<Option<(Staff, String)>> {
    let sql = format!(
        "SELECT {STAFF_COLUMNS}, s.csrf_token FROM staff_session s JOIN staff ON staff.name = s.staff_name
         WHERE s.id_sha256 = $1 AND s.expires_at > $2"
    );
    let row = transaction.query_opt(&sql, &[&id_sha256, &now])?;
    row.map(|row| Ok((staff_from_row(&row)?, row.try_get("csrf_token")?))).transpose()
}

pub(super) fn delete_session(transaction: &mut Transaction, id_sha256: &str) -> StoreResult<()> {
    transaction.execute("DELETE FROM staff_session WHERE id_sha256 = $1", &[&id_sha256])?;
    Ok(())
}

pub(super) fn record_login_failure(
    transaction: &mut Transaction,
    account: &str,
    address: &str,
    now: i64,
) -> StoreResult<()> {
    transaction
        .execute("INSERT INTO login_failure (account, address, at) VALUES ($1, $2, $3)", &[&account, &address, &now])?;
    Ok(())
}

pub(super) fn login_failures_since(
    transaction: &mut Transaction,
    account: &str,
    address: &str,
    since: i64,
) -> StoreResult<(u32, u32)> {
    let by_account = transaction
        .query_one("SELECT count(*) FROM login_failure WHERE account = $1 AND at >= $2", &[&account, &since])?;
    let by_address = transaction
        .query_one("SELECT count(*) FROM login_failure WHERE address = $1 AND at >= $2", &[&address, &since])?;
    Ok((count(&by_account)?, count(&by_address)?))
}

pub(super) fn audit_log(transaction: &mut Transaction, limit: u32) -> StoreResult<Vec<AuditEntry>> {
    let rows = transaction.query(
        "SELECT at, staff_name, action, target, detail FROM audit_log ORDER BY id DESC LIMIT $1",
        &[&i64::from(limit)],
    )?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                at: row.try_get("at")?,
                staff_name: row.try_get("staff_name")?,
                action: row.try_get("action")?,
                target: row.try_get("target")?,
                detail: row.try_get("detail")?,
            })
        })
        .collect()
}
