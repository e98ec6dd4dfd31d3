//! Wilayah: the administrative areas a meeting belongs to.
//!
//! Kelurahan carry 10-digit Kemendagri codes (`32.77.01.1001`: province 32,
//! kota 77, kecamatan 01, kelurahan 1001). RW and RT are plain numbers inside a
//! kelurahan and live on the meeting, not here.

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::Path;

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

/// Why a line of a wilayah file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WilayahProblem {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {} MiB", WILAYAH_FILE_MAX_BYTES >> 20)]
    TooLarge,
    #[error("the file is not UTF-8 text")]
    NotText,
    #[error("the header must be {}", HEADER.join(","))]
    Header,
    #[error("expected 6 columns, found {0}")]
    Columns(usize),
    #[error("a quoted cell is not closed")]
    QuoteNotClosed,
    #[error("text follows a quoted cell")]
    TextAfterQuote,
    #[error("a quote inside an unquoted cell")]
    QuoteInsideCell,
    #[error("kode_kemendagri must look like 32.77.01.1001")]
    Code,
    #[error("kode_kecamatan must be the first part of kode_kemendagri")]
    KecamatanCode,
    #[error("kode_kota must be the first part of kode_kecamatan")]
    KotaCode,
    #[error("{0} must be a plain name of 1 to {NAME_MAX_CHARS} characters")]
    Name(&'static str),
    #[error("{0} appears twice")]
    Duplicate(String),
    #[error("the file lists no kelurahan")]
    NoRows,
}

impl WilayahProblem {
    /// The refusal as the command lines say it (the app translates the
    /// error code from its catalogue).
    /// The whole refusal of a file at `line` (0: the file as a whole).
    pub fn refusal_in_indonesian(&self, line: usize) -> String {
        let at = if line == 0 { String::new() } else { format!(" di baris {line}") };
        format!("berkas wilayah ditolak{at}: {}; wilayah tidak diubah", self.in_indonesian())
    }

    fn in_indonesian(&self) -> String {
        match self {
            WilayahProblem::Empty => "berkasnya kosong".to_owned(),
            WilayahProblem::TooLarge => "berkasnya lebih dari 32 MiB, terlalu besar untuk daftar wilayah".to_owned(),
            WilayahProblem::NotText => "berkasnya bukan teks UTF-8".to_owned(),
            WilayahProblem::Header => {
                "baris judul harus kode_kemendagri,kelurahan,kode_kecamatan,kecamatan,kode_kota,kota".to_owned()
            }
            WilayahProblem::Columns(found) => format!("seharusnya 6 kolom, ada {found}"),
            WilayahProblem::QuoteNotClosed => "tanda kutip tidak ditutup".to_owned(),
            WilayahProblem::TextAfterQuote => "ada teks sesudah tanda kutip penutup".to_owned(),
            WilayahProblem::QuoteInsideCell => "tanda kutip di tengah isian tanpa kutip".to_owned(),
            WilayahProblem::Code => "kode_kemendagri harus berbentuk seperti 32.77.01.1001".to_owned(),
            WilayahProblem::KecamatanCode => "kode_kecamatan harus bagian awal kode_kemendagri".to_owned(),
            WilayahProblem::KotaCode => "kode_kota harus bagian awal kode_kecamatan".to_owned(),
            WilayahProblem::Name(column) => format!("nama {column} harus 1 sampai 100 huruf tanpa karakter kendali"),
            WilayahProblem::Duplicate(code) => format!("kode {code} muncul dua kali"),
            WilayahProblem::NoRows => "tidak ada satu pun kelurahan".to_owned(),
        }
    }
}

/// Indonesia's 83,000 desa and kelurahan take about 5 MB in this format.
pub const WILAYAH_FILE_MAX_BYTES: u64 = 32 << 20;

/// Reads and parses a wilayah file chosen by a user, refusing a file too
/// large to be one before reading it whole.
pub fn read_wilayah_file(path: &Path) -> Result<Vec<Kelurahan>> {
    let mut bytes = Vec::new();
    File::open(path)?.take(WILAYAH_FILE_MAX_BYTES + 1).read_to_end(&mut bytes)?;
    let refused = |problem| CoreError::WilayahCsv { line: 0, problem };
    if bytes.len() as u64 > WILAYAH_FILE_MAX_BYTES {
        return Err(refused(WilayahProblem::TooLarge));
    }
    let text = String::from_utf8(bytes).map_err(|_| refused(WilayahProblem::NotText))?;
    parse_wilayah_csv(&text)
}

