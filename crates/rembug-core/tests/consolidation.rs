//! Kelurahan consolidation over meetings recorded on this device: the RW
//! count, which RW results stand, starting the Musrenbang Kelurahan with the
//! merged usulan, their origins through revisions, and look-alike flags.
//! Imported bundles are covered end to end in rembug-bundle's tests.

mod common;

use std::io::Cursor;

use common::{lock_directly, meeting_form, open};
use rembug_core::consolidation::RwSource;
use rembug_core::meeting::{MeetingForm, MeetingStatus, Stage};
use rembug_core::similar::PlaceMatch;
use rembug_core::store::meetings::MeetingFilter;
use rembug_core::usulan::{UsulanForm, UsulanOrigin};
use rembug_core::{CoreError, Store};

const CIBABAT: &str = "32.77.02.1005";
const MELONG: &str = "32.77.01.1001";

fn field_codes(error: CoreError) -> Vec<(String, String)> {
    assert_eq!(error.code(), "validation", "{error:?}");
    error.field_errors().iter().map(|e| (e.field.clone(), e.code.as_str().to_owned())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(field, code)| ((*field).to_owned(), (*code).to_owned())).collect()
}

/// A draft rembug warga of Cibabat's RW `rw` for 2027.
fn rw_meeting(store: &Store, rw: u16) -> String {
    let form = MeetingForm { rw: rw.to_string(), place: format!("Balai RW {rw:02}"), ..meeting_form() };
    store.create_meeting(&form).unwrap().id
}

fn usulan_form(kegiatan: &str, alamat: &str) -> UsulanForm {
    UsulanForm {
        permasalahan: "Warga mengeluhkan kondisi ini setiap musim hujan".into(),
        kegiatan: kegiatan.into(),
        alamat: alamat.into(),
        rt_list: "2".into(),
        latitude: "-6,8725".into(),
        longitude: "107.5421".into(),
        volume: "2,5".into(),
        satuan: "paket".into(),
        biaya: "Rp 12.500.000".into(),
        bidang: "infrastruktur".into(),
        opd_tujuan: "Dinas PUPR".into(),
        penerima_manfaat: "350".into(),
        ..UsulanForm::default()
    }
}

fn add(store: &Store, meeting_id: &str, kegiatan: &str, alamat: &str) -> String {
    store.add_usulan(meeting_id, &usulan_form(kegiatan, alamat)).unwrap().id
}

/// What the cadre types for the Musrenbang Kelurahan; the rest comes from the
/// consolidation.
fn kelurahan_form() -> MeetingForm {
    MeetingForm {
        date: "2027-01-20".into(),
        start_time: "09:00".into(),
        place: "Aula Kelurahan Cibabat".into(),
        facilitator: "Dedi Kurniawan".into(),
        pimpinan: "Drs. H. Asep Hidayat".into(),
        pimpinan_jabatan: "Ketua LPM".into(),
        ..MeetingForm::default()
    }
}

fn png(seed: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(seed, seed, |x, y| image::Rgb([(x * seed) as u8, (y + seed) as u8, 90]));
    let mut bytes = Vec::new();
    image.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

fn local_meeting_id(source: &Option<RwSource>) -> Option<(&str, u32)> {
    match source {
        Some(RwSource::Local { meeting_id, revision, .. }) => Some((meeting_id, *revision)),
        _ => None,
    }
}

#[test]
fn the_rw_count_is_checked_and_kept_per_kelurahan() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    for (code, count, expected) in [
        (CIBABAT, "0", vec![("rw_count", "rw_count_out_of_range")]),
        (CIBABAT, "100", vec![("rw_count", "rw_count_out_of_range")]),
        (CIBABAT, "delapan", vec![("rw_count", "number_invalid")]),
        ("32.77.09.9999", "8", vec![("kelurahan_code", "kelurahan_unknown")]),
        ("", "", vec![("kelurahan_code", "required"), ("rw_count", "required")]),
    ] {
        assert_eq!(field_codes(store.set_rw_count(code, count).unwrap_err()), pairs(&expected), "{code} {count}");
    }
    assert_eq!(store.consolidation(CIBABAT, 2027).unwrap().rw_count, None, "unknown until set");

    assert_eq!(store.set_rw_count(CIBABAT, " 08 ").unwrap(), 8);
    let consolidation = store.consolidation(CIBABAT, 2027).unwrap();
    assert_eq!(consolidation.rw_count, Some(8));
    assert_eq!(consolidation.missing_rws, (1..=8).collect::<Vec<u16>>());
    assert_eq!(store.set_rw_count(CIBABAT, "6").unwrap(), 6);
    assert_eq!(store.consolidation(CIBABAT, 2027).unwrap().missing_rws.len(), 6);
    assert_eq!(store.consolidation(MELONG, 2027).unwrap().rw_count, None, "per kelurahan");
    assert_eq!(store.consolidation("32.77.09.9999", 2027).unwrap_err().code(), "not_found");
}

