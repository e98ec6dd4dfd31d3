//! The daftar hadir, its counts and the delegates, against a real SQLite file.

mod common;

use std::io::Read;

use common::{contains, lock_directly, meeting_form, open, phone_jpeg};
use rembug_core::attendance::{DelegateWarning, Role};
use rembug_core::meeting::{Meeting, MeetingForm};
use rembug_core::people::{AgeGroup, Gender, Person, PersonForm};
use rembug_core::settings::RecordingSettingsForm;
use rembug_core::{CoreError, Store};

const CIBABAT: &str = "32.77.03.1004";
/// A tiny but whole PNG header; the store checks the signature, not the pixels.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

fn meeting(store: &Store) -> Meeting {
    store.create_meeting(&MeetingForm { kelurahan_code: CIBABAT.into(), ..meeting_form() }).unwrap()
}

fn resident(name: &str, gender: &str) -> PersonForm {
    PersonForm {
        name: name.into(),
        gender: gender.into(),
        unsur: "warga".into(),
        rt: "2".into(),
        rw: "7".into(),
        kelurahan_code: CIBABAT.into(),
        ..Default::default()
    }
}

fn person(store: &Store, name: &str, gender: &str) -> Person {
    store.create_person(&resident(name, gender)).unwrap()
}

fn actions(store: &Store, meeting_id: &str, entity: &str) -> Vec<String> {
    let changes = store.meeting_changes(meeting_id).unwrap();
    changes.into_iter().filter(|c| c.entity == entity).map(|c| c.action).collect()
}

#[test]
fn returning_and_new_residents_check_in_with_a_snapshot_of_their_details() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let siti = store
        .create_person(&PersonForm {
            phone: "+62 812-3456-7890".into(),
            age_group: "pemuda".into(),
            ..resident("Siti Aminah", "P")
        })
        .unwrap();
    assert_eq!(siti.phone.as_deref(), Some("081234567890"));

    let first = store.check_in(&meeting.id, &siti.id, Role::Peserta).unwrap();
    assert_eq!(
        (first.name.as_str(), first.gender, first.rw, first.role),
        ("Siti Aminah", Gender::Female, Some(7), Role::Peserta)
    );
    assert_eq!(first.age_group, Some(AgeGroup::Pemuda));

    let new = store
        .check_in_new(
            &meeting.id,
            &PersonForm { unsur: "tokoh agama".into(), ..resident("Ujang Sobari", "L") },
            Role::Narasumber,
        )
        .unwrap();
    assert_eq!(
        (new.unsur.as_str(), new.role),
        ("Tokoh Agama", Role::Narasumber),
        "a listed unsur as the list writes it"
    );
    assert_eq!(store.get_person(&new.person_id).unwrap().name, "Ujang Sobari", "the new resident joined the directory");

    // A later correction in the directory leaves the signed list as it was.
    store.update_person(&siti.id, &PersonForm { name: "Siti Aminah Rahayu".into(), ..siti.to_form() }).unwrap();
    let names: Vec<String> = store.attendees(&meeting.id).unwrap().into_iter().map(|a| a.name).collect();
    assert_eq!(names, ["Siti Aminah", "Ujang Sobari"], "in check-in order");
    assert_eq!(actions(&store, &meeting.id, "attendance"), ["checked_in", "checked_in"]);
}

#[test]
fn a_second_check_in_of_the_same_person_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let asep = person(&store, "Asep Saepudin", "L");
    store.check_in(&meeting.id, &asep.id, Role::Peserta).unwrap();
    let error = store.check_in(&meeting.id, &asep.id, Role::Fasilitator).unwrap_err();
    assert!(matches!(error, CoreError::AlreadyCheckedIn));
    assert_eq!(error.code(), "already_checked_in");
    let attendees = store.attendees(&meeting.id).unwrap();
    assert_eq!(attendees.len(), 1);
    assert_eq!(attendees[0].role, Role::Peserta);
}

