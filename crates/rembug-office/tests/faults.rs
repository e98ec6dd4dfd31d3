//! Delivery over a broken link, end to end: the devices' sending engine
//! (`rembug_sync::outbox`) against the real `rembug-office` binary, through a
//! fault-injecting TCP proxy of this file's own. The proxy cuts connections
//! at random byte offsets, answers 500, answers 200 with an HTML login page,
//! delays, flips a byte in a chunk and repeats a request; the server is also
//! killed (SIGKILL) and restarted in the middle of an upload. Every bundle
//! must land exactly once (`rembug-office bundles --json`), none lost, and a
//! corrupted chunk must be refused and sent again. Seeded: the same seed
//! injects the same faults in the same order of connections.
//!
//! Several servers, one office: `two_servers_on_one_database_...` starts two
//! `rembug-office serve` on the same PostgreSQL database and data folder
//! behind this proxy as a round-robin load balancer, and kills one midway.
//! With `REMBUG_OFFICE_TEST_STORE=postgres` the other tests run on
//! PostgreSQL too.
//!
//! `bytes_sent_for_a_20_mb_bundle_over_a_link_cut_every_megabyte` is the
//! measurement recorded in docs/benchmarks.md (ignored in the normal run):
//! `cargo test --workspace -- --ignored bytes_sent_for --nocapture`.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rembug_core::attendance::Role;
use rembug_core::device::DeviceIdentity;
use rembug_core::meeting::MeetingForm;
use rembug_core::outbox::OutboxState;
use rembug_core::people::PersonForm;
use rembug_core::usulan::UsulanForm;
use rembug_core::{DataDir, Store};
use rembug_sync::enroll::enroll_online;
use rembug_sync::outbox::{Outcome, RoundOptions, sync_round};

const KELURAHAN: &str = "32.77.01.1001";

// ---------------------------------------------------------------- the office

/// A `rembug-office` data folder (and PostgreSQL database) and, while it
/// runs, its server process.
struct Office {
    data: PathBuf,
    /// `--database`, or the SQLite index in the folder.
    database: Option<String>,
    port: u16,
    child: Option<Child>,
    /// The first admin's password, as `init` printed it.
    password: String,
}

impl Office {
    fn init(dir: &Path) -> Office {
        let database = support::on_postgres().then(|| support::cluster::cluster().database());
        Office::init_with(dir, database)
    }

    fn init_with(dir: &Path, database: Option<String>) -> Office {
        let data = dir.join("office");
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut office = Office { data, database, port, child: None, password: String::new() };
        let init = office.command().args(["init", "--name", "Bappelitbangda"]).stdin(Stdio::null()).output();
        let init = init.unwrap();
        assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
        let printed = String::from_utf8(init.stdout).unwrap();
        office.password = printed.lines().last().unwrap().rsplit(' ').next().unwrap().to_owned();
        office.start();
        office
    }

