//! A musyawarah (meeting) and the form that creates or edits one.
//!
//! The UI sends what the cadre typed as raw strings ([`MeetingForm`]); the core
//! parses and checks every field into [`MeetingFields`] or answers with one
//! [`FieldError`] per refused field. Nothing is stored from an unchecked form.

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::calendar::planning_year_of;
use crate::error::{FieldCode, FieldError};
use crate::string_enum::string_enum;
use crate::tanggal::DateText;
use crate::text::{optional_area_number, optional_text, required_text};
use crate::wilayah::Kelurahan;

/// The stage of the planning chain this meeting belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Stage {
    /// Rembug warga: the RW-level meeting, first stage.
    RembugWarga,
    /// Musrenbang kelurahan: merges and ranks the RW usulan.
    MusrenbangKelurahan,
}

string_enum!(Stage);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MeetingStatus {
    /// Still being recorded; editable.
    Draft,
    /// Agreed and signed; changed only through a new revision.
    Locked,
}

string_enum!(MeetingStatus);

/// Indonesia's three time zones; none observes daylight saving, so each is a
/// fixed offset from UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "UPPERCASE")]
pub enum Timezone {
    /// Waktu Indonesia Barat, UTC+7.
    #[serde(rename = "WIB")]
    Wib,
    /// Waktu Indonesia Tengah, UTC+8.
    #[serde(rename = "WITA")]
    Wita,
    /// Waktu Indonesia Timur, UTC+9.
    #[serde(rename = "WIT")]
    Wit,
}

string_enum!(Timezone);

impl Timezone {
    pub fn offset(self) -> FixedOffset {
        let hours = match self {
            Timezone::Wib => 7,
            Timezone::Wita => 8,
            Timezone::Wit => 9,
        };
        FixedOffset::east_opt(hours * 3600).expect("whole-hour offsets are valid")
    }

    /// A stored UTC instant (RFC 3339) in this zone, as a terminal shows it:
    /// `2026-12-07 10.15 WIB`; text that is no instant comes back unchanged.
    pub fn local_text(self, utc: &str) -> String {
        match DateTime::parse_from_rfc3339(utc) {
            Ok(instant) => {
                format!("{} {}", instant.with_timezone(&self.offset()).format("%Y-%m-%d %H.%M"), self.as_str())
            }
            Err(_) => utc.to_owned(),
        }
    }

    /// The UTC instant of a local date and time in this zone.
    pub fn to_utc(self, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        date.and_time(time)
            .and_local_timezone(self.offset())
            .single()
            .expect("a fixed offset has no gaps or folds")
            .to_utc()
    }

    /// The zone of a wilayah, from the province part of its Kemendagri code
    /// (the first two digits).
    pub fn for_kemendagri_code(code: &str) -> Timezone {
        match code.get(..2).and_then(|p| p.parse::<u8>().ok()) {
            // Bali, Nusa Tenggara, South/East/North Kalimantan, Sulawesi.
            Some(51..=53 | 63..=65 | 71..=76) => Timezone::Wita,
            // Maluku and Papua.
            Some(81..=82 | 91..=99) => Timezone::Wit,
            // Sumatra, Java, West and Central Kalimantan.
            _ => Timezone::Wib,
        }
    }
}

/// What the cadre typed in the "Musyawarah baru" or edit form, unparsed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MeetingForm {
    /// `rembug_warga` or `musrenbang_kelurahan`.
    pub stage: String,
    pub kelurahan_code: String,
    /// Required for a rembug warga, ignored for a kelurahan meeting.
    pub rw: String,
    /// Blank: the year the meeting's date plans by the planning calendar.
    pub planning_year: String,
    /// Local date of the meeting, `YYYY-MM-DD`.
    pub date: String,
    /// Local start time, 24-hour: `19.30` as Indonesians write it, or `19:30`.
    pub start_time: String,
    pub place: String,
    pub facilitator: String,
    pub notulis: String,
    /// The pimpinan rapat (chair) who signs the berita acara; required
    /// before locking, not before saving.
    pub pimpinan: String,
    /// The chair's office as printed under the name: "Ketua RW 08".
    pub pimpinan_jabatan: String,
    /// The berita acara's "Nomor:", as the RW or kelurahan numbers its
    /// letters; may stay blank.
    pub nomor: String,
}

