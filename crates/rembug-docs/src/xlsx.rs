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

/// One column of a sheet: its header, its width and its cell in each row.
struct Column<T> {
    header: &'static str,
    width: f64,
    value: fn(&T) -> Cell,
}

/// What one cell of a row holds.
enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Rupiah(f64),
    Volume(f64),
    Score(f64),
}

impl Cell {
    fn text(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }

    fn number(value: Option<impl Into<f64>>) -> Cell {
        value.map_or(Cell::Empty, |value| Cell::Number(value.into()))
    }
}

/// One usulan row of a sheet: the usulan with its meeting.
struct UsulanLine<'a> {
    meeting: &'a MeetingContext,
    record: &'a UsulanRecord,
    method: RankingMethod,
}

/// The usulan columns, named as SIPD's usulan form names its fields, with
/// where each usulan came from after them. (A function, not a constant: a
/// constant cannot name the rows' lifetime.)
fn usulan_columns<'a>() -> [Column<UsulanLine<'a>>; 19] {
    [
        Column { header: "Prioritas", width: 10.0, value: |u| Cell::Number(u.record.rank.into()) },
        Column { header: "Usulan/Kegiatan", width: 40.0, value: |u| Cell::text(&u.record.usulan.kegiatan) },
        Column { header: "Permasalahan", width: 40.0, value: |u| Cell::text(&u.record.usulan.permasalahan) },
        Column { header: "Alamat/Lokasi", width: 30.0, value: |u| Cell::text(&u.record.usulan.alamat) },
        Column { header: "RT", width: 8.0, value: |u| Cell::text(&u.record.usulan.rt_list) },
        Column { header: "RW", width: 6.0, value: |u| Cell::number(u.record.usulan.rw) },
        Column { header: "Volume", width: 10.0, value: |u| Cell::Volume(u.record.usulan.volume) },
        Column { header: "Satuan", width: 10.0, value: |u| Cell::text(&u.record.usulan.satuan) },
        Column { header: "Perkiraan Biaya", width: 18.0, value: |u| Cell::Rupiah(u.record.usulan.biaya as f64) },
        Column { header: "Bidang/Urusan", width: 16.0, value: |u| Cell::text(bidang_label(u.record.usulan.bidang)) },
        Column {
            header: "OPD Tujuan",
            width: 20.0,
            value: |u| Cell::text(u.record.usulan.opd_tujuan.as_deref().unwrap_or("")),
        },
        Column {
            header: "Penerima Manfaat",
            width: 12.0,
            value: |u| Cell::number(u.record.usulan.penerima_manfaat.map(|count| count as f64)),
        },
        Column {
            header: "Swadaya",
            width: 24.0,
            value: |u| Cell::text(u.record.usulan.swadaya.as_deref().unwrap_or("")),
        },
        Column {
            header: "Keterangan",
            width: 30.0,
            value: |u| Cell::text(u.record.usulan.keterangan.as_deref().unwrap_or("")),
        },
        Column {
            header: "Koordinat",
            width: 22.0,
            value: |u| match (u.record.usulan.latitude, u.record.usulan.longitude) {
                (Some(latitude), Some(longitude)) => Cell::Text(format!("{latitude:.6}, {longitude:.6}")),
                _ => Cell::Empty,
            },
        },
        Column {
            header: "Skor",
            width: 8.0,
            value: |u| match u.method {
                RankingMethod::Scores => u.record.score_percent.map_or(Cell::Empty, Cell::Score),
                RankingMethod::Hands => Cell::number(u.record.usulan.hands),
            },
        },
        Column { header: "Musyawarah", width: 32.0, value: |u| Cell::text(&u.meeting.name) },
        Column { header: "Tanggal", width: 12.0, value: |u| Cell::text(&u.meeting.date) },
        Column { header: "Status", width: 10.0, value: |u| Cell::text(u.meeting.status) },
    ]
}