    /// Another server on the same folder and database, started.
    fn another_server(&self) -> Office {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let (data, database, password) = (self.data.clone(), self.database.clone(), self.password.clone());
        let mut office = Office { data, database, port, child: None, password };
        office.start();
        office
    }

    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rembug-office"));
        command.arg("--data").arg(&self.data);
        if let Some(database) = &self.database {
            command.arg("--database").arg(database);
        }
        command
    }

    fn start(&mut self) {
        let child = self
            .command()
            .args(["serve", "--listen", &format!("127.0.0.1:{}", self.port)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        let started = Instant::now();
        while TcpStream::connect(self.address()).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "the office did not start");
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL, as a power cut would stop it.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    fn address(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    fn url(&self) -> String {
        format!("http://{}", self.address())
    }

    fn code(&self) -> String {
        let output = self.command().args(["code", "--kelurahan", KELURAHAN]).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap().lines().last().unwrap().trim().to_owned()
    }

    /// `bundles --json`: the SHA-256 of each bundle the office holds, with repeats.
    fn bundles(&self) -> Vec<String> {
        let output = self.command().args(["bundles", "--json"]).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        json.as_array().unwrap().iter().map(|bundle| bundle["sha256"].as_str().unwrap().to_owned()).collect()
    }
}

impl Drop for Office {
    fn drop(&mut self) {
        self.kill();
    }
}

// ---------------------------------------------------------------- the device

/// A device's data folder with locked meetings of RW 1, 2, … in the
/// office's kelurahan, one per item of `photo_sides`, each usulan with
/// photos of noise of those sides in pixels (at most 1,600, so they are
/// stored and sealed as the PNG they are, about 3 bytes a pixel).
fn device_with_locked_meetings(dir: &Path, photo_sides: &[&[u32]]) -> (DataDir, Store) {
    let data_dir = DataDir::open(&dir.join("device")).unwrap();
    let store = data_dir.open_store().unwrap();
    for (index, sides) in photo_sides.iter().enumerate() {
        let rw = index as u16 + 1;
        let id = store.create_meeting(&meeting_form(rw)).unwrap().id;
        let mut people = Vec::new();
        for (number, name) in ["Sulastri Wiryaningsih", "Bambang Hadiprayitno", "Euis Kartikasari"].iter().enumerate() {
            let form = PersonForm {
                name: (*name).into(),
                gender: if number % 2 == 0 { "P" } else { "L" }.into(),
                unsur: "warga".into(),
                rt: "1".into(),
                rw: rw.to_string(),
                ..PersonForm::default()
            };
            people.push(store.check_in_new(&id, &form, Role::Peserta).unwrap().person_id);
        }
        let usulan = store.add_usulan(&id, &usulan_form()).unwrap();
        for (number, side) in sides.iter().enumerate() {
            let photo = noise_png(*side, u64::from(rw) * 100 + number as u64);
            store.add_usulan_photo(&usulan.id, Cursor::new(photo), false).unwrap();
        }
        store.set_delegates(&id, &people).unwrap();
        store.lock_meeting(&id).unwrap();
    }
    (data_dir, store)
}

fn meeting_form(rw: u16) -> MeetingForm {
    MeetingForm {
        stage: "rembug_warga".into(),
        kelurahan_code: KELURAHAN.into(),
        rw: rw.to_string(),
        planning_year: "2027".into(),
        date: "2026-12-05".into(),
        start_time: "09:00".into(),
        place: "Balai RW".into(),
        facilitator: "Neneng Suryani".into(),
        notulis: "Asep Saepudin".into(),
        pimpinan: "Ujang Suryana".into(),
        pimpinan_jabatan: "Ketua RW".into(),
        nomor: String::new(),
    }
}

fn usulan_form() -> UsulanForm {
    UsulanForm {
        permasalahan: "Jalan berlubang saat hujan".into(),
        kegiatan: "Perbaikan jalan lingkungan".into(),
        alamat: "Jl. Melong Gg. Melati".into(),
        rt_list: "1".into(),
        volume: "150".into(),
        satuan: "meter".into(),
        biaya: "Rp 45.000.000".into(),
        bidang: "infrastruktur".into(),
        ..UsulanForm::default()
    }
}

/// A PNG of random pixels: it does not compress, so its size is about
/// three bytes a pixel.
fn noise_png(side: u32, seed: u64) -> Vec<u8> {
    let mut random = SplitMix(seed);
    let image = image::RgbImage::from_fn(side, side, |_, _| {
        let value = random.next();
        image::Rgb([value as u8, (value >> 8) as u8, (value >> 16) as u8])
    });
    let mut bytes = Vec::new();
    image.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// Enrolls the device straight with the office, then points it at `url`
/// (the proxy) for sending.
fn enroll(office: &Office, data_dir: &DataDir, store: &Store, url: &str) -> Arc<DeviceIdentity> {
    let device = Arc::new(DeviceIdentity::load_or_create(data_dir.path()).unwrap());
    let enrolled =
        enroll_online(store, data_dir.path(), device.clone(), &office.url(), &office.code(), &mut |_| false).unwrap();
    let mut enrollment = enrolled.enrollment;
    enrollment.office_url = url.to_owned();
    store.save_enrollment(&enrollment).unwrap();
    device
}

/// Runs rounds until every locked meeting is delivered.
fn deliver_everything(store: &Store, device: &Arc<DeviceIdentity>, rounds: usize) -> usize {
    let options = RoundOptions { force: true, quick_tries: 12 };
    for round in 1..=rounds {
        // A round that cannot reach the office at all is simply tried again.
        let _ = sync_round(store, device.clone(), options, &mut |_| {});
        if store.outbox().unwrap().iter().all(|item| item.is_delivered()) {
            return round;
        }
    }
    let states: Vec<_> = store.outbox().unwrap().into_iter().map(|item| item.entry).collect();
    panic!("not delivered after {rounds} rounds: {states:#?}");
}

// ---------------------------------------------------------------- the proxy

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// Cut both ways after a random number of bytes from the device.
    Cut,
    /// `500` with an empty body, nothing forwarded.
    Status500,
    /// `200` with an HTML page, as a wifi login portal answers.
    LoginPage,
    /// Wait before forwarding.
    Delay,
    /// One byte of a chunk's body flipped on the way.
    FlipByte,
    /// The first request forwarded twice (the copy's answer dropped).
    Repeat,
}

const FAULTS: [Fault; 6] =
    [Fault::Cut, Fault::Status500, Fault::LoginPage, Fault::Delay, Fault::FlipByte, Fault::Repeat];

/// How the proxy breaks the link.
#[derive(Clone, Copy)]
enum Plan {
    /// Each new connection gets a fault with probability `percent`.
    Random { percent: u64 },
    /// The connection in use is cut each time the bytes from the device
    /// cross a multiple of `every` (a link that drops every megabyte).
    CutEvery { every: u64 },
}

struct Proxy {
    address: SocketAddr,
    stats: Arc<Stats>,
    stop: Arc<AtomicBool>,
}

#[derive(Default)]
struct Stats {
    /// Bytes the device sent through the proxy, answers not included.
    device_bytes: AtomicU64,
    /// Faults injected, by kind, in [`FAULTS`]'s order.
    injected: [AtomicU64; 6],
    /// Answers `460 checksum_mismatch` to a flipped chunk.
    corrupt_refused: AtomicU64,
    /// For [`Plan::CutEvery`]: where the next cut falls.
    next_cut: AtomicU64,
    /// Per upload id, the servers (by index) its chunks were forwarded to.
    chunks_to: Mutex<BTreeMap<String, BTreeSet<usize>>>,
}

impl Stats {
    fn count(&self, fault: Fault) {
        let index = FAULTS.iter().position(|kind| *kind == fault).unwrap();
        self.injected[index].fetch_add(1, Ordering::SeqCst);
    }

    fn injected(&self, fault: Fault) -> u64 {
        self.injected[FAULTS.iter().position(|kind| *kind == fault).unwrap()].load(Ordering::SeqCst)
    }
}

impl Proxy {
    fn start(upstream: SocketAddr, plan: Plan, seed: u64) -> Proxy {
        Proxy::balance(vec![upstream], plan, seed)
    }

    /// A load balancer too: each new connection goes to the next of
    /// `upstreams` that accepts it (round robin, skipping a dead server).
    fn balance(upstreams: Vec<SocketAddr>, plan: Plan, seed: u64) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let stats = Arc::new(Stats::default());
        if let Plan::CutEvery { every } = plan {
            stats.next_cut.store(every, Ordering::SeqCst);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let (accept_stats, accept_stop) = (stats.clone(), stop.clone());
        let random = Arc::new(Mutex::new(SplitMix(seed)));
        let upstreams = Arc::new(upstreams);
        thread::spawn(move || {
            for (connection, device) in listener.incoming().enumerate() {
                if accept_stop.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(device) = device else { continue };
                let (stats, random, upstreams) = (accept_stats.clone(), random.clone(), upstreams.clone());
                thread::spawn(move || {
                    let _ = relay(device, &upstreams, connection, plan, &random, &stats);
                });
            }
        });
        Proxy { address, stats, stop }
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn report(&self) -> String {
        let kinds: Vec<String> =
            FAULTS.iter().map(|fault| format!("{fault:?} {}", self.stats.injected(*fault))).collect();
        format!(
            "faults injected: {}; corrupted chunks refused: {}; bytes from the device: {}",
            kinds.join(", "),
            self.stats.corrupt_refused.load(Ordering::SeqCst),
            self.stats.device_bytes.load(Ordering::SeqCst)
        )
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.address);
    }
}

/// The link was cut in the middle of a request.
struct Cut;

/// One connection from the device, request by request, each with the fault
/// the seeded generator picks for it.
fn relay(
    mut device: TcpStream,
    upstreams: &[SocketAddr],
    connection: usize,
    plan: Plan,
    random: &Mutex<SplitMix>,
    stats: &Stats,
) -> std::io::Result<()> {
    let mut server: Option<(usize, TcpStream)> = None;
    loop {
        let request = match read_request(&mut device, plan, stats)? {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(Cut) => {
                stats.count(Fault::Cut);
                return cut(&device, server.as_ref().map(|(_, stream)| stream));
            }
        };
        let (fault, param) = {
            let mut random = random.lock().unwrap();
            let fault = match plan {
                Plan::Random { percent } if random.next() % 100 < percent => {
                    Some(FAULTS[(random.next() % FAULTS.len() as u64) as usize])
                }
                _ => None,
            };
            (fault, random.next())
        };
        let canned = match fault {
            Some(Fault::Status500) => {
                Some("HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned())
            }
            Some(Fault::LoginPage) => {
                let page = "<html><body><form>Masukkan voucher wifi</form></body></html>";
                Some(format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
                    page.len()
                ))
            }
            _ => None,
        };
        if let Some(answer) = canned {
            stats.count(fault.unwrap());
            device.write_all(answer.as_bytes())?;
            return cut(&device, server.as_ref().map(|(_, stream)| stream));
        }
        let (upstream, upstream_connection) = match &mut server {
            Some((upstream, stream)) => (*upstream, stream),
            None => {
                let (upstream, stream) = connect_to_one(upstreams, connection)?;
                (upstream, &mut server.insert((upstream, stream)).1)
            }
        };
        if let Some(upload) = chunk_of(&request) {
            stats.chunks_to.lock().unwrap().entry(upload).or_default().insert(upstream);
        }
        let mut sent = request.clone();
        match fault {
            Some(Fault::Cut) => {
                stats.count(Fault::Cut);
                let at = (param % request.len() as u64) as usize;
                let _ = upstream_connection.write_all(&request[..at]);
                return cut(&device, server.as_ref().map(|(_, stream)| stream));
            }
            Some(Fault::Delay) => {
                stats.count(Fault::Delay);
                thread::sleep(Duration::from_millis(100 + param % 400));
            }
            Some(Fault::FlipByte) => {
                let body = head_length(&request)..request.len();
                if request.starts_with(b"PATCH ") && !body.is_empty() {
                    stats.count(Fault::FlipByte);
                    sent[body.start + (param % body.len() as u64) as usize] ^= 0x01;
                }
            }
            _ => {}
        }
        upstream_connection.write_all(&sent)?;
        let answer = read_answer(upstream_connection)?;
        if sent != request && answer.starts_with(b"HTTP/1.1 460") {
            stats.corrupt_refused.fetch_add(1, Ordering::SeqCst);
        }
        device.write_all(&answer)?;
        if fault == Some(Fault::Repeat) {
            // The same request again on a connection of its own, its answer
            // dropped: a replay the office must shrug off.
            stats.count(Fault::Repeat);
            let mut again = TcpStream::connect(upstreams[upstream])?;
            again.write_all(&request)?;
            let _ = read_answer(&mut again);
        }
    }
}

/// The first server that accepts, trying them in turn from the
/// `connection`th: the index of the one and the stream.
fn connect_to_one(upstreams: &[SocketAddr], connection: usize) -> std::io::Result<(usize, TcpStream)> {
    let mut last = None;
    for turn in 0..upstreams.len() {
        let upstream = (connection + turn) % upstreams.len();
        match TcpStream::connect(upstreams[upstream]) {
            Ok(stream) => return Ok((upstream, stream)),
            Err(error) => last = Some(error),
        }
    }
    Err(last.expect("at least one server"))
}

/// The upload id of a chunk (`PATCH /v1/uploads/{id}`).
fn chunk_of(request: &[u8]) -> Option<String> {
    let line = request.split(|byte| *byte == b'\r').next()?;
    let path = std::str::from_utf8(line).ok()?.strip_prefix("PATCH /v1/uploads/")?;
    Some(path.split(' ').next()?.to_owned())
}

/// Closes both sides, as a dropped link does.
fn cut(device: &TcpStream, server: Option<&TcpStream>) -> std::io::Result<()> {
    let _ = device.shutdown(Shutdown::Both);
    if let Some(server) = server {
        let _ = server.shutdown(Shutdown::Both);
    }
    Ok(())
}

/// A whole request from the device (head and `content-length` body), or
/// none when it closed; counts its bytes, and for [`Plan::CutEvery`] cuts
/// where the running total crosses the next cut.
fn read_request(device: &mut TcpStream, plan: Plan, stats: &Stats) -> std::io::Result<Result<Option<Vec<u8>>, Cut>> {
    let mut request = Vec::new();
    let mut byte = [0u8; 1];
    while !request.ends_with(b"\r\n\r\n") {
        if device.read(&mut byte)? == 0 {
            return Ok(Ok(None));
        }
        request.push(byte[0]);
        if count(stats, plan, 1) {
            return Ok(Err(Cut));
        }
    }
    let mut left = content_length(&request);
    let mut buffer = [0u8; 16 * 1024];
    while left > 0 {
        let read = device.read(&mut buffer[..left.min(16 * 1024)])?;
        if read == 0 {
            return Ok(Ok(None));
        }
        request.extend_from_slice(&buffer[..read]);
        left -= read;
        if count(stats, plan, read as u64) {
            return Ok(Err(Cut));
        }
    }
    Ok(Ok(Some(request)))
}

/// Counts `bytes` from the device; true when they cross the next cut.
fn count(stats: &Stats, plan: Plan, bytes: u64) -> bool {
    let total = stats.device_bytes.fetch_add(bytes, Ordering::SeqCst) + bytes;
    let Plan::CutEvery { every } = plan else { return false };
    let next = stats.next_cut.load(Ordering::SeqCst);
    if total < next {
        return false;
    }
    stats.next_cut.store(next + every, Ordering::SeqCst);
    true
}

/// A whole answer from the office: head and `content-length` body.
fn read_answer(server: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        if server.read(&mut byte)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        answer.push(byte[0]);
    }
    let mut body = vec![0; content_length(&answer)];
    server.read_exact(&mut body)?;
    answer.extend_from_slice(&body);
    Ok(answer)
}

fn head_length(message: &[u8]) -> usize {
    message.windows(4).position(|window| window == b"\r\n\r\n").map_or(message.len(), |at| at + 4)
}

fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(&head[..head_length(head)])
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok()).flatten()
        })
        .unwrap_or(0)
}

