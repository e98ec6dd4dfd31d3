//! Answers travel back: staff review a delivered bundle in the office's store,
//! the device syncs with its real engine over loopback and keeps the
//! office's signed review and outcomes; nobody else's answers, no forged
//! ones, no older ones.

#[path = "../../rembug-bundle/tests/common/mod.rs"]
mod bundle;
mod support;

use std::sync::Arc;

use bundle::{Fixture, locked_meeting};
use rembug_core::answers::{OutcomeKind, OutcomeSource, ReviewState};
use rembug_core::device::DeviceIdentity;
use rembug_core::store::AnswersSaved;
use rembug_core::trust::OfficeIdentity;
use rembug_office::store::{AuditEntry, Review, UsulanOutcome};
use rembug_sync::client::OfficeClient;
use rembug_sync::enroll::enroll_online;
use rembug_sync::outbox::{Outcome, RoundOptions, RoundReport, sync_round};
use rembug_sync::paths;
use support::{RawRequest, TestOffice, new_device};

/// The fixture's device, enrolled online for RW 05 with `office`.
fn enrolled(office: &TestOffice, fixture: &Fixture) -> Arc<DeviceIdentity> {
    let device = Arc::new(fixture.device());
    let code = office.code(Some(5));
    enroll_online(&fixture.store, &fixture.data_path(), device.clone(), &office.url, code.as_str(), &mut |_| false)
        .unwrap();
    device
}

fn round(fixture: &Fixture, device: &Arc<DeviceIdentity>) -> RoundReport {
    sync_round(&fixture.store, device.clone(), RoundOptions { force: false, quick_tries: 3 }, &mut |_| {}).unwrap()
}

fn audit(action: &str) -> AuditEntry {
    AuditEntry {
        at: "2026-12-07T04:00:00Z".into(),
        staff_name: "admin".into(),
        action: action.into(),
        target: String::new(),
        detail: String::new(),
    }
}

/// Staff set the review of the office's one bundle.
fn review(office: &TestOffice, state: &str, note: Option<&str>) {
    let admin = office.admin();
    let sha256 = admin.store.bundles().unwrap()[0].sha256.clone();
    let review = Review { state: state.into(), note: note.map(Into::into) };
    admin.store.set_review(&sha256, &review, &audit(state)).unwrap();
}

#[test]
fn staff_review_reaches_the_device_on_its_next_sync() {
    let office = TestOffice::start();
    let fixture = locked_meeting();
    let device = enrolled(&office, &fixture);
    let first = round(&fixture, &device);
    assert!(matches!(first.outcomes[0].outcome, Outcome::Delivered { new: true, .. }));
    assert!(matches!(first.answers, Some(AnswersSaved::Stored { .. })));
    assert!(first.roster.is_some(), "the roster comes with the answers");
    let received = fixture.store.meeting_review(&fixture.meeting_id).unwrap().unwrap();
    assert_eq!((received.state, received.note), (ReviewState::Diterima, None));

    let note = "Daftar hadir RT 03 belum ditandatangani";
    review(&office, "perlu_perbaikan", Some(note));
    let usulan = fixture.store.usulan_list(&fixture.meeting_id).unwrap();
    let admin = office.admin();
    let sha256 = admin.store.bundles().unwrap()[0].sha256.clone();
    let outcome = UsulanOutcome {
        usulan_id: usulan[1].id.clone(),
        outcome: "dialihkan".into(),
        detail: "Dana kelurahan".into(),
        staff_name: "admin".into(),
        at: "2026-12-07T04:00:00Z".into(),
    };
    admin.store.set_usulan_outcome(&sha256, &outcome, &audit("usulan_dialihkan")).unwrap();

    let second = round(&fixture, &device);
    assert!(second.outcomes.is_empty(), "nothing to send again");
    assert!(matches!(second.answers, Some(AnswersSaved::Stored { changed: true, .. })));
    let held = fixture.store.meeting_review(&fixture.meeting_id).unwrap().unwrap();
    assert_eq!((held.state, held.note.as_deref()), (ReviewState::PerluPerbaikan, Some(note)));
    let outcomes = fixture.store.usulan_outcomes(&fixture.meeting_id).unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].usulan_id, usulan[1].id);
    assert_eq!((outcomes[0].outcome, outcomes[0].source), (OutcomeKind::Dialihkan, OutcomeSource::Office));
    assert_eq!(outcomes[0].detail, "Dana kelurahan");
}

