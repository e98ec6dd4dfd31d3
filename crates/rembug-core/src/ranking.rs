//! Ranking the usulan of a meeting: by weighted scores on the meeting's
//! criteria, or by a show of hands; and, when the room agrees on another
//! order, by that consensus. Pure computation; the store feeds it.
//!
//! The weighted total of an usulan is Σ weight × score over the criteria it
//! was scored on (a criterion not yet scored adds nothing). It orders the
//! list. Beside it, `score_percent` shows the same on 0 to 100: 100 means a 5
//! on every criterion, whatever the weights add up to. That score is the one
//! the meeting reads, written once by `score_number` and `score_text` ("77,0
//! dari 100") for the grid, the projector and the papers alike.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::error::{FieldCode, FieldError};
use crate::rupiah::format_rupiah;
use crate::string_enum::string_enum;
use crate::text::required_text;
use crate::usulan::Bidang;

pub const SCORE_MIN: u8 = 1;
pub const SCORE_MAX: u8 = 5;
pub const CRITERIA_MAX: usize = 8;
pub const WEIGHT_MAX: u32 = 100;
pub const CRITERION_NAME_MAX_CHARS: usize = 100;

/// Cimahi's criteria, the defaults until settings say otherwise. The weights
/// add up to 100, so each reads as a share.
pub const DEFAULT_CRITERIA: [(&str, u32); 5] = [
    ("Kemendesakan", 30),
    ("Jumlah penerima manfaat", 25),
    ("Dampak", 20),
    ("Kesesuaian dengan prioritas kota", 15),
    ("Swadaya", 10),
];

/// [`DEFAULT_CRITERIA`] as the form the store takes.
pub fn default_criteria() -> Vec<CriterionForm> {
    DEFAULT_CRITERIA
        .iter()
        .map(|(name, weight)| CriterionForm { name: (*name).to_owned(), weight: weight.to_string() })
        .collect()
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RankingMethod {
    /// Weighted scores 1 to 5 on each criterion.
    #[default]
    Scores,
    /// The number of hands raised for each usulan.
    Hands,
}

string_enum!(RankingMethod);

/// A criterion the meeting scores on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Criterion {
    pub id: String,
    /// 1 for the first; the order the columns are shown in.
    pub position: u32,
    pub name: String,
    /// 1 to 100.
    pub weight: u32,
}

/// A criterion as typed in the criteria editor, unparsed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CriterionForm {
    pub name: String,
    pub weight: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionFields {
    pub name: String,
    pub weight: u32,
}

/// Parses a whole list of criteria: 1 to [`CRITERIA_MAX`] of them, names
/// unique (ignoring case), weights 1 to 100. Errors name the field as
/// `criteria.<index>.name` or `criteria.<index>.weight`, from 0.
pub fn parse_criteria(forms: &[CriterionForm]) -> Result<Vec<CriterionFields>, Vec<FieldError>> {
    if forms.is_empty() || forms.len() > CRITERIA_MAX {
        return Err(vec![FieldError::new("criteria", FieldCode::CriteriaCountInvalid)]);
    }
    let mut errors = Vec::new();
    let mut parsed = Vec::with_capacity(forms.len());
    let mut names_seen: Vec<String> = Vec::new();
    for (index, form) in forms.iter().enumerate() {
        let name = match required_text(&form.name, CRITERION_NAME_MAX_CHARS) {
            Ok(name) if names_seen.contains(&name.to_lowercase()) => Err(FieldCode::CriterionDuplicate),
            Ok(name) => {
                names_seen.push(name.to_lowercase());
                Ok(name)
            }
            Err(code) => Err(code),
        };
        let weight = match form.weight.trim().parse::<u32>() {
            Ok(weight) if (1..=WEIGHT_MAX).contains(&weight) => Ok(weight),
            Ok(_) => Err(FieldCode::WeightOutOfRange),
            Err(_) if form.weight.trim().is_empty() => Err(FieldCode::Required),
            Err(_) => Err(FieldCode::NumberInvalid),
        };
        match (name, weight) {
            (Ok(name), Ok(weight)) => parsed.push(CriterionFields { name, weight }),
            (name, weight) => {
                if let Err(code) = name {
                    errors.push(FieldError::new(&format!("criteria.{index}.name"), code));
                }
                if let Err(code) = weight {
                    errors.push(FieldError::new(&format!("criteria.{index}.weight"), code));
                }
            }
        }
    }
    if errors.is_empty() { Ok(parsed) } else { Err(errors) }
}

