-- The staff dashboard: staff accounts with a role (and optionally one
-- kecamatan), their sessions, failed logins for the rate limit, the audit
-- log, each kelurahan's RW count, and the review of bundles and usulan.

CREATE TABLE staff (
    name TEXT PRIMARY KEY CHECK (name <> ''),
    -- argon2id PHC string, or the init admin's pbkdf2-sha256 hash until its
    -- first login replaces it.
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'staf', 'pimpinan')),
    kecamatan_code TEXT CHECK (kecamatan_code IS NULL OR length(kecamatan_code) = 8),
    created_at TEXT NOT NULL
);
INSERT INTO staff (name, password_hash, role, kecamatan_code, created_at)
    SELECT name, password_hash, 'admin', NULL, created_at FROM admin;
DROP TABLE admin;

-- Only the SHA-256 of a session id is kept: a copy of the database opens no session.
CREATE TABLE staff_session (
    id_sha256 TEXT PRIMARY KEY CHECK (length(id_sha256) = 64),
    staff_name TEXT NOT NULL REFERENCES staff (name),
    csrf_token TEXT NOT NULL CHECK (length(csrf_token) = 64),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX staff_session_expires_at ON staff_session (expires_at);

CREATE TABLE login_failure (
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failure_account ON login_failure (account, at);
CREATE INDEX login_failure_address ON login_failure (address, at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    staff_name TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action <> ''),
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE kelurahan_rw_count (
    kelurahan_code TEXT PRIMARY KEY CHECK (length(kelurahan_code) = 13),
    rw_count INTEGER NOT NULL CHECK (rw_count BETWEEN 1 AND 999)
);

-- 'baru' (diterima) until staff review it.
ALTER TABLE bundle ADD COLUMN review_note TEXT;

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
