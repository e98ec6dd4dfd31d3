//! The `rembug-office` binary as staff run it: init, serve, a code, a device
//! enrolling and delivering with the real client, then the listings,
//! open-personal and revoke.

#[path = "../../rembug-bundle/tests/common/mod.rs"]
mod bundle;
mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::Mutex;

use rembug_core::trust::{EnrollmentFile, Signed};
use rembug_sync::EnrollmentCode;
use rembug_sync::client::OfficeClient;
use support::deliver;

/// The index of the office in `data`: SQLite in the folder, or (with
/// `REMBUG_OFFICE_TEST_STORE=postgres`) an empty PostgreSQL database of its own.
fn database_of(data: &Path) -> rembug_office::store::Database {
    static DATABASES: Mutex<Option<HashMap<PathBuf, rembug_office::store::Database>>> = Mutex::new(None);
    let mut databases = DATABASES.lock().unwrap();
    let databases = databases.get_or_insert_with(HashMap::new);
    let new = || match support::on_postgres() {
        true => rembug_office::store::Database::Postgres(support::cluster::cluster().database()),
        false => rembug_office::store::Database::Sqlite,
    };
    databases.entry(data.to_owned()).or_insert_with(new).clone()
}

/// `rembug-office --data <data> [--database <url>]`.
fn command(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rembug-office"));
    command.arg("--data").arg(data);
    if let rembug_office::store::Database::Postgres(url) = database_of(data) {
        command.arg("--database").arg(url);
    }
    command
}

fn office(data: &Path, args: &[&str]) -> Output {
    command(data).args(args).stdin(Stdio::null()).output().unwrap()
}

fn stdout_of(output: Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// A server process, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` on a free loopback port and answers its URL.
fn serve(data: &Path) -> (Server, String) {
    let mut child = command(data).args(["serve", "--listen", "127.0.0.1:0"]).stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.split_whitespace().find(|word| word.starts_with("http://")).expect(&line).to_owned();
    (Server(child), url)
}

#[test]
fn staff_set_up_an_office_and_a_device_delivers_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("kantor");
    let init = stdout_of(office(&data, &["init", "--name", "Bappelitbangda", "--city", "Kota Cimahi"]));
    assert!(init.contains("Kata sandi admin admin"), "{init}");
    assert!(!office(&data, &["init"]).status.success(), "an office is made once");
    for file in ["kantor.key", "kantor-rahasia.key", "kantor-tanda-tangan.key"] {
        assert!(data.join(file).is_file(), "{file}");
    }
    assert_eq!(data.join("office.sqlite3").is_file(), !support::on_postgres(), "the index is SQLite unless --database");
    let refused = office(&data, &["serve", "--listen", "0.0.0.0:0"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("loopback"));

    let (_server, url) = serve(&data);
    let code = stdout_of(office(&data, &["code", "--kelurahan", "32.77.01.1001", "--rw", "5"]));
    let code = EnrollmentCode::parse(code.lines().last().unwrap()).expect("the code alone on the last line");
    let fixture = bundle::locked_meeting();
    let (_, bytes) = fixture.seal(None, "rapat.rembug");
    let mut client = OfficeClient::new(&url, Arc::new(fixture.device()), None, None).unwrap();
    client.preflight().unwrap();
    client.enroll(&code).unwrap();
    let receipt = deliver(&client, &bytes).unwrap().receipt.document;

    let bundles: serde_json::Value = serde_json::from_str(&stdout_of(office(&data, &["bundles", "--json"]))).unwrap();
    let listed = &bundles.as_array().unwrap()[..];
    assert_eq!(listed.len(), 1);
    for key in ["bundle_id", "sha256", "device", "kelurahan_code", "rw", "meeting_id", "revision", "received_at"] {
        assert!(!listed[0][key].is_null(), "{key}");
    }
    assert_eq!(listed[0]["sha256"], receipt.sha256);
    assert_eq!(listed[0]["meeting_id"], fixture.meeting_id);
    assert_eq!(listed[0]["review_state"], "baru");
    assert_eq!(listed[0]["rw"], 5);

    let opened = stdout_of(office(&data, &["open-personal", &receipt.sha256]));
    assert!(opened.contains(bundle::NAMES[0]), "{opened}");

    let devices: serde_json::Value = serde_json::from_str(&stdout_of(office(&data, &["devices", "--json"]))).unwrap();
    assert_eq!(devices[0]["fingerprint"], fixture.device().fingerprint());
    stdout_of(office(&data, &["revoke", &fixture.device().fingerprint()]));
    let devices: serde_json::Value = serde_json::from_str(&stdout_of(office(&data, &["devices", "--json"]))).unwrap();
    assert!(devices[0]["revoked_at"].is_string());
    assert_eq!(office(&data, &["revoke", "0000-0000-0000-0000"]).status.code(), Some(1));
}

#[test]
fn help_is_in_indonesian_and_a_wrong_command_line_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let help = stdout_of(office(dir.path(), &["--help"]));
    assert!(help.contains("Pemakaian:") && help.contains("Perintah"), "{help}");
    let code_help = stdout_of(office(dir.path(), &["code", "--help"]));
    assert!(code_help.contains("Masa berlaku"), "{code_help}");
    let expires = office(dir.path(), &["code", "--kelurahan", "32.77.01.1001", "--expires", "sebentar"]);
    assert_eq!(expires.status.code(), Some(2));
    let said = String::from_utf8_lossy(&expires.stderr);
    assert!(said.contains("nilai tidak valid untuk --expires <LAMA>: 'sebentar' bukan lama waktu"), "{said}");
    assert!(said.contains("Pemakaian: rembug-office --data <FOLDER> code"), "{said}");
    let unknown = office(dir.path(), &["terbang"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("perintah tidak dikenal: terbang"));
    assert_eq!(office(dir.path(), &["bundles"]).status.code(), Some(1), "no office in this folder");
    let other_database = Command::new(env!("CARGO_BIN_EXE_rembug-office"))
        .arg("--data")
        .arg(dir.path())
        .args(["--database", "mysql://kantor@10.0.0.7/rembug", "devices"])
        .output()
        .unwrap();
    assert_eq!(other_database.status.code(), Some(2));
    let said = String::from_utf8_lossy(&other_database.stderr);
    assert!(said.contains("bukan alamat basis data seperti postgres://"), "{said}");
}

#[test]
fn an_enrollment_file_carries_the_office_code_scope_and_pin_signed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("kantor");
    stdout_of(office(&data, &["init"]));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let cert = fixtures.join("office-cert.pem");
    let file = dir.path().join("daftar.json");
    let printed = stdout_of(office(
        &data,
        &[
            "code",
            "--kelurahan",
            "32.77.01.1001",
            "--rw",
            "8",
            "--enrollment-file",
            file.to_str().unwrap(),
            "--url",
            "https://127.0.0.1:8443/",
            "--tls-cert",
            cert.to_str().unwrap(),
        ],
    ));
    let code = EnrollmentCode::parse(printed.lines().last().unwrap()).unwrap();
    let signed: Signed = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let identity = rembug_office::Office::open_with(&data, &database_of(&data)).unwrap().identity;
    let enrollment: EnrollmentFile = signed.open(&identity.verifying_key().unwrap()).unwrap();
    assert_eq!(enrollment.office, identity);
    assert_eq!(enrollment.code, code.as_str());
    assert_eq!(enrollment.url, "https://127.0.0.1:8443");
    assert_eq!((enrollment.scope.kelurahan_code.as_str(), enrollment.scope.rw), ("32.77.01.1001", Some(8)));
    let pin = rembug_office::server::certificate_chain(&cert).unwrap().1;
    assert_eq!(enrollment.tls_certificate_sha256, Some(pin));
    // https without the certificate to pin is refused.
    let refused =
        office(&data, &["code", "--kelurahan", "32.77.01.1001", "--enrollment-file", "x.json", "--url", "https://h"]);
    assert_eq!(refused.status.code(), Some(1));
}

