use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard};

use rembug_core::data_dir::practice_data_dir;
use rembug_core::demo::fill_practice;
use rembug_core::device::DeviceIdentity;
use rembug_core::error::ErrorReply;
use rembug_core::{CoreError, DataDir, Store};
use tauri::{AppHandle, Manager};

use crate::sending::Sending;

/// The open data folder and its store, or why they could not be opened. A
/// failed start still opens the window, so the UI can say what is wrong in
/// the user's language instead of the app vanishing.
///
/// Commands hold the store for reading (many at once); restoring a backup
/// holds it alone ([`AppState::closed_while`]): it waits for the commands
/// under way, closes the store and releases the folder's lock, replaces the
/// folder, and opens it again. Practice ([`AppState::practise`]) swaps the
/// real folder for the practice folder beside it the same way, and back.
pub struct AppState {
    /// Where the real data folder is, when that could be found out.
    path: Option<PathBuf>,
    opened: RwLock<Current>,
    /// What a dialog picked and the cadre has yet to confirm.
    pending: Mutex<Pending>,
}

/// The folder open now: the real one, or, while practising, the practice
/// folder (never both: the real one is closed while practising).
struct Current {
    practising: bool,
    opened: Result<Opened, ErrorReply>,
}

/// A choice that waits for the cadre's confirmation, kept here so the window
/// confirms it without ever naming a path or sending a key.
#[derive(Default)]
pub struct Pending {
    /// The backup folder picked to restore from.
    pub restore_from: Option<PathBuf>,
    /// The contents of an office key file that would replace another key.
    pub office_key: Option<String>,
    /// An enrollment file's text, while the cadre confirms its office's
    /// other key (so the dialog is not shown twice).
    pub enrollment_file: Option<String>,
}

struct Opened {
    store: Store,
    /// Made on the first start, kept in the data folder.
    device: DeviceIdentity,
    /// Sends locked meetings to the office in the background once the
    /// device is enrolled; stopped with the store (a restore stops it).
    sending: Sending,
    // Held while the store is open: it is the data folder's lock.
    data_dir: DataDir,
}

/// The open store, this device's identity and their data folder, held for
/// reading while a command uses them. Dereferences to the store.
pub struct OpenedRef<'a>(RwLockReadGuard<'a, Current>);

impl OpenedRef<'_> {
    fn opened(&self) -> &Opened {
        self.0.opened.as_ref().expect("an OpenedRef is made only over an open store")
    }

    /// The store, this device's identity and the data folder they live in.
    pub fn parts(&self) -> (&Store, &DeviceIdentity, &Path) {
        let opened = self.opened();
        (&opened.store, &opened.device, opened.data_dir.path())
    }

    /// The background sender to the city office.
    pub fn sending(&self) -> &Sending {
        &self.opened().sending
    }
}

impl Deref for OpenedRef<'_> {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.opened().store
    }
}

impl AppState {
    pub fn open(app: &AppHandle) -> AppState {
        AppState::at(data_dir_path(app))
    }

    /// Opens the data folder at `path`, or keeps why it is unknown.
    fn at(path: Result<PathBuf, CoreError>) -> AppState {
        let opened = match &path {
            Ok(path) => open_folder(path),
            Err(error) => {
                eprintln!("rembug: could not find the data folder: {error}");
                Err(ErrorReply::from(error))
            }
        };
        AppState {
            path: path.ok(),
            opened: RwLock::new(Current { practising: false, opened }),
            pending: Mutex::default(),
        }
    }

