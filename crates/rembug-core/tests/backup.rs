//! Backups: everything comes back after the data folder is lost, a damaged
//! or foreign backup is refused before anything is replaced, and a backup
//! taken while the store writes is one consistent state.

mod common;

use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rembug_core::attendance::Role;
use rembug_core::backup::{
    BackupProgress, MANIFEST_FILE, back_up_store, check_backup, create_backup, plan_restore, restore_backup,
};
use rembug_core::data_dir::DATABASE_FILE;
use rembug_core::demo::{self, Scale};
use rembug_core::device::{DEVICE_KEY_FILE, DeviceIdentity};
use rembug_core::meeting::MeetingForm;
use rembug_core::people::PersonForm;
use rembug_core::usulan::UsulanForm;
use rembug_core::{CoreError, DataDir};

use common::meeting_form;

/// What a filled data folder holds, to find again after a restore.
struct Recorded {
    meeting_id: String,
    attendees: Vec<String>,
    usulan: Vec<String>,
    photo: String,
    fingerprint: String,
}

fn fill(data_dir: &Path) -> Recorded {
    let dir = DataDir::open(data_dir).unwrap();
    let store = dir.open_store().unwrap();
    let meeting = store.create_meeting(&meeting_form()).unwrap();
    let attendees = ["Siti Aminah", "Dadang Sunarya", "Yayah Rukayah"]
        .iter()
        .map(|name| {
            let form = PersonForm {
                name: (*name).into(),
                gender: "P".into(),
                unsur: "warga".into(),
                rw: "7".into(),
                ..PersonForm::default()
            };
            store.check_in_new(&meeting.id, &form, Role::Peserta).unwrap().name
        })
        .collect();
    let usulan: Vec<_> = ["Perbaikan saluran air", "Posyandu lansia"]
        .iter()
        .map(|kegiatan| {
            let form = UsulanForm {
                permasalahan: "Banjir saat hujan".into(),
                kegiatan: (*kegiatan).into(),
                alamat: "Jl. Cibabat Gg. Mawar".into(),
                rt_list: "2".into(),
                volume: "1".into(),
                satuan: "paket".into(),
                biaya: "Rp 10.000.000".into(),
                bidang: "infrastruktur".into(),
                ..UsulanForm::default()
            };
            store.add_usulan(&meeting.id, &form).unwrap()
        })
        .collect();
    let photo = store.add_usulan_photo(&usulan[0].id, Cursor::new(png(48)), false).unwrap().sha256;
    let fingerprint = DeviceIdentity::load_or_create(data_dir).unwrap().fingerprint();
    Recorded {
        meeting_id: meeting.id,
        attendees,
        usulan: usulan.into_iter().map(|usulan| usulan.kegiatan).collect(),
        photo,
        fingerprint,
    }
}

fn png(side: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(side, side, |x, y| image::Rgb([x as u8 * 5, y as u8 * 3, 120]));
    let mut bytes = Vec::new();
    image.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

fn backup_of(data_dir: &Path, out: &Path) -> PathBuf {
    create_backup(data_dir, out, &mut |_| {}).unwrap()
}

#[test]
fn a_restored_backup_brings_back_every_meeting_attendee_usulan_and_photo() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("data");
    let recorded = fill(&data_dir);
    let mut reports: Vec<BackupProgress> = Vec::new();
    let backup = create_backup(&data_dir, &root.path().join("stick"), &mut |report| reports.push(report)).unwrap();

    let last = reports.last().unwrap();
    assert_eq!(last.done_bytes, last.total_bytes, "the progress ends full");
    assert!(reports.windows(2).all(|pair| pair[0].done_bytes <= pair[1].done_bytes));
    let name = backup.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("rembug-backup-"), "{name}");
    let stick: Vec<_> = fs::read_dir(root.path().join("stick")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(stick, [backup.file_name().unwrap()], "no temporary folder is left behind");

    fs::remove_dir_all(&data_dir).unwrap();
    let restored = restore_backup(&backup, &data_dir, &mut |_| {}).unwrap();
    assert_eq!(restored.previous, None, "there was no data folder to keep");

    let dir = DataDir::open(&data_dir).unwrap();
    let store = dir.open_store().unwrap();
    assert_eq!(store.get_meeting(&recorded.meeting_id).unwrap().place, meeting_form().place);
    let names: Vec<_> = store.attendees(&recorded.meeting_id).unwrap().into_iter().map(|a| a.name).collect();
    assert_eq!(names, recorded.attendees);
    let usulan = store.usulan_list(&recorded.meeting_id).unwrap();
    assert_eq!(usulan.iter().map(|u| u.kegiatan.clone()).collect::<Vec<_>>(), recorded.usulan);
    assert_eq!(usulan[0].photos[0].sha256, recorded.photo);
    let mut photo = Vec::new();
    store.open_attachment(&recorded.photo).unwrap().read_to_end(&mut photo).unwrap();
    assert_eq!(rembug_core::hex::encode(&sha2_of(&photo)), recorded.photo);
    assert_eq!(DeviceIdentity::load_or_create(&data_dir).unwrap().fingerprint(), recorded.fingerprint);
}

