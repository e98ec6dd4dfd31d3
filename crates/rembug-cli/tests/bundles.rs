//! `export` and `verify` run as the built binary, as a cadre or office staff
//! member would.

use std::path::Path;
use std::process::{Command, Output};

fn rembug(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rembug")).args(args).env_remove("REMBUG_DATA_DIR").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn succeeded(output: &Output) -> String {
    assert!(output.status.success(), "exit {:?}: {}", output.status, text(&output.stderr));
    text(&output.stdout)
}

/// A demo rembug warga, locked through the core as the app would.
fn locked_demo_meeting(data: &Path) -> String {
    let data_arg = data.to_str().unwrap();
    succeeded(&rembug(&["--data-dir", data_arg, "demo", "--scale", "rw", "--seed", "5"]));
    let listed: serde_json::Value =
        serde_json::from_str(&succeeded(&rembug(&["--data-dir", data_arg, "meetings", "--json"]))).unwrap();
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    let draft = rembug(&["--data-dir", data_arg, "export", &id, "--out", data.join("draft.rembug").to_str().unwrap()]);
    assert!(!draft.status.success());
    assert!(text(&draft.stderr).contains("meeting_not_locked"), "{}", text(&draft.stderr));
    assert!(!data.join("draft.rembug").exists());
    rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap().lock_meeting(&id).unwrap();
    id
}

/// Writes `bundle` to `to` with one bit of meeting.json flipped: in the first
/// entry's data, after its 42-byte local header.
fn write_with_a_changed_byte(bundle: &Path, to: &Path) {
    let mut bytes = std::fs::read(bundle).unwrap();
    bytes[60] ^= 0x20;
    std::fs::write(to, &bytes).unwrap();
}

#[test]
fn export_twice_gives_the_same_file_and_verify_accepts_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = locked_demo_meeting(&data);
    let export = |name: &str| {
        let out = dir.path().join(name);
        let printed =
            succeeded(&rembug(&["--data-dir", data.to_str().unwrap(), "export", &id, "--out", out.to_str().unwrap()]));
        assert!(printed.starts_with(&format!("{}\n", out.display())), "{printed}");
        assert!(printed.contains("TIDAK terenkripsi"), "{printed}");
        let sha256 = printed.lines().find_map(|line| line.strip_prefix("SHA-256: ")).unwrap().to_owned();
        (out, sha256)
    };
    let (first, first_sha) = export("rw.rembug");
    let (second, second_sha) = export("rw-again.rembug");
    assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
    assert_eq!(first_sha, second_sha);

    let summary = succeeded(&rembug(&["verify", first.to_str().unwrap()]));
    assert!(summary.starts_with("Bundel sah.") && summary.contains(&first_sha), "{summary}");
    let json: serde_json::Value =
        serde_json::from_str(&succeeded(&rembug(&["verify", first.to_str().unwrap(), "--json"]))).unwrap();
    assert_eq!(json["ok"], true);
    assert_eq!(json["sha256"], first_sha.as_str());
    assert_eq!(json["meeting_id"], id.as_str());
    assert_eq!(json["personal_encrypted"], false);
    assert_eq!(json["usulan"], 8);
    assert_eq!(json["attendees"], 40);
}

