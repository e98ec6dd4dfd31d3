//! Photos of an usulan, as imported from files: checked, and downscaled for
//! storage when large, so ten phone photos per usulan do not swell the data
//! folder and the bundles sent to the office.
//!
//! Only JPEG and PNG are accepted, recognised by their first bytes whatever
//! the file is called. Absurd inputs are refused before any pixel is decoded:
//! the file size while reading, the image size from its header. Whatever is
//! stored carries no metadata: a photo kept as it is loses its EXIF (GPS
//! position, phone model) and the like losslessly (`photo_metadata`), and a
//! downscaled copy is written without any.

use std::io::{Cursor, Read};

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};

use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::photo_metadata::strip_metadata;

pub const PHOTOS_PER_USULAN: u8 = 10;
/// Larger than any phone photo; a bigger file is not a photo of a street.
pub const PHOTO_MAX_BYTES: u64 = 40 * 1024 * 1024;
/// Per side. Decoding is refused above it, so a small file claiming huge
/// dimensions (a decompression bomb) never allocates its pixels.
pub const PHOTO_MAX_SIDE: u32 = 12_000;
/// Long edge of a stored photo: sharp on a projector, about 300 KB as JPEG.
pub const STORED_LONG_EDGE: u32 = 1_600;
pub const STORED_JPEG_QUALITY: u8 = 82;

/// What is stored for an imported photo.
#[derive(Debug)]
pub struct PreparedPhoto {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    /// The imported file without its metadata, when `bytes` is a downscaled
    /// copy of it.
    pub original: Option<Vec<u8>>,
}

/// Reads a whole photo file, refusing one over [`PHOTO_MAX_BYTES`] without
/// reading further.
pub fn read_photo(source: impl Read) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    source.take(PHOTO_MAX_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > PHOTO_MAX_BYTES {
        return Err(refused(FieldCode::PhotoTooLarge));
    }
    Ok(bytes)
}

/// Checks an imported photo and answers what to store: the file itself
/// without its metadata when it is small enough, else a JPEG whose long edge
/// is [`STORED_LONG_EDGE`].
pub fn prepare_photo(original: &[u8]) -> Result<PreparedPhoto> {
    let format = sniff_format(original).ok_or_else(|| refused(FieldCode::PhotoFormatUnsupported))?;
    let (width, height) = reader(original, format).into_dimensions().map_err(decode_refusal)?;
    if width == 0 || height == 0 {
        return Err(refused(FieldCode::PhotoUnreadable));
    }
    if width > PHOTO_MAX_SIDE || height > PHOTO_MAX_SIDE {
        return Err(refused(FieldCode::PhotoDimensionsTooLarge));
    }
    let stripped = strip_metadata(original).map_err(|_| refused(FieldCode::PhotoUnreadable))?;
    if width.max(height) <= STORED_LONG_EDGE {
        return Ok(PreparedPhoto { bytes: stripped, media_type: media_type(format), original: None });
    }
    let image = decode_upright(original, format).map_err(decode_refusal)?;
    let smaller = image.resize(STORED_LONG_EDGE, STORED_LONG_EDGE, FilterType::Triangle).into_rgb8();
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, STORED_JPEG_QUALITY)
        .encode_image(&smaller)
        .map_err(|error| CoreError::Corrupt(error.to_string()))?;
    Ok(PreparedPhoto { bytes, media_type: "image/jpeg", original: Some(stripped) })
}

/// Decodes the pixels turned as the camera meant them: the re-encoded copy
/// carries no EXIF orientation, so a portrait photo would otherwise lie down.
fn decode_upright(original: &[u8], format: ImageFormat) -> image::ImageResult<DynamicImage> {
    let mut decoder = reader(original, format).into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// A reader with the crate's default limits (at most 512 MiB allocated),
/// beside the side limit checked from the header.
fn reader(bytes: &[u8], format: ImageFormat) -> ImageReader<Cursor<&[u8]>> {
    ImageReader::with_format(Cursor::new(bytes), format)
}

/// The media type of a photo in a format the app stores, from its first
/// eight bytes.
pub fn photo_media_type(head: &[u8]) -> Option<&'static str> {
    sniff_format(head).map(media_type)
}

