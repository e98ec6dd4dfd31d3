//! Enums stored in SQLite, sent over IPC and written into bundles as fixed
//! strings. Each derives its strings with strum (`IntoStaticStr`,
//! `EnumString`, the same spelling as its serde attributes) and gets the
//! `as_str` and `parse` its callers use from `string_enum!`, so no string is
//! written twice by hand.

/// Gives each named strum-derived enum `as_str` and `parse`.
macro_rules! string_enum {
    ($($name:ident),+ $(,)?) => {$(
        impl $name {
            /// The string it is stored and sent as.
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            /// The value a stored string names, if any.
            pub fn parse(value: &str) -> Option<Self> {
                value.parse().ok()
            }
        }
    )+};
}
pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use strum::IntoEnumIterator;

    use crate::answers::{OutcomeKind, OutcomeSource, ReviewState};
    use crate::attendance::Role;
    use crate::demo::Scale;
    use crate::imported::DeviceTrust;
    use crate::meeting::{MeetingStatus, Stage, Timezone};
    use crate::outbox::OutboxState;
    use crate::people::{AgeGroup, Gender};
    use crate::ranking::RankingMethod;
    use crate::settings::Language;
    use crate::signed_pages::PageKind;
    use crate::usulan::{Bidang, Outcome};

    /// Every value's string, checked against serde's spelling of it and read
    /// back by `parse`.
    fn strings<T>() -> Vec<&'static str>
    where
        T: IntoEnumIterator + Copy + Debug + PartialEq + Serialize + DeserializeOwned + Into<&'static str>,
        T: std::str::FromStr,
    {
        T::iter()
            .map(|value| {
                let text: &'static str = value.into();
                assert_eq!(serde_json::to_string(&value).unwrap(), format!("\"{text}\""), "{value:?}");
                assert_eq!(serde_json::from_str::<T>(&format!("\"{text}\"")).unwrap(), value);
                assert!(text.parse::<T>().is_ok_and(|parsed| parsed == value), "{value:?}");
                text
            })
            .collect()
    }

    #[test]
    fn stored_strings_never_change_and_match_serde() {
        assert_eq!(strings::<Stage>(), ["rembug_warga", "musrenbang_kelurahan"]);
        assert_eq!(strings::<MeetingStatus>(), ["draft", "locked"]);
        assert_eq!(strings::<Timezone>(), ["WIB", "WITA", "WIT"]);
        assert_eq!(strings::<Bidang>(), ["infrastruktur", "ekonomi", "sosial_budaya", "pemerintahan"]);
        assert_eq!(strings::<Outcome>(), ["diakomodir", "tidak_diakomodir"]);
        assert_eq!(strings::<Role>(), ["peserta", "narasumber", "fasilitator", "notulis", "pimpinan_rapat"]);
        assert_eq!(strings::<Gender>(), ["L", "P"]);
        assert_eq!(strings::<PageKind>(), ["berita_acara", "daftar_hadir", "daftar_usulan"]);
        assert_eq!(strings::<AgeGroup>(), ["anak", "pemuda", "dewasa", "lansia"]);
        assert_eq!(strings::<RankingMethod>(), ["scores", "hands"]);
        assert_eq!(strings::<Language>(), ["id", "en"]);
        assert_eq!(strings::<DeviceTrust>(), ["registered", "unknown", "other_rw", "revoked"]);
        assert_eq!(strings::<OutboxState>(), ["pending", "waiting", "sending", "delivered", "refused"]);
        assert_eq!(strings::<ReviewState>(), ["diterima", "perlu_perbaikan", "disetujui", "ditolak"]);
        assert_eq!(strings::<OutcomeKind>(), ["diakomodir", "tidak_diakomodir", "dialihkan"]);
        assert_eq!(strings::<OutcomeSource>(), ["office", "hand"]);
        let scales: Vec<&str> = Scale::iter().map(Scale::as_str).collect();
        assert_eq!(scales, ["rw", "kelurahan", "city-decade"]);
        assert!(Scale::iter().all(|scale| Scale::parse(scale.as_str()) == Some(scale)));
    }

    #[test]
    fn parse_refuses_other_strings() {
        assert_eq!(Stage::parse("Rembug_Warga"), None);
        assert_eq!(Bidang::parse(""), None);
        assert_eq!(Timezone::parse("wib"), None);
        // The paper lists write the gender in either case.
        assert_eq!(Gender::parse("l"), Some(Gender::Male));
        assert_eq!(Gender::parse("p"), Some(Gender::Female));
        assert_eq!(Gender::parse("X"), None);
    }
}
