//! Lower-case hex, the one way Rembug writes bytes as text: attachment and
//! bundle SHA-256s, device ids, key files.

use sha2::{Digest, Sha256};

pub fn encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Exactly 64 lower- or upper-case hex digits.
pub fn decode32(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(bytes)
}

/// The SHA-256 of `bytes` as [`is_sha256_hex`] accepts it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    encode(&Sha256::digest(bytes))
}

/// A SHA-256 as Rembug writes one: 64 lower-case hex digits, so a name that
/// passes can never point outside a folder.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_through_lower_case_hex() {
        let bytes: [u8; 32] = std::array::from_fn(|i| (i * 37 % 256) as u8);
        let text = encode(&bytes);
        assert_eq!(&text[..6], "00254a");
        assert_eq!(decode32(&text), Some(bytes));
        assert_eq!(decode32(&text.to_uppercase()), Some(bytes));
        assert_eq!(decode32(&text[..62]), None);
        assert_eq!(decode32(&format!("{}zz", &text[..62])), None);
    }

    #[test]
    fn only_lower_case_sha256_names_pass() {
        let name = sha256_hex(b"abc");
        assert_eq!(name, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(is_sha256_hex(&name));
        assert!(!is_sha256_hex(&name.to_uppercase()));
        assert!(!is_sha256_hex(&name[1..]));
        assert!(!is_sha256_hex(&format!("../{}", &name[3..])));
    }
}
