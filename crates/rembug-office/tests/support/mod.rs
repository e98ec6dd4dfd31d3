//! A real office server on loopback for each test, the real client, and a
//! raw HTTP sender for what the client never sends (forged, replayed or
//! corrupted requests, bodies cut short).
// Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

pub mod cluster;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use rembug_core::device::DeviceIdentity;
use rembug_core::hex;
use rembug_office::store::{Database, OfficeStore, SqliteStore};
use rembug_office::{Limits, Office};
use rembug_sync::client::{ClientError, Committed, OfficeClient};
use rembug_sync::{EnrollmentCode, RequestToSign, auth::new_nonce};

pub const KELURAHAN: &str = "32.77.01.1001";

/// An office initialised once per test run (its admin password hash takes
/// seconds on purpose), copied for each test.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let template = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rembug-office-template");
        make_template(&template);
        template
    })
}

fn make_template(template: &Path) {
    if !template.exists() {
        let building = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("rembug-office-template-{}", uuid()));
        Office::init(&building, "Bappelitbangda", "Kota Cimahi", "admin", "rahasia").unwrap();
        // Another test process may have made it meanwhile: theirs is as good.
        if std::fs::rename(&building, template).is_err() {
            std::fs::remove_dir_all(&building).unwrap();
        }
    }
}

/// Set to `postgres` (as `make test` does in its second run), the tests'
/// offices keep their index in PostgreSQL: a new database per office, copied
/// from a template holding the same office as the SQLite template.
pub const STORE_VARIABLE: &str = "REMBUG_OFFICE_TEST_STORE";

pub fn on_postgres() -> bool {
    std::env::var(STORE_VARIABLE).is_ok_and(|store| store == "postgres")
}

/// The index of a new test office: the template folder's SQLite copy, or a
/// new PostgreSQL database.
pub fn new_database() -> Database {
    if !on_postgres() {
        return Database::Sqlite;
    }
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let sqlite = SqliteStore::open(template()).unwrap();
        let admin = sqlite.staff("admin").unwrap().unwrap();
        let url = cluster::cluster().database();
        let store = rembug_office::store::PostgresStore::open(&url).unwrap();
        store.initialise(&sqlite.office().unwrap(), "admin", &admin.password_hash, "2026-12-07T00:00:00Z").unwrap();
        url.rsplit('/').next().unwrap().to_owned()
    });
    Database::Postgres(cluster::cluster().database_from(template))
}

fn uuid() -> String {
    hex::encode(&SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos().to_le_bytes())
}

/// A running office: its data folder, its address and a handle on its data.
pub struct TestOffice {
    pub dir: tempfile::TempDir,
    pub database: Database,
    pub url: String,
    pub address: std::net::SocketAddr,
    runtime: tokio::runtime::Runtime,
}

impl TestOffice {
    pub fn start() -> TestOffice {
        TestOffice::start_with(Limits::default(), None)
    }

    pub fn start_with(limits: Limits, tls: Option<&Path>) -> TestOffice {
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(template()).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
            }
        }
        TestOffice::serve_folder(dir, new_database(), limits, tls)
    }

    /// Stops serving and serves the same data folder again, as after a
    /// restart of the server.
    pub fn restart(self) -> TestOffice {
        self.restart_after(|_, _| {})
    }

    /// [`TestOffice::restart`], with `change` made to the stopped office's
    /// folder and index before it starts again.
    pub fn restart_after(self, change: impl FnOnce(&Path, &Database)) -> TestOffice {
        let database = self.database.clone();
        let dir = self.stop();
        change(dir.path(), &database);
        TestOffice::serve_folder(dir, database, Limits::default(), None)
    }

    fn serve_folder(dir: tempfile::TempDir, database: Database, limits: Limits, tls: Option<&Path>) -> TestOffice {
        let office = Office::open_with(dir.path(), &database).unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let acceptor = tls.map(|fixtures| {
            rembug_office::server::tls_acceptor(&fixtures.join("office-cert.pem"), &fixtures.join("office-key.pem"))
                .unwrap()
                .0
        });
        {
            let _inside = runtime.enter();
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            runtime.spawn(rembug_office::serve(office, limits, listener, acceptor));
        }
        let scheme = if tls.is_some() { "https" } else { "http" };
        TestOffice { dir, database, url: format!("{scheme}://{address}"), address, runtime }
    }

    /// Another handle on the running office's data folder, as staff have.
    pub fn admin(&self) -> Office {
        Office::open_with(self.dir.path(), &self.database).unwrap()
    }

    pub fn code(&self, rw: Option<u16>) -> EnrollmentCode {
        self.admin().new_code(KELURAHAN, rw, chrono::Duration::days(7)).unwrap().0
    }

    pub fn client(&self, device: DeviceIdentity) -> OfficeClient {
        OfficeClient::new(&self.url, Arc::new(device), None, None).unwrap()
    }

    /// A client of a device enrolled for `rw` (or the whole kelurahan).
    pub fn enrolled(&self, device: DeviceIdentity, rw: Option<u16>) -> OfficeClient {
        let mut client = self.client(device);
        client.preflight().unwrap();
        client.enroll(&self.code(rw)).unwrap();
        client
    }

    /// Files under the data folder's `bundles/` and `uploads/`.
    pub fn files(&self, sub: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path().join(sub))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Stops serving (the runtime and its tasks end).
    pub fn stop(self) -> tempfile::TempDir {
        self.runtime.shutdown_timeout(std::time::Duration::from_secs(10));
        self.dir
    }
}

