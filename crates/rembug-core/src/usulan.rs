//! An usulan (proposal) and the form that records or edits one.
//!
//! Like the meeting form, [`UsulanForm`] holds what the cadre typed as raw
//! strings; [`UsulanForm::parse`] answers typed [`UsulanFields`] or one
//! [`FieldError`] per refused field. Numbers are accepted as Indonesians write
//! them: "12.500.000" Rupiah, a volume of "2,5", a latitude of "-6,8725".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::error::{FieldCode, FieldError};
use crate::meeting::{RW_MAX, Stage};
use crate::rupiah::{format_rupiah, group_thousands, parse_rupiah, ungroup_thousands, volume_text};
use crate::string_enum::string_enum;
use crate::text::{area_number, multiline_text, optional_area_number, optional_text, required_text};

pub const PERMASALAHAN_MAX_CHARS: usize = 2_000;
pub const KEGIATAN_MAX_CHARS: usize = 300;
pub const ALAMAT_MAX_CHARS: usize = 300;
pub const SATUAN_MAX_CHARS: usize = 30;
pub const OPD_MAX_CHARS: usize = 200;
pub const SWADAYA_MAX_CHARS: usize = 500;
pub const KETERANGAN_MAX_CHARS: usize = 500;
pub const GROUP_MAX_CHARS: usize = 200;
pub const RT_MAX: u16 = 999;
/// Far more than any RW activity (a million metres, units, ...).
pub const VOLUME_MAX: f64 = 1_000_000.0;
/// More people than live in any kota.
pub const PENERIMA_MANFAAT_MAX: i64 = 100_000_000;
/// Indonesia's extent with a margin: Rote to Weh, Sabang to Merauke.
pub const LATITUDE_RANGE: (f64, f64) = (-11.5, 6.5);
pub const LONGITUDE_RANGE: (f64, f64) = (94.5, 141.5);

/// The sector of an usulan, as the planning documents group them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Bidang {
    Infrastruktur,
    Ekonomi,
    SosialBudaya,
    Pemerintahan,
}

string_enum!(Bidang);

/// Whether the plan took the usulan in, as the office answers later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    Diakomodir,
    TidakDiakomodir,
}

string_enum!(Outcome);

/// Who proposed an usulan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposer {
    Nobody,
    /// A person who attended the meeting.
    Person(String),
    Group(String),
}

/// The usulan's plain fields, each declared once, in the order of the form,
/// the columns and the record's JSON. A plain field is one line:
///
/// ```text
/// /// The form field's doc (shown in the TypeScript types).
/// name: Type = check(arguments) /// The record field's doc, #[serde]/#[ts] attributes;
/// ```
///
/// and from it follow the raw `String` in [`UsulanForm`], its check
/// `check(&form.name, arguments)` in [`UsulanForm::parse`] under the field
/// error key `name`, the `Type` in [`UsulanFields`] and in [`Usulan`], its
/// entry in [`Usulan::to_form`] (through [`FormText`]), and in the store the
/// column `name`, its value and its read from the row
/// (`store/usulan.rs`'s `usulan_columns!`). The group `what` comes before
/// the usulan's place and cost in each of them, `more` after; a new field
/// goes at the end of `more`. A field added after bundles existed is left
/// out of `Usulan`'s JSON when blank, as `keterangan` is, since the bundle
/// hashes the record.
///
/// The fields of other shapes are written by hand around the two groups,
/// in `usulan_types!` below and the store's `usulan_columns!`: the RT list
/// (typed "01, 03", kept as numbers, stored as "1,3"), the RW (the
/// meeting's own when blank), the coordinates (two form fields, one pair),
/// the volume and cost (written back the Indonesian way), the satuan (it
/// sits between them), the bidang (an enum) and the proposer (two form
/// fields, one of them or neither).
macro_rules! with_usulan_fields {
    ($then:ident) => {
        $then! {
            what {
                permasalahan: String = required_multiline(PERMASALAHAN_MAX_CHARS);
                kegiatan: String = required_text(KEGIATAN_MAX_CHARS);
                alamat: String = required_text(ALAMAT_MAX_CHARS);
            }
            more {
                opd_tujuan: Option<String> = optional_text(OPD_MAX_CHARS);
                /// A number of people; empty when unknown.
                penerima_manfaat: Option<i64> = parse_people() #[ts(type = "number | null")];
                swadaya: Option<String> = optional_text(SWADAYA_MAX_CHARS);
                /// The daftar usulan's "keterangan": a note, one or more lines.
                keterangan: Option<String> = optional_multiline(KETERANGAN_MAX_CHARS)
                    /// Left out of JSON when blank, so a record hashes as it did before the
                    /// field existed.
                    #[serde(default, skip_serializing_if = "Option::is_none")]
                    #[ts(optional = nullable)];
            }
        }
    };
}

