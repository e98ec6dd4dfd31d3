//! The XLSX exports, unzipped and read as the XML a spreadsheet would read.

mod common;

use std::io::{Cursor, Read};

use common::{PLANNING_YEAR, crowded_meeting, demo_meeting};
use rembug_docs::{kelurahan_year_xlsx, meeting_xlsx};

/// Every XML part of the workbook, by name.
fn parts(xlsx: &[u8]) -> Vec<(String, String)> {
    let mut archive = xlsx_zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    (0..archive.len())
        .map(|index| {
            let mut entry = archive.by_index(index).unwrap();
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            (entry.name().unwrap().into_owned(), text)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    &parts.iter().find(|(part, _)| part == name).unwrap_or_else(|| panic!("{name} missing")).1
}

#[test]
fn a_meetings_workbook_has_usulan_and_attendance_with_filters_and_a_frozen_header() {
    let fixture = crowded_meeting(45, 0);
    let record = fixture.store.meeting_record(&fixture.meeting_id).unwrap();
    let parts = parts(&meeting_xlsx(&fixture.store, &fixture.meeting_id).unwrap());

    let workbook = part(&parts, "xl/workbook.xml");
    assert!(workbook.contains(r#"name="Usulan""#) && workbook.contains(r#"name="Daftar Hadir""#), "{workbook}");
    let strings = part(&parts, "xl/sharedStrings.xml");
    for header in ["Prioritas", "Usulan/Kegiatan", "Perkiraan Biaya", "OPD Tujuan", "Nama", "Unsur"] {
        assert!(strings.contains(header), "{header} missing");
    }
    let kegiatan = &record.public.usulan[0].usulan.kegiatan;
    assert!(strings.contains(kegiatan.as_str()), "{kegiatan} missing");
    assert!(strings.contains("Warga Uji 005"));

    for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        let xml = part(&parts, sheet);
        assert!(xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#), "{sheet} header not frozen");
        assert!(xml.contains("<autoFilter"), "{sheet} has no filter");
    }
    let biaya = record.public.usulan[0].usulan.biaya;
    assert!(part(&parts, "xl/worksheets/sheet1.xml").contains(&format!("<v>{biaya}</v>")), "biaya as a number");
    assert!(part(&parts, "xl/styles.xml").contains("&quot;Rp &quot;#,##0"), "Rupiah format");

    // Residents' phone numbers stay out of every part.
    for (name, xml) in &parts {
        assert!(!xml.contains("0812000000"), "a phone number in {name}");
    }
}

#[test]
fn a_kelurahan_year_workbook_maps_onto_sipd_fields() {
    let fixture = demo_meeting();
    let record = fixture.store.meeting_record(&fixture.meeting_id).unwrap();
    let kelurahan = &record.public.meeting.kelurahan.code;
    let parts = parts(&kelurahan_year_xlsx(&fixture.store, kelurahan, PLANNING_YEAR).unwrap());
    let strings = part(&parts, "xl/sharedStrings.xml");
    for header in [
        "Permasalahan",
        "Usulan/Kegiatan",
        "Alamat/Lokasi",
        "RT",
        "RW",
        "Volume",
        "Satuan",
        "Perkiraan Biaya",
        "Bidang/Urusan",
        "OPD Tujuan",
        "Penerima Manfaat",
        "Swadaya",
        "Keterangan",
        "Koordinat",
        "Prioritas",
        "Skor",
    ] {
        assert!(strings.contains(&format!(">{header}<")), "{header} missing");
    }
    for usulan in &record.public.usulan {
        assert!(strings.contains(usulan.usulan.permasalahan.as_str()));
    }
    let sheet = part(&parts, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<autoFilter") && sheet.contains(r#"state="frozen""#));
    let rows = sheet.matches("<row ").count();
    assert_eq!(rows, record.public.usulan.len() + 1, "a header and one row per usulan");

    let empty = parts_of_year(&fixture, PLANNING_YEAR - 5);
    assert_eq!(part(&empty, "xl/worksheets/sheet1.xml").matches("<row ").count(), 1, "only the header");
}

fn parts_of_year(fixture: &common::Fixture, year: i32) -> Vec<(String, String)> {
    let record = fixture.store.meeting_record(&fixture.meeting_id).unwrap();
    parts(&kelurahan_year_xlsx(&fixture.store, &record.public.meeting.kelurahan.code, year).unwrap())
}
