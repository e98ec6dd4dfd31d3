import { describe, expect, it } from 'vitest';
import type { MeetingReview, OutcomeKind, ReviewState } from './bindings';
import { catalogues, LANGUAGES } from './i18n/translate';
import { asksForRevision, OUTCOME_KINDS, REVIEW_STATES, reviewLine } from './api-answers';

const review = (state: ReviewState, note: string | null = null): MeetingReview => ({
  meeting_id: 'm1',
  state,
  note,
  answered_at: '2026-12-07T04:00:00Z',
  answered_at_text: { id: 'Senin, 7 Desember 2026 pukul 11.00 WIB', en: 'Monday, 7 December 2026 at 11:00 WIB' },
});

describe("the office's answers", () => {
  it('has words for every review state and lists every outcome, keyed by the generated types', () => {
    const states: Record<ReviewState, true> = { diterima: true, perlu_perbaikan: true, disetujui: true, ditolak: true };
    const kinds: Record<OutcomeKind, true> = { diakomodir: true, tidak_diakomodir: true, dialihkan: true };
    expect([...REVIEW_STATES].sort()).toEqual(Object.keys(states).sort());
    expect([...OUTCOME_KINDS].sort()).toEqual(Object.keys(kinds).sort());
    for (const language of LANGUAGES) {
      const missing = REVIEW_STATES.map((state) => `answers.review.${state}`).filter(
        (key) => !Object.hasOwn(catalogues[language], key),
      );
      expect(missing, language).toEqual([]);
    }
  });

  it('says the note with the review that has one', () => {
    expect(reviewLine(review('perlu_perbaikan', 'Foto kurang jelas'))).toEqual({
      key: 'answers.review.perlu_perbaikan',
      values: { note: 'Foto kurang jelas' },
    });
    expect(reviewLine(review('disetujui')).values).toEqual({ note: '' });
    expect(catalogues.id['answers.review.perlu_perbaikan']).toContain('{note}');
    expect(catalogues.id['answers.review.ditolak']).toContain('{note}');
  });

  it('offers a revision only when the office asks for one and none was made', () => {
    expect(asksForRevision(review('perlu_perbaikan', 'x'), null)).toBe(true);
    expect(asksForRevision(review('perlu_perbaikan', 'x'), 'm2')).toBe(false);
    expect(asksForRevision(review('disetujui'), null)).toBe(false);
    expect(asksForRevision(undefined, null)).toBe(false);
  });
});
