//! Notulen: the meeting's agenda, each item with its discussion and decisions.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FieldCode, FieldError};
use crate::text::{multiline_text, required_text};

pub const AGENDA_TITLE_MAX_CHARS: usize = 200;
/// Room for an hour of notes on one item, while keeping every autosave small.
pub const AGENDA_TEXT_MAX_CHARS: usize = 20_000;

/// One item of the agenda as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgendaItem {
    pub id: String,
    pub meeting_id: String,
    /// 1 for the first item; contiguous.
    pub position: u32,
    pub title: String,
    pub discussion: String,
    pub decisions: String,
    /// UTC, RFC 3339.
    pub updated_at: String,
}

/// What the notulis typed in an agenda item, unparsed. The UI sends it a
/// moment after typing stops; texts are trimmed when stored, so the UI keeps
/// showing what is being typed rather than the stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgendaItemForm {
    pub title: String,
    pub discussion: String,
    pub decisions: String,
}

/// An agenda item's texts that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItemFields {
    pub title: String,
    pub discussion: String,
    pub decisions: String,
}

impl AgendaItemForm {
    pub fn parse(&self) -> Result<AgendaItemFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = parse_agenda_title(&self.title).map_err(|code| errors.push(FieldError::new("title", code)));
        let discussion = multiline_text(&self.discussion, AGENDA_TEXT_MAX_CHARS)
            .map_err(|code| errors.push(FieldError::new("discussion", code)));
        let decisions = multiline_text(&self.decisions, AGENDA_TEXT_MAX_CHARS)
            .map_err(|code| errors.push(FieldError::new("decisions", code)));
        match (title, discussion, decisions) {
            (Ok(title), Ok(discussion), Ok(decisions)) => Ok(AgendaItemFields { title, discussion, decisions }),
            _ => Err(errors),
        }
    }
}

pub fn parse_agenda_title(raw: &str) -> Result<String, FieldCode> {
    required_text(raw, AGENDA_TITLE_MAX_CHARS)
}

impl AgendaItem {
    /// Whether storing `fields` would change this item's texts.
    pub fn differs_from(&self, fields: &AgendaItemFields) -> bool {
        self.title != fields.title || self.discussion != fields.discussion || self.decisions != fields.decisions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded_and_keep_their_lines() {
        let form = AgendaItemForm {
            title: "  Pembukaan ".into(),
            discussion: "Ketua RW membuka rapat.\r\nPeserta 42 orang.\n".into(),
            decisions: String::new(),
        };
        let fields = form.parse().unwrap();
        assert_eq!(fields.title, "Pembukaan");
        assert_eq!(fields.discussion, "Ketua RW membuka rapat.\nPeserta 42 orang.");
        assert_eq!(fields.decisions, "");
    }

    #[test]
    fn every_refused_field_is_reported() {
        let form = AgendaItemForm {
            title: " ".into(),
            discussion: "x".repeat(AGENDA_TEXT_MAX_CHARS + 1),
            decisions: "a\u{0}b".into(),
        };
        let errors = form.parse().unwrap_err();
        assert_eq!(
            errors,
            [
                FieldError::new("title", FieldCode::Required),
                FieldError::new("discussion", FieldCode::TooLong),
                FieldError::new("decisions", FieldCode::TextInvalid),
            ]
        );
    }
}
