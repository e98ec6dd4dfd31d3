//! The office's handlers over real HTTP on loopback, driven by the devices'
//! real client (`rembug_sync::client`), with real sealed bundles.

#[path = "../../rembug-bundle/tests/common/mod.rs"]
mod bundle;
mod support;

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

use bundle::{Fixture, Parts, locked_meeting};
use rembug_core::device::DeviceIdentity;
use rembug_core::hex;
use rembug_core::trust::Roster;
use rembug_sync::client::OfficeClient;
use rembug_sync::{EnrollmentCode, MAX_CHUNK_BYTES, paths};
use serde_json::json;
use support::{KELURAHAN, RawRequest, TestOffice, deliver, deliver_in_chunks, new_device, refusal};

/// A locked RW 05 meeting, sealed by its device, and that device enrolled
/// for `rw`.
fn sealed_and_enrolled(office: &TestOffice, rw: Option<u16>) -> (Fixture, Vec<u8>, OfficeClient) {
    let fixture = locked_meeting();
    let (_, bytes) = fixture.seal(None, "rapat.rembug");
    let client = office.enrolled(fixture.device(), rw);
    (fixture, bytes, client)
}

/// Revision 2 of the fixture's meeting, locked and sealed.
fn correction_of(fixture: &Fixture) -> Vec<u8> {
    let revised = fixture.store.revise_meeting(&fixture.meeting_id, "Salah ketik jumlah biaya").unwrap();
    fixture.store.lock_meeting(&revised.id).unwrap();
    let out = fixture.dir.path().join("koreksi.rembug");
    rembug_bundle::seal(&fixture.store, &fixture.device(), &revised.id, None, &out).unwrap();
    std::fs::read(out).unwrap()
}

/// `bytes` as if `device` had sealed them: its identity in the manifest,
/// signed with its key. How a forged "correction" would be made.
fn resigned(bytes: &[u8], device: &DeviceIdentity) -> Vec<u8> {
    let mut parts = Parts::of(bytes);
    let mut manifest = parts.manifest();
    manifest["device"] = json!({
        "id": device.device_id(),
        "public_key": hex::encode(&device.public_key()),
        "fingerprint": device.fingerprint(),
    });
    let content_hash = manifest["content_hash"].as_str().unwrap().to_owned();
    manifest["bundle_id"] = json!(rembug_bundle::format::bundle_id(&content_hash, &device.device_id()));
    parts.set_manifest(&manifest, device);
    parts.zip()
}

#[test]
fn preflight_proves_the_office_and_tells_its_time() {
    let office = TestOffice::start();
    let (_dir, device) = new_device();
    let mut client = office.client(device);
    client.set_clock_offset(-3 * 365 * 24 * 3600);
    let identity = client.preflight().unwrap();
    assert_eq!(identity, office.admin().identity);
    assert!(client.clock_offset().abs() <= 2, "a laptop years off learns the office's time: {}", client.clock_offset());
    // Another office's key where this one is known is not this office.
    let stranger = rembug_core::trust::OfficeIdentity::new("Lain", "Kota Lain", &[9; 32], &[9; 32]);
    let (_dir, device) = new_device();
    let mut pinned = OfficeClient::new(&office.url, Arc::new(device), Some(stranger), None).unwrap();
    assert_eq!(pinned.preflight().unwrap_err().code(), "not_the_office");
}

#[test]
fn a_device_enrolls_once_per_code_and_gets_its_scope_and_roster() {
    let office = TestOffice::start();
    let (_dir, device) = new_device();
    let device_id = device.device_id();
    let mut client = office.client(device);
    let code = office.code(Some(5));
    let answer = client.enroll(&code).unwrap();
    assert_eq!(answer.device_id, device_id);
    assert_eq!((answer.scope.kelurahan_code.as_str(), answer.scope.rw), (KELURAHAN, Some(5)));
    assert_eq!(client.office(), Some(&office.admin().identity));
    // The same device with the same code gets the same answer.
    let again = client.enroll(&code).unwrap();
    assert_eq!((again.device_id, again.scope), (answer.device_id, answer.scope));
    // Another device with that code: used.
    let (_other_dir, other) = new_device();
    assert_eq!(refusal(office.client(other).enroll(&code)), (410, "code_used".into()));
    let roster = client.roster().unwrap().document;
    assert_eq!(roster.kelurahan_code, KELURAHAN);
    assert_eq!(roster.device(&device_id).unwrap().rw, Some(5));
    assert!(roster.serial >= 1);
}

