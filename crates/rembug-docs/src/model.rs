//! What a document shows, computed in Rust from the meeting record and handed
//! to the Typst templates as data: templates only lay it out, and residents'
//! text never becomes Typst markup.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::NaiveDate;
use rembug_core::Store;
use rembug_core::attendance::{Attendee, Role};
use rembug_core::kop::KopSettings;
use rembug_core::meeting::{Meeting, MeetingStatus, Stage};
use rembug_core::people::Person;
use rembug_core::ranking::{RankingMethod, score_text};
use rembug_core::record::{MeetingRecord, UsulanRecord};
use rembug_core::rupiah::{format_rupiah, volume_text};
use rembug_core::signatories::{REPRESENTATIVES_MAX, SignatorySettings, Signer};
use rembug_core::text::area_number_text;
use rembug_core::usulan::Usulan;
use serde::Serialize;

use crate::error::DocsError;
use crate::format::{bidang_label, lokasi, meeting_title, penerima_manfaat, rt_rw, stage_name};
use crate::terbilang::{date_in_words, long_date, short_date, terbilang};

#[derive(Debug, Serialize)]
pub struct DocumentData {
    /// A draft's pages carry a "DRAF" watermark, except when printed for
    /// signing.
    pub draft: bool,
    /// Printed for signing: the code of the record as printed, in every
    /// page's footer (`rembug_core::signing`).
    pub signing_code: Option<String>,
    /// The kop, top line first: for a rembug warga the RW's own ("RUKUN
    /// WARGA 08", "KELURAHAN BAROS – KECAMATAN CIMAHI TENGAH", "KOTA
    /// CIMAHI"), for a kelurahan the government's ("PEMERINTAH KOTA
    /// CIMAHI", the kecamatan, the kelurahan).
    pub kop: Vec<String>,
    /// The RW's or the kelurahan office's address under the kop lines, when
    /// the settings give one.
    pub kop_address: Option<String>,
    /// Whether the government kop's logo is drawn (`sys.inputs.logo`).
    pub kop_logo: bool,
    /// The berita acara's "Nomor:", or none to leave dots to fill by hand.
    pub nomor: Option<String>,
    pub meeting: MeetingInfo,
    pub counts: Counts,
    /// The pimpinan rapat: the meeting form's, else the attendee checked
    /// in with that role.
    pub chair: Option<String>,
    pub notulis: Option<String>,
    /// The signature blocks in the settings' order for the stage.
    pub signatures: Vec<SignatureItem>,
    /// The daftar hadir's table.
    pub attendance: Table,
    /// A daftar hadir printed before the meeting: nobody has come yet.
    pub before_meeting: bool,
    /// The daftar usulan's table, and the berita acara's shorter one.
    pub usulan_list: Table,
    pub usulan_summary: Table,
    pub usulan_count: usize,
    pub bidang_totals: Vec<BidangTotal>,
    pub total_biaya: String,
    pub delegates: Vec<DelegateRow>,
    pub delegate_table: Table,
    pub agenda: Vec<AgendaRow>,
}

#[derive(Debug, Serialize)]
pub struct MeetingInfo {
    /// "Rembug Warga RW 05 Kelurahan Melong" or "Musrenbang Kelurahan Melong".
    pub title: String,
    /// Where the delegates go next: "Musrenbang Kelurahan".
    pub next_stage: &'static str,
    pub kelurahan: String,
    pub kecamatan: String,
    /// "Cimahi": the place in "Cimahi, 8 November 2023" above signatures.
    pub city: String,
    pub place: String,
    pub planning_year: i32,
    /// The heading's last line: "DALAM RANGKA PENYUSUNAN RKPD KOTA CIMAHI
    /// TAHUN 2028", the plan the meeting prepares.
    pub planning_line: String,
    /// "Rabu, 8 November 2023".
    pub date_long: String,
    pub date_short: String,
    /// "hari Rabu tanggal delapan bulan November tahun dua ribu dua puluh tiga".
    pub date_words: String,
    /// "19.30 WIB".
    pub time: String,
    pub facilitator: String,
}

