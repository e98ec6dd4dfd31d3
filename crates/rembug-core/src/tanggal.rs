//! Dates and times as Indonesians read them: "Rabu, 8 November 2023" and
//! "Senin, 7 Desember 2026 pukul 10.15 WIB", for the papers, the CLI and
//! the office's pages alike.

use chrono::{DateTime, Datelike, NaiveDate, Weekday};

use crate::meeting::Timezone;

pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Senin",
        Weekday::Tue => "Selasa",
        Weekday::Wed => "Rabu",
        Weekday::Thu => "Kamis",
        Weekday::Fri => "Jumat",
        Weekday::Sat => "Sabtu",
        Weekday::Sun => "Minggu",
    }
}

/// "November" for a date in November.
pub fn month_name(date: NaiveDate) -> &'static str {
    const MONTHS: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    MONTHS[date.month0() as usize]
}

/// "Rabu, 8 November 2023".
pub fn long_date(date: NaiveDate) -> String {
    format!("{}, {}", weekday_name(date.weekday()), short_date(date))
}

/// "8 November 2023".
pub fn short_date(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), month_name(date), date.year())
}

/// A stored UTC instant (RFC 3339) in a meeting's zone: "Senin, 7 Desember
/// 2026 pukul 10.15 WIB"; text that is no instant comes back unchanged.
pub fn instant_in(timezone: Timezone, utc: &str) -> String {
    match DateTime::parse_from_rfc3339(utc) {
        Ok(instant) => {
            let local = instant.with_timezone(&timezone.offset());
            format!("{} pukul {} {}", long_date(local.date_naive()), local.format("%H.%M"), timezone.as_str())
        }
        Err(_) => utc.to_owned(),
    }
}

/// A meeting's local date (`YYYY-MM-DD`) and start time (`HH:MM`):
/// "Senin, 24 November 2025 pukul 19.30 WIB"; unreadable text unchanged.
pub fn meeting_time(timezone: Timezone, date: &str, start_time: &str) -> String {
    match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        Ok(day) => format!("{} pukul {} {}", long_date(day), start_time.replace(':', "."), timezone.as_str()),
        Err(_) => format!("{date} {start_time}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_read_as_indonesians_write_them() {
        let day = NaiveDate::from_ymd_opt(2023, 11, 8).unwrap();
        assert_eq!(long_date(day), "Rabu, 8 November 2023");
        assert_eq!(short_date(NaiveDate::from_ymd_opt(2026, 1, 4).unwrap()), "4 Januari 2026");
        assert_eq!(instant_in(Timezone::Wib, "2026-12-07T03:15:42Z"), "Senin, 7 Desember 2026 pukul 10.15 WIB");
        assert_eq!(instant_in(Timezone::Wit, "2026-12-07T20:00:00Z"), "Selasa, 8 Desember 2026 pukul 05.00 WIT");
        assert_eq!(instant_in(Timezone::Wib, "kemarin"), "kemarin");
        assert_eq!(meeting_time(Timezone::Wib, "2025-11-24", "19:30"), "Senin, 24 November 2025 pukul 19.30 WIB");
    }
}
