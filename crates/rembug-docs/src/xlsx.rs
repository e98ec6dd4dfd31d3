//! Spreadsheets for the office: one meeting's usulan and attendance, and a
//! kelurahan's planning year with the columns SIPD asks for. Residents'
//! phone numbers never go into any sheet.

use rembug_core::Store;
use rembug_core::attendance::Attendee;
use rembug_core::meeting::{Meeting, MeetingStatus, Stage};
use rembug_core::ranking::RankingMethod;
use rembug_core::record::{MeetingRecord, UsulanRecord};
use rembug_core::store::meetings::MeetingFilter;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::error::DocsError;
use crate::format::{bidang_label, meeting_title, stage_name};

/// `"Rp "#,##0`: the thousands separator follows the spreadsheet's locale,
/// so an Indonesian one shows "Rp 12.500.000".
const RUPIAH_FORMAT: &str = "\"Rp \"#,##0";
const VOLUME_FORMAT: &str = "#,##0.00";
const SCORE_FORMAT: &str = "0.0";

/// Every meeting of a kelurahan's planning year, far beyond any real count.
const YEAR_MEETINGS_LIMIT: u32 = 5000;

/// The usulan columns, named as SIPD's usulan form names its fields, with
/// where each usulan came from after them.
const USULAN_HEADERS: [(&str, f64); 17] = [
    ("Prioritas", 10.0),
    ("Usulan/Kegiatan", 40.0),
    ("Permasalahan", 40.0),
    ("Alamat/Lokasi", 30.0),
    ("RT", 8.0),
    ("RW", 6.0),
    ("Volume", 10.0),
    ("Satuan", 10.0),
    ("Perkiraan Biaya", 18.0),
    ("Bidang/Urusan", 16.0),
    ("OPD Tujuan", 20.0),
    ("Penerima Manfaat", 12.0),
    ("Koordinat", 22.0),
    ("Skor", 8.0),
    ("Musyawarah", 32.0),
    ("Tanggal", 12.0),
    ("Status", 10.0),
];

const ATTENDANCE_HEADERS: [(&str, f64); 6] =
    [("No.", 6.0), ("Nama", 32.0), ("L/P", 5.0), ("Unsur", 22.0), ("RT", 6.0), ("RW", 6.0)];

/// A meeting's usulan (sheet "Usulan") and daftar hadir ("Daftar Hadir").
pub fn meeting_xlsx(store: &Store, meeting_id: &str) -> Result<Vec<u8>, DocsError> {
    let record = store.meeting_record(meeting_id)?;
    let context = MeetingContext::new(store, &record.public.meeting)?;
    let mut workbook = Workbook::new();
    let usulan = ranked(&record).into_iter().map(|u| (&context, u, record.public.ranking_method)).collect();
    write_usulan(workbook.add_worksheet(), usulan)?;
    write_attendance(workbook.add_worksheet(), &record.personal.attendees)?;
    Ok(workbook.save_to_buffer()?)
}

/// Every usulan of a kelurahan's meetings of one planning year, one sheet.
pub fn kelurahan_year_xlsx(store: &Store, kelurahan_code: &str, planning_year: i32) -> Result<Vec<u8>, DocsError> {
    let filter = MeetingFilter {
        kelurahan_code: Some(kelurahan_code.to_owned()),
        planning_year: Some(planning_year),
        limit: Some(YEAR_MEETINGS_LIMIT),
        ..MeetingFilter::default()
    };
    let mut summaries = store.list_meetings(&filter)?.meetings;
    // Rembug warga by RW first, then the kelurahan's own musrenbang.
    summaries.sort_by_key(|m| (m.stage != Stage::RembugWarga, m.rw, m.date.clone()));
    let records =
        summaries.iter().map(|summary| store.meeting_record(&summary.id)).collect::<Result<Vec<MeetingRecord>, _>>()?;
    let contexts = records
        .iter()
        .map(|record| MeetingContext::new(store, &record.public.meeting))
        .collect::<Result<Vec<_>, DocsError>>()?;
    let usulan = records
        .iter()
        .zip(&contexts)
        .flat_map(|(record, context)| {
            ranked(record).into_iter().map(move |u| (context, u, record.public.ranking_method))
        })
        .collect();
    let mut workbook = Workbook::new();
    write_usulan(workbook.add_worksheet(), usulan)?;
    Ok(workbook.save_to_buffer()?)
}

/// What each usulan row says about its meeting.
struct MeetingContext {
    /// "Rembug Warga RW 05 Kelurahan Melong".
    name: String,
    date: String,
    status: &'static str,
}

