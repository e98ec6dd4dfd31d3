//! Exports of usulan for the planning process: a kelurahan, a kecamatan or
//! the whole city (within the account's kecamatan) and a planning year, as
//! XLSX or CSV, with columns that map onto SIPD's usulan fields. One list of
//! columns ([`columns`]: header, width, value of a line) drives both files.
//! Only the latest revision of each meeting is exported, from the figures
//! the index kept of its public record at ingest (nothing personal; no
//! bundle file is opened), with the office's review and each usulan's
//! outcome.

use std::collections::HashMap;

use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use rembug_core::usulan::Bidang;
use rembug_core::wilayah::Kelurahan;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use super::{PageResult, Refusal, Session, blocking, outcome_label, page, query, review_label, session, stage_label};
use crate::html::e;
use crate::office::Office;
use crate::server::AppState;
use crate::store::{Bundle, BundleFilter, Figures, UsulanFigures, UsulanOutcome};

/// One usulan of one bundle, as a line of the export.
pub(super) struct Line<'a> {
    pub bundle: &'a Bundle,
    pub figures: &'a Figures,
    pub usulan: &'a UsulanFigures,
    pub outcome: Option<&'a UsulanOutcome>,
}

/// A cell's value: text, a plain number, or whole Rupiah.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Text(String),
    Number(f64),
    Rupiah(i64),
    Empty,
}

impl Cell {
    fn text(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }

    fn number(number: Option<impl Into<f64>>) -> Cell {
        number.map_or(Cell::Empty, |number| Cell::Number(number.into()))
    }
}

pub(super) struct Column {
    pub header: &'static str,
    pub width: f64,
    pub value: fn(&Line<'_>) -> Cell,
}

/// The export's columns, SIPD's usulan fields first.
pub(super) fn columns() -> [Column; 24] {
    [
        Column { header: "Tahun", width: 8.0, value: |l| Cell::Number(l.bundle.planning_year.into()) },
        Column { header: "Tahap", width: 22.0, value: |l| Cell::text(stage_label(&l.bundle.stage)) },
        Column { header: "Kode Kecamatan", width: 12.0, value: |l| Cell::text(&l.figures.kecamatan_code) },
        Column { header: "Kecamatan", width: 18.0, value: |l| Cell::text(&l.figures.kecamatan_name) },
        Column { header: "Kode Kelurahan", width: 15.0, value: |l| Cell::text(&l.bundle.kelurahan_code) },
        Column { header: "Kelurahan", width: 18.0, value: |l| Cell::text(&l.figures.kelurahan_name) },
        Column { header: "RW", width: 6.0, value: |l| Cell::number(l.usulan.rw) },
        Column { header: "RT", width: 8.0, value: |l| Cell::text(&l.usulan.rt_list) },
        Column { header: "Alamat", width: 30.0, value: |l| Cell::text(&l.usulan.alamat) },
        Column { header: "Masalah", width: 40.0, value: |l| Cell::text(&l.usulan.permasalahan) },
        Column { header: "Usulan", width: 40.0, value: |l| Cell::text(&l.usulan.kegiatan) },
        Column { header: "Volume", width: 10.0, value: |l| Cell::Number(l.usulan.volume) },
        Column { header: "Satuan", width: 10.0, value: |l| Cell::text(&l.usulan.satuan) },
        Column { header: "Anggaran (Rp)", width: 18.0, value: |l| Cell::Rupiah(l.usulan.biaya) },
        Column { header: "Bidang Urusan", width: 16.0, value: |l| Cell::text(bidang_label(&l.usulan.bidang)) },
        Column { header: "OPD Tujuan", width: 20.0, value: |l| Cell::text(&l.usulan.opd_tujuan) },
        Column {
            header: "Penerima Manfaat",
            width: 10.0,
            value: |l| Cell::number(l.usulan.penerima_manfaat.map(|count| count as f64)),
        },
        Column { header: "Keterangan", width: 30.0, value: |l| Cell::text(&l.usulan.keterangan) },
        Column { header: "Lintang", width: 11.0, value: |l| Cell::number(l.usulan.latitude) },
        Column { header: "Bujur", width: 11.0, value: |l| Cell::number(l.usulan.longitude) },
        Column { header: "Jumlah Foto", width: 8.0, value: |l| Cell::Number(l.usulan.photos.into()) },
        Column { header: "Peringkat", width: 9.0, value: |l| Cell::Number(l.usulan.rank.into()) },
        Column { header: "Status Tinjauan", width: 16.0, value: |l| Cell::text(review_label(&l.bundle.review_state)) },
        Column {
            header: "Hasil Usulan",
            width: 36.0,
            value: |l| match l.outcome {
                Some(o) => Cell::Text(format!("{}: {}", outcome_label(&o.outcome), o.detail)),
                None => Cell::Empty,
            },
        },
    ]
}

/// A bidang's name as the planning documents write it.
pub(super) fn bidang_label(bidang: &str) -> &str {
    match Bidang::parse(bidang) {
        Some(Bidang::Infrastruktur) => "Infrastruktur",
        Some(Bidang::Ekonomi) => "Ekonomi",
        Some(Bidang::SosialBudaya) => "Sosial Budaya",
        Some(Bidang::Pemerintahan) => "Pemerintahan",
        None => bidang,
    }
}

/// What to export: a wilayah code (empty for the city, or a kecamatan's
/// `32.77.01`, or a kelurahan's `32.77.01.1001`), a planning year and
/// optionally one stage.
pub(super) struct Selection {
    pub wilayah: String,
    pub year: i32,
    pub stage: Option<String>,
}

impl Selection {
    /// Reads a query, refusing a wilayah outside the session's kecamatan;
    /// an account limited to a kecamatan exports it when no wilayah is named.
    pub fn read(
        office: &Office,
        session: &Session,
        raw: Option<String>,
        default_year: i32,
    ) -> Result<Selection, Refusal> {
        let form = query(raw);
        let mut wilayah = form.get("wilayah").to_owned();
        if wilayah.is_empty()
            && let Some(kecamatan) = &session.staff.kecamatan_code
        {
            wilayah = kecamatan.clone();
        }
        if !wilayah.is_empty() {
            let known = office
                .wilayah
                .clone()
                .iter()
                .filter(|k| k.code == wilayah || k.kecamatan_code == wilayah)
                .map(|k| session.covers(&k.code))
                .collect::<Vec<_>>();
            if known.is_empty() {
                return Err(Refusal::BadRequest("Wilayah tidak dikenal.".into()));
            }
            if known.contains(&false) {
                return Err(Refusal::Forbidden("Wilayah ini di luar kecamatan Anda."));
            }
        }
        let year = form.get("tahun").parse().unwrap_or(default_year);
        let stage = match form.get("tahap") {
            "" => None,
            stage @ ("rembug_warga" | "musrenbang_kelurahan") => Some(stage.to_owned()),
            _ => return Err(Refusal::BadRequest("Tahap tidak dikenal.".into())),
        };
        Ok(Selection { wilayah, year, stage })
    }

