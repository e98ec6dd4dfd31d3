//! Usulan, their photos, the ranking and carrying forward, against a real
//! SQLite file in a temporary folder.

mod common;

use std::io::Read;

use common::{contains, lock_directly, meeting_form, open, phone_jpeg};
use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage};
use rembug_core::attendance::Role;
use rembug_core::hex::sha256_hex;
use rembug_core::meeting::MeetingForm;
use rembug_core::people::PersonForm;
use rembug_core::ranking::{CriterionForm, RankingMethod, default_criteria};
use rembug_core::settings::RecordingSettingsForm;
use rembug_core::usulan::{Bidang, Outcome, UsulanForm, UsulanList, UsulanTexts};
use rembug_core::{CoreError, Store};

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir);
        Fixture { dir, store }
    }

    fn meeting(&self, rw: &str, date: &str) -> String {
        let form = MeetingForm { rw: rw.into(), date: date.into(), ..meeting_form() };
        self.store.create_meeting(&form).unwrap().id
    }

    fn lock(&self, meeting_id: &str) {
        lock_directly(&self.dir, meeting_id);
    }

    fn add(&self, meeting_id: &str, kegiatan: &str) -> String {
        self.store.add_usulan(meeting_id, &UsulanForm { kegiatan: kegiatan.into(), ..usulan_form() }).unwrap().id
    }

    fn attachment_bytes(&self, sha256: &str) -> Vec<u8> {
        let mut bytes = Vec::new();
        self.store.open_attachment(sha256).unwrap().read_to_end(&mut bytes).unwrap();
        bytes
    }
}

fn usulan_form() -> UsulanForm {
    UsulanForm {
        permasalahan: "Jalan gang berlubang dan tergenang saat hujan".into(),
        kegiatan: "Betonisasi jalan gang".into(),
        alamat: "Gg. Melati".into(),
        rt_list: "03, 01".into(),
        rw: "".into(),
        latitude: "-6,8725".into(),
        longitude: "107.5421".into(),
        volume: "2,5".into(),
        satuan: "km".into(),
        biaya: "Rp 12.500.000".into(),
        bidang: "infrastruktur".into(),
        opd_tujuan: "Dinas PUPR".into(),
        penerima_manfaat: "350".into(),
        swadaya: "Tenaga kerja warga".into(),
        keterangan: "Tanah sudah dihibahkan warga".into(),
        proposer_person_id: "".into(),
        proposer_group: "".into(),
    }
}

fn person() -> PersonForm {
    PersonForm {
        name: "Euis Komalasari".into(),
        gender: "P".into(),
        unsur: "PKK".into(),
        rt: "2".into(),
        rw: "7".into(),
        kelurahan_code: "".into(),
        phone: "".into(),
        disability: false,
        age_group: "".into(),
    }
}

fn field_codes(error: CoreError) -> Vec<(String, String)> {
    assert_eq!(error.code(), "validation", "{error:?}");
    error.field_errors().iter().map(|e| (e.field.clone(), e.code.as_str().to_owned())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(field, code)| ((*field).to_owned(), (*code).to_owned())).collect()
}

fn jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| image::Rgb([(x / 8) as u8, (y / 8) as u8, seed]));
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&image).unwrap();
    bytes
}

fn dimensions(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).unwrap();
    (image.width(), image.height())
}

#[test]
fn an_usulan_is_stored_typed_and_survives_reopening() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let added = fixture.store.add_usulan(&meeting, &usulan_form()).unwrap();
    assert_eq!(added.position, 1);
    assert_eq!(added.rt_list, "1,3");
    assert_eq!(added.rw, Some(7), "the meeting's RW when none is typed");
    assert_eq!((added.latitude, added.longitude), (Some(-6.8725), Some(107.5421)));
    assert_eq!(added.volume, 2.5);
    assert_eq!(added.biaya, 12_500_000);
    assert_eq!(added.bidang, Bidang::Infrastruktur);
    assert_eq!(added.penerima_manfaat, Some(350));
    assert_eq!(added.outcome, None);
    assert_eq!(fixture.store.add_usulan(&meeting, &usulan_form()).unwrap().position, 2);

    let Fixture { dir, store } = fixture;
    drop(store);
    let reopened = Store::open(&dir.path().join("rembug.sqlite3")).unwrap();
    let list = reopened.usulan_list(&meeting).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0], added);
    // The edit screen starts from a form that stores the same usulan again.
    assert_eq!(list[0].to_form().biaya, "12.500.000");
    assert_eq!(list[0].to_form().volume, "2,5");
}

#[test]
fn the_list_carries_each_volume_and_cost_as_the_papers_write_them() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let first = fixture.store.add_usulan(&meeting, &usulan_form()).unwrap();
    let second = UsulanForm { volume: "1.500,257".into(), biaya: "750000".into(), ..usulan_form() };
    let second = fixture.store.add_usulan(&meeting, &second).unwrap();

    let list = UsulanList::of(fixture.store.usulan_list(&meeting).unwrap());
    assert_eq!(list.usulan.len(), 2);
    assert_eq!(list.texts[&first.id], UsulanTexts { volume: "2,5".into(), biaya: "Rp 12.500.000".into() });
    assert_eq!(list.texts[&second.id], UsulanTexts { volume: "1.500,26".into(), biaya: "Rp 750.000".into() });
    assert_eq!(list.biaya_total, "Rp 13.250.000");
    assert_eq!(UsulanList::of(Vec::new()).biaya_total, "Rp 0");
}

