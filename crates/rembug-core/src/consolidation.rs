//! Kelurahan consolidation: which RWs of a kelurahan have sent their Rembug
//! Warga result for a planning year, where each result comes from, and which
//! are still missing, before the Musrenbang Kelurahan merges their usulan.
//!
//! The store gathers the candidate results; [`Consolidation::assemble`]
//! decides, without SQL, which one stands for each RW.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldCode;
use crate::imported::{BundleTrust, Correction};
use crate::meeting::Meeting;
use crate::tanggal::DateText;
use crate::wilayah::Kelurahan;

/// At most this many RWs in one kelurahan; the largest in Cimahi have about
/// thirty.
pub const RW_COUNT_MAX: u16 = 99;

/// How many RWs the kelurahan has, as the cadre typed it.
pub fn parse_rw_count(raw: &str) -> Result<u16, FieldCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldCode::Required);
    }
    match raw.parse::<u32>() {
        Ok(count) if (1..=u32::from(RW_COUNT_MAX)).contains(&count) => Ok(count as u16),
        Ok(_) => Err(FieldCode::RwCountOutOfRange),
        Err(_) => Err(FieldCode::NumberInvalid),
    }
}

/// Where one RW's Rembug Warga result comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RwSource {
    /// A verified bundle from another device; its latest imported revision
    /// (a correction replaces the revision it names only when accepted).
    Imported {
        bundle_sha256: String,
        /// The meeting's id on the device that recorded it.
        meeting_id: String,
        revision: u32,
        /// Local date of the meeting, `YYYY-MM-DD`.
        date: String,
        /// `date` as the window writes it.
        date_text: DateText,
        /// The recording device, for people to compare.
        device_fingerprint: String,
        usulan_count: u32,
        /// Whether the daftar hadir travelled encrypted to the city office.
        personal_encrypted: bool,
        /// The device's standing on the office's roster; only a registered
        /// or confirmed one is merged.
        trust: BundleTrust,
        /// For a revision above 1: whether it replaced the revision it names;
        /// a refused correction is never merged.
        correction: Option<Correction>,
    },
    /// A locked meeting recorded on this device; its latest locked revision.
    Local {
        meeting_id: String,
        revision: u32,
        /// Local date of the meeting, `YYYY-MM-DD`.
        date: String,
        /// `date` as the window writes it.
        date_text: DateText,
        usulan_count: u32,
    },
}

impl RwSource {
    pub fn meeting_id(&self) -> &str {
        match self {
            RwSource::Imported { meeting_id, .. } | RwSource::Local { meeting_id, .. } => meeting_id,
        }
    }

    pub fn date(&self) -> &str {
        match self {
            RwSource::Imported { date, .. } | RwSource::Local { date, .. } => date,
        }
    }

    pub fn usulan_count(&self) -> u32 {
        match self {
            RwSource::Imported { usulan_count, .. } | RwSource::Local { usulan_count, .. } => *usulan_count,
        }
    }

    fn is_local(&self) -> bool {
        matches!(self, RwSource::Local { .. })
    }

    /// How the consolidation may use it.
    fn standing(&self) -> Standing {
        match self {
            RwSource::Local { .. } => Standing::Counts,
            RwSource::Imported { correction: Some(Correction::Refused { .. }), .. } => Standing::RefusedCorrection,
            RwSource::Imported { trust, .. } if trust.counts() => Standing::Counts,
            RwSource::Imported { .. } => Standing::Unconfirmed,
        }
    }
}

enum Standing {
    Counts,
    /// From a device the roster does not vouch for, not yet confirmed.
    Unconfirmed,
    RefusedCorrection,
}

/// One RW of the kelurahan and the result that stands for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RwStatus {
    pub rw: u16,
    /// The result that is merged; null while the RW is missing.
    pub source: Option<RwSource>,
    /// Other results for the same RW (another meeting of that RW in the same
    /// year), not merged; the UI should point them out. The merged one is
    /// the latest meeting, one recorded on this device first on the same day.
    pub other_sources: Vec<RwSource>,
    /// Imported results from a device the roster does not vouch for
    /// (unknown, another RW's, revoked): not merged until the cadre
    /// confirms them.
    pub unconfirmed: Vec<RwSource>,
    /// Corrections that do not replace the revision they name (another
    /// device, a wrong revision number or hash): shown, never merged.
    pub refused_corrections: Vec<RwSource>,
}

impl RwStatus {
    fn new(rw: u16) -> RwStatus {
        RwStatus {
            rw,
            source: None,
            other_sources: Vec::new(),
            unconfirmed: Vec::new(),
            refused_corrections: Vec::new(),
        }
    }
}

