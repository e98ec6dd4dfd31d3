//! Closing the window without losing a keystroke. ✕, Alt+F4 or the session
//! ending ask the window to close; instead of closing at once, the shell asks
//! the UI to save what its autosave still holds (`ui/src/lib/closing.ts`)
//! and closes when the UI answers `close_ready`, or after [`FLUSH_GRACE`]
//! if no answer comes, so a broken page never keeps the window open. A
//! screen holding unsaved work (the delegates tab) asks the cadre first: the
//! UI answers `close_held`, the window stays, and closes only when the cadre
//! agrees (`close_ready`).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Manager, Window, WindowEvent};

const MAIN_WINDOW: &str = "main";
/// Long enough for a save on a slow laptop (a save takes milliseconds).
const FLUSH_GRACE: Duration = Duration::from_secs(3);
const ASK_THE_UI_TO_SAVE: &str = "window.__rembugBeforeClose?.()";

/// Set once the UI was asked: a second ✕ while it saves changes nothing.
static CLOSING: AtomicBool = AtomicBool::new(false);
/// Counts the times the UI was asked, so a grace that outlived a held close
/// never closes the window the cadre chose to keep.
static ASKED: AtomicU64 = AtomicU64::new(0);

pub fn on_window_event(window: &Window, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else { return };
    api.prevent_close();
    if CLOSING.swap(true, Ordering::SeqCst) {
        return;
    }
    let round = ASKED.fetch_add(1, Ordering::SeqCst) + 1;
    let app = window.app_handle().clone();
    let asked = app.get_webview_window(MAIN_WINDOW).map(|webview| webview.eval(ASK_THE_UI_TO_SAVE));
    if !matches!(asked, Some(Ok(()))) {
        close_now(&app);
        return;
    }
    std::thread::spawn(move || {
        std::thread::sleep(FLUSH_GRACE);
        if CLOSING.load(Ordering::SeqCst) && ASKED.load(Ordering::SeqCst) == round {
            close_now(&app);
        }
    });
}

/// The cadre was asked about unsaved work and the window stays open until
/// they answer; a later ✕ asks the UI again.
pub fn hold() {
    CLOSING.store(false, Ordering::SeqCst);
}

/// Closes the window without asking again; the app ends with it.
pub fn close_now(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.destroy();
    }
}
