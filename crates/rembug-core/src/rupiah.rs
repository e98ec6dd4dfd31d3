//! Money as Indonesians write it: whole Rupiah, dots between thousands
//! ("Rp 12.500.000"), a comma before any decimals, often closed with ",-".

use crate::error::FieldCode;

/// The largest perkiraan biaya accepted: Rp 100 miliar, far beyond any RW
/// usulan, so only a slip of the keyboard is refused.
pub const RUPIAH_MAX: i64 = 100_000_000_000;

/// Parses "12500000", "12.500.000", "Rp 12.500.000", "Rp12.500.000,-" or
/// "12.500.000,00" into whole Rupiah; answers an error code when refused.
pub fn parse_rupiah(raw: &str) -> Result<i64, FieldCode> {
    let mut text = raw.trim();
    if text.is_empty() {
        return Err(FieldCode::Required);
    }
    if let Some(rest) = strip_prefix_ignore_case(text, "rp") {
        text = rest.strip_prefix('.').unwrap_or(rest).trim_start();
    }
    if text.starts_with('-') {
        return Err(FieldCode::AmountNegative);
    }
    let text = text.strip_suffix(",-").unwrap_or(text);
    let (whole, fraction) = match text.split_once(',') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldCode::AmountInvalid);
        }
        if fraction.bytes().any(|b| b != b'0') {
            return Err(FieldCode::AmountNotWhole);
        }
    }
    let digits = match ungroup_thousands(whole) {
        Some(digits) => digits,
        // "12.5" or "12500.50": a decimal point written the English way.
        None if fraction.is_none() && is_english_decimal(whole) => return Err(FieldCode::AmountNotWhole),
        None => return Err(FieldCode::AmountInvalid),
    };
    match digits.parse::<i64>() {
        Ok(amount) if amount <= RUPIAH_MAX => Ok(amount),
        // Only digits are left, so the parse fails only on overflow.
        _ => Err(FieldCode::AmountTooLarge),
    }
}

/// "Rp 12.500.000": how an amount is shown on screen and printed.
pub fn format_rupiah(amount: i64) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}Rp {}", group_thousands(amount.unsigned_abs()))
}

/// "1.250" or "12,5": a volume as screens and papers show it, rounded to
/// hundredths, decimals after a comma, thousands with dots.
pub fn volume_text(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let whole = rounded.trunc();
    let mut text = group_thousands(whole.abs() as u64);
    let hundredths = ((rounded - whole).abs() * 100.0).round() as u64;
    if hundredths > 0 {
        let decimals = format!("{hundredths:02}");
        text.push(',');
        text.push_str(decimals.trim_end_matches('0'));
    }
    text
}

/// "12.500.000": digits grouped by thousands with dots.
pub fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

/// The digits of "12.500.000" or "12500000", or `None` unless the text is
/// plain digits or digits grouped by three with dots ("1.5" and "12.50.000"
/// are not groupings).
pub(crate) fn ungroup_thousands(text: &str) -> Option<String> {
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let mut groups = text.split('.');
    let first = groups.next()?;
    if !all_digits(first) {
        return None;
    }
    let mut digits = first.to_owned();
    let mut grouped = false;
    for group in groups {
        if group.len() != 3 || !all_digits(group) {
            return None;
        }
        grouped = true;
        digits.push_str(group);
    }
    // A leading zero or a first group of more than three digits is no grouping.
    if grouped && (first.len() > 3 || first.starts_with('0')) {
        return None;
    }
    Some(digits)
}

fn is_english_decimal(text: &str) -> bool {
    text.split_once('.').is_some_and(|(whole, fraction)| {
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b.is_ascii_digit())
    })
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_ways_rupiah_are_written() {
        for raw in [
            "12500000",
            "12.500.000",
            "Rp 12.500.000",
            "Rp12.500.000",
            "rp. 12.500.000",
            "Rp 12.500.000,-",
            "12.500.000,00",
            " 12500000 ",
        ] {
            assert_eq!(parse_rupiah(raw), Ok(12_500_000), "{raw:?}");
        }
        assert_eq!(parse_rupiah("0"), Ok(0));
        assert_eq!(parse_rupiah("750.000"), Ok(750_000));
        assert_eq!(parse_rupiah("Rp 100.000.000.000"), Ok(RUPIAH_MAX));
    }

    #[test]
    fn refuses_decimals_negatives_and_nonsense() {
        for (raw, code) in [
            ("", FieldCode::Required),
            ("Rp ", FieldCode::AmountInvalid),
            ("-5000", FieldCode::AmountNegative),
            ("Rp -5.000", FieldCode::AmountNegative),
            ("12.500.000,50", FieldCode::AmountNotWhole),
            ("12500,5", FieldCode::AmountNotWhole),
            ("12.5", FieldCode::AmountNotWhole),
            ("1250.75", FieldCode::AmountNotWhole),
            ("12.50.000", FieldCode::AmountInvalid),
            ("1.2.3", FieldCode::AmountInvalid),
            ("0.500.000", FieldCode::AmountInvalid),
            ("12 juta", FieldCode::AmountInvalid),
            ("1e9", FieldCode::AmountInvalid),
            ("12.500.000,", FieldCode::AmountInvalid),
            ("100.000.000.001", FieldCode::AmountTooLarge),
            ("99999999999999999999999", FieldCode::AmountTooLarge),
        ] {
            assert_eq!(parse_rupiah(raw), Err(code), "{raw:?}");
        }
    }

    #[test]
    fn formats_with_dots_between_thousands() {
        assert_eq!(format_rupiah(12_500_000), "Rp 12.500.000");
        assert_eq!(format_rupiah(0), "Rp 0");
        assert_eq!(format_rupiah(999), "Rp 999");
        assert_eq!(format_rupiah(1_000), "Rp 1.000");
        assert_eq!(format_rupiah(100_000_000_000), "Rp 100.000.000.000");
        assert_eq!(format_rupiah(-25_000), "-Rp 25.000");
    }

    #[test]
    fn volumes_use_a_decimal_comma_and_thousands_dots() {
        assert_eq!(volume_text(1250.0), "1.250");
        assert_eq!(volume_text(12.5), "12,5");
        assert_eq!(volume_text(0.25), "0,25");
        assert_eq!(volume_text(3.0), "3");
        assert_eq!(volume_text(1500.25), "1.500,25");
        assert_eq!(volume_text(1_000_000.0), "1.000.000");
        assert_eq!(volume_text(0.125), "0,13", "rounded to hundredths, as printed");
        assert_eq!(volume_text(2.999), "3");
    }

    #[test]
    fn formatted_amounts_parse_back_to_themselves() {
        for amount in [0, 7, 1_000, 12_500_000, 987_654_321, RUPIAH_MAX] {
            assert_eq!(parse_rupiah(&format_rupiah(amount)), Ok(amount));
        }
    }
}
