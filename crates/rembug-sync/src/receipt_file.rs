//! A receipt brought on a USB stick: a cadre without a network takes the
//! bundle to the office, staff upload it in the dashboard and save its
//! receipt as a [`ReceiptFile`], and the cadre opens that file here. It is
//! checked as a sync commit's receipt is (the enrolled office's signature,
//! the bundle's SHA-256), then kept by the same code, so the meeting shows
//! as delivered exactly as after a sync (`docs/sync-protocol.md`). The
//! photos of a locked revision's signed pages travel the same way: the
//! receipt of their signed-pages file marks those photos delivered, so the
//! sync does not send them again.

use rembug_bundle::format::bundle_id;
use rembug_core::Store;
use rembug_core::device::DeviceIdentity;
use rembug_core::outbox::{OutboxItem, OutboxState};
use rembug_core::trust::{Receipt, ReceiptFile};

use crate::client::Verified;
use crate::outbox::{SyncError, bundle_path, record_delivered, seal_pages, sealed_entry};

/// Why a receipt file was not kept.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptFileError {
    /// Not a receipt file (another file, damaged, or another version).
    #[error("not a receipt file")]
    Invalid,
    /// Signed by another office than the one this device is enrolled with.
    #[error("the receipt file is from another office")]
    OtherOffice,
    /// The office's signature does not verify: the file was changed.
    #[error("the office's signature on the receipt does not verify")]
    SignatureInvalid,
    /// No locked meeting of this device seals to the receipt's bundle, nor
    /// its signed pages to the receipt's file.
    #[error("the receipt is for no bundle this device sealed")]
    NotOurs,
    #[error(transparent)]
    Sync(#[from] SyncError),
}

impl From<rembug_core::CoreError> for ReceiptFileError {
    fn from(error: rembug_core::CoreError) -> Self {
        ReceiptFileError::Sync(error.into())
    }
}

impl ReceiptFileError {
    /// A stable code the CLI prints and the app translates.
    pub fn code(&self) -> &str {
        match self {
            ReceiptFileError::Invalid => "receipt_file_invalid",
            ReceiptFileError::OtherOffice => "receipt_other_office",
            ReceiptFileError::SignatureInvalid => "receipt_signature_invalid",
            ReceiptFileError::NotOurs => "receipt_not_ours",
            ReceiptFileError::Sync(error) => error.code(),
        }
    }
}

/// A receipt file kept: the meeting it delivers and whether it was
/// delivered before (by a sync, or the same file opened again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedReceipt {
    pub meeting_id: String,
    pub receipt: Receipt,
    pub already_delivered: bool,
    /// For the receipt of a meeting's signed pages, how many photos it
    /// acknowledges; none for a meeting's bundle.
    pub pages: Option<u32>,
}

