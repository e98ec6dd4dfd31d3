//! What became of delivered meetings: the city office's review of each
//! locked revision and the outcome of each usulan, as the office answers them
//! on every sync (`trust::Answers`, checked with the office key before it is
//! kept), and the outcomes the cadre records by hand where no office answers
//! (`store/answers.rs`, migration 0010). Both live beside the locked record,
//! never in it: a locked meeting's rows and its bundle stay as they were.
//!
//! An office outcome wins over a hand one for the same usulan: the hand one
//! is kept, and shown again only if the office's answers stop naming it.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::string_enum::string_enum;
use crate::tanggal::DateText;
use crate::text::required_text;

/// The office's review of a delivered meeting revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ReviewState {
    /// Received, not reviewed yet.
    Diterima,
    /// Staff ask for a correction (with a note): a new revision.
    PerluPerbaikan,
    Disetujui,
    /// Refused, with a reason.
    Ditolak,
}

string_enum!(ReviewState);

/// What the plan did with an usulan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OutcomeKind {
    /// Taken in, by a program or OPD (the detail).
    Diakomodir,
    /// Not taken in, for a reason (the detail).
    TidakDiakomodir,
    /// Sent to another channel, e.g. a kelurahan fund (the detail).
    Dialihkan,
}

string_enum!(OutcomeKind);

/// Who said what became of an usulan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OutcomeSource {
    Office,
    /// Recorded by the cadre on this laptop.
    Hand,
}

string_enum!(OutcomeSource);

/// The office's review of one meeting revision, as last answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MeetingReview {
    pub meeting_id: String,
    pub state: ReviewState,
    pub note: Option<String>,
    /// When the office issued the answers it came in (its clock, UTC).
    pub answered_at: String,
    /// `answered_at` in the meeting's zone, as the window writes it.
    pub answered_at_text: DateText,
}

/// What became of one usulan: the office's outcome, else the cadre's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UsulanOutcome {
    pub usulan_id: String,
    pub outcome: OutcomeKind,
    pub detail: String,
    pub source: OutcomeSource,
}

/// The longest outcome detail (a program name, a reason) the cadre types.
pub const DETAIL_MAX_CHARS: usize = 500;

/// What the cadre typed to record an outcome by hand, unparsed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutcomeForm {
    /// `diakomodir`, `tidak_diakomodir` or `dialihkan`.
    pub outcome: String,
    /// The program or OPD, the reason, or the other channel.
    pub detail: String,
}

impl OutcomeForm {
    pub fn parse(&self) -> Result<(OutcomeKind, String)> {
        let outcome = OutcomeKind::parse(&self.outcome);
        let detail = required_text(&self.detail, DETAIL_MAX_CHARS);
        let mut errors = Vec::new();
        if outcome.is_none() {
            errors.push(FieldError::new("outcome", FieldCode::Required));
        }
        if let Err(code) = &detail {
            errors.push(FieldError::new("detail", *code));
        }
        match (outcome, detail) {
            (Some(outcome), Ok(detail)) => Ok((outcome, detail)),
            _ => Err(CoreError::Validation(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outcome_needs_its_kind_and_detail() {
        let form = OutcomeForm { outcome: "dialihkan".into(), detail: "  Dana kelurahan ".into() };
        assert_eq!(form.parse().unwrap(), (OutcomeKind::Dialihkan, "Dana kelurahan".into()));
        let CoreError::Validation(errors) = OutcomeForm::default().parse().unwrap_err() else { panic!() };
        let fields: Vec<_> = errors.iter().map(|error| (error.field.as_str(), error.code)).collect();
        assert_eq!(fields, [("outcome", FieldCode::Required), ("detail", FieldCode::Required)]);
    }
}
