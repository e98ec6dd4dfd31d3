//! What the window sees of sending to the city office: the office this
//! device is enrolled with (Settings → Kantor), what an enrollment answered,
//! and each locked meeting's state on the "Kirim ke kantor" screen. The
//! protocol and the sender are `rembug-sync`'s; these are only the shapes
//! the shell fills from the store and from the background sender.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::meeting::MeetingSummary;
use crate::outbox::{OutboxItem, OutboxState};
use crate::signed_pages::SignedPagesSending;
use crate::store::Store;
use crate::tanggal::DateText;

/// The enrolled office as Settings → Kantor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OfficeSummary {
    pub office_url: String,
    pub name: String,
    pub city: String,
    /// Of the office's signing key: the cadre compares it with the one
    /// printed on the enrollment slip.
    pub fingerprint: String,
    pub kelurahan_code: String,
    /// Null for a code this laptop's wilayah list does not hold.
    pub kelurahan_name: Option<String>,
    pub rw: Option<u16>,
    /// Enrolled from a file: the office registers the device on its first
    /// contact.
    pub pending: bool,
}

impl OfficeSummary {
    /// The office this device is enrolled with, if any.
    pub fn read(store: &Store) -> Result<Option<OfficeSummary>> {
        let Some(enrollment) = store.enrollment()? else {
            return Ok(None);
        };
        let kelurahan_name = store
            .list_kelurahan()?
            .into_iter()
            .find(|kelurahan| kelurahan.code == enrollment.scope.kelurahan_code)
            .map(|kelurahan| kelurahan.name);
        Ok(Some(OfficeSummary {
            fingerprint: enrollment.office.fingerprint()?,
            office_url: enrollment.office_url,
            name: enrollment.office.name,
            city: enrollment.office.city,
            kelurahan_code: enrollment.scope.kelurahan_code,
            kelurahan_name,
            rw: enrollment.scope.rw,
            pending: enrollment.pending_code.is_some(),
        }))
    }
}

/// What an enrollment came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum EnrollAnswer {
    Enrolled {
        office: OfficeSummary,
    },
    /// The office's key is not the one bundles are encrypted to now: the
    /// cadre compares both fingerprints and confirms before anything is
    /// kept (an online code is not spent yet).
    ConfirmKeyChange {
        current: String,
        new: String,
    },
}

/// A locked meeting's bundle (or the file of its signed pages), in the
/// words the screen uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SendState {
    /// Belum dikirim: not sealed, or sealed and never tried.
    NotSent,
    /// Menunggu jaringan: a try failed for a passing reason.
    Waiting,
    /// Mengirim.
    Sending,
    /// Terkirim: the office's signed receipt is kept.
    Delivered,
    /// Ditolak: a retry does not change the office's answer.
    Refused,
}

/// One locked meeting on the "Kirim ke kantor" screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OutboxRow {
    pub meeting: MeetingSummary,
    pub state: SendState,
    /// What the office holds of the bundle (live while it is sent).
    #[ts(type = "number")]
    pub sent_bytes: u64,
    /// The bundle's size; 0 before it is sealed.
    #[ts(type = "number")]
    pub total_bytes: u64,
    pub attempts: u32,
    /// The last refusal or failure code (`network`, `out_of_scope`, …).
    pub last_error: Option<String>,
    /// UTC, RFC 3339: when a waiting bundle is tried again.
    pub next_attempt_at: Option<String>,
    /// UTC, RFC 3339, the office's clock: when it received the bundle.
    pub delivered_at: Option<String>,
    /// `next_attempt_at` and `delivered_at` in the meeting's zone, as the
    /// window writes them.
    pub next_attempt_at_text: Option<DateText>,
    pub delivered_at_text: Option<DateText>,
    pub bundle_sha256: Option<String>,
    /// The photos of its signed pages: how many, how many the office
    /// acknowledged, and where their file stands (backing off as a
    /// bundle does after a failed try).
    pub signed_pages: SignedPagesSending,
}

impl OutboxRow {
    /// `item` as the screen shows it, with its `signed_pages`;
    /// `live_sent_bytes` is what the sender reported of this meeting's
    /// bundle during the try under way.
    pub fn new(item: OutboxItem, signed_pages: SignedPagesSending, live_sent_bytes: Option<u64>) -> OutboxRow {
        let Some(entry) = item.entry else {
            return OutboxRow {
                meeting: item.meeting,
                state: SendState::NotSent,
                sent_bytes: 0,
                total_bytes: 0,
                attempts: 0,
                last_error: None,
                next_attempt_at: None,
                delivered_at: None,
                next_attempt_at_text: None,
                delivered_at_text: None,
                bundle_sha256: None,
                signed_pages,
            };
        };
        let state = match entry.state {
            OutboxState::Pending => SendState::NotSent,
            OutboxState::Waiting => SendState::Waiting,
            OutboxState::Sending => SendState::Sending,
            OutboxState::Delivered => SendState::Delivered,
            OutboxState::Refused => SendState::Refused,
        };
        let sent_bytes = match (state, live_sent_bytes) {
            (SendState::Sending, Some(live)) => live.max(entry.bytes_acknowledged),
            _ => entry.bytes_acknowledged,
        };
        let timezone = item.meeting.timezone;
        let text = |at: &Option<String>| at.as_deref().map(|at| DateText::instant(timezone, at));
        OutboxRow {
            next_attempt_at_text: text(&entry.next_attempt_at),
            delivered_at_text: text(&entry.delivered_at),
            meeting: item.meeting,
            state,
            sent_bytes: sent_bytes.min(entry.bundle_size),
            total_bytes: entry.bundle_size,
            attempts: entry.attempts,
            last_error: entry.last_error,
            next_attempt_at: entry.next_attempt_at,
            delivered_at: entry.delivered_at,
            bundle_sha256: Some(entry.bundle_sha256),
            signed_pages,
        }
    }
}

