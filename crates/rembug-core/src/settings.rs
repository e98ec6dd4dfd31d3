//! What differs by city and by year: stage names, ranking criteria, the
//! women's participation target, the unsur list, delegates, and the language.
//! Kota Cimahi's customs are the defaults.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::attendance::{DEFAULT_DELEGATES_MAX, DEFAULT_DELEGATES_MIN};
use crate::calendar::DEFAULT_TWO_YEARS_AHEAD_FROM_MONTH;
use crate::error::{FieldCode, FieldError};
use crate::kop::KopSettings;
use crate::people::{DEFAULT_UNSUR, UNSUR_MAX_CHARS};
use crate::ranking::{CriterionForm, DEFAULT_CRITERIA, parse_criteria};
use crate::signatories::SignatorySettings;
use crate::string_enum::string_enum;
use crate::text::optional_text;

/// The language of the interface. Indonesian unless the user chose otherwise.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Language {
    #[default]
    Id,
    En,
}

string_enum!(Language);

pub const DEFAULT_WOMEN_TARGET_PERCENT: u8 = 30;
/// Kota Cimahi's Kemendagri code.
pub const DEFAULT_KOTA_CODE: &str = "32.77";
const STAGE_NAME_MAX_CHARS: usize = 80;
const UNSUR_MAX_COUNT: usize = 30;
/// The most delegates a meeting may be asked for, and may send in a bundle.
pub const DELEGATES_LIMIT: usize = 20;

/// A ranking criterion and its weight, as the settings keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CriterionSetting {
    pub name: String,
    pub weight: u32,
}

/// The city's own names for the stages; empty means the app's usual name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StageNames {
    pub rembug_warga: Option<String>,
    pub musrenbang_kelurahan: Option<String>,
}

/// The recording settings of this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordingSettings {
    pub stage_names: StageNames,
    /// Criteria a new meeting starts with.
    pub criteria: Vec<CriterionSetting>,
    /// The share of women the attendance should reach, in percent.
    pub women_target_percent: u8,
    pub unsur: Vec<String>,
    pub default_kota_code: String,
    pub delegates_min: u8,
    pub delegates_max: u8,
    /// Keep a photo's original file beside its downscaled copy.
    pub keep_original_photos: bool,
    /// From this month (1–12) on, a new meeting plans the budget of two
    /// years later (`calendar.rs`).
    #[serde(default = "default_two_years_ahead_from_month")]
    pub two_years_ahead_from_month: u8,
}

fn default_two_years_ahead_from_month() -> u8 {
    DEFAULT_TWO_YEARS_AHEAD_FROM_MONTH
}

