//! The same tests on both stores: each runs on a new SQLite folder and, when
//! PostgreSQL 15 is installed, on a new database of this test process's
//! throwaway cluster (`tests/support/cluster.rs`).

use std::sync::{Arc, Barrier};

use rembug_core::trust::DelegateRange;

use super::*;

#[path = "../../tests/support/cluster.rs"]
pub(super) mod cluster;

/// Runs `test` on SQLite, then on PostgreSQL when it is installed.
fn on_both(test: impl Fn(Arc<dyn OfficeStore>)) {
    let dir = tempfile::tempdir().unwrap();
    test(Database::Sqlite.open(dir.path()).unwrap());
    match cluster::binaries() {
        Some(_) => test(Database::Postgres(cluster::cluster().database()).open(dir.path()).unwrap()),
        None => eprintln!("PostgreSQL 15 is not installed: this test ran on SQLite only"),
    }
}

pub(super) fn audit(staff: &str, action: &str) -> AuditEntry {
    AuditEntry {
        at: "2026-12-07T01:00:00Z".into(),
        staff_name: staff.into(),
        action: action.into(),
        target: "t".into(),
        detail: "d".into(),
    }
}

const NOW: &str = "2026-12-07T00:00:00Z";

fn code(code: &str, rw: Option<u16>, expires_at: &str) -> NewCode {
    NewCode {
        code: code.into(),
        kelurahan_code: "32.77.01.1001".into(),
        rw,
        created_at: NOW.into(),
        expires_at: expires_at.into(),
    }
}

fn enroll(store: &dyn OfficeStore, code: &str, key: char) -> EnrollOutcome {
    let id = key.to_string().repeat(64);
    store.enroll(code, &id, &id, &format!("FP-{key}"), NOW).unwrap()
}

fn new_bundle(sha: char, device: char, meeting: &str, revision: u32, replaces: Option<char>) -> NewBundle {
    NewBundle {
        facts: BundleFacts {
            bundle_id: format!("bundle-{sha}"),
            sha256: sha.to_string().repeat(64),
            size: 10,
            device_id: device.to_string().repeat(64),
            kelurahan_code: "32.77.01.1001".into(),
            rw: Some(5),
            stage: "rembug_warga".into(),
            planning_year: 2028,
            meeting_id: meeting.into(),
            revision,
            content_hash: format!("content-{sha}"),
            received_at: NOW.into(),
            receipt_body: format!("receipt-{sha}"),
            receipt_signature: "sig".into(),
        },
        replaces: replaces.map(|sha| sha.to_string().repeat(64)),
        figures: figures(sha),
    }
}

/// Figures that differ by bundle: `sha` names the kelurahan and sets the counts.
fn figures(sha: char) -> Figures {
    let n = sha as u32 - '0' as u32;
    let usulan = |position: u32| UsulanFigures {
        usulan_id: format!("u{sha}{position}"),
        rank: 2 - position,
        rw: (position == 0).then_some(5),
        rt_list: "01, 02".into(),
        alamat: "Jl. Melong".into(),
        permasalahan: "Banjir".into(),
        kegiatan: "Saluran".into(),
        volume: 1.5,
        satuan: "m".into(),
        biaya: 1_000_000 * i64::from(n) + i64::from(position),
        bidang: "infrastruktur".into(),
        opd_tujuan: if position == 0 { "DPUPR".into() } else { String::new() },
        penerima_manfaat: (position == 0).then_some(1_250),
        keterangan: if position == 1 { "Tanah hibah warga".into() } else { String::new() },
        latitude: (position == 0).then_some(-6.87),
        longitude: None,
        photos: position,
    };
    Figures {
        kelurahan_name: format!("Kelurahan {sha}"),
        kecamatan_code: "32.77.01".into(),
        kecamatan_name: "Cimahi Selatan".into(),
        attendees: 10 * n,
        women: 4 * n,
        youth: n,
        disability: 1,
        women_target_percent: 30,
        women_target_met: n % 2 == 1,
        usulan: vec![usulan(0), usulan(1)],
    }
}

fn upload(id: &str, device: char, sha: char, size: u64) -> Upload {
    Upload {
        upload_id: id.into(),
        device_id: device.to_string().repeat(64),
        sha256: sha.to_string().repeat(64),
        size,
        received: 0,
    }
}

