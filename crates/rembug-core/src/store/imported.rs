//! Imported meetings: verified bundles from other devices, stored read-only
//! beside their public record. Their residents never enter this device's
//! person directory or attendance lists.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::attachments::{Attachment, record_attachment};
use super::meetings::decode;
use super::roster::held_rosters;
use super::{Store, now_utc};
use crate::error::{CoreError, Result};
use crate::imported::{BundleOrigin, BundleTrust, DeviceTrust, ImportOutcome, ImportedMeeting, ImportedRecord, judge};
use crate::meeting::Stage;
use crate::record::PublicRecord;
use crate::tanggal::DateText;
use crate::usulan::UsulanTexts;
use crate::wire;

/// The columns `imported_from_row` reads, over `imported_bundle AS imported`;
/// the fifth is the meeting id the record says it corrects (the verifier
/// checked that the manifest names the same).
const IMPORTED_COLUMNS: &str = "imported.bundle_sha256, imported.meeting_id, imported.revision, \
     imported.content_hash, imported.supersedes_content_hash, \
     json_extract(imported.record_json, '$.meeting.supersedes_id'), imported.stage, \
     imported.kelurahan_code, imported.kelurahan_name, imported.rw, imported.planning_year, imported.date, \
     imported.device_id, imported.device_fingerprint, imported.personal_encrypted, imported.imported_at";
const IMPORTED_FROM: &str = "imported_bundle AS imported";

impl Store {
    /// The imported meeting this bundle, or another bundle of the same
    /// revision, was stored as, if any.
    pub fn find_imported(&self, bundle_sha256: &str, content_hash: &str) -> Result<Option<ImportedMeeting>> {
        self.read(|conn| find_imported(conn, bundle_sha256, content_hash))
    }

    /// Stores the public record of a verified bundle with its origin: its
    /// `meeting.json` exactly as verified, in the bundle's format version, so
    /// it still hashes to its content hash, and the rows of its `attachments`,
    /// whose files are written already ([`Store::write_attachment_file`]), all
    /// in one transaction: a record refused leaves no attachment recorded.
    /// Every attachment the record names must be stored or among them.
    /// Importing the same bundle or revision again changes nothing.
    pub fn store_imported(
        &self,
        origin: &BundleOrigin,
        format_version: u32,
        meeting_json: &str,
        attachments: &[Attachment],
    ) -> Result<ImportOutcome> {
        let record = imported_public_record(meeting_json, format_version)?;
        self.write(|tx| {
            if let Some(existing) = find_imported(tx, &origin.bundle_sha256, &origin.content_hash)? {
                return Ok(ImportOutcome::AlreadyImported(existing));
            }
            for attachment in attachments {
                record_attachment(tx, attachment)?;
            }
            for sha256 in &record.attachments {
                let known: bool =
                    tx.query_row("SELECT EXISTS (SELECT 1 FROM attachment WHERE sha256 = ?1)", [sha256], |row| {
                        row.get(0)
                    })?;
                if !known {
                    return Err(CoreError::NotFound { entity: "attachment" });
                }
            }
            let meeting = &record.meeting;
            tx.execute(
                "INSERT INTO imported_bundle (bundle_sha256, meeting_id, revision, content_hash,
                    supersedes_content_hash, stage, kelurahan_code, kelurahan_name, rw, planning_year, date,
                    device_id, device_fingerprint, personal_encrypted, imported_at, record_json,
                    record_format_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                params![
                    origin.bundle_sha256,
                    meeting.id,
                    meeting.revision,
                    origin.content_hash,
                    origin.supersedes_content_hash,
                    meeting.stage.as_str(),
                    meeting.kelurahan.code,
                    meeting.kelurahan.name,
                    meeting.rw,
                    meeting.planning_year,
                    meeting.date,
                    origin.device_id,
                    origin.device_fingerprint,
                    origin.personal_encrypted,
                    now_utc(),
                    meeting_json,
                    format_version,
                ],
            )?;
            let stored = find_imported(tx, &origin.bundle_sha256, &origin.content_hash)?
                .ok_or_else(|| CoreError::Corrupt("an imported bundle vanished within its transaction".into()))?;
            Ok(ImportOutcome::Imported(stored))
        })
    }

    /// Every imported meeting, by kelurahan, year, RW and revision.
    /// Each with its trust and, for a correction, whether it replaces the
    /// revision it names.
    pub fn imported_meetings(&self) -> Result<Vec<ImportedMeeting>> {
        self.read(judged_imported)
    }

    /// The cadre counts an imported bundle whose device the roster does not
    /// vouch for (unknown, enrolled for another RW, or revoked): it is merged
    /// like a registered one while its device stays in that state. A bundle
    /// from a registered device needs no confirmation and nothing is stored;
    /// confirming again changes nothing. A refused correction stays refused.
    pub fn confirm_imported(&self, bundle_sha256: &str) -> Result<ImportedMeeting> {
        self.write(|tx| {
            let meeting = judged_one(tx, bundle_sha256)?;
            if meeting.trust.device == DeviceTrust::Registered || meeting.trust.confirmed_at.is_some() {
                return Ok(meeting);
            }
            tx.execute(
                "INSERT INTO imported_confirmation (bundle_sha256, device_trust, confirmed_at) VALUES (?1, ?2, ?3)",
                params![bundle_sha256, meeting.trust.device.as_str(), now_utc()],
            )?;
            judged_one(tx, bundle_sha256)
        })
    }

