use chrono::DateTime;
use rusqlite::{Connection, OptionalExtension, Row, RowIndex, ToSql, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::changes::{ensure_draft, log_change};
use super::settings::recording_settings;
use super::wilayah::{KELURAHAN_COLUMNS, find_kelurahan, kelurahan_from_row};
use super::{Store, format_utc, now_utc};
use crate::error::{CoreError, Result};
use crate::meeting::{Meeting, MeetingFields, MeetingForm, MeetingStatus, MeetingSummary, Stage, Timezone};
use crate::tanggal::DateText;

/// One entry of a meeting's append-only change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MeetingChange {
    #[ts(type = "number")]
    pub seq: i64,
    /// UTC, RFC 3339.
    pub at: String,
    /// `at` in the meeting's zone, as the window writes it.
    pub at_text: DateText,
    /// Which part of the meeting: `meeting`, `attendance`, `agenda_item`, `usulan`, ...
    pub entity: String,
    pub entity_id: Option<String>,
    /// `created`, `updated`, `deleted`, `locked`, ...
    pub action: String,
    /// The meeting as JSON before the change; absent when it was created.
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// The columns `summary_from_row` reads by name, over `SUMMARY_FROM`; shared
/// with the search and the usulan lists, which show the meeting of each row,
/// so each is named `summary_…` to stay apart from their own columns.
pub(crate) const SUMMARY_COLUMNS: &str = "meeting.id AS summary_id, meeting.stage AS summary_stage, \
     meeting.status AS summary_status, meeting.kelurahan_code AS summary_kelurahan_code, \
     kelurahan.name AS summary_kelurahan_name, kelurahan.kecamatan_name AS summary_kecamatan_name, \
     meeting.rw AS summary_rw, meeting.planning_year AS summary_planning_year, \
     meeting.starts_at AS summary_starts_at, meeting.timezone AS summary_timezone, \
     meeting.revision AS summary_revision";
pub(crate) const SUMMARY_FROM: &str = "meeting JOIN kelurahan ON kelurahan.code = meeting.kelurahan_code";

const DEFAULT_LIST_LIMIT: u32 = 200;
const MAX_LIST_LIMIT: u32 = 5000;

/// Which meetings the home screen shows. Every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
pub struct MeetingFilter {
    pub kelurahan_code: Option<String>,
    pub rw: Option<u16>,
    pub planning_year: Option<i32>,
    pub stage: Option<Stage>,
    pub status: Option<MeetingStatus>,
    /// At most this many (default 200).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MeetingList {
    pub meetings: Vec<MeetingSummary>,
    /// How many meetings match the filter, beyond the limit too.
    pub total: u32,
}

/// Reads a `MeetingSummary` from the `SUMMARY_COLUMNS` of a row.
pub(crate) fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<MeetingSummary> {
    let starts_at: String = row.get("summary_starts_at")?;
    let timezone = decode(row, "summary_timezone", Timezone::parse)?;
    let (date, start_time) = local_date_and_time(&starts_at, timezone).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(
            column_number(row, "summary_starts_at"),
            rusqlite::types::Type::Text,
            error.into(),
        )
    })?;
    Ok(MeetingSummary {
        id: row.get("summary_id")?,
        stage: decode(row, "summary_stage", Stage::parse)?,
        status: decode(row, "summary_status", MeetingStatus::parse)?,
        kelurahan_code: row.get("summary_kelurahan_code")?,
        kelurahan_name: row.get("summary_kelurahan_name")?,
        kecamatan_name: row.get("summary_kecamatan_name")?,
        rw: row.get("summary_rw")?,
        planning_year: row.get("summary_planning_year")?,
        date_text: DateText::date(&date),
        start_time_text: DateText::time(timezone, &start_time),
        date,
        start_time,
        timezone,
        revision: row.get("summary_revision")?,
    })
}

const MEETING_COLUMNS: &str = "meeting.id, meeting.stage, meeting.status, meeting.rw, meeting.planning_year, \
     meeting.starts_at, meeting.timezone, meeting.place, meeting.facilitator, meeting.notulis, \
     meeting.pimpinan, meeting.pimpinan_jabatan, meeting.nomor, meeting.created_at, meeting.updated_at, meeting.revision, meeting.supersedes_id, meeting.revision_reason, \
     meeting.locked_at, (SELECT newer.id FROM meeting AS newer WHERE newer.supersedes_id = meeting.id) AS superseded_by";

impl Store {
    /// Checks the form and stores a new draft meeting in one transaction.
    pub fn create_meeting(&self, form: &MeetingForm) -> Result<Meeting> {
        self.write(|tx| {
            let fields = parse_form(tx, form)?;
            insert_meeting(tx, &fields)
        })
    }

