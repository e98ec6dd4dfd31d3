//! Signed pages reach the office (`docs/bundle-format.md`, section 10): the
//! device's real engine sends them after their revision, once, with a
//! receipt; the office refuses pages of a revision it does not hold, pages
//! sealed by another device, and a tampered photo, storing nothing; a
//! refused send backs off as a refused bundle does.

#[path = "../../rembug-bundle/tests/common/mod.rs"]
mod bundle;
mod support;

use std::io::Cursor;
use std::sync::Arc;

use bundle::{Fixture, Parts, locked_meeting, png};
use rembug_bundle::signed_pages::{PagesManifest, pages_bundle_id};
use rembug_core::device::DeviceIdentity;
use rembug_core::hex;
use rembug_core::sending::SendState;
use rembug_core::signed_pages::PageKind;
use rembug_sync::enroll::enroll_online;
use rembug_sync::outbox::{Outcome, RoundOptions, RoundReport, sync_round};
use support::{TestOffice, deliver, new_device, refusal};

fn add_page(fixture: &Fixture, kind: PageKind, seed: u32) {
    fixture.store.add_signed_page(&fixture.meeting_id, kind, Cursor::new(png(seed)), "image/png").unwrap();
}

fn enrolled(office: &TestOffice, fixture: &Fixture) -> Arc<DeviceIdentity> {
    let device = Arc::new(fixture.device());
    let code = office.code(Some(5));
    enroll_online(&fixture.store, &fixture.data_path(), device.clone(), &office.url, code.as_str(), &mut |_| false)
        .unwrap();
    device
}

fn round(fixture: &Fixture, device: &Arc<DeviceIdentity>) -> RoundReport {
    sync_round(&fixture.store, device.clone(), RoundOptions { force: false, quick_tries: 3 }, &mut |_| {}).unwrap()
}

fn sealed_pages(fixture: &Fixture, name: &str) -> Vec<u8> {
    let out = fixture.dir.path().join(name);
    rembug_bundle::seal_signed_pages(&fixture.store, &fixture.device(), &fixture.meeting_id, None, &out).unwrap();
    std::fs::read(out).unwrap()
}

