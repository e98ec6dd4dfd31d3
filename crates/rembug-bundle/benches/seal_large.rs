//! Sealing and verifying a locked meeting with 300 attendees (each signed),
//! 100 usulan and 1 GB of photos, against `cp -r` + `sync` of the meeting's
//! attachment files measured in the same run; and the peak memory of sealing
//! and verifying, each in a child process, against a meeting with 10 MB of
//! photos, to show memory does not grow with the photos.
//!
//! `REMBUG_BENCH_PHOTO_MB` changes the 1024 MB; `REMBUG_BENCH_ROUNDS` the
//! two rounds of copy, seal and verify. Results: `docs/benchmarks.md`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use rembug_bundle::crypto::office_key_pair;
use rembug_core::attendance::Role;
use rembug_core::device::DeviceIdentity;
use rembug_core::hex;
use rembug_core::people::PersonForm;
use rembug_core::photos::PHOTOS_PER_USULAN;
use rembug_core::usulan::UsulanForm;
use rembug_core::{DataDir, Store};
use sha2::{Digest, Sha256};

const ATTENDEES: usize = 300;
const USULAN: usize = 100;
const SMALL_PHOTO_MB: u64 = 10;
/// Distinct noise images; each stored photo is one of them with its own
/// JPEG comment, so every photo is a distinct attachment without encoding
/// a thousand images.
const BASE_PHOTOS: u32 = 4;
/// Marks the process as the child that seals or verifies, so its peak
/// memory is its own.
const CHILD: &str = "REMBUG_SEALBENCH_CHILD";

const FIRST_NAMES: [&str; 20] = [
    "Asep", "Euis", "Ujang", "Neneng", "Dadang", "Iis", "Cecep", "Yayah", "Ade", "Entin", "Agus", "Lilis", "Deden",
    "Imas", "Ujang", "Tati", "Jajang", "Nining", "Oman", "Enok",
];
const LAST_NAMES: [&str; 15] = [
    "Saepudin",
    "Kartika",
    "Sukmajaya",
    "Suryani",
    "Hidayat",
    "Rahmawati",
    "Permana",
    "Nurjanah",
    "Kurnia",
    "Hermawan",
    "Setiawati",
    "Gunawan",
    "Mulyani",
    "Rusmana",
    "Komariah",
];

fn main() {
    match std::env::var(CHILD).as_deref() {
        Ok("seal") => child_seal(),
        Ok("verify") => child_verify(),
        _ => run(),
    }
}

fn run() {
    let photo_mb = env_number("REMBUG_BENCH_PHOTO_MB", 1024);
    let rounds = env_number("REMBUG_BENCH_ROUNDS", 2);
    // The system temp dir is on the repo's disk here; never /dev/shm, where
    // fsync costs nothing.
    let work = tempfile::tempdir().unwrap();
    let (_, office_key) = office_key_pair([7; 32]);

    let started = Instant::now();
    let large = prepare(&work.path().join("large"), photo_mb << 20);
    println!(
        "setup: {} photos, {:.1} MiB of attachments, in {:.1} s",
        large.photos,
        mib(large.attachment_bytes),
        started.elapsed().as_secs_f64()
    );
    let small = prepare(&work.path().join("small"), SMALL_PHOTO_MB << 20);

    for round in 1..=rounds {
        let copy = copy_and_sync(&large.data_dir.join("attachments"), &work.path().join("copy"));
        let hash = hash_files(&large.data_dir.join("attachments"));
        let bundle = work.path().join("large.rembug");
        let seal = child(&[
            "seal",
            path_str(&large.data_dir),
            &large.meeting_id,
            path_str(&bundle),
            &hex::encode(&office_key),
        ]);
        let size = std::fs::metadata(&bundle).unwrap().len();
        let verify = child(&["verify", path_str(&bundle)]);
        println!(
            "round {round}: cp+sync {:.2} s | seal {:.2} s ({:.2}x) | verify {:.2} s ({:.2}x) | bundle {:.1} MiB",
            copy.as_secs_f64(),
            seal.seconds,
            seal.seconds / copy.as_secs_f64(),
            verify.seconds,
            verify.seconds / copy.as_secs_f64(),
            mib(size)
        );
        println!("  one SHA-256 pass over the attachments, in process: {:.2} s", hash.as_secs_f64());
        println!("  peak RSS, seal:   {}", seal.memory());
        println!("  peak RSS, verify: {}", verify.memory());
        std::fs::remove_file(&bundle).unwrap();
    }

    let bundle = work.path().join("small.rembug");
    let seal =
        child(&["seal", path_str(&small.data_dir), &small.meeting_id, path_str(&bundle), &hex::encode(&office_key)]);
    let verify = child(&["verify", path_str(&bundle)]);
    println!(
        "{SMALL_PHOTO_MB} MB of photos ({} photos, {:.1} MiB of attachments):",
        small.photos,
        mib(small.attachment_bytes)
    );
    println!("  seal {:.2} s, peak RSS {}", seal.seconds, seal.memory());
    println!("  verify {:.2} s, peak RSS {}", verify.seconds, verify.memory());
}

