//! Kill the writer at any moment: every change it reported as saved is there
//! afterwards and the database is intact. The test runs itself as the writer
//! process (selected by an environment variable) and kills it with SIGKILL.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use rembug_core::Store;
use rembug_core::meeting::MeetingForm;

const WRITER_ENV: &str = "REMBUG_CRASH_TEST_WRITER_DB";

fn form(n: u32) -> MeetingForm {
    MeetingForm {
        stage: "rembug_warga".into(),
        kelurahan_code: "32.77.02.1001".into(),
        rw: (n % 999 + 1).to_string(),
        planning_year: "2027".into(),
        date: "2026-11-30".into(),
        start_time: "19:00".into(),
        place: format!("Balai RW {n}"),
        facilitator: "Ujang Suryana".into(),
        notulis: "".into(),
    }
}

/// The writer: saves meetings as fast as it can and reports each saved id.
#[test]
fn writer_process() {
    let Some(path) = std::env::var_os(WRITER_ENV) else {
        return;
    };
    let store = Store::open(std::path::Path::new(&path)).unwrap();
    for n in 0.. {
        let meeting = store.create_meeting(&form(n)).unwrap();
        let edited = store.update_meeting(&meeting.id, &MeetingForm { place: format!("Aula {n}"), ..form(n) }).unwrap();
        println!("saved {} {}", edited.id, edited.place);
    }
}

#[cfg(unix)]
#[test]
fn no_saved_change_is_lost_when_the_process_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rembug.sqlite3");
    for round in 0..3 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "writer_process", "--nocapture", "--test-threads=1"])
            .env(WRITER_ENV, &path)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut saved = Vec::new();
        // Kill at a different moment each round.
        let kill_after = 20 + round * 37;
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            if let Some(rest) = line.strip_prefix("saved ") {
                let (id, place) = rest.split_once(' ').unwrap();
                saved.push((id.to_owned(), place.to_owned()));
                if saved.len() == kill_after {
                    child.kill().unwrap();
                    break;
                }
            }
        }
        child.wait().unwrap();

        let store = Store::open(&path).unwrap();
        for (id, place) in &saved {
            assert_eq!(&store.get_meeting(id).unwrap().place, place, "round {round}: a saved change was lost");
        }
        let conn = rusqlite::Connection::open(&path).unwrap();
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
        assert_eq!(integrity, "ok");
    }
}
