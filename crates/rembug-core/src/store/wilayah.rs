use rusqlite::{OptionalExtension, Row};

use super::Store;
use crate::error::Result;
use crate::wilayah::{CIMAHI_CSV, Kelurahan, parse_wilayah_csv};

pub(super) const KELURAHAN_COLUMNS: &str = "kelurahan.code, kelurahan.name, kelurahan.kecamatan_code, kelurahan.kecamatan_name, kelurahan.kota_code, kelurahan.kota_name";

pub(super) fn kelurahan_from_row(row: &Row<'_>, first: usize) -> rusqlite::Result<Kelurahan> {
    Ok(Kelurahan {
        code: row.get(first)?,
        name: row.get(first + 1)?,
        kecamatan_code: row.get(first + 2)?,
        kecamatan_name: row.get(first + 3)?,
        kota_code: row.get(first + 4)?,
        kota_name: row.get(first + 5)?,
    })
}

pub(super) fn find_kelurahan(conn: &rusqlite::Connection, code: &str) -> rusqlite::Result<Option<Kelurahan>> {
    conn.query_row(&format!("SELECT {KELURAHAN_COLUMNS} FROM kelurahan WHERE code = ?1"), [code], |row| {
        kelurahan_from_row(row, 0)
    })
    .optional()
}

impl Store {
    /// Every kelurahan, ordered by kecamatan then name (the order of a picker).
    pub fn list_kelurahan(&self) -> Result<Vec<Kelurahan>> {
        self.read(|conn| {
            let mut statement =
                conn.prepare(&format!("SELECT {KELURAHAN_COLUMNS} FROM kelurahan ORDER BY kecamatan_name, name"))?;
            let rows = statement.query_map([], |row| kelurahan_from_row(row, 0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Adds or renames the kelurahan of a wilayah CSV (same columns as the
    /// shipped Cimahi file). All or nothing; answers how many rows it holds.
    pub fn import_wilayah_csv(&self, csv: &str) -> Result<usize> {
        let kelurahan = parse_wilayah_csv(csv)?;
        self.write(|tx| {
            let mut upsert = tx.prepare(
                "INSERT INTO kelurahan (code, name, kecamatan_code, kecamatan_name, kota_code, kota_name)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name,
                    kecamatan_code = excluded.kecamatan_code, kecamatan_name = excluded.kecamatan_name,
                    kota_code = excluded.kota_code, kota_name = excluded.kota_name",
            )?;
            for k in &kelurahan {
                upsert.execute([&k.code, &k.name, &k.kecamatan_code, &k.kecamatan_name, &k.kota_code, &k.kota_name])?;
            }
            Ok(kelurahan.len())
        })
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
