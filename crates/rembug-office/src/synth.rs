//! A synthetic planning year for measuring the dashboard at national size
//! (`rembug-office synth-year`, `docs/scale.md`): every kelurahan/desa of
//! the office's wilayah gets a device, an RW count of [`RW_COUNT`] and its
//! share of the bundles, round robin: first its Musrenbang Kelurahan, then
//! the Rembug Warga of RW 1, 2, … (so the last RWs of each are missing);
//! in one kelurahan of [`CORRECTED_EVERY`] the third bundle is a correction
//! (revision 2) of RW 1's. Each bundle carries figures and usulan as a
//! delivered one does, drawn from a fixed pseudo-random sequence (the same
//! year and count give the same index), and no file: only the index is
//! filled, in batches of [`BATCH`] bundles, one transaction each.

use chrono::{Duration, NaiveDate};
use rembug_core::hex;
use rembug_core::wilayah::Kelurahan;
use sha2::{Digest, Sha256};

use crate::store::{BundleFacts, Device, Figures, NewBundle, OfficeStore, StoreResult, SyntheticLoad, UsulanFigures};

/// The RWs each synthetic kelurahan has.
pub const RW_COUNT: u16 = 14;
/// One kelurahan in this many has a corrected Rembug Warga.
pub const CORRECTED_EVERY: usize = 20;
/// Bundles per transaction.
pub const BATCH: u64 = 20_000;

const BIDANG: [&str; 4] = ["infrastruktur", "infrastruktur", "ekonomi", "sosial_budaya"];
const OPD: [&str; 6] = ["Dinas PUPR", "Dinas Perkim", "Dinas Kesehatan", "Dinas Koperasi dan UKM", "Dinas Sosial", ""];
const KEGIATAN: [&str; 4] = ["Perbaikan jalan lingkungan", "Saluran drainase", "Pelatihan usaha", "Posyandu"];

/// What [`synth_year`] loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Synthesized {
    pub kelurahan: usize,
    pub bundles: u64,
    pub usulan: u64,
}

/// A pseudo-random number for `seed` (SplitMix64).
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn sha256_hex(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes()))
}

/// The synthetic device of a kelurahan.
fn device(kelurahan: &Kelurahan, year: i32) -> Device {
    let id = sha256_hex(&format!("synth-device-{}", kelurahan.code));
    Device {
        public_key: sha256_hex(&format!("synth-key-{}", kelurahan.code)),
        fingerprint: id[..16].to_uppercase(),
        device_id: id,
        kelurahan_code: kelurahan.code.clone(),
        rw: None,
        enrolled_at: format!("{}-01-02T00:00:00Z", year - 1),
        revoked_at: None,
    }
}

