//! What the office keeps, behind a trait with two stores: the embedded
//! SQLite one (`sqlite.rs`, the default) and PostgreSQL (`postgres/`, for
//! several servers in front of one database): the handlers see these plain
//! types only. Each method is one explicit transaction; every uniqueness (a nonce
//! per device, a bundle per SHA-256, a meeting revision, a replaced bundle, a
//! used code) rests on a constraint of the store, and a method reports the
//! constraint it met as an outcome, never by checking before inserting.

mod figures;
pub mod postgres;
pub mod sqlite;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::Arc;

use rembug_core::wilayah::Kelurahan;
use serde::Serialize;

pub use self::figures::{Figures, UsulanFigures};
pub use self::postgres::PostgresStore;
pub use self::sqlite::SqliteStore;

/// Where the office's index is: SQLite in the data folder (the default), or
/// a PostgreSQL database (`--database postgres://…`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Database {
    #[default]
    Sqlite,
    Postgres(String),
}

impl Database {
    /// `postgres://…` or `postgresql://…`; anything else is refused.
    pub fn parse(text: &str) -> Result<Database, String> {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Ok(Database::Postgres(text.to_owned()))
        } else {
            Err(format!("'{text}' bukan alamat basis data seperti postgres://pengguna@host:5432/nama"))
        }
    }

    /// Opens (creating and migrating) the index: SQLite in `dir`, or the
    /// PostgreSQL database.
    pub fn open(&self, dir: &Path) -> StoreResult<Arc<dyn OfficeStore>> {
        Ok(match self {
            Database::Sqlite => Arc::new(SqliteStore::open(dir)?),
            Database::Postgres(url) => Arc::new(PostgresStore::open(url)?),
        })
    }

    /// Several servers may share this index (and their data folder).
    pub fn is_shared(&self) -> bool {
        matches!(self, Database::Postgres(_))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("database: {0}")]
    Postgres(#[from] ::postgres::Error),
    /// Sending rows to the database (PostgreSQL's COPY) failed.
    #[error("database: {0}")]
    Sending(#[from] std::io::Error),
    #[error("database: the value of {0} is out of range")]
    OutOfRange(String),
    #[error("the database's schema {found} is newer than this server's {supported}")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("the office is not initialised (run `rembug-office init`)")]
    NotInitialised,
}

pub type StoreResult<T> = std::result::Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeInfo {
    pub name: String,
    pub city: String,
}

/// A device as the office knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub device_id: String,
    pub public_key: String,
    pub fingerprint: String,
    pub kelurahan_code: String,
    pub rw: Option<u16>,
    pub enrolled_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCode {
    pub code: String,
    pub kelurahan_code: String,
    pub rw: Option<u16>,
    pub created_at: String,
    pub expires_at: String,
}

/// What became of an enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrollOutcome {
    /// Enrolled now, or again by the same device with the same code.
    Enrolled(Device),
    Invalid,
    Expired,
    Used,
    Revoked,
}

/// The devices of one kelurahan and the roster's serial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterData {
    pub serial: u64,
    pub devices: Vec<Device>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub upload_id: String,
    pub device_id: String,
    pub sha256: String,
    pub size: u64,
    pub received: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateUploadOutcome {
    Created(Upload),
    /// This device already has an upload of this SHA-256.
    Existing(Upload),
    TooMany,
}

/// What the office knows of a bundle from its manifest, its upload and its
/// receipt: recorded as a `NewBundle`, read back in each `Bundle`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleFacts {
    pub bundle_id: String,
    pub sha256: String,
    pub size: u64,
    #[serde(rename = "device")]
    pub device_id: String,
    pub kelurahan_code: String,
    pub rw: Option<u16>,
    pub stage: String,
    pub planning_year: i32,
    pub meeting_id: String,
    pub revision: u32,
    pub content_hash: String,
    pub received_at: String,
    #[serde(skip)]
    pub receipt_body: String,
    #[serde(skip)]
    pub receipt_signature: String,
}

/// A verified bundle to record, with its receipt and its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBundle {
    pub facts: BundleFacts,
    /// The SHA-256 of the bundle this correction replaces.
    pub replaces: Option<String>,
    /// What the pages read of it, recorded in the same transaction.
    pub figures: Figures,
}

