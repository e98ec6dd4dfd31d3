//! Encryption of the personal part to the city office's X25519 key
//! (`docs/bundle-format.md`, "Personal part"): X25519 agreement, HKDF-SHA256
//! per file, ChaCha20-Poly1305 over 64 KiB chunks (the STREAM construction
//! age uses), so any file is encrypted and decrypted in constant memory.

use std::io::{self, Read, Write};

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce, Tag};
use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};

use crate::error::{BundleError, Result};

pub const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const INFO_PREFIX: &[u8] = b"rembug-bundle-v1 ";

/// The keys of one bundle's personal part, on the sealing side or the
/// office's: both arrive at the same shared secret.
pub struct PersonalKeys {
    shared: [u8; 32],
    pub ephemeral_public: [u8; 32],
    pub recipient: [u8; 32],
}

impl PersonalKeys {
    /// The sealer's side, from an ephemeral secret the caller derives.
    pub fn for_sealing(ephemeral_secret: [u8; 32], recipient: [u8; 32]) -> Result<PersonalKeys> {
        let secret = StaticSecret::from(ephemeral_secret);
        let shared = secret.diffie_hellman(&PublicKey::from(recipient));
        if !shared.was_contributory() {
            return Err(BundleError::Core(rembug_core::CoreError::Validation(vec![rembug_core::FieldError::new(
                "office_key",
                rembug_core::FieldCode::OfficeKeyInvalid,
            )])));
        }
        Ok(PersonalKeys { shared: shared.to_bytes(), ephemeral_public: PublicKey::from(&secret).to_bytes(), recipient })
    }

    /// The office's side, from its secret key and the bundle's ephemeral key.
    pub fn for_opening(office_secret: [u8; 32], ephemeral_public: [u8; 32]) -> Result<PersonalKeys> {
        let secret = StaticSecret::from(office_secret);
        let shared = secret.diffie_hellman(&PublicKey::from(ephemeral_public));
        if !shared.was_contributory() {
            return Err(BundleError::DecryptionFailed);
        }
        Ok(PersonalKeys { shared: shared.to_bytes(), ephemeral_public, recipient: PublicKey::from(&secret).to_bytes() })
    }

    /// The key of one file, bound to its entry name.
    fn file_cipher(&self, entry_name: &str) -> ChaCha20Poly1305 {
        let salt = [self.ephemeral_public, self.recipient].concat();
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(&salt), &self.shared)
            .expand(&[INFO_PREFIX, entry_name.as_bytes()].concat(), &mut key)
            .expect("32 bytes is a valid HKDF-SHA256 length");
        ChaCha20Poly1305::new(Key::from_slice(&key))
    }

    /// Encrypts `source` into `target`; answers the ciphertext's length.
    pub fn encrypt(&self, entry_name: &str, source: &mut impl Read, target: &mut impl Write) -> Result<u64> {
        let cipher = self.file_cipher(entry_name);
        let (mut chunk, mut next) = (vec![0u8; CHUNK], vec![0u8; CHUNK]);
        // Read one chunk ahead to know which chunk is the last.
        let mut filled = read_full(source, &mut chunk)?;
        let mut counter = 0u64;
        let mut written = 0;
        loop {
            let next_filled = if filled == CHUNK { read_full(source, &mut next)? } else { 0 };
            let last = next_filled == 0;
            let tag = cipher
                .encrypt_in_place_detached(&nonce(counter, last), b"", &mut chunk[..filled])
                .expect("a 64 KiB chunk is far below ChaCha20-Poly1305's limit");
            target.write_all(&chunk[..filled])?;
            target.write_all(&tag)?;
            written += (filled + TAG) as u64;
            if last {
                return Ok(written);
            }
            counter += 1;
            std::mem::swap(&mut chunk, &mut next);
            filled = next_filled;
        }
    }

    /// Decrypts `source` into `target`, refusing any chunk that was changed,
    /// dropped, reordered or cut short.
    pub fn decrypt(&self, entry_name: &str, source: &mut impl Read, target: &mut impl Write) -> Result<u64> {
        let cipher = self.file_cipher(entry_name);
        let (mut chunk, mut next) = (vec![0u8; CHUNK + TAG], vec![0u8; CHUNK + TAG]);
        let mut filled = read_full(source, &mut chunk)?;
        let mut counter = 0u64;
        let mut written = 0;
        loop {
            if filled < TAG {
                return Err(BundleError::DecryptionFailed);
            }
            let next_filled = if filled == CHUNK + TAG { read_full(source, &mut next)? } else { 0 };
            let last = next_filled == 0;
            let (text, tag) = chunk[..filled].split_at_mut(filled - TAG);
            cipher
                .decrypt_in_place_detached(&nonce(counter, last), b"", text, Tag::from_slice(tag))
                .map_err(|_| BundleError::DecryptionFailed)?;
            // A writer marks a full chunk as last when nothing follows it, so
            // an empty last chunk after a full one is a second ciphertext of
            // the same plaintext: refused, like every non-canonical form.
            if last && text.is_empty() && counter > 0 {
                return Err(BundleError::EmptyFinalChunk);
            }
            target.write_all(text)?;
            written += text.len() as u64;
            if last {
                return Ok(written);
            }
            counter += 1;
            std::mem::swap(&mut chunk, &mut next);
            filled = next_filled;
        }
    }
}

