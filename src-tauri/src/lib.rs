//! The desktop shell: opens the window, owns the data folder, and exposes the
//! core through commands. Each command parses its input, calls the core and
//! maps errors to an `ErrorReply`; no logic lives here.

mod commands;
mod state;

use tauri::Manager;

pub fn run() {
    tauri::Builder::default()
        .setup(|app| {
            let state = state::AppState::open(app.handle());
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::startup_error,
            commands::get_settings,
            commands::set_language,
            commands::list_kelurahan,
            commands::list_meetings,
            commands::get_meeting,
            commands::create_meeting,
            commands::update_meeting,
            commands::meeting_changes,
            commands::lock_blockers,
            commands::lock_meeting,
            commands::revise_meeting,
        ])
        .run(tauri::generate_context!())
        .expect("the Rembug window could not start");
}
