//! The office's ingest of typical bundles (docs/benchmarks.md): real sealed
//! rembug warga bundles (city-decade demo meetings, no photos) uploaded by
//! 64 and then 256 devices at once over loopback through the devices' real
//! client, each bundle durable before its receipt comes back, to
//! `rembug-office serve` processes: the SQLite index; PostgreSQL with one
//! server; PostgreSQL with two servers on the same database and the same
//! data folder, the uploaders split between them. Before and after, in the
//! same run, the disk's own limit: 64 and 256 threads writing, fsyncing,
//! renaming and dir-fsyncing files of the same sizes.
//!
//! PostgreSQL is a throwaway cluster of its own with PostgreSQL's default
//! durability (the tests' `tests/support/cluster.rs`), removed when the
//! bench ends; without PostgreSQL installed only SQLite and the bare limit
//! run.
//!
//! `cargo bench -p rembug-office --bench ingest`. `REMBUG_BENCH_SEEDS`
//! (default 3: city-decade data of seeds 1 to 3, 8,829 locked meetings),
//! `REMBUG_BENCH_PER_DEVICE` (default: all) and `REMBUG_BENCH_DEVICES`
//! (default 256) make it smaller.

#[allow(dead_code)] // The bench starts its own cluster and uses part of the module.
#[path = "../tests/support/cluster.rs"]
mod cluster;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use rembug_core::Store;
use rembug_core::demo::{self, Scale};
use rembug_core::device::DeviceIdentity;
use rembug_core::hex;
use rembug_core::meeting::MeetingStatus;
use rembug_core::store::meetings::MeetingFilter;
use rembug_office::Office;
use rembug_office::store::{Database, OfficeStore, PostgresStore, SqliteStore};
use rembug_sync::client::OfficeClient;

/// Uploads at once, in this order.
const CONCURRENCY: [usize; 2] = [64, 256];

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

/// One device: its key, its kelurahan and the bundles it sealed.
struct Device {
    identity: Arc<DeviceIdentity>,
    kelurahan: String,
    bundles: Vec<Vec<u8>>,
}

/// Where the office keeps its index, and how many servers share it.
#[derive(Clone, Copy)]
struct Setup {
    name: &'static str,
    postgres: bool,
    servers: usize,
}

const SETUPS: [Setup; 3] = [
    Setup { name: "SQLite, 1 server", postgres: false, servers: 1 },
    Setup { name: "PostgreSQL, 1 server", postgres: true, servers: 1 },
    Setup { name: "PostgreSQL, 2 servers", postgres: true, servers: 2 },
];

