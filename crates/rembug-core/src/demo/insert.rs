//! The rows demo data is made of, and their INSERTs: direct SQL with cached
//! prepared statements, inside the caller's one transaction, for speed. The
//! FTS triggers fill the search index as the rows go in.

use std::sync::LazyLock;

use rusqlite::types::Value;
use rusqlite::{Transaction, params, params_from_iter};

use crate::error::Result;
use crate::store::{CONTENT_COLUMNS, content_values};
use crate::usulan::UsulanFields;

pub(super) struct PersonRow {
    pub id: String,
    pub name: String,
    pub gender: &'static str,
    pub unsur: &'static str,
    pub rt: Option<u16>,
    pub rw: Option<u16>,
    pub kelurahan_code: String,
    pub phone: Option<String>,
    pub disability: bool,
    pub age_group: &'static str,
    pub created_at: String,
}

pub(super) struct MeetingRow<'a> {
    pub id: &'a str,
    pub stage: &'static str,
    pub kelurahan_code: &'a str,
    pub rw: Option<u16>,
    pub planning_year: i32,
    pub starts_at: &'a str,
    pub timezone: &'static str,
    pub place: &'a str,
    pub facilitator: &'a str,
    pub notulis: &'a str,
    pub pimpinan: &'a str,
    pub pimpinan_jabatan: &'a str,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

/// An usulan as proposed: its content as the usulan form would store it;
/// `outcome` is known only once a year is over.
#[derive(Clone)]
pub(super) struct UsulanRow {
    pub id: String,
    pub fields: UsulanFields,
    pub outcome: Option<&'static str>,
    pub carried_from_id: Option<String>,
    pub created_at: String,
}

pub(super) fn person(tx: &Transaction<'_>, p: &PersonRow) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO person (id, name, gender, unsur, rt, rw, kelurahan_code, phone, disability, age_group,
                             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )?
    .execute(params![
        p.id,
        p.name,
        p.gender,
        p.unsur,
        p.rt,
        p.rw,
        p.kelurahan_code,
        p.phone,
        p.disability,
        p.age_group,
        p.created_at
    ])?;
    Ok(())
}

/// A draft meeting: its rows go in next, and `lock` locks it last, since the
/// schema refuses rows for a locked meeting.
pub(super) fn meeting(tx: &Transaction<'_>, m: &MeetingRow<'_>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO meeting (id, stage, status, kelurahan_code, rw, planning_year, starts_at, timezone, place,
                              facilitator, notulis, pimpinan, pimpinan_jabatan, created_at, updated_at)
         VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        m.id,
        m.stage,
        m.kelurahan_code,
        m.rw,
        m.planning_year,
        m.starts_at,
        m.timezone,
        m.place,
        m.facilitator,
        m.notulis,
        m.pimpinan,
        m.pimpinan_jabatan,
        m.created_at,
        m.updated_at
    ])?;
    Ok(())
}

pub(super) fn lock(tx: &Transaction<'_>, meeting_id: &str, locked_at: &str) -> Result<()> {
    tx.prepare_cached("UPDATE meeting SET status = 'locked', locked_at = ?2 WHERE id = ?1")?
        .execute(params![meeting_id, locked_at])?;
    Ok(())
}

/// Copies the person's details into the daftar hadir, as a check-in does.
pub(super) fn attendance(tx: &Transaction<'_>, meeting_id: &str, p: &PersonRow, role: &str, at: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO attendance (meeting_id, person_id, name, gender, unsur, rt, rw, phone, disability, age_group,
                                 role, checked_in_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        meeting_id,
        p.id,
        p.name,
        p.gender,
        p.unsur,
        p.rt,
        p.rw,
        p.phone,
        p.disability,
        p.age_group,
        role,
        at
    ])?;
    Ok(())
}

pub(super) struct AgendaRow<'a> {
    pub id: &'a str,
    pub meeting_id: &'a str,
    pub position: usize,
    pub title: &'a str,
    pub discussion: &'a str,
    pub decisions: &'a str,
    pub updated_at: &'a str,
}

pub(super) fn agenda_item(tx: &Transaction<'_>, a: &AgendaRow<'_>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO agenda_item (id, meeting_id, position, title, discussion, decisions, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![a.id, a.meeting_id, a.position as i64, a.title, a.discussion, a.decisions, a.updated_at])?;
    Ok(())
}

/// Stores the usulan's content as the usulan form does
/// ([`CONTENT_COLUMNS`]), with the demo's own id, place, outcome and times.
pub(super) fn usulan(
    tx: &Transaction<'_>,
    meeting_id: &str,
    position: usize,
    u: &UsulanRow,
    updated_at: &str,
) -> Result<()> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let values = (0..CONTENT_COLUMNS.len()).map(|index| format!("?{}", index + 8)).collect::<Vec<_>>();
        format!(
            "INSERT INTO usulan (id, meeting_id, position, outcome, carried_from_id, created_at, updated_at, {})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {})",
            CONTENT_COLUMNS.join(", "),
            values.join(", ")
        )
    });
    let own = [
        Value::from(u.id.clone()),
        Value::from(meeting_id.to_owned()),
        Value::from(position as i64),
        Value::from(u.outcome.map(str::to_owned)),
        Value::from(u.carried_from_id.clone()),
        Value::from(u.created_at.clone()),
        Value::from(updated_at.to_owned()),
    ];
    tx.prepare_cached(&SQL)?.execute(params_from_iter(own.into_iter().chain(content_values(&u.fields))))?;
    Ok(())
}

pub(super) fn criterion(
    tx: &Transaction<'_>,
    id: &str,
    meeting_id: &str,
    position: usize,
    name: &str,
    weight: u64,
) -> Result<()> {
    tx.prepare_cached("INSERT INTO criterion (id, meeting_id, position, name, weight) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![id, meeting_id, position as i64, name, weight as i64])?;
    Ok(())
}

pub(super) fn score(tx: &Transaction<'_>, usulan_id: &str, criterion_id: &str, score: u64) -> Result<()> {
    tx.prepare_cached("INSERT INTO score (usulan_id, criterion_id, score) VALUES (?1, ?2, ?3)")?.execute(params![
        usulan_id,
        criterion_id,
        score as i64
    ])?;
    Ok(())
}

pub(super) fn delegate(tx: &Transaction<'_>, meeting_id: &str, person_id: &str, position: usize) -> Result<()> {
    tx.prepare_cached("INSERT INTO delegate (meeting_id, person_id, position) VALUES (?1, ?2, ?3)")?
        .execute(params![meeting_id, person_id, position as i64])?;
    Ok(())
}