#[test]
fn the_office_codes_and_devices_answer_as_outcomes() {
    on_both(|store| {
        assert!(matches!(store.office(), Err(StoreError::NotInitialised)));
        let info = OfficeInfo { name: "Kantor".into(), city: "Kota".into() };
        store.initialise(&info, "admin", "h", NOW).unwrap();
        assert_eq!(store.office().unwrap(), info);
        assert!(store.initialise(&info, "admin", "h", NOW).is_err(), "once");

        store.create_code(&code("AAAABBBBCCCC", Some(5), "2026-12-08T00:00:00Z")).unwrap();
        store.create_code(&code("DDDDEEEEFFFF", None, "2026-12-06T00:00:00Z")).unwrap();
        store.create_code(&code("GGGGHHHHJJJJ", None, "2026-12-08T00:00:00Z")).unwrap();
        assert_eq!(enroll(&*store, "ZZZZZZZZZZZZ", 'a'), EnrollOutcome::Invalid);
        assert_eq!(enroll(&*store, "DDDDEEEEFFFF", 'a'), EnrollOutcome::Expired);
        let EnrollOutcome::Enrolled(device) = enroll(&*store, "AAAABBBBCCCC", 'a') else { panic!("enrolled") };
        assert_eq!(
            (device.rw, device.kelurahan_code.as_str(), device.revoked_at.as_deref()),
            (Some(5), "32.77.01.1001", None)
        );
        assert_eq!(enroll(&*store, "AAAABBBBCCCC", 'a'), EnrollOutcome::Enrolled(device.clone()), "again, the same");
        assert_eq!(enroll(&*store, "AAAABBBBCCCC", 'b'), EnrollOutcome::Used);
        assert!(matches!(enroll(&*store, "GGGGHHHHJJJJ", 'b'), EnrollOutcome::Enrolled(_)));
        assert_eq!(store.device(&"a".repeat(64)).unwrap(), Some(device.clone()));
        assert_eq!(store.device(&"c".repeat(64)).unwrap(), None);
        let listed: Vec<Option<u16>> = store.devices().unwrap().iter().map(|device| device.rw).collect();
        assert_eq!(listed, [None, Some(5)], "by kelurahan, then RW with the whole kelurahan first");
        let roster = store.roster("32.77.01.1001").unwrap();
        assert_eq!((roster.serial, roster.devices.len()), (2, 2));
        assert_eq!(store.roster("32.77.01.1002").unwrap(), RosterData { serial: 0, devices: vec![] });

        let revoked = store.revoke("FP-a", "2026-12-07T02:00:00Z").unwrap().unwrap();
        assert_eq!(revoked.revoked_at.as_deref(), Some("2026-12-07T02:00:00Z"));
        assert_eq!(store.revoke("FP-a", "2026-12-07T03:00:00Z").unwrap().unwrap().revoked_at, revoked.revoked_at);
        assert_eq!(store.revoke("nobody", NOW).unwrap(), None);
        assert_eq!(store.roster("32.77.01.1001").unwrap().serial, 3, "a revocation changes the roster once");
        store.create_code(&code("KKKKMMMMNNNN", None, "2026-12-08T00:00:00Z")).unwrap();
        assert_eq!(enroll(&*store, "KKKKMMMMNNNN", 'a'), EnrollOutcome::Revoked);

        assert_eq!(store.record_wrong_code("10.0.0.1", 100, 0).unwrap(), 1);
        assert_eq!(store.record_wrong_code("10.0.0.1", 200, 150).unwrap(), 1);
        assert_eq!(store.wrong_codes_since("10.0.0.1", 0).unwrap(), 2);
        assert!(store.use_nonce(&"d".repeat(64), "n1", 10).unwrap());
        assert!(!store.use_nonce(&"d".repeat(64), "n1", 11).unwrap(), "a nonce is accepted once");
        assert!(store.use_nonce(&"e".repeat(64), "n1", 11).unwrap(), "per device");
        store.prune(150).unwrap();
        assert_eq!(store.wrong_codes_since("10.0.0.1", 0).unwrap(), 1);
        assert!(store.use_nonce(&"d".repeat(64), "n1", 300).unwrap(), "forgotten once old");
    });
}

fn with_two_devices(store: &dyn OfficeStore) {
    store.create_code(&code("AAAABBBBCCCC", Some(5), "2026-12-08T00:00:00Z")).unwrap();
    store.create_code(&code("DDDDEEEEFFFF", Some(5), "2026-12-08T00:00:00Z")).unwrap();
    assert!(matches!(enroll(store, "AAAABBBBCCCC", 'a'), EnrollOutcome::Enrolled(_)));
    assert!(matches!(enroll(store, "DDDDEEEEFFFF", 'b'), EnrollOutcome::Enrolled(_)));
}

#[test]
fn the_wilayah_imports_whole_renames_on_a_second_import_and_reads_back_by_code() {
    on_both(|store| {
        assert!(store.wilayah().unwrap().is_empty());
        let mut kelurahan = rembug_core::wilayah::parse_wilayah_csv(
            "kode_kemendagri,kelurahan,kode_kecamatan,kecamatan,kode_kota,kota\n\
             35.13.15.2017,\"Soka\"\"an\",35.13.15,Krucil,35.13,Kabupaten Probolinggo\n\
             12.07.28.1007,\"Lubuk Pakam I,II\",12.07.28,Lubuk Pakam,12.07,Kabupaten Deli Serdang\n",
        )
        .unwrap();
        store.import_wilayah(&kelurahan).unwrap();
        kelurahan[1].name = "Lubuk Pakam I".into();
        store.import_wilayah(&kelurahan[1..]).unwrap();
        let stored = store.wilayah().unwrap();
        assert_eq!(stored.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(), ["Lubuk Pakam I", "Soka\"an"]);
        assert_eq!(stored[1], kelurahan[0]);
    });
}

