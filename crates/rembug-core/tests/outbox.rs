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

fn add_photo(store: &rembug_core::Store, meeting_id: &str, seed: u8) {
    let page = image::GrayImage::from_pixel(4, 4, image::Luma([seed]));
    let mut photo = Vec::new();
    page.write_to(&mut std::io::Cursor::new(&mut photo), image::ImageFormat::Png).unwrap();
    let kind = rembug_core::signed_pages::PageKind::BeritaAcara;
    store.add_signed_page(meeting_id, kind, std::io::Cursor::new(photo), "image/png").unwrap();
}

#[test]
fn a_failed_photo_send_waits_or_stays_refused_until_another_file_or_its_receipt() {
    use rembug_core::sending::SendState;

    let dir = tempfile::tempdir().unwrap();
    let store = common::open(&dir);
    let locked = store.create_meeting(&common::meeting_form()).unwrap().id;
    common::lock_directly(&dir, &locked);
    let none = store.signed_pages_sending(&locked).unwrap();
    assert_eq!((none.page_count, none.state, none.undelivered()), (0, SendState::NotSent, false));
    add_photo(&store, &locked, 1);
    add_photo(&store, &locked, 2);
    let fresh = store.signed_pages_sending(&locked).unwrap();
    assert_eq!((fresh.state, fresh.attempts, fresh.undelivered()), (SendState::NotSent, 0, true));

    // Passing trouble: waiting, its tries counted while the file is the same.
    let waiting = store.record_signed_pages_failure(&locked, 2, "network", Some("2026-12-07T03:00:00Z")).unwrap();
    assert_eq!((waiting.state, waiting.attempts), (SendState::Waiting, 1));
    assert_eq!(waiting.next_attempt_at.as_deref(), Some("2026-12-07T03:00:00Z"));
    // Shown in the meeting's zone (WIB), as every other time on screen.
    assert_eq!(
        waiting.next_attempt_at_text.map(|text| text.id).as_deref(),
        Some("Senin, 7 Desember 2026 pukul 10.00 WIB")
    );
    let again = store.record_signed_pages_failure(&locked, 2, "internal", Some("2026-12-07T03:01:00Z")).unwrap();
    assert_eq!((again.attempts, again.last_error.as_deref()), (2, Some("internal")));
    // A refusal keeps its code and no time: tried again only when asked.
    let refused = store.record_signed_pages_failure(&locked, 2, "device_revoked", None).unwrap();
    assert_eq!((refused.state, refused.attempts, refused.next_attempt_at.as_deref()), (SendState::Refused, 3, None));
    drop(store);
    let store = common::open(&dir);
    assert_eq!(store.signed_pages_sending(&locked).unwrap(), refused, "kept across a restart");

    // A photo added since makes another file: not tried yet.
    add_photo(&store, &locked, 3);
    let another = store.signed_pages_sending(&locked).unwrap();
    assert_eq!((another.state, another.attempts, another.last_error), (SendState::NotSent, 0, None));
    let restarted = store.record_signed_pages_failure(&locked, 3, "network", Some("2026-12-07T04:00:00Z")).unwrap();
    assert_eq!(restarted.attempts, 1, "the new file's tries are its own");

    // Its receipt ends the failure: delivered, and the sync leaves it.
    store.record_signed_pages_sent(&locked, &"d".repeat(64), 3, &receipt(), "2026-12-07T04:05:00Z").unwrap();
    let delivered = store.signed_pages_sending(&locked).unwrap();
    assert_eq!(
        (delivered.state, delivered.delivered_count, delivered.last_error.as_deref()),
        (SendState::Delivered, 3, None)
    );
    assert!(!delivered.undelivered());
    let failures: i64 = rusqlite::Connection::open(dir.path().join(common::DATABASE))
        .unwrap()
        .query_row("SELECT count(*) FROM signed_pages_outbox", [], |row| row.get(0))
        .unwrap();
    assert_eq!(failures, 0, "the receipt ends the failed tries");
    assert_eq!(store.signed_pages_sent(&"d".repeat(64)).unwrap(), Some((locked.clone(), 3)));
    assert_eq!(store.signed_pages_sent(&"e".repeat(64)).unwrap(), None);
    let draft = store.create_meeting(&common::meeting_form()).unwrap().id;
    assert!(matches!(store.record_signed_pages_failure(&draft, 1, "network", None), Err(CoreError::MeetingNotLocked)));
}
