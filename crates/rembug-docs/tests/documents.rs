//! Each document of a demo meeting, read back with pdftotext as a lurah
//! would read it: names, counts, totals, the dated sentence, page numbers.

mod common;

use chrono::NaiveDate;
use common::{
    crowded_meeting, demo_meeting, first_page_png, image_count, locked_demo_meeting, newcomer_name, page_count,
    pdf_raw_text, pdf_text, squeezed,
};
use rembug_core::meeting::Timezone;
use rembug_core::ranking::score_text;
use rembug_core::rupiah::format_rupiah;
use rembug_docs::terbilang::{date_in_words, terbilang};
use rembug_docs::{
    DocumentKind, RekapBidang, RekapKecamatan, RekapKelurahan, TandaTerima, render_pdf, render_rekap,
    render_tanda_terima,
};

fn render(fixture: &common::Fixture, kind: DocumentKind) -> (Vec<u8>, String) {
    let pdf = render_pdf(&fixture.store, &fixture.meeting_id, kind).unwrap();
    let text = pdf_text(&pdf);
    (pdf, text)
}

/// "Halaman k dari N" on each page, N being the real page count.
fn assert_numbered_pages(pdf: &[u8], text: &str) -> usize {
    let pages = page_count(pdf);
    let texts: Vec<&str> = text.split('\u{c}').filter(|page| !page.trim().is_empty()).collect();
    assert_eq!(texts.len(), pages, "pdftotext pages");
    for (index, page) in texts.iter().enumerate() {
        let label = format!("Halaman {} dari {pages}", index + 1);
        assert!(page.contains(&label), "page {} lacks {label:?}:\n{page}", index + 1);
    }
    pages
}

#[test]
fn the_berita_acara_states_the_date_counts_priorities_and_delegates() {
    let fixture = demo_meeting();
    let record = fixture.store.meeting_record(&fixture.meeting_id).unwrap();
    let meeting = &record.public.meeting;
    let (pdf, text) = render(&fixture, DocumentKind::BeritaAcara);
    let flat = squeezed(&text);
    assert_numbered_pages(&pdf, &text);

    assert!(flat.contains(&format!("KELURAHAN {}", meeting.kelurahan.name.to_uppercase())), "{flat}");
    assert!(flat.contains(&format!("RUKUN WARGA {:02}", meeting.rw.unwrap())), "{flat}");
    assert!(flat.contains("BERITA ACARA HASIL KESEPAKATAN"), "{flat}");
    let date = NaiveDate::parse_from_str(&meeting.date, "%Y-%m-%d").unwrap();
    let sentence = format!("Pada {}, bertempat di {}", date_in_words(date), meeting.place);
    assert!(flat.contains(&sentence), "{sentence:?} missing:\n{flat}");

    let counts = &record.public.counts;
    assert_eq!(counts.total, 40);
    let attended = format!(
        "dihadiri oleh 40 ({}) orang peserta, terdiri atas {} orang laki-laki dan {} orang perempuan",
        terbilang(40),
        counts.men,
        counts.women
    );
    assert!(flat.contains(&attended), "{attended:?} missing:\n{flat}");

    for usulan in &record.public.usulan {
        assert!(flat.contains(&format_rupiah(usulan.usulan.biaya)), "{}", usulan.usulan.biaya);
    }
    // An RW's own paper: the kop names the kelurahan, the lokasi column
    // does not repeat it on every row (the demo's addresses end with it).
    let kelurahan = format!("Kelurahan {}", record.public.meeting.kelurahan.name);
    assert!(record.public.usulan.iter().all(|u| u.usulan.alamat.contains(&kelurahan)));
    let named = flat.matches(&kelurahan).count();
    assert!(named < record.public.usulan.len(), "{kelurahan:?} printed {named} times:\n{flat}");
    let total: i64 = record.public.usulan.iter().map(|u| u.usulan.biaya).sum();
    assert!(flat.contains(&format!("Jumlah {}", format_rupiah(total))), "{flat}");
    assert_eq!(record.public.delegates.len(), 3);
    for delegate in &record.public.delegates {
        assert!(flat.contains(&delegate.name), "delegate {} missing", delegate.name);
    }
    let chair = record.personal.attendees.iter().find(|a| a.role.as_str() == "pimpinan_rapat").unwrap();
    assert!(flat.contains(&format!("dipimpin oleh {}", chair.name)), "{flat}");
    for role in ["Pimpinan Rapat", "Notulis", "Perwakilan Peserta"] {
        assert!(flat.contains(role), "{role} block missing");
    }
    assert!(flat.contains(meeting.notulis.as_deref().unwrap()));
    assert_eq!(pdf_raw_text(&pdf).matches("DRAF").count(), page_count(&pdf), "a draft's pages carry DRAF");
}

