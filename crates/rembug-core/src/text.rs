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

/// Trims and bounds a text of several lines (minutes, a problem described at
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

#[cfg(test)]
mod tests {
    use super::*;

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
