-- Kelurahan consolidation: how many RWs a kelurahan has, and the RW result
-- each usulan of a Musrenbang Kelurahan was merged from.

-- The reference data lists kelurahan, not their RWs: the cadre says how many
-- there are, so the app can tell which RW results are still missing.
CREATE TABLE kelurahan_rw_count (
    kelurahan_code  TEXT PRIMARY KEY REFERENCES kelurahan (code),
    rw_count        INTEGER NOT NULL CHECK (rw_count BETWEEN 1 AND 99),
    updated_at      TEXT NOT NULL
) STRICT;

-- The RW usulan a kelurahan meeting's usulan is a copy of. The source meeting
-- and usulan ids are those of the device that recorded them: a meeting on this
-- device, or an imported one (then `bundle_sha256` names its bundle), so they
-- carry no foreign key.
CREATE TABLE usulan_origin (
    usulan_id           TEXT PRIMARY KEY REFERENCES usulan (id),
    rw                  INTEGER NOT NULL CHECK (rw BETWEEN 1 AND 999),
    source_meeting_id   TEXT NOT NULL,
    source_usulan_id    TEXT NOT NULL,
    bundle_sha256       TEXT REFERENCES imported_bundle (bundle_sha256),
    rank                INTEGER NOT NULL CHECK (rank >= 1)
) STRICT;