#[test]
fn a_synthetic_year_fills_the_index_the_pages_read_without_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("kantor");
    stdout_of(office(&data, &["init"]));
    // Cimahi's 15 kelurahan: 40 bundles are three rounds, the third of
    // kelurahan 0 a correction of its RW 1.
    let said = stdout_of(office(&data, &["synth-year", "--year", "2030", "--bundles", "40"]));
    assert!(said.contains("Tahun 2030 sintetis: 40 bundel dan ") && said.contains("untuk 15 kelurahan/desa"), "{said}");
    // Another year beside it: the devices and RW counts are kept.
    stdout_of(office(&data, &["synth-year", "--year", "2031", "--bundles", "15"]));
    let store = rembug_office::Office::open_with(&data, &database_of(&data)).unwrap().store;
    let filter = |year| rembug_office::store::BundleFilter { planning_year: Some(year), ..Default::default() };
    assert_eq!(store.bundles_where(&filter(2030)).unwrap().len(), 40);
    let latest = store.figures_where(&filter(2030)).unwrap();
    assert_eq!(latest.len(), 39, "the corrected revision is left out");
    let (corrected, figures) = latest.iter().find(|(bundle, _)| bundle.revision == 2).unwrap();
    assert_eq!((corrected.kelurahan_code.as_str(), corrected.rw), ("32.77.01.1001", Some(1)));
    assert_eq!(figures.kelurahan_name, "Melong");
    assert!((2..=5).contains(&figures.usulan.len()) && figures.attendees >= 15, "{figures:?}");
    assert_eq!(store.figures_where(&filter(2031)).unwrap().len(), 15);
    assert_eq!(store.rw_counts(Some("32.77")).unwrap().len(), 15);
    assert!(store.bundles_without_figures().unwrap().is_empty());
}
