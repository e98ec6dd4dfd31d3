//! Attachments (photos, signatures, scans): files in the data folder's
//! `attachments/` directory, each named by the SHA-256 of its bytes, so the
//! same photo is stored once and a file's name proves its content.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::{Store, now_utc};
use crate::error::{CoreError, Result};
use crate::hex;

/// What is known of a stored attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
}

impl Store {
    /// Streams `source` into the attachment folder and records it. The file is
    /// written under a temporary name, flushed to disk and renamed, so a file
    /// named by a hash is always whole. Storing the same bytes again is a no-op.
    pub fn put_attachment(&self, source: &mut impl Read, media_type: &str) -> Result<Attachment> {
        let (attachment, _) = self.write_attachment_file(source, media_type)?;
        self.write(|tx| record_attachment(tx, &attachment))?;
        Ok(attachment)
    }

    /// The file half of [`Store::put_attachment`]: streams `source` into the
    /// attachment folder under its SHA-256 without recording it, for a caller
    /// that records it in its own transaction. Answers whether the file is
    /// new, so a caller whose transaction fails can remove it again.
    pub fn write_attachment_file(&self, source: &mut impl Read, media_type: &str) -> Result<(Attachment, bool)> {
        fs::create_dir_all(&self.attachments_dir)?;
        let temp = tempfile_in(&self.attachments_dir)?;
        let (sha256, size) = copy_hashing(source, &temp.file)?;
        temp.file.sync_all()?;
        let target = self.attachment_path(&sha256)?;
        let created = !target.exists();
        fs::rename(&temp.path, &target)?;
        temp.disarm();
        sync_dir(&self.attachments_dir)?;
        Ok((Attachment { sha256, size, media_type: media_type.to_owned() }, created))
    }

    /// Removes files written by [`Store::write_attachment_file`] whose
    /// transaction failed, unless a row names them after all.
    pub fn remove_unrecorded_files(&self, sha256s: &[String]) -> Result<()> {
        self.read(|conn| {
            for sha256 in sha256s {
                let recorded: bool =
                    conn.query_row("SELECT EXISTS (SELECT 1 FROM attachment WHERE sha256 = ?1)", [sha256], |row| {
                        row.get(0)
                    })?;
                if !recorded {
                    fs::remove_file(self.attachment_path(sha256)?)?;
                }
            }
            Ok(())
        })
    }

    pub fn attachment(&self, sha256: &str) -> Result<Attachment> {
        self.read(|conn| {
            conn.query_row("SELECT sha256, size, media_type FROM attachment WHERE sha256 = ?1", [sha256], |row| {
                Ok(Attachment { sha256: row.get(0)?, size: row.get::<_, i64>(1)? as u64, media_type: row.get(2)? })
            })
            .optional()?
            .ok_or(CoreError::NotFound { entity: "attachment" })
        })
    }

    /// Opens an attachment's bytes for reading.
    pub fn open_attachment(&self, sha256: &str) -> Result<File> {
        self.attachment(sha256)?;
        Ok(File::open(self.attachment_path(sha256)?)?)
    }

    /// Where an attachment's file lives. Refuses anything that is not a
    /// lower-case hex SHA-256, so no name can point outside the folder.
    pub fn attachment_path(&self, sha256: &str) -> Result<PathBuf> {
        if !hex::is_sha256_hex(sha256) {
            return Err(CoreError::NotFound { entity: "attachment" });
        }
        Ok(self.attachments_dir.join(sha256))
    }
}

/// Records a stored file; recording the same bytes again is a no-op.
pub(super) fn record_attachment(tx: &Transaction<'_>, attachment: &Attachment) -> Result<()> {
    tx.execute(
        "INSERT INTO attachment (sha256, size, media_type, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (sha256) DO NOTHING",
        params![attachment.sha256, attachment.size as i64, attachment.media_type, now_utc()],
    )?;
    Ok(())
}

fn copy_hashing(source: &mut impl Read, mut target: &File) -> io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let read = match source.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        hasher.update(&buffer[..read]);
        target.write_all(&buffer[..read])?;
        size += read as u64;
    }
    let digest = hasher.finalize();
    Ok((hex::encode(&digest), size))
}

/// A temporary file that is removed unless `disarm`ed after its rename.
struct TempFile {
    path: PathBuf,
    file: File,
    armed: bool,
}

impl TempFile {
    fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn tempfile_in(dir: &Path) -> io::Result<TempFile> {
    let path = dir.join(format!(".incoming-{}", uuid::Uuid::now_v7()));
    let file = File::options().write(true).create_new(true).open(&path)?;
    Ok(TempFile { path, file, armed: true })
}

/// Makes a rename durable: on Unix the directory entry itself must be flushed.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_are_stored_once_under_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("rembug.sqlite3")).unwrap();
        let first = store.put_attachment(&mut &b"foto balai"[..], "image/jpeg").unwrap();
        let again = store.put_attachment(&mut &b"foto balai"[..], "image/jpeg").unwrap();
        assert_eq!(first, again);
        // sha256("foto balai"), computed independently with sha256sum.
        assert_eq!(first.sha256, "e8feec84d921ed960814b445b9cdae879626df0e9716e6595455fc7fee327dbd");
        assert_eq!(first.size, 10);
        let mut bytes = Vec::new();
        store.open_attachment(&first.sha256).unwrap().read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes, b"foto balai");
        let files: Vec<_> = fs::read_dir(dir.path().join("attachments")).unwrap().collect();
        assert_eq!(files.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn names_that_are_not_hashes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("rembug.sqlite3")).unwrap();
        for name in ["../rembug.sqlite3", "ABC", &"g".repeat(64), &"A".repeat(64)] {
            assert!(matches!(store.attachment_path(name), Err(CoreError::NotFound { .. })), "{name}");
        }
    }
}
