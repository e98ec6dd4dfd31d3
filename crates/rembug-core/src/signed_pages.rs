//! Photos of the signed papers (issue 11): once a meeting is locked, the
//! cadre photographs the berita acara, the daftar hadir and the daftar
//! usulan as they were signed in the hall and attaches them to the locked
//! revision (`store/signed_pages.rs`, table `signed_page`, append-only).
//! They are not part of what the revision says, so they travel in a small
//! bundle of their own, bound to the revision's content hash
//! (`docs/bundle-format.md`, "Signed pages"). A kelurahan laptop keeps the
//! public pages of an imported revision (table `imported_signed_page`); the
//! daftar hadir names and signatures of residents, so it is personal, like
//! the attendance sheets of a session bundle.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::sending::SendState;
use crate::string_enum::string_enum;
use crate::tanggal::DateText;

/// At most this many photographed pages of each paper.
pub const SIGNED_PAGES_PER_KIND: u32 = 20;

/// Which signed paper a photo shows.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    TS,
    IntoStaticStr,
    EnumString,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum PageKind {
    BeritaAcara,
    DaftarHadir,
    DaftarUsulan,
}

string_enum!(PageKind);

impl PageKind {
    /// The daftar hadir names residents and carries their signatures: it
    /// travels encrypted to the office and a kelurahan laptop never keeps it.
    pub fn is_personal(self) -> bool {
        self == PageKind::DaftarHadir
    }
}

/// One photographed page of a signed paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignedPage {
    pub kind: PageKind,
    /// 1 for the first page of that paper.
    pub position: u32,
    pub sha256: String,
    pub media_type: String,
    /// UTC, RFC 3339.
    pub added_at: String,
}

/// The signed pages a kelurahan laptop imported for a revision, and from
/// which bundles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPagesOrigin {
    pub bundle_sha256: String,
    /// The revision's content hash, as the signed-pages bundle names it.
    pub content_hash: String,
    pub meeting_id: String,
    pub revision: u32,
    /// The device that signed the signed-pages bundle.
    pub device_id: String,
}

/// What importing a signed-pages bundle did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignedPagesImported {
    /// The imported revision's bundle, whose page shows them.
    pub bundle_sha256: String,
    /// Public pages new to this laptop.
    pub added: u32,
    /// Pages this laptop does not keep (the daftar hadir).
    pub personal_skipped: u32,
}

/// How far the signed pages of a locked meeting got to the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignedPagesSending {
    /// Pages attached.
    pub page_count: u32,
    /// Pages the office acknowledged with a signed receipt.
    pub delivered_count: u32,
    /// The office's time on the last receipt, if any.
    pub delivered_at: Option<String>,
    /// Where the file of every page attached so far stands: `not_sent` (no
    /// page, or never tried), `waiting` (tried again at `next_attempt_at`),
    /// `delivered` (every page acknowledged) or `refused` (tried again only
    /// when the cadre asks, `last_error` says why). A page added since a
    /// failed try makes another file: `not_sent` again.
    pub state: SendState,
    /// Failed tries of that file.
    pub attempts: u32,
    /// The office's refusal code, or the device's (`network`, …).
    pub last_error: Option<String>,
    /// UTC, RFC 3339, by the laptop's clock: when a waiting file is tried again.
    pub next_attempt_at: Option<String>,
    /// `next_attempt_at` in the meeting's zone, as the window shows it.
    pub next_attempt_at_text: Option<DateText>,
}

impl SignedPagesSending {
    /// Photos attached that the office has not all acknowledged.
    pub fn undelivered(&self) -> bool {
        self.page_count > self.delivered_count
    }
}