#[test]
fn every_refused_field_gets_its_code_and_nothing_is_stored() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let form = UsulanForm {
        permasalahan: "x".repeat(2_001),
        kegiatan: "k".repeat(301),
        rt_list: "1, 0".into(),
        rw: "0".into(),
        latitude: "-6.87".into(),
        longitude: "".into(),
        volume: "-3".into(),
        biaya: "-12.500.000".into(),
        bidang: "kesehatan".into(),
        penerima_manfaat: "banyak".into(),
        ..usulan_form()
    };
    let codes = field_codes(fixture.store.add_usulan(&meeting, &form).unwrap_err());
    assert_eq!(
        codes,
        pairs(&[
            ("permasalahan", "too_long"),
            ("kegiatan", "too_long"),
            ("rt_list", "rt_list_invalid"),
            ("rw", "rw_out_of_range"),
            ("volume", "volume_negative"),
            ("biaya", "amount_negative"),
            ("bidang", "bidang_unknown"),
            ("penerima_manfaat", "number_invalid"),
            ("longitude", "coordinates_incomplete"),
        ])
    );
    assert!(fixture.store.usulan_list(&meeting).unwrap().is_empty());

    for (form, expected) in [
        (UsulanForm { biaya: "12.500.000,50".into(), ..usulan_form() }, ("biaya", "amount_not_whole")),
        (UsulanForm { biaya: "Rp 250.000.000.000".into(), ..usulan_form() }, ("biaya", "amount_too_large")),
        (UsulanForm { biaya: "dua juta".into(), ..usulan_form() }, ("biaya", "amount_invalid")),
        (
            UsulanForm { latitude: "35.68".into(), longitude: "139.69".into(), ..usulan_form() },
            ("latitude", "coordinates_outside_indonesia"),
        ),
        (UsulanForm { longitude: "151.2".into(), ..usulan_form() }, ("longitude", "coordinates_outside_indonesia")),
        (UsulanForm { volume: "2.000.000".into(), ..usulan_form() }, ("volume", "volume_too_large")),
        (UsulanForm { satuan: "".into(), ..usulan_form() }, ("satuan", "required")),
        (UsulanForm { alamat: "Gg.\u{7}Melati".into(), ..usulan_form() }, ("alamat", "text_invalid")),
    ] {
        let codes = field_codes(fixture.store.add_usulan(&meeting, &form).unwrap_err());
        assert_eq!(codes, pairs(&[expected]));
    }
    assert!(fixture.store.usulan_list(&meeting).unwrap().is_empty());

    // The ways cadres write money all store the same whole Rupiah.
    for biaya in ["12500000", "12.500.000", "Rp 12.500.000", "Rp12.500.000,-"] {
        let usulan = fixture.store.add_usulan(&meeting, &UsulanForm { biaya: biaya.into(), ..usulan_form() }).unwrap();
        assert_eq!(usulan.biaya, 12_500_000, "{biaya}");
    }
}

#[test]
fn the_proposer_is_someone_who_attended_or_a_group() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let elsewhere = fixture.meeting("7", "2025-11-20");
    let attendee = fixture.store.check_in_new(&meeting, &person(), Role::Peserta).unwrap();
    let absent = fixture
        .store
        .check_in_new(&elsewhere, &PersonForm { name: "Ujang".into(), ..person() }, Role::Peserta)
        .unwrap();

    let by_absent = UsulanForm { proposer_person_id: absent.person_id.clone(), ..usulan_form() };
    assert_eq!(
        field_codes(fixture.store.add_usulan(&meeting, &by_absent).unwrap_err()),
        pairs(&[("proposer_person_id", "proposer_not_attendee")])
    );
    let by_both =
        UsulanForm { proposer_person_id: attendee.person_id.clone(), proposer_group: "PKK".into(), ..usulan_form() };
    assert_eq!(
        field_codes(fixture.store.add_usulan(&meeting, &by_both).unwrap_err()),
        pairs(&[("proposer_group", "proposer_conflict")])
    );

    let by_attendee = UsulanForm { proposer_person_id: attendee.person_id.clone(), ..usulan_form() };
    let usulan = fixture.store.add_usulan(&meeting, &by_attendee).unwrap();
    assert_eq!(usulan.proposer_person_id.as_deref(), Some(attendee.person_id.as_str()));
    assert_eq!(usulan.proposer_name.as_deref(), Some("Euis Komalasari"));
    let by_group = UsulanForm { proposer_group: "Karang Taruna".into(), ..usulan_form() };
    let usulan = fixture.store.update_usulan(&usulan.id, &by_group).unwrap();
    assert_eq!((usulan.proposer_person_id, usulan.proposer_group.as_deref()), (None, Some("Karang Taruna")));
}

