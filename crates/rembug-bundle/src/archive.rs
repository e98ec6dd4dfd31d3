//! A strict reader of the ZIP subset bundles use: one disk, no ZIP64, no
//! encryption, stored entries, regular files with safe relative names. It
//! reads the central directory and each local header by hand, so every
//! refusal has its own reason and no entry is ever inflated.

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};

use crate::error::{BundleError, Result};
use crate::format::{MAX_BUNDLE_BYTES, MAX_ENTRIES, MAX_ENTRY_BYTES, ZIP_BOMB_RATIO};

const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const LOCAL_HEADER: u32 = 0x0403_4b50;
const END_LEN: u64 = 22;
const LOCAL_LEN: usize = 30;
const MAX_COMMENT: u64 = 0xffff;
/// Bit 0: traditional encryption; bit 6: strong encryption.
const FLAG_ENCRYPTED: u16 = 0x0041;
const HOST_UNIX: u8 = 3;
// The canonical header fields every bundle entry has (`docs/bundle-format.md`):
// made by Unix, ZIP 1.0; no flags; 1980-01-01 00:00; no extra field or
// comment; a regular file of mode 0644. Anything else was not written by a
// bundle writer, so a changed byte anywhere in a header is refused.
const MADE_BY: u16 = 0x030a;
const VERSION_NEEDED: u16 = 10;
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = 0x21;
const EXTERNAL_REGULAR_0644: u32 = 0o100644 << 16;
const UNIX_TYPE_MASK: u32 = 0o170000;
const UNIX_SYMLINK: u32 = 0o120000;
const UNIX_REGULAR: u32 = 0o100000;
const DOS_DIRECTORY: u32 = 0x10;
/// Room for every entry's header and a generous name.
const MAX_DIRECTORY_BYTES: u64 = MAX_ENTRIES as u64 * 512;

/// One entry, checked: where its bytes are and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub size: u64,
    /// The CRC-32 both headers declare; the verifier checks it against the data.
    pub crc32: u32,
    data_offset: u64,
}

/// The checked table of contents of a bundle.
#[derive(Debug)]
pub struct Archive {
    pub entries: Vec<Entry>,
    pub file_size: u64,
}

impl Archive {
    pub fn read<R: Read + Seek>(reader: &mut R) -> Result<Archive> {
        let file_size = reader.seek(SeekFrom::End(0))?;
        if file_size > MAX_BUNDLE_BYTES {
            return Err(BundleError::BundleTooLarge);
        }
        if file_size < END_LEN {
            return Err(BundleError::NotAZip);
        }
        let end = find_end(reader, file_size)?;
        let (count, directory_size, directory_offset) = end;
        if count > MAX_ENTRIES {
            return Err(BundleError::TooManyEntries);
        }
        let end_offset = file_size - END_LEN;
        if directory_offset.checked_add(directory_size).is_none_or(|stop| stop > end_offset) {
            return Err(BundleError::Truncated);
        }
        if directory_size > MAX_DIRECTORY_BYTES {
            return Err(BundleError::TooManyEntries);
        }
        reader.seek(SeekFrom::Start(directory_offset))?;
        let mut directory = vec![0u8; directory_size as usize];
        reader.read_exact(&mut directory)?;
        let mut cursor = Bytes { data: &directory, at: 0 };
        let mut names = HashSet::new();
        let mut headers = Vec::with_capacity(count);
        for _ in 0..count {
            let header = central_header(&mut cursor)?;
            if !names.insert(header.name.clone()) {
                return Err(BundleError::DuplicateEntry(header.name));
            }
            headers.push(header);
        }
        if cursor.at != directory.len() {
            return Err(BundleError::ZipUnsupported("bytes after the central directory"));
        }
        let mut entries = Vec::with_capacity(count);
        for header in headers {
            entries.push(local_entry(reader, header, directory_offset)?);
        }
        check_layout(&entries, directory_offset)?;
        Ok(Archive { entries, file_size })
    }

    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.name == name)
    }

    /// The entry's bytes, as a reader that stops at its end.
    pub fn open<'r, R: Read + Seek>(&self, reader: &'r mut R, entry: &Entry) -> Result<std::io::Take<&'r mut R>> {
        reader.seek(SeekFrom::Start(entry.data_offset))?;
        Ok(reader.take(entry.size))
    }
}

