//! Usulan of different RWs that propose the same thing at the same place, so
//! the Musrenbang Kelurahan can merge or rank them knowingly ("Mirip dengan
//! usulan dari RW 5").
//!
//! Two usulan are flagged when they come from different RWs, have the same
//! bidang, their kegiatan share at least half of their words (Jaccard), and
//! they are at the same place: their alamat share at least half of the
//! shorter one's distinctive words (street and gang names, not "jalan", a
//! house number or the name of the kelurahan they all lie in), or both have
//! coordinates less than 100 m apart. Words are
//! folded as the autocomplete folds names and common abbreviations ("jln",
//! "gg") are spelled out; a word of five letters or more matches one typed
//! with one letter wrong, of nine or more with two.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::autocomplete::normalise;
use crate::usulan::Usulan;

/// Shared words over all words of the two kegiatan, at least.
pub const KEGIATAN_MIN_SIMILARITY: f64 = 0.5;
/// Shared distinctive words over those of the shorter alamat, at least.
pub const ALAMAT_MIN_OVERLAP: f64 = 0.5;
/// Coordinates closer than this are one place, whatever the alamat says.
pub const SAME_PLACE_METRES: f64 = 100.0;

/// Words that carry no meaning of their own in a kegiatan or an alamat.
const STOP_WORDS: &[&str] = &["dan", "di", "ke", "dari", "untuk", "yang", "atau", "serta", "rt", "rw", "no", "nomor"];
/// Words that say what kind of place, not which one.
const PLACE_WORDS: &[&str] = &[
    "jalan",
    "gang",
    "kampung",
    "komplek",
    "kompleks",
    "perumahan",
    "blok",
    "dekat",
    "depan",
    "samping",
    "belakang",
    "sekitar",
    "ujung",
    "lingkungan",
    "wilayah",
    "kelurahan",
    "kel",
    "desa",
    "kecamatan",
    "kec",
    "kota",
    "kabupaten",
    "kab",
];
/// Abbreviations as they are written on forms, spelled out.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("jl", "jalan"),
    ("jln", "jalan"),
    ("gg", "gang"),
    ("kp", "kampung"),
    ("kmp", "kampung"),
    ("komp", "komplek"),
    ("perum", "perumahan"),
];

/// How two usulan were found to be at the same place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlaceMatch {
    Alamat,
    Coordinates,
    /// Both the alamat and the coordinates agree.
    AlamatAndCoordinates,
}

/// One usulan of a meeting that looks like another one from a different RW.
/// Each pair is listed twice, once from each side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SimilarUsulan {
    pub usulan_id: String,
    pub similar_usulan_id: String,
    /// The RW the other usulan comes from.
    pub similar_rw: u16,
    /// The other usulan's position in the meeting's list.
    pub similar_position: u32,
    /// How alike the kegiatan are: shared words over all words, 50 to 100.
    pub kegiatan_percent: u8,
    pub same_place_by: PlaceMatch,
    /// Metres between them when both have coordinates.
    pub distance_metres: Option<u32>,
}

/// The RW an usulan stands for: the one it was merged from, else its own.
fn rw_of(usulan: &Usulan) -> Option<u16> {
    usulan.origin.as_ref().map(|origin| origin.rw).or(usulan.rw)
}

/// Every pair of usulan from different RWs that propose the same thing at the
/// same place, from both sides, in the order of the list. `area_names` are
/// the names every alamat may repeat (kelurahan, kecamatan, kota): they
/// locate nothing within the kelurahan.
pub fn similar_usulan(list: &[Usulan], area_names: &[&str]) -> Vec<SimilarUsulan> {
    let area_words: Vec<String> = area_names.iter().flat_map(|name| words(name, &[])).collect();
    let prepared: Vec<Prepared<'_>> = list.iter().filter_map(|usulan| Prepared::new(usulan, &area_words)).collect();
    let mut flags = Vec::new();
    for (index, a) in prepared.iter().enumerate() {
        for b in &prepared[index + 1..] {
            if let Some((kegiatan_percent, same_place_by, distance_metres)) = compare(a, b) {
                for (this, other) in [(a, b), (b, a)] {
                    flags.push(SimilarUsulan {
                        usulan_id: this.usulan.id.clone(),
                        similar_usulan_id: other.usulan.id.clone(),
                        similar_rw: other.rw,
                        similar_position: other.usulan.position,
                        kegiatan_percent,
                        same_place_by,
                        distance_metres,
                    });
                }
            }
        }
    }
    flags.sort_by_key(|flag| (position_of(list, &flag.usulan_id), flag.similar_position));
    flags
}

