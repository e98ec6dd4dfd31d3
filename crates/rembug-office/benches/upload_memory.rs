//! The office's memory while it receives a large upload
//! (docs/benchmarks.md): the release `rembug-office serve` runs as its own
//! process; one enrolled device uploads 100 MiB and then 1 GiB in 4 MiB
//! chunks through the devices' real client and commits each. The bytes are
//! not a bundle, so each commit hashes the whole file (the declared SHA-256
//! matches) and verification refuses it. A thread samples the server's
//! VmRSS from /proc every 20 ms; VmHWM is read after each upload.
//!
//! `cargo bench -p rembug-office --bench upload_memory`.
//! `REMBUG_BENCH_LARGE_MIB` (default 1024) changes the large upload.

use std::fs;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rembug_core::device::DeviceIdentity;
use rembug_core::hex;
use rembug_office::Office;
use rembug_sync::MAX_CHUNK_BYTES;
use rembug_sync::client::{ClientError, OfficeClient};
use sha2::{Digest, Sha256};

const MIB: u64 = 1024 * 1024;

fn main() {
    let large_mib: u64 = std::env::var("REMBUG_BENCH_LARGE_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(1024);
    let work = tempfile::tempdir().unwrap();
    let office_dir = work.path().join("office");
    Office::init(&office_dir, "Bappelitbangda", "Kota Cimahi", "admin", "rahasia").unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_rembug-office"))
            .arg("--data")
            .arg(&office_dir)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let pid = server.0.id();

    fs::create_dir(work.path().join("device")).unwrap();
    let device = DeviceIdentity::load_or_create(&work.path().join("device")).unwrap();
    let mut client = OfficeClient::new(&format!("http://127.0.0.1:{port}"), Arc::new(device), None, None).unwrap();
    let waiting = Instant::now();
    while let Err(error) = client.preflight() {
        assert!(waiting.elapsed() < Duration::from_secs(10), "the server did not start: {error}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let code = Office::open(&office_dir).unwrap().new_code("32.77.01.1001", None, chrono::Duration::days(1)).unwrap().0;
    client.enroll(&code).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let idle = status(pid);
    println!();
    println!("office server memory while receiving one upload in 4 MiB chunks (pid {pid})");
    println!("  idle after enrollment: VmRSS {} VmHWM {}", kib(idle.rss), kib(idle.hwm));
    for mib in [100, large_mib] {
        let peak = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let sampler = {
            let (peak, stop) = (peak.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    peak.fetch_max(status(pid).rss, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        let started = Instant::now();
        let refusal = upload(&client, mib * MIB);
        let elapsed = started.elapsed();
        stop.store(true, Ordering::Relaxed);
        sampler.join().unwrap();
        let after = status(pid);
        let peak = peak.load(Ordering::Relaxed);
        println!(
            "  {mib} MiB in {:.1} s, commit refused with {refusal}: peak VmRSS {} (+{} over idle), VmHWM {}, VmRSS after {}",
            elapsed.as_secs_f64(),
            kib(peak),
            kib(peak.saturating_sub(idle.rss)),
            kib(after.hwm),
            kib(after.rss)
        );
    }
}

/// Kills the server when the bench ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The bytes of chunk `index`: not a bundle, and different chunk to chunk.
fn chunk(index: u64, length: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; length];
    for (position, byte) in bytes.iter_mut().enumerate() {
        *byte = (position as u64 ^ index.wrapping_mul(0x9e37_79b9)) as u8;
    }
    bytes
}

/// Uploads `size` bytes chunk by chunk and commits: the refusal's code.
fn upload(client: &OfficeClient, size: u64) -> String {
    let lengths =
        || (0..size.div_ceil(MAX_CHUNK_BYTES)).map(move |i| (i, (size - i * MAX_CHUNK_BYTES).min(MAX_CHUNK_BYTES)));
    let mut hasher = Sha256::new();
    for (index, length) in lengths() {
        hasher.update(chunk(index, length as usize));
    }
    let sha256 = hex::encode(&hasher.finalize());
    let state = client.create_upload(&sha256, size).unwrap();
    for (index, length) in lengths() {
        client.patch_chunk(&state.upload_id, index * MAX_CHUNK_BYTES, &chunk(index, length as usize)).unwrap();
    }
    match client.commit(&state.upload_id, &sha256) {
        Err(ClientError::Refused { code, .. }) => code,
        other => panic!("bytes that are not a bundle are refused, got {other:?}"),
    }
}

struct Memory {
    /// kB, as /proc says.
    rss: u64,
    hwm: u64,
}

fn status(pid: u32) -> Memory {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches(" kB").trim().parse().ok())
            .unwrap()
    };
    Memory { rss: field("VmRSS:"), hwm: field("VmHWM:") }
}

fn kib(kb: u64) -> String {
    format!("{:.1} MiB", kb as f64 / 1024.0)
}
