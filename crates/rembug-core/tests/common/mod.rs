//! Setup shared by the integration tests: a store in a temporary folder, a
//! valid meeting form, and locking without the lifecycle's preconditions.
// Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use rembug_core::Store;
use rembug_core::meeting::MeetingForm;

pub const DATABASE: &str = "rembug.sqlite3";

pub fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join(DATABASE)).unwrap()
}

/// A rembug warga of RW 07 in Cibabat on a Saturday evening.
pub fn meeting_form() -> MeetingForm {
    MeetingForm {
        stage: "rembug_warga".into(),
        kelurahan_code: "32.77.02.1005".into(),
        rw: "7".into(),
        planning_year: "2027".into(),
        date: "2026-11-28".into(),
        start_time: "19:30".into(),
        place: "Balai RW 07".into(),
        facilitator: "Dedi Kurniawan".into(),
        notulis: "Rina Marlina".into(),
        pimpinan: "Ujang Suryana".into(),
        pimpinan_jabatan: "Ketua RW".into(),
        nomor: String::new(),
    }
}

/// Locks straight through SQL: what locking requires (attendees, usulan,
/// delegates) is tested with the lifecycle; elsewhere only its effect matters.
pub fn lock_directly(dir: &tempfile::TempDir, meeting_id: &str) {
    let conn = rusqlite::Connection::open(dir.path().join(DATABASE)).unwrap();
    let locked = conn.execute("UPDATE meeting SET status = 'locked' WHERE id = ?1", [meeting_id]).unwrap();
    assert_eq!(locked, 1, "no meeting {meeting_id}");
}