/// A synthetic planning year to load at once (`rembug-office synth-year`):
/// devices, each kelurahan's RW count, and bundles with their figures, no
/// files. For measuring the pages at national size only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyntheticLoad {
    pub devices: Vec<Device>,
    pub rw_counts: Vec<(String, u16)>,
    pub bundles: Vec<NewBundle>,
}

/// The bundle table's columns as both stores insert a bundle.
const BUNDLE_INSERT: &str = "bundle (sha256, bundle_id, size, device_id, kelurahan_code, rw, stage, planning_year, \
     meeting_id, revision, content_hash, replaces, received_at, receipt_body, receipt_signature)";

/// A bundle's row as both stores read it (over `b`, the replaced bundle
/// `r`), but its receipt.
macro_rules! bundle_fields {
    () => {
        "b.sha256, b.bundle_id, b.size, b.device_id, b.kelurahan_code, b.rw, b.stage, b.planning_year, \
         b.meeting_id, b.revision, b.content_hash, b.replaces AS replaces_sha256, r.bundle_id AS replaces_bundle_id, \
         b.received_at, b.review_state"
    };
}

/// A bundle's row with its receipt.
const BUNDLE_COLUMNS: &str = concat!(bundle_fields!(), ", b.receipt_body, b.receipt_signature");

/// A bundle's row with its receipt left empty: what lists read
/// ([`OfficeStore::bundles_where`]), which never show it.
const BUNDLE_LIST_COLUMNS: &str = concat!(bundle_fields!(), ", '' AS receipt_body, '' AS receipt_signature");

/// A bundle the office holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bundle {
    #[serde(flatten)]
    pub facts: BundleFacts,
    /// The bundle id of the revision this one replaces.
    pub replaces: Option<String>,
    pub review_state: String,
    #[serde(skip)]
    pub replaces_sha256: Option<String>,
}

// A new bundle and a held one are read as their facts (`bundle.sha256`).
impl std::ops::Deref for NewBundle {
    type Target = BundleFacts;

    fn deref(&self) -> &BundleFacts {
        &self.facts
    }
}

impl std::ops::Deref for Bundle {
    type Target = BundleFacts;

    fn deref(&self) -> &BundleFacts {
        &self.facts
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOutcome {
    Recorded(Bundle),
    /// The office holds this SHA-256 already: its first record.
    Duplicate(Bundle),
    /// Another bundle holds this meeting revision, or already replaced the
    /// same revision.
    RevisionConflict,
}

/// A verified signed-pages bundle to record, with its receipt: the photos
/// of the signed papers of a revision the office holds
/// (`docs/bundle-format.md`, section 10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignedPages {
    pub sha256: String,
    pub bundle_id: String,
    pub size: u64,
    pub device_id: String,
    /// The SHA-256 of the revision's bundle.
    pub revision_sha256: String,
    pub page_count: u32,
    pub received_at: String,
    pub receipt_body: String,
    pub receipt_signature: String,
}

/// A signed-pages bundle the office holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPagesBundle {
    pub sha256: String,
    pub bundle_id: String,
    pub size: u64,
    pub device: String,
    pub revision_sha256: String,
    pub page_count: u32,
    pub received_at: String,
    pub receipt_body: String,
    pub receipt_signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedPagesOutcome {
    Recorded(SignedPagesBundle),
    /// The office holds this SHA-256 already: its first record.
    Duplicate(SignedPagesBundle),
}

/// A staff account of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    /// Limited to this kecamatan (`32.77.01`), or the whole city.
    pub kecamatan_code: Option<String>,
}

/// What a staff account may do: admin (accounts, devices, phone numbers),
/// staf (review, the daftar hadir without phone numbers), pimpinan (read
/// the public record only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Staf,
    Pimpinan,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staf => "staf",
            Role::Pimpinan => "pimpinan",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [Role::Admin, Role::Staf, Role::Pimpinan].into_iter().find(|role| role.as_str() == text)
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub staff_name: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// The office's women's target (percent) and delegate range, sent in every
/// device's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageSettings {
    pub women_target_percent: u8,
    pub delegates: rembug_core::trust::DelegateRange,
}