#[test]
fn only_locked_rw_meetings_of_the_kelurahan_and_year_count_at_their_latest_locked_revision() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    store.set_rw_count(CIBABAT, "4").unwrap();
    let rw1 = rw_meeting(&store, 1);
    add(&store, &rw1, "Betonisasi jalan gang", "Gg. Melati");
    add(&store, &rw1, "Pelatihan UMKM", "Balai RW 01");
    lock_directly(&dir, &rw1);
    // A draft, another year, another kelurahan: none is a result for RW 2 to 4.
    let draft = rw_meeting(&store, 2);
    add(&store, &draft, "Pembangunan pos ronda", "Gang Mawar");
    let next_year =
        store.create_meeting(&MeetingForm { rw: "3".into(), planning_year: "2028".into(), ..meeting_form() });
    lock_directly(&dir, &next_year.unwrap().id);
    let elsewhere =
        store.create_meeting(&MeetingForm { rw: "4".into(), kelurahan_code: MELONG.into(), ..meeting_form() });
    lock_directly(&dir, &elsewhere.unwrap().id);

    let consolidation = store.consolidation(CIBABAT, 2027).unwrap();
    assert_eq!(consolidation.rws.len(), 4);
    assert_eq!(local_meeting_id(&consolidation.rws[0].source), Some((rw1.as_str(), 1)));
    assert_eq!(consolidation.missing_rws, [2, 3, 4]);
    assert_eq!((consolidation.received_count, consolidation.usulan_count), (1, 2));
    assert_eq!(consolidation.kelurahan_meeting_id, None);
    let Some(RwSource::Local { date, usulan_count, .. }) = &consolidation.rws[0].source else { unreachable!() };
    assert_eq!((date.as_str(), *usulan_count), ("2026-11-28", 2));

    // A correction still in draft does not replace the locked revision...
    let revision = store.revise_meeting(&rw1, "Biaya salah tulis").unwrap();
    let consolidation = store.consolidation(CIBABAT, 2027).unwrap();
    assert_eq!(local_meeting_id(&consolidation.rws[0].source), Some((rw1.as_str(), 1)));
    // ...a locked one does.
    lock_directly(&dir, &revision.id);
    let consolidation = store.consolidation(CIBABAT, 2027).unwrap();
    assert_eq!(local_meeting_id(&consolidation.rws[0].source), Some((revision.id.as_str(), 2)));
    assert!(consolidation.rws[0].other_sources.is_empty());
}

