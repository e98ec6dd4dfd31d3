//! The embedded store: one SQLite file in the data folder (WAL,
//! `synchronous=FULL`, foreign keys on), its schema in `migrations/`, applied
//! in order and tracked by `user_version`; a newer schema than this server
//! knows is refused. One connection behind a mutex, so the office has one
//! writer at a time, with **group commit**: each write runs in its own
//! savepoint of an immediate transaction, and while other writes wait for
//! the connection the transaction stays open for them; the last of them (or
//! the [`MAX_BATCH`]th) commits the whole batch with one flush to disk. A
//! write returns once its batch is committed, so what a caller is told is
//! durable; a write that fails is rolled back to its savepoint alone. A read
//! that saw a batch not yet committed waits for that batch too.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use rembug_core::trust::DelegateRange;
use rembug_core::wilayah::Kelurahan;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior, ffi, params};

use super::figures::{FIGURES_COLUMNS, FIGURES_INSERT, USULAN_COLUMNS, USULAN_INSERT, with_usulan};
use super::{
    AuditEntry, BUNDLE_COLUMNS, BUNDLE_INSERT, BUNDLE_LIST_COLUMNS, Bundle, BundleFacts, BundleFilter,
    CreateUploadOutcome, Device, EnrollOutcome, FigureSums, Figures, FilterValue, LATEST_REVISION, NewBundle, NewCode,
    NewSignedPages, OUTCOME_COLUMNS, OfficeInfo, OfficeStore, PLACE_SUMS, RecordOutcome, Review, Role, RosterData,
    SignedPagesBundle, SignedPagesOutcome, Staff, StageSettings, StoreError, StoreResult, SumFilter, SyntheticLoad,
    Upload, UsulanFigures, UsulanOutcome, UsulanSums, place_sums, revision_chain_sql, usulan_sums,
};

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_office.sql"),
    include_str!("../migrations/0002_dashboard.sql"),
    include_str!("../migrations/0003_wilayah_and_indexes.sql"),
    include_str!("../migrations/0004_figures.sql"),
    include_str!("../migrations/0005_signed_pages.sql"),
    include_str!("../migrations/0006_figure_sums.sql"),
    include_str!("../migrations/0007_opd.sql"),
];
pub const DATABASE_FILE: &str = "office.sqlite3";
/// The most writes one commit holds, so a steady stream of writes still
/// commits (and answers) regularly.
const MAX_BATCH: usize = 64;
/// How many failed batches are remembered for the writes waiting on them.
const FAILURES_KEPT: usize = 64;

pub struct SqliteStore {
    writer: Mutex<Writer>,
    /// Writes waiting for the connection: while any wait, the batch stays open.
    queued: AtomicUsize,
    batches: Mutex<Batches>,
    batch_ended: Condvar,
}

struct Writer {
    connection: Connection,
    /// The open transaction's batch and how many writes it holds.
    open: Option<(u64, usize)>,
    next_batch: u64,
}

/// Batches are numbered from 1 and end in order.
#[derive(Default)]
struct Batches {
    /// Every batch up to this one has ended, committed or failed.
    ended: u64,
    /// The last batches whose commit failed, with SQLite's error.
    failed: VecDeque<(u64, String)>,
}