/// A bundle's review: `baru` (diterima), `perlu_perbaikan`, `disetujui` or
/// `ditolak`, with the note or reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub state: String,
    pub note: Option<String>,
}

/// An usulan's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsulanOutcome {
    pub usulan_id: String,
    /// `diakomodir`, `tidak_diakomodir` or `dialihkan`.
    pub outcome: String,
    /// The program or OPD, the reason, or the other channel.
    pub detail: String,
    pub staff_name: String,
    pub at: String,
}

/// Which bundles [`OfficeStore::bundles_where`] and
/// [`OfficeStore::figures_where`] answer; each condition set narrows the
/// selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BundleFilter {
    /// The device that delivered them.
    pub device_id: Option<String>,
    pub planning_year: Option<i32>,
    /// Kelurahan of this kota/kabupaten (`32.77`) or kecamatan (`32.77.01`),
    /// or this kelurahan (`32.77.01.1001`).
    pub wilayah: Option<String>,
    /// `rembug_warga` or `musrenbang_kelurahan`.
    pub stage: Option<String>,
}

impl BundleFilter {
    /// The conditions as SQL over `b` (the bundle table), with numbered
    /// parameters written by `parameter` (`?1` or `$1`), and their values in
    /// order. A kota's or kecamatan's codes are compared as a range of codes
    /// so the index on (planning_year, kelurahan_code) serves it.
    fn conditions(&self, parameter: impl Fn(usize) -> String) -> (String, Vec<FilterValue>) {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        if let Some(device_id) = &self.device_id {
            values.push(FilterValue::Text(device_id.clone()));
            conditions.push(format!("b.device_id = {}", parameter(values.len())));
        }
        if let Some(year) = self.planning_year {
            values.push(FilterValue::Integer(year));
            conditions.push(format!("b.planning_year = {}", parameter(values.len())));
        }
        match &self.wilayah {
            // A kelurahan code has four parts: 32.77.01.1001.
            Some(kelurahan) if kelurahan.matches('.').count() == 3 => {
                values.push(FilterValue::Text(kelurahan.clone()));
                conditions.push(format!("b.kelurahan_code = {}", parameter(values.len())));
            }
            Some(area) => {
                // Every kelurahan code of 32.77 lies between "32.77." and "32.77/".
                values.push(FilterValue::Text(format!("{area}.")));
                values.push(FilterValue::Text(format!("{area}/")));
                conditions.push(format!(
                    "b.kelurahan_code >= {} AND b.kelurahan_code < {}",
                    parameter(values.len() - 1),
                    parameter(values.len())
                ));
            }
            None => {}
        }
        if let Some(stage) = &self.stage {
            values.push(FilterValue::Text(stage.clone()));
            conditions.push(format!("b.stage = {}", parameter(values.len())));
        }
        let sql = if conditions.is_empty() { "TRUE".to_owned() } else { conditions.join(" AND ") };
        (sql, values)
    }
}

/// The SHA-256s of every revision of the meeting of the bundle named by
/// `parameter` (`?1` or `$1`): back through what each replaces, forward
/// through what replaces it, each step one index lookup.
fn revision_chain_sql(parameter: &str) -> String {
    format!(
        "WITH RECURSIVE back (sha256) AS (
             SELECT CAST({parameter} AS TEXT)
             UNION SELECT b.replaces FROM bundle b JOIN back ON b.sha256 = back.sha256 WHERE b.replaces IS NOT NULL
         ), forth (sha256) AS (
             SELECT CAST({parameter} AS TEXT)
             UNION SELECT b.sha256 FROM bundle b JOIN forth ON b.replaces = forth.sha256
         )
         SELECT sha256 FROM back UNION SELECT sha256 FROM forth"
    )
}

/// `usulan_review`'s columns as both stores read an outcome (over `o`).
const OUTCOME_COLUMNS: &str = "o.bundle_sha256, o.usulan_id, o.outcome, o.detail, o.staff_name, o.at";

/// The bundles no other bundle replaces (the latest revision of each
/// meeting), as SQL over `b`: served by the unique index on `replaces`.
const LATEST_REVISION: &str = "NOT EXISTS (SELECT 1 FROM bundle n WHERE n.replaces = b.sha256)";

