use rusqlite::{Connection, OptionalExtension};

use super::Store;
use crate::error::{CoreError, FieldError, Result};
use crate::kop::{KopSettings, KopSettingsForm, check_logo};
use crate::settings::{Language, RecordingSettings, RecordingSettingsForm, Settings};
use crate::signatories::{SignatorySettings, SignatorySettingsForm};
use crate::trust::DelegateRange;

const LANGUAGE_KEY: &str = "language";
const RECORDING_KEY: &str = "recording";
const KOP_KEY: &str = "kop";
const SIGNATORIES_KEY: &str = "signatories";

impl Store {
    pub fn settings(&self) -> Result<Settings> {
        self.read(|conn| {
            let language = setting(conn, LANGUAGE_KEY)?.as_deref().and_then(Language::parse).unwrap_or_default();
            let recording = recording_settings(conn)?;
            let kop: KopSettings =
                setting(conn, KOP_KEY)?.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default();
            let signatories: SignatorySettings =
                setting(conn, SIGNATORIES_KEY)?.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default();
            Ok(Settings { language, recording, kop, signatories })
        })
    }

    pub fn set_language(&self, language: Language) -> Result<Settings> {
        self.put_setting(LANGUAGE_KEY, language.as_str())?;
        self.settings()
    }

    pub fn save_recording_settings(&self, form: &RecordingSettingsForm) -> Result<Settings> {
        let recording: RecordingSettings = form.parse().map_err(CoreError::Validation)?;
        let json = serde_json::to_string(&recording).map_err(|error| CoreError::Corrupt(error.to_string()))?;
        self.put_setting(RECORDING_KEY, &json)?;
        self.settings()
    }

    /// Saves the kop's lines; the logo chosen stays.
    pub fn save_kop_settings(&self, form: &KopSettingsForm) -> Result<Settings> {
        let kop = form.parse(self.settings()?.kop.logo_sha256).map_err(CoreError::Validation)?;
        self.put_kop(&kop)
    }

    /// Keeps `bytes` (a PNG or JPEG of `media_type`, checked by
    /// `kop::check_logo`, refused on the field `logo`) as the government
    /// kop's logo, stored like any attachment.
    pub fn set_kop_logo(&self, bytes: &[u8], media_type: &str) -> Result<Settings> {
        check_logo(bytes, media_type).map_err(|code| CoreError::Validation(vec![FieldError::new("logo", code)]))?;
        let attachment = self.put_attachment(&mut &bytes[..], media_type)?;
        let kop = KopSettings { logo_sha256: Some(attachment.sha256), ..self.settings()?.kop };
        self.put_kop(&kop)
    }

    /// Prints the government kop without a logo again.
    pub fn remove_kop_logo(&self) -> Result<Settings> {
        self.put_kop(&KopSettings { logo_sha256: None, ..self.settings()?.kop })
    }

    fn put_kop(&self, kop: &KopSettings) -> Result<Settings> {
        let json = serde_json::to_string(kop).map_err(|error| CoreError::Corrupt(error.to_string()))?;
        self.put_setting(KOP_KEY, &json)?;
        self.settings()
    }

    pub fn save_signatory_settings(&self, form: &SignatorySettingsForm) -> Result<Settings> {
        let signatories = form.parse().map_err(CoreError::Validation)?;
        let json = serde_json::to_string(&signatories).map_err(|error| CoreError::Corrupt(error.to_string()))?;
        self.put_setting(SIGNATORIES_KEY, &json)?;
        self.settings()
    }

    fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| put_setting_in(tx, key, value))
    }
}

fn put_setting_in(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// The office's women's target and delegate range (from its answers,
/// checked there) replace the recording settings' own; the rest stays.
pub(super) fn apply_stage_settings(
    conn: &Connection,
    women_target_percent: Option<u8>,
    delegates: Option<DelegateRange>,
) -> Result<()> {
    if women_target_percent.is_none() && delegates.is_none() {
        return Ok(());
    }
    let mut recording = recording_settings(conn)?;
    if let Some(percent) = women_target_percent {
        recording.women_target_percent = percent;
    }
    if let Some(range) = delegates {
        (recording.delegates_min, recording.delegates_max) = (range.min, range.max);
    }
    let json = serde_json::to_string(&recording).map_err(|error| CoreError::Corrupt(error.to_string()))?;
    put_setting_in(conn, RECORDING_KEY, &json)
}

/// The recording settings; settings written by an older app may lack newer
/// fields: whatever cannot be read falls back to the defaults rather than
/// failing.
pub(super) fn recording_settings(conn: &Connection) -> Result<RecordingSettings> {
    Ok(setting(conn, RECORDING_KEY)?.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM setting WHERE key = ?1", [key], |row| row.get(0)).optional()?)
}