#[test]
fn a_locked_meeting_prints_without_the_watermark() {
    let fixture = locked_demo_meeting();
    for kind in DocumentKind::MEETING_PAPERS {
        let pdf = render_pdf(&fixture.store, &fixture.meeting_id, kind).unwrap();
        assert!(!pdf_raw_text(&pdf).contains("DRAF"), "{kind:?} of a locked meeting says DRAF");
    }
    let draft = demo_meeting();
    for kind in DocumentKind::MEETING_PAPERS {
        let pdf = render_pdf(&draft.store, &draft.meeting_id, kind).unwrap();
        assert_eq!(pdf_raw_text(&pdf).matches("DRAF").count(), page_count(&pdf), "{kind:?}: one DRAF per page");
    }
}

#[test]
fn a_daftar_hadir_of_150_lists_everyone_under_a_header_on_every_page() {
    let fixture = crowded_meeting(150, 20);
    let attendees = fixture.store.attendees(&fixture.meeting_id).unwrap();
    assert_eq!(attendees.len(), 150);
    let (pdf, text) = render(&fixture, DocumentKind::DaftarHadir);
    let pages = assert_numbered_pages(&pdf, &text);
    assert!((4..=8).contains(&pages), "{pages} pages");
    for page in text.split('\u{c}').filter(|page| !page.trim().is_empty()) {
        let header = page.lines().any(|line| {
            let line = squeezed(line);
            line.contains("No. Nama L/P Unsur RT/RW Tanda Tangan")
        });
        assert!(header, "a page without the table header:\n{page}");
    }
    let flat = squeezed(&text);
    for attendee in &attendees {
        assert!(flat.contains(&attendee.name), "{} missing", attendee.name);
    }
    assert!(flat.contains(&newcomer_name(110)));
    assert!(flat.contains("Jumlah hadir : 150 orang"), "{flat}");
    assert!(!flat.contains("0812"), "no phone number on the daftar hadir");
    assert_eq!(image_count(&pdf), 20, "each drawn signature is on the page");
}

#[test]
fn the_daftar_usulan_lists_costs_in_rupiah_with_totals_per_bidang() {
    let fixture = demo_meeting();
    let record = fixture.store.meeting_record(&fixture.meeting_id).unwrap();
    let (pdf, text) = render(&fixture, DocumentKind::Usulan);
    assert_numbered_pages(&pdf, &text);
    let flat = squeezed(&text);
    assert!(flat.contains("DAFTAR USULAN PRIORITAS"), "{flat}");
    // "Usulan Kegiatan" and "Penerima Manfaat" wrap in their narrow headers.
    for header in [
        "No.",
        "Usulan",
        "Kegiatan",
        "Permasalahan",
        "Lokasi",
        "Volume",
        "Satuan",
        "Perkiraan Biaya",
        "Bidang",
        "Penerima",
        "Swadaya",
        "Skor",
        "Keterangan",
    ] {
        assert!(flat.contains(header), "{header} missing");
    }
    for usulan in &record.public.usulan {
        assert!(flat.contains(&format_rupiah(usulan.usulan.biaya)));
        // The score reads as on the grid and the projector: "77,0 dari 100".
        let score = score_text(usulan.score_percent.expect("the demo meeting scores every usulan"));
        assert!(flat.contains(&score), "{score:?} missing:\n{flat}");
    }
    let total: i64 = record.public.usulan.iter().map(|u| u.usulan.biaya).sum();
    assert!(flat.contains(&format!("Jumlah {}", format_rupiah(total))), "{flat}");
    assert!(flat.contains("Rekapitulasi per bidang"));
    let infrastruktur: i64 = record
        .public
        .usulan
        .iter()
        .filter(|u| u.usulan.bidang.as_str() == "infrastruktur")
        .map(|u| u.usulan.biaya)
        .sum();
    let count = record.public.usulan.iter().filter(|u| u.usulan.bidang.as_str() == "infrastruktur").count();
    if count > 0 {
        let line = format!("Infrastruktur {count} {}", format_rupiah(infrastruktur));
        assert!(flat.contains(&line), "{line:?} missing:\n{flat}");
    }
}

#[test]
fn the_daftar_usulan_shows_penerima_manfaat_swadaya_and_keterangan() {
    let fixture = demo_meeting();
    let first = fixture.store.usulan_list(&fixture.meeting_id).unwrap().remove(0);
    let form = rembug_core::usulan::UsulanForm {
        penerima_manfaat: "1.250".into(),
        swadaya: "Tenaga kerja gotong royong".into(),
        keterangan: "Lahan hibah warga".into(),
        ..first.to_form()
    };
    fixture.store.update_usulan(&first.id, &form).unwrap();
    let (_, text) = render(&fixture, DocumentKind::Usulan);
    let flat = squeezed(&text);
    // Narrow cells wrap their words onto lines of their own; each column's
    // first words stay together.
    for expected in ["Penerima", "Manfaat", "Swadaya", "Keterangan", "1.250 orang", "Tenaga", "Lahan hibah"] {
        assert!(flat.contains(expected), "{expected:?} missing:\n{flat}");
    }
}