/// SplitMix64: a seeded generator, so a run can be repeated exactly.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

// ---------------------------------------------------------------- the tests

#[test]
fn every_bundle_lands_exactly_once_through_faults_and_a_killed_server() {
    let seed = std::env::var("REMBUG_FAULT_SEED").ok().and_then(|seed| seed.parse().ok()).unwrap_or(7);
    let dir = tempfile::tempdir().unwrap();
    let office = Arc::new(Mutex::new(Office::init(dir.path())));
    // Three small bundles and one of several megabytes.
    let (data_dir, store) = device_with_locked_meetings(dir.path(), &[&[], &[40], &[], &[1100]]);
    let address = office.lock().unwrap().address();
    let proxy = Proxy::start(address, Plan::Random { percent: 35 }, seed);
    let device = enroll(&office.lock().unwrap(), &data_dir, &store, &proxy.url());

    // The server is killed twice mid-upload, as the bytes pass 1 and 3 MB.
    let killer = {
        let (office, stats) = (office.clone(), proxy.stats.clone());
        thread::spawn(move || {
            let mut kills = 0;
            for threshold in [1_000_000, 3_000_000] {
                let started = Instant::now();
                while stats.device_bytes.load(Ordering::SeqCst) < threshold {
                    if started.elapsed() > Duration::from_secs(120) {
                        return kills;
                    }
                    thread::sleep(Duration::from_millis(5));
                }
                office.lock().unwrap().kill();
                thread::sleep(Duration::from_millis(300));
                office.lock().unwrap().start();
                kills += 1;
            }
            kills
        })
    };
    let rounds = deliver_everything(&store, &device, 40);
    let kills = killer.join().unwrap();
    println!("seed {seed}: delivered in {rounds} rounds; server killed {kills} times; {}", proxy.report());

    let expected: BTreeSet<String> = store
        .outbox()
        .unwrap()
        .into_iter()
        .map(|item| {
            let entry = item.entry.unwrap();
            assert_eq!(entry.state, OutboxState::Delivered);
            assert!(entry.receipt.is_some());
            entry.bundle_sha256
        })
        .collect();
    assert_eq!(expected.len(), 4);
    let mut held = office.lock().unwrap().bundles();
    held.sort();
    assert_eq!(held, expected.into_iter().collect::<Vec<_>>(), "each bundle exactly once");
    assert_eq!(kills, 2, "the server was killed mid-upload");
    let stats = &proxy.stats;
    for fault in FAULTS {
        assert!(stats.injected(fault) > 0, "no {fault:?} was injected: {}", proxy.report());
    }
    assert!(stats.corrupt_refused.load(Ordering::SeqCst) > 0, "a corrupted chunk was refused: {}", proxy.report());

    // Another round sends nothing: everything is delivered.
    let sent_before = stats.device_bytes.load(Ordering::SeqCst);
    let report = sync_round(&store, device, RoundOptions { force: true, quick_tries: 12 }, &mut |_| {}).unwrap();
    assert!(report.outcomes.is_empty());
    assert_eq!(report.already_delivered, 4);
    assert!(stats.device_bytes.load(Ordering::SeqCst) - sent_before < 10_000, "only a preflight and the roster");
    assert_eq!(office.lock().unwrap().bundles().len(), 4);
}

