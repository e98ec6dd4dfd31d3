//! Guards in the database itself: a locked meeting's rows and imported
//! bundles refuse every write, whoever writes (raw SQL here, as a script or an
//! older app would); a read-only open never migrates; processes opening one
//! fresh database at once migrate it once.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{DATABASE, meeting_form};
use rembug_core::store::SCHEMA_VERSION;
use rembug_core::{CoreError, Store};
use rusqlite::Connection;

const LOCKED: &str = "meeting is locked";

/// A meeting with a row in every table that hangs off it, through SQL.
fn meeting_with_every_row(dir: &tempfile::TempDir) -> String {
    let store = common::open(dir);
    let meeting_id = store.create_meeting(&meeting_form()).unwrap().id;
    drop(store);
    let hash = "a".repeat(64);
    raw(dir)
        .execute_batch(&format!(
            "INSERT INTO person (id, name, gender, unsur, rt, rw, created_at, updated_at)
                 VALUES ('p1', 'Euis Komalasari', 'P', 'PKK', 2, 7, 'now', 'now'),
                        ('p2', 'Asep Saepudin', 'L', 'RT', 3, 7, 'now', 'now');
             INSERT INTO attachment (sha256, size, media_type, created_at) VALUES ('{hash}', 1, 'image/png', 'now');
             INSERT INTO attendance (meeting_id, person_id, name, gender, unsur, rt, rw, role, checked_in_at)
                 VALUES ('{meeting_id}', 'p1', 'Euis Komalasari', 'P', 'PKK', 2, 7, 'peserta', 'now');
             INSERT INTO meeting_document (meeting_id, kind, position, sha256)
                 VALUES ('{meeting_id}', 'attendance_sheet', 1, '{hash}');
             INSERT INTO agenda_item (id, meeting_id, position, title, updated_at)
                 VALUES ('a1', '{meeting_id}', 1, 'Pembukaan', 'now');
             INSERT INTO usulan (id, meeting_id, position, permasalahan, kegiatan, alamat, volume, satuan, biaya,
                                 bidang, created_at, updated_at)
                 VALUES ('u1', '{meeting_id}', 1, 'Jalan rusak', 'Perbaikan jalan', 'Gg. Mawar', 150, 'meter',
                         75000000, 'infrastruktur', 'now', 'now');
             INSERT INTO usulan_photo (usulan_id, position, sha256) VALUES ('u1', 1, '{hash}');
             INSERT INTO usulan_origin (usulan_id, rw, source_meeting_id, source_usulan_id, rank)
                 VALUES ('u1', 7, 'm0', 'u0', 1);
             INSERT INTO criterion (id, meeting_id, position, name, weight)
                 VALUES ('c1', '{meeting_id}', 1, 'Kemendesakan', 60);
             INSERT INTO score (usulan_id, criterion_id, score) VALUES ('u1', 'c1', 5);
             INSERT INTO delegate (meeting_id, person_id, position) VALUES ('{meeting_id}', 'p1', 1);"
        ))
        .unwrap();
    meeting_id
}

fn raw(dir: &tempfile::TempDir) -> Connection {
    let conn = Connection::open(dir.path().join(DATABASE)).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    conn
}