#[test]
fn the_notulen_gives_each_agenda_item_its_discussion_and_decisions() {
    let fixture = demo_meeting();
    let agenda = fixture.store.agenda(&fixture.meeting_id).unwrap();
    assert_eq!(agenda.len(), 4);
    let (pdf, text) = render(&fixture, DocumentKind::Notulen);
    assert_numbered_pages(&pdf, &text);
    let flat = squeezed(&text);
    for (index, item) in agenda.iter().enumerate() {
        assert!(flat.contains(&format!("{}. {}", index + 1, item.title)), "{} missing:\n{flat}", item.title);
        let first_words: String = item.decisions.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&first_words), "{first_words:?} missing");
    }
    assert_eq!(flat.matches("Pembahasan:").count(), 4);
    assert_eq!(flat.matches("Kesepakatan:").count(), 4);
    assert!(!flat.contains("Keputusan"), "one word for what was agreed:\n{flat}");
}

#[test]
fn residents_text_is_printed_as_typed_never_run_as_markup() {
    let fixture = demo_meeting();
    let title = "#panic() *tebal* $x^2$ _miring_ = Judul <label> @ref \\ [kurung]";
    fixture.store.add_agenda_item(&fixture.meeting_id, title).unwrap();
    let (_, text) = render(&fixture, DocumentKind::Notulen);
    let flat = squeezed(&text);
    assert!(flat.contains("#panic() *tebal* $x^2$ _miring_ = Judul <label> @ref \\ [kurung]"), "{flat}");
}

#[test]
fn document_slugs_round_trip() {
    for kind in DocumentKind::ALL {
        assert_eq!(DocumentKind::from_slug(kind.slug()), Some(kind));
    }
    assert_eq!(DocumentKind::from_slug("tanda-terima"), Some(DocumentKind::TandaTerima));
    assert_eq!(DocumentKind::from_slug("kuitansi"), None);
}

#[test]
fn an_empty_musrenbang_kelurahan_prints_for_its_own_stage() {
    let fixture = demo_meeting();
    let form = rembug_core::meeting::MeetingForm {
        stage: "musrenbang_kelurahan".into(),
        kelurahan_code: "32.77.01.1001".into(),
        planning_year: "2027".into(),
        date: "2023-11-08".into(),
        start_time: "09:00".into(),
        place: "Aula Kelurahan Melong".into(),
        facilitator: "Dedi Kurniawan".into(),
        ..Default::default()
    };
    let meeting = fixture.store.create_meeting(&form).unwrap();
    let pdf = render_pdf(&fixture.store, &meeting.id, DocumentKind::BeritaAcara).unwrap();
    let text = pdf_text(&pdf);
    let flat = squeezed(&text);
    assert_numbered_pages(&pdf, &text);
    assert!(flat.contains("KECAMATAN CIMAHI SELATAN KELURAHAN MELONG"), "{flat}");
    assert!(!flat.contains("RUKUN WARGA"), "a kelurahan meeting has no RW in its kop");
    assert!(flat.contains("MUSRENBANG KELURAHAN MELONG DALAM RANGKA PENYUSUNAN RKPD KOTA CIMAHI TAHUN 2027"), "{flat}");
    let sentence = "Pada hari Rabu tanggal delapan bulan November tahun dua ribu dua puluh tiga, bertempat di \
                    Aula Kelurahan Melong";
    assert!(flat.contains(sentence), "{flat}");
    assert!(flat.contains("dihadiri oleh 0 (nol) orang peserta"), "{flat}");
    assert!(flat.contains("pada Musrenbang Kecamatan"), "{flat}");
    assert!(flat.contains("Belum ditetapkan."), "{flat}");
    for kind in DocumentKind::MEETING_PAPERS {
        render_pdf(&fixture.store, &meeting.id, kind).unwrap();
    }
}

/// A Musrenbang Kelurahan of Melong beside the demo's RW meeting.
fn kelurahan_meeting(fixture: &common::Fixture, nomor: &str) -> String {
    let form = rembug_core::meeting::MeetingForm {
        stage: "musrenbang_kelurahan".into(),
        kelurahan_code: "32.77.01.1001".into(),
        date: "2027-01-20".into(),
        start_time: "09:00".into(),
        place: "Aula Kelurahan Melong".into(),
        facilitator: "Dedi Kurniawan".into(),
        nomor: nomor.into(),
        ..Default::default()
    };
    fixture.store.create_meeting(&form).unwrap().id
}