#[test]
fn the_opd_list_is_replaced_whole_in_its_order_and_logged() {
    on_both(|store| {
        assert!(store.opd_list().unwrap().is_empty());
        let first = ["Dinas Sosial".to_owned(), "Dinas Kesehatan".to_owned()];
        store.replace_opd_list(&first, &audit("admin", "atur_daftar_opd")).unwrap();
        assert_eq!(store.opd_list().unwrap(), first);
        let twice = ["Dinas Sosial".to_owned(), "DINAS SOSIAL".to_owned()];
        assert!(
            store.replace_opd_list(&twice, &audit("admin", "atur_daftar_opd")).is_err(),
            "the table refuses it too"
        );
        assert_eq!(store.opd_list().unwrap(), first, "a refused list changes nothing");
        let second = ["Dinas Pendidikan".to_owned()];
        store.replace_opd_list(&second, &audit("admin", "atur_daftar_opd")).unwrap();
        assert_eq!(store.opd_list().unwrap(), second);
        store.replace_opd_list(&[], &audit("admin", "atur_daftar_opd")).unwrap();
        assert!(store.opd_list().unwrap().is_empty());
        let logged = store.audit_log(10).unwrap().iter().filter(|entry| entry.action == "atur_daftar_opd").count();
        assert_eq!(logged, 3, "each replacement is logged, a refused one is not");
    });
}

#[test]
fn the_stage_settings_are_set_replaced_and_logged() {
    on_both(|store| {
        assert_eq!(store.stage_settings().unwrap(), None);
        let first = StageSettings { women_target_percent: 40, delegates: DelegateRange { min: 3, max: 7 } };
        store.set_stage_settings(&first, &audit("admin", "atur_target_musyawarah")).unwrap();
        assert_eq!(store.stage_settings().unwrap(), Some(first));
        let upside_down = StageSettings { women_target_percent: 40, delegates: DelegateRange { min: 8, max: 7 } };
        assert!(store.set_stage_settings(&upside_down, &audit("admin", "atur_target_musyawarah")).is_err());
        let second = StageSettings { women_target_percent: 0, delegates: DelegateRange { min: 1, max: 20 } };
        store.set_stage_settings(&second, &audit("admin", "atur_target_musyawarah")).unwrap();
        assert_eq!(store.stage_settings().unwrap(), Some(second));
        let logged = store.audit_log(10).unwrap().iter().filter(|e| e.action == "atur_target_musyawarah").count();
        assert_eq!(logged, 2);
    });
}

#[test]
fn bundles_are_selected_by_device_year_and_kota() {
    on_both(|store| {
        with_two_devices(&*store);
        let bundles = [
            ('1', 'a', "32.77.01.1001", 2028),
            ('2', 'a', "32.77.02.1001", 2027),
            ('3', 'b', "32.73.01.1001", 2028),
            // A code that sorts next to Cimahi's but is another kota.
            ('4', 'b', "32.771.1.1001", 2028),
        ];
        for (sha, device, kelurahan, year) in bundles {
            let meeting = format!("m{sha}");
            let mut bundle = new_bundle(sha, device, &meeting, 1, None);
            bundle.facts.kelurahan_code = kelurahan.into();
            bundle.facts.planning_year = year;
            assert!(matches!(store.record_bundle(&bundle, "u").unwrap(), RecordOutcome::Recorded(_)));
        }
        let shas = |filter: BundleFilter| -> Vec<char> {
            store.bundles_where(&filter).unwrap().iter().map(|b| b.sha256.chars().next().unwrap()).collect()
        };
        assert_eq!(shas(BundleFilter::default()), ['1', '2', '3', '4']);
        assert_eq!(shas(BundleFilter { device_id: Some("b".repeat(64)), ..BundleFilter::default() }), ['3', '4']);
        let cimahi = BundleFilter { wilayah: Some("32.77".into()), ..BundleFilter::default() };
        assert_eq!(shas(cimahi.clone()), ['1', '2']);
        assert_eq!(shas(BundleFilter { planning_year: Some(2028), ..cimahi }), ['1']);
        assert_eq!(shas(BundleFilter { wilayah: Some("32.77.02".into()), ..BundleFilter::default() }), ['2']);
        assert_eq!(shas(BundleFilter { wilayah: Some("32.771.1.1001".into()), ..BundleFilter::default() }), ['4']);
        assert_eq!(
            shas(BundleFilter { stage: Some("musrenbang_kelurahan".into()), ..BundleFilter::default() }).len(),
            0
        );
    });
}

