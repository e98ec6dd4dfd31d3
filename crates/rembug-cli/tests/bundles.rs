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

/// A demo rembug warga, locked with `rembug lock` (the core's lock, as the
/// app's Kunci tab does).
fn locked_demo_meeting(data: &Path) -> String {
    let data_arg = data.to_str().unwrap();
    succeeded(&rembug(&["--data-dir", data_arg, "demo", "--scale", "rw", "--seed", "5"]));
    let listed: serde_json::Value =
        serde_json::from_str(&succeeded(&rembug(&["--data-dir", data_arg, "meetings", "--json"]))).unwrap();
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    let draft_out = data.join("draft.rembug");
    let draft =
        rembug(&["--data-dir", data_arg, "export", &id, "--out", draft_out.to_str().unwrap(), "--tanpa-enkripsi"]);
    assert!(!draft.status.success());
    assert!(text(&draft.stderr).contains("meeting_not_locked"), "{}", text(&draft.stderr));
    assert!(!data.join("draft.rembug").exists());
    let locked = succeeded(&rembug(&["--data-dir", data_arg, "lock", &id]));
    assert!(locked.starts_with("Musyawarah dikunci") && locked.contains(&id), "{locked}");
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
        let printed = succeeded(&rembug(&[
            "--data-dir",
            data.to_str().unwrap(),
            "export",
            &id,
            "--out",
            out.to_str().unwrap(),
            "--tanpa-enkripsi",
        ]));
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
fn export_without_an_office_key_is_refused_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = locked_demo_meeting(&data);
    let out = dir.path().join("rw.rembug");
    let refused = rembug(&["--data-dir", data.to_str().unwrap(), "export", &id, "--out", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let reason = text(&refused.stderr);
    assert!(reason.contains("kunci kantor kota belum diatur"), "{reason}");
    assert!(reason.contains("--tanpa-enkripsi") && reason.contains("(unencrypted_not_confirmed)"), "{reason}");
    assert!(!out.exists(), "nothing is written");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "nothing beside it either");
}

#[test]
fn verify_refuses_a_changed_byte_and_names_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = locked_demo_meeting(&data);
    let out = dir.path().join("rw.rembug");
    succeeded(&rembug(&[
        "--data-dir",
        data.to_str().unwrap(),
        "export",
        &id,
        "--out",
        out.to_str().unwrap(),
        "--tanpa-enkripsi",
    ]));
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
    let exported = succeeded(&rembug(&[
        "--data-dir",
        data.to_str().unwrap(),
        "export",
        &id,
        "--out",
        out.to_str().unwrap(),
        "--tanpa-enkripsi",
    ]));
    let sha256 = exported.lines().find_map(|line| line.strip_prefix("SHA-256: ")).unwrap().to_owned();
    let kelurahan = dir.path().join("kelurahan");
    let import = |file: &Path| rembug(&["--data-dir", kelurahan.to_str().unwrap(), "import", file.to_str().unwrap()]);
    let list_imported = |json: bool| {
        let mut args = vec!["--data-dir", kelurahan.to_str().unwrap(), "imported"];
        args.extend(json.then_some("--json"));
        succeeded(&rembug(&args))
    };

    let printed = succeeded(&import(&out));
    assert!(printed.starts_with("Bundel diimpor.\n"), "{printed}");
    let json: serde_json::Value =
        serde_json::from_str(&succeeded(&rembug(&["verify", out.to_str().unwrap(), "--json"]))).unwrap();
    let listed: serde_json::Value = serde_json::from_str(&list_imported(true)).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    for key in ["bundle_id", "meeting_id", "revision", "kelurahan_code", "rw", "device_fingerprint", "stage"] {
        assert_eq!(listed[0][key], json[key], "{key}");
    }
    assert_eq!(listed[0]["bundle_sha256"], sha256.as_str());
    assert!(listed[0]["imported_at"].as_str().unwrap().ends_with('Z'));
    // A laptop never enrolled holds no roster: the device is unknown and its
    // result waits for the cadre's confirmation.
    assert_eq!((listed[0]["trust"].as_str(), listed[0]["counts"].as_bool()), (Some("unknown"), Some(false)));
    let table = list_imported(false);
    let device = format!("{} (tidak dikenal)", json["device_fingerprint"].as_str().unwrap());
    for cell in [&sha256, json["bundle_id"].as_str().unwrap(), &device] {
        assert!(table.contains(cell), "{cell} in {table}");
    }
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
    assert_eq!(serde_json::from_str::<serde_json::Value>(&list_imported(true)).unwrap().as_array().unwrap().len(), 1);
    let nothing = succeeded(&rembug(&["--data-dir", data.to_str().unwrap(), "imported"]));
    assert!(nothing.starts_with("Belum ada bundel yang diimpor."), "{nothing}");
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
    let other_made = succeeded(&rembug(&["office-keygen", "--out", other.to_str().unwrap()]));
    let other_secret = other.join("kantor-rahasia.key");
    let refused = rembug(&["open-personal", bundle.to_str().unwrap(), "--secret", other_secret.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("decryption_failed"), "{}", text(&refused.stderr));

    // The same key again changes nothing; another one only with --ganti.
    let again = succeeded(&rembug(&["--data-dir", data_arg, "office-key", public.to_str().unwrap()]));
    assert!(again.contains("sudah terpasang; tidak ada yang berubah"), "{again}");
    let other_public = other.join("kantor.key");
    let differs = rembug(&["--data-dir", data_arg, "office-key", other_public.to_str().unwrap()]);
    assert_eq!(differs.status.code(), Some(1));
    let reason = text(&differs.stderr);
    // `ABCD-EF01-2345-6789` after "sidik jari " in what office-keygen printed.
    let fingerprint = |made: &str| made.split("sidik jari ").nth(1).unwrap()[..19].to_owned();
    let (first, second) = (fingerprint(&made), fingerprint(&other_made));
    assert_ne!(first, second);
    assert!(reason.contains(&first) && reason.contains(&second) && reason.contains("--ganti"), "{reason}");
    let replaced =
        succeeded(&rembug(&["--data-dir", data_arg, "office-key", other_public.to_str().unwrap(), "--ganti"]));
    assert!(replaced.contains(&second), "{replaced}");
}

#[test]
fn lock_refuses_a_meeting_that_lacks_what_the_kunci_tab_lists_and_locks_a_complete_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_arg = data.to_str().unwrap();
    succeeded(&rembug(&["--data-dir", data_arg, "demo", "--scale", "rw", "--seed", "5"]));
    let empty = {
        let store = rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap();
        let form = rembug_core::meeting::MeetingForm {
            stage: "rembug_warga".into(),
            kelurahan_code: "32.77.02.1005".into(),
            rw: "7".into(),
            planning_year: "2028".into(),
            date: "2026-11-28".into(),
            start_time: "19:30".into(),
            place: "Balai RW 07".into(),
            facilitator: "Dedi Kurniawan".into(),
            notulis: "Rina Marlina".into(),
            pimpinan: "Ujang Suryana".into(),
            pimpinan_jabatan: "Ketua RW".into(),
            nomor: String::new(),
        };
        store.create_meeting(&form).unwrap().id
    };

    let refused = rembug(&["--data-dir", data_arg, "lock", &empty]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(refused.stdout.is_empty());
    assert_eq!(
        text(&refused.stderr),
        "rembug: Musyawarah ini belum bisa dikunci. Yang masih kurang:\n\
         \x20 - Belum ada peserta yang tercatat hadir.\n\
         \x20 - Belum ada usulan.\n\
         \x20 - Belum ada delegasi yang dipilih. (not_ready_to_lock)\n"
    );
    let json = rembug(&["--data-dir", data_arg, "lock", &empty, "--json"]);
    assert_eq!(json.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!((json["ok"].as_bool(), json["code"].as_str()), (Some(false), Some("not_ready_to_lock")));
    let missing: Vec<(&str, &str)> = json["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|field| (field["code"].as_str().unwrap(), field["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        missing,
        [
            ("no_attendees", "Belum ada peserta yang tercatat hadir."),
            ("no_usulan", "Belum ada usulan."),
            ("no_delegates", "Belum ada delegasi yang dipilih.")
        ]
    );

    let listed: serde_json::Value =
        serde_json::from_str(&succeeded(&rembug(&["--data-dir", data_arg, "meetings", "--json"]))).unwrap();
    let draft = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|meeting| meeting["status"] == "draft" && meeting["id"] != empty.as_str())
        .expect("the demo's draft");
    let id = draft["id"].as_str().unwrap();
    let locked: serde_json::Value =
        serde_json::from_str(&succeeded(&rembug(&["--data-dir", data_arg, "lock", id, "--json"]))).unwrap();
    assert_eq!((locked["ok"].as_bool(), locked["meeting_id"].as_str()), (Some(true), Some(id)));
    assert_eq!(locked["revision"], 1);
    let store = rembug_core::Store::open_read_only(&data.join("rembug.sqlite3")).unwrap();
    assert_eq!(locked["content_hash"], store.frozen_record(id).unwrap().content_hash.as_str());
    assert_eq!(locked["locked_at"], store.get_meeting(id).unwrap().locked_at.unwrap().as_str());

    let again = rembug(&["--data-dir", data_arg, "lock", id]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("sudah dikunci") && text(&again.stderr).contains("(meeting_locked)"));
}

#[test]
fn import_keeps_the_public_signed_pages_beside_their_imported_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = locked_demo_meeting(&data);
    let meeting = dir.path().join("rw.rembug");
    let data_arg = data.to_str().unwrap();
    succeeded(&rembug(&[
        "--data-dir",
        data_arg,
        "export",
        &id,
        "--out",
        meeting.to_str().unwrap(),
        "--tanpa-enkripsi",
    ]));
    let pages = dir.path().join("halaman.rembug");
    {
        use rembug_core::signed_pages::PageKind;
        let data_dir = rembug_core::DataDir::open(&data).unwrap();
        let store = data_dir.open_store().unwrap();
        let device = rembug_core::device::DeviceIdentity::load_or_create(&data).unwrap();
        for (kind, page) in [(PageKind::BeritaAcara, 1u8), (PageKind::DaftarHadir, 2)] {
            let photo = image::GrayImage::from_pixel(4, 4, image::Luma([page]));
            let mut png = Vec::new();
            photo.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
            store.add_signed_page(&id, kind, png.as_slice(), "image/png").unwrap();
        }
        rembug_bundle::seal_signed_pages(&store, &device, &id, None, &pages).unwrap();
    }
    let kelurahan = dir.path().join("kelurahan");
    let import = |file: &Path| rembug(&["--data-dir", kelurahan.to_str().unwrap(), "import", file.to_str().unwrap()]);
    let early = import(&pages);
    assert_eq!(early.status.code(), Some(1));
    assert!(text(&early.stderr).contains("signed_pages_revision_unknown"), "{}", text(&early.stderr));
    succeeded(&import(&meeting));
    let printed = succeeded(&import(&pages));
    assert!(
        printed.starts_with("Foto lembar bertanda tangan diimpor: 1 foto baru (1 foto daftar hadir tidak disimpan).\n"),
        "{printed}"
    );
    assert!(succeeded(&import(&pages)).contains("sudah pernah diimpor"));
}
