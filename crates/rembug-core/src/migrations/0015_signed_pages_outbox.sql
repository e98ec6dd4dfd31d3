-- Sending the photos of a locked revision's signed pages (issue 11): the
-- last failed try of its signed-pages bundle, so the next rounds back off
-- as they do for the revision's own bundle (outbox, migration 0009):
-- waiting until next_attempt_at after passing trouble, or refused (tried
-- again only when the cadre asks) when a retry does not change the
-- office's answer. page_count is how many pages the failed file held: a
-- photo added since makes another file, which is tried at once. The row
-- is about sending, not about what the revision says, so it is written
-- after the lock and has no lock triggers; a delivery's receipt is kept in
-- signed_pages_sent and removes the row.
CREATE TABLE signed_pages_outbox (
    meeting_id      TEXT PRIMARY KEY REFERENCES meeting (id),
    page_count      INTEGER NOT NULL CHECK (page_count >= 1),
    state           TEXT NOT NULL CHECK (state IN ('waiting', 'refused')),
    attempts        INTEGER NOT NULL CHECK (attempts >= 1),
    last_error      TEXT NOT NULL,
    next_attempt_at TEXT,                          -- UTC, RFC 3339, the laptop's clock
    CHECK ((state = 'waiting') = (next_attempt_at IS NOT NULL))
) STRICT;