#[test]
fn an_rws_papers_carry_the_rws_own_kop_and_a_kelurahans_the_government_kop_with_its_logo() {
    let fixture = demo_meeting();
    let meeting = fixture.store.get_meeting(&fixture.meeting_id).unwrap();
    let form = rembug_core::kop::KopSettingsForm {
        government: String::new(),
        address: "Jl. Sukarasa No. 1, Melong, Cimahi 40534".into(),
        rw_address: "Sekretariat RW: Jl. Baros Gg. Melati No. 8".into(),
    };
    fixture.store.save_kop_settings(&form).unwrap();
    fixture.store.set_kop_logo(&common::signature_png(), "image/png").unwrap();

    // An RW is a community body: its own kop, its own address, no logo.
    let rw_kop = [
        format!("RUKUN WARGA {:02}", meeting.rw.unwrap()),
        format!(
            "KELURAHAN {} – KECAMATAN {}",
            meeting.kelurahan.name.to_uppercase(),
            meeting.kelurahan.kecamatan_name.to_uppercase()
        ),
        "KOTA CIMAHI".to_owned(),
        "Sekretariat RW: Jl. Baros Gg. Melati No. 8".to_owned(),
    ]
    .join(" ");
    for kind in DocumentKind::MEETING_PAPERS {
        let (pdf, text) = render(&fixture, kind);
        let first_page = squeezed(text.split('\u{c}').next().unwrap());
        assert!(first_page.starts_with(&rw_kop), "{kind:?}: {first_page}");
        assert!(!first_page.contains("PEMERINTAH"), "{kind:?}: an RW is not a government office");
        assert_eq!(image_count(&pdf), 0, "{kind:?}: no logo on an RW's paper");
    }

    // A kelurahan's papers: the government kop, the office's address, the logo.
    let kelurahan_id = kelurahan_meeting(&fixture, "");
    let government_kop =
        "PEMERINTAH KOTA CIMAHI KECAMATAN CIMAHI SELATAN KELURAHAN MELONG Jl. Sukarasa No. 1, Melong, Cimahi 40534";
    for kind in DocumentKind::MEETING_PAPERS {
        let pdf = render_pdf(&fixture.store, &kelurahan_id, kind).unwrap();
        let text = pdf_text(&pdf);
        let first_page = squeezed(text.split('\u{c}').next().unwrap());
        assert!(first_page.starts_with(government_kop), "{kind:?}: {first_page}");
        assert!(image_count(&pdf) >= 1, "{kind:?}: the logo is drawn");
    }
    let settings = fixture.store.remove_kop_logo().unwrap();
    assert_eq!(settings.kop.logo_sha256, None);
    let pdf = render_pdf(&fixture.store, &kelurahan_id, DocumentKind::BeritaAcara).unwrap();
    assert_eq!(image_count(&pdf), 0, "no logo once removed");

    // A logo that is not what it claims is refused, and the kop keeps none.
    let error = fixture.store.set_kop_logo(b"GIF89a....", "image/png").unwrap_err();
    assert_eq!(error.field_errors()[0].field, "logo");
    assert_eq!(fixture.store.settings().unwrap().kop.logo_sha256, None);
}

#[test]
fn the_berita_acara_has_a_nomor_line_typed_or_to_fill_by_hand() {
    let fixture = demo_meeting();
    let numbered = kelurahan_meeting(&fixture, "005/BA/Kel.Mlg/I/2027");
    let pdf = render_pdf(&fixture.store, &numbered, DocumentKind::BeritaAcara).unwrap();
    let flat = squeezed(&pdf_text(&pdf));
    assert!(flat.contains("BERITA ACARA HASIL KESEPAKATAN"), "{flat}");
    assert!(flat.contains("TAHUN 2028 Nomor: 005/BA/Kel.Mlg/I/2027 Pada hari"), "under the title: {flat}");

    let (_, text) = render(&fixture, DocumentKind::BeritaAcara);
    let flat = squeezed(&text);
    let blank = flat.split("Nomor: ").nth(1).unwrap_or_else(|| panic!("no Nomor line: {flat}"));
    assert!(blank.starts_with("....."), "dots to write the number by hand: {blank}");
}

#[test]
fn the_preview_shows_every_page_of_the_pdf_as_an_a4_image() {
    let fixture = crowded_meeting(150, 3);
    let (pdf, _) = render(&fixture, DocumentKind::DaftarHadir);
    let pages = rembug_docs::render_preview(&fixture.store, &fixture.meeting_id, DocumentKind::DaftarHadir).unwrap();
    assert_eq!(pages.len(), page_count(&pdf));
    for png in &pages {
        let image = image::load_from_memory_with_format(png, image::ImageFormat::Png).unwrap();
        // A4 portrait at 1.5 px/pt: 595.3 × 841.9 pt.
        assert_eq!((image.width(), image.height()), (893, 1263));
    }
}

