//! Bundle format version 1: `meeting.json` (the [`PublicRecord`]) and
//! `personal.json` (the [`PersonalRecord`]), field for field and in the order
//! `docs/bundle-format.md` lists them. Serialised with `serde_json` compactly,
//! they are the exact bytes a version 1 bundle carries. Unknown keys are
//! refused, like the manifest's.

use serde::{Deserialize, Serialize};

use crate::attendance::{
    AttendanceCounts, AttendanceSheetPhoto, Attendee as DomainAttendee, Role, UnsurCount as DomainUnsurCount,
};
use crate::meeting::{Meeting as DomainMeeting, MeetingStatus, Stage, Timezone};
use crate::notulen::AgendaItem as DomainAgendaItem;
use crate::people::{AgeGroup, Gender};
use crate::ranking::{Criterion as DomainCriterion, RankingMethod};
use crate::record;
use crate::usulan::{Bidang, Outcome, Usulan as DomainUsulan, UsulanOrigin, UsulanPhoto};
use crate::wilayah::Kelurahan as DomainKelurahan;

/// The format version these types are.
pub const FORMAT_VERSION: u32 = 1;

/// `meeting.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicRecord {
    pub meeting: Meeting,
    pub counts: Counts,
    pub agenda: Vec<AgendaItem>,
    pub ranking_method: String,
    pub ranking_override_reason: Option<String>,
    pub criteria: Vec<Criterion>,
    pub usulan: Vec<RankedUsulan>,
    pub delegates: Vec<Delegate>,
    pub history: Vec<HistoryEntry>,
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub id: String,
    pub stage: String,
    pub status: String,
    pub kelurahan: Kelurahan,
    pub rw: Option<u16>,
    pub planning_year: i32,
    pub date: String,
    pub start_time: String,
    pub timezone: String,
    pub starts_at: String,
    pub place: String,
    pub facilitator: String,
    pub notulis: Option<String>,
    /// The pimpinan rapat, the jabatan under the name and the berita
    /// acara's nomor: each absent, not null, when blank, so a meeting locked
    /// before they existed keeps its bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pimpinan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pimpinan_jabatan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nomor: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub revision: u32,
    pub supersedes_id: Option<String>,
    pub revision_reason: Option<String>,
    pub locked_at: Option<String>,
    /// Always null: a later correction does not change what this said.
    pub superseded_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kelurahan {
    pub code: String,
    pub name: String,
    pub kecamatan_code: String,
    pub kecamatan_name: String,
    pub kota_code: String,
    pub kota_name: String,
}

/// The attendance counts, with the women's target as it was when the
/// meeting was locked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub total: u32,
    pub women: u32,
    pub men: u32,
    pub by_unsur: Vec<UnsurCount>,
    pub disability: u32,
    pub youth: u32,
    pub women_share_basis_points: u32,
    pub women_target_percent: u8,
    pub women_target_met: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnsurCount {
    pub unsur: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    pub id: String,
    pub meeting_id: String,
    pub position: u32,
    pub title: String,
    pub discussion: String,
    pub decisions: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    pub position: u32,
    pub name: String,
    pub weight: u32,
}

