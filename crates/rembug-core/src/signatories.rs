//! Who signs a stage's papers, in which order: the pimpinan rapat, the
//! notulis, the participants' representatives (the first delegates) and,
//! when the city asks for it, "Mengetahui" the lurah or the Ketua LPM with
//! their name and NIP. The defaults follow the customary forms: a rembug
//! warga is signed by its chair, the notulis and the representatives; a
//! Musrenbang Kelurahan also by the lurah, who knows of it.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use ts_rs::TS;

use crate::error::{FieldCode, FieldError};
use crate::meeting::{NAME_MAX_CHARS, Stage};
use crate::string_enum::string_enum;
use crate::text::optional_text;

/// One signature block of the berita acara.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Signer {
    /// The chair named on the meeting form.
    PimpinanRapat,
    Notulis,
    /// One to three participants' representatives: the first delegates.
    WakilPeserta,
    /// "Mengetahui, Lurah …" with the name and NIP from the settings.
    MengetahuiLurah,
    /// "Mengetahui, Ketua LPM …" with the name and NIP from the settings.
    MengetahuiKetuaLpm,
}

string_enum!(Signer);

/// How many delegates sign as the participants' representatives.
pub const REPRESENTATIVES_MAX: usize = 3;
/// A NIP (Nomor Induk Pegawai) has 18 digits; written with spaces or not.
const NIP_DIGITS: usize = 18;

/// An official who signs under "Mengetahui".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Official {
    pub name: Option<String>,
    pub nip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignatorySettings {
    /// The signature blocks of a rembug warga's papers, in order.
    pub rembug_warga: Vec<Signer>,
    /// The signature blocks of a Musrenbang Kelurahan's papers, in order.
    pub musrenbang_kelurahan: Vec<Signer>,
    pub lurah: Official,
    pub ketua_lpm: Official,
}

impl Default for SignatorySettings {
    fn default() -> Self {
        use Signer::*;
        SignatorySettings {
            rembug_warga: vec![PimpinanRapat, Notulis, WakilPeserta],
            musrenbang_kelurahan: vec![PimpinanRapat, Notulis, WakilPeserta, MengetahuiLurah],
            lurah: Official::default(),
            ketua_lpm: Official::default(),
        }
    }
}

impl SignatorySettings {
    /// The blocks a stage's papers carry, in order.
    pub fn for_stage(&self, stage: Stage) -> &[Signer] {
        match stage {
            Stage::RembugWarga => &self.rembug_warga,
            Stage::MusrenbangKelurahan => &self.musrenbang_kelurahan,
        }
    }

    pub fn to_form(&self) -> SignatorySettingsForm {
        let names = |signers: &[Signer]| signers.iter().map(|s| s.as_str().to_owned()).collect();
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        SignatorySettingsForm {
            rembug_warga: names(&self.rembug_warga),
            musrenbang_kelurahan: names(&self.musrenbang_kelurahan),
            lurah_name: text(&self.lurah.name),
            lurah_nip: text(&self.lurah.nip),
            ketua_lpm_name: text(&self.ketua_lpm.name),
            ketua_lpm_nip: text(&self.ketua_lpm.nip),
        }
    }
}

/// The signatories section of the settings screen as typed: each stage's
/// blocks in order (the `Signer` strings), and the officials.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignatorySettingsForm {
    pub rembug_warga: Vec<String>,
    pub musrenbang_kelurahan: Vec<String>,
    pub lurah_name: String,
    pub lurah_nip: String,
    pub ketua_lpm_name: String,
    pub ketua_lpm_nip: String,
}

