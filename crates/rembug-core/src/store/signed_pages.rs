//! The photographed signed pages of a locked meeting, and those a kelurahan
//! laptop imported for another device's revision (`signed_pages.rs`).

use std::io::Read;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::attachments::record_attachment;
use super::{Attachment, Store, now_utc};
use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::meeting::{MeetingStatus, Timezone};
use crate::outbox::OutboxState;
use crate::sending::SendState;
use crate::signed_pages::{
    PageKind, SIGNED_PAGES_PER_KIND, SignedPage, SignedPagesImported, SignedPagesOrigin, SignedPagesSending,
};
use crate::tanggal::DateText;
use crate::trust::Signed;

impl Store {
    /// Attaches a photo of a signed page (JPEG or PNG, its pixels kept as
    /// they are but not its metadata, at most `SHEET_PHOTO_MAX_BYTES`) to a
    /// locked meeting, as the next page of that paper; the same photo twice
    /// (the same bytes once stripped) is refused (`page_duplicate`). A draft
    /// is refused (`meeting_not_locked`): its papers are signed before the
    /// lock, photographed after it. The locked record is not touched.
    pub fn add_signed_page(
        &self,
        meeting_id: &str,
        kind: PageKind,
        mut photo: impl Read,
        media_type: &str,
    ) -> Result<SignedPage> {
        self.read(|conn| ensure_locked(conn, meeting_id))?;
        let attachment = self.put_page_photo(&mut photo, media_type)?;
        self.write(|tx| {
            ensure_locked(tx, meeting_id)?;
            let duplicate: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM signed_page WHERE meeting_id = ?1 AND sha256 = ?2)",
                params![meeting_id, attachment.sha256],
                |row| row.get(0),
            )?;
            if duplicate {
                return Err(refused(FieldCode::PageDuplicate));
            }
            let position: u32 = tx.query_row(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM signed_page WHERE meeting_id = ?1 AND kind = ?2",
                params![meeting_id, kind.as_str()],
                |row| row.get(0),
            )?;
            if position > SIGNED_PAGES_PER_KIND {
                return Err(refused(FieldCode::PagesFull));
            }
            let page = SignedPage {
                kind,
                position,
                sha256: attachment.sha256,
                media_type: attachment.media_type,
                added_at: now_utc(),
            };
            tx.execute(
                "INSERT INTO signed_page (meeting_id, kind, position, sha256, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![meeting_id, kind.as_str(), page.position, page.sha256, page.added_at],
            )?;
            Ok(page)
        })
    }

    /// A meeting's signed pages: berita acara, daftar hadir, daftar usulan,
    /// each in page order.
    pub fn signed_pages(&self, meeting_id: &str) -> Result<Vec<SignedPage>> {
        self.read(|conn| {
            super::attendance::ensure_meeting_exists(conn, meeting_id)?;
            let mut statement = conn.prepare_cached(
                "SELECT signed_page.kind, signed_page.position, signed_page.sha256, attachment.media_type,
                        signed_page.added_at
                 FROM signed_page JOIN attachment USING (sha256)
                 WHERE signed_page.meeting_id = ?1 ORDER BY signed_page.kind, signed_page.position",
            )?;
            let rows = statement.query_map([meeting_id], page_from_row)?;
            rows.map(|row| row?).collect()
        })
    }

    /// Keeps the public pages of a verified signed-pages bundle for an
    /// imported revision: that revision must be imported already
    /// (`signed_pages_revision_unknown`) and sealed by the same device
    /// (`signed_pages_other_device`). `pages` are the public pages with
    /// their files written; a page this laptop holds already (the same
    /// paper and position, from an earlier bundle) is kept as it was.
    pub fn store_imported_signed_pages(
        &self,
        origin: &SignedPagesOrigin,
        pages: &[(PageKind, u32, Attachment)],
        personal_skipped: u32,
    ) -> Result<SignedPagesImported> {
        self.write(|tx| {
            let revision: Option<(String, String, u32, String)> = tx
                .query_row(
                    "SELECT bundle_sha256, meeting_id, revision, device_id FROM imported_bundle
                     WHERE content_hash = ?1",
                    [&origin.content_hash],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
                )
                .optional()?;
            let Some((bundle_sha256, meeting_id, revision, device_id)) = revision else {
                return Err(CoreError::SignedPagesRevisionUnknown);
            };
            if meeting_id != origin.meeting_id || revision != origin.revision {
                return Err(CoreError::SignedPagesRevisionUnknown);
            }
            if device_id != origin.device_id {
                return Err(CoreError::SignedPagesOtherDevice);
            }
            let mut added = 0;
            for (kind, position, attachment) in pages {
                if kind.is_personal() {
                    return Err(CoreError::Corrupt("a personal page is never imported".into()));
                }
                record_attachment(tx, attachment)?;
                added += tx.execute(
                    "INSERT INTO imported_signed_page (content_hash, kind, position, sha256, bundle_sha256, imported_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                    params![
                        origin.content_hash,
                        kind.as_str(),
                        position,
                        attachment.sha256,
                        origin.bundle_sha256,
                        now_utc()
                    ],
                )? as u32;
            }
            Ok(SignedPagesImported { bundle_sha256, added, personal_skipped })
        })
    }

    /// The signed pages imported for the revision of an imported bundle.
    pub fn imported_signed_pages(&self, bundle_sha256: &str) -> Result<Vec<SignedPage>> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT page.kind, page.position, page.sha256, attachment.media_type, page.imported_at AS added_at
                 FROM imported_bundle JOIN imported_signed_page AS page USING (content_hash)
                 JOIN attachment ON attachment.sha256 = page.sha256
                 WHERE imported_bundle.bundle_sha256 = ?1 ORDER BY page.kind, page.position",
            )?;
            let rows = statement.query_map([bundle_sha256], page_from_row)?;
            rows.map(|row| row?).collect()
        })
    }

    /// Keeps the office's receipt for a signed-pages bundle of `page_count`
    /// pages (checked by the caller against the enrolled office's key and
    /// the bundle's SHA-256). The same bundle again changes nothing.
    pub fn record_signed_pages_sent(
        &self,
        meeting_id: &str,
        bundle_sha256: &str,
        page_count: u32,
        receipt: &Signed,
        received_at: &str,
    ) -> Result<()> {
        self.write(|tx| {
            ensure_locked(tx, meeting_id)?;
            tx.execute(
                "INSERT INTO signed_pages_sent (bundle_sha256, meeting_id, page_count, receipt_body,
                     receipt_signature, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (bundle_sha256) DO NOTHING",
                params![bundle_sha256, meeting_id, page_count, receipt.body, receipt.signature, received_at],
            )?;
            // A failed try of these pages (or of fewer) is over.
            tx.execute(
                "DELETE FROM signed_pages_outbox WHERE meeting_id = ?1 AND page_count <= ?2",
                params![meeting_id, page_count],
            )?;
            Ok(())
        })
    }

    /// The meeting whose signed pages the office acknowledged with the
    /// receipt of `bundle_sha256`, and how many pages that file held.
    pub fn signed_pages_sent(&self, bundle_sha256: &str) -> Result<Option<(String, u32)>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT meeting_id, page_count FROM signed_pages_sent WHERE bundle_sha256 = ?1",
                    [bundle_sha256],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?)
        })
    }

    /// A try to send the file of a meeting's `page_count` signed pages
    /// failed with `code`: tried again at `retry_at` (RFC 3339), or, without
    /// one, refused until the cadre asks (table `signed_pages_outbox`). Its
    /// tries are counted while the file holds the same pages.
    pub fn record_signed_pages_failure(
        &self,
        meeting_id: &str,
        page_count: u32,
        code: &str,
        retry_at: Option<&str>,
    ) -> Result<SignedPagesSending> {
        let state = if retry_at.is_some() { OutboxState::Waiting } else { OutboxState::Refused };
        self.write(|tx| {
            ensure_locked(tx, meeting_id)?;
            tx.execute(
                "INSERT INTO signed_pages_outbox (meeting_id, page_count, state, attempts, last_error, next_attempt_at)
                 VALUES (?1, ?2, ?3, 1, ?4, ?5)
                 ON CONFLICT (meeting_id) DO UPDATE SET
                     attempts = CASE WHEN page_count = excluded.page_count THEN attempts + 1 ELSE 1 END,
                     page_count = excluded.page_count, state = excluded.state,
                     last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at",
                params![meeting_id, page_count, state.as_str(), code, retry_at],
            )?;
            signed_pages_sending(tx, meeting_id)
        })
    }

    /// How many of a meeting's signed pages the office acknowledged, and
    /// where the file of all of them stands.
    pub fn signed_pages_sending(&self, meeting_id: &str) -> Result<SignedPagesSending> {
        self.read(|conn| signed_pages_sending(conn, meeting_id))
    }

    /// The code printed in the footer of the papers signed for this
    /// meeting: the last printing for signing, if any.
    pub fn signed_print_code(&self, meeting_id: &str) -> Result<Option<String>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT code FROM signing_print WHERE meeting_id = ?1 ORDER BY seq DESC LIMIT 1",
                    [meeting_id],
                    |row| row.get(0),
                )
                .optional()?)
        })
    }
}