/// Keeps only the kelurahan of these kota/kabupaten (codes like `32.77`);
/// none named keeps all. A laptop or an office needs its own area, not the
/// 83,000 desa of a national list.
pub fn keep_kota(kelurahan: &mut Vec<Kelurahan>, kota_codes: &[String]) {
    if !kota_codes.is_empty() {
        kelurahan.retain(|k| kota_codes.contains(&k.kota_code));
    }
}

/// How many kota/kabupaten, kecamatan and kelurahan/desa a wilayah list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WilayahCounts {
    pub kota: usize,
    pub kecamatan: usize,
    pub kelurahan: usize,
}

impl WilayahCounts {
    pub fn of(kelurahan: &[Kelurahan]) -> WilayahCounts {
        let distinct = |code: fn(&Kelurahan) -> &str| kelurahan.iter().map(code).collect::<HashSet<_>>().len();
        WilayahCounts {
            kota: distinct(|k| &k.kota_code),
            kecamatan: distinct(|k| &k.kecamatan_code),
            kelurahan: kelurahan.len(),
        }
    }
}

/// Parses a wilayah CSV with the columns of `wilayah-cimahi.csv`, quoted the
/// usual way where a name holds a comma or a quote ("Lubuk Pakam I,II"). The
/// whole file is refused on the first bad line, so a half-imported city never
/// exists. A whole country (83,000 rows) parses in well under a second.
pub fn parse_wilayah_csv(csv: &str) -> Result<Vec<Kelurahan>> {
    let mut lines = csv.lines().enumerate().filter(|(_, line)| !line.trim().is_empty());
    let bad = |line: usize, problem: WilayahProblem| CoreError::WilayahCsv { line: line + 1, problem };

    let (header_index, header) = lines.next().ok_or_else(|| bad(0, WilayahProblem::Empty))?;
    let columns: Vec<&str> = header.trim_start_matches('\u{feff}').split(',').map(str::trim).collect();
    if columns != HEADER {
        return Err(bad(header_index, WilayahProblem::Header));
    }

    let mut kelurahan: Vec<Kelurahan> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (index, line) in lines {
        let cells = split_csv_line(line).map_err(|problem| bad(index, problem))?;
        let found = cells.len();
        let Ok([code, name, kecamatan_code, kecamatan_name, kota_code, kota_name]) = <[String; 6]>::try_from(cells)
        else {
            return Err(bad(index, WilayahProblem::Columns(found)));
        };
        let row = Kelurahan { code, name, kecamatan_code, kecamatan_name, kota_code, kota_name };
        if let Some(problem) = row.shape_problem() {
            return Err(bad(index, problem));
        }
        if !seen.insert(row.code.clone()) {
            return Err(bad(index, WilayahProblem::Duplicate(row.code)));
        }
        kelurahan.push(row);
    }
    if kelurahan.is_empty() {
        return Err(bad(header_index, WilayahProblem::NoRows));
    }
    Ok(kelurahan)
}

impl Kelurahan {
    /// Why this kelurahan could not come from a wilayah file, if it could not:
    /// codes `32.77.01.1001` inside `32.77.01` inside `32.77`, and names of 1
    /// to 100 characters without control characters. The one check, for the
    /// CSV parser and the bundle validator alike.
    pub fn shape_problem(&self) -> Option<WilayahProblem> {
        let Kelurahan { code, name, kecamatan_code, kecamatan_name, kota_code, kota_name } = self;
        if !is_code(code, &[2, 2, 2, 4]) {
            return Some(WilayahProblem::Code);
        }
        if !is_code(kecamatan_code, &[2, 2, 2]) || !is_part_of(kecamatan_code, code) {
            return Some(WilayahProblem::KecamatanCode);
        }
        if !is_code(kota_code, &[2, 2]) || !is_part_of(kota_code, kecamatan_code) {
            return Some(WilayahProblem::KotaCode);
        }
        [(name, "kelurahan"), (kecamatan_name, "kecamatan"), (kota_name, "kota")]
            .into_iter()
            .find(|(value, _)| !is_plain_name(value))
            .map(|(_, column)| WilayahProblem::Name(column))
    }
}

