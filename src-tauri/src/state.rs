use std::path::{Path, PathBuf};

use rembug_core::device::DeviceIdentity;
use rembug_core::error::ErrorReply;
use rembug_core::{CoreError, DataDir, Store};
use tauri::{AppHandle, Manager};

use crate::sending::Sending;

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
    sending: Sending,
    // Held for the life of the app: it is the data folder's lock.
    data_dir: DataDir,
}

impl AppState {
    pub fn open(app: &AppHandle) -> AppState {
        let opened = data_dir_path(app).and_then(|path| {
            let data_dir = DataDir::open(&path)?;
            let store = data_dir.open_store()?;
            let device = DeviceIdentity::load_or_create(data_dir.path())?;
            let sending = Sending::new(data_dir.path());
            Ok(Opened { store, device, sending, data_dir })
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

    /// The store and the background sender to the city office.
    pub fn sending(&self) -> Result<(&Store, &Sending), ErrorReply> {
        let opened = self.opened.as_ref().map_err(Clone::clone)?;
        Ok((&opened.store, &opened.sending))
    }

    /// Starts sending to the office when the device is enrolled.
    pub fn start_sending(&self) {
        if let Ok((store, sending)) = self.sending()
            && let Err(error) = sending.start_if_enrolled(store)
        {
            // The code only: it carries no resident's data.
            eprintln!("rembug: the sender to the office could not start: {}", error.code);
        }
    }

    pub fn startup_error(&self) -> Option<ErrorReply> {
        self.opened.as_ref().err().cloned()
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