#[test]
#[ignore = "a measurement: run it with --ignored --nocapture (docs/benchmarks.md)"]
fn bytes_sent_for_a_20_mb_bundle_over_a_link_cut_every_megabyte() {
    // A megabyte both ways: 10^6 and 2^20 bytes.
    for every in [1_000_000, 1 << 20] {
        let dir = tempfile::tempdir().unwrap();
        let office = Office::init(dir.path());
        // Three noise PNGs of 1,500 pixels a side: a bundle of about 20 MB.
        let (data_dir, store) = device_with_locked_meetings(dir.path(), &[&[1500, 1500, 1500]]);
        let proxy = Proxy::start(office.address(), Plan::CutEvery { every }, 1);
        let device = enroll(&office, &data_dir, &store, &proxy.url());
        let started = Instant::now();
        deliver_everything(&store, &device, 10);
        let seconds = started.elapsed().as_secs_f64();
        let size = store.outbox().unwrap()[0].entry.as_ref().unwrap().bundle_size;
        let sent = proxy.stats.device_bytes.load(Ordering::SeqCst);
        println!(
            "bundle {size} bytes; sent {sent} bytes over a link cut every {every} bytes ({} cuts): {:.4}x the bundle, {seconds:.1} s",
            proxy.stats.injected(Fault::Cut),
            sent as f64 / size as f64
        );
        assert!(size >= 20_000_000, "{size}");
        assert!(sent as f64 <= 1.05 * size as f64, "{sent} bytes for {size}");
    }
}