/// Every write a locked meeting must refuse: `{m}` is its id.
const FORBIDDEN: &[&str] = &[
    "UPDATE meeting SET place = 'Aula' WHERE id = '{m}'",
    "UPDATE meeting SET status = 'draft' WHERE id = '{m}'",
    "DELETE FROM meeting WHERE id = '{m}'",
    "INSERT INTO attendance (meeting_id, person_id, name, gender, unsur, role, checked_in_at)
         VALUES ('{m}', 'p2', 'Asep Saepudin', 'L', 'RT', 'peserta', 'now')",
    "UPDATE attendance SET name = 'Euis K.' WHERE meeting_id = '{m}'",
    "DELETE FROM attendance WHERE meeting_id = '{m}'",
    "INSERT INTO meeting_document (meeting_id, kind, position, sha256) SELECT '{m}', 'signed_page', 1, sha256 FROM attachment",
    "UPDATE meeting_document SET position = 2 WHERE meeting_id = '{m}'",
    "DELETE FROM meeting_document WHERE meeting_id = '{m}'",
    "INSERT INTO agenda_item (id, meeting_id, position, title, updated_at) VALUES ('a2', '{m}', 2, 'Penutup', 'now')",
    "UPDATE agenda_item SET decisions = 'Batal' WHERE id = 'a1'",
    "DELETE FROM agenda_item WHERE id = 'a1'",
    "INSERT INTO usulan (id, meeting_id, position, permasalahan, kegiatan, alamat, volume, satuan, biaya, bidang,
                         created_at, updated_at)
         VALUES ('u2', '{m}', 2, 'Banjir', 'Drainase', 'Gg. Melati', 1, 'unit', 1, 'infrastruktur', 'now', 'now')",
    "UPDATE usulan SET biaya = 1 WHERE id = 'u1'",
    "DELETE FROM usulan WHERE id = 'u1'",
    "INSERT INTO usulan_photo (usulan_id, position, sha256) SELECT 'u1', 2, sha256 FROM attachment",
    "UPDATE usulan_photo SET position = 3 WHERE usulan_id = 'u1'",
    "DELETE FROM usulan_photo WHERE usulan_id = 'u1'",
    "UPDATE usulan_origin SET rank = 2 WHERE usulan_id = 'u1'",
    "DELETE FROM usulan_origin WHERE usulan_id = 'u1'",
    "INSERT INTO criterion (id, meeting_id, position, name, weight) VALUES ('c2', '{m}', 2, 'Manfaat', 40)",
    "UPDATE criterion SET weight = 10 WHERE id = 'c1'",
    "DELETE FROM criterion WHERE id = 'c1'",
    "UPDATE score SET score = 1 WHERE usulan_id = 'u1'",
    "DELETE FROM score WHERE usulan_id = 'u1'",
    "INSERT INTO delegate (meeting_id, person_id, position) VALUES ('{m}', 'p2', 2)",
    "UPDATE delegate SET position = 2 WHERE meeting_id = '{m}'",
    "DELETE FROM delegate WHERE meeting_id = '{m}'",
];

fn abort_message(result: rusqlite::Result<usize>) -> String {
    match result {
        Err(rusqlite::Error::SqliteFailure(error, Some(message))) => {
            assert_eq!(error.code, rusqlite::ErrorCode::ConstraintViolation, "{message}");
            message
        }
        other => panic!("the write was not refused by a trigger: {other:?}"),
    }
}

#[test]
fn every_row_of_a_locked_meeting_refuses_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let meeting_id = meeting_with_every_row(&dir);
    common::lock_directly(&dir, &meeting_id);
    let conn = raw(&dir);
    for sql in FORBIDDEN {
        let sql = sql.replace("{m}", &meeting_id);
        assert_eq!(abort_message(conn.execute(&sql, [])), LOCKED, "{sql}");
    }
    // Moving a row from a draft into a locked meeting is refused too.
    let store = common::open(&dir);
    let draft = store.create_meeting(&meeting_form()).unwrap().id;
    drop(store);
    conn.execute(
        "INSERT INTO agenda_item (id, meeting_id, position, title, updated_at) VALUES ('d1', ?1, 1, 'Pembukaan', 'now')",
        [&draft],
    )
    .unwrap();
    let moved = conn.execute("UPDATE agenda_item SET meeting_id = ?1 WHERE id = 'd1'", [&meeting_id]);
    assert_eq!(abort_message(moved), LOCKED);
}

#[test]
fn the_same_writes_pass_while_the_meeting_is_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let meeting_id = meeting_with_every_row(&dir);
    let conn = raw(&dir);
    // Each write in its own savepoint, rolled back, so every one meets the rows it expects.
    for sql in FORBIDDEN {
        let sql = sql.replace("{m}", &meeting_id);
        conn.execute_batch("SAVEPOINT one; PRAGMA defer_foreign_keys = ON;").unwrap();
        conn.execute(&sql, []).unwrap_or_else(|error| panic!("{sql}: {error}"));
        conn.execute_batch("ROLLBACK TO one; RELEASE one;").unwrap();
    }
}

