//! The notulen's agenda against a real SQLite file: autosave, order, locks.

mod common;

use common::{lock_directly, meeting_form, open};
use rembug_core::notulen::{AGENDA_TEXT_MAX_CHARS, AgendaItemForm};
use rembug_core::{CoreError, FieldCode, FieldError, Store};

fn titles(store: &Store, meeting_id: &str) -> Vec<(u32, String)> {
    store.agenda(meeting_id).unwrap().into_iter().map(|item| (item.position, item.title)).collect()
}

fn agenda_changes(store: &Store, meeting_id: &str) -> Vec<String> {
    store
        .meeting_changes(meeting_id)
        .unwrap()
        .into_iter()
        .filter(|change| change.entity == "agenda_item")
        .map(|change| change.action)
        .collect()
}

#[test]
fn items_are_appended_in_order_and_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = {
        let store = open(&dir);
        let meeting = store.create_meeting(&meeting_form()).unwrap();
        for title in ["Pembukaan", "Laporan Ketua RW", "Penyampaian usulan", "Penutup"] {
            store.add_agenda_item(&meeting.id, title).unwrap();
        }
        meeting
    };
    let store = open(&dir);
    assert_eq!(
        titles(&store, &meeting.id),
        [
            (1, "Pembukaan".to_owned()),
            (2, "Laporan Ketua RW".to_owned()),
            (3, "Penyampaian usulan".to_owned()),
            (4, "Penutup".to_owned())
        ]
    );
    assert_eq!(agenda_changes(&store, &meeting.id), ["created", "created", "created", "created"]);
}

#[test]
fn autosave_stores_the_text_and_logs_only_real_changes() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = store.create_meeting(&meeting_form()).unwrap();
    let item = store.add_agenda_item(&meeting.id, "Laporan Ketua RW").unwrap();

    let typed = AgendaItemForm {
        title: "Laporan Ketua RW".into(),
        discussion: "Kas RW Rp 4.250.000.\r\nJalan Gg. Melati rusak".into(),
        decisions: "".into(),
    };
    let saved = store.save_agenda_item(&item.id, &typed).unwrap();
    assert_eq!(saved.discussion, "Kas RW Rp 4.250.000.\nJalan Gg. Melati rusak");

    // The same text again, and the same text with a trailing space being
    // typed: nothing changed, so nothing is written to the log.
    store.save_agenda_item(&item.id, &typed).unwrap();
    let trailing = AgendaItemForm { discussion: format!("{} ", typed.discussion), ..typed.clone() };
    store.save_agenda_item(&item.id, &trailing).unwrap();

    let decided = AgendaItemForm { decisions: "Usulan betonisasi dibawa ke musrenbang".into(), ..typed.clone() };
    store.save_agenda_item(&item.id, &decided).unwrap();
    assert_eq!(agenda_changes(&store, &meeting.id), ["created", "updated", "updated"]);

    let last = store.meeting_changes(&meeting.id).unwrap().pop().unwrap();
    assert_eq!(last.entity_id.as_deref(), Some(item.id.as_str()));
    let before: serde_json::Value = serde_json::from_str(last.before_json.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(last.after_json.as_deref().unwrap()).unwrap();
    assert_eq!(before["decisions"], "");
    assert_eq!(after["decisions"], "Usulan betonisasi dibawa ke musrenbang");

    drop(store);
    let reopened = open(&dir);
    let stored = reopened.agenda(&meeting.id).unwrap().pop().unwrap();
    assert_eq!(stored.decisions, "Usulan betonisasi dibawa ke musrenbang");
    assert_eq!(stored.discussion, "Kas RW Rp 4.250.000.\nJalan Gg. Melati rusak");
}

