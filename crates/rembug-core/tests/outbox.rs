//! The device's enrollment and the outbox of locked revisions, on a real
//! SQLite file: what is kept, read back after reopening, and refused.

mod common;

use rembug_core::CoreError;
use rembug_core::outbox::{Enrollment, OutboxState};
use rembug_core::trust::{OfficeIdentity, Scope, Signed};

fn office(name: &str, key: u8) -> OfficeIdentity {
    let signing = ed25519_dalek::SigningKey::from_bytes(&[key; 32]).verifying_key().to_bytes();
    OfficeIdentity::new(name, "Kota Cimahi", &signing, &[key; 32])
}

fn receipt() -> Signed {
    Signed { body: r#"{"bundle_id":"b"}"#.into(), signature: "ab".repeat(64) }
}

#[test]
fn one_enrollment_is_kept_and_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::open(&dir);
    assert_eq!(store.enrollment().unwrap(), None);
    let scope = Scope { kelurahan_code: "32.77.02.1005".into(), rw: Some(7) };
    let first = Enrollment::new("http://127.0.0.1:8443/", office("Bappelitbangda", 1), scope.clone(), None, None);
    assert_eq!(first.office_url, "http://127.0.0.1:8443");
    store.save_enrollment(&first).unwrap();
    drop(store);
    let store = common::open(&dir);
    assert_eq!(store.enrollment().unwrap(), Some(first));

    let pinned = Some("c".repeat(64));
    let second = Enrollment::new(
        "https://10.0.0.2",
        office("Kantor Baru", 2),
        Scope { rw: None, ..scope },
        pinned,
        Some("7KQ2M9XD4HTP".into()),
    );
    store.save_enrollment(&second).unwrap();
    assert_eq!(store.enrollment().unwrap(), Some(second));
    let rows: i64 = rusqlite::Connection::open(dir.path().join(common::DATABASE))
        .unwrap()
        .query_row("SELECT count(*) FROM enrollment", [], |row| row.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn a_locked_meeting_goes_through_the_outbox_and_its_receipt_is_final() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::open(&dir);
    let draft = store.create_meeting(&common::meeting_form()).unwrap().id;
    let locked = store.create_meeting(&common::meeting_form()).unwrap().id;
    common::lock_directly(&dir, &locked);
    let (sha, key) = ("a".repeat(64), "0b".repeat(32));

    // Only locked meetings are listed and queued.
    let items = store.outbox().unwrap();
    assert_eq!(items.iter().map(|item| item.meeting.id.as_str()).collect::<Vec<_>>(), [locked.as_str()]);
    assert_eq!(items[0].entry, None);
    assert!(matches!(store.queue_bundle(&draft, &sha, 10, &key), Err(CoreError::MeetingNotLocked)));
    assert!(matches!(store.queue_bundle("nope", &sha, 10, &key), Err(CoreError::NotFound { .. })));

    let queued = store.queue_bundle(&locked, &sha, 1000, &key).unwrap();
    assert_eq!((queued.state, queued.attempts, queued.bytes_acknowledged), (OutboxState::Pending, 0, 0));
    let sending = store.start_sending(&locked).unwrap();
    assert_eq!((sending.state, sending.attempts), (OutboxState::Sending, 1));
    store.record_upload(&locked, Some("u1"), 400).unwrap();
    let waiting = store.record_failure(&locked, "network", Some("2026-12-07T03:00:00Z")).unwrap();
    assert_eq!(waiting.state, OutboxState::Waiting);
    assert_eq!(waiting.last_error.as_deref(), Some("network"));

    // Queuing the same bundle again keeps where its upload stands.
    let again = store.queue_bundle(&locked, &sha, 1000, &key).unwrap();
    assert_eq!((again.upload_id.as_deref(), again.bytes_acknowledged, again.attempts), (Some("u1"), 400, 1));
    assert!(store.record_upload(&locked, Some("u1"), 1001).is_err(), "never past the bundle's size");

    store.start_sending(&locked).unwrap();
    let delivered = store.record_delivery(&locked, &receipt(), "2026-12-07T03:05:00Z").unwrap();
    assert_eq!(delivered.state, OutboxState::Delivered);
    assert_eq!((delivered.bytes_acknowledged, delivered.attempts), (1000, 2));
    assert_eq!(delivered.receipt, Some(receipt()));
    assert_eq!(delivered.last_error, None);
    drop(store);

    // Reopened: the receipt is there, and nothing changes it.
    let store = common::open(&dir);
    let item = &store.outbox().unwrap()[0];
    assert!(item.is_delivered());
    assert_eq!(item.entry.as_ref(), Some(&delivered));
    let other_bundle = store.queue_bundle(&locked, &"f".repeat(64), 5, &key).unwrap();
    assert_eq!(other_bundle, delivered, "a delivered entry is not replaced");
    assert!(store.start_sending(&locked).is_err());
    assert!(store.record_failure(&locked, "internal", Some("2026-12-07T04:00:00Z")).is_err());
    let conn = rusqlite::Connection::open(dir.path().join(common::DATABASE)).unwrap();
    assert!(conn.execute("DELETE FROM outbox", []).is_err());
    assert!(conn.execute("UPDATE outbox SET receipt_body = 'x'", []).is_err());
    assert_eq!(store.outbox_entry(&locked).unwrap(), Some(delivered));
}

#[test]
fn another_bundle_starts_over_and_a_refusal_keeps_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::open(&dir);
    let locked = store.create_meeting(&common::meeting_form()).unwrap().id;
    common::lock_directly(&dir, &locked);
    store.queue_bundle(&locked, &"a".repeat(64), 1000, &"0b".repeat(32)).unwrap();
    store.start_sending(&locked).unwrap();
    store.record_upload(&locked, Some("u1"), 400).unwrap();
    // Sealed again for another office key: a new bundle, a new upload.
    let resealed = store.queue_bundle(&locked, &"b".repeat(64), 900, &"0c".repeat(32)).unwrap();
    assert_eq!((resealed.upload_id, resealed.bytes_acknowledged, resealed.attempts), (None, 0, 0));
    assert_eq!((resealed.state, resealed.sealed_for.as_str()), (OutboxState::Pending, "0c".repeat(32).as_str()));

    store.start_sending(&locked).unwrap();
    let refused = store.record_failure(&locked, "out_of_scope", None).unwrap();
    assert_eq!((refused.state, refused.last_error.as_deref()), (OutboxState::Refused, Some("out_of_scope")));
    assert_eq!(refused.next_attempt_at, None);
    assert!(store.outbox_dir().unwrap().ends_with("outbox"));
    assert!(dir.path().join("outbox").is_dir());
}
