//! Numbers and dates written out in Indonesian words, as a berita acara
//! states its date ("Pada hari Rabu tanggal delapan bulan November tahun dua
//! ribu dua puluh tiga") so that it cannot be altered by adding a digit.

use chrono::{Datelike, NaiveDate};
pub use rembug_core::tanggal::{long_date, short_date};
use rembug_core::tanggal::{month_name, weekday_name};

const DIGITS: [&str; 10] = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"];

/// Scale words from the largest down, each with its size.
const SCALES: [(u64, &str); 4] =
    [(1_000_000_000_000, "triliun"), (1_000_000_000, "miliar"), (1_000_000, "juta"), (1_000, "ribu")];

/// "dua ribu dua puluh tiga" for 2023; "sebelas", "seratus", "seribu".
pub fn terbilang(number: u64) -> String {
    if number == 0 {
        return DIGITS[0].to_owned();
    }
    let mut words: Vec<String> = Vec::new();
    let mut rest = number;
    for (size, name) in SCALES {
        let count = rest / size;
        rest %= size;
        match count {
            0 => {}
            // "seribu", but "satu juta", "satu miliar".
            1 if size == 1_000 => words.push("seribu".to_owned()),
            _ => words.push(format!("{} {name}", terbilang(count))),
        }
    }
    if rest > 0 {
        words.push(below_thousand(rest));
    }
    words.join(" ")
}

/// 1 to 999.
fn below_thousand(number: u64) -> String {
    let hundreds = number / 100;
    let rest = number % 100;
    let mut words = Vec::new();
    match hundreds {
        0 => {}
        1 => words.push("seratus".to_owned()),
        _ => words.push(format!("{} ratus", DIGITS[hundreds as usize])),
    }
    match rest {
        0 => {}
        1..=9 => words.push(DIGITS[rest as usize].to_owned()),
        10 => words.push("sepuluh".to_owned()),
        11 => words.push("sebelas".to_owned()),
        12..=19 => words.push(format!("{} belas", DIGITS[(rest - 10) as usize])),
        _ => {
            words.push(format!("{} puluh", DIGITS[(rest / 10) as usize]));
            if !rest.is_multiple_of(10) {
                words.push(DIGITS[(rest % 10) as usize].to_owned());
            }
        }
    }
    words.join(" ")
}

/// "hari Rabu tanggal delapan bulan November tahun dua ribu dua puluh tiga".
pub fn date_in_words(date: NaiveDate) -> String {
    format!(
        "hari {} tanggal {} bulan {} tahun {}",
        weekday_name(date.weekday()),
        terbilang(u64::from(date.day())),
        month_name(date),
        terbilang(date.year().unsigned_abs().into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn numbers_read_as_indonesians_say_them() {
        for (number, words) in [
            (0, "nol"),
            (1, "satu"),
            (8, "delapan"),
            (10, "sepuluh"),
            (11, "sebelas"),
            (12, "dua belas"),
            (19, "sembilan belas"),
            (20, "dua puluh"),
            (31, "tiga puluh satu"),
            (100, "seratus"),
            (101, "seratus satu"),
            (111, "seratus sebelas"),
            (250, "dua ratus lima puluh"),
            (1000, "seribu"),
            (1001, "seribu satu"),
            (1100, "seribu seratus"),
            (2023, "dua ribu dua puluh tiga"),
            (2027, "dua ribu dua puluh tujuh"),
            (11_000, "sebelas ribu"),
            (100_000, "seratus ribu"),
            (1_000_000, "satu juta"),
            (12_500_000, "dua belas juta lima ratus ribu"),
            (1_000_000_000, "satu miliar"),
            (2_000_001_000, "dua miliar seribu"),
        ] {
            assert_eq!(terbilang(number), words, "{number}");
        }
    }

    #[test]
    fn a_date_is_written_out_in_full() {
        let day = date(2023, 11, 8);
        assert_eq!(date_in_words(day), "hari Rabu tanggal delapan bulan November tahun dua ribu dua puluh tiga");
        assert_eq!(long_date(day), "Rabu, 8 November 2023");
        assert_eq!(
            date_in_words(date(2026, 11, 28)),
            "hari Sabtu tanggal dua puluh delapan bulan November tahun dua ribu dua puluh enam"
        );
    }
}