    /// Whether `bundle` is in the selection (and the session's kecamatan).
    pub fn includes(&self, session: &Session, bundle: &Bundle) -> bool {
        let code = &bundle.kelurahan_code;
        bundle.planning_year == self.year
            && session.covers(code)
            && (self.wilayah.is_empty() || *code == self.wilayah || code.starts_with(&format!("{}.", self.wilayah)))
            && self.stage.as_ref().is_none_or(|stage| *stage == bundle.stage)
    }

    /// The name of the wilayah for a file name: its code, or `kota`.
    fn file_stem(&self) -> String {
        let wilayah = if self.wilayah.is_empty() { "kota" } else { &self.wilayah };
        format!("usulan-{wilayah}-{}", self.year)
    }
}

/// The latest revision of each selected meeting, with its figures and
/// outcomes, ordered by kecamatan, kelurahan, stage and RW.
pub(super) async fn selected_records(
    state: &AppState,
    session: &Session,
    selection: &Selection,
) -> Result<Vec<(Bundle, Figures, Vec<UsulanOutcome>)>, Refusal> {
    let filter = BundleFilter {
        planning_year: Some(selection.year),
        wilayah: (!selection.wilayah.is_empty()).then(|| selection.wilayah.clone()),
        stage: selection.stage.clone(),
        ..BundleFilter::default()
    };
    let store = state.office.store.clone();
    let (mut latest, outcomes) =
        blocking(move || Ok((store.figures_where(&filter)?, store.usulan_outcomes_where(&filter)?))).await?;
    latest.retain(|(bundle, _)| selection.includes(session, bundle));
    latest.sort_by_key(|(bundle, _)| (bundle.kelurahan_code.clone(), bundle.stage != "rembug_warga", bundle.rw));
    let mut by_bundle: HashMap<String, Vec<UsulanOutcome>> = HashMap::new();
    for (sha256, outcome) in outcomes {
        by_bundle.entry(sha256).or_default().push(outcome);
    }
    Ok(latest
        .into_iter()
        .map(|(bundle, figures)| {
            let outcomes = by_bundle.remove(&bundle.sha256).unwrap_or_default();
            (bundle, figures, outcomes)
        })
        .collect())
}

/// Every usulan of the records, each meeting's by rank.
fn lines(records: &[(Bundle, Figures, Vec<UsulanOutcome>)]) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    for (bundle, figures, outcomes) in records {
        let mut ranked: Vec<&UsulanFigures> = figures.usulan.iter().collect();
        ranked.sort_by_key(|usulan| usulan.rank);
        for usulan in ranked {
            let outcome = outcomes.iter().find(|outcome| outcome.usulan_id == usulan.usulan_id);
            lines.push(Line { bundle, figures, usulan, outcome });
        }
    }
    lines
}