fn sha2_of(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

#[test]
fn restoring_over_a_data_folder_keeps_the_old_one_beside_it() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("data");
    let recorded = fill(&data_dir);
    let backup = backup_of(&data_dir, &root.path().join("stick"));
    {
        let dir = DataDir::open(&data_dir).unwrap();
        let store = dir.open_store().unwrap();
        store.update_meeting(&recorded.meeting_id, &MeetingForm { place: "Masjid".into(), ..meeting_form() }).unwrap();
    }

    let restored = restore_backup(&backup, &data_dir, &mut |_| {}).unwrap();

    let previous = restored.previous.expect("the old folder is kept");
    assert!(previous.file_name().unwrap().to_string_lossy().starts_with("data-before-restore-"));
    let old = rembug_core::Store::open(&previous.join(DATABASE_FILE)).unwrap();
    assert_eq!(old.get_meeting(&recorded.meeting_id).unwrap().place, "Masjid");
    let dir = DataDir::open(&data_dir).unwrap();
    assert_eq!(dir.open_store().unwrap().get_meeting(&recorded.meeting_id).unwrap().place, meeting_form().place);
}

#[test]
fn a_data_folder_in_use_is_not_replaced() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("data");
    fill(&data_dir);
    let backup = backup_of(&data_dir, &root.path().join("stick"));
    let _app = DataDir::open(&data_dir).unwrap();
    assert!(matches!(restore_backup(&backup, &data_dir, &mut |_| {}), Err(CoreError::DataDirInUse)));
    let left: Vec<_> = fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "nothing is written beside the data folder: {left:?}");
}

/// Flips one byte of `file` in the middle.
fn flip_byte(file: &Path) {
    let mut bytes = fs::read(file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    fs::write(file, bytes).unwrap();
}

#[test]
fn a_damaged_backup_is_refused_and_the_data_folder_left_alone() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("data");
    let recorded = fill(&data_dir);
    for damaged in [format!("attachments/{}", recorded.photo), DATABASE_FILE.to_owned()] {
        let backup = backup_of(&data_dir, &root.path().join(format!("stick-{}", damaged.len())));
        assert!(check_backup(&backup).is_ok());
        flip_byte(&backup.join(&damaged));
        match restore_backup(&backup, &data_dir, &mut |_| {}) {
            Err(CoreError::BackupDamaged { file }) => assert_eq!(file, damaged),
            other => panic!("{damaged}: {other:?}"),
        }
        let dir = DataDir::open(&data_dir).unwrap();
        assert!(dir.open_store().unwrap().get_meeting(&recorded.meeting_id).is_ok());
    }
    let backup = backup_of(&data_dir, &root.path().join("stick-gone"));
    fs::remove_file(backup.join(MANIFEST_FILE)).unwrap();
    assert!(matches!(check_backup(&backup), Err(CoreError::BackupInvalid)));
}

