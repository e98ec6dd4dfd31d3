//! The data folder: the database and, later, attachments and keys.
//!
//! One process at a time owns a data folder; the lock is an OS file lock, so
//! it is released when the process ends, however it ends.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use crate::error::{CoreError, Result};
use crate::store::Store;

pub const DATABASE_FILE: &str = "rembug.sqlite3";
pub(crate) const LOCK_FILE: &str = "rembug.lock";
/// Overrides the data folder, for tests and for running two profiles.
pub const DATA_DIR_ENV: &str = "REMBUG_DATA_DIR";
/// The desktop app's Tauri identifier: its app-data folder is named after it.
const APP_IDENTIFIER: &str = "id.rembug.desktop";

/// The folder the desktop app uses: `REMBUG_DATA_DIR` when set, else the OS
/// app-data folder named after the app's identifier (what Tauri's
/// `app_data_dir` answers). `None` when the OS has no such folder.
pub fn default_data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => dirs::data_dir().map(|dir| dir.join(APP_IDENTIFIER)),
    }
}

/// The practice folder beside the real data folder `real` (its name with
/// "-latihan" after it): "Coba dengan data contoh" opens it instead of the
/// real one, filled with demo data, so practice never touches a real meeting.
pub fn practice_data_dir(real: &Path) -> PathBuf {
    match real.file_name() {
        Some(name) => {
            let mut name = OsString::from(name);
            name.push("-latihan");
            real.with_file_name(name)
        }
        // A root folder has no name to put it beside.
        None => real.join("rembug-latihan"),
    }
}

/// An open, exclusively owned data folder.
pub struct DataDir {
    path: PathBuf,
    _lock: File,
}

impl DataDir {
    /// Creates the folder if needed (owner-only on Unix) and takes its lock.
    /// A folder already open in another process answers `DataDirInUse`.
    pub fn open(path: &Path) -> Result<DataDir> {
        create_private_dir(path)?;
        let lock = OpenOptions::new().create(true).truncate(false).write(true).open(path.join(LOCK_FILE))?;
        match lock.try_lock() {
            Ok(()) => Ok(DataDir { path: path.to_owned(), _lock: lock }),
            Err(std::fs::TryLockError::WouldBlock) => Err(CoreError::DataDirInUse),
            Err(std::fs::TryLockError::Error(error)) => Err(error.into()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn open_store(&self) -> Result<Store> {
        Store::open(&self.path.join(DATABASE_FILE))
    }
}

fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}
