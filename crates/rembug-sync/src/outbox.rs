//! The device's sending engine: every locked meeting revision not yet
//! delivered is sealed into the data folder's `outbox/` (the same
//! deterministic bundle the USB export writes, encrypted to the enrolled
//! office's key) and sent in chunks, resuming from the office's offset after
//! any cut or restart, until a receipt signed by the enrolled office for its
//! SHA-256 is kept (`docs/sync-protocol.md`). Its state lives in the store's
//! `outbox` table, so a restart of the app goes on where it stopped.

use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rembug_bundle::signed_pages::SealedPages;
use rembug_bundle::{BundleError, EXTENSION, seal, seal_signed_pages};
use rembug_core::atomic::sync_dir;
use rembug_core::device::DeviceIdentity;
use rembug_core::outbox::{OutboxEntry, OutboxItem, OutboxState};
use rembug_core::sending::SendState;
use rembug_core::signed_pages::SignedPagesSending;
use rembug_core::store::AnswersSaved;
use rembug_core::trust::{OfficeIdentity, Receipt, Roster, Scope, Signed};
use rembug_core::{CoreError, Store};

use crate::EnrollmentCode;
use crate::client::{ClientError, Committed, OfficeClient, Verified};
use crate::messages::{MAX_CHUNK_BYTES, SyncErrorCode, UploadState};
use crate::retry::{Next, backoff, next_step, quick_backoff, random_jitter};

/// Why a round (or an enrollment) could not be done at all.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("this device is not enrolled with an office")]
    NotEnrolled,
    /// Another office key than the one in use, and nobody confirmed it.
    #[error("the office key would change from {current} to {new}")]
    OfficeChangeNotConfirmed { current: String, new: String },
    /// The enrollment answer names another office than the preflight.
    #[error("the enrollment answer names another office than the preflight")]
    OfficeChanged,
    #[error("not an enrollment code")]
    CodeInvalid,
    #[error("not an enrollment file signed by its office")]
    EnrollmentFileInvalid,
    #[error(transparent)]
    Office(#[from] ClientError),
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(transparent)]
    Bundle(BundleError),
}

impl From<BundleError> for SyncError {
    fn from(error: BundleError) -> Self {
        match error {
            BundleError::Core(core) => SyncError::Core(core),
            other => SyncError::Bundle(other),
        }
    }
}

impl From<std::io::Error> for SyncError {
    fn from(error: std::io::Error) -> Self {
        SyncError::Core(CoreError::Io(error))
    }
}

impl SyncError {
    /// A stable code the CLI prints and the app translates.
    pub fn code(&self) -> &str {
        match self {
            SyncError::NotEnrolled => "not_enrolled",
            SyncError::OfficeChangeNotConfirmed { .. } => "office_change_not_confirmed",
            SyncError::OfficeChanged => "office_changed",
            SyncError::CodeInvalid => "code_invalid",
            SyncError::EnrollmentFileInvalid => "enrollment_file_invalid",
            SyncError::Office(error) => error.code(),
            SyncError::Core(error) => error.code(),
            SyncError::Bundle(error) => error.code(),
        }
    }
}

/// How a round behaves.
#[derive(Debug, Clone, Copy)]
pub struct RoundOptions {
    /// Try every undelivered bundle now, refused ones included ("Kirim
    /// sekarang", `rembug sync`), rather than only those due.
    pub force: bool,
    /// Failed requests in a row, without progress, before a bundle waits for
    /// the next round.
    pub quick_tries: u32,
}

impl Default for RoundOptions {
    fn default() -> Self {
        RoundOptions { force: false, quick_tries: 8 }
    }
}

/// Quick tries of the round's first request: no network at all is told
/// within a second, and the next round comes soon enough.
const PREFLIGHT_TRIES: u32 = 3;

/// Bytes of one bundle the office holds, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub meeting_id: String,
    pub sent_bytes: u64,
    pub total_bytes: u64,
}

