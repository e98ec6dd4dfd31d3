//! The person directory: the residents this device knows, so that a returning
//! resident checks in by typing a few letters of their name.
//!
//! The UI sends what the cadre typed as raw strings ([`PersonForm`]); `parse`
//! answers typed [`PersonFields`] or one [`FieldError`] per refused field.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::error::{FieldCode, FieldError};
use crate::meeting::{NAME_MAX_CHARS, RW_MAX};
use crate::string_enum::string_enum;
use crate::text::{optional_area_number, required_text};

/// The groups a participant customarily represents (Cimahi's list). A city may
/// configure its own; a person's unsur is free text bounded in length.
pub const DEFAULT_UNSUR: [&str; 12] = [
    "RT",
    "RW",
    "LPM",
    "PKK",
    "Karang Taruna",
    "Tokoh Masyarakat",
    "Tokoh Agama",
    "Perempuan",
    "Pemuda",
    "Anak",
    "Disabilitas",
    "Warga",
];

pub const UNSUR_MAX_CHARS: usize = 60;
pub const RT_MAX: u16 = 999;
/// Digits of a phone number in its national form (`0` + 8 to 12 digits):
/// short landlines like `022-6654321` up to the longest mobile numbers.
const PHONE_DIGITS_MIN: usize = 9;
const PHONE_DIGITS_MAX: usize = 13;

/// L/P as on every Indonesian attendance list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
// Paper lists write "l" and "p" too.
#[strum(ascii_case_insensitive)]
pub enum Gender {
    /// Laki-laki.
    #[serde(rename = "L")]
    #[strum(serialize = "L")]
    Male,
    /// Perempuan.
    #[serde(rename = "P")]
    #[strum(serialize = "P")]
    Female,
}

string_enum!(Gender);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum AgeGroup {
    Anak,
    Pemuda,
    Dewasa,
    Lansia,
}

string_enum!(AgeGroup);

impl AgeGroup {
    /// Children and youth, the "pemuda/anak" of participation reports.
    pub fn is_youth(self) -> bool {
        matches!(self, AgeGroup::Anak | AgeGroup::Pemuda)
    }
}

/// What the cadre typed for a new or edited resident, unparsed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonForm {
    pub name: String,
    /// `L` or `P`.
    pub gender: String,
    pub unsur: String,
    /// Optional, 1 to 999.
    pub rt: String,
    /// Optional, 1 to 999.
    pub rw: String,
    /// Optional Kemendagri code of the person's kelurahan.
    pub kelurahan_code: String,
    /// Optional; `0812-3456-7890` and `+62 812 3456 7890` are both stored as `081234567890`.
    pub phone: String,
    /// A checkbox.
    pub disability: bool,
    /// Optional: `anak`, `pemuda`, `dewasa` or `lansia`.
    pub age_group: String,
}

/// A form that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFields {
    pub name: String,
    pub gender: Gender,
    pub unsur: String,
    pub rt: Option<u16>,
    pub rw: Option<u16>,
    pub kelurahan_code: Option<String>,
    pub phone: Option<String>,
    pub disability: bool,
    pub age_group: Option<AgeGroup>,
}

impl PersonForm {
    /// Parses every field, collecting one error per refused field.
    /// `kelurahan_exists` answers whether a Kemendagri code is known.
    pub fn parse(&self, kelurahan_exists: impl FnOnce(&str) -> bool) -> Result<PersonFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut note = |field: &str, code: FieldCode| errors.push(FieldError::new(field, code));

        let name = required_text(&self.name, NAME_MAX_CHARS).map_err(|code| note("name", code)).ok();
        let gender = match self.gender.trim() {
            "" => {
                note("gender", FieldCode::Required);
                None
            }
            raw => Gender::parse(raw).or_else(|| {
                note("gender", FieldCode::GenderUnknown);
                None
            }),
        };
        let unsur =
            required_text(&self.unsur, UNSUR_MAX_CHARS).map(canonical_unsur).map_err(|code| note("unsur", code)).ok();
        let rt = optional_area_number(&self.rt, RT_MAX, FieldCode::RtOutOfRange).map_err(|code| note("rt", code)).ok();
        let rw = optional_area_number(&self.rw, RW_MAX, FieldCode::RwOutOfRange).map_err(|code| note("rw", code)).ok();
        let kelurahan_code = match self.kelurahan_code.trim() {
            "" => Some(None),
            code if kelurahan_exists(code) => Some(Some(code.to_owned())),
            _ => {
                note("kelurahan_code", FieldCode::KelurahanUnknown);
                None
            }
        };
        let phone = parse_phone(&self.phone).map_err(|code| note("phone", code)).ok();
        let age_group = match self.age_group.trim() {
            "" => Some(None),
            raw => AgeGroup::parse(raw).map(Some).or_else(|| {
                note("age_group", FieldCode::AgeGroupUnknown);
                None
            }),
        };

