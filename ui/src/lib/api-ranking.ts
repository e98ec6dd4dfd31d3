// The ranking and lock commands of the shell (src-tauri/src/commands/ranking.rs
// and the lock commands of commands/mod.rs).
import { call } from './api';
import type { CriterionForm, RankingMethod } from './bindings';

export const ranking = (meetingId: string) => call('ranking', { meetingId });
/** Gives a meeting without criteria the ones in the settings; answers its criteria. */
export const ensureDefaultCriteria = (meetingId: string) =>
  call('ensure_default_criteria', { meetingId });
export const setCriteria = (meetingId: string, criteria: CriterionForm[]) =>
  call('set_criteria', { meetingId, criteria });
/** A score 1 to 5, or `null` to clear it; answers the ranking as it now stands. */
export const setScore = (usulanId: string, criterionId: string, score: number | null) =>
  call('set_score', { usulanId, criterionId, score });
export const setRankingMethod = (meetingId: string, method: RankingMethod) =>
  call('set_ranking_method', { meetingId, method });
/** The hands raised, as typed ("" clears the count). */
export const setHands = (usulanId: string, count: string) => call('set_hands', { usulanId, count });
/** The meeting's consensus order: every usulan once, first to last, and why. */
export const setManualOrder = (meetingId: string, usulanIds: string[], reason: string) =>
  call('set_manual_order', { meetingId, usulanIds, reason });
export const clearManualOrder = (meetingId: string) => call('clear_manual_order', { meetingId });

/** What is still missing before the meeting can be locked (codes `no_attendees`, ...). */
export const lockBlockers = (id: string) => call('lock_blockers', { id });
export const lockMeeting = (id: string) => call('lock_meeting', { id });
/** Opens a new draft revision of a locked meeting, saying why. */
export const reviseMeeting = (id: string, reason: string) => call('revise_meeting', { id, reason });

/** The projector view fills the screen (`full`), or gives it back. */
export const projectorFullScreen = (full: boolean) => call('projector_full_screen', { full });