/// Bundle `index` of `total` in the year: its kelurahan by round robin over
/// `wilayah`, its place among that kelurahan's bundles by the round.
fn bundle(wilayah: &[Kelurahan], year: i32, index: u64, total: u64) -> NewBundle {
    let count = wilayah.len() as u64;
    let place = &wilayah[(index % count) as usize];
    let round = index / count;
    let corrected = (index % count) as usize % CORRECTED_EVERY == 0;
    let sha256 = |index: u64| sha256_hex(&format!("synth-{year}-{index}"));
    let (stage, rw, revision, replaces) = match (round, corrected) {
        (0, _) => ("musrenbang_kelurahan", None, 1, None),
        (2, true) => ("rembug_warga", Some(1), 2, Some(sha256(index - count))),
        (3.., true) => ("rembug_warga", Some(round as u16 - 1), 1, None),
        _ => ("rembug_warga", Some(round as u16), 1, None),
    };
    let meeting = match rw {
        Some(rw) => format!("synth-{year}-{}-rw{rw}", place.code),
        None => format!("synth-{year}-{}-kel", place.code),
    };
    let random = mix(index ^ ((year as u64) << 40));
    let attendees = 15 + (random % 46) as u32;
    let women = attendees * (25 + (random >> 8) as u32 % 31) / 100;
    let usulan = (0..2 + (random >> 16) % 4)
        .map(|position| {
            let pick = mix(random ^ position);
            UsulanFigures {
                usulan_id: format!("synth-{year}-{index}-{position}"),
                rank: position as u32 + 1,
                rw,
                rt_list: format!("{:02}", 1 + pick % 8),
                alamat: format!("RT {:02}", 1 + pick % 8),
                permasalahan: "Usulan sintetis".into(),
                kegiatan: KEGIATAN[(pick >> 8) as usize % KEGIATAN.len()].into(),
                volume: (1 + (pick >> 12) % 200) as f64,
                satuan: "m".into(),
                biaya: (5 + ((pick >> 20) % 96) as i64) * 1_000_000,
                bidang: BIDANG[(pick >> 28) as usize % BIDANG.len()].into(),
                opd_tujuan: OPD[(pick >> 32) as usize % OPD.len()].into(),
                penerima_manfaat: Some((50 + (pick >> 44) % 2_000) as i64),
                keterangan: String::new(),
                latitude: None,
                longitude: None,
                photos: ((pick >> 40) % 3) as u32,
            }
        })
        .collect();
    // Received over eight weeks before the planning year's first day.
    let start = NaiveDate::from_ymd_opt(year - 1, 1, 10).unwrap_or_default().and_hms_opt(0, 0, 0).unwrap_or_default();
    let received = start + Duration::seconds((index * 8 * 7 * 86_400 / total.max(1)) as i64);
    NewBundle {
        facts: BundleFacts {
            sha256: sha256(index),
            bundle_id: format!("synth-{year}-{index}"),
            size: 50_000 + random % 500_000,
            device_id: device(place, year).device_id,
            kelurahan_code: place.code.clone(),
            rw,
            stage: stage.into(),
            planning_year: year,
            meeting_id: meeting,
            revision,
            content_hash: sha256_hex(&format!("synth-content-{year}-{index}")),
            received_at: received.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            receipt_body: String::new(),
            receipt_signature: String::new(),
        },
        replaces,
        figures: Figures {
            kelurahan_name: place.name.clone(),
            kecamatan_code: place.kecamatan_code.clone(),
            kecamatan_name: place.kecamatan_name.clone(),
            attendees,
            women,
            youth: attendees * ((random >> 24) as u32 % 30) / 100,
            disability: (random >> 32) as u32 % 4,
            women_target_percent: 30,
            women_target_met: women * 100 >= attendees * 30,
            usulan,
        },
    }
}

/// Loads `total` synthetic bundles of `year` for the kelurahan of
/// `wilayah` into `store`, calling `progress` with the bundles loaded after
/// each batch.
pub fn synth_year(
    store: &dyn OfficeStore,
    wilayah: &[Kelurahan],
    year: i32,
    total: u64,
    mut progress: impl FnMut(u64),
) -> StoreResult<Synthesized> {
    let mut loaded = Synthesized { kelurahan: wilayah.len(), bundles: 0, usulan: 0 };
    if wilayah.is_empty() {
        return Ok(loaded);
    }
    let first = SyntheticLoad {
        devices: wilayah.iter().map(|kelurahan| device(kelurahan, year)).collect(),
        rw_counts: wilayah.iter().map(|kelurahan| (kelurahan.code.clone(), RW_COUNT)).collect(),
        bundles: Vec::new(),
    };
    store.load_synthetic(&first)?;
    while loaded.bundles < total {
        let end = (loaded.bundles + BATCH).min(total);
        let bundles: Vec<NewBundle> = (loaded.bundles..end).map(|index| bundle(wilayah, year, index, total)).collect();
        loaded.usulan += bundles.iter().map(|bundle| bundle.figures.usulan.len() as u64).sum::<u64>();
        store.load_synthetic(&SyntheticLoad { bundles, ..SyntheticLoad::default() })?;
        loaded.bundles = end;
        progress(loaded.bundles);
    }
    Ok(loaded)
}