/// The same test over `bundle_figures` or `bundle_usulan` as `b`: a hashed
/// list of the replaced bundles, so the sums stay index-only scans.
const LATEST_FIGURES: &str = "b.bundle_sha256 NOT IN (SELECT n.replaces FROM bundle n WHERE n.replaces IS NOT NULL)";

/// Which meetings [`OfficeStore::figure_sums`] sums (the latest revision of
/// each); each condition set narrows the selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SumFilter {
    pub planning_year: Option<i32>,
    /// A kota's, kecamatan's or kelurahan's code, as [`BundleFilter::wilayah`].
    pub wilayah: Option<String>,
    pub stage: Option<String>,
    /// Only meetings with an usulan of this bidang (and of `usulan_opd`).
    pub usulan_bidang: Option<String>,
    /// Only meetings with an usulan of this OPD tujuan (empty: none named).
    pub usulan_opd: Option<String>,
}

/// Attendance summed over meetings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participation {
    pub meetings: u32,
    pub attendees: u32,
    pub women: u32,
    pub youth: u32,
    pub disability: u32,
    /// Meetings whose women's share met the target in force when locked.
    pub target_met: u32,
    /// The highest of those targets, in percent.
    pub target_percent: u8,
}

/// The meetings of one planning year and kelurahan, as their records name
/// it and its kecamatan, summed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceSums {
    pub planning_year: i32,
    pub kecamatan_code: String,
    pub kecamatan_name: String,
    pub kelurahan_code: String,
    pub kelurahan_name: String,
    pub participation: Participation,
    pub usulan: u32,
    /// Whole Rupiah.
    pub biaya: i64,
}

/// The usulan of one planning year and one bidang or OPD tujuan (empty:
/// none named): how many, and their estimated cost in whole Rupiah.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsulanSums {
    pub planning_year: i32,
    pub key: String,
    pub usulan: u32,
    pub biaya: i64,
}

/// What [`OfficeStore::figure_sums`] answers, in no particular order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureSums {
    pub places: Vec<PlaceSums>,
    pub by_bidang: Vec<UsulanSums>,
    pub by_opd: Vec<UsulanSums>,
}

/// The summed columns of [`SumFilter::queries`]' first query, in the order
/// [`place_sums`] takes them.
const PLACE_SUMS: [&str; 9] =
    ["meetings", "attendees", "women", "youth", "disability", "target_met", "target_percent", "usulan", "biaya"];

impl SumFilter {
    /// The three queries of [`OfficeStore::figure_sums`] (per year and
    /// kelurahan over `bundle_figures`, per year and bidang and per year and
    /// OPD over `bundle_usulan`, each as `b`), with numbered parameters
    /// written by `parameter`, and their values (the same for the three).
    /// Every column they read is in the covering indexes of the two tables.
    fn queries(&self, parameter: impl Fn(usize) -> String) -> ([String; 3], Vec<FilterValue>) {
        let selection = BundleFilter {
            planning_year: self.planning_year,
            wilayah: self.wilayah.clone(),
            stage: self.stage.clone(),
            ..BundleFilter::default()
        };
        let (mut conditions, mut values) = selection.conditions(&parameter);
        conditions.push_str(&format!(" AND {LATEST_FIGURES}"));
        let mut usulan = Vec::new();
        for (column, value) in [("bidang", &self.usulan_bidang), ("opd_tujuan", &self.usulan_opd)] {
            if let Some(value) = value {
                values.push(FilterValue::Text(value.clone()));
                usulan.push(format!("m.{column} = {}", parameter(values.len())));
            }
        }
        if !usulan.is_empty() {
            conditions.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM bundle_usulan m WHERE m.bundle_sha256 = b.bundle_sha256 AND {})",
                usulan.join(" AND ")
            ));
        }
        let places = format!(
            "SELECT b.planning_year, b.kecamatan_code, b.kecamatan_name, b.kelurahan_code, b.kelurahan_name, \
             COUNT(*) AS meetings, CAST(SUM(b.attendees) AS BIGINT) AS attendees, \
             CAST(SUM(b.women) AS BIGINT) AS women, CAST(SUM(b.youth) AS BIGINT) AS youth, \
             CAST(SUM(b.disability) AS BIGINT) AS disability, \
             CAST(SUM(CASE WHEN b.women_target_met THEN 1 ELSE 0 END) AS BIGINT) AS target_met, \
             CAST(MAX(b.women_target_percent) AS BIGINT) AS target_percent, \
             CAST(SUM(b.usulan) AS BIGINT) AS usulan, CAST(SUM(b.biaya) AS BIGINT) AS biaya \
             FROM bundle_figures b WHERE {conditions} \
             GROUP BY b.planning_year, b.kecamatan_code, b.kecamatan_name, b.kelurahan_code, b.kelurahan_name"
        );
        let usulan_by = |column: &str| {
            format!(
                "SELECT b.planning_year, b.{column} AS key, COUNT(*) AS usulan, CAST(SUM(b.biaya) AS BIGINT) AS biaya \
                 FROM bundle_usulan b WHERE {conditions} GROUP BY b.planning_year, b.{column}"
            )
        };
        ([places, usulan_by("bidang"), usulan_by("opd_tujuan")], values)
    }
}

