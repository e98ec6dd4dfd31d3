//! Sealing a locked meeting: the same bytes every time, signed, verified,
//! and its personal part unreadable without the office's key.

mod common;

use std::io::Cursor;

use common::{NAMES, PHONES, Parts, crc32, locked_meeting, locked_meeting_with, png};
use rembug_bundle::crypto::office_key_pair;
use rembug_bundle::format::FileKind;
use rembug_bundle::{BundleError, SealProgress, seal_with_progress, verify, verify_file};

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle.as_bytes())
}

#[test]
fn sealing_the_same_meeting_twice_gives_the_same_bytes() {
    let fixture = locked_meeting();
    let (first, first_bytes) = fixture.seal(None, "a.rembug");
    let (second, second_bytes) = fixture.seal(None, "b.rembug");
    assert_eq!(first_bytes, second_bytes);
    assert_eq!(first.sha256, second.sha256);
    assert_eq!(first.size, first_bytes.len() as u64);
    let (_, office_public) = office_key_pair([3; 32]);
    let (encrypted, encrypted_bytes) = fixture.seal(Some(office_public), "c.rembug");
    let (_, again) = fixture.seal(Some(office_public), "d.rembug");
    assert_eq!(encrypted_bytes, again, "encryption is deterministic too");
    assert_ne!(encrypted.sha256, first.sha256);
    let leftovers: Vec<_> = std::fs::read_dir(fixture.dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_bundle_without_an_office_key_is_marked_unencrypted_and_verifies() {
    let fixture = locked_meeting();
    let (sealed, bytes) = fixture.seal(None, "rw07.rembug");
    let manifest = &sealed.manifest;
    assert!(!manifest.personal.encrypted);
    assert_eq!((manifest.personal.recipient.as_deref(), manifest.personal.ephemeral_key.as_deref()), (None, None));
    assert_eq!(manifest.meeting_id, fixture.meeting_id);
    assert_eq!(manifest.revision, 1);
    assert_eq!(manifest.supersedes, None);
    assert_eq!(manifest.device.fingerprint, fixture.device().fingerprint());
    let meeting = fixture.store.get_meeting(&fixture.meeting_id).unwrap();
    assert_eq!(Some(manifest.created_at.clone()), meeting.locked_at);
    let paths: Vec<&str> = manifest.files.iter().map(|file| file.path.as_str()).collect();
    assert_eq!(&paths[..2], ["meeting.json", "personal.json"]);
    // 1 usulan photo, 2 signatures, 1 sheet photo, all readable.
    assert_eq!(manifest.files.iter().filter(|file| file.kind == FileKind::Attachment).count(), 4);

    let verified = verify_file(&sealed.path).unwrap();
    assert_eq!(verified.sha256, sealed.sha256);
    let bundle = verified.bundle;
    assert_eq!(bundle.record.usulan.len(), 2);
    assert_eq!(bundle.record.usulan[0].rank, 1);
    assert_eq!(bundle.record.usulan[0].usulan.kegiatan, "Perbaikan jalan lingkungan");
    assert_eq!(bundle.record.counts.total, 4);
    assert_eq!(bundle.record.delegates.len(), 3);
    let personal = bundle.personal.as_ref().unwrap();
    let names: Vec<&str> = personal.attendees.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, NAMES);
    assert!(contains(&bytes, NAMES[3]), "unencrypted: the daftar hadir is readable");
    let signature = personal.attendees[0].signature_sha256.clone().unwrap();
    let mut read = Vec::new();
    bundle.read_attachment(&mut Cursor::new(&bytes), None, &signature, &mut read).unwrap();
    assert_eq!(read, png(10));
}

#[test]
fn with_an_office_key_no_name_or_phone_is_in_the_bytes_and_the_office_reads_them() {
    let fixture = locked_meeting();
    let (office_secret, office_public) = office_key_pair([3; 32]);
    let (sealed, bytes) = fixture.seal(Some(office_public), "rw07.rembug");
    assert!(sealed.manifest.personal.encrypted);
    // Delegates are named in the berita acara; the fourth resident is not a delegate.
    assert!(!contains(&bytes, NAMES[3]));
    for phone in PHONES {
        assert!(!contains(&bytes, phone), "{phone}");
    }
    assert!(contains(&bytes, NAMES[0]), "delegates stay readable");
    let paths: Vec<&str> = sealed.manifest.files.iter().map(|file| file.path.as_str()).collect();
    assert_eq!(paths[1], "personal.json.enc");
    assert_eq!(&paths[3..], ["personal/0001.enc", "personal/0002.enc", "personal/0003.enc"]);

    let bundle = verify(&mut Cursor::new(&bytes)).unwrap();
    assert!(bundle.personal.is_none());
    let mut reader = Cursor::new(&bytes);
    assert_eq!(bundle.personal_record(&mut reader, None).unwrap_err().code(), "office_key_needed");
    assert_eq!(bundle.personal_record(&mut reader, Some([4; 32])).unwrap_err().code(), "decryption_failed");
    let personal = bundle.personal_record(&mut reader, Some(office_secret)).unwrap();
    let names: Vec<&str> = personal.attendees.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, NAMES);
    assert_eq!(personal.attendees[1].phone.as_deref(), Some(PHONES[1]));
    let signature = personal.attendees[1].signature_sha256.clone().unwrap();
    let mut read = Vec::new();
    bundle.read_attachment(&mut reader, Some(office_secret), &signature, &mut read).unwrap();
    assert_eq!(read, png(11));
}

