//! The office's recap of one kecamatan and planning year: per kelurahan the
//! RWs whose Rembug Warga reached the office and those still missing, with
//! their usulan and estimated cost, then the usulan by bidang. Made from
//! plain values the office fills ([`RekapKecamatan`]), so this crate knows
//! nothing of the office's store.

use chrono::NaiveDate;
use rembug_core::rupiah::format_rupiah;
use rembug_core::tanggal::short_date;
use rembug_core::text::area_number_text;
use serde::Serialize;

use crate::error::DocsError;
use crate::render;

const TEMPLATE: &str = "rekap.typ";

/// What the recap shows, in plain values.
#[derive(Debug, Clone, PartialEq)]
pub struct RekapKecamatan {
    /// "Kota Cimahi": the kop's "PEMERINTAH KOTA CIMAHI".
    pub kota_name: String,
    /// "Bappelitbangda Kota Cimahi": the office, second line of the kop.
    pub office_name: String,
    /// "Cimahi": where the recap is dated.
    pub office_city: String,
    pub kecamatan_name: String,
    pub planning_year: i32,
    /// The day it is printed (the office's).
    pub printed_on: NaiveDate,
    /// The kecamatan's kelurahan, in the order they are listed.
    pub kelurahan: Vec<RekapKelurahan>,
    /// The usulan by bidang ("Infrastruktur"), in the order they are listed.
    pub bidang: Vec<RekapBidang>,
}

/// One kelurahan's row.
#[derive(Debug, Clone, PartialEq)]
pub struct RekapKelurahan {
    pub name: String,
    /// The RWs staff set for the kelurahan; `None` while not set.
    pub rw_count: Option<u16>,
    /// The RWs whose Rembug Warga reached the office.
    pub rw_received: Vec<u16>,
    pub usulan: u32,
    /// Their estimated cost in whole Rupiah.
    pub biaya: i64,
}

/// The usulan of one bidang.
#[derive(Debug, Clone, PartialEq)]
pub struct RekapBidang {
    pub bidang: String,
    pub usulan: u32,
    pub biaya: i64,
}

impl RekapKelurahan {
    /// The RWs from 1 to the set count (or the highest received) that have
    /// not reached the office.
    pub fn rw_missing(&self) -> Vec<u16> {
        let highest = self.rw_received.iter().copied().max().unwrap_or(0);
        (1..=self.rw_count.unwrap_or(0).max(highest)).filter(|rw| !self.rw_received.contains(rw)).collect()
    }
}

/// The recap as an A4 PDF.
pub fn render_rekap(rekap: &RekapKecamatan) -> Result<Vec<u8>, DocsError> {
    render::pdf(TEMPLATE, &RekapData::new(rekap), render::Inputs::default())
}

/// What the template lays out.
#[derive(Debug, Serialize)]
struct RekapData {
    /// A recap is never a draft (`common.typ`'s page asks).
    draft: bool,
    kop: Vec<String>,
    kop_address: Option<String>,
    kop_logo: bool,
    signing_code: Option<String>,
    /// `common.typ`'s footer names the document by `meeting.title`.
    meeting: Footer,
    title: String,
    kelurahan: Vec<KelurahanRow>,
    rw_total: String,
    received_total: String,
    missing_total: String,
    usulan_total: String,
    biaya_total: String,
    bidang: Vec<BidangRow>,
    office_name: String,
    /// "Cimahi, 7 Desember 2026".
    place_date: String,
}

#[derive(Debug, Serialize)]
struct Footer {
    title: String,
}

#[derive(Debug, Serialize)]
struct KelurahanRow {
    name: String,
    rw_count: String,
    received: String,
    /// "03, 07" or "–".
    missing: String,
    usulan: String,
    biaya: String,
}

#[derive(Debug, Serialize)]
struct BidangRow {
    bidang: String,
    usulan: String,
    biaya: String,
}

/// "01, 04, 12", or "–" for none.
fn rw_list(rws: &[u16]) -> String {
    if rws.is_empty() {
        "–".to_owned()
    } else {
        rws.iter().map(|&rw| area_number_text(rw)).collect::<Vec<_>>().join(", ")
    }
}

impl RekapData {
    fn new(rekap: &RekapKecamatan) -> RekapData {
        let kecamatan = rekap.kecamatan_name.to_uppercase();
        let mut rw_total = 0u32;
        let mut missing_total = 0usize;
        let kelurahan: Vec<KelurahanRow> = rekap
            .kelurahan
            .iter()
            .map(|row| {
                let missing = row.rw_missing();
                missing_total += missing.len();
                rw_total += u32::from(row.rw_count.unwrap_or(0));
                KelurahanRow {
                    name: row.name.clone(),
                    rw_count: row.rw_count.map_or_else(|| "belum diatur".to_owned(), |count| count.to_string()),
                    received: row.rw_received.len().to_string(),
                    missing: rw_list(&missing),
                    usulan: row.usulan.to_string(),
                    biaya: format_rupiah(row.biaya),
                }
            })
            .collect();
        RekapData {
            draft: false,
            kop: vec![format!("PEMERINTAH {}", rekap.kota_name.to_uppercase()), rekap.office_name.to_uppercase()],
            kop_address: None,
            kop_logo: false,
            signing_code: None,
            meeting: Footer { title: format!("Kecamatan {} Tahun {}", rekap.kecamatan_name, rekap.planning_year) },
            title: format!("REKAPITULASI USULAN MUSRENBANG KECAMATAN {kecamatan} TAHUN {}", rekap.planning_year),
            kelurahan,
            rw_total: rw_total.to_string(),
            received_total: rekap.kelurahan.iter().map(|row| row.rw_received.len()).sum::<usize>().to_string(),
            missing_total: missing_total.to_string(),
            usulan_total: rekap.kelurahan.iter().map(|row| row.usulan).sum::<u32>().to_string(),
            biaya_total: format_rupiah(rekap.kelurahan.iter().map(|row| row.biaya).sum()),
            bidang: rekap
                .bidang
                .iter()
                .map(|row| BidangRow {
                    bidang: row.bidang.clone(),
                    usulan: row.usulan.to_string(),
                    biaya: format_rupiah(row.biaya),
                })
                .collect(),
            office_name: rekap.office_name.clone(),
            place_date: format!("{}, {}", rekap.office_city, short_date(rekap.printed_on)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_rws_are_those_up_to_the_count_or_the_highest_received() {
        let row = |rw_count, rw_received: Vec<u16>| RekapKelurahan {
            name: "Melong".into(),
            rw_count,
            rw_received,
            usulan: 0,
            biaya: 0,
        };
        assert_eq!(row(Some(4), vec![1, 3]).rw_missing(), [2, 4]);
        assert_eq!(row(None, vec![2]).rw_missing(), [1]);
        assert_eq!(row(Some(2), vec![1, 2, 5]).rw_missing(), [3, 4]);
        assert_eq!(rw_list(&[3, 12]), "03, 12");
        assert_eq!(rw_list(&[]), "–");
    }
}