fn sum_u32(value: i64, column: &str) -> StoreResult<u32> {
    u32::try_from(value).map_err(|_| StoreError::OutOfRange(column.to_owned()))
}

/// A row of the places query as both stores read it: the year, the four
/// codes and names (kecamatan code and name, kelurahan code and name), and
/// the sums in [`PLACE_SUMS`]' order.
fn place_sums(planning_year: i32, names: [String; 4], sums: [i64; 9]) -> StoreResult<PlaceSums> {
    let [kecamatan_code, kecamatan_name, kelurahan_code, kelurahan_name] = names;
    let [meetings, attendees, women, youth, disability, target_met, target_percent, usulan, biaya] = sums;
    Ok(PlaceSums {
        planning_year,
        kecamatan_code,
        kecamatan_name,
        kelurahan_code,
        kelurahan_name,
        participation: Participation {
            meetings: sum_u32(meetings, "meetings")?,
            attendees: sum_u32(attendees, "attendees")?,
            women: sum_u32(women, "women")?,
            youth: sum_u32(youth, "youth")?,
            disability: sum_u32(disability, "disability")?,
            target_met: sum_u32(target_met, "target_met")?,
            target_percent: u8::try_from(target_percent)
                .map_err(|_| StoreError::OutOfRange("target_percent".into()))?,
        },
        usulan: sum_u32(usulan, "usulan")?,
        biaya,
    })
}

/// A row of a bidang or OPD query as both stores read it.
fn usulan_sums(planning_year: i32, key: String, usulan: i64, biaya: i64) -> StoreResult<UsulanSums> {
    Ok(UsulanSums { planning_year, key, usulan: sum_u32(usulan, "usulan")?, biaya })
}

/// A value bound to a [`BundleFilter`] condition.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FilterValue {
    Text(String),
    Integer(i32),
}

