//! The dashboard's main queries against a PostgreSQL index holding a
//! synthetic national year (`rembug-office synth-year`), timed over
//! repeated runs: p50, p95 and max per query (docs/scale.md). It measures
//! only when `REMBUG_BENCH_DATABASE` names such a database
//! (`scripts/bench-office-national.sh` sets one up); under `cargo test` it
//! says it was skipped. Each query is what a page asks the store, for the
//! kota with the most kelurahan/desa and its largest kecamatan, plus the
//! work the page does on the rows (who is missing; the summary's and the
//! recap's sums are the database's).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use rembug_office::store::{BundleFilter, OfficeStore, PostgresStore, SumFilter};

/// The code (`32.77`, `32.77.01`) shared by the most kelurahan of `codes`.
fn largest<'a>(codes: impl Iterator<Item = &'a str>) -> String {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for code in codes {
        *counts.entry(code).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(code, count)| (*count, std::cmp::Reverse(*code)))
        .map(|(code, _)| code.to_owned())
        .unwrap_or_default()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn main() {
    let Ok(url) = std::env::var("REMBUG_BENCH_DATABASE") else {
        println!("national_queries: skipped (REMBUG_BENCH_DATABASE names no database; see docs/scale.md)");
        return;
    };
    let runs: usize = std::env::var("REMBUG_BENCH_RUNS").ok().and_then(|runs| runs.parse().ok()).unwrap_or(50);
    let store = PostgresStore::open(&url).expect("the database opens");
    let wilayah = store.wilayah().unwrap();
    let year = store.latest_planning_year().unwrap().expect("a synthetic year is loaded");
    let kota = largest(wilayah.iter().map(|k| k.kota_code.as_str()));
    let kecamatan = largest(wilayah.iter().filter(|k| k.kota_code == kota).map(|k| k.kecamatan_code.as_str()));
    let of_kota: Vec<_> = wilayah.iter().filter(|k| k.kota_code == kota).collect();
    let device =
        store.bundles_where(&BundleFilter { wilayah: Some(kecamatan.clone()), ..BundleFilter::default() }).unwrap()[0]
            .device_id
            .clone();
    println!(
        "national_queries: {} kelurahan/desa, year {year}; kota {kota} ({} kelurahan/desa), kecamatan {kecamatan}; {runs} runs each; load average {}",
        wilayah.len(),
        of_kota.len(),
        load_average()
    );
    let filter = |wilayah: &str| BundleFilter {
        planning_year: Some(year),
        wilayah: Some(wilayah.to_owned()),
        ..BundleFilter::default()
    };

    // Each answers how many rows the page read.
    let grid = |area: &str| {
        let bundles = store.bundles_where(&filter(area)).unwrap();
        let counts: BTreeMap<String, u16> = store.rw_counts(Some(area)).unwrap().into_iter().collect();
        let replaced: BTreeSet<&str> = bundles.iter().filter_map(|b| b.replaces_sha256.as_deref()).collect();
        let mut received: BTreeMap<(&str, u16), ()> = BTreeMap::new();
        for bundle in bundles.iter().filter(|b| b.stage == "rembug_warga" && !replaced.contains(b.sha256.as_str())) {
            received.insert((bundle.kelurahan_code.as_str(), bundle.rw.unwrap_or(0)), ());
        }
        let mut missing_per_kecamatan: BTreeMap<&str, u32> = BTreeMap::new();
        for kelurahan in of_kota.iter().filter(|k| k.code.starts_with(&format!("{area}."))) {
            let rws = counts.get(&kelurahan.code).copied().unwrap_or(0);
            let missing = (1..=rws).filter(|rw| !received.contains_key(&(kelurahan.code.as_str(), *rw))).count();
            *missing_per_kecamatan.entry(&kelurahan.kecamatan_code).or_default() += missing as u32;
        }
        assert!(!missing_per_kecamatan.is_empty());
        bundles.len()
    };
    // The summary's one call: all years of the kota (the page shows each
    // year's totals and the groups of the year chosen).
    let summary = || {
        let sums = store.figure_sums(&SumFilter { wilayah: Some(kota.clone()), ..SumFilter::default() }).unwrap();
        let mut women_per_kelurahan: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
        for place in sums.places.iter().filter(|place| place.planning_year == year) {
            let sum = women_per_kelurahan.entry(&place.kelurahan_code).or_default();
            sum.0 += place.participation.attendees;
            sum.1 += place.participation.women;
        }
        assert!(!women_per_kelurahan.is_empty() && !sums.by_bidang.is_empty() && !sums.by_opd.is_empty());
        sums.places.len() + sums.by_bidang.len() + sums.by_opd.len()
    };
    let recap = || {
        let selection = BundleFilter { stage: Some("rembug_warga".into()), ..filter(&kecamatan) };
        let sums = SumFilter {
            planning_year: Some(year),
            wilayah: Some(kecamatan.clone()),
            stage: selection.stage.clone(),
            ..SumFilter::default()
        };
        let bundles = store.bundles_where(&selection).unwrap();
        let sums = store.figure_sums(&sums).unwrap();
        store.rw_counts(Some(&kecamatan)).unwrap();
        bundles.len() + sums.places.len() + sums.by_bidang.len()
    };
    let answers = || {
        let bundles =
            store.bundles_where(&BundleFilter { device_id: Some(device.clone()), ..BundleFilter::default() }).unwrap();
        for bundle in &bundles {
            store.review(&bundle.sha256).unwrap();
            store.usulan_outcomes(&bundle.sha256).unwrap();
        }
        bundles.len()
    };
    let queries: [(&str, &dyn Fn() -> usize); 5] = [
        ("grid, who has not submitted per kecamatan, one kota", &|| grid(&kota)),
        ("grid, one kecamatan", &|| grid(&kecamatan)),
        (
            "summary (participation per kecamatan and kelurahan, usulan by bidang, kelurahan and OPD), one kota",
            &summary,
        ),
        ("recap PDF's rows, one kecamatan (its bundles, sums and RW counts)", &recap),
        ("answers, one device", &answers),
    ];
    for (name, query) in queries {
        for _ in 0..2 {
            query();
        }
        let mut times = Vec::with_capacity(runs);
        let mut rows = 0;
        for _ in 0..runs {
            let started = Instant::now();
            rows = query();
            times.push(started.elapsed());
        }
        times.sort();
        let at = |fraction: f64| times[((times.len() as f64 * fraction).ceil() as usize).saturating_sub(1)];
        println!(
            "{name}: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms ({rows} rows)",
            milliseconds(at(0.5)),
            milliseconds(at(0.95)),
            milliseconds(times[times.len() - 1])
        );
    }
    println!("national_queries: done; load average {}", load_average());
}
