//! Backups of a data folder, and restoring one.
//!
//! A backup is a folder: the database copied through SQLite's online backup
//! API (a few pages per step inside one read transaction, so the app keeps
//! writing and the copy is one consistent snapshot), the attachments that
//! snapshot names, the device key (and the office key when set), and
//! `manifest.json` listing every file with its size and SHA-256. It is built
//! under a hidden temporary name and renamed when complete, so a folder that
//! looks like a backup is a whole one.
//!
//! Restoring checks everything first (manifest, every hash, the database's
//! integrity and schema, the device key against the manifest's fingerprint),
//! copies the backup into a new folder beside the data folder, and swaps the
//! two by renaming; the old data folder is kept under a dated name.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use ed25519_dalek::SigningKey;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::atomic::sync_dir;
use crate::data_dir::{DATABASE_FILE, DataDir};
use crate::device::{DEVICE_KEY_FILE, DeviceIdentity, OFFICE_KEY_FILE, fingerprint_of};
use crate::error::{CoreError, Result};
use crate::hex;
use crate::meeting::Timezone;
use crate::store::backups::MEETING_COUNT_SQL;
use crate::store::{SCHEMA_VERSION, Store, now_utc};
use crate::tanggal::DateText;

pub const MANIFEST_FILE: &str = "manifest.json";
pub const BACKUP_FORMAT: &str = "rembug-backup";
pub const BACKUP_FORMAT_VERSION: u32 = 1;
/// Completed backups are named `rembug-backup-<UTC instant>`.
const BACKUP_PREFIX: &str = "rembug-backup-";
const ATTACHMENTS_DIR: &str = "attachments";
/// Pages copied per backup step (4 KiB pages: 1 MiB); between steps the
/// store's connection is free to write.
const PAGES_PER_STEP: i32 = 256;
/// How long to wait before retrying a step the writer held up.
const BUSY_PAUSE: Duration = Duration::from_millis(20);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupManifest {
    pub format: String,
    pub format_version: u32,
    pub app_version: String,
    pub created_at: String,
    /// The database's `user_version` when it was copied.
    pub schema_version: i64,
    pub device_fingerprint: String,
    pub files: Vec<BackupFile>,
}

/// One file of a backup, by its path relative to the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupFile {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// Bytes copied so far out of all the backup will copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupProgress {
    pub done_bytes: u64,
    pub total_bytes: u64,
}

/// Writes a backup of the data folder `data_dir` into a new subfolder of
/// `out` and returns that subfolder. The store may stay open and keep
/// writing meanwhile.
pub fn create_backup(data_dir: &Path, out: &Path, progress: &mut dyn FnMut(BackupProgress)) -> Result<PathBuf> {
    let device = DeviceIdentity::load_or_create(data_dir)?;
    fs::create_dir_all(out)?;
    let staging = TempDir::create(out.join(format!(".{BACKUP_PREFIX}{}.partial", uuid::Uuid::now_v7())))?;

    let source = Connection::open_with_flags(data_dir.join(DATABASE_FILE), OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    source.busy_timeout(Duration::from_secs(5))?;
    // One read transaction pins the snapshot every backup step copies from
    // and the attachment list is read from: the writer goes on in the WAL.
    source.execute_batch("BEGIN DEFERRED")?;
    let snapshot = Snapshot::read(&source)?;
    let keys: Vec<&str> =
        [DEVICE_KEY_FILE, OFFICE_KEY_FILE].into_iter().filter(|name| data_dir.join(name).is_file()).collect();
    let key_bytes: u64 =
        keys.iter().map(|name| fs::metadata(data_dir.join(name)).map(|m| m.len())).sum::<io::Result<_>>()?;
    let mut counter = Counter {
        done: 0,
        total: snapshot.database_bytes + snapshot.attachments.iter().map(|(_, size)| size).sum::<u64>() + key_bytes,
        progress,
    };

    copy_database(&source, &staging.path.join(DATABASE_FILE), &mut counter)?;
    let mut files = vec![describe(&staging.path, DATABASE_FILE)?];

    fs::create_dir(staging.path.join(ATTACHMENTS_DIR))?;
    for (sha256, _) in &snapshot.attachments {
        let copied = copy_file(data_dir, &staging.path, &format!("{ATTACHMENTS_DIR}/{sha256}"), &mut counter)?;
        if copied.sha256 != *sha256 {
            return Err(CoreError::Corrupt(format!("attachment {sha256} no longer matches its name")));
        }
        files.push(copied);
    }
    source.execute_batch("COMMIT")?;
    drop(source);
    for name in keys {
        files.push(copy_file(data_dir, &staging.path, name, &mut counter)?);
    }

    let manifest = BackupManifest {
        format: BACKUP_FORMAT.to_owned(),
        format_version: BACKUP_FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: now_utc(),
        schema_version: snapshot.schema_version,
        device_fingerprint: device.fingerprint(),
        files,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|error| CoreError::Corrupt(error.to_string()))?;
    let mut file = File::create_new(staging.path.join(MANIFEST_FILE))?;
    file.write_all(&json)?;
    file.sync_all()?;
    sync_dir(&staging.path.join(ATTACHMENTS_DIR))?;
    sync_dir(&staging.path)?;

    let target = unused_name(out, &format!("{BACKUP_PREFIX}{}", manifest.created_at.replace(':', "")));
    fs::rename(&staging.path, &target)?;
    staging.disarm();
    sync_dir(out)?;
    Ok(target)
}

/// [`create_backup`] of the data folder the app has open, then remembers in
/// `store` that a backup holds every meeting locked before it began, which
/// is what the reminder to back up reads ([`Store::backup_reminder`]).
pub fn back_up_store(
    store: &Store,
    data_dir: &Path,
    out: &Path,
    progress: &mut dyn FnMut(BackupProgress),
) -> Result<PathBuf> {
    let began = now_utc();
    let folder = create_backup(data_dir, out, progress)?;
    store.record_backup(&began)?;
    Ok(folder)
}

/// The zone a backup's instants are shown in: a backup belongs to the
/// laptop, not to one meeting and its wilayah.
pub const BACKUP_TIMEZONE: Timezone = Timezone::Wib;

/// What the cadre is told before restoring a backup: what it holds and
/// what it replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RestorePlan {
    /// When the backup was made (UTC, RFC 3339).
    pub created_at: String,
    /// `created_at` as the window writes it, in [`BACKUP_TIMEZONE`].
    pub created_at_text: DateText,
    /// Meetings in the backup, a corrected one once.
    pub meetings_in_backup: u32,
    /// Meetings in this data folder now, which the backup replaces.
    pub meetings_here: u32,
    /// The fingerprint of the device the backup was made on.
    pub device_fingerprint: String,
    /// False when the backup comes from another laptop: restoring it makes
    /// this laptop sign as that one.
    pub same_device: bool,
}

