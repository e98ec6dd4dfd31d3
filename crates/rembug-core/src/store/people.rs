//! The person directory and its in-memory autocomplete index.
//!
//! The index is built from the `person` table on first use and kept in step
//! after every committed insert or update. Lock order: the index lock is only
//! ever taken before the connection lock (building), or alone (updating after
//! a commit), so the two never deadlock and no committed person is missed.

use std::sync::MutexGuard;

use rusqlite::{Connection, OptionalExtension, Row, RowIndex, params};
use uuid::Uuid;

use super::meetings::decode;
use super::wilayah::find_kelurahan;
use super::{Store, now_utc};
use crate::attendance::PersonSuggestion;
use crate::autocomplete::{IndexedPerson, Neighbourhood, PeopleIndex};
use crate::error::{CoreError, Result};
use crate::people::{AgeGroup, Gender, Person, PersonFields, PersonForm};

const PERSON_COLUMNS: &str =
    "id, name, gender, unsur, rt, rw, kelurahan_code, phone, disability, age_group, created_at, updated_at";

impl Store {
    pub fn create_person(&self, form: &PersonForm) -> Result<Person> {
        let person = self.write(|tx| {
            let fields = parse_person_form(tx, form)?;
            insert_person(tx, &fields)
        })?;
        self.index_person(&person);
        Ok(person)
    }

    /// Corrects a person in the directory. Attendance lists already signed
    /// keep the details as they were at check-in.
    pub fn update_person(&self, id: &str, form: &PersonForm) -> Result<Person> {
        let person = self.write(|tx| {
            get_person(tx, id)?;
            let fields = parse_person_form(tx, form)?;
            save_person(
                tx,
                "UPDATE person SET name = ?2, gender = ?3, unsur = ?4, rt = ?5, rw = ?6, kelurahan_code = ?7,
                        phone = ?8, disability = ?9, age_group = ?10, updated_at = ?11
                 WHERE id = ?1",
                id,
                &fields,
            )
        })?;
        self.index_person(&person);
        Ok(person)
    }

    pub fn get_person(&self, id: &str) -> Result<Person> {
        self.read(|conn| get_person(conn, id))
    }

    /// The residents of an RW in the directory, by RT then name: the daftar
    /// hadir printed before a meeting (the door's backup when the laptop's
    /// battery dies).
    pub fn rw_residents(&self, kelurahan_code: &str, rw: u16) -> Result<Vec<Person>> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(&format!(
                "SELECT {PERSON_COLUMNS} FROM person WHERE kelurahan_code = ?1 AND rw = ?2 \
                 ORDER BY rt IS NULL, rt, name COLLATE NOCASE, id"
            ))?;
            let people = statement.query_map(params![kelurahan_code, rw], person_from_row)?;
            Ok(people.collect::<rusqlite::Result<Vec<Person>>>()?)
        })
    }

    /// The directory's best `limit` matches for what was typed in a meeting's
    /// attendance row: the meeting's RW first, tolerant of one typing error.
    pub fn suggest_people(&self, query: &str, meeting_id: &str, limit: usize) -> Result<Vec<PersonSuggestion>> {
        let near = self.read(|conn| {
            conn.query_row("SELECT kelurahan_code, rw FROM meeting WHERE id = ?1", [meeting_id], |row| {
                Ok(Neighbourhood { kelurahan_code: row.get(0)?, rw: row.get(1)? })
            })
            .optional()?
            .ok_or(CoreError::NotFound { entity: "meeting" })
        })?;
        let ids: Vec<String> = {
            let index = self.people_index()?;
            let index = index.as_ref().expect("people_index builds the index");
            index.search(query, &near, limit).into_iter().map(str::to_owned).collect()
        };
        self.read(|conn| {
            let mut checked_in = conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM attendance WHERE meeting_id = ?1 AND person_id = ?2)")?;
            ids.iter()
                .map(|id| {
                    Ok(PersonSuggestion {
                        person: get_person(conn, id)?,
                        checked_in: checked_in.query_row([meeting_id, id], |row| row.get(0))?,
                    })
                })
                .collect()
        })
    }

    /// The autocomplete index, built from the table on first use.
    fn people_index(&self) -> Result<MutexGuard<'_, Option<PeopleIndex>>> {
        let mut guard = self.people_index.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard.is_none() {
            *guard = Some(self.read(build_people_index)?);
        }
        Ok(guard)
    }

    /// Brings a committed person into the index, if it has been built yet;
    /// otherwise the build will read them from the table.
    pub(super) fn index_person(&self, person: &Person) {
        let mut guard = self.people_index.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(index) = guard.as_mut() {
            index.upsert(IndexedPerson {
                id: &person.id,
                name: &person.name,
                kelurahan_code: person.kelurahan_code.as_deref(),
                rw: person.rw,
            });
        }
    }
}

