//! Getting a bundle onto the disk while it is still being written. With
//! gigabytes of memory the kernel keeps every page of a 1 GB bundle dirty
//! until the final `fsync`, which then waits for the whole disk write after
//! all the hashing is done; asking for write-out every few MiB lets the disk
//! work while the CPU hashes. Only a hint: the `fsync` before the rename is
//! still what makes the bundle durable.

use std::fs::File;
use std::io::{self, Write};

/// How much is written between two requests for write-out.
const STEP: u64 = 8 << 20;

/// Writes to a file, starting its write-out every [`STEP`] bytes.
pub struct EarlyWriteback<'f> {
    file: &'f File,
    written: u64,
    started: u64,
}

impl<'f> EarlyWriteback<'f> {
    pub fn new(file: &'f File) -> Self {
        EarlyWriteback { file, written: 0, started: 0 }
    }
}

impl Write for EarlyWriteback<'_> {
    fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        let written = self.file.write(buffer)?;
        self.written += written as u64;
        if self.written - self.started >= STEP {
            start_write_out(self.file, self.started, self.written - self.started);
            self.started = self.written;
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Starts writing the range to disk without waiting for it. A failure is
/// ignored: the `fsync` that follows reports any real one.
#[cfg(target_os = "linux")]
fn start_write_out(file: &File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else { return };
    // SAFETY: the descriptor is `file`'s, open for the whole call, and
    // sync_file_range touches no memory of this process.
    let _ = unsafe { libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE) };
}

/// Elsewhere the whole write waits for the `fsync`.
#[cfg(not(target_os = "linux"))]
fn start_write_out(_: &File, _: u64, _: u64) {}
