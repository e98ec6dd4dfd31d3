//! The store against a real SQLite file in a temporary folder.

mod common;

use common::{meeting_form as form, open};
use rembug_core::meeting::{MeetingForm, MeetingStatus, Stage, Timezone};
use rembug_core::settings::{Language, RecordingSettingsForm};
use rembug_core::store::meetings::MeetingFilter;
use rembug_core::{CoreError, DataDir, Store};

#[test]
fn a_created_meeting_survives_reopening_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let created = open(&dir).create_meeting(&form()).unwrap();
    assert_eq!(created.status, MeetingStatus::Draft);
    assert_eq!(created.stage, Stage::RembugWarga);
    assert_eq!(created.timezone, Timezone::Wib);
    assert_eq!((created.date.as_str(), created.start_time.as_str()), ("2026-11-28", "19:30"));
    assert_eq!(created.starts_at, "2026-11-28T12:30:00Z");
    assert_eq!(uuid::Uuid::parse_str(&created.id).unwrap().get_version_num(), 7);

    let store = open(&dir);
    assert_eq!(store.get_meeting(&created.id).unwrap(), created);
    let list = store.list_meetings(&MeetingFilter::default()).unwrap().meetings;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].kelurahan_name, created.kelurahan.name);
    assert_eq!((list[0].date.as_str(), list[0].rw), ("2026-11-28", Some(7)));
}

#[test]
fn the_forms_the_app_edits_come_from_the_core() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let created = store.create_meeting(&form()).unwrap();
    let edit = created.to_form();
    assert_eq!((edit.date.as_str(), edit.planning_year.as_str()), ("28/11/2026", "2027"));
    let saved = store.update_meeting(&created.id, &edit).unwrap();
    assert_eq!(saved.date, created.date, "the edit form saves the meeting unchanged");
    assert_eq!(saved.planning_year, created.planning_year);

    let new = MeetingForm::new_on_text("2026-12-15").unwrap();
    assert_eq!((new.stage.as_str(), new.date.as_str(), new.start_time.as_str()), ("rembug_warga", "15/12/2026", "19.30"));
    assert_eq!(new.planning_year, "", "left to the planning calendar");
    let filled = MeetingForm { kelurahan_code: created.kelurahan.code.clone(), rw: "7".into(), ..new };
    let filled = MeetingForm { place: "Balai RW 07".into(), facilitator: "Siti Rahmawati".into(), ..filled };
    assert_eq!(store.create_meeting(&filled).unwrap().planning_year, 2028);
    let refused = MeetingForm::new_on_text("15/13/2026").unwrap_err();
    assert_eq!(refused[0].field, "today");

    let recording = store.settings().unwrap().recording;
    assert_eq!(recording.to_form().parse(), Ok(recording));
}

#[test]
fn meetings_are_listed_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    for date in ["2025-11-20", "2026-11-28", "2024-12-01"] {
        store.create_meeting(&MeetingForm { date: date.into(), ..form() }).unwrap();
    }
    let dates: Vec<String> =
        store.list_meetings(&MeetingFilter::default()).unwrap().meetings.into_iter().map(|m| m.date).collect();
    assert_eq!(dates, ["2026-11-28", "2025-11-20", "2024-12-01"]);
}