#[test]
fn a_backup_whose_device_key_is_not_the_one_its_manifest_names_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("data");
    fill(&data_dir);
    let backup = backup_of(&data_dir, &root.path().join("stick"));
    // Another device's key, with the manifest's hash of it made to match, so
    // only the fingerprint can tell.
    let other = tempfile::tempdir().unwrap();
    DeviceIdentity::load_or_create(other.path()).unwrap();
    let key = fs::read(other.path().join(DEVICE_KEY_FILE)).unwrap();
    fs::write(backup.join(DEVICE_KEY_FILE), &key).unwrap();
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(backup.join(MANIFEST_FILE)).unwrap()).unwrap();
    for file in manifest["files"].as_array_mut().unwrap() {
        if file["path"] == DEVICE_KEY_FILE {
            file["sha256"] = rembug_core::hex::encode(&sha2_of(&key)).into();
        }
    }
    fs::write(backup.join(MANIFEST_FILE), serde_json::to_vec(&manifest).unwrap()).unwrap();
    assert!(matches!(check_backup(&backup), Err(CoreError::BackupForeign)));
}

#[test]
fn a_backup_taken_while_the_store_writes_is_one_state_that_existed() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("data");
    let dir = DataDir::open(&data_dir).unwrap();
    let store = dir.open_store().unwrap();
    demo::generate(&store, Scale::Kelurahan, 3).unwrap();
    // Padding of 8 MiB, so the copy takes many steps the writer runs between.
    let padding = rusqlite::Connection::open(data_dir.join(DATABASE_FILE)).unwrap();
    padding.execute_batch("CREATE TABLE padding (bytes BLOB)").unwrap();
    for _ in 0..8 {
        padding.execute("INSERT INTO padding VALUES (zeroblob(1048576))", []).unwrap();
    }
    drop(padding);
    let existing = places(&data_dir.join(DATABASE_FILE)).len();
    let done = AtomicBool::new(false);
    let backup = std::thread::scope(|scope| {
        scope.spawn(|| {
            // Each meeting is one transaction, numbered in order: a
            // consistent copy holds a prefix 0..k of them.
            for n in 0.. {
                if done.load(Ordering::Relaxed) {
                    return;
                }
                let place = format!("Pos {n:05}");
                store.create_meeting(&MeetingForm { place, ..meeting_form() }).unwrap();
            }
        });
        let mut steps = 0;
        let backup = create_backup(&data_dir, &root.path().join("stick"), &mut |_| steps += 1).unwrap();
        done.store(true, Ordering::Relaxed);
        assert!(steps > 8, "the copy took {steps} steps");
        backup
    });
    check_backup(&backup).unwrap();
    let places = places(&backup.join(DATABASE_FILE));
    let mut added: Vec<_> = places.iter().filter_map(|place| place.strip_prefix("Pos ")).collect();
    added.sort();
    let expected: Vec<_> = (0..added.len()).map(|n| format!("{n:05}")).collect();
    assert_eq!(added, expected, "the copy holds the first meetings written, none missing in between");
    assert_eq!(places.len(), existing + added.len());
}

