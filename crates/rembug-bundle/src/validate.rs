//! The domain's rules, applied again to a meeting that arrives in a bundle:
//! the same parsers that checked what the cadre typed check what a bundle
//! claims, so nothing a form would refuse can be stored by importing it.

use std::collections::HashSet;

use rembug_core::calendar::DEFAULT_TWO_YEARS_AHEAD_FROM_MONTH;
use rembug_core::hex::is_sha256_hex;
use rembug_core::meeting::{MeetingStatus, NAME_MAX_CHARS, RW_MAX, Stage, Timezone};
use rembug_core::notulen::AgendaItemForm;
use rembug_core::people::RT_MAX;
use rembug_core::photos::PHOTOS_PER_USULAN;
use rembug_core::ranking::{CriterionForm, SCORE_MAX, SCORE_MIN, parse_criteria};
use rembug_core::record::{PersonalRecord, PublicRecord};
use rembug_core::settings::DELEGATES_LIMIT;
use rembug_core::text::{area_number, multiline_text, optional_text, required_text};
use rembug_core::usulan::{SIPD_PHOTOS_MAX, UsulanContext, UsulanOrigin};
use rembug_core::{FieldCode, FieldError};

use serde::Serialize;
use serde_json::Value;

const PHONE_MAX_CHARS: usize = 30;
/// Ids are UUIDs (36 characters); anything much longer is not one of ours.
const ID_MAX_CHARS: usize = 64;

/// Every rule the public record breaks, one `FieldError` each, fields named
/// by their path (`usulan.2.biaya`).
pub fn check_public(record: &PublicRecord) -> Vec<FieldError> {
    let mut errors = Errors::default();
    check_meeting(record, &mut errors);
    let known: HashSet<&str> = record.attachments.iter().map(String::as_str).collect();
    if !is_sorted_hashes(&record.attachments) {
        errors.push("attachments", FieldCode::AttachmentInvalid);
    }
    let meeting = &record.meeting;
    let context = UsulanContext {
        stage: meeting.stage,
        meeting_rw: meeting.rw,
        // The daftar hadir is personal; proposers are checked by the office.
        is_attendee: &|_| true,
    };
    let mut ranks = Vec::new();
    for (index, item) in record.usulan.iter().enumerate() {
        let usulan = &item.usulan;
        let field = |name: &str| format!("usulan.{index}.{name}");
        if usulan.position as usize != index + 1 {
            errors.push(&field("position"), FieldCode::PositionInvalid);
        }
        if usulan.meeting_id != meeting.id {
            errors.push(&field("meeting_id"), FieldCode::MeetingMismatch);
        }
        // The form shows an amount without its sign, so check the sign here.
        if usulan.biaya < 0 {
            errors.push(&field("biaya"), FieldCode::AmountNegative);
        }
        if let Err(refused) = usulan.to_form().parse(&context) {
            errors.extend(refused.into_iter().map(|e| FieldError::new(&field(&e.field), e.code)));
        }
        if usulan.origin.as_ref().is_some_and(|origin| !is_valid_origin(origin, meeting.stage)) {
            errors.push(&field("origin"), FieldCode::OriginInvalid);
        }
        // What stays on the device is always null in a bundle.
        if usulan.proposer_name.is_some() {
            errors.push(&field("proposer_name"), FieldCode::MustBeNull);
        }
        if usulan.photos.iter().any(|photo| photo.original_sha256.is_some()) {
            errors.push(&field("photos"), FieldCode::MustBeNull);
        }
        let photos_ok = usulan.photos.len() <= usize::from(PHOTOS_PER_USULAN)
            && usulan.photos.iter().all(|photo| known.contains(photo.sha256.as_str()));
        if !photos_ok {
            errors.push(&field("photos"), FieldCode::PhotoInvalid);
        }
        if usulan.photos.iter().filter(|photo| photo.untuk_sipd).count() > SIPD_PHOTOS_MAX {
            errors.push(&field("photos"), FieldCode::SipdPhotosFull);
        }
        let scores_ok = item.scores.len() == record.criteria.len()
            && item.scores.iter().flatten().all(|score| (SCORE_MIN..=SCORE_MAX).contains(score));
        if !scores_ok {
            errors.push(&field("scores"), FieldCode::ScoreInvalid);
        }
        ranks.push(item.rank);
    }
    ranks.sort_unstable();
    if ranks.iter().enumerate().any(|(index, rank)| *rank as usize != index + 1) {
        errors.push("usulan.rank", FieldCode::RankInvalid);
    }
    let criteria: Vec<CriterionForm> = record
        .criteria
        .iter()
        .map(|criterion| CriterionForm { name: criterion.name.clone(), weight: criterion.weight.to_string() })
        .collect();
    if !criteria.is_empty()
        && let Err(refused) = parse_criteria(&criteria)
    {
        errors.extend(refused);
    }
    for (index, item) in record.agenda.iter().enumerate() {
        let form = AgendaItemForm {
            title: item.title.clone(),
            discussion: item.discussion.clone(),
            decisions: item.decisions.clone(),
        };
        if let Err(refused) = form.parse() {
            errors.extend(refused.into_iter().map(|e| FieldError::new(&format!("agenda.{index}.{}", e.field), e.code)));
        }
    }
    if record.delegates.len() > DELEGATES_LIMIT {
        errors.push("delegates", FieldCode::DelegateCountInvalid);
    }
    for (index, delegate) in record.delegates.iter().enumerate() {
        check_person(&format!("delegates.{index}"), &delegate.name, delegate.rt, delegate.rw, &mut errors);
    }
    let counts = &record.counts;
    let by_unsur: u64 = counts.by_unsur.iter().map(|unsur| u64::from(unsur.count)).sum();
    if u64::from(counts.women) + u64::from(counts.men) != u64::from(counts.total) || by_unsur != u64::from(counts.total)
    {
        errors.push("counts", FieldCode::CountsInconsistent);
    }
    errors.0
}