fn sniff_format(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else {
        None
    }
}

fn media_type(format: ImageFormat) -> &'static str {
    if format == ImageFormat::Png { "image/png" } else { "image/jpeg" }
}

/// The decoder's own memory limit refuses what our side limit lets through
/// (a 12,000 px square with an alpha channel needs more than 512 MiB).
fn decode_refusal(error: ImageError) -> CoreError {
    match error {
        ImageError::Limits(_) => refused(FieldCode::PhotoDimensionsTooLarge),
        _ => refused(FieldCode::PhotoUnreadable),
    }
}

fn refused(code: FieldCode) -> CoreError {
    CoreError::Validation(vec![FieldError::new("photo", code)])
}

#[cfg(test)]
mod tests {
    use image::{ImageEncoder, RgbImage};

    use super::*;
    use crate::photo_metadata::tests::png_chunk;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&image).unwrap();
        bytes
    }

    fn code(error: CoreError) -> FieldCode {
        error.field_errors()[0].code
    }

    fn dimensions(bytes: &[u8]) -> (u32, u32) {
        image::load_from_memory(bytes).map(|image| (image.width(), image.height())).unwrap()
    }

    #[test]
    fn a_large_photo_is_downscaled_keeping_its_proportions() {
        let prepared = prepare_photo(&jpeg(2400, 3200)).unwrap();
        assert!(prepared.original.is_some());
        assert_eq!(prepared.media_type, "image/jpeg");
        assert_eq!(dimensions(&prepared.bytes), (1200, 1600));
    }

    #[test]
    fn a_small_photo_is_stored_as_it_is() {
        let original = jpeg(800, 600);
        let prepared = prepare_photo(&original).unwrap();
        assert!(prepared.original.is_none());
        assert_eq!(prepared.bytes, original);
    }

    #[test]
    fn a_png_keeps_its_media_type_when_small() {
        let mut bytes = Vec::new();
        image::codecs::png::PngEncoder::new(&mut bytes)
            .write_image(&[255; 3 * 4 * 4], 4, 4, image::ExtendedColorType::Rgb8)
            .unwrap();
        assert_eq!(prepare_photo(&bytes).unwrap().media_type, "image/png");
    }

    #[test]
    fn other_formats_and_garbage_are_refused() {
        assert_eq!(code(prepare_photo(b"GIF89a\x01\x00\x01\x00").unwrap_err()), FieldCode::PhotoFormatUnsupported);
        assert_eq!(code(prepare_photo(b"").unwrap_err()), FieldCode::PhotoFormatUnsupported);
        let mut truncated = jpeg(64, 64);
        truncated.truncate(20);
        assert_eq!(code(prepare_photo(&truncated).unwrap_err()), FieldCode::PhotoUnreadable);
    }

    #[test]
    fn a_header_claiming_huge_dimensions_is_refused_before_decoding() {
        // A grey PNG claiming 20,000 × 12,000 pixels with no pixel data: had
        // it been decoded, it would be refused as unreadable, after asking
        // for 240 MB.
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&12_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(png_chunk(b"IHDR", &ihdr));
        png.extend(png_chunk(b"IDAT", &[]));
        png.extend(png_chunk(b"IEND", &[]));
        assert_eq!(code(prepare_photo(&png).unwrap_err()), FieldCode::PhotoDimensionsTooLarge);
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_while_reading() {
        let endless = std::io::repeat(0xFF);
        assert_eq!(code(read_photo(endless).unwrap_err()), FieldCode::PhotoTooLarge);
        assert_eq!(read_photo(&b"abc"[..]).unwrap(), b"abc");
    }
}
