//! This device's identity: an Ed25519 key pair made on first use and kept in
//! the data folder, with a short fingerprint office staff compare by eye when
//! they enrol the device. Also the city office's public key, once known, to
//! which the personal part of every bundle is encrypted.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;

use ed25519_dalek::{Signer, SigningKey};
use sha2::{Digest, Sha256};

use crate::atomic::{sync_dir, write_private_atomically};
use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::hex;
use crate::trust::tagged_message;

/// The 32-byte Ed25519 secret seed, raw, readable by the owner only.
pub const DEVICE_KEY_FILE: &str = "device.key";
/// The office's X25519 public key, as the text of an office key file.
pub const OFFICE_KEY_FILE: &str = "office.key";
/// How an office public key is written: this prefix, then 64 hex digits.
pub const OFFICE_KEY_PREFIX: &str = "rembug-office-x25519-v1:";
/// A key file is one short line; anything larger is not one.
pub const KEY_FILE_MAX_BYTES: u64 = 4096;

pub struct DeviceIdentity {
    signing_key: SigningKey,
}

impl DeviceIdentity {
    /// The device's key pair from `data_dir`, made and stored there first if
    /// there is none yet. The key file is written whole or not at all, and a
    /// key another process stored first wins over ours.
    pub fn load_or_create(data_dir: &Path) -> Result<DeviceIdentity> {
        let path = data_dir.join(DEVICE_KEY_FILE);
        match fs::read(&path) {
            Ok(bytes) => return identity_from_file(&bytes),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(error.into()),
        }
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|error| io::Error::other(error.to_string()))?;
        let signing_key = SigningKey::from_bytes(&seed);
        let temp = data_dir.join(format!(".{DEVICE_KEY_FILE}-{}", uuid::Uuid::now_v7()));
        let written = write_private(&temp, signing_key.as_bytes()).and_then(|()| {
            // A hard link never replaces an existing file: if another process
            // stored a key meanwhile, ours is dropped and theirs is used.
            match fs::hard_link(&temp, &path) {
                Err(error) if error.kind() != io::ErrorKind::AlreadyExists => Err(error),
                _ => Ok(()),
            }
        });
        let _ = fs::remove_file(&temp);
        written?;
        sync_dir(data_dir)?;
        identity_from_file(&fs::read(&path)?)
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.signing_key.verifying_key().to_bytes()
    }

    /// Lower-case hex SHA-256 of the public key: derived, so a bundle's
    /// device id can be checked against its key.
    pub fn device_id(&self) -> String {
        device_id_of(&self.public_key())
    }

    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.public_key())
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing_key.sign(message).to_bytes()
    }

    /// A signature over [`tagged_message`]: how the device signs what it
    /// sends the office.
    pub fn sign_tagged(&self, tag: &str, message: &[u8]) -> [u8; 64] {
        self.sign(&tagged_message(tag, message))
    }

    /// A secret only this device can compute, fixed by `purpose` and
    /// `context`: it lets sealing be deterministic where it needs a secret
    /// random-looking value (an ephemeral key), without a random source.
    pub fn derive_secret(&self, purpose: &str, context: &[u8]) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update((purpose.len() as u64).to_be_bytes());
        hasher.update(purpose.as_bytes());
        hasher.update(self.signing_key.as_bytes());
        hasher.update(context);
        hasher.finalize().into()
    }
}

pub fn device_id_of(public_key: &[u8; 32]) -> String {
    hex::sha256_hex(public_key)
}

/// The first 8 bytes of the SHA-256 of the public key, as `ABCD-EF01-2345-6789`.
pub fn fingerprint_of(public_key: &[u8; 32]) -> String {
    let digest = Sha256::digest(public_key);
    digest[..8].chunks(2).map(|pair| hex::encode(pair).to_uppercase()).collect::<Vec<_>>().join("-")
}

/// The text of a key file (an office's public or secret key), or `None` when
/// the file is too large to be one: a photo picked by mistake is not read
/// whole. The one way every front end reads a key file.
pub fn read_key_file(path: &Path) -> io::Result<Option<String>> {
    let mut text = String::new();
    File::open(path)?.take(KEY_FILE_MAX_BYTES + 1).read_to_string(&mut text)?;
    Ok((text.len() as u64 <= KEY_FILE_MAX_BYTES).then_some(text))
}

