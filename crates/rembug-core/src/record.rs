//! A whole meeting as one value, as it leaves the device in a bundle.
//!
//! It is split in two: the [`PublicRecord`] anyone handling the bundle may
//! read (the meeting, notulen, usulan with their rank, delegates, counts), and
//! the [`PersonalRecord`] only the city office may read (residents' names,
//! phone numbers and signatures: the daftar hadir, the photos of a paper
//! daftar hadir, and the change log, whose before/after values name people).
//!
//! Lists keep the meeting's own order (check-in, agenda, entry), or are
//! sorted where order carries no meaning. These are the app's view types; a
//! bundle carries them as the frozen wire types of `crate::wire`, written
//! once when the meeting is locked ([`FrozenRecord`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::attendance::{AttendanceCounts, AttendanceSheetPhoto, Attendee, Role};
use crate::error::{CoreError, Result};
use crate::meeting::Meeting;
use crate::notulen::AgendaItem;
use crate::people::Gender;
use crate::ranking::{Criterion, RankedUsulan, RankingMethod};
use crate::store::meetings::MeetingChange;
use crate::usulan::Usulan;
use crate::wire;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingRecord {
    pub public: PublicRecord,
    pub personal: PersonalRecord,
}

/// What a kelurahan cadre needs to merge RW results, and nothing that names a
/// resident beyond the delegates (named in the berita acara anyway).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PublicRecord {
    /// The meeting as locked; `superseded_by` is always null here, since a
    /// later correction does not change what this revision said.
    pub meeting: Meeting,
    pub counts: AttendanceCounts,
    pub agenda: Vec<AgendaItem>,
    pub ranking_method: RankingMethod,
    pub ranking_override_reason: Option<String>,
    pub criteria: Vec<Criterion>,
    /// In order of entry, each with its place in the ranking.
    pub usulan: Vec<UsulanRecord>,
    pub delegates: Vec<DelegateRecord>,
    /// What happened when, without the values (those are personal).
    pub history: Vec<HistoryEntry>,
    /// Every attachment the public part refers to (usulan photos), sorted.
    pub attachments: Vec<String>,
}

/// An usulan with its rank. `proposer_name` and `original_sha256` of its
/// photos are always null: the proposer's name is personal, and only the
/// downscaled photo travels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UsulanRecord {
    pub usulan: Usulan,
    pub rank: u32,
    /// One per criterion, in the criteria's order; null when not scored.
    pub scores: Vec<Option<u8>>,
    #[ts(type = "number | null")]
    pub total: Option<i64>,
    pub score_percent: Option<f64>,
    pub manually_placed: bool,
}

/// A delegate as the berita acara names them: no phone, no signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DelegateRecord {
    pub person_id: String,
    pub name: String,
    pub gender: Gender,
    pub unsur: String,
    pub rt: Option<u16>,
    pub rw: Option<u16>,
    pub role: Role,
}

/// One change log entry without its before and after values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryEntry {
    pub seq: i64,
    pub at: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub action: String,
}

/// Only for the city office: encrypted to its key when the device knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalRecord {
    /// The daftar hadir in check-in order, with signature hashes.
    pub attendees: Vec<Attendee>,
    pub attendance_sheets: Vec<AttendanceSheetPhoto>,
    /// The full change log, with before and after values.
    pub changes: Vec<ChangeRecord>,
    /// Every attachment the personal part refers to (signatures, sheet
    /// photos), sorted.
    pub attachments: Vec<String>,
}

/// One change log entry with its values, as JSON text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRecord {
    pub seq: i64,
    pub at: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// The change log's entity whose ids are residents' person ids.
pub(crate) const ATTENDANCE_ENTITY: &str = "attendance";

impl HistoryEntry {
    /// The public history says that somebody checked in or left, never who:
    /// a person id would let anyone holding several bundles follow a
    /// resident from meeting to meeting. The personal part keeps the id.
    pub fn public(change: &MeetingChange) -> Self {
        HistoryEntry {
            entity_id: change.entity_id.clone().filter(|_| change.entity != ATTENDANCE_ENTITY),
            ..HistoryEntry::with_person_ids(change)
        }
    }

