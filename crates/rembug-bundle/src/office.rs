//! The city office's side of the personal part: a key pair made once (by
//! `rembug-office init`, or `rembug office-keygen`), its public half handed
//! to devices as a key file (enrollment, Settings, or `rembug office-key`),
//! its secret half kept at the office to open the daftar hadir of a bundle
//! (`rembug-office open-personal`, and `rembug open-personal`).

use std::fs::{self, File};
use std::io::BufReader;
use std::path::{Path, PathBuf};

use rembug_core::device::{OFFICE_KEY_PREFIX, fingerprint_of, read_key_file, write_private};
use rembug_core::hex;
use rembug_core::record::PersonalRecord;
use rembug_core::{CoreError, FieldCode, FieldError};

use crate::crypto::office_key_pair;
use crate::error::Result;
use crate::verify_file;

/// How the office's secret key is written: this prefix, then 64 hex digits.
pub const OFFICE_SECRET_PREFIX: &str = "rembug-office-secret-x25519-v1:";
/// The public key file devices are given.
pub const PUBLIC_FILE: &str = "kantor.key";
/// The secret key file, readable by its owner only; it never leaves the office.
pub const SECRET_FILE: &str = "kantor-rahasia.key";

/// The two files of a new office key pair.
#[derive(Debug)]
pub struct OfficeKeyFiles {
    pub public: PathBuf,
    pub secret: PathBuf,
    /// Of the public key, as devices show it in Settings.
    pub fingerprint: String,
}

/// Makes a new office key pair in `dir`; never replaces existing key files.
pub fn create_office_key_files(dir: &Path) -> Result<OfficeKeyFiles> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|error| std::io::Error::other(error.to_string()))?;
    let (secret, public) = office_key_pair(seed);
    let files = OfficeKeyFiles {
        public: dir.join(PUBLIC_FILE),
        secret: dir.join(SECRET_FILE),
        fingerprint: fingerprint_of(&public),
    };
    write_private(&files.secret, format!("{OFFICE_SECRET_PREFIX}{}\n", hex::encode(&secret)).as_bytes())?;
    if let Err(error) =
        write_private(&files.public, format!("{OFFICE_KEY_PREFIX}{}\n", hex::encode(&public)).as_bytes())
    {
        let _ = fs::remove_file(&files.secret);
        return Err(error.into());
    }
    Ok(files)
}

/// The office's secret key from its file.
pub fn read_office_secret(path: &Path) -> Result<[u8; 32]> {
    let text = read_key_file(path)?;
    text.as_deref().unwrap_or_default().trim().strip_prefix(OFFICE_SECRET_PREFIX).and_then(hex::decode32).ok_or_else(
        || CoreError::Validation(vec![FieldError::new("office_secret", FieldCode::OfficeSecretInvalid)]).into(),
    )
}

/// The daftar hadir of a bundle, verified, opened with the office's secret
/// key file when it is encrypted.
pub fn open_personal(bundle: &Path, secret_file: &Path) -> Result<PersonalRecord> {
    let secret = read_office_secret(secret_file)?;
    let verified = verify_file(bundle)?;
    let mut reader = BufReader::new(File::open(bundle)?);
    verified.bundle.personal_record(&mut reader, Some(secret))
}

/// The daftar hadir as the office's command lines print it.
pub fn daftar_hadir_text(personal: &PersonalRecord) -> String {
    let mut text = format!("Daftar hadir ({} orang):\n", personal.attendees.len());
    for (number, attendee) in personal.attendees.iter().enumerate() {
        let rt_rw = match (attendee.rt, attendee.rw) {
            (Some(rt), Some(rw)) => format!("RT {rt:02}/RW {rw:02}"),
            (None, Some(rw)) => format!("RW {rw:02}"),
            _ => String::new(),
        };
        let signed = if attendee.signature_sha256.is_some() { "bertanda tangan" } else { "" };
        text.push_str(&format!(
            "{:>4}. {} ({}) · {} · {rt_rw} {signed}\n",
            number + 1,
            attendee.name,
            attendee.gender.as_str(),
            attendee.unsur
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use rembug_core::device::parse_office_key;

    use super::*;

    #[test]
    fn the_pair_is_written_once_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let files = create_office_key_files(dir.path()).unwrap();
        let secret = read_office_secret(&files.secret).unwrap();
        let public = parse_office_key(&fs::read_to_string(&files.public).unwrap()).unwrap();
        assert_eq!(office_key_pair(secret).1, public);
        assert_eq!(fingerprint_of(&public), files.fingerprint);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&files.secret).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(create_office_key_files(dir.path()).is_err(), "existing keys are never replaced");
        assert_eq!(read_office_secret(&files.secret).unwrap(), secret);
    }

    #[test]
    fn a_public_key_file_is_not_a_secret_key() {
        let dir = tempfile::tempdir().unwrap();
        let files = create_office_key_files(dir.path()).unwrap();
        let error = read_office_secret(&files.public).unwrap_err();
        assert_eq!(error.code(), "validation");
        assert_eq!(error.field_errors()[0].code, "office_secret_invalid");
    }
}