/// An usulan with its place in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankedUsulan {
    pub usulan: Usulan,
    pub rank: u32,
    pub scores: Vec<Option<u8>>,
    pub total: Option<i64>,
    pub score_percent: Option<f64>,
    pub manually_placed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Usulan {
    pub id: String,
    pub meeting_id: String,
    pub position: u32,
    pub permasalahan: String,
    pub kegiatan: String,
    pub alamat: String,
    pub rt_list: String,
    pub rw: Option<u16>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub volume: f64,
    pub satuan: String,
    pub biaya: i64,
    pub bidang: String,
    pub opd_tujuan: Option<String>,
    pub penerima_manfaat: Option<i64>,
    pub swadaya: Option<String>,
    /// Absent, not null, when blank (added with migration 0013): a record
    /// sealed before keeps its bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keterangan: Option<String>,
    pub proposer_person_id: Option<String>,
    /// Always null: the proposer's name is personal.
    pub proposer_name: Option<String>,
    pub proposer_group: Option<String>,
    pub hands: Option<u32>,
    pub manual_rank: Option<u32>,
    pub outcome: Option<String>,
    pub carried_from_id: Option<String>,
    /// Absent, not null, on an usulan that was not merged from an RW result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    pub photos: Vec<Photo>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Photo {
    pub position: u8,
    pub sha256: String,
    /// Always null: only the downscaled photo travels.
    pub original_sha256: Option<String>,
    /// Present (true) only on a photo marked for SIPD, at most three per
    /// usulan; absent otherwise, so a record sealed before keeps its bytes.
    #[serde(default, skip_serializing_if = "is_false")]
    pub untuk_sipd: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    pub rw: u16,
    pub source_meeting_id: String,
    pub source_usulan_id: String,
    pub bundle_sha256: Option<String>,
    pub rank: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delegate {
    pub person_id: String,
    pub name: String,
    pub gender: String,
    pub unsur: String,
    pub rt: Option<u16>,
    pub rw: Option<u16>,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    pub seq: i64,
    pub at: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub action: String,
}

/// `personal.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalRecord {
    pub attendees: Vec<Attendee>,
    pub attendance_sheets: Vec<AttendanceSheet>,
    pub changes: Vec<ChangeRecord>,
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    pub person_id: String,
    pub name: String,
    pub gender: String,
    pub unsur: String,
    pub rt: Option<u16>,
    pub rw: Option<u16>,
    pub phone: Option<String>,
    pub disability: bool,
    pub age_group: Option<String>,
    pub role: String,
    pub checked_in_at: String,
    pub signature_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceSheet {
    pub position: u32,
    pub sha256: String,
    pub media_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeRecord {
    pub seq: i64,
    pub at: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// A value a version 1 record names that the domain does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: unknown value {value:?}")]
pub struct UnknownValue {
    pub field: String,
    pub value: String,
}

fn known<T>(field: &str, value: &str, parse: fn(&str) -> Option<T>) -> Result<T, UnknownValue> {
    parse(value).ok_or_else(|| UnknownValue { field: field.to_owned(), value: value.to_owned() })
}

// From the domain: what a locked meeting says, as version 1 writes it.

impl From<&record::PublicRecord> for PublicRecord {
    fn from(record: &record::PublicRecord) -> Self {
        PublicRecord {
            meeting: Meeting::from(&record.meeting),
            counts: Counts::from(&record.counts),
            agenda: record.agenda.iter().map(AgendaItem::from).collect(),
            ranking_method: record.ranking_method.as_str().to_owned(),
            ranking_override_reason: record.ranking_override_reason.clone(),
            criteria: record.criteria.iter().map(Criterion::from).collect(),
            usulan: record.usulan.iter().map(RankedUsulan::from).collect(),
            delegates: record.delegates.iter().map(Delegate::from).collect(),
            history: record.history.iter().map(HistoryEntry::from).collect(),
            attachments: record.attachments.clone(),
        }
    }
}

impl From<&DomainMeeting> for Meeting {
    fn from(meeting: &DomainMeeting) -> Self {
        Meeting {
            id: meeting.id.clone(),
            stage: meeting.stage.as_str().to_owned(),
            status: meeting.status.as_str().to_owned(),
            kelurahan: Kelurahan::from(&meeting.kelurahan),
            rw: meeting.rw,
            planning_year: meeting.planning_year,
            date: meeting.date.clone(),
            start_time: meeting.start_time.clone(),
            timezone: meeting.timezone.as_str().to_owned(),
            starts_at: meeting.starts_at.clone(),
            place: meeting.place.clone(),
            facilitator: meeting.facilitator.clone(),
            notulis: meeting.notulis.clone(),
            pimpinan: meeting.pimpinan.clone(),
            pimpinan_jabatan: meeting.pimpinan_jabatan.clone(),
            nomor: meeting.nomor.clone(),
            created_at: meeting.created_at.clone(),
            updated_at: meeting.updated_at.clone(),
            revision: meeting.revision,
            supersedes_id: meeting.supersedes_id.clone(),
            revision_reason: meeting.revision_reason.clone(),
            locked_at: meeting.locked_at.clone(),
            superseded_by: meeting.superseded_by.clone(),
        }
    }
}

impl From<&DomainKelurahan> for Kelurahan {
    fn from(kelurahan: &DomainKelurahan) -> Self {
        let DomainKelurahan { code, name, kecamatan_code, kecamatan_name, kota_code, kota_name } = kelurahan.clone();
        Kelurahan { code, name, kecamatan_code, kecamatan_name, kota_code, kota_name }
    }
}

impl From<&AttendanceCounts> for Counts {
    fn from(counts: &AttendanceCounts) -> Self {
        Counts {
            total: counts.total,
            women: counts.women,
            men: counts.men,
            by_unsur: counts
                .by_unsur
                .iter()
                .map(|unsur| UnsurCount { unsur: unsur.unsur.clone(), count: unsur.count })
                .collect(),
            disability: counts.disability,
            youth: counts.youth,
            women_share_basis_points: counts.women_share_basis_points,
            women_target_percent: counts.women_target_percent,
            women_target_met: counts.women_target_met,
        }
    }
}

impl From<&DomainAgendaItem> for AgendaItem {
    fn from(item: &DomainAgendaItem) -> Self {
        let DomainAgendaItem { id, meeting_id, position, title, discussion, decisions, updated_at } = item.clone();
        AgendaItem { id, meeting_id, position, title, discussion, decisions, updated_at }
    }
}

impl From<&DomainCriterion> for Criterion {
    fn from(criterion: &DomainCriterion) -> Self {
        let DomainCriterion { id, position, name, weight } = criterion.clone();
        Criterion { id, position, name, weight }
    }
}

impl From<&record::UsulanRecord> for RankedUsulan {
    fn from(item: &record::UsulanRecord) -> Self {
        RankedUsulan {
            usulan: Usulan::from(&item.usulan),
            rank: item.rank,
            scores: item.scores.clone(),
            total: item.total,
            score_percent: item.score_percent,
            manually_placed: item.manually_placed,
        }
    }
}

impl From<&DomainUsulan> for Usulan {
    fn from(usulan: &DomainUsulan) -> Self {
        let usulan = usulan.clone();
        Usulan {
            id: usulan.id,
            meeting_id: usulan.meeting_id,
            position: usulan.position,
            permasalahan: usulan.permasalahan,
            kegiatan: usulan.kegiatan,
            alamat: usulan.alamat,
            rt_list: usulan.rt_list,
            rw: usulan.rw,
            latitude: usulan.latitude,
            longitude: usulan.longitude,
            volume: usulan.volume,
            satuan: usulan.satuan,
            biaya: usulan.biaya,
            bidang: usulan.bidang.as_str().to_owned(),
            opd_tujuan: usulan.opd_tujuan,
            penerima_manfaat: usulan.penerima_manfaat,
            swadaya: usulan.swadaya,
            keterangan: usulan.keterangan,
            proposer_person_id: usulan.proposer_person_id,
            proposer_name: usulan.proposer_name,
            proposer_group: usulan.proposer_group,
            hands: usulan.hands,
            manual_rank: usulan.manual_rank,
            outcome: usulan.outcome.map(|outcome| outcome.as_str().to_owned()),
            carried_from_id: usulan.carried_from_id,
            origin: usulan.origin.map(|origin| {
                let UsulanOrigin { rw, source_meeting_id, source_usulan_id, bundle_sha256, rank } = origin;
                Origin { rw, source_meeting_id, source_usulan_id, bundle_sha256, rank }
            }),
            photos: usulan
                .photos
                .into_iter()
                .map(|UsulanPhoto { position, sha256, original_sha256, untuk_sipd }| Photo {
                    position,
                    sha256,
                    original_sha256,
                    untuk_sipd,
                })
                .collect(),
            created_at: usulan.created_at,
            updated_at: usulan.updated_at,
        }
    }
}

impl From<&record::DelegateRecord> for Delegate {
    fn from(delegate: &record::DelegateRecord) -> Self {
        Delegate {
            person_id: delegate.person_id.clone(),
            name: delegate.name.clone(),
            gender: delegate.gender.as_str().to_owned(),
            unsur: delegate.unsur.clone(),
            rt: delegate.rt,
            rw: delegate.rw,
            role: delegate.role.as_str().to_owned(),
        }
    }
}

impl From<&record::HistoryEntry> for HistoryEntry {
    fn from(entry: &record::HistoryEntry) -> Self {
        let record::HistoryEntry { seq, at, entity, entity_id, action } = entry.clone();
        HistoryEntry { seq, at, entity, entity_id, action }
    }
}

impl From<&record::PersonalRecord> for PersonalRecord {
    fn from(record: &record::PersonalRecord) -> Self {
        PersonalRecord {
            attendees: record.attendees.iter().map(Attendee::from).collect(),
            attendance_sheets: record
                .attendance_sheets
                .iter()
                .map(|sheet| AttendanceSheet {
                    position: sheet.position,
                    sha256: sheet.sha256.clone(),
                    media_type: sheet.media_type.clone(),
                })
                .collect(),
            changes: record
                .changes
                .iter()
                .map(|change| {
                    let record::ChangeRecord { seq, at, entity, entity_id, action, before_json, after_json } =
                        change.clone();
                    ChangeRecord { seq, at, entity, entity_id, action, before_json, after_json }
                })
                .collect(),
            attachments: record.attachments.clone(),
        }
    }
}

impl From<&DomainAttendee> for Attendee {
    fn from(attendee: &DomainAttendee) -> Self {
        let attendee = attendee.clone();
        Attendee {
            person_id: attendee.person_id,
            name: attendee.name,
            gender: attendee.gender.as_str().to_owned(),
            unsur: attendee.unsur,
            rt: attendee.rt,
            rw: attendee.rw,
            phone: attendee.phone,
            disability: attendee.disability,
            age_group: attendee.age_group.map(|group| group.as_str().to_owned()),
            role: attendee.role.as_str().to_owned(),
            checked_in_at: attendee.checked_in_at,
            signature_sha256: attendee.signature_sha256,
        }
    }
}

// Back to the domain: what a received record says, for the app to show and
// for the domain's rules to check. A value the domain does not know is
// refused, never guessed at.

impl TryFrom<PublicRecord> for record::PublicRecord {
    type Error = UnknownValue;

    fn try_from(record: PublicRecord) -> Result<Self, UnknownValue> {
        Ok(record::PublicRecord {
            meeting: DomainMeeting::try_from(record.meeting)?,
            counts: AttendanceCounts::from(record.counts),
            agenda: record.agenda.into_iter().map(DomainAgendaItem::from).collect(),
            ranking_method: known("ranking_method", &record.ranking_method, RankingMethod::parse)?,
            ranking_override_reason: record.ranking_override_reason,
            criteria: record.criteria.into_iter().map(DomainCriterion::from).collect(),
            usulan: record
                .usulan
                .into_iter()
                .enumerate()
                .map(|(index, item)| record::UsulanRecord::try_from((index, item)))
                .collect::<Result<_, _>>()?,
            delegates: record
                .delegates
                .into_iter()
                .enumerate()
                .map(|(index, delegate)| {
                    let field = |name: &str| format!("delegates.{index}.{name}");
                    Ok(record::DelegateRecord {
                        gender: known(&field("gender"), &delegate.gender, Gender::parse)?,
                        role: known(&field("role"), &delegate.role, Role::parse)?,
                        person_id: delegate.person_id,
                        name: delegate.name,
                        unsur: delegate.unsur,
                        rt: delegate.rt,
                        rw: delegate.rw,
                    })
                })
                .collect::<Result<_, UnknownValue>>()?,
            history: record
                .history
                .into_iter()
                .map(|HistoryEntry { seq, at, entity, entity_id, action }| record::HistoryEntry {
                    seq,
                    at,
                    entity,
                    entity_id,
                    action,
                })
                .collect(),
            attachments: record.attachments,
        })
    }
}

impl TryFrom<Meeting> for DomainMeeting {
    type Error = UnknownValue;

    fn try_from(meeting: Meeting) -> Result<Self, UnknownValue> {
        let Kelurahan { code, name, kecamatan_code, kecamatan_name, kota_code, kota_name } = meeting.kelurahan;
        Ok(DomainMeeting {
            stage: known("meeting.stage", &meeting.stage, Stage::parse)?,
            status: known("meeting.status", &meeting.status, MeetingStatus::parse)?,
            timezone: known("meeting.timezone", &meeting.timezone, Timezone::parse)?,
            id: meeting.id,
            kelurahan: DomainKelurahan { code, name, kecamatan_code, kecamatan_name, kota_code, kota_name },
            rw: meeting.rw,
            planning_year: meeting.planning_year,
            date: meeting.date,
            start_time: meeting.start_time,
            starts_at: meeting.starts_at,
            place: meeting.place,
            facilitator: meeting.facilitator,
            notulis: meeting.notulis,
            pimpinan: meeting.pimpinan,
            pimpinan_jabatan: meeting.pimpinan_jabatan,
            nomor: meeting.nomor,
            created_at: meeting.created_at,
            updated_at: meeting.updated_at,
            revision: meeting.revision,
            supersedes_id: meeting.supersedes_id,
            revision_reason: meeting.revision_reason,
            locked_at: meeting.locked_at,
            superseded_by: meeting.superseded_by,
        })
    }
}

impl From<Counts> for AttendanceCounts {
    fn from(counts: Counts) -> Self {
        AttendanceCounts {
            total: counts.total,
            women: counts.women,
            men: counts.men,
            by_unsur: counts
                .by_unsur
                .into_iter()
                .map(|UnsurCount { unsur, count }| DomainUnsurCount { unsur, count })
                .collect(),
            disability: counts.disability,
            youth: counts.youth,
            women_share_basis_points: counts.women_share_basis_points,
            women_target_percent: counts.women_target_percent,
            women_target_met: counts.women_target_met,
        }
    }
}

impl From<AgendaItem> for DomainAgendaItem {
    fn from(item: AgendaItem) -> Self {
        let AgendaItem { id, meeting_id, position, title, discussion, decisions, updated_at } = item;
        DomainAgendaItem { id, meeting_id, position, title, discussion, decisions, updated_at }
    }
}

impl From<Criterion> for DomainCriterion {
    fn from(criterion: Criterion) -> Self {
        let Criterion { id, position, name, weight } = criterion;
        DomainCriterion { id, position, name, weight }
    }
}

/// An usulan at its index in the record, so an unknown value names it.
impl TryFrom<(usize, RankedUsulan)> for record::UsulanRecord {
    type Error = UnknownValue;

    fn try_from((index, item): (usize, RankedUsulan)) -> Result<Self, UnknownValue> {
        let field = |name: &str| format!("usulan.{index}.{name}");
        let usulan = item.usulan;
        let outcome = usulan.outcome.as_deref().map(|outcome| known(&field("outcome"), outcome, Outcome::parse));
        Ok(record::UsulanRecord {
            usulan: DomainUsulan {
                bidang: known(&field("bidang"), &usulan.bidang, Bidang::parse)?,
                outcome: outcome.transpose()?,
                id: usulan.id,
                meeting_id: usulan.meeting_id,
                position: usulan.position,
                permasalahan: usulan.permasalahan,
                kegiatan: usulan.kegiatan,
                alamat: usulan.alamat,
                rt_list: usulan.rt_list,
                rw: usulan.rw,
                latitude: usulan.latitude,
                longitude: usulan.longitude,
                volume: usulan.volume,
                satuan: usulan.satuan,
                biaya: usulan.biaya,
                opd_tujuan: usulan.opd_tujuan,
                penerima_manfaat: usulan.penerima_manfaat,
                swadaya: usulan.swadaya,
                keterangan: usulan.keterangan,
                proposer_person_id: usulan.proposer_person_id,
                proposer_name: usulan.proposer_name,
                proposer_group: usulan.proposer_group,
                hands: usulan.hands,
                manual_rank: usulan.manual_rank,
                carried_from_id: usulan.carried_from_id,
                origin: usulan.origin.map(|Origin { rw, source_meeting_id, source_usulan_id, bundle_sha256, rank }| {
                    UsulanOrigin { rw, source_meeting_id, source_usulan_id, bundle_sha256, rank }
                }),
                photos: usulan
                    .photos
                    .into_iter()
                    .map(|Photo { position, sha256, original_sha256, untuk_sipd }| UsulanPhoto {
                        position,
                        sha256,
                        original_sha256,
                        untuk_sipd,
                    })
                    .collect(),
                created_at: usulan.created_at,
                updated_at: usulan.updated_at,
            },
            rank: item.rank,
            scores: item.scores,
            total: item.total,
            score_percent: item.score_percent,
            manually_placed: item.manually_placed,
        })
    }
}

impl TryFrom<PersonalRecord> for record::PersonalRecord {
    type Error = UnknownValue;

    fn try_from(record: PersonalRecord) -> Result<Self, UnknownValue> {
        Ok(record::PersonalRecord {
            attendees: record
                .attendees
                .into_iter()
                .enumerate()
                .map(|(index, attendee)| {
                    let field = |name: &str| format!("attendees.{index}.{name}");
                    let age_group =
                        attendee.age_group.as_deref().map(|group| known(&field("age_group"), group, AgeGroup::parse));
                    Ok(DomainAttendee {
                        gender: known(&field("gender"), &attendee.gender, Gender::parse)?,
                        age_group: age_group.transpose()?,
                        role: known(&field("role"), &attendee.role, Role::parse)?,
                        person_id: attendee.person_id,
                        name: attendee.name,
                        unsur: attendee.unsur,
                        rt: attendee.rt,
                        rw: attendee.rw,
                        phone: attendee.phone,
                        disability: attendee.disability,
                        checked_in_at: attendee.checked_in_at,
                        signature_sha256: attendee.signature_sha256,
                    })
                })
                .collect::<Result<_, UnknownValue>>()?,
            attendance_sheets: record
                .attendance_sheets
                .into_iter()
                .map(|AttendanceSheet { position, sha256, media_type }| AttendanceSheetPhoto {
                    position,
                    sha256,
                    media_type,
                })
                .collect(),
            changes: record
                .changes
                .into_iter()
                .map(|ChangeRecord { seq, at, entity, entity_id, action, before_json, after_json }| {
                    record::ChangeRecord { seq, at, entity, entity_id, action, before_json, after_json }
                })
                .collect(),
            attachments: record.attachments,
        })
    }
}