impl SqliteStore {
    /// Opens (creating and migrating) the index in `dir`.
    pub fn open(dir: &Path) -> StoreResult<SqliteStore> {
        let mut connection = Connection::open(dir.join(DATABASE_FILE))?;
        connection.busy_timeout(Duration::from_secs(10))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", true)?;
        migrate(&mut connection)?;
        Ok(SqliteStore {
            writer: Mutex::new(Writer { connection, open: None, next_batch: 1 }),
            queued: AtomicUsize::new(0),
            batches: Mutex::new(Batches::default()),
            batch_ended: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Writer> {
        self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` in the open batch (beginning one if none is open) and
    /// returns once the batch is committed.
    fn write<T>(&self, work: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        self.queued.fetch_add(1, Ordering::SeqCst);
        let mut writer = self.lock();
        self.queued.fetch_sub(1, Ordering::SeqCst);
        let batch = match writer.open {
            Some((batch, _)) => batch,
            None => {
                writer.connection.execute_batch("BEGIN IMMEDIATE")?;
                let batch = writer.next_batch;
                writer.next_batch += 1;
                writer.open = Some((batch, 0));
                batch
            }
        };
        // Dropped without a release, a savepoint rolls back; a panic in
        // `work` still ends the batch for the writes in it.
        let outcome = match writer.connection.savepoint() {
            Ok(savepoint) => match catch_unwind(AssertUnwindSafe(|| work(&savepoint))) {
                Ok(Ok(value)) => Ok(savepoint.commit().map(|()| value).map_err(StoreError::from)),
                Ok(Err(error)) => Ok(Err(error)),
                Err(panic) => Err(panic),
            },
            Err(error) => Ok(Err(error.into())),
        };
        self.end_batch_unless_awaited(&mut writer);
        drop(writer);
        let value = outcome.unwrap_or_else(|panic| resume_unwind(panic));
        let value = value?;
        self.wait_for(batch)?;
        Ok(value)
    }

    /// Commits the open batch unless another write waits to join it (and
    /// it has room).
    fn end_batch_unless_awaited(&self, writer: &mut Writer) {
        let Some((batch, writes)) = writer.open.as_mut() else { return };
        *writes += 1;
        if *writes < MAX_BATCH && self.queued.load(Ordering::SeqCst) > 0 {
            return;
        }
        let batch = *batch;
        writer.open = None;
        let committed = writer.connection.execute_batch("COMMIT");
        if committed.is_err() && !writer.connection.is_autocommit() {
            let _ = writer.connection.execute_batch("ROLLBACK");
        }
        let mut batches = self.batches.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        batches.ended = batch;
        if let Err(error) = committed {
            batches.failed.push_back((batch, error.to_string()));
            if batches.failed.len() > FAILURES_KEPT {
                batches.failed.pop_front();
            }
        }
        self.batch_ended.notify_all();
    }

    /// Waits until `batch` has ended: an error if its commit failed.
    fn wait_for(&self, batch: u64) -> StoreResult<()> {
        let mut batches = self.batches.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while batches.ended < batch {
            batches = self.batch_ended.wait(batches).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        match batches.failed.iter().find(|(failed, _)| *failed == batch) {
            Some((_, error)) => Err(StoreError::Database(rusqlite::Error::SqliteFailure(
                ffi::Error::new(ffi::SQLITE_IOERR),
                Some(format!("the commit of this write failed: {error}")),
            ))),
            None => Ok(()),
        }
    }

    /// Runs `work` on the connection; what it read of a batch not yet
    /// committed is answered once the batch is.
    fn read<T>(&self, work: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let writer = self.lock();
        let value = work(&writer.connection);
        let open = writer.open.map(|(batch, _)| batch);
        drop(writer);
        if let Some(batch) = open {
            self.wait_for(batch)?;
        }
        value
    }
}

fn migrate(connection: &mut Connection) -> StoreResult<()> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let supported = MIGRATIONS.len() as i64;
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    for migration in &MIGRATIONS[found as usize..] {
        transaction.execute_batch(migration)?;
    }
    transaction.pragma_update(None, "user_version", supported)?;
    transaction.commit()?;
    Ok(())
}

/// A primary key or unique constraint refused the row (not a check or a
/// foreign key, which would be a bug).
fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(failure, _)
        if failure.code == ErrorCode::ConstraintViolation
            && matches!(failure.extended_code, ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY))
}

const DEVICE_COLUMNS: &str = "device_id, public_key, fingerprint, kelurahan_code, rw, enrolled_at, revoked_at";

fn device_from_row(row: &Row) -> rusqlite::Result<Device> {
    Ok(Device {
        device_id: row.get("device_id")?,
        public_key: row.get("public_key")?,
        fingerprint: row.get("fingerprint")?,
        kelurahan_code: row.get("kelurahan_code")?,
        rw: row.get("rw")?,
        enrolled_at: row.get("enrolled_at")?,
        revoked_at: row.get("revoked_at")?,
    })
}

fn device_in(connection: &Connection, device_id: &str) -> StoreResult<Option<Device>> {
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM device WHERE device_id = ?1");
    Ok(connection.query_row(&sql, [device_id], device_from_row).optional()?)
}

const UPLOAD_COLUMNS: &str = "upload_id, device_id, sha256, size, received";

fn upload_from_row(row: &Row) -> rusqlite::Result<Upload> {
    Ok(Upload {
        upload_id: row.get("upload_id")?,
        device_id: row.get("device_id")?,
        sha256: row.get("sha256")?,
        size: unsigned(row, "size")?,
        received: unsigned(row, "received")?,
    })
}

const BUNDLE_FROM: &str = "bundle b LEFT JOIN bundle r ON r.sha256 = b.replaces";

fn bundle_from_row(row: &Row) -> rusqlite::Result<Bundle> {
    Ok(Bundle {
        facts: BundleFacts {
            bundle_id: row.get("bundle_id")?,
            sha256: row.get("sha256")?,
            size: unsigned(row, "size")?,
            device_id: row.get("device_id")?,
            kelurahan_code: row.get("kelurahan_code")?,
            rw: row.get("rw")?,
            stage: row.get("stage")?,
            planning_year: row.get("planning_year")?,
            meeting_id: row.get("meeting_id")?,
            revision: row.get("revision")?,
            content_hash: row.get("content_hash")?,
            received_at: row.get("received_at")?,
            receipt_body: row.get("receipt_body")?,
            receipt_signature: row.get("receipt_signature")?,
        },
        replaces: row.get("replaces_bundle_id")?,
        review_state: row.get("review_state")?,
        replaces_sha256: row.get("replaces_sha256")?,
    })
}

fn bundle_in(connection: &Connection, sha256: &str) -> StoreResult<Option<Bundle>> {
    let sql = format!("SELECT {BUNDLE_COLUMNS} FROM {BUNDLE_FROM} WHERE b.sha256 = ?1");
    Ok(connection.query_row(&sql, [sha256], bundle_from_row).optional()?)
}

/// Keeps a bundle's figures and its usulan rows.
fn insert_figures(
    connection: &Connection,
    sha256: &str,
    planning_year: i32,
    kelurahan_code: &str,
    stage: &str,
    figures: &Figures,
) -> StoreResult<()> {
    connection.execute(
        &format!(
            "INSERT INTO {FIGURES_INSERT} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        ),
        params![
            sha256,
            figures.kelurahan_name,
            figures.kecamatan_code,
            figures.kecamatan_name,
            figures.attendees,
            figures.women,
            figures.youth,
            figures.disability,
            figures.women_target_percent,
            figures.women_target_met,
            planning_year,
            kelurahan_code,
            stage,
            i64::try_from(figures.usulan.len()).map_err(|_| StoreError::OutOfRange("usulan".into()))?,
            figures.biaya(),
        ],
    )?;
    let mut statement = connection.prepare_cached(&format!(
        "INSERT INTO {USULAN_INSERT} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"
    ))?;
    for (position, usulan) in (0i64..).zip(&figures.usulan) {
        statement.execute(params![
            sha256,
            position,
            planning_year,
            kelurahan_code,
            usulan.usulan_id,
            usulan.rank,
            usulan.rw,
            usulan.rt_list,
            usulan.alamat,
            usulan.permasalahan,
            usulan.kegiatan,
            usulan.volume,
            usulan.satuan,
            usulan.biaya,
            usulan.bidang,
            usulan.opd_tujuan,
            usulan.penerima_manfaat,
            usulan.keterangan,
            usulan.latitude,
            usulan.longitude,
            usulan.photos,
            stage,
        ])?;
    }
    Ok(())
}

fn figures_from_row(row: &Row) -> rusqlite::Result<Figures> {
    Ok(Figures {
        kelurahan_name: row.get("kelurahan_name")?,
        kecamatan_code: row.get("kecamatan_code")?,
        kecamatan_name: row.get("kecamatan_name")?,
        attendees: row.get("attendees")?,
        women: row.get("women")?,
        youth: row.get("youth")?,
        disability: row.get("disability")?,
        women_target_percent: row.get("women_target_percent")?,
        women_target_met: row.get("women_target_met")?,
        usulan: Vec::new(),
    })
}

fn usulan_from_row(row: &Row) -> rusqlite::Result<(String, UsulanFigures)> {
    Ok((
        row.get("bundle_sha256")?,
        UsulanFigures {
            usulan_id: row.get("usulan_id")?,
            rank: row.get("rank")?,
            rw: row.get("rw")?,
            rt_list: row.get("rt_list")?,
            alamat: row.get("alamat")?,
            permasalahan: row.get("permasalahan")?,
            kegiatan: row.get("kegiatan")?,
            volume: row.get("volume")?,
            satuan: row.get("satuan")?,
            biaya: row.get("biaya")?,
            bidang: row.get("bidang")?,
            opd_tujuan: row.get("opd_tujuan")?,
            penerima_manfaat: row.get("penerima_manfaat")?,
            keterangan: row.get("keterangan")?,
            latitude: row.get("latitude")?,
            longitude: row.get("longitude")?,
            photos: row.get("photos")?,
        },
    ))
}

/// An usulan's outcome with its bundle's SHA-256.
fn outcome_from_row(row: &Row) -> rusqlite::Result<(String, UsulanOutcome)> {
    let outcome = UsulanOutcome {
        usulan_id: row.get("usulan_id")?,
        outcome: row.get("outcome")?,
        detail: row.get("detail")?,
        staff_name: row.get("staff_name")?,
        at: row.get("at")?,
    };
    Ok((row.get("bundle_sha256")?, outcome))
}

fn filter_values(values: Vec<FilterValue>) -> Vec<rusqlite::types::Value> {
    values
        .into_iter()
        .map(|value| match value {
            FilterValue::Text(text) => rusqlite::types::Value::Text(text),
            FilterValue::Integer(number) => rusqlite::types::Value::Integer(number.into()),
        })
        .collect()
}

const STAFF_COLUMNS: &str = "name, password_hash, role, kecamatan_code";

fn staff_from_row(row: &Row) -> rusqlite::Result<Staff> {
    let role: String = row.get("role")?;
    Ok(Staff {
        name: row.get("name")?,
        password_hash: row.get("password_hash")?,
        // The table's check allows these three only.
        role: Role::parse(&role).unwrap_or(Role::Pimpinan),
        kecamatan_code: row.get("kecamatan_code")?,
    })
}

fn audit_in(transaction: &Connection, entry: &AuditEntry) -> StoreResult<()> {
    transaction.execute(
        "INSERT INTO audit_log (at, staff_name, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![entry.at, entry.staff_name, entry.action, entry.target, entry.detail],
    )?;
    Ok(())
}

/// One more change to a kelurahan's devices.
fn bump_roster(transaction: &Connection, kelurahan_code: &str) -> StoreResult<()> {
    transaction.execute(
        "INSERT INTO roster_serial (kelurahan_code, serial) VALUES (?1, 1)
         ON CONFLICT (kelurahan_code) DO UPDATE SET serial = serial + 1",
        [kelurahan_code],
    )?;
    Ok(())
}

impl OfficeStore for SqliteStore {
    fn initialise(&self, office: &OfficeInfo, admin: &str, password_hash: &str, now: &str) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute(
                "INSERT INTO office (id, name, city, created_at) VALUES (1, ?1, ?2, ?3)",
                params![office.name, office.city, now],
            )?;
            transaction.execute(
                "INSERT INTO staff (name, password_hash, role, created_at) VALUES (?1, ?2, 'admin', ?3)",
                params![admin, password_hash, now],
            )?;
            Ok(())
        })
    }

    fn office(&self) -> StoreResult<OfficeInfo> {
        self.read(|connection| {
            connection
                .query_row("SELECT name, city FROM office WHERE id = 1", [], |row| {
                    Ok(OfficeInfo { name: row.get("name")?, city: row.get("city")? })
                })
                .optional()?
                .ok_or(StoreError::NotInitialised)
        })
    }

    fn create_code(&self, code: &NewCode) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute(
                "INSERT INTO enrollment_code (code, kelurahan_code, rw, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![code.code, code.kelurahan_code, code.rw, code.created_at, code.expires_at],
            )?;
            Ok(())
        })
    }

    fn enroll(
        &self,
        code: &str,
        device_id: &str,
        public_key: &str,
        fingerprint: &str,
        now: &str,
    ) -> StoreResult<EnrollOutcome> {
        self.write(|transaction| {
            let found = transaction
                .query_row(
                    "SELECT kelurahan_code, rw, expires_at, used_by FROM enrollment_code WHERE code = ?1",
                    [code],
                    |row| {
                        Ok((
                            row.get::<_, String>("kelurahan_code")?,
                            row.get::<_, Option<u16>>("rw")?,
                            row.get::<_, String>("expires_at")?,
                            row.get::<_, Option<String>>("used_by")?,
                        ))
                    },
                )
                .optional()?;
            let Some((kelurahan_code, rw, expires_at, used_by)) = found else {
                return Ok(EnrollOutcome::Invalid);
            };
            match used_by {
                Some(user) if user == device_id => {
                    let device = device_in(transaction, device_id)?.expect("a code's user is a device");
                    return Ok(EnrollOutcome::Enrolled(device));
                }
                Some(_) => return Ok(EnrollOutcome::Used),
                None => {}
            }
            // RFC 3339 UTC in whole seconds with `Z` orders as text.
            if expires_at.as_str() <= now {
                return Ok(EnrollOutcome::Expired);
            }
            let previous = device_in(transaction, device_id)?;
            if previous.as_ref().is_some_and(|device| device.revoked_at.is_some()) {
                return Ok(EnrollOutcome::Revoked);
            }
            transaction.execute(
                "INSERT INTO device (device_id, public_key, fingerprint, kelurahan_code, rw, enrolled_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (device_id) DO UPDATE SET kelurahan_code = excluded.kelurahan_code, rw = excluded.rw",
                params![device_id, public_key, fingerprint, kelurahan_code, rw, now],
            )?;
            let claimed = transaction.execute(
                "UPDATE enrollment_code SET used_by = ?1, used_at = ?2 WHERE code = ?3 AND used_by IS NULL",
                params![device_id, now, code],
            )?;
            if claimed != 1 {
                return Ok(EnrollOutcome::Used);
            }
            if let Some(previous) = previous.filter(|previous| previous.kelurahan_code != kelurahan_code) {
                bump_roster(transaction, &previous.kelurahan_code)?;
            }
            bump_roster(transaction, &kelurahan_code)?;
            Ok(EnrollOutcome::Enrolled(device_in(transaction, device_id)?.expect("just enrolled")))
        })
    }

    fn device(&self, device_id: &str) -> StoreResult<Option<Device>> {
        self.read(|connection| device_in(connection, device_id))
    }

    fn devices(&self) -> StoreResult<Vec<Device>> {
        self.read(|connection| {
            let sql = format!("SELECT {DEVICE_COLUMNS} FROM device ORDER BY kelurahan_code, rw, enrolled_at");
            let mut statement = connection.prepare(&sql)?;
            Ok(statement.query_map([], device_from_row)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn revoke(&self, id_or_fingerprint: &str, now: &str) -> StoreResult<Option<Device>> {
        self.write(|transaction| {
            let sql = format!("SELECT {DEVICE_COLUMNS} FROM device WHERE device_id = ?1 OR fingerprint = ?1");
            let Some(device) = transaction.query_row(&sql, [id_or_fingerprint], device_from_row).optional()? else {
                return Ok(None);
            };
            let changed = transaction.execute(
                "UPDATE device SET revoked_at = ?1 WHERE device_id = ?2 AND revoked_at IS NULL",
                params![now, device.device_id],
            )?;
            if changed == 1 {
                bump_roster(transaction, &device.kelurahan_code)?;
            }
            device_in(transaction, &device.device_id)
        })
    }

    fn roster(&self, kelurahan_code: &str) -> StoreResult<RosterData> {
        self.read(|connection| {
            let serial = connection
                .query_row("SELECT serial FROM roster_serial WHERE kelurahan_code = ?1", [kelurahan_code], |row| {
                    unsigned(row, "serial")
                })
                .optional()?
                .unwrap_or(0);
            let sql = format!("SELECT {DEVICE_COLUMNS} FROM device WHERE kelurahan_code = ?1 ORDER BY device_id");
            let mut statement = connection.prepare(&sql)?;
            let devices = statement.query_map([kelurahan_code], device_from_row)?.collect::<rusqlite::Result<_>>()?;
            Ok(RosterData { serial, devices })
        })
    }

    fn record_wrong_code(&self, address: &str, now: i64, since: i64) -> StoreResult<u32> {
        self.write(|transaction| {
            transaction.execute("INSERT INTO enroll_attempt (address, at) VALUES (?1, ?2)", params![address, now])?;
            count_attempts(transaction, address, since)
        })
    }

    fn wrong_codes_since(&self, address: &str, since: i64) -> StoreResult<u32> {
        self.read(|connection| count_attempts(connection, address, since))
    }

    fn use_nonce(&self, device_id: &str, nonce: &str, now: i64) -> StoreResult<bool> {
        self.write(|transaction| {
            match transaction.execute(
                "INSERT INTO request_nonce (device_id, nonce, seen_at) VALUES (?1, ?2, ?3)",
                params![device_id, nonce, now],
            ) {
                Ok(_) => Ok(true),
                Err(error) if is_unique_violation(&error) => Ok(false),
                Err(error) => Err(error.into()),
            }
        })
    }

    fn create_upload(&self, upload: &Upload, max_per_device: u32, now: i64) -> StoreResult<CreateUploadOutcome> {
        self.write(|transaction| {
            let inserted = transaction.execute(
                "INSERT INTO upload (upload_id, device_id, sha256, size, received, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                 ON CONFLICT (device_id, sha256) DO NOTHING",
                params![
                    upload.upload_id,
                    upload.device_id,
                    upload.sha256,
                    signed(upload.size),
                    signed(upload.received),
                    now
                ],
            )?;
            let sql = format!("SELECT {UPLOAD_COLUMNS} FROM upload WHERE device_id = ?1 AND sha256 = ?2");
            let stored = transaction.query_row(&sql, [&upload.device_id, &upload.sha256], upload_from_row)?;
            if inserted == 0 {
                return Ok(CreateUploadOutcome::Existing(stored));
            }
            let open: u32 = transaction.query_row(
                "SELECT count(*) FROM upload WHERE device_id = ?1 AND received < size",
                [&upload.device_id],
                |row| row.get(0),
            )?;
            if open > max_per_device {
                transaction.execute("DELETE FROM upload WHERE upload_id = ?1", [&upload.upload_id])?;
                return Ok(CreateUploadOutcome::TooMany);
            }
            Ok(CreateUploadOutcome::Created(stored))
        })
    }

    fn upload(&self, upload_id: &str) -> StoreResult<Option<Upload>> {
        self.read(|connection| {
            let sql = format!("SELECT {UPLOAD_COLUMNS} FROM upload WHERE upload_id = ?1");
            Ok(connection.query_row(&sql, [upload_id], upload_from_row).optional()?)
        })
    }

    fn set_received(&self, upload_id: &str, received: u64, now: i64) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute(
                "UPDATE upload SET received = ?1, updated_at = ?2 WHERE upload_id = ?3",
                params![signed(received), now, upload_id],
            )?;
            Ok(())
        })
    }

    fn delete_upload(&self, upload_id: &str) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute("DELETE FROM upload WHERE upload_id = ?1", [upload_id])?;
            Ok(())
        })
    }

    fn uploads(&self) -> StoreResult<Vec<Upload>> {
        self.read(|connection| {
            let sql = format!("SELECT {UPLOAD_COLUMNS} FROM upload ORDER BY created_at");
            let mut statement = connection.prepare(&sql)?;
            Ok(statement.query_map([], upload_from_row)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn remove_stale_uploads(&self, before: i64) -> StoreResult<Vec<String>> {
        self.write(|transaction| {
            let mut statement = transaction.prepare("DELETE FROM upload WHERE updated_at < ?1 RETURNING upload_id")?;
            Ok(statement.query_map([before], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn prune(&self, before: i64) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute("DELETE FROM request_nonce WHERE seen_at < ?1", [before])?;
            transaction.execute("DELETE FROM enroll_attempt WHERE at < ?1", [before])?;
            Ok(())
        })
    }

    fn bundle(&self, sha256: &str) -> StoreResult<Option<Bundle>> {
        self.read(|connection| bundle_in(connection, sha256))
    }

    fn bundle_of_revision(&self, meeting_id: &str, content_hash: &str) -> StoreResult<Option<Bundle>> {
        self.read(|connection| {
            let sql =
                format!("SELECT {BUNDLE_COLUMNS} FROM {BUNDLE_FROM} WHERE b.meeting_id = ?1 AND b.content_hash = ?2");
            Ok(connection.query_row(&sql, [meeting_id, content_hash], bundle_from_row).optional()?)
        })
    }

    fn record_bundle(&self, bundle: &NewBundle, upload_id: &str) -> StoreResult<RecordOutcome> {
        self.write(|transaction| {
            let inserted = transaction.execute(
                &format!(
                    "INSERT INTO {BUNDLE_INSERT} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                     ON CONFLICT (sha256) DO NOTHING"
                ),
                params![
                    bundle.sha256,
                    bundle.bundle_id,
                    signed(bundle.size),
                    bundle.device_id,
                    bundle.kelurahan_code,
                    bundle.rw,
                    bundle.stage,
                    bundle.planning_year,
                    bundle.meeting_id,
                    bundle.revision,
                    bundle.content_hash,
                    bundle.replaces,
                    bundle.received_at,
                    bundle.receipt_body,
                    bundle.receipt_signature,
                ],
            );
            let outcome = match inserted {
                Ok(1) => {
                    let (year, kelurahan) = (bundle.planning_year, &bundle.kelurahan_code);
                    insert_figures(transaction, &bundle.sha256, year, kelurahan, &bundle.stage, &bundle.figures)?;
                    RecordOutcome::Recorded(bundle_in(transaction, &bundle.sha256)?.expect("just recorded"))
                }
                Ok(_) => RecordOutcome::Duplicate(bundle_in(transaction, &bundle.sha256)?.expect("it conflicted")),
                // (meeting_id, revision) or replaces: another bundle has it.
                Err(error) if is_unique_violation(&error) => return Ok(RecordOutcome::RevisionConflict),
                Err(error) => return Err(error.into()),
            };
            transaction.execute("DELETE FROM upload WHERE upload_id = ?1", [upload_id])?;
            Ok(outcome)
        })
    }

    fn bundles(&self) -> StoreResult<Vec<Bundle>> {
        self.read(|connection| {
            let sql = format!("SELECT {BUNDLE_COLUMNS} FROM {BUNDLE_FROM} ORDER BY b.rowid");
            let mut statement = connection.prepare(&sql)?;
            Ok(statement.query_map([], bundle_from_row)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn bundles_where(&self, filter: &BundleFilter) -> StoreResult<Vec<Bundle>> {
        let (conditions, values) = filter.conditions(|n| format!("?{n}"));
        self.read(|connection| {
            let sql = format!("SELECT {BUNDLE_LIST_COLUMNS} FROM {BUNDLE_FROM} WHERE {conditions} ORDER BY b.rowid");
            let mut statement = connection.prepare(&sql)?;
            let rows = statement.query_map(rusqlite::params_from_iter(filter_values(values)), bundle_from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn figures_where(&self, filter: &BundleFilter) -> StoreResult<Vec<(Bundle, Figures)>> {
        let (conditions, values) = filter.conditions(|n| format!("?{n}"));
        let values = filter_values(values);
        self.read(|connection| {
            let sql = format!(
                "SELECT {BUNDLE_LIST_COLUMNS}, {FIGURES_COLUMNS} FROM {BUNDLE_FROM} \
                 JOIN bundle_figures f ON f.bundle_sha256 = b.sha256 \
                 WHERE {conditions} AND {LATEST_REVISION} ORDER BY b.rowid"
            );
            let mut statement = connection.prepare(&sql)?;
            let bundles = statement
                .query_map(rusqlite::params_from_iter(values.iter()), |row| {
                    Ok((bundle_from_row(row)?, figures_from_row(row)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let sql = format!(
                "SELECT {USULAN_COLUMNS} FROM bundle b JOIN bundle_usulan u ON u.bundle_sha256 = b.sha256 \
                 WHERE {conditions} AND {LATEST_REVISION} ORDER BY u.bundle_sha256, u.position"
            );
            let mut statement = connection.prepare(&sql)?;
            let usulan = statement
                .query_map(rusqlite::params_from_iter(values.iter()), usulan_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(with_usulan(bundles, usulan))
        })
    }

    fn figure_sums(&self, filter: &SumFilter) -> StoreResult<FigureSums> {
        let ([places, by_bidang, by_opd], values) = filter.queries(|n| format!("?{n}"));
        let values = filter_values(values);
        self.read(|connection| {
            let mut statement = connection.prepare(&places)?;
            let mut rows = statement.query(rusqlite::params_from_iter(values.iter()))?;
            let mut places = Vec::new();
            while let Some(row) = rows.next()? {
                let names = ["kecamatan_code", "kecamatan_name", "kelurahan_code", "kelurahan_name"];
                let names = [row.get(names[0])?, row.get(names[1])?, row.get(names[2])?, row.get(names[3])?];
                let mut sums = [0i64; 9];
                for (sum, column) in sums.iter_mut().zip(PLACE_SUMS) {
                    *sum = row.get(column)?;
                }
                places.push(place_sums(row.get("planning_year")?, names, sums)?);
            }
            let usulan = |sql: &str| -> StoreResult<Vec<UsulanSums>> {
                let mut statement = connection.prepare(sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(values.iter()))?;
                let mut sums = Vec::new();
                while let Some(row) = rows.next()? {
                    sums.push(usulan_sums(
                        row.get("planning_year")?,
                        row.get("key")?,
                        row.get("usulan")?,
                        row.get("biaya")?,
                    )?);
                }
                Ok(sums)
            };
            Ok(FigureSums { places, by_bidang: usulan(&by_bidang)?, by_opd: usulan(&by_opd)? })
        })
    }

    fn revision_chain(&self, sha256: &str) -> StoreResult<Vec<Bundle>> {
        self.read(|connection| {
            let sql = format!(
                "SELECT {BUNDLE_COLUMNS} FROM {BUNDLE_FROM} WHERE b.sha256 IN ({}) ORDER BY b.revision",
                revision_chain_sql("?1")
            );
            let mut statement = connection.prepare(&sql)?;
            Ok(statement.query_map([sha256], bundle_from_row)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn latest_planning_year(&self) -> StoreResult<Option<i32>> {
        self.read(|connection| Ok(connection.query_row("SELECT max(planning_year) FROM bundle", [], |row| row.get(0))?))
    }

    fn bundles_without_figures(&self) -> StoreResult<Vec<String>> {
        self.read(|connection| {
            let mut statement = connection.prepare(
                "SELECT sha256 FROM bundle b WHERE NOT EXISTS \
                 (SELECT 1 FROM bundle_figures f WHERE f.bundle_sha256 = b.sha256) ORDER BY b.rowid",
            )?;
            Ok(statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn load_synthetic(&self, load: &SyntheticLoad) -> StoreResult<()> {
        self.write(|transaction| {
            let mut device = transaction.prepare_cached(&format!(
                "INSERT INTO device ({DEVICE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING"
            ))?;
            for d in &load.devices {
                let row = params![
                    d.device_id,
                    d.public_key,
                    d.fingerprint,
                    d.kelurahan_code,
                    d.rw,
                    d.enrolled_at,
                    d.revoked_at
                ];
                device.execute(row)?;
            }
            let mut count = transaction.prepare_cached(
                "INSERT INTO kelurahan_rw_count (kelurahan_code, rw_count) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?;
            for (kelurahan, rw_count) in &load.rw_counts {
                count.execute(params![kelurahan, rw_count])?;
            }
            let mut insert = transaction.prepare_cached(&format!(
                "INSERT INTO {BUNDLE_INSERT} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
            ))?;
            for b in &load.bundles {
                insert.execute(params![
                    b.sha256,
                    b.bundle_id,
                    signed(b.size),
                    b.device_id,
                    b.kelurahan_code,
                    b.rw,
                    b.stage,
                    b.planning_year,
                    b.meeting_id,
                    b.revision,
                    b.content_hash,
                    b.replaces,
                    b.received_at,
                    b.receipt_body,
                    b.receipt_signature,
                ])?;
                insert_figures(transaction, &b.sha256, b.planning_year, &b.kelurahan_code, &b.stage, &b.figures)?;
            }
            Ok(())
        })
    }

    fn record_figures(&self, sha256: &str, figures: &Figures) -> StoreResult<()> {
        self.write(|transaction| {
            let place: Option<(i32, String, String)> = transaction
                .query_row(
                    "SELECT planning_year, kelurahan_code, stage FROM bundle b WHERE sha256 = ?1 AND NOT EXISTS \
                     (SELECT 1 FROM bundle_figures f WHERE f.bundle_sha256 = b.sha256)",
                    [sha256],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()?;
            match place {
                Some((year, kelurahan, stage)) => {
                    insert_figures(transaction, sha256, year, &kelurahan, &stage, figures)
                }
                None => Ok(()),
            }
        })
    }

    fn staff(&self, name: &str) -> StoreResult<Option<Staff>> {
        self.read(|connection| {
            let sql = format!("SELECT {STAFF_COLUMNS} FROM staff WHERE name = ?1");
            Ok(connection.query_row(&sql, [name], staff_from_row).optional()?)
        })
    }

    fn staff_list(&self) -> StoreResult<Vec<Staff>> {
        self.read(|connection| {
            let sql = format!("SELECT {STAFF_COLUMNS} FROM staff ORDER BY name");
            let mut statement = connection.prepare(&sql)?;
            Ok(statement.query_map([], staff_from_row)?.collect::<Result<_, _>>()?)
        })
    }

    fn create_staff(&self, staff: &Staff, by: &str, now: &str) -> StoreResult<bool> {
        self.write(|transaction| {
            let inserted = transaction.execute(
                "INSERT INTO staff (name, password_hash, role, kecamatan_code, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![staff.name, staff.password_hash, staff.role.as_str(), staff.kecamatan_code, now],
            );
            match inserted {
                Err(error) if is_unique_violation(&error) => return Ok(false),
                other => other?,
            };
            let detail = format!("{} {}", staff.role.as_str(), staff.kecamatan_code.as_deref().unwrap_or("kota"));
            let entry = AuditEntry {
                at: now.to_owned(),
                staff_name: by.to_owned(),
                action: "buat_akun".into(),
                target: staff.name.clone(),
                detail,
            };
            audit_in(transaction, &entry)?;
            Ok(true)
        })
    }

    fn set_password_hash(&self, name: &str, password_hash: &str) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute("UPDATE staff SET password_hash = ?2 WHERE name = ?1", params![name, password_hash])?;
            Ok(())
        })
    }

    fn change_password(
        &self,
        name: &str,
        password_hash: &str,
        keep_session: &str,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute("UPDATE staff SET password_hash = ?2 WHERE name = ?1", params![name, password_hash])?;
            transaction.execute(
                "DELETE FROM staff_session WHERE staff_name = ?1 AND id_sha256 <> ?2",
                params![name, keep_session],
            )?;
            audit_in(transaction, audit)
        })
    }

    fn create_session(
        &self,
        id_sha256: &str,
        staff: &str,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute("DELETE FROM staff_session WHERE expires_at <= ?1", [now])?;
            transaction.execute(
                "INSERT INTO staff_session (id_sha256, staff_name, csrf_token, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id_sha256, staff, csrf_token, now, expires_at],
            )?;
            let at = chrono::DateTime::from_timestamp(now, 0).map(crate::office::rfc3339).unwrap_or_default();
            let entry = AuditEntry {
                at,
                staff_name: staff.to_owned(),
                action: "masuk".into(),
                target: String::new(),
                detail: String::new(),
            };
            audit_in(transaction, &entry)
        })
    }

    fn session(&self, id_sha256: &str, now: i64) -> StoreResult<Option<(Staff, String)>> {
        self.read(|connection| {
            let sql = format!(
                "SELECT {STAFF_COLUMNS}, s.csrf_token FROM staff_session s JOIN staff ON staff.name = s.staff_name
                 WHERE s.id_sha256 = ?1 AND s.expires_at > ?2"
            );
            Ok(connection
                .query_row(&sql, params![id_sha256, now], |row| Ok((staff_from_row(row)?, row.get("csrf_token")?)))
                .optional()?)
        })
    }

    fn delete_session(&self, id_sha256: &str) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute("DELETE FROM staff_session WHERE id_sha256 = ?1", [id_sha256])?;
            Ok(())
        })
    }

    fn record_login_failure(&self, account: &str, address: &str, now: i64) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute(
                "INSERT INTO login_failure (account, address, at) VALUES (?1, ?2, ?3)",
                params![account, address, now],
            )?;
            Ok(())
        })
    }

    fn login_failures_since(&self, account: &str, address: &str, since: i64) -> StoreResult<(u32, u32)> {
        self.read(|connection| {
            let count = |column: &str, value: &str| -> rusqlite::Result<u32> {
                connection.query_row(
                    &format!("SELECT count(*) FROM login_failure WHERE {column} = ?1 AND at >= ?2"),
                    params![value, since],
                    |row| row.get(0),
                )
            };
            Ok((count("account", account)?, count("address", address)?))
        })
    }

    fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        self.write(|transaction| audit_in(transaction, entry))
    }

    fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        self.read(|connection| {
            let mut statement = connection
                .prepare("SELECT at, staff_name, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?1")?;
            let rows = statement.query_map([limit], |row| {
                Ok(AuditEntry {
                    at: row.get("at")?,
                    staff_name: row.get("staff_name")?,
                    action: row.get("action")?,
                    target: row.get("target")?,
                    detail: row.get("detail")?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn wilayah(&self) -> StoreResult<Vec<Kelurahan>> {
        self.read(|connection| {
            let mut statement = connection.prepare(
                "SELECT code, name, kecamatan_code, kecamatan_name, kota_code, kota_name FROM wilayah ORDER BY code",
            )?;
            let rows = statement.query_map([], |row| {
                Ok(Kelurahan {
                    code: row.get("code")?,
                    name: row.get("name")?,
                    kecamatan_code: row.get("kecamatan_code")?,
                    kecamatan_name: row.get("kecamatan_name")?,
                    kota_code: row.get("kota_code")?,
                    kota_name: row.get("kota_name")?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn import_wilayah(&self, kelurahan: &[Kelurahan]) -> StoreResult<()> {
        self.write(|transaction| {
            let mut upsert = transaction.prepare(
                "INSERT INTO wilayah (code, name, kecamatan_code, kecamatan_name, kota_code, kota_name)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name,
                    kecamatan_code = excluded.kecamatan_code, kecamatan_name = excluded.kecamatan_name,
                    kota_code = excluded.kota_code, kota_name = excluded.kota_name",
            )?;
            for k in kelurahan {
                upsert.execute(params![
                    k.code,
                    k.name,
                    k.kecamatan_code,
                    k.kecamatan_name,
                    k.kota_code,
                    k.kota_name
                ])?;
            }
            Ok(())
        })
    }

    fn rw_counts(&self, wilayah: Option<&str>) -> StoreResult<Vec<(String, u16)>> {
        // The filter's conditions are over `b`'s kelurahan_code.
        let filter = BundleFilter { wilayah: wilayah.map(str::to_owned), ..BundleFilter::default() };
        let (conditions, values) = filter.conditions(|n| format!("?{n}"));
        self.read(|connection| {
            let sql = format!("SELECT kelurahan_code, rw_count FROM kelurahan_rw_count b WHERE {conditions}");
            let mut statement = connection.prepare(&sql)?;
            let values = rusqlite::params_from_iter(filter_values(values));
            let rows = statement.query_map(values, |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn set_rw_count(&self, kelurahan_code: &str, rw_count: u16, audit: &AuditEntry) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute(
                "INSERT INTO kelurahan_rw_count (kelurahan_code, rw_count) VALUES (?1, ?2)
                 ON CONFLICT (kelurahan_code) DO UPDATE SET rw_count = excluded.rw_count",
                params![kelurahan_code, rw_count],
            )?;
            audit_in(transaction, audit)
        })
    }

    fn opd_list(&self) -> StoreResult<Vec<String>> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached("SELECT name FROM opd ORDER BY position")?;
            let rows = statement.query_map([], |row| row.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn replace_opd_list(&self, names: &[String], audit: &AuditEntry) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute("DELETE FROM opd", [])?;
            let mut insert = transaction.prepare_cached("INSERT INTO opd (position, name) VALUES (?1, ?2)")?;
            for (position, name) in names.iter().enumerate() {
                insert.execute(params![position as i64, name])?;
            }
            audit_in(transaction, audit)
        })
    }

    fn stage_settings(&self) -> StoreResult<Option<StageSettings>> {
        self.read(|connection| {
            Ok(connection
                .query_row(
                    "SELECT women_target_percent, delegates_min, delegates_max FROM stage_settings WHERE id = 1",
                    [],
                    |row| {
                        Ok(StageSettings {
                            women_target_percent: row.get(0)?,
                            delegates: DelegateRange { min: row.get(1)?, max: row.get(2)? },
                        })
                    },
                )
                .optional()?)
        })
    }

    fn set_stage_settings(&self, settings: &StageSettings, audit: &AuditEntry) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute(
                "INSERT INTO stage_settings (id, women_target_percent, delegates_min, delegates_max)
                 VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET women_target_percent = excluded.women_target_percent,
                    delegates_min = excluded.delegates_min, delegates_max = excluded.delegates_max",
                params![settings.women_target_percent, settings.delegates.min, settings.delegates.max],
            )?;
            audit_in(transaction, audit)
        })
    }

    fn review(&self, sha256: &str) -> StoreResult<Option<Review>> {
        self.read(|connection| {
            Ok(connection
                .query_row("SELECT review_state, review_note FROM bundle WHERE sha256 = ?1", [sha256], |row| {
                    Ok(Review { state: row.get(0)?, note: row.get(1)? })
                })
                .optional()?)
        })
    }

    fn set_review(&self, sha256: &str, review: &Review, audit: &AuditEntry) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute(
                "UPDATE bundle SET review_state = ?2, review_note = ?3 WHERE sha256 = ?1",
                params![sha256, review.state, review.note],
            )?;
            audit_in(transaction, audit)
        })
    }

    fn usulan_outcomes(&self, sha256: &str) -> StoreResult<Vec<UsulanOutcome>> {
        self.read(|connection| {
            let sql = format!("SELECT {OUTCOME_COLUMNS} FROM usulan_review o WHERE o.bundle_sha256 = ?1");
            let mut statement = connection.prepare(&sql)?;
            let rows = statement.query_map([sha256], |row| Ok(outcome_from_row(row)?.1))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn usulan_outcomes_where(&self, filter: &BundleFilter) -> StoreResult<Vec<(String, UsulanOutcome)>> {
        let (conditions, values) = filter.conditions(|n| format!("?{n}"));
        self.read(|connection| {
            let sql = format!(
                "SELECT {OUTCOME_COLUMNS} FROM bundle b JOIN usulan_review o ON o.bundle_sha256 = b.sha256 \
                 WHERE {conditions} AND {LATEST_REVISION}"
            );
            let mut statement = connection.prepare(&sql)?;
            let rows = statement.query_map(rusqlite::params_from_iter(filter_values(values)), outcome_from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn set_usulan_outcome(&self, sha256: &str, outcome: &UsulanOutcome, audit: &AuditEntry) -> StoreResult<()> {
        self.write(|transaction| {
            transaction.execute(
                "INSERT INTO usulan_review (bundle_sha256, usulan_id, outcome, detail, staff_name, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (bundle_sha256, usulan_id) DO UPDATE SET outcome = excluded.outcome,
                     detail = excluded.detail, staff_name = excluded.staff_name, at = excluded.at",
                params![sha256, outcome.usulan_id, outcome.outcome, outcome.detail, outcome.staff_name, outcome.at],
            )?;
            audit_in(transaction, audit)
        })
    }

    fn bundle_exists(&self, sha256: &str) -> StoreResult<bool> {
        self.read(|connection| {
            Ok(connection.query_row(
                "SELECT EXISTS (SELECT 1 FROM bundle WHERE sha256 = ?1)
                     OR EXISTS (SELECT 1 FROM signed_pages_bundle WHERE sha256 = ?1)",
                [sha256],
                |row| row.get(0),
            )?)
        })
    }

    fn signed_pages(&self, sha256: &str) -> StoreResult<Option<SignedPagesBundle>> {
        self.read(|connection| signed_pages_in(connection, sha256))
    }

    fn record_signed_pages(&self, pages: &NewSignedPages, upload_id: &str) -> StoreResult<SignedPagesOutcome> {
        self.write(|transaction| {
            let inserted = transaction.execute(
                "INSERT INTO signed_pages_bundle (sha256, bundle_id, size, device_id, revision_sha256, page_count,
                     received_at, receipt_body, receipt_signature)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (sha256) DO NOTHING",
                params![
                    pages.sha256,
                    pages.bundle_id,
                    signed(pages.size),
                    pages.device_id,
                    pages.revision_sha256,
                    pages.page_count,
                    pages.received_at,
                    pages.receipt_body,
                    pages.receipt_signature,
                ],
            )?;
            let held = signed_pages_in(transaction, &pages.sha256)?.expect("recorded now or before");
            transaction.execute("DELETE FROM upload WHERE upload_id = ?1", [upload_id])?;
            Ok(if inserted == 1 { SignedPagesOutcome::Recorded(held) } else { SignedPagesOutcome::Duplicate(held) })
        })
    }

    fn signed_pages_of(&self, revision_sha256: &str) -> StoreResult<Vec<SignedPagesBundle>> {
        self.read(|connection| {
            let sql = format!(
                "SELECT {SIGNED_PAGES_COLUMNS} FROM signed_pages_bundle WHERE revision_sha256 = ?1 ORDER BY rowid"
            );
            let mut statement = connection.prepare(&sql)?;
            Ok(statement.query_map([revision_sha256], signed_pages_from_row)?.collect::<rusqlite::Result<_>>()?)
        })
    }
}

const SIGNED_PAGES_COLUMNS: &str =
    "sha256, bundle_id, size, device_id, revision_sha256, page_count, received_at, receipt_body, receipt_signature";

fn signed_pages_in(connection: &Connection, sha256: &str) -> StoreResult<Option<SignedPagesBundle>> {
    let sql = format!("SELECT {SIGNED_PAGES_COLUMNS} FROM signed_pages_bundle WHERE sha256 = ?1");
    Ok(connection.query_row(&sql, [sha256], signed_pages_from_row).optional()?)
}

fn signed_pages_from_row(row: &Row<'_>) -> rusqlite::Result<SignedPagesBundle> {
    Ok(SignedPagesBundle {
        sha256: row.get("sha256")?,
        bundle_id: row.get("bundle_id")?,
        size: unsigned(row, "size")?,
        device: row.get("device_id")?,
        revision_sha256: row.get("revision_sha256")?,
        page_count: row.get("page_count")?,
        received_at: row.get("received_at")?,
        receipt_body: row.get("receipt_body")?,
        receipt_signature: row.get("receipt_signature")?,
    })
}

/// SQLite's integers are signed; sizes and serials never reach 2^63.
fn signed(value: u64) -> i64 {
    i64::try_from(value).expect("sizes fit in 63 bits")
}

fn unsigned(row: &Row, column: &str) -> rusqlite::Result<u64> {
    let value: i64 = row.get(column)?;
    u64::try_from(value).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(0, value))
}

fn count_attempts(connection: &Connection, address: &str, since: i64) -> StoreResult<u32> {
    Ok(connection.query_row(
        "SELECT count(*) FROM enroll_attempt WHERE address = ?1 AND at >= ?2",
        params![address, since],
        |row| row.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::audit;

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        store.lock().connection.pragma_update(None, "user_version", 99).unwrap();
        drop(store);
        let refused = SqliteStore::open(dir.path());
        let supported = MIGRATIONS.len() as i64;
        assert!(matches!(refused, Err(StoreError::SchemaTooNew { found: 99, supported: s }) if s == supported));
    }

    #[test]
    fn the_init_admin_of_schema_1_becomes_an_admin_account() {
        let dir = tempfile::tempdir().unwrap();
        let connection = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        connection.execute_batch(MIGRATIONS[0]).unwrap();
        connection.pragma_update(None, "user_version", 1).unwrap();
        connection
            .execute(
                "INSERT INTO admin (name, password_hash, created_at) VALUES ('admin', 'pbkdf2-sha256$1$00$00', 'x')",
                [],
            )
            .unwrap();
        drop(connection);
        let store = SqliteStore::open(dir.path()).unwrap();
        let admin = store.staff("admin").unwrap().unwrap();
        assert_eq!(
            (admin.role, admin.password_hash.as_str(), admin.kecamatan_code),
            (Role::Admin, "pbkdf2-sha256$1$00$00", None)
        );
        store.set_password_hash("admin", "$argon2id$baru").unwrap();
        assert_eq!(store.staff("admin").unwrap().unwrap().password_hash, "$argon2id$baru");
    }

    #[test]
    fn the_audit_log_is_append_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        store.audit(&audit("siti", "atur_jumlah_rw")).unwrap();
        let writer = store.lock();
        let connection = &writer.connection;
        assert!(connection.execute("DELETE FROM audit_log", []).is_err(), "the audit log is append-only");
        assert!(connection.execute("UPDATE audit_log SET detail = 'x'", []).is_err());
    }

    #[test]
    fn waiting_writes_share_one_commit_and_a_failed_or_panicking_one_is_undone_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(SqliteStore::open(dir.path()).unwrap());
        let held = store.lock();
        let writes: Vec<_> = (0..32)
            .map(|index: u32| {
                let store = store.clone();
                std::thread::spawn(move || {
                    store.write(|connection| {
                        connection.execute(
                            "INSERT INTO request_nonce (device_id, nonce, seen_at) VALUES (?1, ?2, 1)",
                            params!["d".repeat(64), index.to_string()],
                        )?;
                        match index % 8 {
                            0 => Err(StoreError::NotInitialised),
                            1 => panic!("a bug in one write"),
                            _ => Ok(index),
                        }
                    })
                })
            })
            .collect();
        while store.queued.load(Ordering::SeqCst) < 32 {
            std::thread::sleep(Duration::from_millis(1));
        }
        drop(held);
        for (index, write) in writes.into_iter().enumerate() {
            match (index % 8, write.join()) {
                (0, Ok(result)) => assert!(matches!(result, Err(StoreError::NotInitialised))),
                (1, result) => assert!(result.is_err(), "the panic reaches its own caller"),
                (_, Ok(result)) => assert_eq!(result.unwrap(), index as u32),
                (_, Err(_)) => panic!("write {index} panicked"),
            }
        }
        assert_eq!(store.batches.lock().unwrap().ended, 1, "the 32 waiting writes were one commit");
        drop(store);
        let store = SqliteStore::open(dir.path()).unwrap();
        let kept: Vec<u32> = store
            .read(|connection| {
                let mut statement =
                    connection.prepare("SELECT nonce FROM request_nonce ORDER BY CAST(nonce AS INTEGER)")?;
                let nonces = statement.query_map([], |row| row.get::<_, String>(0))?;
                Ok(nonces.map(|nonce| nonce.unwrap().parse().unwrap()).collect())
            })
            .unwrap();
        assert_eq!(kept, (0..32).filter(|index| index % 8 > 1).collect::<Vec<u32>>());
    }
}
