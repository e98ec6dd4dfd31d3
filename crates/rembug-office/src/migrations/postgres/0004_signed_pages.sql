-- Signed-pages bundles (docs/bundle-format.md, section 10): the photos of a
-- locked revision's signed papers, delivered after its bundle, each file
-- once by its SHA-256, linked to the revision's bundle the office holds.
CREATE TABLE signed_pages_bundle (
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    bundle_id TEXT NOT NULL,
    size BIGINT NOT NULL,
    device_id TEXT NOT NULL REFERENCES device (device_id),
    -- The revision's bundle: held before its pages are accepted.
    revision_sha256 TEXT NOT NULL REFERENCES bundle (sha256),
    page_count INTEGER NOT NULL CHECK (page_count >= 1),
    received_at TEXT NOT NULL,
    receipt_body TEXT NOT NULL,
    receipt_signature TEXT NOT NULL
);
CREATE INDEX signed_pages_by_revision ON signed_pages_bundle (revision_sha256);
