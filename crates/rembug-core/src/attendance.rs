//! The daftar hadir (attendance list) of a meeting, its live counts, and the
//! delegates chosen from the attendees.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::people::{AgeGroup, Gender, Person};
use crate::string_enum::string_enum;

/// Delegates a rembug warga customarily sends to the kelurahan level.
pub const DEFAULT_DELEGATES_MIN: usize = 3;
pub const DEFAULT_DELEGATES_MAX: usize = 5;

/// A signature drawn on screen is a small PNG; anything larger is not one.
pub const SIGNATURE_MAX_BYTES: usize = 2 * 1024 * 1024;
/// A phone photo of a paper attendance sheet.
pub const SHEET_PHOTO_MAX_BYTES: u64 = 25 * 1024 * 1024;

/// What someone does in the meeting.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    #[default]
    Peserta,
    Narasumber,
    Fasilitator,
    Notulis,
    PimpinanRapat,
}

string_enum!(Role);

/// One line of the daftar hadir: the person's details as they were at
/// check-in, whatever later happens to the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Attendee {
    pub person_id: String,
    pub name: String,
    pub gender: Gender,
    pub unsur: String,
    pub rt: Option<u16>,
    pub rw: Option<u16>,
    pub phone: Option<String>,
    pub disability: bool,
    pub age_group: Option<AgeGroup>,
    pub role: Role,
    /// UTC, RFC 3339.
    pub checked_in_at: String,
    /// The drawn signature, a PNG attachment.
    pub signature_sha256: Option<String>,
}

/// A directory match for what the cadre is typing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonSuggestion {
    pub person: Person,
    /// Already on this meeting's list: Enter would be refused.
    pub checked_in: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnsurCount {
    pub unsur: String,
    pub count: u32,
}

/// The live counts shown beside the daftar hadir.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttendanceCounts {
    pub total: u32,
    pub women: u32,
    pub men: u32,
    /// Most represented first.
    pub by_unsur: Vec<UnsurCount>,
    pub disability: u32,
    /// Age group `anak` or `pemuda`.
    pub youth: u32,
    /// Women's share in basis points, rounded: 3500 is 35.00 %. 0 with no attendees.
    pub women_share_basis_points: u32,
    pub women_target_percent: u8,
    /// Women reach the target share (exactly, not after rounding). False with no attendees.
    pub women_target_met: bool,
}

/// Attendees who share an unsur, gender, disability flag and age group: one
/// row of the grouped count query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeGroup {
    pub unsur: String,
    pub gender: Gender,
    pub disability: bool,
    pub age_group: Option<AgeGroup>,
    pub count: u32,
}

impl AttendanceCounts {
    pub fn from_groups(groups: &[AttendeeGroup], women_target_percent: u8) -> Self {
        let count_where =
            |keep: fn(&AttendeeGroup) -> bool| groups.iter().filter(|g| keep(g)).map(|g| g.count).sum::<u32>();
        let total = count_where(|_| true);
        let women = count_where(|g| g.gender == Gender::Female);
        let women_share_basis_points = match total {
            0 => 0,
            _ => ((u64::from(women) * 10_000 + u64::from(total) / 2) / u64::from(total)) as u32,
        };
        let mut by_unsur: Vec<UnsurCount> = Vec::new();
        for group in groups {
            match by_unsur.iter_mut().find(|u| u.unsur == group.unsur) {
                Some(known) => known.count += group.count,
                None => by_unsur.push(UnsurCount { unsur: group.unsur.clone(), count: group.count }),
            }
        }
        by_unsur.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.unsur.cmp(&b.unsur)));
        AttendanceCounts {
            total,
            women,
            men: total - women,
            by_unsur,
            disability: count_where(|g| g.disability),
            youth: count_where(|g| g.age_group.is_some_and(AgeGroup::is_youth)),
            women_share_basis_points,
            women_target_percent,
            women_target_met: total > 0 && u64::from(women) * 100 >= u64::from(women_target_percent) * u64::from(total),
        }
    }
}

/// What deserves a second look in the choice of delegates; never a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DelegateWarning {
    NoWomanDelegate,
    DelegateCountOutsideRange,
}

impl DelegateWarning {
    /// The warnings for delegates chosen in this order, given the count the
    /// city expects (`min..=max`).
    pub fn for_delegates(delegates: &[Attendee], min: usize, max: usize) -> Vec<DelegateWarning> {
        let mut warnings = Vec::new();
        if !delegates.iter().any(|d| d.gender == Gender::Female) {
            warnings.push(DelegateWarning::NoWomanDelegate);
        }
        if !(min..=max).contains(&delegates.len()) {
            warnings.push(DelegateWarning::DelegateCountOutsideRange);
        }
        warnings
    }
}

/// The delegates for the next level, in the order chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Delegates {
    pub delegates: Vec<Attendee>,
    pub warnings: Vec<DelegateWarning>,
}

/// A photo of a paper daftar hadir, the alternative to signing on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttendanceSheetPhoto {
    /// 1 for the first page photographed.
    pub position: u32,
    pub sha256: String,
    pub media_type: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(unsur: &str, gender: Gender, count: u32) -> AttendeeGroup {
        AttendeeGroup { unsur: unsur.into(), gender, disability: false, age_group: None, count }
    }

    #[test]
    fn the_womens_share_is_rounded_but_the_target_is_exact() {
        // 2 of 7 is 28.571...%: shown as 28.57 %, short of a 29 % target.
        let counts =
            AttendanceCounts::from_groups(&[group("warga", Gender::Male, 5), group("warga", Gender::Female, 2)], 29);
        assert_eq!((counts.women_share_basis_points, counts.women_target_met), (2857, false));
        // 3 of 10 is exactly 30 %: the target is met.
        let groups = [
            group("warga", Gender::Male, 5),
            group("PKK", Gender::Female, 2),
            AttendeeGroup { disability: true, age_group: Some(AgeGroup::Pemuda), ..group("warga", Gender::Female, 1) },
            AttendeeGroup { age_group: Some(AgeGroup::Lansia), ..group("PKK", Gender::Male, 2) },
        ];
        let counts = AttendanceCounts::from_groups(&groups, 30);
        assert_eq!((counts.total, counts.women, counts.men), (10, 3, 7));
        assert_eq!((counts.women_share_basis_points, counts.women_target_met), (3000, true));
        assert_eq!((counts.disability, counts.youth), (1, 1));
        assert_eq!(
            counts.by_unsur,
            [UnsurCount { unsur: "warga".into(), count: 6 }, UnsurCount { unsur: "PKK".into(), count: 4 }]
        );
    }

    #[test]
    fn nobody_present_meets_no_target() {
        let counts = AttendanceCounts::from_groups(&[], 0);
        assert_eq!((counts.total, counts.women_share_basis_points, counts.women_target_met), (0, 0, false));
    }
}