/// The export form.
pub(super) async fn export_page(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let session = session(&state, &headers).await?;
    let store = state.office.store.clone();
    let year = blocking(move || Ok(store.latest_planning_year()?)).await?.unwrap_or(2028);
    let places: Vec<Kelurahan> =
        state.office.wilayah.clone().iter().filter(|k| session.covers(&k.code)).cloned().collect();
    let mut options = String::new();
    if session.staff.kecamatan_code.is_none() {
        options.push_str("<option value=\"\">Seluruh kota</option>");
    }
    let mut kecamatan_seen = String::new();
    let mut kecamatan_options = String::new();
    for kelurahan in &places {
        if kelurahan.kecamatan_code != kecamatan_seen {
            kecamatan_seen = kelurahan.kecamatan_code.clone();
            let option = format!(
                "<option value=\"{}\">Kecamatan {}</option>",
                e(&kelurahan.kecamatan_code),
                e(&kelurahan.kecamatan_name)
            );
            options.push_str(&option);
            kecamatan_options.push_str(&option);
        }
        options.push_str(&format!(
            "<option value=\"{}\">\u{2003}Kelurahan {}</option>",
            e(&kelurahan.code),
            e(&kelurahan.name)
        ));
    }
    let body = format!(
        "<p>Usulan dari revisi terakhir setiap musyawarah, dengan kolom yang sesuai isian usulan SIPD (masalah, usulan, \
         alamat, RT/RW, kelurahan dan kecamatan dengan kodenya, volume, satuan, anggaran, bidang urusan, OPD tujuan, \
         koordinat, jumlah foto, status tinjauan dan hasilnya). Tidak memuat data pribadi warga.</p>\
         <form method=\"get\" action=\"/ekspor/usulan.xlsx\"><div class=\"sebaris\">\
         <div><label for=\"wilayah\">Wilayah</label><select id=\"wilayah\" name=\"wilayah\">{options}</select></div>\
         <div><label for=\"tahun\">Tahun perencanaan</label>\
         <input id=\"tahun\" name=\"tahun\" type=\"number\" min=\"2000\" max=\"2100\" value=\"{year}\"></div>\
         <div><label for=\"tahap\">Tahap</label><select id=\"tahap\" name=\"tahap\"><option value=\"\">Semua</option>\
         <option value=\"rembug_warga\">Rembug Warga</option>\
         <option value=\"musrenbang_kelurahan\">Musrenbang Kelurahan</option></select></div></div>\
         <p class=\"sebaris\"><button type=\"submit\">Unduh XLSX</button>\
         <button type=\"submit\" formaction=\"/ekspor/usulan.csv\">Unduh CSV</button></p></form>\
         <h2>Rekapitulasi kecamatan (PDF)</h2>\
         <p>Per kelurahan: RW yang hasil Rembug Warga-nya sudah masuk dan yang belum, jumlah usulan dan perkiraan \
         biayanya; lalu usulan per bidang.</p>\
         <form method=\"get\" action=\"/ekspor/rekap.pdf\"><div class=\"sebaris\">\
         <div><label for=\"rekap-kecamatan\">Kecamatan</label>\
         <select id=\"rekap-kecamatan\" name=\"kecamatan\">{kecamatan_options}</select></div>\
         <div><label for=\"rekap-tahun\">Tahun perencanaan</label>\
         <input id=\"rekap-tahun\" name=\"tahun\" type=\"number\" min=\"2000\" max=\"2100\" value=\"{year}\"></div>\
         </div><p><button type=\"submit\">Unduh rekap PDF</button></p></form>"
    );
    Ok(page(StatusCode::OK, "Ekspor usulan", Some(&session), &body))
}