#[test]
fn changing_any_one_byte_is_refused_with_a_reason() {
    let fixture = locked_meeting();
    let (_, office_public) = office_key_pair([3; 32]);
    let (_, bytes) = fixture.seal(Some(office_public), "rw07.rembug");
    let mut reasons = std::collections::BTreeSet::new();
    for position in 0..bytes.len() {
        let mut changed = bytes.clone();
        changed[position] ^= 0x01;
        match verify(&mut Cursor::new(&changed)) {
            Ok(_) => panic!("a change at byte {position} of {} was accepted", bytes.len()),
            Err(error) => {
                reasons.insert(error.code());
            }
        }
    }
    for expected in ["hash_mismatch", "signature_invalid", "truncated", "zip_unsupported", "manifest_invalid"] {
        assert!(reasons.contains(expected), "{expected} not among {reasons:?}");
    }
}

#[test]
fn only_a_locked_meeting_is_sealed() {
    let fixture = locked_meeting();
    let draft = fixture.store.create_meeting(&common::meeting_form()).unwrap();
    let out = fixture.dir.path().join("draft.rembug");
    let error = rembug_bundle::seal(&fixture.store, &fixture.device(), &draft.id, None, &out).unwrap_err();
    assert!(matches!(error, BundleError::MeetingNotLocked), "{error}");
    assert!(!out.exists());
}

#[test]
fn a_revision_names_the_content_hash_of_the_one_it_corrects() {
    let fixture = locked_meeting();
    let (first, _) = fixture.seal(None, "r1.rembug");
    let revision = fixture.store.revise_meeting(&fixture.meeting_id, "Salah tulis biaya").unwrap();
    fixture.store.lock_meeting(&revision.id).unwrap();
    let out = fixture.dir.path().join("r2.rembug");
    let second = rembug_bundle::seal(&fixture.store, &fixture.device(), &revision.id, None, &out).unwrap();
    let supersedes = second.manifest.supersedes.clone().unwrap();
    assert_eq!(supersedes.meeting_id, fixture.meeting_id);
    assert_eq!(supersedes.content_hash, first.manifest.content_hash);
    assert_eq!(second.manifest.revision, 2);
    verify_file(&out).unwrap();
    // The first revision, now superseded, still seals to the same bytes.
    let (again, _) = fixture.seal(None, "r1-again.rembug");
    assert_eq!(again.sha256, first.sha256);
}

#[test]
fn a_bundle_is_the_canonical_zip_of_its_entries() {
    let fixture = locked_meeting();
    let (_, office_public) = office_key_pair([3; 32]);
    for office_key in [None, Some(office_public)] {
        let (_, bytes) = fixture.seal(office_key, "rw07.rembug");
        assert!(Parts::of(&bytes).zip() == bytes, "not byte for byte the canonical form of docs/bundle-format.md");
    }
}

/// A small PNG carrying `size` bytes of noise in a private chunk: whole, so
/// stored with every byte as the photo of a paper sheet, and the bundle
/// carries them all.
fn sheet_of(size: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut chunk = u32::try_from(size).unwrap().to_be_bytes().to_vec();
    chunk.extend(b"noIs");
    chunk.extend((0..size).map(|_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as u8
    }));
    chunk.extend(crc32(&chunk[4..]).to_be_bytes());
    // After the signature and the IHDR chunk.
    let picture = png(8);
    [&picture[..33], &chunk, &picture[33..]].concat()
}

#[test]
fn progress_climbs_in_steps_of_a_mebibyte_and_ends_with_the_file_written() {
    let fixture = locked_meeting_with(|store, id| {
        store.add_attendance_sheet_photo(id, Cursor::new(sheet_of(5 << 20)), "image/png").unwrap();
    });
    let (_, office_public) = office_key_pair([3; 32]);
    for office_key in [None, Some(office_public)] {
        let out = fixture.dir.path().join("progress.rembug");
        let mut reports: Vec<(SealProgress, bool)> = Vec::new();
        let mut record = |progress| reports.push((progress, out.exists()));
        let sealed =
            seal_with_progress(&fixture.store, &fixture.device(), &fixture.meeting_id, office_key, &out, &mut record)
                .unwrap();
        let (last, written) = *reports.last().unwrap();
        assert!(written, "the last report comes once the bundle is under its name");
        assert_eq!(last.done_bytes, last.total_bytes);
        assert!(last.total_bytes > 5 << 20);
        if office_key.is_none() {
            let payload: u64 = sealed.manifest.files.iter().map(|file| file.size).sum();
            assert_eq!(last.total_bytes, payload);
        }
        for pair in reports.windows(2) {
            let ((before, _), (after, _)) = (pair[0], pair[1]);
            assert_eq!(before.total_bytes, after.total_bytes);
            assert!(after.done_bytes >= before.done_bytes + (1 << 20).min(after.total_bytes - before.done_bytes));
        }
        assert!(reports[..reports.len() - 1].iter().all(|(progress, written)| !written && progress.done_bytes > 0));
        let most = last.total_bytes / (1 << 20) + 1;
        assert!(
            (4..=most).contains(&(reports.len() as u64)),
            "{} reports for {} bytes",
            reports.len(),
            last.total_bytes
        );
        let (plain, _) = fixture.seal(office_key, "plain.rembug");
        assert_eq!(plain.sha256, sealed.sha256, "progress changes nothing in the bytes");
        std::fs::remove_file(&out).unwrap();
    }
}

