//! What became of locked meetings, as `outbox` prints it (the office's
//! review, each usulan's outcome), and `outcome`: the cadre records an
//! usulan's outcome by hand on a locked meeting, for a city without an
//! office server. The locked record itself never changes.

use std::path::Path;

use rembug_core::Store;
use rembug_core::answers::{MeetingReview, OutcomeForm, OutcomeKind, OutcomeSource, ReviewState, UsulanOutcome};
use serde::Serialize;

use crate::commands::{print, print_json};
use crate::error::CliError;

/// One usulan's outcome in `outbox --json` and `outcome --json`.
#[derive(Serialize)]
pub struct OutcomeJson<'a> {
    usulan_id: &'a str,
    /// `diakomodir`, `tidak_diakomodir` or `dialihkan`.
    outcome: &'static str,
    /// The program or OPD, the reason, or the other channel.
    detail: &'a str,
    /// `office` (the office's answer wins) or `hand`.
    source: &'static str,
}

impl<'a> OutcomeJson<'a> {
    pub fn of(outcome: &'a UsulanOutcome) -> Self {
        OutcomeJson {
            usulan_id: &outcome.usulan_id,
            outcome: outcome.outcome.as_str(),
            detail: &outcome.detail,
            source: outcome.source.as_str(),
        }
    }
}

/// "Perlu perbaikan: <note>", "Disetujui", ...
pub fn review_text(review: &MeetingReview) -> String {
    let state = match review.state {
        ReviewState::Diterima => "Diterima",
        ReviewState::PerluPerbaikan => "Perlu perbaikan",
        ReviewState::Disetujui => "Disetujui",
        ReviewState::Ditolak => "Ditolak",
    };
    match &review.note {
        Some(note) => format!("{state}: {note}"),
        None => state.to_owned(),
    }
}

fn outcome_text(outcome: OutcomeKind) -> &'static str {
    match outcome {
        OutcomeKind::Diakomodir => "diakomodir",
        OutcomeKind::TidakDiakomodir => "tidak diakomodir",
        OutcomeKind::Dialihkan => "dialihkan",
    }
}

/// One line per usulan outcome of the meeting: its kegiatan, id, outcome,
/// detail and who said it.
pub fn outcome_lines(store: &Store, meeting_id: &str, outcomes: &[UsulanOutcome]) -> Result<String, CliError> {
    if outcomes.is_empty() {
        return Ok(String::new());
    }
    let usulan = store.usulan_list(meeting_id)?;
    let mut text = String::new();
    for outcome in outcomes {
        let kegiatan = usulan.iter().find(|usulan| usulan.id == outcome.usulan_id).map_or("", |u| &u.kegiatan);
        let source = match outcome.source {
            OutcomeSource::Office => "kantor",
            OutcomeSource::Hand => "dicatat sendiri",
        };
        text.push_str(&format!(
            "  Usulan {} ({}): {}, {} ({source})\n",
            kegiatan,
            outcome.usulan_id,
            outcome_text(outcome.outcome),
            outcome.detail
        ));
    }
    Ok(text)
}

/// `outcome`: records (or with `remove`, removes) the cadre's own outcome
/// of an usulan of a locked meeting, then shows the meeting's outcomes.
pub fn record(dir: &Path, usulan_id: &str, form: Option<OutcomeForm>, json: bool) -> Result<(), CliError> {
    let data_dir = rembug_core::DataDir::open(dir)?;
    let store = data_dir.open_store()?;
    let outcomes = store.record_outcome_by_hand(usulan_id, form.as_ref())?;
    if json {
        return print_json(&outcomes.iter().map(OutcomeJson::of).collect::<Vec<_>>());
    }
    let meeting_id = store.get_usulan(usulan_id)?.meeting_id;
    let lines = outcome_lines(&store, &meeting_id, &outcomes)?;
    print(&format!(
        "Hasil usulan musyawarah {meeting_id}:\n{}",
        if lines.is_empty() { "  (belum ada)\n" } else { &lines }
    ))
}
