//! What the city office signs and every device checks: the office's identity,
//! the receipt for a delivered bundle, the roster of enrolled devices per
//! kelurahan and the enrollment file carried on a USB stick
//! (`docs/sync-protocol.md`). A bundle's own signature proves only that it is
//! unchanged; these documents say whom to trust.
//!
//! Each document travels as a [`Signed`] envelope: the body is kept as the
//! exact JSON text that was signed, so checking needs no canonical JSON, and
//! every kind of document signs under its own tag so a signature made for
//! one kind can never pass as another.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::answers::{OutcomeKind, ReviewState};
use crate::device::{device_id_of, fingerprint_of};
use crate::error::{CoreError, Result};
use crate::hex;
use crate::wilayah::Kelurahan;

/// What a device knows of its office after enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeIdentity {
    pub name: String,
    pub city: String,
    /// Ed25519 public key (hex) that signs receipts, rosters and answers.
    pub signing_key: String,
    /// X25519 public key (hex) the personal part of bundles is encrypted to.
    pub encryption_key: String,
    /// [`key_id_of`] the signing key: what receipts name.
    pub key_id: String,
}

impl OfficeIdentity {
    pub fn new(name: &str, city: &str, signing_key: &[u8; 32], encryption_key: &[u8; 32]) -> OfficeIdentity {
        OfficeIdentity {
            name: name.to_owned(),
            city: city.to_owned(),
            signing_key: hex::encode(signing_key),
            encryption_key: hex::encode(encryption_key),
            key_id: key_id_of(signing_key),
        }
    }

    /// The signing key, checked to be a valid Ed25519 point named by `key_id`.
    pub fn verifying_key(&self) -> Result<VerifyingKey> {
        let bytes = hex::decode32(&self.signing_key).ok_or_else(|| invalid("office"))?;
        if key_id_of(&bytes) != self.key_id {
            return Err(invalid("office"));
        }
        VerifyingKey::from_bytes(&bytes).map_err(|_| invalid("office"))
    }

    pub fn encryption_key_bytes(&self) -> Result<[u8; 32]> {
        hex::decode32(&self.encryption_key).ok_or_else(|| invalid("office"))
    }

    /// The signing key's fingerprint, as printed on the enrollment slip.
    pub fn fingerprint(&self) -> Result<String> {
        Ok(fingerprint_of(&self.verifying_key()?.to_bytes()))
    }
}

/// The key id of an office signing key: like a device id, the hex SHA-256 of
/// the public key.
pub fn key_id_of(public_key: &[u8; 32]) -> String {
    device_id_of(public_key)
}

/// Where an enrolled device may deliver: one kelurahan, or one RW of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Kemendagri code, `32.77.01.1001`.
    pub kelurahan_code: String,
    pub rw: Option<u16>,
}

impl Scope {
    /// Whether a meeting of this kelurahan and RW (none for a kelurahan
    /// meeting) lies inside the scope.
    pub fn covers(&self, kelurahan_code: &str, rw: Option<u16>) -> bool {
        self.kelurahan_code == kelurahan_code && (self.rw.is_none() || self.rw == rw)
    }
}

/// The office's proof that it holds a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub bundle_id: String,
    /// Of the whole bundle file.
    pub sha256: String,
    /// RFC 3339, UTC, by the office's clock.
    pub received_at: String,
    pub office_key_id: String,
}

/// The office's list of the devices enrolled for one kelurahan, revoked ones
/// included, so a kelurahan laptop can tell an RW's device from anybody's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    pub kelurahan_code: String,
    /// RFC 3339, UTC, by the office's clock.
    pub issued_at: String,
    /// Grows with every change: a device keeps the highest it has seen.
    pub serial: u64,
    pub devices: Vec<RosterDevice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterDevice {
    pub device_id: String,
    /// Ed25519 (hex).
    pub public_key: String,
    pub fingerprint: String,
    /// The RW it was enrolled for; none for a kelurahan-level device.
    pub rw: Option<u16>,
    /// RFC 3339, UTC; set once the office revoked it.
    pub revoked_at: Option<String>,
}

impl Roster {
    pub fn device(&self, device_id: &str) -> Option<&RosterDevice> {
        self.devices.iter().find(|device| device.device_id == device_id)
    }
}

