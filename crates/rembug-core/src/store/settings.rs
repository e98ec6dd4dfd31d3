use rusqlite::OptionalExtension;

use super::Store;
use crate::error::Result;
use crate::settings::{Language, Settings};

impl Store {
    pub fn settings(&self) -> Result<Settings> {
        self.read(|conn| {
            let language: Option<String> = conn
                .query_row("SELECT value FROM setting WHERE key = 'language'", [], |row| row.get(0))
                .optional()?;
            Ok(Settings { language: language.as_deref().and_then(Language::parse).unwrap_or_default() })
        })
    }

    pub fn set_language(&self, language: Language) -> Result<Settings> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES ('language', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [language.as_str()],
            )?;
            Ok(())
        })?;
        self.settings()
    }
}