/// `usulan.xlsx` or `usulan.csv` of the selection.
pub(super) async fn export_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(file): UrlPath<String>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let session = session(&state, &headers).await?;
    let csv = match file.as_str() {
        "usulan.xlsx" => false,
        "usulan.csv" => true,
        _ => return Err(Refusal::NotFound),
    };
    let selection = Selection::read(&state.office, &session, raw, 2028)?;
    let records = selected_records(&state, &session, &selection).await?;
    let lines = lines(&records);
    let (bytes, media_type, extension) = if csv {
        (csv_bytes(&columns(), &lines), "text/csv; charset=utf-8", "csv")
    } else {
        (xlsx_bytes(&columns(), &lines)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
    };
    let detail = format!("{} baris, {extension}", lines.len());
    let entry = session.audit("ekspor_usulan", &format!("{} {}", selection.file_stem(), extension), &detail);
    let store = state.office.store.clone();
    blocking(move || Ok(store.audit(&entry)?)).await?;
    download(bytes, media_type, &format!("{}.{extension}", selection.file_stem()))
}

/// A file to save (never shown in the browser), not kept in any cache.
pub(super) fn download(bytes: impl IntoResponse, media_type: &'static str, file_name: &str) -> PageResult {
    let mut response = bytes.into_response();
    let disposition = format!("attachment; filename=\"{file_name}\"");
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition)?);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn xlsx_bytes(columns: &[Column], lines: &[Line<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Usulan")?;
    let bold = Format::new().set_bold().set_align(FormatAlign::Center).set_background_color(0xE8E8E8);
    let rupiah = Format::new().set_num_format("\"Rp \"#,##0");
    for (index, column) in (0u16..).zip(columns) {
        sheet.write_string_with_format(0, index, column.header, &bold)?;
        sheet.set_column_width(index, column.width)?;
    }
    for (row, line) in (1u32..).zip(lines) {
        for (index, column) in (0u16..).zip(columns) {
            match (column.value)(line) {
                // A text is always a string cell, never read as a formula.
                Cell::Text(text) => sheet.write_string(row, index, text).map(drop)?,
                Cell::Number(number) => sheet.write_number(row, index, number).map(drop)?,
                Cell::Rupiah(rupiah_value) => {
                    sheet.write_number_with_format(row, index, rupiah_value as f64, &rupiah).map(drop)?
                }
                Cell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, lines.len() as u32, columns.len() as u16 - 1)?;
    workbook.save_to_buffer()
}

/// RFC 4180 CSV in UTF-8 (with a byte order mark, so spreadsheets read it
/// as UTF-8), one header line.
fn csv_bytes(columns: &[Column], lines: &[Line<'_>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = columns.iter().map(|column| csv_text(column.header)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for line in lines {
        let cells: Vec<String> = columns
            .iter()
            .map(|column| match (column.value)(line) {
                Cell::Text(text) => csv_text(&text),
                Cell::Number(number) => number.to_string(),
                Cell::Rupiah(rupiah) => rupiah.to_string(),
                Cell::Empty => String::new(),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// A text cell of a CSV file: one a spreadsheet would read as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is
/// prefixed with `'`; quoted when it holds a comma, a quote or a line end.
/// Numbers are written by this module, never from a text, so they carry no
/// formula.
pub(super) fn csv_text(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_never_start_a_formula_and_are_quoted_as_rfc_4180_says() {
        assert_eq!(csv_text("Perbaikan jalan"), "Perbaikan jalan");
        assert_eq!(csv_text("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        for formula in ["+1", "-1+2", "@SUM(A1)", "\tx"] {
            assert!(csv_text(formula).starts_with('\''), "{formula}");
        }
        assert_eq!(csv_text("a, b\nc"), "\"a, b\nc\"");
        assert_eq!(bidang_label("sosial_budaya"), "Sosial Budaya");
        assert_eq!(bidang_label("lain"), "lain");
    }
}