#[derive(Debug, Serialize)]
pub struct Counts {
    pub total: u32,
    pub total_words: String,
    pub men: u32,
    pub women: u32,
}

/// A line of the daftar hadir: an attendee, a resident expected, or an
/// empty numbered row.
#[derive(Debug)]
pub struct AttendeeRow {
    pub number: usize,
    pub name: String,
    pub gender: &'static str,
    pub unsur: String,
    pub rt_rw: String,
    /// The key of the drawn signature in the `signatures` input, if any.
    pub signature: Option<String>,
}

/// A table the templates lay out from its data alone: its columns' headers,
/// widths and alignment, then each row's cells in the same order. A column
/// added in Rust appears in the PDF without touching the template.
#[derive(Debug, Serialize)]
pub struct Table {
    pub columns: Vec<ColumnHead>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct ColumnHead {
    pub header: &'static str,
    pub width: Width,
    pub align: Align,
    /// The column whose total the "Jumlah" row shows, after the columns
    /// before it joined into one cell.
    pub sum: bool,
    pub cell: CellKind,
}

/// How `common.typ`'s `data-table` draws a column's cells.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CellKind {
    Text,
    /// Smaller text, for a long value in a narrow column.
    Small,
    /// The row's number and, where the cell's value names one in the
    /// `signatures` input, the drawn signature.
    Signature,
}

/// A Typst column width: `"auto"`, `{"cm": 0.9}` or `{"fr": 1.1}`.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Width {
    Auto,
    Cm(f64),
    Fr(f64),
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One column of a document's table: declared once with its header, its
/// width, its alignment and how its cell is taken from the row.
struct Column<T> {
    header: &'static str,
    width: Width,
    align: Align,
    sum: bool,
    cell: CellKind,
    value: fn(&T) -> String,
}

const fn column<T>(header: &'static str, width: Width, align: Align, value: fn(&T) -> String) -> Column<T> {
    Column { header, width, align, sum: false, cell: CellKind::Text, value }
}

impl Table {
    fn new<T>(columns: &[Column<T>], rows: &[T]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|c| ColumnHead { header: c.header, width: c.width, align: c.align, sum: c.sum, cell: c.cell })
                .collect(),
            rows: rows.iter().map(|row| columns.iter().map(|c| (c.value)(row)).collect()).collect(),
        }
    }
}

/// The daftar usulan's columns; the last one is the score or the hands,
/// as the meeting ranked.
fn usulan_list_columns<'a>(method: RankingMethod) -> [Column<UsulanLine<'a>>; 12] {
    use Align::{Center, Left, Right};
    use Width::{Cm, Fr};
    [
        column("No.", Cm(0.9), Center, |u| u.record.rank.to_string()),
        column("Usulan Kegiatan", Fr(1.1), Left, |u| u.usulan().kegiatan.clone()),
        column("Permasalahan", Fr(1.3), Left, |u| u.usulan().permasalahan.clone()),
        column("Lokasi", Fr(1.0), Left, |u| lokasi(u.usulan(), u.own_kelurahan)),
        column("Volume", Cm(1.4), Center, |u| volume_text(u.usulan().volume)),
        column("Satuan", Cm(1.5), Left, |u| u.usulan().satuan.clone()),
        Column { sum: true, ..column("Perkiraan Biaya", Cm(2.8), Right, |u| format_rupiah(u.usulan().biaya)) },
        column("Bidang", Cm(2.3), Left, |u| bidang_label(u.usulan().bidang).to_owned()),
        column("Penerima Manfaat", Cm(2.0), Right, |u| penerima_manfaat(u.usulan().penerima_manfaat)),
        column("Swadaya", Fr(0.8), Left, |u| u.usulan().swadaya.clone().unwrap_or_default()),
        column(
            match method {
                RankingMethod::Scores => "Skor",
                RankingMethod::Hands => "Jumlah Tangan",
            },
            Cm(2.4),
            Center,
            UsulanLine::score,
        ),
        column("Keterangan", Fr(0.9), Left, |u| u.usulan().keterangan.clone().unwrap_or_default()),
    ]
}

