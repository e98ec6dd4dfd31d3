//! `enroll`, `sync` and `outbox` run as the built binary, as a cadre would.

mod common;

use std::path::Path;

use common::{json_of, rembug, stdout_of};

/// A demo folder of one RW in its second year: its meeting of last year is
/// locked (the only one), this year's is a draft. The locked one's id.
fn demo_with_a_locked_meeting(data: &Path) -> String {
    stdout_of(&rembug(data, &["demo", "--scale", "rw", "--seed", "3"]));
    let meetings = json_of(&rembug(data, &["meetings", "--json"]));
    let locked: Vec<&str> = meetings
        .as_array()
        .unwrap()
        .iter()
        .filter(|meeting| meeting["status"] == "locked")
        .map(|meeting| meeting["id"].as_str().unwrap())
        .collect();
    assert_eq!(locked.len(), 1, "{meetings}");
    locked[0].to_owned()
}

/// The entry of `meeting_id` in a JSON list (the demo also holds the
/// previous cycle's meetings, locked).
fn of<'a>(list: &'a serde_json::Value, meeting_id: &str) -> &'a serde_json::Value {
    list.as_array().unwrap().iter().find(|entry| entry["meeting_id"] == meeting_id).unwrap()
}

#[test]
fn an_unenrolled_folder_delivers_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = demo_with_a_locked_meeting(&data);

    let synced = rembug(&data, &["sync"]);
    assert_eq!(synced.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&synced.stderr);
    assert!(stderr.contains("belum terdaftar") && stderr.contains("(not_enrolled)"), "{stderr}");
    assert!(!data.join("outbox").exists(), "nothing was sealed for sending");

    let listed = stdout_of(&rembug(&data, &["outbox"]));
    assert!(listed.contains("belum terdaftar"), "{listed}");
    assert!(listed.lines().any(|line| line.starts_with(&id) && line.ends_with("belum dikirim")), "{listed}");
    let json = json_of(&rembug(&data, &["outbox", "--json"]));
    assert!(json.as_array().unwrap().iter().all(|entry| entry["state"] == "pending"), "{json}");
    assert_eq!(of(&json, &id)["delivered_at"], serde_json::Value::Null);
}

#[test]
fn a_bad_code_or_an_unsigned_enrollment_file_enrolls_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bad_code = rembug(&data, &["enroll", "--office", "http://127.0.0.1:9", "--code", "not-a-code"]);
    assert_eq!(bad_code.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_code.stderr).contains("(code_invalid)"));

    let file = dir.path().join("kantor.json");
    std::fs::write(&file, r#"{"body":"{}","signature":"00"}"#).unwrap();
    let unsigned = rembug(&data, &["enroll", "--file", file.to_str().unwrap()]);
    assert_eq!(unsigned.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unsigned.stderr).contains("(enrollment_file_invalid)"));
    assert!(stdout_of(&rembug(&data, &["outbox"])).contains("belum terdaftar"));
}

/// Enrolls the folder with an office at `url` that was never there: the
/// office's keys are made up, as they would be read from an enrollment.
fn enroll_with_an_absent_office(data: &Path, url: &str, kelurahan_code: &str) -> [u8; 32] {
    let store = rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap();
    let signing = ed25519_dalek::SigningKey::from_bytes(&[3; 32]).verifying_key().to_bytes();
    let encryption = [4; 32];
    let office = rembug_core::trust::OfficeIdentity::new("Bappelitbangda", "Kota Cimahi", &signing, &encryption);
    let scope = rembug_core::trust::Scope { kelurahan_code: kelurahan_code.into(), rw: None };
    store.save_enrollment(&rembug_core::outbox::Enrollment::new(url, office, scope, None, None)).unwrap();
    encryption
}