/// Checks the backup in `backup` ([`check_backup`]) and says what restoring
/// it into the data folder of `store` and `device` would replace.
pub fn plan_restore(store: &Store, device: &DeviceIdentity, backup: &Path) -> Result<RestorePlan> {
    let manifest = check_backup(backup)?;
    let conn = Connection::open_with_flags(backup.join(DATABASE_FILE), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let meetings_in_backup = conn
        .query_row(MEETING_COUNT_SQL, [], |row| row.get(0))
        .map_err(|_| CoreError::BackupDamaged { file: DATABASE_FILE.to_owned() })?;
    Ok(RestorePlan {
        same_device: manifest.device_fingerprint == device.fingerprint(),
        created_at_text: DateText::instant(BACKUP_TIMEZONE, &manifest.created_at),
        created_at: manifest.created_at,
        meetings_in_backup,
        meetings_here: store.meeting_count()?,
        device_fingerprint: manifest.device_fingerprint,
    })
}

/// What the backup's read transaction sees.
struct Snapshot {
    database_bytes: u64,
    schema_version: i64,
    /// Every stored attachment: SHA-256 and size.
    attachments: Vec<(String, u64)>,
}

impl Snapshot {
    fn read(conn: &Connection) -> Result<Snapshot> {
        let pages: i64 = conn.query_row("PRAGMA page_count", [], |row| row.get(0))?;
        let page_size: i64 = conn.query_row("PRAGMA page_size", [], |row| row.get(0))?;
        let schema_version = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let mut statement = conn.prepare("SELECT sha256, size FROM attachment ORDER BY sha256")?;
        let attachments = statement
            .query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Snapshot { database_bytes: (pages * page_size) as u64, schema_version, attachments })
    }
}

struct Counter<'a> {
    done: u64,
    total: u64,
    progress: &'a mut dyn FnMut(BackupProgress),
}

impl Counter<'_> {
    fn add(&mut self, bytes: u64) {
        self.done = (self.done + bytes).min(self.total);
        (self.progress)(BackupProgress { done_bytes: self.done, total_bytes: self.total });
    }
}

