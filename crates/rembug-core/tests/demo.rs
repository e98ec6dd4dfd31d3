//! Demo data: deterministic, within the schema's and the forms' bounds.

mod common;

use chrono::Datelike;
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
        for meeting in all_meetings(&first).meetings {
            let id = &meeting.id;
            assert_eq!(first.usulan_list(id).unwrap(), again.usulan_list(id).unwrap());
            assert_eq!(first.agenda(id).unwrap(), again.agenda(id).unwrap());
            if meeting.status == MeetingStatus::Locked {
                assert_eq!(first.frozen_record(id).unwrap(), again.frozen_record(id).unwrap(), "{scale:?}");
            }
        }
        assert_ne!(all_meetings(&first), all_meetings(&other), "another seed, other data");
        drop(other_dir);
    }
}

/// A meeting's rows of attendance, agenda_item, usulan, criterion, score
/// and delegate.
fn meeting_row_counts(dir: &tempfile::TempDir, meeting_id: &str) -> Vec<i64> {
    let conn = rusqlite::Connection::open(dir.path().join(common::DATABASE)).unwrap();
    ["attendance", "agenda_item", "usulan", "criterion", "delegate"]
        .iter()
        .map(|table| format!("SELECT count(*) FROM {table} WHERE meeting_id = ?1"))
        .chain(["SELECT count(*) FROM score JOIN usulan ON usulan.id = score.usulan_id WHERE meeting_id = ?1".into()])
        .map(|sql| conn.query_row(&sql, [meeting_id], |row| row.get(0)).unwrap())
        .collect()
}

#[test]
fn the_rw_scale_is_one_evening_in_an_rw_hall_a_year_after_the_last() {
    let (dir, store) = generated(Scale::Rw, 1);
    let list = all_meetings(&store);
    assert_eq!(list.total, 2);
    let (meeting, previous) = (&list.meetings[0], &list.meetings[1]);
    assert_eq!(
        (meeting.stage, meeting.status, meeting.planning_year),
        (Stage::RembugWarga, MeetingStatus::Draft, YEAR)
    );
    assert_eq!(
        (previous.stage, previous.status, previous.planning_year),
        (Stage::RembugWarga, MeetingStatus::Locked, YEAR - 1)
    );
    assert_eq!((previous.kelurahan_code.as_str(), previous.rw), (meeting.kelurahan_code.as_str(), meeting.rw));
    assert_eq!(uuid::Uuid::parse_str(&meeting.id).unwrap().get_version_num(), 7);
    // attendance, agenda_item, usulan, criterion, delegate, score
    assert_eq!(meeting_row_counts(&dir, &meeting.id), [40, 4, 8, 5, 3, 40]);
    let counts = row_counts(&dir);
    assert_eq!(counts[0], 2);
    assert!(counts[1] >= 130, "the RW's residents are in the directory: {}", counts[1]);
    let both: Vec<i64> = meeting_row_counts(&dir, &meeting.id)
        .iter()
        .zip(meeting_row_counts(&dir, &previous.id))
        .map(|(current, last)| current + last)
        .collect();
    // The same tables in row_counts' order: score before delegate.
    assert_eq!(&counts[2..], [both[0], both[1], both[2], both[3], both[5], both[4]]);
    let delegates = store.delegates(&meeting.id).unwrap();
    assert!(delegates.delegates.iter().any(|d| d.gender.as_str() == "P"), "at least one woman among the delegates");
    for id in [&meeting.id, &previous.id] {
        assert!(store.meeting_changes(id).unwrap().is_empty(), "demo data is generated, not recorded");
    }
}

/// Rembug warga meet from mid-November two years before the year they plan,
/// a musrenbang kelurahan in January of the year before.
fn assert_planning_calendar(store: &Store) {
    for meeting in all_meetings(store).meetings {
        let date = chrono::NaiveDate::parse_from_str(&meeting.date, "%Y-%m-%d").unwrap();
        let (year, months) = match meeting.stage {
            Stage::RembugWarga => (meeting.planning_year - 2, 11..=12),
            Stage::MusrenbangKelurahan => (meeting.planning_year - 1, 1..=2),
        };
        assert!(date.year() == year && months.contains(&date.month()), "{:?} of {}", meeting.stage, meeting.date);
    }
}

#[test]
fn last_years_meetings_are_locked_and_frozen_as_the_kunci_tab_freezes_them() {
    for (scale, kelurahan_meetings) in [(Scale::Rw, 0), (Scale::Kelurahan, 1)] {
        let (dir, store) = generated(scale, 7);
        assert_planning_calendar(&store);
        let meetings = all_meetings(&store).meetings;
        let locked: Vec<_> = meetings.iter().filter(|m| m.status == MeetingStatus::Locked).collect();
        let drafts: Vec<_> = meetings.iter().filter(|m| m.status == MeetingStatus::Draft).collect();
        assert!(locked.iter().all(|m| m.planning_year == YEAR - 1), "{scale:?}");
        assert!(drafts.iter().all(|m| m.planning_year == YEAR && m.stage == Stage::RembugWarga), "{scale:?}");
        let locked_rw = locked.iter().filter(|m| m.stage == Stage::RembugWarga).count();
        assert_eq!(locked_rw, drafts.len(), "every RW met both years: {scale:?}");
        assert_eq!(locked.len() - locked_rw, kelurahan_meetings, "{scale:?}");

        let conn = rusqlite::Connection::open(dir.path().join(common::DATABASE)).unwrap();
        let frozen: i64 = conn.query_row("SELECT count(*) FROM frozen_record", [], |row| row.get(0)).unwrap();
        assert_eq!(frozen as usize, locked.len(), "frozen when generated, not on a first seal: {scale:?}");
        for meeting in &locked {
            // What the lock's freeze would write for it now, byte for byte.
            let record = store.meeting_record(&meeting.id).unwrap();
            let expected = rembug_core::record::FrozenRecord::freeze(&record).unwrap();
            assert_eq!(store.frozen_record(&meeting.id).unwrap(), expected);
            let (frozen_at, locked_at): (String, String) = conn
                .query_row(
                    "SELECT frozen_at, locked_at FROM frozen_record JOIN meeting ON meeting.id = meeting_id
                     WHERE meeting_id = ?1",
                    [&meeting.id],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .unwrap();
            assert_eq!(frozen_at, locked_at, "frozen when it was locked, not by the clock");
        }
    }
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
    assert_eq!(all_meetings(&store).total, 2, "nothing was added");
}
