//! The kelurahan laptop's roster rules, through real sealed bundles imported
//! into real data folders: which devices the office's signed roster vouches
//! for, the cadre's confirmation of the others, and which corrections may
//! replace the revision they name. A key outside the roster cannot hide a
//! genuine RW result behind a "correction".

mod common;

use std::path::{Path, PathBuf};

use common::{Parts, locked_meeting, write};
use ed25519_dalek::SigningKey;
use rembug_bundle::import_file;
use rembug_core::consolidation::{Consolidation, RwSource};
use rembug_core::device::DeviceIdentity;
use rembug_core::imported::{Correction, CorrectionRefusal, DeviceTrust, ImportedMeeting};
use rembug_core::store::RosterSaved;
use rembug_core::trust::{OfficeIdentity, Roster, RosterDevice, Signed};
use rembug_core::{DataDir, Store};

const MELONG: &str = "32.77.01.1001";

fn office_key() -> SigningKey {
    SigningKey::from_bytes(&[21; 32])
}

fn office() -> OfficeIdentity {
    OfficeIdentity::new("Bappelitbangda", "Kota Cimahi", &office_key().verifying_key().to_bytes(), &[9; 32])
}

/// A device key of its own, as another laptop has.
fn another_device(root: &Path, name: &str) -> DeviceIdentity {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    DeviceIdentity::load_or_create(&dir).unwrap()
}

fn enrolled(device: &DeviceIdentity, rw: Option<u16>, revoked: bool) -> RosterDevice {
    RosterDevice {
        device_id: device.device_id(),
        public_key: rembug_core::hex::encode(&device.public_key()),
        fingerprint: device.fingerprint(),
        rw,
        revoked_at: revoked.then(|| "2026-12-06T08:00:00Z".to_owned()),
    }
}

fn roster(serial: u64, devices: Vec<RosterDevice>) -> Roster {
    Roster { kelurahan_code: MELONG.into(), issued_at: "2026-12-07T01:00:00Z".into(), serial, devices }
}

/// The kelurahan cadre's laptop, fresh.
fn cadre(root: &Path, name: &str) -> Store {
    DataDir::open(&root.join(name)).unwrap().open_store().unwrap()
}

fn keep_roster(store: &Store, roster: &Roster) {
    let saved = store.save_roster(&Signed::sign(roster, &office_key()), &office()).unwrap();
    assert_eq!(saved, RosterSaved::Stored { serial: roster.serial });
}

fn imported(store: &Store, bundle: &Path) -> ImportedMeeting {
    let sha256 = import_file(store, bundle).unwrap().meeting().bundle_sha256.clone();
    store.imported_meetings().unwrap().into_iter().find(|meeting| meeting.bundle_sha256 == sha256).unwrap()
}

fn consolidation(store: &Store) -> Consolidation {
    store.consolidation(MELONG, 2027).unwrap()
}

/// RW 5's status: the merged source's bundle, then the unconfirmed and the
/// refused corrections' bundles.
fn rw5_status(store: &Store) -> (Option<String>, Vec<String>, Vec<String>) {
    let status = consolidation(store).rws.into_iter().find(|status| status.rw == 5).unwrap();
    let bundle = |source: &RwSource| match source {
        RwSource::Imported { bundle_sha256, .. } => bundle_sha256.clone(),
        RwSource::Local { meeting_id, .. } => panic!("RW 5 is not recorded here: {meeting_id}"),
    };
    (
        status.source.as_ref().map(bundle),
        status.unconfirmed.iter().map(bundle).collect(),
        status.refused_corrections.iter().map(bundle).collect(),
    )
}

/// RW 5's laptop with its locked Rembug Warga (revision 1) sealed, and a
/// correction (revision 2, one usulan dropped) locked, not yet sealed.
struct Rw5 {
    fixture: common::Fixture,
    device: DeviceIdentity,
    first: PathBuf,
    first_sha256: String,
    correction_id: String,
}

