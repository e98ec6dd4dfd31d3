//! The office's ingest of typical bundles (docs/benchmarks.md): 64 devices
//! upload real sealed rembug warga bundles (city-decade demo meetings, no
//! photos) at once over loopback through the devices' real client, each
//! bundle durable before its receipt comes back; and, in the same run, the
//! disk's own limit: 64 threads writing, fsyncing, renaming and
//! dir-fsyncing files of the same sizes.
//!
//! `cargo bench -p rembug-office --bench ingest`. `REMBUG_BENCH_UPLOADERS`
//! (default 64) and `REMBUG_BENCH_PER_UPLOADER` (default: every locked
//! meeting, about 46 each) make it smaller.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use rembug_core::Store;
use rembug_core::demo::{self, Scale};
use rembug_core::device::DeviceIdentity;
use rembug_core::hex;
use rembug_core::meeting::MeetingStatus;
use rembug_core::store::meetings::MeetingFilter;
use rembug_office::{Limits, Office};
use rembug_sync::client::OfficeClient;

const SEED: u64 = 1;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

/// One uploader: its device's client and the bundles it sealed.
struct Uploader {
    client: OfficeClient,
    bundles: Vec<Vec<u8>>,
}

fn main() {
    let uploaders = env_or("REMBUG_BENCH_UPLOADERS", 64);
    let per_uploader = env_or("REMBUG_BENCH_PER_UPLOADER", usize::MAX);
    let work = tempfile::tempdir().unwrap();

    let started = Instant::now();
    let store = Store::open(&work.path().join("rembug.sqlite3")).unwrap();
    let summary = demo::generate(&store, Scale::CityDecade, SEED).unwrap();
    eprintln!("city-decade: {} locked meetings in {:.1} s", summary.locked_meetings, started.elapsed().as_secs_f64());
    let filter =
        MeetingFilter { status: Some(MeetingStatus::Locked), limit: Some(u32::MAX), ..MeetingFilter::default() };
    let mut by_kelurahan: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for meeting in store.list_meetings(&filter).unwrap().meetings {
        by_kelurahan.entry(meeting.kelurahan_code).or_default().push(meeting.id);
    }
    let kelurahan: Vec<String> = by_kelurahan.keys().cloned().collect();

    let started = Instant::now();
    let office_dir = work.path().join("office");
    Office::init(&office_dir, "Bappelitbangda", "Kota Cimahi", "admin", "rahasia").unwrap();
    let office = Office::open(&office_dir).unwrap();
    let office_key = hex::decode32(&office.identity.encryption_key).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    {
        let _inside = runtime.enter();
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        runtime.spawn(rembug_office::serve(Office::open(&office_dir).unwrap(), Limits::default(), listener, None));
    }

    // Device i belongs to kelurahan i mod 15, enrolled for the whole
    // kelurahan; a kelurahan's meetings are dealt out to its devices.
    let mut devices = Vec::new();
    for index in 0..uploaders {
        let dir = work.path().join(format!("device-{index}"));
        fs::create_dir(&dir).unwrap();
        let device = DeviceIdentity::load_or_create(&dir).unwrap();
        let code = &kelurahan[index % kelurahan.len()];
        let mut client =
            OfficeClient::new(&url, Arc::new(DeviceIdentity::load_or_create(&dir).unwrap()), None, None).unwrap();
        client.preflight().unwrap();
        client.enroll(&office.new_code(code, None, chrono::Duration::days(1)).unwrap().0).unwrap();
        devices.push((device, client, Vec::new()));
    }
    for (position, code) in kelurahan.iter().enumerate() {
        let own: Vec<usize> = (position..uploaders).step_by(kelurahan.len()).collect();
        for (nth, meeting_id) in by_kelurahan[code].iter().enumerate() {
            let (device, _, sealed) = &mut devices[own[nth % own.len()]];
            if sealed.len() < per_uploader {
                let out = work.path().join("sealing.rembug");
                rembug_bundle::seal(&store, device, meeting_id, Some(office_key), &out).unwrap();
                sealed.push(fs::read(&out).unwrap());
            }
        }
    }
    let uploaders: Vec<Uploader> =
        devices.into_iter().map(|(_, client, bundles)| Uploader { client, bundles }).collect();
    let sizes: Vec<Vec<usize>> =
        uploaders.iter().map(|uploader| uploader.bundles.iter().map(Vec::len).collect()).collect();
    let all: Vec<usize> = sizes.iter().flatten().copied().collect();
    eprintln!(
        "{} devices enrolled, {} bundles sealed in {:.1} s: {} bytes on average ({} to {})",
        uploaders.len(),
        all.len(),
        started.elapsed().as_secs_f64(),
        all.iter().sum::<usize>() / all.len(),
        all.iter().min().unwrap(),
        all.iter().max().unwrap()
    );

    let bare_before = bare_limit(&work.path().join("bare-1"), &sizes);
    let ingest = ingest(uploaders);
    let bare_after = bare_limit(&work.path().join("bare-2"), &sizes);
    let held = office.store.bundles().unwrap().len();
    assert_eq!(held, all.len(), "every bundle is held once");

    println!();
    println!("ingest, {} uploaders at once, {} bundles of {} bytes on average", sizes.len(), all.len(), mean(&all));
    println!(
        "  bundles/s: {:.0} while all {} upload ({:.0} over the whole run of {:.2} s)",
        ingest.full_rate,
        sizes.len(),
        ingest.overall_rate,
        ingest.elapsed.as_secs_f64()
    );
    let latencies = &ingest.latencies;
    println!(
        "  latency (create + chunk + commit): p50 {} p90 {} p99 {} max {}",
        ms(percentile(latencies, 0.50)),
        ms(percentile(latencies, 0.90)),
        ms(percentile(latencies, 0.99)),
        ms(*latencies.last().unwrap())
    );
    println!(
        "  bare limit (write + fsync + rename + dir fsync, {} threads): {:.0} files/s before, {:.0} after",
        sizes.len(),
        bare_before,
        bare_after
    );
    println!("  ingest / bare limit: {:.2}", ingest.full_rate / bare_before.max(bare_after));
    runtime.shutdown_timeout(Duration::from_secs(5));
}

