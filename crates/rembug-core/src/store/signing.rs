//! The codes of a draft's papers printed for signing (`signing.rs`).

use rusqlite::{Connection, OptionalExtension, params};

use super::changes::ensure_draft;
use super::{Store, now_utc};
use crate::error::{CoreError, Result};
use crate::signing::{SIGNING_CODE_LEN, SigningCheck, SigningPrint, signing_code};

impl Store {
    /// Notes that the draft's papers were printed for signing with `code`
    /// in their footer. A locked meeting is refused (`meeting_locked`): its
    /// papers are signed already.
    pub fn remember_signing_print(&self, meeting_id: &str, code: &str) -> Result<SigningPrint> {
        if code.len() != SIGNING_CODE_LEN || !code.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CoreError::Corrupt(format!("{code:?} is no signing code")));
        }
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let print = SigningPrint { code: code.to_owned(), printed_at: now_utc() };
            tx.execute(
                "INSERT INTO signing_print (meeting_id, code, printed_at) VALUES (?1, ?2, ?3)",
                params![meeting_id, print.code, print.printed_at],
            )?;
            Ok(print)
        })
    }

    /// The last printing for signing and whether the record changed since.
    pub fn signing_check(&self, meeting_id: &str) -> Result<SigningCheck> {
        let current_code = signing_code(&self.meeting_record(meeting_id)?)?;
        let last_print = self.read(|conn| last_signing_print(conn, meeting_id))?;
        let changed_since_print = last_print.as_ref().is_some_and(|print| print.code != current_code);
        Ok(SigningCheck { last_print, current_code, changed_since_print })
    }
}

fn last_signing_print(conn: &Connection, meeting_id: &str) -> Result<Option<SigningPrint>> {
    Ok(conn
        .query_row(
            "SELECT code, printed_at FROM signing_print WHERE meeting_id = ?1 ORDER BY seq DESC LIMIT 1",
            [meeting_id],
            |row| Ok(SigningPrint { code: row.get("code")?, printed_at: row.get("printed_at")? }),
        )
        .optional()?)
}
