-- The office's OPD list (issue 10): what the admin keeps on the dashboard's
-- /opd page, in the order typed, sent to every device in its answers where
-- it replaces the laptop's list. Names are trimmed, 1 to 200 characters and
-- unique ignoring case (the dashboard checks it; NOCASE is a second line).
CREATE TABLE opd (
    position        INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 200)
) STRICT;

-- The office's women's target and delegate range (one row, once an admin
-- sets them on /target), sent in every device's answers where they replace
-- the laptop's recording settings.
CREATE TABLE stage_settings (
    id                      INTEGER PRIMARY KEY CHECK (id = 1),
    women_target_percent    INTEGER NOT NULL CHECK (women_target_percent BETWEEN 0 AND 100),
    delegates_min           INTEGER NOT NULL CHECK (delegates_min BETWEEN 1 AND 20),
    delegates_max           INTEGER NOT NULL CHECK (delegates_max BETWEEN delegates_min AND 20)
) STRICT;