#[test]
fn meetings_are_filtered_by_wilayah_year_stage_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    store.create_meeting(&form()).unwrap();
    store.create_meeting(&MeetingForm { rw: "8".into(), ..form() }).unwrap();
    store.create_meeting(&MeetingForm { planning_year: "2026".into(), date: "2025-11-20".into(), ..form() }).unwrap();
    store
        .create_meeting(&MeetingForm { stage: "musrenbang_kelurahan".into(), date: "2027-01-15".into(), ..form() })
        .unwrap();
    let count = |filter: MeetingFilter| store.list_meetings(&filter).unwrap();
    assert_eq!(count(MeetingFilter::default()).total, 4);
    assert_eq!(count(MeetingFilter { rw: Some(7), ..Default::default() }).total, 2);
    assert_eq!(count(MeetingFilter { planning_year: Some(2026), ..Default::default() }).total, 1);
    assert_eq!(count(MeetingFilter { stage: Some(Stage::MusrenbangKelurahan), ..Default::default() }).total, 1);
    assert_eq!(count(MeetingFilter { status: Some(MeetingStatus::Locked), ..Default::default() }).total, 0);
    assert_eq!(count(MeetingFilter { kelurahan_code: Some("32.77.01.1001".into()), ..Default::default() }).total, 0);
    let limited = count(MeetingFilter { limit: Some(2), ..Default::default() });
    assert_eq!((limited.meetings.len(), limited.total), (2, 4), "the total counts beyond the limit");
    assert_eq!(limited.meetings[0].stage, Stage::MusrenbangKelurahan, "newest first");
}

#[test]
fn an_invalid_form_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let error = store.create_meeting(&MeetingForm { rw: "0".into(), place: "".into(), ..form() }).unwrap_err();
    let fields: Vec<&str> = error.field_errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["rw", "place"]);
    assert_eq!(error.code(), "validation");
    assert!(store.list_meetings(&MeetingFilter::default()).unwrap().meetings.is_empty());
}

#[test]
fn editing_keeps_the_id_and_logs_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let created = store.create_meeting(&form()).unwrap();
    let edited =
        store.update_meeting(&created.id, &MeetingForm { place: "Masjid Al-Ikhlas".into(), ..form() }).unwrap();
    assert_eq!(edited.id, created.id);
    assert_eq!(edited.place, "Masjid Al-Ikhlas");

    // Saving the same details again is not a change.
    store.update_meeting(&created.id, &edited.to_form()).unwrap();

    let changes = store.meeting_changes(&created.id).unwrap();
    let actions: Vec<&str> = changes.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(actions, ["created", "updated"]);
    assert!(changes[1].before_json.as_deref().unwrap().contains("Balai RW 07"));
    assert!(changes[1].after_json.as_deref().unwrap().contains("Masjid Al-Ikhlas"));
}

#[test]
fn a_refused_edit_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let created = store.create_meeting(&form()).unwrap();
    let error = store.update_meeting(&created.id, &MeetingForm { date: "2026-02-30".into(), ..form() });
    assert!(matches!(error, Err(CoreError::Validation(_))));
    assert_eq!(store.get_meeting(&created.id).unwrap(), created);
    assert_eq!(store.meeting_changes(&created.id).unwrap().len(), 1);
}

#[test]
fn unknown_meetings_are_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    assert!(matches!(store.get_meeting("nope"), Err(CoreError::NotFound { .. })));
    assert!(matches!(store.update_meeting("nope", &form()), Err(CoreError::NotFound { .. })));
}

#[test]
fn a_locked_meeting_cannot_be_edited() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let created = store.create_meeting(&form()).unwrap();
    drop(store);
    // Locking arrives with the recording workflow; set the state directly here.
    let conn = rusqlite::Connection::open(dir.path().join("rembug.sqlite3")).unwrap();
    conn.execute("UPDATE meeting SET status = 'locked' WHERE id = ?1", [&created.id]).unwrap();
    drop(conn);
    let store = open(&dir);
    assert!(matches!(store.update_meeting(&created.id, &form()), Err(CoreError::MeetingLocked)));
}

#[test]
fn the_change_log_refuses_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    open(&dir).create_meeting(&form()).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("rembug.sqlite3")).unwrap();
    let update = conn.execute("UPDATE meeting_change SET action = 'forged'", []);
    let delete = conn.execute("DELETE FROM meeting_change", []);
    for result in [update, delete] {
        assert!(result.unwrap_err().to_string().contains("append-only"));
    }
}

