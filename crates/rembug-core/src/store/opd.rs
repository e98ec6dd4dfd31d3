//! The OPD list of Settings (`crate::opd`), table `opd` (migration 0013).

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::Store;
use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::opd::{Opd, parse_opd_name};

impl Store {
    /// The OPD the usulan form offers, by name.
    pub fn opd_list(&self) -> Result<Vec<Opd>> {
        self.read(opd_list)
    }

    /// Adds an OPD to the list; a name already there (in any case) is
    /// refused (`opd_duplicate`). Answers the list.
    pub fn add_opd(&self, name: &str) -> Result<Vec<Opd>> {
        let name = parse_opd_name(name).map_err(|error| CoreError::Validation(vec![error]))?;
        self.write(|tx| {
            refuse_duplicate(tx, &name, None)?;
            tx.execute("INSERT INTO opd (name) VALUES (?1)", [&name])?;
            opd_list(tx)
        })
    }

    /// Renames an OPD of the list. Usulan that name it keep the name they
    /// were saved with.
    pub fn rename_opd(&self, id: u32, name: &str) -> Result<Vec<Opd>> {
        let name = parse_opd_name(name).map_err(|error| CoreError::Validation(vec![error]))?;
        self.write(|tx| {
            refuse_duplicate(tx, &name, Some(id))?;
            if tx.execute("UPDATE opd SET name = ?2 WHERE id = ?1", params![id, name])? == 0 {
                return Err(CoreError::NotFound { entity: "opd" });
            }
            opd_list(tx)
        })
    }

    /// Removes an OPD from the list; usulan that name it keep their text.
    pub fn remove_opd(&self, id: u32) -> Result<Vec<Opd>> {
        self.write(|tx| {
            if tx.execute("DELETE FROM opd WHERE id = ?1", [id])? == 0 {
                return Err(CoreError::NotFound { entity: "opd" });
            }
            opd_list(tx)
        })
    }
}

/// Replaces the whole list with `names` (the office's, checked by
/// `crate::opd::is_opd_list`); usulan keep the OPD text they were saved with.
pub(super) fn replace_opd_list(tx: &Transaction<'_>, names: &[String]) -> Result<()> {
    tx.execute("DELETE FROM opd", [])?;
    let mut insert = tx.prepare_cached("INSERT INTO opd (name) VALUES (?1)")?;
    for name in names {
        insert.execute([name])?;
    }
    Ok(())
}

fn opd_list(conn: &Connection) -> Result<Vec<Opd>> {
    let mut statement = conn.prepare_cached("SELECT id, name FROM opd ORDER BY name COLLATE NOCASE, id")?;
    let rows = statement.query_map([], |row| Ok(Opd { id: row.get("id")?, name: row.get("name")? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Another OPD of the list with the same name, in any case.
fn refuse_duplicate(tx: &Transaction<'_>, name: &str, except: Option<u32>) -> Result<()> {
    let other: Option<u32> = tx
        .query_row("SELECT id FROM opd WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2", params![name, except], |row| {
            row.get(0)
        })
        .optional()?;
    match other {
        Some(_) => Err(CoreError::Validation(vec![FieldError::new("name", FieldCode::OpdDuplicate)])),
        None => Ok(()),
    }
}
