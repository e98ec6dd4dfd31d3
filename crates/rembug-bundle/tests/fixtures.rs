//! Bundles and a data folder written by an earlier build, committed under
//! `tests/fixtures/`: every later build must verify and import those bundles
//! with the same `content_hash`, and must migrate that data folder and seal
//! its meetings into the same `meeting.json` bytes.
//!
//! The fixtures are regenerated only when a new set is wanted (say, for a new
//! format version), never to make a failing test pass:
//!
//! ```text
//! cargo test -p rembug-bundle --test fixtures -- --ignored write_fixtures
//! ```
//!
//! writes `tests/fixtures/<FIXTURE_SET>/` with the build at hand.

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use common::{locked_meeting, png};
use rembug_bundle::crypto::office_key_pair;
use rembug_core::attendance::Role;
use rembug_core::data_dir::DATABASE_FILE;
use rembug_core::device::DEVICE_KEY_FILE;
use rembug_core::meeting::MeetingForm;
use rembug_core::people::PersonForm;
use serde::{Deserialize, Serialize};

/// The set the current tests read: sealed by the build of December 2026,
/// schema version 4, bundle format version 1.
const FIXTURE_SET: &str = "2026-12-schema4-format1";
/// The office key pair's secret the encrypted bundle was sealed to.
const OFFICE_SECRET: [u8; 32] = [3; 32];

/// What the generator wrote, for the tests to find it again.
#[derive(Debug, Serialize, Deserialize)]
struct Index {
    schema_version: i64,
    bundles: Vec<FixtureBundle>,
}

#[derive(Debug, Serialize, Deserialize)]
struct FixtureBundle {
    file: String,
    meeting_id: String,
    /// Sealed to the office key of [`OFFICE_SECRET`].
    office_key: bool,
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(FIXTURE_SET)
}

#[test]
#[ignore = "writes the committed fixtures; run by hand only for a new fixture set"]
fn write_fixtures() {
    let fixture = locked_meeting();
    let store = &fixture.store;
    let first = fixture.meeting_id.clone();
    // A correction: one usulan's cost changes.
    let second = store.revise_meeting(&first, "Biaya perbaikan jalan dihitung ulang").unwrap().id;
    let usulan = store.usulan_list(&second).unwrap()[0].clone();
    let mut form = usulan.to_form();
    form.biaya = "Rp 52.500.000".into();
    store.update_usulan(&usulan.id, &form).unwrap();
    store.lock_meeting(&second).unwrap();
    // The kelurahan meeting merges RW 5's latest locked revision: its usulan carry an origin.
    let kelurahan_form = MeetingForm {
        date: "2027-01-20".into(),
        start_time: "09:00".into(),
        place: "Aula Kelurahan Melong".into(),
        facilitator: "Asep Saepudin".into(),
        pimpinan: "Drs. H. Asep Hidayat".into(),
        pimpinan_jabatan: "Ketua LPM".into(),
        ..MeetingForm::default()
    };
    let kelurahan = store.start_kelurahan_meeting(&kelurahan_form, "32.77.01.1001", 2027).unwrap().meeting.id;
    let lurah = PersonForm {
        name: "Dedeh Rohaeti".into(),
        gender: "P".into(),
        unsur: "LPM".into(),
        rw: "5".into(),
        ..PersonForm::default()
    };
    let attendee = store.check_in_new(&kelurahan, &lurah, Role::Peserta).unwrap();
    store.set_delegates(&kelurahan, &[attendee.person_id]).unwrap();
    store.add_attendance_sheet_photo(&kelurahan, Cursor::new(png(12)), "image/png").unwrap();
    store.lock_meeting(&kelurahan).unwrap();

    let out = fixture_dir();
    if out.exists() {
        std::fs::remove_dir_all(&out).unwrap();
    }
    std::fs::create_dir_all(&out).unwrap();
    let (_, office_public) = office_key_pair(OFFICE_SECRET);
    let device = fixture.device();
    let mut bundles = Vec::new();
    for (file, meeting_id, office_key) in [
        ("rw05-revision1.rembug", &first, false),
        ("rw05-revision1-office.rembug", &first, true),
        ("rw05-revision2-correction.rembug", &second, false),
        ("kelurahan-office.rembug", &kelurahan, true),
    ] {
        let key = office_key.then_some(office_public);
        rembug_bundle::seal(store, &device, meeting_id, key, &out.join(file)).unwrap();
        bundles.push(FixtureBundle { file: file.into(), meeting_id: meeting_id.clone(), office_key });
    }
    let index = Index { schema_version: rembug_core::store::SCHEMA_VERSION, bundles };
    std::fs::write(out.join("index.json"), serde_json::to_vec_pretty(&index).unwrap()).unwrap();

    // The data folder as the app leaves it closed: one database file, no
    // write-ahead log, the device key and the attachments.
    let data = fixture.data_path();
    drop(fixture.store);
    let data_out = out.join("data");
    std::fs::create_dir_all(data_out.join("attachments")).unwrap();
    for name in [DATABASE_FILE, DEVICE_KEY_FILE] {
        std::fs::copy(data.join(name), data_out.join(name)).unwrap();
    }
    for entry in std::fs::read_dir(data.join("attachments")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), data_out.join("attachments").join(entry.file_name())).unwrap();
    }
}

