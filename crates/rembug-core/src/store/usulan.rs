//! Usulan of a meeting, their photos and outcomes, and carrying forward the
//! ones an earlier meeting did not get into the plan.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::LazyLock;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params, params_from_iter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::attendance::{ensure_meeting_exists, is_attendee};
use super::changes::{ensure_draft, log_change};
use super::meetings::{SUMMARY_COLUMNS, SUMMARY_FROM, column_number, decode, summary_from_row, unknown_value};
use super::{Store, now_utc};
use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::meeting::{MeetingSummary, Stage};
use crate::photos::{PHOTOS_PER_USULAN, prepare_photo, read_photo};
use crate::usulan::SIPD_PHOTOS_MAX;
use crate::usulan::{
    Bidang, Outcome, Proposer, Usulan, UsulanContext, UsulanFields, UsulanForm, UsulanOrigin, UsulanPhoto, UsulanTexts,
    with_usulan_fields,
};

const ENTITY: &str = "usulan";
const PHOTO_ENTITY: &str = "usulan_photo";

/// The columns `usulan_from_row` reads by name, over `USULAN_FROM`; the
/// joined ones are named apart from the usulan's own.
const USULAN_COLUMNS: &str = "usulan.*, proposer.name AS proposer_name, origin.rw AS origin_rw, \
     origin.source_meeting_id AS origin_source_meeting_id, origin.source_usulan_id AS origin_source_usulan_id, \
     origin.bundle_sha256 AS origin_bundle_sha256, origin.rank AS origin_rank";
const USULAN_FROM: &str = "usulan LEFT JOIN attendance AS proposer
     ON proposer.meeting_id = usulan.meeting_id AND proposer.person_id = usulan.proposer_person_id
     LEFT JOIN usulan_origin AS origin ON origin.usulan_id = usulan.id";