    /// As versions before schema 5 wrote it, person ids included: a meeting
    /// they locked is frozen at its first seal after the upgrade and must
    /// seal to the bytes they sealed.
    pub fn with_person_ids(change: &MeetingChange) -> Self {
        HistoryEntry {
            seq: change.seq,
            at: change.at.clone(),
            entity: change.entity.clone(),
            entity_id: change.entity_id.clone(),
            action: change.action.clone(),
        }
    }
}

impl From<MeetingChange> for ChangeRecord {
    fn from(change: MeetingChange) -> Self {
        ChangeRecord {
            seq: change.seq,
            at: change.at,
            entity: change.entity,
            entity_id: change.entity_id,
            action: change.action,
            before_json: change.before_json,
            after_json: change.after_json,
        }
    }
}

impl From<&Attendee> for DelegateRecord {
    fn from(attendee: &Attendee) -> Self {
        DelegateRecord {
            person_id: attendee.person_id.clone(),
            name: attendee.name.clone(),
            gender: attendee.gender,
            unsur: attendee.unsur.clone(),
            rt: attendee.rt,
            rw: attendee.rw,
            role: attendee.role,
        }
    }
}

impl UsulanRecord {
    /// The usulan stripped of what stays on the device, beside its ranked row.
    pub fn new(mut usulan: Usulan, ranked: &RankedUsulan) -> Self {
        usulan.proposer_name = None;
        for photo in &mut usulan.photos {
            photo.original_sha256 = None;
        }
        UsulanRecord {
            usulan,
            rank: ranked.rank,
            scores: ranked.scores.clone(),
            total: ranked.total,
            score_percent: ranked.score_percent,
            manually_placed: ranked.manually_placed,
        }
    }
}

/// What a locked revision says, frozen when it was locked: the exact bytes of
/// its `meeting.json` and `personal.json` in one bundle format version.
/// Sealing writes these bytes, so a revision gives the same `content_hash`
/// whatever the settings or the app's view types became since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenRecord {
    pub meeting_id: String,
    pub format_version: u32,
    pub meeting_json: String,
    pub personal_json: String,
    /// Lower-case hex SHA-256 of `meeting_json`.
    pub content_hash: String,
}

impl FrozenRecord {
    /// The record in format version 1, as it is frozen at lock.
    pub fn freeze(record: &MeetingRecord) -> serde_json::Result<FrozenRecord> {
        let meeting_json = serde_json::to_string(&wire::v1::PublicRecord::from(&record.public))?;
        let personal_json = serde_json::to_string(&wire::v1::PersonalRecord::from(&record.personal))?;
        Ok(FrozenRecord {
            meeting_id: record.public.meeting.id.clone(),
            format_version: wire::v1::FORMAT_VERSION,
            content_hash: crate::hex::sha256_hex(meeting_json.as_bytes()),
            meeting_json,
            personal_json,
        })
    }

    /// The public part, parsed: what routes and names the bundle's files.
    pub fn public(&self) -> Result<wire::v1::PublicRecord> {
        self.parse(&self.meeting_json)
    }

    pub fn personal(&self) -> Result<wire::v1::PersonalRecord> {
        self.parse(&self.personal_json)
    }

    /// Version 1 is the only version this build writes or reads.
    fn parse<T: serde::de::DeserializeOwned>(&self, json: &str) -> Result<T> {
        if self.format_version != wire::v1::FORMAT_VERSION {
            return Err(CoreError::Corrupt(format!("frozen record in format version {}", self.format_version)));
        }
        serde_json::from_str(json).map_err(|error| CoreError::Corrupt(error.to_string()))
    }
}

/// Sorted, distinct hashes.
pub(crate) fn sorted_hashes(hashes: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut hashes: Vec<String> = hashes.into_iter().collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}
