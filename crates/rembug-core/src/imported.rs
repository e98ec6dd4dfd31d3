//! Meetings imported from another device's session bundle: read-only, each
//! with its origin, kept apart from the meetings recorded on this device.
//!
//! Whom to trust is computed on each read, never stored: the device's
//! standing on the office's roster of the bundle's kelurahan
//! ([`DeviceTrust`]), the cadre's confirmations, and whether a correction
//! may replace the revision it names ([`Correction`], [`judge`]).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::meeting::Stage;
use crate::record::PublicRecord;
use crate::string_enum::string_enum;
use crate::tanggal::DateText;
use crate::trust::{Roster, Scope};
use crate::usulan::UsulanTexts;

/// Where a verified bundle came from, as its signed manifest says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleOrigin {
    /// SHA-256 of the bundle file's bytes: its identity.
    pub bundle_sha256: String,
    /// SHA-256 of its meeting.json: what the revision says.
    pub content_hash: String,
    pub supersedes_content_hash: Option<String>,
    pub device_id: String,
    pub device_fingerprint: String,
    pub personal_encrypted: bool,
}

/// An imported meeting as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportedMeeting {
    pub bundle_sha256: String,
    /// The meeting's id on the device that recorded it.
    pub meeting_id: String,
    pub revision: u32,
    pub content_hash: String,
    /// The meeting id of the revision this one corrects, if any.
    pub supersedes_meeting_id: Option<String>,
    /// The content hash of the revision this one corrects, if any.
    pub supersedes_content_hash: Option<String>,
    /// The bundle of an imported newer revision whose correction of this one
    /// is accepted ([`Correction::Accepted`]); a refused one never hides it.
    pub superseded_by: Option<String>,
    pub stage: Stage,
    pub kelurahan_code: String,
    pub kelurahan_name: String,
    pub rw: Option<u16>,
    pub planning_year: i32,
    /// Local date of the meeting, `YYYY-MM-DD`.
    pub date: String,
    /// `date` as the window writes it.
    pub date_text: DateText,
    pub device_id: String,
    /// The origin device's fingerprint, for people to compare.
    pub device_fingerprint: String,
    /// The daftar hadir and signatures travelled encrypted to the city office
    /// and were not imported; otherwise they were left out all the same.
    pub personal_encrypted: bool,
    /// UTC, RFC 3339.
    pub imported_at: String,
    /// Whether its device is on the office's roster, and whether the cadre
    /// confirmed it.
    pub trust: BundleTrust,
    /// For a revision above 1: whether it replaces the revision it names.
    pub correction: Option<Correction>,
}

impl ImportedMeeting {
    /// Whether consolidation merges it (when nothing newer replaces it): a
    /// registered or confirmed device, and not a refused correction.
    pub fn counts(&self) -> bool {
        self.trust.counts() && !matches!(self.correction, Some(Correction::Refused { .. }))
    }
}

/// What the office's roster of the bundle's kelurahan says of the device
/// that signed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DeviceTrust {
    /// On the roster, not revoked, enrolled for the bundle's RW or for the
    /// whole kelurahan ("perangkat terdaftar").
    Registered,
    /// Not on the roster, or this laptop holds no roster for the kelurahan
    /// (never enrolled, or not synced yet).
    Unknown,
    /// On the roster, enrolled for another RW of the kelurahan.
    OtherRw,
    /// On the roster, revoked by the office.
    Revoked,
}

string_enum!(DeviceTrust);

/// The trust a kelurahan laptop gives an imported bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BundleTrust {
    pub device: DeviceTrust,
    /// When the cadre confirmed this bundle while its device was in this
    /// same state (UTC, RFC 3339); null otherwise, and always for a
    /// registered device.
    pub confirmed_at: Option<String>,
}

impl BundleTrust {
    /// A registered device, or the cadre's confirmation.
    pub fn counts(&self) -> bool {
        self.device == DeviceTrust::Registered || self.confirmed_at.is_some()
    }
}

/// Whether a correction (revision above 1) replaces the revision it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Correction {
    /// It replaces this bundle, whose revision it corrects.
    Accepted { replaces: String },
    /// The revision it names was not imported here; it stands on its own.
    PreviousNotImported,
    /// It is kept and shown but replaces nothing and is never merged; the
    /// revision it names stays counted.
    Refused { reason: CorrectionRefusal },
}

/// Why a correction does not replace the revision it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionRefusal {
    /// Signed by another device than that revision's, and one the roster
    /// does not enroll for that RW.
    OtherDevice,
    /// Its revision number is not the next after that revision's.
    RevisionNotNext,
    /// The content hash it names belongs to another meeting than the one it
    /// names.
    MeetingMismatch,
    /// It names an imported meeting but not that meeting's content hash.
    ContentHashMismatch,
    /// The revision it corrects is itself a refused correction.
    CorrectsRefused,
}