/// The end of central directory record: (entries, directory size, offset).
fn find_end<R: Read + Seek>(reader: &mut R, file_size: u64) -> Result<(usize, u64, u64)> {
    let tail_len = file_size.min(END_LEN + MAX_COMMENT);
    reader.seek(SeekFrom::Start(file_size - tail_len))?;
    let mut tail = vec![0u8; tail_len as usize];
    reader.read_exact(&mut tail)?;
    // The record is followed by exactly its comment: find the last signature
    // whose comment length brings us to the end of the file.
    let position = (0..=tail.len() - END_LEN as usize)
        .rev()
        .find(|&at| {
            u32::from_le_bytes(tail[at..at + 4].try_into().unwrap()) == END_OF_CENTRAL_DIRECTORY
                && at + END_LEN as usize + usize::from(u16::from_le_bytes([tail[at + 20], tail[at + 21]])) == tail.len()
        })
        .ok_or_else(|| if starts_like_zip(reader) { BundleError::Truncated } else { BundleError::NotAZip })?;
    if position + END_LEN as usize != tail.len() {
        return Err(BundleError::ArchiveComment);
    }
    let mut record = Bytes { data: &tail[position..], at: 4 };
    let disk = record.u16()?;
    let directory_disk = record.u16()?;
    let on_disk = record.u16()?;
    let total = record.u16()?;
    let size = record.u32()?;
    let offset = record.u32()?;
    if disk != 0 || directory_disk != 0 || on_disk != total {
        return Err(BundleError::ZipUnsupported("several disks"));
    }
    if total == 0xffff || size == 0xffff_ffff || offset == 0xffff_ffff {
        return Err(BundleError::ZipUnsupported("ZIP64"));
    }
    if file_size - tail_len + position as u64 != u64::from(offset) + u64::from(size) {
        return Err(BundleError::Truncated);
    }
    Ok((usize::from(total), u64::from(size), u64::from(offset)))
}

/// A file that starts as a ZIP but has no end record was cut short.
fn starts_like_zip<R: Read + Seek>(reader: &mut R) -> bool {
    let mut magic = [0u8; 4];
    reader.seek(SeekFrom::Start(0)).is_ok()
        && reader.read_exact(&mut magic).is_ok()
        && u32::from_le_bytes(magic) == LOCAL_HEADER
}

struct CentralHeader {
    name: String,
    crc32: u32,
    size: u64,
    local_offset: u64,
}

fn central_header(cursor: &mut Bytes<'_>) -> Result<CentralHeader> {
    if cursor.u32()? != CENTRAL_HEADER {
        return Err(BundleError::Truncated);
    }
    let made_by = cursor.u16()?;
    let needed = cursor.u16()?;
    let flags = cursor.u16()?;
    let method = cursor.u16()?;
    let time = cursor.u16()?;
    let date = cursor.u16()?;
    let crc32 = cursor.u32()?;
    let compressed = u64::from(cursor.u32()?);
    let size = u64::from(cursor.u32()?);
    let name_len = usize::from(cursor.u16()?);
    let extra_len = usize::from(cursor.u16()?);
    let comment_len = usize::from(cursor.u16()?);
    let disk = cursor.u16()?;
    let internal = cursor.u16()?;
    let external = cursor.u32()?;
    let local_offset = u64::from(cursor.u32()?);
    let name = check_name(cursor.take(name_len)?)?;
    cursor.take(extra_len + comment_len)?;
    if disk != 0 {
        return Err(BundleError::ZipUnsupported("several disks"));
    }
    if compressed == 0xffff_ffff || size == 0xffff_ffff || local_offset == 0xffff_ffff {
        return Err(BundleError::ZipUnsupported("ZIP64"));
    }
    if flags & FLAG_ENCRYPTED != 0 {
        return Err(BundleError::ZipEncrypted(name));
    }
    check_file_type(&name, (made_by >> 8) as u8, external)?;
    if method != 0 {
        return Err(if size > compressed.saturating_mul(ZIP_BOMB_RATIO) {
            BundleError::ZipBomb(name)
        } else {
            BundleError::CompressionUnsupported(name)
        });
    }
    if compressed != size {
        return Err(BundleError::SizeMismatch(name));
    }
    if size > MAX_ENTRY_BYTES {
        return Err(BundleError::EntryTooLarge(name));
    }
    let canonical = made_by == MADE_BY
        && needed == VERSION_NEEDED
        && flags == 0
        && (time, date) == (DOS_TIME, DOS_DATE)
        && extra_len + comment_len == 0
        && internal == 0
        && external == EXTERNAL_REGULAR_0644;
    if !canonical {
        return Err(BundleError::ZipUnsupported("header fields differ from the canonical ones"));
    }
    Ok(CentralHeader { name, crc32, size, local_offset })
}

