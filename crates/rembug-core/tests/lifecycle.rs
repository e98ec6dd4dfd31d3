//! Locking a meeting and correcting it through a new revision.

mod common;

use common::meeting_form;
use rembug_core::meeting::{MeetingForm, MeetingStatus, MeetingView, Timezone};
use rembug_core::store::meetings::MeetingFilter;
use rembug_core::tanggal::DateText;
use rembug_core::{CoreError, Store};
use rusqlite::Connection;

fn cigugur_rw_3() -> MeetingForm {
    MeetingForm { kelurahan_code: "32.77.03.1001".into(), rw: "3".into(), ..meeting_form() }
}

/// Fills every table a meeting owns, straight through SQL, so the copy is
/// tested independently of the recording APIs.
fn record_everything(path: &std::path::Path, meeting_id: &str) {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let hash = "a".repeat(64);
    conn.execute_batch(&format!(
        "INSERT INTO person (id, name, gender, unsur, rt, rw, created_at, updated_at)
             VALUES ('p1', 'Euis Komalasari', 'P', 'PKK', 2, 3, 'now', 'now');
         INSERT INTO attachment (sha256, size, media_type, created_at) VALUES ('{hash}', 1, 'image/png', 'now');
         INSERT INTO attendance (meeting_id, person_id, name, gender, unsur, rt, rw, role, checked_in_at, signature_sha256)
             VALUES ('{meeting_id}', 'p1', 'Euis Komalasari', 'P', 'PKK', 2, 3, 'peserta', '2026-11-29T12:05:00Z', '{hash}');
         INSERT INTO meeting_document (meeting_id, kind, position, sha256) VALUES ('{meeting_id}', 'attendance_sheet', 1, '{hash}');
         INSERT INTO agenda_item (id, meeting_id, position, title, discussion, decisions, updated_at)
             VALUES ('a1', '{meeting_id}', 1, 'Pembukaan', 'Dibuka oleh Ketua RW', 'Sepakat', 'now');
         INSERT INTO usulan (id, meeting_id, position, permasalahan, kegiatan, alamat, rt_list, rw, volume, satuan, biaya,
                             bidang, created_at, updated_at)
             VALUES ('u1', '{meeting_id}', 1, 'Jalan rusak', 'Perbaikan jalan lingkungan', 'Gg. Mawar', '2', 3, 150, 'meter',
                     75000000, 'infrastruktur', 'now', 'now');
         INSERT INTO usulan_photo (usulan_id, position, sha256) VALUES ('u1', 1, '{hash}');
         INSERT INTO criterion (id, meeting_id, position, name, weight) VALUES ('c1', '{meeting_id}', 1, 'Kemendesakan', 60);
         INSERT INTO score (usulan_id, criterion_id, score) VALUES ('u1', 'c1', 5);
         INSERT INTO delegate (meeting_id, person_id, position) VALUES ('{meeting_id}', 'p1', 1);"
    ))
    .unwrap();
}

fn counts(path: &std::path::Path, meeting_id: &str) -> Vec<i64> {
    let conn = Connection::open(path).unwrap();
    [
        "SELECT count(*) FROM attendance WHERE meeting_id = ?1 AND signature_sha256 IS NOT NULL",
        "SELECT count(*) FROM meeting_document WHERE meeting_id = ?1",
        "SELECT count(*) FROM agenda_item WHERE meeting_id = ?1 AND discussion = 'Dibuka oleh Ketua RW'",
        "SELECT count(*) FROM usulan WHERE meeting_id = ?1 AND biaya = 75000000",
        "SELECT count(*) FROM usulan_photo JOIN usulan ON usulan.id = usulan_id WHERE meeting_id = ?1",
        "SELECT count(*) FROM criterion WHERE meeting_id = ?1",
        "SELECT count(*) FROM score JOIN usulan ON usulan.id = usulan_id
             JOIN criterion ON criterion.id = criterion_id AND criterion.meeting_id = usulan.meeting_id
         WHERE usulan.meeting_id = ?1",
        "SELECT count(*) FROM delegate WHERE meeting_id = ?1",
    ]
    .iter()
    .map(|sql| conn.query_row(sql, [meeting_id], |row| row.get(0)).unwrap())
    .collect()
}

#[test]
fn an_empty_meeting_cannot_be_locked_and_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("rembug.sqlite3")).unwrap();
    let no_chair = MeetingForm { pimpinan: "  ".into(), ..cigugur_rw_3() };
    let meeting = store.create_meeting(&no_chair).unwrap();
    let error = store.lock_meeting(&meeting.id).unwrap_err();
    let codes: Vec<&str> = error.field_errors().iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["no_pimpinan", "no_attendees", "no_usulan", "no_delegates"]);
    let fields: Vec<&str> = error.field_errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields[0], "pimpinan", "the meeting form's field");
    assert_eq!(error.code(), "not_ready_to_lock");
    assert_eq!(store.get_meeting(&meeting.id).unwrap().status, MeetingStatus::Draft);
}