pub const RW_MAX: u16 = 999;
pub const YEAR_MIN: i32 = 2000;
pub const YEAR_MAX: i32 = 2100;
pub const PLACE_MAX_CHARS: usize = 200;
pub const NAME_MAX_CHARS: usize = 100;
/// A jabatan ("Ketua RW 08", "Lurah Baros") fits one line under a signature.
pub const JABATAN_MAX_CHARS: usize = 80;
/// "005/BA/RW.08/XII/2026" and longer kelurahan numbers.
pub const NOMOR_MAX_CHARS: usize = 60;

/// A form that passed every check, with the kelurahan it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFields {
    pub stage: Stage,
    pub kelurahan: Kelurahan,
    pub rw: Option<u16>,
    pub planning_year: i32,
    pub date: NaiveDate,
    pub start_time: NaiveTime,
    pub place: String,
    pub facilitator: String,
    pub notulis: Option<String>,
    pub pimpinan: Option<String>,
    pub pimpinan_jabatan: Option<String>,
    pub nomor: Option<String>,
}

impl MeetingFields {
    pub fn timezone(&self) -> Timezone {
        Timezone::for_kemendagri_code(&self.kelurahan.code)
    }

    /// The start of the meeting as a UTC instant.
    pub fn starts_at(&self) -> DateTime<Utc> {
        self.timezone().to_utc(self.date, self.start_time)
    }
}

/// The start time a new meeting is given: rembug warga are held in the evening.
const USUAL_START_TIME: &str = "19.30";

