//! The append-only change log of a meeting, and the guard every write to a
//! meeting's content goes through.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::error::{CoreError, Result};

/// Records one change: which part of the meeting (`entity`, `entity_id`), what
/// happened (`action`), and the value before and after as JSON.
// Each argument is one column of the log row; bundling them would only rename them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn log_change<T: Serialize>(
    tx: &Transaction<'_>,
    meeting_id: &str,
    at: &str,
    entity: &str,
    entity_id: Option<&str>,
    action: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let json = |value: Option<&T>| {
        value.map(serde_json::to_string).transpose().map_err(|error| CoreError::Corrupt(error.to_string()))
    };
    tx.execute(
        "INSERT INTO meeting_change (meeting_id, at, entity, entity_id, action, before_json, after_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![meeting_id, at, entity, entity_id, action, json(before)?, json(after)?],
    )?;
    Ok(())
}

/// Answers `NotFound` for an unknown meeting and `MeetingLocked` for a locked
/// one: the content of a locked meeting changes only through a new revision.
pub(crate) fn ensure_draft(conn: &Connection, meeting_id: &str) -> Result<()> {
    let status: Option<String> =
        conn.query_row("SELECT status FROM meeting WHERE id = ?1", [meeting_id], |row| row.get(0)).optional()?;
    match status.as_deref() {
        None => Err(CoreError::NotFound { entity: "meeting" }),
        Some("draft") => Ok(()),
        Some(_) => Err(CoreError::MeetingLocked),
    }
}