fn index() -> Index {
    serde_json::from_slice(&std::fs::read(fixture_dir().join("index.json")).unwrap()).unwrap()
}

fn sha256_hex(bytes: &[u8]) -> String {
    rembug_core::hex::sha256_hex(bytes)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn bundles_sealed_by_an_earlier_build_verify_and_import_with_their_content_hash() {
    let index = index();
    let (office_secret, _) = office_key_pair(OFFICE_SECRET);
    let dir = tempfile::tempdir().unwrap();
    let store = rembug_core::DataDir::open(&dir.path().join("kelurahan")).unwrap().open_store().unwrap();
    let mut content_hashes = std::collections::HashMap::new();
    for fixture in &index.bundles {
        let path = fixture_dir().join(&fixture.file);
        let verified = rembug_bundle::verify_file(&path).unwrap_or_else(|error| panic!("{}: {error}", fixture.file));
        let bundle = &verified.bundle;
        let manifest = &bundle.manifest;
        assert_eq!(manifest.meeting_id, fixture.meeting_id);
        assert_eq!(manifest.content_hash, sha256_hex(bundle.meeting_json.as_bytes()), "{}", fixture.file);
        assert_eq!(manifest.personal.encrypted, fixture.office_key);
        if fixture.office_key {
            let personal =
                bundle.personal_record(&mut std::fs::File::open(&path).unwrap(), Some(office_secret)).unwrap();
            assert!(!personal.attendees.is_empty());
        }
        if let Some(supersedes) = &manifest.supersedes {
            assert_eq!(Some(&supersedes.content_hash), content_hashes.get(&supersedes.meeting_id), "{}", fixture.file);
        }
        content_hashes.insert(manifest.meeting_id.clone(), manifest.content_hash.clone());

        let outcome = rembug_bundle::import_file(&store, &path).unwrap();
        let imported = outcome.meeting();
        // The same revision sealed twice (plain, then to the office) is one import.
        assert_eq!(imported.content_hash, manifest.content_hash);
        let record = store.imported_meeting(&imported.bundle_sha256).unwrap().record;
        assert_eq!(record, bundle.record);
    }
    // What an import keeps is the verified meeting.json itself.
    let conn = rusqlite::Connection::open(dir.path().join("kelurahan").join(DATABASE_FILE)).unwrap();
    let stored: Vec<(String, String)> = conn
        .prepare("SELECT content_hash, record_json FROM imported_bundle")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(stored.len(), 3, "four bundles, three revisions");
    for (content_hash, record_json) in stored {
        assert_eq!(sha256_hex(record_json.as_bytes()), content_hash);
    }
    let corrected = store.imported_meetings().unwrap().into_iter().filter(|m| m.superseded_by.is_some()).count();
    assert_eq!(corrected, 1, "the correction links to the revision it corrects");
}

#[test]
fn a_data_folder_of_an_earlier_schema_migrates_and_seals_the_same_records_whatever_the_settings() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&fixture_dir().join("data"), &data);
    let version = |path: &Path| -> i64 {
        rusqlite::Connection::open(path.join(DATABASE_FILE))
            .unwrap()
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap()
    };
    assert_eq!(version(&data), index.schema_version);
    let data_dir = rembug_core::DataDir::open(&data).unwrap();
    let store = data_dir.open_store().unwrap();
    assert_eq!(version(&data), rembug_core::store::SCHEMA_VERSION);
    let device = rembug_core::device::DeviceIdentity::load_or_create(&data).unwrap();
    let (_, office_public) = office_key_pair(OFFICE_SECRET);

    let seal_all = |round: &str| -> Vec<rembug_bundle::Sealed> {
        index
            .bundles
            .iter()
            .map(|fixture| {
                let out = dir.path().join(format!("{round}-{}", fixture.file));
                let key = fixture.office_key.then_some(office_public);
                rembug_bundle::seal(&store, &device, &fixture.meeting_id, key, &out).unwrap()
            })
            .collect()
    };
    // Meetings locked before records were frozen are frozen at their first seal.
    let first = seal_all("migrated");
    for (fixture, sealed) in index.bundles.iter().zip(&first) {
        let old = rembug_bundle::verify_file(&fixture_dir().join(&fixture.file)).unwrap();
        let old_manifest = &old.bundle.manifest;
        assert_eq!(sealed.manifest.content_hash, old_manifest.content_hash, "{}", fixture.file);
        assert_eq!(sealed.manifest.bundle_id, old_manifest.bundle_id);
        assert_eq!(sealed.manifest.supersedes, old_manifest.supersedes);
        // Every entry, the encrypted ones too, has the same bytes.
        assert_eq!(sealed.manifest.files, old_manifest.files, "{}", fixture.file);
        if old_manifest.app_version == env!("CARGO_PKG_VERSION") {
            assert_eq!(sealed.sha256, old.sha256, "{}: the same build version writes the same file", fixture.file);
        }
    }

    let mut form = store.settings().unwrap().recording.to_form();
    form.women_target_percent = "95".into();
    store.save_recording_settings(&form).unwrap();
    let again = seal_all("after-settings");
    let hashes = |sealed: &[rembug_bundle::Sealed]| sealed.iter().map(|s| s.sha256.clone()).collect::<Vec<_>>();
    assert_eq!(hashes(&again), hashes(&first));
}
