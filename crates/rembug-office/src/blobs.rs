//! Where delivered bundle files live, named by their SHA-256, behind a small
//! trait: [`LocalFolder`] keeps them in the data folder's `bundles/`, which
//! several servers share as a mounted volume. An S3-compatible store can
//! follow behind the same trait (`put` uploads, `path` reads through a local
//! cache); the `object_store` crate was left out for its weight.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rembug_core::hex;

/// The bundle files, one per SHA-256, written once and never changed.
pub trait BlobStore: Send + Sync + 'static {
    /// The file holding the bundle `sha256`'s bytes (which may not exist).
    fn path(&self, sha256: &str) -> PathBuf;
    /// Moves the complete, verified file `from` in as `sha256`, durably and
    /// dated now, before the index records it.
    fn put(&self, sha256: &str, from: &Path) -> io::Result<()>;
    /// Removes a bundle file the index did not record; absent is fine.
    fn remove(&self, sha256: &str) -> io::Result<()>;
    /// Every file held, with the SHA-256 its name gives (`None` for a name
    /// that is not a bundle's) and when it was put.
    fn list(&self) -> io::Result<Vec<Blob>>;
}

/// A file of the blob store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub path: PathBuf,
    pub sha256: Option<String>,
    pub put_at: SystemTime,
}

/// Bundle files in one folder, `<sha256>.rembug`.
pub struct LocalFolder {
    dir: PathBuf,
}

impl LocalFolder {
    /// The folder `dir`, created if missing.
    pub fn open(dir: PathBuf) -> io::Result<LocalFolder> {
        fs::create_dir_all(&dir)?;
        Ok(LocalFolder { dir })
    }
}

impl BlobStore for LocalFolder {
    fn path(&self, sha256: &str) -> PathBuf {
        self.dir.join(format!("{sha256}.{}", rembug_bundle::EXTENSION))
    }

    fn put(&self, sha256: &str, from: &Path) -> io::Result<()> {
        // The bytes were flushed as they came; the date tells another
        // server's cleanup that this file is fresh.
        File::options().write(true).open(from)?.set_modified(SystemTime::now())?;
        fs::rename(from, self.path(sha256))?;
        rembug_core::atomic::sync_dir(&self.dir)
    }

    fn remove(&self, sha256: &str) -> io::Result<()> {
        match fs::remove_file(self.path(sha256)) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
            _ => Ok(()),
        }
    }

    fn list(&self) -> io::Result<Vec<Blob>> {
        let mut blobs = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let path = entry.path();
            let stem = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default();
            let named = hex::is_sha256_hex(stem) && path.extension().is_some_and(|e| e == rembug_bundle::EXTENSION);
            let sha256 = named.then(|| stem.to_owned());
            let put_at = match entry.metadata() {
                Ok(metadata) => metadata.modified()?,
                // Removed meanwhile (by another server's cleanup).
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(error),
            };
            blobs.push(Blob { sha256, put_at, path });
        }
        Ok(blobs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_put_file_is_named_by_its_sha256_dated_now_and_listed() {
        let dir = tempfile::tempdir().unwrap();
        let folder = LocalFolder::open(dir.path().join("bundles")).unwrap();
        let upload = dir.path().join("upload.part");
        fs::write(&upload, b"bytes").unwrap();
        File::options().write(true).open(&upload).unwrap().set_modified(SystemTime::UNIX_EPOCH).unwrap();
        let sha256 = hex::sha256_hex(b"bytes");
        folder.put(&sha256, &upload).unwrap();
        assert!(!upload.exists());
        assert_eq!(fs::read(folder.path(&sha256)).unwrap(), b"bytes");
        fs::write(dir.path().join("bundles").join("stray.txt"), b"x").unwrap();
        let mut listed = folder.list().unwrap();
        listed.sort_by(|a, b| a.sha256.cmp(&b.sha256));
        assert_eq!(listed.iter().map(|blob| blob.sha256.clone()).collect::<Vec<_>>(), [None, Some(sha256.clone())]);
        assert!(listed[1].put_at.elapsed().unwrap().as_secs() < 60, "dated when put, not when written");
        folder.remove(&sha256).unwrap();
        folder.remove(&sha256).unwrap();
        assert!(!folder.path(&sha256).exists());
    }
}
