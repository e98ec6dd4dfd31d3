-- The office's index on PostgreSQL: the same tables, constraints and
-- triggers as the SQLite store's migrations 0001 and 0002 together (that
-- store's schema 2). Uniqueness rests on these constraints, never on a check
-- before an insert. Texts that are sorted are COLLATE "C", so they sort as
-- SQLite sorts them (byte order) whatever the database's locale. Times are
-- RFC 3339 texts or Unix seconds, as in the SQLite store.

CREATE TABLE office (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL CHECK (name <> ''),
    city TEXT NOT NULL CHECK (city <> ''),
    created_at TEXT NOT NULL
);

CREATE TABLE device (
    device_id TEXT PRIMARY KEY COLLATE "C" CHECK (length(device_id) = 64),
    public_key TEXT NOT NULL UNIQUE CHECK (length(public_key) = 64),
    fingerprint TEXT NOT NULL,
    kelurahan_code TEXT NOT NULL COLLATE "C",
    rw INTEGER CHECK (rw IS NULL OR rw BETWEEN 1 AND 999),
    enrolled_at TEXT NOT NULL COLLATE "C",
    revoked_at TEXT
);
CREATE INDEX device_fingerprint ON device (fingerprint);
CREATE INDEX device_kelurahan ON device (kelurahan_code);

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
    serial BIGINT NOT NULL CHECK (serial > 0)
);

-- A nonce is accepted once per device: the primary key refuses a replay.
CREATE TABLE request_nonce (
    device_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, nonce)
);
CREATE INDEX request_nonce_seen_at ON request_nonce (seen_at);

-- Wrong enrollment codes, per address, for the rate limit.
CREATE TABLE enroll_attempt (
    address TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX enroll_attempt_address ON enroll_attempt (address, at);

CREATE TABLE upload (
    upload_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES device (device_id),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    size BIGINT NOT NULL CHECK (size >= 0),
    -- What the office holds durably (fsynced) of the upload's file.
    received BIGINT NOT NULL DEFAULT 0 CHECK (received BETWEEN 0 AND size),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (device_id, sha256)
);
CREATE INDEX upload_updated_at ON upload (updated_at);

CREATE TABLE bundle (
    -- The order bundles were recorded in (SQLite's rowid).
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    bundle_id TEXT NOT NULL,
    size BIGINT NOT NULL,
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
    -- 'baru' (diterima) until staff review it.
    review_state TEXT NOT NULL DEFAULT 'baru' CHECK (review_state <> ''),
    review_note TEXT,
    UNIQUE (meeting_id, revision),
    CHECK ((revision = 1) = (replaces IS NULL))
);
CREATE INDEX bundle_meeting_content ON bundle (meeting_id, content_hash);

-- SQLite's RAISE(ABORT, …): the trigger's argument is the message.
CREATE FUNCTION refuse_change() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END;
$$;

-- A delivered bundle is never changed or removed by the server.
CREATE TRIGGER bundle_no_delete BEFORE DELETE ON bundle
    FOR EACH ROW EXECUTE FUNCTION refuse_change('bundles are kept');

-- The staff dashboard: staff accounts with a role (and optionally one
-- kecamatan), their sessions, failed logins for the rate limit, the audit
-- log, each kelurahan's RW count, and the review of bundles and usulan.
CREATE TABLE staff (
    name TEXT PRIMARY KEY COLLATE "C" CHECK (name <> ''),
    -- argon2id PHC string, or the init admin's pbkdf2-sha256 hash until its
    -- first login replaces it.
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'staf', 'pimpinan')),
    kecamatan_code TEXT CHECK (kecamatan_code IS NULL OR length(kecamatan_code) = 8),
    created_at TEXT NOT NULL
);

-- Only the SHA-256 of a session id is kept: a copy of the database opens no session.
CREATE TABLE staff_session (
    id_sha256 TEXT PRIMARY KEY CHECK (length(id_sha256) = 64),
    staff_name TEXT NOT NULL REFERENCES staff (name),
    csrf_token TEXT NOT NULL CHECK (length(csrf_token) = 64),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX staff_session_expires_at ON staff_session (expires_at);

CREATE TABLE login_failure (
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failure_account ON login_failure (account, at);
CREATE INDEX login_failure_address ON login_failure (address, at);

CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    staff_name TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action <> ''),
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change('the audit log is append-only');
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change('the audit log is append-only');

CREATE TABLE kelurahan_rw_count (
    kelurahan_code TEXT PRIMARY KEY CHECK (length(kelurahan_code) = 13),
    rw_count INTEGER NOT NULL CHECK (rw_count BETWEEN 1 AND 999)
);

-- Each usulan's outcome, kept per bundle so it can travel back to the device.
CREATE TABLE usulan_review (
    bundle_sha256 TEXT NOT NULL REFERENCES bundle (sha256),
    usulan_id TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('diakomodir', 'tidak_diakomodir', 'dialihkan')),
    detail TEXT NOT NULL CHECK (detail <> ''),
    staff_name TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (bundle_sha256, usulan_id)
);