#[test]
fn expired_and_unknown_codes_are_refused_and_guessing_is_limited() {
    let office = TestOffice::start();
    let expired = office.admin().new_code(KELURAHAN, None, chrono::Duration::seconds(1)).unwrap().0;
    std::thread::sleep(Duration::from_millis(2100));
    let (_dir, device) = new_device();
    let mut client = office.client(device);
    assert_eq!(refusal(client.enroll(&expired)), (410, "code_expired".into()));
    for _ in 0..10 {
        assert_eq!(refusal(client.enroll(&EnrollmentCode::generate())), (400, "code_invalid".into()));
    }
    // Past ten wrong codes, even a good one waits.
    let good = office.code(None);
    assert_eq!(refusal(client.enroll(&good)), (429, "too_many_attempts".into()));
}

#[test]
fn a_bundle_is_delivered_once_and_a_repeat_gets_the_first_receipt() {
    let office = TestOffice::start();
    let (_fixture, bytes, client) = sealed_and_enrolled(&office, Some(5));
    let sha256 = hex::sha256_hex(&bytes);
    let first = deliver_in_chunks(&client, &bytes, 1000).unwrap();
    assert!(first.new);
    assert_eq!(first.receipt.document.sha256, sha256);
    assert_eq!(first.replaces, None);
    let second = deliver(&client, &bytes).unwrap();
    assert!(!second.new);
    assert_eq!(second.receipt, first.receipt, "the same receipt, byte for byte");
    // Asking to upload it again: the office holds it all already.
    let state = client.create_upload(&sha256, bytes.len() as u64).unwrap();
    assert_eq!(state.offset, bytes.len() as u64);
    let bundles = office.admin().store.bundles().unwrap();
    assert_eq!(bundles.len(), 1);
    assert_eq!(bundles[0].review_state, "baru");
    assert_eq!(office.files("bundles"), [format!("{sha256}.rembug")]);
    assert_eq!(std::fs::read(office.dir.path().join("bundles").join(format!("{sha256}.rembug"))).unwrap(), bytes);
}

#[test]
fn another_devices_bundle_and_a_bundle_outside_the_scope_are_refused() {
    let office = TestOffice::start();
    let (_fixture, bytes, _owner) = sealed_and_enrolled(&office, Some(5));
    let (_dir, stranger) = new_device();
    let stranger = office.enrolled(stranger, Some(5));
    assert_eq!(refusal(deliver(&stranger, &bytes)), (403, "not_own_bundle".into()));
    let (_fixture, bytes, wrong_rw) = sealed_and_enrolled(&office, Some(6));
    assert_eq!(refusal(deliver(&wrong_rw, &bytes)), (403, "out_of_scope".into()));
    assert!(office.admin().store.bundles().unwrap().is_empty());
    assert!(office.files("bundles").is_empty());
    assert!(office.files("uploads").is_empty(), "refused uploads are discarded");
}

#[test]
fn the_same_meeting_revision_with_other_content_conflicts() {
    let office = TestOffice::start();
    let (fixture, bytes, client) = sealed_and_enrolled(&office, Some(5));
    deliver(&client, &bytes).unwrap();
    let mut parts = Parts::of(&bytes);
    parts.edit_meeting(&fixture.device(), |meeting| meeting["meeting"]["place"] = json!("Balai RW 05"));
    let other = parts.zip();
    rembug_bundle::verify(&mut std::io::Cursor::new(&other)).unwrap();
    assert_eq!(refusal(deliver(&client, &other)), (409, "revision_conflict".into()));
    assert_eq!(office.admin().store.bundles().unwrap().len(), 1);
    assert_eq!(office.files("bundles").len(), 1);
}

