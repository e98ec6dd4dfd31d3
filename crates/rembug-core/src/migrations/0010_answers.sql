-- What became of delivered meetings (docs/sync-protocol.md, "Answers"): the
-- city office's signed answers and the outcomes a cadre records by hand.
--
-- None of these tables is part of a meeting's record. They are written after
-- the meeting is locked (an answer arrives weeks later), never enter a bundle
-- and are not copied by a revision, so they carry none of migration 0006's
-- lock triggers; the locked rows they name are never changed by them.

-- The latest answers document the office signed for this device, kept whole
-- (body and signature) so it can be checked again: at most one row, replaced
-- only by a higher serial.
CREATE TABLE office_answers (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    serial          INTEGER NOT NULL CHECK (serial >= 0),
    issued_at       TEXT NOT NULL,                     -- the office's clock, UTC
    office_key_id   TEXT NOT NULL CHECK (length(office_key_id) = 64),
    body            TEXT NOT NULL,
    signature       TEXT NOT NULL CHECK (length(signature) = 128),
    stored_at       TEXT NOT NULL                      -- the laptop's clock, UTC
) STRICT;

-- The review of each local meeting revision the held answers name, read from
-- them when they are stored and replaced with them.
CREATE TABLE meeting_answer (
    meeting_id      TEXT PRIMARY KEY REFERENCES meeting (id),
    review_state    TEXT NOT NULL CHECK (review_state IN ('diterima', 'perlu_perbaikan', 'disetujui', 'ditolak')),
    note            TEXT
) STRICT;

-- The office's outcome of each local usulan the held answers name.
CREATE TABLE usulan_answer (
    usulan_id       TEXT PRIMARY KEY REFERENCES usulan (id),
    outcome         TEXT NOT NULL CHECK (outcome IN ('diakomodir', 'tidak_diakomodir', 'dialihkan')),
    detail          TEXT NOT NULL
) STRICT;

-- An outcome the cadre recorded on a locked meeting's usulan, for a city
-- without an office server. An office answer for the same usulan wins.
CREATE TABLE usulan_outcome_by_hand (
    usulan_id       TEXT PRIMARY KEY REFERENCES usulan (id),
    outcome         TEXT NOT NULL CHECK (outcome IN ('diakomodir', 'tidak_diakomodir', 'dialihkan')),
    detail          TEXT NOT NULL CHECK (detail <> ''),
    recorded_at     TEXT NOT NULL                      -- the laptop's clock, UTC
) STRICT;
