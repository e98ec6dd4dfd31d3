-- Guards in the database: what the app promises is enforced by SQLite itself,
-- whoever writes (an older app, a script, a tool opening the file by hand).
--
-- A locked meeting is read-only: its row and every row hanging off it
-- (attendance, documents, notulen, usulan with their photos, scores and
-- origins, criteria, delegates) refuse INSERT, UPDATE and DELETE. Locking
-- itself is the update of a draft row, and a correction is a new meeting row
-- (revision n + 1) with copies of those rows, so the lifecycle never needs to
-- write a locked meeting's rows. The change log (append-only since 0001) and
-- frozen_record (immutable since 0005) keep their own triggers: the lock's own
-- log entry and the frozen record are written once the meeting is locked.

CREATE TRIGGER locked_meeting_update BEFORE UPDATE ON meeting WHEN OLD.status = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_meeting_delete BEFORE DELETE ON meeting WHEN OLD.status = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

-- Rows that name their meeting.

CREATE TRIGGER locked_attendance_insert BEFORE INSERT ON attendance
WHEN (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_attendance_update BEFORE UPDATE ON attendance
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked' OR (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_attendance_delete BEFORE DELETE ON attendance
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_meeting_document_insert BEFORE INSERT ON meeting_document
WHEN (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_meeting_document_update BEFORE UPDATE ON meeting_document
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked' OR (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_meeting_document_delete BEFORE DELETE ON meeting_document
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_agenda_item_insert BEFORE INSERT ON agenda_item
WHEN (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_agenda_item_update BEFORE UPDATE ON agenda_item
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked' OR (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_agenda_item_delete BEFORE DELETE ON agenda_item
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_usulan_insert BEFORE INSERT ON usulan
WHEN (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_usulan_update BEFORE UPDATE ON usulan
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked' OR (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_usulan_delete BEFORE DELETE ON usulan
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_criterion_insert BEFORE INSERT ON criterion
WHEN (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_criterion_update BEFORE UPDATE ON criterion
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked' OR (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_criterion_delete BEFORE DELETE ON criterion
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_delegate_insert BEFORE INSERT ON delegate
WHEN (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_delegate_update BEFORE UPDATE ON delegate
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked' OR (SELECT status FROM meeting WHERE id = NEW.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_delegate_delete BEFORE DELETE ON delegate
WHEN (SELECT status FROM meeting WHERE id = OLD.meeting_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

-- Rows that name their usulan, whose meeting decides.

CREATE TRIGGER locked_usulan_photo_insert BEFORE INSERT ON usulan_photo
WHEN (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = NEW.usulan_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_usulan_photo_update BEFORE UPDATE ON usulan_photo
WHEN (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = OLD.usulan_id) = 'locked'
  OR (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = NEW.usulan_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_usulan_photo_delete BEFORE DELETE ON usulan_photo
WHEN (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = OLD.usulan_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_score_insert BEFORE INSERT ON score
WHEN (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = NEW.usulan_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_score_update BEFORE UPDATE ON score
WHEN (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = OLD.usulan_id) = 'locked'
  OR (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = NEW.usulan_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_score_delete BEFORE DELETE ON score
WHEN (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = OLD.usulan_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_usulan_origin_insert BEFORE INSERT ON usulan_origin
WHEN (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = NEW.usulan_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_usulan_origin_update BEFORE UPDATE ON usulan_origin
WHEN (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = OLD.usulan_id) = 'locked'
  OR (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = NEW.usulan_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

CREATE TRIGGER locked_usulan_origin_delete BEFORE DELETE ON usulan_origin
WHEN (SELECT m.status FROM usulan AS u JOIN meeting AS m ON m.id = u.meeting_id WHERE u.id = OLD.usulan_id) = 'locked'
BEGIN SELECT RAISE(ABORT, 'meeting is locked'); END;

-- An imported bundle is what another device signed: it is stored once,
-- verified, and never changed or removed.
CREATE TRIGGER imported_bundle_is_immutable_update BEFORE UPDATE ON imported_bundle
BEGIN SELECT RAISE(ABORT, 'imported_bundle is immutable'); END;

CREATE TRIGGER imported_bundle_is_immutable_delete BEFORE DELETE ON imported_bundle
BEGIN SELECT RAISE(ABORT, 'imported_bundle is immutable'); END;