/// The id (SHA-256) of an office's signing key.
const OFFICE_KEY_ID: &str = "1a6882de2b6736b09a439d827a56da3de105e8ff39881b83842aff00d5d08fe7";

/// A receipt from the office for the demo meeting's bundle, received at
/// 03:15 UTC on Monday 7 December 2026.
fn tanda_terima(fixture: &common::Fixture) -> TandaTerima {
    let meeting = fixture.store.get_meeting(&fixture.meeting_id).unwrap();
    let bundle_id = "5d0f3c1e9a7b24c8e6f1a0b3d5c7e9f1";
    let sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let receipt_text = serde_json::json!({
        "version": 1,
        "bundle_id": bundle_id,
        "sha256": sha256,
        "received_at": "2026-12-07T03:15:42Z",
        "office_key_id": OFFICE_KEY_ID,
        "signature": "ab".repeat(64),
    })
    .to_string();
    TandaTerima {
        office_name: "Bappelitbangda Kota Cimahi".into(),
        office_city: "Cimahi".into(),
        stage_names: Default::default(),
        bundle_id: bundle_id.into(),
        sha256: sha256.into(),
        received_at_utc: "2026-12-07T03:15:42Z".into(),
        office_key_id: OFFICE_KEY_ID.into(),
        receipt_text,
        meeting,
    }
}

#[test]
fn the_tanda_terima_names_the_office_meeting_and_bundle_on_one_page() {
    let fixture = demo_meeting();
    let receipt = tanda_terima(&fixture);
    let meeting = &receipt.meeting;
    let pdf = render_tanda_terima(&receipt).unwrap();
    assert_eq!(page_count(&pdf), 1);
    let flat = squeezed(&pdf_text(&pdf));

    assert!(flat.starts_with("BAPPELITBANGDA KOTA CIMAHI"), "{flat}");
    assert!(flat.contains("TANDA TERIMA"), "{flat}");
    let rw = meeting.rw.unwrap();
    let title = format!("Rembug Warga RW {rw:02} Kelurahan {}", meeting.kelurahan.name);
    let date = NaiveDate::parse_from_str(&meeting.date, "%Y-%m-%d").unwrap();
    let sentence = format!(
        "Bappelitbangda Kota Cimahi menerangkan telah menerima secara elektronik bundel hasil {title} tahun \
         perencanaan {}, yang dilaksanakan pada {},",
        meeting.planning_year,
        date_in_words(date)
    );
    assert!(flat.contains(&sentence), "{sentence:?} missing:\n{flat}");
    for line in [
        format!("Tahap : Rembug Warga Wilayah : RW {rw:02}, Kelurahan {}, Kecamatan", meeting.kelurahan.name),
        "Revisi : 1 ID bundel : 5d0f3c1e9a7b24c8e6f1a0b3d5c7e9f1".into(),
        "SHA-256 bundel : 9f86d081 884c7d65 9a2feaa0 c55ad015 a3bf4f1b 2b0b822c d15d6c15 b0f00a08".into(),
        "Diterima : Senin, 7 Desember 2026 pukul 10.15 WIB".into(),
        "Kunci kantor : 1a6882de 2b6736b0 9a439d82 7a56da3d e105e8ff 39881b83 842aff00 d5d08fe7".into(),
        "Cimahi, 7 Desember 2026".into(),
    ] {
        assert!(flat.contains(&line), "{line:?} missing:\n{flat}");
    }
    assert!(!pdf_raw_text(&pdf).contains("DRAF"), "a receipt is no draft, whatever the meeting");

    // The same receipt for a meeting in Makassar's zone: received at 11.15 WITA.
    let mut wita = receipt.clone();
    wita.meeting.timezone = Timezone::Wita;
    let flat = squeezed(&pdf_text(&render_tanda_terima(&wita).unwrap()));
    assert!(flat.contains("Diterima : Senin, 7 Desember 2026 pukul 11.15 WITA"), "{flat}");
}

#[test]
fn the_tanda_terimas_qr_code_holds_the_receipt_as_signed() {
    let fixture = demo_meeting();
    let receipt = tanda_terima(&fixture);
    let pdf = render_tanda_terima(&receipt).unwrap();
    // Printed and scanned: the page as pixels, at a scanner's usual 300 dpi.
    let page = image::load_from_memory(&first_page_png(&pdf, 300)).unwrap().to_luma8();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(page.width() as usize, page.height() as usize, |x, y| {
            page.get_pixel(x as u32, y as u32).0[0]
        });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    let (_, content) = grids[0].decode().unwrap();
    assert_eq!(content, receipt.receipt_text);

    let too_long = TandaTerima { receipt_text: "x".repeat(3000), ..receipt };
    assert_eq!(render_tanda_terima(&too_long).unwrap_err().code(), "document_layout_failed");
}