#[test]
fn a_correction_replaces_its_revision_only_by_the_rules() {
    let office = TestOffice::start();
    let (fixture, original, client) = sealed_and_enrolled(&office, Some(5));
    let correction = correction_of(&fixture);
    // Before the revision it corrects, a correction links to nothing.
    assert_eq!(refusal(deliver(&client, &correction)), (409, "correction_invalid".into()));
    let first = deliver(&client, &original).unwrap();
    // A kelurahan-wide device forging a correction of the RW's result.
    let (_dir, kelurahan_device) = new_device();
    let forged = resigned(&correction, &kelurahan_device);
    let kelurahan_client = office.enrolled(kelurahan_device, None);
    assert_eq!(refusal(deliver(&kelurahan_client, &forged)), (409, "correction_invalid".into()));
    // Naming content the office does not hold.
    let mut parts = Parts::of(&correction);
    let mut manifest = parts.manifest();
    manifest["supersedes"]["content_hash"] = json!("0".repeat(64));
    parts.set_manifest(&manifest, &fixture.device());
    assert_eq!(refusal(deliver(&client, &parts.zip())), (409, "correction_invalid".into()));
    // The real one, from the same device.
    let corrected = deliver(&client, &correction).unwrap();
    assert!(corrected.new);
    assert_eq!(corrected.replaces.as_deref(), Some(first.receipt.document.bundle_id.as_str()));
    // A second correction of the same revision, by another device of RW 05.
    let (_dir, neighbour) = new_device();
    let competing = resigned(&correction, &neighbour);
    let neighbour = office.enrolled(neighbour, Some(5));
    assert_eq!(refusal(deliver(&neighbour, &competing)), (409, "revision_conflict".into()));
    let bundles = office.admin().store.bundles().unwrap();
    assert_eq!(bundles.len(), 2);
    assert_eq!(bundles[1].revision, 2);
    assert_eq!(bundles[1].replaces.as_deref(), Some(bundles[0].bundle_id.as_str()));
}

#[test]
fn a_device_of_the_same_rw_may_correct_anothers_revision() {
    let office = TestOffice::start();
    let (fixture, original, client) = sealed_and_enrolled(&office, Some(5));
    deliver(&client, &original).unwrap();
    let (_dir, neighbour) = new_device();
    let correction = resigned(&correction_of(&fixture), &neighbour);
    let neighbour = office.enrolled(neighbour, Some(5));
    let corrected = deliver(&neighbour, &correction).unwrap();
    assert!(corrected.replaces.is_some());
}

#[test]
fn forged_replayed_and_skewed_requests_are_refused() {
    let office = TestOffice::start();
    let (_dir, device) = new_device();
    let client = office.enrolled(device, Some(5));
    let device = DeviceIdentity::load_or_create(_dir.path()).unwrap();
    let (_other_dir, forger) = new_device();
    // Signed by another key in this device's name.
    let forged = RawRequest::signed(&forger, 0, "GET", paths::ROSTER, b"").header("rembug-device", &device.device_id());
    assert_eq!(code_of(forged.send(office.address, None)), (401, "signature_invalid".into()));
    // A captured request sent again.
    let captured = RawRequest::signed(&device, client.clock_offset(), "GET", paths::ROSTER, b"");
    assert_eq!(captured.send(office.address, None).unwrap().0, 200);
    assert_eq!(code_of(captured.send(office.address, None)), (401, "replayed".into()));
    // Signed for another path.
    let moved = RawRequest::signed(&device, client.clock_offset(), "GET", "/v1/uploads", b"");
    let moved = RawRequest { path: paths::ROSTER.into(), ..moved };
    assert_eq!(code_of(moved.send(office.address, None)), (401, "signature_invalid".into()));
    // Unsigned, and unknown.
    let unsigned = RawRequest { method: "GET", path: paths::ROSTER.into(), headers: Vec::new(), body: Vec::new() };
    assert_eq!(code_of(unsigned.send(office.address, None)), (401, "unauthenticated".into()));
    let unknown = RawRequest::signed(&forger, 0, "GET", paths::ROSTER, b"");
    assert_eq!(code_of(unknown.send(office.address, None)), (401, "device_unknown".into()));
    // A clock ten minutes off.
    let mut skewed = OfficeClient::new(&office.url, Arc::new(device), client.office().cloned(), None).unwrap();
    skewed.set_clock_offset(client.clock_offset() + 600);
    assert_eq!(refusal(skewed.roster()), (401, "clock_skew".into()));
}