#[test]
fn figures_are_kept_with_the_bundle_and_read_for_the_latest_revisions_only() {
    on_both(|store| {
        with_two_devices(&*store);
        store.record_bundle(&new_bundle('1', 'a', "m1", 1, None), "u").unwrap();
        store.record_bundle(&new_bundle('2', 'a', "m2", 1, None), "u").unwrap();
        // Revision 2 of m1 replaces bundle 1: only its figures count.
        store.record_bundle(&new_bundle('3', 'a', "m1", 2, Some('1')), "u").unwrap();
        // A duplicate keeps the first record's figures.
        let duplicate = NewBundle { figures: figures('9'), ..new_bundle('2', 'a', "m2", 1, None) };
        assert!(matches!(store.record_bundle(&duplicate, "u").unwrap(), RecordOutcome::Duplicate(_)));
        let read = store.figures_where(&BundleFilter { planning_year: Some(2028), ..BundleFilter::default() }).unwrap();
        let shas: Vec<char> = read.iter().map(|(bundle, _)| bundle.sha256.chars().next().unwrap()).collect();
        assert_eq!(shas, ['2', '3']);
        assert_eq!(read[0].1, figures('2'), "every field reads back as written, usulan in their order");
        assert_eq!(read[1].1, figures('3'));
        assert!(
            store
                .figures_where(&BundleFilter { planning_year: Some(2027), ..BundleFilter::default() })
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.latest_planning_year().unwrap(), Some(2028));
        assert!(store.bundles_without_figures().unwrap().is_empty());
        // Outcomes in one query, of the latest revisions only.
        for sha in ['1', '2'] {
            let outcome = UsulanOutcome {
                usulan_id: format!("u{sha}0"),
                outcome: "diakomodir".into(),
                detail: "DPUPR".into(),
                staff_name: "s".into(),
                at: NOW.into(),
            };
            store.set_usulan_outcome(&sha.to_string().repeat(64), &outcome, &audit("s", "usulan_diakomodir")).unwrap();
        }
        let outcomes = store.usulan_outcomes_where(&BundleFilter::default()).unwrap();
        assert_eq!(outcomes.len(), 1, "bundle 1 was replaced");
        assert_eq!((outcomes[0].0.as_str(), outcomes[0].1.usulan_id.as_str()), ("2".repeat(64).as_str(), "u20"));
        // Figures are never rewritten: a second backfill leaves them.
        store.record_figures(&"2".repeat(64), &figures('9')).unwrap();
        assert_eq!(store.figures_where(&BundleFilter::default()).unwrap()[0].1, figures('2'));
    });
}

#[test]
fn a_bundle_recorded_without_figures_is_listed_until_they_are_backfilled() {
    let dir = tempfile::tempdir().unwrap();
    let store = Database::Sqlite.open(dir.path()).unwrap();
    with_two_devices(&*store);
    store.record_bundle(&new_bundle('1', 'a', "m1", 1, None), "u").unwrap();
    drop(store);
    // As an index of schema 3 held it: the bundle row without its figures.
    let connection = rusqlite::Connection::open(dir.path().join(sqlite::DATABASE_FILE)).unwrap();
    connection.execute_batch("DROP TABLE opd; DROP TABLE stage_settings; DROP TABLE signed_pages_bundle; DROP TABLE bundle_usulan; DROP TABLE bundle_figures; PRAGMA user_version = 3;").unwrap();
    drop(connection);
    let store = Database::Sqlite.open(dir.path()).unwrap();
    assert_eq!(store.bundles_without_figures().unwrap(), ["1".repeat(64)]);
    assert!(store.figures_where(&BundleFilter::default()).unwrap().is_empty());
    store.record_figures(&"1".repeat(64), &figures('1')).unwrap();
    assert!(store.bundles_without_figures().unwrap().is_empty());
    assert_eq!(store.figures_where(&BundleFilter::default()).unwrap()[0].1, figures('1'));
}