#[test]
fn the_windows_dates_and_times_come_written_from_the_core() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rembug.sqlite3");
    let store = Store::open(&path).unwrap();
    let meeting = store.create_meeting(&cigugur_rw_3()).unwrap();
    let saturday = DateText { id: "Sabtu, 28 November 2026".into(), en: "Saturday, 28 November 2026".into() };
    let half_past_seven = DateText { id: "19.30 WIB".into(), en: "19:30 WIB".into() };

    let listed = &store.list_meetings(&MeetingFilter::default()).unwrap().meetings[0];
    assert_eq!((&listed.date_text, &listed.start_time_text), (&saturday, &half_past_seven));
    let change = &store.meeting_changes(&meeting.id).unwrap()[0];
    assert_eq!(change.at_text, DateText::instant(Timezone::Wib, &change.at));
    assert!(change.at_text.id.contains(" pukul ") && change.at_text.en.contains(" at "), "{:?}", change.at_text);

    record_everything(&path, &meeting.id);
    let view = MeetingView::of(store.lock_meeting(&meeting.id).unwrap());
    assert_eq!((&view.date_text, &view.start_time_text), (&saturday, &half_past_seven));
    let locked_at = view.meeting.locked_at.as_deref().unwrap();
    assert_eq!(view.locked_at_text, Some(DateText::instant(Timezone::Wib, locked_at)));
    assert_eq!(
        MeetingView::of(store.get_meeting(&store.revise_meeting(&meeting.id, "Salah").unwrap().id).unwrap())
            .locked_at_text,
        None
    );

    // The view is the meeting's own JSON, untouched, with its texts beside it.
    let json = serde_json::to_value(&view).unwrap();
    let mut meeting_json = serde_json::to_value(&view.meeting).unwrap();
    let fields = meeting_json.as_object_mut().unwrap();
    for (key, value) in fields.iter() {
        assert_eq!(&json[key], value, "{key}");
    }
    assert_eq!(json.as_object().unwrap().len(), fields.len() + 3);
    assert_eq!(json["start_time_text"]["en"], "19:30 WIB");
}

#[test]
fn a_locked_meeting_is_corrected_by_a_revision_that_copies_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rembug.sqlite3");
    let store = Store::open(&path).unwrap();
    let meeting = store.create_meeting(&cigugur_rw_3()).unwrap();
    record_everything(&path, &meeting.id);

    let locked = store.lock_meeting(&meeting.id).unwrap();
    assert_eq!(locked.status, MeetingStatus::Locked);
    assert!(locked.locked_at.is_some());
    assert!(matches!(store.update_meeting(&meeting.id, &meeting_form()), Err(CoreError::MeetingLocked)));
    assert!(matches!(store.revise_meeting(&meeting.id, "  "), Err(CoreError::Validation(_))));

    let revision = store.revise_meeting(&meeting.id, "Salah ketik jumlah biaya").unwrap();
    assert_eq!(revision.revision, 2);
    assert_eq!(revision.status, MeetingStatus::Draft);
    assert_eq!(revision.supersedes_id.as_deref(), Some(meeting.id.as_str()));
    assert_eq!(revision.revision_reason.as_deref(), Some("Salah ketik jumlah biaya"));
    assert_eq!(revision.place, meeting.place);
    assert_eq!(counts(&path, &revision.id), counts(&path, &meeting.id));
    assert_eq!(counts(&path, &meeting.id), [1, 1, 1, 1, 1, 1, 1, 1]);

    // The old revision is untouched and says what replaced it; the list shows
    // the meeting once, as its newest revision.
    let old = store.get_meeting(&meeting.id).unwrap();
    assert_eq!(old.status, MeetingStatus::Locked);
    assert_eq!(old.superseded_by.as_deref(), Some(revision.id.as_str()));
    let listed = store.list_meetings(&MeetingFilter::default()).unwrap().meetings;
    assert_eq!(listed.iter().map(|m| (m.id.as_str(), m.revision)).collect::<Vec<_>>(), [(revision.id.as_str(), 2)]);

    assert!(matches!(store.revise_meeting(&meeting.id, "lagi"), Err(CoreError::AlreadyRevised)));
    assert!(matches!(store.revise_meeting(&revision.id, "belum dikunci"), Err(CoreError::MeetingNotLocked)));
    let actions: Vec<String> = store.meeting_changes(&revision.id).unwrap().into_iter().map(|c| c.action).collect();
    assert_eq!(actions, ["revised"]);
}

#[test]
fn papers_printed_for_signing_are_remembered_for_a_draft_and_never_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rembug.sqlite3");
    let store = Store::open(&path).unwrap();
    let meeting = store.create_meeting(&cigugur_rw_3()).unwrap();
    let before = store.signing_check(&meeting.id).unwrap();
    assert_eq!((before.last_print.as_ref(), before.changed_since_print), (None, false));
    assert_eq!(
        store.signing_check(&meeting.id).unwrap().current_code,
        before.current_code,
        "the same record, the same code"
    );

    let printed = store.remember_signing_print(&meeting.id, &before.current_code).unwrap();
    let after = store.signing_check(&meeting.id).unwrap();
    assert_eq!((after.last_print, after.changed_since_print), (Some(printed), false));
    assert!(store.remember_signing_print(&meeting.id, "<script>").is_err(), "only a code of eight hex digits");

    store.update_meeting(&meeting.id, &MeetingForm { place: "Masjid Al-Ikhlas".into(), ..cigugur_rw_3() }).unwrap();
    assert!(store.signing_check(&meeting.id).unwrap().changed_since_print);

    let conn = Connection::open(&path).unwrap();
    let changed = conn.execute("UPDATE signing_print SET code = '00000000'", []);
    assert!(changed.unwrap_err().to_string().contains("append-only"));
    conn.execute("UPDATE meeting SET status = 'locked' WHERE id = ?1", [&meeting.id]).unwrap();
    let inserted = conn.execute(
        "INSERT INTO signing_print (meeting_id, code, printed_at) VALUES (?1, '0000AAAA', 'now')",
        [&meeting.id],
    );
    assert!(inserted.unwrap_err().to_string().contains("meeting is locked"), "the schema refuses it too");
    let error = store.remember_signing_print(&meeting.id, &before.current_code).unwrap_err();
    assert_eq!(error.code(), "meeting_locked");
}