/// Copies the database a step at a time, then makes the copy a single
/// self-contained file (no WAL) and checks it.
fn copy_database(source: &Connection, target: &Path, counter: &mut Counter<'_>) -> Result<()> {
    let page_size = source.query_row("PRAGMA page_size", [], |row| row.get::<_, i64>(0))? as u64;
    let mut copy = Connection::open(target)?;
    {
        let backup = Backup::new(source, &mut copy)?;
        let mut copied_pages = 0;
        loop {
            let step = backup.step(PAGES_PER_STEP)?;
            let progress = backup.progress();
            let now_copied = progress.pagecount - progress.remaining;
            counter.add((now_copied - copied_pages).max(0) as u64 * page_size);
            copied_pages = now_copied;
            match step {
                StepResult::Done => break,
                StepResult::More => {}
                // Busy, Locked: the writer holds the database for a moment.
                _ => std::thread::sleep(BUSY_PAUSE),
            }
        }
    }
    copy.pragma_update(None, "journal_mode", "DELETE")?;
    let integrity: String = copy.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
    if integrity != "ok" {
        return Err(CoreError::Corrupt(format!("the database copy failed its integrity check: {integrity}")));
    }
    drop(copy);
    File::open(target)?.sync_all()?;
    Ok(())
}

/// Copies `path` from the folder `from` to the folder `to` (a new file,
/// flushed) and says what it holds, hashed from the bytes as they were copied.
fn copy_file(from: &Path, to: &Path, path: &str, counter: &mut Counter<'_>) -> Result<BackupFile> {
    let mut source = File::open(from.join(path))?;
    // Owner-only, like the data folder: the files hold residents' data and
    // the device's secret key.
    let mut options = File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut target = HashingWriter { file: options.open(to.join(path))?, hasher: Sha256::new(), counter };
    let size = io::copy(&mut source, &mut target)?;
    target.file.sync_all()?;
    Ok(BackupFile { path: path.to_owned(), size, sha256: hex::encode(&target.hasher.finalize()) })
}

/// Writes to a file, hashing and counting what passes.
struct HashingWriter<'c, 'p> {
    file: File,
    hasher: Sha256,
    counter: &'c mut Counter<'p>,
}

impl Write for HashingWriter<'_, '_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.file.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        self.counter.add(written as u64);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Size and SHA-256 of `name` inside `folder`.
fn describe(folder: &Path, name: &str) -> Result<BackupFile> {
    let (sha256, size) = hash_file(&folder.join(name))?;
    Ok(BackupFile { path: name.to_owned(), size, sha256 })
}

fn hash_file(path: &Path) -> io::Result<(String, u64)> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let size = io::copy(&mut file, &mut hasher)?;
    Ok((hex::encode(&hasher.finalize()), size))
}

/// `folder/name`, or `folder/name-2`, `-3`… if that is taken.
fn unused_name(folder: &Path, name: &str) -> PathBuf {
    (1..)
        .map(|n| folder.join(if n == 1 { name.to_owned() } else { format!("{name}-{n}") }))
        .find(|path| !path.exists())
        .expect("some suffix is free")
}

/// Reads and checks the backup in `backup` without changing anything: its
/// manifest, every file's size and hash, the database's integrity and
/// schema version, and that the device key is the one the manifest names.
pub fn check_backup(backup: &Path) -> Result<BackupManifest> {
    let text = fs::read(backup.join(MANIFEST_FILE)).map_err(|_| CoreError::BackupInvalid)?;
    let manifest: BackupManifest = serde_json::from_slice(&text).map_err(|_| CoreError::BackupInvalid)?;
    if manifest.format != BACKUP_FORMAT {
        return Err(CoreError::BackupInvalid);
    }
    if manifest.format_version > BACKUP_FORMAT_VERSION || manifest.schema_version > SCHEMA_VERSION {
        return Err(CoreError::BackupTooNew);
    }
    for file in &manifest.files {
        if !is_backup_path(&file.path) {
            return Err(CoreError::BackupInvalid);
        }
        match hash_file(&backup.join(&file.path)) {
            Ok((sha256, size)) if sha256 == file.sha256 && size == file.size => {}
            _ => return Err(CoreError::BackupDamaged { file: file.path.clone() }),
        }
    }
    let listed = |name: &str| manifest.files.iter().any(|file| file.path == name);
    if !listed(DATABASE_FILE) || !listed(DEVICE_KEY_FILE) {
        return Err(CoreError::BackupInvalid);
    }
    let seed: [u8; 32] = fs::read(backup.join(DEVICE_KEY_FILE))?
        .try_into()
        .map_err(|_| CoreError::BackupDamaged { file: DEVICE_KEY_FILE.to_owned() })?;
    if fingerprint_of(&SigningKey::from_bytes(&seed).verifying_key().to_bytes()) != manifest.device_fingerprint {
        return Err(CoreError::BackupForeign);
    }
    check_database(backup, &manifest, &listed)?;
    Ok(manifest)
}

