//! The office, enrollment codes, devices and their rosters, wrong codes and
//! request nonces.

use postgres::Row;

use super::{Transaction, count, rw, rw_param, unsigned};
use crate::store::{Device, EnrollOutcome, NewCode, OfficeInfo, RosterData, StoreError, StoreResult};

pub(super) fn initialise(
    transaction: &mut Transaction,
    office: &OfficeInfo,
    admin: &str,
    password_hash: &str,
    now: &str,
) -> StoreResult<()> {
    transaction.execute(
        "INSERT INTO office (id, name, city, created_at) VALUES (1, $1, $2, $3)",
        &[&office.name, &office.city, &now],
    )?;
    transaction.execute(
        "INSERT INTO staff (name, password_hash, role, created_at) VALUES ($1, $2, 'admin', $3)",
        &[&admin, &password_hash, &now],
    )?;
    Ok(())
}

pub(super) fn office(transaction: &mut Transaction) -> StoreResult<OfficeInfo> {
    let row = transaction.query_opt("SELECT name, city FROM office WHERE id = 1", &[])?;
    let row = row.ok_or(StoreError::NotInitialised)?;
    Ok(OfficeInfo { name: row.try_get("name")?, city: row.try_get("city")? })
}

pub(super) fn create_code(transaction: &mut Transaction, code: &NewCode) -> StoreResult<()> {
    transaction.execute(
        "INSERT INTO enrollment_code (code, kelurahan_code, rw, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        &[&code.code, &code.kelurahan_code, &rw_param(code.rw), &code.created_at, &code.expires_at],
    )?;
    Ok(())
}

const DEVICE_COLUMNS: &str = "device_id, public_key, fingerprint, kelurahan_code, rw, enrolled_at, revoked_at";

