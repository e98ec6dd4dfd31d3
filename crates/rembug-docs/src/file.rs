//! Writing a finished document: to a temporary file beside the target,
//! flushed, then renamed, so a half-written file never takes the target's
//! name (the CLI's `--out`, the app's save dialog, its print folder).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub fn write_atomically(out: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = temporary_path(out);
    let written = File::create(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| fs::rename(&temporary, out));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// ".NAME.PID.tmp" in the target's own folder, so the rename stays on one
/// file system.
fn temporary_path(out: &Path) -> PathBuf {
    let name = out.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    out.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_replaced_whole_and_nothing_is_left_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("berita-acara.pdf");
        write_atomically(&out, b"pertama").unwrap();
        write_atomically(&out, b"kedua").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"kedua");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let missing_folder = dir.path().join("tidak-ada").join("x.pdf");
        assert!(write_atomically(&missing_folder, b"x").is_err());
    }
}