        match (name, gender, unsur, rt, rw, kelurahan_code, phone, age_group) {
            (
                Some(name),
                Some(gender),
                Some(unsur),
                Some(rt),
                Some(rw),
                Some(kelurahan_code),
                Some(phone),
                Some(age_group),
            ) if errors.is_empty() => Ok(PersonFields {
                name,
                gender,
                unsur,
                rt,
                rw,
                kelurahan_code,
                phone,
                disability: self.disability,
                age_group,
            }),
            _ => Err(errors),
        }
    }
}

/// "rt" and "Karang taruna" are the listed unsur "RT" and "Karang Taruna":
/// one spelling each keeps the live counts per unsur from splitting.
fn canonical_unsur(unsur: String) -> String {
    DEFAULT_UNSUR.iter().find(|listed| listed.eq_ignore_ascii_case(&unsur)).map_or(unsur, |listed| (*listed).to_owned())
}

/// An optional Indonesian phone number in its national form (`08...`).
/// Spaces, dashes, dots and brackets are dropped; `+62` or `62` becomes `0`.
fn parse_phone(raw: &str) -> Result<Option<String>, FieldCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let (international, rest) = match raw.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(FieldCode::PhoneInvalid),
        }
    }
    let national = if let Some(subscriber) = digits.strip_prefix("62") {
        format!("0{subscriber}")
    } else if international || !digits.starts_with('0') {
        return Err(FieldCode::PhoneInvalid);
    } else {
        digits
    };
    if !(PHONE_DIGITS_MIN..=PHONE_DIGITS_MAX).contains(&national.len()) {
        return Err(FieldCode::PhoneLength);
    }
    Ok(Some(national))
}

/// A resident in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub gender: Gender,
    pub unsur: String,
    pub rt: Option<u16>,
    pub rw: Option<u16>,
    pub kelurahan_code: Option<String>,
    /// National form, digits only: `081234567890`.
    pub phone: Option<String>,
    pub disability: bool,
    pub age_group: Option<AgeGroup>,
    /// UTC, RFC 3339.
    pub created_at: String,
    /// UTC, RFC 3339.
    pub updated_at: String,
}

