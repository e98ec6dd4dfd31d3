//! The meeting's criteria, scores, show-of-hands counts and consensus order;
//! `ranking` puts them together through the pure `crate::ranking`.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use uuid::Uuid;

use super::attendance::ensure_meeting_exists;
use super::changes::{ensure_draft, log_change};
use super::meetings::decode;
use super::usulan::usulan_meeting_id;
use super::{Store, now_utc};
use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::ranking::{
    Criterion, CriterionFields, CriterionForm, Ranking, RankingInput, RankingMethod, SCORE_MAX, SCORE_MIN,
    parse_criteria, rank,
};
use crate::text::required_text;
use crate::usulan::Bidang;

/// A count larger than any hall holds is a typing slip.
pub const HANDS_MAX: u32 = 10_000;
pub const OVERRIDE_REASON_MAX_CHARS: usize = 500;

/// One score as the change log records it.
#[derive(Serialize)]
struct ScoreValue<'a> {
    criterion_id: &'a str,
    score: Option<u8>,
}

/// The consensus order as the change log records it.
#[derive(Serialize, PartialEq)]
struct ManualOrder {
    usulan_ids: Vec<String>,
    reason: Option<String>,
}

impl Store {
    /// Replaces the meeting's criteria. A criterion whose name is kept (in any
    /// case) keeps its scores, with its new weight and place; the scores of a
    /// criterion left out are deleted with it.
    pub fn set_criteria(&self, meeting_id: &str, forms: &[CriterionForm]) -> Result<Vec<Criterion>> {
        let fields = parse_criteria(forms).map_err(CoreError::Validation)?;
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            replace_criteria(tx, meeting_id, &fields)
        })
    }

    /// Gives a meeting that has no criteria yet the ones in the settings;
    /// answers the meeting's criteria.
    pub fn ensure_default_criteria(&self, meeting_id: &str) -> Result<Vec<Criterion>> {
        let defaults = self.settings()?.recording.to_form().criteria;
        let fields = parse_criteria(&defaults).map_err(CoreError::Validation)?;
        self.write(|tx| {
            ensure_meeting_exists(tx, meeting_id)?;
            let existing = criteria_of(tx, meeting_id)?;
            if !existing.is_empty() {
                return Ok(existing);
            }
            ensure_draft(tx, meeting_id)?;
            replace_criteria(tx, meeting_id, &fields)
        })
    }

    /// Scores an usulan 1 to 5 on one of its meeting's criteria; `None` clears
    /// the score. Answers the ranking as it now stands.
    pub fn set_score(&self, usulan_id: &str, criterion_id: &str, score: Option<u8>) -> Result<Ranking> {
        if score.is_some_and(|score| !(SCORE_MIN..=SCORE_MAX).contains(&score)) {
            return Err(CoreError::Validation(vec![FieldError::new("score", FieldCode::ScoreOutOfRange)]));
        }
        let meeting_id = self.write(|tx| {
            let meeting_id = usulan_meeting_id(tx, usulan_id)?;
            ensure_draft(tx, &meeting_id)?;
            let criterion_meeting: Option<String> = tx
                .query_row("SELECT meeting_id FROM criterion WHERE id = ?1", [criterion_id], |row| row.get(0))
                .optional()?;
            if criterion_meeting.as_deref() != Some(meeting_id.as_str()) {
                return Err(CoreError::NotFound { entity: "criterion" });
            }
            let before: Option<u8> = tx
                .query_row(
                    "SELECT score FROM score WHERE usulan_id = ?1 AND criterion_id = ?2",
                    [usulan_id, criterion_id],
                    |row| row.get(0),
                )
                .optional()?;
            if before == score {
                return Ok(meeting_id);
            }
            match score {
                Some(score) => tx.execute(
                    "INSERT INTO score (usulan_id, criterion_id, score) VALUES (?1, ?2, ?3)
                     ON CONFLICT (usulan_id, criterion_id) DO UPDATE SET score = excluded.score",
                    params![usulan_id, criterion_id, score],
                )?,
                None => tx.execute(
                    "DELETE FROM score WHERE usulan_id = ?1 AND criterion_id = ?2",
                    [usulan_id, criterion_id],
                )?,
            };
            log_change(
                tx,
                &meeting_id,
                &now_utc(),
                "score",
                Some(usulan_id),
                "updated",
                Some(&ScoreValue { criterion_id, score: before }),
                Some(&ScoreValue { criterion_id, score }),
            )?;
            Ok(meeting_id)
        })?;
        self.ranking(&meeting_id)
    }

    /// Ranks by weighted scores or by a show of hands.
    pub fn set_ranking_method(&self, meeting_id: &str, method: RankingMethod) -> Result<Ranking> {
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let before = ranking_method(tx, meeting_id)?;
            if before != method {
                tx.execute(
                    "UPDATE meeting SET ranking_method = ?2 WHERE id = ?1",
                    params![meeting_id, method.as_str()],
                )?;
                log_change(
                    tx,
                    meeting_id,
                    &now_utc(),
                    "ranking",
                    Some(meeting_id),
                    "method_set",
                    Some(&before),
                    Some(&method),
                )?;
            }
            Ok(())
        })?;
        self.ranking(meeting_id)
    }

    /// Records the hands raised for an usulan, as typed ("" clears it).
    pub fn set_hands(&self, usulan_id: &str, count: &str) -> Result<Ranking> {
        let hands = parse_hands(count).map_err(|code| CoreError::Validation(vec![FieldError::new("hands", code)]))?;
        let meeting_id = self.write(|tx| {
            let meeting_id = usulan_meeting_id(tx, usulan_id)?;
            ensure_draft(tx, &meeting_id)?;
            let before: Option<u32> =
                tx.query_row("SELECT hands FROM usulan WHERE id = ?1", [usulan_id], |row| row.get(0))?;
            if before != hands {
                let now = now_utc();
                tx.execute(
                    "UPDATE usulan SET hands = ?2, updated_at = ?3 WHERE id = ?1",
                    params![usulan_id, hands, now],
                )?;
                log_change(tx, &meeting_id, &now, "usulan", Some(usulan_id), "hands_set", Some(&before), Some(&hands))?;
            }
            Ok(meeting_id)
        })?;
        self.ranking(&meeting_id)
    }

    /// Overrides the computed order by the meeting's consensus: `usulan_ids`
    /// lists every usulan of the meeting once, first to last, and `reason`
    /// says why (it is printed with the list).
    pub fn set_manual_order(&self, meeting_id: &str, usulan_ids: &[String], reason: &str) -> Result<Ranking> {
        let reason = required_text(reason, OVERRIDE_REASON_MAX_CHARS)
            .map_err(|code| CoreError::Validation(vec![FieldError::new("reason", code)]))?;
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let mut expected = usulan_ids_of(tx, meeting_id)?;
            let mut given = usulan_ids.to_vec();
            expected.sort();
            given.sort();
            if expected != given {
                return Err(CoreError::Validation(vec![FieldError::new("usulan_ids", FieldCode::ManualOrderInvalid)]));
            }
            let after = ManualOrder { usulan_ids: usulan_ids.to_vec(), reason: Some(reason) };
            replace_manual_order(tx, meeting_id, &after, "manual_order_set")
        })?;
        self.ranking(meeting_id)
    }

    /// Returns to the computed order.
    pub fn clear_manual_order(&self, meeting_id: &str) -> Result<Ranking> {
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let after = ManualOrder { usulan_ids: Vec::new(), reason: None };
            replace_manual_order(tx, meeting_id, &after, "manual_order_cleared")
        })?;
        self.ranking(meeting_id)
    }

    /// The meeting's usulan, ranked.
    pub fn ranking(&self, meeting_id: &str) -> Result<Ranking> {
        self.read(|conn| {
            ensure_meeting_exists(conn, meeting_id)?;
            ranking_of(conn, meeting_id)
        })
    }
}

