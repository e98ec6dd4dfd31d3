use std::path::{Path, PathBuf};

use rembug_core::device::DeviceIdentity;
use rembug_core::error::ErrorReply;
use rembug_core::{CoreError, DataDir, Store};
use rembug_sync::outbox::Outcome;
use rembug_sync::runner::{Runner, RunnerEvent};
use tauri::{AppHandle, Manager};

/// The open data folder and its store, or why they could not be opened. A
/// failed start still opens the window, so the UI can say what is wrong in
/// the user's language instead of the app vanishing.
pub struct AppState {
    opened: Result<Opened, ErrorReply>,
}

struct Opened {
    store: Store,
    /// Made on the first start, kept in the data folder.
    device: DeviceIdentity,
    /// Sends locked meetings to the office in the background once the
    /// device is enrolled (`rembug enroll` until the app has its screen).
    sender: Runner,
    // Held for the life of the app: it is the data folder's lock.
    data_dir: DataDir,
}

impl AppState {
    pub fn open(app: &AppHandle) -> AppState {
        let opened = data_dir_path(app).and_then(|path| {
            let data_dir = DataDir::open(&path)?;
            let store = data_dir.open_store()?;
            let device = DeviceIdentity::load_or_create(data_dir.path())?;
            let sender = Runner::start(data_dir.path(), log_sending)?;
            Ok(Opened { store, device, sender, data_dir })
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

    /// The store, this device's identity and the data folder they live in.
    pub fn device(&self) -> Result<(&Store, &DeviceIdentity, &Path), ErrorReply> {
        let opened = self.opened.as_ref().map_err(Clone::clone)?;
        Ok((&opened.store, &opened.device, opened.data_dir.path()))
    }

    /// A meeting was locked: its bundle is sent now if the office answers.
    pub fn meeting_locked(&self) {
        if let Ok(opened) = &self.opened {
            opened.sender.meeting_locked();
        }
    }

    pub fn startup_error(&self) -> Option<ErrorReply> {
        self.opened.as_ref().err().cloned()
    }
}

/// What the background sender did, by code only: no resident's data, no
/// meeting content reaches the log.
fn log_sending(event: RunnerEvent) {
    let codes: Vec<String> = match event {
        RunnerEvent::Failed { code } if code != "not_enrolled" => vec![code],
        RunnerEvent::Round(report) => report
            .outcomes
            .into_iter()
            .filter_map(|bundle| match bundle.outcome {
                Outcome::Waiting { code, .. } | Outcome::Refused { code } => Some(code),
                Outcome::Delivered { .. } => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    if !codes.is_empty() {
        eprintln!("rembug: sending to the office: {}", codes.join(", "));
    }
}

/// `REMBUG_DATA_DIR` when set (tests, a second profile), else the OS app-data
/// folder, the same one the `rembug` CLI uses.
fn data_dir_path(app: &AppHandle) -> Result<PathBuf, CoreError> {
    match rembug_core::data_dir::default_data_dir() {
        Some(path) => Ok(path),
        None => app.path().app_data_dir().map_err(|error| CoreError::Io(std::io::Error::other(error.to_string()))),
    }
}
