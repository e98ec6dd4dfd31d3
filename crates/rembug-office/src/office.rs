//! The office's data folder and what staff do with it from the command line:
//! `init` makes its keys and index, `code` makes an enrollment code,
//! `revoke` revokes a device. The folder holds
//!
//! - `office.sqlite3`: the index (devices, codes, uploads, bundles, receipts),
//!   unless it is in PostgreSQL ([`Database`]); then several servers share
//!   the folder (a mounted volume) and the database;
//! - `kantor.key` and `kantor-rahasia.key`: the X25519 pair bundles encrypt
//!   the daftar hadir to (the `rembug-office-x25519-v1` key file devices read);
//! - `kantor-tanda-tangan.key`: the Ed25519 key that signs receipts, rosters
//!   and preflight answers;
//! - `bundles/<sha256>.rembug`: each delivered bundle, once;
//! - `uploads/<id>.part`: uploads in progress.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::SigningKey;
use rembug_bundle::office::{PUBLIC_FILE, SECRET_FILE, create_office_key_files};
use rembug_core::device::{fingerprint_of, parse_office_key, read_key_file, write_private};
use rembug_core::hex;
use rembug_core::trust::{EnrollmentFile, OfficeIdentity, Scope, Signed};
use rembug_core::wilayah::{CIMAHI_CSV, Kelurahan, parse_wilayah_csv};
use rembug_sync::EnrollmentCode;

use crate::blobs::{BlobStore, LocalFolder};
use crate::password;
use crate::store::{Database, Device, Figures, NewCode, OfficeInfo, OfficeStore, StoreError};

pub const SIGNING_KEY_FILE: &str = "kantor-tanda-tangan.key";
pub const SIGNING_KEY_PREFIX: &str = "rembug-office-ed25519-v1:";
pub const BUNDLES_DIR: &str = "bundles";
pub const UPLOADS_DIR: &str = "uploads";
/// Locked by the one server serving the folder (with the SQLite index).
pub const SERVE_LOCK_FILE: &str = "serve.lock";
/// With a shared index, a file no row names is removed only once it is
/// this old: another server may have just put it there and be about to
/// record it.
pub const SHARED_ORPHAN_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Bundle(#[from] rembug_bundle::BundleError),
    #[error("the folder {0} already holds an office")]
    AlreadyInitialised(PathBuf),
    #[error("the office's key file {0} is not valid")]
    KeyInvalid(PathBuf),
    #[error("{0}")]
    Invalid(String),
    #[error("another rembug-office serves {0} already")]
    InUse(PathBuf),
}

pub type OfficeResult<T> = std::result::Result<T, OfficeError>;

/// An opened data folder.
pub struct Office {
    dir: PathBuf,
    pub store: Arc<dyn OfficeStore>,
    /// The delivered bundle files.
    pub blobs: Arc<dyn BlobStore>,
    /// Other servers may serve the same folder and index.
    shared: bool,
    pub signing_key: SigningKey,
    pub identity: OfficeIdentity,
    /// The kelurahan/desa the office knows, read once at open: a new import
    /// shows after the server restarts.
    pub wilayah: Arc<Vec<Kelurahan>>,
}

/// What `init` made, to print once.
pub struct Initialised {
    pub fingerprint: String,
    /// The admin's password when it was generated (printed once).
    pub generated_password: Option<String>,
}

impl Office {
    /// Creates the office in `dir` (which must not hold one): its keys, its
    /// index, its name and its first admin. An empty `password` makes one.
    pub fn init(dir: &Path, name: &str, city: &str, admin: &str, password: &str) -> OfficeResult<Initialised> {
        Office::init_with(dir, &Database::Sqlite, name, city, admin, password)
    }

