//! Enrollment codes: short enough to read over the phone (`7KQ2-M9XD-4HTP`),
//! in Crockford's base 32 so the letters people confuse (O/0, I/L/1) mean the
//! same, with 60 random bits, which with the office's rate limit on guesses
//! leaves nothing to guess.

use std::fmt;

/// Crockford's base 32: no I, L, O or U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const CODE_CHARS: usize = 12;
const GROUP: usize = 4;

/// An enrollment code, normalised: 12 characters of [`ALPHABET`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnrollmentCode(String);

impl EnrollmentCode {
    /// A new random code.
    pub fn generate() -> EnrollmentCode {
        let mut bytes = [0u8; CODE_CHARS];
        getrandom::fill(&mut bytes).expect("the OS random source is available");
        EnrollmentCode(bytes.iter().map(|byte| ALPHABET[usize::from(byte % 32)] as char).collect())
    }

    /// A code as a person typed it: any case, with or without dashes and
    /// spaces, O read as 0 and I or L as 1. `None` if it cannot be a code.
    pub fn parse(text: &str) -> Option<EnrollmentCode> {
        let mut code = String::with_capacity(CODE_CHARS);
        for char in text.chars().filter(|char| !matches!(char, '-' | ' ')) {
            let char = match char.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !char.is_ascii() || !ALPHABET.contains(&(char as u8)) || code.len() == CODE_CHARS {
                return None;
            }
            code.push(char);
        }
        (code.len() == CODE_CHARS).then_some(EnrollmentCode(code))
    }

    /// Without dashes: what is stored and signed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EnrollmentCode {
    /// Grouped for reading aloud: `7KQ2-M9XD-4HTP`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<&str> = (0..CODE_CHARS).step_by(GROUP).map(|start| &self.0[start..start + GROUP]).collect();
        f.write_str(&groups.join("-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_code_reads_back_as_itself() {
        let code = EnrollmentCode::generate();
        let shown = code.to_string();
        assert_eq!(shown.len(), 14);
        assert_eq!(shown.matches('-').count(), 2);
        assert_eq!(EnrollmentCode::parse(&shown), Some(code.clone()));
        assert_eq!(EnrollmentCode::parse(&shown.to_lowercase()), Some(code));
        assert_ne!(EnrollmentCode::generate(), EnrollmentCode::generate());
    }

    #[test]
    fn confusable_letters_and_spacing_are_forgiven() {
        let code = EnrollmentCode::parse("7KQ2-M9XD-4HTP").unwrap();
        assert_eq!(code.as_str(), "7KQ2M9XD4HTP");
        assert_eq!(EnrollmentCode::parse(" 7kq2 m9xd 4htp "), Some(code));
        assert_eq!(EnrollmentCode::parse("O1IL-0000-0000").unwrap().as_str(), "011100000000");
    }

    #[test]
    fn anything_else_is_not_a_code() {
        for text in ["", "7KQ2-M9XD-4HT", "7KQ2-M9XD-4HTPX", "7KQ2-M9XD-4HTU", "7KQ2-M9XD-4HT!", "7KQ2-M9XD-4HTÉ"] {
            assert_eq!(EnrollmentCode::parse(text), None, "{text}");
        }
    }
}
