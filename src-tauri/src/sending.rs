//! Sending to the city office in the background: `rembug-sync`'s `Runner`,
//! started once the device is enrolled (at start-up, or on enrolling), woken
//! when a meeting is locked and on "Kirim sekarang". What it last reported
//! (the bytes of the bundle under way, why a round could not run) is kept
//! here for the "Kirim ke kantor" screen, which asks for it with the
//! `outbox` command while it is open: no event permission is needed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rembug_core::Store;
use rembug_core::error::ErrorReply;
use rembug_sync::outbox::{Outcome, Progress};
use rembug_sync::runner::{Runner, RunnerEvent};

/// What the sender last told.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Live {
    /// The bundle under way and the bytes the office holds of it.
    pub progress: Option<Progress>,
    /// Why the last round could not run at all; none after a round ran.
    pub failure: Option<String>,
}

impl Live {
    /// Takes in one of the runner's reports.
    pub fn apply(&mut self, event: &RunnerEvent) {
        match event {
            RunnerEvent::Progress(progress) => self.progress = Some(progress.clone()),
            RunnerEvent::Round(_) => *self = Live::default(),
            RunnerEvent::Failed { code } => {
                self.progress = None;
                // Not enrolled is no failure to show: Settings says so.
                self.failure = (code != "not_enrolled").then(|| code.clone());
            }
        }
    }

    /// The bytes reported for `meeting_id`'s bundle during the try under way.
    pub fn sent_bytes(&self, meeting_id: &str) -> Option<u64> {
        self.progress.as_ref().filter(|progress| progress.meeting_id == meeting_id).map(|progress| progress.sent_bytes)
    }
}

/// The background sender of one data folder.
pub struct Sending {
    data_dir: PathBuf,
    runner: Mutex<Option<Runner>>,
    live: Arc<Mutex<Live>>,
}

impl Sending {
    pub fn new(data_dir: &Path) -> Sending {
        Sending { data_dir: data_dir.to_owned(), runner: Mutex::new(None), live: Arc::default() }
    }

    /// Starts the sender when the device is enrolled and it is not running
    /// yet (its first round runs at once); answers whether it runs.
    pub fn start_if_enrolled(&self, store: &Store) -> Result<bool, ErrorReply> {
        let mut runner = self.runner.lock().unwrap_or_else(PoisonError::into_inner);
        if runner.is_some() {
            return Ok(true);
        }
        if store.enrollment().map_err(|error| ErrorReply::from(&error))?.is_none() {
            return Ok(false);
        }
        let live = self.live.clone();
        let started = Runner::start(&self.data_dir, move |event| {
            log_failures(&event);
            live.lock().unwrap_or_else(PoisonError::into_inner).apply(&event);
        })
        .map_err(|error| ErrorReply { code: error.code().to_owned(), fields: Vec::new() })?;
        *runner = Some(started);
        Ok(true)
    }

    /// A meeting was locked: its bundle goes now, if the device is enrolled.
    pub fn meeting_locked(&self) {
        if let Some(runner) = self.runner.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            runner.meeting_locked();
        }
    }

    /// "Kirim sekarang", or a new enrollment: every bundle not delivered is
    /// tried now, starting the sender if it was not running.
    pub fn send_now(&self, store: &Store) -> Result<(), ErrorReply> {
        let already = self.runner.lock().unwrap_or_else(PoisonError::into_inner).is_some();
        self.start_if_enrolled(store)?;
        if already && let Some(runner) = self.runner.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            runner.send_now();
        }
        Ok(())
    }

    pub fn live(&self) -> Live {
        self.live.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// What went wrong in a round, by code only: no resident's data and no
/// meeting content reaches the log.
fn log_failures(event: &RunnerEvent) {
    let codes: Vec<&str> = match event {
        RunnerEvent::Failed { code } if code != "not_enrolled" => vec![code],
        RunnerEvent::Round(report) => report
            .outcomes
            .iter()
            .filter_map(|bundle| match &bundle.outcome {
                Outcome::Waiting { code, .. } | Outcome::Refused { code } => Some(code.as_str()),
                Outcome::Delivered { .. } => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    if !codes.is_empty() {
        eprintln!("rembug: sending to the office: {}", codes.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(meeting_id: &str, sent_bytes: u64) -> RunnerEvent {
        RunnerEvent::Progress(Progress { meeting_id: meeting_id.into(), sent_bytes, total_bytes: 100 })
    }

    #[test]
    fn the_screen_sees_the_bundle_under_way_and_why_a_round_could_not_run() {
        let mut live = Live::default();
        live.apply(&progress("a", 40));
        assert_eq!((live.sent_bytes("a"), live.sent_bytes("b")), (Some(40), None));
        live.apply(&RunnerEvent::Failed { code: "network".into() });
        assert_eq!(live, Live { progress: None, failure: Some("network".into()) });
        live.apply(&progress("b", 10));
        assert_eq!((live.sent_bytes("b"), live.failure.as_deref()), (Some(10), Some("network")));
        live.apply(&RunnerEvent::Failed { code: "not_enrolled".into() });
        assert_eq!(live, Live::default(), "not being enrolled is shown by Settings, not as a failure");
    }

    #[test]
    fn an_unenrolled_device_starts_no_sender_and_locks_wake_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(rembug_core::data_dir::DATABASE_FILE)).unwrap();
        let sending = Sending::new(dir.path());
        assert_eq!(sending.start_if_enrolled(&store), Ok(false));
        sending.meeting_locked();
        sending.send_now(&store).unwrap();
        assert!(sending.runner.lock().unwrap().is_none());
        assert_eq!(sending.live(), Live::default());
    }

    #[test]
    fn an_enrolled_device_starts_its_sender_once_and_tells_why_a_round_failed() {
        use rembug_core::outbox::Enrollment;
        use rembug_core::trust::{OfficeIdentity, Scope};

        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(rembug_core::data_dir::DATABASE_FILE)).unwrap();
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let office = OfficeIdentity::new("Bappelitbangda", "Kota Cimahi", &[0x11; 32], &[4; 32]);
        let scope = Scope { kelurahan_code: "32.77.01.1001".into(), rw: None };
        store.save_enrollment(&Enrollment::new(&format!("http://{closed}"), office, scope, None, None)).unwrap();

        let sending = Sending::new(dir.path());
        assert_eq!(sending.start_if_enrolled(&store), Ok(true));
        assert_eq!(sending.start_if_enrolled(&store), Ok(true), "one sender, already running");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while sending.live().failure.is_none() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert_eq!(sending.live().failure.as_deref(), Some("network"), "the office is not there");
        sending.send_now(&store).unwrap();
        sending.meeting_locked();
    }
}
