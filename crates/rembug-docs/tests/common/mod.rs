//! Demo meetings in temporary stores, and reading PDFs back with poppler's
//! `pdftotext` and `pdfinfo` (installed by `make test`).
// Each test file and the benchmark use only part of this module.
#![allow(dead_code)]

use std::io::Write;
use std::process::Command;

use rembug_core::Store;
use rembug_core::attendance::Role;
use rembug_core::demo::{Scale, generate_for_year};
use rembug_core::people::PersonForm;
use rembug_core::store::meetings::MeetingFilter;

/// The demo's current planning year, fixed so dates never depend on the clock.
pub const PLANNING_YEAR: i32 = 2027;

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub meeting_id: String,
}

/// The demo's one-evening rembug warga: a draft with 40 attendees, 4 agenda
/// items, 8 scored usulan and 3 delegates.
pub fn demo_meeting() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("rembug.sqlite3")).unwrap();
    generate_for_year(&store, Scale::Rw, 1, PLANNING_YEAR).unwrap();
    let meeting_id = store.list_meetings(&MeetingFilter::default()).unwrap().meetings[0].id.clone();
    Fixture { dir, store, meeting_id }
}

/// The demo meeting, locked through the lifecycle.
pub fn locked_demo_meeting() -> Fixture {
    let fixture = demo_meeting();
    fixture.store.lock_meeting(&fixture.meeting_id).unwrap();
    fixture
}

/// The demo meeting grown to `attendees` people, the first `signed` of the
/// newcomers with a drawn signature.
pub fn crowded_meeting(attendees: usize, signed: usize) -> Fixture {
    let fixture = demo_meeting();
    let present = fixture.store.attendees(&fixture.meeting_id).unwrap().len();
    let signature = signature_png();
    for number in 1..=attendees - present {
        let form = PersonForm {
            name: newcomer_name(number),
            gender: if number % 2 == 0 { "P" } else { "L" }.into(),
            unsur: "tokoh masyarakat".into(),
            rt: (number % 9 + 1).to_string(),
            rw: "5".into(),
            phone: format!("0812{number:08}"),
            ..PersonForm::default()
        };
        let attendee = fixture.store.check_in_new(&fixture.meeting_id, &form, Role::Peserta).unwrap();
        if number <= signed {
            fixture.store.set_signature(&fixture.meeting_id, &attendee.person_id, &signature).unwrap();
        }
    }
    fixture
}

/// "Warga Uji 017": a name no demo resident has.
pub fn newcomer_name(number: usize) -> String {
    format!("Warga Uji {number:03}")
}

/// A small drawn stroke, as the signature pad saves it.
pub fn signature_png() -> Vec<u8> {
    let mut canvas = image::GrayAlphaImage::new(240, 80);
    for x in 10..230u32 {
        let y = 40.0 + 25.0 * ((x as f64) / 18.0).sin();
        for dy in 0..3 {
            canvas.put_pixel(x, y as u32 + dy, image::LumaA([0, 255]));
        }
    }
    let mut png = Vec::new();
    image::DynamicImage::ImageLumaA8(canvas)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

/// The PDF's text with its layout kept, pages separated by form feeds.
pub fn pdf_text(pdf: &[u8]) -> String {
    poppler(pdf, "pdftotext", &["-layout"], &["-"])
}

/// The text in drawing order: the rotated watermark comes out as one word.
pub fn pdf_raw_text(pdf: &[u8]) -> String {
    poppler(pdf, "pdftotext", &["-raw"], &["-"])
}

/// How many images are drawn on the pages.
pub fn image_count(pdf: &[u8]) -> usize {
    // Two header lines, then "page num type ..." per image and per alpha mask.
    let list = poppler(pdf, "pdfimages", &["-list"], &[]);
    list.lines().skip(2).filter(|line| line.split_whitespace().nth(2) == Some("image")).count()
}

/// The first page drawn as a PNG at `dpi`, as a printer or a phone's camera
/// would see it.
pub fn first_page_png(pdf: &[u8], dpi: u32) -> Vec<u8> {
    poppler_bytes(pdf, "pdftoppm", &["-png", "-singlefile", "-f", "1", "-r", &dpi.to_string()], &[])
}

fn poppler(pdf: &[u8], tool: &str, before: &[&str], after: &[&str]) -> String {
    String::from_utf8(poppler_bytes(pdf, tool, before, after)).unwrap()
}

fn poppler_bytes(pdf: &[u8], tool: &str, before: &[&str], after: &[&str]) -> Vec<u8> {
    let file = pdf_file(pdf);
    let output = Command::new(tool)
        .args(before)
        .arg(file.path())
        .args(after)
        .output()
        .unwrap_or_else(|_| panic!("{tool} is missing: install poppler-utils (make test does)"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output.stdout
}

pub fn page_count(pdf: &[u8]) -> usize {
    let info = poppler(pdf, "pdfinfo", &[], &[]);
    let pages = info.lines().find_map(|line| line.strip_prefix("Pages:")).expect("pdfinfo names the page count");
    pages.trim().parse().unwrap()
}

fn pdf_file(pdf: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    file.write_all(pdf).unwrap();
    file
}

/// The text on one line, as a reader takes it: blanks squeezed, and a word
/// the layout broke after its hyphen ("laki-" / "laki") joined again.
pub fn squeezed(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").replace("-\n", "-").split_whitespace().collect::<Vec<_>>().join(" ")
}
