//! Crash safety, proven by killing: a scripted session (check-ins, notulen
//! edits, usulan saves, scores, a lock, a seal, a backup) runs against a real
//! data folder and prints each change the moment the store acknowledges it;
//! the driver kills it with SIGKILL at random moments, then checks that the
//! database is intact, that every acknowledged change is there with the last
//! value acknowledged, and that an interrupted seal or backup left either
//! nothing under a final name or a whole one that verifies. Then it restarts
//! the session on the same folder, which carries on with the script.
//!
//! The test binary runs itself as the session (selected by an environment
//! variable). `cargo test` kills it 20 times; `make test-crash` 1,000 times
//! (`REMBUG_CRASH_KILLS`); `REMBUG_CRASH_SEED` replays a run's kill moments.
//! Results: docs/reliability.md.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::meeting_form;
use rembug_bundle::{export_to_folder, verify_file};
use rembug_core::attendance::Role;
use rembug_core::backup::{check_backup, create_backup};
use rembug_core::data_dir::DATABASE_FILE;
use rembug_core::device::DeviceIdentity;
use rembug_core::meeting::{MeetingForm, MeetingStatus};
use rembug_core::notulen::AgendaItemForm;
use rembug_core::people::PersonForm;
use rembug_core::usulan::UsulanForm;
use rembug_core::{DataDir, Store};
use rusqlite::OptionalExtension;

const SESSION_DATA_ENV: &str = "REMBUG_CRASH_SESSION_DATA";
const SESSION_OUT_ENV: &str = "REMBUG_CRASH_SESSION_OUT";
/// Which run of the session this is: it makes every value written unique.
const SESSION_NUMBER_ENV: &str = "REMBUG_CRASH_SESSION_NUMBER";
const KILLS_ENV: &str = "REMBUG_CRASH_KILLS";
const SEED_ENV: &str = "REMBUG_CRASH_SEED";
/// Marks the session's lines among the test harness's own.
const ACK: &str = "ack";
const ATTEMPT: &str = "try";
const SHORT_RUN_KILLS: u64 = 20;
/// Kills land anywhere from the session's start-up to this long after it.
const LONGEST_LIFE_MS: u64 = 400;

const ATTENDEES: usize = 12;
const USULAN: usize = 2;
/// Change-log entries a meeting collects before it is locked.
const CHANGES_BEFORE_LOCK: i64 = 80;

/// The session: works through the script from wherever the data folder is,
/// printing one tab-separated line per acknowledged change.
#[test]
fn session() {
    let Some(data) = std::env::var_os(SESSION_DATA_ENV) else {
        return;
    };
    let out = PathBuf::from(std::env::var_os(SESSION_OUT_ENV).expect("the out folder"));
    let number: u64 = std::env::var(SESSION_NUMBER_ENV).unwrap().parse().unwrap();
    let data_dir = DataDir::open(Path::new(&data)).unwrap();
    let store = data_dir.open_store().unwrap();
    let device = DeviceIdentity::load_or_create(data_dir.path()).unwrap();
    let reader = rusqlite::Connection::open(data_dir.path().join(DATABASE_FILE)).unwrap();
    let mut session = Session { store: &store, reader, number, edits: 0, stdout: std::io::stdout().lock() };
    loop {
        let meeting_id = match session.newest_meeting() {
            Some((id, true)) => id,
            // A locked meeting may have been killed between its lock and its
            // backup: sealing again writes the same bytes under the same name.
            Some((id, _)) => {
                session.seal_and_back_up(&id, &device, data_dir.path(), &out);
                session.create_meeting()
            }
            None => session.create_meeting(),
        };
        session.record(&meeting_id);
        session.seal_and_back_up(&meeting_id, &device, data_dir.path(), &out);
    }
}

struct Session<'a> {
    store: &'a Store,
    /// Reads what the store's API does not answer (the newest meeting, the
    /// change log's length) through a connection of its own, as any reader may.
    reader: rusqlite::Connection,
    number: u64,
    edits: u64,
    stdout: std::io::StdoutLock<'static>,
}

