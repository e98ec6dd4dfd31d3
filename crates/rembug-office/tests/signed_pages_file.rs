//! A cadre's photos of a locked meeting's signed papers, saved to a USB
//! stick as the app saves them (`export_signed_pages_to_folder`), for the
//! dashboard's browser test (`tests/dashboard`), which has no other way to
//! make such a file: with `REMBUG_PAGES_DATA_DIR` (an enrolled laptop's
//! data folder, so the daftar hadir is sealed to the office's key),
//! `REMBUG_PAGES_MEETING` (its locked meeting) and `REMBUG_PAGES_OUT` (the
//! folder), it photographs one berita acara page, two daftar hadir pages
//! and one daftar usulan page (JPEGs of a phone photo's shape) and prints
//! the file's path. Under `cargo test` it does the same for a demo laptop
//! in a temporary folder and checks that the file verifies.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use rembug_core::device::{DeviceIdentity, office_key};
use rembug_core::meeting::MeetingStatus;
use rembug_core::signed_pages::PageKind;
use rembug_core::store::meetings::MeetingFilter;
use rembug_core::{DataDir, demo};

/// The pages photographed, in the order the cadre adds them.
const PAGES: [PageKind; 4] =
    [PageKind::BeritaAcara, PageKind::DaftarHadir, PageKind::DaftarHadir, PageKind::DaftarUsulan];
/// A phone photo of an A4 sheet, scaled down to keep the test quick.
const WIDTH: u32 = 1240;
const HEIGHT: u32 = 1754;

/// A photographed sheet: grey paper, a heading, ruled rows of "writing"
/// and a signature, different for each `seed`.
fn sheet(seed: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let margin = (120..WIDTH - 120).contains(&x);
        if margin && (140..190).contains(&y) {
            Rgb([40, 40, 60])
        } else if margin && y > 260 && y < HEIGHT - 300 && (y + seed * 7) % 64 < 3 {
            Rgb([90, 90, 110])
        } else if x > WIDTH - 520 && x < WIDTH - 140 && y.abs_diff(HEIGHT - 220 + (x / 9 + seed) % 40) < 3 {
            Rgb([20, 30, 140])
        } else {
            Rgb([236, 233, 224])
        }
    });
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut Cursor::new(&mut bytes), 80).encode_image(&image).unwrap();
    bytes
}

/// Photographs [`PAGES`] for `meeting_id` in the laptop at `data_dir` and
/// saves them to `out`, sealed to the office key the laptop holds.
fn save_photos(data_dir: &Path, meeting_id: &str, out: &Path) -> PathBuf {
    let data_dir = DataDir::open(data_dir).unwrap();
    let store = data_dir.open_store().unwrap();
    let device = DeviceIdentity::load_or_create(data_dir.path()).unwrap();
    for (seed, kind) in PAGES.into_iter().enumerate() {
        store.add_signed_page(meeting_id, kind, Cursor::new(sheet(seed as u32)), "image/jpeg").unwrap();
    }
    let key = office_key(data_dir.path()).unwrap();
    rembug_bundle::export_signed_pages_to_folder(&store, &device, meeting_id, key, out).unwrap().path
}

fn main() {
    if let (Ok(data_dir), Ok(meeting), Ok(out)) = (
        std::env::var("REMBUG_PAGES_DATA_DIR"),
        std::env::var("REMBUG_PAGES_MEETING"),
        std::env::var("REMBUG_PAGES_OUT"),
    ) {
        println!("{}", save_photos(Path::new(&data_dir), &meeting, Path::new(&out)).display());
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let laptop = folder.path().join("laptop");
    let store = DataDir::open(&laptop).unwrap().open_store().unwrap();
    demo::generate(&store, demo::Scale::Rw, 5).unwrap();
    let filter = MeetingFilter { status: Some(MeetingStatus::Locked), ..MeetingFilter::default() };
    let locked = store.list_meetings(&filter).unwrap().meetings.remove(0);
    drop(store);
    let path = save_photos(&laptop, &locked.id, folder.path());
    assert!(path.file_name().unwrap().to_str().unwrap().contains("-halaman-"), "{}", path.display());
    let verified = rembug_bundle::verify_signed_pages_file(&path).unwrap();
    assert_eq!(verified.manifest.meeting_id, locked.id);
    let mut kinds: Vec<PageKind> = verified.manifest.pages.iter().map(|page| page.kind).collect();
    kinds.sort();
    assert_eq!(kinds, PAGES);
    println!("signed_pages_file: {} photos sealed and verified", kinds.len());
}
