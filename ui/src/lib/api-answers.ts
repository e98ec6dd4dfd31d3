// What the city office answered about delivered meetings (its review and
// each usulan's outcome, kept by the background sender on every sync) and
// the outcomes the cadre records by hand on a locked meeting. The office's
// outcome wins over a hand one; the core decides which is shown.
import { call } from './api';
import type { MeetingReview, OutcomeForm, OutcomeKind, ReviewState, UsulanOutcome } from './bindings';

/** The office's review of each meeting it answered, by meeting id. */
export async function meetingReviews(): Promise<Map<string, MeetingReview>> {
  return new Map((await call('meeting_reviews')).map((review) => [review.meeting_id, review]));
}

export const usulanOutcomes = (meetingId: string) => call('usulan_outcomes', { meetingId });

/** Records the cadre's own outcome; `null` removes it. Answers the meeting's outcomes. */
export const recordOutcome = (usulanId: string, form: OutcomeForm | null) =>
  call('record_outcome', { usulanId, form });

/** Every review state, each with its words (`answers.review.*`). */
export const REVIEW_STATES: readonly ReviewState[] = ['diterima', 'perlu_perbaikan', 'disetujui', 'ditolak'];

/** Every outcome, each with its name (`answers.kind.*`) and its line (`answers.outcome.*`). */
export const OUTCOME_KINDS: readonly OutcomeKind[] = ['diakomodir', 'tidak_diakomodir', 'dialihkan'];

/** The review line's key and values: "Perlu perbaikan: <note>", "Disetujui", ... */
export function reviewLine(review: MeetingReview): { key: string; values: Record<string, string> } {
  return { key: `answers.review.${review.state}`, values: { note: review.note ?? '' } };
}

/** The office asks for a correction of a meeting that is not corrected yet. */
export function asksForRevision(review: MeetingReview | undefined, supersededBy: string | null): boolean {
  return review?.state === 'perlu_perbaikan' && supersededBy === null;
}
