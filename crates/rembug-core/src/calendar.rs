//! The planning calendar. A musrenbang plans the RKPD of the following year:
//! the Musrenbang Kelurahan of January–February 2027 plans 2028, and the
//! rembug warga held from late November 2026 feed that same cycle, so they
//! plan 2028 too. A meeting held from a city's chosen month (July by
//! default) to December plans two years ahead; one held before it, the next
//! year.

use chrono::{Datelike, NaiveDate};

/// From this month on, a meeting plans the budget of two years later.
pub const DEFAULT_TWO_YEARS_AHEAD_FROM_MONTH: u8 = 7;

/// The planning year a meeting held on `date` plans.
pub fn planning_year_of(date: NaiveDate, two_years_ahead_from_month: u8) -> i32 {
    date.year() + if date.month() >= u32::from(two_years_ahead_from_month) { 2 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year_of(y: i32, m: u32, d: u32) -> i32 {
        planning_year_of(NaiveDate::from_ymd_opt(y, m, d).unwrap(), DEFAULT_TWO_YEARS_AHEAD_FROM_MONTH)
    }

    #[test]
    fn december_rembug_warga_and_january_musrenbang_plan_the_same_year() {
        assert_eq!(year_of(2026, 11, 28), 2028);
        assert_eq!(year_of(2026, 12, 15), 2028);
        assert_eq!(year_of(2027, 1, 20), 2028);
        assert_eq!(year_of(2027, 2, 28), 2028);
        assert_eq!(year_of(2027, 6, 30), 2028);
        assert_eq!(year_of(2027, 7, 1), 2029);
    }

    #[test]
    fn a_city_moves_the_month() {
        let date = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        assert_eq!(planning_year_of(date, 10), 2027);
        assert_eq!(planning_year_of(date, 9), 2028);
    }
}
