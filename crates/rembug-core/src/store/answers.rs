//! The office's answers this device holds and the outcomes recorded by hand
//! (migration 0010): beside the locked record, never in it.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::meetings::{decode, unknown_value};
use super::opd::replace_opd_list;
use super::settings::apply_stage_settings;
use super::wilayah::upsert_kelurahan;
use super::{Store, now_utc};
use crate::answers::{MeetingReview, OutcomeForm, OutcomeKind, OutcomeSource, ReviewState, UsulanOutcome};
use crate::error::{CoreError, Result};
use crate::meeting::Timezone;
use crate::opd::is_opd_list;
use crate::tanggal::DateText;
use crate::trust::{Answers, OfficeIdentity, Signed};

/// What [`Store::save_answers`] did with answers whose signature checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswersSaved {
    /// They are now the answers held; `changed` when they say something
    /// else than the ones held before (a review, a note, an outcome).
    Stored { serial: u64, changed: bool },
    /// This serial or a higher one is held already (an older or replayed
    /// answer); nothing changed.
    NotNewer { held_serial: u64 },
}

impl Store {
    /// Keeps the office's answers once their signature verifies with
    /// `office`'s signing key and they are for `device_id`
    /// (`office_document_invalid` otherwise; nothing is stored), unless a
    /// serial as high is held from the same office. The reviews and outcomes they give this
    /// laptop's meetings and usulan replace the ones held; answers about
    /// meetings this laptop does not have are kept in the document only.
    pub fn save_answers(&self, signed: &Signed, office: &OfficeIdentity, device_id: &str) -> Result<AnswersSaved> {
        let answers: Answers = signed.open(&office.verifying_key()?)?;
        let invalid = || CoreError::OfficeDocumentInvalid { document: "answers" };
        if answers.device_id != device_id {
            return Err(invalid());
        }
        let serial = i64::try_from(answers.serial).map_err(|_| invalid())?;
        if answers.wilayah.iter().any(|kelurahan| kelurahan.shape_problem().is_some()) {
            return Err(invalid());
        }
        if answers.opd.as_deref().is_some_and(|names| !is_opd_list(names))
            || answers.women_target_percent.is_some_and(|percent| percent > 100)
            || answers.delegates.is_some_and(|range| !range.is_valid())
        {
            return Err(invalid());
        }
        self.write(|tx| {
            let held: Option<(i64, String, String)> = tx
                .query_row("SELECT serial, office_key_id, body FROM office_answers WHERE id = 1", [], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })
                .optional()?;
            // Serials are one office's clock: another office (enrolled since)
            // starts afresh.
            if let Some((held, ..)) =
                held.as_ref().filter(|(held, key_id, _)| *held >= serial && *key_id == office.key_id)
            {
                return Ok(AnswersSaved::NotNewer { held_serial: *held as u64 });
            }
            // Held answers were checked when they were stored.
            let before = held.and_then(|(.., body)| serde_json::from_str::<Answers>(&body).ok());
            let changed = before.is_none_or(|before| before.meetings != answers.meetings);
            tx.execute(
                "INSERT INTO office_answers (id, serial, issued_at, office_key_id, body, signature, stored_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET serial = excluded.serial, issued_at = excluded.issued_at,
                    office_key_id = excluded.office_key_id, body = excluded.body,
                    signature = excluded.signature, stored_at = excluded.stored_at",
                params![serial, answers.issued_at, office.key_id, signed.body, signed.signature, now_utc()],
            )?;
            upsert_kelurahan(tx, &answers.wilayah)?;
            if let Some(names) = &answers.opd {
                replace_opd_list(tx, names)?;
            }
            apply_stage_settings(tx, answers.women_target_percent, answers.delegates)?;
            tx.execute("DELETE FROM usulan_answer", [])?;
            tx.execute("DELETE FROM meeting_answer", [])?;
            let mut meeting = tx.prepare_cached(
                "INSERT INTO meeting_answer (meeting_id, review_state, note)
                 SELECT id, ?2, ?3 FROM meeting WHERE id = ?1 AND revision = ?4 AND status = 'locked'",
            )?;
            let mut usulan = tx.prepare_cached(
                "INSERT INTO usulan_answer (usulan_id, outcome, detail)
                 SELECT id, ?3, ?4 FROM usulan WHERE id = ?1 AND meeting_id = ?2",
            )?;
            for answer in &answers.meetings {
                let state = answer.review_state.as_str();
                if meeting.execute(params![answer.meeting_id, state, answer.note, answer.revision])? == 0 {
                    continue;
                }
                for outcome in &answer.usulan {
                    usulan.execute(params![
                        outcome.usulan_id,
                        answer.meeting_id,
                        outcome.outcome.as_str(),
                        outcome.detail
                    ])?;
                }
            }
            Ok(AnswersSaved::Stored { serial: answers.serial, changed })
        })
    }

    /// The office's review of each meeting revision it answered, by meeting id.
    pub fn meeting_reviews(&self) -> Result<HashMap<String, MeetingReview>> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT meeting_id, review_state, note, office_answers.issued_at, meeting.timezone
                 FROM meeting_answer JOIN meeting ON meeting.id = meeting_answer.meeting_id, office_answers",
            )?;
            let rows = statement.query_map([], |row| {
                let state: String = row.get("review_state")?;
                let answered_at: String = row.get("issued_at")?;
                Ok(MeetingReview {
                    meeting_id: row.get("meeting_id")?,
                    state: ReviewState::parse(&state).ok_or_else(|| unknown_value(1, &state))?,
                    note: row.get("note")?,
                    answered_at_text: DateText::instant(decode(row, "timezone", Timezone::parse)?, &answered_at),
                    answered_at,
                })
            })?;
            let reviews = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(reviews.into_iter().map(|review| (review.meeting_id.clone(), review)).collect())
        })
    }

    /// The office's review of one meeting revision, if it answered one.
    pub fn meeting_review(&self, meeting_id: &str) -> Result<Option<MeetingReview>> {
        Ok(self.meeting_reviews()?.remove(meeting_id))
    }

    /// What became of each usulan of a meeting that has an outcome, in the
    /// meeting's order: the office's, else the one recorded by hand.
    pub fn usulan_outcomes(&self, meeting_id: &str) -> Result<Vec<UsulanOutcome>> {
        self.read(|conn| usulan_outcomes(conn, meeting_id))
    }

    /// Records (or with `None` removes) the cadre's own outcome of an usulan
    /// of a locked meeting, for a city without an office server. The locked
    /// record is not touched; an office outcome for it still wins.
    pub fn record_outcome_by_hand(&self, usulan_id: &str, form: Option<&OutcomeForm>) -> Result<Vec<UsulanOutcome>> {
        let parsed = form.map(OutcomeForm::parse).transpose()?;
        self.write(|tx| {
            let meeting: Option<(String, String)> = tx
                .query_row(
                    "SELECT meeting.id, meeting.status FROM usulan JOIN meeting ON meeting.id = usulan.meeting_id
                     WHERE usulan.id = ?1",
                    [usulan_id],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let Some((meeting_id, status)) = meeting else {
                return Err(CoreError::NotFound { entity: "usulan" });
            };
            if status != "locked" {
                return Err(CoreError::MeetingNotLocked);
            }
            match &parsed {
                Some((outcome, detail)) => tx.execute(
                    "INSERT INTO usulan_outcome_by_hand (usulan_id, outcome, detail, recorded_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (usulan_id) DO UPDATE SET outcome = excluded.outcome, detail = excluded.detail,
                        recorded_at = excluded.recorded_at",
                    params![usulan_id, outcome.as_str(), detail, now_utc()],
                )?,
                None => tx.execute("DELETE FROM usulan_outcome_by_hand WHERE usulan_id = ?1", [usulan_id])?,
            };
            usulan_outcomes(tx, &meeting_id)
        })
    }
}