fn position_of(list: &[Usulan], id: &str) -> u32 {
    list.iter().find(|usulan| usulan.id == id).map_or(u32::MAX, |usulan| usulan.position)
}

/// An usulan with its words folded once, rather than once per pair.
struct Prepared<'a> {
    usulan: &'a Usulan,
    rw: u16,
    kegiatan: Vec<String>,
    alamat: Vec<String>,
}

impl<'a> Prepared<'a> {
    fn new(usulan: &'a Usulan, area_words: &[String]) -> Option<Self> {
        let mut alamat = words(&usulan.alamat, PLACE_WORDS);
        alamat.retain(|word| !area_words.contains(word));
        Some(Prepared { usulan, rw: rw_of(usulan)?, kegiatan: words(&usulan.kegiatan, &[]), alamat })
    }
}

/// The kegiatan similarity in percent, how the place matched, and the
/// distance, when the two propose the same thing at the same place.
fn compare(a: &Prepared<'_>, b: &Prepared<'_>) -> Option<(u8, PlaceMatch, Option<u32>)> {
    if a.rw == b.rw || a.usulan.bidang != b.usulan.bidang {
        return None;
    }
    let shared = shared_words(&a.kegiatan, &b.kegiatan);
    let all = a.kegiatan.len() + b.kegiatan.len() - shared;
    let kegiatan = if all == 0 { 0.0 } else { shared as f64 / all as f64 };
    if kegiatan < KEGIATAN_MIN_SIMILARITY {
        return None;
    }
    let shorter = a.alamat.len().min(b.alamat.len());
    let alamat_agrees = shorter > 0 && shared_words(&a.alamat, &b.alamat) as f64 / shorter as f64 >= ALAMAT_MIN_OVERLAP;
    let distance = match (a.usulan.latitude, a.usulan.longitude, b.usulan.latitude, b.usulan.longitude) {
        (Some(lat_a), Some(lon_a), Some(lat_b), Some(lon_b)) => Some(distance_metres((lat_a, lon_a), (lat_b, lon_b))),
        _ => None,
    };
    let near = distance.is_some_and(|metres| metres <= SAME_PLACE_METRES);
    let place = match (alamat_agrees, near) {
        (true, true) => PlaceMatch::AlamatAndCoordinates,
        (true, false) => PlaceMatch::Alamat,
        (false, true) => PlaceMatch::Coordinates,
        (false, false) => return None,
    };
    Some(((kegiatan * 100.0).round() as u8, place, distance.map(|metres| metres.round() as u32)))
}

/// The folded words of a text, abbreviations spelled out, without stop
/// words, numbers or any word in `ignored`; each word once.
fn words(text: &str, ignored: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in normalise(text).split(' ') {
        let word = ABBREVIATIONS.iter().find(|(short, _)| *short == word).map_or(word, |(_, long)| long);
        let meaningless = word.is_empty()
            || word.bytes().all(|b| b.is_ascii_digit())
            || STOP_WORDS.contains(&word)
            || ignored.contains(&word);
        if !meaningless && !words.iter().any(|known| known == word) {
            words.push(word.to_owned());
        }
    }
    words
}

/// How many words of `a` match a distinct word of `b`.
fn shared_words(a: &[String], b: &[String]) -> usize {
    let mut used = vec![false; b.len()];
    let mut shared = 0;
    for word in a {
        let found = b.iter().enumerate().position(|(index, other)| !used[index] && same_word(word, other));
        if let Some(index) = found {
            used[index] = true;
            shared += 1;
        }
    }
    shared
}

