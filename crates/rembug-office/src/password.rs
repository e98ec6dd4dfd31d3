//! Staff passwords, stored only as a salted slow hash: argon2id with the
//! argon2 crate's defaults (19 MiB, 2 passes), as a PHC string. Offices made
//! before the dashboard hold their init admin's PBKDF2-HMAC-SHA256 hash
//! (`pbkdf2-sha256$<rounds>$<salt hex>$<hash hex>`): it still verifies, and
//! the first login replaces it ([`needs_rehash`]).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rembug_core::hex;
use sha2::Sha256;

#[cfg(test)]
const ROUNDS: u32 = 600_000;
const SCHEME: &str = "pbkdf2-sha256";

/// An argon2id hash of `password` with a new salt.
pub fn hash(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS random source is available");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2's defaults are valid").to_string()
}

/// Whether `stored` is an older scheme to replace after a good login.
pub fn needs_rehash(stored: &str) -> bool {
    !stored.starts_with("$argon2id$")
}

#[cfg(test)]
fn pbkdf2_hash(password: &str) -> String {
    hash_with(password, b"garam-garam-1234", ROUNDS)
}

fn hash_with(password: &str, salt: &[u8], rounds: u32) -> String {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, rounds, &mut out);
    format!("{SCHEME}${rounds}${}${}", hex::encode(salt), hex::encode(&out))
}

/// Whether `password` is the one `stored` was made from.
pub fn verify(password: &str, stored: &str) -> bool {
    if stored.starts_with("$argon2id$") {
        return PasswordHash::new(stored)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok());
    }
    verify_pbkdf2(password, stored)
}

fn verify_pbkdf2(password: &str, stored: &str) -> bool {
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
        assert!(needs_rehash(&stored));
        assert_ne!(hash("sama"), hash("sama"), "each hash has its own salt");
        let argon = hash("x");
        assert!(argon.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{argon}");
        assert!(verify("x", &argon) && !verify("y", &argon) && !needs_rehash(&argon));
        assert!(!verify("x", "$argon2id$rusak"));
    }

    #[test]
    fn the_init_admins_pbkdf2_hash_still_verifies() {
        let stored = pbkdf2_hash("rahasia");
        assert!(stored.starts_with("pbkdf2-sha256$600000$"));
        assert!(verify("rahasia", &stored) && !verify("rahasiA", &stored));
    }

    #[test]
    fn generated_passwords_differ_and_read_in_groups() {
        let (first, second) = (generate(), generate());
        assert_ne!(first, second);
        assert_eq!(first.len(), 24);
        assert_eq!(first.matches('-').count(), 4);
    }
}
