-- Sending locked meetings to the city office (docs/sync-protocol.md).
--
-- The device's enrollment with its office: at most one row. `office_json` is
-- the office's identity (rembug_core::trust::OfficeIdentity) exactly as the
-- office signed it or answered it; `pending_code` holds the code of an
-- enrollment file until registration completes on first contact.
CREATE TABLE enrollment (
    id                      INTEGER PRIMARY KEY CHECK (id = 1),
    office_url              TEXT NOT NULL CHECK (office_url LIKE 'http://%' OR office_url LIKE 'https://%'),
    office_json             TEXT NOT NULL,
    kelurahan_code          TEXT NOT NULL,
    rw                      INTEGER CHECK (rw BETWEEN 1 AND 999),
    tls_certificate_sha256  TEXT CHECK (length(tls_certificate_sha256) = 64),
    pending_code            TEXT,
    enrolled_at             TEXT NOT NULL              -- UTC, RFC 3339, the laptop's clock
) STRICT;

-- One row per locked meeting revision once it is sealed for sending. The
-- outbox is about sending, not about what the meeting says: it is written
-- after the meeting is locked, so it carries none of migration 0006's lock
-- triggers (a revision does not copy it either: a correction is its own
-- revision with its own bundle).
CREATE TABLE outbox (
    meeting_id          TEXT PRIMARY KEY REFERENCES meeting (id),
    -- Of the bundle file outbox/<bundle_sha256>.rembug in the data folder.
    bundle_sha256       TEXT NOT NULL CHECK (length(bundle_sha256) = 64),
    bundle_size         INTEGER NOT NULL CHECK (bundle_size > 0),
    -- The office encryption key (hex) the bundle was sealed to: another
    -- office key means sealing again.
    sealed_for          TEXT NOT NULL CHECK (length(sealed_for) = 64),
    upload_id           TEXT,
    -- What the office said it holds, durably, at the last answer.
    bytes_acknowledged  INTEGER NOT NULL DEFAULT 0 CHECK (bytes_acknowledged BETWEEN 0 AND bundle_size),
    -- pending: not tried yet; waiting: a try failed and will be repeated at
    -- next_attempt_at; sending: a try is under way (or was cut by a crash);
    -- delivered: the office's receipt is checked and kept; refused: the office
    -- refused it for a reason a retry cannot change (last_error).
    state               TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'waiting', 'sending', 'delivered', 'refused')),
    attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- The office's refusal code (or a device-side code such as network).
    last_error          TEXT,
    next_attempt_at     TEXT,                          -- UTC, RFC 3339, the laptop's clock
    receipt_body        TEXT,
    receipt_signature   TEXT CHECK (length(receipt_signature) = 128),
    delivered_at        TEXT,                          -- received_at of the receipt: the office's clock
    CHECK ((state = 'delivered') = (receipt_body IS NOT NULL AND receipt_signature IS NOT NULL AND delivered_at IS NOT NULL)),
    CHECK ((state = 'refused') <= (last_error IS NOT NULL))
) STRICT;

-- A receipt is the device's proof that it submitted: once delivered, a row
-- is never changed nor removed.
CREATE TRIGGER outbox_delivered_is_final_update BEFORE UPDATE ON outbox WHEN OLD.state = 'delivered'
BEGIN SELECT RAISE(ABORT, 'outbox: delivered is final'); END;

CREATE TRIGGER outbox_delivered_is_final_delete BEFORE DELETE ON outbox WHEN OLD.state = 'delivered'
BEGIN SELECT RAISE(ABORT, 'outbox: delivered is final'); END;