impl Session<'_> {
    /// Reports a change the store has acknowledged, flushed at once.
    fn ack(&mut self, fields: &[&str]) {
        self.report(ACK, fields);
    }

    /// Announces an edit about to be written: killed before its
    /// acknowledgement, the store may hold either the old value or this one.
    fn attempt(&mut self, fields: &[&str]) {
        self.report(ATTEMPT, fields);
    }

    fn report(&mut self, kind: &str, fields: &[&str]) {
        writeln!(self.stdout, "{kind}\t{}", fields.join("\t")).unwrap();
        self.stdout.flush().unwrap();
    }

    fn token(&mut self) -> String {
        self.edits += 1;
        format!("s{} e{}", self.number, self.edits)
    }

    /// The meeting made last (ids are UUIDv7) and whether it is a draft.
    fn newest_meeting(&self) -> Option<(String, bool)> {
        self.reader
            .query_row("SELECT id, status = 'draft' FROM meeting ORDER BY id DESC LIMIT 1", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
            .unwrap()
    }

    fn create_meeting(&mut self) -> String {
        let place = format!("Balai RW {}", self.token());
        let meeting = self.store.create_meeting(&MeetingForm { place: place.clone(), ..meeting_form() }).unwrap();
        self.ack(&["meeting", &meeting.id, &place]);
        meeting.id
    }

    /// Check-ins, an agenda item, usulan and criteria up to their counts,
    /// then edits of the notulen, the usulan and the scores until the change
    /// log is long enough, then delegates and the lock.
    fn record(&mut self, meeting_id: &str) {
        while self.store.attendees(meeting_id).unwrap().len() < ATTENDEES {
            let name = format!("Warga {}", self.token());
            let gender = if self.edits % 2 == 0 { "P" } else { "L" };
            let form = PersonForm {
                name: name.clone(),
                gender: gender.into(),
                unsur: "warga".into(),
                rw: "5".into(),
                ..PersonForm::default()
            };
            let attendee = self.store.check_in_new(meeting_id, &form, Role::Peserta).unwrap();
            self.ack(&["attendee", meeting_id, &attendee.person_id, &name]);
        }
        if self.store.agenda(meeting_id).unwrap().is_empty() {
            let item = self.store.add_agenda_item(meeting_id, "Pembukaan").unwrap();
            self.ack(&["agenda", meeting_id, &item.id, ""]);
        }
        while self.store.usulan_list(meeting_id).unwrap().len() < USULAN {
            let kegiatan = format!("Kegiatan {}", self.token());
            let usulan = self.store.add_usulan(meeting_id, &usulan_form(&kegiatan)).unwrap();
            self.ack(&["usulan", &usulan.id, &kegiatan]);
        }
        let criteria = self.store.ensure_default_criteria(meeting_id).unwrap();
        let item = self.store.agenda(meeting_id).unwrap().remove(0);
        let usulan = self.store.usulan_list(meeting_id).unwrap();
        while self.changes(meeting_id) < CHANGES_BEFORE_LOCK {
            let token = self.token();
            match self.edits % 3 {
                0 => {
                    let discussion = format!("Notulen {token}");
                    let form = AgendaItemForm {
                        title: "Pembukaan".into(),
                        discussion: discussion.clone(),
                        decisions: "Usulan jalan didahulukan.".into(),
                    };
                    self.attempt(&["agenda", meeting_id, &item.id, &discussion]);
                    self.store.save_agenda_item(&item.id, &form).unwrap();
                    self.ack(&["agenda", meeting_id, &item.id, &discussion]);
                }
                1 => {
                    let target = &usulan[(self.edits / 3) as usize % USULAN];
                    let kegiatan = format!("Kegiatan {token}");
                    self.attempt(&["usulan", &target.id, &kegiatan]);
                    self.store.update_usulan(&target.id, &usulan_form(&kegiatan)).unwrap();
                    self.ack(&["usulan", &target.id, &kegiatan]);
                }
                _ => {
                    let target = &usulan[(self.edits / 3) as usize % USULAN];
                    let criterion = &criteria[(self.edits / 6) as usize % criteria.len()];
                    let score = (self.edits / 3 % 5 + 1) as u8;
                    self.attempt(&["score", &target.id, &criterion.id, &score.to_string()]);
                    self.store.set_score(&target.id, &criterion.id, Some(score)).unwrap();
                    self.ack(&["score", &target.id, &criterion.id, &score.to_string()]);
                }
            }
        }
        let delegates: Vec<_> =
            self.store.attendees(meeting_id).unwrap().into_iter().take(3).map(|a| a.person_id).collect();
        self.store.set_delegates(meeting_id, &delegates).unwrap();
        self.store.lock_meeting(meeting_id).unwrap();
        self.ack(&["locked", meeting_id]);
    }

    fn changes(&self, meeting_id: &str) -> i64 {
        self.reader
            .query_row("SELECT count(*) FROM meeting_change WHERE meeting_id = ?1", [meeting_id], |row| row.get(0))
            .unwrap()
    }

    fn seal_and_back_up(&mut self, meeting_id: &str, device: &DeviceIdentity, data_dir: &Path, out: &Path) {
        let bundles = out.join("bundles");
        fs::create_dir_all(&bundles).unwrap();
        let sealed = export_to_folder(self.store, device, meeting_id, None, &bundles, &mut |_| {}).unwrap();
        self.ack(&["sealed", &sealed.path.to_string_lossy(), &sealed.sha256]);
        let backup = create_backup(data_dir, &out.join("backups"), &mut |_| {}).unwrap();
        self.ack(&["backup", &backup.to_string_lossy()]);
    }
}

