//! Sending locked meetings to the city office: what the device keeps of its
//! enrollment with the office and, per locked meeting revision, how far its
//! bundle has got (`store/outbox.rs`, table `outbox`). The protocol itself is
//! `rembug-sync`'s; the core only keeps its state.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

use crate::meeting::MeetingSummary;
use crate::store::now_utc;
use crate::string_enum::string_enum;
use crate::trust::{OfficeIdentity, Scope, Signed};

/// The office this device delivers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enrollment {
    /// `https://…` or `http://…`, no trailing slash.
    pub office_url: String,
    pub office: OfficeIdentity,
    pub scope: Scope,
    /// SHA-256 (hex) of the office's TLS certificate, pinned; none for plain HTTP.
    pub tls_certificate_sha256: Option<String>,
    /// The code of an enrollment file while the office has not seen this
    /// device yet: registration completes on first contact.
    pub pending_code: Option<String>,
    /// UTC, RFC 3339, by the laptop's clock (for display only).
    pub enrolled_at: String,
}

impl Enrollment {
    /// An enrollment made now.
    pub fn new(
        office_url: &str,
        office: OfficeIdentity,
        scope: Scope,
        tls_certificate_sha256: Option<String>,
        pending_code: Option<String>,
    ) -> Enrollment {
        Enrollment {
            office_url: office_url.trim_end_matches('/').to_owned(),
            office,
            scope,
            tls_certificate_sha256,
            pending_code,
            enrolled_at: now_utc(),
        }
    }
}

/// Where a locked revision's bundle stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OutboxState {
    /// Sealed, never tried.
    Pending,
    /// A try failed for a reason that passes (no network, a login page, the
    /// office busy); the next is at `next_attempt_at`.
    Waiting,
    /// A try is under way, or was cut short by the app stopping.
    Sending,
    /// The office's receipt is checked and kept.
    Delivered,
    /// The office refused it for a reason a retry does not change.
    Refused,
}

string_enum!(OutboxState);

/// One locked revision's bundle on its way to the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    pub meeting_id: String,
    /// Of the bundle file, `outbox/<sha256>.rembug` in the data folder.
    pub bundle_sha256: String,
    pub bundle_size: u64,
    /// The office encryption key (hex) the bundle is sealed to.
    pub sealed_for: String,
    pub upload_id: Option<String>,
    /// What the office last said it holds.
    pub bytes_acknowledged: u64,
    pub state: OutboxState,
    pub attempts: u32,
    /// The office's refusal code, or the device's (`network`, `not_office`, …).
    pub last_error: Option<String>,
    /// UTC, RFC 3339, by the laptop's clock.
    pub next_attempt_at: Option<String>,
    /// The office's signed receipt (a `trust::Receipt`), once delivered.
    pub receipt: Option<Signed>,
    /// The receipt's `received_at`: the office's clock.
    pub delivered_at: Option<String>,
}

/// A locked meeting revision and, once sealed for sending, its outbox entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxItem {
    pub meeting: MeetingSummary,
    pub locked_at: Option<String>,
    pub entry: Option<OutboxEntry>,
}

impl OutboxItem {
    pub fn is_delivered(&self) -> bool {
        self.entry.as_ref().is_some_and(|entry| entry.state == OutboxState::Delivered)
    }
}