    /// Replaces the details of a draft meeting. A locked meeting is refused:
    /// it changes only through a new revision.
    pub fn update_meeting(&self, id: &str, form: &MeetingForm) -> Result<Meeting> {
        self.write(|tx| {
            ensure_draft(tx, id)?;
            let before = get_meeting(tx, id)?;
            let fields = parse_form(tx, form)?;
            let now = now_utc();
            tx.execute(
                "UPDATE meeting SET stage = ?2, kelurahan_code = ?3, rw = ?4, planning_year = ?5, starts_at = ?6,
                        timezone = ?7, place = ?8, facilitator = ?9, notulis = ?10, updated_at = ?11,
                        pimpinan = ?12, pimpinan_jabatan = ?13, nomor = ?14
                 WHERE id = ?1",
                params![
                    id,
                    fields.stage.as_str(),
                    fields.kelurahan.code,
                    fields.rw,
                    fields.planning_year,
                    format_utc(fields.starts_at()),
                    fields.timezone().as_str(),
                    fields.place,
                    fields.facilitator,
                    fields.notulis,
                    now,
                    fields.pimpinan,
                    fields.pimpinan_jabatan,
                    fields.nomor,
                ],
            )?;
            let after = get_meeting(tx, id)?;
            if after.to_form() != before.to_form() {
                log_change(tx, id, &now, "meeting", Some(id), "updated", Some(&before), Some(&after))?;
            }
            Ok(after)
        })
    }

    pub fn get_meeting(&self, id: &str) -> Result<Meeting> {
        self.read(|conn| get_meeting(conn, id))
    }

