//! How a device proves each request is its own and new: it signs the method,
//! the path, the office's time, a random nonce and the SHA-256 of the body.
//! The office accepts a time within [`CLOCK_WINDOW_SECS`] of its own clock
//! and each nonce once, so a captured request cannot be replayed. The time is
//! the office's, learned from the preflight: a laptop whose own clock is
//! years wrong still signs valid requests.

use ed25519_dalek::VerifyingKey;
use rembug_core::device::{DeviceIdentity, device_id_of};
use rembug_core::hex;
use rembug_core::trust::verify_tagged;

use crate::messages::{SyncErrorCode, headers};

pub const REQUEST_TAG: &str = "rembug-request-v1";
/// How far a request's time may be from the office's clock.
pub const CLOCK_WINDOW_SECS: i64 = 300;
/// How long the office remembers a nonce: past this, the time check alone
/// refuses a replay.
pub const NONCE_MEMORY_SECS: i64 = 2 * CLOCK_WINDOW_SECS;

/// What a request signature covers.
#[derive(Debug, Clone, Copy)]
pub struct RequestToSign<'a> {
    pub method: &'a str,
    /// The path and query, exactly as sent (`/v1/uploads/…`).
    pub path: &'a str,
    /// Unix seconds by the office's clock, as the device estimates it.
    pub office_time: i64,
    pub nonce: &'a str,
    /// Hex SHA-256 of the body (of the empty string when there is none).
    pub body_sha256: &'a str,
}

/// The headers that authenticate a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeaders {
    pub device_id: String,
    pub time: i64,
    pub nonce: String,
    pub body_sha256: String,
    pub signature: String,
}

impl RequestToSign<'_> {
    fn message(&self) -> Vec<u8> {
        let RequestToSign { method, path, office_time, nonce, body_sha256 } = self;
        format!("{method}\n{path}\n{office_time}\n{nonce}\n{body_sha256}").into_bytes()
    }

    pub fn sign(&self, device: &DeviceIdentity) -> AuthHeaders {
        AuthHeaders {
            device_id: device.device_id(),
            time: self.office_time,
            nonce: self.nonce.to_owned(),
            body_sha256: self.body_sha256.to_owned(),
            signature: hex::encode(&device.sign_tagged(REQUEST_TAG, &self.message())),
        }
    }
}

impl AuthHeaders {
    /// The header names and values to send.
    pub fn pairs(&self) -> [(&'static str, String); 5] {
        [
            (headers::DEVICE, self.device_id.clone()),
            (headers::TIME, self.time.to_string()),
            (headers::NONCE, self.nonce.clone()),
            (headers::BODY_SHA256, self.body_sha256.clone()),
            (headers::SIGNATURE, self.signature.clone()),
        ]
    }

    /// Reads the headers through `header` (a lookup by name), checking only
    /// their shape.
    pub fn read<'a>(header: impl Fn(&str) -> Option<&'a str>) -> Result<AuthHeaders, SyncErrorCode> {
        let value = |name| header(name).ok_or(SyncErrorCode::Unauthenticated);
        let auth = AuthHeaders {
            device_id: value(headers::DEVICE)?.to_owned(),
            time: value(headers::TIME)?.parse().map_err(|_| SyncErrorCode::Unauthenticated)?,
            nonce: value(headers::NONCE)?.to_owned(),
            body_sha256: value(headers::BODY_SHA256)?.to_owned(),
            signature: value(headers::SIGNATURE)?.to_owned(),
        };
        // 16 to 32 bytes, in hex.
        let nonce_ok = (32..=64).contains(&auth.nonce.len())
            && auth.nonce.len() % 2 == 0
            && auth.nonce.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex::is_sha256_hex(&auth.device_id) || !hex::is_sha256_hex(&auth.body_sha256) || !nonce_ok {
            return Err(SyncErrorCode::Unauthenticated);
        }
        Ok(auth)
    }

