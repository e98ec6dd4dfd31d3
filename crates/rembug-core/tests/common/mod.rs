//! Setup shared by the integration tests: a store in a temporary folder, a
//! valid meeting form, and locking without the lifecycle's preconditions.
// Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use rembug_core::Store;
use rembug_core::meeting::MeetingForm;

pub const DATABASE: &str = "rembug.sqlite3";

pub fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join(DATABASE)).unwrap()
}

/// A rembug warga of RW 07 in Cibabat on a Saturday evening.
pub fn meeting_form() -> MeetingForm {
    MeetingForm {
        stage: "rembug_warga".into(),
        kelurahan_code: "32.77.02.1005".into(),
        rw: "7".into(),
        planning_year: "2027".into(),
        date: "2026-11-28".into(),
        start_time: "19:30".into(),
        place: "Balai RW 07".into(),
        facilitator: "Dedi Kurniawan".into(),
        notulis: "Rina Marlina".into(),
        pimpinan: "Ujang Suryana".into(),
        pimpinan_jabatan: "Ketua RW".into(),
        nomor: String::new(),
    }
}

/// Locks straight through SQL: what locking requires (attendees, usulan,
/// delegates) is tested with the lifecycle; elsewhere only its effect matters.
pub fn lock_directly(dir: &tempfile::TempDir, meeting_id: &str) {
    let conn = rusqlite::Connection::open(dir.path().join(DATABASE)).unwrap();
    let locked = conn.execute("UPDATE meeting SET status = 'locked' WHERE id = ?1", [meeting_id]).unwrap();
    assert_eq!(locked, 1, "no meeting {meeting_id}");
}

/// A JPEG of `width` × `height` (its pixels from `seed`) as a phone saves
/// it: after the JFIF header, an EXIF whose Make tag holds `mark` (a GPS
/// position and serial number, for the tests to look for).
pub fn phone_jpeg(width: u32, height: u32, seed: u8, mark: &[u8]) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x / 8) as u8, (y / 8) as u8, seed]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90).encode_image(&image).unwrap();
    // Big-endian TIFF: one entry (Make, ASCII) pointing past the directory, at 26.
    let count = u32::try_from(mark.len() + 1).unwrap();
    let mut exif = b"Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x0f\0\x02".to_vec();
    exif.extend([&count.to_be_bytes()[..], &26u32.to_be_bytes(), &[0; 4], mark, &[0]].concat());
    let jfif_end = 4 + usize::from(u16::from_be_bytes([plain[4], plain[5]]));
    let length = u16::try_from(exif.len() + 2).unwrap().to_be_bytes();
    [&plain[..jfif_end], &[0xFF, 0xE1, length[0], length[1]], &exif, &plain[jfif_end..]].concat()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}