    /// [`Office::init`] with the index in `database`.
    pub fn init_with(
        dir: &Path,
        database: &Database,
        name: &str,
        city: &str,
        admin: &str,
        password: &str,
    ) -> OfficeResult<Initialised> {
        for (value, what) in [(name, "--name"), (city, "--city"), (admin, "--admin")] {
            if value.trim().is_empty() || value.chars().any(char::is_control) {
                return Err(OfficeError::Invalid(format!("{what} must be a plain, non-empty text")));
            }
        }
        fs::create_dir_all(dir)?;
        if dir.join(SIGNING_KEY_FILE).exists() || dir.join(SECRET_FILE).exists() {
            return Err(OfficeError::AlreadyInitialised(dir.to_owned()));
        }
        create_office_key_files(dir)?;
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|error| io::Error::other(error.to_string()))?;
        write_private(&dir.join(SIGNING_KEY_FILE), format!("{SIGNING_KEY_PREFIX}{}\n", hex::encode(&seed)).as_bytes())?;
        for sub in [BUNDLES_DIR, UPLOADS_DIR] {
            fs::create_dir_all(dir.join(sub))?;
        }
        rembug_core::atomic::sync_dir(dir)?;
        let generated_password = password.is_empty().then(password::generate);
        let password = generated_password.as_deref().unwrap_or(password);
        let store = database.open(dir)?;
        let info = OfficeInfo { name: name.trim().to_owned(), city: city.trim().to_owned() };
        store.initialise(&info, admin.trim(), &password::hash(password), &now_rfc3339())?;
        let fingerprint = fingerprint_of(&SigningKey::from_bytes(&seed).verifying_key().to_bytes());
        Ok(Initialised { fingerprint, generated_password })
    }

    /// Opens an initialised office.
    pub fn open(dir: &Path) -> OfficeResult<Office> {
        Office::open_with(dir, &Database::Sqlite)
    }

    /// [`Office::open`] with the index in `database`.
    pub fn open_with(dir: &Path, database: &Database) -> OfficeResult<Office> {
        let signing_key = read_signing_key(&dir.join(SIGNING_KEY_FILE))?;
        let public_path = dir.join(PUBLIC_FILE);
        let text = read_key_file(&public_path)?.unwrap_or_default();
        let encryption_key = parse_office_key(&text).map_err(|_| OfficeError::KeyInvalid(public_path))?;
        let store = database.open(dir)?;
        let info = store.office()?;
        let identity =
            OfficeIdentity::new(&info.name, &info.city, &signing_key.verifying_key().to_bytes(), &encryption_key);
        fs::create_dir_all(dir.join(UPLOADS_DIR))?;
        let blobs = Arc::new(LocalFolder::open(dir.join(BUNDLES_DIR))?);
        let wilayah = Arc::new(wilayah_of(store.as_ref())?);
        let office =
            Office { dir: dir.to_owned(), store, blobs, shared: database.is_shared(), signing_key, identity, wilayah };
        office.backfill_figures()?;
        Ok(office)
    }

    /// Keeps the figures of the bundles recorded before the office kept
    /// them (SQLite migration 0004, PostgreSQL 0003): each such bundle's
    /// file is verified and read once, at open. A file that no longer
    /// verifies is reported and left without figures (the summary, exports
    /// and recap then leave it out) and tried again at the next open.
    pub fn backfill_figures(&self) -> OfficeResult<usize> {
        let mut kept = 0;
        for sha256 in self.store.bundles_without_figures()? {
            let figures = rembug_bundle::verify_file(&self.bundle_path(&sha256))
                .map_err(|error| error.to_string())
                .and_then(|verified| {
                    Figures::of_meeting_json(&verified.bundle.meeting_json).map_err(|error| error.to_string())
                });
            match figures {
                Ok(figures) => {
                    self.store.record_figures(&sha256, &figures)?;
                    kept += 1;
                }
                Err(problem) => eprintln!("rembug-office: bundle {sha256} has no figures yet: {problem}"),
            }
        }
        Ok(kept)
    }

    /// Adds or renames kelurahan from a wilayah file's rows; the server
    /// shows them after its next start.
    pub fn import_wilayah(&self, kelurahan: &[Kelurahan]) -> OfficeResult<()> {
        Ok(self.store.import_wilayah(kelurahan)?)
    }

    /// The folder's serving lock (an OS file lock, released however the
    /// process ends), or [`OfficeError::InUse`]; `None` with a shared index,
    /// which several servers serve at once.
    pub fn lock_for_serving(&self) -> OfficeResult<Option<fs::File>> {
        if self.shared {
            return Ok(None);
        }
        let file = fs::File::options().create(true).truncate(false).write(true).open(self.dir.join(SERVE_LOCK_FILE))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(file)),
            Err(fs::TryLockError::WouldBlock) => Err(OfficeError::InUse(self.dir.clone())),
            Err(fs::TryLockError::Error(error)) => Err(error.into()),
        }
    }

    /// Other servers may serve the same folder and index (PostgreSQL).
    pub fn is_shared(&self) -> bool {
        self.shared
    }

    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.signing_key.verifying_key().to_bytes())
    }

    /// The office's X25519 secret key file, which opens the daftar hadir.
    pub fn secret_key_file(&self) -> PathBuf {
        self.dir.join(SECRET_FILE)
    }

    pub fn bundle_path(&self, sha256: &str) -> PathBuf {
        self.blobs.path(sha256)
    }

    pub fn uploads_dir(&self) -> PathBuf {
        self.dir.join(UPLOADS_DIR)
    }

    pub fn upload_path(&self, upload_id: &str) -> PathBuf {
        self.uploads_dir().join(format!("{upload_id}.part"))
    }

    /// A new enrollment code for one kelurahan (or one RW of it), valid for
    /// `valid_for`.
    pub fn new_code(
        &self,
        kelurahan_code: &str,
        rw: Option<u16>,
        valid_for: chrono::Duration,
    ) -> OfficeResult<(EnrollmentCode, String)> {
        if !is_kelurahan_code(kelurahan_code) {
            return Err(OfficeError::Invalid(format!("{kelurahan_code} is not a kelurahan code like 32.77.01.1001")));
        }
        if rw.is_some_and(|rw| !(1..=rembug_core::meeting::RW_MAX).contains(&rw)) {
            return Err(OfficeError::Invalid("--rw must be 1 to 999".into()));
        }
        let now = Utc::now();
        let expires_at = rfc3339(now + valid_for);
        let code = EnrollmentCode::generate();
        self.store.create_code(&NewCode {
            code: code.as_str().to_owned(),
            kelurahan_code: kelurahan_code.to_owned(),
            rw,
            created_at: rfc3339(now),
            expires_at: expires_at.clone(),
        })?;
        Ok((code, expires_at))
    }

    /// The enrollment file of a code (`rembug-enrollment-v1`), signed, for a
    /// cadre to open from a USB stick where the network is missing.
    pub fn enrollment_file(
        &self,
        code: &EnrollmentCode,
        kelurahan_code: &str,
        rw: Option<u16>,
        expires_at: &str,
        url: &str,
        tls_certificate_sha256: Option<String>,
    ) -> OfficeResult<Signed> {
        check_enrollment_url(url, tls_certificate_sha256.is_some())?;
        let file = EnrollmentFile {
            office: self.identity.clone(),
            url: url.trim_end_matches('/').to_owned(),
            code: code.as_str().to_owned(),
            scope: Scope { kelurahan_code: kelurahan_code.to_owned(), rw },
            expires_at: expires_at.to_owned(),
            tls_certificate_sha256,
        };
        Ok(Signed::sign(&file, &self.signing_key))
    }

    pub fn revoke(&self, id_or_fingerprint: &str) -> OfficeResult<Option<Device>> {
        Ok(self.store.revoke(id_or_fingerprint.trim(), &now_rfc3339())?)
    }

    /// Removes what a crash can leave behind: a bundle file no row names
    /// (renamed before its transaction committed), an upload file without
    /// its upload, an upload whose file is gone. With a shared index other
    /// servers are at work in the same folder: a file is removed only once
    /// it is [`SHARED_ORPHAN_AGE`] old (a commit touches the bundle file
    /// before renaming it), and uploads are left to the stale-upload cleanup.
    pub fn remove_orphans(&self) -> OfficeResult<usize> {
        let mut removed = 0;
        for blob in self.blobs.list()? {
            if !self.old_enough(blob.put_at) {
                continue;
            }
            let recorded = match &blob.sha256 {
                Some(sha256) => self.store.bundle_exists(sha256)?,
                None => false,
            };
            if !recorded && remove_if_present(&blob.path)? {
                removed += 1;
            }
        }
        let uploads = self.store.uploads()?;
        for entry in fs::read_dir(self.uploads_dir())? {
            let path = entry?.path();
            let known = uploads.iter().any(|upload| self.upload_path(&upload.upload_id) == path);
            // Another server may commit (rename) an upload meanwhile.
            let modified = match fs::metadata(&path) {
                Ok(metadata) => metadata.modified()?,
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(error.into()),
            };
            if !known && self.old_enough(modified) && remove_if_present(&path)? {
                removed += 1;
            }
        }
        for upload in uploads.into_iter().filter(|_| !self.shared) {
            if upload.received > 0 && !self.upload_path(&upload.upload_id).exists() {
                self.store.delete_upload(&upload.upload_id)?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Whether an orphan dated `modified` may be removed: always when this
    /// server is alone, else once no other server can be about to record it.
    fn old_enough(&self, modified: std::time::SystemTime) -> bool {
        !self.shared || modified.elapsed().is_ok_and(|age| age >= SHARED_ORPHAN_AGE)
    }

    /// Removes uploads untouched for `older_than`, with their files.
    pub fn remove_stale_uploads(&self, older_than: chrono::Duration) -> OfficeResult<usize> {
        let before = Utc::now().timestamp() - older_than.num_seconds();
        let removed = self.store.remove_stale_uploads(before)?;
        for upload_id in &removed {
            match fs::remove_file(self.upload_path(upload_id)) {
                Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error.into()),
                _ => {}
            }
        }
        Ok(removed.len())
    }
}

/// Removes a file another server may have removed first: whether this did.
fn remove_if_present(path: &Path) -> io::Result<bool> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error),
    }
}