fn main() {
    let seeds = env_or("REMBUG_BENCH_SEEDS", 3) as u64;
    let device_count = env_or("REMBUG_BENCH_DEVICES", 256);
    let per_device = env_or("REMBUG_BENCH_PER_DEVICE", usize::MAX);
    let work = tempfile::tempdir().unwrap();

    // One office's keys and first admin (its password hash takes seconds on
    // purpose), copied for every run, so the bundles are sealed once.
    let template = work.path().join("office-template");
    Office::init(&template, "Bappelitbangda", "Kota Cimahi", "admin", "rahasia").unwrap();
    let office_key = hex::decode32(&Office::open(&template).unwrap().identity.encryption_key).unwrap();
    let devices = seal_bundles(work.path(), seeds, device_count, per_device, office_key);
    let total: usize = devices.iter().map(|device| device.bundles.len()).sum();
    let all: Vec<usize> = devices.iter().flat_map(|device| device.bundles.iter().map(Vec::len)).collect();
    let distinct: BTreeSet<String> =
        devices.iter().flat_map(|device| device.bundles.iter().map(|bytes| hex::sha256_hex(bytes))).collect();
    assert_eq!(distinct.len(), total, "every sealed bundle is a different file");
    let devices = Arc::new(devices);

    let postgres = cluster::binaries().map(|bin| cluster::start(&bin, true));
    if postgres.is_none() {
        eprintln!("PostgreSQL is not installed (/usr/lib/postgresql/15/bin, REMBUG_PG_BIN): SQLite only");
    }

    let bare_before: Vec<f64> =
        CONCURRENCY.iter().map(|&lanes| bare_limit(&work.path().join("bare-1"), &sizes(&devices, lanes))).collect();
    let mut results = Vec::new();
    for setup in SETUPS.iter().filter(|setup| !setup.postgres || postgres.is_some()) {
        for lanes in CONCURRENCY {
            let run = Run {
                work: work.path(),
                template: &template,
                postgres: postgres.as_ref(),
                devices: &devices,
                uploaded: &distinct,
            };
            results.push((*setup, lanes, run.ingest(*setup, lanes)));
        }
    }
    let bare_after: Vec<f64> =
        CONCURRENCY.iter().map(|&lanes| bare_limit(&work.path().join("bare-2"), &sizes(&devices, lanes))).collect();

    println!();
    println!(
        "ingest of {total} bundles from {} devices, {} bytes on average ({} to {}), each run on a new office",
        devices.len(),
        all.iter().sum::<usize>() / total,
        all.iter().min().unwrap(),
        all.iter().max().unwrap()
    );
    println!(
        "| index | uploaders | bundles/s (all busy) | whole run | p50 | p90 | p99 | max | CPU ms per bundle: servers / PostgreSQL / uploaders |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (setup, lanes, ingest) in &results {
        let latencies = &ingest.latencies;
        let per_bundle = |seconds: f64| format!("{:.2}", seconds * 1000.0 / latencies.len() as f64);
        println!(
            "| {} | {lanes} | {:.0} | {:.0} in {:.1} s | {} | {} | {} | {} | {} / {} / {} |",
            setup.name,
            ingest.full_rate,
            ingest.overall_rate,
            ingest.elapsed.as_secs_f64(),
            ms(percentile(latencies, 0.50)),
            ms(percentile(latencies, 0.90)),
            ms(percentile(latencies, 0.99)),
            ms(*latencies.last().unwrap()),
            per_bundle(ingest.cpu_servers),
            if setup.postgres { per_bundle(ingest.cpu_postgres) } else { "-".into() },
            per_bundle(ingest.cpu_uploaders),
        );
    }
    for (index, lanes) in CONCURRENCY.iter().enumerate() {
        println!(
            "| bare limit (write + fdatasync + rename + folder fsync) | {lanes} threads | {:.0} before, {:.0} after | | | | | | |",
            bare_before[index], bare_after[index]
        );
    }
    println!(
        "load average at the end: {}",
        fs::read_to_string("/proc/loadavg").unwrap_or_default().split(' ').take(3).collect::<Vec<_>>().join(" ")
    );
}

/// Generates city-decade data for each seed and seals every locked meeting
/// with the device it is dealt to (device i enrolled for kelurahan i mod
/// 15, a kelurahan's meetings dealt out to its devices in turn), sealed to
/// the office's key as the app does.
fn seal_bundles(work: &Path, seeds: u64, device_count: usize, per_device: usize, office_key: [u8; 32]) -> Vec<Device> {
    let mut devices: Vec<Device> = Vec::new();
    let mut dealt: BTreeMap<String, usize> = BTreeMap::new();
    let started = Instant::now();
    for seed in 1..=seeds {
        let path = work.join(format!("demo-{seed}.sqlite3"));
        let store = Store::open(&path).unwrap();
        let summary = demo::generate(&store, Scale::CityDecade, seed).unwrap();
        let filter =
            MeetingFilter { status: Some(MeetingStatus::Locked), limit: Some(u32::MAX), ..MeetingFilter::default() };
        let mut by_kelurahan: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for meeting in store.list_meetings(&filter).unwrap().meetings {
            by_kelurahan.entry(meeting.kelurahan_code).or_default().push(meeting.id);
        }
        if devices.is_empty() {
            let kelurahan: Vec<&String> = by_kelurahan.keys().collect();
            for index in 0..device_count {
                let dir = work.join(format!("device-{index}"));
                fs::create_dir(&dir).unwrap();
                let identity = Arc::new(DeviceIdentity::load_or_create(&dir).unwrap());
                let kelurahan = kelurahan[index % kelurahan.len()].clone();
                devices.push(Device { identity, kelurahan, bundles: Vec::new() });
            }
        }
        for (code, meetings) in &by_kelurahan {
            let own: Vec<usize> = (0..devices.len()).filter(|&index| devices[index].kelurahan == *code).collect();
            for meeting_id in meetings {
                let next = dealt.entry(code.clone()).or_default();
                let device = &mut devices[own[*next % own.len()]];
                *next += 1;
                if device.bundles.len() < per_device {
                    let out = work.join("sealing.rembug");
                    rembug_bundle::seal(&store, &device.identity, meeting_id, Some(office_key), &out).unwrap();
                    device.bundles.push(fs::read(&out).unwrap());
                }
            }
        }
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = fs::remove_file(format!("{}{suffix}", path.display()));
        }
        eprintln!(
            "seed {seed}: {} locked meetings sealed ({:.1} s so far)",
            summary.locked_meetings,
            started.elapsed().as_secs_f64()
        );
    }
    devices
}