/// What became of one bundle in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The office's receipt is checked and kept; `new` is false when the
    /// office held the bundle already (its first receipt again).
    Delivered { receipt: Receipt, new: bool },
    /// Passing trouble; tried again after `retry_in`.
    Waiting { code: String, retry_in: Duration },
    /// Refused for a reason a retry does not change.
    Refused { code: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleOutcome {
    pub meeting_id: String,
    pub outcome: Outcome,
}

/// What a round did.
#[derive(Debug)]
pub struct RoundReport {
    pub office: OfficeIdentity,
    /// One per bundle tried, in the order of their locks.
    pub outcomes: Vec<BundleOutcome>,
    /// One per signed-pages bundle tried (`docs/bundle-format.md`, section 10).
    pub signed_pages: Vec<BundleOutcome>,
    /// Locked revisions delivered in an earlier round.
    pub already_delivered: usize,
    /// The signed roster of the device's kelurahan, fetched on every round
    /// (none when the office did not give it): a kelurahan laptop keeps it
    /// to tell its RWs' devices from others.
    pub roster: Option<Verified<Roster>>,
    /// What became of the office's answers about this device's meetings
    /// (none when the office did not give them): kept when newer than the
    /// ones held.
    pub answers: Option<AnswersSaved>,
}

impl RoundReport {
    /// The earliest retry among the bundles and signed pages waiting.
    pub fn next_retry(&self) -> Option<Duration> {
        self.outcomes
            .iter()
            .chain(&self.signed_pages)
            .filter_map(|bundle| match &bundle.outcome {
                Outcome::Waiting { retry_in, .. } => Some(*retry_in),
                _ => None,
            })
            .min()
    }
}

/// One round: seals every locked revision not yet delivered (those due, or
/// all with `force`) for the enrolled office (one outside the enrolled
/// scope is neither sealed nor sent: `out_of_scope`, as the office would
/// answer), registers a device enrolled from a file on its first contact,
/// proves the office answers (preflight), sends each bundle, then fetches
/// and keeps the office's answers about this device's meetings (reviews,
/// usulan outcomes) and the roster. A bundle that fails is recorded with its code and its next
/// try (when the office cannot be reached at all, every one of them); the
/// others are still sent. Progress is reported in bytes.
pub fn sync_round(
    store: &Store,
    device: Arc<DeviceIdentity>,
    options: RoundOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<RoundReport, SyncError> {
    let mut enrollment = store.enrollment()?.ok_or(SyncError::NotEnrolled)?;
    let office = enrollment.office.clone();
    let items = store.outbox()?;
    let already_delivered = items.iter().filter(|item| item.is_delivered()).count();
    let now = Utc::now();
    let mut outcomes = Vec::new();
    let mut sealed = Vec::new();
    for item in items.iter().filter(|item| is_due(item, now, options.force)) {
        if !in_scope(item, &enrollment.scope) {
            // The office would refuse it (403): nothing is sealed nor sent.
            let outcome = Outcome::Refused { code: SyncErrorCode::OutOfScope.as_str().to_owned() };
            outcomes.push(BundleOutcome { meeting_id: item.meeting.id.clone(), outcome });
            continue;
        }
        match sealed_entry(store, &device, &item.meeting.id, &office, item.entry.as_ref()) {
            Ok(entry) => sealed.push(entry),
            // A revision that cannot be sealed cannot be sent; the others can.
            Err(SyncError::Bundle(error)) => outcomes.push(BundleOutcome {
                meeting_id: item.meeting.id.clone(),
                outcome: Outcome::Refused { code: error.code().to_owned() },
            }),
            Err(other) => return Err(other),
        }
    }

    let mut client = OfficeClient::new(
        &enrollment.office_url,
        device.clone(),
        Some(office.clone()),
        enrollment.tls_certificate_sha256.as_deref(),
    )?;
    if let Err(error) = with_quick_retries(PREFLIGHT_TRIES, || client.preflight()) {
        if sealed.is_empty() && outcomes.is_empty() {
            return Err(error.into());
        }
        for entry in &sealed {
            let attempt = store.start_sending(&entry.meeting_id)?;
            let outcome = record_failure(store, &attempt, &error)?;
            outcomes.push(BundleOutcome { meeting_id: entry.meeting_id.clone(), outcome });
        }
        let signed_pages = Vec::new();
        return Ok(RoundReport { office, outcomes, signed_pages, already_delivered, roster: None, answers: None });
    }
    let mut roster = None;
    if let Some(code) = enrollment.pending_code.clone() {
        let code = EnrollmentCode::parse(&code).ok_or(SyncError::CodeInvalid)?;
        let answer = with_quick_retries(options.quick_tries, || client.enroll(&code))?;
        if answer.office != office {
            return Err(SyncError::OfficeChanged);
        }
        enrollment.scope = answer.scope;
        enrollment.pending_code = None;
        store.save_enrollment(&enrollment)?;
        roster = enrollment_roster(&office, answer.roster);
    }
    for entry in &sealed {
        let outcome = send_one(store, &mut client, entry, options, progress)?;
        outcomes.push(BundleOutcome { meeting_id: entry.meeting_id.clone(), outcome });
    }
    // After the revisions they belong to, which the office must hold first.
    let signed_pages = send_signed_pages(store, &mut client, &device, &office, options, progress)?;
    // After the bundles, so the ones just delivered are answered too. The
    // answers and the roster help the cadre; failing to get them does not
    // undo the bundles.
    let mut answers = None;
    if let Ok((fresh, fresh_roster)) = with_quick_retries(options.quick_tries, || client.answers()) {
        answers = Some(store.save_answers(&fresh.signed, &office, &device.device_id())?);
        roster = Some(fresh_roster);
    }
    if let Some(roster) = &roster {
        // A kelurahan laptop judges the RW bundles it imports by it.
        store.save_roster(&roster.signed, &office)?;
    }
    Ok(RoundReport { office, outcomes, signed_pages, already_delivered, roster, answers })
}

/// The roster an enrollment answer carries, checked against the office's
/// key (the client checked it already; this keeps its document).
pub(crate) fn enrollment_roster(office: &OfficeIdentity, signed: Signed) -> Option<Verified<Roster>> {
    let document = signed.open(&office.verifying_key().ok()?).ok()?;
    Some(Verified { document, signed })
}

/// Whether the enrollment's scope covers the meeting's kelurahan and RW.
pub fn in_scope(item: &OutboxItem, scope: &Scope) -> bool {
    scope.covers(&item.meeting.kelurahan_code, item.meeting.rw)
}

/// Whether a locked revision is to be tried in this round.
fn is_due(item: &OutboxItem, now: DateTime<Utc>, force: bool) -> bool {
    let Some(entry) = &item.entry else { return true };
    match entry.state {
        OutboxState::Delivered => false,
        OutboxState::Refused => failed_try_is_due(true, None, now, force),
        OutboxState::Pending | OutboxState::Sending => true,
        OutboxState::Waiting => failed_try_is_due(false, entry.next_attempt_at.as_deref(), now, force),
    }
}

/// Whether a file whose last try failed is tried in this round: one the
/// office refused only when the cadre asks (`force`), one that met passing
/// trouble once its backoff is over. Bundles and signed pages alike.
fn failed_try_is_due(refused: bool, next_attempt_at: Option<&str>, now: DateTime<Utc>, force: bool) -> bool {
    force || (!refused && retry_is_due(next_attempt_at, now))
}

/// A wait further ahead than the longest backoff means the laptop's clock
/// went back (a dead CMOS battery): due now rather than in years.
fn retry_is_due(next_attempt_at: Option<&str>, now: DateTime<Utc>) -> bool {
    let Some(next) = next_attempt_at.and_then(|text| DateTime::parse_from_rfc3339(text).ok()) else {
        return true;
    };
    let ahead = next.to_utc() - now;
    ahead <= chrono::TimeDelta::zero()
        || ahead > chrono::TimeDelta::from_std(crate::retry::MAX_BACKOFF).unwrap_or_default()
}

fn send_one(
    store: &Store,
    client: &mut OfficeClient,
    entry: &OutboxEntry,
    options: RoundOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Outcome, SyncError> {
    let meeting_id = &entry.meeting_id;
    let entry = store.start_sending(meeting_id)?;
    let path = bundle_path(&store.outbox_dir()?, &entry.bundle_sha256);
    let file = FileToSend { meeting_id, sha256: &entry.bundle_sha256, size: entry.bundle_size, path: &path };
    let mut remember = |upload_id: Option<&str>, offset| store.record_upload(meeting_id, upload_id, offset).map(drop);
    match upload(client, file, options, progress, &mut remember) {
        Ok(committed) => {
            record_delivered(store, meeting_id, &path, &committed.receipt)?;
            Ok(Outcome::Delivered { receipt: committed.receipt.document, new: committed.new })
        }
        Err(UploadError::Core(error)) => Err(error.into()),
        Err(UploadError::Office(error)) => record_failure(store, &entry, &error),
    }
}

/// Keeps the office's receipt (checked by the caller against the enrolled
/// office key and the bundle's SHA-256) for the revision whose bundle is at
/// `path`: delivered, after a sync commit or from a receipt file alike.
pub(crate) fn record_delivered(
    store: &Store,
    meeting_id: &str,
    path: &Path,
    receipt: &Verified<Receipt>,
) -> Result<OutboxEntry, SyncError> {
    let entry = store.record_delivery(meeting_id, &receipt.signed, &receipt.document.received_at)?;
    // Sealing the revision again writes the same bytes: the file is not
    // needed once the office holds it.
    let _ = fs::remove_file(path);
    Ok(entry)
}

/// Keeps why a try failed: refused for good, or waiting for its next try
/// after a backoff that grows with the attempts.
fn record_failure(store: &Store, entry: &OutboxEntry, error: &ClientError) -> Result<Outcome, SyncError> {
    let (outcome, retry_at) = after_failure(error, entry.attempts);
    store.record_failure(&entry.meeting_id, error.code(), retry_at.as_deref())?;
    Ok(outcome)
}

/// What a file's `attempts`-th failed try comes to, for a bundle and for
/// signed pages alike: refused for good (no time), or waiting until the
/// time (RFC 3339) after a backoff that grows with the attempts.
fn after_failure(error: &ClientError, attempts: u32) -> (Outcome, Option<String>) {
    let code = error.code().to_owned();
    if next_step(error) == Next::Stop {
        return (Outcome::Refused { code }, None);
    }
    let retry_in = backoff(attempts, random_jitter());
    let retry_at = Utc::now() + chrono::TimeDelta::from_std(retry_in).unwrap_or_default();
    (Outcome::Waiting { code, retry_in }, Some(retry_at.to_rfc3339_opts(SecondsFormat::Secs, true)))
}

/// The revision's outbox entry with its bundle on disk, sealed for the
/// enrolled office: sealed now when it has none, when its file is gone, or
/// when it was sealed for another office key.
pub(crate) fn sealed_entry(
    store: &Store,
    device: &DeviceIdentity,
    meeting_id: &str,
    office: &OfficeIdentity,
    entry: Option<&OutboxEntry>,
) -> Result<OutboxEntry, SyncError> {
    let outbox = store.outbox_dir()?;
    if let Some(entry) = entry
        && entry.sealed_for == office.encryption_key
        && fs::metadata(bundle_path(&outbox, &entry.bundle_sha256)).is_ok_and(|meta| meta.len() == entry.bundle_size)
    {
        return Ok(entry.clone());
    }
    let key = office.encryption_key_bytes()?;
    let provisional = outbox.join(format!("{meeting_id}.sealing.{EXTENSION}"));
    let sealed = seal(store, device, meeting_id, Some(key), &provisional)?;
    fs::rename(&sealed.path, bundle_path(&outbox, &sealed.sha256))?;
    sync_dir(&outbox)?;
    let queued = store.queue_bundle(meeting_id, &sealed.sha256, sealed.size, &office.encryption_key)?;
    if let Some(old) = entry.filter(|old| old.bundle_sha256 != queued.bundle_sha256) {
        // Sealed for an office key no longer in use: never sent again.
        let _ = fs::remove_file(bundle_path(&outbox, &old.bundle_sha256));
    }
    Ok(queued)
}

/// `outbox/<sha256>.rembug`.
pub fn bundle_path(outbox: &Path, sha256: &str) -> PathBuf {
    outbox.join(format!("{sha256}.{EXTENSION}"))
}

enum UploadError {
    Office(ClientError),
    Core(CoreError),
}

impl From<CoreError> for UploadError {
    fn from(error: CoreError) -> Self {
        UploadError::Core(error)
    }
}

impl From<std::io::Error> for UploadError {
    fn from(error: std::io::Error) -> Self {
        UploadError::Core(CoreError::Io(error))
    }
}

/// The chunk size: small enough that a link cut every megabyte loses
/// little (a chunk cut short is discarded whole by the office), growing on
/// a link that holds, back to the smallest at the first cut.
/// `docs/benchmarks.md` has the measurement.
#[derive(Debug)]
struct ChunkSizer {
    size: u64,
    /// Bytes sent at this size since the last cut or change.
    run: u64,
}

/// The smallest chunk, used after every cut. A cut loses the chunk under
/// way and each chunk carries about 600 bytes of signed headers: 24 KiB
/// keeps both small on a link cut every megabyte (1.04x the bundle sent,
/// measured in docs/benchmarks.md), where 16 or 32 KiB sent 1.05x.
pub const MIN_CHUNK_BYTES: u64 = 24 * 1024;
/// A link that carried this many bytes without a cut gets chunks twice as big.
const GROW_AFTER_BYTES: u64 = 4 * 1024 * 1024;

impl ChunkSizer {
    fn new() -> ChunkSizer {
        ChunkSizer { size: MIN_CHUNK_BYTES, run: 0 }
    }

    fn sent(&mut self, bytes: u64) {
        self.run += bytes;
        if self.run >= GROW_AFTER_BYTES && self.size < MAX_CHUNK_BYTES {
            self.size = (self.size * 2).min(MAX_CHUNK_BYTES);
            self.run = 0;
        }
    }

    fn cut(&mut self) {
        *self = ChunkSizer::new();
    }
}

/// Creates (or finds again) the upload, sends what the office lacks from its
/// offset, and commits. Passing trouble is tried again at once, a few times
/// in a row; each chunk the office takes starts the count again.
fn upload(
    client: &mut OfficeClient,
    file: FileToSend<'_>,
    options: RoundOptions,
    progress: &mut dyn FnMut(&Progress),
    remember: &mut dyn FnMut(Option<&str>, u64) -> Result<(), CoreError>,
) -> Result<Committed, UploadError> {
    let FileToSend { meeting_id, sha256, size, path } = file;
    let mut file = File::open(path)?;
    let report = |sent_bytes| Progress { meeting_id: meeting_id.to_owned(), sent_bytes, total_bytes: size };
    let mut state: Option<UploadState> = None;
    let mut sizer = ChunkSizer::new();
    let mut buffer = Vec::new();
    let mut failures = 0;
    // Whole uploads started again: each sends the file anew, so they are
    // counted apart from the failures that progress resets.
    let mut restarts = 0;
    loop {
        let step = match &state {
            None => client.create_upload(sha256, size).map(Step::Known),
            Some(known) if known.offset < size => {
                let length = sizer.size.min(size - known.offset);
                buffer.resize(length as usize, 0);
                file.seek(SeekFrom::Start(known.offset))?;
                file.read_exact(&mut buffer)?;
                client.patch_chunk(&known.upload_id, known.offset, &buffer).map(Step::Known)
            }
            Some(known) => client.commit(&known.upload_id, sha256).map(Step::Committed),
        };
        match step {
            Ok(Step::Committed(committed)) => return Ok(committed),
            Ok(Step::Known(known)) => {
                if let Some(before) = &state {
                    sizer.sent(known.offset.saturating_sub(before.offset));
                }
                if state.as_ref().is_none_or(|before| before.offset != known.offset) {
                    failures = 0;
                    remember(Some(&known.upload_id), known.offset.min(size))?;
                    progress(&report(known.offset.min(size)));
                }
                state = Some(known);
            }
            Err(error) => {
                failures += 1;
                let next = next_step(&error);
                restarts += u32::from(next == Next::RestartUpload);
                if error.sync_code() == Some(SyncErrorCode::SizeMismatch) && restarts > MAX_RESTARTS {
                    // The file does not hash to what was sealed (a damaged
                    // disk?): the next round seals it again.
                    let _ = fs::remove_file(path);
                }
                if next == Next::Stop || failures > options.quick_tries || restarts > MAX_RESTARTS {
                    return Err(UploadError::Office(error));
                }
                match next {
                    Next::Retry => {
                        sizer.cut();
                        std::thread::sleep(quick_backoff(failures, random_jitter()));
                        // The office's offset is asked again: a chunk may
                        // have landed though its answer was lost.
                        state = None;
                    }
                    Next::Preflight => {
                        client.preflight().map_err(UploadError::Office)?;
                    }
                    Next::AskOffset => state = None,
                    Next::RestartUpload => {
                        remember(None, 0)?;
                        state = None;
                    }
                    Next::ResendChunk | Next::Stop => {}
                }
            }
        }
    }
}

/// A file to upload: a meeting revision's bundle or its signed pages.
#[derive(Clone, Copy)]
struct FileToSend<'a> {
    meeting_id: &'a str,
    sha256: &'a str,
    size: u64,
    path: &'a Path,
}

/// Sends the signed pages of every delivered revision whose pages the
/// office has not all acknowledged: all its pages so far sealed into one
/// signed-pages bundle (`docs/bundle-format.md`, section 10) for the
/// enrolled office, uploaded like a bundle, its receipt kept. A failed try
/// backs off as a bundle's does (`after_failure`, kept by
/// `Store::record_signed_pages_failure`): passing trouble waits, a refusal
/// waits for the cadre to ask (`force`). The file itself is not kept:
/// the next try seals the same bytes again.
fn send_signed_pages(
    store: &Store,
    client: &mut OfficeClient,
    device: &DeviceIdentity,
    office: &OfficeIdentity,
    options: RoundOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<BundleOutcome>, SyncError> {
    let now = Utc::now();
    let mut outcomes = Vec::new();
    for item in store.outbox()?.iter().filter(|item| item.is_delivered()) {
        let meeting_id = item.meeting.id.as_str();
        let sending = store.signed_pages_sending(meeting_id)?;
        if !sending.undelivered() || !pages_are_due(&sending, now, options.force) {
            continue;
        }
        let sealed = match seal_pages(store, device, meeting_id, office) {
            Ok(sealed) => sealed,
            Err(SyncError::Bundle(error)) => {
                store.record_signed_pages_failure(meeting_id, sending.page_count, error.code(), None)?;
                let outcome = Outcome::Refused { code: error.code().to_owned() };
                outcomes.push(BundleOutcome { meeting_id: meeting_id.to_owned(), outcome });
                continue;
            }
            Err(other) => return Err(other),
        };
        let outbox = store.outbox_dir()?;
        let path = bundle_path(&outbox, &sealed.sha256);
        fs::rename(&sealed.path, &path)?;
        let pages = sealed.manifest.pages.len() as u32;
        let file = FileToSend { meeting_id, sha256: &sealed.sha256, size: sealed.size, path: &path };
        let outcome = match upload(client, file, options, progress, &mut |_, _| Ok(())) {
            Ok(committed) => {
                let receipt = &committed.receipt;
                store.record_signed_pages_sent(
                    meeting_id,
                    &sealed.sha256,
                    pages,
                    &receipt.signed,
                    &receipt.document.received_at,
                )?;
                Outcome::Delivered { receipt: committed.receipt.document, new: committed.new }
            }
            Err(UploadError::Core(error)) => return Err(error.into()),
            Err(UploadError::Office(error)) => {
                let (outcome, retry_at) = after_failure(&error, sending.attempts + 1);
                store.record_signed_pages_failure(meeting_id, pages, error.code(), retry_at.as_deref())?;
                outcome
            }
        };
        // Sealing again gives the same bytes: the file is not kept.
        let _ = fs::remove_file(&path);
        outcomes.push(BundleOutcome { meeting_id: meeting_id.to_owned(), outcome });
    }
    Ok(outcomes)
}

/// Whether the file of a meeting's signed pages is tried in this round.
fn pages_are_due(sending: &SignedPagesSending, now: DateTime<Utc>, force: bool) -> bool {
    match sending.state {
        SendState::Refused => failed_try_is_due(true, None, now, force),
        SendState::Waiting => failed_try_is_due(false, sending.next_attempt_at.as_deref(), now, force),
        SendState::NotSent | SendState::Sending | SendState::Delivered => true,
    }
}

/// Every signed page of a locked meeting sealed for the enrolled office,
/// in `outbox/` under a provisional name: what the sync sends and what a
/// receipt file brought on a USB stick is compared with.
pub(crate) fn seal_pages(
    store: &Store,
    device: &DeviceIdentity,
    meeting_id: &str,
    office: &OfficeIdentity,
) -> Result<SealedPages, SyncError> {
    let provisional = store.outbox_dir()?.join(format!("{meeting_id}.halaman.sealing.{EXTENSION}"));
    Ok(seal_signed_pages(store, device, meeting_id, Some(office.encryption_key_bytes()?), &provisional)?)
}

/// Uploads started over in one round before the bundle waits for the next.
const MAX_RESTARTS: u32 = 2;

enum Step {
    Known(UploadState),
    Committed(Committed),
}

/// Runs `request`, trying passing trouble again a few times with short waits.
fn with_quick_retries<T>(tries: u32, mut request: impl FnMut() -> Result<T, ClientError>) -> Result<T, ClientError> {
    let mut failures = 0;
    loop {
        match request() {
            Ok(value) => return Ok(value),
            Err(error) if next_step(&error) == Next::Retry && failures < tries => {
                failures += 1;
                std::thread::sleep(quick_backoff(failures, random_jitter()));
            }
            Err(error) => return Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_grow_on_a_link_that_holds_and_shrink_at_a_cut() {
        let mut sizer = ChunkSizer::new();
        assert_eq!(sizer.size, MIN_CHUNK_BYTES);
        for _ in 0..GROW_AFTER_BYTES.div_ceil(MIN_CHUNK_BYTES) {
            sizer.sent(MIN_CHUNK_BYTES);
        }
        assert_eq!(sizer.size, 2 * MIN_CHUNK_BYTES);
        for _ in 0..1000 {
            sizer.sent(sizer.size);
        }
        assert_eq!(sizer.size, MAX_CHUNK_BYTES, "never past the office's limit");
        sizer.cut();
        assert_eq!(sizer.size, MIN_CHUNK_BYTES);
        // A link cut every megabyte never lets the chunks grow.
        for _ in 0..10 {
            for _ in 0..(1_000_000 / MIN_CHUNK_BYTES) {
                sizer.sent(sizer.size);
            }
            sizer.cut();
        }
        assert_eq!(sizer.size, MIN_CHUNK_BYTES);
    }

    #[test]
    fn waiting_bundles_are_due_at_their_time_or_when_the_clock_went_back() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T03:00:00Z").unwrap().to_utc();
        assert!(retry_is_due(Some("2026-12-07T02:59:59Z"), now));
        assert!(retry_is_due(Some("2026-12-07T03:00:00Z"), now));
        assert!(!retry_is_due(Some("2026-12-07T03:10:00Z"), now));
        assert!(retry_is_due(Some("2031-01-01T00:00:00Z"), now), "a clock set back by years");
        assert!(retry_is_due(None, now));
        assert!(retry_is_due(Some("garbage"), now));
    }
}
