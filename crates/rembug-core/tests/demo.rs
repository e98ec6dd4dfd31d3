//! Demo data: deterministic, within the schema's and the forms' bounds.

mod common;

use common::open;
use rembug_core::demo::{self, Scale};
use rembug_core::meeting::{MeetingStatus, Stage};
use rembug_core::store::meetings::{MeetingFilter, MeetingList};
use rembug_core::usulan::UsulanContext;
use rembug_core::{CoreError, Store};

const YEAR: i32 = 2027;
const TABLES: [&str; 8] =
    ["meeting", "person", "attendance", "agenda_item", "usulan", "criterion", "score", "delegate"];

fn row_counts(dir: &tempfile::TempDir) -> Vec<i64> {
    let conn = rusqlite::Connection::open(dir.path().join(common::DATABASE)).unwrap();
    TABLES
        .iter()
        .map(|table| conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get(0)).unwrap())
        .collect()
}

fn all_meetings(store: &Store) -> MeetingList {
    store.list_meetings(&MeetingFilter { limit: Some(5000), ..MeetingFilter::default() }).unwrap()
}

fn generated(scale: Scale, seed: u64) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    demo::generate_for_year(&store, scale, seed, YEAR).unwrap();
    (dir, store)
}

#[test]
fn the_same_seed_gives_the_same_meetings_and_rows() {
    for scale in [Scale::Rw, Scale::Kelurahan] {
        let (first_dir, first) = generated(scale, 42);
        let (again_dir, again) = generated(scale, 42);
        let (other_dir, other) = generated(scale, 43);
        assert_eq!(all_meetings(&first), all_meetings(&again), "{scale:?}");
        assert_eq!(row_counts(&first_dir), row_counts(&again_dir), "{scale:?}");
        let id = &all_meetings(&first).meetings[0].id;
        assert_eq!(first.usulan_list(id).unwrap(), again.usulan_list(id).unwrap());
        assert_eq!(first.agenda(id).unwrap(), again.agenda(id).unwrap());
        assert_ne!(all_meetings(&first), all_meetings(&other), "another seed, other data");
        drop(other_dir);
    }
}

#[test]
fn the_rw_scale_is_one_evening_in_an_rw_hall() {
    let (dir, store) = generated(Scale::Rw, 1);
    let list = all_meetings(&store);
    assert_eq!(list.total, 1);
    let meeting = &list.meetings[0];
    assert_eq!(
        (meeting.stage, meeting.status, meeting.planning_year),
        (Stage::RembugWarga, MeetingStatus::Draft, YEAR)
    );
    assert_eq!(uuid::Uuid::parse_str(&meeting.id).unwrap().get_version_num(), 7);
    // meeting, person, attendance, agenda_item, usulan, criterion, score, delegate
    let counts = row_counts(&dir);
    assert_eq!(counts[0], 1);
    assert!(counts[1] >= 130, "the RW's residents are in the directory: {}", counts[1]);
    assert_eq!(&counts[2..], [40, 4, 8, 5, 40, 3]);
    let delegates = store.delegates(&meeting.id).unwrap();
    assert!(delegates.delegates.iter().any(|d| d.gender.as_str() == "P"), "at least one woman among the delegates");
    assert!(store.meeting_changes(&meeting.id).unwrap().is_empty(), "demo data is generated, not recorded");
}

#[test]
fn every_generated_usulan_and_person_passes_the_forms_checks() {
    let (_dir, store) = generated(Scale::Kelurahan, 9);
    let list = all_meetings(&store);
    assert!(list.total >= 10, "every RW of the kelurahan meets: {}", list.total);
    let mut usulan_count = 0;
    for meeting in &list.meetings {
        let attendees = store.attendees(&meeting.id).unwrap();
        let is_attendee = |id: &str| attendees.iter().any(|a| a.person_id == id);
        let context = UsulanContext { stage: meeting.stage, meeting_rw: meeting.rw, is_attendee: &is_attendee };
        for usulan in store.usulan_list(&meeting.id).unwrap() {
            usulan_count += 1;
            assert!(usulan.biaya >= 10_000_000, "tens of millions of Rupiah: {}", usulan.biaya);
            assert!(usulan.volume > 0.0);
            if let Err(errors) = usulan.to_form().parse(&context) {
                panic!("{} refused: {errors:?}", usulan.kegiatan);
            }
        }
        for attendee in &attendees {
            let person = store.get_person(&attendee.person_id).unwrap();
            if let Err(errors) =
                person.to_form().parse(|code| code == person.kelurahan_code.as_deref().unwrap_or_default())
            {
                panic!("a person was refused: {errors:?}");
            }
        }
    }
    assert!(usulan_count >= 10 * list.meetings.len());
}

#[test]
fn demo_data_fills_only_an_empty_store() {
    let (_dir, store) = generated(Scale::Rw, 1);
    let error = demo::generate_for_year(&store, Scale::Rw, 2, YEAR).unwrap_err();
    assert!(matches!(error, CoreError::DemoNeedsEmptyStore), "{error:?}");
    assert_eq!(error.code(), "demo_needs_empty_store");
    assert_eq!(all_meetings(&store).total, 1, "nothing was added");
}
