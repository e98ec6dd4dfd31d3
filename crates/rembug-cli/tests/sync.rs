//! `enroll`, `sync` and `outbox` run as the built binary, as a cadre would.

mod common;

use std::path::Path;

use common::{json_of, rembug, stdout_of};

/// A demo folder with its one rembug warga locked, as the app would lock it.
fn demo_with_a_locked_meeting(data: &Path) -> String {
    stdout_of(&rembug(data, &["demo", "--scale", "rw", "--seed", "3"]));
    let id = json_of(&rembug(data, &["meetings", "--json"]))[0]["id"].as_str().unwrap().to_owned();
    rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap().lock_meeting(&id).unwrap();
    id
}

#[test]
fn an_unenrolled_folder_delivers_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = demo_with_a_locked_meeting(&data);

    let synced = rembug(&data, &["sync"]);
    assert_eq!(synced.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&synced.stderr);
    assert!(stderr.contains("belum terdaftar") && stderr.contains("(not_enrolled)"), "{stderr}");
    assert!(!data.join("outbox").exists(), "nothing was sealed for sending");

    let listed = stdout_of(&rembug(&data, &["outbox"]));
    assert!(listed.contains("belum terdaftar"), "{listed}");
    assert!(listed.lines().any(|line| line.starts_with(&id) && line.ends_with("belum dikirim")), "{listed}");
    let json = json_of(&rembug(&data, &["outbox", "--json"]));
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["meeting_id"], id.as_str());
    assert_eq!(json[0]["state"], "pending");
    assert_eq!(json[0]["delivered_at"], serde_json::Value::Null);
}

#[test]
fn a_bad_code_or_an_unsigned_enrollment_file_enrolls_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bad_code = rembug(&data, &["enroll", "--office", "http://127.0.0.1:9", "--code", "not-a-code"]);
    assert_eq!(bad_code.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_code.stderr).contains("(code_invalid)"));

    let file = dir.path().join("kantor.json");
    std::fs::write(&file, r#"{"body":"{}","signature":"00"}"#).unwrap();
    let unsigned = rembug(&data, &["enroll", "--file", file.to_str().unwrap()]);
    assert_eq!(unsigned.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unsigned.stderr).contains("(enrollment_file_invalid)"));
    assert!(stdout_of(&rembug(&data, &["outbox"])).contains("belum terdaftar"));
}
