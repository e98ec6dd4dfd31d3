//! The app itself: why the data folder could not be opened, and the way out.

use rembug_core::error::ErrorReply;
use tauri::State;

use super::Reply;
use crate::state::AppState;

pub fn startup_error(state: State<'_, AppState>) -> Reply<Option<ErrorReply>> {
    Ok(state.startup_error())
}

/// Ends the app: the way out of the startup error screen, whose window can do
/// nothing else.
pub fn quit_app(app: tauri::AppHandle) -> Reply<()> {
    app.exit(0);
    Ok(())
}

/// The UI saved what it held after the window was asked to close
/// (src/closing.rs): the window closes now.
pub fn close_ready(app: tauri::AppHandle) -> Reply<()> {
    crate::closing::close_now(&app);
    Ok(())
}
