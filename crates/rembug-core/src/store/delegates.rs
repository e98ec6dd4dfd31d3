//! Delegasi: the attendees chosen to carry the meeting's usulan to the next
//! level, in order.

use rusqlite::params;

use super::Store;
use super::attendance::{delegate_attendees, ensure_meeting_exists, is_attendee};
use super::changes::{ensure_draft, log_change};
use super::now_utc;
use crate::attendance::{Attendee, DelegateWarning, Delegates};
use crate::error::{CoreError, FieldCode, FieldError, Result};

impl Store {
    /// Replaces the meeting's delegates with `person_ids`, in this order.
    /// Each must be an attendee of the meeting and appear once; the count the
    /// city expects (the settings' range) is only a warning.
    pub fn set_delegates(&self, meeting_id: &str, person_ids: &[String]) -> Result<Delegates> {
        let delegates = self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let mut errors = Vec::new();
            for (index, person_id) in person_ids.iter().enumerate() {
                let code = if person_ids[..index].contains(person_id) {
                    FieldCode::DelegateDuplicate
                } else if !is_attendee(tx, meeting_id, person_id)? {
                    FieldCode::DelegateNotAttendee
                } else {
                    continue;
                };
                let error = FieldError::new("person_ids", code);
                if !errors.contains(&error) {
                    errors.push(error);
                }
            }
            if !errors.is_empty() {
                return Err(CoreError::Validation(errors));
            }
            let before = delegate_attendees(tx, meeting_id)?;
            tx.execute("DELETE FROM delegate WHERE meeting_id = ?1", [meeting_id])?;
            let mut insert =
                tx.prepare_cached("INSERT INTO delegate (meeting_id, person_id, position) VALUES (?1, ?2, ?3)")?;
            for (position, person_id) in (1u32..).zip(person_ids) {
                insert.execute(params![meeting_id, person_id, position])?;
            }
            let after = delegate_attendees(tx, meeting_id)?;
            if after != before {
                log_change(tx, meeting_id, &now_utc(), "delegates", None, "updated", Some(&before), Some(&after))?;
            }
            Ok(after)
        })?;
        self.with_warnings(delegates)
    }

    /// The meeting's delegates in order, with what deserves a second look.
    pub fn delegates(&self, meeting_id: &str) -> Result<Delegates> {
        let delegates = self.read(|conn| {
            ensure_meeting_exists(conn, meeting_id)?;
            delegate_attendees(conn, meeting_id)
        })?;
        self.with_warnings(delegates)
    }

    /// The warnings come from this device's settings (the delegate count the
    /// city expects), never from the caller, so every front end agrees.
    fn with_warnings(&self, delegates: Vec<Attendee>) -> Result<Delegates> {
        let recording = self.settings()?.recording;
        let (min, max) = (usize::from(recording.delegates_min), usize::from(recording.delegates_max));
        Ok(Delegates { warnings: DelegateWarning::for_delegates(&delegates, min, max), delegates })
    }
}
