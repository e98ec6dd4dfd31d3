//! Locking a meeting once the berita acara is agreed, and correcting a locked
//! meeting through a new revision that names the one it replaces.

use rusqlite::{Connection, Transaction, params};
use uuid::Uuid;

use super::changes::{ensure_draft, log_change};
use super::meetings::get_meeting;
use super::usulan::{PHOTO_COPIED, revision_columns};
use super::{Store, now_utc};
use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::meeting::{Meeting, MeetingStatus};
use crate::record::HistoryEntry;
use crate::text::required_text;

pub const REVISION_REASON_MAX_CHARS: usize = 1000;

impl Store {
    /// What the meeting still lacks before it can be locked: codes
    /// `no_pimpinan` (the meeting form names no pimpinan rapat to sign),
    /// `no_attendees`, `no_usulan`, `no_delegates`. Empty when ready.
    pub fn lock_blockers(&self, meeting_id: &str) -> Result<Vec<FieldError>> {
        self.read(|conn| lock_blockers(conn, meeting_id))
    }

    /// Locks a draft meeting. From then on it is read-only, and what it says
    /// is frozen at once (`frozen_record`) with the settings of this moment,
    /// such as the women's target. Should the process stop between the lock
    /// and the freeze, the first seal freezes it instead.
    pub fn lock_meeting(&self, meeting_id: &str) -> Result<Meeting> {
        let locked = self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let blockers = lock_blockers(tx, meeting_id)?;
            if !blockers.is_empty() {
                return Err(CoreError::NotReadyToLock(blockers));
            }
            let before = get_meeting(tx, meeting_id)?;
            let now = now_utc();
            tx.execute(
                "UPDATE meeting SET status = 'locked', locked_at = ?2, updated_at = ?2 WHERE id = ?1",
                params![meeting_id, now],
            )?;
            let after = get_meeting(tx, meeting_id)?;
            log_change(tx, meeting_id, &now, "meeting", Some(meeting_id), "locked", Some(&before), Some(&after))?;
            Ok(after)
        })?;
        self.freeze_record(meeting_id, HistoryEntry::public)?;
        Ok(locked)
    }

    /// Starts a correction of a locked meeting: a new draft revision holding a
    /// copy of everything recorded, naming the revision it replaces and why.
    /// The locked revision itself is never changed.
    pub fn revise_meeting(&self, meeting_id: &str, reason: &str) -> Result<Meeting> {
        let reason = required_text(reason, REVISION_REASON_MAX_CHARS)
            .map_err(|code| CoreError::Validation(vec![FieldError::new("reason", code)]))?;
        self.write(|tx| {
            let old = get_meeting(tx, meeting_id)?;
            if old.status != MeetingStatus::Locked {
                return Err(CoreError::MeetingNotLocked);
            }
            if old.superseded_by.is_some() {
                return Err(CoreError::AlreadyRevised);
            }
            let new_id = Uuid::now_v7().to_string();
            let now = now_utc();
            copy_meeting(tx, meeting_id, &new_id, &reason, &now)?;
            let revision = get_meeting(tx, &new_id)?;
            log_change(tx, &new_id, &now, "meeting", Some(&new_id), "revised", Some(&old), Some(&revision))?;
            Ok(revision)
        })
    }
}

fn lock_blockers(conn: &Connection, meeting_id: &str) -> Result<Vec<FieldError>> {
    let (pimpinan, attendees, usulan, delegates): (i64, i64, i64, i64) = conn.query_row(
        "SELECT (SELECT count(*) FROM meeting WHERE id = ?1 AND pimpinan IS NOT NULL),
                (SELECT count(*) FROM attendance WHERE meeting_id = ?1),
                (SELECT count(*) FROM usulan WHERE meeting_id = ?1),
                (SELECT count(*) FROM delegate WHERE meeting_id = ?1)",
        [meeting_id],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )?;
    let missing = [
        (pimpinan, "pimpinan", FieldCode::NoPimpinan),
        (attendees, "attendance", FieldCode::NoAttendees),
        (usulan, "usulan", FieldCode::NoUsulan),
        (delegates, "delegates", FieldCode::NoDelegates),
    ];
    Ok(missing
        .into_iter()
        .filter(|(count, _, _)| *count == 0)
        .map(|(_, field, code)| FieldError::new(field, code))
        .collect())
}