pub(crate) use with_usulan_fields;

/// The form, the checked fields, the record, `parse` and `to_form`, from
/// [`with_usulan_fields!`]'s plain fields and the hand-written others.
macro_rules! usulan_types {
    (
        what { $(
            $(#[$what_form:meta])* $what:ident : $what_type:ty = $what_check:ident ( $($what_argument:expr),* )
            $(#[$what_record:meta])* ;
        )* }
        more { $(
            $(#[$more_form:meta])* $more:ident : $more_type:ty = $more_check:ident ( $($more_argument:expr),* )
            $(#[$more_record:meta])* ;
        )* }
    ) => {
        /// What the cadre typed in the usulan form, unparsed.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
        pub struct UsulanForm {
            $( $(#[$what_form])* pub $what: String, )*
            /// One or more RT numbers: "1, 3" or "01,03".
            pub rt_list: String,
            /// Empty means the meeting's own RW.
            pub rw: String,
            /// Decimal degrees, with a point or a comma; both or neither.
            pub latitude: String,
            pub longitude: String,
            /// "150", "2,5" or "1.500".
            pub volume: String,
            pub satuan: String,
            /// Whole Rupiah: "12500000", "12.500.000" or "Rp 12.500.000".
            pub biaya: String,
            /// `infrastruktur`, `ekonomi`, `sosial_budaya` or `pemerintahan`.
            pub bidang: String,
            $( $(#[$more_form])* pub $more: String, )*
            /// The id of a person who attended the meeting, or empty.
            pub proposer_person_id: String,
            /// A group that proposed it (PKK, Karang Taruna, ...), or empty.
            pub proposer_group: String,
        }

        /// A form that passed every check.
        #[derive(Debug, Clone, PartialEq)]
        pub struct UsulanFields {
            $( pub $what: $what_type, )*
            pub rt_list: Vec<u16>,
            pub rw: Option<u16>,
            pub coordinates: Option<(f64, f64)>,
            pub volume: f64,
            pub satuan: String,
            pub biaya: i64,
            pub bidang: Bidang,
            $( pub $more: $more_type, )*
            pub proposer: Proposer,
        }

        /// An usulan as the app shows it.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
        pub struct Usulan {
            pub id: String,
            pub meeting_id: String,
            /// Order of entry in the meeting, from 1; contiguous.
            pub position: u32,
            $( $(#[$what_record])* pub $what: $what_type, )*
            /// RT numbers, "1,3"; empty when none was given.
            pub rt_list: String,
            pub rw: Option<u16>,
            pub latitude: Option<f64>,
            pub longitude: Option<f64>,
            pub volume: f64,
            pub satuan: String,
            /// Whole Rupiah.
            #[ts(type = "number")]
            pub biaya: i64,
            pub bidang: Bidang,
            $( $(#[$more_record])* pub $more: $more_type, )*
            pub proposer_person_id: Option<String>,
            /// The proposer's name as on the daftar hadir.
            pub proposer_name: Option<String>,
            pub proposer_group: Option<String>,
            /// Show-of-hands tally, when the meeting counted one.
            pub hands: Option<u32>,
            /// Place in the consensus order, when the meeting overrode the ranking.
            pub manual_rank: Option<u32>,
            pub outcome: Option<Outcome>,
            /// The usulan of an earlier meeting this one was carried forward from.
            pub carried_from_id: Option<String>,
            /// The RW result this usulan was merged from, at a Musrenbang Kelurahan.
            /// Left out of JSON when absent, so an RW meeting's bundle keeps the
            /// bytes it had before consolidation existed.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[ts(optional = nullable)]
            pub origin: Option<UsulanOrigin>,
            pub photos: Vec<UsulanPhoto>,
            /// UTC, RFC 3339.
            pub created_at: String,
            /// UTC, RFC 3339.
            pub updated_at: String,
        }

        impl UsulanForm {
            /// Parses every field, collecting one error per refused field.
            pub fn parse(&self, context: &UsulanContext<'_>) -> Result<UsulanFields, Vec<FieldError>> {
                let mut errors = FieldErrors::default();

                $( let $what = errors.check(stringify!($what), $what_check(&self.$what, $($what_argument),*)); )*
                let rt_list = errors.check("rt_list", parse_rt_list(&self.rt_list));
                let rw = errors.check("rw", parse_usulan_rw(&self.rw, context));
                let latitude = errors.check("latitude", parse_coordinate(&self.latitude, LATITUDE_RANGE));
                let longitude = errors.check("longitude", parse_coordinate(&self.longitude, LONGITUDE_RANGE));
                let volume = errors.check("volume", parse_volume(&self.volume));
                let satuan = errors.check("satuan", required_text(&self.satuan, SATUAN_MAX_CHARS));
                let biaya = errors.check("biaya", parse_rupiah(&self.biaya));
                let bidang = errors.check("bidang", parse_bidang(&self.bidang));
                $( let $more = errors.check(stringify!($more), $more_check(&self.$more, $($more_argument),*)); )*
                let proposer_person =
                    errors.check("proposer_person_id", parse_proposer_person(&self.proposer_person_id, context));
                let proposer_group =
                    errors.check("proposer_group", optional_text(&self.proposer_group, GROUP_MAX_CHARS));

                // Coordinates are a pair: one without the other locates nothing.
                let coordinates = match (latitude, longitude) {
                    (Some(Some(latitude)), Some(Some(longitude))) => Some(Some((latitude, longitude))),
                    (Some(None), Some(None)) => Some(None),
                    (Some(None), Some(Some(_))) => errors.check("latitude", Err(FieldCode::CoordinatesIncomplete)),
                    (Some(Some(_)), Some(None)) => errors.check("longitude", Err(FieldCode::CoordinatesIncomplete)),
                    _ => None,
                };
                let proposer = match (proposer_person, proposer_group) {
                    (Some(None), Some(None)) => Some(Proposer::Nobody),
                    (Some(Some(person)), Some(None)) => Some(Proposer::Person(person)),
                    (Some(None), Some(Some(group))) => Some(Proposer::Group(group)),
                    (Some(Some(_)), Some(Some(_))) => {
                        errors.check("proposer_group", Err(FieldCode::ProposerConflict))
                    }
                    _ => None,
                };

                // Each parsed field once: `?` stops at the first one that was refused.
                let fields = (|| {
                    Some(UsulanFields {
                        $( $what: $what?, )*
                        rt_list: rt_list?,
                        rw: rw?,
                        coordinates: coordinates?,
                        volume: volume?,
                        satuan: satuan?,
                        biaya: biaya?,
                        bidang: bidang?,
                        $( $more: $more?, )*
                        proposer: proposer?,
                    })
                })();
                match fields {
                    Some(fields) if errors.0.is_empty() => Ok(fields),
                    _ => Err(errors.0),
                }
            }
        }

        impl Usulan {
            /// The form that would store this usulan unchanged; the edit screen
            /// starts from it.
            pub fn to_form(&self) -> UsulanForm {
                UsulanForm {
                    $( $what: self.$what.form_text(), )*
                    rt_list: self.rt_list.clone(),
                    rw: self.rw.form_text(),
                    latitude: self.latitude.form_text(),
                    longitude: self.longitude.form_text(),
                    // Written the Indonesian way so it reads back to the same value.
                    volume: self.volume.to_string().replace('.', ","),
                    satuan: self.satuan.clone(),
                    biaya: group_thousands(self.biaya.unsigned_abs()),
                    bidang: self.bidang.as_str().to_owned(),
                    $( $more: self.$more.form_text(), )*
                    proposer_person_id: self.proposer_person_id.form_text(),
                    proposer_group: self.proposer_group.form_text(),
                }
            }
        }
    };
}

with_usulan_fields!(usulan_types);

/// How a plain field's value is written back into the form: as typed for a
/// text, blank when absent, a number in digits.
trait FormText {
    fn form_text(&self) -> String;
}

impl FormText for String {
    fn form_text(&self) -> String {
        self.clone()
    }
}

impl<T: ToString> FormText for Option<T> {
    fn form_text(&self) -> String {
        self.as_ref().map(T::to_string).unwrap_or_default()
    }
}

impl UsulanFields {
    /// The RT numbers as stored: "1,3".
    pub fn rt_list_text(&self) -> String {
        self.rt_list.iter().map(u16::to_string).collect::<Vec<_>>().join(",")
    }
}

/// What the form is checked against: the meeting it belongs to.
pub struct UsulanContext<'a> {
    pub stage: Stage,
    pub meeting_rw: Option<u16>,
    /// Whether a person id names someone who attended the meeting.
    pub is_attendee: &'a dyn Fn(&str) -> bool,
}

/// The refused fields of a form, collected while each field is parsed.
#[derive(Default)]
struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// The parsed value, or `None` with the field's error noted.
    fn check<T>(&mut self, field: &str, result: Result<T, FieldCode>) -> Option<T> {
        result.map_err(|code| self.0.push(FieldError::new(field, code))).ok()
    }
}

fn required_multiline(raw: &str, max_chars: usize) -> Result<String, FieldCode> {
    let text = multiline_text(raw, max_chars)?;
    if text.is_empty() { Err(FieldCode::Required) } else { Ok(text) }
}

fn optional_multiline(raw: &str, max_chars: usize) -> Result<Option<String>, FieldCode> {
    let text = multiline_text(raw, max_chars)?;
    Ok((!text.is_empty()).then_some(text))
}

/// "1, 3", "01,03" or "1 3" into sorted, distinct RT numbers; empty is none.
fn parse_rt_list(raw: &str) -> Result<Vec<u16>, FieldCode> {
    let mut list = Vec::new();
    for part in raw.split([',', ';', ' ', '/']).filter(|part| !part.is_empty()) {
        let rt = part.parse::<u32>().map_err(|_| FieldCode::RtListInvalid)?;
        list.push(area_number(rt, RT_MAX, FieldCode::RtListInvalid)?);
    }
    list.sort_unstable();
    list.dedup();
    Ok(list)
}

fn parse_usulan_rw(raw: &str, context: &UsulanContext<'_>) -> Result<Option<u16>, FieldCode> {
    match optional_area_number(raw, RW_MAX, FieldCode::RwOutOfRange)? {
        Some(rw) => Ok(Some(rw)),
        None => match (context.stage, context.meeting_rw) {
            (Stage::RembugWarga, Some(rw)) => Ok(Some(rw)),
            // At a kelurahan meeting every usulan comes from some RW.
            _ => Err(FieldCode::Required),
        },
    }
}

/// A coordinate in decimal degrees; a decimal comma is accepted ("-6,8725").
fn parse_coordinate(raw: &str, (min, max): (f64, f64)) -> Result<Option<f64>, FieldCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let unsigned = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    let normalised = raw.replacen(',', ".", 1);
    let well_formed = unsigned
        .split_once(['.', ','])
        .map_or(is_digits(unsigned), |(whole, fraction)| is_digits(whole) && is_digits(fraction));
    if !well_formed || unsigned.len() > 20 {
        return Err(FieldCode::NumberInvalid);
    }
    let value: f64 = normalised.parse().map_err(|_| FieldCode::NumberInvalid)?;
    if !(min..=max).contains(&value) {
        return Err(FieldCode::CoordinatesOutsideIndonesia);
    }
    Ok(Some(value))
}

/// A non-negative decimal written the Indonesian way: a comma before the
/// decimals and dots between thousands ("1.500,5"); a lone point followed by
/// anything but a group of three digits is read as a decimal point ("2.5").
fn parse_volume(raw: &str) -> Result<f64, FieldCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldCode::Required);
    }
    if raw.starts_with('-') {
        return Err(FieldCode::VolumeNegative);
    }
    if raw.len() > 20 {
        return Err(FieldCode::VolumeInvalid);
    }
    let (whole, fraction) = match raw.split_once(',') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (raw, None),
    };
    let number = match (ungroup_thousands(whole), fraction) {
        (Some(digits), None) => digits,
        (Some(digits), Some(fraction)) if is_digits(fraction) => format!("{digits}.{fraction}"),
        (None, None) => match whole.split_once('.') {
            Some((digits, fraction)) if is_digits(digits) && is_digits(fraction) => whole.to_owned(),
            _ => return Err(FieldCode::VolumeInvalid),
        },
        _ => return Err(FieldCode::VolumeInvalid),
    };
    let volume: f64 = number.parse().map_err(|_| FieldCode::VolumeInvalid)?;
    if volume > VOLUME_MAX {
        return Err(FieldCode::VolumeTooLarge);
    }
    Ok(volume)
}

fn parse_bidang(raw: &str) -> Result<Bidang, FieldCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldCode::Required);
    }
    Bidang::parse(raw).ok_or(FieldCode::BidangUnknown)
}

/// A count of people: "120" or "1.200"; empty when unknown.
fn parse_people(raw: &str) -> Result<Option<i64>, FieldCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if raw.starts_with('-') {
        return Err(FieldCode::NumberNegative);
    }
    let digits = ungroup_thousands(raw).ok_or(FieldCode::NumberInvalid)?;
    match digits.parse::<i64>() {
        Ok(people) if people <= PENERIMA_MANFAAT_MAX => Ok(Some(people)),
        _ => Err(FieldCode::NumberTooLarge),
    }
}

fn parse_proposer_person(raw: &str, context: &UsulanContext<'_>) -> Result<Option<String>, FieldCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if (context.is_attendee)(raw) { Ok(Some(raw.to_owned())) } else { Err(FieldCode::ProposerNotAttendee) }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// One photo of an usulan, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UsulanPhoto {
    /// 1 to 10, contiguous.
    pub position: u8,
    /// The photo shown and sent: downscaled when it was large.
    pub sha256: String,
    /// The file as imported, when the cadre asked to keep it.
    pub original_sha256: Option<String>,
    /// One of the (at most [`SIPD_PHOTOS_MAX`]) photos that go to SIPD.
    /// Left out of JSON when false, so a record hashes as it did before
    /// photos could be marked.
    #[serde(default, skip_serializing_if = "is_false")]
    #[ts(as = "Option<bool>", optional)]
    pub untuk_sipd: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// How many photos of an usulan SIPD takes.
pub const SIPD_PHOTOS_MAX: usize = 3;

/// Where an usulan of a Musrenbang Kelurahan comes from: the RW usulan it is
/// a copy of, so the lists can say "dari RW 3 (peringkat 2)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UsulanOrigin {
    pub rw: u16,
    /// The RW meeting's id on the device that recorded it.
    pub source_meeting_id: String,
    pub source_usulan_id: String,
    /// The bundle the RW result was imported from; null when it was recorded
    /// on this device.
    pub bundle_sha256: Option<String>,
    /// Its place in the RW's own ranking, from 1.
    pub rank: u32,
}

/// An usulan's volume and cost as every screen and paper writes them
/// ("1.500,25", "Rp 12.500.000"): the window shows this text, it has no
/// rounding rule of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UsulanTexts {
    pub volume: String,
    pub biaya: String,
}