/// What the ranking knows of one usulan.
#[derive(Debug, Clone, PartialEq)]
pub struct RankingInput {
    pub usulan_id: String,
    /// Order of entry, the last tie-breaker.
    pub position: u32,
    pub kegiatan: String,
    pub alamat: String,
    pub rt_list: String,
    pub rw: Option<u16>,
    pub biaya: i64,
    pub bidang: Bidang,
    /// One per criterion, in the criteria's order; `None` when not scored.
    pub scores: Vec<Option<u8>>,
    pub hands: Option<u32>,
    pub manual_rank: Option<u32>,
}

/// One row of the ranked list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RankedUsulan {
    pub usulan_id: String,
    /// 1 for the first.
    pub rank: u32,
    /// Order of entry in the meeting.
    pub position: u32,
    pub kegiatan: String,
    /// Where, as the usulan gives it: the lokasi the projector and the
    /// printed list show beside the kegiatan.
    pub alamat: String,
    /// RT numbers, "1,3"; empty when none was given.
    pub rt_list: String,
    pub rw: Option<u16>,
    #[ts(type = "number")]
    pub biaya: i64,
    /// `biaya` as screens and papers write it, "Rp 12.500.000".
    pub biaya_text: String,
    pub bidang: Bidang,
    /// One per criterion, in the criteria's order; `null` when not scored.
    pub scores: Vec<Option<u8>>,
    /// Σ weight × score; `null` when no criterion was scored.
    #[ts(type = "number | null")]
    pub total: Option<i64>,
    /// The total on 0 to 100 (100 = a 5 on every criterion), one decimal.
    pub score_percent: Option<f64>,
    /// `score_percent` as the screens show it, "77,0" (`score_number`): the
    /// UI writes it "77,0 dari 100" as the papers do (`score_text`).
    pub score: Option<String>,
    pub hands: Option<u32>,
    /// Placed by the meeting's consensus rather than by the computation.
    pub manually_placed: bool,
}

/// The ranked list as the meeting and the projector show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Ranking {
    pub method: RankingMethod,
    pub criteria: Vec<Criterion>,
    pub rows: Vec<RankedUsulan>,
    /// Why the meeting overrode the computed order, when it did.
    pub override_reason: Option<String>,
}

/// The out of 100 the score is read against, on screen and on paper.
pub const SCORE_SCALE: u32 = 100;

/// A score on 0 to `SCORE_SCALE` with one decimal after a comma: "77,0".
pub fn score_number(percent: f64) -> String {
    format!("{percent:.1}").replace('.', ",")
}

/// The score as the meeting reads it on the grid, the projector and the
/// papers: "77,0 dari 100".
pub fn score_text(percent: f64) -> String {
    format!("{} dari {SCORE_SCALE}", score_number(percent))
}

/// Σ weight × score over the scored criteria, or `None` when none is scored.
pub fn weighted_total(criteria: &[Criterion], scores: &[Option<u8>]) -> Option<i64> {
    let scored: Vec<i64> = criteria
        .iter()
        .zip(scores)
        .filter_map(|(criterion, score)| score.map(|score| i64::from(criterion.weight) * i64::from(score)))
        .collect();
    (!scored.is_empty()).then(|| scored.iter().sum())
}