fn code_of(answer: Option<(u16, String)>) -> (u16, String) {
    let (status, body) = answer.expect("an answer");
    let body: rembug_sync::ErrorBody = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{status}: {body}"));
    (status, body.code)
}

#[test]
fn a_revoked_device_delivers_nothing_new_and_keeps_what_it_delivered() {
    let office = TestOffice::start();
    let (fixture, bytes, client) = sealed_and_enrolled(&office, Some(5));
    deliver(&client, &bytes).unwrap();
    let (_dir, watcher) = new_device();
    let watcher = office.enrolled(watcher, None);
    let serial = watcher.roster().unwrap().document.serial;
    let revoked = office.admin().revoke(&fixture.device().fingerprint()).unwrap().unwrap();
    assert!(revoked.revoked_at.is_some());
    assert_eq!(refusal(deliver(&client, &correction_of(&fixture))), (403, "device_revoked".into()));
    assert_eq!(office.admin().store.bundles().unwrap().len(), 1, "what it delivered stays");
    let roster: Roster = watcher.roster().unwrap().document;
    assert!(roster.serial > serial);
    assert!(roster.device(&fixture.device().device_id()).unwrap().revoked_at.is_some());
    // A new code does not bring a revoked device back.
    let mut again = office.client(fixture.device());
    assert_eq!(refusal(again.enroll(&office.code(Some(5)))), (403, "device_revoked".into()));
}

#[test]
fn a_corrupted_chunk_is_refused_then_sent_again_and_a_cut_resumes_from_the_offset() {
    let office = TestOffice::start();
    let (fixture, bytes, client) = sealed_and_enrolled(&office, Some(5));
    let device = fixture.device();
    let sha256 = hex::sha256_hex(&bytes);
    let upload = client.create_upload(&sha256, bytes.len() as u64).unwrap();
    let path = paths::upload(&upload.upload_id);
    let half = bytes.len() / 2;
    client.patch_chunk(&upload.upload_id, 0, &bytes[..half]).unwrap();
    // A byte flipped on the way: refused, nothing kept.
    let mut flipped = bytes[half..].to_vec();
    flipped[10] ^= 1;
    let corrupted = RawRequest::signed(&device, client.clock_offset(), "PATCH", &path, &bytes[half..])
        .header("upload-offset", &half.to_string());
    let corrupted = RawRequest { body: flipped, ..corrupted };
    assert_eq!(code_of(corrupted.send(office.address, None)), (460, "checksum_mismatch".into()));
    assert_eq!(client.upload_state(&upload.upload_id).unwrap().offset, half as u64);
    // The link drops halfway through the next chunk: nothing of it is kept.
    let cut = RawRequest::signed(&device, client.clock_offset(), "PATCH", &path, &bytes[half..])
        .header("upload-offset", &half.to_string());
    assert_eq!(cut.send(office.address, Some(100)), None);
    std::thread::sleep(Duration::from_millis(200));
    let state = client.upload_state(&upload.upload_id).unwrap();
    assert_eq!(state.offset, half as u64);
    // Forgetting the upload id loses nothing either.
    assert_eq!(client.create_upload(&sha256, bytes.len() as u64).unwrap(), state);
    assert_eq!(refusal(client.commit(&upload.upload_id, &sha256)), (409, "incomplete".into()));
    assert_eq!(refusal(client.patch_chunk(&upload.upload_id, 0, &bytes[..10])), (409, "offset_mismatch".into()));
    client.patch_chunk(&upload.upload_id, half as u64, &bytes[half..]).unwrap();
    assert!(client.commit(&upload.upload_id, &sha256).unwrap().new);
}