#[test]
fn a_database_from_a_newer_app_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(&dir));
    let conn = rusqlite::Connection::open(dir.path().join("rembug.sqlite3")).unwrap();
    conn.pragma_update(None, "user_version", rembug_core::store::SCHEMA_VERSION + 1).unwrap();
    drop(conn);
    match Store::open(&dir.path().join("rembug.sqlite3")) {
        Err(CoreError::SchemaTooNew { found, supported }) => assert_eq!(found, supported + 1),
        other => panic!("expected SchemaTooNew, got {:?}", other.err()),
    }
}

#[test]
fn the_store_is_durable_and_enforces_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(&dir));
    let conn = rusqlite::Connection::open(dir.path().join("rembug.sqlite3")).unwrap();
    let mode: String = conn.pragma_query_value(None, "journal_mode", |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
    drop(conn);
    // A meeting in a kelurahan that does not exist is refused by the schema
    // itself, not only by validation.
    let store = open(&dir);
    let error = store.create_meeting(&MeetingForm { kelurahan_code: "32.77.09.9999".into(), ..form() }).unwrap_err();
    assert_eq!(error.field_errors()[0].code, "kelurahan_unknown");
}

#[test]
fn cimahi_is_seeded_and_another_city_can_be_imported() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    assert_eq!(store.list_kelurahan().unwrap().len(), 15);
    let bandung = "kode_kemendagri,kelurahan,kode_kecamatan,kecamatan,kode_kota,kota\n\
                   32.73.01.1001,Sukaraja,32.73.01,Sukasari,32.73,Kota Bandung\n";
    assert_eq!(store.import_wilayah_csv(bandung).unwrap(), 1);
    assert_eq!(store.list_kelurahan().unwrap().len(), 16);
    // Reopening does not seed Cimahi twice or drop the import.
    drop(store);
    assert_eq!(open(&dir).list_kelurahan().unwrap().len(), 16);

    let broken = "kode_kemendagri,kelurahan,kode_kecamatan,kecamatan,kode_kota,kota\n\
                  32.73.01.1002,Gegerkalong,32.73.01,Sukasari,32.73,Kota Bandung\n\
                  bad,line\n";
    assert!(matches!(open(&dir).import_wilayah_csv(broken), Err(CoreError::WilayahCsv { line: 3, .. })));
    assert_eq!(open(&dir).list_kelurahan().unwrap().len(), 16, "a refused file imports nothing");
}

#[test]
fn the_language_setting_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(open(&dir).settings().unwrap().language, Language::Id);
    open(&dir).set_language(Language::En).unwrap();
    assert_eq!(open(&dir).settings().unwrap().language, Language::En);
}

#[test]
fn recording_settings_are_validated_and_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let defaults = open(&dir).settings().unwrap().recording;
    assert_eq!(defaults.women_target_percent, 30);
    let form = RecordingSettingsForm { women_target_percent: "40".into(), ..defaults.to_form() };
    open(&dir).save_recording_settings(&form).unwrap();
    let bad = RecordingSettingsForm { women_target_percent: "empat puluh".into(), ..defaults.to_form() };
    assert!(matches!(open(&dir).save_recording_settings(&bad), Err(CoreError::Validation(_))));
    let saved = open(&dir).settings().unwrap();
    assert_eq!(saved.recording.women_target_percent, 40);
    assert_eq!(saved.language, Language::Id, "saving recording settings keeps the language");
}

#[test]
fn only_one_process_may_own_a_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let first = DataDir::open(dir.path()).unwrap();
    // File locks are per open file description, so a second open in the same
    // process stands in for a second process here.
    assert!(matches!(DataDir::open(dir.path()), Err(CoreError::DataDirInUse)));
    first.open_store().unwrap().create_meeting(&form()).unwrap();
    drop(first);
    let again = DataDir::open(dir.path()).unwrap();
    assert_eq!(again.open_store().unwrap().list_meetings(&MeetingFilter::default()).unwrap().meetings.len(), 1);
}