#[test]
fn edits_log_only_real_changes_and_deleting_renumbers() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let first = fixture.add(&meeting, "Betonisasi jalan gang");
    let second = fixture.add(&meeting, "Pelatihan UMKM");
    let third = fixture.add(&meeting, "Posyandu lansia");

    let same = fixture.store.get_usulan(&first).unwrap().to_form();
    fixture.store.update_usulan(&first, &same).unwrap();
    // Written differently, stored the same: not a change either.
    fixture
        .store
        .update_usulan(&first, &UsulanForm { biaya: "12500000".into(), rt_list: "1,3".into(), ..same.clone() })
        .unwrap();
    let edited = fixture.store.update_usulan(&first, &UsulanForm { biaya: "15.000.000".into(), ..same }).unwrap();
    assert_eq!(edited.biaya, 15_000_000);

    fixture.store.set_usulan_outcome(&second, Some(Outcome::TidakDiakomodir)).unwrap();
    fixture.store.set_usulan_outcome(&second, Some(Outcome::TidakDiakomodir)).unwrap();
    fixture.store.delete_usulan(&second).unwrap();

    let list = fixture.store.usulan_list(&meeting).unwrap();
    assert_eq!(
        list.iter().map(|u| (u.position, u.id.as_str())).collect::<Vec<_>>(),
        [(1, first.as_str()), (2, third.as_str())]
    );
    let actions: Vec<(String, String)> = fixture
        .store
        .meeting_changes(&meeting)
        .unwrap()
        .into_iter()
        .filter(|change| change.entity == "usulan")
        .map(|change| (change.entity_id.unwrap(), change.action))
        .collect();
    assert_eq!(
        actions,
        [
            (first.clone(), "created".to_owned()),
            (second.clone(), "created".to_owned()),
            (third.clone(), "created".to_owned()),
            (first.clone(), "updated".to_owned()),
            (second.clone(), "outcome_set".to_owned()),
            (second.clone(), "deleted".to_owned()),
        ]
    );
    assert!(matches!(fixture.store.get_usulan(&second), Err(CoreError::NotFound { entity: "usulan" })));
}

#[test]
fn a_large_photo_is_downscaled_and_a_small_one_kept_as_it_is() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let usulan = fixture.add(&meeting, "Betonisasi jalan gang");

    let large = jpeg(4000, 3000, 1);
    let stored = fixture.store.add_usulan_photo(&usulan, large.as_slice(), true).unwrap();
    assert_eq!(stored.position, 1);
    let bytes = fixture.attachment_bytes(&stored.sha256);
    assert_eq!(dimensions(&bytes), (1600, 1200));
    assert!(bytes.len() < large.len());
    assert_eq!(fixture.store.attachment(&stored.sha256).unwrap().media_type, "image/jpeg");
    assert_eq!(stored.original_sha256.as_deref(), Some(sha256_hex(&large).as_str()));
    assert_eq!(fixture.attachment_bytes(stored.original_sha256.as_deref().unwrap()), large);

    let small = jpeg(800, 600, 2);
    let kept = fixture.store.add_usulan_photo(&usulan, small.as_slice(), false).unwrap();
    assert_eq!(kept.position, 2);
    assert_eq!(kept.sha256, sha256_hex(&small));
    assert_eq!(kept.original_sha256, None);
    assert_eq!(fixture.attachment_bytes(&kept.sha256), small);

    let photos = fixture.store.usulan_list(&meeting).unwrap().remove(0).photos;
    assert_eq!(photos, [stored, kept]);
}

#[test]
fn a_photo_is_stored_without_the_phone_s_metadata_kept_or_downscaled() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let usulan = fixture.add(&meeting, "Betonisasi jalan gang");
    let mark = b"GPS -6.9175 107.5721 Ponsel-SN-0042";

    let small = phone_jpeg(800, 600, 3, mark);
    let kept = fixture.store.add_usulan_photo(&usulan, small.as_slice(), true).unwrap();
    let stored = fixture.attachment_bytes(&kept.sha256);
    assert!(contains(&small, mark) && !contains(&stored, mark));
    assert_eq!(image::load_from_memory(&stored).unwrap(), image::load_from_memory(&small).unwrap());
    assert_eq!(kept.original_sha256.as_deref(), Some(kept.sha256.as_str()));

    let large = phone_jpeg(2000, 1700, 4, mark);
    let downscaled = fixture.store.add_usulan_photo(&usulan, large.as_slice(), true).unwrap();
    assert!(!contains(&fixture.attachment_bytes(&downscaled.sha256), mark));
    let original = fixture.attachment_bytes(downscaled.original_sha256.as_deref().unwrap());
    assert!(!contains(&original, mark), "the kept original loses it too");
    assert_eq!(image::load_from_memory(&original).unwrap(), image::load_from_memory(&large).unwrap());
}