#[test]
fn verify_refuses_a_changed_byte_and_names_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = locked_demo_meeting(&data);
    let out = dir.path().join("rw.rembug");
    succeeded(&rembug(&["--data-dir", data.to_str().unwrap(), "export", &id, "--out", out.to_str().unwrap()]));
    write_with_a_changed_byte(&out, &out);

    let refused = rembug(&["verify", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let reason = text(&refused.stderr);
    assert!(reason.contains("hash_mismatch") && reason.contains("meeting.json"), "{reason}");
    let json = rembug(&["verify", out.to_str().unwrap(), "--json"]);
    assert_eq!(json.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!((json["ok"].as_bool(), json["code"].as_str()), (Some(false), Some("hash_mismatch")));
}

#[test]
fn import_stores_a_bundle_once_and_refuses_a_changed_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = locked_demo_meeting(&data);
    let out = dir.path().join("rw.rembug");
    let exported =
        succeeded(&rembug(&["--data-dir", data.to_str().unwrap(), "export", &id, "--out", out.to_str().unwrap()]));
    let sha256 = exported.lines().find_map(|line| line.strip_prefix("SHA-256: ")).unwrap().to_owned();
    let kelurahan = dir.path().join("kelurahan");
    let import = |file: &Path| rembug(&["--data-dir", kelurahan.to_str().unwrap(), "import", file.to_str().unwrap()]);

    let printed = succeeded(&import(&out));
    assert!(printed.starts_with("Bundel diimpor.\n"), "{printed}");
    let json: serde_json::Value =
        serde_json::from_str(&succeeded(&rembug(&["verify", out.to_str().unwrap(), "--json"]))).unwrap();
    let rw = json["rw"].as_u64().unwrap();
    assert!(printed.contains(&format!(" RW {rw:02}, ")), "{printed}");
    assert!(printed.contains("(revisi 1)"), "{printed}");
    assert!(printed.contains(&format!("Perangkat asal: {}\n", json["device_fingerprint"].as_str().unwrap())));
    assert!(printed.contains(&format!("SHA-256: {sha256}\n")), "{printed}");

    let again = succeeded(&import(&out));
    assert!(again.contains("sudah pernah diimpor"), "{again}");
    assert!(again.contains(&format!("SHA-256: {sha256}\n")), "{again}");
    let store = rembug_core::Store::open(&kelurahan.join("rembug.sqlite3")).unwrap();
    let imported = store.imported_meetings().unwrap();
    assert_eq!(imported.len(), 1);
    assert_eq!(imported[0].meeting_id, id);
    assert_eq!(store.list_meetings(&Default::default()).unwrap().total, 0, "an import is not a local meeting");

    let changed = dir.path().join("changed.rembug");
    write_with_a_changed_byte(&out, &changed);
    let refused = import(&changed);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("hash_mismatch"), "{}", text(&refused.stderr));
    assert_eq!(store.imported_meetings().unwrap().len(), 1);
}

#[test]
fn with_the_office_key_set_only_the_office_secret_opens_the_daftar_hadir() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_arg = data.to_str().unwrap();
    let id = locked_demo_meeting(&data);
    let office = dir.path().join("kantor");
    let made = succeeded(&rembug(&["office-keygen", "--out", office.to_str().unwrap()]));
    assert!(made.contains("kantor-rahasia.key"), "{made}");
    let public = office.join("kantor.key");
    let secret = office.join("kantor-rahasia.key");

    // The secret file is not a public key: refused, nothing set.
    let wrong = rembug(&["--data-dir", data_arg, "office-key", secret.to_str().unwrap()]);
    assert!(!wrong.status.success());
    assert!(text(&wrong.stderr).contains("office_key_invalid"), "{}", text(&wrong.stderr));
    succeeded(&rembug(&["--data-dir", data_arg, "office-key", public.to_str().unwrap()]));

    let bundle = dir.path().join("rw.rembug");
    let exported = succeeded(&rembug(&["--data-dir", data_arg, "export", &id, "--out", bundle.to_str().unwrap()]));
    assert!(exported.contains("terenkripsi untuk kantor kota"), "{exported}");
    let summary: serde_json::Value =
        serde_json::from_str(&succeeded(&rembug(&["verify", bundle.to_str().unwrap(), "--json"]))).unwrap();
    assert_eq!(summary["personal_encrypted"], true);

    let opened = succeeded(&rembug(&["open-personal", bundle.to_str().unwrap(), "--secret", secret.to_str().unwrap()]));
    let attendees = summary["attendees"].as_u64().unwrap();
    assert!(opened.starts_with(&format!("Daftar hadir ({attendees} orang):")), "{opened}");
    assert_eq!(opened.lines().count() as u64, attendees + 1);

    // Another office's secret cannot open it.
    let other = dir.path().join("kantor-lain");
    succeeded(&rembug(&["office-keygen", "--out", other.to_str().unwrap()]));
    let other_secret = other.join("kantor-rahasia.key");
    let refused = rembug(&["open-personal", bundle.to_str().unwrap(), "--secret", other_secret.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("decryption_failed"), "{}", text(&refused.stderr));
}