#[test]
fn sizes_and_unfinished_uploads_are_limited() {
    let office = TestOffice::start();
    let (_dir, device) = new_device();
    let client = office.enrolled(device, Some(5));
    assert_eq!(refusal(client.create_upload(&"a".repeat(64), 3 << 30)), (413, "too_large".into()));
    // Bytes that are not the declared SHA-256: discarded, start again.
    let upload = client.create_upload(&hex::sha256_hex(b"xyz"), 3).unwrap();
    client.patch_chunk(&upload.upload_id, 0, b"abc").unwrap();
    assert_eq!(refusal(client.commit(&upload.upload_id, &hex::sha256_hex(b"xyz"))), (409, "size_mismatch".into()));
    assert_eq!(refusal(client.upload_state(&upload.upload_id)), (404, "upload_not_found".into()));
    for index in 0..4u8 {
        client.create_upload(&hex::sha256_hex(&[index]), 100).unwrap();
    }
    assert_eq!(refusal(client.create_upload(&hex::sha256_hex(b"five"), 100)), (429, "too_many_uploads".into()));
    let upload = client.create_upload(&hex::sha256_hex(&[0]), 100).unwrap();
    assert_eq!(refusal(client.patch_chunk(&upload.upload_id, 0, &[0u8; 101])), (413, "too_large".into()));
    let big = client.create_upload(&hex::sha256_hex(&[9]), 2 * MAX_CHUNK_BYTES);
    assert_eq!(refusal(big), (429, "too_many_uploads".into()));
    assert_eq!(office.admin().store.uploads().unwrap().len(), 4);
}

#[test]
fn every_hostile_bundle_is_refused_over_http_with_its_code_and_nothing_is_stored() {
    let office = TestOffice::start();
    let (fixture, good, mut client) = sealed_and_enrolled(&office, Some(5));
    let corpus = bundle::hostile::corpus(&fixture, &good);
    assert!(corpus.len() >= 30);
    for hostile in &corpus {
        let (status, code) = refusal(deliver(&client, &hostile.bytes));
        assert_eq!((status, code.as_str()), (422, hostile.code), "{}", hostile.name);
    }
    assert!(office.admin().store.bundles().unwrap().is_empty());
    assert!(office.files("bundles").is_empty());
    assert!(office.files("uploads").is_empty());
    assert!(office.admin().store.uploads().unwrap().is_empty());
    // Still answering, and still taking good bundles.
    client.preflight().unwrap();
    assert!(deliver(&client, &good).unwrap().new);
    println!("{} hostile bundles refused over HTTP", corpus.len());
}

#[test]
fn tls_accepts_exactly_the_pinned_certificate() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let office = TestOffice::start_with(rembug_office::Limits::default(), Some(&fixtures));
    let (_, pin) =
        rembug_office::server::tls_acceptor(&fixtures.join("office-cert.pem"), &fixtures.join("office-key.pem"))
            .unwrap();
    let (_dir, device) = new_device();
    let device = Arc::new(device);
    let mut first_contact = OfficeClient::new(&office.url, device.clone(), None, None).unwrap();
    first_contact.preflight().unwrap();
    assert_eq!(first_contact.seen_certificate_sha256(), Some(pin.clone()));
    let mut pinned = OfficeClient::new(&office.url, device.clone(), None, Some(&pin)).unwrap();
    pinned.preflight().unwrap();
    let mut other = OfficeClient::new(&office.url, device, None, Some(&"0".repeat(64))).unwrap();
    assert_eq!(other.preflight().unwrap_err().code(), "not_the_office");
}

