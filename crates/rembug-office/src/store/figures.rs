//! What the grid, the summary, the exports and the recap read of a bundle,
//! kept beside its row when it is recorded (tables `bundle_figures` and
//! `bundle_usulan`) so those pages query the index instead of opening and
//! verifying every bundle file. [`Figures::of`] is the one derivation, from
//! the verified bundle's public record; ingest and the backfill of bundles
//! stored before the figures existed both use it.

use rembug_core::wire::v1::{PublicRecord, Usulan};

use super::Bundle;

/// A meeting's figures: where it was (as its record names the place),
/// its attendance, and its usulan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub kelurahan_name: String,
    pub kecamatan_code: String,
    pub kecamatan_name: String,
    pub attendees: u32,
    pub women: u32,
    pub youth: u32,
    pub disability: u32,
    /// The women's target in force when the meeting was locked, in percent.
    pub women_target_percent: u8,
    pub women_target_met: bool,
    /// In the record's order (of entry), each with its rank.
    pub usulan: Vec<UsulanFigures>,
}

/// One usulan as SIPD's export columns need it (nothing personal).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsulanFigures {
    pub usulan_id: String,
    pub rank: u32,
    pub rw: Option<u16>,
    pub rt_list: String,
    pub alamat: String,
    pub permasalahan: String,
    pub kegiatan: String,
    pub volume: f64,
    pub satuan: String,
    /// Whole Rupiah.
    pub biaya: i64,
    pub bidang: String,
    /// Empty when no OPD tujuan is named.
    pub opd_tujuan: String,
    /// A count of people, when known.
    pub penerima_manfaat: Option<i64>,
    /// Empty when none is written.
    pub keterangan: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub photos: u32,
}

impl Figures {
    /// The figures of a verified bundle's public record.
    pub fn of(record: &PublicRecord) -> Figures {
        let counts = &record.counts;
        let kelurahan = &record.meeting.kelurahan;
        Figures {
            kelurahan_name: kelurahan.name.clone(),
            kecamatan_code: kelurahan.kecamatan_code.clone(),
            kecamatan_name: kelurahan.kecamatan_name.clone(),
            attendees: counts.total,
            women: counts.women,
            youth: counts.youth,
            disability: counts.disability,
            women_target_percent: counts.women_target_percent,
            women_target_met: counts.women_target_met,
            usulan: record
                .usulan
                .iter()
                .map(|ranked| {
                    let usulan = &ranked.usulan;
                    UsulanFigures {
                        usulan_id: usulan.id.clone(),
                        rank: ranked.rank,
                        rw: usulan.rw,
                        rt_list: usulan.rt_list.clone(),
                        alamat: usulan.alamat.clone(),
                        permasalahan: usulan.permasalahan.clone(),
                        kegiatan: usulan.kegiatan.clone(),
                        volume: usulan.volume,
                        satuan: usulan.satuan.clone(),
                        biaya: usulan.biaya,
                        bidang: usulan.bidang.clone(),
                        opd_tujuan: usulan.opd_tujuan.clone().unwrap_or_default(),
                        penerima_manfaat: usulan.penerima_manfaat,
                        keterangan: usulan.keterangan.clone().unwrap_or_default(),
                        latitude: usulan.latitude,
                        longitude: usulan.longitude,
                        photos: u32::try_from(sipd_photo_count(usulan)).unwrap_or(u32::MAX),
                    }
                })
                .collect(),
        }
    }

    /// The estimated cost of all its usulan, in whole Rupiah (kept beside
    /// the figures for the sums).
    pub fn biaya(&self) -> i64 {
        self.usulan.iter().map(|usulan| usulan.biaya).sum()
    }

    /// The figures of a verified bundle's `meeting.json`.
    pub fn of_meeting_json(meeting_json: &str) -> serde_json::Result<Figures> {
        Ok(Figures::of(&serde_json::from_str::<PublicRecord>(meeting_json)?))
    }
}

/// The photos SIPD gets of an usulan: those marked for it, or all of them
/// when none is marked.
fn sipd_photo_count(usulan: &Usulan) -> usize {
    match usulan.photos.iter().filter(|photo| photo.untuk_sipd).count() {
        0 => usulan.photos.len(),
        marked => marked,
    }
}

/// `bundle_figures`' columns as both stores select them (over `f`).
pub(super) const FIGURES_COLUMNS: &str = "f.kelurahan_name, f.kecamatan_code, f.kecamatan_name, f.attendees, \
     f.women, f.youth, f.disability, f.women_target_percent, f.women_target_met";

/// `bundle_usulan`'s columns as both stores select them (over `u`).
pub(super) const USULAN_COLUMNS: &str = "u.bundle_sha256, u.usulan_id, u.rank, u.rw, u.rt_list, u.alamat, \
     u.permasalahan, u.kegiatan, u.volume, u.satuan, u.biaya, u.bidang, u.opd_tujuan, u.penerima_manfaat, u.keterangan, u.latitude, u.longitude, \
     u.photos";

/// `bundle_usulan`'s columns in the order both stores insert them.
pub(super) const USULAN_INSERT: &str = "bundle_usulan (bundle_sha256, position, planning_year, kelurahan_code, \
     usulan_id, rank, rw, rt_list, alamat, permasalahan, kegiatan, volume, satuan, biaya, bidang, opd_tujuan, \
     penerima_manfaat, keterangan, latitude, longitude, photos, stage)";

/// `bundle_figures`' columns in the order both stores insert them.
pub(super) const FIGURES_INSERT: &str = "bundle_figures (bundle_sha256, kelurahan_name, kecamatan_code, \
     kecamatan_name, attendees, women, youth, disability, women_target_percent, women_target_met, planning_year, \
     kelurahan_code, stage, usulan, biaya)";

/// Puts each bundle's usulan (rows of `(sha256, usulan)` in the bundle's
/// order) with its bundle's figures.
pub(super) fn with_usulan(
    mut bundles: Vec<(Bundle, Figures)>,
    usulan: impl IntoIterator<Item = (String, UsulanFigures)>,
) -> Vec<(Bundle, Figures)> {
    let index: std::collections::HashMap<String, usize> =
        bundles.iter().enumerate().map(|(index, (bundle, _))| (bundle.sha256.clone(), index)).collect();
    for (sha256, row) in usulan {
        if let Some(&at) = index.get(&sha256) {
            bundles[at].1.usulan.push(row);
        }
    }
    bundles
}