#[test]
fn a_delivered_meeting_prints_its_stored_receipt_as_the_tanda_terima() {
    use rembug_core::outbox::Enrollment;
    use rembug_core::trust::{OfficeIdentity, Scope, Signed};

    let fixture = locked_demo_meeting();
    let (store, id) = (&fixture.store, fixture.meeting_id.as_str());
    let not_found = |kind| render_pdf(store, id, kind).unwrap_err().code();
    assert_eq!(not_found(DocumentKind::TandaTerima), "not_found", "nothing sent yet");

    let office = OfficeIdentity::new("Bappelitbangda Kota Cimahi", "Cimahi", &[7; 32], &[9; 32]);
    let scope = Scope { kelurahan_code: "32.77.01.1001".into(), rw: None };
    store.save_enrollment(&Enrollment::new("http://127.0.0.1:1", office.clone(), scope, None, None)).unwrap();
    let sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    store.queue_bundle(id, sha256, 1234, &"09".repeat(32)).unwrap();
    store.start_sending(id).unwrap();
    assert_eq!(not_found(DocumentKind::TandaTerima), "not_found", "sending, no receipt yet");

    let body = serde_json::json!({
        "bundle_id": "5d0f3c1e9a7b24c8e6f1a0b3d5c7e9f1",
        "sha256": sha256,
        "received_at": "2026-12-07T03:15:42Z",
        "office_key_id": office.key_id,
    })
    .to_string();
    let receipt = Signed { body, signature: "ab".repeat(64) };
    store.record_delivery(id, &receipt, "2026-12-07T03:15:42Z").unwrap();
    let pdf = render_pdf(store, id, DocumentKind::TandaTerima).unwrap();
    assert_eq!(page_count(&pdf), 1);
    let flat = squeezed(&pdf_text(&pdf));
    assert!(flat.starts_with("BAPPELITBANGDA KOTA CIMAHI"), "{flat}");
    assert!(flat.contains("Diterima : Senin, 7 Desember 2026 pukul 10.15 WIB"), "{flat}");
    assert!(flat.contains(&format!("Kunci kantor : {} {}", &office.key_id[..8], &office.key_id[8..16])), "{flat}");
    assert!(flat.contains("SHA-256 bundel : 9f86d081 884c7d65"), "{flat}");
    assert_eq!(rembug_docs::render_preview(store, id, DocumentKind::TandaTerima).unwrap().len(), 1);

    // Enrolled with another office since: its receipt is not this office's.
    let other = OfficeIdentity::new("Kantor Lain", "Bandung", &[8; 32], &[9; 32]);
    let scope = Scope { kelurahan_code: "32.77.01.1001".into(), rw: None };
    store.save_enrollment(&Enrollment::new("http://127.0.0.1:1", other, scope, None, None)).unwrap();
    assert_eq!(not_found(DocumentKind::TandaTerima), "not_found");
}

/// Where each of `needles` first appears in `flat` after `from`, asserting
/// they come in that order.
fn assert_in_order(flat: &str, from: &str, needles: &[&str]) {
    let start = flat.find(from).unwrap_or_else(|| panic!("{from:?} missing:\n{flat}"));
    let mut at = start;
    for needle in needles {
        let found =
            flat[at..].find(needle).unwrap_or_else(|| panic!("{needle:?} missing after {at}:\n{}", &flat[start..]));
        at += found + needle.len();
    }
}

