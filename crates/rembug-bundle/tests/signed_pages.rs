//! Signed-pages bundles (`docs/bundle-format.md`, section 10): the photos of
//! a locked meeting's signed papers, sealed by the device that locked it,
//! verified, and imported at a kelurahan laptop beside the revision.

mod common;

use std::io::Cursor;

use common::{Fixture, Parts, locked_meeting, png, write};
use rembug_bundle::crypto::office_key_pair;
use rembug_bundle::signed_pages::{PagesManifest, pages_bundle_id};
use rembug_bundle::{
    BundleError, import_any_file, import_file, import_signed_pages_file, seal_signed_pages, verify_file,
    verify_signed_pages_file,
};
use rembug_core::device::DeviceIdentity;
use rembug_core::signed_pages::PageKind;
use rembug_core::{CoreError, DataDir, Store};

/// A locked meeting with a photo of each signed paper (two of the daftar hadir).
fn with_pages() -> Fixture {
    let fixture = locked_meeting();
    for (kind, seed) in [
        (PageKind::BeritaAcara, 70),
        (PageKind::DaftarHadir, 71),
        (PageKind::DaftarHadir, 72),
        (PageKind::DaftarUsulan, 73),
    ] {
        fixture.store.add_signed_page(&fixture.meeting_id, kind, Cursor::new(png(seed)), "image/png").unwrap();
    }
    fixture
}