    /// The meetings that match `filter`, most recent first, at most
    /// `filter.limit` of them, with how many match in all. A meeting replaced
    /// by a newer revision is left out: the list shows each meeting once.
    pub fn list_meetings(&self, filter: &MeetingFilter) -> Result<MeetingList> {
        // Two queries: the count needs every matching row but no join or
        // sort; the page walks the newest-first index and stops at the limit
        // (CROSS JOIN keeps `meeting` as the outer loop so it can).
        const MATCHES: &str = "(?1 IS NULL OR meeting.kelurahan_code = ?1)
               AND (?2 IS NULL OR meeting.rw = ?2)
               AND (?3 IS NULL OR meeting.planning_year = ?3)
               AND (?4 IS NULL OR meeting.stage = ?4)
               AND (?5 IS NULL OR meeting.status = ?5)
               AND NOT EXISTS (SELECT 1 FROM meeting AS newer WHERE newer.supersedes_id = meeting.id)";
        self.read(|conn| {
            let stage = filter.stage.map(Stage::as_str);
            let status = filter.status.map(MeetingStatus::as_str);
            let limit = filter.limit.unwrap_or(DEFAULT_LIST_LIMIT).min(MAX_LIST_LIMIT);
            let values: [&dyn ToSql; 6] =
                [&filter.kelurahan_code, &filter.rw, &filter.planning_year, &stage, &status, &limit];
            let total: u32 = conn
                .prepare_cached(&format!("SELECT count(*) FROM meeting WHERE {MATCHES}"))?
                .query_row(&values[..5], |row| row.get(0))?;
            let mut page = conn.prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM meeting CROSS JOIN kelurahan ON kelurahan.code = meeting.kelurahan_code
                 WHERE {MATCHES}
                 ORDER BY meeting.starts_at DESC, meeting.id DESC
                 LIMIT ?6"
            ))?;
            let meetings = page.query_map(&values[..], summary_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(MeetingList { meetings, total })
        })
    }

    pub fn meeting_changes(&self, id: &str) -> Result<Vec<MeetingChange>> {
        self.read(|conn| {
            let mut statement = conn.prepare(
                "SELECT seq, at, entity, entity_id, action, before_json, after_json, meeting.timezone
                 FROM meeting_change JOIN meeting ON meeting.id = meeting_change.meeting_id
                 WHERE meeting_change.meeting_id = ?1 ORDER BY seq",
            )?;
            let rows = statement.query_map([id], |row| {
                let at: String = row.get("at")?;
                Ok(MeetingChange {
                    seq: row.get("seq")?,
                    at_text: DateText::instant(decode(row, "timezone", Timezone::parse)?, &at),
                    at,
                    entity: row.get("entity")?,
                    entity_id: row.get("entity_id")?,
                    action: row.get("action")?,
                    before_json: row.get("before_json")?,
                    after_json: row.get("after_json")?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}

/// Stores a new draft meeting from a checked form and logs its creation.
pub(super) fn insert_meeting(tx: &Transaction<'_>, fields: &MeetingFields) -> Result<Meeting> {
    let id = Uuid::now_v7().to_string();
    let now = now_utc();
    tx.execute(
        "INSERT INTO meeting (id, stage, status, kelurahan_code, rw, planning_year, starts_at, timezone,
                              place, facilitator, notulis, created_at, updated_at, pimpinan, pimpinan_jabatan,
                              nomor)
         VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14)",
        params![
            id,
            fields.stage.as_str(),
            fields.kelurahan.code,
            fields.rw,
            fields.planning_year,
            format_utc(fields.starts_at()),
            fields.timezone().as_str(),
            fields.place,
            fields.facilitator,
            fields.notulis,
            now,
            fields.pimpinan,
            fields.pimpinan_jabatan,
            fields.nomor,
        ],
    )?;
    let meeting = get_meeting(tx, &id)?;
    log_change(tx, &meeting.id, &now, "meeting", Some(&meeting.id), "created", None, Some(&meeting))?;
    Ok(meeting)
}

pub(super) fn parse_form(conn: &Connection, form: &MeetingForm) -> Result<MeetingFields> {
    let mut lookup_error = None;
    let two_years_ahead_from_month = recording_settings(conn)?.two_years_ahead_from_month;
    let parsed = form.parse(
        |code| {
            find_kelurahan(conn, code).unwrap_or_else(|e| {
                lookup_error = Some(e);
                None
            })
        },
        two_years_ahead_from_month,
    );
    if let Some(error) = lookup_error {
        return Err(error.into());
    }
    parsed.map_err(CoreError::Validation)
}

pub(super) fn get_meeting(conn: &Connection, id: &str) -> Result<Meeting> {
    let row = conn
        .query_row(
            &format!(
                "SELECT {MEETING_COLUMNS}, {KELURAHAN_COLUMNS} FROM meeting
                 JOIN kelurahan ON kelurahan.code = meeting.kelurahan_code WHERE meeting.id = ?1"
            ),
            [id],
            |row| {
                Ok(Meeting {
                    id: row.get("id")?,
                    stage: decode(row, "stage", Stage::parse)?,
                    status: decode(row, "status", MeetingStatus::parse)?,
                    rw: row.get("rw")?,
                    planning_year: row.get("planning_year")?,
                    starts_at: row.get("starts_at")?,
                    timezone: decode(row, "timezone", Timezone::parse)?,
                    place: row.get("place")?,
                    facilitator: row.get("facilitator")?,
                    notulis: row.get("notulis")?,
                    pimpinan: row.get("pimpinan")?,
                    pimpinan_jabatan: row.get("pimpinan_jabatan")?,
                    nomor: row.get("nomor")?,
                    created_at: row.get("created_at")?,
                    updated_at: row.get("updated_at")?,
                    revision: row.get("revision")?,
                    supersedes_id: row.get("supersedes_id")?,
                    revision_reason: row.get("revision_reason")?,
                    locked_at: row.get("locked_at")?,
                    superseded_by: row.get("superseded_by")?,
                    kelurahan: kelurahan_from_row(row)?,
                    date: String::new(),
                    start_time: String::new(),
                })
            },
        )
        .optional()?;
    let mut meeting = row.ok_or(CoreError::NotFound { entity: "meeting" })?;
    (meeting.date, meeting.start_time) = local_date_and_time(&meeting.starts_at, meeting.timezone)?;
    Ok(meeting)
}

/// The meeting's local date and start time, from its UTC start and zone.
fn local_date_and_time(starts_at: &str, timezone: Timezone) -> Result<(String, String)> {
    let local = DateTime::parse_from_rfc3339(starts_at).map_err(corrupt)?.with_timezone(&timezone.offset());
    Ok((local.format("%Y-%m-%d").to_string(), local.format("%H:%M").to_string()))
}

/// Reads the column `index` (a name or a number) as the value its text names.
pub(super) fn decode<T>(row: &Row<'_>, index: impl RowIndex, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let column = index.idx(row.as_ref())?;
    let text: String = row.get(column)?;
    parse(&text).ok_or_else(|| unknown_value(column, &text))
}

/// The position of a column named in the query, for an error that needs one.
pub(super) fn column_number(row: &Row<'_>, name: &str) -> usize {
    row.as_ref().column_index(name).unwrap_or_default()
}

pub(super) fn unknown_value(column: usize, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("unknown value {text:?}").into(),
    )
}

fn corrupt(error: impl std::fmt::Display) -> CoreError {
    CoreError::Corrupt(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_local_date_and_time_follow_the_meeting_zone_across_midnight() {
        for (timezone, local) in [
            (Timezone::Wib, ("2026-11-29", "06:30")),
            (Timezone::Wita, ("2026-11-29", "07:30")),
            (Timezone::Wit, ("2026-11-29", "08:30")),
        ] {
            let (date, time) = local_date_and_time("2026-11-28T23:30:00Z", timezone).unwrap();
            assert_eq!((date.as_str(), time.as_str()), local, "{timezone:?}");
        }
        assert!(matches!(local_date_and_time("28/11/2026 23:30", Timezone::Wib), Err(CoreError::Corrupt(_))));
    }
}