impl SignatorySettingsForm {
    /// Field errors: `<stage>` (`signers_empty`), `<stage>.<n>`
    /// (`signer_unknown`, `signer_duplicate`), the names (`too_long`,
    /// `text_invalid`) and NIPs (`nip_invalid`).
    pub fn parse(&self) -> Result<SignatorySettings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut signers = |raw: &[String], field: &str| {
            let mut parsed: Vec<Signer> = Vec::new();
            for (index, name) in raw.iter().enumerate() {
                match Signer::parse(name.trim()) {
                    Some(signer) if parsed.contains(&signer) => {
                        errors.push(FieldError::new(&format!("{field}.{index}"), FieldCode::SignerDuplicate))
                    }
                    Some(signer) => parsed.push(signer),
                    None => errors.push(FieldError::new(&format!("{field}.{index}"), FieldCode::SignerUnknown)),
                }
            }
            if raw.is_empty() {
                errors.push(FieldError::new(field, FieldCode::SignersEmpty));
            }
            parsed
        };
        let rembug_warga = signers(&self.rembug_warga, "rembug_warga");
        let musrenbang_kelurahan = signers(&self.musrenbang_kelurahan, "musrenbang_kelurahan");
        let mut official = |name: &str, nip: &str, field: &str| Official {
            name: optional_text(name, NAME_MAX_CHARS)
                .map_err(|code| errors.push(FieldError::new(&format!("{field}_name"), code)))
                .ok()
                .flatten(),
            nip: parse_nip(nip)
                .map_err(|code| errors.push(FieldError::new(&format!("{field}_nip"), code)))
                .ok()
                .flatten(),
        };
        let lurah = official(&self.lurah_name, &self.lurah_nip, "lurah");
        let ketua_lpm = official(&self.ketua_lpm_name, &self.ketua_lpm_nip, "ketua_lpm");
        if errors.is_empty() {
            Ok(SignatorySettings { rembug_warga, musrenbang_kelurahan, lurah, ketua_lpm })
        } else {
            Err(errors)
        }
    }
}

/// A blank NIP is none; otherwise 18 digits, kept as written with single
/// spaces ("19700101 199003 1 005").
fn parse_nip(raw: &str) -> Result<Option<String>, FieldCode> {
    let written = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if written.is_empty() {
        return Ok(None);
    }
    let digits = written.chars().filter(|c| *c != ' ').count();
    if digits != NIP_DIGITS || !written.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        return Err(FieldCode::NipInvalid);
    }
    Ok(Some(written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_follow_the_customary_forms_and_round_trip() {
        let defaults = SignatorySettings::default();
        assert_eq!(
            defaults.for_stage(Stage::RembugWarga),
            [Signer::PimpinanRapat, Signer::Notulis, Signer::WakilPeserta]
        );
        assert_eq!(defaults.for_stage(Stage::MusrenbangKelurahan).last(), Some(&Signer::MengetahuiLurah));
        assert_eq!(defaults.to_form().parse(), Ok(defaults));
    }

    #[test]
    fn the_order_is_kept_and_bad_entries_are_refused_one_by_one() {
        let form = SignatorySettingsForm {
            rembug_warga: vec!["mengetahui_ketua_lpm".into(), "pimpinan_rapat".into()],
            lurah_name: " Dra. Hj. Euis Rohaeni ".into(),
            lurah_nip: "19700101  199003 1 005".into(),
            ..SignatorySettings::default().to_form()
        };
        let parsed = form.parse().unwrap();
        assert_eq!(parsed.rembug_warga, [Signer::MengetahuiKetuaLpm, Signer::PimpinanRapat]);
        assert_eq!(parsed.lurah.name.as_deref(), Some("Dra. Hj. Euis Rohaeni"));
        assert_eq!(parsed.lurah.nip.as_deref(), Some("19700101 199003 1 005"));

        let bad = SignatorySettingsForm {
            rembug_warga: vec!["notulis".into(), "notulis".into(), "bupati".into()],
            musrenbang_kelurahan: vec![],
            lurah_nip: "1970-01-01".into(),
            ketua_lpm_nip: "1234567890123456789".into(),
            ..SignatorySettings::default().to_form()
        };
        let codes: Vec<(String, FieldCode)> = bad.parse().unwrap_err().into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                ("rembug_warga.1".to_owned(), FieldCode::SignerDuplicate),
                ("rembug_warga.2".to_owned(), FieldCode::SignerUnknown),
                ("musrenbang_kelurahan".to_owned(), FieldCode::SignersEmpty),
                ("lurah_nip".to_owned(), FieldCode::NipInvalid),
                ("ketua_lpm_nip".to_owned(), FieldCode::NipInvalid),
            ]
        );
    }
}
