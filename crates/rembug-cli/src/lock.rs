//! `lock`: locks a draft meeting for scripts, through the core's one lock
//! (`Store::lock_meeting`, which freezes what the meeting says), or says what
//! it still lacks in the Kunci tab's words.

use std::path::Path;

use chrono::DateTime;
use rembug_core::meeting::Meeting;
use rembug_core::{CoreError, DataDir, FieldError};
use serde::Serialize;

use crate::catalogue;
use crate::commands::{print, print_json};
use crate::error::CliError;

/// What `lock --json` prints once the meeting is locked.
#[derive(Serialize)]
struct LockedJson<'a> {
    ok: bool,
    meeting_id: &'a str,
    revision: u32,
    /// UTC, RFC 3339.
    locked_at: &'a str,
    /// SHA-256 of the frozen `meeting.json`, as every seal of it carries.
    content_hash: &'a str,
}

/// What `lock --json` prints when the meeting cannot be locked yet: each
/// missing part with its code and the app's sentence for it.
#[derive(Serialize)]
struct NotReadyJson<'a> {
    ok: bool,
    code: &'static str,
    message: String,
    missing: Vec<MissingJson<'a>>,
}

#[derive(Serialize)]
struct MissingJson<'a> {
    field: &'a str,
    code: &'static str,
    message: String,
}

pub fn lock(dir: &Path, meeting_id: &str, json: bool) -> Result<(), CliError> {
    let data_dir = DataDir::open(dir)?;
    let store = data_dir.open_store()?;
    let meeting = match store.lock_meeting(meeting_id) {
        Ok(meeting) => meeting,
        Err(CoreError::NotReadyToLock(missing)) if json => {
            print_json(&NotReadyJson {
                ok: false,
                code: "not_ready_to_lock",
                message: not_ready_message(&missing),
                missing: missing
                    .iter()
                    .map(|field| MissingJson {
                        field: &field.field,
                        code: field.code.as_str(),
                        message: catalogue::field_text(field.code.as_str()),
                    })
                    .collect(),
            })?;
            return Err(CliError::Core(CoreError::NotReadyToLock(missing)));
        }
        Err(error) => return Err(error.into()),
    };
    let frozen = store.frozen_record(&meeting.id)?;
    let locked_at = meeting.locked_at.as_deref().unwrap_or_default();
    if json {
        return print_json(&LockedJson {
            ok: true,
            meeting_id: &meeting.id,
            revision: meeting.revision,
            locked_at,
            content_hash: &frozen.content_hash,
        });
    }
    print(&format!(
        "Musyawarah dikunci: isinya tidak bisa diubah lagi; koreksi hanya lewat revisi baru.\n\
         ID            {}\n\
         Revisi        {}\n\
         Dikunci       {}\n\
         SHA-256 isi   {}\n",
        meeting.id,
        meeting.revision,
        local_time(&meeting, locked_at),
        frozen.content_hash,
    ))
}

/// The Kunci tab's sentence and its list of what is missing, one per line.
pub fn not_ready_message(missing: &[FieldError]) -> String {
    let mut message = catalogue::text("lock.missing").unwrap_or("not_ready_to_lock").to_owned();
    for field in missing {
        message.push_str(&format!("\n  - {}", catalogue::field_text(field.code.as_str())));
    }
    message
}

/// `2026-12-07 10.15 WIB`: a stored UTC instant in the meeting's own zone.
fn local_time(meeting: &Meeting, utc: &str) -> String {
    match DateTime::parse_from_rfc3339(utc) {
        Ok(instant) => format!(
            "{} {}",
            instant.with_timezone(&meeting.timezone.offset()).format("%Y-%m-%d %H.%M"),
            meeting.timezone.as_str()
        ),
        Err(_) => utc.to_owned(),
    }
}