/// `28/11/2026`.
fn day_first(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

impl MeetingForm {
    /// A new meeting on `today` (the laptop's local date): a rembug warga at
    /// 19:30, its planning year left blank for the calendar to fill.
    pub fn new_on(today: NaiveDate) -> MeetingForm {
        MeetingForm {
            stage: Stage::RembugWarga.as_str().to_owned(),
            date: day_first(today),
            start_time: USUAL_START_TIME.to_owned(),
            ..MeetingForm::default()
        }
    }

    /// [`MeetingForm::new_on`] a date as the UI sends it (`YYYY-MM-DD`).
    pub fn new_on_text(today: &str) -> Result<MeetingForm, Vec<FieldError>> {
        parse_date(today).map(MeetingForm::new_on).map_err(|code| vec![FieldError::new("today", code)])
    }

    /// Parses every field, collecting one error per refused field so the UI can
    /// mark them all at once. `find_kelurahan` looks a code up in the wilayah;
    /// a blank planning year is the one the date plans when meetings plan two
    /// years ahead from `two_years_ahead_from_month` (`calendar.rs`).
    pub fn parse(
        &self,
        find_kelurahan: impl FnOnce(&str) -> Option<Kelurahan>,
        two_years_ahead_from_month: u8,
    ) -> Result<MeetingFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut note = |field: &str, code: FieldCode| errors.push(FieldError::new(field, code));

        let stage = Stage::parse(self.stage.trim());
        if stage.is_none() {
            note("stage", FieldCode::StageUnknown);
        }

        let code = self.kelurahan_code.trim();
        let kelurahan = if code.is_empty() {
            note("kelurahan_code", FieldCode::Required);
            None
        } else {
            let found = find_kelurahan(code);
            if found.is_none() {
                note("kelurahan_code", FieldCode::KelurahanUnknown);
            }
            found
        };

        let rw = match stage {
            Some(Stage::RembugWarga) => match parse_rw(&self.rw) {
                Ok(rw) => Some(rw),
                Err(code) => {
                    note("rw", code);
                    None
                }
            },
            _ => None,
        };

        let date = match parse_date(&self.date) {
            Ok(date) => Some(date),
            Err(code) => {
                note("date", code);
                None
            }
        };

        let planning_year = match self.planning_year.trim().parse::<i32>() {
            Ok(year) if (YEAR_MIN..=YEAR_MAX).contains(&year) => Some(year),
            Ok(_) => {
                note("planning_year", FieldCode::YearOutOfRange);
                None
            }
            // Blank follows the date; with no readable date, the date's
            // own error says what to fix.
            Err(_) if self.planning_year.trim().is_empty() => {
                date.map(|date| planning_year_of(date, two_years_ahead_from_month))
            }
            Err(_) => {
                note("planning_year", FieldCode::YearInvalid);
                None
            }
        };

        let start_time = match parse_time(&self.start_time) {
            Ok(time) => Some(time),
            Err(code) => {
                note("start_time", code);
                None
            }
        };

        let place = required_text(&self.place, PLACE_MAX_CHARS).map_err(|code| note("place", code)).ok();
        let facilitator =
            required_text(&self.facilitator, NAME_MAX_CHARS).map_err(|code| note("facilitator", code)).ok();
        let mut optional = |raw: &str, max: usize, field: &str| {
            optional_text(raw, max).map_err(|code| note(field, code)).ok().flatten()
        };
        let notulis = optional(&self.notulis, NAME_MAX_CHARS, "notulis");
        let pimpinan = optional(&self.pimpinan, NAME_MAX_CHARS, "pimpinan");
        let pimpinan_jabatan = optional(&self.pimpinan_jabatan, JABATAN_MAX_CHARS, "pimpinan_jabatan");
        let nomor = optional(&self.nomor, NOMOR_MAX_CHARS, "nomor");

        match (stage, kelurahan, planning_year, date, start_time, place, facilitator) {
            (
                Some(stage),
                Some(kelurahan),
                Some(planning_year),
                Some(date),
                Some(start_time),
                Some(place),
                Some(facilitator),
            ) if errors.is_empty() => Ok(MeetingFields {
                stage,
                kelurahan,
                rw,
                planning_year,
                date,
                start_time,
                place,
                facilitator,
                notulis,
                pimpinan,
                pimpinan_jabatan,
                nomor,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_rw(raw: &str) -> Result<u16, FieldCode> {
    optional_area_number(raw, RW_MAX, FieldCode::RwOutOfRange)?.ok_or(FieldCode::Required)
}

fn parse_date(raw: &str) -> Result<NaiveDate, FieldCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldCode::Required);
    }
    // ISO from a date picker, or day first as Indonesians write it
    // ("28/11/2026", "28-11-2026", "28.11.2026"); never month first.
    let iso = || {
        let [year, month, day] = fields(raw, &['-'])?;
        NaiveDate::from_ymd_opt(digits(year, 4..=4)? as i32, digits(month, 2..=2)?, digits(day, 2..=2)?)
    };
    let day_first = || {
        let [day, month, year] = fields(raw, &['/', '-', '.'])?;
        NaiveDate::from_ymd_opt(digits(year, 4..=4)? as i32, digits(month, 1..=2)?, digits(day, 1..=2)?)
    };
    let date = iso().or_else(day_first).ok_or(FieldCode::DateInvalid)?;
    if !(YEAR_MIN..=YEAR_MAX).contains(&date.year()) {
        return Err(FieldCode::DateOutOfRange);
    }
    Ok(date)
}

fn parse_time(raw: &str) -> Result<NaiveTime, FieldCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldCode::Required);
    }
    // "19.30" as Indonesians write it, or "19:30"; always 24-hour.
    let hour_minute = || {
        let [hour, minute] = fields(raw, &[':', '.'])?;
        NaiveTime::from_hms_opt(digits(hour, 2..=2)?, digits(minute, 2..=2)?, 0)
    };
    hour_minute().ok_or(FieldCode::TimeInvalid)
}

/// The `N` parts of `raw` between any of the `separators`, if there are exactly `N`.
fn fields<'a, const N: usize>(raw: &'a str, separators: &[char]) -> Option<[&'a str; N]> {
    raw.split(separators).collect::<Vec<_>>().try_into().ok()
}

/// The number written in `part`, if it is only ASCII digits and as many as
/// `widths` allows. chrono's own parser is laxer (it skips spaces and takes
/// "9:00" for "09:00"); a form field is held to the shape it always had.
fn digits(part: &str, widths: RangeInclusive<usize>) -> Option<u32> {
    if widths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()) { part.parse().ok() } else { None }
}