struct Ingest {
    elapsed: Duration,
    overall_rate: f64,
    /// Bundles per second until the first uploader ran out of bundles.
    full_rate: f64,
    /// Sorted.
    latencies: Vec<Duration>,
}

fn ingest(uploaders: Vec<Uploader>) -> Ingest {
    let barrier = Arc::new(Barrier::new(uploaders.len() + 1));
    let threads: Vec<_> = uploaders
        .into_iter()
        .map(|uploader| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                let mut done = Vec::new();
                for bytes in &uploader.bundles {
                    let begun = Instant::now();
                    let sha256 = hex::sha256_hex(bytes);
                    let client = &uploader.client;
                    let state = client.create_upload(&sha256, bytes.len() as u64).unwrap();
                    let created = Instant::now();
                    client.patch_chunk(&state.upload_id, 0, bytes).unwrap();
                    let sent = Instant::now();
                    client.commit(&state.upload_id, &sha256).unwrap();
                    done.push([begun, created, sent, Instant::now()]);
                }
                done
            })
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    let cpu_before = cpu_seconds();
    let done: Vec<Vec<[Instant; 4]>> = threads.into_iter().map(|thread| thread.join().unwrap()).collect();
    let elapsed = start.elapsed();
    let cpu = cpu_seconds() - cpu_before;
    let first_out = done.iter().map(|own| own.last().unwrap()[3]).min().unwrap();
    let within = done.iter().flatten().filter(|times| times[3] <= first_out).count();
    let between = |from: usize, to: usize| {
        let mut spans: Vec<Duration> = done.iter().flatten().map(|times| times[to] - times[from]).collect();
        spans.sort();
        spans
    };
    let latencies = between(0, 3);
    println!();
    println!("ingest, each step of an upload:");
    for (name, spans) in [("create", between(0, 1)), ("chunk", between(1, 2)), ("commit", between(2, 3))] {
        println!("  {name}: p50 {} p99 {}", ms(percentile(&spans, 0.50)), ms(percentile(&spans, 0.99)));
    }
    println!(
        "  CPU (office and uploaders, one process): {:.2} s of {:.2} s on {} cores, {:.2} ms per bundle",
        cpu,
        elapsed.as_secs_f64(),
        std::thread::available_parallelism().map_or(1, |cores| cores.get()),
        cpu * 1000.0 / latencies.len() as f64
    );
    Ingest {
        elapsed,
        overall_rate: latencies.len() as f64 / elapsed.as_secs_f64(),
        full_rate: within as f64 / (first_out - start).as_secs_f64(),
        latencies,
    }
}

/// Files per second: one thread per uploader writes files of its bundles'
/// sizes as the office stores a bundle (write, fsync, rename into place,
/// fsync the folder).
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
    files as f64 / start.elapsed().as_secs_f64()
}

/// User and system CPU time of this process so far (/proc/self/stat, in
/// ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = fs::read_to_string("/proc/self/stat").unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()) as f64 / 100.0
}

fn mean(values: &[usize]) -> usize {
    values.iter().sum::<usize>() / values.len()
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * fraction).round() as usize]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}
