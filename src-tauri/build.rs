// The app manifest declares our own commands so Tauri generates one
// `allow-<command>` permission each; capabilities/default.json grants exactly
// those and nothing else.
const COMMANDS: &[&str] = &[
    "startup_error",
    "get_settings",
    "set_language",
    "list_kelurahan",
    "list_meetings",
    "get_meeting",
    "create_meeting",
    "update_meeting",
    "meeting_changes",
    "lock_blockers",
    "lock_meeting",
    "revise_meeting",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