    /// One imported meeting with its public record, by its bundle's SHA-256.
    pub fn imported_meeting(&self, bundle_sha256: &str) -> Result<ImportedRecord> {
        self.read(|conn| {
            let meeting = judged_one(conn, bundle_sha256)?;
            let (record_json, format_version): (String, u32) = conn.query_row(
                "SELECT record_json, record_format_version FROM imported_bundle WHERE bundle_sha256 = ?1",
                [bundle_sha256],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            let record = imported_public_record(&record_json, format_version)?;
            let usulan_texts = UsulanTexts::by_id(record.usulan.iter().map(|row| &row.usulan));
            let timezone = record.meeting.timezone;
            Ok(ImportedRecord {
                start_time_text: DateText::time(timezone, &record.meeting.start_time),
                imported_at_text: DateText::instant(timezone, &meeting.imported_at),
                meeting,
                record,
                usulan_texts,
            })
        })
    }
}

/// An imported `meeting.json`, in the format version it was sealed in, as the
/// app shows it.
pub(super) fn imported_public_record(meeting_json: &str, format_version: u32) -> Result<PublicRecord> {
    let corrupt = |message: String| CoreError::Corrupt(format!("imported record: {message}"));
    if format_version != wire::v1::FORMAT_VERSION {
        return Err(corrupt(format!("format version {format_version}")));
    }
    let record: wire::v1::PublicRecord =
        serde_json::from_str(meeting_json).map_err(|error| corrupt(error.to_string()))?;
    PublicRecord::try_from(record).map_err(|error| corrupt(error.to_string()))
}

fn find_imported(conn: &Connection, bundle_sha256: &str, content_hash: &str) -> Result<Option<ImportedMeeting>> {
    let found: Option<String> = conn
        .query_row(
            "SELECT bundle_sha256 FROM imported_bundle WHERE bundle_sha256 = ?1 OR content_hash = ?2",
            [bundle_sha256, content_hash],
            |row| row.get(0),
        )
        .optional()?;
    found.map(|found| judged_one(conn, &found)).transpose()
}

/// One imported meeting, judged among all the others.
fn judged_one(conn: &Connection, bundle_sha256: &str) -> Result<ImportedMeeting> {
    judged_imported(conn)?
        .into_iter()
        .find(|meeting| meeting.bundle_sha256 == bundle_sha256)
        .ok_or(CoreError::NotFound { entity: "imported_meeting" })
}

/// Every imported meeting, by kelurahan, year, RW and revision, each judged
/// by the roster held for its kelurahan and the cadre's confirmations
/// (`imported::judge`). All of them, so a correction is judged the same
/// whichever list it is read in, even one naming a revision of another
/// kelurahan.
pub(super) fn judged_imported(conn: &Connection) -> Result<Vec<ImportedMeeting>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {IMPORTED_COLUMNS} FROM {IMPORTED_FROM}
         ORDER BY imported.kelurahan_code, imported.planning_year, imported.rw, imported.date,
                  imported.meeting_id, imported.revision, imported.bundle_sha256"
    ))?;
    let mut meetings: Vec<ImportedMeeting> =
        statement.query_map([], imported_from_row)?.collect::<rusqlite::Result<_>>()?;
    let mut statement =
        conn.prepare_cached("SELECT bundle_sha256, device_trust, confirmed_at FROM imported_confirmation")?;
    let confirmations = statement
        .query_map([], |row| Ok(((row.get(0)?, decode(row, 1, DeviceTrust::parse)?), row.get(2)?)))?
        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
    judge(&mut meetings, &held_rosters(conn)?, &confirmations);
    Ok(meetings)
}

fn imported_from_row(row: &Row<'_>) -> rusqlite::Result<ImportedMeeting> {
    Ok(ImportedMeeting {
        bundle_sha256: row.get(0)?,
        meeting_id: row.get(1)?,
        revision: row.get(2)?,
        content_hash: row.get(3)?,
        supersedes_content_hash: row.get(4)?,
        supersedes_meeting_id: row.get(5)?,
        // Set by `imported::judge`, which every reader calls.
        superseded_by: None,
        stage: decode(row, 6, Stage::parse)?,
        kelurahan_code: row.get(7)?,
        kelurahan_name: row.get(8)?,
        rw: row.get(9)?,
        planning_year: row.get(10)?,
        date_text: DateText::date(&row.get::<_, String>(11)?),
        date: row.get(11)?,
        device_id: row.get(12)?,
        device_fingerprint: row.get(13)?,
        personal_encrypted: row.get(14)?,
        imported_at: row.get(15)?,
        trust: BundleTrust { device: DeviceTrust::Unknown, confirmed_at: None },
        correction: None,
    })
}