#[test]
fn an_older_or_replayed_answer_is_ignored() {
    let office = TestOffice::start();
    let fixture = locked_meeting();
    let device = enrolled(&office, &fixture);
    round(&fixture, &device);
    review(&office, "perlu_perbaikan", Some("Foto usulan kurang jelas"));
    let mut client = OfficeClient::new(&office.url, device.clone(), Some(office.admin().identity), None).unwrap();
    client.preflight().unwrap();
    let (older, _) = client.answers().unwrap();

    review(&office, "disetujui", None);
    round(&fixture, &device);
    let office_identity = office.admin().identity;
    let replayed = fixture.store.save_answers(&older.signed, &office_identity, &device.device_id()).unwrap();
    assert!(matches!(replayed, AnswersSaved::NotNewer { held_serial } if held_serial > older.document.serial));
    let held = fixture.store.meeting_review(&fixture.meeting_id).unwrap().unwrap();
    assert_eq!((held.state, held.note), (ReviewState::Disetujui, None));
}

#[test]
fn a_device_gets_only_its_own_answers_and_only_from_its_office() {
    let office = TestOffice::start();
    let fixture = locked_meeting();
    let device = enrolled(&office, &fixture);
    round(&fixture, &device);
    review(&office, "ditolak", Some("Bukan rapat RW 05"));

    // Another device of the same kelurahan asks: it hears nothing of them.
    let (_dir, other) = new_device();
    let other_id = other.device_id();
    let mut neighbour = office.enrolled(other, None);
    neighbour.preflight().unwrap();
    let (theirs, roster) = neighbour.answers().unwrap();
    assert_eq!(theirs.document.device_id, other_id);
    assert!(theirs.document.meetings.is_empty());
    assert!(roster.document.device(&device.device_id()).is_some());
    // Nor do its answers pass as this device's.
    let office_identity = office.admin().identity;
    assert!(fixture.store.save_answers(&theirs.signed, &office_identity, &device.device_id()).is_err());

    // Answers are asked for by a signed request only.
    let unsigned = RawRequest { method: "GET", path: paths::ANSWERS.into(), headers: Vec::new(), body: Vec::new() };
    assert_eq!(unsigned.send(office.address, None).unwrap().0, 401);

    // Answers another office signed are not this office's.
    let stranger = OfficeIdentity::new("Lain", "Kota Lain", &[9; 32], &[9; 32]);
    let pinned = OfficeClient::new(&office.url, device.clone(), Some(stranger.clone()), None).unwrap();
    assert_eq!(pinned.answers().unwrap_err().code(), "not_the_office");
    let (mine, _) = {
        let mut client = OfficeClient::new(&office.url, device.clone(), Some(office_identity), None).unwrap();
        client.preflight().unwrap();
        client.answers().unwrap()
    };
    assert_eq!(mine.document.meetings[0].review_state, ReviewState::Ditolak);
    assert!(fixture.store.save_answers(&mine.signed, &stranger, &device.device_id()).is_err());
}

#[test]
fn a_kelurahan_the_office_adds_to_the_device_s_kota_reaches_its_picker_and_no_other_kota_does() {
    let office = TestOffice::start();
    let added = rembug_core::wilayah::parse_wilayah_csv(
        "kode_kemendagri,kelurahan,kode_kecamatan,kecamatan,kode_kota,kota\n\
         32.77.02.1099,Baros Baru,32.77.02,Cimahi Tengah,32.77,Kota Cimahi\n\
         32.73.01.1001,Sukasari,32.73.01,Sukasari,32.73,Kota Bandung\n",
    )
    .unwrap();
    office.admin().import_wilayah(&added).unwrap();
    // The office reads its wilayah when it starts.
    let office = office.restart();
    let fixture = locked_meeting();
    let device = enrolled(&office, &fixture);
    assert!(!fixture.store.list_kelurahan().unwrap().iter().any(|k| k.name == "Baros Baru"));
    assert!(matches!(round(&fixture, &device).answers, Some(AnswersSaved::Stored { .. })));
    let names: Vec<String> = fixture.store.list_kelurahan().unwrap().into_iter().map(|k| k.name).collect();
    assert!(names.contains(&"Baros Baru".to_owned()), "{names:?}");
    assert!(!names.contains(&"Sukasari".to_owned()), "another kota's kelurahan stays at the office");
}