fn usulan_form(kegiatan: &str) -> UsulanForm {
    UsulanForm {
        permasalahan: "Jalan berlubang saat hujan".into(),
        kegiatan: kegiatan.into(),
        alamat: "Jl. Melong Gg. Melati".into(),
        rt_list: "1, 3".into(),
        volume: "150".into(),
        satuan: "meter".into(),
        biaya: "Rp 45.000.000".into(),
        bidang: "infrastruktur".into(),
        ..UsulanForm::default()
    }
}

/// What an acknowledged change says must be in the store; the key names
/// the field, so a later acknowledgement of the same field replaces it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    MeetingPlace { meeting: String },
    Attendee { meeting: String, person: String },
    Notulen { meeting: String, item: String },
    Kegiatan { usulan: String },
    Score { usulan: String, criterion: String },
    Locked { meeting: String },
}

/// One line of the session's output.
enum Report {
    Field(Field, String),
    Sealed { path: PathBuf, sha256: String },
    Backup(PathBuf),
}

impl Report {
    fn parse(line: &str) -> Report {
        let parts: Vec<&str> = line.split('\t').collect();
        let owned = |index: usize| parts[index].to_owned();
        let (field, value) = match parts[0] {
            "meeting" => (Field::MeetingPlace { meeting: owned(1) }, owned(2)),
            "attendee" => (Field::Attendee { meeting: owned(1), person: owned(2) }, owned(3)),
            "agenda" => (Field::Notulen { meeting: owned(1), item: owned(2) }, owned(3)),
            "usulan" => (Field::Kegiatan { usulan: owned(1) }, owned(2)),
            "score" => (Field::Score { usulan: owned(1), criterion: owned(2) }, owned(3)),
            "locked" => (Field::Locked { meeting: owned(1) }, String::new()),
            "sealed" => return Report::Sealed { path: PathBuf::from(parts[1]), sha256: owned(2) },
            "backup" => return Report::Backup(PathBuf::from(parts[1])),
            other => panic!("unknown report {other:?} in {line:?}"),
        };
        Report::Field(field, value)
    }
}

/// What the driver learnt from one session's output.
#[derive(Default)]
struct Acknowledged {
    fields: BTreeMap<Field, String>,
    bundles: BTreeMap<PathBuf, String>,
    backups: Vec<PathBuf>,
    /// The last edit announced: the one the kill may have caught between
    /// its commit and its acknowledgement.
    in_flight: Option<(Field, String)>,
}

