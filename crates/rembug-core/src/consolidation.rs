//! Kelurahan consolidation: which RWs of a kelurahan have sent their Rembug
//! Warga result for a planning year, where each result comes from, and which
//! are still missing, before the Musrenbang Kelurahan merges their usulan.
//!
//! The store gathers the candidate results; [`Consolidation::assemble`]
//! decides, without SQL, which one stands for each RW.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldCode;
use crate::meeting::Meeting;
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
    /// A verified bundle from the RW's own device; its latest imported
    /// revision.
    Imported {
        bundle_sha256: String,
        /// The meeting's id on the device that recorded it.
        meeting_id: String,
        revision: u32,
        /// Local date of the meeting, `YYYY-MM-DD`.
        date: String,
        /// The recording device, for people to compare.
        device_fingerprint: String,
        usulan_count: u32,
        /// Whether the daftar hadir travelled encrypted to the city office.
        personal_encrypted: bool,
    },
    /// A locked meeting recorded on this device; its latest locked revision.
    Local {
        meeting_id: String,
        revision: u32,
        /// Local date of the meeting, `YYYY-MM-DD`.
        date: String,
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
    /// RWs up to `rw_count` without a result; empty while `rw_count` is null.
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
    /// Picks one result per RW among `candidates` (RW, source) and lists RW 1
    /// to `rw_count` and every RW beyond it that has a result.
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
        let mut rws: Vec<RwStatus> =
            (1..=rw_count.unwrap_or(0)).map(|rw| RwStatus { rw, source: None, other_sources: Vec::new() }).collect();
        for (rw, source) in candidates {
            let index = match rws.binary_search_by_key(&rw, |status| status.rw) {
                Ok(index) => index,
                Err(index) => {
                    rws.insert(index, RwStatus { rw, source: None, other_sources: Vec::new() });
                    index
                }
            };
            let status = &mut rws[index];
            match status.source {
                None => status.source = Some(source),
                Some(_) => status.other_sources.push(source),
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
    /// RWs up to the kelurahan's RW count that had no result: the cadre chose
    /// to start without them.
    pub missing_rws: Vec<u16>,
    pub usulan_count: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

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
        RwSource::Local { meeting_id: id.into(), revision: 1, date: date.into(), usulan_count }
    }

    fn imported(id: &str, date: &str, usulan_count: u32) -> RwSource {
        RwSource::Imported {
            bundle_sha256: "a".repeat(64),
            meeting_id: id.into(),
            revision: 1,
            date: date.into(),
            device_fingerprint: "ABCD-EFGH".into(),
            usulan_count,
            personal_encrypted: false,
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
}