impl Default for RecordingSettings {
    fn default() -> Self {
        RecordingSettings {
            stage_names: StageNames::default(),
            criteria: DEFAULT_CRITERIA
                .iter()
                .map(|(name, weight)| CriterionSetting { name: (*name).to_owned(), weight: *weight })
                .collect(),
            women_target_percent: DEFAULT_WOMEN_TARGET_PERCENT,
            unsur: DEFAULT_UNSUR.iter().map(|u| (*u).to_owned()).collect(),
            default_kota_code: DEFAULT_KOTA_CODE.to_owned(),
            delegates_min: DEFAULT_DELEGATES_MIN as u8,
            delegates_max: DEFAULT_DELEGATES_MAX as u8,
            keep_original_photos: false,
            two_years_ahead_from_month: DEFAULT_TWO_YEARS_AHEAD_FROM_MONTH,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Settings {
    pub language: Language,
    pub recording: RecordingSettings,
    pub kop: KopSettings,
    /// Who signs each stage's papers, in order.
    pub signatories: SignatorySettings,
}

/// The settings screen as typed, unparsed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordingSettingsForm {
    pub rembug_warga_name: String,
    pub musrenbang_kelurahan_name: String,
    pub criteria: Vec<CriterionForm>,
    pub women_target_percent: String,
    /// One unsur per entry; blank entries are dropped.
    pub unsur: Vec<String>,
    pub default_kota_code: String,
    pub delegates_min: String,
    pub delegates_max: String,
    pub keep_original_photos: bool,
    pub two_years_ahead_from_month: String,
}

impl RecordingSettings {
    pub fn to_form(&self) -> RecordingSettingsForm {
        RecordingSettingsForm {
            rembug_warga_name: self.stage_names.rembug_warga.clone().unwrap_or_default(),
            musrenbang_kelurahan_name: self.stage_names.musrenbang_kelurahan.clone().unwrap_or_default(),
            criteria: self
                .criteria
                .iter()
                .map(|c| CriterionForm { name: c.name.clone(), weight: c.weight.to_string() })
                .collect(),
            women_target_percent: self.women_target_percent.to_string(),
            unsur: self.unsur.clone(),
            default_kota_code: self.default_kota_code.clone(),
            delegates_min: self.delegates_min.to_string(),
            delegates_max: self.delegates_max.to_string(),
            keep_original_photos: self.keep_original_photos,
            two_years_ahead_from_month: self.two_years_ahead_from_month.to_string(),
        }
    }
}

impl RecordingSettingsForm {
    pub fn parse(&self) -> Result<RecordingSettings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut note = |field: &str, code: FieldCode| errors.push(FieldError::new(field, code));

        let mut stage_name = |raw: &str, field: &str| {
            optional_text(raw, STAGE_NAME_MAX_CHARS).map_err(|code| note(field, code)).ok().flatten()
        };
        let stage_names = StageNames {
            rembug_warga: stage_name(&self.rembug_warga_name, "rembug_warga_name"),
            musrenbang_kelurahan: stage_name(&self.musrenbang_kelurahan_name, "musrenbang_kelurahan_name"),
        };

        let criteria = match parse_criteria(&self.criteria) {
            Ok(parsed) => parsed.into_iter().map(|c| CriterionSetting { name: c.name, weight: c.weight }).collect(),
            Err(criteria_errors) => {
                errors.extend(criteria_errors);
                Vec::new()
            }
        };
        let mut note = |field: &str, code: FieldCode| errors.push(FieldError::new(field, code));

        let women_target_percent = parse_bounded(&self.women_target_percent, 0, 100)
            .map_err(|code| note("women_target_percent", code))
            .unwrap_or_default() as u8;

        let mut unsur: Vec<String> = Vec::new();
        for (index, raw) in self.unsur.iter().enumerate() {
            match optional_text(raw, UNSUR_MAX_CHARS) {
                Ok(Some(name)) if unsur.iter().any(|u| u.eq_ignore_ascii_case(&name)) => {
                    note(&format!("unsur.{index}"), FieldCode::UnsurDuplicate)
                }
                Ok(Some(name)) => unsur.push(name),
                Ok(None) => {}
                Err(code) => note(&format!("unsur.{index}"), code),
            }
        }
        if unsur.is_empty() || unsur.len() > UNSUR_MAX_COUNT {
            note("unsur", FieldCode::UnsurCountInvalid);
        }

        let default_kota_code = self.default_kota_code.trim().to_owned();
        let is_kota_code = default_kota_code.len() == 5
            && default_kota_code.as_bytes()[2] == b'.'
            && default_kota_code.bytes().enumerate().all(|(i, b)| i == 2 || b.is_ascii_digit());
        if !is_kota_code {
            note("default_kota_code", FieldCode::KotaCodeInvalid);
        }

        let delegates_min =
            parse_bounded(&self.delegates_min, 1, DELEGATES_LIMIT as u32).map_err(|code| note("delegates_min", code));
        let delegates_max =
            parse_bounded(&self.delegates_max, 1, DELEGATES_LIMIT as u32).map_err(|code| note("delegates_max", code));
        if let (Ok(min), Ok(max)) = (delegates_min, delegates_max)
            && min > max
        {
            note("delegates_max", FieldCode::DelegatesRangeInvalid);
        }

        let two_years_ahead_from_month = parse_bounded(&self.two_years_ahead_from_month, 1, 12)
            .map_err(|code| note("two_years_ahead_from_month", code))
            .unwrap_or_default() as u8;

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(RecordingSettings {
            stage_names,
            criteria,
            women_target_percent,
            unsur,
            default_kota_code,
            delegates_min: delegates_min.unwrap_or_default() as u8,
            delegates_max: delegates_max.unwrap_or_default() as u8,
            keep_original_photos: self.keep_original_photos,
            two_years_ahead_from_month,
        })
    }
}

fn parse_bounded(raw: &str, min: u32, max: u32) -> Result<u32, FieldCode> {
    match raw.trim().parse::<u32>() {
        Ok(value) if (min..=max).contains(&value) => Ok(value),
        Ok(_) => Err(FieldCode::NumberOutOfRange),
        Err(_) if raw.trim().is_empty() => Err(FieldCode::Required),
        Err(_) => Err(FieldCode::NumberInvalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(form: &RecordingSettingsForm) -> Vec<(String, FieldCode)> {
        form.parse().unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn the_defaults_round_trip_through_the_form() {
        let defaults = RecordingSettings::default();
        assert_eq!(defaults.women_target_percent, 30);
        assert_eq!(defaults.criteria.iter().map(|c| c.weight).sum::<u32>(), 100);
        assert_eq!(defaults.to_form().parse(), Ok(defaults));
    }

    #[test]
    fn bad_values_are_refused_field_by_field() {
        let form = RecordingSettingsForm {
            women_target_percent: "130".into(),
            unsur: vec!["PKK".into(), "pkk".into()],
            default_kota_code: "3277".into(),
            delegates_min: "5".into(),
            delegates_max: "3".into(),
            two_years_ahead_from_month: "13".into(),
            ..RecordingSettings::default().to_form()
        };
        assert_eq!(
            fields(&form),
            [
                ("women_target_percent".to_owned(), FieldCode::NumberOutOfRange.to_owned()),
                ("unsur.1".to_owned(), FieldCode::UnsurDuplicate.to_owned()),
                ("default_kota_code".to_owned(), FieldCode::KotaCodeInvalid.to_owned()),
                ("delegates_max".to_owned(), FieldCode::DelegatesRangeInvalid.to_owned()),
                ("two_years_ahead_from_month".to_owned(), FieldCode::NumberOutOfRange.to_owned()),
            ]
        );
        let no_criteria = RecordingSettingsForm { criteria: vec![], ..RecordingSettings::default().to_form() };
        assert_eq!(fields(&no_criteria), [("criteria".to_owned(), FieldCode::CriteriaCountInvalid.to_owned())]);
    }

    #[test]
    fn settings_stored_before_the_planning_calendar_keep_every_value_and_get_july() {
        let mut old =
            serde_json::to_value(RecordingSettings { women_target_percent: 40, ..Default::default() }).unwrap();
        old.as_object_mut().unwrap().remove("two_years_ahead_from_month");
        let read: RecordingSettings = serde_json::from_value(old).unwrap();
        assert_eq!((read.women_target_percent, read.two_years_ahead_from_month), (40, 7));
    }

    #[test]
    fn city_stage_names_are_kept_and_blank_means_the_usual_name() {
        let form = RecordingSettingsForm {
            rembug_warga_name: "Rembuk RW".into(),
            musrenbang_kelurahan_name: "  ".into(),
            ..RecordingSettings::default().to_form()
        };
        let parsed = form.parse().unwrap();
        assert_eq!(parsed.stage_names.rembug_warga.as_deref(), Some("Rembuk RW"));
        assert_eq!(parsed.stage_names.musrenbang_kelurahan, None);
    }
}