#[test]
fn uploads_and_bundles_are_unique_by_their_constraints() {
    on_both(|store| {
        with_two_devices(&*store);
        let first = upload("u1", 'a', '1', 100);
        assert_eq!(store.create_upload(&first, 2, 10).unwrap(), CreateUploadOutcome::Created(first.clone()));
        let again = upload("u9", 'a', '1', 100);
        assert_eq!(store.create_upload(&again, 2, 10).unwrap(), CreateUploadOutcome::Existing(first.clone()));
        store.create_upload(&upload("u2", 'a', '2', 100), 2, 10).unwrap();
        assert_eq!(store.create_upload(&upload("u3", 'a', '3', 100), 2, 10).unwrap(), CreateUploadOutcome::TooMany);
        assert!(matches!(
            store.create_upload(&upload("u3", 'b', '3', 100), 2, 10).unwrap(),
            CreateUploadOutcome::Created(_)
        ));
        store.set_received("u1", 100, 20).unwrap();
        assert_eq!(store.upload("u1").unwrap().unwrap().received, 100);
        assert!(store.set_received("u2", 101, 20).is_err(), "never past the size");
        assert_eq!(store.upload("nothing").unwrap(), None);
        assert_eq!(
            store.uploads().unwrap().iter().map(|u| u.upload_id.as_str()).collect::<Vec<_>>(),
            ["u1", "u2", "u3"]
        );
        let mut stale = store.remove_stale_uploads(15).unwrap();
        stale.sort();
        assert_eq!(stale, ["u2", "u3"]);
        store.delete_upload("u1").unwrap();
        assert!(store.uploads().unwrap().is_empty());

        let one = new_bundle('1', 'a', "m1", 1, None);
        let RecordOutcome::Recorded(recorded) = store.record_bundle(&one, "u1").unwrap() else { panic!("recorded") };
        assert_eq!((recorded.review_state.as_str(), recorded.replaces.as_deref()), ("baru", None));
        let mut later = one.clone();
        later.facts.receipt_body = "another receipt".into();
        assert_eq!(
            store.record_bundle(&later, "u1").unwrap(),
            RecordOutcome::Duplicate(recorded.clone()),
            "the first record"
        );
        assert_eq!(
            store.record_bundle(&new_bundle('2', 'a', "m1", 1, None), "u").unwrap(),
            RecordOutcome::RevisionConflict
        );
        let RecordOutcome::Recorded(correction) =
            store.record_bundle(&new_bundle('3', 'b', "m1", 2, Some('1')), "u").unwrap()
        else {
            panic!("recorded")
        };
        assert_eq!(correction.replaces.as_deref(), Some("bundle-1"), "the bundle id of what it replaces");
        assert_eq!(correction.replaces_sha256, Some("1".repeat(64)));
        assert_eq!(
            store.record_bundle(&new_bundle('4', 'b', "m2", 2, Some('1')), "u").unwrap(),
            RecordOutcome::RevisionConflict,
            "replaced once"
        );
        assert!(
            store.record_bundle(&new_bundle('5', 'b', "m3", 2, None), "u").is_err(),
            "a correction names what it replaces"
        );
        assert_eq!(store.bundle_of_revision("m1", "content-3").unwrap().map(|b| b.facts.sha256), Some("3".repeat(64)));
        let chain = |sha: char| -> Vec<u32> {
            store.revision_chain(&sha.to_string().repeat(64)).unwrap().iter().map(|b| b.revision).collect()
        };
        assert_eq!((chain('1'), chain('3')), (vec![1, 2], vec![1, 2]), "back and forth through replaces");
        assert!(chain('9').is_empty(), "no such bundle");
        assert_eq!(store.bundle_of_revision("m1", "content-9").unwrap(), None);
        assert_eq!(store.bundle(&"1".repeat(64)).unwrap(), Some(recorded));
        assert!(store.bundle_exists(&"3".repeat(64)).unwrap());
        assert!(!store.bundle_exists(&"9".repeat(64)).unwrap());
        let order: Vec<String> = store.bundles().unwrap().into_iter().map(|b| b.facts.bundle_id).collect();
        assert_eq!(order, ["bundle-1", "bundle-3"], "in the order they were received");
    });
}

#[test]
fn two_writers_racing_on_one_bundle_record_it_once() {
    on_both(|store| {
        with_two_devices(&*store);
        for round in 0..8u8 {
            let sha = char::from(b'a' + round);
            let barrier = Arc::new(Barrier::new(4));
            let racers: Vec<_> = (0..4)
                .map(|racer| {
                    let (store, barrier) = (store.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        let mut bundle = new_bundle(sha, 'a', &format!("m{round}"), 1, None);
                        bundle.facts.receipt_body = format!("receipt of racer {racer}");
                        barrier.wait();
                        store.record_bundle(&bundle, "u").unwrap()
                    })
                })
                .collect();
            let outcomes: Vec<RecordOutcome> = racers.into_iter().map(|racer| racer.join().unwrap()).collect();
            let recorded: Vec<&Bundle> = outcomes
                .iter()
                .filter_map(|outcome| match outcome {
                    RecordOutcome::Recorded(bundle) => Some(bundle),
                    _ => None,
                })
                .collect();
            assert_eq!(recorded.len(), 1, "{outcomes:?}");
            for outcome in &outcomes {
                if let RecordOutcome::Duplicate(bundle) = outcome {
                    assert_eq!(bundle.receipt_body, recorded[0].receipt_body, "everyone gets the first receipt");
                }
                assert!(!matches!(outcome, RecordOutcome::RevisionConflict), "{outcomes:?}");
            }
        }
        assert_eq!(store.bundles().unwrap().len(), 8);
    });
}

fn new_signed_pages(sha: char, revision: char, receipt: &str) -> NewSignedPages {
    NewSignedPages {
        sha256: sha.to_string().repeat(64),
        bundle_id: format!("pages-{sha}"),
        size: 20,
        device_id: "a".repeat(64),
        revision_sha256: revision.to_string().repeat(64),
        page_count: 3,
        received_at: NOW.into(),
        receipt_body: receipt.into(),
        receipt_signature: "sig".into(),
    }
}