#[test]
fn only_jpeg_and_png_photos_are_accepted() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let usulan = fixture.add(&meeting, "Betonisasi jalan gang");
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    for refused in [&gif[..], b"bukan foto", b""] {
        let error = fixture.store.add_usulan_photo(&usulan, refused, false).unwrap_err();
        assert_eq!(field_codes(error), pairs(&[("photo", "photo_format_unsupported")]));
    }
    let mut broken = jpeg(100, 100, 3);
    broken.truncate(30);
    let error = fixture.store.add_usulan_photo(&usulan, broken.as_slice(), false).unwrap_err();
    assert_eq!(field_codes(error), pairs(&[("photo", "photo_unreadable")]));

    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&[200; 3 * 40 * 30], 40, 30, image::ExtendedColorType::Rgb8)
        .unwrap();
    let photo = fixture.store.add_usulan_photo(&usulan, png.as_slice(), false).unwrap();
    assert_eq!(fixture.store.attachment(&photo.sha256).unwrap().media_type, "image/png");
    assert_eq!(fixture.store.get_usulan(&usulan).unwrap().photos.len(), 1);
}

#[test]
fn the_eleventh_photo_is_refused_and_removing_renumbers() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let usulan = fixture.add(&meeting, "Betonisasi jalan gang");
    let photos: Vec<Vec<u8>> = (0..11).map(|seed| jpeg(64, 48, seed)).collect();
    for photo in &photos[..10] {
        fixture.store.add_usulan_photo(&usulan, photo.as_slice(), false).unwrap();
    }
    let error = fixture.store.add_usulan_photo(&usulan, photos[10].as_slice(), false).unwrap_err();
    assert_eq!(field_codes(error), pairs(&[("photo", "too_many_photos")]));

    let left = fixture.store.remove_usulan_photo(&usulan, 3).unwrap();
    assert_eq!(left.iter().map(|photo| photo.position).collect::<Vec<_>>(), (1..=9).collect::<Vec<u8>>());
    let expected: Vec<String> =
        photos[..10].iter().enumerate().filter(|(index, _)| *index != 2).map(|(_, bytes)| sha256_hex(bytes)).collect();
    assert_eq!(left.iter().map(|photo| photo.sha256.clone()).collect::<Vec<_>>(), expected);
    assert!(matches!(fixture.store.remove_usulan_photo(&usulan, 10), Err(CoreError::NotFound { .. })));

    // With room again, the eleventh finds its place at the end.
    let added = fixture.store.add_usulan_photo(&usulan, photos[10].as_slice(), false).unwrap();
    assert_eq!(added.position, 10);
}

#[test]
fn at_most_three_photos_are_marked_for_sipd_and_marks_travel_with_copies() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2025-11-24");
    let usulan = fixture.add(&meeting, "Betonisasi jalan gang");
    for seed in 0..5 {
        fixture.store.add_usulan_photo(&usulan, jpeg(64, 48, seed).as_slice(), false).unwrap();
    }
    for position in [1, 2, 4] {
        fixture.store.set_usulan_photo_sipd(&usulan, position, true).unwrap();
    }
    let error = fixture.store.set_usulan_photo_sipd(&usulan, 5, true).unwrap_err();
    assert_eq!(field_codes(error), pairs(&[("untuk_sipd", "sipd_photos_full")]));
    // Marking a marked photo again is no fourth mark.
    fixture.store.set_usulan_photo_sipd(&usulan, 4, true).unwrap();
    let marked = |photos: &[rembug_core::usulan::UsulanPhoto]| -> Vec<u8> {
        photos.iter().filter(|photo| photo.untuk_sipd).map(|photo| photo.position).collect()
    };
    assert_eq!(marked(&fixture.store.get_usulan(&usulan).unwrap().photos), [1, 2, 4]);
    // A removed photo takes its mark with it; the later ones keep theirs.
    let left = fixture.store.remove_usulan_photo(&usulan, 2).unwrap();
    assert_eq!(marked(&left), [1, 3]);
    let left = fixture.store.set_usulan_photo_sipd(&usulan, 4, true).unwrap();
    assert_eq!(marked(&left), [1, 3, 4]);
    let left = fixture.store.set_usulan_photo_sipd(&usulan, 1, false).unwrap();
    assert_eq!(marked(&left), [3, 4]);
    assert!(matches!(fixture.store.set_usulan_photo_sipd(&usulan, 9, true), Err(CoreError::NotFound { .. })));
    // The schema refuses a fourth mark too, whoever writes.
    let conn = rusqlite::Connection::open(fixture.dir.path().join(common::DATABASE)).unwrap();
    conn.execute("UPDATE usulan_photo SET untuk_sipd = 1 WHERE usulan_id = ?1 AND position = 1", [&usulan]).unwrap();
    let refused =
        conn.execute("UPDATE usulan_photo SET untuk_sipd = 1 WHERE usulan_id = ?1 AND position = 2", [&usulan]);
    assert!(refused.unwrap_err().to_string().contains("at most three photos go to SIPD"));
    conn.execute("UPDATE usulan_photo SET untuk_sipd = 0 WHERE usulan_id = ?1 AND position = 1", [&usulan]).unwrap();
    drop(conn);
    let history = fixture.store.meeting_changes(&meeting).unwrap();
    assert!(history.iter().any(|entry| entry.entity == "usulan_photo" && entry.action == "updated"));

    // Locked: no mark changes; a revision and a carried-forward copy keep
    // the marks and the keterangan.
    fixture.lock(&meeting);
    let error = fixture.store.set_usulan_photo_sipd(&usulan, 1, true).unwrap_err();
    assert!(matches!(error, CoreError::MeetingLocked), "{error:?}");
    let revision = fixture.store.revise_meeting(&meeting, "Salah ketik").unwrap();
    let revised = &fixture.store.usulan_list(&revision.id).unwrap()[0];
    assert_eq!(marked(&revised.photos), [3, 4]);
    assert_eq!(revised.keterangan.as_deref(), Some("Tanah sudah dihibahkan warga"));
    let this = fixture.meeting("7", "2026-11-28");
    let carried = fixture.store.carry_forward(&this, std::slice::from_ref(&usulan)).unwrap();
    assert_eq!(marked(&carried[0].photos), [3, 4]);
    assert_eq!(carried[0].keterangan.as_deref(), Some("Tanah sudah dihibahkan warga"));
}