/// The ranking of a meeting known to exist.
pub(super) fn ranking_of(conn: &Connection, meeting_id: &str) -> Result<Ranking> {
    let method = ranking_method(conn, meeting_id)?;
    let override_reason: Option<String> =
        conn.query_row("SELECT ranking_override_reason FROM meeting WHERE id = ?1", [meeting_id], |row| row.get(0))?;
    let criteria = criteria_of(conn, meeting_id)?;
    let inputs = ranking_inputs(conn, meeting_id, &criteria)?;
    let rows = rank(method, &criteria, inputs);
    Ok(Ranking { method, criteria, rows, override_reason })
}

fn parse_hands(raw: &str) -> Result<Option<u32>, FieldCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldCode::NumberInvalid);
    }
    match raw.parse::<u32>() {
        Ok(hands) if hands <= HANDS_MAX => Ok(Some(hands)),
        _ => Err(FieldCode::HandsOutOfRange),
    }
}

fn replace_criteria(tx: &Transaction<'_>, meeting_id: &str, fields: &[CriterionFields]) -> Result<Vec<Criterion>> {
    let before = criteria_of(tx, meeting_id)?;
    let mut kept: HashMap<String, &Criterion> =
        before.iter().map(|criterion| (criterion.name.to_lowercase(), criterion)).collect();
    for (index, field) in fields.iter().enumerate() {
        let position = index as i64 + 1;
        match kept.remove(&field.name.to_lowercase()) {
            Some(existing) => tx.execute(
                "UPDATE criterion SET position = ?2, name = ?3, weight = ?4 WHERE id = ?1",
                params![existing.id, position, field.name, field.weight],
            )?,
            None => tx.execute(
                "INSERT INTO criterion (id, meeting_id, position, name, weight) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![Uuid::now_v7().to_string(), meeting_id, position, field.name, field.weight],
            )?,
        };
    }
    for removed in kept.values() {
        tx.execute("DELETE FROM score WHERE criterion_id = ?1", [&removed.id])?;
        tx.execute("DELETE FROM criterion WHERE id = ?1", [&removed.id])?;
    }
    let after = criteria_of(tx, meeting_id)?;
    if after != before {
        log_change(tx, meeting_id, &now_utc(), "criterion", None, "updated", Some(&before), Some(&after))?;
    }
    Ok(after)
}