#[test]
fn a_stored_attachment_that_no_longer_matches_its_name_is_refused_and_nothing_is_left() {
    let fixture = locked_meeting();
    let record = fixture.store.meeting_record(&fixture.meeting_id).unwrap();
    let personal = record.personal.attachments.last().unwrap();
    let file = fixture.store.attachment_path(personal).unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    *bytes.last_mut().unwrap() ^= 0x01;
    std::fs::write(&file, bytes).unwrap();
    let (_, office_public) = office_key_pair([3; 32]);
    for office_key in [None, Some(office_public)] {
        let out = fixture.dir.path().join("damaged.rembug");
        let error =
            rembug_bundle::seal(&fixture.store, &fixture.device(), &fixture.meeting_id, office_key, &out).unwrap_err();
        assert!(matches!(&error, BundleError::AttachmentCorrupt(name) if name == personal), "{error}");
        let left: Vec<_> =
            std::fs::read_dir(fixture.dir.path()).unwrap().map(|entry| entry.unwrap().file_name()).collect();
        assert_eq!(left, ["data"], "no bundle and no partial file");
    }
}

#[test]
fn changing_the_womens_target_after_the_lock_changes_no_byte_of_a_sealed_revision() {
    let fixture = locked_meeting();
    let (_, office_public) = office_key_pair([3; 32]);
    let (before, before_bytes) = fixture.seal(None, "before.rembug");
    let (_, before_encrypted) = fixture.seal(Some(office_public), "before-office.rembug");
    let live_met =
        |store: &rembug_core::Store| store.meeting_record(&fixture.meeting_id).unwrap().public.counts.women_target_met;
    // Two women of four: 50 %, over the default 30 % target.
    assert!(live_met(&fixture.store));
    let mut form = fixture.store.settings().unwrap().recording.to_form();
    form.women_target_percent = "60".into();
    fixture.store.save_recording_settings(&form).unwrap();
    assert!(!live_met(&fixture.store), "the setting does change what the app shows today");

    let (after, after_bytes) = fixture.seal(None, "after.rembug");
    assert_eq!(after.manifest.content_hash, before.manifest.content_hash);
    assert_eq!(after_bytes, before_bytes);
    assert_eq!(fixture.seal(Some(office_public), "after-office.rembug").1, before_encrypted);
    let verified = verify(&mut Cursor::new(&after_bytes)).unwrap();
    assert!(verified.record.counts.women_target_met);
    assert_eq!(verified.record.counts.women_target_percent, 30);
}

#[test]
fn keterangan_and_sipd_marks_travel_only_when_given() {
    // Blank and unmarked: the keys are left out, as before they existed.
    let plain = locked_meeting();
    let (_, bytes) = plain.seal(None, "plain.rembug");
    assert!(!contains(&bytes, "keterangan") && !contains(&bytes, "untuk_sipd"));

    let filled = locked_meeting_with(|store, meeting_id| {
        let first = store.usulan_list(meeting_id).unwrap().remove(0);
        let form = rembug_core::usulan::UsulanForm { keterangan: "Lahan hibah warga".into(), ..first.to_form() };
        store.update_usulan(&first.id, &form).unwrap();
        store.set_usulan_photo_sipd(&first.id, 1, true).unwrap();
    });
    let (_, bytes) = filled.seal(None, "filled.rembug");
    assert!(contains(&bytes, "\"keterangan\":\"Lahan hibah warga\""));
    assert!(contains(&bytes, "\"untuk_sipd\":true"));
    let path = filled.dir.path().join("filled.rembug");
    let verified = verify_file(&path).unwrap().bundle;
    let first = &verified.record.usulan.iter().find(|item| item.usulan.position == 1).unwrap().usulan;
    assert_eq!(first.keterangan.as_deref(), Some("Lahan hibah warga"));
    assert!(first.photos[0].untuk_sipd);
    let second = &verified.record.usulan.iter().find(|item| item.usulan.position == 2).unwrap().usulan;
    assert_eq!(second.keterangan, None);
}
