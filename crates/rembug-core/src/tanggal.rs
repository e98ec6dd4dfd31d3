//! Dates and times as people read them, in the interface's two languages:
//! "Rabu, 8 November 2023" and "Senin, 7 Desember 2026 pukul 10.15 WIB", or
//! "Wednesday, 8 November 2023 at 19:30 WIB". The papers, the CLI and the
//! office's pages write Indonesian; the window shows the [`DateText`] its
//! views carry, in both languages so it can switch without reloading.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::meeting::Timezone;
use crate::settings::Language;

/// The words a language writes dates with.
struct Words {
    /// Monday first, as `Weekday::num_days_from_monday` counts.
    weekdays: [&'static str; 7],
    months: [&'static str; 12],
    /// Between the hour and the minute: "19.30" or "19:30".
    time_separator: char,
    /// Between a date and its time: "… pukul 19.30 WIB".
    at: &'static str,
}

const INDONESIAN: Words = Words {
    weekdays: ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    months: [
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
    ],
    time_separator: '.',
    at: "pukul",
};

const ENGLISH: Words = Words {
    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    time_separator: ':',
    at: "at",
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::Id => &INDONESIAN,
        Language::En => &ENGLISH,
    }
}

/// "Rabu" for a Wednesday.
pub fn weekday_name(weekday: Weekday) -> &'static str {
    INDONESIAN.weekdays[weekday.num_days_from_monday() as usize]
}

/// "November" for a date in November.
pub fn month_name(date: NaiveDate) -> &'static str {
    INDONESIAN.months[date.month0() as usize]
}

/// "Rabu, 8 November 2023".
pub fn long_date(date: NaiveDate) -> String {
    long_date_in(Language::Id, date)
}

/// "Rabu, 8 November 2023" or "Wednesday, 8 November 2023".
fn long_date_in(language: Language, date: NaiveDate) -> String {
    let words = words(language);
    format!(
        "{}, {} {} {}",
        words.weekdays[date.weekday().num_days_from_monday() as usize],
        date.day(),
        words.months[date.month0() as usize],
        date.year()
    )
}

/// "8 November 2023".
pub fn short_date(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), month_name(date), date.year())
}

/// "19.30 WIB" or "19:30 WIB".
fn clock_in(language: Language, timezone: Timezone, time: NaiveTime) -> String {
    let separator = words(language).time_separator;
    format!("{} {}", time.format(&format!("%H{separator}%M")), timezone.as_str())
}

/// "Rabu, 8 November 2023 pukul 19.30 WIB" or "Wednesday, 8 November 2023 at 19:30 WIB".
fn date_and_clock_in(language: Language, timezone: Timezone, date: NaiveDate, time: NaiveTime) -> String {
    format!("{} {} {}", long_date_in(language, date), words(language).at, clock_in(language, timezone, time))
}

/// A stored UTC instant (RFC 3339) in a meeting's zone: "Senin, 7 Desember
/// 2026 pukul 10.15 WIB"; text that is no instant comes back unchanged.
pub fn instant_in(timezone: Timezone, utc: &str) -> String {
    instant_text_in(Language::Id, timezone, utc)
}

/// [`instant_in`] in either language.
fn instant_text_in(language: Language, timezone: Timezone, utc: &str) -> String {
    match DateTime::parse_from_rfc3339(utc) {
        Ok(instant) => {
            let local = instant.with_timezone(&timezone.offset()).naive_local();
            date_and_clock_in(language, timezone, local.date(), local.time())
        }
        Err(_) => utc.to_owned(),
    }
}

/// A meeting's local date (`YYYY-MM-DD`) and start time (`HH:MM`):
/// "Senin, 24 November 2025 pukul 19.30 WIB"; unreadable text unchanged.
pub fn meeting_time(timezone: Timezone, date: &str, start_time: &str) -> String {
    match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
        Ok(day) => {
            format!("{} {} {} {}", long_date(day), INDONESIAN.at, start_time.replace(':', "."), timezone.as_str())
        }
        Err(_) => format!("{date} {start_time}"),
    }
}

