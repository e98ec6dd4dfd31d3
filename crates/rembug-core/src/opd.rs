//! The OPD (perangkat daerah, the city's departments) an usulan may be
//! addressed to: a list kept in Settings, seeded with Kota Cimahi's
//! (migration 0013). The usulan form offers it and still takes any other
//! name in its OPD tujuan.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FieldCode, FieldError};
use crate::text::required_text;
use crate::usulan::OPD_MAX_CHARS;

/// One OPD of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Opd {
    pub id: u32,
    pub name: String,
}

/// An OPD's name as typed, trimmed and bounded like the usulan's OPD tujuan;
/// refused on the field `name`.
pub fn parse_opd_name(raw: &str) -> Result<String, FieldError> {
    required_text(raw, OPD_MAX_CHARS).map_err(|code: FieldCode| FieldError::new("name", code))
}

/// Whether `names` is a list of OPD as the office sends it: not empty, each
/// name already trimmed and bounded as [`parse_opd_name`] makes it, no two
/// the same ignoring case.
pub fn is_opd_list(names: &[String]) -> bool {
    let mut seen = std::collections::HashSet::new();
    !names.is_empty()
        && names
            .iter()
            .all(|name| parse_opd_name(name).as_deref() == Ok(name.as_str()) && seen.insert(name.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_required_and_bounded() {
        assert_eq!(parse_opd_name("  Dinas Sosial "), Ok("Dinas Sosial".to_owned()));
        assert_eq!(parse_opd_name(" "), Err(FieldError::new("name", FieldCode::Required)));
        assert_eq!(parse_opd_name(&"x".repeat(OPD_MAX_CHARS + 1)), Err(FieldError::new("name", FieldCode::TooLong)));
    }

    #[test]
    fn an_office_list_has_trimmed_bounded_names_unique_ignoring_case() {
        let list = |names: &[&str]| names.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>();
        assert!(is_opd_list(&list(&["Dinas Sosial", "Dinas Kesehatan"])));
        assert!(!is_opd_list(&[]));
        assert!(!is_opd_list(&list(&["Dinas Sosial", "dinas sosial"])));
        assert!(!is_opd_list(&list(&[" Dinas Sosial"])));
        assert!(!is_opd_list(&list(&[""])));
        assert!(!is_opd_list(&["x".repeat(OPD_MAX_CHARS + 1)]));
    }
}
