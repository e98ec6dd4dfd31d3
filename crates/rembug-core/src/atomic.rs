//! The one way Rembug writes a file that must be whole or absent:
//! attachments, bundles, documents, keys. The bytes go to a temporary file
//! beside the target, created exclusively under a unique name (never
//! following a symlink someone planted there), flushed to disk, renamed over
//! the target, and the folder flushed so the rename itself survives a power
//! cut. A temporary file that was not committed is removed when dropped.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A file being written, not yet under its final name.
pub struct AtomicFile {
    temporary: PathBuf,
    file: File,
    committed: bool,
}

impl AtomicFile {
    /// A temporary file in `dir` (where the target will be): for a target
    /// named only once the bytes are known, such as a file named by its hash.
    pub fn in_dir(dir: &Path) -> io::Result<AtomicFile> {
        AtomicFile::create(dir.join(format!(".incoming-{}", uuid::Uuid::now_v7())), false)
    }

    /// A temporary file beside `target`.
    pub fn beside(target: &Path) -> io::Result<AtomicFile> {
        AtomicFile::create(temporary_beside(target)?, false)
    }

    /// [`AtomicFile::beside`], readable and writable by the owner only: a key.
    pub fn private_beside(target: &Path) -> io::Result<AtomicFile> {
        AtomicFile::create(temporary_beside(target)?, true)
    }

    fn create(temporary: PathBuf, private: bool) -> io::Result<AtomicFile> {
        let mut options = File::options();
        // create_new is O_CREAT|O_EXCL: it fails on any existing name, a
        // symlink included (POSIX), so the write never lands where a planted
        // link points.
        options.write(true).create_new(true);
        #[cfg(unix)]
        if private {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        let file = options.open(&temporary)?;
        Ok(AtomicFile { temporary, file, committed: false })
    }

    pub fn file(&self) -> &File {
        &self.file
    }

    /// Flushes the bytes, renames the file to `target` (replacing it) and
    /// flushes the folder.
    pub fn commit(mut self, target: &Path) -> io::Result<()> {
        self.file.sync_all()?;
        fs::rename(&self.temporary, target)?;
        self.committed = true;
        sync_dir(parent_of(target))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        self.file.write(buffer)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

/// Writes `bytes` to `target` whole or not at all.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::beside(target)?;
    file.write_all(bytes)?;
    file.commit(target)
}

/// [`write_atomically`], readable and writable by the owner only.
pub fn write_private_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::private_beside(target)?;
    file.write_all(bytes)?;
    file.commit(target)
}

/// Makes a rename durable: on Unix the directory entry itself must be flushed.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// ".NAME.<uuid>.partial" in the target's own folder, so the rename stays on
/// one file system.
fn temporary_beside(target: &Path) -> io::Result<PathBuf> {
    let name = target.file_name().ok_or_else(|| io::Error::other("the path names no file"))?;
    Ok(target.with_file_name(format!(".{}.{}.partial", name.to_string_lossy(), uuid::Uuid::now_v7())))
}

fn parent_of(path: &Path) -> &Path {
    path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn the_target_is_replaced_whole_and_nothing_is_left_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("berita-acara.pdf");
        write_atomically(&out, b"pertama").unwrap();
        write_atomically(&out, b"kedua").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"kedua");
        assert_eq!(names(dir.path()), ["berita-acara.pdf"]);
        assert!(write_atomically(&dir.path().join("tidak-ada").join("x.pdf"), b"x").is_err());
    }

    #[test]
    fn a_file_not_committed_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = AtomicFile::in_dir(dir.path()).unwrap();
        file.write_all(b"setengah").unwrap();
        assert_eq!(names(dir.path()).len(), 1);
        drop(file);
        assert!(names(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_key_is_private_and_a_planted_link_is_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("office.key");
        write_private_atomically(&key, b"rahasia").unwrap();
        assert_eq!(fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
        // Whatever name a temporary file takes, one that exists (a symlink
        // included) is refused rather than written through.
        let elsewhere = dir.path().join("elsewhere");
        let planted = dir.path().join(".planted");
        std::os::unix::fs::symlink(&elsewhere, &planted).unwrap();
        assert!(AtomicFile::create(planted, false).is_err());
        assert!(!elsewhere.exists());
    }
}