/// The berita acara's usulan columns.
fn usulan_summary_columns<'a>() -> [Column<UsulanLine<'a>>; 4] {
    [
        column("No.", Width::Auto, Align::Center, |u| u.record.rank.to_string()),
        column("Usulan Kegiatan", Width::Fr(1.0), Align::Left, |u| u.usulan().kegiatan.clone()),
        column("Lokasi", Width::Fr(1.0), Align::Left, |u| lokasi(u.usulan(), u.own_kelurahan)),
        Column {
            sum: true,
            ..column("Perkiraan Biaya", Width::Auto, Align::Right, |u| format_rupiah(u.usulan().biaya))
        },
    ]
}

/// The berita acara's delegate columns, over each delegate with its number.
/// (A function, not a constant: a constant cannot name the rows' lifetime.)
fn delegate_columns<'a>() -> [Column<(usize, &'a DelegateRow)>; 5] {
    [
        column("No.", Width::Auto, Align::Center, |(number, _)| number.to_string()),
        column("Nama", Width::Fr(1.0), Align::Left, |(_, d)| d.name.clone()),
        column("L/P", Width::Auto, Align::Center, |(_, d)| d.gender.to_owned()),
        column("Unsur", Width::Fr(1.0), Align::Left, |(_, d)| d.unsur.clone()),
        column("RT/RW", Width::Auto, Align::Center, |(_, d)| d.rt_rw.clone()),
    ]
}

/// The daftar hadir's columns.
fn attendance_columns() -> [Column<AttendeeRow>; 6] {
    use Align::{Center, Left};
    use Width::{Cm, Fr};
    [
        column("No.", Cm(1.0), Center, |a| a.number.to_string()),
        column("Nama", Fr(1.0), Left, |a| a.name.clone()),
        column("L/P", Cm(0.9), Center, |a| a.gender.to_owned()),
        Column { cell: CellKind::Small, ..column("Unsur", Cm(3.2), Left, |a| a.unsur.clone()) },
        column("RT/RW", Cm(1.7), Center, |a| a.rt_rw.clone()),
        Column {
            cell: CellKind::Signature,
            ..column("Tanda Tangan", Cm(4.4), Center, |a| a.signature.clone().unwrap_or_default())
        },
    ]
}

/// An usulan with how its meeting ranked: a row of the usulan tables.
struct UsulanLine<'a> {
    record: &'a UsulanRecord,
    method: RankingMethod,
    /// The kelurahan the lokasi leaves out: an RW's paper names it in the kop.
    own_kelurahan: Option<&'a str>,
}

impl UsulanLine<'_> {
    fn usulan(&self) -> &Usulan {
        &self.record.usulan
    }

    /// The score ("77,0 dari 100") or the hands counted, as the meeting ranked;
    /// "–" when there is none.
    fn score(&self) -> String {
        let score = match self.method {
            RankingMethod::Scores => self.record.score_percent.map(score_text),
            RankingMethod::Hands => self.usulan().hands.map(|hands| hands.to_string()),
        };
        score.unwrap_or_else(|| "–".to_owned())
    }
}

#[derive(Debug, Serialize)]
pub struct BidangTotal {
    pub bidang: &'static str,
    pub count: usize,
    pub biaya: String,
}

#[derive(Debug, Serialize)]
pub struct DelegateRow {
    pub name: String,
    pub gender: &'static str,
    pub unsur: String,
    pub rt_rw: String,
}

/// One signature block, or the participants' representatives' list.
#[derive(Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignatureItem {
    /// `lines` above the room to sign ("Mengetahui,", "Lurah Baros"), the
    /// name under it (dots to write it by hand when unknown), the NIP.
    Person { lines: Vec<String>, name: Option<String>, nip: Option<String> },
    /// "Perwakilan Peserta": the first delegates, or blank lines for three.
    Representatives { names: Vec<String> },
}