/// The daftar hadir's columns, over each attendee with its number from 1.
fn attendance_columns<'a>() -> [Column<(u32, &'a Attendee)>; 6] {
    [
        Column { header: "No.", width: 6.0, value: |(number, _)| Cell::Number((*number).into()) },
        Column { header: "Nama", width: 32.0, value: |(_, a)| Cell::text(&a.name) },
        Column { header: "L/P", width: 5.0, value: |(_, a)| Cell::text(a.gender.as_str()) },
        Column { header: "Unsur", width: 22.0, value: |(_, a)| Cell::text(&a.unsur) },
        Column { header: "RT", width: 6.0, value: |(_, a)| Cell::number(a.rt) },
        Column { header: "RW", width: 6.0, value: |(_, a)| Cell::number(a.rw) },
    ]
}

/// A meeting's usulan (sheet "Usulan") and daftar hadir ("Daftar Hadir").
pub fn meeting_xlsx(store: &Store, meeting_id: &str) -> Result<Vec<u8>, DocsError> {
    let record = store.meeting_record(meeting_id)?;
    let context = MeetingContext::new(store, &record.public.meeting)?;
    let mut workbook = Workbook::new();
    let method = record.public.ranking_method;
    let usulan: Vec<UsulanLine<'_>> =
        ranked(&record).into_iter().map(|record| UsulanLine { meeting: &context, record, method }).collect();
    write_sheet(workbook.add_worksheet(), "Usulan", &usulan_columns(), &usulan)?;
    let attendees: Vec<(u32, &Attendee)> = (1..).zip(&record.personal.attendees).collect();
    write_sheet(workbook.add_worksheet(), "Daftar Hadir", &attendance_columns(), &attendees)?;
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
    let usulan: Vec<UsulanLine<'_>> = records
        .iter()
        .zip(&contexts)
        .flat_map(|(record, context)| {
            let method = record.public.ranking_method;
            ranked(record).into_iter().map(move |usulan| UsulanLine { meeting: context, record: usulan, method })
        })
        .collect();
    let mut workbook = Workbook::new();
    write_sheet(workbook.add_worksheet(), "Usulan", &usulan_columns(), &usulan)?;
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

/// Writes a header row of `columns`, then one row per item of `rows`.
fn write_sheet<T>(sheet: &mut Worksheet, name: &str, columns: &[Column<T>], rows: &[T]) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let bold = Format::new().set_bold().set_align(FormatAlign::Center).set_background_color(0xE8E8E8);
    for (index, column) in columns.iter().enumerate() {
        let index = index as u16;
        sheet.write_string_with_format(0, index, column.header, &bold)?;
        sheet.set_column_width(index, column.width)?;
    }
    let rupiah = Format::new().set_num_format(RUPIAH_FORMAT);
    let volume = Format::new().set_num_format(VOLUME_FORMAT);
    let score = Format::new().set_num_format(SCORE_FORMAT);
    for (row, item) in (1..).zip(rows) {
        for (index, column) in columns.iter().enumerate() {
            let index = index as u16;
            match (column.value)(item) {
                Cell::Empty => {}
                Cell::Text(text) => {
                    sheet.write_string(row, index, text)?;
                }
                Cell::Number(number) => {
                    sheet.write_number(row, index, number)?;
                }
                Cell::Rupiah(number) => {
                    sheet.write_number_with_format(row, index, number, &rupiah)?;
                }
                Cell::Volume(number) => {
                    sheet.write_number_with_format(row, index, number, &volume)?;
                }
                Cell::Score(number) => {
                    sheet.write_number_with_format(row, index, number, &score)?;
                }
            }
        }
    }
    finish_table(sheet, rows.len(), columns.len())
}

/// Freezes the header row and puts a filter on every column.
fn finish_table(sheet: &mut Worksheet, rows: usize, columns: usize) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows as u32, columns as u16 - 1)?;
    Ok(())
}