#[test]
fn a_restart_removes_what_a_crash_left_and_keeps_what_was_delivered() {
    let office = TestOffice::start();
    let (fixture, bytes, client) = sealed_and_enrolled(&office, Some(5));
    let delivered = deliver(&client, &bytes).unwrap().receipt.document;
    let correction = correction_of(&fixture);
    let upload = client.create_upload(&hex::sha256_hex(&correction), correction.len() as u64).unwrap();
    client.patch_chunk(&upload.upload_id, 0, &correction[..1000]).unwrap();
    let dir = office.dir.path().to_owned();
    // A bundle renamed into place whose transaction never committed, and an
    // upload file nobody recorded.
    // Dated long enough ago that no other server can be about to record
    // them (what a shared index waits for).
    let long_ago = std::time::SystemTime::now() - rembug_office::office::SHARED_ORPHAN_AGE * 2;
    for stray in
        [dir.join("bundles").join(format!("{}.rembug", "e".repeat(64))), dir.join("uploads").join("stray.part")]
    {
        std::fs::write(&stray, b"half").unwrap();
        std::fs::File::options().write(true).open(&stray).unwrap().set_modified(long_ago).unwrap();
    }
    // Just put there, perhaps by another server of a shared index.
    let fresh = format!("{}.rembug", "f".repeat(64));
    std::fs::write(dir.join("bundles").join(&fresh), b"new").unwrap();
    let second = office.admin().lock_for_serving();
    let shared = matches!(office.database, rembug_office::store::Database::Postgres(_));
    if shared {
        assert!(matches!(second, Ok(None)), "several servers share a PostgreSQL index and its folder");
    } else {
        assert!(matches!(second, Err(rembug_office::office::OfficeError::InUse(_))), "one server per folder");
    }
    let office = office.restart();
    // Once it answers, the leftovers are gone.
    let mut client =
        OfficeClient::new(&office.url, Arc::new(fixture.device()), client.office().cloned(), None).unwrap();
    client.preflight().unwrap();
    let mut kept = vec![format!("{}.rembug", delivered.sha256)];
    if shared {
        kept.push(fresh);
    }
    assert_eq!(office.files("bundles"), kept);
    assert_eq!(office.files("uploads"), [format!("{}.part", upload.upload_id)]);
    // The unfinished upload resumes where it stopped.
    assert_eq!(client.upload_state(&upload.upload_id).unwrap().offset, 1000);
    // Untouched past the office's time, it is removed with its file.
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(office.admin().remove_stale_uploads(chrono::Duration::zero()).unwrap(), 1);
    assert!(office.files("uploads").is_empty());
    assert_eq!(refusal(client.upload_state(&upload.upload_id)), (404, "upload_not_found".into()));
}

#[test]
fn a_client_that_stalls_is_dropped_and_others_are_served_meanwhile() {
    let limits = rembug_office::Limits {
        header_timeout: Duration::from_millis(500),
        body_idle: Duration::from_millis(500),
        ..rembug_office::Limits::default()
    };
    let office = TestOffice::start_with(limits, None);
    let (fixture, bytes, client) = sealed_and_enrolled(&office, Some(5));
    // Headers that never end.
    let mut slow_headers = std::net::TcpStream::connect(office.address).unwrap();
    slow_headers.write_all(b"POST /v1/preflight HTTP/1.1\r\nhost: x\r\n").unwrap();
    // A chunk whose body stops after a few bytes but keeps the line open.
    let upload = client.create_upload(&hex::sha256_hex(&bytes), bytes.len() as u64).unwrap();
    let path = paths::upload(&upload.upload_id);
    let chunk = RawRequest::signed(&fixture.device(), client.clock_offset(), "PATCH", &path, &bytes)
        .header("upload-offset", "0");
    let mut slow_body = std::net::TcpStream::connect(office.address).unwrap();
    let mut head = format!("PATCH {path} HTTP/1.1\r\nhost: x\r\ncontent-length: {}\r\n", bytes.len());
    for (name, value) in &chunk.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    slow_body.write_all(format!("{head}\r\n").as_bytes()).unwrap();
    slow_body.write_all(&bytes[..10]).unwrap();
    // Meanwhile the office answers others.
    assert!(deliver(&office.enrolled(new_device().1, Some(5)), b"").is_err());
    std::thread::sleep(Duration::from_millis(1500));
    for stream in [&mut slow_headers, &mut slow_body] {
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("the office closed the connection");
    }
    assert_eq!(client.upload_state(&upload.upload_id).unwrap().offset, 0, "nothing of the stalled chunk is kept");
}