#[test]
fn starting_the_kelurahan_meeting_merges_every_rw_usulan_by_rw_then_rank() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    store.set_rw_count(CIBABAT, "3").unwrap();
    let rw2 = rw_meeting(&store, 2);
    let jalan = add(&store, &rw2, "Betonisasi jalan gang", "Gg. Melati");
    let ronda = store
        .add_usulan(
            &rw2,
            &UsulanForm { proposer_group: "Karang Taruna".into(), ..usulan_form("Pos ronda", "Gg. Mawar") },
        )
        .unwrap()
        .id;
    store.add_usulan_photo(&jalan, Cursor::new(png(48)), false).unwrap();
    // The RW put its second usulan first.
    store.set_manual_order(&rw2, &[ronda.clone(), jalan.clone()], "Kesepakatan warga").unwrap();
    lock_directly(&dir, &rw2);
    let rw1 = rw_meeting(&store, 1);
    let umkm = add(&store, &rw1, "Pelatihan UMKM", "Balai RW 01");
    lock_directly(&dir, &rw1);

    let started = store.start_kelurahan_meeting(&kelurahan_form(), CIBABAT, 2027).unwrap();
    assert_eq!((started.merged_rws, started.missing_rws, started.usulan_count), (vec![1, 2], vec![3], 3));
    let meeting = &started.meeting;
    assert_eq!((meeting.stage, meeting.status), (Stage::MusrenbangKelurahan, MeetingStatus::Draft));
    assert_eq!((meeting.kelurahan.code.as_str(), meeting.rw, meeting.planning_year), (CIBABAT, None, 2027));
    assert_eq!((meeting.place.as_str(), meeting.date.as_str()), ("Aula Kelurahan Cibabat", "2027-01-20"));

    let merged = store.usulan_list(&meeting.id).unwrap();
    let origin = |rw: u16, meeting: &str, usulan: &str, rank: u32| UsulanOrigin {
        rw,
        source_meeting_id: meeting.to_owned(),
        source_usulan_id: usulan.to_owned(),
        bundle_sha256: None,
        rank,
    };
    let origins: Vec<UsulanOrigin> = merged.iter().map(|usulan| usulan.origin.clone().unwrap()).collect();
    assert_eq!(origins, [origin(1, &rw1, &umkm, 1), origin(2, &rw2, &ronda, 1), origin(2, &rw2, &jalan, 2)]);
    assert_eq!(merged.iter().map(|usulan| usulan.position).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(merged.iter().map(|usulan| usulan.rw).collect::<Vec<_>>(), [Some(1), Some(2), Some(2)]);
    for usulan in &merged {
        let source = store.get_usulan(&usulan.origin.as_ref().unwrap().source_usulan_id).unwrap();
        assert_eq!(usulan.to_form(), source.to_form(), "every field the cadre typed is kept");
        assert_eq!(usulan.photos, source.photos, "the same photo files");
        assert_eq!((usulan.manual_rank, usulan.hands, &usulan.carried_from_id), (None, None, &None));
    }
    assert_eq!(merged[1].proposer_group.as_deref(), Some("Karang Taruna"));
    assert_eq!(merged[2].photos.len(), 1);

    let log: Vec<(String, String)> =
        store.meeting_changes(&meeting.id).unwrap().into_iter().map(|change| (change.entity, change.action)).collect();
    let merged_log = ("usulan".to_owned(), "merged_from_rw".to_owned());
    assert_eq!(log, [("meeting".to_owned(), "created".to_owned()), merged_log.clone(), merged_log.clone(), merged_log]);
    assert_eq!(store.ranking(&meeting.id).unwrap().rows.len(), 3, "ready for ranking");
    assert_eq!(store.usulan_list(&rw2).unwrap().len(), 2, "the RW meeting is untouched");

    assert_eq!(store.consolidation(CIBABAT, 2027).unwrap().kelurahan_meeting_id.as_deref(), Some(meeting.id.as_str()));
    let again = store.start_kelurahan_meeting(&kelurahan_form(), CIBABAT, 2027).unwrap_err();
    assert_eq!(again.code(), "kelurahan_meeting_exists");
}

#[test]
fn nothing_to_merge_or_a_bad_form_starts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let meetings = |store: &Store| store.list_meetings(&MeetingFilter::default()).unwrap().total;
    let refused = store.start_kelurahan_meeting(&kelurahan_form(), CIBABAT, 2027).unwrap_err();
    assert_eq!(refused.code(), "no_rw_results");
    assert_eq!(meetings(&store), 0);

    let rw1 = rw_meeting(&store, 1);
    add(&store, &rw1, "Pelatihan UMKM", "Balai RW 01");
    lock_directly(&dir, &rw1);
    let no_facilitator = MeetingForm { facilitator: " ".into(), ..kelurahan_form() };
    let refused = store.start_kelurahan_meeting(&no_facilitator, CIBABAT, 2027).unwrap_err();
    assert_eq!(field_codes(refused), pairs(&[("facilitator", "required")]));
    let refused = store.start_kelurahan_meeting(&kelurahan_form(), CIBABAT, 1999).unwrap_err();
    assert_eq!(field_codes(refused), pairs(&[("planning_year", "year_out_of_range")]));
    assert_eq!(meetings(&store), 1, "only the RW meeting");
    // Without a known RW count nothing is missing: the cadre decides.
    let started = store.start_kelurahan_meeting(&kelurahan_form(), CIBABAT, 2027).unwrap();
    assert!(started.missing_rws.is_empty());
}