fn device_from_row(row: &Row) -> StoreResult<Device> {
    Ok(Device {
        device_id: row.try_get("device_id")?,
        public_key: row.try_get("public_key")?,
        fingerprint: row.try_get("fingerprint")?,
        kelurahan_code: row.try_get("kelurahan_code")?,
        rw: rw(row, "rw")?,
        enrolled_at: row.try_get("enrolled_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

pub(super) fn device(transaction: &mut Transaction, device_id: &str) -> StoreResult<Option<Device>> {
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM device WHERE device_id = $1");
    transaction.query_opt(&sql, &[&device_id])?.as_ref().map(device_from_row).transpose()
}

/// Uses the code: its row is locked first, so of two servers enrolling
/// with the same code at once, the second sees it used.
pub(super) fn enroll(
    transaction: &mut Transaction,
    code: &str,
    device_id: &str,
    public_key: &str,
    fingerprint: &str,
    now: &str,
) -> StoreResult<EnrollOutcome> {
    let found = transaction.query_opt(
        "SELECT kelurahan_code, rw, expires_at, used_by FROM enrollment_code WHERE code = $1 FOR UPDATE",
        &[&code],
    )?;
    let Some(found) = found else { return Ok(EnrollOutcome::Invalid) };
    let kelurahan_code: String = found.try_get("kelurahan_code")?;
    let code_rw = rw(&found, "rw")?;
    let expires_at: String = found.try_get("expires_at")?;
    match found.try_get::<_, Option<String>>("used_by")? {
        Some(user) if user == device_id => {
            let device = device(transaction, device_id)?.expect("a code's user is a device");
            return Ok(EnrollOutcome::Enrolled(device));
        }
        Some(_) => return Ok(EnrollOutcome::Used),
        None => {}
    }
    // RFC 3339 UTC in whole seconds with `Z` orders as text.
    if expires_at.as_str() <= now {
        return Ok(EnrollOutcome::Expired);
    }
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM device WHERE device_id = $1 FOR UPDATE");
    let previous = transaction.query_opt(&sql, &[&device_id])?.as_ref().map(device_from_row).transpose()?;
    if previous.as_ref().is_some_and(|device| device.revoked_at.is_some()) {
        return Ok(EnrollOutcome::Revoked);
    }
    transaction.execute(
        "INSERT INTO device (device_id, public_key, fingerprint, kelurahan_code, rw, enrolled_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (device_id) DO UPDATE SET kelurahan_code = excluded.kelurahan_code, rw = excluded.rw",
        &[&device_id, &public_key, &fingerprint, &kelurahan_code, &rw_param(code_rw), &now],
    )?;
    transaction
        .execute("UPDATE enrollment_code SET used_by = $1, used_at = $2 WHERE code = $3", &[&device_id, &now, &code])?;
    let mut kelurahan = vec![kelurahan_code.clone()];
    if let Some(previous) = previous.filter(|previous| previous.kelurahan_code != kelurahan_code) {
        kelurahan.push(previous.kelurahan_code);
    }
    // In one order, so two enrollments never wait on each other's rows.
    kelurahan.sort();
    for code in &kelurahan {
        bump_roster(transaction, code)?;
    }
    Ok(EnrollOutcome::Enrolled(device(transaction, device_id)?.expect("just enrolled")))
}

/// One more change to a kelurahan's devices.
fn bump_roster(transaction: &mut Transaction, kelurahan_code: &str) -> StoreResult<()> {
    transaction.execute(
        "INSERT INTO roster_serial (kelurahan_code, serial) VALUES ($1, 1)
         ON CONFLICT (kelurahan_code) DO UPDATE SET serial = roster_serial.serial + 1",
        &[&kelurahan_code],
    )?;
    Ok(())
}

pub(super) fn devices(transaction: &mut Transaction) -> StoreResult<Vec<Device>> {
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM device ORDER BY kelurahan_code, rw NULLS FIRST, enrolled_at");
    transaction.query(&sql, &[])?.iter().map(device_from_row).collect()
}

pub(super) fn revoke(transaction: &mut Transaction, id_or_fingerprint: &str, now: &str) -> StoreResult<Option<Device>> {
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM device WHERE device_id = $1 OR fingerprint = $1 LIMIT 1");
    let Some(found) = transaction.query_opt(&sql, &[&id_or_fingerprint])? else { return Ok(None) };
    let found = device_from_row(&found)?;
    let changed = transaction.execute(
        "UPDATE device SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL",
        &[&now, &found.device_id],
    )?;
    if changed == 1 {
        bump_roster(transaction, &found.kelurahan_code)?;
    }
    device(transaction, &found.device_id)
}

pub(super) fn roster(transaction: &mut Transaction, kelurahan_code: &str) -> StoreResult<RosterData> {
    let serial =
        transaction.query_opt("SELECT serial FROM roster_serial WHERE kelurahan_code = $1", &[&kelurahan_code])?;
    let serial = serial.map(|row| unsigned(&row, "serial")).transpose()?.unwrap_or(0);
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM device WHERE kelurahan_code = $1 ORDER BY device_id");
    let devices =
        transaction.query(&sql, &[&kelurahan_code])?.iter().map(device_from_row).collect::<StoreResult<_>>()?;
    Ok(RosterData { serial, devices })
}

pub(super) fn record_wrong_code(
    transaction: &mut Transaction,
    address: &str,
    now: i64,
    since: i64,
) -> StoreResult<u32> {
    transaction.execute("INSERT INTO enroll_attempt (address, at) VALUES ($1, $2)", &[&address, &now])?;
    wrong_codes_since(transaction, address, since)
}

pub(super) fn wrong_codes_since(transaction: &mut Transaction, address: &str, since: i64) -> StoreResult<u32> {
    count(
        &transaction
            .query_one("SELECT count(*) FROM enroll_attempt WHERE address = $1 AND at >= $2", &[&address, &since])?,
    )
}

pub(super) fn use_nonce(transaction: &mut Transaction, device_id: &str, nonce: &str, now: i64) -> StoreResult<bool> {
    let inserted = transaction.execute(
        "INSERT INTO request_nonce (device_id, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[&device_id, &nonce, &now],
    )?;
    Ok(inserted == 1)
}
