// The app's commands come from the command table (src/commands/table.rs): the
// app manifest declares them so Tauri generates one `allow-<command>`
// permission each, and capabilities/default.json, written here from the same
// table, grants exactly those and nothing else.

use std::path::Path;

include!("src/commands/table.rs");

macro_rules! command_names {
    ($($module:ident { $($name:ident ($($inject:ident),* ; $($parameters:tt)*) -> $answer:ty;)* })*) => {
        &[$($(stringify!($name)),*),*]
    };
}

const COMMANDS: &[&str] = with_commands!(command_names);

const CAPABILITY: &str = "capabilities/default.json";

/// The main window's one capability: each command's `allow-` permission.
fn capability() -> String {
    let permissions: Vec<String> =
        COMMANDS.iter().map(|name| format!("    \"allow-{}\"", name.replace('_', "-"))).collect();
    format!(
        r#"{{
  "$schema": "../gen/schemas/desktop-schema.json",
  "identifier": "default",
  "description": "The main window may call exactly Rembug's own commands, nothing else. Written by build.rs from src/commands/table.rs.",
  "windows": [
    "main"
  ],
  "permissions": [
{}
  ]
}}
"#,
        permissions.join(",\n")
    )
}

fn main() {
    println!("cargo:rerun-if-changed=src/commands/table.rs");
    let capability = capability();
    // Written only when it changed: tauri-build watches this folder, and a
    // rewrite on every build would rebuild the app every time.
    if std::fs::read_to_string(Path::new(CAPABILITY)).ok().as_deref() != Some(capability.as_str()) {
        std::fs::write(CAPABILITY, capability).expect("capabilities/default.json could not be written");
    }
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
