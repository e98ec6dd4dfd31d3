//! The app's Indonesian catalogue entries the CLI says as they are, so a
//! refusal reads the same in a terminal as in the window: what a meeting
//! still lacks before it can be locked is the Kunci tab's list, word for word.

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The catalogue files whose entries the CLI uses, compiled in.
const FILES: [&str; 2] = [
    include_str!("../../../ui/src/i18n/id/ranking.json"),
    include_str!("../../../ui/src/i18n/id/errors-recording.json"),
];

static ENTRIES: LazyLock<BTreeMap<String, String>> = LazyLock::new(|| {
    FILES
        .iter()
        .flat_map(|file| {
            serde_json::from_str::<BTreeMap<String, String>>(file).expect("the app's catalogue is flat JSON")
        })
        .collect()
});

/// The Indonesian text of catalogue `key`, if the compiled-in files have it.
pub fn text(key: &str) -> Option<&'static str> {
    ENTRIES.get(key).map(String::as_str)
}

/// A refused field as the app says it (`error.field.<code>`), or its code
/// where the catalogue has no sentence for it.
pub fn field_text(code: &str) -> String {
    text(&format!("error.field.{code}")).map(str::to_owned).unwrap_or_else(|| code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_blockers_read_as_in_the_kunci_tab() {
        assert_eq!(text("lock.missing"), Some("Musyawarah ini belum bisa dikunci. Yang masih kurang:"));
        assert_eq!(field_text("no_usulan"), "Belum ada usulan.");
        assert_eq!(field_text("not_a_code"), "not_a_code");
    }
}
