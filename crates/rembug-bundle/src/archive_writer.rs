//! The writing side of `archive.rs`: the canonical ZIP of
//! `docs/bundle-format.md`, written front to back without ever seeking back,
//! so the SHA-256 of the whole file is computed as its bytes go out. The
//! price is that each entry's CRC-32 and size, which its local header holds,
//! are known before its data is written.

use std::io::{self, Write};

use sha2::{Digest, Sha256};

use crate::error::{BundleError, Result};
use rembug_core::hex;

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
/// Made by Unix, ZIP 1.0.
const MADE_BY: u16 = 0x030a;
const VERSION_NEEDED: u16 = 10;
/// 1980-01-01 00:00: DOS time 0, date 0x0021.
const DOS_TIME_DATE: [u8; 4] = [0, 0, 0x21, 0];
const EXTERNAL_REGULAR_0644: u32 = 0o100644 << 16;

/// What an entry's headers say of its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryShape {
    pub crc32: u32,
    pub size: u64,
}

/// Writes entries one after the other, then the central directory.
pub struct ArchiveWriter<W> {
    out: W,
    hasher: Sha256,
    written: u64,
    directory: Vec<(String, EntryShape, u64)>,
}

impl<W: Write> ArchiveWriter<W> {
    pub fn new(out: W) -> Self {
        ArchiveWriter { out, hasher: Sha256::new(), written: 0, directory: Vec::new() }
    }

    /// Writes the entry `name`, whose data `write` writes and must be
    /// exactly of `shape`; data that differs (a source changed since it was
    /// measured) is refused as [`BundleError::AttachmentCorrupt`].
    pub fn entry(
        &mut self,
        name: &str,
        shape: EntryShape,
        write: impl FnOnce(&mut EntryData<'_, W>) -> Result<()>,
    ) -> Result<()> {
        let offset = self.written;
        let mut header = LOCAL_HEADER.to_le_bytes().to_vec();
        shared_fields(&mut header, name, shape)?;
        // No extra field.
        header.extend(0u16.to_le_bytes());
        header.extend(name.as_bytes());
        small(offset + header.len() as u64 + shape.size)?;
        self.put(&header)?;
        let mut data = EntryData { archive: self, size: 0, crc: crc32fast::Hasher::new() };
        write(&mut data)?;
        let (size, crc32) = (data.size, data.crc.finalize());
        if (EntryShape { crc32, size }) != shape {
            return Err(BundleError::AttachmentCorrupt(name.to_owned()));
        }
        self.directory.push((name.to_owned(), shape, offset));
        Ok(())
    }

    /// Writes the central directory and its end record; answers the output,
    /// the SHA-256 and the size of everything written.
    pub fn finish(mut self) -> Result<(W, String, u64)> {
        let directory_offset = self.written;
        let mut directory = Vec::new();
        for (name, shape, offset) in &self.directory {
            directory.extend(CENTRAL_HEADER.to_le_bytes());
            directory.extend(MADE_BY.to_le_bytes());
            shared_fields(&mut directory, name, *shape)?;
            // No extra field or comment, disk 0, internal attributes 0.
            directory.extend([0; 8]);
            directory.extend(EXTERNAL_REGULAR_0644.to_le_bytes());
            directory.extend(small(*offset)?.to_le_bytes());
            directory.extend(name.as_bytes());
        }
        let count = u16::try_from(self.directory.len()).map_err(|_| BundleError::TooManyEntries)?;
        let directory_size = small(directory.len() as u64)?;
        directory.extend(END_OF_CENTRAL_DIRECTORY.to_le_bytes());
        // Disk 0, directory on disk 0.
        directory.extend([0; 4]);
        directory.extend(count.to_le_bytes());
        directory.extend(count.to_le_bytes());
        directory.extend(directory_size.to_le_bytes());
        directory.extend(small(directory_offset)?.to_le_bytes());
        // No archive comment.
        directory.extend(0u16.to_le_bytes());
        small(directory_offset + directory.len() as u64)?;
        self.put(&directory)?;
        Ok((self.out, hex::encode(&self.hasher.finalize()), self.written))
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.hasher.update(bytes);
        self.written += bytes.len() as u64;
        Ok(())
    }
}

/// The data of one entry as it is written, CRC-32 and size counted.
pub struct EntryData<'a, W> {
    archive: &'a mut ArchiveWriter<W>,
    size: u64,
    crc: crc32fast::Hasher,
}

impl<W: Write> Write for EntryData<'_, W> {
    fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        self.archive.put(buffer)?;
        self.crc.update(buffer);
        self.size += buffer.len() as u64;
        Ok(buffer.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.archive.out.flush()
    }
}

/// The fields both headers share, up to the name's length: version needed,
/// no flags, stored, 1980-01-01 00:00, CRC-32, both sizes, name length.
fn shared_fields(out: &mut Vec<u8>, name: &str, shape: EntryShape) -> Result<()> {
    let size = small(shape.size)?;
    out.extend(VERSION_NEEDED.to_le_bytes());
    out.extend([0; 4]);
    out.extend(DOS_TIME_DATE);
    out.extend(shape.crc32.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(u16::try_from(name.len()).map_err(|_| BundleError::NameInvalid(name.to_owned()))?.to_le_bytes());
    Ok(())
}

/// A size or offset that fits the 32 bits of a ZIP without ZIP64.
fn small(value: u64) -> Result<u32> {
    u32::try_from(value).map_err(|_| BundleError::BundleTooLarge)
}