#[test]
fn an_upload_cut_short_resumes_from_the_office_offset_after_the_app_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let office = Office::init(dir.path());
    let (data_dir, store) = device_with_locked_meetings(dir.path(), &[&[1100]]);
    let proxy = Proxy::start(office.address(), Plan::CutEvery { every: 1_500_000 }, 1);
    let device = enroll(&office, &data_dir, &store, &proxy.url());
    // No quick retries: the first cut ends the round, as closing the app would.
    let once = RoundOptions { force: false, quick_tries: 0 };
    let report = sync_round(&store, device.clone(), once, &mut |_| {}).unwrap();
    assert!(matches!(&report.outcomes[0].outcome, Outcome::Waiting { code, .. } if code == "network"));
    let entry = store.outbox().unwrap().remove(0).entry.unwrap();
    assert_eq!(entry.state, OutboxState::Waiting);
    assert!(entry.bytes_acknowledged > 1_000_000, "{}", entry.bytes_acknowledged);
    drop(store);

    // The app starts again: the office's offset is asked, only the rest is sent.
    let store = data_dir.open_store().unwrap();
    let forced = RoundOptions { force: true, quick_tries: 0 };
    let mut seen = Vec::new();
    for _ in 0..5 {
        let report =
            sync_round(&store, device.clone(), forced, &mut |progress| seen.push(progress.sent_bytes)).unwrap();
        if matches!(report.outcomes[0].outcome, Outcome::Delivered { .. }) {
            break;
        }
    }
    let entry = store.outbox().unwrap().remove(0).entry.unwrap();
    assert_eq!(entry.state, OutboxState::Delivered);
    assert!(seen[0] >= 1_000_000, "the first progress after the restart is the office's offset: {seen:?}");
    let sent = proxy.stats.device_bytes.load(Ordering::SeqCst);
    assert!((sent as f64) < 1.1 * entry.bundle_size as f64, "{sent} bytes sent for {}", entry.bundle_size);
    assert_eq!(office.bundles(), [entry.bundle_sha256]);
}