#[test]
fn the_signatures_follow_the_settings_with_the_chair_his_jabatan_and_mengetahui() {
    use rembug_core::meeting::MeetingForm;
    use rembug_core::signatories::SignatorySettings;

    let fixture = demo_meeting();
    let meeting = fixture.store.get_meeting(&fixture.meeting_id).unwrap();
    let form = MeetingForm {
        pimpinan: "H. Ujang Suryana".into(),
        pimpinan_jabatan: "Ketua RW 05".into(),
        ..meeting.to_form()
    };
    fixture.store.update_meeting(&fixture.meeting_id, &form).unwrap();
    let kelurahan = &meeting.kelurahan.name;

    // A rembug warga by default: the chair, the notulis, the representatives.
    // Side-by-side blocks interleave in the page's lines; the raw text is
    // in drawing order, block after block.
    let (pdf, text) = render(&fixture, DocumentKind::BeritaAcara);
    let flat = squeezed(&pdf_raw_text(&pdf));
    assert!(squeezed(&text).contains("dipimpin oleh H. Ujang Suryana"), "the form's chair leads the meeting:\n{flat}");
    assert_in_order(
        &flat,
        "sebagaimana mestinya",
        &["Pimpinan Rapat", "Ketua RW 05", "H. Ujang Suryana", "Perwakilan Peserta"],
    );
    assert_in_order(&flat, "sebagaimana mestinya", &["Notulis", meeting.notulis.as_deref().unwrap()]);
    assert!(!flat.contains("Mengetahui"), "no Mengetahui unless the settings ask:\n{flat}");

    // The city's own order: the lurah knows of it first, then the chair; no
    // notulis, no representatives.
    let defaults = SignatorySettings::default().to_form();
    let settings = rembug_core::signatories::SignatorySettingsForm {
        rembug_warga: vec!["mengetahui_lurah".into(), "pimpinan_rapat".into()],
        lurah_name: "Dra. Euis Rohaeni".into(),
        lurah_nip: "19700101 199003 2 005".into(),
        ..defaults
    };
    fixture.store.save_signatory_settings(&settings).unwrap();
    let (pdf, _) = render(&fixture, DocumentKind::BeritaAcara);
    let flat = squeezed(&pdf_raw_text(&pdf));
    assert_in_order(
        &flat,
        "sebagaimana mestinya",
        &[
            "Mengetahui,",
            &format!("Lurah {kelurahan}"),
            "Dra. Euis Rohaeni",
            "NIP. 19700101 199003 2 005",
            "Pimpinan Rapat",
            "H. Ujang Suryana",
        ],
    );
    assert!(!flat.contains("Notulis") && !flat.contains("Perwakilan Peserta"), "{flat}");

    // The daftar usulan is signed by the same persons, never the representatives.
    let (pdf, _) = render(&fixture, DocumentKind::Usulan);
    assert_in_order(
        &squeezed(&pdf_raw_text(&pdf)),
        "Rekapitulasi",
        &["Mengetahui,", "Dra. Euis Rohaeni", "Pimpinan Rapat"],
    );
}

#[test]
fn papers_printed_for_signing_carry_no_draf_and_the_code_of_the_record_as_printed() {
    use rembug_docs::render_for_signing;

    let fixture = demo_meeting();
    let id = &fixture.meeting_id;
    assert_eq!(fixture.store.signing_check(id).unwrap().last_print, None, "not printed yet");

    let mut codes = Vec::new();
    for kind in DocumentKind::SIGNED_PAPERS {
        let printed = render_for_signing(&fixture.store, id, kind).unwrap();
        assert_eq!(printed.code.len(), 8);
        assert!(printed.code.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()), "{}", printed.code);
        assert!(!pdf_raw_text(&printed.pdf).contains("DRAF"), "{kind:?}: no watermark on the paper for signing");
        let text = pdf_text(&printed.pdf);
        let pages: Vec<&str> = text.split('\u{c}').filter(|page| !page.trim().is_empty()).collect();
        assert_eq!(pages.len(), page_count(&printed.pdf));
        for page in pages {
            assert!(page.contains(&format!("Kode cetak: {}", printed.code)), "{kind:?}: the footer names the code");
        }
        codes.push(printed.code);
    }
    assert!(codes.windows(2).all(|pair| pair[0] == pair[1]), "one record, one code: {codes:?}");
    // The ordinary print of the draft still says DRAF and names no code.
    let (pdf, text) = render(&fixture, DocumentKind::BeritaAcara);
    assert!(pdf_raw_text(&pdf).contains("DRAF") && !text.contains("Kode cetak"));

    let check = fixture.store.signing_check(id).unwrap();
    assert_eq!(check.last_print.map(|print| print.code), Some(codes[0].clone()));
    assert_eq!((check.current_code.as_str(), check.changed_since_print), (codes[0].as_str(), false));

    // A change after signing: the signed paper no longer matches.
    let meeting = fixture.store.get_meeting(id).unwrap();
    let moved = rembug_core::meeting::MeetingForm { place: "Masjid Al-Ikhlas".into(), ..meeting.to_form() };
    fixture.store.update_meeting(id, &moved).unwrap();
    let check = fixture.store.signing_check(id).unwrap();
    assert!(check.changed_since_print, "the record changed since the print");
    assert_ne!(check.current_code, codes[0]);
    // Printing again makes the paper match once more.
    let again = render_for_signing(&fixture.store, id, DocumentKind::BeritaAcara).unwrap();
    assert_eq!(again.code, check.current_code);
    assert!(!fixture.store.signing_check(id).unwrap().changed_since_print);

    // The notulen is not signed in the hall; a locked meeting is signed already.
    let error = render_for_signing(&fixture.store, id, DocumentKind::Notulen).unwrap_err();
    assert_eq!(error.code(), "document_not_signed");
    fixture.store.lock_meeting(id).unwrap();
    let error = render_for_signing(&fixture.store, id, DocumentKind::BeritaAcara).unwrap_err();
    assert_eq!(error.code(), "meeting_locked");
    let error = fixture.store.remember_signing_print(id, &codes[0]).unwrap_err();
    assert_eq!(error.code(), "meeting_locked");
}

