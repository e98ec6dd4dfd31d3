//! What the store remembers of backups: when the last one was made, and so
//! which locked meetings exist only on this laptop (the home screen's
//! reminder): neither in a backup nor delivered to the city office.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Store;
use crate::backup::BACKUP_TIMEZONE;
use crate::error::Result;
use crate::tanggal::DateText;

/// Locked meetings that exist only on this laptop, for the home screen's
/// reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupReminder {
    /// Locked meetings (each locked revision counts) that no backup holds
    /// and the city office has not acknowledged.
    pub unprotected: u32,
    /// When the latest backup began (UTC, RFC 3339); null if none was made.
    pub last_backup_at: Option<String>,
    /// `last_backup_at` as the window writes it, in [`BACKUP_TIMEZONE`].
    pub last_backup_at_text: Option<DateText>,
}

/// Meetings counted as the meeting list shows them: a corrected meeting once,
/// by its latest revision.
pub(crate) const MEETING_COUNT_SQL: &str = "SELECT count(*) FROM meeting AS m \
     WHERE NOT EXISTS (SELECT 1 FROM meeting AS newer WHERE newer.supersedes_id = m.id)";

impl Store {
    /// How many meetings this data folder holds, a corrected one once.
    pub fn meeting_count(&self) -> Result<u32> {
        self.read(|conn| Ok(conn.query_row(MEETING_COUNT_SQL, [], |row| row.get(0))?))
    }

    /// Remembers that a backup holds every meeting locked before `made_at`
    /// (UTC, RFC 3339 in whole seconds, as the store writes instants): the
    /// instant a backup began, or a restored backup's own `created_at`.
    pub fn record_backup(&self, made_at: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("INSERT INTO backup_made (made_at) VALUES (?1)", [made_at])?;
            Ok(())
        })
    }

    /// The locked meetings that exist only on this laptop: neither delivered
    /// to the city office (its signed receipt kept in the outbox) nor held by
    /// a backup, i.e. locked at or after the latest backup began (a meeting
    /// locked in the very second a backup began may have missed it, so it
    /// counts as not backed up).
    pub fn backup_reminder(&self) -> Result<BackupReminder> {
        self.read(|conn| {
            let last_backup_at: Option<String> =
                conn.query_row("SELECT max(made_at) FROM backup_made", [], |row| row.get(0)).optional()?.flatten();
            let unprotected = conn.query_row(
                "SELECT count(*) FROM meeting WHERE status = 'locked' AND (?1 IS NULL OR locked_at >= ?1)
                   AND NOT EXISTS (SELECT 1 FROM outbox
                                   WHERE outbox.meeting_id = meeting.id AND outbox.state = 'delivered')",
                [&last_backup_at],
                |row| row.get(0),
            )?;
            let last_backup_at_text = last_backup_at.as_deref().map(|at| DateText::instant(BACKUP_TIMEZONE, at));
            Ok(BackupReminder { unprotected, last_backup_at, last_backup_at_text })
        })
    }
}
