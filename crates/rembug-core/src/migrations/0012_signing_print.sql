-- "Cetak untuk ditandatangani" (issue 11): each time a draft's papers are
-- printed for signing, the short code printed in their footer (the first
-- eight hex digits of the SHA-256 of the record as printed), so locking can
-- warn when the record changed since the paper was signed. Printing for
-- signing is a draft's business: the lock triggers refuse any row for a
-- locked meeting, and rows are never changed. (Numbered 0012: 0010 belongs
-- to a branch merged beside this one.)
CREATE TABLE signing_print (
    seq             INTEGER PRIMARY KEY,
    meeting_id      TEXT NOT NULL REFERENCES meeting (id),
    code            TEXT NOT NULL CHECK (length(code) = 8),
    printed_at      TEXT NOT NULL              -- UTC, RFC 3339
) STRICT;

CREATE INDEX signing_print_by_meeting ON signing_print (meeting_id, seq);

CREATE TRIGGER locked_signing_print_insert BEFORE INSERT ON signing_print
WHEN (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_signing_print_update BEFORE UPDATE ON signing_print
BEGIN SELECT RAISE(ABORT, 'signing_print is append-only'); END;

CREATE TRIGGER locked_signing_print_delete BEFORE DELETE ON signing_print
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;
