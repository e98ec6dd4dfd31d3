//! The TypeScript declarations of every type that crosses the IPC boundary,
//! generated from the Rust types so the UI never hand-copies an interface.
//! `tests/typescript_bindings.rs` fails when `ui/src/lib/bindings.ts` is stale.

use ts_rs::{Config, TS};

use crate::error::{ErrorReply, FieldError};
use crate::meeting::{Meeting, MeetingForm, MeetingStatus, MeetingSummary, Stage, Timezone};
use crate::settings::{Language, Settings};
use crate::store::meetings::{MeetingChange, MeetingFilter, MeetingList};
use crate::wilayah::Kelurahan;

/// The whole generated file.
pub fn typescript() -> String {
    let cfg = Config::new();
    let declarations = [
        Stage::decl(&cfg),
        MeetingStatus::decl(&cfg),
        Timezone::decl(&cfg),
        Kelurahan::decl(&cfg),
        MeetingForm::decl(&cfg),
        Meeting::decl(&cfg),
        MeetingSummary::decl(&cfg),
        MeetingFilter::decl(&cfg),
        MeetingList::decl(&cfg),
        MeetingChange::decl(&cfg),
        Language::decl(&cfg),
        Settings::decl(&cfg),
        FieldError::decl(&cfg),
        ErrorReply::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in crates/rembug-core by `make bindings`. Do not edit.\n\n",
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
