//! The kop (letterhead) of printed documents. An RW is a community body, not
//! a government office: its papers are headed "RUKUN WARGA 08 / KELURAHAN
//! BAROS – KECAMATAN CIMAHI TENGAH / KOTA CIMAHI" with the RW's own address.
//! A kelurahan's papers carry the government kop ("PEMERINTAH KOTA CIMAHI /
//! KECAMATAN … / KELURAHAN …"), its office's address and, when one was
//! chosen, the logo beside it. Unset, the lines come from the wilayah and no
//! address or logo is printed.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use std::io::Cursor;

use image::{ImageFormat, ImageReader};

use crate::error::{FieldCode, FieldError};
use crate::photos::photo_media_type;
use crate::text::optional_text;

/// A kop line fits one line of A4 in the kop's type size.
const KOP_LINE_MAX_CHARS: usize = 90;
/// A logo is a small picture: a larger file is a photo, not a letterhead.
pub const KOP_LOGO_MAX_BYTES: usize = 512 * 1024;
/// Per side, read from the header before any pixel is decoded.
pub const KOP_LOGO_MAX_SIDE: u32 = 2_000;

/// Checks a logo as the settings receive it: PNG or JPEG as declared and as
/// its first bytes say, at most [`KOP_LOGO_MAX_BYTES`] and
/// [`KOP_LOGO_MAX_SIDE`], and wholly decodable, so that no logo can make
/// printing fail later. Codes: `image_type_unsupported`, `image_invalid`,
/// `file_too_large`, `photo_dimensions_too_large`.
pub fn check_logo(bytes: &[u8], media_type: &str) -> Result<(), FieldCode> {
    let format = match media_type {
        "image/png" => ImageFormat::Png,
        "image/jpeg" => ImageFormat::Jpeg,
        _ => return Err(FieldCode::ImageTypeUnsupported),
    };
    if photo_media_type(bytes) != Some(media_type) {
        return Err(FieldCode::ImageInvalid);
    }
    if bytes.len() > KOP_LOGO_MAX_BYTES {
        return Err(FieldCode::FileTooLarge);
    }
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = reader().into_dimensions().map_err(|_| FieldCode::ImageInvalid)?;
    if width > KOP_LOGO_MAX_SIDE || height > KOP_LOGO_MAX_SIDE {
        return Err(FieldCode::PhotoDimensionsTooLarge);
    }
    reader().decode().map(drop).map_err(|_| FieldCode::ImageInvalid)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KopSettings {
    /// Replaces "PEMERINTAH KOTA <kota>", printed as typed.
    pub government: Option<String>,
    /// The kelurahan office's address, telephone or e-mail, under the
    /// government kop's lines.
    pub address: Option<String>,
    /// The RW's own address (its secretariat), under an RW's kop.
    #[serde(default)]
    pub rw_address: Option<String>,
    /// The logo beside the government kop: an attachment's SHA-256 (PNG or
    /// JPEG, checked by `Store::set_kop_logo`).
    #[serde(default)]
    pub logo_sha256: Option<String>,
}

/// The kop section of the settings screen as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KopSettingsForm {
    pub government: String,
    pub address: String,
    pub rw_address: String,
}

impl KopSettings {
    pub fn to_form(&self) -> KopSettingsForm {
        KopSettingsForm {
            government: self.government.clone().unwrap_or_default(),
            address: self.address.clone().unwrap_or_default(),
            rw_address: self.rw_address.clone().unwrap_or_default(),
        }
    }
}

impl KopSettingsForm {
    /// Blank lines mean "as the wilayah says"; field errors on `government`,
    /// `address` and `rw_address` (`too_long`, `text_invalid`). The logo is
    /// not part of the form: it is kept as `logo_sha256` (`Store::set_kop_logo`).
    pub fn parse(&self, logo_sha256: Option<String>) -> Result<KopSettings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut line = |raw: &str, field: &str| {
            optional_text(raw, KOP_LINE_MAX_CHARS)
                .map_err(|code| errors.push(FieldError::new(field, code)))
                .ok()
                .flatten()
        };
        let kop = KopSettings {
            government: line(&self.government, "government"),
            address: line(&self.address, "address"),
            rw_address: line(&self.rw_address, "rw_address"),
            logo_sha256,
        };
        if errors.is_empty() { Ok(kop) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(side: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::RgbImage::new(side, side).write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png).unwrap();
        bytes
    }

    #[test]
    fn a_logo_is_a_small_png_or_jpeg_that_decodes() {
        assert_eq!(check_logo(&png(64), "image/png"), Ok(()));
        assert_eq!(check_logo(&png(64), "image/jpeg"), Err(FieldCode::ImageInvalid), "declared JPEG, is PNG");
        assert_eq!(check_logo(&png(64), "image/gif"), Err(FieldCode::ImageTypeUnsupported));
        assert_eq!(check_logo(&png(2_001), "image/png"), Err(FieldCode::PhotoDimensionsTooLarge));
        let mut cut = png(64);
        cut.truncate(cut.len() - 20);
        assert_eq!(check_logo(&cut, "image/png"), Err(FieldCode::ImageInvalid), "a cut file does not decode");
        let mut large = png(64);
        large.resize(KOP_LOGO_MAX_BYTES + 1, 0);
        assert_eq!(check_logo(&large, "image/png"), Err(FieldCode::FileTooLarge));
    }

    #[test]
    fn blank_lines_are_unset_and_long_or_broken_lines_are_refused() {
        let form = KopSettingsForm {
            government: "  PEMERINTAH KOTA CIMAHI  ".into(),
            address: " ".into(),
            rw_address: " Jl. Baros No. 8 ".into(),
        };
        let kop = form.parse(None).unwrap();
        assert_eq!(kop.government.as_deref(), Some("PEMERINTAH KOTA CIMAHI"));
        assert_eq!(kop.address, None);
        assert_eq!(kop.rw_address.as_deref(), Some("Jl. Baros No. 8"));
        assert_eq!(kop.to_form().government, "PEMERINTAH KOTA CIMAHI");

        let refused = KopSettingsForm {
            government: "x".repeat(91),
            address: "Jl. Demang\u{7}".into(),
            rw_address: String::new(),
        }
        .parse(None);
        let codes: Vec<(String, FieldCode)> =
            refused.unwrap_err().into_iter().map(|error| (error.field, error.code)).collect();
        assert_eq!(
            codes,
            [
                ("government".to_owned(), FieldCode::TooLong.to_owned()),
                ("address".to_owned(), FieldCode::TextInvalid.to_owned())
            ]
        );
    }
}