/// A fresh device key in its own folder.
pub fn new_device() -> (tempfile::TempDir, DeviceIdentity) {
    let dir = tempfile::tempdir().unwrap();
    let device = DeviceIdentity::load_or_create(dir.path()).unwrap();
    (dir, device)
}

/// Uploads `bytes` in chunks of `chunk` bytes from wherever the office's
/// copy ends, then commits.
pub fn deliver_in_chunks(client: &OfficeClient, bytes: &[u8], chunk: usize) -> Result<Committed, ClientError> {
    let sha256 = hex::sha256_hex(bytes);
    let state = client.create_upload(&sha256, bytes.len() as u64)?;
    let mut offset = state.offset as usize;
    while offset < bytes.len() {
        let end = (offset + chunk).min(bytes.len());
        offset = client.patch_chunk(&state.upload_id, offset as u64, &bytes[offset..end])?.offset as usize;
    }
    client.commit(&state.upload_id, &sha256)
}

pub fn deliver(client: &OfficeClient, bytes: &[u8]) -> Result<Committed, ClientError> {
    deliver_in_chunks(client, bytes, rembug_sync::MAX_CHUNK_BYTES as usize)
}

/// The status and code of a refusal.
pub fn refusal(result: Result<impl std::fmt::Debug, ClientError>) -> (u16, String) {
    match result {
        Err(ClientError::Refused { status, code, .. }) => (status, code),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A request as the client would sign it, to send by hand.
pub struct RawRequest {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    /// Signed by `device` at the office time `clock_offset` away from ours,
    /// over `signed_body` (the body itself unless a test corrupts it).
    pub fn signed(
        device: &DeviceIdentity,
        clock_offset: i64,
        method: &'static str,
        path: &str,
        signed_body: &[u8],
    ) -> RawRequest {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        let (nonce, body_sha256) = (new_nonce(), hex::sha256_hex(signed_body));
        let auth =
            RequestToSign { method, path, office_time: now + clock_offset, nonce: &nonce, body_sha256: &body_sha256 }
                .sign(device);
        let headers = auth.pairs().into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
        RawRequest { method, path: path.to_owned(), headers, body: signed_body.to_vec() }
    }

    pub fn header(mut self, name: &str, value: &str) -> RawRequest {
        self.headers.retain(|(n, _)| n != name);
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sends it over plain HTTP to `address`: all of the body, or only its
    /// first `cut_after` bytes before the connection is closed. The status
    /// and body of the answer, if one came.
    pub fn send(&self, address: std::net::SocketAddr, cut_after: Option<usize>) -> Option<(u16, String)> {
        let mut stream = TcpStream::connect(address).unwrap();
        let mut head = format!("{} {} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n", self.method, self.path);
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", self.body.len()));
        stream.write_all(head.as_bytes()).unwrap();
        let sent = cut_after.unwrap_or(self.body.len()).min(self.body.len());
        stream.write_all(&self.body[..sent]).unwrap();
        if cut_after.is_some() {
            stream.shutdown(std::net::Shutdown::Both).unwrap();
            return None;
        }
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let status = answer.split(' ').nth(1)?.parse().ok()?;
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned();
        Some((status, body))
    }
}