#[test]
fn a_bundle_damaged_on_the_laptop_is_sealed_again_and_lands_whole() {
    let dir = tempfile::tempdir().unwrap();
    let office = Office::init(dir.path());
    let (data_dir, store) = device_with_locked_meetings(dir.path(), &[&[200]]);
    // Sealed while the office is out of reach, then a byte of it rots.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let device = enroll(&office, &data_dir, &store, &format!("http://{closed}"));
    let quick = RoundOptions { force: true, quick_tries: 12 };
    sync_round(&store, device.clone(), quick, &mut |_| {}).unwrap();
    let sealed = store.outbox().unwrap().remove(0).entry.unwrap();
    let path = data_dir.path().join("outbox").join(format!("{}.rembug", sealed.bundle_sha256));
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[100] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();

    let mut enrollment = store.enrollment().unwrap().unwrap();
    enrollment.office_url = office.url();
    store.save_enrollment(&enrollment).unwrap();
    let report = sync_round(&store, device.clone(), quick, &mut |_| {}).unwrap();
    assert!(
        matches!(&report.outcomes[0].outcome, Outcome::Waiting { code, .. } if code == "size_mismatch"),
        "{:?}",
        report.outcomes
    );
    assert!(!path.exists(), "the damaged file is dropped");
    assert!(office.bundles().is_empty(), "nothing damaged is stored");

    let report = sync_round(&store, device, quick, &mut |_| {}).unwrap();
    assert!(matches!(report.outcomes[0].outcome, Outcome::Delivered { new: true, .. }), "{:?}", report.outcomes);
    assert_eq!(office.bundles(), [sealed.bundle_sha256], "sealed again, the same bytes as first sealed");
}

