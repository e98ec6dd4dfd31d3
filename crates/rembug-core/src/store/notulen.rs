//! The notulen's agenda items: added at the end, autosaved while the notulis
//! types, moved and deleted with the remaining items renumbered.

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::attendance::ensure_meeting_exists;
use super::changes::{ensure_draft, log_change};
use super::{Store, now_utc};
use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::notulen::{AgendaItem, AgendaItemForm, parse_agenda_title};

const ENTITY: &str = "agenda_item";
const AGENDA_COLUMNS: &str = "id, meeting_id, position, title, discussion, decisions, updated_at";

impl Store {
    /// Appends a new item with `title` and empty texts at the end of the agenda.
    pub fn add_agenda_item(&self, meeting_id: &str, title: &str) -> Result<AgendaItem> {
        let title =
            parse_agenda_title(title).map_err(|code| CoreError::Validation(vec![FieldError::new("title", code)]))?;
        self.write(|tx| {
            ensure_draft(tx, meeting_id)?;
            let id = Uuid::now_v7().to_string();
            let now = now_utc();
            tx.execute(
                "INSERT INTO agenda_item (id, meeting_id, position, title, updated_at)
                 VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_item WHERE meeting_id = ?2), ?3, ?4)",
                params![id, meeting_id, title, now],
            )?;
            let item = get_agenda_item(tx, &id)?;
            log_change(tx, meeting_id, &now, ENTITY, Some(&id), "created", None, Some(&item))?;
            Ok(item)
        })
    }

    /// The autosave target: stores the item's texts in one small durable
    /// transaction. Saving what is already stored writes nothing and logs
    /// nothing, so the UI may save as often as it likes.
    pub fn save_agenda_item(&self, id: &str, form: &AgendaItemForm) -> Result<AgendaItem> {
        let fields = form.parse().map_err(CoreError::Validation)?;
        self.write(|tx| {
            let before = get_agenda_item(tx, id)?;
            ensure_draft(tx, &before.meeting_id)?;
            if !before.differs_from(&fields) {
                return Ok(before);
            }
            let now = now_utc();
            tx.execute(
                "UPDATE agenda_item SET title = ?2, discussion = ?3, decisions = ?4, updated_at = ?5 WHERE id = ?1",
                params![id, fields.title, fields.discussion, fields.decisions, now],
            )?;
            let after = AgendaItem {
                title: fields.title,
                discussion: fields.discussion,
                decisions: fields.decisions,
                updated_at: now.clone(),
                ..before.clone()
            };
            log_change(tx, &before.meeting_id, &now, ENTITY, Some(id), "updated", Some(&before), Some(&after))?;
            Ok(after)
        })
    }

    /// Moves an item to `new_position` (1 is the first) and renumbers the
    /// others, all in one transaction.
    pub fn move_agenda_item(&self, id: &str, new_position: u32) -> Result<Vec<AgendaItem>> {
        self.write(|tx| {
            let before = get_agenda_item(tx, id)?;
            ensure_draft(tx, &before.meeting_id)?;
            let mut ids = agenda_ids(tx, &before.meeting_id)?;
            if new_position < 1 || new_position as usize > ids.len() {
                return Err(CoreError::Validation(vec![FieldError::new("position", FieldCode::PositionOutOfRange)]));
            }
            if new_position == before.position {
                return agenda(tx, &before.meeting_id);
            }
            let moving = ids.remove(before.position as usize - 1);
            ids.insert(new_position as usize - 1, moving);
            let now = now_utc();
            renumber(tx, &ids, &now)?;
            let after = get_agenda_item(tx, id)?;
            log_change(tx, &before.meeting_id, &now, ENTITY, Some(id), "moved", Some(&before), Some(&after))?;
            agenda(tx, &before.meeting_id)
        })
    }

    /// Deletes an item; the items after it move up one place.
    pub fn delete_agenda_item(&self, id: &str) -> Result<Vec<AgendaItem>> {
        self.write(|tx| {
            let before = get_agenda_item(tx, id)?;
            ensure_draft(tx, &before.meeting_id)?;
            tx.execute("DELETE FROM agenda_item WHERE id = ?1", [id])?;
            let now = now_utc();
            renumber(tx, &agenda_ids(tx, &before.meeting_id)?, &now)?;
            log_change(tx, &before.meeting_id, &now, ENTITY, Some(id), "deleted", Some(&before), None)?;
            agenda(tx, &before.meeting_id)
        })
    }

    /// The meeting's agenda in order.
    pub fn agenda(&self, meeting_id: &str) -> Result<Vec<AgendaItem>> {
        self.read(|conn| {
            ensure_meeting_exists(conn, meeting_id)?;
            agenda(conn, meeting_id)
        })
    }
}

fn agenda(conn: &Connection, meeting_id: &str) -> Result<Vec<AgendaItem>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {AGENDA_COLUMNS} FROM agenda_item WHERE meeting_id = ?1 ORDER BY position, seq"
    ))?;
    let rows = statement.query_map([meeting_id], agenda_item_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn get_agenda_item(conn: &Connection, id: &str) -> Result<AgendaItem> {
    conn.prepare_cached(&format!("SELECT {AGENDA_COLUMNS} FROM agenda_item WHERE id = ?1"))?
        .query_row([id], agenda_item_from_row)
        .optional()?
        .ok_or(CoreError::NotFound { entity: "agenda_item" })
}

fn agenda_ids(conn: &Connection, meeting_id: &str) -> Result<Vec<String>> {
    let mut statement =
        conn.prepare_cached("SELECT id FROM agenda_item WHERE meeting_id = ?1 ORDER BY position, seq")?;
    let rows = statement.query_map([meeting_id], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Gives `ids` the positions 1, 2, 3, ... in order, touching only the items
/// whose position changes.
fn renumber(tx: &Transaction<'_>, ids: &[String], now: &str) -> Result<()> {
    let mut statement =
        tx.prepare_cached("UPDATE agenda_item SET position = ?2, updated_at = ?3 WHERE id = ?1 AND position != ?2")?;
    for (index, id) in ids.iter().enumerate() {
        statement.execute(params![id, index as i64 + 1, now])?;
    }
    Ok(())
}

fn agenda_item_from_row(row: &Row<'_>) -> rusqlite::Result<AgendaItem> {
    Ok(AgendaItem {
        id: row.get("id")?,
        meeting_id: row.get("meeting_id")?,
        position: row.get("position")?,
        title: row.get("title")?,
        discussion: row.get("discussion")?,
        decisions: row.get("decisions")?,
        updated_at: row.get("updated_at")?,
    })
}
