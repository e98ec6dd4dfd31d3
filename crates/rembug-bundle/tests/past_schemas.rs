//! A data folder made by every earlier schema version opens, migrates and
//! seals. Each past version's database is built the way that version built
//! it: its migration files, applied in order (they never change once
//! released), with a meeting recorded and locked through SQL of that
//! schema. The committed fixture of schema 4 (`fixtures.rs`) also pins the
//! sealed bytes.

use std::path::{Path, PathBuf};

use rembug_core::data_dir::DATABASE_FILE;
use rembug_core::store::SCHEMA_VERSION;
use rusqlite::Connection;

const MELONG: &str = "32.77.01.1001";
const MEETING_ID: &str = "0190f0aa-0000-7000-8000-000000000001";

/// The released migration files, in order.
fn migration_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rembug-core/src/migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len() as i64, SCHEMA_VERSION, "one file per schema version");
    files
}

/// A database as schema `version` left it: its migrations, then
/// `user_version`, as each release's `migrate` did.
fn database_of_version(path: &Path, version: usize) -> Connection {
    let conn = Connection::open(path).unwrap();
    for file in &migration_files()[..version] {
        conn.execute_batch(&format!("BEGIN; {} COMMIT;", std::fs::read_to_string(file).unwrap())).unwrap();
    }
    conn.pragma_update(None, "user_version", version as i64).unwrap();
    conn.execute(
        "INSERT INTO kelurahan (code, name, kecamatan_code, kecamatan_name, kota_code, kota_name)
         VALUES (?1, 'Melong', '32.77.01', 'Cimahi Selatan', '32.77', 'Kota Cimahi')",
        [MELONG],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO meeting (id, stage, kelurahan_code, rw, planning_year, starts_at, timezone, place, facilitator,
                              created_at, updated_at)
         VALUES (?1, 'rembug_warga', ?2, 5, 2027, '2025-11-28T12:30:00Z', 'WIB', 'Balai RW 05', 'Siti Rahmawati',
                 '2025-11-20T01:00:00Z', '2025-11-20T01:00:00Z')",
        [MEETING_ID, MELONG],
    )
    .unwrap();
    conn
}

/// Records a whole meeting through schema 2's tables (every later schema
/// only adds tables), then locks it last, as the app does.
fn record_and_lock(conn: &Connection) {
    let hash = "a".repeat(64);
    conn.execute_batch(&format!(
        "INSERT INTO person (id, name, gender, unsur, rt, rw, created_at, updated_at)
             VALUES ('p1', 'Euis Komalasari', 'P', 'PKK', 2, 5, 'now', 'now'),
                    ('p2', 'Dedi Kurniawan', 'L', 'RT', 3, 5, 'now', 'now'),
                    ('p3', 'Asep Saepudin', 'L', 'warga', 4, 5, 'now', 'now');
         INSERT INTO attachment (sha256, size, media_type, created_at) VALUES ('{hash}', 1, 'image/png', 'now');
         INSERT INTO attendance (meeting_id, person_id, name, gender, unsur, rt, rw, role, checked_in_at)
             VALUES ('{MEETING_ID}', 'p1', 'Euis Komalasari', 'P', 'PKK', 2, 5, 'peserta', '2025-11-28T12:35:00Z'),
                    ('{MEETING_ID}', 'p2', 'Dedi Kurniawan', 'L', 'RT', 3, 5, 'pimpinan_rapat', '2025-11-28T12:36:00Z'),
                    ('{MEETING_ID}', 'p3', 'Asep Saepudin', 'L', 'warga', 4, 5, 'peserta', '2025-11-28T12:37:00Z');
         INSERT INTO agenda_item (id, meeting_id, position, title, discussion, decisions, updated_at)
             VALUES ('a1', '{MEETING_ID}', 1, 'Pembukaan', 'Dibuka oleh Ketua RW', 'Sepakat', '2025-11-28T12:40:00Z');
         INSERT INTO usulan (id, meeting_id, position, permasalahan, kegiatan, alamat, rt_list, rw, volume, satuan,
                             biaya, bidang, created_at, updated_at)
             VALUES ('u1', '{MEETING_ID}', 1, 'Jalan rusak', 'Perbaikan jalan lingkungan', 'Gg. Mawar', '2', 5, 150,
                     'meter', 75000000, 'infrastruktur', '2025-11-28T13:00:00Z', '2025-11-28T13:00:00Z');
         INSERT INTO criterion (id, meeting_id, position, name, weight)
             VALUES ('c1', '{MEETING_ID}', 1, 'Kemendesakan', 60), ('c2', '{MEETING_ID}', 2, 'Dampak', 40);
         INSERT INTO score (usulan_id, criterion_id, score) VALUES ('u1', 'c1', 5), ('u1', 'c2', 4);
         INSERT INTO delegate (meeting_id, person_id, position)
             VALUES ('{MEETING_ID}', 'p1', 1), ('{MEETING_ID}', 'p2', 2), ('{MEETING_ID}', 'p3', 3);
         UPDATE meeting SET status = 'locked', locked_at = '2025-11-28T14:00:00Z' WHERE id = '{MEETING_ID}';"
    ))
    .unwrap();
}

#[test]
fn a_data_folder_of_every_earlier_schema_opens_migrates_and_seals() {
    for version in 1..SCHEMA_VERSION as usize {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let conn = database_of_version(&data.join(DATABASE_FILE), version);
        // Schema 1 held meetings only; from schema 2 on they were recorded
        // and locked.
        let locks = version >= 2;
        if locks {
            record_and_lock(&conn);
        }
        drop(conn);

        let data_dir = rembug_core::DataDir::open(&data).unwrap();
        let store = data_dir.open_store().unwrap();
        let migrated: i64 = Connection::open(data.join(DATABASE_FILE))
            .unwrap()
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(migrated, SCHEMA_VERSION, "schema {version} migrated");
        let meeting = store.get_meeting(MEETING_ID).unwrap_or_else(|error| panic!("schema {version}: {error}"));
        assert_eq!((meeting.place.as_str(), meeting.rw), ("Balai RW 05", Some(5)), "schema {version}");
        if !locks {
            continue;
        }
        let device = rembug_core::device::DeviceIdentity::load_or_create(&data).unwrap();
        let out = dir.path().join("rw05.rembug");
        let sealed = rembug_bundle::seal(&store, &device, MEETING_ID, None, &out)
            .unwrap_or_else(|error| panic!("schema {version} seals: {error}"));
        let verified = rembug_bundle::verify_file(&sealed.path)
            .unwrap_or_else(|error| panic!("schema {version} verifies: {error}"));
        assert_eq!(verified.bundle.record.usulan.len(), 1, "schema {version}");
        assert_eq!(verified.bundle.manifest.content_hash, store.frozen_record(MEETING_ID).unwrap().content_hash);
        // Sealed again: the same bytes, whatever the settings say now.
        let again = rembug_bundle::seal(&store, &device, MEETING_ID, None, &dir.path().join("again.rembug")).unwrap();
        assert_eq!(again.sha256, sealed.sha256, "schema {version}: sealing is deterministic");
    }
}