impl Rw5 {
    fn new() -> Rw5 {
        let fixture = locked_meeting();
        let device = fixture.device();
        let first = fixture.dir.path().join("rw5-r1.rembug");
        let first_sha256 =
            rembug_bundle::seal(&fixture.store, &device, &fixture.meeting_id, None, &first).unwrap().sha256;
        let correction_id = fixture.store.revise_meeting(&fixture.meeting_id, "Usulan kedua batal").unwrap().id;
        let usulan = fixture.store.usulan_list(&correction_id).unwrap();
        fixture.store.delete_usulan(&usulan[1].id).unwrap();
        fixture.store.lock_meeting(&correction_id).unwrap();
        Rw5 { fixture, device, first, first_sha256, correction_id }
    }

    fn root(&self) -> &Path {
        self.fixture.dir.path()
    }

    /// The correction sealed with `device`'s key.
    fn correction_signed_by(&self, device: &DeviceIdentity, name: &str) -> PathBuf {
        let out = self.root().join(name);
        rembug_bundle::seal(&self.fixture.store, device, &self.correction_id, None, &out).unwrap();
        out
    }
}

#[test]
fn a_bundle_is_registered_unknown_of_another_rw_or_revoked_as_the_roster_of_its_kelurahan_says() {
    let rw5 = Rw5::new();
    let root = rw5.root();
    let stranger = another_device(root, "stranger");
    let cases: [(&str, Option<Vec<RosterDevice>>, DeviceTrust); 6] = [
        ("no-roster", None, DeviceTrust::Unknown),
        ("not-on-it", Some(vec![enrolled(&stranger, Some(5), false)]), DeviceTrust::Unknown),
        ("rw5", Some(vec![enrolled(&rw5.device, Some(5), false)]), DeviceTrust::Registered),
        ("kelurahan", Some(vec![enrolled(&rw5.device, None, false)]), DeviceTrust::Registered),
        ("rw3", Some(vec![enrolled(&rw5.device, Some(3), false)]), DeviceTrust::OtherRw),
        ("revoked", Some(vec![enrolled(&rw5.device, Some(5), true)]), DeviceTrust::Revoked),
    ];
    for (name, devices, expected) in cases {
        let store = cadre(root, name);
        if let Some(devices) = devices {
            keep_roster(&store, &roster(1, devices));
        }
        let meeting = imported(&store, &rw5.first);
        assert_eq!(meeting.trust.device, expected, "{name}");
        assert_eq!(meeting.trust.confirmed_at, None, "{name}");
        let counted = rw5_status(&store).0.is_some();
        assert_eq!(counted, expected == DeviceTrust::Registered, "{name}: only a registered device counts");
        assert_eq!(store.imported_meeting(&meeting.bundle_sha256).unwrap().meeting.trust, meeting.trust);
    }
}

#[test]
fn the_cadre_confirms_an_unknown_bundle_and_confirms_again_once_the_roster_revokes_its_device() {
    let rw5 = Rw5::new();
    let store = cadre(rw5.root(), "kelurahan");
    let first = imported(&store, &rw5.first);
    assert_eq!(rw5_status(&store), (None, vec![first.bundle_sha256.clone()], vec![]));
    assert_eq!(consolidation(&store).missing_rws, [5], "RW 5 has no merged result yet");

    let confirmed = store.confirm_imported(&first.bundle_sha256).unwrap();
    assert_eq!(confirmed.trust.device, DeviceTrust::Unknown);
    let confirmed_at = confirmed.trust.confirmed_at.clone().expect("confirmed");
    assert_eq!(rw5_status(&store), (Some(first.bundle_sha256.clone()), vec![], vec![]));
    // Confirming again changes nothing.
    assert_eq!(store.confirm_imported(&first.bundle_sha256).unwrap().trust.confirmed_at, Some(confirmed_at));

    // The office revokes the RW laptop: the confirmation was for an unknown
    // device, so the result waits again for the cadre.
    keep_roster(&store, &roster(1, vec![enrolled(&rw5.device, Some(5), true)]));
    assert_eq!(rw5_status(&store), (None, vec![first.bundle_sha256.clone()], vec![]));
    assert_eq!(store.confirm_imported(&first.bundle_sha256).unwrap().trust.device, DeviceTrust::Revoked);
    assert_eq!(rw5_status(&store).0, Some(first.bundle_sha256.clone()));

    // A registered device needs no confirmation; none is stored.
    let other = cadre(rw5.root(), "registered");
    keep_roster(&other, &roster(1, vec![enrolled(&rw5.device, Some(5), false)]));
    let registered = imported(&other, &rw5.first);
    assert_eq!(other.confirm_imported(&registered.bundle_sha256).unwrap().trust.confirmed_at, None);
    assert_eq!(other.confirm_imported(&"0".repeat(64)).unwrap_err().code(), "not_found");
}

