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
    store.set_delegates(&kelurahan, &[attendee.person_id], 1, 5).unwrap();
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
    let index = Index {
        schema_version: rembug_core::store::SCHEMA_VERSION,
        bundles,
    };
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

