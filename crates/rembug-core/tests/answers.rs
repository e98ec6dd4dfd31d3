//! The office's answers and the outcomes recorded by hand, on a real SQLite
//! file: checked before they are kept, newest only, beside the locked record
//! and never in it, and used by carrying forward.

mod common;

use common::{DATABASE, lock_directly, meeting_form, open};
use ed25519_dalek::SigningKey;
use rembug_core::answers::{OutcomeForm, OutcomeKind, OutcomeSource, ReviewState};
use rembug_core::meeting::MeetingForm;
use rembug_core::store::AnswersSaved;
use rembug_core::trust::{Answers, DelegateRange, MeetingAnswer, OfficeIdentity, Signed, UsulanAnswer};
use rembug_core::usulan::UsulanForm;
use rembug_core::{CoreError, Store};

const DEVICE: &str = "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1";

fn office_key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn office(key: &SigningKey) -> OfficeIdentity {
    OfficeIdentity::new("Bappelitbangda", "Kota Cimahi", &key.verifying_key().to_bytes(), &[9; 32])
}

fn meeting(store: &Store, date: &str) -> String {
    store.create_meeting(&MeetingForm { date: date.into(), ..meeting_form() }).unwrap().id
}

fn usulan_form(kegiatan: &str) -> UsulanForm {
    UsulanForm {
        permasalahan: "Jalan gang berlubang".into(),
        kegiatan: kegiatan.into(),
        alamat: "Gg. Melati".into(),
        rt_list: "1".into(),
        volume: "100".into(),
        satuan: "m".into(),
        biaya: "12.500.000".into(),
        bidang: "infrastruktur".into(),
        ..UsulanForm::default()
    }
}

fn usulan(store: &Store, meeting_id: &str, kegiatan: &str) -> String {
    store.add_usulan(meeting_id, &usulan_form(kegiatan)).unwrap().id
}

fn answers(serial: u64, meetings: Vec<MeetingAnswer>) -> Answers {
    Answers {
        device_id: DEVICE.into(),
        issued_at: "2026-12-07T04:00:00Z".into(),
        serial,
        meetings,
        wilayah: Vec::new(),
        opd: None,
        women_target_percent: None,
        delegates: None,
    }
}

fn review(meeting_id: &str, state: ReviewState, note: Option<&str>, usulan: Vec<UsulanAnswer>) -> MeetingAnswer {
    MeetingAnswer {
        meeting_id: meeting_id.into(),
        revision: 1,
        bundle_sha256: "a".repeat(64),
        review_state: state,
        note: note.map(Into::into),
        usulan,
    }
}

fn outcome(usulan_id: &str, outcome: OutcomeKind, detail: &str) -> UsulanAnswer {
    UsulanAnswer { usulan_id: usulan_id.into(), outcome, detail: detail.into() }
}

fn count(dir: &tempfile::TempDir, sql: &str) -> i64 {
    rusqlite::Connection::open(dir.path().join(DATABASE)).unwrap().query_row(sql, [], |row| row.get(0)).unwrap()
}