#[test]
fn a_correction_signed_by_a_key_outside_the_roster_does_not_hide_the_genuine_rw_result() {
    let rw5 = Rw5::new();
    let forger = another_device(rw5.root(), "forger");
    let forged = rw5.correction_signed_by(&forger, "forged.rembug");
    for (name, roster_held) in [("enrolled", true), ("never-enrolled", false)] {
        let store = cadre(rw5.root(), name);
        if roster_held {
            keep_roster(&store, &roster(3, vec![enrolled(&rw5.device, Some(5), false)]));
        }
        imported(&store, &rw5.first);
        if !roster_held {
            store.confirm_imported(&rw5.first_sha256).unwrap();
        }
        let correction = imported(&store, &forged);
        assert_eq!(correction.correction, Some(Correction::Refused { reason: CorrectionRefusal::OtherDevice }));
        // Not even the cadre's confirmation of the forger's key lets it replace.
        store.confirm_imported(&correction.bundle_sha256).unwrap();
        assert_eq!(
            rw5_status(&store),
            (Some(rw5.first_sha256.clone()), vec![], vec![correction.bundle_sha256.clone()])
        );
        let genuine = store.imported_meeting(&rw5.first_sha256).unwrap().meeting;
        assert_eq!(genuine.superseded_by, None, "{name}");
        assert_eq!(consolidation(&store).usulan_count, 2, "{name}: the genuine result's two usulan");
    }
}

#[test]
fn a_correction_from_the_same_device_or_another_one_enrolled_for_the_rw_replaces_the_revision() {
    let rw5 = Rw5::new();
    let second_rw5_laptop = another_device(rw5.root(), "rw5-second");
    let same = rw5.correction_signed_by(&rw5.device, "same.rembug");
    let other = rw5.correction_signed_by(&second_rw5_laptop, "other.rembug");
    let roster_devices = vec![enrolled(&rw5.device, Some(5), false), enrolled(&second_rw5_laptop, Some(5), false)];
    for (name, bundle) in [("same", &same), ("other", &other)] {
        let store = cadre(rw5.root(), name);
        keep_roster(&store, &roster(1, roster_devices.clone()));
        imported(&store, &rw5.first);
        let correction = imported(&store, bundle);
        assert_eq!(correction.correction, Some(Correction::Accepted { replaces: rw5.first_sha256.clone() }));
        assert_eq!(correction.trust.device, DeviceTrust::Registered);
        let first = store.imported_meeting(&rw5.first_sha256).unwrap().meeting;
        assert_eq!(first.superseded_by, Some(correction.bundle_sha256.clone()), "{name}");
        assert_eq!(rw5_status(&store), (Some(correction.bundle_sha256.clone()), vec![], vec![]), "{name}");
        assert_eq!(consolidation(&store).usulan_count, 1, "{name}: the correction dropped one usulan");
    }

    // A device enrolled for RW 3 is not enrolled for RW 5's results.
    let store = cadre(rw5.root(), "rw3-device");
    keep_roster(
        &store,
        &roster(1, vec![enrolled(&rw5.device, Some(5), false), enrolled(&second_rw5_laptop, Some(3), false)]),
    );
    imported(&store, &rw5.first);
    let refused = imported(&store, &other);
    assert_eq!(refused.correction, Some(Correction::Refused { reason: CorrectionRefusal::OtherDevice }));
    assert_eq!(rw5_status(&store), (Some(rw5.first_sha256.clone()), vec![], vec![refused.bundle_sha256]));

    // With no roster, only the same device's correction replaces.
    let store = cadre(rw5.root(), "no-roster");
    imported(&store, &rw5.first);
    assert!(matches!(imported(&store, &same).correction, Some(Correction::Accepted { .. })));
}

