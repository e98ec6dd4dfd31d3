//! Checks shared by every free-text field a person types.

use crate::error::FieldCode;

/// Trims and bounds a required text; answers an error code when refused.
pub fn required_text(raw: &str, max_chars: usize) -> Result<String, FieldCode> {
    match optional_text(raw, max_chars)? {
        Some(text) => Ok(text),
        None => Err(FieldCode::Required),
    }
}

/// Trims and bounds an optional text; empty means absent.
pub fn optional_text(raw: &str, max_chars: usize) -> Result<Option<String>, FieldCode> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max_chars {
        return Err(FieldCode::TooLong);
    }
    // Control characters have no place in a name or a place and break printed
    // documents and CSV exports.
    if text.chars().any(char::is_control) {
        return Err(FieldCode::TextInvalid);
    }
    Ok(Some(text.to_owned()))
}

/// Trims and bounds a text of several lines (notulen, a problem described at
/// length): line breaks and tabs are kept, Windows line ends become `\n`, any
/// other control character is refused. Empty is an empty string.
pub fn multiline_text(raw: &str, max_chars: usize) -> Result<String, FieldCode> {
    let text = raw.trim().replace("\r\n", "\n").replace('\r', "\n");
    if text.chars().count() > max_chars {
        return Err(FieldCode::TooLong);
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldCode::TextInvalid);
    }
    Ok(text)
}

/// An optional RT or RW number as typed; leading zeros ("RT 03") are common.
pub fn optional_area_number(raw: &str, max: u16, out_of_range: FieldCode) -> Result<Option<u16>, FieldCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let number = raw.parse::<u32>().map_err(|_| FieldCode::NumberInvalid)?;
    area_number(number, max, out_of_range).map(Some)
}

/// An RT or RW number: 1 to `max`.
pub fn area_number(number: u32, max: u16, out_of_range: FieldCode) -> Result<u16, FieldCode> {
    u16::try_from(number).ok().filter(|number| (1..=max).contains(number)).ok_or(out_of_range)
}

/// The digits an RT or RW number is written with, on screen and on paper:
/// "RW 08", "RT 04" (the UI reads it from its bindings).
pub const AREA_NUMBER_DIGITS: usize = 2;

/// An RT or RW number as it is written everywhere: 8 → "08", 112 → "112".
pub fn area_number_text(number: u16) -> String {
    format!("{number:0AREA_NUMBER_DIGITS$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_numbers_are_written_with_two_digits_at_least() {
        assert_eq!(area_number_text(8), "08");
        assert_eq!(area_number_text(12), "12");
        assert_eq!(area_number_text(112), "112");
    }

    #[test]
    fn area_numbers_run_from_one_to_their_maximum() {
        assert_eq!(optional_area_number(" 03 ", 999, FieldCode::RtOutOfRange), Ok(Some(3)));
        assert_eq!(optional_area_number("", 999, FieldCode::RtOutOfRange), Ok(None));
        assert_eq!(optional_area_number("0", 999, FieldCode::RtOutOfRange), Err(FieldCode::RtOutOfRange));
        assert_eq!(optional_area_number("1000", 999, FieldCode::RwOutOfRange), Err(FieldCode::RwOutOfRange));
        assert_eq!(optional_area_number("99999999999", 999, FieldCode::RwOutOfRange), Err(FieldCode::NumberInvalid));
        assert_eq!(optional_area_number("tiga", 999, FieldCode::RtOutOfRange), Err(FieldCode::NumberInvalid));
        assert_eq!(area_number(70_000, 999, FieldCode::RtOutOfRange), Err(FieldCode::RtOutOfRange));
    }

    #[test]
    fn trims_bounds_and_refuses_control_characters() {
        assert_eq!(required_text("  Balai RW  ", 20), Ok("Balai RW".to_owned()));
        assert_eq!(required_text("   ", 20), Err(FieldCode::Required));
        assert_eq!(required_text("abcdef", 5), Err(FieldCode::TooLong));
        // Counted in characters, not bytes: "é" is two bytes.
        assert_eq!(required_text("ééééé", 5), Ok("ééééé".to_owned()));
        assert_eq!(required_text("a\u{0}b", 5), Err(FieldCode::TextInvalid));
        assert_eq!(optional_text("", 5), Ok(None));
    }

    #[test]
    fn multiline_text_keeps_line_breaks_and_refuses_other_controls() {
        assert_eq!(multiline_text(" a\r\nb\n\tc\r ", 10), Ok("a\nb\n\tc".to_owned()));
        assert_eq!(multiline_text("   ", 10), Ok(String::new()));
        assert_eq!(multiline_text("a\u{7}b", 10), Err(FieldCode::TextInvalid));
        assert_eq!(multiline_text("abcdef", 5), Err(FieldCode::TooLong));
    }
}
