//! The app itself: why the data folder could not be opened, the way out,
//! and practice ("Coba dengan data contoh"): the practice folder beside the
//! real one, filled with demo data, opened instead of it until the cadre
//! leaves practice.

use rembug_core::error::ErrorReply;
use tauri::{AppHandle, Manager, State};

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

/// The window was asked to close while a screen holds unsaved work: it stays
/// open while the cadre is asked (src/closing.rs).
pub fn close_held() -> Reply<()> {
    crate::closing::hold();
    Ok(())
}

/// "Coba dengan data contoh": closes the real data folder and opens the
/// practice folder beside it (demo data the first time); the window's title
/// becomes `title` ("Rembug — Latihan"), so no screen can be taken for the
/// real one. The window then reloads what it shows.
pub fn start_practice(app: AppHandle, state: State<'_, AppState>, title: String) -> Reply<()> {
    state.practise(true)?;
    set_title(&app, &title);
    Ok(())
}

/// "Keluar dari latihan": closes the practice folder (what was practised in
/// it stays for next time) and opens the real one again, under the window's
/// own `title`.
pub fn stop_practice(app: AppHandle, state: State<'_, AppState>, title: String) -> Reply<()> {
    state.practise(false)?;
    set_title(&app, &title);
    Ok(())
}

/// The projector view fills the screen (`full: true`) and gives it back when
/// it closes. From Rust, so the window is granted no window permission.
pub fn projector_full_screen(app: AppHandle, full: bool) -> Reply<()> {
    if let Some(window) = app.get_webview_window("main")
        && let Err(error) = window.set_fullscreen(full)
    {
        eprintln!("rembug: the window could not change to full screen: {error}");
    }
    Ok(())
}

fn set_title(app: &AppHandle, title: &str) {
    if let Some(window) = app.get_webview_window("main")
        && let Err(error) = window.set_title(title)
    {
        eprintln!("rembug: the window title could not be set: {error}");
    }
}
