//! Sending to the city office: enrolling this device (Settings → Kantor),
//! the "Kirim ke kantor" screen and its "Kirim sekarang", which meetings
//! the office holds, a receipt file for a bundle brought on a USB stick, and
//! what the office answered (reviews and usulan outcomes, which the
//! background sender keeps on each sync) with the outcomes the cadre records
//! by hand. The protocol and the sender are `rembug-sync`'s; the enrollment
//! and receipt files come from a native dialog, never from the window.

use std::io::Read;
use std::sync::Arc;

use rembug_core::answers::{MeetingReview, OutcomeForm, UsulanOutcome};
use rembug_core::device::DeviceIdentity;
use rembug_core::error::ErrorReply;
use rembug_core::sending::{EnrollAnswer, OfficeSummary, OutboxRow, OutboxView, ReceiptOpened};
use rembug_core::trust::ReceiptFile;
use rembug_core::{CoreError, Store};
use rembug_sync::enroll::{Enrolled, OfficeKeyChange, enroll_from_file, enroll_online};
use rembug_sync::outbox::SyncError;
use rembug_sync::receipt_file::{ReceiptFileError, accept_receipt_file};
use tauri::{AppHandle, State};

use super::{Reply, reply};
use crate::dialogs::{self, Dialog};
use crate::sending::Sending;
use crate::state::AppState;

/// An enrollment file is a few kilobytes; anything much larger is not one.
const ENROLLMENT_FILE_MAX_BYTES: u64 = 64 * 1024;

fn sync_reply(error: &SyncError) -> ErrorReply {
    match error {
        SyncError::Core(core) => ErrorReply::from(core),
        other => ErrorReply { code: other.code().to_owned(), fields: Vec::new() },
    }
}

pub fn office_summary(state: State<'_, AppState>) -> Reply<Option<OfficeSummary>> {
    let store = state.store()?;
    reply(OfficeSummary::read(&store))
}

/// Enrolls with the office at `office_url` with the code the cadre was
/// given. When the office's key differs from the one bundles are encrypted
/// to now, nothing is kept (and the code is not spent) unless
/// `confirm_key` is the new key's fingerprint, which the cadre confirmed.
pub fn enroll_office(
    state: State<'_, AppState>,
    office_url: String,
    code: String,
    confirm_key: Option<String>,
) -> Reply<EnrollAnswer> {
    not_practising(&state)?;
    let opened = state.store()?;
    let (store, _, data_dir) = opened.parts();
    // The engine shares the identity with its client: its own copy, from the
    // key file the app loaded at start.
    let device = Arc::new(reply(DeviceIdentity::load_or_create(data_dir))?);
    let mut confirm = confirmed_by(confirm_key);
    let enrolled = enroll_online(store, data_dir, device, office_url.trim(), &code, &mut confirm);
    answer(opened.sending(), store, enrolled)
}

/// Asks for an enrollment file (from a USB stick) and enrolls from it; null
/// when the user closed the dialog. To confirm a change of office key, the
/// window calls again with `confirm_key`: the file picked the first time is
/// used, without a second dialog.
pub fn enroll_office_file(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
    filter_label: String,
    confirm_key: Option<String>,
) -> Reply<Option<EnrollAnswer>> {
    not_practising(&state)?;
    let kept = confirm_key.as_ref().and_then(|_| state.pending().enrollment_file.take());
    let text = match kept {
        Some(text) => text,
        None => match pick_small_file(&app, &title, &filter_label, ENROLLMENT_FILE_MAX_BYTES) {
            None => return Ok(None),
            Some(None) => return Err(sync_reply(&SyncError::EnrollmentFileInvalid)),
            Some(Some(text)) => text,
        },
    };
    let opened = state.store()?;
    let (store, _, data_dir) = opened.parts();
    let mut confirm = confirmed_by(confirm_key);
    let enrolled = enroll_from_file(store, data_dir, &text, &mut confirm);
    if matches!(enrolled, Err(SyncError::OfficeChangeNotConfirmed { .. })) {
        state.pending().enrollment_file = Some(text);
    }
    answer(opened.sending(), store, enrolled).map(Some)
}

/// The practice folder's demo meetings are never sent: it is not enrolled.
fn not_practising(state: &AppState) -> Reply<()> {
    if state.practising() { Err(ErrorReply::from(&CoreError::PracticeNotSent)) } else { Ok(()) }
}

/// Accepts a change of office key only when the cadre confirmed that very
/// key.
fn confirmed_by(confirm_key: Option<String>) -> impl FnMut(&OfficeKeyChange) -> bool {
    move |change| confirm_key.as_deref() == Some(change.new.as_str())
}