#[test]
fn signed_pages_are_recorded_once_beside_their_revision_even_by_racing_writers() {
    on_both(|store| {
        with_two_devices(&*store);
        store.record_bundle(&new_bundle('1', 'a', "m1", 1, None), "u").unwrap();
        assert!(store.signed_pages(&"p".repeat(64)).unwrap().is_none());
        let barrier = Arc::new(Barrier::new(4));
        let racers: Vec<_> = (0..4)
            .map(|racer| {
                let (store, barrier) = (store.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    store.record_signed_pages(&new_signed_pages('p', '1', &format!("receipt {racer}")), "u").unwrap()
                })
            })
            .collect();
        let outcomes: Vec<SignedPagesOutcome> = racers.into_iter().map(|racer| racer.join().unwrap()).collect();
        let recorded: Vec<&SignedPagesBundle> = outcomes
            .iter()
            .filter_map(|outcome| match outcome {
                SignedPagesOutcome::Recorded(pages) => Some(pages),
                SignedPagesOutcome::Duplicate(_) => None,
            })
            .collect();
        assert_eq!(recorded.len(), 1, "{outcomes:?}");
        for outcome in &outcomes {
            if let SignedPagesOutcome::Duplicate(pages) = outcome {
                assert_eq!(pages.receipt_body, recorded[0].receipt_body, "everyone gets the first receipt");
            }
        }
        let held = store.signed_pages(&"p".repeat(64)).unwrap().unwrap();
        assert_eq!((held.page_count, held.device.as_str()), (3, "a".repeat(64).as_str()));
        assert!(store.bundle_exists(&"p".repeat(64)).unwrap(), "its file is the office's, kept at start-up");
        // A later bundle of more pages of the same revision is kept beside it.
        store.record_signed_pages(&new_signed_pages('q', '1', "later"), "u").unwrap();
        let of_revision: Vec<String> =
            store.signed_pages_of(&"1".repeat(64)).unwrap().into_iter().map(|pages| pages.bundle_id).collect();
        assert_eq!(of_revision, ["pages-p", "pages-q"]);
        // Only for a revision the office holds.
        assert!(store.record_signed_pages(&new_signed_pages('r', '9', "none"), "u").is_err());
        assert!(store.signed_pages_of(&"9".repeat(64)).unwrap().is_empty());
        assert_eq!(store.bundles().unwrap().len(), 1, "signed pages are not meeting bundles");
    });
}

