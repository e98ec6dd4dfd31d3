use std::path::PathBuf;

use rembug_core::error::ErrorReply;
use rembug_core::{CoreError, DataDir, Store};
use tauri::{AppHandle, Manager};

/// Overrides the data folder, for tests and for running two profiles.
const DATA_DIR_ENV: &str = "REMBUG_DATA_DIR";

/// The open data folder and its store, or why they could not be opened. A
/// failed start still opens the window, so the UI can say what is wrong in
/// the user's language instead of the app vanishing.
pub struct AppState {
    opened: Result<Opened, ErrorReply>,
}

struct Opened {
    store: Store,
    // Held for the life of the app: it is the data folder's lock.
    _data_dir: DataDir,
}

impl AppState {
    pub fn open(app: &AppHandle) -> AppState {
        let opened = data_dir_path(app).and_then(|path| {
            let data_dir = DataDir::open(&path)?;
            let store = data_dir.open_store()?;
            Ok(Opened { store, _data_dir: data_dir })
        });
        if let Err(error) = &opened {
            // The code and message only: they carry no resident's data.
            eprintln!("rembug: could not open the data folder: {error}");
        }
        AppState { opened: opened.map_err(|error| ErrorReply::from(&error)) }
    }

    pub fn store(&self) -> Result<&Store, ErrorReply> {
        self.opened.as_ref().map(|opened| &opened.store).map_err(Clone::clone)
    }

    pub fn startup_error(&self) -> Option<ErrorReply> {
        self.opened.as_ref().err().cloned()
    }
}

fn data_dir_path(app: &AppHandle) -> Result<PathBuf, CoreError> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        _ => app
            .path()
            .app_data_dir()
            .map_err(|error| CoreError::Io(std::io::Error::other(error.to_string()))),
    }
}
