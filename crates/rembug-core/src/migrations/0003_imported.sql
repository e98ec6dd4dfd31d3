-- Meetings imported from other devices' session bundles, kept read-only and
-- apart from this device's own meetings: their residents never enter the
-- local person directory or attendance lists, and nothing here is editable.

-- One verified bundle, keyed by the SHA-256 of its bytes. The public record
-- is kept as the JSON that was verified; the summary columns beside it are
-- copies of its fields, for listing without parsing every record.
CREATE TABLE imported_bundle (
    bundle_sha256           TEXT PRIMARY KEY CHECK (length(bundle_sha256) = 64),
    -- The meeting's id on the device that recorded it; no local meeting row.
    meeting_id              TEXT NOT NULL,
    revision                INTEGER NOT NULL CHECK (revision >= 1),
    -- SHA-256 of the bundle's meeting.json: what this revision says. The same
    -- revision sealed again (for instance encrypted) has the same content hash.
    content_hash            TEXT NOT NULL UNIQUE CHECK (length(content_hash) = 64),
    -- The content hash of the revision this one corrects, if any; that
    -- revision may or may not have been imported.
    supersedes_content_hash TEXT CHECK (length(supersedes_content_hash) = 64),
    stage                   TEXT NOT NULL CHECK (stage IN ('rembug_warga', 'musrenbang_kelurahan')),
    kelurahan_code          TEXT NOT NULL,
    kelurahan_name          TEXT NOT NULL,
    rw                      INTEGER CHECK (rw BETWEEN 1 AND 999),
    planning_year           INTEGER NOT NULL,
    date                    TEXT NOT NULL,
    device_id               TEXT NOT NULL,
    device_fingerprint      TEXT NOT NULL,
    personal_encrypted      INTEGER NOT NULL CHECK (personal_encrypted IN (0, 1)),
    imported_at             TEXT NOT NULL,
    record_json             TEXT NOT NULL
) STRICT;

CREATE INDEX imported_bundle_supersedes ON imported_bundle (supersedes_content_hash);
CREATE INDEX imported_bundle_kelurahan ON imported_bundle (kelurahan_code, planning_year, rw);