#[derive(Debug, Serialize)]
pub struct AgendaRow {
    pub title: String,
    pub discussion: String,
    pub decisions: String,
}

/// Drawn signatures by hash, read from the store only for the daftar hadir.
pub type Signatures = BTreeMap<String, Vec<u8>>;

impl DocumentData {
    pub fn new(store: &Store, record: &MeetingRecord) -> Result<DocumentData, DocsError> {
        let public = &record.public;
        let meeting = &public.meeting;
        let attendees = &record.personal.attendees;
        // "Rembug Warga", or the city's own name for the stage.
        let settings = store.settings()?;
        let stage = stage_name(meeting.stage, &settings.recording.stage_names);
        let date = meeting_date(meeting)?;
        let named = |role: Role| attendees.iter().find(|a| a.role == role).map(|a| a.name.clone());
        let chair = meeting.pimpinan.clone().or_else(|| named(Role::PimpinanRapat));
        let notulis = meeting.notulis.clone().or_else(|| named(Role::Notulis));

        let mut usulan: Vec<&UsulanRecord> = public.usulan.iter().collect();
        usulan.sort_by_key(|u| u.rank);
        let mut totals: BTreeMap<&'static str, (usize, i64)> = BTreeMap::new();
        for one in &usulan {
            let entry = totals.entry(bidang_label(one.usulan.bidang)).or_default();
            entry.0 += 1;
            entry.1 += one.usulan.biaya;
        }

        let method = public.ranking_method;
        let own_kelurahan = meeting.rw.map(|_| meeting.kelurahan.name.as_str());
        let usulan_lines: Vec<UsulanLine<'_>> =
            usulan.iter().map(|&record| UsulanLine { record, method, own_kelurahan }).collect();
        let delegates: Vec<DelegateRow> = public
            .delegates
            .iter()
            .map(|d| DelegateRow {
                name: d.name.clone(),
                gender: d.gender.as_str(),
                unsur: d.unsur.clone(),
                rt_rw: rt_rw(d.rt, d.rw),
            })
            .collect();

        Ok(DocumentData {
            draft: meeting.status == MeetingStatus::Draft,
            signing_code: None,
            kop: kop_lines(meeting, &settings.kop),
            kop_address: match meeting.stage {
                Stage::RembugWarga => settings.kop.rw_address.clone(),
                Stage::MusrenbangKelurahan => settings.kop.address.clone(),
            },
            kop_logo: kop_logo_sha256(meeting, &settings.kop).is_some(),
            nomor: meeting.nomor.clone(),
            meeting: MeetingInfo {
                title: meeting_title(&stage, meeting),
                next_stage: match meeting.stage {
                    Stage::RembugWarga => "Musrenbang Kelurahan",
                    Stage::MusrenbangKelurahan => "Musrenbang Kecamatan",
                },
                kelurahan: meeting.kelurahan.name.clone(),
                kecamatan: meeting.kelurahan.kecamatan_name.clone(),
                city: city_name(&meeting.kelurahan.kota_name),
                place: meeting.place.clone(),
                planning_year: meeting.planning_year,
                planning_line: format!(
                    "DALAM RANGKA PENYUSUNAN RKPD {} TAHUN {}",
                    meeting.kelurahan.kota_name.to_uppercase(),
                    meeting.planning_year
                ),
                date_long: long_date(date),
                date_short: short_date(date),
                date_words: date_in_words(date),
                time: format!("{} {}", meeting.start_time.replace(':', "."), meeting.timezone.as_str()),
                facilitator: meeting.facilitator.clone(),
            },
            counts: Counts {
                total: public.counts.total,
                total_words: terbilang(public.counts.total.into()),
                men: public.counts.men,
                women: public.counts.women,
            },
            signatures: signature_items(
                settings.signatories.for_stage(meeting.stage),
                &settings.signatories,
                meeting,
                &chair,
                &notulis,
                &delegates,
            ),
            chair,
            notulis,
            attendance: Table::new(
                &attendance_columns(),
                &attendees.iter().enumerate().map(|(index, a)| AttendeeRow::new(index + 1, a)).collect::<Vec<_>>(),
            ),
            before_meeting: false,
            usulan_list: Table::new(&usulan_list_columns(method), &usulan_lines),
            usulan_summary: Table::new(&usulan_summary_columns(), &usulan_lines),
            usulan_count: usulan_lines.len(),
            bidang_totals: totals
                .into_iter()
                .map(|(bidang, (count, biaya))| BidangTotal { bidang, count, biaya: format_rupiah(biaya) })
                .collect(),
            total_biaya: format_rupiah(usulan.iter().map(|u| u.usulan.biaya).sum()),
            delegate_table: Table::new(&delegate_columns(), &(1..).zip(&delegates).collect::<Vec<_>>()),
            delegates,
            agenda: public
                .agenda
                .iter()
                .map(|item| AgendaRow {
                    title: item.title.clone(),
                    discussion: item.discussion.clone(),
                    decisions: item.decisions.clone(),
                })
                .collect(),
        })
    }
}

