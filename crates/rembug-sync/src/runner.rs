//! Sending in the background, for the desktop app: one thread that runs a
//! round ([`sync_round`]) at start, whenever a meeting is locked, when the
//! cadre presses "Kirim sekarang", and on a timer: at a waiting bundle's
//! next try (exponential backoff with jitter), or every [`IDLE_CHECK`] when
//! nothing waits. It opens its own connection to the data folder's
//! database, so the app's store is never held while it sends.
//!
//! ```ignore
//! let runner = Runner::start(data_dir.path(), move |event| forward_to_the_ui(event))?;
//! runner.meeting_locked(); // after a lock; runner.send_now() for the button
//! ```

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use rembug_core::Store;
use rembug_core::data_dir::DATABASE_FILE;
use rembug_core::device::DeviceIdentity;

use crate::outbox::{Progress, RoundOptions, RoundReport, SyncError, sync_round};
use crate::retry::{backoff, random_jitter};

/// How often an idle runner looks again (a network may have appeared).
pub const IDLE_CHECK: Duration = Duration::from_secs(10 * 60);

/// What the runner tells the app.
#[derive(Debug)]
pub enum RunnerEvent {
    /// Bytes of one bundle the office holds.
    Progress(Progress),
    /// A round finished (each bundle's outcome, the roster).
    Round(RoundReport),
    /// A round could not run: not enrolled, or the office could not be
    /// reached at all (the code says which); tried again later.
    Failed { code: String },
}

#[derive(Default)]
struct Wake {
    /// A round is asked for.
    now: bool,
    /// "Kirim sekarang": every undelivered bundle, refused ones included.
    force: bool,
    stop: bool,
}

struct Shared {
    wake: Mutex<Wake>,
    signal: Condvar,
}

/// The background sender. Dropping it tells the thread to stop once the
/// round under way ends, without waiting for it: closing the app never
/// waits for a slow link, and an upload cut this way resumes next time.
pub struct Runner {
    shared: Arc<Shared>,
}

impl Runner {
    /// Starts the thread over the data folder at `data_dir` (the app holds
    /// its lock); `on_event` is called on the runner's thread.
    pub fn start(data_dir: &Path, on_event: impl FnMut(RunnerEvent) + Send + 'static) -> rembug_core::Result<Runner> {
        let store = Store::open(&data_dir.join(DATABASE_FILE))?;
        let device = Arc::new(DeviceIdentity::load_or_create(data_dir)?);
        let shared =
            Arc::new(Shared { wake: Mutex::new(Wake { now: true, ..Wake::default() }), signal: Condvar::new() });
        std::thread::Builder::new().name("rembug-outbox".into()).spawn({
            let shared = shared.clone();
            move || run(&shared, &store, device, on_event)
        })?;
        Ok(Runner { shared })
    }

    /// A meeting was locked: its bundle is sent now.
    pub fn meeting_locked(&self) {
        self.poke(false);
    }

    /// "Kirim sekarang": every bundle not delivered is tried now.
    pub fn send_now(&self) {
        self.poke(true);
    }

    fn poke(&self, force: bool) {
        let mut wake = self.shared.wake.lock().unwrap_or_else(PoisonError::into_inner);
        wake.now = true;
        wake.force |= force;
        self.shared.signal.notify_one();
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.shared.wake.lock().unwrap_or_else(PoisonError::into_inner).stop = true;
        self.shared.signal.notify_one();
    }
}

fn run(shared: &Shared, store: &Store, device: Arc<DeviceIdentity>, mut on_event: impl FnMut(RunnerEvent)) {
    let mut failures = 0;
    let mut wait = Duration::ZERO;
    loop {
        let force = {
            let guard = shared.wake.lock().unwrap_or_else(PoisonError::into_inner);
            let (mut wake, _) = shared
                .signal
                .wait_timeout_while(guard, wait, |wake| !wake.now && !wake.stop)
                .unwrap_or_else(PoisonError::into_inner);
            if wake.stop {
                return;
            }
            let force = wake.force;
            (wake.now, wake.force) = (false, false);
            force
        };
        let options = RoundOptions { force, ..RoundOptions::default() };
        let mut progress = |progress: &Progress| on_event(RunnerEvent::Progress(progress.clone()));
        match sync_round(store, device.clone(), options, &mut progress) {
            Ok(report) => {
                failures = 0;
                wait = report.next_retry().map_or(IDLE_CHECK, |retry| retry.min(IDLE_CHECK));
                on_event(RunnerEvent::Round(report));
            }
            Err(SyncError::NotEnrolled) => {
                wait = IDLE_CHECK;
                on_event(RunnerEvent::Failed { code: SyncError::NotEnrolled.code().to_owned() });
            }
            Err(error) => {
                failures += 1;
                wait = backoff(failures, random_jitter());
                on_event(RunnerEvent::Failed { code: error.code().to_owned() });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use rembug_core::outbox::Enrollment;
    use rembug_core::trust::{OfficeIdentity, Scope};

    use super::*;

    fn failed_code(events: &mpsc::Receiver<RunnerEvent>) -> String {
        match events.recv_timeout(Duration::from_secs(10)).expect("an event") {
            RunnerEvent::Failed { code } => code,
            other => panic!("not a failure: {other:?}"),
        }
    }

    #[test]
    fn it_runs_at_start_and_when_asked_and_stops_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let (sender, events) = mpsc::channel();
        let runner = Runner::start(dir.path(), move |event| sender.send(event).unwrap()).unwrap();
        assert_eq!(failed_code(&events), "not_enrolled", "a round at start");
        assert!(events.recv_timeout(Duration::from_millis(200)).is_err(), "then it waits");

        // Enrolled with an office that is not there: each round says so.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let office = OfficeIdentity::new("Bappelitbangda", "Kota Cimahi", &[0x11; 32], &[4; 32]);
        let scope = Scope { kelurahan_code: "32.77.01.1001".into(), rw: None };
        let store = Store::open(&dir.path().join(DATABASE_FILE)).unwrap();
        store.save_enrollment(&Enrollment::new(&format!("http://{closed}"), office, scope, None, None)).unwrap();
        runner.meeting_locked();
        assert_eq!(failed_code(&events), "network");
        runner.send_now();
        assert_eq!(failed_code(&events), "network");
        drop(runner);
        assert!(events.recv_timeout(Duration::from_millis(200)).is_err(), "stopped");
    }
}
