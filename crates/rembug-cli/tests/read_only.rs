//! Read commands open the database read-only: they never upgrade its schema
//! under a running older app, and they work while the app holds the folder.

use std::path::Path;

mod common;
use common::{json_of, rembug, stdout_of};

use rembug_core::DataDir;

/// The data folder of a build with schema 4, committed with the bundle crate.
fn schema_4_data(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../rembug-bundle/tests/fixtures/2026-12-schema4-format1/data");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::copy(fixture.join("rembug.sqlite3"), data.join("rembug.sqlite3")).unwrap();
    data
}

/// SQLite keeps `user_version` in the file header, bytes 60 to 63.
fn user_version(database: &Path) -> u32 {
    let bytes = std::fs::read(database).unwrap();
    u32::from_be_bytes(bytes[60..64].try_into().unwrap())
}

#[test]
fn a_read_command_leaves_an_older_schema_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let data = schema_4_data(&dir);
    let database = data.join("rembug.sqlite3");
    assert_eq!(user_version(&database), 4);
    let bytes = std::fs::read(&database).unwrap();
    for args in [&["meetings"][..], &["search", "jalan"], &["show", "0190"], &["imported"]] {
        let output = rembug(&data, args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("(schema_too_old)"), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read(&database).unwrap(), bytes, "the database file is unchanged");
    // Reading a WAL database may leave an empty log beside it, never a change.
    let logged = std::fs::metadata(data.join("rembug.sqlite3-wal")).map(|wal| wal.len()).unwrap_or(0);
    assert_eq!(logged, 0, "nothing was written to the log");
}

#[test]
fn read_commands_work_while_the_app_holds_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let data = schema_4_data(&dir);
    // What the app does: take the folder's lock, open (and upgrade) the store, keep both.
    let app_folder = DataDir::open(&data).unwrap();
    let _app_store = app_folder.open_store().unwrap();

    let list = json_of(&rembug(&data, &["meetings", "--json"]));
    let first = list.as_array().and_then(|meetings| meetings.first()).expect("the fixture has meetings");
    let id = first["id"].as_str().unwrap();
    assert!(stdout_of(&rembug(&data, &["show", id])).contains(id));
    stdout_of(&rembug(&data, &["search", "jalan"]));
    stdout_of(&rembug(&data, &["imported"]));

    // A write still needs the folder, and says so.
    let export = rembug(&data, &["export", id, "--out", dir.path().to_str().unwrap()]);
    assert_eq!(export.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&export.stderr).contains("(data_dir_in_use)"));
    let lock = rembug(&data, &["lock", id]);
    assert_eq!(lock.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&lock.stderr).contains("(data_dir_in_use)"));
}