fn places(database: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(database).unwrap();
    let mut statement = conn.prepare("SELECT place FROM meeting").unwrap();
    statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

fn lock_at(data_dir: &Path, meeting_id: &str, locked_at: &str) {
    let conn = rusqlite::Connection::open(data_dir.join(DATABASE_FILE)).unwrap();
    let sql = "UPDATE meeting SET status = 'locked', locked_at = ?2 WHERE id = ?1";
    assert_eq!(conn.execute(sql, [meeting_id, locked_at]).unwrap(), 1);
}

#[test]
fn the_reminder_counts_the_locked_meetings_no_backup_holds() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("data");
    let dir = DataDir::open(&data_dir).unwrap();
    let store = dir.open_store().unwrap();
    let reminder = store.backup_reminder().unwrap();
    assert_eq!((reminder.unprotected, reminder.last_backup_at), (0, None), "an empty folder needs none");

    let [first, second, draft] = [(); 3].map(|()| store.create_meeting(&meeting_form()).unwrap().id);
    lock_at(&data_dir, &first, "2026-11-28T13:00:00Z");
    let reminder = store.backup_reminder().unwrap();
    assert_eq!((reminder.unprotected, reminder.last_backup_at), (1, None), "a draft needs no reminder");

    back_up_store(&store, &data_dir, &root.path().join("stick"), &mut |_| {}).unwrap();
    let reminder = store.backup_reminder().unwrap();
    assert_eq!(reminder.unprotected, 0, "the backup holds the locked meeting");
    let began = reminder.last_backup_at.expect("the backup is remembered");

    // Locked in the very second the backup began: it may have missed it.
    lock_at(&data_dir, &second, &began);
    assert_eq!(store.backup_reminder().unwrap().unprotected, 1);
    store.record_backup("2999-01-01T00:00:00Z").unwrap();
    assert_eq!(store.backup_reminder().unwrap().unprotected, 0);
    assert_eq!(store.backup_reminder().unwrap().last_backup_at.as_deref(), Some("2999-01-01T00:00:00Z"));
    let text = store.backup_reminder().unwrap().last_backup_at_text.expect("a backup was made");
    assert_eq!(text.en, "Tuesday, 1 January 2999 at 07:00 WIB");
    assert!(store.get_meeting(&draft).is_ok());

    // A meeting the city office acknowledged needs no backup reminder.
    let third = store.create_meeting(&meeting_form()).unwrap().id;
    lock_at(&data_dir, &third, "2999-06-01T00:00:00Z");
    assert_eq!(store.backup_reminder().unwrap().unprotected, 1);
    store.queue_bundle(&third, &"a".repeat(64), 1000, &"b".repeat(64)).unwrap();
    store.start_sending(&third).unwrap();
    assert_eq!(store.backup_reminder().unwrap().unprotected, 1, "sending is not delivered");
    store.record_delivery(&third, &delivered_receipt(), "2999-06-01T00:05:00Z").unwrap();
    assert_eq!(store.backup_reminder().unwrap().unprotected, 0);
}

/// A receipt as the outbox keeps it (its signature is checked before it is
/// stored; the store keeps it as given).
fn delivered_receipt() -> rembug_core::trust::Signed {
    rembug_core::trust::Signed { body: "{}".into(), signature: "0".repeat(128) }
}

#[test]
fn a_failed_backup_is_not_remembered() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("data");
    let dir = DataDir::open(&data_dir).unwrap();
    let store = dir.open_store().unwrap();
    let id = store.create_meeting(&meeting_form()).unwrap().id;
    lock_at(&data_dir, &id, "2026-11-28T13:00:00Z");
    // A file where the folder should be: the backup cannot be written.
    let blocked = root.path().join("stick");
    fs::write(&blocked, b"not a folder").unwrap();
    assert!(back_up_store(&store, &data_dir, &blocked, &mut |_| {}).is_err());
    assert_eq!(store.backup_reminder().unwrap().unprotected, 1);
    assert_eq!(store.backup_reminder().unwrap().last_backup_at, None);
}

#[test]
fn a_restore_plan_says_what_the_backup_holds_and_what_it_replaces() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("data");
    let recorded = fill(&data_dir);
    let backup = backup_of(&data_dir, &root.path().join("stick"));
    let manifest = check_backup(&backup).unwrap();

    let dir = DataDir::open(&data_dir).unwrap();
    let store = dir.open_store().unwrap();
    store.create_meeting(&meeting_form()).unwrap();
    // A correction counts once, as the meeting list shows it.
    lock_at(&data_dir, &recorded.meeting_id, "2026-11-28T13:00:00Z");
    store.revise_meeting(&recorded.meeting_id, "Nama delegasi salah ketik").unwrap();
    let device = DeviceIdentity::load_or_create(&data_dir).unwrap();

    let plan = plan_restore(&store, &device, &backup).unwrap();
    assert_eq!(plan.created_at, manifest.created_at);
    assert_eq!((plan.meetings_in_backup, plan.meetings_here), (1, 2));
    assert_eq!(plan.device_fingerprint, recorded.fingerprint);
    assert!(plan.same_device);

    let other = tempfile::tempdir().unwrap();
    let other_device = DeviceIdentity::load_or_create(other.path()).unwrap();
    assert!(!plan_restore(&store, &other_device, &backup).unwrap().same_device, "a backup of another laptop");

    flip_byte(&backup.join(DATABASE_FILE));
    assert!(matches!(plan_restore(&store, &device, &backup), Err(CoreError::BackupDamaged { .. })));
}
