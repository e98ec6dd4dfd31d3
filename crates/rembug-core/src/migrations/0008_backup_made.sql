-- The backups this data folder knows of: each row says that a backup holds
-- every meeting locked before `made_at` (the instant the backup began, or
-- the backup's own time when it was restored into this folder). The home
-- screen's reminder reads the latest one. It names no meeting, so it needs no
-- lock trigger.
CREATE TABLE backup_made (
    id       INTEGER PRIMARY KEY,
    made_at  TEXT NOT NULL CHECK (made_at LIKE '____-__-__T__:__:__Z')
) STRICT;