/// Reads the entry's local header and checks it says what the central
/// directory says.
fn local_entry<R: Read + Seek>(reader: &mut R, header: CentralHeader, directory_offset: u64) -> Result<Entry> {
    if header.local_offset + LOCAL_LEN as u64 > directory_offset {
        return Err(BundleError::Truncated);
    }
    reader.seek(SeekFrom::Start(header.local_offset))?;
    let mut fixed = [0u8; LOCAL_LEN];
    reader.read_exact(&mut fixed)?;
    let mut local = Bytes { data: &fixed, at: 0 };
    if local.u32()? != LOCAL_HEADER {
        return Err(BundleError::Truncated);
    }
    let needed = local.u16()?;
    let flags = local.u16()?;
    let method = local.u16()?;
    let time = local.u16()?;
    let date = local.u16()?;
    let crc32 = local.u32()?;
    let compressed = u64::from(local.u32()?);
    let size = u64::from(local.u32()?);
    let name_len = u64::from(local.u16()?);
    let extra_len = u64::from(local.u16()?);
    let data_offset = header.local_offset + LOCAL_LEN as u64 + name_len + extra_len;
    if data_offset + header.size > directory_offset {
        return Err(BundleError::Truncated);
    }
    let mut name = vec![0u8; name_len as usize];
    reader.read_exact(&mut name)?;
    let agrees = name == header.name.as_bytes()
        && (needed, flags, method, time, date, extra_len) == (VERSION_NEEDED, 0, 0, DOS_TIME, DOS_DATE, 0)
        && (crc32, compressed, size) == (header.crc32, header.size, header.size);
    if !agrees {
        return Err(BundleError::ZipUnsupported("local header differs from the central directory"));
    }
    Ok(Entry { name: header.name, size: header.size, crc32: header.crc32, data_offset })
}

/// Entries lie end to end from offset 0 up to the central directory, in its
/// order. Two entries sharing bytes are how some zip bombs multiply one
/// payload; bytes between entries would hide content from the hashes.
fn check_layout(entries: &[Entry], directory_offset: u64) -> Result<()> {
    let mut expected_start = 0;
    for entry in entries {
        let start = entry.data_offset - LOCAL_LEN as u64 - entry.name.len() as u64;
        if start < expected_start {
            return Err(BundleError::EntriesOverlap);
        }
        if start > expected_start {
            return Err(BundleError::ZipUnsupported("bytes between entries"));
        }
        expected_start = entry.data_offset + entry.size;
    }
    if expected_start != directory_offset {
        return Err(BundleError::ZipUnsupported("bytes before the central directory"));
    }
    Ok(())
}

/// A relative path of plain segments, `/`-separated, printable ASCII.
fn check_name(raw: &[u8]) -> Result<String> {
    let lossy = || String::from_utf8_lossy(raw).into_owned();
    let name = std::str::from_utf8(raw).map_err(|_| BundleError::NameInvalid(lossy()))?;
    let owned = || name.to_owned();
    if name.starts_with('/') || name.as_bytes().get(1) == Some(&b':') {
        return Err(BundleError::AbsolutePath(owned()));
    }
    if name.contains('\\') {
        // A backslash is a separator on Windows: `..\x` would climb out there.
        return Err(if name.split(['\\', '/']).any(|part| part == "..") {
            BundleError::PathTraversal(owned())
        } else {
            BundleError::NameInvalid(owned())
        });
    }
    if name.split('/').any(|part| part == "..") {
        return Err(BundleError::PathTraversal(owned()));
    }
    if name.is_empty()
        || name.split('/').any(|part| part.is_empty() || part == ".")
        || name.chars().any(char::is_control)
    {
        return Err(BundleError::NameInvalid(owned()));
    }
    // Printable ASCII only: no look-alike letters on a file list or a terminal.
    if !name.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return Err(BundleError::NameNotAscii(owned()));
    }
    Ok(name.to_owned())
}

fn check_file_type(name: &str, host: u8, external: u32) -> Result<()> {
    if external & DOS_DIRECTORY != 0 {
        return Err(BundleError::NotAFile(name.to_owned()));
    }
    if host == HOST_UNIX {
        match (external >> 16) & UNIX_TYPE_MASK {
            UNIX_SYMLINK => return Err(BundleError::Symlink(name.to_owned())),
            0 | UNIX_REGULAR => {}
            _ => return Err(BundleError::NotAFile(name.to_owned())),
        }
    }
    Ok(())
}

/// Little-endian fields from a byte slice; running out is truncation.
struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Bytes<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let slice = self.data.get(self.at..self.at + len).ok_or(BundleError::Truncated)?;
        self.at += len;
        Ok(slice)
    }

    fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().expect("two bytes")))
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("four bytes")))
    }
}