/// Empty rows a daftar hadir printed before the meeting ends with: two
/// pages of them when nobody is listed, a few for newcomers after the
/// residents.
const EMPTY_ROWS_ALONE: usize = 40;
const EMPTY_ROWS_AFTER_RESIDENTS: usize = 10;

impl DocumentData {
    /// The daftar hadir to print before the meeting: `residents` (name, L/P,
    /// unsur, RT/RW; never a phone number) then numbered empty rows, with
    /// no DRAF on the paper, which residents sign at the door.
    pub fn prepare_before_meeting(&mut self, residents: &[Person]) {
        let empty = if residents.is_empty() { EMPTY_ROWS_ALONE } else { EMPTY_ROWS_AFTER_RESIDENTS };
        let listed = residents.iter().map(|person| AttendeeRow {
            number: 0,
            name: person.name.clone(),
            gender: person.gender.as_str(),
            unsur: person.unsur.clone(),
            rt_rw: rt_rw(person.rt, person.rw),
            signature: None,
        });
        let blank = std::iter::repeat_with(|| AttendeeRow {
            number: 0,
            name: String::new(),
            gender: "",
            unsur: String::new(),
            rt_rw: String::new(),
            signature: None,
        })
        .take(empty);
        let rows: Vec<AttendeeRow> =
            listed.chain(blank).enumerate().map(|(index, row)| AttendeeRow { number: index + 1, ..row }).collect();
        self.attendance = Table::new(&attendance_columns(), &rows);
        self.before_meeting = true;
        self.draft = false;
    }
}

impl AttendeeRow {
    fn new(number: usize, attendee: &Attendee) -> AttendeeRow {
        AttendeeRow {
            number,
            name: attendee.name.clone(),
            gender: attendee.gender.as_str(),
            unsur: attendee.unsur.clone(),
            rt_rw: rt_rw(attendee.rt, attendee.rw),
            signature: attendee.signature_sha256.clone(),
        }
    }
}

/// Reads the drawn signature of every attendee who signed.
pub fn read_signatures(store: &Store, record: &MeetingRecord) -> Result<Signatures, DocsError> {
    let mut signatures = Signatures::new();
    for hash in record.personal.attendees.iter().filter_map(|a| a.signature_sha256.as_ref()) {
        if signatures.contains_key(hash) {
            continue;
        }
        let mut png = Vec::new();
        store.open_attachment(hash)?.read_to_end(&mut png)?;
        signatures.insert(hash.clone(), png);
    }
    Ok(signatures)
}

fn meeting_date(meeting: &Meeting) -> Result<NaiveDate, DocsError> {
    NaiveDate::parse_from_str(&meeting.date, "%Y-%m-%d")
        .map_err(|_| DocsError::Corrupt(format!("meeting {} has an unreadable date", meeting.id)))
}