#[test]
fn a_refused_new_resident_leaves_neither_person_nor_check_in() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let error = store
        .check_in_new(&meeting.id, &PersonForm { phone: "0812-ABC".into(), ..resident("Euis", "P") }, Role::Peserta)
        .unwrap_err();
    assert_eq!(error.field_errors()[0].code, "phone_invalid");
    assert!(store.attendees(&meeting.id).unwrap().is_empty());
    assert!(store.suggest_people("euis", &meeting.id, 5).unwrap().is_empty());
}

#[test]
fn a_locked_meeting_takes_no_check_in_removal_role_or_signature() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let rina = person(&store, "Rina Marlina", "P");
    store.check_in(&meeting.id, &rina.id, Role::Notulis).unwrap();
    lock_directly(&dir, &meeting.id);
    let late = person(&store, "Dadang", "L");
    let refused = [
        store.check_in(&meeting.id, &late.id, Role::Peserta).map(drop),
        store.check_in_new(&meeting.id, &resident("Cucu", "P"), Role::Peserta).map(drop),
        store.remove_attendee(&meeting.id, &rina.id),
        store.set_attendee_role(&meeting.id, &rina.id, Role::Peserta).map(drop),
        store.set_signature(&meeting.id, &rina.id, PNG).map(drop),
        store.add_attendance_sheet_photo(&meeting.id, &b"\xff\xd8\xff\xe0 jpeg"[..], "image/jpeg").map(drop),
        store.set_delegates(&meeting.id, std::slice::from_ref(&rina.id)).map(drop),
    ];
    for (index, result) in refused.into_iter().enumerate() {
        assert!(matches!(result, Err(CoreError::MeetingLocked)), "write {index}: {result:?}");
    }
    assert_eq!(store.attendees(&meeting.id).unwrap().len(), 1);
    assert!(store.suggest_people("cucu", &meeting.id, 5).unwrap().is_empty(), "no person was created");
    assert!(!dir.path().join("attachments").exists(), "no file was stored for a locked meeting");
}

