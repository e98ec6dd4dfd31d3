//! Takes the metadata out of a photo without touching its pixels, before the
//! store keeps it: phone photos carry EXIF (often the GPS position where the
//! photographer stood, the phone's model and serial numbers), XMP, IPTC and
//! comments, and stored photos travel in bundles to the kelurahan and the
//! city office.
//!
//! A JPEG keeps only the segments needed to render it (the JFIF header, the
//! ICC colour profile, Adobe's colour transform, and the tables, frame and
//! scans themselves), plus a new minimal EXIF holding only the orientation
//! when the photo was not upright, so a portrait photo still stands up. A PNG
//! loses its `eXIf`, `tEXt`, `zTXt`, `iTXt` and `tIME` chunks; the others are
//! kept byte for byte. Whatever follows the end of the image (a phone's
//! trailer, a motion photo's video) is dropped.

use image::metadata::Orientation;

/// A photo whose structure cannot be walked: cut short, a length past its
/// end, a marker or chunk where none can be.
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const PNG_DROPPED: [&[u8; 4]; 5] = [b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"];

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const TEM: u8 = 0x01;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;
const COM: u8 = 0xFE;
const EXIF_HEADER: &[u8] = b"Exif\0\0";

/// The photo (JPEG or PNG, told by its first bytes) without its metadata.
pub fn strip_metadata(photo: &[u8]) -> Result<Vec<u8>, Malformed> {
    if photo.starts_with(&[0xFF, SOI, 0xFF]) {
        strip_jpeg(photo)
    } else if photo.starts_with(PNG_SIGNATURE) {
        strip_png(photo)
    } else {
        Err(Malformed)
    }
}

fn strip_jpeg(jpeg: &[u8]) -> Result<Vec<u8>, Malformed> {
    let mut out = Vec::with_capacity(jpeg.len());
    out.extend_from_slice(&[0xFF, SOI]);
    let mut position = 2;
    let mut orientation = None;
    // Where a new EXIF goes: after the JFIF header when the file begins with
    // one (JFIF wants to come first), else right after the start of image.
    let mut exif_at = None;
    let mut scanned = false;
    loop {
        let marker = next_marker(jpeg, &mut position)?;
        match marker {
            EOI if scanned => {
                out.extend_from_slice(&[0xFF, EOI]);
                break;
            }
            TEM => {
                out.extend_from_slice(&[0xFF, TEM]);
                continue;
            }
            // A second start, an end before any scan, a restart outside a
            // scan or a stuffed zero is not a JPEG's structure.
            EOI | SOI | 0x00 | 0xD0..=0xD7 => return Err(Malformed),
            _ => {}
        }
        let length_bytes = jpeg.get(position..position + 2).ok_or(Malformed)?;
        let length = usize::from(u16::from_be_bytes([length_bytes[0], length_bytes[1]]));
        let end = position + length;
        if length < 2 || end > jpeg.len() {
            return Err(Malformed);
        }
        let payload = &jpeg[position + 2..end];
        if marker == APP1 && orientation.is_none() && payload.starts_with(EXIF_HEADER) {
            orientation = Some(Orientation::from_exif_chunk(&payload[EXIF_HEADER.len()..]));
        }
        let kept = renders(marker, payload);
        if exif_at.is_none() && !(kept && marker == APP0) {
            exif_at = Some(out.len());
        }
        if kept {
            out.extend_from_slice(&[0xFF, marker]);
            out.extend_from_slice(&jpeg[position..end]);
        }
        position = end;
        if marker == SOS {
            let scan_end = end_of_scan(jpeg, position)?;
            out.extend_from_slice(&jpeg[position..scan_end]);
            position = scan_end;
            scanned = true;
        }
    }
    let turned = orientation.flatten().map(Orientation::to_exif).filter(|&value| value != 1);
    if let (Some(value), Some(at)) = (turned, exif_at) {
        out.splice(at..at, orientation_segment(value));
    }
    Ok(out)
}

/// Reads the marker at `position` (after any fill bytes `FF`) and moves
/// past it.
fn next_marker(jpeg: &[u8], position: &mut usize) -> Result<u8, Malformed> {
    if jpeg.get(*position) != Some(&0xFF) {
        return Err(Malformed);
    }
    while jpeg.get(*position) == Some(&0xFF) {
        *position += 1;
    }
    let marker = *jpeg.get(*position).ok_or(Malformed)?;
    *position += 1;
    Ok(marker)
}

/// Where the entropy-coded data from `start` ends: at the first `FF` that
/// is neither a stuffed zero nor a restart marker.
fn end_of_scan(jpeg: &[u8], start: usize) -> Result<usize, Malformed> {
    let mut position = start;
    loop {
        let at = position + jpeg[position..].iter().position(|&byte| byte == 0xFF).ok_or(Malformed)?;
        match jpeg.get(at + 1) {
            None => return Err(Malformed),
            Some(0x00 | 0xD0..=0xD7) => position = at + 2,
            Some(_) => return Ok(at),
        }
    }
}

/// Whether a segment is needed to show the picture as it was taken: every
/// segment but the application ones and comments, and of the application
/// ones the JFIF header, the ICC colour profile and Adobe's colour transform.
fn renders(marker: u8, payload: &[u8]) -> bool {
    match marker {
        APP0 => payload.starts_with(b"JFIF\0"),
        APP2 => payload.starts_with(b"ICC_PROFILE\0"),
        APP14 => payload.starts_with(b"Adobe"),
        0xE1..=0xEF | COM => false,
        _ => true,
    }
}

/// An APP1 segment whose EXIF holds the orientation alone (big-endian TIFF,
/// one entry in the first directory, no next directory).
fn orientation_segment(orientation: u8) -> [u8; 36] {
    let mut segment = [
        0xFF, APP1, 0x00, 0x22, b'E', b'x', b'i', b'f', 0, 0, // marker, length 34, EXIF header
        b'M', b'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // TIFF header, first directory at 8
        0x00, 0x01, // one entry
        0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, // Orientation, SHORT, 1 value
        0x00, 0x00, 0x00, 0x00, // no next directory
    ];
    segment[29] = orientation;
    segment
}

fn strip_png(png: &[u8]) -> Result<Vec<u8>, Malformed> {
    let mut out = Vec::with_capacity(png.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut position = PNG_SIGNATURE.len();
    loop {
        let header = png.get(position..position + 8).ok_or(Malformed)?;
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let kind: &[u8; 4] = header[4..].try_into().map_err(|_| Malformed)?;
        let first = position == PNG_SIGNATURE.len();
        if length > i32::MAX as u32 || !kind.iter().all(u8::is_ascii_alphabetic) || first != (kind == b"IHDR") {
            return Err(Malformed);
        }
        // Length, type, data and CRC.
        let end = position.checked_add(12 + length as usize).ok_or(Malformed)?;
        let chunk = png.get(position..end).ok_or(Malformed)?;
        if !PNG_DROPPED.contains(&kind) {
            out.extend_from_slice(chunk);
        }
        position = end;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Cursor;

    use image::codecs::jpeg::JpegEncoder;
    use image::codecs::png::PngEncoder;
    use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, RgbImage};

    use super::*;

    const GPS_MARK: &[u8] = b"GPS-LINTANG-6.9175";
    const MAKE: &[u8] = b"PonselMerek-SN-0042";
    const XMP_MARK: &[u8] = b"xmp:CreatorTool=Kamera";
    const COMMENT: &[u8] = b"rumah Bu Euis RT 03";

    fn picture() -> RgbImage {
        RgbImage::from_fn(24, 16, |x, y| image::Rgb([(x * 10) as u8, (y * 15) as u8, 90]))
    }

    fn plain_jpeg() -> Vec<u8> {
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&picture()).unwrap();
        bytes
    }

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut segment = vec![0xFF, marker];
        segment.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        segment.extend_from_slice(payload);
        segment
    }

    /// A little-endian EXIF as a phone writes it: IFD0 with Make (ASCII,
    /// stored past the directory), Orientation and a pointer to a GPS
    /// directory holding a latitude reference and a made-up marker string.
    fn phone_exif(orientation: u16) -> Vec<u8> {
        let entry = |tag: u16, kind: u16, count: u32, value: u32| {
            [&tag.to_le_bytes()[..], &kind.to_le_bytes(), &count.to_le_bytes(), &value.to_le_bytes()].concat()
        };
        // TIFF header 8, IFD0 at 8: 2 + 3 × 12 + 4 = 42 → data from 50.
        let make_at = 50u32;
        let gps_at = make_at + MAKE.len() as u32 + 1;
        // GPS IFD: 2 + 2 × 12 + 4 = 30 → its string after it.
        let gps_mark_at = gps_at + 30;
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend(3u16.to_le_bytes());
        tiff.extend(entry(0x010F, 2, MAKE.len() as u32 + 1, make_at));
        tiff.extend(entry(0x0112, 3, 1, u32::from(orientation)));
        tiff.extend(entry(0x8825, 4, 1, gps_at));
        tiff.extend(0u32.to_le_bytes());
        tiff.extend(MAKE);
        tiff.push(0);
        tiff.extend(2u16.to_le_bytes());
        tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"S\0\0\0")));
        tiff.extend(entry(0x001B, 7, GPS_MARK.len() as u32, gps_mark_at));
        tiff.extend(0u32.to_le_bytes());
        tiff.extend(GPS_MARK);
        [EXIF_HEADER, &tiff].concat()
    }

    /// A phone photo: the encoder's JPEG with EXIF (GPS and Make), XMP, IPTC
    /// and a comment put in right after its JFIF header.
    fn phone_jpeg(orientation: u16) -> Vec<u8> {
        let plain = plain_jpeg();
        let jfif_end = 4 + usize::from(u16::from_be_bytes([plain[4], plain[5]]));
        let xmp = [&b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta "[..], XMP_MARK, b"/>"].concat();
        let iptc = [&b"Photoshop 3.0\08BIM\x04\x04"[..], GPS_MARK].concat();
        [
            &plain[..jfif_end],
            &segment(APP1, &phone_exif(orientation)),
            &segment(APP1, &xmp),
            &segment(0xED, &iptc),
            &segment(COM, COMMENT),
            &plain[jfif_end..],
        ]
        .concat()
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|window| window == needle)
    }

    fn pixels(bytes: &[u8]) -> Vec<u8> {
        image::load_from_memory(bytes).unwrap().into_rgb8().into_raw()
    }

    fn orientation(bytes: &[u8], format: ImageFormat) -> Orientation {
        ImageReader::with_format(Cursor::new(bytes), format).into_decoder().unwrap().orientation().unwrap()
    }

    #[test]
    fn a_phone_jpeg_loses_its_gps_make_xmp_and_comment_but_not_its_pixels() {
        let original = phone_jpeg(1);
        assert!(contains(&original, GPS_MARK) && contains(&original, MAKE));
        let stripped = strip_metadata(&original).unwrap();
        for mark in [GPS_MARK, MAKE, XMP_MARK, COMMENT, b"Exif", b"Photoshop"] {
            assert!(!contains(&stripped, mark), "{} is left", String::from_utf8_lossy(mark));
        }
        assert_eq!(pixels(&stripped), pixels(&original));
        assert_eq!(stripped, plain_jpeg(), "only the metadata went");
        assert!(!stripped.windows(2).any(|pair| pair == [0xFF, APP1]), "an upright photo gets no APP1");
    }

    #[test]
    fn a_turned_jpeg_keeps_its_orientation_alone() {
        let original = phone_jpeg(6);
        assert_eq!(orientation(&original, ImageFormat::Jpeg), Orientation::Rotate90);
        let stripped = strip_metadata(&original).unwrap();
        assert_eq!(orientation(&stripped, ImageFormat::Jpeg), Orientation::Rotate90);
        assert!(!contains(&stripped, GPS_MARK) && !contains(&stripped, MAKE));
        assert_eq!(pixels(&stripped), pixels(&original));
        // After the JFIF header, before the tables: JFIF stays first.
        assert_eq!(&stripped[2..4], [0xFF, APP0]);
        let mut decoder =
            ImageReader::with_format(Cursor::new(&stripped[..]), ImageFormat::Jpeg).into_decoder().unwrap();
        let turned = decoder.orientation().unwrap();
        let mut upright = DynamicImage::from_decoder(decoder).unwrap();
        upright.apply_orientation(turned);
        assert_eq!((upright.width(), upright.height()), (16, 24), "a portrait photo stands up");
    }

    #[test]
    fn colour_segments_stay_and_a_trailer_after_the_image_goes() {
        let plain = plain_jpeg();
        let icc = segment(APP2, b"ICC_PROFILE\0\x01\x01profile");
        let adobe = segment(APP14, b"Adobe\0\x64\0\0\0\0\x01");
        let mpf = segment(APP2, b"MPF\0second picture");
        let original = [&plain[..2], &icc, &mpf, &adobe, &plain[2..], b"motion photo video"].concat();
        let stripped = strip_metadata(&original).unwrap();
        assert_eq!(stripped, [&plain[..2], &icc, &adobe, &plain[2..]].concat());
    }

    #[test]
    fn a_png_loses_its_text_exif_and_time_chunks_and_keeps_the_rest_byte_for_byte() {
        let mut plain = Vec::new();
        let image = picture();
        PngEncoder::new(&mut plain).write_image(&image, 24, 16, image::ExtendedColorType::Rgb8).unwrap();
        let ihdr_end = 8 + 25;
        let original = [
            &plain[..ihdr_end],
            &png_chunk(b"tEXt", &[&b"Comment\0"[..], COMMENT].concat()),
            &png_chunk(b"eXIf", &phone_exif(1)[EXIF_HEADER.len()..]),
            &png_chunk(b"iTXt", &[&b"XML:com.adobe.xmp\0\0\0\0\0"[..], XMP_MARK].concat()),
            &png_chunk(b"zTXt", b"Raw profile type exif\0\0x"),
            &png_chunk(b"tIME", &[7, 234, 12, 7, 13, 0, 0]),
            &plain[ihdr_end..],
            b"after the end",
        ]
        .concat();
        assert!(contains(&original, MAKE));
        let stripped = strip_metadata(&original).unwrap();
        assert_eq!(stripped, plain);
        assert_eq!(pixels(&stripped), pixels(&original));
        let with_gamma =
            [&plain[..ihdr_end], &png_chunk(b"gAMA", &45_455u32.to_be_bytes()), &plain[ihdr_end..]].concat();
        assert_eq!(strip_metadata(&with_gamma).unwrap(), with_gamma);
    }

    pub(crate) fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut chunk = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        chunk.extend_from_slice(kind);
        chunk.extend_from_slice(data);
        chunk.extend_from_slice(&crc32(&chunk[4..]).to_be_bytes());
        chunk
    }

    /// CRC-32 (IEEE), as PNG chunks carry it.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn every_cut_of_a_photo_and_lengths_past_the_end_are_refused_without_panicking() {
        let jpeg = phone_jpeg(6);
        for cut in 0..jpeg.len() {
            assert_eq!(strip_metadata(&jpeg[..cut]), Err(Malformed), "JPEG cut at {cut}");
        }
        let mut png = Vec::new();
        PngEncoder::new(&mut png).write_image(&picture(), 24, 16, image::ExtendedColorType::Rgb8).unwrap();
        for cut in 0..png.len() {
            assert_eq!(strip_metadata(&png[..cut]), Err(Malformed), "PNG cut at {cut}");
        }
        // The EXIF segment claiming more than the file holds.
        let mut long_segment = jpeg.clone();
        let app1 = long_segment.windows(2).position(|pair| pair == [0xFF, APP1]).unwrap();
        long_segment[app1 + 2..app1 + 4].copy_from_slice(&u16::MAX.to_be_bytes());
        let mut short_segment = jpeg.clone();
        short_segment[app1 + 2..app1 + 4].copy_from_slice(&1u16.to_be_bytes());
        let mut long_chunk = png.clone();
        long_chunk[8..12].copy_from_slice(&u32::MAX.to_be_bytes());
        let mut no_ihdr = png.clone();
        no_ihdr[12..16].copy_from_slice(b"IDAT");
        let garbage: Vec<u8> = (0..4096u32).map(|index| (index.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for bad in [
            long_segment,
            short_segment,
            long_chunk,
            no_ihdr,
            [&[0xFF, SOI, 0xFF][..], &garbage].concat(),
            [PNG_SIGNATURE, &garbage].concat(),
            [&jpeg[..2], &[0xFF, SOI], &jpeg[2..]].concat(),
            b"\xFF\xD8\xFF\xD9".to_vec(),
            garbage,
            Vec::new(),
        ] {
            assert_eq!(strip_metadata(&bad), Err(Malformed));
        }
    }
}