// Columns copied unchanged into a revision, per table. The test
// `every_column_of_a_meeting_is_copied` below fails when a migration adds a
// table or column that a revision would silently drop.
const MEETING_COPIED: &str = "stage, kelurahan_code, rw, planning_year, starts_at, timezone, place, facilitator, \
     notulis, ranking_method, ranking_override_reason, pimpinan, pimpinan_jabatan, nomor";
const ATTENDANCE_COPIED: &str =
    "person_id, name, gender, unsur, rt, rw, phone, disability, age_group, role, checked_in_at, signature_sha256";
const DOCUMENT_COPIED: &str = "kind, position, sha256";
const AGENDA_COPIED: &str = "position, title, discussion, decisions, updated_at";
// The usulan's columns follow the store's one list (`usulan::revision_columns`).
const CRITERION_COPIED: &str = "position, name, weight";
const ORIGIN_COPIED: &str = "rw, source_meeting_id, source_usulan_id, bundle_sha256, rank";

fn copy_meeting(tx: &Transaction<'_>, old: &str, new: &str, reason: &str, now: &str) -> Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO meeting (id, status, revision, supersedes_id, revision_reason, created_at, updated_at, {MEETING_COPIED})
             SELECT ?2, 'draft', revision + 1, id, ?3, ?4, ?4, {MEETING_COPIED} FROM meeting WHERE id = ?1"
        ),
        params![old, new, reason, now],
    )?;
    for (table, columns) in [("attendance", ATTENDANCE_COPIED), ("meeting_document", DOCUMENT_COPIED)] {
        tx.execute(
            &format!(
                "INSERT INTO {table} (meeting_id, {columns}) SELECT ?2, {columns} FROM {table} WHERE meeting_id = ?1"
            ),
            params![old, new],
        )?;
    }
    copy_with_new_ids(tx, "agenda_item", AGENDA_COPIED, old, new)?;
    let usulan_ids = copy_with_new_ids(tx, "usulan", &revision_columns(), old, new)?;
    let criterion_ids = copy_with_new_ids(tx, "criterion", CRITERION_COPIED, old, new)?;
    for (old_usulan, new_usulan) in &usulan_ids {
        tx.execute(
            &format!(
                "INSERT INTO usulan_photo (usulan_id, {PHOTO_COPIED}) SELECT ?2, {PHOTO_COPIED} FROM usulan_photo
                 WHERE usulan_id = ?1"
            ),
            params![old_usulan, new_usulan],
        )?;
        tx.execute(
            &format!(
                "INSERT INTO usulan_origin (usulan_id, {ORIGIN_COPIED}) SELECT ?2, {ORIGIN_COPIED} FROM usulan_origin
                 WHERE usulan_id = ?1"
            ),
            params![old_usulan, new_usulan],
        )?;
        for (old_criterion, new_criterion) in &criterion_ids {
            tx.execute(
                "INSERT INTO score (usulan_id, criterion_id, score)
                 SELECT ?2, ?4, score FROM score WHERE usulan_id = ?1 AND criterion_id = ?3",
                params![old_usulan, new_usulan, old_criterion, new_criterion],
            )?;
        }
    }
    tx.execute(
        "INSERT INTO delegate (meeting_id, person_id, position) SELECT ?2, person_id, position FROM delegate WHERE meeting_id = ?1",
        params![old, new],
    )?;
    Ok(())
}