#[test]
fn a_revision_of_the_kelurahan_meeting_keeps_every_origin() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let rw1 = rw_meeting(&store, 1);
    add(&store, &rw1, "Betonisasi jalan gang", "Gg. Melati");
    add(&store, &rw1, "Pelatihan UMKM", "Balai RW 01");
    lock_directly(&dir, &rw1);
    let kelurahan = store.start_kelurahan_meeting(&kelurahan_form(), CIBABAT, 2027).unwrap().meeting;
    lock_directly(&dir, &kelurahan.id);
    let revision = store.revise_meeting(&kelurahan.id, "Salah ketik alamat").unwrap();

    let origins = |meeting_id: &str| -> Vec<Option<UsulanOrigin>> {
        store.usulan_list(meeting_id).unwrap().into_iter().map(|usulan| usulan.origin).collect()
    };
    assert_eq!(origins(&revision.id), origins(&kelurahan.id));
    assert!(origins(&revision.id).iter().all(Option::is_some));
    // Still one kelurahan meeting for the year: its latest revision.
    let consolidation = store.consolidation(CIBABAT, 2027).unwrap();
    assert_eq!(consolidation.kelurahan_meeting_id.as_deref(), Some(revision.id.as_str()));

    // A merged usulan can be dropped from the draft, origin and all.
    let first = store.usulan_list(&revision.id).unwrap().remove(0);
    store.delete_usulan(&first.id).unwrap();
    assert_eq!(origins(&revision.id).len(), 1);
    assert_eq!(store.get_usulan(&first.id).unwrap_err().code(), "not_found");
}

#[test]
fn look_alike_usulan_of_two_rws_are_flagged_on_the_merged_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let rw1 = rw_meeting(&store, 1);
    add(&store, &rw1, "Betonisasi jalan gang", "Gg. Melati RT 02");
    add(&store, &rw1, "Pelatihan UMKM", "Balai RW 01");
    lock_directly(&dir, &rw1);
    let rw2 = rw_meeting(&store, 2);
    add(&store, &rw2, "Betonissasi Jln. Gang", "Gang Melati");
    add(&store, &rw2, "Betonisasi jalan gang", "Gang Kenanga");
    lock_directly(&dir, &rw2);
    let kelurahan = store.start_kelurahan_meeting(&kelurahan_form(), CIBABAT, 2027).unwrap().meeting;

    let flags = store.similar_usulan(&kelurahan.id).unwrap();
    // All four share the coordinates of the form; only the same kegiatan on
    // Gang Melati and the same kegiatan at the same coordinates are alike.
    let list = store.usulan_list(&kelurahan.id).unwrap();
    let found: Vec<(u32, u32, PlaceMatch)> = flags
        .iter()
        .map(|flag| {
            let position = list.iter().find(|usulan| usulan.id == flag.usulan_id).unwrap().position;
            (position, flag.similar_position, flag.same_place_by)
        })
        .collect();
    assert_eq!(
        found,
        [
            (1, 3, PlaceMatch::AlamatAndCoordinates),
            (1, 4, PlaceMatch::Coordinates),
            (3, 1, PlaceMatch::AlamatAndCoordinates),
            (4, 1, PlaceMatch::Coordinates),
        ]
    );
    assert_eq!((flags[0].similar_rw, flags[2].similar_rw), (2, 1));
    assert_eq!(flags[0].distance_metres, Some(0));
    assert_eq!(store.similar_usulan("no-such-meeting").unwrap_err().code(), "not_found");
}