/// The office key this device encrypts to, if one was set.
pub fn office_key(data_dir: &Path) -> Result<Option<[u8; 32]>> {
    match read_key_file(&data_dir.join(OFFICE_KEY_FILE)) {
        Ok(text) => parse_office_key(text.as_deref().unwrap_or_default()).map(Some),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Checks the text of an office key file and keeps it in the data folder.
pub fn set_office_key(data_dir: &Path, text: &str) -> Result<[u8; 32]> {
    let key = parse_office_key(text)?;
    write_private_atomically(
        &data_dir.join(OFFICE_KEY_FILE),
        format!("{OFFICE_KEY_PREFIX}{}\n", hex::encode(&key)).as_bytes(),
    )?;
    Ok(key)
}

/// `rembug-office-x25519-v1:` and 64 hex digits, surrounding blanks ignored.
pub fn parse_office_key(text: &str) -> Result<[u8; 32]> {
    text.trim()
        .strip_prefix(OFFICE_KEY_PREFIX)
        .and_then(hex::decode32)
        .ok_or_else(|| CoreError::Validation(vec![FieldError::new("office_key", FieldCode::OfficeKeyInvalid)]))
}

fn identity_from_file(bytes: &[u8]) -> Result<DeviceIdentity> {
    let seed: [u8; 32] =
        bytes.try_into().map_err(|_| CoreError::Corrupt(format!("{DEVICE_KEY_FILE} is not a 32-byte key")))?;
    Ok(DeviceIdentity { signing_key: SigningKey::from_bytes(&seed) })
}

/// Creates `path` readable and writable by the owner only, with `bytes`,
/// flushed to disk; never replaces an existing file.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_kept_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let first = DeviceIdentity::load_or_create(dir.path()).unwrap();
        let again = DeviceIdentity::load_or_create(dir.path()).unwrap();
        assert_eq!(first.public_key(), again.public_key());
        assert_eq!(first.device_id().len(), 64);
        let id = first.device_id().to_uppercase();
        assert_eq!(first.fingerprint(), format!("{}-{}-{}-{}", &id[0..4], &id[4..8], &id[8..12], &id[12..16]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(DEVICE_KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let files: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(files, [DEVICE_KEY_FILE], "no temporary file is left behind");
        let other = tempfile::tempdir().unwrap();
        assert_ne!(DeviceIdentity::load_or_create(other.path()).unwrap().public_key(), first.public_key());
    }

    #[test]
    fn a_damaged_key_file_is_refused_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(DEVICE_KEY_FILE), b"short").unwrap();
        assert!(matches!(DeviceIdentity::load_or_create(dir.path()), Err(CoreError::Corrupt(_))));
        assert_eq!(fs::read(dir.path().join(DEVICE_KEY_FILE)).unwrap(), b"short");
    }

    #[test]
    fn office_keys_are_checked_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(office_key(dir.path()).unwrap(), None);
        for bad in ["", "rembug-office-x25519-v1:abc", &format!("other:{}", "ab".repeat(32))] {
            let error = set_office_key(dir.path(), bad).unwrap_err();
            assert_eq!(error.field_errors(), [FieldError::new("office_key", FieldCode::OfficeKeyInvalid)], "{bad:?}");
        }
        let text = format!("  {OFFICE_KEY_PREFIX}{}\n", "0A".repeat(32));
        assert_eq!(set_office_key(dir.path(), &text).unwrap(), [0x0a; 32]);
        assert_eq!(office_key(dir.path()).unwrap(), Some([0x0a; 32]));
    }

    #[test]
    fn a_key_file_is_read_only_up_to_its_size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kantor.key");
        let line = format!("{OFFICE_KEY_PREFIX}{}\n", "0a".repeat(32));
        fs::write(&path, &line).unwrap();
        assert_eq!(read_key_file(&path).unwrap(), Some(line.clone()));
        let padded = format!("{line}{}", " ".repeat(KEY_FILE_MAX_BYTES as usize - line.len()));
        fs::write(&path, &padded).unwrap();
        assert_eq!(read_key_file(&path).unwrap(), Some(padded.clone()));
        fs::write(&path, format!("{padded} ")).unwrap();
        assert_eq!(read_key_file(&path).unwrap(), None);
        assert_eq!(read_key_file(&dir.path().join("none")).unwrap_err().kind(), io::ErrorKind::NotFound);
    }
}
