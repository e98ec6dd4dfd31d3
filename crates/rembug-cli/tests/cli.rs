//! Runs the built `rembug` binary on a temporary data folder, as a script
//! or an office staff member would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{json_of, rembug, stdout_of};

#[test]
fn demo_then_list_show_and_search_a_word_from_the_notulen() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let demo = stdout_of(&rembug(&data, &["demo", "--scale", "rw", "--seed", "3"]));
    assert!(demo.contains("2 musyawarah (1 terkunci)"), "{demo}");

    let meetings = json_of(&rembug(&data, &["meetings", "--json"]));
    let meetings = meetings.as_array().unwrap();
    assert_eq!(meetings.len(), 2, "last year's meeting, locked, and this year's draft");
    assert_eq!(meetings[1]["status"], "locked");
    let meeting = &meetings[0];
    for field in ["id", "stage", "kelurahan_code", "rw", "date", "status"] {
        assert!(!meeting[field].is_null(), "{field} missing in {meeting}");
    }
    assert_eq!(meeting["stage"], "rembug_warga");
    assert_eq!(meeting["status"], "draft");
    assert!(meeting["kelurahan_code"].as_str().unwrap().starts_with("32.77."));
    assert_eq!(meeting["date"].as_str().unwrap().len(), "2026-11-28".len());
    let id = meeting["id"].as_str().unwrap();

    let table = stdout_of(&rembug(&data, &["meetings"]));
    assert!(table.starts_with("ID "), "{table}");
    assert!(table.contains(id) && table.contains("Rembug Warga") && table.contains("Draf"), "{table}");

    // The bundle format's versioned records, not the app's view types.
    let shown = json_of(&rembug(&data, &["show", id, "--json"]));
    assert_eq!(shown["format_version"], 1);
    assert_eq!(shown["public"]["meeting"]["id"], id);
    assert_eq!(shown["personal"]["attendees"].as_array().unwrap().len(), 40);
    assert_eq!(shown["public"]["agenda"].as_array().unwrap().len(), 4);
    assert_eq!(shown["public"]["usulan"].as_array().unwrap().len(), 8);
    assert_eq!(shown["public"]["delegates"].as_array().unwrap().len(), 3);
    let public: rembug_core::wire::v1::PublicRecord = serde_json::from_value(shown["public"].clone()).unwrap();
    assert_eq!(public.meeting.id, id, "it reads back as the bundle's own type");
    let text = stdout_of(&rembug(&data, &["show", id]));
    assert!(text.contains("Daftar hadir (40 orang)") && text.contains("Notulen"), "{text}");

    // A word the demo notulen always contain.
    let hits = json_of(&rembug(&data, &["search", "pimpinan", "--json"]));
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 2, "each year's notulen");
    assert!(hits.iter().all(|hit| hit["kind"] == "minutes"), "the --json contract keeps its words");
    let hit = hits.iter().find(|hit| hit["meeting"]["id"] == id).expect("the draft's notulen");
    let marked: Vec<&str> = hit["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|segment| segment["highlighted"] == true)
        .map(|segment| segment["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["pimpinan"]);
    let plain = stdout_of(&rembug(&data, &["search", "pimpinan"]));
    assert!(plain.contains("[pimpinan]"), "{plain}");
}

#[test]
fn failures_say_why_on_stderr_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    stdout_of(&rembug(&data, &["demo", "--scale", "rw"]));

    let unknown = rembug(&data, &["show", "01900000-0000-7000-8000-000000000000"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(unknown.stdout.is_empty());
    let message = String::from_utf8(unknown.stderr).unwrap();
    assert!(message.contains("musyawarah tidak ditemukan"), "{message}");
    assert!(!message.contains("NotFound"), "no Rust debug strings: {message}");

    let again = rembug(&data, &["demo", "--scale", "rw"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8(again.stderr).unwrap().contains("belum berisi musyawarah"));

    let empty = dir.path().join("kosong");
    let missing = rembug(&empty, &["meetings"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8(missing.stderr).unwrap().contains("belum ada data Rembug"));
    assert!(!empty.exists(), "reading never creates a data folder");

    let usage = rembug(&data, &["demo", "--scale", "kota"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8(usage.stderr).unwrap().contains("Pemakaian:"));
}

#[test]
fn without_data_dir_the_app_folder_from_the_environment_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rembug"))
        .args(["demo", "--scale", "rw"])
        .env("REMBUG_DATA_DIR", dir.path())
        .output()
        .unwrap();
    stdout_of(&output);
    assert!(dir.path().join("rembug.sqlite3").is_file());
}

#[test]
fn print_and_xlsx_write_a_demo_meetings_documents() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    stdout_of(&rembug(&data, &["demo", "--scale", "rw", "--seed", "2"]));
    let meetings = json_of(&rembug(&data, &["meetings", "--json"]));
    let meeting = &meetings[0];
    let id = meeting["id"].as_str().unwrap();

    for doc in ["berita-acara", "daftar-hadir", "usulan", "notulen"] {
        let out = dir.path().join(format!("{doc}.pdf"));
        let printed = stdout_of(&rembug(&data, &["print", id, "--doc", doc, "--out", out.to_str().unwrap()]));
        assert!(printed.contains(&format!("{doc}.pdf")), "{printed}");
        let pdf = std::fs::read(&out).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{doc} is no PDF");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let xlsx = dir.path().join("rapat.xlsx");
    stdout_of(&rembug(&data, &["xlsx", id, "--out", xlsx.to_str().unwrap()]));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"), "an XLSX is a ZIP archive");

    let kelurahan = meeting["kelurahan_code"].as_str().unwrap();
    let year = meeting["planning_year"].to_string();
    let yearly = dir.path().join("tahun.xlsx");
    let args = ["xlsx", "--kelurahan", kelurahan, "--year", &year, "--out", yearly.to_str().unwrap()];
    stdout_of(&rembug(&data, &args));
    assert!(std::fs::read(&yearly).unwrap().starts_with(b"PK"));

    let unknown = rembug(&data, &["print", "tidak-ada", "--doc", "usulan", "--out", "x.pdf"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("musyawarah tidak ditemukan (not_found)"));
    let no_receipt = rembug(&data, &["print", id, "--doc", "tanda-terima", "--out", "x.pdf"]);
    assert_eq!(no_receipt.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_receipt.stderr).contains("musyawarah ini belum terkirim (not_found)"));
    let bad_doc = rembug(&data, &["print", id, "--doc", "kuitansi", "--out", "x.pdf"]);
    assert_eq!(bad_doc.status.code(), Some(2));
}

#[test]
fn a_backup_restores_a_deleted_data_folder_only_when_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let stick = dir.path().join("stick");
    stdout_of(&rembug(&data, &["demo", "--scale", "rw", "--seed", "3"]));
    let before = stdout_of(&rembug(&data, &["meetings", "--json"]));

    let summary: serde_json::Value =
        serde_json::from_str(&stdout_of(&rembug(&data, &["backup", "--out", stick.to_str().unwrap(), "--json"])))
            .unwrap();
    let backup = PathBuf::from(summary["path"].as_str().unwrap());
    assert!(backup.starts_with(&stick) && backup.join("manifest.json").is_file(), "{summary}");
    assert!(summary["bytes"].as_u64().unwrap() > 0 && summary["files"].as_u64().unwrap() >= 2, "{summary}");
    let plain = stdout_of(&rembug(&data, &["backup", "--out", stick.to_str().unwrap()]));
    assert!(Path::new(plain.trim()).join("manifest.json").is_file(), "{plain}");

    std::fs::remove_dir_all(&data).unwrap();
    let unconfirmed = rembug(&data, &["restore", backup.to_str().unwrap()]);
    assert_eq!(unconfirmed.status.code(), Some(1), "without a terminal nobody confirmed");
    assert!(!data.join("rembug.sqlite3").exists());

    let restored = stdout_of(&rembug(&data, &["restore", backup.to_str().unwrap(), "--yes"]));
    assert!(restored.contains("dipulihkan"), "{restored}");
    assert_eq!(stdout_of(&rembug(&data, &["meetings", "--json"])), before);
}

#[test]
fn a_damaged_backup_is_refused_with_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    stdout_of(&rembug(&data, &["demo", "--scale", "rw", "--seed", "3"]));
    let backup = stdout_of(&rembug(&data, &["backup", "--out", dir.path().join("stick").to_str().unwrap()]));
    let database = Path::new(backup.trim()).join("rembug.sqlite3");
    let mut bytes = std::fs::read(&database).unwrap();
    bytes[5000] ^= 0x10;
    std::fs::write(&database, bytes).unwrap();

    let refused = rembug(&data, &["restore", backup.trim(), "--yes"]);
    assert_eq!(refused.status.code(), Some(1));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("(backup_damaged)"), "{message}");
}

#[test]
fn the_delegate_count_show_checks_is_the_settings_own() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    stdout_of(&rembug(&data, &["demo", "--scale", "rw", "--seed", "4"]));
    let id = json_of(&rembug(&data, &["meetings", "--json"]))[0]["id"].as_str().unwrap().to_owned();
    let shown = stdout_of(&rembug(&data, &["show", &id]));
    assert!(!shown.contains("Perhatian:"), "the demo's 3 delegates are within the default 3 to 5: {shown}");

    let store = rembug_core::Store::open(&data.join("rembug.sqlite3")).unwrap();
    let recording = store.settings().unwrap().recording;
    let form = rembug_core::settings::RecordingSettingsForm {
        delegates_min: "4".into(),
        delegates_max: "6".into(),
        ..recording.to_form()
    };
    store.save_recording_settings(&form).unwrap();
    drop(store);
    let shown = stdout_of(&rembug(&data, &["show", &id]));
    assert!(shown.contains("Perhatian: jumlah delegasi di luar 4–6 orang yang diminta pengaturan"), "{shown}");
}

/// Runs `rembug` with no data folder at all: for help, completions and
/// refused command lines.
fn rembug_alone(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rembug")).args(args).env_remove("REMBUG_DATA_DIR").output().unwrap()
}

#[test]
fn each_command_explains_its_own_options() {
    let help = stdout_of(&rembug_alone(&["xlsx", "--help"]));
    assert!(help.contains("Pemakaian: rembug xlsx"), "{help}");
    for option in ["--kelurahan <KODE>", "--year <TAHUN>", "--out <BERKAS.xlsx>", "ID_MUSYAWARAH", "Opsi:"] {
        assert!(help.contains(option), "{option} missing from {help}");
    }
    let demo = stdout_of(&rembug_alone(&["demo", "-h"]));
    assert!(demo.contains("pilihan: rw, kelurahan, city-decade") && demo.contains("bawaan: 1"), "{demo}");
    let top = stdout_of(&rembug_alone(&["--help"]));
    for command in
        ["demo", "meetings", "show", "search", "lock", "export", "verify", "import", "imported", "print", "xlsx"]
    {
        assert!(top.contains(&format!("  {command} ")), "{command} missing from {top}");
    }
    assert!(top.contains("--data-dir <FOLDER>") && top.contains("Perintah:"), "{top}");
}

#[test]
fn an_unknown_option_is_refused_with_the_commands_usage() {
    let refused = rembug_alone(&["meetings", "--csv"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(refused.stdout.is_empty());
    let message = String::from_utf8(refused.stderr).unwrap();
    assert!(message.starts_with("rembug: argumen tidak dikenal: --csv"), "{message}");
    assert!(message.contains("Pemakaian: rembug meetings [OPSI]"), "{message}");
    let nothing = rembug_alone(&[]);
    assert_eq!(nothing.status.code(), Some(2));
    assert!(String::from_utf8(nothing.stderr).unwrap().contains("perintah belum diberikan"));
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = stdout_of(&rembug_alone(&["completions", shell]));
        for word in ["open-personal", "--kelurahan", "berita-acara"] {
            assert!(script.contains(word), "{shell}: {word} missing");
        }
    }
}

#[test]
fn import_wilayah_adds_a_country_s_names_and_refuses_a_bad_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let good = dir.path().join("wilayah.csv");
    std::fs::write(
        &good,
        "kode_kemendagri,kelurahan,kode_kecamatan,kecamatan,kode_kota,kota\n\
         12.07.28.1007,\"Lubuk Pakam I,II\",12.07.28,Lubuk Pakam,12.07,Kabupaten Deli Serdang\n\
         35.13.15.2017,\"Soka\"\"an\",35.13.15,Krucil,35.13,Kabupaten Probolinggo\n\
         32.77.02.1001,Baros,32.77.02,Cimahi Tengah,32.77,Kota Cimahi\n",
    )
    .unwrap();
    let said = stdout_of(&rembug(&data, &["import-wilayah", good.to_str().unwrap()]));
    assert_eq!(said, "Wilayah disimpan: 3 kota/kabupaten, 3 kecamatan, 3 kelurahan/desa.\n");

    let names = || -> Vec<String> {
        let store = rembug_core::Store::open_read_only(&data.join(rembug_core::data_dir::DATABASE_FILE)).unwrap();
        store.list_kelurahan().unwrap().into_iter().map(|k| k.name).collect()
    };
    let after_good = names();
    assert_eq!(after_good.len(), 17, "Cimahi's 15, plus two; Baros was already there");
    assert!(after_good.contains(&"Lubuk Pakam I,II".to_owned()) && after_good.contains(&"Soka\"an".to_owned()));

    let bad = dir.path().join("rusak.csv");
    std::fs::write(
        &bad,
        "kode_kemendagri,kelurahan,kode_kecamatan,kecamatan,kode_kota,kota\n\
         11.01.01.2001,Keude Bakongan,11.01.01,Bakongan,11.01,Kabupaten Aceh Selatan\n\
         11.01.01.2002,Ujong Mangki,11.01.02,Bakongan,11.01,Kabupaten Aceh Selatan\n",
    )
    .unwrap();
    let refused = rembug(&data, &["import-wilayah", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("baris 3") && message.contains("kode_kecamatan harus bagian awal kode_kemendagri"),
        "{message}"
    );
    assert_eq!(names(), after_good, "the good first line of a refused file is not kept");

    let one_city = tempfile::tempdir().unwrap();
    let only = &["import-wilayah", good.to_str().unwrap(), "--kota", "35.13"];
    let said = stdout_of(&rembug(one_city.path(), only));
    assert_eq!(said, "Wilayah disimpan: 1 kota/kabupaten, 1 kecamatan, 1 kelurahan/desa.\n");
    let nowhere = rembug(one_city.path(), &["import-wilayah", good.to_str().unwrap(), "--kota", "99.99"]);
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("tidak memuat kelurahan/desa untuk kota 99.99"));
}