/// An enrollment made at the office without a network: opened from a USB
/// stick, it tells the device its office; registration with `code` completes
/// on first contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollmentFile {
    pub office: OfficeIdentity,
    /// The office's address, `https://…` or `http://…`.
    pub url: String,
    pub code: String,
    pub scope: Scope,
    /// RFC 3339, UTC.
    pub expires_at: String,
    /// SHA-256 (hex) of the office's TLS certificate (DER), which the device
    /// pins; none for plain HTTP.
    pub tls_certificate_sha256: Option<String>,
}

/// A receipt carried on a USB stick: the office's signed [`Receipt`] for a
/// bundle that came to the office by hand, exactly as a sync commit answers
/// it, with the office that signed it. Saved by staff from the dashboard as
/// [`ReceiptFile::file_name`], opened by the cadre's device, which checks it
/// against the office it is enrolled with (`docs/sync-protocol.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptFile {
    /// Always [`ReceiptFile::KIND`].
    pub kind: String,
    /// Always [`ReceiptFile::VERSION`].
    pub version: u32,
    pub office: OfficeIdentity,
    /// The office's signed [`Receipt`].
    pub receipt: Signed,
}

impl ReceiptFile {
    pub const KIND: &'static str = "rembug-tanda-terima";
    pub const VERSION: u32 = 1;
    /// A receipt file is one short JSON document; anything larger is not one.
    pub const MAX_BYTES: u64 = 64 * 1024;

    pub fn new(office: OfficeIdentity, receipt: Signed) -> ReceiptFile {
        ReceiptFile { kind: Self::KIND.to_owned(), version: Self::VERSION, office, receipt }
    }

    /// `tanda-terima-<the first 12 hex digits of the bundle's SHA-256>.json`.
    pub fn file_name(bundle_sha256: &str) -> String {
        format!("tanda-terima-{}.json", short_hex(bundle_sha256))
    }

    /// The receipt of the photos of a revision's signed pages:
    /// `tanda-terima-foto-<the first 12 hex digits of the signed-pages
    /// file's SHA-256>.json`, so that on a USB stick it is told apart from
    /// its bundle's receipt ([`ReceiptFile::file_name`]) and neither
    /// overwrites the other. The content is the same kind of file.
    pub fn pages_file_name(pages_sha256: &str) -> String {
        format!("tanda-terima-foto-{}.json", short_hex(pages_sha256))
    }

    /// Reads a receipt file's text: its kind and version, not yet its
    /// signature (the device checks that against its own office).
    pub fn parse(text: &str) -> Result<ReceiptFile> {
        let file: ReceiptFile = serde_json::from_str(text).map_err(|_| invalid("receipt_file"))?;
        if file.kind != Self::KIND || file.version != Self::VERSION {
            return Err(invalid("receipt_file"));
        }
        Ok(file)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a receipt file serializes")
    }
}

/// The first 12 hex digits of a SHA-256, which name its receipt file.
fn short_hex(sha256: &str) -> &str {
    &sha256[..sha256.len().min(12)]
}

/// The office's answers to one device: the review of each meeting revision
/// it delivered and the outcome of each of their usulan. Issued afresh on
/// every sync; a device keeps the highest `serial` and ignores any other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// The device these answers are for: another device's never apply here.
    pub device_id: String,
    /// RFC 3339, UTC, by the office's clock.
    pub issued_at: String,
    /// The office's clock in Unix milliseconds when it signed: grows with
    /// each answer, so an older or replayed one is told apart.
    pub serial: u64,
    pub meetings: Vec<MeetingAnswer>,
    /// The office's wilayah of the device's kota/kabupaten, so a kelurahan
    /// the office added or renamed reaches the laptop's picker.
    #[serde(default)]
    pub wilayah: Vec<Kelurahan>,
    /// The office's OPD list, when it keeps one: it replaces the laptop's
    /// (`crate::opd`). Absent, the laptop's list stays as it is; skipped
    /// when absent so answers without it keep their bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opd: Option<Vec<String>>,
    /// The office's share of women the attendance should reach, in percent
    /// (0 to 100): it replaces the laptop's (`RecordingSettings`). Absent
    /// when the office sets none, and in answers signed before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub women_target_percent: Option<u8>,
    /// The office's range of delegates a meeting sends on; replaces the
    /// laptop's the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegates: Option<DelegateRange>,
}

