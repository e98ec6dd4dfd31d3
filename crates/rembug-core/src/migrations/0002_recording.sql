-- Everything recorded during a musyawarah: attendance, minutes, usulan,
-- ranking and delegates; plus revisions of locked meetings and full-text
-- search. Money is whole Rupiah; instants are UTC RFC 3339; ids are UUIDv7.

-- The people this device knows, so returning residents check in by typing a
-- few letters.
CREATE TABLE person (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    gender          TEXT NOT NULL CHECK (gender IN ('L', 'P')),
    unsur           TEXT NOT NULL,
    rt              INTEGER CHECK (rt BETWEEN 1 AND 999),
    rw              INTEGER CHECK (rw BETWEEN 1 AND 999),
    kelurahan_code  TEXT REFERENCES kelurahan (code),
    phone           TEXT,
    disability      INTEGER NOT NULL DEFAULT 0 CHECK (disability IN (0, 1)),
    age_group       TEXT CHECK (age_group IN ('anak', 'pemuda', 'dewasa', 'lansia')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

-- Files (photos, signatures, scans) named by the SHA-256 of their bytes in the
-- data folder's attachments/ directory.
CREATE TABLE attachment (
    sha256          TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size            INTEGER NOT NULL CHECK (size >= 0),
    media_type      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;

-- Who came. The person's details are copied at check-in so the list stays as
-- it was signed, whatever later happens to the directory.
CREATE TABLE attendance (
    seq             INTEGER PRIMARY KEY,      -- stable rowid for full-text search
    meeting_id      TEXT NOT NULL REFERENCES meeting (id),
    person_id       TEXT NOT NULL REFERENCES person (id),
    name            TEXT NOT NULL,
    gender          TEXT NOT NULL CHECK (gender IN ('L', 'P')),
    unsur           TEXT NOT NULL,
    rt              INTEGER CHECK (rt BETWEEN 1 AND 999),
    rw              INTEGER CHECK (rw BETWEEN 1 AND 999),
    phone           TEXT,
    disability      INTEGER NOT NULL DEFAULT 0 CHECK (disability IN (0, 1)),
    age_group       TEXT CHECK (age_group IN ('anak', 'pemuda', 'dewasa', 'lansia')),
    role            TEXT NOT NULL DEFAULT 'peserta'
                    CHECK (role IN ('peserta', 'narasumber', 'fasilitator', 'notulis', 'pimpinan_rapat')),
    checked_in_at   TEXT NOT NULL,
    signature_sha256 TEXT REFERENCES attachment (sha256),
    UNIQUE (meeting_id, person_id)
) STRICT;

CREATE INDEX attendance_by_person ON attendance (person_id);

-- Photos of paper pages: a paper attendance sheet, the signed documents.
CREATE TABLE meeting_document (
    meeting_id      TEXT NOT NULL REFERENCES meeting (id),
    kind            TEXT NOT NULL CHECK (kind IN ('attendance_sheet', 'signed_page')),
    position        INTEGER NOT NULL CHECK (position >= 1),
    sha256          TEXT NOT NULL REFERENCES attachment (sha256),
    PRIMARY KEY (meeting_id, kind, position)
) STRICT;

-- Notulen: the agenda, in order, with discussion and decisions.
CREATE TABLE agenda_item (
    seq             INTEGER PRIMARY KEY,      -- stable rowid for full-text search
    id              TEXT NOT NULL UNIQUE,
    meeting_id      TEXT NOT NULL REFERENCES meeting (id),
    position        INTEGER NOT NULL CHECK (position >= 1),
    title           TEXT NOT NULL,
    discussion      TEXT NOT NULL DEFAULT '',
    decisions       TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL
) STRICT;

CREATE INDEX agenda_item_by_meeting ON agenda_item (meeting_id, position);

CREATE TABLE usulan (
    seq             INTEGER PRIMARY KEY,      -- stable rowid for full-text search
    id              TEXT NOT NULL UNIQUE,
    meeting_id      TEXT NOT NULL REFERENCES meeting (id),
    position        INTEGER NOT NULL CHECK (position >= 1),   -- order of entry
    permasalahan    TEXT NOT NULL,
    kegiatan        TEXT NOT NULL,
    alamat          TEXT NOT NULL,
    rt_list         TEXT NOT NULL DEFAULT '',                 -- RT numbers, "1,3"
    rw              INTEGER CHECK (rw BETWEEN 1 AND 999),
    latitude        REAL CHECK (latitude BETWEEN -11.5 AND 6.5),
    longitude       REAL CHECK (longitude BETWEEN 94.5 AND 141.5),
    volume          REAL NOT NULL CHECK (volume >= 0),
    satuan          TEXT NOT NULL,
    biaya           INTEGER NOT NULL CHECK (biaya >= 0),      -- whole Rupiah
    bidang          TEXT NOT NULL
                    CHECK (bidang IN ('infrastruktur', 'ekonomi', 'sosial_budaya', 'pemerintahan')),
    opd_tujuan      TEXT,
    penerima_manfaat INTEGER CHECK (penerima_manfaat >= 0),   -- people
    swadaya         TEXT,
    proposer_person_id TEXT REFERENCES person (id),
    proposer_group  TEXT,
    hands           INTEGER CHECK (hands >= 0),               -- show-of-hands tally
    manual_rank     INTEGER CHECK (manual_rank >= 1),         -- consensus override
    outcome         TEXT CHECK (outcome IN ('diakomodir', 'tidak_diakomodir')),
    carried_from_id TEXT REFERENCES usulan (id),              -- carry forward
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE INDEX usulan_by_meeting ON usulan (meeting_id, position);
CREATE INDEX usulan_by_carried_from ON usulan (carried_from_id);

CREATE TABLE usulan_photo (
    usulan_id       TEXT NOT NULL REFERENCES usulan (id),
    position        INTEGER NOT NULL CHECK (position BETWEEN 1 AND 10),
    sha256          TEXT NOT NULL REFERENCES attachment (sha256),
    original_sha256 TEXT REFERENCES attachment (sha256),      -- kept only if asked
    PRIMARY KEY (usulan_id, position)
) STRICT;

-- Ranking criteria chosen by the meeting, and the scores 1 to 5.
CREATE TABLE criterion (
    id              TEXT PRIMARY KEY,
    meeting_id      TEXT NOT NULL REFERENCES meeting (id),
    position        INTEGER NOT NULL CHECK (position >= 1),
    name            TEXT NOT NULL,
    weight          INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100)
) STRICT;

CREATE INDEX criterion_by_meeting ON criterion (meeting_id, position);

CREATE TABLE score (
    usulan_id       TEXT NOT NULL REFERENCES usulan (id),
    criterion_id    TEXT NOT NULL REFERENCES criterion (id),
    score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (usulan_id, criterion_id)
) STRICT;

-- Delegates for the next level: always people who attended.
CREATE TABLE delegate (
    meeting_id      TEXT NOT NULL,
    person_id       TEXT NOT NULL,
    position        INTEGER NOT NULL CHECK (position >= 1),
    PRIMARY KEY (meeting_id, person_id),
    FOREIGN KEY (meeting_id, person_id) REFERENCES attendance (meeting_id, person_id)
) STRICT;

ALTER TABLE meeting ADD COLUMN ranking_method TEXT NOT NULL DEFAULT 'scores'
    CHECK (ranking_method IN ('scores', 'hands'));
ALTER TABLE meeting ADD COLUMN ranking_override_reason TEXT;
ALTER TABLE meeting ADD COLUMN locked_at TEXT;
-- A correction of a locked meeting is a new meeting row (revision n + 1) that
-- names the one it replaces and says why; the old row stays as it was.
ALTER TABLE meeting ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE meeting ADD COLUMN supersedes_id TEXT REFERENCES meeting (id);
ALTER TABLE meeting ADD COLUMN revision_reason TEXT;

CREATE UNIQUE INDEX meeting_superseded_once ON meeting (supersedes_id) WHERE supersedes_id IS NOT NULL;

-- Which part of the meeting a change log entry is about (meeting, attendance,
-- agenda_item, usulan, ...) and its id.
ALTER TABLE meeting_change ADD COLUMN entity TEXT NOT NULL DEFAULT 'meeting';
ALTER TABLE meeting_change ADD COLUMN entity_id TEXT;

-- Full-text search over minutes, usulan and attendees' names. External
-- content tables kept in step by triggers; `highlight()` reads the source.
-- Each source has an INTEGER PRIMARY KEY, because an implicit rowid may be
-- renumbered by VACUUM and would detach the index from its rows.
CREATE VIRTUAL TABLE agenda_item_fts USING fts5 (
    title, discussion, decisions,
    content = 'agenda_item', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER agenda_item_fts_insert AFTER INSERT ON agenda_item BEGIN
    INSERT INTO agenda_item_fts (rowid, title, discussion, decisions)
    VALUES (new.seq, new.title, new.discussion, new.decisions);
END;
CREATE TRIGGER agenda_item_fts_delete AFTER DELETE ON agenda_item BEGIN
    INSERT INTO agenda_item_fts (agenda_item_fts, rowid, title, discussion, decisions)
    VALUES ('delete', old.seq, old.title, old.discussion, old.decisions);
END;
CREATE TRIGGER agenda_item_fts_update AFTER UPDATE OF title, discussion, decisions ON agenda_item BEGIN
    INSERT INTO agenda_item_fts (agenda_item_fts, rowid, title, discussion, decisions)
    VALUES ('delete', old.seq, old.title, old.discussion, old.decisions);
    INSERT INTO agenda_item_fts (rowid, title, discussion, decisions)
    VALUES (new.seq, new.title, new.discussion, new.decisions);
END;

CREATE VIRTUAL TABLE usulan_fts USING fts5 (
    kegiatan, permasalahan, alamat,
    content = 'usulan', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER usulan_fts_insert AFTER INSERT ON usulan BEGIN
    INSERT INTO usulan_fts (rowid, kegiatan, permasalahan, alamat)
    VALUES (new.seq, new.kegiatan, new.permasalahan, new.alamat);
END;
CREATE TRIGGER usulan_fts_delete AFTER DELETE ON usulan BEGIN
    INSERT INTO usulan_fts (usulan_fts, rowid, kegiatan, permasalahan, alamat)
    VALUES ('delete', old.seq, old.kegiatan, old.permasalahan, old.alamat);
END;
CREATE TRIGGER usulan_fts_update AFTER UPDATE OF kegiatan, permasalahan, alamat ON usulan BEGIN
    INSERT INTO usulan_fts (usulan_fts, rowid, kegiatan, permasalahan, alamat)
    VALUES ('delete', old.seq, old.kegiatan, old.permasalahan, old.alamat);
    INSERT INTO usulan_fts (rowid, kegiatan, permasalahan, alamat)
    VALUES (new.seq, new.kegiatan, new.permasalahan, new.alamat);
END;

CREATE VIRTUAL TABLE attendance_fts USING fts5 (
    name,
    content = 'attendance', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER attendance_fts_insert AFTER INSERT ON attendance BEGIN
    INSERT INTO attendance_fts (rowid, name) VALUES (new.seq, new.name);
END;
CREATE TRIGGER attendance_fts_delete AFTER DELETE ON attendance BEGIN
    INSERT INTO attendance_fts (attendance_fts, rowid, name) VALUES ('delete', old.seq, old.name);
END;
CREATE TRIGGER attendance_fts_update AFTER UPDATE OF name ON attendance BEGIN
    INSERT INTO attendance_fts (attendance_fts, rowid, name) VALUES ('delete', old.seq, old.name);
    INSERT INTO attendance_fts (rowid, name) VALUES (new.seq, new.name);
END;