#[test]
fn long_or_empty_texts_are_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = store.create_meeting(&meeting_form()).unwrap();
    let item = store.add_agenda_item(&meeting.id, "Pembukaan").unwrap();
    let form = AgendaItemForm {
        title: "".into(),
        discussion: "a".repeat(AGENDA_TEXT_MAX_CHARS + 1),
        decisions: "b".repeat(AGENDA_TEXT_MAX_CHARS),
    };
    let error = store.save_agenda_item(&item.id, &form).unwrap_err();
    assert_eq!(
        error.field_errors(),
        [FieldError::new("title", FieldCode::Required), FieldError::new("discussion", FieldCode::TooLong)]
    );
    assert_eq!(store.agenda(&meeting.id).unwrap(), [item]);

    let error = store.add_agenda_item(&meeting.id, &"x".repeat(201)).unwrap_err();
    assert_eq!(error.field_errors(), [FieldError::new("title", FieldCode::TooLong)]);
}

#[test]
fn moving_and_deleting_renumber_the_agenda() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = store.create_meeting(&meeting_form()).unwrap();
    let ids: Vec<String> =
        ["A", "B", "C", "D"].iter().map(|title| store.add_agenda_item(&meeting.id, title).unwrap().id).collect();

    let moved = store.move_agenda_item(&ids[3], 1).unwrap();
    assert_eq!(moved.iter().map(|item| item.title.as_str()).collect::<Vec<_>>(), ["D", "A", "B", "C"]);
    store.move_agenda_item(&ids[3], 3).unwrap();
    assert_eq!(
        titles(&store, &meeting.id),
        [(1, "A".to_owned()), (2, "B".to_owned()), (3, "D".to_owned()), (4, "C".to_owned())]
    );
    // Moving to where it already is changes nothing and logs nothing.
    store.move_agenda_item(&ids[3], 3).unwrap();

    for position in [0, 5] {
        let error = store.move_agenda_item(&ids[0], position).unwrap_err();
        assert_eq!(error.field_errors(), [FieldError::new("position", FieldCode::PositionOutOfRange)], "{position}");
    }

    let left = store.delete_agenda_item(&ids[1]).unwrap();
    assert_eq!(
        left.iter().map(|item| (item.position, item.title.as_str())).collect::<Vec<_>>(),
        [(1, "A"), (2, "D"), (3, "C")]
    );
    let deleted = AgendaItemForm { title: "B".into(), ..AgendaItemForm::default() };
    assert!(matches!(store.save_agenda_item(&ids[1], &deleted), Err(CoreError::NotFound { entity: "agenda_item" })));
    assert_eq!(
        agenda_changes(&store, &meeting.id),
        ["created", "created", "created", "created", "moved", "moved", "deleted"]
    );
}

#[test]
fn a_locked_meeting_refuses_every_change_to_its_notulen() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = store.create_meeting(&meeting_form()).unwrap();
    let item = store.add_agenda_item(&meeting.id, "Pembukaan").unwrap();
    store.add_agenda_item(&meeting.id, "Penutup").unwrap();
    lock_directly(&dir, &meeting.id);

    let form = AgendaItemForm { title: "Pembukaan".into(), discussion: "ditambah".into(), decisions: "".into() };
    assert!(matches!(store.add_agenda_item(&meeting.id, "Lain-lain"), Err(CoreError::MeetingLocked)));
    assert!(matches!(store.save_agenda_item(&item.id, &form), Err(CoreError::MeetingLocked)));
    assert!(matches!(store.move_agenda_item(&item.id, 2), Err(CoreError::MeetingLocked)));
    assert!(matches!(store.delete_agenda_item(&item.id), Err(CoreError::MeetingLocked)));
    assert_eq!(titles(&store, &meeting.id), [(1, "Pembukaan".to_owned()), (2, "Penutup".to_owned())]);
    assert_eq!(store.agenda(&meeting.id).unwrap()[0].discussion, "");
}

#[test]
fn an_unknown_meeting_has_no_agenda() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    assert!(matches!(store.agenda("nope"), Err(CoreError::NotFound { entity: "meeting" })));
    assert!(matches!(store.add_agenda_item("nope", "Pembukaan"), Err(CoreError::NotFound { entity: "meeting" })));
}