/// A meeting as the app shows it: stored fields plus the wilayah names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Meeting {
    pub id: String,
    pub stage: Stage,
    pub status: MeetingStatus,
    pub kelurahan: Kelurahan,
    pub rw: Option<u16>,
    pub planning_year: i32,
    /// Local date of the meeting in its own time zone, `YYYY-MM-DD`.
    pub date: String,
    /// Local start time, 24-hour: `19.30` as Indonesians write it, or `19:30`.
    pub start_time: String,
    pub timezone: Timezone,
    /// The same instant in UTC, RFC 3339.
    pub starts_at: String,
    pub place: String,
    pub facilitator: String,
    pub notulis: Option<String>,
    /// The pimpinan rapat and the office printed under the name. Absent,
    /// not null, when blank, as in the bundle's record (`wire::v1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional = nullable)]
    pub pimpinan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional = nullable)]
    pub pimpinan_jabatan: Option<String>,
    /// The berita acara's "Nomor:".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional = nullable)]
    pub nomor: Option<String>,
    /// UTC, RFC 3339.
    pub created_at: String,
    /// UTC, RFC 3339.
    pub updated_at: String,
    /// 1 for the first version; a correction of a locked meeting is the next.
    pub revision: u32,
    /// The locked revision this one corrects, and why.
    pub supersedes_id: Option<String>,
    pub revision_reason: Option<String>,
    /// UTC, RFC 3339; set when the meeting was locked.
    pub locked_at: Option<String>,
    /// The newer revision that corrects this one, if any.
    pub superseded_by: Option<String>,
}

/// A meeting as its page shows it: the meeting's own fields (its JSON is the
/// bundle's, so nothing is added to it) and the texts of its date, start
/// time and lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MeetingView {
    #[serde(flatten)]
    pub meeting: Meeting,
    pub date_text: DateText,
    pub start_time_text: DateText,
    pub locked_at_text: Option<DateText>,
}

impl MeetingView {
    pub fn of(meeting: Meeting) -> MeetingView {
        MeetingView {
            date_text: DateText::date(&meeting.date),
            start_time_text: DateText::time(meeting.timezone, &meeting.start_time),
            locked_at_text: meeting.locked_at.as_deref().map(|at| DateText::instant(meeting.timezone, at)),
            meeting,
        }
    }
}

impl Meeting {
    /// The form that would recreate this meeting unchanged; the edit screen
    /// starts from it.
    /// The form that would save this meeting unchanged, as the edit form
    /// shows it: the date day first, as Indonesians write it.
    pub fn to_form(&self) -> MeetingForm {
        MeetingForm {
            stage: self.stage.as_str().to_owned(),
            kelurahan_code: self.kelurahan.code.clone(),
            rw: self.rw.map(|rw| rw.to_string()).unwrap_or_default(),
            planning_year: self.planning_year.to_string(),
            date: parse_date(&self.date).map(day_first).unwrap_or_else(|_| self.date.clone()),
            start_time: self.start_time.replace(':', "."),
            place: self.place.clone(),
            facilitator: self.facilitator.clone(),
            notulis: self.notulis.clone().unwrap_or_default(),
            pimpinan: self.pimpinan.clone().unwrap_or_default(),
            pimpinan_jabatan: self.pimpinan_jabatan.clone().unwrap_or_default(),
            nomor: self.nomor.clone().unwrap_or_default(),
        }
    }

    /// `baros-rw08-2026-12-15` for a Rembug Warga, `baros-kelurahan-…` for a
    /// Musrenbang Kelurahan: what files made of this meeting (bundles,
    /// documents) are named after, in plain ASCII that any USB stick and
    /// WhatsApp keep intact.
    pub fn file_stem(&self) -> String {
        let level = match (self.stage, self.rw) {
            (Stage::RembugWarga, Some(rw)) => format!("rw{rw:02}"),
            _ => "kelurahan".to_owned(),
        };
        format!("{}-{level}-{}", ascii_slug(&self.kelurahan.name), self.date)
    }
}

/// Lower-case ASCII letters and digits, anything else one dash.
fn ascii_slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let trimmed = slug.trim_end_matches('-');
    if trimmed.is_empty() { "kelurahan".to_owned() } else { trimmed.to_owned() }
}