#[test]
fn signed_pages_are_sent_after_their_revision_and_held_once() {
    let office = TestOffice::start();
    let fixture = locked_meeting();
    add_page(&fixture, PageKind::BeritaAcara, 70);
    add_page(&fixture, PageKind::DaftarHadir, 71);
    let device = enrolled(&office, &fixture);

    let first = round(&fixture, &device);
    assert!(matches!(first.outcomes[0].outcome, Outcome::Delivered { new: true, .. }));
    assert_eq!(first.signed_pages.len(), 1);
    assert!(matches!(first.signed_pages[0].outcome, Outcome::Delivered { new: true, .. }), "{:?}", first.signed_pages);
    let sending = fixture.store.signed_pages_sending(&fixture.meeting_id).unwrap();
    assert_eq!((sending.page_count, sending.delivered_count), (2, 2));
    assert!(sending.delivered_at.is_some());

    let admin = office.admin();
    let revision = admin.store.bundles().unwrap().remove(0);
    let held = admin.store.signed_pages_of(&revision.sha256).unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!((held[0].page_count, held[0].device.as_str()), (2, device.device_id().as_str()));
    assert!(office.files("bundles").contains(&format!("{}.rembug", held[0].sha256)));
    // Sealed to the office's key: the daftar hadir's page is not readable in it.
    let file = std::fs::read(office.dir.path().join("bundles").join(format!("{}.rembug", held[0].sha256))).unwrap();
    let daftar_hadir = png(71);
    assert!(!file.windows(daftar_hadir.len()).any(|window| window == daftar_hadir));

    // Nothing new: nothing sent again.
    assert!(round(&fixture, &device).signed_pages.is_empty());
    assert_eq!(office.admin().store.signed_pages_of(&revision.sha256).unwrap().len(), 1);

    // A page photographed later goes in a second bundle holding all three.
    add_page(&fixture, PageKind::DaftarUsulan, 72);
    let later = round(&fixture, &device);
    assert!(matches!(later.signed_pages[0].outcome, Outcome::Delivered { new: true, .. }));
    let held = office.admin().store.signed_pages_of(&revision.sha256).unwrap();
    assert_eq!(held.iter().map(|pages| pages.page_count).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(fixture.store.signed_pages_sending(&fixture.meeting_id).unwrap().delivered_count, 3);
    assert!(office.files("uploads").is_empty());
}

#[test]
fn pages_of_an_unknown_revision_another_device_or_a_tampered_photo_are_refused() {
    let office = TestOffice::start();
    let fixture = locked_meeting();
    add_page(&fixture, PageKind::BeritaAcara, 70);
    let pages = sealed_pages(&fixture, "halaman.rembug");
    let (_, meeting) = fixture.seal(None, "rapat.rembug");
    let client = office.enrolled(fixture.device(), Some(5));

    // Before the revision: refused, nothing kept; the device sends it later.
    assert_eq!(refusal(deliver(&client, &pages)), (409, "revision_unknown".into()));
    deliver(&client, &meeting).unwrap();
    assert_eq!(office.files("bundles").len(), 1);

    // A photo changed by one byte.
    let mut parts = Parts::of(&pages);
    let photo = parts.entries[0].name.clone();
    let data = &mut parts.get(std::str::from_utf8(&photo).unwrap()).data;
    let last = data.len() - 1;
    data[last] ^= 1;
    assert_eq!(refusal(deliver(&client, &parts.zip())), (422, "hash_mismatch".into()));

    // Sealed (and signed) by another device enrolled for the same RW.
    let (stranger_dir, stranger) = new_device();
    let mut parts = Parts::of(&pages);
    let mut manifest: PagesManifest = serde_json::from_slice(&parts.get("manifest.json").data).unwrap();
    manifest.device.id = stranger.device_id();
    manifest.device.public_key = hex::encode(&stranger.public_key());
    manifest.device.fingerprint = stranger.fingerprint();
    manifest.bundle_id = pages_bundle_id(&manifest.content_hash, &manifest.device.id, &manifest.pages);
    let bytes = serde_json::to_vec(&manifest).unwrap();
    parts.get("manifest.sig").data = stranger.sign(&bytes).to_vec();
    parts.get("manifest.json").data = bytes;
    let stranger = office.enrolled(DeviceIdentity::load_or_create(stranger_dir.path()).unwrap(), Some(5));
    assert_eq!(refusal(deliver(&stranger, &parts.zip())), (403, "not_own_bundle".into()));
    // Nor may it send the owner's pages as its own.
    assert_eq!(refusal(deliver(&stranger, &pages)), (403, "not_own_bundle".into()));

    let revision = office.admin().store.bundles().unwrap().remove(0);
    assert!(office.admin().store.signed_pages_of(&revision.sha256).unwrap().is_empty());
    assert_eq!(office.files("bundles").len(), 1, "only the meeting's bundle");
    assert!(office.files("uploads").is_empty(), "refused uploads are discarded");

    // The real one, twice: held once, the same receipt.
    let first = deliver(&client, &pages).unwrap();
    let again = deliver(&client, &pages).unwrap();
    assert!(first.new && !again.new);
    assert_eq!(again.receipt, first.receipt);
    assert_eq!(office.admin().store.signed_pages_of(&revision.sha256).unwrap().len(), 1);
}

#[test]
fn a_refused_photo_send_backs_off_like_a_refused_bundle_until_the_cadre_asks() {
    let office = TestOffice::start();
    let fixture = locked_meeting();
    let device = enrolled(&office, &fixture);
    assert!(matches!(round(&fixture, &device).outcomes[0].outcome, Outcome::Delivered { new: true, .. }));
    office.admin().revoke(&device.device_id()).unwrap().unwrap();
    add_page(&fixture, PageKind::BeritaAcara, 73);

    let refused = round(&fixture, &device);
    assert_eq!(refused.signed_pages.len(), 1);
    assert!(matches!(&refused.signed_pages[0].outcome, Outcome::Refused { code } if code == "device_revoked"));
    let sending = fixture.store.signed_pages_sending(&fixture.meeting_id).unwrap();
    assert_eq!((sending.state, sending.attempts), (SendState::Refused, 1));
    assert_eq!(sending.last_error.as_deref(), Some("device_revoked"));
    // The next rounds leave it, as they leave a refused bundle.
    assert!(round(&fixture, &device).signed_pages.is_empty());
    assert!(round(&fixture, &device).signed_pages.is_empty());
    // "Kirim sekarang" (and `rembug sync`) tries it again.
    let options = RoundOptions { force: true, quick_tries: 3 };
    let forced = sync_round(&fixture.store, device.clone(), options, &mut |_| {}).unwrap();
    assert!(matches!(&forced.signed_pages[0].outcome, Outcome::Refused { code } if code == "device_revoked"));
    assert_eq!(fixture.store.signed_pages_sending(&fixture.meeting_id).unwrap().attempts, 2);
    assert!(office.files("uploads").is_empty());
}