#[test]
fn roles_and_removals_are_logged_with_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let dedi = person(&store, "Dedi Kurniawan", "L");
    store.check_in(&meeting.id, &dedi.id, Role::Peserta).unwrap();
    let chair = store.set_attendee_role(&meeting.id, &dedi.id, Role::PimpinanRapat).unwrap();
    assert_eq!(chair.role, Role::PimpinanRapat);
    // The same role again changes nothing and logs nothing.
    store.set_attendee_role(&meeting.id, &dedi.id, Role::PimpinanRapat).unwrap();
    store.remove_attendee(&meeting.id, &dedi.id).unwrap();
    assert!(store.attendees(&meeting.id).unwrap().is_empty());
    assert!(matches!(store.remove_attendee(&meeting.id, &dedi.id), Err(CoreError::NotFound { entity: "attendee" })));

    let changes: Vec<_> =
        store.meeting_changes(&meeting.id).unwrap().into_iter().filter(|c| c.entity == "attendance").collect();
    let actions: Vec<&str> = changes.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(actions, ["checked_in", "role_changed", "removed"]);
    assert!(changes.iter().all(|c| c.entity_id.as_deref() == Some(dedi.id.as_str())));
    assert!(changes[1].before_json.as_deref().unwrap().contains(r#""role":"peserta""#));
    assert!(changes[1].after_json.as_deref().unwrap().contains(r#""role":"pimpinan_rapat""#));
    assert!(changes[2].after_json.is_none());
}

#[test]
fn the_public_history_says_somebody_checked_in_but_not_who() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let dedi = person(&store, "Dedi Kurniawan", "L");
    store.check_in(&meeting.id, &dedi.id, Role::Peserta).unwrap();
    let record = store.meeting_record(&meeting.id).unwrap();
    let public: Vec<_> = record.public.history.iter().filter(|entry| entry.entity == "attendance").collect();
    assert_eq!(public.len(), 1);
    assert_eq!((public[0].action.as_str(), public[0].entity_id.as_deref()), ("checked_in", None));
    let personal: Vec<_> = record.personal.changes.iter().filter(|change| change.entity == "attendance").collect();
    assert_eq!(personal[0].entity_id.as_deref(), Some(dedi.id.as_str()));
}

#[test]
fn a_png_signature_is_stored_and_anything_else_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let cucu = person(&store, "Cucu Suryani", "P");
    store.check_in(&meeting.id, &cucu.id, Role::Peserta).unwrap();

    for (bytes, code) in [
        (b"GIF89a not a png".to_vec(), "signature_not_png"),
        ([PNG, &vec![0u8; 2 * 1024 * 1024]].concat(), "file_too_large"),
    ] {
        let error = store.set_signature(&meeting.id, &cucu.id, &bytes).unwrap_err();
        assert_eq!(error.field_errors()[0].code, code);
    }
    assert_eq!(store.attendees(&meeting.id).unwrap()[0].signature_sha256, None);

    let signed = store.set_signature(&meeting.id, &cucu.id, PNG).unwrap();
    let sha256 = signed.signature_sha256.expect("signed");
    let attachment = store.attachment(&sha256).unwrap();
    assert_eq!((attachment.media_type.as_str(), attachment.size), ("image/png", PNG.len() as u64));
    assert_eq!(actions(&store, &meeting.id, "attendance"), ["checked_in", "signed"]);

    let stranger = person(&store, "Bukan Peserta", "L");
    assert!(matches!(
        store.set_signature(&meeting.id, &stranger.id, PNG),
        Err(CoreError::NotFound { entity: "attendee" })
    ));
}

#[test]
fn photos_of_a_paper_sheet_must_be_real_jpeg_or_png() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let jpeg = phone_jpeg(40, 30, 1, b"Ponsel");
    let png = sheet_png();
    let first = store.add_attendance_sheet_photo(&meeting.id, &jpeg[..], "image/jpeg").unwrap();
    let second = store.add_attendance_sheet_photo(&meeting.id, &png[..], "image/png").unwrap();
    assert_eq!((first.position, second.position), (1, 2));
    assert_eq!(store.attendance_sheet_photos(&meeting.id).unwrap(), [first, second]);

    for (bytes, media_type, code) in [
        (&jpeg[..], "image/gif", rembug_core::FieldCode::ImageTypeUnsupported),
        (PNG, "image/jpeg", rembug_core::FieldCode::ImageInvalid),
        (&b"\x89P"[..], "image/png", rembug_core::FieldCode::ImageInvalid),
        // Whole signatures, but cut short: no end to walk to.
        (&jpeg[..jpeg.len() - 2], "image/jpeg", rembug_core::FieldCode::ImageInvalid),
        (PNG, "image/png", rembug_core::FieldCode::ImageInvalid),
    ] {
        let error = store.add_attendance_sheet_photo(&meeting.id, bytes, media_type).unwrap_err();
        assert_eq!(error.field_errors(), [rembug_core::FieldError::new("photo", code)]);
    }
    assert_eq!(store.attendance_sheet_photos(&meeting.id).unwrap().len(), 2);
    assert_eq!(actions(&store, &meeting.id, "attendance_sheet"), ["added", "added"]);
}

fn sheet_png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(30, 40, |x, y| image::Rgb([x as u8 * 8, y as u8 * 6, 200]));
    let mut bytes = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

#[test]
fn a_page_photo_is_stored_without_its_metadata_and_counts_once_whatever_its_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let mark = b"GPS -6.9175 107.5721 Ponsel-SN-0042";
    let sheet = phone_jpeg(60, 80, 2, mark);
    let photo = store.add_attendance_sheet_photo(&meeting.id, sheet.as_slice(), "image/jpeg").unwrap();
    let stored = std::fs::read(store.attachment_path(&photo.sha256).unwrap()).unwrap();
    assert!(contains(&sheet, mark) && !contains(&stored, mark));
    assert_eq!(image::load_from_memory(&stored).unwrap(), image::load_from_memory(&sheet).unwrap());

    lock_directly(&dir, &meeting.id);
    let kind = rembug_core::signed_pages::PageKind::BeritaAcara;
    let page = store.add_signed_page(&meeting.id, kind, sheet.as_slice(), "image/jpeg").unwrap();
    assert_eq!(page.sha256, photo.sha256, "the same stripped bytes");
    assert!(!contains(&std::fs::read(store.attachment_path(&page.sha256).unwrap()).unwrap(), mark));
    // The same page again, from a phone that names itself otherwise.
    let again = store.add_signed_page(&meeting.id, kind, &phone_jpeg(60, 80, 2, b"Lain")[..], "image/jpeg");
    assert_eq!(again.unwrap_err().field_errors()[0].code, "page_duplicate");
}

