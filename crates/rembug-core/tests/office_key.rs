//! Changing the office key: a first key is kept, the same key again changes
//! nothing, and a different key is written only once its fingerprint was
//! confirmed.

use std::fs;

use rembug_core::device::{DeviceIdentity, OFFICE_KEY_FILE, OFFICE_KEY_PREFIX, fingerprint_of, office_key};
use rembug_core::transfer::{OfficeKeyOutcome, choose_office_key, replace_office_key};

fn key_text(byte: u8) -> String {
    format!("{OFFICE_KEY_PREFIX}{}\n", rembug_core::hex::encode(&[byte; 32]))
}

#[test]
fn a_different_office_key_replaces_the_old_one_only_when_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let device = DeviceIdentity::load_or_create(dir.path()).unwrap();
    let (old, new) = (fingerprint_of(&[1; 32]), fingerprint_of(&[2; 32]));

    let first = choose_office_key(dir.path(), &device, &key_text(1)).unwrap();
    assert_eq!(first.outcome, OfficeKeyOutcome::Kept);
    assert_eq!(first.device.office_key_fingerprint.as_deref(), Some(old.as_str()));
    let written = fs::read(dir.path().join(OFFICE_KEY_FILE)).unwrap();

    let again = choose_office_key(dir.path(), &device, &key_text(1)).unwrap();
    assert_eq!(again.outcome, OfficeKeyOutcome::Unchanged);
    assert_eq!(fs::read(dir.path().join(OFFICE_KEY_FILE)).unwrap(), written, "the same key changes nothing");

    let other = choose_office_key(dir.path(), &device, &key_text(2)).unwrap();
    assert_eq!(other.outcome, OfficeKeyOutcome::NeedsConfirmation);
    assert_eq!(other.device.office_key_fingerprint.as_deref(), Some(old.as_str()), "both fingerprints are shown");
    assert_eq!(other.chosen_fingerprint, new);
    assert_eq!(office_key(dir.path()).unwrap(), Some([1; 32]), "nothing is written before the cadre confirms");

    assert!(replace_office_key(dir.path(), &device, &key_text(2), &old).is_err(), "a stale confirmation");
    assert_eq!(office_key(dir.path()).unwrap(), Some([1; 32]));
    let replaced = replace_office_key(dir.path(), &device, &key_text(2), &new).unwrap();
    assert_eq!(replaced.office_key_fingerprint.as_deref(), Some(new.as_str()));
    assert_eq!(office_key(dir.path()).unwrap(), Some([2; 32]));
}

#[test]
fn a_file_that_holds_no_office_key_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let device = DeviceIdentity::load_or_create(dir.path()).unwrap();
    choose_office_key(dir.path(), &device, &key_text(1)).unwrap();
    assert!(choose_office_key(dir.path(), &device, "bukan kunci").is_err());
    assert_eq!(office_key(dir.path()).unwrap(), Some([1; 32]));
}
