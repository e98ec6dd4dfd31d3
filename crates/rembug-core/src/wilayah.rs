//! Wilayah: the administrative areas a meeting belongs to.
//!
//! Kelurahan carry 10-digit Kemendagri codes (`32.77.01.1001`: province 32,
//! kota 77, kecamatan 01, kelurahan 1001). RW and RT are plain numbers inside a
//! kelurahan and live on the meeting, not here.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Result};

/// The wilayah shipped with the app: Kota Cimahi, 3 kecamatan, 15 kelurahan.
pub const CIMAHI_CSV: &str = include_str!("../data/wilayah-cimahi.csv");

const HEADER: [&str; 6] = ["kode_kemendagri", "kelurahan", "kode_kecamatan", "kecamatan", "kode_kota", "kota"];
const NAME_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Kelurahan {
    /// Kemendagri code, `NN.NN.NN.NNNN`.
    pub code: String,
    pub name: String,
    /// `NN.NN.NN`
    pub kecamatan_code: String,
    pub kecamatan_name: String,
    /// `NN.NN`
    pub kota_code: String,
    pub kota_name: String,
}

/// Parses a wilayah CSV with the columns of `wilayah-cimahi.csv`. The whole
/// file is refused on the first bad line, so a half-imported city never exists.
pub fn parse_wilayah_csv(csv: &str) -> Result<Vec<Kelurahan>> {
    let mut lines = csv.lines().enumerate().filter(|(_, line)| !line.trim().is_empty());
    let bad = |line: usize, reason: &str| CoreError::WilayahCsv { line: line + 1, reason: reason.to_owned() };

    let (header_index, header) = lines.next().ok_or_else(|| bad(0, "the file is empty"))?;
    let columns: Vec<&str> = header.trim_start_matches('\u{feff}').split(',').map(str::trim).collect();
    if columns != HEADER {
        return Err(bad(header_index, &format!("the header must be {}", HEADER.join(","))));
    }

    let mut kelurahan: Vec<Kelurahan> = Vec::new();
    for (index, line) in lines {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let [code, name, kecamatan_code, kecamatan_name, kota_code, kota_name] = cells[..] else {
            return Err(bad(index, &format!("expected 6 columns, found {}", cells.len())));
        };
        if !is_code(code, &[2, 2, 2, 4]) {
            return Err(bad(index, "kode_kemendagri must look like 32.77.01.1001"));
        }
        if !is_code(kecamatan_code, &[2, 2, 2]) || !code.starts_with(&format!("{kecamatan_code}.")) {
            return Err(bad(index, "kode_kecamatan must be the first part of kode_kemendagri"));
        }
        if !is_code(kota_code, &[2, 2]) || !kecamatan_code.starts_with(&format!("{kota_code}.")) {
            return Err(bad(index, "kode_kota must be the first part of kode_kecamatan"));
        }
        for (value, column) in [(name, "kelurahan"), (kecamatan_name, "kecamatan"), (kota_name, "kota")] {
            if value.is_empty() || value.chars().count() > NAME_MAX_CHARS || value.contains('"') {
                return Err(bad(index, &format!("{column} must be a plain name of 1 to {NAME_MAX_CHARS} characters")));
            }
        }
        if kelurahan.iter().any(|k| k.code == code) {
            return Err(bad(index, &format!("{code} appears twice")));
        }
        kelurahan.push(Kelurahan {
            code: code.to_owned(),
            name: name.to_owned(),
            kecamatan_code: kecamatan_code.to_owned(),
            kecamatan_name: kecamatan_name.to_owned(),
            kota_code: kota_code.to_owned(),
            kota_name: kota_name.to_owned(),
        });
    }
    if kelurahan.is_empty() {
        return Err(bad(header_index, "the file lists no kelurahan"));
    }
    Ok(kelurahan)
}

/// True when `code` is dot-separated groups of digits of exactly these widths.
fn is_code(code: &str, widths: &[usize]) -> bool {
    let parts: Vec<&str> = code.split('.').collect();
    parts.len() == widths.len()
        && parts
            .iter()
            .zip(widths)
            .all(|(part, &width)| part.len() == width && part.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_cimahi_wilayah_has_3_kecamatan_and_15_kelurahan() {
        let kelurahan = parse_wilayah_csv(CIMAHI_CSV).unwrap();
        assert_eq!(kelurahan.len(), 15);
        let mut kecamatan: Vec<&str> = kelurahan.iter().map(|k| k.kecamatan_name.as_str()).collect();
        kecamatan.dedup();
        assert_eq!(kecamatan, ["Cimahi Selatan", "Cimahi Tengah", "Cimahi Utara"]);
        assert_eq!(kelurahan[0].code, "32.77.01.1001");
        assert_eq!(kelurahan[0].name, "Melong");
    }

    #[test]
    fn bad_lines_are_refused_with_their_line_number() {
        let header = HEADER.join(",");
        let cases = [
            (format!("{header}\n32.77.01.1001,Melong,32.77.01,Cimahi Selatan,32.77"), 2, "expected 6 columns"),
            (format!("{header}\n32.77.01.10,Melong,32.77.01,Cimahi Selatan,32.77,Kota Cimahi"), 2, "kode_kemendagri"),
            (format!("{header}\n32.77.01.1001,Melong,32.77.02,Cimahi Selatan,32.77,Kota Cimahi"), 2, "kode_kecamatan"),
            (format!("{header}\n32.77.01.1001,,32.77.01,Cimahi Selatan,32.77,Kota Cimahi"), 2, "kelurahan must"),
            (
                format!("{header}\n32.77.01.1001,A,32.77.01,B,32.77,C\n32.77.01.1001,A,32.77.01,B,32.77,C"),
                3,
                "appears twice",
            ),
            ("kode,nama\n".to_owned(), 1, "header"),
            (header.clone(), 1, "no kelurahan"),
        ];
        for (csv, line, reason) in cases {
            match parse_wilayah_csv(&csv) {
                Err(CoreError::WilayahCsv { line: got, reason: why }) => {
                    assert_eq!(got, line, "{csv}");
                    assert!(why.contains(reason), "{why} should mention {reason}");
                }
                other => panic!("{csv} gave {other:?}"),
            }
        }
    }
}
