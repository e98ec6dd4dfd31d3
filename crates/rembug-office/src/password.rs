//! Admin passwords, stored only as a salted slow hash:
//! PBKDF2-HMAC-SHA256 with 600,000 rounds (OWASP's figure for it), written
//! `pbkdf2-sha256$<rounds>$<salt hex>$<hash hex>` so the rounds can grow.

use rembug_core::hex;
use sha2::Sha256;

const ROUNDS: u32 = 600_000;
const SCHEME: &str = "pbkdf2-sha256";

pub fn hash(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS random source is available");
    hash_with(password, &salt, ROUNDS)
}

fn hash_with(password: &str, salt: &[u8], rounds: u32) -> String {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, rounds, &mut out);
    format!("{SCHEME}${rounds}${}${}", hex::encode(salt), hex::encode(&out))
}

/// Whether `password` is the one `stored` was made from.
pub fn verify(password: &str, stored: &str) -> bool {
    let mut parts = stored.split('$');
    let (Some(SCHEME), Some(rounds), Some(salt), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Ok(rounds), Some(salt)) = (rounds.parse::<u32>(), decode_hex(salt)) else {
        return false;
    };
    // Compared in full, never stopping at the first difference.
    let computed = hash_with(password, &salt, rounds);
    computed.len() == stored.len() && computed.bytes().zip(stored.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// A password for an admin who gave none: 20 characters of Crockford's base
/// 32 (100 bits), read aloud in groups of four.
pub fn generate() -> String {
    let code = format!("{}{}", rembug_sync::EnrollmentCode::generate(), rembug_sync::EnrollmentCode::generate());
    code.replace('-', "")
        .as_bytes()
        .chunks(4)
        .take(5)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash_with("kata sandi", b"garam-garam-1234", 1_000);
        assert!(verify("kata sandi", &stored));
        assert!(!verify("kata sandj", &stored));
        assert!(!verify("kata sandi", &stored.replace("pbkdf2", "md5")));
        assert_ne!(hash("sama"), hash("sama"), "each hash has its own salt");
        assert!(hash("x").starts_with("pbkdf2-sha256$600000$"));
    }

    #[test]
    fn generated_passwords_differ_and_read_in_groups() {
        let (first, second) = (generate(), generate());
        assert_ne!(first, second);
        assert_eq!(first.len(), 24);
        assert_eq!(first.matches('-').count(), 4);
    }
}
