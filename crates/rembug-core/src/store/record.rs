//! The whole meeting as one value, assembled from the store's own reads, and
//! the frozen record of a locked revision.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, now_utc};
use crate::error::{CoreError, Result};
use crate::meeting::MeetingStatus;
use crate::record::{
    DelegateRecord, FrozenRecord, HistoryEntry, MeetingRecord, PersonalRecord, PublicRecord, UsulanRecord,
    sorted_hashes,
};
use crate::store::meetings::MeetingChange;

impl Store {
    /// Everything recorded in a meeting, split into its public and personal
    /// parts. Each part is read on its own; a locked meeting never changes,
    /// so together they are one consistent picture of it.
    pub fn meeting_record(&self, meeting_id: &str) -> Result<MeetingRecord> {
        self.record_with_history(meeting_id, HistoryEntry::public)
    }

    fn record_with_history(
        &self,
        meeting_id: &str,
        history_entry: fn(&MeetingChange) -> HistoryEntry,
    ) -> Result<MeetingRecord> {
        let mut meeting = self.get_meeting(meeting_id)?;
        meeting.superseded_by = None;
        let ranking = self.ranking(meeting_id)?;
        let mut ranked: HashMap<&str, _> = ranking.rows.iter().map(|row| (row.usulan_id.as_str(), row)).collect();
        let usulan = self
            .usulan_list(meeting_id)?
            .into_iter()
            .map(|usulan| {
                let row = ranked.remove(usulan.id.as_str()).ok_or_else(|| {
                    CoreError::Corrupt(format!("usulan {} is missing from its meeting's ranking", usulan.id))
                })?;
                Ok(UsulanRecord::new(usulan, row))
            })
            .collect::<Result<Vec<_>>>()?;
        let delegates = self.delegates(meeting_id)?;
        let changes = self.meeting_changes(meeting_id)?;
        let attendees = self.attendees(meeting_id)?;
        let attendance_sheets = self.attendance_sheet_photos(meeting_id)?;

        let public_attachments =
            sorted_hashes(usulan.iter().flat_map(|u| u.usulan.photos.iter().map(|photo| photo.sha256.clone())));
        let personal_attachments = sorted_hashes(
            attendees
                .iter()
                .filter_map(|attendee| attendee.signature_sha256.clone())
                .chain(attendance_sheets.iter().map(|sheet| sheet.sha256.clone())),
        );
        Ok(MeetingRecord {
            public: PublicRecord {
                counts: self.attendance_counts(meeting_id)?,
                agenda: self.agenda(meeting_id)?,
                ranking_method: ranking.method,
                ranking_override_reason: ranking.override_reason,
                criteria: ranking.criteria,
                usulan,
                delegates: delegates.delegates.iter().map(DelegateRecord::from).collect(),
                history: changes.iter().map(history_entry).collect(),
                attachments: public_attachments,
                meeting,
            },
            personal: PersonalRecord {
                attendees,
                attendance_sheets,
                changes: changes.into_iter().map(Into::into).collect(),
                attachments: personal_attachments,
            },
        })
    }

    /// The record of a locked revision as it was frozen when it was locked;
    /// what every seal of it writes. A meeting locked before records were
    /// frozen (schema version 4 and older) is frozen now, on its first use.
    /// `MeetingNotLocked` for a draft.
    pub fn frozen_record(&self, meeting_id: &str) -> Result<FrozenRecord> {
        match self.read(|conn| read_frozen(conn, meeting_id))? {
            Some(frozen) => Ok(frozen),
            None => self.freeze_record(meeting_id, HistoryEntry::with_person_ids),
        }
    }

    /// Builds the record of a locked meeting and keeps it; a record frozen
    /// before stays as it is.
    pub(super) fn freeze_record(
        &self,
        meeting_id: &str,
        history_entry: fn(&MeetingChange) -> HistoryEntry,
    ) -> Result<FrozenRecord> {
        self.freeze_record_at(meeting_id, history_entry, &now_utc())
    }

    /// [`Store::freeze_record`], noting `frozen_at` (UTC, RFC 3339) as the
    /// moment: demo data freezes its past meetings when they were locked.
    pub(crate) fn freeze_record_at(
        &self,
        meeting_id: &str,
        history_entry: fn(&MeetingChange) -> HistoryEntry,
        frozen_at: &str,
    ) -> Result<FrozenRecord> {
        let record = self.record_with_history(meeting_id, history_entry)?;
        if record.public.meeting.status != MeetingStatus::Locked {
            return Err(CoreError::MeetingNotLocked);
        }
        let frozen = FrozenRecord::freeze(&record).map_err(|error| CoreError::Corrupt(error.to_string()))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO frozen_record
                    (meeting_id, format_version, content_hash, meeting_json, personal_json, frozen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (meeting_id) DO NOTHING",
                params![
                    frozen.meeting_id,
                    frozen.format_version,
                    frozen.content_hash,
                    frozen.meeting_json,
                    frozen.personal_json,
                    frozen_at
                ],
            )?;
            read_frozen(tx, meeting_id)?
                .ok_or_else(|| CoreError::Corrupt("a frozen record vanished within its transaction".into()))
        })
    }
}

fn read_frozen(conn: &Connection, meeting_id: &str) -> Result<Option<FrozenRecord>> {
    let frozen = conn
        .query_row(
            "SELECT format_version, content_hash, meeting_json, personal_json FROM frozen_record
             WHERE meeting_id = ?1",
            [meeting_id],
            |row| {
                Ok(FrozenRecord {
                    meeting_id: meeting_id.to_owned(),
                    format_version: row.get(0)?,
                    content_hash: row.get(1)?,
                    meeting_json: row.get(2)?,
                    personal_json: row.get(3)?,
                })
            },
        )
        .optional()?;
    if let Some(frozen) = &frozen
        && crate::hex::sha256_hex(frozen.meeting_json.as_bytes()) != frozen.content_hash
    {
        return Err(CoreError::Corrupt(format!("the frozen record of meeting {meeting_id} does not match its hash")));
    }
    Ok(frozen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::store::meetings::MeetingFilter;

    #[test]
    fn locking_freezes_the_record_and_nothing_changes_it_afterwards() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("rembug.sqlite3")).unwrap();
        demo::generate(&store, demo::Scale::Rw, 3).unwrap();
        let meeting_id = store.list_meetings(&MeetingFilter::default()).unwrap().meetings[0].id.clone();
        assert!(store.read(|conn| read_frozen(conn, &meeting_id)).unwrap().is_none());
        assert!(matches!(store.frozen_record(&meeting_id), Err(CoreError::MeetingNotLocked)));
        store.lock_meeting(&meeting_id).unwrap();
        let frozen = store.read(|conn| read_frozen(conn, &meeting_id)).unwrap().expect("frozen at the lock");
        assert_eq!(frozen.public().unwrap().meeting.status, "locked");
        for change in ["UPDATE frozen_record SET meeting_json = '{}'", "DELETE FROM frozen_record"] {
            let refused = store.write(|tx| Ok(tx.execute(change, [])?));
            assert!(refused.is_err(), "{change}");
        }
        assert_eq!(store.frozen_record(&meeting_id).unwrap(), frozen);
    }
}