impl MeetingContext {
    fn new(store: &Store, meeting: &Meeting) -> Result<MeetingContext, DocsError> {
        let stage = stage_name(meeting.stage, &store.settings()?.recording.stage_names);
        Ok(MeetingContext {
            name: meeting_title(&stage, meeting),
            date: meeting.date.clone(),
            status: match meeting.status {
                MeetingStatus::Draft => "Draf",
                MeetingStatus::Locked => "Terkunci",
            },
        })
    }
}

fn ranked(record: &MeetingRecord) -> Vec<&UsulanRecord> {
    let mut usulan: Vec<&UsulanRecord> = record.public.usulan.iter().collect();
    usulan.sort_by_key(|u| u.rank);
    usulan
}

fn write_usulan(
    sheet: &mut Worksheet,
    rows: Vec<(&MeetingContext, &UsulanRecord, RankingMethod)>,
) -> Result<(), XlsxError> {
    sheet.set_name("Usulan")?;
    write_headers(sheet, &USULAN_HEADERS)?;
    let rupiah = Format::new().set_num_format(RUPIAH_FORMAT);
    let volume = Format::new().set_num_format(VOLUME_FORMAT);
    let score = Format::new().set_num_format(SCORE_FORMAT);
    for (index, (meeting, record, method)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        let usulan = &record.usulan;
        sheet.write_number(row, 0, record.rank)?;
        sheet.write_string(row, 1, &usulan.kegiatan)?;
        sheet.write_string(row, 2, &usulan.permasalahan)?;
        sheet.write_string(row, 3, &usulan.alamat)?;
        sheet.write_string(row, 4, &usulan.rt_list)?;
        if let Some(rw) = usulan.rw {
            sheet.write_number(row, 5, rw)?;
        }
        sheet.write_number_with_format(row, 6, usulan.volume, &volume)?;
        sheet.write_string(row, 7, &usulan.satuan)?;
        sheet.write_number_with_format(row, 8, usulan.biaya as f64, &rupiah)?;
        sheet.write_string(row, 9, bidang_label(usulan.bidang))?;
        sheet.write_string(row, 10, usulan.opd_tujuan.as_deref().unwrap_or(""))?;
        if let Some(count) = usulan.penerima_manfaat {
            sheet.write_number(row, 11, count as f64)?;
        }
        if let (Some(latitude), Some(longitude)) = (usulan.latitude, usulan.longitude) {
            sheet.write_string(row, 12, format!("{latitude:.6}, {longitude:.6}"))?;
        }
        match method {
            RankingMethod::Scores => {
                if let Some(percent) = record.score_percent {
                    sheet.write_number_with_format(row, 13, percent, &score)?;
                }
            }
            RankingMethod::Hands => {
                if let Some(hands) = usulan.hands {
                    sheet.write_number(row, 13, hands)?;
                }
            }
        }
        sheet.write_string(row, 14, &meeting.name)?;
        sheet.write_string(row, 15, &meeting.date)?;
        sheet.write_string(row, 16, meeting.status)?;
    }
    finish_table(sheet, rows.len(), USULAN_HEADERS.len())
}

fn write_attendance(sheet: &mut Worksheet, attendees: &[Attendee]) -> Result<(), XlsxError> {
    sheet.set_name("Daftar Hadir")?;
    write_headers(sheet, &ATTENDANCE_HEADERS)?;
    for (index, attendee) in attendees.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_number(row, 0, row)?;
        sheet.write_string(row, 1, &attendee.name)?;
        sheet.write_string(row, 2, attendee.gender.as_str())?;
        sheet.write_string(row, 3, &attendee.unsur)?;
        if let Some(rt) = attendee.rt {
            sheet.write_number(row, 4, rt)?;
        }
        if let Some(rw) = attendee.rw {
            sheet.write_number(row, 5, rw)?;
        }
    }
    finish_table(sheet, attendees.len(), ATTENDANCE_HEADERS.len())
}

fn write_headers(sheet: &mut Worksheet, headers: &[(&str, f64)]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold().set_align(FormatAlign::Center).set_background_color(0xE8E8E8);
    for (column, (name, width)) in headers.iter().enumerate() {
        let column = column as u16;
        sheet.write_string_with_format(0, column, *name, &bold)?;
        sheet.set_column_width(column, *width)?;
    }
    Ok(())
}

/// Freezes the header row and puts a filter on every column.
fn finish_table(sheet: &mut Worksheet, rows: usize, columns: usize) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows as u32, columns as u16 - 1)?;
    Ok(())
}
