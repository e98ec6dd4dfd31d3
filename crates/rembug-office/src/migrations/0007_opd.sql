-- The office's OPD list (issue 10): what the admin keeps on the dashboard's
-- /opd page, in the order typed, sent to every device in its answers where
-- it replaces the laptop's list. Names are trimmed, 1 to 200 characters and
-- unique ignoring case (the dashboard checks it; NOCASE is a second line).
CREATE TABLE opd (
    position        INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 200)
) STRICT;