/// `32.77.01` is part of `32.77.01.1001`.
fn is_part_of(prefix: &str, code: &str) -> bool {
    code.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.'))
}

fn is_plain_name(value: &str) -> bool {
    let length = value.chars().count();
    (1..=NAME_MAX_CHARS).contains(&length) && value.trim() == value && !value.chars().any(char::is_control)
}

/// The cells of one CSV line: plain, or in double quotes with `""` for a
/// quote. A line break inside quotes is refused (no name holds one).
fn split_csv_line(line: &str) -> std::result::Result<Vec<String>, WilayahProblem> {
    let mut cells = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        let mut cell = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        cell.push('"');
                    }
                    Some('"') => break,
                    Some(c) => cell.push(c),
                    None => return Err(WilayahProblem::QuoteNotClosed),
                }
            }
            if !matches!(chars.peek(), None | Some(',')) {
                return Err(WilayahProblem::TextAfterQuote);
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                if c == '"' {
                    return Err(WilayahProblem::QuoteInsideCell);
                }
                cell.push(c);
                chars.next();
            }
        }
        cells.push(cell.trim().to_owned());
        if chars.next().is_none() {
            return Ok(cells);
        }
    }
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
            (format!("{header}\n32.77.01.1001,\"Melong,32.77.01,B,32.77,C"), 2, "not closed"),
            (format!("{header}\n32.77.01.1001,\"Mel\"ong,32.77.01,B,32.77,C"), 2, "follows a quoted cell"),
            (format!("{header}\n32.77.01.1001,Mel\"ong,32.77.01,B,32.77,C"), 2, "inside an unquoted cell"),
            (format!("{header}\n32.77.01.1001,Me\u{7}long,32.77.01,B,32.77,C"), 2, "kelurahan must"),
            (format!("{header}\n32.77.011.1001,A,32.77.011,B,32.77,C"), 2, "kode_kemendagri"),
            ("kode,nama\n".to_owned(), 1, "header"),
            (header.clone(), 1, "no kelurahan"),
        ];
        for (csv, line, reason) in cases {
            match parse_wilayah_csv(&csv) {
                Err(CoreError::WilayahCsv { line: got, problem }) => {
                    assert_eq!(got, line, "{csv}");
                    let why = problem.to_string();
                    assert!(why.contains(reason), "{why} should mention {reason}");
                }
                other => panic!("{csv} gave {other:?}"),
            }
        }
    }
    #[test]
    fn quoted_names_keep_their_commas_and_quotes() {
        let csv = format!(
            "{}\n12.07.28.1007,\"Lubuk Pakam I,II\",12.07.28,Lubuk Pakam,12.07,Kabupaten Deli Serdang\n\
             35.13.15.2017,\"Soka\"\"an\",35.13.15,Krucil,35.13,Kabupaten Probolinggo\n",
            HEADER.join(",")
        );
        let kelurahan = parse_wilayah_csv(&csv).unwrap();
        assert_eq!(kelurahan[0].name, "Lubuk Pakam I,II");
        assert_eq!(kelurahan[1].name, "Soka\"an");
        assert_eq!(kelurahan[1].kota_name, "Kabupaten Probolinggo");
        assert!(kelurahan.iter().all(|k| k.shape_problem().is_none()));
    }

    #[test]
    fn a_whole_country_of_rows_parses_and_a_late_duplicate_is_still_found() {
        let mut csv = HEADER.join(",");
        for n in 0..84_000 {
            let (kota, kecamatan, desa) = (n / 10_000, n / 100 % 100, n % 100 + 1000);
            csv.push_str(&format!(
                "\n32.{kota:02}.{kecamatan:02}.{desa},Desa {n},32.{kota:02}.{kecamatan:02},Kec {kecamatan},32.{kota:02},Kota {kota}"
            ));
        }
        assert_eq!(parse_wilayah_csv(&csv).unwrap().len(), 84_000);
        csv.push_str("\n32.00.00.1000,Again,32.00.00,Kec 0,32.00,Kota 0");
        match parse_wilayah_csv(&csv) {
            Err(CoreError::WilayahCsv { line, problem }) => {
                assert_eq!(line, 84_002);
                assert_eq!(problem, WilayahProblem::Duplicate("32.00.00.1000".to_owned()));
            }
            other => panic!("{other:?}"),
        }
    }
}