#[test]
fn a_correction_with_the_wrong_revision_number_or_content_hash_is_refused_even_from_the_same_device() {
    let rw5 = Rw5::new();
    let genuine = std::fs::read(rw5.correction_signed_by(&rw5.device, "same.rembug")).unwrap();
    let mut skipped = Parts::of(&genuine);
    skipped.edit_meeting(&rw5.device, |meeting| meeting["meeting"]["revision"] = 3.into());
    let mut manifest = skipped.manifest();
    manifest["revision"] = 3.into();
    skipped.set_manifest(&manifest, &rw5.device);
    let mut wrong_hash = Parts::of(&genuine);
    let mut manifest = wrong_hash.manifest();
    manifest["supersedes"]["content_hash"] = "e".repeat(64).into();
    wrong_hash.set_manifest(&manifest, &rw5.device);
    let cases = [
        ("revision-3", skipped.zip(), CorrectionRefusal::RevisionNotNext),
        ("wrong-hash", wrong_hash.zip(), CorrectionRefusal::ContentHashMismatch),
    ];
    for (name, bytes, reason) in cases {
        let store = cadre(rw5.root(), name);
        keep_roster(&store, &roster(1, vec![enrolled(&rw5.device, Some(5), false)]));
        imported(&store, &rw5.first);
        let bundle = write(rw5.root(), &format!("{name}.rembug"), &bytes);
        let correction = imported(&store, &bundle);
        assert_eq!(correction.correction, Some(Correction::Refused { reason }), "{name}");
        assert_eq!(
            rw5_status(&store),
            (Some(rw5.first_sha256.clone()), vec![], vec![correction.bundle_sha256]),
            "{name}"
        );
    }
}

#[test]
fn a_roster_with_a_bad_signature_or_an_older_serial_is_not_stored() {
    let root = tempfile::tempdir().unwrap();
    let store = cadre(root.path(), "kelurahan");
    let device = another_device(root.path(), "rw5");
    let newer = roster(7, vec![enrolled(&device, Some(5), false)]);

    let by_stranger = Signed::sign(&newer, &SigningKey::from_bytes(&[22; 32]));
    assert_eq!(store.save_roster(&by_stranger, &office()).unwrap_err().code(), "office_document_invalid");
    let mut changed = Signed::sign(&newer, &office_key());
    changed.body = changed.body.replace("\"rw\":5", "\"rw\":6");
    assert_eq!(store.save_roster(&changed, &office()).unwrap_err().code(), "office_document_invalid");
    let mut wrong_fingerprint = newer.clone();
    wrong_fingerprint.devices[0].fingerprint = "0000-0000-0000-0000".into();
    let wrong_fingerprint = Signed::sign(&wrong_fingerprint, &office_key());
    assert_eq!(store.save_roster(&wrong_fingerprint, &office()).unwrap_err().code(), "office_document_invalid");
    assert_eq!(store.roster(MELONG).unwrap(), None);

    keep_roster(&store, &newer);
    let older = roster(6, vec![]);
    assert_eq!(
        store.save_roster(&Signed::sign(&older, &office_key()), &office()).unwrap(),
        RosterSaved::NotNewer { held_serial: 7 }
    );
    let same_serial = roster(7, vec![]);
    assert_eq!(
        store.save_roster(&Signed::sign(&same_serial, &office_key()), &office()).unwrap(),
        RosterSaved::NotNewer { held_serial: 7 }
    );
    let held = store.roster(MELONG).unwrap().unwrap();
    assert_eq!(held.roster, newer);
    assert_eq!(held.office_key_id, office().key_id);
    // Kept as signed, so it checks again with the office key.
    assert_eq!(held.signed.open::<Roster>(&office_key().verifying_key()).unwrap(), newer);

    keep_roster(&store, &roster(8, vec![]));
    assert_eq!(store.roster(MELONG).unwrap().unwrap().roster.serial, 8);
    assert_eq!(store.roster("32.77.01.1002").unwrap(), None);
}