/// The copied database is intact, no newer than this app, and every
/// attachment it names is in the backup.
fn check_database(backup: &Path, manifest: &BackupManifest, listed: &dyn Fn(&str) -> bool) -> Result<()> {
    let damaged = || CoreError::BackupDamaged { file: DATABASE_FILE.to_owned() };
    let conn = Connection::open_with_flags(backup.join(DATABASE_FILE), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).map_err(|_| damaged())?;
    if integrity != "ok" {
        return Err(damaged());
    }
    let schema_version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if schema_version > SCHEMA_VERSION {
        return Err(CoreError::BackupTooNew);
    }
    if schema_version != manifest.schema_version {
        return Err(damaged());
    }
    let mut statement = conn.prepare("SELECT sha256 FROM attachment").map_err(|_| damaged())?;
    let attachments = statement.query_map([], |row| row.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    match attachments.iter().find(|sha256| !listed(&format!("{ATTACHMENTS_DIR}/{sha256}"))) {
        Some(missing) => Err(CoreError::BackupDamaged { file: format!("{ATTACHMENTS_DIR}/{missing}") }),
        None => Ok(()),
    }
}

/// The only paths a backup may name: nothing can point outside the folder.
fn is_backup_path(path: &str) -> bool {
    match path.split_once('/') {
        None => [DATABASE_FILE, DEVICE_KEY_FILE, OFFICE_KEY_FILE].contains(&path),
        Some((ATTACHMENTS_DIR, name)) => {
            name.len() == 64
                && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
                && Path::new(path).components().all(|part| matches!(part, Component::Normal(_)))
        }
        Some(_) => false,
    }
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: BackupManifest,
    /// Where the data folder that was replaced now lives, if there was one
    /// with anything in it.
    pub previous: Option<PathBuf>,
}

/// Replaces the data folder `data_dir` by the backup in `backup`, all or
/// nothing. Refuses a backup [`check_backup`] refuses, and a data folder
/// another process has open (`DataDirInUse`). The old folder is kept beside
/// it as `<name>-before-restore-<UTC instant>`. `progress` hears the bytes
/// copied into the new folder.
pub fn restore_backup(backup: &Path, data_dir: &Path, progress: &mut dyn FnMut(BackupProgress)) -> Result<Restored> {
    let manifest = check_backup(backup)?;
    let current = DataDir::open(data_dir)?;
    let parent = data_dir.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = data_dir.file_name().ok_or(CoreError::NotFound { entity: "data folder" })?.to_string_lossy();
    let staging = TempDir::create(parent.join(format!(".{name}-restore-{}", uuid::Uuid::now_v7())))?;
    fs::create_dir(staging.path.join(ATTACHMENTS_DIR))?;
    let mut counter = Counter { done: 0, total: manifest.files.iter().map(|file| file.size).sum(), progress };
    for file in &manifest.files {
        // Hashed again while copying: the stick may have changed since.
        let copied = copy_file(backup, &staging.path, &file.path, &mut counter)?;
        if copied.sha256 != file.sha256 {
            return Err(CoreError::BackupDamaged { file: file.path.clone() });
        }
    }
    sync_dir(&staging.path.join(ATTACHMENTS_DIR))?;
    sync_dir(&staging.path)?;
    // The new folder is locked before it takes the data folder's name, so no
    // other process can open it half-swapped.
    let restored = DataDir::open(&staging.path)?;

    let previous = if holds_only_its_lock(data_dir)? {
        None
    } else {
        Some(unused_name(parent, &format!("{name}-before-restore-{}", now_utc().replace(':', ""))))
    };
    match &previous {
        Some(kept) => fs::rename(data_dir, kept)?,
        None => fs::remove_dir_all(data_dir)?,
    }
    if let Err(error) = fs::rename(&staging.path, data_dir) {
        if let Some(kept) = &previous {
            let _ = fs::rename(kept, data_dir);
        }
        return Err(error.into());
    }
    staging.disarm();
    sync_dir(parent)?;
    drop(restored);
    drop(current);
    Ok(Restored { manifest, previous })
}

/// A data folder just created by opening it: nothing worth keeping.
fn holds_only_its_lock(data_dir: &Path) -> io::Result<bool> {
    for entry in fs::read_dir(data_dir)? {
        if entry?.file_name() != crate::data_dir::LOCK_FILE {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A folder being built, removed with its contents unless `disarm`ed after
/// it was renamed into place.
struct TempDir {
    path: PathBuf,
    armed: bool,
}

impl TempDir {
    fn create(path: PathBuf) -> io::Result<TempDir> {
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&path)?;
        Ok(TempDir { path, armed: true })
    }

    fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}
