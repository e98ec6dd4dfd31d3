//! Exporting into a folder the user picked: a readable name with the short
//! hash, the same file when exported again, nothing left beside it.

mod common;

use common::locked_meeting;
use rembug_bundle::{BundleError, export_to_folder, sealing_key, verify_file};

#[test]
fn a_meeting_is_exported_under_its_readable_name_and_again_identically() {
    let fixture = locked_meeting();
    let folder = tempfile::tempdir().unwrap();
    let meeting = fixture.store.get_meeting(&fixture.meeting_id).unwrap();
    let export =
        || export_to_folder(&fixture.store, &fixture.device(), &fixture.meeting_id, None, folder.path(), &mut |_| {});

    let first = export().unwrap();
    let name = first.path.file_name().unwrap().to_str().unwrap().to_owned();
    let expected_start = format!("{}-rw{:02}-{}-", "melong", meeting.rw.unwrap(), meeting.date);
    assert!(name.starts_with(&expected_start), "{name} starts with {expected_start}");
    assert_eq!(name, format!("{expected_start}{}.rembug", &first.sha256[..8]));
    let bytes = std::fs::read(&first.path).unwrap();

    let second = export().unwrap();
    assert_eq!(second.path, first.path);
    assert_eq!(std::fs::read(&second.path).unwrap(), bytes);
    let files: Vec<_> = std::fs::read_dir(folder.path()).unwrap().map(|entry| entry.unwrap().file_name()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(verify_file(&first.path).unwrap().sha256, first.sha256);
}

#[test]
fn a_draft_is_not_exported_and_leaves_nothing() {
    let fixture = locked_meeting();
    let draft = fixture.store.revise_meeting(&fixture.meeting_id, "Nama delegasi salah ketik").unwrap();
    let folder = tempfile::tempdir().unwrap();
    let refused = export_to_folder(&fixture.store, &fixture.device(), &draft.id, None, folder.path(), &mut |_| {});
    assert!(matches!(refused, Err(BundleError::MeetingNotLocked)), "{refused:?}");
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
}

#[test]
fn sealing_without_an_office_key_needs_the_users_consent() {
    let key = [7u8; 32];
    assert!(matches!(sealing_key(None, false), Err(BundleError::UnencryptedNotConfirmed)));
    assert_eq!(sealing_key(None, false).unwrap_err().code(), "unencrypted_not_confirmed");
    assert_eq!(sealing_key(None, true).unwrap(), None);
    assert_eq!(sealing_key(Some(key), false).unwrap(), Some(key));
    assert_eq!(sealing_key(Some(key), true).unwrap(), Some(key));
}