/// What opening a receipt file from the office did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReceiptOpened {
    /// The office's receipt was kept already (by a sync, or the same file).
    pub already_delivered: bool,
    /// For the receipt of a meeting's signed pages, how many photos it
    /// acknowledges; null for a meeting's bundle.
    pub pages: Option<u32>,
}

/// The "Kirim ke kantor" screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OutboxView {
    pub enrolled: bool,
    /// Every locked meeting revision, oldest lock first.
    pub rows: Vec<OutboxRow>,
    /// Why the sender's last round could not run at all (`network`,
    /// `not_the_office`, …); null when it ran.
    pub failure: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::{MeetingStatus, Stage, Timezone};
    use crate::outbox::OutboxEntry;

    fn item(state: Option<OutboxState>) -> OutboxItem {
        let meeting = MeetingSummary {
            id: "m".into(),
            stage: Stage::RembugWarga,
            status: MeetingStatus::Locked,
            kelurahan_code: "32.77.01.1001".into(),
            kelurahan_name: "Melong".into(),
            kecamatan_name: "Cimahi Selatan".into(),
            rw: Some(5),
            planning_year: 2027,
            date: "2026-01-14".into(),
            start_time: "19:30".into(),
            timezone: Timezone::Wib,
            revision: 1,
            date_text: DateText::date("2026-01-14"),
            start_time_text: DateText::time(Timezone::Wib, "19:30"),
        };
        let entry = state.map(|state| OutboxEntry {
            meeting_id: "m".into(),
            bundle_sha256: "a".repeat(64),
            bundle_size: 1000,
            sealed_for: "0".repeat(64),
            upload_id: None,
            bytes_acknowledged: 400,
            state,
            attempts: 2,
            last_error: Some("network".into()),
            next_attempt_at: None,
            receipt: None,
            delivered_at: None,
        });
        OutboxItem { meeting, locked_at: None, entry }
    }

    fn no_pages() -> SignedPagesSending {
        SignedPagesSending {
            page_count: 0,
            delivered_count: 0,
            delivered_at: None,
            state: SendState::NotSent,
            attempts: 0,
            last_error: None,
            next_attempt_at: None,
            next_attempt_at_text: None,
        }
    }

    #[test]
    fn each_outbox_state_reads_as_the_screens_word_with_its_bytes() {
        let row = OutboxRow::new(item(None), no_pages(), Some(300));
        assert_eq!((row.state, row.sent_bytes, row.total_bytes, row.bundle_sha256), (SendState::NotSent, 0, 0, None));
        for (state, word) in [
            (OutboxState::Pending, SendState::NotSent),
            (OutboxState::Waiting, SendState::Waiting),
            (OutboxState::Sending, SendState::Sending),
            (OutboxState::Delivered, SendState::Delivered),
            (OutboxState::Refused, SendState::Refused),
        ] {
            let row = OutboxRow::new(item(Some(state)), no_pages(), None);
            assert_eq!((row.state, row.sent_bytes, row.total_bytes, row.attempts), (word, 400, 1000, 2));
        }
        // The live count moves the bar only while a try is under way, and
        // never past the bundle or back behind what the office holds.
        assert_eq!(OutboxRow::new(item(Some(OutboxState::Sending)), no_pages(), Some(700)).sent_bytes, 700);
        assert_eq!(OutboxRow::new(item(Some(OutboxState::Sending)), no_pages(), Some(5000)).sent_bytes, 1000);
        assert_eq!(OutboxRow::new(item(Some(OutboxState::Sending)), no_pages(), Some(100)).sent_bytes, 400);
        assert_eq!(OutboxRow::new(item(Some(OutboxState::Waiting)), no_pages(), Some(700)).sent_bytes, 400);
    }

    #[test]
    fn a_rows_instants_read_in_the_meetings_zone() {
        let mut waiting = item(Some(OutboxState::Waiting));
        let entry = waiting.entry.as_mut().unwrap();
        entry.next_attempt_at = Some("2026-01-14T17:05:00Z".into());
        let row = OutboxRow::new(waiting, no_pages(), None);
        assert_eq!(row.next_attempt_at_text.map(|text| text.id), Some("Kamis, 15 Januari 2026 pukul 00.05 WIB".into()));
        assert_eq!(row.delivered_at_text, None);
    }
}