#[test]
fn answers_are_kept_once_signed_for_this_device_and_only_when_newer() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let locked = meeting(&store, "2026-11-28");
    let jalan = usulan(&store, &locked, "Betonisasi jalan");
    let draft = meeting(&store, "2026-11-29");
    lock_directly(&dir, &locked);
    let key = office_key();
    let office = office(&key);

    let first = answers(
        10,
        vec![
            review(
                &locked,
                ReviewState::PerluPerbaikan,
                Some("Daftar hadir RT 03 belum ditandatangani"),
                vec![outcome(&jalan, OutcomeKind::Diakomodir, "DPUPR")],
            ),
            // A draft, and a meeting this laptop never had, are not reviewed here.
            review(&draft, ReviewState::Disetujui, None, vec![]),
            review("elsewhere", ReviewState::Ditolak, Some("Bukan RW ini"), vec![]),
        ],
    );
    let signed = Signed::sign(&first, &key);

    // Signed by another key, or for another device: refused, nothing kept.
    let stranger = SigningKey::from_bytes(&[8; 32]);
    let forged = Signed::sign(&first, &stranger);
    assert!(matches!(store.save_answers(&forged, &office, DEVICE), Err(CoreError::OfficeDocumentInvalid { .. })));
    let mut changed = signed.clone();
    changed.body = changed.body.replace("perlu_perbaikan", "disetujui");
    assert!(store.save_answers(&changed, &office, DEVICE).is_err());
    assert!(store.save_answers(&signed, &office, &"e".repeat(64)).is_err());
    assert!(store.meeting_reviews().unwrap().is_empty());
    assert_eq!(count(&dir, "SELECT count(*) FROM office_answers"), 0);

    assert_eq!(
        store.save_answers(&signed, &office, DEVICE).unwrap(),
        AnswersSaved::Stored { serial: 10, changed: true }
    );
    drop(store);
    let store = open(&dir);
    let reviews = store.meeting_reviews().unwrap();
    assert_eq!(reviews.keys().collect::<Vec<_>>(), [&locked]);
    let held = store.meeting_review(&locked).unwrap().unwrap();
    assert_eq!(held.state, ReviewState::PerluPerbaikan);
    assert_eq!(held.note.as_deref(), Some("Daftar hadir RT 03 belum ditandatangani"));
    assert_eq!(held.answered_at, "2026-12-07T04:00:00Z");
    let outcomes = store.usulan_outcomes(&locked).unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!((outcomes[0].outcome, outcomes[0].detail.as_str()), (OutcomeKind::Diakomodir, "DPUPR"));
    assert_eq!(outcomes[0].source, OutcomeSource::Office);

    // A newer answer replaces the reviews whole; an older or replayed one
    // changes nothing.
    let approved = Signed::sign(&answers(20, vec![review(&locked, ReviewState::Disetujui, None, vec![])]), &key);
    let stored = store.save_answers(&approved, &office, DEVICE).unwrap();
    assert_eq!(stored, AnswersSaved::Stored { serial: 20, changed: true });
    assert_eq!(store.save_answers(&signed, &office, DEVICE).unwrap(), AnswersSaved::NotNewer { held_serial: 20 });
    assert_eq!(store.save_answers(&approved, &office, DEVICE).unwrap(), AnswersSaved::NotNewer { held_serial: 20 });
    let held = store.meeting_review(&locked).unwrap().unwrap();
    assert_eq!((held.state, held.note), (ReviewState::Disetujui, None));
    assert!(store.usulan_outcomes(&locked).unwrap().is_empty());

    // The same answers issued again later are kept, and say nothing new.
    let again = Signed::sign(&answers(21, vec![review(&locked, ReviewState::Disetujui, None, vec![])]), &key);
    let stored = store.save_answers(&again, &office, DEVICE).unwrap();
    assert_eq!(stored, AnswersSaved::Stored { serial: 21, changed: false });

    // Another office, enrolled since, counts its own serials.
    let other_key = SigningKey::from_bytes(&[11; 32]);
    let rejected =
        Signed::sign(&answers(3, vec![review(&locked, ReviewState::Ditolak, Some("Lain"), vec![])]), &other_key);
    let other_office =
        OfficeIdentity::new("Kantor Baru", "Kota Cimahi", &other_key.verifying_key().to_bytes(), &[9; 32]);
    let stored = store.save_answers(&rejected, &other_office, DEVICE).unwrap();
    assert_eq!(stored, AnswersSaved::Stored { serial: 3, changed: true });
    assert_eq!(store.meeting_review(&locked).unwrap().unwrap().state, ReviewState::Ditolak);

    // The locked record is as it was.
    assert_eq!(store.get_usulan(&jalan).unwrap().outcome, None);
}

#[test]
fn an_outcome_by_hand_is_for_locked_meetings_and_an_office_outcome_wins() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let locked = meeting(&store, "2026-11-28");
    let jalan = usulan(&store, &locked, "Betonisasi jalan");
    let lampu = usulan(&store, &locked, "Lampu jalan");
    let draft = meeting(&store, "2026-11-29");
    let draft_usulan = usulan(&store, &draft, "Pos ronda");
    lock_directly(&dir, &locked);
    let changes_before = count(&dir, "SELECT count(*) FROM meeting_change");

    let form = |outcome: &str, detail: &str| OutcomeForm { outcome: outcome.into(), detail: detail.into() };
    assert!(matches!(
        store.record_outcome_by_hand(&draft_usulan, Some(&form("diakomodir", "DPUPR"))),
        Err(CoreError::MeetingNotLocked)
    ));
    assert!(matches!(store.record_outcome_by_hand("nope", None), Err(CoreError::NotFound { .. })));
    assert!(matches!(store.record_outcome_by_hand(&jalan, Some(&form("diterima", ""))), Err(CoreError::Validation(_))));

    let recorded = store.record_outcome_by_hand(&jalan, Some(&form("dialihkan", "Dana kelurahan"))).unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].outcome, recorded[0].source), (OutcomeKind::Dialihkan, OutcomeSource::Hand));
    store.record_outcome_by_hand(&lampu, Some(&form("tidak_diakomodir", "Sudah ada PJU"))).unwrap();

    // The office answers for one of them: its outcome wins, the hand one stays.
    let key = office_key();
    let signed = Signed::sign(
        &answers(
            1,
            vec![review(&locked, ReviewState::Diterima, None, vec![outcome(&jalan, OutcomeKind::Diakomodir, "DPUPR")])],
        ),
        &key,
    );
    store.save_answers(&signed, &office(&key), DEVICE).unwrap();
    let outcomes: Vec<_> = store
        .usulan_outcomes(&locked)
        .unwrap()
        .into_iter()
        .map(|outcome| (outcome.usulan_id, outcome.outcome, outcome.detail, outcome.source))
        .collect();
    assert_eq!(
        outcomes,
        [
            (jalan.clone(), OutcomeKind::Diakomodir, "DPUPR".into(), OutcomeSource::Office),
            (lampu.clone(), OutcomeKind::TidakDiakomodir, "Sudah ada PJU".into(), OutcomeSource::Hand),
        ]
    );
    assert_eq!(count(&dir, "SELECT count(*) FROM usulan_outcome_by_hand"), 2);

    // Removing a hand outcome leaves the office's.
    let left = store.record_outcome_by_hand(&lampu, None).unwrap();
    assert_eq!(left.iter().map(|outcome| outcome.usulan_id.as_str()).collect::<Vec<_>>(), [jalan.as_str()]);

    // Nothing of the locked meeting changed: no change logged, no field.
    assert_eq!(count(&dir, "SELECT count(*) FROM meeting_change"), changes_before);
    assert_eq!(store.get_usulan(&jalan).unwrap().outcome, None);
}

