//! The device's enrollment with the city office (table `enrollment`, at most
//! one row) and the outbox of locked meeting revisions on their way there
//! (table `outbox`). These rows are about sending, not about what a meeting
//! says, so they are written for locked meetings (no lock triggers); a
//! delivered row is final (its own triggers).

use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Store;
use super::meetings::{SUMMARY_COLUMNS, SUMMARY_FROM, column_number, decode, summary_from_row};
use crate::atomic::sync_dir;
use crate::error::{CoreError, Result};
use crate::outbox::{Enrollment, OutboxEntry, OutboxItem, OutboxState};
use crate::trust::{Scope, Signed};

const ENTRY_COLUMNS: &str = "outbox.meeting_id AS outbox_meeting_id, outbox.bundle_sha256, outbox.bundle_size, \
     outbox.sealed_for, outbox.upload_id, outbox.bytes_acknowledged, outbox.state, outbox.attempts, \
     outbox.last_error, outbox.next_attempt_at, outbox.receipt_body, outbox.receipt_signature, outbox.delivered_at";

impl Store {
    /// The office this device is enrolled with, if any.
    pub fn enrollment(&self) -> Result<Option<Enrollment>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT office_url, office_json, kelurahan_code, rw, tls_certificate_sha256, pending_code,
                            enrolled_at
                     FROM enrollment WHERE id = 1",
                    [],
                    enrollment_from_row,
                )
                .optional()?)
        })
    }

    /// Keeps `enrollment` as this device's one enrollment, replacing any
    /// earlier one. Outbox entries sealed for another office key are sealed
    /// again by the sender when it finds them.
    pub fn save_enrollment(&self, enrollment: &Enrollment) -> Result<()> {
        let office_json = serde_json::to_string(&enrollment.office).expect("an office identity serializes");
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO enrollment
                   (id, office_url, office_json, kelurahan_code, rw, tls_certificate_sha256, pending_code, enrolled_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    enrollment.office_url,
                    office_json,
                    enrollment.scope.kelurahan_code,
                    enrollment.scope.rw,
                    enrollment.tls_certificate_sha256,
                    enrollment.pending_code,
                    enrollment.enrolled_at,
                ],
            )?;
            Ok(())
        })
    }

    /// Every locked meeting revision, oldest lock first, with its outbox
    /// entry once it has one.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        self.read(|conn| {
            let mut statement = conn.prepare(&format!(
                "SELECT {SUMMARY_COLUMNS}, meeting.locked_at AS item_locked_at, {ENTRY_COLUMNS}
                 FROM {SUMMARY_FROM} LEFT JOIN outbox ON outbox.meeting_id = meeting.id
                 WHERE meeting.status = 'locked'
                 ORDER BY meeting.locked_at IS NULL, meeting.locked_at, meeting.revision, meeting.id"
            ))?;
            let items = statement.query_map([], |row| {
                let meeting_id: Option<String> = row.get("outbox_meeting_id")?;
                Ok(OutboxItem {
                    meeting: summary_from_row(row)?,
                    locked_at: row.get("item_locked_at")?,
                    entry: meeting_id.map(|_| entry_from_row(row)).transpose()?,
                })
            })?;
            Ok(items.collect::<rusqlite::Result<_>>()?)
        })
    }

    pub fn outbox_entry(&self, meeting_id: &str) -> Result<Option<OutboxEntry>> {
        self.read(|conn| outbox_entry(conn, meeting_id))
    }

    /// Puts a sealed bundle of a locked meeting in the outbox. The same
    /// bundle again changes nothing (its upload goes on where it was);
    /// another bundle (sealed for another office key) starts over. A
    /// delivered entry is kept as it is.
    pub fn queue_bundle(
        &self,
        meeting_id: &str,
        bundle_sha256: &str,
        bundle_size: u64,
        sealed_for: &str,
    ) -> Result<OutboxEntry> {
        self.write(|tx| {
            let status: Option<String> =
                tx.query_row("SELECT status FROM meeting WHERE id = ?1", [meeting_id], |row| row.get(0)).optional()?;
            match status.as_deref() {
                None => return Err(CoreError::NotFound { entity: "meeting" }),
                Some("locked") => {}
                Some(_) => return Err(CoreError::MeetingNotLocked),
            }
            if let Some(entry) = outbox_entry(tx, meeting_id)?
                && (entry.state == OutboxState::Delivered || entry.bundle_sha256 == bundle_sha256)
            {
                return Ok(entry);
            }
            tx.execute(
                "INSERT OR REPLACE INTO outbox (meeting_id, bundle_sha256, bundle_size, sealed_for)
                 VALUES (?1, ?2, ?3, ?4)",
                params![meeting_id, bundle_sha256, bundle_size as i64, sealed_for],
            )?;
            Ok(outbox_entry(tx, meeting_id)?.expect("just inserted"))
        })
    }

    /// A try starts: `sending`, one attempt more.
    pub fn start_sending(&self, meeting_id: &str) -> Result<OutboxEntry> {
        self.update_entry(
            meeting_id,
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE meeting_id = ?1",
            params![meeting_id],
        )
    }

    /// The office's upload and what it holds of it. `None` forgets the
    /// upload (the office lost it, or its bytes did not add up).
    pub fn record_upload(&self, meeting_id: &str, upload_id: Option<&str>, bytes_acknowledged: u64) -> Result<()> {
        self.update_entry(
            meeting_id,
            "UPDATE outbox SET upload_id = ?2, bytes_acknowledged = ?3 WHERE meeting_id = ?1",
            params![meeting_id, upload_id, bytes_acknowledged as i64],
        )
        .map(drop)
    }

    /// A try failed with `code`: tried again at `retry_at` (RFC 3339), or,
    /// without one, refused for good.
    pub fn record_failure(&self, meeting_id: &str, code: &str, retry_at: Option<&str>) -> Result<OutboxEntry> {
        let state = if retry_at.is_some() { OutboxState::Waiting } else { OutboxState::Refused };
        self.update_entry(
            meeting_id,
            "UPDATE outbox SET state = ?2, last_error = ?3, next_attempt_at = ?4 WHERE meeting_id = ?1",
            params![meeting_id, state.as_str(), code, retry_at],
        )
    }

    /// The office's receipt, already checked by the caller against the
    /// enrolled office key and the bundle's SHA-256; `received_at` is its time.
    pub fn record_delivery(&self, meeting_id: &str, receipt: &Signed, received_at: &str) -> Result<OutboxEntry> {
        self.update_entry(
            meeting_id,
            "UPDATE outbox SET state = 'delivered', bytes_acknowledged = bundle_size, last_error = NULL,
                 next_attempt_at = NULL, receipt_body = ?2, receipt_signature = ?3, delivered_at = ?4
             WHERE meeting_id = ?1",
            params![meeting_id, receipt.body, receipt.signature, received_at],
        )
    }

    fn update_entry(&self, meeting_id: &str, sql: &str, params: impl rusqlite::Params) -> Result<OutboxEntry> {
        self.write(|tx| {
            if tx.execute(sql, params)? == 0 {
                return Err(CoreError::NotFound { entity: "outbox" });
            }
            Ok(outbox_entry(tx, meeting_id)?.expect("just updated"))
        })
    }

    /// `outbox/` in the data folder, where bundles wait to be sent, created
    /// on first use.
    pub fn outbox_dir(&self) -> Result<std::path::PathBuf> {
        let dir = self.attachments_dir.with_file_name(OUTBOX_DIR);
        if !dir.is_dir() {
            std::fs::create_dir_all(&dir)?;
            sync_dir(dir.parent().unwrap_or(&dir))?;
        }
        Ok(dir)
    }
}

