//! The whole meeting as one value, assembled from the store's own reads.

use std::collections::HashMap;

use super::Store;
use crate::error::{CoreError, Result};
use crate::record::{
    DelegateRecord, HistoryEntry, MeetingRecord, PersonalRecord, PublicRecord, UsulanRecord, sorted_hashes,
};

impl Store {
    /// Everything recorded in a meeting, split into its public and personal
    /// parts. Each part is read on its own; a locked meeting never changes,
    /// so together they are one consistent picture of it.
    pub fn meeting_record(&self, meeting_id: &str) -> Result<MeetingRecord> {
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
                history: changes.iter().map(HistoryEntry::from).collect(),
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
}