#[test]
fn carrying_forward_skips_usulan_the_office_or_the_cadre_says_were_taken_in() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let last_year = meeting(&store, "2025-11-24");
    let by_office = usulan(&store, &last_year, "Sumur resapan");
    let by_hand = usulan(&store, &last_year, "Pos ronda");
    let elsewhere = usulan(&store, &last_year, "Taman bermain");
    let refused = usulan(&store, &last_year, "Betonisasi jalan");
    let unknown = usulan(&store, &last_year, "Pelatihan UMKM");
    let overruled = usulan(&store, &last_year, "Lampu jalan");
    lock_directly(&dir, &last_year);
    let this = meeting(&store, "2026-11-28");

    let form = |outcome: &str| OutcomeForm { outcome: outcome.into(), detail: "Catatan".into() };
    store.record_outcome_by_hand(&by_hand, Some(&form("diakomodir"))).unwrap();
    store.record_outcome_by_hand(&elsewhere, Some(&form("dialihkan"))).unwrap();
    // The cadre thought it was taken in; the office says it was not.
    store.record_outcome_by_hand(&overruled, Some(&form("diakomodir"))).unwrap();
    let key = office_key();
    let signed = Signed::sign(
        &answers(
            1,
            vec![review(
                &last_year,
                ReviewState::Disetujui,
                None,
                vec![
                    outcome(&by_office, OutcomeKind::Diakomodir, "DPUPR"),
                    outcome(&refused, OutcomeKind::TidakDiakomodir, "Anggaran tidak cukup"),
                    outcome(&overruled, OutcomeKind::TidakDiakomodir, "Bukan prioritas"),
                ],
            )],
        ),
        &key,
    );
    store.save_answers(&signed, &office(&key), DEVICE).unwrap();

    let offered: Vec<String> =
        store.carry_forward_candidates(&this).unwrap().into_iter().map(|candidate| candidate.usulan.id).collect();
    assert_eq!(offered, [refused.clone(), unknown.clone(), overruled.clone()]);
    let error = store.carry_forward(&this, std::slice::from_ref(&by_office)).unwrap_err();
    assert!(matches!(error, CoreError::Validation(_)));
    assert_eq!(store.carry_forward(&this, &[refused, unknown]).unwrap().len(), 2);
}

#[test]
fn the_office_s_wilayah_comes_with_its_answers_and_a_malformed_one_refuses_them_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let key = office_key();
    let office = office(&key);
    let kelurahan = |code: &str, name: &str| rembug_core::wilayah::Kelurahan {
        code: code.into(),
        name: name.into(),
        kecamatan_code: "32.77.02".into(),
        kecamatan_name: "Cimahi Tengah".into(),
        kota_code: "32.77".into(),
        kota_name: "Kota Cimahi".into(),
    };
    let names = || store.list_kelurahan().unwrap().into_iter().map(|k| k.name).collect::<Vec<_>>();

    let broken = Answers { wilayah: vec![kelurahan("32.77.03.1099", "Salah Kecamatan")], ..answers(5, vec![]) };
    assert!(store.save_answers(&Signed::sign(&broken, &key), &office, DEVICE).is_err());
    assert!(!names().contains(&"Salah Kecamatan".to_owned()), "nothing of refused answers is kept");
    assert_eq!(count(&dir, "SELECT count(*) FROM office_answers"), 0);

    let renamed = Answers { wilayah: vec![kelurahan("32.77.02.1001", "Baros (baru)")], ..answers(6, vec![]) };
    store.save_answers(&Signed::sign(&renamed, &key), &office, DEVICE).unwrap();
    assert!(names().contains(&"Baros (baru)".to_owned()), "{:?}", names());
}

