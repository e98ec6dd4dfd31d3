//! The TypeScript declarations of every type that crosses the IPC boundary,
//! generated from the Rust types so the UI never hand-copies an interface.
//! The file also lists every error and field code as a constant, so the UI's
//! catalogue test iterates the real codes. rembug-docs'
//! `tests/typescript_bindings.rs` writes it with the bundle's and the
//! documents' codes added, and fails when `ui/src/lib/bindings.ts` is stale.

use strum::IntoEnumIterator;
use ts_rs::{Config, TS};

use crate::answers::{MeetingReview, OutcomeForm, OutcomeKind, OutcomeSource, ReviewState, UsulanOutcome};
use crate::attendance::{
    AttendanceCounts, AttendanceSheetPhoto, Attendee, DelegateWarning, Delegates, PersonSuggestion, Role, UnsurCount,
};
use crate::backup::RestorePlan;
use crate::consolidation::{Consolidation, KelurahanMeetingStarted, RwSource, RwStatus};
use crate::error::{ErrorCode, ErrorReply, FieldCode, FieldError};
use crate::imported::{BundleTrust, Correction, CorrectionRefusal, DeviceTrust, ImportedMeeting, ImportedRecord};
use crate::kop::{KopSettings, KopSettingsForm};
use crate::meeting::{Meeting, MeetingForm, MeetingStatus, MeetingSummary, MeetingView, Stage, Timezone};
use crate::notulen::{AgendaItem, AgendaItemForm};
use crate::opd::Opd;
use crate::people::{AgeGroup, Gender, Person, PersonForm};
use crate::ranking::{Criterion, CriterionForm, RankedUsulan, Ranking, RankingMethod};
use crate::record::{DelegateRecord, HistoryEntry, PublicRecord, UsulanRecord};
use crate::sending::{EnrollAnswer, OfficeSummary, OutboxRow, OutboxView, ReceiptOpened, SendState};
use crate::settings::{CriterionSetting, Language, RecordingSettings, RecordingSettingsForm, Settings, StageNames};
use crate::signatories::{Official, SignatorySettings, SignatorySettingsForm, Signer};
use crate::signed_pages::{PageKind, SignedPage, SignedPagesImported, SignedPagesSending};
use crate::signing::{SigningCheck, SigningPrint};
use crate::similar::{PlaceMatch, SimilarUsulan};
use crate::store::backups::BackupReminder;
use crate::store::meetings::{MeetingChange, MeetingFilter, MeetingList};
use crate::store::search::{SearchHit, SearchKind, SnippetSegment};
use crate::store::usulan::{CarriedOrigin, CarryForwardCandidate};
use crate::tanggal::DateText;
use crate::text::AREA_NUMBER_DIGITS;
use crate::transfer::{DeviceSummary, ExportProgress, ExportedBundle, ImportReport, OfficeKeyChoice, OfficeKeyOutcome};
use crate::usulan::{
    Bidang, Outcome, SIPD_PHOTOS_MAX, Usulan, UsulanForm, UsulanList, UsulanOrigin, UsulanPhoto, UsulanTexts,
};
use crate::wilayah::Kelurahan;