fn signed_pages_sending(conn: &Connection, meeting_id: &str) -> Result<SignedPagesSending> {
    let timezone: String = conn
        .query_row("SELECT timezone FROM meeting WHERE id = ?1", [meeting_id], |row| row.get(0))
        .optional()?
        .ok_or(CoreError::NotFound { entity: "meeting" })?;
    let timezone =
        Timezone::parse(&timezone).ok_or_else(|| CoreError::Corrupt(format!("meeting timezone {timezone:?}")))?;
    let page_count: u32 =
        conn.query_row("SELECT count(*) FROM signed_page WHERE meeting_id = ?1", [meeting_id], |row| row.get(0))?;
    let (delivered_count, delivered_at): (u32, Option<String>) = conn.query_row(
        "SELECT COALESCE(MAX(page_count), 0), MAX(received_at) FROM signed_pages_sent WHERE meeting_id = ?1",
        [meeting_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    // The last failed try, if it was of the file these pages make now.
    let failure: Option<(String, u32, String, Option<String>)> = conn
        .query_row(
            "SELECT state, attempts, last_error, next_attempt_at FROM signed_pages_outbox
             WHERE meeting_id = ?1 AND page_count = ?2",
            params![meeting_id, page_count],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    let mut sending = SignedPagesSending {
        page_count,
        delivered_count,
        delivered_at,
        state: SendState::NotSent,
        attempts: 0,
        last_error: None,
        next_attempt_at: None,
        next_attempt_at_text: None,
    };
    if page_count > 0 && delivered_count >= page_count {
        sending.state = SendState::Delivered;
    } else if let Some((state, attempts, last_error, next_attempt_at)) = failure {
        sending.state = match OutboxState::parse(&state) {
            Some(OutboxState::Waiting) => SendState::Waiting,
            Some(OutboxState::Refused) => SendState::Refused,
            _ => return Err(CoreError::Corrupt(format!("signed pages sending state {state:?}"))),
        };
        sending.next_attempt_at_text = next_attempt_at.as_deref().map(|at| DateText::instant(timezone, at));
        (sending.attempts, sending.last_error, sending.next_attempt_at) = (attempts, Some(last_error), next_attempt_at);
    }
    Ok(sending)
}

fn refused(code: FieldCode) -> CoreError {
    CoreError::Validation(vec![FieldError::new("photo", code)])
}

fn ensure_locked(conn: &Connection, meeting_id: &str) -> Result<()> {
    let status: Option<String> =
        conn.query_row("SELECT status FROM meeting WHERE id = ?1", [meeting_id], |row| row.get(0)).optional()?;
    match status.as_deref().and_then(MeetingStatus::parse) {
        None => Err(CoreError::NotFound { entity: "meeting" }),
        Some(MeetingStatus::Locked) => Ok(()),
        Some(MeetingStatus::Draft) => Err(CoreError::MeetingNotLocked),
    }
}

fn page_from_row(row: &Row<'_>) -> rusqlite::Result<Result<SignedPage>> {
    let kind: String = row.get("kind")?;
    let Some(kind) = PageKind::parse(&kind) else {
        return Ok(Err(CoreError::Corrupt(format!("signed page kind {kind:?}"))));
    };
    Ok(Ok(SignedPage {
        kind,
        position: row.get("position")?,
        sha256: row.get("sha256")?,
        media_type: row.get("media_type")?,
        added_at: row.get("added_at")?,
    }))
}