#[test]
fn the_opd_list_starts_with_cimahis_and_is_kept_in_settings() {
    let fixture = Fixture::new();
    let names = |list: Vec<rembug_core::opd::Opd>| list.into_iter().map(|opd| opd.name).collect::<Vec<_>>();
    let seeded = fixture.store.opd_list().unwrap();
    assert!(seeded.len() >= 20, "{seeded:?}");
    assert!(seeded.iter().any(|opd| opd.name == "Dinas Pekerjaan Umum dan Penataan Ruang"));
    let health = seeded.iter().find(|opd| opd.name == "Dinas Kesehatan").unwrap().id;

    let list = names(fixture.store.add_opd("  Dinas Pemadam Kebakaran ").unwrap());
    assert!(list.contains(&"Dinas Pemadam Kebakaran".to_owned()));
    assert_eq!(list.len(), seeded.len() + 1);
    let error = fixture.store.add_opd("dinas kesehatan").unwrap_err();
    assert_eq!(field_codes(error), pairs(&[("name", "opd_duplicate")]));
    let error = fixture.store.add_opd(" ").unwrap_err();
    assert_eq!(field_codes(error), pairs(&[("name", "required")]));

    // Renaming to its own name in another case is no duplicate.
    let list = names(fixture.store.rename_opd(health, "DINAS KESEHATAN").unwrap());
    assert!(list.contains(&"DINAS KESEHATAN".to_owned()));
    let error = fixture.store.rename_opd(health, "Dinas Sosial").unwrap_err();
    assert_eq!(field_codes(error), pairs(&[("name", "opd_duplicate")]));
    let list = names(fixture.store.remove_opd(health).unwrap());
    assert!(!list.iter().any(|name| name.eq_ignore_ascii_case("dinas kesehatan")));
    assert!(matches!(fixture.store.remove_opd(health), Err(CoreError::NotFound { .. })));
    assert!(matches!(fixture.store.rename_opd(health, "Dinas X"), Err(CoreError::NotFound { .. })));
}