impl Acknowledged {
    fn read(&mut self, line: &str) {
        if let Some(attempt) = line.strip_prefix(ATTEMPT).and_then(|rest| rest.strip_prefix('\t')) {
            if let Report::Field(field, value) = Report::parse(attempt) {
                self.in_flight = Some((field, value));
            }
            return;
        }
        let Some(ack) = line.strip_prefix(ACK).and_then(|rest| rest.strip_prefix('\t')) else {
            return; // the test harness's own output
        };
        match Report::parse(ack) {
            Report::Field(field, value) => {
                self.fields.insert(field, value);
            }
            Report::Sealed { path, sha256 } => {
                self.bundles.insert(path, sha256);
            }
            Report::Backup(path) => self.backups.push(path),
        }
    }
}

/// Finds each of `keys` with its last acknowledged value in `expected`, or
/// the edit in flight when the session was killed, which then becomes the
/// value expected.
fn check_fields<'k>(
    database: &Path,
    keys: impl IntoIterator<Item = &'k Field>,
    expected: &mut BTreeMap<Field, String>,
    in_flight: Option<&(Field, String)>,
) {
    let store = Store::open(database).unwrap();
    let conn = rusqlite::Connection::open(database).unwrap();
    for field in keys {
        let found = stored_value(&store, &conn, field);
        if in_flight.is_some_and(|(flying, value)| flying == field && *value == found) {
            expected.insert(field.clone(), found);
        } else if let Some(value) = expected.get(field) {
            assert_eq!(&found, value, "{field:?}: an acknowledged change was lost");
        }
    }
}

fn stored_value(store: &Store, conn: &rusqlite::Connection, field: &Field) -> String {
    match field {
        Field::MeetingPlace { meeting } => store.get_meeting(meeting).unwrap().place,
        Field::Attendee { meeting, person } => {
            let attendees = store.attendees(meeting).unwrap();
            attendees.into_iter().find(|a| &a.person_id == person).map(|a| a.name).unwrap_or_default()
        }
        Field::Notulen { meeting, item } => {
            let agenda = store.agenda(meeting).unwrap();
            agenda.into_iter().find(|i| &i.id == item).map(|i| i.discussion).unwrap_or_else(|| "<none>".into())
        }
        Field::Kegiatan { usulan } => store.get_usulan(usulan).unwrap().kegiatan,
        Field::Score { usulan, criterion } => conn
            .query_row(
                "SELECT score FROM score WHERE usulan_id = ?1 AND criterion_id = ?2",
                [usulan, criterion],
                |row| row.get::<_, i64>(0),
            )
            .map(|score| score.to_string())
            .unwrap_or_default(),
        Field::Locked { meeting } => match store.get_meeting(meeting).unwrap().status {
            MeetingStatus::Locked => String::new(),
            other => format!("{other:?}"),
        },
    }
}

/// Every bundle under a final name verifies; anything else is a hidden
/// temporary file an interrupted seal left (removed here, and counted).
fn check_bundles(folder: &Path, acknowledged: &BTreeMap<PathBuf, String>) -> usize {
    for (path, sha256) in acknowledged {
        assert_eq!(&verify_file(path).unwrap().sha256, sha256, "{}", path.display());
    }
    let mut leftovers = 0;
    for entry in fs::read_dir(folder).into_iter().flatten() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(".partial") {
            fs::remove_file(&path).unwrap();
            leftovers += 1;
        } else {
            assert!(name.ends_with(".rembug"), "a stray file among the bundles: {name}");
            verify_file(&path).unwrap_or_else(|error| panic!("{name} is under a final name but refused: {error}"));
        }
    }
    leftovers
}

/// Every backup under a final name checks; hidden partial folders are what
/// an interrupted backup left (removed, and counted). Checked backups are
/// removed too, so the run does not fill the disk.
fn check_backups(folder: &Path, acknowledged: &[PathBuf]) -> (usize, usize) {
    for path in acknowledged {
        assert!(path.is_dir(), "an acknowledged backup is gone: {}", path.display());
    }
    let (mut complete, mut leftovers) = (0, 0);
    for entry in fs::read_dir(folder).into_iter().flatten() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(".partial") {
            leftovers += 1;
        } else {
            assert!(name.starts_with("rembug-backup-"), "a stray file among the backups: {name}");
            check_backup(&path).unwrap_or_else(|error| panic!("{name} looks complete but is refused: {error}"));
            complete += 1;
        }
        fs::remove_dir_all(&path).unwrap();
    }
    (complete, leftovers)
}