    /// Checks the signature by the device's key (found by the office from
    /// `device_id`) over this request, and the time against `office_now`.
    /// The nonce's novelty is the office's store's to check.
    pub fn verify(
        &self,
        method: &str,
        path: &str,
        public_key: &[u8; 32],
        office_now: i64,
    ) -> Result<(), SyncErrorCode> {
        if device_id_of(public_key) != self.device_id {
            return Err(SyncErrorCode::SignatureInvalid);
        }
        let key = VerifyingKey::from_bytes(public_key).map_err(|_| SyncErrorCode::SignatureInvalid)?;
        let request =
            RequestToSign { method, path, office_time: self.time, nonce: &self.nonce, body_sha256: &self.body_sha256 };
        verify_tagged(&key, REQUEST_TAG, &request.message(), &self.signature)
            .map_err(|_| SyncErrorCode::SignatureInvalid)?;
        if (self.time - office_now).abs() > CLOCK_WINDOW_SECS {
            return Err(SyncErrorCode::ClockSkew);
        }
        Ok(())
    }
}

/// A fresh random nonce: 16 bytes as 32 hex digits.
pub fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    hex::encode(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device() -> (tempfile::TempDir, DeviceIdentity) {
        let dir = tempfile::tempdir().unwrap();
        let device = DeviceIdentity::load_or_create(dir.path()).unwrap();
        (dir, device)
    }

    fn request<'a>(nonce: &'a str, body: &'a str) -> RequestToSign<'a> {
        RequestToSign { method: "POST", path: "/v1/uploads", office_time: 1_800_000_000, nonce, body_sha256: body }
    }

    #[test]
    fn a_signed_request_verifies_and_reads_back_from_its_headers() {
        let (_dir, device) = device();
        let (nonce, body) = (new_nonce(), hex::sha256_hex(b"{}"));
        let auth = request(&nonce, &body).sign(&device);
        let pairs = auth.pairs();
        let read = AuthHeaders::read(|name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())).unwrap();
        assert_eq!(read, auth);
        read.verify("POST", "/v1/uploads", &device.public_key(), 1_800_000_100).unwrap();
    }

    #[test]
    fn another_path_method_body_key_or_time_is_refused() {
        let (_dir, device) = device();
        let (_other_dir, other) = self::device();
        let (nonce, body) = (new_nonce(), hex::sha256_hex(b"{}"));
        let auth = request(&nonce, &body).sign(&device);
        let key = device.public_key();
        assert_eq!(auth.verify("POST", "/v1/roster", &key, 1_800_000_000), Err(SyncErrorCode::SignatureInvalid));
        assert_eq!(auth.verify("PATCH", "/v1/uploads", &key, 1_800_000_000), Err(SyncErrorCode::SignatureInvalid));
        let mut changed = auth.clone();
        changed.body_sha256 = hex::sha256_hex(b"[]");
        assert_eq!(changed.verify("POST", "/v1/uploads", &key, 1_800_000_000), Err(SyncErrorCode::SignatureInvalid));
        let foreign = other.public_key();
        assert_eq!(auth.verify("POST", "/v1/uploads", &foreign, 1_800_000_000), Err(SyncErrorCode::SignatureInvalid));
        let late = 1_800_000_000 + CLOCK_WINDOW_SECS + 1;
        assert_eq!(auth.verify("POST", "/v1/uploads", &key, late), Err(SyncErrorCode::ClockSkew));
    }

    #[test]
    fn malformed_headers_are_unauthenticated() {
        let (_dir, device) = device();
        let (nonce, body) = (new_nonce(), hex::sha256_hex(b""));
        let pairs = request(&nonce, &body).sign(&device).pairs();
        for missing in pairs.iter().map(|(name, _)| *name) {
            let lookup = |name: &str| {
                (name != missing).then(|| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())).flatten()
            };
            assert_eq!(AuthHeaders::read(lookup), Err(SyncErrorCode::Unauthenticated), "{missing}");
        }
        // Not hex, 15 bytes, 33 bytes, an odd number of digits.
        let odd = "a".repeat(33);
        for nonce in ["not hex", &"ab".repeat(15), &"ab".repeat(33), &odd] {
            let lookup = |name: &str| match name {
                headers::NONCE => Some(nonce),
                _ => pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str()),
            };
            assert_eq!(AuthHeaders::read(lookup), Err(SyncErrorCode::Unauthenticated), "{nonce}");
        }
    }
}
