//! Importing a bundle on another device (the kelurahan cadre's laptop):
//! verified first, stored read-only with its origin, once.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::{locked_meeting, png};
use rembug_bundle::import_file;
use rembug_core::device::DeviceIdentity;
use rembug_core::imported::ImportOutcome;
use rembug_core::meeting::MeetingStatus;
use rembug_core::store::meetings::MeetingFilter;
use rembug_core::{DataDir, Store, demo};

/// Tables an import writes, then tables it must never write.
const TABLES: [&str; 8] =
    ["imported_bundle", "attachment", "meeting", "person", "attendance", "delegate", "usulan", "meeting_change"];

fn row_counts(data: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(data.join("rembug.sqlite3")).unwrap();
    TABLES
        .iter()
        .map(|table| conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get(0)).unwrap())
        .collect()
}

/// A demo rembug warga on data folder A with a photo added to its first
/// usulan, locked and sealed through the real APIs.
struct Origin {
    dir: tempfile::TempDir,
    store: Store,
    device: DeviceIdentity,
    meeting_id: String,
    bundle: PathBuf,
}

fn sealed_demo_meeting() -> Origin {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::open(&dir.path().join("a")).unwrap();
    let store = data_dir.open_store().unwrap();
    demo::generate(&store, demo::Scale::Rw, 3).unwrap();
    let meeting_id = store.list_meetings(&MeetingFilter::default()).unwrap().meetings[0].id.clone();
    let first_usulan = store.usulan_list(&meeting_id).unwrap()[0].id.clone();
    store.add_usulan_photo(&first_usulan, std::io::Cursor::new(png(48)), false).unwrap();
    store.lock_meeting(&meeting_id).unwrap();
    let device = DeviceIdentity::load_or_create(data_dir.path()).unwrap();
    let bundle = dir.path().join("rw.rembug");
    rembug_bundle::seal(&store, &device, &meeting_id, None, &bundle).unwrap();
    Origin { dir, store, device, meeting_id, bundle }
}

fn empty_data_dir(origin: &Origin, name: &str) -> (PathBuf, Store) {
    let data_dir = DataDir::open(&origin.dir.path().join(name)).unwrap();
    let store = data_dir.open_store().unwrap();
    (data_dir.path().to_owned(), store)
}

#[test]
fn an_imported_meeting_is_its_public_record_with_its_origin_and_photos() {
    let origin = sealed_demo_meeting();
    let (data_b, store_b) = empty_data_dir(&origin, "b");
    let before = row_counts(&data_b);

    let outcome = import_file(&store_b, &origin.bundle).unwrap();
    let ImportOutcome::Imported(imported) = outcome else { panic!("{outcome:?}") };
    let verified = rembug_bundle::verify_file(&origin.bundle).unwrap();
    assert_eq!(imported.bundle_sha256, verified.sha256);
    assert_eq!(imported.content_hash, verified.bundle.manifest.content_hash);
    assert_eq!(imported.meeting_id, origin.meeting_id);
    assert_eq!(imported.device_fingerprint, origin.device.fingerprint());
    assert_eq!(imported.device_id, origin.device.device_id());
    assert_eq!((imported.revision, imported.supersedes_content_hash.as_deref()), (1, None));
    assert!(!imported.personal_encrypted);

    let sent = origin.store.meeting_record(&origin.meeting_id).unwrap().public;
    assert_eq!(sent.meeting.status, MeetingStatus::Locked);
    assert_eq!(imported.kelurahan_code, sent.meeting.kelurahan.code);
    assert_eq!((imported.rw, imported.date.as_str()), (sent.meeting.rw, sent.meeting.date.as_str()));
    let stored = store_b.imported_meeting(&imported.bundle_sha256).unwrap();
    assert_eq!(stored.meeting, imported);
    assert_eq!(stored.record, sent);
    // The signatories travel: the chair and the jabatan printed under the name.
    let chair = &stored.record.meeting;
    assert!(chair.pimpinan.is_some(), "{chair:?}");
    assert_eq!(chair.pimpinan_jabatan, Some(format!("Ketua RW {:02}", chair.rw.unwrap())));
    // Kept as verified: the record serialises back to the bytes of meeting.json.
    let json = serde_json::to_vec(&stored.record).unwrap();
    assert_eq!(rembug_core::hex::sha256_hex(&json), imported.content_hash);
    assert_eq!(store_b.imported_meetings().unwrap(), vec![imported]);

    assert_eq!(sent.attachments.len(), 1);
    let photo = &sent.attachments[0];
    assert_eq!(store_b.attachment(photo).unwrap().media_type, "image/png");
    let mut bytes = Vec::new();
    store_b.open_attachment(photo).unwrap().read_to_end(&mut bytes).unwrap();
    let mut original = Vec::new();
    origin.store.open_attachment(photo).unwrap().read_to_end(&mut original).unwrap();
    assert_eq!(bytes, original);

    // One bundle row and one photo; no meeting, resident, attendance or delegate.
    let after = row_counts(&data_b);
    assert_eq!(after[0] - before[0], 1);
    assert_eq!(after[1] - before[1], 1);
    assert_eq!(&after[2..], &before[2..]);
    assert_eq!(after[2..], [0, 0, 0, 0, 0, 0]);
}