fn parse_date(date: &str) -> Option<NaiveDate> {
    // `%Y` alone would take a sign or more digits: only `YYYY-MM-DD` is a date here.
    let shaped = date.len() == 10
        && date.bytes().enumerate().all(|(at, byte)| match at {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    if shaped { NaiveDate::parse_from_str(date, "%Y-%m-%d").ok() } else { None }
}

fn parse_time(time: &str) -> Option<NaiveTime> {
    if time.len() == 5 { NaiveTime::parse_from_str(time, "%H:%M").ok() } else { None }
}

/// A date, a time of day or an instant as each language of the interface
/// writes it, next to the raw value a view carries: the window shows the
/// one for its current language and has no date formatting of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DateText {
    pub id: String,
    pub en: String,
}

impl DateText {
    fn each(text: impl Fn(Language) -> String) -> DateText {
        DateText { id: text(Language::Id), en: text(Language::En) }
    }

    /// A local date, `YYYY-MM-DD`: "Rabu, 8 November 2023"; text that is no
    /// such date is kept as it is.
    pub fn date(date: &str) -> DateText {
        DateText::each(|language| match parse_date(date) {
            Some(day) => long_date_in(language, day),
            None => date.to_owned(),
        })
    }

    /// A local time of day, `HH:MM`, in its zone: "19.30 WIB" / "19:30 WIB".
    pub fn time(timezone: Timezone, time: &str) -> DateText {
        DateText::each(|language| match parse_time(time) {
            Some(clock) => clock_in(language, timezone, clock),
            None => format!("{time} {}", timezone.as_str()),
        })
    }

    /// A UTC instant (RFC 3339) in a zone's local time: "Rabu, 8 November
    /// 2023 pukul 19.30 WIB"; text that is no instant is kept as it is.
    pub fn instant(timezone: Timezone, utc: &str) -> DateText {
        DateText::each(|language| instant_text_in(language, timezone, utc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_read_as_indonesians_write_them() {
        let day = NaiveDate::from_ymd_opt(2023, 11, 8).unwrap();
        assert_eq!(long_date(day), "Rabu, 8 November 2023");
        assert_eq!(weekday_name(Weekday::Sun), "Minggu");
        assert_eq!(month_name(day), "November");
        assert_eq!(short_date(NaiveDate::from_ymd_opt(2026, 1, 4).unwrap()), "4 Januari 2026");
        assert_eq!(instant_in(Timezone::Wib, "2026-12-07T03:15:42Z"), "Senin, 7 Desember 2026 pukul 10.15 WIB");
        assert_eq!(instant_in(Timezone::Wit, "2026-12-07T20:00:00Z"), "Selasa, 8 Desember 2026 pukul 05.00 WIT");
        assert_eq!(instant_in(Timezone::Wib, "kemarin"), "kemarin");
        assert_eq!(meeting_time(Timezone::Wib, "2025-11-24", "19:30"), "Senin, 24 November 2025 pukul 19.30 WIB");
        assert_eq!(meeting_time(Timezone::Wib, "2025-11-31", "19:30"), "2025-11-31 19:30");
        assert_eq!(
            instant_in(Timezone::Wib, "2023-11-08T12:30:00Z"),
            meeting_time(Timezone::Wib, "2023-11-08", "19:30")
        );
    }

    #[test]
    fn dates_read_in_both_languages() {
        let text = |id: &str, en: &str| DateText { id: id.into(), en: en.into() };
        assert_eq!(DateText::date("2023-11-08"), text("Rabu, 8 November 2023", "Wednesday, 8 November 2023"));
        assert_eq!(DateText::date("2026-01-04"), text("Minggu, 4 Januari 2026", "Sunday, 4 January 2026"));
        assert_eq!(DateText::date("2028-02-29"), text("Selasa, 29 Februari 2028", "Tuesday, 29 February 2028"));
        assert_eq!(DateText::date("2026-12-25").en, "Friday, 25 December 2026");
        // Not dates: kept as they came.
        for odd in ["2023-02-30", "2023-13-01", "8/11/2023", "+2023-11-08", "2023-11-8"] {
            assert_eq!(DateText::date(odd), text(odd, odd));
        }
    }

    #[test]
    fn times_read_in_both_languages() {
        let text = |id: &str, en: &str| DateText { id: id.into(), en: en.into() };
        assert_eq!(DateText::time(Timezone::Wib, "19:30"), text("19.30 WIB", "19:30 WIB"));
        assert_eq!(DateText::time(Timezone::Wita, "08:05"), text("08.05 WITA", "08:05 WITA"));
        assert_eq!(DateText::time(Timezone::Wit, "sore"), text("sore WIT", "sore WIT"));
    }

    #[test]
    fn instants_read_in_the_zones_local_time() {
        let text = |id: &str, en: &str| DateText { id: id.into(), en: en.into() };
        assert_eq!(
            DateText::instant(Timezone::Wib, "2023-11-08T12:30:00Z"),
            text("Rabu, 8 November 2023 pukul 19.30 WIB", "Wednesday, 8 November 2023 at 19:30 WIB")
        );
        // Late in the UTC evening it is already the next morning in Papua.
        assert_eq!(
            DateText::instant(Timezone::Wit, "2023-11-08T20:00:00Z"),
            text("Kamis, 9 November 2023 pukul 05.00 WIT", "Thursday, 9 November 2023 at 05:00 WIT")
        );
        assert_eq!(DateText::instant(Timezone::Wit, "2023-12-31T15:00:00Z").en, "Monday, 1 January 2024 at 00:00 WIT");
        assert_eq!(
            DateText::instant(Timezone::Wita, "2023-12-31T16:00:00Z").en,
            "Monday, 1 January 2024 at 00:00 WITA"
        );
        // An instant with its own offset is the same instant.
        assert_eq!(
            DateText::instant(Timezone::Wib, "2023-11-08T19:30:00+07:00"),
            DateText::instant(Timezone::Wib, "2023-11-08T12:30:00Z")
        );
        assert_eq!(DateText::instant(Timezone::Wib, "kemarin"), text("kemarin", "kemarin"));
        assert_eq!(
            DateText::instant(Timezone::Wib, "2023-11-08T25:00:00Z"),
            text("2023-11-08T25:00:00Z", "2023-11-08T25:00:00Z")
        );
    }
}
