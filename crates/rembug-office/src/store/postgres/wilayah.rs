//! The kelurahan/desa the office knows.

use rembug_core::wilayah::Kelurahan;

use super::Transaction;
use crate::store::StoreResult;

pub(super) fn wilayah(transaction: &mut Transaction) -> StoreResult<Vec<Kelurahan>> {
    let rows = transaction.query(
        "SELECT code, name, kecamatan_code, kecamatan_name, kota_code, kota_name FROM wilayah ORDER BY code",
        &[],
    )?;
    rows.iter()
        .map(|row| {
            Ok(Kelurahan {
                code: row.try_get("code")?,
                name: row.try_get("name")?,
                kecamatan_code: row.try_get("kecamatan_code")?,
                kecamatan_name: row.try_get("kecamatan_name")?,
                kota_code: row.try_get("kota_code")?,
                kota_name: row.try_get("kota_name")?,
            })
        })
        .collect()
}

pub(super) fn import_wilayah(transaction: &mut Transaction, kelurahan: &[Kelurahan]) -> StoreResult<()> {
    // Prepared once, at the first row.
    let upsert = "INSERT INTO wilayah (code, name, kecamatan_code, kecamatan_name, kota_code, kota_name)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name,
            kecamatan_code = excluded.kecamatan_code, kecamatan_name = excluded.kecamatan_name,
            kota_code = excluded.kota_code, kota_name = excluded.kota_name";
    for k in kelurahan {
        transaction
            .execute(upsert, &[&k.code, &k.name, &k.kecamatan_code, &k.kecamatan_name, &k.kota_code, &k.kota_name])?;
    }
    Ok(())
}