/// Keys of the texts of several lines (the notulen, a problem described at
/// length): line breaks and tabs are theirs, as the forms allow.
const MULTILINE_KEYS: [&str; 3] = ["discussion", "decisions", "permasalahan"];

/// Every string of a record, named by its JSON path after `prefix`: each one
/// may end up on a terminal, a screen or a printed page, so none carries a
/// control character (the texts of several lines keep line breaks and tabs,
/// as the core's own text checks do), and every id (`id`, `*_id`) is a plain
/// one.
pub fn check_strings(record: &impl Serialize, prefix: &str) -> Vec<FieldError> {
    let mut errors = Errors::default();
    match serde_json::to_value(record) {
        Ok(value) => check_strings_in(&value, prefix.trim_end_matches('.'), "", &mut errors),
        Err(_) => errors.push(prefix.trim_end_matches('.'), FieldCode::TextInvalid),
    }
    errors.0
}

fn check_strings_in(value: &Value, path: &str, key: &str, errors: &mut Errors) {
    let child = |name: &str| if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") };
    match value {
        Value::String(text) => {
            let code = if key == "id" || key.ends_with("_id") {
                (!is_plain_id(text)).then_some(FieldCode::IdInvalid)
            } else if MULTILINE_KEYS.contains(&key) {
                // Stored texts have `\n` line ends; a `\r` could rewrite a terminal line.
                (multiline_text(text, usize::MAX).is_err() || text.contains('\r')).then_some(FieldCode::TextInvalid)
            } else {
                optional_text(text, usize::MAX).is_err().then_some(FieldCode::TextInvalid)
            };
            if let Some(code) = code {
                errors.push(path, code);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_strings_in(item, &child(&index.to_string()), key, errors);
            }
        }
        Value::Object(fields) => {
            for (name, field) in fields {
                check_strings_in(field, &child(name), name, errors);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Ids are UUIDs or SHA-256 hex: letters, digits and `-`, and not long.
fn is_plain_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= ID_MAX_CHARS && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The personal record's own rules, and that it agrees with the public one.
pub fn check_personal(personal: &PersonalRecord, public: &PublicRecord) -> Vec<FieldError> {
    let mut errors = Errors::default();
    let known: HashSet<&str> = personal.attachments.iter().map(String::as_str).collect();
    if !is_sorted_hashes(&personal.attachments) {
        errors.push("personal.attachments", FieldCode::AttachmentInvalid);
    }
    for (index, attendee) in personal.attendees.iter().enumerate() {
        let field = format!("attendees.{index}");
        check_person(&field, &attendee.name, attendee.rt, attendee.rw, &mut errors);
        if attendee.phone.as_ref().is_some_and(|phone| phone.chars().count() > PHONE_MAX_CHARS) {
            errors.push(&format!("{field}.phone"), FieldCode::TooLong);
        }
        if attendee.signature_sha256.as_ref().is_some_and(|sha256| !known.contains(sha256.as_str())) {
            errors.push(&format!("{field}.signature_sha256"), FieldCode::AttachmentInvalid);
        }
    }
    if personal.attendance_sheets.iter().any(|sheet| !known.contains(sheet.sha256.as_str())) {
        errors.push("attendance_sheets", FieldCode::AttachmentInvalid);
    }
    if personal.attendees.len() != public.counts.total as usize {
        errors.push("counts.total", FieldCode::CountsInconsistent);
    }
    errors.0
}

fn check_meeting(record: &PublicRecord, errors: &mut Errors) {
    let meeting = &record.meeting;
    let kelurahan = &meeting.kelurahan;
    let code_ok = kelurahan.shape_problem().is_none();
    if !code_ok {
        errors.push("meeting.kelurahan_code", FieldCode::KelurahanCodeInvalid);
    }
    // The bundle names its planning year, so the calendar is never asked.
    let found = meeting.to_form().parse(
        |code| (code_ok && code == kelurahan.code).then(|| kelurahan.clone()),
        DEFAULT_TWO_YEARS_AHEAD_FROM_MONTH,
    );
    if let Err(refused) = found {
        errors.extend(refused.into_iter().map(|e| FieldError::new(&format!("meeting.{}", e.field), e.code)));
    }
    if meeting.status != MeetingStatus::Locked || meeting.locked_at.is_none() {
        errors.push("meeting.status", FieldCode::MeetingNotLocked);
    }
    // A later correction does not change what this revision said.
    if meeting.superseded_by.is_some() {
        errors.push("meeting.superseded_by", FieldCode::MustBeNull);
    }
    if meeting.revision == 0 || (meeting.revision > 1) != meeting.supersedes_id.is_some() {
        errors.push("meeting.revision", FieldCode::RevisionInvalid);
    }
    if code_ok && meeting.timezone != Timezone::for_kemendagri_code(&kelurahan.code) {
        errors.push("meeting.timezone", FieldCode::TimezoneMismatch);
    }
}

/// A person named in a bundle, checked by the person form's own rules.
fn check_person(field: &str, name: &str, rt: Option<u16>, rw: Option<u16>, errors: &mut Errors) {
    if let Err(code) = required_text(name, NAME_MAX_CHARS) {
        errors.push(&format!("{field}.name"), code);
    }
    for (part, number, max, out_of_range) in
        [("rt", rt, RT_MAX, FieldCode::RtOutOfRange), ("rw", rw, RW_MAX, FieldCode::RwOutOfRange)]
    {
        if let Some(Err(code)) = number.map(|number| area_number(u32::from(number), max, out_of_range)) {
            errors.push(&format!("{field}.{part}"), code);
        }
    }
}

/// Only a Musrenbang Kelurahan merges RW usulan, each from a real RW and
/// rank, named by plain ids and, when imported, its bundle's SHA-256.
fn is_valid_origin(origin: &UsulanOrigin, stage: Stage) -> bool {
    stage == Stage::MusrenbangKelurahan
        && (1..=RW_MAX).contains(&origin.rw)
        && origin.rank >= 1
        && is_plain_id(&origin.source_meeting_id)
        && is_plain_id(&origin.source_usulan_id)
        && origin.bundle_sha256.as_deref().is_none_or(is_sha256_hex)
}

fn is_sorted_hashes(hashes: &[String]) -> bool {
    hashes.iter().all(|hash| is_sha256_hex(hash)) && hashes.windows(2).all(|pair| pair[0] < pair[1])
}

#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, field: &str, code: FieldCode) {
        self.0.push(FieldError::new(field, code));
    }

    fn extend(&mut self, errors: impl IntoIterator<Item = FieldError>) {
        self.0.extend(errors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> UsulanOrigin {
        UsulanOrigin {
            rw: 3,
            source_meeting_id: "019a6f2e-7c1d-7a4b-9f00-0123456789ab".into(),
            source_usulan_id: "019a6f2e-7c1d-7a4b-9f00-0123456789ac".into(),
            bundle_sha256: Some("ab".repeat(32)),
            rank: 2,
        }
    }

    #[test]
    fn an_origin_names_a_real_rw_rank_ids_and_bundle_at_a_kelurahan_meeting_only() {
        assert!(is_valid_origin(&origin(), Stage::MusrenbangKelurahan));
        assert!(is_valid_origin(&UsulanOrigin { bundle_sha256: None, ..origin() }, Stage::MusrenbangKelurahan));
        assert!(!is_valid_origin(&origin(), Stage::RembugWarga));
        for broken in [
            UsulanOrigin { rw: 0, ..origin() },
            UsulanOrigin { rw: RW_MAX + 1, ..origin() },
            UsulanOrigin { rank: 0, ..origin() },
            UsulanOrigin { source_meeting_id: String::new(), ..origin() },
            UsulanOrigin { source_usulan_id: "../../etc".into(), ..origin() },
            UsulanOrigin { source_usulan_id: "x".repeat(ID_MAX_CHARS + 1), ..origin() },
            UsulanOrigin { bundle_sha256: Some("AB".repeat(32)), ..origin() },
        ] {
            assert!(!is_valid_origin(&broken, Stage::MusrenbangKelurahan), "{broken:?}");
        }
    }
}