#[test]
fn importing_the_same_bundle_again_changes_nothing() {
    let origin = sealed_demo_meeting();
    let (data_b, store_b) = empty_data_dir(&origin, "b");
    let first = import_file(&store_b, &origin.bundle).unwrap();
    let counts = row_counts(&data_b);
    let again = import_file(&store_b, &origin.bundle).unwrap();
    assert_eq!(again, ImportOutcome::AlreadyImported(first.meeting().clone()));
    assert_eq!(row_counts(&data_b), counts);
    assert_eq!(store_b.imported_meetings().unwrap().len(), 1);
}

#[test]
fn the_same_revision_sealed_encrypted_is_already_imported() {
    let origin = sealed_demo_meeting();
    let (_, store_b) = empty_data_dir(&origin, "b");
    let first = import_file(&store_b, &origin.bundle).unwrap();
    let (_, office_public) = rembug_bundle::crypto::office_key_pair([3; 32]);
    let encrypted = origin.dir.path().join("rw-encrypted.rembug");
    rembug_bundle::seal(&origin.store, &origin.device, &origin.meeting_id, Some(office_public), &encrypted).unwrap();
    let again = import_file(&store_b, &encrypted).unwrap();
    assert_eq!(again, ImportOutcome::AlreadyImported(first.meeting().clone()));
}

#[test]
fn a_tampered_bundle_is_refused_and_nothing_is_stored() {
    let origin = sealed_demo_meeting();
    let (data_b, store_b) = empty_data_dir(&origin, "b");
    let before = row_counts(&data_b);
    let mut bytes = std::fs::read(&origin.bundle).unwrap();
    // Inside meeting.json, the first entry's data, after its 42-byte local header.
    bytes[60] ^= 0x20;
    let tampered = origin.dir.path().join("tampered.rembug");
    std::fs::write(&tampered, &bytes).unwrap();

    let error = import_file(&store_b, &tampered).unwrap_err();
    assert_eq!(error.code(), "hash_mismatch");
    assert_eq!(row_counts(&data_b), before);
    let photo_files = std::fs::read_dir(data_b.join("attachments")).map_or(0, |files| files.count());
    assert_eq!(photo_files, 0);
}

#[test]
fn a_newer_revision_is_stored_beside_the_one_it_supersedes() {
    let fixture = locked_meeting();
    let (first, _) = fixture.seal(None, "r1.rembug");
    let revision = fixture.store.revise_meeting(&fixture.meeting_id, "Salah tulis biaya").unwrap();
    fixture.store.lock_meeting(&revision.id).unwrap();
    let second_path = fixture.dir.path().join("r2.rembug");
    let second = rembug_bundle::seal(&fixture.store, &fixture.device(), &revision.id, None, &second_path).unwrap();

    let target = DataDir::open(&fixture.dir.path().join("kelurahan")).unwrap();
    let store = target.open_store().unwrap();
    // The correction may arrive before what it corrects.
    let newer = import_file(&store, &second_path).unwrap().meeting().clone();
    assert_eq!(newer.supersedes_content_hash.as_deref(), Some(first.manifest.content_hash.as_str()));
    assert_eq!(newer.superseded_by, None);
    let older = import_file(&store, &first.path).unwrap();
    assert!(matches!(older, ImportOutcome::Imported(_)), "{older:?}");

    let listed = store.imported_meetings().unwrap();
    let revisions: Vec<(u32, Option<&str>)> =
        listed.iter().map(|meeting| (meeting.revision, meeting.superseded_by.as_deref())).collect();
    assert_eq!(revisions, [(1, Some(second.sha256.as_str())), (2, None)]);
    assert_eq!(listed[1].meeting_id, revision.id);
    assert_eq!(store.imported_meeting(&second.sha256).unwrap().record.meeting.supersedes_id, Some(fixture.meeting_id));
}

#[test]
fn an_import_whose_record_is_refused_leaves_no_photo_behind() {
    let origin = sealed_demo_meeting();
    let (data_b, store_b) = empty_data_dir(&origin, "b");
    let before = row_counts(&data_b);
    // The record's insert fails after the photos' files were written: a
    // trigger stands in for a full disk or a refused row.
    rusqlite::Connection::open(data_b.join("rembug.sqlite3"))
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse_import BEFORE INSERT ON imported_bundle
             BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;",
        )
        .unwrap();
    let error = import_file(&store_b, &origin.bundle).unwrap_err();
    assert_eq!(error.code(), "database", "{error}");
    assert_eq!(row_counts(&data_b), before, "no attachment row, no record");
    let files = std::fs::read_dir(data_b.join("attachments")).map(|dir| dir.count()).unwrap_or(0);
    assert_eq!(files, 0, "no photo file left behind");

    rusqlite::Connection::open(data_b.join("rembug.sqlite3"))
        .unwrap()
        .execute_batch("DROP TRIGGER refuse_import")
        .unwrap();
    let imported = import_file(&store_b, &origin.bundle).unwrap();
    assert!(matches!(imported, ImportOutcome::Imported(_)));
    assert_eq!(row_counts(&data_b)[1], before[1] + 1, "the photo is recorded with the record");
}