/// The usulan's columns, from [`with_usulan_fields!`]'s plain fields and the
/// hand-written others: `CONTENT_COLUMNS`, `content_values` and
/// `usulan_from_row`.
macro_rules! usulan_columns {
    (
        what { $(
            $(#[$what_form:meta])* $what:ident : $what_type:ty = $what_check:ident ( $($what_argument:expr),* )
            $(#[$what_record:meta])* ;
        )* }
        more { $(
            $(#[$more_form:meta])* $more:ident : $more_type:ty = $more_check:ident ( $($more_argument:expr),* )
            $(#[$more_record:meta])* ;
        )* }
    ) => {
        /// The usulan's own content columns, each named once: the insert and
        /// update statements, the demo's rows, carrying forward and a
        /// revision's copy are written from this list, and `content_values`
        /// answers the values of an `UsulanFields` in the same order.
        pub(crate) const CONTENT_COLUMNS: &[&str] = &[
            $( stringify!($what), )*
            "rt_list",
            "rw",
            "latitude",
            "longitude",
            "volume",
            "satuan",
            "biaya",
            "bidang",
            $( stringify!($more), )*
            "proposer_person_id",
            "proposer_group",
        ];

        /// The usulan's content as stored, in the order of `CONTENT_COLUMNS`.
        pub(crate) fn content_values(fields: &UsulanFields) -> [Value; CONTENT_COLUMNS.len()] {
            let (proposer_person_id, proposer_group) = match &fields.proposer {
                Proposer::Nobody => (None, None),
                Proposer::Person(person_id) => (Some(person_id.clone()), None),
                Proposer::Group(group) => (None, Some(group.clone())),
            };
            [
                $( fields.$what.clone().into(), )*
                fields.rt_list_text().into(),
                fields.rw.into(),
                fields.coordinates.map(|(latitude, _)| latitude).into(),
                fields.coordinates.map(|(_, longitude)| longitude).into(),
                fields.volume.into(),
                fields.satuan.clone().into(),
                fields.biaya.into(),
                fields.bidang.as_str().to_owned().into(),
                $( fields.$more.clone().into(), )*
                proposer_person_id.into(),
                proposer_group.into(),
            ]
        }

        /// Reads an `Usulan` (without its photos) from the `USULAN_COLUMNS` of a row.
        fn usulan_from_row(row: &Row<'_>) -> rusqlite::Result<Usulan> {
            let outcome: Option<String> = row.get("outcome")?;
            Ok(Usulan {
                id: row.get("id")?,
                meeting_id: row.get("meeting_id")?,
                position: row.get("position")?,
                $( $what: row.get(stringify!($what))?, )*
                rt_list: row.get("rt_list")?,
                rw: row.get("rw")?,
                latitude: row.get("latitude")?,
                longitude: row.get("longitude")?,
                volume: row.get("volume")?,
                satuan: row.get("satuan")?,
                biaya: row.get("biaya")?,
                bidang: decode(row, "bidang", Bidang::parse)?,
                $( $more: row.get(stringify!($more))?, )*
                proposer_person_id: row.get("proposer_person_id")?,
                proposer_name: row.get("proposer_name")?,
                proposer_group: row.get("proposer_group")?,
                hands: row.get("hands")?,
                manual_rank: row.get("manual_rank")?,
                outcome: outcome
                    .as_deref()
                    .map(|text| Outcome::parse(text).ok_or_else(|| unknown_value(column_number(row, "outcome"), text)))
                    .transpose()?,
                carried_from_id: row.get("carried_from_id")?,
                origin: match row.get::<_, Option<u16>>("origin_rw")? {
                    Some(rw) => Some(UsulanOrigin {
                        rw,
                        source_meeting_id: row.get("origin_source_meeting_id")?,
                        source_usulan_id: row.get("origin_source_usulan_id")?,
                        bundle_sha256: row.get("origin_bundle_sha256")?,
                        rank: row.get("origin_rank")?,
                    }),
                    None => None,
                },
                photos: Vec::new(),
                created_at: row.get("created_at")?,
                updated_at: row.get("updated_at")?,
            })
        }
    };
}

with_usulan_fields!(usulan_columns);

/// A photo's columns that carrying forward and a revision copy.
pub(super) const PHOTO_COPIED: &str = "position, sha256, original_sha256, untuk_sipd";

/// The columns of an usulan a revision copies unchanged: its content, then
/// its place, how the meeting ranked it and what became of it.
pub(super) fn revision_columns() -> String {
    format!(
        "{}, position, hands, manual_rank, outcome, carried_from_id, created_at, updated_at",
        CONTENT_COLUMNS.join(", ")
    )
}

/// The content an usulan carried forward keeps: what was proposed, not how
/// the earlier meeting ranked it nor who of its attendees proposed it.
fn carried_columns() -> String {
    CONTENT_COLUMNS.iter().copied().filter(|column| *column != "proposer_person_id").collect::<Vec<_>>().join(", ")
}

/// `INSERT` of a new usulan at the end of its meeting's list, with its
/// content as the numbered parameters after `?1` id, `?2` meeting and `?3` now.
fn insert_sql() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let values = (0..CONTENT_COLUMNS.len()).map(|index| format!("?{}", index + 4)).collect::<Vec<_>>();
        format!(
            "INSERT INTO usulan (id, meeting_id, position, created_at, updated_at, {})
             VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM usulan WHERE meeting_id = ?2), ?3, ?3, {})",
            CONTENT_COLUMNS.join(", "),
            values.join(", ")
        )
    });
    &SQL
}

/// `UPDATE` of an usulan's content, with `?1` id, `?2` now and the content
/// as the numbered parameters after them.
fn update_sql() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let sets = CONTENT_COLUMNS
            .iter()
            .enumerate()
            .map(|(index, column)| format!("{column} = ?{}", index + 3))
            .collect::<Vec<_>>();
        format!("UPDATE usulan SET {}, updated_at = ?2 WHERE id = ?1", sets.join(", "))
    });
    &SQL
}

/// An usulan of an earlier meeting that may be carried into this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CarryForwardCandidate {
    pub usulan: Usulan,
    pub texts: UsulanTexts,
    /// The locked meeting it was proposed in.
    pub origin: MeetingSummary,
}