/// One row of the home screen's meeting list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MeetingSummary {
    pub id: String,
    pub stage: Stage,
    pub status: MeetingStatus,
    pub kelurahan_code: String,
    pub kelurahan_name: String,
    pub kecamatan_name: String,
    pub rw: Option<u16>,
    pub planning_year: i32,
    pub date: String,
    pub start_time: String,
    pub timezone: Timezone,
    /// 1 for the first version; a correction of a locked meeting is the next.
    pub revision: u32,
    /// `date` and `start_time` as the window writes them.
    pub date_text: DateText,
    pub start_time_text: DateText,
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_are_plain_ascii_with_single_dashes() {
        use super::ascii_slug;
        assert_eq!(ascii_slug("Melong"), "melong");
        assert_eq!(ascii_slug("Cibeber  Utara"), "cibeber-utara");
        assert_eq!(ascii_slug("Pasir-Kaliki (Lama)"), "pasir-kaliki-lama");
        assert_eq!(ascii_slug("Cigugur Tengah!"), "cigugur-tengah");
        assert_eq!(ascii_slug("Ñ"), "kelurahan");
    }

    use super::*;
    use crate::calendar::DEFAULT_TWO_YEARS_AHEAD_FROM_MONTH;
    use chrono::Timelike;

    fn melong() -> Kelurahan {
        Kelurahan {
            code: "32.77.01.1001".into(),
            name: "Melong".into(),
            kecamatan_code: "32.77.01".into(),
            kecamatan_name: "Cimahi Selatan".into(),
            kota_code: "32.77".into(),
            kota_name: "Kota Cimahi".into(),
        }
    }

    fn good_form() -> MeetingForm {
        MeetingForm {
            stage: "rembug_warga".into(),
            kelurahan_code: "32.77.01.1001".into(),
            rw: "05".into(),
            planning_year: "2027".into(),
            date: "2026-11-28".into(),
            start_time: "19:30".into(),
            place: "Balai RW 05".into(),
            facilitator: "Siti Rahmawati".into(),
            notulis: "".into(),
            pimpinan: " Ujang Suryana ".into(),
            pimpinan_jabatan: "Ketua RW 05".into(),
            nomor: "".into(),
        }
    }

    fn parse(form: &MeetingForm) -> Result<MeetingFields, Vec<FieldError>> {
        form.parse(|code| (code == "32.77.01.1001").then(melong), DEFAULT_TWO_YEARS_AHEAD_FROM_MONTH)
    }

    fn codes(form: &MeetingForm) -> Vec<(String, FieldCode)> {
        parse(form).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_good_form_parses_and_converts_wib_to_utc() {
        let fields = parse(&good_form()).unwrap();
        assert_eq!(fields.rw, Some(5));
        assert_eq!(fields.notulis, None);
        assert_eq!(fields.pimpinan.as_deref(), Some("Ujang Suryana"));
        assert_eq!(fields.pimpinan_jabatan.as_deref(), Some("Ketua RW 05"));
        assert_eq!(fields.nomor, None, "a blank nomor stays blank");
        assert_eq!(fields.timezone(), Timezone::Wib);
        // 19:30 WIB is 12:30 UTC the same day.
        let utc = fields.starts_at();
        assert_eq!((utc.hour(), utc.minute(), utc.day()), (12, 30, 28));
    }

    #[test]
    fn rw_must_be_1_to_999() {
        for (raw, code) in [
            ("0", FieldCode::RwOutOfRange),
            ("1000", FieldCode::RwOutOfRange),
            ("", FieldCode::Required),
            ("lima", FieldCode::NumberInvalid),
            ("-3", FieldCode::NumberInvalid),
        ] {
            let form = MeetingForm { rw: raw.into(), ..good_form() };
            assert_eq!(codes(&form), vec![("rw".to_owned(), code.to_owned())], "rw {raw:?}");
        }
        let form = MeetingForm { rw: "999".into(), ..good_form() };
        assert_eq!(parse(&form).unwrap().rw, Some(999));
    }

    #[test]
    fn a_kelurahan_meeting_needs_no_rw() {
        let form = MeetingForm { stage: "musrenbang_kelurahan".into(), rw: "abc".into(), ..good_form() };
        assert_eq!(parse(&form).unwrap().rw, None);
    }

    #[test]
    fn dates_must_be_real() {
        for (raw, code) in [
            ("2026-02-30", FieldCode::DateInvalid),
            ("2025-02-29", FieldCode::DateInvalid),
            ("2026/11/28", FieldCode::DateInvalid),
            ("1999-12-31", FieldCode::DateOutOfRange),
        ] {
            let form = MeetingForm { date: raw.into(), ..good_form() };
            assert_eq!(codes(&form), vec![("date".to_owned(), code.to_owned())], "date {raw:?}");
        }
        let leap = MeetingForm { date: "2028-02-29".into(), ..good_form() };
        assert!(parse(&leap).is_ok());
    }

    #[test]
    fn dates_may_be_written_day_first_as_in_indonesia() {
        let expected = parse(&good_form()).unwrap().date;
        for raw in ["28/11/2026", "28-11-2026", "28.11.2026", " 28/11/2026 "] {
            let form = MeetingForm { date: raw.into(), ..good_form() };
            assert_eq!(parse(&form).unwrap().date, expected, "{raw}");
        }
        let first_of_march = MeetingForm { date: "1/3/2027".into(), ..good_form() };
        assert_eq!(parse(&first_of_march).unwrap().date.to_string(), "2027-03-01");
        for raw in ["11/28/2026", "31/11/2026", "28/11/26", "28/11/+2026", "28//11/2026", "2026-1-5", "2026-11- 8"] {
            let form = MeetingForm { date: raw.into(), ..good_form() };
            assert_eq!(codes(&form), vec![("date".to_owned(), FieldCode::DateInvalid)], "{raw}");
        }
    }

    #[test]
    fn start_times_are_hours_and_minutes_of_two_digits() {
        let form = MeetingForm { start_time: " 07:05 ".into(), ..good_form() };
        assert_eq!(parse(&form).unwrap().start_time.to_string(), "07:05:00");
        let dotted = MeetingForm { start_time: "19.30".into(), ..good_form() };
        assert_eq!(parse(&dotted).unwrap().start_time.to_string(), "19:30:00", "written the Indonesian way");
        for raw in ["9:30", "19:30:00", "19.30.00", "24.00", "19:60", "19: 30", "+9:30", "1930", "7.30 PM"] {
            let form = MeetingForm { start_time: raw.into(), ..good_form() };
            assert_eq!(codes(&form), vec![("start_time".to_owned(), FieldCode::TimeInvalid)], "{raw}");
        }
    }

    #[test]
    fn a_blank_planning_year_is_the_one_the_date_plans() {
        let december = MeetingForm { planning_year: " ".into(), date: "2026-12-15".into(), ..good_form() };
        assert_eq!(parse(&december).unwrap().planning_year, 2028);
        let january = MeetingForm { date: "2027-01-20".into(), ..december.clone() };
        assert_eq!(parse(&january).unwrap().planning_year, 2028);
        let typed = MeetingForm { planning_year: "2027".into(), ..december.clone() };
        assert_eq!(parse(&typed).unwrap().planning_year, 2027, "a typed year wins");
        let no_date = MeetingForm { date: "31/02/2026".into(), ..december };
        assert_eq!(codes(&no_date), [("date".to_owned(), FieldCode::DateInvalid)]);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let form = MeetingForm {
            stage: "rapat".into(),
            kelurahan_code: "32.77.09.9999".into(),
            planning_year: "20x7".into(),
            start_time: "25:00".into(),
            place: "   ".into(),
            facilitator: "x".repeat(NAME_MAX_CHARS + 1),
            pimpinan_jabatan: "x".repeat(JABATAN_MAX_CHARS + 1),
            nomor: "005\u{7}".into(),
            ..good_form()
        };
        let fields: Vec<String> = codes(&form).into_iter().map(|(field, _)| field).collect();
        assert_eq!(
            fields,
            [
                "stage",
                "kelurahan_code",
                "planning_year",
                "start_time",
                "place",
                "facilitator",
                "pimpinan_jabatan",
                "nomor"
            ]
        );
    }

    #[test]
    fn timezone_follows_the_province_code() {
        assert_eq!(Timezone::for_kemendagri_code("32.77.01.1001"), Timezone::Wib);
        assert_eq!(Timezone::for_kemendagri_code("51.71.01.1001"), Timezone::Wita);
        assert_eq!(Timezone::for_kemendagri_code("73.71.01.1001"), Timezone::Wita);
        assert_eq!(Timezone::for_kemendagri_code("94.71.01.1001"), Timezone::Wit);
    }
}