fn answer(sending: &Sending, store: &Store, enrolled: Result<Enrolled, SyncError>) -> Reply<EnrollAnswer> {
    match enrolled {
        Ok(_) => {
            sending.send_now(store)?;
            let office = reply(OfficeSummary::read(store))?;
            office
                .map(|office| EnrollAnswer::Enrolled { office })
                .ok_or_else(|| ErrorReply::from(&CoreError::NotFound { entity: "enrollment" }))
        }
        Err(SyncError::OfficeChangeNotConfirmed { current, new }) => {
            Ok(EnrollAnswer::ConfirmKeyChange { current, new })
        }
        Err(error) => Err(sync_reply(&error)),
    }
}

/// Every locked meeting with its bundle's state and its signed pages', the
/// bytes of the one under way, and why the last round could not run.
pub fn outbox(state: State<'_, AppState>) -> Reply<OutboxView> {
    let opened = state.store()?;
    let live = opened.sending().live();
    let store: &Store = &opened;
    let rows = reply(store.outbox())?
        .into_iter()
        .map(|item| {
            let sent = live.sent_bytes(&item.meeting.id);
            let signed_pages = reply(store.signed_pages_sending(&item.meeting.id))?;
            Ok(OutboxRow::new(item, signed_pages, sent))
        })
        .collect::<Reply<_>>()?;
    Ok(OutboxView { enrolled: reply(store.enrollment())?.is_some(), rows, failure: live.failure })
}

/// "Kirim sekarang": every bundle not delivered, refused ones included, is
/// tried at once.
pub fn send_now(state: State<'_, AppState>) -> Reply<()> {
    let opened = state.store()?;
    if reply(opened.enrollment())?.is_none() {
        return Err(sync_reply(&SyncError::NotEnrolled));
    }
    opened.sending().send_now(&opened)
}

/// The meetings the office holds (with a receipt kept): "Terkirim" in the
/// home list.
pub fn delivered_meetings(state: State<'_, AppState>) -> Reply<Vec<String>> {
    let items = reply(state.store()?.outbox())?;
    Ok(items.into_iter().filter(|item| item.is_delivered()).map(|item| item.meeting.id).collect())
}

/// Asks for a receipt file the office saved for a bundle (or the photos of
/// a meeting's signed pages) brought on a USB stick, checks it against the
/// enrolled office and keeps it: the meeting, or those photos, are
/// delivered as after a sync. Null when the user closed the dialog.
pub fn open_receipt_file(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
    filter_label: String,
) -> Reply<Option<ReceiptOpened>> {
    let text = match pick_small_file(&app, &title, &filter_label, ReceiptFile::MAX_BYTES) {
        None => return Ok(None),
        Some(None) => return Err(receipt_reply(&ReceiptFileError::Invalid)),
        Some(Some(text)) => text,
    };
    let opened = state.store()?;
    let (store, _, data_dir) = opened.parts();
    let device = reply(DeviceIdentity::load_or_create(data_dir))?;
    let accepted = accept_receipt_file(store, &device, &text).map_err(|error| receipt_reply(&error))?;
    Ok(Some(ReceiptOpened { already_delivered: accepted.already_delivered, pages: accepted.pages }))
}

fn receipt_reply(error: &ReceiptFileError) -> ErrorReply {
    match error {
        ReceiptFileError::Sync(sync) => sync_reply(sync),
        other => ErrorReply { code: other.code().to_owned(), fields: Vec::new() },
    }
}

/// Asks for a small JSON file from a USB stick (an enrollment or a receipt
/// file) and reads it: `None` when the dialog was closed, `Some(None)` when
/// it cannot be read or is larger than `max` bytes.
fn pick_small_file(app: &AppHandle, title: &str, filter_label: &str, max: u64) -> Option<Option<String>> {
    let path = dialogs::pick_file(app, Dialog { title, filter: Some((filter_label, &["json"][..])), file_name: None })?;
    let mut text = String::new();
    let read = std::fs::File::open(&path).and_then(|file| file.take(max + 1).read_to_string(&mut text));
    Some((read.is_ok() && text.len() as u64 <= max).then_some(text))
}

/// The office's review of each meeting it answered: the home list and the
/// meeting page.
pub fn meeting_reviews(state: State<'_, AppState>) -> Reply<Vec<MeetingReview>> {
    Ok(reply(state.store()?.meeting_reviews())?.into_values().collect())
}

/// What became of each usulan of a meeting that has an outcome.
pub fn usulan_outcomes(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<UsulanOutcome>> {
    reply(state.store()?.usulan_outcomes(&meeting_id))
}

/// Records (or with no form removes) the cadre's own outcome of an usulan of
/// a locked meeting; answers the meeting's outcomes.
pub fn record_outcome(
    state: State<'_, AppState>,
    usulan_id: String,
    form: Option<OutcomeForm>,
) -> Reply<Vec<UsulanOutcome>> {
    reply(state.store()?.record_outcome_by_hand(&usulan_id, form.as_ref()))
}