/// The declarations of the core's types and codes, in the file's order.
pub fn declarations() -> Vec<String> {
    let cfg = Config::new();
    vec![
        Stage::decl(&cfg),
        MeetingStatus::decl(&cfg),
        Timezone::decl(&cfg),
        Kelurahan::decl(&cfg),
        DateText::decl(&cfg),
        MeetingForm::decl(&cfg),
        Meeting::decl(&cfg),
        MeetingView::decl(&cfg),
        MeetingSummary::decl(&cfg),
        MeetingFilter::decl(&cfg),
        MeetingList::decl(&cfg),
        MeetingChange::decl(&cfg),
        Gender::decl(&cfg),
        AgeGroup::decl(&cfg),
        PersonForm::decl(&cfg),
        Person::decl(&cfg),
        PersonSuggestion::decl(&cfg),
        Role::decl(&cfg),
        Attendee::decl(&cfg),
        UnsurCount::decl(&cfg),
        AttendanceCounts::decl(&cfg),
        DelegateWarning::decl(&cfg),
        Delegates::decl(&cfg),
        AttendanceSheetPhoto::decl(&cfg),
        AgendaItemForm::decl(&cfg),
        AgendaItem::decl(&cfg),
        Bidang::decl(&cfg),
        Outcome::decl(&cfg),
        UsulanForm::decl(&cfg),
        empty_usulan_form(),
        UsulanPhoto::decl(&cfg),
        UsulanOrigin::decl(&cfg),
        Usulan::decl(&cfg),
        UsulanTexts::decl(&cfg),
        UsulanList::decl(&cfg),
        CarryForwardCandidate::decl(&cfg),
        CarriedOrigin::decl(&cfg),
        RankingMethod::decl(&cfg),
        CriterionForm::decl(&cfg),
        Criterion::decl(&cfg),
        RankedUsulan::decl(&cfg),
        Ranking::decl(&cfg),
        DeviceTrust::decl(&cfg),
        BundleTrust::decl(&cfg),
        CorrectionRefusal::decl(&cfg),
        Correction::decl(&cfg),
        RwSource::decl(&cfg),
        RwStatus::decl(&cfg),
        Consolidation::decl(&cfg),
        KelurahanMeetingStarted::decl(&cfg),
        PlaceMatch::decl(&cfg),
        SimilarUsulan::decl(&cfg),
        SearchKind::decl(&cfg),
        SnippetSegment::decl(&cfg),
        SearchHit::decl(&cfg),
        Language::decl(&cfg),
        CriterionSetting::decl(&cfg),
        StageNames::decl(&cfg),
        RecordingSettings::decl(&cfg),
        RecordingSettingsForm::decl(&cfg),
        KopSettings::decl(&cfg),
        KopSettingsForm::decl(&cfg),
        Opd::decl(&cfg),
        Signer::decl(&cfg),
        Official::decl(&cfg),
        SignatorySettings::decl(&cfg),
        SignatorySettingsForm::decl(&cfg),
        SigningPrint::decl(&cfg),
        SigningCheck::decl(&cfg),
        PageKind::decl(&cfg),
        SignedPage::decl(&cfg),
        SignedPagesImported::decl(&cfg),
        SignedPagesSending::decl(&cfg),
        Settings::decl(&cfg),
        UsulanRecord::decl(&cfg),
        DelegateRecord::decl(&cfg),
        HistoryEntry::decl(&cfg),
        PublicRecord::decl(&cfg),
        ImportedMeeting::decl(&cfg),
        ImportedRecord::decl(&cfg),
        DeviceSummary::decl(&cfg),
        OfficeKeyOutcome::decl(&cfg),
        OfficeKeyChoice::decl(&cfg),
        ExportProgress::decl(&cfg),
        ExportedBundle::decl(&cfg),
        ImportReport::decl(&cfg),
        OfficeSummary::decl(&cfg),
        ReviewState::decl(&cfg),
        MeetingReview::decl(&cfg),
        OutcomeKind::decl(&cfg),
        OutcomeSource::decl(&cfg),
        UsulanOutcome::decl(&cfg),
        OutcomeForm::decl(&cfg),
        EnrollAnswer::decl(&cfg),
        SendState::decl(&cfg),
        OutboxRow::decl(&cfg),
        OutboxView::decl(&cfg),
        ReceiptOpened::decl(&cfg),
        BackupReminder::decl(&cfg),
        RestorePlan::decl(&cfg),
        ErrorCode::decl(&cfg),
        code_list::<ErrorCode>("ERROR_CODES"),
        FieldCode::decl(&cfg),
        code_list::<FieldCode>("FIELD_CODES"),
        FieldError::decl(&cfg),
        ErrorReply::decl(&cfg),
        format!("const AREA_NUMBER_DIGITS = {AREA_NUMBER_DIGITS};"),
        format!("const SIPD_PHOTOS_MAX = {SIPD_PHOTOS_MAX};"),
    ]
}

/// The blank usulan form as a TypeScript constant, so the UI starts a new
/// usulan from the core's fields instead of listing them again.
fn empty_usulan_form() -> String {
    let form = serde_json::to_string(&UsulanForm::default()).expect("a form of strings serializes");
    format!("const EMPTY_USULAN_FORM: UsulanForm = {form};")
}

/// Every value of a code enum as a TypeScript constant, so the UI can
/// iterate them: `const ERROR_CODES: readonly ErrorCode[] = ["validation", …];`.
pub fn code_list<T: TS + IntoEnumIterator + Into<&'static str>>(name: &str) -> String {
    let codes: Vec<String> = T::iter().map(|code| format!("\"{}\"", code.into())).collect();
    format!("const {name}: readonly {}[] = [{}];", T::ident(&Config::new()), codes.join(", "))
}

/// The whole generated file, from the declarations of each crate.
pub fn typescript(declarations: impl IntoIterator<Item = String>) -> String {
    let mut out = String::from(
        "// Generated from the Rust types in crates/rembug-core, rembug-bundle and rembug-docs by `make bindings`. \
         Do not edit.\n\n",
    );
    for declaration in declarations {
        out.push_str("export ");
        out.push_str(&declaration);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