#[test]
fn locking_revising_and_freezing_still_work_under_the_guards() {
    let dir = tempfile::tempdir().unwrap();
    let meeting_id = meeting_with_every_row(&dir);
    let store = common::open(&dir);
    store.lock_meeting(&meeting_id).unwrap();
    assert!(store.frozen_record(&meeting_id).is_ok());
    let revision = store.revise_meeting(&meeting_id, "Nama peserta salah tulis").unwrap();
    // The correction is a draft: its copies are writable, the original is not.
    raw(&dir).execute("UPDATE agenda_item SET decisions = 'Diperbaiki' WHERE meeting_id = ?1", [&revision.id]).unwrap();
    let original = raw(&dir).execute("UPDATE agenda_item SET decisions = 'Diperbaiki' WHERE id = 'a1'", []);
    assert_eq!(abort_message(original), LOCKED);
    assert!(matches!(store.revise_meeting(&meeting_id, "Lagi"), Err(CoreError::AlreadyRevised)));
}

/// A fresh database with one imported bundle, whose SHA-256 is `a` × 64.
fn with_imported_bundle(dir: &tempfile::TempDir) -> Connection {
    drop(common::open(dir));
    let conn = raw(dir);
    let (a, b) = ("a".repeat(64), "b".repeat(64));
    conn.execute(
        "INSERT INTO imported_bundle (bundle_sha256, meeting_id, revision, content_hash, stage, kelurahan_code,
             kelurahan_name, rw, planning_year, date, device_id, device_fingerprint, personal_encrypted, imported_at,
             record_json)
         VALUES (?1, 'm1', 1, ?2, 'rembug_warga', '32.77.02.1005', 'Cibabat', 7, 2027, '2026-11-28', 'd1', 'f1', 1,
                 'now', '{}')",
        [&a, &b],
    )
    .unwrap();
    conn
}

#[test]
fn an_imported_bundle_is_never_changed_or_removed() {
    let dir = tempfile::tempdir().unwrap();
    let conn = with_imported_bundle(&dir);
    for sql in [
        "UPDATE imported_bundle SET record_json = '[]'",
        "UPDATE imported_bundle SET rw = 8",
        "DELETE FROM imported_bundle",
    ] {
        assert_eq!(abort_message(conn.execute(sql, [])), "imported_bundle is immutable", "{sql}");
    }
}

#[test]
fn a_cadre_confirmation_is_never_changed_and_a_roster_is_replaced_only_by_a_higher_serial() {
    let dir = tempfile::tempdir().unwrap();
    let conn = with_imported_bundle(&dir);
    let insert = "INSERT INTO imported_confirmation (bundle_sha256, device_trust, confirmed_at) VALUES (?1, ?2, 'now')";
    conn.execute(insert, ["a".repeat(64), "unknown".into()]).unwrap();
    for sql in ["UPDATE imported_confirmation SET device_trust = 'revoked'", "DELETE FROM imported_confirmation"] {
        assert_eq!(abort_message(conn.execute(sql, [])), "imported_confirmation is immutable", "{sql}");
    }
    // A registered device needs none; a bundle not imported has none.
    assert!(conn.execute(insert, ["a".repeat(64), "registered".into()]).is_err());
    assert!(conn.execute(insert, ["c".repeat(64), "unknown".into()]).is_err());

    conn.execute(
        "INSERT INTO roster (kelurahan_code, serial, issued_at, office_key_id, body, signature, stored_at)
         VALUES ('32.77.02.1005', 5, 'now', ?1, '{}', ?2, 'now')",
        ["d".repeat(64), "e".repeat(128)],
    )
    .unwrap();
    for sql in ["UPDATE roster SET serial = 4", "UPDATE roster SET body = '[]'"] {
        assert_eq!(abort_message(conn.execute(sql, [])), "a roster is replaced only by a higher serial", "{sql}");
    }
    assert_eq!(conn.execute("UPDATE roster SET serial = 6, body = '[]'", []).unwrap(), 1);
}

/// The data folder a build with schema 4 wrote, committed with the bundle crate.
fn copy_of_the_schema_4_fixture(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../rembug-bundle/tests/fixtures/2026-12-schema4-format1/data");
    let database = dir.path().join(DATABASE);
    std::fs::copy(fixture.join(DATABASE), &database).unwrap();
    database
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path).unwrap().pragma_query_value(None, "user_version", |row| row.get(0)).unwrap()
}

