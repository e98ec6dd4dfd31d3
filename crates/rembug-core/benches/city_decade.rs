//! The brief's performance targets, measured on city-decade demo data
//! (about 3,300 meetings, 150,000 attendance rows, 60,000 usulan, 50,000
//! people). Run with `cargo bench -p rembug-core`; see docs/benchmarks.md.
//!
//! The data is generated once per run into a temporary folder on the same
//! disk as the system's temp dir (fsync is real there). Divan reports
//! fastest/slowest/median/mean; a second pass afterwards times single calls
//! and prints the median, p95 and p99, which the targets are stated in.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use divan::{Bencher, black_box};
use rembug_core::Store;
use rembug_core::demo::{self, Scale};
use rembug_core::meeting::MeetingStatus;
use rembug_core::notulen::AgendaItemForm;
use rembug_core::store::meetings::MeetingFilter;

const SEED: u64 = 1;
/// Words from usulan, notulen and names; "rw 05" matches nearly every usulan.
const SEARCHES: &[&str] =
    &["jalan", "posyandu", "drainase banjir", "asep", "jalan rus", "pimpinan rapat", "Rutilahu", "rw 05"];
/// A cadre typing a returning resident's name, keystroke by keystroke; the
/// last one misspelt.
const KEYSTROKES: &[&str] = &["a", "as", "ase", "asep", "asep s", "asep sa", "euis rahmawti"];

struct City {
    _dir: tempfile::TempDir,
    store: Store,
    /// A draft meeting of the current year, and one of its agenda items.
    draft_meeting: String,
    agenda_item: String,
    kelurahan_code: String,
    planning_year: i32,
    /// A bare SQLite file beside it, for the one-row durable commit.
    bare: Mutex<rusqlite::Connection>,
}

fn city() -> &'static City {
    static CITY: OnceLock<City> = OnceLock::new();
    CITY.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("rembug.sqlite3")).unwrap();
        let started = Instant::now();
        let summary = demo::generate(&store, Scale::CityDecade, SEED).unwrap();
        eprintln!("city-decade generated in {:.1} s: {summary:?}", started.elapsed().as_secs_f64());

        let drafts = store
            .list_meetings(&MeetingFilter {
                status: Some(MeetingStatus::Draft),
                limit: Some(1),
                ..MeetingFilter::default()
            })
            .unwrap();
        let draft = drafts.meetings[0].clone();
        let agenda_item = store.agenda(&draft.id).unwrap()[0].id.clone();

        let bare = rusqlite::Connection::open(dir.path().join("bare.sqlite3")).unwrap();
        bare.pragma_update(None, "journal_mode", "WAL").unwrap();
        bare.pragma_update(None, "synchronous", "FULL").unwrap();
        bare.execute_batch("CREATE TABLE row (id INTEGER PRIMARY KEY, value TEXT NOT NULL)").unwrap();

        City {
            _dir: dir,
            store,
            draft_meeting: draft.id,
            agenda_item,
            kelurahan_code: draft.kelurahan_code,
            planning_year: draft.planning_year - 3,
            bare: Mutex::new(bare),
        }
    })
}

fn main() {
    city();
    // Every measured call must do real work on this data.
    assert!(SEARCHES.iter().all(|text| search(text) > 0), "every search finds something");
    assert!(KEYSTROKES.iter().all(|typed| suggest(typed) > 0), "every keystroke suggests someone");
    assert!(list_kelurahan_year() > 10);
    divan::main();
    percentiles();
}

// ---- the operations, shared by divan and the percentile pass ----

fn list_home() -> usize {
    city().store.list_meetings(&MeetingFilter::default()).unwrap().meetings.len()
}

fn list_all() -> usize {
    city().store.list_meetings(&MeetingFilter { limit: Some(5000), ..MeetingFilter::default() }).unwrap().meetings.len()
}