/// How many delegates a meeting sends on: 1 to
/// [`DELEGATES_LIMIT`](crate::settings::DELEGATES_LIMIT), `min` at most `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegateRange {
    pub min: u8,
    pub max: u8,
}

impl DelegateRange {
    pub fn is_valid(self) -> bool {
        1 <= self.min && self.min <= self.max && usize::from(self.max) <= crate::settings::DELEGATES_LIMIT
    }
}

/// The review of one delivered meeting revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingAnswer {
    pub meeting_id: String,
    pub revision: u32,
    /// Of the bundle the office reviewed.
    pub bundle_sha256: String,
    pub review_state: ReviewState,
    /// Perlu perbaikan's note or ditolak's reason.
    pub note: Option<String>,
    /// Only the usulan the office gave an outcome, by their ids in the bundle.
    pub usulan: Vec<UsulanAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsulanAnswer {
    pub usulan_id: String,
    pub outcome: OutcomeKind,
    /// The program or OPD, the reason, or the other channel.
    pub detail: String,
}

/// The kinds of signed documents; each signs under its own tag.
pub trait Document: Serialize + DeserializeOwned {
    const TAG: &'static str;
}

impl Document for Receipt {
    const TAG: &'static str = "rembug-receipt-v1";
}

impl Document for Roster {
    const TAG: &'static str = "rembug-roster-v1";
}

impl Document for Answers {
    const TAG: &'static str = "rembug-answers-v1";
}

impl Document for EnrollmentFile {
    const TAG: &'static str = "rembug-enrollment-v1";
}

/// A document and the office's signature over `TAG`, a newline and `body`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signed {
    /// The document's JSON, exactly as signed.
    pub body: String,
    /// Ed25519 signature, 128 hex digits.
    pub signature: String,
}

impl Signed {
    pub fn sign<D: Document>(document: &D, key: &SigningKey) -> Signed {
        let body = serde_json::to_string(document).expect("documents serialize");
        let signature = key.sign(&tagged_message(D::TAG, body.as_bytes()));
        Signed { body, signature: hex::encode(&signature.to_bytes()) }
    }

    /// The document, once its signature by `key` is checked.
    pub fn open<D: Document>(&self, key: &VerifyingKey) -> Result<D> {
        let signature = decode_signature(&self.signature).ok_or_else(|| invalid(D::TAG))?;
        key.verify(&tagged_message(D::TAG, self.body.as_bytes()), &signature).map_err(|_| invalid(D::TAG))?;
        serde_json::from_str(&self.body).map_err(|_| invalid(D::TAG))
    }
}

/// Checks a signature made with [`sign_tagged`].
pub fn verify_tagged(key: &VerifyingKey, tag: &str, message: &[u8], signature_hex: &str) -> Result<()> {
    let signature = decode_signature(signature_hex).ok_or_else(|| invalid("signature"))?;
    key.verify(&tagged_message(tag, message), &signature).map_err(|_| invalid("signature"))
}

/// A signature over `tag`, a newline and `message`: the protocol's one way to
/// sign anything that is not a stored document (a preflight answer, a request).
pub fn sign_tagged(key: &SigningKey, tag: &str, message: &[u8]) -> String {
    hex::encode(&key.sign(&tagged_message(tag, message)).to_bytes())
}

/// What is signed for a `tag`: the tag, a newline, the message.
pub fn tagged_message(tag: &str, body: &[u8]) -> Vec<u8> {
    [tag.as_bytes(), b"\n", body].concat()
}

fn decode_signature(text: &str) -> Option<Signature> {
    if text.len() != 128 {
        return None;
    }
    let (first, second) = (hex::decode32(&text[..64])?, hex::decode32(&text[64..])?);
    let mut bytes = [0u8; 64];
    bytes[..32].copy_from_slice(&first);
    bytes[32..].copy_from_slice(&second);
    Some(Signature::from_bytes(&bytes))
}

