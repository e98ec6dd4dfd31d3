-- What a locked revision says, frozen when it is locked: the exact bytes of
-- its bundle records (meeting.json, personal.json) in one bundle format
-- version. Sealing writes these bytes, so changing a setting later (the
-- women's target) or a later app version's view types cannot change what an
-- old revision says, nor its content_hash that a correction names.
-- Meetings locked before this migration are frozen at their first seal.
CREATE TABLE frozen_record (
    meeting_id      TEXT PRIMARY KEY REFERENCES meeting (id),
    format_version  INTEGER NOT NULL CHECK (format_version >= 1),
    -- Lower-case hex SHA-256 of meeting_json, checked when read.
    content_hash    TEXT NOT NULL CHECK (length(content_hash) = 64),
    meeting_json    TEXT NOT NULL,
    personal_json   TEXT NOT NULL,
    frozen_at       TEXT NOT NULL
) STRICT;

CREATE TRIGGER frozen_record_is_immutable_update BEFORE UPDATE ON frozen_record
BEGIN SELECT RAISE(ABORT, 'frozen_record is immutable'); END;

CREATE TRIGGER frozen_record_is_immutable_delete BEFORE DELETE ON frozen_record
BEGIN SELECT RAISE(ABORT, 'frozen_record is immutable'); END;

-- An imported bundle's meeting.json is kept as the exact bytes verified, in
-- the format version its manifest names, so a later app reads it as written.
ALTER TABLE imported_bundle ADD COLUMN record_format_version INTEGER NOT NULL DEFAULT 1
    CHECK (record_format_version >= 1);
