//! What a device does after a failed request (`docs/sync-protocol.md`,
//! "Codes"): pure functions, so the policy is tested without a network.
//! Passing trouble (no network, a wifi login page, the office busy or
//! failing) is tried again, at once a few times within a round and then
//! after an exponential backoff with jitter; a refusal that only the cadre
//! or the office can change stops with its code, which the app translates.

use std::time::Duration;

use crate::client::ClientError;
use crate::messages::SyncErrorCode;

/// What to do about a failed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Passing trouble: try again (soon within a round, later across rounds).
    Retry,
    /// The office doubts our time or saw the nonce: a new preflight, then again.
    Preflight,
    /// The office's copy of the upload is not where we thought: ask its offset.
    AskOffset,
    /// The chunk arrived damaged: send it again.
    ResendChunk,
    /// The office lost the upload or its bytes did not add up: start it again.
    RestartUpload,
    /// Refused for a reason a retry does not change: stop, keep the code.
    Stop,
}

/// The policy of the protocol's code table.
pub fn next_step(error: &ClientError) -> Next {
    use SyncErrorCode::*;
    match error {
        // A receipt that does not verify is not a delivery; whatever answered
        // may not have been the office, so it is tried again later.
        ClientError::Network(_) | ClientError::NotTheOffice(_) | ClientError::ReceiptInvalid => Next::Retry,
        ClientError::OfficeUnknown | ClientError::InvalidUrl(_) => Next::Stop,
        ClientError::Refused { status, .. } => match error.sync_code() {
            Some(ClockSkew | Replayed) => Next::Preflight,
            Some(OffsetMismatch | Incomplete) => Next::AskOffset,
            Some(ChecksumMismatch) => Next::ResendChunk,
            Some(UploadNotFound | SizeMismatch) => Next::RestartUpload,
            // 429 (too many uploads, too many attempts) and 5xx pass.
            _ if *status == 429 || *status >= 500 => Next::Retry,
            // 403, 409 revision_conflict / correction_invalid, 422 with the
            // verifier's code, 413, 401 device_unknown, 400.
            _ => Next::Stop,
        },
    }
}

/// The first wait after a round failed, and the longest.
pub const FIRST_BACKOFF: Duration = Duration::from_secs(30);
pub const MAX_BACKOFF: Duration = Duration::from_secs(60 * 60);

/// How long to wait before the next round after `failures` failed rounds
/// in a row (1 for the first): `FIRST_BACKOFF` doubled each time up to
/// `MAX_BACKOFF`, then between half and all of it by `jitter` (in [0, 1)),
/// so laptops that lost the network together do not return together.
pub fn backoff(failures: u32, jitter: f64) -> Duration {
    let doubled = FIRST_BACKOFF.saturating_mul(1u32.checked_shl(failures.saturating_sub(1)).unwrap_or(u32::MAX));
    let ceiling = doubled.min(MAX_BACKOFF);
    ceiling.mul_f64(0.5 + jitter.clamp(0.0, 1.0) / 2.0)
}

/// The short waits between tries within one round (a link that drops every
/// few seconds): 50 ms doubling to 2 s, with the same jitter.
pub fn quick_backoff(tries: u32, jitter: f64) -> Duration {
    let doubled = Duration::from_millis(50).saturating_mul(1u32.checked_shl(tries.min(16)).unwrap_or(u32::MAX));
    doubled.min(Duration::from_secs(2)).mul_f64(0.5 + jitter.clamp(0.0, 1.0) / 2.0)
}

/// A jitter in [0, 1) from the OS random source.
pub fn random_jitter() -> f64 {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, code: &str) -> ClientError {
        ClientError::Refused { status, code: code.into(), message: String::new() }
    }

    #[test]
    fn passing_trouble_is_retried_and_refusals_stop_with_their_code() {
        for error in [
            ClientError::Network("reset".into()),
            ClientError::NotTheOffice("200 without JSON".into()),
            ClientError::ReceiptInvalid,
            refused(500, "internal"),
            refused(503, "whatever"),
            refused(429, "too_many_uploads"),
        ] {
            assert_eq!(next_step(&error), Next::Retry, "{error}");
        }
        for (status, code) in [
            (403, "device_revoked"),
            (403, "out_of_scope"),
            (403, "not_own_bundle"),
            (409, "revision_conflict"),
            (409, "correction_invalid"),
            (422, "hash_mismatch"),
            (422, "signature_invalid"),
            (413, "too_large"),
            (401, "device_unknown"),
            (400, "bad_request"),
        ] {
            let error = refused(status, code);
            assert_eq!(next_step(&error), Next::Stop, "{error}");
            assert_eq!(error.code(), code, "the app translates the code kept");
        }
        assert_eq!(next_step(&ClientError::OfficeUnknown), Next::Stop);
    }

    #[test]
    fn protocol_answers_lead_to_their_own_step() {
        assert_eq!(next_step(&refused(401, "clock_skew")), Next::Preflight);
        assert_eq!(next_step(&refused(401, "replayed")), Next::Preflight);
        assert_eq!(next_step(&refused(409, "offset_mismatch")), Next::AskOffset);
        assert_eq!(next_step(&refused(409, "incomplete")), Next::AskOffset);
        assert_eq!(next_step(&refused(460, "checksum_mismatch")), Next::ResendChunk);
        assert_eq!(next_step(&refused(404, "upload_not_found")), Next::RestartUpload);
        assert_eq!(next_step(&refused(409, "size_mismatch")), Next::RestartUpload);
    }

    #[test]
    fn backoff_doubles_up_to_its_ceiling_with_jitter_between_half_and_all() {
        assert_eq!(backoff(1, 0.999_999), FIRST_BACKOFF.mul_f64(0.999_999_5));
        assert_eq!(backoff(1, 0.0), FIRST_BACKOFF / 2);
        assert_eq!(backoff(2, 0.0), FIRST_BACKOFF);
        assert_eq!(backoff(4, 0.0), FIRST_BACKOFF * 4);
        assert_eq!(backoff(8, 0.0), MAX_BACKOFF / 2);
        assert_eq!(backoff(1000, 0.0), MAX_BACKOFF / 2, "no overflow");
        assert_eq!(backoff(0, 0.0), FIRST_BACKOFF / 2);
        let waits: Vec<Duration> = (1..12).map(|failures| backoff(failures, 0.5)).collect();
        assert!(waits.windows(2).all(|pair| pair[0] <= pair[1]));
        assert!(waits.iter().all(|wait| *wait <= MAX_BACKOFF));
        assert_eq!(quick_backoff(0, 0.0), Duration::from_millis(25));
        assert_eq!(quick_backoff(100, 0.0), Duration::from_secs(1));
    }

    #[test]
    fn jitter_stays_in_its_range() {
        for _ in 0..1000 {
            let jitter = random_jitter();
            assert!((0.0..1.0).contains(&jitter));
        }
    }
}
