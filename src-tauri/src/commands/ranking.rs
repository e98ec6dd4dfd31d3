//! The meeting's ranking: criteria and weights, scores 1 to 5, a show of
//! hands, and the order the meeting agreed on by consensus.

use rembug_core::ranking::{Criterion, CriterionForm, Ranking, RankingMethod};
use tauri::State;

use super::{Reply, reply};
use crate::state::AppState;

pub fn ranking(state: State<'_, AppState>, meeting_id: String) -> Reply<Ranking> {
    reply(state.store()?.ranking(&meeting_id))
}

/// Gives a meeting without criteria the ones in the settings.
pub fn ensure_default_criteria(state: State<'_, AppState>, meeting_id: String) -> Reply<Vec<Criterion>> {
    reply(state.store()?.ensure_default_criteria(&meeting_id))
}

pub fn set_criteria(
    state: State<'_, AppState>,
    meeting_id: String,
    criteria: Vec<CriterionForm>,
) -> Reply<Vec<Criterion>> {
    reply(state.store()?.set_criteria(&meeting_id, &criteria))
}

pub fn set_score(
    state: State<'_, AppState>,
    usulan_id: String,
    criterion_id: String,
    score: Option<u8>,
) -> Reply<Ranking> {
    reply(state.store()?.set_score(&usulan_id, &criterion_id, score))
}

pub fn set_ranking_method(state: State<'_, AppState>, meeting_id: String, method: RankingMethod) -> Reply<Ranking> {
    reply(state.store()?.set_ranking_method(&meeting_id, method))
}

pub fn set_hands(state: State<'_, AppState>, usulan_id: String, count: String) -> Reply<Ranking> {
    reply(state.store()?.set_hands(&usulan_id, &count))
}

pub fn set_manual_order(
    state: State<'_, AppState>,
    meeting_id: String,
    usulan_ids: Vec<String>,
    reason: String,
) -> Reply<Ranking> {
    reply(state.store()?.set_manual_order(&meeting_id, &usulan_ids, &reason))
}

pub fn clear_manual_order(state: State<'_, AppState>, meeting_id: String) -> Reply<Ranking> {
    reply(state.store()?.clear_manual_order(&meeting_id))
}