#[test]
fn accounts_sessions_failures_and_reviews_are_kept_with_their_audit() {
    on_both(|store| {
        let info = OfficeInfo { name: "Kantor".into(), city: "Kota".into() };
        store.initialise(&info, "admin", "h", NOW).unwrap();
        let siti = Staff {
            name: "siti".into(),
            password_hash: "h2".into(),
            role: Role::Staf,
            kecamatan_code: Some("32.77.01".into()),
        };
        assert!(store.create_staff(&siti, "admin", NOW).unwrap());
        assert!(!store.create_staff(&siti, "admin", NOW).unwrap(), "a name is unique");
        let budi =
            Staff { name: "Budi".into(), password_hash: "h3".into(), role: Role::Pimpinan, kecamatan_code: None };
        assert!(store.create_staff(&budi, "admin", NOW).unwrap());
        let names: Vec<String> = store.staff_list().unwrap().into_iter().map(|staff| staff.name).collect();
        assert_eq!(names, ["Budi", "admin", "siti"], "in byte order, as SQLite sorts");
        assert_eq!(store.staff("siti").unwrap(), Some(siti.clone()));
        store.set_password_hash("siti", "$argon2id$baru").unwrap();
        assert_eq!(store.staff("siti").unwrap().unwrap().password_hash, "$argon2id$baru");

        store.create_session(&"a".repeat(64), "siti", &"c".repeat(64), 100, 200).unwrap();
        assert_eq!(
            store.session(&"a".repeat(64), 150).unwrap().map(|(s, c)| (s.name, c)),
            Some(("siti".into(), "c".repeat(64)))
        );
        assert_eq!(store.session(&"a".repeat(64), 200).unwrap(), None, "expired");
        assert_eq!(store.session(&"b".repeat(64), 150).unwrap(), None);
        store.delete_session(&"a".repeat(64)).unwrap();
        assert_eq!(store.session(&"a".repeat(64), 150).unwrap(), None);

        store.record_login_failure("siti", "10.0.0.1", 100).unwrap();
        store.record_login_failure("budi", "10.0.0.1", 101).unwrap();
        store.record_login_failure("siti", "10.0.0.2", 50).unwrap();
        assert_eq!(store.login_failures_since("siti", "10.0.0.1", 90).unwrap(), (1, 2));

        store.set_rw_count("32.77.01.1001", 12, &audit("siti", "atur_jumlah_rw")).unwrap();
        store.set_rw_count("32.77.01.1001", 14, &audit("siti", "atur_jumlah_rw")).unwrap();
        assert_eq!(store.rw_counts(None).unwrap(), vec![("32.77.01.1001".to_owned(), 14)]);
        assert_eq!(store.rw_counts(Some("32.77.01")).unwrap().len(), 1);
        assert_eq!(store.rw_counts(Some("32.77.01.1001")).unwrap().len(), 1);
        assert!(store.rw_counts(Some("32.77.02")).unwrap().is_empty());
        let refused = store.set_rw_count("32.77.01.1002", 0, &audit("siti", "atur_jumlah_rw"));
        assert!(refused.is_err(), "the count's check holds");

        with_two_devices(&*store);
        store.record_bundle(&new_bundle('1', 'a', "m1", 1, None), "u").unwrap();
        let sha = "1".repeat(64);
        assert_eq!(store.review(&sha).unwrap(), Some(Review { state: "baru".into(), note: None }));
        assert_eq!(store.review(&"9".repeat(64)).unwrap(), None);
        let review = Review { state: "perlu_perbaikan".into(), note: Some("foto kurang".into()) };
        store.set_review(&sha, &review, &audit("siti", "tinjau")).unwrap();
        assert_eq!(store.review(&sha).unwrap(), Some(review));
        let outcome = UsulanOutcome {
            usulan_id: "u1".into(),
            outcome: "diakomodir".into(),
            detail: "DPUPR".into(),
            staff_name: "siti".into(),
            at: NOW.into(),
        };
        store.set_usulan_outcome(&sha, &outcome, &audit("siti", "usulan")).unwrap();
        let changed = UsulanOutcome { outcome: "dialihkan".into(), detail: "dana kelurahan".into(), ..outcome };
        store.set_usulan_outcome(&sha, &changed, &audit("siti", "usulan")).unwrap();
        assert_eq!(store.usulan_outcomes(&sha).unwrap(), [changed.clone()]);
        let refused = UsulanOutcome { outcome: "entah".into(), ..changed };
        assert!(store.set_usulan_outcome(&sha, &refused, &audit("siti", "usulan")).is_err());

        let log = store.audit_log(10).unwrap();
        let actions: Vec<&str> = log.iter().map(|entry| entry.action.as_str()).collect();
        assert_eq!(
            actions,
            ["usulan", "usulan", "tinjau", "atur_jumlah_rw", "atur_jumlah_rw", "masuk", "buat_akun", "buat_akun"],
            "newest first, the refused ones not logged"
        );
        assert_eq!(store.audit_log(2).unwrap().len(), 2);
    });
}

/// The sums of `figure_sums` as the summary added them in Rust before, from
/// the figures `figures_where` reads, sorted as the test sorts the store's.
fn summed_in_rust(records: &[(Bundle, Figures)]) -> FigureSums {
    use std::collections::BTreeMap;
    let mut places: BTreeMap<(i32, [String; 4]), PlaceSums> = BTreeMap::new();
    let mut by_bidang: BTreeMap<(i32, String), UsulanSums> = BTreeMap::new();
    let mut by_opd: BTreeMap<(i32, String), UsulanSums> = BTreeMap::new();
    for (bundle, f) in records {
        let names = [
            f.kecamatan_code.clone(),
            f.kecamatan_name.clone(),
            bundle.kelurahan_code.clone(),
            f.kelurahan_name.clone(),
        ];
        let [kecamatan_code, kecamatan_name, kelurahan_code, kelurahan_name] = names.clone();
        let place = places.entry((bundle.planning_year, names)).or_insert_with(|| PlaceSums {
            planning_year: bundle.planning_year,
            kecamatan_code,
            kecamatan_name,
            kelurahan_code,
            kelurahan_name,
            ..PlaceSums::default()
        });
        let p = &mut place.participation;
        p.meetings += 1;
        p.attendees += f.attendees;
        p.women += f.women;
        p.youth += f.youth;
        p.disability += f.disability;
        p.target_met += u32::from(f.women_target_met);
        p.target_percent = p.target_percent.max(f.women_target_percent);
        for usulan in &f.usulan {
            place.usulan += 1;
            place.biaya += usulan.biaya;
            for (map, key) in [(&mut by_bidang, &usulan.bidang), (&mut by_opd, &usulan.opd_tujuan)] {
                let sums = map.entry((bundle.planning_year, key.clone())).or_insert_with(|| UsulanSums {
                    planning_year: bundle.planning_year,
                    key: key.clone(),
                    ..UsulanSums::default()
                });
                sums.usulan += 1;
                sums.biaya += usulan.biaya;
            }
        }
    }
    FigureSums {
        places: places.into_values().collect(),
        by_bidang: by_bidang.into_values().collect(),
        by_opd: by_opd.into_values().collect(),
    }
}