/// 11 bytes of big-endian chunk counter, then 1 on the last chunk, else 0.
fn nonce(counter: u64, last: bool) -> Nonce {
    let mut nonce = [0u8; 12];
    nonce[3..11].copy_from_slice(&counter.to_be_bytes());
    nonce[11] = u8::from(last);
    *Nonce::from_slice(&nonce)
}

/// Fills `buffer` unless the source ends first; answers how much was read.
fn read_full(source: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match source.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

/// A new office key pair, for the office and for tests: (secret, public).
pub fn office_key_pair(secret: [u8; 32]) -> ([u8; 32], [u8; 32]) {
    let secret = StaticSecret::from(secret);
    (secret.to_bytes(), PublicKey::from(&secret).to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> (PersonalKeys, PersonalKeys) {
        let (office_secret, office_public) = office_key_pair([7; 32]);
        let sealing = PersonalKeys::for_sealing([9; 32], office_public).unwrap();
        let opening = PersonalKeys::for_opening(office_secret, sealing.ephemeral_public).unwrap();
        (sealing, opening)
    }

    fn round_trip(plain: &[u8]) -> Vec<u8> {
        let (sealing, opening) = keys();
        let mut sealed = Vec::new();
        let length = sealing.encrypt("personal/0001.enc", &mut &plain[..], &mut sealed).unwrap();
        assert_eq!(length as usize, sealed.len());
        assert_eq!(sealed.len(), plain.len() + TAG * plain.len().div_ceil(CHUNK).max(1));
        let mut opened = Vec::new();
        opening.decrypt("personal/0001.enc", &mut &sealed[..], &mut opened).unwrap();
        assert_eq!(opened, plain);
        sealed
    }

    #[test]
    fn every_length_round_trips_including_chunk_edges() {
        for length in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK] {
            let plain: Vec<u8> = (0..length).map(|i| (i % 251) as u8).collect();
            round_trip(&plain);
        }
    }

    #[test]
    fn a_cut_reordered_or_renamed_file_is_refused() {
        let plain = vec![5u8; 2 * CHUNK + 10];
        let sealed = round_trip(&plain);
        let (_, opening) = keys();
        let open = |name: &str, bytes: &[u8]| opening.decrypt(name, &mut &bytes[..], &mut Vec::new());
        // Cut after the first full chunk: it then looks last, but was not sealed as last.
        assert!(matches!(open("personal/0001.enc", &sealed[..CHUNK + TAG]), Err(BundleError::DecryptionFailed)));
        let mut flipped = sealed.clone();
        flipped[10] ^= 1;
        assert!(matches!(open("personal/0001.enc", &flipped), Err(BundleError::DecryptionFailed)));
        assert!(matches!(open("personal/0002.enc", &sealed), Err(BundleError::DecryptionFailed)));
    }

    #[test]
    fn an_empty_last_chunk_after_a_full_one_is_refused() {
        let (sealing, opening) = keys();
        let name = "personal/0001.enc";
        let cipher = sealing.file_cipher(name);
        let mut full = vec![7u8; CHUNK];
        let tag = cipher.encrypt_in_place_detached(&nonce(0, false), b"", &mut full).unwrap();
        let empty_tag = cipher.encrypt_in_place_detached(&nonce(1, true), b"", &mut []).unwrap();
        let forged = [&full[..], &tag, &empty_tag].concat();
        let error = opening.decrypt(name, &mut &forged[..], &mut Vec::new()).unwrap_err();
        assert!(matches!(error, BundleError::EmptyFinalChunk), "{error}");
        // The one canonical form of the same plaintext opens.
        round_trip(&vec![7u8; CHUNK]);
    }
}
