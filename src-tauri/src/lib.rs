//! The desktop shell: opens the window, owns the data folder, and exposes the
//! core through commands. Each command parses its input, calls the core and
//! maps errors to an `ErrorReply`; no logic lives here. The commands are
//! declared once, in the table of src/commands/table.rs.

// The command table, `with_commands!`: see src/commands/table.rs.
include!("commands/table.rs");

mod attachments;
mod closing;
mod commands;
mod dialogs;
pub mod ipc;
mod sending;
mod state;
#[cfg(target_os = "linux")]
mod webview;

use tauri::Manager;

pub fn run() {
    tauri::Builder::default()
        // Used from Rust only (src/dialogs.rs): the window is granted none of
        // its commands.
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            #[cfg(target_os = "linux")]
            webview::lighten(app)?;
            let state = state::AppState::open(app.handle());
            app.manage(state);
            Ok(())
        })
        .on_window_event(closing::on_window_event)
        .register_asynchronous_uri_scheme_protocol(attachments::SCHEME, attachments::serve)
        .invoke_handler(ipc::handler())
        .run(tauri::generate_context!())
        .expect("the Rembug window could not start");
}