/// What the roster of the kelurahan (none when this laptop holds none) says
/// of a device signing a meeting of that kelurahan and RW.
pub fn device_trust(roster: Option<&Roster>, kelurahan_code: &str, rw: Option<u16>, device_id: &str) -> DeviceTrust {
    let Some(device) =
        roster.filter(|roster| roster.kelurahan_code == kelurahan_code).and_then(|r| r.device(device_id))
    else {
        return DeviceTrust::Unknown;
    };
    if device.revoked_at.is_some() {
        DeviceTrust::Revoked
    } else if (Scope { kelurahan_code: kelurahan_code.to_owned(), rw: device.rw }).covers(kelurahan_code, rw) {
        DeviceTrust::Registered
    } else {
        DeviceTrust::OtherRw
    }
}

/// Sets every meeting's `trust`, `correction` and `superseded_by` from the
/// rosters held (by kelurahan code) and the cadre's confirmations (bundle
/// SHA-256 and the device state confirmed, to when).
///
/// A correction replaces the revision it names only when that revision is
/// imported, its meeting id and content hash are the ones named, its
/// revision number is the next, that revision is not itself a refused
/// correction, and it comes from the same device or from one the roster
/// enrolls for that revision's RW (or the whole kelurahan). Anything else is
/// refused: a key outside the roster cannot hide a genuine result.
pub fn judge(
    meetings: &mut [ImportedMeeting],
    rosters: &HashMap<String, Roster>,
    confirmations: &HashMap<(String, DeviceTrust), String>,
) {
    for meeting in meetings.iter_mut() {
        let roster = rosters.get(&meeting.kelurahan_code);
        let device = device_trust(roster, &meeting.kelurahan_code, meeting.rw, &meeting.device_id);
        let confirmed_at = match device {
            DeviceTrust::Registered => None,
            _ => confirmations.get(&(meeting.bundle_sha256.clone(), device)).cloned(),
        };
        meeting.trust = BundleTrust { device, confirmed_at };
        meeting.correction = None;
        meeting.superseded_by = None;
    }
    let mut order: Vec<usize> = (0..meetings.len()).collect();
    order.sort_by_key(|&index| meetings[index].revision);
    let by_hash: HashMap<&str, usize> =
        meetings.iter().enumerate().map(|(index, meeting)| (meeting.content_hash.as_str(), index)).collect();
    let mut corrections: Vec<Option<Correction>> = vec![None; meetings.len()];
    let mut superseded_by: Vec<Option<String>> = vec![None; meetings.len()];
    for index in order {
        let meeting = &meetings[index];
        let (Some(meeting_id), Some(content_hash)) = (&meeting.supersedes_meeting_id, &meeting.supersedes_content_hash)
        else {
            continue;
        };
        let correction = match by_hash.get(content_hash.as_str()) {
            None if meetings.iter().any(|other| other.meeting_id == *meeting_id) => {
                Correction::Refused { reason: CorrectionRefusal::ContentHashMismatch }
            }
            None => Correction::PreviousNotImported,
            Some(&target) => match refusal(meeting, target, meetings, &corrections, rosters) {
                Some(reason) => Correction::Refused { reason },
                None => {
                    // Two accepted corrections of one revision: the smaller
                    // bundle hash, so the choice never wavers.
                    let slot = &mut superseded_by[target];
                    if slot.as_ref().is_none_or(|held| meeting.bundle_sha256 < *held) {
                        *slot = Some(meeting.bundle_sha256.clone());
                    }
                    Correction::Accepted { replaces: meetings[target].bundle_sha256.clone() }
                }
            },
        };
        corrections[index] = Some(correction);
    }
    for ((meeting, correction), superseded_by) in meetings.iter_mut().zip(corrections).zip(superseded_by) {
        meeting.correction = correction;
        meeting.superseded_by = superseded_by;
    }
}

/// Why `correction` may not replace `meetings[target]`, the imported
/// revision whose content hash it names, if it may not.
fn refusal(
    correction: &ImportedMeeting,
    target: usize,
    meetings: &[ImportedMeeting],
    judged: &[Option<Correction>],
    rosters: &HashMap<String, Roster>,
) -> Option<CorrectionRefusal> {
    let previous = &meetings[target];
    let enrolled_for_that_rw = || {
        let roster = rosters.get(&previous.kelurahan_code);
        device_trust(roster, &previous.kelurahan_code, previous.rw, &correction.device_id) == DeviceTrust::Registered
    };
    if correction.supersedes_meeting_id.as_deref() != Some(previous.meeting_id.as_str()) {
        Some(CorrectionRefusal::MeetingMismatch)
    } else if correction.revision != previous.revision + 1 {
        Some(CorrectionRefusal::RevisionNotNext)
    } else if matches!(judged[target], Some(Correction::Refused { .. })) {
        Some(CorrectionRefusal::CorrectsRefused)
    } else if correction.device_id != previous.device_id && !enrolled_for_that_rw() {
        Some(CorrectionRefusal::OtherDevice)
    } else {
        None
    }
}