impl UsulanTexts {
    pub fn of(usulan: &Usulan) -> Self {
        UsulanTexts { volume: volume_text(usulan.volume), biaya: format_rupiah(usulan.biaya) }
    }

    /// Each usulan's texts by its id.
    pub fn by_id<'a>(usulan: impl IntoIterator<Item = &'a Usulan>) -> BTreeMap<String, UsulanTexts> {
        usulan.into_iter().map(|usulan| (usulan.id.clone(), UsulanTexts::of(usulan))).collect()
    }
}

/// A meeting's usulan as the Usulan tab lists them, with their texts and
/// the total cost.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct UsulanList {
    pub texts: BTreeMap<String, UsulanTexts>,
    /// "Rp 37.500.000": the sum of every usulan's biaya.
    pub biaya_total: String,
    pub usulan: Vec<Usulan>,
}

impl UsulanList {
    pub fn of(usulan: Vec<Usulan>) -> Self {
        UsulanList {
            texts: UsulanTexts::by_id(&usulan),
            biaya_total: format_rupiah(usulan.iter().map(|usulan| usulan.biaya).sum()),
            usulan,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> UsulanForm {
        UsulanForm {
            permasalahan: "Jalan gang berlubang, tergenang saat hujan".into(),
            kegiatan: "Betonisasi jalan gang".into(),
            alamat: "Gang Melati".into(),
            rt_list: "01, 03".into(),
            rw: "".into(),
            latitude: "-6,8725".into(),
            longitude: "107.5421".into(),
            volume: "120".into(),
            satuan: "meter".into(),
            biaya: "Rp 12.500.000".into(),
            bidang: "infrastruktur".into(),
            opd_tujuan: "Dinas PUPR".into(),
            penerima_manfaat: "350".into(),
            swadaya: "Tenaga kerja warga".into(),
            keterangan: "Menunggu musim kemarau".into(),
            proposer_person_id: "".into(),
            proposer_group: "".into(),
        }
    }

    fn parse(form: &UsulanForm) -> Result<UsulanFields, Vec<FieldError>> {
        let context = UsulanContext { stage: Stage::RembugWarga, meeting_rw: Some(5), is_attendee: &|id| id == "p-1" };
        form.parse(&context)
    }

    fn codes(form: &UsulanForm) -> Vec<(String, FieldCode)> {
        parse(form).unwrap_err().into_iter().map(|error| (error.field, error.code)).collect()
    }

    fn refused(form: UsulanForm, field: &str, code: FieldCode) {
        assert_eq!(codes(&form), [(field.to_owned(), code.to_owned())], "{field}: {code}");
    }

    #[test]
    fn a_good_form_parses_into_typed_fields() {
        let fields = parse(&form()).unwrap();
        assert_eq!(fields.rt_list, [1, 3]);
        assert_eq!(fields.rt_list_text(), "1,3");
        assert_eq!(fields.rw, Some(5), "the meeting's RW when none is typed");
        assert_eq!(fields.coordinates, Some((-6.8725, 107.5421)));
        assert_eq!(fields.volume, 120.0);
        assert_eq!(fields.biaya, 12_500_000);
        assert_eq!(fields.bidang, Bidang::Infrastruktur);
        assert_eq!(fields.penerima_manfaat, Some(350));
        assert_eq!(fields.proposer, Proposer::Nobody);
    }

    #[test]
    fn keterangan_is_an_optional_note_of_several_lines() {
        let fields =
            parse(&UsulanForm { keterangan: "  Menunggu kemarau\nTanah milik warga  ".into(), ..form() }).unwrap();
        assert_eq!(fields.keterangan.as_deref(), Some("Menunggu kemarau\nTanah milik warga"));
        assert_eq!(parse(&UsulanForm { keterangan: " \n ".into(), ..form() }).unwrap().keterangan, None);
        refused(
            UsulanForm { keterangan: "x".repeat(KETERANGAN_MAX_CHARS + 1), ..form() },
            "keterangan",
            FieldCode::TooLong,
        );
    }

    #[test]
    fn volumes_are_read_the_indonesian_way() {
        for (raw, volume) in [
            ("2,5", 2.5),
            ("2.5", 2.5),
            ("1.500", 1500.0),
            ("1.500,25", 1500.25),
            ("0", 0.0),
            ("0.125", 0.125),
            ("1000000", 1e6),
        ] {
            assert_eq!(parse_volume(raw), Ok(volume), "{raw:?}");
        }
        for (raw, code) in [
            ("-1", FieldCode::VolumeNegative),
            ("dua", FieldCode::VolumeInvalid),
            ("1e3", FieldCode::VolumeInvalid),
            ("2,5,1", FieldCode::VolumeInvalid),
            ("NaN", FieldCode::VolumeInvalid),
            ("inf", FieldCode::VolumeInvalid),
            ("1.000.001", FieldCode::VolumeTooLarge),
            ("", FieldCode::Required),
        ] {
            assert_eq!(parse_volume(raw), Err(code), "{raw:?}");
        }
    }

    #[test]
    fn rt_lists_are_normalised() {
        assert_eq!(parse_rt_list("3, 1, 01"), Ok(vec![1, 3]));
        assert_eq!(parse_rt_list("02;04 / 6"), Ok(vec![2, 4, 6]));
        assert_eq!(parse_rt_list(""), Ok(vec![]));
        for raw in ["0", "1000", "1,a", "1-3", "-1"] {
            assert_eq!(parse_rt_list(raw), Err(FieldCode::RtListInvalid), "{raw:?}");
        }
    }

    #[test]
    fn coordinates_must_be_a_pair_inside_indonesia() {
        refused(UsulanForm { latitude: "48.85".into(), ..form() }, "latitude", FieldCode::CoordinatesOutsideIndonesia);
        refused(UsulanForm { longitude: "2,35".into(), ..form() }, "longitude", FieldCode::CoordinatesOutsideIndonesia);
        refused(UsulanForm { longitude: "".into(), ..form() }, "longitude", FieldCode::CoordinatesIncomplete);
        refused(UsulanForm { latitude: " ".into(), ..form() }, "latitude", FieldCode::CoordinatesIncomplete);
        for raw in ["-6.8.1", "inf", "NaN", "1e1", "-", "6,"] {
            refused(UsulanForm { latitude: raw.into(), ..form() }, "latitude", FieldCode::NumberInvalid);
        }
        let none = parse(&UsulanForm { latitude: "".into(), longitude: "".into(), ..form() }).unwrap();
        assert_eq!(none.coordinates, None);
        let edge = parse(&UsulanForm { latitude: "+6.5".into(), longitude: "141,5".into(), ..form() }).unwrap();
        assert_eq!(edge.coordinates, Some((6.5, 141.5)));
    }

    #[test]
    fn each_refused_field_gets_its_code() {
        refused(UsulanForm { rw: "0".into(), ..form() }, "rw", FieldCode::RwOutOfRange);
        refused(UsulanForm { rt_list: "0".into(), ..form() }, "rt_list", FieldCode::RtListInvalid);
        refused(UsulanForm { biaya: "-1".into(), ..form() }, "biaya", FieldCode::AmountNegative);
        refused(UsulanForm { biaya: "12.500.000,50".into(), ..form() }, "biaya", FieldCode::AmountNotWhole);
        refused(UsulanForm { biaya: "Rp 100.000.000.001".into(), ..form() }, "biaya", FieldCode::AmountTooLarge);
        refused(UsulanForm { bidang: "kesehatan".into(), ..form() }, "bidang", FieldCode::BidangUnknown);
        refused(UsulanForm { satuan: "".into(), ..form() }, "satuan", FieldCode::Required);
        refused(UsulanForm { satuan: "x".repeat(SATUAN_MAX_CHARS + 1), ..form() }, "satuan", FieldCode::TooLong);
        refused(
            UsulanForm { permasalahan: "x".repeat(PERMASALAHAN_MAX_CHARS + 1), ..form() },
            "permasalahan",
            FieldCode::TooLong,
        );
        refused(UsulanForm { penerima_manfaat: "-5".into(), ..form() }, "penerima_manfaat", FieldCode::NumberNegative);
        refused(
            UsulanForm { penerima_manfaat: "banyak".into(), ..form() },
            "penerima_manfaat",
            FieldCode::NumberInvalid,
        );
        refused(
            UsulanForm { proposer_person_id: "p-2".into(), ..form() },
            "proposer_person_id",
            FieldCode::ProposerNotAttendee,
        );
        refused(
            UsulanForm { proposer_person_id: "p-1".into(), proposer_group: "PKK".into(), ..form() },
            "proposer_group",
            FieldCode::ProposerConflict,
        );
    }

    #[test]
    fn a_kelurahan_meeting_needs_the_rw_of_each_usulan() {
        let context = UsulanContext { stage: Stage::MusrenbangKelurahan, meeting_rw: None, is_attendee: &|_| false };
        let errors = form().parse(&context).unwrap_err();
        assert_eq!(errors, [FieldError::new("rw", FieldCode::Required)]);
        let fields = UsulanForm { rw: "07".into(), ..form() }.parse(&context).unwrap();
        assert_eq!(fields.rw, Some(7));
    }

    #[test]
    fn proposers_are_an_attendee_or_a_group() {
        let person = parse(&UsulanForm { proposer_person_id: "p-1".into(), ..form() }).unwrap();
        assert_eq!(person.proposer, Proposer::Person("p-1".into()));
        let group = parse(&UsulanForm { proposer_group: "Karang Taruna".into(), ..form() }).unwrap();
        assert_eq!(group.proposer, Proposer::Group("Karang Taruna".into()));
    }
}