/// Lane `l` of `lanes` uploads the bundles of devices l, l + lanes, l + 2 ×
/// lanes…, taking one bundle of each in turn.
fn lanes_of(devices: &[Device], lanes: usize) -> Vec<Vec<(usize, usize)>> {
    (0..lanes.min(devices.len()))
        .map(|lane| {
            let own: Vec<usize> = (lane..devices.len()).step_by(lanes).collect();
            let longest = own.iter().map(|&device| devices[device].bundles.len()).max().unwrap_or(0);
            (0..longest)
                .flat_map(|nth| own.iter().map(move |&device| (device, nth)))
                .filter(|&(device, nth)| nth < devices[device].bundles.len())
                .collect()
        })
        .collect()
}

/// The bundle sizes each lane uploads, in order.
fn sizes(devices: &[Device], lanes: usize) -> Vec<Vec<usize>> {
    lanes_of(devices, lanes)
        .iter()
        .map(|lane| lane.iter().map(|&(device, nth)| devices[device].bundles[nth].len()).collect())
        .collect()
}

/// What one run shares with the others.
struct Run<'a> {
    work: &'a Path,
    template: &'a Path,
    postgres: Option<&'a cluster::Cluster>,
    devices: &'a Arc<Vec<Device>>,
    /// Every bundle's SHA-256.
    uploaded: &'a BTreeSet<String>,
}

struct Ingest {
    elapsed: Duration,
    overall_rate: f64,
    /// Bundles per second until the first uploader ran out of bundles.
    full_rate: f64,
    /// Sorted.
    latencies: Vec<Duration>,
    cpu_servers: f64,
    cpu_postgres: f64,
    /// The bench process: the uploaders' client work.
    cpu_uploaders: f64,
}