/// An imported meeting with everything its public part says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportedRecord {
    pub meeting: ImportedMeeting,
    pub record: PublicRecord,
    /// Each usulan's volume and cost as written, by its id.
    pub usulan_texts: BTreeMap<String, UsulanTexts>,
    /// The meeting's start time, and when it was imported in the meeting's
    /// zone, as the window writes them.
    pub start_time_text: DateText,
    pub imported_at_text: DateText,
}

/// What importing a bundle did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported(ImportedMeeting),
    /// This bundle, or another one of the same revision, was imported
    /// before; nothing changed.
    AlreadyImported(ImportedMeeting),
}

impl ImportOutcome {
    pub fn meeting(&self) -> &ImportedMeeting {
        match self {
            ImportOutcome::Imported(meeting) | ImportOutcome::AlreadyImported(meeting) => meeting,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MELONG: &str = "32.77.01.1001";

    /// Revision `revision` of meeting `id`, correcting `supersedes` (meeting
    /// id, content hash), signed by `device`.
    fn bundle(id: &str, revision: u32, supersedes: Option<(&str, &str)>, device: &str) -> ImportedMeeting {
        ImportedMeeting {
            bundle_sha256: format!("bundle-{id}"),
            meeting_id: id.into(),
            revision,
            content_hash: format!("content-{id}"),
            supersedes_meeting_id: supersedes.map(|(meeting, _)| meeting.into()),
            supersedes_content_hash: supersedes.map(|(_, hash)| hash.into()),
            superseded_by: None,
            stage: Stage::RembugWarga,
            kelurahan_code: MELONG.into(),
            kelurahan_name: "Melong".into(),
            rw: Some(5),
            planning_year: 2027,
            date: "2026-12-05".into(),
            date_text: DateText::date("2026-12-05"),
            device_id: device.into(),
            device_fingerprint: String::new(),
            personal_encrypted: false,
            imported_at: "2026-12-07T01:00:00Z".into(),
            trust: BundleTrust { device: DeviceTrust::Unknown, confirmed_at: None },
            correction: None,
        }
    }

    fn judged(mut meetings: Vec<ImportedMeeting>) -> Vec<ImportedMeeting> {
        judge(&mut meetings, &HashMap::new(), &HashMap::new());
        meetings
    }

    fn refused(reason: CorrectionRefusal) -> Option<Correction> {
        Some(Correction::Refused { reason })
    }

    #[test]
    fn a_chain_of_corrections_from_one_device_replaces_revision_after_revision() {
        let meetings = judged(vec![
            bundle("r3", 3, Some(("r2", "content-r2")), "rw"),
            bundle("r1", 1, None, "rw"),
            bundle("r2", 2, Some(("r1", "content-r1")), "rw"),
        ]);
        assert_eq!(meetings[2].correction, Some(Correction::Accepted { replaces: "bundle-r1".into() }));
        assert_eq!(meetings[0].correction, Some(Correction::Accepted { replaces: "bundle-r2".into() }));
        let superseded: Vec<Option<&str>> = meetings.iter().map(|m| m.superseded_by.as_deref()).collect();
        assert_eq!(superseded, [None, Some("bundle-r2"), Some("bundle-r3")]);
    }

    #[test]
    fn a_correction_naming_another_meeting_or_a_refused_one_replaces_nothing() {
        let meetings = judged(vec![
            bundle("r1", 1, None, "rw"),
            bundle("other", 1, None, "rw"),
            // The content hash of r1 under another meeting's id.
            bundle("mixed", 2, Some(("other", "content-r1")), "rw"),
            // Another key's correction, then its own correction of that.
            bundle("forged", 2, Some(("r1", "content-r1")), "forger"),
            bundle("forged-again", 3, Some(("forged", "content-forged")), "forger"),
            bundle("orphan", 4, Some(("gone", "content-gone")), "rw"),
        ]);
        let corrections: Vec<Option<Correction>> = meetings.iter().map(|m| m.correction.clone()).collect();
        assert_eq!(
            corrections,
            [
                None,
                None,
                refused(CorrectionRefusal::MeetingMismatch),
                refused(CorrectionRefusal::OtherDevice),
                refused(CorrectionRefusal::CorrectsRefused),
                Some(Correction::PreviousNotImported),
            ]
        );
        assert!(meetings.iter().all(|meeting| meeting.superseded_by.is_none()));
        assert!(meetings.iter().all(|meeting| !meeting.counts()), "no roster: nothing counts unconfirmed");
    }

    #[test]
    fn a_roster_for_another_kelurahan_says_nothing_of_this_one() {
        let roster = Roster {
            kelurahan_code: "32.77.01.1002".into(),
            issued_at: "2026-12-07T01:00:00Z".into(),
            serial: 1,
            devices: vec![crate::trust::RosterDevice {
                device_id: "rw".into(),
                public_key: String::new(),
                fingerprint: String::new(),
                rw: None,
                revoked_at: None,
            }],
        };
        assert_eq!(device_trust(Some(&roster), "32.77.01.1002", Some(5), "rw"), DeviceTrust::Registered);
        assert_eq!(device_trust(Some(&roster), MELONG, Some(5), "rw"), DeviceTrust::Unknown);
    }
}