#[test]
fn figure_sums_add_up_the_latest_revisions_as_the_figures_read() {
    on_both(|store| {
        with_two_devices(&*store);
        let other_bidang = |sha: char| {
            let mut figures = figures(sha);
            figures.usulan[1].bidang = "ekonomi".into();
            figures.usulan[1].opd_tujuan = "Disdagkoperin".into();
            figures
        };
        let bundles = [
            new_bundle('1', 'a', "m1", 1, None),
            new_bundle('2', 'a', "m2", 1, None),
            // Replaces bundle 1: only its figures count.
            new_bundle('3', 'a', "m1", 2, Some('1')),
            // The same kelurahan as bundle 2, another meeting and bidang.
            new_bundle('4', 'b', "m4", 1, None),
            NewBundle {
                figures: Figures { kelurahan_name: "Kelurahan 2".into(), ..other_bidang('5') },
                ..new_bundle('5', 'b', "m5", 1, None)
            },
            {
                let mut bundle = new_bundle('6', 'b', "m6", 1, None);
                bundle.facts.kelurahan_code = "32.77.02.1002".into();
                bundle.facts.stage = "musrenbang_kelurahan".into();
                bundle.facts.rw = None;
                bundle
            },
            {
                let mut bundle = NewBundle { figures: other_bidang('7'), ..new_bundle('7', 'a', "m7", 1, None) };
                bundle.facts.planning_year = 2027;
                bundle
            },
        ];
        for bundle in &bundles {
            assert!(matches!(store.record_bundle(bundle, "u").unwrap(), RecordOutcome::Recorded(_)));
        }
        let sorted =
            |mut sums: FigureSums| {
                sums.places.sort_by(|a, b| {
                    (a.planning_year, &a.kecamatan_code, &a.kecamatan_name, &a.kelurahan_code, &a.kelurahan_name).cmp(
                        &(b.planning_year, &b.kecamatan_code, &b.kecamatan_name, &b.kelurahan_code, &b.kelurahan_name),
                    )
                });
                sums.by_bidang.sort_by(|a, b| (a.planning_year, &a.key).cmp(&(b.planning_year, &b.key)));
                sums.by_opd.sort_by(|a, b| (a.planning_year, &a.key).cmp(&(b.planning_year, &b.key)));
                sums
            };
        let cases = [
            (SumFilter::default(), BundleFilter::default()),
            (
                SumFilter { planning_year: Some(2028), ..SumFilter::default() },
                BundleFilter { planning_year: Some(2028), ..BundleFilter::default() },
            ),
            (
                SumFilter { wilayah: Some("32.77.02".into()), ..SumFilter::default() },
                BundleFilter { wilayah: Some("32.77.02".into()), ..BundleFilter::default() },
            ),
            (
                SumFilter { stage: Some("rembug_warga".into()), planning_year: Some(2028), ..SumFilter::default() },
                BundleFilter {
                    stage: Some("rembug_warga".into()),
                    planning_year: Some(2028),
                    ..BundleFilter::default()
                },
            ),
        ];
        for (sum_filter, filter) in cases {
            let expected = summed_in_rust(&store.figures_where(&filter).unwrap());
            assert!(!expected.places.is_empty(), "{filter:?}");
            assert_eq!(sorted(store.figure_sums(&sum_filter).unwrap()), expected, "{sum_filter:?}");
        }
        let all = sorted(store.figure_sums(&SumFilter::default()).unwrap());
        assert_eq!(
            all.places.iter().map(|place| place.participation.meetings).sum::<u32>(),
            6,
            "bundle 1 was replaced"
        );
        assert!(all.by_bidang.iter().any(|row| row.key == "ekonomi" && row.planning_year == 2027));
        // Meetings with an usulan of a bidang and OPD: all their usulan count.
        let ekonomi = SumFilter {
            usulan_bidang: Some("ekonomi".into()),
            usulan_opd: Some("Disdagkoperin".into()),
            ..SumFilter::default()
        };
        let with_ekonomi: Vec<(Bundle, Figures)> = store
            .figures_where(&BundleFilter::default())
            .unwrap()
            .into_iter()
            .filter(|(_, figures)| figures.usulan.iter().any(|u| u.bidang == "ekonomi"))
            .collect();
        assert_eq!(with_ekonomi.len(), 2);
        assert_eq!(sorted(store.figure_sums(&ekonomi).unwrap()), summed_in_rust(&with_ekonomi));
        let none_named = SumFilter { usulan_opd: Some(String::new()), ..SumFilter::default() };
        assert_eq!(sorted(store.figure_sums(&none_named).unwrap()).places.len(), all.places.len() - 1);
        // Lists leave the receipt out; a bundle's own read has it.
        let listed = store.bundles_where(&BundleFilter::default()).unwrap();
        assert!(listed.iter().all(|bundle| bundle.receipt_body.is_empty() && bundle.receipt_signature.is_empty()));
        assert_eq!(store.bundle(&"2".repeat(64)).unwrap().unwrap().receipt_body, "receipt-2");
    });
}