    /// The choices waiting for a confirmation.
    pub fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The open store (with the device and data folder: [`OpenedRef::parts`]).
    pub fn store(&self) -> Result<OpenedRef<'_>, ErrorReply> {
        let guard = self.opened.read().unwrap_or_else(PoisonError::into_inner);
        match &guard.opened {
            Ok(_) => Ok(OpenedRef(guard)),
            Err(error) => Err(error.clone()),
        }
    }

    /// Whether the practice folder is open instead of the real one.
    pub fn practising(&self) -> bool {
        self.opened.read().unwrap_or_else(PoisonError::into_inner).practising
    }

    /// Wakes the background sender: a meeting was just locked.
    pub fn meeting_locked(&self) {
        if let Ok(opened) = &self.opened.read().unwrap_or_else(PoisonError::into_inner).opened {
            opened.sending.meeting_locked();
        }
    }

    pub fn startup_error(&self) -> Option<ErrorReply> {
        self.opened.read().unwrap_or_else(PoisonError::into_inner).opened.as_ref().err().cloned()
    }

    /// The real data folder, or why it is unknown. Asked before taking the
    /// lock for writing (it reads the startup error).
    fn real_path(&self) -> Result<&Path, ErrorReply> {
        match &self.path {
            Some(path) => Ok(path),
            None => Err(self.startup_error().unwrap_or_else(|| ErrorReply::from(&CoreError::DataDirInUse))),
        }
    }

    /// Starts practising (`true`: closes the real folder once no command
    /// uses it, and opens the practice folder beside it, filled with demo
    /// data the first time) or stops (`false`: closes the practice folder
    /// and opens the real one again). Practice lasts until it is left or the
    /// app ends: the app always starts on the real folder. A practice folder
    /// that cannot be opened leaves the real one open.
    pub fn practise(&self, practise: bool) -> Result<(), ErrorReply> {
        let real = self.real_path()?;
        let mut current = self.opened.write().unwrap_or_else(PoisonError::into_inner);
        if current.practising == practise {
            return Ok(());
        }
        // Closed first: the folder's lock and connection are released before
        // the other folder opens.
        current.opened = Err(ErrorReply::from(&CoreError::DataDirInUse));
        if !practise {
            *current = Current { practising: false, opened: open_folder(real) };
            return Ok(());
        }
        match open_practice(&practice_data_dir(real)) {
            Ok(opened) => {
                *current = Current { practising: true, opened: Ok(opened) };
                Ok(())
            }
            Err(error) => {
                current.opened = open_folder(real);
                Err(error)
            }
        }
    }

    /// Closes the store and releases the data folder once no command uses
    /// it, runs `work` on the folder's path, and opens the folder again,
    /// whether `work` succeeded or not. Commands arriving meanwhile wait.
    /// While practising, that is the practice folder.
    pub fn closed_while<T>(&self, work: impl FnOnce(&Path) -> Result<T, CoreError>) -> Result<T, ErrorReply> {
        let real = self.real_path()?;
        let mut current = self.opened.write().unwrap_or_else(PoisonError::into_inner);
        let path = if current.practising { practice_data_dir(real) } else { real.to_owned() };
        // Dropping the store closes its connection; dropping the DataDir
        // releases the folder's lock, which restoring takes itself.
        current.opened = Err(ErrorReply::from(&CoreError::DataDirInUse));
        let done = work(&path).map_err(|error| ErrorReply::from(&error));
        current.opened = open_folder(&path);
        done
    }
}

fn open_folder(path: &Path) -> Result<Opened, ErrorReply> {
    let opened = DataDir::open(path).and_then(|data_dir| {
        let store = data_dir.open_store()?;
        let device = DeviceIdentity::load_or_create(data_dir.path())?;
        let sending = Sending::new(data_dir.path());
        if let Err(error) = sending.start_if_enrolled(&store) {
            // The code only: it carries no resident's data.
            eprintln!("rembug: the sender to the office could not start: {}", error.code);
        }
        Ok(Opened { store, device, sending, data_dir })
    });
    if let Err(error) = &opened {
        // The code and message only: they carry no resident's data.
        eprintln!("rembug: could not open the data folder: {error}");
    }
    opened.map_err(|error| ErrorReply::from(&error))
}

/// The practice folder, opened and filled with demo data if it holds no
/// meeting yet.
fn open_practice(path: &Path) -> Result<Opened, ErrorReply> {
    let opened = open_folder(path)?;
    fill_practice(&opened.store).map_err(|error| ErrorReply::from(&error))?;
    Ok(opened)
}