#[test]
fn scores_rank_the_usulan_with_ties_broken_by_hands_then_entry() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let criteria = fixture.store.ensure_default_criteria(&meeting).unwrap();
    assert_eq!(criteria.iter().map(|c| c.weight).collect::<Vec<_>>(), [30, 25, 20, 15, 10]);
    // A meeting that has criteria keeps them; a new one starts with the
    // criteria the settings name now.
    let other_defaults = vec![CriterionForm { name: "Lain".into(), weight: "5".into() }];
    let recording = fixture.store.settings().unwrap().recording;
    let form = RecordingSettingsForm { criteria: other_defaults, ..recording.to_form() };
    fixture.store.save_recording_settings(&form).unwrap();
    assert_eq!(fixture.store.ensure_default_criteria(&meeting).unwrap(), criteria);
    let later = fixture.meeting("8", "2026-11-28");
    let names: Vec<String> =
        fixture.store.ensure_default_criteria(&later).unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["Lain"]);

    let jalan = fixture.add(&meeting, "Betonisasi jalan");
    let umkm = fixture.add(&meeting, "Pelatihan UMKM");
    let posyandu = fixture.add(&meeting, "Posyandu lansia");
    let pos_ronda = fixture.add(&meeting, "Pos ronda");
    for (usulan, scores) in [(&jalan, [4, 4, 4, 4, 4]), (&umkm, [5, 3, 4, 4, 4]), (&posyandu, [5, 5, 5, 5, 5])] {
        for (criterion, score) in criteria.iter().zip(scores) {
            fixture.store.set_score(usulan, &criterion.id, Some(score)).unwrap();
        }
    }
    // jalan: 400; umkm: 150 + 75 + 80 + 60 + 40 = 405; posyandu: 500.
    let ranking = fixture.store.set_hands(&jalan, "12").unwrap();
    let order: Vec<(&str, u32, Option<i64>)> =
        ranking.rows.iter().map(|row| (row.kegiatan.as_str(), row.rank, row.total)).collect();
    assert_eq!(
        order,
        [
            ("Posyandu lansia", 1, Some(500)),
            ("Pelatihan UMKM", 2, Some(405)),
            ("Betonisasi jalan", 3, Some(400)),
            ("Pos ronda", 4, None),
        ]
    );
    assert_eq!(ranking.rows[0].score_percent, Some(100.0));
    assert_eq!(ranking.rows[2].score_percent, Some(80.0));
    // Each row says where, for the projector and the printed list.
    let lokasi = &ranking.rows[0];
    assert_eq!((lokasi.alamat.as_str(), lokasi.rt_list.as_str(), lokasi.rw), ("Gg. Melati", "1,3", Some(7)));

    // umkm's first score down to 4 (375), its second up to 4: a tie with
    // jalan at 400, which goes to jalan, the one with hands counted.
    let ranking = fixture.store.set_score(&umkm, &criteria[0].id, Some(4)).unwrap();
    let umkm_row = ranking.rows.iter().find(|row| row.usulan_id == umkm).unwrap();
    assert_eq!(umkm_row.total, Some(375));
    fixture.store.set_score(&umkm, &criteria[1].id, Some(4)).unwrap();
    let ranking = fixture.store.ranking(&meeting).unwrap();
    let ids: Vec<&str> = ranking.rows.iter().map(|row| row.usulan_id.as_str()).collect();
    assert_eq!(ids, [posyandu.as_str(), jalan.as_str(), umkm.as_str(), pos_ronda.as_str()]);
    assert_eq!(ranking.rows[1].total, ranking.rows[2].total);

    // Clearing a score takes it out of the total; a score of 6 is refused.
    let ranking = fixture.store.set_score(&posyandu, &criteria[0].id, None).unwrap();
    assert_eq!(ranking.rows.iter().find(|row| row.usulan_id == posyandu).unwrap().scores[0], None);
    let error = fixture.store.set_score(&posyandu, &criteria[0].id, Some(6)).unwrap_err();
    assert_eq!(field_codes(error), pairs(&[("score", "score_out_of_range")]));
    assert!(matches!(fixture.store.set_score(&posyandu, "not-a-criterion", Some(3)), Err(CoreError::NotFound { .. })));
}

#[test]
fn the_meeting_may_rank_by_a_show_of_hands() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let jalan = fixture.add(&meeting, "Betonisasi jalan");
    let umkm = fixture.add(&meeting, "Pelatihan UMKM");
    let posyandu = fixture.add(&meeting, "Posyandu lansia");
    let ranking = fixture.store.set_ranking_method(&meeting, RankingMethod::Hands).unwrap();
    assert_eq!(ranking.method, RankingMethod::Hands);
    assert!(ranking.criteria.is_empty());

    fixture.store.set_hands(&jalan, "18").unwrap();
    fixture.store.set_hands(&umkm, "31").unwrap();
    let ranking = fixture.store.set_hands(&posyandu, "18").unwrap();
    let order: Vec<(&str, Option<u32>)> = ranking.rows.iter().map(|row| (row.usulan_id.as_str(), row.hands)).collect();
    assert_eq!(order, [(umkm.as_str(), Some(31)), (jalan.as_str(), Some(18)), (posyandu.as_str(), Some(18))]);

    for (raw, code) in [("-1", "number_invalid"), ("dua", "number_invalid"), ("10001", "hands_out_of_range")] {
        let error = fixture.store.set_hands(&jalan, raw).unwrap_err();
        assert_eq!(field_codes(error), pairs(&[("hands", code)]), "{raw}");
    }
    let ranking = fixture.store.set_hands(&umkm, "").unwrap();
    assert_eq!(ranking.rows.last().unwrap().usulan_id, umkm, "an uncounted usulan comes last");
    let changes = fixture.store.meeting_changes(&meeting).unwrap();
    assert_eq!(changes.iter().filter(|change| change.action == "hands_set").count(), 4);
    assert_eq!(changes.iter().filter(|change| change.action == "method_set").count(), 1);
}