impl Run<'_> {
    /// A new office from the template (a new database on PostgreSQL), its
    /// servers started as their own processes, every device enrolled; then
    /// `lanes` uploaders at once, and the check that the office holds every
    /// bundle once.
    fn ingest(&self, setup: Setup, lane_count: usize) -> Ingest {
        let dir = self.work.join("office");
        copy_folder(self.template, &dir);
        let database = match self.postgres {
            Some(cluster) if setup.postgres => {
                let url = cluster.database();
                let sqlite = SqliteStore::open(self.template).unwrap();
                let admin = sqlite.staff("admin").unwrap().unwrap();
                let store = PostgresStore::open(&url).unwrap();
                store
                    .initialise(&sqlite.office().unwrap(), "admin", &admin.password_hash, "2026-12-07T00:00:00Z")
                    .unwrap();
                Database::Postgres(url)
            }
            _ => Database::Sqlite,
        };
        let mut servers: Vec<Server> = (0..setup.servers).map(|_| Server::start(&dir, &database)).collect();
        let office = Office::open_with(&dir, &database).unwrap();

        let mut clients: Vec<Option<OfficeClient>> = Vec::new();
        for (index, device) in self.devices.iter().enumerate() {
            let url = &servers[index % servers.len()].url;
            let mut client = OfficeClient::new(url, device.identity.clone(), None, None).unwrap();
            client.preflight().unwrap();
            client.enroll(&office.new_code(&device.kelurahan, None, chrono::Duration::days(1)).unwrap().0).unwrap();
            clients.push(Some(client));
        }
        let lanes: Vec<Lane> = lanes_of(self.devices, lane_count)
            .into_iter()
            .map(|order| {
                let mut own: BTreeMap<usize, OfficeClient> = BTreeMap::new();
                for &(device, _) in &order {
                    if let Some(client) = clients[device].take() {
                        own.insert(device, client);
                    }
                }
                Lane { clients: own, order, devices: self.devices.clone() }
            })
            .collect();

        let postgres_pids = || match self.postgres {
            Some(cluster) if setup.postgres => postgres_processes(cluster),
            _ => Vec::new(),
        };
        let cpu_of = |pids: &[u32]| pids.iter().map(|&pid| cpu_seconds(&format!("/proc/{pid}/stat"))).sum::<f64>();
        let server_pids: Vec<u32> = servers.iter().map(|server| server.child.id()).collect();
        let before = (cpu_of(&server_pids), cpu_of(&postgres_pids()), cpu_seconds("/proc/self/stat"));
        let (elapsed, full_rate, latencies) = upload_all(lanes);
        let after = (cpu_of(&server_pids), cpu_of(&postgres_pids()), cpu_seconds("/proc/self/stat"));

        let held: Vec<String> = office.store.bundles().unwrap().into_iter().map(|bundle| bundle.facts.sha256).collect();
        let uploaded = self.uploaded;
        assert_eq!(held.len(), uploaded.len(), "{}: one row per bundle", setup.name);
        assert_eq!(&held.into_iter().collect::<BTreeSet<_>>(), uploaded, "{}: every bundle is held", setup.name);
        let files = fs::read_dir(dir.join("bundles")).unwrap().count();
        assert_eq!(files, uploaded.len(), "{}: one file per bundle", setup.name);

        let count = latencies.len();
        let ingest = Ingest {
            elapsed,
            overall_rate: count as f64 / elapsed.as_secs_f64(),
            full_rate,
            latencies,
            cpu_servers: after.0 - before.0,
            cpu_postgres: after.1 - before.1,
            cpu_uploaders: after.2 - before.2,
        };
        println!(
            "{}, {lane_count} uploaders: {:.0} bundles/s all busy, p99 {}, every one of {count} bundles held once",
            setup.name,
            ingest.full_rate,
            ms(percentile(&ingest.latencies, 0.99))
        );
        drop(office);
        for server in &mut servers {
            server.stop();
        }
        if let (Database::Postgres(url), Some(cluster)) = (&database, self.postgres) {
            cluster.execute(&format!("DROP DATABASE {}", url.rsplit('/').next().unwrap()));
        }
        fs::remove_dir_all(&dir).unwrap();
        ingest
    }
}

/// One uploader: the clients of its devices and the bundles it sends, in order.
struct Lane {
    clients: BTreeMap<usize, OfficeClient>,
    /// (device, nth bundle of the device)
    order: Vec<(usize, usize)>,
    devices: Arc<Vec<Device>>,
}

/// All lanes at once, from a barrier: the time, bundles per second until
/// the first lane ran out, and each bundle's latency (create + chunk +
/// commit), sorted.
fn upload_all(lanes: Vec<Lane>) -> (Duration, f64, Vec<Duration>) {
    let barrier = Arc::new(Barrier::new(lanes.len() + 1));
    let threads: Vec<_> = lanes
        .into_iter()
        .map(|lane| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                let mut done = Vec::new();
                for &(device, nth) in &lane.order {
                    let bytes = &lane.devices[device].bundles[nth];
                    let client = &lane.clients[&device];
                    let begun = Instant::now();
                    let sha256 = hex::sha256_hex(bytes);
                    let state = client.create_upload(&sha256, bytes.len() as u64).unwrap();
                    client.patch_chunk(&state.upload_id, 0, bytes).unwrap();
                    let committed = client.commit(&state.upload_id, &sha256).unwrap();
                    assert!(committed.new, "a bundle is delivered once");
                    done.push((begun, Instant::now()));
                }
                done
            })
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    let done: Vec<Vec<(Instant, Instant)>> = threads.into_iter().map(|thread| thread.join().unwrap()).collect();
    let elapsed = start.elapsed();
    let first_out = done.iter().filter_map(|own| own.last()).map(|times| times.1).min().unwrap();
    let within = done.iter().flatten().filter(|times| times.1 <= first_out).count();
    let mut latencies: Vec<Duration> = done.iter().flatten().map(|times| times.1 - times.0).collect();
    latencies.sort();
    (elapsed, within as f64 / (first_out - start).as_secs_f64(), latencies)
}