/// `REMBUG_DATA_DIR` when set (tests, a second profile), else the OS app-data
/// folder, the same one the `rembug` CLI uses.
fn data_dir_path(app: &AppHandle) -> Result<PathBuf, CoreError> {
    match rembug_core::data_dir::default_data_dir() {
        Some(path) => Ok(path),
        None => app.path().app_data_dir().map_err(|error| CoreError::Io(std::io::Error::other(error.to_string()))),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use rembug_core::backup::{back_up_store, restore_backup};
    use rembug_core::meeting::MeetingForm;
    use rembug_core::store::meetings::MeetingFilter;

    use super::*;

    fn form(place: &str) -> MeetingForm {
        MeetingForm {
            stage: "rembug_warga".into(),
            kelurahan_code: "32.77.02.1005".into(),
            rw: "7".into(),
            planning_year: "2027".into(),
            date: "2026-11-28".into(),
            start_time: "19:30".into(),
            place: place.into(),
            facilitator: "Dedi Kurniawan".into(),
            notulis: "Rina Marlina".into(),
            pimpinan: "Ujang Suryana".into(),
            pimpinan_jabatan: "Ketua RW".into(),
            nomor: String::new(),
        }
    }

    fn meeting_ids(state: &AppState) -> Vec<String> {
        let list = state.store().unwrap().list_meetings(&MeetingFilter::default()).unwrap();
        list.meetings.into_iter().map(|meeting| meeting.id).collect()
    }

    #[test]
    fn a_restore_closes_the_open_store_waits_for_commands_and_opens_the_restored_folder() {
        let root = tempfile::tempdir().unwrap();
        let data_dir = root.path().join("data");
        let state = AppState::at(Ok(data_dir.clone()));
        let kept = state.store().unwrap().create_meeting(&form("Balai RW 07")).unwrap().id;
        let backup = {
            let opened = state.store().unwrap();
            let (store, _, path) = opened.parts();
            back_up_store(store, path, &root.path().join("stick"), &mut |_| {}).unwrap()
        };
        state.store().unwrap().create_meeting(&form("Masjid Al-Ikhlas")).unwrap();

        // While the app holds the folder, restoring under it is refused.
        assert!(matches!(restore_backup(&backup, &data_dir, &mut |_| {}), Err(CoreError::DataDirInUse)));

        // A command under way keeps the store until it is done.
        let (command_started, command_done) = (AtomicBool::new(false), AtomicBool::new(false));
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let command = state.store().unwrap();
                command_started.store(true, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(200));
                command_done.store(true, Ordering::SeqCst);
                drop(command);
            });
            while !command_started.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            let restored = state
                .closed_while(|path| {
                    assert!(command_done.load(Ordering::SeqCst), "the restore waited for the command");
                    restore_backup(&backup, path, &mut |_| {})
                })
                .unwrap();
            assert!(restored.previous.is_some(), "the replaced folder is kept");
        });

        assert_eq!(meeting_ids(&state), [kept], "the reopened store is the backup's");
        assert_eq!(state.startup_error(), None);
        // Still the folder's one owner.
        assert!(matches!(DataDir::open(&data_dir), Err(CoreError::DataDirInUse)));
    }

    #[test]
    fn a_refused_restore_reopens_the_data_folder_unchanged() {
        let root = tempfile::tempdir().unwrap();
        let data_dir = root.path().join("data");
        let state = AppState::at(Ok(data_dir.clone()));
        let kept = state.store().unwrap().create_meeting(&form("Balai RW 07")).unwrap().id;
        let not_a_backup = root.path().join("kosong");
        std::fs::create_dir(&not_a_backup).unwrap();

        let refused = state.closed_while(|path| restore_backup(&not_a_backup, path, &mut |_| {}));
        assert_eq!(refused.unwrap_err().code, "backup_invalid");
        assert_eq!(meeting_ids(&state), [kept]);
    }

    #[test]
    fn practice_opens_the_demo_folder_beside_the_real_one_and_never_touches_the_real_one() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("data");
        let state = AppState::at(Ok(real.clone()));
        let kept = state.store().unwrap().create_meeting(&form("Balai RW 07")).unwrap().id;
        let real_database = real.join(rembug_core::data_dir::DATABASE_FILE);

        state.practise(true).unwrap();
        // Closed, so the real database is whole in its file (no WAL left).
        assert!(!real.join("rembug.sqlite3-wal").exists());
        let before = std::fs::read(&real_database).unwrap();
        assert!(state.practising());
        let practice = root.path().join("data-latihan");
        assert_eq!(state.store().unwrap().parts().2, practice);
        let demo = meeting_ids(&state);
        assert!(demo.len() >= 8, "the practice folder holds the demo meetings: {}", demo.len());
        assert!(!demo.contains(&kept), "no real meeting is listed while practising");
        // The real folder is closed: its lock is free, and what is done in
        // practice is written to the practice folder only.
        drop(DataDir::open(&real).unwrap());
        state.store().unwrap().create_meeting(&form("Latihan di balai")).unwrap();
        assert!(std::fs::read(&real_database).unwrap() == before, "the real database is untouched");
        // Asking again changes nothing.
        state.practise(true).unwrap();
        assert_eq!(meeting_ids(&state).len(), demo.len() + 1);

        state.practise(false).unwrap();
        assert!(!state.practising());
        assert_eq!(meeting_ids(&state), [kept.clone()]);
        assert!(matches!(DataDir::open(&real), Err(CoreError::DataDirInUse)), "the real folder is open again");

        // Practising again finds what was practised, not a second demo.
        state.practise(true).unwrap();
        assert_eq!(meeting_ids(&state).len(), demo.len() + 1);
        state.practise(false).unwrap();
        assert_eq!(meeting_ids(&state), [kept]);
    }

    #[test]
    fn a_restore_while_practising_restores_the_practice_folder() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("data");
        let state = AppState::at(Ok(real.clone()));
        state.store().unwrap().create_meeting(&form("Balai RW 07")).unwrap();
        state.practise(true).unwrap();
        let seen = state.closed_while(|path| Ok(path.to_owned())).unwrap();
        assert_eq!(seen, root.path().join("data-latihan"));
        assert!(state.practising(), "still practising after it");
    }
}
