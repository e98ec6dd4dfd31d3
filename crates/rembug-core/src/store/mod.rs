//! The local store: one SQLite file per data folder.
//!
//! Invariants: WAL with `synchronous=FULL` (a committed change survives power
//! loss), foreign keys on, one writer (a single connection behind a mutex),
//! every write in one immediate transaction.

mod answers;
mod attachments;
mod attendance;
pub mod backups;
mod changes;
mod consolidation;
mod delegates;
mod imported;
mod lifecycle;
pub mod meetings;
mod migrations;
mod notulen;
mod opd;
mod outbox;
mod people;
mod ranking;
mod record;
mod roster;
pub mod search;
mod settings;
mod signed_pages;
mod signing;
pub mod usulan;
mod wilayah;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use answers::AnswersSaved;
pub use attachments::Attachment;
pub use migrations::SCHEMA_VERSION;
pub use outbox::OUTBOX_DIR;
pub use roster::{HeldRoster, RosterSaved};
pub(crate) use usulan::{CONTENT_COLUMNS, content_values};

use crate::autocomplete::PeopleIndex;
use crate::error::{CoreError, Result};

pub struct Store {
    conn: Mutex<Connection>,
    /// `attachments/` beside the database file.
    attachments_dir: PathBuf,
    /// The person directory's autocomplete index, built on first use.
    people_index: Mutex<Option<PeopleIndex>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema
    /// up to date. A database from a newer app version is refused.
    pub fn open(path: &Path) -> Result<Store> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Two processes opening a fresh file at once may both read it and then
        // both ask to write (switching it to WAL): SQLite answers one of them
        // busy at once rather than deadlock, without waiting. That one retries.
        let started = Instant::now();
        while let Err(error) = prepare(&mut conn) {
            let busy = matches!(&error, CoreError::Database(rusqlite::Error::SqliteFailure(failure, _))
                if failure.code == rusqlite::ErrorCode::DatabaseBusy);
            if !busy || started.elapsed() > BUSY_TIMEOUT {
                return Err(error);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let store = Store::with_connection(path, conn);
        store.seed_default_wilayah()?;
        Ok(store)
    }

    /// Opens an existing database for reading only (`SQLITE_OPEN_READ_ONLY`):
    /// it is never created nor migrated, so a newer tool reading it cannot
    /// upgrade the schema under an older app that has it open. Its schema must
    /// be the one this app knows: an older one answers `SchemaTooOld` (the
    /// app upgrades it when it opens the data), a newer one `SchemaTooNew`.
    /// Any write through this store fails.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        migrations::require_current(&conn)?;
        Ok(Store::with_connection(path, conn))
    }

    fn with_connection(path: &Path, conn: Connection) -> Store {
        let attachments_dir = path.parent().unwrap_or(Path::new(".")).join("attachments");
        Store { conn: Mutex::new(conn), attachments_dir, people_index: Mutex::new(None) }
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (the
        // transaction rolls back on drop), so a poisoned lock is still usable.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` in one immediate write transaction and commits it.
    pub(crate) fn write<T>(&self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    fn read<T>(&self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        work(&self.conn())
    }
}

/// How long an open or a write waits for another process holding the database.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// WAL, full sync, foreign keys, and the schema brought up to date.
fn prepare(conn: &mut Connection) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrations::migrate(conn)
}

pub(crate) fn now_utc() -> String {
    format_utc(Utc::now())
}

/// `2023-11-08T12:30:00Z`: whole seconds (the fraction is cut, not rounded)
/// and `Z` for UTC, the form every stored and serialized instant has.
pub(crate) fn format_utc(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::format_utc;

    #[test]
    fn instants_are_written_in_whole_utc_seconds_with_z() {
        for (instant, written) in [
            ("2023-11-08T19:30:59.999999999+07:00", "2023-11-08T12:30:59Z"),
            ("2023-11-08T12:30:00.5Z", "2023-11-08T12:30:00Z"),
            ("2024-01-01T08:00:00+09:00", "2023-12-31T23:00:00Z"),
            ("2023-11-08T12:30:00+00:00", "2023-11-08T12:30:00Z"),
        ] {
            let instant = DateTime::parse_from_rfc3339(instant).unwrap().to_utc();
            assert_eq!(format_utc(instant), written);
        }
    }
}