/// `rembug-office serve` on a free loopback port, as its own process.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(dir: &Path, database: &Database) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rembug-office"));
        command.arg("--data").arg(dir);
        if let Database::Postgres(url) = database {
            command.args(["--database", url]);
        }
        let mut child = command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the release rembug-office starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // "rembug-office 0.x melayani http://127.0.0.1:PORT (sidik jari …)."
        let url = loop {
            let line = lines.next().expect("the server prints its address").unwrap();
            if let Some(after) = line.split(" melayani ").nth(1) {
                break after.split(' ').next().unwrap().to_owned();
            }
        };
        // Whatever it prints later is read, so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, url }
    }

    fn stop(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn copy_folder(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &to.join(entry.file_name()));
        } else {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// The cluster's postmaster (the process started with its port) and its
/// children: the server processes of the office's connections and its own
/// (WAL writer, checkpointer…).
fn postgres_processes(cluster: &cluster::Cluster) -> Vec<u32> {
    let port = cluster.url("").rsplit(':').next().unwrap().trim_end_matches('/').to_owned();
    let processes: Vec<(u32, String)> = fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)))
        .collect();
    let postmaster = processes.iter().map(|(pid, _)| *pid).find(|pid| {
        let arguments = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let arguments: Vec<&[u8]> = arguments.split(|byte| *byte == 0).collect();
        arguments.first().is_some_and(|program| program.ends_with(b"/postgres"))
            && arguments.windows(2).any(|pair| pair[0] == b"-p" && pair[1] == port.as_bytes())
    });
    let Some(postmaster) = postmaster else { return Vec::new() };
    let mut pids = vec![postmaster];
    pids.extend(processes.iter().filter(|(_, stat)| parent(stat) == Some(postmaster)).map(|(pid, _)| *pid));
    pids
}

/// The parent's pid in a `/proc/PID/stat` line.
fn parent(stat: &str) -> Option<u32> {
    stat[stat.rfind(')')? + 2..].split(' ').nth(1)?.parse().ok()
}

/// User and system CPU time of a process so far (its `/proc/PID/stat`, in
/// ticks of 1/100 s); 0 once it is gone.
fn cpu_seconds(stat_path: &str) -> f64 {
    let Ok(stat) = fs::read_to_string(stat_path) else { return 0.0 };
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()) as f64 / 100.0
}

/// Files per second: one thread per lane writes files of its bundles'
/// sizes as the office stores a bundle (write, fdatasync, rename into
/// place, fsync the folder).
fn bare_limit(dir: &Path, sizes: &[Vec<usize>]) -> f64 {
    let (staging, target) = (dir.join("staging"), dir.join("target"));
    fs::create_dir_all(&staging).unwrap();
    fs::create_dir_all(&target).unwrap();
    let barrier = Arc::new(Barrier::new(sizes.len() + 1));
    let threads: Vec<_> = sizes
        .iter()
        .enumerate()
        .map(|(thread, own)| {
            let (barrier, own) = (barrier.clone(), own.clone());
            let (staging, target): (PathBuf, PathBuf) = (staging.clone(), target.clone());
            std::thread::spawn(move || {
                let bytes = vec![0x5a_u8; own.iter().copied().max().unwrap_or(0)];
                barrier.wait();
                for (nth, size) in own.iter().enumerate() {
                    let name = format!("{thread}-{nth}");
                    let path = staging.join(&name);
                    let mut file = File::create(&path).unwrap();
                    file.write_all(&bytes[..*size]).unwrap();
                    file.sync_data().unwrap();
                    fs::rename(&path, target.join(&name)).unwrap();
                    File::open(&target).unwrap().sync_all().unwrap();
                }
            })
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    for thread in threads {
        thread.join().unwrap();
    }
    let files: usize = sizes.iter().map(Vec::len).sum();
    let rate = files as f64 / start.elapsed().as_secs_f64();
    fs::remove_dir_all(dir).unwrap();
    rate
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * fraction).round() as usize]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}