/// Orders the usulan and numbers them from 1. Usulan the meeting placed by
/// consensus come first, in that order; the others follow as computed. The
/// computed order is, for scores: higher total, then more hands, then earlier
/// entry; for hands: more hands, then higher total, then earlier entry.
/// Usulan with no score (or no count) come after those with one.
pub fn rank(method: RankingMethod, criteria: &[Criterion], inputs: Vec<RankingInput>) -> Vec<RankedUsulan> {
    let most = i64::from(SCORE_MAX) * criteria.iter().map(|criterion| i64::from(criterion.weight)).sum::<i64>();
    let mut rows: Vec<(Option<u32>, RankedUsulan)> = inputs
        .into_iter()
        .map(|input| {
            let total = weighted_total(criteria, &input.scores);
            let score_percent =
                total.filter(|_| most > 0).map(|total| (total as f64 * 1000.0 / most as f64).round() / 10.0);
            let row = RankedUsulan {
                usulan_id: input.usulan_id,
                rank: 0,
                position: input.position,
                kegiatan: input.kegiatan,
                alamat: input.alamat,
                rt_list: input.rt_list,
                rw: input.rw,
                biaya: input.biaya,
                biaya_text: format_rupiah(input.biaya),
                bidang: input.bidang,
                scores: input.scores,
                total,
                score_percent,
                score: score_percent.map(score_number),
                hands: input.hands,
                manually_placed: input.manual_rank.is_some(),
            };
            (input.manual_rank, row)
        })
        .collect();
    rows.sort_by(|(a_manual, a), (b_manual, b)| match (a_manual, b_manual) {
        (Some(a_manual), Some(b_manual)) => a_manual.cmp(b_manual).then(a.position.cmp(&b.position)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => computed_order(method, a, b),
    });
    rows.into_iter().enumerate().map(|(index, (_, row))| RankedUsulan { rank: index as u32 + 1, ..row }).collect()
}

/// `Some` sorts after `None` in Rust; comparing b to a puts the higher value,
/// and any value before none, first.
fn computed_order(method: RankingMethod, a: &RankedUsulan, b: &RankedUsulan) -> Ordering {
    let by_total = b.total.cmp(&a.total);
    let by_hands = b.hands.cmp(&a.hands);
    let by_entry = a.position.cmp(&b.position);
    match method {
        RankingMethod::Scores => by_total.then(by_hands).then(by_entry),
        RankingMethod::Hands => by_hands.then(by_total).then(by_entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria(weights: &[u32]) -> Vec<Criterion> {
        weights
            .iter()
            .enumerate()
            .map(|(index, weight)| Criterion {
                id: format!("c{index}"),
                position: index as u32 + 1,
                name: format!("Kriteria {index}"),
                weight: *weight,
            })
            .collect()
    }

    fn input(position: u32, scores: &[Option<u8>], hands: Option<u32>, manual_rank: Option<u32>) -> RankingInput {
        RankingInput {
            usulan_id: format!("u{position}"),
            position,
            kegiatan: format!("Kegiatan {position}"),
            alamat: format!("Jalan {position}"),
            rt_list: String::new(),
            rw: Some(5),
            biaya: 1_000_000,
            bidang: Bidang::Infrastruktur,
            scores: scores.to_vec(),
            hands,
            manual_rank,
        }
    }

    fn order(rows: &[RankedUsulan]) -> Vec<&str> {
        rows.iter().map(|row| row.usulan_id.as_str()).collect()
    }

    #[test]
    fn the_weighted_total_orders_the_list() {
        let criteria = criteria(&[30, 70]);
        let rows = rank(
            RankingMethod::Scores,
            &criteria,
            vec![
                input(1, &[Some(5), Some(1)], None, None), // 150 + 70 = 220
                input(2, &[Some(1), Some(5)], None, None), // 30 + 350 = 380
                input(3, &[Some(5), Some(5)], None, None), // 500
            ],
        );
        assert_eq!(order(&rows), ["u3", "u2", "u1"]);
        assert_eq!(rows.iter().map(|row| row.total).collect::<Vec<_>>(), [Some(500), Some(380), Some(220)]);
        assert_eq!(rows.iter().map(|row| row.rank).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(rows[0].score_percent, Some(100.0));
        assert_eq!(rows[1].score_percent, Some(76.0));
        assert_eq!(rows[2].score_percent, Some(44.0));
        assert_eq!(
            rows.iter().map(|row| row.score.as_deref()).collect::<Vec<_>>(),
            [Some("100,0"), Some("76,0"), Some("44,0")]
        );
    }

    #[test]
    fn a_score_reads_with_a_decimal_comma_out_of_100() {
        assert_eq!(score_number(77.0), "77,0");
        assert_eq!(score_number(87.46), "87,5");
        assert_eq!(score_text(77.0), "77,0 dari 100");
        assert_eq!(score_text(100.0), "100,0 dari 100");
    }

    #[test]
    fn ties_go_to_more_hands_then_to_the_earlier_entry() {
        let criteria = criteria(&[50, 50]);
        let rows = rank(
            RankingMethod::Scores,
            &criteria,
            vec![
                input(1, &[Some(3), Some(3)], Some(10), None),
                input(2, &[Some(3), Some(3)], Some(25), None),
                input(3, &[Some(2), Some(4)], Some(10), None),
            ],
        );
        assert_eq!(order(&rows), ["u2", "u1", "u3"]);
    }

    #[test]
    fn unscored_usulan_come_last_in_order_of_entry_and_partial_scores_count() {
        let criteria = criteria(&[60, 40]);
        let rows = rank(
            RankingMethod::Scores,
            &criteria,
            vec![
                input(1, &[None, None], None, None),
                input(2, &[Some(1), None], None, None), // 60
                input(3, &[None, None], Some(40), None),
                input(4, &[Some(1), Some(1)], None, None), // 100
            ],
        );
        assert_eq!(order(&rows), ["u4", "u2", "u3", "u1"]);
        assert_eq!(rows[2].total, None);
        assert_eq!(rows[2].score_percent, None);
        assert_eq!(rows[2].score, None);
        assert_eq!(rows[1].score_percent, Some(12.0));
    }

    #[test]
    fn hands_order_the_list_when_the_meeting_counts_hands() {
        let criteria = criteria(&[100]);
        let rows = rank(
            RankingMethod::Hands,
            &criteria,
            vec![
                input(1, &[Some(5)], Some(12), None),
                input(2, &[None], Some(30), None),
                input(3, &[Some(4)], None, None),
                input(4, &[Some(2)], Some(12), None),
                input(5, &[Some(1)], Some(0), None),
            ],
        );
        assert_eq!(order(&rows), ["u2", "u1", "u4", "u5", "u3"]);
    }

    #[test]
    fn the_consensus_order_wins_and_later_usulan_follow_it() {
        let criteria = criteria(&[100]);
        let rows = rank(
            RankingMethod::Scores,
            &criteria,
            vec![
                input(1, &[Some(5)], None, Some(3)),
                input(2, &[Some(1)], None, Some(1)),
                input(3, &[Some(3)], None, Some(2)),
                input(4, &[Some(4)], None, None),
                input(5, &[Some(5)], None, None),
            ],
        );
        assert_eq!(order(&rows), ["u2", "u3", "u1", "u5", "u4"]);
        assert_eq!(rows.iter().map(|row| row.manually_placed).collect::<Vec<_>>(), [true, true, true, false, false]);
    }

    #[test]
    fn default_criteria_are_valid_and_weigh_100() {
        let parsed = parse_criteria(&default_criteria()).unwrap();
        assert_eq!(parsed.len(), 5);
        assert_eq!(parsed.iter().map(|criterion| criterion.weight).sum::<u32>(), 100);
    }

    #[test]
    fn criteria_are_checked_one_field_at_a_time() {
        let form = |name: &str, weight: &str| CriterionForm { name: name.into(), weight: weight.into() };
        let errors = parse_criteria(&[
            form("Dampak", "20"),
            form("dampak", "0"),
            form("", "abc"),
            form("Biaya", "101"),
            form("Swadaya", ""),
        ])
        .unwrap_err();
        assert_eq!(
            errors,
            [
                FieldError::new("criteria.1.name", FieldCode::CriterionDuplicate),
                FieldError::new("criteria.1.weight", FieldCode::WeightOutOfRange),
                FieldError::new("criteria.2.name", FieldCode::Required),
                FieldError::new("criteria.2.weight", FieldCode::NumberInvalid),
                FieldError::new("criteria.3.weight", FieldCode::WeightOutOfRange),
                FieldError::new("criteria.4.weight", FieldCode::Required),
            ]
        );
        assert_eq!(parse_criteria(&[]).unwrap_err(), [FieldError::new("criteria", FieldCode::CriteriaCountInvalid)]);
        let nine: Vec<CriterionForm> = (0..9).map(|i| form(&format!("K{i}"), "10")).collect();
        assert_eq!(parse_criteria(&nine).unwrap_err(), [FieldError::new("criteria", FieldCode::CriteriaCountInvalid)]);
    }
}