#[test]
fn a_consensus_order_needs_a_reason_and_wins_until_cleared() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let criteria = fixture
        .store
        .set_criteria(&meeting, &[CriterionForm { name: "Kemendesakan".into(), weight: "100".into() }])
        .unwrap();
    let ids: Vec<String> = ["A", "B", "C"].iter().map(|kegiatan| fixture.add(&meeting, kegiatan)).collect();
    for (id, score) in ids.iter().zip([5, 3, 1]) {
        fixture.store.set_score(id, &criteria[0].id, Some(score)).unwrap();
    }
    let consensus = vec![ids[2].clone(), ids[0].clone(), ids[1].clone()];

    let error = fixture.store.set_manual_order(&meeting, &consensus, "  ").unwrap_err();
    assert_eq!(field_codes(error), pairs(&[("reason", "required")]));
    let missing_one = &consensus[..2];
    let error = fixture.store.set_manual_order(&meeting, missing_one, "Disepakati warga").unwrap_err();
    assert_eq!(field_codes(error), pairs(&[("usulan_ids", "manual_order_invalid")]));

    let reason = "Pos ronda didahulukan karena pencurian meningkat";
    let ranking = fixture.store.set_manual_order(&meeting, &consensus, reason).unwrap();
    assert_eq!(ranking.override_reason.as_deref(), Some(reason));
    assert_eq!(ranking.rows.iter().map(|row| row.usulan_id.clone()).collect::<Vec<_>>(), consensus);
    assert!(ranking.rows.iter().all(|row| row.manually_placed));

    // An usulan added later follows the agreed order.
    let late = fixture.add(&meeting, "D");
    fixture.store.set_score(&late, &criteria[0].id, Some(5)).unwrap();
    let ranking = fixture.store.ranking(&meeting).unwrap();
    assert_eq!(ranking.rows[3].usulan_id, late);
    assert!(!ranking.rows[3].manually_placed);

    let ranking = fixture.store.clear_manual_order(&meeting).unwrap();
    assert_eq!(ranking.override_reason, None);
    let computed: Vec<&str> = ranking.rows.iter().map(|row| row.usulan_id.as_str()).collect();
    assert_eq!(computed, [ids[0].as_str(), late.as_str(), ids[1].as_str(), ids[2].as_str()]);
    let actions: Vec<String> = fixture
        .store
        .meeting_changes(&meeting)
        .unwrap()
        .into_iter()
        .filter(|change| change.entity == "ranking")
        .map(|change| change.action)
        .collect();
    assert_eq!(actions, ["manual_order_set", "manual_order_cleared"]);
}

#[test]
fn replacing_criteria_keeps_the_scores_of_kept_names_only() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let criteria = fixture.store.ensure_default_criteria(&meeting).unwrap();
    let usulan = fixture.add(&meeting, "Betonisasi jalan");
    for criterion in &criteria {
        fixture.store.set_score(&usulan, &criterion.id, Some(4)).unwrap();
    }
    let replaced = fixture
        .store
        .set_criteria(
            &meeting,
            &[
                CriterionForm { name: "dampak".into(), weight: "60".into() },
                CriterionForm { name: "Biaya terjangkau".into(), weight: "40".into() },
            ],
        )
        .unwrap();
    assert_eq!(replaced[0].id, criteria[2].id, "a kept name keeps its id and its scores");
    assert_eq!((replaced[0].position, replaced[0].name.as_str(), replaced[0].weight), (1, "dampak", 60));
    assert_ne!(replaced[1].id, criteria[4].id);
    let row = fixture.store.ranking(&meeting).unwrap().rows.remove(0);
    assert_eq!(row.scores, [Some(4), None]);
    assert_eq!(row.total, Some(240));

    let error = fixture
        .store
        .set_criteria(
            &meeting,
            &[
                CriterionForm { name: "A".into(), weight: "0".into() },
                CriterionForm { name: "a".into(), weight: "5".into() },
            ],
        )
        .unwrap_err();
    assert_eq!(
        field_codes(error),
        pairs(&[("criteria.0.weight", "weight_out_of_range"), ("criteria.1.name", "criterion_duplicate")])
    );
    let conn = rusqlite::Connection::open(fixture.dir.path().join("rembug.sqlite3")).unwrap();
    let scores: i64 = conn.query_row("SELECT count(*) FROM score", [], |row| row.get(0)).unwrap();
    assert_eq!(scores, 1, "the scores of removed criteria are deleted with them");
}

#[test]
fn a_locked_meeting_refuses_every_change_to_its_usulan() {
    let fixture = Fixture::new();
    let meeting = fixture.meeting("7", "2026-11-28");
    let criteria = fixture.store.ensure_default_criteria(&meeting).unwrap();
    let usulan = fixture.add(&meeting, "Betonisasi jalan");
    fixture.store.add_usulan_photo(&usulan, jpeg(64, 48, 0).as_slice(), false).unwrap();
    fixture.lock(&meeting);

    let refusals = [
        fixture.store.add_usulan(&meeting, &usulan_form()).map(drop),
        fixture.store.update_usulan(&usulan, &UsulanForm { biaya: "1".into(), ..usulan_form() }).map(drop),
        fixture.store.delete_usulan(&usulan),
        fixture.store.set_usulan_outcome(&usulan, Some(Outcome::Diakomodir)).map(drop),
        fixture.store.add_usulan_photo(&usulan, jpeg(64, 48, 1).as_slice(), false).map(drop),
        fixture.store.remove_usulan_photo(&usulan, 1).map(drop),
        fixture.store.set_criteria(&meeting, &default_criteria()[..2]).map(drop),
        fixture.store.set_score(&usulan, &criteria[0].id, Some(3)).map(drop),
        fixture.store.set_ranking_method(&meeting, RankingMethod::Hands).map(drop),
        fixture.store.set_hands(&usulan, "5").map(drop),
        fixture.store.set_manual_order(&meeting, std::slice::from_ref(&usulan), "Sepakat").map(drop),
        fixture.store.carry_forward(&meeting, &[]).map(drop),
    ];
    for (index, refusal) in refusals.into_iter().enumerate() {
        assert!(matches!(refusal, Err(CoreError::MeetingLocked)), "call {index}: {refusal:?}");
    }
    let stored = fixture.store.get_usulan(&usulan).unwrap();
    assert_eq!((stored.biaya, stored.photos.len(), stored.outcome), (12_500_000, 1, None));
    assert_eq!(fixture.store.ranking(&meeting).unwrap().criteria.len(), 5);
}

