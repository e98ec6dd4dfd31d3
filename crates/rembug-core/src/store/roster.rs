//! The office's signed rosters of enrolled devices this laptop holds, one per
//! kelurahan: checked with the office key before anything is stored, and
//! replaced only by a higher serial. Imported bundles are judged by them on
//! each read (`imported::judge`).

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, now_utc};
use crate::device::{device_id_of, fingerprint_of};
use crate::error::{CoreError, Result};
use crate::hex;
use crate::trust::{Document, OfficeIdentity, Roster, Signed};

/// What [`Store::save_roster`] did with a roster whose signature checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterSaved {
    /// It is now the kelurahan's roster.
    Stored { serial: u64 },
    /// The laptop holds this serial or a higher one for the kelurahan;
    /// nothing changed.
    NotNewer { held_serial: u64 },
}

/// A roster as held: the document and the envelope it came in, so its
/// signature can be checked again, with the office key that checked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldRoster {
    pub roster: Roster,
    pub signed: Signed,
    pub office_key_id: String,
    /// UTC, RFC 3339.
    pub stored_at: String,
}

impl Store {
    /// Keeps the office's roster of a kelurahan once its signature verifies
    /// with `office`'s signing key and every device's id and fingerprint are
    /// those of its public key (`office_document_invalid` otherwise; nothing
    /// is stored). A roster whose serial is not above the one held changes
    /// nothing and says so.
    pub fn save_roster(&self, signed: &Signed, office: &OfficeIdentity) -> Result<RosterSaved> {
        let roster: Roster = signed.open(&office.verifying_key()?)?;
        check_devices(&roster)?;
        let serial = i64::try_from(roster.serial).map_err(|_| invalid())?;
        self.write(|tx| {
            let held: Option<i64> = tx
                .query_row("SELECT serial FROM roster WHERE kelurahan_code = ?1", [&roster.kelurahan_code], |row| {
                    row.get(0)
                })
                .optional()?;
            if let Some(held) = held.filter(|held| *held >= serial) {
                return Ok(RosterSaved::NotNewer { held_serial: held as u64 });
            }
            tx.execute(
                "INSERT INTO roster (kelurahan_code, serial, issued_at, office_key_id, body, signature, stored_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (kelurahan_code) DO UPDATE SET serial = excluded.serial,
                    issued_at = excluded.issued_at, office_key_id = excluded.office_key_id,
                    body = excluded.body, signature = excluded.signature, stored_at = excluded.stored_at",
                params![
                    roster.kelurahan_code,
                    serial,
                    roster.issued_at,
                    office.key_id,
                    signed.body,
                    signed.signature,
                    now_utc()
                ],
            )?;
            Ok(RosterSaved::Stored { serial: roster.serial })
        })
    }

    /// The roster held for a kelurahan, if any.
    pub fn roster(&self, kelurahan_code: &str) -> Result<Option<HeldRoster>> {
        self.read(|conn| {
            let found = conn
                .query_row(
                    "SELECT body, signature, office_key_id, stored_at FROM roster WHERE kelurahan_code = ?1",
                    [kelurahan_code],
                    |row| {
                        let signed = Signed { body: row.get(0)?, signature: row.get(1)? };
                        Ok((signed, row.get(2)?, row.get(3)?))
                    },
                )
                .optional()?;
            found
                .map(|(signed, office_key_id, stored_at)| {
                    Ok(HeldRoster { roster: parse_held(&signed.body)?, signed, office_key_id, stored_at })
                })
                .transpose()
        })
    }
}

/// Every roster held, by kelurahan code. Their signatures were checked when
/// they were stored.
pub(super) fn held_rosters(conn: &Connection) -> Result<HashMap<String, Roster>> {
    let mut statement = conn.prepare_cached("SELECT kelurahan_code, body FROM roster")?;
    let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
    let mut rosters = HashMap::new();
    for row in rows {
        let (code, body) = row?;
        rosters.insert(code, parse_held(&body)?);
    }
    Ok(rosters)
}

fn parse_held(body: &str) -> Result<Roster> {
    serde_json::from_str(body).map_err(|error| CoreError::Corrupt(format!("held roster: {error}")))
}

/// A device is named by its public key: its id and fingerprint must follow.
fn check_devices(roster: &Roster) -> Result<()> {
    for device in &roster.devices {
        let key = hex::decode32(&device.public_key).ok_or_else(invalid)?;
        if device.device_id != device_id_of(&key) || device.fingerprint != fingerprint_of(&key) {
            return Err(invalid());
        }
    }
    Ok(())
}

fn invalid() -> CoreError {
    CoreError::OfficeDocumentInvalid { document: Roster::TAG }
}