#[test]
fn an_oversized_sheet_photo_is_refused_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    // Endless: refused at the cap, not read whole.
    let endless = (&b"\xff\xd8\xff"[..]).chain(std::io::repeat(0));
    let error = store.add_attendance_sheet_photo(&meeting.id, endless, "image/jpeg").unwrap_err();
    assert_eq!(error.field_errors()[0].code, "file_too_large");
    assert!(store.attendance_sheet_photos(&meeting.id).unwrap().is_empty());
    let files = std::fs::read_dir(dir.path().join("attachments")).map_or(0, Iterator::count);
    assert_eq!(files, 0, "no file is left");
}

/// Checks in `women` women and `total - women` men, half of each from the
/// PKK; the first woman uses a wheelchair and the first man is a youth.
fn fill(store: &Store, meeting_id: &str, total: usize, women: usize) {
    for n in 0..total {
        let gender = if n < women { "P" } else { "L" };
        let form = PersonForm {
            unsur: if n % 2 == 0 { "PKK" } else { "warga" }.into(),
            disability: n == 0,
            age_group: if n == women { "pemuda" } else { "" }.into(),
            ..resident(&format!("Warga {n}"), gender)
        };
        store.check_in_new(meeting_id, &form, Role::Peserta).unwrap();
    }
}

#[test]
fn counts_show_the_womens_share_against_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let met = meeting(&store);
    fill(&store, &met.id, 20, 7);
    let counts = store.attendance_counts(&met.id).unwrap();
    assert_eq!((counts.total, counts.women, counts.men), (20, 7, 13));
    assert_eq!(
        (counts.women_share_basis_points, counts.women_target_percent, counts.women_target_met),
        (3500, 30, true)
    );
    assert_eq!((counts.disability, counts.youth), (1, 1));
    let by_unsur: Vec<(&str, u32)> = counts.by_unsur.iter().map(|u| (u.unsur.as_str(), u.count)).collect();
    assert_eq!(by_unsur, [("PKK", 10), ("Warga", 10)]);

    let short = meeting(&store);
    fill(&store, &short.id, 20, 5);
    let counts = store.attendance_counts(&short.id).unwrap();
    assert_eq!((counts.women, counts.women_share_basis_points, counts.women_target_met), (5, 2500, false));
    assert!(matches!(store.attendance_counts("nope"), Err(CoreError::NotFound { entity: "meeting" })));

    // The target is the settings' own: raised to 40%, 35% no longer meets it.
    let recording = store.settings().unwrap().recording;
    store
        .save_recording_settings(&RecordingSettingsForm { women_target_percent: "40".into(), ..recording.to_form() })
        .unwrap();
    let counts = store.attendance_counts(&met.id).unwrap();
    assert_eq!((counts.women_target_percent, counts.women_target_met), (40, false));
}

#[test]
fn delegates_are_attendees_in_order_with_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let [asep, budi, cecep, euis] = [("Asep", "L"), ("Budi", "L"), ("Cecep", "L"), ("Euis", "P")]
        .map(|(name, gender)| person(&store, name, gender));
    for p in [&asep, &budi, &cecep, &euis] {
        store.check_in(&meeting.id, &p.id, Role::Peserta).unwrap();
    }
    let men = store.set_delegates(&meeting.id, &[cecep.id.clone(), asep.id.clone(), budi.id.clone()]).unwrap();
    let names: Vec<&str> = men.delegates.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Cecep", "Asep", "Budi"], "in the order chosen");
    assert_eq!(men.warnings, [DelegateWarning::NoWomanDelegate]);

    let two = store.set_delegates(&meeting.id, &[euis.id.clone(), asep.id.clone()]).unwrap();
    assert_eq!(two.warnings, [DelegateWarning::DelegateCountOutsideRange]);
    assert_eq!(store.delegates(&meeting.id).unwrap(), two);

    // The expected count is the settings' own: two delegates are enough once
    // the city asks for 2 to 4.
    let recording = store.settings().unwrap().recording;
    let form = RecordingSettingsForm { delegates_min: "2".into(), delegates_max: "4".into(), ..recording.to_form() };
    store.save_recording_settings(&form).unwrap();
    assert_eq!(store.delegates(&meeting.id).unwrap().warnings, []);

    // A delegate cannot leave the list behind the delegates' back.
    let error = store.remove_attendee(&meeting.id, &euis.id).unwrap_err();
    assert_eq!(error.field_errors()[0].code, "is_delegate");
    assert_eq!(actions(&store, &meeting.id, "delegates"), ["updated", "updated"]);
}