/// xorshift64*: the kill moments follow from the printed seed alone.
struct Moments(u64);

impl Moments {
    fn next_ms(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % below
    }
}

#[cfg(unix)]
#[test]
fn random_kills_lose_no_acknowledged_change() {
    let kills: u64 = std::env::var(KILLS_ENV).map(|n| n.parse().unwrap()).unwrap_or(SHORT_RUN_KILLS);
    let seed: u64 = std::env::var(SEED_ENV).map(|n| n.parse().unwrap()).unwrap_or_else(|_| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    println!("crash run: {kills} kills, seed {seed} (rerun with {SEED_ENV}={seed} {KILLS_ENV}={kills})");
    let mut moments = Moments(seed | 1);
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let out = root.path().join("out");
    let database = data.join(DATABASE_FILE);
    let started = Instant::now();
    let mut all = Acknowledged::default();
    let (mut changes, mut bundle_leftovers, mut complete_backups, mut backup_leftovers) = (0, 0, 0, 0);

    for kill in 0..kills {
        let stderr = fs::File::create(root.path().join("session.stderr")).unwrap();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "session", "--nocapture", "--test-threads=1"])
            .env(SESSION_DATA_ENV, &data)
            .env(SESSION_OUT_ENV, &out)
            .env(SESSION_NUMBER_ENV, kill.to_string())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut lines = Vec::new();
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            // A line cut short by the kill has no newline: it was never
            // acknowledged whole, so it is not counted.
            while reader.read_line(&mut line).unwrap() > 0 && line.ends_with('\n') {
                lines.push(line.trim_end_matches('\n').to_owned());
                line.clear();
            }
            lines
        });
        std::thread::sleep(Duration::from_millis(moments.next_ms(LONGEST_LIFE_MS)));
        if let Some(status) = child.try_wait().unwrap() {
            let log = fs::read_to_string(root.path().join("session.stderr")).unwrap();
            panic!("seed {seed}, kill {kill}: the session stopped by itself ({status}):\n{log}");
        }
        child.kill().unwrap();
        child.wait().unwrap();

        let mut round = Acknowledged::default();
        for line in reader.join().unwrap() {
            round.read(&line);
        }
        changes += round.fields.len() + round.bundles.len() + round.backups.len();
        if !database.exists() {
            // Killed before the session made its data folder (a busy machine
            // can take longer than the shortest life to start a process).
            assert!(
                all.fields.is_empty() && round.fields.is_empty(),
                "seed {seed}, kill {kill}: the database vanished"
            );
            continue;
        }
        let conn = rusqlite::Connection::open(&database).unwrap();
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
        assert_eq!(integrity, "ok", "seed {seed}, kill {kill}");
        drop(conn);
        let touched: Vec<Field> =
            round.fields.keys().chain(round.in_flight.as_ref().map(|(field, _)| field)).cloned().collect();
        all.fields.extend(round.fields);
        check_fields(&database, &touched, &mut all.fields, round.in_flight.as_ref());
        bundle_leftovers += check_bundles(&out.join("bundles"), &round.bundles);
        let (complete, leftovers) = check_backups(&out.join("backups"), &round.backups);
        complete_backups += complete;
        backup_leftovers += leftovers;
        all.bundles.extend(round.bundles);
        // Every acknowledged field ever, now and then: a later session must
        // not have undone an earlier one's change.
        if kill % 50 == 49 || kill + 1 == kills {
            let keys: Vec<Field> = all.fields.keys().cloned().collect();
            check_fields(&database, &keys, &mut all.fields, None);
        }
    }
    println!(
        "crash run: {kills} kills in {:.1} s, seed {seed}: {changes} acknowledged changes, {} fields checked, \
         {} bundles verified ({bundle_leftovers} interrupted seals left a hidden temporary file), \
         {complete_backups} complete backups checked ({backup_leftovers} interrupted backups left a hidden partial folder)",
        started.elapsed().as_secs_f64(),
        all.fields.len(),
        all.bundles.len(),
    );
}
