//! Kelurahan consolidation through the real bundle path: RW meetings recorded
//! and locked on their own devices are sealed, imported on the kelurahan
//! cadre's laptop beside an RW the cadre recorded there, consolidated, merged
//! into the Musrenbang Kelurahan, ranked, and that meeting's own bundle
//! carries every usulan's origin.

mod common;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use common::png;
use rembug_bundle::import_file;
use rembug_core::attendance::Role;
use rembug_core::consolidation::RwSource;
use rembug_core::device::DeviceIdentity;
use rembug_core::imported::{Correction, DeviceTrust};
use rembug_core::meeting::{MeetingForm, Stage};
use rembug_core::people::PersonForm;
use rembug_core::similar::PlaceMatch;
use rembug_core::tanggal::DateText;
use rembug_core::usulan::{UsulanForm, UsulanOrigin};
use rembug_core::{DataDir, Store};

const MELONG: &str = "32.77.01.1001";

/// One laptop: its data folder, store and device key.
struct Laptop {
    data_dir: DataDir,
    store: Store,
}

impl Laptop {
    fn new(root: &Path, name: &str) -> Laptop {
        let data_dir = DataDir::open(&root.join(name)).unwrap();
        let store = data_dir.open_store().unwrap();
        Laptop { data_dir, store }
    }

    fn device(&self) -> DeviceIdentity {
        DeviceIdentity::load_or_create(self.data_dir.path()).unwrap()
    }

    fn seal(&self, meeting_id: &str, out: PathBuf) -> PathBuf {
        rembug_bundle::seal(&self.store, &self.device(), meeting_id, None, &out).unwrap();
        out
    }

    /// Checks in one resident, makes them the delegate and locks the meeting
    /// through the lifecycle's own checks.
    fn lock(&self, meeting_id: &str, rw: u16) {
        let person = PersonForm {
            name: format!("Ketua RW {rw:02}"),
            gender: "P".into(),
            unsur: "warga".into(),
            rt: "1".into(),
            rw: rw.to_string(),
            ..PersonForm::default()
        };
        let attendee = self.store.check_in_new(meeting_id, &person, Role::Peserta).unwrap();
        self.store.set_delegates(meeting_id, &[attendee.person_id]).unwrap();
        self.store.lock_meeting(meeting_id).unwrap();
    }

    /// A rembug warga of Melong's RW `rw` for 2027 with these usulan
    /// (kegiatan, alamat), locked.
    fn locked_rw(&self, rw: u16, usulan: &[(&str, &str)]) -> String {
        let form = MeetingForm {
            stage: "rembug_warga".into(),
            kelurahan_code: MELONG.into(),
            rw: rw.to_string(),
            planning_year: "2027".into(),
            date: format!("2026-12-{rw:02}"),
            start_time: "19:30".into(),
            place: format!("Balai RW {rw:02}"),
            facilitator: "Neneng Suryani".into(),
            notulis: String::new(),
            pimpinan: "Ujang Suryana".into(),
            pimpinan_jabatan: "Ketua RW".into(),
            nomor: String::new(),
        };
        let meeting_id = self.store.create_meeting(&form).unwrap().id;
        for (kegiatan, alamat) in usulan {
            self.store.add_usulan(&meeting_id, &usulan_form(kegiatan, alamat)).unwrap();
        }
        self.lock(&meeting_id, rw);
        meeting_id
    }
}

fn usulan_form(kegiatan: &str, alamat: &str) -> UsulanForm {
    UsulanForm {
        permasalahan: "Dikeluhkan warga setiap musim hujan".into(),
        kegiatan: kegiatan.into(),
        alamat: alamat.into(),
        rt_list: "1".into(),
        volume: "100".into(),
        satuan: "meter".into(),
        biaya: "Rp 25.000.000".into(),
        bidang: "infrastruktur".into(),
        ..UsulanForm::default()
    }
}

