//! The office's index on PostgreSQL, for several `rembug-office` processes
//! in front of one database (`--database postgres://…`, `docs/deploy.md`).
//!
//! - The schema is in `migrations/postgres/`, applied in order and tracked
//!   in the `schema_version` table under an advisory lock, so servers that
//!   start together migrate once; a newer schema than this server knows is
//!   refused.
//! - Each trait method is one transaction (READ COMMITTED) on a connection
//!   from a small pool ([`MAX_CONNECTIONS`]), except the reads of one
//!   statement a device's requests make (the office, a device, an upload, a
//!   bundle), which run without `BEGIN` and `COMMIT`; a serialization
//!   failure or a deadlock is retried a few times. Each connection prepares
//!   a statement once and keeps it ([`Transaction`]). Uniqueness rests on the constraints: an
//!   insert that may meet one runs in a savepoint ([`insert_unless_unique`]),
//!   and rows two servers could both claim (an enrollment code, a device's
//!   uploads) are locked with `SELECT … FOR UPDATE` first.
//! - The methods live by area, like the SQLite store's sections:
//!   `devices.rs` (office, codes, enrollment, devices, nonces), `uploads.rs`,
//!   `bundles.rs`, `staff.rs` (accounts, sessions, failed logins, the audit
//!   log) and `review.rs` (RW counts, reviews, usulan outcomes). Each is a
//!   plain function over a [`Transaction`]; the trait's impl below only
//!   picks the transaction.
//!
//! The connection has no TLS yet (`NoTls`): the database is on the same
//! host or a private network. TLS to the database can follow with
//! `postgres-native-tls` or `tokio-postgres-rustls` without changing the store.

mod bundles;
mod devices;
mod figures;
mod opd;
mod review;
mod staff;
mod uploads;
mod wilayah;

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};

use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, Config, NoTls, Row, Statement};
use rembug_core::wilayah::Kelurahan;

use super::{
    AuditEntry, Bundle, BundleFilter, CreateUploadOutcome, Device, EnrollOutcome, FigureSums, Figures, NewBundle,
    NewCode, NewSignedPages, OfficeInfo, OfficeStore, RecordOutcome, Review, RosterData, SignedPagesBundle,
    SignedPagesOutcome, Staff, StageSettings, StoreError, StoreResult, SumFilter, SyntheticLoad, Upload, UsulanOutcome,
};

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_office.sql"),
    include_str!("../../migrations/postgres/0002_wilayah_and_indexes.sql"),
    include_str!("../../migrations/postgres/0003_figures.sql"),
    include_str!("../../migrations/postgres/0004_signed_pages.sql"),
    include_str!("../../migrations/postgres/0005_figure_sums.sql"),
    include_str!("../../migrations/postgres/0006_opd.sql"),
];
/// The most connections one server opens; writes past it wait for one.
pub const MAX_CONNECTIONS: usize = 16;
/// How often a transaction that met a serialization failure or a deadlock is
/// run again.
const RETRIES: u32 = 5;
/// The advisory lock that serialises migrations across servers.
const MIGRATION_LOCK: i64 = 0x7265_6d62_7567; // "rembug"

pub struct PostgresStore {
    config: Config,
    pool: Mutex<Pool>,
    returned: Condvar,
}

struct Pool {
    idle: Vec<Connection>,
    /// Connections open, idle or lent.
    open: usize,
}

/// A connection and the statements prepared on it, by their SQL.
struct Connection {
    client: Client,
    statements: HashMap<String, Statement>,
}

/// One transaction, or for [`PostgresStore::read`] the connection alone,
/// preparing each statement once per connection: a statement already
/// prepared is one round trip to the database, where an unprepared one is
/// three (prepare, execute, close).
pub(super) struct Transaction<'a> {
    session: Session<'a>,
    statements: &'a mut HashMap<String, Statement>,
}

