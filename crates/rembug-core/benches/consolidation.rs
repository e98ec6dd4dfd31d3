//! Kelurahan consolidation on a whole demo kelurahan: every RW's rembug warga
//! of the current year (`demo --scale kelurahan`, seed 1, whose previous
//! year is locked already), locked. Measures
//! listing the RW results, starting the Musrenbang Kelurahan (merging every
//! RW usulan in one transaction) and the look-alike flags over the merged
//! list. Run with `cargo bench -p rembug-core --bench consolidation`; see
//! docs/benchmarks.md.
//!
//! Starting can happen once per data folder (a second is refused), so it is
//! timed once on each of `STARTS` identical data folders.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rembug_core::Store;
use rembug_core::demo::{self, Scale};
use rembug_core::meeting::MeetingForm;
use rembug_core::store::meetings::MeetingFilter;

const SEED: u64 = 1;
const STARTS: usize = 10;

struct Kelurahan {
    _dir: tempfile::TempDir,
    store: Store,
    code: String,
    planning_year: i32,
}

impl Kelurahan {
    /// A fresh data folder holding the demo kelurahan, every RW locked.
    fn generate() -> Kelurahan {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rembug.sqlite3");
        let store = Store::open(&path).unwrap();
        demo::generate(&store, Scale::Kelurahan, SEED).unwrap();
        let locked = rusqlite::Connection::open(&path)
            .unwrap()
            .execute("UPDATE meeting SET status = 'locked', locked_at = updated_at WHERE status = 'draft'", [])
            .unwrap();
        let planning_year = demo::current_planning_year();
        let meetings = store
            .list_meetings(&MeetingFilter { planning_year: Some(planning_year), ..MeetingFilter::default() })
            .unwrap();
        assert_eq!(locked as u32, meetings.total, "every RW of the current year");
        let first = &meetings.meetings[0];
        store.set_rw_count(&first.kelurahan_code, &meetings.total.to_string()).unwrap();
        Kelurahan { code: first.kelurahan_code.clone(), planning_year, _dir: dir, store }
    }

    fn start(&self) -> String {
        let form = MeetingForm {
            date: "2027-01-20".into(),
            start_time: "09:00".into(),
            place: "Aula Kelurahan".into(),
            facilitator: "Dedi Kurniawan".into(),
            pimpinan: "Drs. H. Asep Hidayat".into(),
            pimpinan_jabatan: "Ketua LPM".into(),
            ..MeetingForm::default()
        };
        self.store.start_kelurahan_meeting(&form, &self.code, self.planning_year).unwrap().meeting.id
    }
}

/// The kelurahan with its Musrenbang Kelurahan started, and that meeting.
fn merged() -> &'static (Kelurahan, String) {
    static MERGED: OnceLock<(Kelurahan, String)> = OnceLock::new();
    MERGED.get_or_init(|| {
        let kelurahan = Kelurahan::generate();
        let meeting_id = kelurahan.start();
        (kelurahan, meeting_id)
    })
}

fn main() {
    let (kelurahan, meeting_id) = merged();
    let consolidation = kelurahan.store.consolidation(&kelurahan.code, kelurahan.planning_year).unwrap();
    let flags = kelurahan.store.similar_usulan(meeting_id).unwrap();
    println!(
        "kelurahan {} {}: {} RWs, {} usulan merged, {} look-alike flags",
        consolidation.kelurahan.name,
        kelurahan.planning_year,
        consolidation.received_count,
        consolidation.usulan_count,
        flags.len()
    );
    divan::main();
    time_starts();
}

#[divan::bench]
fn consolidation_of_every_rw() -> usize {
    let (kelurahan, _) = merged();
    kelurahan.store.consolidation(&kelurahan.code, kelurahan.planning_year).unwrap().rws.len()
}

#[divan::bench]
fn similar_usulan_of_the_merged_list() -> usize {
    let (kelurahan, meeting_id) = merged();
    kelurahan.store.similar_usulan(meeting_id).unwrap().len()
}

#[divan::bench]
fn usulan_list_of_the_merged_list() -> usize {
    let (kelurahan, meeting_id) = merged();
    kelurahan.store.usulan_list(meeting_id).unwrap().len()
}

fn time_starts() {
    let mut times: Vec<Duration> = (0..STARTS)
        .map(|_| {
            let kelurahan = Kelurahan::generate();
            let started = Instant::now();
            kelurahan.start();
            started.elapsed()
        })
        .collect();
    times.sort_unstable();
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    println!(
        "\nstart_kelurahan_meeting, {STARTS} fresh data folders: fastest {:.1} ms, median {:.1} ms, slowest {:.1} ms",
        ms(times[0]),
        ms(times[STARTS / 2]),
        ms(times[STARTS - 1])
    );
}