#[test]
fn without_the_office_a_locked_meeting_waits_sealed_as_the_usb_export_seals_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = demo_with_a_locked_meeting(&data);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let kelurahan = json_of(&rembug(&data, &["meetings", "--json"]))[0]["kelurahan_code"].as_str().unwrap().to_owned();
    let encryption = enroll_with_an_absent_office(&data, &format!("http://{closed}"), &kelurahan);

    let synced = rembug(&data, &["sync", "--json"]);
    assert_eq!(synced.status.code(), Some(1), "{}", String::from_utf8_lossy(&synced.stderr));
    let json: serde_json::Value = serde_json::from_slice(&synced.stdout).unwrap();
    assert_eq!(of(&json["bundles"], &id)["result"], "waiting");
    assert_eq!(of(&json["bundles"], &id)["code"], "network");
    let waiting = json["bundles"].as_array().unwrap().len();
    assert!(String::from_utf8_lossy(&synced.stderr).contains(&format!("{waiting} musyawarah belum terkirim")));

    let listed = stdout_of(&rembug(&data, &["outbox"]));
    assert!(listed.contains("menunggu jaringan: kantor tidak terjangkau"), "{listed}");
    let outbox = json_of(&rembug(&data, &["outbox", "--json"]));
    let entry = of(&outbox, &id);
    assert_eq!((entry["state"].as_str(), entry["attempts"].as_u64()), (Some("waiting"), Some(1)));

    // The bundle waiting in outbox/ is the one `export` writes for the same office key.
    let sha256 = entry["sha256"].as_str().unwrap();
    let waiting = std::fs::read(data.join("outbox").join(format!("{sha256}.rembug"))).unwrap();
    let key_file = dir.path().join("kantor.key");
    std::fs::write(&key_file, format!("rembug-office-x25519-v1:{}\n", "04".repeat(32))).unwrap();
    assert_eq!(encryption, [4; 32]);
    stdout_of(&rembug(&data, &["office-key", key_file.to_str().unwrap()]));
    let exported = dir.path().join("export.rembug");
    stdout_of(&rembug(&data, &["export", &id, "--out", exported.to_str().unwrap()]));
    assert_eq!(std::fs::read(&exported).unwrap(), waiting);

    // A second try counts a second attempt and keeps the same bundle.
    assert_eq!(rembug(&data, &["sync"]).status.code(), Some(1));
    let outbox = json_of(&rembug(&data, &["outbox", "--json"]));
    assert_eq!((of(&outbox, &id)["attempts"].as_u64(), of(&outbox, &id)["sha256"].as_str()), (Some(2), Some(sha256)));

    // Enrolled with another office since: sealed again for its key, the old file gone.
    let store = rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap();
    let mut enrollment = store.enrollment().unwrap().unwrap();
    let signing = ed25519_dalek::SigningKey::from_bytes(&[5; 32]).verifying_key().to_bytes();
    enrollment.office = rembug_core::trust::OfficeIdentity::new("Kantor Baru", "Kota Cimahi", &signing, &[6; 32]);
    store.save_enrollment(&enrollment).unwrap();
    assert_eq!(rembug(&data, &["sync"]).status.code(), Some(1));
    let outbox = json_of(&rembug(&data, &["outbox", "--json"]));
    let entry = of(&outbox, &id);
    let resealed = entry["sha256"].as_str().unwrap();
    assert_ne!(resealed, sha256);
    assert_eq!(entry["attempts"].as_u64(), Some(1), "a new bundle starts over");
    let files: Vec<_> = std::fs::read_dir(data.join("outbox")).unwrap().map(|file| file.unwrap().file_name()).collect();
    assert!(files.contains(&std::ffi::OsString::from(format!("{resealed}.rembug"))), "{files:?}");
    assert!(!files.contains(&std::ffi::OsString::from(format!("{sha256}.rembug"))), "{files:?}");
    assert_eq!(files.len(), outbox.as_array().unwrap().len(), "one file per locked meeting, none left over");
}

/// The `rembug-office` binary the workspace builds beside `rembug`.
fn office_binary() -> std::path::PathBuf {
    let path = Path::new(env!("CARGO_BIN_EXE_rembug")).with_file_name("rembug-office");
    assert!(path.is_file(), "build the workspace first (cargo test --workspace): {} is missing", path.display());
    path
}

/// A real office, initialised and serving on a free loopback port.
struct Office {
    data: std::path::PathBuf,
    url: String,
    server: std::process::Child,
}

impl Office {
    fn start(dir: &Path) -> Office {
        Office::start_with(dir, &[])
    }

