//! The paths, headers and JSON bodies of protocol version 1, and the codes of
//! the office's refusals. Field by field in `docs/sync-protocol.md`.

use rembug_core::trust::{OfficeIdentity, Scope, Signed};
use serde::{Deserialize, Serialize};

pub const PROTOCOL_VERSION: u32 = 1;

/// The office's paths. `{id}` is an upload id.
pub mod paths {
    pub const PREFLIGHT: &str = "/v1/preflight";
    pub const ENROLL: &str = "/v1/enroll";
    pub const ROSTER: &str = "/v1/roster";
    /// The office's answers about the requesting device's meetings.
    pub const ANSWERS: &str = "/v1/answers";
    pub const UPLOADS: &str = "/v1/uploads";

    /// `/v1/uploads/{id}`: its state (GET) and its chunks (PATCH).
    pub fn upload(id: &str) -> String {
        format!("{UPLOADS}/{id}")
    }

    /// `/v1/uploads/{id}/commit`.
    pub fn commit(id: &str) -> String {
        format!("{UPLOADS}/{id}/commit")
    }
}

/// Header names, lower case as HTTP/2 wants them.
pub mod headers {
    pub const DEVICE: &str = "rembug-device";
    pub const TIME: &str = "rembug-time";
    pub const NONCE: &str = "rembug-nonce";
    pub const BODY_SHA256: &str = "rembug-body-sha256";
    pub const SIGNATURE: &str = "rembug-signature";
    /// On a PATCH: the offset at which its chunk starts.
    pub const UPLOAD_OFFSET: &str = "upload-offset";
}

/// The largest chunk the office takes in one PATCH.
pub const MAX_CHUNK_BYTES: u64 = 4 * 1024 * 1024;
/// The status of a chunk whose bytes do not match its checksum (as in tus).
pub const STATUS_CHECKSUM_MISMATCH: u16 = 460;

/// Tag of the office's signature in a preflight answer.
pub const PREFLIGHT_TAG: &str = "rembug-preflight-v1";
/// Tag of the device's signature in an enrollment request.
pub const ENROLL_TAG: &str = "rembug-enroll-v1";

/// `GET /v1/answers`: the signed answers (`rembug_core::trust::Answers`)
/// about the requesting device's delivered meetings, and the signed roster of
/// its kelurahan, both fresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersReply {
    pub answers: Signed,
    pub roster: Signed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreflightRequest {
    /// 32 random bytes, hex.
    pub challenge: String,
}

/// Signed over `{challenge}\n{office_time}` with [`PREFLIGHT_TAG`]: only
/// the real office can answer, so a wifi login page or a proxy cannot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreflightAnswer {
    pub protocol: u32,
    pub office: OfficeIdentity,
    /// Unix seconds by the office's clock: the time devices sign requests with.
    pub office_time: i64,
    pub signature: String,
}

impl PreflightAnswer {
    pub fn signed_message(challenge: &str, office_time: i64) -> Vec<u8> {
        format!("{challenge}\n{office_time}").into_bytes()
    }
}

/// The device's signature (with [`ENROLL_TAG`], over the normalised code)
/// proves it holds the key it registers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    pub code: String,
    /// Ed25519 public key, hex.
    pub public_key: String,
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollAnswer {
    pub office: OfficeIdentity,
    pub device_id: String,
    pub scope: Scope,
    /// The roster of the device's kelurahan, the device itself on it.
    pub roster: Signed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateUpload {
    /// Of the whole bundle file: what the upload is known by.
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadState {
    pub upload_id: String,
    /// How many bytes the office holds, durably.
    pub offset: u64,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitAnswer {
    /// A [`rembug_core::trust::Receipt`].
    pub receipt: Signed,
    /// The bundle id of the revision this correction replaces.
    pub replaces: Option<String>,
}

/// Every refusal's body. `code` is a [`SyncErrorCode`], or for a bundle that
/// fails verification (422) the verifier's own code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    /// English, for logs and scripts; the app translates `code`.
    pub message: String,
}

/// Why the office refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SyncErrorCode {
    /// 400: a body or header the protocol does not allow.
    BadRequest,
    /// 401: no or malformed authentication headers.
    Unauthenticated,
    /// 401: the signature does not match the request or the device's key.
    SignatureInvalid,
    /// 401: the request's time is too far from the office's clock.
    ClockSkew,
    /// 401: this nonce was used already.
    Replayed,
    /// 401: no device is enrolled with this key.
    DeviceUnknown,
    /// 403: the office revoked this device.
    DeviceRevoked,
    /// 400: not a code the office made.
    CodeInvalid,
    /// 410: the code's time is over.
    CodeExpired,
    /// 410: the code was used by another device.
    CodeUsed,
    /// 429: too many wrong codes from this address; wait.
    TooManyAttempts,
    /// 403: the meeting is outside the device's kelurahan or RW.
    OutOfScope,
    /// 403: the bundle was signed by another device.
    NotOwnBundle,
    /// 404.
    UploadNotFound,
    /// 409: the chunk does not start where the office's copy ends.
    OffsetMismatch,
    /// 460: the chunk's bytes do not match its checksum; send it again.
    ChecksumMismatch,
    /// 413: over the office's size limit for a bundle or a chunk.
    TooLarge,
    /// 409: the bytes received do not add up to the declared size or hash.
    SizeMismatch,
    /// 409: commit before the last byte arrived.
    Incomplete,
    /// 429: too many uploads at once from this device.
    TooManyUploads,
    /// 409: the office holds this meeting revision with other content.
    RevisionConflict,
    /// 409: a correction that does not follow the rules (same device or RW,
    /// names the revision it replaces, the next number).
    CorrectionInvalid,
    /// 409: signed pages of a meeting revision the office does not hold
    /// (yet): its bundle is delivered first.
    RevisionUnknown,
    /// 500.
    Internal,
}

impl SyncErrorCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The HTTP status the office answers with.
    pub fn status(self) -> u16 {
        use SyncErrorCode::*;
        match self {
            BadRequest | CodeInvalid => 400,
            Unauthenticated | SignatureInvalid | ClockSkew | Replayed | DeviceUnknown => 401,
            DeviceRevoked | OutOfScope | NotOwnBundle => 403,
            UploadNotFound => 404,
            OffsetMismatch | SizeMismatch | Incomplete | RevisionConflict | CorrectionInvalid | RevisionUnknown => 409,
            CodeExpired | CodeUsed => 410,
            TooLarge => 413,
            TooManyAttempts | TooManyUploads => 429,
            ChecksumMismatch => STATUS_CHECKSUM_MISMATCH,
            Internal => 500,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_from_their_strings() {
        for code in [SyncErrorCode::ChecksumMismatch, SyncErrorCode::CorrectionInvalid, SyncErrorCode::Replayed] {
            assert_eq!(code.as_str().parse::<SyncErrorCode>(), Ok(code));
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{}\"", code.as_str()));
        }
        assert_eq!(SyncErrorCode::ChecksumMismatch.as_str(), "checksum_mismatch");
        assert_eq!(SyncErrorCode::ChecksumMismatch.status(), 460);
    }

    #[test]
    fn upload_paths_name_their_upload() {
        assert_eq!(paths::upload("u1"), "/v1/uploads/u1");
        assert_eq!(paths::commit("u1"), "/v1/uploads/u1/commit");
    }
}