fn usulan_outcomes(conn: &Connection, meeting_id: &str) -> Result<Vec<UsulanOutcome>> {
    let mut statement = conn.prepare_cached(
        "SELECT usulan.id,
                COALESCE(office.outcome, hand.outcome) AS outcome,
                COALESCE(office.detail, hand.detail) AS detail,
                CASE WHEN office.outcome IS NOT NULL THEN 'office' ELSE 'hand' END AS source
         FROM usulan LEFT JOIN usulan_answer AS office ON office.usulan_id = usulan.id
              LEFT JOIN usulan_outcome_by_hand AS hand ON hand.usulan_id = usulan.id
         WHERE usulan.meeting_id = ?1 AND (office.outcome IS NOT NULL OR hand.outcome IS NOT NULL)
         ORDER BY usulan.position",
    )?;
    let rows = statement.query_map([meeting_id], |row| {
        let (outcome, source): (String, String) = (row.get("outcome")?, row.get("source")?);
        Ok(UsulanOutcome {
            usulan_id: row.get("id")?,
            outcome: OutcomeKind::parse(&outcome).ok_or_else(|| unknown_value(1, &outcome))?,
            detail: row.get("detail")?,
            source: OutcomeSource::parse(&source).ok_or_else(|| unknown_value(3, &source))?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