/// A locked meeting in its own data folder.
struct Prepared {
    data_dir: PathBuf,
    meeting_id: String,
    photos: usize,
    attachment_bytes: u64,
}

/// 300 signed attendees, 100 scored usulan carrying `photo_bytes` of photos
/// between them (at most ten each), three delegates; locked.
fn prepare(path: &Path, photo_bytes: u64) -> Prepared {
    let data_dir = DataDir::open(path).unwrap();
    let store = data_dir.open_store().unwrap();
    let id = store.create_meeting(&common::meeting_form()).unwrap().id;
    let people = check_in_everyone(&store, &id);
    let criteria = store.ensure_default_criteria(&id).unwrap();
    let usulan: Vec<String> = (0..USULAN)
        .map(|index| {
            let usulan = store.add_usulan(&id, &usulan_form(index)).unwrap();
            for (criterion, score) in criteria.iter().zip(1..) {
                store.set_score(&usulan.id, &criterion.id, Some((index + score) as u8 % 5 + 1)).unwrap();
            }
            usulan.id
        })
        .collect();

    let bases: Vec<Vec<u8>> = (0..BASE_PHOTOS).map(noise_jpeg).collect();
    let photos = photo_bytes.div_ceil(bases[0].len() as u64) as usize;
    assert!(photos <= USULAN * usize::from(PHOTOS_PER_USULAN), "the photos do not fit in {USULAN} usulan");
    for index in 0..photos {
        let photo = with_comment(&bases[index % bases.len()], index);
        let usulan_id = &usulan[index % USULAN];
        let stored = store.add_usulan_photo(usulan_id, Cursor::new(photo), false).unwrap();
        assert_eq!(stored.original_sha256, None);
    }
    store.set_delegates(&id, &people[..3]).unwrap();
    store.lock_meeting(&id).unwrap();
    // Created here so the child processes only load it.
    DeviceIdentity::load_or_create(data_dir.path()).unwrap();

    let attachment_bytes = std::fs::read_dir(path.join("attachments"))
        .unwrap()
        .map(|entry| entry.unwrap().metadata().unwrap().len())
        .sum();
    Prepared { data_dir: path.to_owned(), meeting_id: id, photos, attachment_bytes }
}

fn check_in_everyone(store: &Store, meeting_id: &str) -> Vec<String> {
    (0..ATTENDEES)
        .map(|index| {
            let form = PersonForm {
                name: format!("{} {}", FIRST_NAMES[index % 20], LAST_NAMES[index / 20]),
                gender: if index % 2 == 0 { "P" } else { "L" }.into(),
                unsur: "warga".into(),
                rt: (index % 12 + 1).to_string(),
                rw: "5".into(),
                ..PersonForm::default()
            };
            let person = store.check_in_new(meeting_id, &form, Role::Peserta).unwrap().person_id;
            store.set_signature(meeting_id, &person, &common::png(40 + index as u32 % 200)).unwrap();
            person
        })
        .collect()
}

fn usulan_form(index: usize) -> UsulanForm {
    UsulanForm {
        permasalahan: format!("Masalah lingkungan nomor {index} di RT {}", index % 12 + 1),
        kegiatan: format!("Kegiatan perbaikan nomor {index}"),
        alamat: "Jl. Melong Gg. Melati".into(),
        rt_list: (index % 12 + 1).to_string(),
        volume: "150".into(),
        satuan: "meter".into(),
        biaya: "Rp 45.000.000".into(),
        bidang: "infrastruktur".into(),
        ..UsulanForm::default()
    }
}

