//! The daftar hadir of a meeting: check-ins, roles, signatures, photos of a
//! paper sheet, and the live counts.

use std::io::{self, Read};

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::changes::{ensure_draft, log_change};
use super::meetings::decode;
use super::people::{get_person, insert_person, optional_age_group, parse_person_form};
use super::{Attachment, Store, now_utc};
use crate::attendance::{
    AttendanceCounts, AttendanceSheetPhoto, Attendee, AttendeeGroup, Role, SHEET_PHOTO_MAX_BYTES, SIGNATURE_MAX_BYTES,
};
use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::people::{AgeGroup, Gender, Person, PersonForm};
use crate::photo_metadata::strip_metadata;
use crate::record::ATTENDANCE_ENTITY;

const ATTENDEE_COLUMNS: &str = "attendance.person_id, attendance.name, attendance.gender, attendance.unsur, \
     attendance.rt, attendance.rw, attendance.phone, attendance.disability, attendance.age_group, attendance.role, \
     attendance.checked_in_at, attendance.signature_sha256";

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_SIGNATURE: &[u8] = b"\xff\xd8\xff";

impl Store {
    /// Puts a returning resident on the meeting's list. A second check-in of
    /// the same person is refused (`AlreadyCheckedIn`).
    pub fn check_in(&self, meeting_id: &str, person_id: &str, role: Role) -> Result<Attendee> {
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let person = get_person(tx, person_id)?;
            insert_attendance(tx, meeting_id, &person, role)
        })
    }

    /// Adds a new resident to the directory and checks them in, all or
    /// nothing: the "new resident in the same row" of the daftar hadir.
    pub fn check_in_new(&self, meeting_id: &str, form: &PersonForm, role: Role) -> Result<Attendee> {
        let (person, attendee) = self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let person = insert_person(tx, &parse_person_form(tx, form)?)?;
            let attendee = insert_attendance(tx, meeting_id, &person, role)?;
            Ok((person, attendee))
        })?;
        self.index_person(&person);
        Ok(attendee)
    }

    /// Takes someone off the list. A delegate must first be dropped from the
    /// delegates (`is_delegate`), so the choice of delegates never changes
    /// behind the meeting's back.
    pub fn remove_attendee(&self, meeting_id: &str, person_id: &str) -> Result<()> {
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let before = get_attendee(tx, meeting_id, person_id)?;
            let is_delegate: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM delegate WHERE meeting_id = ?1 AND person_id = ?2)",
                [meeting_id, person_id],
                |row| row.get(0),
            )?;
            if is_delegate {
                return Err(CoreError::Validation(vec![FieldError::new("person_id", FieldCode::IsDelegate)]));
            }
            tx.execute("DELETE FROM attendance WHERE meeting_id = ?1 AND person_id = ?2", [meeting_id, person_id])?;
            log_change(tx, meeting_id, &now_utc(), ATTENDANCE_ENTITY, Some(person_id), "removed", Some(&before), None)
        })
    }

    pub fn set_attendee_role(&self, meeting_id: &str, person_id: &str, role: Role) -> Result<Attendee> {
        self.update_attendee(meeting_id, person_id, "role_changed", |tx| {
            tx.execute(
                "UPDATE attendance SET role = ?3 WHERE meeting_id = ?1 AND person_id = ?2",
                params![meeting_id, person_id, role.as_str()],
            )?;
            Ok(())
        })
    }

    /// Stores a signature drawn on screen (a PNG of at most
    /// `SIGNATURE_MAX_BYTES`) and puts it beside the attendee's name.
    pub fn set_signature(&self, meeting_id: &str, person_id: &str, png: &[u8]) -> Result<Attendee> {
        if png.len() > SIGNATURE_MAX_BYTES {
            return Err(CoreError::Validation(vec![FieldError::new("signature", FieldCode::FileTooLarge)]));
        }
        if !png.starts_with(PNG_SIGNATURE) {
            return Err(CoreError::Validation(vec![FieldError::new("signature", FieldCode::SignatureNotPng)]));
        }
        // Refuse before writing a file that a locked meeting could not use.
        self.read(|conn| {
            ensure_draft(conn, meeting_id)?;
            get_attendee(conn, meeting_id, person_id).map(drop)
        })?;
        let attachment = self.put_attachment(&mut &png[..], "image/png")?;
        self.update_attendee(meeting_id, person_id, "signed", |tx| {
            tx.execute(
                "UPDATE attendance SET signature_sha256 = ?3 WHERE meeting_id = ?1 AND person_id = ?2",
                params![meeting_id, person_id, attachment.sha256],
            )?;
            Ok(())
        })
    }

    /// Stores a photo of a paper daftar hadir (JPEG or PNG, at most
    /// `SHEET_PHOTO_MAX_BYTES`) as the meeting's next attendance sheet page.
    pub fn add_attendance_sheet_photo(
        &self,
        meeting_id: &str,
        mut photo: impl Read,
        media_type: &str,
    ) -> Result<AttendanceSheetPhoto> {
        self.read(|conn| ensure_draft(conn, meeting_id))?;
        let attachment = self.put_page_photo(&mut photo, media_type)?;
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let position: u32 = tx.query_row(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM meeting_document
                 WHERE meeting_id = ?1 AND kind = 'attendance_sheet'",
                [meeting_id],
                |row| row.get(0),
            )?;
            tx.execute(
                "INSERT INTO meeting_document (meeting_id, kind, position, sha256)
                 VALUES (?1, 'attendance_sheet', ?2, ?3)",
                params![meeting_id, position, attachment.sha256],
            )?;
            let photo = AttendanceSheetPhoto { position, sha256: attachment.sha256, media_type: attachment.media_type };
            log_change(
                tx,
                meeting_id,
                &now_utc(),
                "attendance_sheet",
                Some(&photo.sha256),
                "added",
                None,
                Some(&photo),
            )?;
            Ok(photo)
        })
    }

    /// Stores a photo of a paper page (JPEG or PNG, recognised by its first
    /// bytes and matching `media_type`, at most `SHEET_PHOTO_MAX_BYTES`): a
    /// daftar hadir sheet, or a signed page. Its pixels are kept as they
    /// are, its metadata (EXIF with GPS, XMP, comments) is not
    /// (`photo_metadata`); a file whose structure cannot be walked is
    /// refused (`image_invalid`).
    pub(super) fn put_page_photo(&self, mut photo: impl Read, media_type: &str) -> Result<Attachment> {
        let refuse = |code: FieldCode| CoreError::Validation(vec![FieldError::new("photo", code)]);
        let magic = match media_type {
            "image/jpeg" => JPEG_SIGNATURE,
            "image/png" => PNG_SIGNATURE,
            _ => return Err(refuse(FieldCode::ImageTypeUnsupported)),
        };
        let mut head = Vec::with_capacity(PNG_SIGNATURE.len());
        photo.by_ref().take(magic.len() as u64).read_to_end(&mut head)?;
        if head != magic {
            return Err(refuse(FieldCode::ImageInvalid));
        }
        let mut capped = CappedReader { inner: head.as_slice().chain(photo), remaining: SHEET_PHOTO_MAX_BYTES };
        let mut original = Vec::new();
        match capped.read_to_end(&mut original) {
            Err(error) if error.kind() == io::ErrorKind::FileTooLarge => return Err(refuse(FieldCode::FileTooLarge)),
            read => read?,
        };
        let stripped = strip_metadata(&original).map_err(|_| refuse(FieldCode::ImageInvalid))?;
        drop(original);
        self.put_attachment(&mut stripped.as_slice(), media_type)
    }

    pub fn attendance_sheet_photos(&self, meeting_id: &str) -> Result<Vec<AttendanceSheetPhoto>> {
        self.read(|conn| {
            ensure_meeting_exists(conn, meeting_id)?;
            let mut statement = conn.prepare(
                "SELECT meeting_document.position, meeting_document.sha256, attachment.media_type
                 FROM meeting_document JOIN attachment USING (sha256)
                 WHERE meeting_document.meeting_id = ?1 AND meeting_document.kind = 'attendance_sheet'
                 ORDER BY meeting_document.position",
            )?;
            let rows = statement.query_map([meeting_id], |row| {
                Ok(AttendanceSheetPhoto { position: row.get(0)?, sha256: row.get(1)?, media_type: row.get(2)? })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The daftar hadir in check-in order.
    pub fn attendees(&self, meeting_id: &str) -> Result<Vec<Attendee>> {
        self.read(|conn| {
            ensure_meeting_exists(conn, meeting_id)?;
            let mut statement = conn.prepare_cached(&format!(
                "SELECT {ATTENDEE_COLUMNS} FROM attendance WHERE meeting_id = ?1 ORDER BY seq"
            ))?;
            let rows = statement.query_map([meeting_id], attendee_from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The live counts beside the list, from one grouped query, against the
    /// women's target in the settings.
    pub fn attendance_counts(&self, meeting_id: &str) -> Result<AttendanceCounts> {
        let women_target_percent = self.settings()?.recording.women_target_percent;
        self.read(|conn| {
            ensure_meeting_exists(conn, meeting_id)?;
            let mut statement = conn.prepare_cached(
                "SELECT unsur, gender, disability, age_group, COUNT(*) FROM attendance WHERE meeting_id = ?1
                 GROUP BY unsur, gender, disability, age_group",
            )?;
            let groups = statement
                .query_map([meeting_id], |row| {
                    Ok(AttendeeGroup {
                        unsur: row.get(0)?,
                        gender: decode(row, 1, Gender::parse)?,
                        disability: row.get(2)?,
                        age_group: optional_age_group(row, 3)?,
                        count: row.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(AttendanceCounts::from_groups(&groups, women_target_percent))
        })
    }

    /// Changes one attendee with `change` and logs `action` with the attendee
    /// before and after, when anything changed.
    fn update_attendee(
        &self,
        meeting_id: &str,
        person_id: &str,
        action: &str,
        change: impl FnOnce(&Connection) -> Result<()>,
    ) -> Result<Attendee> {
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let before = get_attendee(tx, meeting_id, person_id)?;
            change(tx)?;
            let after = get_attendee(tx, meeting_id, person_id)?;
            if after != before {
                log_change(
                    tx,
                    meeting_id,
                    &now_utc(),
                    ATTENDANCE_ENTITY,
                    Some(person_id),
                    action,
                    Some(&before),
                    Some(&after),
                )?;
            }
            Ok(after)
        })
    }
}

/// Copies the person's details onto the meeting's list.
fn insert_attendance(tx: &Transaction<'_>, meeting_id: &str, person: &Person, role: Role) -> Result<Attendee> {
    if is_attendee(tx, meeting_id, &person.id)? {
        return Err(CoreError::AlreadyCheckedIn);
    }
    let now = now_utc();
    tx.execute(
        "INSERT INTO attendance (meeting_id, person_id, name, gender, unsur, rt, rw, phone, disability, age_group,
                                 role, checked_in_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            meeting_id,
            person.id,
            person.name,
            person.gender.as_str(),
            person.unsur,
            person.rt,
            person.rw,
            person.phone,
            person.disability,
            person.age_group.map(AgeGroup::as_str),
            role.as_str(),
            now,
        ],
    )?;
    let attendee = get_attendee(tx, meeting_id, &person.id)?;
    log_change(tx, meeting_id, &now, ATTENDANCE_ENTITY, Some(&person.id), "checked_in", None, Some(&attendee))?;
    Ok(attendee)
}

fn get_attendee(conn: &Connection, meeting_id: &str, person_id: &str) -> Result<Attendee> {
    conn.prepare_cached(&format!("SELECT {ATTENDEE_COLUMNS} FROM attendance WHERE meeting_id = ?1 AND person_id = ?2"))?
        .query_row([meeting_id, person_id], attendee_from_row)
        .optional()?
        .ok_or(CoreError::NotFound { entity: "attendee" })
}

/// The meeting's delegates, in the order chosen.
pub(super) fn delegate_attendees(conn: &Connection, meeting_id: &str) -> Result<Vec<Attendee>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {ATTENDEE_COLUMNS} FROM delegate
         JOIN attendance ON attendance.meeting_id = delegate.meeting_id AND attendance.person_id = delegate.person_id
         WHERE delegate.meeting_id = ?1 ORDER BY delegate.position"
    ))?;
    let rows = statement.query_map([meeting_id], attendee_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn is_attendee(conn: &Connection, meeting_id: &str, person_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM attendance WHERE meeting_id = ?1 AND person_id = ?2)")?
        .query_row([meeting_id, person_id], |row| row.get(0))?)
}

pub(super) fn ensure_meeting_exists(conn: &Connection, meeting_id: &str) -> Result<()> {
    let exists: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM meeting WHERE id = ?1)", [meeting_id], |row| row.get(0))?;
    if exists { Ok(()) } else { Err(CoreError::NotFound { entity: "meeting" }) }
}

fn attendee_from_row(row: &Row<'_>) -> rusqlite::Result<Attendee> {
    Ok(Attendee {
        person_id: row.get("person_id")?,
        name: row.get("name")?,
        gender: decode(row, "gender", Gender::parse)?,
        unsur: row.get("unsur")?,
        rt: row.get("rt")?,
        rw: row.get("rw")?,
        phone: row.get("phone")?,
        disability: row.get("disability")?,
        age_group: optional_age_group(row, "age_group")?,
        role: decode(row, "role", Role::parse)?,
        checked_in_at: row.get("checked_in_at")?,
        signature_sha256: row.get("signature_sha256")?,
    })
}

/// Passes at most `remaining` bytes through, then fails with `FileTooLarge`
/// rather than silently cutting the file short.
struct CappedReader<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        // Ask for one byte more than allowed, to tell "exactly at the cap" from "over it".
        let wanted = buffer.len().min(usize::try_from(self.remaining + 1).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buffer[..wanted])?;
        if read as u64 > self.remaining {
            return Err(io::Error::from(io::ErrorKind::FileTooLarge));
        }
        self.remaining -= read as u64;
        Ok(read)
    }
}
