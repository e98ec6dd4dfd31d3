use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The language of the interface. Indonesian unless the user chose otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Id,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "id" => Some(Language::Id),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Settings {
    pub language: Language,
}