#[test]
fn a_read_only_open_never_migrates_and_says_which_way_the_schema_differs() {
    let dir = tempfile::tempdir().unwrap();
    let database = copy_of_the_schema_4_fixture(&dir);
    let bytes = std::fs::read(&database).unwrap();
    match Store::open_read_only(&database) {
        Err(error @ CoreError::SchemaTooOld { found: 4, supported: SCHEMA_VERSION }) => {
            assert_eq!(error.code(), "schema_too_old")
        }
        other => panic!("expected schema_too_old, got {:?}", other.err()),
    }
    assert_eq!(user_version(&database), 4);
    assert_eq!(std::fs::read(&database).unwrap(), bytes, "the file is unchanged");

    // Once the app has upgraded it, it reads; a write through it fails.
    drop(Store::open(&database).unwrap());
    let store = Store::open_read_only(&database).unwrap();
    assert!(!store.list_meetings(&Default::default()).unwrap().meetings.is_empty());
    assert!(store.create_meeting(&meeting_form()).is_err());
    drop(store);

    Connection::open(&database).unwrap().pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    let newer = Store::open_read_only(&database).err().map(|error| error.code());
    assert_eq!(newer, Some("schema_too_new"));

    let missing = Store::open_read_only(&dir.path().join("nothing.sqlite3"));
    assert!(missing.is_err());
    assert!(!dir.path().join("nothing.sqlite3").exists(), "a read-only open creates nothing");
}

#[test]
fn the_usulan_of_an_upgraded_database_are_found_by_search() {
    let dir = tempfile::tempdir().unwrap();
    let database = copy_of_the_schema_4_fixture(&dir);
    let (id, kegiatan): (String, String) = Connection::open(&database)
        .unwrap()
        .query_row("SELECT id, kegiatan FROM usulan ORDER BY seq DESC LIMIT 1", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    // The search index is made again by a later migration (0016): the
    // usulan recorded before it are in it. (The last one recorded: the first
    // belong to a revision replaced since, which search leaves out.)
    let store = Store::open(&database).unwrap();
    let hits = store.search(&kegiatan, 200).unwrap();
    assert!(
        hits.iter().any(|hit| hit.item_id == id && hit.title == kegiatan),
        "{kegiatan:?} finds its usulan after the upgrade"
    );
}

/// Set in the processes `several_processes_migrate_one_fresh_database_once`
/// starts: the database to open, and the instant (ms since the epoch) to open it.
const RACE_DATABASE: &str = "REMBUG_TEST_RACE_DATABASE";
const RACE_AT: &str = "REMBUG_TEST_RACE_AT";
const RACERS: usize = 4;

#[test]
fn several_processes_migrate_one_fresh_database_once() {
    if let Some(database) = std::env::var_os(RACE_DATABASE) {
        // One of the racing processes: wait for the start, open, report.
        let at: u128 = std::env::var(RACE_AT).unwrap().parse().unwrap();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis();
        std::thread::sleep(Duration::from_millis(at.saturating_sub(now) as u64));
        match Store::open(Path::new(&database)) {
            Ok(_) => println!("RACE ok"),
            Err(error) => println!("RACE {} {error}", error.code()),
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join(DATABASE);
    let at = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() + 1500;
    let racers: Vec<_> = (0..RACERS)
        .map(|_| {
            Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "several_processes_migrate_one_fresh_database_once", "--nocapture"])
                .env(RACE_DATABASE, &database)
                .env(RACE_AT, at.to_string())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for racer in racers {
        let output = racer.wait_with_output().unwrap();
        assert!(output.status.success());
        let stdout = String::from_utf8_lossy(&output.stdout);
        let report = stdout.lines().find_map(|line| line.strip_prefix("RACE ")).expect("the racer reported");
        assert_eq!(report, "ok", "every process opens the database");
    }

    assert_eq!(user_version(&database), SCHEMA_VERSION);
    let conn = Connection::open(&database).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    // The same schema and seed as one process alone makes: nothing applied twice.
    let reference = tempfile::tempdir().unwrap();
    drop(common::open(&reference));
    let shape = |conn: &Connection| -> (String, i64) {
        conn.query_row(
            "SELECT (SELECT group_concat(type || ' ' || name, ', ') FROM
                       (SELECT type, name FROM sqlite_master ORDER BY type, name)),
                    (SELECT count(*) FROM kelurahan)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap()
    };
    assert_eq!(shape(&conn), shape(&raw(&reference)));
}
