//! The kop (letterhead) of printed documents as the city wants it: the first
//! line ("PEMERINTAH KOTA CIMAHI") and an address line below the wilayah
//! lines. Unset, documents print the government line from the wilayah and no
//! address.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;
use crate::text::optional_text;

/// A kop line fits one line of A4 in the kop's type size.
const KOP_LINE_MAX_CHARS: usize = 90;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KopSettings {
    /// Replaces "PEMERINTAH KOTA <kota>", printed as typed.
    pub government: Option<String>,
    /// The office's address, telephone or e-mail, under the wilayah lines.
    pub address: Option<String>,
}

/// The kop section of the settings screen as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KopSettingsForm {
    pub government: String,
    pub address: String,
}

impl KopSettings {
    pub fn to_form(&self) -> KopSettingsForm {
        KopSettingsForm {
            government: self.government.clone().unwrap_or_default(),
            address: self.address.clone().unwrap_or_default(),
        }
    }
}

impl KopSettingsForm {
    /// Blank lines mean "as the wilayah says"; field errors on `government`
    /// and `address` (`too_long`, `text_invalid`).
    pub fn parse(&self) -> Result<KopSettings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut line = |raw: &str, field: &str| {
            optional_text(raw, KOP_LINE_MAX_CHARS)
                .map_err(|code| errors.push(FieldError::new(field, code)))
                .ok()
                .flatten()
        };
        let kop =
            KopSettings { government: line(&self.government, "government"), address: line(&self.address, "address") };
        if errors.is_empty() { Ok(kop) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldCode;

    #[test]
    fn blank_lines_are_unset_and_long_or_broken_lines_are_refused() {
        let form = KopSettingsForm { government: "  PEMERINTAH KOTA CIMAHI  ".into(), address: " ".into() };
        let kop = form.parse().unwrap();
        assert_eq!(kop.government.as_deref(), Some("PEMERINTAH KOTA CIMAHI"));
        assert_eq!(kop.address, None);
        assert_eq!(kop.to_form().government, "PEMERINTAH KOTA CIMAHI");

        let refused = KopSettingsForm { government: "x".repeat(91), address: "Jl. Demang\u{7}".into() }.parse();
        let codes: Vec<(String, FieldCode)> =
            refused.unwrap_err().into_iter().map(|error| (error.field, error.code)).collect();
        assert_eq!(
            codes,
            [
                ("government".to_owned(), FieldCode::TooLong.to_owned()),
                ("address".to_owned(), FieldCode::TextInvalid.to_owned())
            ]
        );
    }
}