#[test]
fn delegates_must_be_attendees_and_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let asep = person(&store, "Asep", "L");
    let absent = person(&store, "Tidak Hadir", "P");
    store.check_in(&meeting.id, &asep.id, Role::Peserta).unwrap();
    let error = store
        .set_delegates(&meeting.id, &[asep.id.clone(), absent.id.clone(), asep.id.clone(), "unknown".into()])
        .unwrap_err();
    let codes: Vec<&str> = error.field_errors().iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["delegate_not_attendee", "delegate_duplicate"]);
    assert!(store.delegates(&meeting.id).unwrap().delegates.is_empty());
    assert!(actions(&store, &meeting.id, "delegates").is_empty());
}

#[test]
fn suggestions_rank_the_meetings_rw_first_and_flag_who_is_in() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meeting = meeting(&store);
    let elsewhere = store.create_person(&PersonForm { rw: "3".into(), ..resident("Siti Aminah", "P") }).unwrap();
    let here = person(&store, "Siti Rahmawati", "P");
    let outside =
        store.create_person(&PersonForm { kelurahan_code: String::new(), ..resident("Siti Badriah", "P") }).unwrap();
    person(&store, "Dedi Kurniawan", "L");
    store.check_in(&meeting.id, &here.id, Role::Peserta).unwrap();

    let found = store.suggest_people("sitti", &meeting.id, 10).unwrap();
    let ids: Vec<&str> = found.iter().map(|s| s.person.id.as_str()).collect();
    assert_eq!(ids, [here.id.as_str(), elsewhere.id.as_str(), outside.id.as_str()]);
    assert_eq!(found.iter().map(|s| s.checked_in).collect::<Vec<_>>(), [true, false, false]);

    // An edit reaches the index at once, and so does a reopened store.
    store.update_person(&outside.id, &PersonForm { name: "Nining Badriah".into(), ..outside.to_form() }).unwrap();
    assert_eq!(store.suggest_people("sitti", &meeting.id, 10).unwrap().len(), 2);
    drop(store);
    let store = open(&dir);
    let found = store.suggest_people("rahmawti", &meeting.id, 10).unwrap();
    assert_eq!(found[0].person.name, "Siti Rahmawati");
    assert_eq!(store.suggest_people("nining", &meeting.id, 1).unwrap()[0].person.id, outside.id);
    assert!(matches!(store.suggest_people("siti", "nope", 5), Err(CoreError::NotFound { entity: "meeting" })));
}

#[test]
fn an_rws_residents_come_from_the_directory_by_rt_then_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    store.create_person(&PersonForm { rt: "3".into(), ..resident("Asep Saepudin", "L") }).unwrap();
    person(&store, "Yati Suryati", "P");
    person(&store, "Bambang Irawan", "L");
    store.create_person(&PersonForm { rw: "8".into(), ..resident("Other RW", "L") }).unwrap();
    store
        .create_person(&PersonForm { kelurahan_code: "32.77.03.1001".into(), ..resident("Other Kelurahan", "L") })
        .unwrap();
    let names: Vec<String> = store.rw_residents(CIBABAT, 7).unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["Bambang Irawan", "Yati Suryati", "Asep Saepudin"]);
    assert!(store.rw_residents(CIBABAT, 9).unwrap().is_empty());
}