impl Person {
    /// The form that would save this person unchanged; the edit row starts from it.
    pub fn to_form(&self) -> PersonForm {
        let number = |value: Option<u16>| value.map(|n| n.to_string()).unwrap_or_default();
        PersonForm {
            name: self.name.clone(),
            gender: self.gender.as_str().to_owned(),
            unsur: self.unsur.clone(),
            rt: number(self.rt),
            rw: number(self.rw),
            kelurahan_code: self.kelurahan_code.clone().unwrap_or_default(),
            phone: self.phone.clone().unwrap_or_default(),
            disability: self.disability,
            age_group: self.age_group.map(|group| group.as_str().to_owned()).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good_form() -> PersonForm {
        PersonForm {
            name: "  Siti Rahmawati ".into(),
            gender: "P".into(),
            unsur: "pkk".into(),
            rt: "03".into(),
            rw: "5".into(),
            kelurahan_code: "32.77.01.1001".into(),
            phone: "0812-3456-7890".into(),
            disability: false,
            age_group: "dewasa".into(),
        }
    }

    fn parse(form: &PersonForm) -> Result<PersonFields, Vec<FieldError>> {
        form.parse(|code| code == "32.77.01.1001")
    }

    fn codes(form: &PersonForm) -> Vec<(String, FieldCode)> {
        parse(form).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_good_form_parses_with_canonical_unsur_and_phone() {
        let fields = parse(&good_form()).unwrap();
        assert_eq!(fields.name, "Siti Rahmawati");
        assert_eq!(fields.gender, Gender::Female);
        assert_eq!(fields.unsur, "PKK");
        assert_eq!((fields.rt, fields.rw), (Some(3), Some(5)));
        assert_eq!(fields.phone.as_deref(), Some("081234567890"));
        assert_eq!(fields.age_group, Some(AgeGroup::Dewasa));
        let typed = PersonForm { unsur: "tokoh MASYARAKAT".into(), ..good_form() };
        assert_eq!(parse(&typed).unwrap().unsur, "Tokoh Masyarakat", "a listed unsur as the list writes it");
    }

    #[test]
    fn the_default_unsur_are_in_title_case() {
        for unsur in DEFAULT_UNSUR {
            for word in unsur.split(' ') {
                assert!(word.starts_with(|c: char| c.is_uppercase()), "{unsur:?} is not in Title Case");
            }
        }
    }

    #[test]
    fn only_name_gender_and_unsur_are_required() {
        let form =
            PersonForm { name: "Ujang".into(), gender: "l".into(), unsur: "Warga Baru".into(), ..Default::default() };
        let fields = parse(&form).unwrap();
        assert_eq!(fields.gender, Gender::Male);
        assert_eq!(fields.unsur, "Warga Baru", "an unsur outside the list is kept as typed");
        assert_eq!(
            (fields.rt, fields.rw, fields.kelurahan_code, fields.phone, fields.age_group),
            (None, None, None, None, None)
        );
        assert_eq!(
            codes(&PersonForm::default()),
            [("name", FieldCode::Required), ("gender", FieldCode::Required), ("unsur", FieldCode::Required)]
                .map(|(f, c)| (f.to_owned(), c.to_owned()))
        );
    }

    #[test]
    fn phone_numbers_are_normalised_to_the_national_form() {
        for (raw, stored) in [
            ("+62 812 3456 7890", "081234567890"),
            ("62-812-3456-7890", "081234567890"),
            ("(022) 665.4321", "0226654321"),
            ("0812345678901", "0812345678901"),
        ] {
            let form = PersonForm { phone: raw.into(), ..good_form() };
            assert_eq!(parse(&form).unwrap().phone.as_deref(), Some(stored), "{raw}");
        }
        for (raw, code) in [
            ("0812-ABCD-7890", FieldCode::PhoneInvalid),
            ("812345678", FieldCode::PhoneInvalid),
            ("+1 202 555 0100", FieldCode::PhoneInvalid),
            ("0812", FieldCode::PhoneLength),
            ("08123456789012", FieldCode::PhoneLength),
        ] {
            let form = PersonForm { phone: raw.into(), ..good_form() };
            assert_eq!(codes(&form), [("phone".to_owned(), code.to_owned())], "{raw}");
        }
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let form = PersonForm {
            name: "x".repeat(NAME_MAX_CHARS + 1),
            gender: "W".into(),
            unsur: "u".repeat(UNSUR_MAX_CHARS + 1),
            rt: "0".into(),
            rw: "lima".into(),
            kelurahan_code: "32.77.09.9999".into(),
            age_group: "remaja".into(),
            ..good_form()
        };
        assert_eq!(
            codes(&form),
            [
                ("name", FieldCode::TooLong),
                ("gender", FieldCode::GenderUnknown),
                ("unsur", FieldCode::TooLong),
                ("rt", FieldCode::RtOutOfRange),
                ("rw", FieldCode::NumberInvalid),
                ("kelurahan_code", FieldCode::KelurahanUnknown),
                ("age_group", FieldCode::AgeGroupUnknown),
            ]
            .map(|(f, c)| (f.to_owned(), c.to_owned()))
        );
    }

    #[test]
    fn a_person_round_trips_through_its_form() {
        let fields = parse(&good_form()).unwrap();
        let person = Person {
            id: "p".into(),
            name: fields.name,
            gender: fields.gender,
            unsur: fields.unsur,
            rt: fields.rt,
            rw: fields.rw,
            kelurahan_code: fields.kelurahan_code,
            phone: fields.phone,
            disability: true,
            age_group: fields.age_group,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let again = parse(&person.to_form()).unwrap();
        assert_eq!(
            (again.name.as_str(), again.unsur.as_str(), again.rt, again.disability),
            ("Siti Rahmawati", "PKK", Some(3), true)
        );
    }
}