    /// Serving over TLS with the office tests' self-signed certificate.
    fn start_tls(dir: &Path) -> Office {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rembug-office/tests/fixtures");
        let (cert, key) = (fixtures.join("office-cert.pem"), fixtures.join("office-key.pem"));
        let mut office =
            Office::start_with(dir, &["--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()]);
        office.url = office.url.replacen("http://", "https://", 1);
        office
    }

    fn start_with(dir: &Path, serve_args: &[&str]) -> Office {
        let data = dir.join("office");
        let run = |args: &[&str]| {
            let output = std::process::Command::new(office_binary())
                .arg("--data")
                .arg(&data)
                .args(args)
                .stdin(std::process::Stdio::null())
                .output()
                .unwrap();
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        };
        run(&["init"]);
        let address = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let server = std::process::Command::new(office_binary())
            .arg("--data")
            .arg(&data)
            .args(["serve", "--listen", &address.to_string()])
            .args(serve_args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(address).is_err() {
            assert!(started.elapsed().as_secs() < 20, "the office did not start");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Office { data, url: format!("http://{address}"), server }
    }

    fn office(&self, args: &[&str]) -> String {
        let output =
            std::process::Command::new(office_binary()).arg("--data").arg(&self.data).args(args).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    fn code(&self, kelurahan: &str) -> String {
        self.office(&["code", "--kelurahan", kelurahan]).lines().last().unwrap().trim().to_owned()
    }
}

impl Drop for Office {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

#[test]
fn an_enrolled_folder_delivers_each_locked_meeting_once_and_keeps_the_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let office = Office::start(dir.path());
    let data = dir.path().join("data");
    let id = demo_with_a_locked_meeting(&data);
    let kelurahan = json_of(&rembug(&data, &["meetings", "--json"]))[0]["kelurahan_code"].as_str().unwrap().to_owned();

    let enrolled = stdout_of(&rembug(&data, &["enroll", "--office", &office.url, "--code", &office.code(&kelurahan)]));
    assert!(enrolled.contains("Terdaftar di kantor Bappelitbangda"), "{enrolled}");
    assert!(enrolled.contains(&format!("Cakupan: kelurahan {kelurahan}")), "{enrolled}");
    let fingerprint = enrolled.lines().find_map(|line| line.strip_prefix("Sidik jari kantor: ")).unwrap();
    // The office's signed roster of the kelurahan is kept: this device is on it.
    let held = rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap().roster(&kelurahan).unwrap().unwrap();
    assert_eq!(held.roster.devices.len(), 1);

    let synced = json_of(&rembug(&data, &["sync", "--json"]));
    assert_eq!(synced["office_fingerprint"], fingerprint);
    let delivered = synced["bundles"].as_array().unwrap().len();
    assert!(synced["bundles"].as_array().unwrap().iter().all(|bundle| bundle["result"] == "delivered"), "{synced}");
    let sha256 = of(&synced["bundles"], &id)["sha256"].as_str().unwrap().to_owned();

    // A second sync changes nothing.
    let again = json_of(&rembug(&data, &["sync", "--json"]));
    assert_eq!(again["bundles"].as_array().unwrap().len(), 0);
    assert_eq!(again["already_delivered"], delivered);
    let held: serde_json::Value = serde_json::from_str(&office.office(&["bundles", "--json"])).unwrap();
    let held: Vec<&str> = held.as_array().unwrap().iter().map(|bundle| bundle["sha256"].as_str().unwrap()).collect();
    assert_eq!(held.len(), delivered);
    assert_eq!(held.iter().filter(|held| **held == sha256).count(), 1);

    let listed = stdout_of(&rembug(&data, &["outbox"]));
    assert!(
        listed.lines().any(|line| line.starts_with(&id) && line.contains("terkirim 20") && line.ends_with(" WIB")),
        "{listed}"
    );
    let outbox = json_of(&rembug(&data, &["outbox", "--json"]));
    let entry = of(&outbox, &id);
    assert_eq!((entry["state"].as_str(), entry["sha256"].as_str()), (Some("delivered"), Some(sha256.as_str())));
    assert!(!data.join("outbox").join(format!("{sha256}.rembug")).exists(), "the sent file is not kept");
    let paper = dir.path().join("tanda-terima.pdf");
    stdout_of(&rembug(&data, &["print", &id, "--doc", "tanda-terima", "--out", paper.to_str().unwrap()]));
    assert!(std::fs::read(&paper).unwrap().starts_with(b"%PDF"), "the office's receipt as a tanda terima");

    // Enrolling with another office's key needs --yes; the first office's
    // receipts stay.
    let other = Office::start(&dir.path().join("other"));
    let refused = rembug(&data, &["enroll", "--office", &other.url, "--code", &other.code(&kelurahan)]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("(office_change_not_confirmed)"));
    let code = other.code(&kelurahan);
    stdout_of(&rembug(&data, &["enroll", "--office", &other.url, "--code", &code, "--yes"]));
    assert_eq!(of(&json_of(&rembug(&data, &["outbox", "--json"])), &id)["state"], "delivered");
}

#[test]
fn sync_and_outbox_tell_how_the_photos_of_the_signed_pages_go() {
    let dir = tempfile::tempdir().unwrap();
    let office = Office::start(dir.path());
    let data = dir.path().join("data");
    let id = demo_with_a_locked_meeting(&data);
    let kelurahan = json_of(&rembug(&data, &["meetings", "--json"]))[0]["kelurahan_code"].as_str().unwrap().to_owned();
    stdout_of(&rembug(&data, &["enroll", "--office", &office.url, "--code", &office.code(&kelurahan)]));
    stdout_of(&rembug(&data, &["sync"]));
    let add_photo = |seed: u8| {
        let store = rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap();
        let kind = rembug_core::signed_pages::PageKind::BeritaAcara;
        store.add_signed_page(&id, kind, std::io::Cursor::new(page_png(seed)), "image/png").unwrap();
    };
    add_photo(1);
    let pages = |outbox: &serde_json::Value| of(outbox, &id)["signed_pages"].clone();
    let waiting = pages(&json_of(&rembug(&data, &["outbox", "--json"])));
    assert_eq!((waiting["pages"].as_u64(), waiting["delivered"].as_u64()), (Some(1), Some(0)));
    assert_eq!(waiting["state"], "not_sent");
    let listed = stdout_of(&rembug(&data, &["outbox"]));
    assert!(
        listed.contains("Foto lembar bertanda tangan: 1 berkas menunggu dikirim, 0 terkirim, 0 ditolak."),
        "{listed}"
    );
    assert!(listed.contains("1 foto belum dikirim"), "{listed}");

    let synced = json_of(&rembug(&data, &["sync", "--json"]));
    assert_eq!(synced["bundles"].as_array().unwrap().len(), 0, "{synced}");
    assert_eq!(synced["signed_pages"][0]["meeting_id"], id.as_str());
    assert_eq!(synced["signed_pages"][0]["result"], "delivered");
    let delivered = pages(&json_of(&rembug(&data, &["outbox", "--json"])));
    assert_eq!((delivered["state"].as_str(), delivered["delivered"].as_u64()), (Some("delivered"), Some(1)));
    assert!(stdout_of(&rembug(&data, &["outbox"])).contains("1 foto terkirim 20"));

    // Refused: told with its reason, and kept refused with its code.
    let device = rembug_core::device::DeviceIdentity::load_or_create(&data).unwrap();
    office.office(&["revoke", &device.device_id()]);
    add_photo(2);
    let text = stdout_of(&rembug(&data, &["sync"]));
    assert!(text.contains(&format!("foto lembar bertanda tangan {id}: ditolak: perangkat ini dicabut")), "{text}");
    assert!(text.contains("Foto lembar bertanda tangan: 0 berkas terkirim sekarang, 1 belum."), "{text}");
    let refused = pages(&json_of(&rembug(&data, &["outbox", "--json"])));
    assert_eq!((refused["state"].as_str(), refused["last_error"].as_str()), (Some("refused"), Some("device_revoked")));
    assert_eq!(
        (refused["pages"].as_u64(), refused["delivered"].as_u64(), refused["attempts"].as_u64()),
        (Some(2), Some(1), Some(1))
    );
    let listed = stdout_of(&rembug(&data, &["outbox"]));
    assert!(listed.contains("0 berkas menunggu dikirim, 0 terkirim, 1 ditolak."), "{listed}");
    assert!(
        listed.contains("2 foto ditolak: perangkat ini dicabut oleh kantor; hubungi kantor (device_revoked)"),
        "{listed}"
    );
}

#[test]
fn an_enrollment_file_enrolls_without_network_and_registers_on_the_first_sync() {
    let dir = tempfile::tempdir().unwrap();
    let office = Office::start(dir.path());
    let data = dir.path().join("data");
    demo_with_a_locked_meeting(&data);
    let kelurahan = json_of(&rembug(&data, &["meetings", "--json"]))[0]["kelurahan_code"].as_str().unwrap().to_owned();
    let file = dir.path().join("pendaftaran.json");
    let file_arg = file.to_str().unwrap();
    office.office(&["code", "--kelurahan", &kelurahan, "--enrollment-file", file_arg, "--url", &office.url]);

    let enrolled = stdout_of(&rembug(&data, &["enroll", "--file", file_arg]));
    assert!(enrolled.contains("Terdaftar di kantor Bappelitbangda"), "{enrolled}");
    assert!(enrolled.contains("pertama kali terhubung"), "{enrolled}");
    assert!(!office.office(&["devices"]).contains(&kelurahan), "nothing was sent yet");

    let synced = json_of(&rembug(&data, &["sync", "--json"]));
    assert_eq!(synced["bundles"][0]["result"], "delivered", "{synced}");
    assert!(office.office(&["devices"]).contains(&kelurahan), "registered on first contact");

    // A changed byte in the file's body breaks the office's signature.
    let text = std::fs::read_to_string(&file).unwrap().replacen("Bappelitbangda", "Bappelitbangdb", 1);
    std::fs::write(&file, text).unwrap();
    let forged = rembug(&dir.path().join("other"), &["enroll", "--file", file_arg]);
    assert!(String::from_utf8_lossy(&forged.stderr).contains("(enrollment_file_invalid)"));
}

#[test]
fn a_meeting_outside_the_enrolled_scope_is_neither_sealed_nor_sent() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = demo_with_a_locked_meeting(&data);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    enroll_with_an_absent_office(&data, &format!("http://{closed}"), "32.77.03.1001");

    let synced = rembug(&data, &["sync", "--json"]);
    assert_eq!(synced.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&synced.stdout).unwrap();
    let bundle = of(&json["bundles"], &id);
    assert_eq!((bundle["result"].as_str(), bundle["code"].as_str()), (Some("refused"), Some("out_of_scope")));
    assert!(std::fs::read_dir(data.join("outbox")).is_err(), "nothing sealed");
    let outbox = json_of(&rembug(&data, &["outbox", "--json"]));
    let entry = of(&outbox, &id);
    assert_eq!((entry["state"].as_str(), entry["last_error"].as_str()), (Some("refused"), Some("out_of_scope")));
    let listed = stdout_of(&rembug(&data, &["outbox"]));
    assert!(listed.contains("ditolak: musyawarah di luar wilayah perangkat ini (out_of_scope)"), "{listed}");
}

#[test]
fn a_correction_follows_its_revision_and_a_revoked_device_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let office = Office::start(dir.path());
    let data = dir.path().join("data");
    let first = demo_with_a_locked_meeting(&data);
    let kelurahan = json_of(&rembug(&data, &["meetings", "--json"]))[0]["kelurahan_code"].as_str().unwrap().to_owned();
    stdout_of(&rembug(&data, &["enroll", "--office", &office.url, "--code", &office.code(&kelurahan)]));
    stdout_of(&rembug(&data, &["sync"]));
    let held = |office: &Office| {
        let held: serde_json::Value = serde_json::from_str(&office.office(&["bundles", "--json"])).unwrap();
        held.as_array().unwrap().len()
    };
    // The demo's earlier locked meetings were delivered too.
    let before = held(&office);

    let revise_and_lock = |of: &str| {
        let store = rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap();
        let revision = store.revise_meeting(of, "Nama peserta salah tulis").unwrap();
        store.lock_meeting(&revision.id).unwrap();
        revision.id
    };
    let second = revise_and_lock(&first);
    let synced = json_of(&rembug(&data, &["sync", "--json"]));
    assert_eq!(
        (synced["bundles"][0]["meeting_id"].as_str(), synced["bundles"][0]["result"].as_str()),
        (Some(second.as_str()), Some("delivered"))
    );
    assert_eq!(held(&office), before + 1);

    let devices: serde_json::Value = serde_json::from_str(&office.office(&["devices", "--json"])).unwrap();
    office.office(&["revoke", devices[0]["fingerprint"].as_str().unwrap()]);
    let third = revise_and_lock(&second);
    let refused = rembug(&data, &["sync", "--json"]);
    assert_eq!(refused.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(json["bundles"][0]["meeting_id"], third.as_str());
    assert_eq!(
        (json["bundles"][0]["result"].as_str(), json["bundles"][0]["code"].as_str()),
        (Some("refused"), Some("device_revoked"))
    );
    let listed = stdout_of(&rembug(&data, &["outbox"]));
    assert!(
        listed
            .lines()
            .any(|line| line.starts_with(&third) && line.contains("ditolak: perangkat ini dicabut oleh kantor")),
        "{listed}"
    );
    assert_eq!(held(&office), before + 1, "what it delivered before stays");
}

#[test]
fn over_https_the_office_certificate_is_pinned_at_enrollment() {
    let dir = tempfile::tempdir().unwrap();
    let office = Office::start_tls(dir.path());
    let data = dir.path().join("data");
    demo_with_a_locked_meeting(&data);
    let kelurahan = json_of(&rembug(&data, &["meetings", "--json"]))[0]["kelurahan_code"].as_str().unwrap().to_owned();
    stdout_of(&rembug(&data, &["enroll", "--office", &office.url, "--code", &office.code(&kelurahan)]));
    let store = rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap();
    let pin = store.enrollment().unwrap().unwrap().tls_certificate_sha256.expect("pinned");
    assert_eq!(pin.len(), 64);
    assert_eq!(json_of(&rembug(&data, &["sync", "--json"]))["bundles"][0]["result"], "delivered");

    // Another certificate on the office's address is not the office.
    let mut enrollment = store.enrollment().unwrap().unwrap();
    enrollment.tls_certificate_sha256 = Some("0".repeat(64));
    store.save_enrollment(&enrollment).unwrap();
    let refused = rembug(&data, &["sync"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("(not_the_office)"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

/// A receipt file as the office saves it for `bundle`, signed by `key` as `office`.
fn receipt_file(office: &rembug_core::trust::OfficeIdentity, key: &ed25519_dalek::SigningKey, bundle: &Path) -> String {
    use rembug_core::trust::{Receipt, ReceiptFile, Signed};
    let manifest = rembug_bundle::verify_file(bundle).unwrap().bundle.manifest;
    let receipt = Receipt {
        bundle_id: manifest.bundle_id,
        sha256: rembug_core::hex::sha256_hex(&std::fs::read(bundle).unwrap()),
        received_at: "2026-12-07T03:15:00Z".into(),
        office_key_id: office.key_id.clone(),
    };
    ReceiptFile::new(office.clone(), Signed::sign(&receipt, key)).to_json()
}

#[test]
fn a_receipt_file_of_the_enrolled_office_delivers_the_meeting_brought_on_a_usb_stick() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = demo_with_a_locked_meeting(&data);
    let kelurahan = json_of(&rembug(&data, &["meetings", "--json"]))[0]["kelurahan_code"].as_str().unwrap().to_owned();
    enroll_with_an_absent_office(&data, "http://127.0.0.1:9", &kelurahan);
    // The USB export seals for the enrolled office's key.
    let key_file = dir.path().join("kantor.key");
    std::fs::write(&key_file, format!("rembug-office-x25519-v1:{}\n", "04".repeat(32))).unwrap();
    stdout_of(&rembug(&data, &["office-key", key_file.to_str().unwrap()]));
    let exported = dir.path().join("flashdisk.rembug");
    stdout_of(&rembug(&data, &["export", &id, "--out", exported.to_str().unwrap()]));
    let sha256 = rembug_core::hex::sha256_hex(&std::fs::read(&exported).unwrap());
    let office = rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap().enrollment().unwrap().unwrap().office;
    let office_key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    let file = dir.path().join(format!("tanda-terima-{}.json", &sha256[..12]));
    let refused = |text: &str, code: &str, said: &str| {
        std::fs::write(&file, text).unwrap();
        let opened = rembug(&data, &["receipt", file.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&opened.stderr);
        assert_eq!(opened.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(&format!("({code})")) && stderr.contains(said), "{stderr}");
        let outbox = json_of(&rembug(&data, &["outbox", "--json"]));
        assert_ne!(of(&outbox, &id)["state"], "delivered", "nothing changed");
    };

    // Signed by another office, or changed after the office signed it.
    let stranger_key = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
    let stranger = rembug_core::trust::OfficeIdentity::new(
        "Kantor Lain",
        "Kota Bandung",
        &stranger_key.verifying_key().to_bytes(),
        &[6; 32],
    );
    refused(&receipt_file(&stranger, &stranger_key, &exported), "receipt_other_office", "dari kantor lain");
    let mut changed = rembug_core::trust::ReceiptFile::parse(&receipt_file(&office, &office_key, &exported)).unwrap();
    changed.receipt.body = changed.receipt.body.replace("03:15:00", "03:16:00");
    refused(&changed.to_json(), "receipt_signature_invalid", "tidak sah");
    let forged = receipt_file(&office, &stranger_key, &exported);
    refused(&forged, "receipt_signature_invalid", "tidak sah");
    // The enrolled office's receipt, but for another bundle than this device seals.
    let mut other_bundle = std::fs::read(&exported).unwrap();
    other_bundle.push(0);
    let other_path = dir.path().join("lain.rembug");
    std::fs::write(&other_path, &other_bundle).unwrap();
    let mut other = rembug_core::trust::ReceiptFile::parse(&receipt_file(&office, &office_key, &exported)).unwrap();
    let mut receipt: rembug_core::trust::Receipt = other.receipt.open(&office_key.verifying_key()).unwrap();
    receipt.sha256 = rembug_core::hex::sha256_hex(&other_bundle);
    other.receipt = rembug_core::trust::Signed::sign(&receipt, &office_key);
    refused(&other.to_json(), "receipt_not_ours", "bukan untuk bundel");
    refused("{\"kind\":\"rembug-tanda-terima\",\"version\":2}", "receipt_file_invalid", "bukan berkas tanda terima");

    // The right one: delivered as after a sync, and once only.
    std::fs::write(&file, receipt_file(&office, &office_key, &exported)).unwrap();
    let opened = rembug(&data, &["receipt", file.to_str().unwrap()]);
    assert!(stdout_of(&opened).contains("kini tercatat terkirim"));
    let outbox = json_of(&rembug(&data, &["outbox", "--json"]));
    let entry = of(&outbox, &id);
    assert_eq!(entry["state"], "delivered", "{entry}");
    assert_eq!(
        (entry["sha256"].as_str(), entry["delivered_at"].as_str()),
        (Some(sha256.as_str()), Some("2026-12-07T03:15:00Z"))
    );
    assert!(!data.join("outbox").join(format!("{sha256}.rembug")).exists(), "no bundle left waiting to be sent");
    assert!(stdout_of(&rembug(&data, &["receipt", file.to_str().unwrap()])).contains("sudah tercatat terkirim"));
}

#[test]
fn the_offices_review_comes_back_on_the_next_sync_and_outcomes_are_recorded_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let office = Office::start(dir.path());
    let data = dir.path().join("data");
    let id = demo_with_a_locked_meeting(&data);
    let meetings = json_of(&rembug(&data, &["meetings", "--json"]));
    let kelurahan = meetings[0]["kelurahan_code"].as_str().unwrap().to_owned();
    stdout_of(&rembug(&data, &["enroll", "--office", &office.url, "--code", &office.code(&kelurahan)]));
    let synced = json_of(&rembug(&data, &["sync", "--json"]));
    let sha256 = of(&synced["bundles"], &id)["sha256"].as_str().unwrap().to_owned();
    let received = json_of(&rembug(&data, &["outbox", "--json"]));
    assert_eq!(of(&received, &id)["review_state"], "diterima", "{received}");

    // Staff ask for a correction and give one usulan its outcome, as the
    // dashboard writes them.
    let device = rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap();
    let usulan: Vec<String> = device.usulan_list(&id).unwrap().into_iter().map(|usulan| usulan.id).collect();
    let draft = meetings.as_array().unwrap().iter().find(|meeting| meeting["status"] == "draft").unwrap();
    let draft_usulan = device.usulan_list(draft["id"].as_str().unwrap()).unwrap()[0].id.clone();
    drop(device);
    assert!(usulan.len() >= 2);
    let staff = rembug_office::Office::open(&office.data).unwrap();
    let audit = rembug_office::store::AuditEntry {
        at: "2026-12-07T04:00:00Z".into(),
        staff_name: "admin".into(),
        action: "tinjau".into(),
        target: sha256.clone(),
        detail: String::new(),
    };
    let note = "Foto daftar hadir RT 03 tidak terbaca";
    let review = rembug_office::store::Review { state: "perlu_perbaikan".into(), note: Some(note.into()) };
    staff.store.set_review(&sha256, &review, &audit).unwrap();
    let outcome = rembug_office::store::UsulanOutcome {
        usulan_id: usulan[0].clone(),
        outcome: "diakomodir".into(),
        detail: "DPUPR".into(),
        staff_name: "admin".into(),
        at: "2026-12-07T04:00:00Z".into(),
    };
    staff.store.set_usulan_outcome(&sha256, &outcome, &audit).unwrap();

    let synced = stdout_of(&rembug(&data, &["sync"]));
    assert!(synced.contains("Jawaban kantor diperbarui"), "{synced}");
    assert_eq!(json_of(&rembug(&data, &["sync", "--json"]))["answers_updated"], false, "nothing new since");
    let answered = json_of(&rembug(&data, &["outbox", "--json"]));
    let entry = of(&answered, &id);
    assert_eq!((entry["review_state"].as_str(), entry["review_note"].as_str()), (Some("perlu_perbaikan"), Some(note)));
    let outcomes = entry["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 1, "{entry}");
    assert_eq!(outcomes[0]["usulan_id"], usulan[0].as_str());
    assert_eq!((outcomes[0]["outcome"].as_str(), outcomes[0]["detail"].as_str()), (Some("diakomodir"), Some("DPUPR")));
    assert_eq!(outcomes[0]["source"], "office");
    let listed = stdout_of(&rembug(&data, &["outbox"]));
    assert!(listed.contains(&format!("Tinjauan kantor: Perlu perbaikan: {note}")), "{listed}");
    assert!(listed.contains("diakomodir, DPUPR (kantor)"), "{listed}");

    // The cadre records the other usulan's outcome by hand; the office's
    // outcome of the first stays over a hand one.
    let recorded =
        stdout_of(&rembug(&data, &["outcome", &usulan[1], "--hasil", "dialihkan", "--keterangan", "Dana kelurahan"]));
    assert!(recorded.contains("dialihkan, Dana kelurahan (dicatat sendiri)"), "{recorded}");
    stdout_of(&rembug(&data, &["outcome", &usulan[0], "--hasil", "tidak_diakomodir", "--keterangan", "Belum tahu"]));
    let outcomes = json_of(&rembug(&data, &["outbox", "--json"]));
    let sources: Vec<(&str, &str)> = of(&outcomes, &id)["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|outcome| (outcome["outcome"].as_str().unwrap(), outcome["source"].as_str().unwrap()))
        .collect();
    assert_eq!(sources, [("diakomodir", "office"), ("dialihkan", "hand")]);

    // Only on a locked meeting, and only with what it needs.
    let draft = rembug(&data, &["outcome", &draft_usulan, "--hasil", "diakomodir", "--keterangan", "DPUPR"]);
    assert_eq!(draft.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&draft.stderr).contains("(meeting_not_locked)"));
    assert_eq!(rembug(&data, &["outcome", &usulan[1], "--hasil", "diakomodir"]).status.code(), Some(2));
    let removed = stdout_of(&rembug(&data, &["outcome", &usulan[1], "--hapus", "--json"]));
    assert_eq!(serde_json::from_str::<serde_json::Value>(&removed).unwrap().as_array().unwrap().len(), 1);
}

/// A small grey PNG, its shade from `seed`: each seed a distinct page.
fn page_png(seed: u8) -> Vec<u8> {
    let page = image::GrayImage::from_pixel(4, 4, image::Luma([seed]));
    let mut bytes = Vec::new();
    page.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}