/// The earlier meeting an usulan of this meeting was carried forward from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CarriedOrigin {
    pub usulan_id: String,
    pub origin: MeetingSummary,
}

impl Store {
    /// Records a new usulan at the end of the meeting's list.
    pub fn add_usulan(&self, meeting_id: &str, form: &UsulanForm) -> Result<Usulan> {
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let fields = parse_usulan_form(tx, meeting_id, form)?;
            let now = now_utc();
            let id = insert_usulan(tx, meeting_id, &fields, &now)?;
            let usulan = get_usulan(tx, &id)?;
            log_change(tx, meeting_id, &now, ENTITY, Some(&id), "created", None, Some(&usulan))?;
            Ok(usulan)
        })
    }

    /// Replaces what was typed for an usulan; its ranking, photos and outcome
    /// stay. Saving the same form again logs nothing.
    pub fn update_usulan(&self, id: &str, form: &UsulanForm) -> Result<Usulan> {
        self.write(|tx| {
            let before = get_usulan(tx, id)?;
            ensure_draft(tx, &before.meeting_id)?;
            let fields = parse_usulan_form(tx, &before.meeting_id, form)?;
            let now = now_utc();
            let params =
                [Value::from(id.to_owned()), Value::from(now.clone())].into_iter().chain(content_values(&fields));
            tx.prepare_cached(update_sql())?.execute(params_from_iter(params))?;
            let after = get_usulan(tx, id)?;
            if after.to_form() != before.to_form() {
                log_change(tx, &before.meeting_id, &now, ENTITY, Some(id), "updated", Some(&before), Some(&after))?;
            }
            Ok(after)
        })
    }

    /// Deletes an usulan with its photos and scores; the ones entered after it
    /// move up one place.
    pub fn delete_usulan(&self, id: &str) -> Result<()> {
        self.write(|tx| {
            let before = get_usulan(tx, id)?;
            ensure_draft(tx, &before.meeting_id)?;
            tx.execute("DELETE FROM usulan_photo WHERE usulan_id = ?1", [id])?;
            tx.execute("DELETE FROM score WHERE usulan_id = ?1", [id])?;
            tx.execute("DELETE FROM usulan_origin WHERE usulan_id = ?1", [id])?;
            tx.execute("DELETE FROM usulan WHERE id = ?1", [id])?;
            let now = now_utc();
            tx.execute(
                "UPDATE usulan SET position = position - 1, updated_at = ?3 WHERE meeting_id = ?1 AND position > ?2",
                params![before.meeting_id, before.position, now],
            )?;
            log_change(tx, &before.meeting_id, &now, ENTITY, Some(id), "deleted", Some(&before), None)?;
            Ok(())
        })
    }

    pub fn get_usulan(&self, id: &str) -> Result<Usulan> {
        self.read(|conn| get_usulan(conn, id))
    }

    /// The meeting's usulan in order of entry, each with its photos.
    pub fn usulan_list(&self, meeting_id: &str) -> Result<Vec<Usulan>> {
        self.read(|conn| {
            ensure_meeting_exists(conn, meeting_id)?;
            usulan_of_meeting(conn, meeting_id)
        })
    }

    /// Records whether the plan took the usulan in (`None` clears it). Only on
    /// a draft meeting, like every other change.
    pub fn set_usulan_outcome(&self, id: &str, outcome: Option<Outcome>) -> Result<Usulan> {
        self.write(|tx| {
            let before = get_usulan(tx, id)?;
            ensure_draft(tx, &before.meeting_id)?;
            if before.outcome == outcome {
                return Ok(before);
            }
            let now = now_utc();
            tx.execute(
                "UPDATE usulan SET outcome = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, outcome.map(Outcome::as_str), now],
            )?;
            let after = get_usulan(tx, id)?;
            log_change(tx, &before.meeting_id, &now, ENTITY, Some(id), "outcome_set", Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Imports a photo for an usulan: at most ten, JPEG or PNG, downscaled
    /// when large; with `keep_original` the imported file is kept too. What
    /// is kept carries no metadata (`photo_metadata`).
    pub fn add_usulan_photo(&self, usulan_id: &str, source: impl Read, keep_original: bool) -> Result<UsulanPhoto> {
        // Refused early so a locked meeting or a full usulan costs no decoding;
        // checked again in the write below, which alone decides.
        self.read(|conn| check_photo_room(conn, usulan_id))?;
        let original = read_photo(source)?;
        let prepared = prepare_photo(&original)?;
        let stored = self.put_attachment(&mut prepared.bytes.as_slice(), prepared.media_type)?;
        let original_sha256 = match (keep_original, &prepared.original) {
            (false, _) => None,
            (true, None) => Some(stored.sha256.clone()),
            (true, Some(original)) => Some(self.put_attachment(&mut original.as_slice(), prepared.media_type)?.sha256),
        };
        self.write(|tx| {
            let (meeting_id, count) = check_photo_room(tx, usulan_id)?;
            let photo = UsulanPhoto { position: count + 1, sha256: stored.sha256, original_sha256, untuk_sipd: false };
            tx.execute(
                "INSERT INTO usulan_photo (usulan_id, position, sha256, original_sha256) VALUES (?1, ?2, ?3, ?4)",
                params![usulan_id, photo.position, photo.sha256, photo.original_sha256],
            )?;
            let now = now_utc();
            touch_usulan(tx, usulan_id, &now)?;
            log_change(tx, &meeting_id, &now, PHOTO_ENTITY, Some(usulan_id), "created", None, Some(&photo))?;
            Ok(photo)
        })
    }

    /// Removes the photo at `position` (from 1); the later ones move up. The
    /// attachment itself stays: another usulan or revision may show it.
    pub fn remove_usulan_photo(&self, usulan_id: &str, position: u8) -> Result<Vec<UsulanPhoto>> {
        self.write(|tx| {
            let (meeting_id, photos) = draft_photos(tx, usulan_id)?;
            let removed = photo_at(&photos, position)?;
            tx.execute(
                "DELETE FROM usulan_photo WHERE usulan_id = ?1 AND position = ?2",
                params![usulan_id, position],
            )?;
            // One row at a time, in order: the primary key (usulan_id, position)
            // is checked per row, and positions must stay within 1..=10.
            let mut shift = tx.prepare_cached(
                "UPDATE usulan_photo SET position = position - 1 WHERE usulan_id = ?1 AND position = ?2",
            )?;
            for later in photos.iter().filter(|photo| photo.position > position) {
                shift.execute(params![usulan_id, later.position])?;
            }
            let now = now_utc();
            touch_usulan(tx, usulan_id, &now)?;
            log_change(tx, &meeting_id, &now, PHOTO_ENTITY, Some(usulan_id), "deleted", Some(removed), None)?;
            photos_of(tx, usulan_id)
        })
    }

    /// Marks the photo at `position` as one that goes to SIPD, or unmarks
    /// it; SIPD takes at most [`SIPD_PHOTOS_MAX`] photos of an usulan, so a
    /// fourth mark is refused (`sipd_photos_full`).
    pub fn set_usulan_photo_sipd(&self, usulan_id: &str, position: u8, untuk_sipd: bool) -> Result<Vec<UsulanPhoto>> {
        self.write(|tx| {
            let (meeting_id, photos) = draft_photos(tx, usulan_id)?;
            let before = photo_at(&photos, position)?;
            if before.untuk_sipd == untuk_sipd {
                return Ok(photos);
            }
            if untuk_sipd && photos.iter().filter(|photo| photo.untuk_sipd).count() >= SIPD_PHOTOS_MAX {
                return Err(CoreError::Validation(vec![FieldError::new("untuk_sipd", FieldCode::SipdPhotosFull)]));
            }
            tx.execute(
                "UPDATE usulan_photo SET untuk_sipd = ?3 WHERE usulan_id = ?1 AND position = ?2",
                params![usulan_id, position, untuk_sipd],
            )?;
            let now = now_utc();
            touch_usulan(tx, usulan_id, &now)?;
            let after = UsulanPhoto { untuk_sipd, ..before.clone() };
            log_change(tx, &meeting_id, &now, PHOTO_ENTITY, Some(usulan_id), "updated", Some(before), Some(&after))?;
            photos_of(tx, usulan_id)
        })
    }

    /// Usulan of earlier locked meetings of the same kelurahan and RW that the
    /// plan did not take in (or whose outcome is not known), newest meeting
    /// first; minus those already carried into this meeting, and those carried
    /// into a later locked meeting, whose copy is the candidate instead. The
    /// office's answered outcome counts first, then one recorded by hand, then
    /// the record's own: diakomodir and dialihkan are not offered again.
    pub fn carry_forward_candidates(&self, meeting_id: &str) -> Result<Vec<CarryForwardCandidate>> {
        self.read(|conn| {
            ensure_meeting_exists(conn, meeting_id)?;
            carry_forward_candidates(conn, meeting_id)
        })
    }

    /// For each usulan of the meeting that was carried forward, in order, the
    /// meeting its original was proposed in.
    pub fn carried_origins(&self, meeting_id: &str) -> Result<Vec<CarriedOrigin>> {
        self.read(|conn| {
            ensure_meeting_exists(conn, meeting_id)?;
            let mut statement = conn.prepare_cached(&format!(
                "SELECT usulan.id, {SUMMARY_COLUMNS} FROM usulan, usulan AS original, {SUMMARY_FROM}
                 WHERE usulan.meeting_id = ?1 AND original.id = usulan.carried_from_id
                   AND meeting.id = original.meeting_id
                 ORDER BY usulan.position"
            ))?;
            let rows = statement.query_map([meeting_id], |row| {
                Ok(CarriedOrigin { usulan_id: row.get("id")?, origin: summary_from_row(row)? })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Copies candidates into this meeting, all or none: new ids, linked to the
    /// original by `carried_from_id`, showing the same photo files.
    pub fn carry_forward(&self, meeting_id: &str, usulan_ids: &[String]) -> Result<Vec<Usulan>> {
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let allowed: HashSet<String> =
                carry_forward_candidates(tx, meeting_id)?.into_iter().map(|candidate| candidate.usulan.id).collect();
            let mut seen = HashSet::new();
            if usulan_ids.iter().any(|id| !allowed.contains(id) || !seen.insert(id)) {
                return Err(CoreError::Validation(vec![FieldError::new("usulan_ids", FieldCode::UsulanNotCarryable)]));
            }
            let now = now_utc();
            let mut carried = Vec::with_capacity(usulan_ids.len());
            for original_id in usulan_ids {
                let id = Uuid::now_v7().to_string();
                let carried_columns = carried_columns();
                tx.execute(
                    &format!(
                        "INSERT INTO usulan (id, meeting_id, position, carried_from_id, created_at, updated_at, {carried_columns})
                         SELECT ?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM usulan WHERE meeting_id = ?2),
                                id, ?4, ?4, {carried_columns}
                         FROM usulan WHERE id = ?3"
                    ),
                    params![id, meeting_id, original_id, now],
                )?;
                tx.execute(
                    &format!(
                        "INSERT INTO usulan_photo (usulan_id, {PHOTO_COPIED})
                         SELECT ?1, {PHOTO_COPIED} FROM usulan_photo WHERE usulan_id = ?2"
                    ),
                    params![id, original_id],
                )?;
                let usulan = get_usulan(tx, &id)?;
                log_change(tx, meeting_id, &now, ENTITY, Some(&id), "carried_forward", None, Some(&usulan))?;
                carried.push(usulan);
            }
            Ok(carried)
        })
    }
}

fn parse_usulan_form(conn: &Connection, meeting_id: &str, form: &UsulanForm) -> Result<UsulanFields> {
    let (stage, meeting_rw): (String, Option<u16>) =
        conn.query_row("SELECT stage, rw FROM meeting WHERE id = ?1", [meeting_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    let stage = Stage::parse(&stage).ok_or_else(|| CoreError::Corrupt(format!("unknown stage {stage:?}")))?;
    // Looked up before parsing, so the parse itself stays free of SQL.
    let proposer = form.proposer_person_id.trim();
    let attended = !proposer.is_empty() && is_attendee(conn, meeting_id, proposer)?;
    let context = UsulanContext { stage, meeting_rw, is_attendee: &|person_id| attended && person_id == proposer };
    form.parse(&context).map_err(CoreError::Validation)
}

/// Stores checked usulan content at the end of the meeting's list and
/// answers its new id.
pub(super) fn insert_usulan(
    tx: &Transaction<'_>,
    meeting_id: &str,
    fields: &UsulanFields,
    now: &str,
) -> Result<String> {
    let id = Uuid::now_v7().to_string();
    let params = [Value::from(id.clone()), Value::from(meeting_id.to_owned()), Value::from(now.to_owned())]
        .into_iter()
        .chain(content_values(fields));
    tx.prepare_cached(insert_sql())?.execute(params_from_iter(params))?;
    Ok(id)
}

/// The usulan's meeting and its photos, when it is a draft.
fn draft_photos(conn: &Connection, usulan_id: &str) -> Result<(String, Vec<UsulanPhoto>)> {
    let meeting_id = usulan_meeting_id(conn, usulan_id)?;
    ensure_draft(conn, &meeting_id)?;
    Ok((meeting_id, photos_of(conn, usulan_id)?))
}

fn photo_at(photos: &[UsulanPhoto], position: u8) -> Result<&UsulanPhoto> {
    photos.iter().find(|photo| photo.position == position).ok_or(CoreError::NotFound { entity: "usulan_photo" })
}

/// The usulan's meeting and its photo count, when it is a draft with room
/// for one more photo.
fn check_photo_room(conn: &Connection, usulan_id: &str) -> Result<(String, u8)> {
    let meeting_id = usulan_meeting_id(conn, usulan_id)?;
    ensure_draft(conn, &meeting_id)?;
    let count: u8 =
        conn.query_row("SELECT count(*) FROM usulan_photo WHERE usulan_id = ?1", [usulan_id], |row| row.get(0))?;
    if count >= PHOTOS_PER_USULAN {
        return Err(CoreError::Validation(vec![FieldError::new("photo", FieldCode::TooManyPhotos)]));
    }
    Ok((meeting_id, count))
}

fn touch_usulan(tx: &Transaction<'_>, usulan_id: &str, now: &str) -> Result<()> {
    tx.execute("UPDATE usulan SET updated_at = ?2 WHERE id = ?1", params![usulan_id, now])?;
    Ok(())
}

pub(super) fn usulan_meeting_id(conn: &Connection, usulan_id: &str) -> Result<String> {
    conn.query_row("SELECT meeting_id FROM usulan WHERE id = ?1", [usulan_id], |row| row.get(0))
        .optional()?
        .ok_or(CoreError::NotFound { entity: "usulan" })
}

pub(super) fn get_usulan(conn: &Connection, id: &str) -> Result<Usulan> {
    let mut usulan = conn
        .prepare_cached(&format!("SELECT {USULAN_COLUMNS} FROM {USULAN_FROM} WHERE usulan.id = ?1"))?
        .query_row([id], usulan_from_row)
        .optional()?
        .ok_or(CoreError::NotFound { entity: "usulan" })?;
    usulan.photos = photos_of(conn, id)?;
    Ok(usulan)
}

pub(super) fn usulan_of_meeting(conn: &Connection, meeting_id: &str) -> Result<Vec<Usulan>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {USULAN_COLUMNS} FROM {USULAN_FROM} WHERE usulan.meeting_id = ?1 ORDER BY usulan.position"
    ))?;
    let mut list: Vec<Usulan> = statement.query_map([meeting_id], usulan_from_row)?.collect::<rusqlite::Result<_>>()?;
    let mut photos = photos_of_meeting(conn, meeting_id)?;
    for usulan in &mut list {
        usulan.photos = photos.remove(&usulan.id).unwrap_or_default();
    }
    Ok(list)
}

fn carry_forward_candidates(conn: &Connection, meeting_id: &str) -> Result<Vec<CarryForwardCandidate>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {USULAN_COLUMNS}, {SUMMARY_COLUMNS}
         FROM {USULAN_FROM}, {SUMMARY_FROM}, meeting AS this
         WHERE this.id = ?1 AND meeting.id = usulan.meeting_id
           AND meeting.kelurahan_code = this.kelurahan_code AND meeting.rw IS this.rw
           AND meeting.status = 'locked' AND meeting.starts_at < this.starts_at
           -- What became of it: the office's answer, else the cadre's by hand,
           -- else the record's own; none counts as not known.
           AND COALESCE((SELECT outcome FROM usulan_answer WHERE usulan_id = usulan.id),
                        (SELECT outcome FROM usulan_outcome_by_hand WHERE usulan_id = usulan.id),
                        usulan.outcome, 'tidak_diakomodir') = 'tidak_diakomodir'
           -- A locked correction replaces the revision it names.
           AND NOT EXISTS (SELECT 1 FROM meeting AS newer WHERE newer.supersedes_id = meeting.id AND newer.status = 'locked')
           AND NOT EXISTS (SELECT 1 FROM usulan AS copy JOIN meeting AS later ON later.id = copy.meeting_id
                           WHERE copy.carried_from_id = usulan.id AND (later.id = this.id OR later.status = 'locked'))
         ORDER BY meeting.starts_at DESC, meeting.id, usulan.position"
    ))?;
    let mut candidates: Vec<CarryForwardCandidate> = statement
        .query_map([meeting_id], |row| {
            let usulan = usulan_from_row(row)?;
            Ok(CarryForwardCandidate { texts: UsulanTexts::of(&usulan), usulan, origin: summary_from_row(row)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    for candidate in &mut candidates {
        candidate.usulan.photos = photos_of(conn, &candidate.usulan.id)?;
    }
    Ok(candidates)
}

fn photos_of(conn: &Connection, usulan_id: &str) -> Result<Vec<UsulanPhoto>> {
    let mut statement = conn.prepare_cached(
        "SELECT position, sha256, original_sha256, untuk_sipd FROM usulan_photo WHERE usulan_id = ?1
         ORDER BY position",
    )?;
    let rows = statement.query_map([usulan_id], photo_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn photos_of_meeting(conn: &Connection, meeting_id: &str) -> Result<HashMap<String, Vec<UsulanPhoto>>> {
    let mut statement = conn.prepare_cached(
        "SELECT usulan_photo.usulan_id, usulan_photo.position, usulan_photo.sha256, usulan_photo.original_sha256,
                usulan_photo.untuk_sipd
         FROM usulan_photo JOIN usulan ON usulan.id = usulan_photo.usulan_id
         WHERE usulan.meeting_id = ?1 ORDER BY usulan_photo.usulan_id, usulan_photo.position",
    )?;
    let mut photos: HashMap<String, Vec<UsulanPhoto>> = HashMap::new();
    let rows =
        statement.query_map([meeting_id], |row| Ok((row.get::<_, String>("usulan_id")?, photo_from_row(row)?)))?;
    for row in rows {
        let (usulan_id, photo) = row?;
        photos.entry(usulan_id).or_default().push(photo);
    }
    Ok(photos)
}

fn photo_from_row(row: &Row<'_>) -> rusqlite::Result<UsulanPhoto> {
    Ok(UsulanPhoto {
        position: row.get("position")?,
        sha256: row.get("sha256")?,
        original_sha256: row.get("original_sha256")?,
        untuk_sipd: row.get("untuk_sipd")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_content_column_is_a_field_of_the_form() {
        let form = serde_json::to_value(UsulanForm::default()).unwrap();
        let mut fields: Vec<&str> = form.as_object().unwrap().keys().map(String::as_str).collect();
        let mut columns = CONTENT_COLUMNS.to_vec();
        fields.sort_unstable();
        columns.sort_unstable();
        assert_eq!(fields, columns);
    }
}
