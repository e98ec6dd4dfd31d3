//! Embedded schema migrations, tracked in SQLite's `user_version`.
//!
//! Each migration runs in its own transaction together with the version bump,
//! so a crash leaves the database at the previous version, never between. A
//! database written by a newer Rembug is refused rather than guessed at.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{CoreError, Result};

/// In order; the index plus one is the schema version it brings the database to.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_meetings.sql"),
    include_str!("../migrations/0002_recording.sql"),
    include_str!("../migrations/0003_imported.sql"),
    include_str!("../migrations/0004_consolidation.sql"),
    include_str!("../migrations/0005_frozen_record.sql"),
    include_str!("../migrations/0006_locked_guards.sql"),
    include_str!("../migrations/0007_roster.sql"),
    include_str!("../migrations/0008_backup_made.sql"),
    include_str!("../migrations/0009_outbox.sql"),
    include_str!("../migrations/0010_answers.sql"),
    include_str!("../migrations/0011_signatories.sql"),
    include_str!("../migrations/0012_signing_print.sql"),
    include_str!("../migrations/0013_usulan_fields.sql"),
    include_str!("../migrations/0014_signed_pages.sql"),
    include_str!("../migrations/0015_signed_pages_outbox.sql"),
    include_str!("../migrations/0016_search_keterangan.sql"),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the schema up to date. The version is read again inside each
/// migration's immediate transaction, so processes opening one database at
/// the same moment apply each migration once: the others wait for the write
/// lock (the busy timeout), then find it done.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    if schema_version(conn)? == SCHEMA_VERSION {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = schema_version(&tx)?;
        refuse_newer(found)?;
        let Some(sql) = MIGRATIONS.get(found as usize) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
    }
}

/// For a read-only connection, which must not migrate: the schema must be
/// exactly the one this app knows.
pub fn require_current(conn: &Connection) -> Result<()> {
    let found = schema_version(conn)?;
    refuse_newer(found)?;
    if found < SCHEMA_VERSION {
        return Err(CoreError::SchemaTooOld { found, supported: SCHEMA_VERSION });
    }
    Ok(())
}

fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

fn refuse_newer(found: i64) -> Result<()> {
    if found > SCHEMA_VERSION {
        return Err(CoreError::SchemaTooNew { found, supported: SCHEMA_VERSION });
    }
    Ok(())
}