enum Session<'a> {
    Transaction(postgres::Transaction<'a>),
    /// Each statement its own transaction.
    Autocommit(&'a mut Client),
}

impl Transaction<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = match &mut self.session {
            Session::Transaction(transaction) => transaction.prepare(sql)?,
            Session::Autocommit(client) => client.prepare(sql)?,
        };
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    pub(super) fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, postgres::Error> {
        let statement = self.statement(sql)?;
        match &mut self.session {
            Session::Transaction(transaction) => transaction.execute(&statement, params),
            Session::Autocommit(client) => client.execute(&statement, params),
        }
    }

    pub(super) fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        match &mut self.session {
            Session::Transaction(transaction) => transaction.query(&statement, params),
            Session::Autocommit(client) => client.query(&statement, params),
        }
    }

    pub(super) fn query_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, postgres::Error> {
        let statement = self.statement(sql)?;
        match &mut self.session {
            Session::Transaction(transaction) => transaction.query_one(&statement, params),
            Session::Autocommit(client) => client.query_one(&statement, params),
        }
    }

    pub(super) fn query_opt(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        match &mut self.session {
            Session::Transaction(transaction) => transaction.query_opt(&statement, params),
            Session::Autocommit(client) => client.query_opt(&statement, params),
        }
    }

    /// `COPY … FROM STDIN` (the synthetic year's load).
    pub(super) fn copy_in(&mut self, sql: &str) -> Result<postgres::CopyInWriter<'_>, postgres::Error> {
        match &mut self.session {
            Session::Transaction(transaction) => transaction.copy_in(sql),
            Session::Autocommit(client) => client.copy_in(sql),
        }
    }

    /// Statements without parameters, not prepared (the migrations).
    pub(super) fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
        match &mut self.session {
            Session::Transaction(transaction) => transaction.batch_execute(sql),
            Session::Autocommit(client) => client.batch_execute(sql),
        }
    }

    /// A savepoint in this transaction, rolled back unless committed.
    fn savepoint(&mut self) -> Result<Transaction<'_>, postgres::Error> {
        let session = match &mut self.session {
            Session::Transaction(transaction) => transaction.transaction()?,
            Session::Autocommit(client) => client.transaction()?,
        };
        Ok(Transaction { session: Session::Transaction(session), statements: &mut *self.statements })
    }

    fn commit(self) -> Result<(), postgres::Error> {
        match self.session {
            Session::Transaction(transaction) => transaction.commit(),
            Session::Autocommit(_) => Ok(()),
        }
    }
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`),
    /// migrating the schema.
    pub fn open(url: &str) -> StoreResult<PostgresStore> {
        let config: Config = url.parse()?;
        let store =
            PostgresStore { config, pool: Mutex::new(Pool { idle: Vec::new(), open: 0 }), returned: Condvar::new() };
        store.transaction(migrate)?;
        Ok(store)
    }

    fn pool(&self) -> MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// An idle connection, a new one, or the next one returned.
    fn connection(&self) -> StoreResult<Lent<'_>> {
        let mut pool = self.pool();
        loop {
            if let Some(connection) = pool.idle.pop() {
                return Ok(Lent { store: self, connection: Some(connection), dead: false });
            }
            if pool.open < MAX_CONNECTIONS {
                pool.open += 1;
                drop(pool);
                return match self.config.connect(NoTls) {
                    Ok(client) => {
                        let connection = Connection { client, statements: HashMap::new() };
                        Ok(Lent { store: self, connection: Some(connection), dead: false })
                    }
                    Err(error) => {
                        self.pool().open -= 1;
                        self.returned.notify_one();
                        Err(error.into())
                    }
                };
            }
            pool = self.returned.wait(pool).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// Runs `work` in one transaction, committed if it returns `Ok`; run
    /// again when PostgreSQL asks for it (serialization failure, deadlock).
    /// A connection whose `BEGIN` fails (it died idle in the pool, as when
    /// the database restarted) is dropped and the next one tried: nothing
    /// was done yet, so that is always safe.
    fn transaction<T>(&self, mut work: impl FnMut(&mut Transaction) -> StoreResult<T>) -> StoreResult<T> {
        let (mut attempt, mut stale) = (0, 0);
        loop {
            let mut lent = self.connection()?;
            let Connection { client, statements } = lent.connection.as_mut().expect("lent until dropped");
            let session = match client.transaction() {
                Ok(session) => session,
                Err(_) if stale < MAX_CONNECTIONS => {
                    stale += 1;
                    lent.dead = true;
                    continue;
                }
                Err(error) => return Err(error.into()),
            };
            let mut transaction = Transaction { session: Session::Transaction(session), statements };
            let outcome = work(&mut transaction).and_then(|value| {
                transaction.commit()?;
                Ok(value)
            });
            match outcome {
                Err(StoreError::Postgres(error)) if attempt < RETRIES && is_retryable(&error) => attempt += 1,
                other => return other,
            }
        }
    }

    /// Runs `work`, a single statement that only reads, without `BEGIN`
    /// and `COMMIT` (two round trips fewer; under READ COMMITTED a
    /// statement sees the same inside a transaction or alone). A
    /// connection that fails it for being closed (it died idle in the pool)
    /// is dropped and the next one tried, as [`PostgresStore::transaction`]
    /// does at `BEGIN`: a read changed nothing.
    fn read<T>(&self, mut work: impl FnMut(&mut Transaction) -> StoreResult<T>) -> StoreResult<T> {
        let mut stale = 0;
        loop {
            let mut lent = self.connection()?;
            let Connection { client, statements } = lent.connection.as_mut().expect("lent until dropped");
            let mut session = Transaction { session: Session::Autocommit(client), statements };
            match work(&mut session) {
                Err(StoreError::Postgres(error)) if stale < MAX_CONNECTIONS && is_connection_lost(&error) => {
                    stale += 1;
                    lent.dead = true;
                }
                other => return other,
            }
        }
    }
}

impl Drop for PostgresStore {
    /// A client owns a small runtime of its own, which may not be dropped
    /// on one of tokio's workers (where the server's last handle on the
    /// store may go): the idle ones are dropped on a thread of their own.
    fn drop(&mut self) {
        let idle = std::mem::take(&mut self.pool().idle);
        if !idle.is_empty() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}

/// A pooled connection, returned when dropped (closed ones are forgotten).
struct Lent<'a> {
    store: &'a PostgresStore,
    connection: Option<Connection>,
    /// Closed, whatever the client says: not returned to the pool.
    dead: bool,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        let mut pool = self.store.pool();
        match self.connection.take() {
            Some(connection) if !self.dead && !connection.client.is_closed() => pool.idle.push(connection),
            _ => pool.open -= 1,
        }
        self.store.returned.notify_one();
    }
}

fn migrate(transaction: &mut Transaction) -> StoreResult<()> {
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    transaction.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let found: i64 = match transaction.query_opt("SELECT version FROM schema_version", &[])? {
        Some(row) => row.try_get::<_, i32>("version")?.into(),
        None => {
            transaction.execute("INSERT INTO schema_version (version) VALUES (0)", &[])?;
            0
        }
    };
    let supported = MIGRATIONS.len() as i64;
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    for migration in &MIGRATIONS[found as usize..] {
        transaction.batch_execute(migration)?;
    }
    transaction.execute("UPDATE schema_version SET version = $1", &[&(supported as i32)])?;
    Ok(())
}

fn is_retryable(error: &postgres::Error) -> bool {
    matches!(error.code(), Some(code) if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED)
}

/// The connection is gone (closed, its socket failed, the server ended its
/// session or is shutting down), as opposed to the database refusing the
/// statement.
fn is_connection_lost(error: &postgres::Error) -> bool {
    let ended = [SqlState::ADMIN_SHUTDOWN, SqlState::CRASH_SHUTDOWN, SqlState::CANNOT_CONNECT_NOW];
    error.is_closed()
        || std::error::Error::source(error).is_some_and(|source| source.is::<std::io::Error>())
        || error.code().is_some_and(|code| ended.contains(code) || code.code().starts_with("08"))
}

/// Runs one insert in a savepoint: `None` when a primary key or unique
/// constraint refused the row, the transaction still usable.
fn insert_unless_unique(
    transaction: &mut Transaction,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> StoreResult<Option<u64>> {
    let mut savepoint = transaction.savepoint()?;
    match savepoint.execute(sql, params) {
        Ok(rows) => {
            savepoint.commit()?;
            Ok(Some(rows))
        }
        Err(error) if error.code() == Some(&SqlState::UNIQUE_VIOLATION) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Sizes, offsets and serials never reach 2^63.
fn signed(value: u64) -> i64 {
    i64::try_from(value).expect("sizes fit in 63 bits")
}

fn unsigned(row: &Row, column: &str) -> StoreResult<u64> {
    let value: i64 = row.try_get(column)?;
    u64::try_from(value).map_err(|_| StoreError::OutOfRange(column.to_owned()))
}

/// An RW number (the column's check keeps it within 1 to 999).
fn rw(row: &Row, column: &str) -> StoreResult<Option<u16>> {
    let value: Option<i32> = row.try_get(column)?;
    value.map(|rw| u16::try_from(rw).map_err(|_| StoreError::OutOfRange(column.to_owned()))).transpose()
}

fn rw_param(rw: Option<u16>) -> Option<i32> {
    rw.map(i32::from)
}

fn count(row: &Row) -> StoreResult<u32> {
    let value: i64 = row.try_get(0)?;
    u32::try_from(value).map_err(|_| StoreError::OutOfRange("count".into()))
}

impl OfficeStore for PostgresStore {
    fn initialise(&self, office: &OfficeInfo, admin: &str, password_hash: &str, now: &str) -> StoreResult<()> {
        self.transaction(|transaction| devices::initialise(transaction, office, admin, password_hash, now))
    }

    fn office(&self) -> StoreResult<OfficeInfo> {
        self.read(devices::office)
    }

    fn create_code(&self, code: &NewCode) -> StoreResult<()> {
        self.transaction(|transaction| devices::create_code(transaction, code))
    }

    fn enroll(
        &self,
        code: &str,
        device_id: &str,
        public_key: &str,
        fingerprint: &str,
        now: &str,
    ) -> StoreResult<EnrollOutcome> {
        self.transaction(|transaction| devices::enroll(transaction, code, device_id, public_key, fingerprint, now))
    }

    fn device(&self, device_id: &str) -> StoreResult<Option<Device>> {
        self.read(|transaction| devices::device(transaction, device_id))
    }

    fn devices(&self) -> StoreResult<Vec<Device>> {
        self.transaction(devices::devices)
    }

    fn revoke(&self, id_or_fingerprint: &str, now: &str) -> StoreResult<Option<Device>> {
        self.transaction(|transaction| devices::revoke(transaction, id_or_fingerprint, now))
    }

    fn roster(&self, kelurahan_code: &str) -> StoreResult<RosterData> {
        self.transaction(|transaction| devices::roster(transaction, kelurahan_code))
    }

    fn record_wrong_code(&self, address: &str, now: i64, since: i64) -> StoreResult<u32> {
        self.transaction(|transaction| devices::record_wrong_code(transaction, address, now, since))
    }

    fn wrong_codes_since(&self, address: &str, since: i64) -> StoreResult<u32> {
        self.transaction(|transaction| devices::wrong_codes_since(transaction, address, since))
    }

    fn use_nonce(&self, device_id: &str, nonce: &str, now: i64) -> StoreResult<bool> {
        self.transaction(|transaction| devices::use_nonce(transaction, device_id, nonce, now))
    }

    fn create_upload(&self, upload: &Upload, max_per_device: u32, now: i64) -> StoreResult<CreateUploadOutcome> {
        self.transaction(|transaction| uploads::create_upload(transaction, upload, max_per_device, now))
    }

    fn upload(&self, upload_id: &str) -> StoreResult<Option<Upload>> {
        self.read(|transaction| uploads::upload(transaction, upload_id))
    }

    fn set_received(&self, upload_id: &str, received: u64, now: i64) -> StoreResult<()> {
        self.transaction(|transaction| uploads::set_received(transaction, upload_id, received, now))
    }

    fn delete_upload(&self, upload_id: &str) -> StoreResult<()> {
        self.transaction(|transaction| uploads::delete_upload(transaction, upload_id))
    }

    fn uploads(&self) -> StoreResult<Vec<Upload>> {
        self.transaction(uploads::uploads)
    }

    fn remove_stale_uploads(&self, before: i64) -> StoreResult<Vec<String>> {
        self.transaction(|transaction| uploads::remove_stale_uploads(transaction, before))
    }

    fn prune(&self, before: i64) -> StoreResult<()> {
        self.transaction(|transaction| uploads::prune(transaction, before))
    }

    fn bundle(&self, sha256: &str) -> StoreResult<Option<Bundle>> {
        self.read(|transaction| bundles::bundle(transaction, sha256))
    }

    fn bundle_of_revision(&self, meeting_id: &str, content_hash: &str) -> StoreResult<Option<Bundle>> {
        self.read(|transaction| bundles::bundle_of_revision(transaction, meeting_id, content_hash))
    }

    fn record_bundle(&self, bundle: &NewBundle, upload_id: &str) -> StoreResult<RecordOutcome> {
        self.transaction(|transaction| bundles::record_bundle(transaction, bundle, upload_id))
    }

    fn bundles(&self) -> StoreResult<Vec<Bundle>> {
        self.transaction(bundles::bundles)
    }

    fn bundles_where(&self, filter: &BundleFilter) -> StoreResult<Vec<Bundle>> {
        self.transaction(|transaction| bundles::bundles_where(transaction, filter))
    }

    fn bundle_exists(&self, sha256: &str) -> StoreResult<bool> {
        self.read(|transaction| bundles::bundle_exists(transaction, sha256))
    }

    fn figures_where(&self, filter: &BundleFilter) -> StoreResult<Vec<(Bundle, Figures)>> {
        self.transaction(|transaction| figures::figures_where(transaction, filter))
    }

    fn figure_sums(&self, filter: &SumFilter) -> StoreResult<FigureSums> {
        self.transaction(|transaction| figures::figure_sums(transaction, filter))
    }

    fn revision_chain(&self, sha256: &str) -> StoreResult<Vec<Bundle>> {
        self.transaction(|transaction| bundles::revision_chain(transaction, sha256))
    }

    fn latest_planning_year(&self) -> StoreResult<Option<i32>> {
        self.transaction(figures::latest_planning_year)
    }

    fn bundles_without_figures(&self) -> StoreResult<Vec<String>> {
        self.transaction(figures::bundles_without_figures)
    }

    fn record_figures(&self, sha256: &str, figures: &Figures) -> StoreResult<()> {
        self.transaction(|transaction| figures::record_figures(transaction, sha256, figures))
    }

    fn load_synthetic(&self, load: &SyntheticLoad) -> StoreResult<()> {
        self.transaction(|transaction| figures::load_synthetic(transaction, load))
    }

    fn signed_pages(&self, sha256: &str) -> StoreResult<Option<SignedPagesBundle>> {
        self.transaction(|transaction| bundles::signed_pages(transaction, sha256))
    }

    fn record_signed_pages(&self, pages: &NewSignedPages, upload_id: &str) -> StoreResult<SignedPagesOutcome> {
        self.transaction(|transaction| bundles::record_signed_pages(transaction, pages, upload_id))
    }

    fn signed_pages_of(&self, revision_sha256: &str) -> StoreResult<Vec<SignedPagesBundle>> {
        self.transaction(|transaction| bundles::signed_pages_of(transaction, revision_sha256))
    }

    fn staff(&self, name: &str) -> StoreResult<Option<Staff>> {
        self.transaction(|transaction| staff::staff(transaction, name))
    }

    fn staff_list(&self) -> StoreResult<Vec<Staff>> {
        self.transaction(staff::staff_list)
    }

    fn create_staff(&self, account: &Staff, by: &str, now: &str) -> StoreResult<bool> {
        self.transaction(|transaction| staff::create_staff(transaction, account, by, now))
    }

    fn set_password_hash(&self, name: &str, password_hash: &str) -> StoreResult<()> {
        self.transaction(|transaction| staff::set_password_hash(transaction, name, password_hash))
    }

    fn change_password(
        &self,
        name: &str,
        password_hash: &str,
        keep_session: &str,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        self.transaction(|transaction| staff::change_password(transaction, name, password_hash, keep_session, audit))
    }

    fn create_session(
        &self,
        id_sha256: &str,
        account: &str,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<()> {
        self.transaction(|transaction| {
            staff::create_session(transaction, id_sha256, account, csrf_token, now, expires_at)
        })
    }

    fn session(&self, id_sha256: &str, now: i64) -> StoreResult<Option<(Staff, String)>> {
        self.transaction(|transaction| staff::session(transaction, id_sha256, now))
    }

    fn delete_session(&self, id_sha256: &str) -> StoreResult<()> {
        self.transaction(|transaction| staff::delete_session(transaction, id_sha256))
    }

    fn record_login_failure(&self, account: &str, address: &str, now: i64) -> StoreResult<()> {
        self.transaction(|transaction| staff::record_login_failure(transaction, account, address, now))
    }

    fn login_failures_since(&self, account: &str, address: &str, since: i64) -> StoreResult<(u32, u32)> {
        self.transaction(|transaction| staff::login_failures_since(transaction, account, address, since))
    }

    fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        self.transaction(|transaction| staff::audit(transaction, entry))
    }

    fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        self.transaction(|transaction| staff::audit_log(transaction, limit))
    }

    fn wilayah(&self) -> StoreResult<Vec<Kelurahan>> {
        self.transaction(wilayah::wilayah)
    }

    fn import_wilayah(&self, kelurahan: &[Kelurahan]) -> StoreResult<()> {
        self.transaction(|transaction| wilayah::import_wilayah(transaction, kelurahan))
    }

    fn rw_counts(&self, wilayah: Option<&str>) -> StoreResult<Vec<(String, u16)>> {
        self.transaction(|transaction| review::rw_counts(transaction, wilayah))
    }

    fn set_rw_count(&self, kelurahan_code: &str, rw_count: u16, audit: &AuditEntry) -> StoreResult<()> {
        self.transaction(|transaction| review::set_rw_count(transaction, kelurahan_code, rw_count, audit))
    }

    fn opd_list(&self) -> StoreResult<Vec<String>> {
        self.transaction(opd::opd_list)
    }

    fn replace_opd_list(&self, names: &[String], audit: &AuditEntry) -> StoreResult<()> {
        self.transaction(|transaction| opd::replace_opd_list(transaction, names, audit))
    }

    fn stage_settings(&self) -> StoreResult<Option<StageSettings>> {
        self.transaction(opd::stage_settings)
    }

    fn set_stage_settings(&self, settings: &StageSettings, audit: &AuditEntry) -> StoreResult<()> {
        self.transaction(|transaction| opd::set_stage_settings(transaction, settings, audit))
    }

    fn review(&self, sha256: &str) -> StoreResult<Option<Review>> {
        self.transaction(|transaction| review::review(transaction, sha256))
    }

    fn set_review(&self, sha256: &str, review: &Review, audit: &AuditEntry) -> StoreResult<()> {
        self.transaction(|transaction| review::set_review(transaction, sha256, review, audit))
    }

    fn usulan_outcomes(&self, sha256: &str) -> StoreResult<Vec<UsulanOutcome>> {
        self.transaction(|transaction| review::usulan_outcomes(transaction, sha256))
    }

    fn set_usulan_outcome(&self, sha256: &str, outcome: &UsulanOutcome, audit: &AuditEntry) -> StoreResult<()> {
        self.transaction(|transaction| review::set_usulan_outcome(transaction, sha256, outcome, audit))
    }

    fn usulan_outcomes_where(&self, filter: &BundleFilter) -> StoreResult<Vec<(String, UsulanOutcome)>> {
        self.transaction(|transaction| review::usulan_outcomes_where(transaction, filter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::cluster;

    #[test]
    fn servers_migrate_once_a_newer_schema_is_refused_and_history_is_kept() {
        if cluster::binaries().is_none() {
            eprintln!("PostgreSQL 15 is not installed: skipped");
            return;
        }
        let url = cluster::cluster().database();
        // Servers starting together: one migrates, the others find it done.
        let starts: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                std::thread::spawn(move || PostgresStore::open(&url).map(drop))
            })
            .collect();
        for start in starts {
            start.join().unwrap().unwrap();
        }
        let store = PostgresStore::open(&url).unwrap();
        let audit = AuditEntry {
            at: "t".into(),
            staff_name: "s".into(),
            action: "a".into(),
            target: String::new(),
            detail: String::new(),
        };
        store.audit(&audit).unwrap();
        let refused = |sql: &'static str| store.transaction(|transaction| Ok(transaction.batch_execute(sql)?)).is_err();
        assert!(refused("DELETE FROM audit_log"), "the audit log is append-only");
        assert!(refused("UPDATE audit_log SET detail = 'x'"));
        store
            .transaction(|transaction| {
                transaction.batch_execute(
                "INSERT INTO device VALUES (repeat('d', 64), repeat('d', 64), 'f', '32.77.01.1001', NULL, 't', NULL);
                 INSERT INTO bundle (sha256, bundle_id, size, device_id, kelurahan_code, stage, planning_year,
                     meeting_id, revision, content_hash, received_at, receipt_body, receipt_signature)
                 VALUES (repeat('b', 64), 'b', 1, repeat('d', 64), 'k', 's', 2028, 'm', 1, 'c', 't', 'r', 's')",
            )?;
                Ok(())
            })
            .unwrap();
        assert!(refused("DELETE FROM bundle"), "bundles are kept");
        store
            .transaction(|transaction| Ok(transaction.batch_execute("UPDATE schema_version SET version = 99")?))
            .unwrap();
        let supported = MIGRATIONS.len() as i64;
        let refused = PostgresStore::open(&url);
        assert!(matches!(refused, Err(StoreError::SchemaTooNew { found: 99, supported: s }) if s == supported));
    }
}
