//! Fails when the TypeScript command map the UI calls through no longer
//! matches the command table. Regenerate with `make bindings`
//! (REMBUG_UPDATE_BINDINGS=1).

use std::path::PathBuf;

#[test]
fn ui_command_map_matches_the_command_table() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/commands.ts");
    let generated = rembug_desktop::ipc::typescript::commands();
    if std::env::var_os("REMBUG_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == generated, "{} is stale: run `make bindings` and commit the result", path.display());
}
