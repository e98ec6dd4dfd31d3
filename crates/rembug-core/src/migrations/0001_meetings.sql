-- Wilayah: kelurahan with their Kemendagri codes. Seeded with Kota Cimahi.
CREATE TABLE kelurahan (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    kecamatan_code  TEXT NOT NULL,
    kecamatan_name  TEXT NOT NULL,
    kota_code       TEXT NOT NULL,
    kota_name       TEXT NOT NULL
) STRICT;

-- A musyawarah. Its start is stored in UTC; the local date and time are
-- derived from it and the meeting's time zone when read.
CREATE TABLE meeting (
    id              TEXT PRIMARY KEY,          -- UUIDv7
    stage           TEXT NOT NULL CHECK (stage IN ('rembug_warga', 'musrenbang_kelurahan')),
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'locked')),
    kelurahan_code  TEXT NOT NULL REFERENCES kelurahan (code),
    rw              INTEGER CHECK (rw BETWEEN 1 AND 999),
    planning_year   INTEGER NOT NULL CHECK (planning_year BETWEEN 2000 AND 2100),
    starts_at       TEXT NOT NULL,             -- UTC, RFC 3339
    timezone        TEXT NOT NULL CHECK (timezone IN ('WIB', 'WITA', 'WIT')),
    place           TEXT NOT NULL,
    facilitator     TEXT NOT NULL,
    notulis         TEXT,
    created_at      TEXT NOT NULL,             -- UTC, RFC 3339
    updated_at      TEXT NOT NULL,             -- UTC, RFC 3339
    CHECK ((stage = 'rembug_warga') = (rw IS NOT NULL))
) STRICT;

CREATE INDEX meeting_newest_first ON meeting (starts_at DESC, id DESC);
CREATE INDEX meeting_by_wilayah ON meeting (kelurahan_code, rw, planning_year);

-- Every change to a meeting, before and after, as JSON. Append-only: the
-- triggers refuse any update or delete, whoever asks.
CREATE TABLE meeting_change (
    seq             INTEGER PRIMARY KEY,
    meeting_id      TEXT NOT NULL REFERENCES meeting (id),
    at              TEXT NOT NULL,             -- UTC, RFC 3339
    action          TEXT NOT NULL,
    before_json     TEXT,
    after_json      TEXT
) STRICT;

CREATE INDEX meeting_change_by_meeting ON meeting_change (meeting_id, seq);

CREATE TRIGGER meeting_change_is_append_only_update BEFORE UPDATE ON meeting_change
BEGIN SELECT RAISE(ABORT, 'meeting_change is append-only'); END;

CREATE TRIGGER meeting_change_is_append_only_delete BEFORE DELETE ON meeting_change
BEGIN SELECT RAISE(ABORT, 'meeting_change is append-only'); END;

CREATE TABLE setting (
    key             TEXT PRIMARY KEY,
    value           TEXT NOT NULL
) STRICT;
