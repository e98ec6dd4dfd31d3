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
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(CoreError::SchemaTooNew { found, supported: SCHEMA_VERSION });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