/// An enrollment file's address: `https://` with a certificate to pin, or
/// `http://` (behind a TLS proxy, or on loopback) without.
pub fn check_enrollment_url(url: &str, pinned: bool) -> OfficeResult<()> {
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if !scheme_ok || pinned != url.starts_with("https://") {
        return Err(OfficeError::Invalid(
            "--url is https:// with --tls-cert, or http:// (behind a TLS proxy or on loopback) without".into(),
        ));
    }
    Ok(())
}

fn read_signing_key(path: &Path) -> OfficeResult<SigningKey> {
    let text = match read_key_file(path) {
        Ok(text) => text.unwrap_or_default(),
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Err(StoreError::NotInitialised.into()),
        Err(error) => return Err(error.into()),
    };
    let seed = text.trim().strip_prefix(SIGNING_KEY_PREFIX).and_then(hex::decode32);
    seed.map(|seed| SigningKey::from_bytes(&seed)).ok_or_else(|| OfficeError::KeyInvalid(path.to_owned()))
}

/// `32.77.01.1001`: a Kemendagri kelurahan code.
pub fn is_kelurahan_code(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .zip([2, 2, 2, 4])
            .all(|(part, len)| part.len() == len && part.bytes().all(|b| b.is_ascii_digit()))
}

pub fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn now_rfc3339() -> String {
    rfc3339(Utc::now())
}