/// A dashboard page as a logged-in admin sees it on the server at `address`.
fn dashboard_page(address: SocketAddr, password: &str, path: &str) -> String {
    let exchange = |request: String| {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    };
    let cookie = |answer: &str, name: &str| {
        let at = answer.find(&format!("{name}=")).unwrap_or_else(|| panic!("no {name} in {answer}"));
        answer[at..].split(';').next().unwrap().to_owned()
    };
    let login = exchange(format!("GET /masuk HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n\r\n"));
    let at = login.find("name=\"csrf\" value=\"").unwrap() + 19;
    let body = format!("csrf={}&nama=admin&kata_sandi={password}", &login[at..at + 64]);
    let answer = exchange(format!(
        "POST /masuk HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\ncookie: {}\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{body}",
        cookie(&login, "rembug_masuk"),
        body.len()
    ));
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    let page = exchange(format!(
        "GET {path} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\ncookie: {}\r\n\r\n",
        cookie(&answer, "rembug_sesi")
    ));
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    page
}

/// `GET /healthz` of the server at `address`: its status line.
fn health(address: SocketAddr) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .write_all(format!("GET /healthz HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n\r\n").as_bytes())
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap().to_owned()
}

#[test]
fn two_servers_on_one_database_take_every_bundle_once_and_show_the_same_grid() {
    if support::cluster::binaries().is_none() {
        eprintln!("PostgreSQL 15 is not installed: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let first = Office::init_with(dir.path(), Some(support::cluster::cluster().database()));
    let second = Arc::new(Mutex::new(first.another_server()));
    let second_address = second.lock().unwrap().address();
    assert_eq!(health(first.address()), "HTTP/1.1 200 OK");
    assert_eq!(health(second_address), "HTTP/1.1 200 OK");
    // Two laptops, each with a bundle of a few megabytes among small ones,
    // behind a load balancer that also breaks the link.
    let proxy = Proxy::balance(vec![first.address(), second_address], Plan::Random { percent: 25 }, 11);
    let devices: Vec<(DataDir, Store, Arc<DeviceIdentity>)> = ["satu", "dua"]
        .iter()
        .map(|name| {
            let (data_dir, store) = device_with_locked_meetings(&dir.path().join(name), &[&[], &[900], &[]]);
            let device = enroll(&first, &data_dir, &store, &proxy.url());
            (data_dir, store, device)
        })
        .collect();
    // The second server is killed for good once 2 MB have passed.
    let killer = {
        let (second, stats) = (second.clone(), proxy.stats.clone());
        thread::spawn(move || {
            let started = Instant::now();
            while stats.device_bytes.load(Ordering::SeqCst) < 2_000_000 {
                if started.elapsed() > Duration::from_secs(120) {
                    return false;
                }
                thread::sleep(Duration::from_millis(5));
            }
            second.lock().unwrap().kill();
            true
        })
    };
    let senders: Vec<_> = devices
        .into_iter()
        .map(|(data_dir, store, device)| {
            thread::spawn(move || {
                deliver_everything(&store, &device, 40);
                (data_dir, store, device)
            })
        })
        .collect();
    let devices: Vec<_> = senders.into_iter().map(|sender| sender.join().unwrap()).collect();
    assert!(killer.join().unwrap(), "the second server was killed midway");
    let switched = proxy.stats.chunks_to.lock().unwrap().values().filter(|servers| servers.len() == 2).count();
    println!("two servers, one killed: {switched} uploads went to both; {}", proxy.report());
    assert!(switched > 0, "an upload's chunks went to both servers: {:?}", proxy.stats.chunks_to.lock().unwrap());
    let identity = rembug_office::Office::open_with(
        &first.data,
        &rembug_office::store::Database::Postgres(first.database.clone().unwrap()),
    )
    .unwrap()
    .identity;
    let mut expected = Vec::new();
    for (_, store, _) in &devices {
        for item in store.outbox().unwrap() {
            let entry = item.entry.unwrap();
            assert_eq!(entry.state, OutboxState::Delivered);
            let receipt: rembug_core::trust::Receipt =
                entry.receipt.unwrap().open(&identity.verifying_key().unwrap()).expect("the office signed it");
            assert_eq!(receipt.sha256, entry.bundle_sha256);
            expected.push(entry.bundle_sha256);
        }
    }
    expected.sort();
    assert_eq!(expected.len(), 6);
    let mut held = first.bundles();
    held.sort();
    assert_eq!(held, expected, "each bundle exactly once");
    for sha256 in &expected {
        assert!(first.data.join("bundles").join(format!("{sha256}.rembug")).is_file());
    }

    // The second server back: both show the same grid of RWs.
    let second = second.lock().unwrap().another_server();
    let grid = |address| {
        let page = dashboard_page(address, &first.password, "/");
        let table = &page[page.find("<div class=\"tabel\">").unwrap()..];
        let table = &table[..table.find("</table>").unwrap()];
        // Each session's forms carry its own token.
        let token = "name=\"csrf\" value=\"";
        let mut parts = table.split(token);
        let mut same = parts.next().unwrap().to_owned();
        for part in parts {
            same.push_str(token);
            same.push_str(&part[64..]);
        }
        same
    };
    let (on_first, on_second) = (grid(first.address()), grid(second.address()));
    assert_eq!(on_first, on_second);
    assert_eq!(on_first.matches("class=\"rw masuk\"").count(), 3, "RW 1 to 3 delivered: {on_first}");

    // The database out of reach: a load balancer stops sending to either;
    // back, and each answers at once (its dead connections are replaced).
    let url = first.database.clone().unwrap();
    let name = url.rsplit('/').next().unwrap();
    let cluster = support::cluster::cluster();
    cluster.execute(&format!(
        "ALTER DATABASE {name} ALLOW_CONNECTIONS false;
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ));
    for address in [first.address(), second.address()] {
        assert_eq!(health(address), "HTTP/1.1 503 Service Unavailable");
    }
    cluster.execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    for address in [first.address(), second.address()] {
        assert_eq!(health(address), "HTTP/1.1 200 OK");
    }
}