fn sha256_of(bundle: &Path) -> String {
    rembug_bundle::verify_file(bundle).unwrap().sha256
}

#[test]
fn rw_bundles_from_other_laptops_merge_into_a_ranked_kelurahan_meeting_that_carries_their_origins() {
    let root = tempfile::tempdir().unwrap();

    // RW 1 records on its own laptop, with a photo, and seals its result.
    let rw1 = Laptop::new(root.path(), "rw1");
    let rw1_meeting = rw1.store.create_meeting(&MeetingForm {
        stage: "rembug_warga".into(),
        kelurahan_code: MELONG.into(),
        rw: "1".into(),
        planning_year: "2027".into(),
        date: "2026-12-01".into(),
        start_time: "19:30".into(),
        place: "Balai RW 01".into(),
        facilitator: "Neneng Suryani".into(),
        notulis: String::new(),
        pimpinan: "Ujang Suryana".into(),
        pimpinan_jabatan: "Ketua RW".into(),
        nomor: String::new(),
    });
    let rw1_meeting = rw1_meeting.unwrap().id;
    let jalan = rw1.store.add_usulan(&rw1_meeting, &usulan_form("Betonisasi jalan gang", "Gg. Melati")).unwrap();
    rw1.store.add_usulan(&rw1_meeting, &usulan_form("Pelatihan UMKM", "Balai RW 01")).unwrap();
    let photo = rw1.store.add_usulan_photo(&jalan.id, Cursor::new(png(40)), false).unwrap();
    rw1.lock(&rw1_meeting, 1);
    let rw1_bundle = rw1.seal(&rw1_meeting, root.path().join("rw1.rembug"));

    // RW 2 seals its result, then corrects it and seals the correction.
    let rw2 = Laptop::new(root.path(), "rw2");
    let rw2_first = rw2.locked_rw(2, &[("Betonissasi Jln. Gang", "Gang Melati")]);
    let rw2_old_bundle = rw2.seal(&rw2_first, root.path().join("rw2-r1.rembug"));
    let rw2_meeting = rw2.store.revise_meeting(&rw2_first, "Satu usulan terlewat").unwrap().id;
    rw2.store.add_usulan(&rw2_meeting, &usulan_form("Pengadaan tong sampah", "Gang Kenanga")).unwrap();
    rw2.store.lock_meeting(&rw2_meeting).unwrap();
    let rw2_bundle = rw2.seal(&rw2_meeting, root.path().join("rw2-r2.rembug"));

    // The kelurahan cadre imports them (the old revision too), records RW 3
    // on their own laptop, and says Melong has four RWs.
    let cadre = Laptop::new(root.path(), "kelurahan");
    for bundle in [&rw2_old_bundle, &rw1_bundle, &rw2_bundle] {
        import_file(&cadre.store, bundle).unwrap();
    }
    let rw3_meeting = cadre.locked_rw(3, &[("Perbaikan drainase", "Jalan Sukarasa")]);
    // Its own RW's bundle, imported back by mistake, is that same meeting.
    import_file(&cadre.store, &cadre.seal(&rw3_meeting, root.path().join("rw3.rembug"))).unwrap();
    cadre.store.set_rw_count(MELONG, "4").unwrap();

    // The cadre's laptop holds no roster of Melong: the RW laptops are
    // unknown to it, so their results wait for the cadre's confirmation.
    let waiting = cadre.store.consolidation(MELONG, 2027).unwrap();
    assert_eq!(waiting.missing_rws, [1, 2, 4]);
    assert_eq!(waiting.rws[0].unconfirmed.iter().map(RwSource::meeting_id).collect::<Vec<_>>(), [&rw1_meeting]);
    assert_eq!(waiting.rws[1].unconfirmed.iter().map(RwSource::meeting_id).collect::<Vec<_>>(), [&rw2_meeting]);
    let rw1_trust = cadre.store.confirm_imported(&sha256_of(&rw1_bundle)).unwrap().trust;
    let rw2_trust = cadre.store.confirm_imported(&sha256_of(&rw2_bundle)).unwrap().trust;
    assert_eq!(rw1_trust.device, DeviceTrust::Unknown);
    assert!(rw1_trust.confirmed_at.is_some() && rw2_trust.confirmed_at.is_some());

    let consolidation = cadre.store.consolidation(MELONG, 2027).unwrap();
    assert_eq!(consolidation.missing_rws, [4]);
    assert_eq!((consolidation.received_count, consolidation.usulan_count), (3, 5));
    let sources: Vec<Option<RwSource>> = consolidation.rws.iter().map(|status| status.source.clone()).collect();
    assert_eq!(
        sources,
        [
            Some(RwSource::Imported {
                bundle_sha256: sha256_of(&rw1_bundle),
                meeting_id: rw1_meeting.clone(),
                revision: 1,
                date: "2026-12-01".into(),
                date_text: DateText::date("2026-12-01"),
                device_fingerprint: rw1.device().fingerprint(),
                usulan_count: 2,
                personal_encrypted: false,
                trust: rw1_trust,
                correction: None,
            }),
            Some(RwSource::Imported {
                bundle_sha256: sha256_of(&rw2_bundle),
                meeting_id: rw2_meeting.clone(),
                revision: 2,
                date: "2026-12-02".into(),
                date_text: DateText::date("2026-12-02"),
                device_fingerprint: rw2.device().fingerprint(),
                usulan_count: 2,
                personal_encrypted: false,
                trust: rw2_trust,
                correction: Some(Correction::Accepted { replaces: sha256_of(&rw2_old_bundle) }),
            }),
            Some(RwSource::Local {
                meeting_id: rw3_meeting.clone(),
                revision: 1,
                date: "2026-12-03".into(),
                date_text: DateText::date("2026-12-03"),
                usulan_count: 1
            }),
            None,
        ]
    );
    let others: Vec<usize> = consolidation.rws.iter().map(|status| status.other_sources.len()).collect();
    assert_eq!(others, [0, 0, 0, 0], "the old revision is replaced; RW 3's own bundle is not a second result");

    let form = MeetingForm {
        date: "2027-01-20".into(),
        start_time: "09:00".into(),
        place: "Aula Kelurahan Melong".into(),
        facilitator: "Asep Saepudin".into(),
        pimpinan: "Drs. H. Asep Hidayat".into(),
        pimpinan_jabatan: "Ketua LPM".into(),
        ..MeetingForm::default()
    };
    let started = cadre.store.start_kelurahan_meeting(&form, MELONG, 2027).unwrap();
    assert_eq!((started.merged_rws, started.missing_rws, started.usulan_count), (vec![1, 2, 3], vec![4], 5));
    assert_eq!(started.meeting.stage, Stage::MusrenbangKelurahan);
    let kelurahan_meeting = started.meeting.id;

    let merged = cadre.store.usulan_list(&kelurahan_meeting).unwrap();
    let kegiatan: Vec<&str> = merged.iter().map(|usulan| usulan.kegiatan.as_str()).collect();
    assert_eq!(
        kegiatan,
        [
            "Betonisasi jalan gang",
            "Pelatihan UMKM",
            "Betonissasi Jln. Gang",
            "Pengadaan tong sampah",
            "Perbaikan drainase"
        ]
    );
    let origin_of = |index: usize| merged[index].origin.clone().unwrap();
    let rw1_usulan = rw1.store.usulan_list(&rw1_meeting).unwrap();
    assert_eq!(
        origin_of(0),
        UsulanOrigin {
            rw: 1,
            source_meeting_id: rw1_meeting.clone(),
            source_usulan_id: rw1_usulan[0].id.clone(),
            bundle_sha256: Some(sha256_of(&rw1_bundle)),
            rank: 1,
        }
    );
    assert_eq!((origin_of(1).rw, origin_of(1).rank), (1, 2));
    assert_eq!((origin_of(3).rw, origin_of(3).source_meeting_id.as_str()), (2, rw2_meeting.as_str()));
    assert_eq!((origin_of(4).bundle_sha256, origin_of(4).source_meeting_id), (None, rw3_meeting));
    assert_eq!(merged[0].to_form(), rw1_usulan[0].to_form());
    // The photo came in the bundle and is shown from this laptop's store.
    assert_eq!(merged[0].photos[0].sha256, photo.sha256);
    let mut bytes = Vec::new();
    cadre.store.open_attachment(&photo.sha256).unwrap().read_to_end(&mut bytes).unwrap();
    assert!(!bytes.is_empty());

    // RW 1 and RW 2 both asked to concrete the gang on Gang Melati.
    let flags = cadre.store.similar_usulan(&kelurahan_meeting).unwrap();
    let flagged: Vec<(&str, u16, PlaceMatch)> = flags
        .iter()
        .map(|flag| {
            let usulan = merged.iter().find(|usulan| usulan.id == flag.usulan_id).unwrap();
            (usulan.kegiatan.as_str(), flag.similar_rw, flag.same_place_by)
        })
        .collect();
    assert_eq!(
        flagged,
        [("Betonisasi jalan gang", 2, PlaceMatch::Alamat), ("Betonissasi Jln. Gang", 1, PlaceMatch::Alamat)]
    );

    // Ranked like any meeting's usulan.
    let criteria = cadre.store.ensure_default_criteria(&kelurahan_meeting).unwrap();
    for (index, usulan) in merged.iter().enumerate() {
        for criterion in &criteria {
            cadre.store.set_score(&usulan.id, &criterion.id, Some(5 - index as u8)).unwrap();
        }
    }
    let ranking = cadre.store.ranking(&kelurahan_meeting).unwrap();
    let ranked: Vec<(&str, u32)> = ranking.rows.iter().map(|row| (row.usulan_id.as_str(), row.rank)).collect();
    let expected: Vec<(&str, u32)> =
        merged.iter().enumerate().map(|(index, usulan)| (usulan.id.as_str(), index as u32 + 1)).collect();
    assert_eq!(ranked, expected);

    // The kelurahan meeting's own bundle carries every origin to the city.
    cadre.lock(&kelurahan_meeting, 3);
    let kelurahan_bundle = cadre.seal(&kelurahan_meeting, root.path().join("kelurahan.rembug"));
    let city = Laptop::new(root.path(), "city");
    let imported = import_file(&city.store, &kelurahan_bundle).unwrap();
    let record = city.store.imported_meeting(&imported.meeting().bundle_sha256).unwrap().record;
    let travelled: Vec<Option<UsulanOrigin>> = record.usulan.into_iter().map(|item| item.usulan.origin).collect();
    let kept: Vec<Option<UsulanOrigin>> = merged.into_iter().map(|usulan| usulan.origin).collect();
    assert_eq!(travelled, kept);
}

#[test]
fn an_rw_bundle_without_origins_keeps_its_bytes_when_stored() {
    let root = tempfile::tempdir().unwrap();
    let rw = Laptop::new(root.path(), "rw");
    let meeting_id = rw.locked_rw(5, &[("Pembangunan pos ronda", "Gang Mawar")]);
    let bundle = rw.seal(&meeting_id, root.path().join("rw.rembug"));
    let verified = rembug_bundle::verify_file(&bundle).unwrap().bundle;
    let json = serde_json::to_vec(&verified.record).unwrap();
    assert_eq!(rembug_core::hex::sha256_hex(&json), verified.manifest.content_hash);
    let text = String::from_utf8(json).unwrap();
    assert!(!text.contains("\"origin\""), "an usulan without origin writes no origin key");
}