/// What the kelurahan cadre sees before starting the Musrenbang Kelurahan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Consolidation {
    pub kelurahan: Kelurahan,
    pub planning_year: i32,
    /// Null until the cadre says how many RWs the kelurahan has.
    pub rw_count: Option<u16>,
    /// RW 1 to `rw_count`, and any RW beyond it that has a result, ascending.
    pub rws: Vec<RwStatus>,
    /// Listed RWs without a merged result: those up to `rw_count`, and any
    /// RW whose only results wait for the cadre's confirmation or are
    /// refused corrections.
    pub missing_rws: Vec<u16>,
    /// RWs with a result.
    pub received_count: u32,
    /// Usulan the merged list would hold.
    pub usulan_count: u32,
    /// The latest revision of this kelurahan's Musrenbang Kelurahan for the
    /// year, when one exists on this device; a second is not started.
    pub kelurahan_meeting_id: Option<String>,
}

impl Consolidation {
    /// Picks one result per RW among `candidates` (RW, source) that count
    /// (a local meeting, or an imported one registered or confirmed and not
    /// a refused correction), lists the others beside it, and lists RW 1 to
    /// `rw_count` and every RW beyond it that has a result or a candidate.
    pub fn assemble(
        kelurahan: Kelurahan,
        planning_year: i32,
        rw_count: Option<u16>,
        mut candidates: Vec<(u16, RwSource)>,
        kelurahan_meeting_id: Option<String>,
    ) -> Consolidation {
        // Per RW: the latest meeting first; on the same day, the one recorded
        // here (the cadre's own), then by id so the choice never wavers.
        candidates.sort_by(|(rw_a, a), (rw_b, b)| {
            rw_a.cmp(rw_b)
                .then_with(|| b.date().cmp(a.date()))
                .then_with(|| b.is_local().cmp(&a.is_local()))
                .then_with(|| a.meeting_id().cmp(b.meeting_id()))
        });
        let mut rws: Vec<RwStatus> = (1..=rw_count.unwrap_or(0)).map(RwStatus::new).collect();
        for (rw, source) in candidates {
            let index = match rws.binary_search_by_key(&rw, |status| status.rw) {
                Ok(index) => index,
                Err(index) => {
                    rws.insert(index, RwStatus::new(rw));
                    index
                }
            };
            let status = &mut rws[index];
            match (source.standing(), &status.source) {
                (Standing::Counts, None) => status.source = Some(source),
                (Standing::Counts, Some(_)) => status.other_sources.push(source),
                (Standing::Unconfirmed, _) => status.unconfirmed.push(source),
                (Standing::RefusedCorrection, _) => status.refused_corrections.push(source),
            }
        }
        let missing_rws = rws.iter().filter(|status| status.source.is_none()).map(|status| status.rw).collect();
        let received: Vec<&RwSource> = rws.iter().filter_map(|status| status.source.as_ref()).collect();
        Consolidation {
            kelurahan,
            planning_year,
            rw_count,
            received_count: received.len() as u32,
            usulan_count: received.iter().map(|source| source.usulan_count()).sum(),
            rws,
            missing_rws,
            kelurahan_meeting_id,
        }
    }
}