fn criteria_of(conn: &Connection, meeting_id: &str) -> Result<Vec<Criterion>> {
    let mut statement = conn
        .prepare_cached("SELECT id, position, name, weight FROM criterion WHERE meeting_id = ?1 ORDER BY position")?;
    let rows = statement.query_map([meeting_id], |row| {
        Ok(Criterion {
            id: row.get("id")?,
            position: row.get("position")?,
            name: row.get("name")?,
            weight: row.get("weight")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn ranking_method(conn: &Connection, meeting_id: &str) -> Result<RankingMethod> {
    let method: String =
        conn.query_row("SELECT ranking_method FROM meeting WHERE id = ?1", [meeting_id], |row| row.get(0))?;
    RankingMethod::parse(&method).ok_or_else(|| CoreError::Corrupt(format!("ranking method {method:?}")))
}

fn usulan_ids_of(conn: &Connection, meeting_id: &str) -> Result<Vec<String>> {
    let mut statement = conn.prepare_cached("SELECT id FROM usulan WHERE meeting_id = ?1 ORDER BY position")?;
    let rows = statement.query_map([meeting_id], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stores the consensus order (none when `after` lists no usulan) and logs
/// it under `action`, unless it is the order already stored.
fn replace_manual_order(tx: &Transaction<'_>, meeting_id: &str, after: &ManualOrder, action: &str) -> Result<()> {
    let before = manual_order(tx, meeting_id)?;
    if before == *after {
        return Ok(());
    }
    let now = now_utc();
    tx.execute(
        "UPDATE usulan SET manual_rank = NULL, updated_at = ?2 WHERE meeting_id = ?1 AND manual_rank IS NOT NULL",
        params![meeting_id, now],
    )?;
    let mut place = tx.prepare_cached("UPDATE usulan SET manual_rank = ?2, updated_at = ?3 WHERE id = ?1")?;
    for (index, id) in after.usulan_ids.iter().enumerate() {
        place.execute(params![id, index as i64 + 1, now])?;
    }
    tx.execute("UPDATE meeting SET ranking_override_reason = ?2 WHERE id = ?1", params![meeting_id, after.reason])?;
    log_change(tx, meeting_id, &now, "ranking", Some(meeting_id), action, Some(&before), Some(after))
}

fn manual_order(conn: &Connection, meeting_id: &str) -> Result<ManualOrder> {
    let reason: Option<String> =
        conn.query_row("SELECT ranking_override_reason FROM meeting WHERE id = ?1", [meeting_id], |row| row.get(0))?;
    let mut statement = conn.prepare_cached(
        "SELECT id FROM usulan WHERE meeting_id = ?1 AND manual_rank IS NOT NULL ORDER BY manual_rank, position",
    )?;
    let usulan_ids = statement.query_map([meeting_id], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ManualOrder { usulan_ids, reason })
}

fn ranking_inputs(conn: &Connection, meeting_id: &str, criteria: &[Criterion]) -> Result<Vec<RankingInput>> {
    let column: HashMap<&str, usize> =
        criteria.iter().enumerate().map(|(index, criterion)| (criterion.id.as_str(), index)).collect();
    let mut statement = conn.prepare_cached(
        "SELECT id, position, kegiatan, biaya, bidang, hands, manual_rank, alamat, rt_list, rw FROM usulan
         WHERE meeting_id = ?1 ORDER BY position",
    )?;
    let mut inputs: Vec<RankingInput> = statement
        .query_map([meeting_id], |row| {
            Ok(RankingInput {
                usulan_id: row.get("id")?,
                position: row.get("position")?,
                kegiatan: row.get("kegiatan")?,
                alamat: row.get("alamat")?,
                rt_list: row.get("rt_list")?,
                rw: row.get("rw")?,
                biaya: row.get("biaya")?,
                bidang: decode(row, "bidang", Bidang::parse)?,
                scores: vec![None; criteria.len()],
                hands: row.get("hands")?,
                manual_rank: row.get("manual_rank")?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let row_of: HashMap<String, usize> =
        inputs.iter().enumerate().map(|(index, input)| (input.usulan_id.clone(), index)).collect();
    let mut scores = conn.prepare_cached(
        "SELECT score.usulan_id, score.criterion_id, score.score FROM score
         JOIN usulan ON usulan.id = score.usulan_id WHERE usulan.meeting_id = ?1",
    )?;
    let rows = scores.query_map([meeting_id], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, u8>(2)?))
    })?;
    for row in rows {
        let (usulan_id, criterion_id, score) = row?;
        if let (Some(&input), Some(&criterion)) = (row_of.get(&usulan_id), column.get(criterion_id.as_str())) {
            inputs[input].scores[criterion] = Some(score);
        }
    }
    Ok(inputs)
}