fn invalid(document: &'static str) -> CoreError {
    CoreError::OfficeDocumentInvalid { document }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office_key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn receipt() -> Receipt {
        Receipt {
            bundle_id: "b".repeat(64),
            sha256: "a".repeat(64),
            received_at: "2026-12-07T03:15:00Z".into(),
            office_key_id: key_id_of(&office_key().verifying_key().to_bytes()),
        }
    }

    #[test]
    fn a_signed_receipt_opens_with_the_office_key_only() {
        let signed = Signed::sign(&receipt(), &office_key());
        assert_eq!(signed.open::<Receipt>(&office_key().verifying_key()).unwrap(), receipt());
        let stranger = SigningKey::from_bytes(&[8; 32]).verifying_key();
        assert_eq!(signed.open::<Receipt>(&stranger).unwrap_err().code(), "office_document_invalid");
    }

    #[test]
    fn a_changed_body_or_another_kind_of_document_is_refused() {
        let key = office_key().verifying_key();
        let signed = Signed::sign(&receipt(), &office_key());
        let mut changed = signed.clone();
        changed.body = changed.body.replace("03:15", "03:16");
        assert!(changed.open::<Receipt>(&key).is_err());
        // The same body signed as a roster does not pass as a receipt.
        let as_roster = Signed {
            body: signed.body.clone(),
            signature: hex::encode(&office_key().sign(&tagged_message(Roster::TAG, signed.body.as_bytes())).to_bytes()),
        };
        assert!(as_roster.open::<Receipt>(&key).is_err());
        let mut truncated = signed;
        truncated.signature.pop();
        assert!(truncated.open::<Receipt>(&key).is_err());
    }

    #[test]
    fn a_receipt_file_reads_back_and_refuses_another_kind_or_version() {
        let office = OfficeIdentity::new("Kantor", "Kota", &office_key().verifying_key().to_bytes(), &[9; 32]);
        let file = ReceiptFile::new(office, Signed::sign(&receipt(), &office_key()));
        let text = file.to_json();
        assert!(text.contains("\"kind\": \"rembug-tanda-terima\"") && text.contains("\"version\": 1"), "{text}");
        assert_eq!(ReceiptFile::parse(&text).unwrap(), file);
        let opened: Receipt = ReceiptFile::parse(&text).unwrap().receipt.open(&office_key().verifying_key()).unwrap();
        assert_eq!(opened, receipt());
        for wrong in
            [text.replace("rembug-tanda-terima", "rembug-tanda"), text.replace("\"version\": 1", "\"version\": 2")]
        {
            assert_eq!(ReceiptFile::parse(&wrong).unwrap_err().code(), "office_document_invalid");
        }
        assert!(ReceiptFile::parse("{}").is_err());
        assert_eq!(ReceiptFile::file_name(&"ab".repeat(32)), "tanda-terima-abababababab.json");
        // The photos' receipt of the same hex is another file on the stick.
        assert_eq!(ReceiptFile::pages_file_name(&"ab".repeat(32)), "tanda-terima-foto-abababababab.json");
    }

    #[test]
    fn an_office_identity_names_its_own_key() {
        let public = office_key().verifying_key().to_bytes();
        let mut office = OfficeIdentity::new("Bappelitbangda", "Kota Cimahi", &public, &[9; 32]);
        assert_eq!(office.verifying_key().unwrap().to_bytes(), public);
        assert_eq!(office.fingerprint().unwrap(), fingerprint_of(&public));
        office.key_id = "0".repeat(64);
        assert!(office.verifying_key().is_err());
    }

    #[test]
    fn a_scope_covers_its_kelurahan_or_only_its_rw() {
        let kelurahan = Scope { kelurahan_code: "32.77.01.1001".into(), rw: None };
        assert!(kelurahan.covers("32.77.01.1001", Some(8)));
        assert!(kelurahan.covers("32.77.01.1001", None));
        assert!(!kelurahan.covers("32.77.01.1002", Some(8)));
        let rw = Scope { rw: Some(8), ..kelurahan };
        assert!(rw.covers("32.77.01.1001", Some(8)));
        assert!(!rw.covers("32.77.01.1001", Some(9)));
        assert!(!rw.covers("32.77.01.1001", None));
    }

    #[test]
    fn tagged_signatures_check_tag_and_message() {
        let signature = sign_tagged(&office_key(), "rembug-preflight-v1", b"challenge");
        let key = office_key().verifying_key();
        assert!(verify_tagged(&key, "rembug-preflight-v1", b"challenge", &signature).is_ok());
        assert!(verify_tagged(&key, "rembug-preflight-v1", b"challengf", &signature).is_err());
        assert!(verify_tagged(&key, "rembug-request-v1", b"challenge", &signature).is_err());
    }
}