/// The folder of bundles waiting to be sent, beside `attachments/`.
pub const OUTBOX_DIR: &str = "outbox";

fn outbox_entry(conn: &Connection, meeting_id: &str) -> Result<Option<OutboxEntry>> {
    Ok(conn
        .query_row(&format!("SELECT {ENTRY_COLUMNS} FROM outbox WHERE meeting_id = ?1"), [meeting_id], entry_from_row)
        .optional()?)
}

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<OutboxEntry> {
    let receipt_body: Option<String> = row.get("receipt_body")?;
    let receipt_signature: Option<String> = row.get("receipt_signature")?;
    Ok(OutboxEntry {
        meeting_id: row.get("outbox_meeting_id")?,
        bundle_sha256: row.get("bundle_sha256")?,
        bundle_size: row.get::<_, i64>("bundle_size")? as u64,
        sealed_for: row.get("sealed_for")?,
        upload_id: row.get("upload_id")?,
        bytes_acknowledged: row.get::<_, i64>("bytes_acknowledged")? as u64,
        state: decode(row, "state", OutboxState::parse)?,
        attempts: row.get("attempts")?,
        last_error: row.get("last_error")?,
        next_attempt_at: row.get("next_attempt_at")?,
        receipt: receipt_body.zip(receipt_signature).map(|(body, signature)| Signed { body, signature }),
        delivered_at: row.get("delivered_at")?,
    })
}

fn enrollment_from_row(row: &Row<'_>) -> rusqlite::Result<Enrollment> {
    let office_json: String = row.get("office_json")?;
    let office = serde_json::from_str(&office_json).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(column_number(row, "office_json"), Type::Text, error.into())
    })?;
    Ok(Enrollment {
        office_url: row.get("office_url")?,
        office,
        scope: Scope { kelurahan_code: row.get("kelurahan_code")?, rw: row.get("rw")? },
        tls_certificate_sha256: row.get("tls_certificate_sha256")?,
        pending_code: row.get("pending_code")?,
        enrolled_at: row.get("enrolled_at")?,
    })
}
