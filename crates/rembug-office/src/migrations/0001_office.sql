-- The office's index: who may deliver (devices, enrollment codes, rosters),
-- what is being delivered (uploads, request nonces) and what was delivered
-- (bundles with their receipts). The bundle files themselves live in
-- bundles/<sha256>.rembug. Uniqueness rests on these constraints, never on a
-- check before an insert.

CREATE TABLE office (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL CHECK (name <> ''),
    city TEXT NOT NULL CHECK (city <> ''),
    created_at TEXT NOT NULL
);

CREATE TABLE admin (
    name TEXT PRIMARY KEY CHECK (name <> ''),
    -- pbkdf2-sha256$<rounds>$<salt hex>$<hash hex>
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE device (
    device_id TEXT PRIMARY KEY CHECK (length(device_id) = 64),
    public_key TEXT NOT NULL UNIQUE CHECK (length(public_key) = 64),
    fingerprint TEXT NOT NULL,
    kelurahan_code TEXT NOT NULL,
    rw INTEGER CHECK (rw IS NULL OR rw BETWEEN 1 AND 999),
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE enrollment_code (
    code TEXT PRIMARY KEY CHECK (length(code) = 12),
    kelurahan_code TEXT NOT NULL,
    rw INTEGER CHECK (rw IS NULL OR rw BETWEEN 1 AND 999),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_by TEXT REFERENCES device (device_id),
    used_at TEXT,
    CHECK ((used_by IS NULL) = (used_at IS NULL))
);

-- Grows with every change to a kelurahan's devices.
CREATE TABLE roster_serial (
    kelurahan_code TEXT PRIMARY KEY,
    serial INTEGER NOT NULL CHECK (serial > 0)
);

-- A nonce is accepted once per device: the primary key refuses a replay.
CREATE TABLE request_nonce (
    device_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (device_id, nonce)
) WITHOUT ROWID;
CREATE INDEX request_nonce_seen_at ON request_nonce (seen_at);

-- Wrong enrollment codes, per address, for the rate limit.
CREATE TABLE enroll_attempt (
    address TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX enroll_attempt_address ON enroll_attempt (address, at);

CREATE TABLE upload (
    upload_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES device (device_id),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    size INTEGER NOT NULL CHECK (size >= 0),
    -- What the office holds durably (fsynced) of the upload's file.
    received INTEGER NOT NULL DEFAULT 0 CHECK (received BETWEEN 0 AND size),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (device_id, sha256)
);
CREATE INDEX upload_updated_at ON upload (updated_at);

CREATE TABLE bundle (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    bundle_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    device_id TEXT NOT NULL REFERENCES device (device_id),
    kelurahan_code TEXT NOT NULL,
    rw INTEGER,
    stage TEXT NOT NULL,
    planning_year INTEGER NOT NULL,
    meeting_id TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision >= 1),
    content_hash TEXT NOT NULL,
    -- The bundle this correction replaces; each is replaced at most once.
    replaces TEXT UNIQUE REFERENCES bundle (sha256),
    received_at TEXT NOT NULL,
    -- The signed receipt, replayed as it is for a duplicate.
    receipt_body TEXT NOT NULL,
    receipt_signature TEXT NOT NULL,
    review_state TEXT NOT NULL DEFAULT 'baru' CHECK (review_state <> ''),
    UNIQUE (meeting_id, revision),
    CHECK ((revision = 1) = (replaces IS NULL))
);

-- A delivered bundle is never changed or removed by the server.
CREATE TRIGGER bundle_no_delete BEFORE DELETE ON bundle
BEGIN
    SELECT RAISE(ABORT, 'bundles are kept');
END;