/// `7d`, `12h`, `30m` or `45s`.
pub fn parse_duration(text: &str) -> Option<chrono::Duration> {
    let (number, unit) = text.trim().split_at(text.trim().len().checked_sub(1)?);
    let number: i64 = number.parse().ok().filter(|number| *number > 0)?;
    match unit {
        "d" => chrono::Duration::try_days(number),
        "h" => chrono::Duration::try_hours(number),
        "m" => chrono::Duration::try_minutes(number),
        "s" => chrono::Duration::try_seconds(number),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_kelurahan_codes_read_as_staff_type_them() {
        assert_eq!(parse_duration("7d"), chrono::Duration::try_days(7));
        assert_eq!(parse_duration("90m"), chrono::Duration::try_minutes(90));
        for bad in ["", "d", "0d", "-1d", "7w", "7"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert!(is_kelurahan_code("32.77.01.1001"));
        for bad in ["32.77.01.100", "32.77.1.1001", "32.77.01.1001.1", "32-77-01-1001", "ab.77.01.1001"] {
            assert!(!is_kelurahan_code(bad), "{bad}");
        }
    }

    #[test]
    fn an_office_is_made_once_and_opens_with_its_keys() {
        let dir = tempfile::tempdir().unwrap();
        let made = Office::init(dir.path(), "Bappelitbangda", "Kota Cimahi", "admin", "").unwrap();
        assert!(made.generated_password.is_some());
        let office = Office::open(dir.path()).unwrap();
        assert_eq!(office.fingerprint(), made.fingerprint);
        assert_eq!(office.identity.name, "Bappelitbangda");
        let public = parse_office_key(&fs::read_to_string(dir.path().join(PUBLIC_FILE)).unwrap()).unwrap();
        assert_eq!(office.identity.encryption_key_bytes().unwrap(), public);
        let again = Office::init(dir.path(), "Lain", "Kota Lain", "admin", "rahasia");
        assert!(matches!(again, Err(OfficeError::AlreadyInitialised(_))));
        assert!(matches!(
            Office::open(&dir.path().join("nothing")),
            Err(OfficeError::Store(StoreError::NotInitialised))
        ));
    }
}

/// The stored wilayah; an office that never imported one (new, or made
/// before wilayah were stored) starts with Kota Cimahi's, as the app does.
fn wilayah_of(store: &dyn OfficeStore) -> OfficeResult<Vec<Kelurahan>> {
    let stored = store.wilayah()?;
    if !stored.is_empty() {
        return Ok(stored);
    }
    let cimahi = parse_wilayah_csv(CIMAHI_CSV).expect("the embedded Cimahi wilayah parses");
    store.import_wilayah(&cimahi)?;
    Ok(cimahi)
}