/// What starting the Musrenbang Kelurahan did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KelurahanMeetingStarted {
    /// The new draft meeting; its usulan are the merged list.
    pub meeting: Meeting,
    /// RWs whose usulan were merged, ascending.
    pub merged_rws: Vec<u16>,
    /// RWs without a merged result (`Consolidation::missing_rws`): the cadre
    /// chose to start without them.
    pub missing_rws: Vec<u16>,
    pub usulan_count: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imported::{CorrectionRefusal, DeviceTrust};

    fn kelurahan() -> Kelurahan {
        Kelurahan {
            code: "32.77.02.1005".into(),
            name: "Cibabat".into(),
            kecamatan_code: "32.77.02".into(),
            kecamatan_name: "Cimahi Tengah".into(),
            kota_code: "32.77".into(),
            kota_name: "Kota Cimahi".into(),
        }
    }

    fn local(id: &str, date: &str, usulan_count: u32) -> RwSource {
        RwSource::Local {
            meeting_id: id.into(),
            revision: 1,
            date: date.into(),
            date_text: DateText::date(date),
            usulan_count,
        }
    }

    fn imported(id: &str, date: &str, usulan_count: u32) -> RwSource {
        RwSource::Imported {
            bundle_sha256: "a".repeat(64),
            meeting_id: id.into(),
            revision: 1,
            date: date.into(),
            date_text: DateText::date(date),
            device_fingerprint: "ABCD-EFGH".into(),
            usulan_count,
            personal_encrypted: false,
            trust: BundleTrust { device: DeviceTrust::Registered, confirmed_at: None },
            correction: None,
        }
    }

    #[test]
    fn rw_counts_are_1_to_99() {
        assert_eq!(parse_rw_count(" 12 "), Ok(12));
        assert_eq!(parse_rw_count("99"), Ok(99));
        assert_eq!(parse_rw_count("0"), Err(FieldCode::RwCountOutOfRange));
        assert_eq!(parse_rw_count("100"), Err(FieldCode::RwCountOutOfRange));
        assert_eq!(parse_rw_count("dua"), Err(FieldCode::NumberInvalid));
        assert_eq!(parse_rw_count("-1"), Err(FieldCode::NumberInvalid));
        assert_eq!(parse_rw_count(""), Err(FieldCode::Required));
    }

    #[test]
    fn missing_rws_are_those_up_to_the_count_without_a_result() {
        let candidates = vec![(3, imported("m3", "2026-11-01", 4)), (1, local("m1", "2026-11-02", 2))];
        let consolidation = Consolidation::assemble(kelurahan(), 2027, Some(4), candidates, None);
        assert_eq!(consolidation.rws.iter().map(|status| status.rw).collect::<Vec<_>>(), [1, 2, 3, 4]);
        assert_eq!(consolidation.missing_rws, [2, 4]);
        assert_eq!((consolidation.received_count, consolidation.usulan_count), (2, 6));
    }

    #[test]
    fn an_rw_beyond_the_count_with_a_result_is_listed_and_none_is_missing_while_the_count_is_unknown() {
        let with_count =
            Consolidation::assemble(kelurahan(), 2027, Some(2), vec![(7, local("m7", "2026-11-02", 1))], None);
        assert_eq!(with_count.rws.iter().map(|status| status.rw).collect::<Vec<_>>(), [1, 2, 7]);
        assert_eq!(with_count.missing_rws, [1, 2]);
        let unknown = Consolidation::assemble(kelurahan(), 2027, None, vec![(7, local("m7", "2026-11-02", 1))], None);
        assert_eq!(unknown.rws.len(), 1);
        assert!(unknown.missing_rws.is_empty());
    }

    #[test]
    fn the_latest_meeting_stands_for_its_rw_and_a_local_one_wins_a_tie() {
        let candidates = vec![
            (2, imported("old", "2026-10-01", 1)),
            (2, imported("new", "2026-11-01", 1)),
            (5, imported("there", "2026-11-01", 1)),
            (5, local("here", "2026-11-01", 1)),
        ];
        let consolidation = Consolidation::assemble(kelurahan(), 2027, Some(5), candidates, None);
        let chosen = |rw: usize| consolidation.rws[rw - 1].source.as_ref().unwrap().meeting_id().to_owned();
        assert_eq!(chosen(2), "new");
        assert_eq!(consolidation.rws[1].other_sources, [imported("old", "2026-10-01", 1)]);
        assert_eq!(chosen(5), "here");
        assert_eq!((consolidation.received_count, consolidation.usulan_count), (2, 2));
    }

    #[test]
    fn an_unconfirmed_or_refused_imported_result_is_listed_beside_the_rw_but_never_merged() {
        let with_trust = |id: &str, device: DeviceTrust, confirmed: bool, correction: Option<Correction>| {
            let mut source = imported(id, "2026-11-01", 3);
            if let RwSource::Imported { trust, correction: slot, .. } = &mut source {
                *trust = BundleTrust { device, confirmed_at: confirmed.then(|| "2026-12-07T01:00:00Z".into()) };
                *slot = correction;
            }
            source
        };
        let refused = Some(Correction::Refused { reason: CorrectionRefusal::OtherDevice });
        let candidates = vec![
            (1, with_trust("unknown", DeviceTrust::Unknown, false, None)),
            (2, with_trust("revoked", DeviceTrust::Revoked, false, None)),
            (2, with_trust("forged", DeviceTrust::Registered, false, refused)),
            (3, with_trust("confirmed", DeviceTrust::Unknown, true, None)),
        ];
        let consolidation = Consolidation::assemble(kelurahan(), 2027, Some(3), candidates, None);
        assert_eq!(consolidation.missing_rws, [1, 2]);
        assert_eq!((consolidation.received_count, consolidation.usulan_count), (1, 3));
        let ids =
            |sources: &[RwSource]| sources.iter().map(|source| source.meeting_id().to_owned()).collect::<Vec<_>>();
        assert_eq!(ids(&consolidation.rws[0].unconfirmed), ["unknown"]);
        assert_eq!(ids(&consolidation.rws[1].unconfirmed), ["revoked"]);
        assert_eq!(ids(&consolidation.rws[1].refused_corrections), ["forged"]);
        assert_eq!(consolidation.rws[2].source.as_ref().map(RwSource::meeting_id), Some("confirmed"));
    }
}