/// A 960 × 720 JPEG of noise at quality 90, about 1.3 MB: stored as is
/// (smaller than the stored long edge) and as incompressible as a photo.
fn noise_jpeg(seed: u32) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ u64::from(seed);
    let image = image::RgbImage::from_fn(960, 720, |_, _| {
        // xorshift64: deterministic and fast.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let [r, g, b, ..] = state.to_le_bytes();
        image::Rgb([r, g, b])
    });
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&image).unwrap();
    bytes
}

/// The JPEG with a comment segment naming `index` right after its start
/// marker.
fn with_comment(jpeg: &[u8], index: usize) -> Vec<u8> {
    let text = format!("rembug bench photo {index}");
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xFE]);
    out.extend((text.len() as u16 + 2).to_be_bytes());
    out.extend(text.as_bytes());
    out.extend(&jpeg[2..]);
    out
}

/// `cp -r source target` then `sync`, the real commands, after a `sync` so
/// no earlier write is paid for here.
fn copy_and_sync(source: &Path, target: &Path) -> Duration {
    run_command(&mut Command::new("sync"));
    let started = Instant::now();
    run_command(Command::new("cp").arg("-r").arg(source).arg(target));
    run_command(&mut Command::new("sync"));
    let elapsed = started.elapsed();
    std::fs::remove_dir_all(target).unwrap();
    elapsed
}

/// Reads and hashes every file of `folder`: what one of sealing's hashing
/// passes costs, to explain its time.
fn hash_files(folder: &Path) -> Duration {
    let started = Instant::now();
    for entry in std::fs::read_dir(folder).unwrap() {
        let mut hasher = Sha256::new();
        std::io::copy(&mut std::fs::File::open(entry.unwrap().path()).unwrap(), &mut hasher).unwrap();
        std::hint::black_box(hasher.finalize());
    }
    started.elapsed()
}

fn run_command(command: &mut Command) {
    let status = command.status().unwrap();
    assert!(status.success(), "{command:?} failed: {status}");
}

/// What a child process measured: the seconds of its one call, and its peak
/// resident memory (kB) before and after it.
struct Measured {
    seconds: f64,
    peak_before_kb: u64,
    peak_after_kb: u64,
}

impl Measured {
    fn memory(&self) -> String {
        format!(
            "{:.1} MiB ({:.1} MiB before the call, +{:.1} MiB)",
            self.peak_after_kb as f64 / 1024.0,
            self.peak_before_kb as f64 / 1024.0,
            (self.peak_after_kb - self.peak_before_kb) as f64 / 1024.0
        )
    }
}

fn child(args: &[&str]) -> Measured {
    run_command(&mut Command::new("sync"));
    let output = Command::new(std::env::current_exe().unwrap()).env(CHILD, args[0]).args(&args[1..]).output().unwrap();
    assert!(output.status.success(), "child failed: {}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    let fields: Vec<&str> = text.split_whitespace().collect();
    Measured {
        seconds: fields[0].parse().unwrap(),
        peak_before_kb: fields[1].parse().unwrap(),
        peak_after_kb: fields[2].parse().unwrap(),
    }
}

/// Child: seals one meeting (its fsync and rename included) and prints
/// seconds, peak RSS before and after.
fn child_seal() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data_dir = DataDir::open(Path::new(&args[0])).unwrap();
    let store = data_dir.open_store().unwrap();
    let device = DeviceIdentity::load_or_create(data_dir.path()).unwrap();
    let office_key = hex::decode32(&args[3]).unwrap();
    let before = peak_rss_kb();
    let started = Instant::now();
    rembug_bundle::seal(&store, &device, &args[1], Some(office_key), Path::new(&args[2])).unwrap();
    println!("{} {before} {}", started.elapsed().as_secs_f64(), peak_rss_kb());
}

/// Child: verifies one bundle file and prints seconds, peak RSS before and
/// after.
fn child_verify() {
    let path = std::env::args().nth(1).unwrap();
    let before = peak_rss_kb();
    let started = Instant::now();
    let verified = rembug_bundle::verify_file(Path::new(&path)).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(verified.bundle.manifest.personal.encrypted);
    println!("{seconds} {before} {}", peak_rss_kb());
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).map_or(default, |value| value.parse().unwrap())
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