/// Equal, or typed with a letter or two wrong when long enough for that not
/// to turn one word into another ("betonisasi"/"betonissasi", not "pos"/"pot").
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (length_a, length_b) = (a.chars().count(), b.chars().count());
    let allowed = match length_a.min(length_b) {
        0..=4 => return false,
        5..=8 => 1,
        _ => 2,
    };
    length_a.abs_diff(length_b) <= allowed && edit_distance(a, b) <= allowed
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Great-circle distance on a spherical Earth; at 100 m the error is
/// centimetres.
fn distance_metres((lat_a, lon_a): (f64, f64), (lat_b, lon_b): (f64, f64)) -> f64 {
    const EARTH_RADIUS_METRES: f64 = 6_371_000.0;
    let (phi_a, phi_b) = (lat_a.to_radians(), lat_b.to_radians());
    let half_dphi = (phi_b - phi_a) / 2.0;
    let half_dlambda = (lon_b - lon_a).to_radians() / 2.0;
    let h = half_dphi.sin().powi(2) + phi_a.cos() * phi_b.cos() * half_dlambda.sin().powi(2);
    2.0 * EARTH_RADIUS_METRES * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usulan::{Bidang, UsulanOrigin};

    fn usulan(id: &str, rw: u16, kegiatan: &str, alamat: &str) -> Usulan {
        Usulan {
            id: id.into(),
            meeting_id: "kelurahan".into(),
            position: id.trim_start_matches('u').parse().unwrap(),
            permasalahan: "Masalah".into(),
            kegiatan: kegiatan.into(),
            alamat: alamat.into(),
            rt_list: String::new(),
            rw: Some(rw),
            latitude: None,
            longitude: None,
            volume: 1.0,
            satuan: "paket".into(),
            biaya: 1_000_000,
            bidang: Bidang::Infrastruktur,
            opd_tujuan: None,
            penerima_manfaat: None,
            swadaya: None,
            keterangan: None,
            proposer_person_id: None,
            proposer_name: None,
            proposer_group: None,
            hands: None,
            manual_rank: None,
            outcome: None,
            carried_from_id: None,
            origin: Some(UsulanOrigin {
                rw,
                source_meeting_id: format!("rw-{rw}"),
                source_usulan_id: format!("{id}-source"),
                bundle_sha256: None,
                rank: 1,
            }),
            photos: Vec::new(),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn at(mut usulan: Usulan, latitude: f64, longitude: f64) -> Usulan {
        (usulan.latitude, usulan.longitude) = (Some(latitude), Some(longitude));
        usulan
    }

    fn pairs(list: &[Usulan]) -> Vec<(String, String)> {
        similar_usulan(list, &[]).into_iter().map(|flag| (flag.usulan_id, flag.similar_usulan_id)).collect()
    }

    fn flagged(a: Usulan, b: Usulan) -> bool {
        !similar_usulan(&[a, b], &["Baros", "Cimahi Tengah", "Kota Cimahi"]).is_empty()
    }

    #[test]
    fn wording_variations_and_typos_on_the_same_jalan_are_flagged() {
        for (a, b) in [
            (("Betonisasi jalan gang", "Gang Melati RT 02"), ("Betonisasi Jln. Gg", "Gg. Melati")),
            (("Betonisasi jalan gang", "Gang Melati"), ("Betonissasi jalan gang", "Gang Melatti")),
            (
                ("Perbaikan saluran drainase", "Jl. Kolonel Masturi No. 12"),
                ("Perbaikan drainase", "Jalan Kol. Masturi"),
            ),
            (("Pengadaan tempat sampah", "Jalan Sukarasa"), ("Pengadaan tong sampah", "Jalan Sukarasa dekat masjid")),
            (("PEMBANGUNAN POS RONDA", "Gang Mawar"), ("Pembangunan pos ronda baru", "gang mawar")),
            (
                ("Pembangunan drainase", "Jl. Sirnagalih RT 06/RW 15, Kelurahan Baros"),
                ("Pembangunan drainase", "Jl. Sirnagalih RT 02/RW 14, Kelurahan Baros"),
            ),
        ] {
            assert!(flagged(usulan("u1", 1, a.0, a.1), usulan("u2", 2, b.0, b.1)), "{a:?} / {b:?}");
        }
    }

    #[test]
    fn the_same_kegiatan_at_another_place_is_not_flagged() {
        for (a, b) in [
            ("Gang Melati", "Gang Mawar"),
            ("Jalan Sukarasa", "Jalan Sukamaju"),
            ("Jalan Kolonel Masturi No. 12", "Jalan Encep Kartawiria No. 12"),
            // Nothing but words for a kind of place: no place to compare.
            ("Jalan gang", "Jalan gang"),
            // The kelurahan, kecamatan and kota every alamat may name.
            ("Jl. Cihanjuang RT 06/RW 03, Kelurahan Baros", "Jl. Sukarasa RT 01/RW 02, Kel. Baros, Kota Cimahi"),
            ("Jl. Sukarasa, Kec. Cimahi Tengah", "Gg. Bojong, Kecamatan Cimahi Tengah"),
        ] {
            let kegiatan = "Betonisasi jalan gang";
            assert!(!flagged(usulan("u1", 1, kegiatan, a), usulan("u2", 2, kegiatan, b)), "{a} / {b}");
        }
    }

    #[test]
    fn another_kegiatan_at_the_same_place_is_not_flagged() {
        for (a, b) in [
            ("Betonisasi jalan gang", "Pembangunan pos ronda"),
            ("Perbaikan saluran drainase", "Perbaikan jalan"),
            ("Pembangunan jalan", "Perbaikan jalan"),
            ("Pengadaan tempat sampah", "Pengadaan lampu jalan"),
        ] {
            assert!(!flagged(usulan("u1", 1, a, "Gang Melati"), usulan("u2", 2, b, "Gang Melati")), "{a} / {b}");
        }
    }

    #[test]
    fn the_same_rw_or_another_bidang_is_not_flagged() {
        let a = usulan("u1", 3, "Betonisasi jalan gang", "Gang Melati");
        assert!(!flagged(a.clone(), usulan("u2", 3, "Betonisasi jalan gang", "Gang Melati")));
        let mut other_bidang = usulan("u2", 4, "Betonisasi jalan gang", "Gang Melati");
        other_bidang.bidang = Bidang::Ekonomi;
        assert!(!flagged(a, other_bidang));
    }

    #[test]
    fn coordinates_within_100_metres_are_one_place_whatever_the_alamat() {
        // 0.0005 degrees of latitude is about 56 m; 0.002 about 222 m.
        let a = at(usulan("u1", 1, "Perbaikan drainase", "Depan masjid Al-Ikhlas"), -6.8725, 107.5421);
        let near = at(usulan("u2", 2, "Perbaikan saluran drainase", "Pertigaan pasar"), -6.8730, 107.5421);
        let far = at(usulan("u3", 3, "Perbaikan saluran drainase", "Lapangan voli"), -6.8745, 107.5421);
        let flags = similar_usulan(&[a, near, far], &[]);
        assert_eq!(flags.len(), 2, "{flags:?}");
        assert_eq!(flags[0].same_place_by, PlaceMatch::Coordinates);
        assert_eq!(flags[0].distance_metres, Some(56));
        assert_eq!(flags[0].kegiatan_percent, 67);
    }

    #[test]
    fn each_pair_is_listed_from_both_sides_in_list_order() {
        let list = [
            usulan("u1", 1, "Betonisasi jalan gang", "Gang Melati"),
            usulan("u2", 1, "Pembangunan pos ronda", "Gang Mawar"),
            usulan("u3", 2, "Pembangunan pos ronda", "Gg Mawar"),
            usulan("u4", 4, "Betonisasi jalan", "Gang Melati"),
        ];
        let expected = [("u1", "u4"), ("u2", "u3"), ("u3", "u2"), ("u4", "u1")];
        assert_eq!(pairs(&list), expected.map(|(a, b)| (a.to_owned(), b.to_owned())));
        let flag = &similar_usulan(&list, &[])[0];
        assert_eq!((flag.similar_rw, flag.similar_position, flag.kegiatan_percent), (4, 4, 67));
    }

    #[test]
    fn edit_distance_counts_letters() {
        assert_eq!(edit_distance("betonisasi", "betonissasi"), 1);
        assert_eq!(edit_distance("sukarasa", "sukamaju"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert!(!same_word("pos", "pot"));
        assert!(same_word("melati", "melatti"));
    }
}