/// Checks a receipt file's text and marks its meeting delivered: it must
/// name the office this device is enrolled with and carry that office's
/// signature, and its SHA-256 must be the bundle this device seals for the
/// meeting it names (found by its bundle id; sealing is deterministic, so
/// the bundle exported to the USB stick is sealed again for the enrolled
/// office's key and compared). A meeting delivered already stays as it is.
/// Otherwise it may be the receipt of a meeting's signed pages: the file of
/// every photo attached so far, sealed again the same way, must have its
/// SHA-256; its photos are then delivered as after a sync.
pub fn accept_receipt_file(
    store: &Store,
    device: &DeviceIdentity,
    text: &str,
) -> Result<AcceptedReceipt, ReceiptFileError> {
    let file = ReceiptFile::parse(text).map_err(|_| ReceiptFileError::Invalid)?;
    let enrollment = store.enrollment()?.ok_or(SyncError::NotEnrolled)?;
    let office = &enrollment.office;
    if file.office.key_id != office.key_id || file.office.signing_key != office.signing_key {
        return Err(ReceiptFileError::OtherOffice);
    }
    let key = office.verifying_key()?;
    let receipt: Receipt = file.receipt.open(&key).map_err(|_| ReceiptFileError::SignatureInvalid)?;
    if receipt.office_key_id != office.key_id {
        return Err(ReceiptFileError::SignatureInvalid);
    }
    let verified = Verified { document: receipt, signed: file.receipt };
    let Some(item) = meeting_of(store, device, &verified.document)? else {
        return pages_of(store, device, office, verified)?.ok_or(ReceiptFileError::NotOurs);
    };
    let receipt = verified.document;
    let meeting_id = item.meeting.id.clone();
    if let Some(entry) = item.entry.as_ref().filter(|entry| entry.state == OutboxState::Delivered) {
        if entry.bundle_sha256 != receipt.sha256 {
            return Err(ReceiptFileError::NotOurs);
        }
        return Ok(AcceptedReceipt { meeting_id, receipt, already_delivered: true, pages: None });
    }
    let entry = sealed_entry(store, device, &meeting_id, office, item.entry.as_ref())?;
    if entry.bundle_sha256 != receipt.sha256 {
        return Err(ReceiptFileError::NotOurs);
    }
    let path = bundle_path(&store.outbox_dir()?, &entry.bundle_sha256);
    let verified = Verified { document: receipt, signed: verified.signed };
    record_delivered(store, &meeting_id, &path, &verified)?;
    Ok(AcceptedReceipt { meeting_id, receipt: verified.document, already_delivered: false, pages: None })
}

/// The receipt of a meeting's signed pages, kept: one kept already, or the
/// file of the photos of a locked meeting not all acknowledged, sealed
/// again for the enrolled office, whose SHA-256 it names. None when it is
/// neither (another device's photos, or photos added since the file was
/// saved: that file is not the one sealed now).
fn pages_of(
    store: &Store,
    device: &DeviceIdentity,
    office: &rembug_core::trust::OfficeIdentity,
    receipt: Verified<Receipt>,
) -> Result<Option<AcceptedReceipt>, ReceiptFileError> {
    if let Some((meeting_id, pages)) = store.signed_pages_sent(&receipt.document.sha256)? {
        let receipt = receipt.document;
        return Ok(Some(AcceptedReceipt { meeting_id, receipt, already_delivered: true, pages: Some(pages) }));
    }
    for item in store.outbox()? {
        let meeting_id = item.meeting.id;
        if !store.signed_pages_sending(&meeting_id)?.undelivered() {
            continue;
        }
        let sealed = seal_pages(store, device, &meeting_id, office)?;
        let _ = std::fs::remove_file(&sealed.path);
        if sealed.sha256 != receipt.document.sha256 {
            continue;
        }
        let pages = sealed.manifest.pages.len() as u32;
        let (signed, received_at) = (&receipt.signed, &receipt.document.received_at);
        store.record_signed_pages_sent(&meeting_id, &sealed.sha256, pages, signed, received_at)?;
        let receipt = receipt.document;
        return Ok(Some(AcceptedReceipt { meeting_id, receipt, already_delivered: false, pages: Some(pages) }));
    }
    Ok(None)
}

/// The locked meeting revision the receipt is about: the one whose outbox
/// bundle has its SHA-256, else the one whose bundle id (its frozen
/// content hash sealed by this device) it names.
fn meeting_of(store: &Store, device: &DeviceIdentity, receipt: &Receipt) -> Result<Option<OutboxItem>, SyncError> {
    let items = store.outbox()?;
    let by_sha = items.iter().position(|item| item.entry.as_ref().is_some_and(|e| e.bundle_sha256 == receipt.sha256));
    if let Some(index) = by_sha {
        return Ok(items.into_iter().nth(index));
    }
    let device_id = device.device_id();
    for item in items {
        let frozen = store.frozen_record(&item.meeting.id)?;
        if bundle_id(&frozen.content_hash, &device_id) == receipt.bundle_id {
            return Ok(Some(item));
        }
    }
    Ok(None)
}