/// An RW's kop: "RUKUN WARGA 08", "KELURAHAN BAROS – KECAMATAN CIMAHI
/// TENGAH", "KOTA CIMAHI". A kelurahan's: "PEMERINTAH KOTA CIMAHI" (or the
/// settings' own first line), "KECAMATAN CIMAHI TENGAH", "KELURAHAN BAROS".
fn kop_lines(meeting: &Meeting, kop: &KopSettings) -> Vec<String> {
    let kelurahan = &meeting.kelurahan;
    let kelurahan_line = format!("KELURAHAN {}", kelurahan.name.to_uppercase());
    let kecamatan_line = format!("KECAMATAN {}", kelurahan.kecamatan_name.to_uppercase());
    match (meeting.stage, meeting.rw) {
        (Stage::RembugWarga, Some(rw)) => vec![
            format!("RUKUN WARGA {}", area_number_text(rw)),
            format!("{kelurahan_line} – {kecamatan_line}"),
            kelurahan.kota_name.to_uppercase(),
        ],
        _ => vec![
            kop.government.clone().unwrap_or_else(|| format!("PEMERINTAH {}", kelurahan.kota_name.to_uppercase())),
            kecamatan_line,
            kelurahan_line,
        ],
    }
}

/// The logo beside the kop: only a kelurahan's government kop carries one.
fn kop_logo_sha256<'a>(meeting: &Meeting, kop: &'a KopSettings) -> Option<&'a str> {
    match meeting.stage {
        Stage::RembugWarga => None,
        Stage::MusrenbangKelurahan => kop.logo_sha256.as_deref(),
    }
}

/// The logo's bytes, when the kop carries one.
pub fn read_kop_logo(store: &Store, meeting: &Meeting) -> Result<Option<Vec<u8>>, DocsError> {
    let kop = store.settings()?.kop;
    let Some(sha256) = kop_logo_sha256(meeting, &kop) else { return Ok(None) };
    let mut bytes = Vec::new();
    store.open_attachment(sha256)?.read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// The signature blocks of `signers`, in their order.
fn signature_items(
    signers: &[Signer],
    settings: &SignatorySettings,
    meeting: &Meeting,
    chair: &Option<String>,
    notulis: &Option<String>,
    delegates: &[DelegateRow],
) -> Vec<SignatureItem> {
    let person = |lines: Vec<String>, name: &Option<String>, nip: &Option<String>| SignatureItem::Person {
        lines,
        name: name.clone(),
        nip: nip.clone(),
    };
    let kelurahan = &meeting.kelurahan.name;
    signers
        .iter()
        .map(|signer| match signer {
            Signer::PimpinanRapat => {
                let mut lines = vec!["Pimpinan Rapat".to_owned()];
                lines.extend(meeting.pimpinan_jabatan.clone());
                person(lines, chair, &None)
            }
            Signer::Notulis => person(vec!["Notulis".to_owned()], notulis, &None),
            Signer::WakilPeserta => SignatureItem::Representatives {
                names: delegates.iter().take(REPRESENTATIVES_MAX).map(|d| d.name.clone()).collect(),
            },
            Signer::MengetahuiLurah => person(
                vec!["Mengetahui,".to_owned(), format!("Lurah {kelurahan}")],
                &settings.lurah.name,
                &settings.lurah.nip,
            ),
            Signer::MengetahuiKetuaLpm => person(
                vec!["Mengetahui,".to_owned(), format!("Ketua LPM Kelurahan {kelurahan}")],
                &settings.ketua_lpm.name,
                &settings.ketua_lpm.nip,
            ),
        })
        .collect()
}

/// "Cimahi" from "Kota Cimahi" (or "Kabupaten Bandung").
fn city_name(kota_name: &str) -> String {
    ["Kota ", "Kabupaten ", "Kab. "]
        .iter()
        .find_map(|prefix| kota_name.strip_prefix(prefix))
        .unwrap_or(kota_name)
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_city_drops_its_kind() {
        assert_eq!(city_name("Kota Cimahi"), "Cimahi");
        assert_eq!(city_name("Kabupaten Bandung Barat"), "Bandung Barat");
        assert_eq!(city_name("Cimahi"), "Cimahi");
    }
}