#[test]
fn carry_forward_offers_unaccommodated_usulan_of_earlier_locked_meetings_of_the_same_rw() {
    let fixture = Fixture::new();
    let old = fixture.meeting("7", "2024-11-25");
    let last_year = fixture.meeting("7", "2025-11-24");
    let other_rw = fixture.meeting("8", "2025-11-24");
    let unlocked = fixture.meeting("7", "2025-12-01");
    let this = fixture.meeting("7", "2026-11-28");
    let later = fixture.meeting("7", "2027-11-28");

    let accepted = fixture.add(&last_year, "Sumur resapan");
    let refused = fixture.add(&last_year, "Betonisasi jalan");
    let unknown = fixture.add(&last_year, "Pelatihan UMKM");
    let older = fixture.add(&old, "Pos ronda");
    fixture.store.set_usulan_outcome(&accepted, Some(Outcome::Diakomodir)).unwrap();
    fixture.store.set_usulan_outcome(&refused, Some(Outcome::TidakDiakomodir)).unwrap();
    let photo = fixture.store.add_usulan_photo(&refused, jpeg(64, 48, 9).as_slice(), false).unwrap();
    fixture.add(&other_rw, "Taman bermain");
    fixture.add(&unlocked, "Lampu jalan");
    fixture.add(&later, "Pengerasan jalan");
    for meeting in [&old, &last_year, &other_rw, &later] {
        fixture.lock(meeting);
    }

    let candidates = fixture.store.carry_forward_candidates(&this).unwrap();
    let offered: Vec<(&str, &str)> =
        candidates.iter().map(|c| (c.usulan.kegiatan.as_str(), c.origin.date.as_str())).collect();
    assert_eq!(
        offered,
        [("Betonisasi jalan", "2025-11-24"), ("Pelatihan UMKM", "2025-11-24"), ("Pos ronda", "2024-11-25")]
    );
    assert_eq!(candidates[0].origin.id, last_year);
    assert_eq!(candidates[0].usulan.photos, std::slice::from_ref(&photo));

    let carried = fixture.store.carry_forward(&this, &[refused.clone(), older.clone()]).unwrap();
    assert_eq!(carried.len(), 2);
    assert_eq!(carried[0].carried_from_id.as_deref(), Some(refused.as_str()));
    assert_eq!(carried[0].meeting_id, this);
    assert_ne!(carried[0].id, refused);
    assert_eq!((carried[0].position, carried[1].position), (1, 2));
    assert_eq!(carried[0].photos, [photo], "the same photo file, linked not copied");
    assert_eq!((carried[0].biaya, carried[0].outcome, carried[0].hands), (12_500_000, None, None));
    assert_eq!(fixture.store.usulan_list(&this).unwrap(), carried);
    let origins: Vec<(String, String)> =
        fixture.store.carried_origins(&this).unwrap().into_iter().map(|o| (o.usulan_id, o.origin.date)).collect();
    assert_eq!(origins, [(carried[0].id.clone(), "2025-11-24".into()), (carried[1].id.clone(), "2024-11-25".into())]);

    // Not offered twice, and not carried twice.
    let left: Vec<String> =
        fixture.store.carry_forward_candidates(&this).unwrap().into_iter().map(|c| c.usulan.id).collect();
    assert_eq!(left, std::slice::from_ref(&unknown));
    let error = fixture.store.carry_forward(&this, std::slice::from_ref(&refused)).unwrap_err();
    assert_eq!(field_codes(error), pairs(&[("usulan_ids", "usulan_not_carryable")]));
    let error = fixture.store.carry_forward(&this, &[accepted, unknown.clone()]).unwrap_err();
    assert_eq!(field_codes(error), pairs(&[("usulan_ids", "usulan_not_carryable")]));
    assert_eq!(fixture.store.usulan_list(&this).unwrap().len(), 2, "all or nothing");

    // Once this meeting is locked, a later one is offered its copy, not the
    // original it was carried from.
    fixture.lock(&this);
    let next = fixture.meeting("7", "2028-11-28");
    let next_offered: Vec<Option<String>> = fixture
        .store
        .carry_forward_candidates(&next)
        .unwrap()
        .into_iter()
        .filter(|c| c.usulan.kegiatan == "Betonisasi jalan")
        .map(|c| c.usulan.carried_from_id)
        .collect();
    assert_eq!(next_offered, [Some(refused)]);
}
