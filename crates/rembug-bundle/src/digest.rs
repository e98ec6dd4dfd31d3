//! SHA-256 computed while bytes pass through, so nothing is read twice.

use std::io::{self, Read, Write};

pub use rembug_core::hex::sha256_hex;
use sha2::{Digest, Sha256};

/// Hashes and counts what is written through it.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> HashingWriter<W> {
    pub fn new(inner: W) -> Self {
        HashingWriter { inner, hasher: Sha256::new(), size: 0 }
    }

    /// (lower-case hex SHA-256, bytes written).
    pub fn finish(self) -> (String, u64) {
        (rembug_core::hex::encode(&self.hasher.finalize()), self.size)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buffer)?;
        self.hasher.update(&buffer[..written]);
        self.size += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Copies `source` to `target` in fixed-size pieces; answers the SHA-256 and
/// length of what passed.
pub fn copy_hashing(source: &mut impl Read, target: &mut impl Write) -> io::Result<(String, u64)> {
    let mut hashing = HashingWriter::new(target);
    io::copy(source, &mut hashing)?;
    Ok(hashing.finish())
}