/// The office's index. Implementations are blocking; the server calls them
/// off its async workers.
pub trait OfficeStore: Send + Sync + 'static {
    /// Writes the office's name and first admin; fails if done already.
    fn initialise(&self, office: &OfficeInfo, admin: &str, password_hash: &str, now: &str) -> StoreResult<()>;
    fn office(&self) -> StoreResult<OfficeInfo>;

    fn create_code(&self, code: &NewCode) -> StoreResult<()>;
    /// Uses `code` for `device` (kelurahan and RW from the code), at `now`
    /// (RFC 3339, compared with the code's expiry).
    fn enroll(
        &self,
        code: &str,
        device_id: &str,
        public_key: &str,
        fingerprint: &str,
        now: &str,
    ) -> StoreResult<EnrollOutcome>;
    fn device(&self, device_id: &str) -> StoreResult<Option<Device>>;
    fn devices(&self) -> StoreResult<Vec<Device>>;
    /// Revokes the device with this id or fingerprint; `None` if there is none.
    fn revoke(&self, id_or_fingerprint: &str, now: &str) -> StoreResult<Option<Device>>;
    fn roster(&self, kelurahan_code: &str) -> StoreResult<RosterData>;

    /// Records a wrong code from `address` at `now` (Unix seconds) and
    /// answers how many it sent since `since`.
    fn record_wrong_code(&self, address: &str, now: i64, since: i64) -> StoreResult<u32>;
    fn wrong_codes_since(&self, address: &str, since: i64) -> StoreResult<u32>;
    /// Remembers a request's nonce; `false` if this device used it already.
    fn use_nonce(&self, device_id: &str, nonce: &str, now: i64) -> StoreResult<bool>;

    fn create_upload(&self, upload: &Upload, max_per_device: u32, now: i64) -> StoreResult<CreateUploadOutcome>;
    fn upload(&self, upload_id: &str) -> StoreResult<Option<Upload>>;
    fn set_received(&self, upload_id: &str, received: u64, now: i64) -> StoreResult<()>;
    fn delete_upload(&self, upload_id: &str) -> StoreResult<()>;
    fn uploads(&self) -> StoreResult<Vec<Upload>>;
    /// Removes uploads untouched since `before` and answers their ids.
    fn remove_stale_uploads(&self, before: i64) -> StoreResult<Vec<String>>;
    /// Forgets nonces and wrong codes older than `before`.
    fn prune(&self, before: i64) -> StoreResult<()>;

    fn bundle(&self, sha256: &str) -> StoreResult<Option<Bundle>>;
    /// The bundle of this meeting id whose meeting.json hashes to `content_hash`.
    fn bundle_of_revision(&self, meeting_id: &str, content_hash: &str) -> StoreResult<Option<Bundle>>;
    /// Records a bundle and removes `upload_id`, in one transaction.
    fn record_bundle(&self, bundle: &NewBundle, upload_id: &str) -> StoreResult<RecordOutcome>;
    /// In the order they were received.
    fn bundles(&self) -> StoreResult<Vec<Bundle>>;
    /// The bundles `filter` selects, in the order they were received, found
    /// through indexes rather than by reading them all (a province's office
    /// holds hundreds of thousands), without their receipts
    /// (`receipt_body` and `receipt_signature` empty: [`OfficeStore::bundle`]
    /// reads one's).
    fn bundles_where(&self, filter: &BundleFilter) -> StoreResult<Vec<Bundle>>;
    /// Whether the office holds this SHA-256, as a bundle or as a
    /// signed-pages bundle.
    fn bundle_exists(&self, sha256: &str) -> StoreResult<bool>;
    /// The latest revision of each meeting `filter` selects, with its
    /// figures, in the order they were received (without their receipts,
    /// as [`OfficeStore::bundles_where`]): what the exports and the list
    /// behind a summary's figure read, from the index alone.
    fn figures_where(&self, filter: &BundleFilter) -> StoreResult<Vec<(Bundle, Figures)>>;
    /// The figures of the latest revision of each meeting `filter` selects,
    /// summed by the database per planning year and kelurahan, and their
    /// usulan per year and bidang and per year and OPD tujuan: what the
    /// summary and the recap show, a few hundred rows for a kota, from the
    /// covering indexes of `bundle_figures` and `bundle_usulan`.
    fn figure_sums(&self, filter: &SumFilter) -> StoreResult<FigureSums>;
    /// Every revision of `sha256`'s meeting the office holds, first to last
    /// (itself alone when it neither replaces nor is replaced).
    fn revision_chain(&self, sha256: &str) -> StoreResult<Vec<Bundle>>;
    /// The newest planning year of any bundle held.
    fn latest_planning_year(&self) -> StoreResult<Option<i32>>;
    /// Bundles recorded before their figures were kept (SHA-256s).
    fn bundles_without_figures(&self) -> StoreResult<Vec<String>>;
    /// Keeps the figures of a bundle recorded without them (the backfill);
    /// figures already held are left as they are.
    fn record_figures(&self, sha256: &str, figures: &Figures) -> StoreResult<()>;
    /// Loads a synthetic year's batch in one transaction: devices and RW
    /// counts already held are kept, the bundles (which must be new) are
    /// inserted with their figures as they are, on PostgreSQL through COPY.
    /// Never a path for delivered bundles, which are verified and recorded
    /// one by one with [`OfficeStore::record_bundle`].
    fn load_synthetic(&self, load: &SyntheticLoad) -> StoreResult<()>;
    fn signed_pages(&self, sha256: &str) -> StoreResult<Option<SignedPagesBundle>>;
    /// Records a signed-pages bundle once and removes `upload_id`, in one
    /// transaction.
    fn record_signed_pages(&self, pages: &NewSignedPages, upload_id: &str) -> StoreResult<SignedPagesOutcome>;
    /// The signed-pages bundles of the revision whose bundle is `revision_sha256`, in the order received.
    fn signed_pages_of(&self, revision_sha256: &str) -> StoreResult<Vec<SignedPagesBundle>>;

    fn staff(&self, name: &str) -> StoreResult<Option<Staff>>;
    fn staff_list(&self) -> StoreResult<Vec<Staff>>;
    /// Creates an account and logs it; `false` if the name is taken.
    fn create_staff(&self, staff: &Staff, by: &str, now: &str) -> StoreResult<bool>;
    fn set_password_hash(&self, name: &str, password_hash: &str) -> StoreResult<()>;
    /// A staff member's own new password: sets its hash, ends every other
    /// session of the account (all but `keep_session`, its id's SHA-256)
    /// and logs it, in one transaction.
    fn change_password(
        &self,
        name: &str,
        password_hash: &str,
        keep_session: &str,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Opens a session (its id's SHA-256) and logs the login.
    fn create_session(
        &self,
        id_sha256: &str,
        staff: &str,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<()>;
    /// The session's account and CSRF token, if it has not expired at `now`.
    fn session(&self, id_sha256: &str, now: i64) -> StoreResult<Option<(Staff, String)>>;
    fn delete_session(&self, id_sha256: &str) -> StoreResult<()>;
    /// Records a failed login at `now` (Unix seconds).
    fn record_login_failure(&self, account: &str, address: &str, now: i64) -> StoreResult<()>;
    /// Failed logins since `since`: for this account, and from this address.
    fn login_failures_since(&self, account: &str, address: &str, since: i64) -> StoreResult<(u32, u32)>;

    fn audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// The newest `limit` entries, newest first.
    fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditEntry>>;

    /// The kelurahan/desa the office knows, by code.
    fn wilayah(&self) -> StoreResult<Vec<Kelurahan>>;
    /// Adds or renames these kelurahan, all in one transaction.
    fn import_wilayah(&self, kelurahan: &[Kelurahan]) -> StoreResult<()>;

    /// The RW counts of the kelurahan in `wilayah` (a kota's, a kecamatan's
    /// or one kelurahan's code), or of all; by index, as
    /// [`BundleFilter::wilayah`] selects bundles.
    fn rw_counts(&self, wilayah: Option<&str>) -> StoreResult<Vec<(String, u16)>>;
    fn set_rw_count(&self, kelurahan_code: &str, rw_count: u16, audit: &AuditEntry) -> StoreResult<()>;

    /// The office's OPD list, in the order the admin typed it; empty when
    /// the office keeps none (its answers then carry none).
    fn opd_list(&self) -> StoreResult<Vec<String>>;
    /// Replaces the whole OPD list (names the dashboard checked) and logs it.
    fn replace_opd_list(&self, names: &[String], audit: &AuditEntry) -> StoreResult<()>;
    /// The women's target and delegate range an admin set, if any.
    fn stage_settings(&self) -> StoreResult<Option<StageSettings>>;
    /// Sets them (values the dashboard checked) and logs it.
    fn set_stage_settings(&self, settings: &StageSettings, audit: &AuditEntry) -> StoreResult<()>;
    fn review(&self, sha256: &str) -> StoreResult<Option<Review>>;
    /// Sets a bundle's review state and logs it in the same transaction.
    fn set_review(&self, sha256: &str, review: &Review, audit: &AuditEntry) -> StoreResult<()>;
    fn usulan_outcomes(&self, sha256: &str) -> StoreResult<Vec<UsulanOutcome>>;
    /// Sets (or replaces) an usulan's outcome and logs it.
    fn set_usulan_outcome(&self, sha256: &str, outcome: &UsulanOutcome, audit: &AuditEntry) -> StoreResult<()>;
    /// The usulan outcomes of the bundles [`OfficeStore::figures_where`]
    /// answers for `filter`, each with its bundle's SHA-256, in one query.
    fn usulan_outcomes_where(&self, filter: &BundleFilter) -> StoreResult<Vec<(String, UsulanOutcome)>>;
}