fn build_people_index(conn: &Connection) -> Result<PeopleIndex> {
    let mut statement = conn.prepare("SELECT id, name, kelurahan_code, rw FROM person")?;
    let people = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, Option<String>>(2)?, row.get(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(PeopleIndex::from_people(people.iter().map(|(id, name, kelurahan_code, rw)| IndexedPerson {
        id,
        name,
        kelurahan_code: kelurahan_code.as_deref(),
        rw: *rw,
    })))
}

pub(super) fn parse_person_form(conn: &Connection, form: &PersonForm) -> Result<PersonFields> {
    let mut lookup_error = None;
    let parsed = form.parse(|code| {
        find_kelurahan(conn, code)
            .unwrap_or_else(|error| {
                lookup_error = Some(error);
                None
            })
            .is_some()
    });
    if let Some(error) = lookup_error {
        return Err(error.into());
    }
    parsed.map_err(CoreError::Validation)
}

pub(super) fn insert_person(conn: &Connection, fields: &PersonFields) -> Result<Person> {
    save_person(
        conn,
        "INSERT INTO person (id, name, gender, unsur, rt, rw, kelurahan_code, phone, disability, age_group,
                             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        &Uuid::now_v7().to_string(),
        fields,
    )
}

/// Runs an insert or update of a person whose parameters are the id, the
/// fields in column order, then the time of the change.
fn save_person(conn: &Connection, sql: &str, id: &str, fields: &PersonFields) -> Result<Person> {
    conn.execute(
        sql,
        params![
            id,
            fields.name,
            fields.gender.as_str(),
            fields.unsur,
            fields.rt,
            fields.rw,
            fields.kelurahan_code,
            fields.phone,
            fields.disability,
            fields.age_group.map(AgeGroup::as_str),
            now_utc(),
        ],
    )?;
    get_person(conn, id)
}

pub(super) fn get_person(conn: &Connection, id: &str) -> Result<Person> {
    conn.prepare_cached(&format!("SELECT {PERSON_COLUMNS} FROM person WHERE id = ?1"))?
        .query_row([id], person_from_row)
        .optional()?
        .ok_or(CoreError::NotFound { entity: "person" })
}

fn person_from_row(row: &Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: row.get("id")?,
        name: row.get("name")?,
        gender: decode(row, "gender", Gender::parse)?,
        unsur: row.get("unsur")?,
        rt: row.get("rt")?,
        rw: row.get("rw")?,
        kelurahan_code: row.get("kelurahan_code")?,
        phone: row.get("phone")?,
        disability: row.get("disability")?,
        age_group: optional_age_group(row, "age_group")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// An optional `age_group` column; an unknown stored value is corrupt data.
pub(super) fn optional_age_group(row: &Row<'_>, index: impl RowIndex + Copy) -> rusqlite::Result<Option<AgeGroup>> {
    match row.get_ref(index)?.as_str_or_null()? {
        None => Ok(None),
        Some(_) => decode(row, index, AgeGroup::parse).map(Some),
    }
}