#[test]
fn the_office_s_opd_list_replaces_the_laptop_s_only_in_newer_answers_and_a_malformed_one_refuses_them_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let key = office_key();
    let office = office(&key);
    let names = || store.opd_list().unwrap().into_iter().map(|opd| opd.name).collect::<Vec<_>>();
    let seeded = names();
    assert!(seeded.len() > 2, "the seeded list: {seeded:?}");
    let list = |names: &[&str]| Some(names.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>());
    let meeting_id = meeting(&store, "2026-11-28");
    let usulan_form = UsulanForm { opd_tujuan: seeded[0].clone(), ..usulan_form("Betonisasi jalan") };
    let usulan_id = store.add_usulan(&meeting_id, &usulan_form).unwrap().id;

    // Without a list, the laptop's stays; the bytes carry no `opd` at all.
    let without = Signed::sign(&answers(5, vec![]), &key);
    assert!(!without.body.contains("\"opd\""), "{}", without.body);
    store.save_answers(&without, &office, DEVICE).unwrap();
    assert_eq!(names(), seeded);

    for broken in [list(&["Dinas Sosial", "DINAS SOSIAL"]), list(&[" Dinas Sosial"]), list(&[""]), list(&[])] {
        let refused = Answers { opd: broken.clone(), ..answers(6, vec![]) };
        assert!(store.save_answers(&Signed::sign(&refused, &key), &office, DEVICE).is_err(), "{broken:?}");
        assert_eq!(names(), seeded, "nothing of refused answers is kept");
    }
    assert_eq!(count(&dir, "SELECT serial FROM office_answers"), 5);

    let office_list = Answers { opd: list(&["Dinas Sosial", "Dinas Kesehatan"]), ..answers(7, vec![]) };
    store.save_answers(&Signed::sign(&office_list, &key), &office, DEVICE).unwrap();
    assert_eq!(names(), ["Dinas Kesehatan", "Dinas Sosial"]);
    let kept = store.usulan_list(&meeting_id).unwrap();
    assert_eq!(kept.iter().find(|u| u.id == usulan_id).unwrap().opd_tujuan.as_deref(), Some(seeded[0].as_str()));

    let older = Answers { opd: list(&["Dinas Lama"]), ..answers(6, vec![]) };
    assert_eq!(
        store.save_answers(&Signed::sign(&older, &key), &office, DEVICE).unwrap(),
        AnswersSaved::NotNewer { held_serial: 7 }
    );
    assert_eq!(names(), ["Dinas Kesehatan", "Dinas Sosial"]);
}

#[test]
fn the_office_s_women_target_and_delegate_range_replace_the_laptop_s_in_newer_answers_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let key = office_key();
    let office = office(&key);
    let stage = || {
        let recording = store.settings().unwrap().recording;
        (recording.women_target_percent, recording.delegates_min, recording.delegates_max)
    };
    let before = store.settings().unwrap().recording;
    let without = Signed::sign(&answers(5, vec![]), &key);
    assert!(!without.body.contains("women_target_percent") && !without.body.contains("delegates"));
    store.save_answers(&without, &office, DEVICE).unwrap();
    assert_eq!(store.settings().unwrap().recording, before, "answers without them change nothing");

    let range = |min, max| Some(DelegateRange { min, max });
    for (percent, delegates) in [(Some(101), None), (None, range(4, 3)), (None, range(0, 3)), (None, range(1, 21))] {
        let refused = Answers { women_target_percent: percent, delegates, ..answers(6, vec![]) };
        assert!(
            store.save_answers(&Signed::sign(&refused, &key), &office, DEVICE).is_err(),
            "{percent:?} {delegates:?}"
        );
    }
    assert_eq!(store.settings().unwrap().recording, before);

    let set = Answers { women_target_percent: Some(40), delegates: range(3, 7), ..answers(7, vec![]) };
    store.save_answers(&Signed::sign(&set, &key), &office, DEVICE).unwrap();
    assert_eq!(stage(), (40, 3, 7));
    assert_eq!(store.settings().unwrap().recording.unsur, before.unsur, "the rest stays");

    let older = Answers { women_target_percent: Some(50), ..answers(6, vec![]) };
    store.save_answers(&Signed::sign(&older, &key), &office, DEVICE).unwrap();
    let only_target = Answers { women_target_percent: Some(35), ..answers(8, vec![]) };
    store.save_answers(&Signed::sign(&only_target, &key), &office, DEVICE).unwrap();
    assert_eq!(stage(), (35, 3, 7), "an older serial changed nothing; an absent range keeps the held one");
}