#[test]
fn the_kecamatan_recap_lists_each_kelurahan_s_rws_and_the_usulan_by_bidang_with_totals() {
    let kelurahan = |name: &str, rw_count, rw_received: Vec<u16>, usulan, biaya| RekapKelurahan {
        name: name.into(),
        rw_count,
        rw_received,
        usulan,
        biaya,
    };
    let rekap = RekapKecamatan {
        kota_name: "Kota Cimahi".into(),
        office_name: "Bappelitbangda Kota Cimahi".into(),
        office_city: "Cimahi".into(),
        kecamatan_name: "Cimahi Selatan".into(),
        planning_year: 2027,
        printed_on: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        kelurahan: vec![
            kelurahan("Melong", Some(5), vec![1, 2, 4], 7, 1_234_000),
            kelurahan("Cibeureum", None, vec![], 0, 0),
            kelurahan("Leuwigajah", Some(3), vec![3], 2, 45_000_000),
        ],
        bidang: vec![
            RekapBidang { bidang: "Infrastruktur".into(), usulan: 6, biaya: 45_500_000 },
            RekapBidang { bidang: "Ekonomi".into(), usulan: 3, biaya: 734_000 },
        ],
    };
    let pdf = render_rekap(&rekap).unwrap();
    let text = pdf_text(&pdf);
    let flat = squeezed(&text);
    assert_numbered_pages(&pdf, &text);
    for expected in [
        "PEMERINTAH KOTA CIMAHI",
        "BAPPELITBANGDA KOTA CIMAHI",
        "REKAPITULASI USULAN MUSRENBANG KECAMATAN CIMAHI SELATAN TAHUN 2027",
        "Cimahi, 7 Desember 2026",
    ] {
        assert!(flat.contains(expected), "{expected:?} missing:\n{flat}");
    }
    // Each kelurahan's row: its RWs set, received and missing, its usulan and cost.
    let row = |name: &str| squeezed(text.lines().find(|line| line.contains(name)).unwrap_or_else(|| panic!("{name}")));
    assert_eq!(row("Melong"), format!("1 Melong 5 3 03, 05 7 {}", format_rupiah(1_234_000)));
    assert_eq!(row("Melong"), "1 Melong 5 3 03, 05 7 Rp 1.234.000");
    assert_eq!(row("Cibeureum"), "2 Cibeureum belum diatur 0 – 0 Rp 0");
    assert_eq!(row("Leuwigajah"), "3 Leuwigajah 3 1 01, 02 2 Rp 45.000.000");
    assert!(flat.contains("Jumlah 8 4 4 RW 9 Rp 46.234.000"), "{flat}");
    assert!(flat.contains("Infrastruktur 6 Rp 45.500.000") && flat.contains("Ekonomi 3 Rp 734.000"), "{flat}");
    assert!(flat.contains("Jumlah 9 Rp 46.234.000 Cimahi"), "{flat}");
}

#[test]
fn a_daftar_hadir_printed_before_the_meeting_is_numbered_empty_rows_or_the_rws_residents_without_phones() {
    let fixture = demo_meeting();
    let meeting = fixture.store.get_meeting(&fixture.meeting_id).unwrap();
    let attendees = fixture.store.attendees(&fixture.meeting_id).unwrap();

    let (pdf, text) = render(&fixture, DocumentKind::DaftarHadirKosong);
    assert_numbered_pages(&pdf, &text);
    assert!(!pdf_raw_text(&pdf).contains("DRAF"), "signed at the door: no DRAF");
    let flat = squeezed(&text);
    assert!(flat.contains("DAFTAR HADIR") && flat.contains("No. Nama L/P Unsur RT/RW Tanda Tangan"), "{flat}");
    assert!(flat.contains("40.") && !flat.contains("41."), "forty numbered rows:\n{flat}");
    let table = flat.split("Notulis").next().unwrap();
    assert!(attendees.iter().all(|a| !table.contains(&a.name)), "nobody has come yet:\n{flat}");

    let residents = fixture.store.rw_residents(&meeting.kelurahan.code, meeting.rw.unwrap()).unwrap();
    assert!(residents.len() > 20 && residents.iter().any(|p| p.phone.is_some()), "the demo's directory has an RW");
    let (pdf, text) = render(&fixture, DocumentKind::DaftarHadirWarga);
    assert_numbered_pages(&pdf, &text);
    assert!(!pdf_raw_text(&pdf).contains("DRAF"));
    let flat = squeezed(&text);
    for person in &residents {
        assert!(flat.contains(&person.name), "{} missing", person.name);
        if let Some(phone) = &person.phone {
            assert!(!flat.contains(phone.as_str()), "a phone number on the paper: {phone}");
        }
    }
    let last = residents.len() + 10;
    assert!(flat.contains(&format!("{last}.")) && !flat.contains(&format!("{}.", last + 1)), "ten rows for newcomers");
}
