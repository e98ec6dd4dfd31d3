//! Enrollment on the device: online with the office's address and a code,
//! or from an enrollment file the office signed (a USB stick), whose
//! registration completes on first contact (`outbox::sync_round`). Either
//! way the device then encrypts bundles to the office's key, replacing a key
//! file set by hand; a *different* office key than the one in use needs the
//! cadre's confirmation, shown both fingerprints.

use std::path::Path;
use std::sync::Arc;

use rembug_core::Store;
use rembug_core::device::{DeviceIdentity, OFFICE_KEY_PREFIX, fingerprint_of, office_key, set_office_key};
use rembug_core::outbox::Enrollment;
use rembug_core::trust::{EnrollmentFile, OfficeIdentity, Roster, Signed};

use crate::EnrollmentCode;
use crate::client::{OfficeClient, Verified};
use crate::outbox::{SyncError, enrollment_roster};

/// The office key in use and the one an enrollment would put in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeKeyChange {
    /// Fingerprint of the office encryption key in use.
    pub current: String,
    /// Fingerprint of the new office's encryption key.
    pub new: String,
}

/// A finished enrollment.
#[derive(Debug)]
pub struct Enrolled {
    pub enrollment: Enrollment,
    /// The roster of the device's kelurahan from the enrollment answer (none
    /// for an enrollment file, until first contact).
    pub roster: Option<Verified<Roster>>,
}

/// Enrolls with the office at `url` using `code`: a preflight learns the
/// office (its signature by the key it presents), the cadre confirms a
/// change of office key if there is one (`confirm`, before the code is
/// spent), the office registers the device, and its answer must name the
/// same office. Over `https` the certificate seen is pinned from then on.
pub fn enroll_online(
    store: &Store,
    data_dir: &Path,
    device: Arc<DeviceIdentity>,
    url: &str,
    code: &str,
    confirm: &mut dyn FnMut(&OfficeKeyChange) -> bool,
) -> Result<Enrolled, SyncError> {
    let code = EnrollmentCode::parse(code).ok_or(SyncError::CodeInvalid)?;
    let mut client = OfficeClient::new(url, device, None, None)?;
    let office = client.preflight()?;
    confirm_key_change(data_dir, &office, confirm)?;
    let answer = client.enroll(&code)?;
    if answer.office != office {
        return Err(SyncError::OfficeChanged);
    }
    let pin = url.starts_with("https://").then(|| client.seen_certificate_sha256()).flatten();
    let roster = enrollment_roster(&office, answer.roster);
    let enrollment = Enrollment::new(url, office, answer.scope, pin, None);
    keep(store, data_dir, &enrollment)?;
    if let Some(roster) = &roster {
        store.save_roster(&roster.signed, &enrollment.office)?;
    }
    Ok(Enrolled { enrollment, roster })
}

/// Enrolls from an enrollment file's text (a [`Signed`] [`EnrollmentFile`]):
/// it must be signed by the office key inside it. Nothing is sent: the
/// device registers with the file's code on its first sync.
pub fn enroll_from_file(
    store: &Store,
    data_dir: &Path,
    text: &str,
    confirm: &mut dyn FnMut(&OfficeKeyChange) -> bool,
) -> Result<Enrolled, SyncError> {
    let signed: Signed = serde_json::from_str(text).map_err(|_| SyncError::EnrollmentFileInvalid)?;
    let unchecked: EnrollmentFile = serde_json::from_str(&signed.body).map_err(|_| SyncError::EnrollmentFileInvalid)?;
    let key = unchecked.office.verifying_key().map_err(|_| SyncError::EnrollmentFileInvalid)?;
    let file: EnrollmentFile = signed.open(&key).map_err(|_| SyncError::EnrollmentFileInvalid)?;
    let code = EnrollmentCode::parse(&file.code).ok_or(SyncError::EnrollmentFileInvalid)?;
    confirm_key_change(data_dir, &file.office, confirm)?;
    let enrollment = Enrollment::new(
        &file.url,
        file.office,
        file.scope,
        file.tls_certificate_sha256,
        Some(code.as_str().to_owned()),
    );
    keep(store, data_dir, &enrollment)?;
    Ok(Enrolled { enrollment, roster: None })
}

/// Asks `confirm` when the office's encryption key differs from the one this
/// device encrypts to now.
fn confirm_key_change(
    data_dir: &Path,
    office: &OfficeIdentity,
    confirm: &mut dyn FnMut(&OfficeKeyChange) -> bool,
) -> Result<(), SyncError> {
    let new = office.encryption_key_bytes()?;
    match office_key(data_dir)? {
        Some(current) if current != new => {
            let change = OfficeKeyChange { current: fingerprint_of(&current), new: fingerprint_of(&new) };
            if !confirm(&change) {
                return Err(SyncError::OfficeChangeNotConfirmed { current: change.current, new: change.new });
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Keeps the enrollment and makes its office key the one bundles encrypt to.
fn keep(store: &Store, data_dir: &Path, enrollment: &Enrollment) -> Result<(), SyncError> {
    set_office_key(data_dir, &format!("{OFFICE_KEY_PREFIX}{}", enrollment.office.encryption_key))?;
    store.save_enrollment(enrollment)?;
    Ok(())
}