fn seal_pages(fixture: &Fixture, office_key: Option<[u8; 32]>, name: &str) -> (std::path::PathBuf, Vec<u8>) {
    let out = fixture.dir.path().join(name);
    seal_signed_pages(&fixture.store, &fixture.device(), &fixture.meeting_id, office_key, &out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    (out, bytes)
}

fn other_folder(fixture: &Fixture, name: &str) -> Store {
    DataDir::open(&fixture.dir.path().join(name)).unwrap().open_store().unwrap()
}

fn signed_with(parts: &mut Parts, device: &DeviceIdentity) {
    let mut manifest: PagesManifest = serde_json::from_slice(&parts.get("manifest.json").data).unwrap();
    manifest.device.id = device.device_id();
    manifest.device.public_key = rembug_core::hex::encode(&device.public_key());
    manifest.device.fingerprint = device.fingerprint();
    manifest.bundle_id = pages_bundle_id(&manifest.content_hash, &manifest.device.id, &manifest.pages);
    let bytes = serde_json::to_vec(&manifest).unwrap();
    parts.get("manifest.sig").data = device.sign(&bytes).to_vec();
    parts.get("manifest.json").data = bytes;
}

#[test]
fn pages_are_added_only_to_a_locked_meeting_and_never_changed() {
    let fixture = with_pages();
    let pages = fixture.store.signed_pages(&fixture.meeting_id).unwrap();
    let kinds: Vec<(PageKind, u32)> = pages.iter().map(|page| (page.kind, page.position)).collect();
    assert_eq!(
        kinds,
        [
            (PageKind::BeritaAcara, 1),
            (PageKind::DaftarHadir, 1),
            (PageKind::DaftarHadir, 2),
            (PageKind::DaftarUsulan, 1)
        ]
    );
    // The same photo twice, a file that is no photo, a draft: refused.
    let again =
        fixture.store.add_signed_page(&fixture.meeting_id, PageKind::BeritaAcara, Cursor::new(png(70)), "image/png");
    assert_eq!(again.unwrap_err().field_errors()[0].code, "page_duplicate");
    let text = fixture.store.add_signed_page(&fixture.meeting_id, PageKind::BeritaAcara, &b"%PDF-1.7"[..], "image/png");
    assert_eq!(text.unwrap_err().field_errors()[0].code, "image_invalid");
    let draft = fixture.store.create_meeting(&common::meeting_form()).unwrap();
    let refused = fixture.store.add_signed_page(&draft.id, PageKind::BeritaAcara, Cursor::new(png(74)), "image/png");
    assert!(matches!(refused, Err(CoreError::MeetingNotLocked)), "{refused:?}");
    // The locked record is what it was: the pages are beside it.
    let (_, session) = fixture.seal(None, "session.rembug");
    assert_eq!(session, fixture.seal(None, "again.rembug").1);
    // The schema refuses a draft's page, an update and a delete too.
    let conn = rusqlite::Connection::open(fixture.data_path().join("rembug.sqlite3")).unwrap();
    let sha256 = &pages[0].sha256;
    for sql in [
        format!("INSERT INTO signed_page VALUES ('{}', 'berita_acara', 9, '{sha256}', 'x')", draft.id),
        "UPDATE signed_page SET position = 5".to_owned(),
        "DELETE FROM signed_page".to_owned(),
    ] {
        assert!(conn.execute(&sql, []).is_err(), "{sql}");
    }
    assert_eq!(fixture.store.signed_pages(&fixture.meeting_id).unwrap(), pages);
}

#[test]
fn seals_the_same_bytes_and_verifies_with_the_revision_it_names() {
    let fixture = with_pages();
    let (out, first) = seal_pages(&fixture, None, "pages.rembug");
    let (_, second) = seal_pages(&fixture, None, "pages-again.rembug");
    assert_eq!(first, second);
    let verified = verify_signed_pages_file(&out).unwrap();
    let manifest = &verified.manifest;
    let (session, _) = fixture.seal(None, "session.rembug");
    assert_eq!(manifest.content_hash, session.manifest.content_hash);
    assert_eq!(manifest.meeting_id, fixture.meeting_id);
    assert_eq!(manifest.device, session.manifest.device);
    assert_eq!(manifest.pages.len(), 4);
    assert!(!manifest.personal.encrypted);
    assert!(manifest.pages.iter().all(|page| page.path.starts_with("attachments/")));
    // A reader of session bundles refuses it rather than misreading it.
    assert_eq!(verify_file(&out).unwrap_err().code(), "manifest_invalid");
    // A meeting with no page has nothing to seal.
    let bare = locked_meeting();
    let out = bare.dir.path().join("none.rembug");
    let none = seal_signed_pages(&bare.store, &bare.device(), &bare.meeting_id, None, &out);
    assert!(matches!(none, Err(BundleError::NoSignedPages)), "{none:?}");
}

#[test]
fn the_daftar_hadir_travels_encrypted_to_the_office() {
    let fixture = with_pages();
    let (office_secret, office_public) = office_key_pair([7; 32]);
    let (out, bytes) = seal_pages(&fixture, Some(office_public), "pages.rembug");
    let verified = verify_signed_pages_file(&out).unwrap();
    assert!(verified.manifest.personal.encrypted);
    let paths: Vec<&str> = verified.manifest.pages.iter().map(|page| page.path.as_str()).collect();
    assert_eq!(&paths[2..], ["personal/0001.enc", "personal/0002.enc"]);
    let daftar_hadir = png(71);
    assert!(!bytes.windows(daftar_hadir.len()).any(|window| window == daftar_hadir));
    let page = verified.manifest.pages.iter().find(|page| page.path == "personal/0001.enc").unwrap();
    let mut plain = Vec::new();
    let mut reader = rembug_bundle::signed_pages::open_pages_file(&out).unwrap();
    verified.read_page(&mut reader, page, Some(office_secret), &mut plain).unwrap();
    assert_eq!(plain, daftar_hadir);
    let refused = verified.read_page(&mut reader, page, None, &mut Vec::new());
    assert!(matches!(refused, Err(BundleError::OfficeKeyNeeded)));
}

#[test]
fn a_tampered_photo_or_manifest_is_refused() {
    let fixture = with_pages();
    let (out, bytes) = seal_pages(&fixture, None, "pages.rembug");
    let manifest = verify_signed_pages_file(&out).unwrap().manifest;
    let photo = manifest.pages[0].path.clone();

    let mut parts = Parts::of(&bytes);
    let data = &mut parts.get(&photo).data;
    let last = data.len() - 1;
    data[last] ^= 1;
    let path = write(fixture.dir.path(), "tampered.rembug", &parts.zip());
    assert_eq!(verify_signed_pages_file(&path).unwrap_err().code(), "hash_mismatch");

    // Another page's bytes listed under a photo's name, re-signed by the
    // device itself: the manifest's hashes still do not match.
    let mut parts = Parts::of(&bytes);
    let mut edited: PagesManifest = serde_json::from_slice(&parts.get("manifest.json").data).unwrap();
    edited.content_hash = "0".repeat(64);
    let edited = serde_json::to_vec(&edited).unwrap();
    parts.get("manifest.json").data = edited;
    let path = write(fixture.dir.path(), "unsigned.rembug", &parts.zip());
    assert_eq!(verify_signed_pages_file(&path).unwrap_err().code(), "signature_invalid");

    // A text file posing as a photo, hashed and signed properly.
    let mut parts = Parts::of(&bytes);
    let mut edited: PagesManifest = serde_json::from_slice(&parts.get("manifest.json").data).unwrap();
    let fake = b"not a photo at all".to_vec();
    let sha256 = rembug_core::hex::sha256_hex(&fake);
    let index = parts.entries.iter().position(|entry| entry.name == photo.as_bytes()).unwrap();
    parts.entries.remove(index);
    edited.pages.retain(|page| page.path != photo);
    let new_page = rembug_bundle::signed_pages::PageFile {
        kind: PageKind::BeritaAcara,
        position: 1,
        media_type: "image/png".into(),
        path: format!("attachments/{sha256}"),
        sha256: sha256.clone(),
        size: fake.len() as u64,
    };
    edited.pages.push(new_page);
    edited.pages.sort_by(|a, b| a.path.cmp(&b.path));
    let mut entries: Vec<_> = parts.entries.drain(..).filter(|entry| entry.name.starts_with(b"attachments/")).collect();
    entries.push(common::RawEntry::file(&format!("attachments/{sha256}"), &fake));
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let device = fixture.device();
    edited.bundle_id = pages_bundle_id(&edited.content_hash, &edited.device.id, &edited.pages);
    let manifest_bytes = serde_json::to_vec(&edited).unwrap();
    entries.push(common::RawEntry::file("manifest.json", &manifest_bytes));
    entries.push(common::RawEntry::file("manifest.sig", &device.sign(&manifest_bytes)));
    let path = write(fixture.dir.path(), "fake.rembug", &common::raw_zip(&entries));
    assert_eq!(verify_signed_pages_file(&path).unwrap_err().code(), "page_invalid");
}

#[test]
fn a_kelurahan_laptop_keeps_the_public_pages_beside_the_imported_revision() {
    let fixture = with_pages();
    let (session, _) = fixture.seal(None, "session.rembug");
    let (pages, _) = seal_pages(&fixture, None, "pages.rembug");
    let kelurahan = other_folder(&fixture, "kelurahan");

    // Before its revision: refused, nothing kept.
    let early = import_signed_pages_file(&kelurahan, &pages);
    assert!(matches!(early, Err(BundleError::Core(CoreError::SignedPagesRevisionUnknown))), "{early:?}");
    let attachments = fixture.dir.path().join("kelurahan/attachments");
    let files = || std::fs::read_dir(&attachments).map(|dir| dir.count()).unwrap_or(0);
    assert_eq!(files(), 0);

    import_file(&kelurahan, &session.path).unwrap();
    let before = files();
    let report = import_any_file(&kelurahan, &pages).unwrap();
    let imported = report.signed_pages.unwrap();
    assert_eq!((imported.added, imported.personal_skipped), (2, 2));
    assert!(!report.already_imported);
    assert_eq!(report.meeting.bundle_sha256, session.sha256);
    let shown = kelurahan.imported_signed_pages(&session.sha256).unwrap();
    let kinds: Vec<PageKind> = shown.iter().map(|page| page.kind).collect();
    assert_eq!(kinds, [PageKind::BeritaAcara, PageKind::DaftarUsulan]);
    assert_eq!(files(), before + 2);
    for page in &shown {
        assert_eq!(rembug_core::hex::sha256_hex(&std::fs::read(attachments.join(&page.sha256)).unwrap()), page.sha256);
    }
    // Once only: the same file again adds nothing.
    let again = import_any_file(&kelurahan, &pages).unwrap();
    assert!(again.already_imported);
    assert_eq!(kelurahan.imported_signed_pages(&session.sha256).unwrap(), shown);
}

#[test]
fn pages_signed_by_another_device_are_refused() {
    let fixture = with_pages();
    let (session, _) = fixture.seal(None, "session.rembug");
    let (_, bytes) = seal_pages(&fixture, None, "pages.rembug");
    let stranger_dir = tempfile::tempdir().unwrap();
    let stranger = DeviceIdentity::load_or_create(stranger_dir.path()).unwrap();
    let mut parts = Parts::of(&bytes);
    signed_with(&mut parts, &stranger);
    let forged = write(fixture.dir.path(), "forged.rembug", &parts.zip());
    // A sound bundle in itself: signed by the key it names.
    verify_signed_pages_file(&forged).unwrap();
    let kelurahan = other_folder(&fixture, "kelurahan");
    import_file(&kelurahan, &session.path).unwrap();
    let refused = import_any_file(&kelurahan, &forged);
    assert!(matches!(refused, Err(BundleError::Core(CoreError::SignedPagesOtherDevice))), "{refused:?}");
    assert!(kelurahan.imported_signed_pages(&session.sha256).unwrap().is_empty());
}