/// Copies a meeting's rows of `table` under fresh ids, in their order, and
/// answers the pairs (old id, new id).
fn copy_with_new_ids(
    tx: &Transaction<'_>,
    table: &str,
    columns: &str,
    old: &str,
    new: &str,
) -> Result<Vec<(String, String)>> {
    let old_ids: Vec<String> = tx
        .prepare(&format!("SELECT id FROM {table} WHERE meeting_id = ?1 ORDER BY position"))?
        .query_map([old], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut pairs = Vec::with_capacity(old_ids.len());
    for old_id in old_ids {
        let new_id = Uuid::now_v7().to_string();
        tx.execute(
            &format!(
                "INSERT INTO {table} (id, meeting_id, {columns}) SELECT ?2, ?3, {columns} FROM {table} WHERE id = ?1"
            ),
            params![old_id, new_id, new],
        )?;
        pairs.push((old_id, new_id));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tables and columns a revision does not copy, each for a reason.
    const NOT_COPIED: &[(&str, &str)] = &[
        ("meeting", "id status revision supersedes_id revision_reason locked_at created_at updated_at"),
        // The change log belongs to the revision it describes.
        ("meeting_change", "*"),
        ("attendance", "seq meeting_id"),
        ("meeting_document", "meeting_id"),
        ("agenda_item", "seq id meeting_id"),
        ("usulan", "seq id meeting_id"),
        ("criterion", "id meeting_id"),
        // Copied column by column in copy_meeting.
        ("usulan_photo", "usulan_id"),
        ("score", "usulan_id criterion_id score"),
        ("delegate", "meeting_id person_id position"),
        ("usulan_origin", "usulan_id"),
        // Meetings imported from other devices' bundles: never revised here.
        ("imported_bundle", "*"),
        // What a locked revision said; a correction is frozen when it is locked.
        ("frozen_record", "*"),
        // Sending a locked revision: a correction is sent as its own bundle.
        ("outbox", "*"),
        // What the office answered about a revision, and outcomes recorded by
        // hand: about that revision, beside its record (migration 0010).
        ("meeting_answer", "*"),
        ("usulan_answer", "*"),
        ("usulan_outcome_by_hand", "*"),
        // Papers printed for signing belong to the draft that printed them;
        // a correction is printed and signed again.
        ("signing_print", "*"),
        // Photos of the signed papers belong to the revision that was signed
        // and locked; a correction is signed and photographed again.
        ("signed_page", "*"),
        ("signed_pages_sent", "*"),
        // Sending those photos: a correction's are its own (migration 0015).
        ("signed_pages_outbox", "*"),
    ];

    #[test]
    fn every_column_of_a_meeting_is_copied() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("rembug.sqlite3")).unwrap();
        let copied: &[(&str, &str)] = &[
            ("meeting", MEETING_COPIED),
            ("attendance", ATTENDANCE_COPIED),
            ("meeting_document", DOCUMENT_COPIED),
            ("agenda_item", AGENDA_COPIED),
            ("usulan", &revision_columns()),
            ("criterion", CRITERION_COPIED),
            ("usulan_origin", ORIGIN_COPIED),
            ("usulan_photo", PHOTO_COPIED),
        ];
        store
            .read(|conn| {
                let mut tables = conn.prepare(
                    "SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p
                     WHERE m.type = 'table' AND m.name IN
                       (SELECT m2.name FROM sqlite_master AS m2, pragma_table_info(m2.name) AS p2
                        WHERE m2.type = 'table' AND (p2.name IN ('meeting_id', 'usulan_id') OR m2.name = 'meeting'))",
                )?;
                let columns: Vec<(String, String)> =
                    tables.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
                for (table, column) in columns {
                    let listed = |list: &[(&str, &str)]| {
                        list.iter().any(|(t, cols)| {
                            *t == table && (*cols == "*" || cols.split([',', ' ']).any(|c| c.trim() == column))
                        })
                    };
                    assert!(listed(copied) || listed(NOT_COPIED), "{table}.{column} is neither copied nor excluded");
                }
                Ok(())
            })
            .unwrap();
    }
}
