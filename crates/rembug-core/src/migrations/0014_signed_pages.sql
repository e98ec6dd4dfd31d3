-- Photos of the signed papers (issue 11): after the lock, the cadre
-- photographs the berita acara, the daftar hadir and the daftar usulan as
-- signed in the hall and attaches them to the locked revision. They are
-- not part of what the revision says (its frozen record was built at the
-- lock), so they travel in a bundle of their own (docs/bundle-format.md,
-- "Signed pages"). A page is only ever added, and only to a locked
-- meeting: the triggers refuse a draft's row, any update and any delete.
CREATE TABLE signed_page (
    meeting_id      TEXT NOT NULL REFERENCES meeting (id),
    kind            TEXT NOT NULL CHECK (kind IN ('berita_acara', 'daftar_hadir', 'daftar_usulan')),
    position        INTEGER NOT NULL CHECK (position BETWEEN 1 AND 20),
    sha256          TEXT NOT NULL REFERENCES attachment (sha256),
    added_at        TEXT NOT NULL,             -- UTC, RFC 3339
    PRIMARY KEY (meeting_id, kind, position),
    UNIQUE (meeting_id, sha256)
) STRICT;

CREATE TRIGGER signed_page_insert BEFORE INSERT ON signed_page
WHEN (SELECT status FROM meeting WHERE id = NEW.meeting_id) IS NOT 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is not locked'); END;

CREATE TRIGGER signed_page_update BEFORE UPDATE ON signed_page
BEGIN SELECT RAISE(ABORT, 'signed_page is append-only'); END;

CREATE TRIGGER signed_page_delete BEFORE DELETE ON signed_page
BEGIN SELECT RAISE(ABORT, 'signed_page is append-only'); END;

-- The signed pages of imported revisions (a kelurahan laptop importing an
-- RW's signed-pages bundle): only the public pages (berita acara, daftar
-- usulan), each once per revision, whichever bundle brought it. Rows are
-- never changed nor removed.
CREATE TABLE imported_signed_page (
    content_hash    TEXT NOT NULL REFERENCES imported_bundle (content_hash),
    kind            TEXT NOT NULL CHECK (kind IN ('berita_acara', 'daftar_usulan')),
    position        INTEGER NOT NULL CHECK (position BETWEEN 1 AND 20),
    sha256          TEXT NOT NULL REFERENCES attachment (sha256),
    bundle_sha256   TEXT NOT NULL CHECK (length(bundle_sha256) = 64),
    imported_at     TEXT NOT NULL,
    PRIMARY KEY (content_hash, kind, position)
) STRICT;

CREATE TRIGGER imported_signed_page_update BEFORE UPDATE ON imported_signed_page
BEGIN SELECT RAISE(ABORT, 'imported_signed_page is append-only'); END;

CREATE TRIGGER imported_signed_page_delete BEFORE DELETE ON imported_signed_page
BEGIN SELECT RAISE(ABORT, 'imported_signed_page is append-only'); END;

-- Each signed-pages bundle the office acknowledged with its signed receipt
-- (the device's proof that the photos were submitted) and how many pages it
-- held: pages added later go in a later bundle. Written after the lock by
-- design, like the outbox; a row is final.
CREATE TABLE signed_pages_sent (
    bundle_sha256     TEXT PRIMARY KEY CHECK (length(bundle_sha256) = 64),
    meeting_id        TEXT NOT NULL REFERENCES meeting (id),
    page_count        INTEGER NOT NULL CHECK (page_count >= 1),
    receipt_body      TEXT NOT NULL,
    receipt_signature TEXT NOT NULL,
    received_at       TEXT NOT NULL
) STRICT;

CREATE TRIGGER signed_pages_sent_update BEFORE UPDATE ON signed_pages_sent
BEGIN SELECT RAISE(ABORT, 'a delivery is final'); END;

CREATE TRIGGER signed_pages_sent_delete BEFORE DELETE ON signed_pages_sent
BEGIN SELECT RAISE(ABORT, 'a delivery is final'); END;
