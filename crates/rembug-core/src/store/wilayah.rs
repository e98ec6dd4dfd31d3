use rusqlite::{OptionalExtension, Row};

use super::Store;
use crate::error::Result;
use crate::wilayah::{CIMAHI_CSV, Kelurahan, parse_wilayah_csv};

/// The columns `kelurahan_from_row` reads by name; the code and the name
/// are named `kelurahan_…` to stay apart from a meeting's own columns.
pub(super) const KELURAHAN_COLUMNS: &str = "kelurahan.code AS kelurahan_code, kelurahan.name AS kelurahan_name, \
     kelurahan.kecamatan_code, kelurahan.kecamatan_name, kelurahan.kota_code, kelurahan.kota_name";

pub(super) fn kelurahan_from_row(row: &Row<'_>) -> rusqlite::Result<Kelurahan> {
    Ok(Kelurahan {
        code: row.get("kelurahan_code")?,
        name: row.get("kelurahan_name")?,
        kecamatan_code: row.get("kecamatan_code")?,
        kecamatan_name: row.get("kecamatan_name")?,
        kota_code: row.get("kota_code")?,
        kota_name: row.get("kota_name")?,
    })
}

pub(super) fn find_kelurahan(conn: &rusqlite::Connection, code: &str) -> rusqlite::Result<Option<Kelurahan>> {
    conn.query_row(&format!("SELECT {KELURAHAN_COLUMNS} FROM kelurahan WHERE code = ?1"), [code], kelurahan_from_row)
        .optional()
}

impl Store {
    /// Every kelurahan, ordered by kecamatan then name (the order of a picker).
    pub fn list_kelurahan(&self) -> Result<Vec<Kelurahan>> {
        self.read(|conn| {
            let mut statement =
                conn.prepare(&format!("SELECT {KELURAHAN_COLUMNS} FROM kelurahan ORDER BY kecamatan_name, name"))?;
            let rows = statement.query_map([], kelurahan_from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Adds or renames the kelurahan of a wilayah CSV (same columns as the
    /// shipped Cimahi file). All or nothing; answers how many rows it holds.
    pub fn import_wilayah_csv(&self, csv: &str) -> Result<usize> {
        let kelurahan = parse_wilayah_csv(csv)?;
        self.import_wilayah(&kelurahan)?;
        Ok(kelurahan.len())
    }

    /// Adds or renames these kelurahan, all in one transaction.
    pub fn import_wilayah(&self, kelurahan: &[Kelurahan]) -> Result<()> {
        self.write(|tx| upsert_kelurahan(tx, kelurahan))
    }

    pub(super) fn seed_default_wilayah(&self) -> Result<()> {
        let empty = self.read(|conn| {
            Ok(conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM kelurahan)", [], |row| row.get::<_, bool>(0))?)
        })?;
        if empty {
            self.import_wilayah_csv(CIMAHI_CSV)?;
        }
        Ok(())
    }
}

/// Adds or renames `kelurahan` inside the caller's transaction.
pub(super) fn upsert_kelurahan(tx: &rusqlite::Transaction<'_>, kelurahan: &[Kelurahan]) -> Result<()> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO kelurahan (code, name, kecamatan_code, kecamatan_name, kota_code, kota_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name,
            kecamatan_code = excluded.kecamatan_code, kecamatan_name = excluded.kecamatan_name,
            kota_code = excluded.kota_code, kota_name = excluded.kota_name",
    )?;
    for k in kelurahan {
        upsert.execute([&k.code, &k.name, &k.kecamatan_code, &k.kecamatan_name, &k.kota_code, &k.kota_name])?;
    }
    Ok(())
}