fn list_kelurahan_year() -> usize {
    let city = city();
    let filter = MeetingFilter {
        kelurahan_code: Some(city.kelurahan_code.clone()),
        planning_year: Some(city.planning_year),
        ..MeetingFilter::default()
    };
    city.store.list_meetings(&filter).unwrap().meetings.len()
}

fn search(text: &str) -> usize {
    city().store.search(text, 50).unwrap().len()
}

fn suggest(typed: &str) -> usize {
    let city = city();
    city.store.suggest_people(typed, &city.draft_meeting, 10).unwrap().len()
}

/// The notulis's autosave: one agenda item's text, durably, with its change
/// log entry. Alternates between two texts so every call is a real change.
fn save_agenda_item(round: u64) {
    let city = city();
    let discussion = format!("Warga membahas jadwal kerja bakti, putaran {}.", round % 2);
    let form = AgendaItemForm { title: "Lain-lain".into(), discussion, decisions: String::new() };
    city.store.save_agenda_item(&city.agenda_item, &form).unwrap();
}

fn bare_commit(round: u64) {
    let bare = city().bare.lock().unwrap();
    bare.execute("INSERT INTO row (value) VALUES (?1)", [format!("putaran {round}")]).unwrap();
}

// ---- divan ----

#[divan::bench]
fn list_meetings_home_screen() -> usize {
    list_home()
}

#[divan::bench]
fn list_meetings_all() -> usize {
    list_all()
}

#[divan::bench]
fn list_meetings_kelurahan_and_year() -> usize {
    list_kelurahan_year()
}

#[divan::bench(args = SEARCHES)]
fn search_fts(text: &str) -> usize {
    search(black_box(text))
}

#[divan::bench(args = KEYSTROKES)]
fn autocomplete_keystroke(typed: &str) -> usize {
    suggest(black_box(typed))
}

#[divan::bench(sample_size = 1, sample_count = 200)]
fn durable_save_agenda_item(bencher: Bencher) {
    let mut round = 0;
    bencher.bench_local(|| {
        round += 1;
        save_agenda_item(round)
    });
}

#[divan::bench(sample_size = 1, sample_count = 200)]
fn bare_durable_sqlite_commit(bencher: Bencher) {
    let mut round = 0;
    bencher.bench_local(|| {
        round += 1;
        bare_commit(round)
    });
}

// ---- percentiles of single calls ----

fn percentiles() {
    println!("\nsingle calls: median / p95 / p99 / max");
    let report = |name: &str, runs: u64, mut work: Box<dyn FnMut(u64) + '_>| -> Duration {
        let mut samples: Vec<Duration> = (0..runs)
            .map(|round| {
                let started = Instant::now();
                work(round);
                started.elapsed()
            })
            .collect();
        samples.sort();
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        println!("{name:<44} {:>10.3?} {:>10.3?} {:>10.3?} {:>10.3?}", at(0.5), at(0.95), at(0.99), at(1.0));
        at(0.95)
    };
    report(
        "list meetings (home screen, 200 newest)",
        500,
        Box::new(|_| {
            black_box(list_home());
        }),
    );
    report(
        "list meetings (all)",
        200,
        Box::new(|_| {
            black_box(list_all());
        }),
    );
    report(
        "list meetings (kelurahan + year)",
        500,
        Box::new(|_| {
            black_box(list_kelurahan_year());
        }),
    );
    for text in SEARCHES {
        report(
            &format!("search {text:?}"),
            300,
            Box::new(|_| {
                black_box(search(text));
            }),
        );
    }
    for typed in KEYSTROKES {
        report(
            &format!("autocomplete {typed:?}"),
            300,
            Box::new(|_| {
                black_box(suggest(typed));
            }),
        );
    }
    let save = report("durable save (agenda item autosave)", 300, Box::new(save_agenda_item));
    let bare = report("bare one-row durable SQLite commit", 300, Box::new(bare_commit));
    println!("durable save p95 / bare commit p95 = {:.2}", save.as_secs_f64() / bare.as_secs_f64());
}
